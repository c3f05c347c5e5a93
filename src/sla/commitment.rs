//! Marketing's commitments, evaluated per period: [`VolumeTally`] and [`QualityTally`].

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::policy::{QualityCommitment, VolumeAmount, VolumeCommitment, VolumeMeasure};
use crate::{Error, Money, Period, Probability, Ratio, SegmentId, Tally};

/// One delivery marketing made: an MQL, an SQL or pipeline created, at an instant, optionally
/// in a segment or tier.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct VolumeFact {
    /// When it was delivered.
    pub at: DateTime<Utc>,
    /// What it is.
    pub measure: VolumeMeasure,
    /// The pipeline amount (for [`VolumeMeasure::Pipeline`]).
    pub amount: Option<Money>,
    /// The segment or tier, if known.
    pub segment: Option<SegmentId>,
}

impl VolumeFact {
    /// An MQL delivered at `at`.
    #[must_use]
    pub const fn mql(at: DateTime<Utc>) -> VolumeFact {
        VolumeFact { at, measure: VolumeMeasure::Mqls, amount: None, segment: None }
    }

    /// An SQL delivered at `at`.
    #[must_use]
    pub const fn sql(at: DateTime<Utc>) -> VolumeFact {
        VolumeFact { at, measure: VolumeMeasure::Sqls, amount: None, segment: None }
    }

    /// Pipeline of `amount` created at `at`.
    #[must_use]
    pub const fn pipeline(at: DateTime<Utc>, amount: Money) -> VolumeFact {
        VolumeFact { at, measure: VolumeMeasure::Pipeline, amount: Some(amount), segment: None }
    }

    /// In `segment`.
    #[must_use]
    pub fn in_segment(mut self, segment: SegmentId) -> VolumeFact {
        self.segment = Some(segment);
        self
    }
}

/// Whether a commitment was met, and by how much it fell short.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct VolumeResult {
    /// The commitment's name.
    pub name: String,
    /// The period.
    pub period: Period,
    /// What was delivered.
    pub actual: VolumeAmount,
    /// What was promised.
    pub minimum: VolumeAmount,
    /// Whether `actual >= minimum`.
    pub met: bool,
    /// The shortfall (`minimum - actual`), zero when met.
    pub gap: VolumeAmount,
}

/// Evaluates a [`VolumeCommitment`] over one period: an accumulator of [`VolumeFact`]s. Facts
/// outside the period, of another measure, or (for a segment commitment) of another segment
/// are ignored, by definition of the commitment.
///
/// Implements [`Tally`]; merging tallies of another commitment or period is
/// [`Error::DefinitionMismatch`]. With the `serde` feature the partial state serializes and
/// deserializing checks it (the amount of the minimum's kind and currency, never negative).
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::sla::{VolumeAmount, VolumeCommitment, VolumeFact, VolumeMeasure, VolumeTally};
/// use revops::Period;
///
/// let june = Period::new(
///     Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).unwrap(),
///     Utc.with_ymd_and_hms(2024, 7, 1, 0, 0, 0).unwrap(),
/// )?;
/// let commitment = VolumeCommitment::new("mqls", VolumeMeasure::Mqls, VolumeAmount::Count(3))?;
/// let mut tally = VolumeTally::new(&commitment, june);
/// tally.push(&VolumeFact::mql(Utc.with_ymd_and_hms(2024, 6, 3, 0, 0, 0).unwrap()))?;
/// tally.push(&VolumeFact::mql(Utc.with_ymd_and_hms(2024, 7, 3, 0, 0, 0).unwrap()))?; // July
/// let result = tally.finish();
/// assert!(!result.met);
/// assert_eq!(result.gap, VolumeAmount::Count(2));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "wire::VolumeTallyRepr", deny_unknown_fields)
)]
pub struct VolumeTally {
    commitment: VolumeCommitment,
    period: Period,
    actual: VolumeAmount,
}

