//! Business calendars: when a team works, and how much working time lies between two instants.
//!
//! A [`BusinessCalendar`] is an IANA time zone, weekly working windows in local time (several per
//! weekday allowed, e.g. around a lunch break), holiday dates (whole local days) and exception
//! intervals (extra closed or extra open time, in UTC). On UTC instants it answers four
//! questions, through the [`BusinessClock`] trait:
//!
//! - **business time between** two instants: the measure of `[start, end)`'s overlap with the
//!   working intervals;
//! - **adding business time** to an instant: the deadline is the *earliest* instant at which the
//!   span has elapsed. A start outside hours begins at the next opening (Salesforce
//!   `nextStartDate`); a span used up exactly at a closing time gives that closing instant, not
//!   the next opening (as the `workclock` crate does); a zero span gives the start itself;
//! - **next opening** at or after an instant;
//! - **open or not** at an instant (intervals are half-open: open at the opening instant,
//!   closed at the closing instant).
//!
//! # Time zones and daylight saving (our rule)
//!
//! Working intervals are built **per local date** and converted to UTC per date, so an 8-hour
//! day is 8 hours on the day the clocks change too (a fixed UTC offset is a known bug in several
//! products). A local time that does not exist or exists twice is resolved the way RFC 5545,
//! `java.time`, Temporal and jiff resolve it by default ("compatible"):
//!
//! - in a **gap** (spring forward: 02:30 in New York on the second Sunday of March does not
//!   exist) the time is read with the offset in force before the gap, which moves it forward
//!   by the gap's length (02:30 becomes 03:30 daylight time);
//! - in an **overlap** (fall back: 01:30 happens twice) the earlier instant is taken.
//!
//! So a window that straddles a change lasts one hour more or less in real time on that date
//! (a `00:00-24:00` window lasts 23 hours on the spring-forward Sunday and 25 on the
//! fall-back one), and the same window on ordinary dates is unaffected.
//!
//! # Holidays and exceptions (our rule)
//!
//! A holiday removes every weekly window of its local date. Exceptions are UTC intervals:
//! *open* exceptions add working time (a Saturday event), *closed* exceptions remove it (an
//! offsite), and closed wins where the two overlap. Open exceptions also apply on holidays.
//!
//! # Resolution and range
//!
//! Instants are handled to the nanosecond; windows are whole minutes. Instants must lie
//! between the years 1678 and 2261 (the range of `i64` nanoseconds); others are
//! [`Error::InstantOutOfRange`]. Business time is summed in `i128` nanoseconds, so it is exact
//! over the whole range (about 584 years on a 24/7 calendar, more than `i64` nanoseconds hold).
//!
//! Exceptions are kept as the sorted unions of open and of closed time: a date finds the ones
//! it overlaps by binary search, so many exceptions cost O(log n) per date, not a scan of all.
//!
//! # Speed
//!
//! [`BusinessCalendar`] walks **per local date** (never per minute): business time between
//! instants a quarter apart costs about 90 dates. For many queries against one calendar,
//! [`BusinessTimeline`] precomputes the working intervals of a date range in UTC with prefix
//! sums, so every query is a binary search; it gives the same answers as the calendar
//! (property-tested) and falls back to the calendar outside its range.

mod exception;
mod span;
mod timeline;
mod window;

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeDelta, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

pub use self::exception::{CalendarException, ExceptionKind};
pub use self::span::{BusinessSpan, HoursMinutes};
pub use self::timeline::BusinessTimeline;
pub use self::window::WorkingWindow;

use self::exception::ExceptionIndex;
use self::span::Kind;
use self::window::DAY_MINUTES;
use crate::Error;

