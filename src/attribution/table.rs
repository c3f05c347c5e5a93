//! [`ChannelTable`]: rule-based and data-driven models over the same journeys, in one table.
//!
//! # As a [`Tally`]
//!
//! The table's fact is a [`ChannelColumn`], one model's credits over the journeys, and its
//! merge puts the columns of two tables side by side (the left table's first): a table of the
//! rule-based models built in one service merges with the Markov and Shapley columns built in
//! another. Why not sum two tables' cells (one table per partition of the journeys)? Because
//! only the rule-based columns are sums over journeys: a Markov removal effect or a Shapley
//! share of the union is not the sum of the partitions' (both are non-linear in the counts),
//! so a summing merge would give wrong data-driven columns without an error. The partial
//! states that split across journeys are the models' own tallies ([`Totals`](super::Totals),
//! [`TransitionCounts`](super::TransitionCounts), [`CoalitionCounts`](super::CoalitionCounts)),
//! merged first; the table is built once from their results.
//!
//! Two tables merge when they are in the same currency and credit the same total (the same
//! revenue of the same journeys): else [`ErrorKind::DefinitionMismatch`] (field `currency` or
//! `total`); a model in both is refused as a repeated column. Merge is associative, not
//! commutative: the columns keep the order they were added in, so `a.merge(b)` and
//! `b.merge(a)` hold the same columns in another order.

use std::collections::BTreeMap;

use super::markov::MarkovAttribution;
use super::shapley::SimplifiedShapley;
use super::totals::AttributionReport;
use crate::{ChannelId, Currency, Error, ErrorKind, Money, Tally};

#[cfg(feature = "serde")]
mod state;

const TALLY: &str = "attribution channel table";
const COLUMN: &str = "attribution table column";

/// Channel credits of several models side by side, one column per model, in one currency.
///
/// Rows are channels in id order; a channel a model did not credit shows zero in its column.
/// Every column is checked to total the same amount as the first (all models credit the same
/// revenue, to the cent), so a table that would not reconcile cannot be built. Model names
/// are distinct. On the wire (feature `serde`) a table is its currency, its columns and its
/// rows, validated on read as [`ChannelTable::add_column`] validates.
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
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "state::TableState", into = "state::TableState")
)]
pub struct ChannelTable {
    currency: Currency,
    columns: Vec<String>,
    totals: Vec<Money>,
    rows: BTreeMap<ChannelId, Vec<Money>>,
}

/// One model's channel credits: a column of a [`ChannelTable`], the fact its [`Tally`] reads.
///
/// # Example
///
/// ```
/// use revops::attribution::{ChannelColumn, ChannelTable};
/// use revops::{ChannelId, Currency, Money, Tally};
///
/// let usd = |c| Money::from_minor(c, Currency::USD);
/// let (email, search) = (ChannelId::new("email")?, ChannelId::new("paid_search")?);
/// let first = ChannelColumn::new("first touch", [(search.clone(), usd(10_000))]);
/// let linear = ChannelColumn::new("linear", [(email.clone(), usd(4_000)), (search, usd(6_000))]);
/// // Columns built in two places, merged: the same table as one built in one place.
/// let mut left = ChannelTable::new(Currency::USD);
/// left.push(&first)?;
/// let mut right = ChannelTable::new(Currency::USD);
/// right.push(&linear)?;
/// left.merge(right)?;
/// assert_eq!(left, ChannelTable::new(Currency::USD).tally([&first, &linear])?);
/// assert_eq!(left.totals(), [usd(10_000), usd(10_000)]);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChannelColumn {
    /// The column's name: the model.
    pub model: String,
    /// Its credit per channel (each channel once), in the table's currency.
    pub credits: Vec<(ChannelId, Money)>,
}

