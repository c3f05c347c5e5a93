//! The scorecard's retention section (`kpis.retention`): the same figures as the retention
//! tally run directly on the sample company's recurring revenue (tiered by the ICP), partitions
//! merge to one pass, the section reads back from JSON, the terms are checked against the
//! agreement, and an agreement without them keeps its fingerprint.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use revops::agreement::{Agreement, CohortGrain, ReportWindow, RetentionKpiTerms};
use revops::facts::FactSet;
use revops::metrics::{Retention, RetentionTally, RetentionTerms};
use revops::testkit::{Company, sample_agreement};
use revops::{AccountId, Currency, ErrorKind, SegmentId, Tally};

fn agreement() -> &'static Agreement {
    static AGREEMENT: OnceLock<Agreement> = OnceLock::new();
    AGREEMENT.get_or_init(|| sample_agreement().unwrap())
}

/// The sample agreement with `terms` as its retention.
fn with_retention(terms: Option<RetentionKpiTerms>) -> Result<Agreement, revops::Error> {
    let mut parts = agreement().parts().clone();
    parts.kpis.retention = terms;
    Agreement::new(parts)
}

/// The retention tally run by hand on `facts`: the agreement's period in its reporting zone,
/// each account's tier its fit in `core` under the agreement's tiers.
fn by_hand(facts: &FactSet, company: &Company) -> Retention {
    let parts = agreement().parts();
    let terms = parts.kpis.retention.as_ref().unwrap();
    let zone = agreement().reporting_zone();
    let period = terms.period.resolve(company.as_of(), zone).unwrap();
    let metric =
        RetentionTerms::new(period.start(), period.end(), company.as_of(), terms.cohort.bucket(), zone).unwrap();
    let (icp, tiers) =
        (parts.icp.as_ref().unwrap().get(&SegmentId::new("core").unwrap()).unwrap(), parts.tiers.as_ref().unwrap());
    let tier_of: BTreeMap<AccountId, String> = facts
        .accounts
        .iter()
        .filter_map(|a| {
            let fit = icp.score(a).ok()?;
            Some((a.id.clone(), tiers.as_slice()[tiers.tier_of(fit.score)?].name.clone()))
        })
        .collect();
    RetentionTally::new(metric, Currency::USD, tier_of).tally(&facts.recurring_revenue).unwrap()
}

#[test]
fn the_board_equals_the_retention_tally_on_the_same_facts() {
    let company = Company::new(42, 3_000).unwrap();
    let facts = company.facts();
    let card = agreement().evaluate(&facts, company.as_of()).unwrap();
    let section = card.retention.as_ref().unwrap();
    assert_eq!(section.retention, by_hand(&facts, &company));
    assert!(section.excluded.is_empty());
    assert_eq!(section.segment.as_ref().map(SegmentId::as_str), Some("core"));
    let total = &section.retention.total;
    // The sample company's customers expand, contract and churn within the period.
    assert!(total.customers > 20, "{}", total.customers);
    assert!(!total.expansion.is_zero() && !total.contraction.is_zero() && !total.churn.is_zero());
    // GRR leaves expansion out: at most 100%, and at most NRR.
    assert!(total.grr <= Some(rust_decimal::Decimal::ONE) && total.grr <= total.nrr);
    // Cohorts and tiers partition the period cohort.
    let sum =
        |rows: &mut dyn Iterator<Item = &revops::metrics::RetentionRow>| -> u64 { rows.map(|r| r.customers).sum() };
    assert_eq!(sum(&mut section.retention.by_cohort.values()), total.customers);
    assert_eq!(sum(&mut section.retention.by_tier.values()), total.customers);
    assert!(section.retention.by_tier.len() > 1);
    // Quarterly cohorts, as the agreement says.
    assert!(section.retention.by_cohort.keys().all(|d| matches!(chrono::Datelike::month(d), 1 | 4 | 7 | 10)));
    // The board text shows the section's own figures.
    let text = section.to_string();
    for figure in [total.start_mrr.to_string(), total.end_mrr.to_string(), total.logo_churn.to_string()] {
        assert!(text.contains(&figure), "{figure} not in\n{text}");
    }
    assert!(text.contains("by ICP tier") && text.contains("2024 Q3"), "{text}");
}

