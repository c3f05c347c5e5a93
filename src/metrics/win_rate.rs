//! Win rate over deals closed in a period, and created-to-won over a creation cohort.

use rust_decimal::Decimal;

use super::amount::{add, add_count, decimal, from_minor, minor_units, same_currency};
use super::batch::{LOST, ORIGIN_SHIFT, WON, origin_code, wide_nanos};
use super::definition::same;
use super::{DealSlice, Period, Tally};
use crate::facts::{Deal, DealStatus, Origin};
use crate::{Currency, Error, Money, Ratio};

#[cfg(feature = "serde")]
mod state;

/// The name of [`WinRateTally`] in errors.
const WIN_RATE: &str = "win rate";

/// Win rate of the deals closed in a period.
///
/// - **Count-based** ([`WinRate::count`]): numerator = deals won with `closed_at` in the
///   period; denominator = deals won or lost with `closed_at` in the period.
/// - **Value-based** ([`WinRate::value`]): numerator = amount of those won deals;
///   denominator = amount of those won and lost deals (the fivetran Salesforce package's
///   "win percent" is value-based).
/// - **Time**: a deal belongs to the period its `closed_at` falls in, half-open; when it was
///   created does not matter. Open deals are excluded (they are neither won nor lost yet); so
///   is every deal closed outside the period.
/// - **Filters**: an optional [`Origin`] filter gives the marketing-sourced win rate
///   ([`WinRateTally::origin`]); grouping by lead source, segment or ICP tier is
///   [`Grouped`](super::Grouped) with the caller's key.
/// - **Edge cases**: no closed deal gives `0/0`, whose value is `None` (undefined, not 0%).
///   Zero-amount deals count in the count-based rate and add nothing to the value-based one.
/// - Created-to-won over a creation cohort, which includes still-open deals, is a different
///   metric: [`CreatedToWonTally`].
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::metrics::WinRateTally;
/// use revops::Period;
/// use revops::facts::{Deal, DealStatus, Reason};
/// use revops::Tally;
/// use revops::{Currency, Money, OpportunityId};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let january = Period::new(t(1), t(31))?;
/// let mut tally = WinRateTally::new(january, Currency::USD);
/// for (id, won, closed, cents) in [("a", true, 5, 30_000_00), ("b", false, 9, 10_000_00), ("c", true, 31, 1_00)] {
///     let status = if won { DealStatus::Won } else { DealStatus::lost(Reason::Price) };
///     let deal = Deal::new(OpportunityId::new(id)?, t(1), Money::from_minor(cents, Currency::USD), status)
///         .closed_at(Some(t(closed)));
///     tally.push(&deal)?; // "c" closes on the 31st: outside [1st, 31st)
/// }
/// let rate = tally.finish()?;
/// assert_eq!(rate.count.to_string(), "1/2 (50.0%)");
/// assert_eq!(rate.value.to_string(), "30000.00/40000.00 (75.0%)");
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "state::WinRateState", into = "state::WinRateState")
)]
pub struct WinRateTally {
    period: Period,
    currency: Currency,
    origin: Option<Origin>,
    won: u64,
    lost: u64,
    won_minor: i128,
    closed_minor: i128,
}

/// The result of [`WinRateTally`]: both rates with their parts.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::{Deal, DealStatus, Origin, Reason};
/// use revops::metrics::{WinRate, win_rate};
/// use revops::{Currency, Money, OpportunityId, Period};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let deal = |id: &str, won: bool, dollars: i64, origin| -> Result<Deal, revops::Error> {
///     let status = if won { DealStatus::Won } else { DealStatus::lost(Reason::Price) };
///     let amount = Money::from_minor(dollars * 100, Currency::USD);
///     Ok(Deal::new(OpportunityId::new(id)?, t(1), amount, status).closed_at(Some(t(10))).origin(origin))
/// };
/// let deals = [
///     deal("a", true, 1_000, Origin::Marketing)?,
///     deal("b", false, 3_000, Origin::Marketing)?,
///     deal("c", true, 6_000, Origin::Sales)?,
/// ];
/// let january = Period::new(t(1), t(31))?;
/// let rate: WinRate = win_rate(&deals, january, Currency::USD)?;
/// assert_eq!(rate.count.to_string(), "2/3 (66.7%)"); // won / (won + lost)
/// assert_eq!(rate.lost(), 1);
/// assert_eq!(rate.value.to_string(), "7000.00/10000.00 (70.0%)"); // won amount / closed amount
/// assert_eq!(rate.won_amount, Money::from_minor(7_000_00, Currency::USD));
/// assert_eq!(rate.closed_amount, Money::from_minor(10_000_00, Currency::USD));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct WinRate {
    /// Won deals over closed (won + lost) deals.
    pub count: Ratio,
    /// Won amount over closed amount.
    pub value: Ratio<Decimal>,
    /// Amount of the won deals.
    pub won_amount: Money,
    /// Amount of the closed (won + lost) deals.
    pub closed_amount: Money,
}

