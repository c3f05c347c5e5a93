//! [`BusinessSpan`]: an amount of business time in an explicit unit.

use core::fmt;

use chrono::TimeDelta;

use crate::{Error, ErrorKind};

/// An amount of business time to add to an instant, in a unit the caller names.
///
/// "One day" is ambiguous (definitions, section 4): `ServiceNow` means 24 hours of the schedule,
/// which is three working days on an 8-hour schedule; people usually mean one business day. So
/// there is no "day" here, only:
///
/// - [`BusinessSpan::time`] / [`BusinessSpan::minutes`] / [`BusinessSpan::hours`]: that much
///   working time (seconds resolution);
/// - [`BusinessSpan::schedule_days`]: `n x 24` hours of working time (the `ServiceNow` "day");
/// - [`BusinessSpan::business_days`]: `n` working days (see
///   [`BusinessCalendar::add`](super::BusinessCalendar) for the exact rule: the deadline is at
///   the same position within the `n`-th working day).
///
/// # Example
///
/// ```
/// use chrono::TimeDelta;
/// use revops::calendar::BusinessSpan;
///
/// assert_eq!(BusinessSpan::schedule_days(1).as_time(), TimeDelta::try_hours(24));
/// assert_eq!(BusinessSpan::business_days(1).as_time(), None); // depends on the calendar
/// assert_eq!(BusinessSpan::business_days(2).as_business_days(), Some(2));
/// assert_eq!(BusinessSpan::hours(4).as_business_days(), None);
/// assert_eq!(BusinessSpan::minutes(90).as_time(), TimeDelta::try_minutes(90));
/// assert_eq!(BusinessSpan::hours(4).to_string(), "4h business time");
/// assert!(BusinessSpan::ZERO.is_zero() && BusinessSpan::business_days(0).is_zero());
/// assert!(BusinessSpan::time(TimeDelta::try_minutes(-5).unwrap_or_default()).is_err());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "SpanRepr", into = "SpanRepr")
)]
pub struct BusinessSpan(Kind);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    /// Working time, whole seconds, non-negative.
    Time(TimeDelta),
    /// `n x 24` hours of working time, remembered as the caller said it.
    ScheduleDays(u32),
    /// `n` working days.
    BusinessDays(u32),
}

impl BusinessSpan {
    /// Zero business time.
    pub const ZERO: BusinessSpan = BusinessSpan(Kind::Time(TimeDelta::zero()));

