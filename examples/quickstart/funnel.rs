//! Printing of the quickstart's section "2. The shared funnel".

use revops::agreement::Agreement;
use revops::agreement::scorecard::Scorecard;
use revops::funnel::LeadCondition;

/// Prints the section.
pub(crate) fn print(agreement: &Agreement, card: &Scorecard) -> crate::Fallible {
    crate::heading("2. The shared funnel");
    let (funnel, f) = (agreement.funnel(), &card.funnel);
    let nurture = funnel.policy().nurture.as_ref().and_then(|n| funnel.stage(n)).map(|s| s.name.to_lowercase());
    let skips = if funnel.policy().allow_skips { "allowed" } else { "not allowed" };
    println!("  {} (skips {skips}; recycle to {})", funnel.name(), nurture.unwrap_or_else(|| "-".into()));
    println!("    {:<4}{:<14}{:<28}{:<12}{:<14}{:>7}", "#", "stage", "name", "owner", "kind", "p(win)");
    for s in funnel.all_stages() {
        let order = funnel.position(&s.id).map_or_else(|| "-".to_owned(), |p| (p + 1).to_string());
        let (kind, p) = (format!("{:?}", s.kind).to_lowercase(), s.probability.map_or("-".into(), |p| p.to_string()));
        println!("    {order:<4}{:<14}{:<28}{:<12}{kind:<14}{p:>7}", s.id.as_str(), s.name, s.owner.as_str());
    }
    println!("    (-: outside the order; won, lost and disqualified are terminal)\n");
    println!("  leads per stage ({} leads):          entered   reached or beyond", f.leads);
    for s in &f.stages {
        println!("    {:<32}{:>10}{:>20}", s.name, s.entered, s.reached.map_or("-".into(), |r| r.to_string()));
    }
    let m = &agreement.parts().sla.values().next().ok_or("the agreement has no SLA part")?.milestones;
    let mql_sql = f.rate(m.mql.as_str(), m.sql.as_str()).ok_or("the MQL or SQL stage is outside the order")?;
    println!("\n  {:<62}{mql_sql}", "MQL -> SQL (MQLs that reached SQL or beyond)");
    if let (Some(h), Some(terms)) = (&f.handoffs, &agreement.parts().kpis.mql_handoff) {
        let points = terms.score_rule.rule().leaves().filter_map(|(key, c)| match c {
            LeadCondition::FitScoreAtLeast(p) | LeadCondition::EngagementScoreAtLeast(p) => {
                Some(format!("{key} {}", p.get()))
            }
            _ => None,
        });
        let label = format!("MQLs meeting the score thresholds ({})", points.collect::<Vec<_>>().join(", "));
        println!(
            "  {:<62}{}\n  {label:<62}{}",
            "MQL -> SAL handoffs with every required field", h.complete, h.meeting_rule
        );
    }
    let r = &f.rejections;
    println!("\n  rejections by lead source ({} total), top three reasons each:", r.total);
    for (source, n) in r.sources_by_count().into_iter().take(6) {
        let reasons: Vec<String> = r.top_reasons_for(source, 3).iter().map(|(r, c)| format!("{r} {c}")).collect();
        println!("    {:<14}{:>5}   {}", source.as_str(), n, reasons.join(", "));
    }
    println!("\n{}", card.waterfall.as_ref().ok_or("the sample agreement defines a waterfall")?);
    Ok(())
}