/// A business calendar: an IANA time zone, weekly working windows in local time, holiday dates
/// and exception intervals. See the [module docs](self) for the exact rules.
///
/// Built with [`BusinessCalendar::builder`] (or deserialized, which runs the same checks).
///
/// # Example
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc, Weekday};
/// use revops::calendar::{BusinessCalendar, BusinessClock, BusinessSpan};
///
/// let calendar = BusinessCalendar::builder("America/New_York")
///     .weekdays("09:00-12:00".parse()?)
///     .weekdays("13:00-17:00".parse()?)
///     .holiday(NaiveDate::from_ymd_opt(2024, 7, 4).unwrap_or_default())
///     .build()?;
///
/// // A lead arrives on Friday 2024-07-05 at 16:30 New York time (20:30 UTC).
/// let arrived = Utc.with_ymd_and_hms(2024, 7, 5, 20, 30, 0).unwrap();
/// // Four business hours later: 30 minutes on Friday, 3 hours on Monday morning, then 30
/// // minutes after lunch: Monday 13:30 EDT.
/// let due = calendar.add(arrived, BusinessSpan::hours(4))?;
/// assert_eq!(due, Utc.with_ymd_and_hms(2024, 7, 8, 17, 30, 0).unwrap());
/// // Used up exactly at 12:00, a closing instant: that instant, not 13:00.
/// let lunch = calendar.add(arrived, BusinessSpan::minutes(210))?;
/// assert_eq!(lunch, Utc.with_ymd_and_hms(2024, 7, 8, 16, 0, 0).unwrap());
/// assert_eq!(calendar.between(arrived, due)?.num_minutes(), 240);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "CalendarRepr", into = "CalendarRepr")
)]
pub struct BusinessCalendar {
    zone: Tz,
    /// Windows per weekday, Monday first, sorted by start, non-overlapping.
    week: [Vec<WorkingWindow>; 7],
    holidays: BTreeSet<NaiveDate>,
    /// Sorted by `(start, end, kind)`.
    exceptions: Vec<CalendarException>,
    /// The unions of open and of closed exceptions (a function of `exceptions`).
    index: ExceptionIndex,
}

/// Builder for [`BusinessCalendar`]; see [`BusinessCalendar::builder`].
#[derive(Clone, Debug)]
#[must_use = "a builder does nothing until `.build()` is called"]
pub struct CalendarBuilder {
    zone: String,
    week: [Vec<WorkingWindow>; 7],
    holidays: Vec<NaiveDate>,
    exceptions: Vec<CalendarException>,
}

impl CalendarBuilder {
    /// Adds a working window on `day`.
    pub fn window(mut self, day: Weekday, window: WorkingWindow) -> CalendarBuilder {
        if let Some(slot) = self.week.get_mut(day.num_days_from_monday() as usize) {
            slot.push(window);
        }
        self
    }

    /// Adds a working window on every day from Monday to Friday.
    pub fn weekdays(mut self, window: WorkingWindow) -> CalendarBuilder {
        for slot in self.week.iter_mut().take(5) {
            slot.push(window);
        }
        self
    }

    /// Adds a holiday (a whole local date without weekly working time).
    pub fn holiday(mut self, date: NaiveDate) -> CalendarBuilder {
        self.holidays.push(date);
        self
    }

    /// Adds holidays.
    pub fn holidays(mut self, dates: impl IntoIterator<Item = NaiveDate>) -> CalendarBuilder {
        self.holidays.extend(dates);
        self
    }

    /// Adds an exception interval.
    pub fn exception(mut self, exception: CalendarException) -> CalendarBuilder {
        self.exceptions.push(exception);
        self
    }

    /// Validates and returns the calendar.
    ///
    /// # Errors
    /// [`Error::UnknownTimeZone`] if the zone is not an IANA name (case-sensitive, e.g.
    /// `Europe/London`); [`Error::OverlappingWindows`] if two windows of one weekday share a
    /// minute; [`Error::InvalidHoliday`] if a holiday is listed twice.
    pub fn build(self) -> Result<BusinessCalendar, Error> {
        let zone: Tz = self.zone.parse().map_err(|_| Error::UnknownTimeZone { name: self.zone.clone() })?;
        let mut week = self.week;
        for (day, windows) in week.iter_mut().enumerate() {
            windows.sort_unstable();
            for pair in windows.windows(2) {
                if let [a, b] = pair
                    && a.overlaps(b)
                {
                    let weekday = Weekday::try_from(u8::try_from(day).unwrap_or(0)).unwrap_or(Weekday::Mon);
                    return Err(Error::OverlappingWindows {
                        weekday: weekday_name(weekday),
                        first: a.to_string(),
                        second: b.to_string(),
                    });
                }
            }
        }
        let mut holidays = BTreeSet::new();
        for date in self.holidays {
            if !holidays.insert(date) {
                return Err(Error::InvalidHoliday { date: date.to_string(), reason: "listed twice" });
            }
        }
        let mut exceptions = self.exceptions;
        exceptions.sort_unstable();
        let index = ExceptionIndex::new(&exceptions)?;
        Ok(BusinessCalendar { zone, week, holidays, exceptions, index })
    }
}

