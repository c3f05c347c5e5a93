//! Unit tests of the funnel module.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::*;
use crate::facts::{Disposition, DispositionOutcome, Reason, StageChange};
use crate::{ChannelId, ErrorKind, LeadId, StageId};

fn id(s: &str) -> StageId {
    StageId::new(s).unwrap()
}

fn t(hours: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap() + TimeDelta::try_hours(hours).unwrap()
}

/// Lead `L1` entering `s` at `at`.
fn enter(s: &str, at: DateTime<Utc>) -> StageChange {
    StageChange { entity: LeadId::new("L1").unwrap(), stage: id(s), at }
}

fn manual(by: &str, reason: &str) -> ChangeKind {
    ChangeKind::Override { by: by.into(), reason: reason.into() }
}

mod transitions;

fn stage(s: &str, kind: StageKind) -> Stage {
    Stage::new(s, s, Owner::Sales, kind).unwrap()
}

#[test]
fn error_messages_name_the_offender() {
    let cases = [
        (ErrorKind::Empty { what: "funnel stage order" }, "funnel stage order must not be empty"),
        (ErrorKind::DuplicateKey { kind: "stage id", key: "mql".into() }, "duplicate stage id `mql`"),
        (ErrorKind::UnknownStage { stage: id("sqo") }, "unknown stage `sqo` in funnel"),
        (
            ErrorKind::UnknownKey { kind: "checklist criterion", key: "bugdet".into() },
            "unknown checklist criterion `bugdet`",
        ),
        (
            ErrorKind::MisplacedStage {
                stage: id("other"),
                reason: "side and disqualified stages sit outside the order",
            },
            "stage `other` is misplaced: side and disqualified stages sit outside the order",
        ),
        (ErrorKind::TerminalStage { from: id("won"), to: id("sql") }, "cannot move from terminal stage `won` to `sql`"),
        (
            ErrorKind::InvalidTransition { to: id("nurture"), reason: "a recycle must name a reason" },
            "invalid move to `nurture`: a recycle must name a reason",
        ),
        (
            ErrorKind::StageChangeOutOfOrder { index: 2, stage: id("sql"), at: t(1), previous: t(2) },
            "stage change 2 to `sql` at 2024-01-01 01:00:00 UTC is not after the previous change at 2024-01-01 02:00:00 UTC",
        ),
        (
            ErrorKind::Negative { field: "score cap", value: format!("{} for {} `{}`", -5, "scoring group", "web") },
            "score cap must not be negative, got -5 for scoring group `web`",
        ),
        (ErrorKind::NonPositiveDuration { field: "half-life", seconds: 0 }, "half-life must be positive, got 0 s"),
        (
            ErrorKind::ThresholdsOutOfOrder { field: "fit band", previous: dec!(40), next: dec!(70) },
            "fit band thresholds out of order: 70 after 40",
        ),
        (
            ErrorKind::TooMany { what: "qualification", count: 65, max: 64 },
            "qualification: 65 given, at most 64 are supported",
        ),
        (
            ErrorKind::IncompleteHandoff {
                from: id("mql"),
                to: id("sal"),
                missing: vec![HandoffField::AccountId.as_str(), HandoffField::SlaDeadline.as_str()],
            },
            "handoff from `mql` to `sal` is missing account_id, sla_deadline",
        ),
    ];
    for (err, msg) in cases {
        assert_eq!(err.to_string(), msg);
    }
}

