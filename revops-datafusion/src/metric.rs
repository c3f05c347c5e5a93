//! `revops_deal_metric`, `revops_stage_conversion` and `revops_speed_to_lead`: the shared KPIs
//! as aggregate functions whose partial state is the crate's serialized tally.
//!
//! A metric is named by a definition literal, the same JSON the crate's conformance vectors
//! use (`tests/vectors/metrics/`): `{"metric": "win_rate", "period": ..., "currency": "USD"}`.
//! `period` is explicit (`{"start": ..., "end": ...}`, half-open) or a report window of the
//! agreement (`"all_time"`, `{"trailing_months": 12}`, `{"calendar_year": 2024}`,
//! `{"quarter": 0}`, `"previous_calendar_year"`), resolved against the `as_of` argument in
//! `zone` (an IANA name, default `"UTC"`); `"all_time"` needs no `as_of`. Grouping is SQL's:
//! `GROUP BY region` gives one win rate per region, each computed by the crate's tally over
//! that group's rows.

use datafusion::arrow::array::{Array, ArrayRef};
use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::error::{DataFusionError, Result};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDFImpl, Signature, Volatility};
use datafusion::scalar::ScalarValue;
use revops::agreement::ReportWindow;
use revops::calendar::Zone;
use revops::facts::Origin;
use revops::metrics::{
    Bucket, ConversionTally, CoverageTally, CreatedToWonTally, CycleOutcome, LossReasonTally, ResponseTime,
    SalesCycleTally, SpeedToLeadTally, StageConversion, VelocityTally, WeightedPipelineTally, WinRateTally,
};
use revops::{Currency, LeadId, Money, Period, Tally};
use serde::{Deserialize, Serialize};

use crate::columns::{Arguments, bad_record, int64, req_text, text};
use crate::schema::{DEAL_METRIC_COLUMNS, STAGE_CHANGE_COLUMNS};
use crate::tables::{read_deals, read_stage_changes};
use crate::udaf::{external, json, literal_as_of, literal_text, read_states, state_fields, write_state};

/// A period: explicit, or a report window resolved against `as_of`.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
enum PeriodSpec {
    Window(ReportWindow),
    Explicit(Period),
}

fn utc() -> String {
    "UTC".to_owned()
}

/// Every metric the functions compute, tagged by `metric` (the vectors' names and terms).
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "metric", rename_all = "snake_case", deny_unknown_fields)]
enum Definition {
    /// Won over won + lost of the deals closed in `period`, by count and value.
    WinRate {
        period: PeriodSpec,
        currency: Currency,
        #[serde(default = "utc")]
        zone: String,
        #[serde(default)]
        origin: Option<Origin>,
    },
    /// Of the deals created in `period`, the share won.
    CreatedToWon {
        period: PeriodSpec,
        #[serde(default = "utc")]
        zone: String,
    },
    /// Days from created to closed of the deals closed in `period`.
    SalesCycle {
        period: PeriodSpec,
        #[serde(default = "utc")]
        zone: String,
        outcome: CycleOutcome,
    },
    /// Open qualified deals x win rate x average deal size / cycle length.
    PipelineVelocity {
        period: PeriodSpec,
        currency: Currency,
        #[serde(default = "utc")]
        zone: String,
    },
    /// Open pipeline weighted by win probability.
    WeightedPipeline {
        currency: Currency,
        #[serde(default)]
        qualified_only: bool,
    },
    /// Open pipeline closing in `period` over `quota`.
    Coverage {
        period: PeriodSpec,
        #[serde(default = "utc")]
        zone: String,
        quota: Money,
    },
    /// Lost deals of `period` by reason.
    LossReasons {
        period: PeriodSpec,
        #[serde(default = "utc")]
        zone: String,
        currency: Currency,
    },
    /// Business time from lead (or MQL) to first response against a target (over response
    /// times: a lead and its business seconds, null for never answered).
    SpeedToLead {
        /// The target, as duration text (`"1h"`, `"PT30M"`).
        target: String,
    },
    /// Conversion from one stage to another (over stage changes).
    StageConversion {
        conversion: StageConversion,
        period: PeriodSpec,
        #[serde(default)]
        bucket: Option<Bucket>,
        #[serde(default = "utc")]
        zone: String,
    },
}