    /// `duration` of working time.
    ///
    /// # Errors
    /// [`ErrorKind::Negative`] if `duration` is negative; [`ErrorKind::InvalidValue`] if it is
    /// not a whole number of seconds.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::TimeDelta;
    /// use revops::calendar::BusinessSpan;
    ///
    /// let ninety = TimeDelta::try_minutes(90).unwrap_or_default();
    /// assert_eq!(BusinessSpan::time(ninety)?, BusinessSpan::minutes(90));
    /// assert_eq!(BusinessSpan::time(ninety)?.to_string(), "1h30m business time");
    ///
    /// // A negative span, or one finer than a second, is refused.
    /// assert!(BusinessSpan::time(-ninety).is_err());
    /// assert!(BusinessSpan::time(TimeDelta::milliseconds(1_500)).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn time(duration: TimeDelta) -> Result<BusinessSpan, Error> {
        if duration < TimeDelta::zero() {
            return Err(ErrorKind::Negative { field: "business time", value: duration.to_string() }.into());
        }
        if duration.subsec_nanos() != 0 {
            return Err(ErrorKind::InvalidValue {
                field: "business time",
                value: duration.to_string(),
                reason: "must be a whole number of seconds",
            }
            .into());
        }
        Ok(BusinessSpan(Kind::Time(duration)))
    }

    /// `minutes` minutes of working time.
    #[must_use]
    pub fn minutes(minutes: u32) -> BusinessSpan {
        BusinessSpan(Kind::Time(TimeDelta::seconds(i64::from(minutes) * 60)))
    }

    /// `hours` hours of working time.
    #[must_use]
    pub fn hours(hours: u32) -> BusinessSpan {
        BusinessSpan(Kind::Time(TimeDelta::seconds(i64::from(hours) * 3_600)))
    }

    /// `days x 24` hours of working time (the `ServiceNow` "day"): three 8-hour working days each.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{DateTime, Utc};
    /// use revops::calendar::{BusinessCalendar, BusinessClock, BusinessSpan};
    ///
    /// let at = |rfc3339: &str| rfc3339.parse::<DateTime<Utc>>().unwrap_or_default();
    /// let nine_to_five = BusinessCalendar::builder("UTC").weekdays("09:00-17:00".parse()?).build()?;
    /// // One schedule day from Monday 09:00 on an 8-hour schedule: 24 working hours, so
    /// // Wednesday's close, not Tuesday 09:00.
    /// let due = nine_to_five.add(at("2024-06-03T09:00:00Z"), BusinessSpan::schedule_days(1))?;
    /// assert_eq!(due, at("2024-06-05T17:00:00Z"));
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub const fn schedule_days(days: u32) -> BusinessSpan {
        BusinessSpan(Kind::ScheduleDays(days))
    }

    /// `days` working days, as people usually mean "within 2 business days".
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{DateTime, Utc};
    /// use revops::calendar::{BusinessCalendar, BusinessClock, BusinessSpan};
    ///
    /// let at = |rfc3339: &str| rfc3339.parse::<DateTime<Utc>>().unwrap_or_default();
    /// let nine_to_five = BusinessCalendar::builder("UTC").weekdays("09:00-17:00".parse()?).build()?;
    /// // "Within 2 business days" of Thursday 14:00 is Monday 14:00: the weekend is skipped.
    /// let due = nine_to_five.add(at("2024-06-06T14:00:00Z"), BusinessSpan::business_days(2))?;
    /// assert_eq!(due, at("2024-06-10T14:00:00Z"));
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub const fn business_days(days: u32) -> BusinessSpan {
        BusinessSpan(Kind::BusinessDays(days))
    }

    /// The working time this span stands for, or `None` for business days (whose length
    /// depends on the calendar and the start).
    #[must_use]
    pub fn as_time(&self) -> Option<TimeDelta> {
        match self.0 {
            Kind::Time(d) => Some(d),
            Kind::ScheduleDays(n) => Some(TimeDelta::seconds(i64::from(n) * 86_400)),
            Kind::BusinessDays(_) => None,
        }
    }

    /// The number of business days, or `None` for a span of working time.
    #[must_use]
    pub const fn as_business_days(&self) -> Option<u32> {
        match self.0 {
            Kind::BusinessDays(n) => Some(n),
            _ => None,
        }
    }

    /// Whether the span is zero (zero time or zero days).
    #[must_use]
    pub fn is_zero(&self) -> bool {
        match self.0 {
            Kind::Time(d) => d.is_zero(),
            Kind::ScheduleDays(n) | Kind::BusinessDays(n) => n == 0,
        }
    }
}

impl fmt::Display for BusinessSpan {
    /// `4h business time`, `1h30m business time`, `1 x 24h schedule`, `2 business days`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Kind::Time(d) => write!(f, "{} business time", HoursMinutes(d)),
            Kind::ScheduleDays(n) => write!(f, "{n} x 24h schedule"),
            Kind::BusinessDays(1) => f.write_str("1 business day"),
            Kind::BusinessDays(n) => write!(f, "{n} business days"),
        }
    }
}

/// Displays a duration as `2h05m`, `45m`, `3h`, `0m` or `12s` (whole seconds only when below a
/// minute or not whole minutes: `1h02m07s`). Negative durations get a leading `-`.
///
/// # Example
///
/// ```
/// use chrono::TimeDelta;
/// use revops::calendar::HoursMinutes;
///
/// assert_eq!(HoursMinutes(TimeDelta::try_minutes(125).unwrap_or_default()).to_string(), "2h05m");
/// assert_eq!(HoursMinutes(TimeDelta::zero()).to_string(), "0m");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HoursMinutes(pub TimeDelta);

