//! Family runners of area `funnel`: lifecycle moves and overrides applied to a stage history,
//! stage history from recorded facts, and rejection routing.
//!
//! Funnels are read through their wire format (the agreement's); rejection policies are built
//! through [`RejectionPolicy::with`] (typed errors) and checked equal to their wire format.

use std::collections::BTreeSet;

use revops::facts::{FactSet, StageChange};
use revops::funnel::{ChangeKind, Funnel, RejectionAction, RejectionPolicy, StageHistory, Transition};
use revops::{Error, LeadId, StageId};
use serde_json::{Map, Value, json};

use super::business_time::{field, instant, plain, text, write_instant, write_opt_instant};
use super::{Case, Path};

fn funnel(def: &Value) -> Funnel {
    plain(def)
}

fn entries(history: &StageHistory) -> Value {
    let map: Map<String, Value> =
        history.first_entries().iter().map(|(stage, at)| (stage.as_str().to_owned(), write_instant(*at))).collect();
    Value::Object(map)
}

/// `funnel.moves`: facts `{lead, moves: [{stage, at, how}]}` applied in order.
pub(super) fn moves(case: &Case, _: Path) -> Result<Value, Error> {
    let (def, facts) = (&case.definition, &case.facts);
    let funnel = funnel(def);
    let lead = LeadId::new(text(facts, "lead"))?;
    let mut history = StageHistory::new();
    let mut results = Vec::new();
    for m in field(facts, "moves").as_array().into_iter().flatten() {
        let change =
            StageChange { entity: lead.clone(), stage: StageId::new(text(m, "stage"))?, at: instant(field(m, "at")) };
        let how: ChangeKind = plain(field(m, "how"));
        results.push(match history.apply(&funnel, change, how)? {
            Transition::Applied => json!("applied"),
            Transition::Refused(refusal) => json!({ "refused": refusal }),
        });
    }
    Ok(json!({
        "results": results,
        "current": history.current().map(StageId::as_str),
        "first_entries": entries(&history),
    }))
}

/// `funnel.history`: every lead's history from the recorded stage changes of `facts`.
pub(super) fn history(case: &Case, _: Path) -> Result<Value, Error> {
    let (def, facts, as_of) = (&case.definition, &case.facts, case.as_of());
    let funnel = funnel(def);
    let facts: FactSet = plain(facts);
    let leads: BTreeSet<&LeadId> = facts.stage_changes.iter().map(|c| &c.entity).collect();
    let mut out = Map::new();
    for lead in leads {
        let history = StageHistory::from_facts(&funnel, lead, &facts.stage_changes)?;
        out.insert(
            lead.as_str().to_owned(),
            json!({
                "current": history.current().map(StageId::as_str),
                "first_entries": entries(&history),
                "stage_at_as_of": history.stage_at(as_of).map(StageId::as_str),
            }),
        );
    }
    Ok(json!({ "entities": out }))
}

fn policy(def: &Value) -> Result<RejectionPolicy, Error> {
    let mut policy = RejectionPolicy::default();
    for (key, action) in def.as_object().into_iter().flatten() {
        policy = policy.with(key, plain::<RejectionAction>(action))?;
    }
    let wire: RejectionPolicy = serde_json::from_value(def.clone())
        .unwrap_or_else(|e| panic!("`with` accepts a policy its wire format refuses ({e}): {def}"));
    assert_eq!(wire, policy, "the wire format and `with` read different policies: {def}");
    Ok(policy)
}

/// `funnel.rejection`: the policy's decision for every disposition, in input order.
pub(super) fn rejection(case: &Case, _: Path) -> Result<Value, Error> {
    let (def, facts) = (&case.definition, &case.facts);
    let policy = policy(def)?;
    let facts: FactSet = plain(facts);
    let mut decisions = Vec::new();
    for d in &facts.dispositions {
        let decision =
            policy.decide(d)?.map(|x| json!({ "action": x.action, "requalify_at": write_opt_instant(x.requalify_at) }));
        decisions.push(json!({ "lead": d.lead.as_str(), "decision": decision }));
    }
    Ok(json!({ "decisions": decisions }))
}
