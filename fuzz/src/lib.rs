//! Shared generators for the revops fuzz targets: instants biased towards the boundaries the
//! crate documents (chrono's range ends, the i64-nanosecond range ends, DST transitions),
//! decimals biased towards 28/29-digit and i64 extremes, and small structured calendars.
//!
//! Not part of the revops crate: this is the `fuzz/` crate's library, used by `fuzz_targets/`.

pub mod defs;
pub mod known;

use arbitrary::{Arbitrary, Unstructured};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc, Weekday};
use revops::calendar::{BusinessCalendar, BusinessSpan, CalendarException, WorkingWindow};
use rust_decimal::Decimal;

/// Interesting instants as (seconds since the epoch, nanoseconds).
pub const BASES: &[(i64, u32)] = &[
    (0, 0),                        // 1970-01-01
    (i64::MIN, 0),                 // chrono's MIN_UTC (see `base`)
    (i64::MAX, 0),                 // chrono's MAX_UTC (see `base`)
    (-9_223_372_037, 145_224_192), // i64::MIN nanoseconds (1677-09-21T00:12:43.145224192)
    (9_223_372_036, 854_775_807),  // i64::MAX nanoseconds (2262-04-11T23:47:16.854775807)
    (-9_214_560_000, 0),           // 1678-01-01
    (9_214_646_399, 0),            // 2261-12-31T23:59:59
    (-8_520_336_000, 0),           // 1700-01-01
    (7_258_118_400, 0),            // 2200-01-01
    (946_684_800, 0),              // 2000-01-01
    (1_710_054_000, 0),            // 2024-03-10T07:00Z New York spring forward
    (1_730_613_600, 0),            // 2024-11-03T06:00Z New York fall back
    (1_711_846_800, 0),            // 2024-03-31T01:00Z London spring forward
    (1_729_990_800, 0),            // 2024-10-27T01:00Z London fall back
    (1_712_415_600, 0),            // 2024-04-06T15:00Z Lord Howe fall back (30 min)
    (1_728_142_200, 0),            // 2024-10-05T15:30Z Lord Howe spring forward
    (1_712_412_000, 0),            // 2024-04-06T14:00Z Chatham fall back
    (1_719_792_000, 0),            // 2024-07-01 (a Monday)
    (1_709_251_200, 0),            // 2024-03-01 (leap year February end)
    (951_782_400, 0),              // 2000-02-29
    (-2_208_988_800, 0),           // 1900-01-01
    (4_102_444_800, 0),            // 2100-01-01
];

/// Zones with unusual offsets and DST rules (gaps, overlaps, 30-minute and negative DST).
pub const ZONES: &[&str] = &[
    "UTC",
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Asia/Kathmandu",
    "America/Sao_Paulo",
    "Africa/Casablanca",
    "Pacific/Apia",
    "America/St_Johns",
    "Asia/Tehran",
    "Europe/Dublin",
    "Antarctica/Troll",
    "Pacific/Kiritimati",
    "UTC-12:00", // an explicit fixed offset (`Etc/GMT+12` is refused: not a location)
    "Not/AZone",
];

/// An instant, mostly near one of [`BASES`].
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Instant {
    /// `BASES[base] + seconds + nanos`.
    Near {
        /// Index into [`BASES`] (modulo).
        base: u8,
        /// Offset in seconds.
        seconds: i32,
        /// Sub-second part (most often zero).
        sub: SubSecond,
    },
    /// Any representable instant.
    Raw {
        /// Seconds since the epoch.
        seconds: i64,
        /// Nanoseconds.
        nanos: u32,
    },
}

/// A sub-second part.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum SubSecond {
    /// Whole seconds.
    Zero,
    /// Milliseconds.
    Millis(u16),
    /// Any nanoseconds.
    Nanos(u32),
}

impl Instant {
    /// The instant, or `None` if chrono cannot represent it.
    #[must_use]
    pub fn to_utc(self) -> Option<DateTime<Utc>> {
        match self {
            Instant::Near { base, seconds, sub } => {
                let extra = match sub {
                    SubSecond::Zero => 0,
                    SubSecond::Millis(m) => i64::from(m % 1000) * 1_000_000,
                    SubSecond::Nanos(n) => i64::from(n % 1_000_000_000),
                };
                base_instant(base)?
                    .checked_add_signed(TimeDelta::try_seconds(i64::from(seconds))?)?
                    .checked_add_signed(TimeDelta::nanoseconds(extra))
            }
            Instant::Raw { seconds, nanos } => DateTime::from_timestamp(seconds, nanos % 1_000_000_000),
        }
    }
}

/// A decimal biased towards boundary values: 28- and 29-digit mantissas, i64 extremes, scales
/// 0 to 28.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Dec {
    /// A small value with a small scale.
    Small(i32, u8),
    /// An i64 mantissa with any scale.
    Wide(i64, u8),
    /// A 96-bit mantissa with any scale.
    Full(i128, u8),
    /// A named boundary.
    Edge(u8),
}

