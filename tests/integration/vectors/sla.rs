//! Family runners of area `sla`: one instance (with pauses) under one policy, the response and
//! disposition outcomes of leads derived from facts, and compliance by team.
//!
//! The definition is an SLA part of the agreement with its calendar inline: `calendar`,
//! `milestones`, `policies` (and, for compliance, `teams`). Policies are built through the
//! public constructors (typed errors) and checked equal to their wire format.

use chrono::{DateTime, Utc};
use revops::agreement::TeamRule;
use revops::agreement::scorecard::UNASSIGNED;
use revops::calendar::{BusinessCalendar, BusinessSpan};
use revops::facts::{FactSet, ResponseKind};
use revops::sla::{
    ClockStart, ComplianceReport, DispositionPolicy, LeadMilestones, MilestoneStages, Pause, ResponsePolicy,
    SlaInstance, SlaOutcome, SlaStatus,
};
use revops::{Error, Probability};
use serde_json::{Map, Value, json};

use super::business_time::{calendar, field, instant, plain, seconds, text, write_instant, write_opt_instant};
use super::sla_group::group;
use super::{Case, Path};

/// A policy of the definition: response or disposition.
enum Policy {
    Response(ResponsePolicy),
    Disposition(DispositionPolicy),
}

impl Policy {
    fn evaluate(
        &self,
        clock: &BusinessCalendar,
        instance: &SlaInstance,
        as_of: DateTime<Utc>,
    ) -> Result<SlaOutcome, Error> {
        match self {
            Policy::Response(p) => p.evaluate(clock, instance, as_of),
            Policy::Disposition(p) => p.evaluate(clock, instance, as_of),
        }
    }
}

fn at_risk(v: &Value) -> Result<Option<Probability>, Error> {
    v.get("at_risk").map(|p| p.as_str().unwrap_or_default().parse::<Probability>()).transpose()
}

fn response(v: &Value) -> Result<ResponsePolicy, Error> {
    let start: ClockStart = plain(field(v, "clock_start"));
    let target: BusinessSpan = text(v, "target").parse()?;
    let mut policy = ResponsePolicy::new(text(v, "name"), start, target)?;
    if let Some(p) = at_risk(v)? {
        policy = policy.with_at_risk(p)?;
    }
    if let Some(kinds) = v.get("qualifying_touches") {
        policy = policy.with_qualifying_touches(plain::<Vec<ResponseKind>>(kinds))?;
    }
    let wire: ResponsePolicy = serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{e}: {v}"));
    assert_eq!(wire, policy, "wire format and constructors differ: {v}");
    Ok(policy)
}

fn disposition(v: &Value) -> Result<DispositionPolicy, Error> {
    let within: BusinessSpan = text(v, "within").parse()?;
    let mut policy = DispositionPolicy::new(text(v, "name"), within)?;
    if let Some(p) = at_risk(v)? {
        policy = policy.with_at_risk(p)?;
    }
    let wire: DispositionPolicy = serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{e}: {v}"));
    assert_eq!(wire, policy, "wire format and constructors differ: {v}");
    Ok(policy)
}

/// The response and disposition policies of `definition.policies`.
fn policies(def: &Value) -> Result<(Option<ResponsePolicy>, Option<DispositionPolicy>), Error> {
    let p = field(def, "policies");
    Ok((p.get("response").map(response).transpose()?, p.get("disposition").map(disposition).transpose()?))
}

/// An outcome as the vectors write it.
fn outcome(o: &SlaOutcome) -> Value {
    let mut out = Map::new();
    match o.status {
        SlaStatus::Met => {
            out.insert("status".into(), json!("met"));
        }
        SlaStatus::Breached { by } => {
            out.insert("status".into(), json!("breached"));
            out.insert("breached_by_seconds".into(), json!(seconds(by)));
        }
        SlaStatus::Active { remaining, at_risk } => {
            out.insert("status".into(), json!("active"));
            out.insert("remaining_seconds".into(), json!(seconds(remaining)));
            out.insert("at_risk".into(), json!(at_risk));
        }
        SlaStatus::Paused => {
            out.insert("status".into(), json!("paused"));
        }
        other => panic!("a status the vectors do not know: {other:?}"),
    }
    out.insert("start".into(), write_instant(o.start));
    out.insert("deadline".into(), write_opt_instant(o.deadline));
    out.insert("stop".into(), write_opt_instant(o.stop));
    out.insert("target_seconds".into(), json!(seconds(o.target)));
    out.insert("business_elapsed_seconds".into(), json!(seconds(o.business_elapsed)));
    out.insert("paused_seconds".into(), json!(seconds(o.paused)));
    out.insert("wall_elapsed_seconds".into(), json!(seconds(o.wall_elapsed)));
    out.insert("elapsed_percent".into(), o.elapsed_percent().map_or(Value::Null, |p| json!(p.normalize().to_string())));
    Value::Object(out)
}

