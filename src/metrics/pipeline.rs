//! Pipeline velocity (from named sub-metrics), weighted pipeline and pipeline coverage.

use chrono::{DateTime, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

use super::amount::{
    add, add_count, decimal, exact, from_minor, mean_money_exact, minor_units, rounded, rounded_money, same_currency,
};
use super::batch::{LOST, QUALIFIED, WON, floor_seconds, wide_nanos};
use super::definition::same;
use super::{DealSlice, Period, Tally};
use crate::facts::{Deal, DealStatus};
use crate::{Currency, Error, ErrorKind, Money, Ratio};

mod coverage;
pub(crate) mod exact;
#[cfg(feature = "serde")]
mod state;

pub use self::coverage::{CoverageAtWinRate, CoverageTally, PipelineCoverage, coverage};

const DAY_SECONDS: i64 = 86_400;

/// Pipeline velocity: how much revenue the pipeline produces per day.
///
/// `velocity = open qualified opportunities x win rate x average deal size / cycle length`,
/// in currency per day, from four named sub-metrics, all reported:
///
/// - **open qualified opportunities**: deals with `qualified` set that were open at `as_of`
///   (created at or before it, not closed by then), whatever their close date;
/// - **win rate**: count-based, over deals closed in the period (as [`WinRateTally`](super::WinRateTally));
/// - **average deal size**: won amount / won deals, over deals won in the period;
/// - **cycle length**: mean elapsed days (`closed_at - created_at`, 86,400 s a day) of the
///   deals won in the period (as [`SalesCycleTally`](super::SalesCycleTally)'s elapsed mean).
///
/// Our rule: the velocity is computed from the exact sub-metrics and then rounded half to even
/// to the minor unit; the reported average deal size (minor unit) and cycle length (6
/// decimals) are rounded for display only. `None` when the win rate, the deal size or the
/// cycle is undefined (no deal closed or won in the period) or the cycle is zero. No open
/// qualified deal gives a velocity of zero.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::{Deal, DealStatus, Reason};
/// use revops::metrics::VelocityTally;
/// use revops::{Currency, Money, OpportunityId, Period, Probability, Tally};
/// use rust_decimal_macros::dec;
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let deal = |id: &str, dollars: i64, status, closed: Option<u32>| -> Result<Deal, revops::Error> {
///     let amount = Money::from_minor(dollars * 100, Currency::USD);
///     Ok(Deal::new(OpportunityId::new(id)?, t(1), amount, status).closed_at(closed.map(t)).qualified(true))
/// };
/// let open = DealStatus::Open { probability: Probability::ZERO };
/// let deals = [
///     deal("open-1", 5_000, open.clone(), None)?,
///     deal("open-2", 5_000, open, None)?,
///     deal("won-1", 10_000, DealStatus::Won, Some(11))?, // 10 days
///     deal("won-2", 20_000, DealStatus::Won, Some(21))?, // 20 days
///     deal("lost", 50_000, DealStatus::lost(Reason::Price), Some(5))?,
/// ];
/// let january = Period::new(t(1), t(31))?;
/// // Two partitions, one definition: merged, they equal one pass.
/// let mut east = VelocityTally::new(january, t(31), Currency::USD);
/// let mut west = east.clone();
/// for (i, d) in deals.iter().enumerate() {
///     if i % 2 == 0 { east.push(d)? } else { west.push(d)? }
/// }
/// east.merge(west)?;
/// let velocity = east.finish()?;
/// assert_eq!(velocity.open_qualified, 2);                       // open at 31 January
/// assert_eq!(velocity.win_rate.to_string(), "2/3 (66.7%)");     // won / closed in January
/// assert_eq!(velocity.average_deal_size, Some(Money::from_minor(15_000_00, Currency::USD))); // $30,000 / 2 won
/// assert_eq!(velocity.cycle_days, Some(dec!(15)));              // (10 + 20) / 2 won
/// // 2 open qualified x 2/3 won x $15,000 average / 15 days
/// assert_eq!(velocity.per_day, Some(Money::from_minor(1_333_33, Currency::USD)));
/// // Exactly: 2 open x $30,000 x 2 won x 86,400 s / (3 closed x 2,592,000 s), $1,333.33... a day.
/// let exact = velocity.per_day_exact.map(|r| (r.numerator(), r.denominator()));
/// assert_eq!(exact, Some((dec!(10368000000), dec!(7776000))));
/// assert_eq!(velocity.cycle_days_exact.map(|r| r.to_string()), Some("2592000/172800 (1500.0%)".to_owned()));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "state::VelocityState", into = "state::VelocityState")
)]
pub struct VelocityTally {
    period: Period,
    as_of: DateTime<Utc>,
    currency: Currency,
    open_qualified: u64,
    won: u64,
    lost: u64,
    won_minor: i128,
    won_seconds: i128,
}

