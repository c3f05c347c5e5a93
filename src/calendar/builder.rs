//! [`CalendarBuilder`]: how a [`BusinessCalendar`] is put together and validated, and the
//! `YYYY-MM-DD` holiday parser.

use std::collections::BTreeSet;

use chrono::{NaiveDate, Weekday};

use super::exception::ExceptionIndex;
use super::{BusinessCalendar, CalendarException, WorkingWindow, Zone};
use crate::{Error, ErrorKind};

/// Builder for [`BusinessCalendar`]; see [`BusinessCalendar::builder`].
///
/// Windows, holidays and exceptions may be added in any order (a calendar read from a config
/// file lists them as they come); [`CalendarBuilder::build`] sorts and checks them.
///
/// # Example
///
/// ```
/// use chrono::{DateTime, Utc, Weekday};
/// use revops::calendar::{BusinessCalendar, BusinessClock, CalendarException, parse_date};
///
/// let at = |rfc3339: &str| rfc3339.parse::<DateTime<Utc>>().unwrap_or_default();
/// // A US inside-sales team: 8-to-6 Monday to Thursday, 8-to-2 on Fridays, a staffed
/// // Saturday product launch, and the team offsite closed.
/// let mut builder = BusinessCalendar::builder("America/Chicago");
/// for day in [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu] {
///     builder = builder.window(day, "08:00-18:00".parse()?);
/// }
/// let calendar = builder
///     .window(Weekday::Fri, "08:00-14:00".parse()?)
///     .holiday(parse_date("2024-11-28")?)
///     .holidays(["2024-12-24", "2024-12-25"].into_iter().map(parse_date).collect::<Result<Vec<_>, _>>()?)
///     .exception(CalendarException::open(at("2024-10-05T10:00:00-05:00"), at("2024-10-05T14:00:00-05:00"))?)
///     .exception(CalendarException::closed(at("2024-10-10T08:00:00-05:00"), at("2024-10-11T18:00:00-05:00"))?)
///     .build()?;
///
/// assert_eq!(calendar.weekly_minutes(), 4 * 600 + 360);
/// assert!(calendar.is_open(at("2024-10-05T11:00:00-05:00"))?); // the Saturday launch
/// assert!(!calendar.is_open(at("2024-10-10T09:00:00-05:00"))?); // the offsite
/// assert!(!calendar.is_open(at("2024-11-28T09:00:00-06:00"))?); // Thanksgiving
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug)]
#[must_use = "a builder does nothing until `.build()` is called"]
pub struct CalendarBuilder {
    pub(super) zone: String,
    pub(super) week: [Vec<WorkingWindow>; 7],
    pub(super) holidays: Vec<NaiveDate>,
    pub(super) exceptions: Vec<CalendarException>,
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
    /// [`ErrorKind::UnknownTimeZone`] if the zone is not an IANA name (case-sensitive, e.g.
    /// `Europe/London`); [`ErrorKind::NotALocationZone`] for a fixed-offset or legacy name
    /// such as `EST` (ask for `UTC-05:00` explicitly); [`ErrorKind::InvalidValue`] for a
    /// malformed fixed offset (see [`Zone`]); [`ErrorKind::OverlappingWindows`] if two windows of one weekday share a
    /// minute; [`ErrorKind::InvalidValue`] if a holiday is listed twice.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::Weekday;
    /// use revops::ErrorKind;
    /// use revops::calendar::{BusinessCalendar, parse_date};
    ///
    /// let calendar = BusinessCalendar::builder("Australia/Sydney").weekdays("09:00-17:00".parse()?).build()?;
    /// assert_eq!(calendar.weekly_minutes(), 5 * 480);
    ///
    /// // Zone names are IANA names, case-sensitive.
    /// let err = BusinessCalendar::builder("australia/sydney").build().unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::UnknownTimeZone { .. }));
    /// // A fixed-offset abbreviation is refused; a fixed offset must be asked for explicitly.
    /// let err = BusinessCalendar::builder("EST").build().unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::NotALocationZone { instead: "America/New_York", .. }));
    /// assert_eq!(BusinessCalendar::builder("UTC-05:00").build()?.zone_name(), "UTC-05:00");
    ///
    /// // Two windows of one weekday may touch but not share a minute.
    /// let err = BusinessCalendar::builder("UTC")
    ///     .weekdays("09:00-13:00".parse()?)
    ///     .window(Weekday::Wed, "12:00-18:00".parse()?)
    ///     .build()
    ///     .unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::OverlappingWindows { weekday: "wednesday", .. }));
    ///
    /// // A holiday listed twice is a mistake in the list, refused.
    /// let christmas = parse_date("2024-12-25")?;
    /// assert!(BusinessCalendar::builder("UTC").holiday(christmas).holiday(christmas).build().is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn build(self) -> Result<BusinessCalendar, Error> {
        let zone: Zone = self.zone.parse()?;
        let mut week = self.week;
        for (day, windows) in week.iter_mut().enumerate() {
            windows.sort_unstable();
            for pair in windows.windows(2) {
                if let [a, b] = pair
                    && a.overlaps(b)
                {
                    let weekday = Weekday::try_from(u8::try_from(day).unwrap_or(0)).unwrap_or(Weekday::Mon);
                    return Err(ErrorKind::OverlappingWindows {
                        weekday: weekday_name(weekday),
                        first: a.to_string(),
                        second: b.to_string(),
                    }
                    .into());
                }
            }
        }
        let mut holidays = BTreeSet::new();
        for date in self.holidays {
            if !holidays.insert(date) {
                return Err(ErrorKind::InvalidValue {
                    field: "holiday",
                    value: date.to_string(),
                    reason: "listed twice",
                }
                .into());
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
/// # Wire format
///
/// A [`BusinessCalendar`]'s `holidays` are a list of such strings, each a whole local date in
/// the calendar's zone, each listed once (a repeat is refused):
///
/// ```
/// use revops::calendar::BusinessCalendar;
///
/// let json = r#"{"zone": "Europe/London", "week": {}, "holidays": ["2026-12-28", "2026-12-25"]}"#;
/// let calendar: BusinessCalendar = serde_json::from_str(json)?;
/// let dates: Vec<String> = calendar.holidays().iter().map(|d| d.to_string()).collect();
/// assert_eq!(dates, ["2026-12-25", "2026-12-28"]);
/// let twice = r#"{"zone": "Europe/London", "week": {}, "holidays": ["2026-12-25", "2026-12-25"]}"#;
/// assert!(serde_json::from_str::<BusinessCalendar>(twice).is_err());
/// assert!(serde_json::from_str::<BusinessCalendar>(r#"{"zone": "UTC", "week": {}, "holidays": ["25/12/2026"]}"#).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`ErrorKind::InvalidValue`] unless `text` is a calendar date written `YYYY-MM-DD`.
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use revops::ErrorKind;
/// use revops::calendar::parse_date;
///
/// assert_eq!(parse_date("2024-02-29")?, NaiveDate::from_ymd_opt(2024, 2, 29).unwrap_or_default());
///
/// for text in ["2023-02-29", "2024-2-29", "29/02/2024", "2024-02-29T00:00"] {
///     let err = parse_date(text).unwrap_err();
///     assert!(matches!(err.kind(), ErrorKind::InvalidValue { .. }), "{text}");
/// }
/// # Ok::<(), revops::Error>(())
/// ```
pub fn parse_date(text: &str) -> Result<NaiveDate, Error> {
    let invalid = || ErrorKind::InvalidValue {
        field: "holiday",
        value: text.to_owned(),
        reason: "not a calendar date (expected YYYY-MM-DD)",
    };
    let mut parts = text.split('-');
    let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(crate::Error::from(invalid()));
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 || !text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return Err(crate::Error::from(invalid()));
    }
    let (y, m, d) =
        (y.parse().map_err(|_| invalid())?, m.parse().map_err(|_| invalid())?, d.parse().map_err(|_| invalid())?);
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(invalid).map_err(crate::Error::from)
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
