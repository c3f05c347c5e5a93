//! Regression tests of issue 12 for the SLA module: wide business time, sub-second pauses,
//! the breach order, checked facts, and the accumulator contract (definitions, serde states).

use chrono::{DateTime, TimeDelta, TimeZone, Utc, Weekday};

#[cfg(feature = "serde")]
use super::milestones::quality_fact;
use super::{at, calendar, h, policy};
use crate::calendar::{BusinessCalendar, BusinessSpan};
#[cfg(feature = "serde")]
use crate::facts::{DispositionOutcome, Reason};
use crate::sla::{
    ClockStart, ComplianceReport, LeadResponse, Pause, QualityCommitment, QualityTally, ResponsePolicy, SlaInstance,
    SlaOutcome, SlaStatus, SpeedToLead, VolumeAmount, VolumeCommitment, VolumeFact, VolumeMeasure, VolumeTally,
};
use crate::{ErrorKind, LeadId, Period, Tally};

fn always() -> BusinessCalendar {
    let mut b = BusinessCalendar::builder("UTC");
    for day in [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun] {
        b = b.window(day, "00:00-24:00".parse().unwrap());
    }
    b.build().unwrap()
}

fn ms(x: i64) -> TimeDelta {
    TimeDelta::try_milliseconds(x).unwrap()
}

/// Issue 12, item 3: a pause starting at a sub-second instant made a valid evaluation fail
/// with "must be a whole number of seconds".
#[test]
fn subsecond_pauses_and_starts_evaluate_exactly() {
    let cal = always();
    let p = ResponsePolicy::new("follow_up", ClockStart::Mql, BusinessSpan::hours(1)).unwrap();
    let start = at(3, 10, 0) + ms(250);
    let pause = Pause::new(at(3, 10, 30) + ms(500), Some(at(3, 11, 0) + ms(750)));
    let instance = SlaInstance::new(start, None).with_pause(pause);
    let o = p.evaluate(&cal, &instance, at(3, 12, 0)).unwrap();
    // 30m00.25s paused: the deadline moves from 11:00:00.25 to 11:30:00.5.
    assert_eq!(o.paused, TimeDelta::try_minutes(30).unwrap() + ms(250));
    assert_eq!(o.deadline, Some(at(3, 11, 30) + ms(500)));
    assert_eq!(o.business_elapsed, TimeDelta::try_minutes(89).unwrap() + ms(59_500));
    assert_eq!(o.status, SlaStatus::Breached { by: TimeDelta::try_minutes(29).unwrap() + ms(59_500) });
    o.check().unwrap();
    // On a 9-to-5 calendar too, with a clock start in milliseconds and a later pause.
    let instance = SlaInstance::new(at(3, 16, 0) + ms(1), None).with_pause(Pause::new(at(3, 16, 30) + ms(2), None));
    let o = policy(2).evaluate(&calendar(), &instance, at(4, 12, 0)).unwrap();
    assert_eq!(o.status, SlaStatus::Paused);
    assert_eq!(o.business_elapsed, TimeDelta::try_minutes(30).unwrap() + ms(1));
}

