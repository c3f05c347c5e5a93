use chrono::{TimeZone, Timelike};

use super::*;

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn new_york() -> BusinessCalendar {
    BusinessCalendar::builder("America/New_York")
        .weekdays("09:00-17:00".parse().unwrap())
        .holiday(date(2024, 7, 4))
        .build()
        .unwrap()
}

fn around_the_clock(zone: &str) -> BusinessCalendar {
    let mut b = BusinessCalendar::builder(zone);
    for day in [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun] {
        b = b.window(day, "00:00-24:00".parse().unwrap());
    }
    b.build().unwrap()
}

fn hours(h: i64) -> TimeDelta {
    TimeDelta::try_hours(h).unwrap()
}

/// Checks one query against the calendar and a timeline over 2023-2026.
type Adder<'a> = Box<dyn Fn(DateTime<Utc>, BusinessSpan) -> DateTime<Utc> + 'a>;

fn both(cal: &BusinessCalendar) -> [Adder<'_>; 2] {
    let timeline = BusinessTimeline::new(cal, date(2023, 1, 1), date(2026, 1, 1)).unwrap();
    [Box::new(move |a, s| cal.add(a, s).unwrap()), Box::new(move |a, s| timeline.add(a, s).unwrap())]
}

#[test]
fn arrival_just_before_closing() {
    let cal = new_york();
    // Friday 2024-03-01 16:59 EST = 21:59Z: one minute on Friday, 59 on Monday.
    for add in both(&cal) {
        assert_eq!(add(utc(2024, 3, 1, 21, 59), BusinessSpan::hours(1)), utc(2024, 3, 4, 14, 59));
        // Used up exactly at closing: the closing instant, not Monday's opening.
        assert_eq!(add(utc(2024, 3, 1, 21, 59), BusinessSpan::minutes(1)), utc(2024, 3, 1, 22, 0));
    }
    assert!(cal.is_open(utc(2024, 3, 1, 21, 59)).unwrap());
    assert!(!cal.is_open(utc(2024, 3, 1, 22, 0)).unwrap()); // closed at the closing instant
    assert!(cal.is_open(utc(2024, 3, 1, 14, 0)).unwrap()); // open at the opening instant
}

#[test]
fn arrival_on_a_weekend() {
    let cal = new_york();
    let saturday = utc(2024, 3, 2, 15, 0);
    assert_eq!(cal.next_opening(saturday).unwrap(), utc(2024, 3, 4, 14, 0));
    for add in both(&cal) {
        assert_eq!(add(saturday, BusinessSpan::hours(1)), utc(2024, 3, 4, 15, 0));
        // A zero target gives the start itself, even outside hours.
        assert_eq!(add(saturday, BusinessSpan::ZERO), saturday);
        assert_eq!(add(saturday, BusinessSpan::business_days(0)), saturday);
    }
    assert_eq!(cal.between(saturday, utc(2024, 3, 4, 14, 30)).unwrap(), TimeDelta::try_minutes(30).unwrap());
}

#[test]
fn holidays_have_no_working_time() {
    let cal = new_york();
    // Wednesday 2024-07-03 16:00 EDT (20:00Z) + 2h: one hour Wednesday, Thursday is a holiday.
    for add in both(&cal) {
        assert_eq!(add(utc(2024, 7, 3, 20, 0), BusinessSpan::hours(2)), utc(2024, 7, 5, 14, 0));
    }
    assert_eq!(cal.between(utc(2024, 7, 4, 0, 0), utc(2024, 7, 5, 0, 0)).unwrap(), TimeDelta::zero());
    assert!(!cal.is_open(utc(2024, 7, 4, 15, 0)).unwrap());
    assert_eq!(cal.holidays().len(), 1);
}

