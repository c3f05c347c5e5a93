//! Laws of the shared metrics: ratio of sums over groups, merge associative and commutative,
//! results independent of input order, per-thread tallies merged equal one pass (the metric
//! conformance vectors run in `vectors`).

mod definitions;
mod exact;
#[cfg(feature = "serde")]
mod state;

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;
use revops::Period;
use revops::Tally;
use revops::calendar::Zone;
use revops::facts::{Deal, DealStatus, Origin, Reason, StageChange};
use revops::funnel::Reach;
use revops::metrics::{
    ConversionMode, ConversionTally, CoverageTally, CycleOutcome, DealBatch, Grouped, LossReasonTally, SalesCycleTally,
    StageConversion, VelocityTally, WeightedPipelineTally, WinRateTally,
};
use revops::testkit::{Company, metric_funnel};
use revops::{Currency, LeadId, Money, OpportunityId, Probability, Ratio, StageId};

/// A funnel of open stages, in order (the stage order of a conversion definition).
fn open_funnel(stages: &[&str]) -> revops::funnel::Funnel {
    use revops::funnel::{Funnel, Owner, Stage, StageKind};
    stages
        .iter()
        .fold(Funnel::builder("test"), |b, s| b.stage(Stage::new(s, *s, Owner::Shared, StageKind::Open).unwrap()))
        .build()
        .unwrap()
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap()
}

/// A valid deal from small integers: created at `c` hours, closed `len` hours later (or open).
fn deal_strategy() -> impl Strategy<Value = Deal> {
    (
        (0u32..10_000, 0i64..2_000, 0i64..3_000, 0i64..1_000_000_000),
        (0u8..4, 0i64..1_000_000, 0u8..=100, any::<bool>(), 0u8..4),
    )
        .prop_map(|((id, c, len, nanos), (kind, cents, p, qualified, origin))| {
            // Sub-second instants, so the columnar path's rounding to seconds is exercised.
            let created = t0() + TimeDelta::try_hours(c).unwrap() + TimeDelta::nanoseconds(nanos);
            let closed = created + TimeDelta::try_hours(len).unwrap() + TimeDelta::nanoseconds(nanos / 2);
            let status = match kind {
                0 => DealStatus::Won,
                1 => {
                    DealStatus::lost([Reason::Price, Reason::BadTiming, Reason::Competitor][usize::from(p % 3)].clone())
                }
                2 => DealStatus::Lost { reason: Reason::Unspecified },
                _ => DealStatus::Open { probability: Probability::from_percent(p).unwrap() },
            };
            let closed_at = status.is_closed().then_some(closed);
            Deal::new(
                OpportunityId::new(format!("o{id}")).unwrap(),
                created,
                Money::from_minor(cents, Currency::USD),
                status,
            )
            .closed_at(closed_at)
            .close_date(Some(closed.date_naive()))
            .qualified(qualified)
            .origin(Origin::ALL[usize::from(origin)])
        })
}

fn period() -> Period {
    Period::new(t0() + TimeDelta::try_days(20).unwrap(), t0() + TimeDelta::try_days(90).unwrap()).unwrap()
}

/// Tallies `deals` in one pass, and in three parts merged as `(a + b) + c` and `c + (b + a)`.
fn three_ways<T>(fresh: &T, deals: &[Deal], cut1: usize, cut2: usize) -> (T::Output, T::Output, T::Output)
where
    T: Tally<Fact = Deal> + Clone,
{
    let cut1 = cut1.min(deals.len());
    let cut2 = cut2.clamp(cut1, deals.len());
    let part = |range: &[Deal]| {
        let mut t = fresh.clone();
        for d in range {
            t.push(d).unwrap();
        }
        t
    };
    let one = fresh.clone().tally(deals).unwrap();
    let (a, b, c) = (part(&deals[..cut1]), part(&deals[cut1..cut2]), part(&deals[cut2..]));
    let mut left = a.clone();
    left.merge(b.clone()).unwrap();
    left.merge(c.clone()).unwrap();
    let mut right = c;
    let mut ba = b;
    ba.merge(a).unwrap();
    right.merge(ba).unwrap();
    (one, left.finish().unwrap(), right.finish().unwrap())
}

