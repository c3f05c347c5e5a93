//! [`StageHistory`]: the ordered stage changes of one lead or account (the facts
//! [`facts::StageChange`](crate::facts::StageChange)), with first-entry times, reached tests,
//! time in stage and the stage as of any instant.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};

use super::definition::Funnel;
use super::transition::{ChangeKind, Transition};
use crate::facts::StageChange;
use crate::{Error, ErrorKind, LeadId, StageId};

/// How "reached stage X" is decided.
///
/// # Example
///
/// ```
/// use revops::facts::StageChange;
/// use revops::funnel::{Funnel, Reach, StageHistory};
/// use revops::{LeadId, StageId};
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// // The lead went from inquiry straight to SQL (a recorded CRM change may skip).
/// let funnel = Funnel::demand_waterfall();
/// let lead = LeadId::new("L-1")?;
/// let (inquiry, mql, sql) = (StageId::new("inquiry")?, StageId::new("mql")?, StageId::new("sql")?);
/// let changes = [
///     StageChange { entity: lead.clone(), stage: inquiry, at: at("2024-03-01T09:00:00Z")? },
///     StageChange { entity: lead.clone(), stage: sql, at: at("2024-03-04T09:00:00Z")? },
/// ];
/// let history = StageHistory::from_facts(&funnel, &lead, &changes)?;
/// assert!(!history.reached(&funnel, &mql, Reach::Strict)); // skipped stages are not back-filled
/// assert!(history.reached(&funnel, &mql, Reach::OrBeyond));
/// assert_eq!(history.reached_at(&funnel, &mql, Reach::OrBeyond), Some(at("2024-03-04T09:00:00Z")?));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Reach {
    /// The history has an entry into X itself (skipped stages are not back-filled).
    Strict,
    /// The history has an entry into X or into a stage at or beyond X in the funnel's order
    /// ([`Funnel::is_at_or_beyond`]).
    OrBeyond,
}

/// The stage changes of one entity (a lead by default; an account, a contact or an
/// opportunity with `E` its id type), in strictly increasing time order: a view derived from
/// the [`StageChange`] facts, each with how it came about ([`ChangeKind`]).
///
/// Build it from recorded facts with [`StageHistory::from_facts`], or move by move with
/// [`StageHistory::apply`] (a live workflow asking the funnel's transition policy).
///
/// Our rules ([definitions, section 2](crate::definitions::funnel#stage-dates)): the first entry
/// per stage is recorded once and never moves, even when the lead leaves and comes back; skipped
/// stages are not back-filled; a
/// change whose timestamp is not strictly after the previous one is rejected with
/// [`ErrorKind::StageChangeOutOfOrder`] naming it.
///
/// # Example
///
/// ```
/// use chrono::TimeDelta;
/// use revops::facts::StageChange;
/// use revops::funnel::{ChangeKind, Funnel, Reach, StageHistory, Transition};
/// use revops::{LeadId, StageId};
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let funnel = Funnel::demand_waterfall();
/// let t0 = at("2024-03-01T09:00:00Z")?;
/// let hour = TimeDelta::hours(1);
/// let lead = LeadId::new("L-1")?;
/// let (inquiry, mql, sql) = (StageId::new("inquiry")?, StageId::new("mql")?, StageId::new("sql")?);
/// let enter = |stage: &StageId, at| StageChange { entity: lead.clone(), stage: stage.clone(), at };
///
/// let mut history = StageHistory::new();
/// assert_eq!(history.apply(&funnel, enter(&inquiry, t0), ChangeKind::Automatic)?, Transition::Applied);
/// assert!(history.apply(&funnel, enter(&mql, t0 + hour), ChangeKind::Automatic)?.is_applied());
/// // Backwards automatically: refused, not recorded, not dropped silently.
/// let refused = history.apply(&funnel, enter(&inquiry, t0 + hour * 2), ChangeKind::Automatic)?;
/// assert!(!refused.is_applied());
/// assert_eq!(history.current(), Some(&mql));
/// assert_eq!(history.entity(), Some(&lead));
/// assert_eq!(history.first_entered(&mql), Some(t0 + hour));
/// assert_eq!(history.first_entries().len(), 2);
/// assert_eq!(history.first_entered(&sql), None);
/// assert_eq!(history.stage_at(t0 + hour / 2), Some(&inquiry));
/// assert_eq!(history.moves().filter(|(_, how)| **how == ChangeKind::Automatic).count(), 2);
/// assert!(!history.reached(&funnel, &sql, Reach::OrBeyond));
/// assert_eq!(history.time_in_stage(&inquiry, t0 + hour * 5), Some(hour));
///
/// // The same history from the recorded facts, in any order.
/// let facts = [enter(&mql, t0 + hour), enter(&inquiry, t0)];
/// let recorded = StageHistory::from_facts(&funnel, &lead, &facts)?;
/// assert_eq!(recorded.changes(), history.changes());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(
        try_from = "HistoryRepr<E>",
        into = "HistoryRepr<E>",
        bound(serialize = "E: serde::Serialize + Clone", deserialize = "E: serde::Deserialize<'de> + PartialEq")
    )
)]
pub struct StageHistory<E = LeadId> {
    changes: Vec<StageChange<E>>,
    /// How each change came about, parallel to `changes`.
    kinds: Vec<ChangeKind>,
    first: BTreeMap<StageId, DateTime<Utc>>,
}

