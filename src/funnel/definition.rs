//! [`Funnel`]: stages in an explicit order, side stages, a transition policy and handoff
//! requirements, validated as a whole; and the built-in templates.

use std::collections::BTreeSet;

use super::handoff::{HandoffField, HandoffRequirement};
use super::stage::{Owner, Stage, StageKind};
use super::transition::{ChangeKind, Refusal, Transition};
use crate::{Error, ErrorKind, StageId};

mod templates;

/// How a funnel lets leads move between stages.
///
/// Automatic moves only go forward; backward moves need a manual override; terminal stages
/// are never left; recycling goes to the `nurture` stage (see [`Funnel::check_move`]).
///
/// # Example
///
/// ```
/// use revops::funnel::{Funnel, TransitionPolicy};
/// use revops::StageId;
///
/// let waterfall = Funnel::demand_waterfall();
/// assert_eq!(waterfall.policy(), &TransitionPolicy { allow_skips: false, nurture: Some(StageId::new("nurture")?) });
/// assert!(Funnel::hubspot_lifecycle().policy().allow_skips);
/// # Ok::<(), revops::Error>(())
/// ```
#[cfg_attr(feature = "serde", doc = include_str!("wire_format/transition_policy.md"))]
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TransitionPolicy {
    /// Whether an automatic move may jump over open stages (`HubSpot` allows it; a strict
    /// waterfall does not).
    #[cfg_attr(feature = "serde", serde(default))]
    pub allow_skips: bool,
    /// The non-terminal stage recycled leads go back to, if the funnel recycles.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub nurture: Option<StageId>,
}

/// A funnel: named stages in an explicit order, side stages outside it, a transition policy
/// and the fields each handoff requires.
///
/// Invariants (checked by [`FunnelBuilder::build`] and on deserialize): at least one ordered
/// stage; stage ids unique; side and disqualified stages only outside the order, open, won and
/// lost stages only in it, won and lost after every open stage; the nurture stage exists and
/// is not terminal; handoff requirements name known stages, once per pair.
///
/// # Example
///
/// ```
/// use revops::funnel::Funnel;
/// use revops::StageId;
///
/// let funnel = Funnel::demand_waterfall();
/// assert_eq!(funnel.name(), "Demand waterfall");
/// let order: Vec<&str> = funnel.stages().iter().map(|s| s.id.as_str()).collect();
/// assert_eq!(order, ["inquiry", "mql", "sal", "sql", "won", "lost"]);
/// let side: Vec<&str> = funnel.side_stages().iter().map(|s| s.id.as_str()).collect();
/// assert_eq!(side, ["nurture", "disqualified"]);
/// assert_eq!(funnel.all_stages().count(), 8);
/// assert_eq!(funnel.handoff_requirements().len(), 1);
///
/// let (mql, sql, won) = (StageId::new("mql")?, StageId::new("sql")?, StageId::new("won")?);
/// assert_eq!(funnel.stage(&sql).map(|s| s.name.as_str()), Some("Sales qualified lead"));
/// assert_eq!(funnel.position(&mql), Some(1));
/// assert_eq!(funnel.position(&StageId::new("nurture")?), None); // outside the order
/// assert!(funnel.is_at_or_beyond(&won, &sql)); // a won lead reached SQL or beyond
/// assert!(!funnel.is_at_or_beyond(&mql, &sql));
/// # Ok::<(), revops::Error>(())
/// ```
#[cfg_attr(feature = "serde", doc = include_str!("wire_format/funnel.md"))]
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "FunnelRepr", into = "FunnelRepr")
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Funnel {
    name: String,
    stages: Vec<Stage>,
    side_stages: Vec<Stage>,
    policy: TransitionPolicy,
    handoffs: Vec<HandoffRequirement>,
}

/// Where a stage id sits in a funnel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    Ordered(usize),
    Side(usize),
}

