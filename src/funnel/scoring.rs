//! Lead scoring: separate fit and engagement scores from point rules, caps per group then in
//! total, engagement decay, thresholds in [`Points`] (the MQL rule's score conditions, see
//! [`Qualification::score_thresholds`](super::Qualification::score_thresholds)), and a matrix
//! tier (A1..C3) as an explicit combination.
//!
//! Our rules ([definitions, section 2](crate::definitions::funnel#lead-scoring)):
//! - **Fit** ("who they are") comes from the lead's traits and never decays.
//! - **Engagement** ("what they do") comes from activities and decays with their age as of
//!   `as_of`: by half-life, `points * 0.5^(age / half_life)`, or by a time-frame cut-off (an
//!   activity counts fully while `age < time frame`, not at all after). Activities after
//!   `as_of` are not counted yet.
//! - Each activity counts every time it happens; a trait counts once per rule.
//! - **Caps** apply per group first, then to each score's total. Caps bound from above only;
//!   negative rules (penalties) can take a group below zero. Decay shrinks a contribution's
//!   magnitude, so earned points never grow with age and penalties fade toward zero.
//! - **Exactness**: points are whole integers, scores are exact to the hundredth. Only the decay
//!   factor `0.5^(age / half_life)` is a float (`f64`, `exp2`); each decayed contribution is
//!   rounded to the hundredth, half to even, before it is summed, so the sum is exact and
//!   independent of activity order. Without decay, or with a time frame, no float is involved.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use crate::{Error, ErrorKind};

mod lead_facts;
mod matrix;
mod score;
mod thresholds;
#[cfg(feature = "serde")]
mod wire;

pub use self::lead_facts::{Activity, LeadFacts};
pub use self::matrix::{Band, MatrixTier, ScoreMatrix};
pub use self::score::{GroupScore, LeadScore, ScoreBreakdown};
pub use self::thresholds::Points;

/// Which score a group feeds: a closed set.
///
/// # Example
///
/// ```
/// use revops::funnel::{LeadFacts, ScoreGroup, ScoreKind, ScoringModel};
/// use rust_decimal_macros::dec;
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// // The same signal key feeds fit as a trait and engagement as an activity.
/// let model = ScoringModel::builder().group(ScoreGroup::new("stack", ScoreKind::Fit, [("salesforce", 15)]))
///     .group(ScoreGroup::new("product", ScoreKind::Engagement, [("salesforce", 5)])).build()?;
/// let score = model.score(&LeadFacts { traits: vec!["salesforce".into()], ..LeadFacts::default() }, at("2024-06-01T00:00:00Z")?);
/// assert_eq!((score.fit, score.engagement), (dec!(15), dec!(0)));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ScoreKind {
    /// Fit: matched against traits, never decays.
    Fit,
    /// Engagement: matched against activities, decays.
    Engagement,
}

/// One point rule: a signal key and the whole points it earns (negative for a penalty).
/// [`ScoreGroup::new`] builds them from `(signal, points)` pairs (see [`ScoreGroup`]'s example).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PointRule {
    /// The trait (fit) or activity kind (engagement) it matches.
    pub signal: String,
    /// Points, from -1,000,000 to 1,000,000.
    pub points: i64,
}

/// A named group of point rules with an optional cap (e.g. "web visits, at most 20").
///
/// # Example
///
/// ```
/// use revops::funnel::{Activity, LeadFacts, PointRule, ScoreGroup, ScoreKind, ScoringModel};
/// use rust_decimal_macros::dec;
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let web = ScoreGroup::new("web", ScoreKind::Engagement, [("pricing_page", 8)]).with_cap(20);
/// assert_eq!((web.key.as_str(), web.kind, web.cap), ("web", ScoreKind::Engagement, Some(20)));
/// assert_eq!(web.rules, [PointRule { signal: "pricing_page".into(), points: 8 }]);
/// let model = ScoringModel::builder().group(web).build()?;
/// let visit = Activity { kind: "pricing_page".into(), at: at("2024-05-30T12:00:00Z")? };
/// let facts = LeadFacts { activities: vec![visit; 4], ..LeadFacts::default() };
/// assert_eq!(model.score(&facts, at("2024-06-01T00:00:00Z")?).engagement, dec!(20)); // 4 x 8 = 32, capped
/// # Ok::<(), revops::Error>(())
/// ```
#[cfg_attr(feature = "serde", doc = include_str!("wire_format/score_group.md"))]
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ScoreGroup {
    /// Unique key of the group.
    pub key: String,
    /// The score it feeds.
    pub kind: ScoreKind,
    /// Most points the group contributes (whole points, at least 0).
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub cap: Option<i64>,
    /// The rules.
    pub rules: Vec<PointRule>,
}

