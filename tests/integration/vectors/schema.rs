//! The JSON Schema of vector files, `tests/vectors/vectors.schema.json`: a valid draft-7 schema
//! that accepts every vector file, refuses envelopes the runner refuses, and writes every
//! optional field's default in its description.

use serde_json::{Value, json};

/// The checked-in schema.
const SCHEMA: &str = include_str!("../../vectors/vectors.schema.json");

fn schema() -> Value {
    serde_json::from_str(SCHEMA).unwrap()
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&schema()).unwrap()
}

fn complaints(document: &Value) -> Vec<String> {
    validator().iter_errors(document).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

#[test]
fn the_vector_schema_is_a_valid_draft_7_schema() {
    jsonschema::meta::validate(&schema()).unwrap();
    assert_eq!(schema()["$schema"], "http://json-schema.org/draft-07/schema#");
}

#[test]
fn every_vector_file_validates_against_the_schema() {
    let validator = validator();
    let paths = super::vector_paths();
    assert!(!paths.is_empty());
    for path in paths {
        let document: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let errors: Vec<String> =
            validator.iter_errors(&document).map(|e| format!("{}: {e}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{}:\n{}", path.display(), errors.join("\n"));
    }
}

#[test]
fn the_schema_refuses_what_the_runner_refuses() {
    let good = json!({
        "format": "revops-vectors/1", "family": "metrics.win_rate", "description": "d",
        "cases": [{ "name": "n", "definition": {"metric": "win_rate"}, "expect": {"count": 1} }]
    });
    assert!(complaints(&good).is_empty(), "{:?}", complaints(&good));
    let mut bad = Vec::new();
    let mut v = good.clone();
    v["format"] = json!("revops-vectors/2");
    bad.push(("another format", v));
    let mut v = good.clone();
    v["family"] = json!("win_rate");
    bad.push(("a family without its area", v));
    let mut v = good.clone();
    v["cases"][0]["error"] = json!({"kind": "negative"});
    bad.push(("both expect and error", v));
    let mut v = good.clone();
    v["cases"][0].as_object_mut().unwrap().remove("expect");
    bad.push(("neither expect nor error", v));
    let mut v = good.clone();
    v["cases"][0]["expected"] = json!(1);
    bad.push(("an unknown case field", v));
    let mut v = good.clone();
    v["cases"][0].as_object_mut().unwrap().remove("expect");
    v["cases"][0]["error"] = json!({"kind": "Negative Amount"});
    bad.push(("an error kind that is not a code", v));
    let mut v = good.clone();
    v["cases"] = json!([]);
    bad.push(("no cases", v));
    for (what, document) in bad {
        assert!(!complaints(&document).is_empty(), "the schema accepts {what}");
    }
}

/// Every optional field (a property neither in its object's `required` nor one of its `oneOf`
/// alternatives, as `expect` and `error` are) says its default.
#[test]
fn every_optional_field_documents_its_default() {
    fn walk(node: &Value, at: &str, missing: &mut Vec<String>) {
        let Some(object) = node.as_object() else { return };
        if let Some(Value::Object(properties)) = object.get("properties") {
            let required: Vec<&str> = object
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let alternatives: Vec<&str> = object
                .get("oneOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|branch| branch.get("required").and_then(Value::as_array))
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            for (name, property) in properties {
                let description = property.get("description").and_then(Value::as_str).unwrap_or_default();
                if !required.contains(&name.as_str())
                    && !alternatives.contains(&name.as_str())
                    && !description.contains("default")
                {
                    missing.push(format!("{at}.{name}"));
                }
            }
        }
        for (key, child) in object {
            walk(child, &format!("{at}.{key}"), missing);
        }
    }
    let mut missing = Vec::new();
    walk(&schema(), "", &mut missing);
    assert!(missing.is_empty(), "optional fields without their default: {missing:?}");
}