/// Parses a `YYYY-MM-DD` holiday.
///
/// # Errors
/// [`Error::InvalidHoliday`] unless `text` is a calendar date written `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Result<NaiveDate, Error> {
    let invalid =
        || Error::InvalidHoliday { date: text.to_owned(), reason: "not a calendar date (expected YYYY-MM-DD)" };
    let mut parts = text.split('-');
    let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(invalid());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 || !text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return Err(invalid());
    }
    let (y, m, d) =
        (y.parse().map_err(|_| invalid())?, m.parse().map_err(|_| invalid())?, d.parse().map_err(|_| invalid())?);
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(invalid)
}

const fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "monday",
        Weekday::Tue => "tuesday",
        Weekday::Wed => "wednesday",
        Weekday::Thu => "thursday",
        Weekday::Fri => "friday",
        Weekday::Sat => "saturday",
        Weekday::Sun => "sunday",
    }
}

/// The four questions a business clock answers. Implemented by [`BusinessCalendar`] (walks per
/// local date) and [`BusinessTimeline`] (precomputed; same answers). Sealed: the crate may add
/// methods.
pub trait BusinessClock: sealed::Sealed {
    /// Business time in `[start, end)`: the measure of its overlap with the working intervals.
    ///
    /// It equals the wall-clock `end - start` exactly when every instant of `[start, end)` is
    /// open, for example when the whole span lies inside one working interval (no closing,
    /// holiday or closed exception in between); it is additive over any split
    /// (`between(a, c) = between(a, b) + between(b, c)` for `a <= b <= c`); and
    /// `between(a, add(a, d)) = d` for every working-time span `d`.
    ///
    /// # Errors
    /// [`Error::StopBeforeStart`] if `end < start`; [`Error::InstantOutOfRange`].
    fn between(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> Result<TimeDelta, Error>;

    /// The earliest instant at which `span` of business time has elapsed since `start`.
    ///
    /// A start outside hours begins at the next opening; a span used up exactly at a closing
    /// time gives that closing instant; a zero span gives `start` itself. For
    /// [`BusinessSpan::business_days`] `n`: let `c` be the clock start (`start` if open, else
    /// the next opening), `D` its local date and `p` the business time of `D` before `c`. If
    /// `p` is zero (the clock starts at the day's opening) the deadline is the last closing of
    /// the `n`-th working day counting `D` as the first; otherwise it is the instant at which
    /// `p` of business time has elapsed on the `n`-th working day after `D`, or that day's last
    /// closing if it is shorter (our rule: "within 1 business day" of Monday 10:30 is Tuesday
    /// 10:30 on a 9-to-5 schedule, and of Monday 09:00 it is Monday 17:00). A working day is a
    /// local date with any working time.
    ///
    /// # Errors
    /// [`Error::NoWorkingTime`] if the calendar has no working time at or after `start` (never
    /// loops); [`Error::InstantOutOfRange`] if the deadline would fall outside the supported
    /// years.
    fn add(&self, start: DateTime<Utc>, span: BusinessSpan) -> Result<DateTime<Utc>, Error>;

    /// The earliest instant at or after `at` at which the calendar is open.
    ///
    /// # Errors
    /// [`Error::NoWorkingTime`] if there is none; [`Error::InstantOutOfRange`].
    fn next_opening(&self, at: DateTime<Utc>) -> Result<DateTime<Utc>, Error>;

    /// Whether `at` lies inside a working interval (open at an opening instant, closed at a
    /// closing instant).
    ///
    /// # Errors
    /// [`Error::InstantOutOfRange`].
    fn is_open(&self, at: DateTime<Utc>) -> Result<bool, Error>;
}

pub(crate) mod sealed {
    use crate::Error;

