//! Durations as text: one grammar for wall-clock time and business time.
//!
//! # Grammar
//!
//! A duration is written in one of two notations, never with a sign, spaces around it or
//! upper/lower case swapped:
//!
//! - **compact**: whole numbers each followed by a unit, largest unit first, each unit at most
//!   once: `d` (24 hours), `h`, `m` (minutes) and `s`; the seconds may carry up to nine
//!   decimal places. `"4h"`, `"90m"`, `"45s"`, `"1h30m"`, `"2d"`, `"1.5s"`.
//! - **ISO 8601**: `P`, then days (`nD`), then `T` and hours, minutes and seconds (`nH`, `nM`,
//!   `n[.f]S`), each optional but at least one given: `"PT4H"`, `"PT1H30M"`, `"P2D"`,
//!   `"P1DT12H"`. Years, months and weeks (`Y`, `M` before `T`, `W`) are refused: years and
//!   months have no fixed length.
//!
//! **Business time** ([`BusinessSpan`](crate::calendar::BusinessSpan)) takes the same notations
//! in whole seconds, without days (a "day" of business time is ambiguous: one working day or
//! 24 hours of the schedule), plus two worded units: `"2 business days"` (`n` working days)
//! and `"3 schedule days"` (`n x 24` hours of working time), singular or plural.
//!
//! # Canonical form
//!
//! Every value is written one way, the compact notation with its largest units first and
//! zero units left out: `"4h"`, `"1h30m"`, `"1d12h"`, `"1.5s"`, `"0s"` for zero. Business time
//! writes no days (`"48h"`), and its day units as `"1 business day"`, `"2 business days"`,
//! `"1 schedule day"`, `"3 schedule days"`. Parsing the canonical text gives the value back.

use core::fmt;

use chrono::TimeDelta;

use crate::{Error, ErrorKind};

/// Seconds in a day of wall-clock time.
const DAY: i64 = 86_400;
/// How much of a rejected text an error quotes.
const QUOTED_CHARS: usize = 64;

/// Which clock a duration is measured on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Clock {
    /// Elapsed real time: days are 24 hours, fractions of a second allowed.
    Wall,
    /// Working time of a calendar: whole seconds, days only as business or schedule days.
    Business,
}

impl Clock {
    const fn field(self) -> &'static str {
        match self {
            Clock::Wall => "duration",
            Clock::Business => "business time",
        }
    }
}

/// A parsed duration, in the unit it was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Parsed {
    /// An amount of time (wall-clock, or working time for [`Clock::Business`]).
    Time(TimeDelta),
    /// `n` working days (business time only).
    BusinessDays(u32),
    /// `n x 24` hours of working time (business time only).
    ScheduleDays(u32),
}

/// `text` as a duration on `clock`.
///
/// # Errors
/// [`ErrorKind::Negative`] for a leading `-`; [`ErrorKind::InvalidValue`] naming the text and
/// saying what is wrong for anything else the grammar (module docs) does not accept, and for a
/// value too large for a `TimeDelta` or a `u32` day count.
pub(crate) fn parse(text: &str, clock: Clock) -> Result<Parsed, Error> {
    let field = clock.field();
    if text.starts_with('-') {
        return Err(ErrorKind::Negative { field, value: quoted(text) }.into());
    }
    let fail = |reason: &'static str| Error::from(ErrorKind::InvalidValue { field, value: quoted(text), reason });
    if text.is_empty() {
        return Err(fail("is empty: write e.g. \"4h\", \"1h30m\" or \"PT4H\""));
    }
    if let Some((number, unit)) = text.split_once(' ') {
        return worded(number, unit, clock).map_err(fail);
    }
    let time = match text.strip_prefix('P') {
        Some(iso) => iso_time(iso, clock),
        None => compact_time(text, clock),
    };
    time.map(Parsed::Time).map_err(fail)
}

/// `"2 business days"`, `"3 schedule days"` (and their singulars).
fn worded(number: &str, unit: &str, clock: Clock) -> Result<Parsed, &'static str> {
    let business = matches!(unit, "business days" | "business day");
    let schedule = matches!(unit, "schedule days" | "schedule day");
    if !business && !schedule {
        return Err(match clock {
            Clock::Wall => "no spaces in a duration: write e.g. \"1h30m\", \"2d\" or \"PT4H\"",
            Clock::Business => {
                "no spaces in a duration (\"1h30m\"); the only worded units are \"business days\" and \"schedule days\""
            }
        });
    }
    if clock == Clock::Wall {
        return Err(
            "business or schedule days are business time; this is wall-clock time: write e.g. \"2d\" or \"48h\"",
        );
    }
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err("the number of days must be a whole number, e.g. \"2 business days\"");
    }
    let n: u32 = number.parse().map_err(|_| "too many days (at most 4294967295)")?;
    Ok(if business { Parsed::BusinessDays(n) } else { Parsed::ScheduleDays(n) })
}

