use chrono::{DateTime, TimeDelta, Utc, Weekday};
use proptest::prelude::*;

use super::*;
use crate::Probability;
use crate::calendar::{BusinessCalendar, BusinessSpan, parse_date};
use crate::sla::{ClockStart, Pause};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn ns(n: i64) -> TimeDelta {
    TimeDelta::nanoseconds(n)
}

fn new_york() -> BusinessCalendar {
    BusinessCalendar::builder("America/New_York").weekdays("09:00-17:00".parse().unwrap()).build().unwrap()
}

fn policy(hours: u32, percent: u8) -> ResponsePolicy {
    ResponsePolicy::new("follow_up", ClockStart::Mql, BusinessSpan::hours(hours))
        .unwrap()
        .with_at_risk(Probability::from_percent(percent).unwrap())
        .unwrap()
}

fn open(at_risk_at: Option<&str>, deadline: &str) -> SlaEscalation {
    SlaEscalation::Open { at_risk_at: at_risk_at.map(at), breach_at: at(deadline) + ns(1) }
}

#[test]
fn across_a_weekend_with_a_pause() {
    // Target 10 h, at risk at 90% (9 h). Started Thursday 6 June 2024 14:00 EDT; paused
    // Thursday 15:00 to Friday 10:00 (3 business hours: Thursday 15-17, Friday 9-10).
    // 1 h before the pause; then Friday 10:00-17:00 gives 7 h (8 h in all); the 9th hour is
    // Monday 09:00-10:00, the 10th Monday 10:00-11:00.
    let instance = SlaInstance::new(at("2024-06-06T14:00:00-04:00"), None)
        .with_pause(Pause::new(at("2024-06-06T15:00:00-04:00"), Some(at("2024-06-07T10:00:00-04:00"))));
    let got = policy(10, 90).escalation(&new_york(), &instance, at("2024-06-07T11:00:00-04:00")).unwrap();
    assert_eq!(got, open(Some("2024-06-10T10:00:00-04:00"), "2024-06-10T11:00:00-04:00"));
}

#[test]
fn across_the_spring_dst_change() {
    // New York springs forward on Sunday 10 March 2024. Started Friday 8 March 15:00 EST
    // (20:00Z), 4 h target, 75%: 2 h on Friday, 1 h more Monday 09:00-10:00 EDT (13:00Z-14:00Z),
    // the 4th hour to 11:00 EDT (15:00Z).
    let instance = SlaInstance::new(at("2024-03-08T20:00:00Z"), None);
    let got = policy(4, 75).escalation(&new_york(), &instance, at("2024-03-08T20:30:00Z")).unwrap();
    assert_eq!(got, open(Some("2024-03-11T14:00:00Z"), "2024-03-11T15:00:00Z"));
}

#[test]
fn around_the_clock_across_the_autumn_dst_change() {
    // London falls back on Sunday 27 October 2024 (a 25-hour day). Worked around the clock,
    // business time is elapsed time: from Saturday 12:00 BST (11:00Z), 12 h is 23:00Z and
    // 24 h is Sunday 11:00Z (11:00 GMT: 23 wall-clock hours later).
    let mut builder = BusinessCalendar::builder("Europe/London");
    for day in [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun] {
        builder = builder.window(day, "00:00-24:00".parse().unwrap());
    }
    let calendar = builder.build().unwrap();
    let instance = SlaInstance::new(at("2024-10-26T11:00:00Z"), None);
    let got = policy(24, 50).escalation(&calendar, &instance, at("2024-10-26T11:00:00Z")).unwrap();
    assert_eq!(got, open(Some("2024-10-26T23:00:00Z"), "2024-10-27T11:00:00Z"));
}

