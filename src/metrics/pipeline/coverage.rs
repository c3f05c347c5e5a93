//! Pipeline coverage: open qualified pipeline closing in the period over the quota still to close.

use rust_decimal::Decimal;

use crate::Period;
use crate::calendar::Zone;
use crate::facts::{Deal, DealStatus};
use crate::metrics::Tally;
use crate::metrics::amount::{add, add_count, exact, from_minor, minor_units, rounded_money};
use crate::metrics::definition::same;
use crate::metrics::period::{epoch_day, local_day};
use crate::ratio::Quantity;
use crate::{Error, Money, Ratio};

/// Pipeline coverage: open qualified pipeline closing in the period over the quota still to
/// close.
///
/// - **Numerator**: amount of deals that are open, `qualified`, and whose expected
///   `close_date` falls in the period's local dates (from the local date of the period's start
///   to the local date of its end, end excluded, in the reporting [`Zone`]). Open deals without a
///   close date are excluded and counted in [`PipelineCoverage::open_without_close_date`].
/// - **Denominator**: `quota - won so far`, where won so far is the amount of deals won with
///   `closed_at` in the period.
/// - **Edge cases**: `None` when the quota is met (won so far >= quota): coverage of nothing
///   left to close is undefined, not infinite.
///
/// # Wire format
///
/// The partial state (feature `serde`): `period` (`{ "start", "end" }`, RFC 3339), `zone` (a
/// [`Zone`] name), `quota` (`{ "amount", "currency" }`), `open_deals` and
/// `open_without_close_date` (counts), `open_minor` and `won_minor` (sums in minor units, as
/// integer strings). Deserializing checks the quota as [`CoverageTally::new`] does.
///
/// ```
/// use revops::metrics::CoverageTally;
/// use revops::Tally;
///
/// let json = r#"{
///     "period": {"start": "2026-01-01T05:00:00Z", "end": "2026-04-01T04:00:00Z"},
///     "zone": "America/New_York",
///     "quota": {"amount": "100000.00", "currency": "USD"},
///     "open_deals": 2, "open_minor": "9000000", "won_minor": "4000000", "open_without_close_date": 1
/// }"#;
/// let tally: CoverageTally = serde_json::from_str(json)?;
/// let result = tally.clone().finish()?;
/// assert_eq!(result.coverage.map(|r| r.to_string()), Some("90000.00/60000.00 (150.0%)".to_owned()));
/// let again: CoverageTally = serde_json::from_str(&serde_json::to_string(&tally)?)?;
/// assert_eq!(again, tally);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Example
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use revops::calendar::Zone;
/// use revops::metrics::CoverageTally;
/// use revops::Period;
/// use revops::facts::{Deal, DealStatus};
/// use revops::Tally;
/// use revops::{Currency, Money, OpportunityId, Probability};
///
/// let t = |m, d| Utc.with_ymd_and_hms(2024, m, d, 0, 0, 0).single().unwrap_or_default();
/// let q1 = Period::new(t(1, 1), t(4, 1))?;
/// let usd = |dollars: i64| Money::from_minor(dollars * 100, Currency::USD);
/// let open = DealStatus::Open { probability: Probability::ZERO };
/// let deals = [
///     Deal::new(OpportunityId::new("won")?, t(1, 2), usd(40_000), DealStatus::Won).closed_at(Some(t(2, 1))),
///     Deal::new(OpportunityId::new("big")?, t(1, 5), usd(180_000), open.clone())
///         .qualified(true)
///         .close_date(NaiveDate::from_ymd_opt(2024, 3, 20)),
/// ];
/// let coverage = CoverageTally::new(q1, Zone::UTC, usd(100_000))?.tally(&deals)?;
/// assert_eq!(coverage.coverage.map(|r| r.to_string()), Some("180000.00/60000.00 (300.0%)".to_owned()));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "CoverageState", into = "CoverageState")
)]
pub struct CoverageTally {
    period: Period,
    zone: Zone,
    quota: Money,
    open_deals: u64,
    open_minor: i128,
    won_minor: i128,
    open_without_close_date: u64,
}

