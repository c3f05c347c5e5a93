//! The scorecard's ICP section under the agreement's ICP review (the quickstart's section 3):
//! its text, records set aside by the review's joins (or stopping strict mode), partitions
//! holding accounts, deals and contacts apart, and the review's validation.

use std::sync::OnceLock;

use revops::agreement::scorecard::{IcpSection, Scorecard, Section};
use revops::agreement::{Agreement, IcpReview};
use revops::facts::{DealStatus, FactSet};
use revops::testkit::{Company, sample_agreement};
use revops::{AccountId, ContactId, Currency, ErrorKind, Money, Tally};

fn agreement() -> &'static Agreement {
    static AGREEMENT: OnceLock<Agreement> = OnceLock::new();
    AGREEMENT.get_or_init(|| sample_agreement().unwrap())
}

fn icp(card: &Scorecard) -> &IcpSection {
    card.icp.as_ref().unwrap()
}

/// The section's text is the quickstart's section 3, byte for byte.
#[test]
fn the_sample_section_prints_the_quickstarts_section_3() {
    let company = Company::sample();
    let card = agreement().evaluate(&company.facts(), company.as_of()).unwrap();
    let expected = include_str!("../vectors/quickstart_icp_section.txt");
    assert_eq!(icp(&card).to_string(), expected);
    let json = serde_json::to_string(icp(&card)).unwrap();
    assert_eq!(&serde_json::from_str::<IcpSection>(&json).unwrap(), icp(&card));
}

#[test]
fn bad_deals_and_unknown_references_are_set_aside_and_stop_strict_mode() {
    let company = Company::new(42, 400).unwrap();
    let clean = agreement().evaluate(&company.facts(), company.as_of()).unwrap();
    let open = |f: &FactSet| f.deals.iter().filter(|d| matches!(d.status, DealStatus::Open { .. })).count();
    assert!(open(&company.facts()) >= 3, "the test needs three open deals");
    let clean_coverage = icp(&clean).coverage.as_ref().unwrap().open_deals;

    // One deal in euros, one naming an account the facts do not hold, one open deal naming
    // an unknown contact.
    let mut facts = company.facts();
    let mut open_deals = facts.deals.iter_mut().filter(|d| matches!(d.status, DealStatus::Open { .. }));
    let euros = open_deals.next().unwrap();
    euros.amount = Money::from_minor(100, Currency::EUR);
    let euros = euros.id.clone();
    let stray = open_deals.next().unwrap();
    stray.account = Some(AccountId::new("A-stray").unwrap());
    let stray = stray.id.clone();
    let ghost = open_deals.next().unwrap();
    ghost.contacts.push(ContactId::new("C-ghost").unwrap());
    let ghost = ghost.id.clone();

    let card = agreement().evaluate(&facts, company.as_of()).unwrap();
    let section = icp(&card);
    let records: Vec<(&str, &str)> =
        section.excluded.iter().map(|e| (e.record.as_deref().unwrap(), e.error.as_str())).collect();
    assert_eq!(section.excluded.len(), 3, "{records:?}");
    assert!(section.excluded.iter().all(|e| e.section == Section::Icp));
    let named = |id: &revops::OpportunityId| format!("deal `{id}`");
    for (id, words) in [(&euros, "EUR"), (&stray, "A-stray"), (&ghost, "C-ghost")] {
        assert!(records.iter().any(|(r, e)| *r == named(id) && e.contains(words)), "{id}: {records:?}");
    }
    // The euro deal is in no figure; the stray deal is in the coverage only (an open deal),
    // not the outcomes; the ghost's deal is in the outcomes, not the coverage.
    let coverage = section.coverage.as_ref().unwrap();
    assert_eq!(coverage.open_deals + 2, clean_coverage);
    let outcomes = |c: &Scorecard| {
        let core = &icp(c).segments[&revops::SegmentId::new("core").unwrap()];
        core.review.as_ref().unwrap().outcomes.overall.opportunities
    };
    assert_eq!(outcomes(&card) + 2, outcomes(&clean));
    // The tier counts read accounts only.
    let tiers = |c: &Scorecard| icp(c).segments.values().map(|s| s.tiers.clone()).collect::<Vec<_>>();
    assert_eq!(tiers(&card), tiers(&clean));

    let err = agreement().evaluate_strict(&facts, company.as_of()).unwrap_err();
    assert!(err.record().is_some(), "{err}");
}