impl ChannelColumn {
    /// The column `model` with `credits`.
    pub fn new(model: impl Into<String>, credits: impl IntoIterator<Item = (ChannelId, Money)>) -> ChannelColumn {
        ChannelColumn { model: model.into(), credits: credits.into_iter().collect() }
    }
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
    /// total differs from the first column's, a channel appears twice in it, or the table has
    /// a column `model` already. On error the table is unchanged.
    pub fn add_column(
        &mut self,
        model: impl Into<String>,
        credits: impl IntoIterator<Item = (ChannelId, Money)>,
    ) -> Result<(), Error> {
        let model = model.into();
        if self.columns.contains(&model) {
            return Err(repeated(&model));
        }
        let mut column: BTreeMap<ChannelId, Money> = BTreeMap::new();
        for (channel, money) in credits {
            if money.currency() != self.currency {
                return Err(ErrorKind::CurrencyMismatch { expected: self.currency, found: money.currency() }.into());
            }
            if column.insert(channel.clone(), money).is_some() {
                return Err(ErrorKind::InvalidValue {
                    field: COLUMN,
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
                field: COLUMN,
                value: format!("{model}: {total}"),
                reason: "its total differs from the first column's",
            }
            .into());
        }
        self.append(model, &column, total);
        Ok(())
    }

    /// Appends a checked column (currency, distinct channels and name, total reconciled); a
    /// channel it does not credit shows zero in the currency's minor unit (`0.00`).
    fn append(&mut self, model: String, column: &BTreeMap<ChannelId, Money>, total: Money) {
        let width = self.columns.len();
        for channel in column.keys() {
            self.rows.entry(channel.clone()).or_insert_with(|| vec![Money::from_minor(0, self.currency); width]);
        }
        for (channel, row) in &mut self.rows {
            row.push(column.get(channel).copied().unwrap_or(Money::from_minor(0, self.currency)));
        }
        self.columns.push(model);
        self.totals.push(total);
    }

    /// Adds the channel credits of a rule-based [`AttributionReport`] in this table's currency
    /// (a report without that currency gives an all-zero column).
    ///
    /// # Errors
    /// As [`ChannelTable::add_column`].
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::attribution::{ChannelTable, Model, Totals};
    /// use revops::facts::{Journey, Touchpoint};
    /// use revops::{ChannelId, Currency, JourneyId, Money, Tally};
    ///
    /// let at = |h| Utc.with_ymd_and_hms(2024, 1, 1, h, 0, 0).single().unwrap_or_default();
    /// let journey = Journey::converted(JourneyId::new("j1")?, at(9), Money::from_minor(1_000, Currency::USD))
    ///     .with_touch(Touchpoint::new(at(1), ChannelId::new("email")?))
    ///     .with_touch(Touchpoint::new(at(2), ChannelId::new("webinar")?));
    /// let mut table = ChannelTable::new(Currency::USD);
    /// table.add_report(&Totals::new(Model::linear()).tally([&journey])?)?;
    /// table.add_report(&Totals::new(Model::first_touch()).tally([&journey])?)?;
    /// let webinar: Vec<Money> = table.rows().filter(|(c, _)| c.as_str() == "webinar").flat_map(|(_, r)| r.to_vec()).collect();
    /// assert_eq!(webinar, [Money::from_minor(500, Currency::USD), Money::from_minor(0, Currency::USD)]);
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn add_report(&mut self, report: &AttributionReport) -> Result<(), Error> {
        let credits = report.currencies.get(&self.currency).map(|t| t.by_channel.clone()).unwrap_or_default();
        self.add_column(report.model.clone(), credits)
    }

    /// Adds the value credits of a Markov removal-effect attribution as column `model`.
    ///
    /// # Errors
    /// As [`ChannelTable::add_column`].
    ///
    /// # Example
    ///
    /// ```
    /// use revops::attribution::{ChannelTable, CoalitionCounts, MarkovModel};
    /// use revops::{ChannelId, Currency, Money, Tally};
    ///
    /// let (a, b) = (ChannelId::new("a")?, ChannelId::new("b")?);
    /// let usd = |c| Money::from_minor(c, Currency::USD);
    /// let mut markov = MarkovModel::new(1)?.counts(Currency::USD);
    /// let mut shapley = CoalitionCounts::new(Currency::USD);
    /// for (path, value) in [(vec![a.clone(), b.clone()], Some(usd(900))), (vec![b.clone()], None), (vec![a.clone()], Some(usd(100)))] {
    ///     markov.push_channels(&path, value)?;
    ///     shapley.push_channels(&path, value)?;
    /// }
    /// let mut table = ChannelTable::new(Currency::USD);
    /// table.add_markov("Markov o1", &markov.finish()?)?;
    /// table.add_shapley("Shapley", &shapley.finish()?)?;
    /// assert_eq!(table.totals(), [usd(1_000), usd(1_000)]); // both credit all the value
    /// let shapley_a: Vec<Money> = table.rows().filter(|(c, _)| **c == a).map(|(_, r)| r[1]).collect();
    /// assert_eq!(shapley_a, [usd(550)]); // 900 split over {a, b}, plus 100 for a alone
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn add_markov(&mut self, model: impl Into<String>, markov: &MarkovAttribution) -> Result<(), Error> {
        self.add_column(model, markov.channels.iter().map(|c| (c.channel.clone(), c.value)))
    }

    /// Adds the value credits of a simplified Shapley attribution as column `model` (see
    /// [`ChannelTable::add_markov`]'s example).
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

    /// Column `j`'s credits, every row (zeros included), in channel order.
    fn column(&self, j: usize) -> BTreeMap<ChannelId, Money> {
        let zero = Money::from_minor(0, self.currency);
        self.rows.iter().map(|(c, r)| (c.clone(), r.get(j).copied().unwrap_or(zero))).collect()
    }
}

fn repeated(model: &str) -> Error {
    ErrorKind::InvalidValue { field: COLUMN, value: model.to_owned(), reason: "the table has a column of this model" }
        .into()
}

impl Tally for ChannelTable {
    type Fact = ChannelColumn;
    type Output = ChannelTable;

