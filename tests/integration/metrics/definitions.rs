//! Regression (issue 12, items 12 and 13): tallies of different definitions never merge into
//! one sum, and invalid definitions are refused when built, not at the first fact.
//!
//! Before: `merge` compared the currency only, so two win-rate tallies of different periods (or
//! lead-flow tallies of different `as_of`, sourcing tallies of different lookbacks, ...) added
//! up silently; and a lead-flow or sourcing definition with a negative window was `Ok` on no
//! facts and an error on the first one.

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use revops::Period;
use revops::calendar::Zone;
use revops::facts::{Deal, DealStatus, Lead, Origin, Reason, Spend, SpendKind, StageChange};
use revops::funnel::{Funnel, Reach};
use revops::metrics::{
    AccountPeriod, ArpaChurnTally, CacTally, CacWindow, ConversionMode, ConversionTally, CoverageTally,
    CreatedToWonTally, CycleOutcome, Grouped, LeadFact, LeadFlowTally, LossReasonTally, OpportunityTouches,
    ResponseTime, SalesCycleTally, SourcingTally, SpeedToLeadTally, StageConversion, VelocityTally,
    WeightedPipelineTally, WinRateTally,
};
use revops::{AccountId, Currency, ErrorKind, LeadId, Money, OpportunityId, Probability, StageId, Tally};

fn t(d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).unwrap()
}

fn days(n: i64) -> TimeDelta {
    TimeDelta::try_days(n).unwrap()
}

fn january() -> Period {
    Period::new(t(1), t(31)).unwrap()
}

fn first_half() -> Period {
    Period::new(t(1), t(15)).unwrap()
}

fn usd(cents: i64) -> Money {
    Money::from_minor(cents, Currency::USD)
}

fn won(id: &str) -> Deal {
    Deal::new(OpportunityId::new(id).unwrap(), t(2), usd(100), DealStatus::Won).closed_at(Some(t(5))).qualified(true)
}

fn open(id: &str) -> Deal {
    Deal::new(OpportunityId::new(id).unwrap(), t(2), usd(100), DealStatus::Open { probability: Probability::ONE })
        .qualified(true)
        .close_date(NaiveDate::from_ymd_opt(2024, 1, 20))
}

/// Pushes `fact` into both tallies, merges `b` into `a` and expects the mismatch named
/// `(tally, field)`, with `a` left as it was.
fn refuses<T>(mut a: T, mut b: T, fact: &T::Fact, tally: &'static str, field: &'static str)
where
    T: Tally + Clone + PartialEq + std::fmt::Debug,
{
    a.push(fact).unwrap();
    b.push(fact).unwrap();
    let before = a.clone();
    assert_eq!(a.merge(b), Err(ErrorKind::DefinitionMismatch { tally, field }.into()), "{tally} / {field}");
    assert_eq!(a, before, "a refused merge leaves the tally as it was ({tally} / {field})");
}

#[test]
fn deal_tallies_compare_their_whole_definition() {
    let (dollar, eur) = (Currency::USD, Currency::EUR);
    let deal = won("o1");
    refuses(WinRateTally::new(january(), dollar), WinRateTally::new(first_half(), dollar), &deal, "win rate", "period");
    let mut eur_rate = WinRateTally::new(january(), eur);
    eur_rate.push(&Deal { amount: Money::from_minor(100, eur), ..deal.clone() }).unwrap();
    let mut usd_rate = WinRateTally::new(january(), dollar);
    assert_eq!(
        usd_rate.merge(eur_rate),
        Err(ErrorKind::DefinitionMismatch { tally: "win rate", field: "currency" }.into())
    );
    let marketing = WinRateTally::new(january(), dollar).origin(Some(Origin::Marketing));
    refuses(WinRateTally::new(january(), dollar), marketing, &deal, "win rate", "origin");

    refuses(CreatedToWonTally::new(january()), CreatedToWonTally::new(first_half()), &deal, "created to won", "period");

    let utc = Zone::UTC;
    let ny = "America/New_York".parse::<Zone>().unwrap();
    let cycle = |p, z| SalesCycleTally::new(p, z);
    refuses(cycle(january(), utc), cycle(first_half(), utc), &deal, "sales cycle", "period");
    refuses(cycle(january(), utc), cycle(january(), ny), &deal, "sales cycle", "zone");
    let closed = cycle(january(), utc).outcome(CycleOutcome::Closed);
    refuses(cycle(january(), utc), closed, &deal, "sales cycle", "outcome");

    let velocity = |p, as_of| VelocityTally::new(p, as_of, dollar);
    refuses(velocity(january(), t(10)), velocity(first_half(), t(10)), &deal, "pipeline velocity", "period");
    refuses(velocity(january(), t(10)), velocity(january(), t(11)), &deal, "pipeline velocity", "as_of");

    let weighted = WeightedPipelineTally::new(dollar);
    let qualified = WeightedPipelineTally::new(dollar).qualified_only(true);
    refuses(weighted, qualified, &open("o2"), "weighted pipeline", "qualified_only");

    let quota = |cents| CoverageTally::new(january(), utc, usd(cents)).unwrap();
    let fact = open("o3");
    refuses(quota(1_000), CoverageTally::new(first_half(), utc, usd(1_000)).unwrap(), &fact, "coverage", "period");
    refuses(quota(1_000), CoverageTally::new(january(), ny, usd(1_000)).unwrap(), &fact, "coverage", "zone");
    refuses(quota(1_000), quota(2_000), &fact, "coverage", "quota");

    let lost = Deal::new(OpportunityId::new("o4").unwrap(), t(2), usd(100), DealStatus::lost(Reason::Price))
        .closed_at(Some(t(5)));
    let reasons = |p| LossReasonTally::new(p, dollar);
    refuses(reasons(january()), reasons(first_half()), &lost, "loss reasons", "period");
}

