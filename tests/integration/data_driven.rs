//! Data-driven attribution (Markov, Shapley) across the input forms, on testkit data.
#![allow(clippy::float_arithmetic)] // comparisons of statistical results

use std::fmt::Write as _;

use proptest::prelude::*;
use revops::attribution::{
    AggregatedPath, CoalitionCounts, DegenerateData, Game, MarkovModel, PathColumns, PathTable, parse_aggregated_paths,
    parse_path_columns,
};
use revops::testkit::Company;
use revops::{ChannelId, Currency, ErrorKind, Money, Tally};

fn to_csv(paths: &[AggregatedPath]) -> String {
    let mut out = String::from("path,total_conversions,total_conversion_value,total_null\n");
    for p in paths {
        let names: Vec<&str> = p.channels.iter().map(ChannelId::as_str).collect();
        writeln!(out, "{},{},{},{}", names.join(" > "), p.conversions, p.value.amount(), p.nulls).unwrap();
    }
    out
}

#[test]
fn every_input_form_gives_the_same_answer() {
    let journeys = Company::new(3, 2_000).unwrap().channel_journeys(20_000).unwrap();
    let model = MarkovModel::new(2).unwrap();
    // Columnar.
    let mut counts = model.counts(Currency::USD);
    counts.push_columns(&journeys).unwrap();
    let columnar = counts.finish().unwrap();
    // Row level, journey by journey, in reverse order.
    let mut counts = model.counts(Currency::USD);
    let rows = journeys.to_paths();
    for p in rows.iter().rev() {
        let value = (p.conversions > 0).then_some(p.value);
        counts.push_channels(&p.channels, value).unwrap();
    }
    assert_eq!(counts.finish().unwrap(), columnar);
    // Aggregated through a PathTable, printed as the peers' CSV and parsed back (both parsers).
    let mut table = PathTable::new(Currency::USD);
    for p in &rows {
        table.push_path(p).unwrap();
    }
    let distinct = table.finish().unwrap();
    assert!(distinct.len() < rows.len());
    let csv = to_csv(&distinct);
    let parsed = parse_aggregated_paths(&csv, Currency::USD).unwrap();
    assert_eq!(parsed, distinct);
    assert_eq!(model.attribute_paths(&parsed, Currency::USD).unwrap(), columnar);
    let mut counts = model.counts(Currency::USD);
    counts.push_columns(&parse_path_columns(&csv, Currency::USD).unwrap()).unwrap();
    assert_eq!(counts.finish().unwrap(), columnar);
    // Shapley: columnar equals row level.
    let mut a = CoalitionCounts::new(Currency::USD);
    a.push_columns(&journeys).unwrap();
    let mut b = CoalitionCounts::new(Currency::USD);
    for p in &parsed {
        b.push_path(p).unwrap();
    }
    assert_eq!(a.simplified().unwrap(), b.simplified().unwrap());
    assert_eq!(a.exact(Game::ConversionRate).unwrap(), b.exact(Game::ConversionRate).unwrap());
}

#[test]
fn the_sample_company_credits_reconcile_to_bookings() {
    let company = Company::sample();
    let journeys = company.lead_journeys().unwrap();
    let mut counts = MarkovModel::new(1).unwrap().counts(Currency::USD);
    counts.push_columns(&journeys).unwrap();
    let markov = counts.finish().unwrap();
    let bookings = Money::checked_sum(
        company.opportunities().filter(|o| o.outcome == revops::testkit::SampleOutcome::Won).map(|o| o.amount),
        Currency::USD,
    )
    .unwrap();
    assert_eq!(markov.total_value, bookings);
    assert_eq!(Money::checked_sum(markov.channels.iter().map(|c| c.value), Currency::USD).unwrap(), bookings);
    assert_eq!(markov.channels.len(), 12);
    let mut tally = CoalitionCounts::new(Currency::USD);
    tally.push_columns(&journeys).unwrap();
    let shapley = tally.simplified().unwrap();
    assert_eq!(Money::checked_sum(shapley.channels.iter().map(|c| c.value), Currency::USD).unwrap(), bookings);
    // Both models agree on who matters most within a factor of two, channel by channel.
    for (m, s) in markov.channels.iter().zip(&shapley.channels) {
        assert!(m.share < 2.0 * s.share && s.share < 2.0 * m.share, "{m:?} {s:?}");
    }
}

