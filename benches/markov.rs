//! Data-driven attribution: Markov removal effects (orders 1 to 3) and Shapley values over one
//! million synthetic journeys with twelve channels (`Company::channel_journeys`).
#![allow(missing_docs)] // criterion_group! generates an undocumented pub fn
#![allow(clippy::expect_used, clippy::float_arithmetic)] // a bench fails loudly on a broken fixture

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use revops::attribution::{CoalitionCounts, Game, MarkovModel, PathColumns, exact_shapley};
use revops::testkit::{Company, SampleRng};
use revops::{ChannelId, Currency};

const JOURNEYS: usize = 1_000_000;

fn journeys(n: usize) -> PathColumns {
    Company::sample().channel_journeys(n).expect("valid size")
}

fn markov(c: &mut Criterion) {
    let batch = journeys(JOURNEYS);
    let mut group = c.benchmark_group("markov");
    group.sample_size(10).measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Elements(JOURNEYS as u64));
    for order in [1, 2, 3] {
        let model = MarkovModel::new(order).expect("valid order");
        group.bench_function(format!("order_{order}_count_and_solve_1m_journeys"), |b| {
            b.iter(|| {
                let mut counts = model.counts(Currency::USD);
                counts.push_columns(black_box(&batch)).expect("valid batch");
                counts.finish().expect("solvable")
            });
        });
    }
    // The same journeys aggregated to distinct paths first (the shape ChannelAttribution reads).
    let mut table = revops::attribution::PathTable::new(Currency::USD);
    for p in batch.to_paths() {
        table.push_path(&p).expect("valid path");
    }
    let distinct = table.finish().expect("fits");
    let mut aggregated = PathColumns::new(Currency::USD);
    for p in &distinct {
        let idx: Vec<u32> = p.channels.iter().map(|c| aggregated.intern(c).expect("few channels")).collect();
        aggregated.push(&idx, p.conversions, p.value.to_minor().expect("cents"), p.nulls).expect("valid");
    }
    let model = MarkovModel::new(1).expect("valid order");
    group.bench_function(format!("order_1_count_and_solve_{}_distinct_paths_of_1m", distinct.len()), |b| {
        b.iter(|| {
            let mut counts = model.counts(Currency::USD);
            counts.push_columns(black_box(&aggregated)).expect("valid batch");
            counts.finish().expect("solvable")
        });
    });
    group.finish();
}

fn shapley(c: &mut Criterion) {
    let batch = journeys(JOURNEYS);
    let mut group = c.benchmark_group("shapley");
    group.sample_size(10).measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Elements(JOURNEYS as u64));
    group.bench_function("simplified_tally_and_credit_1m_journeys", |b| {
        b.iter(|| {
            let mut counts = CoalitionCounts::new(Currency::USD);
            counts.push_columns(black_box(&batch)).expect("valid batch");
            counts.simplified().expect("conversions")
        });
    });
    let small = journeys(100_000);
    group.throughput(Throughput::Elements(100_000));
    group.bench_function("exact_conversion_rate_game_12_channels_100k_journeys", |b| {
        b.iter(|| {
            let mut counts = CoalitionCounts::new(Currency::USD);
            counts.push_columns(black_box(&small)).expect("valid batch");
            counts.exact(Game::ConversionRate).expect("efficient")
        });
    });
    // A caller's game over 20 channels: a table of 2^20 random coalition values.
    let channels: Vec<ChannelId> = (0..20).map(|i| ChannelId::new(format!("channel_{i:02}")).expect("valid")).collect();
    let mut rng = SampleRng::new(20);
    let table: Vec<f64> = (0..1u32 << 20).map(|_| rng.unit()).collect();
    group.throughput(Throughput::Elements(1 << 20));
    group.bench_function("exact_20_channels_callers_game", |b| {
        b.iter(|| {
            exact_shapley(black_box(&channels), |s| {
                usize::try_from(s.mask()).ok().and_then(|m| table.get(m)).copied().unwrap_or(0.0)
            })
            .expect("efficient")
        });
    });
    group.finish();
}

criterion_group!(benches, markov, shapley);
criterion_main!(benches);
