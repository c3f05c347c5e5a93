//! Printing of the quickstart's section "3. Ideal customer profile" (placeholder until its scorecard section lands).

use revops::agreement::Agreement;
use revops::agreement::scorecard::Scorecard;

/// Prints the section.
#[allow(clippy::unnecessary_wraps)] // placeholder
pub(crate) fn print(_agreement: &Agreement, _card: &Scorecard) -> crate::Fallible {
    crate::heading("3. Ideal customer profile");
    Ok(())
}
