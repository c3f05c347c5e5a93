//! The shared-KPI tally: win rate + sales cycle + pipeline velocity over ten million deals.
//!
//! The deals come from the testkit's compact direct generator (`Company::synthetic_deal`), built
//! once outside the timed loop. To keep memory modest on a shared machine, one million distinct
//! deals are generated and the timed loop pushes them ten times (10,000,000 records per
//! iteration); one million deals already exceed every cache, so the memory traffic is that of
//! ten million distinct records.
#![allow(missing_docs)] // criterion_group! generates an undocumented pub fn
#![allow(clippy::expect_used)] // a bench fails loudly on a broken fixture

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use revops::Currency;
use revops::Period;
use revops::Tally;
use revops::calendar::Zone;
use revops::facts::Deal;
use revops::metrics::{DealBatch, SalesCycleTally, VelocityTally, WinRateTally};
use revops::testkit::Company;

const DISTINCT: u64 = 1_000_000;
const PASSES: u64 = 10;

fn tally(c: &mut Criterion) {
    let company = Company::new(7, 10_000).expect("valid size");
    let deals: Vec<Deal> = company.synthetic_deals(0, DISTINCT).collect();
    let period = Period::new(company.year_start(), company.as_of()).expect("valid period");
    let as_of = company.as_of();
    let utc = Zone::UTC;

    let mut group = c.benchmark_group("metrics");
    group.sample_size(10);
    group.throughput(Throughput::Elements(DISTINCT * PASSES));
    group.bench_function("win_rate_cycle_velocity_10m", |b| {
        b.iter(|| {
            let mut win = WinRateTally::new(period, Currency::USD);
            let mut cycle = SalesCycleTally::new(period, utc);
            let mut velocity = VelocityTally::new(period, as_of, Currency::USD);
            for _ in 0..PASSES {
                for deal in black_box(&deals) {
                    win.push(deal).expect("valid deal");
                    cycle.push(deal).expect("valid deal");
                    velocity.push(deal).expect("valid deal");
                }
            }
            black_box((win.finish(), cycle.finish(), velocity.finish()))
        });
    });
    let batch = DealBatch::from_deals(&deals, Currency::USD).expect("valid deals");
    group.bench_function("win_rate_cycle_velocity_10m_columnar", |b| {
        b.iter(|| {
            let mut win = WinRateTally::new(period, Currency::USD);
            let mut cycle = SalesCycleTally::new(period, utc);
            let mut velocity = VelocityTally::new(period, as_of, Currency::USD);
            for _ in 0..PASSES {
                // Cache-sized slices, each read by the three tallies in turn.
                for rows in black_box(&batch).chunks(4_096) {
                    win.push_batch(rows).expect("same currency");
                    cycle.push_batch(rows).expect("infallible");
                    velocity.push_batch(rows).expect("same currency");
                }
            }
            black_box((win.finish(), cycle.finish(), velocity.finish()))
        });
    });
    group.bench_function("win_rate_only_10m", |b| {
        b.iter(|| {
            let mut win = WinRateTally::new(period, Currency::USD);
            for _ in 0..PASSES {
                for deal in black_box(&deals) {
                    win.push(deal).expect("valid deal");
                }
            }
            black_box(win.finish())
        });
    });
    group.bench_function("cycle_only_10m", |b| {
        b.iter(|| {
            let mut t = SalesCycleTally::new(period, utc);
            for _ in 0..PASSES {
                for deal in black_box(&deals) {
                    t.push(deal).expect("valid deal");
                }
            }
            black_box(t.finish())
        });
    });
    group.bench_function("velocity_only_10m", |b| {
        b.iter(|| {
            let mut t = VelocityTally::new(period, as_of, Currency::USD);
            for _ in 0..PASSES {
                for deal in black_box(&deals) {
                    t.push(deal).expect("valid deal");
                }
            }
            black_box(t.finish())
        });
    });
    group.finish();
}

criterion_group!(benches, tally);
criterion_main!(benches);
