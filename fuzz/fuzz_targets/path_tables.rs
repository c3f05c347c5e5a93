//! Both path-table parsers (`parse_aggregated_paths`, `parse_path_columns`) on arbitrary text,
//! then what reads their output: `PathTable`, `journeys_from_paths`, Shapley and Markov.
//!
//! Oracles: no panic; the two parsers agree (both `Ok` with `to_paths()` equal to the row
//! form, or both `Err` with the same message, as `parse_path_columns` documents); a
//! `PathTable` fed the rows finishes `Ok`; `journeys_from_paths` makes one journey per
//! counted outcome with the same total value; Shapley and Markov value credits sum to the
//! table's total value.
#![no_main]

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use revops::attribution::{
    CoalitionCounts, MarkovModel, PathTable, journeys_from_paths, parse_aggregated_paths, parse_path_columns,
};
use revops::{Currency, Money};

const CURRENCIES: [Currency; 3] = [Currency::USD, Currency::JPY, Currency::KWD];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else { return };
    let currency = CURRENCIES[usize::from(sel) % CURRENCIES.len()];
    let text = String::from_utf8_lossy(rest);
    let rows = parse_aggregated_paths(&text, currency);
    let cols = parse_path_columns(&text, currency);
    let paths = match (rows, cols) {
        (Ok(rows), Ok(cols)) => {
            assert_eq!(cols.to_paths(), rows, "columns vs rows");
            assert_eq!(cols.len(), rows.len());
            rows
        }
        (Err(a), Err(b)) => {
            assert_eq!(a.to_string(), b.to_string(), "the parsers' errors differ");
            return;
        }
        (a, b) => panic!("parse_aggregated_paths {a:?} vs parse_path_columns {b:?}"),
    };
    let mut table = PathTable::new(currency);
    for p in &paths {
        table.push_path(p).expect("a parsed row is a valid path");
    }
    let finished = table.finish();
    assert!(finished.is_ok(), "PathTable::finish of parsed rows: {finished:?}");

    let total = Money::checked_sum(paths.iter().map(|p| p.value), currency);
    let counted: Option<u64> = paths.iter().try_fold(0u64, |a, p| a.checked_add(p.conversions)?.checked_add(p.nulls));
    // journeys_from_paths materialises one journey per count (issue 12 #4): only small tables.
    if counted.is_some_and(|n| n <= 2_000) {
        let start = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().expect("valid start");
        if let Ok(journeys) = journeys_from_paths(&paths, start) {
            assert_eq!(Some(journeys.len() as u64), counted, "one journey per count");
            let value = Money::checked_sum(journeys.iter().filter_map(|j| j.conversion.map(|c| c.value)), currency);
            if let (Ok(v), Ok(t)) = (&value, &total) {
                assert_eq!(v, t, "journeys carry the table's value");
            }
        }
    }

    let mut shapley = CoalitionCounts::new(currency);
    let pushed = paths.iter().try_for_each(|p| shapley.push_path(p));
    if pushed.is_ok() {
        if let (Ok(s), Ok(t)) = (shapley.simplified(), &total) {
            let sum = Money::checked_sum(s.channels.iter().map(|c| c.value), currency).expect("credits sum");
            assert_eq!(sum, *t, "simplified Shapley value credits sum to the total value");
        }
    }
    let channels: usize = paths.iter().map(|p| p.channels.len()).sum();
    if channels <= 64 {
        if let (Ok(m), Ok(t)) = (MarkovModel::new(1).expect("order 1").attribute_paths(&paths, currency), &total) {
            assert_eq!(m.total_value, *t, "Markov total value");
            let sum = Money::checked_sum(m.channels.iter().map(|c| c.value), currency).expect("credits sum");
            assert_eq!(sum, *t, "Markov value credits sum to the total value");
        }
    }
});
