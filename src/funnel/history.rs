//! [`StageHistory`]: the ordered stage changes of one lead or account, with first-entry
//! times, reached tests, time in stage and the stage as of any instant.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};

use super::definition::Funnel;
use super::transition::{StageChange, Transition};
use crate::{Error, StageId};

/// How "reached stage X" is decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum Reach {
    /// The history has an entry into X itself (skipped stages are not back-filled).
    Strict,
    /// The history has an entry into X or into a stage at or beyond X in the funnel's order
    /// ([`Funnel::is_at_or_beyond`]).
    OrBeyond,
}

/// The stage changes of one lead (or account), in strictly increasing time order.
///
/// Our rules (definitions.md section 2): the first entry per stage is recorded once and never
/// moves, even when the lead leaves and comes back; skipped stages are not back-filled; a
/// change whose timestamp is not strictly after the previous one is rejected with
/// [`Error::StageChangeOutOfOrder`] naming it.
///
/// # Example
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use revops::funnel::{Funnel, Reach, StageChange, StageHistory, Transition};
/// use revops::StageId;
///
/// let funnel = Funnel::demand_waterfall();
/// # let t0 = Utc.with_ymd_and_hms(2024, 3, 1, 9, 0, 0).unwrap();
/// # let hour = TimeDelta::try_hours(1).unwrap();
/// let (inquiry, mql, sql) = (StageId::new("inquiry")?, StageId::new("mql")?, StageId::new("sql")?);
///
/// let mut history = StageHistory::new();
/// assert_eq!(history.apply(&funnel, StageChange::automatic(inquiry.clone(), t0))?, Transition::Applied);
/// assert!(history.apply(&funnel, StageChange::automatic(mql.clone(), t0 + hour))?.is_applied());
/// // Backwards automatically: refused, not recorded, not dropped silently.
/// let refused = history.apply(&funnel, StageChange::automatic(inquiry.clone(), t0 + hour * 2))?;
/// assert!(!refused.is_applied());
/// assert_eq!(history.current(), Some(&mql));
/// assert_eq!(history.first_entered(&mql), Some(t0 + hour));
/// assert!(!history.reached(&funnel, &sql, Reach::OrBeyond));
/// assert_eq!(history.time_in_stage(&inquiry, t0 + hour * 5), Some(hour));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "HistoryRepr", into = "HistoryRepr")
)]
pub struct StageHistory {
    changes: Vec<StageChange>,
    first: BTreeMap<StageId, DateTime<Utc>>,
}

impl StageHistory {
    /// An empty history.
    #[must_use]
    pub fn new() -> StageHistory {
        StageHistory::default()
    }

    /// Checks `change` against the funnel's transition policy from the current stage and, if
    /// applied, records it. A refused move is returned as [`Transition::Refused`] and not
    /// recorded.
    ///
    /// # Errors
    /// [`Error::StageChangeOutOfOrder`] if `change.at` is not strictly after the last change;
    /// the errors of [`Funnel::check_move`].
    pub fn apply(&mut self, funnel: &Funnel, change: StageChange) -> Result<Transition, Error> {
        if let Some(last) = self.changes.last()
            && change.at <= last.at
        {
            return Err(Error::StageChangeOutOfOrder {
                index: self.changes.len(),
                stage: change.stage,
                at: change.at,
                previous: last.at,
            });
        }
        let transition = funnel.check_move(self.current(), &change.stage, &change.how)?;
        if transition.is_applied() {
            self.record(change);
        }
        Ok(transition)
    }

    fn record(&mut self, change: StageChange) {
        if !self.first.contains_key(&change.stage) {
            self.first.insert(change.stage.clone(), change.at);
        }
        self.changes.push(change);
    }

    /// Builds a history from recorded changes, applying each through the funnel's policy.
    ///
    /// # Errors
    /// The errors of [`StageHistory::apply`]; a refused move is
    /// [`Error::InvalidTransition`] (a recorded history must not contain one).
    pub fn replay(funnel: &Funnel, changes: impl IntoIterator<Item = StageChange>) -> Result<StageHistory, Error> {
        let mut history = StageHistory::new();
        for change in changes {
            let to = change.stage.clone();
            if let Transition::Refused(_) = history.apply(funnel, change)? {
                return Err(Error::InvalidTransition { to, reason: "the funnel's policy refuses this move" });
            }
        }
        Ok(history)
    }