/// The result of [`CoverageTally`]: the coverage with its parts.
///
/// # Example
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use revops::calendar::Zone;
/// use revops::facts::{Deal, DealStatus};
/// use revops::metrics::{PipelineCoverage, coverage};
/// use revops::{Currency, Money, OpportunityId, Period, Probability};
///
/// let t = |m, d| Utc.with_ymd_and_hms(2024, m, d, 0, 0, 0).single().unwrap_or_default();
/// let usd = |dollars: i64| Money::from_minor(dollars * 100, Currency::USD);
/// let open = |id: &str, dollars, close: Option<(u32, u32)>| -> Result<Deal, revops::Error> {
///     let status = DealStatus::Open { probability: Probability::ZERO };
///     let close_date = close.and_then(|(m, d)| NaiveDate::from_ymd_opt(2024, m, d));
///     Ok(Deal::new(OpportunityId::new(id)?, t(1, 2), usd(dollars), status).qualified(true).close_date(close_date))
/// };
/// let won = |id: &str, dollars, m, d| -> Result<Deal, revops::Error> {
///     Ok(Deal::new(OpportunityId::new(id)?, t(1, 2), usd(dollars), DealStatus::Won).closed_at(Some(t(m, d))))
/// };
/// let q1 = Period::new(t(1, 1), t(4, 1))?;
/// let deals = [
///     won("w", 40_000, 2, 1)?,
///     open("in-q1", 90_000, Some((3, 20)))?,
///     open("in-q2", 70_000, Some((4, 1)))?, // closes after the quarter: not counted
///     open("no-date", 10_000, None)?,       // no expected close date: counted apart
/// ];
/// let result: PipelineCoverage = coverage(&deals, q1, Zone::UTC, usd(100_000))?;
/// assert_eq!((result.quota, result.won, result.remaining), (usd(100_000), usd(40_000), Some(usd(60_000))));
/// assert_eq!((result.open_deals, result.open_pipeline, result.open_without_close_date), (1, usd(90_000), 1));
/// assert_eq!(result.coverage.map(|r| r.to_string()), Some("90000.00/60000.00 (150.0%)".to_owned()));
/// // Quota met: nothing left to cover, coverage undefined.
/// let met = coverage(&deals, q1, Zone::UTC, usd(40_000))?;
/// assert_eq!((met.remaining, met.coverage), (None, None));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct PipelineCoverage {
    /// The quota of the period.
    pub quota: Money,
    /// Won so far in the period.
    pub won: Money,
    /// `quota - won`, `None` when the quota is met.
    pub remaining: Option<Money>,
    /// Open qualified deals closing in the period.
    pub open_deals: u64,
    /// Their amount.
    pub open_pipeline: Money,
    /// Open deals without an expected close date (excluded).
    pub open_without_close_date: u64,
    /// Open pipeline over remaining quota; `None` when the quota is met.
    pub coverage: Option<Ratio<Decimal>>,
}

