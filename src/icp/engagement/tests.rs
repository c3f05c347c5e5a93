use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;
use rust_decimal_macros::dec;

use super::*;
use crate::Tally;
use crate::funnel::Points;

fn as_of() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).unwrap()
}

fn act(account: &str, contact: Option<&str>, kind: &str, days_ago: i64) -> EngagementActivity {
    EngagementActivity::new(
        AccountId::new(account).unwrap(),
        contact.map(|c| ContactId::new(c).unwrap()),
        kind,
        as_of() - TimeDelta::days(days_ago),
    )
    .unwrap()
}

fn one(model: AccountEngagementModel, facts: &[EngagementActivity]) -> Decimal {
    let report = AccountEngagementTally::new(model, as_of()).tally(facts).unwrap();
    report.accounts.first().map_or(dec!(0), |a| a.engagement)
}

use rust_decimal::Decimal;

#[test]
fn madkudu_linear_decay_nine_points_three_days_ninety_day_lifespan_is_8_7() {
    let model = AccountEngagementModel::new(
        vec![EngagementGroup::new("web", [("visit", 9)])],
        EngagementDecay::Linear { lifespan_days: 90 },
    )
    .unwrap();
    assert_eq!(one(model.clone(), &[act("a", Some("c"), "visit", 3)]), dec!(8.7)); // 9 x 87/90
    assert_eq!(one(model.clone(), &[act("a", Some("c"), "visit", 90)]), dec!(0)); // lifespan over
    assert_eq!(one(model, &[act("a", Some("c"), "visit", -1)]), dec!(0)); // not yet
}

#[test]
fn decay_modes_by_hand() {
    let g = || vec![EngagementGroup::new("e", [("webinar", 20)])];
    let m = |d| AccountEngagementModel::new(g(), d).unwrap();
    let f = [act("a", Some("c"), "webinar", 60)];
    assert_eq!(one(m(EngagementDecay::HalfLife { days: 30 }), &f), dec!(5)); // 20 x 1/4
    assert_eq!(one(m(EngagementDecay::Window { days: 60 }), &f), dec!(0));
    assert_eq!(one(m(EngagementDecay::Window { days: 61 }), &f), dec!(20));
    // 50% a month: two whole 30-day steps, 20 x 0.25; 59 days is one step.
    assert_eq!(one(m(EngagementDecay::Step { percent: 50, interval_days: 30 }), &f), dec!(5));
    assert_eq!(
        one(m(EngagementDecay::Step { percent: 50, interval_days: 30 }), &[act("a", Some("c"), "webinar", 59)]),
        dec!(10)
    );
}

#[test]
fn caps_apply_per_contact_then_group_then_total_and_weights_multiply() {
    let model = AccountEngagementModel::new(
        vec![
            EngagementGroup::new("events", [("webinar", 10)]).with_cap(25).with_weight_percent(200),
            EngagementGroup::new("web", [("visit", 5)]),
        ],
        EngagementDecay::None,
    )
    .unwrap()
    .with_contact_cap(Some(15))
    .unwrap()
    .with_total_cap(Some(30))
    .unwrap();
    // c1: 3 webinars x 20 = 60 -> 15; c2: 1 webinar 20 -> 15; events 30 -> group cap 25.
    // web: c1 2 visits = 10; total 35 -> 30.
    let facts = [
        act("a", Some("c1"), "webinar", 1),
        act("a", Some("c1"), "webinar", 2),
        act("a", Some("c1"), "webinar", 3),
        act("a", Some("c2"), "webinar", 1),
        act("a", Some("c1"), "visit", 1),
        act("a", Some("c1"), "visit", 1),
        act("a", None, "unknown_kind", 1),
    ];
    let report = AccountEngagementTally::new(model, as_of()).tally(&facts).unwrap();
    let a = report.accounts.first().unwrap();
    assert_eq!(a.engagement, dec!(30));
    let groups: Vec<_> = a.groups.iter().map(|g| (g.points, g.capped)).collect();
    assert_eq!(groups, [(dec!(30), dec!(25)), (dec!(10), dec!(10))]);
    let contacts: Vec<_> = a.contacts.iter().map(|(c, p)| (c.as_str(), *p)).collect();
    assert_eq!(contacts, [("c1", dec!(25)), ("c2", dec!(15))]);
}

