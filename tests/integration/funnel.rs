//! Laws of the funnel module: first-entry times never move, no backward move without an
//! override, decay never increases with age, qualification is deterministic, accumulators
//! merge associatively and commutatively, serde round-trips and config errors equal
//! constructor errors.

use std::borrow::Cow;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;
use revops::facts::{Disposition, DispositionOutcome, Lead, Reason, StageChange};
use revops::funnel::{
    Activity, ChangeKind, Decay, Funnel, LeadCondition, LeadFacts, Owner, Points, Qualification, QualificationRule,
    Rejection, RejectionTally, ScoreGroup, ScoreKind, ScoringModel, Stage, StageHistory, StageKind, Transition,
};
use revops::testkit::Company;
use revops::testkit::funnel::{self as kit, qualification, scoring_model};
use revops::{ChannelId, LeadId, StageId};
use rust_decimal::Decimal;

const WATERFALL: [&str; 8] = ["inquiry", "mql", "sal", "sql", "won", "lost", "nurture", "disqualified"];

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap()
}

/// A requested change: stage, how (0 automatic, 1 override, 2 recycle), gap in seconds (0 repeats).
fn moves() -> impl Strategy<Value = Vec<(usize, u8, i64)>> {
    prop::collection::vec(
        (0..WATERFALL.len(), prop_oneof![6 => Just(0u8), 1 => Just(1u8), 1 => Just(2u8)], 0i64..5_000),
        0..30,
    )
}

fn change(stage: usize, how: u8, at: DateTime<Utc>) -> (StageChange, ChangeKind) {
    let change = StageChange { entity: LeadId::new("L1").unwrap(), stage: StageId::new(WATERFALL[stage]).unwrap(), at };
    let how = match how {
        0 => ChangeKind::Automatic,
        1 => ChangeKind::Override { by: "ana".into(), reason: "fixing routing".into() },
        _ => ChangeKind::Recycle { reason: "bad_timing".into() },
    };
    (change, how)
}

fn run(
    funnel: &Funnel,
    requested: &[(usize, u8, i64)],
    mut check: impl FnMut(&StageHistory, &StageHistory),
) -> StageHistory {
    let mut history = StageHistory::new();
    let mut at = start();
    for &(stage, how, gap) in requested {
        at += TimeDelta::try_seconds(gap).unwrap();
        let before = history.clone();
        let (change, how) = change(stage, how, at);
        match history.apply(funnel, change, how) {
            Ok(Transition::Applied) => {}
            Ok(Transition::Refused(_)) | Err(_) => {
                assert_eq!(history, before, "a refused or failed move changed nothing");
            }
        }
        check(&before, &history);
    }
    history
}

