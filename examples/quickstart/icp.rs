//! Printing of the quickstart's section "3. Ideal customer profile": the ICP section's
//! plain-text rendering.

use revops::agreement::Agreement;
use revops::agreement::scorecard::Scorecard;

/// Prints the section.
#[allow(clippy::unnecessary_wraps)] // the same signature as every section
pub(crate) fn print(_agreement: &Agreement, card: &Scorecard) -> crate::Fallible {
    crate::heading("3. Ideal customer profile");
    if let Some(icp) = &card.icp {
        print!("{icp}");
    }
    Ok(())
}
