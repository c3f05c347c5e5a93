//! [`BusinessTimeline`]: a calendar's working intervals over a date range, precomputed in UTC
//! with prefix sums, so that every query is a binary search.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use super::span::Kind;
use super::{BusinessCalendar, BusinessClock, BusinessSpan, DAY_NS, Intervals, delta_from_ns, from_ns, to_ns, wide_ns};
use crate::{Error, ErrorKind};

/// A [`BusinessCalendar`] with its working intervals precomputed over the local dates
/// `[from, to)`: every interval in UTC nanoseconds with the business time before it (prefix
/// sums), so [`BusinessClock::between`] is two binary searches and [`BusinessClock::add`] (of
/// working time) two more, however far apart the instants are.
///
/// Answers are identical to the calendar's (property-tested). A query that reaches outside the
/// range, and every [`BusinessSpan::business_days`] addition, is answered by the calendar
/// itself (per-date walk), so nothing is ever wrong, only slower.
///
/// Memory: two `i64` per interval plus two prefix sums; a 9-to-5 weekday calendar over ten
/// years is about 2,600 intervals (80 KiB).
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::calendar::{BusinessCalendar, BusinessClock, BusinessSpan, BusinessTimeline, parse_date};
///
/// let calendar = BusinessCalendar::builder("Europe/London").weekdays("09:00-17:30".parse()?).build()?;
/// let (from, to) = (parse_date("2024-01-01")?, parse_date("2026-01-01")?);
/// let timeline = BusinessTimeline::new(&calendar, from, to)?;
/// assert_eq!(timeline.range(), (from, to));
/// assert_eq!(timeline.calendar(), &calendar);
/// assert_eq!(timeline.interval_count(), 262 + 261); // the weekdays of 2024 and 2025
///
/// let a = Utc.with_ymd_and_hms(2024, 3, 1, 12, 0, 0).single().unwrap_or_default();
/// let b = Utc.with_ymd_and_hms(2024, 11, 1, 12, 0, 0).single().unwrap_or_default();
/// assert_eq!(timeline.between(a, b)?, calendar.between(a, b)?);
/// let due = timeline.add(a, BusinessSpan::hours(30))?;
/// assert_eq!(due, calendar.add(a, BusinessSpan::hours(30))?);
/// // Outside the range the calendar answers: slower, never wrong.
/// let later = Utc.with_ymd_and_hms(2027, 6, 1, 12, 0, 0).single().unwrap_or_default();
/// assert_eq!(timeline.between(a, later)?, calendar.between(a, later)?);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BusinessTimeline {
    calendar: BusinessCalendar,
    from: NaiveDate,
    to: NaiveDate,
    /// UTC nanoseconds of local `from` 00:00 and local `to` 00:00.
    lo: i64,
    hi: i64,
    starts: Vec<i64>,
    ends: Vec<i64>,
    /// Business time before interval `i`.
    before: Vec<i64>,
    /// Business time up to the end of interval `i`.
    through: Vec<i64>,
    /// `first[k]`: the number of intervals starting before `lo + k` UTC days (a bucket index
    /// that makes locating an instant O(1): a UTC day holds only a few interval starts).
    first: Vec<u32>,
    /// Each local date's intervals from `from` (as `BusinessCalendar::day_intervals` gives
    /// them, before touching days are merged): business-day additions walk dates.
    days: Vec<Intervals>,
}

impl BusinessTimeline {
    /// Most local dates a timeline may cover (about 200 years).
    pub const MAX_DAYS: i64 = 73_050;