proptest! {
    #[test]
    fn first_entry_times_never_move(requested in moves()) {
        let funnel = Funnel::demand_waterfall();
        run(&funnel, &requested, |before, after| {
            for (stage, at) in before.first_entries() {
                assert_eq!(after.first_entered(stage), Some(*at), "{stage}");
            }
        });
    }

    #[test]
    fn no_backward_move_without_an_override(requested in moves()) {
        let funnel = Funnel::demand_waterfall();
        let history = run(&funnel, &requested, |_, _| {});
        let moves: Vec<_> = history.moves().collect();
        for pair in moves.windows(2) {
            let ((from, _), (to, how)) = (pair[0], pair[1]);
            if let (Some(pf), Some(pt)) = (funnel.position(&from.stage), funnel.position(&to.stage))
                && pt < pf
            {
                prop_assert!(matches!(how, ChangeKind::Override { .. }), "{:?}", history.changes());
            }
            prop_assert!(!funnel.stage(&from.stage).unwrap().kind.is_terminal());
            prop_assert!(to.at > from.at);
        }
    }

    #[test]
    fn decay_never_increases_with_age(
        points in 0i64..1_000_000,
        days in 1u32..1_000,
        a in 0i64..100_000_000,
        b in 0i64..100_000_000,
        frame in any::<bool>(),
    ) {
        let decay = if frame { Decay::TimeFrame { days } } else { Decay::HalfLife { days } };
        let model = ScoringModel::builder()
            .group(ScoreGroup::new("g", ScoreKind::Engagement, [("visit", points)]))
            .group(ScoreGroup::new("f", ScoreKind::Fit, [("software", points)]))
            .decay(decay)
            .build()
            .unwrap();
        let (young, old) = (a.min(b), a.max(b));
        let as_of = start() + TimeDelta::try_days(3_000).unwrap();
        let facts = |age: i64| LeadFacts {
            traits: vec![Cow::Borrowed("software")],
            activities: vec![Activity { kind: "visit".into(), at: as_of - TimeDelta::try_seconds(age).unwrap() }],
            ..LeadFacts::default()
        };
        let (s_young, s_old) = (model.score(&facts(young), as_of), model.score(&facts(old), as_of));
        prop_assert!(s_old.engagement <= s_young.engagement);
        prop_assert!(s_young.engagement <= Decimal::from(points));
        prop_assert_eq!(s_old.fit, Decimal::from(points)); // fit never decays
        prop_assert_eq!(s_young.fit, Decimal::from(points));
    }

    #[test]
    fn scoring_and_qualification_are_deterministic(index in 0usize..2_000, rev in any::<bool>()) {
        let company = Company::new(11, 2_000).unwrap();
        let lead = company.lead(index);
        let as_of = lead.touches.last().unwrap().at + TimeDelta::try_days(10).unwrap();
        let model = scoring_model().unwrap();
        let rules = qualification().unwrap();
        let mut facts = company.lead_facts(&lead, as_of);
        let score = model.score(&facts, as_of);
        let mut shuffled = facts.clone();
        if rev { shuffled.activities.reverse(); shuffled.traits.reverse(); } else { let n = shuffled.activities.len().min(1); shuffled.activities.rotate_left(n); }
        prop_assert_eq!(model.score(&shuffled, as_of), score);
        facts.set_score(score);
        shuffled.set_score(score);
        let result = rules.evaluate(&facts, as_of);
        prop_assert_eq!(rules.evaluate(&facts, as_of), result);
        prop_assert_eq!(rules.evaluate(&shuffled, as_of), result);
        let passed: Vec<&str> = result.passed(&rules).collect();
        let failed: Vec<&str> = result.failed(&rules).collect();
        prop_assert_eq!(passed.len() + failed.len(), 10);
        prop_assert_eq!(result.qualified(), !passed.is_empty());
    }

    #[test]
    fn rejection_tallies_merge_associatively_and_commutatively(
        rows in prop::collection::vec((0usize..17, 0usize..5), 0..60),
        cut1 in 0usize..60,
        cut2 in 0usize..60,
    ) {
        let sources = [Some("webinar"), Some("paid_search"), Some("organic"), Some("events"), None];
        let mql = StageChange { entity: LeadId::new("L1").unwrap(), stage: StageId::new("mql").unwrap(), at: start() };
        let rejections: Vec<Rejection> = rows
            .iter()
            .map(|&(r, s)| {
                let mut lead = Lead::new(LeadId::new("L1").unwrap(), start());
                lead.source = sources[s].map(|s| ChannelId::new(s).unwrap());
                let reason = Reason::from_key(Reason::KEYS[r]).unwrap_or(Reason::Other("x".into()));
                let at = start() + TimeDelta::try_hours(1).unwrap();
                let disposition = Disposition { lead: lead.id.clone(), at, outcome: DispositionOutcome::Rejected { reason } };
                Rejection::from_facts(&lead, &disposition, [&mql]).unwrap().unwrap()
            })
            .collect();
        let (i, j) = (cut1.min(cut2).min(rejections.len()), cut1.max(cut2).min(rejections.len()));
        let tally = |part: &[Rejection]| {
            let mut t = RejectionTally::new();
            for r in part {
                t.push(r).unwrap();
            }
            t
        };
        let (a, b, c) = (tally(&rejections[..i]), tally(&rejections[i..j]), tally(&rejections[j..]));
        let mut left = a.clone();
        left.merge(b.clone()).unwrap();
        left.merge(c.clone()).unwrap();
        let mut right_inner = b.clone();
        right_inner.merge(c.clone()).unwrap();
        let mut right = a.clone();
        right.merge(right_inner).unwrap();
        let mut swapped = c;
        swapped.merge(b).unwrap();
        swapped.merge(a).unwrap();
        let whole = tally(&rejections).finish();
        prop_assert_eq!(left.finish(), whole.clone());
        prop_assert_eq!(right.finish(), whole.clone());
        prop_assert_eq!(swapped.finish(), whole.clone());
        prop_assert_eq!(whole.total, rejections.len() as u64);
    }
}