#[test]
fn mqa_needs_fit_engagement_breadth_and_intent() {
    let model =
        AccountEngagementModel::new(vec![EngagementGroup::new("e", [("webinar", 20)])], EngagementDecay::None).unwrap();
    let facts = [act("a", Some("c1"), "webinar", 1), act("a", Some("c2"), "webinar", 1), act("a", None, "webinar", 1)];
    let report = AccountEngagementTally::new(model, as_of()).tally(&facts).unwrap();
    let a = report.accounts.first().unwrap();
    assert_eq!((a.engagement, a.contacts.len()), (dec!(60), 2)); // anonymous counts to engagement only
    let t = |e, c| MqaThreshold { engagement_at_least: Points::from(e), contacts_at_least: c };
    let rule = MqaRule::new("mqa", [("A".to_owned(), t(60, 2)), ("B".to_owned(), t(80, 2))], Some(50)).unwrap();
    let r = rule.evaluate(a, Some("A"), Some(50), as_of());
    assert!(r.qualified && r.rule == "mqa" && r.at == as_of() && r.contacts.len() == 2);
    assert!(!rule.evaluate(a, Some("B"), Some(90), as_of()).qualified); // B needs 80
    assert!(!rule.evaluate(a, Some("A"), Some(49), as_of()).qualified);
    assert!(!rule.evaluate(a, Some("A"), None, as_of()).qualified);
    assert!(!rule.evaluate(a, None, Some(90), as_of()).fit_held);
    let narrow = MqaRule::new("mqa", [("A".to_owned(), t(10, 3))], None).unwrap();
    let r = narrow.evaluate(a, Some("A"), None, as_of());
    assert!(r.engagement_held && !r.breadth_held && !r.qualified);
}

#[test]
fn invalid_models_are_refused_and_merges_of_other_definitions_fail() {
    let g = EngagementGroup::new("e", [("webinar", 20)]);
    assert!(AccountEngagementModel::new(vec![], EngagementDecay::None).is_err());
    assert!(AccountEngagementModel::new(vec![g.clone(), g.clone()], EngagementDecay::None).is_err());
    assert!(AccountEngagementModel::new(vec![g.clone()], EngagementDecay::Linear { lifespan_days: 0 }).is_err());
    assert!(AccountEngagementModel::new(vec![EngagementGroup::new("e", [("w", -1)])], EngagementDecay::None).is_err());
    let m = AccountEngagementModel::new(vec![g], EngagementDecay::None).unwrap();
    let mut a = AccountEngagementTally::new(m.clone(), as_of());
    let b = AccountEngagementTally::new(m, as_of() - TimeDelta::days(1));
    let err = a.merge(b).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::DefinitionMismatch { field: "as_of", .. }));
}

#[cfg(feature = "serde")]
fn model() -> AccountEngagementModel {
    AccountEngagementModel::new(
        vec![
            EngagementGroup::new("events", [("webinar", 10), ("demo", 40)]).with_cap(60),
            EngagementGroup::new("web", [("visit", 3)]).with_weight_percent(150),
        ],
        EngagementDecay::Linear { lifespan_days: 90 },
    )
    .unwrap()
    .with_contact_cap(Some(35))
    .unwrap()
    .with_total_cap(Some(80))
    .unwrap()
}

#[cfg(feature = "serde")]
fn facts() -> impl Strategy<Value = Vec<EngagementActivity>> {
    let one = (0..4usize, proptest::option::of(0..4usize), 0..4usize, -5i64..120).prop_map(|(a, c, k, d)| {
        let kinds = ["webinar", "demo", "visit", "other"];
        let c = c.map(|c| format!("c{c}"));
        act(&format!("a{a}"), c.as_deref(), kinds.get(k).copied().unwrap_or("other"), d)
    });
    proptest::collection::vec(one, 0..60)
}

proptest! {
    #[cfg(feature = "serde")] // the partial state serializes with serde
    #[test]
    fn split_serialize_merge_equals_one_pass(facts in facts(), cut in 0usize..60, reverse in any::<bool>()) {
        let whole = AccountEngagementTally::new(model(), as_of()).tally(&facts).unwrap();
        let cut = cut.min(facts.len());
        let (x, y) = facts.split_at(cut);
        let mut parts = Vec::new();
        for part in [x, y] {
            let mut t = AccountEngagementTally::new(model(), as_of());
            for f in part { t.push(f).unwrap(); }
            let json = serde_json::to_string(&t).unwrap();
            parts.push(serde_json::from_str::<AccountEngagementTally>(&json).unwrap());
        }
        if reverse { parts.reverse(); }
        let mut it = parts.into_iter();
        let mut first = it.next().unwrap();
        for p in it { first.merge(p).unwrap(); }
        prop_assert_eq!(first.finish().unwrap(), whole.clone());
        // Deterministic order and caps never exceeded.
        prop_assert!(whole.accounts.windows(2).all(|w| w[0].account < w[1].account));
        for a in &whole.accounts {
            prop_assert!(a.engagement <= dec!(80));
            prop_assert!(a.groups.first().is_none_or(|g| g.capped <= dec!(60)));
            prop_assert!(a.contacts.iter().all(|(_, p)| *p <= dec!(70))); // 35 per group, 2 groups
            prop_assert!(a.contacts.windows(2).all(|w| w[0].0 < w[1].0));
        }
        let mut shuffled = facts.clone();
        shuffled.reverse();
        prop_assert_eq!(AccountEngagementTally::new(model(), as_of()).tally(&shuffled).unwrap(), whole);
    }
}

