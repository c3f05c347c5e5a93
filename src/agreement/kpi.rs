//! The shared KPI definitions of an agreement: [`Kpis`].

use chrono::{DateTime, Datelike, Months, NaiveDate, TimeZone, Utc};

use crate::calendar::Zone;
use crate::metrics::ConversionMode;
use crate::{Currency, Error, ErrorKind, Period, StageId};

mod deals;
mod economics;
mod forecast;
mod handoff;
mod hygiene;
mod icp;
mod marketing_return;
mod retention;
mod waterfall;

pub(crate) use deals::quarter;
pub use deals::{CoverageTerms, CycleTerms, DealGrouping, PipelineTerms, VelocityTerms, WinRateTerms};
pub use economics::{CacRatioTerms, EconomicsTerms};
pub use forecast::ForecastTerms;
pub use handoff::{EmployeeBand, MqlHandoff};
pub use hygiene::FunnelHygiene;
pub use icp::IcpReview;
pub use marketing_return::{CostStages, ReturnTerms};
pub use retention::{CohortGrain, RetentionKpiTerms};
pub use waterfall::{ExperimentTerms, LeadGrouping, StageRate, WaterfallTerms};

/// One conversion step both teams report: from stage A to stage B of the funnel's order, in
/// one [`ConversionMode`].
///
/// # Wire format
///
/// `{ "from": "mql", "to": "sql", "mode": "entity_cohort" }`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ConversionStep {
    /// Stage A.
    pub from: StageId,
    /// Stage B (after A in the funnel's order).
    pub to: StageId,
    /// How the rate links A and B.
    pub mode: ConversionMode,
}

/// The window a KPI reports over, resolved against the evaluation's `as_of` in the agreement's
/// reporting zone (calendar years and months start at local midnight, DST-correct).
///
/// # Wire format
///
/// `"all_time"`, `"previous_calendar_year"`, `{ "calendar_year": 2024 }`,
/// `{ "trailing_months": 12 }` or `{ "quarter": 0 }` (the calendar quarter `as_of` falls in;
/// 1 the next, -1 the previous).
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::agreement::ReportWindow;
/// use revops::calendar::Zone;
///
/// let as_of = Utc.with_ymd_and_hms(2025, 4, 1, 0, 0, 0).single().unwrap_or_default();
/// let year = ReportWindow::PreviousCalendarYear.resolve(as_of, "America/New_York".parse()?)?;
/// assert_eq!(year.start().to_rfc3339(), "2024-01-01T05:00:00+00:00"); // midnight in New York
/// let trailing = ReportWindow::TrailingMonths(12).resolve(as_of, Zone::UTC)?;
/// assert_eq!((trailing.start().to_rfc3339().as_str(), trailing.end()), ("2024-04-01T00:00:00+00:00", as_of));
/// assert_eq!(ReportWindow::TrailingMonths(12).to_string(), "trailing 12 months"); // in words
/// let quarter = ReportWindow::Quarter(0).resolve(as_of, Zone::UTC)?; // Q2 2025, as_of its first instant
/// assert_eq!((quarter.start(), quarter.end().to_rfc3339().as_str()), (as_of, "2025-07-01T00:00:00+00:00"));
/// assert_eq!(ReportWindow::Quarter(-1).to_string(), "previous quarter");
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ReportWindow {
    /// No bound: every fact counts.
    #[default]
    AllTime,
    /// The calendar year before the one `as_of` falls in.
    PreviousCalendarYear,
    /// One calendar year.
    CalendarYear(i32),
    /// The `n` calendar months up to `as_of`: `[as_of - n months, as_of)`.
    TrailingMonths(u32),
    /// A whole calendar quarter, counted from the one `as_of` falls in (0: that quarter; 1:
    /// the next; -1: the previous), as [`CoverageTerms::quarter`] counts.
    Quarter(i32),
}

impl ReportWindow {
    /// The half-open period this window covers as of `as_of`, in `zone`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InstantOutOfRange`] if a bound leaves chrono's range or does not exist in
    /// `zone`.
    pub fn resolve(self, as_of: DateTime<Utc>, zone: Zone) -> Result<Period, Error> {
        let year_start = |year: i32| -> Result<DateTime<Utc>, Error> {
            let date = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| out_of_range(&year))?;
            zone.start_of_day(date)
        };
        match self {
            ReportWindow::AllTime => Ok(Period::all_time()),
            ReportWindow::PreviousCalendarYear => {
                let year = as_of.with_timezone(&zone).year();
                let previous = year.checked_sub(1).ok_or_else(|| out_of_range(&year))?;
                Period::new(year_start(previous)?, year_start(year)?)
            }
            ReportWindow::CalendarYear(year) => {
                let next = year.checked_add(1).ok_or_else(|| out_of_range(&year))?;
                Period::new(year_start(year)?, year_start(next)?)
            }
            ReportWindow::TrailingMonths(months) => {
                let local = as_of.with_timezone(&zone).naive_local();
                let start = local.checked_sub_months(Months::new(months)).ok_or_else(|| out_of_range(&months))?;
                let start = zone.from_local_datetime(&start).earliest().ok_or_else(|| out_of_range(&start))?;
                Period::new(start.to_utc(), as_of)
            }
            ReportWindow::Quarter(offset) => quarter(as_of, zone, offset),
        }
    }
}