impl ScoreGroup {
    /// A group of `kind` called `key` with `rules` as `(signal, points)` pairs and no cap.
    pub fn new<'a>(key: &str, kind: ScoreKind, rules: impl IntoIterator<Item = (&'a str, i64)>) -> ScoreGroup {
        ScoreGroup {
            key: key.to_owned(),
            kind,
            cap: None,
            rules: rules.into_iter().map(|(s, p)| PointRule { signal: s.to_owned(), points: p }).collect(),
        }
    }

    /// Sets the cap.
    #[must_use]
    pub fn with_cap(mut self, cap: i64) -> ScoreGroup {
        self.cap = Some(cap);
        self
    }
}

/// How engagement points fade with age.
///
/// # Example
///
/// ```
/// use revops::funnel::{Activity, Decay, LeadFacts, ScoreGroup, ScoreKind, ScoringModel};
/// use rust_decimal_macros::dec;
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let webinar = Activity { kind: "webinar".into(), at: at("2024-04-01T00:00:00Z")? };
/// let (facts, as_of) = (LeadFacts { activities: vec![webinar], ..LeadFacts::default() }, at("2024-06-01T00:00:00Z")?);
/// let group = ScoreGroup::new("events", ScoreKind::Engagement, [("webinar", 20)]);
/// let engagement = |decay| -> Result<_, revops::Error> {
///     Ok(ScoringModel::builder().group(group.clone()).decay(decay).build()?.score(&facts, as_of).engagement)
/// };
/// assert_eq!(engagement(Decay::None)?, dec!(20));
/// assert_eq!((engagement(Decay::TimeFrame { days: 90 })?, engagement(Decay::TimeFrame { days: 60 })?), (dec!(20), dec!(0)));
/// assert_eq!(engagement(Decay::HalfLife { days: 61 })?, dec!(10)); // one half-life: half the points
/// # Ok::<(), revops::Error>(())
/// ```
#[cfg_attr(feature = "serde", doc = include_str!("wire_format/decay.md"))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Decay {
    /// Points never fade.
    #[default]
    None,
    /// `points * 0.5^(age / half_life)`.
    HalfLife {
        /// The half-life in days (at least 1).
        days: u32,
    },
    /// Full points while the activity is younger than the time frame, none after.
    TimeFrame {
        /// The time frame in days (at least 1).
        days: u32,
    },
}

const DAY_SECONDS: i64 = 86_400;
const MAX_POINTS: i64 = 1_000_000;
const MAX_GROUPS: usize = 64;

