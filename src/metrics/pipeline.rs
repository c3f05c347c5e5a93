//! Pipeline velocity (from named sub-metrics), weighted pipeline and pipeline coverage.

use chrono::{DateTime, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

use super::amount::{add, add_count, decimal, div, from_minor, mean_money, minor_units, same_currency};
use super::batch::{LOST, QUALIFIED, WON, floor_seconds, wide_nanos};
use super::definition::same;
use super::{DealSlice, Period, Tally};
use crate::facts::{Deal, DealStatus};
use crate::{Currency, Error, ErrorKind, Money, Ratio};

mod coverage;
mod exact;
#[cfg(feature = "serde")]
mod state;

pub use self::coverage::{CoverageTally, PipelineCoverage, coverage};

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
/// # Example (definitions.md: 40 x 0.25 x $25,000 / 90 days)
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
    /// Mean elapsed days from creation to close of the deals won, 6 decimals (display).
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str_option"))]
    pub cycle_days: Option<Decimal>,
    /// Currency per day, rounded to the minor unit.
    pub per_day: Option<Money>,
}

impl Velocity {
    /// `open x win_rate x average_deal_size / cycle_days`, rounded half to even to the minor
    /// unit. `None` when the win rate is undefined or the cycle is zero.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] if the product leaves `Decimal`'s range; [`ErrorKind::InvalidValue`]
    /// for a negative cycle or deal size.
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
    /// qualified deals counted at `as_of`; amounts in `currency`.
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
        let overflow = || ErrorKind::Overflow { op: "pipeline velocity" };
        let closed = add_count(self.won, self.lost)?;
        let win_rate = Ratio::new(self.won, closed);
        let won_amount = decimal(self.won_minor, self.currency)?;
        let seconds = Decimal::try_from_i128_with_scale(self.won_seconds, 0).map_err(|_| overflow())?;
        let cycle_exact =
            div(seconds, Decimal::from(self.won).checked_mul(Decimal::from(DAY_SECONDS)).ok_or_else(overflow)?);
        // open x (won / closed) x (W / won) / (S / (won x 86,400)) = open x W x won x 86,400 / (closed x S)
        let per_day = match (closed, self.won, self.won_seconds) {
            (0, _, _) | (_, 0, _) | (_, _, 0) => None,
            _ => {
                let value = div(won_amount, Decimal::from(closed))
                    .and_then(|x| x.checked_mul(Decimal::from(self.open_qualified)))
                    .and_then(|x| x.checked_mul(Decimal::from(self.won)))
                    .and_then(|x| x.checked_mul(Decimal::from(DAY_SECONDS)))
                    .and_then(|x| div(x, seconds))
                    .ok_or_else(overflow)?;
                Some(Money::new(value, self.currency).round_to_minor(RoundingStrategy::MidpointNearestEven))
            }
        };
        Ok(Velocity {
            open_qualified: self.open_qualified,
            win_rate,
            average_deal_size: mean_money(self.won_minor, self.won, self.currency)?,
            cycle_days: cycle_exact
                .map(|c| c.round_dp_with_strategy(6, RoundingStrategy::MidpointNearestEven).normalize()),
            per_day,
        })
    }
}

