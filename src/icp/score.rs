//! [`FitScore`]: the result of scoring an account, with the criteria behind it.

use core::fmt;

use rust_decimal::Decimal;

use super::criterion::Effect;
use super::profile::Icp;
use crate::{Error, ErrorKind};

/// A set of criteria of one ICP, by position in [`Icp::criteria`] (at most 64). `Copy`, so
/// every score carries its explanation at the cost of a few machine words.
///
/// # Example
///
/// ```
/// use revops::icp::CriteriaSet;
///
/// let set = CriteriaSet::from_indices([3, 0])?;
/// assert_eq!(set.iter().collect::<Vec<_>>(), vec![0, 3]);
/// assert!(set.contains(3) && !set.contains(1));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "Vec<usize>", into = "Vec<usize>")
)]
pub struct CriteriaSet(u64);

impl CriteriaSet {
    /// The empty set.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::CriteriaSet;
    ///
    /// assert!(CriteriaSet::EMPTY.is_empty());
    /// ```
    pub const EMPTY: CriteriaSet = CriteriaSet(0);
    /// Largest number of criteria an ICP may have.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::CriteriaSet;
    ///
    /// assert!(CriteriaSet::from_indices([CriteriaSet::CAPACITY - 1]).is_ok());
    /// assert!(CriteriaSet::from_indices([CriteriaSet::CAPACITY]).is_err());
    /// ```
    pub const CAPACITY: usize = 64;

    pub(super) const fn from_bits(bits: u64) -> CriteriaSet {
        CriteriaSet(bits)
    }

    /// The set of `indices`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] if an index is 64 or more.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::CriteriaSet;
    ///
    /// let set = CriteriaSet::from_indices([5, 1, 5])?;
    /// assert_eq!(set.iter().collect::<Vec<_>>(), [1, 5]);
    /// let err = CriteriaSet::from_indices([64]).err().map(|e| e.to_string());
    /// assert_eq!(err.as_deref(), Some("invalid criterion index \"64\": must be below 64"));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn from_indices(indices: impl IntoIterator<Item = usize>) -> Result<CriteriaSet, Error> {
        let mut bits = 0u64;
        for i in indices {
            if i >= Self::CAPACITY {
                return Err(ErrorKind::InvalidValue {
                    field: "criterion index",
                    value: i.to_string(),
                    reason: "must be below 64",
                }
                .into());
            }
            bits |= 1 << i;
        }
        Ok(CriteriaSet(bits))
    }

    /// Whether criterion `index` is in the set.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::CriteriaSet;
    ///
    /// let set = CriteriaSet::from_indices([2])?;
    /// assert!(set.contains(2) && !set.contains(3) && !set.contains(1_000));
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub const fn contains(self, index: usize) -> bool {
        index < Self::CAPACITY && self.0 & (1 << index) != 0
    }

    /// Number of criteria in the set.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::CriteriaSet;
    ///
    /// assert_eq!(CriteriaSet::from_indices([0, 7, 63])?.len(), 3);
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub const fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether the set is empty.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::CriteriaSet;
    ///
    /// assert!(CriteriaSet::default().is_empty() && !CriteriaSet::from_indices([0])?.is_empty());
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The indices, ascending.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::CriteriaSet;
    ///
    /// assert_eq!(CriteriaSet::from_indices([9, 3])?.iter().collect::<Vec<_>>(), [3, 9]);
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn iter(self) -> impl Iterator<Item = usize> {
        let mut bits = self.0;
        core::iter::from_fn(move || {
            if bits == 0 {
                return None;
            }
            let i = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            Some(i)
        })
    }
}

impl TryFrom<Vec<usize>> for CriteriaSet {
    type Error = Error;
    fn try_from(indices: Vec<usize>) -> Result<CriteriaSet, Error> {
        CriteriaSet::from_indices(indices)
    }
}

impl From<CriteriaSet> for Vec<usize> {
    fn from(set: CriteriaSet) -> Vec<usize> {
        set.iter().collect()
    }
}

