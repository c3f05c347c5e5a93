//! Instants and durations as integer nanoseconds: the calendar's one time unit inside.

use chrono::{DateTime, TimeDelta, Utc};

use crate::{Error, ErrorKind};

/// Working intervals of one local date, in UTC nanoseconds, sorted, disjoint, non-touching.
pub(crate) type Intervals = Vec<(i64, i64)>;

pub(crate) fn to_ns(t: DateTime<Utc>) -> Result<i64, Error> {
    t.timestamp_nanos_opt()
        .ok_or_else(|| ErrorKind::InstantOutOfRange { instant: t.to_rfc3339() })
        .map_err(crate::Error::from)
}

pub(crate) fn from_ns(ns: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_nanos(ns)
}

/// A duration in `i128` nanoseconds (exact for every `TimeDelta`).
pub(crate) fn wide_ns(d: TimeDelta) -> i128 {
    i128::from(d.num_seconds()) * 1_000_000_000 + i128::from(d.subsec_nanos())
}

/// The duration of `ns` nanoseconds.
///
/// # Errors
/// [`ErrorKind::Overflow`] beyond `TimeDelta`'s range (about 292 million years; business time
/// between supported instants never gets there).
pub(crate) fn delta_from_ns(ns: i128) -> Result<TimeDelta, Error> {
    let overflow = || ErrorKind::Overflow { op: "business time" };
    let secs = i64::try_from(ns.div_euclid(1_000_000_000)).map_err(|_| overflow())?;
    let nanos = u32::try_from(ns.rem_euclid(1_000_000_000)).map_err(|_| overflow())?;
    TimeDelta::new(secs, nanos).ok_or_else(overflow).map_err(crate::Error::from)
}

/// Nanoseconds in a UTC day.
pub(crate) const DAY_NS: i64 = 86_400_000_000_000;
