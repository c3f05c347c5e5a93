//! Qualification: the rules both teams sign off, as data, with a result that says which rules
//! passed and which failed.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::scoring::{LeadFacts, same_key};
use crate::{Error, ErrorKind};

/// One test over [`LeadFacts`].
///
/// # Example
///
/// ```
/// use revops::funnel::{Activity, Combine, LeadCondition, LeadFacts, Qualification, QualificationRule};
/// use rust_decimal_macros::dec;
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
///     let q = Qualification::new("one", Combine::All, vec![QualificationRule::new("rule", condition)])?;
///     Ok(q.evaluate(&facts, as_of).qualified())
/// };
/// assert!(passes(LeadCondition::FitTierIn(vec!["A".into(), "B".into()]))?);
/// assert!(passes(LeadCondition::HasTrait("software".into()))?);
/// assert!(!passes(LeadCondition::FitScoreAtLeast(dec!(10)))?); // unknown score: fails
/// // The webinar was 61 days before `as_of`: inside 90 days, outside 30.
/// assert!(passes(LeadCondition::Activity { kind: "webinar".into(), within_days: Some(90) })?);
/// assert!(!passes(LeadCondition::Activity { kind: "webinar".into(), within_days: Some(30) })?);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum LeadCondition {
    /// `fit_score >= min` (fails when the fit score is unknown).
    FitScoreAtLeast(#[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))] Decimal),
    /// `engagement_score >= min` (fails when unknown).
    EngagementScoreAtLeast(#[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))] Decimal),
    /// The fit tier is one of these keys (fails when unknown).
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
        /// Look-back window in days; `None` for any time.
        #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
        within_days: Option<u32>,
    },
}