/// A metric's tally: the partial state the functions carry between partitions.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(clippy::large_enum_variant)] // one per accumulator, never stored in bulk
enum MetricTally {
    WinRate(WinRateTally),
    CreatedToWon(CreatedToWonTally),
    SalesCycle(SalesCycleTally),
    PipelineVelocity(VelocityTally),
    WeightedPipeline(WeightedPipelineTally),
    Coverage(CoverageTally),
    LossReasons(LossReasonTally),
    StageConversion(ConversionTally),
    SpeedToLead(SpeedToLeadTally),
}

/// What the definition needs besides the tally at the end: the stage conversion's buckets.
#[derive(Clone, Copy, Debug)]
struct Finish {
    bucket: Option<(Bucket, Zone)>,
}

fn plan(name: &str, what: impl std::fmt::Display) -> DataFusionError {
    DataFusionError::Plan(format!("{name}: {what}"))
}

impl Definition {
    /// The empty tally of this definition, as of `as_of`.
    fn tally(self, name: &str, as_of: Option<chrono::DateTime<chrono::Utc>>) -> Result<(MetricTally, Finish)> {
        let zone = |z: &str| -> Result<Zone> { z.parse().map_err(|e| plan(name, format!("zone: {e}"))) };
        let period = |p: &PeriodSpec, z: Zone| -> Result<Period> {
            match p {
                PeriodSpec::Explicit(p) => Ok(*p),
                // The one window that needs no instant.
                PeriodSpec::Window(ReportWindow::AllTime) => Ok(Period::all_time()),
                PeriodSpec::Window(w) => {
                    let as_of = as_of.ok_or_else(|| plan(name, "a report window needs the as_of argument"))?;
                    w.resolve(as_of, z).map_err(external)
                }
            }
        };
        let needs_as_of = || as_of.ok_or_else(|| plan(name, "pipeline velocity needs the as_of argument"));
        let none = Finish { bucket: None };
        Ok(match self {
            Definition::WinRate { period: p, currency, zone: z, origin } => {
                (MetricTally::WinRate(WinRateTally::new(period(&p, zone(&z)?)?, currency).origin(origin)), none)
            }
            Definition::CreatedToWon { period: p, zone: z } => {
                (MetricTally::CreatedToWon(CreatedToWonTally::new(period(&p, zone(&z)?)?)), none)
            }
            Definition::SalesCycle { period: p, zone: z, outcome } => {
                let z = zone(&z)?;
                (MetricTally::SalesCycle(SalesCycleTally::new(period(&p, z)?, z).outcome(outcome)), none)
            }
            Definition::PipelineVelocity { period: p, currency, zone: z } => {
                let p = period(&p, zone(&z)?)?;
                (MetricTally::PipelineVelocity(VelocityTally::new(p, needs_as_of()?, currency)), none)
            }
            Definition::WeightedPipeline { currency, qualified_only } => (
                MetricTally::WeightedPipeline(WeightedPipelineTally::new(currency).qualified_only(qualified_only)),
                none,
            ),
            Definition::Coverage { period: p, zone: z, quota } => {
                let z = zone(&z)?;
                (MetricTally::Coverage(CoverageTally::new(period(&p, z)?, z, quota).map_err(external)?), none)
            }
            Definition::LossReasons { period: p, zone: z, currency } => {
                (MetricTally::LossReasons(LossReasonTally::new(period(&p, zone(&z)?)?, currency)), none)
            }
            Definition::SpeedToLead { target } => {
                let target =
                    revops::calendar::parse_duration(&target).map_err(|e| plan(name, format!("target: {e}")))?;
                (MetricTally::SpeedToLead(SpeedToLeadTally::new(target).map_err(external)?), none)
            }
            Definition::StageConversion { conversion, period: p, bucket, zone: z } => {
                let z = zone(&z)?;
                let tally = ConversionTally::new(conversion, period(&p, z)?);
                (MetricTally::StageConversion(tally), Finish { bucket: bucket.map(|b| (b, z)) })
            }
        })
    }
}

