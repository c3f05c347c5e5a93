//! A lead's two scores ([`LeadScore`]) and their provenance ([`ScoreBreakdown`]).

use rust_decimal::Decimal;

use super::ScoreKind;
use crate::{Error, ErrorKind};

/// A lead's two scores in points, exact to the hundredth (scale 2, e.g. `30.00`). Never summed
/// silently: combine them with a [`Qualification`](crate::funnel::Qualification) (e.g.
/// [`Qualification::score_thresholds`](crate::funnel::Qualification::score_thresholds)) or a
/// [`ScoreMatrix`](super::ScoreMatrix).
///
/// # Example
///
/// ```
/// use revops::funnel::{LeadFacts, LeadScore, Points, Qualification, ScoreGroup, ScoreKind, ScoringModel};
/// use rust_decimal_macros::dec;
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let model = ScoringModel::builder().group(ScoreGroup::new("industry", ScoreKind::Fit, [("software", 30)])).build()?;
/// let facts = LeadFacts { traits: vec!["software".into()], ..LeadFacts::default() };
/// let as_of = at("2024-06-01T00:00:00Z")?;
/// let score = model.score(&facts, as_of);
/// assert_eq!(score, LeadScore::new(dec!(30), dec!(0)));
/// assert_eq!(score.fit.to_string(), "30.00"); // exact to the hundredth
/// let mql = Qualification::score_thresholds("mql", Points::from(25), Points::from(10))?;
/// let mut scored = facts.clone();
/// scored.set_score(score);
/// assert!(!mql.evaluate(&scored, as_of).qualified()); // fit enough, not engaged
/// # Ok::<(), revops::Error>(())
/// ```
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
///
/// # Example
///
/// ```
/// use revops::funnel::{LeadFacts, ScoreGroup, ScoreKind, ScoringModel};
/// use rust_decimal_macros::dec;
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let tech = ScoreGroup::new("tech", ScoreKind::Fit, [("salesforce", 20), ("hubspot", 15)]).with_cap(30);
/// let model = ScoringModel::builder().group(tech).build()?;
/// let facts = LeadFacts { traits: vec!["salesforce".into(), "hubspot".into()], ..LeadFacts::default() };
/// let breakdown = model.breakdown(&facts, at("2024-06-01T00:00:00Z")?);
/// let group = breakdown.groups.first();
/// assert_eq!(group.map(|g| (g.key.as_str(), g.kind, g.points, g.capped)), Some(("tech", ScoreKind::Fit, dec!(35), dec!(30))));
/// # Ok::<(), revops::Error>(())
/// ```
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
///
/// # Example
///
/// ```
/// use revops::funnel::{LeadFacts, LeadScore, ScoreGroup, ScoreKind, ScoringModel};
/// use rust_decimal_macros::dec;
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// // Two fit groups of 40 each, and a total fit cap of 50.
/// let model = ScoringModel::builder()
///     .group(ScoreGroup::new("industry", ScoreKind::Fit, [("software", 40)]))
///     .group(ScoreGroup::new("size", ScoreKind::Fit, [("employees_200_999", 40)]))
///     .fit_cap(50)
///     .build()?;
/// let facts = LeadFacts { traits: vec!["software".into(), "employees_200_999".into()], ..LeadFacts::default() };
/// let breakdown = model.breakdown(&facts, at("2024-06-01T00:00:00Z")?);
/// let capped: Vec<_> = breakdown.groups.iter().map(|g| g.capped).collect();
/// assert_eq!(capped, [dec!(40), dec!(40)]); // no group cap
/// assert_eq!(breakdown.score, LeadScore::new(dec!(50), dec!(0))); // the total cap
/// assert_eq!(breakdown.total, dec!(50)); // fit plus engagement; no cap on the combined total
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ScoreBreakdown {
    /// Every group, in model order.
    pub groups: Vec<GroupScore>,
    /// The final score, after the group and kind caps.
    pub score: LeadScore,
    /// The combined score: `score.fit + score.engagement`, then the model's total cap
    /// ([`ScoringModel::total`](super::ScoringModel::total)).
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    pub total: Decimal,
}
