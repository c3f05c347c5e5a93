use super::*;

#[test]
fn criteria_sets() {
    let s = CriteriaSet::from_indices([0, 5, 63]).unwrap();
    assert_eq!(s.iter().collect::<Vec<_>>(), vec![0, 5, 63]);
    assert_eq!(s.len(), 3);
    assert!(s.contains(63) && !s.contains(64) && !s.contains(1));
    assert!(CriteriaSet::EMPTY.is_empty());
    assert_eq!(
        CriteriaSet::from_indices([64]).unwrap_err().to_string(),
        "invalid criterion index \"64\": must be below 64"
    );
}

#[cfg(feature = "serde")]
#[test]
fn criteria_set_wire_format() {
    let s = CriteriaSet::from_indices([2, 1]).unwrap();
    assert_eq!(serde_json::to_string(&s).unwrap(), "[1,2]");
    assert_eq!(serde_json::from_str::<CriteriaSet>("[2,1]").unwrap(), s);
    assert!(serde_json::from_str::<CriteriaSet>("[70]").is_err());
}

/// A stored score with public fields is checked before use (issue 12, class of item 5).
#[cfg(feature = "serde")]
#[test]
fn a_deserialized_fit_score_is_consistent() {
    let good = r#"{"points":30,"max_points":40,"score":"75.00","tier":0,"matched":[0],"missed":[1],"unknown":[],"must_haves_missed":[],"disqualified_by":null}"#;
    let fit: FitScore = serde_json::from_str(good).unwrap();
    assert_eq!(serde_json::to_string(&fit).unwrap(), good);
    for (from, to, reason) in [
        (r#""score":"75.00""#, r#""score":"100""#, "not the score that points and max_points give"),
        (r#""points":30"#, r#""points":50"#, "more points than max_points"),
        (r#""missed":[1]"#, r#""missed":[0]"#, "a criterion is in two of matched, missed and unknown"),
        (r#""must_haves_missed":[]"#, r#""must_haves_missed":[5]"#, "a must-have missed is neither missed nor unknown"),
        (r#""disqualified_by":null"#, r#""disqualified_by":3"#, "the disqualifier did not match"),
        (r#""disqualified_by":null"#, r#""disqualified_by":18446744073709551615"#, "the disqualifier did not match"),
    ] {
        let err = serde_json::from_str::<FitScore>(&good.replace(from, to)).unwrap_err().to_string();
        assert!(err.contains(reason), "{to}: {err}");
    }
    let huge = r#"{"points":18446744073709551615,"max_points":18446744073709551615,"score":"100","tier":0,"matched":[],"missed":[],"unknown":[],"must_haves_missed":[],"disqualified_by":null}"#;
    assert!(serde_json::from_str::<FitScore>(huge).is_err());
}
