use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use rust_decimal_macros::dec;

use super::*;
use crate::calendar::{BusinessCalendar, BusinessSpan, BusinessTimeline};
use crate::{Currency, ErrorKind, LeadId, Money, Period, Probability, Ratio, SegmentId};

/// 2024-06-03 is a Monday; the calendar is UTC 09:00-17:00 on weekdays.
fn at(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 6, d, h, m, 0).unwrap()
}

fn calendar() -> BusinessCalendar {
    BusinessCalendar::builder("UTC").weekdays("09:00-17:00".parse().unwrap()).build().unwrap()
}

fn policy(hours: u32) -> ResponsePolicy {
    ResponsePolicy::new("follow_up", ClockStart::Mql, BusinessSpan::hours(hours))
        .unwrap()
        .with_at_risk(Probability::from_percent(75).unwrap())
        .unwrap()
}

fn h(x: i64) -> TimeDelta {
    TimeDelta::try_hours(x).unwrap()
}

#[test]
fn completion_exactly_at_the_deadline_is_met() {
    let cal = calendar();
    let p = policy(2);
    let met = p.evaluate(&cal, &SlaInstance::new(at(3, 10, 0), Some(at(3, 12, 0))), at(10, 0, 0)).unwrap();
    assert_eq!(met.status, SlaStatus::Met);
    assert_eq!(met.deadline, Some(at(3, 12, 0)));
    assert_eq!(met.business_elapsed, h(2));
    let late = p.evaluate(&cal, &SlaInstance::new(at(3, 10, 0), Some(at(3, 12, 1))), at(10, 0, 0)).unwrap();
    assert_eq!(late.status, SlaStatus::Breached { by: TimeDelta::try_minutes(1).unwrap() });
    // Deadline at a closing instant; answered that evening: breached by zero business time.
    let evening = p.evaluate(&cal, &SlaInstance::new(at(3, 15, 0), Some(at(3, 18, 0))), at(10, 0, 0)).unwrap();
    assert_eq!(evening.deadline, Some(at(3, 17, 0)));
    assert_eq!(evening.status, SlaStatus::Breached { by: TimeDelta::zero() });
    assert_eq!(evening.wall_elapsed, h(3));
}

#[test]
fn open_instances_are_active_then_breached() {
    let cal = calendar();
    let p = policy(4);
    let open = SlaInstance::new(at(3, 10, 0), None);
    let early = p.evaluate(&cal, &open, at(3, 12, 0)).unwrap();
    assert_eq!(early.status, SlaStatus::Active { remaining: h(2), at_risk: false });
    assert_eq!(early.elapsed_percent(), Some(dec!(50)));
    let risky = p.evaluate(&cal, &open, at(3, 13, 0)).unwrap();
    assert_eq!(risky.status, SlaStatus::Active { remaining: h(1), at_risk: true }); // exactly 75%
    let at_deadline = p.evaluate(&cal, &open, at(3, 14, 0)).unwrap();
    assert_eq!(at_deadline.status, SlaStatus::Active { remaining: TimeDelta::zero(), at_risk: true });
    let past = p.evaluate(&cal, &open, at(4, 10, 0)).unwrap();
    assert_eq!(past.status, SlaStatus::Breached { by: h(4) });
    assert!(!early.status.is_decided() && past.status.is_decided());
    // A stop after as_of is not known yet.
    let future_stop = SlaInstance::new(at(3, 10, 0), Some(at(3, 11, 0)));
    assert!(matches!(p.evaluate(&cal, &future_stop, at(3, 10, 30)).unwrap().status, SlaStatus::Active { .. }));
}

