//! [`Disposition`]: what sales did with a lead handed to it, and when.

use chrono::{DateTime, Utc};

use super::Reason;
use crate::LeadId;

/// The outcome of a disposition.
///
/// # Example
///
/// ```
/// use revops::facts::{DispositionOutcome, Reason};
///
/// let outcomes = [
///     DispositionOutcome::Accepted,
///     DispositionOutcome::Rejected { reason: Reason::BadFit },
///     DispositionOutcome::Recycled { reason: Reason::BadTiming },
/// ];
/// assert_eq!(outcomes.each_ref().map(DispositionOutcome::key), ["accepted", "rejected", "recycled"]);
/// assert_eq!(outcomes.each_ref().map(|o| o.reason().map(Reason::key)), [None, Some("bad_fit"), Some("bad_timing")]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum DispositionOutcome {
    /// Accepted (the lead became a sales accepted lead).
    Accepted,
    /// Rejected out of the funnel, with why.
    Rejected {
        /// Why.
        reason: Reason,
    },
    /// Sent back to marketing nurture, with why (a rejection that may pass).
    Recycled {
        /// Why.
        reason: Reason,
    },
}

impl DispositionOutcome {
    /// The snake-case key: `"accepted"`, `"rejected"` or `"recycled"`.
    #[must_use]
    pub const fn key(&self) -> &'static str {
        match self {
            DispositionOutcome::Accepted => "accepted",
            DispositionOutcome::Rejected { .. } => "rejected",
            DispositionOutcome::Recycled { .. } => "recycled",
        }
    }

    /// The reason of a rejection or a recycle; `None` for an acceptance.
    #[must_use]
    pub const fn reason(&self) -> Option<&Reason> {
        match self {
            DispositionOutcome::Accepted => None,
            DispositionOutcome::Rejected { reason } | DispositionOutcome::Recycled { reason } => Some(reason),
        }
    }
}

/// What sales did with a lead marketing handed over (a fact): accepted it, rejected it with a
/// typed [`Reason`], or recycled it to nurture; and when.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::{Disposition, DispositionOutcome, Reason};
/// use revops::LeadId;
///
/// let recycled = Disposition {
///     lead: LeadId::new("L-1")?,
///     at: Utc.with_ymd_and_hms(2024, 3, 5, 15, 0, 0).single().unwrap_or_default(),
///     outcome: DispositionOutcome::Recycled { reason: Reason::BadTiming },
/// };
/// assert_eq!(recycled.outcome.key(), "recycled");
/// assert_eq!(recycled.outcome.reason(), Some(&Reason::BadTiming));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct Disposition {
    /// The lead dispositioned.
    pub lead: LeadId,
    /// When sales dispositioned it.
    pub at: DateTime<Utc>,
    /// Accepted, rejected or recycled.
    pub outcome: DispositionOutcome,
}
