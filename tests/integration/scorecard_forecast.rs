//! The scorecard's forecast section (`kpis.forecast`): its figures are the forecast roll-up's
//! over the same deals, partitions merge in any order to one pass, it round-trips through JSON,
//! bad deals are set aside and named (or stop strict mode), and the terms are checked against
//! the rest of the agreement.

use std::sync::OnceLock;

use revops::agreement::scorecard::{ForecastSection, Section};
use revops::agreement::{Agreement, ReportWindow};
use revops::facts::{DealStatus, FactSet, ForecastCategory};
use revops::forecast::{CategoryMap, ForecastTally, Rollup};
use revops::testkit::{Company, sample_agreement};
use revops::{Currency, ErrorKind, Money, StageId, Tally};

fn agreement() -> &'static Agreement {
    static AGREEMENT: OnceLock<Agreement> = OnceLock::new();
    AGREEMENT.get_or_init(|| sample_agreement().unwrap())
}

fn section(agreement: &Agreement, facts: &FactSet, company: &Company) -> ForecastSection {
    agreement.evaluate(facts, company.as_of()).unwrap().forecast.unwrap()
}

#[test]
fn the_section_is_the_forecast_rollup_of_the_same_deals() {
    let company = Company::sample();
    let facts = company.facts();
    let forecast = section(agreement(), &facts, &company);
    let terms = agreement().parts().kpis.forecast.as_ref().unwrap();
    let zone = agreement().reporting_zone();
    assert_eq!(terms.period, ReportWindow::Quarter(0));
    let period = terms.period.resolve(company.as_of(), zone).unwrap();
    assert_eq!(forecast.period, period);
    let tally =
        ForecastTally::new(period, zone, Currency::USD, terms.categories.clone()).quota(terms.quota.unwrap()).unwrap();
    assert_eq!(forecast.rollup, tally.tally(&facts.deals).unwrap());
    assert!(forecast.excluded.is_empty() && forecast.assumed);

    // The figures make sense: the open deals closing in the quarter fall in the categories of
    // their stages, weighted by their probability; the open pipeline is the coverage KPI's.
    let r = &forecast.rollup;
    let open_in_quarter = facts
        .deals
        .iter()
        .filter(|d| matches!(d.status, DealStatus::Open { .. }))
        .filter(|d| d.close_date.is_some_and(|c| period.contains(zone.start_of_day(c).unwrap())))
        .count() as u64;
    for category in [ForecastCategory::Pipeline, ForecastCategory::BestCase, ForecastCategory::Commit] {
        assert!(r.single[&category].deals > 0, "{category:?}");
    }
    let open = &r.cumulative[&Rollup::OpenPipeline];
    assert_eq!(open.totals.deals, open_in_quarter);
    let card = agreement().evaluate(&facts, company.as_of()).unwrap();
    let coverage = card.deals.coverage.unwrap().coverage;
    assert_eq!(open.coverage, coverage.coverage);
    assert_eq!(r.remaining, Some(coverage.quota.checked_sub(coverage.won).unwrap()));
}

#[test]
fn partitions_merge_in_any_order_to_one_pass() {
    let company = Company::new(23, 900).unwrap();
    let one_pass = agreement().evaluate(&company.facts(), company.as_of()).unwrap();
    let mut parts: Vec<FactSet> = [0..250, 250..600, 600..900].map(|r| company.lead_facts_in(r)).into();
    // A bad deal in one partition: set aside wherever it is pushed.
    let mut bad = parts[1].deals[0].clone();
    bad.amount = Money::from_minor(1_000, Currency::EUR);
    bad.id = revops::OpportunityId::new("EUR-1").unwrap();
    parts[1].deals.push(bad.clone());
    let mut all = company.facts();
    all.deals.push(bad);
    let expected = agreement().evaluate(&all, company.as_of()).unwrap().forecast.unwrap();
    assert_eq!(expected.rollup, one_pass.forecast.as_ref().unwrap().rollup);
    for order in [[0, 1, 2], [2, 0, 1], [1, 2, 0]] {
        let mut tallies = order.into_iter().map(|i| {
            let mut t = agreement().tally(company.as_of()).unwrap();
            t.push(&parts[i]).unwrap();
            t
        });
        let mut merged = tallies.next().unwrap();
        for t in tallies {
            merged.merge(t).unwrap();
        }
        assert_eq!(merged.finish().unwrap().forecast.unwrap(), expected, "{order:?}");
    }
}