#[test]
fn pauses_extend_the_deadline() {
    let cal = calendar();
    let p = policy(4);
    // Start Monday 10:00, paused 11:00-13:00: deadline 16:00 instead of 14:00.
    let paused =
        SlaInstance::new(at(3, 10, 0), Some(at(3, 15, 30))).with_pause(Pause::new(at(3, 11, 0), Some(at(3, 13, 0))));
    let o = p.evaluate(&cal, &paused, at(10, 0, 0)).unwrap();
    assert_eq!(o.deadline, Some(at(3, 16, 0)));
    assert_eq!(o.status, SlaStatus::Met);
    assert_eq!(o.paused, h(2));
    assert_eq!(o.business_elapsed, TimeDelta::try_minutes(210).unwrap());
    // A pause over the night only pauses business time: Monday 16:00 to Tuesday 10:00 is 2h.
    let overnight = SlaInstance::new(at(3, 15, 0), None).with_pause(Pause::new(at(3, 16, 0), Some(at(4, 10, 0))));
    let o = p.evaluate(&cal, &overnight, at(5, 9, 0)).unwrap();
    assert_eq!(o.deadline, Some(at(4, 13, 0)));
    assert_eq!(o.paused, h(2));
    // Still paused as of now: status Paused, no deadline.
    let open_pause = SlaInstance::new(at(3, 10, 0), None).with_pause(Pause::new(at(3, 11, 0), None));
    let o = p.evaluate(&cal, &open_pause, at(4, 12, 0)).unwrap();
    assert_eq!((o.status, o.deadline), (SlaStatus::Paused, None));
    assert_eq!(o.business_elapsed, h(1));
    // Stopped during a pause, target not used up: met.
    let stopped = SlaInstance::new(at(3, 10, 0), Some(at(3, 15, 0))).with_pause(Pause::new(at(3, 11, 0), None));
    assert_eq!(p.evaluate(&cal, &stopped, at(4, 12, 0)).unwrap().status, SlaStatus::Met);
    // A pause starting after the deadline extends nothing.
    let late_pause = SlaInstance::new(at(3, 10, 0), None).with_pause(Pause::new(at(3, 15, 0), Some(at(3, 16, 0))));
    let o = p.evaluate(&cal, &late_pause, at(3, 16, 30)).unwrap();
    assert_eq!(o.deadline, Some(at(3, 14, 0)));
    assert!(matches!(o.status, SlaStatus::Breached { .. }));
    // A pause starting exactly when the target runs out: the deadline is the pause start.
    let edge = SlaInstance::new(at(3, 10, 0), None).with_pause(Pause::new(at(3, 14, 0), Some(at(3, 15, 0))));
    assert_eq!(p.evaluate(&cal, &edge, at(3, 16, 0)).unwrap().deadline, Some(at(3, 14, 0)));
}

#[test]
fn business_day_targets_and_timelines_agree() {
    let cal = calendar();
    let timeline = BusinessTimeline::new(
        &cal,
        chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
        chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
    )
    .unwrap();
    let p = DispositionPolicy::new("disposition", BusinessSpan::business_days(2)).unwrap();
    let instance = SlaInstance::new(at(7, 11, 0), Some(at(11, 11, 0))); // Friday 11:00 -> Tuesday 11:00
    let a = p.evaluate(&cal, &instance, at(20, 0, 0)).unwrap();
    let b = p.evaluate(&timeline, &instance, at(20, 0, 0)).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.deadline, Some(at(11, 11, 0)));
    assert_eq!(a.status, SlaStatus::Met);
    assert_eq!(a.target, h(16));
}

