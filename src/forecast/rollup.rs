//! [`ForecastTally`]: count, amount and weighted amount by forecast category, single and
//! cumulative, with coverage against a quota.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::window::{CloseWindow, Placement, same_money_currency};
use super::{CategoryMap, Rollup};
use crate::calendar::Zone;
use crate::facts::{Deal, DealStatus, ForecastCategory};
use crate::metrics::amount::{add, add_count, from_minor, minor_units};
use crate::metrics::definition::same;
use crate::metrics::pipeline::exact::Products;
use crate::{Currency, Error, Money, Period, Ratio, Tally};

#[cfg(feature = "serde")]
mod state;

/// Forecast roll-ups ([definitions, section 7](crate::definitions::forecast)): per
/// [`ForecastCategory`], the deals closing in a period, their amount and their weighted amount,
/// in single-category columns and Salesforce's cumulative columns ([`Rollup`]), with coverage
/// against a quota.
///
/// - **In scope**: deals whose close falls in the period: an open deal by its expected
///   `close_date`, a local date of the reporting [`Zone`] (from the local date of the period's
///   start to that of its end, end excluded, as [`CoverageTally`](crate::metrics::CoverageTally)
///   reads it); a won or lost deal by its `closed_at` in `[start, end)`. Open deals without a
///   close date are left out and counted in [`ForecastRollup::open_without_close_date`]. With
///   [`ForecastTally::qualified_only`], open deals not `qualified` are left out (won and lost
///   deals count whatever their flag, as coverage counts won so far).
/// - **Category**: [`CategoryMap::category`]: won is Closed, lost is Omitted, an open deal its
///   own category, else its stage's, else the map's `unmapped` one.
/// - **Weighted amount**: amount x probability, the probability of the deal's status (an open
///   deal's [`Probability`](crate::Probability); won 1; lost 0), summed exactly and rounded half
///   to even to the minor unit once per column, as [`WeightedPipelineTally`](crate::metrics::WeightedPipelineTally)
///   does; so a cumulative column is rounded from its exact sum and may differ by a minor unit
///   from the sum of its rounded single columns.
/// - **Single** columns hold one category each, Omitted included (reported, never counted in a
///   cumulative column). **Cumulative** columns: Open Pipeline = Pipeline + Best Case + Commit;
///   Best Case Forecast = Best Case + Commit + Closed; Commit Forecast = Commit + Closed; Closed
///   Only = Closed. Open Omitted deals leave pipeline, as Salesforce and the fivetran
///   `dbt_salesforce` status rule do.
/// - **Coverage** (with a quota, per cumulative column): the column's open amount over the quota
///   still to close (`quota - Closed`), `None` when the quota is met; and the column's amount
///   over the quota (`to_quota`, `None` for a zero quota). Open Pipeline's coverage is
///   [`CoverageTally`](crate::metrics::CoverageTally)'s, over every category but Omitted.
///
/// # Example
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use revops::calendar::Zone;
/// use revops::facts::{Deal, DealStatus, ForecastCategory as C};
/// use revops::forecast::{CategoryMap, ForecastTally, Rollup};
/// use revops::{Currency, Money, OpportunityId, Period, Probability, Tally};
///
/// let t = |m, d| Utc.with_ymd_and_hms(2024, m, d, 0, 0, 0).single().unwrap_or_default();
/// let usd = |dollars: i64| Money::from_minor(dollars * 100, Currency::USD);
/// let open = |id: &str, dollars, percent, category| -> Result<Deal, revops::Error> {
///     let status = DealStatus::Open { probability: Probability::from_percent(percent)? };
///     Ok(Deal::new(OpportunityId::new(id)?, t(1, 2), usd(dollars), status)
///         .close_date(NaiveDate::from_ymd_opt(2024, 3, 15))
///         .forecast_category(Some(category)))
/// };
/// let deals = [
///     open("p", 10_000, 10, C::Pipeline)?,
///     open("b", 20_000, 50, C::BestCase)?,
///     open("c", 30_000, 80, C::Commit)?,
///     open("x", 40_000, 20, C::Omitted)?, // open but omitted: no column but its own
///     Deal::new(OpportunityId::new("w")?, t(1, 2), usd(25_000), DealStatus::Won).closed_at(Some(t(2, 1))),
/// ];
/// let q1 = Period::new(t(1, 1), t(4, 1))?;
/// let tally = ForecastTally::new(q1, Zone::UTC, Currency::USD, CategoryMap::default()).quota(usd(100_000))?;
/// let rollup = tally.tally(&deals)?;
/// assert_eq!(rollup.single[&C::Omitted].amount, usd(40_000));
/// let commit = &rollup.cumulative[&Rollup::CommitForecast];
/// assert_eq!((commit.totals.deals, commit.totals.amount), (2, usd(55_000))); // Commit + Closed
/// assert_eq!(commit.totals.weighted, usd(49_000)); // 30,000 x 0.8 + 25,000
/// let pipeline = &rollup.cumulative[&Rollup::OpenPipeline];
/// assert_eq!(pipeline.totals.amount, usd(60_000)); // without the omitted deal
/// assert_eq!(pipeline.coverage.map(|r| r.to_string()), Some("60000.00/75000.00 (80.0%)".to_owned()));
/// assert_eq!(rollup.cumulative[&Rollup::BestCaseForecast].to_quota.map(|r| r.to_string()),
///     Some("75000.00/100000.00 (75.0%)".to_owned()));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "state::ForecastState", into = "state::ForecastState")
)]
pub struct ForecastTally {
    window: CloseWindow,
    currency: Currency,
    map: CategoryMap,
    quota: Option<Money>,
    qualified_only: bool,
    sums: [Sums; 5],
    open_without_close_date: u64,
}

