//! `revops_deal_metric`, `revops_stage_conversion` and `revops_speed_to_lead`: the shared KPIs
//! as aggregate functions whose partial state is the crate's serialized tally.
//!
//! A metric is named by a definition literal: the crate's
//! [`MetricDefinition`](revops::agreement::MetricDefinition), the JSON its conformance vectors
//! are written in (`tests/vectors/metrics/`): `{"metric": "win_rate", "period": ...,
//! "currency": "USD"}`. The accumulator is the crate's
//! [`MetricTally`](revops::agreement::MetricTally), so the SQL result is the crate's by
//! construction.
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
use revops::agreement::{MetricDefinition, MetricFacts, MetricTally};
use revops::metrics::ResponseTime;
use revops::{LeadId, Tally};

use crate::columns::{Arguments, bad_record, int64, req_text, text};
use crate::schema::{DEAL_METRIC_COLUMNS, STAGE_CHANGE_COLUMNS};
use crate::tables::{read_deals, read_stage_changes};
use crate::udaf::{external, json, literal_as_of, literal_text, read_states, state_fields, write_state};

fn plan(name: &str, what: impl std::fmt::Display) -> DataFusionError {
    DataFusionError::Plan(format!("{name}: {what}"))
}

/// Pushes the rows of `arrays` (the function's fact columns) into `tally`.
fn push(tally: &mut MetricTally, arrays: &[ArrayRef]) -> Result<()> {
    let pushed = match tally.reads() {
        MetricFacts::StageChanges => {
            let changes = read_stage_changes(&Arguments { names: &STAGE_CHANGE_COLUMNS, arrays })?;
            changes.iter().try_for_each(|c| tally.push_stage_change(c))
        }
        MetricFacts::ResponseTimes => {
            let times = read_response_times(&Arguments { names: &RESPONSE_TIME_COLUMNS, arrays })?;
            times.iter().try_for_each(|r| tally.push_response_time(r))
        }
        MetricFacts::Deals => {
            let deals = read_deals(&Arguments { names: &DEAL_METRIC_COLUMNS, arrays })?;
            deals.iter().try_for_each(|d| tally.push_deal(d))
        }
    };
    pushed.map_err(external)
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
/// `definition` is a literal [`MetricDefinition`] (the crate's format, which its conformance
/// vectors in `tests/vectors/metrics/` are written in): `{"metric": "win_rate", "period": ...,
/// "currency": "USD"}`,
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
    facts: MetricFacts,
    signature: Signature,
}

impl Metric {
    /// `revops_deal_metric`.
    #[must_use]
    pub fn deals() -> Metric {
        Metric {
            facts: MetricFacts::Deals,
            signature: Signature::any(2 + DEAL_METRIC_COLUMNS.len(), Volatility::Immutable),
        }
    }

    /// `revops_stage_conversion`.
    #[must_use]
    pub fn stage_changes() -> Metric {
        Metric {
            facts: MetricFacts::StageChanges,
            signature: Signature::any(2 + STAGE_CHANGE_COLUMNS.len(), Volatility::Immutable),
        }
    }

    /// `revops_speed_to_lead`.
    #[must_use]
    pub fn response_times() -> Metric {
        Metric {
            facts: MetricFacts::ResponseTimes,
            signature: Signature::any(2 + RESPONSE_TIME_COLUMNS.len(), Volatility::Immutable),
        }
    }
}

/// The function that reads facts of this kind.
const fn function(facts: MetricFacts) -> &'static str {
    match facts {
        MetricFacts::Deals => "revops_deal_metric",
        MetricFacts::StageChanges => "revops_stage_conversion",
        MetricFacts::ResponseTimes => "revops_speed_to_lead",
    }
}

impl AggregateUDFImpl for Metric {
    fn name(&self) -> &'static str {
        function(self.facts)
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn accumulator(&self, args: AccumulatorArgs<'_>) -> Result<Box<dyn Accumulator>> {
        let name = self.name();
        let definition: MetricDefinition = serde_json::from_str(&literal_text(&args, 0, "definition")?)
            .map_err(|e| plan(name, format!("definition: {e}")))?;
        let tally = definition.tally(literal_as_of(&args)?).map_err(external)?;
        if tally.reads() != self.facts {
            return Err(plan(name, format!("this metric is computed by {}", function(tally.reads()))));
        }
        Ok(Box::new(MetricAccumulator { tally: Some(tally) }))
    }

    fn state_fields(&self, args: StateFieldsArgs<'_>) -> Result<Vec<FieldRef>> {
        Ok(state_fields(&args))
    }
}

#[derive(Debug)]
struct MetricAccumulator {
    /// Always `Some` (an `Option` so a wrong state never panics).
    tally: Option<MetricTally>,
}

impl MetricAccumulator {
    fn tally(&mut self) -> Result<&mut MetricTally> {
        self.tally.as_mut().ok_or_else(|| DataFusionError::Internal("revops: no tally".into()))
    }
}

impl Accumulator for MetricAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        push(self.tally()?, values.get(2..).unwrap_or_default())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        for other in read_states::<MetricTally>(states)? {
            self.tally()?.merge(other).map_err(external)?;
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![write_state(self.tally()?)?])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        // A clone: DataFusion may evaluate more than once (window frames).
        json(&self.tally()?.clone().finish().map_err(external)?)
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + 256
    }
}
