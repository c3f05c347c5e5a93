//! The main job on the built-in sample company: one report a revenue leader would read.
//!
//! `cargo run --release --example quickstart`
//!
//! Each capability of the crate adds its section below the company summary.

use std::collections::BTreeMap;

use revops::testkit::{Company, SampleLead, SampleOutcome, SampleStage, SpendCategory};
use revops::{Currency, Error, Money, Ratio};

fn main() -> Result<(), Error> {
    let company = Company::sample();
    let leads: Vec<SampleLead> = company.leads().collect();
    println!("revops quickstart: the sample company (seed {}, as of {})", company.seed(), company.as_of());
    println!();
    company_summary(&company, &leads)?;
    funnel_section(&company, &leads)?;
    Ok(())
}

/// Section 1: what the sample data holds.
fn company_summary(company: &Company, leads: &[SampleLead]) -> Result<(), Error> {
    heading("1. The company at a glance");
    let touches: usize = leads.iter().map(|l| l.touches.len()).sum();
    let opportunities: Vec<_> = leads.iter().filter_map(|l| l.opportunity.as_ref()).collect();
    let won: Vec<_> = opportunities.iter().filter(|o| o.outcome == SampleOutcome::Won).collect();
    let lost = opportunities.iter().filter(|o| matches!(o.outcome, SampleOutcome::Lost { .. })).count();
    let bookings = Money::checked_sum(won.iter().map(|o| o.amount), Currency::USD)?;
    let spend = Money::checked_sum(company.spend().into_iter().map(|s| s.amount), Currency::USD)?;
    let media = Money::checked_sum(
        company.spend().into_iter().filter(|s| matches!(s.category, SpendCategory::Media(_))).map(|s| s.amount),
        Currency::USD,
    )?;
    println!("  accounts            {:>10}", company.account_count());
    println!("  leads (journeys)    {:>10}", leads.len());
    println!("  touches             {:>10}  ({:.1} per lead)", touches, ratio_f(touches, leads.len()));
    println!(
        "  opportunities       {:>10}  ({} won, {} lost, {} open)",
        opportunities.len(),
        won.len(),
        lost,
        opportunities.len() - won.len() - lost
    );
    println!("  win rate (closed)   {:>10}", Ratio::new(won.len() as u64, (won.len() + lost) as u64).to_string());
    println!("  bookings (won ACV)  {:>20}", bookings.to_string());
    println!("  S&M spend           {:>20}  (media {media})", spend.to_string());
    println!();

    let mut by_stage: BTreeMap<SampleStage, usize> = BTreeMap::new();
    for lead in leads {
        for change in &lead.stages {
            *by_stage.entry(change.stage).or_default() += 1;
        }
    }
    println!("  leads that ever entered each stage:");
    for stage in SampleStage::ALL {
        println!("    {:<14}{:>8}", stage.as_str(), by_stage.get(&stage).copied().unwrap_or(0));
    }
    println!();

    let mut by_channel: BTreeMap<&str, usize> = BTreeMap::new();
    for lead in leads {
        for touch in &lead.touches {
            *by_channel.entry(touch.channel.as_str()).or_default() += 1;
        }
    }
    println!("  touches by channel:");
    for (channel, n) in &by_channel {
        println!("    {channel:<14}{n:>8}");
    }
    println!();
    Ok(())
}

/// Section 2: the funnel both teams signed, applied to the sample company.
fn funnel_section(company: &Company, leads: &[SampleLead]) -> Result<(), Error> {
    use revops::StageId;
    use revops::funnel::{Funnel, Reach, RejectionTally};

    heading("2. The shared funnel");
    let funnel = Funnel::demand_waterfall();
    println!(
        "  {} (skips {}; recycle to nurture)",
        funnel.name(),
        if funnel.policy().allow_skips { "allowed" } else { "not allowed" }
    );
    println!("    {:<4}{:<14}{:<28}{:<12}{:<14}{:>7}", "#", "stage", "name", "owner", "kind", "p(win)");
    for stage in funnel.all_stages() {
        let kind = format!("{:?}", stage.kind).to_lowercase();
        let order = funnel.position(&stage.id).map_or_else(|| "-".to_owned(), |p| (p + 1).to_string());
        let p = stage.probability.map_or_else(|| "-".to_owned(), |p| p.to_string());
        println!(
            "    {:<4}{:<14}{:<28}{:<12}{:<14}{:>7}",
            order,
            stage.id.as_str(),
            stage.name,
            stage.owner.as_str(),
            kind,
            p
        );
    }
    println!("    (-: outside the order; won, lost and disqualified are terminal)");
    println!();

    let mut histories = Vec::with_capacity(leads.len());
    let mut tally = RejectionTally::new();
    let (mut handoffs, mut complete, mut by_score) = (0u64, 0u64, 0u64);
    for lead in leads {
        histories.push(company.funnel_history(&funnel, lead)?);
        if let Some(r) = company.funnel_rejection(lead) {
            tally.push(&r);
        }
        if let Some(h) = company.handoff(lead, chrono::TimeDelta::try_hours(1))? {
            handoffs += 1;
            complete += u64::from(funnel.validate_handoff(&h).is_ok());
            by_score += u64::from(h.mql_reason.as_deref() == Some("fit and engagement thresholds met"));
        }
    }
    println!("  leads per stage ({} leads):          entered   reached or beyond", leads.len());
    for stage in funnel.all_stages() {
        let entered = histories.iter().filter(|h| h.reached(&funnel, &stage.id, Reach::Strict)).count();
        let beyond = histories.iter().filter(|h| h.reached(&funnel, &stage.id, Reach::OrBeyond)).count();
        let beyond = if funnel.position(&stage.id).is_some() { beyond.to_string() } else { "-".to_owned() };
        println!("    {:<32}{:>10}{:>20}", stage.name, entered, beyond);
    }
    let (mql, sql) = (StageId::new("mql")?, StageId::new("sql")?);
    let mqls: Vec<_> = histories.iter().filter(|h| h.reached(&funnel, &mql, Reach::OrBeyond)).collect();
    let to_sql = mqls.iter().filter(|h| h.reached(&funnel, &sql, Reach::OrBeyond)).count();
    println!();
    println!(
        "  {:<62}{}",
        "MQL -> SQL (MQLs that reached SQL or beyond)",
        Ratio::new(to_sql as u64, mqls.len() as u64)
    );
    println!("  {:<62}{}", "MQL -> SAL handoffs with every required field", Ratio::new(complete, handoffs));
    let label = "MQLs meeting the score thresholds (fit 40, engagement 10)";
    println!("  {label:<62}{}", Ratio::new(by_score, handoffs));
    println!();

    let report = tally.finish();
    println!("  rejections by lead source ({} total), top three reasons each:", report.total);
    for (source, n) in report.sources_by_count().into_iter().take(6) {
        let reasons: Vec<String> = report.top_reasons_for(source, 3).iter().map(|(r, c)| format!("{r} {c}")).collect();
        println!("    {:<14}{:>5}   {}", source.as_str(), n, reasons.join(", "));
    }
    println!();
    Ok(())
}

fn heading(title: &str) {
    println!("{title}");
    println!("{}", "-".repeat(title.len()));
}

/// A display-only average (never used for money).
#[allow(clippy::cast_precision_loss, clippy::float_arithmetic)]
fn ratio_f(numerator: usize, denominator: usize) -> f64 {
    numerator as f64 / denominator.max(1) as f64
}
