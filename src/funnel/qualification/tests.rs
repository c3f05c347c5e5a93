//! Unit and property tests of the qualification rule tree.

use chrono::{TimeDelta, TimeZone};
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::*;
use crate::funnel::{Activity, LeadScore};

fn as_of() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).unwrap()
}

fn leaf(key: &str, condition: LeadCondition) -> QualificationRule {
    QualificationRule::leaf(key, condition)
}

fn fit(points: i32) -> LeadCondition {
    LeadCondition::FitScoreAtLeast(Points::from(points))
}

fn engaged(points: i32) -> LeadCondition {
    LeadCondition::EngagementScoreAtLeast(Points::from(points))
}

fn demo(within_days: Option<u32>) -> LeadCondition {
    LeadCondition::Activity { kind: "demo_request".into(), within_days }
}

/// fit >= 40 AND (engagement >= 30 OR demo requested): one definition.
fn mql() -> Qualification {
    let rule = QualificationRule::all([
        leaf("good_fit", fit(40)),
        QualificationRule::any([leaf("engaged", engaged(30)), leaf("demo_requested", demo(None))]),
    ]);
    Qualification::new("mql", rule).unwrap()
}

fn scored(fit: Decimal, engagement: Decimal) -> LeadFacts {
    let mut facts = LeadFacts::default();
    facts.set_score(LeadScore::new(fit, engagement));
    facts
}

#[test]
fn a_nested_rule_qualifies_with_provenance_in_definition_order() {
    let q = mql();
    let mut facts = scored(dec!(45), dec!(10));
    let r = q.evaluate(&facts, as_of());
    assert!(!r.qualified());
    assert_eq!(r.outcomes(&q).collect::<Vec<_>>(), [("good_fit", true), ("engaged", false), ("demo_requested", false)]);
    facts.activities.push(Activity { kind: "demo_request".into(), at: as_of() - TimeDelta::try_days(3).unwrap() });
    let r = q.evaluate(&facts, as_of());
    assert!(r.qualified());
    assert_eq!(r.passed(&q).collect::<Vec<_>>(), ["good_fit", "demo_requested"]);
    assert_eq!(r.failed(&q).collect::<Vec<_>>(), ["engaged"]);
    // Engaged but a poor fit: the `all` fails, and every leaf is still reported.
    let r = q.evaluate(&scored(dec!(39.99), dec!(90)), as_of());
    assert!(!r.qualified());
    assert_eq!(r.outcomes(&q).collect::<Vec<_>>(), [("good_fit", false), ("engaged", true), ("demo_requested", false)]);
    assert_eq!((r.leaf_count(), q.leaf_count()), (3, 3));
}

#[test]
fn not_inverts_while_the_leaf_reports_its_own_condition() {
    let student = leaf("student", LeadCondition::HasTrait("student".into()));
    let q = Qualification::new("q", QualificationRule::all([leaf("fit", fit(10)), QualificationRule::not(student)]))
        .unwrap();
    let mut facts = scored(dec!(20), dec!(0));
    assert!(q.evaluate(&facts, as_of()).qualified());
    facts.traits.push("student".into());
    let r = q.evaluate(&facts, as_of());
    assert!(!r.qualified());
    assert_eq!(r.passed(&q).collect::<Vec<_>>(), ["fit", "student"]);
    assert_eq!(q.describe(), "fit score at least 10 points and not has trait student");
}

#[test]
fn keys_are_unique_across_the_whole_tree() {
    let deep = QualificationRule::all([
        leaf("a", fit(1)),
        QualificationRule::any([
            leaf("b", fit(2)),
            QualificationRule::not(QualificationRule::all([leaf("a", fit(3))])),
        ]),
    ]);
    assert_eq!(
        Qualification::new("q", deep).unwrap_err(),
        ErrorKind::DuplicateKey { kind: "qualification rule key", key: "a".into() }
    );
    assert!(matches!(Qualification::new("q", leaf(" ", fit(1))).unwrap_err().kind(), ErrorKind::InvalidValue { .. }));
    assert_eq!(
        Qualification::new("q", QualificationRule::any([leaf("a", fit(1)), QualificationRule::all([])])).unwrap_err(),
        ErrorKind::Empty { what: "qualification rule group (all/any)" }
    );
    assert!(Qualification::new("q", leaf("t", LeadCondition::FitTierIn(vec![]))).is_err());
    assert!(Qualification::new("q", leaf("f", LeadCondition::FieldsPresent(vec![]))).is_err());
}

