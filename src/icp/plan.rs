//! The evaluation form of an ICP: values interned to ids, sets to bitsets, so scoring an
//! account costs a few lookups and integer tests per criterion.

use rust_decimal::Decimal;

use super::criterion::{Condition, Criterion, Effect};
use crate::facts::{Account, AttributeValue};
use crate::{AccountId, Currency, Error, ErrorKind};

/// A sorted vocabulary of one field's values; ids are positions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Vocab(Vec<Box<str>>);

impl Vocab {
    fn build<'a>(values: impl Iterator<Item = &'a String>) -> Vocab {
        let mut words: Vec<Box<str>> = values.map(|v| v.as_str().into()).collect();
        words.sort_unstable();
        words.dedup();
        Vocab(words)
    }

    /// Position of `value`. Small vocabularies (the usual case) are scanned comparing lengths
    /// first, which rejects most words without touching their bytes; larger ones are
    /// binary-searched.
    #[inline]
    fn id(&self, value: &str) -> Option<usize> {
        if self.0.len() <= 16 {
            self.0.iter().position(|w| w.len() == value.len() && **w == *value)
        } else {
            self.0.binary_search_by(|w| (**w).cmp(value)).ok()
        }
    }

    fn bits<'a>(&self, values: impl Iterator<Item = &'a String>) -> Bits {
        let mut words = vec![0u64; self.0.len().div_ceil(64).max(1)];
        for id in values.filter_map(|v| self.id(v)) {
            if let Some(w) = words.get_mut(id / 64) {
                *w |= 1 << (id % 64);
            }
        }
        Bits(words)
    }
}

/// A set of vocabulary ids.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Bits(Vec<u64>);

impl Bits {
    fn contains(&self, id: usize) -> bool {
        self.0.get(id / 64).is_some_and(|w| w & (1 << (id % 64)) != 0)
    }

    fn first_word(&self) -> u64 {
        self.0.first().copied().unwrap_or(0)
    }
}

/// The technologies an account runs, as ids of the plan's technology vocabulary: the first
/// 64 ids in a word, any others in a list (empty, so allocation-free, for small vocabularies).
struct TechSet {
    low: u64,
    high: Vec<usize>,
}

