//! Experiment statistics: `compare` (Wilson intervals, Newcombe difference, z test, verdict)
//! and `compare_all` with Holm's correction, per comparison (issue 16 target: at least 1M
//! comparisons per second on one core).
#![allow(missing_docs)] // criterion_group! generates an undocumented pub fn
#![allow(clippy::expect_used)] // a bench fails loudly on a broken fixture

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use revops::experiment::{Correction, compare, compare_all};
use revops::{Probability, Ratio};

/// 1,024 deterministic (control, variant) rate pairs: trials 1..100,000, rates 0..100%.
fn pairs() -> Vec<(Ratio, Ratio)> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |bound: u64| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % bound
    };
    (0..1024)
        .map(|_| {
            let (na, nb) = (1 + next(100_000), 1 + next(100_000));
            (Ratio::new(next(na + 1), na), Ratio::new(next(nb + 1), nb))
        })
        .collect()
}

fn experiment(c: &mut Criterion) {
    let pairs = pairs();
    let level = Probability::from_percent(95).expect("95%");
    let mut group = c.benchmark_group("experiment");
    group.throughput(Throughput::Elements(pairs.len() as u64));
    group.bench_function("compare_1024_pairs", |b| {
        b.iter(|| {
            for (a, v) in &pairs {
                black_box(compare(black_box(*a), black_box(*v), level).expect("valid"));
            }
        });
    });
    let variants: Vec<Ratio> = pairs.iter().map(|p| p.1).collect();
    let control = pairs.first().expect("pairs").0;
    group.bench_function("compare_all_1024_variants_holm", |b| {
        b.iter(|| black_box(compare_all(control, black_box(&variants), level, Correction::Holm).expect("valid")));
    });
    group.finish();
}

criterion_group!(benches, experiment);
criterion_main!(benches);
