//! Marketing's commitments, evaluated per period: [`VolumeTally`] and
//! [`QualityTally`](quality::QualityTally).

mod quality;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

pub use self::quality::{QualityCheck, QualityFact, QualityMetric, QualityResult, QualityTally};
use super::milestones::LeadMilestones;
use super::policy::{VolumeAmount, VolumeCommitment, VolumeMeasure};
use crate::facts::Deal;
use crate::{Error, ErrorKind, Money, Period, SegmentId, Tally};

/// One delivery marketing made: an MQL, an SQL or pipeline created, at an instant, optionally
/// in a segment or tier. Derived from facts with [`VolumeFact::of_lead`] (a lead's MQL and SQL
/// milestones) and [`VolumeFact::of_deal`] (a deal's amount at its creation).
///
/// A pipeline fact has an amount, an MQL or SQL fact none ([`VolumeFact::check`], run by every
/// push and on deserialize).
///
/// # Example
///
/// ```
/// use revops::sla::{VolumeFact, VolumeMeasure};
/// use revops::{Currency, Money, SegmentId};
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let when = at("2024-06-03T15:00:00Z")?;
/// let mql = VolumeFact::mql(when).in_segment(SegmentId::new("mid_market")?);
/// assert_eq!((mql.measure, mql.amount, mql.segment.as_ref().map(SegmentId::as_str)), (VolumeMeasure::Mqls, None, Some("mid_market")));
/// assert_eq!(VolumeFact::sql(when).measure, VolumeMeasure::Sqls);
/// let pipeline = VolumeFact::pipeline(when, Money::from_minor(4_800_000, Currency::USD));
/// assert_eq!(pipeline.amount.map(|m| m.to_string()).as_deref(), Some("48000.00 USD"));
/// pipeline.check()?;
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(try_from = "wire::VolumeFactRepr"))]
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

    /// The deliveries of a lead, derived from its milestones: an MQL at its MQL instant and an
    /// SQL at its SQL instant, each if it happened (in that order).
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::TimeDelta;
    /// use revops::facts::{Deal, DealStatus, Lead, StageChange};
    /// use revops::sla::{LeadMilestones, MilestoneStages, VolumeFact, VolumeMeasure};
    /// use revops::{Currency, LeadId, Money, OpportunityId, StageId};
    /// # fn instant(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let june = instant("2024-06-01T12:00:00Z")?;
    /// let at = |d: i64| june + TimeDelta::days(d - 1);
    /// let id = LeadId::new("L-3")?;
    /// let (mql, sql) = (StageId::new("mql")?, StageId::new("sql")?);
    /// let stages = MilestoneStages::new(mql.clone(), mql.clone(), sql.clone());
    /// let changes = [
    ///     StageChange { entity: id.clone(), stage: mql, at: at(3) },
    ///     StageChange { entity: id.clone(), stage: sql, at: at(6) },
    /// ];
    /// let lead = LeadMilestones::from_facts(&stages, &Lead::new(id, at(1)), &changes, &[], &[])?;
    /// let delivered: Vec<_> = VolumeFact::of_lead(&lead).iter().map(|f| (f.measure, f.at)).collect();
    /// assert_eq!(delivered, [(VolumeMeasure::Mqls, at(3)), (VolumeMeasure::Sqls, at(6))]);
    ///
    /// let deal = Deal::new(OpportunityId::new("O-3")?, at(9), Money::from_minor(2_500_000, Currency::USD), DealStatus::Won);
    /// assert_eq!(VolumeFact::of_deal(&deal).amount, Some(deal.amount));
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn of_lead(lead: &LeadMilestones) -> Vec<VolumeFact> {
        lead.mql().map(VolumeFact::mql).into_iter().chain(lead.sql().map(VolumeFact::sql)).collect()
    }

    /// The pipeline a deal created: its amount at its creation.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::{Deal, DealStatus};
    /// use revops::sla::{VolumeFact, VolumeMeasure};
    /// use revops::{Currency, Money, OpportunityId, Probability};
    /// use rust_decimal_macros::dec;
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let created = at("2024-06-10T16:00:00Z")?;
    /// let open = DealStatus::Open { probability: Probability::from_percent(20)? };
    /// let deal = Deal::new(OpportunityId::new("O-7")?, created, Money::from_minor(1_200_000, Currency::EUR), open);
    /// let fact = VolumeFact::of_deal(&deal);
    /// assert_eq!((fact.measure, fact.at, fact.amount), (VolumeMeasure::Pipeline, created, Some(deal.amount)));
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub const fn of_deal(deal: &Deal) -> VolumeFact {
        VolumeFact::pipeline(deal.created_at, deal.amount)
    }

    /// In `segment`.
    #[must_use]
    pub fn in_segment(mut self, segment: SegmentId) -> VolumeFact {
        self.segment = Some(segment);
        self
    }

    /// Checks the fact on its own: a pipeline fact has a non-negative amount, an MQL or SQL
    /// fact none (it counts one). Every [`VolumeTally::push`] runs it, whatever the tally
    /// counts, so a malformed fact is an error wherever it goes.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] naming the amount (or its absence).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::sla::VolumeFact;
    /// use revops::{Currency, Money};
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let when = at("2024-06-03T15:00:00Z")?;
    /// VolumeFact::mql(when).check()?;
    /// assert!(VolumeFact::pipeline(when, Money::from_minor(-100, Currency::USD)).check().is_err());
    /// // The fields are public: an MQL with an amount is refused too.
    /// let mut odd = VolumeFact::mql(when);
    /// odd.amount = Some(Money::from_minor(100, Currency::USD));
    /// assert!(odd.check().is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn check(&self) -> Result<(), Error> {
        match (self.measure, self.amount) {
            (VolumeMeasure::Pipeline, Some(amount)) if amount.is_negative() => Err(ErrorKind::InvalidValue {
                field: "pipeline fact",
                value: amount.to_string(),
                reason: "must not be negative",
            }
            .into()),
            (VolumeMeasure::Pipeline, Some(_)) | (VolumeMeasure::Mqls | VolumeMeasure::Sqls, None) => Ok(()),
            (VolumeMeasure::Pipeline, None) => Err(ErrorKind::InvalidValue {
                field: "pipeline fact",
                value: self.at.to_rfc3339(),
                reason: "a pipeline fact needs an amount",
            }
            .into()),
            (VolumeMeasure::Mqls | VolumeMeasure::Sqls, Some(amount)) => Err(ErrorKind::InvalidValue {
                field: "volume fact amount",
                value: amount.to_string(),
                reason: "only a pipeline fact has an amount (an MQL or SQL fact counts one)",
            }
            .into()),
        }
    }
}