impl VolumeTally {
    /// An empty tally of `commitment` over `period`.
    #[must_use]
    pub fn new(commitment: &VolumeCommitment, period: Period) -> VolumeTally {
        let actual = match commitment.minimum() {
            VolumeAmount::Count(_) => VolumeAmount::Count(0),
            VolumeAmount::Amount(m) => VolumeAmount::Amount(Money::zero(m.currency())),
        };
        VolumeTally { commitment: commitment.clone(), period, actual }
    }

    /// Adds one fact.
    ///
    /// # Errors
    /// [`Error::InvalidSla`] if a pipeline fact has no amount or a negative one (as the
    /// minimum, pipeline created is never negative); [`Error::CurrencyMismatch`] if its
    /// currency differs from the commitment's; [`Error::Overflow`].
    pub fn push(&mut self, fact: &VolumeFact) -> Result<(), Error> {
        if fact.measure != self.commitment.measure()
            || !self.period.contains(fact.at)
            || self.commitment.segment().is_some_and(|s| fact.segment.as_ref() != Some(s))
        {
            return Ok(());
        }
        self.actual = match (self.actual, fact.amount) {
            (VolumeAmount::Count(n), _) => {
                VolumeAmount::Count(n.checked_add(1).ok_or(Error::Overflow { op: "volume count" })?)
            }
            (VolumeAmount::Amount(_), Some(amount)) if amount.is_negative() => {
                return Err(Error::InvalidSla {
                    field: "pipeline fact",
                    value: amount.to_string(),
                    reason: "must not be negative",
                });
            }
            (VolumeAmount::Amount(total), Some(amount)) => VolumeAmount::Amount(total.checked_add(amount)?),
            (VolumeAmount::Amount(_), None) => {
                return Err(Error::InvalidSla {
                    field: "pipeline fact",
                    value: fact.at.to_rfc3339(),
                    reason: "a pipeline fact needs an amount",
                });
            }
        };
        Ok(())
    }

    /// Adds everything `other` holds (a tally of the same commitment and period).
    ///
    /// # Errors
    /// [`Error::DefinitionMismatch`] if `other` is for another commitment or period;
    /// [`Error::Overflow`].
    pub fn merge(&mut self, other: VolumeTally) -> Result<(), Error> {
        let VolumeTally { commitment, period, actual } = other;
        if commitment != self.commitment {
            return Err(Error::DefinitionMismatch { tally: "volume", field: "commitment" });
        }
        if period != self.period {
            return Err(Error::DefinitionMismatch { tally: "volume", field: "period" });
        }
        self.actual = match (self.actual, actual) {
            (VolumeAmount::Count(a), VolumeAmount::Count(b)) => {
                VolumeAmount::Count(a.checked_add(b).ok_or(Error::Overflow { op: "volume count" })?)
            }
            (VolumeAmount::Amount(a), VolumeAmount::Amount(b)) => VolumeAmount::Amount(a.checked_add(b)?),
            (mine, _) => mine,
        };
        Ok(())
    }

    /// Met or missed, with the gap.
    #[must_use]
    pub fn finish(self) -> VolumeResult {
        let minimum = self.commitment.minimum();
        let (met, gap) = match (self.actual, minimum) {
            (VolumeAmount::Count(a), VolumeAmount::Count(m)) => (a >= m, VolumeAmount::Count(m.saturating_sub(a))),
            (VolumeAmount::Amount(a), VolumeAmount::Amount(m)) => {
                // Both are non-negative (the minimum is checked at construction, facts at
                // push), so the difference cannot overflow.
                let short = m.amount() - a.amount();
                let gap = if short > Decimal::ZERO { short } else { Decimal::ZERO };
                (short <= Decimal::ZERO, VolumeAmount::Amount(Money::new(gap, m.currency())))
            }
            (actual, _) => (false, actual),
        };
        VolumeResult {
            name: self.commitment.name().to_owned(),
            period: self.period,
            actual: self.actual,
            minimum,
            met,
            gap,
        }
    }
}

