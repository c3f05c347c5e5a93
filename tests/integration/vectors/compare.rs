//! How a vector's `expect` is compared with a result: one file, included by the crate's
//! vector runner and by `revops-datafusion`'s SQL conformance test (`#[path]`), so both
//! compare by the same rule. Depends on `serde_json` only.

use serde_json::Value;

/// Whether `actual` has exactly `expected`: an object `expect` pins only its own keys (each
/// compared whole); anything else is compared whole. Comparison is JSON equality, but for
/// numbers: integers compare exactly, and a float (statistical values only) compares to 1e-12.
/// `skip` names keys of `expect` the path does not produce.
pub(crate) fn compare(expected: &Value, actual: &Value, skip: &[&str]) -> Result<(), String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, want) in e {
                if skip.contains(&key.as_str()) {
                    continue;
                }
                match a.get(key) {
                    Some(got) if same(want, got) => {}
                    Some(got) => return Err(format!("field `{key}`: expected {want}, got {got}")),
                    None => {
                        return Err(format!("field `{key}`: expected {want}, the result has no such field: {actual}"));
                    }
                }
            }
            Ok(())
        }
        _ if same(expected, actual) => Ok(()),
        _ => Err(format!("expected {expected}, got {actual}")),
    }
}

/// JSON equality; floats within 1e-12.
#[allow(clippy::float_arithmetic)] // the tolerance of statistical values
fn same(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            matches!((x.as_f64(), y.as_f64()), (Some(x), Some(y)) if (x - y).abs() <= 1e-12)
        }
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y)),
        // A nested object is compared field by field; an `*_exact` field of the result (the
        // exact parts beside a rounded figure) counts only where the vector gives it.
        (Value::Object(a), Value::Object(b)) => {
            a.iter().all(|(k, x)| b.get(k).is_some_and(|y| same(x, y)))
                && b.keys().all(|k| a.contains_key(k) || k.ends_with("_exact"))
        }
        _ => expected == actual,
    }
}