/// The result of [`VelocityTally`]: the velocity and its four sub-metrics.
///
/// # Example ([definitions, section 5](crate::definitions::metrics#pipeline): 40 x 0.25 x $25,000 / 90 days)
///
/// ```
/// use revops::metrics::Velocity;
/// use revops::{Currency, Money, Ratio};
/// use rust_decimal_macros::dec;
///
/// let size = Money::new(dec!(25000), Currency::USD);
/// let per_day = Velocity::per_day_from(40, Ratio::new(1, 4), size, dec!(90))?;
/// assert_eq!(per_day.map(|m| m.to_string()), Some("2777.78 USD".to_owned()));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Velocity {
    /// Qualified deals open at `as_of`.
    pub open_qualified: u64,
    /// Won over closed, deals closed in the period.
    pub win_rate: Ratio,
    /// Won amount over won deals, rounded to the minor unit (display).
    pub average_deal_size: Option<Money>,
    /// `average_deal_size` exactly: won amount (major units) / won deals.
    pub average_deal_size_exact: Option<Ratio<Decimal>>,
    /// Mean elapsed days from creation to close of the deals won, 6 decimals (display).
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str_option"))]
    pub cycle_days: Option<Decimal>,
    /// `cycle_days` exactly: elapsed seconds of the won deals / (won deals x 86,400).
    pub cycle_days_exact: Option<Ratio<Decimal>>,
    /// Currency per day, rounded to the minor unit.
    pub per_day: Option<Money>,
    /// `per_day` exactly: `open x won amount x won x 86,400 / (closed x won seconds)` (major
    /// units per day); `None` exactly when `per_day` is.
    pub per_day_exact: Option<Ratio<Decimal>>,
}

impl Velocity {
    /// `open x win_rate x average_deal_size / cycle_days`, rounded half to even to the minor
    /// unit. `None` when the win rate is undefined or the cycle is zero.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] if the product leaves `Decimal`'s range; [`ErrorKind::InvalidValue`]
    /// for a negative cycle or deal size.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::metrics::Velocity;
    /// use revops::{Currency, Money, Ratio};
    /// use rust_decimal_macros::dec;
    ///
    /// let size = Money::new(dec!(25000), Currency::USD);
    /// // definitions, section 5: 40 open x 25% won x $25,000 / 90 days = $2,777.78 a day.
    /// assert_eq!(Velocity::per_day_from(40, Ratio::new(1, 4), size, dec!(90))?, Some(Money::new(dec!(2777.78), Currency::USD)));
    /// // No closed deal (win rate 0/0) or a zero cycle: undefined.
    /// assert_eq!(Velocity::per_day_from(40, Ratio::new(0, 0), size, dec!(90))?, None);
    /// assert_eq!(Velocity::per_day_from(40, Ratio::new(1, 4), size, dec!(0))?, None);
    /// assert!(Velocity::per_day_from(40, Ratio::new(1, 4), size, dec!(-1)).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn per_day_from(
        open_qualified: u64,
        win_rate: Ratio,
        average_deal_size: Money,
        cycle_days: Decimal,
    ) -> Result<Option<Money>, Error> {
        if cycle_days.is_sign_negative() && !cycle_days.is_zero() {
            return Err(ErrorKind::InvalidValue {
                field: "cycle days",
                value: cycle_days.to_string(),
                reason: "must not be negative",
            }
            .into());
        }
        if average_deal_size.is_negative() {
            return Err(ErrorKind::InvalidValue {
                field: "average deal size",
                value: average_deal_size.to_string(),
                reason: "must not be negative",
            }
            .into());
        }
        let (Some(rate), false) = (win_rate.value(), cycle_days.is_zero()) else { return Ok(None) };
        let overflow = || ErrorKind::Overflow { op: "pipeline velocity" };
        let per_day = Decimal::from(open_qualified)
            .checked_mul(rate)
            .and_then(|x| x.checked_mul(average_deal_size.amount()))
            .and_then(|x| x.checked_div(cycle_days))
            .ok_or_else(overflow)?;
        Ok(Some(
            Money::new(per_day, average_deal_size.currency()).round_to_minor(RoundingStrategy::MidpointNearestEven),
        ))
    }
}

