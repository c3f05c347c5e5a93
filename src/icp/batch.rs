//! [`AccountBatch`]: many accounts in columns, with values interned to small ids, for
//! bulk scoring.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::criterion::{Condition, Criterion};
use super::plan::{Outcomes, currency_error, type_error, within};
use crate::facts::{Account, AttributeValue};
use crate::{AccountId, Currency, Error, Money};

/// Marks an unknown interned value.
const UNKNOWN: u32 = u32::MAX;

/// Values of one field interned in first-seen order. Small vocabularies (the usual case:
/// industries, regions, technologies) are scanned comparing lengths first; past 16 values a
/// sorted index takes over.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Interner {
    words: Vec<Box<str>>,
    index: BTreeMap<Box<str>, u32>,
}

impl Interner {
    const SCAN: usize = 16;

    fn get(&self, value: &str) -> Option<u32> {
        if self.words.len() <= Self::SCAN {
            let id = self.words.iter().position(|w| w.len() == value.len() && **w == *value)?;
            u32::try_from(id).ok()
        } else {
            self.index.get(value).copied()
        }
    }

    fn intern(&mut self, value: &str) -> u32 {
        if let Some(id) = self.get(value) {
            return id;
        }
        // Ids stop growing at the unknown marker: 4 billion distinct values of one field do
        // not fit in memory first.
        let id = u32::try_from(self.words.len()).unwrap_or(UNKNOWN);
        self.words.push(value.into());
        if self.words.len() > Self::SCAN {
            if self.index.is_empty() {
                self.index = self.words.iter().zip(0u32..).map(|(w, i)| (w.clone(), i)).collect();
            } else {
                self.index.insert(value.into(), id);
            }
        }
        id
    }

    /// The set of ids of `values` that the batch holds (values it never saw cannot match).
    fn bits<'a>(&self, values: impl Iterator<Item = &'a String>) -> Vec<u64> {
        let mut words = vec![0u64; self.words.len().div_ceil(64).max(1)];
        for id in values.filter_map(|v| self.get(v)) {
            if let Some(w) = words.get_mut(id as usize / 64) {
                *w |= 1 << (id % 64);
            }
        }
        words
    }
}

#[inline]
fn contains(bits: &[u64], id: u32) -> bool {
    bits.get(id as usize / 64).is_some_and(|w| w & (1 << (id % 64)) != 0)
}

/// One attribute's value in a batch: text interned per attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cell {
    Text(u32),
    Number(Decimal),
    Flag(bool),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct AttributeColumn {
    texts: Interner,
    cells: Vec<Option<Cell>>,
}

/// Accounts stored by column, with industries, countries, regions, technologies and text
/// attributes interned to small integers: the columnar form of [`Account`] facts for bulk
/// scoring with [`Icp::score_batch`](super::Icp::score_batch). The batch keeps each account's
/// id, so an error about a row names its account.
///
/// A batch does not depend on any ICP: build it once from the caller's rows and score it
/// against every profile of an [`IcpSet`](super::IcpSet). Scoring a batch gives exactly the
/// scores [`Icp::score`](super::Icp::score) gives row by row (property-tested).
///
/// # Example
///
/// ```
/// use revops::facts::Account;
/// use revops::icp::{AccountBatch, Condition, Icp};
/// use revops::AccountId;
///
/// let icp = Icp::builder("saas").points("software", Condition::industry_in(["software"]), 1).build()?;
/// let rows = [
///     Account { industry: Some("software".into()), ..Account::new(AccountId::new("acme")?) },
///     Account::new(AccountId::new("unknown")?),
/// ];
/// let batch: AccountBatch = rows.iter().collect();
/// let scores = icp.score_batch(&batch)?;
/// assert_eq!(scores[0], icp.score(&rows[0])?);
/// assert_eq!(scores[1].unknown.len(), 1);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountBatch {
    len: usize,
    /// Account ids, concatenated; row `i`'s is `ids[id_end[i - 1]..id_end[i]]`.
    ids: String,
    id_end: Vec<usize>,
    industries: Interner,
    countries: Interner,
    regions: Interner,
    technologies: Interner,
    industry: Vec<u32>,
    country: Vec<u32>,
    region: Vec<u32>,
    employees: Vec<Option<u32>>,
    revenue: Vec<Option<Money>>,
    /// Technology ids of account `i`: `tech_ids[tech_start[i]..tech_start[i + 1]]`.
    tech_start: Vec<usize>,
    tech_ids: Vec<u32>,
    tech_known: Vec<bool>,
    attributes: BTreeMap<String, AttributeColumn>,
}

impl AccountBatch {
    /// An empty batch.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::AccountBatch;
    ///
    /// assert!(AccountBatch::new().is_empty());
    /// ```
    #[must_use]
    pub fn new() -> AccountBatch {
        AccountBatch { tech_start: vec![0], ..AccountBatch::default() }
    }