proptest! {
    #[test]
    fn generated_facts_score_and_qualify_deterministically(facts in kit::lead_facts(), days in 0i64..400) {
        let as_of = Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).unwrap() + TimeDelta::try_days(days).unwrap();
        let model = scoring_model().unwrap();
        let rules = qualification().unwrap();
        let mut reversed = facts.clone();
        reversed.activities.reverse();
        reversed.traits.reverse();
        prop_assert_eq!(model.score(&facts, as_of), model.score(&reversed, as_of));
        prop_assert_eq!(model.breakdown(&facts, as_of).score, model.score(&facts, as_of));
        prop_assert_eq!(rules.evaluate(&facts, as_of), rules.evaluate(&reversed, as_of));
        // Engagement never grows as time passes without new activity.
        let later = as_of + TimeDelta::try_days(7).unwrap();
        prop_assert!(model.score(&facts, later).engagement <= model.score(&facts, as_of).engagement
            || facts.activities.iter().any(|a| a.at > as_of));
    }

    #[test]
    fn generated_changes_keep_the_history_laws(changes in kit::stage_changes()) {
        let funnel = Funnel::demand_waterfall();
        let mut history = StageHistory::new();
        for (change, how) in changes {
            let before = history.clone();
            let applied = matches!(history.apply(&funnel, change, how), Ok(Transition::Applied));
            prop_assert_eq!(history.changes().len(), before.changes().len() + usize::from(applied));
            for (stage, at) in before.first_entries() {
                prop_assert_eq!(history.first_entered(stage), Some(*at));
            }
        }
    }

    #[test]
    fn generated_rejections_tally_in_any_order(rejections in prop::collection::vec(kit::rejection(), 0..40)) {
        let mut forward = RejectionTally::new();
        for r in &rejections {
            forward.push(r).unwrap();
        }
        let mut backward = RejectionTally::new();
        for r in rejections.iter().rev() {
            backward.push(r).unwrap();
        }
        let report = forward.finish();
        prop_assert_eq!(&report, &backward.finish());
        prop_assert_eq!(report.total, rejections.len() as u64);
        prop_assert_eq!(report.by_reason.values().sum::<u64>(), report.total);
        let sourced: u64 = report.by_source.values().flat_map(|m| m.values()).sum();
        prop_assert_eq!(sourced + report.unsourced.values().sum::<u64>(), report.total);
    }

    #[test]
    fn histories_from_facts_ignore_fact_order(requested in moves(), rotate in 0usize..30) {
        // Any applied history, as recorded facts in any order, derives the same stage changes.
        let funnel = Funnel::demand_waterfall();
        let history = run(&funnel, &requested, |_, _| {});
        let mut facts = history.changes().to_vec();
        let n = facts.len();
        if n > 0 { facts.rotate_left(rotate % n); }
        let lead = LeadId::new("L1").unwrap();
        let derived = StageHistory::from_facts(&funnel, &lead, &facts).unwrap();
        prop_assert_eq!(derived.changes(), history.changes());
        prop_assert_eq!(derived.first_entries(), history.first_entries());
    }
}

#[test]
fn quick_qualification_sanity() {
    let q = Qualification::new("q", QualificationRule::leaf("fit", LeadCondition::FitScoreAtLeast(Points::from(1))))
        .unwrap();
    assert!(!q.evaluate(&LeadFacts::default(), start()).qualified());
}

#[cfg(feature = "serde")]
mod wire {
    use super::*;

    fn kind() -> impl Strategy<Value = StageKind> {
        prop_oneof![
            Just(StageKind::Open),
            Just(StageKind::Won),
            Just(StageKind::Lost),
            Just(StageKind::Disqualified),
            Just(StageKind::Side)
        ]
    }

