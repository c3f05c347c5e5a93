//! Printing of the quickstart's section "9. One currency through the agreement's rates".

use std::collections::BTreeSet;

use revops::agreement::scorecard::Scorecard;
use revops::agreement::{Agreement, RateTerms};
use revops::fx::{DateRule, Rate, RateTable, Rounding};
use revops::testkit::Company;
use revops::{Currency, Money};
use rust_decimal::Decimal;

/// Prints the section: the sample company again, its UK accounts' deals booked in pounds, under
/// the sample agreement plus a rate table; the board comes out in dollars, equal to the
/// all-dollar board.
pub(crate) fn print(agreement: &Agreement, company: &Company, card: &Scorecard) -> crate::Fallible {
    crate::heading("9. One currency through the agreement's rates");
    let pound = Rate::new(Currency::GBP, Currency::USD, Decimal::new(125, 2), "2024-01-01".parse()?)?;
    let mut facts = company.facts();
    let uk: BTreeSet<_> =
        facts.accounts.iter().filter(|a| a.country.as_deref() == Some("GB")).map(|a| a.id.clone()).collect();
    let mut booked = 0;
    for deal in facts.deals.iter_mut().filter(|d| d.account.as_ref().is_some_and(|a| uk.contains(a))) {
        // 1 GBP = 1.25 USD: a dollar amount is 0.8 of it in pounds.
        deal.amount = Money::new(deal.amount.amount() * Decimal::new(8, 1), Currency::GBP);
        booked += 1;
    }
    let mut parts = agreement.parts().clone();
    let table = RateTable::new(Some(Currency::USD), Rounding::HalfAwayFromZero, [pound])?;
    parts.rates = Some(RateTerms { table, date_rule: DateRule::CloseDate });
    let in_pounds = Agreement::new(parts)?.evaluate(&facts, company.as_of())?;
    println!("  the sample company with its {} UK accounts' {booked} deals booked in GBP:", uk.len());
    if let Some(currency) = &in_pounds.currency {
        print!("{currency}");
    }
    let bookings = |c: &Scorecard| c.glance.as_ref().map(|g| g.bookings.to_string()).unwrap_or_default();
    println!("    bookings (won ACV)      {:>20}  (all-dollar board: {})", bookings(&in_pounds), bookings(card));
    // Every section but the currency one, under the two agreements' different fingerprints.
    let mut same = in_pounds.clone();
    same.currency = None;
    same.fingerprint = card.fingerprint.clone();
    println!("    every other section equal to the all-dollar board: {}", if &same == card { "yes" } else { "no" });
    println!();
    Ok(())
}