impl VelocityTally {
    /// An empty tally: win rate, deal size and cycle over deals closed in `period`; open
    /// qualified deals counted at `as_of`; amounts in `currency` (example: [`VelocityTally`]).
    #[must_use]
    pub const fn new(period: Period, as_of: DateTime<Utc>, currency: Currency) -> VelocityTally {
        VelocityTally { period, as_of, currency, open_qualified: 0, won: 0, lost: 0, won_minor: 0, won_seconds: 0 }
    }
}

impl VelocityTally {
    /// Adds every deal of a columnar [`DealBatch`](super::DealBatch) or a [`DealSlice`] of one
    /// (validated when the batch was built): the same result as pushing the deals one by one,
    /// faster.
    ///
    /// # Errors
    /// [`ErrorKind::CurrencyMismatch`] if the batch is in another currency; [`ErrorKind::Overflow`].
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::facts::{Deal, DealStatus, Reason};
    /// use revops::metrics::{DealBatch, VelocityTally};
    /// use revops::{ErrorKind, Tally};
    /// use revops::{Currency, Money, OpportunityId, Period, Probability};
    ///
    /// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
    /// let deal = |id: &str, dollars: i64, status, closed: Option<u32>| -> Result<Deal, revops::Error> {
    ///     let amount = Money::from_minor(dollars * 100, Currency::USD);
    ///     Ok(Deal::new(OpportunityId::new(id)?, t(1), amount, status).closed_at(closed.map(t)).qualified(true))
    /// };
    /// let open = DealStatus::Open { probability: Probability::ZERO };
    /// let deals = [
    ///     deal("open-1", 5_000, open.clone(), None)?,
    ///     deal("open-2", 5_000, open, None)?,
    ///     deal("won-1", 10_000, DealStatus::Won, Some(11))?, // 10 days
    ///     deal("won-2", 20_000, DealStatus::Won, Some(21))?, // 20 days
    ///     deal("lost", 50_000, DealStatus::lost(Reason::Price), Some(5))?,
    /// ];
    /// let january = Period::new(t(1), t(31))?;
    /// let mut columnar = VelocityTally::new(january, t(31), Currency::USD);
    /// columnar.push_batch(&DealBatch::from_deals(&deals, Currency::USD)?)?;
    /// assert_eq!(columnar.finish()?, VelocityTally::new(january, t(31), Currency::USD).tally(&deals)?);
    /// // A batch in another currency is refused.
    /// let err = VelocityTally::new(january, t(31), Currency::EUR).push_batch(&DealBatch::new(Currency::USD)).err();
    /// assert!(matches!(err.as_ref().map(|e| e.kind()), Some(ErrorKind::CurrencyMismatch { .. })));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn push_batch<'a>(&mut self, rows: impl Into<DealSlice<'a>>) -> Result<(), Error> {
        let batch: DealSlice<'a> = rows.into();
        same_currency(self.currency, batch.currency)?;
        let (start, end) = (wide_nanos(self.period.start()), wide_nanos(self.period.end()));
        let as_of = wide_nanos(self.as_of);
        // Per slice: at most `len` rows, so `u64` counts and `i128` sums of `i64` amounts and
        // cycles (seconds of batch instants) cannot overflow; they are added to the tally checked.
        let (mut open, mut won, mut lost, mut won_minor, mut won_seconds) = (0u64, 0u64, 0u64, 0i128, 0i128);
        for (created, closed, amount, flags) in batch.rows() {
            let is_closed = flags & (WON | LOST) != 0;
            let wide = i128::from(closed);
            if flags & QUALIFIED != 0 && i128::from(created) <= as_of && (!is_closed || wide > as_of) {
                open += 1;
            }
            if !is_closed || wide < start || wide >= end {
                continue;
            }
            if flags & WON == 0 {
                lost += 1;
            } else {
                won += 1;
                won_minor += i128::from(amount);
                won_seconds += i128::from(floor_seconds(closed) - floor_seconds(created));
            }
        }
        self.open_qualified = add_count(self.open_qualified, open)?;
        self.won = add_count(self.won, won)?;
        self.lost = add_count(self.lost, lost)?;
        self.won_minor = add(self.won_minor, won_minor)?;
        self.won_seconds = add(self.won_seconds, won_seconds)?;
        Ok(())
    }
}

