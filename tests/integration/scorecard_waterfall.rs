//! The scorecard's waterfall section (`kpis.waterfall`) and its experiments: hand-worked on four
//! leads, the same as the waterfall tally over the sample company's leads, partitions merge to
//! one pass, bad leads are set aside and named, and the terms are checked against the funnel.

use std::sync::OnceLock;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use revops::agreement::scorecard::{Section, UNASSIGNED};
use revops::agreement::{Agreement, ExperimentTerms, ReportWindow, StageRate, WaterfallTerms};
use revops::experiment::{Correction, Verdict, compare_all};
use revops::facts::{Disposition, DispositionOutcome, FactSet, Lead, Reason, StageChange};
use revops::funnel::StageHistory;
use revops::metrics::{Leak, LeakKind, WaterfallDefinition, WaterfallRecord, WaterfallTally};
use revops::testkit::{Company, sample_agreement};
use revops::{ChannelId, ErrorKind, LeadId, Probability, Ratio, StageId, Tally};

fn agreement() -> &'static Agreement {
    static AGREEMENT: OnceLock<Agreement> = OnceLock::new();
    AGREEMENT.get_or_init(|| sample_agreement().unwrap())
}

fn day(d: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap() + TimeDelta::days(d)
}

fn experiment(stage: &str, control: &str, variants: &[&str]) -> ExperimentTerms {
    ExperimentTerms {
        name: "webinar against paid search".to_owned(),
        stage: StageId::new(stage).unwrap(),
        rate: StageRate::ToWon,
        control: control.to_owned(),
        variants: variants.iter().map(|v| (*v).to_owned()).collect(),
        confidence: Probability::from_percent(95).unwrap(),
        correction: Correction::Holm,
    }
}

/// The sample agreement with an all-time waterfall and `experiment`.
fn with_waterfall(experiment: ExperimentTerms) -> Result<Agreement, revops::Error> {
    let mut parts = agreement().parts().clone();
    parts.kpis.waterfall = Some(WaterfallTerms::new(ReportWindow::AllTime).with_experiment(experiment)?);
    Agreement::new(parts)
}

/// Four leads: `a` (webinar) is won, `b` (webinar) disqualified after a rejection for no budget,
/// `c` (paid search) sits at MQL, `d` (no source) at lead.
fn four_leads() -> FactSet {
    let lead = |id: &str, source: Option<&str>| {
        let lead = Lead::new(LeadId::new(id).unwrap(), day(0));
        match source {
            Some(s) => lead.from_source(ChannelId::new(s).unwrap()),
            None => lead,
        }
    };
    let change = |id: &str, stage: &str, d: i64| StageChange {
        entity: LeadId::new(id).unwrap(),
        stage: StageId::new(stage).unwrap(),
        at: day(d),
    };
    let path = [("lead", 1), ("mql", 3), ("sal", 4), ("sql", 5), ("opportunity", 6), ("won", 20)];
    let mut stage_changes: Vec<StageChange> = path.iter().map(|(s, d)| change("a", s, *d)).collect();
    stage_changes.extend([change("b", "lead", 1), change("b", "mql", 2), change("b", "disqualified", 4)]);
    stage_changes.extend([change("c", "lead", 2), change("c", "mql", 3), change("d", "lead", 2)]);
    let rejected = Disposition {
        lead: LeadId::new("b").unwrap(),
        at: day(4),
        outcome: DispositionOutcome::Rejected { reason: Reason::NoBudget },
    };
    FactSet {
        leads: vec![
            lead("a", Some("webinar")),
            lead("b", Some("webinar")),
            lead("c", Some("paid_search")),
            lead("d", None),
        ],
        stage_changes,
        dispositions: vec![rejected],
        ..FactSet::default()
    }
}

#[test]
fn four_leads_by_hand() {
    let agreement = with_waterfall(experiment("mql", "paid_search", &["webinar", "referral"])).unwrap();
    let card = agreement.evaluate(&four_leads(), day(30)).unwrap();
    let section = card.waterfall.unwrap();
    assert!(section.excluded.is_empty(), "{:?}", section.excluded);
    let row = |name: &str| section.waterfall.overall.stages.iter().find(|r| r.stage.as_str() == name).unwrap();
    // lead: all four entered; a, b and c advanced; d is still there.
    let lead = row("lead");
    assert_eq!((lead.entered, lead.advanced, lead.leaked, lead.open), (4, 3, 0, 1));
    // mql: a advanced, b leaked (disqualified, for no budget), c open; one of three won.
    let mql = row("mql");
    assert_eq!((mql.entered, mql.advanced, mql.leaked, mql.open, mql.won), (3, 1, 1, 1, 1));
    let no_budget = Leak { kind: LeakKind::Disqualified, reason: Some(Reason::NoBudget) };
    assert_eq!(mql.leaked_by.get(&no_budget), Some(&1), "{:?}", mql.leaked_by);
    assert_eq!(mql.to_won_exact, Ratio::new(1, 3));
    // Groups: the lead without a source is unassigned.
    let groups: Vec<&str> = section.waterfall.groups.keys().map(String::as_str).collect();
    assert_eq!(groups, ["(unassigned)", "paid_search", "webinar"]);
    assert_eq!(UNASSIGNED, "(unassigned)");
    // The experiment: paid search 0/1 MQLs won, webinar 1/2; referral has no lead (0/0).
    let e = &section.experiments[0];
    assert_eq!((e.control.as_str(), e.control_rate), ("paid_search", Ratio::new(0, 1)));
    assert_eq!((e.variants[0].key.as_str(), e.variants[0].rate), ("webinar", Ratio::new(1, 2)));
    let expected = compare_all(Ratio::new(0, 1), &[Ratio::new(1, 2), Ratio::new(0, 0)], e.confidence, Correction::Holm);
    let expected = expected.unwrap();
    assert_eq!(e.variants[0].comparison, expected[0]);
    let webinar = e.variants[0].comparison.as_ref().unwrap();
    assert!((webinar.difference - 0.5).abs() < 1e-12);
    // Three leads are far too few: no significant difference; referral gets no verdict.
    assert_eq!(webinar.verdict, Some(Verdict::NoSignificantDifference));
    assert_eq!((e.variants[1].rate, &e.variants[1].comparison), (Ratio::new(0, 0), &None));
    let text = e.to_string();
    assert!(text.contains("no comparison"), "{text}");
}

