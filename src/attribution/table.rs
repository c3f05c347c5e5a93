//! [`ChannelTable`]: rule-based and data-driven models over the same journeys, in one table.

use std::collections::BTreeMap;

use super::markov::MarkovAttribution;
use super::shapley::SimplifiedShapley;
use super::totals::AttributionReport;
use crate::{ChannelId, Currency, Error, ErrorKind, Money};

/// Channel credits of several models side by side, one column per model, in one currency.
///
/// Rows are channels in id order; a channel a model did not credit shows zero in its column.
/// Every column is checked to total the same amount as the first (all models credit the same
/// revenue, to the cent), so a table that would not reconcile cannot be built.
///
/// # Example
///
/// ```
/// use revops::attribution::ChannelTable;
/// use revops::{ChannelId, Currency, Money};
///
/// let usd = |c| Money::from_minor(c, Currency::USD);
/// let (email, search) = (ChannelId::new("email")?, ChannelId::new("paid_search")?);
/// let mut table = ChannelTable::new(Currency::USD);
/// table.add_column("first touch", [(search.clone(), usd(10_000))])?;
/// table.add_column("linear", [(email.clone(), usd(4_000)), (search.clone(), usd(6_000))])?;
/// assert_eq!(table.columns(), ["first touch", "linear"]);
/// let rows: Vec<_> = table.rows().collect();
/// assert_eq!(rows[0], (&email, &[usd(0), usd(4_000)][..]));
/// assert!(table.add_column("broken", [(email, usd(1))]).is_err()); // does not reconcile
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChannelTable {
    currency: Currency,
    columns: Vec<String>,
    totals: Vec<Money>,
    rows: BTreeMap<ChannelId, Vec<Money>>,
}

impl ChannelTable {
    /// An empty table in `currency`.
    #[must_use]
    pub fn new(currency: Currency) -> ChannelTable {
        ChannelTable { currency, columns: Vec::new(), totals: Vec::new(), rows: BTreeMap::new() }
    }

    /// Adds a column named `model` from its channel credits.
    ///
    /// # Errors
    /// [`ErrorKind::CurrencyMismatch`] for a credit in another currency; [`ErrorKind::Overflow`] from
    /// summing; [`ErrorKind::InvalidValue`] (field `"attribution table column"`) if the column's
    /// total differs from the first column's, or a channel appears twice in it. On error the
    /// table is unchanged.
    pub fn add_column(
        &mut self,
        model: impl Into<String>,
        credits: impl IntoIterator<Item = (ChannelId, Money)>,
    ) -> Result<(), Error> {
        let model = model.into();
        let mut column: BTreeMap<ChannelId, Money> = BTreeMap::new();
        for (channel, money) in credits {
            if money.currency() != self.currency {
                return Err(ErrorKind::CurrencyMismatch { expected: self.currency, found: money.currency() }.into());
            }
            if column.insert(channel.clone(), money).is_some() {
                return Err(ErrorKind::InvalidValue {
                    field: "attribution table column",
                    value: format!("{model}: {channel}"),
                    reason: "a channel appears twice in one column",
                }
                .into());
            }
        }
        let total = Money::checked_sum(column.values().copied(), self.currency)?;
        if let Some(first) = self.totals.first()
            && *first != total
        {
            return Err(ErrorKind::InvalidValue {
                field: "attribution table column",
                value: format!("{model}: {total}"),
                reason: "its total differs from the first column's",
            }
            .into());
        }
        let width = self.columns.len();
        for channel in column.keys() {
            self.rows.entry(channel.clone()).or_insert_with(|| vec![Money::zero(self.currency); width]);
        }
        for (channel, row) in &mut self.rows {
            row.push(column.get(channel).copied().unwrap_or(Money::zero(self.currency)));
        }
        self.columns.push(model);
        self.totals.push(total);
        Ok(())
    }

    /// Adds the channel credits of a rule-based [`AttributionReport`] in this table's currency
    /// (a report without that currency gives an all-zero column).
    ///
    /// # Errors
    /// As [`ChannelTable::add_column`].
    pub fn add_report(&mut self, report: &AttributionReport) -> Result<(), Error> {
        let credits = report.currencies.get(&self.currency).map(|t| t.by_channel.clone()).unwrap_or_default();
        self.add_column(report.model.clone(), credits)
    }