impl Funnel {
    /// Starts a funnel called `name`; add stages in order with [`FunnelBuilder::stage`].
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::{Funnel, Owner, Stage, StageKind};
    ///
    /// let funnel = Funnel::builder("partner deals")
    ///     .stage(Stage::new("registered", "Deal registered", Owner::Marketing, StageKind::Open)?)
    ///     .stage(Stage::new("approved", "Approved", Owner::Sales, StageKind::Open)?)
    ///     .stage(Stage::new("won", "Won", Owner::Sales, StageKind::Won)?)
    ///     .side_stage(Stage::new("rejected", "Rejected", Owner::Sales, StageKind::Disqualified)?)
    ///     .build()?;
    /// assert_eq!(funnel.stages().len(), 3);
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn builder(name: impl Into<String>) -> FunnelBuilder {
        FunnelBuilder {
            name: name.into(),
            stages: Vec::new(),
            side_stages: Vec::new(),
            policy: TransitionPolicy::default(),
            handoffs: Vec::new(),
        }
    }

    /// The funnel's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The ordered stages, first to last.
    #[must_use]
    pub fn stages(&self) -> &[Stage] {
        &self.stages
    }

    /// The side and disqualified stages (outside the order), as given.
    #[must_use]
    pub fn side_stages(&self) -> &[Stage] {
        &self.side_stages
    }

    /// Every stage: the ordered ones first, then the side ones.
    pub fn all_stages(&self) -> impl Iterator<Item = &Stage> {
        self.stages.iter().chain(&self.side_stages)
    }

    /// The transition policy.
    #[must_use]
    pub fn policy(&self) -> &TransitionPolicy {
        &self.policy
    }

    /// The handoff requirements, in the order given.
    #[must_use]
    pub fn handoff_requirements(&self) -> &[HandoffRequirement] {
        &self.handoffs
    }

    /// The owners on each side when a move from `from` to `to` crosses an ownership
    /// boundary (a handoff, e.g. marketing to sales at MQL to SAL); `None` when both stages
    /// have the same owner or either is unknown.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::{Funnel, Owner};
    /// use revops::StageId;
    ///
    /// let funnel = Funnel::demand_waterfall();
    /// let owners = funnel.handoff_owners(&StageId::new("mql")?, &StageId::new("sal")?);
    /// assert_eq!(owners, Some((Owner::Marketing, Owner::Sales)));
    /// assert_eq!(funnel.handoff_owners(&StageId::new("sal")?, &StageId::new("sql")?), None);
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn handoff_owners(&self, from: &StageId, to: &StageId) -> Option<(Owner, Owner)> {
        let (a, b) = (self.stage(from)?.owner, self.stage(to)?.owner);
        (a != b).then_some((a, b))
    }

    /// The fields a handoff from `from` to `to` must carry (`None`: the funnel requires none).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::{Funnel, HandoffField};
    /// use revops::StageId;
    ///
    /// let funnel = Funnel::demand_waterfall();
    /// let (mql, sal, sql) = (StageId::new("mql")?, StageId::new("sal")?, StageId::new("sql")?);
    /// let required = funnel.required_handoff_fields(&mql, &sal).map(|f| f.len());
    /// assert_eq!(required, Some(8));
    /// assert!(funnel.required_handoff_fields(&mql, &sal).is_some_and(|f| f.contains(&HandoffField::SlaDeadline)));
    /// assert_eq!(funnel.required_handoff_fields(&sal, &sql), None);
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn required_handoff_fields(&self, from: &StageId, to: &StageId) -> Option<&BTreeSet<HandoffField>> {
        self.handoffs.iter().find(|h| &h.from == from && &h.to == to).map(|h| &h.required)
    }

    fn slot(&self, id: &StageId) -> Option<Slot> {
        if let Some(i) = self.stages.iter().position(|s| &s.id == id) {
            return Some(Slot::Ordered(i));
        }
        self.side_stages.iter().position(|s| &s.id == id).map(Slot::Side)
    }

    /// The index of `id` in [`Funnel::all_stages`] (ordered stages first, then side stages).
    #[cfg(feature = "serde")] // the agreement's scorecard
    pub(crate) fn stage_index(&self, id: &StageId) -> Option<usize> {
        match self.slot(id)? {
            Slot::Ordered(i) => Some(i),
            Slot::Side(i) => Some(self.stages.len() + i),
        }
    }

