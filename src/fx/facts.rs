//! [`FactConverter`]: a company's facts in one currency, each record at its rule's date.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};

use super::{Rate, RateTable};
use crate::facts::{Account, Deal, FactSet, Journey, RecurringRevenue, Spend};
use crate::metrics::SpendRecord;
use crate::{Currency, Error, Money, Record};

/// Which date's rates convert a record ([section 12](crate::definitions::currency), "which
/// date"). Dates are UTC calendar dates of the records' instants.
///
/// | record | `close_date` (default) | `frozen_at_close` | `constant` |
/// | --- | --- | --- | --- |
/// | closed deal | its `closed_at` | its `closed_at` | the one date |
/// | open deal | its expected `close_date`, else `as_of` | `as_of` | the one date |
/// | spend | its period's start | its period's start | the one date |
/// | journey conversion value | its conversion instant | its conversion instant | the one date |
/// | account annual revenue | `as_of` | `as_of` | the one date |
///
/// `close_date` is Salesforce advanced currency management (an opportunity at the rate of its
/// close date, whatever its stage); `frozen_at_close` is `HubSpot` (an open deal follows the
/// current rate, a closed one freezes at its close); `constant` is constant-currency reporting
/// (one rate set for every record, for variance analysis). On the wire: `"close_date"`,
/// `"frozen_at_close"`, `{"constant": "2024-01-01"}`.
///
/// # Example
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use revops::facts::{Deal, DealStatus};
/// use revops::fx::DateRule;
/// use revops::{Currency, Money, OpportunityId};
///
/// let t = |m, d| Utc.with_ymd_and_hms(2024, m, d, 12, 0, 0).single().unwrap_or_default();
/// let id = OpportunityId::new("opp-1")?;
/// let open = Deal::new(id.clone(), t(1, 5), Money::from_minor(100, Currency::EUR), DealStatus::open_percent(&id, 50.into())?)
///     .close_date(NaiveDate::from_ymd_opt(2024, 6, 30));
/// let as_of = t(3, 1);
/// assert_eq!(DateRule::CloseDate.deal_date(&open, as_of), NaiveDate::from_ymd_opt(2024, 6, 30).unwrap_or_default());
/// assert_eq!(DateRule::FrozenAtClose.deal_date(&open, as_of), as_of.date_naive());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum DateRule {
    /// A deal at its close date (expected, while open), Salesforce's rule.
    #[default]
    CloseDate,
    /// An open deal at `as_of`, a closed one at its close, `HubSpot`'s rule.
    FrozenAtClose,
    /// Every record at one date: constant-currency reporting.
    Constant(#[cfg_attr(feature = "schema", schemars(with = "crate::wire::schema::Date"))] NaiveDate),
}

impl DateRule {
    /// The date whose rates convert `deal`, evaluated as of `as_of`.
    #[must_use]
    pub fn deal_date(self, deal: &Deal, as_of: DateTime<Utc>) -> NaiveDate {
        let closed = deal.closed_at.filter(|_| deal.status.is_closed()).map(|at| at.date_naive());
        match self {
            DateRule::Constant(day) => day,
            DateRule::CloseDate => closed.or(deal.close_date).unwrap_or_else(|| as_of.date_naive()),
            DateRule::FrozenAtClose => closed.unwrap_or_else(|| as_of.date_naive()),
        }
    }

    /// The date whose rates convert an instant-dated amount (spend, a conversion value).
    #[must_use]
    pub fn instant_date(self, at: DateTime<Utc>) -> NaiveDate {
        match self {
            DateRule::Constant(day) => day,
            DateRule::CloseDate | DateRule::FrozenAtClose => at.date_naive(),
        }
    }

    /// The date for a value dated by evaluation only (an account's annual revenue).
    #[must_use]
    pub fn as_of_date(self, as_of: DateTime<Utc>) -> NaiveDate {
        self.instant_date(as_of)
    }
}

