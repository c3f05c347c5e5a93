//! The scorecard's glance section, the funnel section's rejections and the funnel-hygiene
//! block: the quickstart's figures (sections 1, 2 and 5's hygiene block), to the cent.

use std::sync::OnceLock;

use revops::agreement::scorecard::{Scorecard, Section};
use revops::facts::SpendKind;
use revops::testkit::{Company, sample_agreement};
use revops::{ChannelId, Currency, Money, Ratio};

fn card() -> &'static Scorecard {
    static CARD: OnceLock<Scorecard> = OnceLock::new();
    CARD.get_or_init(|| {
        let company = Company::sample();
        sample_agreement().unwrap().evaluate(&company.facts(), company.as_of()).unwrap()
    })
}

fn usd(amount: &str) -> Money {
    Money::new(amount.parse().unwrap(), Currency::USD)
}

#[test]
fn the_glance_section_has_the_quickstarts_section_1() {
    let g = card().glance.as_ref().unwrap();
    assert!(g.excluded.is_empty(), "{:?}", g.excluded);
    assert_eq!((g.accounts, g.leads, g.journeys, g.touches), (1250, 5000, 5000, 22862));
    assert_eq!(g.touches_per_lead.value().map(|v| v.round_dp(1).to_string()).as_deref(), Some("4.6"));
    assert_eq!((g.deals, g.won, g.lost, g.open), (893, 264, 575, 54));
    assert_eq!(g.win_rate, Ratio::new(264, 839));
    assert_eq!(g.win_rate.to_string(), "264/839 (31.5%)");
    assert_eq!(g.bookings, usd("25953600.00"));
    assert_eq!(g.spend, usd("8512778.00"));
    assert_eq!(g.spend_of(SpendKind::Paid), usd("1787241.00"));
    let channels: Vec<(&str, u64)> = g.touches_by_channel.iter().map(|(c, n)| (c.as_str(), *n)).collect();
    assert_eq!(
        channels,
        [
            ("content", 2111),
            ("direct", 2589),
            ("display", 1587),
            ("email", 3114),
            ("events", 645),
            ("organic", 2537),
            ("paid_search", 3427),
            ("paid_social", 2255),
            ("partner", 806),
            ("referral", 870),
            ("sdr_outbound", 1725),
            ("webinar", 1196),
        ]
    );
    // Leads that ever entered each stage: the funnel section's `entered`, in stage order.
    let entered: Vec<(&str, u64)> = card().funnel.stages.iter().map(|s| (s.stage.as_str(), s.entered)).collect();
    assert_eq!(
        entered,
        [
            ("lead", 5000),
            ("mql", 2128),
            ("sal", 1558),
            ("sql", 1070),
            ("opportunity", 893),
            ("won", 264),
            ("lost", 575),
            ("recycled", 752),
            ("disqualified", 239),
        ]
    );
}

#[test]
fn the_funnel_section_has_the_quickstarts_section_2() {
    let f = &card().funnel;
    let reached: Vec<Option<u64>> = f.stages.iter().map(|s| s.reached).collect();
    assert_eq!(
        reached,
        [5000, 2128, 1558, 1070, 893, 264, 575].map(Some).into_iter().chain([None, None]).collect::<Vec<_>>()
    );
    assert_eq!(f.rate("mql", "sql"), Some(Ratio::new(1070, 2128)));
    // The MQL-to-SAL handoffs: every one complete, 644 meeting fit 40 and engagement 10.
    let handoffs = f.handoffs.as_ref().unwrap();
    assert_eq!(handoffs.handoffs, 2128);
    assert_eq!(handoffs.complete, Ratio::new(2128, 2128));
    assert_eq!(handoffs.meeting_rule, Ratio::new(644, 2128));
    assert_eq!(handoffs.meeting_rule.to_string(), "644/2128 (30.3%)");
    let r = &f.rejections;
    assert_eq!(r.total, 991);
    let sources: Vec<(&str, u64)> = r.sources_by_count().into_iter().take(6).map(|(s, n)| (s.as_str(), n)).collect();
    assert_eq!(
        sources,
        [("paid_search", 184), ("organic", 146), ("direct", 129), ("paid_social", 119), ("content", 82), ("email", 81)]
    );
    let top = |source: &str| r.top_reasons_for(&ChannelId::new(source).unwrap(), 3);
    assert_eq!(top("paid_search"), [("bad_timing", 42), ("no_authority", 30), ("no_budget", 29)]);
    assert_eq!(top("paid_social"), [("no_budget", 26), ("no_need", 21), ("bad_fit", 16)]);
    assert_eq!(top("email"), [("bad_timing", 18), ("no_authority", 16), ("no_need", 14)]);
}

