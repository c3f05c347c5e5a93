//! How the SLA vectors write one group's compliance: one file, included by the crate's vector
//! runner and by `revops-datafusion`'s SQL conformance test (`#[path]`).

use revops::sla::GroupCompliance;
use serde_json::{Value, json};

/// A group's compliance as the `sla.compliance` vectors write it.
pub(crate) fn group(g: &GroupCompliance) -> Value {
    json!({
        "met": g.met,
        "breached": g.breached,
        "active": g.active,
        "at_risk": g.at_risk,
        "paused": g.paused,
        "compliance": { "numerator": g.compliance.numerator().to_string(), "denominator": g.compliance.denominator().to_string() },
    })
}
