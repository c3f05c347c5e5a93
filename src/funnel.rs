//! The shared funnel: stages and owners, funnel definitions and templates, transition rules,
//! stage history, qualification and lead scoring, checklists, handoffs and rejections.
//!
//! Sales and marketing first agree what each stage means, who owns it, what qualifies a lead
//! for it and what travels with it at a handoff. This module writes that agreement down as
//! validated data ([definitions, section 2](crate::definitions::funnel)):
//!
//! - [`Stage`] (id, name, description, [`Owner`], [`StageKind`], default [`Probability`](crate::Probability))
//!   and [`Funnel`]: ordered stages, side stages outside the order, a [`TransitionPolicy`],
//!   handoff requirements. Templates: [`Funnel::hubspot_lifecycle`],
//!   [`Funnel::demand_waterfall`], [`Funnel::buyer_language`]; custom funnels load through
//!   serde with the same validation as the builder.
//! - Transitions ([`Funnel::check_move`], [`StageHistory::apply`]): automatic moves go forward
//!   only; a backward automatic move comes back as [`Transition::Refused`], which the caller
//!   must handle; manual overrides record who and why; won, lost and disqualified are
//!   terminal; recycling goes to nurture with a reason; recorded changes (facts) go anywhere
//!   but out of a terminal stage.
//! - [`StageHistory`]: derived from the [`facts::StageChange`](crate::facts::StageChange)s of
//!   one lead or account ([`StageHistory::from_facts`]); first entry per stage (never moves,
//!   skipped stages not back-filled), [`Reach::Strict`] and [`Reach::OrBeyond`], time in
//!   stage, stage as of an instant.
//!   [`Funnel::position`] and [`Funnel::is_at_or_beyond`] expose the order to metrics.
//! - [`Qualification`] (the MQL rule: a [`QualificationRule`] tree of all/any/not over keyed
//!   [`LeadCondition`]s; the result lists passed and failed leaves by key),
//!   [`ScoringModel`] (fit and engagement kept apart, group then total caps, decay),
//!   thresholds in [`Points`], [`ScoreMatrix`] (A1..C3), [`Checklist`] (BANT, MEDDIC, MEDDPICC).
//! - [`Handoff`] with [`Funnel::validate_handoff`] (lists every missing field at once; it
//!   carries [`Touchpoint`](crate::facts::Touchpoint)s and [`Contact`](crate::facts::Contact)s),
//!   and every [`Reason`](crate::facts::Reason) of a
//!   [`Disposition`](crate::facts::Disposition) → [`RejectionAction`] via
//!   [`RejectionPolicy`] (a [`RejectionDecision`]), totalled by [`RejectionTally`] over
//!   [`Rejection`]s derived from the facts ([`Rejection::from_facts`]).
//!
//! Fit facts come in as plain numbers and keys on [`LeadFacts`] (a scoring view), so any ICP
//! model can feed them.

mod checklist;
mod definition;
pub(crate) mod handoff;
mod history;
mod qualification;
mod rejection;
mod scoring;
mod stage;
mod transition;
#[cfg(feature = "serde")]
pub(crate) mod unique_map;

#[cfg(test)]
mod tests;

pub use self::checklist::{Checklist, ChecklistItem, ChecklistResult, CriterionStatus};
pub use self::definition::{Funnel, FunnelBuilder, TransitionPolicy};
pub use self::handoff::{Handoff, HandoffField, HandoffRequirement};
pub use self::history::{Reach, StageHistory};
pub use self::qualification::{LeadCondition, Qualification, QualificationResult, QualificationRule};
pub use self::rejection::{
    Rejection, RejectionAction, RejectionDecision, RejectionPolicy, RejectionReport, RejectionTally,
};
pub use self::scoring::{
    Activity, Band, Decay, GroupScore, LeadFacts, LeadScore, MatrixTier, PointRule, Points, ScoreBreakdown, ScoreGroup,
    ScoreKind, ScoreMatrix, ScoringModel, ScoringModelBuilder,
};
pub use self::stage::{Owner, Stage, StageKind};
pub use self::transition::{ChangeKind, Refusal, Transition};