/// `sla.instance`: facts `{instance: {start, stop, pauses}}`, evaluated as of `as_of` under the
/// one policy of the definition.
pub(super) fn instance(case: &Case, _: Path) -> Result<Value, Error> {
    let (def, facts, as_of) = (&case.definition, &case.facts, case.as_of());
    let calendar = calendar(field(def, "calendar"))?;
    let policy = match policies(def)? {
        (Some(r), None) => Policy::Response(r),
        (None, Some(d)) => Policy::Disposition(d),
        _ => panic!("an sla.instance case holds exactly one policy: {def}"),
    };
    let i = field(facts, "instance");
    let stop = i.get("stop").filter(|s| !s.is_null()).map(instant);
    let mut inst = SlaInstance::new(instant(field(i, "start")), stop);
    for p in i.get("pauses").and_then(Value::as_array).into_iter().flatten() {
        inst =
            inst.with_pause(Pause::new(instant(field(p, "start")), p.get("end").filter(|e| !e.is_null()).map(instant)));
    }
    let evaluated = policy.evaluate(&calendar, &inst, as_of)?;
    Ok(outcome(&evaluated))
}

/// A definition's calendar and policies with the facts and every lead's milestones.
struct Leads {
    calendar: BusinessCalendar,
    response: Option<ResponsePolicy>,
    disposition: Option<DispositionPolicy>,
    facts: FactSet,
    milestones: Vec<LeadMilestones>,
}

/// The milestones of every lead of `facts`, with the definition's policies and calendar.
fn leads(def: &Value, facts: &Value) -> Result<Leads, Error> {
    let calendar = calendar(field(def, "calendar"))?;
    let (response, disposition) = policies(def)?;
    let stages: MilestoneStages = plain(field(def, "milestones"));
    let facts: FactSet = plain(facts);
    let milestones = LeadMilestones::from_fact_set(&stages, &facts)?;
    Ok(Leads { calendar, response, disposition, facts, milestones })
}

/// `sla.lead`: every lead's response and disposition outcome (null before its clock starts).
pub(super) fn lead(case: &Case, _: Path) -> Result<Value, Error> {
    let (def, facts, as_of) = (&case.definition, &case.facts, case.as_of());
    let Leads { calendar, response, disposition, milestones, .. } = leads(def, facts)?;
    let mut rows = Vec::new();
    for m in &milestones {
        let mut row = Map::new();
        row.insert("lead".into(), json!(m.lead().as_str()));
        if let Some(p) = &response {
            row.insert("response".into(), p.evaluate_lead(&calendar, m, as_of)?.as_ref().map_or(Value::Null, outcome));
        }
        if let Some(p) = &disposition {
            row.insert(
                "disposition".into(),
                p.evaluate_lead(&calendar, m, as_of)?.as_ref().map_or(Value::Null, outcome),
            );
        }
        rows.push(Value::Object(row));
    }
    Ok(json!({ "leads": rows }))
}

/// `sla.compliance`: the response policy's outcomes grouped by the definition's team rule.
pub(super) fn compliance(case: &Case, _: Path) -> Result<Value, Error> {
    let (def, facts, as_of) = (&case.definition, &case.facts, case.as_of());
    let Leads { calendar, response, facts, milestones, .. } = leads(def, facts)?;
    let policy = response.unwrap_or_else(|| panic!("sla.compliance needs a response policy: {def}"));
    let rule: TeamRule = def.get("teams").map(plain).unwrap_or_default();
    let target = policy.target().as_time().unwrap_or_else(|| panic!("compliance vectors use a time target"));
    let mut report = ComplianceReport::<String>::new(target)?;
    for m in &milestones {
        let Some(o) = policy.evaluate_lead(&calendar, m, as_of)? else { continue };
        let lead = facts.leads.iter().find(|l| &l.id == m.lead()).unwrap_or_else(|| panic!("lead {}", m.lead()));
        let team = match &rule {
            TeamRule::LeadOwner => rule.lead_team(lead).map(str::to_owned),
            _ => lead
                .account
                .as_ref()
                .and_then(|a| facts.accounts.iter().find(|x| &x.id == a))
                .and_then(|a| rule.account_team(a)),
        };
        report.push(team.unwrap_or_else(|| UNASSIGNED.to_owned()), m.lead().clone(), &o)?;
    }
    let summary = report.finish()?;
    let groups: Map<String, Value> = summary.groups.iter().map(|(k, g)| (k.clone(), group(g))).collect();
    Ok(json!({ "groups": groups, "total": group(&summary.total) }))
}