#[test]
fn new_york_daylight_saving_changes() {
    let cal = new_york();
    // Spring forward on Sunday 2024-03-10: Friday closes 22:00Z (EST), Monday opens 13:00Z (EDT).
    assert_eq!(cal.between(utc(2024, 3, 8, 21, 0), utc(2024, 3, 11, 14, 0)).unwrap(), hours(2));
    for add in both(&cal) {
        assert_eq!(add(utc(2024, 3, 8, 21, 0), BusinessSpan::hours(2)), utc(2024, 3, 11, 14, 0));
        // Fall back on Sunday 2024-11-03: Friday closes 21:00Z (EDT), Monday opens 14:00Z (EST).
        assert_eq!(add(utc(2024, 11, 1, 20, 0), BusinessSpan::hours(2)), utc(2024, 11, 4, 15, 0));
    }
    // Around the clock: the change days last 23 and 25 hours.
    let always = around_the_clock("America/New_York");
    let day = |d: NaiveDate| {
        let lo = always.local_ns(d, 0).unwrap();
        let hi = always.local_ns(d, DAY_MINUTES).unwrap();
        delta_from_ns(always.between_ns(lo, hi).unwrap()).unwrap()
    };
    assert_eq!(day(date(2024, 3, 10)), hours(23));
    assert_eq!(day(date(2024, 11, 3)), hours(25));
    assert_eq!(day(date(2024, 11, 4)), hours(24));
    // A window straddling the change: 01:00-04:00 on Sundays.
    let night = BusinessCalendar::builder("America/New_York")
        .window(Weekday::Sun, "01:00-04:00".parse().unwrap())
        .build()
        .unwrap();
    let sunday = |d| night.between(utc(2024, 3, d, 0, 0), utc(2024, 3, d + 1, 0, 0)).unwrap();
    assert_eq!(sunday(10), hours(2));
    assert_eq!(sunday(17), hours(3));
    assert_eq!(night.between(utc(2024, 11, 3, 0, 0), utc(2024, 11, 4, 0, 0)).unwrap(), hours(4));
    // 01:00 on the fall-back day is the earlier (daylight-time) instant: 05:00Z.
    assert_eq!(night.next_opening(utc(2024, 11, 2, 0, 0)).unwrap(), utc(2024, 11, 3, 5, 0));
    // A window starting in the gap (02:30 does not exist) starts at 03:30 EDT = 07:30Z.
    let gap = BusinessCalendar::builder("America/New_York")
        .window(Weekday::Sun, "02:30-05:00".parse().unwrap())
        .build()
        .unwrap();
    assert_eq!(gap.next_opening(utc(2024, 3, 9, 0, 0)).unwrap(), utc(2024, 3, 10, 7, 30));
    assert_eq!(
        gap.between(utc(2024, 3, 10, 0, 0), utc(2024, 3, 11, 0, 0)).unwrap(),
        TimeDelta::try_minutes(90).unwrap()
    );
}

#[test]
fn london_daylight_saving_changes() {
    let cal = BusinessCalendar::builder("Europe/London").weekdays("09:00-17:30".parse().unwrap()).build().unwrap();
    // Clocks go forward on Sunday 2024-03-31: Friday 29 closes 17:30Z (GMT), Monday opens 08:00Z (BST).
    assert_eq!(cal.between(utc(2024, 3, 29, 17, 0), utc(2024, 4, 1, 8, 30)).unwrap(), hours(1));
    assert_eq!(cal.next_opening(utc(2024, 3, 29, 18, 0)).unwrap(), utc(2024, 4, 1, 8, 0));
    for add in both(&cal) {
        assert_eq!(add(utc(2024, 3, 29, 17, 0), BusinessSpan::hours(1)), utc(2024, 4, 1, 8, 30));
        // Clocks go back on Sunday 2024-10-27: Friday 25 closes 16:30Z (BST), Monday opens 09:00Z.
        assert_eq!(add(utc(2024, 10, 25, 16, 0), BusinessSpan::hours(1)), utc(2024, 10, 28, 9, 30));
    }
    let always = around_the_clock("Europe/London");
    // Around the clock, 24 hours of UTC are 24 business hours whatever the local clocks do.
    assert_eq!(always.between(utc(2024, 3, 31, 0, 0), utc(2024, 4, 1, 0, 0)).unwrap(), hours(24));
    let local_day = |d: NaiveDate| {
        let lo = always.local_ns(d, 0).unwrap();
        let hi = always.local_ns(d, DAY_MINUTES).unwrap();
        always.between_ns(lo, hi).unwrap() / 3_600_000_000_000
    };
    assert_eq!((local_day(date(2024, 3, 31)), local_day(date(2024, 10, 27))), (23, 25));
}

