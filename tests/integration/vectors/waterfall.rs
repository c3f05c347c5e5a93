//! Family runner `funnel.waterfall`: the funnel waterfall, time in stage, aging and group
//! effects of [`WaterfallTally`] over leads given as `{lead, group, changes: [[stage, at]],
//! reason?, created?, close_date?}` (the family's own inputs: a lead's group, reason and close
//! date are no single fact). The definition is `{funnel?, waterfall}`: the funnel in its wire
//! format (default: the demand waterfall) and the [`WaterfallDefinition`] wire format. Decimals
//! are written as their canonical text.

use revops::facts::{Reason, StageChange};
use revops::funnel::{Funnel, StageHistory};
use revops::metrics::{WaterfallDefinition, WaterfallGroup, WaterfallRecord, WaterfallTally};
use revops::{Error, LeadId, StageId, Tally};
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use super::business_time::{field, instant, plain, text};
use super::{Case, Path};

fn dec(d: Option<Decimal>) -> Value {
    d.map_or(Value::Null, |d| json!(d.normalize().to_string()))
}

fn group_json(g: &WaterfallGroup) -> Value {
    let mut stages = Map::new();
    for f in &g.stages {
        let leaked_by: Map<String, Value> = f
            .leaked_by
            .iter()
            .map(|(leak, n)| {
                let kind = serde_json::to_value(leak.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                let reason = leak.reason.as_ref().map_or("none", Reason::key);
                (format!("{kind}:{reason}"), json!(n))
            })
            .collect();
        stages.insert(
            f.stage.as_str().to_owned(),
            json!({
                "entered": f.entered, "advanced": f.advanced, "leaked": f.leaked, "open": f.open,
                "regressed": f.regressed, "won": f.won, "leaked_by": leaked_by,
                "to_next": dec(f.to_next), "settled": dec(f.settled), "to_won": dec(f.to_won),
            }),
        );
    }
    let mut time = Map::new();
    for t in &g.time_in_stage {
        let percentiles: Map<String, Value> = t.percentiles.iter().map(|p| (p.p.to_string(), dec(p.days))).collect();
        time.insert(
            t.stage.as_str().to_owned(),
            json!({
                "completed": t.completed.count, "mean": dec(t.completed.mean), "median": dec(t.completed.median),
                "p90": dec(t.completed.p90), "percentiles": percentiles, "open": t.open,
                "open_age_mean": dec(t.open_age_mean), "open_age_max": dec(t.open_age_max),
            }),
        );
    }
    let aging: Vec<Value> = g.aging.iter().map(|b| json!([b.from_days, b.to_days, b.open, b.past_due])).collect();
    json!({
        "stages": stages,
        "time_in_stage": time,
        "aging": aging,
        "outcomes": {
            "closed": g.outcomes.closed, "won": g.outcomes.won, "win_rate": dec(g.outcomes.win_rate),
            "median_cycle": dec(g.outcomes.cycle.median), "mean_cycle": dec(g.outcomes.cycle.mean),
        },
    })
}

fn record(v: &Value, funnel: &Funnel) -> Result<WaterfallRecord<String>, Error> {
    let lead = LeadId::new(text(v, "lead"))?;
    let mut changes = Vec::new();
    for c in field(v, "changes").as_array().into_iter().flatten() {
        let stage = c.get(0).and_then(Value::as_str).unwrap_or_default();
        changes.push(StageChange {
            entity: lead.clone(),
            stage: StageId::new(stage)?,
            at: instant(c.get(1).unwrap_or(&Value::Null)),
        });
    }
    let mut r = WaterfallRecord::new(text(v, "group").to_owned(), StageHistory::from_facts(funnel, &lead, &changes)?);
    if let Some(reason) = v.get("reason") {
        r = r.with_reason(plain(reason));
    }
    if let Some(created) = v.get("created") {
        r = r.created_at(instant(created));
    }
    if let Some(date) = v.get("close_date") {
        r = r.closing_on(plain(date));
    }
    Ok(r)
}

/// `funnel.waterfall`: one pass over the case's leads.
pub(super) fn run(case: &Case, _: Path) -> Result<Value, Error> {
    let def = &case.definition;
    let funnel: Funnel = def.get("funnel").map_or_else(Funnel::demand_waterfall, plain);
    let definition: WaterfallDefinition = serde_json::from_value(field(def, "waterfall").clone()).map_err(|e| {
        revops::ErrorKind::InvalidValue { field: "waterfall", value: e.to_string(), reason: "bad definition" }
    })?;
    let mut tally = WaterfallTally::new(funnel.clone(), definition);
    for v in field(&case.facts, "leads").as_array().into_iter().flatten() {
        tally.push(&record(v, &funnel)?)?;
    }
    let w = tally.finish()?;
    let groups: Map<String, Value> = w.groups.iter().map(|(k, g)| (k.clone(), group_json(g))).collect();
    let effects: Map<String, Value> = w
        .effects
        .iter()
        .map(|(k, e)| {
            (
                k.clone(),
                json!({
                    "closed": e.closed, "won": e.won, "win_rate_delta": dec(e.win_rate_delta),
                    "median_cycle_delta": dec(e.median_cycle_delta), "mean_cycle_delta": dec(e.mean_cycle_delta),
                }),
            )
        })
        .collect();
    let mut out = group_json(&w.overall);
    if let Some(o) = out.as_object_mut() {
        o.insert("groups".into(), Value::Object(groups));
        o.insert("effects".into(), Value::Object(effects));
    }
    let mut flat = Map::new();
    flatten("", &out, &mut flat);
    Ok(Value::Object(flat))
}

/// The result as dotted paths to its leaves (`"stages.inquiry.entered"`), so a case pins only
/// the figures it gives.
fn flatten(prefix: &str, v: &Value, out: &mut Map<String, Value>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                flatten(&key, child, out);
            }
        }
        leaf => {
            out.insert(prefix.to_owned(), leaf.clone());
        }
    }
}
