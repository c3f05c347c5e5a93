//! The currency family (`tests/vectors/currency/`): conversion by the caller's rates.
//!
//! A definition is `{"table": <RateTable>, "to": "USD", "rule": <DateRule>}` (`rule` default
//! `"close_date"`; no `table`: nothing is converted). Facts are either `{"amounts": [{"money":
//! <Money>, "on": "2024-01-01"}]}`, converted one by one, or a `FactSet`, converted by
//! `FactConverter` as of the case's `as_of`. The result: `amounts` (or `deals` and `spend`),
//! each `{"amount", "currency"}`; `total`, their sum (an error for mixed currencies);
//! `rates_used`, the stored rates applied, sorted; `converted`, how many values changed currency.

use chrono::NaiveDate;
use revops::facts::FactSet;
use revops::fx::{DateRule, FactConverter, Rate, RateTable};
use revops::{Currency, Error, Money};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Case, Path};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Definition {
    #[serde(default)]
    table: Option<RateTable>,
    to: Currency,
    #[serde(default)]
    rule: DateRule,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Amount {
    money: Money,
    on: NaiveDate,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Amounts {
    amounts: Vec<Amount>,
}

fn total(values: &[Money], to: Currency) -> Result<Money, Error> {
    values.iter().try_fold(Money::zero(to), |sum, m| sum.checked_add(*m))
}

fn rates(used: impl IntoIterator<Item = Rate>) -> Value {
    serde_json::to_value(used.into_iter().collect::<Vec<_>>()).unwrap_or_default()
}

/// Runs one case (row path only).
pub(super) fn run(case: &Case, _path: Path) -> Result<Value, Error> {
    let def: Definition = case.definition()?;
    let table = def.table.clone().unwrap_or_default();
    if case.facts.get("amounts").is_some() {
        let input: Amounts = case.facts()?;
        let mut out = Vec::new();
        let mut used = std::collections::BTreeSet::new();
        let mut converted = 0;
        for a in &input.amounts {
            let money = if def.table.is_some() {
                let c = table.convert(a.money, def.to, a.on)?;
                used.extend(c.rates());
                converted += usize::from(a.money.currency() != def.to);
                c.money()
            } else {
                a.money
            };
            out.push(money);
        }
        let sum = total(&out, def.to)?;
        return Ok(json!({ "amounts": out, "total": sum, "rates_used": rates(used), "converted": converted }));
    }
    let facts: FactSet = case.facts()?;
    let mut fx = FactConverter::new(&table, def.to, def.rule, case.as_of());
    let facts = if def.table.is_some() { fx.facts(&facts)? } else { facts };
    let deals: Vec<Money> = facts.deals.iter().map(|d| d.amount).collect();
    let spend: Vec<Money> = facts.spend.iter().map(|s| s.amount).collect();
    let sum = total(&deals, def.to)?;
    Ok(json!({
        "deals": deals, "spend": spend, "total": sum,
        "rates_used": rates(fx.rates_used().iter().copied()), "converted": fx.converted(),
    }))
}
