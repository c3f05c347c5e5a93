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
    data_driven_section(&company)?;
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

/// Section 7: data-driven attribution (Markov removal effect and Shapley) over every lead.
#[allow(clippy::float_arithmetic)] // display of statistical shares
fn data_driven_section(company: &Company) -> Result<(), Error> {
    use revops::attribution::{CoalitionCounts, MarkovModel};

    heading("7. Data-driven attribution (Markov order 1, Shapley)");
    // Every lead is a journey; it converts when its opportunity was won, worth the won amount.
    let journeys = company.lead_journeys()?;
    let mut counts = MarkovModel::new(1)?.counts(Currency::USD);
    counts.push_columns(&journeys)?;
    let markov = counts.finish()?;
    let mut tally = CoalitionCounts::new(Currency::USD);
    tally.push_columns(&journeys)?;
    let shapley = tally.simplified()?;
    println!(
        "  {} journeys, {} won ({}), bookings {}",
        markov.journeys,
        markov.conversions,
        Ratio::new(markov.conversions, markov.journeys),
        markov.total_value
    );
    println!(
        "  Markov: exact absorbing-chain solve, P(conversion) = {:.4}%; value split by value removal effect",
        markov.conversion_probability * 100.0
    );
    println!("  Shapley: simplified (each win split equally over its distinct channels)");
    println!();
    println!("  {:<14} {:-^46} {:-^27}", "", " Markov (order 1) ", " Shapley ");
    println!(
        "  {:<14}{:>10}{:>9}{:>10}{:>18}{:>10}{:>18}",
        "channel", "removal", "share", "wins", "credit", "wins", "credit"
    );
    for (m, s) in markov.channels.iter().zip(&shapley.channels) {
        println!(
            "  {:<14}{:>9.1}%{:>8.1}%{:>10.1}{:>18}{:>10.1}{:>18}",
            m.channel.as_str(),
            m.removal_effect * 100.0,
            m.share * 100.0,
            m.conversions,
            m.value.amount().to_string(),
            s.conversions,
            s.value.amount().to_string()
        );
    }
    let markov_total = Money::checked_sum(markov.channels.iter().map(|c| c.value), Currency::USD)?;
    let shapley_total = Money::checked_sum(shapley.channels.iter().map(|c| c.value), Currency::USD)?;
    println!(
        "  {:<14}{:>9}{:>9}{:>10}{:>18}{:>10}{:>18}",
        "total",
        "",
        "100.0%",
        markov.conversions,
        markov_total.amount().to_string(),
        shapley.conversions,
        shapley_total.amount().to_string()
    );
    println!("  (credits sum to bookings to the cent in both models; amounts in USD)");
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