    /// Adds the value credits of a Markov removal-effect attribution as column `model`.
    ///
    /// # Errors
    /// As [`ChannelTable::add_column`].
    pub fn add_markov(&mut self, model: impl Into<String>, markov: &MarkovAttribution) -> Result<(), Error> {
        self.add_column(model, markov.channels.iter().map(|c| (c.channel.clone(), c.value)))
    }

    /// Adds the value credits of a simplified Shapley attribution as column `model`.
    ///
    /// # Errors
    /// As [`ChannelTable::add_column`].
    pub fn add_shapley(&mut self, model: impl Into<String>, shapley: &SimplifiedShapley) -> Result<(), Error> {
        self.add_column(model, shapley.channels.iter().map(|c| (c.channel.clone(), c.value)))
    }

    /// The currency.
    #[must_use]
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// The column (model) names, in the order added.
    #[must_use]
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// Each channel with its credit per column, in channel-id order.
    pub fn rows(&self) -> impl Iterator<Item = (&ChannelId, &[Money])> {
        self.rows.iter().map(|(c, r)| (c, r.as_slice()))
    }

    /// The total of each column (all equal).
    #[must_use]
    pub fn totals(&self) -> &[Money] {
        &self.totals
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(c: i64) -> Money {
        Money::from_minor(c, Currency::USD)
    }

    fn ch(s: &str) -> ChannelId {
        ChannelId::new(s).unwrap()
    }

    #[test]
    fn reports_become_columns_named_after_their_model() {
        use chrono::{TimeZone, Utc};

        use crate::JourneyId;
        use crate::attribution::{Model, Totals};
        use crate::facts::{Journey, Touchpoint};

        let at = |h| Utc.with_ymd_and_hms(2024, 1, 1, h, 0, 0).unwrap();
        let journey = Journey::converted(JourneyId::new("j").unwrap(), at(9), usd(1_000))
            .with_touch(Touchpoint::new(at(1), ch("email")))
            .with_touch(Touchpoint::new(at(2), ch("webinar")));
        let mut totals = Totals::new(Model::linear());
        totals.push(&journey).unwrap();
        let report = totals.finish().unwrap();
        let mut t = ChannelTable::new(Currency::USD);
        t.add_report(&report).unwrap();
        assert_eq!(t.columns(), std::slice::from_ref(&report.model));
        let rows: Vec<_> = t.rows().map(|(c, r)| (c.as_str().to_owned(), r.to_vec())).collect();
        assert_eq!(rows, [("email".to_owned(), vec![usd(500)]), ("webinar".to_owned(), vec![usd(500)])]);
        // A report without this currency is an all-zero column, which does not reconcile.
        let mut eur = ChannelTable::new(Currency::EUR);
        eur.add_column("x", [(ch("email"), Money::from_minor(1, Currency::EUR))]).unwrap();
        assert!(eur.add_report(&report).is_err());
    }

    #[test]
    fn columns_reconcile_or_are_refused() {
        let mut t = ChannelTable::new(Currency::USD);
        t.add_column("a", [(ch("x"), usd(5)), (ch("y"), usd(5))]).unwrap();
        t.add_column("b", [(ch("z"), usd(10))]).unwrap();
        let rows: Vec<_> = t.rows().map(|(c, r)| (c.as_str().to_owned(), r.to_vec())).collect();
        assert_eq!(
            rows,
            [
                ("x".to_owned(), vec![usd(5), usd(0)]),
                ("y".to_owned(), vec![usd(5), usd(0)]),
                ("z".to_owned(), vec![usd(0), usd(10)])
            ]
        );
        assert_eq!(t.totals(), [usd(10), usd(10)]);
        let before = t.clone();
        assert!(t.add_column("c", [(ch("x"), usd(9))]).is_err());
        assert!(t.add_column("d", [(ch("x"), usd(5)), (ch("x"), usd(5))]).is_err());
        assert!(t.add_column("e", [(ch("x"), Money::from_minor(10, Currency::EUR))]).is_err());
        assert_eq!(t, before);
    }
}
