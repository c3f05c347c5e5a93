//! `revops_sla_compliance`: SLA compliance (met, breached, active, at risk; speed to lead over
//! the same instances; the breaches) as an aggregate function whose partial state is the
//! crate's serialized [`ComplianceReport`].

use chrono::{DateTime, Utc};
use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::error::{DataFusionError, Result};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDFImpl, Signature, Volatility};
use datafusion::scalar::ScalarValue;
use revops::calendar::{BusinessCalendar, BusinessSpan};
use revops::sla::{ComplianceReport, DispositionPolicy, ResponsePolicy, SlaInstance, SlaOutcome};
use revops::{LeadId, Record};
use serde::Deserialize;

use crate::columns::{Arguments, ColumnSource as _, bad_record, instants, opt_instant, req_text, text};
use crate::udaf::{external, json, literal_as_of, literal_text, read_states, state_fields, write_state};

const NAME: &str = "revops_sla_compliance";

/// The instance columns of `revops_sla_compliance`, in argument order.
const INSTANCE_COLUMNS: [&str; 3] = ["lead", "start", "stop"];

/// The definition literal: a calendar and exactly one policy, in their wire formats.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Definition {
    calendar: BusinessCalendar,
    #[serde(default)]
    response: Option<ResponsePolicy>,
    #[serde(default)]
    disposition: Option<DispositionPolicy>,
}

/// The one policy of a definition.
#[derive(Clone, Debug)]
enum Policy {
    Response(ResponsePolicy),
    Disposition(DispositionPolicy),
}

impl Policy {
    fn target(&self) -> BusinessSpan {
        match self {
            Policy::Response(p) => p.target(),
            Policy::Disposition(p) => p.within(),
        }
    }

    fn evaluate(
        &self,
        calendar: &BusinessCalendar,
        instance: &SlaInstance,
        as_of: DateTime<Utc>,
    ) -> std::result::Result<SlaOutcome, revops::Error> {
        match self {
            Policy::Response(p) => p.evaluate(calendar, instance, as_of),
            Policy::Disposition(p) => p.evaluate(calendar, instance, as_of),
        }
    }
}

/// The aggregate function `revops_sla_compliance(definition, as_of, lead, start, stop)`: the
/// compliance of one SLA policy over SLA instances, one row per lead, as the crate's
/// [`ComplianceReport`] computes it.
///
/// `definition` is a literal JSON object holding a business `calendar` and exactly one policy,
/// `response` or `disposition`, each in its wire format (the SLA part of an agreement:
/// `{"calendar": {"zone": "America/New_York", "week": {...}}, "response": {"name":
/// "follow_up", "clock_start": "mql", "target": "2h", "at_risk": "75%"}}`). `as_of` is a
/// literal timestamp (required: open instances are active or breached as of it).
///
/// Each row is one instance: `lead` (its id), `start` (when the clock started: the MQL or
/// handoff instant the policy's `clock_start` names) and `stop` (the first qualifying sales
/// touch at or after the start for a response policy, the disposition for a disposition
/// policy; `NULL` while open). These are [`ResponsePolicy::instance`] and
/// [`DispositionPolicy::instance`] written in SQL: `MIN(at)` of the lead's stage changes into
/// the stage, and `MIN(at)` of its responses of the qualifying kinds at or after it. A row
/// whose `start` is `NULL` or after `as_of` is not an instance (its clock has not started),
/// as the crate's `evaluate_lead` returns none for it; pauses are not read (an instance with
/// pauses is evaluated by the crate).
///
/// The result is the crate's [`GroupCompliance`](revops::sla::GroupCompliance) as JSON text:
/// `met`, `breached`, `active`, `at_risk`, `paused`, `compliance` (met over met + breached),
/// `speed` (speed to lead over the same instances against the policy's target; business days
/// count as the calendar's average working day) and `breaches` (ordered by deadline, then
/// lead). Grouping is SQL's (`GROUP BY owner`). A stop before its start, or an instant outside
/// the calendar's range, is an error naming the lead.
///
/// # Example
///
/// ```
/// use std::sync::Arc;
///
/// use datafusion::arrow::array::{ArrayRef, AsArray, RecordBatch, StringArray, TimestampNanosecondArray};
/// use datafusion::datasource::MemTable;
/// use datafusion::prelude::SessionContext;
/// use revops::sla::GroupCompliance;
///
/// let at = |s: &str| s.parse::<chrono::DateTime<chrono::Utc>>().ok().and_then(|t| t.timestamp_nanos_opt());
/// let utc = |v: Vec<Option<i64>>| Arc::new(TimestampNanosecondArray::from(v).with_timezone("UTC")) as ArrayRef;
/// let batch = RecordBatch::try_from_iter([
///     ("lead", Arc::new(StringArray::from(vec!["L-1", "L-2", "L-3"])) as ArrayRef),
///     ("mql_at", utc(vec![at("2024-06-03T10:00:00Z"), at("2024-06-03T10:00:00Z"), at("2024-06-03T11:00:00Z")])),
///     // Answered after one hour (met), after 2h15 (breached), not yet (active: due at 13:00).
///     ("answered_at", utc(vec![at("2024-06-03T11:00:00Z"), at("2024-06-03T12:15:00Z"), None])),
/// ])?;
/// let ctx = SessionContext::new();
/// ctx.register_table("instances", Arc::new(MemTable::try_new(batch.schema(), vec![vec![batch]])?))?;
/// revops_datafusion::register(&ctx);
/// let sql = r#"SELECT revops_sla_compliance('{"calendar": {"zone": "UTC", "week": {"monday": ["09:00-17:00"]}},
///     "response": {"name": "follow_up", "clock_start": "mql", "target": "2h"}}',
///     '2024-06-03T12:30:00Z', lead, mql_at, answered_at) FROM instances"#;
/// let runtime = tokio::runtime::Builder::new_current_thread().build()?;
/// let batches = runtime.block_on(async { ctx.sql(sql).await?.collect().await })?;
/// let text = batches.first().map(|b| b.column(0).as_string::<i32>().value(0).to_owned()).unwrap_or_default();
/// let compliance: GroupCompliance = serde_json::from_str(&text)?;
/// assert_eq!((compliance.met, compliance.breached, compliance.active), (1, 1, 1));
/// assert_eq!(compliance.compliance.to_string(), "1/2 (50.0%)");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SlaCompliance {
    signature: Signature,
}