#[test]
fn data_without_nulls_is_refused_or_reported() {
    let mut batch = PathColumns::new(Currency::USD);
    let a = batch.intern(&ChannelId::new("a").unwrap()).unwrap();
    let b = batch.intern(&ChannelId::new("b").unwrap()).unwrap();
    batch.push(&[a, b], 2, 10_000, 0).unwrap();
    batch.push(&[b], 1, 5_000, 0).unwrap();
    let mut counts = MarkovModel::new(1).unwrap().counts(Currency::USD);
    counts.push_columns(&batch).unwrap();
    assert_eq!(counts.clone().finish().unwrap_err(), ErrorKind::NoNonConvertingJourneys { conversions: 3 });
    let mut report = MarkovModel::new(1).unwrap().with_degenerate_data(DegenerateData::Report).counts(Currency::USD);
    report.push_columns(&batch).unwrap();
    assert!(report.finish().unwrap().degenerate);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Arbitrary journeys (0 to 200 touches, any channel among 30, any outcome) never panic:
    /// every model answers or returns a typed error.
    #[test]
    fn arbitrary_journeys_never_panic(
        journeys in prop::collection::vec(
            (prop::collection::vec(0u32..30, 0..200), any::<bool>(), 0i64..1_000_000_000_000),
            0..12,
        ),
        order in 1usize..5,
    ) {
        let names: Vec<ChannelId> = (0..30).map(|i| ChannelId::new(format!("c{i}")).unwrap()).collect();
        let mut markov = MarkovModel::new(order).unwrap().counts(Currency::USD);
        let mut shapley = CoalitionCounts::new(Currency::USD);
        for (path, converted, cents) in &journeys {
            let channels: Vec<ChannelId> = path.iter().map(|&i| names[i as usize].clone()).collect();
            let value = converted.then(|| Money::from_minor(*cents, Currency::USD));
            let _ = markov.push_channels(&channels, value);
            let _ = shapley.push_channels(&channels, value);
        }
        if let Ok(r) = markov.finish() {
            let total = Money::checked_sum(r.channels.iter().map(|c| c.value), Currency::USD).unwrap();
            prop_assert_eq!(total, r.total_value);
        }
        let _ = shapley.simplified();
        let _ = shapley.ordered();
        let _ = shapley.exact(Game::ConversionRate);
    }
}

fn value_text() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u64..100_000, 0u64..100).prop_map(|(w, c)| format!("{w}.{c:02}")),
        Just("0.00".to_owned()),
        Just("-0.00".to_owned()),
        Just("-5.00".to_owned()),
        Just("1.005".to_owned()),
        Just("7".to_owned()),
        Just("7.".to_owned()),
        Just(".5".to_owned()),
        Just("+3.10".to_owned()),
        Just("abc".to_owned()),
        Just("99999999999999999999.00".to_owned()),
    ]
}

fn table_text() -> impl Strategy<Value = String> {
    let path = prop::collection::vec(prop_oneof![Just("a"), Just("b"), Just(" c "), Just(""), Just("d\te")], 1..5)
        .prop_map(|p| p.join(">"));
    let row = (path, 0u64..4, value_text(), 0u64..4, any::<bool>())
        .prop_map(|(p, c, v, n, extra)| if extra { format!("{p},{c},{v},{n},x") } else { format!("{p},{c},{v},{n}") });
    prop::collection::vec(row, 0..8)
        .prop_map(|rows| format!("path,total_conversions,total_conversion_value,total_null\n{}", rows.join("\n")))
}

proptest! {
    /// The row and columnar parsers accept the same tables, read them alike, and reject the same
    /// rows with the same error; neither panics.
    #[test]
    fn both_parsers_agree(text in table_text()) {
        let rows = parse_aggregated_paths(&text, Currency::USD);
        let columns = parse_path_columns(&text, Currency::USD).map(|c| c.to_paths());
        prop_assert_eq!(rows, columns);
    }

    /// Path tables merge associatively and commutatively (any split, any order).
    #[test]
    fn path_tables_merge_in_any_order(
        journeys in prop::collection::vec((prop::collection::vec(0usize..4, 1..5), prop::option::of(0i64..10_000)), 0..40),
        cut in 0usize..40,
    ) {
        let names: Vec<ChannelId> = ["w", "x", "y", "z"].iter().map(|n| ChannelId::new(*n).unwrap()).collect();
        let table = |js: &[(Vec<usize>, Option<i64>)]| {
            let mut t = PathTable::new(Currency::USD);
            for (p, v) in js {
                let channels: Vec<ChannelId> = p.iter().map(|&i| names[i].clone()).collect();
                t.push_channels(&channels, v.map(|c| Money::from_minor(c, Currency::USD))).unwrap();
            }
            t
        };
        let cut = cut.min(journeys.len());
        let whole = table(&journeys).finish().unwrap();
        let mut ab = table(&journeys[..cut]);
        ab.merge(table(&journeys[cut..])).unwrap();
        let mut ba = table(&journeys[cut..]);
        ba.merge(table(&journeys[..cut])).unwrap();
        prop_assert_eq!(ab.finish().unwrap(), whole.clone());
        prop_assert_eq!(ba.finish().unwrap(), whole);
    }
}

