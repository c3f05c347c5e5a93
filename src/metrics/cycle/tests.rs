//! Unit tests of the sales cycle.

use super::*;
use crate::calendar::Zone;
use crate::facts::Reason;
use crate::{Currency, Money, OpportunityId};
use chrono::{DateTime, TimeZone, Utc};
use rust_decimal_macros::dec;

fn at(d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, d, h, 0, 0).unwrap()
}

fn deal(id: &str, status: DealStatus, created: DateTime<Utc>, closed: DateTime<Utc>) -> Deal {
    Deal::new(OpportunityId::new(id).unwrap(), created, Money::zero(Currency::USD), status).closed_at(Some(closed))
}

#[test]
fn histogram_matches_selection() {
    let mut state = 7u64;
    for n in [0usize, 1, 2, 3, 10, 101, 1_000] {
        let mut values = Vec::new();
        let mut h = Histogram::default();
        for _ in 0..n {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let v = i64::try_from(state >> 40).unwrap() % 50_000; // some beyond the dense range
            values.push(v);
            h.push(v).unwrap();
        }
        let (a, b) = values.split_at(n / 3);
        let (mut left, mut right) = (Histogram::default(), Histogram::default());
        for &v in a {
            left.push(v).unwrap();
        }
        for &v in b {
            right.push(v).unwrap();
        }
        left.merge(right).unwrap();
        assert_eq!(h.stats().unwrap(), stats(&mut values, 1).unwrap());
        assert_eq!(left.stats().unwrap(), h.stats().unwrap());
    }
}

#[test]
fn histogram_counts_are_checked() {
    // Regression: counts were `+= 1`, so a histogram at the end of its range (reachable
    // from a deserialized partial state) panicked in debug builds and wrapped in release.
    let mut full = Histogram { count: usize::MAX, ..Histogram::default() };
    assert_eq!(full.push(3), Err(ErrorKind::Overflow { op: "sales cycle histogram" }.into()));
    assert_eq!(full, Histogram { count: usize::MAX, ..Histogram::default() });
    let mut bin = Histogram::default();
    bin.push(40_000).unwrap();
    bin.sparse.insert(40_000, u64::MAX);
    assert!(bin.push(40_000).is_err());
    let mut one = Histogram::default();
    one.push(1).unwrap();
    let before = one.clone();
    assert!(one.merge(Histogram { count: usize::MAX, ..Histogram::default() }).is_err());
    assert_eq!(one, before, "a failed merge leaves the histogram as it was");
}

#[test]
fn nearest_rank() {
    assert_eq!(at_rank(0, 50), None);
    assert_eq!(at_rank(1, 90), Some(0));
    assert_eq!(at_rank(10, 90), Some(8));
    assert_eq!(at_rank(10, 91), Some(9));
    assert_eq!(at_rank(4, 25), Some(0));
    assert_eq!(at_rank(5, 25), Some(1));
}

#[test]
fn calendar_days_follow_daylight_saving() {
    // 23:30 on 30 June to 00:30 on 1 July in New York (EDT): one midnight. A fixed UTC-05:00
    // reads 22:30 to 23:30 on 30 June: none.
    let summer = |h, m| Utc.with_ymd_and_hms(2024, 7, 1, h, m, 0).unwrap();
    let deals = [deal("a", DealStatus::Won, summer(3, 30), summer(4, 30))];
    let ny: Zone = "America/New_York".parse().unwrap();
    let fixed: Zone = "UTC-05:00".parse().unwrap();
    let days = |zone| sales_cycle(&deals, Period::all_time(), zone, CycleOutcome::Won).unwrap().calendar_days.max;
    assert_eq!((days(ny), days(fixed)), (Some(dec!(1)), Some(dec!(0))));
    // The columnar path agrees.
    let mut columnar = SalesCycleTally::new(Period::all_time(), ny);
    columnar.push_batch(&crate::metrics::DealBatch::from_deals(&deals, Currency::USD).unwrap()).unwrap();
    assert_eq!(columnar.finish().unwrap().calendar_days.max, Some(dec!(1)));
}

#[test]
fn outcomes_offsets_and_stats() {
    let deals = [
        deal("a", DealStatus::Won, at(1, 22), at(2, 2)),
        deal("b", DealStatus::Won, at(1, 0), at(4, 0)),
        deal("c", DealStatus::lost(Reason::Price), at(1, 0), at(21, 0)),
    ];
    let utc = Zone::UTC;
    let won = sales_cycle(&deals, Period::all_time(), utc, CycleOutcome::Won).unwrap();
    assert_eq!(won.elapsed_days.count, 2);
    assert_eq!(won.elapsed_days.min, Some(dec!(0.166667)));
    assert_eq!(won.elapsed_days.mean, Some(dec!(1.583333)));
    assert_eq!(won.calendar_days.mean, Some(dec!(2)));
    assert_eq!(won.calendar_days.total_days, dec!(4));
    // At UTC-3 deal "a" runs 19:00 to 23:00 on 1 January: no midnight crossed.
    let west: Zone = "UTC-03:00".parse().unwrap();
    let won_west = sales_cycle(&deals, Period::all_time(), west, CycleOutcome::Won).unwrap();
    assert_eq!(won_west.calendar_days.min, Some(dec!(0)));
    let lost = sales_cycle(&deals, Period::all_time(), utc, CycleOutcome::Lost).unwrap();
    assert_eq!(lost.calendar_days.median, Some(dec!(20)));
    let closed = sales_cycle(&deals, Period::all_time(), utc, CycleOutcome::Closed).unwrap();
    assert_eq!(closed.calendar_days.median, Some(dec!(3)));
    assert_eq!(closed.calendar_days.p90, Some(dec!(20)));
    assert_eq!(closed.calendar_days.p25, Some(dec!(1)));
    let none = sales_cycle(&[], Period::all_time(), utc, CycleOutcome::Won).unwrap();
    assert_eq!((none.elapsed_days.count, none.elapsed_days.mean, none.elapsed_days.max), (0, None, None));
    let bad = deal("z", DealStatus::Won, at(5, 0), at(4, 0));
    assert!(matches!(
        sales_cycle(&[bad], Period::all_time(), utc, CycleOutcome::Won).as_ref().map_err(crate::error::Error::kind),
        Err(ErrorKind::CloseBeforeCreate { .. })
    ));
}
