//! [`Bucket`]: calendar buckets (day, week, month, quarter, year) in a reporting [`Zone`].

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};

use crate::calendar::Zone;
use crate::{Error, ErrorKind, Period};

/// A calendar bucket for grouping a metric by period: the key is the bucket's first local date.
///
/// Our rule: buckets are cut at **local midnights of the reporting [`Zone`]**, an IANA location
/// (DST-correct: a New York month starts at 05:00 UTC in winter and 04:00 UTC in summer) or an
/// explicitly fixed offset. A bucket is the half-open interval from the first instant of its
/// first local date to the first instant of the next bucket's ([`Zone::start_of_day`]: local
/// midnight, the earlier one when midnight happens twice, the end of the gap when it is
/// skipped), so buckets follow each other without gap or overlap and every instant falls in
/// exactly one. Weeks are ISO weeks starting on Monday; quarters start in January, April, July
/// and October.
///
/// # Wire format
///
/// The bucket's name in lowercase: `"day"`, `"week"`, `"month"`, `"quarter"`, `"year"`.
///
/// ```
/// use revops::metrics::Bucket;
///
/// let buckets: Vec<Bucket> = serde_json::from_str(r#"["day", "week", "month", "quarter", "year"]"#)?;
/// assert_eq!(buckets, [Bucket::Day, Bucket::Week, Bucket::Month, Bucket::Quarter, Bucket::Year]);
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// # Example
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use revops::calendar::Zone;
/// use revops::metrics::Bucket;
///
/// // Thursday 15 August 2024, 18:00 UTC.
/// let at = Utc.with_ymd_and_hms(2024, 8, 15, 18, 0, 0).single().unwrap_or_default();
/// let date = |m, d| NaiveDate::from_ymd_opt(2024, m, d).unwrap_or_default();
/// let starts: Vec<NaiveDate> = [Bucket::Day, Bucket::Week, Bucket::Month, Bucket::Quarter, Bucket::Year]
///     .into_iter()
///     .map(|b| b.start_of(at, Zone::UTC))
///     .collect::<Result<_, _>>()?;
/// assert_eq!(starts, [date(8, 15), date(8, 12), date(8, 1), date(7, 1), date(1, 1)]); // the 12th is a Monday
///
/// // A New York month in daylight time ends at 04:00 UTC.
/// let new_york: Zone = "America/New_York".parse()?;
/// let august = Bucket::Month.period(date(8, 1), new_york)?;
/// assert_eq!(august.start(), Utc.with_ymd_and_hms(2024, 8, 1, 4, 0, 0).single().unwrap_or_default());
/// assert_eq!(august.end(), Utc.with_ymd_and_hms(2024, 9, 1, 4, 0, 0).single().unwrap_or_default());
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
    /// The first local date of the bucket holding `at` in `zone`: the bucket whose
    /// [`Bucket::period`] contains `at`.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] at the edge of the representable dates.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{NaiveDate, TimeZone, Utc};
    /// use revops::calendar::Zone;
    /// use revops::metrics::Bucket;
    ///
    /// // 03:00 UTC on 1 April is still 31 March in New York (23:00 EDT), and 04:00 UTC is April.
    /// let at = |h| Utc.with_ymd_and_hms(2024, 4, 1, h, 0, 0).single().unwrap_or_default();
    /// let ny: Zone = "America/New_York".parse()?;
    /// let date = |m| NaiveDate::from_ymd_opt(2024, m, 1).unwrap_or_default();
    /// assert_eq!(Bucket::Month.start_of(at(3), ny)?, date(3));
    /// assert_eq!(Bucket::Month.start_of(at(4), ny)?, date(4));
    /// assert_eq!(Bucket::Quarter.start_of(at(3), Zone::UTC)?, date(4));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn start_of(self, at: DateTime<Utc>, zone: Zone) -> Result<NaiveDate, Error> {
        let overflow = || Error::from(ErrorKind::Overflow { op: "bucket start" });
        // At the edge of chrono's range the local date may not exist (e.g. the end of
        // `Period::all_time()` east of UTC): an error, never chrono's panic.
        let date = zone.day_of(at).ok_or_else(overflow)?;
        self.first(date).ok_or_else(overflow)
    }

    /// The bucket holding local date `date` in `zone`, as UTC instants `[start, end)`.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] when a bound is outside chrono's range.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{NaiveDate, TimeZone, Utc};
    /// use revops::calendar::Zone;
    /// use revops::metrics::Bucket;
    ///
    /// let london: Zone = "Europe/London".parse()?;
    /// let q1 = Bucket::Quarter.period(NaiveDate::from_ymd_opt(2026, 2, 14).unwrap_or_default(), london)?;
    /// // Q1 starts in GMT and ends in BST (clocks went forward on 29 March).
    /// assert_eq!(q1.start(), Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().unwrap_or_default());
    /// assert_eq!(q1.end(), Utc.with_ymd_and_hms(2026, 3, 31, 23, 0, 0).single().unwrap_or_default());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn period(self, date: NaiveDate, zone: Zone) -> Result<Period, Error> {
        let overflow = || Error::from(ErrorKind::Overflow { op: "bucket bounds" });
        let first = self.first(date).ok_or_else(overflow)?;
        let next = self.next(first).ok_or_else(overflow)?;
        Period::new(zone.day_start(first).ok_or_else(overflow)?, zone.day_start(next).ok_or_else(overflow)?)
    }

    /// The bucket holding `at` in `zone`, as UTC instants `[start, end)`.
    ///
    /// # Errors
    /// As [`Bucket::start_of`] and [`Bucket::period`].
    pub fn period_of(self, at: DateTime<Utc>, zone: Zone) -> Result<Period, Error> {
        self.period(self.start_of(at, zone)?, zone)
    }

    /// The first date of the bucket holding `date`.
    fn first(self, date: NaiveDate) -> Option<NaiveDate> {
        match self {
            Bucket::Day => Some(date),
            Bucket::Week => date.checked_sub_days(Days::new(u64::from(date.weekday().num_days_from_monday()))),
            Bucket::Month => date.with_day(1),
            Bucket::Quarter => NaiveDate::from_ymd_opt(date.year(), (date.month0() / 3) * 3 + 1, 1),
            Bucket::Year => NaiveDate::from_ymd_opt(date.year(), 1, 1),
        }
    }

    /// The first date of the bucket after the one starting on `first`.
    fn next(self, first: NaiveDate) -> Option<NaiveDate> {
        match self {
            Bucket::Day => first.succ_opt(),
            Bucket::Week => first.checked_add_days(Days::new(7)),
            Bucket::Month => first.checked_add_months(Months::new(1)),
            Bucket::Quarter => first.checked_add_months(Months::new(3)),
            Bucket::Year => first.checked_add_months(Months::new(12)),
        }
    }
}