    /// The stage with id `id`, ordered or side.
    #[must_use]
    pub fn stage(&self, id: &StageId) -> Option<&Stage> {
        match self.slot(id)? {
            Slot::Ordered(i) => self.stages.get(i),
            Slot::Side(i) => self.side_stages.get(i),
        }
    }

    /// Position of `id` in the order (0 = first stage); `None` for side and disqualified
    /// stages (outside the order) and unknown ids.
    #[must_use]
    pub fn position(&self, id: &StageId) -> Option<usize> {
        self.stages.iter().position(|s| &s.id == id)
    }

    /// Whether stage `a` is at or beyond stage `b` in the order: the "reached-or-beyond" test.
    ///
    /// Our rule: `a` is at or beyond an open stage `b` when its position is at least `b`'s
    /// (so lost and won leads count as having passed every open stage); a terminal stage `b`
    /// (won, lost) is only matched by itself (lost is not "beyond" won). Side, disqualified
    /// and unknown stages are never at or beyond anything, nor is anything beyond them.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::Funnel;
    /// use revops::StageId;
    ///
    /// let funnel = Funnel::demand_waterfall();
    /// let id = StageId::new;
    /// assert!(funnel.is_at_or_beyond(&id("sql")?, &id("sql")?));
    /// assert!(funnel.is_at_or_beyond(&id("lost")?, &id("sal")?)); // lost leads passed every open stage
    /// assert!(!funnel.is_at_or_beyond(&id("lost")?, &id("won")?)); // lost is not beyond won
    /// assert!(!funnel.is_at_or_beyond(&id("nurture")?, &id("inquiry")?)); // side stages: never
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn is_at_or_beyond(&self, a: &StageId, b: &StageId) -> bool {
        let (Some(pa), Some(pb)) = (self.position(a), self.position(b)) else {
            return false;
        };
        match self.stages.get(pb) {
            Some(stage) if stage.kind.is_terminal() => pa == pb,
            Some(_) => pa >= pb,
            None => false,
        }
    }