impl Tally for VelocityTally {
    type Fact = Deal;
    type Output = Velocity;

    /// # Errors
    /// [`Deal::check`]'s errors; [`ErrorKind::MixedCurrency`] for a won deal in another currency.
    #[inline]
    fn push(&mut self, deal: &Deal) -> Result<(), Error> {
        deal.check()?;
        if deal.qualified && deal.is_open_at(self.as_of) {
            self.open_qualified = add_count(self.open_qualified, 1)?;
        }
        let Some(closed_at) = deal.closed_at else { return Ok(()) };
        if !self.period.contains(closed_at) {
            return Ok(());
        }
        if deal.status == DealStatus::Won {
            let minor = minor_units(&deal.id, "amount", deal.amount, self.currency)?;
            self.won = add_count(self.won, 1)?;
            self.won_minor = add(self.won_minor, minor)?;
            self.won_seconds = add(self.won_seconds, i128::from(closed_at.timestamp() - deal.created_at.timestamp()))?;
        } else {
            self.lost = add_count(self.lost, 1)?;
        }
        Ok(())
    }

    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`] naming `period`, `as_of` or `currency` if `other` measures
    /// another definition; [`ErrorKind::Overflow`].
    fn merge(&mut self, other: VelocityTally) -> Result<(), Error> {
        const T: &str = "pipeline velocity";
        same(T, "period", &self.period, &other.period)?;
        same(T, "as_of", &self.as_of, &other.as_of)?;
        same(T, "currency", &self.currency, &other.currency)?;
        let open_qualified = add_count(self.open_qualified, other.open_qualified)?;
        let won = add_count(self.won, other.won)?;
        let lost = add_count(self.lost, other.lost)?;
        let won_minor = add(self.won_minor, other.won_minor)?;
        let won_seconds = add(self.won_seconds, other.won_seconds)?;
        (self.open_qualified, self.won, self.lost, self.won_minor, self.won_seconds) =
            (open_qualified, won, lost, won_minor, won_seconds);
        Ok(())
    }

    fn finish(self) -> Result<Velocity, Error> {
        const OP: &str = "pipeline velocity";
        let overflow = || ErrorKind::Overflow { op: OP };
        let closed = add_count(self.won, self.lost)?;
        let win_rate = Ratio::new(self.won, closed);
        let seconds = Decimal::try_from_i128_with_scale(self.won_seconds, 0).map_err(|_| overflow())?;
        let cycle_days_exact =
            exact(seconds, Decimal::from(self.won).checked_mul(Decimal::from(DAY_SECONDS)).ok_or_else(overflow)?)?;
        // open x (won / closed) x (W / won) / (S / (won x 86,400)) = open x W x won x 86,400 / (closed x S),
        // in integer minor units so that no digit is rounded away.
        let numerator_minor = [self.open_qualified, self.won, DAY_SECONDS.unsigned_abs()]
            .into_iter()
            .try_fold(self.won_minor, |x, k| x.checked_mul(i128::from(k)))
            .ok_or_else(overflow)?;
        let denominator = i128::from(closed).checked_mul(self.won_seconds).ok_or_else(overflow)?;
        let per_day_exact = exact(
            decimal(numerator_minor, self.currency)?,
            Decimal::try_from_i128_with_scale(denominator, 0).map_err(|_| overflow())?,
        )?;
        let (average_deal_size, average_deal_size_exact) = mean_money_exact(self.won_minor, self.won, self.currency)?;
        Ok(Velocity {
            open_qualified: self.open_qualified,
            win_rate,
            average_deal_size,
            average_deal_size_exact,
            cycle_days: rounded(cycle_days_exact, 6, OP)?,
            cycle_days_exact,
            per_day: rounded_money(per_day_exact, self.currency, OP)?,
            per_day_exact,
        })
    }
}

/// [`VelocityTally`] over a slice.
///
/// # Errors
/// As [`VelocityTally`]'s `push`.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::{Deal, DealStatus};
/// use revops::metrics::pipeline_velocity;
/// use revops::{Currency, Money, OpportunityId, Period};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let usd = Money::from_minor(1_000_00, Currency::USD);
/// let won = Deal::new(OpportunityId::new("w")?, t(1), usd, DealStatus::Won).closed_at(Some(t(11))).qualified(true);
/// let january = Period::new(t(1), t(31))?;
/// // Seen on 8 January, the deal won on the 11th was still open: 1 x 1/1 x $1,000 / 10 days.
/// let velocity = pipeline_velocity(std::slice::from_ref(&won), january, t(8), Currency::USD)?;
/// assert_eq!((velocity.open_qualified, velocity.per_day), (1, Some(Money::from_minor(100_00, Currency::USD))));
/// // Seen on 31 January nothing is open: a velocity of zero.
/// assert_eq!(pipeline_velocity(std::slice::from_ref(&won), january, t(31), Currency::USD)?.per_day, Some(Money::from_minor(0, Currency::USD)));
/// // No deal won in the period: undefined, not zero.
/// let december = Period::new(Utc.with_ymd_and_hms(2023, 12, 1, 0, 0, 0).single().unwrap_or_default(), t(1))?;
/// assert_eq!(pipeline_velocity(&[won], december, t(8), Currency::USD)?.per_day, None);
/// # Ok::<(), revops::Error>(())
/// ```
pub fn pipeline_velocity(
    deals: &[Deal],
    period: Period,
    as_of: DateTime<Utc>,
    currency: Currency,
) -> Result<Velocity, Error> {
    VelocityTally::new(period, as_of, currency).tally(deals)
}

/// Weighted pipeline: the sum of amount x probability over open deals.
///
/// - **Included**: deals whose status is open (the current snapshot; the probability is the
///   deal's [`Probability`](crate::Probability), a fraction with an explicit scale, so a
///   Salesforce percent cannot inflate the forecast a hundredfold). Won and lost deals are
///   excluded; so are open deals not `qualified` when [`WeightedPipelineTally::qualified_only`]
///   is set.
/// - **Result**: the unweighted open amount, the weighted amount (exact products summed, then
///   rounded half to even to the minor unit), and the deal count. No open deal gives zero.
/// - **Exact**: products and their sum are kept as integers (minor units times the
///   probability's digits), never as a `Decimal` that would round past 28 digits; a sum beyond
///   that exact range is [`ErrorKind::Overflow`], not a rounded figure.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::metrics::weighted_pipeline;
/// use revops::facts::{Deal, DealStatus};
/// use revops::{Currency, Money, OpportunityId};
/// use rust_decimal_macros::dec;
///
/// let t = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or_default();
/// let mut deals = Vec::new();
/// for (id, dollars, percent) in [("a", 40_000, dec!(25)), ("b", 10_000, dec!(80))] {
///     let id = OpportunityId::new(id)?;
///     let status = DealStatus::open_percent(&id, percent)?; // Salesforce stores percent
///     deals.push(Deal::new(id, t, Money::from_minor(dollars * 100, Currency::USD), status));
/// }
/// let pipeline = weighted_pipeline(&deals, Currency::USD)?;
/// assert_eq!(pipeline.weighted.to_string(), "18000.00 USD"); // 10,000 + 8,000
/// assert_eq!(pipeline.amount.to_string(), "50000.00 USD");
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "state::WeightedPipelineState", into = "state::WeightedPipelineState")
)]
pub struct WeightedPipelineTally {
    currency: Currency,
    qualified_only: bool,
    deals: u64,
    amount_minor: i128,
    weighted: exact::Products,
}