#[test]
fn lead_and_opportunity_tallies_compare_their_whole_definition() {
    let dollar = Currency::USD;
    let id = LeadId::new("l1").unwrap();
    let delivered = [StageChange { entity: id.clone(), stage: StageId::new("mql").unwrap(), at: t(3) }];
    let lead = LeadFact::from_facts(&Lead::new(id, t(2)), &delivered[0].stage, &delivered, &[], &[]).unwrap();
    let flow = |p, as_of, within, horizon| LeadFlowTally::new(p, as_of, within, horizon, dollar).unwrap();
    let base = flow(january(), t(20), days(1), days(5));
    refuses(base.clone(), flow(first_half(), t(20), days(1), days(5)), &lead, "lead flow", "period");
    refuses(base.clone(), flow(january(), t(21), days(1), days(5)), &lead, "lead flow", "as_of");
    refuses(base.clone(), flow(january(), t(20), days(2), days(5)), &lead, "lead flow", "within");
    refuses(base.clone(), flow(january(), t(20), days(1), days(6)), &lead, "lead flow", "horizon");
    let eur = LeadFlowTally::new(january(), t(20), days(1), days(5), Currency::EUR).unwrap();
    refuses(base, eur, &lead, "lead flow", "currency");

    let opp = OpportunityTouches {
        opportunity: OpportunityId::new("o1").unwrap(),
        created_at: t(10),
        amount: usd(500),
        origin: Origin::Marketing,
        marketing_touches: vec![t(8)],
    };
    let sourcing = |p, lookback| SourcingTally::new(p, lookback, dollar).unwrap();
    refuses(sourcing(january(), days(30)), sourcing(first_half(), days(30)), &opp, "sourcing", "period");
    refuses(sourcing(january(), days(30)), sourcing(january(), days(7)), &opp, "sourcing", "lookback");

    let response = ResponseTime { lead: LeadId::new("l1").unwrap(), business_seconds: Some(60) };
    let speed = |hours| SpeedToLeadTally::new(TimeDelta::try_hours(hours).unwrap()).unwrap();
    refuses(speed(1), speed(4), &response, "speed to lead", "target");

    let row = AccountPeriod {
        account: AccountId::new("a1").unwrap(),
        revenue: usd(100),
        active_at_start: true,
        churned: false,
    };
    let mut usd_arpa = ArpaChurnTally::new(dollar);
    usd_arpa.push(&row).unwrap();
    let err = usd_arpa.merge(ArpaChurnTally::new(Currency::EUR)).unwrap_err();
    assert_eq!(err, ErrorKind::DefinitionMismatch { tally: "arpa and churn", field: "currency" });
}

#[test]
fn stage_conversion_compares_order_stages_mode_semantics_window_and_period() {
    let order = super::open_funnel(&["lead", "mql", "sql", "won"]);
    let other_order = super::open_funnel(&["lead", "mql", "sal", "sql", "won"]);
    let def = |funnel: &Funnel, from: &str, to: &str, mode, reach, window: Option<i64>| {
        let mut b = StageConversion::builder(funnel, from, to, mode).reach(reach);
        if let Some(w) = window {
            b = b.window(days(w));
        }
        b.build().unwrap()
    };
    let (entity, event) = (ConversionMode::EntityCohort, ConversionMode::EventCohort);
    let (strict, reached) = (Reach::Strict, Reach::OrBeyond);
    let base = def(&order, "mql", "sql", entity, strict, Some(7));
    let tally = |d: &StageConversion, p| ConversionTally::<LeadId>::new(d.clone(), p);
    let entry = StageChange { entity: LeadId::new("l1").unwrap(), stage: StageId::new("sql").unwrap(), at: t(3) };
    let cases = [
        (def(&other_order, "mql", "sql", entity, strict, Some(7)), january(), "stage_order"),
        (def(&order, "lead", "sql", entity, strict, Some(7)), january(), "from"),
        (def(&order, "mql", "won", entity, strict, Some(7)), january(), "to"),
        (def(&order, "mql", "sql", event, strict, Some(7)), january(), "mode"),
        (def(&order, "mql", "sql", entity, reached, Some(7)), january(), "reach"),
        (def(&order, "mql", "sql", entity, strict, Some(8)), january(), "window"),
        (def(&order, "mql", "sql", entity, strict, None), january(), "window"),
        (base.clone(), first_half(), "period"),
    ];
    for (other, period, field) in cases {
        refuses(tally(&base, january()), tally(&other, period), &entry, "stage conversion", field);
    }
}

