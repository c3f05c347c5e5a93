//! The SQL functions against the in-process crate on testkit data: identical results at 1, 2
//! and 4 target partitions and whatever the order of the rows.

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::datasource::MemTable;
use datafusion::prelude::{SessionConfig, SessionContext};
use revops::attribution::{
    AttributionReport, CoalitionCounts, ColumnarBatch, Game, MarkovAttribution, MarkovModel, Model,
};
use revops::facts::Journey;
use revops::testkit::Company;
use revops::{Currency, Tally};
use revops_datafusion::{journeys_to_batch, register};

#[path = "../../tests/integration/vectors/compare.rs"]
mod compare;

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
async fn shapley_values_equal_the_crate_at_any_partitioning() -> TestResult {
    let journeys = journeys(8, 600)?;
    let mut counts = CoalitionCounts::new(Currency::USD);
    for journey in &journeys {
        counts.push(journey)?;
    }
    let expected = [
        ("simplified", serde_json::to_value(counts.simplified()?)?),
        ("ordered", serde_json::to_value(counts.ordered()?)?),
        ("conversion_rate", serde_json::to_value(counts.exact(Game::ConversionRate)?)?),
        ("cumulative_conversions", serde_json::to_value(counts.exact(Game::CumulativeConversions)?)?),
        ("cumulative_value", serde_json::to_value(counts.exact(Game::CumulativeValue)?)?),
    ];
    for (partitions, shuffle) in [(1, 0), (2, 0), (4, 0), (2, 5), (4, 19)] {
        let ctx = context(&journeys, partitions, shuffle)?;
        for (method, want) in &expected {
            let sql = format!(
                "SELECT revops_shapley('{method}', 'USD', journey_id, converted_at, value_minor, channel) FROM journeys"
            );
            let got: serde_json::Value = serde_json::from_str(&one_text(&ctx, &sql).await?)?;
            assert!(got.as_object().is_some_and(|o| !o.is_empty()), "{method}: {got}");
            compare::compare(want, &got, &[]).map_err(|e| format!("{method} at {partitions} partitions: {e}"))?;
        }
    }
    let ctx = context(&journeys, 1, 0)?;
    let sql = "SELECT revops_shapley('banzhaf', 'USD', journey_id, converted_at, value_minor, channel) FROM journeys";
    let err = match ctx.sql(sql).await {
        Ok(frame) => frame.collect().await.err(),
        Err(e) => Some(e),
    };
    assert!(err.ok_or("refused")?.to_string().contains("banzhaf"));
    Ok(())
}

const JOURNEY_ARGS: &str = "journey_id, converted_at, value_minor, lead_created_at, opportunity_created_at, \
                            closed_won_at, touch_at, channel, roles";