/// One category's exact sums.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Sums {
    deals: u64,
    amount_minor: i128,
    weighted: Products,
}

impl Sums {
    const ZERO: Sums = Sums { deals: 0, amount_minor: 0, weighted: Products::ZERO };

    fn merge(&self, other: &Sums) -> Result<Sums, Error> {
        let mut weighted = self.weighted;
        weighted.merge(&other.weighted)?;
        Ok(Sums {
            deals: add_count(self.deals, other.deals)?,
            amount_minor: add(self.amount_minor, other.amount_minor)?,
            weighted,
        })
    }

    fn totals(&self, currency: Currency) -> Result<CategoryTotals, Error> {
        Ok(CategoryTotals {
            deals: self.deals,
            amount: from_minor(self.amount_minor, currency)?,
            weighted: from_minor(self.weighted.rounded()?, currency)?,
        })
    }
}

/// The index of a category in [`ForecastCategory::ALL`].
const fn slot(category: ForecastCategory) -> usize {
    match category {
        ForecastCategory::Pipeline => 0,
        ForecastCategory::BestCase => 1,
        ForecastCategory::Commit => 2,
        ForecastCategory::Omitted => 3,
        ForecastCategory::Closed => 4,
    }
}

/// Count, amount and weighted amount of one column.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CategoryTotals {
    /// Deals counted.
    pub deals: u64,
    /// Their amount.
    pub amount: Money,
    /// Their probability-weighted amount, rounded half to even to the minor unit.
    pub weighted: Money,
}

/// A cumulative column of [`ForecastRollup`]: its totals and, with a quota, its coverage.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CumulativeColumn {
    /// Count, amount and weighted amount of the column's categories.
    pub totals: CategoryTotals,
    /// The amount of its open deals (every category but Closed).
    pub open_amount: Money,
    /// `open_amount / (quota - Closed)`; `None` without a quota or when the quota is met.
    pub coverage: Option<Ratio<Decimal>>,
    /// `amount / quota`; `None` without a quota or for a zero quota.
    pub to_quota: Option<Ratio<Decimal>>,
}

/// The result of [`ForecastTally`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ForecastRollup {
    /// One column per category, every category (Omitted included), in Salesforce's order.
    pub single: BTreeMap<ForecastCategory, CategoryTotals>,
    /// Salesforce's cumulative columns.
    pub cumulative: BTreeMap<Rollup, CumulativeColumn>,
    /// Every deal in scope, all categories: the sum of the single columns.
    pub total: CategoryTotals,
    /// The quota, if given.
    pub quota: Option<Money>,
    /// `quota - Closed`, `None` without a quota or when it is met.
    pub remaining: Option<Money>,
    /// Open deals without an expected close date (left out).
    pub open_without_close_date: u64,
}

