//! [`CalendarException`]: extra open or closed time in UTC, and the calendar's index of them
//! (the union of open and of closed exceptions, sorted, so a date finds its exceptions by
//! binary search: O(log n) per date instead of a scan of every exception).

use chrono::{DateTime, TimeDelta, Utc};

use super::{Intervals, merge_touching, to_ns};
use crate::{Error, ErrorKind};
/// Whether an exception adds or removes working time.
///
/// # Wire format
///
/// `"open"` or `"closed"`.
///
/// ```
/// use revops::calendar::ExceptionKind;
///
/// let kinds: Vec<ExceptionKind> = serde_json::from_str(r#"["open", "closed"]"#)?;
/// assert_eq!(kinds, [ExceptionKind::Open, ExceptionKind::Closed]);
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// # Example
///
/// ```
/// use chrono::{DateTime, Utc};
/// use revops::calendar::{BusinessCalendar, BusinessClock, CalendarException, ExceptionKind};
///
/// let at = |rfc3339: &str| rfc3339.parse::<DateTime<Utc>>().unwrap_or_default();
/// let (start, end) = (at("2024-06-08T10:00:00Z"), at("2024-06-08T16:00:00Z")); // a Saturday
/// let event = CalendarException::new(start, end, ExceptionKind::Open)?;
/// let strike = CalendarException::new(at("2024-06-08T12:00:00Z"), end, ExceptionKind::Closed)?;
/// assert_eq!(event.kind(), ExceptionKind::Open);
///
/// // Closed wins where the two overlap: 10:00-12:00 is left.
/// let calendar = BusinessCalendar::builder("UTC").exception(event).exception(strike).build()?;
/// assert_eq!(calendar.between(start, end)?.num_hours(), 2);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ExceptionKind {
    /// Extra working time (e.g. a staffed Saturday event).
    Open,
    /// Time taken out of the schedule (e.g. an offsite); wins over `Open` and weekly windows.
    Closed,
}

/// An exception interval `[start, end)` in UTC.
///
/// # Wire format
///
/// An object `{ "start": ..., "end": ..., "kind": "open" | "closed" }`; the instants are RFC 3339
/// with any offset (read as the UTC instant they name) and serialize in UTC. Deserializing
/// runs [`CalendarException::new`]'s checks; unknown fields are refused.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::calendar::{CalendarException, ExceptionKind};
///
/// let json = r#"{"start": "2026-06-06T10:00:00+02:00", "end": "2026-06-06T16:00:00+02:00", "kind": "open"}"#;
/// let saturday: CalendarException = serde_json::from_str(json)?;
/// assert_eq!(saturday.start(), Utc.with_ymd_and_hms(2026, 6, 6, 8, 0, 0).unwrap());
/// assert_eq!(saturday.kind(), ExceptionKind::Open);
/// assert_eq!(
///     serde_json::to_string(&saturday)?,
///     r#"{"start":"2026-06-06T08:00:00Z","end":"2026-06-06T14:00:00Z","kind":"open"}"#
/// );
/// let backwards = r#"{"start": "2026-06-07T00:00:00Z", "end": "2026-06-06T00:00:00Z", "kind": "open"}"#;
/// assert!(serde_json::from_str::<CalendarException>(backwards).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::calendar::{CalendarException, ExceptionKind};
///
/// let (start, end) = (
///     Utc.with_ymd_and_hms(2024, 9, 12, 13, 0, 0).single().unwrap_or_default(),
///     Utc.with_ymd_and_hms(2024, 9, 13, 21, 0, 0).single().unwrap_or_default(),
/// );
/// let offsite = CalendarException::closed(start, end)?;
/// assert_eq!((offsite.start(), offsite.end(), offsite.kind()), (start, end, ExceptionKind::Closed));
/// assert_eq!(offsite.duration().num_hours(), 32);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "ExceptionRepr", into = "ExceptionRepr")
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CalendarException {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    kind: ExceptionKind,
}