#[test]
fn depth_and_leaf_count_are_bounded_naming_the_limit() {
    let nest = |levels: usize| (1..levels).fold(leaf("a", fit(1)), |r, _| QualificationRule::not(r));
    assert!(Qualification::new("q", nest(Qualification::MAX_DEPTH)).is_ok());
    assert_eq!(
        Qualification::new("q", nest(Qualification::MAX_DEPTH + 1)).unwrap_err(),
        ErrorKind::TooMany { what: "qualification rule depth (levels of all/any/not)", count: 9, max: 8 }
    );
    // Far past the limit: refused by an iterative check (a tree this deep cannot come from
    // the wire, which stops reading at level 9).
    assert!(Qualification::new("q", nest(2_000)).is_err());
    let wide = |n: usize| QualificationRule::any((0..n).map(|i| leaf(&format!("k{i}"), fit(1))));
    assert_eq!(Qualification::new("q", wide(64)).unwrap().leaf_count(), 64);
    assert_eq!(
        Qualification::new("q", wide(65)).unwrap_err(),
        ErrorKind::TooMany { what: "qualification rule leaves", count: 65, max: 64 }
    );
}

#[test]
fn total_score_is_fit_plus_engagement_and_never_overflows() {
    let q = Qualification::new("q", leaf("t", LeadCondition::TotalScoreAtLeast(Points::from(70)))).unwrap();
    assert!(q.evaluate(&scored(dec!(40), dec!(30)), as_of()).qualified());
    assert!(!q.evaluate(&scored(dec!(40), dec!(29.99)), as_of()).qualified());
    assert!(!q.evaluate(&LeadFacts { fit_score: Some(dec!(100)), ..LeadFacts::default() }, as_of()).qualified());
    assert!(q.evaluate(&scored(Decimal::MAX, Decimal::MAX), as_of()).qualified());
    assert!(!q.evaluate(&scored(Decimal::MIN, Decimal::MIN), as_of()).qualified());
}

#[test]
fn describe_renders_the_tree_in_plain_words() {
    assert_eq!(
        mql().describe(),
        "fit score at least 40 points and (engagement score at least 30 points or did demo_request)"
    );
    let rule = QualificationRule::any([
        QualificationRule::all([leaf("a", LeadCondition::FitTierIn(vec!["A".into(), "B".into(), "C".into()]))]),
        QualificationRule::all([
            leaf("b", LeadCondition::FieldsPresent(vec!["email".into(), "phone".into()])),
            leaf("c", LeadCondition::TotalScoreAtLeast(Points::new(dec!(12.5)).unwrap())),
        ]),
        QualificationRule::not(QualificationRule::any([leaf("d", demo(Some(1))), leaf("e", demo(Some(30)))])),
        leaf("f", LeadCondition::FieldsPresent(vec!["email".into()])),
    ]);
    assert_eq!(
        rule.to_string(),
        "fit tier A, B or C or (has fields email and phone and fit plus engagement score at least 12.5 points) \
         or not (did demo_request within 1 day or did demo_request within 30 days) or has field email"
    );
}

#[cfg(feature = "serde")]
mod wire {
    use super::*;