/// Converts a company's facts into one currency under a [`RateTable`] and a [`DateRule`],
/// collecting the rates it used; facts already in the target currency pass unchanged.
///
/// Each money field of a record is converted once, rounded to the target's minor unit, so a
/// total summed over converted records equals the sum of the rows a report shows. Feed the
/// converted facts to any tally or to the agreement: they see one currency.
///
/// # Errors
/// Every method: [`ErrorKind::NoRate`](crate::ErrorKind::NoRate) (or an overflow) about the
/// record (deal, spend line, journey, account) that needed the rate.
///
/// # Example
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use revops::facts::{Deal, DealStatus, FactSet};
/// use revops::fx::{DateRule, FactConverter, Rate, RateTable, Rounding};
/// use revops::{Currency, Money, OpportunityId};
/// use rust_decimal_macros::dec;
///
/// let t = |m, d| Utc.with_ymd_and_hms(2024, m, d, 12, 0, 0).single().unwrap_or_default();
/// let day = |m, d| NaiveDate::from_ymd_opt(2024, m, d).unwrap_or_default();
/// let table = RateTable::new(Some(Currency::USD), Rounding::HalfAwayFromZero, [
///     Rate::new(Currency::USD, Currency::JPY, dec!(148.5), day(1, 1))?,
///     Rate::new(Currency::USD, Currency::JPY, dec!(151.2), day(4, 1))?,
/// ])?;
/// let mut facts = FactSet::default();
/// for (id, yen, closed) in [("opp-1", 1_000_000, t(3, 10)), ("opp-2", 2_000_000, t(4, 2))] {
///     let deal = Deal::new(OpportunityId::new(id)?, t(1, 2), Money::from_minor(yen, Currency::JPY), DealStatus::Won);
///     facts.deals.push(deal.closed_at(Some(closed)));
/// }
/// let mut fx = FactConverter::new(&table, Currency::USD, DateRule::CloseDate, t(6, 30));
/// let usd = fx.facts(&facts)?;
/// let amounts: Vec<String> = usd.deals.iter().map(|d| d.amount.to_string()).collect();
/// assert_eq!(amounts, ["6734.01 USD", "13227.51 USD"]); // each at its close date's rate
/// assert_eq!(fx.rates_used().len(), 2);
/// assert_eq!(fx.converted(), 2);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct FactConverter<'a> {
    table: &'a RateTable,
    target: Currency,
    rule: DateRule,
    as_of: DateTime<Utc>,
    used: BTreeSet<Rate>,
    converted: usize,
}

impl<'a> FactConverter<'a> {
    /// A converter into `target` at the dates `rule` gives, evaluated as of `as_of`.
    #[must_use]
    pub const fn new(table: &'a RateTable, target: Currency, rule: DateRule, as_of: DateTime<Utc>) -> Self {
        FactConverter { table, target, rule, as_of, used: BTreeSet::new(), converted: 0 }
    }

    /// The currency converted into.
    #[must_use]
    pub const fn target(&self) -> Currency {
        self.target
    }

    /// Every stored rate used so far, sorted by pair and date.
    #[must_use]
    pub const fn rates_used(&self) -> &BTreeSet<Rate> {
        &self.used
    }

    /// How many money values were in another currency and converted so far.
    #[must_use]
    pub const fn converted(&self) -> usize {
        self.converted
    }

    /// `money` in the target currency at `date`'s rates, recording the rates used.
    ///
    /// # Errors
    /// [`ErrorKind::NoRate`](crate::ErrorKind::NoRate) naming the currencies and the date.
    pub fn money(&mut self, money: Money, date: NaiveDate) -> Result<Money, Error> {
        if money.currency() == self.target {
            return Ok(money);
        }
        let c = self.table.convert(money, self.target, date)?;
        self.used.extend(c.rates());
        self.converted += 1;
        Ok(c.money())
    }

    /// The deal in the target currency (its amount at [`DateRule::deal_date`]).
    ///
    /// # Errors
    /// As [`FactConverter::money`], about the deal.
    pub fn deal(&mut self, deal: &Deal) -> Result<Deal, Error> {
        let date = self.rule.deal_date(deal, self.as_of);
        let amount = self.money(deal.amount, date).map_err(|e| e.about(Record::Deal(deal.id.clone())))?;
        Ok(Deal { amount, ..deal.clone() })
    }

    /// The spend line in the target currency (at its period's start).
    ///
    /// # Errors
    /// As [`FactConverter::money`], about the spend line.
    pub fn spend(&mut self, spend: &Spend) -> Result<Spend, Error> {
        let date = self.rule.instant_date(spend.period.start());
        let amount =
            self.money(spend.amount, date).map_err(|e| e.about(Record::Spend(SpendRecord(spend).to_string())))?;
        Ok(Spend { amount, ..spend.clone() })
    }

    /// The journey with its conversion value in the target currency (at the conversion).
    ///
    /// # Errors
    /// As [`FactConverter::money`], about the journey.
    pub fn journey(&mut self, journey: &Journey) -> Result<Journey, Error> {
        let mut out = journey.clone();
        if let Some(conversion) = out.conversion.as_mut() {
            let date = self.rule.instant_date(conversion.at);
            conversion.value =
                self.money(conversion.value, date).map_err(|e| e.about(Record::Journey(journey.id.clone())))?;
        }
        Ok(out)
    }

    /// The account with its annual revenue in the target currency (at `as_of`).
    ///
    /// # Errors
    /// As [`FactConverter::money`], about the account.
    pub fn account(&mut self, account: &Account) -> Result<Account, Error> {
        let mut out = account.clone();
        if let Some(revenue) = out.annual_revenue {
            let date = self.rule.as_of_date(self.as_of);
            out.annual_revenue =
                Some(self.money(revenue, date).map_err(|e| e.about(Record::Account(account.id.clone())))?);
        }
        Ok(out)
    }

