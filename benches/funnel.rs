//! Funnel throughput: scoring plus a ten-rule qualification over one million testkit leads,
//! and appending validated stage changes to a history.
//!
//! The scoring group runs twice: once on wall-clock time (criterion's default) and once on the
//! thread's own CPU time (`/proc/thread-self/schedstat`, Linux), because the target is "on one
//! core" and the bench machine is shared: CPU time does not count the time other processes
//! hold the core. The kernel updates that counter at scheduler ticks (1 to 4 ms), which is
//! precise enough for a pass over a million leads (hundreds of ms) but not for the
//! sub-microsecond append, which is measured on wall time only.
#![allow(missing_docs)] // criterion_group! generates an undocumented pub fn
#![allow(clippy::expect_used)] // a bench fails loudly on a broken fixture

use std::borrow::Cow;
use std::hint::black_box;

use chrono::TimeDelta;
use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use revops::StageId;
use revops::facts::StageChange;
use revops::funnel::{ChangeKind, Funnel, LeadFacts, StageHistory};
use revops::testkit::Company;
use revops::testkit::funnel::{qualification, score_matrix, scoring_model};

const LEADS: usize = 1_000_000;

fn tier_key(label: Option<&str>) -> Option<Cow<'static, str>> {
    match label? {
        "A" => Some(Cow::Borrowed("A")),
        "B" => Some(Cow::Borrowed("B")),
        _ => Some(Cow::Borrowed("C")),
    }
}

/// CPU time of the measuring thread, in nanoseconds (falls back to 0 where unavailable).
struct ThreadCpuTime;

fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

static WALL: WallTime = WallTime;

impl Measurement for ThreadCpuTime {
    type Intermediate = u64;
    type Value = u64;
    fn start(&self) -> u64 {
        thread_cpu_ns()
    }
    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns().saturating_sub(start)
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    #[allow(clippy::cast_precision_loss)] // nanoseconds of a bench run fit an f64 exactly
    fn to_f64(&self, value: &u64) -> f64 {
        *value as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        WALL.formatter() // same unit (nanoseconds) as wall time
    }
}

fn scoring_and_qualification<M: Measurement + 'static>(c: &mut Criterion<M>, name: &str) {
    let company = Company::new(7, LEADS).expect("valid size");
    let as_of = company.as_of();
    let scattered: Vec<LeadFacts> = company.leads().map(|l| company.lead_facts(&l, as_of)).collect();
    // Copy once so each lead's lists sit next to the previous lead's, as they would when
    // loaded from a warehouse, rather than interleaved with the generator's freed scratch.
    let mut facts: Vec<LeadFacts> = scattered.clone();
    drop(scattered);
    let model = scoring_model().expect("valid model");
    let matrix = score_matrix().expect("valid matrix");
    let rules = qualification().expect("valid rules");
    assert_eq!(rules.leaf_count(), 10);

    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    group.throughput(Throughput::Elements(LEADS as u64));
    group.bench_function("score_and_qualify_1m_leads", |b| {
        b.iter(|| {
            let mut qualified = 0u64;
            for f in &mut facts {
                let score = model.score(black_box(f), as_of);
                f.set_score(score);
                f.fit_tier = tier_key(matrix.fit_band(score.fit));
                qualified += u64::from(rules.evaluate(f, as_of).qualified());
            }
            black_box(qualified)
        });
    });
    group.finish();
}

fn stage_append<M: Measurement + 'static>(c: &mut Criterion<M>, name: &str) {
    let funnel = Funnel::demand_waterfall();
    let start = Company::sample().year_start();
    let hour = TimeDelta::try_hours(1).expect("an hour");
    let stages: Vec<StageId> =
        ["inquiry", "mql", "sal", "sql", "won"].iter().map(|s| StageId::new(*s).expect("valid id")).collect();
    let lead = Company::sample().lead(0).id;
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Elements(stages.len() as u64));
    group.bench_function("append_5_validated_stage_changes", |b| {
        b.iter(|| {
            let mut history = StageHistory::new();
            let mut at = start;
            for stage in &stages {
                at += hour;
                let change = StageChange { entity: lead.clone(), stage: stage.clone(), at };
                let t = history.apply(&funnel, change, ChangeKind::Automatic).expect("valid move");
                black_box(t.is_applied());
            }
            black_box(history)
        });
    });
    group.finish();
}

fn wall(c: &mut Criterion) {
    scoring_and_qualification(c, "funnel");
    stage_append(c, "funnel");
}

fn cpu(c: &mut Criterion<ThreadCpuTime>) {
    scoring_and_qualification(c, "funnel_cpu_time");
}

criterion_group!(benches, wall);
criterion_group! {
    name = cpu_benches;
    config = Criterion::default().with_measurement(ThreadCpuTime);
    targets = cpu
}
criterion_main!(benches, cpu_benches);
