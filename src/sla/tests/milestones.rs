//! Milestones, response and disposition SLAs and the quality commitment, from facts.

use chrono::{DateTime, TimeZone, Utc};
use rust_decimal_macros::dec;

use super::super::*;
use crate::calendar::{BusinessCalendar, BusinessSpan};
use crate::facts::{Disposition, DispositionOutcome, FactSet, Lead, Reason, Response, ResponseKind, StageChange};
use crate::{Error, ErrorKind, LeadId, Probability, Ratio, StageId};

/// 2024-06-03 is a Monday.
fn at(d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 6, d, h, 0, 0).unwrap()
}

fn id(s: &str) -> LeadId {
    LeadId::new(s).unwrap()
}

fn stage(s: &str) -> StageId {
    StageId::new(s).unwrap()
}

/// MQL stage `mql`, handed over on entering `sal_queue`, SQL stage `sql`.
fn stages() -> MilestoneStages {
    MilestoneStages::new(stage("mql"), stage("sal_queue"), stage("sql"))
}

fn change(lead: &str, s: &str, at: DateTime<Utc>) -> StageChange {
    StageChange { entity: id(lead), stage: stage(s), at }
}

fn disposition(lead: &str, at: DateTime<Utc>, outcome: DispositionOutcome) -> Disposition {
    Disposition { lead: id(lead), at, outcome }
}

#[test]
fn milestones_follow_the_rules() {
    let lead = Lead::new(id("L1"), at(3, 9));
    let changes = [
        change("L1", "mql", at(4, 9)), // a re-entry: the first entry counts, in any order
        change("L1", "mql", at(3, 10)),
        change("L1", "sal_queue", at(3, 11)),
        change("L1", "nurture", at(3, 12)),
        change("L2", "mql", at(3, 9)), // another lead: skipped
        change("L1", "sql", at(5, 10)),
    ];
    let responses = [
        Response::new(id("L1"), at(3, 9), ResponseKind::Email), // before the MQL: not a follow-up
        Response::new(id("L1"), at(3, 14), ResponseKind::Email),
        Response::new(id("L1"), at(3, 16), ResponseKind::Call),
        Response::new(id("L2"), at(3, 10), ResponseKind::Call),
    ];
    let dispositions = [
        disposition("L1", at(4, 12), DispositionOutcome::Recycled { reason: Reason::BadTiming }),
        disposition("L1", at(4, 10), DispositionOutcome::Accepted),
    ];
    let m = LeadMilestones::from_facts(&stages(), &lead, &changes, &responses, &dispositions).unwrap();
    assert_eq!((m.lead().as_str(), m.created()), ("L1", at(3, 9)));
    assert_eq!((m.mql(), m.handoff(), m.sql()), (Some(at(3, 10)), Some(at(3, 11)), Some(at(5, 10))));
    assert_eq!(m.touches().len(), 3);
    assert_eq!(m.disposition(), Some((at(4, 10), &DispositionOutcome::Accepted)));

    let any = ResponsePolicy::new("any", ClockStart::Mql, BusinessSpan::hours(4)).unwrap();
    assert_eq!(any.instance(&m), Some(SlaInstance::new(at(3, 10), Some(at(3, 14)))));
    let calls = any.clone().with_qualifying_touches([ResponseKind::Call, ResponseKind::Meeting]).unwrap();
    assert_eq!(calls.instance(&m).and_then(|i| i.stop), Some(at(3, 16)));
    let created = ResponsePolicy::new("c", ClockStart::LeadCreated, BusinessSpan::hours(4)).unwrap();
    assert_eq!(created.instance(&m).and_then(|i| i.stop), Some(at(3, 9))); // at the start counts
    let d = DispositionPolicy::new("d", BusinessSpan::business_days(2)).unwrap();
    assert_eq!(d.instance(&m), Some(SlaInstance::new(at(3, 11), Some(at(4, 10)))));
    assert!(any.clone().with_qualifying_touches([]).is_err());

    // Evaluation from the milestones; before the clock start nothing is known yet.
    let calendar = BusinessCalendar::builder("UTC").weekdays("09:00-17:00".parse().unwrap()).build().unwrap();
    let outcome = any.evaluate_lead(&calendar, &m, at(6, 0)).unwrap().unwrap();
    assert_eq!((outcome.status, outcome.business_elapsed.num_hours()), (SlaStatus::Met, 4));
    assert_eq!(any.evaluate_lead(&calendar, &m, at(3, 9)).unwrap(), None);
    assert_eq!(d.evaluate_lead(&calendar, &m, at(6, 0)).unwrap().map(|o| o.status), Some(SlaStatus::Met));
    // A clock error names the lead.
    let old = |d| Utc.with_ymd_and_hms(1650, 1, d, 10, 0, 0).unwrap();
    let facts = [StageChange { entity: id("L1"), stage: stage("mql"), at: old(3) }];
    let open = LeadMilestones::from_facts(&stages(), &Lead::new(id("L1"), old(2)), &facts, &[], &[]).unwrap();
    let err = any.evaluate_lead(&calendar, &open, old(9)).unwrap_err();
    assert_eq!(err.record(), Some(&crate::Record::Lead(id("L1"))), "{err:?}");
}