#[test]
fn the_hygiene_block_has_the_quickstarts_figures() {
    let card = card();
    let h = card.hygiene.as_ref().unwrap();
    assert!(h.excluded.is_empty(), "{:?}", h.excluded);
    let f = &h.lead_flow;
    assert_eq!(f.revenue_per_lead, Some(usd("3211.77")));
    assert_eq!((f.cohort_leads, f.revenue), (4988, usd("16020300.00")));
    assert_eq!(f.sal_acceptance, Ratio::new(1525, 2024));
    assert_eq!(f.disposition_rate, Ratio::new(1783, 2091));
    assert_eq!(f.leakage, Ratio::new(308, 2091));
    // The quickstart's display: one decimal of the percent, as `{:.1}` writes it.
    let pct = |r: revops::Ratio<rust_decimal::Decimal>| {
        r.value().map(|v| format!("{:.1}", v * rust_decimal::Decimal::ONE_HUNDRED))
    };
    assert_eq!(pct(h.sourcing.marketing_sourced).as_deref(), Some("87.3"));
    assert_eq!(pct(h.sourcing.marketing_influenced).as_deref(), Some("99.2"));
    assert_eq!(Some(h.sourcing.marketing_sourced.denominator()), Some(h.sourcing.pipeline.amount()));
    // Speed to lead: the SLA part the block names.
    let speed = &card.sla["sales_follow_up"].response.as_ref().unwrap().summary.total.speed;
    assert_eq!(speed.within_target, Ratio::new(1560, 2128));
    assert_eq!((speed.median.map(|d| d.num_minutes()), speed.p90.map(|d| d.num_minutes())), (Some(0), Some(731)));
    let l = &h.losses;
    assert_eq!((l.lost, l.lost_amount), (540, usd("52454900.00")));
    let reasons: Vec<(&str, u64, Money)> = l.by_reason.iter().map(|(k, r)| (k.as_str(), r.deals, r.amount)).collect();
    assert_eq!(
        reasons,
        [
            ("bad_fit", 21, usd("2577100.00")),
            ("bad_timing", 75, usd("7073400.00")),
            ("competitor", 128, usd("13131500.00")),
            ("missing_features", 54, usd("5157400.00")),
            ("no_decision", 147, usd("13184300.00")),
            ("price", 115, usd("11331200.00")),
        ]
    );
}

#[test]
fn a_deal_in_another_currency_is_set_aside_by_glance_and_hygiene() {
    let company = Company::new(42, 300).unwrap();
    let mut facts = company.facts();
    let won = facts.deals.iter_mut().find(|d| d.status == revops::facts::DealStatus::Won).unwrap();
    won.amount = Money::from_minor(100, Currency::EUR);
    let id = won.id.to_string();
    let agreement = sample_agreement().unwrap();
    let card = agreement.evaluate(&facts, company.as_of()).unwrap();
    let glance: Vec<_> = card.exclusions().filter(|e| e.section == Section::Glance).collect();
    assert_eq!(glance.len(), 1);
    assert_eq!(glance[0].record.as_deref(), Some(format!("deal `{id}`").as_str()));
    assert!(card.exclusions().any(|e| e.section == Section::Hygiene));
    assert!(agreement.evaluate_strict(&facts, company.as_of()).is_err());
}