    /// The funnel's decision on moving from `from` (`None`: the lead's first stage) to `to`
    /// by `how`, without recording anything. [`StageHistory::apply`](super::StageHistory::apply)
    /// calls this and records applied moves.
    ///
    /// Rules, in order:
    /// 1. `to` must be a stage of the funnel; a first stage may be any stage (but not a recycle).
    /// 2. No move leaves a terminal stage, whatever `how` says.
    /// 3. A move to the current stage is refused as [`Refusal::Unchanged`].
    /// 4. A recycle must go to the policy's nurture stage and name a reason.
    /// 5. A manual override may go anywhere, and must name who and why; a recorded change
    ///    ([`ChangeKind::Recorded`], a fact read from the CRM) may go anywhere.
    /// 6. An automatic move into or out of a side or disqualified stage is applied; between
    ///    ordered stages it must go forward ([`Refusal::Backward`] otherwise), and, unless the
    ///    policy allows skips, must not jump over an open stage ([`Refusal::Skip`]).
    ///
    /// # Errors
    /// [`ErrorKind::UnknownStage`] for an id the funnel lacks; [`ErrorKind::TerminalStage`] for a move
    /// out of a terminal stage; [`ErrorKind::InvalidTransition`] for a recycle without a nurture
    /// stage, to another stage, with a blank reason or as a first stage, and for an override
    /// with a blank author or reason.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::{ChangeKind, Funnel, Transition};
    /// use revops::{ErrorKind, StageId};
    ///
    /// let funnel = Funnel::demand_waterfall();
    /// let (inquiry, mql, won) = (StageId::new("inquiry")?, StageId::new("mql")?, StageId::new("won")?);
    /// assert_eq!(funnel.check_move(None, &inquiry, &ChangeKind::Automatic)?, Transition::Applied);
    /// assert_eq!(funnel.check_move(Some(&inquiry), &mql, &ChangeKind::Automatic)?, Transition::Applied);
    /// // A CRM fact may skip stages; nothing leaves a terminal stage.
    /// assert!(funnel.check_move(Some(&inquiry), &won, &ChangeKind::Recorded)?.is_applied());
    /// let reopen = ChangeKind::Override { by: "ana".into(), reason: "reopened".into() };
    /// let err = funnel.check_move(Some(&won), &mql, &reopen);
    /// assert!(matches!(err.as_ref().map_err(revops::Error::kind), Err(ErrorKind::TerminalStage { .. })));
    /// let unknown = funnel.check_move(Some(&mql), &StageId::new("demo")?, &ChangeKind::Automatic);
    /// assert!(matches!(unknown.as_ref().map_err(revops::Error::kind), Err(ErrorKind::UnknownStage { .. })));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn check_move(&self, from: Option<&StageId>, to: &StageId, how: &ChangeKind) -> Result<Transition, Error> {
        let to_slot = self.slot(to).ok_or_else(|| ErrorKind::UnknownStage { stage: to.clone() })?;
        let invalid = |reason| Err(ErrorKind::InvalidTransition { to: to.clone(), reason }.into());
        let Some(from) = from else {
            return match how {
                ChangeKind::Recycle { .. } => invalid("a first stage cannot be a recycle"),
                ChangeKind::Override { by, reason } if by.trim().is_empty() || reason.trim().is_empty() => {
                    invalid("a manual override must name who and why")
                }
                _ => Ok(Transition::Applied),
            };
        };
        let from_slot = self.slot(from).ok_or_else(|| ErrorKind::UnknownStage { stage: from.clone() })?;
        if self.stage(from).is_some_and(|s| s.kind.is_terminal()) {
            return Err(ErrorKind::TerminalStage { from: from.clone(), to: to.clone() }.into());
        }
        if from == to {
            return Ok(Transition::Refused(Refusal::Unchanged { stage: to.clone() }));
        }
        match how {
            ChangeKind::Recycle { reason } => match &self.policy.nurture {
                None => invalid("the funnel has no nurture stage"),
                Some(n) if n != to => invalid("a recycle must go to the nurture stage"),
                Some(_) if reason.trim().is_empty() => invalid("a recycle must name a reason"),
                Some(_) => Ok(Transition::Applied),
            },
            ChangeKind::Override { by, reason } => {
                if by.trim().is_empty() || reason.trim().is_empty() {
                    invalid("a manual override must name who and why")
                } else {
                    Ok(Transition::Applied)
                }
            }
            ChangeKind::Recorded => Ok(Transition::Applied),
            ChangeKind::Automatic => match (from_slot, to_slot) {
                (Slot::Ordered(pf), Slot::Ordered(pt)) if pt < pf => {
                    Ok(Transition::Refused(Refusal::Backward { from: from.clone(), to: to.clone() }))
                }
                (Slot::Ordered(pf), Slot::Ordered(pt)) if !self.policy.allow_skips => {
                    let skipped: Vec<StageId> = self
                        .stages
                        .get(pf + 1..pt)
                        .unwrap_or_default()
                        .iter()
                        .filter(|s| s.kind == StageKind::Open)
                        .map(|s| s.id.clone())
                        .collect();
                    if skipped.is_empty() {
                        Ok(Transition::Applied)
                    } else {
                        Ok(Transition::Refused(Refusal::Skip { from: from.clone(), to: to.clone(), skipped }))
                    }
                }
                _ => Ok(Transition::Applied),
            },
        }
    }
}