impl WinRate {
    /// Deals lost in the period.
    #[must_use]
    pub const fn lost(&self) -> u64 {
        self.count.denominator().saturating_sub(self.count.numerator())
    }
}

impl WinRateTally {
    /// An empty tally of deals closed in `period`, summing amounts in `currency`.
    #[must_use]
    pub const fn new(period: Period, currency: Currency) -> WinRateTally {
        WinRateTally { period, currency, origin: None, won: 0, lost: 0, won_minor: 0, closed_minor: 0 }
    }

    /// Counts only deals of `origin` (`Some(Origin::Marketing)`: the marketing-sourced win
    /// rate); `None` counts every origin.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::facts::{Deal, DealStatus, Origin, Reason};
    /// use revops::metrics::WinRateTally;
    /// use revops::Tally;
    /// use revops::{Currency, Money, OpportunityId, Period};
    ///
    /// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
    /// let deal = |id: &str, won: bool, dollars: i64, origin| -> Result<Deal, revops::Error> {
    ///     let status = if won { DealStatus::Won } else { DealStatus::lost(Reason::Price) };
    ///     let amount = Money::from_minor(dollars * 100, Currency::USD);
    ///     Ok(Deal::new(OpportunityId::new(id)?, t(1), amount, status).closed_at(Some(t(10))).origin(origin))
    /// };
    /// let deals = [
    ///     deal("a", true, 1_000, Origin::Marketing)?,
    ///     deal("b", false, 3_000, Origin::Marketing)?,
    ///     deal("c", true, 6_000, Origin::Sales)?,
    /// ];
    /// let january = Period::new(t(1), t(31))?;
    /// let marketing = WinRateTally::new(january, Currency::USD).origin(Some(Origin::Marketing));
    /// assert_eq!(marketing.period(), january);
    /// assert_eq!(marketing.tally(&deals)?.count.to_string(), "1/2 (50.0%)");
    /// let every = WinRateTally::new(january, Currency::USD).origin(None);
    /// assert_eq!(every.tally(&deals)?.count.to_string(), "2/3 (66.7%)");
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub const fn origin(mut self, origin: Option<Origin>) -> WinRateTally {
        self.origin = origin;
        self
    }

    /// The period.
    #[must_use]
    pub const fn period(&self) -> Period {
        self.period
    }

