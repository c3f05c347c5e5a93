//! Revenue by channel (W-shaped) and Markov order-1 removal effects in DataFusion SQL over the
//! sample company's journeys: `cargo run -p revops-datafusion --example sql`.

use std::sync::Arc;

use datafusion::arrow::array::AsArray;
use datafusion::datasource::MemTable;
use datafusion::prelude::{SessionConfig, SessionContext};
use revops::Currency;
use revops::attribution::{AttributionReport, MarkovAttribution};
use revops::testkit::Company;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let journeys: Vec<_> = Company::new(42, 2_000)?
        .leads()
        .map(|l| l.journey())
        .filter(|j| j.conversion.is_none_or(|c| c.value.currency() == Currency::USD))
        .collect();
    let (left, right) = journeys.split_at(journeys.len() / 2);
    let parts = vec![
        vec![revops_datafusion::journeys_to_batch(Currency::USD, left)?],
        vec![revops_datafusion::journeys_to_batch(Currency::USD, right)?],
    ];
    let schema = parts.first().and_then(|p| p.first()).map(|b| b.schema()).ok_or("no batch")?;

    let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(2));
    ctx.register_table("journeys", Arc::new(MemTable::try_new(schema, parts)?))?;
    revops_datafusion::register(&ctx);

    let sql = r#"SELECT
        revops_attribute('{"shape":{"kind":"w_shaped"}}', 'USD', journey_id, converted_at, value_minor,
                         lead_created_at, opportunity_created_at, closed_won_at, touch_at, channel, roles),
        revops_markov(1, 'USD', journey_id, converted_at, value_minor, channel)
        FROM journeys"#;
    let batches = ctx.sql(sql).await?.collect().await?;
    let batch = batches.first().ok_or("no result")?;
    let report: AttributionReport = serde_json::from_str(batch.column(0).as_string::<i32>().value(0))?;
    let markov: MarkovAttribution = serde_json::from_str(batch.column(1).as_string::<i32>().value(0))?;
    for (currency, totals) in &report.currencies {
        println!("W-shaped, {currency}: {} conversions, revenue {}", totals.conversions, totals.revenue);
        for (channel, credit) in &totals.by_channel {
            println!("  {channel:<16} {credit}");
        }
    }
    println!("Markov order 1: {} journeys", markov.journeys);
    for c in &markov.channels {
        println!("  {:<16} removal effect {:.4}", c.channel, c.removal_effect);
    }
    Ok(())
}
