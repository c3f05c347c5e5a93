//! Issue 11 item 3: every metric tally's partial state serializes, and a deserialized state
//! merges exactly like the original. For every tally: split the facts at random cuts, tally
//! each part, send each part's state through JSON, merge the parts in a random tree order
//! (sending every merged state through JSON again): equal to one pass over all facts.
//! Deserializing validates: the definition as its constructor does, and the state against
//! what any sequence of facts can produce.

use std::fmt::Debug;

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;
use revops::Period;
use revops::calendar::Zone;
use revops::facts::{
    Deal, DealStatus, Disposition, DispositionOutcome, Lead, Origin, Reason, Spend, SpendKind, StageChange,
};
use revops::funnel::Reach;
use revops::metrics::{
    AccountPeriod, ArpaChurnTally, CacFact, CacTally, CacWindow, ConversionMode, ConversionTally, CoverageTally,
    CreatedToWonTally, CycleOutcome, Grouped, LeadFact, LeadFlowTally, LossReasonTally, OpportunityTouches,
    ResponseTime, SalesCycleTally, SourcingTally, SpeedToLeadTally, StageConversion, StageOrder, VelocityTally,
    WeightedPipelineTally, WinRateTally, new_customers,
};
use revops::testkit::metric_funnel;
use revops::{AccountId, Currency, LeadId, Money, OpportunityId, StageId, Tally};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::deal_strategy;
use crate::split_merge::split_serialize_merge;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap()
}

fn hours(h: i64) -> TimeDelta {
    TimeDelta::try_hours(h).unwrap()
}

fn days(d: i64) -> TimeDelta {
    TimeDelta::try_days(d).unwrap()
}

fn usd(cents: i64) -> Money {
    Money::from_minor(cents, Currency::USD)
}

fn period() -> Period {
    Period::new(t0() + days(5), t0() + days(40)).unwrap()
}

/// `state` through JSON and back: the same state, written the same way again.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(state: &T) -> T {
    let json = serde_json::to_string(state).unwrap();
    let back: T = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    assert_eq!(&back, state, "{json}");
    assert_eq!(serde_json::to_string(&back).unwrap(), json);
    back
}

/// Asserts that the split, serialized and merged tally equals one pass.
fn check<T>(fresh: &T, facts: &[T::Fact], cuts: &[usize], picks: &[usize]) -> Result<(), TestCaseError>
where
    T: Tally + Clone + Serialize + DeserializeOwned + PartialEq + Debug,
    T::Fact: Sized,
    T::Output: PartialEq + Debug,
{
    let one = round_trip(fresh).tally(facts).unwrap();
    prop_assert_eq!(split_serialize_merge(fresh, facts, cuts, picks, round_trip), one);
    Ok(())
}

fn entry_strategy() -> impl Strategy<Value = StageChange> {
    let order = StageOrder::from(&metric_funnel().unwrap());
    (0u8..8, 0usize..6, 0i64..45 * 24).prop_map(move |(e, s, h)| StageChange {
        entity: LeadId::new(format!("l{e}")).unwrap(),
        stage: order.stages()[s].clone(),
        at: t0() + hours(h),
    })
}

fn lead_strategy() -> impl Strategy<Value = LeadFact> {
    (
        (0u32..1_000, 0i64..50 * 24),
        prop::option::of(0i64..72),
        prop::option::of((0i64..96, 0u8..3)),
        prop::option::of((0i64..60 * 24, 0i64..1_000_000)),
    )
        .prop_map(|((id, created), delivered, disposition, won)| {
            let created = t0() + hours(created);
            let lid = LeadId::new(format!("l{id}")).unwrap();
            let mql = StageId::new("mql").unwrap();
            let delivered_at = delivered.map(|h| created + hours(h));
            let changes: Vec<_> = delivered_at
                .map(|at| StageChange { entity: lid.clone(), stage: mql.clone(), at })
                .into_iter()
                .collect();
            let mut dispositions = Vec::new();
            if let (Some(delivered), Some((h, kind))) = (delivered_at, disposition) {
                let outcome = match kind {
                    0 => DispositionOutcome::Accepted,
                    1 => DispositionOutcome::Rejected { reason: Reason::BadFit },
                    _ => DispositionOutcome::Recycled { reason: Reason::Unspecified },
                };
                dispositions.push(Disposition { lead: lid.clone(), at: delivered + hours(h), outcome });
            }
            let deals: Vec<_> = won
                .map(|(h, cents)| {
                    Deal::new(OpportunityId::new(format!("o{id}")).unwrap(), created, usd(cents), DealStatus::Won)
                        .closed_at(Some(created + hours(h)))
                        .lead(Some(lid.clone()))
                })
                .into_iter()
                .collect();
            LeadFact::from_facts(&Lead::new(lid.clone(), created), &mql, &changes, &dispositions, &deals).unwrap()
        })
}

