//! Business calendars: `between`, `add`, `next_opening` and `is_open` on arbitrary calendars
//! (DST-heavy zones, windows, holidays, exceptions) at instants near the documented boundaries.
//!
//! Oracles (the `BusinessClock` contract): `0 <= between(a, b) <= b - a`; additivity
//! `between(a, c) = between(a, b) + between(b, c)`; `between(a, add(a, d)) = d` for working
//! time `d`, and `add(a, d) >= a`; `next_opening(a) >= a`, open there, with no business time
//! in between; a `BusinessTimeline` over any date range answers exactly as the calendar
//! (results and errors alike); no panic.
#![no_main]

use arbitrary::Arbitrary;
use chrono::{DateTime, TimeDelta, Utc};
use libfuzzer_sys::fuzz_target;
use revops::calendar::{BusinessCalendar, BusinessClock, BusinessTimeline};
use revops_fuzz::{CalendarSpec, Instant, Span, date_near};

#[derive(Arbitrary, Debug)]
enum Op {
    Between(Instant, Instant, Instant),
    Add(Instant, Span),
    NextOpening(Instant),
    IsOpen(Instant),
}

#[derive(Arbitrary, Debug)]
struct Input {
    calendar: CalendarSpec,
    timeline: Option<(u8, i16, u16)>,
    ops: Vec<Op>,
}

fn same<T: std::fmt::Debug + PartialEq>(what: &str, a: &Result<T, revops::Error>, b: &Result<T, revops::Error>) {
    match (a, b) {
        (Ok(x), Ok(y)) => assert_eq!(x, y, "{what}: calendar vs timeline"),
        (Err(x), Err(y)) => assert_eq!(x.to_string(), y.to_string(), "{what}: calendar vs timeline errors"),
        _ => panic!("{what}: calendar {a:?} vs timeline {b:?}"),
    }
}

fn between(
    cal: &BusinessCalendar,
    tl: Option<&BusinessTimeline>,
    a: DateTime<Utc>,
    b: DateTime<Utc>,
) -> Option<TimeDelta> {
    let r = cal.between(a, b);
    if let Some(tl) = tl {
        same("between", &r, &tl.between(a, b));
    }
    match &r {
        Ok(d) => {
            assert!(a <= b, "between({a}, {b}) accepted end < start");
            assert!(*d >= TimeDelta::zero(), "between({a}, {b}) = {d} is negative");
            assert!(*d <= b - a, "between({a}, {b}) = {d} exceeds the wall-clock span");
        }
        Err(_) => {}
    }
    r.ok()
}

fuzz_target!(|input: Input| {
    let Some(cal) = input.calendar.build() else { return };
    let tl = input.timeline.and_then(|(base, off, len)| {
        let from = date_near(base, off)?;
        let to = from.checked_add_signed(TimeDelta::try_days(i64::from(len % 800))?)?;
        BusinessTimeline::new(&cal, from, to).ok()
    });
    let tl = tl.as_ref();
    for op in input.ops.iter().take(8) {
        match *op {
            Op::Between(a, b, c) => {
                let (Some(a), Some(b), Some(c)) = (a.to_utc(), b.to_utc(), c.to_utc()) else { continue };
                let mut v = [a, b, c];
                v.sort();
                let [a, b, c] = v;
                let ac = between(&cal, tl, a, c);
                let ab = between(&cal, tl, a, b);
                let bc = between(&cal, tl, b, c);
                if let (Some(ac), Some(ab), Some(bc)) = (ac, ab, bc) {
                    assert_eq!(ac, ab + bc, "between({a}, {c}) is not additive at {b}");
                }
                // Reversed arguments are an error, never a negative duration.
                if a < c {
                    assert!(cal.between(c, a).is_err(), "between({c}, {a}) with end < start is Ok");
                }
            }
            Op::Add(a, span) => {
                let (Some(a), Some(span)) = (a.to_utc(), span.to_span()) else { continue };
                let r = cal.add(a, span);
                if let Some(tl) = tl {
                    same("add", &r, &tl.add(a, span));
                }
                if let Ok(t) = r {
                    assert!(t >= a, "add({a}, {span:?}) = {t} is before the start");
                    if let Some(d) = span.as_time() {
                        if let Some(b) = between(&cal, tl, a, t) {
                            assert_eq!(b, d, "between({a}, add({a}, {d})) = {b}, not {d} (deadline {t})");
                        }
                    }
                    if span.is_zero() {
                        assert_eq!(t, a, "a zero span gives the start itself");
                    }
                }
            }
            Op::NextOpening(a) => {
                let Some(a) = a.to_utc() else { continue };
                let r = cal.next_opening(a);
                if let Some(tl) = tl {
                    same("next_opening", &r, &tl.next_opening(a));
                }
                if let Ok(o) = r {
                    assert!(o >= a, "next_opening({a}) = {o} is earlier");
                    assert_eq!(cal.is_open(o).ok(), Some(true), "not open at next_opening({a}) = {o}");
                    if let Some(b) = between(&cal, tl, a, o) {
                        assert_eq!(b, TimeDelta::zero(), "business time before next_opening({a}) = {o}");
                    }
                }
            }
            Op::IsOpen(a) => {
                let Some(a) = a.to_utc() else { continue };
                let r = cal.is_open(a);
                if let Some(tl) = tl {
                    same("is_open", &r, &tl.is_open(a));
                }
                if r.as_ref().ok() == Some(&true) {
                    assert_eq!(cal.next_opening(a).ok(), Some(a), "open at {a} but next_opening differs");
                }
            }
        }
    }
});
