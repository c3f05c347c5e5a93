//! Qualification: the MQL rule (or any lead qualification) both teams sign off, as a tree of
//! `all` / `any` / `not` over keyed conditions, with a result that says which conditions
//! passed and which failed.

use core::fmt;

use chrono::{DateTime, Utc};

use super::scoring::{LeadFacts, Points};
use crate::{Error, ErrorKind};

mod condition;
mod result;
#[cfg(feature = "serde")]
mod wire;

pub use self::condition::LeadCondition;
pub use self::result::QualificationResult;

#[cfg(test)]
mod tests;

/// A qualification rule: a tree whose inner nodes are `all` / `any` / `not` and whose leaves
/// are keyed [`LeadCondition`]s, e.g. "fit at least 40 points AND (engagement at least 30
/// points OR a demo request)" as one definition.
///
/// `All` passes when every child passes, `Any` when at least one does, `Not` when its child
/// fails. [`Qualification::new`] validates a tree: groups are not empty, leaf keys are unique
/// across the whole tree, at most [`Qualification::MAX_LEAVES`] leaves and
/// [`Qualification::MAX_DEPTH`] levels.
///
/// # Wire format
///
/// A node is a table with exactly one of `all` (a list of nodes), `any` (a list of nodes),
/// `not` (a node), or a leaf: a `key` beside one [`LeadCondition`] entry. In TOML, nested
/// groups are arrays of tables (`[[rule.all]]`, then `[[rule.all.any]]`), or inline tables.
///
/// ```
/// use revops::funnel::{LeadCondition, Points, QualificationRule};
///
/// let json = r#"{ "all": [
///     { "key": "good_fit", "fit_score_at_least": "40 points" },
///     { "any": [
///         { "key": "engaged", "engagement_score_at_least": "30 points" },
///         { "key": "demo", "activity": { "kind": "demo_request", "within_days": 30 } }
///     ] }
/// ] }"#;
/// let rule = QualificationRule::all([
///     QualificationRule::leaf("good_fit", LeadCondition::FitScoreAtLeast(Points::from(40))),
///     QualificationRule::any([
///         QualificationRule::leaf("engaged", LeadCondition::EngagementScoreAtLeast(Points::from(30))),
///         QualificationRule::leaf("demo", LeadCondition::Activity { kind: "demo_request".into(), within_days: Some(30) }),
///     ]),
/// ]);
/// assert_eq!(serde_json::from_str::<QualificationRule>(json)?, rule);
/// let text = serde_json::to_string(&rule)?;
/// assert!(text.starts_with(r#"{"all":[{"key":"good_fit","fit_score_at_least":"40 points"},"#), "{text}");
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// # Example
///
/// ```
/// use revops::funnel::{LeadCondition, Points, QualificationRule};
///
/// let rule = QualificationRule::all([
///     QualificationRule::leaf("fit", LeadCondition::FitScoreAtLeast(Points::from(40))),
///     QualificationRule::any([
///         QualificationRule::leaf("engaged", LeadCondition::EngagementScoreAtLeast(Points::from(30))),
///         QualificationRule::leaf("demo", LeadCondition::Activity { kind: "demo_request".into(), within_days: None }),
///     ]),
///     QualificationRule::not(QualificationRule::leaf("student", LeadCondition::HasTrait("student".into()))),
/// ]);
/// assert_eq!(
///     rule.to_string(),
///     "fit score at least 40 points and (engagement score at least 30 points or did demo_request) and not has trait student"
/// );
/// let keys: Vec<&str> = rule.leaves().map(|(key, _)| key).collect();
/// assert_eq!(keys, ["fit", "engaged", "demo", "student"]); // definition order
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum QualificationRule {
    /// Passes when every child passes.
    All(Vec<QualificationRule>),
    /// Passes when at least one child passes.
    Any(Vec<QualificationRule>),
    /// Passes when the child fails.
    Not(Box<QualificationRule>),
    /// A keyed condition; the key names it in results.
    Leaf {
        /// Unique key across the whole rule, reported in results.
        key: String,
        /// The test.
        condition: LeadCondition,
    },
}

impl QualificationRule {
    /// A leaf: `condition`, reported as `key`.
    #[must_use]
    pub fn leaf(key: impl Into<String>, condition: LeadCondition) -> QualificationRule {
        QualificationRule::Leaf { key: key.into(), condition }
    }

    /// Passes when every one of `rules` passes.
    #[must_use]
    pub fn all(rules: impl IntoIterator<Item = QualificationRule>) -> QualificationRule {
        QualificationRule::All(rules.into_iter().collect())
    }