impl LeadCondition {
    fn passes(&self, facts: &LeadFacts, now: i64) -> bool {
        match self {
            LeadCondition::FitScoreAtLeast(min) => facts.fit_score.is_some_and(|s| s >= *min),
            LeadCondition::EngagementScoreAtLeast(min) => facts.engagement_score.is_some_and(|s| s >= *min),
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
}

/// A named criterion.
///
/// # Example
///
/// ```
/// use revops::funnel::{LeadCondition, QualificationRule};
///
/// let rule = QualificationRule::new("has_email", LeadCondition::FieldsPresent(vec!["email".into()]));
/// assert_eq!(rule.key, "has_email");
/// assert_eq!(rule.criterion, LeadCondition::FieldsPresent(vec!["email".into()]));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct QualificationRule {
    /// Unique key, reported in results.
    pub key: String,
    /// The test.
    pub criterion: LeadCondition,
}

impl QualificationRule {
    /// A rule.
    #[must_use]
    pub fn new(key: impl Into<String>, criterion: LeadCondition) -> QualificationRule {
        QualificationRule { key: key.into(), criterion }
    }
}

/// How rule results combine: a closed set.
///
/// # Example
///
/// ```
/// use revops::funnel::{Combine, LeadCondition, LeadFacts, Qualification, QualificationRule};
/// use rust_decimal_macros::dec;
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let rules = || vec![
///     QualificationRule::new("fit", LeadCondition::FitScoreAtLeast(dec!(50))),
///     QualificationRule::new("engaged", LeadCondition::EngagementScoreAtLeast(dec!(30))),
/// ];
/// let facts = LeadFacts { fit_score: Some(dec!(70)), engagement_score: Some(dec!(10)), ..LeadFacts::default() };
/// let as_of = at("2024-06-01T00:00:00Z")?;
/// assert!(!Qualification::new("both", Combine::All, rules())?.evaluate(&facts, as_of).qualified());
/// assert!(Qualification::new("either", Combine::Any, rules())?.evaluate(&facts, as_of).qualified());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum Combine {
    /// Qualified when every rule passes.
    All,
    /// Qualified when at least one rule passes.
    Any,
}

/// A qualification definition: 1 to 64 uniquely keyed rules combined with all or any.
///
/// # Example
///
/// ```
/// use revops::funnel::{Activity, Combine, LeadCondition, LeadFacts, Qualification, QualificationRule};
/// use rust_decimal_macros::dec;
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let mql = Qualification::new("mql", Combine::All, vec![
///     QualificationRule::new("good_fit", LeadCondition::FitScoreAtLeast(dec!(40))),
///     QualificationRule::new("asked_for_demo", LeadCondition::Activity { kind: "demo_request".into(), within_days: Some(30) }),
///     QualificationRule::new("reachable", LeadCondition::FieldsPresent(vec!["email".into(), "phone".into()])),
/// ])?;
/// let as_of = at("2024-06-01T00:00:00Z")?;
/// let facts = LeadFacts {
///     fit_score: Some(dec!(55)),
///     activities: vec![Activity { kind: "demo_request".into(), at: as_of }],
///     fields: vec!["email".into()],
///     ..LeadFacts::default()
/// };
/// assert_eq!((mql.name(), mql.combine(), mql.rules().len()), ("mql", Combine::All, 3));
/// let result = mql.evaluate(&facts, as_of);
/// assert!(!result.qualified());
/// assert_eq!(result.failed(&mql).collect::<Vec<_>>(), ["reachable"]);
/// assert_eq!(result.passed(&mql).collect::<Vec<_>>(), ["good_fit", "asked_for_demo"]);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "QualificationRepr", into = "QualificationRepr")
)]
pub struct Qualification {
    name: String,
    combine: Combine,
    rules: Vec<QualificationRule>,
}

/// Most rules a [`Qualification`] may hold.
const MAX_RULES: usize = 64;

impl Qualification {
    /// A qualification called `name`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] without rules; [`ErrorKind::TooMany`] past 64 rules;
    /// [`ErrorKind::DuplicateKey`] for a repeated rule key; [`ErrorKind::NonPositiveDuration`] for a
    /// zero-day activity window.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::{Combine, LeadCondition, Qualification, QualificationRule};
    /// use revops::ErrorKind;
    ///
    /// let demo = |key: &str, within_days| {
    ///     QualificationRule::new(key, LeadCondition::Activity { kind: "demo_request".into(), within_days })
    /// };
    /// assert_eq!(Qualification::new("sal", Combine::Any, vec![demo("recent_demo", Some(14))])?.rules().len(), 1);
    /// assert!(Qualification::new("empty", Combine::All, vec![]).is_err());
    /// assert!(Qualification::new("twice", Combine::All, vec![demo("a", None), demo("a", Some(7))]).is_err());
    /// let zero = Qualification::new("zero", Combine::All, vec![demo("a", Some(0))]);
    /// assert!(matches!(zero.as_ref().map_err(revops::Error::kind), Err(ErrorKind::NonPositiveDuration { .. })));
    /// let many = (0..65).map(|i| demo(&format!("r{i}"), None)).collect();
    /// let too_many = Qualification::new("many", Combine::Any, many);
    /// assert!(matches!(too_many.as_ref().map_err(revops::Error::kind), Err(ErrorKind::TooMany { .. })));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new(
        name: impl Into<String>,
        combine: Combine,
        rules: Vec<QualificationRule>,
    ) -> Result<Qualification, Error> {
        if rules.is_empty() {
            return Err(ErrorKind::InvalidValue {
                field: "qualification rules",
                value: "[]".to_owned(),
                reason: "needs at least one rule",
            }
            .into());
        }
        if rules.len() > MAX_RULES {
            return Err(ErrorKind::TooMany { what: "qualification", count: rules.len(), max: MAX_RULES }.into());
        }
        let mut keys = BTreeSet::new();
        for r in &rules {
            if !keys.insert(r.key.as_str()) {
                return Err(ErrorKind::DuplicateKey { kind: "qualification rule", key: r.key.clone() }.into());
            }
            if let LeadCondition::Activity { within_days: Some(0), .. } = r.criterion {
                return Err(ErrorKind::NonPositiveDuration { field: "activity window", seconds: 0 }.into());
            }
        }
        Ok(Qualification { name: name.into(), combine, rules })
    }

    /// The name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How results combine.
    #[must_use]
    pub const fn combine(&self) -> Combine {
        self.combine
    }

    /// The rules, in order.
    #[must_use]
    pub fn rules(&self) -> &[QualificationRule] {
        &self.rules
    }

