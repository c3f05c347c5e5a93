//! Family runner `metrics.return_on_marketing`: [`ReturnOnMarketingTally`] (spend by channel and
//! campaign beside each model's attributed revenue) and its cost per stage.
//!
//! A definition is `{"period": {"start", "end"}, "currency": "USD", "models": [<attribution
//! model>, ...], "stage_counts": <StageCounts>}`: the models in the agreement's wire format, one
//! column each, named by their label (`first_touch`, `linear`, ...); `stage_counts` optional
//! (then no cost per stage). Facts are a `FactSet`: every `spend` line is pushed in order, then
//! every model's attribution report of all the `journeys` (totals with the campaign breakdown;
//! the caller's selection: the tally does not see deal dates).
//!
//! The result is the [`ReturnOnMarketing`] wire format reshaped by model name, flattened
//! ([`flat`]): `spend`, `bookings.<model>`, `spend_lines_outside`, `models` (the column
//! names), `by_channel.<channel>.spend`, `by_channel.<channel>.<model>.{revenue, gain, roas,
//! roas_exact.*, roi}` (the row of spend on no channel under `(none)`), the same under
//! `by_campaign`, `total.*`, and `cost_per_stage.*` (the [`CostPerStage`] wire format). The
//! runner checks what the table promises: every column, by channel and by campaign, sums to the
//! total spend and to each model's bookings, to the cent.
//!
//! [`flat`]: super::flat
//! [`CostPerStage`]: revops::metrics::CostPerStage

use revops::attribution::{Breakdown, Model, Totals};
use revops::facts::FactSet;
use revops::metrics::{MarketingFact, ReturnOnMarketing, ReturnOnMarketingTally, ReturnRow, StageCounts};
use revops::{Currency, Error, Money, Period, Tally};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::flat::{NONE_KEY, flatten};
use super::{Case, Path};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Definition {
    period: Period,
    currency: Currency,
    models: Vec<Model>,
    #[serde(default)]
    stage_counts: Option<StageCounts>,
}

fn row_json(models: &[String], row: &ReturnRow) -> Value {
    let mut out = Map::new();
    out.insert("spend".into(), serde_json::to_value(row.spend).unwrap());
    for (name, m) in models.iter().zip(&row.models) {
        out.insert(name.clone(), serde_json::to_value(m).unwrap());
    }
    Value::Object(out)
}

fn rows_json<K: ToString>(models: &[String], rows: &std::collections::BTreeMap<Option<K>, ReturnRow>) -> Value {
    let map: Map<String, Value> = rows
        .iter()
        .map(|(k, row)| (k.as_ref().map_or_else(|| NONE_KEY.to_owned(), ToString::to_string), row_json(models, row)))
        .collect();
    Value::Object(map)
}

/// Every column of `rows` sums to the table's spend and to each model's bookings.
fn reconciles(table: &ReturnOnMarketing, rows: &[&ReturnRow], what: &str) {
    let currency = table.spend.currency();
    let sum = |values: &mut dyn Iterator<Item = Money>| {
        values.fold(Money::zero(currency), |a, b| a.checked_add(b).expect("one currency"))
    };
    assert_eq!(sum(&mut rows.iter().map(|r| r.spend)), table.spend, "{what}: the spend column does not sum");
    for (m, bookings) in table.bookings.iter().enumerate() {
        let column = sum(&mut rows.iter().map(|r| r.models[m].revenue));
        assert_eq!(column, *bookings, "{what}: the column of {} does not sum to its bookings", table.models[m]);
    }
    assert_eq!(table.total.spend, table.spend, "the total row's spend");
    let totals: Vec<Money> = table.total.models.iter().map(|m| m.revenue).collect();
    assert_eq!(totals, table.bookings, "the total row's revenue");
}

/// Runs one case (row path only).
pub(super) fn run(case: &Case, _: Path) -> Result<Value, Error> {
    let def: Definition = case.definition()?;
    let facts: FactSet = case.facts()?;
    let labels: Vec<&str> = def.models.iter().map(Model::label).collect();
    let mut tally = ReturnOnMarketingTally::new(def.period, def.currency, labels)?;
    for line in &facts.spend {
        tally.push(&MarketingFact::Spend(line.clone()))?;
    }
    let breakdown = Breakdown { campaign: true, ..Breakdown::default() };
    for model in &def.models {
        let mut totals = Totals::with_breakdown(model.clone(), breakdown);
        for j in &facts.journeys {
            totals.push(j)?;
        }
        tally.push(&MarketingFact::Attributed(totals.finish()?))?;
    }
    let table = tally.finish()?;
    reconciles(&table, &table.by_channel.values().collect::<Vec<_>>(), "by channel");
    reconciles(&table, &table.by_campaign.values().collect::<Vec<_>>(), "by campaign");
    let models = &table.models;
    let bookings: Map<String, Value> =
        models.iter().zip(&table.bookings).map(|(m, b)| (m.clone(), serde_json::to_value(b).unwrap())).collect();
    let mut out = json!({
        "models": models,
        "spend": table.spend,
        "bookings": bookings,
        "spend_lines_outside": table.spend_lines_outside,
        "by_channel": rows_json(models, &table.by_channel),
        "by_campaign": rows_json(models, &table.by_campaign),
        "total": row_json(models, &table.total),
    });
    if let Some(counts) = def.stage_counts {
        out["cost_per_stage"] = serde_json::to_value(table.cost_per_stage(counts)?).unwrap();
    }
    Ok(flatten(&out))
}
