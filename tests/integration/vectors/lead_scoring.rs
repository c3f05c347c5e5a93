//! Family runners of area `lead_scoring`: fit and engagement scores with caps and decay, and
//! the MQL rule (nested all / any / not) over a lead's facts.
//!
//! The scoring model and the qualification are built through the public builders (typed
//! errors) and checked equal to the same definitions read through their wire format. The lead
//! is a `LeadFacts` (`facts.lead`): the scoring view no business fact carries.

use revops::Error;
use revops::funnel::{Decay, LeadFacts, Qualification, QualificationRule, ScoreGroup, ScoringModel};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::business_time::{field, plain, text};
use super::{Case, Path};

fn model(def: &Value) -> Result<ScoringModel, Error> {
    let mut builder = ScoringModel::builder();
    for g in field(def, "groups").as_array().into_iter().flatten() {
        builder = builder.group(plain::<ScoreGroup>(g));
    }
    if let Some(cap) = def.get("fit_cap") {
        builder = builder.fit_cap(plain(cap));
    }
    if let Some(cap) = def.get("engagement_cap") {
        builder = builder.engagement_cap(plain(cap));
    }
    if let Some(cap) = def.get("total_cap") {
        builder = builder.total_cap(plain(cap));
    }
    if let Some(decay) = def.get("decay") {
        builder = builder.decay(plain::<Decay>(decay));
    }
    let built = builder.build()?;
    let wire: ScoringModel = serde_json::from_value(def.clone())
        .unwrap_or_else(|e| panic!("the builder accepts a model its wire format refuses ({e}): {def}"));
    assert_eq!(wire, built, "the wire format and the builder read different models: {def}");
    Ok(built)
}

fn qualification(def: &Value) -> Result<Qualification, Error> {
    let built = Qualification::new(text(def, "name"), plain::<QualificationRule>(field(def, "rule")))?;
    let wire: Qualification = serde_json::from_value(def.clone())
        .unwrap_or_else(|e| panic!("the constructor accepts a rule its wire format refuses ({e}): {def}"));
    assert_eq!(wire, built, "the wire format and the constructor read different rules: {def}");
    Ok(built)
}

fn points(d: Decimal) -> Value {
    json!(format!("{d:.2}"))
}

/// `lead_scoring.score`: the lead's fit and engagement scores, their total (under the model's
/// `total_cap`) and each group's points.
pub(super) fn score(case: &Case, _: Path) -> Result<Value, Error> {
    let (def, facts, as_of) = (&case.definition, &case.facts, case.as_of());
    let model = model(def)?;
    let lead: LeadFacts = plain(field(facts, "lead"));
    let breakdown = model.breakdown(&lead, as_of);
    assert_eq!(breakdown.score, model.score(&lead, as_of), "breakdown and score differ");
    let groups: Vec<Value> = breakdown
        .groups
        .iter()
        .map(|g| json!({ "key": g.key, "kind": g.kind, "points": points(g.points), "capped": points(g.capped) }))
        .collect();
    Ok(json!({
        "fit": points(breakdown.score.fit),
        "engagement": points(breakdown.score.engagement),
        "total": points(breakdown.total),
        "groups": groups,
    }))
}

/// `lead_scoring.mql`: the MQL rule over the lead (scored first when the definition has a
/// scoring model).
pub(super) fn mql(case: &Case, _: Path) -> Result<Value, Error> {
    let (def, facts, as_of) = (&case.definition, &case.facts, case.as_of());
    let scoring = def.get("scoring").map(model).transpose()?;
    let q = qualification(field(def, "mql"))?;
    let mut lead: LeadFacts = plain(field(facts, "lead"));
    let mut out = serde_json::Map::new();
    if let Some(model) = &scoring {
        let s = model.score(&lead, as_of);
        out.insert("fit_score".into(), points(s.fit));
        out.insert("engagement_score".into(), points(s.engagement));
        lead.set_score(s);
    }
    let result = q.evaluate(&lead, as_of);
    out.insert("qualified".into(), json!(result.qualified()));
    out.insert("passed".into(), json!(result.passed(&q).collect::<Vec<_>>()));
    out.insert("failed".into(), json!(result.failed(&q).collect::<Vec<_>>()));
    Ok(Value::Object(out))
}
