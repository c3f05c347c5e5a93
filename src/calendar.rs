//! Business calendars: when a team works, and how much working time lies between two instants.
//!
//! A [`BusinessCalendar`] is a time zone ([`Zone`]: an IANA location, or a fixed offset asked
//! for explicitly), weekly working windows in local time (several per weekday allowed, e.g.
//! around a lunch break), holiday dates (whole local days) and exception intervals (extra
//! closed or extra open time, in UTC). On UTC instants it answers four
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
//! [`ErrorKind::InstantOutOfRange`]. Business time is summed in `i128` nanoseconds, so it is exact
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

mod builder;
mod clock;
mod exception;
mod ns;
#[cfg(feature = "serde")]
mod repr;
mod span;
mod timeline;
mod window;
mod zone;

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, LocalResult, NaiveDate, NaiveDateTime, TimeDelta, Utc, Weekday};

pub use self::builder::{CalendarBuilder, parse_date};
pub use self::clock::BusinessClock;
pub use self::exception::{CalendarException, ExceptionKind};
pub use self::span::{BusinessSpan, HoursMinutes};
pub use self::timeline::BusinessTimeline;
pub use self::window::WorkingWindow;
pub use self::zone::{Zone, ZoneOffset};
pub use crate::wire::duration::{format_duration, parse_duration};

use self::exception::ExceptionIndex;
pub(crate) use self::ns::{DAY_NS, Intervals, delta_from_ns, from_ns, to_ns, wide_ns};
use self::span::Kind;
use self::window::DAY_MINUTES;
pub(crate) use self::zone::epoch_day;
use crate::{Error, ErrorKind};