/// Regression (issue 11 item 1): the caller filled `LeadMilestones` by hand and nothing checked
/// it, so an MQL before the lead's creation, a handoff before the MQL or a sales touch before
/// the creation gave SLA outcomes without a word. Each is now an error naming the lead.
#[test]
fn out_of_order_milestones_are_errors_naming_the_lead() {
    let lead = Lead::new(id("L9"), at(4, 9));
    let derive = |changes: &[StageChange], responses: &[Response], dispositions: &[Disposition]| {
        LeadMilestones::from_facts(&stages(), &lead, changes, responses, dispositions).unwrap_err()
    };
    let out_of_order = |err: Error| match err.into_kind() {
        ErrorKind::MilestoneOutOfOrder { lead, milestone, follows, .. } => (lead, milestone, follows),
        other => panic!("expected MilestoneOutOfOrder, got {other:?}"),
    };
    let mql_early = derive(&[change("L9", "mql", at(3, 9))], &[], &[]);
    assert_eq!(
        mql_early.to_string(),
        "lead `L9`: mql at 2024-06-03 09:00:00 UTC is before its creation at 2024-06-04 09:00:00 UTC"
    );
    assert_eq!(out_of_order(mql_early), ("L9".to_owned(), "mql", "creation"));
    let handoff_early = derive(&[change("L9", "mql", at(4, 12)), change("L9", "sal_queue", at(4, 10))], &[], &[]);
    assert_eq!(out_of_order(handoff_early), ("L9".to_owned(), "handoff", "mql"));
    let touch_early = derive(&[], &[Response::new(id("L9"), at(4, 8), ResponseKind::Call)], &[]);
    assert_eq!(out_of_order(touch_early), ("L9".to_owned(), "sales touch", "creation"));
    let disposed_early = derive(
        &[change("L9", "sal_queue", at(4, 12))],
        &[],
        &[disposition("L9", at(4, 11), DispositionOutcome::Accepted)],
    );
    assert_eq!(out_of_order(disposed_early), ("L9".to_owned(), "disposition", "handoff"));
}

#[test]
fn from_fact_set_indexes_every_lead_and_drops_nothing() {
    let mut facts = FactSet::default();
    facts.leads.push(Lead::new(id("A"), at(3, 9)));
    facts.leads.push(Lead::new(id("B"), at(3, 9)));
    facts.stage_changes.push(change("B", "mql", at(3, 10)));
    facts.responses.push(Response::new(id("B"), at(3, 11), ResponseKind::Meeting));
    let all = LeadMilestones::from_fact_set(&stages(), &facts).unwrap();
    assert_eq!(
        all.iter().map(|m| (m.lead().as_str(), m.mql())).collect::<Vec<_>>(),
        [("A", None), ("B", Some(at(3, 10)))]
    );
    facts.dispositions.push(disposition("C", at(3, 12), DispositionOutcome::Accepted));
    assert_eq!(
        LeadMilestones::from_fact_set(&stages(), &facts).unwrap_err(),
        ErrorKind::UnknownKey { kind: "lead", key: "C".to_owned() }
    );
    facts.dispositions.clear();
    facts.leads.push(Lead::new(id("A"), at(3, 9)));
    assert!(matches!(
        LeadMilestones::from_fact_set(&stages(), &facts).as_ref().map_err(crate::error::Error::kind),
        Err(ErrorKind::DuplicateKey { .. })
    ));
}

#[cfg(feature = "serde")]
#[test]
fn milestones_are_checked_when_deserialized() {
    let lead = Lead::new(id("L1"), at(3, 9));
    let m = LeadMilestones::from_facts(&stages(), &lead, &[change("L1", "mql", at(3, 10))], &[], &[]).unwrap();
    let json = serde_json::to_string(&m).unwrap();
    assert_eq!(serde_json::from_str::<LeadMilestones>(&json).unwrap(), m);
    let early = json.replace("2024-06-03T10:00:00Z", "2024-06-02T10:00:00Z");
    let err = serde_json::from_str::<LeadMilestones>(&early).unwrap_err().to_string();
    assert!(err.contains("lead `L1`: mql at 2024-06-02 10:00:00 UTC is before its creation"), "{err}");
}