/// How sales dispositioned a handed-over lead.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Disposition {
    /// Accepted (became a sales accepted lead).
    Accepted,
    /// Rejected out of the funnel, with a reason (e.g. `bad_fit`).
    Rejected {
        /// Why.
        reason: String,
    },
    /// Sent back to marketing nurture, with a reason (e.g. `bad_timing`).
    Recycled {
        /// Why.
        reason: String,
    },
}

/// One MQL, as the quality commitment sees it. `meets_rules` comes from the caller (for
/// example from the funnel's qualification rules).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct QualityFact {
    /// Whether the MQL met the qualification rules when handed over.
    pub meets_rules: bool,
    /// How sales dispositioned it, if it has.
    pub disposition: Option<Disposition>,
    /// Whether it became an SQL.
    pub became_sql: bool,
}

impl QualityFact {
    /// One MQL.
    #[must_use]
    pub const fn new(meets_rules: bool, disposition: Option<Disposition>, became_sql: bool) -> QualityFact {
        QualityFact { meets_rules, disposition, became_sql }
    }
}

/// Which quality figure a check is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum QualityMetric {
    /// MQLs meeting the qualification rules over MQLs.
    MeetingRules,
    /// Accepted over dispositioned (accepted, rejected or recycled).
    Acceptance,
    /// MQLs that became SQLs over MQLs.
    MqlToSql,
}

/// One minimum of a quality commitment, checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct QualityCheck {
    /// Which figure.
    pub metric: QualityMetric,
    /// Its value with parts.
    pub actual: Ratio,
    /// The promised minimum.
    pub minimum: Probability,
    /// Whether it was met; `None` when the figure is undefined (zero denominator).
    pub met: Option<bool>,
    /// Shortfall in percentage points (`minimum - actual`, zero when met); `None` when undefined.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str_option"))]
    pub gap_points: Option<Decimal>,
}

/// The quality figures of a period and the checks of the commitment.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct QualityResult {
    /// The commitment's name.
    pub name: String,
    /// MQLs counted.
    pub mqls: u64,
    /// MQLs meeting the rules over MQLs.
    pub meeting_rules: Ratio,
    /// Accepted over dispositioned.
    pub acceptance: Ratio,
    /// Became SQL over MQLs.
    pub mql_to_sql: Ratio,
    /// Rejections and recycles by reason, in reason order.
    pub reasons: BTreeMap<String, u64>,
    /// One check per minimum the commitment sets, in [`QualityMetric`] order.
    pub checks: Vec<QualityCheck>,
}

/// Evaluates a [`QualityCommitment`]: an accumulator of [`QualityFact`]s (one per MQL of the
/// period; the caller picks the MQLs).
///
/// Implements [`Tally`]; merging tallies of another commitment is
/// [`Error::DefinitionMismatch`]. With the `serde` feature the partial state serializes and
/// deserializing checks that the counts agree (none above the MQLs, accepted within the
/// dispositioned, the reasons summing to the rejected and recycled ones).
///
/// # Example
///
/// ```
/// use revops::Probability;
/// use revops::sla::{Disposition, QualityCommitment, QualityFact, QualityTally};
/// use rust_decimal_macros::dec;
///
/// let commitment = QualityCommitment::new("quality")?.min_acceptance(Probability::from_percent(dec!(70))?);
/// let mut tally = QualityTally::new(&commitment);
/// tally.push(&QualityFact::new(true, Some(Disposition::Accepted), true))?;
/// tally.push(&QualityFact::new(false, Some(Disposition::Rejected { reason: "bad_fit".into() }), false))?;
/// let result = tally.finish();
/// assert_eq!(result.acceptance.to_string(), "1/2 (50.0%)");
/// assert_eq!(result.checks[0].met, Some(false));
/// assert_eq!(result.checks[0].gap_points, Some(dec!(20)));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "wire::QualityTallyRepr", deny_unknown_fields)
)]
pub struct QualityTally {
    commitment: QualityCommitment,
    mqls: u64,
    meeting_rules: u64,
    accepted: u64,
    dispositioned: u64,
    sqls: u64,
    reasons: BTreeMap<String, u64>,
}

