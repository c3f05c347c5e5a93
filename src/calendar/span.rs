//! [`BusinessSpan`]: an amount of business time in an explicit unit.

use core::fmt;

use chrono::TimeDelta;

use crate::{Error, ErrorKind};

/// An amount of business time to add to an instant, in a unit the caller names.
///
/// "One day" is ambiguous ([definitions, section 4](crate::definitions::sla)): `ServiceNow` means 24 hours of the schedule,
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
/// assert_eq!(BusinessSpan::hours(4).to_string(), "4h");
/// assert_eq!("2 business days".parse::<BusinessSpan>()?, BusinessSpan::business_days(2));
/// assert!(BusinessSpan::ZERO.is_zero() && BusinessSpan::business_days(0).is_zero());
/// assert!(BusinessSpan::time(TimeDelta::try_minutes(-5).unwrap_or_default()).is_err());
/// # Ok::<(), revops::Error>(())
/// ```
///
/// # Wire format
///
/// Text, the same as [`Display`](fmt::Display) writes and [`FromStr`](core::str::FromStr)
/// reads (feature `serde`; anything but a string is refused):
///
/// | value | canonical text | also accepted |
/// |---|---|---|
/// | [`BusinessSpan::hours`]`(4)` | `"4h"` | `"240m"`, `"PT4H"` |
/// | [`BusinessSpan::minutes`]`(90)` | `"1h30m"` | `"90m"`, `"PT1H30M"`, `"PT90M"` |
/// | 45 seconds | `"45s"` | `"PT45S"` |
/// | [`BusinessSpan::ZERO`] | `"0s"` | `"0m"`, `"PT0S"` |
/// | [`BusinessSpan::business_days`]`(2)` | `"2 business days"` | `"2 business day"` |
/// | [`BusinessSpan::schedule_days`]`(3)` | `"3 schedule days"` | `"3 schedule day"` |
///
/// Units are `h`, `m`, `s`, largest first, each at most once; ISO 8601 durations take `T`
/// with `H`, `M`, `S`. A bare day (`"2d"`, `"P2D"`) is refused as ambiguous (business days or
/// schedule days?), as are negative spans, fractions of a second, spaces other than the one
/// before a worded unit, and more than `u32::MAX` days; the error names the text.
///
/// ```
/// use revops::calendar::BusinessSpan;
///
/// let span: BusinessSpan = serde_json::from_str(r#""PT4H""#)?;
/// assert_eq!(span, BusinessSpan::hours(4));
/// assert_eq!(serde_json::to_string(&span)?, r#""4h""#); // canonical
/// let days: BusinessSpan = serde_json::from_str(r#""2 business days""#)?;
/// assert_eq!(days, BusinessSpan::business_days(2));
/// let err = serde_json::from_str::<BusinessSpan>(r#""2d""#).unwrap_err();
/// assert!(err.to_string().contains("ambiguous"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
    /// assert_eq!(BusinessSpan::time(ninety)?.to_string(), "1h30m");
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

    /// The working time this span stands for on `calendar`: [`BusinessSpan::as_time`], or for
    /// business days `n` average working days of the calendar (its weekly working minutes over
    /// five). This is the target speed to lead and SLA compliance measure response times
    /// against; deadlines themselves are always computed by the calendar
    /// ([`BusinessClock::add`](super::BusinessClock::add)), day by day.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] if the time leaves [`TimeDelta`]'s range.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::TimeDelta;
    /// use revops::calendar::{BusinessCalendar, BusinessSpan};
    ///
    /// let nine_to_five = BusinessCalendar::builder("UTC").weekdays("09:00-17:00".parse()?).build()?;
    /// assert_eq!(BusinessSpan::business_days(2).nominal_time(&nine_to_five)?, TimeDelta::hours(16));
    /// assert_eq!(BusinessSpan::hours(4).nominal_time(&nine_to_five)?, TimeDelta::hours(4));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn nominal_time(&self, calendar: &super::BusinessCalendar) -> Result<TimeDelta, Error> {
        if let Some(time) = self.as_time() {
            return Ok(time);
        }
        let days = i64::from(self.as_business_days().unwrap_or_default());
        let minutes = i64::from(calendar.weekly_minutes()) / 5;
        days.checked_mul(minutes)
            .and_then(TimeDelta::try_minutes)
            .ok_or_else(|| ErrorKind::Overflow { op: "business days as working time" }.into())
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
    /// The canonical text, which [`FromStr`](core::str::FromStr) reads back: `4h`, `1h30m`,
    /// `48h`, `0s`, `2 business days`, `1 business day`, `3 schedule days`, `1 schedule day`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Kind::Time(d) => crate::wire::duration::write(f, d, false),
            Kind::ScheduleDays(1) => f.write_str("1 schedule day"),
            Kind::ScheduleDays(n) => write!(f, "{n} schedule days"),
            Kind::BusinessDays(1) => f.write_str("1 business day"),
            Kind::BusinessDays(n) => write!(f, "{n} business days"),
        }
    }
}

