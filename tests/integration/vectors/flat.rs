//! The flat result shape of the families whose results are tables (retention, return on
//! marketing, account engagement, intent): every leaf under its dotted path
//! (`"total.nrr"`, `"by_channel.paid_search.first_touch.roas"`), so a case pins only the
//! figures it gives.
//!
//! - An object `{"amount", "currency"}` (a `Money`) is one leaf, its amount text: a case has one
//!   currency, and a mixed currency is an error, never a result.
//! - An array of scalars is one leaf, compared whole (`"contacts": ["c1", "c2"]`).
//! - An array holding an object, an array or `null` is flattened by index (`"cells.0.mrr"`),
//!   with its length under `"<path>.#"`.
//! - An empty object is a leaf `{}` (a table with no rows is pinned as such).

use serde_json::{Map, Value};

/// `v` flattened.
pub(super) fn flatten(v: &Value) -> Value {
    let mut out = Map::new();
    walk("", v, &mut out);
    Value::Object(out)
}

/// The key of the `None` row of a table keyed by `Option` (`null` on the wire): `"(none)"`, an
/// id no vector uses (nor ids with a `.`, which would read as a path).
pub(super) const NONE_KEY: &str = "(none)";

/// A list of `[key, row]` pairs (how the crate writes a map keyed by `Option`) as an object,
/// `null` keys as [`NONE_KEY`].
pub(super) fn pairs_to_object(v: &Value) -> Value {
    let mut out = Map::new();
    for pair in v.as_array().into_iter().flatten() {
        let key = match pair.get(0) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => NONE_KEY.to_owned(),
            Some(other) => other.to_string(),
        };
        out.insert(key, pair.get(1).cloned().unwrap_or(Value::Null));
    }
    Value::Object(out)
}

fn is_money(map: &Map<String, Value>) -> bool {
    map.len() == 2 && map.get("amount").is_some_and(Value::is_string) && map.contains_key("currency")
}

fn walk(prefix: &str, v: &Value, out: &mut Map<String, Value>) {
    let join = |k: &str| if prefix.is_empty() { k.to_owned() } else { format!("{prefix}.{k}") };
    match v {
        Value::Object(map) if is_money(map) => {
            out.insert(prefix.to_owned(), map.get("amount").cloned().unwrap_or(Value::Null));
        }
        Value::Object(map) if !map.is_empty() => {
            for (k, child) in map {
                walk(&join(k), child, out);
            }
        }
        Value::Array(items) if items.iter().any(|x| x.is_object() || x.is_array() || x.is_null()) => {
            out.insert(join("#"), Value::from(items.len()));
            for (i, child) in items.iter().enumerate() {
                walk(&join(&i.to_string()), child, out);
            }
        }
        leaf => {
            out.insert(prefix.to_owned(), leaf.clone());
        }
    }
}

#[test]
fn flattening_keeps_money_and_scalar_lists_whole() {
    let v = serde_json::json!({
        "a": {"amount": "1.00", "currency": "USD"},
        "b": [1, 2],
        "c": [{"x": 1}, null],
        "d": {},
    });
    let want = serde_json::json!({"a": "1.00", "b": [1, 2], "c.#": 2, "c.0.x": 1, "c.1": null, "d": {}});
    assert_eq!(flatten(&v), want);
    let pairs = serde_json::json!([[null, 1], ["x", 2]]);
    assert_eq!(pairs_to_object(&pairs), serde_json::json!({"(none)": 1, "x": 2}));
}