/// The result of [`WeightedPipelineTally`].
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::{Deal, DealStatus};
/// use revops::metrics::{WeightedPipeline, weighted_pipeline};
/// use revops::{Currency, Money, OpportunityId, Probability};
/// use rust_decimal_macros::dec;
///
/// let t = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or_default();
/// let open = |id: &str, dollars: i64, percent| -> Result<Deal, revops::Error> {
///     let status = DealStatus::Open { probability: Probability::from_percent_decimal(percent)? };
///     Ok(Deal::new(OpportunityId::new(id)?, t, Money::from_minor(dollars * 100, Currency::USD), status))
/// };
/// let deals = [open("a", 1_000, dec!(33.3))?, open("b", 3_000, dec!(50))?];
/// let pipeline: WeightedPipeline = weighted_pipeline(&deals, Currency::USD)?;
/// assert_eq!(pipeline.deals, 2);
/// assert_eq!(pipeline.amount, Money::from_minor(4_000_00, Currency::USD)); // unweighted
/// assert_eq!(pipeline.weighted, Money::from_minor(1_833_00, Currency::USD)); // 333 + 1,500
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct WeightedPipeline {
    /// Open deals counted.
    pub deals: u64,
    /// Their unweighted amount.
    pub amount: Money,
    /// Sum of amount x probability, rounded half to even to the minor unit.
    pub weighted: Money,
}

