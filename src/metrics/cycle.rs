//! Sales cycle: created to closed, as elapsed days and as calendar days.

use rust_decimal::{Decimal, RoundingStrategy};

use self::histogram::Histogram;
use super::batch::{LOST, WON, floor_seconds, wide_nanos};
use super::definition::same;
use super::{DealSlice, Period, Tally};
use crate::calendar::Zone;
use crate::facts::{Deal, DealStatus};
use crate::{Error, ErrorKind, Ratio};

mod histogram;
#[cfg(feature = "serde")]
mod state;

/// Seconds in a day of elapsed time.
const DAY_SECONDS: i64 = 86_400;
/// Decimal places of every day figure of a [`CycleStats`].
const DAY_DECIMALS: u32 = 6;

/// Which closed deals a [`SalesCycleTally`] measures.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::calendar::Zone;
/// use revops::metrics::{CycleOutcome, sales_cycle};
/// use revops::Period;
/// use revops::facts::{Deal, DealStatus, Reason};
/// use revops::{Currency, Money, OpportunityId};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let zero = Money::from_minor(0, Currency::USD);
/// let deals = [
///     Deal::new(OpportunityId::new("won")?, t(1), zero, DealStatus::Won).closed_at(Some(t(3))),
///     Deal::new(OpportunityId::new("lost")?, t(1), zero, DealStatus::lost(Reason::Price)).closed_at(Some(t(9))),
/// ];
/// let days = |outcome| -> Result<_, revops::Error> {
///     let cycle = sales_cycle(&deals, Period::all_time(), Zone::UTC, outcome)?;
///     Ok((cycle.outcome, cycle.elapsed_days.count, cycle.elapsed_days.total_days.to_string()))
/// };
/// assert_eq!(CycleOutcome::default(), CycleOutcome::Won);
/// assert_eq!(days(CycleOutcome::Won)?, (CycleOutcome::Won, 1, "2".to_owned()));
/// assert_eq!(days(CycleOutcome::Lost)?, (CycleOutcome::Lost, 1, "8".to_owned()));
/// assert_eq!(days(CycleOutcome::Closed)?, (CycleOutcome::Closed, 2, "10".to_owned()));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum CycleOutcome {
    /// Won deals only (the default: "how long does it take to win").
    #[default]
    Won,
    /// Lost deals only.
    Lost,
    /// Won and lost deals.
    Closed,
}