/// Pipeline coverage read at a win rate: what the open pipeline is expected to close.
///
/// From [`PipelineCoverage::at_win_rate`], with the caller's win rate `won / closed` (count- or
/// value-based, over whichever deals the caller chose, typically a trailing period's
/// [`WinRateTally`](crate::metrics::WinRateTally)); the period, open pipeline and remaining
/// quota are the coverage's.
///
/// - **Required coverage** = 1 / win rate = `closed / won`: the coverage that closes the
///   remaining quota if the open pipeline converts at the win rate. `None` when nothing was won
///   (or nothing closed): no pipeline is enough.
/// - **Expected bookings** = open pipeline x win rate = `open x won / closed`, exactly and rounded
///   half to even to the minor unit. `None` when the win rate is undefined (nothing closed).
/// - **Expected attainment** of the remaining quota = expected bookings / remaining quota =
///   `open x won / (closed x remaining)`. `None` when the win rate is undefined or the quota is
///   met. Attainment at or above 1 is the same as coverage at or above the required coverage.
///
/// # Example
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use revops::calendar::Zone;
/// use revops::facts::{Deal, DealStatus};
/// use revops::metrics::coverage;
/// use revops::{Currency, Money, OpportunityId, Period, Probability, Ratio};
/// use rust_decimal_macros::dec;
///
/// let t = |m, d| Utc.with_ymd_and_hms(2024, m, d, 0, 0, 0).single().unwrap_or_default();
/// let usd = |dollars: i64| Money::from_minor(dollars * 100, Currency::USD);
/// let open = Deal::new(OpportunityId::new("o")?, t(1, 2), usd(90_000), DealStatus::Open { probability: Probability::ZERO })
///     .qualified(true)
///     .close_date(NaiveDate::from_ymd_opt(2024, 3, 20));
/// let won = Deal::new(OpportunityId::new("w")?, t(1, 2), usd(40_000), DealStatus::Won).closed_at(Some(t(2, 1)));
/// let q1 = Period::new(t(1, 1), t(4, 1))?;
/// let result = coverage(&[open, won], q1, Zone::UTC, usd(100_000))?; // $90,000 over $60,000 left
/// // Winning 1 deal in 4: a 4x coverage is needed; $22,500 expected, 37.5% of the $60,000 left.
/// let at = result.at_win_rate(Ratio::new(1, 4))?;
/// assert_eq!(at.required_coverage.and_then(|r| r.value()), Some(dec!(4)));
/// assert_eq!(at.expected_bookings, Some(usd(22_500)));
/// assert_eq!(at.expected_attainment.and_then(|r| r.percent()), Some(dec!(37.5)));
/// // Nothing closed yet: no win rate, nothing expected.
/// let none = result.at_win_rate(Ratio::new(0, 0))?;
/// assert_eq!((none.required_coverage, none.expected_bookings, none.expected_attainment), (None, None, None));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CoverageAtWinRate {
    /// `closed / won`: the coverage needed at the win rate; `None` with no win.
    pub required_coverage: Option<Ratio<Decimal>>,
    /// Open pipeline x win rate, rounded half to even to the minor unit.
    pub expected_bookings: Option<Money>,
    /// `expected_bookings` exactly: `open x won / closed` (major units).
    pub expected_bookings_exact: Option<Ratio<Decimal>>,
    /// Expected bookings / remaining quota; `None` when the quota is met.
    pub expected_attainment: Option<Ratio<Decimal>>,
}

impl PipelineCoverage {
    /// This coverage read at `win_rate` (won over closed, counts or amounts): the required
    /// coverage, the expected bookings and the expected attainment ([`CoverageAtWinRate`] has
    /// the definitions and an example).
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) if a product leaves `Decimal`'s range.
    pub fn at_win_rate<T: Quantity>(&self, win_rate: Ratio<T>) -> Result<CoverageAtWinRate, Error> {
        const OP: &str = "coverage at a win rate";
        let overflow = || crate::Error::from(crate::ErrorKind::Overflow { op: OP });
        let (won, closed) = (win_rate.numerator().to_decimal(), win_rate.denominator().to_decimal());
        let open_won = self.open_pipeline.amount().checked_mul(won).ok_or_else(overflow)?;
        let expected_bookings_exact = exact(open_won, closed)?;
        let expected_attainment = match &self.remaining {
            Some(left) => exact(open_won, closed.checked_mul(left.amount()).ok_or_else(overflow)?)?,
            None => None,
        };
        Ok(CoverageAtWinRate {
            required_coverage: exact(closed, won)?,
            expected_bookings: rounded_money(expected_bookings_exact, self.open_pipeline.currency(), OP)?,
            expected_bookings_exact,
            expected_attainment,
        })
    }
}