impl MetricTally {
    /// The fact table the metric reads.
    fn facts(&self) -> Facts {
        match self {
            MetricTally::StageConversion(_) => Facts::StageChanges,
            MetricTally::SpeedToLead(_) => Facts::ResponseTimes,
            _ => Facts::Deals,
        }
    }

    /// Pushes the rows of `arrays` (the function's fact columns).
    fn push(&mut self, arrays: &[ArrayRef]) -> Result<()> {
        if let MetricTally::StageConversion(t) = self {
            let changes = read_stage_changes(&Arguments { names: &STAGE_CHANGE_COLUMNS, arrays })?;
            return changes.iter().try_for_each(|c| t.push(c)).map_err(external);
        }
        if let MetricTally::SpeedToLead(t) = self {
            let times = read_response_times(&Arguments { names: &RESPONSE_TIME_COLUMNS, arrays })?;
            return times.iter().try_for_each(|r| t.push(r)).map_err(external);
        }
        let deals = read_deals(&Arguments { names: &DEAL_METRIC_COLUMNS, arrays })?;
        let push = |result: std::result::Result<(), revops::Error>| result.map_err(external);
        for deal in &deals {
            match self {
                MetricTally::WinRate(t) => push(t.push(deal))?,
                MetricTally::CreatedToWon(t) => push(t.push(deal))?,
                MetricTally::SalesCycle(t) => push(t.push(deal))?,
                MetricTally::PipelineVelocity(t) => push(t.push(deal))?,
                MetricTally::WeightedPipeline(t) => push(t.push(deal))?,
                MetricTally::Coverage(t) => push(t.push(deal))?,
                MetricTally::LossReasons(t) => push(t.push(deal))?,
                MetricTally::StageConversion(_) | MetricTally::SpeedToLead(_) => {}
            }
        }
        Ok(())
    }

    /// Merges a partial state of the same definition (the crate refuses another definition's).
    fn merge(&mut self, other: MetricTally) -> Result<()> {
        let merged = match (self, other) {
            (MetricTally::WinRate(a), MetricTally::WinRate(b)) => a.merge(b),
            (MetricTally::CreatedToWon(a), MetricTally::CreatedToWon(b)) => a.merge(b),
            (MetricTally::SalesCycle(a), MetricTally::SalesCycle(b)) => a.merge(b),
            (MetricTally::PipelineVelocity(a), MetricTally::PipelineVelocity(b)) => a.merge(b),
            (MetricTally::WeightedPipeline(a), MetricTally::WeightedPipeline(b)) => a.merge(b),
            (MetricTally::Coverage(a), MetricTally::Coverage(b)) => a.merge(b),
            (MetricTally::LossReasons(a), MetricTally::LossReasons(b)) => a.merge(b),
            (MetricTally::StageConversion(a), MetricTally::StageConversion(b)) => a.merge(b),
            (MetricTally::SpeedToLead(a), MetricTally::SpeedToLead(b)) => a.merge(b),
            _ => return Err(DataFusionError::Execution("revops: partial states of two different metrics".into())),
        };
        merged.map_err(external)
    }

    /// The result as JSON text (the crate's serialized result).
    fn finish(self, finish: Finish) -> Result<ScalarValue> {
        match self {
            MetricTally::WinRate(t) => json(&t.finish().map_err(external)?),
            MetricTally::CreatedToWon(t) => json(&t.finish().map_err(external)?),
            MetricTally::SalesCycle(t) => json(&t.finish().map_err(external)?),
            MetricTally::PipelineVelocity(t) => json(&t.finish().map_err(external)?),
            MetricTally::WeightedPipeline(t) => json(&t.finish().map_err(external)?),
            MetricTally::Coverage(t) => json(&t.finish().map_err(external)?),
            MetricTally::LossReasons(t) => json(&t.finish().map_err(external)?),
            MetricTally::SpeedToLead(t) => json(&t.finish().map_err(external)?),
            MetricTally::StageConversion(t) => match finish.bucket {
                None => json(&t.finish().map_err(external)?),
                Some((bucket, zone)) => json(&t.finish_by(bucket, zone).map_err(external)?),
            },
        }
    }
}