/// Sales cycle length of the deals closed in a period, from `created_at` to `closed_at`.
///
/// - **Population**: deals whose `closed_at` is in the period (half-open), won by default,
///   lost or both by option ([`CycleOutcome`]). Open deals are excluded.
/// - Two named measures, both reported:
///   - **elapsed days** = `(closed_at - created_at)` in seconds / 86,400: a deal created at
///     23:00 and closed at 01:00 the next day took 0.083333 days;
///   - **calendar days** = the number of local midnights between the two instants in the
///     reporting [`Zone`] (`close date - create date` as local dates; Salesforce's
///     `CloseDate - CreatedDate`): the same deal took 1 calendar day. The zone must be named:
///     an IANA location, DST-correct, or an explicitly fixed offset (see
///     [`Bucket`](super::Bucket) for our rule on local days).
/// - **Statistics** ([`CycleStats`]): mean; median = the middle value, or the mean of the two
///   middle values for an even count (SQL `PERCENTILE_CONT(0.5)`); p25, p75, p90 are
///   **nearest-rank** percentiles: the value at 1-based rank `ceil(p/100 x n)` of the sorted
///   values (SQL `PERCENTILE_DISC`); min and max. Every figure is in days, rounded half to
///   even to 6 decimal places. Exact: all values are kept, no sketch.
/// - **Edge cases**: no deal gives `count` 0 and every figure `None`. A deal closed the
///   instant it was created has cycle 0.
///
/// # Wire format
///
/// The partial state (feature `serde`): `period` (`{ "start", "end" }`, RFC 3339), `zone` (a
/// [`Zone`] name), `outcome` (`"won"`, `"lost"` or `"closed"`), `elapsed_seconds` (one whole
/// number per deal, in push order) and `calendar_days` (ascending `[days, deals]` pairs).
/// Deserializing checks the definition and that the state is one some deals produce.
///
/// ```
/// use revops::metrics::SalesCycleTally;
///
/// let json = r#"{
///     "period": {"start": "2026-01-01T00:00:00Z", "end": "2026-04-01T04:00:00Z"},
///     "zone": "America/New_York",
///     "outcome": "won",
///     "elapsed_seconds": [86400, 172800],
///     "calendar_days": [[1, 1], [2, 1]]
/// }"#;
/// let tally: SalesCycleTally = serde_json::from_str(json)?;
/// assert_eq!(tally.count(), 2);
/// assert_eq!(
///     serde_json::to_string(&tally)?,
///     r#"{"period":{"start":"2026-01-01T00:00:00Z","end":"2026-04-01T04:00:00Z"},"zone":"America/New_York","outcome":"won","elapsed_seconds":[86400,172800],"calendar_days":[[1,1],[2,1]]}"#
/// );
/// assert!(serde_json::from_str::<SalesCycleTally>(&json.replace("America/New_York", "EST")).is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::calendar::Zone;
/// use revops::metrics::SalesCycleTally;
/// use revops::Period;
/// use revops::facts::{Deal, DealStatus};
/// use revops::Tally;
/// use revops::{Currency, Money, OpportunityId};
/// use rust_decimal_macros::dec;
///
/// let at = |d, h| Utc.with_ymd_and_hms(2024, 1, d, h, 0, 0).single().unwrap_or_default();
/// let deal = |id: &str, created, closed| -> Result<Deal, revops::Error> {
///     Ok(Deal::new(OpportunityId::new(id)?, created, Money::from_minor(0, Currency::USD), DealStatus::Won)
///         .closed_at(Some(closed)))
/// };
/// let deals = [deal("a", at(1, 23), at(2, 1))?, deal("b", at(1, 0), at(11, 0))?];
/// let cycle = SalesCycleTally::new(Period::all_time(), Zone::UTC).tally(&deals)?;
/// assert_eq!(cycle.elapsed_days.min, Some(dec!(0.083333)));
/// assert_eq!(cycle.calendar_days.min, Some(dec!(1)));
/// assert_eq!(cycle.calendar_days.median, Some(dec!(5.5))); // (1 + 10) / 2
/// assert_eq!(cycle.calendar_days.p90, Some(dec!(10)));      // nearest rank ceil(0.9 x 2) = 2
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SalesCycleTally {
    period: Period,
    zone: Zone,
    outcome: CycleOutcome,
    /// Elapsed seconds per deal.
    elapsed: Vec<i64>,
    /// Calendar days per deal, as counts.
    calendar: Histogram,
}

