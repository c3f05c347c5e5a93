//! W-shaped revenue by channel and win rate by lead source on a Ballista cluster, over Parquet
//! files of the sample company.
//!
//! All in one process (a scheduler, two executors and a client on localhost):
//!
//! ```sh
//! cargo run -p revops-ballista --example cluster
//! ```
//!
//! Or as separate processes, each registering the revops functions:
//!
//! ```sh
//! cargo run -p revops-ballista --example cluster -- scheduler 50050
//! cargo run -p revops-ballista --example cluster -- executor 50050 50051 50052
//! cargo run -p revops-ballista --example cluster -- executor 50050 50061 50062
//! cargo run -p revops-ballista --example cluster -- client 50050
//! ```

use std::path::{Path, PathBuf};

use datafusion::arrow::array::AsArray;
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::prelude::ParquetReadOptions;
use revops::Currency;
use revops::attribution::AttributionReport;
use revops::metrics::WinRate;
use revops::testkit::Company;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

const HOST: &str = "127.0.0.1";

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let port =
        |i: usize, default: u16| -> Result<u16> { Ok(args.get(i).map(|p| p.parse()).transpose()?.unwrap_or(default)) };
    match args.first().map(String::as_str) {
        Some("scheduler") => {
            Ok(revops_ballista::start_scheduler(revops_ballista::scheduler_config(HOST, port(1, 50050)?)).await?)
        }
        Some("executor") => {
            let config = revops_ballista::executor_config(HOST, port(1, 50050)?, port(2, 50051)?, port(3, 50052)?);
            Ok(revops_ballista::start_executor(config).await?)
        }
        Some("client") => client(&format!("df://{HOST}:{}", port(1, 50050)?)).await,
        Some(other) => Err(format!("unknown mode {other:?} (scheduler, executor, client)").into()),
        None => {
            // Everything in this process, on ports the system picks.
            let cluster = revops_ballista::LocalCluster::start(2).await?;
            client(&cluster.url()).await
        }
    }
}

/// The sample company's journeys and deals as Parquet files (four of each) under `dir`.
fn write_sample(dir: &Path) -> Result<()> {
    let company = Company::new(42, 5_000)?;
    let journeys: Vec<_> = company
        .leads()
        .map(|l| l.journey())
        .filter(|j| j.conversion.is_none_or(|c| c.value.currency() == Currency::USD))
        .collect();
    let deals: Vec<_> = company.facts().deals.into_iter().filter(|d| d.amount.currency() == Currency::USD).collect();
    let tables = [
        (
            "journeys",
            journeys
                .chunks(journeys.len().div_ceil(4))
                .map(|c| revops_datafusion::journeys_to_batch(Currency::USD, c))
                .collect::<std::result::Result<Vec<_>, _>>()?,
        ),
        (
            "deals",
            deals
                .chunks(deals.len().div_ceil(4))
                .map(revops_datafusion::deals_to_batch)
                .collect::<std::result::Result<Vec<_>, _>>()?,
        ),
    ];
    for (table, batches) in tables {
        std::fs::create_dir_all(dir.join(table))?;
        for (i, batch) in batches.iter().enumerate() {
            let mut writer = ArrowWriter::try_new(
                std::fs::File::create(dir.join(table).join(format!("{i}.parquet")))?,
                batch.schema(),
                None,
            )?;
            writer.write(batch)?;
            writer.close()?;
        }
    }
    Ok(())
}

async fn client(url: &str) -> Result<()> {
    let dir: PathBuf = std::env::temp_dir().join(format!("revops-ballista-example-{}", std::process::id()));
    write_sample(&dir)?;
    let ctx = revops_ballista::connect(url).await?;
    for table in ["journeys", "deals"] {
        ctx.register_parquet(table, dir.join(table).to_string_lossy().as_ref(), ParquetReadOptions::default()).await?;
    }
    let sql = r#"SELECT revops_attribute('{"shape":{"kind":"w_shaped"}}', 'USD', journey_id, converted_at, value_minor,
        lead_created_at, opportunity_created_at, closed_won_at, touch_at, channel, roles) FROM journeys"#;
    let batches = ctx.sql(sql).await?.collect().await?;
    let text = batches.iter().find(|b| b.num_rows() > 0).map(|b| b.column(0).as_string::<i32>().value(0).to_owned());
    let report: AttributionReport = serde_json::from_str(&text.ok_or("no result")?)?;
    for (currency, totals) in &report.currencies {
        println!("W-shaped on Ballista, {currency}: {} conversions, revenue {}", totals.conversions, totals.revenue);
        for (channel, credit) in &totals.by_channel {
            println!("  {channel:<16} {credit}");
        }
    }
    let sql = r#"SELECT coalesce(source, '(none)') AS source,
        revops_deal_metric('{"metric":"win_rate","period":"all_time","currency":"USD"}', NULL, id, created_at, closed_at,
            close_date, amount_minor, currency, status, probability, loss_reason, qualified, origin)
        FROM deals GROUP BY coalesce(source, '(none)') ORDER BY source"#;
    println!("Win rate by lead source on Ballista");
    for batch in ctx.sql(sql).await?.collect().await? {
        let sources = cast(batch.column(0), &DataType::Utf8)?;
        let (sources, rates) = (sources.as_string::<i32>(), batch.column(1).as_string::<i32>());
        for i in 0..batch.num_rows() {
            let rate: WinRate = serde_json::from_str(rates.value(i))?;
            println!("  {:<16} {}", sources.value(i), rate.count);
        }
    }
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