#[test]
fn templates_are_valid_and_ordered() {
    for f in [Funnel::hubspot_lifecycle(), Funnel::demand_waterfall(), Funnel::buyer_language()] {
        let rebuilt = f
            .stages()
            .iter()
            .fold(Funnel::builder(f.name()), |b, s| b.stage(s.clone()))
            .allow_skips(f.policy().allow_skips);
        let rebuilt = f.side_stages().iter().fold(rebuilt, |b, s| b.side_stage(s.clone()));
        let rebuilt = match &f.policy().nurture {
            Some(n) => rebuilt.nurture(n.clone()),
            None => rebuilt,
        };
        let rebuilt = f
            .handoff_requirements()
            .iter()
            .fold(rebuilt, |b, h| b.handoff(h.from.clone(), h.to.clone(), h.required.iter().copied()));
        assert_eq!(rebuilt.build().unwrap(), f);
    }
    let hs = Funnel::hubspot_lifecycle();
    assert_eq!(hs.stages().len(), 7);
    assert_eq!(hs.position(&id("other")), None);
    assert_eq!(hs.stage(&id("other")).unwrap().kind, StageKind::Side);
    let bl = Funnel::buyer_language();
    let owners: Vec<Owner> = bl.stages().iter().take(3).map(|s| s.owner).collect();
    assert_eq!(owners, [Owner::Marketing, Owner::Shared, Owner::Sales]);
    let dw = Funnel::demand_waterfall();
    let ids: Vec<&str> = dw.stages().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["inquiry", "mql", "sal", "sql", "won", "lost"]);
}

#[test]
fn builder_rejects_bad_funnels() {
    assert_eq!(Funnel::builder("x").build().unwrap_err(), ErrorKind::Empty { what: "funnel stage order" });
    let dup = Funnel::builder("x").stage(stage("a", StageKind::Open)).side_stage(stage("a", StageKind::Side)).build();
    assert_eq!(dup.unwrap_err(), ErrorKind::DuplicateKey { kind: "stage id", key: "a".into() });
    let side_in_order = Funnel::builder("x").stage(stage("other", StageKind::Side)).build().unwrap_err();
    assert!(matches!(side_in_order.kind(), ErrorKind::MisplacedStage { .. }));
    let open_after_won =
        Funnel::builder("x").stage(stage("won", StageKind::Won)).stage(stage("a", StageKind::Open)).build();
    assert!(matches!(open_after_won.unwrap_err().kind(), ErrorKind::MisplacedStage { stage, .. } if *stage == id("a")));
    let open_outside = Funnel::builder("x").stage(stage("a", StageKind::Open)).side_stage(stage("b", StageKind::Open));
    assert!(matches!(open_outside.build().unwrap_err().kind(), ErrorKind::MisplacedStage { .. }));
    let nurture = Funnel::builder("x").stage(stage("a", StageKind::Open)).nurture(id("n")).build();
    assert_eq!(nurture.unwrap_err(), ErrorKind::UnknownStage { stage: id("n") });
    let terminal_nurture = Funnel::builder("x")
        .stage(stage("a", StageKind::Open))
        .side_stage(stage("dq", StageKind::Disqualified))
        .nurture(id("dq"))
        .build();
    assert!(matches!(terminal_nurture.unwrap_err().kind(), ErrorKind::MisplacedStage { .. }));
    let handoff = Funnel::builder("x").stage(stage("a", StageKind::Open)).handoff(id("a"), id("b"), []).build();
    assert_eq!(handoff.unwrap_err(), ErrorKind::UnknownStage { stage: id("b") });
    let twice = Funnel::builder("x")
        .stage(stage("a", StageKind::Open))
        .stage(stage("b", StageKind::Open))
        .handoff(id("a"), id("b"), [])
        .handoff(id("a"), id("b"), [HandoffField::LeadId])
        .build();
    assert_eq!(twice.unwrap_err(), ErrorKind::DuplicateKey { kind: "handoff", key: "a -> b".into() });
}

#[test]
fn reached_or_beyond_follows_the_order() {
    let f = Funnel::demand_waterfall();
    assert!(f.is_at_or_beyond(&id("sql"), &id("sql")));
    assert!(f.is_at_or_beyond(&id("lost"), &id("sql")));
    assert!(f.is_at_or_beyond(&id("won"), &id("mql")));
    assert!(!f.is_at_or_beyond(&id("lost"), &id("won")));
    assert!(!f.is_at_or_beyond(&id("disqualified"), &id("inquiry")));
    assert!(!f.is_at_or_beyond(&id("mql"), &id("nurture")));
    assert!(!f.is_at_or_beyond(&id("nope"), &id("mql")));
    assert_eq!(f.position(&id("sal")), Some(2));
}

