//! [`Icp`]: an ideal customer profile, its builder and its scoring.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use super::batch::{AccountBatch, evaluate_batch};
use super::criterion::{Condition, Criterion, Effect};
use super::plan::{Outcomes, Plan};
use super::score::{CriteriaSet, FitScore};
use super::tiers::Tiers;
use crate::Error;
use crate::facts::Account;

/// How a criterion whose facts are unknown (a `None` field, a missing attribute) counts.
///
/// Either way the score reports it in [`FitScore::unknown`], and a disqualifier never fires on
/// unknown facts (a disqualification needs evidence: our rule).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum UnknownPolicy {
    /// Unknown counts as a miss (the default, conservative): a weighted criterion earns no
    /// points but stays in `max_points`, and an unknown must-have is missed.
    #[default]
    CountsAsMiss,
    /// Unknown is left out: a weighted criterion leaves `max_points` (the score is over what is
    /// known), and an unknown must-have is not held against the account.
    Excluded,
}

/// An ideal customer profile: weighted criteria, must-haves and disqualifiers (the negative
/// ICP) over account facts, tier thresholds, and the policy for unknown facts.
///
/// Built with [`Icp::builder`] and validated on `build()` and on deserialize. Building also
/// compiles the criteria into an evaluation form (values interned to ids, sets to bitsets), so
/// [`Icp::score`] costs a few lookups and integer tests per criterion and allocates nothing.
/// See [`FitScore`] for exactly how points become a score and a tier.
///
/// # Example
///
/// ```
/// use revops::facts::Account;
/// use revops::icp::{Condition, Icp, Tiers};
/// use revops::AccountId;
///
/// let icp = Icp::builder("mid-market saas")
///     .points("core_industry", Condition::industry_in(["software", "fintech"]), 40)
///     .points("sweet_spot", Condition::employees(200..=5_000), 30)
///     .points("crm", Condition::technology_any(["salesforce"]), 30)
///     .must_have("home_market", Condition::region_in(["north_america", "europe"]))
///     .disqualifier("public_sector", Condition::industry_in(["government"]))
///     .tiers(Tiers::madkudu())
///     .build()?;
///
/// let account = Account {
///     industry: Some("fintech".into()),
///     employees: Some(800),
///     region: Some("europe".into()),
///     ..Account::new(AccountId::new("acme")?) // technologies unknown
/// };
/// let fit = icp.score(&account)?;
/// assert_eq!((fit.points, fit.max_points), (70, 100));
/// assert_eq!(fit.score.to_string(), "70.00");
/// assert_eq!(icp.tiers().name(fit.tier), Some("good"));
/// assert_eq!(fit.unknown.iter().collect::<Vec<_>>(), vec![2]); // "crm" is unknown
/// println!("{}", fit.explain(&icp));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "IcpRepr", into = "IcpRepr")
)]
pub struct Icp {
    name: String,
    criteria: Vec<Criterion>,
    tiers: Tiers,
    unknown: UnknownPolicy,
    plan: Plan,
}

impl Icp {
    /// Starts building a profile called `name`.
    pub fn builder(name: impl Into<String>) -> IcpBuilder {
        IcpBuilder {
            name: name.into(),
            criteria: Vec::new(),
            tiers: Tiers::default(),
            unknown: UnknownPolicy::default(),
        }
    }

    /// The profile's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The criteria, in definition order (a [`CriteriaSet`] indexes this slice).
    #[must_use]
    pub fn criteria(&self) -> &[Criterion] {
        &self.criteria
    }

    /// Position of the criterion called `name`.
    #[must_use]
    pub fn criterion_index(&self, name: &str) -> Option<usize> {
        self.criteria.iter().position(|c| c.name == name)
    }

    /// The tier thresholds.
    #[must_use]
    pub fn tiers(&self) -> &Tiers {
        &self.tiers
    }

    /// How unknown facts count.
    #[must_use]
    pub fn unknown_policy(&self) -> UnknownPolicy {
        self.unknown
    }

    /// Sum of the points of every weighted criterion.
    #[must_use]
    pub fn total_points(&self) -> u64 {
        self.plan.total_points
    }

    /// Scores `account`: points, normalised score, tier and the criteria matched, missed and
    /// unknown. Deterministic; allocates nothing unless the account runs technologies beyond
    /// the 64th of the profile's technology vocabulary.
    ///
    /// # Errors
    /// Each naming the account (its id) and the criterion:
    /// - [`Error::IcpRevenueCurrency`] if the account's revenue is in another currency than a
    ///   revenue criterion (never converted silently);
    /// - [`Error::IcpAttributeType`] if an attribute holds another type than its criterion
    ///   reads.
    pub fn score(&self, account: &Account) -> Result<FitScore, Error> {
        Ok(self.fit(self.plan.evaluate(&self.criteria, account)?))
    }

    /// Scores every account of `batch`, in batch order: the same scores as [`Icp::score`] row
    /// by row, from the columnar form (interned values, no string comparison per account).
    ///
    /// # Errors
    /// As [`Icp::score`], for the first account in batch order that fails.
    pub fn score_batch(&self, batch: &AccountBatch) -> Result<Vec<FitScore>, Error> {
        let mut out = Vec::with_capacity(batch.len());
        self.score_batch_with(batch, |fit| out.push(fit))?;
        Ok(out)
    }

    /// Scores every account of `batch`, in batch order, handing each score to `sink` (no
    /// allocation per account: tally tiers or stream the scores out).
    ///
    /// # Errors
    /// As [`Icp::score`], for the first account in batch order that fails; the accounts
    /// before it have been handed to `sink`.
    pub fn score_batch_with(&self, batch: &AccountBatch, mut sink: impl FnMut(FitScore)) -> Result<(), Error> {
        evaluate_batch(&self.criteria, self.plan.weights(), batch, |o| sink(self.fit(o)))
    }

