//! One shared KPI as data, outside a whole agreement: [`MetricDefinition`], its tally and its
//! value.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use super::ReportWindow;
use crate::calendar::Zone;
use crate::facts::{Deal, FactSet, Origin, StageChange};
use crate::metrics::{
    Bucket, ConversionTally, CoverageTally, CreatedToWon, CreatedToWonTally, CycleOutcome, LossReasonTally,
    LossReasons, PipelineCoverage, ResponseTime, SalesCycle, SalesCycleTally, SpeedToLeadMetric, SpeedToLeadTally,
    StageConversion, StageConversionRate, Velocity, VelocityTally, WeightedPipeline, WeightedPipelineTally, WinRate,
    WinRateTally,
};
use crate::{Currency, Error, ErrorKind, Money, Period, Tally};

/// The period of a metric definition: a report window resolved against `as_of`, or an explicit
/// half-open period.
///
/// # Wire format
///
/// A [`ReportWindow`] (`"all_time"`, `{"trailing_months": 12}`, `{"calendar_year": 2024}`,
/// `{"quarter": 0}`, `"previous_calendar_year"`), or `{"start": "2024-01-01T00:00:00Z", "end":
/// "2025-01-01T00:00:00Z"}` ([`Period`]).
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::agreement::MetricPeriod;
/// use revops::calendar::Zone;
///
/// let trailing: MetricPeriod = serde_json::from_str(r#"{"trailing_months": 3}"#)?;
/// let as_of = Utc.with_ymd_and_hms(2025, 4, 1, 0, 0, 0).single().unwrap_or_default();
/// assert_eq!(trailing.resolve(Some(as_of), Zone::UTC)?.start().to_rfc3339(), "2025-01-01T00:00:00+00:00");
/// assert!(trailing.resolve(None, Zone::UTC).is_err()); // a window needs as_of
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum MetricPeriod {
    /// A report window, resolved against `as_of` in the definition's zone.
    Window(ReportWindow),
    /// An explicit half-open period.
    Explicit(Period),
}

impl MetricPeriod {
    /// The period as of `as_of` in `zone` (`"all_time"` and explicit periods need no `as_of`).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] (field `as_of`) for another window without `as_of`; the
    /// errors of [`ReportWindow::resolve`].
    pub fn resolve(&self, as_of: Option<DateTime<Utc>>, zone: Zone) -> Result<Period, Error> {
        match self {
            MetricPeriod::Explicit(period) => Ok(*period),
            MetricPeriod::Window(ReportWindow::AllTime) => Ok(Period::all_time()),
            MetricPeriod::Window(window) => window.resolve(as_of.ok_or_else(|| needs_as_of("a report window"))?, zone),
        }
    }
}

fn needs_as_of(what: &'static str) -> Error {
    ErrorKind::InvalidValue { field: "as_of", value: "none".to_owned(), reason: what }.into()
}

