//! Response-SLA evaluation throughput on the sample company's calendar.
//!
//! One million testkit leads; the response instances (MQL to first sales touch) are built
//! outside the timed loop, then evaluated against one calendar on one core.
#![allow(missing_docs)] // criterion_group! generates an undocumented pub fn
#![allow(clippy::expect_used)] // a bench fails loudly on a broken fixture

use std::hint::black_box;

use chrono::{TimeDelta, TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use revops::Probability;
use revops::calendar::{BusinessCalendar, BusinessClock, BusinessSpan, CalendarException};
use revops::sla::{ClockStart, ResponsePolicy, SlaInstance, SlaStatus};
use revops::testkit::Company;

fn evaluation(c: &mut Criterion) {
    let company = Company::new(42, 1_000_000).expect("valid size");
    let calendar = company.sla_calendar().expect("calendar");
    let timeline = company.sla_timeline().expect("timeline");
    let policy = ResponsePolicy::new("mql_follow_up", ClockStart::Mql, BusinessSpan::hours(4))
        .and_then(|p| p.with_at_risk(Probability::from_percent(75)?))
        .expect("policy");
    let instances: Vec<SlaInstance> = company
        .leads()
        .filter_map(|l| policy.instance(&Company::sla_milestones(&l).expect("facts in order")))
        .collect();
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

/// The exceptions cliff of issue 12: 20,000 exceptions (one a day, alternating open and closed)
/// and business time over 55 years (about 20,000 local dates). Exceptions are looked up by
/// binary search per date; a scan of every exception per date took seconds here.
fn exceptions(c: &mut Criterion) {
    let base = Utc.with_ymd_and_hms(1990, 1, 1, 0, 0, 0).single().expect("valid instant");
    let hour = |h: i64| TimeDelta::try_hours(h).expect("small");
    let mut builder = BusinessCalendar::builder("America/New_York").weekdays("09:00-17:00".parse().expect("window"));
    for i in 0..20_000i64 {
        let start = base + hour(i * 24 + (i % 7) * 3);
        let exception = if i % 2 == 0 {
            CalendarException::open(start, start + hour(2))
        } else {
            CalendarException::closed(start, start + hour(2))
        };
        builder = builder.exception(exception.expect("valid exception"));
    }
    let calendar = builder.build().expect("calendar");
    let end = Utc.with_ymd_and_hms(2045, 1, 1, 0, 0, 0).single().expect("valid instant");
    let mut group = c.benchmark_group("calendar_exceptions");
    group.sample_size(10);
    group.bench_function("between_55_years_20k_exceptions", |b| {
        b.iter(|| black_box(calendar.between(black_box(base), end).expect("in range")));
    });
    group.finish();
}

criterion_group!(benches, evaluation, exceptions);
criterion_main!(benches);