/// Summary statistics of one cycle measure, in days.
///
/// `mean` = `total_days` / `count`; `median` is the middle value (the mean of the two middle
/// values for an even count); `p25`, `p75` and `p90` are nearest-rank percentiles (the value at
/// 1-based rank `ceil(p/100 x count)` of the sorted values). Every figure is rounded half to
/// even to 6 decimal places, and beside it `*_exact` is the same quotient exactly (a [`Ratio`]
/// of the measured units, seconds or calendar days, over the units in that many days: `mean`
/// is `total / (count x 86,400)` for elapsed days, the median of an even count `(a + b) / (2 x
/// 86,400)`); with `count` 0 every `Option` is `None`.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::calendar::Zone;
/// use revops::metrics::{CycleOutcome, sales_cycle};
/// use revops::Period;
/// use revops::facts::{Deal, DealStatus};
/// use revops::{Currency, Money, OpportunityId};
/// use rust_decimal_macros::dec;
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let mut deals = Vec::new();
/// for (i, days) in [1, 2, 3, 10].into_iter().enumerate() {
///     let deal = Deal::new(OpportunityId::new(&format!("o{i}"))?, t(1), Money::from_minor(0, Currency::USD), DealStatus::Won);
///     deals.push(deal.closed_at(Some(t(1 + days))));
/// }
/// let stats = sales_cycle(&deals, Period::all_time(), Zone::UTC, CycleOutcome::Won)?.elapsed_days;
/// assert_eq!((stats.count, stats.total_days), (4, dec!(16)));
/// assert_eq!(stats.mean, Some(dec!(4)));     // 16 / 4
/// assert_eq!(stats.median, Some(dec!(2.5))); // (2 + 3) / 2
/// assert_eq!(stats.p25, Some(dec!(1)));      // rank ceil(0.25 x 4) = 1
/// assert_eq!(stats.p75, Some(dec!(3)));      // rank 3
/// assert_eq!(stats.p90, Some(dec!(10)));     // rank ceil(3.6) = 4
/// assert_eq!((stats.min, stats.max), (Some(dec!(1)), Some(dec!(10))));
/// // The exact values: 16 x 86,400 s over 4 x 86,400 s a day; (172,800 + 259,200) / (2 x 86,400).
/// assert_eq!(stats.mean_exact.map(|r| (r.numerator(), r.denominator())), Some((dec!(1382400), dec!(345600))));
/// assert_eq!(stats.median_exact.map(|r| r.to_string()), Some("432000/172800 (250.0%)".to_owned()));
/// let none = sales_cycle(&[], Period::all_time(), Zone::UTC, CycleOutcome::Won)?.elapsed_days;
/// assert_eq!((none.count, none.mean, none.median), (0, None, None));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CycleStats {
    /// Deals measured.
    pub count: u64,
    /// Sum of the cycles in days (the mean's numerator).
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    pub total_days: Decimal,
    /// `total_days` exactly: the summed units (seconds, or calendar days) over the units in a day.
    pub total_days_exact: Ratio<Decimal>,
    /// Mean.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str_option"))]
    pub mean: Option<Decimal>,
    /// `mean` exactly.
    pub mean_exact: Option<Ratio<Decimal>>,
    /// Median (mean of the two middle values for an even count).
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str_option"))]
    pub median: Option<Decimal>,
    /// `median` exactly.
    pub median_exact: Option<Ratio<Decimal>>,
    /// 25th nearest-rank percentile.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str_option"))]
    pub p25: Option<Decimal>,
    /// `p25` exactly.
    pub p25_exact: Option<Ratio<Decimal>>,
    /// 75th nearest-rank percentile.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str_option"))]
    pub p75: Option<Decimal>,
    /// `p75` exactly.
    pub p75_exact: Option<Ratio<Decimal>>,
    /// 90th nearest-rank percentile.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str_option"))]
    pub p90: Option<Decimal>,
    /// `p90` exactly.
    pub p90_exact: Option<Ratio<Decimal>>,
    /// Shortest.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str_option"))]
    pub min: Option<Decimal>,
    /// `min` exactly.
    pub min_exact: Option<Ratio<Decimal>>,
    /// Longest.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str_option"))]
    pub max: Option<Decimal>,
    /// `max` exactly.
    pub max_exact: Option<Ratio<Decimal>>,
}

impl CycleStats {
    /// No deal measured.
    const EMPTY: CycleStats = CycleStats {
        count: 0,
        total_days: Decimal::ZERO,
        total_days_exact: Ratio::ZERO,
        mean: None,
        mean_exact: None,
        median: None,
        median_exact: None,
        p25: None,
        p25_exact: None,
        p75: None,
        p75_exact: None,
        p90: None,
        p90_exact: None,
        min: None,
        min_exact: None,
        max: None,
        max_exact: None,
    };
}

/// The result of [`SalesCycleTally`]: the two named measures.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::calendar::Zone;
/// use revops::metrics::{CycleOutcome, SalesCycle, sales_cycle};
/// use revops::Period;
/// use revops::facts::{Deal, DealStatus};
/// use revops::{Currency, Money, OpportunityId};
/// use rust_decimal_macros::dec;
///
/// // Created 22:00, closed 06:00 the next day: 8 hours elapsed, one midnight crossed.
/// let created = Utc.with_ymd_and_hms(2024, 1, 1, 22, 0, 0).single().unwrap_or_default();
/// let closed = Utc.with_ymd_and_hms(2024, 1, 2, 6, 0, 0).single().unwrap_or_default();
/// let deal = Deal::new(OpportunityId::new("a")?, created, Money::from_minor(0, Currency::USD), DealStatus::Won)
///     .closed_at(Some(closed));
/// let cycle: SalesCycle = sales_cycle(&[deal], Period::all_time(), Zone::UTC, CycleOutcome::Won)?;
/// assert_eq!(cycle.outcome, CycleOutcome::Won);
/// assert_eq!(cycle.elapsed_days.mean, Some(dec!(0.333333))); // 8 h / 24 h
/// assert_eq!(cycle.calendar_days.mean, Some(dec!(1)));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SalesCycle {
    /// Which deals were measured.
    pub outcome: CycleOutcome,
    /// Elapsed time, in days of 86,400 seconds.
    pub elapsed_days: CycleStats,
    /// Local calendar-day boundaries crossed.
    pub calendar_days: CycleStats,
}