    #[test]
    fn json_round_trips_and_names_what_is_wrong() {
        let q = mql();
        let json = serde_json::to_string(&q).unwrap();
        assert_eq!(
            json,
            concat!(
                r#"{"name":"mql","rule":{"all":[{"key":"good_fit","fit_score_at_least":"40 points"},"#,
                r#"{"any":[{"key":"engaged","engagement_score_at_least":"30 points"},"#,
                r#"{"key":"demo_requested","activity":{"kind":"demo_request"}}]}]}}"#
            )
        );
        assert_eq!(serde_json::from_str::<Qualification>(&json).unwrap(), q);
        let err = |rule: &str| {
            serde_json::from_str::<Qualification>(&format!(r#"{{"name":"q","rule":{rule}}}"#)).unwrap_err().to_string()
        };
        let e = err(r#"{"key":"a","fit_score_at_least":40}"#);
        assert!(e.contains(r#"write "40 points" or { points = 40 }"#), "{e}");
        let e = err(r#"{"key":"a","has_trait":"x","fit_tier_in":["A"]}"#);
        assert!(e.contains("found `fit_tier_in` after `condition`"), "{e}");
        let e = err(r#"{"key":"a","all":[{"key":"b","has_trait":"x"}]}"#);
        assert!(e.contains("only a condition has a key: `a` is on a `all` node"), "{e}");
        assert!(err(r#"{"has_trait":"x"}"#).contains("missing field `key`"));
        assert!(err(r#"{"key":"a"}"#).contains("needs one of all, any, not or a condition"));
        assert!(err(r#"{"key":"a","has_triat":"x"}"#).contains("unknown field `has_triat`"));
        assert!(err(r#"{"all":[]}"#).starts_with("qualification rule group (all/any) must not be empty"));
        let e = err(r#"{"all":[{"key":"a","has_trait":"x"},{"any":[{"key":"a","has_trait":"y"}]}]}"#);
        assert!(e.starts_with("duplicate qualification rule key `a`"), "{e}");
    }

    #[test]
    fn nesting_past_the_limit_is_refused_while_reading() {
        let nested = |levels: usize| {
            let mut json = r#"{"key":"a","has_trait":"x"}"#.to_owned();
            for _ in 1..levels {
                json = format!(r#"{{"not":{json}}}"#);
            }
            format!(r#"{{"name":"q","rule":{json}}}"#)
        };
        assert_eq!(serde_json::from_str::<Qualification>(&nested(8)).unwrap().leaf_count(), 1);
        let e = serde_json::from_str::<Qualification>(&nested(9)).unwrap_err().to_string();
        assert!(e.starts_with("qualification rule depth (levels of all/any/not): 9 given, at most 8"), "{e}");
        // Far deeper than any parser's own recursion limit: refused at level 9.
        let e = serde_json::from_str::<Qualification>(&nested(5_000)).unwrap_err().to_string();
        assert!(e.starts_with("qualification rule depth"), "{e}");
    }

    /// The TOML of [`Qualification`]'s wire format documentation.
    const MQL_TOML: &str = r#"
name = "mql"

[[rule.all]]
key = "good_fit"
fit_score_at_least = "40 points"

[[rule.all]]
any = [
    { key = "engaged", engagement_score_at_least = "30 points" },
    { key = "demo", activity = { kind = "demo_request", within_days = 30 } },
]
"#;

    #[test]
    fn the_documented_toml_loads() {
        let q: Qualification = toml::from_str(MQL_TOML).unwrap();
        let expected = QualificationRule::all([
            leaf("good_fit", fit(40)),
            QualificationRule::any([leaf("engaged", engaged(30)), leaf("demo", demo(Some(30)))]),
        ]);
        assert_eq!(q, Qualification::new("mql", expected).unwrap());
        let back: Qualification = toml::from_str(&toml::to_string(&q).unwrap()).unwrap();
        assert_eq!(back, q);
        // Nested groups as arrays of tables, as the wire format documentation says.
        let nested = "name = \"mql\"\n\n[[rule.all]]\nkey = \"good_fit\"\nfit_score_at_least = \"40 points\"\n\n\
                      [[rule.all]]\n[[rule.all.any]]\nkey = \"engaged\"\nengagement_score_at_least = \"30 points\"\n\n\
                      [[rule.all.any]]\nkey = \"demo\"\nactivity = { kind = \"demo_request\", within_days = 30 }\n";
        assert_eq!(toml::from_str::<Qualification>(nested).unwrap(), q);
        let tables = "name = \"q\"\n[rule]\nkey = \"f\"\nfit_score_at_least = { points = 40 }\n";
        assert_eq!(toml::from_str::<Qualification>(tables).unwrap().rule(), &leaf("f", fit(40)));
        let bare = toml::from_str::<Qualification>(&MQL_TOML.replace("\"40 points\"", "40")).unwrap_err();
        assert!(bare.to_string().contains(r#"write "40 points""#), "{bare}");
    }
}

// ---- properties --------------------------------------------------------------------------

fn condition() -> impl Strategy<Value = LeadCondition> {
    let points = (-50i32..150).prop_map(Points::from);
    let subset = |items: &'static [&'static str]| {
        proptest::sample::subsequence(items, 1..=items.len())
            .prop_map(|v| v.into_iter().map(str::to_owned).collect::<Vec<_>>())
    };
    prop_oneof![
        points.clone().prop_map(LeadCondition::FitScoreAtLeast),
        points.clone().prop_map(LeadCondition::EngagementScoreAtLeast),
        points.prop_map(LeadCondition::TotalScoreAtLeast),
        subset(&["A", "B", "C"]).prop_map(LeadCondition::FitTierIn),
        subset(&["email", "phone"]).prop_map(LeadCondition::FieldsPresent),
        prop::sample::select(&["software", "student"][..]).prop_map(|t| LeadCondition::HasTrait(t.to_owned())),
        (prop::sample::select(&["webinar", "demo_request"][..]), proptest::option::of(1u32..100))
            .prop_map(|(k, within_days)| LeadCondition::Activity { kind: k.to_owned(), within_days }),
    ]
}

/// A tree of at most 4 levels with unique keys `k0, k1, ...` in definition order.
fn rule_tree() -> impl Strategy<Value = QualificationRule> {
    let leaf = condition().prop_map(|c| QualificationRule::leaf("", c));
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 1..4).prop_map(QualificationRule::All),
            proptest::collection::vec(inner.clone(), 1..4).prop_map(QualificationRule::Any),
            inner.prop_map(QualificationRule::not),
        ]
    })
    .prop_map(|mut rule| {
        renumber(&mut rule, &mut 0);
        rule
    })
}

fn renumber(rule: &mut QualificationRule, next: &mut usize) {
    match rule {
        QualificationRule::Leaf { key, .. } => {
            *key = format!("k{next}");
            *next += 1;
        }
        QualificationRule::All(children) | QualificationRule::Any(children) => {
            for c in children {
                renumber(c, next);
            }
        }
        QualificationRule::Not(c) => renumber(c, next),
    }
}

/// Renames leaf `target` (definition order) to `key`.
fn rename(rule: &mut QualificationRule, target: usize, key: &str, next: &mut usize) {
    match rule {
        QualificationRule::Leaf { key: k, .. } => {
            if *next == target {
                key.clone_into(k);
            }
            *next += 1;
        }
        QualificationRule::All(children) | QualificationRule::Any(children) => {
            for c in children {
                rename(c, target, key, next);
            }
        }
        QualificationRule::Not(c) => rename(c, target, key, next),
    }
}

fn facts() -> impl Strategy<Value = LeadFacts> {
    let score = proptest::option::of((-6000i64..16000).prop_map(|h| Decimal::new(h, 2)));
    let keys = |items: &'static [&'static str]| {
        proptest::sample::subsequence(items, 0..=items.len())
            .prop_map(|v| v.into_iter().map(std::borrow::Cow::Borrowed).collect::<Vec<_>>())
    };
    let activity = (prop::sample::select(&["webinar", "demo_request", "referral"][..]), -10i64..200)
        .prop_map(|(k, days)| Activity { kind: k.into(), at: as_of() - TimeDelta::try_days(days).unwrap() });
    (
        (score.clone(), score.clone(), score),
        proptest::option::of(prop::sample::select(&["A", "B", "C", "D"][..])),
        keys(&["software", "student", "fintech"]),
        keys(&["email", "phone"]),
        proptest::collection::vec(activity, 0..4),
    )
        .prop_map(|((fit_score, engagement_score, total_score), tier, traits, fields, activities)| LeadFacts {
            traits,
            activities,
            fields,
            fit_score,
            engagement_score,
            total_score,
            fit_tier: tier.map(std::borrow::Cow::Borrowed),
        })
}

/// The conditions, written again plainly.
fn naive_condition(c: &LeadCondition, f: &LeadFacts) -> bool {
    match c {
        LeadCondition::FitScoreAtLeast(p) => f.fit_score.is_some_and(|s| s >= p.get()),
        LeadCondition::EngagementScoreAtLeast(p) => f.engagement_score.is_some_and(|s| s >= p.get()),
        LeadCondition::TotalScoreAtLeast(p) => match (f.total_score, f.fit_score, f.engagement_score) {
            (Some(total), _, _) => total >= p.get(),
            (None, Some(fit), Some(engagement)) => fit + engagement >= p.get(),
            _ => false,
        },
        LeadCondition::FitTierIn(t) => f.fit_tier.as_ref().is_some_and(|x| t.iter().any(|y| y == x)),
        LeadCondition::FieldsPresent(v) => v.iter().all(|x| f.fields.iter().any(|y| y == x)),
        LeadCondition::HasTrait(t) => f.traits.iter().any(|y| y == t),
        LeadCondition::Activity { kind, within_days } => f.activities.iter().any(|a| {
            let age = as_of() - a.at;
            a.kind == *kind && age >= TimeDelta::zero() && within_days.is_none_or(|d| age < TimeDelta::days(d.into()))
        }),
    }
}

/// The tree, evaluated recursively with short-circuits; leaf outcomes collected apart.
fn naive(rule: &QualificationRule, f: &LeadFacts) -> bool {
    match rule {
        QualificationRule::Leaf { condition, .. } => naive_condition(condition, f),
        QualificationRule::All(c) => c.iter().all(|r| naive(r, f)),
        QualificationRule::Any(c) => c.iter().any(|r| naive(r, f)),
        QualificationRule::Not(c) => !naive(c, f),
    }
}

proptest! {
    #[test]
    fn evaluation_is_deterministic_and_equals_a_naive_evaluator(rule in rule_tree(), facts in facts()) {
        let q = Qualification::new("q", rule.clone()).unwrap();
        let result = q.evaluate(&facts, as_of());
        prop_assert_eq!(q.evaluate(&facts, as_of()), result);
        prop_assert_eq!(result.qualified(), naive(&rule, &facts));
        let outcomes: Vec<(&str, bool)> = result.outcomes(&q).collect();
        let expected: Vec<(&str, bool)> = rule.leaves().map(|(k, c)| (k, naive_condition(c, &facts))).collect();
        prop_assert_eq!(outcomes, expected);
    }

    #[test]
    fn duplicate_keys_are_refused_at_any_depth(rule in rule_tree(), pick in any::<(prop::sample::Index, prop::sample::Index)>()) {
        let n = rule.leaves().count();
        prop_assume!(n >= 2);
        let (a, b) = (pick.0.index(n), pick.1.index(n));
        prop_assume!(a != b);
        let mut twice = rule;
        rename(&mut twice, b, &format!("k{a}"), &mut 0);
        prop_assert_eq!(
            Qualification::new("q", twice).unwrap_err(),
            ErrorKind::DuplicateKey { kind: "qualification rule key", key: format!("k{a}") }
        );
    }
}

#[cfg(feature = "serde")]
proptest! {
    #[test]
    fn any_rule_tree_round_trips(rule in rule_tree()) {
        let q = Qualification::new("q", rule).unwrap();
        let json = serde_json::to_string(&q).unwrap();
        prop_assert_eq!(&serde_json::from_str::<Qualification>(&json).unwrap(), &q);
        let text = toml::to_string(&q).unwrap();
        prop_assert_eq!(&toml::from_str::<Qualification>(&text).unwrap(), &q);
        let described = q.describe();
        prop_assert!(!described.is_empty());
    }
}