/// The local calendar day of `at` in `zone`, as days since 1970-01-01 (the day
/// [`Bucket::Day`] puts it in). Total: defined for every instant and zone, even where the local
/// date leaves chrono's range (the ends of [`Period::all_time`]), so comparisons with
/// [`epoch_day`] never panic.
pub(crate) fn local_day(at: DateTime<Utc>, zone: Zone) -> i64 {
    zone.day_number(at)
}

pub(crate) use crate::calendar::epoch_day;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Period;
    use chrono::{TimeDelta, TimeZone};
    use proptest::prelude::*;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    fn zone(name: &str) -> Zone {
        name.parse().unwrap()
    }

    const ALL: [Bucket; 5] = [Bucket::Day, Bucket::Week, Bucket::Month, Bucket::Quarter, Bucket::Year];

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
    fn a_new_york_month_follows_daylight_saving() {
        // Regression (issue 13 item 2): buckets used a fixed offset, so a New York company's
        // March 2026 ended at 05:00 UTC (EST) instead of 04:00 UTC (EDT, since 8 March).
        let ny = zone("America/New_York");
        let march = Bucket::Month.period(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(), ny).unwrap();
        assert_eq!((march.start(), march.end()), (at(2026, 3, 1, 5), at(2026, 4, 1, 4)));
        assert_eq!(
            Bucket::Month.start_of(at(2026, 4, 1, 4), ny).unwrap(),
            NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()
        );
        let last = at(2026, 4, 1, 4) - TimeDelta::nanoseconds(1);
        assert_eq!(Bucket::Month.period_of(last, ny).unwrap(), march);
        // An explicit fixed offset is still available, and keeps its fixed bounds.
        let fixed = Bucket::Month.period_of(at(2026, 3, 15, 0), zone("UTC-05:00")).unwrap();
        assert_eq!(fixed.end(), at(2026, 4, 1, 5));
    }

    #[test]
    fn buckets_follow_the_reporting_zone() {
        let utc = Zone::UTC;
        let tokyo = zone("Asia/Tokyo");
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
        let week = Bucket::Week.period_of(t, utc).unwrap();
        assert_eq!((week.start(), week.end()), (at(2024, 1, 29, 0), at(2024, 2, 5, 0)));
    }

    #[test]
    fn buckets_at_the_edges_of_time_are_errors_not_panics() {
        // Regression: the local date of `Period::all_time()`'s end east of UTC (or its start
        // west of UTC) is outside chrono's range, and `with_timezone(..).date_naive()` panicked.
        let all = Period::all_time();
        let east = zone("UTC+14:00");
        let west = zone("UTC-14:00");
        for bucket in ALL {
            assert!(matches!(
                bucket.start_of(all.end(), east).as_ref().map_err(crate::error::Error::kind),
                Err(ErrorKind::Overflow { op: "bucket start" })
            ));
            assert!(matches!(
                bucket.start_of(all.start(), west).as_ref().map_err(crate::error::Error::kind),
                Err(ErrorKind::Overflow { op: "bucket start" })
            ));
            for z in [east, west, zone("Pacific/Kiritimati"), zone("America/New_York")] {
                for t in [all.start(), all.end()] {
                    let _ = bucket.period_of(t, z);
                }
            }
        }
        assert_eq!(Bucket::Year.start_of(all.end(), west).unwrap(), NaiveDate::from_ymd_opt(262_142, 1, 1).unwrap());
        assert_eq!(local_day(at(1970, 1, 2, 0), west), 0);
        assert_eq!(epoch_day(NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()), 0);
    }

    const SAMPLE: [&str; 5] =
        ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Chatham"];

    proptest! {
        /// In any sampled zone, across daylight-saving changes: the bucket an instant is put in
        /// contains it, its neighbours are strictly before and after it, and consecutive
        /// buckets touch (no instant in two buckets or in none).
        #[test]
        fn buckets_partition_time(
            name in proptest::sample::select(SAMPLE.to_vec()),
            bucket in proptest::sample::select(ALL.to_vec()),
            seconds in 946_684_800_i64..2_524_608_000, // 2000 to 2050
            nanos in 0_u32..1_000_000_000,
        ) {
            let z = zone(name);
            let t = DateTime::from_timestamp(seconds, nanos).unwrap();
            let p = bucket.period_of(t, z).unwrap();
            prop_assert!(p.contains(t), "{name} {bucket:?} {t}: {p:?}");
            prop_assert!(p.start() < p.end());
            let key = bucket.start_of(t, z).unwrap();
            prop_assert_eq!(z.date_of(p.start()).unwrap(), key);
            let next = bucket.period_of(p.end(), z).unwrap();
            prop_assert_eq!(next.start(), p.end());
            prop_assert!(next.end() > next.start());
            let before = bucket.period_of(p.start() - TimeDelta::nanoseconds(1), z).unwrap();
            prop_assert_eq!(before.end(), p.start());
            prop_assert!(bucket.start_of(before.start(), z).unwrap() < key);
        }
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
