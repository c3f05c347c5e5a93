//! The deal KPIs of an agreement: win rate ([`WinRateTerms`]), sales cycle ([`CycleTerms`]),
//! pipeline velocity ([`VelocityTerms`]), weighted pipeline ([`PipelineTerms`]) and coverage
//! against a quota ([`CoverageTerms`]).

use chrono::{DateTime, Months, Utc};

use super::ReportWindow;
use crate::calendar::Zone;
use crate::facts::{Deal, Origin};
use crate::metrics::{Bucket, CycleOutcome};
use crate::{Error, ErrorKind, Money, Period};

/// A key that splits the deals of a win rate into groups.
///
/// # Wire format
///
/// `"lead_source"` (the deal's [`Deal::source`]; deals without one group under no key) or
/// `"origin"` (its [`Origin`], e.g. `"marketing"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum DealGrouping {
    /// The lead source channel of the deal.
    LeadSource,
    /// The deal's origin.
    Origin,
}

impl DealGrouping {
    /// The key of `deal` under this grouping (`None`: the deal has no such key).
    #[must_use]
    pub fn key(self, deal: &Deal) -> Option<String> {
        match self {
            DealGrouping::LeadSource => deal.source.as_ref().map(|s| s.as_str().to_owned()),
            DealGrouping::Origin => Some(deal.origin.as_str().to_owned()),
        }
    }
}

/// Win rate: won over won + lost, by count and by value (won over closed amount), over the
/// deals closed in a window; overall, for some origins on their own, and per group.
///
/// # Wire format
///
/// ```toml
/// period = { trailing_months = 12 }   # a ReportWindow: deals closed in it count
/// group_by = ["lead_source"]          # DealGrouping keys, each a table of rates (optional)
/// origins = ["marketing"]             # origins reported on their own (optional)
/// ```
///
/// # Example
///
/// ```
/// use revops::agreement::{DealGrouping, WinRateTerms};
///
/// let terms: WinRateTerms = toml::from_str("period = { trailing_months = 12 }\ngroup_by = [\"lead_source\"]")?;
/// assert_eq!(terms.group_by, [DealGrouping::LeadSource]);
/// assert!(terms.origins.is_empty());
/// assert!(toml::from_str::<WinRateTerms>("period = \"all_time\"\ngroup_by = [\"origin\", \"origin\"]").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "WinRateWire")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(with = "WinRateWire"))]
pub struct WinRateTerms {
    /// Deals closed in this window count.
    pub period: ReportWindow,
    /// The groupings, each reported as its own table, in this order; each at most once.
    #[serde(default)]
    pub group_by: Vec<DealGrouping>,
    /// The origins reported on their own (e.g. marketing-sourced), in this order; each at most once.
    #[serde(default)]
    pub origins: Vec<Origin>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct WinRateWire {
    /// Deals closed in this window count.
    period: ReportWindow,
    /// The groupings, each reported as its own table, in this order; each at most once.
    #[serde(default)]
    group_by: Vec<DealGrouping>,
    /// The origins reported on their own (e.g. marketing-sourced), in this order; each at most once.
    #[serde(default)]
    origins: Vec<Origin>,
}

impl TryFrom<WinRateWire> for WinRateTerms {
    type Error = Error;
    fn try_from(w: WinRateWire) -> Result<WinRateTerms, Error> {
        let terms = WinRateTerms { period: w.period, group_by: w.group_by, origins: w.origins };
        terms.check()?;
        Ok(terms)
    }
}

impl WinRateTerms {
    /// Checks that no grouping and no origin is given twice.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`] naming the repeated key.
    pub fn check(&self) -> Result<(), Error> {
        if let Some(g) = repeated(&self.group_by) {
            return Err(invalid("kpis.win_rate.group_by", format!("{g:?}"), "each grouping at most once"));
        }
        if let Some(o) = repeated(&self.origins) {
            return Err(invalid("kpis.win_rate.origins", o.as_str().to_owned(), "each origin at most once"));
        }
        Ok(())
    }
}

/// Sales cycle, created to closed, in elapsed days and in calendar days of the reporting zone,
/// of the deals closed in a window, per outcome.
///
/// # Wire format
///
/// `{ "period": { "trailing_months": 12 }, "outcomes": ["won", "lost"] }`; outcomes are
/// [`CycleOutcome`]s (`"won"`, `"lost"`, `"closed"`), at least one, each at most once.
///
/// # Example
///
/// ```
/// use revops::agreement::CycleTerms;
/// use revops::metrics::CycleOutcome;
///
/// let terms: CycleTerms = serde_json::from_str(r#"{ "period": "all_time", "outcomes": ["won", "lost"] }"#)?;
/// assert_eq!(terms.outcomes, [CycleOutcome::Won, CycleOutcome::Lost]);
/// assert!(serde_json::from_str::<CycleTerms>(r#"{ "period": "all_time", "outcomes": [] }"#).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "CycleWire")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(with = "CycleWire"))]
pub struct CycleTerms {
    /// Deals closed in this window count.
    pub period: ReportWindow,
    /// The outcomes measured, in board order.
    pub outcomes: Vec<CycleOutcome>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct CycleWire {
    /// Deals closed in this window count.
    period: ReportWindow,
    /// The outcomes measured, in board order.
    outcomes: Vec<CycleOutcome>,
}

impl TryFrom<CycleWire> for CycleTerms {
    type Error = Error;
    fn try_from(w: CycleWire) -> Result<CycleTerms, Error> {
        let terms = CycleTerms { period: w.period, outcomes: w.outcomes };
        terms.check()?;
        Ok(terms)
    }
}

impl CycleTerms {
    /// Checks that there is at least one outcome and none is given twice.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`] naming the field.
    pub fn check(&self) -> Result<(), Error> {
        if self.outcomes.is_empty() {
            return Err(invalid("kpis.cycle.outcomes", "[]".to_owned(), "name at least one outcome"));
        }
        if let Some(o) = repeated(&self.outcomes) {
            return Err(invalid("kpis.cycle.outcomes", format!("{o:?}"), "each outcome at most once"));
        }
        Ok(())
    }
}

/// Pipeline velocity: open qualified opportunities x win rate x average won deal size / cycle
/// days (of the won deals), the rate, size and cycle over the deals closed in a window; open as
/// of the evaluation's `as_of`.
///
/// # Wire format
///
/// `{ "period": { "trailing_months": 12 } }`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct VelocityTerms {
    /// Deals closed in this window give the win rate, the deal size and the cycle.
    pub period: ReportWindow,
}

/// Weighted open pipeline: the open deals' amounts, each times its probability.
///
/// # Wire format
///
/// `{ "qualified_only": false }` (default `false`: every open deal counts).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PipelineTerms {
    /// Count qualified open deals only.
    #[serde(default)]
    pub qualified_only: bool,
}