fn model() -> ScoringModel {
    ScoringModel::builder()
        .group(ScoreGroup::new("industry", ScoreKind::Fit, [("software", 30), ("fintech", 20)]))
        .group(ScoreGroup::new("tech", ScoreKind::Fit, [("salesforce", 15), ("snowflake", 15)]).with_cap(20))
        .group(ScoreGroup::new("web", ScoreKind::Engagement, [("visit", 5), ("unsubscribe", -10)]).with_cap(15))
        .group(ScoreGroup::new("events", ScoreKind::Engagement, [("webinar", 20)]))
        .fit_cap(40)
        .engagement_cap(30)
        .decay(Decay::HalfLife { days: 10 })
        .build()
        .unwrap()
}

fn act(kind: &'static str, at: DateTime<Utc>) -> Activity {
    Activity { kind: kind.into(), at }
}

#[test]
fn scoring_caps_groups_then_totals_and_decays_engagement_only() {
    let m = model();
    let as_of = t(24 * 100);
    let facts = LeadFacts {
        traits: vec!["software".into(), "salesforce".into(), "snowflake".into(), "unknown".into()],
        activities: vec![
            act("visit", as_of),
            act("visit", as_of),
            act("visit", as_of),
            act("visit", as_of - TimeDelta::try_days(10).unwrap()), // 2.5
            act("webinar", as_of - TimeDelta::try_days(20).unwrap()), // 5
            act("webinar", as_of + TimeDelta::try_days(1).unwrap()), // future: not counted
        ],
        ..LeadFacts::default()
    };
    let s = m.score(&facts, as_of);
    assert_eq!(s.fit, dec!(40)); // 30 + min(30, 20) = 50, total cap 40
    assert_eq!(s.engagement, dec!(20)); // min(17.5, 15) + 5
    // Time frame: full points inside, none outside.
    let tf = ScoringModel::builder()
        .group(ScoreGroup::new("events", ScoreKind::Engagement, [("webinar", 20)]))
        .decay(Decay::TimeFrame { days: 30 })
        .build()
        .unwrap();
    let inside = LeadFacts {
        activities: vec![act("webinar", as_of - TimeDelta::try_days(29).unwrap())],
        ..LeadFacts::default()
    };
    let edge = LeadFacts {
        activities: vec![act("webinar", as_of - TimeDelta::try_days(30).unwrap())],
        ..LeadFacts::default()
    };
    assert_eq!(tf.score(&inside, as_of).engagement, dec!(20));
    assert_eq!(tf.score(&edge, as_of).engagement, Decimal::ZERO);
    // Negative rules can take a group below zero.
    let penalty = LeadFacts { activities: vec![act("unsubscribe", as_of)], ..LeadFacts::default() };
    assert_eq!(m.score(&penalty, as_of).engagement, dec!(-10));
    // Regression: a trait listed twice scored twice, against "a trait counts once per rule".
    let twice = LeadFacts { traits: vec!["fintech".into(), "fintech".into()], ..LeadFacts::default() };
    assert_eq!(m.score(&twice, as_of).fit, dec!(20));
    assert_eq!(m.breakdown(&twice, as_of).groups.first().map(|g| g.points), Some(dec!(20)));
}