#[test]
fn lunch_breaks_and_exceptions() {
    let cal = BusinessCalendar::builder("America/New_York")
        .weekdays("09:00-12:00".parse().unwrap())
        .weekdays("13:00-17:00".parse().unwrap())
        .exception(CalendarException::closed(utc(2024, 9, 12, 13, 0), utc(2024, 9, 13, 21, 0)).unwrap())
        .exception(CalendarException::open(utc(2024, 9, 14, 14, 0), utc(2024, 9, 14, 18, 0)).unwrap())
        .build()
        .unwrap();
    assert_eq!(cal.weekly_minutes(), 5 * 7 * 60);
    // Monday 2024-09-09 11:00 EDT + 2h: 11-12, then 13-14.
    for add in both(&cal) {
        assert_eq!(add(utc(2024, 9, 9, 15, 0), BusinessSpan::hours(2)), utc(2024, 9, 9, 18, 0));
        // Wednesday 11 16:00 EDT + 2h: 1h Wed, Thu closed all day, Fri 12 closed until 17:00 EDT,
        // Saturday's open exception 10:00-14:00 EDT gives the second hour.
        assert_eq!(add(utc(2024, 9, 11, 20, 0), BusinessSpan::hours(2)), utc(2024, 9, 14, 15, 0));
    }
    assert!(!cal.is_open(utc(2024, 9, 9, 16, 30)).unwrap()); // lunch
    assert!(cal.is_open(utc(2024, 9, 14, 15, 0)).unwrap()); // Saturday event
    assert_eq!(cal.between(utc(2024, 9, 14, 0, 0), utc(2024, 9, 15, 0, 0)).unwrap(), hours(4));
}

#[test]
fn business_days() {
    let cal = new_york();
    for add in both(&cal) {
        // Monday 2024-03-04 10:30 EST (15:30Z) + 1 business day = Tuesday 10:30.
        assert_eq!(add(utc(2024, 3, 4, 15, 30), BusinessSpan::business_days(1)), utc(2024, 3, 5, 15, 30));
        // Monday 09:00 + 1 business day = Monday 17:00 (the day is used up at closing).
        assert_eq!(add(utc(2024, 3, 4, 14, 0), BusinessSpan::business_days(1)), utc(2024, 3, 4, 22, 0));
        // Friday 10:30 + 1 = Monday 10:30; Saturday + 2 = Tuesday 17:00.
        assert_eq!(add(utc(2024, 3, 8, 15, 30), BusinessSpan::business_days(1)), utc(2024, 3, 11, 14, 30));
        assert_eq!(add(utc(2024, 3, 9, 15, 30), BusinessSpan::business_days(2)), utc(2024, 3, 12, 21, 0));
        // Wednesday 2024-07-03 10:00 EDT + 1 skips the holiday: Friday 10:00.
        assert_eq!(add(utc(2024, 7, 3, 14, 0), BusinessSpan::business_days(1)), utc(2024, 7, 5, 14, 0));
        // 1 x 24h schedule = three 8-hour days: Monday 09:00 -> Wednesday 17:00.
        assert_eq!(add(utc(2024, 3, 4, 14, 0), BusinessSpan::schedule_days(1)), utc(2024, 3, 6, 22, 0));
    }
    // A start late in a long day lands at the close of a shorter day.
    let short_friday = BusinessCalendar::builder("UTC")
        .window(Weekday::Thu, "09:00-17:00".parse().unwrap())
        .window(Weekday::Fri, "09:00-12:00".parse().unwrap())
        .build()
        .unwrap();
    assert_eq!(
        short_friday.add(utc(2024, 3, 7, 16, 0), BusinessSpan::business_days(1)).unwrap(),
        utc(2024, 3, 8, 12, 0)
    );
}

#[test]
fn business_days_at_the_maximum_count_are_a_typed_error() {
    // Regression: from inside working hours the deadline is on working day `n + 1`, which
    // overflowed (a panic in debug; in release it wrapped to day 0 and returned the start day's
    // closing as the deadline).
    let cal = new_york();
    let timeline = BusinessTimeline::new(&cal, date(2024, 1, 1), date(2025, 1, 1)).unwrap();
    let inside_hours = utc(2024, 3, 4, 15, 30);
    for result in [
        cal.add(inside_hours, BusinessSpan::business_days(u32::MAX)),
        timeline.add(inside_hours, BusinessSpan::business_days(u32::MAX)),
    ] {
        assert!(
            matches!(
                result.as_ref().map_err(super::super::error::Error::kind),
                Err(ErrorKind::InstantOutOfRange { .. })
            ),
            "{result:?}"
        );
    }
}