/// Which fact table a metric function reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Facts {
    Deals,
    StageChanges,
    ResponseTimes,
}

/// The response-time columns of `revops_speed_to_lead`, in argument order.
const RESPONSE_TIME_COLUMNS: [&str; 2] = ["lead", "business_seconds"];

/// Rows of `(lead, business_seconds)` as the crate's response times.
fn read_response_times(source: &Arguments<'_>) -> Result<Vec<ResponseTime>> {
    use crate::columns::ColumnSource as _;
    let (lead, seconds) = (text(source, "lead")?, int64(source, "business_seconds")?);
    (0..source.rows())
        .map(|i| {
            let raw = req_text(&lead, i, &format!("response time row {i}"), "lead")?;
            let record = format!("lead {raw:?}");
            let lead = LeadId::new(raw).map_err(|e| bad_record(&record, "lead", e))?;
            let business_seconds = seconds.is_valid(i).then(|| seconds.value(i));
            if business_seconds.is_some_and(|s| s < 0) {
                return Err(bad_record(&record, "business_seconds", "is negative"));
            }
            Ok(ResponseTime { lead, business_seconds })
        })
        .collect()
}

/// The aggregate functions `revops_deal_metric(definition, as_of, id, created_at, closed_at,
/// close_date, amount_minor, currency, status, probability, loss_reason, qualified, origin)`
/// over rows of the [`deals`](crate::schema::deals) shape, and
/// `revops_stage_conversion(definition, as_of, entity, stage, at)` over rows of the
/// [`stage_changes`](crate::schema::stage_changes) shape, and
/// `revops_speed_to_lead(definition, as_of, lead, business_seconds)` over response times (a
/// lead and its business seconds to first response, `NULL` when never answered; see
/// [`BusinessSeconds`](crate::BusinessSeconds)).
///
/// `definition` is a literal metric definition, the JSON of the crate's conformance vectors
/// (`tests/vectors/metrics/`): `{"metric": "win_rate", "period": ..., "currency": "USD"}`,
/// the metric one of `win_rate`, `created_to_won`, `sales_cycle`, `pipeline_velocity`,
/// `weighted_pipeline`, `coverage`, `loss_reasons` (over deals), `stage_conversion` (over
/// stage changes) or `speed_to_lead` (over response times), with that metric's terms by their domain names. `period` is explicit
/// (`{"start": ..., "end": ...}`, half-open) or a report window of the agreement
/// (`"all_time"`, `{"trailing_months": 12}`, `{"calendar_year": 2024}`, `{"quarter": 0}`,
/// `"previous_calendar_year"`) resolved against `as_of` in `zone` (an IANA name, default
/// `"UTC"`). `as_of` is a literal timestamp, or `NULL` when the definition needs none.
/// Grouping is SQL's: `GROUP BY region` gives one result per region. The result is the crate's result as
/// JSON text (`WinRate`, `SalesCycle`, `Velocity`, ... with their numerators and
/// denominators). The partial state is the crate's serialized tally, so partitioned plans
/// tally each partition and merge; a bad row is an error naming the record and the column.
///
/// # Example
///
/// ```
/// use std::sync::Arc;
///
/// use chrono::{TimeZone, Utc};
/// use datafusion::arrow::array::AsArray;
/// use datafusion::datasource::MemTable;
/// use datafusion::prelude::SessionContext;
/// use revops::facts::{Deal, DealStatus, Reason};
/// use revops::metrics::WinRate;
/// use revops::{Currency, Money, OpportunityId};
///
/// let t = Utc.with_ymd_and_hms(2024, 1, 5, 0, 0, 0).single().unwrap_or_default();
/// let deal = |id: &str, status| -> Result<Deal, revops::Error> {
///     Ok(Deal::new(OpportunityId::new(id)?, t, Money::from_minor(100_00, Currency::USD), status).closed_at(Some(t)))
/// };
/// let deals = [deal("a", DealStatus::Won)?, deal("b", DealStatus::lost(Reason::Price))?];
/// let batch = revops_datafusion::deals_to_batch(&deals)?;
/// let ctx = SessionContext::new();
/// ctx.register_table("deals", Arc::new(MemTable::try_new(batch.schema(), vec![vec![batch]])?))?;
/// revops_datafusion::register(&ctx);
/// let sql = r#"SELECT revops_deal_metric('{"metric":"win_rate","period":"all_time","currency":"USD"}', NULL,
///     id, created_at, closed_at, close_date, amount_minor, currency, status, probability, loss_reason,
///     qualified, origin) FROM deals"#;
/// let runtime = tokio::runtime::Builder::new_current_thread().build()?;
/// let batches = runtime.block_on(async { ctx.sql(sql).await?.collect().await })?;
/// let text = batches.first().map(|b| b.column(0).as_string::<i32>().value(0).to_owned()).unwrap_or_default();
/// let win_rate: WinRate = serde_json::from_str(&text)?;
/// assert_eq!(win_rate.count.to_string(), "1/2 (50.0%)");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Metric {
    facts: Facts,
    signature: Signature,
}

