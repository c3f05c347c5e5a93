//! Forecast roll-ups and pipeline movement: merge trees through JSON equal one pass, category
//! amounts sum to the amount in scope, and the movement identity holds (amounts and counts).

use chrono::{Datelike, Months, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use revops::calendar::Zone;
use revops::facts::{Deal, DealStatus, ForecastCategory, Reason};
use revops::forecast::{
    CategoryMap, ForecastTally, MovementTally, PipelineMovement, Rollup, SnapshotPair, join_snapshots,
};
use revops::testkit::{Company, sample_category_map};
use revops::{Currency, Money, OpportunityId, Period, Probability, StageId, Tally};

use crate::split_merge::{round_trip, split_serialize_merge};

fn q1() -> Period {
    let t = |m| Utc.with_ymd_and_hms(2024, m, 1, 0, 0, 0).unwrap();
    Period::new(t(1), t(4)).unwrap()
}

fn map() -> CategoryMap {
    let s = |x: &str| StageId::new(x).unwrap();
    CategoryMap::new(
        [
            (s("discovery"), ForecastCategory::Pipeline),
            (s("proposal"), ForecastCategory::BestCase),
            (s("stalled"), ForecastCategory::Omitted),
        ],
        Some(ForecastCategory::Commit),
    )
    .unwrap()
}

/// One deal row: amount in cents, status (0..=100 open at that percent with a half step, 101
/// won, 102 lost), close month (1 to 6 of 2024; 0: no date), stage and category choices.
type Spec = (i64, u8, u32, u8, u8);

fn spec() -> impl Strategy<Value = Spec> {
    (0i64..10_000_000, 0u8..=102, 0u32..=6, 0u8..4, 0u8..6)
}

fn deal(id: &str, (cents, status, month, stage, category): Spec) -> Deal {
    let created = Utc.with_ymd_and_hms(2023, 12, 1, 0, 0, 0).unwrap();
    let amount = Money::from_minor(cents, Currency::USD);
    let id = OpportunityId::new(id).unwrap();
    let stage = ["discovery", "proposal", "stalled", "demo"].get(usize::from(stage)).map(|s| StageId::new(*s).unwrap());
    let category =
        [ForecastCategory::Pipeline, ForecastCategory::BestCase, ForecastCategory::Commit, ForecastCategory::Omitted]
            .get(usize::from(category))
            .copied();
    let close = |m: u32| Utc.with_ymd_and_hms(2024, m.max(1), 10, 0, 0, 0).unwrap();
    match status {
        101 => Deal::new(id, created, amount, DealStatus::Won).closed_at(Some(close(month))),
        102 => Deal::new(id, created, amount, DealStatus::lost(Reason::Price)).closed_at(Some(close(month))),
        p => {
            let probability =
                Probability::from_percent_decimal(rust_decimal::Decimal::new(i64::from(p) * 10 + 5, 1).min(100.into()))
                    .unwrap();
            Deal::new(id, created, amount, DealStatus::Open { probability })
                .close_date((month > 0).then(|| NaiveDate::from_ymd_opt(2024, month, 15).unwrap()))
                .stage(stage)
                .forecast_category(category)
        }
    }
}

fn pairs(specs: &[(Option<Spec>, Option<Spec>)]) -> Vec<SnapshotPair> {
    let s0: Vec<Deal> =
        specs.iter().enumerate().filter_map(|(i, (b, _))| b.map(|b| deal(&format!("o{i}"), b))).collect();
    let s1: Vec<Deal> =
        specs.iter().enumerate().filter_map(|(i, (_, a))| a.map(|a| deal(&format!("o{i}"), a))).collect();
    join_snapshots(&s0, &s1).unwrap()
}

/// `start + inflows + increased - decreased - outflows - end` in minor units, and in counts.
fn identity(m: &PipelineMovement) -> (i128, i128) {
    let minor = |f: revops::forecast::Flow| f.amount.to_minor_i128().unwrap();
    let count = |f: revops::forecast::Flow| i128::from(f.deals);
    let ins = [m.new, m.pulled_in, m.pushed_in, m.moved_in];
    let outs = [m.won, m.lost, m.pushed_out, m.pulled_out, m.moved_out];
    let sum = |fs: &[revops::forecast::Flow], f: &dyn Fn(revops::forecast::Flow) -> i128| {
        fs.iter().map(|x| f(*x)).sum::<i128>()
    };
    (
        minor(m.start) + sum(&ins, &minor) + minor(m.increased)
            - minor(m.decreased)
            - sum(&outs, &minor)
            - minor(m.end),
        count(m.start) + sum(&ins, &count) - sum(&outs, &count) - count(m.end),
    )
}

proptest! {
    #[test]
    fn rollup_merge_tree_and_conservation(
        specs in prop::collection::vec(spec(), 0..50),
        cuts in prop::collection::vec(0usize..60, 0..5),
        picks in prop::collection::vec(any::<usize>(), 1..8),
    ) {
        let deals: Vec<Deal> = specs.iter().enumerate().map(|(i, s)| deal(&format!("o{i}"), *s)).collect();
        let fresh = ForecastTally::new(q1(), Zone::UTC, Currency::USD, map()).quota(Money::from_minor(5_000_000, Currency::USD)).unwrap();
        let one = fresh.clone().tally(&deals).unwrap();
        prop_assert_eq!(&split_serialize_merge(&fresh, &deals, &cuts, &picks, round_trip), &one);
        // Conservation: the single columns sum to every deal in scope, counts and amounts.
        let in_scope: i128 = deals.iter().filter(|d| {
            let p = q1();
            match d.closed_at {
                Some(c) => p.contains(c),
                None => d.close_date.is_some_and(|c| c.month() <= 3),
            }
        }).map(|d| d.amount.to_minor_i128().unwrap()).sum();
        let singles: i128 = one.single.values().map(|c| c.amount.to_minor_i128().unwrap()).sum();
        prop_assert_eq!(singles, in_scope);
        prop_assert_eq!(one.total.amount.to_minor_i128().unwrap(), in_scope);
        prop_assert_eq!(one.single.values().map(|c| c.deals).sum::<u64>(), one.total.deals);
        // Cumulative columns are sums of their single columns (amounts exact; weighted within a cent per part).
        for rollup in Rollup::ALL {
            let column = &one.cumulative[&rollup];
            let parts: i128 = rollup.categories().iter().map(|c| one.single[c].amount.to_minor_i128().unwrap()).sum();
            prop_assert_eq!(column.totals.amount.to_minor_i128().unwrap(), parts);
            let weighted: i128 = rollup.categories().iter().map(|c| one.single[c].weighted.to_minor_i128().unwrap()).sum();
            prop_assert!((column.totals.weighted.to_minor_i128().unwrap() - weighted).abs() <= 3);
            prop_assert!(column.totals.weighted.amount() <= column.totals.amount.amount());
        }
    }

    #[test]
    fn movement_identity_and_merge_tree(
        specs in prop::collection::vec((prop::option::of(spec()), prop::option::of(spec())), 0..50),
        cuts in prop::collection::vec(0usize..60, 0..5),
        picks in prop::collection::vec(any::<usize>(), 1..8),
    ) {
        let specs: Vec<_> = specs.into_iter().filter(|(b, a)| b.is_some() || a.is_some()).collect();
        let pairs = pairs(&specs);
        let fresh = MovementTally::new(q1(), Zone::UTC, Currency::USD, map());
        let one = fresh.clone().tally(&pairs).unwrap();
        prop_assert_eq!(identity(&one), (0, 0));
        prop_assert_eq!(&split_serialize_merge(&fresh, &pairs, &cuts, &picks, round_trip), &one);
        // Each opportunity's own movement obeys the identity, and at most one movement out.
        for pair in &pairs {
            let m = fresh.movement(pair).unwrap();
            let minor = |x: Option<Money>| x.map_or(0, |m| m.to_minor_i128().unwrap());
            let entered = m.entered.map_or(0, |_| minor(pair.after().map(|d| d.amount)));
            let left = match (m.left, pair.after()) {
                (None, _) => 0,
                (Some(_), Some(a)) => a.amount.to_minor_i128().unwrap(),
                (Some(_), None) => minor(m.start),
            };
            prop_assert_eq!(minor(m.start) + entered + minor(m.change) - left, minor(m.end));
        }
    }
}

#[test]
fn the_sample_company_pipeline_moves_consistently() {
    let company = Company::sample();
    let month = |m| company.year_start().checked_add_months(Months::new(m)).unwrap();
    let (t0, quarter) = (month(7), Period::new(month(6), month(9)).unwrap());
    let t1 = t0.checked_add_days(chrono::Days::new(45)).unwrap();
    let (s0, s1) = (company.pipeline_snapshot(t0), company.pipeline_snapshot(t1));
    let map = sample_category_map().unwrap();
    let movement = MovementTally::new(quarter, Zone::UTC, company.currency(), map.clone())
        .tally(&join_snapshots(&s0, &s1).unwrap())
        .unwrap();
    assert_eq!(identity(&movement), (0, 0));
    assert!(movement.start.deals > 0 && movement.end.deals > 0);
    assert!(movement.new.deals > 0 && movement.won.deals > 0 && movement.lost.deals > 0);
    assert!(movement.pushed_out.deals > 0 && movement.pulled_in.deals > 0 && movement.increased.deals > 0);
    let rollup = ForecastTally::new(quarter, Zone::UTC, company.currency(), map).tally(&s1).unwrap();
    // Every open deal in scope at S1 is in the Open Pipeline column: the movement's end.
    let open = &rollup.cumulative[&Rollup::OpenPipeline].totals;
    assert_eq!((open.deals, open.amount), (movement.end.deals, movement.end.amount));
}
