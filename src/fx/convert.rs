//! What a conversion used: [`Leg`], [`Applied`], and the converted value [`Converted`].

use chrono::NaiveDate;

use super::Rate;
use crate::Money;

/// One stored rate as a conversion applied it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum Leg {
    /// Multiplied by the rate (converting its `from` into its `to`).
    Direct(Rate),
    /// Divided by the rate (converting its `to` into its `from`).
    Inverse(Rate),
}

impl Leg {
    /// The stored rate.
    #[must_use]
    pub const fn rate(&self) -> Rate {
        match self {
            Leg::Direct(r) | Leg::Inverse(r) => *r,
        }
    }
}

/// The rates a conversion applied: none (same currency), one, or two through the corporate
/// currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum Applied {
    /// Already in the target currency: no rate.
    Same,
    /// One stored rate.
    One(Leg),
    /// Into the corporate currency, then out of it, at the same date.
    Cross(Leg, Leg),
}

impl Applied {
    /// The stored rates applied, in order.
    pub fn rates(&self) -> impl Iterator<Item = Rate> {
        let (a, b) = match self {
            Applied::Same => (None, None),
            Applied::One(l) => (Some(l.rate()), None),
            Applied::Cross(l, m) => (Some(l.rate()), Some(m.rate())),
        };
        a.into_iter().chain(b)
    }
}

/// Money converted by a [`RateTable`](super::RateTable): the value in the target currency
/// (rounded once to its minor unit), the date whose rates applied, and which rates they were.
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use revops::fx::{Applied, Leg, Rate, RateTable, Rounding};
/// use revops::{Currency, Money};
/// use rust_decimal_macros::dec;
///
/// let day = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap_or_default();
/// let rate = Rate::new(Currency::USD, Currency::BHD, dec!(0.376), day)?;
/// let table = RateTable::new(None, Rounding::HalfAwayFromZero, [rate])?;
/// let c = table.convert(Money::new(dec!(10.01), Currency::USD), Currency::BHD, day)?;
/// assert_eq!(c.money().to_string(), "3.764 BHD"); // 3.76376, three decimals
/// assert_eq!(c.applied(), Applied::One(Leg::Direct(rate)));
/// assert_eq!(c.date(), day);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Converted {
    pub(super) source: Money,
    pub(super) money: Money,
    pub(super) date: NaiveDate,
    pub(super) applied: Applied,
}

impl Converted {
    /// The money converted, as it was.
    #[must_use]
    pub const fn source(&self) -> Money {
        self.source
    }

    /// The value in the target currency.
    #[must_use]
    pub const fn money(&self) -> Money {
        self.money
    }

    /// The date whose rates applied.
    #[must_use]
    pub const fn date(&self) -> NaiveDate {
        self.date
    }

    /// The rates applied.
    #[must_use]
    pub const fn applied(&self) -> Applied {
        self.applied
    }

    /// The stored rates applied, in order.
    pub fn rates(&self) -> impl Iterator<Item = Rate> {
        self.applied.rates()
    }
}

impl core::fmt::Display for Converted {
    /// `1000.00 EUR = 1100.00 USD at 1 EUR = 1.1 USD from 2024-02-01`, or `1100.00 USD` alone
    /// when no rate applied.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if !matches!(self.applied, Applied::Same) {
            write!(f, "{} = ", self.source)?;
        }
        write!(f, "{}", self.money)?;
        let mut first = true;
        for r in self.rates() {
            f.write_str(if first { " at " } else { ", " })?;
            first = false;
            write!(f, "{r}")?;
        }
        Ok(())
    }
}
