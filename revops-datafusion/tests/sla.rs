//! SLA compliance in SQL: the crate's `sla.compliance` vectors (`tests/vectors/sla/`) and the
//! sample company's leads, with the SLA instances derived in SQL from the stage change and
//! response tables and evaluated by `revops_sla_compliance`, equal the crate's
//! [`ComplianceReport`] over [`LeadMilestones`] at one, two and three partitions.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use datafusion::arrow::array::{Array, ArrayRef, AsArray, RecordBatch, StringArray};
use datafusion::prelude::{SessionConfig, SessionContext};
use revops::calendar::{BusinessCalendar, BusinessSpan};
use revops::facts::{FactSet, ResponseKind};
use revops::sla::{ClockStart, ComplianceReport, GroupCompliance, LeadMilestones, MilestoneStages, ResponsePolicy};
use revops::testkit::Company;
use revops_datafusion::{leads_to_batch, register, responses_to_batch, stage_changes_to_batch};
use serde_json::{Value, json};

mod common;
#[path = "../../tests/integration/vectors/compare.rs"]
mod compare;

#[path = "../../tests/integration/vectors/sla_group.rs"]
mod sla_group;

use common::{quoted, table};
use sla_group::group;

type TestResult = Result<(), Box<dyn std::error::Error>>;
type Failure = Box<dyn std::error::Error>;

const UNASSIGNED: &str = "(unassigned)";

/// How a lead's team is found: its owner, or its account's region.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Teams {
    LeadOwner,
    AccountRegion,
}

/// The facts as tables (leads, stage changes, responses and, for regions, accounts).
fn context(facts: &FactSet, partitions: usize) -> Result<SessionContext, Failure> {
    let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(partitions));
    register(&ctx);
    ctx.register_table("leads", Arc::new(table(&leads_to_batch(&facts.leads)?, partitions)?))?;
    ctx.register_table("stage_changes", Arc::new(table(&stage_changes_to_batch(&facts.stage_changes)?, partitions)?))?;
    ctx.register_table("responses", Arc::new(table(&responses_to_batch(&facts.responses)?, partitions)?))?;
    let id: StringArray = facts.accounts.iter().map(|a| Some(a.id.as_str())).collect();
    let region: StringArray = facts.accounts.iter().map(|a| a.region.as_deref()).collect();
    let accounts = RecordBatch::try_from_iter([("id", Arc::new(id) as ArrayRef), ("region", Arc::new(region))])?;
    ctx.register_table("accounts", Arc::new(table(&accounts, partitions)?))?;
    Ok(ctx)
}

/// The SQL of a response policy's compliance by team: instances from the first entry into
/// `stage` to the first response of `kinds` (all kinds if empty) at or after it.
fn compliance_sql(definition: &Value, as_of: DateTime<Utc>, stage: &str, kinds: &[&str], teams: Teams) -> String {
    let kinds = if kinds.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = kinds.iter().map(|k| quoted(k)).collect();
        format!(" AND r.kind IN ({})", list.join(", "))
    };
    let team = match teams {
        Teams::LeadOwner => "l.owner".to_owned(),
        Teams::AccountRegion => "a.region".to_owned(),
    };
    format!(
        "WITH starts AS (SELECT entity AS lead, MIN(at) AS start FROM stage_changes WHERE stage = {stage} GROUP BY entity), \
         stops AS (SELECT s.lead, MIN(r.at) AS stop FROM starts s JOIN responses r ON r.lead = s.lead AND r.at >= s.start{kinds} GROUP BY s.lead), \
         instances AS (SELECT l.id AS lead, COALESCE({team}, {unassigned}) AS team, s.start, p.stop \
           FROM leads l JOIN starts s ON s.lead = l.id LEFT JOIN stops p ON p.lead = l.id \
           LEFT JOIN accounts a ON a.id = l.account) \
         SELECT team, revops_sla_compliance({definition}, {as_of}, lead, start, stop) FROM instances GROUP BY team \
         UNION ALL SELECT NULL, revops_sla_compliance({definition}, {as_of}, lead, start, stop) FROM instances",
        stage = quoted(stage),
        unassigned = quoted(UNASSIGNED),
        definition = quoted(&definition.to_string()),
        as_of = quoted(&as_of.to_rfc3339()),
    )
}