/// The fit of one account against one ICP: points, normalised score, tier and the criteria
/// behind them.
///
/// Definitions (our rules):
/// - `points` = sum of the points of matched weighted criteria;
/// - `max_points` = sum of the points of every weighted criterion, minus those whose outcome
///   is unknown when the ICP's [`UnknownPolicy`](super::UnknownPolicy) is `Excluded`;
/// - `score` = `100 * points / max_points`, truncated (rounded toward zero) to two decimals,
///   so `score >= t` exactly when the unrounded ratio is `>= t` for any threshold `t` with at
///   most two decimals; `0` when `max_points` is 0 (no evidence);
/// - a fired disqualifier or a missed must-have forces `score` to 0 (the lowest tier) whatever
///   the points; the points are still reported;
/// - `tier` = index in [`Icp::tiers`] (0 = best) of the first tier whose inclusive lower bound
///   the score reaches.
///
/// On deserialize (a stored score) it is checked for internal consistency: the outcome sets
/// are disjoint, a must-have missed is missed or unknown, the disqualifier matched, and
/// `score` is the one `points` and `max_points` give. Whether it fits a given ICP (its tier
/// and criteria) is checked where it is used with that ICP.
///
/// # Example
///
/// ```
/// use revops::facts::Account;
/// use revops::icp::{Condition, Icp};
/// use revops::AccountId;
///
/// let icp = Icp::builder("saas")
///     .points("software", Condition::industry_in(["software"]), 60)
///     .points("size", Condition::employees(200..=5_000), 40)
///     .disqualifier("public_sector", Condition::industry_in(["government"]))
///     .build()?;
/// let acme = Account { industry: Some("software".into()), employees: Some(50), ..Account::new(AccountId::new("acme")?) };
/// let fit = icp.score(&acme)?;
/// assert_eq!((fit.points, fit.max_points, fit.score.to_string().as_str()), (60, 100, "60.00"));
/// assert_eq!(icp.tiers().name(fit.tier), Some("B"));
/// assert_eq!(fit.matched.iter().collect::<Vec<_>>(), [0]);
/// assert_eq!(fit.missed.iter().collect::<Vec<_>>(), [1, 2]); // a disqualifier that did not fire is missed
/// assert_eq!(fit.disqualified_by, None);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "wire::FitScoreRepr", into = "wire::FitScoreRepr")
)]
#[non_exhaustive]
pub struct FitScore {
    /// Points of the matched weighted criteria.
    pub points: u64,
    /// Points attainable (see the type's documentation).
    pub max_points: u64,
    /// Normalised score, 0 to 100 with two decimals.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    pub score: Decimal,
    /// Tier index in [`Icp::tiers`], 0 = best; `None` when the score is below the lowest
    /// tier of a scheme that leaves such scores ungraded ([`Tiers`](crate::icp::Tiers)).
    pub tier: Option<usize>,
    /// Criteria that matched.
    pub matched: CriteriaSet,
    /// Criteria that did not match.
    pub missed: CriteriaSet,
    /// Criteria whose facts are unknown for this account.
    pub unknown: CriteriaSet,
    /// Must-haves missed (including unknown ones when unknown counts as a miss).
    pub must_haves_missed: CriteriaSet,
    /// The disqualifier that fired: the first matched one in definition order.
    pub disqualified_by: Option<usize>,
}

impl FitScore {
    /// Whether the account qualifies at all: no disqualifier fired and no must-have was missed.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::Account;
    /// use revops::icp::{Condition, Icp};
    /// use revops::AccountId;
    ///
    /// let icp = Icp::builder("saas")
    ///     .points("software", Condition::industry_in(["software"]), 60)
    ///     .points("size", Condition::employees(200..=5_000), 40)
    ///     .disqualifier("public_sector", Condition::industry_in(["government"]))
    ///     .build()?;
    /// let acme = Account { industry: Some("software".into()), employees: Some(50), ..Account::new(AccountId::new("acme")?) };
    /// let fit = icp.score(&acme)?;
    /// assert!(fit.is_qualified());
    /// let agency = Account { industry: Some("government".into()), ..acme };
    /// assert!(!icp.score(&agency)?.is_qualified());
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub const fn is_qualified(&self) -> bool {
        self.disqualified_by.is_none() && self.must_haves_missed.is_empty()
    }

