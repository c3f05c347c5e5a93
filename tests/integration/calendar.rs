//! Laws of business time: measure and add agree, are additive and monotone, and the
//! precomputed timeline gives the calendar's answers.

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, TimeZone, Timelike, Utc};
use proptest::prelude::*;
use revops::calendar::{BusinessCalendar, BusinessClock, BusinessSpan, BusinessTimeline};
use revops::testkit::sla::{business_calendar, instant_2024_2025};

fn span(seconds: i64) -> BusinessSpan {
    BusinessSpan::time(TimeDelta::try_seconds(seconds).unwrap()).unwrap()
}

fn timeline(cal: &BusinessCalendar) -> BusinessTimeline {
    let from = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let to = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    BusinessTimeline::new(cal, from, to).unwrap()
}

/// The closing instant of the weekly window that contains `a`, if `a` lies in one (ignoring
/// holidays and exceptions, which the caller checks with `is_open`). Windows whose closing
/// local time is ambiguous or skipped are skipped too.
fn window_close(cal: &BusinessCalendar, a: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let local = a.with_timezone(&cal.zone());
    let minute = u16::try_from(local.hour() * 60 + local.minute()).ok()?;
    let w = cal.windows(local.weekday()).iter().find(|w| w.start_minute() <= minute && minute < w.end_minute())?;
    let date = local.date_naive();
    let end = if w.end_minute() == 1_440 {
        date.succ_opt()?.and_hms_opt(0, 0, 0)?
    } else {
        date.and_hms_opt(u32::from(w.end_minute() / 60), u32::from(w.end_minute() % 60), 0)?
    };
    cal.zone().from_local_datetime(&end).single().map(|t| t.with_timezone(&Utc))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Exact condition: `a` is open and the whole span `[a, a + d]` lies inside the one working
    /// interval that contains `a` (so `a + d` is at or before that interval's closing and no
    /// exception or holiday cuts it). Then business time equals wall-clock time.
    #[test]
    fn between_equals_wall_clock_inside_one_window(cal in business_calendar(), t in instant_2024_2025(), frac in 0u32..=1000) {
        let a = cal.next_opening(t).unwrap();
        prop_assume!(a.year() < 2026);
        if let Some(close) = window_close(&cal, a) {
            let room = (close - a).num_seconds();
            let d = TimeDelta::try_seconds(room * i64::from(frac) / 1000).unwrap();
            // Exceptions or a holiday may cut the window: require the span to be open throughout,
            // i.e. the business time to the closing equals the wall-clock room (checked on the
            // timeline, an independent computation).
            let tl = timeline(&cal);
            prop_assume!(tl.between(a, close).unwrap() == close - a);
            prop_assert_eq!(cal.between(a, a + d).unwrap(), d);
            prop_assert_eq!(cal.add(a, BusinessSpan::time(d).unwrap()).unwrap(), a + d);
        }
    }

    #[test]
    fn between_is_additive_over_a_split(cal in business_calendar(), a in instant_2024_2025(), x in 0i64..40 * 86_400, y in 0i64..40 * 86_400) {
        let b = a + TimeDelta::try_seconds(x).unwrap();
        let c = b + TimeDelta::try_seconds(y).unwrap();
        let whole = cal.between(a, c).unwrap();
        prop_assert_eq!(whole, cal.between(a, b).unwrap() + cal.between(b, c).unwrap());
        prop_assert!(whole >= TimeDelta::zero() && whole <= c - a);
    }

    #[test]
    fn adding_is_monotone_and_round_trips(cal in business_calendar(), a in instant_2024_2025(), x in 0i64..200 * 3_600, y in 0i64..200 * 3_600, shift in 0i64..5 * 86_400) {
        let (small, large) = (x.min(y), x.max(y));
        let d1 = cal.add(a, span(small)).unwrap();
        let d2 = cal.add(a, span(large)).unwrap();
        prop_assert!(d1 <= d2);
        prop_assert!(d1 >= a);
        let later = a + TimeDelta::try_seconds(shift).unwrap();
        prop_assert!(cal.add(later, span(large)).unwrap() >= d2);
        // Add then measure: exactly the span.
        prop_assert_eq!(cal.between(a, d2).unwrap(), TimeDelta::try_seconds(large).unwrap());
        // The deadline is the earliest such instant: a second earlier, the span is not used up.
        if large > 0 {
            prop_assert!(cal.between(a, d2 - TimeDelta::try_seconds(1).unwrap()).unwrap() < TimeDelta::try_seconds(large).unwrap());
        }
    }

    #[test]
    fn business_days_are_monotone(cal in business_calendar(), a in instant_2024_2025(), n in 0u32..8) {
        let d1 = cal.add(a, BusinessSpan::business_days(n)).unwrap();
        let d2 = cal.add(a, BusinessSpan::business_days(n + 1)).unwrap();
        prop_assert!(a <= d1 && d1 <= d2, "{a} {d1} {d2}");
    }

    #[test]
    fn timeline_gives_the_calendars_answers(cal in business_calendar(), a in instant_2024_2025(), x in 0i64..90 * 86_400, d in 0i64..300 * 3_600) {
        let tl = timeline(&cal);
        let b = a + TimeDelta::try_seconds(x).unwrap();
        prop_assert_eq!(tl.between(a, b).unwrap(), cal.between(a, b).unwrap());
        prop_assert_eq!(tl.add(a, span(d)).unwrap(), cal.add(a, span(d)).unwrap());
        prop_assert_eq!(tl.next_opening(b).unwrap(), cal.next_opening(b).unwrap());
        prop_assert_eq!(tl.is_open(b).unwrap(), cal.is_open(b).unwrap());
        prop_assert_eq!(tl.add(a, BusinessSpan::business_days(2)).unwrap(), cal.add(a, BusinessSpan::business_days(2)).unwrap());
    }

    #[test]
    fn calendar_round_trips_through_serde(cal in business_calendar()) {
        let json = serde_json::to_string(&cal).unwrap();
        prop_assert_eq!(serde_json::from_str::<BusinessCalendar>(&json).unwrap(), cal);
    }
}

#[test]
fn a_quarter_apart_is_per_day_not_per_minute() {
    // Not a timing assertion: the answer over a year equals the sum of its days.
    let cal = revops::testkit::Company::sample().sla_calendar().unwrap();
    let start = Utc.with_ymd_and_hms(2024, 1, 1, 5, 0, 0).unwrap();
    let mut by_day = TimeDelta::zero();
    let mut t = start;
    for _ in 0..366 {
        let next = t + TimeDelta::try_days(1).unwrap();
        by_day += cal.between(t, next).unwrap();
        t = next;
    }
    assert_eq!(cal.between(start, t).unwrap(), by_day);
    // 2024: 262 weekdays, 10 of them holidays, 8 hours each.
    assert_eq!(by_day, TimeDelta::try_hours(252 * 8).unwrap());
}