#[test]
fn cac_compares_its_window_by_month_and_its_currency() {
    let jan = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let window = CacWindow::new;
    let january = Period::new(t(1), Utc.with_ymd_and_hms(2024, 2, 1, 0, 0, 0).unwrap()).unwrap();
    let spend = Spend::new(january, SpendKind::Paid, usd(1_000));
    let cases = [
        (window(NaiveDate::from_ymd_opt(2024, 2, 1).unwrap(), 3, 0), Currency::USD, "first_month"),
        (window(jan, 4, 0), Currency::USD, "months"),
        (window(jan, 3, 1), Currency::USD, "lag_months"),
        (window(jan, 3, 0).in_zone("UTC+01:00".parse::<Zone>().unwrap()), Currency::USD, "zone"),
        (window(jan, 3, 0), Currency::EUR, "currency"),
    ];
    for (other, currency, field) in cases {
        let mut a = CacTally::new(window(jan, 3, 0), Currency::USD);
        a.push_spend(&spend).unwrap();
        let before = a.clone();
        assert_eq!(
            a.merge(CacTally::new(other, currency)),
            Err(ErrorKind::DefinitionMismatch { tally: "cac", field }.into())
        );
        assert_eq!(a, before);
    }
    // Any date of the same first month is the same window.
    let mut a = CacTally::new(window(jan, 3, 0), Currency::USD);
    a.merge(CacTally::new(window(NaiveDate::from_ymd_opt(2024, 1, 20).unwrap(), 3, 0), Currency::USD)).unwrap();
}

#[test]
fn grouped_merges_only_equal_templates() {
    let dollar = Currency::USD;
    let deal = won("o1");
    let mut a = Grouped::new(WinRateTally::new(january(), dollar));
    a.push("webinar", &deal).unwrap();
    // Different definitions: the inner tally names the part that differs, even though the
    // other grouping has no group in common (before, its groups were inserted silently).
    let mut b = Grouped::new(WinRateTally::new(first_half(), dollar));
    b.push("paid_search", &deal).unwrap();
    assert_eq!(a.merge(b), Err(ErrorKind::DefinitionMismatch { tally: "win rate", field: "period" }.into()));
    // Same definition, a template that already holds a fact: not the same template.
    let mut seeded = WinRateTally::new(january(), dollar);
    seeded.push(&deal).unwrap();
    let c = Grouped::new(seeded);
    assert_eq!(a.merge(c), Err(ErrorKind::DefinitionMismatch { tally: "grouped", field: "template" }.into()));
    let mut d = Grouped::new(WinRateTally::new(january(), dollar));
    d.push("webinar", &deal).unwrap();
    a.merge(d).unwrap();
    assert_eq!(a.finish().unwrap()["webinar"].count.to_string(), "2/2 (100.0%)");
}

#[test]
fn invalid_definitions_fail_when_built_not_at_the_first_fact() {
    let minus = -days(1);
    let dollar = Currency::USD;
    // Before: `Ok` here, `Err` once a lead or an opportunity was pushed.
    assert!(matches!(
        revops::metrics::lead_flow(&[], january(), t(20), minus, days(5), dollar).as_ref().map_err(revops::Error::kind),
        Err(ErrorKind::Negative { .. })
    ));
    assert!(matches!(
        LeadFlowTally::new(january(), t(20), days(1), minus, dollar).as_ref().map_err(revops::Error::kind),
        Err(ErrorKind::Negative { .. })
    ));
    assert!(matches!(
        revops::metrics::sourcing(&[], january(), minus, dollar).as_ref().map_err(revops::Error::kind),
        Err(ErrorKind::Negative { .. })
    ));
    // Coverage refused a negative quota at `finish`; now at construction.
    let utc = Zone::UTC;
    let err = CoverageTally::new(january(), utc, usd(-1)).unwrap_err();
    assert_eq!(err.to_string(), "quota must not be negative, got -0.01");
    assert!(revops::metrics::coverage(&[], january(), utc, usd(-1)).is_err());
    assert!(SpeedToLeadTally::new(minus).is_err());
}