    /// Precomputes `calendar` over the local dates `[from, to)`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] if `to` is not after `from` or the range exceeds
    /// [`BusinessTimeline::MAX_DAYS`]; [`ErrorKind::InstantOutOfRange`] outside the supported years.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::calendar::{BusinessCalendar, BusinessTimeline, parse_date};
    ///
    /// let calendar = BusinessCalendar::builder("America/New_York").weekdays("09:00-17:00".parse()?).build()?;
    /// let june = BusinessTimeline::new(&calendar, parse_date("2024-06-01")?, parse_date("2024-07-01")?)?;
    /// assert_eq!(june.interval_count(), 20); // June 2024 has 20 weekdays
    ///
    /// // An empty or reversed range, or one over MAX_DAYS, is refused.
    /// assert!(BusinessTimeline::new(&calendar, parse_date("2024-07-01")?, parse_date("2024-06-01")?).is_err());
    /// assert!(BusinessTimeline::new(&calendar, parse_date("2024-06-01")?, parse_date("2024-06-01")?).is_err());
    /// assert!(BusinessTimeline::new(&calendar, parse_date("1900-01-01")?, parse_date("2200-01-01")?).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new(calendar: &BusinessCalendar, from: NaiveDate, to: NaiveDate) -> Result<BusinessTimeline, Error> {
        let days = (to - from).num_days();
        if days <= 0 || days > Self::MAX_DAYS {
            return Err(ErrorKind::InvalidValue {
                field: "timeline range",
                value: format!("{from}..{to}"),
                reason: "must cover 1 to 73050 local dates",
            }
            .into());
        }
        let lo = calendar.local_ns(from, 0)?;
        let hi = calendar.local_ns(to, 0)?;
        let (mut starts, mut ends, mut before, mut through) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut total: i64 = 0;
        let mut day = Intervals::new();
        let mut date = from;
        let mut days = Vec::with_capacity(usize::try_from(days).unwrap_or(0));
        while date < to {
            calendar.day_intervals(date, &mut day)?;
            days.push(day.clone());
            for &(s, e) in &day {
                // Checked: at most `MAX_DAYS` dates of at most about 25 hours fit in `i64`
                // nanoseconds (about 208 of the 292 years), but the sum never wraps silently.
                let overflow = || ErrorKind::Overflow { op: "timeline business time" };
                let length = e.checked_sub(s).ok_or_else(overflow)?;
                let next = total.checked_add(length).ok_or_else(overflow)?;
                // Merge with the previous date's last interval when they touch (00:00-24:00 days).
                if ends.last() == Some(&s) {
                    if let (Some(last_end), Some(last_through)) = (ends.last_mut(), through.last_mut()) {
                        *last_end = e;
                        *last_through = next;
                    }
                } else {
                    starts.push(s);
                    ends.push(e);
                    before.push(total);
                    through.push(next);
                }
                total = next;
            }
            date = BusinessCalendar::next_date(date)?;
        }
        let buckets = usize::try_from((hi - lo) / DAY_NS + 2).unwrap_or(0);
        let mut first = Vec::with_capacity(buckets);
        let mut i = 0usize;
        for k in 0..buckets {
            let edge = lo.saturating_add(i64::try_from(k).unwrap_or(i64::MAX).saturating_mul(DAY_NS));
            while starts.get(i).is_some_and(|&s| s < edge) {
                i += 1;
            }
            first.push(u32::try_from(i).map_err(|_| ErrorKind::Overflow { op: "timeline size" })?);
        }
        Ok(BusinessTimeline {
            calendar: calendar.clone(),
            from,
            to,
            lo,
            hi,
            starts,
            ends,
            before,
            through,
            first,
            days,
        })
    }

    /// The calendar.
    #[must_use]
    pub const fn calendar(&self) -> &BusinessCalendar {
        &self.calendar
    }

    /// The local dates covered, `[from, to)`.
    #[must_use]
    pub const fn range(&self) -> (NaiveDate, NaiveDate) {
        (self.from, self.to)
    }

    /// Number of precomputed working intervals.
    #[must_use]
    pub fn interval_count(&self) -> usize {
        self.starts.len()
    }

    fn covers(&self, t: i64) -> bool {
        self.lo <= t && t <= self.hi
    }

    /// The number of intervals starting at or before `at` (`at` inside the range).
    #[inline]
    fn locate(&self, at: i64) -> usize {
        let bucket = usize::try_from((at - self.lo) / DAY_NS).unwrap_or(0);
        let mut i = self.first.get(bucket).map_or(0, |&i| i as usize);
        while self.starts.get(i).is_some_and(|&s| s <= at) {
            i += 1;
        }
        i
    }

    /// Business time from the start of the range to `at` (`at` inside the range), and the
    /// number of intervals starting at or before it.
    #[inline]
    fn position_at(&self, at: i64) -> (i64, usize) {
        let after = self.locate(at);
        (self.position_after(at, after), after)
    }

    #[inline]
    fn position(&self, at: i64) -> i64 {
        self.position_at(at).0
    }

    #[inline]
    fn position_after(&self, at: i64, after: usize) -> i64 {
        match after.checked_sub(1) {
            None => 0,
            Some(k) => match (self.before.get(k), self.starts.get(k), self.ends.get(k)) {
                (Some(&before), Some(&start), Some(&end)) => before + (at.min(end) - start),
                _ => 0,
            },
        }
    }

    /// The earliest instant at which the position `target` (> 0 from the range start) is
    /// reached, if inside the range; the search starts at interval `hint` (a lower bound),
    /// scanning a few intervals before falling back to a binary search.
    #[inline]
    fn at_position(&self, target: i64, hint: usize) -> Option<i64> {
        let mut j = hint;
        let mut steps = 0;
        while self.through.get(j).is_some_and(|&c| c < target) {
            j += 1;
            steps += 1;
            if steps == 8 {
                j += self.through.get(j..)?.partition_point(|&c| c < target);
                break;
            }
        }
        Some(self.starts.get(j)? + (target - self.before.get(j)?))
    }

    /// Deadline of `d` (> 0) from `a` and business time from `a` to `now`, both inside the range.
    #[inline]
    pub(crate) fn deadline_and_elapsed_ns(&self, a: i64, d: i128, now: i64) -> Result<(i64, i128), Error> {
        if self.covers(a) && self.covers(now) {
            let (pos, after) = self.position_at(a);
            // Positions lie in `[0, total]`, so their difference fits (and is widened anyway).
            let elapsed = (i128::from(self.position(now)) - i128::from(pos)).max(0);
            if d <= 0 {
                return Ok((a, elapsed));
            }
            if let Some(deadline) = Self::target(pos, d).and_then(|t| self.at_position(t, after.saturating_sub(1))) {
                return Ok((deadline, elapsed));
            }
            return Ok((self.calendar.add_time_ns(a, d)?, elapsed));
        }
        Ok((self.add_time_ns(a, d)?, self.between_ns(a, now)?))
    }

    /// The position `d` after `pos`, if it fits the position type (else past the range).
    fn target(pos: i64, d: i128) -> Option<i64> {
        i64::try_from(i128::from(pos).checked_add(d)?).ok()
    }

    pub(crate) fn between_ns(&self, a: i64, b: i64) -> Result<i128, Error> {
        if self.covers(a) && self.covers(b) {
            Ok((i128::from(self.position(b)) - i128::from(self.position(a))).max(0))
        } else {
            self.calendar.between_ns(a, b)
        }
    }

    pub(crate) fn add_time_ns(&self, a: i64, d: i128) -> Result<i64, Error> {
        if d <= 0 {
            return Ok(a);
        }
        if self.covers(a) {
            let (pos, after) = self.position_at(a);
            if let Some(t) = Self::target(pos, d).and_then(|t| self.at_position(t, after.saturating_sub(1))) {
                return Ok(t);
            }
        }
        self.calendar.add_time_ns(a, d)
    }

    fn add_ns(&self, a: i64, span: BusinessSpan) -> Result<i64, Error> {
        match span.kind() {
            Kind::BusinessDays(n) => self.calendar.add_days_ns_with(a, n, &mut |date, out| {
                let cached = usize::try_from((date - self.from).num_days()).ok().and_then(|i| self.days.get(i));
                match cached {
                    Some(day) => {
                        out.clone_from(day);
                        Ok(())
                    }
                    None => self.calendar.day_intervals(date, out),
                }
            }),
            Kind::Time(_) | Kind::ScheduleDays(_) => self.add_time_ns(a, wide_ns(span.as_time().unwrap_or_default())),
        }
    }
}

impl BusinessClock for BusinessTimeline {
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
        let a = to_ns(at)?;
        if self.covers(a) {
            let i = self.ends.partition_point(|&e| e <= a);
            if let Some(&s) = self.starts.get(i) {
                return Ok(from_ns(s.max(a)));
            }
        }
        Ok(from_ns(self.calendar.next_opening_ns(a)?))
    }

    fn is_open(&self, at: DateTime<Utc>) -> Result<bool, Error> {
        let a = to_ns(at)?;
        if self.covers(a) && a < self.hi {
            let i = self.ends.partition_point(|&e| e <= a);
            return Ok(self.starts.get(i).is_some_and(|&s| s <= a));
        }
        self.calendar.is_open_ns(a)
    }
}