#[test]
fn scoring_model_validation() {
    let neg = ScoringModel::builder().group(ScoreGroup::new("g", ScoreKind::Fit, [("a", 1)]).with_cap(-1)).build();
    assert_eq!(
        neg.unwrap_err(),
        ErrorKind::Negative { field: "score cap", value: format!("{} for {} `{}`", -1, "scoring group", "g") }
    );
    let neg_total = ScoringModel::builder().engagement_cap(-3).build().unwrap_err();
    assert_eq!(neg_total.to_string(), "score cap must not be negative, got -3 for score total `engagement`");
    let zero = ScoringModel::builder().decay(Decay::HalfLife { days: 0 }).build().unwrap_err();
    assert_eq!(zero, ErrorKind::NonPositiveDuration { field: "half-life", seconds: 0 });
    let zero_tf = ScoringModel::builder().decay(Decay::TimeFrame { days: 0 }).build().unwrap_err();
    assert_eq!(zero_tf, ErrorKind::NonPositiveDuration { field: "time frame", seconds: 0 });
    let dup = ScoringModel::builder()
        .group(ScoreGroup::new("g", ScoreKind::Fit, [("a", 1)]))
        .group(ScoreGroup::new("g", ScoreKind::Engagement, [("b", 1)]))
        .build();
    assert_eq!(dup.unwrap_err(), ErrorKind::DuplicateKey { kind: "scoring group", key: "g".into() });
    let dup_signal = ScoringModel::builder()
        .group(ScoreGroup::new("g", ScoreKind::Fit, [("a", 1)]))
        .group(ScoreGroup::new("h", ScoreKind::Fit, [("a", 2)]))
        .build();
    assert_eq!(dup_signal.unwrap_err(), ErrorKind::DuplicateKey { kind: "scoring signal", key: "a".into() });
    let big = ScoringModel::builder().group(ScoreGroup::new("g", ScoreKind::Fit, [("a", 2_000_000)])).build();
    assert!(matches!(big.unwrap_err().kind(), ErrorKind::InvalidValue { .. }));
    let many =
        (0..65).fold(ScoringModel::builder(), |b, i| b.group(ScoreGroup::new(&format!("g{i}"), ScoreKind::Fit, [])));
    assert!(matches!(many.build().unwrap_err().kind(), ErrorKind::TooMany { .. }));
}

#[test]
fn mql_score_thresholds_and_matrix() {
    let mql = Qualification::score_thresholds("mql", Points::from(40), Points::from(20)).unwrap();
    let met = |fit, engagement| {
        let mut facts = LeadFacts::default();
        facts.set_score(LeadScore::new(fit, engagement));
        mql.evaluate(&facts, t(0)).qualified()
    };
    assert!(met(dec!(40), dec!(20)));
    assert!(!met(dec!(39.99), dec!(80)));
    let bands = |mins: [i32; 3], labels: [&str; 3]| -> Vec<Band> {
        labels.iter().zip(mins).map(|(l, m)| Band::new(*l, Points::from(m))).collect()
    };
    let m = ScoreMatrix::new(bands([70, 40, 0], ["A", "B", "C"]), bands([60, 25, 0], ["1", "2", "3"])).unwrap();
    assert_eq!(m.tier(LeadScore::new(dec!(70), dec!(0))).unwrap().to_string(), "A3");
    assert_eq!(m.tier(LeadScore::new(dec!(39), dec!(61))).unwrap().to_string(), "C1");
    assert!(m.tier(LeadScore::new(dec!(-1), dec!(61))).is_none());
    assert_eq!(
        ScoreMatrix::new(bands([40, 70, 0], ["A", "B", "C"]), bands([60, 25, 0], ["1", "2", "3"])).unwrap_err(),
        ErrorKind::ThresholdsOutOfOrder { field: "fit band", previous: dec!(40), next: dec!(70) }
    );
    assert!(matches!(
        ScoreMatrix::new(bands([70, 40, 0], ["A", "A", "C"]), bands([60, 25, 0], ["1", "2", "3"]))
            .as_ref()
            .map_err(super::super::error::Error::kind),
        Err(ErrorKind::DuplicateKey { .. })
    ));
    assert!(ScoreMatrix::new(vec![], bands([60, 25, 0], ["1", "2", "3"])).is_err());
}

