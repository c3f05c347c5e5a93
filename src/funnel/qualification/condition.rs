//! [`LeadCondition`]: the leaves of a qualification rule.

use core::fmt;

use crate::funnel::Points;
use crate::funnel::scoring::{LeadFacts, same_key};
use crate::{Error, ErrorKind};

/// One test over [`LeadFacts`]: a leaf of a [`QualificationRule`](super::QualificationRule).
///
/// Score conditions compare in the scoring model's [`Points`] and fail when the score is
/// unknown (`None` in the facts).
///
/// # Wire format
///
/// One entry named after the variant in `snake_case`: `{ "fit_score_at_least": "40 points" }`,
/// `engagement_score_at_least`, `total_score_at_least` (fit plus engagement), `fit_tier_in`
/// (a list of tier keys), `fields_present` (a list of field names), `has_trait` (a key),
/// `activity` (`{ "kind": "demo_request", "within_days": 30 }`, `within_days` optional).
/// Inside a rule the entry sits beside the leaf's `key` (see [`QualificationRule`](super::QualificationRule)).
///
/// ```
/// use revops::funnel::{LeadCondition, Points};
///
/// let json = r#"{ "activity": { "kind": "demo_request", "within_days": 30 } }"#;
/// let demo = LeadCondition::Activity { kind: "demo_request".into(), within_days: Some(30) };
/// assert_eq!(serde_json::from_str::<LeadCondition>(json)?, demo);
/// let fit: LeadCondition = serde_json::from_str(r#"{ "fit_score_at_least": "40 points" }"#)?;
/// assert_eq!(fit, LeadCondition::FitScoreAtLeast(Points::from(40)));
/// assert!(serde_json::from_str::<LeadCondition>(r#"{ "fit_score_at_least": 40 }"#).is_err()); // no scale
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// # Example
///
/// ```
/// use revops::funnel::{Activity, LeadCondition, LeadFacts, Points, Qualification, QualificationRule};
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let as_of = at("2024-06-01T00:00:00Z")?;
/// let facts = LeadFacts {
///     fit_tier: Some("A".into()),
///     traits: vec!["software".into()],
///     activities: vec![Activity { kind: "webinar".into(), at: at("2024-04-01T00:00:00Z")? }],
///     ..LeadFacts::default()
/// };
/// let passes = |condition: LeadCondition| -> Result<bool, revops::Error> {
///     let q = Qualification::new("one", QualificationRule::leaf("rule", condition))?;
///     Ok(q.evaluate(&facts, as_of).qualified())
/// };
/// assert!(passes(LeadCondition::FitTierIn(vec!["A".into(), "B".into()]))?);
/// assert!(passes(LeadCondition::HasTrait("software".into()))?);
/// assert!(!passes(LeadCondition::FitScoreAtLeast(Points::from(10)))?); // unknown score: fails
/// // The webinar was 61 days before `as_of`: inside 90 days, outside 30.
/// assert!(passes(LeadCondition::Activity { kind: "webinar".into(), within_days: Some(90) })?);
/// assert!(!passes(LeadCondition::Activity { kind: "webinar".into(), within_days: Some(30) })?);
/// assert_eq!(LeadCondition::FitScoreAtLeast(Points::from(40)).to_string(), "fit score at least 40 points");
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum LeadCondition {
    /// `fit_score >= min` (fails when the fit score is unknown).
    FitScoreAtLeast(Points),
    /// `engagement_score >= min` (fails when unknown).
    EngagementScoreAtLeast(Points),
    /// `total_score >= min` when the facts carry a capped total
    /// ([`LeadFacts::set_breakdown`](crate::funnel::LeadFacts::set_breakdown)), else
    /// `fit_score + engagement_score >= min`: an explicit combined score (fails when the total
    /// and either part are unknown).
    TotalScoreAtLeast(Points),
    /// The fit tier is one of these keys (fails when unknown). "Tier B or better" is the list
    /// of the tiers from the best down to B: the facts carry a tier's key, not its rank.
    FitTierIn(Vec<String>),
    /// Every one of these fields holds a value.
    FieldsPresent(Vec<String>),
    /// The lead has this trait (e.g. `software`).
    HasTrait(String),
    /// The lead did `kind` (e.g. `demo_request`) at or before the evaluation instant, and,
    /// with `within_days`, less than that many days before it.
    Activity {
        /// The activity kind.
        kind: String,
        /// Look-back window in days (at least 1); `None` for any time.
        #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
        within_days: Option<u32>,
    },
}

