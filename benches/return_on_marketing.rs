//! Return on marketing: spend lines pushed into a [`ReturnOnMarketingTally`] of two models.
//!
//! 1,000,000 distinct spend lines over eight channels (one line in eight on no channel) and
//! six campaigns (one in seven on none), one in twenty outside the period, amounts at the
//! currency's scale; pushed ten times per iteration (10,000,000 facts), and the same from a
//! cache-sized slice. The revenue side (one attribution report per model) is pushed once per
//! model and period, not per fact: its cost is the attribution engine's, benched in
//! `attribution`.
#![allow(missing_docs)] // criterion_group! generates an undocumented pub fn
#![allow(clippy::expect_used)] // a bench fails loudly on a broken fixture

use std::hint::black_box;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use revops::facts::{Spend, SpendKind};
use revops::metrics::ReturnOnMarketingTally;
use revops::{CampaignId, ChannelId, Currency, Money, Period, Tally};

const DISTINCT: usize = 1_000_000;
const PASSES: u64 = 10;

fn lines(n: usize) -> Vec<Spend> {
    let at = |m| Utc.with_ymd_and_hms(2024, m, 1, 0, 0, 0).single().expect("valid instant");
    let (jan, feb, mar) = (
        Period::new(at(1), at(2)).expect("period"),
        Period::new(at(2), at(3)).expect("period"),
        Period::new(at(3), at(4)).expect("period"),
    );
    let channels: Vec<ChannelId> = (0..8).map(|c| ChannelId::new(format!("channel_{c}")).expect("id")).collect();
    let campaigns: Vec<CampaignId> = (0..6).map(|c| CampaignId::new(format!("campaign_{c}")).expect("id")).collect();
    (0..n)
        .map(|i| {
            let period = if i % 20 == 19 {
                mar
            } else if i % 2 == 0 {
                jan
            } else {
                feb
            };
            let mut s = Spend::new(
                period,
                SpendKind::Paid,
                Money::from_minor(i64::try_from(i % 9_973).expect("small") * 100 + 7, Currency::USD),
            );
            if i % 8 != 7 {
                s = s.on_channel(channels.get(i % channels.len()).expect("channel").clone());
            }
            if i % 7 != 6 {
                s = s.on_campaign(campaigns.get(i % campaigns.len()).expect("campaign").clone());
            }
            s
        })
        .collect()
}

fn return_on_marketing(c: &mut Criterion) {
    let q = Period::new(
        Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().expect("instant"),
        Utc.with_ymd_and_hms(2024, 3, 1, 0, 0, 0).single().expect("instant"),
    )
    .expect("period");
    let fresh = || ReturnOnMarketingTally::new(q, Currency::USD, ["first_touch", "linear"]).expect("tally");
    let mut group = c.benchmark_group("return_on_marketing");
    group.sample_size(10);
    for (name, distinct) in [("1m", DISTINCT), ("cached_10k", 10_000)] {
        let spend = lines(distinct);
        let passes = PASSES * (DISTINCT / distinct) as u64;
        group.throughput(Throughput::Elements(distinct as u64 * passes));
        group.bench_function(format!("push_spend_{name}"), |b| {
            b.iter(|| {
                let mut tally = fresh();
                for _ in 0..passes {
                    for s in &spend {
                        tally.push_spend(black_box(s)).expect("valid spend");
                    }
                }
                black_box(tally.finish().expect("finish"))
            });
        });
    }
    group.finish();
}

criterion_group!(benches, return_on_marketing);
criterion_main!(benches);
