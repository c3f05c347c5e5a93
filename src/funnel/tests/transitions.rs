//! Unit tests of transitions and stage histories.

use super::*;

#[test]
fn transitions_follow_the_policy() {
    let f = Funnel::demand_waterfall();
    let auto = ChangeKind::Automatic;
    assert_eq!(f.check_move(None, &id("sql"), &auto).unwrap(), Transition::Applied);
    assert_eq!(f.check_move(Some(&id("inquiry")), &id("mql"), &auto).unwrap(), Transition::Applied);
    assert_eq!(
        f.check_move(Some(&id("sql")), &id("mql"), &auto).unwrap(),
        Transition::Refused(Refusal::Backward { from: id("sql"), to: id("mql") })
    );
    assert_eq!(
        f.check_move(Some(&id("inquiry")), &id("sql"), &auto).unwrap(),
        Transition::Refused(Refusal::Skip { from: id("inquiry"), to: id("sql"), skipped: vec![id("mql"), id("sal")] })
    );
    assert_eq!(f.check_move(Some(&id("sql")), &id("lost"), &auto).unwrap(), Transition::Applied);
    assert_eq!(
        f.check_move(Some(&id("mql")), &id("mql"), &auto).unwrap(),
        Transition::Refused(Refusal::Unchanged { stage: id("mql") })
    );
    let manual = ChangeKind::Override { by: "ana".into(), reason: "misrouted".into() };
    assert_eq!(f.check_move(Some(&id("sql")), &id("mql"), &manual).unwrap(), Transition::Applied);
    let blank = ChangeKind::Override { by: " ".into(), reason: "x".into() };
    assert!(matches!(
        f.check_move(Some(&id("sql")), &id("mql"), &blank).as_ref().map_err(crate::error::Error::kind),
        Err(ErrorKind::InvalidTransition { .. })
    ));
    for terminal in ["won", "lost", "disqualified"] {
        assert_eq!(
            f.check_move(Some(&id(terminal)), &id("mql"), &manual).unwrap_err(),
            ErrorKind::TerminalStage { from: id(terminal), to: id("mql") }
        );
    }
    let recycle = ChangeKind::Recycle { reason: "bad_timing".into() };
    assert_eq!(f.check_move(Some(&id("sal")), &id("nurture"), &recycle).unwrap(), Transition::Applied);
    assert!(matches!(
        f.check_move(Some(&id("sal")), &id("mql"), &recycle).as_ref().map_err(crate::error::Error::kind),
        Err(ErrorKind::InvalidTransition { .. })
    ));
    assert!(matches!(
        f.check_move(None, &id("nurture"), &recycle).as_ref().map_err(crate::error::Error::kind),
        Err(ErrorKind::InvalidTransition { .. })
    ));
    assert_eq!(
        Funnel::hubspot_lifecycle()
            .check_move(Some(&id("lead")), &id("other"), &ChangeKind::Recycle { reason: "x".into() })
            .unwrap_err(),
        ErrorKind::InvalidTransition { to: id("other"), reason: "the funnel has no nurture stage" }
    );
    assert_eq!(
        f.check_move(Some(&id("mql")), &id("nope"), &auto).unwrap_err(),
        ErrorKind::UnknownStage { stage: id("nope") }
    );
    // Out of nurture, automatic moves are free (a recycled lead re-qualifies).
    assert_eq!(f.check_move(Some(&id("nurture")), &id("mql"), &auto).unwrap(), Transition::Applied);
    // A recorded change (a fact) goes anywhere, backward and past open stages, but never out
    // of a terminal stage, and never to the current stage.
    let recorded = ChangeKind::Recorded;
    assert_eq!(f.check_move(Some(&id("sql")), &id("inquiry"), &recorded).unwrap(), Transition::Applied);
    assert_eq!(f.check_move(Some(&id("inquiry")), &id("won"), &recorded).unwrap(), Transition::Applied);
    assert_eq!(f.check_move(None, &id("nurture"), &recorded).unwrap(), Transition::Applied);
    assert_eq!(
        f.check_move(Some(&id("lost")), &id("sql"), &recorded).unwrap_err(),
        ErrorKind::TerminalStage { from: id("lost"), to: id("sql") }
    );
    assert_eq!(
        f.check_move(Some(&id("sal")), &id("sal"), &recorded).unwrap(),
        Transition::Refused(Refusal::Unchanged { stage: id("sal") })
    );
    // HubSpot allows skips.
    let hs = Funnel::hubspot_lifecycle();
    assert!(hs.check_move(Some(&id("subscriber")), &id("customer"), &auto).unwrap().is_applied());
}

