//! The revops SQL on a Ballista cluster started by the test on localhost (a scheduler and two
//! executors, each serving gRPC on its own ports), over Parquet files: the results equal the
//! in-process crate's and a single DataFusion process's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use datafusion::arrow::array::{AsArray, RecordBatch};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::prelude::{ParquetReadOptions, SessionContext};
use revops::attribution::{AttributionReport, ColumnarBatch, MarkovAttribution, MarkovModel, Model};
use revops::facts::{Deal, Journey};
use revops::metrics::{WinRate, WinRateTally};
use revops::testkit::Company;
use revops::{Currency, Period, Tally};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Writes `batches` as one Parquet file each under a fresh `dir`.
fn write_parquet(dir: &Path, batches: &[RecordBatch]) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir)?;
    for (i, batch) in batches.iter().enumerate() {
        let file = std::fs::File::create(dir.join(format!("part-{i}.parquet")))?;
        let mut writer = ArrowWriter::try_new(file, batch.schema(), None)?;
        writer.write(batch)?;
        writer.close()?;
    }
    Ok(())
}

/// The scratch directory of this test run.
fn scratch() -> PathBuf {
    std::env::temp_dir().join(format!("revops-ballista-{}", std::process::id()))
}

/// The first column of the first row, as text.
async fn one_text(ctx: &SessionContext, sql: &str) -> Result<String, Box<dyn std::error::Error>> {
    let batches = ctx.sql(sql).await?.collect().await?;
    let batch = batches.iter().find(|b| b.num_rows() > 0).ok_or("no result row")?;
    Ok(batch.column(0).as_string::<i32>().value(0).to_owned())
}

/// Rows of (text key, text value) of a two-column result.
async fn keyed_text(ctx: &SessionContext, sql: &str) -> Result<BTreeMap<String, String>, Box<dyn std::error::Error>> {
    let mut out = BTreeMap::new();
    for batch in ctx.sql(sql).await?.collect().await? {
        // Parquet's strings come back as views: the keys as plain text.
        let keys = cast(batch.column(0), &DataType::Utf8)?;
        let (keys, values) = (keys.as_string::<i32>(), batch.column(1).as_string::<i32>());
        for i in 0..batch.num_rows() {
            out.insert(keys.value(i).to_owned(), values.value(i).to_owned());
        }
    }
    Ok(out)
}

/// Rows of (text key, bigint value) of a two-column result.
async fn keyed_i64(ctx: &SessionContext, sql: &str) -> Result<BTreeMap<String, i64>, Box<dyn std::error::Error>> {
    let mut out = BTreeMap::new();
    for batch in ctx.sql(sql).await?.collect().await? {
        let keys = cast(batch.column(0), &DataType::Utf8)?;
        let (keys, values) = (keys.as_string::<i32>(), batch.column(1).as_primitive::<Int64Type>());
        for i in 0..batch.num_rows() {
            out.insert(keys.value(i).to_owned(), values.value(i));
        }
    }
    Ok(out)
}

const W_SHAPED: &str = r#"{"shape":{"kind":"w_shaped"}}"#;
const JOURNEY_ARGS: &str = "journey_id, converted_at, value_minor, lead_created_at, opportunity_created_at, closed_won_at, touch_at, channel, roles";
const DEAL_ARGS: &str = "id, created_at, closed_at, close_date, amount_minor, currency, status, probability, loss_reason, qualified, origin";