impl core::str::FromStr for BusinessSpan {
    type Err = Error;

    /// Reads `"4h"`, `"90m"`, `"45s"`, `"1h30m"`, `"PT4H"`, `"PT1H30M"`, `"2 business days"`,
    /// `"3 schedule days"` (see the type's *Wire format*).
    ///
    /// # Errors
    /// [`ErrorKind::Negative`] for a negative span; [`ErrorKind::InvalidValue`] naming the text
    /// and saying what is wrong for anything else: a bare day (`"2d"`, `"P2D"`: business or
    /// schedule days?), fractions of a second, unknown units, more than `u32::MAX` days or more
    /// time than `TimeDelta` holds.
    fn from_str(text: &str) -> Result<BusinessSpan, Error> {
        use crate::wire::duration::{Clock, Parsed, parse};
        Ok(BusinessSpan(match parse(text, Clock::Business)? {
            Parsed::Time(d) => Kind::Time(d),
            Parsed::BusinessDays(n) => Kind::BusinessDays(n),
            Parsed::ScheduleDays(n) => Kind::ScheduleDays(n),
        }))
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

#[cfg(feature = "serde")]
impl serde::Serialize for BusinessSpan {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for BusinessSpan {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<BusinessSpan, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = BusinessSpan;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("business time as text, e.g. \"4h\", \"1h30m\", \"2 business days\" or \"3 schedule days\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<BusinessSpan, E> {
                v.parse().map_err(E::custom)
            }
        }
        d.deserialize_str(Visitor)
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
    use proptest::prelude::*;

    #[test]
    fn units_and_display() {
        assert_eq!(BusinessSpan::schedule_days(1).as_time(), TimeDelta::try_hours(24));
        assert_eq!(BusinessSpan::business_days(2).to_string(), "2 business days");
        assert_eq!(BusinessSpan::business_days(1).to_string(), "1 business day");
        assert_eq!(BusinessSpan::minutes(90).to_string(), "1h30m");
        assert_eq!(BusinessSpan::hours(4).to_string(), "4h");
        assert_eq!(BusinessSpan::hours(48).to_string(), "48h");
        assert_eq!(BusinessSpan::ZERO.to_string(), "0s");
        assert_eq!(BusinessSpan::schedule_days(3).to_string(), "3 schedule days");
        assert_eq!(BusinessSpan::schedule_days(1).to_string(), "1 schedule day");
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

    #[test]
    fn parses_every_human_form() {
        for (text, want) in [
            ("4h", BusinessSpan::hours(4)),
            ("90m", BusinessSpan::minutes(90)),
            ("45s", BusinessSpan::time(TimeDelta::seconds(45)).unwrap()),
            ("1h30m", BusinessSpan::minutes(90)),
            ("48h", BusinessSpan::hours(48)),
            ("0s", BusinessSpan::ZERO),
            ("PT4H", BusinessSpan::hours(4)),
            ("PT1H30M", BusinessSpan::minutes(90)),
            ("2 business days", BusinessSpan::business_days(2)),
            ("1 business day", BusinessSpan::business_days(1)),
            ("3 schedule days", BusinessSpan::schedule_days(3)),
            ("1 schedule day", BusinessSpan::schedule_days(1)),
        ] {
            assert_eq!(text.parse::<BusinessSpan>().unwrap(), want, "{text}");
        }
    }

    #[test]
    fn refuses_ambiguous_negative_and_garbage_text() {
        for (text, says) in [
            ("2d", "ambiguous"),
            ("P2D", "ambiguous"),
            ("-4h", "must not be negative"),
            ("-2 business days", "must not be negative"),
            ("1.5s", "whole seconds"),
            ("4 hours", "only worded units"),
            ("4294967296 business days", "too many days"),
            ("9999999999999999h", "too large"),
            ("four hours", "only worded units"),
            ("", "is empty"),
        ] {
            let err = text.parse::<BusinessSpan>().unwrap_err().to_string();
            assert!(err.contains(says) && err.contains(text), "{text:?}: {err}");
        }
    }

    #[cfg(feature = "serde")]
    #[test]
    fn wire_format() {
        let json = serde_json::to_string(&BusinessSpan::hours(4)).unwrap();
        assert_eq!(json, r#""4h""#);
        assert_eq!(serde_json::to_string(&BusinessSpan::business_days(2)).unwrap(), r#""2 business days""#);
        assert_eq!(serde_json::to_string(&BusinessSpan::schedule_days(3)).unwrap(), r#""3 schedule days""#);
        assert_eq!(serde_json::from_str::<BusinessSpan>(&json).unwrap(), BusinessSpan::hours(4));
        assert_eq!(serde_json::from_str::<BusinessSpan>(r#""PT1H30M""#).unwrap(), BusinessSpan::minutes(90));
        for (bad, says) in [
            (r#"{"seconds":14400}"#, "business time as text"),
            (r#"{"business_days":2}"#, "business time as text"),
            ("14400", "business time as text"),
            (r#""-1h""#, "must not be negative"),
            (r#""2 days""#, "invalid business time \"2 days\""),
        ] {
            let err = serde_json::from_str::<BusinessSpan>(bad).unwrap_err().to_string();
            assert!(err.contains(says), "{bad}: {err}");
        }
    }

    #[cfg(feature = "serde")]
    #[test]
    fn toml_round_trip() {
        #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        struct Policy {
            target: BusinessSpan,
            within: BusinessSpan,
        }
        let policy = Policy { target: BusinessSpan::hours(4), within: BusinessSpan::business_days(2) };
        let text = toml::to_string(&policy).unwrap();
        assert_eq!(text, "target = \"4h\"\nwithin = \"2 business days\"\n");
        assert_eq!(toml::from_str::<Policy>(&text).unwrap(), policy);
        assert!(toml::from_str::<Policy>("target = { seconds = 14400 }\nwithin = \"1h\"\n").is_err());
    }

    fn any_span() -> impl Strategy<Value = BusinessSpan> {
        prop_oneof![
            (0i64..=TimeDelta::MAX.num_seconds()).prop_map(|s| BusinessSpan::time(TimeDelta::seconds(s)).unwrap()),
            (0u32..=100_000).prop_map(BusinessSpan::minutes),
            any::<u32>().prop_map(BusinessSpan::business_days),
            any::<u32>().prop_map(BusinessSpan::schedule_days),
        ]
    }

    proptest! {
        #[test]
        fn every_span_round_trips_through_its_text(span in any_span()) {
            prop_assert_eq!(span.to_string().parse::<BusinessSpan>().unwrap(), span);
        }

        #[cfg(feature = "serde")]
        #[test]
        fn every_span_round_trips_through_json_and_toml(target in any_span(), within in any_span()) {
            #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
            struct Policy { target: BusinessSpan, within: BusinessSpan }
            let policy = Policy { target, within };
            let json = serde_json::to_string(&policy).unwrap();
            prop_assert_eq!(&serde_json::from_str::<Policy>(&json).unwrap(), &policy);
            let text = toml::to_string(&policy).unwrap();
            prop_assert_eq!(&toml::from_str::<Policy>(&text).unwrap(), &policy);
        }

        #[test]
        fn parse_never_panics(text in "\\PC{0,32}") {
            if let Ok(span) = text.parse::<BusinessSpan>() {
                prop_assert_eq!(span.to_string().parse::<BusinessSpan>().unwrap(), span);
            }
        }
    }
}