    /// Crate-internal fast paths, unnameable outside the crate.
    pub trait Sealed {
        /// The deadline of `target` (working time, ns) from `start`, and the business time from
        /// `start` to `now`: instants in UTC nanoseconds, business time in `i128` nanoseconds.
        fn deadline_and_elapsed_ns(&self, start: i64, target: i128, now: i64) -> Result<(i64, i128), Error>;

        /// The earliest instant at which `d` nanoseconds of business time have elapsed since
        /// `start` (to the nanosecond, where a `BusinessSpan` holds whole seconds).
        fn add_wide_ns(&self, start: i64, d: i128) -> Result<i64, Error>;

        /// Business time in `[a, b)`, in nanoseconds.
        fn between_wide_ns(&self, a: i64, b: i64) -> Result<i128, Error>;
    }

    impl Sealed for super::BusinessCalendar {
        fn deadline_and_elapsed_ns(&self, start: i64, target: i128, now: i64) -> Result<(i64, i128), Error> {
            Ok((self.add_time_ns(start, target)?, self.between_ns(start, now)?))
        }

        fn add_wide_ns(&self, start: i64, d: i128) -> Result<i64, Error> {
            self.add_time_ns(start, d)
        }

        fn between_wide_ns(&self, a: i64, b: i64) -> Result<i128, Error> {
            self.between_ns(a, b)
        }
    }

    impl Sealed for super::BusinessTimeline {
        fn deadline_and_elapsed_ns(&self, start: i64, target: i128, now: i64) -> Result<(i64, i128), Error> {
            super::BusinessTimeline::deadline_and_elapsed_ns(self, start, target, now)
        }

        fn add_wide_ns(&self, start: i64, d: i128) -> Result<i64, Error> {
            self.add_time_ns(start, d)
        }

        fn between_wide_ns(&self, a: i64, b: i64) -> Result<i128, Error> {
            self.between_ns(a, b)
        }
    }
}

/// Working intervals of one local date, in UTC nanoseconds, sorted, disjoint, non-touching.
pub(crate) type Intervals = Vec<(i64, i64)>;

pub(crate) fn to_ns(t: DateTime<Utc>) -> Result<i64, Error> {
    t.timestamp_nanos_opt().ok_or_else(|| Error::InstantOutOfRange { instant: t.to_rfc3339() })
}

pub(crate) fn from_ns(ns: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_nanos(ns)
}

/// A duration in `i128` nanoseconds (exact for every `TimeDelta`).
pub(crate) fn wide_ns(d: TimeDelta) -> i128 {
    i128::from(d.num_seconds()) * 1_000_000_000 + i128::from(d.subsec_nanos())
}

/// The duration of `ns` nanoseconds.
///
/// # Errors
/// [`Error::Overflow`] beyond `TimeDelta`'s range (about 292 million years; business time
/// between supported instants never gets there).
pub(crate) fn delta_from_ns(ns: i128) -> Result<TimeDelta, Error> {
    let overflow = || Error::Overflow { op: "business time" };
    let secs = i64::try_from(ns.div_euclid(1_000_000_000)).map_err(|_| overflow())?;
    let nanos = u32::try_from(ns.rem_euclid(1_000_000_000)).map_err(|_| overflow())?;
    TimeDelta::new(secs, nanos).ok_or_else(overflow)
}

/// Nanoseconds in a UTC day.
const DAY_NS: i64 = 86_400_000_000_000;

impl BusinessCalendar {
    /// Starts a calendar in the IANA zone `zone` (e.g. `"America/New_York"`), with no working
    /// time yet.
    pub fn builder(zone: impl Into<String>) -> CalendarBuilder {
        CalendarBuilder { zone: zone.into(), week: Default::default(), holidays: Vec::new(), exceptions: Vec::new() }
    }

    /// The IANA zone name.
    #[must_use]
    pub fn zone_name(&self) -> &'static str {
        self.zone.name()
    }

    /// The time zone.
    #[must_use]
    pub const fn zone(&self) -> Tz {
        self.zone
    }

    /// The windows of `day`, sorted by start.
    #[must_use]
    pub fn windows(&self, day: Weekday) -> &[WorkingWindow] {
        self.week.get(day.num_days_from_monday() as usize).map_or(&[], Vec::as_slice)
    }