    proptest! {
        #[test]
        fn histories_round_trip(requested in moves()) {
            let funnel = Funnel::demand_waterfall();
            let history = run(&funnel, &requested, |_, _| {});
            let json = serde_json::to_string(&history).unwrap();
            prop_assert_eq!(serde_json::from_str::<StageHistory>(&json).unwrap(), history.clone());
            let moves = history.moves().map(|(c, how)| (c.clone(), how.clone()));
            prop_assert_eq!(StageHistory::replay(&funnel, moves).unwrap(), history);
        }

        #[test]
        fn funnel_config_errors_equal_constructor_errors(
            ordered in prop::collection::vec((0usize..6, kind()), 0..6),
            side in prop::collection::vec((0usize..6, kind()), 0..3),
            nurture in prop::option::of(0usize..7),
            skips in any::<bool>(),
        ) {
            let stage = |(i, k): (usize, StageKind)| Stage::new(&format!("s{i}"), format!("Stage {i}"), Owner::Sales, k).unwrap();
            let mut builder = Funnel::builder("custom").allow_skips(skips);
            for s in ordered.iter().copied().map(stage) { builder = builder.stage(s); }
            for s in side.iter().copied().map(stage) { builder = builder.side_stage(s); }
            if let Some(n) = nurture { builder = builder.nurture(StageId::new(format!("s{n}")).unwrap()); }
            let built = builder.build();
            let stages_json = |v: &[(usize, StageKind)]| serde_json::to_string(&v.iter().copied().map(stage).collect::<Vec<_>>()).unwrap();
            let policy = match nurture {
                Some(n) => format!(r#"{{"allow_skips":{skips},"nurture":"s{n}"}}"#),
                None => format!(r#"{{"allow_skips":{skips}}}"#),
            };
            let json = format!(
                r#"{{"name":"custom","stages":{},"side_stages":{},"policy":{policy}}}"#,
                stages_json(&ordered),
                stages_json(&side)
            );
            let parsed = serde_json::from_str::<Funnel>(&json);
            match (built, parsed) {
                (Ok(f), Ok(g)) => {
                    prop_assert_eq!(&f, &g);
                    let again = serde_json::to_string(&f).unwrap();
                    prop_assert_eq!(serde_json::from_str::<Funnel>(&again).unwrap(), f);
                }
                (Err(e), Err(d)) => {
                    let (e, d) = (e.to_string(), d.to_string());
                    prop_assert!(d.starts_with(&e), "{} vs {}", e, d);
                }
                (b, p) => prop_assert!(false, "builder {:?} vs config {:?}", b, p),
            }
        }
    }

    proptest! {
        #[test]
        fn generated_facts_round_trip(facts in kit::lead_facts(), disposition in kit::disposition()) {
            let json = serde_json::to_string(&facts).unwrap();
            prop_assert_eq!(serde_json::from_str::<LeadFacts>(&json).unwrap(), facts);
            let json = serde_json::to_string(&disposition).unwrap();
            prop_assert_eq!(serde_json::from_str::<Disposition>(&json).unwrap(), disposition);
        }
    }

    #[test]
    fn sample_definitions_round_trip() {
        let model = scoring_model().unwrap();
        let json = serde_json::to_string(&model).unwrap();
        assert_eq!(serde_json::from_str::<ScoringModel>(&json).unwrap(), model);
        let rules = qualification().unwrap();
        let json = serde_json::to_string(&rules).unwrap();
        assert_eq!(serde_json::from_str::<Qualification>(&json).unwrap(), rules);
        let company = Company::new(5, 300).unwrap();
        for lead in company.leads() {
            let facts = company.lead_facts(&lead, company.as_of());
            let json = serde_json::to_string(&facts).unwrap();
            assert_eq!(serde_json::from_str::<LeadFacts>(&json).unwrap(), facts);
            if let Some(h) = company.handoff(&lead, TimeDelta::try_hours(4)).unwrap() {
                let json = serde_json::to_string(&h).unwrap();
                assert_eq!(serde_json::from_str::<revops::funnel::Handoff>(&json).unwrap(), h);
            }
            if let Some(d) = company.funnel_disposition(&lead) {
                let json = serde_json::to_string(&d).unwrap();
                assert_eq!(serde_json::from_str::<Disposition>(&json).unwrap(), d);
            }
        }
    }
}
