//! How a stage change came about ([`ChangeKind`]) and the funnel's answer to it: applied, or
//! refused with a reason. The change itself is the fact [`facts::StageChange`](crate::facts::StageChange).

use crate::StageId;

/// How a stage change came about; decides which moves the funnel allows.
///
/// # Example
///
/// ```
/// use revops::funnel::{ChangeKind, Funnel, Refusal, Transition};
/// use revops::StageId;
///
/// let funnel = Funnel::demand_waterfall();
/// let (mql, sal, nurture) = (StageId::new("mql")?, StageId::new("sal")?, StageId::new("nurture")?);
/// // A workflow may not move a lead back; a person may, saying who and why.
/// let back = funnel.check_move(Some(&sal), &mql, &ChangeKind::Automatic)?;
/// assert_eq!(back, Transition::Refused(Refusal::Backward { from: sal.clone(), to: mql.clone() }));
/// let by_hand = ChangeKind::Override { by: "ana".into(), reason: "routed too early".into() };
/// assert!(funnel.check_move(Some(&sal), &mql, &by_hand)?.is_applied());
/// // A recycle goes to the nurture stage, with a reason.
/// let recycle = ChangeKind::Recycle { reason: "bad_timing".into() };
/// assert!(funnel.check_move(Some(&sal), &nurture, &recycle)?.is_applied());
/// assert!(funnel.check_move(Some(&sal), &mql, &recycle).is_err());
/// # Ok::<(), revops::Error>(())
/// ```
#[cfg_attr(feature = "serde", doc = include_str!("wire_format/change_kind.md"))]
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)
)]
#[non_exhaustive]
pub enum ChangeKind {
    /// A workflow or sync moved the lead: only forward (and only to the next open stage when
    /// the funnel forbids skips).
    Automatic,
    /// A person moved the lead by hand, in any direction: who and why are recorded.
    Override {
        /// Who made the change (user id or name); must not be blank.
        by: String,
        /// Why; must not be blank.
        reason: String,
    },
    /// Sent back to the funnel's nurture stage, with the reason.
    Recycle {
        /// Why the lead was recycled (e.g. a rejection-reason key); must not be blank.
        reason: String,
    },
    /// Read from the CRM's stage history: it happened, and how is not known (a
    /// [`facts::StageChange`](crate::facts::StageChange) carries no kind). The funnel does not
    /// second-guess a recorded fact: it may go to any stage, but never out of a terminal
    /// stage, and a change to the current stage is refused as unchanged.
    /// [`StageHistory::from_facts`](super::StageHistory::from_facts) records changes this way.
    Recorded,
}

/// The funnel's answer to a valid move request. Must be handled: a refused move was not
/// applied, and was not dropped silently either.
///
/// # Example
///
/// ```
/// use revops::funnel::{ChangeKind, Funnel, Refusal, Transition};
/// use revops::StageId;
///
/// let funnel = Funnel::demand_waterfall();
/// let (inquiry, mql) = (StageId::new("inquiry")?, StageId::new("mql")?);
/// assert_eq!(funnel.check_move(Some(&inquiry), &mql, &ChangeKind::Automatic)?, Transition::Applied);
/// // Moving to the current stage is refused, not applied twice.
/// let again = funnel.check_move(Some(&mql), &mql, &ChangeKind::Automatic)?;
/// assert_eq!(again, Transition::Refused(Refusal::Unchanged { stage: mql }));
/// assert!(!again.is_applied());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use = "a refused move was not applied; handle the refusal"]
pub enum Transition {
    /// The move is allowed (and, through [`StageHistory::apply`](super::StageHistory::apply),
    /// recorded).
    Applied,
    /// The policy refuses the move; nothing was recorded.
    Refused(Refusal),
}

impl Transition {
    /// Whether the move was applied.
    #[must_use]
    pub const fn is_applied(&self) -> bool {
        matches!(self, Transition::Applied)
    }
}

/// Why the transition policy refused an automatic move. A manual override
/// ([`ChangeKind::Override`]) can make any of these moves.
///
/// # Example
///
/// ```
/// use revops::funnel::{ChangeKind, Funnel, Refusal, Transition};
/// use revops::StageId;
///
/// // The waterfall forbids skips: inquiry straight to SQL jumps over MQL and SAL.
/// let funnel = Funnel::demand_waterfall();
/// let (inquiry, sql) = (StageId::new("inquiry")?, StageId::new("sql")?);
/// let skipped = vec![StageId::new("mql")?, StageId::new("sal")?];
/// let refused = funnel.check_move(Some(&inquiry), &sql, &ChangeKind::Automatic)?;
/// assert_eq!(refused, Transition::Refused(Refusal::Skip { from: inquiry, to: sql, skipped }));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Refusal {
    /// An automatic move to an earlier stage of the order.
    Backward {
        /// Current stage.
        from: StageId,
        /// Requested (earlier) stage.
        to: StageId,
    },
    /// An automatic move past open stages, in a funnel that forbids skipping.
    Skip {
        /// Current stage.
        from: StageId,
        /// Requested stage.
        to: StageId,
        /// The open stages it would jump over, in order.
        skipped: Vec<StageId>,
    },
    /// The lead is already in the requested stage.
    Unchanged {
        /// The stage.
        stage: StageId,
    },
}
