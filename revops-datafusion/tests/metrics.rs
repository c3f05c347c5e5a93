//! The crate's conformance vectors through SQL. Every case of a metric the SQL functions
//! compute (the deal metrics, stage conversion, speed to lead; `tests/vectors/metrics/`) runs
//! as `revops_deal_metric` / `revops_stage_conversion` / `revops_speed_to_lead` over its facts
//! in a DataFusion table, at one and at two partitions; every business-time case
//! (`tests/vectors/business_time/between.json`) runs as `revops_business_seconds`. Each must
//! give the vector's result (compared by the crate runner's own rule) or, for a case that
//! expects an error, an error.

use std::path::PathBuf;
use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray, Int64Array, RecordBatch, StringArray, TimestampNanosecondArray};
use datafusion::prelude::{SessionConfig, SessionContext};
use revops::facts::FactSet;
use revops_datafusion::{deals_to_batch, register, stage_changes_to_batch};
use serde_json::Value;

mod common;
#[path = "../../tests/integration/vectors/compare.rs"]
mod compare;

use common::{quoted, table};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const DEAL_METRICS: [&str; 7] =
    ["win_rate", "created_to_won", "sales_cycle", "pipeline_velocity", "weighted_pipeline", "coverage", "loss_reasons"];

fn vector_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/metrics")
}

/// The response times of a speed-to-lead case as a `(lead, business_seconds)` batch.
fn response_times(facts: &Value) -> Result<RecordBatch, Box<dyn std::error::Error>> {
    let rows = facts.get("response_times").and_then(Value::as_array).ok_or("no response_times")?;
    let lead: StringArray = rows.iter().map(|r| r.get("lead").and_then(Value::as_str)).collect();
    let seconds: Int64Array = rows.iter().map(|r| r.get("business_seconds").and_then(Value::as_i64)).collect();
    Ok(RecordBatch::try_from_iter([("lead", Arc::new(lead) as ArrayRef), ("business_seconds", Arc::new(seconds))])?)
}

/// Collects a one-value result: the JSON, or the error's text.
async fn collect_one(ctx: &SessionContext, sql: &str) -> Result<Result<Value, String>, Box<dyn std::error::Error>> {
    let batches = match ctx.sql(sql).await {
        Ok(frame) => frame.collect().await,
        Err(e) => Err(e),
    };
    Ok(match batches {
        Err(e) => Err(e.to_string()),
        Ok(batches) => {
            let batch = batches.first().ok_or("no result batch")?;
            Ok(serde_json::from_str(batch.column(0).as_string::<i32>().value(0))?)
        }
    })
}

/// Runs a speed-to-lead case through SQL at `partitions`.
async fn run_speed(case: &Value, partitions: usize) -> Result<Result<Value, String>, Box<dyn std::error::Error>> {
    let definition = case.get("definition").ok_or("no definition")?;
    let batch = response_times(case.get("facts").ok_or("no facts")?)?;
    let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(partitions));
    register(&ctx);
    ctx.register_table("response_times", Arc::new(table(&batch, partitions)?))?;
    let sql = format!(
        "SELECT revops_speed_to_lead({}, NULL, lead, business_seconds) FROM response_times",
        quoted(&definition.to_string())
    );
    collect_one(&ctx, &sql).await
}

/// Runs `case` through SQL at `partitions`: the result as JSON, or the error's text.
async fn run(
    case: &Value,
    facts: &FactSet,
    partitions: usize,
) -> Result<Result<Value, String>, Box<dyn std::error::Error>> {
    let definition = case.get("definition").ok_or("no definition")?;
    let metric = definition.get("metric").and_then(Value::as_str).ok_or("no metric")?;
    let as_of = case.get("as_of").and_then(Value::as_str).map_or_else(|| "NULL".to_owned(), quoted);
    let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(partitions));
    register(&ctx);
    let sql = if metric == "stage_conversion" {
        ctx.register_table(
            "stage_changes",
            Arc::new(table(&stage_changes_to_batch(&facts.stage_changes)?, partitions)?),
        )?;
        format!(
            "SELECT revops_stage_conversion({}, {as_of}, entity, stage, at) FROM stage_changes",
            quoted(&definition.to_string())
        )
    } else {
        ctx.register_table("deals", Arc::new(table(&deals_to_batch(&facts.deals)?, partitions)?))?;
        format!(
            "SELECT revops_deal_metric({}, {as_of}, id, created_at, closed_at, close_date, amount_minor, currency, \
             status, probability, loss_reason, qualified, origin) FROM deals",
            quoted(&definition.to_string())
        )
    };
    collect_one(&ctx, &sql).await
}

