use super::*;
use crate::funnel::{RejectionAction, RejectionPolicy};
use chrono::TimeZone;

fn t(hours: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap() + chrono::TimeDelta::try_hours(hours).unwrap()
}

fn lead(n: u32, source: Option<&str>) -> Lead {
    let mut lead = Lead::new(LeadId::new(format!("L-{n}")).unwrap(), t(0));
    lead.source = source.map(|s| ChannelId::new(s).unwrap());
    lead
}

fn rejected(lead: &Lead, reason: Reason, at: DateTime<Utc>) -> Disposition {
    Disposition { lead: lead.id.clone(), at, outcome: DispositionOutcome::Rejected { reason } }
}

/// A rejection derived from the facts, rejected from `mql`.
fn rejection(reason: Reason, source: &str, n: u32) -> Rejection {
    rejection_from(reason, Some(source), n)
}

fn rejection_from(reason: Reason, source: Option<&str>, n: u32) -> Rejection {
    let lead = lead(n, source);
    let mql = StageId::new("mql").unwrap();
    Rejection::with_from_stage(&lead, &rejected(&lead, reason, t(0)), Some(mql)).unwrap().unwrap()
}

fn change(lead: &Lead, stage: &str, hours: i64) -> StageChange {
    StageChange { entity: lead.id.clone(), stage: StageId::new(stage).unwrap(), at: t(hours) }
}

#[test]
fn a_rejection_is_derived_from_the_facts() {
    let l1 = lead(1, Some("webinar"));
    let l2 = lead(2, None);
    // Facts in any order, another lead's changes among them.
    let changes = [
        change(&l1, "sal", 5),
        change(&l2, "sql", 6),
        change(&l1, "inquiry", 0),
        change(&l1, "disqualified", 8),
        change(&l1, "mql", 2),
    ];
    let r = Rejection::from_facts(&l1, &rejected(&l1, Reason::NoNeed, t(8)), &changes).unwrap().unwrap();
    assert_eq!(r.from_stage, Some(StageId::new("sal").unwrap()), "the stage just before, not the one at");
    assert_eq!((r.reason.clone(), r.recycled, r.at), (Reason::NoNeed, false, t(8)));
    assert_eq!(r.source, l1.source);
    let early = Rejection::from_facts(&l1, &rejected(&l1, Reason::NoNeed, t(0)), &changes).unwrap().unwrap();
    assert_eq!(early.from_stage, None, "no change strictly before");
    let recycled =
        Disposition { lead: l2.id.clone(), at: t(7), outcome: DispositionOutcome::Recycled { reason: Reason::Price } };
    let r2 = Rejection::from_facts(&l2, &recycled, &changes).unwrap().unwrap();
    assert!(r2.recycled);
    assert_eq!((r2.source, r2.from_stage), (None, Some(StageId::new("sql").unwrap())));
    let accepted = Disposition { lead: l1.id.clone(), at: t(3), outcome: DispositionOutcome::Accepted };
    assert_eq!(Rejection::from_facts(&l1, &accepted, &changes).unwrap(), None);
    assert_eq!(
        Rejection::from_facts(&l2, &rejected(&l1, Reason::BadFit, t(3)), &changes).unwrap_err(),
        ErrorKind::InconsistentRecord { reason: "the disposition is for another lead than the one given" }
    );
    let err = Rejection::from_facts(&l2, &rejected(&l1, Reason::BadFit, t(3)), &changes).unwrap_err();
    assert_eq!(err.record(), Some(&crate::Record::Lead(l1.id.clone())));
}

