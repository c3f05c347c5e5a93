//! The forecast families (`tests/vectors/forecast/`): roll-ups by forecast category and
//! pipeline movement between two snapshots.
//!
//! A definition is `{"period": {"start", "end"}, "zone"?, "currency", "map"?}` (`zone` a zone
//! name, default `"UTC"`; `map` a [`CategoryMap`] in its wire format, default empty: every open
//! deal carries its own category), and for `forecast.categories` also `"quota"?` (money) and
//! `"qualified_only"?` (default `false`).
//!
//! - `forecast.categories`: facts are a `FactSet` (its `deals`); the result, flattened to dotted
//!   paths: `single.<category>.{deals, amount, weighted}`, `cumulative.<column>.{deals, amount,
//!   weighted, open_amount, coverage, to_quota}` (a ratio as `.numerator` and `.denominator`, or
//!   `null`), `total.{deals, amount, weighted}`, `quota`, `remaining`, `open_without_close_date`.
//! - `forecast.movement`: facts are `{"before": [<Deal>], "after": [<Deal>]}`, the snapshots S0
//!   and S1 (joined by [`join_snapshots`]); the result: `<row>.{deals, amount}` for every row
//!   (`start`, `new`, `pulled_in`, `pushed_in`, `moved_in`, `increased`, `decreased`, `won`,
//!   `lost`, `pushed_out`, `pulled_out`, `moved_out`, `end`), `identity.{deals, amount}` (start
//!   plus the inflows and increases minus the decreases and outflows, from the rows: the
//!   definitions' identity says it is `end`; counts without the change rows), and per
//!   opportunity `movements.<id>.{start, entered, change, left, end}`.
//!
//! Money is its amount as text in the definition's currency (`"60000.00"`).

use revops::calendar::Zone;
use revops::facts::{Deal, FactSet};
use revops::forecast::{CategoryMap, Flow, ForecastTally, MovementTally, join_snapshots};
use revops::{Currency, Error, Money, Period, Tally};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{Case, Path};

fn utc() -> String {
    "UTC".to_owned()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Definition {
    period: Period,
    #[serde(default = "utc")]
    zone: String,
    currency: Currency,
    #[serde(default)]
    map: CategoryMap,
    #[serde(default)]
    quota: Option<Money>,
    #[serde(default)]
    qualified_only: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Snapshots {
    before: Vec<Deal>,
    after: Vec<Deal>,
}

fn money(m: &Money) -> Value {
    json!(m.amount().to_string())
}

fn put(out: &mut Map<String, Value>, key: String, value: Value) {
    out.insert(key, value);
}

/// `forecast.categories`: one [`ForecastTally`] over the deals.
pub(super) fn categories(case: &Case, _: Path) -> Result<Value, Error> {
    let d: Definition = case.definition()?;
    let facts: FactSet = case.facts()?;
    let mut tally =
        ForecastTally::new(d.period, d.zone.parse::<Zone>()?, d.currency, d.map).qualified_only(d.qualified_only);
    if let Some(quota) = d.quota {
        tally = tally.quota(quota)?;
    }
    let r = tally.tally(&facts.deals)?;
    let mut out = Map::new();
    for (category, t) in &r.single {
        let at = format!("single.{}", category.as_str());
        put(&mut out, format!("{at}.deals"), json!(t.deals));
        put(&mut out, format!("{at}.amount"), money(&t.amount));
        put(&mut out, format!("{at}.weighted"), money(&t.weighted));
    }
    for (column, c) in &r.cumulative {
        let at = format!("cumulative.{}", column.as_str());
        put(&mut out, format!("{at}.deals"), json!(c.totals.deals));
        put(&mut out, format!("{at}.amount"), money(&c.totals.amount));
        put(&mut out, format!("{at}.weighted"), money(&c.totals.weighted));
        put(&mut out, format!("{at}.open_amount"), money(&c.open_amount));
        for (name, value) in [("coverage", &c.coverage), ("to_quota", &c.to_quota)] {
            match value {
                None => put(&mut out, format!("{at}.{name}"), Value::Null),
                Some(r) => {
                    put(&mut out, format!("{at}.{name}.numerator"), json!(r.numerator().to_string()));
                    put(&mut out, format!("{at}.{name}.denominator"), json!(r.denominator().to_string()));
                }
            }
        }
    }
    put(&mut out, "total.deals".into(), json!(r.total.deals));
    put(&mut out, "total.amount".into(), money(&r.total.amount));
    put(&mut out, "total.weighted".into(), money(&r.total.weighted));
    put(&mut out, "quota".into(), r.quota.as_ref().map_or(Value::Null, money));
    put(&mut out, "remaining".into(), r.remaining.as_ref().map_or(Value::Null, money));
    put(&mut out, "open_without_close_date".into(), json!(r.open_without_close_date));
    Ok(Value::Object(out))
}

/// `forecast.movement`: the snapshots joined, one [`MovementTally`] over the pairs, and each
/// opportunity's movement.
pub(super) fn movement(case: &Case, _: Path) -> Result<Value, Error> {
    let d: Definition = case.definition()?;
    let facts: Snapshots = case.facts()?;
    let pairs = join_snapshots(&facts.before, &facts.after)?;
    let tally = MovementTally::new(d.period, d.zone.parse::<Zone>()?, d.currency, d.map);
    let mut out = Map::new();
    for pair in &pairs {
        let m = tally.movement(pair)?;
        let at = format!("movements.{}", m.id.as_str());
        let bucket = |b: Option<revops::forecast::MovementBucket>| b.map_or(Value::Null, |b| json!(b.as_str()));
        put(&mut out, format!("{at}.start"), m.start.as_ref().map_or(Value::Null, money));
        put(&mut out, format!("{at}.entered"), bucket(m.entered));
        put(&mut out, format!("{at}.change"), m.change.as_ref().map_or(Value::Null, money));
        put(&mut out, format!("{at}.left"), bucket(m.left));
        put(&mut out, format!("{at}.end"), m.end.as_ref().map_or(Value::Null, money));
    }
    let p = tally.tally(&pairs)?;
    let rows: [(&str, &Flow, i8); 13] = [
        ("start", &p.start, 1),
        ("new", &p.new, 1),
        ("pulled_in", &p.pulled_in, 1),
        ("pushed_in", &p.pushed_in, 1),
        ("moved_in", &p.moved_in, 1),
        ("increased", &p.increased, 1),
        ("decreased", &p.decreased, -1),
        ("won", &p.won, -1),
        ("lost", &p.lost, -1),
        ("pushed_out", &p.pushed_out, -1),
        ("pulled_out", &p.pulled_out, -1),
        ("moved_out", &p.moved_out, -1),
        ("end", &p.end, 0),
    ];
    let (mut deals, mut amount) = (0i128, Decimal::ZERO);
    for (name, flow, sign) in rows {
        put(&mut out, format!("{name}.deals"), json!(flow.deals));
        put(&mut out, format!("{name}.amount"), money(&flow.amount));
        let change_row = matches!(name, "increased" | "decreased");
        if !change_row {
            deals += i128::from(sign) * i128::from(flow.deals);
        }
        amount += Decimal::from(sign) * flow.amount.amount();
    }
    put(&mut out, "identity.deals".into(), json!(i64::try_from(deals).unwrap_or(i64::MIN)));
    amount.rescale(u32::from(d.currency.exponent())); // a zero sum loses its scale
    put(&mut out, "identity.amount".into(), json!(amount.to_string()));
    Ok(Value::Object(out))
}