#[test]
fn quality_commitment_reads_dispositions() {
    let quality = QualityCommitment::new("quality")
        .unwrap()
        .min_meeting_rules(Probability::from_percent(90).unwrap())
        .min_acceptance(Probability::from_percent(60).unwrap())
        .min_mql_to_sql(Probability::from_percent(25).unwrap());
    let mut facts = FactSet::default();
    let outcomes = [
        (Some(DispositionOutcome::Accepted), true),
        (Some(DispositionOutcome::Accepted), false),
        (Some(DispositionOutcome::Recycled { reason: Reason::BadTiming }), false),
        (None, false),
        (Some(DispositionOutcome::Rejected { reason: Reason::Other("wrong country".into()) }), false),
    ];
    for (n, (outcome, sql)) in outcomes.into_iter().enumerate() {
        let lead = format!("L{n}");
        facts.leads.push(Lead::new(id(&lead), at(3, 9)));
        facts.stage_changes.push(change(&lead, "mql", at(3, 10)));
        facts.stage_changes.push(change(&lead, "sal_queue", at(3, 10)));
        if sql {
            facts.stage_changes.push(change(&lead, "sql", at(5, 10)));
        }
        if let Some(outcome) = outcome {
            facts.dispositions.push(disposition(&lead, at(4, 10), outcome));
        }
    }
    facts.leads.push(Lead::new(id("not_an_mql"), at(3, 9)));
    let mut q = QualityTally::new(&quality);
    let milestones = LeadMilestones::from_fact_set(&stages(), &facts).unwrap();
    for (n, m) in milestones.iter().enumerate() {
        if let Some(fact) = QualityFact::from_milestones(m, n != 2) {
            q.push(&fact).unwrap();
        }
    }
    let r = q.finish();
    assert_eq!(r.mqls, 5);
    assert_eq!(r.meeting_rules, Ratio::new(4, 5));
    assert_eq!(r.acceptance, Ratio::new(2, 4));
    assert_eq!(r.mql_to_sql, Ratio::new(1, 5));
    let met: Vec<_> = r.checks.iter().map(|c| (c.metric, c.met, c.gap_points)).collect();
    assert_eq!(
        met,
        [
            (QualityMetric::MeetingRules, Some(false), Some(dec!(10))),
            (QualityMetric::Acceptance, Some(false), Some(dec!(10))),
            (QualityMetric::MqlToSql, Some(false), Some(dec!(5))),
        ]
    );
    let reasons: Vec<_> = r.reasons.iter().map(|(reason, n)| (reason.to_string(), *n)).collect();
    assert_eq!(reasons, [("bad_timing".to_owned(), 1), ("other: wrong country".to_owned(), 1)]);
    let empty = QualityTally::new(&quality).finish();
    assert!(empty.checks.iter().all(|c| c.met.is_none()));
}

#[cfg(feature = "serde")]
#[test]
fn quality_state_keeps_typed_reasons() {
    let quality = QualityCommitment::new("q").unwrap();
    let lead = Lead::new(id("L1"), at(3, 9));
    let other = DispositionOutcome::Rejected { reason: Reason::Other("wrong country".into()) };
    let m = LeadMilestones::from_facts(
        &stages(),
        &lead,
        &[change("L1", "mql", at(3, 10))],
        &[],
        &[disposition("L1", at(3, 11), other)],
    )
    .unwrap();
    let mut q = QualityTally::new(&quality);
    q.push(&QualityFact::from_milestones(&m, true).unwrap()).unwrap();
    let json = serde_json::to_string(&q).unwrap();
    assert!(json.contains(r#""reasons":[[{"other":"wrong country"},1]]"#), "{json}");
    assert_eq!(serde_json::from_str::<QualityTally>(&json).unwrap(), q);
    let twice = json.replace(r#"[[{"other":"wrong country"},1]]"#, r#"[["bad_fit",1],["bad_fit",0]]"#);
    assert!(serde_json::from_str::<QualityTally>(&twice).is_err());
    assert!(serde_json::to_string(&q.finish()).unwrap().contains(r#""reasons":[[{"other":"wrong country"},1]]"#));
}

/// The quality view of one MQL with `outcome`, built from facts.
#[cfg(feature = "serde")]
pub(super) fn quality_fact(meets_rules: bool, outcome: Option<DispositionOutcome>, sql: bool) -> QualityFact {
    let lead = Lead::new(id("Q"), at(3, 9));
    let mut changes = vec![change("Q", "mql", at(3, 10))];
    if sql {
        changes.push(change("Q", "sql", at(4, 10)));
    }
    let dispositions: Vec<_> = outcome.into_iter().map(|o| disposition("Q", at(3, 12), o)).collect();
    let m = LeadMilestones::from_facts(&stages(), &lead, &changes, &[], &dispositions).unwrap();
    QualityFact::from_milestones(&m, meets_rules).unwrap()
}
