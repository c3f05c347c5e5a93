//! Data-driven attribution: Markov removal effects (orders 1 to 3) and Shapley values over one
//! million synthetic journeys with twelve channels (`Company::channel_journeys`), and Markov
//! order 1 over many channels (2,000 and 10,000, from a small deterministic generator here:
//! the testkit's company has twelve channels).
#![allow(missing_docs)] // criterion_group! generates an undocumented pub fn
#![allow(clippy::expect_used, clippy::float_arithmetic, clippy::cast_precision_loss)] // a bench fails loudly on a broken fixture; channel ranks as weights

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use revops::attribution::{CoalitionCounts, Game, MarkovModel, PathColumns, exact_shapley};
use revops::testkit::{Company, SampleRng};
use revops::{ChannelId, Currency, Tally};

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

/// `20 * channels` aggregated paths of 1 to 6 touches over `channels` channels whose popularity
/// falls off as `1 / rank` (a few hubs, a long tail, as channel and campaign data tend to look),
/// one in ten converting. Deterministic: the same `channels` give the same paths.
fn many_channel_paths(channels: usize) -> PathColumns {
    let mut rng = SampleRng::new(channels as u64);
    let mut batch = PathColumns::new(Currency::USD);
    let ids: Vec<u32> = (0..channels)
        .map(|i| batch.intern(&ChannelId::new(format!("c{i:05}")).expect("valid")).expect("fits"))
        .collect();
    let mut cumulative = Vec::with_capacity(channels);
    let mut total = 0.0;
    for rank in 1..=channels {
        total += 1.0 / rank as f64;
        cumulative.push(total);
    }
    let mut path = Vec::new();
    for _ in 0..20 * channels {
        path.clear();
        for _ in 0..=rng.below(6) {
            let pick = rng.unit() * total;
            let i = cumulative.partition_point(|&c| c <= pick).min(channels - 1);
            path.push(*ids.get(i).expect("in range"));
        }
        let converts = rng.chance(100);
        batch.push(&path, u64::from(converts), if converts { 10_000 } else { 0 }, u64::from(!converts)).expect("valid");
    }
    batch
}

fn markov_many_channels(c: &mut Criterion) {
    let mut group = c.benchmark_group("markov_many_channels");
    group.sample_size(10).measurement_time(Duration::from_secs(5));
    let model = MarkovModel::new(1).expect("valid order");
    for channels in [2_000, 10_000] {
        let batch = many_channel_paths(channels);
        group.throughput(Throughput::Elements(channels as u64));
        group.bench_function(format!("order_1_count_and_solve_{channels}_channels"), |b| {
            b.iter(|| {
                let mut counts = model.counts(Currency::USD);
                counts.push_columns(black_box(&batch)).expect("valid batch");
                counts.finish().expect("solvable")
            });
        });
    }
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

criterion_group!(benches, markov, markov_many_channels, shapley);
criterion_main!(benches);
