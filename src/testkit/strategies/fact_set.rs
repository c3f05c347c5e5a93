//! The proptest strategy for a whole [`FactSet`]: up to six facts of each kind, from the
//! strategies of [`super::facts`].

use std::collections::BTreeSet;

use proptest::prelude::*;

use super::facts::{
    account, contact, deal, disposition, journey, lead, recurring_revenue, response, spend, stage_change,
};
use crate::facts::FactSet;

/// A valid fact set ([`FactSet::check`] passes): up to six facts of each kind, ids unique
/// within each kind (a generated repeat is dropped), deals and journeys valid.
///
/// # Example
///
/// ```
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
/// use revops::testkit::strategies;
///
/// let mut runner = TestRunner::deterministic();
/// for _ in 0..16 {
///     let facts = strategies::fact_set().new_tree(&mut runner).map(|t| t.current());
///     assert!(facts.is_ok_and(|f| f.check().is_ok()));
/// }
/// ```
pub fn fact_set() -> impl Strategy<Value = FactSet> {
    use proptest::collection::vec;
    (
        (vec(account(), 0..=6), vec(contact(), 0..=6), vec(lead(), 0..=6)),
        (vec(stage_change(), 0..=6), vec(disposition(), 0..=6), vec(response(), 0..=6)),
        (vec(deal(), 0..=6), vec(journey(), 0..=6), vec(spend(), 0..=6)),
        vec(recurring_revenue(), 0..=6),
    )
        .prop_map(
            |(
                (accounts, contacts, leads),
                (stage_changes, dispositions, responses),
                (deals, journeys, spend),
                recurring_revenue,
            )| {
                FactSet {
                    accounts: unique(accounts, |a| a.id.to_string()),
                    contacts: unique(contacts, |c| c.id.to_string()),
                    leads: unique(leads, |l| l.id.to_string()),
                    stage_changes,
                    dispositions,
                    responses,
                    deals: unique(deals, |d| d.id.to_string()),
                    journeys: unique(journeys, |j| j.id.to_string()),
                    spend,
                    recurring_revenue: unique(recurring_revenue, |r| format!("{} {}", r.account, r.at.to_rfc3339())),
                }
            },
        )
}

/// Keeps the first value of each id.
fn unique<T>(values: Vec<T>, id: impl Fn(&T) -> String) -> Vec<T> {
    let mut seen = BTreeSet::new();
    values.into_iter().filter(|v| seen.insert(id(v))).collect()
}