fn opportunity_strategy() -> impl Strategy<Value = OpportunityTouches> {
    (0u32..1_000, 0i64..50 * 24, 0i64..1_000_000, 0usize..4, prop::collection::vec(-60i64 * 24..10 * 24, 0..4))
        .prop_map(|(id, created, cents, origin, touches)| {
            let created_at = t0() + hours(created);
            OpportunityTouches {
                opportunity: OpportunityId::new(format!("o{id}")).unwrap(),
                created_at,
                amount: usd(cents),
                origin: Origin::ALL[origin],
                marketing_touches: touches.into_iter().map(|h| created_at + hours(h)).collect(),
            }
        })
}

fn response_strategy() -> impl Strategy<Value = ResponseTime> {
    (0u32..1_000, prop::option::of(0i64..200_000)).prop_map(|(id, seconds)| ResponseTime {
        lead: LeadId::new(format!("l{id}")).unwrap(),
        business_seconds: seconds,
    })
}

fn account_strategy() -> impl Strategy<Value = AccountPeriod> {
    (0u32..1_000, 0i64..1_000_000, any::<bool>(), any::<bool>()).prop_map(|(id, cents, active, churned)| {
        AccountPeriod {
            account: AccountId::new(format!("a{id}")).unwrap(),
            revenue: usd(cents),
            active_at_start: active,
            churned: active && churned,
        }
    })
}

fn cac_fact_strategy() -> impl Strategy<Value = CacFact> {
    let month = |m: u32| {
        let first =
            |m: u32| Utc.with_ymd_and_hms(2023 + i32::try_from(m / 12).unwrap(), m % 12 + 1, 1, 0, 0, 0).unwrap();
        Period::new(first(m), first(m + 1)).unwrap()
    };
    let ads = || revops::ChannelId::new("ads").unwrap();
    prop_oneof![
        (0u32..30, 0i64..1_000_000, any::<bool>()).prop_map(move |(m, cents, paid)| {
            let kind = if paid { SpendKind::Paid } else { SpendKind::Tools };
            CacFact::Spend(Spend::new(month(m), kind, usd(cents)))
        }),
        (0u32..30, any::<bool>()).prop_map(move |(m, paid)| {
            let closed = month(m).start() + days(2);
            let deal = Deal::new(OpportunityId::new(format!("o{m}")).unwrap(), closed, usd(1), DealStatus::Won)
                .closed_at(Some(closed))
                .account(Some(AccountId::new(format!("a{m}")).unwrap()))
                .source(Some(if paid { ads() } else { revops::ChannelId::new("webinar").unwrap() }));
            let paid_spend = [Spend::new(month(m), SpendKind::Paid, usd(0)).on_channel(ads())];
            let mut customers = new_customers(&[deal], &paid_spend, Zone::UTC).unwrap();
            CacFact::NewCustomer(customers.remove(0))
        }),
    ]
}

fn cuts() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(any::<usize>(), 0..6)
}