    /// Number of accounts.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::Account;
    /// use revops::icp::AccountBatch;
    /// use revops::AccountId;
    ///
    /// let batch: AccountBatch = [Account::new(AccountId::new("a")?), Account::new(AccountId::new("b")?)].iter().collect();
    /// assert_eq!(batch.len(), 2);
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the batch holds no account.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::AccountBatch;
    ///
    /// assert!(AccountBatch::new().is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends one account.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::Account;
    /// use revops::icp::{AccountBatch, Condition, Icp};
    /// use revops::AccountId;
    ///
    /// let icp = Icp::builder("saas").points("software", Condition::industry_in(["software"]), 1).build()?;
    /// let mut batch = AccountBatch::new();
    /// batch.push(&Account { industry: Some("software".into()), ..Account::new(AccountId::new("acme")?) });
    /// assert_eq!(batch.len(), 1);
    /// assert!(icp.score_batch(&batch)?.iter().all(|fit| fit.matched.contains(0)));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn push(&mut self, account: &Account) {
        if self.tech_start.is_empty() {
            self.tech_start.push(0);
        }
        self.ids.push_str(account.id.as_str());
        self.id_end.push(self.ids.len());
        let intern = |interner: &mut Interner, v: &Option<String>| v.as_deref().map_or(UNKNOWN, |v| interner.intern(v));
        self.industry.push(intern(&mut self.industries, &account.industry));
        self.country.push(intern(&mut self.countries, &account.country));
        self.region.push(intern(&mut self.regions, &account.region));
        self.employees.push(account.employees);
        self.revenue.push(account.annual_revenue);
        self.tech_known.push(account.technologies.is_some());
        for t in account.technologies.iter().flatten() {
            let id = self.technologies.intern(t);
            self.tech_ids.push(id);
        }
        self.tech_start.push(self.tech_ids.len());
        for (name, value) in &account.attributes {
            if !self.attributes.contains_key(name) {
                let column = AttributeColumn { texts: Interner::default(), cells: vec![None; self.len] };
                self.attributes.insert(name.clone(), column);
            }
            let Some(column) = self.attributes.get_mut(name) else { continue };
            let cell = match value {
                AttributeValue::Text(t) => Cell::Text(column.texts.intern(t)),
                AttributeValue::Number(n) => Cell::Number(*n),
                AttributeValue::Flag(f) => Cell::Flag(*f),
            };
            column.cells.push(Some(cell));
        }
        self.len += 1;
        if self.attributes.len() != account.attributes.len() {
            for column in self.attributes.values_mut() {
                column.cells.resize(self.len, None);
            }
        }
    }

    /// The id of the account in `row` (empty past the end, which no caller asks for).
    fn account_id(&self, row: usize) -> AccountId {
        let start = row.checked_sub(1).and_then(|r| self.id_end.get(r)).copied().unwrap_or(0);
        let end = self.id_end.get(row).copied().unwrap_or(start);
        AccountId::trusted(self.ids.get(start..end).unwrap_or_default().to_owned())
    }

    fn technologies_of(&self, row: usize) -> Option<&[u32]> {
        if !self.tech_known.get(row).copied().unwrap_or(false) {
            return None;
        }
        let start = self.tech_start.get(row).copied().unwrap_or(0);
        let end = self.tech_start.get(row + 1).copied().unwrap_or(0);
        self.tech_ids.get(start..end)
    }
}

impl<'a> FromIterator<&'a Account> for AccountBatch {
    fn from_iter<I: IntoIterator<Item = &'a Account>>(iter: I) -> AccountBatch {
        let mut batch = AccountBatch::new();
        for account in iter {
            batch.push(account);
        }
        batch
    }
}

enum BatchOp<'b> {
    Industry(Vec<u64>),
    Country(Vec<u64>),
    Region(Vec<u64>),
    TechAny(Vec<u64>),
    TechNone(Vec<u64>),
    Employees { min: u32, max: u32 },
    Revenue { currency: Currency, min: Option<Decimal>, max: Option<Decimal> },
    Text { attribute: &'b str, column: Option<&'b AttributeColumn>, values: Vec<u64> },
    Number { attribute: &'b str, column: Option<&'b AttributeColumn>, min: Option<Decimal>, max: Option<Decimal> },
    Flag { attribute: &'b str, column: Option<&'b AttributeColumn>, value: bool },
}