#[test]
fn months_apart_walk_per_day() {
    let cal = new_york();
    // 2024: 262 weekdays, 1 holiday (July 4th), 8 hours each.
    let year = cal.between(utc(2024, 1, 1, 5, 0), utc(2025, 1, 1, 5, 0)).unwrap();
    assert_eq!(year, hours(261 * 8));
    let due = cal.add(utc(2024, 1, 1, 5, 0), BusinessSpan::hours(261 * 8)).unwrap();
    assert_eq!(due, utc(2024, 12, 31, 22, 0));
    assert_eq!(due.hour(), 22);
}

#[test]
fn no_working_time_is_an_error_not_a_loop() {
    let never = BusinessCalendar::builder("UTC").build().unwrap();
    assert!(never.is_never_open());
    let err = never.add(utc(2024, 1, 1, 0, 0), BusinessSpan::hours(1)).unwrap_err();
    assert_eq!(err.to_string(), "calendar in `UTC` has no working time left: business time cannot be added");
    assert!(never.next_opening(utc(2024, 1, 1, 0, 0)).is_err());
    assert!(never.add(utc(2024, 1, 1, 0, 0), BusinessSpan::business_days(1)).is_err());
    assert_eq!(never.between(utc(2024, 1, 1, 0, 0), utc(2024, 2, 1, 0, 0)).unwrap(), TimeDelta::zero());
    // Only an open exception: time can be added inside it, not past it.
    let once = BusinessCalendar::builder("UTC")
        .exception(CalendarException::open(utc(2024, 1, 6, 9, 0), utc(2024, 1, 6, 12, 0)).unwrap())
        .build()
        .unwrap();
    assert_eq!(once.add(utc(2024, 1, 1, 0, 0), BusinessSpan::hours(3)).unwrap(), utc(2024, 1, 6, 12, 0));
    assert!(matches!(
        once.add(utc(2024, 1, 1, 0, 0), BusinessSpan::hours(4)).as_ref().map_err(super::super::error::Error::kind),
        Err(ErrorKind::NoWorkingTime { .. })
    ));
}

#[test]
fn bad_input_is_a_typed_error() {
    let err = BusinessCalendar::builder("America/New_Yrok").build().unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown time zone \"America/New_Yrok\": not an IANA time-zone name like \"America/New_York\""
    );
    let err = BusinessCalendar::builder("UTC")
        .window(Weekday::Tue, "09:00-12:00".parse().unwrap())
        .window(Weekday::Tue, "11:00-17:00".parse().unwrap())
        .build()
        .unwrap_err();
    assert_eq!(err.to_string(), "working windows 09:00-12:00 and 11:00-17:00 overlap on tuesday");
    let err = BusinessCalendar::builder("UTC").holiday(date(2024, 1, 1)).holiday(date(2024, 1, 1)).build().unwrap_err();
    assert_eq!(err.to_string(), "invalid holiday \"2024-01-01\": listed twice");
    assert_eq!(
        parse_date("2024-02-30").unwrap_err().to_string(),
        "invalid holiday \"2024-02-30\": not a calendar date (expected YYYY-MM-DD)"
    );
    assert!(parse_date("2024-2-3").is_err() && parse_date("2024-02-03").is_ok());
    let err = CalendarException::closed(utc(2024, 1, 2, 0, 0), utc(2024, 1, 1, 0, 0)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "calendar exception stops at 2024-01-01 00:00:00 UTC before it starts at 2024-01-02 00:00:00 UTC"
    );
    let cal = new_york();
    assert!(matches!(
        cal.between(utc(2024, 1, 2, 0, 0), utc(2024, 1, 1, 0, 0)).as_ref().map_err(super::super::error::Error::kind),
        Err(ErrorKind::StopBeforeStart { .. })
    ));
    let far = Utc.with_ymd_and_hms(2300, 1, 1, 0, 0, 0).unwrap();
    assert_eq!(
        cal.is_open(far).unwrap_err().to_string(),
        "instant 2300-01-01T00:00:00+00:00 is outside the supported range (years 1678 to 2261)"
    );
    assert!(BusinessTimeline::new(&cal, date(2024, 1, 1), date(2024, 1, 1)).is_err());
    // Huge spans end in a typed error, not an overflow.
    let timeline = BusinessTimeline::new(&cal, date(2024, 1, 1), date(2025, 1, 1)).unwrap();
    let huge = BusinessSpan::time(TimeDelta::try_days(100_000).unwrap()).unwrap();
    assert!(matches!(
        timeline.add(utc(2024, 3, 1, 0, 0), huge).as_ref().map_err(super::super::error::Error::kind),
        Err(ErrorKind::InstantOutOfRange { .. })
    ));
    assert!(matches!(
        cal.add(utc(2024, 3, 1, 0, 0), BusinessSpan::schedule_days(u32::MAX))
            .as_ref()
            .map_err(super::super::error::Error::kind),
        Err(ErrorKind::Overflow { .. } | ErrorKind::InstantOutOfRange { .. })
    ));
}