impl QualityTally {
    /// An empty tally.
    #[must_use]
    pub fn new(commitment: &QualityCommitment) -> QualityTally {
        QualityTally {
            commitment: commitment.clone(),
            mqls: 0,
            meeting_rules: 0,
            accepted: 0,
            dispositioned: 0,
            sqls: 0,
            reasons: BTreeMap::new(),
        }
    }

    /// Adds one MQL.
    ///
    /// # Errors
    /// [`Error::Overflow`] if the MQL count leaves `u64` (every other count is at most it).
    pub fn push(&mut self, fact: &QualityFact) -> Result<(), Error> {
        self.mqls = self.mqls.checked_add(1).ok_or(Error::Overflow { op: "quality count" })?;
        self.meeting_rules += u64::from(fact.meets_rules);
        self.sqls += u64::from(fact.became_sql);
        match &fact.disposition {
            None => {}
            Some(Disposition::Accepted) => {
                self.accepted += 1;
                self.dispositioned += 1;
            }
            Some(Disposition::Rejected { reason } | Disposition::Recycled { reason }) => {
                self.dispositioned += 1;
                *self.reasons.entry(reason.clone()).or_default() += 1;
            }
        }
        Ok(())
    }

    /// Adds everything `other` holds.
    ///
    /// # Errors
    /// [`Error::DefinitionMismatch`] if `other` is for another commitment; [`Error::Overflow`]
    /// if the MQL count leaves `u64`.
    pub fn merge(&mut self, other: QualityTally) -> Result<(), Error> {
        if other.commitment != self.commitment {
            return Err(Error::DefinitionMismatch { tally: "quality", field: "commitment" });
        }
        // Every count is at most the MQLs (checked on deserialize), so once their sum fits
        // every other sum does.
        self.mqls = self.mqls.checked_add(other.mqls).ok_or(Error::Overflow { op: "quality count" })?;
        self.meeting_rules += other.meeting_rules;
        self.accepted += other.accepted;
        self.dispositioned += other.dispositioned;
        self.sqls += other.sqls;
        for (reason, n) in other.reasons {
            *self.reasons.entry(reason).or_default() += n;
        }
        Ok(())
    }

    /// The figures and checks.
    #[must_use]
    pub fn finish(self) -> QualityResult {
        let meeting_rules = Ratio::new(self.meeting_rules, self.mqls);
        let acceptance = Ratio::new(self.accepted, self.dispositioned);
        let mql_to_sql = Ratio::new(self.sqls, self.mqls);
        let c = &self.commitment;
        let checks = [
            (QualityMetric::MeetingRules, meeting_rules, c.minimum_meeting_rules()),
            (QualityMetric::Acceptance, acceptance, c.minimum_acceptance()),
            (QualityMetric::MqlToSql, mql_to_sql, c.minimum_mql_to_sql()),
        ]
        .into_iter()
        .filter_map(|(metric, actual, minimum)| {
            let minimum = minimum?;
            let short = actual.percent().map(|p| minimum.percent() - p);
            Some(QualityCheck {
                metric,
                actual,
                minimum,
                met: short.map(|s| s <= Decimal::ZERO),
                gap_points: short.map(|s| if s > Decimal::ZERO { s.normalize() } else { Decimal::ZERO }),
            })
        })
        .collect();
        QualityResult {
            name: self.commitment.name().to_owned(),
            mqls: self.mqls,
            meeting_rules,
            acceptance,
            mql_to_sql,
            reasons: self.reasons,
            checks,
        }
    }
}