#[test]
fn bad_instances_are_typed_errors() {
    let cal = calendar();
    let p = policy(1);
    let err = p.evaluate(&cal, &SlaInstance::new(at(3, 10, 0), Some(at(3, 9, 0))), at(4, 0, 0)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "sla instance stops at 2024-06-03 09:00:00 UTC before it starts at 2024-06-03 10:00:00 UTC"
    );
    let err = p.evaluate(&cal, &SlaInstance::new(at(3, 10, 0), None), at(3, 9, 0)).unwrap_err();
    assert_eq!(err.to_string(), "invalid as_of \"2024-06-03T09:00:00+00:00\": is before the instance's clock start");
    let overlapping = SlaInstance::new(at(3, 10, 0), None)
        .with_pause(Pause::new(at(3, 11, 0), Some(at(3, 13, 0))))
        .with_pause(Pause::new(at(3, 12, 0), Some(at(3, 14, 0))));
    assert!(matches!(
        p.evaluate(&cal, &overlapping, at(4, 0, 0)).as_ref().map_err(super::super::error::Error::kind),
        Err(ErrorKind::InvalidValue { .. })
    ));
    let backwards = SlaInstance::new(at(3, 10, 0), None).with_pause(Pause::new(at(3, 12, 0), Some(at(3, 11, 0))));
    assert!(matches!(
        p.evaluate(&cal, &backwards, at(4, 0, 0)).as_ref().map_err(super::super::error::Error::kind),
        Err(ErrorKind::StopBeforeStart { .. })
    ));
    assert!(ResponsePolicy::new(" padded", ClockStart::Mql, BusinessSpan::hours(1)).is_err());
    let err = policy(1).with_at_risk(Probability::from_percent_decimal(dec!(75.123456)).unwrap()).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::InvalidValue { .. }));
    let err = VolumeCommitment::new("x", VolumeMeasure::Pipeline, VolumeAmount::Count(3)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid volume minimum \"Count(3)\": MQLs and SQLs take a count, pipeline takes an amount"
    );
    // The crate's one `Period`: an empty period is allowed (it contains nothing); a reversed
    // one is an error.
    assert!(Period::new(at(3, 0, 0), at(3, 0, 0)).is_ok());
    assert!(matches!(
        Period::new(at(3, 1, 0), at(3, 0, 0)).as_ref().map_err(super::super::error::Error::kind),
        Err(ErrorKind::StopBeforeStart { .. })
    ));
}

#[test]
fn compliance_report_groups_and_totals() {
    let cal = calendar();
    let p = policy(2);
    let as_of = at(14, 12, 0);
    let cases = [
        ("L1", "east", at(3, 9, 0), Some(at(3, 9, 30))),
        ("L2", "east", at(3, 9, 0), Some(at(3, 15, 0))),
        ("L3", "east", at(4, 9, 0), None),
        ("L4", "west", at(14, 11, 0), None),
        ("L5", "west", at(5, 9, 0), Some(at(5, 11, 0))),
    ];
    let mut a = ComplianceReport::new(h(2)).unwrap();
    let mut b = ComplianceReport::new(h(2)).unwrap();
    for (i, (lead, team, start, stop)) in cases.into_iter().enumerate() {
        let o = p.evaluate(&cal, &SlaInstance::new(start, stop), as_of).unwrap();
        let target = if i % 2 == 0 { &mut a } else { &mut b };
        target.push(team, LeadId::new(lead).unwrap(), &o).unwrap();
    }
    a.merge(b).unwrap();
    let s = a.finish().unwrap();
    let east = &s.groups["east"];
    assert_eq!((east.met, east.breached, east.active), (1, 2, 0));
    assert_eq!(east.compliance, Ratio::new(1, 3));
    assert_eq!(east.breaches.iter().map(|b| b.lead.as_str()).collect::<Vec<_>>(), ["L2", "L3"]);
    assert_eq!(s.groups["west"].active, 1);
    assert_eq!(s.total.compliance, Ratio::new(2, 4));
    assert_eq!(s.total.speed.responded, 3);
    assert_eq!(s.total.speed.median, Some(h(2)));
    assert_eq!(s.total.speed.within_target, Ratio::new(2, 4)); // L3 waits past the target
    assert!(ComplianceReport::<&str>::new(h(1)).unwrap().merge(ComplianceReport::new(h(2)).unwrap()).is_err());
}

