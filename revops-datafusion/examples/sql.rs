//! Revenue by channel (W-shaped) and Markov order-1 removal effects over the sample company's
//! journeys, and win rate and sales cycle by lead source over its deals, in DataFusion SQL:
//! `cargo run -p revops-datafusion --example sql`.

use std::sync::Arc;

use datafusion::arrow::array::AsArray;
use datafusion::datasource::MemTable;
use datafusion::prelude::{SessionConfig, SessionContext};
use revops::Currency;
use revops::attribution::{AttributionReport, MarkovAttribution};
use revops::metrics::{SalesCycle, WinRate};
use revops::testkit::Company;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let company = Company::new(42, 2_000)?;
    let journeys: Vec<_> = company
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

    // The deals table, and two shared KPIs per lead source: GROUP BY is the grouping.
    let deals: Vec<_> = company.facts().deals.into_iter().filter(|d| d.amount.currency() == Currency::USD).collect();
    let deals = revops_datafusion::deals_to_batch(&deals)?;
    ctx.register_table("deals", Arc::new(MemTable::try_new(deals.schema(), vec![vec![deals]])?))?;
    let sql = r#"SELECT coalesce(source, '(none)') AS source,
        revops_deal_metric('{"metric":"win_rate","period":"all_time","currency":"USD"}', NULL,
            id, created_at, closed_at, close_date, amount_minor, currency, status, probability, loss_reason, qualified, origin),
        revops_deal_metric('{"metric":"sales_cycle","period":"all_time","outcome":"won"}', NULL,
            id, created_at, closed_at, close_date, amount_minor, currency, status, probability, loss_reason, qualified, origin)
        FROM deals GROUP BY coalesce(source, '(none)') ORDER BY source"#;
    println!("Win rate and sales cycle by lead source");
    for batch in ctx.sql(sql).await?.collect().await? {
        let (source, win, cycle) = (
            batch.column(0).as_string::<i32>(),
            batch.column(1).as_string::<i32>(),
            batch.column(2).as_string::<i32>(),
        );
        for i in 0..batch.num_rows() {
            let win: WinRate = serde_json::from_str(win.value(i))?;
            let cycle: SalesCycle = serde_json::from_str(cycle.value(i))?;
            let median = cycle.elapsed_days.median.map_or_else(|| "-".to_owned(), |m| m.round_dp(1).to_string());
            println!("  {:<16} win rate {:<20} median cycle {median} days", source.value(i), win.count.to_string());
        }
    }
    Ok(())
}