#[test]
fn the_section_round_trips_through_json_and_prints_its_categories() {
    let company = Company::new(5, 700).unwrap();
    let forecast = section(agreement(), &company.facts(), &company);
    let json = serde_json::to_string(&forecast).unwrap();
    assert_eq!(serde_json::from_str::<ForecastSection>(&json).unwrap(), forecast);
    let text = forecast.to_string();
    for label in ["pipeline", "best case", "commit", "omitted", "closed", "open pipeline", "commit forecast"] {
        assert!(text.lines().any(|l| l.get(4..).is_some_and(|l| l.starts_with(label))), "{label}: {text}");
    }
}

#[test]
fn a_deal_in_another_currency_or_without_a_category_is_set_aside_and_named() {
    let company = Company::new(42, 400).unwrap();
    let mut facts = company.facts();
    let clean = section(agreement(), &facts, &company);
    let open = facts.deals.iter().position(|d| matches!(d.status, DealStatus::Open { .. })).unwrap();
    let mut euro = facts.deals[open].clone();
    euro.id = revops::OpportunityId::new("EUR-1").unwrap();
    euro.amount = Money::from_minor(50_000, Currency::EUR);
    let mut unknown = facts.deals[open].clone().forecast_category(None).stage(Some(StageId::new("mql").unwrap()));
    unknown.id = revops::OpportunityId::new("NOCAT-1").unwrap();
    unknown.close_date = Some(company.as_of().date_naive()); // in the quarter
    facts.deals.extend([euro, unknown]);
    let forecast = section(agreement(), &facts, &company);
    assert_eq!(forecast.rollup, clean.rollup); // counted without them
    let named: Vec<_> = forecast.excluded.iter().map(|e| (e.section, e.record.clone().unwrap())).collect();
    assert_eq!(
        named,
        [(Section::Forecast, "deal `EUR-1`".to_owned()), (Section::Forecast, "deal `NOCAT-1`".to_owned())]
    );
    assert!(forecast.excluded[0].error.contains("EUR"), "{:?}", forecast.excluded[0]);
    let err = agreement().evaluate_strict(&facts, company.as_of()).unwrap_err();
    assert!(err.record().is_some_and(|r| r.to_string().starts_with("deal `")), "{err}");
}

#[test]
fn the_terms_are_checked_against_the_funnel_and_the_currency() {
    let mut parts = agreement().parts().clone();
    let terms = parts.kpis.forecast.as_mut().unwrap();
    terms.categories =
        CategoryMap::new([(StageId::new("proposal").unwrap(), ForecastCategory::BestCase)], None).unwrap();
    let err = Agreement::new(parts.clone()).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::UnknownReference { part, key, .. } if part == "kpis.forecast.categories.stages" && key == "proposal"),
        "{err}"
    );
    let mut parts = agreement().parts().clone();
    parts.kpis.forecast.as_mut().unwrap().quota = Some(Money::from_minor(100, Currency::EUR));
    let err = Agreement::new(parts.clone()).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::InvalidValue { field: "kpis.forecast.quota", .. }), "{err}");
    parts.kpis.forecast.as_mut().unwrap().quota = Some(Money::from_minor(-100, Currency::USD));
    assert!(Agreement::new(parts).is_err());
    // Without a quota: no coverage, no share of quota.
    let mut parts = agreement().parts().clone();
    parts.kpis.forecast.as_mut().unwrap().quota = None;
    let company = Company::new(3, 300).unwrap();
    let forecast = section(&Agreement::new(parts).unwrap(), &company.facts(), &company);
    assert!(forecast.rollup.cumulative.values().all(|c| c.coverage.is_none() && c.to_quota.is_none()));
    assert!(!forecast.to_string().contains("quota still to close"));
}