impl SalesCycleTally {
    /// An empty tally of won deals closed in `period`, with calendar days counted at UTC
    /// offset `zone`. [`SalesCycleTally::outcome`] measures lost or all closed deals instead;
    /// [`SalesCycleTally::count`] is the number of deals measured so far.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::calendar::Zone;
    /// use revops::metrics::{CycleOutcome, SalesCycleTally};
    /// use revops::Period;
    /// use revops::facts::{Deal, DealStatus, Reason};
    /// use revops::{Currency, Money, OpportunityId, Tally};
    ///
    /// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
    /// let lost = Deal::new(OpportunityId::new("a")?, t(1), Money::from_minor(0, Currency::USD), DealStatus::lost(Reason::Price))
    ///     .closed_at(Some(t(4)));
    /// let mut won_only = SalesCycleTally::new(Period::all_time(), Zone::UTC);
    /// won_only.push(&lost)?;
    /// assert_eq!(won_only.count(), 0); // a lost deal is not in the default population
    /// let mut lost_only = SalesCycleTally::new(Period::all_time(), Zone::UTC).outcome(CycleOutcome::Lost);
    /// lost_only.push(&lost)?;
    /// assert_eq!(lost_only.count(), 1);
    /// assert_eq!(lost_only.finish()?.calendar_days.max.map(|d| d.to_string()), Some("3".to_owned()));
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub const fn new(period: Period, zone: Zone) -> SalesCycleTally {
        SalesCycleTally {
            period,
            zone,
            outcome: CycleOutcome::Won,
            elapsed: Vec::new(),
            calendar: Histogram { dense: Vec::new(), sparse: std::collections::BTreeMap::new(), count: 0, total: 0 },
        }
    }

    /// Measures `outcome` deals instead of won ones.
    #[must_use]
    pub const fn outcome(mut self, outcome: CycleOutcome) -> SalesCycleTally {
        self.outcome = outcome;
        self
    }

    /// Adds every deal of a columnar [`DealBatch`](super::DealBatch) or a [`DealSlice`] of one
    /// (validated when the batch was built): the same result as pushing the deals one by one,
    /// faster.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] if a count leaves its range.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::calendar::Zone;
    /// use revops::metrics::{DealBatch, SalesCycleTally};
    /// use revops::Period;
    /// use revops::facts::{Deal, DealStatus};
    /// use revops::{Currency, Money, OpportunityId, Tally};
    ///
    /// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
    /// let deals = [
    ///     Deal::new(OpportunityId::new("a")?, t(1), Money::from_minor(0, Currency::USD), DealStatus::Won).closed_at(Some(t(3))),
    ///     Deal::new(OpportunityId::new("b")?, t(1), Money::from_minor(0, Currency::USD), DealStatus::Won).closed_at(Some(t(7))),
    /// ];
    /// let mut columnar = SalesCycleTally::new(Period::all_time(), Zone::UTC);
    /// columnar.push_batch(&DealBatch::from_deals(&deals, Currency::USD)?)?;
    /// let rows = SalesCycleTally::new(Period::all_time(), Zone::UTC).tally(&deals)?;
    /// assert_eq!(rows.elapsed_days.mean.map(|d| d.to_string()), Some("4".to_owned())); // (2 + 6) / 2
    /// assert_eq!(columnar.finish()?, rows);
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn push_batch<'a>(&mut self, rows: impl Into<DealSlice<'a>>) -> Result<(), Error> {
        let batch: DealSlice<'a> = rows.into();
        let (start, end) = (wide_nanos(self.period.start()), wide_nanos(self.period.end()));
        let wanted = match self.outcome {
            CycleOutcome::Won => WON,
            CycleOutcome::Lost => LOST,
            CycleOutcome::Closed => WON | LOST,
        };
        for (created, closed, _, flags) in batch.rows() {
            let wide = i128::from(closed);
            if flags & wanted == 0 || wide < start || wide >= end {
                continue;
            }
            // Seconds of instants inside the batch range (about +-9.2e9 s): no overflow.
            let (closed, created) = (floor_seconds(closed), floor_seconds(created));
            self.calendar.push(self.zone.day_number_at_second(closed) - self.zone.day_number_at_second(created))?;
            self.elapsed.push(closed - created);
        }
        Ok(())
    }

    /// Deals measured so far.
    #[must_use]
    pub fn count(&self) -> usize {
        self.elapsed.len()
    }
}

