//! Allocation throughput: parts per second on the exact `Decimal` path and the integer path.
#![allow(missing_docs)] // criterion_group! generates an undocumented pub fn
#![allow(clippy::expect_used)] // a bench fails loudly on a broken fixture

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use revops::money::MinorAllocator;
use revops::testkit::Company;
use revops::{Currency, Money};
use rust_decimal::Decimal;

/// Deal amounts and W-shaped-like weight lists from the sample company's won and open deals.
fn workload() -> (Vec<Money>, Vec<Vec<u64>>) {
    let company = Company::new(7, 20_000).expect("valid size");
    let mut amounts = Vec::new();
    let mut weights = Vec::new();
    for lead in company.leads() {
        let n = lead.touches.len();
        // 30% to the first, last and lead-creation touches, 10% over the rest (in tenths of %).
        let w: Vec<u64> =
            (0..n).map(|i| if i == 0 || i + 1 == n || i == lead.lead_creation_touch { 300 } else { 10 }).collect();
        let amount = lead.opportunity.map_or(Money::from_minor(123_456, Currency::USD), |o| o.amount);
        amounts.push(amount);
        weights.push(w);
    }
    (amounts, weights)
}

fn allocation(c: &mut Criterion) {
    let (amounts, weights) = workload();
    let parts: u64 = weights.iter().map(|w| w.len() as u64).sum();
    let decimal_weights: Vec<Vec<Decimal>> =
        weights.iter().map(|w| w.iter().map(|&x| Decimal::from(x)).collect()).collect();
    let minor: Vec<i64> = amounts.iter().map(|m| m.to_minor().expect("cents")).collect();

    let mut group = c.benchmark_group("allocate");
    group.throughput(Throughput::Elements(parts));
    group.bench_function("decimal_exact", |b| {
        b.iter(|| {
            for (amount, w) in amounts.iter().zip(&decimal_weights) {
                black_box(amount.allocate(black_box(w)).expect("valid"));
            }
        });
    });
    group.bench_function("integer_minor_units", |b| {
        let mut allocator = MinorAllocator::new();
        let mut out = Vec::new();
        b.iter(|| {
            for (&total, w) in minor.iter().zip(&weights) {
                allocator.allocate_into(black_box(total), black_box(w), &mut out).expect("valid");
                black_box(&out);
            }
        });
    });
    group.finish();
}

criterion_group!(benches, allocation);
criterion_main!(benches);
