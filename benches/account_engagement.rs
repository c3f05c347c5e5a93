//! Account engagement: contacts' activities ([`EngagementActivity`]) pushed into an
//! [`AccountEngagementTally`], then finish and the MQA rule per account; and the intent score
//! as of an instant ([`IntentSignal::score_as_of`]) over each account's intent signals.
//!
//! The activities are the touches of the sample company's leads (`Company::lead`): each touch
//! is an activity of the lead's account by its contact, its kind the touch's channel (twelve
//! kinds), in lead order (one lead's touches together, as the generator streams them). The
//! model is the sample scoring model's three engagement groups (events, content, sales) with
//! their caps, a contact cap of 30 and a total cap of 100, under linear decay over a year
//! (integer arithmetic) or a 30-day half-life (a float factor per activity), as of the
//! company's as-of instant. Push: 1,000,000 distinct activities pushed ten times per iteration
//! (10,000,000 facts), and the same from a cache-sized slice; finish: a tally of the one
//! million distinct activities.
//!
//! The intent signals come from the testkit's generator ([`SampleRng`]): sixteen observations
//! per account (a topic of six, a score from 0 to 100, an instant over the company's fifteen
//! months), each with its own account id (as read from an export); 62,500 accounts, 1,000,000
//! signals. `score_as_of` is called once per account on that account's signals (over all
//! topics, and on one topic), 30-day freshness. Push and `score_as_of` run on wall-clock time
//! and on the thread's own CPU time (`support/thread_cpu.rs`), as `benches/funnel.rs` does:
//! the machine is shared.
#![allow(missing_docs)] // criterion_group! generates an undocumented pub fn
#![allow(clippy::expect_used)] // a bench fails loudly on a broken fixture

#[path = "support/thread_cpu.rs"]
mod thread_cpu;

use std::hint::black_box;
use std::sync::OnceLock;

use chrono::{DateTime, TimeDelta, Utc};
use criterion::measurement::Measurement;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use revops::facts::IntentSignal;
use revops::funnel::Points;
use revops::icp::{
    AccountEngagementModel, AccountEngagementTally, EngagementActivity, EngagementDecay, EngagementGroup, MqaRule,
    MqaThreshold,
};
use revops::testkit::{Company, SampleRng};
use revops::{AccountId, Tally};
use thread_cpu::ThreadCpuTime;

const DISTINCT: usize = 1_000_000;
const PASSES: u64 = 10;
const SIGNALS_PER_ACCOUNT: usize = 16;
/// The testkit stream of the bench's intent signals (any number not used by the company).
const STREAM: u64 = 0x696e_7465_6e74;
const TOPICS: [&str; 6] = ["crm", "revenue_operations", "billing", "data_warehouse", "sales_engagement", "cpq"];

fn activities(company: &Company) -> Vec<EngagementActivity> {
    let mut out = Vec::with_capacity(DISTINCT);
    for lead in company.leads() {
        for touch in &lead.touches {
            if out.len() == DISTINCT {
                return out;
            }
            let contact = Some(touch.contact.clone());
            out.push(
                EngagementActivity::new(lead.account.clone(), contact, touch.channel.as_str(), touch.at)
                    .expect("valid kind"),
            );
        }
    }
    out
}

fn model(decay: EngagementDecay) -> AccountEngagementModel {
    let groups = vec![
        EngagementGroup::new("events", [("webinar", 15), ("events", 20)]).with_cap(40),
        EngagementGroup::new(
            "content",
            [
                ("content", 8),
                ("organic", 4),
                ("email", 3),
                ("direct", 4),
                ("paid_search", 4),
                ("paid_social", 2),
                ("display", 1),
            ],
        )
        .with_cap(30),
        EngagementGroup::new("sales", [("referral", 20), ("partner", 15), ("sdr_outbound", 10)]).with_cap(40),
    ];
    AccountEngagementModel::new(groups, decay)
        .and_then(|m| m.with_contact_cap(Some(30)))
        .and_then(|m| m.with_total_cap(Some(100)))
        .expect("valid model")
}

/// Sixteen intent signals per account, by account.
fn signals(company: &Company, accounts: u64) -> Vec<IntentSignal> {
    let start = company.year_start();
    let span = u64::try_from((company.as_of() - start).num_seconds()).expect("positive");
    let mut out = Vec::new();
    for a in 0..accounts {
        let mut rng = SampleRng::for_record(company.seed(), STREAM, a);
        for _ in 0..SIGNALS_PER_ACCOUNT {
            let topic = TOPICS.get(rng.index(TOPICS.len())).copied().expect("in range");
            let score = u8::try_from(rng.below(101)).expect("small");
            let at = start + TimeDelta::seconds(i64::try_from(rng.below(span)).expect("fits"));
            let id = AccountId::new(format!("A{a:07}")).expect("valid id");
            out.push(IntentSignal::new(id, topic, score, at).expect("valid signal"));
        }
    }
    out
}

