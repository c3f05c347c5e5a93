//! The canonical form of a definition: JSON with object keys sorted by their UTF-8 bytes, no
//! whitespace, numbers as `serde_json` writes them. It does not depend on how the document was
//! written (key order, TOML or JSON, human units), nor on `serde_json`'s `preserve_order`
//! feature: keys are sorted here, not by the map type.

use serde::Serialize;
use serde_json::Value;

use crate::{Error, ErrorKind};

/// The canonical JSON value of `value`.
pub(super) fn value<T: Serialize>(value: &T) -> Result<Value, Error> {
    serde_json::to_value(value).map_err(|err| {
        ErrorKind::InvalidValue { field: "agreement", value: err.to_string(), reason: "has no canonical JSON form" }
            .into()
    })
}

/// `value` written canonically.
pub(super) fn write(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(key, out);
                out.push(':');
                write(item, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, out);
            }
            out.push(']');
        }
        Value::String(text) => string(text, out),
        // Null, booleans and numbers have one spelling in serde_json.
        other => out.push_str(&other.to_string()),
    }
}

/// A JSON string literal.
fn string(text: &str, out: &mut String) {
    out.push_str(&Value::String(text.to_owned()).to_string());
}

/// `value` as canonical text.
pub(super) fn text(value: &Value) -> String {
    let mut out = String::new();
    write(value, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_keys_at_every_depth_and_drops_whitespace() {
        let a: Value = serde_json::from_str(r#"{ "b": 1, "a": { "y": [1, 2], "x": "é\"" } }"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"a":{"x":"é\"","y":[1,2]},"b":1}"#).unwrap();
        assert_eq!(text(&a), r#"{"a":{"x":"é\"","y":[1,2]},"b":1}"#);
        assert_eq!(text(&a), text(&b));
    }
}
