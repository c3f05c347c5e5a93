//! Response-SLA evaluation throughput on the sample company's calendar.
//!
//! One million testkit leads; the response instances (MQL to first sales touch) are built
//! outside the timed loop, then evaluated against one calendar on one core.
#![allow(missing_docs)] // criterion_group! generates an undocumented pub fn
#![allow(clippy::expect_used)] // a bench fails loudly on a broken fixture

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use revops::Probability;
use revops::calendar::BusinessSpan;
use revops::sla::{ClockStart, ResponsePolicy, SlaInstance, SlaStatus};
use revops::testkit::Company;
use rust_decimal::Decimal;

fn evaluation(c: &mut Criterion) {
    let company = Company::new(42, 1_000_000).expect("valid size");
    let instances: Vec<SlaInstance> = company.leads().filter_map(|l| Company::response_instance(&l)).collect();
    let calendar = company.sla_calendar().expect("calendar");
    let timeline = company.sla_timeline().expect("timeline");
    let policy = ResponsePolicy::new("mql_follow_up", ClockStart::Mql, BusinessSpan::hours(4))
        .and_then(|p| p.with_at_risk(Probability::from_percent(Decimal::from(75))?))
        .expect("policy");
    let as_of = company.as_of();

    let mut group = c.benchmark_group("response_sla");
    group.throughput(Throughput::Elements(instances.len() as u64));
    group.sample_size(10);
    group.bench_function("timeline_1m_leads", |b| {
        b.iter(|| {
            let mut met = 0u64;
            for instance in &instances {
                let outcome = policy.evaluate(&timeline, black_box(instance), as_of).expect("valid");
                met += u64::from(outcome.status == SlaStatus::Met);
            }
            black_box(met)
        });
    });
    group.finish();

    // The per-date walk of the calendar itself, on a slice, for comparison.
    let slice = instances.get(..instances.len().min(20_000)).unwrap_or_default();
    let mut group = c.benchmark_group("response_sla_calendar_walk");
    group.throughput(Throughput::Elements(slice.len() as u64));
    group.sample_size(10);
    group.bench_function("calendar_20k", |b| {
        b.iter(|| {
            for instance in slice {
                black_box(policy.evaluate(&calendar, black_box(instance), as_of).expect("valid"));
            }
        });
    });
    group.finish();
}

criterion_group!(benches, evaluation);
criterion_main!(benches);