/// Whether a commitment was met, and by how much it fell short.
///
/// # Example
///
/// ```
/// use revops::sla::{VolumeAmount, VolumeCommitment, VolumeFact, VolumeMeasure, VolumeTally};
/// use revops::{Currency, Money, Period};
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let june = Period::new(at("2024-06-01T00:00:00Z")?, at("2024-07-01T00:00:00Z")?)?;
/// let usd = |cents| Money::from_minor(cents, Currency::USD);
/// let commitment = VolumeCommitment::new("pipeline", VolumeMeasure::Pipeline, VolumeAmount::Amount(usd(10_000_000)))?;
/// let mut tally = VolumeTally::new(&commitment, june);
/// tally.push(&VolumeFact::pipeline(at("2024-06-12T10:00:00Z")?, usd(6_500_000)))?;
/// let result = tally.finish();
/// assert_eq!((result.name.as_str(), result.period, result.met), ("pipeline", june, false));
/// assert_eq!((result.actual, result.minimum), (VolumeAmount::Amount(usd(6_500_000)), VolumeAmount::Amount(usd(10_000_000))));
/// assert_eq!(result.gap, VolumeAmount::Amount(usd(3_500_000)));
/// # Ok::<(), revops::Error>(())
/// ```
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
/// [`ErrorKind::DefinitionMismatch`]. With the `serde` feature the partial state serializes and
/// deserializing checks it (the amount of the minimum's kind and currency, never negative).
///
/// # Example
///
/// ```
/// use revops::sla::{VolumeAmount, VolumeCommitment, VolumeFact, VolumeMeasure, VolumeTally};
/// use revops::Period;
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let june = Period::new(at("2024-06-01T00:00:00Z")?, at("2024-07-01T00:00:00Z")?)?;
/// let commitment = VolumeCommitment::new("mqls", VolumeMeasure::Mqls, VolumeAmount::Count(3))?;
/// let mut tally = VolumeTally::new(&commitment, june);
/// tally.push(&VolumeFact::mql(at("2024-06-03T00:00:00Z")?))?;
/// tally.push(&VolumeFact::mql(at("2024-07-03T00:00:00Z")?))?; // July
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
    ///
    /// # Example
    ///
    /// ```
    /// use revops::sla::{VolumeAmount, VolumeCommitment, VolumeMeasure, VolumeTally};
    /// use revops::Period;
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let q3 = Period::new(at("2024-07-01T00:00:00Z")?, at("2024-10-01T00:00:00Z")?)?;
    /// let sqls = VolumeCommitment::new("sqls", VolumeMeasure::Sqls, VolumeAmount::Count(40))?;
    /// let nothing_yet = VolumeTally::new(&sqls, q3).finish();
    /// assert_eq!((nothing_yet.actual, nothing_yet.gap), (VolumeAmount::Count(0), VolumeAmount::Count(40)));
    /// # Ok::<(), revops::Error>(())
    /// ```
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
    /// [`ErrorKind::InvalidValue`] for a malformed fact ([`VolumeFact::check`]: a pipeline fact
    /// without an amount or with a negative one, as the minimum, pipeline created is never
    /// negative; an MQL or SQL fact with an amount), counted here or not;
    /// [`ErrorKind::CurrencyMismatch`] if its currency differs from the commitment's;
    /// [`ErrorKind::Overflow`].
    ///
    /// # Example
    ///
    /// ```
    /// use revops::sla::{VolumeAmount, VolumeCommitment, VolumeFact, VolumeMeasure, VolumeTally};
    /// use revops::{Currency, Money, Period, SegmentId};
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let june = Period::new(at("2024-06-01T00:00:00Z")?, at("2024-07-01T00:00:00Z")?)?;
    /// let enterprise = SegmentId::new("enterprise")?;
    /// let commitment = VolumeCommitment::new("ent_mqls", VolumeMeasure::Mqls, VolumeAmount::Count(2))?.for_segment(enterprise.clone());
    /// let mut tally = VolumeTally::new(&commitment, june);
    /// let day = at("2024-06-14T10:00:00Z")?;
    /// tally.push(&VolumeFact::mql(day).in_segment(enterprise.clone()))?; // counted
    /// tally.push(&VolumeFact::mql(day).in_segment(SegmentId::new("smb")?))?; // another segment
    /// tally.push(&VolumeFact::sql(day).in_segment(enterprise))?; // another measure
    /// assert_eq!(tally.clone().finish().actual, VolumeAmount::Count(1));
    /// // A malformed fact is an error even when this tally would not count it.
    /// assert!(tally.push(&VolumeFact::pipeline(day, Money::from_minor(-1, Currency::USD))).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn push(&mut self, fact: &VolumeFact) -> Result<(), Error> {
        fact.check()?;
        if fact.measure != self.commitment.measure()
            || !self.period.contains(fact.at)
            || self.commitment.segment().is_some_and(|s| fact.segment.as_ref() != Some(s))
        {
            return Ok(());
        }
        self.actual = match (self.actual, fact.amount) {
            (VolumeAmount::Count(n), _) => VolumeAmount::Count(
                n.checked_add(1).ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op: "volume count" }))?,
            ),
            (VolumeAmount::Amount(total), Some(amount)) => VolumeAmount::Amount(total.checked_add(amount)?),
            // Checked above: a pipeline fact has an amount.
            (VolumeAmount::Amount(total), None) => VolumeAmount::Amount(total),
        };
        Ok(())
    }

    /// Adds everything `other` holds (a tally of the same commitment and period).
    ///
    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`] if `other` is for another commitment or period;
    /// [`ErrorKind::Overflow`].
    ///
    /// # Example
    ///
    /// ```
    /// use revops::sla::{VolumeAmount, VolumeCommitment, VolumeFact, VolumeMeasure, VolumeTally};
    /// use revops::{ErrorKind, Period};
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let june = Period::new(at("2024-06-01T00:00:00Z")?, at("2024-07-01T00:00:00Z")?)?;
    /// let july = Period::new(at("2024-07-01T00:00:00Z")?, at("2024-08-01T00:00:00Z")?)?;
    /// let mqls = VolumeCommitment::new("mqls", VolumeMeasure::Mqls, VolumeAmount::Count(2))?;
    /// let (mut web, mut events) = (VolumeTally::new(&mqls, june), VolumeTally::new(&mqls, june));
    /// web.push(&VolumeFact::mql(at("2024-06-04T10:00:00Z")?))?;
    /// events.push(&VolumeFact::mql(at("2024-06-20T10:00:00Z")?))?;
    /// web.merge(events)?;
    /// assert!(web.clone().finish().met);
    /// // A tally of another period is a different definition: refused, not summed.
    /// let err = web.merge(VolumeTally::new(&mqls, july));
    /// assert!(matches!(err.as_ref().map_err(revops::Error::kind), Err(ErrorKind::DefinitionMismatch { field: "period", .. })));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn merge(&mut self, other: VolumeTally) -> Result<(), Error> {
        let VolumeTally { commitment, period, actual } = other;
        if commitment != self.commitment {
            return Err(ErrorKind::DefinitionMismatch { tally: "volume", field: "commitment" }.into());
        }
        if period != self.period {
            return Err(ErrorKind::DefinitionMismatch { tally: "volume", field: "period" }.into());
        }
        self.actual = match (self.actual, actual) {
            (VolumeAmount::Count(a), VolumeAmount::Count(b)) => VolumeAmount::Count(
                a.checked_add(b).ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op: "volume count" }))?,
            ),
            (VolumeAmount::Amount(a), VolumeAmount::Amount(b)) => VolumeAmount::Amount(a.checked_add(b)?),
            // The commitment fixes the measure, so equal commitments never pair a count with an
            // amount; should a state ever do so, it is refused rather than half-merged.
            _ => return Err(ErrorKind::DefinitionMismatch { tally: "volume", field: "measure" }.into()),
        };
        Ok(())
    }

    /// Met or missed, with the gap.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::sla::{VolumeAmount, VolumeCommitment, VolumeFact, VolumeMeasure, VolumeTally};
    /// use revops::Period;
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let june = Period::new(at("2024-06-01T00:00:00Z")?, at("2024-07-01T00:00:00Z")?)?;
    /// let mqls = VolumeCommitment::new("mqls", VolumeMeasure::Mqls, VolumeAmount::Count(2))?;
    /// let mut tally = VolumeTally::new(&mqls, june);
    /// for day in ["2024-06-03T10:00:00Z", "2024-06-10T10:00:00Z", "2024-06-17T10:00:00Z"] {
    ///     tally.push(&VolumeFact::mql(at(day)?))?;
    /// }
    /// let result = tally.finish();
    /// assert_eq!((result.met, result.actual, result.gap), (true, VolumeAmount::Count(3), VolumeAmount::Count(0)));
    /// # Ok::<(), revops::Error>(())
    /// ```
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

