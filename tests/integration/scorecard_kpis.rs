//! The scorecard's deal and unit-economics KPIs (the quickstart's section 5 after the
//! conversion table): the sample company's figures to the cent, bad deals and spend set aside
//! per section, and the definitions' validation.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::TimeDelta;
use revops::agreement::scorecard::{Scorecard, Section};
use revops::agreement::{Agreement, CoverageTerms};
use revops::facts::{DealStatus, Origin};
use revops::metrics::{AcquisitionKey, CycleOutcome};
use revops::testkit::{Company, sample_agreement};
use revops::{Currency, ErrorKind, Money, Ratio, Tally};
use rust_decimal::Decimal;

fn agreement() -> &'static Agreement {
    static AGREEMENT: OnceLock<Agreement> = OnceLock::new();
    AGREEMENT.get_or_init(|| sample_agreement().unwrap())
}

fn card() -> &'static Scorecard {
    static CARD: OnceLock<Scorecard> = OnceLock::new();
    CARD.get_or_init(|| {
        let company = Company::sample();
        agreement().evaluate(&company.facts(), company.as_of()).unwrap()
    })
}

fn usd(amount: &str) -> Money {
    Money::new(amount.parse().unwrap(), Currency::USD)
}

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

#[test]
fn win_rate_by_lead_source_all_deals_and_marketing_sourced() {
    let w = card().deals.win_rate.as_ref().unwrap();
    assert_eq!((w.period.start().to_rfc3339(), w.period.end()), ("2024-04-01T00:00:00+00:00".to_owned(), card().as_of));
    let groups = &w.groups[0].groups;
    assert_eq!(groups.len(), 12);
    let content = &groups[0];
    assert_eq!(content.key.as_deref(), Some("content"));
    assert_eq!(content.rate.count, Ratio::new(19, 64));
    assert_eq!((content.rate.won_amount, content.rate.closed_amount), (usd("2570300.00"), usd("7197500.00")));
    let webinar = groups.iter().find(|g| g.key.as_deref() == Some("webinar")).unwrap();
    assert_eq!(webinar.rate.value.to_string(), "1736300.00/3306500.00 (52.5%)");
    assert_eq!(w.all.count, Ratio::new(244, 784));
    assert_eq!((w.all.won_amount, w.all.closed_amount), (usd("24142300.00"), usd("76597200.00")));
    assert_eq!(w.origins[0].origin, Origin::Marketing);
    assert_eq!(w.origins[0].rate.count, Ratio::new(215, 697));
    assert_eq!(w.origins[0].rate.value.to_string(), "20667800.00/66878600.00 (30.9%)");
}

#[test]
fn sales_cycle_won_and_lost_in_elapsed_and_calendar_days() {
    let cycle = card().deals.cycle.as_ref().unwrap();
    let [won, lost] = &cycle.outcomes[..] else { panic!("two outcomes") };
    assert_eq!((won.outcome, lost.outcome), (CycleOutcome::Won, CycleOutcome::Lost));
    let shown = |d: Option<Decimal>| d.unwrap().round_dp(1);
    let e = &won.elapsed_days;
    assert_eq!((e.count, shown(e.mean), shown(e.median), shown(e.p90)), (244, dec("70.0"), dec("59.4"), dec("133.6")));
    let c = &won.calendar_days;
    assert_eq!((c.count, c.median, c.p90), (244, Some(dec("59")), Some(dec("134"))));
    let e = &lost.elapsed_days;
    assert_eq!((e.count, shown(e.mean), shown(e.median), shown(e.p90)), (540, dec("65.6"), dec("55.7"), dec("122.0")));
    assert_eq!((lost.calendar_days.median, lost.calendar_days.p90), (Some(dec("56")), Some(dec("122"))));
}

#[test]
fn velocity_weighted_pipeline_and_coverage_with_their_parts() {
    let deals = &card().deals;
    let vel = deals.velocity.as_ref().unwrap();
    let x = &vel.velocity;
    assert_eq!((x.open_qualified, x.win_rate), (54, Ratio::new(244, 784)));
    assert_eq!(x.average_deal_size, Some(usd("98943.85")));
    assert_eq!(x.cycle_days.map(|d| d.round_dp(1)), Some(dec("70.0")));
    assert_eq!((x.per_day, vel.per_day_from_parts), (Some(usd("23764.60")), Some(usd("23764.60"))));
    let pipe = deals.pipeline.as_ref().unwrap();
    assert_eq!((pipe.deals, pipe.amount, pipe.weighted), (54, usd("5551000.00"), usd("2747420.00")));
    let cov = deals.coverage.as_ref().unwrap();
    assert_eq!(cov.period.start().to_rfc3339(), "2025-04-01T00:00:00+00:00");
    assert_eq!(cov.period.end().to_rfc3339(), "2025-07-01T00:00:00+00:00");
    assert!(cov.assumed);
    let k = &cov.coverage;
    assert_eq!((k.quota, k.won, k.remaining), (usd("1500000.00"), usd("0.00"), Some(usd("1500000.00"))));
    assert_eq!(k.open_pipeline, usd("4884500.00"));
    assert_eq!(k.coverage.unwrap().to_string(), "4884500.00/1500000.00 (325.6%)");
}