#[test]
fn partitions_merge_in_any_order_to_one_pass() {
    let company = Company::new(8, 1_200).unwrap();
    let facts = company.facts();
    let one_pass = agreement().evaluate(&facts, company.as_of()).unwrap();
    // Leads in three partitions; accounts, and the recurring revenue, split over them (one
    // account's history may sit in two partitions).
    let mut parts: Vec<FactSet> = [0..300, 300..800, 800..1_200].map(|r| company.lead_facts_in(r)).into();
    for (i, account) in facts.accounts.iter().enumerate() {
        parts[i % 3].accounts.push(account.clone());
    }
    for (i, fact) in facts.recurring_revenue.iter().enumerate() {
        parts[(i * 7 / 5) % 3].recurring_revenue.push(fact.clone());
    }
    parts[0].contacts = facts.contacts.clone();
    parts[2].spend = facts.spend.clone();
    for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0]] {
        let mut tallies = order.into_iter().map(|i| {
            let mut t = agreement().tally(company.as_of()).unwrap();
            t.push(&parts[i]).unwrap();
            t
        });
        let mut merged = tallies.next().unwrap();
        let mut rest = tallies.next().unwrap();
        rest.merge(tallies.next().unwrap()).unwrap();
        merged.merge(rest).unwrap();
        let card = merged.finish().unwrap();
        assert_eq!(card.retention, one_pass.retention, "{order:?}");
        assert_eq!(card, one_pass, "{order:?}");
    }
}

#[test]
fn the_section_reads_back_from_json() {
    let company = Company::new(42, 1_000).unwrap();
    let card = agreement().evaluate(&company.facts(), company.as_of()).unwrap();
    let section = card.retention.as_ref().unwrap();
    let json = serde_json::to_string(section).unwrap();
    let back: revops::agreement::scorecard::RetentionSection = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, section);
}

#[test]
fn the_terms_are_checked_against_the_agreement() {
    let terms = |segment: Option<&str>| {
        RetentionKpiTerms::new(
            ReportWindow::TrailingMonths(12),
            CohortGrain::Month,
            segment.map(|s| s.parse().unwrap()),
        )
        .unwrap()
    };
    let err = with_retention(Some(terms(Some("nowhere")))).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::UnknownReference { .. }), "{err}");
    assert!(err.to_string().contains("kpis.retention.segment"), "{err}");
    // The sample ICP set has one segment: it may be left out.
    let implicit = with_retention(Some(terms(None))).unwrap();
    let company = Company::new(42, 600).unwrap();
    let card = implicit.evaluate(&company.facts(), company.as_of()).unwrap();
    assert_eq!(card.retention.unwrap().segment.as_ref().map(SegmentId::as_str), Some("core"));
    // Without an ICP set no segment can be named, and there are no tiers.
    let mut parts = agreement().parts().clone();
    (parts.icp, parts.kpis.icp, parts.kpis.retention) = (None, None, Some(terms(Some("core"))));
    let err = Agreement::new(parts.clone()).unwrap_err();
    assert!(err.to_string().contains("kpis.retention.segment"), "{err}");
    parts.kpis.retention = Some(terms(None));
    let untiered = Agreement::new(parts).unwrap().evaluate(&company.facts(), company.as_of()).unwrap();
    let section = untiered.retention.unwrap();
    assert_eq!((section.segment, section.retention.by_tier.keys().collect::<Vec<_>>()), (None, vec![&None]));
    // Money needs the board's currency.
    let mut parts = agreement().parts().clone();
    parts.kpis = revops::agreement::Kpis { retention: Some(terms(None)), ..Default::default() };
    let err = Agreement::new(parts).unwrap_err();
    assert!(err.to_string().contains("kpis.retention"), "{err}");
    // A window ending after as_of: refused when the tally is built, not silently cut.
    let ahead = RetentionKpiTerms::new(ReportWindow::Quarter(0), CohortGrain::Month, None).unwrap();
    let agreement = with_retention(Some(ahead)).unwrap();
    let err = agreement.tally(company.as_of()).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::InvalidValue { field: "retention end", .. }), "{err}");
}

#[test]
fn an_agreement_without_retention_keeps_its_fingerprint() {
    let without = with_retention(None).unwrap();
    assert!(!without.canonical_json().contains("\"retention\""));
    let company = Company::new(42, 300).unwrap();
    assert_eq!(without.evaluate(&company.facts(), company.as_of()).unwrap().retention, None);
    // A fact file without recurring revenue still loads, and an empty list is not written.
    let mut facts = company.lead_facts_in(0..20);
    let json = serde_json::to_string(&facts).unwrap();
    assert!(!json.contains("recurring_revenue"));
    assert_eq!(serde_json::from_str::<FactSet>(&json).unwrap(), facts);
    facts.recurring_revenue = company.recurring_revenue();
    let json = serde_json::to_string(&facts).unwrap();
    assert_eq!(serde_json::from_str::<FactSet>(&json).unwrap(), facts);
    assert!(with_retention(None).unwrap().fingerprint() != agreement().fingerprint());
}
