use super::*;
use chrono::TimeZone;

fn rejection(reason: RejectionReason, source: &str, lead: u32) -> Rejection {
    Rejection {
        lead: LeadId::new(format!("L-{lead}")).unwrap(),
        reason,
        at: Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap(),
        source: ChannelId::new(source).unwrap(),
        from_stage: StageId::new("mql").unwrap(),
    }
}

#[test]
fn push_and_merge_are_checked() {
    let mut near = RejectionTally::new();
    near.push(&rejection(RejectionReason::BadFit, "web", 1)).unwrap();
    near.report.total = u64::MAX;
    near.report.by_reason.insert("bad_fit".into(), u64::MAX);
    let before = near.clone();
    assert_eq!(
        near.push(&rejection(RejectionReason::NoNeed, "web", 2)).unwrap_err(),
        Error::Overflow { op: "rejection tally" }
    );
    assert_eq!(near, before);
    let mut other = RejectionTally::new();
    other.push(&rejection(RejectionReason::BadFit, "web", 3)).unwrap();
    assert!(near.merge(other).is_err());
    assert_eq!(near, before);
}

#[test]
fn sources_by_count_does_not_overflow_on_an_edited_report() {
    let mut t = RejectionTally::new();
    t.push(&rejection(RejectionReason::BadFit, "web", 1)).unwrap();
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
        assert_eq!(ok.action(&RejectionReason::NoNeed), &RejectionAction::Disqualify);
        assert_eq!(serde_json::from_str::<RejectionPolicy>(&serde_json::to_string(&ok).unwrap()).unwrap(), ok);
    }

    #[test]
    fn a_deserialized_report_is_validated() {
        let mut t = RejectionTally::new();
        t.push(&rejection(RejectionReason::BadFit, "web", 1)).unwrap();
        t.push(&rejection(RejectionReason::Other("x".into()), "ads", 2)).unwrap();
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(
            json,
            r#"{"total":2,"by_reason":{"bad_fit":1,"other":1},"by_source":{"ads":{"other":1},"web":{"bad_fit":1}}}"#
        );
        assert_eq!(serde_json::from_str::<RejectionTally>(&json).unwrap(), t);
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

    fn reason() -> impl Strategy<Value = RejectionReason> {
        prop_oneof![
            Just(RejectionReason::BadFit),
            Just(RejectionReason::NoBudget),
            Just(RejectionReason::Duplicate),
            "[a-z]{1,3}".prop_map(RejectionReason::Other),
        ]
    }

    proptest! {
        /// Issue 11 item 3: split the rejections randomly, serialize each part's tally to JSON,
        /// read it back, merge in a random tree order: the same report as one pass.
        #[test]
        fn parts_through_json_merge_to_one_pass(
            rows in proptest::collection::vec((reason(), 0usize..3, 0usize..4), 0..40),
            order in proptest::collection::vec(0usize..8, 0..8),
        ) {
            let sources = ["web", "ads", "events"];
            let mut whole = RejectionTally::new();
            let mut parts = vec![RejectionTally::new(); 4];
            for (i, (reason, source, part)) in rows.iter().enumerate() {
                let r = rejection(reason.clone(), sources[*source], u32::try_from(i).unwrap());
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