#[test]
fn volume_commitments() {
    let june = Period::new(at(1, 0, 0), Utc.with_ymd_and_hms(2024, 7, 1, 0, 0, 0).unwrap()).unwrap();
    let usd = |x: i64| Money::from_minor(x * 100, Currency::USD);
    let enterprise = SegmentId::new("enterprise").unwrap();
    let pipeline = VolumeCommitment::new("pipe", VolumeMeasure::Pipeline, VolumeAmount::Amount(usd(100_000)))
        .unwrap()
        .for_segment(enterprise.clone());
    let mut t = VolumeTally::new(&pipeline, june);
    t.push(&VolumeFact::pipeline(at(3, 0, 0), usd(60_000)).in_segment(enterprise.clone())).unwrap();
    t.push(&VolumeFact::pipeline(at(4, 0, 0), usd(90_000))).unwrap(); // no segment: not counted
    t.push(&VolumeFact::mql(at(4, 0, 0)).in_segment(enterprise.clone())).unwrap(); // other measure
    let mut u = VolumeTally::new(&pipeline, june);
    u.push(&VolumeFact::pipeline(at(5, 0, 0), usd(15_000)).in_segment(enterprise.clone())).unwrap();
    t.merge(u).unwrap();
    let r = t.finish();
    assert!(!r.met);
    assert_eq!(r.actual, VolumeAmount::Amount(usd(75_000)));
    assert_eq!(r.gap, VolumeAmount::Amount(usd(25_000)));
    let eur = VolumeFact::pipeline(at(5, 0, 0), Money::from_minor(1, Currency::EUR)).in_segment(enterprise);
    assert!(matches!(
        VolumeTally::new(&pipeline, june).push(&eur).as_ref().map_err(super::super::error::Error::kind),
        Err(ErrorKind::CurrencyMismatch { .. })
    ));
    // Regression: a negative pipeline fact was summed, and `finish` computed `minimum -
    // actual` with `-`, which panicked on overflow (a minimum near `Decimal::MAX`).
    let max = Money::new(rust_decimal::Decimal::MAX, Currency::USD);
    let huge = VolumeCommitment::new("huge", VolumeMeasure::Pipeline, VolumeAmount::Amount(max)).unwrap();
    let refund = VolumeFact::pipeline(at(5, 0, 0), usd(-1));
    assert!(matches!(
        VolumeTally::new(&huge, june).push(&refund).as_ref().map_err(super::super::error::Error::kind),
        Err(ErrorKind::InvalidValue { .. })
    ));
}

#[cfg(feature = "serde")]
#[test]
fn agreement_wire_format() {
    let agreement = SlaAgreement {
        response: Some(policy(4)),
        disposition: Some(DispositionPolicy::new("disposition", BusinessSpan::business_days(2)).unwrap()),
        volume: vec![VolumeCommitment::new("mqls", VolumeMeasure::Mqls, VolumeAmount::Count(120)).unwrap()],
        quality: Some(
            QualityCommitment::new("quality").unwrap().min_acceptance(Probability::from_percent(70).unwrap()),
        ),
    };
    let json = serde_json::to_string(&agreement).unwrap();
    assert_eq!(
        json,
        r#"{"response":{"name":"follow_up","clock_start":"mql","target":"4h","at_risk":"75%"},"disposition":{"name":"disposition","within":"2 business days"},"volume":[{"name":"mqls","measure":"mqls","minimum":{"count":120}}],"quality":{"name":"quality","min_acceptance":"70%"}}"#
    );
    assert_eq!(serde_json::from_str::<SlaAgreement>(&json).unwrap(), agreement);
    let bad = [
        r#"{"response":{"name":"","clock_start":"mql","target":"1m"}}"#,
        r#"{"response":{"name":"x","clock_start":"mql","target":"-1m"}}"#,
        r#"{"response":{"name":"x","clock_start":"mql","target":{"seconds":60}}}"#,
        r#"{"response":{"name":"x","clock_start":"mql","target":"1m","at_risk":75}}"#,
        r#"{"volume":[{"name":"x","measure":"pipeline","minimum":{"count":1}}]}"#,
        r#"{"response":{"name":"x","clock_start":"lunch","target":"1m"}}"#,
        r#"{"extra":true}"#,
    ];
    for json in bad {
        assert!(serde_json::from_str::<SlaAgreement>(json).is_err(), "{json}");
    }
}

