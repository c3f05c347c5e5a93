//! Printing of the quickstart's section "1. The company at a glance".

use revops::agreement::Agreement;
use revops::agreement::scorecard::Scorecard;
use revops::facts::SpendKind;

/// Prints the section.
pub(crate) fn print(_agreement: &Agreement, card: &Scorecard) -> crate::Fallible {
    crate::heading("1. The company at a glance");
    let g = card.glance.as_ref().ok_or("the agreement has no currency (kpis.currency)")?;
    let per_lead = g.touches_per_lead.value().unwrap_or_default().round_dp(1);
    println!("  accounts            {:>10}\n  leads (journeys)    {:>10}", g.accounts, g.leads);
    println!("  touches             {:>10}  ({per_lead} per lead)", g.touches);
    println!("  opportunities       {:>10}  ({} won, {} lost, {} open)", g.deals, g.won, g.lost, g.open);
    println!("  win rate (closed)   {:>10}", g.win_rate.to_string());
    println!("  bookings (won ACV)  {:>20}", g.bookings.to_string());
    println!("  S&M spend           {:>20}  (media {})\n", g.spend.to_string(), g.spend_of(SpendKind::Paid));
    println!("  leads that ever entered each stage:");
    for s in &card.funnel.stages {
        println!("    {:<14}{:>8}", s.stage.as_str(), s.entered);
    }
    println!("\n  touches by channel:");
    for (channel, n) in &g.touches_by_channel {
        println!("    {:<14}{n:>8}", channel.as_str());
    }
    println!();
    Ok(())
}
