//! Scoring inputs: [`LeadFacts`] and its [`Activity`]s, views of one lead for scoring and
//! qualification.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::{LeadScore, ScoreBreakdown};
use crate::facts::Touchpoint;

/// Something a lead did, at an instant, keyed for scoring: a view of an engagement fact.
///
/// Scoring rules match a signal key. For a marketing or sales touch the key is its channel
/// ([`Activity::from_touchpoint`] derives it from the [`Touchpoint`] fact); a product or web
/// event the facts do not model (a `demo_request` form, a pricing-page visit) is keyed by the
/// caller's event name. Scoring needs only the key and the instant, so the activity is this
/// two-field view rather than a copy of a touchpoint.
///
/// # Example
///
/// ```
/// use revops::facts::Touchpoint;
/// use revops::funnel::Activity;
/// use revops::ChannelId;
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let when = at("2024-03-01T09:00:00Z")?;
/// let touch = Touchpoint::new(when, ChannelId::new("webinar")?);
/// let activity = Activity::from_touchpoint(&touch);
/// assert_eq!((activity.kind.as_ref(), activity.at), ("webinar", when));
/// // An event the facts do not model, keyed by the caller's name (no allocation).
/// let demo = Activity { kind: "demo_request".into(), at: when };
/// assert_eq!(demo.kind, "demo_request");
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct Activity {
    /// The signal key scoring rules and criteria match, e.g. `webinar`, `demo_request`.
    pub kind: Cow<'static, str>,
    /// When it happened.
    pub at: DateTime<Utc>,
}

/// What scoring and qualification read about one lead: a view, not a fact.
///
/// No fact carries these keys, because they are the scoring model's vocabulary: the traits
/// are keys the caller derives from the lead's [`Account`](crate::facts::Account) (industry,
/// a size band such as `employees_200_999`, technologies) through its own mapping; the
/// activities come from touchpoints ([`Activity::from_touchpoint`]) and product events; the
/// fields name the CRM record's filled fields; the scores and tier come from an earlier
/// evaluation ([`LeadFacts::set_score`]). The testkit's `Company::lead_facts` derives one
/// from the sample company's facts.
///
/// Keys are `Cow<'static, str>` so that callers with fixed vocabularies store them without an
/// allocation per lead.
///
/// # Example
///
/// ```
/// use revops::facts::Touchpoint;
/// use revops::funnel::{
///     Activity, LeadFacts, Points, Qualification, ScoreGroup, ScoreKind, ScoringModel,
/// };
/// use revops::ChannelId;
/// use rust_decimal_macros::dec;
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let as_of = at("2024-06-01T00:00:00Z")?;
/// let webinar = Touchpoint::new(at("2024-05-20T15:00:00Z")?, ChannelId::new("webinar")?);
/// let mut facts = LeadFacts {
///     traits: vec!["software".into(), "employees_200_999".into()],
///     activities: vec![Activity::from_touchpoint(&webinar)],
///     fields: vec!["email".into()],
///     ..LeadFacts::default()
/// };
/// // Score first, store the scores, then qualify on them.
/// let model = ScoringModel::builder()
///     .group(ScoreGroup::new("firmographics", ScoreKind::Fit, [("software", 30), ("employees_200_999", 20)]))
///     .group(ScoreGroup::new("events", ScoreKind::Engagement, [("webinar", 15)]))
///     .build()?;
/// facts.set_score(model.score(&facts, as_of));
/// assert_eq!((facts.fit_score, facts.engagement_score), (Some(dec!(50)), Some(dec!(15))));
/// let mql = Qualification::score_thresholds("mql", Points::from(40), Points::from(10))?;
/// assert!(mql.evaluate(&facts, as_of).qualified());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct LeadFacts {
    /// Fit traits ("who they are"), e.g. `software`, `employees_200_999`, `salesforce`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub traits: Vec<Cow<'static, str>>,
    /// Engagement activities ("what they do"), in any order.
    #[cfg_attr(feature = "serde", serde(default))]
    pub activities: Vec<Activity>,
    /// Names of the record's fields that hold a value, e.g. `email`, `phone`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub fields: Vec<Cow<'static, str>>,
    /// A fit score in the scoring model's points, compared with [`Points`](super::Points)
    /// thresholds (an ICP model's 0-100 fit score stored here reads as 0 to 100 points).
    #[cfg_attr(feature = "serde", serde(default, with = "crate::money::exact::str_option"))]
    pub fit_score: Option<Decimal>,
    /// An engagement score.
    #[cfg_attr(feature = "serde", serde(default, with = "crate::money::exact::str_option"))]
    pub engagement_score: Option<Decimal>,
    /// The combined fit + engagement score after the model's total cap
    /// ([`ScoringModel::total`](super::ScoringModel::total)); when absent,
    /// [`LeadCondition::TotalScoreAtLeast`](crate::funnel::LeadCondition::TotalScoreAtLeast)
    /// sums `fit_score` and `engagement_score` itself (no cap).
    #[cfg_attr(feature = "serde", serde(default, with = "crate::money::exact::str_option"))]
    pub total_score: Option<Decimal>,
    /// A fit tier key, e.g. `A` or `tier_1`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub fit_tier: Option<Cow<'static, str>>,
}

impl Activity {
    /// The activity of a touch: its channel as the signal key, at its instant (the key is
    /// allocated once per activity).
    #[must_use]
    pub fn from_touchpoint(touch: &Touchpoint) -> Activity {
        Activity { kind: Cow::Owned(touch.channel.as_str().to_owned()), at: touch.at }
    }
}

impl LeadFacts {
    /// Stores both scores of `score` in the facts, for qualification criteria to read, and
    /// clears `total_score` (a combined total is then the plain sum of the two).
    pub fn set_score(&mut self, score: LeadScore) {
        self.fit_score = Some(score.fit);
        self.engagement_score = Some(score.engagement);
        self.total_score = None;
    }

    /// Stores both scores and the capped combined total of `breakdown`, so that
    /// [`LeadCondition::TotalScoreAtLeast`](crate::funnel::LeadCondition::TotalScoreAtLeast)
    /// reads the total the model capped.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::{LeadCondition, LeadFacts, Points, Qualification, QualificationRule, ScoreGroup, ScoreKind, ScoringModel};
    /// use rust_decimal_macros::dec;
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let model = ScoringModel::builder()
    ///     .group(ScoreGroup::new("industry", ScoreKind::Fit, [("software", 70), ("fintech", 40)]))
    ///     .total_cap(100).build()?;
    /// let as_of = at("2024-06-01T00:00:00Z")?;
    /// let mut facts = LeadFacts { traits: vec!["software".into(), "fintech".into()], ..LeadFacts::default() };
    /// let hot = Qualification::new("hot", QualificationRule::leaf("total", LeadCondition::TotalScoreAtLeast(Points::from(101))))?;
    /// facts.set_score(model.score(&facts, as_of)); // 110 + 0, uncapped sum
    /// assert!(hot.evaluate(&facts, as_of).qualified());
    /// facts.set_breakdown(&model.breakdown(&facts, as_of)); // total capped at 100
    /// assert_eq!(facts.total_score, Some(dec!(100)));
    /// assert!(!hot.evaluate(&facts, as_of).qualified());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn set_breakdown(&mut self, breakdown: &ScoreBreakdown) {
        self.set_score(breakdown.score);
        self.total_score = Some(breakdown.total);
    }
}
