//! SLA evaluation: response and disposition policies over arbitrary calendars, instances
//! (start, stop, pauses, sub-second instants) and `as_of` instants.
//!
//! Oracles: no panic; an `Ok` outcome has non-negative target, business elapsed, paused and
//! wall-clock times, the wall-clock time equals `min(stop, as_of) - start`, the status agrees
//! with the deadline (met: stopped at or before it; active: open, not past it, remaining
//! non-negative; breached by a non-negative amount), `elapsed_percent` does not panic, and a
//! `BusinessTimeline` clock gives the same outcome as the calendar; the outcome survives a
//! JSON round trip.
#![no_main]

use arbitrary::Arbitrary;
use chrono::TimeDelta;
use libfuzzer_sys::fuzz_target;
use revops::Probability;
use revops::calendar::BusinessTimeline;
use revops::sla::{ClockStart, DispositionPolicy, Pause, ResponsePolicy, SlaInstance, SlaOutcome, SlaStatus};
use revops_fuzz::{CalendarSpec, Dec, Instant, Span, date_near};

#[derive(Arbitrary, Debug)]
struct Input {
    calendar: CalendarSpec,
    disposition: bool,
    span: Span,
    at_risk: Option<Dec>,
    start: Instant,
    stop: Option<Instant>,
    pauses: Vec<(Instant, Option<Instant>)>,
    as_of: Instant,
    timeline: Option<(u8, i16, u16)>,
}

fn check(outcome: &SlaOutcome, instance: &SlaInstance, as_of: chrono::DateTime<chrono::Utc>) {
    let z = TimeDelta::zero();
    assert!(outcome.target >= z, "negative target: {outcome:?}");
    assert!(outcome.business_elapsed >= z, "negative business elapsed: {outcome:?}");
    assert!(outcome.paused >= z, "negative paused time: {outcome:?}");
    assert!(outcome.wall_elapsed >= z, "negative wall-clock time: {outcome:?}");
    let end = instance.stop.filter(|s| *s <= as_of).unwrap_or(as_of);
    assert_eq!(outcome.wall_elapsed, end - instance.start, "wall-clock time: {outcome:?}");
    assert!(outcome.business_elapsed <= outcome.wall_elapsed, "business time exceeds wall-clock: {outcome:?}");
    assert_eq!(outcome.start, instance.start);
    match outcome.status {
        SlaStatus::Met => {
            let stop = outcome.stop.expect("met without a stop");
            let deadline = outcome.deadline.expect("met without a deadline");
            assert!(stop <= deadline, "met after the deadline: {outcome:?}");
        }
        SlaStatus::Breached { by } => assert!(by >= z, "breached by a negative time: {outcome:?}"),
        SlaStatus::Active { remaining, .. } => {
            assert!(remaining >= z, "negative remaining: {outcome:?}");
            assert!(outcome.stop.is_none(), "active with a stop: {outcome:?}");
            if let Some(d) = outcome.deadline {
                assert!(as_of <= d, "active past its deadline: {outcome:?}");
            }
        }
        SlaStatus::Paused => assert!(outcome.stop.is_none(), "paused with a stop: {outcome:?}"),
        _ => {}
    }
    let _ = outcome.elapsed_percent();
    let json = serde_json::to_string(outcome).expect("an outcome serializes");
    let back: SlaOutcome = serde_json::from_str(&json).unwrap_or_else(|e| panic!("own outcome refused: {e}: {json}"));
    assert_eq!(&back, outcome, "outcome JSON round trip");
}

fuzz_target!(|input: Input| {
    let Some(cal) = input.calendar.build() else { return };
    let Some(span) = input.span.to_span() else { return };
    let (Some(start), Some(as_of)) = (input.start.to_utc(), input.as_of.to_utc()) else { return };
    let mut instance = SlaInstance::new(start, input.stop.and_then(Instant::to_utc));
    for (s, e) in input.pauses.iter().take(4) {
        let Some(s) = s.to_utc() else { return };
        instance = instance.with_pause(Pause::new(s, e.and_then(Instant::to_utc)));
    }
    let threshold = input.at_risk.map(|d| Probability::from_percent_decimal(d.value()));
    let tl = input.timeline.and_then(|(base, off, len)| {
        let from = date_near(base, off)?;
        let to = from.checked_add_signed(TimeDelta::try_days(i64::from(len % 800))?)?;
        BusinessTimeline::new(&cal, from, to).ok()
    });
    let (a, b) = if input.disposition {
        let Ok(mut p) = DispositionPolicy::new("disposition", span) else { return };
        if let Some(t) = threshold {
            let Ok(t) = t else { return };
            let Ok(q) = p.with_at_risk(t) else { return };
            p = q;
        }
        (p.evaluate(&cal, &instance, as_of), tl.as_ref().map(|tl| p.evaluate(tl, &instance, as_of)))
    } else {
        let Ok(mut p) = ResponsePolicy::new("response", ClockStart::Mql, span) else { return };
        if let Some(t) = threshold {
            let Ok(t) = t else { return };
            let Ok(q) = p.with_at_risk(t) else { return };
            p = q;
        }
        (p.evaluate(&cal, &instance, as_of), tl.as_ref().map(|tl| p.evaluate(tl, &instance, as_of)))
    };
    if let Ok(o) = &a {
        check(o, &instance, as_of);
    }
    if let Some(b) = b {
        match (&a, &b) {
            (Ok(x), Ok(y)) => assert_eq!(x, y, "calendar vs timeline outcome"),
            (Err(x), Err(y)) => assert_eq!(x.to_string(), y.to_string(), "calendar vs timeline errors"),
            _ => panic!("calendar {a:?} vs timeline {b:?}"),
        }
    }
});
