//! Attribution throughput on testkit data: one million journeys (about 4.5 touches each, twelve
//! channels) in the columnar form, and the row API over sample-company journeys.
//!
//! `cargo bench --bench attribution -- --warm-up-time 1 --measurement-time 5`
#![allow(missing_docs)] // criterion_group! generates an undocumented pub fn
#![allow(clippy::expect_used)] // a bench fails loudly on a broken fixture

use std::hint::black_box;

use chrono::TimeDelta;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use revops::attribution::{Breakdown, Model, Totals};
use revops::facts::{Conversion, Journey};
use revops::testkit::Company;
use revops::{Currency, Money};

fn columnar(c: &mut Criterion) {
    let batch = Company::sample().attribution_batch(1_000_000, 1_000).expect("batch");
    let mut group = c.benchmark_group("attribution_columnar_1m");
    group.throughput(Throughput::Elements(batch.touches() as u64));
    group.sample_size(10);
    let half_life = TimeDelta::try_days(7).expect("7 days");
    let models = [
        ("linear", Model::linear()),
        ("w_shaped", Model::w_shaped()),
        ("first_touch", Model::first_touch()),
        ("position_based", Model::position_based()),
        ("full_path", Model::full_path()),
        ("time_decay", Model::time_decay(half_life).expect("half-life")),
    ];
    for (name, model) in models {
        group.bench_function(name, |b| {
            b.iter(|| batch.channel_totals_serial(black_box(&model)).expect("totals"));
        });
    }
    #[cfg(feature = "rayon")]
    group.bench_function("w_shaped_rayon", |b| {
        b.iter(|| batch.channel_totals(black_box(&Model::w_shaped())).expect("totals"));
    });
    group.finish();
}

/// Sample-company journeys, every one made to convert (a day after its last touch for $1,000
/// when the lead did not win), so every touch is credited.
fn row_journeys(leads: usize) -> Vec<Journey> {
    let company = Company::new(11, leads).expect("valid size");
    company
        .leads()
        .map(|lead| {
            let mut j = lead.journey();
            if j.conversion.is_none() {
                let last = j.touches.last().map(|t| t.at).expect("every lead has a touch");
                let at = last + TimeDelta::try_days(1).expect("a day");
                j.conversion = Some(Conversion { at, value: Money::from_minor(100_000, Currency::USD) });
            }
            j
        })
        .collect()
}

fn row(c: &mut Criterion) {
    let journeys = row_journeys(200_000);
    let touches: usize = journeys.iter().map(|j| j.touches.len()).sum();
    let mut group = c.benchmark_group("attribution_row_200k");
    group.throughput(Throughput::Elements(touches as u64));
    group.sample_size(10);
    for (name, model) in [("linear", Model::linear()), ("w_shaped", Model::w_shaped())] {
        group.bench_function(format!("totals_{name}"), |b| {
            b.iter(|| {
                let mut totals = Totals::new(black_box(model.clone()));
                for j in &journeys {
                    totals.push(j).expect("valid journey");
                }
                totals.finish().expect("report")
            });
        });
        group.bench_function(format!("totals_all_breakdowns_{name}"), |b| {
            b.iter(|| {
                let mut totals = Totals::with_breakdown(black_box(model.clone()), Breakdown::ALL);
                for j in &journeys {
                    totals.push(j).expect("valid journey");
                }
                totals.finish().expect("report")
            });
        });
        group.bench_function(format!("credits_{name}"), |b| {
            b.iter(|| {
                let mut n = 0usize;
                for j in &journeys {
                    n += model.attribute(black_box(j)).expect("valid").map_or(0, |a| a.credits.len());
                }
                n
            });
        });
    }
    group.finish();
}

criterion_group!(benches, columnar, row);
criterion_main!(benches);
