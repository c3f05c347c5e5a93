//! [`WaterfallRecord`]: one entity's stage history with its group, creation, close date and
//! leak reason (the fact a [`WaterfallTally`](super::WaterfallTally) reads); [`Leak`]: why an
//! entity left the funnel without advancing.

use chrono::{DateTime, NaiveDate, Utc};

use crate::facts::Reason;
use crate::funnel::StageHistory;

/// One entity for the waterfall: its [`StageHistory`] (derived from its
/// [`StageChange`](crate::facts::StageChange) facts) and the caller's group key (lead source,
/// campaign, segment, ...).
///
/// - `created`: when the entity was created (aging and cycle start); `None`: its first change.
/// - `close_date`: the expected close date; an open entity whose close date is before
///   `as_of`'s date (UTC) is past due.
/// - `reason`: why it was lost, disqualified or recycled, when the facts give one (a
///   [`Disposition`](crate::facts::Disposition) or a deal's loss reason).
///
/// # Example
///
/// ```
/// use revops::facts::{Reason, StageChange};
/// use revops::funnel::{Funnel, StageHistory};
/// use revops::metrics::WaterfallRecord;
/// use revops::{LeadId, StageId};
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let lead = LeadId::new("L-1")?;
/// let changes = [StageChange { entity: lead.clone(), stage: StageId::new("inquiry")?, at: at("2024-03-01T09:00:00Z")? }];
/// let history = StageHistory::from_facts(&Funnel::demand_waterfall(), &lead, &changes)?;
/// let record = WaterfallRecord::new("webinar", history).with_reason(Reason::NoBudget);
/// assert_eq!(record.group, "webinar");
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct WaterfallRecord<K> {
    /// The caller's group key.
    pub group: K,
    /// The entity's stage history.
    pub history: StageHistory,
    /// Creation instant; `None`: the first change.
    pub created: Option<DateTime<Utc>>,
    /// Expected close date (past-due flag).
    pub close_date: Option<NaiveDate>,
    /// Leak reason, if the facts give one.
    pub reason: Option<Reason>,
}

impl<K> WaterfallRecord<K> {
    /// A record of `history` in group `group`, created at its first change, with no close date
    /// and no reason.
    #[must_use]
    pub fn new(group: K, history: StageHistory) -> WaterfallRecord<K> {
        WaterfallRecord { group, history, created: None, close_date: None, reason: None }
    }

    /// Sets the creation instant.
    #[must_use]
    pub fn created_at(mut self, created: DateTime<Utc>) -> WaterfallRecord<K> {
        self.created = Some(created);
        self
    }

    /// Sets the expected close date.
    #[must_use]
    pub fn closing_on(mut self, date: NaiveDate) -> WaterfallRecord<K> {
        self.close_date = Some(date);
        self
    }

    /// Sets the leak reason.
    #[must_use]
    pub fn with_reason(mut self, reason: Reason) -> WaterfallRecord<K> {
        self.reason = Some(reason);
        self
    }
}

/// How an entity left the funnel without advancing past a stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum LeakKind {
    /// In a lost stage at `as_of`.
    Lost,
    /// In a disqualified stage at `as_of`.
    Disqualified,
    /// In a side stage (a nurture pool: recycled) at `as_of`.
    Recycled,
}

/// A leak bucket: how, and the reason when the record gives one.
///
/// # Example
///
/// ```
/// use revops::facts::Reason;
/// use revops::metrics::{Leak, LeakKind};
///
/// let leak = Leak { kind: LeakKind::Lost, reason: Some(Reason::Price) };
/// assert!(leak < Leak { kind: LeakKind::Disqualified, reason: None }); // kind first
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct Leak {
    /// How.
    pub kind: LeakKind,
    /// Why, if known.
    pub reason: Option<Reason>,
}