#[test]
fn qualification_lists_passed_and_failed() {
    let leaf = QualificationRule::leaf;
    let leaves = vec![
        leaf("fit", LeadCondition::FitScoreAtLeast(Points::from(50))),
        leaf("engaged", LeadCondition::EngagementScoreAtLeast(Points::from(10))),
        leaf("tier", LeadCondition::FitTierIn(vec!["A".into(), "B".into()])),
        leaf("fields", LeadCondition::FieldsPresent(vec!["email".into()])),
        leaf("software", LeadCondition::HasTrait("software".into())),
        leaf("demo", LeadCondition::Activity { kind: "demo_request".into(), within_days: Some(7) }),
    ];
    let q = Qualification::new("mql", QualificationRule::Any(leaves.clone())).unwrap();
    let as_of = t(1000);
    let facts = LeadFacts {
        fit_score: Some(dec!(50)),
        fit_tier: Some("C".into()),
        fields: vec!["email".into()],
        activities: vec![act("demo_request", as_of - TimeDelta::try_days(8).unwrap())],
        ..LeadFacts::default()
    };
    let r = q.evaluate(&facts, as_of);
    assert!(r.qualified());
    assert_eq!(r.passed(&q).collect::<Vec<_>>(), ["fit", "fields"]);
    assert_eq!(r.failed(&q).collect::<Vec<_>>(), ["engaged", "tier", "software", "demo"]);
    let all = Qualification::new("all", QualificationRule::All(leaves.clone())).unwrap();
    assert!(!all.evaluate(&facts, as_of).qualified());
    assert!(!q.evaluate(&LeadFacts::default(), as_of).qualified());
    assert!(Qualification::new("x", QualificationRule::all([])).is_err());
    let dup = QualificationRule::all([leaves[0].clone(), leaves[0].clone()]);
    assert_eq!(
        Qualification::new("x", dup).unwrap_err(),
        ErrorKind::DuplicateKey { kind: "qualification rule key", key: "fit".into() }
    );
    let many: Vec<_> =
        (0..65).map(|i| QualificationRule::leaf(format!("r{i}"), LeadCondition::HasTrait("a".into()))).collect();
    assert_eq!(
        Qualification::new("x", QualificationRule::All(many.clone())).unwrap_err(),
        ErrorKind::TooMany { what: "qualification rule leaves", count: 65, max: 64 }
    );
    let sixty_four = Qualification::new("x", QualificationRule::All(many[..64].to_vec())).unwrap();
    let has_a = LeadFacts { traits: vec!["a".into()], ..LeadFacts::default() };
    assert!(sixty_four.evaluate(&has_a, as_of).qualified());
    assert!(sixty_four.evaluate(&has_a, as_of).leaf_passed(63));
    let zero_window = leaf("d", LeadCondition::Activity { kind: "x".into(), within_days: Some(0) });
    assert!(matches!(
        Qualification::new("x", zero_window).as_ref().map_err(super::super::error::Error::kind),
        Err(ErrorKind::NonPositiveDuration { .. })
    ));
}

#[test]
fn checklists() {
    assert_eq!(Checklist::bant().letters(), "BANT");
    assert_eq!(Checklist::meddic().letters(), "MEDDIC");
    assert_eq!(Checklist::meddpicc().letters(), "MEDDPICC");
    let mut s = BTreeMap::new();
    for item in Checklist::meddpicc().items() {
        s.insert(item.key.clone(), CriterionStatus::Validated);
    }
    assert!(Checklist::meddpicc().assess(&s).unwrap().is_complete());
    assert!(matches!(
        Checklist::meddic().assess(&s).as_ref().map_err(super::super::error::Error::kind),
        Err(ErrorKind::UnknownKey { .. })
    ));
    let custom = Checklist::new("MEDDICC", [("metrics", "M", "Metrics"), ("competition", "C", "Competition")]).unwrap();
    assert_eq!(custom.letters(), "MC");
    assert!(Checklist::new("x", [("a", "A", "A"), ("a", "A", "A")]).is_err());
    assert!(matches!(
        Checklist::new("x", [("Bad Key", "A", "A")]).as_ref().map_err(super::super::error::Error::kind),
        Err(ErrorKind::InvalidId { kind: "checklist criterion", .. })
    ));
    assert!(Checklist::new("x", []).is_err());
}