impl Metric {
    /// `revops_deal_metric`.
    #[must_use]
    pub fn deals() -> Metric {
        Metric { facts: Facts::Deals, signature: Signature::any(2 + DEAL_METRIC_COLUMNS.len(), Volatility::Immutable) }
    }

    /// `revops_stage_conversion`.
    #[must_use]
    pub fn stage_changes() -> Metric {
        Metric {
            facts: Facts::StageChanges,
            signature: Signature::any(2 + STAGE_CHANGE_COLUMNS.len(), Volatility::Immutable),
        }
    }

    /// `revops_speed_to_lead`.
    #[must_use]
    pub fn response_times() -> Metric {
        Metric {
            facts: Facts::ResponseTimes,
            signature: Signature::any(2 + RESPONSE_TIME_COLUMNS.len(), Volatility::Immutable),
        }
    }
}

impl Facts {
    /// The function that reads this table.
    const fn function(self) -> &'static str {
        match self {
            Facts::Deals => "revops_deal_metric",
            Facts::StageChanges => "revops_stage_conversion",
            Facts::ResponseTimes => "revops_speed_to_lead",
        }
    }
}

impl AggregateUDFImpl for Metric {
    fn name(&self) -> &'static str {
        self.facts.function()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn accumulator(&self, args: AccumulatorArgs<'_>) -> Result<Box<dyn Accumulator>> {
        let name = self.name();
        let definition: Definition = serde_json::from_str(&literal_text(&args, 0, "definition")?)
            .map_err(|e| plan(name, format!("definition: {e}")))?;
        let (tally, finish) = definition.tally(name, literal_as_of(&args)?)?;
        if tally.facts() != self.facts {
            return Err(plan(name, format!("this metric is computed by {}", tally.facts().function())));
        }
        Ok(Box::new(MetricAccumulator { tally: Some(tally), finish }))
    }

    fn state_fields(&self, args: StateFieldsArgs<'_>) -> Result<Vec<FieldRef>> {
        Ok(state_fields(&args))
    }
}

#[derive(Debug)]
struct MetricAccumulator {
    /// Always `Some` (an `Option` so a wrong state never panics).
    tally: Option<MetricTally>,
    finish: Finish,
}

impl MetricAccumulator {
    fn tally(&mut self) -> Result<&mut MetricTally> {
        self.tally.as_mut().ok_or_else(|| DataFusionError::Internal("revops: no tally".into()))
    }
}

impl Accumulator for MetricAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.tally()?.push(values.get(2..).unwrap_or_default())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        for other in read_states::<MetricTally>(states)? {
            self.tally()?.merge(other)?;
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![write_state(self.tally()?)?])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        // A clone: DataFusion may evaluate more than once (window frames).
        let finish = self.finish;
        self.tally()?.clone().finish(finish)
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + 256
    }
}
