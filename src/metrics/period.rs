//! [`Period`]: a half-open reporting interval; [`Bucket`]: calendar buckets in a reporting offset.

use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate, Utc};

use crate::{Error, ErrorKind};

/// A calendar bucket for grouping a metric by period: the key is the bucket's first local date.
///
/// Our rule: buckets are computed in a **fixed** UTC offset the caller names (a
/// `chrono::FixedOffset`, e.g. `-05:00` for a New York winter report). The crate does not pull
/// in the IANA database for metrics; a report that crosses a daylight-saving change and must
/// follow it buckets with the offset of its reporting standard time, or converts instants with
/// its own zone first. Weeks are ISO weeks starting on Monday.
///
/// # Example
///
/// ```
/// use chrono::{NaiveDate, Offset, TimeZone, Utc};
/// use revops::metrics::Bucket;
///
/// // Thursday 15 August 2024, 18:00 UTC.
/// let at = Utc.with_ymd_and_hms(2024, 8, 15, 18, 0, 0).single().unwrap_or_default();
/// let date = |m, d| NaiveDate::from_ymd_opt(2024, m, d).unwrap_or_default();
/// let starts: Vec<NaiveDate> = [Bucket::Day, Bucket::Week, Bucket::Month, Bucket::Quarter, Bucket::Year]
///     .into_iter()
///     .map(|b| b.start_of(at, Utc.fix()))
///     .collect::<Result<_, _>>()?;
/// assert_eq!(starts, [date(8, 15), date(8, 12), date(8, 1), date(7, 1), date(1, 1)]); // the 12th is a Monday
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum Bucket {
    /// A local calendar day.
    Day,
    /// An ISO week, Monday to Sunday.
    Week,
    /// A calendar month.
    Month,
    /// A calendar quarter (January, April, July, October).
    Quarter,
    /// A calendar year.
    Year,
}

impl Bucket {
    /// The first local date of the bucket holding `at`, seen at UTC offset `zone`.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] at the edge of the representable dates.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{FixedOffset, NaiveDate, Offset, TimeZone, Utc};
    /// use revops::metrics::Bucket;
    ///
    /// // 03:00 UTC on 1 April is still 31 March in New York (UTC-5).
    /// let at = Utc.with_ymd_and_hms(2024, 4, 1, 3, 0, 0).single().unwrap_or_default();
    /// let ny = FixedOffset::west_opt(5 * 3600).unwrap_or(Utc.fix());
    /// assert_eq!(Bucket::Month.start_of(at, ny)?, NaiveDate::from_ymd_opt(2024, 3, 1).unwrap_or_default());
    /// assert_eq!(Bucket::Quarter.start_of(at, Utc.fix())?, NaiveDate::from_ymd_opt(2024, 4, 1).unwrap_or_default());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn start_of(self, at: DateTime<Utc>, zone: FixedOffset) -> Result<NaiveDate, Error> {
        let overflow = ErrorKind::Overflow { op: "bucket start" };
        // At the edge of chrono's range the local date may not exist (e.g. the end of
        // `Period::all_time()` east of UTC): an error, never chrono's panic.
        let date = at.naive_utc().checked_add_offset(zone).ok_or_else(|| overflow.clone())?.date();
        let first = match self {
            Bucket::Day => Some(date),
            Bucket::Week => date.checked_sub_days(Days::new(u64::from(date.weekday().num_days_from_monday()))),
            Bucket::Month => date.with_day(1),
            Bucket::Quarter => NaiveDate::from_ymd_opt(date.year(), (date.month0() / 3) * 3 + 1, 1),
            Bucket::Year => NaiveDate::from_ymd_opt(date.year(), 1, 1),
        };
        first.ok_or(crate::Error::from(overflow))
    }
}

/// The local calendar day of `at` at offset `zone`, as days since 1970-01-01. Total: defined
/// for every instant and offset, even where the local date leaves chrono's range (the ends of
/// [`Period::all_time`]), so comparisons with [`epoch_day`] never panic.
pub(crate) fn local_day(at: DateTime<Utc>, zone: FixedOffset) -> i64 {
    (at.timestamp() + i64::from(zone.local_minus_utc())).div_euclid(86_400)
}

