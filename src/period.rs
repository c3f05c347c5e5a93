//! [`Period`]: a half-open interval of instants, the one period type of the crate.

use chrono::{DateTime, Utc};

use crate::{Error, ErrorKind};

/// A half-open interval of instants `[start, end)`: an instant at `end` belongs to the next
/// period, so consecutive periods never count a record twice.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::Period;
///
/// let q1 = Period::new(
///     Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or_default(),
///     Utc.with_ymd_and_hms(2024, 4, 1, 0, 0, 0).single().unwrap_or_default(),
/// )?;
/// assert!(q1.contains(q1.start()));
/// assert!(!q1.contains(q1.end())); // 1 April belongs to Q2
/// assert_eq!((q1.end() - q1.start()).num_days(), 91); // 2024 is a leap year
/// assert!(Period::all_time().contains(q1.start()));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "PeriodRepr", into = "PeriodRepr")
)]
pub struct Period {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

impl Period {
    /// `[start, end)`. An empty period (`start == end`) is allowed and contains nothing.
    ///
    /// # Errors
    /// [`ErrorKind::StopBeforeStart`] if `end` is before `start`.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::{ErrorKind, Period};
    ///
    /// let jan = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or_default();
    /// let feb = Utc.with_ymd_and_hms(2024, 2, 1, 0, 0, 0).single().unwrap_or_default();
    /// let january = Period::new(jan, feb)?;
    /// assert!(january.contains(jan));
    /// assert!(!Period::new(jan, jan)?.contains(jan)); // empty: contains nothing
    ///
    /// // Start and end swapped (a common mistake with CSV columns) is refused.
    /// let err = Period::new(feb, jan).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::StopBeforeStart { .. }));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Period, Error> {
        if end < start {
            return Err(ErrorKind::StopBeforeStart { what: "period", start, stop: end }.into());
        }
        Ok(Period { start, end })
    }

    /// Every representable instant: for metrics that should not filter by time.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{DateTime, Utc};
    /// use revops::Period;
    ///
    /// let all = Period::all_time();
    /// assert!(all.contains(DateTime::<Utc>::MIN_UTC));
    /// assert!(all.contains(DateTime::<Utc>::UNIX_EPOCH));
    /// assert_eq!(all.end(), DateTime::<Utc>::MAX_UTC); // the one instant it leaves out
    /// ```
    #[must_use]
    pub const fn all_time() -> Period {
        Period { start: DateTime::<Utc>::MIN_UTC, end: DateTime::<Utc>::MAX_UTC }
    }

    /// The first instant inside.
    #[must_use]
    pub const fn start(&self) -> DateTime<Utc> {
        self.start
    }

    /// The first instant after.
    #[must_use]
    pub const fn end(&self) -> DateTime<Utc> {
        self.end
    }

    /// Whether `at` is in `[start, end)`.
    #[must_use]
    #[inline]
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.start <= at && at < self.end
    }
}

/// Wire shape of [`Period`].
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PeriodRepr {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

#[cfg(feature = "serde")]
impl TryFrom<PeriodRepr> for Period {
    type Error = Error;
    fn try_from(repr: PeriodRepr) -> Result<Period, Error> {
        Period::new(repr.start, repr.end)
    }
}

#[cfg(feature = "serde")]
impl From<Period> for PeriodRepr {
    fn from(p: Period) -> PeriodRepr {
        PeriodRepr { start: p.start, end: p.end }
    }
}