#[tokio::test]
async fn per_touch_credits_equal_the_crate_and_sum_to_the_channel_totals() -> TestResult {
    let journeys = journeys(4, 400)?;
    let ctx = context(&journeys, 2, 3)?;
    for model_json in MODELS {
        let model: Model = serde_json::from_str(model_json)?;
        let sql = format!("SELECT journey_id, revops_credits('{model_json}', 'USD', {JOURNEY_ARGS}) FROM journeys");
        let mut got = std::collections::BTreeMap::new();
        for batch in ctx.sql(&sql).await?.collect().await? {
            let (ids, lists) = (batch.column(0).as_string::<i32>(), batch.column(1).as_list::<i32>());
            for i in 0..batch.num_rows() {
                let credits = lists.is_valid(i).then(|| {
                    lists.value(i).as_primitive::<datafusion::arrow::datatypes::Int64Type>().values().to_vec()
                });
                got.insert(ids.value(i).to_owned(), credits);
            }
        }
        assert_eq!(got.len(), journeys.len());
        let mut converted = 0;
        for journey in &journeys {
            let want = model.attribute(journey)?.map(|a| {
                let mut cents = vec![0i64; journey.touches.len()];
                for c in &a.credits {
                    if let Some(slot) = cents.get_mut(c.touch) {
                        *slot = c.amount.to_minor().unwrap_or(i64::MIN);
                    }
                }
                cents
            });
            converted += usize::from(want.is_some());
            assert_eq!(got.get(journey.id.as_str()), Some(&want), "{model_json}: journey {}", journey.id);
        }
        assert!(converted > 10, "{model_json}: {converted} converting journeys");
        // Each touch beside its credit, summed by channel: the channel totals.
        let sql = format!(
            "SELECT ch, CAST(sum(cr) AS BIGINT) FROM (SELECT unnest(channel) AS ch, \
             unnest(revops_credits('{model_json}', 'USD', {JOURNEY_ARGS})) AS cr FROM journeys) \
             GROUP BY ch HAVING sum(cr) > 0 ORDER BY ch"
        );
        let mut by_channel = std::collections::BTreeMap::new();
        for batch in ctx.sql(&sql).await?.collect().await? {
            let (ch, sum) = (
                batch.column(0).as_string::<i32>(),
                batch.column(1).as_primitive::<datafusion::arrow::datatypes::Int64Type>(),
            );
            for i in 0..batch.num_rows() {
                by_channel.insert(ch.value(i).to_owned(), sum.value(i));
            }
        }
        let report = ColumnarBatch::from_journeys(Currency::USD, &journeys)?.channel_totals(&model)?.report()?;
        let want: std::collections::BTreeMap<String, i64> = report
            .currencies
            .values()
            .flat_map(|t| t.by_channel.iter().map(|(c, m)| (c.to_string(), m.to_minor().unwrap_or(i64::MIN))))
            .filter(|(_, m)| *m > 0)
            .collect();
        assert_eq!(by_channel, want, "{model_json}");
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

/// An edit of one row's channel list (`None`: a null list; an item `None`: a null channel).
type ChannelEdit = Box<dyn Fn(Vec<String>) -> Option<Vec<Option<String>>>>;

/// The journeys batch of `journeys` with its `channel` column rebuilt: row `row`'s list given
/// by `edit` (`None`: a null list; an item `None`: a null channel).
fn with_channels(
    journeys: &[Journey],
    row: usize,
    edit: impl Fn(Vec<String>) -> Option<Vec<Option<String>>>,
) -> Result<RecordBatch, Box<dyn std::error::Error>> {
    use datafusion::arrow::array::{ListBuilder, StringBuilder};
    let batch = journeys_to_batch(Currency::USD, journeys)?;
    let mut lists = ListBuilder::new(StringBuilder::new());
    for (i, journey) in journeys.iter().enumerate() {
        let names: Vec<String> = journey.touches.iter().map(|t| t.channel.to_string()).collect();
        let list = if i == row { edit(names) } else { Some(names.into_iter().map(Some).collect()) };
        match list {
            Some(items) => {
                for item in items {
                    lists.values().append_option(item);
                }
                lists.append(true);
            }
            None => lists.append(false),
        }
    }
    let index = batch.schema().index_of("channel")?;
    let mut columns = batch.columns().to_vec();
    let column = columns.get_mut(index).ok_or("the channel column")?;
    *column = Arc::new(lists.finish());
    let schema = datafusion::arrow::datatypes::Schema::new(
        batch.schema().fields().iter().map(|f| f.as_ref().clone().with_nullable(true)).collect::<Vec<_>>(),
    );
    Ok(RecordBatch::try_new(Arc::new(schema), columns)?)
}

#[test]
fn bad_touch_lists_name_their_journey_and_column() -> TestResult {
    let journeys = journeys(3, 30)?;
    let row = journeys.iter().position(|j| j.touches.len() >= 2).ok_or("a journey with two touches")?;
    let id = journeys.get(row).map(|j| j.id.to_string()).ok_or("the journey")?;
    let cases: [(&str, ChannelEdit); 4] = [
        (
            "channel",
            Box::new(|mut names| {
                names[1] = String::new(); // not a channel id
                Some(names.into_iter().map(Some).collect())
            }),
        ),
        (
            "channel",
            Box::new(|names| Some(names.into_iter().enumerate().map(|(k, n)| (k != 1).then_some(n)).collect())),
        ),
        ("touch_at, channel, roles", Box::new(|names| Some(names.into_iter().skip(1).map(Some).collect()))),
        ("channel", Box::new(|_| None)),
    ];
    for (column, edit) in cases {
        let batch = with_channels(&journeys, row, edit)?;
        // Both readers (columnar batches, journey facts) go through the one touch reader.
        let columnar = revops_datafusion::batch_to_columnar(Currency::USD, &batch).err().map(|e| e.to_string());
        let facts = revops_datafusion::batch_to_journeys(Currency::USD, &batch).err().map(|e| e.to_string());
        for text in [columnar, facts] {
            let text = text.ok_or("a bad list is refused")?;
            assert!(text.contains(&id) && text.contains(&format!("column {column}")), "{column}: {text}");
        }
    }
    // Unedited, the same rebuilt batch reads: the errors are the edits'.
    let batch = with_channels(&journeys, row, |names| Some(names.into_iter().map(Some).collect()))?;
    assert_eq!(revops_datafusion::batch_to_columnar(Currency::USD, &batch)?.journeys(), journeys.len());
    // The table carries no account, campaign or contact: the rest reads back whole.
    let carried = |js: &[Journey]| -> Vec<_> {
        js.iter()
            .map(|j| {
                (
                    j.id.clone(),
                    j.conversion,
                    j.touches.iter().map(|t| (t.at, t.channel.clone(), t.roles)).collect::<Vec<_>>(),
                )
            })
            .collect()
    };
    assert_eq!(carried(&revops_datafusion::batch_to_journeys(Currency::USD, &batch)?), carried(&journeys));
    Ok(())
}