fn picks() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(any::<usize>(), 0..8)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn deal_tallies_split_serialize_and_merge_like_one_pass(
        deals in prop::collection::vec(deal_strategy(), 0..40), cuts in cuts(), picks in picks(), origin in 0usize..5,
    ) {
        let dollar = Currency::USD;
        let origin = Origin::ALL.get(origin).copied();
        let ny = "America/New_York".parse::<Zone>().unwrap();
        check(&WinRateTally::new(period(), dollar).origin(origin), &deals, &cuts, &picks)?;
        check(&CreatedToWonTally::new(period()), &deals, &cuts, &picks)?;
        for outcome in [CycleOutcome::Won, CycleOutcome::Lost, CycleOutcome::Closed] {
            check(&SalesCycleTally::new(period(), ny).outcome(outcome), &deals, &cuts, &picks)?;
        }
        check(&VelocityTally::new(period(), t0() + days(30), dollar), &deals, &cuts, &picks)?;
        check(&WeightedPipelineTally::new(dollar).qualified_only(origin.is_some()), &deals, &cuts, &picks)?;
        check(&CoverageTally::new(period(), ny, usd(5_000_000)).unwrap(), &deals, &cuts, &picks)?;
        check(&LossReasonTally::new(period(), dollar), &deals, &cuts, &picks)?;
        // A grouping is a tally of (key, fact) pairs; so is a grouping of groupings.
        let keyed: Vec<(Origin, Deal)> = deals.iter().map(|d| (d.origin, d.clone())).collect();
        check(&Grouped::new(WinRateTally::new(period(), dollar)), &keyed, &cuts, &picks)?;
        let nested: Vec<(bool, (Origin, Deal))> = keyed.iter().map(|k| (k.1.qualified, k.clone())).collect();
        check(&Grouped::new(Grouped::new(SalesCycleTally::new(period(), ny))), &nested, &cuts, &picks)?;
    }

    #[test]
    fn stage_conversion_splits_serializes_and_merges_like_one_pass(
        entries in prop::collection::vec(entry_strategy(), 0..50), cuts in cuts(), picks in picks(),
        mode in 0usize..3, reached in any::<bool>(),
    ) {
        let mode = [ConversionMode::EntityCohort, ConversionMode::EventCohort, ConversionMode::PeriodFlow][mode];
        let reach = if reached { Reach::OrBeyond } else { Reach::Strict };
        let mut builder = StageConversion::builder(&metric_funnel().unwrap(), "mql", "sql", mode).reach(reach);
        if mode != ConversionMode::PeriodFlow {
            builder = builder.window(days(10));
        }
        check(&ConversionTally::new(builder.build().unwrap(), period()), &entries, &cuts, &picks)?;
    }

    #[test]
    fn lead_and_opportunity_tallies_split_serialize_and_merge_like_one_pass(
        leads in prop::collection::vec(lead_strategy(), 0..40),
        opportunities in prop::collection::vec(opportunity_strategy(), 0..40),
        responses in prop::collection::vec(response_strategy(), 0..40),
        accounts in prop::collection::vec(account_strategy(), 0..40),
        cac_facts in prop::collection::vec(cac_fact_strategy(), 0..40),
        cuts in cuts(), picks in picks(), nanos in 0i64..1_000_000_000,
    ) {
        let dollar = Currency::USD;
        // Sub-second windows: a duration's state is exact to the nanosecond.
        let within = days(1) + TimeDelta::nanoseconds(nanos);
        let flow = LeadFlowTally::new(period(), t0() + days(45), within, days(30), dollar).unwrap();
        check(&flow, &leads, &cuts, &picks)?;
        check(&SourcingTally::new(period(), days(30) + TimeDelta::nanoseconds(nanos), dollar).unwrap(), &opportunities, &cuts, &picks)?;
        check(&SpeedToLeadTally::new(TimeDelta::try_hours(4).unwrap()).unwrap(), &responses, &cuts, &picks)?;
        check(&ArpaChurnTally::new(dollar), &accounts, &cuts, &picks)?;
        let window = CacWindow::new(NaiveDate::from_ymd_opt(2023, 6, 1).unwrap(), 12, 2);
        check(&CacTally::new(window, dollar), &cac_facts, &cuts, &picks)?;
    }
}