/// One `number unit` pair of the text.
struct Part<'a> {
    whole: &'a str,
    fraction: Option<&'a str>,
    unit: char,
}

/// Splits `text` into `number unit` pairs; `None` if it is not such a sequence.
fn parts(text: &str) -> Result<Vec<Part<'_>>, &'static str> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
        let n = digits(rest);
        let (whole, after) = rest.split_at_checked(n).ok_or("expected a number")?;
        if whole.is_empty() {
            return Err("expected a whole number before each unit, e.g. \"1h30m\"");
        }
        let (fraction, after) = match after.strip_prefix('.') {
            Some(f) => {
                let (fraction, after) = f.split_at_checked(digits(f)).ok_or("expected a number")?;
                if fraction.is_empty() {
                    return Err("expected digits after the decimal point");
                }
                (Some(fraction), after)
            }
            None => (None, after),
        };
        let mut chars = after.chars();
        let unit = chars.next().ok_or("a number needs a unit, e.g. \"90m\" (units: d, h, m, s)")?;
        rest = chars.as_str();
        out.push(Part { whole, fraction, unit });
        if out.len() > 4 {
            return Err("too many units: each of d, h, m and s at most once, largest first");
        }
    }
    Ok(out)
}

/// Sums `parts` whose units must come from `units` (each `(unit, seconds)`), in that order.
fn sum(parts: &[Part<'_>], units: &[(char, i64)], clock: Clock) -> Result<(i64, u32), &'static str> {
    let (mut secs, mut nanos, mut next) = (0i64, 0u32, 0usize);
    let last = parts.len().saturating_sub(1);
    for (i, part) in parts.iter().enumerate() {
        let at = units.iter().skip(next).position(|(u, _)| *u == part.unit).ok_or(
            if units.iter().any(|(u, _)| *u == part.unit) {
                "units must come largest first, each at most once, e.g. \"1h30m\""
            } else {
                "unknown unit: the units are d, h, m and s (ISO 8601: D, then T and H, M, S)"
            },
        )?;
        let (unit, scale) = units.get(next + at).copied().ok_or("unknown unit")?;
        next += at + 1;
        let value: i64 = part.whole.parse().map_err(|_| "too large for a duration")?;
        secs = value.checked_mul(scale).and_then(|v| secs.checked_add(v)).ok_or("too large for a duration")?;
        if let Some(fraction) = part.fraction {
            if clock == Clock::Business {
                return Err("business time is whole seconds: no decimal point");
            }
            if !matches!(unit, 's' | 'S') || i != last {
                return Err("only the seconds, the last unit, may have a decimal point");
            }
            nanos = fraction_nanos(fraction)?;
        }
    }
    Ok((secs, nanos))
}

/// Up to nine decimal places as nanoseconds.
fn fraction_nanos(fraction: &str) -> Result<u32, &'static str> {
    const TOO_FINE: &str = "at most nine decimal places of a second (nanoseconds)";
    let len = u32::try_from(fraction.len()).map_err(|_| TOO_FINE)?;
    let scale = 9u32.checked_sub(len).and_then(|p| 10u32.checked_pow(p)).ok_or(TOO_FINE)?;
    fraction.parse::<u32>().ok().and_then(|f| f.checked_mul(scale)).ok_or(TOO_FINE)
}

fn time(secs: i64, nanos: u32) -> Result<TimeDelta, &'static str> {
    TimeDelta::new(secs, nanos).ok_or("too large for a duration (at most about 292 million years)")
}

/// `"1h30m"`, `"2d"`, `"1.5s"`.
fn compact_time(text: &str, clock: Clock) -> Result<TimeDelta, &'static str> {
    let parts = parts(text)?;
    if clock == Clock::Business && parts.iter().any(|p| p.unit == 'd') {
        return Err("a day of business time is ambiguous: write \"2 business days\" (working days), \
                    \"3 schedule days\" (24 working hours each) or hours, e.g. \"16h\"");
    }
    if parts.iter().any(|p| p.unit.is_ascii_uppercase()) {
        return Err("compact units are lowercase (d, h, m, s); ISO 8601 starts with P, e.g. \"PT4H\"");
    }
    let (secs, nanos) = sum(&parts, &[('d', DAY), ('h', 3_600), ('m', 60), ('s', 1)], clock)?;
    time(secs, nanos)
}

