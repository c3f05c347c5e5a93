//! The agreement files in `examples/agreements/`: each loads, validates and evaluates.
//!
//! The HubSpot and Salesforce agreements are evaluated the way a service would run them: the
//! sample company's CRM export is mapped through the agreement's own stage map into facts,
//! then `agreement.evaluate(...)`. Their figures must equal the sample agreement's over the
//! sample company's facts, stage for stage (the same company, its stages named by another
//! CRM), evaluated in the same reporting zone.

use std::collections::BTreeMap;

use revops::agreement::Agreement;
use revops::agreement::scorecard::Scorecard;
use revops::crm::{Mapped, Mapping};
use revops::facts::{DealStatus, FactSet, ForecastCategory};
use revops::testkit::{Company, sample_agreement};
use revops::{Currency, StageId};

/// The sample company's agreement, as a file.
const SAMPLE: &str = include_str!("../../examples/agreements/sample.toml");
/// A company on HubSpot's lifecycle stages.
const HUBSPOT: &str = include_str!("../../examples/agreements/hubspot_lifecycle.toml");
/// A Salesforce shop with a demand waterfall.
const SALESFORCE: &str = include_str!("../../examples/agreements/salesforce_waterfall.toml");

#[test]
fn the_sample_file_is_the_sample_agreement_and_evaluates() {
    if std::env::var_os("REVOPS_WRITE_AGREEMENTS").is_some() {
        let text = toml::to_string(&sample_agreement().unwrap()).unwrap();
        std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/agreements/sample.toml"), text).unwrap();
        return;
    }
    let loaded: Agreement = toml::from_str(SAMPLE).unwrap();
    let built = sample_agreement().unwrap();
    assert_eq!(loaded.fingerprint(), built.fingerprint());
    assert_eq!(loaded, built);
    // The same document as JSON has the same fingerprint.
    let json: Agreement = serde_json::from_str(&serde_json::to_string(&loaded).unwrap()).unwrap();
    assert_eq!(json.fingerprint(), built.fingerprint());
    let company = Company::sample();
    let scorecard = loaded.evaluate(&company.facts(), company.as_of()).unwrap();
    assert_eq!(scorecard.fingerprint, *built.fingerprint());
}

