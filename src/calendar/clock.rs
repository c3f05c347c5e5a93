//! [`BusinessClock`]: the four questions a business calendar answers, and the sealed fast
//! paths behind them.

use chrono::{DateTime, TimeDelta, Utc};

use super::BusinessSpan;
use crate::Error;

/// The four questions a business clock answers. Implemented by [`BusinessCalendar`](super::BusinessCalendar) (walks per
/// local date) and [`BusinessTimeline`](super::BusinessTimeline) (precomputed; same answers). Sealed: the crate may add
/// methods.
///
/// # Example
///
/// Code that measures business time takes any clock, so a service can switch from the calendar
/// to a precomputed timeline without changing a figure:
///
/// ```
/// use chrono::{DateTime, Utc};
/// use revops::calendar::{BusinessCalendar, BusinessClock, BusinessTimeline, parse_date};
///
/// /// Business hours from a lead's creation to its first call.
/// fn hours_to_first_call(
///     clock: &impl BusinessClock,
///     created: DateTime<Utc>,
///     called: DateTime<Utc>,
/// ) -> Result<i64, revops::Error> {
///     Ok(clock.between(created, called)?.num_hours())
/// }
///
/// let at = |rfc3339: &str| rfc3339.parse::<DateTime<Utc>>().unwrap_or_default();
/// let calendar = BusinessCalendar::builder("America/New_York").weekdays("09:00-17:00".parse()?).build()?;
/// // Friday 15:00 to Monday 11:00 New York time: 2 hours on Friday, 2 on Monday.
/// let (created, called) = (at("2024-06-07T15:00:00-04:00"), at("2024-06-10T11:00:00-04:00"));
/// assert_eq!(hours_to_first_call(&calendar, created, called)?, 4);
///
/// let timeline = BusinessTimeline::new(&calendar, parse_date("2024-01-01")?, parse_date("2025-01-01")?)?;
/// assert_eq!(hours_to_first_call(&timeline, created, called)?, 4);
/// # Ok::<(), revops::Error>(())
/// ```
pub trait BusinessClock: sealed::SealedClock {
    /// Business time in `[start, end)`: the measure of its overlap with the working intervals.
    ///
    /// It equals the wall-clock `end - start` exactly when every instant of `[start, end)` is
    /// open, for example when the whole span lies inside one working interval (no closing,
    /// holiday or closed exception in between); it is additive over any split
    /// (`between(a, c) = between(a, b) + between(b, c)` for `a <= b <= c`); and
    /// `between(a, add(a, d)) = d` for every working-time span `d`.
    ///
    /// # Errors
    /// [`ErrorKind::StopBeforeStart`](crate::ErrorKind::StopBeforeStart) if `end < start`; [`ErrorKind::InstantOutOfRange`](crate::ErrorKind::InstantOutOfRange).
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{DateTime, Utc, Weekday};
    /// use revops::ErrorKind;
    /// use revops::calendar::{BusinessCalendar, BusinessClock};
    ///
    /// let at = |rfc3339: &str| rfc3339.parse::<DateTime<Utc>>().unwrap_or_default();
    /// let office = BusinessCalendar::builder("America/New_York")
    ///     .weekdays("09:00-12:00".parse()?)
    ///     .weekdays("13:00-17:00".parse()?)
    ///     .build()?;
    /// // Monday 11:00 to 14:00: the lunch hour does not count.
    /// let (eleven, two) = (at("2024-06-03T11:00:00-04:00"), at("2024-06-03T14:00:00-04:00"));
    /// assert_eq!(office.between(eleven, two)?.num_minutes(), 120);
    /// // Additive over any split.
    /// let noon = at("2024-06-03T12:00:00-04:00");
    /// assert_eq!(office.between(eleven, noon)? + office.between(noon, two)?, office.between(eleven, two)?);
    ///
    /// // Daylight saving: a 24-hour Sunday window lasts 23 hours on 10 March 2024 in New York.
    /// let sundays =
    ///     BusinessCalendar::builder("America/New_York").window(Weekday::Sun, "00:00-24:00".parse()?).build()?;
    /// let spring_forward = sundays.between(at("2024-03-10T00:00:00-05:00"), at("2024-03-11T00:00:00-04:00"))?;
    /// assert_eq!(spring_forward.num_hours(), 23);
    ///
    /// let err = office.between(two, eleven).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::StopBeforeStart { .. }));
    /// # Ok::<(), revops::Error>(())
    /// ```
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
    /// [`ErrorKind::NoWorkingTime`](crate::ErrorKind::NoWorkingTime) if the calendar has no working time at or after `start` (never
    /// loops); [`ErrorKind::InstantOutOfRange`](crate::ErrorKind::InstantOutOfRange) if the deadline would fall outside the supported
    /// years.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{DateTime, Utc};
    /// use revops::ErrorKind;
    /// use revops::calendar::{BusinessCalendar, BusinessClock, BusinessSpan};
    ///
    /// let at = |rfc3339: &str| rfc3339.parse::<DateTime<Utc>>().unwrap_or_default();
    /// let nine_to_five = BusinessCalendar::builder("America/New_York").weekdays("09:00-17:00".parse()?).build()?;
    /// let monday_1030 = at("2024-06-03T10:30:00-04:00");
    ///
    /// // Eight hours of working time from Monday 10:30 is Tuesday 10:30...
    /// assert_eq!(nine_to_five.add(monday_1030, BusinessSpan::hours(8))?, at("2024-06-04T10:30:00-04:00"));
    /// // ...and so is one business day; from the opening, one business day is that day's close.
    /// assert_eq!(nine_to_five.add(monday_1030, BusinessSpan::business_days(1))?, at("2024-06-04T10:30:00-04:00"));
    /// let monday_0900 = at("2024-06-03T09:00:00-04:00");
    /// assert_eq!(nine_to_five.add(monday_0900, BusinessSpan::business_days(1))?, at("2024-06-03T17:00:00-04:00"));
    /// // Used up exactly at closing: the closing instant, not Tuesday's opening.
    /// assert_eq!(nine_to_five.add(monday_1030, BusinessSpan::minutes(390))?, at("2024-06-03T17:00:00-04:00"));
    /// // A start at night begins at the next opening.
    /// let friday_night = at("2024-06-07T20:00:00-04:00");
    /// assert_eq!(nine_to_five.add(friday_night, BusinessSpan::hours(1))?, at("2024-06-10T10:00:00-04:00"));
    ///
    /// // A calendar with no working time has no deadline: an error, never an endless loop.
    /// let closed = BusinessCalendar::builder("UTC").build()?;
    /// let err = closed.add(monday_1030, BusinessSpan::hours(1)).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::NoWorkingTime { .. }));
    /// # Ok::<(), revops::Error>(())
    /// ```
    fn add(&self, start: DateTime<Utc>, span: BusinessSpan) -> Result<DateTime<Utc>, Error>;