#[test]
fn unit_economics_to_the_cent() {
    let e = card().economics.as_ref().unwrap();
    assert_eq!(
        (e.window.first_month.to_string(), e.last_month.to_string()),
        ("2024-04-01".into(), "2025-03-01".into())
    );
    assert_eq!(e.arpa, Some(usd("8192.42")));
    assert_eq!((e.cac.spend, e.cac.customers, e.cac.blended), (usd("6845447.00"), 212, Some(usd("32289.84"))));
    assert_eq!((e.cac.paid_spend, e.cac.paid_customers, e.cac.paid), (usd("1426448.00"), 148, Some(usd("9638.16"))));
    assert_eq!(e.ltv.as_ref().unwrap().value, Some(usd("436929.07")));
    assert_eq!(e.discounted_ltv.as_ref().unwrap().value, Some(usd("264779.01")));
    assert_eq!(e.ltv_to_cac.unwrap().value().map(|v| v.round_dp(1)), Some(dec("13.5")));
    assert_eq!(e.payback_months, Some(dec("4.93")));
    let r = e.cac_ratio.as_ref().unwrap();
    assert_eq!(r.new_arr_period.start().to_rfc3339(), "2024-10-01T00:00:00+00:00");
    assert_eq!(r.spend_period.start().to_rfc3339(), "2024-07-01T00:00:00+00:00");
    assert_eq!((r.new_arr, r.spend), (usd("7582400.00"), usd("1666339.00")));
    assert_eq!(r.ratio.value().map(|v| v.round_dp(2)), Some(dec("3.64")));
    assert!(card().exclusions().next().is_none());
}

/// The acquisition rows' spend, paid spend, won amount, customers, paid customers and won
/// deals sum to the blended section's.
fn assert_rows_sum_to_the_blended_section(
    e: &revops::agreement::scorecard::EconomicsSection,
    rows: &[revops::agreement::scorecard::SourceEconomics],
) {
    let sum = |f: &dyn Fn(&revops::agreement::scorecard::SourceEconomics) -> Money| {
        rows.iter().map(f).fold(Money::zero(Currency::USD), |a, b| a.checked_add(b).unwrap())
    };
    assert_eq!(sum(&|r| r.cac.spend), e.cac.spend);
    assert_eq!(sum(&|r| r.cac.paid_spend), e.cac.paid_spend);
    assert_eq!(sum(&|r| r.won_amount), e.won_amount);
    assert_eq!(rows.iter().map(|r| r.cac.customers).sum::<u64>(), e.cac.customers);
    assert_eq!(rows.iter().map(|r| r.cac.paid_customers).sum::<u64>(), e.cac.paid_customers);
    assert_eq!(rows.iter().map(|r| r.won_deals).sum::<u64>(), e.won_deals);
}

