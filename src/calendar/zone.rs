//! [`Zone`]: the time zone of a definition, an IANA location or an explicitly fixed offset.

mod names;

use core::fmt;
use core::str::FromStr;

use chrono::{
    DateTime, Datelike, FixedOffset, MappedLocalTime, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone,
    Utc,
};
use chrono_tz::Tz;

use crate::{Error, ErrorKind};

/// Largest fixed offset accepted: 18 hours either side of UTC (as `java.time` allows; real
/// offsets lie between UTC-12:00 and UTC+14:00).
const MAX_FIXED_SECONDS: i32 = 18 * 3600;

/// The time zone of a definition: an IANA **location** zone (`America/New_York`, with its
/// daylight-saving history from the tz database) or a **fixed offset** asked for explicitly
/// (`UTC-05:00`), and [`Zone::UTC`].
///
/// Business calendars keep their working hours and holidays in it, and reports bucket days,
/// weeks, months, quarters and years by its local midnights
/// ([`Bucket`](crate::metrics::Bucket)), so a New York month is New York's month in winter and
/// in summer.
///
/// # Our rule on names
///
/// A name the tz database knows only as a fixed offset or a legacy rule (`EST`, `MST`, `HST`,
/// `EST5EDT`, `CST6CDT`, `MST7MDT`, `PST8PDT`, `CET`, `MET`, `EET`, `WET`, the GMT aliases
/// `GMT`, `Etc/GMT`, `Greenwich` and friends, and `Etc/GMT+5`-style names, whose sign is
/// reversed), and a common abbreviation that is no zone at all (`PST`, `EDT`, `CEST`, `IST`,
/// `AEST`, ...), is refused with [`ErrorKind::NotALocationZone`], which names location zones to
/// use instead: `"EST"` means UTC-05:00 all year, which is not what a New York team means. A
/// fixed offset stays available when it is what you mean, written `UTC+05:30`. The names of
/// UTC itself (`UTC`, `Etc/UTC`, `UCT`, `Universal`, `Zulu` and their `Etc/` forms) are
/// accepted and read as [`Zone::UTC`]; every other tz-database name is a location, including
/// the backward-compatible links to one (`US/Eastern`, `Japan`). Names are case-sensitive;
/// anything else is [`ErrorKind::UnknownTimeZone`].
///
/// # Wire format
///
/// A string: the IANA name (`"Europe/London"`), `"UTC"`, or a fixed offset `"UTC+HH:MM"` /
/// `"UTC-HH:MM"` (two-digit hours and minutes, at most 18 hours). The canonical form
/// ([`Display`](fmt::Display), and what serializes) is the same text; every UTC alias and a
/// zero offset (`"UTC+00:00"`) are written `"UTC"`.
///
/// ```
/// use revops::calendar::Zone;
///
/// let zones: Vec<Zone> = serde_json::from_str(r#"["America/New_York", "UTC+05:30", "Etc/UTC"]"#)?;
/// assert_eq!(serde_json::to_string(&zones)?, r#"["America/New_York","UTC+05:30","UTC"]"#);
/// let refused = serde_json::from_str::<Zone>(r#""EST""#).unwrap_err().to_string();
/// assert!(refused.contains("America/New_York"), "{refused}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Example
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use revops::ErrorKind;
/// use revops::calendar::Zone;
///
/// let new_york: Zone = "America/New_York".parse()?;
/// let date = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default();
/// // New York's 1 April starts at 04:00 UTC (daylight time), its 1 January at 05:00 UTC.
/// assert_eq!(new_york.start_of_day(date(4, 1))?, Utc.with_ymd_and_hms(2026, 4, 1, 4, 0, 0).unwrap());
/// assert_eq!(new_york.start_of_day(date(1, 1))?, Utc.with_ymd_and_hms(2026, 1, 1, 5, 0, 0).unwrap());
///
/// // "EST" is UTC-05:00 all year: refused, with the locations to use instead.
/// let err = "EST".parse::<Zone>().unwrap_err();
/// assert!(matches!(err.kind(), ErrorKind::NotALocationZone { instead: "America/New_York", .. }));
/// assert_eq!(
///     err.to_string(),
///     "time zone \"EST\" is a fixed UTC-05:00 offset all year (no daylight saving); use a location such as \
///      America/New_York, or ask for a fixed offset explicitly, written like \"UTC-05:00\""
/// );
/// // Asked for explicitly, a fixed offset is fine.
/// let fixed: Zone = "UTC-05:00".parse()?;
/// assert_eq!(fixed.start_of_day(date(4, 1))?, Utc.with_ymd_and_hms(2026, 4, 1, 5, 0, 0).unwrap());
/// assert_eq!(fixed.to_string(), "UTC-05:00");
/// assert!(matches!("america/new_york".parse::<Zone>().unwrap_err().kind(), ErrorKind::UnknownTimeZone { .. }));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "String", into = "String")
)]
pub struct Zone(Inner);

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Inner {
    Utc,
    Location(Tz),
    Fixed(FixedOffset),
}

