use super::*;
use crate::calendar::BusinessCalendar;
use crate::calendar::BusinessSpan;
use crate::metrics::ConversionMode;
use crate::sla::{ClockStart, ResponsePolicy};

fn parts() -> AgreementParts {
    AgreementParts::new(
        "Acme",
        "1",
        NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        "America/New_York".parse().unwrap(),
        Funnel::demand_waterfall(),
    )
}

fn stage(id: &str) -> StageId {
    StageId::new(id).unwrap()
}

fn with_sla(calendar: &str) -> AgreementParts {
    let mut p = parts();
    let ny = BusinessCalendar::builder("America/New_York").build().unwrap();
    p.calendars.insert("new_york".into(), ny);
    let response = ResponsePolicy::new("follow_up", ClockStart::Mql, BusinessSpan::hours(4)).unwrap();
    let policies = SlaAgreement { response: Some(response), ..SlaAgreement::default() };
    let stages = crate::sla::MilestoneStages::new(stage("mql"), stage("mql"), stage("sql"));
    p.sla.insert("sales".into(), SlaTerms::new(calendar, policies, stages));
    p
}

#[test]
fn an_sla_naming_a_missing_calendar_names_the_part_and_the_key() {
    assert!(Agreement::new(with_sla("new_york")).is_ok());
    let err = Agreement::new(with_sla("london")).unwrap_err();
    assert_eq!(
        err,
        ErrorKind::UnknownReference { part: "sla.sales.calendar".into(), kind: "calendar", key: "london".into() }
    );
    assert_eq!(err.to_string(), "agreement sla.sales.calendar: unknown calendar `london`");
}

#[test]
fn kpis_and_milestones_must_name_stages_of_the_funnel() {
    let mut p = parts();
    p.kpis.conversion.push(ConversionStep { from: stage("mql"), to: stage("sql"), mode: ConversionMode::EntityCohort });
    assert!(Agreement::new(p.clone()).is_ok());
    p.kpis.conversion.push(ConversionStep { from: stage("mql"), to: stage("demo"), mode: ConversionMode::PeriodFlow });
    let err = Agreement::new(p).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::UnknownReference { part, key, .. } if part == "kpis.conversion[1].to" && key == "demo")
    );

    let mut p = parts();
    p.attribution.milestones =
        Some(AttributionStages { lead: stage("inquiry"), opportunity: stage("opp"), won: stage("won") });
    let err = Agreement::new(p).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::UnknownReference { part, .. } if part == "attribution.milestones.opportunity")
    );
}

#[test]
fn refuses_blank_names_and_unknown_zones() {
    let p = AgreementParts { name: " ".into(), ..parts() };
    assert!(matches!(Agreement::new(p).unwrap_err().kind(), ErrorKind::InvalidValue { field: "agreement name", .. }));
    // A zone is read by its own rules: a fixed-offset abbreviation is refused, naming a location.
    let json = serde_json::to_string(&Agreement::new(parts()).unwrap()).unwrap();
    for (zone, says) in [("EST", "America/New_York"), ("Mars/Olympus", "unknown time zone")] {
        let bad = json.replace("\"America/New_York\"", &format!("\"{zone}\""));
        let err = serde_json::from_str::<Agreement>(&bad).unwrap_err().to_string();
        assert!(err.contains(says), "{zone}: {err}");
    }
}

#[test]
fn deserializing_validates_and_the_fingerprint_ignores_key_order() {
    let agreement = Agreement::new(with_sla("new_york")).unwrap();
    let json = serde_json::to_string(&agreement).unwrap();
    let back: Agreement = serde_json::from_str(&json).unwrap();
    assert_eq!(back, agreement);
    // Reordered keys, same definitions: same fingerprint.
    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let obj = value.as_object_mut().unwrap();
    let reversed: serde_json::Map<String, serde_json::Value> = obj.clone().into_iter().rev().collect();
    let reordered: Agreement = serde_json::from_value(serde_json::Value::Object(reversed)).unwrap();
    assert_eq!(reordered.fingerprint(), agreement.fingerprint());
    // A bad reference fails on deserialize too.
    let bad = json.replace("\"calendar\":\"new_york\"", "\"calendar\":\"london\"");
    let err = serde_json::from_str::<Agreement>(&bad).unwrap_err();
    assert!(err.to_string().contains("unknown calendar `london`"), "{err}");
}

#[test]
fn a_changed_definition_changes_the_fingerprint_and_the_diff_says_where() {
    let old = Agreement::new(with_sla("new_york")).unwrap();
    let mut p = with_sla("new_york");
    let response = ResponsePolicy::new("follow_up", ClockStart::Mql, BusinessSpan::hours(2)).unwrap();
    p.sla.get_mut("sales").unwrap().policies.response = Some(response);
    let new = Agreement::new(p).unwrap();
    assert_ne!(old.fingerprint(), new.fingerprint());
    let changes = old.diff(&new);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].part, "SLA");
    assert!(changes[0].path.starts_with("sales.policies.response"), "{}", changes[0]);
    assert!(old.diff(&old).is_empty());
    // A part one version lacks.
    let none = Agreement::new(parts()).unwrap();
    let changes = none.diff(&old);
    assert!(changes.iter().any(|c| c.part == "calendar" && c.before.is_none()), "{changes:?}");
}