/// `date` as days since 1970-01-01 (comparable with [`local_day`]).
pub(crate) fn epoch_day(date: NaiveDate) -> i64 {
    date.signed_duration_since(NaiveDate::default()).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Period;
    use chrono::{Offset, TimeZone};

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    #[test]
    fn periods_are_half_open() {
        let p = Period::new(at(2024, 1, 1, 0), at(2024, 2, 1, 0)).unwrap();
        assert!(p.contains(at(2024, 1, 31, 23)));
        assert!(!p.contains(at(2024, 2, 1, 0)));
        assert_eq!(
            Period::new(at(2024, 2, 1, 0), at(2024, 1, 1, 0)).unwrap_err().to_string(),
            "period stops at 2024-01-01 00:00:00 UTC before it starts at 2024-02-01 00:00:00 UTC"
        );
        assert!(Period::all_time().contains(at(1970, 1, 1, 0)));
    }

    #[test]
    fn buckets_follow_the_reporting_offset() {
        let utc = Utc.fix();
        let tokyo = FixedOffset::east_opt(9 * 3600).unwrap();
        // Wednesday 2024-01-31 20:00 UTC is Thursday 1 February in Tokyo.
        let t = at(2024, 1, 31, 20);
        assert_eq!(Bucket::Day.start_of(t, utc).unwrap(), NaiveDate::from_ymd_opt(2024, 1, 31).unwrap());
        assert_eq!(Bucket::Day.start_of(t, tokyo).unwrap(), NaiveDate::from_ymd_opt(2024, 2, 1).unwrap());
        assert_eq!(Bucket::Week.start_of(t, utc).unwrap(), NaiveDate::from_ymd_opt(2024, 1, 29).unwrap());
        assert_eq!(Bucket::Month.start_of(t, tokyo).unwrap(), NaiveDate::from_ymd_opt(2024, 2, 1).unwrap());
        assert_eq!(
            Bucket::Quarter.start_of(at(2024, 12, 31, 0), utc).unwrap(),
            NaiveDate::from_ymd_opt(2024, 10, 1).unwrap()
        );
        assert_eq!(Bucket::Year.start_of(t, utc).unwrap(), NaiveDate::from_ymd_opt(2024, 1, 1).unwrap());
    }

    #[test]
    fn buckets_at_the_edges_of_time_are_errors_not_panics() {
        // Regression: the local date of `Period::all_time()`'s end east of UTC (or its start
        // west of UTC) is outside chrono's range, and `with_timezone(..).date_naive()` panicked.
        let all = Period::all_time();
        let east = FixedOffset::east_opt(14 * 3600).unwrap();
        let west = FixedOffset::west_opt(14 * 3600).unwrap();
        for bucket in [Bucket::Day, Bucket::Week, Bucket::Month, Bucket::Quarter, Bucket::Year] {
            assert!(matches!(
                bucket.start_of(all.end(), east).as_ref().map_err(crate::error::Error::kind),
                Err(ErrorKind::Overflow { op: "bucket start" })
            ));
            assert!(matches!(
                bucket.start_of(all.start(), west).as_ref().map_err(crate::error::Error::kind),
                Err(ErrorKind::Overflow { op: "bucket start" })
            ));
        }
        assert_eq!(Bucket::Year.start_of(all.end(), west).unwrap(), NaiveDate::from_ymd_opt(262_142, 1, 1).unwrap());
        assert_eq!(local_day(at(1970, 1, 2, 0), west), 0);
        assert_eq!(epoch_day(NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()), 0);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn period_wire_format_validates() {
        let p = Period::new(at(2024, 1, 1, 0), at(2024, 2, 1, 0)).unwrap();
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, r#"{"start":"2024-01-01T00:00:00Z","end":"2024-02-01T00:00:00Z"}"#);
        assert_eq!(serde_json::from_str::<Period>(&json).unwrap(), p);
        let err = serde_json::from_str::<Period>(r#"{"start":"2024-02-01T00:00:00Z","end":"2024-01-01T00:00:00Z"}"#);
        assert!(err.unwrap_err().to_string().starts_with("period stops at"));
    }
}
