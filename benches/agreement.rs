//! `Agreement::evaluate` over the sample company (5,000 leads, every section of the sample
//! agreement), throughput over larger generated companies (50k and 200k leads; 1M leads too
//! with `REVOPS_BENCH_1M=1`), on one core, and loading the sample agreement from TOML and JSON.
//!
//! The facts are generated outside the timed loop; the loop is one `evaluate` (one tally
//! push of the whole fact set, then finish).
#![allow(missing_docs)] // criterion_group! generates an undocumented pub fn
#![allow(clippy::expect_used)] // a bench fails loudly on a broken fixture

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use revops::agreement::Agreement;
use revops::testkit::{Company, sample_agreement};

fn evaluate(c: &mut Criterion) {
    let agreement = sample_agreement().expect("sample agreement");
    let company = Company::sample();
    let facts = company.facts();
    let as_of = company.as_of();

    let mut group = c.benchmark_group("agreement_evaluate");
    group.sample_size(10);
    group.throughput(Throughput::Elements(facts.leads.len() as u64));
    group.bench_function("sample_5000_leads", |b| {
        b.iter(|| black_box(agreement.evaluate(black_box(&facts), as_of).expect("evaluates")));
    });
    group.finish();

    // Larger companies: the generator is the slow part, so the sizes stay practical. The 1M
    // case (issue 13's figure) runs only with `REVOPS_BENCH_1M=1`: generating a million leads
    // takes seconds and several GB, and each sample is seconds long.
    let mut group = c.benchmark_group("agreement_throughput");
    group.sample_size(10);
    let mut sizes = vec![50_000usize, 200_000];
    if std::env::var_os("REVOPS_BENCH_1M").is_some_and(|v| v == "1") {
        sizes.push(1_000_000);
    }
    for leads in sizes {
        let company = Company::new(7, leads).expect("valid size");
        let facts = company.facts();
        let as_of = company.as_of();
        group.throughput(Throughput::Elements(leads as u64));
        group.bench_function(format!("{leads}_leads"), |b| {
            b.iter(|| black_box(agreement.evaluate(black_box(&facts), as_of).expect("evaluates")));
        });
    }
    group.finish();
}

/// Loading and validating the sample agreement from its TOML file and from JSON (every
/// cross-part check runs on deserialize).
fn load(c: &mut Criterion) {
    let toml_text = include_str!("../examples/agreements/sample.toml");
    let agreement: Agreement = toml::from_str(toml_text).expect("sample.toml loads");
    let json_text = serde_json::to_string(&agreement).expect("serializes");
    let mut group = c.benchmark_group("agreement_load");
    group.bench_function("sample_toml", |b| {
        b.iter(|| black_box(toml::from_str::<Agreement>(black_box(toml_text)).expect("loads")));
    });
    group.bench_function("sample_json", |b| {
        b.iter(|| black_box(serde_json::from_str::<Agreement>(black_box(&json_text)).expect("loads")));
    });
    group.finish();
}

criterion_group!(benches, load, evaluate);
criterion_main!(benches);
