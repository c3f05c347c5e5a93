//! Retention: monthly MRR snapshots ([`RecurringRevenue`]) pushed into a [`RetentionTally`],
//! then finish (NRR, GRR, churn by cohort and tier, cohort curves).
//!
//! The customers and their MRR come from the testkit's generator ([`SampleRng`], one stream
//! per customer, a pure function of the seed and the customer's index): each customer starts
//! in a month of 2023 or 2024 at $500 to $20,000 a month, then [`MrrWalk`] (the walk of the
//! sample company's recurring revenue) moves it each month: expands (1 in 20, by a fifth),
//! contracts (1 in 30, by a fifth), churns to zero (1 in 40) or, once churned, comes back at
//! its last paying MRR (1 in 10); one snapshot per customer and month up to the company's
//! as-of instant (2025-04-01), as a billing export gives them. Every fact's account id is its own
//! (as when each row is read from a file). Push: 1,000,000 distinct facts pushed ten times per
//! iteration (10,000,000 facts), in two orders: by customer (an export sorted by account: the
//! tally's last-account fast path) and by month (a snapshot per month: every fact looks its
//! account up); and the same from a cache-sized slice. Finish: a tally of the one million
//! distinct facts (finish refuses two facts of one account at one instant, so it is timed on
//! one pass). Push runs on wall-clock time and on the thread's own CPU time
//! (`support/thread_cpu.rs`), as `benches/funnel.rs` does: the machine is shared.
#![allow(missing_docs)] // criterion_group! generates an undocumented pub fn
#![allow(clippy::expect_used)] // a bench fails loudly on a broken fixture

#[path = "support/thread_cpu.rs"]
mod thread_cpu;

use std::collections::{BTreeMap, BTreeSet};
use std::hint::black_box;
use std::sync::OnceLock;

use chrono::{DateTime, Months, TimeZone, Utc};
use criterion::measurement::Measurement;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use revops::calendar::Zone;
use revops::facts::RecurringRevenue;
use revops::metrics::{Bucket, RetentionTally, RetentionTerms};
use revops::testkit::{Company, MrrWalk, SampleRng};
use revops::{AccountId, Currency, Money, Tally};
use thread_cpu::ThreadCpuTime;

const DISTINCT: usize = 1_000_000;
const PASSES: u64 = 10;
/// The testkit stream of the bench's customers (any number not used by the company).
const STREAM: u64 = 0x7265_7465_6e74;

/// Monthly snapshots of customers `0..`, by customer, until `n` facts: each customer's start
/// month and MRR drawn here, its history walked by the testkit's [`MrrWalk`] (the generator of
/// the sample company's recurring revenue) from the same stream.
fn snapshots(company: &Company, n: usize) -> Vec<RecurringRevenue> {
    let first = Utc.with_ymd_and_hms(2023, 1, 1, 0, 0, 0).single().expect("valid instant");
    let month = |k: u32| first.checked_add_months(Months::new(k)).expect("in range");
    let last: DateTime<Utc> = company.as_of();
    let mut out = Vec::with_capacity(n);
    for customer in 0u64.. {
        if out.len() == n {
            break;
        }
        let mut rng = SampleRng::for_record(company.seed(), STREAM, customer);
        let start = u32::try_from(rng.below(24)).expect("small");
        let base = [500, 1_000, 2_500, 5_000].get(rng.index(4)).copied().expect("in range");
        let mrr: i64 = base * (1 + i64::try_from(rng.below(4)).expect("small")) * 100;
        let id = AccountId::new(format!("C{customer:07}")).expect("valid id");
        let walk = MrrWalk::new(rng, id, month(start), Money::from_minor(mrr, Currency::USD), last).expect("valid MRR");
        out.extend(walk.take(n - out.len()));
    }
    out
}

struct Fixture {
    terms: RetentionTerms,
    tiers: BTreeMap<AccountId, String>,
    by_customer: Vec<RecurringRevenue>,
    by_month: Vec<RecurringRevenue>,
    hot_customer: Vec<RecurringRevenue>,
    hot_month: Vec<RecurringRevenue>,
}

/// The facts, built once for both measurements.
fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let company = Company::new(7, 10_000).expect("valid size");
        let by_customer = snapshots(&company, DISTINCT);
        let mut by_month = by_customer.clone();
        by_month.sort_by_key(|f| f.at); // stable: customers in order within a month
        let at = |y, m| Utc.with_ymd_and_hms(y, m, 1, 0, 0, 0).single().expect("valid instant");
        let terms = RetentionTerms::new(at(2024, 4), at(2025, 4), company.as_of(), Bucket::Quarter, Zone::UTC)
            .expect("valid terms");
        // Two customers in three with an ICP tier (A or B), the rest none.
        let customers: BTreeSet<AccountId> = by_customer.iter().map(|f| f.account.clone()).collect();
        let tiers = customers
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % 3 != 2)
            .map(|(i, a)| (a, if i % 3 == 0 { "A" } else { "B" }.to_owned()))
            .collect();
        // The first 4,000 facts (whole customers), small enough for the caches.
        let hot_customer = by_customer.get(..4_000).expect("enough facts").to_vec();
        let mut hot_month = hot_customer.clone();
        hot_month.sort_by_key(|f| f.at);
        Fixture { terms, tiers, by_customer, by_month, hot_customer, hot_month }
    })
}

impl Fixture {
    fn fresh(&self) -> RetentionTally {
        RetentionTally::new(self.terms, Currency::USD, self.tiers.clone())
    }
}

fn push<M: Measurement + 'static>(c: &mut Criterion<M>, name: &str) {
    let f = fixture();
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    // From memory (one million distinct facts), then from the cache-sized run pushed 2,500
    // times.
    for (name, facts, passes) in [
        ("by_customer_10m", &f.by_customer[..], PASSES),
        ("by_month_10m", &f.by_month[..], PASSES),
        ("by_customer_10m_cached", &f.hot_customer[..], 2_500),
        ("by_month_10m_cached", &f.hot_month[..], 2_500),
    ] {
        group.throughput(Throughput::Elements(facts.len() as u64 * passes));
        group.bench_function(format!("push_{name}"), |b| {
            b.iter(|| {
                let mut tally = f.fresh();
                for _ in 0..passes {
                    for fact in black_box(facts) {
                        tally.push(fact).expect("valid fact");
                    }
                }
                black_box(tally)
            });
        });
    }
    group.finish();
}

fn finish(c: &mut Criterion) {
    let f = fixture();
    let mut whole = f.fresh();
    for fact in &f.by_customer {
        whole.push(fact).expect("valid fact");
    }
    let mut group = c.benchmark_group("retention");
    group.sample_size(10);
    group.throughput(Throughput::Elements(DISTINCT as u64));
    group.bench_function("finish_1m", |b| {
        b.iter_batched(|| whole.clone(), |t| black_box(t.finish().expect("in range")), BatchSize::LargeInput);
    });
    group.finish();
}

fn wall(c: &mut Criterion) {
    push(c, "retention");
    finish(c);
}

fn cpu(c: &mut Criterion<ThreadCpuTime>) {
    push(c, "retention_cpu_time");
}

criterion_group!(benches, wall);
criterion_group! {
    name = cpu_benches;
    config = Criterion::default().with_measurement(ThreadCpuTime);
    targets = cpu
}
criterion_main!(benches, cpu_benches);