/// Issue 12, item 2: SLA elapsed time over more than 292 years went negative in release.
#[test]
fn elapsed_over_292_years_is_never_negative() {
    let cal = always();
    let p = ResponsePolicy::new("follow_up", ClockStart::Mql, BusinessSpan::hours(1)).unwrap();
    let start = Utc.with_ymd_and_hms(1700, 1, 1, 0, 0, 0).unwrap();
    let as_of = Utc.with_ymd_and_hms(2200, 1, 1, 0, 0, 0).unwrap();
    let wall = as_of - start;
    let o = p.evaluate(&cal, &SlaInstance::new(start, None), as_of).unwrap();
    assert_eq!(o.business_elapsed, wall);
    assert_eq!(o.status, SlaStatus::Breached { by: wall - h(1) });
    // With a pause (the slow path) from 30 minutes in to 1900: still exact.
    let pause = Pause::new(
        start + TimeDelta::try_minutes(30).unwrap(),
        Some(Utc.with_ymd_and_hms(1900, 1, 1, 0, 0, 0).unwrap()),
    );
    let o = p.evaluate(&cal, &SlaInstance::new(start, None).with_pause(pause), as_of).unwrap();
    let paused = pause.end.unwrap() - pause.start;
    assert_eq!((o.paused, o.business_elapsed), (paused, wall - paused));
    assert_eq!(o.deadline, Some(pause.end.unwrap() + TimeDelta::try_minutes(30).unwrap()));
    // An active instance with a target longer than 292 years: remaining exact, at risk computed.
    let long = ResponsePolicy::new("long", ClockStart::Mql, BusinessSpan::time(wall).unwrap()).unwrap();
    let o = long.evaluate(&cal, &SlaInstance::new(start, None), as_of - h(1)).unwrap();
    assert!(matches!(o.status, SlaStatus::Active { remaining, .. } if remaining == h(1)));
}

fn breach(lead: &str, stop: Option<DateTime<Utc>>, by: i64) -> (LeadId, SlaOutcome) {
    let o = policy(1).evaluate(&calendar(), &SlaInstance::new(at(3, 9, 0), stop), at(7, 0, 0)).unwrap();
    assert!(matches!(o.status, SlaStatus::Breached { by: b } if b == h(by)), "{o:?}");
    (LeadId::new(lead).unwrap(), o)
}

/// Issue 12, item 8: breaches equal in (deadline, lead, start) came out in push order.
#[test]
fn breach_order_is_a_total_order() {
    // Same lead, start and deadline; one stopped late, one still open.
    let items = [breach("L1", Some(at(3, 12, 0)), 2), breach("L1", None, 31)];
    let report = |order: [usize; 2]| {
        let mut r = ComplianceReport::new(h(1)).unwrap();
        for i in order {
            let (lead, o) = &items[i];
            r.push("east", lead.clone(), o).unwrap();
        }
        r.finish().unwrap()
    };
    let (ab, ba) = (report([0, 1]), report([1, 0]));
    assert_eq!(ab, ba);
    assert_eq!(ab.total.breaches.iter().map(|b| b.stop.is_some()).collect::<Vec<_>>(), [false, true]);
}

