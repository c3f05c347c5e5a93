//! The wire shape of a partial [`Refinement`], validated on deserialize.

use super::{GroupTally, Refinement};
use crate::icp::Icp;
use crate::{Currency, Error, ErrorKind};

/// A [`Refinement`]'s partial state: its definition (ICP, currency, minimum sample) and sums.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RefinementState {
    icp: Icp,
    currency: Currency,
    min_closed_deals: u64,
    overall: GroupTally,
    by_tier: Vec<GroupTally>,
    matched: Vec<GroupTally>,
}

impl From<Refinement> for RefinementState {
    fn from(r: Refinement) -> RefinementState {
        RefinementState {
            icp: r.icp,
            currency: r.currency,
            min_closed_deals: r.min_closed_deals,
            overall: r.overall,
            by_tier: r.by_tier,
            matched: r.matched,
        }
    }
}

impl TryFrom<RefinementState> for Refinement {
    type Error = Error;

    /// Refuses a state that no sequence of pushes and merges produces: a tally per tier and
    /// per criterion of the ICP, each consistent, the tiers summing to the overall tally (every
    /// account is in exactly one tier) and each criterion's tally within it.
    fn try_from(s: RefinementState) -> Result<Refinement, Error> {
        let invalid = |value: String, reason| ErrorKind::InvalidValue { field: "icp refinement state", value, reason };
        let mut r = Refinement::new(&s.icp, s.currency, s.min_closed_deals);
        if s.by_tier.len() != r.by_tier.len() {
            return Err(ErrorKind::RefinementShapeMismatch {
                what: "tiers",
                expected: r.by_tier.len(),
                found: s.by_tier.len(),
            }
            .into());
        }
        if s.matched.len() != r.matched.len() {
            return Err(ErrorKind::RefinementShapeMismatch {
                what: "criteria",
                expected: r.matched.len(),
                found: s.matched.len(),
            }
            .into());
        }
        let groups = core::iter::once(("overall".to_owned(), &s.overall))
            .chain(r.tiers.iter().zip(&s.by_tier).map(|(n, t)| (format!("tier {n}"), t)))
            .chain(r.criteria.iter().zip(&s.matched).map(|(n, t)| (format!("criterion {n}"), t)));
        for (name, tally) in groups {
            if let Some(reason) = tally.inconsistency() {
                return Err(crate::Error::from(invalid(name, reason)));
            }
        }
        let mut tiers = GroupTally::default();
        for t in &s.by_tier {
            tiers.add(t)?;
        }
        if tiers != s.overall {
            return Err(crate::Error::from(invalid("overall".to_owned(), "is not the sum of the tiers' tallies")));
        }
        if let Some((name, _)) = r.criteria.iter().zip(&s.matched).find(|(_, m)| !m.within(&s.overall)) {
            return Err(crate::Error::from(invalid(format!("criterion {name}"), "exceeds the overall tally")));
        }
        r.overall = s.overall;
        r.by_tier = s.by_tier;
        r.matched = s.matched;
        Ok(r)
    }
}