    /// Adds every deal of a columnar [`DealBatch`](super::DealBatch) or a [`DealSlice`] of one
    /// (validated when the batch was built): the same result as pushing the deals one by one,
    /// faster.
    ///
    /// # Errors
    /// [`ErrorKind::CurrencyMismatch`](crate::ErrorKind::CurrencyMismatch) if the batch is in another currency; [`ErrorKind::Overflow`](crate::ErrorKind::Overflow).
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::facts::{Deal, DealStatus, Origin, Reason};
    /// use revops::metrics::{DealBatch, WinRateTally};
    /// use revops::Tally;
    /// use revops::{Currency, Money, OpportunityId, Period};
    ///
    /// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
    /// let deal = |id: &str, won: bool, dollars: i64, origin| -> Result<Deal, revops::Error> {
    ///     let status = if won { DealStatus::Won } else { DealStatus::lost(Reason::Price) };
    ///     let amount = Money::from_minor(dollars * 100, Currency::USD);
    ///     Ok(Deal::new(OpportunityId::new(id)?, t(1), amount, status).closed_at(Some(t(10))).origin(origin))
    /// };
    /// let deals = [
    ///     deal("a", true, 1_000, Origin::Marketing)?,
    ///     deal("b", false, 3_000, Origin::Marketing)?,
    ///     deal("c", true, 6_000, Origin::Sales)?,
    /// ];
    /// let january = Period::new(t(1), t(31))?;
    /// let batch = DealBatch::from_deals(&deals, Currency::USD)?;
    /// let mut columnar = WinRateTally::new(january, Currency::USD).origin(Some(Origin::Sales));
    /// columnar.push_batch(&batch)?;
    /// assert_eq!(columnar.finish()?.value.to_string(), "6000.00/6000.00 (100.0%)");
    /// // The batch's currency must be the tally's.
    /// assert!(WinRateTally::new(january, Currency::EUR).push_batch(&batch).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn push_batch<'a>(&mut self, rows: impl Into<DealSlice<'a>>) -> Result<(), Error> {
        let batch: DealSlice<'a> = rows.into();
        same_currency(self.currency, batch.currency)?;
        let (start, end) = (wide_nanos(self.period.start()), wide_nanos(self.period.end()));
        let origin = self.origin.map(origin_code);
        // Per slice: at most `len` rows, so `u64` counts and `i128` sums of `i64` amounts cannot
        // overflow; they are added to the tally checked.
        let (mut won, mut lost, mut won_minor, mut closed_minor) = (0u64, 0u64, 0i128, 0i128);
        for (_, closed, amount, flags) in batch.rows() {
            let closed = i128::from(closed);
            if flags & (WON | LOST) == 0 || closed < start || closed >= end {
                continue;
            }
            if origin.is_some_and(|o| flags >> ORIGIN_SHIFT != o) {
                continue;
            }
            closed_minor += i128::from(amount);
            if flags & WON == 0 {
                lost += 1;
            } else {
                won += 1;
                won_minor += i128::from(amount);
            }
        }
        self.won = add_count(self.won, won)?;
        self.lost = add_count(self.lost, lost)?;
        self.won_minor = add(self.won_minor, won_minor)?;
        self.closed_minor = add(self.closed_minor, closed_minor)?;
        Ok(())
    }
}

impl Tally for WinRateTally {
    type Fact = Deal;
    type Output = WinRate;