/// Evaluates every criterion for every account of `batch`, in row order.
pub(super) fn evaluate_batch(
    criteria: &[Criterion],
    weights: &[u64],
    batch: &AccountBatch,
    mut emit: impl FnMut(Outcomes),
) -> Result<(), Error> {
    let ops: Vec<BatchOp<'_>> = criteria
        .iter()
        .map(|c| match &c.condition {
            Condition::Industry { any_of } => BatchOp::Industry(batch.industries.bits(any_of.iter())),
            Condition::Country { any_of } => BatchOp::Country(batch.countries.bits(any_of.iter())),
            Condition::Region { any_of } => BatchOp::Region(batch.regions.bits(any_of.iter())),
            Condition::TechnologyAny { any_of } => BatchOp::TechAny(batch.technologies.bits(any_of.iter())),
            Condition::TechnologyNone { none_of } => BatchOp::TechNone(batch.technologies.bits(none_of.iter())),
            Condition::Employees { min, max } => {
                BatchOp::Employees { min: min.unwrap_or(0), max: max.unwrap_or(u32::MAX) }
            }
            Condition::AnnualRevenue { min, max } => BatchOp::Revenue {
                currency: min.or(*max).map_or(Currency::USD, |m| m.currency()),
                min: min.map(|m| m.amount()),
                max: max.map(|m| m.amount()),
            },
            Condition::Text { attribute, any_of } => {
                let column = batch.attributes.get(attribute);
                let values = column.map_or_else(|| vec![0], |c| c.texts.bits(any_of.iter()));
                BatchOp::Text { attribute, column, values }
            }
            Condition::Number { attribute, min, max } => {
                BatchOp::Number { attribute, column: batch.attributes.get(attribute), min: *min, max: *max }
            }
            Condition::Flag { attribute, value } => {
                BatchOp::Flag { attribute, column: batch.attributes.get(attribute), value: *value }
            }
        })
        .collect();
    let mut buf = vec![Outcomes::default(); CHUNK];
    let mut start = 0;
    while start < batch.len {
        let end = batch.len.min(start + CHUNK);
        let outs = buf.get_mut(..end - start).unwrap_or_default();
        if columns(&ops, weights, batch, start, outs).is_some() {
            for o in outs.iter() {
                emit(*o);
            }
        } else {
            // Bad data in this chunk: redo it row by row, which emits the rows before the
            // first failing one and reports exactly that row's error.
            rows(&ops, criteria, weights, batch, start..end, &mut emit)?;
        }
        start = end;
    }
    Ok(())
}

/// Rows per chunk of the column-wise pass (the chunk's outcomes stay in L1/L2 cache).
const CHUNK: usize = 1024;

#[inline]
fn known(id: u32, bits: &[u64]) -> Option<bool> {
    (id != UNKNOWN).then(|| contains(bits, id))
}

#[inline]
fn cell(column: Option<&AttributeColumn>, row: usize) -> Option<Cell> {
    column.and_then(|c| c.cells.get(row).copied().flatten())
}