impl Zone {
    /// Coordinated Universal Time.
    pub const UTC: Zone = Zone(Inner::Utc);

    /// The IANA location zone `name` (e.g. `"Europe/Berlin"`); the names of UTC give
    /// [`Zone::UTC`]. A fixed offset is not a location: parse `"UTC+05:30"` with
    /// [`str::parse`] or use [`Zone::fixed`].
    ///
    /// # Errors
    /// [`ErrorKind::NotALocationZone`] for a fixed-offset, legacy or abbreviated name (see the
    /// [type docs](Zone)); [`ErrorKind::UnknownTimeZone`] for a name the tz database does not
    /// hold (names are case-sensitive).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::calendar::Zone;
    ///
    /// assert_eq!(Zone::location("Asia/Kolkata")?.tz(), Some(chrono_tz::Asia::Kolkata));
    /// assert_eq!(Zone::location("Etc/UTC")?, Zone::UTC);
    /// for refused in ["EST5EDT", "PST", "CET", "Etc/GMT+5", "GMT", "UTC+05:30"] {
    ///     assert!(Zone::location(refused).is_err(), "{refused}");
    /// }
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn location(name: &str) -> Result<Zone, Error> {
        if names::UTC_NAMES.contains(&name) {
            return Ok(Zone::UTC);
        }
        if let Some(refusal) = names::refusal(name) {
            return Err(ErrorKind::NotALocationZone {
                name: name.to_owned(),
                meaning: refusal.meaning,
                instead: refusal.instead,
            }
            .into());
        }
        let tz: Tz = name.parse().map_err(|_| ErrorKind::UnknownTimeZone { name: name.to_owned() })?;
        Ok(Zone(Inner::Location(tz)))
    }

    /// The location zone of a `chrono_tz` zone, with the same checks as [`Zone::location`]
    /// (`chrono_tz::EST` is refused).
    ///
    /// # Errors
    /// As [`Zone::location`].
    pub fn from_tz(tz: Tz) -> Result<Zone, Error> {
        Zone::location(tz.name())
    }