#[tokio::test]
async fn the_metric_vectors_pass_through_sql() -> TestResult {
    let mut failures = Vec::new();
    let mut ran = std::collections::BTreeMap::<String, usize>::new();
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(vector_dir())?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>()?;
    files.sort();
    for path in files {
        let file: Value = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
        for case in file.get("cases").and_then(Value::as_array).ok_or("no cases")? {
            let name = case.get("name").and_then(Value::as_str).unwrap_or("?");
            let metric = case.pointer("/definition/metric").and_then(Value::as_str).unwrap_or_default();
            if metric != "stage_conversion" && metric != "speed_to_lead" && !DEAL_METRICS.contains(&metric) {
                continue;
            }
            let expected_error = case.get("error").is_some();
            if metric == "speed_to_lead" {
                for partitions in [1, 2] {
                    let label = format!("{} / {name} [{partitions} partitions]", path.display());
                    match (run_speed(case, partitions).await?, case.get("expect")) {
                        (Ok(actual), Some(expected)) if !expected_error => {
                            if let Err(why) = compare::compare(expected, &actual, &[]) {
                                failures.push(format!("{label}: {why}"));
                            }
                        }
                        (Err(_), _) if expected_error => {}
                        (outcome, _) => failures.push(format!("{label}: unexpected {outcome:?}")),
                    }
                }
                *ran.entry(metric.to_owned()).or_default() += 1;
                continue;
            }
            // Facts the crate refuses to load never reach a table: the Arrow readers are not
            // a second loader of the vectors' JSON.
            let Ok(facts) = serde_json::from_value::<FactSet>(case.get("facts").cloned().unwrap_or(Value::Null)) else {
                assert!(expected_error, "{name}: facts do not load but the case expects a result");
                continue;
            };
            for partitions in [1, 2] {
                let label = format!("{} / {name} [{partitions} partitions]", path.display());
                match (run(case, &facts, partitions).await?, case.get("expect")) {
                    (Ok(actual), Some(expected)) if !expected_error => {
                        if let Err(why) = compare::compare(expected, &actual, &[]) {
                            failures.push(format!("{label}: {why}"));
                        }
                    }
                    (Err(_), _) if expected_error => {}
                    (outcome, _) => failures.push(format!("{label}: unexpected {outcome:?}")),
                }
            }
            *ran.entry(metric.to_owned()).or_default() += 1;
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    for metric in DEAL_METRICS.iter().chain(&["stage_conversion", "speed_to_lead"]) {
        assert!(ran.get(*metric).is_some_and(|n| *n >= 2), "{metric} ran {ran:?}");
    }
    Ok(())
}

/// An instant of the vectors (RFC 3339 with an offset) as UTC nanoseconds.
fn nanos(v: Option<&Value>) -> Result<i64, Box<dyn std::error::Error>> {
    let text = v.and_then(Value::as_str).ok_or("an instant")?;
    let at = chrono::DateTime::parse_from_rfc3339(text)?.to_utc();
    Ok(at.timestamp_nanos_opt().ok_or("instant out of range")?)
}

#[tokio::test]
async fn the_business_time_vectors_pass_through_sql() -> TestResult {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/business_time/between.json");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
    let cases = file.get("cases").and_then(Value::as_array).ok_or("no cases")?;
    let mut failures = Vec::new();
    for case in cases {
        let name = case.get("name").and_then(Value::as_str).unwrap_or("?");
        let facts = case.get("facts").ok_or("no facts")?;
        let (start, end) = (nanos(facts.get("start"))?, nanos(facts.get("end"))?);
        let utc = |v: i64| Arc::new(TimestampNanosecondArray::from(vec![v]).with_timezone("UTC")) as ArrayRef;
        let batch = RecordBatch::try_from_iter([("start", utc(start)), ("end", utc(end))])?;
        let ctx = SessionContext::new();
        register(&ctx);
        ctx.register_table("span", Arc::new(table(&batch, 1)?))?;
        let calendar = quoted(&case.get("definition").ok_or("no calendar")?.to_string());
        let sql = format!("SELECT revops_business_seconds({calendar}, start, \"end\") FROM span");
        let outcome = match ctx.sql(&sql).await {
            Ok(frame) => frame.collect().await.map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        match (outcome, case.get("expect"), case.get("error").is_some()) {
            (Ok(batches), Some(expected), false) => {
                let seconds = batches
                    .first()
                    .map(|b| b.column(0).as_primitive::<datafusion::arrow::datatypes::Int64Type>().value(0));
                let actual = serde_json::json!({ "seconds": seconds });
                if let Err(why) = compare::compare(expected, &actual, &[]) {
                    failures.push(format!("{name}: {why}"));
                }
            }
            (Err(_), _, true) => {}
            (outcome, _, _) => failures.push(format!("{name}: unexpected {outcome:?}")),
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    assert!(cases.len() >= 40, "{} cases", cases.len());
    Ok(())
}