struct Fixture {
    as_of: DateTime<Utc>,
    linear: AccountEngagementModel,
    half_life: AccountEngagementModel,
    all: Vec<EngagementActivity>,
    hot: Vec<EngagementActivity>,
    intent: Vec<IntentSignal>,
}

/// The facts, built once for both measurements.
fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let company = Company::new(7, 400_000).expect("valid size");
        let all = activities(&company);
        assert_eq!(all.len(), DISTINCT);
        // The first 4,000 activities (whole leads, lead order kept), small enough for the caches.
        let hot = all.get(..4_000).expect("enough activities").to_vec();
        let intent = signals(&company, (DISTINCT / SIGNALS_PER_ACCOUNT) as u64);
        Fixture {
            as_of: company.as_of(),
            linear: model(EngagementDecay::Linear { lifespan_days: 365 }),
            half_life: model(EngagementDecay::HalfLife { days: 30 }),
            all,
            hot,
            intent,
        }
    })
}

fn push<M: Measurement + 'static>(c: &mut Criterion<M>, name: &str) {
    let f = fixture();
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    // From memory (one million distinct activities), then from the cache-sized slice pushed
    // 2,500 times.
    for (name, model, facts, passes) in [
        ("linear_10m", &f.linear, &f.all[..], PASSES),
        ("linear_10m_cached", &f.linear, &f.hot[..], 2_500),
        ("half_life_10m", &f.half_life, &f.all[..], PASSES),
    ] {
        group.throughput(Throughput::Elements(facts.len() as u64 * passes));
        group.bench_function(format!("push_{name}"), |b| {
            b.iter(|| {
                let mut tally = AccountEngagementTally::new(model.clone(), f.as_of);
                for _ in 0..passes {
                    for fact in black_box(facts) {
                        tally.push(fact).expect("valid activity");
                    }
                }
                black_box(tally)
            });
        });
    }
    group.finish();
}

fn intent<M: Measurement + 'static>(c: &mut Criterion<M>, name: &str) {
    let f = fixture();
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    group.throughput(Throughput::Elements(f.intent.len() as u64));
    for (name, topic) in [("any_topic_1m", None), ("one_topic_1m", Some("crm"))] {
        group.bench_function(format!("score_as_of_{name}"), |b| {
            b.iter(|| {
                let mut sum = 0u64;
                for signals in black_box(&f.intent).chunks(SIGNALS_PER_ACCOUNT) {
                    let Some(first) = signals.first() else { continue };
                    let score = IntentSignal::score_as_of(signals, &first.account, topic, f.as_of, Some(30));
                    sum += u64::from(score.unwrap_or(0));
                }
                black_box(sum)
            });
        });
    }
    group.finish();
}

fn finish_and_mqa(c: &mut Criterion) {
    let f = fixture();
    let mut whole = AccountEngagementTally::new(f.linear.clone(), f.as_of);
    for fact in &f.all {
        whole.push(fact).expect("valid activity");
    }
    let mut group = c.benchmark_group("account_engagement");
    group.sample_size(10);
    group.throughput(Throughput::Elements(DISTINCT as u64));
    group.bench_function("finish_1m", |b| {
        b.iter_batched(|| whole.clone(), |t| black_box(t.finish().expect("in range")), BatchSize::LargeInput);
    });

    // The MQA rule once per account of the report (a per-account step, not per fact).
    let report = whole.finish().expect("in range");
    let threshold =
        |points, contacts| MqaThreshold { engagement_at_least: Points::from(points), contacts_at_least: contacts };
    let rule = MqaRule::new("mqa", [("A".to_owned(), threshold(40, 2)), ("B".to_owned(), threshold(60, 3))], Some(60))
        .expect("valid rule");
    let tiers = ["A", "B", "C"];
    group.throughput(Throughput::Elements(report.accounts.len() as u64));
    group.bench_function("mqa_evaluate_per_account", |b| {
        b.iter(|| {
            let mut qualified = 0u64;
            for (i, account) in black_box(&report.accounts).iter().enumerate() {
                let tier = tiers.get(i % tiers.len()).copied();
                let intent = u8::try_from(i % 101).ok();
                qualified += u64::from(rule.evaluate(account, tier, intent, f.as_of).qualified);
            }
            black_box(qualified)
        });
    });
    group.finish();
}

fn wall(c: &mut Criterion) {
    push(c, "account_engagement");
    finish_and_mqa(c);
    intent(c, "intent");
}

fn cpu(c: &mut Criterion<ThreadCpuTime>) {
    push(c, "account_engagement_cpu_time");
    intent(c, "intent_cpu_time");
}

criterion_group!(benches, wall);
criterion_group! {
    name = cpu_benches;
    config = Criterion::default().with_measurement(ThreadCpuTime);
    targets = cpu
}
criterion_main!(benches, cpu_benches);