/// Evaluates rows `start..start + outs.len()` one criterion at a time (one tight loop per
/// criterion over a column). `None` when a row holds bad data (a revenue in another
/// currency, an attribute of another type): the caller then redoes the chunk row by row.
fn columns(
    ops: &[BatchOp<'_>],
    weights: &[u64],
    batch: &AccountBatch,
    start: usize,
    outs: &mut [Outcomes],
) -> Option<()> {
    let end = start + outs.len();
    outs.fill(Outcomes::default());
    for (i, (op, &weight)) in ops.iter().zip(weights).enumerate() {
        match op {
            BatchOp::Industry(bits) => set(outs, i, weight, batch.industry.get(start..end)?, |&id| known(id, bits)),
            BatchOp::Country(bits) => set(outs, i, weight, batch.country.get(start..end)?, |&id| known(id, bits)),
            BatchOp::Region(bits) => set(outs, i, weight, batch.region.get(start..end)?, |&id| known(id, bits)),
            BatchOp::TechAny(bits) | BatchOp::TechNone(bits) => {
                let any = matches!(op, BatchOp::TechAny(_));
                for (k, o) in outs.iter_mut().enumerate() {
                    let r = batch.technologies_of(start + k).map(|t| t.iter().any(|&id| contains(bits, id)) == any);
                    o.record(i, r, weight);
                }
            }
            BatchOp::Employees { min, max } => {
                set(outs, i, weight, batch.employees.get(start..end)?, |e| e.map(|e| *min <= e && e <= *max));
            }
            BatchOp::Revenue { currency, min, max } => {
                let col = batch.revenue.get(start..end)?;
                if col.iter().flatten().any(|r| r.currency() != *currency) {
                    return None;
                }
                set(outs, i, weight, col, |r| r.map(|r| within(r.amount(), *min, *max)));
            }
            BatchOp::Text { column, values, .. } => {
                let cells = column_cells(*column, start, end)?;
                if cells.iter().flatten().any(|c| !matches!(c, Cell::Text(_))) {
                    return None;
                }
                for (k, o) in outs.iter_mut().enumerate() {
                    let r =
                        cells.get(k).copied().flatten().map(|c| matches!(c, Cell::Text(id) if contains(values, id)));
                    o.record(i, r, weight);
                }
            }
            BatchOp::Number { column, min, max, .. } => {
                let cells = column_cells(*column, start, end)?;
                if cells.iter().flatten().any(|c| !matches!(c, Cell::Number(_))) {
                    return None;
                }
                for (k, o) in outs.iter_mut().enumerate() {
                    let r =
                        cells.get(k).copied().flatten().map(|c| matches!(c, Cell::Number(n) if within(n, *min, *max)));
                    o.record(i, r, weight);
                }
            }
            BatchOp::Flag { column, value, .. } => {
                let cells = column_cells(*column, start, end)?;
                if cells.iter().flatten().any(|c| !matches!(c, Cell::Flag(_))) {
                    return None;
                }
                for (k, o) in outs.iter_mut().enumerate() {
                    let r = cells.get(k).copied().flatten().map(|c| matches!(c, Cell::Flag(f) if f == *value));
                    o.record(i, r, weight);
                }
            }
        }
    }
    Some(())
}

/// Cells `start..end` of an attribute column; none at all for an attribute the batch lacks.
fn column_cells(column: Option<&AttributeColumn>, start: usize, end: usize) -> Option<&[Option<Cell>]> {
    match column {
        None => Some(&[]),
        Some(c) => c.cells.get(start..end),
    }
}

/// Records criterion `i` for every row from one column.
#[inline]
fn set<T>(outs: &mut [Outcomes], i: usize, weight: u64, column: &[T], test: impl Fn(&T) -> Option<bool>) {
    for (o, v) in outs.iter_mut().zip(column) {
        o.record(i, test(v), weight);
    }
}

/// Evaluates `range` row by row, stopping at the first row with bad data.
fn rows(
    ops: &[BatchOp<'_>],
    criteria: &[Criterion],
    weights: &[u64],
    batch: &AccountBatch,
    range: core::ops::Range<usize>,
    emit: &mut impl FnMut(Outcomes),
) -> Result<(), Error> {
    for row in range {
        let mut out = Outcomes::default();
        let techs = batch.technologies_of(row);
        for (i, (op, &weight)) in ops.iter().zip(weights).enumerate() {
            let result = match op {
                BatchOp::Industry(bits) => known(batch.industry.get(row).copied().unwrap_or(UNKNOWN), bits),
                BatchOp::Country(bits) => known(batch.country.get(row).copied().unwrap_or(UNKNOWN), bits),
                BatchOp::Region(bits) => known(batch.region.get(row).copied().unwrap_or(UNKNOWN), bits),
                BatchOp::TechAny(bits) => techs.map(|t| t.iter().any(|&id| contains(bits, id))),
                BatchOp::TechNone(bits) => techs.map(|t| !t.iter().any(|&id| contains(bits, id))),
                BatchOp::Employees { min, max } => {
                    batch.employees.get(row).copied().flatten().map(|e| *min <= e && e <= *max)
                }
                BatchOp::Revenue { currency, min, max } => match batch.revenue.get(row).copied().flatten() {
                    None => None,
                    Some(r) if r.currency() != *currency => {
                        return Err(currency_error(&batch.account_id(row), criteria, i, *currency, r.currency()));
                    }
                    Some(r) => Some(within(r.amount(), *min, *max)),
                },
                BatchOp::Text { attribute, column, values } => match cell(*column, row) {
                    None => None,
                    Some(Cell::Text(id)) => Some(contains(values, id)),
                    Some(other) => return Err(cell_error(batch, row, criteria, i, attribute, "text", other)),
                },
                BatchOp::Number { attribute, column, min, max } => match cell(*column, row) {
                    None => None,
                    Some(Cell::Number(n)) => Some(within(n, *min, *max)),
                    Some(other) => return Err(cell_error(batch, row, criteria, i, attribute, "number", other)),
                },
                BatchOp::Flag { attribute, column, value } => match cell(*column, row) {
                    None => None,
                    Some(Cell::Flag(f)) => Some(f == *value),
                    Some(other) => return Err(cell_error(batch, row, criteria, i, attribute, "flag", other)),
                },
            };
            out.record(i, result, weight);
        }
        emit(out);
    }
    Ok(())
}

#[cold]
fn cell_error(
    batch: &AccountBatch,
    row: usize,
    criteria: &[Criterion],
    i: usize,
    attribute: &str,
    expected: &'static str,
    cell: Cell,
) -> Error {
    let found = match cell {
        Cell::Text(_) => AttributeValue::Text(String::new()),
        Cell::Number(n) => AttributeValue::Number(n),
        Cell::Flag(f) => AttributeValue::Flag(f),
    };
    type_error(&batch.account_id(row), criteria, i, attribute, expected, &found)
}

#[cfg(test)]
mod tests;