    /// The recurring-revenue fact with its MRR in the target currency (at its instant).
    ///
    /// # Errors
    /// As [`FactConverter::money`], about the account.
    pub fn recurring_revenue(&mut self, fact: &RecurringRevenue) -> Result<RecurringRevenue, Error> {
        let date = self.rule.instant_date(fact.at);
        let mrr = self.money(fact.mrr, date).map_err(|e| e.about(Record::Account(fact.account.clone())))?;
        Ok(RecurringRevenue { mrr, ..fact.clone() })
    }

    /// Every fact of `facts` in the target currency (facts without money are copied).
    ///
    /// # Errors
    /// The first error of [`FactConverter::deal`], [`FactConverter::spend`],
    /// [`FactConverter::journey`], [`FactConverter::account`] or
    /// [`FactConverter::recurring_revenue`], in that order of kinds.
    pub fn facts(&mut self, facts: &FactSet) -> Result<FactSet, Error> {
        let deals = facts.deals.iter().map(|d| self.deal(d)).collect::<Result<Vec<_>, _>>()?;
        let spend = facts.spend.iter().map(|s| self.spend(s)).collect::<Result<Vec<_>, _>>()?;
        let journeys = facts.journeys.iter().map(|j| self.journey(j)).collect::<Result<Vec<_>, _>>()?;
        let accounts = facts.accounts.iter().map(|a| self.account(a)).collect::<Result<Vec<_>, _>>()?;
        let recurring_revenue =
            facts.recurring_revenue.iter().map(|r| self.recurring_revenue(r)).collect::<Result<Vec<_>, _>>()?;
        Ok(FactSet { accounts, deals, journeys, spend, recurring_revenue, ..facts.clone() })
    }

    /// As [`FactConverter::facts`], but record by record: a record that cannot be converted
    /// (no rate) is kept in its own currency, never dropped, and its error is returned beside
    /// the facts, in the order of [`FactConverter::facts`]. The evaluator of an agreement with
    /// rates uses it, so that the sections that read the record's money set it aside as in
    /// another currency and the rest still count it.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{NaiveDate, TimeZone, Utc};
    /// use revops::facts::{Deal, DealStatus, FactSet};
    /// use revops::fx::{DateRule, FactConverter, Rate, RateTable, Rounding};
    /// use revops::{Currency, ErrorKind, Money, OpportunityId};
    /// use rust_decimal_macros::dec;
    ///
    /// let day = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
    /// let table = RateTable::new(None, Rounding::HalfAwayFromZero, [Rate::new(Currency::EUR, Currency::USD, dec!(1.1), day)?])?;
    /// let at = Utc.with_ymd_and_hms(2024, 3, 1, 0, 0, 0).single().unwrap_or_default();
    /// let won = |id: &str, money| Ok::<_, revops::Error>(Deal::new(OpportunityId::new(id)?, at, money, DealStatus::Won).closed_at(Some(at)));
    /// let mut facts = FactSet::default();
    /// facts.deals.push(won("eur", Money::new(dec!(100), Currency::EUR))?);
    /// facts.deals.push(won("gbp", Money::new(dec!(100), Currency::GBP))?);
    /// let mut fx = FactConverter::new(&table, Currency::USD, DateRule::CloseDate, at);
    /// let (usd, errors) = fx.facts_each(&facts);
    /// assert_eq!(usd.deals[0].amount.to_string(), "110.00 USD");
    /// assert_eq!(usd.deals[1].amount.to_string(), "100.00 GBP"); // kept as given
    /// assert!(matches!(errors[0].kind(), ErrorKind::NoRate { from: Currency::GBP, .. }));
    /// assert_eq!(errors[0].record().map(ToString::to_string).as_deref(), Some("deal `gbp`"));
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn facts_each(&mut self, facts: &FactSet) -> (FactSet, Vec<Error>) {
        fn each<T: Clone>(
            records: &[T],
            errors: &mut Vec<Error>,
            mut convert: impl FnMut(&T) -> Result<T, Error>,
        ) -> Vec<T> {
            records
                .iter()
                .map(|record| {
                    convert(record).unwrap_or_else(|error| {
                        errors.push(error);
                        record.clone()
                    })
                })
                .collect()
        }
        let mut errors = Vec::new();
        let deals = each(&facts.deals, &mut errors, |d| self.deal(d));
        let spend = each(&facts.spend, &mut errors, |s| self.spend(s));
        let journeys = each(&facts.journeys, &mut errors, |j| self.journey(j));
        let accounts = each(&facts.accounts, &mut errors, |a| self.account(a));
        let recurring_revenue = each(&facts.recurring_revenue, &mut errors, |r| self.recurring_revenue(r));
        (FactSet { accounts, deals, journeys, spend, recurring_revenue, ..facts.clone() }, errors)
    }
}