impl<E> Default for StageHistory<E> {
    fn default() -> StageHistory<E> {
        StageHistory { changes: Vec::new(), kinds: Vec::new(), first: BTreeMap::new() }
    }
}

impl<E: Clone + PartialEq> StageHistory<E> {
    /// An empty history.
    #[must_use]
    pub fn new() -> StageHistory<E> {
        StageHistory::default()
    }

    /// The history of `entity` derived from recorded facts: its changes among `changes`
    /// (others' are skipped), ordered by time (facts come in any order), each recorded as
    /// [`ChangeKind::Recorded`] (a fact is not second-guessed by the transition policy).
    ///
    /// # Errors
    /// [`ErrorKind::StageChangeOutOfOrder`] for two changes of `entity` at the same instant;
    /// [`ErrorKind::UnknownStage`] for a stage the funnel lacks; [`ErrorKind::TerminalStage`] for a
    /// change out of a terminal stage; [`ErrorKind::InvalidTransition`] for a change into the
    /// stage the entity is already in.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::StageChange;
    /// use revops::funnel::{ChangeKind, Funnel, StageHistory};
    /// use revops::{ErrorKind, LeadId, StageId};
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let funnel = Funnel::demand_waterfall();
    /// let (a, b) = (LeadId::new("L-1")?, LeadId::new("L-2")?);
    /// let (mql, won, lost) = (StageId::new("mql")?, StageId::new("won")?, StageId::new("lost")?);
    /// // Facts of several leads, in any order: only `a`'s are kept, sorted by time.
    /// let changes = [
    ///     StageChange { entity: a.clone(), stage: won.clone(), at: at("2024-04-02T10:00:00Z")? },
    ///     StageChange { entity: b.clone(), stage: mql.clone(), at: at("2024-03-05T10:00:00Z")? },
    ///     StageChange { entity: a.clone(), stage: mql.clone(), at: at("2024-03-01T10:00:00Z")? },
    /// ];
    /// let history = StageHistory::from_facts(&funnel, &a, &changes)?;
    /// assert_eq!(history.current(), Some(&won));
    /// assert!(history.moves().all(|(_, how)| *how == ChangeKind::Recorded));
    ///
    /// // A recorded fact never leaves a terminal stage.
    /// let reopened = [StageChange { entity: a.clone(), stage: lost, at: at("2024-05-01T10:00:00Z")? }];
    /// let err = StageHistory::from_facts(&funnel, &a, changes.iter().chain(&reopened));
    /// assert!(matches!(err.as_ref().map_err(revops::Error::kind), Err(ErrorKind::TerminalStage { .. })));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn from_facts<'a>(
        funnel: &Funnel,
        entity: &E,
        changes: impl IntoIterator<Item = &'a StageChange<E>>,
    ) -> Result<StageHistory<E>, Error>
    where
        E: 'a,
    {
        StageHistory::from_joined(funnel, changes.into_iter().filter(|c| &c.entity == entity))
    }

    /// [`StageHistory::from_facts`] over changes already known to be one entity's (the
    /// scorecard's join groups them by lead once), so the per-change id test is skipped.
    pub(crate) fn from_joined<'a>(
        funnel: &Funnel,
        changes: impl IntoIterator<Item = &'a StageChange<E>>,
    ) -> Result<StageHistory<E>, Error>
    where
        E: 'a,
    {
        let mut own: Vec<&StageChange<E>> = changes.into_iter().collect();
        own.sort_by_key(|c| c.at);
        StageHistory::replay(funnel, own.into_iter().map(|c| (c.clone(), ChangeKind::Recorded)))
    }

    /// Checks `change`, which came about `how`, against the funnel's transition policy from
    /// the current stage and, if applied, records it. A refused move is returned as
    /// [`Transition::Refused`] and not recorded.
    ///
    /// # Errors
    /// [`ErrorKind::StageChangeOutOfOrder`] if `change.at` is not strictly after the last change;
    /// [`ErrorKind::InvalidTransition`] if `change` is for another entity than the history's
    /// earlier changes; the errors of [`Funnel::check_move`].
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::StageChange;
    /// use revops::funnel::{ChangeKind, Funnel, Refusal, StageHistory, Transition};
    /// use revops::{ErrorKind, LeadId, StageId};
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let funnel = Funnel::demand_waterfall();
    /// let lead = LeadId::new("L-1")?;
    /// let enter = |stage: &str, when: &str| -> Result<StageChange, revops::Error> {
    ///     Ok(StageChange { entity: lead.clone(), stage: StageId::new(stage)?, at: at(when)? })
    /// };
    /// let mut history = StageHistory::new();
    /// assert!(history.apply(&funnel, enter("inquiry", "2024-03-01T09:00:00Z")?, ChangeKind::Automatic)?.is_applied());
    /// // No skips in the waterfall: refused and not recorded.
    /// let skip = history.apply(&funnel, enter("sql", "2024-03-02T09:00:00Z")?, ChangeKind::Automatic)?;
    /// assert!(matches!(skip, Transition::Refused(Refusal::Skip { .. })));
    /// assert_eq!(history.changes().len(), 1);
    /// // A change not after the last one is an error naming it.
    /// let late = history.apply(&funnel, enter("mql", "2024-03-01T08:00:00Z")?, ChangeKind::Automatic);
    /// assert!(matches!(late.as_ref().map_err(revops::Error::kind), Err(ErrorKind::StageChangeOutOfOrder { .. })));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn apply(&mut self, funnel: &Funnel, change: StageChange<E>, how: ChangeKind) -> Result<Transition, Error> {
        if let Some(last) = self.changes.last() {
            if change.at <= last.at {
                return Err(ErrorKind::StageChangeOutOfOrder {
                    index: self.changes.len(),
                    stage: change.stage,
                    at: change.at,
                    previous: last.at,
                }
                .into());
            }
            if change.entity != last.entity {
                return Err(ErrorKind::InvalidTransition {
                    to: change.stage,
                    reason: "the change is for another entity than the history's",
                }
                .into());
            }
        }
        let transition = funnel.check_move(self.current(), &change.stage, &how)?;
        if transition.is_applied() {
            self.record(change, how);
        }
        Ok(transition)
    }

    fn record(&mut self, change: StageChange<E>, how: ChangeKind) {
        if !self.first.contains_key(&change.stage) {
            self.first.insert(change.stage.clone(), change.at);
        }
        self.changes.push(change);
        self.kinds.push(how);
    }

    /// Builds a history from changes in time order, each with how it came about, applying
    /// each through the funnel's policy.
    ///
    /// # Errors
    /// The errors of [`StageHistory::apply`]; a refused move is
    /// [`ErrorKind::InvalidTransition`] (a recorded history must not contain one).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::StageChange;
    /// use revops::funnel::{ChangeKind, Funnel, StageHistory};
    /// use revops::{LeadId, StageId};
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let funnel = Funnel::demand_waterfall();
    /// let lead = LeadId::new("L-1")?;
    /// let (inquiry, mql) = (StageId::new("inquiry")?, StageId::new("mql")?);
    /// let moves = vec![
    ///     (StageChange { entity: lead.clone(), stage: inquiry.clone(), at: at("2024-03-01T09:00:00Z")? }, ChangeKind::Automatic),
    ///     (StageChange { entity: lead.clone(), stage: mql, at: at("2024-03-02T09:00:00Z")? }, ChangeKind::Automatic),
    /// ];
    /// let history = StageHistory::replay(&funnel, moves.clone())?;
    /// // `moves` gives back what `replay` takes: a round trip.
    /// let again = StageHistory::replay(&funnel, history.moves().map(|(c, how)| (c.clone(), how.clone())))?;
    /// assert_eq!(again, history);
    /// // A move the policy refuses (automatic, backward) is an error in a replay.
    /// let back = (StageChange { entity: lead, stage: inquiry, at: at("2024-03-03T09:00:00Z")? }, ChangeKind::Automatic);
    /// assert!(StageHistory::replay(&funnel, moves.into_iter().chain([back])).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn replay(
        funnel: &Funnel,
        changes: impl IntoIterator<Item = (StageChange<E>, ChangeKind)>,
    ) -> Result<StageHistory<E>, Error> {
        let mut history = StageHistory::new();
        for (change, how) in changes {
            let to = change.stage.clone();
            if let Transition::Refused(_) = history.apply(funnel, change, how)? {
                return Err(ErrorKind::InvalidTransition { to, reason: "the funnel's policy refuses this move" }.into());
            }
        }
        Ok(history)
    }
}