#[test]
fn handoff_validation_lists_every_missing_field() {
    let f = Funnel::demand_waterfall();
    let mut h = Handoff::new(id("mql"), id("sal"));
    let err = f.validate_handoff(&h).unwrap_err();
    let ErrorKind::IncompleteHandoff { missing, .. } = err.kind() else { panic!("{err}") };
    assert_eq!(missing.len(), 8);
    h.lead = Some(LeadId::new("L1").unwrap());
    h.account = Some(crate::AccountId::new("A1").unwrap());
    h.mql_at = Some(t(0));
    h.mql_reason = Some("fit and engagement".into());
    h.fit_score = Some(dec!(50));
    h.engagement_score = Some(dec!(20));
    h.lead_source = Some(ChannelId::new("webinar").unwrap());
    assert_eq!(
        f.validate_handoff(&h).unwrap_err(),
        ErrorKind::IncompleteHandoff {
            from: id("mql"),
            to: id("sal"),
            missing: vec![HandoffField::SlaDeadline.as_str()]
        }
    );
    h.sla_deadline = Some(t(1));
    assert_eq!(f.validate_handoff(&h), Ok(()));
    let other = Handoff::new(id("sal"), id("sql"));
    assert_eq!(f.validate_handoff(&other), Ok(()));
    assert!(matches!(
        f.validate_handoff(&Handoff::new(id("x"), id("sal"))).as_ref().map_err(super::super::error::Error::kind),
        Err(ErrorKind::UnknownStage { .. })
    ));
    assert!(HandoffField::ALL.iter().all(|field| !Handoff::new(id("a"), id("b")).has(*field)));
}

#[test]
fn rejections_map_to_actions_and_tally() {
    let p = RejectionPolicy::default();
    for key in Reason::KEYS {
        let reason = Reason::from_key(key).unwrap_or(Reason::Other("x".into()));
        assert_eq!(reason.key(), key);
        let _ = p.action(&reason);
    }
    assert_eq!(p.action(&Reason::BadFit), &RejectionAction::Disqualify);
    assert_eq!(p.action(&Reason::Unreachable), &RejectionAction::Recycle { after_days: 30 });
    assert!(matches!(
        p.clone().with("nope", RejectionAction::Disqualify).as_ref().map_err(super::super::error::Error::kind),
        Err(ErrorKind::UnknownKey { .. })
    ));
    assert!(matches!(
        p.clone()
            .with("bad_fit", RejectionAction::Recycle { after_days: 0 })
            .as_ref()
            .map_err(super::super::error::Error::kind),
        Err(ErrorKind::NonPositiveDuration { .. })
    ));
    assert!(matches!(
        p.clone()
            .with("bad_fit", RejectionAction::Reroute { to: " ".into() })
            .as_ref()
            .map_err(super::super::error::Error::kind),
        Err(ErrorKind::InvalidValue { .. })
    ));
    let disposition = |reason: Reason| Disposition {
        lead: LeadId::new("L1").unwrap(),
        at: t(0),
        outcome: DispositionOutcome::Rejected { reason },
    };
    let r = |reason: Reason, source: &str| {
        let lead =
            crate::facts::Lead::new(LeadId::new("L1").unwrap(), t(0)).from_source(ChannelId::new(source).unwrap());
        Rejection::from_facts(&lead, &disposition(reason), [&enter("mql", t(-1))]).unwrap().unwrap()
    };
    assert_eq!(p.decide(&disposition(Reason::BadFit)).unwrap().unwrap().requalify_at, None);
    assert_eq!(p.decide(&disposition(Reason::Unreachable)).unwrap().unwrap().requalify_at, Some(t(30 * 24)));
    assert_eq!(r(Reason::BadFit, "x").from_stage, Some(id("mql")));
    let mut a = RejectionTally::new();
    a.push(&r(Reason::BadFit, "paid_social")).unwrap();
    a.push(&r(Reason::NoBudget, "paid_social")).unwrap();
    let mut b = RejectionTally::new();
    b.push(&r(Reason::BadFit, "webinar")).unwrap();
    b.push(&r(Reason::Other("x".into()), "webinar")).unwrap();
    a.merge(b).unwrap();
    let report = a.finish();
    assert_eq!(report.total, 4);
    assert_eq!(report.top_reasons(2), vec![("bad_fit", 2), ("no_budget", 1)]);
    assert_eq!(report.top_reasons_for(&ChannelId::new("webinar").unwrap(), 5), vec![("bad_fit", 1), ("other", 1)]);
    assert_eq!(report.sources_by_count()[0].1, 2);
}