/// The scoring model both teams signed: point rules in capped groups, total caps and decay.
///
/// # Example
///
/// ```
/// use chrono::TimeDelta;
/// use revops::funnel::{Activity, Decay, LeadFacts, ScoreGroup, ScoreKind, ScoringModel};
/// use rust_decimal_macros::dec;
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let model = ScoringModel::builder()
///     .group(ScoreGroup::new("industry", ScoreKind::Fit, [("software", 30), ("fintech", 25)]))
///     .group(ScoreGroup::new("events", ScoreKind::Engagement, [("webinar", 20), ("demo_request", 40)]).with_cap(50))
///     .decay(Decay::HalfLife { days: 30 })
///     .build()?;
/// let as_of = at("2024-06-01T00:00:00Z")?;
/// let webinar = Activity { kind: "webinar".into(), at: as_of - TimeDelta::days(30) }; // half of 20
/// let activities = vec![webinar, Activity { kind: "demo_request".into(), at: as_of }]; // + 40
/// let facts = LeadFacts { traits: vec!["software".into()], activities, ..LeadFacts::default() };
/// let score = model.score(&facts, as_of);
/// assert_eq!((score.fit, score.engagement), (dec!(30), dec!(50))); // 10 + 40, exactly the group cap
/// # Ok::<(), revops::Error>(())
/// ```
#[cfg_attr(feature = "serde", doc = include_str!("wire_format/scoring_model.md"))]
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "wire::ScoringRepr", into = "wire::ScoringRepr")
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ScoringModel {
    groups: Vec<ScoreGroup>,
    fit_cap: Option<i64>,
    engagement_cap: Option<i64>,
    decay: Decay,
    /// Rules per kind sorted by `(prefix, signal)`: the hot-path index.
    fit_index: Vec<IndexEntry>,
    engagement_index: Vec<IndexEntry>,
}

impl ScoringModel {
    /// Starts a model with no groups, no total caps and no decay.
    pub fn builder() -> ScoringModelBuilder {
        ScoringModelBuilder { groups: Vec::new(), fit_cap: None, engagement_cap: None, decay: Decay::None }
    }

    /// The groups, as given.
    #[must_use]
    pub fn groups(&self) -> &[ScoreGroup] {
        &self.groups
    }

    /// Cap on the fit total.
    #[must_use]
    pub const fn fit_cap(&self) -> Option<i64> {
        self.fit_cap
    }

    /// Cap on the engagement total.
    #[must_use]
    pub const fn engagement_cap(&self) -> Option<i64> {
        self.engagement_cap
    }

    /// The engagement decay.
    #[must_use]
    pub const fn decay(&self) -> Decay {
        self.decay
    }

    /// Scores `facts` as of `as_of` (see the module documentation for the rules).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::{Activity, LeadFacts, ScoreGroup, ScoreKind, ScoringModel};
    /// use rust_decimal_macros::dec;
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let model = ScoringModel::builder()
    ///     .group(ScoreGroup::new("size", ScoreKind::Fit, [("employees_200_999", 25), ("student", -50)]))
    ///     .group(ScoreGroup::new("web", ScoreKind::Engagement, [("pricing_page", 10)])).build()?;
    /// let as_of = at("2024-06-01T00:00:00Z")?;
    /// let visit = |when| -> Result<Activity, revops::Error> { Ok(Activity { kind: "pricing_page".into(), at: at(when)? }) };
    /// let traits = vec!["employees_200_999".into(), "employees_200_999".into()]; // counts once per rule
    /// let days = ["2024-05-01T00:00:00Z", "2024-05-20T00:00:00Z", "2024-06-02T00:00:00Z"]; // the last one: not yet
    /// let activities = days.into_iter().map(visit).collect::<Result<Vec<_>, _>>()?; // each counts
    /// let score = model.score(&LeadFacts { traits, activities, ..LeadFacts::default() }, as_of);
    /// assert_eq!((score.fit, score.engagement), (dec!(25), dec!(20)));
    /// let student = LeadFacts { traits: vec!["student".into()], ..LeadFacts::default() };
    /// assert_eq!(model.score(&student, as_of).fit, dec!(-50)); // penalties go below zero
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn score(&self, facts: &LeadFacts, as_of: DateTime<Utc>) -> LeadScore {
        let sums = self.group_sums(facts, as_of);
        let mut fit = 0i64;
        let mut engagement = 0i64;
        for (group, sum) in self.groups.iter().zip(sums) {
            let capped = group.cap.map_or(sum, |c| sum.min(c * 100));
            match group.kind {
                ScoreKind::Fit => fit += capped,
                ScoreKind::Engagement => engagement += capped,
            }
        }
        if let Some(c) = self.fit_cap {
            fit = fit.min(c * 100);
        }
        if let Some(c) = self.engagement_cap {
            engagement = engagement.min(c * 100);
        }
        LeadScore { fit: Decimal::new(fit, 2), engagement: Decimal::new(engagement, 2) }
    }

