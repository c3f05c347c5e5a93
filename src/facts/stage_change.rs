//! [`StageChange`]: an entity entering a stage.

use chrono::{DateTime, Utc};

use crate::{LeadId, StageId};

/// An entity (a lead by default; a contact, an account or an opportunity) entering a stage, at
/// an instant (a fact). Record every entry, including re-entries: each evaluation applies its
/// own rule (first entry per stage, reached-or-beyond) and says so.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::StageChange;
/// use revops::{LeadId, OpportunityId, StageId};
///
/// let at = |d| Utc.with_ymd_and_hms(2024, 3, d, 10, 0, 0).single().unwrap_or_default();
/// // A lead by default...
/// let mql = StageChange { entity: LeadId::new("L-1")?, stage: StageId::new("mql")?, at: at(4) };
/// assert_eq!((mql.entity.as_str(), mql.stage.as_str()), ("L-1", "mql"));
/// // ...or any other entity, e.g. an opportunity moving through deal stages.
/// let demo: StageChange<OpportunityId> =
///     StageChange { entity: OpportunityId::new("opp-9")?, stage: StageId::new("demo")?, at: at(11) };
/// assert!(demo.at > mql.at);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct StageChange<E = LeadId> {
    /// Who entered.
    pub entity: E,
    /// The stage entered.
    pub stage: StageId,
    /// When.
    pub at: DateTime<Utc>,
}