    /// [`ChannelTable::add_column`].
    ///
    /// # Errors
    /// As [`ChannelTable::add_column`].
    fn push(&mut self, column: &ChannelColumn) -> Result<(), Error> {
        self.add_column(column.model.clone(), column.credits.iter().cloned())
    }

    /// Appends the columns of `other` after these (a merge combines models computed in different places over the same journeys; it never
    /// sums cells: a Markov or Shapley column is not a sum over journeys).
    ///
    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`] (field `currency`) if `other` is in another currency,
    /// (field `total`) if both have columns and their totals differ (other journeys);
    /// [`ErrorKind::InvalidValue`] (field `"attribution table column"`) for a model in both.
    /// On error `self` is unchanged.
    fn merge(&mut self, other: ChannelTable) -> Result<(), Error> {
        if other.currency != self.currency {
            return Err(ErrorKind::DefinitionMismatch { tally: TALLY, field: "currency" }.into());
        }
        if let (Some(a), Some(b)) = (self.totals.first(), other.totals.first())
            && a != b
        {
            return Err(ErrorKind::DefinitionMismatch { tally: TALLY, field: "total" }.into());
        }
        if let Some(model) = other.columns.iter().find(|m| self.columns.contains(m)) {
            return Err(repeated(model));
        }
        for (j, (model, total)) in other.columns.iter().zip(&other.totals).enumerate() {
            self.append(model.clone(), &other.column(j), *total);
        }
        Ok(())
    }

    /// The table.
    ///
    /// # Errors
    /// None: a table reconciles as it is built.
    fn finish(self) -> Result<ChannelTable, Error> {
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn usd(c: i64) -> Money {
        Money::from_minor(c, Currency::USD)
    }

    pub(super) fn ch(s: &str) -> ChannelId {
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

    #[test]
    fn merge_appends_columns_of_the_same_currency_and_total() {
        let mut left = ChannelTable::new(Currency::USD);
        left.add_column("a", [(ch("x"), usd(10))]).unwrap();
        let mut right = ChannelTable::new(Currency::USD);
        right.add_column("b", [(ch("y"), usd(4)), (ch("x"), usd(6))]).unwrap();
        let mut one = left.clone();
        one.add_column("b", [(ch("x"), usd(6)), (ch("y"), usd(4))]).unwrap();
        let mut merged = left.clone();
        merged.merge(right.clone()).unwrap();
        assert_eq!(merged, one);
        // Not commutative: the columns keep the order they were added in.
        let mut swapped = right.clone();
        swapped.merge(left.clone()).unwrap();
        assert_eq!(swapped.columns(), ["b", "a"]);
        // An empty table is the identity on either side.
        let mut empty = ChannelTable::new(Currency::USD);
        empty.merge(one.clone()).unwrap();
        assert_eq!(empty, one);
        let before = one.clone();
        one.merge(ChannelTable::new(Currency::USD)).unwrap();
        assert_eq!(one, before);
        // Different definitions are refused, the table unchanged.
        let mismatch = |t: &mut ChannelTable, other| t.merge(other).unwrap_err();
        let mut eur = ChannelTable::new(Currency::EUR);
        eur.add_column("c", [(ch("x"), Money::from_minor(10, Currency::EUR))]).unwrap();
        assert_eq!(
            mismatch(&mut one, eur),
            ErrorKind::DefinitionMismatch { tally: "attribution channel table", field: "currency" }
        );
        let mut other_journeys = ChannelTable::new(Currency::USD);
        other_journeys.add_column("c", [(ch("x"), usd(11))]).unwrap();
        assert_eq!(
            mismatch(&mut one, other_journeys),
            ErrorKind::DefinitionMismatch { tally: "attribution channel table", field: "total" }
        );
        assert!(
            matches!(mismatch(&mut one, right).kind(), ErrorKind::InvalidValue { reason, .. } if reason.contains("column of this model"))
        );
        assert_eq!(one, before);
        assert!(matches!(
            one.add_column("a", [(ch("x"), usd(10))]).unwrap_err().kind(),
            ErrorKind::InvalidValue { .. }
        ));
    }
}