proptest! {
    #[test]
    fn merge_is_associative_and_commutative(deals in prop::collection::vec(deal_strategy(), 0..60), c1 in 0usize..60, c2 in 0usize..60) {
        let usd = Currency::USD;
        let utc = Zone::UTC;
        macro_rules! check {
            ($fresh:expr) => {{
                let (one, left, right) = three_ways(&$fresh, &deals, c1, c2);
                prop_assert_eq!(&one, &left);
                prop_assert_eq!(&one, &right);
            }};
        }
        check!(WinRateTally::new(period(), usd));
        check!(SalesCycleTally::new(period(), utc));
        check!(VelocityTally::new(period(), t0() + TimeDelta::try_days(60).unwrap(), usd));
        check!(WeightedPipelineTally::new(usd));
        check!(CoverageTally::new(period(), utc, Money::from_minor(5_000_000, usd)).unwrap());
        check!(LossReasonTally::new(period(), usd));
    }

    #[test]
    fn row_and_columnar_paths_agree(deals in prop::collection::vec(deal_strategy(), 0..60), origin in 0u8..5) {
        let usd = Currency::USD;
        let batch = DealBatch::from_deals(&deals, usd).unwrap();
        let origin = Origin::ALL.get(usize::from(origin)).copied();
        let mut w = WinRateTally::new(period(), usd).origin(origin);
        w.push_batch(&batch).unwrap();
        prop_assert_eq!(w.finish().unwrap(), WinRateTally::new(period(), usd).origin(origin).tally(&deals).unwrap());
        for outcome in [CycleOutcome::Won, CycleOutcome::Lost, CycleOutcome::Closed] {
            let zone = "America/New_York".parse::<Zone>().unwrap();
            let mut c = SalesCycleTally::new(period(), zone).outcome(outcome);
            c.push_batch(&batch).unwrap();
            prop_assert_eq!(c.finish().unwrap(), SalesCycleTally::new(period(), zone).outcome(outcome).tally(&deals).unwrap());
        }
        let as_of = t0() + TimeDelta::try_days(60).unwrap();
        let mut v = VelocityTally::new(period(), as_of, usd);
        v.push_batch(&batch).unwrap();
        prop_assert_eq!(v.finish().unwrap(), VelocityTally::new(period(), as_of, usd).tally(&deals).unwrap());
    }

    #[test]
    #[cfg(feature = "serde")]
    fn facts_and_results_round_trip_through_json(deals in prop::collection::vec(deal_strategy(), 0..20)) {
        let json = serde_json::to_string(&deals).unwrap();
        prop_assert_eq!(&serde_json::from_str::<Vec<Deal>>(&json).unwrap(), &deals);
        let win = WinRateTally::new(period(), Currency::USD).tally(&deals).unwrap();
        let back: revops::metrics::WinRate = serde_json::from_str(&serde_json::to_string(&win).unwrap()).unwrap();
        prop_assert_eq!(back, win);
        let cycle = SalesCycleTally::new(period(), Zone::UTC).tally(&deals).unwrap();
        let back: revops::metrics::SalesCycle = serde_json::from_str(&serde_json::to_string(&cycle).unwrap()).unwrap();
        prop_assert_eq!(back, cycle);
        let v = VelocityTally::new(period(), t0(), Currency::USD).tally(&deals).unwrap();
        let back: revops::metrics::Velocity = serde_json::from_str(&serde_json::to_string(&v).unwrap()).unwrap();
        prop_assert_eq!(back, v);
    }

    #[test]
    fn results_do_not_depend_on_input_order(mut deals in prop::collection::vec(deal_strategy(), 0..60), seed in any::<u64>()) {
        let usd = Currency::USD;
        let forward = (
            WinRateTally::new(period(), usd).tally(&deals).unwrap(),
            SalesCycleTally::new(period(), Zone::UTC).tally(&deals).unwrap(),
            LossReasonTally::new(period(), usd).tally(&deals).unwrap(),
        );
        // A deterministic shuffle.
        let mut state = seed | 1;
        for i in (1..deals.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            deals.swap(i, usize::try_from(state % (i as u64 + 1)).unwrap());
        }
        let shuffled = (
            WinRateTally::new(period(), usd).tally(&deals).unwrap(),
            SalesCycleTally::new(period(), Zone::UTC).tally(&deals).unwrap(),
            LossReasonTally::new(period(), usd).tally(&deals).unwrap(),
        );
        prop_assert_eq!(forward, shuffled);
    }

    #[test]
    fn group_rates_combine_as_a_ratio_of_sums(deals in prop::collection::vec(deal_strategy(), 0..80)) {
        let usd = Currency::USD;
        let mut grouped = Grouped::new(WinRateTally::new(period(), usd));
        for d in &deals {
            grouped.push(d.origin, d).unwrap();
        }
        let groups = grouped.finish().unwrap();
        let total = WinRateTally::new(period(), usd).tally(&deals).unwrap();
        let combined = groups.values().try_fold(Ratio::ZERO, |acc, g| acc.checked_combine(g.count)).unwrap();
        prop_assert_eq!(combined, total.count);
        let value = groups.values().try_fold(Ratio::<rust_decimal::Decimal>::ZERO, |acc, g| acc.checked_combine(g.value)).unwrap();
        prop_assert_eq!(value.numerator(), total.value.numerator());
        prop_assert_eq!(value.denominator(), total.value.denominator());
        // Never the mean of the group rates: keys come out in order, and every deal is in one group.
        let keys: Vec<Origin> = groups.keys().copied().collect();
        let mut sorted = keys.clone();
        sorted.sort();
        prop_assert_eq!(keys, sorted);
    }

    #[test]
    fn conversion_is_order_free_and_merges(
        raw in prop::collection::vec((0u8..6, 0u8..4, 0i64..40), 0..50),
        cut in 0usize..50,
        mode in 0u8..3,
        reached in any::<bool>(),
    ) {
        let funnel = metric_funnel().unwrap();
        let stages = ["lead", "mql", "sal", "sql"];
        let entries: Vec<StageChange> = raw
            .iter()
            .map(|&(e, s, d)| StageChange {
                entity: LeadId::new(format!("l{e}")).unwrap(),
                stage: StageId::new(stages[usize::from(s)]).unwrap(),
                at: t0() + TimeDelta::try_days(d).unwrap(),
            })
            .collect();
        let mode = [ConversionMode::EntityCohort, ConversionMode::EventCohort, ConversionMode::PeriodFlow][usize::from(mode)];
        let reach = if reached { Reach::OrBeyond } else { Reach::Strict };
        let mut builder = StageConversion::builder(&funnel, "mql", "sql", mode).reach(reach);
        if mode != ConversionMode::PeriodFlow {
            builder = builder.window(TimeDelta::try_days(10).unwrap());
        }
        let def = builder.build().unwrap();
        let p = Period::new(t0(), t0() + TimeDelta::try_days(20).unwrap()).unwrap();
        let one = ConversionTally::new(def.clone(), p).tally(&entries).unwrap();
        let cut = cut.min(entries.len());
        let mut a = ConversionTally::new(def.clone(), p);
        let mut b = ConversionTally::new(def.clone(), p);
        for e in entries[cut..].iter().rev() { b.push(e).unwrap(); }
        for e in &entries[..cut] { a.push(e).unwrap(); }
        b.merge(a).unwrap();
        prop_assert_eq!(&b.finish().unwrap(), &one);
        if mode == ConversionMode::EntityCohort {
            prop_assert!(!one.exceeds_one);
        }
    }
}

