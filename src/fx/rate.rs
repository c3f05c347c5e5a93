//! [`Rate`]: one stored exchange rate, with its direction and the day it takes effect.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::{Currency, Error, ErrorKind};

/// One stored exchange rate: one unit of `from` is `rate` units of `to`, from `valid_from` on
/// (until the next rate of the same pair takes effect).
///
/// The direction is the caller's, never guessed ([section 12](crate::definitions::currency)):
/// Salesforce stores "units of the currency per corporate unit" (`1 USD = 1.39 AUD` is
/// `from = USD, to = AUD, rate = 1.39`), `HubSpot` stores "from the additional currency to the
/// company currency" (`from = EUR, to = USD`). A conversion the other way divides by the stored
/// rate (the inverse is `1 / rate` of the stored value, never a rounded inverse).
///
/// Rules: `rate > 0`; `from != to`. On the wire (feature `serde`):
/// `{"from": "USD", "to": "AUD", "rate": "1.39", "valid_from": "2024-01-01"}` (the rate a
/// decimal string, the date ISO 8601), validated when read.
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use revops::Currency;
/// use revops::fx::Rate;
/// use rust_decimal_macros::dec;
///
/// let jan = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
/// let aud = Rate::new(Currency::USD, Currency::AUD, dec!(1.39), jan)?;
/// assert_eq!((aud.from(), aud.to(), aud.rate()), (Currency::USD, Currency::AUD, dec!(1.39)));
/// assert_eq!(aud.to_string(), "1 USD = 1.39 AUD from 2024-01-01");
/// assert!(Rate::new(Currency::USD, Currency::AUD, dec!(0), jan).is_err());
/// assert!(Rate::new(Currency::USD, Currency::USD, dec!(1), jan).is_err());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "wire::RateWire", into = "wire::RateWire")
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[allow(clippy::struct_field_names)] // `rate` is the domain's name for the number
pub struct Rate {
    pub(super) from: Currency,
    pub(super) to: Currency,
    pub(super) valid_from: NaiveDate,
    pub(super) rate: Decimal,
}

impl Rate {
    /// One unit of `from` is `rate` units of `to` from `valid_from` on.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] (field `"currency rate"`) unless `rate > 0`, or (field
    /// `"currency rate pair"`) if `from == to`.
    pub fn new(from: Currency, to: Currency, rate: Decimal, valid_from: NaiveDate) -> Result<Rate, Error> {
        if rate <= Decimal::ZERO {
            return Err(ErrorKind::InvalidValue {
                field: "currency rate",
                value: format!("{rate} ({from} to {to} from {valid_from})"),
                reason: "must be greater than zero",
            }
            .into());
        }
        if from == to {
            return Err(ErrorKind::InvalidValue {
                field: "currency rate pair",
                value: format!("{from} to {to}"),
                reason: "must convert between two different currencies",
            }
            .into());
        }
        Ok(Rate { from, to, valid_from, rate: rate.normalize() })
    }

    /// The currency one unit of which the rate prices.
    #[must_use]
    pub const fn from(&self) -> Currency {
        self.from
    }

    /// The currency the rate is in.
    #[must_use]
    pub const fn to(&self) -> Currency {
        self.to
    }

    /// Units of `to` per unit of `from`, as stored.
    #[must_use]
    pub const fn rate(&self) -> Decimal {
        self.rate
    }

    /// The first day the rate applies.
    #[must_use]
    pub const fn valid_from(&self) -> NaiveDate {
        self.valid_from
    }
}

impl core::fmt::Display for Rate {
    /// `1 USD = 1.39 AUD from 2024-01-01`.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "1 {} = {} {} from {}", self.from, self.rate, self.to, self.valid_from)
    }
}

#[cfg(feature = "serde")]
mod wire {
    use chrono::NaiveDate;
    use rust_decimal::Decimal;
    use serde::{Deserialize, Serialize};

    use super::Rate;
    use crate::{Currency, Error};

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub(super) struct RateWire {
        /// One unit of this currency...
        from: Currency,
        /// ...is `rate` units of this one.
        to: Currency,
        /// Units of `to` per unit of `from`, a decimal string greater than zero.
        #[serde(with = "crate::money::exact::str")]
        #[cfg_attr(feature = "schema", schemars(with = "crate::wire::schema::Decimal"))]
        rate: Decimal,
        /// The first day the rate applies (ISO 8601 date).
        #[cfg_attr(feature = "schema", schemars(with = "crate::wire::schema::Date"))]
        valid_from: NaiveDate,
    }

    impl TryFrom<RateWire> for Rate {
        type Error = Error;
        fn try_from(w: RateWire) -> Result<Rate, Error> {
            Rate::new(w.from, w.to, w.rate, w.valid_from)
        }
    }

    impl From<Rate> for RateWire {
        fn from(r: Rate) -> RateWire {
            RateWire { from: r.from, to: r.to, rate: r.rate, valid_from: r.valid_from }
        }
    }
}