    /// The earliest instant at or after `at` at which the calendar is open.
    ///
    /// # Errors
    /// [`ErrorKind::NoWorkingTime`](crate::ErrorKind::NoWorkingTime) if there is none; [`ErrorKind::InstantOutOfRange`](crate::ErrorKind::InstantOutOfRange).
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{DateTime, Utc};
    /// use revops::calendar::{BusinessCalendar, BusinessClock, parse_date};
    ///
    /// let at = |rfc3339: &str| rfc3339.parse::<DateTime<Utc>>().unwrap_or_default();
    /// let london = BusinessCalendar::builder("Europe/London")
    ///     .weekdays("09:00-17:30".parse()?)
    ///     .holiday(parse_date("2024-12-25")?)
    ///     .holiday(parse_date("2024-12-26")?)
    ///     .build()?;
    /// // Christmas Eve after hours: the next opening skips both holidays.
    /// assert_eq!(london.next_opening(at("2024-12-24T18:00:00Z"))?, at("2024-12-27T09:00:00Z"));
    /// // An instant inside hours is its own next opening.
    /// assert_eq!(london.next_opening(at("2024-12-24T10:00:00Z"))?, at("2024-12-24T10:00:00Z"));
    /// # Ok::<(), revops::Error>(())
    /// ```
    fn next_opening(&self, at: DateTime<Utc>) -> Result<DateTime<Utc>, Error>;

    /// Whether `at` lies inside a working interval (open at an opening instant, closed at a
    /// closing instant).
    ///
    /// # Errors
    /// [`ErrorKind::InstantOutOfRange`](crate::ErrorKind::InstantOutOfRange).
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{DateTime, Utc};
    /// use revops::calendar::{BusinessCalendar, BusinessClock};
    ///
    /// let at = |rfc3339: &str| rfc3339.parse::<DateTime<Utc>>().unwrap_or_default();
    /// let tokyo = BusinessCalendar::builder("Asia/Tokyo").weekdays("09:00-18:00".parse()?).build()?;
    /// assert!(tokyo.is_open(at("2024-06-03T09:00:00+09:00"))?); // open at the opening instant
    /// assert!(!tokyo.is_open(at("2024-06-03T18:00:00+09:00"))?); // closed at the closing instant
    /// assert!(!tokyo.is_open(at("2024-06-08T12:00:00+09:00"))?); // a Saturday
    /// # Ok::<(), revops::Error>(())
    /// ```
    fn is_open(&self, at: DateTime<Utc>) -> Result<bool, Error>;
}

pub(crate) mod sealed {
    use crate::Error;

    /// Crate-internal fast paths, unnameable outside the crate.
    pub trait SealedClock {
        /// The deadline of `target` (working time, ns) from `start`, and the business time from
        /// `start` to `now`: instants in UTC nanoseconds, business time in `i128` nanoseconds.
        fn deadline_and_elapsed_ns(&self, start: i64, target: i128, now: i64) -> Result<(i64, i128), Error>;

        /// The earliest instant at which `d` nanoseconds of business time have elapsed since
        /// `start` (to the nanosecond, where a `BusinessSpan` holds whole seconds).
        fn add_wide_ns(&self, start: i64, d: i128) -> Result<i64, Error>;

        /// Business time in `[a, b)`, in nanoseconds.
        fn between_wide_ns(&self, a: i64, b: i64) -> Result<i128, Error>;
    }

    impl SealedClock for super::super::BusinessCalendar {
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

    impl SealedClock for super::super::BusinessTimeline {
        fn deadline_and_elapsed_ns(&self, start: i64, target: i128, now: i64) -> Result<(i64, i128), Error> {
            super::super::BusinessTimeline::deadline_and_elapsed_ns(self, start, target, now)
        }

        fn add_wide_ns(&self, start: i64, d: i128) -> Result<i64, Error> {
            self.add_time_ns(start, d)
        }

        fn between_wide_ns(&self, a: i64, b: i64) -> Result<i128, Error> {
            self.between_ns(a, b)
        }
    }
}
