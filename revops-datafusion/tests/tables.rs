//! The fact tables to and from Arrow: the sample company's facts round-trip whole, columns of
//! other Arrow types read, bad values are named by record and column, and the deal metrics in
//! SQL equal the crate's tallies per group at any partitioning.

use std::collections::BTreeMap;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, LargeStringArray, RecordBatch, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use datafusion::datasource::MemTable;
use datafusion::prelude::{SessionConfig, SessionContext};
use revops::facts::{Deal, DealStatus, FactSet};
use revops::metrics::{WinRate, WinRateTally};
use revops::testkit::Company;
use revops::{Currency, Period, Tally};
use revops_datafusion::{
    batch_to_deals, batch_to_leads, batch_to_responses, batch_to_spend, batch_to_stage_changes, deals_to_batch,
    leads_to_batch, register, responses_to_batch, spend_to_batch, stage_changes_to_batch,
};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn facts() -> Result<FactSet, revops::Error> {
    Ok(Company::new(21, 400)?.facts())
}

#[test]
fn the_sample_facts_round_trip_through_arrow() -> TestResult {
    let facts = facts()?;
    assert!(!facts.deals.is_empty() && !facts.responses.is_empty() && !facts.spend.is_empty());
    assert!(facts.deals.iter().any(|d| matches!(d.status, DealStatus::Open { .. })));
    assert!(facts.deals.iter().any(|d| matches!(d.status, DealStatus::Lost { .. })));
    assert_eq!(batch_to_leads(&leads_to_batch(&facts.leads)?)?, facts.leads);
    assert_eq!(batch_to_stage_changes(&stage_changes_to_batch(&facts.stage_changes)?)?, facts.stage_changes);
    assert_eq!(batch_to_deals(&deals_to_batch(&facts.deals)?)?, facts.deals);
    assert_eq!(batch_to_responses(&responses_to_batch(&facts.responses)?)?, facts.responses);
    assert_eq!(batch_to_spend(&spend_to_batch(&facts.spend)?)?, facts.spend);
    // The batches have the published schemas.
    assert_eq!(deals_to_batch(&facts.deals)?.schema(), revops_datafusion::schema::deals());
    assert_eq!(spend_to_batch(&facts.spend)?.schema(), revops_datafusion::schema::spend());
    Ok(())
}

/// `batch` with column `name` replaced by `array`.
fn with_column(batch: &RecordBatch, name: &str, array: ArrayRef) -> Result<RecordBatch, Box<dyn std::error::Error>> {
    let i = batch.schema().index_of(name)?;
    let mut fields: Vec<Field> = batch.schema().fields().iter().map(|f| f.as_ref().clone()).collect();
    let mut columns = batch.columns().to_vec();
    if let (Some(f), Some(c)) = (fields.get_mut(i), columns.get_mut(i)) {
        *f = Field::new(name, array.data_type().clone(), true);
        *c = array;
    }
    Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)?)
}

/// `batch` without column `name`.
fn without(batch: &RecordBatch, name: &str) -> Result<RecordBatch, Box<dyn std::error::Error>> {
    let i = batch.schema().index_of(name)?;
    let mut batch = batch.clone();
    batch.remove_column(i);
    Ok(batch)
}

#[test]
fn other_arrow_types_and_absent_nullable_columns_read() -> TestResult {
    let facts = facts()?;
    let batch = deals_to_batch(&facts.deals)?;
    // Parquet files often hold large strings and millisecond timestamps in another zone.
    let ids = batch.column_by_name("id").ok_or("id")?.as_string::<i32>();
    let large: LargeStringArray = ids.iter().collect();
    let created = cast(
        batch.column_by_name("created_at").ok_or("created_at")?,
        &DataType::Timestamp(TimeUnit::Millisecond, Some("America/New_York".into())),
    )?;
    let recast = with_column(&with_column(&batch, "id", Arc::new(large))?, "created_at", created)?;
    assert_eq!(batch_to_deals(&recast)?, facts.deals, "the sample's instants are whole seconds");
    // A table without the optional columns reads them as null.
    let mut bare = batch.clone();
    for column in ["close_date", "source", "account", "lead", "stage", "forecast_category", "contacts"] {
        bare = without(&bare, column)?;
    }
    let read = batch_to_deals(&bare)?;
    assert_eq!(read.len(), facts.deals.len());
    let stripped = |d: &Deal| Deal {
        close_date: None,
        source: None,
        account: None,
        lead: None,
        stage: None,
        forecast_category: None,
        contacts: Vec::new(),
        ..d.clone()
    };
    assert_eq!(read, facts.deals.iter().map(stripped).collect::<Vec<_>>());
    Ok(())
}

/// The error reading `batch` after replacing row 0 of text column `name` by `value`.
fn error_with(batch: &RecordBatch, name: &str, value: Option<&str>) -> Result<String, Box<dyn std::error::Error>> {
    let column = batch.column_by_name(name).ok_or("column")?.as_string::<i32>();
    let replaced: StringArray = (0..column.len())
        .map(|i| if i == 0 { value.map(str::to_owned) } else { column.is_valid(i).then(|| column.value(i).to_owned()) })
        .collect();
    let bad = with_column(batch, name, Arc::new(replaced))?;
    let err = batch_to_deals(&bad).err().ok_or("the bad value is refused")?;
    Ok(err.to_string())
}