    /// The score in words, criterion by criterion, with names from `icp` (the profile that
    /// produced it). Opt-in: bulk scoring never builds this.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::Account;
    /// use revops::icp::{Condition, Icp};
    /// use revops::AccountId;
    ///
    /// let icp = Icp::builder("saas")
    ///     .points("software", Condition::industry_in(["software"]), 60)
    ///     .points("size", Condition::employees(200..=5_000), 40)
    ///     .disqualifier("public_sector", Condition::industry_in(["government"]))
    ///     .build()?;
    /// let acme = Account { industry: Some("software".into()), employees: Some(50), ..Account::new(AccountId::new("acme")?) };
    /// let fit = icp.score(&acme)?;
    /// let why = fit.explain(&icp);
    /// assert_eq!(why.tier.as_deref(), Some("B"));
    /// let lines: Vec<(&str, u64)> = why.criteria.iter().map(|c| (c.criterion.as_str(), c.points)).collect();
    /// assert_eq!(lines, [("software", 60), ("size", 0), ("public_sector", 0)]);
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn explain(&self, icp: &Icp) -> Explanation {
        let criteria = icp
            .criteria()
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let outcome = if self.matched.contains(i) {
                    Outcome::Matched
                } else if self.unknown.contains(i) {
                    Outcome::Unknown
                } else {
                    Outcome::Missed
                };
                let points = match (c.effect, outcome) {
                    (Effect::Points(p), Outcome::Matched) => u64::try_from(p).unwrap_or(0),
                    _ => 0,
                };
                CriterionResult { criterion: c.name.clone(), effect: c.effect, outcome, points }
            })
            .collect();
        Explanation {
            icp: icp.name().to_owned(),
            points: self.points,
            max_points: self.max_points,
            score: self.score,
            tier: icp.tiers().name(self.tier).map(str::to_owned),
            disqualified_by: self.disqualified_by.and_then(|i| icp.criteria().get(i)).map(|c| c.name.clone()),
            criteria,
        }
    }
}

/// How one criterion came out for one account.
///
/// # Example
///
/// ```
/// use revops::facts::Account;
/// use revops::icp::{Condition, Icp};
/// use revops::AccountId;
///
/// let icp = Icp::builder("saas")
///     .points("software", Condition::industry_in(["software"]), 60)
///     .points("size", Condition::employees(200..=5_000), 40)
///     .disqualifier("public_sector", Condition::industry_in(["government"]))
///     .build()?;
/// let acme = Account { industry: Some("software".into()), employees: Some(50), ..Account::new(AccountId::new("acme")?) };
/// let fit = icp.score(&acme)?;
/// use revops::icp::Outcome;
///
/// let outcomes: Vec<Outcome> = fit.explain(&icp).criteria.iter().map(|c| c.outcome).collect();
/// assert_eq!(outcomes, [Outcome::Matched, Outcome::Missed, Outcome::Missed]);
/// let unknown = icp.score(&Account::new(AccountId::new("new")?))?;
/// assert_eq!(unknown.explain(&icp).criteria[0].outcome, Outcome::Unknown);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum Outcome {
    /// The account meets the condition.
    Matched,
    /// The account does not meet it.
    Missed,
    /// The facts the condition reads are missing.
    Unknown,
}

/// One line of an [`Explanation`].
///
/// # Example
///
/// ```
/// use revops::facts::Account;
/// use revops::icp::{Condition, Icp};
/// use revops::AccountId;
///
/// let icp = Icp::builder("saas")
///     .points("software", Condition::industry_in(["software"]), 60)
///     .points("size", Condition::employees(200..=5_000), 40)
///     .disqualifier("public_sector", Condition::industry_in(["government"]))
///     .build()?;
/// let acme = Account { industry: Some("software".into()), employees: Some(50), ..Account::new(AccountId::new("acme")?) };
/// let fit = icp.score(&acme)?;
/// use revops::icp::{Effect, Outcome};
///
/// let first = &fit.explain(&icp).criteria[0];
/// assert_eq!((first.criterion.as_str(), first.effect, first.outcome, first.points), ("software", Effect::Points(60), Outcome::Matched, 60));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CriterionResult {
    /// The criterion's name.
    pub criterion: String,
    /// Its effect.
    pub effect: Effect,
    /// How it came out.
    pub outcome: Outcome,
    /// Points it earned.
    pub points: u64,
}

/// A [`FitScore`] in words: every criterion with its outcome, in definition order.
///
/// # Example
///
/// ```
/// use revops::facts::Account;
/// use revops::icp::{Condition, Icp, Outcome};
/// use revops::AccountId;
///
/// let icp = Icp::builder("saas")
///     .points("software", Condition::industry_in(["software"]), 60)
///     .points("sweet_spot", Condition::employees(200..=5_000), 40)
///     .build()?;
/// let fit = icp.score(&Account { industry: Some("software".into()), ..Account::new(AccountId::new("acme")?) })?;
/// let why = fit.explain(&icp);
/// assert_eq!(why.criteria[0].outcome, Outcome::Matched);
/// assert_eq!(why.criteria[1].outcome, Outcome::Unknown);
/// assert_eq!(
///     why.to_string(),
///     "saas: score 60.00 (tier B), 60/100 points\n    60 pts  matched  software\n    40 pts  unknown  sweet_spot"
/// );
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Explanation {
    /// The ICP's name.
    pub icp: String,
    /// Points earned.
    pub points: u64,
    /// Points attainable.
    pub max_points: u64,
    /// Normalised score.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    pub score: Decimal,
    /// Tier name; `None` for an ungraded score.
    pub tier: Option<String>,
    /// The disqualifier that fired, if any.
    pub disqualified_by: Option<String>,
    /// Every criterion, in definition order.
    pub criteria: Vec<CriterionResult>,
}