    /// # Errors
    /// [`Deal::check`]'s errors; [`ErrorKind::MixedCurrency`](crate::ErrorKind::MixedCurrency) for a closed deal in the period in
    /// another currency; [`ErrorKind::Overflow`](crate::ErrorKind::Overflow).
    #[inline]
    fn push(&mut self, deal: &Deal) -> Result<(), Error> {
        deal.check()?;
        let Some(closed_at) = deal.closed_at else { return Ok(()) };
        if !self.period.contains(closed_at) || self.origin.is_some_and(|o| o != deal.origin) {
            return Ok(());
        }
        let minor = minor_units(&deal.id, "amount", deal.amount, self.currency)?;
        match deal.status {
            DealStatus::Won => {
                self.won = add_count(self.won, 1)?;
                self.won_minor = add(self.won_minor, minor)?;
            }
            _ => self.lost = add_count(self.lost, 1)?,
        }
        self.closed_minor = add(self.closed_minor, minor)?;
        Ok(())
    }

    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`](crate::ErrorKind::DefinitionMismatch) naming `period`, `currency` or `origin` if `other` counts
    /// another definition; [`ErrorKind::Overflow`](crate::ErrorKind::Overflow).
    fn merge(&mut self, other: WinRateTally) -> Result<(), Error> {
        same(WIN_RATE, "period", &self.period, &other.period)?;
        same(WIN_RATE, "currency", &self.currency, &other.currency)?;
        same(WIN_RATE, "origin", &self.origin, &other.origin)?;
        let won = add_count(self.won, other.won)?;
        let lost = add_count(self.lost, other.lost)?;
        let won_minor = add(self.won_minor, other.won_minor)?;
        let closed_minor = add(self.closed_minor, other.closed_minor)?;
        (self.won, self.lost, self.won_minor, self.closed_minor) = (won, lost, won_minor, closed_minor);
        Ok(())
    }

    fn finish(self) -> Result<WinRate, Error> {
        Ok(WinRate {
            count: Ratio::new(self.won, add_count(self.won, self.lost)?),
            value: Ratio::try_new(decimal(self.won_minor, self.currency)?, decimal(self.closed_minor, self.currency)?)?,
            won_amount: from_minor(self.won_minor, self.currency)?,
            closed_amount: from_minor(self.closed_minor, self.currency)?,
        })
    }
}

/// [`WinRateTally`] over a slice: the win rate of the deals closed in `period`, amounts in
/// `currency`.
///
/// # Errors
/// As [`WinRateTally`]'s `push`.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::{Deal, DealStatus, Origin, Reason};
/// use revops::metrics::win_rate;
/// use revops::{Currency, Money, OpportunityId, Period};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let deal = |id: &str, won: bool, dollars: i64, origin| -> Result<Deal, revops::Error> {
///     let status = if won { DealStatus::Won } else { DealStatus::lost(Reason::Price) };
///     let amount = Money::from_minor(dollars * 100, Currency::USD);
///     Ok(Deal::new(OpportunityId::new(id)?, t(1), amount, status).closed_at(Some(t(10))).origin(origin))
/// };
/// let deals = [
///     deal("a", true, 1_000, Origin::Marketing)?,
///     deal("b", false, 3_000, Origin::Marketing)?,
///     deal("c", true, 6_000, Origin::Sales)?,
/// ];
/// let january = Period::new(t(1), t(31))?;
/// assert_eq!(win_rate(&deals, january, Currency::USD)?.count.to_string(), "2/3 (66.7%)");
/// // Closed on the 10th: none in February, and no closed deal is undefined, not 0%.
/// let february = Period::new(t(31), Utc.with_ymd_and_hms(2024, 2, 29, 0, 0, 0).single().unwrap_or_default())?;
/// assert_eq!(win_rate(&deals, february, Currency::USD)?.count.value(), None);
/// assert!(win_rate(&deals, january, Currency::EUR).is_err()); // a closed USD deal in a EUR metric
/// # Ok::<(), revops::Error>(())
/// ```
pub fn win_rate(deals: &[Deal], period: Period, currency: Currency) -> Result<WinRate, Error> {
    WinRateTally::new(period, currency).tally(deals)
}

/// Created-to-won: of the deals **created** in a period, the share won so far.
///
/// - **Numerator**: deals created in the period whose status is won (whenever they closed,
///   as far as the caller's facts go).
/// - **Denominator**: every deal created in the period: won, lost and still open.
/// - Differs from the [win rate](WinRateTally) on purpose: it is a cohort metric, it counts
///   open deals in the denominator, so it rises as the cohort matures. Compare cohorts only at
///   the same age.
/// - **Edge cases**: no deal created in the period gives `0/0` (`None`).
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::metrics::created_to_won;
/// use revops::Period;
/// use revops::facts::{Deal, DealStatus, Reason};
/// use revops::{Currency, Money, OpportunityId, Probability};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let usd = Money::from_minor(100_00, Currency::USD);
/// let deals = [
///     Deal::new(OpportunityId::new("a")?, t(2), usd, DealStatus::Won).closed_at(Some(t(20))),
///     Deal::new(OpportunityId::new("b")?, t(3), usd, DealStatus::lost(Reason::Price)).closed_at(Some(t(9))),
///     Deal::new(OpportunityId::new("c")?, t(4), usd, DealStatus::Open { probability: Probability::ZERO }),
/// ];
/// let cohort = created_to_won(&deals, Period::new(t(1), t(31))?)?;
/// assert_eq!(cohort.rate.to_string(), "1/3 (33.3%)"); // the open deal is in the denominator
/// assert_eq!(cohort.open, 1);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(from = "state::CreatedToWonState", into = "state::CreatedToWonState")
)]
pub struct CreatedToWonTally {
    period: Period,
    won: u64,
    lost: u64,
    open: u64,
}

