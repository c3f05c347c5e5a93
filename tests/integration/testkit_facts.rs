//! The sample company's facts: generated once, checked, deterministic, and on the wire exactly.

use revops::testkit::Company;

#[test]
fn same_seed_same_facts_and_they_check() {
    let company = Company::new(2024, 600).unwrap();
    let facts = company.facts();
    facts.check().unwrap();
    assert_eq!(facts, Company::new(2024, 600).unwrap().facts());
    assert_ne!(facts.leads, Company::new(2025, 600).unwrap().facts().leads);
    // Partitions of the leads concatenate to the whole, in order.
    let (a, b) = (company.lead_facts_in(0..250), company.lead_facts_in(250..10_000));
    assert_eq!([a.deals, b.deals].concat(), facts.deals);
    assert_eq!([a.journeys, b.journeys].concat(), facts.journeys);
    assert_eq!([a.stage_changes, b.stage_changes].concat(), facts.stage_changes);
    assert!(company.lead_facts_in(700..800).leads.is_empty());
}

#[cfg(feature = "serde")]
#[test]
fn the_fact_set_round_trips_through_json() {
    let facts = Company::new(3, 300).unwrap().facts();
    let json = serde_json::to_string(&facts).unwrap();
    assert_eq!(serde_json::from_str::<revops::facts::FactSet>(&json).unwrap(), facts);
}
