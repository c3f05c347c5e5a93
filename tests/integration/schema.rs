//! The agreement's JSON Schema: the checked-in `schema/agreement.schema.json` is what
//! `agreement::json_schema()` generates, it is a valid draft-7 schema, it accepts every example
//! agreement (and the canonical form the crate writes), and it refuses documents the crate
//! refuses for their shape.
//!
//! After changing a type of the agreement, regenerate the file with
//! `REVOPS_WRITE_SCHEMA=1 cargo test --all-features --test integration the_checked_in_schema`.

use revops::agreement::{Agreement, json_schema};
use serde_json::{Value, json};

/// The checked-in schema.
const CHECKED_IN: &str = include_str!("../../schema/agreement.schema.json");
/// The example agreements, as TOML.
const EXAMPLES: [(&str, &str); 3] = [
    ("hubspot_lifecycle", include_str!("../../examples/agreements/hubspot_lifecycle.toml")),
    ("salesforce_waterfall", include_str!("../../examples/agreements/salesforce_waterfall.toml")),
    ("sample", include_str!("../../examples/agreements/sample.toml")),
];

/// The generated schema as the file holds it: pretty JSON with a trailing newline.
fn generated() -> String {
    let mut text = serde_json::to_string_pretty(&json_schema()).unwrap();
    text.push('\n');
    text
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&json_schema()).unwrap()
}

/// The schema's complaints about `document`, as text (empty when it validates).
fn complaints(validator: &jsonschema::Validator, document: &Value) -> Vec<String> {
    validator.iter_errors(document).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

/// A minimal agreement, as JSON.
fn minimal() -> Value {
    json!({
        "name": "Acme revenue agreement",
        "version": "2025.1",
        "effective": "2025-01-01",
        "reporting_zone": "America/New_York",
        "funnel": {
            "name": "inbound",
            "stages": [
                { "id": "mql", "name": "MQL", "owner": "marketing", "kind": "open" },
                { "id": "won", "name": "Won", "owner": "sales", "kind": "won" }
            ]
        },
        "calendars": { "new_york": { "zone": "America/New_York", "week": { "monday": ["09:00-17:00"] } } },
        "sla": {
            "follow_up": {
                "calendar": "new_york",
                "milestones": { "mql": "mql", "handoff": "mql", "sql": "mql" },
                "policies": { "response": { "name": "mql_follow_up", "clock_start": "mql", "target": "4h" } }
            }
        }
    })
}

#[test]
fn the_checked_in_schema_is_the_generated_one() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/agreement.schema.json");
    if std::env::var_os("REVOPS_WRITE_SCHEMA").is_some() {
        std::fs::write(path, generated()).unwrap();
        return;
    }
    assert!(
        CHECKED_IN == generated(),
        "schema/agreement.schema.json is stale: regenerate it with \
         `REVOPS_WRITE_SCHEMA=1 cargo test --all-features --test integration the_checked_in_schema`"
    );
}

#[test]
fn the_schema_is_a_valid_draft_7_schema() {
    let schema = json_schema();
    jsonschema::meta::validate(&schema).unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    // Generating twice gives the same text (the file is deterministic).
    assert_eq!(generated(), generated());
}

#[test]
fn every_example_agreement_validates() {
    let validator = validator();
    for (name, text) in EXAMPLES {
        let document: Value = toml::from_str(text).unwrap();
        assert_eq!(complaints(&validator, &document), Vec::<String>::new(), "{name}");
        // What the crate writes back (canonical units) validates too.
        let agreement: Agreement = toml::from_str(text).unwrap();
        let canonical = serde_json::to_value(&agreement).unwrap();
        assert_eq!(complaints(&validator, &canonical), Vec::<String>::new(), "{name}, canonical");
    }
    let minimal = minimal();
    assert_eq!(complaints(&validator, &minimal), Vec::<String>::new());
    serde_json::from_value::<Agreement>(minimal).unwrap();
}

#[test]
fn the_readme_agreement_validates() {
    let readme = include_str!("../../README.md");
    let start = readme.find("let text = r#\"").unwrap() + "let text = r#\"".len();
    let text = &readme[start..start + readme[start..].find("\"#;").unwrap()];
    let document: Value = toml::from_str(text).unwrap();
    assert_eq!(document["name"], "Acme revenue agreement");
    assert_eq!(complaints(&validator(), &document), Vec::<String>::new());
}

#[test]
fn wrong_documents_fail_validation_as_they_fail_to_load() {
    let validator = validator();
    let wrong = |edit: &dyn Fn(&mut Value)| {
        let mut document = minimal();
        edit(&mut document);
        document
    };
    let cases: [(&str, Value); 8] = [
        ("an unknown top-level key", wrong(&|d| d["colour"] = json!("blue"))),
        ("an unknown key in a part", wrong(&|d| d["funnel"]["stages"][0]["color"] = json!("red"))),
        ("a target in words", wrong(&|d| d["sla"]["follow_up"]["policies"]["response"]["target"] = json!("4 hours"))),
        ("a target with days", wrong(&|d| d["sla"]["follow_up"]["policies"]["response"]["target"] = json!("2d"))),
        ("a missing funnel", wrong(&|d| drop(d.as_object_mut().unwrap().remove("funnel")))),
        ("a stage key in capitals", wrong(&|d| d["funnel"]["stages"][0]["id"] = json!("MQL"))),
        ("a bare percent", wrong(&|d| d["funnel"]["stages"][0]["probability"] = json!("75"))),
        (
            "a working window backwards in form",
            wrong(&|d| d["calendars"]["new_york"]["week"]["monday"] = json!(["9-17"])),
        ),
    ];
    for (what, document) in cases {
        assert!(!complaints(&validator, &document).is_empty(), "the schema accepts {what}");
        assert!(serde_json::from_value::<Agreement>(document).is_err(), "the crate reads {what}");
    }
}
