//! Printing of the quickstart's section 5's funnel hygiene block.

use revops::agreement::{Agreement, ReportWindow, scorecard::Scorecard};
use rust_decimal::Decimal;

/// Prints the block.
pub(crate) fn print(agreement: &Agreement, card: &Scorecard) -> crate::Fallible {
    let (h, t) =
        card.hygiene.as_ref().zip(agreement.parts().kpis.hygiene.as_ref()).ok_or("no hygiene block (kpis.hygiene)")?;
    let pct = |r: revops::Ratio<Decimal>| r.value().map_or("-".into(), |v| format!("{:.1}%", v * Decimal::ONE_HUNDRED));
    let (f, rpl) = (&h.lead_flow, h.lead_flow.revenue_per_lead.map_or("undefined".into(), |m| m.to_string()));
    println!("  funnel hygiene (leads created / delivered in {})", h.period.start().format("%Y"));
    let horizon = format!("revenue per lead ({}-day horizon)", t.revenue_horizon_days);
    println!("    {horizon} {rpl:>15}  ({} mature leads, {} won)", f.cohort_leads, f.revenue);
    let within = format!("dispositioned within {} days", t.disposition_within_days);
    let influenced = format!("marketing-influenced ({} d)", t.influence_lookback_days);
    let (sal, disposition, leakage) =
        (f.sal_acceptance.to_string(), f.disposition_rate.to_string(), f.leakage.to_string());
    println!(
        "    {:<29}{sal:>20}\n    {within:<29}{disposition:>20}\n    {:<29}{leakage:>20}",
        "SAL acceptance", "lead leakage"
    );
    let (sourced, influence) = (pct(h.sourcing.marketing_sourced), pct(h.sourcing.marketing_influenced));
    println!("    {:<29}{sourced:>20}\n    {influenced:<29}{influence:>20}", "marketing-sourced pipeline");
    let sla = t.speed_to_lead.as_ref().and_then(|k| Some((agreement.parts().sla.get(k)?, card.sla.get(k)?)));
    if let Some((Some(policy), Some(r))) = sla.map(|(p, s)| (p.policies.response.as_ref(), s.response.as_ref())) {
        let (s, min) = (&r.summary.total.speed, |d: Option<chrono::TimeDelta>| d.map_or(0, |d| d.num_minutes()));
        let label = format!("speed to lead ({} business h)", policy.target().as_time().unwrap_or_default().num_hours());
        let (within, median, p90) = (s.within_target.to_string(), min(s.median), min(s.p90));
        println!("    {label:<29}{within:>20}  median {median} business min, p90 {p90} business min");
    }
    let window = match t.losses_period {
        ReportWindow::TrailingMonths(n) => format!("trailing {n} months"),
        other => format!("{other:?}"),
    };
    println!("    closed-lost by reason ({window}, {} deals, {}):", h.losses.lost, h.losses.lost_amount);
    for (reason, r) in &h.losses.by_reason {
        println!("      {reason:<20}{:>20}{:>24}", r.share.to_string(), r.amount.to_string());
    }
    println!();
    Ok(())
}