impl fmt::Display for HoursMinutes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.num_seconds();
        if secs < 0 {
            f.write_str("-")?;
        }
        let secs = secs.unsigned_abs();
        let (h, m, s) = (secs / 3_600, secs / 60 % 60, secs % 60);
        match (h, m, s) {
            (0, m, 0) => write!(f, "{m}m"),
            (0, 0, s) => write!(f, "{s}s"),
            (h, 0, 0) => write!(f, "{h}h"),
            (h, m, 0) => write!(f, "{h}h{m:02}m"),
            (0, m, s) => write!(f, "{m}m{s:02}s"),
            (h, m, s) => write!(f, "{h}h{m:02}m{s:02}s"),
        }
    }
}

/// Wire shape of [`BusinessSpan`]: exactly one of the three units.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum SpanRepr {
    /// Working time in whole seconds.
    Seconds(i64),
    /// `n x 24` hours of working time.
    ScheduleDays(u32),
    /// `n` working days.
    BusinessDays(u32),
}

#[cfg(feature = "serde")]
impl TryFrom<SpanRepr> for BusinessSpan {
    type Error = Error;
    fn try_from(repr: SpanRepr) -> Result<BusinessSpan, Error> {
        match repr {
            SpanRepr::Seconds(s) => {
                let d = TimeDelta::try_seconds(s)
                    .ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op: "business time" }))?;
                BusinessSpan::time(d)
            }
            SpanRepr::ScheduleDays(n) => Ok(BusinessSpan::schedule_days(n)),
            SpanRepr::BusinessDays(n) => Ok(BusinessSpan::business_days(n)),
        }
    }
}

#[cfg(feature = "serde")]
impl From<BusinessSpan> for SpanRepr {
    fn from(span: BusinessSpan) -> SpanRepr {
        match span.0 {
            Kind::Time(d) => SpanRepr::Seconds(d.num_seconds()),
            Kind::ScheduleDays(n) => SpanRepr::ScheduleDays(n),
            Kind::BusinessDays(n) => SpanRepr::BusinessDays(n),
        }
    }
}

impl BusinessSpan {
    pub(crate) const fn kind(&self) -> Kind {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_display() {
        assert_eq!(BusinessSpan::schedule_days(1).as_time(), TimeDelta::try_hours(24));
        assert_eq!(BusinessSpan::business_days(2).to_string(), "2 business days");
        assert_eq!(BusinessSpan::business_days(1).to_string(), "1 business day");
        assert_eq!(BusinessSpan::minutes(90).to_string(), "1h30m business time");
        assert_eq!(BusinessSpan::schedule_days(3).to_string(), "3 x 24h schedule");
        assert!(BusinessSpan::ZERO.is_zero() && BusinessSpan::business_days(0).is_zero());
        assert_eq!(HoursMinutes(TimeDelta::try_seconds(-3_727).unwrap()).to_string(), "-1h02m07s");
        assert_eq!(HoursMinutes(TimeDelta::try_seconds(59).unwrap()).to_string(), "59s");
    }

    #[test]
    fn rejects_negative_and_subsecond() {
        assert_eq!(
            BusinessSpan::time(TimeDelta::try_minutes(-1).unwrap()).unwrap_err().to_string(),
            "business time must not be negative, got -PT60S"
        );
        assert!(BusinessSpan::time(TimeDelta::milliseconds(1_500)).is_err());
    }

    #[cfg(feature = "serde")]
    #[test]
    fn wire_format() {
        let json = serde_json::to_string(&BusinessSpan::hours(4)).unwrap();
        assert_eq!(json, r#"{"seconds":14400}"#);
        assert_eq!(serde_json::to_string(&BusinessSpan::business_days(2)).unwrap(), r#"{"business_days":2}"#);
        assert_eq!(serde_json::from_str::<BusinessSpan>(&json).unwrap(), BusinessSpan::hours(4));
        assert!(serde_json::from_str::<BusinessSpan>(r#"{"seconds":-1}"#).is_err());
        assert!(serde_json::from_str::<BusinessSpan>(r#"{"days":1}"#).is_err());
    }
}
