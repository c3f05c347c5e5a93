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
    attribution_section(&leads)?;
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

/// Section 6: who gets credit for the bookings, under six models side by side.
fn attribution_section(leads: &[SampleLead]) -> Result<(), Error> {
    use revops::attribution::{Comparison, Journey, Model, UPreset};
    heading("6. Attribution");
    let journeys: Vec<Journey> = leads.iter().map(SampleLead::journey).collect();
    let half_life = chrono::TimeDelta::try_days(7).ok_or(Error::Overflow { op: "half-life" })?;
    let models = vec![
        Model::first_touch(),
        Model::linear(),
        Model::u_shaped(UPreset::Hubspot),
        Model::w_shaped(),
        Model::full_path(),
        Model::time_decay(half_life)?,
    ];
    let labels = ["first touch", "linear", "U (40/40/20)", "W (30x3/10)", "full path", "decay 7d"];
    let mut side = Comparison::new(models);
    side.push_all(&journeys)?;
    let reports = side.finish()?;
    let won = journeys.iter().filter(|j| j.is_converted()).count();
    println!(
        "  {} won deals credited over their touches ({} journeys did not convert); USD, exact to the cent",
        won,
        reports.first().map_or(0, |r| r.non_converting)
    );
    print!("  {:<14}", "channel");
    for label in labels {
        print!("{label:>15}");
    }
    println!();
    let mut channels: Vec<&revops::ChannelId> =
        reports.iter().flat_map(|r| r.currencies.values().flat_map(|t| t.by_channel.keys())).collect();
    channels.sort();
    channels.dedup();
    for channel in channels {
        print!("  {:<14}", channel.as_str());
        for report in &reports {
            let amount = report
                .currencies
                .get(&Currency::USD)
                .and_then(|t| t.by_channel.get(channel))
                .map_or(Money::zero(Currency::USD), |m| *m);
            print!("{:>15}", amount.amount().to_string());
        }
        println!();
    }
    print!("  {:<14}", "total");
    for report in &reports {
        let total = report.currencies.get(&Currency::USD).map_or(Money::zero(Currency::USD), |t| t.revenue);
        print!("{:>15}", total.amount().to_string());
    }
    println!();
    let bookings = Money::checked_sum(journeys.iter().filter_map(|j| j.conversion.map(|c| c.value)), Currency::USD)?;
    println!("  bookings (won ACV) {bookings}: every column sums to it");
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