/// A business calendar: a time zone, weekly working windows in local time, holiday dates
/// and exception intervals. See the [module docs](self) for the exact rules.
///
/// Built with [`BusinessCalendar::builder`] (or deserialized, which runs the same checks).
///
/// # Wire format
///
/// An object with four fields; unknown fields are refused:
///
/// - `zone` (required): a [`Zone`] name, `"America/New_York"`, `"UTC"`, or an explicitly fixed
///   offset `"UTC+05:30"` (fixed-offset abbreviations such as `"EST"` are refused);
/// - `week` (required): an object with optional keys `monday` to `sunday`, each a list of
///   [`WorkingWindow`]s `"HH:MM-HH:MM"` in local time; a missing day has no working time, and
///   windows of one day must not overlap;
/// - `holidays` (optional, default none): local dates `"YYYY-MM-DD"` ([`parse_date`]), each
///   listed once;
/// - `exceptions` (optional, default none): [`CalendarException`]s,
///   `{ "start": RFC 3339, "end": RFC 3339, "kind": "open" | "closed" }`.
///
/// Deserializing runs [`CalendarBuilder::build`]'s checks. Serializing writes the canonical
/// form: the zone's canonical name, days without windows left out, windows sorted by start,
/// holidays in date order, exceptions sorted, instants in UTC. In TOML:
///
/// ```toml
/// zone = "America/New_York"
/// holidays = ["2026-07-03", "2026-12-25"]
/// exceptions = [{ start = "2026-09-11T13:00:00Z", end = "2026-09-11T21:00:00Z", kind = "closed" }]
///
/// [week]
/// monday = ["09:00-12:00", "13:00-17:00"]
/// friday = ["09:00-15:00"]
/// ```
///
/// ```
/// use chrono::Weekday;
/// use revops::calendar::{BusinessCalendar, parse_date};
///
/// let json = r#"{
///     "zone": "America/New_York",
///     "week": { "monday": ["13:00-17:00", "09:00-12:00"], "friday": ["09:00-15:00"] },
///     "holidays": ["2026-12-25", "2026-07-03"],
///     "exceptions": [{ "start": "2026-09-11T09:00:00-04:00", "end": "2026-09-11T17:00:00-04:00", "kind": "closed" }]
/// }"#;
/// let calendar: BusinessCalendar = serde_json::from_str(json)?;
/// let built = BusinessCalendar::builder("America/New_York")
///     .window(Weekday::Mon, "09:00-12:00".parse()?)
///     .window(Weekday::Mon, "13:00-17:00".parse()?)
///     .window(Weekday::Fri, "09:00-15:00".parse()?)
///     .holidays([parse_date("2026-07-03")?, parse_date("2026-12-25")?])
///     .exception(serde_json::from_str(r#"{"start":"2026-09-11T13:00:00Z","end":"2026-09-11T21:00:00Z","kind":"closed"}"#)?)
///     .build()?;
/// assert_eq!(calendar, built);
/// assert_eq!(
///     serde_json::to_string(&calendar)?,
///     r#"{"zone":"America/New_York","week":{"monday":["09:00-12:00","13:00-17:00"],"friday":["09:00-15:00"]},"holidays":["2026-07-03","2026-12-25"],"exceptions":[{"start":"2026-09-11T13:00:00Z","end":"2026-09-11T21:00:00Z","kind":"closed"}]}"#
/// );
/// // "EST" is a fixed offset, not New York: refused with the location to use.
/// let est = serde_json::from_str::<BusinessCalendar>(r#"{"zone": "EST", "week": {}}"#).unwrap_err();
/// assert!(est.to_string().contains("use a location such as America/New_York"), "{est}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::calendar::{BusinessCalendar, BusinessClock, BusinessSpan, parse_date};
///
/// let calendar = BusinessCalendar::builder("America/New_York")
///     .weekdays("09:00-12:00".parse()?)
///     .weekdays("13:00-17:00".parse()?)
///     .holiday(parse_date("2024-07-04")?)
///     .build()?;
///
/// // A lead arrives on Friday 2024-07-05 at 16:30 New York time (20:30 UTC).
/// let utc = |d, h, m| Utc.with_ymd_and_hms(2024, 7, d, h, m, 0).single().unwrap_or_default();
/// let arrived = utc(5, 20, 30);
/// // Four business hours later: 30 minutes on Friday, 3 hours on Monday morning, then 30
/// // minutes after lunch: Monday 13:30 EDT.
/// let due = calendar.add(arrived, BusinessSpan::hours(4))?;
/// assert_eq!(due, utc(8, 17, 30));
/// // Used up exactly at 12:00, a closing instant: that instant, not 13:00.
/// let lunch = calendar.add(arrived, BusinessSpan::minutes(210))?;
/// assert_eq!(lunch, utc(8, 16, 0));
/// assert_eq!(calendar.between(arrived, due)?.num_minutes(), 240);
/// // Thursday 4 July is a holiday: closed all day.
/// assert!(!calendar.is_open(utc(4, 15, 0))?);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "repr::CalendarRepr", into = "repr::CalendarRepr")
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BusinessCalendar {
    zone: Zone,
    /// Windows per weekday, Monday first, sorted by start, non-overlapping.
    week: [Vec<WorkingWindow>; 7],
    holidays: BTreeSet<NaiveDate>,
    /// Sorted by `(start, end, kind)`.
    exceptions: Vec<CalendarException>,
    /// The unions of open and of closed exceptions (a function of `exceptions`).
    index: ExceptionIndex,
}