    /// Passes when at least one of `rules` passes.
    #[must_use]
    pub fn any(rules: impl IntoIterator<Item = QualificationRule>) -> QualificationRule {
        QualificationRule::Any(rules.into_iter().collect())
    }

    /// Passes when `rule` fails.
    #[must_use]
    #[allow(clippy::should_implement_trait, reason = "named like `all` / `any` and the wire's `not`")]
    pub fn not(rule: QualificationRule) -> QualificationRule {
        QualificationRule::Not(Box::new(rule))
    }

    /// The leaves as `(key, condition)`, in definition order (depth first, left to right).
    pub fn leaves(&self) -> impl Iterator<Item = (&str, &LeadCondition)> {
        let mut stack = vec![self];
        core::iter::from_fn(move || {
            while let Some(node) = stack.pop() {
                match node {
                    QualificationRule::Leaf { key, condition } => return Some((key.as_str(), condition)),
                    QualificationRule::All(children) | QualificationRule::Any(children) => {
                        stack.extend(children.iter().rev());
                    }
                    QualificationRule::Not(child) => stack.push(child),
                }
            }
            None
        })
    }

    /// Evaluates every leaf (no short-circuit, so provenance lists them all), setting bit `i`
    /// of `passed` for leaf `i` in definition order; returns whether this node passes.
    fn eval(&self, facts: &LeadFacts, now: i64, passed: &mut u64, next: &mut u32) -> bool {
        match self {
            QualificationRule::Leaf { condition, .. } => {
                let ok = condition.passes(facts, now);
                if ok {
                    *passed |= 1u64.checked_shl(*next).unwrap_or(0);
                }
                *next = next.saturating_add(1);
                ok
            }
            QualificationRule::All(children) => {
                children.iter().fold(true, |all, c| c.eval(facts, now, passed, next) & all)
            }
            QualificationRule::Any(children) => {
                children.iter().fold(false, |any, c| c.eval(facts, now, passed, next) | any)
            }
            QualificationRule::Not(child) => !child.eval(facts, now, passed, next),
        }
    }

