//! [`LeadMilestones`]: the instants a lead's SLA clocks start and stop at, derived from its
//! facts with [`LeadMilestones::from_facts`] (one lead) or [`LeadMilestones::from_fact_set`]
//! (every lead of a [`FactSet`]).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::policy::ClockStart;
use crate::facts::{Disposition, DispositionOutcome, FactSet, Lead, Response, ResponseKind, StageChange};
use crate::{Error, ErrorKind, LeadId, StageId};

/// Which stages of the caller's funnel mark a lead's SLA milestones (a definition): entering
/// `mql` makes a lead marketing qualified, entering `handoff` hands it to sales (the MQL stage
/// itself where MQLs are routed to sales the moment they qualify), entering `sql` makes it
/// sales qualified.
///
/// # Example
///
/// ```
/// use revops::StageId;
/// use revops::sla::MilestoneStages;
///
/// // MQLs are routed to sales at once: the MQL entry is the handoff.
/// let stages = MilestoneStages::new(StageId::new("mql")?, StageId::new("mql")?, StageId::new("sql")?);
/// assert_eq!(stages.handoff, stages.mql);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MilestoneStages {
    /// The stage whose entry makes a lead an MQL.
    pub mql: StageId,
    /// The stage whose entry hands a lead to sales.
    pub handoff: StageId,
    /// The stage whose entry makes a lead an SQL.
    pub sql: StageId,
}

impl MilestoneStages {
    /// The MQL, handoff and SQL stages.
    #[must_use]
    pub const fn new(mql: StageId, handoff: StageId, sql: StageId) -> MilestoneStages {
        MilestoneStages { mql, handoff, sql }
    }
}

/// The milestones of one lead that response and disposition clocks start and stop at, and
/// that the quality commitment reads: a view derived from the lead's facts, never filled by
/// hand.
///
/// Rules ([`LeadMilestones::from_facts`]):
/// - **created** is [`Lead::created_at`];
/// - **MQL**, **handoff** and **SQL** are the lead's *first* entry (the earliest
///   [`StageChange`]) into the [`MilestoneStages`]' stages; re-entries do not move them;
/// - **sales touches** are every [`Response`] on the lead; a response policy's clock stops at
///   the first one at or after its clock start whose [`ResponseKind`] it counts
///   ([`ResponsePolicy::instance`](super::ResponsePolicy::instance));
/// - **disposition** is the lead's earliest [`Disposition`] (at equal instants, the first in
///   [`DispositionOutcome`] order, so the result never depends on the facts' order).
///
/// Facts are checked, and a contradiction is [`ErrorKind::MilestoneOutOfOrder`] naming the lead:
/// an MQL, a handoff, an SQL, a sales touch or a disposition before the lead was created, a
/// handoff before the MQL, a disposition before the handoff. An SQL before the MQL is allowed
/// (a sales-sourced lead may qualify without marketing).
///
/// With the `serde` feature the view serializes, and deserializing runs the same checks.
///
/// # Example
///
/// ```
/// use chrono::TimeDelta;
/// use revops::facts::{Disposition, DispositionOutcome, Lead, Response, ResponseKind, StageChange};
/// use revops::sla::{ClockStart, LeadMilestones, MilestoneStages};
/// use revops::{ErrorKind, LeadId, StageId};
/// # fn instant(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let june = instant("2024-06-01T00:00:00Z")?;
/// let at = |d: i64, h: i64| june + TimeDelta::days(d - 1) + TimeDelta::hours(h);
/// let id = LeadId::new("L-1")?;
/// let stages = MilestoneStages::new(StageId::new("mql")?, StageId::new("mql")?, StageId::new("sql")?);
/// let lead = Lead::new(id.clone(), at(3, 9));
/// let changes = [StageChange { entity: id.clone(), stage: StageId::new("mql")?, at: at(3, 14) }];
/// let touches = [Response::new(id.clone(), at(3, 15), ResponseKind::Call)];
/// let accepted = [Disposition { lead: id.clone(), at: at(4, 10), outcome: DispositionOutcome::Accepted }];
/// let lead = LeadMilestones::from_facts(&stages, &lead, &changes, &touches, &accepted)?;
/// assert_eq!((lead.lead(), lead.created()), (&id, at(3, 9)));
/// assert_eq!(lead.mql(), Some(at(3, 14)));
/// assert_eq!(lead.handoff(), Some(at(3, 14)));
/// assert_eq!(lead.at(ClockStart::Handoff), lead.handoff());
/// assert_eq!(lead.sql(), None);
/// assert_eq!(lead.touches(), [(at(3, 15), ResponseKind::Call)]);
/// assert_eq!(lead.disposition().map(|(at, _)| at), Some(at(4, 10)));
///
/// // A sales touch before the lead existed is refused, naming the lead.
/// let early = [Response::new(id.clone(), at(2, 9), ResponseKind::Email)];
/// let err = LeadMilestones::from_facts(&stages, &Lead::new(id, at(3, 9)), &changes, &early, &[]);
/// let named = match err.as_ref().map_err(revops::Error::kind) {
///     Err(ErrorKind::MilestoneOutOfOrder { lead, milestone, .. }) => Some((lead.as_str(), *milestone)),
///     _ => None,
/// };
/// assert_eq!(named, Some(("L-1", "sales touch")));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "wire::MilestonesRepr", deny_unknown_fields)
)]
pub struct LeadMilestones {
    lead: LeadId,
    created: DateTime<Utc>,
    mql: Option<DateTime<Utc>>,
    handoff: Option<DateTime<Utc>>,
    sql: Option<DateTime<Utc>>,
    /// Every sales touch, in (instant, kind) order.
    touches: Vec<(DateTime<Utc>, ResponseKind)>,
    disposition: Option<(DateTime<Utc>, DispositionOutcome)>,
}