impl CoverageTally {
    /// An empty tally for `quota` over `period`, reading close dates as local dates in `zone`.
    ///
    /// # Errors
    /// [`ErrorKind::Negative`](crate::ErrorKind::Negative) (record `coverage`, field `quota`) for a negative quota;
    /// an error about the record ([`Error::record`](crate::Error::record)) (record `coverage`) for a quota with more decimals than its
    /// currency has minor units. Checked here, so a bad quota fails before any deal is read.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::calendar::Zone;
    /// use revops::metrics::CoverageTally;
    /// use revops::{Currency, ErrorKind, Money, Period, Tally};
    /// use rust_decimal_macros::dec;
    ///
    /// let t = |m| Utc.with_ymd_and_hms(2024, m, 1, 0, 0, 0).single().unwrap_or_default();
    /// let q1 = Period::new(t(1), t(4))?;
    /// let empty = CoverageTally::new(q1, Zone::UTC, Money::from_minor(1_000_00, Currency::USD))?.finish()?;
    /// assert_eq!(empty.coverage.map(|r| r.to_string()), Some("0.00/1000.00 (0.0%)".to_owned()));
    /// // A negative quota, or one finer than cents, is refused before any deal is read.
    /// assert!(CoverageTally::new(q1, Zone::UTC, Money::new(dec!(-1), Currency::USD)).is_err());
    /// let err = CoverageTally::new(q1, Zone::UTC, Money::new(dec!(0.001), Currency::USD)).err();
    /// assert!(matches!(err.as_ref().map(|e| e.kind()), Some(ErrorKind::ExcessPrecision { .. })));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new(period: Period, zone: Zone, quota: Money) -> Result<CoverageTally, Error> {
        minor_units(&"coverage", "quota", quota, quota.currency())?;
        Ok(CoverageTally {
            period,
            zone,
            quota,
            open_deals: 0,
            open_minor: 0,
            won_minor: 0,
            open_without_close_date: 0,
        })
    }
}

impl Tally for CoverageTally {
    type Fact = Deal;
    type Output = PipelineCoverage;

