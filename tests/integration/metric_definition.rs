//! One shared metric as data (`agreement::MetricDefinition`): every metric's definition
//! round-trips, its tally obeys the split / serialize / merge-tree law on the sample company,
//! and tallies of different definitions never merge.

use proptest::prelude::*;
use revops::agreement::{MetricDefinition, MetricFacts, MetricTally, MetricValue};
use revops::facts::FactSet;
use revops::metrics::{ResponseTime, WinRateTally};
use revops::testkit::Company;
use revops::{ErrorKind, LeadId, Tally};
use serde_json::json;

use crate::split_merge::{round_trip, split_serialize_merge};

const STAGES: [&str; 6] = ["lead", "mql", "sal", "sql", "opportunity", "won"];

/// One definition of every metric over facts, in the wire format.
fn definitions() -> Vec<serde_json::Value> {
    let conversion = json!({"stages": STAGES, "from": "mql", "to": "sql", "mode": "entity_cohort",
        "reach": "strict", "window_seconds": 7_776_000});
    vec![
        json!({"metric": "win_rate", "period": {"trailing_months": 12}, "currency": "USD"}),
        json!({"metric": "win_rate", "period": "all_time", "currency": "USD", "origin": "marketing"}),
        json!({"metric": "created_to_won", "period": {"calendar_year": 2024}, "zone": "America/New_York"}),
        json!({"metric": "sales_cycle", "period": {"trailing_months": 12}, "outcome": "won"}),
        json!({"metric": "pipeline_velocity", "period": {"trailing_months": 6}, "currency": "USD"}),
        json!({"metric": "weighted_pipeline", "currency": "USD", "qualified_only": true}),
        json!({"metric": "coverage", "period": {"quarter": 0}, "quota": {"amount": "1500000.00", "currency": "USD"}}),
        json!({"metric": "loss_reasons", "period": {"trailing_months": 12}, "currency": "USD"}),
        json!({"metric": "stage_conversion", "conversion": conversion, "period": {"calendar_year": 2024}}),
        json!({"metric": "stage_conversion", "conversion": conversion, "period": {"calendar_year": 2024}, "bucket": "quarter"}),
    ]
}

fn definition(value: &serde_json::Value) -> MetricDefinition {
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{e}: {value}"))
}

/// The sample company's facts as one fact set per fact the metric reads (deals, or the stage
/// changes into the order's stages).
fn facts_of(company: &Company, reads: MetricFacts) -> Vec<FactSet> {
    let facts = company.facts();
    match reads {
        MetricFacts::Deals => {
            facts.deals.into_iter().map(|d| FactSet { deals: vec![d], ..FactSet::default() }).collect()
        }
        MetricFacts::StageChanges => facts
            .stage_changes
            .into_iter()
            .filter(|c| STAGES.contains(&c.stage.as_str()))
            .map(|c| FactSet { stage_changes: vec![c], ..FactSet::default() })
            .collect(),
        MetricFacts::ResponseTimes => Vec::new(),
    }
}