/// The text after `P`: `"T4H"`, `"2D"`, `"1DT12H"`.
fn iso_time(iso: &str, clock: Clock) -> Result<TimeDelta, &'static str> {
    const UNSUPPORTED: &str = "ISO 8601 years, months and weeks are not accepted (years and months have no \
                               fixed length): write days (P2D) or hours (PT4H)";
    let (date, clock_part) = match iso.split_once('T') {
        Some((date, "")) => {
            return Err(if date.is_empty() { "nothing after PT" } else { "nothing after T" });
        }
        Some((date, t)) => (date, Some(t)),
        None => (iso, None),
    };
    if date.is_empty() && clock_part.is_none() {
        return Err("nothing after P: write e.g. \"PT4H\" or \"P2D\"");
    }
    let date = parts(date)?;
    if date.iter().any(|p| matches!(p.unit, 'Y' | 'M' | 'W')) {
        return Err(UNSUPPORTED);
    }
    if date.iter().any(|p| matches!(p.unit, 'H' | 'S')) {
        return Err("ISO 8601 hours, minutes and seconds come after T, e.g. \"PT4H\"");
    }
    if clock == Clock::Business && !date.is_empty() {
        return Err("a day of business time is ambiguous: write \"2 business days\" (working days), \
                    \"3 schedule days\" (24 working hours each) or hours, e.g. \"PT16H\"");
    }
    let (day_secs, _) = sum(&date, &[('D', DAY)], clock)?;
    let (secs, nanos) = match clock_part {
        Some(t) => sum(&parts(t)?, &[('H', 3_600), ('M', 60), ('S', 1)], clock)?,
        None => (0, 0),
    };
    time(day_secs.checked_add(secs).ok_or("too large for a duration")?, nanos)
}

/// Writes `duration` in the canonical compact form (module docs); `with_days` writes whole days
/// as `d` (wall-clock time) instead of hours (business time). A negative duration, which the
/// grammar does not read, is written with a leading `-`.
pub(crate) fn write(f: &mut fmt::Formatter<'_>, duration: TimeDelta, with_days: bool) -> fmt::Result {
    if duration < TimeDelta::zero() {
        f.write_str("-")?;
    }
    let magnitude = duration.abs();
    let secs = magnitude.num_seconds().unsigned_abs();
    let nanos = magnitude.subsec_nanos().unsigned_abs();
    let (days, hours) = if with_days { (secs / 86_400, secs / 3_600 % 24) } else { (0, secs / 3_600) };
    let (minutes, seconds) = (secs / 60 % 60, secs % 60);
    if days != 0 {
        write!(f, "{days}d")?;
    }
    if hours != 0 {
        write!(f, "{hours}h")?;
    }
    if minutes != 0 {
        write!(f, "{minutes}m")?;
    }
    if nanos != 0 {
        let fraction = format!("{nanos:09}");
        write!(f, "{seconds}.{}s", fraction.trim_end_matches('0'))
    } else if seconds != 0 || secs == 0 {
        write!(f, "{seconds}s")
    } else {
        Ok(())
    }
}

/// Displays a wall-clock duration canonically (see [`write`]).
struct Canonical(TimeDelta);

impl fmt::Display for Canonical {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write(f, self.0, true)
    }
}

/// Parses a wall-clock duration: `"4h"`, `"90m"`, `"45s"`, `"1h30m"`, `"2d"`, `"1.5s"`, or
/// ISO 8601 `"PT4H"`, `"PT1H30M"`, `"P2D"` (a day is 24 hours).
///
/// This is the grammar of every wall-clock duration field of the crate's definitions on the
/// wire (a speed-to-lead target, a conversion window, ...), and the inverse of
/// [`format_duration`]. It is a function over `chrono::TimeDelta`, not a duration type of
/// its own, so the definitions keep taking and returning the `TimeDelta` callers compute with.
///
/// # Errors
/// [`ErrorKind::Negative`] for a negative duration; [`ErrorKind::InvalidValue`] naming the
/// text for anything else it does not accept: spaces, signs, unknown or repeated units, units
/// out of order, ISO years, months or weeks, business units (`"2 business days"` is business
/// time: see [`BusinessSpan`](crate::calendar::BusinessSpan)), more than nine decimal places,
/// or a value beyond `TimeDelta`'s range.
///
/// # Example
///
/// ```
/// use chrono::TimeDelta;
/// use revops::calendar::{format_duration, parse_duration};
///
/// assert_eq!(parse_duration("1h30m")?, TimeDelta::minutes(90));
/// assert_eq!(parse_duration("PT1H30M")?, TimeDelta::minutes(90));
/// assert_eq!(parse_duration("P2D")?, TimeDelta::hours(48));
/// assert_eq!(format_duration(parse_duration("90m")?), "1h30m"); // the canonical form
/// assert!(parse_duration("-4h").is_err());
/// assert!(parse_duration("2 business days").is_err()); // business time, not wall-clock
/// assert!(parse_duration("P1M").is_err()); // a month has no fixed length
/// # Ok::<(), revops::Error>(())
/// ```
pub fn parse_duration(text: &str) -> Result<TimeDelta, Error> {
    match parse(text, Clock::Wall)? {
        Parsed::Time(d) => Ok(d),
        // `parse` only gives day units for business time.
        Parsed::BusinessDays(_) | Parsed::ScheduleDays(_) => Err(ErrorKind::InvalidValue {
            field: "duration",
            value: quoted(text),
            reason: "business or schedule days are business time",
        }
        .into()),
    }
}