    #[inline]
    fn fit(&self, o: Outcomes) -> FitScore {
        let max_points = match self.unknown {
            UnknownPolicy::CountsAsMiss => self.plan.total_points,
            UnknownPolicy::Excluded => self.plan.total_points - o.unknown_points,
        };
        let failing = match self.unknown {
            UnknownPolicy::CountsAsMiss => o.missed | o.unknown,
            UnknownPolicy::Excluded => o.missed,
        };
        let must_haves_missed = self.plan.must_haves & failing;
        let fired = self.plan.disqualifiers & o.matched;
        let hundredths = if fired != 0 || must_haves_missed != 0 || max_points == 0 {
            0
        } else {
            // points <= max_points <= 64 * 10^6, so the product cannot overflow.
            o.points * 10_000 / max_points
        };
        FitScore {
            points: o.points,
            max_points,
            score: Decimal::new(i64::try_from(hundredths).unwrap_or(0), 2),
            tier: self.tiers.tier_of_hundredths(hundredths),
            matched: CriteriaSet::from_bits(o.matched),
            missed: CriteriaSet::from_bits(o.missed),
            unknown: CriteriaSet::from_bits(o.unknown),
            must_haves_missed: CriteriaSet::from_bits(must_haves_missed),
            disqualified_by: (fired != 0).then(|| fired.trailing_zeros() as usize),
        }
    }

    fn new(name: String, criteria: Vec<Criterion>, tiers: Tiers, unknown: UnknownPolicy) -> Result<Icp, Error> {
        if name.trim().is_empty() {
            return Err(Error::InvalidValue { field: "icp name", value: name, reason: "must not be empty" });
        }
        if criteria.len() > CriteriaSet::CAPACITY {
            return Err(Error::IcpTooManyCriteria { icp: name, count: criteria.len(), max: CriteriaSet::CAPACITY });
        }
        let mut names = BTreeSet::new();
        for c in &criteria {
            c.validate()?;
            if !names.insert(c.name.as_str()) {
                return Err(Error::DuplicateCriterion { icp: name, criterion: c.name.clone() });
            }
        }
        if !criteria.iter().any(|c| matches!(c.effect, Effect::Points(_))) {
            return Err(Error::IcpWithoutPoints { icp: name });
        }
        let plan = Plan::compile(&criteria);
        Ok(Icp { name, criteria, tiers, unknown, plan })
    }
}

/// Builder for [`Icp`]; see [`Icp::builder`].
#[derive(Clone, Debug)]
#[must_use = "a builder does nothing until `.build()` is called"]
pub struct IcpBuilder {
    name: String,
    criteria: Vec<Criterion>,
    tiers: Tiers,
    unknown: UnknownPolicy,
}

impl IcpBuilder {
    /// Adds a criterion.
    pub fn criterion(mut self, criterion: Criterion) -> IcpBuilder {
        self.criteria.push(criterion);
        self
    }

    /// Adds a weighted criterion worth `points` (1 to 1,000,000) when matched.
    pub fn points(self, name: impl Into<String>, condition: Condition, points: i64) -> IcpBuilder {
        self.criterion(Criterion::new(name, condition, Effect::Points(points)))
    }

    /// Adds a must-have criterion.
    pub fn must_have(self, name: impl Into<String>, condition: Condition) -> IcpBuilder {
        self.criterion(Criterion::new(name, condition, Effect::MustHave))
    }

    /// Adds a disqualifier (negative ICP).
    pub fn disqualifier(self, name: impl Into<String>, condition: Condition) -> IcpBuilder {
        self.criterion(Criterion::new(name, condition, Effect::Disqualifier))
    }

    /// Sets the tier thresholds (default [`Tiers::letters`]).
    pub fn tiers(mut self, tiers: Tiers) -> IcpBuilder {
        self.tiers = tiers;
        self
    }

    /// Sets how unknown facts count (default [`UnknownPolicy::CountsAsMiss`]).
    pub fn unknown(mut self, policy: UnknownPolicy) -> IcpBuilder {
        self.unknown = policy;
        self
    }

    /// Validates and compiles the profile.
    ///
    /// # Errors
    /// - [`Error::InvalidValue`] if the name is empty;
    /// - [`Error::IcpTooManyCriteria`] past 64 criteria;
    /// - any error of [`Criterion::validate`];
    /// - [`Error::DuplicateCriterion`] if two criteria share a name;
    /// - [`Error::IcpWithoutPoints`] if no criterion is weighted.
    pub fn build(self) -> Result<Icp, Error> {
        Icp::new(self.name, self.criteria, self.tiers, self.unknown)
    }
}

/// Wire shape of [`Icp`]; private so the format can change freely.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct IcpRepr {
    name: String,
    criteria: Vec<Criterion>,
    #[serde(default)]
    tiers: Tiers,
    #[serde(default)]
    unknown: UnknownPolicy,
}

#[cfg(feature = "serde")]
impl TryFrom<IcpRepr> for Icp {
    type Error = Error;
    fn try_from(r: IcpRepr) -> Result<Icp, Error> {
        Icp::new(r.name, r.criteria, r.tiers, r.unknown)
    }
}

#[cfg(feature = "serde")]
impl From<Icp> for IcpRepr {
    fn from(icp: Icp) -> IcpRepr {
        IcpRepr { name: icp.name, criteria: icp.criteria, tiers: icp.tiers, unknown: icp.unknown }
    }
}

#[cfg(test)]
mod tests;