    /// Writes the rule in words; `nested` parenthesises a group of two or more.
    fn describe(&self, f: &mut fmt::Formatter<'_>, nested: bool) -> fmt::Result {
        let (children, word) = match self {
            QualificationRule::Leaf { condition, .. } => return write!(f, "{condition}"),
            QualificationRule::Not(child) => {
                f.write_str("not ")?;
                return child.describe(f, true);
            }
            QualificationRule::All(children) => (children, " and "),
            QualificationRule::Any(children) => (children, " or "),
        };
        if let [only] = children.as_slice() {
            return only.describe(f, nested);
        }
        if nested {
            f.write_str("(")?;
        }
        for (i, child) in children.iter().enumerate() {
            if i > 0 {
                f.write_str(word)?;
            }
            child.describe(f, true)?;
        }
        if nested {
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl fmt::Display for QualificationRule {
    /// The rule in plain words: leaves as [`LeadCondition`]'s `Display`, groups joined with
    /// `and` / `or`, nested groups in parentheses, `not` before its child, keys left out (see
    /// [`QualificationRule`]'s example).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.describe(f, false)
    }
}

/// A qualification definition (e.g. the MQL rule): a name and a validated
/// [`QualificationRule`] tree.
///
/// # Wire format
///
/// `{ "name": ..., "rule": <node> }` with the node as documented on [`QualificationRule`];
/// deserializing validates like [`Qualification::new`], and a rule nested past
/// [`Qualification::MAX_DEPTH`] is refused while it is read. TOML:
///
/// ```toml
/// name = "mql"
///
/// [[rule.all]]
/// key = "good_fit"
/// fit_score_at_least = "40 points"
///
/// [[rule.all]]
/// any = [
///     { key = "engaged", engagement_score_at_least = "30 points" },
///     { key = "demo", activity = { kind = "demo_request", within_days = 30 } },
/// ]
/// ```
///
/// ```
/// use revops::funnel::{LeadCondition, Points, Qualification, QualificationRule};
///
/// let json = r#"{ "name": "mql", "rule": { "all": [
///     { "key": "fit", "fit_score_at_least": "40 points" },
///     { "key": "engagement", "engagement_score_at_least": { "points": 10 } }
/// ] } }"#;
/// let mql = Qualification::score_thresholds("mql", Points::from(40), Points::from(10))?;
/// assert_eq!(serde_json::from_str::<Qualification>(json)?, mql);
/// let twice = json.replace(r#""key": "engagement""#, r#""key": "fit""#);
/// let err = serde_json::from_str::<Qualification>(&twice).err().map(|e| e.to_string()).unwrap_or_default();
/// assert!(err.starts_with("duplicate qualification rule key `fit`"), "{err}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Example
///
/// ```
/// use revops::funnel::{Activity, LeadCondition, LeadFacts, Points, Qualification, QualificationRule};
/// use rust_decimal_macros::dec;
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let mql = Qualification::new("mql", QualificationRule::all([
///     QualificationRule::leaf("good_fit", LeadCondition::FitScoreAtLeast(Points::from(40))),
///     QualificationRule::any([
///         QualificationRule::leaf("engaged", LeadCondition::EngagementScoreAtLeast(Points::from(30))),
///         QualificationRule::leaf("asked_for_demo", LeadCondition::Activity { kind: "demo_request".into(), within_days: Some(30) }),
///     ]),
/// ]))?;
/// let as_of = at("2024-06-01T00:00:00Z")?;
/// let facts = LeadFacts {
///     fit_score: Some(dec!(55)),
///     engagement_score: Some(dec!(12)),
///     activities: vec![Activity { kind: "demo_request".into(), at: as_of }],
///     ..LeadFacts::default()
/// };
/// let result = mql.evaluate(&facts, as_of);
/// assert!(result.qualified());
/// assert_eq!(result.passed(&mql).collect::<Vec<_>>(), ["good_fit", "asked_for_demo"]);
/// assert_eq!(result.failed(&mql).collect::<Vec<_>>(), ["engaged"]);
/// assert_eq!(mql.describe(), "fit score at least 40 points and (engagement score at least 30 points or did demo_request within 30 days)");
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "wire::QualificationRepr", into = "wire::QualificationRepr")
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Qualification {
    name: String,
    rule: QualificationRule,
    leaves: u32,
}

impl Qualification {
    /// Most leaves a rule may hold (a result keeps one bit per leaf).
    pub const MAX_LEAVES: usize = 64;
    /// Most levels a rule may nest: a lone leaf is 1 level, each `all` / `any` / `not` around
    /// it adds one.
    pub const MAX_DEPTH: usize = 8;

    /// A qualification called `name` with `rule`, validated.
    ///
    /// # Errors
    /// [`ErrorKind::Empty`] for a group without children or an empty list in a condition;
    /// [`ErrorKind::InvalidValue`] for an empty key; [`ErrorKind::DuplicateKey`] for a key used
    /// twice anywhere in the tree; [`ErrorKind::TooMany`] past [`Qualification::MAX_LEAVES`]
    /// leaves or [`Qualification::MAX_DEPTH`] levels (naming the limit);
    /// [`ErrorKind::NonPositiveDuration`] for a zero-day activity window.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::{LeadCondition, Qualification, QualificationRule};
    /// use revops::ErrorKind;
    ///
    /// let demo = |key: &str, within_days| {
    ///     QualificationRule::leaf(key, LeadCondition::Activity { kind: "demo_request".into(), within_days })
    /// };
    /// assert_eq!(Qualification::new("sal", demo("recent_demo", Some(14)))?.leaf_count(), 1);
    /// assert!(Qualification::new("empty", QualificationRule::all([])).is_err());
    /// // Keys are unique across the whole tree, at any depth.
    /// let twice = QualificationRule::all([demo("a", None), QualificationRule::any([demo("a", Some(7))])]);
    /// let err = Qualification::new("twice", twice).err().map(|e| e.to_string());
    /// assert_eq!(err.as_deref(), Some("duplicate qualification rule key `a`"));
    /// let zero = Qualification::new("zero", demo("a", Some(0)));
    /// assert!(matches!(zero.as_ref().map_err(revops::Error::kind), Err(ErrorKind::NonPositiveDuration { .. })));
    /// let many = QualificationRule::any((0..65).map(|i| demo(&format!("r{i}"), None)));
    /// let err = Qualification::new("many", many).err().map(|e| e.to_string());
    /// assert_eq!(err.as_deref(), Some("qualification rule leaves: 65 given, at most 64 are supported"));
    /// let deep = (0..8).fold(demo("a", None), |rule, _| QualificationRule::not(rule));
    /// let err = Qualification::new("deep", deep).err().map(|e| e.to_string());
    /// assert_eq!(err.as_deref(), Some("qualification rule depth (levels of all/any/not): 9 given, at most 8 are supported"));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new(name: impl Into<String>, rule: QualificationRule) -> Result<Qualification, Error> {
        let leaves = validate(&rule)?;
        Ok(Qualification { name: name.into(), rule, leaves })
    }

    /// The classic MQL rule as a tree: fit at least `fit` AND engagement at least
    /// `engagement` (Marketo practice), with leaf keys `fit` and `engagement`.
    ///
    /// # Errors
    /// None in practice (the tree is valid); the signature keeps [`Qualification::new`]'s.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::{LeadFacts, LeadScore, Points, Qualification};
    /// use rust_decimal_macros::dec;
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let mql = Qualification::score_thresholds("mql", Points::from(40), Points::from(20))?;
    /// assert_eq!(mql.describe(), "fit score at least 40 points and engagement score at least 20 points");
    /// let mut facts = LeadFacts::default();
    /// facts.set_score(LeadScore::new(dec!(90), dec!(19.99))); // great fit, not engaged yet
    /// let result = mql.evaluate(&facts, at("2024-06-01T00:00:00Z")?);
    /// assert_eq!((result.qualified(), result.failed(&mql).collect::<Vec<_>>()), (false, vec!["engagement"]));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn score_thresholds(name: impl Into<String>, fit: Points, engagement: Points) -> Result<Qualification, Error> {
        Qualification::new(
            name,
            QualificationRule::all([
                QualificationRule::leaf("fit", LeadCondition::FitScoreAtLeast(fit)),
                QualificationRule::leaf("engagement", LeadCondition::EngagementScoreAtLeast(engagement)),
            ]),
        )
    }

    /// The name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The rule tree.
    #[must_use]
    pub const fn rule(&self) -> &QualificationRule {
        &self.rule
    }

    /// Number of leaves.
    #[must_use]
    pub fn leaf_count(&self) -> usize {
        usize::try_from(self.leaves).unwrap_or(usize::MAX)
    }

    /// The rule in plain words (its `Display`; keys left out), e.g. `fit score at least 40
    /// points and (engagement score at least 30 points or did demo_request)`: what an
    /// agreement's diff prints.
    #[must_use]
    pub fn describe(&self) -> String {
        self.rule.to_string()
    }

    /// Evaluates every leaf (no short-circuit, so the result lists them all) as of `as_of`.
    /// Deterministic: a pure function of the definition, the facts and `as_of`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::{Activity, LeadCondition, LeadFacts, Qualification, QualificationRule};
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let demo = Qualification::new("demo", QualificationRule::leaf(
    ///     "demo_7d", LeadCondition::Activity { kind: "demo_request".into(), within_days: Some(7) },
    /// ))?;
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
        let (mut passed, mut next) = (0u64, 0u32);
        let qualified = self.rule.eval(facts, as_of.timestamp(), &mut passed, &mut next);
        QualificationResult { qualified, passed, leaves: self.leaves }
    }
}

/// Checks a tree (see [`Qualification::new`]) and counts its leaves. Iterative, so a tree
/// nested far past the limit is refused without deep recursion.
fn validate(rule: &QualificationRule) -> Result<u32, Error> {
    let mut keys = std::collections::BTreeSet::new();
    let mut leaves = 0usize;
    let mut stack = vec![(rule, 1usize)];
    let mut deepest = 0usize;
    while let Some((node, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        match node {
            QualificationRule::Leaf { key, condition } => {
                if key.trim().is_empty() {
                    return Err(ErrorKind::InvalidValue {
                        field: "qualification rule key",
                        value: key.clone(),
                        reason: "must not be empty",
                    }
                    .into());
                }
                if !keys.insert(key.as_str()) {
                    return Err(ErrorKind::DuplicateKey { kind: "qualification rule key", key: key.clone() }.into());
                }
                condition.validate()?;
                leaves += 1;
            }
            QualificationRule::All(children) | QualificationRule::Any(children) => {
                if children.is_empty() {
                    return Err(ErrorKind::Empty { what: "qualification rule group (all/any)" }.into());
                }
                stack.extend(children.iter().rev().map(|c| (c, depth.saturating_add(1))));
            }
            QualificationRule::Not(child) => stack.push((child, depth.saturating_add(1))),
        }
    }
    if deepest > Qualification::MAX_DEPTH {
        return Err(too_deep(deepest));
    }
    if leaves > Qualification::MAX_LEAVES {
        return Err(ErrorKind::TooMany {
            what: "qualification rule leaves",
            count: leaves,
            max: Qualification::MAX_LEAVES,
        }
        .into());
    }
    Ok(u32::try_from(leaves).unwrap_or(u32::MAX))
}

/// The error for a rule nested `depth` levels.
fn too_deep(depth: usize) -> Error {
    ErrorKind::TooMany {
        what: "qualification rule depth (levels of all/any/not)",
        count: depth,
        max: Qualification::MAX_DEPTH,
    }
    .into()
}
