//! The SQL functions against the in-process crate on testkit data: identical results at 1, 2
//! and 4 target partitions and whatever the order of the rows.

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::datasource::MemTable;
use datafusion::prelude::{SessionConfig, SessionContext};
use revops::attribution::{AttributionReport, ColumnarBatch, MarkovAttribution, MarkovModel, Model};
use revops::facts::Journey;
use revops::testkit::Company;
use revops::{Currency, Tally};
use revops_datafusion::{journeys_to_batch, register};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn journeys(seed: u64, leads: usize) -> Result<Vec<Journey>, revops::Error> {
    let company = Company::new(seed, leads)?;
    Ok(company
        .leads()
        .map(|l| l.journey())
        .filter(|j| j.conversion.is_none_or(|c| c.value.currency() == Currency::USD))
        .collect())
}

/// A permutation of `0..n` from `seed` (a small LCG shuffle; 0 keeps the order).
fn permutation(n: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    if seed == 0 {
        return order;
    }
    let mut state = seed;
    for i in (1..n).rev() {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let j = usize::try_from((state >> 33) % (i as u64 + 1)).unwrap_or(0);
        order.swap(i, j);
    }
    order
}

/// A context with `partitions` target partitions and the table `journeys` split into
/// `partitions` parts of a few batches each, rows in the order `shuffle` gives.
fn context(
    journeys: &[Journey],
    partitions: usize,
    shuffle: u64,
) -> Result<SessionContext, Box<dyn std::error::Error>> {
    let order = permutation(journeys.len(), shuffle);
    let rows: Vec<Journey> = order.iter().filter_map(|&i| journeys.get(i).cloned()).collect();
    let chunk = rows.len().div_ceil(partitions * 3).max(1);
    let batches =
        rows.chunks(chunk).map(|c| journeys_to_batch(Currency::USD, c)).collect::<Result<Vec<RecordBatch>, _>>()?;
    let schema = batches.first().map(RecordBatch::schema).ok_or("no journeys")?;
    let mut parts = vec![Vec::new(); partitions];
    for (i, b) in batches.into_iter().enumerate() {
        if let Some(p) = parts.get_mut(i % partitions) {
            p.push(b);
        }
    }
    let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(partitions));
    ctx.register_table("journeys", Arc::new(MemTable::try_new(schema, parts)?))?;
    register(&ctx);
    Ok(ctx)
}

async fn one_text(ctx: &SessionContext, sql: &str) -> Result<String, Box<dyn std::error::Error>> {
    let batches = ctx.sql(sql).await?.collect().await?;
    let batch = batches.first().ok_or("no result batch")?;
    let column = batch.column(0).as_string::<i32>();
    Ok(column.value(0).to_owned())
}

const MODELS: [&str; 4] = [
    r#"{"shape":{"kind":"linear"}}"#,
    r#"{"shape":{"kind":"w_shaped"}}"#,
    r#"{"shape":{"kind":"time_decay","half_life":"7d"},"lookback":"365d"}"#,
    r#"{"shape":{"kind":"first_touch"},"excluded":["direct"]}"#,
];

#[tokio::test]
async fn attribution_by_channel_equals_the_crate_at_any_partitioning() -> TestResult {
    let journeys = journeys(11, 600)?;
    let batch = ColumnarBatch::from_journeys(Currency::USD, &journeys)?;
    for model_json in MODELS {
        let model: Model = serde_json::from_str(model_json)?;
        let expected = batch.channel_totals(&model)?.report()?;
        assert!(expected.currencies.values().any(|t| t.conversions > 0), "the data converts");
        for (partitions, shuffle) in [(1, 0), (2, 0), (4, 0), (1, 7), (2, 9), (4, 13)] {
            let ctx = context(&journeys, partitions, shuffle)?;
            let sql = format!(
                "SELECT revops_attribute('{model_json}', 'USD', journey_id, converted_at, value_minor, \
                 lead_created_at, opportunity_created_at, closed_won_at, touch_at, channel, roles) FROM journeys"
            );
            let got: AttributionReport = serde_json::from_str(&one_text(&ctx, &sql).await?)?;
            assert_eq!(got, expected, "{model_json} at {partitions} partitions, shuffle {shuffle}");
        }
    }
    Ok(())
}