    /// An explicitly fixed offset, in whole minutes and at most 18 hours from UTC. A zero offset
    /// is [`Zone::UTC`].
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] for an offset with seconds or beyond 18 hours.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::FixedOffset;
    /// use revops::calendar::Zone;
    ///
    /// let offset = |seconds| FixedOffset::east_opt(seconds).map(Zone::fixed).transpose();
    /// let india = offset(5 * 3600 + 1800)?;
    /// assert_eq!(india.map(|z| z.to_string()).as_deref(), Some("UTC+05:30"));
    /// assert_eq!(offset(0)?, Some(Zone::UTC));
    /// assert!(offset(5).is_err()); // seconds
    /// assert!(offset(19 * 3600).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn fixed(offset: FixedOffset) -> Result<Zone, Error> {
        let seconds = offset.local_minus_utc();
        if seconds % 60 != 0 || seconds.abs() > MAX_FIXED_SECONDS {
            return Err(ErrorKind::InvalidValue {
                field: "time zone",
                value: format!("UTC{offset}"),
                reason: "a fixed offset is whole minutes, at most 18 hours from UTC",
            }
            .into());
        }
        Ok(if seconds == 0 { Zone::UTC } else { Zone(Inner::Fixed(offset)) })
    }

    /// The IANA zone (`chrono_tz::UTC` for [`Zone::UTC`]); `None` for a fixed offset.
    #[must_use]
    pub const fn tz(self) -> Option<Tz> {
        match self.0 {
            Inner::Utc => Some(Tz::UTC),
            Inner::Location(tz) => Some(tz),
            Inner::Fixed(_) => None,
        }
    }

    /// The offset, if it never changes: a fixed offset, or zero for [`Zone::UTC`].
    #[must_use]
    pub fn fixed_offset(self) -> Option<FixedOffset> {
        match self.0 {
            Inner::Utc => Some(Utc.fix()),
            Inner::Location(_) => None,
            Inner::Fixed(offset) => Some(offset),
        }
    }

    /// The UTC offset in force at `at`.
    #[must_use]
    pub fn offset_at(self, at: DateTime<Utc>) -> FixedOffset {
        self.utc_offset(&at.naive_utc())
    }

    /// The first instant of local `date`: its midnight, the earlier one where midnight happens
    /// twice (clocks set back over it), and the end of the gap where midnight is skipped
    /// (clocks set forward over it, as in Havana or Santiago). Consecutive dates' starts
    /// increase, so they cut time into days without gap or overlap; a date a zone skipped
    /// entirely (Samoa's 2011-12-30) has no instant: its start is the next date's.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] when the instant is outside chrono's range.
    pub fn start_of_day(self, date: NaiveDate) -> Result<DateTime<Utc>, Error> {
        self.day_start(date).ok_or(ErrorKind::Overflow { op: "start of local day" }).map_err(Error::from)
    }

    /// The local date whose day holds `at`: the date `d` with
    /// `start_of_day(d) <= at < start_of_day(d + 1)`. This is the wall-clock date, except inside
    /// a fold that sets clocks back across midnight, where the new day has already begun.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] when the local date is outside chrono's range (the ends of
    /// [`Period::all_time`](crate::Period::all_time) away from UTC).
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{NaiveDate, TimeZone, Utc};
    /// use revops::calendar::Zone;
    ///
    /// let kolkata: Zone = "Asia/Kolkata".parse()?;
    /// let at = Utc.with_ymd_and_hms(2026, 3, 31, 19, 0, 0).unwrap(); // 00:30 on 1 April in India
    /// assert_eq!(kolkata.date_of(at)?, NaiveDate::from_ymd_opt(2026, 4, 1).unwrap_or_default());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn date_of(self, at: DateTime<Utc>) -> Result<NaiveDate, Error> {
        self.day_of(at).ok_or(ErrorKind::Overflow { op: "local date" }).map_err(Error::from)
    }

    /// [`Zone::start_of_day`], `None` outside chrono's range.
    pub(crate) fn day_start(self, date: NaiveDate) -> Option<DateTime<Utc>> {
        let midnight = date.and_time(NaiveTime::MIN);
        match self.local_offsets(&midnight) {
            MappedLocalTime::Single(o) | MappedLocalTime::Ambiguous(o, _) => {
                midnight.checked_sub_offset(o).map(|t| t.and_utc())
            }
            MappedLocalTime::None => self.gap_end(midnight),
        }
    }

    /// The first instant whose local time is at or after `midnight`, which lies in a gap.
    fn gap_end(self, midnight: NaiveDateTime) -> Option<DateTime<Utc>> {
        let day = TimeDelta::days(1);
        let before = self.utc_offset(&midnight.checked_sub_signed(day)?);
        let after = self.utc_offset(&midnight.checked_add_signed(day)?);
        let reads_midnight = |t: i64| {
            DateTime::from_timestamp(t, 0)
                .and_then(|u| u.naive_utc().checked_add_offset(self.offset_at(u)))
                .is_some_and(|local| local >= midnight)
        };
        // Before the change the clock reads `midnight` at `midnight - before`, after it at
        // `midnight - after`: the change (a whole second in the tz database) lies between.
        let mut lo = midnight.checked_sub_offset(after)?.and_utc().timestamp();
        let mut hi = midnight.checked_sub_offset(before)?.and_utc().timestamp();
        if lo >= hi || reads_midnight(lo) || !reads_midnight(hi) {
            return DateTime::from_timestamp(hi, 0);
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if reads_midnight(mid) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        DateTime::from_timestamp(hi, 0)
    }

    /// [`Zone::date_of`], `None` outside chrono's range.
    pub(crate) fn day_of(self, at: DateTime<Utc>) -> Option<NaiveDate> {
        let mut date = at.naive_utc().checked_add_offset(self.offset_at(at))?.date();
        if let Inner::Location(_) = self.0 {
            // Inside a fold across midnight the clock reads the old date after the new day began;
            // offsets change by less than a day, so two steps always suffice.
            for _ in 0..2 {
                let Some(next) = date.succ_opt() else { break };
                match self.day_start(next) {
                    Some(start) if at >= start => date = next,
                    _ => break,
                }
            }
        }
        Some(date)
    }

    /// The local day of `at` as days since 1970-01-01. Total: outside chrono's range of local
    /// dates it counts with the offset in force, so comparisons never fail.
    pub(crate) fn day_number(self, at: DateTime<Utc>) -> i64 {
        match self.day_of(at) {
            Some(date) => epoch_day(date),
            None => (at.timestamp() + i64::from(self.offset_at(at).local_minus_utc())).div_euclid(86_400),
        }
    }

    /// [`Zone::day_number`] of the instant `seconds` after the epoch (the hot path of columnar
    /// batches: plain arithmetic for UTC and fixed offsets).
    pub(crate) fn day_number_at_second(self, seconds: i64) -> i64 {
        let fixed = match self.0 {
            Inner::Utc => 0,
            Inner::Fixed(offset) => i64::from(offset.local_minus_utc()),
            Inner::Location(_) => match DateTime::from_timestamp(seconds, 0) {
                Some(at) => return self.day_number(at),
                None => 0,
            },
        };
        seconds.saturating_add(fixed).div_euclid(86_400)
    }

    /// The offset at UTC time `utc`.
    pub(crate) fn utc_offset(self, utc: &NaiveDateTime) -> FixedOffset {
        match self.0 {
            Inner::Utc => Utc.fix(),
            Inner::Location(tz) => tz.offset_from_utc_datetime(utc).fix(),
            Inner::Fixed(offset) => offset,
        }
    }

    /// The offsets the clock can have when it reads `local`.
    pub(crate) fn local_offsets(self, local: &NaiveDateTime) -> MappedLocalTime<FixedOffset> {
        match self.0 {
            Inner::Utc => MappedLocalTime::Single(Utc.fix()),
            Inner::Location(tz) => tz.offset_from_local_datetime(local).map(|o| o.fix()),
            Inner::Fixed(offset) => MappedLocalTime::Single(offset),
        }
    }
}