impl WeightedPipelineTally {
    /// An empty tally in `currency`, counting every open deal (example:
    /// [`WeightedPipelineTally::qualified_only`]).
    #[must_use]
    pub const fn new(currency: Currency) -> WeightedPipelineTally {
        WeightedPipelineTally {
            currency,
            qualified_only: false,
            deals: 0,
            amount_minor: 0,
            weighted: exact::Products::ZERO,
        }
    }

    /// Counts only `qualified` open deals.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::facts::{Deal, DealStatus};
    /// use revops::metrics::WeightedPipelineTally;
    /// use revops::Tally;
    /// use revops::{Currency, Money, OpportunityId, Probability};
    /// use rust_decimal_macros::dec;
    ///
    /// let t = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or_default();
    /// let open = |id: &str, dollars: i64, percent| -> Result<Deal, revops::Error> {
    ///     let status = DealStatus::Open { probability: Probability::from_percent_decimal(percent)? };
    ///     Ok(Deal::new(OpportunityId::new(id)?, t, Money::from_minor(dollars * 100, Currency::USD), status))
    /// };
    /// let deals = [open("a", 1_000, dec!(50))?.qualified(true), open("b", 3_000, dec!(50))?];
    /// let every = WeightedPipelineTally::new(Currency::USD).tally(&deals)?;
    /// let qualified = WeightedPipelineTally::new(Currency::USD).qualified_only(true).tally(&deals)?;
    /// assert_eq!((every.deals, every.weighted), (2, Money::from_minor(2_000_00, Currency::USD)));
    /// assert_eq!((qualified.deals, qualified.weighted), (1, Money::from_minor(500_00, Currency::USD)));
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub const fn qualified_only(mut self, yes: bool) -> WeightedPipelineTally {
        self.qualified_only = yes;
        self
    }
}