#[tokio::test]
async fn markov_removal_effects_equal_the_crate_at_any_partitioning() -> TestResult {
    let journeys = journeys(5, 600)?;
    for order in 1..=4 {
        let expected = MarkovModel::new(order)?.counts(Currency::USD).tally(&journeys)?;
        for (partitions, shuffle) in [(1, 0), (2, 0), (4, 0), (2, 3), (4, 21)] {
            let ctx = context(&journeys, partitions, shuffle)?;
            let sql = format!(
                "SELECT revops_markov({order}, 'USD', journey_id, converted_at, value_minor, channel) FROM journeys"
            );
            let got: MarkovAttribution = serde_json::from_str(&one_text(&ctx, &sql).await?)?;
            assert_eq!(
                (got.journeys, got.conversions, got.total_value),
                (expected.journeys, expected.conversions, expected.total_value)
            );
            assert_eq!(got.channels.len(), expected.channels.len());
            for (g, e) in got.channels.iter().zip(&expected.channels) {
                assert_eq!((&g.channel, g.value), (&e.channel, e.value), "order {order}, {partitions} partitions");
                assert!(
                    (g.removal_effect - e.removal_effect).abs() <= 1e-12,
                    "order {order}: {} vs {}",
                    g.removal_effect,
                    e.removal_effect
                );
                assert!((g.share - e.share).abs() <= 1e-12);
            }
        }
    }
    Ok(())
}

#[tokio::test]
async fn grouped_attribution_splits_by_the_grouping_column() -> TestResult {
    let journeys = journeys(3, 300)?;
    let ctx = context(&journeys, 2, 5)?;
    let model = r#"{"shape":{"kind":"linear"}}"#;
    let sql = format!(
        "SELECT converted_at IS NULL AS open, revops_attribute('{model}', 'USD', journey_id, converted_at, value_minor, \
         lead_created_at, opportunity_created_at, closed_won_at, touch_at, channel, roles) FROM journeys \
         GROUP BY converted_at IS NULL ORDER BY open"
    );
    let batches = ctx.sql(&sql).await?.collect().await?;
    let rows: Vec<String> = batches
        .iter()
        .flat_map(|b| {
            let c = b.column(1).as_string::<i32>();
            (0..c.len()).map(|i| c.value(i).to_owned()).collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(rows.len(), 2);
    let converted: AttributionReport = serde_json::from_str(rows.first().ok_or("row")?)?;
    let open: AttributionReport = serde_json::from_str(rows.get(1).ok_or("row")?)?;
    let all = ColumnarBatch::from_journeys(Currency::USD, &journeys)?.channel_totals(&Model::linear())?.report()?;
    assert_eq!(converted.currencies, all.currencies);
    assert_eq!(open.non_converting, all.non_converting);
    assert!(open.currencies.is_empty());
    Ok(())
}

#[tokio::test]
async fn a_bad_row_names_its_journey_and_column() -> TestResult {
    let mut journeys = journeys(2, 40)?;
    let bad = journeys.iter_mut().find(|j| j.conversion.is_some()).ok_or("a converting journey")?;
    if let Some(c) = bad.conversion.as_mut() {
        c.value = revops::Money::from_minor(-5, Currency::USD);
    }
    let id = bad.id.to_string();
    let ctx = context(&journeys, 2, 0)?;
    let sql = "SELECT revops_attribute('{\"shape\":{\"kind\":\"linear\"}}', 'USD', journey_id, converted_at, value_minor, \
               lead_created_at, opportunity_created_at, closed_won_at, touch_at, channel, roles) FROM journeys";
    let err = ctx.sql(sql).await?.collect().await.err().ok_or("the negative value is refused")?;
    let text = err.to_string();
    assert!(text.contains(&id) && text.contains("value_minor"), "{text}");
    Ok(())
}