/// Loads a TOML agreement and checks its copies: the same document converted to JSON as
/// written (human units and all), and the agreement written back canonically as TOML and as
/// JSON, all load to the same fingerprint.
fn load(text: &str) -> Agreement {
    let agreement: Agreement = toml::from_str(text).unwrap();
    let as_json = serde_json::to_string(&toml::from_str::<serde_json::Value>(text).unwrap()).unwrap();
    let copy: Agreement = serde_json::from_str(&as_json).unwrap();
    assert_eq!(copy.fingerprint(), agreement.fingerprint());
    assert_eq!(copy, agreement);
    let canonical_toml: Agreement = toml::from_str(&toml::to_string(&agreement).unwrap()).unwrap();
    assert_eq!(canonical_toml.fingerprint(), agreement.fingerprint());
    let canonical_json: Agreement = serde_json::from_str(&serde_json::to_string(&agreement).unwrap()).unwrap();
    assert_eq!(canonical_json.fingerprint(), agreement.fingerprint());
    // The human units are what the file says, and they write back canonically.
    assert!(agreement.canonical_json().contains(r#""at_risk":"75%""#));
    agreement
}

/// The sample agreement's scorecard of the sample company, in `agreement`'s reporting zone:
/// the figures a CRM-mapped evaluation must reproduce.
fn reference(agreement: &Agreement, company: &Company) -> Scorecard {
    let mut parts = sample_agreement().unwrap().parts().clone();
    parts.reporting_zone = agreement.reporting_zone();
    let sample = Agreement::new(parts).unwrap();
    let card = sample.evaluate(&company.facts(), company.as_of()).unwrap();
    let sections: Vec<_> = card.exclusions().map(|e| e.section).collect();
    assert!(sections.iter().all(|s| *s == revops::agreement::scorecard::Section::Economics), "{sections:?}");
    card
}

/// The facts of a CRM export (nothing set aside, and none of what the export does not carry),
/// completed from the sample company's other systems.
fn with_other_systems(mapped: Mapped, company: &Company) -> FactSet {
    assert!(mapped.set_aside.is_empty(), "{:?}", mapped.set_aside.first());
    let facts = mapped.facts;
    assert!(facts.accounts.is_empty() && facts.responses.is_empty() && facts.dispositions.is_empty());
    company.with_other_systems(facts)
}

fn id(s: &str) -> StageId {
    StageId::new(s).unwrap()
}

/// Funnel counts and KPI rates equal the reference's, through `stages` (sample stage ->
/// this agreement's stage).
fn assert_funnel_and_kpis(card: &Scorecard, reference: &Scorecard, stages: &[(&str, &str)]) {
    let to_sample: BTreeMap<StageId, StageId> = stages.iter().map(|(s, a)| (id(a), id(s))).collect();
    assert_eq!(card.funnel.leads, 5_000);
    assert_eq!(card.funnel.leads, reference.funnel.leads);
    let mut compared = 0;
    for count in &card.funnel.stages {
        match to_sample.get(&count.stage) {
            Some(sample) => {
                let expected = reference.funnel.stages.iter().find(|c| c.stage == *sample).unwrap();
                assert_eq!((count.entered, count.reached), (expected.entered, expected.reached), "{}", count.stage);
                compared += 1;
            }
            // A stage the sample company never uses (a subscriber) is entered by no lead.
            None => assert_eq!(count.entered, 0, "{}", count.stage),
        }
    }
    assert_eq!(compared, stages.len());
    let mut rates = 0;
    for kpi in &card.kpis.conversion {
        let (from, to) = (&to_sample[&kpi.from], &to_sample[&kpi.to]);
        let same = reference.kpis.conversion.iter().find(|k| k.from == *from && k.to == *to && k.mode == kpi.mode);
        if let Some(expected) = same {
            assert_eq!((kpi.rate, kpi.period, kpi.window_days), (expected.rate, expected.period, expected.window_days));
            rates += 1;
        }
        assert!(kpi.rate.denominator() > 0, "{} -> {}", kpi.from, kpi.to);
    }
    assert!(rates >= 5, "{rates}");
    assert!(card.kpis.excluded.is_empty());
}

#[test]
fn the_hubspot_agreement_evaluates_the_sample_companys_hubspot_export() {
    let agreement = load(HUBSPOT);
    assert_eq!(agreement.parts().calendars.len(), 2);
    let company = Company::sample();
    let reference = reference(&agreement, &company);
    let stages = &agreement.parts().crm["hubspot"];
    let mapped = company.hubspot_export().tables().map(&Mapping::new(stages, chrono_tz::UTC, Currency::USD));
    let sample = company.facts();
    assert_eq!(mapped.facts.deals.len(), sample.deals.len());
    let won = mapped.facts.deals.iter().filter(|d| d.status == DealStatus::Won).count();
    let card = agreement.evaluate(&with_other_systems(mapped, &company), company.as_of()).unwrap();
    assert_eq!(card.fingerprint, *agreement.fingerprint());
    assert_eq!(card.exclusions().count(), 0);

    let map = [
        ("lead", "lead"),
        ("mql", "mql"),
        ("sal", "sal"),
        ("sql", "sql"),
        ("opportunity", "opportunity"),
        ("won", "customer"),
        ("lost", "closed_lost"),
        ("recycled", "recycled"),
        ("disqualified", "disqualified"),
    ];
    assert_funnel_and_kpis(&card, &reference, &map);
    // Every won deal of the export is a lead that became a customer.
    let customers = card.funnel.stages.iter().find(|c| c.stage == id("customer")).unwrap();
    assert_eq!(customers.entered, u64::try_from(won).unwrap());
    assert!(won > 100, "{won}");
    // The MQL -> customer KPI, which the sample agreement does not define, is a real rate.
    let mql_to_customer = card.kpis.conversion.iter().find(|k| k.from == id("mql") && k.to == id("customer")).unwrap();
    assert!(
        mql_to_customer.rate.numerator() > 0 && mql_to_customer.rate.numerator() < mql_to_customer.rate.denominator()
    );

    // North America keeps the sample company's SLA: the same compliance to the lead.
    let na = &card.sla["north_america"];
    let expected = &reference.sla["sales_follow_up"];
    assert_eq!(na.calendar, "north_america");
    let summary = |p: &Option<revops::agreement::scorecard::PolicyCompliance>| p.as_ref().unwrap().summary.clone();
    // The sample agreement groups its teams by account region, these by lead owner: the
    // totals agree.
    assert_eq!(summary(&na.response).total, summary(&expected.response).total);
    assert_eq!(summary(&na.disposition).total, summary(&expected.disposition).total);
    assert_eq!(na.wall_clock, expected.wall_clock);
    // EMEA measures the same leads against a faster target on a London calendar.
    let emea = &card.sla["emea"];
    let (n, e) = (summary(&na.response).total, summary(&emea.response).total);
    assert_eq!(n.met + n.breached + n.active, e.met + e.breached + e.active);
    assert!(e.met < n.met, "{} {}", e.met, n.met);

    // The ICP scores every account of the company.
    let icp = card.icp.as_ref().unwrap();
    let mid = &icp.segments[&revops::SegmentId::new("mid_market").unwrap()];
    assert_eq!(mid.accounts, u64::try_from(company.account_count()).unwrap());
    let tiered: u64 = mid.tiers.iter().map(|t| t.accounts.numerator()).sum();
    assert_eq!(tiered, mid.accounts);
    assert!(mid.tiers.iter().all(|t| t.accounts.numerator() > 0));
    assert!(mid.disqualified > 0);

    // Attribution: the models the sample agreement also has credit the same cents.
    for model in ["first_touch", "linear", "u_shaped", "w_shaped", "full_path", "time_decay_7d"] {
        assert_eq!(
            card.attribution.models[model].currencies, reference.attribution.models[model].currencies,
            "{model}"
        );
    }
    let revenue = |model: &str| card.attribution.models[model].currencies[&Currency::USD].revenue;
    assert_eq!(revenue("last_touch"), revenue("first_touch"));
}

#[test]
fn the_salesforce_agreement_evaluates_the_sample_companys_salesforce_export() {
    let agreement = load(SALESFORCE);
    assert_eq!(agreement.parts().calendars.len(), 3);
    let company = Company::sample();
    let reference = reference(&agreement, &company);
    let stages = &agreement.parts().crm["salesforce"];
    let export = company.salesforce_export();
    let mapped = export.tables().map(&Mapping::new(stages, chrono_tz::UTC, Currency::USD));
    let sample = company.facts();
    // `created` LeadHistory rows and `Amount` OpportunityFieldHistory rows carry no fact.
    assert_eq!(mapped.skipped.len(), sample.leads.len() + sample.deals.len());
    // Forecast categories come from each Opportunity row: Commit is the 80% stage.
    let count = |category| mapped.facts.deals.iter().filter(|d| d.forecast_category == Some(category)).count();
    let at_80 = sample
        .deals
        .iter()
        .filter(|d| matches!(&d.status, DealStatus::Open { probability } if probability.percent().to_string() == "80"))
        .count();
    assert_eq!(count(ForecastCategory::Commit), at_80);
    assert!(at_80 > 0);
    let won = sample.deals.iter().filter(|d| d.status == DealStatus::Won).count();
    assert_eq!(count(ForecastCategory::Closed), won);
    let journeys = mapped.facts.journeys.len();
    let card = agreement.evaluate(&with_other_systems(mapped, &company), company.as_of()).unwrap();
    assert_eq!(card.fingerprint, *agreement.fingerprint());

    let map = [
        ("lead", "inquiry"),
        ("mql", "mql"),
        ("sal", "sal"),
        ("sql", "sql"),
        ("opportunity", "sqo"),
        ("won", "won"),
        ("lost", "lost"),
        ("recycled", "recycled"),
        ("disqualified", "disqualified"),
    ];
    assert_funnel_and_kpis(&card, &reference, &map);
    let won_stage = card.funnel.stages.iter().find(|c| c.stage == id("won")).unwrap();
    assert_eq!(won_stage.entered, u64::try_from(won).unwrap());

    // The Americas part keeps the sample company's SLA; Singapore's clock starts at creation.
    let americas = &card.sla["americas_inbound"];
    let expected = &reference.sla["sales_follow_up"];
    let summary = |p: &Option<revops::agreement::scorecard::PolicyCompliance>| p.as_ref().unwrap().summary.clone();
    // The sample agreement groups its teams by account region, these by lead owner: the
    // totals agree.
    assert_eq!(summary(&americas.response).total, summary(&expected.response).total);
    assert_eq!(summary(&americas.disposition).total, summary(&expected.disposition).total);
    let apac = summary(&card.sla["apac_inbound"].response).total;
    let na = summary(&americas.response).total;
    assert!(apac.met + apac.breached + apac.active > na.met + na.breached + na.active);
    assert!(card.sla["apac_inbound"].disposition.is_none());

    // Two ICP segments score every account each.
    let icp = card.icp.as_ref().unwrap();
    assert_eq!(icp.segments.len(), 2);
    for segment in icp.segments.values() {
        assert_eq!(segment.accounts, u64::try_from(company.account_count()).unwrap());
        assert_eq!(segment.tiers.iter().map(|t| t.accounts.numerator()).sum::<u64>(), segment.accounts);
    }

    // Attribution over the CampaignMember journeys: every model without a window credits the
    // same won revenue, the converting journeys' value to the cent.
    let converting: Vec<_> =
        card.attribution.models.values().map(|r| r.currencies[&Currency::USD].conversions).collect();
    assert!(journeys > 1_000, "{journeys}");
    let revenue = |model: &str| card.attribution.models[model].currencies[&Currency::USD].revenue;
    for model in ["last_touch", "even", "position_40_40", "sourced_and_created"] {
        assert_eq!(revenue(model), revenue("primary_campaign_source"), "{model}");
    }
    assert!(revenue("time_decay_14d").amount() < revenue("even").amount());
    assert!(converting.iter().all(|c| *c > 0));
    // The 180-day window and the direct exclusion leave some journeys no touch to credit: the
    // time-decay model alone sets those aside, one exclusion each, and says so.
    let conversions = |model: &str| card.attribution.models[model].currencies[&Currency::USD].conversions;
    let set_aside = conversions("even") - conversions("time_decay_14d");
    assert!(set_aside > 0);
    assert_eq!(card.exclusions().count(), usize::try_from(set_aside).unwrap());
    assert!(card.exclusions().all(|e| e.part.as_deref() == Some("time_decay_14d")));
}

/// The fuzz target `agreement_load` starts from the example files, as TOML and as JSON: its
/// seeds are copies of the current files (so fuzzing starts from valid agreements), and each
/// JSON seed is its TOML file's document.
#[test]
fn the_agreement_fuzz_seeds_are_the_example_files() {
    let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/seeds/agreement_load");
    for (name, text) in [("sample", SAMPLE), ("hubspot_lifecycle", HUBSPOT), ("salesforce_waterfall", SALESFORCE)] {
        let seed = std::fs::read_to_string(format!("{seeds}/{name}.toml")).unwrap();
        assert_eq!(seed, text, "fuzz/seeds/agreement_load/{name}.toml is stale: copy the example file");
        let json = std::fs::read_to_string(format!("{seeds}/{name}.json")).unwrap();
        let from_json: Agreement = serde_json::from_str(&json).unwrap();
        let from_toml: Agreement = toml::from_str(text).unwrap();
        assert_eq!(from_json.fingerprint(), from_toml.fingerprint(), "{name}.json");
    }
}
