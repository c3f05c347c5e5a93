//! The agreement's currency rates: [`RateTerms`].

use crate::fx::{DateRule, RateTable};

/// How money in other currencies is reported in the agreement's currency
/// ([`Kpis::currency`](super::Kpis::currency)): the caller's rate table, given as data, and
/// the rule that picks each record's date ([section 12](crate::definitions::currency)).
///
/// With rates, [`Agreement::evaluate`](super::Agreement::evaluate) converts every money value
/// of the facts (deal amounts, spend, conversion values, annual revenue, recurring revenue)
/// into the agreement's currency before any section reads it, each record rounded once
/// ([`FactConverter`](crate::fx::FactConverter)), so every money figure of the board is in
/// one currency through the same table, and the board's
/// [`CurrencySection`](super::scorecard::CurrencySection) names every rate it used. A record
/// with no rate for its currency and date is kept in its own currency and named there (its
/// error is [`ErrorKind::NoRate`](crate::ErrorKind::NoRate), naming the currencies and the
/// date); the sections that sum money in the KPI currency then set it aside as in another
/// currency, the attribution section reports it in its own currency's column (it reports per
/// currency), and the sections that only count it count it. Without rates, nothing is
/// converted.
///
/// Checked with the other parts: rates need [`Kpis::currency`](super::Kpis::currency), and a
/// part that names a currency of its own (the attribution part's `currency`, an ICP's annual
/// revenue bounds) must name that one, since every converted value is in it.
///
/// # Wire format
///
/// ```toml
/// [rates]
/// date_rule = "close_date"     # a fx::DateRule: "close_date" (default), "frozen_at_close",
///                              # or { constant = "2025-01-01" }
/// [rates.table]                # a fx::RateTable
/// corporate = "USD"            # optional: every rate against this currency
/// [[rates.table.rates]]
/// from = "USD"                 # 1 USD = 0.92 EUR from 2024-01-01 on
/// to = "EUR"
/// rate = "0.92"
/// valid_from = "2024-01-01"
/// ```
///
/// # Example
///
/// ```
/// use revops::agreement::RateTerms;
/// use revops::fx::DateRule;
///
/// let text = "date_rule = \"frozen_at_close\"\n[table]\n\
///             rates = [{ from = \"EUR\", to = \"USD\", rate = \"1.08\", valid_from = \"2024-01-01\" }]";
/// let terms: RateTerms = toml::from_str(text)?;
/// assert_eq!(terms.date_rule, DateRule::FrozenAtClose);
/// assert_eq!(terms.table.rates().count(), 1);
/// // A rate of zero is refused when read.
/// assert!(toml::from_str::<RateTerms>(&text.replace("1.08", "0")).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RateTerms {
    /// The dated rates.
    pub table: RateTable,
    /// Which date's rate converts each record.
    #[serde(default)]
    pub date_rule: DateRule,
}