/// Issue 12, item 9: an outcome with a negative elapsed time (deserialized, or its public
/// fields changed) was accepted by speed to lead (median -1 h).
#[test]
fn outcomes_are_checked_before_use() {
    let (lead, good) = breach("L1", Some(at(3, 12, 0)), 2);
    let mut bad = good;
    bad.business_elapsed = h(-1);
    let mut report = ComplianceReport::new(h(1)).unwrap();
    let err = report.push("east", lead, &bad).unwrap_err();
    assert_eq!(err.to_string().split(':').next(), Some("lead `L1`"), "{err}");
    assert!(matches!(err.kind(), ErrorKind::Negative { .. }));
    assert!(report.finish().unwrap().groups.is_empty());
    assert!(SpeedToLead::new(h(1)).unwrap().push_outcome(&bad).is_err());
    let inconsistent = [
        SlaOutcome { stop: None, status: SlaStatus::Met, ..good },
        SlaOutcome { deadline: None, ..good },
        SlaOutcome { stop: Some(at(2, 0, 0)), ..good },
        SlaOutcome { wall_elapsed: h(1), ..good },
        SlaOutcome { status: SlaStatus::Breached { by: h(-2) }, ..good },
        SlaOutcome { status: SlaStatus::Paused, ..good },
        SlaOutcome { target: h(-1), ..good },
    ];
    for o in inconsistent {
        assert!(o.check().is_err(), "{o:?}");
    }
    #[cfg(feature = "serde")]
    {
        let json = serde_json::to_string(&good).unwrap();
        assert_eq!(serde_json::from_str::<SlaOutcome>(&json).unwrap(), good);
        let negative = json.replace(r#""business_elapsed":[10800,0]"#, r#""business_elapsed":[-3600,0]"#);
        assert_ne!(negative, json);
        let err = serde_json::from_str::<SlaOutcome>(&negative).unwrap_err().to_string();
        assert!(err.contains("sla outcome business elapsed must not be negative"), "{err}");
        // Pauses and instances are checked on the way in as well.
        assert!(
            serde_json::from_str::<Pause>(r#"{"start":"2024-06-03T10:00:00Z","end":"2024-06-03T09:00:00Z"}"#).is_err()
        );
        assert!(
            serde_json::from_str::<SlaInstance>(r#"{"start":"2024-06-03T10:00:00Z","stop":"2024-06-03T09:00:00Z"}"#)
                .is_err()
        );
        let overlapping = r#"{"start":"2024-06-03T10:00:00Z","stop":null,"pauses":[{"start":"2024-06-03T11:00:00Z","end":"2024-06-03T13:00:00Z"},{"start":"2024-06-03T12:00:00Z","end":null}]}"#;
        assert!(serde_json::from_str::<SlaInstance>(overlapping).is_err());
    }
}

/// Issue 11, item 3: merging accumulators of different definitions is a typed error.
#[test]
fn merges_compare_definitions() {
    let mismatch = |tally, field| ErrorKind::DefinitionMismatch { tally, field };
    let mut a = ComplianceReport::<&str>::new(h(1)).unwrap();
    assert_eq!(
        Tally::merge(&mut a, ComplianceReport::new(h(2)).unwrap()),
        Err(crate::Error::from(mismatch("compliance report", "target")))
    );
    let mut s = SpeedToLead::new(h(1)).unwrap();
    assert_eq!(
        Tally::merge(&mut s, SpeedToLead::new(h(2)).unwrap()),
        Err(crate::Error::from(mismatch("speed to lead", "target")))
    );
    let june = Period::new(at(1, 0, 0), Utc.with_ymd_and_hms(2024, 7, 1, 0, 0, 0).unwrap()).unwrap();
    let may = Period::new(Utc.with_ymd_and_hms(2024, 5, 1, 0, 0, 0).unwrap(), at(1, 0, 0)).unwrap();
    let mqls = VolumeCommitment::new("mqls", VolumeMeasure::Mqls, VolumeAmount::Count(3)).unwrap();
    let sqls = VolumeCommitment::new("sqls", VolumeMeasure::Sqls, VolumeAmount::Count(3)).unwrap();
    let mut v = VolumeTally::new(&mqls, june);
    assert_eq!(
        Tally::merge(&mut v, VolumeTally::new(&mqls, may)),
        Err(crate::Error::from(mismatch("volume", "period")))
    );
    assert_eq!(
        Tally::merge(&mut v, VolumeTally::new(&sqls, june)),
        Err(crate::Error::from(mismatch("volume", "commitment")))
    );
    let mut q = QualityTally::new(&QualityCommitment::new("q").unwrap());
    let other = QualityTally::new(&QualityCommitment::new("r").unwrap());
    assert_eq!(Tally::merge(&mut q, other), Err(crate::Error::from(mismatch("quality", "commitment"))));
    // The trait's push and finish are the inherent ones.
    Tally::push(&mut v, &VolumeFact::mql(at(3, 0, 0))).unwrap();
    assert_eq!(Tally::finish(v).unwrap().actual, VolumeAmount::Count(1));
    Tally::push(&mut s, &LeadResponse::Responded(h(2))).unwrap();
    assert_eq!(Tally::finish(s).unwrap().responded, 1);
}

/// Issue 11, item 3: partial states serialize, and deserializing checks them.
#[cfg(feature = "serde")]
#[test]
fn partial_states_round_trip_and_are_checked() {
    let mut s = SpeedToLead::new(h(1)).unwrap();
    s.push(LeadResponse::Responded(h(2))).unwrap();
    s.push(LeadResponse::Waiting(h(3))).unwrap();
    let json = serde_json::to_string(&s).unwrap();
    assert_eq!(json, r#"{"target":"1h","responses":[[7200,0]],"within":0,"waiting":1,"overdue":1}"#);
    assert_eq!(serde_json::from_str::<SpeedToLead>(&json).unwrap(), s);
    for bad in [
        r#"{"target":"1h","responses":[[-7200,0]],"within":1,"waiting":1,"overdue":1}"#,
        r#"{"target":"1h","responses":[[7200,0]],"within":1,"waiting":1,"overdue":1}"#,
        r#"{"target":"1h","responses":[],"within":0,"waiting":1,"overdue":2}"#,
        r#"{"target":"-1h","responses":[],"within":0,"waiting":0,"overdue":0}"#,
        r#"{"target":"1h","responses":[[1,0]],"within":1,"waiting":18446744073709551615,"overdue":0}"#,
        r#"{"target":[3600,0],"responses":[],"within":0,"waiting":0,"overdue":0}"#,
    ] {
        assert!(serde_json::from_str::<SpeedToLead>(bad).is_err(), "{bad}");
    }

    let (lead, o) = breach("L1", Some(at(3, 12, 0)), 2);
    let mut report = ComplianceReport::new(h(1)).unwrap();
    report.push(("2024-06".to_owned(), "east".to_owned()), lead, &o).unwrap();
    let json = serde_json::to_string(&report).unwrap();
    let back: ComplianceReport<(String, String)> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, report);
    for (from, to) in [
        (r#""breached":1"#, r#""breached":2"#),
        (r#""met":0"#, r#""met":1"#),
        (r#""target":[3600,0]"#, r#""target":[60,0]"#),
    ] {
        let bad = json.replacen(from, to, 1);
        assert_ne!(bad, json, "{from}");
        assert!(serde_json::from_str::<ComplianceReport<(String, String)>>(&bad).is_err(), "{bad}");
    }

    let pipeline = VolumeCommitment::new(
        "pipe",
        VolumeMeasure::Pipeline,
        VolumeAmount::Amount(crate::Money::from_minor(100, crate::Currency::USD)),
    )
    .unwrap();
    let june = Period::new(at(1, 0, 0), Utc.with_ymd_and_hms(2024, 7, 1, 0, 0, 0).unwrap()).unwrap();
    let v = VolumeTally::new(&pipeline, june);
    let json = serde_json::to_string(&v).unwrap();
    assert_eq!(serde_json::from_str::<VolumeTally>(&json).unwrap(), v);
    for bad in [
        json.replace(r#""actual":{"amount""#, r#""actual":{"count":3,"x""#),
        json.replace(
            r#""actual":{"amount":{"amount":"0","currency":"USD"}}"#,
            r#""actual":{"amount":{"amount":"0","currency":"EUR"}}"#,
        ),
    ] {
        assert!(serde_json::from_str::<VolumeTally>(&bad).is_err(), "{bad}");
    }

    let mut q = QualityTally::new(&QualityCommitment::new("q").unwrap());
    q.push(&quality_fact(true, Some(DispositionOutcome::Rejected { reason: Reason::BadFit }), false)).unwrap();
    let json = serde_json::to_string(&q).unwrap();
    assert_eq!(serde_json::from_str::<QualityTally>(&json).unwrap(), q);
    for (from, to) in [
        (r#""sqls":0"#, r#""sqls":2"#),
        (r#"["bad_fit",1]"#, r#"["bad_fit",2]"#),
        (r#""accepted":0"#, r#""accepted":1"#),
    ] {
        let bad = json.replacen(from, to, 1);
        assert_ne!(bad, json, "{from}");
        assert!(serde_json::from_str::<QualityTally>(&bad).is_err(), "{bad}");
    }
}
