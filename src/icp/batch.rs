//! [`AccountBatch`]: many account profiles in columns, with values interned to small ids, for
//! bulk scoring.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::account::{AccountProfile, AttributeValue};
use super::criterion::{Condition, Criterion};
use super::plan::{Outcomes, type_error, within};
use crate::{Currency, Error, Money};

/// Marks an unknown interned value.
const UNKNOWN: u32 = u32::MAX;

/// Values of one field interned in first-seen order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Interner {
    ids: BTreeMap<String, u32>,
    len: u32,
}

impl Interner {
    fn intern(&mut self, value: &str) -> u32 {
        if let Some(&id) = self.ids.get(value) {
            return id;
        }
        let id = self.len;
        self.ids.insert(value.to_owned(), id);
        self.len += 1;
        id
    }

    /// The set of ids of `values` that the batch holds (values it never saw cannot match).
    fn bits<'a>(&self, values: impl Iterator<Item = &'a String>) -> Vec<u64> {
        let mut words = vec![0u64; (self.len as usize).div_ceil(64).max(1)];
        for id in values.filter_map(|v| self.ids.get(v.as_str())) {
            if let Some(w) = words.get_mut(*id as usize / 64) {
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

/// Account profiles stored by column, with industries, countries, regions, technologies and
/// text attributes interned to small integers: the columnar form of
/// [`AccountProfile`]s for bulk scoring with [`Icp::score_batch`](super::Icp::score_batch).
///
/// A batch does not depend on any ICP: build it once from the caller's rows and score it
/// against every profile of an [`IcpSet`](super::IcpSet). Scoring a batch gives exactly the
/// scores [`Icp::score`](super::Icp::score) gives row by row (property-tested).
///
/// # Example
///
/// ```
/// use revops::icp::{AccountBatch, AccountProfile, Condition, Icp};
///
/// let icp = Icp::builder("saas").points("software", Condition::industry_in(["software"]), 1).build()?;
/// let rows = [
///     AccountProfile { industry: Some("software".into()), ..AccountProfile::default() },
///     AccountProfile::default(),
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
    tech_start: Vec<u32>,
    tech_ids: Vec<u32>,
    tech_known: Vec<bool>,
    attributes: BTreeMap<String, AttributeColumn>,
}

impl AccountBatch {
    /// An empty batch.
    #[must_use]
    pub fn new() -> AccountBatch {
        AccountBatch { tech_start: vec![0], ..AccountBatch::default() }
    }

    /// Number of accounts.
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the batch holds no account.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends one account.
    pub fn push(&mut self, account: &AccountProfile) {
        if self.tech_start.is_empty() {
            self.tech_start.push(0);
        }
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
        self.tech_start.push(u32::try_from(self.tech_ids.len()).unwrap_or(u32::MAX));
        for (name, value) in &account.attributes {
            let rows = self.len;
            let column = self
                .attributes
                .entry(name.clone())
                .or_insert_with(|| AttributeColumn { texts: Interner::default(), cells: vec![None; rows] });
            let cell = match value {
                AttributeValue::Text(t) => Cell::Text(column.texts.intern(t)),
                AttributeValue::Number(n) => Cell::Number(*n),
                AttributeValue::Flag(f) => Cell::Flag(*f),
            };
            column.cells.push(Some(cell));
        }
        self.len += 1;
        for column in self.attributes.values_mut() {
            column.cells.resize(self.len, None);
        }
    }

    fn technologies_of(&self, row: usize) -> Option<&[u32]> {
        if !self.tech_known.get(row).copied().unwrap_or(false) {
            return None;
        }
        let start = self.tech_start.get(row).copied().unwrap_or(0) as usize;
        let end = self.tech_start.get(row + 1).copied().unwrap_or(0) as usize;
        self.tech_ids.get(start..end)
    }
}

impl<'a> FromIterator<&'a AccountProfile> for AccountBatch {
    fn from_iter<I: IntoIterator<Item = &'a AccountProfile>>(iter: I) -> AccountBatch {
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
    let known = |id: u32, bits: &[u64]| (id != UNKNOWN).then(|| contains(bits, id));
    let cell = |column: Option<&AttributeColumn>, row: usize| column.and_then(|c| c.cells.get(row).copied().flatten());
    for row in 0..batch.len {
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
                        return Err(Error::CurrencyMismatch { expected: *currency, found: r.currency() });
                    }
                    Some(r) => Some(within(r.amount(), *min, *max)),
                },
                BatchOp::Text { attribute, column, values } => match cell(*column, row) {
                    None => None,
                    Some(Cell::Text(id)) => Some(contains(values, id)),
                    Some(other) => return Err(cell_error(criteria, i, attribute, "text", other)),
                },
                BatchOp::Number { attribute, column, min, max } => match cell(*column, row) {
                    None => None,
                    Some(Cell::Number(n)) => Some(within(n, *min, *max)),
                    Some(other) => return Err(cell_error(criteria, i, attribute, "number", other)),
                },
                BatchOp::Flag { attribute, column, value } => match cell(*column, row) {
                    None => None,
                    Some(Cell::Flag(f)) => Some(f == *value),
                    Some(other) => return Err(cell_error(criteria, i, attribute, "flag", other)),
                },
            };
            out.record(i, result, weight);
        }
        emit(out);
    }
    Ok(())
}

fn cell_error(criteria: &[Criterion], i: usize, attribute: &str, expected: &'static str, cell: Cell) -> Error {
    let found = match cell {
        Cell::Text(_) => AttributeValue::Text(String::new()),
        Cell::Number(n) => AttributeValue::Number(n),
        Cell::Flag(f) => AttributeValue::Flag(f),
    };
    type_error(criteria, i, attribute, expected, &found)
}
