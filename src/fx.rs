//! Multi-currency by the caller's rates: a [`RateTable`] given as data, conversion that rounds
//! once per record and names the rates it used, and conversion of whole fact sets
//! ([section 12](crate::definitions::currency)).
//!
//! - [`Rate`]: one stored rate, `1 from = rate to` from `valid_from` on; the direction is the
//!   caller's (Salesforce and `HubSpot` store opposite ones), never guessed.
//! - [`RateTable`]: dated rates (greatest `valid_from` on or before the date), optionally all
//!   against one corporate currency (one rate per period, crosses through it); validated on
//!   construction and when read.
//! - [`RateTable::convert`]: money in another currency at a date, as a [`Converted`]: the
//!   amount multiplied exactly (divided by the stored rate the other way), rounded once to the
//!   target's ISO 4217 minor unit (half away from zero, or [`Rounding::HalfEven`]), and the
//!   [`Applied`] rates. No rate is [`ErrorKind::NoRate`](crate::ErrorKind::NoRate) naming the
//!   currencies and the date.
//! - [`FactConverter`]: the facts of a company in one currency, each record at the date
//!   [`DateRule`] gives it, collecting the rates it used.
//!
//! **Why facts are converted, not tallies.** Every money metric of the crate sums [`Money`](crate::Money)
//! read from facts, and refuses a record in another currency
//! ([`ErrorKind::MixedCurrency`](crate::ErrorKind::MixedCurrency)). Converting the facts before
//! they reach a tally makes every metric report in one currency through the same table, with no
//! change to any tally, its partial state or its merge: a tally still sees one currency, and
//! its sums are sums of records rounded once each, so rows add up to totals. The other design
//! (a rate table inside each tally) would convert at the tally's push, repeat the date rule in
//! every metric, and make each tally's serialized state depend on the table. The price is that
//! the caller converts before evaluating, which [`FactConverter`] does in one pass, and which
//! [`Agreement::evaluate`](crate::agreement::Agreement::evaluate) does when the agreement names
//! its rates ([`RateTerms`](crate::agreement::RateTerms)). Summing mixed currencies without converting stays an error.
//!
//! # Example
//!
//! `HubSpot` stores "from the additional currency to the company currency": `1 EUR = 1.08 USD`.
//!
//! ```
//! use chrono::NaiveDate;
//! use revops::fx::{Rate, RateTable, Rounding};
//! use revops::{Currency, Money};
//! use rust_decimal_macros::dec;
//!
//! let day = |m, d| NaiveDate::from_ymd_opt(2024, m, d).unwrap_or_default();
//! let table = RateTable::new(None, Rounding::HalfAwayFromZero, [
//!     Rate::new(Currency::EUR, Currency::USD, dec!(1.08), day(1, 1))?,
//!     Rate::new(Currency::EUR, Currency::USD, dec!(1.10), day(2, 1))?,
//! ])?;
//! let eur = Money::new(dec!(1000), Currency::EUR);
//! assert_eq!(table.convert(eur, Currency::USD, day(1, 31))?.money().to_string(), "1080.00 USD");
//! let feb = table.convert(eur, Currency::USD, day(2, 1))?;
//! assert_eq!(feb.money().to_string(), "1100.00 USD");
//! assert_eq!(feb.to_string(), "1000.00 EUR = 1100.00 USD at 1 EUR = 1.1 USD from 2024-02-01");
//! // The other way divides by the stored rate: 1,100 USD is 1,000 EUR again.
//! assert_eq!(table.convert(feb.money(), Currency::EUR, day(2, 1))?.money().to_string(), "1000.00 EUR");
//! # Ok::<(), revops::Error>(())
//! ```

mod convert;
mod facts;
mod rate;
mod table;
#[cfg(test)]
mod tests;
#[cfg(feature = "serde")]
mod wire;

pub use self::convert::{Applied, Converted, Leg};
pub use self::facts::{DateRule, FactConverter};
pub use self::rate::Rate;
pub use self::table::{RateTable, Rounding};