impl Tally for SalesCycleTally {
    type Fact = Deal;
    type Output = SalesCycle;

    /// # Errors
    /// [`Deal::check`]'s errors (a close before create is [`ErrorKind::CloseBeforeCreate`]).
    #[inline]
    fn push(&mut self, deal: &Deal) -> Result<(), Error> {
        deal.check()?;
        let Some(closed_at) = deal.closed_at else { return Ok(()) };
        let wanted = matches!(
            (&deal.status, self.outcome),
            (DealStatus::Won, CycleOutcome::Won | CycleOutcome::Closed)
                | (DealStatus::Lost { .. }, CycleOutcome::Lost | CycleOutcome::Closed)
        );
        if !wanted || !self.period.contains(closed_at) {
            return Ok(());
        }
        // Seconds since the epoch of chrono instants (about +-8.2e12) and an offset under a
        // day: no sum or difference here leaves `i64`.
        let (closed, created) = (closed_at.timestamp(), deal.created_at.timestamp());
        let elapsed = closed - created;
        // Local day numbers: whole days since the epoch in the reporting zone.
        let days = self.zone.day_number(closed_at) - self.zone.day_number(deal.created_at);
        self.calendar.push(days)?;
        self.elapsed.push(elapsed);
        Ok(())
    }

    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`] naming `period`, `zone` or `outcome` if `other` measures
    /// another definition; [`ErrorKind::Overflow`].
    fn merge(&mut self, mut other: SalesCycleTally) -> Result<(), Error> {
        const T: &str = "sales cycle";
        same(T, "period", &self.period, &other.period)?;
        same(T, "zone", &self.zone, &other.zone)?;
        same(T, "outcome", &self.outcome, &other.outcome)?;
        self.calendar.merge(other.calendar)?;
        self.elapsed.append(&mut other.elapsed);
        Ok(())
    }

    fn finish(mut self) -> Result<SalesCycle, Error> {
        Ok(SalesCycle {
            outcome: self.outcome,
            elapsed_days: stats(&mut self.elapsed, DAY_SECONDS)?,
            calendar_days: self.calendar.stats()?,
        })
    }
}

/// Statistics of `values` (in units of `1/per_day` days), reordering them in place.
///
/// Exact order statistics by repeated selection (`select_nth_unstable`, linear time each)
/// rather than a full sort.
pub(crate) fn stats(values: &mut [i64], per_day: i64) -> Result<CycleStats, Error> {
    let total: i128 = values.iter().map(|&v| i128::from(v)).sum();
    let n = values.len();
    summarize(n, total, per_day, |wanted| order_statistics(values, wanted))
}

/// Statistics of `n` values summing to `total` (in units of `1/per_day` days); `pick` returns
/// the values at the sorted positions it is given.
fn summarize(
    n: usize,
    total: i128,
    per_day: i64,
    pick: impl FnOnce(&[usize]) -> Vec<(usize, i64)>,
) -> Result<CycleStats, Error> {
    let overflow = || ErrorKind::Overflow { op: "sales cycle statistics" };
    let count = u64::try_from(n).map_err(|_| overflow())?;
    let per_day = Decimal::from(per_day);
    // `units / (parts x per_day)` days: exactly, and rounded half to even to 6 decimals.
    let days = |units: Decimal, parts: u64| -> Result<(Decimal, Ratio<Decimal>), Error> {
        let exact = Ratio::try_new(units, Decimal::from(parts).checked_mul(per_day).ok_or_else(overflow)?)?;
        let value = exact.value().ok_or_else(overflow)?;
        Ok((value.round_dp_with_strategy(DAY_DECIMALS, RoundingStrategy::MidpointNearestEven).normalize(), exact))
    };
    let total_units = Decimal::try_from_i128_with_scale(total, 0).map_err(|_| overflow())?;
    let (total_days, total_days_exact) = days(total_units, 1)?;
    let Some(last) = n.checked_sub(1) else {
        return Ok(CycleStats { count, total_days, total_days_exact, ..CycleStats::EMPTY });
    };
    let (p25, p75, p90) = (at_rank(n, 25).unwrap_or(0), at_rank(n, 75).unwrap_or(0), at_rank(n, 90).unwrap_or(0));
    let (mid_lo, mid_hi) = if n % 2 == 1 { (n / 2, n / 2) } else { (n / 2 - 1, n / 2) };
    let picked = pick(&[0, p25, mid_lo, mid_hi, p75, p90, last]);
    let at = |i: usize| -> Result<Decimal, Error> {
        picked
            .iter()
            .find(|(k, _)| *k == i)
            .map(|(_, v)| Decimal::from(*v))
            .ok_or_else(overflow)
            .map_err(crate::Error::from)
    };
    let one = |i: usize| days(at(i)?, 1);
    let (mean, mean_exact) = days(total_units, count)?;
    let (median, median_exact) = days(at(mid_lo)?.checked_add(at(mid_hi)?).ok_or_else(overflow)?, 2)?;
    let ((p25, p25_exact), (p75, p75_exact), (p90, p90_exact)) = (one(p25)?, one(p75)?, one(p90)?);
    let ((min, min_exact), (max, max_exact)) = (one(0)?, one(last)?);
    Ok(CycleStats {
        count,
        total_days,
        total_days_exact,
        mean: Some(mean),
        mean_exact: Some(mean_exact),
        median: Some(median),
        median_exact: Some(median_exact),
        p25: Some(p25),
        p25_exact: Some(p25_exact),
        p75: Some(p75),
        p75_exact: Some(p75_exact),
        p90: Some(p90),
        p90_exact: Some(p90_exact),
        min: Some(min),
        min_exact: Some(min_exact),
        max: Some(max),
        max_exact: Some(max_exact),
    })
}

/// The values at sorted positions `wanted` (each below `values.len()`), as `(position,
/// value)`, by successive selections on the shrinking right part.
fn order_statistics(values: &mut [i64], wanted: &[usize]) -> Vec<(usize, i64)> {
    let mut positions: Vec<usize> = wanted.to_vec();
    positions.sort_unstable();
    positions.dedup();
    let mut out = Vec::with_capacity(positions.len());
    let mut offset = 0;
    for k in positions {
        let Some(rest) = values.get_mut(offset..) else { break };
        let Some(local) = k.checked_sub(offset) else { continue };
        if local >= rest.len() {
            break;
        }
        let (_, v, _) = rest.select_nth_unstable(local);
        out.push((k, *v));
        offset = k + 1;
    }
    out
}

/// 0-based index of the nearest-rank `p`th percentile of `n` sorted values: rank
/// `ceil(p/100 x n)`, at least 1. `None` for no values.
pub(crate) fn at_rank(n: usize, p: usize) -> Option<usize> {
    if n == 0 {
        return None;
    }
    let rank = (p.checked_mul(n)?).div_ceil(100).max(1);
    Some(rank - 1)
}

/// [`SalesCycleTally`] over a slice: the cycle of the `outcome` deals closed in `period`, with
/// calendar days counted in `zone`.
///
/// # Errors
/// [`Deal::check`]'s errors.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::calendar::Zone;
/// use revops::metrics::{CycleOutcome, sales_cycle};
/// use revops::Period;
/// use revops::facts::{Deal, DealStatus};
/// use revops::{Currency, Money, OpportunityId};
/// use rust_decimal_macros::dec;
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let zero = Money::from_minor(0, Currency::USD);
/// let deals = [
///     Deal::new(OpportunityId::new("a")?, t(1), zero, DealStatus::Won).closed_at(Some(t(11))),
///     Deal::new(OpportunityId::new("b")?, t(1), zero, DealStatus::Won).closed_at(Some(t(31))), // outside
/// ];
/// let january = Period::new(t(1), t(31))?;
/// let cycle = sales_cycle(&deals, january, Zone::UTC, CycleOutcome::Won)?;
/// assert_eq!((cycle.elapsed_days.count, cycle.elapsed_days.mean), (1, Some(dec!(10))));
/// // A deal closed before it was created is refused.
/// let backwards = Deal::new(OpportunityId::new("c")?, t(5), zero, DealStatus::Won).closed_at(Some(t(4)));
/// assert!(sales_cycle(&[backwards], january, Zone::UTC, CycleOutcome::Won).is_err());
/// # Ok::<(), revops::Error>(())
/// ```
pub fn sales_cycle(deals: &[Deal], period: Period, zone: Zone, outcome: CycleOutcome) -> Result<SalesCycle, Error> {
    SalesCycleTally::new(period, zone).outcome(outcome).tally(deals)
}

#[cfg(test)]
mod tests;