    fn push(&mut self, deal: &Deal) -> Result<(), Error> {
        deal.check()?;
        let currency = self.quota.currency();
        match deal.status {
            DealStatus::Open { .. } if deal.qualified => match deal.close_date {
                None => self.open_without_close_date = add_count(self.open_without_close_date, 1)?,
                Some(date) => {
                    let day = epoch_day(date);
                    if local_day(self.period.start(), self.zone) <= day && day < local_day(self.period.end(), self.zone)
                    {
                        self.open_minor =
                            add(self.open_minor, minor_units(&deal.id, "amount", deal.amount, currency)?)?;
                        self.open_deals = add_count(self.open_deals, 1)?;
                    }
                }
            },
            DealStatus::Won if deal.closed_at.is_some_and(|c| self.period.contains(c)) => {
                self.won_minor = add(self.won_minor, minor_units(&deal.id, "amount", deal.amount, currency)?)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`](crate::ErrorKind::DefinitionMismatch) naming `period`, `zone` or `quota` (amount or currency) if
    /// `other` measures another definition; [`ErrorKind::Overflow`](crate::ErrorKind::Overflow).
    fn merge(&mut self, other: CoverageTally) -> Result<(), Error> {
        same(COVERAGE, "period", &self.period, &other.period)?;
        same(COVERAGE, "zone", &self.zone, &other.zone)?;
        same(COVERAGE, "quota", &self.quota, &other.quota)?;
        let open_deals = add_count(self.open_deals, other.open_deals)?;
        let open_minor = add(self.open_minor, other.open_minor)?;
        let won_minor = add(self.won_minor, other.won_minor)?;
        let without = add_count(self.open_without_close_date, other.open_without_close_date)?;
        (self.open_deals, self.open_minor, self.won_minor, self.open_without_close_date) =
            (open_deals, open_minor, won_minor, without);
        Ok(())
    }

    /// # Errors
    /// [`ErrorKind::Overflow`](crate::ErrorKind::Overflow).
    fn finish(self) -> Result<PipelineCoverage, Error> {
        let currency = self.quota.currency();
        let won = from_minor(self.won_minor, currency)?;
        let left = self.quota.checked_sub(won)?;
        let remaining = (!left.is_negative() && !left.is_zero()).then_some(left);
        let open_pipeline = from_minor(self.open_minor, currency)?;
        let coverage = remaining.map(|r| Ratio::try_new(open_pipeline.amount(), r.amount())).transpose()?;
        Ok(PipelineCoverage {
            quota: self.quota,
            won,
            remaining,
            open_deals: self.open_deals,
            open_pipeline,
            open_without_close_date: self.open_without_close_date,
            coverage,
        })
    }
}

/// [`CoverageTally`] over a slice.
///
/// # Errors
/// As [`CoverageTally::new`]; [`Deal::check`]'s errors; [`ErrorKind::MixedCurrency`](crate::ErrorKind::MixedCurrency) for a deal in
/// another currency than the quota.
///
/// # Example
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use revops::calendar::Zone;
/// use revops::facts::{Deal, DealStatus};
/// use revops::metrics::coverage;
/// use revops::{Currency, Money, OpportunityId, Period, Probability};
///
/// let t = |m, d| Utc.with_ymd_and_hms(2024, m, d, 0, 0, 0).single().unwrap_or_default();
/// let usd = |dollars: i64| Money::from_minor(dollars * 100, Currency::USD);
/// let open = |id: &str, dollars, close: Option<(u32, u32)>| -> Result<Deal, revops::Error> {
///     let status = DealStatus::Open { probability: Probability::ZERO };
///     let close_date = close.and_then(|(m, d)| NaiveDate::from_ymd_opt(2024, m, d));
///     Ok(Deal::new(OpportunityId::new(id)?, t(1, 2), usd(dollars), status).qualified(true).close_date(close_date))
/// };
/// let won = |id: &str, dollars, m, d| -> Result<Deal, revops::Error> {
///     Ok(Deal::new(OpportunityId::new(id)?, t(1, 2), usd(dollars), DealStatus::Won).closed_at(Some(t(m, d))))
/// };
/// let q1 = Period::new(t(1, 1), t(4, 1))?;
/// // Close dates are local dates in the reporting zone: "late" expects 1 April, after Q1.
/// let deals = [won("w", 50_000, 3, 31)?, open("o", 25_000, Some((3, 31)))?, open("late", 5_000, Some((4, 1)))?];
/// let utc = coverage(&deals, q1, Zone::UTC, usd(100_000))?;
/// assert_eq!(utc.coverage.map(|r| r.to_string()), Some("25000.00/50000.00 (50.0%)".to_owned()));
/// // Read in New York, the UTC quarter's local dates run from 31 December to 30 March: "o" falls out.
/// let new_york: Zone = "America/New_York".parse()?;
/// assert_eq!(coverage(&deals, q1, new_york, usd(100_000))?.open_deals, 0);
/// // The quota's currency is the metric's: a USD deal against a EUR quota is refused.
/// assert!(coverage(&deals, q1, Zone::UTC, Money::from_minor(100, Currency::EUR)).is_err());
/// # Ok::<(), revops::Error>(())
/// ```
pub fn coverage(deals: &[Deal], period: Period, zone: Zone, quota: Money) -> Result<PipelineCoverage, Error> {
    CoverageTally::new(period, zone, quota)?.tally(deals)
}

/// The name of [`CoverageTally`] in errors.
const COVERAGE: &str = "coverage";

/// Wire shape of [`CoverageTally`]'s partial state.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CoverageState {
    period: Period,
    zone: Zone,
    quota: Money,
    open_deals: u64,
    #[serde(with = "crate::metrics::wire::minor")]
    open_minor: i128,
    #[serde(with = "crate::metrics::wire::minor")]
    won_minor: i128,
    open_without_close_date: u64,
}

#[cfg(feature = "serde")]
impl From<CoverageTally> for CoverageState {
    fn from(t: CoverageTally) -> CoverageState {
        CoverageState {
            period: t.period,
            zone: t.zone,
            quota: t.quota,
            open_deals: t.open_deals,
            open_minor: t.open_minor,
            won_minor: t.won_minor,
            open_without_close_date: t.open_without_close_date,
        }
    }
}

#[cfg(feature = "serde")]
impl TryFrom<CoverageState> for CoverageTally {
    type Error = Error;
    fn try_from(s: CoverageState) -> Result<CoverageTally, Error> {
        use crate::metrics::wire::{empty_sum, non_negative};
        const T: &str = "coverage tally";
        non_negative(T, "open_minor", s.open_minor)?;
        non_negative(T, "won_minor", s.won_minor)?;
        empty_sum(T, ("open_deals", s.open_deals), ("open_minor", s.open_minor))?;
        Ok(CoverageTally {
            open_deals: s.open_deals,
            open_minor: s.open_minor,
            won_minor: s.won_minor,
            open_without_close_date: s.open_without_close_date,
            ..CoverageTally::new(s.period, s.zone, s.quota)?
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Currency, OpportunityId, Probability};
    use chrono::{DateTime, NaiveDate, TimeZone, Utc};

    fn t(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).unwrap()
    }

    fn usd(dollars: i64) -> Money {
        Money::from_minor(dollars * 100, Currency::USD)
    }

    #[test]
    fn coverage_over_all_time_in_any_offset() {
        // Regression: the local close-date bounds were chrono dates, and the ends of
        // `Period::all_time()` have no local date east (end) or west (start) of UTC: a panic.
        let deal = Deal::new(
            OpportunityId::new("a").unwrap(),
            t(1),
            usd(100),
            DealStatus::Open { probability: Probability::ZERO },
        )
        .qualified(true)
        .close_date(NaiveDate::from_ymd_opt(2024, 1, 20));
        for hours in [-14, -1, 0, 1, 14] {
            let zone = Zone::fixed(chrono::FixedOffset::east_opt(hours * 3600).unwrap()).unwrap();
            let c = coverage(std::slice::from_ref(&deal), Period::all_time(), zone, usd(1_000)).unwrap();
            assert_eq!((c.open_deals, c.open_pipeline), (1, usd(100)), "offset {hours}h");
        }
        // The bounds are still local dates of the period's ends, half-open.
        let tokyo: Zone = "Asia/Tokyo".parse().unwrap();
        let jan20_tokyo = Utc.with_ymd_and_hms(2024, 1, 19, 15, 0, 0).unwrap();
        let before = Period::new(t(1), jan20_tokyo).unwrap();
        assert_eq!(coverage(std::slice::from_ref(&deal), before, tokyo, usd(1)).unwrap().open_deals, 0);
        let from = Period::new(jan20_tokyo, Utc.with_ymd_and_hms(2024, 1, 20, 15, 0, 0).unwrap()).unwrap();
        assert_eq!(coverage(std::slice::from_ref(&deal), from, tokyo, usd(1)).unwrap().open_deals, 1);
    }

    #[test]
    fn coverage_at_a_win_rate() {
        let open = |id: &str, dollars| {
            Deal::new(
                OpportunityId::new(id).unwrap(),
                t(1),
                usd(dollars),
                DealStatus::Open { probability: Probability::ZERO },
            )
            .qualified(true)
            .close_date(NaiveDate::from_ymd_opt(2024, 1, 20))
        };
        let won = Deal::new(OpportunityId::new("w").unwrap(), t(1), usd(40_000), DealStatus::Won).closed_at(Some(t(5)));
        let january = Period::new(t(1), t(31)).unwrap();
        let deals = [open("a", 50_000), open("b", 40_000), won];
        let c = coverage(&deals, january, Zone::UTC, usd(100_000)).unwrap(); // $90,000 over $60,000 left
        // 3 won of 10 closed: 10/3 needed; 90,000 x 3 / 10 = $27,000 expected, 27,000 / 60,000 = 45%.
        let at = c.at_win_rate(Ratio::new(3, 10)).unwrap();
        let value = |r: Option<Ratio<Decimal>>| r.and_then(|r| r.value());
        assert_eq!(
            at.required_coverage.map(|r| (r.numerator(), r.denominator())),
            Some((Decimal::from(10), Decimal::from(3)))
        );
        assert_eq!(
            (at.expected_bookings, value(at.expected_bookings_exact)),
            (Some(usd(27_000)), Some(Decimal::from(27_000)))
        );
        assert_eq!(value(at.expected_attainment), Some(Decimal::new(45, 2)));
        // Value-based win rate ($1 of every $3 closed): $30,000 expected, 50%.
        let by_value = c.at_win_rate(Ratio::try_new(Decimal::from(100), Decimal::from(300)).unwrap()).unwrap();
        assert_eq!(by_value.expected_bookings, Some(usd(30_000)));
        assert_eq!(value(by_value.expected_attainment), Some(Decimal::new(5, 1)));
        // Nothing won: no coverage is enough, nothing expected.
        let none = c.at_win_rate(Ratio::new(0, 5)).unwrap();
        assert_eq!((none.required_coverage, none.expected_bookings), (None, Some(usd(0))));
        assert_eq!(value(none.expected_attainment), Some(Decimal::ZERO));
        // Quota met: bookings still expected, attainment of nothing left undefined.
        let met = coverage(&deals, january, Zone::UTC, usd(40_000)).unwrap().at_win_rate(Ratio::new(1, 2)).unwrap();
        assert_eq!((met.expected_bookings, met.expected_attainment), (Some(usd(45_000)), None));
    }

    proptest::proptest! {
        /// Attainment at or above 100% exactly when coverage is at or above the required
        /// coverage; bookings rounded half to even from `open x won / closed` (integer cents).
        #[test]
        fn attainment_and_required_coverage_agree(open_cents in 0i64..10_000_000, quota_cents in 1i64..10_000_000, won in 0u64..50, lost in 0u64..50) {
            let deal = Deal::new(OpportunityId::new("o").unwrap(), t(1), Money::from_minor(open_cents, Currency::USD), DealStatus::Open { probability: Probability::ZERO })
                .qualified(true)
                .close_date(NaiveDate::from_ymd_opt(2024, 1, 20));
            let quota = Money::from_minor(quota_cents, Currency::USD);
            let c = coverage(&[deal], Period::new(t(1), t(31)).unwrap(), Zone::UTC, quota).unwrap();
            let closed = won + lost;
            let at = c.at_win_rate(Ratio::new(won, closed)).unwrap();
            if closed == 0 {
                proptest::prop_assert_eq!((at.expected_bookings, at.expected_attainment), (None, None));
                return Ok(());
            }
            // Half to even on integers: q = floor(n / d), r = n - q d.
            let (n, d) = (i128::from(open_cents) * i128::from(won), i128::from(closed));
            let (q, r) = (n / d, n % d);
            let cents = if 2 * r > d || (2 * r == d && q % 2 == 1) { q + 1 } else { q };
            proptest::prop_assert_eq!(at.expected_bookings.and_then(|m| m.to_minor().ok()), i64::try_from(cents).ok());
            // From the parts: attainment >= 1, and coverage >= required coverage.
            let attained = at.expected_attainment.map(|a| a.numerator() >= a.denominator());
            let covered = match (c.coverage, at.required_coverage) {
                (Some(cov), Some(req)) => Some(cov.numerator() * req.denominator() >= req.numerator() * cov.denominator()),
                (Some(_), None) => Some(false), // nothing won: no coverage is enough
                _ => None,
            };
            // Independently: open x won >= closed x remaining (the quota: nothing won in the period).
            let expected = (quota_cents > 0).then(|| i128::from(open_cents) * i128::from(won) >= d * i128::from(quota_cents));
            proptest::prop_assert_eq!(attained, expected);
            proptest::prop_assert_eq!(covered, expected);
        }
    }

    #[test]
    fn a_bad_quota_fails_at_construction() {
        // Regression: a negative quota was accepted by the constructor and refused at `finish`.
        let p = Period::all_time();
        let utc = Zone::UTC;
        let err = CoverageTally::new(p, utc, usd(-1)).unwrap_err();
        assert_eq!(err.to_string(), "quota must not be negative, got -1.00");
        let cents = Money::new(Decimal::new(1, 3), Currency::USD);
        assert_eq!(
            CoverageTally::new(p, utc, cents).unwrap_err().to_string(),
            "amount 0.001 has more decimals than USD allows (2)"
        );
    }
}
