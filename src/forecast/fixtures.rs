//! Test fixtures shared by the forecast tallies' unit tests: 2024 instants, dollar amounts and
//! the first quarter.

use chrono::{DateTime, TimeZone, Utc};

use crate::{Currency, Money, Period};

/// Midnight UTC of 2024-`m`-`d`.
pub(super) fn t(m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, m, d, 0, 0, 0).unwrap()
}

/// Whole dollars.
pub(super) fn usd(dollars: i64) -> Money {
    Money::from_minor(dollars * 100, Currency::USD)
}

/// Q1 2024, `[Jan 1, Apr 1)` UTC.
pub(super) fn q1() -> Period {
    Period::new(t(1, 1), t(4, 1)).unwrap()
}