impl ForecastTally {
    /// An empty tally of the deals closing in `period` (close dates read in `zone`), in
    /// `currency`, categorised by `map`, every open deal counted, without a quota (example:
    /// [`ForecastTally`]).
    #[must_use]
    pub fn new(period: Period, zone: Zone, currency: Currency, map: CategoryMap) -> ForecastTally {
        ForecastTally {
            window: CloseWindow::new(period, zone),
            currency,
            map,
            quota: None,
            qualified_only: false,
            sums: [Sums::ZERO; 5],
            open_without_close_date: 0,
        }
    }

    /// The same tally with a quota, for coverage.
    ///
    /// # Errors
    /// [`ErrorKind::CurrencyMismatch`](crate::ErrorKind::CurrencyMismatch) if the quota is in another
    /// currency than the tally; [`ErrorKind::Negative`](crate::ErrorKind::Negative) for a negative
    /// quota, [`ErrorKind::ExcessPrecision`](crate::ErrorKind::ExcessPrecision) for one finer than
    /// the currency's minor unit (record `forecast`).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::calendar::Zone;
    /// use revops::forecast::{CategoryMap, ForecastTally};
    /// use revops::{Currency, ErrorKind, Money, Period};
    ///
    /// let tally = ForecastTally::new(Period::all_time(), Zone::UTC, Currency::USD, CategoryMap::default());
    /// let err = tally.clone().quota(Money::from_minor(100, Currency::EUR)).err();
    /// assert!(matches!(err.as_ref().map(|e| e.kind()), Some(ErrorKind::CurrencyMismatch { .. })));
    /// assert!(tally.quota(Money::from_minor(-1, Currency::USD)).is_err());
    /// ```
    pub fn quota(mut self, quota: Money) -> Result<ForecastTally, Error> {
        same_money_currency(self.currency, quota)?;
        minor_units(&"forecast", "quota", quota, self.currency)?;
        self.quota = Some(quota);
        Ok(self)
    }

    /// Counts only `qualified` open deals (won and lost deals count whatever their flag).
    #[must_use]
    pub const fn qualified_only(mut self, yes: bool) -> ForecastTally {
        self.qualified_only = yes;
        self
    }
}

impl Tally for ForecastTally {
    type Fact = Deal;
    type Output = ForecastRollup;

