//! Funnel throughput: scoring plus a ten-rule qualification over one million testkit leads,
//! and appending validated stage changes to a history.
#![allow(missing_docs)] // criterion_group! generates an undocumented pub fn
#![allow(clippy::expect_used)] // a bench fails loudly on a broken fixture

use std::borrow::Cow;
use std::hint::black_box;

use chrono::TimeDelta;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use revops::StageId;
use revops::funnel::{Funnel, LeadFacts, StageChange, StageHistory};
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

fn scoring_and_qualification(c: &mut Criterion) {
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
    assert_eq!(rules.rules().len(), 10);

    let mut group = c.benchmark_group("funnel");
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

fn stage_append(c: &mut Criterion) {
    let funnel = Funnel::demand_waterfall();
    let start = Company::sample().year_start();
    let hour = TimeDelta::try_hours(1).expect("an hour");
    let stages: Vec<StageId> =
        ["inquiry", "mql", "sal", "sql", "won"].iter().map(|s| StageId::new(*s).expect("valid id")).collect();
    let mut group = c.benchmark_group("funnel");
    group.throughput(Throughput::Elements(stages.len() as u64));
    group.bench_function("append_5_validated_stage_changes", |b| {
        b.iter(|| {
            let mut history = StageHistory::new();
            let mut at = start;
            for stage in &stages {
                at += hour;
                let t = history.apply(&funnel, StageChange::automatic(stage.clone(), at)).expect("valid move");
                black_box(t.is_applied());
            }
            black_box(history)
        });
    });
    group.finish();
}

criterion_group!(benches, scoring_and_qualification, stage_append);
criterion_main!(benches);