/// Wire shapes of the partial states, checked on the way in.
#[cfg(feature = "serde")]
mod wire {
    use chrono::{DateTime, Utc};

    use super::{VolumeAmount, VolumeCommitment, VolumeFact, VolumeMeasure, VolumeTally};
    use crate::{Error, ErrorKind, Money, Period, SegmentId};

    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct VolumeFactRepr {
        at: DateTime<Utc>,
        measure: VolumeMeasure,
        #[serde(default)]
        amount: Option<Money>,
        #[serde(default)]
        segment: Option<SegmentId>,
    }

    impl TryFrom<VolumeFactRepr> for VolumeFact {
        type Error = Error;
        fn try_from(r: VolumeFactRepr) -> Result<VolumeFact, Error> {
            let fact = VolumeFact { at: r.at, measure: r.measure, amount: r.amount, segment: r.segment };
            fact.check()?;
            Ok(fact)
        }
    }

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
                        return Err(ErrorKind::CurrencyMismatch { expected: m.currency(), found: a.currency() }.into());
                    }
                    !a.is_negative()
                }
                _ => false,
            };
            if !fits {
                return Err(ErrorKind::InvalidValue {
                    field: "volume tally actual",
                    value: format!("{:?}", r.actual),
                    reason: "must be a count or a non-negative amount, like the commitment's minimum",
                }
                .into());
            }
            Ok(VolumeTally { commitment: r.commitment, period: r.period, actual: r.actual })
        }
    }
}
