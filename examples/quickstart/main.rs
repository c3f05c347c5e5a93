//! The main job on the built-in sample company: one report a revenue leader would read, printed
//! from one [`Scorecard`] that the sample agreement (`examples/agreements/sample.toml`) defines.
//!
//! `cargo run --release --example quickstart`
//!
//! Every figure comes from `Agreement::evaluate`; this example only prints. Each section's
//! printing is in its own file.

mod attribution;
mod currency;
mod funnel;
mod glance;
mod hygiene;
mod icp;
mod kpis;
mod sla;

use revops::agreement::Agreement;
use revops::testkit::Company;

/// The error type of the example: a TOML error or a `revops::Error`.
type Fallible = Result<(), Box<dyn std::error::Error>>;

fn main() -> Fallible {
    let text = include_str!("../agreements/sample.toml");
    let agreement: Agreement = toml::from_str(text)?;
    let company = Company::sample();
    let card = agreement.evaluate(&company.facts(), company.as_of())?;
    println!("revops quickstart: the sample company (seed {}, as of {})", company.seed(), card.as_of);
    println!();
    glance::print(&agreement, &card)?;
    funnel::print(&agreement, &card)?;
    icp::print(&agreement, &card)?;
    sla::print(&agreement, &card)?;
    kpis::print(&agreement, &card)?;
    hygiene::print(&agreement, &card)?;
    attribution::print(&agreement, &card)?;
    currency::print(&agreement, &company, &card)?;
    Ok(())
}

/// A section heading, underlined.
fn heading(title: &str) {
    println!("{title}\n{}", "-".repeat(title.len()));
}