    /// The score with its provenance: each group's points before and after its cap, in group
    /// order, and the final score (equal to [`ScoringModel::score`]).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::{Activity, LeadFacts, LeadScore, ScoreGroup, ScoreKind, ScoringModel};
    /// use rust_decimal_macros::dec;
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let model = ScoringModel::builder()
    ///     .group(ScoreGroup::new("events", ScoreKind::Engagement, [("webinar", 15)]).with_cap(25))
    ///     .group(ScoreGroup::new("web", ScoreKind::Engagement, [("pricing_page", 5)])).engagement_cap(30).build()?;
    /// let as_of = at("2024-06-01T00:00:00Z")?;
    /// let event = |kind: &'static str| Activity { kind: kind.into(), at: as_of };
    /// let facts = LeadFacts { activities: vec![event("webinar"), event("webinar"), event("pricing_page")], ..LeadFacts::default() };
    /// let breakdown = model.breakdown(&facts, as_of);
    /// let groups: Vec<_> = breakdown.groups.iter().map(|g| (g.key.as_str(), g.points, g.capped)).collect();
    /// assert_eq!(groups, [("events", dec!(30), dec!(25)), ("web", dec!(5), dec!(5))]);
    /// assert_eq!(breakdown.score, LeadScore::new(dec!(0), dec!(30))); // 25 + 5, within the total cap
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn breakdown(&self, facts: &LeadFacts, as_of: DateTime<Utc>) -> ScoreBreakdown {
        let sums = self.group_sums(facts, as_of);
        let groups = self
            .groups
            .iter()
            .zip(sums)
            .map(|(g, sum)| GroupScore {
                key: g.key.clone(),
                kind: g.kind,
                points: Decimal::new(sum, 2),
                capped: Decimal::new(g.cap.map_or(sum, |c| sum.min(c * 100)), 2),
            })
            .collect();
        ScoreBreakdown { groups, score: self.score(facts, as_of) }
    }

    /// Points per group in hundredths, before caps.
    fn group_sums(&self, facts: &LeadFacts, as_of: DateTime<Utc>) -> [i64; MAX_GROUPS] {
        let mut sums = [0i64; MAX_GROUPS];
        for (i, t) in facts.traits.iter().enumerate() {
            // A trait counts once per rule (module docs): a repeat of an earlier trait adds
            // nothing. Checked only for traits that score, so the usual short lists stay cheap.
            if let Some(e) = lookup(&self.fit_index, t)
                && !facts.traits.get(..i).is_some_and(|earlier| earlier.iter().any(|x| same_key(x, t)))
                && let Some(slot) = sums.get_mut(e.group)
            {
                *slot += e.points * 100;
            }
        }
        let now = as_of.timestamp();
        for a in &facts.activities {
            let Some(&IndexEntry { group, points, .. }) = lookup(&self.engagement_index, &a.kind) else {
                continue;
            };
            let age = now.saturating_sub(a.at.timestamp());
            if age < 0 {
                continue; // not happened yet as of the evaluation
            }
            let hundredths = match self.decay {
                Decay::None => points * 100,
                Decay::TimeFrame { days } => {
                    if age < i64::from(days) * DAY_SECONDS {
                        points * 100
                    } else {
                        0
                    }
                }
                Decay::HalfLife { days } => decayed_hundredths(points * 100, age, i64::from(days) * DAY_SECONDS),
            };
            if let Some(slot) = sums.get_mut(group) {
                *slot += hundredths;
            }
        }
        sums
    }
}

/// One rule in the scoring index.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct IndexEntry {
    /// The first eight bytes of `signal`, big-endian, zero-padded: integer order is the
    /// signal's byte order on that prefix.
    prefix: u64,
    signal: String,
    group: usize,
    points: i64,
}

