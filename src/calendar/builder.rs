//! [`CalendarBuilder`]: how a [`BusinessCalendar`] is put together and validated, and the
//! `YYYY-MM-DD` holiday parser.

use std::collections::BTreeSet;

use chrono::{NaiveDate, Weekday};
use chrono_tz::Tz;

use super::exception::ExceptionIndex;
use super::{BusinessCalendar, CalendarException, WorkingWindow};
use crate::{Error, ErrorKind};

/// Builder for [`BusinessCalendar`]; see [`BusinessCalendar::builder`].
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
    /// `Europe/London`); [`ErrorKind::OverlappingWindows`] if two windows of one weekday share a
    /// minute; [`ErrorKind::InvalidValue`] if a holiday is listed twice.
    pub fn build(self) -> Result<BusinessCalendar, Error> {
        let zone: Tz = self.zone.parse().map_err(|_| ErrorKind::UnknownTimeZone { name: self.zone.clone() })?;
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
/// # Errors
/// [`ErrorKind::InvalidValue`] unless `text` is a calendar date written `YYYY-MM-DD`.
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
