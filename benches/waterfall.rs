//! The funnel waterfall: one million testkit leads as [`WaterfallRecord`]s pushed into a
//! [`WaterfallTally`] grouped by lead source, then merge and finish.
//!
//! Each record is a lead of the sample company (`Company::lead`): its stage history under
//! `Funnel::demand_waterfall` (`Company::funnel_history`), its source channel as the group
//! (twelve groups), its creation instant, its open opportunity's expected close date and its
//! leak reason (the rejection's, or the lost deal's). Built once outside the timed loop. Push:
//! one million distinct records pushed ten times per iteration (10,000,000 records), and the
//! same from a cache-sized slice. Merge: two tallies of half a million records each. Finish: a
//! tally of one million records to its `Waterfall` (sorting the kept visit durations and
//! cycles for the percentiles). One record is one fact: one lead with its whole history.
//! Push runs twice: on wall-clock time and on the thread's own CPU time (`support/thread_cpu.rs`),
//! as `benches/funnel.rs` does, since the target is "on one core" and the machine is shared.
#![allow(missing_docs)] // criterion_group! generates an undocumented pub fn
#![allow(clippy::expect_used)] // a bench fails loudly on a broken fixture

#[path = "support/thread_cpu.rs"]
mod thread_cpu;

use std::hint::black_box;
use std::sync::OnceLock;

use criterion::measurement::Measurement;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use revops::facts::{DealStatus, DispositionOutcome};
use revops::funnel::{Funnel, Reach};
use revops::metrics::{WaterfallDefinition, WaterfallRecord, WaterfallTally};
use revops::testkit::Company;
use revops::{ChannelId, Period, Tally};
use thread_cpu::ThreadCpuTime;

const DISTINCT: usize = 1_000_000;
const PASSES: u64 = 10;

fn records(company: &Company, funnel: &Funnel) -> Vec<WaterfallRecord<ChannelId>> {
    company
        .leads()
        .map(|lead| {
            let history = company.funnel_history(funnel, &lead).expect("waterfall stages");
            let mut record = WaterfallRecord::new(lead.source.clone(), history).created_at(lead.created_at);
            if let Some(o) = lead.opportunity.as_ref().filter(|o| o.closed_at.is_none()) {
                record = record.closing_on(o.close_date);
            }
            let rejected = company.funnel_disposition(&lead).and_then(|d| match d.outcome {
                DispositionOutcome::Rejected { reason } | DispositionOutcome::Recycled { reason } => Some(reason),
                DispositionOutcome::Accepted => None,
            });
            let lost = lead.deal_fact().and_then(|d| match d.status {
                DealStatus::Lost { reason } => Some(reason),
                _ => None,
            });
            match rejected.or(lost) {
                Some(reason) => record.with_reason(reason),
                None => record,
            }
        })
        .collect()
}

struct Fixture {
    funnel: Funnel,
    definition: WaterfallDefinition,
    all: Vec<WaterfallRecord<ChannelId>>,
    hot: Vec<WaterfallRecord<ChannelId>>,
}

/// The records, built once for both measurements.
fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let company = Company::new(7, DISTINCT).expect("valid size");
        let funnel = Funnel::demand_waterfall();
        let all = records(&company, &funnel);
        // Cohort: entries from the year start to the company's as-of instant, read then.
        let period = Period::new(company.year_start(), company.as_of()).expect("valid period");
        let definition = WaterfallDefinition::new(period, company.as_of(), Reach::OrBeyond).expect("valid definition");
        // Every 251st record (coprime with the generator's cycles, so the same mix): about
        // 4,000 records, small enough for the caches.
        let hot = all.iter().step_by(251).cloned().collect();
        Fixture { funnel, definition, all, hot }
    })
}

impl Fixture {
    fn fresh(&self) -> WaterfallTally<ChannelId> {
        WaterfallTally::new(self.funnel.clone(), self.definition.clone())
    }

    fn tally_of(&self, records: &[WaterfallRecord<ChannelId>]) -> WaterfallTally<ChannelId> {
        let mut t = self.fresh();
        for record in records {
            t.push(record).expect("valid record");
        }
        t
    }
}

fn push<M: Measurement + 'static>(c: &mut Criterion<M>, name: &str) {
    let f = fixture();
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    // From memory (one million distinct records, each with its own history on the heap), then
    // from the cache-sized slice pushed 2,500 times.
    for (name, records, passes) in [("10m", &f.all[..], PASSES), ("10m_cached", &f.hot[..], 2_500)] {
        group.throughput(Throughput::Elements(records.len() as u64 * passes));
        group.bench_function(format!("push_{name}"), |b| {
            b.iter(|| {
                let mut tally = f.fresh();
                for _ in 0..passes {
                    for record in black_box(records) {
                        tally.push(record).expect("valid record");
                    }
                }
                black_box(tally)
            });
        });
    }
    group.finish();
}

fn merge_and_finish(c: &mut Criterion) {
    let f = fixture();
    let mut group = c.benchmark_group("waterfall");
    group.sample_size(10);
    let (left, right) = f.all.split_at(DISTINCT / 2);
    let (a, b) = (f.tally_of(left), f.tally_of(right));
    group.throughput(Throughput::Elements(DISTINCT as u64));
    group.bench_function("merge_2x500k", |bench| {
        bench.iter_batched(
            || (a.clone(), b.clone()),
            |(mut a, b)| {
                a.merge(b).expect("same definition");
                black_box(a)
            },
            BatchSize::LargeInput,
        );
    });
    let whole = f.tally_of(&f.all);
    group.bench_function("finish_1m", |bench| {
        bench.iter_batched(|| whole.clone(), |t| black_box(t.finish().expect("in range")), BatchSize::LargeInput);
    });
    group.finish();
}

fn wall(c: &mut Criterion) {
    push(c, "waterfall");
    merge_and_finish(c);
}

fn cpu(c: &mut Criterion<ThreadCpuTime>) {
    push(c, "waterfall_cpu_time");
}

criterion_group!(benches, wall);
criterion_group! {
    name = cpu_benches;
    config = Criterion::default().with_measurement(ThreadCpuTime);
    targets = cpu
}
criterion_main!(benches, cpu_benches);