#[test]
fn past_instants_paused_and_stopped() {
    let cal = new_york();
    let start = at("2024-06-03T09:00:00-04:00"); // Monday
    // Already breached (Monday 11:00 deadline, open Tuesday): the instants lie in the past.
    let breached = policy(2, 50).escalation(&cal, &SlaInstance::new(start, None), at("2024-06-04T12:00:00-04:00"));
    assert_eq!(breached.unwrap(), open(Some("2024-06-03T10:00:00-04:00"), "2024-06-03T11:00:00-04:00"));
    // No threshold: only the breach timer.
    let plain = ResponsePolicy::new("p", ClockStart::Mql, BusinessSpan::hours(2)).unwrap();
    let got = plain.escalation(&cal, &SlaInstance::new(start, None), start).unwrap();
    assert_eq!(got, open(None, "2024-06-03T11:00:00-04:00"));
    // Paused at as_of (the pause has no end, or ends later): undefined.
    let pause = |end: Option<&str>| {
        SlaInstance::new(start, None).with_pause(Pause::new(at("2024-06-03T10:00:00-04:00"), end.map(at)))
    };
    let as_of = at("2024-06-03T12:00:00-04:00");
    assert_eq!(policy(2, 50).escalation(&cal, &pause(None), as_of).unwrap(), SlaEscalation::Paused);
    let later = pause(Some("2024-06-03T13:00:00-04:00"));
    assert_eq!(policy(2, 50).escalation(&cal, &later, as_of).unwrap(), SlaEscalation::Paused);
    // Resumed 13:00: 1 h before, 1 h after; the 50% instant came before the pause.
    let got = policy(2, 50).escalation(&cal, &later, at("2024-06-03T13:30:00-04:00")).unwrap();
    assert_eq!(got, open(Some("2024-06-03T10:00:00-04:00"), "2024-06-03T14:00:00-04:00"));
    // Stopped (met or breached): no timer. A stop after as_of is not known yet.
    let stopped = SlaInstance::new(start, Some(at("2024-06-03T10:30:00-04:00")));
    assert_eq!(policy(2, 50).escalation(&cal, &stopped, as_of).unwrap(), SlaEscalation::Stopped);
    let got = policy(2, 50).escalation(&cal, &stopped, at("2024-06-03T09:30:00-04:00")).unwrap();
    assert_eq!(got, open(Some("2024-06-03T10:00:00-04:00"), "2024-06-03T11:00:00-04:00"));
    // The evaluation's errors: as_of before the start.
    assert!(policy(2, 50).escalation(&cal, &stopped, at("2024-06-03T08:00:00-04:00")).is_err());
}

#[test]
fn a_fractional_threshold_lands_to_the_sub_second() {
    // 1 h at 33.3333%: 0.333333 x 3,600 s = 1,199.9988 s, 19 min 59.9988 s after the start.
    let p = ResponsePolicy::new("p", ClockStart::Mql, BusinessSpan::hours(1))
        .unwrap()
        .with_at_risk(Probability::from_percent_decimal(rust_decimal_macros::dec!(33.3333)).unwrap())
        .unwrap();
    let start = at("2024-06-03T09:00:00-04:00");
    let got = p.escalation(&new_york(), &SlaInstance::new(start, None), start).unwrap();
    assert_eq!(got, open(Some("2024-06-03T09:19:59.998800-04:00"), "2024-06-03T10:00:00-04:00"));
}

fn status(p: &ResponsePolicy, cal: &BusinessCalendar, i: &SlaInstance, t: DateTime<Utc>) -> SlaStatus {
    p.evaluate(cal, i, t).unwrap().status
}

proptest! {
    /// Evaluating at the at-risk instant reports at risk, one nanosecond before it not; at the
    /// breach instant breached, one nanosecond before it active.
    #[test]
    fn evaluations_at_the_instants_escalate(
        start_minutes in 0i64..20_000,
        hours in 1u32..30,
        percent in 0u8..=100,
        pauses in prop::collection::vec((0i64..3_000, 1i64..3_000), 0..4),
        after in 0i64..10_000,
    ) {
        let cal = BusinessCalendar::builder("America/New_York")
            .weekdays("09:00-17:00".parse().unwrap())
            .holiday(parse_date("2024-03-11").unwrap())
            .build()
            .unwrap();
        let p = policy(hours, percent);
        let minutes = |m: i64| TimeDelta::minutes(m);
        let start = at("2024-03-01T00:00:00Z") + minutes(start_minutes);
        let mut instance = SlaInstance::new(start, None);
        let mut cursor = start;
        for (gap, length) in pauses {
            let begin = cursor + minutes(gap);
            cursor = begin + minutes(length);
            instance = instance.with_pause(Pause::new(begin, Some(cursor)));
        }
        let as_of = cursor + minutes(after);
        let SlaEscalation::Open { at_risk_at, breach_at } = p.escalation(&cal, &instance, as_of).unwrap() else {
            return Err(TestCaseError::fail("an open instance with closed pauses is open"));
        };
        let deadline = p.evaluate(&cal, &instance, as_of).unwrap().deadline;
        prop_assert_eq!(Some(breach_at - ns(1)), deadline);
        let (at_breach, before) = (status(&p, &cal, &instance, breach_at), status(&p, &cal, &instance, breach_at - ns(1)));
        prop_assert!(matches!(at_breach, SlaStatus::Breached { .. }), "{:?}", at_breach);
        prop_assert!(matches!(before, SlaStatus::Active { .. }), "{:?}", before);
        let at_risk_at = at_risk_at.unwrap();
        prop_assert!(at_risk_at < breach_at);
        let at_risk = status(&p, &cal, &instance, at_risk_at);
        prop_assert!(matches!(at_risk, SlaStatus::Active { at_risk: true, .. }), "{:?}", at_risk);
        if at_risk_at > start {
            let before = status(&p, &cal, &instance, at_risk_at - ns(1));
            prop_assert!(matches!(before, SlaStatus::Active { at_risk: false, .. }), "{:?}", before);
        } else {
            prop_assert_eq!(percent, 0); // only a zero threshold is at risk from the start
        }
    }
}