impl SlaCompliance {
    /// The function.
    #[must_use]
    pub fn new() -> SlaCompliance {
        SlaCompliance { signature: Signature::any(2 + INSTANCE_COLUMNS.len(), Volatility::Immutable) }
    }
}

impl Default for SlaCompliance {
    fn default() -> SlaCompliance {
        SlaCompliance::new()
    }
}

fn plan(what: impl std::fmt::Display) -> DataFusionError {
    DataFusionError::Plan(format!("{NAME}: {what}"))
}

impl AggregateUDFImpl for SlaCompliance {
    fn name(&self) -> &'static str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn accumulator(&self, args: AccumulatorArgs<'_>) -> Result<Box<dyn Accumulator>> {
        let definition: Definition = serde_json::from_str(&literal_text(&args, 0, "definition")?)
            .map_err(|e| plan(format!("definition: {e}")))?;
        let policy = match (definition.response, definition.disposition) {
            (Some(p), None) => Policy::Response(p),
            (None, Some(p)) => Policy::Disposition(p),
            _ => return Err(plan("definition: exactly one of response and disposition")),
        };
        let as_of = literal_as_of(&args)?.ok_or_else(|| plan("as_of is required"))?;
        let target = policy.target().nominal_time(&definition.calendar).map_err(external)?;
        let report = ComplianceReport::new(target).map_err(external)?;
        Ok(Box::new(ComplianceAccumulator { calendar: definition.calendar, policy, as_of, report: Some(report) }))
    }

    fn state_fields(&self, args: StateFieldsArgs<'_>) -> Result<Vec<FieldRef>> {
        Ok(state_fields(&args))
    }
}

#[derive(Debug)]
struct ComplianceAccumulator {
    calendar: BusinessCalendar,
    policy: Policy,
    as_of: DateTime<Utc>,
    /// Always `Some` (an `Option` so a wrong state never panics).
    report: Option<ComplianceReport<()>>,
}

impl ComplianceAccumulator {
    fn report(&mut self) -> Result<&mut ComplianceReport<()>> {
        self.report.as_mut().ok_or_else(|| DataFusionError::Internal("revops: no compliance report".into()))
    }
}

impl Accumulator for ComplianceAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let source = Arguments { names: &INSTANCE_COLUMNS, arrays: values.get(2..).unwrap_or_default() };
        let (lead, start, stop) = (text(&source, "lead")?, instants(&source, "start")?, instants(&source, "stop")?);
        for i in 0..source.rows() {
            let raw = req_text(&lead, i, &format!("SLA instance row {i}"), "lead")?;
            let record = format!("lead {raw:?}");
            let id = LeadId::new(raw).map_err(|e| bad_record(&record, "lead", e))?;
            let Some(begun) = opt_instant(&start, i).filter(|s| *s <= self.as_of) else { continue };
            let instance = SlaInstance::new(begun, opt_instant(&stop, i));
            let outcome = self
                .policy
                .evaluate(&self.calendar, &instance, self.as_of)
                .map_err(|cause| external(cause.about(Record::Lead(id.clone()))))?;
            self.report()?.push((), id, &outcome).map_err(external)?;
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        for other in read_states::<ComplianceReport<()>>(states)? {
            self.report()?.merge(other).map_err(external)?;
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![write_state(self.report()?)?])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        // A clone: DataFusion may evaluate more than once (window frames).
        let summary = self.report()?.clone().finish().map_err(external)?;
        json(&summary.total)
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + 256
    }
}