/// The queries, each run on the cluster and on one local DataFusion process.
fn queries(period: Period) -> [String; 5] {
    let win_rate = format!(
        r#"{{"metric":"win_rate","period":{{"start":"{}","end":"{}"}},"currency":"USD"}}"#,
        period.start().to_rfc3339(),
        period.end().to_rfc3339()
    );
    [
        format!("SELECT revops_attribute('{W_SHAPED}', 'USD', {JOURNEY_ARGS}) FROM journeys"),
        "SELECT revops_markov(1, 'USD', journey_id, converted_at, value_minor, channel) FROM journeys".to_owned(),
        "SELECT revops_shapley('simplified', 'USD', journey_id, converted_at, value_minor, channel) FROM journeys"
            .to_owned(),
        format!(
            "SELECT coalesce(source, '(none)') AS k, revops_deal_metric('{win_rate}', NULL, {DEAL_ARGS}) FROM deals \
             GROUP BY coalesce(source, '(none)')"
        ),
        format!(
            "SELECT ch, CAST(sum(cr) AS BIGINT) FROM (SELECT unnest(channel) AS ch, \
             unnest(revops_credits('{W_SHAPED}', 'USD', {JOURNEY_ARGS})) AS cr FROM journeys) GROUP BY ch"
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_sql_gives_the_same_results_on_a_ballista_cluster() -> TestResult {
    tokio::time::timeout(Duration::from_secs(600), run()).await.map_err(|_| "the cluster test timed out")?
}

async fn run() -> TestResult {
    // The data: the sample company's journeys and deals, four Parquet files each.
    let company = Company::new(17, 1_200)?;
    let journeys: Vec<Journey> = company
        .leads()
        .map(|l| l.journey())
        .filter(|j| j.conversion.is_none_or(|c| c.value.currency() == Currency::USD))
        .collect();
    let deals: Vec<Deal> = company.facts().deals.into_iter().filter(|d| d.amount.currency() == Currency::USD).collect();
    let dir = scratch();
    let quarter = journeys.len().div_ceil(4);
    let journey_batches = journeys
        .chunks(quarter)
        .map(|c| revops_datafusion::journeys_to_batch(Currency::USD, c))
        .collect::<Result<Vec<_>, _>>()?;
    write_parquet(&dir.join("journeys"), &journey_batches)?;
    let deal_batches =
        deals.chunks(deals.len().div_ceil(4)).map(revops_datafusion::deals_to_batch).collect::<Result<Vec<_>, _>>()?;
    write_parquet(&dir.join("deals"), &deal_batches)?;

    // The cluster: a scheduler, then two executors registering with it.
    let processes = revops_ballista::LocalCluster::start(2).await?;
    let cluster = revops_ballista::connect(&processes.url()).await?;
    let local = SessionContext::new();
    revops_datafusion::register(&local);
    for ctx in [&cluster, &local] {
        let options = || ParquetReadOptions::default();
        ctx.register_parquet("journeys", dir.join("journeys").to_string_lossy().as_ref(), options()).await?;
        ctx.register_parquet("deals", dir.join("deals").to_string_lossy().as_ref(), options()).await?;
    }
    let period = Period::new(company.year_start(), company.as_of())?;
    let [attribute, markov, shapley, win_rate, credits] = queries(period);

    // The cluster context plans every query as a Ballista job, run by the executors.
    let plan = cluster.sql(&attribute).await?.create_physical_plan().await?;
    let shown = datafusion::physical_plan::displayable(plan.as_ref()).indent(true).to_string();
    assert!(shown.contains("DistributedQueryExec"), "{shown}");

    // Attribution: the in-process crate's report, exactly.
    let model: Model = serde_json::from_str(W_SHAPED)?;
    let expected = ColumnarBatch::from_journeys(Currency::USD, &journeys)?.channel_totals(&model)?.report()?;
    let on_cluster: AttributionReport = serde_json::from_str(&one_text(&cluster, &attribute).await?)?;
    assert_eq!(on_cluster, expected);

    // Markov, orders 1 to 4: the crate's removal effects (to 1e-12) and values (exact).
    for order in 1..=4 {
        let expected = MarkovModel::new(order)?.counts(Currency::USD).tally(&journeys)?;
        let query = markov.replacen("revops_markov(1,", &format!("revops_markov({order},"), 1);
        let on_cluster: MarkovAttribution = serde_json::from_str(&one_text(&cluster, &query).await?)?;
        assert_eq!((on_cluster.journeys, on_cluster.conversions), (expected.journeys, expected.conversions));
        assert_eq!(on_cluster.channels.len(), expected.channels.len(), "order {order}");
        for (got, want) in on_cluster.channels.iter().zip(&expected.channels) {
            assert_eq!((&got.channel, got.value), (&want.channel, want.value), "order {order}");
            assert!((got.removal_effect - want.removal_effect).abs() <= 1e-12, "order {order}");
        }
    }

    // Shapley, win rate by source, credits by channel: the same as one DataFusion process.
    assert_eq!(one_text(&cluster, &shapley).await?, one_text(&local, &shapley).await?);
    let by_source = keyed_text(&cluster, &win_rate).await?;
    assert_eq!(by_source, keyed_text(&local, &win_rate).await?);
    let mut expected_by_source: BTreeMap<String, Vec<&Deal>> = BTreeMap::new();
    for deal in &deals {
        expected_by_source
            .entry(deal.source.as_ref().map_or("(none)".to_owned(), ToString::to_string))
            .or_default()
            .push(deal);
    }
    assert_eq!(by_source.len(), expected_by_source.len());
    for (source, group) in expected_by_source {
        let want = WinRateTally::new(period, Currency::USD).tally(group)?;
        let got: WinRate = serde_json::from_str(by_source.get(&source).ok_or("a source row")?)?;
        assert_eq!(got, want, "{source}");
    }
    let credited = keyed_i64(&cluster, &credits).await?;
    assert_eq!(credited, keyed_i64(&local, &credits).await?);
    let report = ColumnarBatch::from_journeys(Currency::USD, &journeys)?.channel_totals(&model)?.report()?;
    let total: i64 = credited.values().sum();
    let revenue: i64 =
        report.currencies.values().map(|t| t.revenue.to_minor()).collect::<Result<Vec<_>, _>>()?.iter().sum();
    assert_eq!(total, revenue, "every cent credited once");

    assert!(processes.is_running(), "a cluster process stopped early");
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
