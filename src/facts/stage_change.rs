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
/// use revops::{LeadId, StageId};
///
/// let mql = StageChange {
///     entity: LeadId::new("L-1")?,
///     stage: StageId::new("mql")?,
///     at: Utc.with_ymd_and_hms(2024, 3, 4, 10, 0, 0).unwrap(),
/// };
/// assert_eq!(mql.stage.as_str(), "mql");
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