#[test]
fn a_bad_value_names_the_record_and_the_column() -> TestResult {
    let facts = facts()?;
    let open: Vec<Deal> = facts.deals.iter().filter(|d| matches!(d.status, DealStatus::Open { .. })).cloned().collect();
    let batch = deals_to_batch(&open)?;
    let first = open.first().ok_or("an open deal")?.id.to_string();
    for (column, value, named, says) in [
        ("status", Some("wonn"), "status", "unknown status"),
        ("probability", None, "probability", "is null for an open deal"),
        ("probability", Some("140%"), "probability", "140"),
        ("probability", Some("75"), "probability", "75%"),
        ("origin", Some("inbound"), "origin", "unknown value"),
        ("currency", Some("usd?"), "currency", "currency"),
        ("status", Some("won"), "probability", "is set for a closed deal"),
    ] {
        let text = error_with(&batch, column, value)?;
        let record = format!("deal {first:?}, column {named}");
        assert!(text.contains(&record) && text.contains(says), "{text}");
    }
    // A spend row is named by its position.
    let spend = spend_to_batch(&facts.spend)?;
    let kinds = spend.column_by_name("kind").ok_or("kind")?.as_string::<i32>();
    let bad: StringArray = (0..kinds.len()).map(|i| Some(if i == 2 { "ads" } else { kinds.value(i) })).collect();
    let err = batch_to_spend(&with_column(&spend, "kind", Arc::new(bad))?).err().ok_or("refused")?;
    assert!(err.to_string().contains("spend row 2, column kind"), "{err}");
    Ok(())
}

/// The sample's deals in a table of `partitions` parts, rows dealt round robin after a rotation
/// by `shift`.
fn deal_context(deals: &[Deal], partitions: usize, shift: usize) -> Result<SessionContext, Box<dyn std::error::Error>> {
    let mut rows = deals.to_vec();
    let n = rows.len().max(1);
    rows.rotate_left(shift % n);
    let mut parts = vec![Vec::new(); partitions];
    let chunk = rows.len().div_ceil(partitions * 3).max(1);
    for (i, chunk) in rows.chunks(chunk).enumerate() {
        if let Some(p) = parts.get_mut(i % partitions) {
            p.push(deals_to_batch(chunk)?);
        }
    }
    let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(partitions));
    ctx.register_table("deals", Arc::new(MemTable::try_new(revops_datafusion::schema::deals(), parts)?))?;
    register(&ctx);
    Ok(ctx)
}

#[tokio::test]
async fn win_rate_by_source_in_sql_equals_the_crate_per_group() -> TestResult {
    let company = Company::new(21, 400)?;
    let deals: Vec<Deal> = company.facts().deals.into_iter().filter(|d| d.amount.currency() == Currency::USD).collect();
    let period = Period::new(company.year_start(), company.as_of())?;
    let mut expected: BTreeMap<String, WinRate> = BTreeMap::new();
    let mut by_source: BTreeMap<String, Vec<&Deal>> = BTreeMap::new();
    for deal in &deals {
        by_source.entry(deal.source.as_ref().map_or("(none)".to_owned(), ToString::to_string)).or_default().push(deal);
    }
    for (source, group) in by_source {
        expected.insert(source, WinRateTally::new(period, Currency::USD).tally(group)?);
    }
    assert!(expected.len() > 2 && expected.values().any(|w| w.count.denominator() > 0));
    let definition = serde_json::json!({
        "metric": "win_rate",
        "period": {"start": period.start(), "end": period.end()},
        "currency": "USD"
    });
    for (partitions, shift) in [(1, 0), (2, 0), (4, 0), (2, 17), (4, 101)] {
        let ctx = deal_context(&deals, partitions, shift)?;
        let sql = format!(
            "SELECT coalesce(source, '(none)') AS source, revops_deal_metric('{definition}', NULL, id, created_at, \
             closed_at, close_date, amount_minor, currency, status, probability, loss_reason, qualified, origin) \
             FROM deals GROUP BY coalesce(source, '(none)') ORDER BY source"
        );
        let mut got = BTreeMap::new();
        for batch in ctx.sql(&sql).await?.collect().await? {
            let (keys, values) = (batch.column(0).as_string::<i32>(), batch.column(1).as_string::<i32>());
            for i in 0..batch.num_rows() {
                got.insert(keys.value(i).to_owned(), serde_json::from_str::<WinRate>(values.value(i))?);
            }
        }
        assert_eq!(got, expected, "{partitions} partitions, shift {shift}");
    }
    Ok(())
}

#[tokio::test]
async fn a_definition_of_the_wrong_table_or_a_bad_definition_is_a_plan_error() -> TestResult {
    let ctx = deal_context(&facts()?.deals, 1, 0)?;
    let args = "id, created_at, closed_at, close_date, amount_minor, currency, status, probability, loss_reason, \
                qualified, origin";
    for (definition, says) in [
        (r#"{"metric":"win_rate","period":"all_time"}"#, "currency"),
        (r#"{"metric":"win_rate","period":{"trailing_months":12},"currency":"USD"}"#, "as_of"),
        (r#"{"metric":"win_rat","period":"all_time","currency":"USD"}"#, "win_rat"),
    ] {
        let sql = format!("SELECT revops_deal_metric('{definition}', NULL, {args}) FROM deals");
        let err = match ctx.sql(&sql).await {
            Ok(frame) => frame.collect().await.err(),
            Err(e) => Some(e),
        };
        let text = err.ok_or("refused")?.to_string();
        assert!(text.contains(says), "{definition}: {text}");
    }
    Ok(())
}