impl<E> StageHistory<E> {
    /// The changes, oldest first.
    #[must_use]
    pub fn changes(&self) -> &[StageChange<E>] {
        &self.changes
    }

    /// The changes, oldest first, each with how it came about (what [`StageHistory::replay`]
    /// takes back).
    pub fn moves(&self) -> impl Iterator<Item = (&StageChange<E>, &ChangeKind)> {
        self.changes.iter().zip(&self.kinds)
    }

    /// The entity whose history this is (`None` while empty).
    #[must_use]
    pub fn entity(&self) -> Option<&E> {
        self.changes.first().map(|c| &c.entity)
    }

    /// The current stage (of the last change).
    #[must_use]
    pub fn current(&self) -> Option<&StageId> {
        self.changes.last().map(|c| &c.stage)
    }

    /// When the entity first entered `stage`; `None` if it never did (skipped stages stay
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

    /// Whether the entity reached `stage`, strictly or at-or-beyond (see [`Reach`]).
    #[must_use]
    pub fn reached(&self, funnel: &Funnel, stage: &StageId, reach: Reach) -> bool {
        self.reached_at(funnel, stage, reach).is_some()
    }

    /// When the entity first reached `stage`: its first entry (strict), or the earliest first
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

    /// The stage the entity was in at `instant` (the last change at or before it); `None`
    /// before the first change.
    #[must_use]
    pub fn stage_at(&self, instant: DateTime<Utc>) -> Option<&StageId> {
        let after = self.changes.partition_point(|c| c.at <= instant);
        after.checked_sub(1).and_then(|i| self.changes.get(i)).map(|c| &c.stage)
    }

