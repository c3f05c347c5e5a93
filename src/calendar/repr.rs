//! The wire shape of [`BusinessCalendar`] (serde): deserializing runs the builder's checks.

use chrono::NaiveDate;

use super::{BusinessCalendar, CalendarException, WorkingWindow, parse_date};
use crate::Error;

/// Wire shape of [`BusinessCalendar`]; private so the format can change freely.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub(super) struct CalendarRepr {
    /// The zone the working hours and holidays are local to.
    #[cfg_attr(feature = "schema", schemars(with = "super::Zone"))]
    zone: String,
    /// The weekly working windows, by weekday.
    week: WeekRepr,
    /// Whole local days off.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<crate::wire::schema::Date>"))]
    holidays: Vec<String>,
    /// Extra working time or time taken out, as UTC intervals.
    #[serde(default)]
    exceptions: Vec<CalendarException>,
}

/// The working windows of each weekday, in local time (a day not given has none).
#[derive(Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(rename = "Week"))]
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

impl From<BusinessCalendar> for CalendarRepr {
    fn from(c: BusinessCalendar) -> CalendarRepr {
        let [monday, tuesday, wednesday, thursday, friday, saturday, sunday] = c.week;
        CalendarRepr {
            zone: c.zone.to_string(),
            week: WeekRepr { monday, tuesday, wednesday, thursday, friday, saturday, sunday },
            holidays: c.holidays.iter().map(NaiveDate::to_string).collect(),
            exceptions: c.exceptions,
        }
    }
}