/// [`VelocityTally`] over a slice.
///
/// # Errors
/// As [`VelocityTally`]'s `push`.
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
    /// An empty tally in `currency`, counting every open deal.
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
pub fn weighted_pipeline(deals: &[Deal], currency: Currency) -> Result<WeightedPipeline, Error> {
    WeightedPipelineTally::new(currency).tally(deals)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Reason;
    use crate::{OpportunityId, Probability};
    use chrono::{NaiveDate, Offset, TimeZone};
    use rust_decimal_macros::dec;

    fn t(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).unwrap()
    }

    fn usd(dollars: i64) -> Money {
        Money::from_minor(dollars * 100, Currency::USD)
    }

    #[test]
    fn velocity_matches_the_worked_example() {
        // 40 open qualified, 1 of 4 closed won, won deals average $25,000 over 90 days.
        let mut deals = Vec::new();
        let open = DealStatus::Open { probability: Probability::ZERO };
        for i in 0..40 {
            deals.push(
                Deal::new(OpportunityId::new(format!("open{i}")).unwrap(), t(1), usd(1), open.clone()).qualified(true),
            );
        }
        let created = Utc.with_ymd_and_hms(2023, 10, 3, 0, 0, 0).unwrap(); // 90 days before 1 January
        for (i, dollars) in [20_000, 30_000].into_iter().enumerate() {
            deals.push(
                Deal::new(OpportunityId::new(format!("won{i}")).unwrap(), created, usd(dollars), DealStatus::Won)
                    .closed_at(Some(t(1))),
            );
        }
        for i in 0..6 {
            deals.push(
                Deal::new(
                    OpportunityId::new(format!("lost{i}")).unwrap(),
                    created,
                    usd(5),
                    DealStatus::lost(Reason::Price),
                )
                .closed_at(Some(t(1))),
            );
        }
        let v = pipeline_velocity(&deals, Period::new(t(1), t(2)).unwrap(), t(1), Currency::USD).unwrap();
        assert_eq!(v.open_qualified, 40);
        assert_eq!(v.win_rate, Ratio::new(2, 8));
        assert_eq!(v.average_deal_size, Some(usd(25_000)));
        assert_eq!(v.cycle_days, Some(dec!(90)));
        assert_eq!(v.per_day.unwrap().to_string(), "2777.78 USD");
        let none = pipeline_velocity(&deals[..40], Period::new(t(1), t(2)).unwrap(), t(1), Currency::USD).unwrap();
        assert_eq!((none.per_day, none.average_deal_size, none.cycle_days), (None, None, None));
        assert_eq!(Velocity::per_day_from(3, Ratio::new(1, 2), usd(10), Decimal::ZERO).unwrap(), None);
        assert!(Velocity::per_day_from(3, Ratio::new(1, 2), usd(10), dec!(-1)).is_err());
        assert!(Velocity::per_day_from(3, Ratio::new(1, 2), usd(-10), dec!(1)).is_err());
    }

    #[test]
    fn weighted_and_coverage() {
        let id = |s: &str| OpportunityId::new(s).unwrap();
        let open = |p| DealStatus::Open { probability: Probability::from_percent(p).unwrap() };
        let deals = [
            Deal::new(id("a"), t(1), usd(1_000), open(dec!(10)))
                .qualified(true)
                .close_date(NaiveDate::from_ymd_opt(2024, 1, 20)),
            Deal::new(id("b"), t(1), usd(3), open(dec!(50))).close_date(NaiveDate::from_ymd_opt(2024, 1, 20)),
            Deal::new(id("c"), t(1), usd(500), open(dec!(50))).qualified(true),
            Deal::new(id("d"), t(1), usd(900), DealStatus::Won).closed_at(Some(t(5))),
        ];
        let w = weighted_pipeline(&deals, Currency::USD).unwrap();
        assert_eq!((w.deals, w.amount, w.weighted), (3, usd(1_503), Money::new(dec!(351.50), Currency::USD)));
        let q = WeightedPipelineTally::new(Currency::USD).qualified_only(true).tally(&deals).unwrap();
        assert_eq!(q.deals, 2);
        let p = Period::new(t(1), Utc.with_ymd_and_hms(2024, 2, 1, 0, 0, 0).unwrap()).unwrap();
        let c = coverage(&deals, p, Utc.fix(), usd(2_000)).unwrap();
        assert_eq!(c.remaining, Some(usd(1_100)));
        assert_eq!(c.open_deals, 1);
        assert_eq!(c.open_without_close_date, 1);
        assert_eq!(c.coverage.unwrap().to_string(), "1000.00/1100.00 (90.9%)");
        let met = coverage(&deals, p, Utc.fix(), usd(900)).unwrap();
        assert_eq!((met.remaining, met.coverage), (None, None));
        assert_eq!(
            coverage(&deals, p, Utc.fix(), usd(-1)).unwrap_err().to_string(),
            "quota must not be negative, got -1.00"
        );
    }

    #[test]
    fn weighted_pipeline_sums_exact_products() {
        // Regression: products and their sum were `Decimal`s, which keep 28 to 29 significant
        // digits: next to a 26-digit amount, a product of 0.000000001 (a cent at 1e-8) was
        // rounded away, so a sum of exactly ...950.3250000001 became the tie ...950.325 and
        // rounded half to even to .32 instead of .33.
        let open = |p| DealStatus::Open { probability: Probability::from_fraction(p).unwrap() };
        let deal = |id: &str, amount, p| {
            Deal::new(OpportunityId::new(id).unwrap(), t(1), Money::new(amount, Currency::USD), open(p))
        };
        let deals = [
            deal("a", dec!(79228162514264337593543950.32), Decimal::ONE),
            deal("b", dec!(0.01), dec!(0.5)),
            deal("c", dec!(0.01), dec!(0.00000001)),
        ];
        let exact = Money::new(dec!(79228162514264337593543950.33), Currency::USD);
        assert_eq!(weighted_pipeline(&deals, Currency::USD).unwrap().weighted, exact);
        // Split over tallies and merged in any order: the same exact sum.
        for order in [[0, 1, 2], [2, 0, 1], [1, 2, 0]] {
            let mut total = WeightedPipelineTally::new(Currency::USD);
            for i in order {
                let mut part = WeightedPipelineTally::new(Currency::USD);
                part.push(&deals[i]).unwrap();
                total.merge(part).unwrap();
            }
            assert_eq!(total.finish().unwrap().weighted, exact);
        }
        let half = open(dec!(0.5));
        // Half a cent rounds half to even, exactly: 0.01 x 0.5 twice is 0.01; once is 0.00.
        let cent = Money::new(dec!(0.01), Currency::USD);
        let small = |id: &str| Deal::new(OpportunityId::new(id).unwrap(), t(1), cent, half.clone());
        assert_eq!(weighted_pipeline(&[small("a")], Currency::USD).unwrap().weighted, usd(0));
        assert_eq!(weighted_pipeline(&[small("a"), small("b")], Currency::USD).unwrap().weighted, cent);
        let third = open(dec!(0.3333333333333333333333333333));
        let odd = |id: &str| Deal::new(OpportunityId::new(id).unwrap(), t(1), usd(3), third.clone());
        // 3 x 0.333... three times is 2.9999...; to the cent 3.00.
        assert_eq!(weighted_pipeline(&[odd("a"), odd("b"), odd("c")], Currency::USD).unwrap().weighted, usd(3));
        // A product beyond the exact range is a typed error, never a rounded sum.
        let huge = Money::new(dec!(79228162514264337593543950.33), Currency::USD);
        let err = weighted_pipeline(&[Deal::new(OpportunityId::new("h").unwrap(), t(1), huge, third)], Currency::USD)
            .unwrap_err();
        assert_eq!(err, ErrorKind::Overflow { op: "weighted pipeline" });
    }
}