/// Rule 14: the wire format of a partial state is pinned.
#[test]
fn partial_state_wire_format_is_pinned() {
    let p = Period::new(t0(), t0() + days(31)).unwrap();
    let mut win = WinRateTally::new(p, Currency::USD);
    let deal = Deal::new(OpportunityId::new("o1").unwrap(), t0(), usd(12_345), revops::facts::DealStatus::Won)
        .closed_at(Some(t0() + days(3)));
    win.push(&deal).unwrap();
    assert_eq!(
        serde_json::to_string(&win).unwrap(),
        r#"{"period":{"start":"2024-01-01T00:00:00Z","end":"2024-02-01T00:00:00Z"},"currency":"USD","origin":null,"won":1,"lost":0,"won_minor":"12345","closed_minor":"12345"}"#
    );
    let flow =
        LeadFlowTally::new(p, t0() + days(40), TimeDelta::try_milliseconds(1_500).unwrap(), days(1), Currency::USD)
            .unwrap();
    assert_eq!(
        serde_json::to_string(&flow).unwrap(),
        r#"{"period":{"start":"2024-01-01T00:00:00Z","end":"2024-02-01T00:00:00Z"},"as_of":"2024-02-10T00:00:00Z","within":"PT1.5S","horizon":"PT86400S","currency":"USD","cohort":0,"immature":0,"delivered":0,"accepted":0,"dispositioned":0,"in_time":0,"leaked":0,"pending":0,"revenue_minor":"0"}"#
    );
    let mut cycle = SalesCycleTally::new(Period::all_time(), "UTC+01:00".parse::<Zone>().unwrap());
    cycle.push(&deal).unwrap();
    let json = serde_json::to_string(&cycle).unwrap();
    assert!(
        json.ends_with(r#""zone":"UTC+01:00","outcome":"won","elapsed_seconds":[259200],"calendar_days":[[3,1]]}"#),
        "{json}"
    );
    assert_eq!(round_trip(&cycle), cycle); // `Period::all_time()` reads back too
}

/// Parses `json` as a `T` and returns the error message.
fn refused<T: DeserializeOwned + Debug>(json: &str) -> String {
    serde_json::from_str::<T>(json).unwrap_err().to_string()
}

/// A state from `tally`'s JSON with `from` replaced by `to`.
fn edited<T: Serialize>(tally: &T, from: &str, to: &str) -> String {
    let json = serde_json::to_string(tally).unwrap();
    assert!(json.contains(from), "{from} not in {json}");
    json.replacen(from, to, 1)
}

#[test]
fn deserializing_validates_the_definition_as_the_constructor_does() {
    // Issue 12 item 13 on the wire: a negative window is refused on read, not at a push.
    let flow = LeadFlowTally::new(period(), t0(), days(1), days(1), Currency::USD).unwrap();
    let message = refused::<LeadFlowTally>(&edited(&flow, r#""within":"PT86400S""#, r#""within":"-PT86400S""#));
    assert!(message.starts_with("disposition window must not be negative"), "{message}");
    let sourcing = SourcingTally::new(period(), days(1), Currency::USD).unwrap();
    let message = refused::<SourcingTally>(&edited(&sourcing, r#""lookback":"PT86400S""#, r#""lookback":"-PT86400S""#));
    assert!(message.starts_with("influence lookback must not be negative"), "{message}");
    let coverage = CoverageTally::new(period(), Zone::UTC, usd(100)).unwrap();
    let message = refused::<CoverageTally>(&edited(&coverage, r#""amount":"1.00""#, r#""amount":"-1.00""#));
    assert_eq!(message, "quota must not be negative, got -1.00");
    let speed = SpeedToLeadTally::new(days(1)).unwrap();
    assert!(refused::<SpeedToLeadTally>(&edited(&speed, "PT86400S", "-PT86400S")).contains("must not be negative"));
    // Durations are canonical text only; zones are locations or explicit offsets; unknown fields
    // are typos.
    assert!(refused::<LeadFlowTally>(&edited(&flow, r#""PT86400S""#, r#""P1D""#)).starts_with("invalid duration"));
    let cycle = SalesCycleTally::new(period(), Zone::UTC);
    assert!(
        refused::<SalesCycleTally>(&edited(&cycle, r#""zone":"UTC""#, r#""zone":"EST""#))
            .starts_with("time zone \"EST\" is a fixed UTC-05:00 offset")
    );
    assert!(
        refused::<SalesCycleTally>(&edited(&cycle, r#""zone":"UTC""#, r#""zone":"UTC+24:00""#))
            .contains("at most 18 hours")
    );
    assert!(
        refused::<SalesCycleTally>(&edited(&cycle, r#""zone":"UTC""#, r#""zone":"UTC","zones":1"#))
            .contains("unknown field")
    );
    let win = WinRateTally::new(period(), Currency::USD);
    assert!(
        refused::<WinRateTally>(&edited(&win, r#""won_minor":"0""#, r#""won_minor":"+0""#))
            .starts_with("invalid minor-unit sum")
    );
}

#[test]
fn weighted_pipeline_state_is_exact_and_checked() {
    // The weighted sum travels as exact integer sums per probability scale (issue 12, noticed:
    // `Decimal` products rounded past 28 digits), and a state no deals produce is refused.
    let open = revops::facts::DealStatus::Open {
        probability: revops::Probability::from_fraction(rust_decimal::Decimal::new(25, 2)).unwrap(),
    };
    let deal = Deal::new(OpportunityId::new("o1").unwrap(), t0(), usd(1_000), open);
    let mut tally = WeightedPipelineTally::new(Currency::USD);
    tally.push(&deal).unwrap();
    let json = serde_json::to_string(&tally).unwrap();
    assert!(json.contains(r#""weighted":[{"scale":2,"sum":"25000"}]"#), "{json}");
    assert_eq!(serde_json::from_str::<WeightedPipelineTally>(&json).unwrap(), tally);
    let above = json.replace(r#""sum":"25000""#, r#""sum":"100001""#);
    assert!(refused::<WeightedPipelineTally>(&above).contains("between zero and the amount"), "{above}");
    let scale = json.replace(r#""scale":2"#, r#""scale":29"#);
    assert!(refused::<WeightedPipelineTally>(&scale).contains("at most 28"), "{scale}");
    let twice = json.replace(r#"{"scale":2,"sum":"25000"}"#, r#"{"scale":2,"sum":"1"},{"scale":2,"sum":"1"}"#);
    assert!(refused::<WeightedPipelineTally>(&twice).contains("ascending, distinct"), "{twice}");
}

#[test]
fn deserializing_refuses_states_no_facts_produce() {
    let dollar = Currency::USD;
    let win = WinRateTally::new(period(), dollar);
    let message = refused::<WinRateTally>(&edited(&win, r#""won_minor":"0""#, r#""won_minor":"5""#));
    assert_eq!(message, r#"invalid win rate tally "won_minor 5 > closed_minor 0": a part exceeds its whole"#);
    assert!(
        refused::<WinRateTally>(&edited(&win, r#""closed_minor":"0""#, r#""closed_minor":"7""#))
            .contains("an amount without a record")
    );

    let cycle = SalesCycleTally::new(period(), Zone::UTC);
    let message = refused::<SalesCycleTally>(&edited(&cycle, r#""elapsed_seconds":[]"#, r#""elapsed_seconds":[5]"#));
    assert!(message.contains("every deal measured has one of each"), "{message}");
    let two = edited(
        &cycle,
        r#""elapsed_seconds":[],"calendar_days":[]"#,
        r#""elapsed_seconds":[1,2],"calendar_days":[[3,1],[3,1]]"#,
    );
    assert!(refused::<SalesCycleTally>(&two).contains("ascending, distinct and non-empty"));
    let negative = edited(
        &cycle,
        r#""elapsed_seconds":[],"calendar_days":[]"#,
        r#""elapsed_seconds":[-1],"calendar_days":[[0,1]]"#,
    );
    assert!(refused::<SalesCycleTally>(&negative).contains("cannot be negative"));

    let lost = Deal::new(
        OpportunityId::new("o1").unwrap(),
        t0() + days(6),
        usd(100),
        revops::facts::DealStatus::lost(revops::facts::Reason::Price),
    )
    .closed_at(Some(t0() + days(7)));
    let mut reasons = LossReasonTally::new(period(), dollar);
    reasons.push(&lost).unwrap();
    let json = serde_json::to_string(&reasons).unwrap();
    let doubled = json.replace(
        r#"[{"reason":"price","deals":1,"amount_minor":"100"}]"#,
        r#"[{"reason":"price","deals":1,"amount_minor":"100"},{"reason":"price","deals":2,"amount_minor":"1"}]"#,
    );
    // A repeated key never overwrites another silently (issue 12 item 11's class).
    assert!(refused::<LossReasonTally>(&doubled).contains("ascending and distinct"), "{doubled}");

    let flow = LeadFlowTally::new(period(), t0(), days(1), days(1), dollar).unwrap();
    let message = refused::<LeadFlowTally>(&edited(&flow, r#""delivered":0"#, r#""delivered":3"#));
    assert!(message.contains("every delivered lead has exactly one outcome"), "{message}");

    let sourcing = SourcingTally::new(period(), days(1), dollar).unwrap();
    assert!(
        refused::<SourcingTally>(&edited(&sourcing, r#""influenced":0"#, r#""influenced":1"#))
            .contains("a part exceeds its whole")
    );

    let speed = SpeedToLeadTally::new(days(1)).unwrap();
    let bad = edited(&speed, r#""answered_seconds":[]"#, r#""answered_seconds":[-3]"#);
    assert!(refused::<SpeedToLeadTally>(&bad).contains("must not be negative"));

    let funnel = metric_funnel().unwrap();
    let def = StageConversion::builder(&funnel, "mql", "sql", ConversionMode::EntityCohort).build().unwrap();
    let mut conversion = ConversionTally::<LeadId>::new(def, period());
    conversion
        .push(&StageChange { entity: LeadId::new("l1").unwrap(), stage: StageId::new("mql").unwrap(), at: t0() })
        .unwrap();
    let json = serde_json::to_string(&conversion).unwrap();
    let message = refused::<ConversionTally<LeadId>>(&json.replace(r#"{"stage":"mql""#, r#"{"stage":"nurture""#));
    assert_eq!(message, "unknown stage `nurture` in stage entry of `l1`");
    // Strict semantics keep entries of A and B only.
    assert!(
        refused::<ConversionTally<LeadId>>(&json.replace(r#"{"stage":"mql""#, r#"{"stage":"lead""#))
            .contains("keeps no entry")
    );
    let entity = r#"{"entity":"l1","entries":[{"stage":"mql","at":"2024-01-01T00:00:00Z"}]}"#;
    let twice = json.replace(entity, &format!("{entity},{entity}"));
    assert!(refused::<ConversionTally<LeadId>>(&twice).contains("ascending and distinct"), "{twice}");

    // A grouping's keys are distinct and ascending, and every group has the template's
    // definition.
    let deal = Deal::new(OpportunityId::new("o2").unwrap(), t0() + days(6), usd(100), revops::facts::DealStatus::Won)
        .closed_at(Some(t0() + days(7)));
    let mut grouped = Grouped::new(WinRateTally::new(period(), dollar));
    grouped.push("a".to_owned(), &deal).unwrap();
    grouped.push("b".to_owned(), &deal).unwrap();
    let json = serde_json::to_string(&grouped).unwrap();
    assert!(
        refused::<Grouped<String, WinRateTally>>(&json.replace(r#""key":"b""#, r#""key":"a""#))
            .contains("ascending and distinct")
    );
    let moved = json.replacen(r#""end":"2024-02-10T00:00:00Z"}"#, r#""end":"2024-02-11T00:00:00Z"}"#, 2);
    let message = refused::<Grouped<String, WinRateTally>>(&moved);
    assert_eq!(message, "cannot merge win rate tallies of different definitions: `period` differs", "{moved}");
}