/// Compliance per team and in total (the `NULL` team), from SQL.
async fn sql_compliance(
    ctx: &SessionContext,
    sql: &str,
) -> Result<(BTreeMap<String, GroupCompliance>, Option<GroupCompliance>), Failure> {
    let mut groups = BTreeMap::new();
    let mut total = None;
    for batch in ctx.sql(sql).await?.collect().await? {
        let (team, result) = (batch.column(0).as_string::<i32>(), batch.column(1).as_string::<i32>());
        for row in 0..batch.num_rows() {
            let compliance: GroupCompliance = serde_json::from_str(result.value(row))?;
            if team.is_null(row) {
                total = Some(compliance);
            } else {
                groups.insert(team.value(row).to_owned(), compliance);
            }
        }
    }
    Ok((groups, total))
}

#[tokio::test]
async fn the_sla_compliance_vectors_pass_through_sql() -> TestResult {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/sla/compliance.json");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
    let cases = file.get("cases").and_then(Value::as_array).ok_or("no cases")?;
    let mut failures = Vec::new();
    for case in cases {
        let name = case.get("name").and_then(Value::as_str).unwrap_or("?");
        let def = case.get("definition").ok_or("no definition")?;
        let as_of: DateTime<Utc> = case.get("as_of").and_then(Value::as_str).ok_or("no as_of")?.parse()?;
        let facts: FactSet = serde_json::from_value(case.get("facts").cloned().ok_or("no facts")?)?;
        let response = def.pointer("/policies/response").ok_or("a response policy")?;
        let policy: ResponsePolicy = serde_json::from_value(response.clone())?;
        let stages: MilestoneStages = serde_json::from_value(def.get("milestones").cloned().ok_or("milestones")?)?;
        let stage = match policy.clock_start() {
            ClockStart::Mql => stages.mql.as_str().to_owned(),
            ClockStart::Handoff => stages.handoff.as_str().to_owned(),
            other => {
                return Err(format!("{name}: a clock start the SQL of this test does not derive: {other:?}").into());
            }
        };
        let kinds: Vec<&str> = ResponseKind::ALL.iter().filter(|k| policy.qualifies(**k)).map(|k| k.as_str()).collect();
        let kinds = if kinds.len() == ResponseKind::ALL.len() { Vec::new() } else { kinds };
        let teams = match def.get("teams").and_then(Value::as_str) {
            Some("account_region") => Teams::AccountRegion,
            _ => Teams::LeadOwner,
        };
        let definition = json!({ "calendar": def.get("calendar"), "response": response });
        let sql = compliance_sql(&definition, as_of, &stage, &kinds, teams);
        for partitions in [1, 2, 3] {
            let (groups, total) = sql_compliance(&context(&facts, partitions)?, &sql).await?;
            let total = total.ok_or("no total")?;
            let groups: serde_json::Map<String, Value> = groups.iter().map(|(k, g)| (k.clone(), group(g))).collect();
            let actual = json!({ "groups": groups, "total": group(&total) });
            if let Err(why) = compare::compare(case.get("expect").ok_or("no expect")?, &actual, &[]) {
                failures.push(format!("{name} [{partitions} partitions]: {why}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    assert!(cases.len() >= 4, "{} cases", cases.len());
    Ok(())
}

#[tokio::test]
async fn sla_compliance_in_sql_equals_the_crate_on_the_sample_company() -> TestResult {
    let facts = Company::new(21, 400)?.facts();
    let calendar: BusinessCalendar = serde_json::from_value(json!({
        "zone": "America/New_York",
        "week": { "monday": ["09:00-17:00"], "tuesday": ["09:00-17:00"], "wednesday": ["09:00-17:00"],
                  "thursday": ["09:00-17:00"], "friday": ["09:00-17:00"] },
        "holidays": ["2024-07-04", "2024-12-25"]
    }))?;
    let policy = ResponsePolicy::new("follow_up", ClockStart::Mql, BusinessSpan::hours(4))?
        .with_qualifying_touches([ResponseKind::Call, ResponseKind::Meeting])?;
    let mql = facts.stage_changes.first().map(|c| c.stage.clone()).ok_or("no stage changes")?;
    let stages = MilestoneStages::new(mql.clone(), mql.clone(), mql.clone());
    // As of the last stage change: some instances still open.
    let as_of = facts.stage_changes.iter().map(|c| c.at).max().ok_or("no stage changes")?;

    let mut report = ComplianceReport::<String>::new(policy.target().nominal_time(&calendar)?)?;
    for m in LeadMilestones::from_fact_set(&stages, &facts)? {
        let Some(outcome) = policy.evaluate_lead(&calendar, &m, as_of)? else { continue };
        let lead = facts.leads.iter().find(|l| &l.id == m.lead()).ok_or("a lead")?;
        let owner = lead.owner.as_ref().map_or(UNASSIGNED.to_owned(), |o| o.as_str().to_owned());
        report.push(owner, m.lead().clone(), &outcome)?;
    }
    let expected = report.finish()?;
    assert!(expected.total.met > 0 && expected.total.breached > 0 && expected.groups.len() > 1, "{expected:?}");

    let definition = json!({ "calendar": calendar, "response": policy });
    let sql = compliance_sql(&definition, as_of, mql.as_str(), &["call", "meeting"], Teams::LeadOwner);
    for partitions in [1, 2, 3] {
        let (groups, total) = sql_compliance(&context(&facts, partitions)?, &sql).await?;
        assert_eq!(groups, expected.groups, "{partitions} partitions");
        assert_eq!(total.as_ref(), Some(&expected.total), "{partitions} partitions");
    }
    Ok(())
}

/// Whether `sql` fails to plan or to run.
async fn fails(ctx: &SessionContext, sql: &str) -> bool {
    match ctx.sql(sql).await {
        Err(_) => true,
        Ok(frame) => frame.collect().await.is_err(),
    }
}

#[tokio::test]
async fn bad_sla_rows_and_definitions_are_errors() -> TestResult {
    let facts = Company::new(21, 40)?.facts();
    let ctx = context(&facts, 1)?;
    let calendar = json!({ "zone": "UTC", "week": { "monday": ["09:00-17:00"] } });
    let response = json!({ "name": "follow_up", "clock_start": "mql", "target": "2h" });
    let call = |definition: Value, select: &str| {
        format!(
            "SELECT revops_sla_compliance({}, '2030-01-01T00:00:00Z', {select}) FROM leads",
            quoted(&definition.to_string())
        )
    };
    // A stop before its start names the lead.
    let sql =
        call(json!({ "calendar": calendar, "response": response }), "id, created_at, created_at - INTERVAL '1' HOUR");
    let error = ctx.sql(&sql).await?.collect().await.err().ok_or("a stop before its start is accepted")?;
    let first = facts.leads.first().map(|l| l.id.as_str().to_owned()).unwrap_or_default();
    assert!(error.to_string().contains(&first), "{error}");
    // No policy, two policies, no as_of: plan errors.
    let two = json!({ "calendar": calendar, "response": response, "disposition": { "name": "d", "within": "1h" } });
    for sql in [
        call(json!({ "calendar": calendar }), "id, created_at, NULL"),
        call(two, "id, created_at, NULL"),
        call(json!({ "calendar": calendar, "response": response }), "id, created_at, NULL")
            .replace("'2030-01-01T00:00:00Z'", "NULL"),
    ] {
        assert!(fails(&ctx, &sql).await, "{sql}");
    }
    Ok(())
}
