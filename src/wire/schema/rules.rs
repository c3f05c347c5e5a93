//! Schemas of the lead-scoring values with a wire form of their own: [`Points`] and the
//! [`QualificationRule`] tree.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use super::DECIMAL_BODY;
use crate::funnel::{Points, Qualification, QualificationRule};

impl JsonSchema for Points {
    fn schema_name() -> Cow<'static, str> {
        "Points".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A lead-score threshold in the scoring model's points, with its unit: `\"40 points\"`, \
                `\"12.5 points\"`, `\"1 point\"`, or a table `{ points = 40 }` (an integer or a decimal string). \
                Whole points or hundredths, within ±1,000,000,000. A bare number (`40`, `\"40\"`) or a percent \
                is refused: it does not say its scale.",
            "oneOf": [
                {
                    "type": "string",
                    "pattern": format!("^\\s*{DECIMAL_BODY} +points?\\s*$"),
                    "examples": ["40 points", "12.5 points"]
                },
                {
                    "type": "object",
                    "properties": {
                        "points": {
                            "oneOf": [
                                { "type": "integer" },
                                { "type": "string", "pattern": format!("^{DECIMAL_BODY}$") }
                            ]
                        }
                    },
                    "required": ["points"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

/// The conditions a leaf of a [`QualificationRule`] may test, each with its value's schema.
fn conditions(generator: &mut SchemaGenerator) -> serde_json::Map<String, serde_json::Value> {
    let points = generator.subschema_for::<Points>();
    let keys = json_schema!({ "type": "array", "items": { "type": "string" } });
    let mut map = serde_json::Map::new();
    let mut add = |key: &str, description: &str, schema: &Schema| {
        let mut schema = schema.clone();
        schema.insert("description".into(), description.into());
        map.insert(key.to_owned(), schema.to_value());
    };
    add("fit_score_at_least", "The fit score is at least this (fails when unknown).", &points);
    add("engagement_score_at_least", "The engagement score is at least this (fails when unknown).", &points);
    add("total_score_at_least", "Fit plus engagement score is at least this (fails when either is unknown).", &points);
    add(
        "fit_tier_in",
        "The fit tier is one of these keys (fails when unknown); \"tier B or better\" lists the tiers from the best down to B.",
        &keys,
    );
    add("fields_present", "Every one of these fields holds a value.", &keys);
    add("has_trait", "The lead has this trait (e.g. `software`).", &json_schema!({ "type": "string" }));
    add(
        "activity",
        "The lead did `kind` (e.g. `demo_request`) at or before the evaluation instant and, with \
         `within_days`, less than that many days before it.",
        &json_schema!({
            "type": "object",
            "properties": {
                "kind": { "type": "string", "description": "The activity kind." },
                "within_days": {
                    "type": "integer",
                    "minimum": 1,
                    "description": "Look-back window in days; none for any time."
                }
            },
            "required": ["kind"],
            "additionalProperties": false
        }),
    );
    map
}

impl JsonSchema for QualificationRule {
    fn schema_name() -> Cow<'static, str> {
        "QualificationRule".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let node = generator.subschema_for::<QualificationRule>();
        let children = json_schema!({ "type": "array", "items": node });
        let group = |key: &str, description: &str, value: &Schema| {
            json_schema!({
                "type": "object",
                "description": description,
                "properties": { (key): value },
                "required": [key],
                "additionalProperties": false
            })
        };
        let mut properties = conditions(generator);
        properties.insert(
            "key".into(),
            json_schema!({ "type": "string", "description": "Unique key across the whole rule, reported in results." })
                .to_value(),
        );
        let leaf = json_schema!({
            "type": "object",
            "description": "A keyed condition: `key` and exactly one condition.",
            "properties": properties,
            "required": ["key"],
            "minProperties": 2,
            "maxProperties": 2,
            "additionalProperties": false
        });
        json_schema!({
            "description": format!(
                "A node of a qualification rule: `{{ all = [..] }}` (every child passes), `{{ any = [..] }}` \
                 (at least one passes), `{{ not = .. }}` (the child fails), or a keyed condition \
                 `{{ key = \"fit\", fit_score_at_least = \"40 points\" }}`. Nested at most {} deep.",
                Qualification::MAX_DEPTH
            ),
            "oneOf": [
                group("all", "Passes when every child passes.", &children),
                group("any", "Passes when at least one child passes.", &children),
                group("not", "Passes when the child fails.", &node),
                leaf
            ]
        })
    }
}
