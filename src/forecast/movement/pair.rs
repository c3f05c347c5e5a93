//! [`SnapshotPair`]: one opportunity's rows in two snapshots, and the join that builds them.

use std::collections::BTreeMap;

use super::record;
use crate::facts::Deal;
use crate::{Error, ErrorKind, OpportunityId};

/// One opportunity as two pipeline snapshots saw it: its row at S0 and its row at S1, either
/// absent (not yet created, or deleted), not both; the fact a [`MovementTally`](super::MovementTally) reads.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::{Deal, DealStatus};
/// use revops::forecast::SnapshotPair;
/// use revops::{Currency, Money, OpportunityId, Probability};
///
/// let t = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or_default();
/// let deal = |id: &str| -> Result<Deal, revops::Error> {
///     let status = DealStatus::Open { probability: Probability::ZERO };
///     Ok(Deal::new(OpportunityId::new(id)?, t, Money::from_minor(100, Currency::USD), status))
/// };
/// let pair = SnapshotPair::new(None, Some(deal("o1")?))?; // created between the snapshots
/// assert_eq!(pair.id().as_str(), "o1");
/// assert!(SnapshotPair::new(Some(deal("o1")?), Some(deal("o2")?)).is_err()); // two opportunities
/// assert!(SnapshotPair::new(None, None).is_err());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotPair {
    id: OpportunityId,
    before: Option<Deal>,
    after: Option<Deal>,
}

impl SnapshotPair {
    /// The pair of one opportunity's rows.
    ///
    /// # Errors
    /// [`ErrorKind::InconsistentRecord`] about the S0 row's deal if the rows are of two
    /// opportunities; [`ErrorKind::Empty`] if both are absent.
    pub fn new(before: Option<Deal>, after: Option<Deal>) -> Result<SnapshotPair, Error> {
        let id = match (&before, &after) {
            (None, None) => return Err(ErrorKind::Empty { what: "snapshot pair" }.into()),
            (Some(b), Some(a)) if b.id != a.id => {
                return Err(ErrorKind::InconsistentRecord {
                    reason: "a snapshot pair joins the rows of one opportunity",
                }
                .about(record(&b.id)));
            }
            (Some(d), _) | (None, Some(d)) => d.id.clone(),
        };
        Ok(SnapshotPair { id, before, after })
    }

    /// The opportunity.
    #[must_use]
    pub const fn id(&self) -> &OpportunityId {
        &self.id
    }

    /// The row at S0, if present.
    #[must_use]
    pub const fn before(&self) -> Option<&Deal> {
        self.before.as_ref()
    }

    /// The row at S1, if present.
    #[must_use]
    pub const fn after(&self) -> Option<&Deal> {
        self.after.as_ref()
    }
}

/// Joins two snapshots (S0 = `before`, S1 = `after`) by opportunity id, in id order: one
/// [`SnapshotPair`] per opportunity present in either.
///
/// # Errors
/// [`ErrorKind::DuplicateKey`] (kind `"opportunity in snapshot S0"` or `"... S1"`) about the
/// deal whose id a snapshot holds twice.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::{Deal, DealStatus};
/// use revops::forecast::join_snapshots;
/// use revops::{Currency, ErrorKind, Money, OpportunityId, Probability, Record};
///
/// let t = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or_default();
/// let deal = |id: &str| -> Result<Deal, revops::Error> {
///     let status = DealStatus::Open { probability: Probability::ZERO };
///     Ok(Deal::new(OpportunityId::new(id)?, t, Money::from_minor(100, Currency::USD), status))
/// };
/// let pairs = join_snapshots(&[deal("b")?, deal("a")?], &[deal("c")?, deal("a")?])?;
/// let ids: Vec<_> = pairs.iter().map(|p| p.id().as_str()).collect();
/// assert_eq!(ids, ["a", "b", "c"]);
/// assert!(pairs[1].after().is_none() && pairs[2].before().is_none());
/// let err = join_snapshots(&[], &[deal("a")?, deal("a")?]).unwrap_err();
/// assert_eq!(err.record(), Some(&Record::Deal(OpportunityId::new("a")?)));
/// assert!(matches!(err.kind(), ErrorKind::DuplicateKey { kind: "opportunity in snapshot S1", .. }));
/// # Ok::<(), revops::Error>(())
/// ```
pub fn join_snapshots(before: &[Deal], after: &[Deal]) -> Result<Vec<SnapshotPair>, Error> {
    let mut joined: BTreeMap<&OpportunityId, (Option<&Deal>, Option<&Deal>)> = BTreeMap::new();
    for deal in before {
        let slot = joined.entry(&deal.id).or_default();
        if slot.0.is_some() {
            return Err(duplicate("opportunity in snapshot S0", &deal.id));
        }
        slot.0 = Some(deal);
    }
    for deal in after {
        let slot = joined.entry(&deal.id).or_default();
        if slot.1.is_some() {
            return Err(duplicate("opportunity in snapshot S1", &deal.id));
        }
        slot.1 = Some(deal);
    }
    Ok(joined
        .into_iter()
        .map(|(id, (b, a))| SnapshotPair { id: id.clone(), before: b.cloned(), after: a.cloned() })
        .collect())
}

#[cold]
fn duplicate(kind: &'static str, id: &OpportunityId) -> Error {
    ErrorKind::DuplicateKey { kind, key: id.to_string() }.about(record(id))
}
