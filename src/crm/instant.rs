//! Exact reading of the instants and dates CRM exports write.
//!
//! The grammar, and nothing else:
//!
//! ```text
//! date      = 4DIGIT "-" 2DIGIT "-" 2DIGIT                       ; 2024-03-01
//! date-time = date ("T" / " ") 2DIGIT ":" 2DIGIT ":" 2DIGIT ["." 1*9DIGIT] [zone]
//! zone      = "Z" / ("+" / "-") 2DIGIT [":"] 2DIGIT               ; Z, +01:00, +0100
//! epoch-ms  = 1*16DIGIT                                          ; HubSpot only
//! ```

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// A parsed value, before it meets a zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Parsed {
    /// A plain date.
    Date(NaiveDate),
    /// A date-time without a zone.
    Local(NaiveDateTime),
    /// An instant (a date-time with a zone, or epoch milliseconds).
    Instant(DateTime<Utc>),
}

/// Parses `text` by the module grammar; epoch milliseconds only when `epoch_ms`.
pub(crate) fn parse(text: &str, epoch_ms: bool) -> Result<Parsed, &'static str> {
    let b = text.as_bytes();
    if epoch_ms && !b.is_empty() && b.len() <= 16 && b.iter().all(u8::is_ascii_digit) {
        let ms: i64 = text.parse().map_err(|_| "epoch milliseconds out of range")?;
        return DateTime::from_timestamp_millis(ms).map(Parsed::Instant).ok_or("epoch milliseconds out of range");
    }
    let date = date(b)?;
    let Some(rest) = b.get(10..) else { return Err(EXPECTED) };
    let Some((&sep, rest)) = rest.split_first() else { return Ok(Parsed::Date(date)) };
    if sep != b'T' && sep != b' ' {
        return Err(EXPECTED);
    }
    let (h, m, s) = match rest {
        [h1, h2, b':', m1, m2, b':', s1, s2, ..] => (two(*h1, *h2)?, two(*m1, *m2)?, two(*s1, *s2)?),
        _ => return Err(EXPECTED),
    };
    let mut rest = rest.get(8..).unwrap_or_default();
    let mut nanos = 0u32;
    if let Some((b'.', frac)) = rest.split_first() {
        let digits = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 || digits > 9 {
            return Err("fractional seconds must have 1 to 9 digits");
        }
        for c in frac.iter().take(digits) {
            nanos = nanos * 10 + u32::from(c - b'0');
        }
        for _ in digits..9 {
            nanos *= 10;
        }
        rest = frac.get(digits..).unwrap_or_default();
    }
    let time = NaiveTime::from_hms_nano_opt(h, m, s, nanos).ok_or("not a valid time of day")?;
    let local = date.and_time(time);
    let offset = match rest {
        [] => return Ok(Parsed::Local(local)),
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] | [sign @ (b'+' | b'-'), h1, h2, m1, m2] => {
            let (oh, om) = (two(*h1, *h2)?, two(*m1, *m2)?);
            if oh > 23 || om > 59 {
                return Err("not a valid zone offset");
            }
            let seconds = i32::try_from(oh * 3600 + om * 60).map_err(|_| "not a valid zone offset")?;
            if *sign == b'-' { -seconds } else { seconds }
        }
        _ => return Err(EXPECTED),
    };
    let offset = FixedOffset::east_opt(offset).ok_or("not a valid zone offset")?;
    match offset.from_local_datetime(&local) {
        LocalResult::Single(at) => Ok(Parsed::Instant(at.with_timezone(&Utc))),
        _ => Err("out of range"),
    }
}

const EXPECTED: &str = "expected an ISO 8601 date (2024-03-01) or date-time (2024-03-01T09:30:00Z)";

fn date(b: &[u8]) -> Result<NaiveDate, &'static str> {
    match b {
        [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2, ..] => {
            let year = i32::try_from(two(*y1, *y2)? * 100 + two(*y3, *y4)?).map_err(|_| EXPECTED)?;
            NaiveDate::from_ymd_opt(year, two(*m1, *m2)?, two(*d1, *d2)?).ok_or("not a valid calendar date")
        }
        _ => Err(EXPECTED),
    }
}

fn two(a: u8, b: u8) -> Result<u32, &'static str> {
    if a.is_ascii_digit() && b.is_ascii_digit() {
        Ok(u32::from(a - b'0') * 10 + u32::from(b - b'0'))
    } else {
        Err(EXPECTED)
    }
}