impl LeadCondition {
    pub(super) fn passes(&self, facts: &LeadFacts, now: i64) -> bool {
        match self {
            LeadCondition::FitScoreAtLeast(min) => facts.fit_score.is_some_and(|s| s >= min.get()),
            LeadCondition::EngagementScoreAtLeast(min) => facts.engagement_score.is_some_and(|s| s >= min.get()),
            LeadCondition::TotalScoreAtLeast(min) => match (facts.total_score, facts.fit_score, facts.engagement_score)
            {
                (Some(total), _, _) => total >= min.get(),
                // A sum past `Decimal`'s range has the sign of both parts, and every threshold
                // is far inside the range: it passes exactly when it is positive.
                (None, Some(f), Some(e)) => f.checked_add(e).map_or(f.is_sign_positive(), |s| s >= min.get()),
                _ => false,
            },
            LeadCondition::FitTierIn(tiers) => {
                facts.fit_tier.as_ref().is_some_and(|t| tiers.iter().any(|x| same_key(x, t)))
            }
            LeadCondition::FieldsPresent(fields) => fields.iter().all(|f| facts.fields.iter().any(|x| same_key(x, f))),
            LeadCondition::HasTrait(t) => facts.traits.iter().any(|x| same_key(x, t)),
            LeadCondition::Activity { kind, within_days } => facts.activities.iter().any(|a| {
                same_key(&a.kind, kind) && {
                    let age = now.saturating_sub(a.at.timestamp());
                    age >= 0 && within_days.is_none_or(|d| age < i64::from(d) * 86_400)
                }
            }),
        }
    }

    pub(super) fn validate(&self) -> Result<(), Error> {
        match self {
            LeadCondition::FitTierIn(v) if v.is_empty() => Err(ErrorKind::Empty { what: "fit_tier_in tiers" }.into()),
            LeadCondition::FieldsPresent(v) if v.is_empty() => {
                Err(ErrorKind::Empty { what: "fields_present fields" }.into())
            }
            LeadCondition::Activity { within_days: Some(0), .. } => {
                Err(ErrorKind::NonPositiveDuration { field: "activity window", seconds: 0 }.into())
            }
            _ => Ok(()),
        }
    }
}

impl fmt::Display for LeadCondition {
    /// Plain words: `fit score at least 40 points`, `fit tier A or B`, `has fields email and
    /// phone`, `has trait software`, `did demo_request within 30 days`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |f: &mut fmt::Formatter<'_>, items: &[String], word: &str| -> fmt::Result {
            for (i, item) in items.iter().enumerate() {
                match i {
                    0 => {}
                    _ if i + 1 == items.len() => write!(f, " {word} ")?,
                    _ => f.write_str(", ")?,
                }
                f.write_str(item)?;
            }
            Ok(())
        };
        match self {
            LeadCondition::FitScoreAtLeast(p) => write!(f, "fit score at least {p}"),
            LeadCondition::EngagementScoreAtLeast(p) => write!(f, "engagement score at least {p}"),
            LeadCondition::TotalScoreAtLeast(p) => write!(f, "fit plus engagement score at least {p}"),
            LeadCondition::FitTierIn(tiers) => {
                f.write_str("fit tier ")?;
                list(f, tiers, "or")
            }
            LeadCondition::FieldsPresent(fields) => {
                f.write_str(if fields.len() == 1 { "has field " } else { "has fields " })?;
                list(f, fields, "and")
            }
            LeadCondition::HasTrait(t) => write!(f, "has trait {t}"),
            LeadCondition::Activity { kind, within_days: None } => write!(f, "did {kind}"),
            LeadCondition::Activity { kind, within_days: Some(1) } => write!(f, "did {kind} within 1 day"),
            LeadCondition::Activity { kind, within_days: Some(d) } => write!(f, "did {kind} within {d} days"),
        }
    }
}