impl core::fmt::Display for ReportWindow {
    /// The window in words: `all time`, `previous calendar year`, `calendar year 2024`,
    /// `trailing 12 months`, `current quarter`, `next quarter`, `2 quarters back`.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            ReportWindow::AllTime => f.write_str("all time"),
            ReportWindow::PreviousCalendarYear => f.write_str("previous calendar year"),
            ReportWindow::CalendarYear(year) => write!(f, "calendar year {year}"),
            ReportWindow::TrailingMonths(1) => f.write_str("trailing month"),
            ReportWindow::TrailingMonths(months) => write!(f, "trailing {months} months"),
            ReportWindow::Quarter(0) => f.write_str("current quarter"),
            ReportWindow::Quarter(1) => f.write_str("next quarter"),
            ReportWindow::Quarter(-1) => f.write_str("previous quarter"),
            ReportWindow::Quarter(n) if *n > 0 => write!(f, "{n} quarters ahead"),
            ReportWindow::Quarter(n) => write!(f, "{} quarters back", n.unsigned_abs()),
        }
    }
}

fn out_of_range(what: &dyn core::fmt::Display) -> Error {
    ErrorKind::InstantOutOfRange { instant: what.to_string() }.into()
}

/// The shared KPI definitions: which numbers the board shows, each by its metric's definition.
///
/// # Wire format
///
/// ```json
/// { "conversion": [<ConversionStep>, ...], "conversion_period": "previous_calendar_year",
///   "conversion_window_days": 90, "currency": "USD", "hygiene": <FunnelHygiene>,
///   "mql_handoff": <MqlHandoff> }
/// ```
///
/// and the deal and unit-economics KPIs (each optional, each its own table; money in `currency`):
///
/// ```toml
/// [kpis]
/// currency = "USD"                  # the currency of every money KPI (needed by them)
/// [kpis.win_rate]                   # WinRateTerms
/// [kpis.cycle]                      # CycleTerms
/// [kpis.velocity]                   # VelocityTerms
/// [kpis.pipeline]                   # PipelineTerms (weighted open pipeline)
/// [kpis.coverage]                   # CoverageTerms (a quota)
/// [kpis.economics]                  # EconomicsTerms (unit-economics assumptions)
/// [kpis.icp]                        # IcpReview (who closes, by tier; buying-group coverage)
/// [kpis.forecast]                   # ForecastTerms (the roll-up by forecast category)
/// [kpis.return_on_marketing]        # ReturnTerms (spend, ROAS and ROI per model, cost per stage)
/// [kpis.waterfall]                  # WaterfallTerms (the funnel waterfall; experiments on its groups)
/// [kpis.retention]                  # RetentionKpiTerms (GRR, NRR, churn by cohort and ICP tier)
/// ```
///
/// Every part optional: `conversion_period` defaults to `"all_time"`, no window, no currency
/// (then the board has no money figures: no glance section, no hygiene block, no deal KPI, no
/// ICP review), no hygiene block, no handoff board, no deal KPI, no ICP review (the ICP section
/// then has the tier counts only), no forecast. (The lead milestones the SLA clocks use are a
/// part of each [`SlaTerms`](super::SlaTerms).)
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Kpis {
    /// The conversion steps, in board order.
    #[serde(default)]
    pub conversion: Vec<ConversionStep>,
    /// The cohort (or flow) period of every conversion step: A entries in this window count.
    #[serde(default)]
    pub conversion_period: ReportWindow,
    /// For the cohort modes, B must follow A within this many days (none: no limit). Period
    /// flow has no window.
    #[serde(default)]
    pub conversion_window_days: Option<u32>,
    /// The currency the board's money figures are in (bookings, spend, revenue per lead,
    /// pipeline); a fact in another currency is set aside, never converted. Needed by the
    /// glance section and the hygiene block.
    #[serde(default)]
    pub currency: Option<Currency>,
    /// The funnel-hygiene block's definitions.
    #[serde(default)]
    pub hygiene: Option<FunnelHygiene>,
    /// The MQL-to-SAL handoff board's definitions (needs the agreement's scoring model).
    #[serde(default)]
    pub mql_handoff: Option<MqlHandoff>,
    /// Win rate by count and by value, overall, by origin and per grouping.
    #[serde(default)]
    pub win_rate: Option<WinRateTerms>,
    /// Sales cycle, created to closed.
    #[serde(default)]
    pub cycle: Option<CycleTerms>,
    /// Pipeline velocity and its parts.
    #[serde(default)]
    pub velocity: Option<VelocityTerms>,
    /// Weighted open pipeline.
    #[serde(default)]
    pub pipeline: Option<PipelineTerms>,
    /// Pipeline coverage of a quarter against a quota.
    #[serde(default)]
    pub coverage: Option<CoverageTerms>,
    /// Unit economics: CAC, LTV, payback, CAC ratio, and their assumptions.
    #[serde(default)]
    pub economics: Option<EconomicsTerms>,
    /// The ICP review: outcomes by tier and criterion, an explained score, buying-group
    /// coverage of the open deals (needs the agreement's ICP set and the currency).
    #[serde(default)]
    pub icp: Option<IcpReview>,
    /// The forecast by category: the roll-up of the deals closing in a period by forecast
    /// category, with Salesforce's cumulative columns and coverage against a quota.
    #[serde(default)]
    pub forecast: Option<ForecastTerms>,
    /// Return on marketing: the spend of a window by channel and campaign beside the revenue
    /// the named rule-based models attribute to it (ROAS, ROI), and the cost per stage.
    #[serde(default)]
    pub return_on_marketing: Option<ReturnTerms>,
    /// The funnel waterfall over the leads (entered, advanced, leaked, open per stage; time in
    /// stage; aging; groups against the overall) and the experiments read off its groups.
    #[serde(default)]
    pub waterfall: Option<WaterfallTerms>,
    /// Retention of the customers' recurring revenue over a period: GRR, NRR, logo and revenue
    /// churn, expansion and contraction, by acquisition cohort and by ICP tier. Not written
    /// when `None`, so agreements without it keep their fingerprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<RetentionKpiTerms>,
}