#[test]
fn every_reason_has_an_action_and_the_new_keys_have_their_defaults() {
    let p = RejectionPolicy::default();
    for key in Reason::KEYS {
        let reason = Reason::from_key(key).unwrap_or(Reason::Other("x".into()));
        assert!(p.clone().with(key, p.action(&reason).clone()).is_ok(), "{key}");
    }
    let reroute = |to: &str| RejectionAction::Reroute { to: to.into() };
    assert_eq!(p.action(&Reason::Price), &RejectionAction::Recycle { after_days: 90 });
    assert_eq!(p.action(&Reason::NoDecision), &RejectionAction::Recycle { after_days: 90 });
    assert_eq!(p.action(&Reason::MissingFeatures), &reroute("product_feedback"));
    assert_eq!(p.action(&Reason::Unspecified), &reroute("revops_review"));
    assert_eq!(p.action(&Reason::Other("x".into())), &reroute("revops_review"));
    // The existing defaults are unchanged.
    assert_eq!(p.action(&Reason::NoNeed), &RejectionAction::Recycle { after_days: 180 });
    assert_eq!(p.action(&Reason::Duplicate), &reroute("record_owner"));
    let l = lead(1, None);
    let accepted = Disposition { lead: l.id.clone(), at: t(0), outcome: DispositionOutcome::Accepted };
    assert_eq!(p.decide(&accepted).unwrap(), None);
    let decision = p.decide(&rejected(&l, Reason::Price, t(0))).unwrap().unwrap();
    assert_eq!(decision.requalify_at, Some(t(90 * 24)));
    let late = rejected(&l, Reason::Price, DateTime::<Utc>::MAX_UTC);
    assert_eq!(p.decide(&late).unwrap_err(), ErrorKind::Overflow { op: "re-qualification date" });
}

#[test]
fn leads_without_a_source_are_counted_apart() {
    let l = lead(1, None);
    let r = Rejection::with_from_stage(&l, &rejected(&l, Reason::BadData, t(0)), None).unwrap().unwrap();
    let mut tally = RejectionTally::new();
    tally.push(&r).unwrap();
    tally.push(&rejection(Reason::BadData, "web", 2)).unwrap();
    let report = tally.finish();
    assert_eq!(report.total, 2);
    assert_eq!(report.by_reason.get("bad_data"), Some(&2));
    assert_eq!(report.unsourced.get("bad_data"), Some(&1));
    assert_eq!(report.sources_by_count().len(), 1);
}

#[test]
fn push_and_merge_are_checked() {
    let mut near = RejectionTally::new();
    near.push(&rejection(Reason::BadFit, "web", 1)).unwrap();
    near.report.total = u64::MAX;
    near.report.by_reason.insert("bad_fit".into(), u64::MAX);
    let before = near.clone();
    assert_eq!(
        near.push(&rejection(Reason::NoNeed, "web", 2)).unwrap_err(),
        ErrorKind::Overflow { op: "rejection tally" }
    );
    assert_eq!(near, before);
    let mut other = RejectionTally::new();
    other.push(&rejection(Reason::BadFit, "web", 3)).unwrap();
    assert!(near.merge(other).is_err());
    assert_eq!(near, before);
}

#[test]
fn sources_by_count_does_not_overflow_on_an_edited_report() {
    let mut t = RejectionTally::new();
    t.push(&rejection(Reason::BadFit, "web", 1)).unwrap();
    let mut report = t.finish();
    let web = ChannelId::new("web").unwrap();
    report.by_source.get_mut(&web).unwrap().insert("no_need".into(), u64::MAX);
    assert_eq!(report.sources_by_count(), vec![(&web, u64::MAX)]);
}

#[cfg(feature = "serde")]
mod wire {
    use super::*;
    use crate::Tally;
    use proptest::prelude::*;