impl LeadMilestones {
    /// The milestones of `lead` from its facts (see the type's rules). Stage changes,
    /// responses and dispositions of other leads are skipped, so a caller may pass a slice of
    /// many leads' facts (for many leads at once, [`LeadMilestones::from_fact_set`] indexes
    /// them in one pass); stage changes into other stages are skipped by definition.
    ///
    /// # Errors
    /// [`ErrorKind::MilestoneOutOfOrder`] naming the lead and the two milestones.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::{Disposition, DispositionOutcome, Lead, Reason, StageChange};
    /// use revops::sla::{LeadMilestones, MilestoneStages};
    /// use revops::{LeadId, StageId};
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let (a, b) = (LeadId::new("L-1")?, LeadId::new("L-2")?);
    /// let (mql, sal, sql) = (StageId::new("mql")?, StageId::new("sal")?, StageId::new("sql")?);
    /// let stages = MilestoneStages::new(mql.clone(), sal.clone(), sql.clone());
    /// // Facts of several leads in one slice; the MQL was entered twice (only the first counts).
    /// let changes = [
    ///     StageChange { entity: a.clone(), stage: mql.clone(), at: at("2024-07-01T14:00:00Z")? },
    ///     StageChange { entity: b.clone(), stage: mql.clone(), at: at("2024-07-01T15:00:00Z")? },
    ///     StageChange { entity: a.clone(), stage: sal.clone(), at: at("2024-07-02T10:00:00Z")? },
    ///     StageChange { entity: a.clone(), stage: mql.clone(), at: at("2024-07-09T10:00:00Z")? },
    /// ];
    /// let lead = Lead::new(a.clone(), at("2024-07-01T09:00:00Z")?);
    /// let milestones = LeadMilestones::from_facts(&stages, &lead, &changes, &[], &[])?;
    /// assert_eq!(milestones.mql(), Some(at("2024-07-01T14:00:00Z")?));
    /// assert_eq!(milestones.handoff(), Some(at("2024-07-02T10:00:00Z")?));
    /// // A disposition before the handoff contradicts the facts.
    /// let outcome = DispositionOutcome::Rejected { reason: Reason::BadFit };
    /// let early = [Disposition { lead: a, at: at("2024-07-01T16:00:00Z")?, outcome }];
    /// assert!(LeadMilestones::from_facts(&stages, &lead, &changes, &[], &early).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn from_facts(
        stages: &MilestoneStages,
        lead: &Lead,
        stage_changes: &[StageChange],
        responses: &[Response],
        dispositions: &[Disposition],
    ) -> Result<LeadMilestones, Error> {
        let id = &lead.id;
        LeadMilestones::derive(
            stages,
            lead,
            stage_changes.iter().filter(|c| &c.entity == id),
            responses.iter().filter(|r| &r.lead == id),
            dispositions.iter().filter(|d| &d.lead == id),
        )
    }

    /// [`LeadMilestones::from_facts`] over facts already joined to `lead` (every change,
    /// response and disposition names it): the scorecard's join groups them once, so the
    /// per-fact id test is skipped.
    #[cfg(feature = "serde")] // the agreement's scorecard
    pub(crate) fn from_joined(
        stages: &MilestoneStages,
        lead: &Lead,
        stage_changes: &[StageChange],
        responses: &[Response],
        dispositions: &[Disposition],
    ) -> Result<LeadMilestones, Error> {
        debug_assert!(stage_changes.iter().all(|c| c.entity == lead.id));
        LeadMilestones::derive(stages, lead, stage_changes.iter(), responses.iter(), dispositions.iter())
    }

    /// The milestones of every lead of `facts`, in the order of `facts.leads`, with its stage
    /// changes, responses and dispositions indexed by lead in one pass.
    ///
    /// # Errors
    /// [`ErrorKind::DuplicateKey`] if two leads share an id; [`ErrorKind::UnknownKey`] (kind `"lead"`)
    /// if a stage change, response or disposition names a lead `facts` does not hold (nothing
    /// is dropped silently); [`ErrorKind::MilestoneOutOfOrder`] as [`LeadMilestones::from_facts`].
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::{FactSet, Lead, Response, ResponseKind, StageChange};
    /// use revops::sla::{LeadMilestones, MilestoneStages};
    /// use revops::{ErrorKind, LeadId, StageId};
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let mql = StageId::new("mql")?;
    /// let stages = MilestoneStages::new(mql.clone(), mql.clone(), StageId::new("sql")?);
    /// let (a, b) = (LeadId::new("L-1")?, LeadId::new("L-2")?);
    /// let mut facts = FactSet::default();
    /// facts.leads = vec![Lead::new(b.clone(), at("2024-07-01T09:00:00Z")?), Lead::new(a.clone(), at("2024-07-01T10:00:00Z")?)];
    /// facts.stage_changes.push(StageChange { entity: a.clone(), stage: mql, at: at("2024-07-02T10:00:00Z")? });
    /// facts.responses.push(Response::new(a, at("2024-07-02T11:00:00Z")?, ResponseKind::Call));
    /// let all = LeadMilestones::from_fact_set(&stages, &facts)?;
    /// let summary: Vec<_> = all.iter().map(|m| (m.lead().as_str(), m.mql().is_some(), m.touches().len())).collect();
    /// assert_eq!(summary, [("L-2", false, 0), ("L-1", true, 1)]); // in the order of `facts.leads`
    /// // A response for a lead the set does not hold is an error, not dropped.
    /// facts.responses.push(Response::new(LeadId::new("L-3")?, at("2024-07-02T12:00:00Z")?, ResponseKind::Email));
    /// let err = LeadMilestones::from_fact_set(&stages, &facts);
    /// assert!(matches!(err.as_ref().map_err(revops::Error::kind), Err(ErrorKind::UnknownKey { kind: "lead", .. })));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn from_fact_set(stages: &MilestoneStages, facts: &FactSet) -> Result<Vec<LeadMilestones>, Error> {
        #[derive(Default)]
        struct Of<'a> {
            changes: Vec<&'a StageChange>,
            responses: Vec<&'a Response>,
            dispositions: Vec<&'a Disposition>,
        }
        let mut by_lead: BTreeMap<&LeadId, Of<'_>> = BTreeMap::new();
        for lead in &facts.leads {
            if by_lead.insert(&lead.id, Of::default()).is_some() {
                return Err(ErrorKind::DuplicateKey { kind: "lead id", key: lead.id.to_string() }.into());
            }
        }
        let unknown = |id: &LeadId| ErrorKind::UnknownKey { kind: "lead", key: id.to_string() };
        for c in &facts.stage_changes {
            by_lead.get_mut(&c.entity).ok_or_else(|| unknown(&c.entity))?.changes.push(c);
        }
        for r in &facts.responses {
            by_lead.get_mut(&r.lead).ok_or_else(|| unknown(&r.lead))?.responses.push(r);
        }
        for d in &facts.dispositions {
            by_lead.get_mut(&d.lead).ok_or_else(|| unknown(&d.lead))?.dispositions.push(d);
        }
        facts
            .leads
            .iter()
            .map(|lead| {
                let of = by_lead.get(&lead.id).ok_or_else(|| unknown(&lead.id))?;
                LeadMilestones::derive(
                    stages,
                    lead,
                    of.changes.iter().copied(),
                    of.responses.iter().copied(),
                    of.dispositions.iter().copied(),
                )
            })
            .collect()
    }

    fn derive<'a>(
        stages: &MilestoneStages,
        lead: &Lead,
        stage_changes: impl Iterator<Item = &'a StageChange>,
        responses: impl Iterator<Item = &'a Response>,
        dispositions: impl Iterator<Item = &'a Disposition>,
    ) -> Result<LeadMilestones, Error> {
        let (mut mql, mut handoff, mut sql) = (None, None, None);
        let first = |slot: &mut Option<DateTime<Utc>>, at: DateTime<Utc>| {
            if slot.is_none_or(|t| at < t) {
                *slot = Some(at);
            }
        };
        for change in stage_changes {
            // One stage may mark several milestones (the MQL stage is often the handoff).
            if change.stage == stages.mql {
                first(&mut mql, change.at);
            }
            if change.stage == stages.handoff {
                first(&mut handoff, change.at);
            }
            if change.stage == stages.sql {
                first(&mut sql, change.at);
            }
        }
        let mut touches: Vec<(DateTime<Utc>, ResponseKind)> = responses.map(|r| (r.at, r.kind)).collect();
        touches.sort_unstable();
        let disposition = dispositions.map(|d| (d.at, &d.outcome)).min().map(|(at, outcome)| (at, outcome.clone()));
        let milestones =
            LeadMilestones { lead: lead.id.clone(), created: lead.created_at, mql, handoff, sql, touches, disposition };
        milestones.check()?;
        Ok(milestones)
    }

    /// Checks the order rules of the type.
    fn check(&self) -> Result<(), Error> {
        let out_of_order = |milestone, at, follows, follows_at| ErrorKind::MilestoneOutOfOrder {
            lead: self.lead.to_string(),
            milestone,
            at,
            follows,
            follows_at,
        };
        let created = self.created;
        let after_creation = [
            ("mql", self.mql),
            ("handoff", self.handoff),
            ("sql", self.sql),
            ("sales touch", self.touches.first().map(|t| t.0)),
            ("disposition", self.disposition.as_ref().map(|d| d.0)),
        ];
        for (milestone, at) in after_creation {
            if let Some(at) = at.filter(|at| *at < created) {
                return Err(crate::Error::from(out_of_order(milestone, at, "creation", created)));
            }
        }
        if let (Some(mql), Some(handoff)) = (self.mql, self.handoff)
            && handoff < mql
        {
            return Err(crate::Error::from(out_of_order("handoff", handoff, "mql", mql)));
        }
        if let (Some(handoff), Some((at, _))) = (self.handoff, &self.disposition)
            && *at < handoff
        {
            return Err(crate::Error::from(out_of_order("disposition", *at, "handoff", handoff)));
        }
        Ok(())
    }

    /// The lead.
    #[must_use]
    pub const fn lead(&self) -> &LeadId {
        &self.lead
    }

    /// When the lead was created.
    #[must_use]
    pub const fn created(&self) -> DateTime<Utc> {
        self.created
    }

    /// When it first became an MQL, if it did.
    #[must_use]
    pub const fn mql(&self) -> Option<DateTime<Utc>> {
        self.mql
    }

    /// When it was first handed to sales, if it was.
    #[must_use]
    pub const fn handoff(&self) -> Option<DateTime<Utc>> {
        self.handoff
    }

    /// When it first became an SQL, if it did.
    #[must_use]
    pub const fn sql(&self) -> Option<DateTime<Utc>> {
        self.sql
    }

    /// Every sales touch on the lead, in time order.
    #[must_use]
    pub fn touches(&self) -> &[(DateTime<Utc>, ResponseKind)] {
        &self.touches
    }

    /// The lead's first disposition: when, and the outcome.
    #[must_use]
    pub fn disposition(&self) -> Option<(DateTime<Utc>, &DispositionOutcome)> {
        self.disposition.as_ref().map(|(at, outcome)| (*at, outcome))
    }

    /// The instant of `start`, if that event happened.
    #[must_use]
    pub const fn at(&self, start: ClockStart) -> Option<DateTime<Utc>> {
        match start {
            ClockStart::LeadCreated => Some(self.created),
            ClockStart::Mql => self.mql,
            ClockStart::Handoff => self.handoff,
        }
    }

    /// The first sales touch at or after `from` whose kind `counts`.
    pub(crate) fn first_touch(
        &self,
        from: DateTime<Utc>,
        counts: impl Fn(ResponseKind) -> bool,
    ) -> Option<DateTime<Utc>> {
        let later = self.touches.partition_point(|(at, _)| *at < from);
        self.touches.get(later..)?.iter().find(|(_, kind)| counts(*kind)).map(|(at, _)| *at)
    }
}

/// Wire shape of [`LeadMilestones`], checked on the way in.
#[cfg(feature = "serde")]
mod wire {
    use chrono::{DateTime, Utc};

    use super::LeadMilestones;
    use crate::facts::{DispositionOutcome, ResponseKind};
    use crate::{Error, LeadId};

    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct MilestonesRepr {
        lead: LeadId,
        created: DateTime<Utc>,
        mql: Option<DateTime<Utc>>,
        handoff: Option<DateTime<Utc>>,
        sql: Option<DateTime<Utc>>,
        touches: Vec<(DateTime<Utc>, ResponseKind)>,
        disposition: Option<(DateTime<Utc>, DispositionOutcome)>,
    }

    impl TryFrom<MilestonesRepr> for LeadMilestones {
        type Error = Error;
        fn try_from(r: MilestonesRepr) -> Result<LeadMilestones, Error> {
            let MilestonesRepr { lead, created, mql, handoff, sql, mut touches, disposition } = r;
            touches.sort_unstable();
            let milestones = LeadMilestones { lead, created, mql, handoff, sql, touches, disposition };
            milestones.check()?;
            Ok(milestones)
        }
    }
}