    /// # Errors
    /// [`Deal::check`]'s errors; [`CategoryMap::category`]'s; [`ErrorKind::MixedCurrency`](crate::ErrorKind::MixedCurrency)
    /// for a deal in scope in another currency; [`ErrorKind::Overflow`](crate::ErrorKind::Overflow).
    #[inline]
    fn push(&mut self, deal: &Deal) -> Result<(), Error> {
        deal.check()?;
        let probability = match deal.status {
            DealStatus::Open { probability } => {
                if self.qualified_only && !deal.qualified {
                    return Ok(());
                }
                probability.fraction()
            }
            DealStatus::Won => Decimal::ONE,
            DealStatus::Lost { .. } => Decimal::ZERO,
        };
        match self.window.place(deal) {
            Placement::In => {}
            Placement::NoDate => {
                self.open_without_close_date = add_count(self.open_without_close_date, 1)?;
                return Ok(());
            }
            Placement::Before | Placement::After => return Ok(()),
        }
        let category = self.map.category(deal)?;
        let minor = minor_units(&deal.id, "amount", deal.amount, self.currency)?;
        let Some(sums) = self.sums.get_mut(slot(category)) else { return Ok(()) };
        let (deals, amount_minor) = (add_count(sums.deals, 1)?, add(sums.amount_minor, minor)?);
        if !probability.is_zero() {
            // Changes nothing when it fails, so a failed push leaves the tally as it was.
            sums.weighted.add(minor, probability)?;
        }
        (sums.deals, sums.amount_minor) = (deals, amount_minor);
        Ok(())
    }

    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`](crate::ErrorKind::DefinitionMismatch) naming `period`,
    /// `zone`, `currency`, `category map`, `quota` or `qualified_only` if `other` measures another
    /// definition (a failed merge leaves `self` unchanged); [`ErrorKind::Overflow`](crate::ErrorKind::Overflow).
    fn merge(&mut self, other: ForecastTally) -> Result<(), Error> {
        const T: &str = "forecast roll-up";
        same(T, "period", &self.window.period, &other.window.period)?;
        same(T, "zone", &self.window.zone, &other.window.zone)?;
        same(T, "currency", &self.currency, &other.currency)?;
        same(T, "category map", &self.map, &other.map)?;
        same(T, "quota", &self.quota, &other.quota)?;
        same(T, "qualified_only", &self.qualified_only, &other.qualified_only)?;
        let mut sums = self.sums;
        for (a, b) in sums.iter_mut().zip(&other.sums) {
            *a = a.merge(b)?;
        }
        let without = add_count(self.open_without_close_date, other.open_without_close_date)?;
        (self.sums, self.open_without_close_date) = (sums, without);
        Ok(())
    }

    /// # Errors
    /// [`ErrorKind::Overflow`](crate::ErrorKind::Overflow).
    fn finish(self) -> Result<ForecastRollup, Error> {
        let currency = self.currency;
        let mut single = BTreeMap::new();
        let mut total = Sums::ZERO;
        for (category, sums) in ForecastCategory::ALL.into_iter().zip(&self.sums) {
            single.insert(category, sums.totals(currency)?);
            total = total.merge(sums)?;
        }
        let closed = self.sums.get(slot(ForecastCategory::Closed)).copied().unwrap_or(Sums::ZERO);
        let closed_amount = from_minor(closed.amount_minor, currency)?;
        let remaining = match self.quota {
            Some(quota) => {
                let left = quota.checked_sub(closed_amount)?;
                (!left.is_negative() && !left.is_zero()).then_some(left)
            }
            None => None,
        };
        let mut cumulative = BTreeMap::new();
        for rollup in Rollup::ALL {
            let mut sums = Sums::ZERO;
            let mut open_minor = 0i128;
            for category in rollup.categories() {
                let part = self.sums.get(slot(*category)).copied().unwrap_or(Sums::ZERO);
                sums = sums.merge(&part)?;
                if *category != ForecastCategory::Closed {
                    open_minor = add(open_minor, part.amount_minor)?;
                }
            }
            let totals = sums.totals(currency)?;
            let open_amount = from_minor(open_minor, currency)?;
            let coverage = remaining.map(|r| Ratio::try_new(open_amount.amount(), r.amount())).transpose()?;
            let to_quota = match self.quota {
                Some(q) if !q.is_zero() => Some(Ratio::try_new(totals.amount.amount(), q.amount())?),
                _ => None,
            };
            cumulative.insert(rollup, CumulativeColumn { totals, open_amount, coverage, to_quota });
        }
        Ok(ForecastRollup {
            single,
            cumulative,
            total: total.totals(currency)?,
            quota: self.quota,
            remaining,
            open_without_close_date: self.open_without_close_date,
        })
    }
}

/// [`ForecastTally`] over a slice, without a quota.
///
/// # Errors
/// As [`ForecastTally`]'s `push`.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::calendar::Zone;
/// use revops::facts::{Deal, DealStatus, ForecastCategory, Reason};
/// use revops::forecast::{CategoryMap, forecast_rollup};
/// use revops::{Currency, Money, OpportunityId, Period};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let usd = Money::from_minor(500_00, Currency::USD);
/// let lost = Deal::new(OpportunityId::new("l")?, t(1), usd, DealStatus::lost(Reason::Price)).closed_at(Some(t(9)));
/// let rollup = forecast_rollup(&[lost], Period::new(t(1), t(31))?, Zone::UTC, Currency::USD, &CategoryMap::default())?;
/// // Lost is Omitted: counted in its own column, weighted zero, in no forecast.
/// assert_eq!(rollup.single[&ForecastCategory::Omitted].deals, 1);
/// assert_eq!(rollup.single[&ForecastCategory::Omitted].weighted, Money::from_minor(0, Currency::USD));
/// assert_eq!(rollup.total.amount, usd);
/// # Ok::<(), revops::Error>(())
/// ```
pub fn forecast_rollup(
    deals: &[Deal],
    period: Period,
    zone: Zone,
    currency: Currency,
    map: &CategoryMap,
) -> Result<ForecastRollup, Error> {
    ForecastTally::new(period, zone, currency, map.clone()).tally(deals)
}

#[cfg(test)]
mod tests;