    /// The changes, oldest first.
    #[must_use]
    pub fn changes(&self) -> &[StageChange] {
        &self.changes
    }

    /// The current stage (of the last change).
    #[must_use]
    pub fn current(&self) -> Option<&StageId> {
        self.changes.last().map(|c| &c.stage)
    }

    /// When the lead first entered `stage`; `None` if it never did (skipped stages stay
    /// `None`).
    #[must_use]
    pub fn first_entered(&self, stage: &StageId) -> Option<DateTime<Utc>> {
        self.first.get(stage).copied()
    }

    /// First-entry time per stage, keyed in `StageId` order.
    #[must_use]
    pub fn first_entries(&self) -> &BTreeMap<StageId, DateTime<Utc>> {
        &self.first
    }

    /// Whether the lead reached `stage`, strictly or at-or-beyond (see [`Reach`]).
    #[must_use]
    pub fn reached(&self, funnel: &Funnel, stage: &StageId, reach: Reach) -> bool {
        self.reached_at(funnel, stage, reach).is_some()
    }

    /// When the lead first reached `stage`: its first entry (strict), or the earliest first
    /// entry of any stage at or beyond it (or-beyond). `None` if it never did.
    #[must_use]
    pub fn reached_at(&self, funnel: &Funnel, stage: &StageId, reach: Reach) -> Option<DateTime<Utc>> {
        match reach {
            Reach::Strict => self.first_entered(stage),
            Reach::OrBeyond => {
                self.first.iter().filter(|(s, _)| funnel.is_at_or_beyond(s, stage)).map(|(_, at)| *at).min()
            }
        }
    }

    /// The stage the lead was in at `instant` (the last change at or before it); `None`
    /// before the first change.
    #[must_use]
    pub fn stage_at(&self, instant: DateTime<Utc>) -> Option<&StageId> {
        let after = self.changes.partition_point(|c| c.at <= instant);
        after.checked_sub(1).and_then(|i| self.changes.get(i)).map(|c| &c.stage)
    }

    /// Total time spent in `stage` up to `as_of`, summed over every visit: each visit runs
    /// from its entry to the next change, or to `as_of` for the current stage; visits
    /// starting after `as_of` are ignored. `None` if the lead never entered `stage` by
    /// `as_of`.
    #[must_use]
    pub fn time_in_stage(&self, stage: &StageId, as_of: DateTime<Utc>) -> Option<TimeDelta> {
        let mut total: Option<TimeDelta> = None;
        for (i, change) in self.changes.iter().enumerate() {
            if change.at > as_of {
                break;
            }
            if &change.stage != stage {
                continue;
            }
            let end = self.changes.get(i + 1).map_or(as_of, |next| next.at.min(as_of));
            let stay = end.signed_duration_since(change.at);
            // Visits are disjoint and lie between two valid instants, so their sum is at most
            // the span of the history and cannot overflow `TimeDelta`.
            total = Some(total.map_or(stay, |t| t.checked_add(&stay).unwrap_or(t)));
        }
        total
    }
}

/// Wire shape of [`StageHistory`]: the changes; first entries are derived on read.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct HistoryRepr {
    changes: Vec<StageChange>,
}

#[cfg(feature = "serde")]
impl TryFrom<HistoryRepr> for StageHistory {
    type Error = Error;
    /// Checks the timestamps strictly increase; the transition policy needs a funnel, so use
    /// [`StageHistory::replay`] to check it.
    fn try_from(repr: HistoryRepr) -> Result<StageHistory, Error> {
        let mut history = StageHistory::new();
        for (index, change) in repr.changes.into_iter().enumerate() {
            if let Some(last) = history.changes.last()
                && change.at <= last.at
            {
                return Err(Error::StageChangeOutOfOrder {
                    index,
                    stage: change.stage,
                    at: change.at,
                    previous: last.at,
                });
            }
            history.record(change);
        }
        Ok(history)
    }
}

#[cfg(feature = "serde")]
impl From<StageHistory> for HistoryRepr {
    fn from(h: StageHistory) -> HistoryRepr {
        HistoryRepr { changes: h.changes }
    }
}