/// The instant `parsed` stands for in `zone`: a plain date is the start of its local day.
pub(crate) fn resolve(parsed: Parsed, zone: Tz) -> Result<DateTime<Utc>, &'static str> {
    match parsed {
        Parsed::Instant(at) => Ok(at),
        Parsed::Local(local) => match zone.from_local_datetime(&local) {
            LocalResult::Single(at) => Ok(at.with_timezone(&Utc)),
            LocalResult::Ambiguous(..) => {
                Err("local time is ambiguous in the zone (daylight-saving fold); give a zone")
            }
            LocalResult::None => Err("local time does not exist in the zone (daylight-saving gap)"),
        },
        Parsed::Date(date) => {
            let midnight = date.and_time(NaiveTime::MIN);
            match zone.from_local_datetime(&midnight) {
                LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => Ok(at.with_timezone(&Utc)),
                // The day starts later (a gap at midnight): its first instant is the gap's end.
                LocalResult::None => (1..=4)
                    .find_map(|hour| zone.from_local_datetime(&(midnight + chrono::TimeDelta::hours(hour))).earliest())
                    .map(|at| at.with_timezone(&Utc))
                    .ok_or("the local day has no start in the zone"),
            }
        }
    }
}

/// The local date `parsed` falls on in `zone`.
pub(crate) fn local_date(parsed: Parsed, zone: Tz) -> NaiveDate {
    match parsed {
        Parsed::Date(date) => date,
        Parsed::Local(local) => local.date(),
        Parsed::Instant(at) => at.with_timezone(&zone).date_naive(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::New_York;

    fn at(text: &str) -> Result<DateTime<Utc>, &'static str> {
        parse(text, true).and_then(|p| resolve(p, New_York))
    }

    #[test]
    fn every_accepted_shape() {
        let utc = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        assert_eq!(at("2024-03-01T14:00:00Z"), Ok(utc("2024-03-01T14:00:00Z")));
        assert_eq!(at("2024-03-01T14:00:00.123Z"), Ok(utc("2024-03-01T14:00:00.123Z")));
        assert_eq!(at("2024-03-01T14:00:00.000+0000"), Ok(utc("2024-03-01T14:00:00Z")));
        assert_eq!(at("2024-03-01T15:00:00+01:00"), Ok(utc("2024-03-01T14:00:00Z")));
        assert_eq!(at("2024-03-01 09:00:00"), Ok(utc("2024-03-01T14:00:00Z"))); // EST, local
        assert_eq!(at("2024-07-01T09:00:00"), Ok(utc("2024-07-01T13:00:00Z"))); // EDT
        assert_eq!(at("2024-03-01"), Ok(utc("2024-03-01T05:00:00Z"))); // start of the local day
        assert_eq!(at("1709301600000"), Ok(utc("2024-03-01T14:00:00Z")));
        assert_eq!(at("2024-03-01T14:00:00.123456789Z"), Ok(utc("2024-03-01T14:00:00.123456789Z")));
    }

    #[test]
    fn everything_else_is_refused() {
        for bad in [
            "",
            "01/03/2024",
            "2024-3-1",
            "2024-03-01T14:00Z",
            "2024-03-01T14:00:00.Z",
            "2024-03-01T14:00:00.1234567890Z",
            "2024-02-30",
            "2024-03-01T24:00:00Z",
            "2024-03-01T14:00:60Z",
            "2024-03-01T14:00:00+25:00",
            "2024-03-01T14:00:00 Z",
            "2024-03-01x",
            "+2024-03-01",
            "12345678901234567",
            "1.5",
            "2024-03-10T02:30:00", // skipped by the spring-forward gap in New York
            "2024-11-03T01:30:00", // the fall-back fold: ambiguous
        ] {
            assert!(at(bad).is_err(), "{bad:?}");
        }
        assert!(parse("1709301600000", false).is_err(), "epoch ms only where the CRM writes them");
    }

    #[test]
    fn local_dates_take_the_zone() {
        let p = parse("2024-03-01T03:00:00Z", false).unwrap();
        assert_eq!(local_date(p, New_York), NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
        assert_eq!(
            local_date(parse("2024-03-01", false).unwrap(), New_York),
            NaiveDate::from_ymd_opt(2024, 3, 1).unwrap()
        );
    }
}