/// Per-thread accumulators over the testkit's compact deals, merged, equal one pass.
#[test]
fn per_thread_tallies_merged_equal_one_pass() {
    let company = Company::new(7, 10_000).unwrap();
    let deals: Vec<Deal> = company.synthetic_deals(0, 40_000).collect();
    let p = Period::new(company.year_start(), company.as_of()).unwrap();
    let fresh = || {
        (
            WinRateTally::new(p, Currency::USD),
            SalesCycleTally::new(p, Zone::UTC),
            VelocityTally::new(p, company.as_of(), Currency::USD),
        )
    };
    let one = {
        let (mut w, mut c, mut v) = fresh();
        for d in &deals {
            w.push(d).unwrap();
            c.push(d).unwrap();
            v.push(d).unwrap();
        }
        (w.finish().unwrap(), c.finish().unwrap(), v.finish().unwrap())
    };
    let parts: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = deals
            .chunks(deals.len() / 4 + 1)
            .map(|chunk| {
                s.spawn(move || {
                    let (mut w, mut c, mut v) = fresh();
                    for d in chunk {
                        w.push(d).unwrap();
                        c.push(d).unwrap();
                        v.push(d).unwrap();
                    }
                    (w, c, v)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let (mut w, mut c, mut v) = fresh();
    for (pw, pc, pv) in parts.into_iter().rev() {
        w.merge(pw).unwrap();
        c.merge(pc).unwrap();
        v.merge(pv).unwrap();
    }
    let merged = (w.finish().unwrap(), c.finish().unwrap(), v.finish().unwrap());
    assert_eq!(merged, one);
    assert!(one.0.count.denominator() > 10_000, "{:?}", one.0.count);
    assert!(one.2.per_day.is_some());
}

/// The sample company's KPIs are deterministic and grouped by source in key order.
#[test]
fn sample_company_win_rate_by_source() {
    let company = Company::new(5, 4_000).unwrap();
    let deals: Vec<Deal> = company.metric_deals().collect();
    let p = Period::new(company.year_start(), company.as_of()).unwrap();
    let by_source: BTreeMap<_, _> =
        revops::metrics::group_by(WinRateTally::new(p, Currency::USD), &deals, |d| d.source.clone()).unwrap();
    assert!(by_source.len() > 5);
    let again = revops::metrics::group_by(WinRateTally::new(p, Currency::USD), &deals, |d| d.source.clone()).unwrap();
    assert_eq!(by_source, again);
}

/// Metrics and the funnel agree on "reached or beyond": a stage order built from a funnel
/// answers exactly as `Funnel::is_at_or_beyond`, and a lost deal never converts to won.
#[test]
fn stage_order_from_funnel_agrees_with_the_funnel() {
    use revops::funnel::Funnel;
    use revops::metrics::StageOrder;

    for funnel in [Funnel::demand_waterfall(), Funnel::hubspot_lifecycle(), Funnel::buyer_language()] {
        let order = StageOrder::from(&funnel);
        for a in funnel.stages() {
            for b in funnel.stages() {
                let (pa, pb) = (order.position(a.id.as_str()).unwrap(), order.position(b.id.as_str()).unwrap());
                assert_eq!(order.is_at_or_beyond(pa, pb), funnel.is_at_or_beyond(&a.id, &b.id), "{} vs {}", a.id, b.id);
            }
        }
    }

    let funnel = Funnel::demand_waterfall();
    let order = StageOrder::from(&funnel);
    let t0 = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
    let entry = |lead: &str, stage: &str, day: i64| StageChange {
        entity: LeadId::new(lead).unwrap(),
        stage: StageId::new(stage).unwrap(),
        at: t0 + TimeDelta::days(day),
    };
    // L1 is won, L2 is lost: both passed SQL, only L1 reached won.
    let entries = [entry("L1", "sql", 1), entry("L1", "won", 9), entry("L2", "sql", 2), entry("L2", "lost", 8)];
    let definition = StageConversion::builder(&funnel, "sql", "won", ConversionMode::EntityCohort)
        .reach(Reach::OrBeyond)
        .build()
        .unwrap();
    let mut tally = ConversionTally::new(definition, Period::all_time());
    for e in &entries {
        tally.push(e).unwrap();
    }
    assert_eq!(tally.finish().unwrap().rate, Ratio::new(1, 2));
    let json = serde_json::to_string(&order).unwrap();
    assert!(json.ends_with(r#""terminal":["won","lost"]}"#), "{json}");
    assert_eq!(serde_json::from_str::<StageOrder>(&json).unwrap(), order);
}
