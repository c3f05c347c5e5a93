//! Qualification: the rules both teams sign off, as data, with a result that says which rules
//! passed and which failed.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::scoring::{LeadFacts, same_key};
use crate::{Error, ErrorKind};

/// One test over [`LeadFacts`].
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
/// use chrono::{TimeZone, Utc};
/// use revops::funnel::{Activity, Combine, LeadCondition, LeadFacts, Qualification, QualificationRule};
/// use rust_decimal_macros::dec;
///
/// let mql = Qualification::new("mql", Combine::All, vec![
///     QualificationRule::new("good_fit", LeadCondition::FitScoreAtLeast(dec!(40))),
///     QualificationRule::new("asked_for_demo", LeadCondition::Activity { kind: "demo_request".into(), within_days: Some(30) }),
///     QualificationRule::new("reachable", LeadCondition::FieldsPresent(vec!["email".into(), "phone".into()])),
/// ])?;
/// # let as_of = Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).unwrap();
/// let facts = LeadFacts {
///     fit_score: Some(dec!(55)),
///     activities: vec![Activity { kind: "demo_request".into(), at: as_of }],
///     fields: vec!["email".into()],
///     ..LeadFacts::default()
/// };
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