impl BusinessCalendar {
    /// Starts a calendar in the zone `zone` (an IANA location such as `"America/New_York"`,
    /// `"UTC"`, or an explicit fixed offset `"UTC+05:30"`; see [`Zone`]), with no working time
    /// yet. The name is checked by [`CalendarBuilder::build`].
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::Weekday;
    /// use revops::calendar::{BusinessCalendar, CalendarException, WorkingWindow, parse_date};
    ///
    /// let support = BusinessCalendar::builder("Europe/Berlin")
    ///     .weekdays("08:00-12:00".parse()?)
    ///     .weekdays("12:30-16:30".parse()?)
    ///     .window(Weekday::Sat, "10:00-14:00".parse()?)
    ///     .holidays([parse_date("2024-12-25")?, parse_date("2024-12-26")?])
    ///     .exception(CalendarException::closed(
    ///         "2024-09-12T06:00:00Z".parse().unwrap_or_default(),
    ///         "2024-09-12T15:00:00Z".parse().unwrap_or_default(),
    ///     )?)
    ///     .build()?;
    ///
    /// assert_eq!(support.zone_name(), "Europe/Berlin");
    /// assert_eq!(support.zone().tz(), Some(chrono_tz::Europe::Berlin));
    /// assert_eq!(support.windows(Weekday::Mon).len(), 2);
    /// assert_eq!(support.windows(Weekday::Sat), [WorkingWindow::new(10, 0, 14, 0)?]);
    /// assert!(support.windows(Weekday::Sun).is_empty());
    /// assert_eq!(support.weekly_minutes(), 5 * 480 + 240);
    /// assert_eq!(support.holidays().len(), 2);
    /// assert_eq!(support.exceptions().len(), 1);
    /// assert!(!support.is_never_open());
    /// assert!(BusinessCalendar::builder("UTC").build()?.is_never_open());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn builder(zone: impl Into<String>) -> CalendarBuilder {
        CalendarBuilder { zone: zone.into(), week: Default::default(), holidays: Vec::new(), exceptions: Vec::new() }
    }

    /// The zone's canonical name: the IANA name, `"UTC"`, or a fixed offset such as
    /// `"UTC+05:30"` (see [`Zone`]).
    #[must_use]
    pub fn zone_name(&self) -> String {
        self.zone.to_string()
    }

    /// The time zone.
    #[must_use]
    pub const fn zone(&self) -> Zone {
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
        let utc = from_ns(ns).naive_utc();
        // Instants of the calendar's range (years 1678 to 2261) always have a local date.
        utc.checked_add_offset(self.zone.utc_offset(&utc)).unwrap_or(utc).date()
    }

    /// The instant of local `minute` on `date` ("compatible" resolution, see the module docs).
    fn local_ns(&self, date: NaiveDate, minute: u16) -> Result<i64, Error> {
        let out_of_range = || ErrorKind::InstantOutOfRange { instant: format!("{date} +{minute}min local") };
        let local: NaiveDateTime = if minute >= DAY_MINUTES {
            date.succ_opt().and_then(|d| d.and_hms_opt(0, 0, 0)).ok_or_else(out_of_range)?
        } else {
            date.and_hms_opt(u32::from(minute / 60), u32::from(minute % 60), 0).ok_or_else(out_of_range)?
        };
        let offset = match self.zone.local_offsets(&local) {
            LocalResult::Single(o) | LocalResult::Ambiguous(o, _) => o,
            LocalResult::None => {
                // In a gap: read with the offset in force a day earlier (before the change).
                let before = local.checked_sub_signed(TimeDelta::days(1)).ok_or_else(out_of_range)?;
                self.zone.utc_offset(&before)
            }
        };
        let utc = local.checked_sub_offset(offset).ok_or_else(out_of_range)?;
        utc.and_utc().timestamp_nanos_opt().ok_or_else(out_of_range).map_err(crate::Error::from)
    }

    /// Fills `out` with the working intervals of local `date`.
    pub(crate) fn day_intervals(&self, date: NaiveDate, out: &mut Intervals) -> Result<(), Error> {
        out.clear();
        // The local day's own instants. A window's end in a gap that ends at the next midnight
        // (St. John's 1919-1935: 23:00 jumped to 00:00) reads with the offset before the
        // change, past the day's end: the day's working time stops at its end, or the next
        // day would count those minutes again.
        let hi = self.local_ns(date, DAY_MINUTES)?;
        if !self.holidays.contains(&date) {
            for w in self.windows(date.weekday()) {
                let s = self.local_ns(date, w.start_minute())?;
                let e = self.local_ns(date, w.end_minute())?.min(hi);
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
        date.succ_opt()
            .ok_or_else(|| ErrorKind::InstantOutOfRange { instant: format!("{date} +1 day") })
            .map_err(crate::Error::from)
    }

    /// Walks local dates from the one containing `from`, calling `visit` with each date's
    /// intervals until it returns `Some`. Errors with [`ErrorKind::NoWorkingTime`] once past the
    /// calendar's last working time.
    fn walk<T>(
        &self,
        from: i64,
        visit: impl FnMut(NaiveDate, &Intervals) -> Result<Option<T>, Error>,
    ) -> Result<T, Error> {
        self.walk_with(from, &mut |date, out| self.day_intervals(date, out), visit)
    }

    /// [`BusinessCalendar::walk`] reading each date's intervals from `day_of`, which must give
    /// exactly what [`BusinessCalendar::day_intervals`] gives (a timeline's cache of them).
    fn walk_with<T>(
        &self,
        from: i64,
        day_of: &mut impl FnMut(NaiveDate, &mut Intervals) -> Result<(), Error>,
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
                    return Err(ErrorKind::NoWorkingTime { zone: self.zone_name() }.into());
                }
            }
            day_of(date, &mut buf)?;
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
            return Err(ErrorKind::NoWorkingTime { zone: self.zone_name() }.into());
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
                        i64::try_from(i128::from(s) + left).map_err(|_| ErrorKind::Overflow { op: "business time" })?;
                    return Ok(Some(at));
                }
                left -= length;
            }
            Ok(None)
        })
    }

    pub(crate) fn next_opening_ns(&self, a: i64) -> Result<i64, Error> {
        if self.is_never_open() {
            return Err(ErrorKind::NoWorkingTime { zone: self.zone_name() }.into());
        }
        self.walk(a, |_, day| Ok(day.iter().find(|&&(_, e)| e > a).map(|&(s, _)| s.max(a))))
    }

    pub(crate) fn is_open_ns(&self, a: i64) -> Result<bool, Error> {
        let mut buf = Intervals::new();
        self.day_intervals(self.local_date(a), &mut buf)?;
        Ok(buf.iter().any(|&(s, e)| s <= a && a < e))
    }

    pub(crate) fn add_days_ns(&self, a: i64, n: u32) -> Result<i64, Error> {
        self.add_days_ns_with(a, n, &mut |date, out| self.day_intervals(date, out))
    }

    /// [`BusinessCalendar::add_days_ns`] reading each date's intervals from `day_of` (see
    /// [`BusinessCalendar::walk_with`]).
    pub(crate) fn add_days_ns_with(
        &self,
        a: i64,
        n: u32,
        day_of: &mut impl FnMut(NaiveDate, &mut Intervals) -> Result<(), Error>,
    ) -> Result<i64, Error> {
        if n == 0 {
            return Ok(a);
        }
        if self.is_never_open() {
            return Err(ErrorKind::NoWorkingTime { zone: self.zone_name() }.into());
        }
        let clock =
            self.walk_with(a, day_of, |_, day| Ok(day.iter().find(|&&(_, e)| e > a).map(|&(s, _)| s.max(a))))?;
        let first = self.local_date(clock);
        // Counted in `u64`: with the start inside working hours the deadline falls on working
        // day `n + 1`, which must not wrap for `n = u32::MAX`.
        let mut seen: u64 = 0; // working days seen, counting the first
        // Which working day (counting `first` as day 1) holds the deadline, and at what position.
        let mut target: Option<(u64, i64)> = None;
        self.walk_with(clock, day_of, |date, day| {
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
            return Err(ErrorKind::StopBeforeStart { what: "business time query", start, stop: end }.into());
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

#[cfg(test)]
mod tests;