/// The terms of one metric, by the metric's name (`metric`); the data of a
/// [`MetricDefinition`]. Money metrics name their `currency`; `zone` (default UTC) is the zone
/// report windows and calendar buckets are cut in.
///
/// # Wire format
///
/// Internally tagged: `{"metric": "<name>", ...terms}` with the names below in snake case;
/// unknown fields are refused. Durations are duration text (`"1h"`, `"PT30M"`), money
/// `{"amount": "1000.00", "currency": "USD"}`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "metric", rename_all = "snake_case", deny_unknown_fields)]
pub enum MetricTerms {
    /// Won over won + lost, by count and value, of the deals closed in `period`
    /// ([`WinRateTally`]).
    WinRate {
        /// Deals closed in this period count.
        period: MetricPeriod,
        /// The currency of the value rates.
        currency: Currency,
        /// The zone of the period's window.
        #[serde(default)]
        zone: Zone,
        /// Only deals of this origin (default: every deal).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        origin: Option<Origin>,
    },
    /// Of the deals created in `period`, the share won ([`CreatedToWonTally`]).
    CreatedToWon {
        /// Deals created in this period count.
        period: MetricPeriod,
        /// The zone of the period's window.
        #[serde(default)]
        zone: Zone,
    },
    /// Days from created to closed of the deals closed in `period` ([`SalesCycleTally`]).
    SalesCycle {
        /// Deals closed in this period count.
        period: MetricPeriod,
        /// The zone of the period's window and of the days counted.
        #[serde(default)]
        zone: Zone,
        /// Won deals, lost deals or both.
        outcome: CycleOutcome,
    },
    /// Open qualified deals x win rate x average deal size / cycle length, the rates from the
    /// deals closed in `period` ([`VelocityTally`]; needs `as_of`).
    PipelineVelocity {
        /// The closed deals of this period give the rates.
        period: MetricPeriod,
        /// The currency of the deal size.
        currency: Currency,
        /// The zone of the period's window.
        #[serde(default)]
        zone: Zone,
    },
    /// Open pipeline weighted by win probability ([`WeightedPipelineTally`]).
    WeightedPipeline {
        /// The currency summed in.
        currency: Currency,
        /// Only qualified open deals (default false).
        #[serde(default)]
        qualified_only: bool,
    },
    /// Open pipeline closing in `period` over `quota` ([`CoverageTally`]).
    Coverage {
        /// Open deals expected to close in this period count.
        period: MetricPeriod,
        /// The zone of the period's window and of close dates.
        #[serde(default)]
        zone: Zone,
        /// The quota covered.
        quota: Money,
    },
    /// Lost deals of `period` by reason ([`LossReasonTally`]).
    LossReasons {
        /// Deals lost in this period count.
        period: MetricPeriod,
        /// The zone of the period's window.
        #[serde(default)]
        zone: Zone,
        /// The currency of the lost value.
        currency: Currency,
    },
    /// Conversion from one stage to another ([`ConversionTally`], over stage changes).
    StageConversion {
        /// The stages, the mode and the window.
        conversion: StageConversion,
        /// The period the conversion counts in.
        period: MetricPeriod,
        /// Rates per calendar bucket of the first stage's entry (default: one overall rate).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bucket: Option<Bucket>,
        /// The zone of the period's window and of the buckets.
        #[serde(default)]
        zone: Zone,
    },
    /// Business time from lead (or MQL) to first response against a target
    /// ([`SpeedToLeadTally`], over response times).
    SpeedToLead {
        /// The response target.
        #[serde(with = "crate::wire::duration")]
        target: TimeDelta,
    },
}

/// One shared KPI as data, outside a whole agreement: [`MetricDefinition`] names a metric and
/// its terms in one value (`{"metric": "win_rate", "period": {"trailing_months": 12},
/// "currency": "USD"}`), [`MetricDefinition::tally`] builds its accumulator
/// ([`MetricTally`]), which finishes to a [`MetricValue`].
///
/// It is the one format in which a metric is named wherever a single figure is computed: the
/// crate's conformance vectors (`tests/vectors/metrics/`) are written in it, and the SQL
/// functions of the `revops-datafusion` companion crate take it as their definition literal,
/// so a data team's JSON, a service and a dashboard test read one definition the same way.
/// An [`Agreement`](super::Agreement) names its KPIs in [`Kpis`](super::Kpis) instead, with
/// their roles on the board; both build the same tallies.
///
/// # Design
///
/// - **A validated wrapper over plain terms.** [`MetricTerms`] is the data (one variant per
///   metric, pub fields, tagged by `metric`); [`MetricDefinition::new`] (and deserializing,
///   which calls it) checks the terms by building their tally once, so a definition that loads
///   is one the metric accepts. Only what depends on the instant of evaluation (`as_of`) is
///   checked when the tally is built.
/// - **One dispatcher, no copied formula.** [`MetricTally`] holds the metric's own tally
///   ([`WinRateTally`], [`ConversionTally`], ...) and forwards to it; its serialized form is
///   that tally's partial state, tagged by metric, so partitions (threads, services, a query
///   engine's partial aggregates) merge exactly like the tally.
/// - **Facts by kind.** Deal metrics read [`Deal`]s, stage conversion [`StageChange`]s and
///   speed to lead [`ResponseTime`]s; [`MetricTally::reads`] says which, and pushing another
///   kind is an error, never a silent zero.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::agreement::{MetricDefinition, MetricValue};
/// use revops::facts::{Deal, DealStatus, Reason};
/// use revops::{Currency, Money, OpportunityId, Tally};
///
/// let text = r#"{"metric": "win_rate", "period": {"trailing_months": 12}, "currency": "USD"}"#;
/// let definition: MetricDefinition = serde_json::from_str(text)?;
/// let t = Utc.with_ymd_and_hms(2025, 1, 5, 0, 0, 0).single().unwrap_or_default();
/// let deal = |id: &str, status| -> Result<Deal, revops::Error> {
///     Ok(Deal::new(OpportunityId::new(id)?, t, Money::from_minor(100_00, Currency::USD), status).closed_at(Some(t)))
/// };
/// let as_of = Utc.with_ymd_and_hms(2025, 4, 1, 0, 0, 0).single().unwrap_or_default();
/// let mut tally = definition.tally(Some(as_of))?;
/// tally.push_deal(&deal("a", DealStatus::Won)?)?;
/// tally.push_deal(&deal("b", DealStatus::lost(Reason::Price))?)?;
/// let MetricValue::WinRate(rate) = tally.finish()? else { return Err("a win rate".into()) };
/// assert_eq!(rate.count.to_string(), "1/2 (50.0%)");
/// // Checked when read: a quota finer than its currency's cents is refused.
/// let coverage = r#"{"metric": "coverage", "period": "all_time", "quota": {"amount": "1.001", "currency": "USD"}}"#;
/// assert!(serde_json::from_str::<MetricDefinition>(coverage).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "MetricTerms", into = "MetricTerms")]
pub struct MetricDefinition {
    terms: MetricTerms,
}

