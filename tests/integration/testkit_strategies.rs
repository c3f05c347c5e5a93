//! Every testkit strategy for a fact type (and for the path and handoff records) gives values
//! that pass their own checks and serialize to JSON and back exactly.

use proptest::prelude::*;
use revops::attribution::{CoalitionCounts, MarkovModel};
use revops::funnel::{Funnel, HandoffField};
use revops::testkit::strategies as s;
use revops::{Currency, ErrorKind, Tally};

/// Serializes to JSON and back, and asserts the value is unchanged.
#[cfg(feature = "serde")]
fn round_trip<T>(value: &T) -> Result<(), TestCaseError>
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + core::fmt::Debug,
{
    let json = serde_json::to_string(value).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let back: T = serde_json::from_str(&json).map_err(|e| TestCaseError::fail(format!("{e}: {json}")))?;
    prop_assert_eq!(&back, value, "{}", json);
    Ok(())
}

#[cfg(not(feature = "serde"))]
fn round_trip<T>(_: &T) -> Result<(), TestCaseError> {
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn accounts_contacts_and_leads(a in s::account(), v in s::attribute_value(), c in s::contact(), r in s::buying_role(), l in s::lead()) {
        prop_assert!(a.region.is_some() == a.country.is_some());
        prop_assert_eq!(r.as_str().parse::<revops::facts::BuyingRole>().unwrap(), r);
        round_trip(&a)?;
        round_trip(&v)?;
        round_trip(&c)?;
        round_trip(&r)?;
        round_trip(&l)?;
    }

    #[test]
    fn stage_changes_touches_and_roles(sc in s::stage_change(), t in s::touchpoint(), roles in s::roles(), role in s::role()) {
        prop_assert_eq!(roles.with(role).contains(role), true);
        round_trip(&sc)?;
        round_trip(&t)?;
        round_trip(&roles)?;
        round_trip(&role)?;
    }

    #[test]
    fn journeys_check(j in s::journey()) {
        j.check().map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(j.touches.windows(2).all(|w| w[0].at <= w[1].at));
        if let (Some(c), Some(last)) = (j.conversion, j.touches.last()) {
            prop_assert!(last.at <= c.at);
        }
        round_trip(&j)?;
    }

    #[test]
    fn deals_check(d in s::deal(), st in s::deal_status(), r in s::reason()) {
        d.check().map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(d.closed_at.is_some(), d.status.is_closed());
        round_trip(&d)?;
        round_trip(&st)?;
        round_trip(&r)?;
    }

    #[test]
    fn dispositions_responses_and_spend(d in s::disposition(), r in s::response(), sp in s::spend()) {
        prop_assert!(sp.period.start() <= sp.period.end() && !sp.amount.is_negative());
        round_trip(&d)?;
        round_trip(&r)?;
        round_trip(&sp)?;
    }

    #[test]
    fn fact_sets_check(f in s::fact_set()) {
        f.check().map_err(|e| TestCaseError::fail(e.to_string()))?;
        round_trip(&f)?;
    }

    #[test]
    fn aggregated_paths_are_accepted(paths in proptest::collection::vec(s::aggregated_path(), 1..8)) {
        let model = MarkovModel::new(1).unwrap();
        let (mut markov, mut shapley) = (model.counts(Currency::USD), CoalitionCounts::new(Currency::USD));
        for p in &paths {
            markov.push_path(p).map_err(|e| TestCaseError::fail(e.to_string()))?;
            shapley.push_path(p).map_err(|e| TestCaseError::fail(e.to_string()))?;
            round_trip(p)?;
        }
        // A table is refused as a whole when it is degenerate (no conversion, or no journey
        // that did not convert); any other table of these rows attributes.
        let degenerate = paths.iter().all(|p| p.conversions == 0) || paths.iter().all(|p| p.nulls == 0);
        match (markov.finish()).as_ref().map_err(revops::Error::kind) {
            Err(ErrorKind::NoConvertingJourneys { .. } | ErrorKind::NoNonConvertingJourneys { .. }) => prop_assert!(degenerate),
            other => prop_assert!(other.is_ok(), "{:?}", other.err()),
        }
    }

    #[test]
    fn handoffs_validate_exactly_when_complete(h in s::handoff()) {
        let funnel = Funnel::demand_waterfall();
        let required = funnel.required_handoff_fields(&h.from, &h.to).unwrap();
        let missing: Vec<HandoffField> = required.iter().copied().filter(|f| !h.has(*f)).collect();
        match (funnel.validate_handoff(&h)).as_ref().map_err(revops::Error::kind) {
            Ok(()) => prop_assert!(missing.is_empty()),
            Err(ErrorKind::IncompleteHandoff { missing: listed, .. }) => prop_assert_eq!(listed, &missing.iter().map(|f| f.as_str()).collect::<Vec<_>>()),
            Err(e) => return Err(TestCaseError::fail(e.to_string())),
        }
        round_trip(&h)?;
    }
}
