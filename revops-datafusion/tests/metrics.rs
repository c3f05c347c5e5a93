//! The crate's conformance vectors for the metrics (`tests/vectors/metrics/`), through SQL:
//! every case of a metric the SQL functions compute (the deal metrics and stage conversion)
//! runs as `revops_deal_metric` / `revops_stage_conversion` over its facts in a DataFusion
//! table, at one and at two partitions, and must give the vector's result (compared by the
//! crate runner's own rule) or, for a case that expects an error, an error.

use std::path::PathBuf;
use std::sync::Arc;

use datafusion::arrow::array::{AsArray, RecordBatch};
use datafusion::datasource::MemTable;
use datafusion::prelude::{SessionConfig, SessionContext};
use revops::facts::FactSet;
use revops_datafusion::{deals_to_batch, register, stage_changes_to_batch};
use serde_json::Value;

#[path = "../../tests/integration/vectors/compare.rs"]
mod compare;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const DEAL_METRICS: [&str; 7] =
    ["win_rate", "created_to_won", "sales_cycle", "pipeline_velocity", "weighted_pipeline", "coverage", "loss_reasons"];

fn vector_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/metrics")
}

/// `batch`'s rows in `partitions` parts (round robin by row), as a table.
fn table(batch: &RecordBatch, partitions: usize) -> Result<MemTable, Box<dyn std::error::Error>> {
    let mut parts = vec![Vec::new(); partitions];
    for row in 0..batch.num_rows() {
        if let Some(p) = parts.get_mut(row % partitions) {
            p.push(batch.slice(row, 1));
        }
    }
    if batch.num_rows() == 0 {
        parts = vec![vec![batch.clone()]];
    }
    Ok(MemTable::try_new(batch.schema(), parts)?)
}

/// The SQL text of a literal: single quotes doubled.
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
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
    let batches = match ctx.sql(&sql).await {
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
            if metric != "stage_conversion" && !DEAL_METRICS.contains(&metric) {
                continue;
            }
            let expected_error = case.get("error").is_some();
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
    for metric in DEAL_METRICS.iter().chain(&["stage_conversion"]) {
        assert!(ran.get(*metric).is_some_and(|n| *n >= 2), "{metric} ran {ran:?}");
    }
    Ok(())
}