impl TryFrom<MetricTerms> for MetricDefinition {
    type Error = Error;
    fn try_from(terms: MetricTerms) -> Result<MetricDefinition, Error> {
        MetricDefinition::new(terms)
    }
}

impl From<MetricDefinition> for MetricTerms {
    fn from(definition: MetricDefinition) -> MetricTerms {
        definition.terms
    }
}

impl MetricDefinition {
    /// Checks `terms` by building their tally once, every report window read as all time
    /// (resolving a window depends on `as_of`, which [`MetricDefinition::tally`] takes).
    ///
    /// # Errors
    /// The errors of the metric's tally constructor (a quota finer than its currency's minor
    /// unit, a negative target, ...).
    pub fn new(terms: MetricTerms) -> Result<MetricDefinition, Error> {
        let definition = MetricDefinition { terms };
        let all_time = |period: &MetricPeriod, _: Zone| match period {
            MetricPeriod::Explicit(period) => Ok(*period),
            MetricPeriod::Window(_) => Ok(Period::all_time()),
        };
        definition.build(Some(DateTime::UNIX_EPOCH), all_time)?;
        Ok(definition)
    }

    /// The terms.
    #[must_use]
    pub const fn terms(&self) -> &MetricTerms {
        &self.terms
    }

    /// The metric's empty tally as of `as_of` (needed by report windows other than
    /// `"all_time"` and by pipeline velocity).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] (field `as_of`) when the definition needs `as_of` and it is
    /// `None`; the errors of [`MetricPeriod::resolve`] and of the tally's constructor.
    pub fn tally(&self, as_of: Option<DateTime<Utc>>) -> Result<MetricTally, Error> {
        self.build(as_of, |period, zone| period.resolve(as_of, zone))
    }

    /// The tally, each period resolved by `resolve`.
    fn build(
        &self,
        as_of: Option<DateTime<Utc>>,
        resolve: impl Fn(&MetricPeriod, Zone) -> Result<Period, Error>,
    ) -> Result<MetricTally, Error> {
        let state = match &self.terms {
            MetricTerms::WinRate { period, currency, zone, origin } => {
                State::WinRate(WinRateTally::new(resolve(period, *zone)?, *currency).origin(*origin))
            }
            MetricTerms::CreatedToWon { period, zone } => {
                State::CreatedToWon(CreatedToWonTally::new(resolve(period, *zone)?))
            }
            MetricTerms::SalesCycle { period, zone, outcome } => {
                State::SalesCycle(SalesCycleTally::new(resolve(period, *zone)?, *zone).outcome(*outcome))
            }
            MetricTerms::PipelineVelocity { period, currency, zone } => {
                let as_of_ = as_of.ok_or_else(|| needs_as_of("pipeline velocity counts the deals open at as_of"))?;
                State::PipelineVelocity(VelocityTally::new(resolve(period, *zone)?, as_of_, *currency))
            }
            MetricTerms::WeightedPipeline { currency, qualified_only } => {
                State::WeightedPipeline(WeightedPipelineTally::new(*currency).qualified_only(*qualified_only))
            }
            MetricTerms::Coverage { period, zone, quota } => {
                State::Coverage(CoverageTally::new(resolve(period, *zone)?, *zone, *quota)?)
            }
            MetricTerms::LossReasons { period, zone, currency } => {
                State::LossReasons(LossReasonTally::new(resolve(period, *zone)?, *currency))
            }
            MetricTerms::StageConversion { conversion, period, bucket, zone } => State::StageConversion {
                tally: ConversionTally::new(conversion.clone(), resolve(period, *zone)?),
                by: bucket.map(|b| (b, *zone)),
            },
            MetricTerms::SpeedToLead { target } => State::SpeedToLead(SpeedToLeadTally::new(*target)?),
        };
        Ok(MetricTally { state })
    }
}