    /// Issue 12 item 11: a reason written twice in a policy map used to keep the last one.
    #[test]
    fn a_policy_key_written_twice_is_refused() {
        let json = r#"{"no_need":{"recycle":{"after_days":30}},"no_need":"disqualify"}"#;
        let err = serde_json::from_str::<RejectionPolicy>(json).unwrap_err().to_string();
        assert!(err.starts_with("duplicate rejection reason `no_need`"), "{err}");
        let ok = serde_json::from_str::<RejectionPolicy>(r#"{"no_need":"disqualify","bad_fit":"disqualify"}"#).unwrap();
        assert_eq!(ok.action(&Reason::NoNeed), &RejectionAction::Disqualify);
        assert_eq!(serde_json::from_str::<RejectionPolicy>(&serde_json::to_string(&ok).unwrap()).unwrap(), ok);
    }

    #[test]
    fn a_deserialized_report_is_validated() {
        let mut t = RejectionTally::new();
        t.push(&rejection(Reason::BadFit, "web", 1)).unwrap();
        t.push(&rejection(Reason::Other("x".into()), "ads", 2)).unwrap();
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(
            json,
            r#"{"total":2,"by_reason":{"bad_fit":1,"other":1},"by_source":{"ads":{"other":1},"web":{"bad_fit":1}}}"#
        );
        assert_eq!(serde_json::from_str::<RejectionTally>(&json).unwrap(), t);
        // Leads without a source serialize apart, and are validated with the rest.
        let mut u = t.clone();
        let l = lead(9, None);
        let at = l.created_at;
        u.push(&Rejection::with_from_stage(&l, &rejected(&l, Reason::Price, at), None).unwrap().unwrap()).unwrap();
        let with_unsourced = serde_json::to_string(&u).unwrap();
        assert!(with_unsourced.ends_with(r#","unsourced":{"price":1}}"#), "{with_unsourced}");
        assert_eq!(serde_json::from_str::<RejectionTally>(&with_unsourced).unwrap(), u);
        let bad = with_unsourced.replace(r#""unsourced":{"price":1}"#, r#""unsourced":{"price":2}"#);
        assert!(serde_json::from_str::<RejectionTally>(&bad).unwrap_err().to_string().contains("not the sums"));
        for (bad, message) in [
            (json.replace(r#""total":2"#, r#""total":3"#), "the total is not the sum"),
            (json.replace(r#""bad_fit":1,"other":1"#, r#""bad_fit":2,"other":1"#), "not the sums over sources"),
            (json.replace(r#""other":1}"#, r#""other":0}"#), "zero count"),
            (json.replace("bad_fit", "bad_vibes"), "unknown rejection reason `bad_vibes`"),
            (json.replace(r#""ads":{"other":1}"#, r#""ads":{}"#), "a source without rejections"),
            (
                r#"{"total":1,"by_reason":{"bad_fit":18446744073709551615,"other":1},"by_source":{}}"#.to_owned(),
                "arithmetic overflow",
            ),
        ] {
            let err = serde_json::from_str::<RejectionTally>(&bad).unwrap_err().to_string();
            assert!(err.contains(message), "{bad}: {err}");
        }
    }

    fn reason() -> impl Strategy<Value = Reason> {
        prop_oneof![
            Just(Reason::BadFit),
            Just(Reason::NoBudget),
            Just(Reason::Duplicate),
            "[a-z]{1,3}".prop_map(Reason::Other),
        ]
    }

    proptest! {
        /// Issue 11 item 3: split the rejections randomly, serialize each part's tally to JSON,
        /// read it back, merge in a random tree order: the same report as one pass.
        #[test]
        fn parts_through_json_merge_to_one_pass(
            rows in proptest::collection::vec((reason(), 0usize..4, 0usize..4), 0..40),
            order in proptest::collection::vec(0usize..8, 0..8),
        ) {
            let sources = [Some("web"), Some("ads"), Some("events"), None];
            let mut whole = RejectionTally::new();
            let mut parts = vec![RejectionTally::new(); 4];
            for (i, (reason, source, part)) in rows.iter().enumerate() {
                let r = rejection_from(reason.clone(), sources[*source], u32::try_from(i).unwrap());
                Tally::push(&mut whole, &r).unwrap();
                Tally::push(&mut parts[*part], &r).unwrap();
            }
            let mut parts: Vec<RejectionTally> = parts
                .iter()
                .map(|p| serde_json::from_str(&serde_json::to_string(p).unwrap()).unwrap())
                .collect();
            let mut k = 0;
            while parts.len() > 1 {
                let i = order.get(k).copied().unwrap_or(0) % (parts.len() - 1);
                k += 1;
                let right = parts.remove(i + 1);
                Tally::merge(&mut parts[i], right).unwrap();
            }
            let merged = parts.pop().unwrap();
            prop_assert_eq!(Tally::finish(merged).unwrap(), Tally::finish(whole).unwrap());
        }
    }
}