impl fmt::Display for Explanation {
    /// `icp: score 72.50 (tier B), 58/80 points` (`(ungraded)` below the lowest tier of a
    /// scheme that leaves such scores ungraded) then one line per criterion.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: score {} ", self.icp, self.score)?;
        match &self.tier {
            Some(tier) => write!(f, "(tier {tier})")?,
            None => f.write_str("(ungraded)")?,
        }
        write!(f, ", {}/{} points", self.points, self.max_points)?;
        if let Some(d) = &self.disqualified_by {
            write!(f, ", disqualified by {d}")?;
        }
        for c in &self.criteria {
            let effect = match c.effect {
                Effect::Points(p) => format!("{p:>4} pts"),
                Effect::MustHave => "must-have".to_owned(),
                Effect::Disqualifier => "disqualif".to_owned(),
            };
            let outcome = match c.outcome {
                Outcome::Matched => "matched",
                Outcome::Missed => "missed",
                Outcome::Unknown => "unknown",
            };
            write!(f, "\n  {effect}  {:<8} {}", outcome, c.criterion)?;
        }
        Ok(())
    }
}

#[cfg(feature = "serde")]
mod wire {
    use rust_decimal::Decimal;

    use super::{CriteriaSet, FitScore};
    use crate::{Error, ErrorKind};

    /// Wire shape of [`FitScore`]: the same fields.
    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct FitScoreRepr {
        points: u64,
        max_points: u64,
        #[serde(with = "crate::money::exact::str")]
        score: Decimal,
        tier: Option<usize>,
        matched: CriteriaSet,
        missed: CriteriaSet,
        unknown: CriteriaSet,
        must_haves_missed: CriteriaSet,
        disqualified_by: Option<usize>,
    }

    impl From<FitScore> for FitScoreRepr {
        fn from(f: FitScore) -> FitScoreRepr {
            FitScoreRepr {
                points: f.points,
                max_points: f.max_points,
                score: f.score,
                tier: f.tier,
                matched: f.matched,
                missed: f.missed,
                unknown: f.unknown,
                must_haves_missed: f.must_haves_missed,
                disqualified_by: f.disqualified_by,
            }
        }
    }

    impl TryFrom<FitScoreRepr> for FitScore {
        type Error = Error;

        fn try_from(r: FitScoreRepr) -> Result<FitScore, Error> {
            let invalid =
                |value: String, reason| Err(ErrorKind::InvalidValue { field: "fit score", value, reason }.into());
            let bits = |s: CriteriaSet| s.iter().fold(0u64, |b, i| b | (1 << i));
            let (matched, missed, unknown) = (bits(r.matched), bits(r.missed), bits(r.unknown));
            if matched & missed != 0 || matched & unknown != 0 || missed & unknown != 0 {
                return invalid(format!("{:?}", r.matched), "a criterion is in two of matched, missed and unknown");
            }
            if bits(r.must_haves_missed) & !(missed | unknown) != 0 {
                return invalid(
                    format!("{:?}", r.must_haves_missed),
                    "a must-have missed is neither missed nor unknown",
                );
            }
            if let Some(d) = r.disqualified_by
                && !r.matched.contains(d)
            {
                return invalid(d.to_string(), "the disqualifier did not match");
            }
            if r.points > r.max_points {
                return invalid(r.points.to_string(), "more points than max_points");
            }
            let qualified = r.disqualified_by.is_none() && r.must_haves_missed.is_empty();
            // As `Icp::score` computes it: hundredths of a percent, rounded down.
            let hundredths = match r.points.checked_mul(10_000) {
                _ if !qualified || r.max_points == 0 => Some(0),
                Some(p) => Some(p / r.max_points),
                None => None,
            };
            let expected = hundredths.and_then(|h| i64::try_from(h).ok()).map(|h| Decimal::new(h, 2));
            if expected != Some(r.score) {
                return invalid(r.score.to_string(), "not the score that points and max_points give");
            }
            Ok(FitScore {
                points: r.points,
                max_points: r.max_points,
                score: r.score,
                tier: r.tier,
                matched: r.matched,
                missed: r.missed,
                unknown: r.unknown,
                must_haves_missed: r.must_haves_missed,
                disqualified_by: r.disqualified_by,
            })
        }
    }
}

#[cfg(test)]
mod tests;
