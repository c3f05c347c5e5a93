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
//! - **Caps** apply per group first, then to each score's total, then (if the model has a
//!   total cap) to the combined fit + engagement total ([`ScoringModel::total`]). Caps bound from above only;
//!   negative rules (penalties) can take a group below zero. Decay shrinks a contribution's
//!   magnitude, so earned points never grow with age and penalties fade toward zero.
//! - **Exactness**: points are whole integers, scores are exact to the hundredth. Only the decay
//!   factor `0.5^(age / half_life)` is a float (`f64`, `exp2`); each decayed contribution is
//!   rounded to the hundredth, half to even, before it is summed, so the sum is exact and
//!   independent of activity order. Without decay, or with a time frame, no float is involved.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

mod builder;
mod lead_facts;
mod matrix;
mod score;
mod thresholds;
#[cfg(feature = "serde")]
mod wire;

pub use self::builder::ScoringModelBuilder;
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
    total_cap: Option<i64>,
    decay: Decay,
    /// Rules per kind sorted by `(prefix, signal)`: the hot-path index.
    fit_index: Vec<IndexEntry>,
    engagement_index: Vec<IndexEntry>,
}

impl ScoringModel {
    /// Starts a model with no groups, no total caps and no decay.
    pub fn builder() -> ScoringModelBuilder {
        ScoringModelBuilder {
            groups: Vec::new(),
            fit_cap: None,
            engagement_cap: None,
            total_cap: None,
            decay: Decay::None,
        }
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

    /// Cap on the combined total, fit plus engagement (HubSpot's "total score limit" of a
    /// combined score), applied after the per-kind caps; `None` (the default) for no cap.
    #[must_use]
    pub const fn total_cap(&self) -> Option<i64> {
        self.total_cap
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
        let (fit, engagement) = self.capped_kinds(&self.group_sums(facts, as_of));
        LeadScore { fit: Decimal::new(fit, 2), engagement: Decimal::new(engagement, 2) }
    }

    /// The combined score: fit plus engagement (each after its group and kind caps), then
    /// capped by [`ScoringModel::total_cap`] if the model has one. The cap bounds the sum
    /// from above only, as every cap does; the two parts in [`LeadScore`] are not changed by
    /// it (which part to cut would be a guess), so the capped total is its own figure.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::{Activity, LeadFacts, ScoreGroup, ScoreKind, ScoringModel};
    /// use rust_decimal_macros::dec;
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// // Fit at most 50, engagement at most 50, the combined score at most 80.
    /// let model = ScoringModel::builder()
    ///     .group(ScoreGroup::new("industry", ScoreKind::Fit, [("software", 45)]))
    ///     .group(ScoreGroup::new("events", ScoreKind::Engagement, [("webinar", 20)]))
    ///     .fit_cap(50).engagement_cap(50).total_cap(80).build()?;
    /// let as_of = at("2024-06-01T00:00:00Z")?;
    /// let webinar = Activity { kind: "webinar".into(), at: as_of };
    /// let facts = LeadFacts { traits: vec!["software".into()], activities: vec![webinar.clone(), webinar.clone(), webinar], ..LeadFacts::default() };
    /// let score = model.score(&facts, as_of);
    /// assert_eq!((score.fit, score.engagement), (dec!(45), dec!(50))); // 60 capped at 50
    /// assert_eq!(model.total(&facts, as_of), dec!(80)); // 45 + 50 = 95, capped at 80
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn total(&self, facts: &LeadFacts, as_of: DateTime<Utc>) -> Decimal {
        let (fit, engagement) = self.capped_kinds(&self.group_sums(facts, as_of));
        Decimal::new(self.capped_total(fit, engagement), 2)
    }

    /// Fit and engagement in hundredths, after group caps then kind caps.
    fn capped_kinds(&self, sums: &[i64; MAX_GROUPS]) -> (i64, i64) {
        let mut fit = 0i64;
        let mut engagement = 0i64;
        for (group, &sum) in self.groups.iter().zip(sums) {
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
        (fit, engagement)
    }

    /// `fit + engagement` in hundredths, capped by the total cap.
    fn capped_total(&self, fit: i64, engagement: i64) -> i64 {
        let sum = fit.saturating_add(engagement);
        self.total_cap.map_or(sum, |c| sum.min(c * 100))
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
            .zip(sums.iter().copied())
            .map(|(g, sum)| GroupScore {
                key: g.key.clone(),
                kind: g.kind,
                points: Decimal::new(sum, 2),
                capped: Decimal::new(g.cap.map_or(sum, |c| sum.min(c * 100)), 2),
            })
            .collect();
        let (fit, engagement) = self.capped_kinds(&sums);
        let score = LeadScore { fit: Decimal::new(fit, 2), engagement: Decimal::new(engagement, 2) };
        ScoreBreakdown { groups, score, total: Decimal::new(self.capped_total(fit, engagement), 2) }
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