    /// Total time spent in `stage` up to `as_of`, summed over every visit: each visit runs
    /// from its entry to the next change, or to `as_of` for the current stage; visits
    /// starting after `as_of` are ignored. `None` if the entity never entered `stage` by
    /// `as_of`.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::TimeDelta;
    /// use revops::facts::StageChange;
    /// use revops::funnel::{Funnel, StageHistory};
    /// use revops::{LeadId, StageId};
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// // MQL for 2 days, nurture for 10, back to MQL on the 13th.
    /// let funnel = Funnel::demand_waterfall();
    /// let lead = LeadId::new("L-1")?;
    /// let (mql, nurture) = (StageId::new("mql")?, StageId::new("nurture")?);
    /// let changes = [
    ///     StageChange { entity: lead.clone(), stage: mql.clone(), at: at("2024-03-01T00:00:00Z")? },
    ///     StageChange { entity: lead.clone(), stage: nurture.clone(), at: at("2024-03-03T00:00:00Z")? },
    ///     StageChange { entity: lead.clone(), stage: mql.clone(), at: at("2024-03-13T00:00:00Z")? },
    /// ];
    /// let history = StageHistory::from_facts(&funnel, &lead, &changes)?;
    /// let as_of = at("2024-03-14T12:00:00Z")?;
    /// assert_eq!(history.time_in_stage(&mql, as_of), Some(TimeDelta::hours(2 * 24 + 36)));
    /// assert_eq!(history.time_in_stage(&nurture, as_of), Some(TimeDelta::days(10)));
    /// assert_eq!(history.first_entered(&mql), Some(at("2024-03-01T00:00:00Z")?)); // never moves
    /// assert_eq!(history.time_in_stage(&StageId::new("sql")?, as_of), None);
    /// # Ok::<(), revops::Error>(())
    /// ```
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

/// Wire shape of [`StageHistory`]: the changes with how each came about; first entries are
/// derived on read.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct HistoryRepr<E> {
    changes: Vec<MoveRepr<E>>,
}