/// Pipeline coverage of one calendar quarter (in the reporting zone): open qualified pipeline
/// with a close date in the quarter over the quota still to close (quota minus won in it).
///
/// # Wire format
///
/// ```toml
/// quarter = 0                                        # quarters after the one as_of falls in
/// quota = { amount = "1500000.00", currency = "USD" } # a Money, in the KPI currency
/// assumed = true                                     # the quota is an assumption, not a plan
/// ```
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::agreement::CoverageTerms;
/// use revops::calendar::Zone;
///
/// let terms: CoverageTerms = toml::from_str("quarter = 1\nquota = { amount = \"90000.00\", currency = \"USD\" }")?;
/// let as_of = Utc.with_ymd_and_hms(2025, 2, 10, 0, 0, 0).single().unwrap_or_default();
/// let q2 = terms.resolve(as_of, Zone::UTC)?;
/// assert_eq!(q2.start().to_rfc3339(), "2025-04-01T00:00:00+00:00");
/// assert!(toml::from_str::<CoverageTerms>("quota = { amount = \"-1.00\", currency = \"USD\" }").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "CoverageWire")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(with = "CoverageWire"))]
pub struct CoverageTerms {
    /// The quarter, counted from the one `as_of` falls in (0: that quarter; 1: the next; -1:
    /// the previous).
    #[serde(default)]
    pub quarter: i32,
    /// The quarter's quota; not negative, whole minor units.
    pub quota: Money,
    /// Whether the quota is an assumption (the board says so).
    #[serde(default)]
    pub assumed: bool,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct CoverageWire {
    /// The quarter, counted from the one `as_of` falls in (0: that quarter; 1: the next; -1:
    /// the previous).
    #[serde(default)]
    quarter: i32,
    /// The quarter's quota; not negative, whole minor units.
    quota: Money,
    /// Whether the quota is an assumption (the board says so).
    #[serde(default)]
    assumed: bool,
}

impl TryFrom<CoverageWire> for CoverageTerms {
    type Error = Error;
    fn try_from(w: CoverageWire) -> Result<CoverageTerms, Error> {
        let terms = CoverageTerms { quarter: w.quarter, quota: w.quota, assumed: w.assumed };
        terms.check()?;
        Ok(terms)
    }
}

impl CoverageTerms {
    /// Checks the quota: not negative, in whole minor units.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`] for a negative quota; [`ErrorKind::ExcessPrecision`] for
    /// one below the minor unit.
    pub fn check(&self) -> Result<(), Error> {
        if self.quota.is_negative() {
            return Err(invalid("kpis.coverage.quota", self.quota.to_string(), "must not be negative"));
        }
        self.quota.to_minor_i128().map(|_| ())
    }

    /// The quarter these terms cover as of `as_of`, in `zone`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Overflow`] or [`ErrorKind::InstantOutOfRange`] if the quarter leaves
    /// chrono's range.
    pub fn resolve(&self, as_of: DateTime<Utc>, zone: Zone) -> Result<Period, Error> {
        quarter(as_of, zone, self.quarter)
    }
}

/// The calendar quarter `offset` quarters after the one `as_of` falls in, in `zone`.
pub(crate) fn quarter(as_of: DateTime<Utc>, zone: Zone, offset: i32) -> Result<Period, Error> {
    let out = || Error::from(ErrorKind::InstantOutOfRange { instant: format!("{as_of} + {offset} quarters") });
    let start = Bucket::Quarter.start_of(as_of, zone)?;
    let months = offset.checked_mul(3).ok_or_else(out)?;
    let shifted = if months >= 0 {
        start.checked_add_months(Months::new(months.unsigned_abs()))
    } else {
        start.checked_sub_months(Months::new(months.unsigned_abs()))
    };
    Bucket::Quarter.period(shifted.ok_or_else(out)?, zone)
}

/// The first item of `items` that appears twice.
pub(super) fn repeated<T: PartialEq>(items: &[T]) -> Option<&T> {
    items.iter().enumerate().find(|(i, a)| items.iter().skip(i + 1).any(|b| b == *a)).map(|(_, a)| a)
}

/// [`ErrorKind::InvalidValue`].
pub(super) fn invalid(field: &'static str, value: String, reason: &'static str) -> Error {
    ErrorKind::InvalidValue { field, value, reason }.into()
}