#[test]
fn a_changed_mql_rule_reads_in_plain_words() {
    use crate::funnel::Points;
    use rust_decimal::Decimal;
    let rule = |fit: i64| {
        let points = |n: i64| Points::new(Decimal::from(n)).unwrap();
        Qualification::score_thresholds("mql", points(fit), points(10)).unwrap()
    };
    let old = Agreement::new(AgreementParts { mql: Some(rule(40)), ..parts() }).unwrap();
    let new = Agreement::new(AgreementParts { mql: Some(rule(50)), ..parts() }).unwrap();
    let changes = old.diff(&new);
    assert_eq!(changes.len(), 1, "{changes:?}");
    let words = changes[0].to_string();
    assert!(words.starts_with("MQL rule: fit score at least 40 points"), "{words}");
    assert!(words.contains("-> fit score at least 50 points"), "{words}");
}

#[cfg(feature = "testkit")]
#[test]
fn crm_stage_maps_must_name_stages_of_the_funnel() {
    let sample = crate::testkit::sample_agreement().unwrap();
    let mut p = sample.parts().clone();
    p.crm.insert("hubspot".into(), crate::testkit::hubspot_stage_map().unwrap());
    p.crm.insert("salesforce".into(), crate::testkit::salesforce_stage_map().unwrap());
    assert!(Agreement::new(p.clone()).is_ok());
    // The same maps against a funnel without the sample's `opportunity` stage (and nothing
    // else that names the sample's stages).
    p.funnel = Funnel::demand_waterfall();
    p.attribution.milestones = None;
    p.kpis = Kpis::default();
    p.sla.clear();
    p.mql = None;
    let err = Agreement::new(p).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::UnknownReference { part, .. } if part.starts_with("crm.")), "{err}");
}

#[test]
fn an_sla_part_checks_its_milestones_volume_months_and_quality() {
    use crate::sla::{QualityCommitment, VolumeAmount, VolumeCommitment, VolumeMeasure};
    let terms = |p: &mut AgreementParts| p.sla.get_mut("sales").unwrap().clone();
    let mut p = with_sla("new_york");
    let mut sales = terms(&mut p);
    sales.milestones.sql = stage("closed");
    p.sla.insert("sales".into(), sales);
    let err = Agreement::new(p).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::UnknownReference { part, key, .. } if part == "sla.sales.milestones.sql" && key == "closed")
    );

    let mut p = with_sla("new_york");
    let volume = VolumeCommitment::new("mqls", VolumeMeasure::Mqls, VolumeAmount::Count(10)).unwrap();
    p.sla.get_mut("sales").unwrap().policies.volume.push(volume);
    let err = Agreement::new(p.clone()).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::UnknownReference { part, .. } if part == "sla.sales.volume_months"));
    let month = |m| NaiveDate::from_ymd_opt(2024, m, 1).unwrap();
    p.sla.get_mut("sales").unwrap().volume_months = Some(VolumeMonths::new(month(1), month(3)).unwrap());
    assert!(Agreement::new(p.clone()).is_ok());

    let rules = QualityCommitment::new("q").unwrap().min_meeting_rules(crate::Probability::from_percent(90).unwrap());
    p.sla.get_mut("sales").unwrap().policies.quality = Some(rules);
    assert!(matches!(
        Agreement::new(p).unwrap_err().kind(),
        ErrorKind::InvalidValue { field: "sla quality min_meeting_rules", .. }
    ));
}

#[test]
fn sla_terms_read_from_toml_with_their_team_rule_and_months() {
    let text = r#"
        calendar = "new_york"
        milestones = { mql = "mql", handoff = "mql", sql = "sql" }
        teams = "account_region"
        volume_months = { first = "2024-09", last = "2024-12" }
        [policies]
    "#;
    let terms: SlaTerms = toml::from_str(text).unwrap();
    assert_eq!(terms.teams, TeamRule::AccountRegion);
    assert_eq!(terms.volume_months.map(|m| m.months().count()), Some(4));
    let back: SlaTerms = toml::from_str(&toml::to_string(&terms).unwrap()).unwrap();
    assert_eq!(back, terms);
    // Without the milestones an SLA part cannot be clocked: refused when read.
    assert!(toml::from_str::<SlaTerms>("calendar = \"new_york\"\n[policies]\n").is_err());
}

#[test]
fn attribution_model_names_are_unique_and_data_driven_models_need_a_currency() {
    use crate::attribution::{MarkovModel, ShapleyModel};
    let mut p = parts();
    p.attribution.models.insert("linear".into(), Model::linear());
    p.attribution.markov.insert("markov_o1".into(), MarkovModel::new(1).unwrap());
    let err = Agreement::new(p.clone()).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::InvalidValue { field: "attribution.currency", .. }), "{err}");
    p.attribution.currency = Some(Currency::USD);
    assert!(Agreement::new(p.clone()).is_ok());
    p.attribution.shapley.insert("linear".into(), ShapleyModel::Simplified);
    let err = Agreement::new(p.clone()).unwrap_err();
    assert!(err.to_string().contains("linear (in attribution.models and attribution.shapley)"), "{err}");
    // The same rules on deserialize, and the data-driven models round-trip through TOML.
    p.attribution.shapley.clear();
    p.attribution.shapley.insert("exact".into(), ShapleyModel::Exact(crate::attribution::Game::ConversionRate));
    let agreement = Agreement::new(p).unwrap();
    let json = serde_json::to_string(&agreement).unwrap();
    assert!(json.contains(r#""shapley":{"exact":{"exact":"conversion_rate"}}"#), "{json}");
    assert_eq!(serde_json::from_str::<Agreement>(&json).unwrap(), agreement);
    let refused = json.replace(r#""currency":"USD""#, r#""currency":null"#);
    assert!(serde_json::from_str::<Agreement>(&refused).is_err());
}