fn prefix(key: &str) -> u64 {
    let mut p = 0u64;
    for (i, b) in key.bytes().take(8).enumerate() {
        p |= u64::from(b) << (56 - 8 * i);
    }
    p
}

/// Finds the rule for `signal`: a binary search on the integer prefix, then a full
/// comparison among the (usually one) entries sharing it. Cheaper than comparing strings at
/// every probe; this is the hot path of scoring.
fn lookup<'a>(index: &'a [IndexEntry], signal: &str) -> Option<&'a IndexEntry> {
    let p = prefix(signal);
    let start = index.partition_point(|e| e.prefix < p);
    index.get(start..)?.iter().take_while(|e| e.prefix == p).find(|e| same_key(&e.signal, signal))
}

/// Equality of two short keys without a `memcmp` call (see [`lookup`]).
pub(crate) fn same_key(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

/// `hundredths * 0.5^(age / half_life)`, rounded to a whole hundredth, half to even.
// The decay curve is a statistical model (definitions, section 2: `0.5^(age / half_life)`), so the
// factor is an f64; the inputs are at most 1e8 hundredths and a few billion seconds, exact in
// f64, and the result is rounded back to an integer at once. Monotone: `exp2` never
// increases as its argument decreases, and rounding keeps order.
#[allow(
    clippy::float_arithmetic,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    reason = "decay factor is a float model; result rounded to integer hundredths immediately"
)]
fn decayed_hundredths(hundredths: i64, age_seconds: i64, half_life_seconds: i64) -> i64 {
    let factor = (-(age_seconds as f64) / half_life_seconds as f64).exp2();
    (hundredths as f64 * factor).round_ties_even() as i64
}

/// Builder for [`ScoringModel`]; see [`ScoringModel::builder`].
///
/// # Example
///
/// ```
/// use revops::funnel::{Decay, ScoreGroup, ScoreKind, ScoringModel};
///
/// let model = ScoringModel::builder().group(ScoreGroup::new("industry", ScoreKind::Fit, [("software", 30)]))
///     .fit_cap(60).engagement_cap(80).decay(Decay::TimeFrame { days: 90 }).build()?;
/// assert_eq!((model.groups().len(), model.fit_cap(), model.engagement_cap(), model.decay()), (1, Some(60), Some(80), Decay::TimeFrame { days: 90 }));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug)]
#[must_use = "a builder does nothing until `.build()` is called"]
pub struct ScoringModelBuilder {
    groups: Vec<ScoreGroup>,
    fit_cap: Option<i64>,
    engagement_cap: Option<i64>,
    decay: Decay,
}

impl ScoringModelBuilder {
    /// Adds a group.
    pub fn group(mut self, group: ScoreGroup) -> ScoringModelBuilder {
        self.groups.push(group);
        self
    }

    /// Caps the fit total (whole points).
    pub fn fit_cap(mut self, cap: i64) -> ScoringModelBuilder {
        self.fit_cap = Some(cap);
        self
    }

    /// Caps the engagement total (whole points).
    pub fn engagement_cap(mut self, cap: i64) -> ScoringModelBuilder {
        self.engagement_cap = Some(cap);
        self
    }

    /// Sets the engagement decay.
    pub fn decay(mut self, decay: Decay) -> ScoringModelBuilder {
        self.decay = decay;
        self
    }