#[test]
fn history_records_first_entries_and_rejects_bad_times() {
    let f = Funnel::demand_waterfall();
    let auto = || ChangeKind::Automatic;
    let mut h = StageHistory::new();
    for (s, at) in [("inquiry", 0), ("mql", 2), ("sal", 3)] {
        assert!(h.apply(&f, enter(s, t(at)), auto()).unwrap().is_applied());
    }
    let recycle = ChangeKind::Recycle { reason: "bad_timing".into() };
    assert!(h.apply(&f, enter("nurture", t(10)), recycle).unwrap().is_applied());
    assert!(h.apply(&f, enter("mql", t(20)), auto()).unwrap().is_applied());
    assert_eq!(h.first_entered(&id("mql")), Some(t(2)));
    assert_eq!(h.first_entered(&id("sql")), None);
    assert_eq!(h.time_in_stage(&id("mql"), t(25)), Some(TimeDelta::try_hours(1 + 5).unwrap()));
    assert_eq!(h.time_in_stage(&id("nurture"), t(12)), Some(TimeDelta::try_hours(2).unwrap()));
    assert_eq!(h.time_in_stage(&id("sql"), t(25)), None);
    assert_eq!(h.stage_at(t(1)), Some(&id("inquiry")));
    assert_eq!(h.stage_at(t(3)), Some(&id("sal")));
    assert_eq!(h.stage_at(t(-1)), None);
    assert!(h.reached(&f, &id("sal"), Reach::Strict));
    assert!(!h.reached(&f, &id("sql"), Reach::OrBeyond));
    assert_eq!(h.reached_at(&f, &id("mql"), Reach::OrBeyond), Some(t(2)));
    assert_eq!(h.entity(), Some(&LeadId::new("L1").unwrap()));
    let repeat = h.apply(&f, enter("sal", t(20)), auto()).unwrap_err();
    assert_eq!(repeat, ErrorKind::StageChangeOutOfOrder { index: 5, stage: id("sal"), at: t(20), previous: t(20) });
    assert!(matches!(
        h.apply(&f, enter("sal", t(19)), auto()).as_ref().map_err(crate::error::Error::kind),
        Err(ErrorKind::StageChangeOutOfOrder { .. })
    ));
    let other = StageChange { entity: LeadId::new("L2").unwrap(), stage: id("sal"), at: t(30) };
    assert!(matches!(
        h.apply(&f, other, auto()).as_ref().map_err(crate::error::Error::kind),
        Err(ErrorKind::InvalidTransition { .. })
    ));
    // Skipped stages are not back-filled: an override that jumps to won leaves sql empty.
    let mut jump = StageHistory::new();
    assert!(jump.apply(&f, enter("mql", t(0)), auto()).unwrap().is_applied());
    assert!(jump.apply(&f, enter("won", t(1)), manual("ana", "closed offline")).unwrap().is_applied());
    assert_eq!(jump.first_entered(&id("sql")), None);
    assert!(jump.reached(&f, &id("sql"), Reach::OrBeyond));
    assert!(!jump.reached(&f, &id("sql"), Reach::Strict));
    let replayed = StageHistory::replay(&f, jump.moves().map(|(c, how)| (c.clone(), how.clone()))).unwrap();
    assert_eq!(replayed, jump);
    let refused = StageHistory::replay(&f, [(enter("sql", t(0)), auto()), (enter("mql", t(1)), auto())]);
    assert!(matches!(refused.as_ref().map_err(crate::error::Error::kind), Err(ErrorKind::InvalidTransition { .. })));
}

#[test]
fn history_from_facts_records_them_in_time_order() {
    let f = Funnel::demand_waterfall();
    let l2 = StageChange { entity: LeadId::new("L2").unwrap(), stage: id("won"), at: t(1) };
    // Out of order, another lead's change among them, and a backward move a person made.
    let facts = [enter("sql", t(5)), l2.clone(), enter("inquiry", t(0)), enter("mql", t(6)), enter("won", t(9))];
    let h = StageHistory::from_facts(&f, &LeadId::new("L1").unwrap(), &facts).unwrap();
    let stages: Vec<&str> = h.changes().iter().map(|c| c.stage.as_str()).collect();
    assert_eq!(stages, ["inquiry", "sql", "mql", "won"]);
    assert!(h.moves().all(|(_, how)| *how == ChangeKind::Recorded));
    assert_eq!(h.first_entered(&id("sql")), Some(t(5)));
    let other = StageHistory::from_facts(&f, &LeadId::new("L2").unwrap(), &facts).unwrap();
    assert_eq!(other.changes(), [l2]);
    let none = StageHistory::from_facts(&f, &LeadId::new("L3").unwrap(), &facts).unwrap();
    assert_eq!(none.current(), None);
    // Facts that contradict the funnel are errors naming the change, not silent drops.
    let twice = [enter("mql", t(1)), enter("sal", t(1))];
    assert!(matches!(
        StageHistory::from_facts(&f, &LeadId::new("L1").unwrap(), &twice).as_ref().map_err(crate::error::Error::kind),
        Err(ErrorKind::StageChangeOutOfOrder { index: 1, .. })
    ));
    let after_won = [enter("won", t(1)), enter("sql", t(2))];
    assert_eq!(
        StageHistory::from_facts(&f, &LeadId::new("L1").unwrap(), &after_won).unwrap_err(),
        ErrorKind::TerminalStage { from: id("won"), to: id("sql") }
    );
    let unchanged = [enter("mql", t(1)), enter("mql", t(2))];
    assert!(matches!(
        StageHistory::from_facts(&f, &LeadId::new("L1").unwrap(), &unchanged)
            .as_ref()
            .map_err(crate::error::Error::kind),
        Err(ErrorKind::InvalidTransition { .. })
    ));
    let unknown = [enter("sqo", t(1))];
    assert_eq!(
        StageHistory::from_facts(&f, &LeadId::new("L1").unwrap(), &unknown).unwrap_err(),
        ErrorKind::UnknownStage { stage: id("sqo") }
    );
}