/// Accounts, deals (with their leads) and contacts in three partitions, merged in either
/// order, give the section of one pass.
#[test]
fn accounts_deals_and_contacts_may_sit_in_different_partitions() {
    let company = Company::new(7, 600).unwrap();
    let facts = company.facts();
    let whole = agreement().evaluate(&facts, company.as_of()).unwrap();
    let parts = [
        FactSet { accounts: facts.accounts.clone(), spend: facts.spend.clone(), ..FactSet::default() },
        company.lead_facts_in(0..company.lead_count()),
        FactSet { contacts: facts.contacts.clone(), ..FactSet::default() },
    ];
    for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0]] {
        let mut tallies = order.iter().map(|&i| {
            let mut t = agreement().tally(company.as_of()).unwrap();
            t.push(&parts[i]).unwrap();
            t
        });
        let mut merged = tallies.next().unwrap();
        for t in tallies {
            merged.merge(t).unwrap();
        }
        assert_eq!(merged.finish().unwrap().icp, whole.icp, "order {order:?}");
    }
}

#[test]
fn the_review_names_a_segment_of_the_icp_set_and_needs_the_currency() {
    let review = |segment: &str| IcpReview::new(Some(segment.parse().unwrap()), 30, None).unwrap();
    let with = |f: &dyn Fn(&mut revops::agreement::AgreementParts)| {
        let mut parts = agreement().parts().clone();
        f(&mut parts);
        Agreement::new(parts)
    };
    let err = with(&|p| p.kpis.icp = Some(review("enterprise"))).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::UnknownReference { part, key, .. } if part == "kpis.icp.segment" && key == "enterprise"),
        "{err}"
    );
    let err = with(&|p| {
        let k = &mut p.kpis;
        (k.currency, k.hygiene, k.win_rate, k.velocity, k.pipeline) = (None, None, None, None, None);
        (k.coverage, k.economics) = (None, None);
    })
    .unwrap_err();
    assert!(err.to_string().contains("needed by kpis.icp"), "{err}");
    let err = with(&|p| p.icp = None).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::UnknownReference { part, .. } if part == "kpis.icp"), "{err}");
    // Every segment, and no coverage without a buying group.
    let every = with(&|p| p.kpis.icp = Some(IcpReview::new(None, 1, None).unwrap())).unwrap();
    let company = Company::new(42, 200).unwrap();
    let card = every.evaluate(&company.facts(), company.as_of()).unwrap();
    assert!(icp(&card).coverage.is_none());
    assert!(icp(&card).segments.values().all(|s| s.review.is_some()));
    assert!(!icp(&card).to_string().contains("buying-group coverage"));
    // A zero minimum sample is refused, on construction and on deserialize.
    assert!(IcpReview::new(None, 0, None).is_err());
    assert!(toml::from_str::<IcpReview>("min_closed_deals = 0").is_err());
    assert!(toml::from_str::<IcpReview>("min_closed_deals = 5\nbuying_group = []").is_err());
    assert!(toml::from_str::<IcpReview>("min_closed_deals = 5\nsegments = \"core\"").is_err()); // unknown key
    // The review changes the fingerprint, and the diff names it.
    let changed = with(&|p| p.kpis.icp.as_mut().unwrap().min_closed_deals = 20).unwrap();
    let diff: Vec<String> = agreement().diff(&changed).iter().map(ToString::to_string).collect();
    assert_eq!(diff, ["KPIs icp.min_closed_deals: 30 -> 20"]);
}