#[cfg(feature = "serde")] // the partial state serializes with serde
#[test]
fn a_state_with_the_wrong_shape_is_refused() {
    let t = AccountEngagementTally::new(model(), as_of());
    let mut t2 = t.clone();
    t2.push(&act("a", Some("c"), "webinar", 1)).unwrap(); // 1000 x 89/90 = 988.9 -> 989 hundredths
    let json = serde_json::to_string(&t2).unwrap();
    assert!(serde_json::from_str::<AccountEngagementTally>(&json).is_ok());
    assert!(serde_json::from_str::<AccountEngagementTally>(&json.replace("[989,0]", "[989]")).is_err(), "{json}");
    assert!(serde_json::from_str::<AccountEngagementTally>(&json.replace("[989,0]", "[-1,0]")).is_err());
}

#[cfg(feature = "serde")]
#[test]
fn an_activity_is_validated_on_deserialize_as_by_new() {
    let json = r#"{"account":"acme","contact":"c-1","kind":"webinar","at":"2024-05-20T00:00:00Z"}"#;
    let read: EngagementActivity = serde_json::from_str(json).unwrap();
    let at = Utc.with_ymd_and_hms(2024, 5, 20, 0, 0, 0).unwrap();
    let built =
        EngagementActivity::new(AccountId::new("acme").unwrap(), Some(ContactId::new("c-1").unwrap()), "webinar", at);
    assert_eq!(read, built.unwrap());
    assert_eq!(serde_json::to_string(&read).unwrap(), json);
    let anonymous = r#"{"account":"acme","kind":"visit","at":"2024-05-20T00:00:00Z"}"#;
    assert_eq!(serde_json::from_str::<EngagementActivity>(anonymous).unwrap().contact, None);
    for bad in [json.replace("webinar", " "), json.replace("webinar", ""), json.replace("\"kind\"", "\"kinds\"")] {
        assert!(serde_json::from_str::<EngagementActivity>(&bad).is_err(), "{bad}");
    }
}

/// A merge that overflows leaves the receiving tally as it was (the merge is checked before
/// anything is stored), and a merge that fits adds row by row.
#[cfg(feature = "serde")]
#[test]
fn a_merge_that_overflows_changes_nothing() {
    let state = |rows: serde_json::Value| {
        let model = serde_json::to_value(model()).unwrap();
        let at = serde_json::to_value(as_of()).unwrap();
        serde_json::from_value::<AccountEngagementTally>(serde_json::json!({"model": model, "as_of": at, "rows": rows}))
            .unwrap()
    };
    let big = i64::MAX - 5;
    let mut mine = state(serde_json::json!([
        {"account": "a", "hundredths": [1, 2]},
        {"account": "z", "hundredths": [big, 0]},
    ]));
    let before = mine.clone();
    // "a" would fit, "z" overflows: nothing of either is stored.
    let theirs = state(serde_json::json!([
        {"account": "a", "hundredths": [10, 20]},
        {"account": "z", "hundredths": [6, 0]},
    ]));
    let err = mine.merge(theirs).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Overflow { .. }), "{err}");
    assert_eq!(mine, before);
    let fits = state(serde_json::json!([
        {"account": "a", "hundredths": [10, 20]},
        {"account": "b", "hundredths": [3, 4]},
        {"account": "z", "hundredths": [5, 0]},
    ]));
    mine.merge(fits).unwrap();
    let rows: Vec<_> = mine.rows.iter().map(|((a, _), h)| (a.as_str().to_owned(), h.clone())).collect();
    assert_eq!(
        rows,
        [("a".to_owned(), vec![11, 22]), ("b".to_owned(), vec![3, 4]), ("z".to_owned(), vec![i64::MAX, 0])]
    );
}
