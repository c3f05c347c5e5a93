//! Unit tests of stage conversion.

use super::*;
use crate::calendar::Zone;
use chrono::TimeZone;

fn t(d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).unwrap()
}

fn e(lead: &str, stage: &str, d: u32) -> StageChange {
    StageChange { entity: LeadId::new(lead).unwrap(), stage: StageId::new(stage).unwrap(), at: t(d) }
}

/// A funnel of open stages, in order.
pub(crate) fn open_funnel(stages: &[&str]) -> Funnel {
    use crate::funnel::{Owner, Stage, StageKind};
    stages
        .iter()
        .fold(Funnel::builder("test"), |b, s| b.stage(Stage::new(s, *s, Owner::Shared, StageKind::Open).unwrap()))
        .build()
        .unwrap()
}

fn def(mode: ConversionMode, reach: Reach, window_days: Option<i64>) -> StageConversion {
    let funnel = open_funnel(&["lead", "mql", "sql", "won"]);
    let mut b = StageConversion::builder(&funnel, "mql", "sql", mode).reach(reach);
    if let Some(d) = window_days {
        b = b.window(TimeDelta::try_days(d).unwrap());
    }
    b.build().unwrap()
}

fn run(entries: &[StageChange], d: &StageConversion, from: u32, to: u32) -> StageConversionRate {
    stage_conversion(entries, d, Period::new(t(from), t(to)).unwrap()).unwrap()
}

#[test]
fn the_three_modes_differ() {
    use ConversionMode::*;
    let entries = [
        e("a", "mql", 2),
        e("a", "sql", 4),
        e("a", "sql", 5), // a second SQL entry links to the same MQL
        e("b", "mql", 3),
        e("b", "sql", 10), // exactly 7 days later: outside a 7-day window
        e("c", "sql", 6),  // SQL without MQL (skipped)
        e("d", "mql", 25), // MQL late in the month, converts in February
        e("d", "sql", 28),
    ];
    let strict = Reach::Strict;
    assert_eq!(run(&entries, &def(EntityCohort, strict, Some(7)), 1, 20).rate, Ratio::new(1, 2));
    assert_eq!(run(&entries, &def(EntityCohort, strict, None), 1, 20).rate, Ratio::new(2, 2));
    let event = run(&entries, &def(EventCohort, strict, Some(7)), 1, 20);
    assert_eq!(event.rate, Ratio::new(2, 2));
    let event = run(&entries, &def(EventCohort, strict, None), 1, 20);
    assert_eq!(event.rate, Ratio::new(3, 2));
    assert!(event.exceeds_one);
    let flow = run(&entries, &def(PeriodFlow, strict, None), 1, 20);
    assert_eq!(flow.rate, Ratio::new(4, 2)); // SQL entries on the 4th, 5th, 6th and 10th
    // Reached-or-beyond: c reached MQL when it reached SQL; each entity counts once.
    let reached = Reach::OrBeyond;
    assert_eq!(run(&entries, &def(EntityCohort, reached, Some(7)), 1, 20).rate, Ratio::new(2, 3));
    assert_eq!(run(&entries, &def(EventCohort, reached, None), 1, 20).rate, Ratio::new(3, 3));
    assert_eq!(run(&entries, &def(PeriodFlow, reached, None), 1, 20).rate, Ratio::new(3, 3));
    // The cohort of d is the period of its MQL.
    assert_eq!(run(&entries, &def(EntityCohort, strict, None), 20, 31).rate, Ratio::new(1, 1));
    assert_eq!(run(&[], &def(EntityCohort, strict, None), 1, 20).rate.value(), None);
}

#[test]
fn buckets_order_and_merge() {
    use ConversionMode::*;
    let entries = [e("a", "mql", 2), e("a", "sql", 9), e("b", "mql", 9), e("b", "won", 11), e("c", "mql", 10)];
    let d = def(EntityCohort, Reach::OrBeyond, None);
    let mut tally = ConversionTally::new(d.clone(), Period::all_time());
    for entry in entries.iter().rev() {
        tally.push(entry).unwrap();
    }
    let weekly = tally.finish_by(Bucket::Week, Zone::UTC).unwrap();
    let rows: Vec<_> = weekly.iter().map(|(k, v)| (k.to_string(), v.rate)).collect();
    assert_eq!(rows, [("2024-01-01".to_owned(), Ratio::new(1, 1)), ("2024-01-08".to_owned(), Ratio::new(1, 2))]);
    let mut a = ConversionTally::new(d.clone(), Period::all_time());
    let mut b = ConversionTally::new(d.clone(), Period::all_time());
    for (i, entry) in entries.iter().enumerate() {
        if i % 2 == 0 { a.push(entry).unwrap() } else { b.push(entry).unwrap() }
    }
    b.merge(a).unwrap();
    assert_eq!(b.finish().unwrap(), stage_conversion(&entries, &d, Period::all_time()).unwrap());
    let err = stage_conversion(&[e("z", "nurture", 1)], &d, Period::all_time()).unwrap_err();
    assert_eq!(err.to_string(), "unknown stage `nurture` in stage entry of `z`");
    let _ = PeriodFlow;
}

#[test]
fn definitions_validate() {
    let order = open_funnel(&["mql", "sql"]);
    let err = StageConversion::builder(&order, "mql", "won", ConversionMode::EntityCohort).build().unwrap_err();
    assert_eq!(err.to_string(), "unknown stage `won` in conversion definition");
    assert!(StageConversion::builder(&order, "sql", "mql", ConversionMode::EntityCohort).build().is_err());
    let zero = StageConversion::builder(&order, "mql", "sql", ConversionMode::EventCohort).window(TimeDelta::zero());
    assert!(zero.build().is_err());
    let flow = StageConversion::builder(&order, "mql", "sql", ConversionMode::PeriodFlow)
        .window(TimeDelta::try_days(1).unwrap());
    assert!(flow.build().is_err());
}

#[cfg(feature = "serde")]
#[test]
fn definition_wire_format() {
    let d = def(ConversionMode::EventCohort, Reach::Strict, Some(7));
    let json = serde_json::to_string(&d).unwrap();
    assert_eq!(
        json,
        r#"{"stages":["lead","mql","sql","won"],"from":"mql","to":"sql","mode":"event_cohort","reach":"strict","window_seconds":604800}"#
    );
    assert_eq!(serde_json::from_str::<StageConversion>(&json).unwrap(), d);
    assert!(serde_json::from_str::<StageConversion>(&json.replace("604800", "0")).is_err());
}

#[test]
fn windows_are_whole_seconds() {
    // Regression: a window with a fraction of a second was accepted, then written as
    // truncated `window_seconds` (a 500 ms window as 0, which does not read back).
    let order = open_funnel(&["mql", "sql"]);
    let build = |w| StageConversion::builder(&order, "mql", "sql", ConversionMode::EventCohort).window(w).build();
    let err = build(TimeDelta::try_milliseconds(1_500).unwrap()).unwrap_err();
    assert_eq!(err.to_string(), "invalid conversion window \"PT1.5S\": must be a whole number of seconds");
    assert!(build(TimeDelta::try_milliseconds(500).unwrap()).is_err());
    assert!(build(TimeDelta::try_seconds(1).unwrap()).is_ok());
}