/// Issue 11 item 3: every data-driven accumulator is a [`Tally`] whose partial state
/// serializes; split the journeys at random, tally each part, send each part's state through
/// JSON, merge the parts in a random tree order: the result is one pass's, to the bit.
#[cfg(feature = "serde")]
mod tally_states {
    use chrono::{DateTime, TimeDelta, TimeZone, Utc};
    use proptest::prelude::*;
    use revops::attribution::{CoalitionCounts, Game, MarkovModel, PathTable, ValueAllocation};
    use revops::facts::{Journey, Touchpoint};
    use revops::{ChannelId, Currency, JourneyId, Money, Tally};

    fn at(minutes: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap() + TimeDelta::try_minutes(minutes).unwrap()
    }

    fn journeys(raw: &[(Vec<u8>, Option<i64>)]) -> Vec<Journey> {
        raw.iter()
            .enumerate()
            .map(|(i, (path, value))| {
                let id = JourneyId::new(format!("j{i}")).unwrap();
                let end = i64::try_from(path.len()).unwrap();
                let mut j = match value {
                    Some(cents) => Journey::converted(id, at(end), Money::from_minor(*cents, Currency::USD)),
                    None => Journey::not_converted(id),
                };
                for (k, c) in path.iter().enumerate() {
                    let channel = ChannelId::new(format!("c{c}")).unwrap();
                    j = j.with_touch(Touchpoint::new(at(i64::try_from(k).unwrap()), channel));
                }
                j
            })
            .collect()
    }

    /// Tallies the parts, round-trips each state through JSON, merges in the tree order `picks`.
    fn split_and_merge<T>(empty: &T, journeys: &[Journey], part_of: &[usize], parts: usize, picks: &[usize]) -> T
    where
        T: Tally<Fact = Journey> + Clone + serde::Serialize + serde::de::DeserializeOwned,
    {
        let mut states: Vec<T> = (0..parts).map(|_| empty.clone()).collect();
        for (j, &p) in journeys.iter().zip(part_of) {
            states[p % parts].push(j).unwrap();
        }
        let mut states: Vec<T> =
            states.iter().map(|s| serde_json::from_str(&serde_json::to_string(s).unwrap()).unwrap()).collect();
        let mut pick = picks.iter().cycle();
        while states.len() > 1 {
            let mut a = states.remove(pick.next().unwrap() % states.len());
            let b = states.remove(pick.next().unwrap() % states.len());
            a.merge(b).unwrap();
            let at = pick.next().unwrap() % (states.len() + 1);
            states.insert(at, a);
        }
        states.pop().unwrap()
    }

    fn raw_journeys() -> impl Strategy<Value = Vec<(Vec<u8>, Option<i64>)>> {
        prop::collection::vec((prop::collection::vec(0u8..6, 1..6), prop::option::of(0i64..100_000)), 1..60)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn states_split_serialize_and_merge_like_one_pass(
            raw in raw_journeys(),
            part_of in prop::collection::vec(0usize..8, 60),
            parts in 1usize..6,
            picks in prop::collection::vec(0usize..64, 1..16),
            order in 1usize..=3,
            allocation in 0usize..3,
        ) {
            let journeys = journeys(&raw);
            let allocation = [
                ValueAllocation::ValueRemovalEffect,
                ValueAllocation::ConversionRemovalEffect,
                ValueAllocation::JourneyResplit,
            ][allocation];
            let markov = MarkovModel::new(order).unwrap().with_value_allocation(allocation).counts(Currency::USD);
            let merged = split_and_merge(&markov, &journeys, &part_of, parts, &picks);
            prop_assert_eq!(merged.finish(), markov.clone().tally(&journeys));

            let shapley = CoalitionCounts::new(Currency::USD);
            let merged = split_and_merge(&shapley, &journeys, &part_of, parts, &picks);
            let mut whole = shapley.clone();
            for j in &journeys {
                whole.push(j).unwrap();
            }
            prop_assert_eq!(merged.ordered(), whole.ordered());
            prop_assert_eq!(merged.exact(Game::ConversionRate), whole.exact(Game::ConversionRate));
            prop_assert_eq!(merged.finish(), whole.finish());

            let table = PathTable::new(Currency::USD);
            let merged = split_and_merge(&table, &journeys, &part_of, parts, &picks);
            prop_assert_eq!(merged.finish(), table.clone().tally(&journeys));
        }
    }
}