/// The result of [`CreatedToWonTally`]: won over created, with the created deals lost and still
/// open.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::{Deal, DealStatus};
/// use revops::metrics::{CreatedToWon, CreatedToWonTally};
/// use revops::{Currency, Money, OpportunityId, Period, Probability, Tally};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let zero = Money::from_minor(0, Currency::USD);
/// let open = Deal::new(OpportunityId::new("o")?, t(5), zero, DealStatus::Open { probability: Probability::ZERO });
/// let won = Deal::new(OpportunityId::new("w")?, t(6), zero, DealStatus::Won).closed_at(Some(t(9)));
/// // Two partitions of one cohort.
/// let mut east = CreatedToWonTally::new(Period::new(t(1), t(31))?);
/// east.push(&open)?;
/// let mut west = CreatedToWonTally::new(Period::new(t(1), t(31))?);
/// west.push(&won)?;
/// east.merge(west)?;
/// let cohort: CreatedToWon = east.finish()?;
/// assert_eq!((cohort.rate.to_string(), cohort.lost, cohort.open), ("1/2 (50.0%)".to_owned(), 0, 1));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CreatedToWon {
    /// Won over created.
    pub rate: Ratio,
    /// Created and lost.
    pub lost: u64,
    /// Created and still open.
    pub open: u64,
}

impl CreatedToWonTally {
    /// An empty tally of the deals created in `period` (example: [`CreatedToWon`]).
    #[must_use]
    pub const fn new(period: Period) -> CreatedToWonTally {
        CreatedToWonTally { period, won: 0, lost: 0, open: 0 }
    }
}

impl Tally for CreatedToWonTally {
    type Fact = Deal;
    type Output = CreatedToWon;

    fn push(&mut self, deal: &Deal) -> Result<(), Error> {
        deal.check()?;
        if self.period.contains(deal.created_at) {
            let slot = match deal.status {
                DealStatus::Won => &mut self.won,
                DealStatus::Lost { .. } => &mut self.lost,
                DealStatus::Open { .. } => &mut self.open,
            };
            *slot = add_count(*slot, 1)?;
        }
        Ok(())
    }

    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`](crate::ErrorKind::DefinitionMismatch) naming `period` if `other` counts another cohort;
    /// [`ErrorKind::Overflow`](crate::ErrorKind::Overflow).
    fn merge(&mut self, other: CreatedToWonTally) -> Result<(), Error> {
        same("created to won", "period", &self.period, &other.period)?;
        let won = add_count(self.won, other.won)?;
        let lost = add_count(self.lost, other.lost)?;
        let open = add_count(self.open, other.open)?;
        (self.won, self.lost, self.open) = (won, lost, open);
        Ok(())
    }

    fn finish(self) -> Result<CreatedToWon, Error> {
        let created = add_count(add_count(self.won, self.lost)?, self.open)?;
        Ok(CreatedToWon { rate: Ratio::new(self.won, created), lost: self.lost, open: self.open })
    }
}

/// [`CreatedToWonTally`] over a slice.
///
/// # Errors
/// [`Deal::check`]'s errors; [`ErrorKind::Overflow`](crate::ErrorKind::Overflow).
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::{Deal, DealStatus};
/// use revops::metrics::created_to_won;
/// use revops::{Currency, Money, OpportunityId, Period};
///
/// let t = |m, d| Utc.with_ymd_and_hms(2024, m, d, 0, 0, 0).single().unwrap_or_default();
/// let zero = Money::from_minor(0, Currency::USD);
/// // Created in January, won in March: it counts for January's cohort, whenever it closed.
/// let won = Deal::new(OpportunityId::new("w")?, t(1, 20), zero, DealStatus::Won).closed_at(Some(t(3, 2)));
/// let january = Period::new(t(1, 1), t(2, 1))?;
/// assert_eq!(created_to_won(std::slice::from_ref(&won), january)?.rate.to_string(), "1/1 (100.0%)");
/// let february = Period::new(t(2, 1), t(3, 1))?;
/// assert_eq!(created_to_won(&[won], february)?.rate.value(), None); // no deal created: 0/0
/// # Ok::<(), revops::Error>(())
/// ```
pub fn created_to_won(deals: &[Deal], period: Period) -> Result<CreatedToWon, Error> {
    CreatedToWonTally::new(period).tally(deals)
}

/// The marketing-sourced win rate: [`win_rate`] over deals whose origin is
/// [`Origin::Marketing`].
///
/// # Errors
/// As [`win_rate`].
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::{Deal, DealStatus, Origin, Reason};
/// use revops::metrics::{marketing_sourced_win_rate, win_rate};
/// use revops::{Currency, Money, OpportunityId, Period};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let deal = |id: &str, won: bool, dollars: i64, origin| -> Result<Deal, revops::Error> {
///     let status = if won { DealStatus::Won } else { DealStatus::lost(Reason::Price) };
///     let amount = Money::from_minor(dollars * 100, Currency::USD);
///     Ok(Deal::new(OpportunityId::new(id)?, t(1), amount, status).closed_at(Some(t(10))).origin(origin))
/// };
/// let deals = [
///     deal("a", true, 1_000, Origin::Marketing)?,
///     deal("b", false, 3_000, Origin::Marketing)?,
///     deal("c", true, 6_000, Origin::Sales)?,
/// ];
/// let january = Period::new(t(1), t(31))?;
/// let marketing = marketing_sourced_win_rate(&deals, january, Currency::USD)?;
/// assert_eq!(marketing.count.to_string(), "1/2 (50.0%)"); // of the marketing-origin deals only
/// assert_eq!(marketing.value.to_string(), "1000.00/4000.00 (25.0%)");
/// assert_ne!(marketing, win_rate(&deals, january, Currency::USD)?);
/// # Ok::<(), revops::Error>(())
/// ```
pub fn marketing_sourced_win_rate(deals: &[Deal], period: Period, currency: Currency) -> Result<WinRate, Error> {
    WinRateTally::new(period, currency).origin(Some(Origin::Marketing)).tally(deals)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Reason;
    use crate::{OpportunityId, Probability};
    use chrono::{DateTime, TimeZone, Utc};

    fn t(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).unwrap()
    }