/// Builder for [`Funnel`]; see [`Funnel::builder`].
///
/// # Example
///
/// ```
/// use revops::funnel::{ChangeKind, Funnel, HandoffField, Owner, Stage, StageKind};
/// use revops::StageId;
///
/// let id = StageId::new;
/// let funnel = Funnel::builder("inbound")
///     .stage(Stage::new("lead", "Lead", Owner::Marketing, StageKind::Open)?)
///     .stage(Stage::new("mql", "MQL", Owner::Marketing, StageKind::Open)?)
///     .stage(Stage::new("sql", "SQL", Owner::Sales, StageKind::Open)?)
///     .stage(Stage::new("won", "Won", Owner::Sales, StageKind::Won)?)
///     .side_stage(Stage::new("nurture", "Nurture", Owner::Marketing, StageKind::Side)?)
///     .allow_skips(true)
///     .nurture(id("nurture")?)
///     .handoff(id("mql")?, id("sql")?, [HandoffField::LeadId, HandoffField::SlaDeadline])
///     .build()?;
/// assert!(funnel.check_move(Some(&id("lead")?), &id("sql")?, &ChangeKind::Automatic)?.is_applied());
/// assert_eq!(funnel.required_handoff_fields(&id("mql")?, &id("sql")?).map(|f| f.len()), Some(2));
/// assert_eq!(funnel.handoff_owners(&id("mql")?, &id("sql")?), Some((Owner::Marketing, Owner::Sales)));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug)]
#[must_use = "a builder does nothing until `.build()` is called"]
pub struct FunnelBuilder {
    name: String,
    stages: Vec<Stage>,
    side_stages: Vec<Stage>,
    policy: TransitionPolicy,
    handoffs: Vec<HandoffRequirement>,
}

impl FunnelBuilder {
    /// Appends an ordered stage (open, won or lost).
    pub fn stage(mut self, stage: Stage) -> FunnelBuilder {
        self.stages.push(stage);
        self
    }

    /// Adds a stage outside the order (side or disqualified).
    pub fn side_stage(mut self, stage: Stage) -> FunnelBuilder {
        self.side_stages.push(stage);
        self
    }

    /// Whether automatic moves may jump over open stages (default: no).
    pub fn allow_skips(mut self, allow: bool) -> FunnelBuilder {
        self.policy.allow_skips = allow;
        self
    }

    /// The stage recycled leads go back to.
    pub fn nurture(mut self, stage: StageId) -> FunnelBuilder {
        self.policy.nurture = Some(stage);
        self
    }

    /// Requires `fields` on every handoff from `from` to `to`.
    pub fn handoff(
        mut self,
        from: StageId,
        to: StageId,
        fields: impl IntoIterator<Item = HandoffField>,
    ) -> FunnelBuilder {
        self.handoffs.push(HandoffRequirement { from, to, required: fields.into_iter().collect() });
        self
    }

