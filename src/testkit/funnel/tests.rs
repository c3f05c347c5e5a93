//! Unit tests of the sample company seen through the funnel.

use super::*;
use crate::funnel::{Reach, RejectionTally};
use crate::testkit::REJECTION_REASONS;

#[test]
fn definitions_build() {
    assert_eq!(scoring_model().unwrap().groups().len(), 7);
    assert_eq!(qualification().unwrap().leaf_count(), 10);
    assert!(score_matrix().is_ok());
    assert_eq!(mql_rule().unwrap().leaf_count(), 2);
}

#[test]
fn every_rejection_key_maps_to_a_named_reason() {
    for (key, _, _) in REJECTION_REASONS {
        assert!(Reason::from_key(key).is_some(), "{key}");
    }
}

#[test]
fn sample_histories_replay_under_the_waterfall() {
    let company = Company::new(3, 2_000).unwrap();
    let funnel = Funnel::demand_waterfall();
    let mql = StageId::new("mql").unwrap();
    let mut tally = RejectionTally::new();
    let mut handoffs = 0;
    let (mut rejections, mut recycled) = (0u64, 0u64);
    for lead in company.leads() {
        let h = company.funnel_history(&funnel, &lead).unwrap();
        assert_eq!(h.first_entered(&StageId::new("inquiry").unwrap()), Some(lead.created_at));
        assert_eq!(h.reached(&funnel, &mql, Reach::Strict), lead.entered(SampleStage::Mql).is_some());
        if let Some(handoff) = company.handoff(&lead, TimeDelta::try_hours(1)).unwrap() {
            funnel.validate_handoff(&handoff).unwrap();
            // The buying group is the account's contacts, with typed roles.
            let account = company.account(lead.account.as_str()[1..].parse().unwrap());
            assert_eq!(handoff.buying_group.len(), account.contacts.len());
            for (fact, sample) in handoff.buying_group.iter().zip(&account.contacts) {
                let keys: Vec<&str> = fact.roles.iter().map(|r| r.as_str()).collect();
                let mut expected: Vec<&str> = sample.buying_roles.iter().map(String::as_str).collect();
                expected.sort_by_key(|k| k.parse::<crate::facts::BuyingRole>().unwrap());
                expected.dedup();
                assert_eq!(keys, expected);
                assert_eq!(fact.account.as_ref(), Some(&lead.account));
            }
            let first = handoff.first_touch.as_ref().unwrap();
            assert_eq!((first.at, &first.channel), (lead.touches[0].at, &lead.touches[0].channel));
            handoffs += 1;
        }
        if let Some(r) = company.funnel_rejection(&lead).unwrap() {
            // The stage derived from the stage-change facts is the one the sample recorded.
            let sample = lead.rejection.as_ref().unwrap();
            assert_eq!(r.from_stage.as_ref().map(StageId::as_str), waterfall_stage(sample.from));
            recycled += u64::from(r.recycled);
            tally.push(&r).unwrap();
            rejections += 1;
        }
        let facts = company.lead_facts(&lead, company.as_of());
        assert!(!facts.traits.is_empty() && facts.activities.len() == lead.touches.len());
    }
    assert!(handoffs > 100);
    let report = tally.finish();
    assert!(report.total > 50);
    assert_eq!(report.total, rejections);
    assert!(recycled > 0 && recycled < rejections, "{recycled} of {rejections}");
    assert!(report.unsourced.is_empty());
    assert!(!report.by_reason.contains_key("other"));
}