impl CalendarException {
    /// An exception of `kind` over `[start, end)`.
    ///
    /// # Errors
    /// [`ErrorKind::StopBeforeStart`] if `end` is not after `start`;
    /// [`ErrorKind::InstantOutOfRange`] outside the supported years.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{DateTime, Utc};
    /// use revops::ErrorKind;
    /// use revops::calendar::{CalendarException, ExceptionKind};
    ///
    /// let at = |rfc3339: &str| rfc3339.parse::<DateTime<Utc>>().unwrap_or_default();
    /// let (nine, five) = (at("2024-06-03T09:00:00Z"), at("2024-06-03T17:00:00Z"));
    /// assert_eq!(CalendarException::new(nine, five, ExceptionKind::Closed)?.duration().num_hours(), 8);
    ///
    /// // An exception must last: end after start.
    /// let err = CalendarException::new(five, nine, ExceptionKind::Closed).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::StopBeforeStart { .. }));
    /// assert!(CalendarException::new(nine, nine, ExceptionKind::Open).is_err());
    ///
    /// // Outside the years business time is computed for (1678 to 2261).
    /// let far = at("2300-01-01T00:00:00Z");
    /// let err = CalendarException::new(far, at("2300-01-02T00:00:00Z"), ExceptionKind::Open).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::InstantOutOfRange { .. }));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>, kind: ExceptionKind) -> Result<CalendarException, Error> {
        if end <= start {
            return Err(ErrorKind::StopBeforeStart { what: "calendar exception", start, stop: end }.into());
        }
        to_ns(start)?;
        to_ns(end)?;
        Ok(CalendarException { start, end, kind })
    }

    /// Extra working time over `[start, end)`.
    ///
    /// # Errors
    /// As [`CalendarException::new`].
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{DateTime, Utc};
    /// use revops::calendar::{BusinessCalendar, BusinessClock, CalendarException, parse_date};
    ///
    /// let at = |rfc3339: &str| rfc3339.parse::<DateTime<Utc>>().unwrap_or_default();
    /// // Open exceptions apply on holidays too: a year-end close staffed on 31 December.
    /// let calendar = BusinessCalendar::builder("UTC")
    ///     .weekdays("09:00-17:00".parse()?)
    ///     .holiday(parse_date("2024-12-31")?)
    ///     .exception(CalendarException::open(at("2024-12-31T09:00:00Z"), at("2024-12-31T12:00:00Z"))?)
    ///     .build()?;
    /// assert_eq!(calendar.between(at("2024-12-31T00:00:00Z"), at("2025-01-01T00:00:00Z"))?.num_hours(), 3);
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn open(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<CalendarException, Error> {
        CalendarException::new(start, end, ExceptionKind::Open)
    }

    /// No working time over `[start, end)`.
    ///
    /// # Errors
    /// As [`CalendarException::new`].
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{DateTime, Utc};
    /// use revops::calendar::{BusinessCalendar, BusinessClock, BusinessSpan, CalendarException};
    ///
    /// let at = |rfc3339: &str| rfc3339.parse::<DateTime<Utc>>().unwrap_or_default();
    /// // An all-hands on Monday afternoon pushes a four-hour deadline into Tuesday.
    /// let calendar = BusinessCalendar::builder("UTC")
    ///     .weekdays("09:00-17:00".parse()?)
    ///     .exception(CalendarException::closed(at("2024-06-03T13:00:00Z"), at("2024-06-03T17:00:00Z"))?)
    ///     .build()?;
    /// let due = calendar.add(at("2024-06-03T11:00:00Z"), BusinessSpan::hours(4))?;
    /// assert_eq!(due, at("2024-06-04T11:00:00Z"));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn closed(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<CalendarException, Error> {
        CalendarException::new(start, end, ExceptionKind::Closed)
    }

    /// Start (inclusive).
    #[must_use]
    pub const fn start(&self) -> DateTime<Utc> {
        self.start
    }

    /// End (exclusive).
    #[must_use]
    pub const fn end(&self) -> DateTime<Utc> {
        self.end
    }

    /// Open or closed.
    #[must_use]
    pub const fn kind(&self) -> ExceptionKind {
        self.kind
    }

    /// Wall-clock length.
    #[must_use]
    pub fn duration(&self) -> TimeDelta {
        self.end - self.start
    }
}

/// The exceptions of a calendar as two unions of UTC nanosecond intervals (sorted, disjoint,
/// non-touching): where open exceptions add time and where closed ones remove it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ExceptionIndex {
    pub(crate) open: Intervals,
    pub(crate) closed: Intervals,
}

impl ExceptionIndex {
    /// Indexes `exceptions`.
    ///
    /// # Errors
    /// [`ErrorKind::InstantOutOfRange`] if an exception lies outside the supported years (not
    /// possible for checked exceptions).
    pub(crate) fn new(exceptions: &[CalendarException]) -> Result<ExceptionIndex, Error> {
        let (mut open, mut closed) = (Intervals::new(), Intervals::new());
        for e in exceptions {
            let interval = (to_ns(e.start)?, to_ns(e.end)?);
            match e.kind {
                ExceptionKind::Open => open.push(interval),
                ExceptionKind::Closed => closed.push(interval),
            }
        }
        open.sort_unstable();
        closed.sort_unstable();
        merge_touching(&mut open);
        merge_touching(&mut closed);
        Ok(ExceptionIndex { open, closed })
    }

    /// The intervals of `union` that overlap `[lo, hi)`, found by binary search.
    pub(crate) fn overlapping(union: &Intervals, lo: i64, hi: i64) -> impl Iterator<Item = (i64, i64)> + '_ {
        let first = union.partition_point(|&(_, e)| e <= lo);
        union.get(first..).unwrap_or_default().iter().copied().take_while(move |&(s, _)| s < hi)
    }
}

/// Wire shape of [`CalendarException`].
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct ExceptionRepr {
    /// The first instant of the interval.
    #[cfg_attr(feature = "schema", schemars(with = "crate::wire::schema::Instant"))]
    start: DateTime<Utc>,
    /// The instant after it (exclusive, after `start`).
    #[cfg_attr(feature = "schema", schemars(with = "crate::wire::schema::Instant"))]
    end: DateTime<Utc>,
    /// Whether it adds working time (`open`) or takes it out (`closed`).
    kind: ExceptionKind,
}

#[cfg(feature = "serde")]
impl TryFrom<ExceptionRepr> for CalendarException {
    type Error = Error;
    fn try_from(r: ExceptionRepr) -> Result<CalendarException, Error> {
        CalendarException::new(r.start, r.end, r.kind)
    }
}

#[cfg(feature = "serde")]
impl From<CalendarException> for ExceptionRepr {
    fn from(e: CalendarException) -> ExceptionRepr {
        ExceptionRepr { start: e.start, end: e.end, kind: e.kind }
    }
}