/// The kind of fact a metric reads ([`MetricTally::reads`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MetricFacts {
    /// [`Deal`]s: every deal metric.
    Deals,
    /// [`StageChange`]s: stage conversion.
    StageChanges,
    /// [`ResponseTime`]s: speed to lead.
    ResponseTimes,
}

/// The accumulator of a [`MetricDefinition`]: the metric's own tally behind one interface.
/// Push the kind of fact it [`reads`](MetricTally::reads), merge partial tallies of the same
/// definition in any order, finish to a [`MetricValue`]. Its serialized form is the inner
/// tally's partial state, tagged by metric (`{"win_rate": {...}}`; stage conversion
/// `{"stage_conversion": {"tally": {...}, "by": ["quarter", "UTC"]}}`, its bucket with it),
/// validated when read.
///
/// [`Tally`] pushes a [`FactSet`] (its deals or stage changes); speed to lead reads response
/// times, which a fact set does not hold ([`ResponseTime::from_milestones`] derives them), so
/// push those with [`MetricTally::push_response_time`].
///
/// Example: [`MetricDefinition`].
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct MetricTally {
    state: State,
}

/// The inner tally, one variant per metric.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[allow(clippy::large_enum_variant)] // one per accumulator, never stored in bulk
enum State {
    WinRate(WinRateTally),
    CreatedToWon(CreatedToWonTally),
    SalesCycle(SalesCycleTally),
    PipelineVelocity(VelocityTally),
    WeightedPipeline(WeightedPipelineTally),
    Coverage(CoverageTally),
    LossReasons(LossReasonTally),
    StageConversion {
        tally: ConversionTally,
        /// Rates per bucket of this kind, cut in this zone.
        by: Option<(Bucket, Zone)>,
    },
    SpeedToLead(SpeedToLeadTally),
}

/// A metric's result: the inner tally's output. Serializes as that output alone (untagged),
/// e.g. a [`WinRate`]'s JSON.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(untagged)]
#[allow(clippy::large_enum_variant)] // one value per finished metric, never stored in bulk
pub enum MetricValue {
    /// `win_rate`.
    WinRate(WinRate),
    /// `created_to_won`.
    CreatedToWon(CreatedToWon),
    /// `sales_cycle`.
    SalesCycle(SalesCycle),
    /// `pipeline_velocity`.
    PipelineVelocity(Velocity),
    /// `weighted_pipeline`.
    WeightedPipeline(WeightedPipeline),
    /// `coverage`.
    Coverage(PipelineCoverage),
    /// `loss_reasons`.
    LossReasons(LossReasons),
    /// `stage_conversion` without a bucket.
    StageConversion(StageConversionRate),
    /// `stage_conversion` by bucket: each bucket's first day, and its rate.
    StageConversionByBucket(BTreeMap<NaiveDate, StageConversionRate>),
    /// `speed_to_lead`.
    SpeedToLead(SpeedToLeadMetric),
}

impl MetricTally {
    /// The kind of fact the metric reads.
    #[must_use]
    pub const fn reads(&self) -> MetricFacts {
        match self.state {
            State::StageConversion { .. } => MetricFacts::StageChanges,
            State::SpeedToLead(_) => MetricFacts::ResponseTimes,
            _ => MetricFacts::Deals,
        }
    }

    fn other_kind(&self, pushed: &'static str) -> Error {
        let reason = match self.reads() {
            MetricFacts::Deals => "this metric reads deals",
            MetricFacts::StageChanges => "this metric reads stage changes",
            MetricFacts::ResponseTimes => "this metric reads response times",
        };
        ErrorKind::InvalidValue { field: "metric fact", value: pushed.to_owned(), reason }.into()
    }