/// `date` as days since 1970-01-01.
pub(crate) fn epoch_day(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - 719_163
}

impl Default for Zone {
    /// [`Zone::UTC`].
    fn default() -> Zone {
        Zone::UTC
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Inner::Utc => f.write_str("UTC"),
            Inner::Location(tz) => f.write_str(tz.name()),
            Inner::Fixed(offset) => {
                let seconds = offset.local_minus_utc();
                let sign = if seconds < 0 { '-' } else { '+' };
                let minutes = seconds.unsigned_abs() / 60;
                write!(f, "UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
            }
        }
    }
}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Zone({self})")
    }
}

impl FromStr for Zone {
    type Err = Error;

    /// Parses a location name, `"UTC"`, or a fixed offset `"UTC+HH:MM"` / `"UTC-HH:MM"`.
    ///
    /// # Errors
    /// As [`Zone::location`]; [`ErrorKind::InvalidValue`] for a fixed offset not written
    /// `UTC+HH:MM` or beyond 18 hours.
    fn from_str(text: &str) -> Result<Zone, Error> {
        let Some(rest) = text.strip_prefix("UTC").filter(|r| r.starts_with(['+', '-'])) else {
            return Zone::location(text);
        };
        let invalid = || {
            Error::from(ErrorKind::InvalidValue {
                field: "time zone",
                value: text.to_owned(),
                reason: "a fixed offset is written UTC+HH:MM or UTC-HH:MM, at most 18 hours from UTC",
            })
        };
        let bytes = rest.as_bytes();
        let digit = |i: usize| bytes.get(i).filter(|b| b.is_ascii_digit()).map(|b| i32::from(b - b'0'));
        let (Some(h1), Some(h0), Some(b':'), Some(m1), Some(m0), 6) =
            (digit(1), digit(2), bytes.get(3).copied(), digit(4), digit(5), bytes.len())
        else {
            return Err(invalid());
        };
        let (hours, minutes) = (h1 * 10 + h0, m1 * 10 + m0);
        if minutes > 59 {
            return Err(invalid());
        }
        let seconds = (hours * 60 + minutes) * 60;
        let seconds = if rest.starts_with('-') { -seconds } else { seconds };
        FixedOffset::east_opt(seconds)
            .filter(|_| seconds.abs() <= MAX_FIXED_SECONDS)
            .ok_or_else(invalid)
            .and_then(Zone::fixed)
    }
}