impl Tally for WeightedPipelineTally {
    type Fact = Deal;
    type Output = WeightedPipeline;

    fn push(&mut self, deal: &Deal) -> Result<(), Error> {
        deal.check()?;
        let DealStatus::Open { probability } = deal.status else { return Ok(()) };
        if self.qualified_only && !deal.qualified {
            return Ok(());
        }
        let minor = minor_units(&deal.id, "amount", deal.amount, self.currency)?;
        let mut weighted = self.weighted;
        weighted.add(minor, probability.fraction())?;
        self.amount_minor = add(self.amount_minor, minor)?;
        self.weighted = weighted;
        self.deals = add_count(self.deals, 1)?;
        Ok(())
    }

    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`] naming `currency` or `qualified_only` if `other` counts
    /// another definition; [`ErrorKind::Overflow`].
    fn merge(&mut self, other: WeightedPipelineTally) -> Result<(), Error> {
        const T: &str = "weighted pipeline";
        same(T, "currency", &self.currency, &other.currency)?;
        same(T, "qualified_only", &self.qualified_only, &other.qualified_only)?;
        let deals = add_count(self.deals, other.deals)?;
        let amount_minor = add(self.amount_minor, other.amount_minor)?;
        let mut weighted = self.weighted;
        weighted.merge(&other.weighted)?;
        (self.deals, self.amount_minor, self.weighted) = (deals, amount_minor, weighted);
        Ok(())
    }

    fn finish(self) -> Result<WeightedPipeline, Error> {
        Ok(WeightedPipeline {
            deals: self.deals,
            amount: from_minor(self.amount_minor, self.currency)?,
            weighted: from_minor(self.weighted.rounded()?, self.currency)?,
        })
    }
}

/// [`WeightedPipelineTally`] over a slice (every open deal).
///
/// # Errors
/// [`Deal::check`]'s errors; [`ErrorKind::MixedCurrency`].
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::{Deal, DealStatus};
/// use revops::metrics::weighted_pipeline;
/// use revops::{Currency, Money, OpportunityId, Probability};
/// use rust_decimal_macros::dec;
///
/// let t = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or_default();
/// let open = |id: &str, dollars: i64, percent| -> Result<Deal, revops::Error> {
///     let status = DealStatus::Open { probability: Probability::from_percent_decimal(percent)? };
///     Ok(Deal::new(OpportunityId::new(id)?, t, Money::from_minor(dollars * 100, Currency::USD), status))
/// };
/// let won = Deal::new(OpportunityId::new("w")?, t, Money::from_minor(9_000_00, Currency::USD), DealStatus::Won)
///     .closed_at(Some(t));
/// let deals = [open("a", 1_000, dec!(10))?, won]; // a won deal is not pipeline
/// assert_eq!(weighted_pipeline(&deals, Currency::USD)?.weighted, Money::from_minor(100_00, Currency::USD));
/// assert_eq!(weighted_pipeline(&[], Currency::USD)?.weighted, Money::from_minor(0, Currency::USD));
/// assert!(weighted_pipeline(&deals, Currency::EUR).is_err()); // the open deal is in USD
/// # Ok::<(), revops::Error>(())
/// ```
pub fn weighted_pipeline(deals: &[Deal], currency: Currency) -> Result<WeightedPipeline, Error> {
    WeightedPipelineTally::new(currency).tally(deals)
}

#[cfg(test)]
mod tests;