/// One change on the wire: the [`StageChange`] fact's fields and `how`.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct MoveRepr<E> {
    entity: E,
    stage: StageId,
    at: DateTime<Utc>,
    how: ChangeKind,
}

#[cfg(feature = "serde")]
impl<E: PartialEq> TryFrom<HistoryRepr<E>> for StageHistory<E> {
    type Error = Error;
    /// Checks the timestamps strictly increase and one entity throughout; the transition
    /// policy needs a funnel, so use [`StageHistory::replay`] to check it.
    fn try_from(repr: HistoryRepr<E>) -> Result<StageHistory<E>, Error> {
        let mut history = StageHistory::default();
        for (index, m) in repr.changes.into_iter().enumerate() {
            if let Some(last) = history.changes.last() {
                if m.at <= last.at {
                    return Err(ErrorKind::StageChangeOutOfOrder {
                        index,
                        stage: m.stage,
                        at: m.at,
                        previous: last.at,
                    }
                    .into());
                }
                if m.entity != last.entity {
                    return Err(ErrorKind::InvalidTransition {
                        to: m.stage,
                        reason: "the change is for another entity than the history's",
                    }
                    .into());
                }
            }
            let MoveRepr { entity, stage, at, how } = m;
            if !history.first.contains_key(&stage) {
                history.first.insert(stage.clone(), at);
            }
            history.changes.push(StageChange { entity, stage, at });
            history.kinds.push(how);
        }
        Ok(history)
    }
}

#[cfg(feature = "serde")]
impl<E> From<StageHistory<E>> for HistoryRepr<E> {
    fn from(h: StageHistory<E>) -> HistoryRepr<E> {
        let changes = h
            .changes
            .into_iter()
            .zip(h.kinds)
            .map(|(c, how)| MoveRepr { entity: c.entity, stage: c.stage, at: c.at, how })
            .collect();
        HistoryRepr { changes }
    }
}
