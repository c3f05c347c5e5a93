//! The Shapley family (`tests/vectors/shapley/`): simplified, ordered and exact (each game).
//!
//! A definition is a Shapley model in the agreement's wire format (`attribution.shapley`):
//! `"simplified"`, `"ordered"` or `{"exact": "conversion_rate" | "cumulative_conversions" |
//! "cumulative_value"}`. The facts are as the Markov family's (journeys, or `{"paths": [...]}`).
//!
//! The result: for `simplified`, `conversions`, `total_value` and `channels` by id
//! (`conversions`, `share`, `value`); for `ordered`, `conversions`, `total_value` and
//! `channels` by id (`conversions_by_position`, `value_by_position`); for `exact`, `values` by
//! id, `grand_coalition`, `empty_coalition` and `credits` by id. Floats compare to 1e-12, money
//! (decimal strings) exactly.

use revops::attribution::{CoalitionCounts, ShapleyAttribution, ShapleyModel};
use revops::{Error, Money};
use serde_json::{Map, Value, json};

use super::markov::PathFacts;
use super::{Case, Path};

fn money(m: &Money) -> Value {
    Value::String(m.amount().to_string())
}

fn result_json(r: &ShapleyAttribution) -> Value {
    match r {
        ShapleyAttribution::Simplified(s) => {
            let channels: Map<String, Value> = s
                .channels
                .iter()
                .map(|c| {
                    (
                        c.channel.to_string(),
                        json!({"conversions": c.conversions, "share": c.share, "value": money(&c.value)}),
                    )
                })
                .collect();
            json!({"conversions": s.conversions, "total_value": money(&s.total_value), "channels": channels})
        }
        ShapleyAttribution::Ordered(o) => {
            let channels: Map<String, Value> = o
                .channels
                .iter()
                .map(|c| {
                    let values: Vec<Value> = c.value_by_position.iter().map(money).collect();
                    (
                        c.channel.to_string(),
                        json!({"conversions_by_position": c.conversions_by_position, "value_by_position": values}),
                    )
                })
                .collect();
            json!({"conversions": o.conversions, "total_value": money(&o.total_value), "channels": channels})
        }
        ShapleyAttribution::Exact { values, credits, .. } => {
            let phi: Map<String, Value> = values.channels.iter().map(|(c, v)| (c.to_string(), json!(v))).collect();
            let credits: Map<String, Value> = credits.iter().map(|(c, m)| (c.to_string(), money(m))).collect();
            json!({
                "values": phi,
                "grand_coalition": values.grand_coalition,
                "empty_coalition": values.empty_coalition,
                "credits": credits,
            })
        }
        other => panic!("a Shapley result this runner does not know: {other:?}"),
    }
}

/// Runs one case (the row path: coalitions counted one journey or path at a time).
pub(super) fn run(case: &Case, _path: Path) -> Result<Value, Error> {
    let model: ShapleyModel = case.definition()?;
    let facts: PathFacts = case.facts()?;
    let mut counts = CoalitionCounts::new(facts.currency());
    facts.feed(&mut counts)?;
    Ok(result_json(&model.attribute(&counts)?))
}
