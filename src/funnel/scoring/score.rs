//! A lead's two scores ([`LeadScore`]) and their provenance ([`ScoreBreakdown`]).

use rust_decimal::Decimal;

use super::ScoreKind;
use crate::{Error, ErrorKind};

/// A lead's two scores, exact to the hundredth (scale 2, e.g. `30.00`). Never summed silently: combine them with
/// [`MqlThresholds`](super::MqlThresholds) or a [`ScoreMatrix`](super::ScoreMatrix).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct LeadScore {
    /// Fit score.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    pub fit: Decimal,
    /// Engagement score as of the evaluation instant.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    pub engagement: Decimal,
}

impl LeadScore {
    /// A score from its two parts.
    #[must_use]
    pub const fn new(fit: Decimal, engagement: Decimal) -> LeadScore {
        LeadScore { fit, engagement }
    }

    /// An explicit combined score: `fit * fit_weight + engagement * engagement_weight`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::LeadScore;
    /// use rust_decimal_macros::dec;
    ///
    /// let s = LeadScore::new(dec!(60), dec!(20));
    /// assert_eq!(s.weighted_sum(dec!(0.7), dec!(0.3))?, dec!(48));
    /// # Ok::<(), revops::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] if the result leaves `Decimal`'s range.
    pub fn weighted_sum(self, fit_weight: Decimal, engagement_weight: Decimal) -> Result<Decimal, Error> {
        self.fit
            .checked_mul(fit_weight)
            .zip(self.engagement.checked_mul(engagement_weight))
            .and_then(|(f, e)| f.checked_add(e))
            .ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op: "weighted lead score" }))
    }
}

/// One group's share of a score (see [`ScoringModel::breakdown`](super::ScoringModel::breakdown)).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct GroupScore {
    /// The group key.
    pub key: String,
    /// The score it feeds.
    pub kind: ScoreKind,
    /// Points earned before the group cap (after decay).
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    pub points: Decimal,
    /// Points after the group cap.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    pub capped: Decimal,
}

/// A score with its provenance (see [`ScoringModel::breakdown`](super::ScoringModel::breakdown)).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ScoreBreakdown {
    /// Every group, in model order.
    pub groups: Vec<GroupScore>,
    /// The final score, after total caps.
    pub score: LeadScore,
}