#[test]
fn ltv_by_lead_source_partitions_the_blended_figures() {
    let e = card().economics.as_ref().unwrap();
    let rows = &e.by_source;
    // Source order, the spend on no channel (salaries, tools) first and never spread.
    let sources: Vec<_> = rows.iter().map(|r| r.source.as_ref().map(|s| s.as_str().to_owned())).collect();
    assert!(sources.windows(2).all(|w| w[0] < w[1]) && sources.first() == Some(&None));
    let unsourced = &rows[0];
    assert_eq!((unsourced.cac.customers, unsourced.cac.spend, unsourced.cac.blended), (0, usd("5418999.00"), None));
    // The rows sum to the blended section.
    assert_rows_sum_to_the_blended_section(e, rows);
    // Paid search to the cent: 33 customers bought by $351,467 of spend; its ARPA, LTV at the
    // assumed 1.5% churn and 80% margin, and LTV:CAC of the amounts shown.
    let search = rows.iter().find(|r| r.source.as_ref().is_some_and(|s| s.as_str() == "paid_search")).unwrap();
    assert_eq!((search.cac.customers, search.cac.spend), (33, usd("351467.00")));
    assert_eq!(search.cac.blended, Some(usd("10650.52"))); // 351,467 / 33 = 10,650.515...
    let arpa = search.arpa.unwrap();
    assert_eq!(arpa, usd("7792.32"));
    let ltv = search.ltv.as_ref().unwrap().value.unwrap();
    assert_eq!(ltv, usd("415590.40")); // 7,792.32 x 0.8 / 0.015
    assert_eq!(search.ltv_to_cac, revops::metrics::ltv_to_cac(ltv, usd("10650.52")).unwrap());
    assert_eq!(search.ltv_to_cac.unwrap().value().map(|v| v.round_dp(1)), Some(dec("39.0")));
    // A source with no spend has a zero CAC and no LTV:CAC, never an infinite one.
    let organic = rows.iter().find(|r| r.source.as_ref().is_some_and(|s| s.as_str() == "organic")).unwrap();
    assert_eq!((organic.cac.blended, organic.ltv_to_cac), (Some(usd("0.00")), None));
}

#[test]
fn ltv_by_first_touch_channel_partitions_the_blended_figures_and_is_the_library_join() {
    let e = card().economics.as_ref().unwrap();
    let rows = &e.by_first_touch;
    let keys: Vec<_> = rows.iter().map(|r| r.source.as_ref().map(|s| s.as_str().to_owned())).collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]) && keys.first() == Some(&None));
    // The rows sum to the blended section, as the lead-source rows do.
    assert_rows_sum_to_the_blended_section(e, rows);
    // Each row's customers are the library's first-touch acquisitions of the window's months.
    let company = Company::sample();
    let acquired =
        revops::metrics::acquired_customers(&company.facts(), AcquisitionKey::FirstTouch, agreement().reporting_zone())
            .unwrap();
    let (first, end) = (e.window.first_month, e.last_month.checked_add_months(chrono::Months::new(1)).unwrap());
    let mut expected: BTreeMap<Option<String>, u64> = BTreeMap::new();
    for c in acquired.iter().filter(|c| (first..end).contains(&c.customer().acquired_on())) {
        *expected.entry(c.channel().map(|ch| ch.as_str().to_owned())).or_default() += 1;
    }
    let got: BTreeMap<Option<String>, u64> = rows
        .iter()
        .filter(|r| r.cac.customers > 0)
        .map(|r| (r.source.as_ref().map(|s| s.as_str().to_owned()), r.cac.customers))
        .collect();
    assert_eq!(got, expected);
    // Paid search to the cent (the quickstart's row): 39 customers, the channel's spend.
    let search = rows.iter().find(|r| r.source.as_ref().is_some_and(|s| s.as_str() == "paid_search")).unwrap();
    assert_eq!(
        (search.cac.customers, search.cac.spend, search.cac.blended),
        (39, usd("351467.00"), Some(usd("9011.97")))
    );
    assert_eq!((search.arpa, search.ltv.as_ref().unwrap().value), (Some(usd("6366.49")), Some(usd("339546.13"))));
}

#[test]
fn a_journey_given_twice_with_different_touches_is_set_aside_by_the_first_touch_rows() {
    let company = Company::sample();
    let mut facts = company.facts();
    let mut copy = facts.journeys.iter().find(|j| !j.touches.is_empty()).unwrap().clone();
    copy.touches[0].channel = revops::ChannelId::new("a_different_channel").unwrap();
    let id = copy.id.to_string();
    facts.journeys.push(copy);
    let card = agreement().evaluate(&facts, company.as_of()).unwrap();
    let named: Vec<_> = card
        .exclusions()
        .filter(|x| x.section == Section::Economics)
        .map(|x| (x.record_kind.clone(), x.record.clone().unwrap_or_default()))
        .collect();
    assert_eq!(named.len(), 1, "{named:?}");
    assert_eq!(named[0].0.as_deref(), Some("journey"));
    assert!(named[0].1.contains(&id), "{named:?}");
    // No row gains the other copy's channel; strict mode stops at the journey.
    let rows = &card.economics.as_ref().unwrap().by_first_touch;
    assert!(rows.iter().all(|r| r.source.as_ref().is_none_or(|s| s.as_str() != "a_different_channel")));
    assert!(agreement().evaluate_strict(&facts, company.as_of()).is_err());
}