    /// The holidays, in date order.
    #[must_use]
    pub const fn holidays(&self) -> &BTreeSet<NaiveDate> {
        &self.holidays
    }

    /// The exceptions, sorted by start.
    #[must_use]
    pub fn exceptions(&self) -> &[CalendarException] {
        &self.exceptions
    }

    /// Weekly working time in local wall-clock minutes (daylight-saving changes aside).
    #[must_use]
    pub fn weekly_minutes(&self) -> u32 {
        self.week.iter().flatten().map(|w| u32::from(w.minutes())).sum()
    }

    /// Whether the calendar has no working time at all (no weekly window, no open exception).
    #[must_use]
    pub fn is_never_open(&self) -> bool {
        self.weekly_minutes() == 0 && self.index.open.is_empty()
    }

    /// The local date of an instant.
    pub(crate) fn local_date(&self, ns: i64) -> NaiveDate {
        self.zone.from_utc_datetime(&from_ns(ns).naive_utc()).date_naive()
    }

    /// The instant of local `minute` on `date` ("compatible" resolution, see the module docs).
    fn local_ns(&self, date: NaiveDate, minute: u16) -> Result<i64, Error> {
        let out_of_range = || Error::InstantOutOfRange { instant: format!("{date} +{minute}min local") };
        let local: NaiveDateTime = if minute >= DAY_MINUTES {
            date.succ_opt().and_then(|d| d.and_hms_opt(0, 0, 0)).ok_or_else(out_of_range)?
        } else {
            date.and_hms_opt(u32::from(minute / 60), u32::from(minute % 60), 0).ok_or_else(out_of_range)?
        };
        let utc = match self.zone.from_local_datetime(&local) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.naive_utc(),
            LocalResult::None => {
                // In a gap: read with the offset in force a day earlier (before the change).
                let before = local.checked_sub_signed(TimeDelta::days(1)).ok_or_else(out_of_range)?;
                let offset = self.zone.offset_from_utc_datetime(&before).fix().local_minus_utc();
                local.checked_sub_signed(TimeDelta::seconds(i64::from(offset))).ok_or_else(out_of_range)?
            }
        };
        utc.and_utc().timestamp_nanos_opt().ok_or_else(out_of_range)
    }

    /// Fills `out` with the working intervals of local `date`.
    pub(crate) fn day_intervals(&self, date: NaiveDate, out: &mut Intervals) -> Result<(), Error> {
        out.clear();
        if !self.holidays.contains(&date) {
            for w in self.windows(date.weekday()) {
                let s = self.local_ns(date, w.start_minute())?;
                let e = self.local_ns(date, w.end_minute())?;
                if s < e {
                    out.push((s, e));
                }
            }
        }
        if self.exceptions.is_empty() {
            merge_touching(out);
            return Ok(());
        }
        let lo = self.local_ns(date, 0)?;
        let hi = self.local_ns(date, DAY_MINUTES)?;
        let mut added = false;
        for (s, t) in ExceptionIndex::overlapping(&self.index.open, lo, hi) {
            let (s, t) = (s.max(lo), t.min(hi));
            if s < t {
                out.push((s, t));
                added = true;
            }
        }
        if added {
            out.sort_unstable();
        }
        merge_touching(out);
        for (s, t) in ExceptionIndex::overlapping(&self.index.closed, lo, hi) {
            subtract(out, s, t);
        }
        Ok(())
    }

    /// Last instant after which the calendar can never open again (for the add guard), if any.
    fn never_open_after(&self) -> Option<i64> {
        if self.weekly_minutes() > 0 {
            return None;
        }
        Some(self.index.open.last().map_or(i64::MIN, |&(_, e)| e))
    }

    fn next_date(date: NaiveDate) -> Result<NaiveDate, Error> {
        date.succ_opt().ok_or_else(|| Error::InstantOutOfRange { instant: format!("{date} +1 day") })
    }

    /// Walks local dates from the one containing `from`, calling `visit` with each date's
    /// intervals until it returns `Some`. Errors with [`Error::NoWorkingTime`] once past the
    /// calendar's last working time.
    fn walk<T>(
        &self,
        from: i64,
        mut visit: impl FnMut(NaiveDate, &Intervals) -> Result<Option<T>, Error>,
    ) -> Result<T, Error> {
        let guard = self.never_open_after();
        let mut date = self.local_date(from);
        let mut buf = Intervals::new();
        loop {
            if let Some(last) = guard {
                // Day spans are at most about 25 hours: once a whole day lies past the last open
                // exception, nothing can open again.
                if self.local_ns(date, 0)? > last.saturating_add(DAY_NS) {
                    return Err(Error::NoWorkingTime { zone: self.zone_name().to_owned() });
                }
            }
            self.day_intervals(date, &mut buf)?;
            if let Some(found) = visit(date, &buf)? {
                return Ok(found);
            }
            date = Self::next_date(date)?;
        }
    }

    /// Business time in `[a, b)`, in `i128` nanoseconds (over 292 years of a dense calendar
    /// overflow `i64`).
    pub(crate) fn between_ns(&self, a: i64, b: i64) -> Result<i128, Error> {
        if b <= a {
            return Ok(0);
        }
        let last = self.local_date(b);
        let mut date = self.local_date(a);
        let mut buf = Intervals::new();
        let mut total: i128 = 0;
        while date <= last {
            self.day_intervals(date, &mut buf)?;
            for &(s, e) in &buf {
                let (s, e) = (s.max(a), e.min(b));
                if s < e {
                    // Each term is below 2^64 and there are far fewer than 2^63 of them.
                    total += i128::from(e) - i128::from(s);
                }
            }
            date = Self::next_date(date)?;
        }
        Ok(total)
    }

    /// The earliest instant at which `d` nanoseconds of business time have elapsed since `a`.
    pub(crate) fn add_time_ns(&self, a: i64, d: i128) -> Result<i64, Error> {
        if d <= 0 {
            return Ok(a);
        }
        if self.is_never_open() {
            return Err(Error::NoWorkingTime { zone: self.zone_name().to_owned() });
        }
        let mut left = d;
        self.walk(a, |_, day| {
            for &(s, e) in day {
                if e <= a {
                    continue;
                }
                let s = s.max(a);
                let length = i128::from(e) - i128::from(s);
                if left <= length {
                    // `s + left <= e`: an instant in range.
                    let at =
                        i64::try_from(i128::from(s) + left).map_err(|_| Error::Overflow { op: "business time" })?;
                    return Ok(Some(at));
                }
                left -= length;
            }
            Ok(None)
        })
    }

    pub(crate) fn next_opening_ns(&self, a: i64) -> Result<i64, Error> {
        if self.is_never_open() {
            return Err(Error::NoWorkingTime { zone: self.zone_name().to_owned() });
        }
        self.walk(a, |_, day| Ok(day.iter().find(|&&(_, e)| e > a).map(|&(s, _)| s.max(a))))
    }

    pub(crate) fn is_open_ns(&self, a: i64) -> Result<bool, Error> {
        let mut buf = Intervals::new();
        self.day_intervals(self.local_date(a), &mut buf)?;
        Ok(buf.iter().any(|&(s, e)| s <= a && a < e))
    }

    pub(crate) fn add_days_ns(&self, a: i64, n: u32) -> Result<i64, Error> {
        if n == 0 {
            return Ok(a);
        }
        let clock = self.next_opening_ns(a)?;
        let first = self.local_date(clock);
        // Counted in `u64`: with the start inside working hours the deadline falls on working
        // day `n + 1`, which must not wrap for `n = u32::MAX`.
        let mut seen: u64 = 0; // working days seen, counting the first
        // Which working day (counting `first` as day 1) holds the deadline, and at what position.
        let mut target: Option<(u64, i64)> = None;
        self.walk(clock, |date, day| {
            let Some(&(_, last_close)) = day.last() else { return Ok(None) };
            seen += 1;
            let (index, position) = *target.get_or_insert_with(|| {
                debug_assert!(date == first);
                let before: i64 = day.iter().map(|&(s, e)| e.min(clock) - s.min(clock)).sum();
                if before == 0 { (u64::from(n), i64::MAX) } else { (u64::from(n) + 1, before) }
            });
            if seen < index {
                return Ok(None);
            }
            // Position `position` within this day, or its last closing.
            let mut left = position;
            for &(s, e) in day {
                if left <= e - s {
                    return Ok(Some(s + left));
                }
                left -= e - s;
            }
            Ok(Some(last_close))
        })
    }

    fn add_ns(&self, a: i64, span: BusinessSpan) -> Result<i64, Error> {
        match span.kind() {
            Kind::BusinessDays(n) => self.add_days_ns(a, n),
            Kind::Time(_) | Kind::ScheduleDays(_) => self.add_time_ns(a, wide_ns(span.as_time().unwrap_or_default())),
        }
    }
}