#[test]
fn every_definition_round_trips_and_its_value_is_the_metrics_own() {
    let company = Company::new(42, 400).unwrap();
    for value in definitions() {
        let d = definition(&value);
        let back: MetricDefinition = serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
        assert_eq!(back, d, "{value}");
        let mut tally = d.tally(Some(company.as_of())).unwrap();
        let facts = facts_of(&company, tally.reads());
        assert!(!facts.is_empty(), "{value}");
        for part in &facts {
            tally.push(part).unwrap();
        }
        let result = tally.finish().unwrap();
        // The value serializes as the metric's own output: a win rate is a `WinRate`.
        if let MetricValue::WinRate(rate) = &result {
            let text = serde_json::to_string(&result).unwrap();
            assert_eq!(serde_json::from_str::<revops::metrics::WinRate>(&text).unwrap(), *rate);
            let period = revops::agreement::MetricPeriod::Window(revops::agreement::ReportWindow::TrailingMonths(12));
            if value["origin"].is_null() {
                let direct = WinRateTally::new(
                    period.resolve(Some(company.as_of()), revops::calendar::Zone::UTC).unwrap(),
                    revops::Currency::USD,
                )
                .tally(&company.facts().deals)
                .unwrap();
                assert_eq!(*rate, direct);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]
    #[test]
    fn split_serialize_merge_equals_one_pass_for_every_metric(
        cuts in prop::collection::vec(0usize..400, 0..6),
        picks in prop::collection::vec(any::<usize>(), 1..8),
    ) {
        let company = Company::new(7, 200).unwrap();
        for value in definitions() {
            let fresh = definition(&value).tally(Some(company.as_of())).unwrap();
            let facts = facts_of(&company, fresh.reads());
            let one = fresh.clone().tally(&facts).unwrap();
            prop_assert_eq!(&split_serialize_merge(&fresh, &facts, &cuts, &picks, round_trip::<MetricTally>), &one, "{}", value);
        }
    }
}

#[test]
fn speed_to_lead_reads_response_times_and_nothing_else() {
    let d = definition(&json!({"metric": "speed_to_lead", "target": "1h"}));
    let mut tally = d.tally(None).unwrap();
    assert_eq!(tally.reads(), MetricFacts::ResponseTimes);
    let lead = |id: &str, s| ResponseTime { lead: LeadId::new(id).unwrap(), business_seconds: s };
    for time in [lead("a", Some(600)), lead("b", Some(7_200)), lead("c", None)] {
        tally.push_response_time(&time).unwrap();
    }
    // A fact set holds no response times: pushing one is an error, never a silent zero.
    let err = tally.clone().push(&FactSet::default()).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::InvalidValue { field: "metric fact", .. }), "{err}");
    let MetricValue::SpeedToLead(speed) = tally.finish().unwrap() else { panic!("speed to lead") };
    let text = serde_json::to_string(&speed).unwrap();
    assert!(text.contains("\"within_target\""), "{text}");
}

#[test]
fn tallies_of_different_definitions_never_merge() {
    let company = Company::new(42, 100).unwrap();
    let as_of = Some(company.as_of());
    let all = definitions();
    let win = definition(&all[0]).tally(as_of).unwrap();
    let created = definition(&all[2]).tally(as_of).unwrap();
    let err = win.clone().merge(created).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::DefinitionMismatch { tally: "metric", field: "metric" }), "{err}");
    // The same metric with another period: the inner tally refuses it.
    let other_period = definition(&json!({"metric": "win_rate", "period": "all_time", "currency": "USD"}));
    assert!(win.clone().merge(other_period.tally(as_of).unwrap()).is_err());
    // Stage conversion overall and by quarter do not merge either.
    let (overall, by_quarter) = (definition(&all[8]).tally(as_of).unwrap(), definition(&all[9]).tally(as_of).unwrap());
    let err = overall.clone().merge(by_quarter).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::DefinitionMismatch { field: "bucket", .. }), "{err}");
    // A deal metric refuses a stage change, naming what it reads.
    let change = company.facts().stage_changes[0].clone();
    assert!(win.clone().push_stage_change(&change).is_err());
}

#[test]
fn definitions_are_checked_when_read() {
    for bad in [
        json!({"metric": "win_rate", "period": "all_time"}),
        json!({"metric": "win_rate", "period": "all_time", "currency": "USD", "colour": "red"}),
        json!({"metric": "coverage", "period": "all_time", "quota": {"amount": "1.001", "currency": "USD"}}),
        json!({"metric": "sales_cycle", "period": "all_time", "outcome": "won", "zone": "EST"}),
        json!({"metric": "no_such_metric"}),
        json!({"metric": "speed_to_lead", "target": "-1h"}),
    ] {
        assert!(serde_json::from_value::<MetricDefinition>(bad.clone()).is_err(), "{bad}");
    }
    // A report window needs as_of when the tally is built; "all_time" does not.
    let trailing = definition(&json!({"metric": "loss_reasons", "period": {"trailing_months": 3}, "currency": "USD"}));
    assert!(trailing.tally(None).is_err());
    assert!(
        definition(&json!({"metric": "loss_reasons", "period": "all_time", "currency": "USD"})).tally(None).is_ok()
    );
}