#[cfg(feature = "serde")]
mod wire {
    use super::*;

    fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(v: &T) {
        let json = serde_json::to_string(v).unwrap();
        assert_eq!(&serde_json::from_str::<T>(&json).unwrap(), v, "{json}");
    }

    #[test]
    fn definitions_round_trip() {
        round_trip(&Funnel::hubspot_lifecycle());
        round_trip(&Funnel::demand_waterfall());
        round_trip(&Funnel::buyer_language());
        round_trip(&model());
        round_trip(&Checklist::meddpicc());
        round_trip(&RejectionPolicy::default());
        round_trip(
            &Qualification::new("q", QualificationRule::leaf("fit", LeadCondition::FitScoreAtLeast(Points::from(40))))
                .unwrap(),
        );
        round_trip(
            &ScoreMatrix::new(vec![Band::new("A", Points::from(1))], vec![Band::new("1", Points::from(0))]).unwrap(),
        );
        round_trip(
            &Qualification::score_thresholds("mql", Points::from(40), Points::new(dec!(20.5)).unwrap()).unwrap(),
        );
    }

    #[test]
    fn wire_shapes_are_pinned() {
        let s = Stage::new("mql", "MQL", Owner::Marketing, StageKind::Open).unwrap();
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            r#"{"id":"mql","name":"MQL","description":"","owner":"marketing","kind":"open"}"#
        );
        let mut h = StageHistory::new();
        assert!(h.apply(&Funnel::demand_waterfall(), enter("mql", t(0)), manual("ana", "why")).unwrap().is_applied());
        assert_eq!(
            serde_json::to_string(&h).unwrap(),
            r#"{"changes":[{"entity":"L1","stage":"mql","at":"2024-01-01T00:00:00Z","how":{"kind":"override","by":"ana","reason":"why"}}]}"#
        );
        assert_eq!(serde_json::to_string(&ChangeKind::Recorded).unwrap(), r#"{"kind":"recorded"}"#);
        assert_eq!(serde_json::to_string(&Decay::HalfLife { days: 30 }).unwrap(), r#"{"half_life":{"days":30}}"#);
        assert_eq!(
            serde_json::to_string(&LeadScore::new(dec!(1.5), dec!(2))).unwrap(),
            r#"{"fit":"1.5","engagement":"2"}"#
        );
    }

    #[test]
    fn config_errors_equal_constructor_errors() {
        let dup = r#"{"name":"x","stages":[
            {"id":"a","name":"A","owner":"sales","kind":"open"},
            {"id":"a","name":"A","owner":"sales","kind":"open"}]}"#;
        let err = serde_json::from_str::<Funnel>(dup).unwrap_err().to_string();
        assert!(err.starts_with(&ErrorKind::DuplicateKey { kind: "stage id", key: "a".into() }.to_string()), "{err}");
        let empty = r#"{"name":"x","stages":[]}"#;
        assert!(
            serde_json::from_str::<Funnel>(empty)
                .unwrap_err()
                .to_string()
                .starts_with(&ErrorKind::Empty { what: "funnel stage order" }.to_string())
        );
        let typo = r#"{"name":"x","stages":[],"stgaes":[]}"#;
        assert!(serde_json::from_str::<Funnel>(typo).is_err());
        let zero = r#"{"groups":[],"decay":{"half_life":{"days":0}}}"#;
        let err = serde_json::from_str::<ScoringModel>(zero).unwrap_err().to_string();
        assert!(err.starts_with("half-life must be positive"), "{err}");
        let history = r#"{"changes":[{"entity":"L1","stage":"a","at":"2024-01-01T01:00:00Z","how":{"kind":"automatic"}},
            {"entity":"L1","stage":"b","at":"2024-01-01T01:00:00Z","how":{"kind":"automatic"}}]}"#;
        let err = serde_json::from_str::<StageHistory>(history).unwrap_err().to_string();
        assert!(err.starts_with("stage change 1 to `b`"), "{err}");
        let mixed = history.replace(
            r#""L1","stage":"b","at":"2024-01-01T01:00:00Z""#,
            r#""L2","stage":"b","at":"2024-01-01T02:00:00Z""#,
        );
        let err = serde_json::from_str::<StageHistory>(&mixed).unwrap_err().to_string();
        assert!(err.contains("another entity"), "{err}");
        // Regression: MQL thresholds derived `Deserialize` without validation, so a threshold
        // the constructor refuses could be read from configuration. A score threshold finer
        // than a hundredth is refused the same way by both.
        let fine = r#"{"name":"mql","rule":{"key":"fit","fit_score_at_least":"40.001 points"}}"#;
        let err = serde_json::from_str::<Qualification>(fine).unwrap_err().to_string();
        let expected = Points::new(dec!(40.001)).unwrap_err().to_string();
        assert!(err.starts_with(&expected), "{err}");
        assert!(serde_json::from_str::<Qualification>(&fine.replace("40.001 points", "40 points")).is_ok());
        assert!(
            serde_json::from_str::<Qualification>(r#"{"name":"q","rule":{"key":"f","has_trait":"a"},"x":1}"#).is_err()
        );
        assert_eq!(
            serde_json::to_string(
                &Qualification::score_thresholds("mql", Points::from(40), Points::new(dec!(20.5)).unwrap()).unwrap()
            )
            .unwrap(),
            r#"{"name":"mql","rule":{"all":[{"key":"fit","fit_score_at_least":"40 points"},{"key":"engagement","engagement_score_at_least":"20.5 points"}]}}"#
        );
    }
}

