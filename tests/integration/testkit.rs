//! The sample company is deterministic: the same seed gives the same data, in any order.

use revops::testkit::Company;

#[test]
fn same_seed_same_data_in_any_order() {
    let company = Company::new(2024, 500).unwrap();
    let forward: Vec<_> = company.leads().collect();
    let mut backward: Vec<_> = (0..500).rev().map(|i| company.lead(i)).collect();
    backward.reverse();
    assert_eq!(forward, backward);
    let again = Company::new(2024, 500).unwrap();
    assert_eq!(again.leads().collect::<Vec<_>>(), forward);
    assert_ne!(Company::new(2025, 500).unwrap().lead(0), forward[0]);
    let threaded: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|t| {
                let company = &company;
                s.spawn(move || (t..500).step_by(4).map(|i| (i, company.lead(i))).collect::<Vec<_>>())
            })
            .collect();
        let mut all: Vec<_> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
        all.sort_by_key(|(i, _)| *i);
        all.into_iter().map(|(_, l)| l).collect()
    });
    assert_eq!(threaded, forward);
}

#[test]
fn a_large_company_streams() {
    // Ten million leads are allowed and any one is reachable without generating the rest.
    let company = Company::new(1, 10_000_000).unwrap();
    let lead = company.lead(9_999_999);
    assert_eq!(lead.id.as_str(), "L09999999");
}