    /// Adds a deal.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] (field `metric fact`) if the metric reads another kind of
    /// fact; the inner tally's errors, naming the deal.
    pub fn push_deal(&mut self, deal: &Deal) -> Result<(), Error> {
        match &mut self.state {
            State::WinRate(t) => t.push(deal),
            State::CreatedToWon(t) => t.push(deal),
            State::SalesCycle(t) => t.push(deal),
            State::PipelineVelocity(t) => t.push(deal),
            State::WeightedPipeline(t) => t.push(deal),
            State::Coverage(t) => t.push(deal),
            State::LossReasons(t) => t.push(deal),
            State::StageConversion { .. } | State::SpeedToLead(_) => Err(self.other_kind("deal")),
        }
    }

    /// Adds a stage change.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] (field `metric fact`) if the metric reads another kind of
    /// fact; the conversion tally's errors (a stage outside the order), naming the lead.
    pub fn push_stage_change(&mut self, change: &StageChange) -> Result<(), Error> {
        match &mut self.state {
            State::StageConversion { tally, .. } => tally.push(change),
            _ => Err(self.other_kind("stage change")),
        }
    }

    /// Adds a response time.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] (field `metric fact`) if the metric reads another kind of
    /// fact; the speed-to-lead tally's errors.
    pub fn push_response_time(&mut self, time: &ResponseTime) -> Result<(), Error> {
        match &mut self.state {
            State::SpeedToLead(t) => t.push(time),
            _ => Err(self.other_kind("response time")),
        }
    }
}

impl Tally for MetricTally {
    type Fact = FactSet;
    type Output = MetricValue;

    /// Adds the fact set's deals (deal metrics) or stage changes (stage conversion).
    ///
    /// # Errors
    /// As [`MetricTally::push_deal`] and [`MetricTally::push_stage_change`];
    /// [`ErrorKind::InvalidValue`] (field `metric fact`) for speed to lead, whose response
    /// times a fact set does not hold.
    fn push(&mut self, facts: &FactSet) -> Result<(), Error> {
        match self.reads() {
            MetricFacts::Deals => facts.deals.iter().try_for_each(|deal| self.push_deal(deal)),
            MetricFacts::StageChanges => facts.stage_changes.iter().try_for_each(|c| self.push_stage_change(c)),
            MetricFacts::ResponseTimes => Err(self.other_kind("fact set")),
        }
    }

    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`] (tally `metric`) for another metric or another stage
    /// conversion bucket; the inner tally's merge errors (another period, currency, ...).
    fn merge(&mut self, other: MetricTally) -> Result<(), Error> {
        let mismatch = |field| Err(ErrorKind::DefinitionMismatch { tally: "metric", field }.into());
        match (&mut self.state, other.state) {
            (State::WinRate(a), State::WinRate(b)) => a.merge(b),
            (State::CreatedToWon(a), State::CreatedToWon(b)) => a.merge(b),
            (State::SalesCycle(a), State::SalesCycle(b)) => a.merge(b),
            (State::PipelineVelocity(a), State::PipelineVelocity(b)) => a.merge(b),
            (State::WeightedPipeline(a), State::WeightedPipeline(b)) => a.merge(b),
            (State::Coverage(a), State::Coverage(b)) => a.merge(b),
            (State::LossReasons(a), State::LossReasons(b)) => a.merge(b),
            (State::StageConversion { tally: a, by: mine }, State::StageConversion { tally: b, by: theirs }) => {
                if *mine != theirs {
                    return mismatch("bucket");
                }
                a.merge(b)
            }
            (State::SpeedToLead(a), State::SpeedToLead(b)) => a.merge(b),
            _ => mismatch("metric"),
        }
    }

    /// # Errors
    /// The inner tally's errors.
    fn finish(self) -> Result<MetricValue, Error> {
        Ok(match self.state {
            State::WinRate(t) => MetricValue::WinRate(t.finish()?),
            State::CreatedToWon(t) => MetricValue::CreatedToWon(t.finish()?),
            State::SalesCycle(t) => MetricValue::SalesCycle(t.finish()?),
            State::PipelineVelocity(t) => MetricValue::PipelineVelocity(t.finish()?),
            State::WeightedPipeline(t) => MetricValue::WeightedPipeline(t.finish()?),
            State::Coverage(t) => MetricValue::Coverage(t.finish()?),
            State::LossReasons(t) => MetricValue::LossReasons(t.finish()?),
            State::StageConversion { tally, by: None } => MetricValue::StageConversion(tally.finish()?),
            State::StageConversion { tally, by: Some((bucket, zone)) } => {
                MetricValue::StageConversionByBucket(tally.finish_by(bucket, zone)?)
            }
            State::SpeedToLead(t) => MetricValue::SpeedToLead(t.finish()?),
        })
    }
}
