//! [`Icp`]: an ideal customer profile, its builder and its scoring.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use super::batch::{AccountBatch, evaluate_batch};
use super::criterion::{Condition, Criterion, Effect};
use super::plan::{Outcomes, Plan};
use super::score::{CriteriaSet, FitScore};
use super::tiers::Tiers;
use crate::facts::Account;
use crate::{Error, ErrorKind};

/// How a criterion whose facts are unknown (a `None` field, a missing attribute) counts.
///
/// Either way the score reports it in [`FitScore::unknown`], and a disqualifier never fires on
/// unknown facts (a disqualification needs evidence: our rule).
///
/// # Example
///
/// ```
/// use revops::facts::Account;
/// use revops::icp::{Condition, Icp, UnknownPolicy};
/// use revops::AccountId;
///
/// let build = |policy| {
///     Icp::builder("saas")
///         .points("software", Condition::industry_in(["software"]), 50)
///         .points("size", Condition::employees(200..=5_000), 50)
///         .unknown(policy)
///         .build()
/// };
/// let acme = Account { industry: Some("software".into()), ..Account::new(AccountId::new("acme")?) }; // size unknown
/// assert_eq!(build(UnknownPolicy::CountsAsMiss)?.score(&acme)?.score.to_string(), "50.00");
/// assert_eq!(build(UnknownPolicy::Excluded)?.score(&acme)?.score.to_string(), "100.00");
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "serde", doc = include_str!("wire_format/icp.md"))]
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "IcpRepr", into = "IcpRepr")
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Icp {
    name: String,
    criteria: Vec<Criterion>,
    tiers: Tiers,
    unknown: UnknownPolicy,
    plan: Plan,
}

impl Icp {
    /// Starts building a profile called `name`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::{Condition, Icp};
    ///
    /// let icp = Icp::builder("core").points("software", Condition::industry_in(["software"]), 1).build()?;
    /// assert_eq!(icp.name(), "core");
    /// assert!(Icp::builder("empty").build().is_err()); // no weighted criterion
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn builder(name: impl Into<String>) -> IcpBuilder {
        IcpBuilder {
            name: name.into(),
            criteria: Vec::new(),
            tiers: Tiers::default(),
            unknown: UnknownPolicy::default(),
        }
    }

    /// The profile's name.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::{Condition, Icp};
    ///
    /// let icp = Icp::builder("core").points("software", Condition::industry_in(["software"]), 1).build()?;
    /// assert_eq!(icp.name(), "core");
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The criteria, in definition order (a [`CriteriaSet`] indexes this slice).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::{Condition, Icp};
    ///
    /// let icp = Icp::builder("core")
    ///     .points("software", Condition::industry_in(["software"]), 1)
    ///     .disqualifier("public_sector", Condition::industry_in(["government"]))
    ///     .build()?;
    /// let names: Vec<&str> = icp.criteria().iter().map(|c| c.name.as_str()).collect();
    /// assert_eq!(names, ["software", "public_sector"]);
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn criteria(&self) -> &[Criterion] {
        &self.criteria
    }

    /// Position of the criterion called `name`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::{Condition, Icp};
    ///
    /// let icp = Icp::builder("core")
    ///     .points("software", Condition::industry_in(["software"]), 1)
    ///     .points("size", Condition::employees(200..=5_000), 1)
    ///     .build()?;
    /// assert_eq!(icp.criterion_index("size"), Some(1));
    /// assert_eq!(icp.criterion_index("missing"), None);
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn criterion_index(&self, name: &str) -> Option<usize> {
        self.criteria.iter().position(|c| c.name == name)
    }

    /// The tier thresholds.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::{Condition, Icp, Tiers};
    ///
    /// let icp = Icp::builder("core").points("software", Condition::industry_in(["software"]), 1).build()?;
    /// assert_eq!(icp.tiers(), &Tiers::letters()); // the default
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn tiers(&self) -> &Tiers {
        &self.tiers
    }

    /// How unknown facts count.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::{Condition, Icp, UnknownPolicy};
    ///
    /// let icp = Icp::builder("core").points("software", Condition::industry_in(["software"]), 1).build()?;
    /// assert_eq!(icp.unknown_policy(), UnknownPolicy::CountsAsMiss); // the default
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn unknown_policy(&self) -> UnknownPolicy {
        self.unknown
    }