#[cfg(feature = "serde")]
#[test]
fn serde_round_trip_and_validation() {
    let cal = BusinessCalendar::builder("Europe/London")
        .weekdays("09:00-12:00".parse().unwrap())
        .window(Weekday::Sat, "10:00-14:00".parse().unwrap())
        .holiday(date(2024, 12, 25))
        .exception(CalendarException::closed(utc(2024, 9, 12, 13, 0), utc(2024, 9, 13, 21, 0)).unwrap())
        .build()
        .unwrap();
    let json = serde_json::to_string(&cal).unwrap();
    assert_eq!(
        json,
        r#"{"zone":"Europe/London","week":{"monday":["09:00-12:00"],"tuesday":["09:00-12:00"],"wednesday":["09:00-12:00"],"thursday":["09:00-12:00"],"friday":["09:00-12:00"],"saturday":["10:00-14:00"]},"holidays":["2024-12-25"],"exceptions":[{"start":"2024-09-12T13:00:00Z","end":"2024-09-13T21:00:00Z","kind":"closed"}]}"#
    );
    assert_eq!(serde_json::from_str::<BusinessCalendar>(&json).unwrap(), cal);
    let bad = [
        r#"{"zone":"Mars/Olympus","week":{}}"#,
        r#"{"zone":"UTC","week":{"monday":["17:00-09:00"]}}"#,
        r#"{"zone":"UTC","week":{"monday":["09:00-12:00","10:00-11:00"]}}"#,
        r#"{"zone":"UTC","week":{},"holidays":["2024-02-30"]}"#,
        r#"{"zone":"UTC","week":{},"exceptions":[{"start":"2024-01-02T00:00:00Z","end":"2024-01-01T00:00:00Z","kind":"open"}]}"#,
        r#"{"zone":"UTC","week":{"funday":[]}}"#,
        r#"{"zone":"UTC","week":{},"extra":1}"#,
    ];
    for json in bad {
        assert!(serde_json::from_str::<BusinessCalendar>(json).is_err(), "{json}");
    }
    let err = serde_json::from_str::<BusinessCalendar>(bad[0]).unwrap_err().to_string();
    assert!(err.contains("unknown time zone \"Mars/Olympus\""), "{err}");
}

/// Regression (issue 12, item 2): business time summed in `i64` nanoseconds overflowed past
/// about 292 years of a dense calendar (a panic in debug, a negative duration in release).
#[test]
fn business_time_over_292_years_is_exact() {
    let (a, b) = (utc(1700, 1, 1, 0, 0), utc(2200, 1, 1, 0, 0));
    let wall = b - a; // about 500 years
    for zone in ["UTC", "America/New_York"] {
        let always = around_the_clock(zone);
        // 24/7 in any zone: every instant is open, so business time is the wall-clock time.
        assert_eq!(always.between(a, b).unwrap(), wall, "{zone}");
        assert!(always.between(a, b).unwrap() > TimeDelta::zero());
        // A timeline (at most 200 years) falls back to the calendar outside its range.
        let timeline = BusinessTimeline::new(&always, date(1900, 1, 1), date(2100, 1, 1)).unwrap();
        assert_eq!(timeline.between(a, b).unwrap(), wall, "{zone}");
        // Additive over a split inside the timeline's range.
        let m = utc(2000, 6, 1, 12, 0);
        assert_eq!(timeline.between(a, m).unwrap() + timeline.between(m, b).unwrap(), wall);
    }
    // Adding more than 292 years of business time is exact too (it was an overflow error).
    let always = around_the_clock("UTC");
    let span = BusinessSpan::time(wall).unwrap();
    assert_eq!(always.add(a, span).unwrap(), b);
    let timeline = BusinessTimeline::new(&always, date(1900, 1, 1), date(2100, 1, 1)).unwrap();
    assert_eq!(timeline.add(a, span).unwrap(), b);
    assert_eq!(always.between(a, always.add(a, span).unwrap()).unwrap(), wall);
    // Across (nearly) the whole supported range, 584 years: still exact, never negative.
    let (lo, hi) = (utc(1678, 1, 1, 0, 0), utc(2262, 4, 10, 0, 0));
    assert_eq!(always.between(lo, hi).unwrap(), hi - lo);
}