impl TechSet {
    fn intersects(&self, bits: &Bits) -> bool {
        self.low & bits.first_word() != 0 || self.high.iter().any(|&id| bits.contains(id))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Op {
    Industry(Bits),
    Country(Bits),
    Region(Bits),
    TechAny(Bits),
    TechNone(Bits),
    Employees { min: u32, max: u32 },
    Revenue { currency: Currency, min: Option<Decimal>, max: Option<Decimal> },
    Text { attribute: Box<str>, values: Vec<Box<str>> },
    Number { attribute: Box<str>, min: Option<Decimal>, max: Option<Decimal> },
    Flag { attribute: Box<str>, value: bool },
}

/// Per-criterion outcomes as bit masks (bit `i` = criterion `i`), plus weighted points.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Outcomes {
    pub(super) matched: u64,
    pub(super) missed: u64,
    pub(super) unknown: u64,
    /// Points of matched weighted criteria.
    pub(super) points: u64,
    /// Points of weighted criteria whose outcome is unknown.
    pub(super) unknown_points: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Plan {
    industries: Vocab,
    countries: Vocab,
    regions: Vocab,
    technologies: Vocab,
    ops: Vec<Op>,
    /// Points per criterion (0 for must-haves and disqualifiers).
    weights: Vec<u64>,
    uses_technologies: bool,
    pub(super) total_points: u64,
    pub(super) must_haves: u64,
    pub(super) disqualifiers: u64,
}

fn word_of(value: &str) -> Box<str> {
    value.into()
}

impl Plan {
    /// Compiles validated criteria (at most 64, checked by the caller).
    pub(super) fn compile(criteria: &[Criterion]) -> Plan {
        let all = |pick: fn(&Condition) -> Option<&std::collections::BTreeSet<String>>| {
            Vocab::build(criteria.iter().filter_map(|c| pick(&c.condition)).flatten())
        };
        let industries = all(|c| if let Condition::Industry { any_of } = c { Some(any_of) } else { None });
        let countries = all(|c| if let Condition::Country { any_of } = c { Some(any_of) } else { None });
        let regions = all(|c| if let Condition::Region { any_of } = c { Some(any_of) } else { None });
        let technologies = all(|c| match c {
            Condition::TechnologyAny { any_of } => Some(any_of),
            Condition::TechnologyNone { none_of } => Some(none_of),
            _ => None,
        });
        let mut plan = Plan { industries, countries, regions, technologies, ..Plan::default() };
        for (i, c) in criteria.iter().enumerate() {
            let op = match &c.condition {
                Condition::Industry { any_of } => Op::Industry(plan.industries.bits(any_of.iter())),
                Condition::Country { any_of } => Op::Country(plan.countries.bits(any_of.iter())),
                Condition::Region { any_of } => Op::Region(plan.regions.bits(any_of.iter())),
                Condition::TechnologyAny { any_of } => Op::TechAny(plan.technologies.bits(any_of.iter())),
                Condition::TechnologyNone { none_of } => Op::TechNone(plan.technologies.bits(none_of.iter())),
                Condition::Employees { min, max } => {
                    Op::Employees { min: min.unwrap_or(0), max: max.unwrap_or(u32::MAX) }
                }
                Condition::AnnualRevenue { min, max } => Op::Revenue {
                    currency: min.or(*max).map_or(Currency::USD, |m| m.currency()),
                    min: min.map(|m| m.amount()),
                    max: max.map(|m| m.amount()),
                },
                Condition::Text { attribute, any_of } => {
                    Op::Text { attribute: word_of(attribute), values: any_of.iter().map(|v| word_of(v)).collect() }
                }
                Condition::Number { attribute, min, max } => {
                    Op::Number { attribute: word_of(attribute), min: *min, max: *max }
                }
                Condition::Flag { attribute, value } => Op::Flag { attribute: word_of(attribute), value: *value },
            };
            plan.uses_technologies |= matches!(op, Op::TechAny(_) | Op::TechNone(_));
            plan.ops.push(op);
            let bit = 1u64 << (i % 64);
            let weight = match c.effect {
                Effect::Points(p) => u64::try_from(p).unwrap_or(0),
                Effect::MustHave => {
                    plan.must_haves |= bit;
                    0
                }
                Effect::Disqualifier => {
                    plan.disqualifiers |= bit;
                    0
                }
            };
            plan.total_points += weight;
            plan.weights.push(weight);
        }
        plan
    }

    fn tech_set(&self, account: &Account) -> Option<TechSet> {
        let techs = account.technologies.as_ref()?;
        let mut set = TechSet { low: 0, high: Vec::new() };
        if self.uses_technologies {
            for id in techs.iter().filter_map(|t| self.technologies.id(t)) {
                if id < 64 {
                    set.low |= 1 << id;
                } else {
                    set.high.push(id);
                }
            }
        }
        Some(set)
    }

    /// Evaluates every criterion against `account`.
    pub(super) fn evaluate(&self, criteria: &[Criterion], account: &Account) -> Result<Outcomes, Error> {
        let industry = account.industry.as_deref().map(|v| self.industries.id(v));
        let country = account.country.as_deref().map(|v| self.countries.id(v));
        let region = account.region.as_deref().map(|v| self.regions.id(v));
        let techs = self.tech_set(account);
        let in_set = |id: Option<Option<usize>>, bits: &Bits| id.map(|id| id.is_some_and(|id| bits.contains(id)));
        let mut out = Outcomes::default();
        for (i, (op, weight)) in self.ops.iter().zip(&self.weights).enumerate() {
            let result: Option<bool> = match op {
                Op::Industry(bits) => in_set(industry, bits),
                Op::Country(bits) => in_set(country, bits),
                Op::Region(bits) => in_set(region, bits),
                Op::TechAny(bits) => techs.as_ref().map(|t| t.intersects(bits)),
                Op::TechNone(bits) => techs.as_ref().map(|t| !t.intersects(bits)),
                Op::Employees { min, max } => account.employees.map(|e| *min <= e && e <= *max),
                Op::Revenue { currency, min, max } => match account.annual_revenue {
                    None => None,
                    Some(r) if r.currency() != *currency => {
                        return Err(currency_error(&account.id, criteria, i, *currency, r.currency()));
                    }
                    Some(r) => Some(within(r.amount(), *min, *max)),
                },
                Op::Text { attribute, values } => match account.attributes.get(&**attribute) {
                    None => None,
                    Some(AttributeValue::Text(t)) => Some(contains_text(values, t)),
                    Some(other) => return Err(type_error(&account.id, criteria, i, attribute, "text", other)),
                },
                Op::Number { attribute, min, max } => match account.attributes.get(&**attribute) {
                    None => None,
                    Some(AttributeValue::Number(n)) => Some(within(*n, *min, *max)),
                    Some(other) => return Err(type_error(&account.id, criteria, i, attribute, "number", other)),
                },
                Op::Flag { attribute, value } => match account.attributes.get(&**attribute) {
                    None => None,
                    Some(AttributeValue::Flag(f)) => Some(f == value),
                    Some(other) => return Err(type_error(&account.id, criteria, i, attribute, "flag", other)),
                },
            };
            out.record(i, result, *weight);
        }
        Ok(out)
    }

    /// Points per criterion (0 for must-haves and disqualifiers).
    pub(super) fn weights(&self) -> &[u64] {
        &self.weights
    }
}

impl Outcomes {
    /// Records criterion `i`'s result: `Some(matched)` or `None` for unknown.
    /// Branch-free: match outcomes are data-dependent and mispredict often.
    #[inline]
    pub(super) fn record(&mut self, i: usize, result: Option<bool>, weight: u64) {
        let matched = u64::from(result == Some(true));
        let missed = u64::from(result == Some(false));
        let unknown = u64::from(result.is_none());
        let shift = i % 64;
        self.matched |= matched << shift;
        self.missed |= missed << shift;
        self.unknown |= unknown << shift;
        self.points += weight * matched;
        self.unknown_points += weight * unknown;
    }
}

/// Whether sorted `values` holds `t` (length-first scan when small, binary search otherwise).
fn contains_text(values: &[Box<str>], t: &str) -> bool {
    if values.len() <= 16 {
        values.iter().any(|v| v.len() == t.len() && **v == *t)
    } else {
        values.binary_search_by(|v| (**v).cmp(t)).is_ok()
    }
}

#[inline]
pub(super) fn within(value: Decimal, min: Option<Decimal>, max: Option<Decimal>) -> bool {
    min.is_none_or(|m| at_most(m, value)) && max.is_none_or(|m| at_most(value, m))
}

/// `a <= b`, exact; at equal scales (money in minor units, whole counts) the mantissas decide
/// without `Decimal`'s general rescaling comparison.
#[inline]
fn at_most(a: Decimal, b: Decimal) -> bool {
    if a.scale() == b.scale() { a.mantissa() <= b.mantissa() } else { a <= b }
}

/// The name of criterion `index` (empty if out of range, which compiled plans never are).
fn criterion_name(criteria: &[Criterion], index: usize) -> String {
    criteria.get(index).map(|c| c.name.clone()).unwrap_or_default()
}

/// [`ErrorKind::IcpAttributeType`] naming the account, the attribute and the criterion.
#[cold]
pub(super) fn type_error(
    account: &AccountId,
    criteria: &[Criterion],
    index: usize,
    attribute: &str,
    expected: &'static str,
    found: &AttributeValue,
) -> Error {
    crate::Error::from(ErrorKind::IcpAttributeType {
        account: account.clone(),
        attribute: attribute.to_owned(),
        criterion: criterion_name(criteria, index),
        expected,
        found: found.kind(),
    })
}

/// [`ErrorKind::IcpRevenueCurrency`] naming the account and the revenue criterion.
#[cold]
pub(super) fn currency_error(
    account: &AccountId,
    criteria: &[Criterion],
    index: usize,
    expected: Currency,
    found: Currency,
) -> Error {
    crate::Error::from(ErrorKind::IcpRevenueCurrency {
        account: account.clone(),
        criterion: criterion_name(criteria, index),
        expected,
        found,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn bounds_compare_exactly_at_any_scale() {
        assert!(within(dec!(1.50), Some(dec!(1.5)), Some(dec!(1.5))));
        assert!(!within(dec!(1.49), Some(dec!(1.5)), None));
        assert!(within(dec!(-2.00), Some(dec!(-3.00)), Some(dec!(-2.00))));
        assert!(!within(dec!(-2.01), Some(dec!(-2.00)), None));
        assert!(within(dec!(5), None, Some(dec!(5.000001))));
        assert!(!within(dec!(5.000002), None, Some(dec!(5.000001))));
        assert!(within(dec!(0), Some(dec!(-0.0)), Some(dec!(0.00))));
    }
}