impl TryFrom<String> for Zone {
    type Error = Error;
    fn try_from(text: String) -> Result<Zone, Error> {
        text.parse()
    }
}

impl From<Zone> for String {
    fn from(zone: Zone) -> String {
        zone.to_string()
    }
}

/// The offset of a [`Zone`] at one instant (chrono's [`TimeZone::Offset`] for `DateTime<Zone>`).
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::calendar::Zone;
///
/// let london: Zone = "Europe/London".parse()?;
/// let summer = Utc.with_ymd_and_hms(2026, 7, 1, 12, 0, 0).unwrap().with_timezone(&london);
/// assert_eq!(summer.to_rfc3339(), "2026-07-01T13:00:00+01:00");
/// let winter = london.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).single().map(|t| t.to_utc());
/// assert_eq!(winter, Some(Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap()));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ZoneOffset {
    zone: Zone,
    offset: FixedOffset,
}

impl ZoneOffset {
    /// The zone.
    #[must_use]
    pub const fn zone(&self) -> Zone {
        self.zone
    }
}

impl Offset for ZoneOffset {
    fn fix(&self) -> FixedOffset {
        self.offset
    }
}

impl fmt::Display for ZoneOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.offset, f)
    }
}

impl TimeZone for Zone {
    type Offset = ZoneOffset;

    fn from_offset(offset: &ZoneOffset) -> Zone {
        offset.zone
    }

    fn offset_from_local_date(&self, local: &NaiveDate) -> MappedLocalTime<ZoneOffset> {
        let zone = *self;
        match self.0 {
            Inner::Location(tz) => tz.offset_from_local_date(local).map(|o| ZoneOffset { zone, offset: o.fix() }),
            Inner::Utc | Inner::Fixed(_) => self.offset_from_local_datetime(&local.and_time(NaiveTime::MIN)),
        }
    }

    fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> MappedLocalTime<ZoneOffset> {
        let zone = *self;
        self.local_offsets(local).map(|offset| ZoneOffset { zone, offset })
    }

    fn offset_from_utc_date(&self, utc: &NaiveDate) -> ZoneOffset {
        self.offset_from_utc_datetime(&utc.and_time(NaiveTime::MIN))
    }

    fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> ZoneOffset {
        ZoneOffset { zone: *self, offset: self.utc_offset(utc) }
    }
}

#[cfg(test)]
mod tests;