/// Writes a wall-clock duration in its one canonical form: compact, largest units first, zero
/// units left out (`"4h"`, `"1h30m"`, `"1d12h"`, `"1.5s"`, `"0s"`), so that
/// [`parse_duration`] gives the same value back. A negative duration (which no definition
/// holds) is written with a leading `-`, which [`parse_duration`] refuses.
///
/// # Example
///
/// ```
/// use chrono::TimeDelta;
/// use revops::calendar::format_duration;
///
/// assert_eq!(format_duration(TimeDelta::hours(4)), "4h");
/// assert_eq!(format_duration(TimeDelta::minutes(90)), "1h30m");
/// assert_eq!(format_duration(TimeDelta::hours(36)), "1d12h");
/// assert_eq!(format_duration(TimeDelta::milliseconds(1_500)), "1.5s");
/// assert_eq!(format_duration(TimeDelta::zero()), "0s");
/// ```
#[must_use]
pub fn format_duration(duration: TimeDelta) -> String {
    Canonical(duration).to_string()
}

/// `text`, cut to its first [`QUOTED_CHARS`] characters for an error message.
pub(crate) fn quoted(text: &str) -> String {
    match text.char_indices().nth(QUOTED_CHARS) {
        Some((cut, _)) => format!("{}...", text.get(..cut).unwrap_or(text)),
        None => text.to_owned(),
    }
}

/// The serde error for a duration that cannot be written back as text.
#[cfg(feature = "serde")]
fn negative<E: serde::ser::Error>(d: TimeDelta) -> E {
    E::custom(format!("duration {} is negative: the wire format has no negative durations", Canonical(d)))
}

/// Serde `with` module: a wall-clock `TimeDelta` as its canonical text (`"4h"`), read with
/// [`parse_duration`] from strings only.
#[cfg(feature = "serde")]
#[allow(clippy::trivially_copy_pass_by_ref)] // serde's `with` signature
pub(crate) fn serialize<S: serde::Serializer>(d: &TimeDelta, s: S) -> Result<S::Ok, S::Error> {
    if *d < TimeDelta::zero() {
        return Err(negative(*d));
    }
    s.collect_str(&Canonical(*d))
}

/// See [`serialize`].
#[cfg(feature = "serde")]
pub(crate) fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<TimeDelta, D::Error> {
    d.deserialize_str(Visitor)
}

#[cfg(feature = "serde")]
struct Visitor;

#[cfg(feature = "serde")]
impl serde::de::Visitor<'_> for Visitor {
    type Value = TimeDelta;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a duration as text, e.g. \"4h\", \"1h30m\", \"2d\" or \"PT4H\"")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<TimeDelta, E> {
        parse_duration(v).map_err(E::custom)
    }
}

/// Serde `with` module for an `Option<TimeDelta>`: `None` as none/null (pair it with
/// `#[serde(default, skip_serializing_if = "Option::is_none")]`), a value as in the parent.
#[cfg(feature = "serde")]
pub(crate) mod option {
    use core::fmt;

    use chrono::TimeDelta;
    use serde::{Deserializer, Serializer};

    #[allow(clippy::ref_option)] // serde's `with` signature
    pub(crate) fn serialize<S: Serializer>(d: &Option<TimeDelta>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) if *d < TimeDelta::zero() => Err(super::negative(*d)),
            Some(d) => s.serialize_some(&super::Canonical(*d).to_string()),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<TimeDelta>, D::Error> {
        d.deserialize_option(OptionVisitor)
    }

    struct OptionVisitor;

    impl<'de> serde::de::Visitor<'de> for OptionVisitor {
        type Value = Option<TimeDelta>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a duration as text, e.g. \"4h\", or nothing")
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Option<TimeDelta>, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Option<TimeDelta>, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<TimeDelta>, D::Error> {
            super::deserialize(d).map(Some)
        }
    }
}

#[cfg(test)]
mod tests;
