//! The rule-based attribution families (`tests/vectors/attribution/`), on every path.
//!
//! A definition is an attribution model in the agreement's wire format (an
//! `[attribution.models.<name>]` table: `shape`, `lookback`, `excluded`, `missing_anchor`,
//! `stacking`, `short_journey`); the facts are a `FactSet` whose `journeys` are credited.
//!
//! The result: `non_converting`, and for the one currency of the case's conversions
//! `conversions`, `revenue` and `by_channel` (money as decimal strings; a channel credited
//! nothing is left out); every path gives these. The row path also gives `credits` (per journey id, one line per credited touch:
//! `touch`, `channel`, `amount`) and `by_campaign`, `by_contact`, `by_account` (a touch without
//! one under `""`).
//!
//! Paths: `row` credits each journey with `Model::attribute` and totals them with `Totals::push`
//! one by one (with the breakdowns); `columnar` builds a `ColumnarBatch` and totals it on the
//! calling thread (`channel_totals_serial`); `rayon` runs on a pool of four threads: the journeys
//! split one per task and the totals merged, `Totals::push_all` and `ColumnarBatch::channel_totals`,
//! which must agree.

use std::collections::BTreeMap;

use revops::attribution::{AttributionReport, Breakdown, ColumnarBatch, Model, Totals};
use revops::facts::{FactSet, Journey};
use revops::{Currency, Error, Money};
use serde_json::{Map, Value, json};

use super::{Case, Path};

/// The result fields only the row path gives.
pub(super) const ROW_ONLY: &[&str] = &["credits", "by_campaign", "by_contact", "by_account"];

fn money(m: &Money) -> Value {
    Value::String(m.amount().to_string())
}

/// A map of credits, channels (or campaigns, contacts, accounts) with no credit left out: the
/// row path lists only channels it credited, the columnar engine every channel of the batch
/// (those of dropped touches at zero), so a zero is the absence on every path.
fn credited<'a, K: ToString + 'a>(map: impl IntoIterator<Item = (K, &'a Money)>) -> Value {
    Value::Object(map.into_iter().filter(|(_, v)| !v.is_zero()).map(|(k, v)| (k.to_string(), money(v))).collect())
}

fn keyed<K: ToString>(map: &BTreeMap<Option<K>, Money>) -> Value {
    credited(map.iter().map(|(k, v)| (k.as_ref().map_or_else(String::new, ToString::to_string), v)))
}

/// The common result of a report: `non_converting`, and the one currency's totals.
fn report_json(report: &AttributionReport) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("non_converting".into(), json!(report.non_converting));
    let mut currencies = report.currencies.values();
    if let (Some(t), None) = (currencies.next(), currencies.next()) {
        out.insert("conversions".into(), json!(t.conversions));
        out.insert("revenue".into(), money(&t.revenue));
        out.insert("by_channel".into(), credited(&t.by_channel));
        if !t.by_campaign.is_empty() {
            out.insert("by_campaign".into(), keyed(&t.by_campaign));
            out.insert("by_contact".into(), keyed(&t.by_contact));
            out.insert("by_account".into(), keyed(&t.by_account));
        }
    }
    out
}

/// The currency of the case's conversions (USD when none converts).
fn currency(journeys: &[Journey]) -> Currency {
    journeys.iter().find_map(|j| j.conversion.map(|c| c.value.currency())).unwrap_or(Currency::USD)
}

fn row(model: &Model, journeys: &[Journey]) -> Result<Value, Error> {
    let mut credits = Map::new();
    for j in journeys {
        if let Some(a) = model.attribute(j)? {
            let lines: Vec<Value> = a
                .credits
                .iter()
                .map(|c| json!({"touch": c.touch, "channel": c.channel.as_str(), "amount": money(&c.amount)}))
                .collect();
            credits.insert(a.journey.to_string(), Value::Array(lines));
        }
    }
    let mut totals = Totals::new(model.clone());
    let mut broken_down = Totals::with_breakdown(model.clone(), Breakdown::ALL);
    for j in journeys {
        totals.push(j)?;
        broken_down.push(j)?;
    }
    let plain = report_json(&totals.finish()?);
    let mut out = report_json(&broken_down.finish()?);
    // The breakdown does not change the channel totals.
    for key in ["non_converting", "conversions", "revenue", "by_channel"] {
        assert_eq!(plain.get(key), out.get(key), "totals with and without the breakdown differ in {key}");
    }
    out.insert("credits".into(), Value::Object(credits));
    Ok(Value::Object(out))
}

fn columnar(model: &Model, journeys: &[Journey], parallel: bool) -> Result<Value, Error> {
    let batch = ColumnarBatch::from_journeys(currency(journeys), journeys)?;
    let totals = if parallel { batch.channel_totals(model)? } else { batch.channel_totals_serial(model)? };
    let mut out = report_json(&totals.report()?);
    // The batch counts converting journeys only.
    let non_converting = journeys.iter().filter(|j| j.conversion.is_none()).count();
    out.insert("non_converting".into(), json!(non_converting));
    Ok(Value::Object(out))
}

#[cfg(feature = "rayon")]
fn rayon(model: &Model, journeys: &[Journey]) -> Result<Value, Error> {
    use rayon::prelude::*;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(4).build().unwrap();
    pool.install(|| {
        // One journey per task, merged in the pool's order.
        let parts: Vec<Result<Totals, Error>> = journeys
            .par_iter()
            .map(|j| {
                let mut t = Totals::new(model.clone());
                t.push(j).map(|()| t)
            })
            .collect();
        let mut merged = Totals::new(model.clone());
        for part in parts {
            merged.merge(part?)?;
        }
        let merged = report_json(&merged.finish()?);
        let mut all = Totals::new(model.clone());
        all.push_all(journeys)?;
        assert_eq!(report_json(&all.finish()?), merged, "push_all differs from per-journey totals merged");
        let batch = columnar(model, journeys, true)?;
        for key in ["conversions", "revenue", "by_channel"] {
            assert_eq!(batch.get(key), merged.get(key), "the parallel batch differs in {key}");
        }
        Ok(Value::Object(merged))
    })
}

#[cfg(not(feature = "rayon"))]
fn rayon(_: &Model, _: &[Journey]) -> Result<Value, Error> {
    unreachable!("the rayon path runs with the `rayon` feature only")
}

/// Runs one case on one path.
pub(super) fn run(case: &Case, path: Path) -> Result<Value, Error> {
    let model: Model = case.definition()?;
    let facts: FactSet = case.facts()?;
    match path {
        Path::Row => row(&model, &facts.journeys),
        Path::Columnar => columnar(&model, &facts.journeys, false),
        Path::Rayon => rayon(&model, &facts.journeys),
    }
}