/// The TOML of `SlaAgreement`'s *Wire format* docs reads as documented and round-trips.
#[cfg(feature = "serde")]
#[test]
fn agreement_toml_as_documented() {
    let docs = include_str!("policy/docs/sla_agreement.md");
    let toml_text = docs.split("```toml\n").nth(1).and_then(|rest| rest.split("```").next()).unwrap();
    let agreement: SlaAgreement = toml::from_str(toml_text).unwrap();
    let response = agreement.response.as_ref().unwrap();
    assert_eq!(
        (response.target(), response.at_risk()),
        (BusinessSpan::hours(4), Some(Probability::from_percent(75).unwrap()))
    );
    assert_eq!(agreement.disposition.as_ref().unwrap().within(), BusinessSpan::business_days(2));
    assert_eq!(agreement.volume[0].minimum(), VolumeAmount::Count(120));
    assert_eq!(agreement.quality.as_ref().unwrap().minimum_acceptance(), Some(Probability::from_percent(70).unwrap()));
    let written = toml::to_string(&agreement).unwrap();
    assert!(written.contains("target = \"4h\"") && written.contains("within = \"2 business days\""), "{written}");
    assert!(written.contains("at_risk = \"75%\"") && written.contains("min_acceptance = \"70%\""), "{written}");
    assert_eq!(toml::from_str::<SlaAgreement>(&written).unwrap(), agreement);
    // Every accepted spelling reads the same agreement; the old `{ seconds = ... }` form is refused.
    let spelled = toml_text.replace("\"4h\"", "\"PT4H\"").replace("\"75%\"", "0.75").replace("\"70%\"", "\"0.7\"");
    assert_eq!(toml::from_str::<SlaAgreement>(&spelled).unwrap(), agreement);
    for (from, to) in
        [("\"4h\"", "{ seconds = 14400 }"), ("\"75%\"", "75"), ("\"2 business days\"", "\"2d\""), ("\"4h\"", "\"-4h\"")]
    {
        let err = toml::from_str::<SlaAgreement>(&toml_text.replacen(from, to, 1)).unwrap_err().to_string();
        assert!(!err.is_empty(), "{to}");
    }
    let err = toml::from_str::<SlaAgreement>(&toml_text.replacen("\"75%\"", "75", 1)).unwrap_err().to_string();
    assert!(err.contains("invalid probability \"75\"") && err.contains("e.g. \"75%\""), "{err}");
}

#[cfg(feature = "serde")]
#[test]
fn outcome_wire_format() {
    let o = policy(2).evaluate(&calendar(), &SlaInstance::new(at(3, 10, 0), Some(at(3, 12, 30))), at(4, 0, 0)).unwrap();
    let json = serde_json::to_string(&o).unwrap();
    assert_eq!(
        json,
        r#"{"status":{"breached":{"by":[1800,0]}},"start":"2024-06-03T10:00:00Z","deadline":"2024-06-03T12:00:00Z","stop":"2024-06-03T12:30:00Z","target":[7200,0],"business_elapsed":[9000,0],"paused":[0,0],"wall_elapsed":[9000,0]}"#
    );
    assert_eq!(serde_json::from_str::<SlaOutcome>(&json).unwrap(), o);
}

mod milestones;
mod reliability;

/// Regression (issue 12 leftover): an amount on an MQL or SQL volume fact was ignored without
/// a word (the fact counted as one MQL), and a pipeline fact without an amount passed every
/// tally that did not count pipeline. A malformed fact is now an error in every tally.
#[test]
fn malformed_volume_facts_are_errors() {
    let june = Period::new(at(1, 0, 0), Utc.with_ymd_and_hms(2024, 7, 1, 0, 0, 0).unwrap()).unwrap();
    let usd = Money::from_minor(500, Currency::USD);
    let mqls = VolumeCommitment::new("mqls", VolumeMeasure::Mqls, VolumeAmount::Count(1)).unwrap();
    let mut mql = VolumeFact::mql(at(3, 0, 0));
    mql.amount = Some(usd);
    let err = VolumeTally::new(&mqls, june).push(&mql).unwrap_err();
    assert_eq!(
        err,
        ErrorKind::InvalidValue {
            field: "volume fact amount",
            value: "5.00 USD".to_owned(),
            reason: "only a pipeline fact has an amount (an MQL or SQL fact counts one)"
        }
    );
    let mut sql = VolumeFact::sql(at(3, 0, 0));
    sql.amount = Some(usd);
    assert!(VolumeTally::new(&mqls, june).push(&sql).is_err()); // another measure, still malformed
    let mut pipeline = VolumeFact::pipeline(at(3, 0, 0), usd);
    pipeline.amount = None;
    assert!(VolumeTally::new(&mqls, june).push(&pipeline).is_err());
    assert_eq!(mql.check(), Err(err));
    assert_eq!(VolumeFact::mql(at(3, 0, 0)).check(), Ok(()));
}
