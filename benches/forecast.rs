//! Forecast roll-ups by category and pipeline movement between two snapshots.
//!
//! The deals come from the testkit's compact direct generator (`Company::synthetic_deal`), each
//! open one given a stage (three mapped, one left to the map's `unmapped` category), every
//! tenth an Omitted category of its own, and an expected close date over 2024 (one in twenty
//! without). The S1 snapshot is S0 changed deterministically (some closed, some dates moved,
//! some amounts changed, some deleted, some new), joined by id outside the timed loop. One
//! million distinct facts pushed ten times per iteration (10,000,000 facts: deals for the
//! roll-up, snapshot pairs for the movement), and the same from a cache-sized slice.
#![allow(missing_docs)] // criterion_group! generates an undocumented pub fn
#![allow(clippy::expect_used)] // a bench fails loudly on a broken fixture

use std::hint::black_box;

use chrono::{Days, NaiveDate, TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use revops::calendar::Zone;
use revops::facts::{Deal, DealStatus, ForecastCategory};
use revops::forecast::{CategoryMap, ForecastTally, MovementTally, SnapshotPair, join_snapshots};
use revops::testkit::Company;
use revops::{Currency, Money, Period, StageId, Tally};

const DISTINCT: u64 = 1_000_000;
const PASSES: u64 = 10;

fn stage(i: u64) -> StageId {
    let name = match i % 4 {
        0 => "discovery",
        1 => "proposal",
        2 => "negotiation",
        _ => "demo",
    };
    StageId::new(name).expect("valid stage")
}

fn snapshot(company: &Company) -> Vec<Deal> {
    let jan1 = NaiveDate::from_ymd_opt(2024, 1, 1).expect("valid date");
    company
        .synthetic_deals(0, DISTINCT)
        .enumerate()
        .map(|(i, deal)| {
            let i = i as u64;
            if deal.status.is_closed() {
                return deal;
            }
            let date =
                (!i.is_multiple_of(20)).then(|| jan1.checked_add_days(Days::new(i * 7 % 366)).expect("in range"));
            let own = (i % 10 == 3).then_some(ForecastCategory::Omitted);
            deal.stage(Some(stage(i))).close_date(date).forecast_category(own)
        })
        .collect()
}

fn moved(s0: &[Deal]) -> Vec<Deal> {
    let won_at = Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).single().expect("valid instant");
    s0.iter()
        .enumerate()
        .filter(|(i, _)| i % 50 != 7) // deleted
        .map(|(i, d)| {
            let mut d = d.clone();
            if d.status.is_closed() {
                return d;
            }
            match i % 8 {
                0 => {
                    d = Deal { status: DealStatus::Won, close_date: None, ..d }
                        .closed_at(Some(won_at.max(d.created_at)));
                }
                1 => d.close_date = d.close_date.and_then(|c| c.checked_add_days(Days::new(95))),
                2 => {
                    d.amount = Money::from_minor(
                        i64::try_from(d.amount.to_minor_i128().expect("cents")).expect("fits") / 2,
                        Currency::USD,
                    );
                }
                3 => d.forecast_category = Some(ForecastCategory::Commit),
                _ => {}
            }
            d
        })
        .collect()
}

fn map() -> CategoryMap {
    let s = |x: &str| StageId::new(x).expect("valid stage");
    CategoryMap::new(
        [
            (s("discovery"), ForecastCategory::Pipeline),
            (s("proposal"), ForecastCategory::BestCase),
            (s("negotiation"), ForecastCategory::Commit),
        ],
        Some(ForecastCategory::Pipeline),
    )
    .expect("valid map")
}

fn forecast(c: &mut Criterion) {
    let company = Company::new(7, 10_000).expect("valid size");
    let s0 = snapshot(&company);
    let q = |m| Utc.with_ymd_and_hms(2024, m, 1, 0, 0, 0).single().expect("valid instant");
    let q2 = Period::new(q(4), q(7)).expect("valid period");
    let rollup = ForecastTally::new(q2, Zone::UTC, Currency::USD, map())
        .quota(Money::from_minor(100_000_000_000, Currency::USD))
        .expect("valid quota");

    let s1 = moved(&s0);
    let mut pairs = join_snapshots(&s0, &s1).expect("distinct ids");
    pairs.truncate(usize::try_from(DISTINCT).expect("fits"));
    let movement = MovementTally::new(q2, Zone::UTC, Currency::USD, map());

    let mut group = c.benchmark_group("forecast");
    group.sample_size(10);
    // Ten million facts from memory (one million distinct, beyond every cache), then from a
    // cache-sized slice (4,000 distinct, 2,500 passes): the first is bound by memory bandwidth
    // (a `Deal` is 200 bytes, a `SnapshotPair` 424), the second by the tally's own work.
    // The cache-sized slice is every 251st fact (coprime with the generator's cycles), so it
    // has the same mix as the whole set.
    let hot_deals: Vec<Deal> = s0.iter().step_by(251).cloned().collect();
    let hot_pairs: Vec<SnapshotPair> = pairs.iter().step_by(251).cloned().collect();
    for (name, deals, pairs, passes) in
        [("10m", &s0[..], &pairs[..], PASSES), ("10m_cached", &hot_deals[..], &hot_pairs[..], 2_500)]
    {
        let distinct = deals.len();
        group.throughput(Throughput::Elements(distinct as u64 * passes));
        group.bench_function(format!("rollup_{name}"), |b| {
            b.iter(|| {
                let mut tally = rollup.clone();
                for _ in 0..passes {
                    for deal in black_box(deals) {
                        tally.push(deal).expect("valid deal");
                    }
                }
                black_box(tally.finish().expect("in range"))
            });
        });
        group.throughput(Throughput::Elements(pairs.len() as u64 * passes));
        group.bench_function(format!("movement_{name}"), |b| {
            b.iter(|| {
                let mut tally = movement.clone();
                for _ in 0..passes {
                    for pair in black_box(pairs) {
                        tally.push(pair).expect("valid pair");
                    }
                }
                black_box(tally.finish().expect("in range"))
            });
        });
    }
    group.finish();
}

criterion_group!(benches, forecast);
criterion_main!(benches);