    /// Sum of the points of every weighted criterion.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::{Condition, Icp};
    ///
    /// let icp = Icp::builder("core")
    ///     .points("software", Condition::industry_in(["software"]), 60)
    ///     .points("size", Condition::employees(200..=5_000), 40)
    ///     .must_have("europe", Condition::region_in(["europe"])) // no points
    ///     .build()?;
    /// assert_eq!(icp.total_points(), 100);
    /// # Ok::<(), revops::Error>(())
    /// ```
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
    /// - [`ErrorKind::IcpRevenueCurrency`] if the account's revenue is in another currency than a
    ///   revenue criterion (never converted silently);
    /// - [`ErrorKind::IcpAttributeType`] if an attribute holds another type than its criterion
    ///   reads.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::Account;
    /// use revops::icp::{Condition, Icp};
    /// use revops::AccountId;
    /// use revops::{Currency, Money};
    ///
    /// let icp = Icp::builder("core")
    ///     .points("software", Condition::industry_in(["software"]), 60)
    ///     .points("revenue", Condition::annual_revenue(Some(Money::from_minor(1_000_000_00, Currency::USD)), None), 40)
    ///     .build()?;
    /// let acme = Account { industry: Some("software".into()), ..Account::new(AccountId::new("acme")?) };
    /// assert_eq!(icp.score(&acme)?.score.to_string(), "60.00");
    /// let in_euros = Account { annual_revenue: Some(Money::from_minor(5_000_000_00, Currency::EUR)), ..acme };
    /// let err = icp.score(&in_euros).err().map(|e| e.to_string());
    /// assert_eq!(err.as_deref(), Some("account `acme` reports annual revenue in EUR, but icp criterion `revenue` reads USD"));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn score(&self, account: &Account) -> Result<FitScore, Error> {
        Ok(self.fit(self.plan.evaluate(&self.criteria, account)?))
    }

    /// Scores every account of `batch`, in batch order: the same scores as [`Icp::score`] row
    /// by row, from the columnar form (interned values, no string comparison per account).
    ///
    /// # Errors
    /// As [`Icp::score`], for the first account in batch order that fails.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::Account;
    /// use revops::icp::{Condition, Icp};
    /// use revops::AccountId;
    /// use revops::icp::AccountBatch;
    ///
    /// let icp = Icp::builder("core").points("software", Condition::industry_in(["software"]), 1).build()?;
    /// let accounts = [
    ///     Account { industry: Some("software".into()), ..Account::new(AccountId::new("acme")?) },
    ///     Account { industry: Some("retail".into()), ..Account::new(AccountId::new("globex")?) },
    /// ];
    /// let batch: AccountBatch = accounts.iter().collect();
    /// let scores = icp.score_batch(&batch)?;
    /// assert_eq!(scores, [icp.score(&accounts[0])?, icp.score(&accounts[1])?]);
    /// # Ok::<(), revops::Error>(())
    /// ```
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
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::Account;
    /// use revops::icp::{Condition, Icp};
    /// use revops::AccountId;
    /// use revops::icp::AccountBatch;
    ///
    /// let icp = Icp::builder("core").points("software", Condition::industry_in(["software"]), 1).build()?;
    /// let batch: AccountBatch = (0..1_000)
    ///     .map(|i| Ok(Account { industry: Some(if i % 4 == 0 { "software" } else { "retail" }.into()), ..Account::new(AccountId::new(format!("a{i}"))?) }))
    ///     .collect::<Result<Vec<Account>, revops::Error>>()?
    ///     .iter()
    ///     .collect();
    /// let mut per_tier = vec![0u64; icp.tiers().len()];
    /// icp.score_batch_with(&batch, |fit| {
    ///     if let Some(n) = fit.tier.and_then(|t| per_tier.get_mut(t)) {
    ///         *n += 1;
    ///     }
    /// })?;
    /// assert_eq!(per_tier, [250, 0, 0, 750]);
    /// # Ok::<(), revops::Error>(())
    /// ```
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
            return Err(ErrorKind::InvalidValue { field: "icp name", value: name, reason: "must not be empty" }.into());
        }
        if criteria.len() > CriteriaSet::CAPACITY {
            return Err(
                ErrorKind::TooMany { what: "icp criteria", count: criteria.len(), max: CriteriaSet::CAPACITY }.into()
            );
        }
        let mut names = BTreeSet::new();
        for c in &criteria {
            c.validate()?;
            if !names.insert(c.name.as_str()) {
                return Err(ErrorKind::DuplicateKey { kind: "icp criterion", key: c.name.clone() }.into());
            }
        }
        if !criteria.iter().any(|c| matches!(c.effect, Effect::Points(_))) {
            return Err(ErrorKind::IcpWithoutPoints { icp: name }.into());
        }
        let plan = Plan::compile(&criteria);
        Ok(Icp { name, criteria, tiers, unknown, plan })
    }
}