#[test]
fn definitions_cross_threads() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Funnel>();
    assert_send_sync::<StageHistory>();
    assert_send_sync::<ScoringModel>();
    assert_send_sync::<Qualification>();
    assert_send_sync::<RejectionTally>();
    assert_send_sync::<Handoff>();
}

#[test]
fn breakdown_explains_the_score() {
    let m = model();
    let as_of = t(24 * 100);
    let facts = LeadFacts {
        traits: vec!["software".into(), "salesforce".into(), "snowflake".into()],
        activities: vec![act("visit", as_of), act("visit", as_of), act("visit", as_of), act("visit", as_of)],
        ..LeadFacts::default()
    };
    let b = m.breakdown(&facts, as_of);
    assert_eq!(b.score, m.score(&facts, as_of));
    let tech = b.groups.iter().find(|g| g.key == "tech").unwrap();
    assert_eq!((tech.points, tech.capped), (dec!(30), dec!(20)));
    let web = b.groups.iter().find(|g| g.key == "web").unwrap();
    assert_eq!((web.points, web.capped), (dec!(20), dec!(15)));
    assert_eq!(b.groups.len(), 4);
    assert_eq!(LeadScore::new(dec!(10), dec!(20)).weighted_sum(dec!(0.5), dec!(2)).unwrap(), dec!(45));
    assert_eq!(
        LeadScore::new(Decimal::MAX, dec!(0)).weighted_sum(dec!(2), dec!(1)).unwrap_err(),
        ErrorKind::Overflow { op: "weighted lead score" }
    );
}