/// Merges touching or overlapping sorted intervals in place.
pub(crate) fn merge_touching(out: &mut Intervals) {
    if out.iter().zip(out.iter().skip(1)).all(|(a, b)| a.1 < b.0) {
        return; // the common case: nothing to merge, no allocation
    }
    let mut merged: Intervals = Vec::with_capacity(out.len());
    for &(s, e) in out.iter() {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    *out = merged;
}

/// Removes `[s, t)` from sorted disjoint intervals.
fn subtract(out: &mut Intervals, s: i64, t: i64) {
    let mut kept: Intervals = Vec::with_capacity(out.len() + 1);
    for &(a, b) in out.iter() {
        if b <= s || a >= t {
            kept.push((a, b));
            continue;
        }
        if a < s {
            kept.push((a, s));
        }
        if b > t {
            kept.push((t, b));
        }
    }
    *out = kept;
}

impl BusinessClock for BusinessCalendar {
    fn between(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> Result<TimeDelta, Error> {
        if end < start {
            return Err(Error::StopBeforeStart { what: "business time query", start, stop: end });
        }
        delta_from_ns(self.between_ns(to_ns(start)?, to_ns(end)?)?)
    }

    fn add(&self, start: DateTime<Utc>, span: BusinessSpan) -> Result<DateTime<Utc>, Error> {
        Ok(from_ns(self.add_ns(to_ns(start)?, span)?))
    }

    fn next_opening(&self, at: DateTime<Utc>) -> Result<DateTime<Utc>, Error> {
        Ok(from_ns(self.next_opening_ns(to_ns(at)?)?))
    }

    fn is_open(&self, at: DateTime<Utc>) -> Result<bool, Error> {
        self.is_open_ns(to_ns(at)?)
    }
}

/// Wire shape of [`BusinessCalendar`]; private so the format can change freely.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarRepr {
    zone: String,
    week: WeekRepr,
    #[serde(default)]
    holidays: Vec<String>,
    #[serde(default)]
    exceptions: Vec<CalendarException>,
}

#[cfg(feature = "serde")]
#[derive(Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct WeekRepr {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    monday: Vec<WorkingWindow>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tuesday: Vec<WorkingWindow>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    wednesday: Vec<WorkingWindow>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    thursday: Vec<WorkingWindow>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    friday: Vec<WorkingWindow>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    saturday: Vec<WorkingWindow>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    sunday: Vec<WorkingWindow>,
}

#[cfg(feature = "serde")]
impl TryFrom<CalendarRepr> for BusinessCalendar {
    type Error = Error;
    fn try_from(repr: CalendarRepr) -> Result<BusinessCalendar, Error> {
        let w = repr.week;
        let week = [w.monday, w.tuesday, w.wednesday, w.thursday, w.friday, w.saturday, w.sunday];
        let holidays = repr.holidays.iter().map(|h| parse_date(h)).collect::<Result<Vec<_>, _>>()?;
        let mut builder = BusinessCalendar::builder(repr.zone).holidays(holidays);
        builder.week = week;
        builder.exceptions = repr.exceptions;
        builder.build()
    }
}

#[cfg(feature = "serde")]
impl From<BusinessCalendar> for CalendarRepr {
    fn from(c: BusinessCalendar) -> CalendarRepr {
        let [monday, tuesday, wednesday, thursday, friday, saturday, sunday] = c.week;
        CalendarRepr {
            zone: c.zone.name().to_owned(),
            week: WeekRepr { monday, tuesday, wednesday, thursday, friday, saturday, sunday },
            holidays: c.holidays.iter().map(NaiveDate::to_string).collect(),
            exceptions: c.exceptions,
        }
    }
}

#[cfg(test)]
mod tests;