#[test]
fn a_lead_the_funnel_refuses_is_set_aside_and_named() {
    let agreement = with_waterfall(experiment("mql", "paid_search", &["webinar"])).unwrap();
    let mut facts = four_leads();
    facts.stage_changes.push(StageChange {
        entity: LeadId::new("d").unwrap(),
        stage: StageId::new("limbo").unwrap(),
        at: day(5),
    });
    let section = agreement.evaluate(&facts, day(30)).unwrap().waterfall.unwrap();
    assert_eq!(section.excluded.len(), 1);
    assert_eq!(
        (section.excluded[0].section, section.excluded[0].record.as_deref()),
        (Section::Waterfall, Some("lead `d`"))
    );
    // The other three still count; d is nowhere.
    assert_eq!(section.waterfall.overall.stages[0].entered, 3);
    let err = agreement.evaluate_strict(&facts, day(30)).unwrap_err();
    assert_eq!(err.record().map(ToString::to_string).as_deref(), Some("lead `d`"));
}

#[test]
fn the_section_is_the_waterfall_of_the_sample_leads() {
    let company = Company::new(7, 600).unwrap();
    let facts = company.facts();
    let section = agreement().evaluate(&facts, company.as_of()).unwrap().waterfall.unwrap();
    let terms = agreement().parts().kpis.waterfall.as_ref().unwrap();
    let period = terms.period.resolve(company.as_of(), agreement().reporting_zone()).unwrap();
    let definition = WaterfallDefinition::new(period, company.as_of(), terms.reach).unwrap();
    let funnel = agreement().funnel();
    let mut tally = WaterfallTally::new(funnel.clone(), definition);
    for lead in &facts.leads {
        let changes = facts.stage_changes.iter().filter(|c| c.entity == lead.id);
        let history = StageHistory::from_facts(funnel, &lead.id, changes).unwrap();
        let key = lead.source.as_ref().map_or(UNASSIGNED.to_owned(), |s| s.as_str().to_owned());
        let mut record = WaterfallRecord::new(key, history).created_at(lead.created_at);
        let latest = facts
            .dispositions
            .iter()
            .filter(|d| d.lead == lead.id && d.outcome.reason().is_some())
            .max_by_key(|d| d.at);
        if let Some(reason) = latest.and_then(|d| d.outcome.reason()) {
            record = record.with_reason(reason.clone());
        }
        tally.push(&record).unwrap();
    }
    assert_eq!(section.waterfall, tally.finish().unwrap());
    assert!(section.excluded.is_empty());
    // Each group's entries sum to the overall's, stage by stage.
    for (i, row) in section.waterfall.overall.stages.iter().enumerate() {
        let sum: u64 = section.waterfall.groups.values().map(|g| g.stages[i].entered).sum();
        assert_eq!(sum, row.entered, "{}", row.stage);
    }
    // The experiment reads the groups' own rates.
    let e = &section.experiments[0];
    for v in &e.variants {
        assert_eq!(v.rate, e.rate_of(&section.waterfall.groups[&v.key]));
    }
}

#[test]
fn partitions_merge_to_one_pass() {
    let company = Company::new(11, 500).unwrap();
    let one_pass = agreement().evaluate(&company.facts(), company.as_of()).unwrap().waterfall;
    let parts: Vec<FactSet> = [0..120, 120..380, 380..500].map(|r| company.lead_facts_in(r)).into();
    for order in [[0, 1, 2], [2, 1, 0], [1, 0, 2]] {
        let mut merged = agreement().tally(company.as_of()).unwrap();
        for i in order {
            let mut t = agreement().tally(company.as_of()).unwrap();
            t.push(&parts[i]).unwrap();
            merged.merge(t).unwrap();
        }
        assert_eq!(merged.finish().unwrap().waterfall, one_pass, "{order:?}");
    }
}

#[test]
fn the_terms_are_checked_against_the_funnel() {
    // An experiment on a terminal stage, or on a stage the funnel lacks: refused, naming the part.
    for stage in ["won", "nowhere", "nurture"] {
        let err = with_waterfall(experiment(stage, "paid_search", &["webinar"])).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::UnknownReference { .. }), "{stage}: {err}");
        assert!(err.to_string().contains("kpis.waterfall.experiments"), "{err}");
    }
    // A variant equal to the control: refused by the terms themselves.
    let terms = WaterfallTerms::new(ReportWindow::AllTime);
    assert!(terms.clone().with_experiment(experiment("mql", "webinar", &["webinar"])).is_err());
    // A changed confidence shows in the diff of two versions.
    let a = with_waterfall(experiment("mql", "paid_search", &["webinar"])).unwrap();
    let mut changed = experiment("mql", "paid_search", &["webinar"]);
    changed.confidence = Probability::from_percent(90).unwrap();
    let b = with_waterfall(changed).unwrap();
    let diff = a.diff(&b);
    assert_eq!(diff.len(), 1, "{diff:?}");
    assert!(diff[0].path.contains("confidence"), "{diff:?}");
}
