//! Printing of the quickstart's section "4. SLAs in business time": the first SLA part's
//! definitions in words, then its figures (the section's plain-text form).

use revops::agreement::Agreement;
use revops::agreement::scorecard::Scorecard;

/// Prints the section.
pub(crate) fn print(_agreement: &Agreement, card: &Scorecard) -> crate::Fallible {
    crate::heading("4. SLAs in business time");
    let sla = card.sla.values().next().ok_or("the agreement has no SLA part")?;
    let words = &sla.words;
    println!("  calendar            {}", words.calendar);
    println!("  response SLA        {}", words.response.as_deref().unwrap_or("none"));
    println!("  disposition SLA     {}", words.disposition.as_deref().unwrap_or("none"));
    println!("  as of               {}\n", card.as_of);
    println!("{sla}");
    Ok(())
}