/// The old per-date exception scan (every exception on every date), kept as the reference for
/// the binary-searched index.
fn reference_day_intervals(cal: &BusinessCalendar, date: NaiveDate) -> Intervals {
    let mut out = Intervals::new();
    if !cal.holidays.contains(&date) {
        for w in cal.windows(date.weekday()) {
            let s = cal.local_ns(date, w.start_minute()).unwrap();
            let e = cal.local_ns(date, w.end_minute()).unwrap();
            if s < e {
                out.push((s, e));
            }
        }
    }
    let lo = cal.local_ns(date, 0).unwrap();
    let hi = cal.local_ns(date, DAY_MINUTES).unwrap();
    for e in cal.exceptions.iter().filter(|e| e.kind() == ExceptionKind::Open) {
        let (s, t) = (to_ns(e.start()).unwrap().max(lo), to_ns(e.end()).unwrap().min(hi));
        if s < t {
            out.push((s, t));
        }
    }
    out.sort_unstable();
    merge_touching(&mut out);
    for e in cal.exceptions.iter().filter(|e| e.kind() == ExceptionKind::Closed) {
        let (s, t) = (to_ns(e.start()).unwrap(), to_ns(e.end()).unwrap());
        if s < hi && t > lo {
            subtract(&mut out, s, t);
        }
    }
    out
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]

    /// Issue 12, the exceptions cliff: the indexed lookup gives the old scan's answers, on
    /// overlapping, nested and touching exceptions of both kinds, in DST zones.
    #[test]
    fn indexed_exceptions_match_the_scan(
        zone in proptest::sample::select(vec!["UTC", "America/New_York", "Europe/London", "Australia/Lord_Howe"]),
        raw in proptest::collection::vec((0i64..60 * 24 * 60, 1i64..3 * 24 * 60, proptest::prelude::any::<bool>()), 0..40),
        dates in proptest::collection::vec(0i64..62, 1..12),
    ) {
        let base = utc(2024, 3, 1, 0, 0);
        let mut b = BusinessCalendar::builder(zone).weekdays("09:00-17:00".parse().unwrap()).holiday(date(2024, 3, 29));
        for (start_minute, minutes, open) in raw {
            let s = base + TimeDelta::try_minutes(start_minute).unwrap();
            let e = s + TimeDelta::try_minutes(minutes).unwrap();
            let kind = if open { ExceptionKind::Open } else { ExceptionKind::Closed };
            b = b.exception(CalendarException::new(s, e, kind).unwrap());
        }
        let cal = b.build().unwrap();
        let mut got = Intervals::new();
        for d in dates {
            let day = date(2024, 3, 1) + TimeDelta::try_days(d).unwrap();
            cal.day_intervals(day, &mut got).unwrap();
            proptest::prop_assert_eq!(&got, &reference_day_intervals(&cal, day), "{} {}", zone, day);
        }
    }
}

#[test]
fn a_fixed_offset_abbreviation_is_refused_and_an_explicit_offset_ignores_dst() {
    // Regression (issue 13 item 2): `"EST"` was accepted and meant UTC-5 all year, so a New
    // York team's hours were an hour late all summer.
    let err = BusinessCalendar::builder("EST").weekdays("09:00-17:00".parse().unwrap()).build().unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::NotALocationZone { instead: "America/New_York", .. }), "{err}");
    let at = |m, h| Utc.with_ymd_and_hms(2026, m, 1, h, 0, 0).unwrap(); // 1 January and 1 July: Thursday/Wednesday
    let ny = BusinessCalendar::builder("America/New_York").weekdays("09:00-17:00".parse().unwrap()).build().unwrap();
    assert_eq!((ny.next_opening(at(1, 0)).unwrap(), ny.next_opening(at(7, 0)).unwrap()), (at(1, 14), at(7, 13)));
    let fixed = BusinessCalendar::builder("UTC-05:00").weekdays("09:00-17:00".parse().unwrap()).build().unwrap();
    assert_eq!((fixed.next_opening(at(1, 0)).unwrap(), fixed.next_opening(at(7, 0)).unwrap()), (at(1, 14), at(7, 14)));
    assert_eq!(fixed.zone_name(), "UTC-05:00");
    assert_eq!(BusinessCalendar::builder("Etc/UTC").build().unwrap().zone(), Zone::UTC);
}