    fn deal(id: &str, status: DealStatus, closed: Option<u32>, cents: i64, origin: Origin) -> Deal {
        Deal::new(OpportunityId::new(id).unwrap(), t(1), Money::from_minor(cents, Currency::USD), status)
            .closed_at(closed.map(t))
            .origin(origin)
    }

    #[test]
    fn counts_value_and_origin() {
        let open = DealStatus::Open { probability: Probability::ONE };
        let deals = [
            deal("a", DealStatus::Won, Some(2), 100, Origin::Marketing),
            deal("b", DealStatus::lost(Reason::Price), Some(3), 300, Origin::Sales),
            deal("c", DealStatus::Won, Some(4), 0, Origin::Sales),
            deal("d", open, None, 1_000, Origin::Marketing),
        ];
        let p = Period::new(t(1), t(10)).unwrap();
        let r = win_rate(&deals, p, Currency::USD).unwrap();
        assert_eq!(r.count, Ratio::new(2, 3));
        assert_eq!(r.lost(), 1);
        assert_eq!(r.value.to_string(), "1.00/4.00 (25.0%)");
        let m = marketing_sourced_win_rate(&deals, p, Currency::USD).unwrap();
        assert_eq!(m.count, Ratio::new(1, 1));
        let empty = win_rate(&[], p, Currency::USD).unwrap();
        assert_eq!(empty.count.value(), None);
        assert_eq!(empty.value.value(), None);
        let eur = deal("e", DealStatus::Won, Some(2), 1, Origin::Sales);
        let eur = Deal { amount: Money::from_minor(1, Currency::EUR), ..eur };
        assert_eq!(
            win_rate(&[eur], p, Currency::USD).unwrap_err().to_string(),
            "deal `e`: money in EUR, but the metric sums USD"
        );
        let cohort = created_to_won(&deals, p).unwrap();
        assert_eq!(cohort.rate, Ratio::new(2, 4));
        assert_eq!((cohort.lost, cohort.open), (1, 1));
    }

    #[test]
    fn merge_equals_one_pass() {
        let p = Period::new(t(1), t(10)).unwrap();
        let deals: Vec<Deal> = (0..9)
            .map(|i| {
                let status = if i % 3 == 0 { DealStatus::Won } else { DealStatus::lost(Reason::Other("x".into())) };
                deal(&format!("o{i}"), status, Some(i + 1), i64::from(i) * 100, Origin::Other)
            })
            .collect();
        let mut a = WinRateTally::new(p, Currency::USD);
        let mut b = WinRateTally::new(p, Currency::USD);
        for (i, d) in deals.iter().enumerate() {
            if i % 2 == 0 { a.push(d).unwrap() } else { b.push(d).unwrap() }
        }
        a.merge(b).unwrap();
        assert_eq!(a.finish().unwrap(), win_rate(&deals, p, Currency::USD).unwrap());
        assert!(WinRateTally::new(p, Currency::USD).merge(WinRateTally::new(p, Currency::EUR)).is_err());
    }
}
