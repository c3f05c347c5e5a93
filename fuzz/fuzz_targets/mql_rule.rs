//! The MQL rule: arbitrary JSON read as a `Qualification` (or, when it is not one, as the
//! `rule` of one), then evaluated on a fixed lead.
//!
//! Oracles: reading never panics and never overflows the stack (a rule nested past
//! `Qualification::MAX_DEPTH` is refused while it is read); a rule that reads evaluates
//! deterministically, its result has one outcome per leaf in definition order, `qualified`
//! equals the tree recombined from those leaf outcomes, the rule survives a JSON round trip
//! unchanged, and its plain-words rendering is not empty.
#![no_main]

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use revops::funnel::{Activity, LeadFacts, LeadScore, Qualification, QualificationRule};
use rust_decimal::Decimal;

fn as_of() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).single().expect("a valid instant")
}

/// A lead with a score, a tier, a trait, a field and two activities.
fn lead() -> LeadFacts {
    let mut facts = LeadFacts {
        traits: vec!["software".into()],
        activities: vec![
            Activity { kind: "demo_request".into(), at: as_of() - TimeDelta::days(3) },
            Activity { kind: "webinar".into(), at: as_of() - TimeDelta::days(40) },
        ],
        fields: vec!["email".into()],
        fit_tier: Some("B".into()),
        ..LeadFacts::default()
    };
    facts.set_score(LeadScore::new(Decimal::new(4500, 2), Decimal::new(1250, 2)));
    facts
}

/// `rule` recombined from the leaf outcomes, consumed in definition order.
fn recombine(rule: &QualificationRule, leaves: &mut impl Iterator<Item = bool>) -> bool {
    match rule {
        QualificationRule::Leaf { .. } => leaves.next().expect("one outcome per leaf"),
        QualificationRule::All(children) => children.iter().fold(true, |all, c| recombine(c, leaves) & all),
        QualificationRule::Any(children) => children.iter().fold(false, |any, c| recombine(c, leaves) | any),
        QualificationRule::Not(child) => !recombine(child, leaves),
        _ => unreachable!("a rule node revops does not have yet"),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let q = match serde_json::from_str::<Qualification>(text) {
        Ok(q) => q,
        Err(_) => match serde_json::from_str::<Qualification>(&format!(r#"{{"name":"fuzz","rule":{text}}}"#)) {
            Ok(q) => q,
            Err(_) => return,
        },
    };
    let facts = lead();
    let result = q.evaluate(&facts, as_of());
    assert_eq!(q.evaluate(&facts, as_of()), result, "evaluation is not deterministic");
    let outcomes: Vec<(&str, bool)> = result.outcomes(&q).collect();
    assert_eq!(outcomes.len(), q.leaf_count());
    assert!(q.leaf_count() <= Qualification::MAX_LEAVES);
    let keys: Vec<&str> = q.rule().leaves().map(|(k, _)| k).collect();
    assert_eq!(outcomes.iter().map(|(k, _)| *k).collect::<Vec<_>>(), keys);
    let mut leaves = outcomes.iter().map(|(_, ok)| *ok);
    assert_eq!(recombine(q.rule(), &mut leaves), result.qualified(), "qualified disagrees with its leaves");
    let json = serde_json::to_string(&q).expect("a rule serializes");
    let back: Qualification = serde_json::from_str(&json).unwrap_or_else(|e| panic!("own JSON refused: {e}\n{json}"));
    assert_eq!(back, q, "JSON round trip changed the rule");
    assert!(!q.describe().is_empty());
});
