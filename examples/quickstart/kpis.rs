//! Printing of the quickstart's section "5. The shared KPI board", up to its funnel hygiene block
//! (retention last).

use revops::{Period, agreement::Agreement, agreement::scorecard::Scorecard};

/// Prints the section.
pub(crate) fn print(agreement: &Agreement, card: &Scorecard) -> crate::Fallible {
    let (deals, zone, no) = (&card.deals, agreement.reporting_zone(), "the sample agreement defines every KPI");
    let (win, cycle) = (deals.win_rate.as_ref().ok_or(no)?, deals.cycle.as_ref().ok_or(no)?);
    let (velocity, pipeline) = (deals.velocity.as_ref().ok_or(no)?, deals.pipeline.as_ref().ok_or(no)?);
    let (coverage, economics) = (deals.coverage.as_ref().ok_or(no)?, card.economics.as_ref().ok_or(no)?);
    let cur = agreement.parts().kpis.currency.ok_or(no)?;
    let local = |period: &Period, format| period.start().with_timezone(&zone).format(format).to_string();
    crate::heading("5. The shared KPI board");
    println!("  as of {}; amounts in {cur}; reporting offset {zone}; periods half-open [start, end)\n", card.as_of);
    let (steps, first) = (&card.kpis.conversion, card.kpis.conversion.first().ok_or(no)?);
    let (year, days) = (local(&first.period, "%Y"), first.window_days.unwrap_or(0));
    println!("  stage conversion, leads entering the first stage in {year} ({days}-day window for cohorts)");
    println!("    {:<26}{:>24}{:>24}{:>24}", "step", "entity cohort", "event cohort", "period flow");
    for step in steps.iter().filter(|s| s.mode == first.mode) {
        let modes = steps.iter().filter(|s| (&s.from, &s.to) == (&step.from, &step.to));
        let cells = modes.map(|s| format!("{:>24}", s.rate.to_string())).collect::<Vec<_>>().concat();
        println!("    {:<26}{cells}", format!("{} -> {}", step.from, step.to));
    }
    println!("\n  win rate by lead source, deals closed in the {} (won / won + lost)", win.window);
    println!("    {:<16}{:>22}{:>44}", "source", "by count", "by value (won / closed ACV)");
    let groups =
        win.groups.iter().flat_map(|g| &g.groups).map(|g| (g.key.clone().unwrap_or_else(|| "(none)".into()), &g.rate));
    let origins = win.origins.iter().map(|o| (format!("{}-src", o.origin.as_str()), &o.rate));
    for (name, rate) in groups.chain([("all deals".to_owned(), &win.all)]).chain(origins) {
        println!("    {name:<16}{:>22}{:>44}", rate.count.to_string(), rate.value.to_string());
    }
    println!("\n  sales cycle, created to closed, deals closed in the {} (days)", cycle.window);
    println!("    {:<28}{:>8}{:>12}{:>12}{:>12}", "measure", "deals", "mean", "median", "p90");
    let show = |d: Option<rust_decimal::Decimal>| d.map_or_else(|| "-".to_owned(), |v| v.round_dp(1).to_string());
    for out in &cycle.outcomes {
        for (name, stats) in [("elapsed", &out.elapsed_days), ("calendar", &out.calendar_days)] {
            let measure = format!("{:?} ({name} days)", out.outcome).to_lowercase();
            let (mean, median, p90) = (show(stats.mean), show(stats.median), show(stats.p90));
            println!("    {measure:<28}{:>8}{mean:>12}{median:>12}{p90:>12}", stats.count);
        }
    }
    let (weighted, tail) =
        (pipeline.weighted.to_string(), format!("  ({} open deals, {} unweighted)", pipeline.deals, pipeline.amount));
    let forecast = card.forecast.as_ref().ok_or(no)?;
    let marketing = card.return_on_marketing.as_ref().ok_or(no)?;
    println!(
        "\n{velocity}    {:<29}{weighted:>20}{tail}\n{coverage}\n{forecast}\n{economics}\n{marketing}",
        "weighted open pipeline"
    );
    if let Some(retention) = &card.retention {
        println!("{retention}");
    }
    Ok(())
}
