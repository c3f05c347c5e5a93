//! The currency section of the board ([`CurrencySection`]): the facts' money converted into the
//! agreement's currency through its rates, and every rate used.

use std::borrow::Cow;
use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::{Exclusion, Section, set_aside};
use crate::agreement::Agreement;
use crate::facts::FactSet;
use crate::fx::{DateRule, FactConverter, Rate};
use crate::{Currency, Error, ErrorKind};

/// How the board's money was brought into one currency
/// ([`RateTerms`](crate::agreement::RateTerms)): every money value of the facts in another
/// currency than [`Kpis::currency`](crate::agreement::Kpis::currency) is converted before any
/// section reads it, each at its record's date under `date_rule`
/// ([`FactConverter`]), so every money figure of the board is in `currency` through one table.
///
/// - **`converted`** counts the money values converted (a deal's amount, a spend line, a
///   journey's conversion value, an account's annual revenue, a month of recurring revenue);
///   values already in `currency` are not counted.
/// - **`rates_used`** names every stored rate any conversion read (two for a cross through the
///   corporate currency), sorted by pair and date: what an auditor needs to redo the figures.
/// - **A record with no rate** for its currency and date is kept in its own currency and set
///   aside here as an [`Exclusion`] of section `currency`, naming the record (its error is
///   [`ErrorKind::NoRate`], naming the currencies and the date); the sections that sum money
///   in the KPI currency then set it aside as in another currency, the attribution section
///   reports it in its own currency's column, and the sections that only count it still count
///   it. In strict mode it is the error.
///
/// Partitions convert on their own (a record's date is its own), so the section merges as a
/// sum of counts and a union of rates. A record given in two partitions is converted (and, without
/// a rate, named) in each: `converted` counts copies, as the money sections count a deal or a
/// spend line given twice.
///
/// # Example
///
/// ```
/// use revops::agreement::{Agreement, RateTerms};
/// use revops::fx::{DateRule, Rate, RateTable, Rounding};
/// use revops::testkit::{Company, sample_agreement};
/// use revops::{Currency, Money};
/// use rust_decimal_macros::dec;
///
/// let company = Company::new(42, 200)?;
/// let mut facts = company.facts();
/// // One won deal booked in euros: 1 EUR = 1.1 USD.
/// let deal = facts.deals.iter_mut().find(|d| d.closed_at.is_some()).ok_or("a closed deal")?;
/// deal.amount = Money::new(dec!(1000), Currency::EUR);
/// let mut parts = sample_agreement()?.parts().clone();
/// let eur = Rate::new(Currency::EUR, Currency::USD, dec!(1.1), "2020-01-01".parse()?)?;
/// let table = RateTable::new(None, Rounding::HalfAwayFromZero, [eur])?;
/// parts.rates = Some(RateTerms { table, date_rule: DateRule::CloseDate });
/// let card = Agreement::new(parts)?.evaluate(&facts, company.as_of())?;
/// let currency = card.currency.as_ref().ok_or("the agreement has rates")?;
/// assert_eq!((currency.currency, currency.converted), (Currency::USD, 1));
/// assert_eq!(currency.rates_used, vec![eur]);
/// assert!(card.exclusions().next().is_none()); // every section read it, as 1,100.00 USD
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CurrencySection {
    /// The currency every money figure is reported in.
    pub currency: Currency,
    /// Which date's rate converted each record.
    pub date_rule: DateRule,
    /// Money values converted from another currency.
    pub converted: u64,
    /// Every stored rate used, sorted.
    pub rates_used: Vec<Rate>,
    /// Records with no rate, kept in their own currency, sorted.
    pub excluded: Vec<Exclusion>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct CurrencyTally {
    currency: Currency,
    date_rule: DateRule,
    converted: u64,
    used: BTreeSet<Rate>,
    excluded: Vec<Exclusion>,
}

impl CurrencyTally {
    /// The section's tally, or none when the agreement has no rates.
    pub(super) fn new(agreement: &Agreement) -> Result<Option<CurrencyTally>, Error> {
        let Some(rates) = &agreement.parts().rates else { return Ok(None) };
        let currency = super::deals::currency(agreement)?;
        let date_rule = rates.date_rule;
        Ok(Some(CurrencyTally { currency, date_rule, converted: 0, used: BTreeSet::new(), excluded: Vec::new() }))
    }

    /// `facts` with every money value in the board's currency where a rate exists (the others
    /// kept and set aside here; strict: the first such error).
    pub(super) fn convert<'f>(
        &mut self,
        agreement: &Agreement,
        facts: &'f FactSet,
        as_of: DateTime<Utc>,
        strict: bool,
    ) -> Result<Cow<'f, FactSet>, Error> {
        let Some(rates) = &agreement.parts().rates else { return Ok(Cow::Borrowed(facts)) };
        let mut fx = FactConverter::new(&rates.table, self.currency, self.date_rule, as_of);
        let (converted, errors) = fx.facts_each(facts);
        for error in errors {
            set_aside(strict, &mut self.excluded, Section::Currency, None, error)?;
        }
        let count = u64::try_from(fx.converted()).map_err(|_| ErrorKind::Overflow { op: "currency conversions" })?;
        self.converted = self.converted.checked_add(count).ok_or(ErrorKind::Overflow { op: "currency conversions" })?;
        self.used.extend(fx.rates_used().iter().copied());
        Ok(Cow::Owned(converted))
    }

    pub(super) fn merge(&mut self, other: CurrencyTally) -> Result<(), Error> {
        if (self.currency, self.date_rule) != (other.currency, other.date_rule) {
            return Err(ErrorKind::DefinitionMismatch { tally: "scorecard currency", field: "rates" }.into());
        }
        self.converted =
            self.converted.checked_add(other.converted).ok_or(ErrorKind::Overflow { op: "currency conversions" })?;
        self.used.extend(other.used);
        self.excluded.extend(other.excluded);
        Ok(())
    }

    pub(super) fn finish(mut self) -> CurrencySection {
        self.excluded.sort();
        CurrencySection {
            currency: self.currency,
            date_rule: self.date_rule,
            converted: self.converted,
            rates_used: self.used.into_iter().collect(),
            excluded: self.excluded,
        }
    }
}
