//! [`BusinessClock`]: the four questions a business calendar answers, and the sealed fast
//! paths behind them.

use chrono::{DateTime, TimeDelta, Utc};

use super::BusinessSpan;
use crate::Error;

/// The four questions a business clock answers. Implemented by [`BusinessCalendar`](super::BusinessCalendar) (walks per
/// local date) and [`BusinessTimeline`](super::BusinessTimeline) (precomputed; same answers). Sealed: the crate may add
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
    /// [`ErrorKind::StopBeforeStart`](crate::ErrorKind::StopBeforeStart) if `end < start`; [`ErrorKind::InstantOutOfRange`](crate::ErrorKind::InstantOutOfRange).
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
    fn add(&self, start: DateTime<Utc>, span: BusinessSpan) -> Result<DateTime<Utc>, Error>;

    /// The earliest instant at or after `at` at which the calendar is open.
    ///
    /// # Errors
    /// [`ErrorKind::NoWorkingTime`](crate::ErrorKind::NoWorkingTime) if there is none; [`ErrorKind::InstantOutOfRange`](crate::ErrorKind::InstantOutOfRange).
    fn next_opening(&self, at: DateTime<Utc>) -> Result<DateTime<Utc>, Error>;

    /// Whether `at` lies inside a working interval (open at an opening instant, closed at a
    /// closing instant).
    ///
    /// # Errors
    /// [`ErrorKind::InstantOutOfRange`](crate::ErrorKind::InstantOutOfRange).
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

    impl Sealed for super::super::BusinessCalendar {
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

    impl Sealed for super::super::BusinessTimeline {
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