impl Dec {
    /// The decimal.
    #[must_use]
    pub fn value(self) -> Decimal {
        match self {
            Dec::Small(m, s) => Decimal::new(i64::from(m), u32::from(s % 5)),
            Dec::Wide(m, s) => Decimal::new(m, u32::from(s % 29)),
            Dec::Full(m, s) => {
                let m = m % (1i128 << 96);
                Decimal::try_from_i128_with_scale(m, u32::from(s % 29)).unwrap_or_default()
            }
            Dec::Edge(i) => {
                const EDGES: [Decimal; 10] = [
                    Decimal::MAX,
                    Decimal::MIN,
                    Decimal::ZERO,
                    Decimal::ONE,
                    Decimal::NEGATIVE_ONE,
                    Decimal::ONE_HUNDRED,
                    Decimal::from_parts(1, 0, 0, false, 28),
                    Decimal::from_parts(u32::MAX, u32::MAX, u32::MAX, false, 28),
                    Decimal::from_parts(u32::MAX, u32::MAX, 0, false, 0),
                    Decimal::from_parts(0, 0, 1, true, 2),
                ];
                EDGES[usize::from(i) % EDGES.len()]
            }
        }
    }
}

/// A business span.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Span {
    /// Whole seconds of working time.
    Seconds(u32),
    /// Any duration (may be refused).
    Raw(i64, u32),
    /// Minutes.
    Minutes(u16),
    /// Hours.
    Hours(u16),
    /// `n x 24` hours.
    ScheduleDays(u8),
    /// Working days.
    BusinessDays(u8),
    /// Huge values.
    Huge(u32, u8),
}

impl Span {
    /// The span, or `None` if `BusinessSpan::time` refuses it.
    #[must_use]
    pub fn to_span(self) -> Option<BusinessSpan> {
        Some(match self {
            Span::Seconds(s) => BusinessSpan::time(TimeDelta::try_seconds(i64::from(s))?).ok()?,
            Span::Raw(s, n) => BusinessSpan::time(TimeDelta::new(s, n % 1_000_000_000)?).ok()?,
            Span::Minutes(m) => BusinessSpan::minutes(u32::from(m)),
            Span::Hours(h) => BusinessSpan::hours(u32::from(h)),
            Span::ScheduleDays(d) => BusinessSpan::schedule_days(u32::from(d)),
            Span::BusinessDays(d) => BusinessSpan::business_days(u32::from(d)),
            Span::Huge(v, k) => match k % 3 {
                0 => BusinessSpan::hours(v),
                1 => BusinessSpan::schedule_days(v),
                _ => BusinessSpan::business_days(v),
            },
        })
    }
}

/// A calendar specification: a zone, up to 12 windows, 8 holidays and 6 exceptions.
#[derive(Debug, Clone)]
pub struct CalendarSpec {
    /// Index into [`ZONES`].
    pub zone: u8,
    /// (weekday, start hour, start minute, end hour, end minute).
    pub windows: Vec<(u8, u8, u8, u8, u8)>,
    /// (base index, day offset).
    pub holidays: Vec<(u8, i16)>,
    /// (start, end, closed).
    pub exceptions: Vec<(Instant, Instant, bool)>,
}

impl<'a> Arbitrary<'a> for CalendarSpec {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let zone = u.arbitrary()?;
        let n = u.int_in_range(0..=12)?;
        let windows = (0..n).map(|_| u.arbitrary()).collect::<arbitrary::Result<_>>()?;
        let n = u.int_in_range(0..=8)?;
        let holidays = (0..n).map(|_| u.arbitrary()).collect::<arbitrary::Result<_>>()?;
        let n = u.int_in_range(0..=6)?;
        let exceptions = (0..n).map(|_| u.arbitrary()).collect::<arbitrary::Result<_>>()?;
        Ok(CalendarSpec { zone, windows, holidays, exceptions })
    }
}

const DAYS: [Weekday; 7] =
    [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];

impl CalendarSpec {
    /// The calendar, or `None` if the builder refuses the specification (a typed error).
    #[must_use]
    pub fn build(&self) -> Option<BusinessCalendar> {
        let mut b = BusinessCalendar::builder(ZONES[usize::from(self.zone) % ZONES.len()]);
        for &(day, sh, sm, eh, em) in &self.windows {
            // Mostly valid windows, sometimes out-of-range fields (refused with an error).
            let w = WorkingWindow::new(sh % 26, sm % 61, eh % 26, em % 61).ok()?;
            b = b.window(DAYS[usize::from(day) % 7], w);
        }
        for &(base, days) in &self.holidays {
            b = b.holiday(date_near(base, days)?);
        }
        for &(start, end, closed) in &self.exceptions {
            let (s, e) = (start.to_utc()?, end.to_utc()?);
            let ex = if closed { CalendarException::closed(s, e) } else { CalendarException::open(s, e) };
            b = b.exception(ex.ok()?);
        }
        b.build().ok()
    }
}

/// A local date near one of [`BASES`].
#[must_use]
pub fn date_near(base: u8, days: i16) -> Option<NaiveDate> {
    base_instant(base)?.date_naive().checked_add_signed(TimeDelta::try_days(i64::from(days))?)
}

/// `BASES[base]` (modulo its length) as an instant; the `i64::MIN` / `i64::MAX` rows are
/// chrono's `MIN_UTC` / `MAX_UTC`.
#[must_use]
pub fn base_instant(base: u8) -> Option<DateTime<Utc>> {
    match BASES[usize::from(base) % BASES.len()] {
        (i64::MIN, _) => Some(DateTime::<Utc>::MIN_UTC),
        (i64::MAX, _) => Some(DateTime::<Utc>::MAX_UTC),
        (s, n) => DateTime::from_timestamp(s, n),
    }
}
