//! Unit tests of the sample company.

use super::*;

#[test]
fn sizes_are_validated() {
    assert!(Company::new(1, 9).is_err());
    assert!(Company::new(1, 10).is_ok());
    assert!(Company::new(1, 10_000_000).is_ok());
    assert_eq!(
        Company::new(1, 10_000_001).unwrap_err().to_string(),
        "invalid testkit leads \"10000001\": must be from 10 to 10000000"
    );
    assert_eq!(Company::sample(), Company::new(42, 5_000).unwrap());
}

#[test]
fn leads_are_internally_consistent() {
    let company = Company::new(7, 3_000).unwrap();
    for lead in company.leads() {
        assert!(!lead.touches.is_empty());
        assert!(lead.touches.windows(2).all(|w| w[0].at < w[1].at), "{}", lead.id);
        assert!(lead.stages.windows(2).all(|w| w[0].at < w[1].at), "{}", lead.id);
        assert_eq!(lead.stages[0].stage, SampleStage::Lead);
        assert_eq!(lead.stages[0].at, lead.created_at);
        assert_eq!(lead.touches[lead.lead_creation_touch].at, lead.created_at);
        assert!(lead.stages.iter().all(|s| s.at <= company.as_of()));
        if let Some(opp) = &lead.opportunity {
            assert_eq!(lead.entered(SampleStage::Opportunity), Some(opp.created_at));
            if let Some(closed) = opp.closed_at {
                assert!(lead.touches.iter().all(|t| t.at <= closed));
                assert!(closed > opp.created_at);
            }
            assert!(!opp.amount.is_negative());
        }
        if let Some(r) = &lead.first_sales_touch_at {
            assert!(*r > lead.entered(SampleStage::Mql).unwrap());
        }
    }
}

#[test]
fn there_is_signal_and_variety() {
    let company = Company::new(11, 20_000).unwrap();
    let leads: Vec<SampleLead> = company.leads().collect();
    let won = leads.iter().filter(|l| l.current_stage() == SampleStage::Won).count();
    let lost = leads.iter().filter(|l| l.current_stage() == SampleStage::Lost).count();
    assert!(won > 100 && lost > won, "won {won} lost {lost}");
    let touches: usize = leads.iter().map(|l| l.touches.len()).sum();
    let mean = touches as f64 / leads.len() as f64;
    assert!((3.0..6.0).contains(&mean), "mean touches {mean}");
    let channels: std::collections::BTreeSet<_> =
        leads.iter().flat_map(|l| l.touches.iter().map(|t| t.channel.clone())).collect();
    assert_eq!(channels.len(), 12);
    // Fit predicts winning: good-fit accounts win more of their deals.
    let rate = |good: bool| {
        let deals: Vec<_> = leads
            .iter()
            .filter_map(|l| l.opportunity.as_ref())
            .filter(|o| o.closed_at.is_some())
            .filter(|o| {
                let idx: usize = o.account.as_str()[1..].parse().unwrap();
                (fit_points(&company.account(idx)) >= 5) == good
            })
            .collect();
        deals.iter().filter(|o| o.outcome == SampleOutcome::Won).count() as f64 / deals.len() as f64
    };
    assert!(rate(true) > rate(false) + 0.05, "good {} poor {}", rate(true), rate(false));
}

#[test]
fn spend_covers_every_month() {
    let spend = Company::sample().spend();
    let months: std::collections::BTreeSet<_> = spend.iter().map(|s| s.month).collect();
    assert_eq!(months.len(), 15);
    assert!(spend.iter().all(|s| !s.amount.is_negative() && s.amount.currency() == Currency::USD));
}