/// Builder for [`Icp`]; see [`Icp::builder`].
///
/// # Example
///
/// ```
/// use revops::facts::Account;
/// use revops::icp::{Condition, Icp};
/// use revops::AccountId;
/// use revops::icp::{Criterion, Effect, Tiers, UnknownPolicy};
///
/// let icp = Icp::builder("mid-market")
///     .points("software", Condition::industry_in(["software"]), 40)
///     .criterion(Criterion::new("size", Condition::employees(200..=5_000), Effect::Points(60)))
///     .must_have("home_market", Condition::region_in(["europe"]))
///     .disqualifier("public_sector", Condition::industry_in(["government"]))
///     .tiers(Tiers::sixsense())
///     .unknown(UnknownPolicy::Excluded)
///     .build()?;
/// assert_eq!((icp.criteria().len(), icp.total_points()), (4, 100));
/// # Ok::<(), revops::Error>(())
/// ```
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
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::{Condition, Icp};
    /// use revops::icp::{Criterion, Effect};
    ///
    /// let icp = Icp::builder("core")
    ///     .criterion(Criterion::new("software", Condition::industry_in(["software"]), Effect::Points(5)))
    ///     .build()?;
    /// assert_eq!(icp.total_points(), 5);
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn criterion(mut self, criterion: Criterion) -> IcpBuilder {
        self.criteria.push(criterion);
        self
    }

    /// Adds a weighted criterion worth `points` (1 to 1,000,000) when matched.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::{Condition, Icp};
    ///
    /// let icp = Icp::builder("core").points("software", Condition::industry_in(["software"]), 5).build()?;
    /// assert_eq!(icp.total_points(), 5);
    /// assert!(Icp::builder("core").points("software", Condition::industry_in(["software"]), 0).build().is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn points(self, name: impl Into<String>, condition: Condition, points: i64) -> IcpBuilder {
        self.criterion(Criterion::new(name, condition, Effect::Points(points)))
    }

    /// Adds a must-have criterion.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::Account;
    /// use revops::icp::{Condition, Icp};
    /// use revops::AccountId;
    ///
    /// let icp = Icp::builder("core")
    ///     .points("software", Condition::industry_in(["software"]), 1)
    ///     .must_have("europe", Condition::region_in(["europe"]))
    ///     .build()?;
    /// let us = Account { industry: Some("software".into()), region: Some("north_america".into()), ..Account::new(AccountId::new("acme")?) };
    /// assert!(!icp.score(&us)?.is_qualified());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn must_have(self, name: impl Into<String>, condition: Condition) -> IcpBuilder {
        self.criterion(Criterion::new(name, condition, Effect::MustHave))
    }

    /// Adds a disqualifier (negative ICP).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::Account;
    /// use revops::icp::{Condition, Icp};
    /// use revops::AccountId;
    ///
    /// let icp = Icp::builder("core")
    ///     .points("software", Condition::industry_in(["software", "government"]), 1)
    ///     .disqualifier("public_sector", Condition::industry_in(["government"]))
    ///     .build()?;
    /// let agency = Account { industry: Some("government".into()), ..Account::new(AccountId::new("agency")?) };
    /// let fit = icp.score(&agency)?;
    /// assert_eq!((fit.points, fit.disqualified_by), (1, Some(1))); // points shown, score forced to 0
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn disqualifier(self, name: impl Into<String>, condition: Condition) -> IcpBuilder {
        self.criterion(Criterion::new(name, condition, Effect::Disqualifier))
    }

    /// Sets the tier thresholds (default [`Tiers::letters`]).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::{Condition, Icp, Tiers};
    ///
    /// let icp = Icp::builder("core").points("software", Condition::industry_in(["software"]), 1).tiers(Tiers::madkudu()).build()?;
    /// assert_eq!(icp.tiers().name(0), Some("very_good"));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn tiers(mut self, tiers: Tiers) -> IcpBuilder {
        self.tiers = tiers;
        self
    }

    /// Sets how unknown facts count (default [`UnknownPolicy::CountsAsMiss`]).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::{Condition, Icp, UnknownPolicy};
    ///
    /// let icp = Icp::builder("core")
    ///     .points("software", Condition::industry_in(["software"]), 1)
    ///     .unknown(UnknownPolicy::Excluded)
    ///     .build()?;
    /// assert_eq!(icp.unknown_policy(), UnknownPolicy::Excluded);
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn unknown(mut self, policy: UnknownPolicy) -> IcpBuilder {
        self.unknown = policy;
        self
    }

    /// Validates and compiles the profile.
    ///
    /// # Errors
    /// - [`ErrorKind::InvalidValue`] if the name is empty;
    /// - [`ErrorKind::TooMany`] past 64 criteria;
    /// - any error of [`Criterion::validate`];
    /// - [`ErrorKind::DuplicateKey`] if two criteria share a name;
    /// - [`ErrorKind::IcpWithoutPoints`] if no criterion is weighted.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::{Condition, Icp};
    ///
    /// let twice = Icp::builder("core")
    ///     .points("software", Condition::industry_in(["software"]), 1)
    ///     .points("software", Condition::industry_in(["fintech"]), 1)
    ///     .build();
    /// let err = twice.err().map(|e| e.to_string());
    /// assert_eq!(err.as_deref(), Some("duplicate icp criterion `software`"));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn build(self) -> Result<Icp, Error> {
        Icp::new(self.name, self.criteria, self.tiers, self.unknown)
    }
}

/// Wire shape of [`Icp`]: the format documented on [`Icp`] ("Wire format"), which is stable.
/// Changing a key, a default or a spelling here is a breaking change of the crate.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct IcpRepr {
    /// The profile's name.
    name: String,
    /// The criteria, in definition order.
    criteria: Vec<Criterion>,
    /// The tiers, best first, by the lowest 0-100 score in each.
    #[serde(default)]
    tiers: Tiers,
    /// What an unknown fact counts as.
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