#[test]
fn a_journey_with_touches_out_of_order_has_no_first_touch_and_is_named() {
    let company = Company::sample();
    let mut facts = company.facts();
    let journey = facts.journeys.iter_mut().find(|j| j.touches.len() > 2 && j.touches[0].at < j.touches[2].at).unwrap();
    journey.touches.swap(0, 2);
    let id = journey.id.to_string();
    let card = agreement().evaluate(&facts, company.as_of()).unwrap();
    let named: Vec<_> = card.exclusions().filter(|x| x.section == Section::Economics).collect();
    assert_eq!(named.len(), 1, "{named:?}");
    assert_eq!(named[0].record_kind.as_deref(), Some("journey"));
    assert!(named[0].record.as_deref().is_some_and(|r| r.contains(&id)), "{named:?}");
    assert!(agreement().evaluate_strict(&facts, company.as_of()).is_err());
}

#[test]
fn the_ltv_at_the_measured_churn_is_the_retention_tallys_month_of_the_same_facts() {
    let e = card().economics.as_ref().unwrap();
    let m = e.measured.as_ref().unwrap();
    // The window's last month, March 2025, in the reporting zone.
    assert_eq!(m.period.start().to_rfc3339(), "2025-03-01T00:00:00+00:00");
    assert_eq!(m.period.end().to_rfc3339(), "2025-04-01T00:00:00+00:00");
    let company = Company::sample();
    let terms = revops::metrics::RetentionTerms::new(
        m.period.start(),
        m.period.end(),
        company.as_of(),
        revops::metrics::Bucket::Month,
        agreement().reporting_zone(),
    )
    .unwrap();
    let month = revops::metrics::RetentionTally::new(terms, Currency::USD, BTreeMap::new())
        .tally(&company.facts().recurring_revenue)
        .unwrap()
        .total;
    assert_eq!(m.month, month);
    let basis = revops::metrics::RevenueChurn::Gross;
    assert_eq!(m.churn, month.revenue_churn(basis));
    let margin = agreement().parts().kpis.economics.as_ref().unwrap().gross_margin.fraction();
    let ltv = revops::metrics::Ltv::from_revenue_churn(e.arpa.unwrap(), margin, &month, basis).unwrap();
    assert_eq!(m.ltv, ltv);
    assert!(m.churn.is_some_and(|c| c > Decimal::ZERO) && m.ltv.as_ref().and_then(|l| l.value).is_some());
}

#[test]
fn without_by_source_the_board_has_no_source_rows_and_the_same_blended_figures() {
    let mut parts = agreement().parts().clone();
    parts.kpis.economics.as_mut().unwrap().by_source = false;
    let plain = Agreement::new(parts).unwrap();
    let company = Company::sample();
    let plain_card = plain.evaluate(&company.facts(), company.as_of()).unwrap();
    let (e, full) = (plain_card.economics.as_ref().unwrap(), card().economics.as_ref().unwrap());
    assert!(e.by_source.is_empty());
    assert_eq!((&e.cac, e.arpa, &e.ltv, e.ltv_to_cac), (&full.cac, full.arpa, &full.ltv, full.ltv_to_cac));
    // Not written when false: the terms' canonical form is the one before the option existed.
    let toml = toml::to_string(&e.terms).unwrap();
    assert!(!toml.contains("by_source"));
}

#[test]
fn a_deal_in_another_currency_and_a_won_deal_without_account_are_set_aside() {
    let company = Company::new(42, 600).unwrap();
    let mut facts = company.facts();
    let clean = agreement().evaluate(&facts, company.as_of()).unwrap();
    let euro = facts.deals.iter_mut().find(|d| d.status == DealStatus::Won).unwrap();
    euro.amount = Money::new(euro.amount.amount(), Currency::EUR);
    let euro = euro.id.clone();
    let orphan = facts.deals.iter_mut().rev().find(|d| d.status == DealStatus::Won).unwrap();
    orphan.account = None;
    let orphan = orphan.id.clone();
    let card = agreement().evaluate(&facts, company.as_of()).unwrap();
    // The deal KPIs set the euro deal aside; the orphan is a fine deal to them.
    let deals: Vec<_> = card.deals.excluded.iter().map(|e| (e.section, e.record.clone().unwrap())).collect();
    assert_eq!(deals, [(Section::Deals, format!("deal `{euro}`"))]);
    assert!(card.deals.excluded[0].error.contains("EUR"), "{}", card.deals.excluded[0].error);
    // Unit economics sets both aside: a won deal without an account cannot tell a new customer.
    let economics = &card.economics.as_ref().unwrap().excluded;
    let mut named: Vec<_> = economics.iter().map(|e| e.record.clone().unwrap()).collect();
    named.sort();
    let mut expected = [format!("deal `{euro}`"), format!("deal `{orphan}`")];
    expected.sort();
    assert_eq!(named, expected);
    assert!(economics.iter().all(|e| e.section == Section::Economics));
    // Only the euro deal is missing from the win rate (if it closed in the window).
    let closed = |c: &Scorecard| c.deals.win_rate.as_ref().unwrap().all.count.denominator();
    assert_eq!(closed(&card) + u64::from(in_window(&clean, &facts, &euro)), closed(&clean));
    // Strict mode stops at the first.
    assert!(agreement().evaluate_strict(&facts, company.as_of()).is_err());
}