    /// Validates and returns the funnel.
    ///
    /// # Errors
    /// [`ErrorKind::Empty`] (`what: "funnel stage order"`) without ordered stages; [`ErrorKind::DuplicateKey`] for a repeated
    /// stage id or handoff pair; [`ErrorKind::MisplacedStage`] for a side or disqualified stage in
    /// the order, an open, won or lost stage outside it, an open stage after a terminal one, or
    /// a terminal nurture stage; [`ErrorKind::UnknownStage`] for a nurture stage or handoff stage
    /// the funnel lacks.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::{Funnel, Owner, Stage, StageKind};
    /// use revops::{ErrorKind, StageId};
    ///
    /// let won = || Stage::new("won", "Won", Owner::Sales, StageKind::Won);
    /// let open = || Stage::new("open", "Open", Owner::Sales, StageKind::Open);
    /// assert_eq!(Funnel::builder("ok").stage(open()?).stage(won()?).build()?.stages().len(), 2);
    /// // An open stage after a won one is misplaced.
    /// let err = Funnel::builder("bad").stage(won()?).stage(open()?).build();
    /// assert!(matches!(err.as_ref().map_err(revops::Error::kind), Err(ErrorKind::MisplacedStage { .. })));
    /// assert!(Funnel::builder("dup").stage(open()?).stage(open()?).build().is_err());
    /// let nurture = Funnel::builder("n").stage(open()?).nurture(StageId::new("nurture")?).build();
    /// assert!(matches!(nurture.as_ref().map_err(revops::Error::kind), Err(ErrorKind::UnknownStage { .. })));
    /// let empty = Funnel::builder("empty").build();
    /// assert!(matches!(empty.as_ref().map_err(revops::Error::kind), Err(ErrorKind::Empty { .. })));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn build(self) -> Result<Funnel, Error> {
        if self.stages.is_empty() {
            return Err(ErrorKind::Empty { what: "funnel stage order" }.into());
        }
        let mut seen = BTreeSet::new();
        for stage in self.stages.iter().chain(&self.side_stages) {
            if !seen.insert(&stage.id) {
                return Err(ErrorKind::DuplicateKey { kind: "stage id", key: stage.id.to_string() }.into());
            }
        }
        let mut terminal_seen = false;
        for stage in &self.stages {
            if !stage.kind.is_ordered() {
                return Err(ErrorKind::MisplacedStage {
                    stage: stage.id.clone(),
                    reason: "side and disqualified stages sit outside the order",
                }
                .into());
            }
            if stage.kind.is_terminal() {
                terminal_seen = true;
            } else if terminal_seen {
                return Err(ErrorKind::MisplacedStage {
                    stage: stage.id.clone(),
                    reason: "an open stage cannot follow a won or lost stage",
                }
                .into());
            }
        }
        if let Some(stage) = self.side_stages.iter().find(|s| s.kind.is_ordered()) {
            return Err(ErrorKind::MisplacedStage {
                stage: stage.id.clone(),
                reason: "open, won and lost stages belong in the order",
            }
            .into());
        }
        let funnel = Funnel {
            name: self.name,
            stages: self.stages,
            side_stages: self.side_stages,
            policy: self.policy,
            handoffs: self.handoffs,
        };
        if let Some(n) = &funnel.policy.nurture {
            let stage = funnel.stage(n).ok_or_else(|| ErrorKind::UnknownStage { stage: n.clone() })?;
            if stage.kind.is_terminal() {
                return Err(ErrorKind::MisplacedStage {
                    stage: n.clone(),
                    reason: "the nurture stage cannot be terminal",
                }
                .into());
            }
        }
        let mut pairs = BTreeSet::new();
        for h in &funnel.handoffs {
            for id in [&h.from, &h.to] {
                if funnel.slot(id).is_none() {
                    return Err(ErrorKind::UnknownStage { stage: id.clone() }.into());
                }
            }
            if !pairs.insert((&h.from, &h.to)) {
                return Err(ErrorKind::DuplicateKey { kind: "handoff", key: format!("{} -> {}", h.from, h.to) }.into());
            }
        }
        Ok(funnel)
    }
}

/// Wire shape of [`Funnel`]: the format documented on [`Funnel`] ("Wire format"), which is
/// stable. Changing a key, a default or a spelling here is a breaking change of the crate.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct FunnelRepr {
    /// The funnel's name.
    name: String,
    /// The ordered stages (open, won, lost), first to last.
    stages: Vec<Stage>,
    /// Side and disqualified stages, outside the order.
    #[serde(default)]
    side_stages: Vec<Stage>,
    /// Whether automatic moves may skip stages, and the nurture stage.
    #[serde(default)]
    policy: TransitionPolicy,
    /// The fields each handoff must carry.
    #[serde(default)]
    handoffs: Vec<HandoffRequirement>,
}

#[cfg(feature = "serde")]
impl TryFrom<FunnelRepr> for Funnel {
    type Error = Error;
    fn try_from(repr: FunnelRepr) -> Result<Funnel, Error> {
        FunnelBuilder {
            name: repr.name,
            stages: repr.stages,
            side_stages: repr.side_stages,
            policy: repr.policy,
            handoffs: repr.handoffs,
        }
        .build()
    }
}

#[cfg(feature = "serde")]
impl From<Funnel> for FunnelRepr {
    fn from(f: Funnel) -> FunnelRepr {
        FunnelRepr {
            name: f.name,
            stages: f.stages,
            side_stages: f.side_stages,
            policy: f.policy,
            handoffs: f.handoffs,
        }
    }
}