    /// Evaluates every rule (no short-circuit, so the result lists them all) as of `as_of`.
    /// Deterministic: a pure function of the definition, the facts and `as_of`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::{Activity, Combine, LeadCondition, LeadFacts, Qualification, QualificationRule};
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let demo = Qualification::new("demo", Combine::All, vec![
    ///     QualificationRule::new("demo_7d", LeadCondition::Activity { kind: "demo_request".into(), within_days: Some(7) }),
    /// ])?;
    /// let facts = LeadFacts {
    ///     activities: vec![Activity { kind: "demo_request".into(), at: at("2024-06-03T15:00:00Z")? }],
    ///     ..LeadFacts::default()
    /// };
    /// // Not yet requested as of the morning, qualified that evening, expired a week later.
    /// assert!(!demo.evaluate(&facts, at("2024-06-03T09:00:00Z")?).qualified());
    /// assert!(demo.evaluate(&facts, at("2024-06-03T18:00:00Z")?).qualified());
    /// assert!(!demo.evaluate(&facts, at("2024-06-10T15:00:00Z")?).qualified());
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn evaluate(&self, facts: &LeadFacts, as_of: DateTime<Utc>) -> QualificationResult {
        let now = as_of.timestamp();
        let mut passed = 0u64;
        for (i, rule) in self.rules.iter().enumerate() {
            if rule.criterion.passes(facts, now) {
                passed |= 1 << i;
            }
        }
        let all = if self.rules.len() == MAX_RULES { u64::MAX } else { (1u64 << self.rules.len()) - 1 };
        let qualified = match self.combine {
            Combine::All => passed == all,
            Combine::Any => passed != 0,
        };
        QualificationResult { qualified, passed, rules: self.rules.len() }
    }
}

/// The outcome of [`Qualification::evaluate`]: qualified or not, and each rule's result.
///
/// # Example
///
/// ```
/// use revops::funnel::{Combine, LeadCondition, LeadFacts, Qualification, QualificationRule};
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let q = Qualification::new("reachable", Combine::Any, vec![
///     QualificationRule::new("email", LeadCondition::FieldsPresent(vec!["email".into()])),
///     QualificationRule::new("phone", LeadCondition::FieldsPresent(vec!["phone".into()])),
/// ])?;
/// let facts = LeadFacts { fields: vec!["phone".into()], ..LeadFacts::default() };
/// let result = q.evaluate(&facts, at("2024-06-01T00:00:00Z")?);
/// assert!(result.qualified());
/// assert!(!result.rule_passed(0) && result.rule_passed(1) && !result.rule_passed(2));
/// assert_eq!(result.passed(&q).collect::<Vec<_>>(), ["phone"]);
/// assert_eq!(result.failed(&q).collect::<Vec<_>>(), ["email"]);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct QualificationResult {
    qualified: bool,
    passed: u64,
    rules: usize,
}

impl QualificationResult {
    /// Whether the lead qualifies.
    #[must_use]
    pub const fn qualified(&self) -> bool {
        self.qualified
    }

    /// Whether rule number `index` passed.
    #[must_use]
    pub const fn rule_passed(&self, index: usize) -> bool {
        index < self.rules && self.passed & (1 << index) != 0
    }

    /// Keys of the rules that passed, in rule order (`qualification` must be the definition
    /// that produced this result).
    pub fn passed<'q>(&self, qualification: &'q Qualification) -> impl Iterator<Item = &'q str> + use<'q, '_> {
        qualification.rules.iter().enumerate().filter(|(i, _)| self.rule_passed(*i)).map(|(_, r)| r.key.as_str())
    }

    /// Keys of the rules that failed, in rule order.
    pub fn failed<'q>(&self, qualification: &'q Qualification) -> impl Iterator<Item = &'q str> + use<'q, '_> {
        qualification
            .rules
            .iter()
            .enumerate()
            .filter(|(i, _)| *i < self.rules && !self.rule_passed(*i))
            .map(|(_, r)| r.key.as_str())
    }
}

#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct QualificationRepr {
    name: String,
    combine: Combine,
    rules: Vec<QualificationRule>,
}

#[cfg(feature = "serde")]
impl TryFrom<QualificationRepr> for Qualification {
    type Error = Error;
    fn try_from(r: QualificationRepr) -> Result<Qualification, Error> {
        Qualification::new(r.name, r.combine, r.rules)
    }
}

#[cfg(feature = "serde")]
impl From<Qualification> for QualificationRepr {
    fn from(q: Qualification) -> QualificationRepr {
        QualificationRepr { name: q.name, combine: q.combine, rules: q.rules }
    }
}