#[cfg(feature = "serde")]
#[test]
fn calendar_toml_round_trips_canonically() {
    let text = r#"
zone = "Europe/London"
holidays = ["2026-12-28", "2026-12-25"]
exceptions = [
    { start = "2026-09-11T09:00:00+01:00", end = "2026-09-11T17:00:00+01:00", kind = "closed" },
    { start = "2026-06-06T10:00:00Z", end = "2026-06-06T14:00:00Z", kind = "open" },
]

[week]
monday = ["13:00-17:30", "09:00-12:00"]
tuesday = ["09:00-17:30"]
saturday = ["10:00-14:00"]
"#;
    let calendar: BusinessCalendar = toml::from_str(text).unwrap();
    assert_eq!(calendar.weekly_minutes(), 180 + 270 + 510 + 240);
    let canonical = toml::to_string(&calendar).unwrap();
    assert_eq!(toml::from_str::<BusinessCalendar>(&canonical).unwrap(), calendar);
    assert_eq!(toml::to_string(&toml::from_str::<BusinessCalendar>(&canonical).unwrap()).unwrap(), canonical);
    assert!(canonical.contains(r#"monday = ["09:00-12:00", "13:00-17:30"]"#), "{canonical}");
    assert!(canonical.contains(r#"holidays = ["2026-12-25", "2026-12-28"]"#), "{canonical}");
    assert!(canonical.contains("2026-09-11T08:00:00Z"), "{canonical}");
    // A fixed offset round-trips as its canonical text; "EST" and unknown fields are refused.
    let fixed: BusinessCalendar = toml::from_str("zone = \"UTC+05:30\"\n[week]\n").unwrap();
    assert_eq!(toml::from_str::<BusinessCalendar>(&toml::to_string(&fixed).unwrap()).unwrap(), fixed);
    let est = toml::from_str::<BusinessCalendar>("zone = \"EST\"\n[week]\n").unwrap_err().to_string();
    assert!(est.contains("America/New_York"), "{est}");
    assert!(toml::from_str::<BusinessCalendar>("zone = \"UTC\"\nweek = {}\nholiday = []\n").is_err());
}

/// Issue 12 (fuzzing, `fuzz/regressions/calendar/between-exceeds-wall-span`): in St. John's,
/// 1919-05-05 (a Monday) jumped from 23:00 to 00:00. A Monday window ending at 23:06 ends in
/// that gap, read with the earlier offset six minutes into Tuesday; Tuesday's 00:00 window
/// counted those minutes again, so business time exceeded the wall-clock span.
#[test]
fn a_window_ending_in_a_gap_at_midnight_stops_at_the_days_end() {
    let cal = BusinessCalendar::builder("America/St_Johns")
        .window(Weekday::Mon, "00:00-23:06".parse().unwrap())
        .window(Weekday::Tue, "00:00-01:00".parse().unwrap())
        .build()
        .unwrap();
    let zone: chrono_tz::Tz = "America/St_Johns".parse().unwrap();
    let local = |d, h| zone.with_ymd_and_hms(1919, 5, d, h, 0, 0).single().unwrap().to_utc();
    let (start, end) = (local(5, 0), local(6, 1));
    // 25 local hours less the hour that did not exist.
    assert_eq!(end - start, hours(24));
    // Monday's window runs to the jump (23 h), Tuesday's one hour: no minute counted twice.
    assert_eq!(cal.between(start, end).unwrap(), hours(24));
    let timeline = BusinessTimeline::new(&cal, date(1919, 5, 1), date(1919, 5, 10)).unwrap();
    assert_eq!(timeline.between(start, end).unwrap(), hours(24));
}
