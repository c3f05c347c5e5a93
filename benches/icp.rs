//! ICP scoring throughput: one million testkit accounts against the 15-criterion sample ICP,
//! from the columnar batch (the bulk path) and row by row, plus the cost of explanations.
#![allow(missing_docs)] // criterion_group! generates an undocumented pub fn
#![allow(clippy::expect_used)] // a bench fails loudly on a broken fixture

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use revops::facts::Account;
use revops::icp::AccountBatch;
use revops::testkit::Company;
use revops::testkit::icp::sample_icp;

const ACCOUNTS: usize = 1_000_000;

fn scoring(c: &mut Criterion) {
    // 4,000,000 leads give 1,000,000 distinct accounts.
    let company = Company::new(42, 4 * ACCOUNTS).expect("valid size");
    let profiles: Vec<Account> = (0..ACCOUNTS).map(|i| company.account(i).account_fact()).collect();
    let batch: AccountBatch = profiles.iter().collect();
    let icp = sample_icp();
    assert_eq!(icp.criteria().len(), 15);

    let mut group = c.benchmark_group("icp_1m_accounts_15_criteria");
    group.sample_size(10);
    group.throughput(Throughput::Elements(ACCOUNTS as u64));
    group.bench_function("score_batch", |b| {
        b.iter(|| {
            let mut tiers = [0u64; 4];
            icp.score_batch_with(black_box(&batch), |fit| {
                if let Some(t) = fit.tier.and_then(|i| tiers.get_mut(i)) {
                    *t += 1;
                }
            })
            .expect("sample accounts score");
            black_box(tiers)
        });
    });
    group.bench_function("score_rows", |b| {
        b.iter(|| {
            let mut tiers = [0u64; 4];
            for p in &profiles {
                let fit = icp.score(black_box(p)).expect("sample accounts score");
                if let Some(t) = fit.tier.and_then(|i| tiers.get_mut(i)) {
                    *t += 1;
                }
            }
            black_box(tiers)
        });
    });
    group.bench_function("build_batch", |b| {
        b.iter(|| black_box(profiles.iter().collect::<AccountBatch>().len()));
    });
    group.finish();

    let sample = profiles.get(..10_000).expect("enough profiles");
    let mut group = c.benchmark_group("icp_explain");
    group.throughput(Throughput::Elements(sample.len() as u64));
    group.bench_function("score_rows_10k", |b| {
        b.iter(|| {
            let mut points = 0u64;
            for p in sample {
                points += icp.score(black_box(p)).expect("sample accounts score").points;
            }
            black_box(points)
        });
    });
    group.bench_function("score_and_explain_10k", |b| {
        b.iter(|| {
            let mut lines = 0usize;
            for p in sample {
                let fit = icp.score(black_box(p)).expect("sample accounts score");
                lines += fit.explain(&icp).criteria.len();
            }
            black_box(lines)
        });
    });
    group.finish();
}

criterion_group!(benches, scoring);
criterion_main!(benches);