    /// Validates and returns the model.
    ///
    /// # Errors
    /// [`ErrorKind::DuplicateKey`] for a repeated group key, or a signal scored twice within fit
    /// or within engagement; [`ErrorKind::Negative`] for a cap below zero;
    /// [`ErrorKind::NonPositiveDuration`] for a zero half-life or time frame;
    /// [`ErrorKind::InvalidValue`] for points outside ±1,000,000; [`ErrorKind::TooMany`] for
    /// more than 64 groups.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::{Decay, ScoreGroup, ScoreKind, ScoringModel};
    /// use revops::ErrorKind;
    ///
    /// let fit = |key: &str, points| ScoreGroup::new(key, ScoreKind::Fit, [("software", points)]);
    /// // One signal scored twice within fit, a negative cap, a huge rule: refused.
    /// assert!(ScoringModel::builder().group(fit("a", 10)).group(fit("b", 5)).build().is_err());
    /// assert!(ScoringModel::builder().group(fit("a", 10).with_cap(-5)).build().is_err());
    /// assert!(ScoringModel::builder().group(fit("a", 2_000_000)).build().is_err());
    /// let zero = ScoringModel::builder().decay(Decay::HalfLife { days: 0 }).build();
    /// assert!(matches!(zero.as_ref().map_err(revops::Error::kind), Err(ErrorKind::NonPositiveDuration { .. })));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn build(self) -> Result<ScoringModel, Error> {
        if self.groups.len() > MAX_GROUPS {
            return Err(
                ErrorKind::TooMany { what: "scoring model groups", count: self.groups.len(), max: MAX_GROUPS }.into()
            );
        }
        let mut keys = BTreeSet::new();
        let mut fit_index = Vec::new();
        let mut engagement_index = Vec::new();
        for (g, group) in self.groups.iter().enumerate() {
            if !keys.insert(group.key.as_str()) {
                return Err(ErrorKind::DuplicateKey { kind: "scoring group", key: group.key.clone() }.into());
            }
            if let Some(cap) = group.cap
                && cap < 0
            {
                let value = format!("{cap} for scoring group `{}`", group.key);
                return Err(ErrorKind::Negative { field: "score cap", value }.into());
            }
            for rule in &group.rules {
                if !(-MAX_POINTS..=MAX_POINTS).contains(&rule.points) {
                    return Err(ErrorKind::InvalidValue {
                        field: "scoring rule points",
                        value: rule.points.to_string(),
                        reason: "must be from -1000000 to 1000000",
                    }
                    .into());
                }
                let index = match group.kind {
                    ScoreKind::Fit => &mut fit_index,
                    ScoreKind::Engagement => &mut engagement_index,
                };
                index.push(IndexEntry {
                    prefix: prefix(&rule.signal),
                    signal: rule.signal.clone(),
                    group: g,
                    points: rule.points,
                });
            }
        }
        for index in [&mut fit_index, &mut engagement_index] {
            index.sort();
            if let Some(w) = index.windows(2).find(|w| w.first().map(|a| &a.signal) == w.get(1).map(|b| &b.signal))
                && let Some(e) = w.first()
            {
                return Err(ErrorKind::DuplicateKey { kind: "scoring signal", key: e.signal.clone() }.into());
            }
        }
        for (key, cap) in [("fit", self.fit_cap), ("engagement", self.engagement_cap)] {
            if let Some(cap) = cap
                && cap < 0
            {
                let value = format!("{cap} for score total `{key}`");
                return Err(ErrorKind::Negative { field: "score cap", value }.into());
            }
            if cap.is_some_and(|c| c > MAX_POINTS * 1_000) {
                return Err(ErrorKind::InvalidValue {
                    field: "score cap",
                    value: cap.unwrap_or_default().to_string(),
                    reason: "must be at most 1000000000",
                }
                .into());
            }
        }
        match self.decay {
            Decay::HalfLife { days: 0 } => {
                return Err(ErrorKind::NonPositiveDuration { field: "half-life", seconds: 0 }.into());
            }
            Decay::TimeFrame { days: 0 } => {
                return Err(ErrorKind::NonPositiveDuration { field: "time frame", seconds: 0 }.into());
            }
            _ => {}
        }
        if let Some(g) = self.groups.iter().find(|g| g.cap.is_some_and(|c| c > MAX_POINTS * 1_000)) {
            return Err(ErrorKind::InvalidValue {
                field: "score cap",
                value: g.cap.unwrap_or_default().to_string(),
                reason: "must be at most 1000000000",
            }
            .into());
        }
        Ok(ScoringModel {
            groups: self.groups,
            fit_cap: self.fit_cap,
            engagement_cap: self.engagement_cap,
            decay: self.decay,
            fit_index,
            engagement_index,
        })
    }
}