/// Whether deal `id` closed in the win-rate window of `card`.
fn in_window(card: &Scorecard, facts: &revops::facts::FactSet, id: &revops::OpportunityId) -> bool {
    let period = card.deals.win_rate.as_ref().unwrap().period;
    facts.deals.iter().find(|d| &d.id == id).unwrap().closed_at.is_some_and(|c| period.contains(c))
}

#[test]
fn a_spend_line_over_two_months_is_set_aside_by_unit_economics() {
    let company = Company::new(42, 300).unwrap();
    let mut facts = company.facts();
    let line = &mut facts.spend[0];
    line.period = revops::Period::new(line.period.start(), line.period.end() + TimeDelta::days(40)).unwrap();
    let card = agreement().evaluate(&facts, company.as_of()).unwrap();
    let excluded = &card.economics.as_ref().unwrap().excluded;
    assert_eq!(excluded.len(), 1, "{excluded:?}");
    assert_eq!(excluded[0].record_kind.as_deref(), Some("spend"));
    assert!(card.deals.excluded.is_empty());
}

#[test]
fn money_kpis_need_the_currency_and_the_quota_in_it() {
    let mut parts = agreement().parts().clone();
    parts.kpis.currency = None;
    let err = Agreement::new(parts.clone()).unwrap_err();
    // The first part that needs the currency names it (the hygiene block or a money KPI).
    assert!(err.to_string().contains("kpis.currency"), "{err}");
    parts.kpis.currency = Some(Currency::USD);
    parts.kpis.coverage =
        Some(CoverageTerms { quarter: 0, quota: Money::from_minor(100, Currency::EUR), assumed: false });
    let err = Agreement::new(parts.clone()).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::InvalidValue { field: "kpis.coverage.quota", .. }), "{err}");
    // The file form is checked the same way, and each part on its own when read.
    let text = toml::to_string(agreement()).unwrap();
    let kpis = text.find("[kpis]").unwrap();
    let (head, tail) = text.split_at(kpis);
    let without_currency = format!("{head}{}", tail.replacen("currency = \"USD\"\n", "", 1));
    let edits = [
        without_currency,
        text.replace("acv_months = 12", "acv_months = 0"),
        text.replace("outcomes = [\"won\", \"lost\"]", "outcomes = []"),
        text.replace("gross_margin = \"80%\"", "gross_margin = \"80\""),
    ];
    for edited in edits {
        assert_ne!(edited, text);
        assert!(toml::from_str::<Agreement>(&edited).is_err(), "{edited}");
    }
    assert!(toml::from_str::<Agreement>(&text).is_ok());
}

/// A return-on-marketing column is the agreement's model name, not the model's label: a time
/// decay model named `decay_7d` (label `time_decay`) is a column like any other, and its
/// bookings are those of the first column (every model credits the same journeys).
#[test]
fn a_return_column_is_named_by_the_agreement_not_the_model_label() {
    let mut parts = sample_agreement().unwrap().parts().clone();
    let decay = revops::attribution::Model::time_decay(TimeDelta::days(7)).unwrap();
    parts.attribution.models.insert("decay_7d".to_owned(), decay);
    let terms = parts.kpis.return_on_marketing.as_mut().unwrap();
    terms.models.push("decay_7d".to_owned());
    let agreement = Agreement::new(parts).unwrap();
    let company = Company::new(3, 300).unwrap();
    let card = agreement.evaluate(&company.facts(), company.as_of()).unwrap();
    let table = &card.return_on_marketing.unwrap().table;
    assert_eq!(table.models.last().map(String::as_str), Some("decay_7d"));
    assert_eq!(table.bookings.last(), table.bookings.first());
}