impl Tally for VolumeTally {
    type Fact = VolumeFact;
    type Output = VolumeResult;

    fn push(&mut self, fact: &VolumeFact) -> Result<(), Error> {
        VolumeTally::push(self, fact)
    }

    fn merge(&mut self, other: VolumeTally) -> Result<(), Error> {
        VolumeTally::merge(self, other)
    }

    fn finish(self) -> Result<VolumeResult, Error> {
        Ok(VolumeTally::finish(self))
    }
}

impl Tally for QualityTally {
    type Fact = QualityFact;
    type Output = QualityResult;

    fn push(&mut self, fact: &QualityFact) -> Result<(), Error> {
        QualityTally::push(self, fact)
    }

    fn merge(&mut self, other: QualityTally) -> Result<(), Error> {
        QualityTally::merge(self, other)
    }

    fn finish(self) -> Result<QualityResult, Error> {
        Ok(QualityTally::finish(self))
    }
}

/// Wire shapes of the partial states, checked on the way in.
#[cfg(feature = "serde")]
mod wire {
    use std::collections::BTreeMap;

    use super::{QualityCommitment, QualityTally, VolumeAmount, VolumeCommitment, VolumeTally};
    use crate::{Error, Period};

    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct VolumeTallyRepr {
        commitment: VolumeCommitment,
        period: Period,
        actual: VolumeAmount,
    }

    impl TryFrom<VolumeTallyRepr> for VolumeTally {
        type Error = Error;
        fn try_from(r: VolumeTallyRepr) -> Result<VolumeTally, Error> {
            let fits = match (r.actual, r.commitment.minimum()) {
                (VolumeAmount::Count(_), VolumeAmount::Count(_)) => true,
                (VolumeAmount::Amount(a), VolumeAmount::Amount(m)) => {
                    if a.currency() != m.currency() {
                        return Err(Error::CurrencyMismatch { expected: m.currency(), found: a.currency() });
                    }
                    !a.is_negative()
                }
                _ => false,
            };
            if !fits {
                return Err(Error::InvalidSla {
                    field: "volume tally actual",
                    value: format!("{:?}", r.actual),
                    reason: "must be a count or a non-negative amount, like the commitment's minimum",
                });
            }
            Ok(VolumeTally { commitment: r.commitment, period: r.period, actual: r.actual })
        }
    }

    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct QualityTallyRepr {
        commitment: QualityCommitment,
        mqls: u64,
        meeting_rules: u64,
        accepted: u64,
        dispositioned: u64,
        sqls: u64,
        reasons: BTreeMap<String, u64>,
    }

    impl TryFrom<QualityTallyRepr> for QualityTally {
        type Error = Error;
        fn try_from(r: QualityTallyRepr) -> Result<QualityTally, Error> {
            let invalid = |field, value: u64, reason| Error::InvalidSla { field, value: value.to_string(), reason };
            for (field, n) in [
                ("quality meeting rules", r.meeting_rules),
                ("quality dispositioned", r.dispositioned),
                ("quality sqls", r.sqls),
            ] {
                if n > r.mqls {
                    return Err(invalid(field, n, "exceeds the MQLs"));
                }
            }
            if r.accepted > r.dispositioned {
                return Err(invalid("quality accepted", r.accepted, "exceeds the dispositioned MQLs"));
            }
            let reasons = r
                .reasons
                .values()
                .try_fold(0u64, |a, &n| a.checked_add(n))
                .ok_or(Error::Overflow { op: "quality count" })?;
            if reasons != r.dispositioned - r.accepted {
                return Err(invalid("quality reasons", reasons, "differ from the rejected and recycled MQLs"));
            }
            Ok(QualityTally {
                commitment: r.commitment,
                mqls: r.mqls,
                meeting_rules: r.meeting_rules,
                accepted: r.accepted,
                dispositioned: r.dispositioned,
                sqls: r.sqls,
                reasons: r.reasons,
            })
        }
    }
}
