//! [`Change`]: what changed between two versions of an agreement, in words.

use core::fmt;

use serde_json::Value;

use super::{AgreementParts, canonical};

/// One definition that changed between two versions of an agreement: where, before, after.
///
/// Displays as `"<part> <path>: <before> -> <after>"`, e.g.
/// `SLA sales_follow_up.policies.response.target: "4h" -> "2h"`; a value that one version
/// lacks shows `(none)`. The MQL rule changes as a whole and shows its plain words
/// ([`Qualification::describe`](crate::funnel::Qualification::describe)):
/// `MQL rule: fit score at least 40 points -> fit score at least 50 points`. Values are canonical JSON (see [`Fingerprint`](super::Fingerprint)). Example:
/// [`Agreement::diff`](super::Agreement::diff).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Change {
    /// The part in words: `"MQL rule"`, `"SLA"`, `"calendar"`, ...
    pub part: String,
    /// The path within the part: object keys joined by `.`, array items as `[i]`; empty when
    /// the whole part changed.
    pub path: String,
    /// The older value, canonical JSON; `None` when the older version lacks it.
    pub before: Option<String>,
    /// The newer value, canonical JSON; `None` when the newer version lacks it.
    pub after: Option<String>,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".to_owned());
        let at = if self.path.is_empty() { String::new() } else { format!(" {}", self.path) };
        write!(f, "{}{at}: {} -> {}", self.part, show(&self.before), show(&self.after))
    }
}

/// The parts of an agreement in document order, with their names in words.
const PARTS: [(&str, &str); 15] = [
    ("name", "name"),
    ("version", "version"),
    ("effective", "effective date"),
    ("reporting_zone", "reporting zone"),
    ("calendars", "calendar"),
    ("funnel", "funnel"),
    ("scoring", "lead scoring"),
    ("mql", "MQL rule"),
    ("icp", "ICP"),
    ("tiers", "tiers"),
    ("sla", "SLA"),
    ("attribution", "attribution"),
    ("kpis", "KPIs"),
    ("rates", "currency rates"),
    ("crm", "CRM mapping"),
];

/// Every change from `old` to `new`, in document order; within a part, object keys in sorted
/// order and array items by position.
pub(super) fn between(old_parts: &AgreementParts, new_parts: &AgreementParts) -> Vec<Change> {
    let (Ok(Value::Object(old)), Ok(Value::Object(new))) = (canonical::value(old_parts), canonical::value(new_parts))
    else {
        // Both were serialized once already when the agreements were built.
        return Vec::new();
    };
    let mut changes = Vec::new();
    for (key, words) in PARTS {
        if key == "mql" {
            // The MQL rule reads best whole, in words.
            if old.get(key) != new.get(key) {
                let describe =
                    |q: &Option<crate::funnel::Qualification>| q.as_ref().map(crate::funnel::Qualification::describe);
                changes.push(Change {
                    part: words.to_owned(),
                    path: String::new(),
                    before: describe(&old_parts.mql),
                    after: describe(&new_parts.mql),
                });
            }
            continue;
        }
        walk(words, String::new(), old.get(key), new.get(key), &mut changes);
    }
    changes
}

/// The changes between two values at `path` of `part`.
fn walk(part: &str, path: String, old: Option<&Value>, new: Option<&Value>, out: &mut Vec<Change>) {
    match (old, new) {
        (Some(a), Some(b)) if a == b => {}
        (None | Some(Value::Null), None | Some(Value::Null)) => {}
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort_unstable_by(|x, y| x.as_bytes().cmp(y.as_bytes()));
            keys.dedup();
            for key in keys {
                let inner = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                walk(part, inner, a.get(key), b.get(key), out);
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) => {
            for i in 0..a.len().max(b.len()) {
                walk(part, format!("{path}[{i}]"), a.get(i), b.get(i), out);
            }
        }
        _ => out.push(Change {
            part: part.to_owned(),
            path,
            before: old.filter(|v| !v.is_null()).map(canonical::text),
            after: new.filter(|v| !v.is_null()).map(canonical::text),
        }),
    }
}
