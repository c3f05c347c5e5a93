//! [`RateTable`]: the caller's rates, validated, and the lookup by date.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};

use super::{Applied, Converted, Leg, Rate};
use crate::{Currency, Error, ErrorKind, Money};

/// How a converted amount is rounded to the target currency's minor unit (once per record).
///
/// On the wire: `"half_away_from_zero"` (the default, as Salesforce and `HubSpot` display
/// amounts) or `"half_even"` (banker's rounding).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Rounding {
    /// Half a minor unit rounds away from zero (`0.125` USD is `0.13`, `-0.125` is `-0.13`).
    #[default]
    HalfAwayFromZero,
    /// Half a minor unit rounds to the even neighbour (`0.125` USD is `0.12`, `0.135` is `0.14`).
    HalfEven,
}

impl Rounding {
    const fn strategy(self) -> RoundingStrategy {
        match self {
            Rounding::HalfAwayFromZero => RoundingStrategy::MidpointAwayFromZero,
            Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
        }
    }
}

/// The caller's exchange rates, given as data: dated [`Rate`]s, optionally all against one
/// corporate currency (a definition type; [section 12](crate::definitions::currency)).
///
/// - **Dated rates** (Salesforce advanced currency management, `HubSpot`'s `effectiveAt`): a
///   conversion on a date uses, for its pair, the rate with the greatest `valid_from` on or
///   before that date; a date before the pair's first rate is [`ErrorKind::NoRate`].
/// - **One corporate rate per period** (Salesforce standard currency management, a finance
///   team's monthly or quarterly rate): set `corporate`. Every rate must then be between the
///   corporate currency and another one; a conversion between two other currencies goes through
///   the corporate currency (both rates at the same date, multiplied exactly, rounded once). A
///   single rate per currency with an early `valid_from` is Salesforce's static rate; one per
///   month is a monthly corporate rate.
///
/// A pair is converted by its stored rate (multiply) or, the other way, by the stored rate of
/// the reverse pair (divide by it: the inverse is never rounded). Rates are never chained
/// except through `corporate`, and a direction is never guessed: a table storing both
/// `EUR -> USD` and `USD -> EUR` is refused.
///
/// Rules: no two rates of one pair on the same `valid_from` ([`ErrorKind::DuplicateKey`], kind
/// `"currency rate"`); one direction per pair ([`ErrorKind::InvalidValue`], field
/// `"currency rate direction"`); with `corporate`, every rate touches it
/// ([`ErrorKind::InvalidValue`], field `"corporate currency rate"`).
///
/// On the wire (feature `serde`), validated when read:
///
/// ```json
/// { "corporate": "USD", "rounding": "half_even",
///   "rates": [{"from": "USD", "to": "AUD", "rate": "1.39", "valid_from": "2024-01-01"}] }
/// ```
///
/// `corporate` is optional (none: dated pairs only), `rounding` defaults to
/// `"half_away_from_zero"`, `rates` to empty. Rates are written sorted by pair and date.
///
/// # Example
///
/// Salesforce's own example, `1 USD = 1.39 AUD` with USD corporate:
///
/// ```
/// use chrono::NaiveDate;
/// use revops::fx::{Rate, RateTable, Rounding};
/// use revops::{Currency, ErrorKind, Money};
/// use rust_decimal_macros::dec;
///
/// let day = |m, d| NaiveDate::from_ymd_opt(2024, m, d).unwrap_or_default();
/// let table = RateTable::new(
///     Some(Currency::USD),
///     Rounding::HalfAwayFromZero,
///     [
///         Rate::new(Currency::USD, Currency::AUD, dec!(1.39), day(1, 1))?,
///         Rate::new(Currency::USD, Currency::JPY, dec!(150), day(1, 1))?,
///     ],
/// )?;
/// // 1,390 AUD is 1,000 USD (corporate = amount / rate)...
/// let usd = table.convert(Money::new(dec!(1390), Currency::AUD), Currency::USD, day(3, 1))?;
/// assert_eq!(usd.money().to_string(), "1000.00 USD");
/// // ...and AUD to JPY goes through USD: 100 / 1.39 * 150 = 10,791.37 -> 10,791 JPY.
/// let jpy = table.convert(Money::new(dec!(100), Currency::AUD), Currency::JPY, day(3, 1))?;
/// assert_eq!(jpy.money().to_string(), "10791 JPY");
/// assert_eq!(jpy.rates().count(), 2); // it names both rates it used
/// // Before the first rate: a typed error naming the currencies and the date.
/// let err = table.convert(Money::new(dec!(1), Currency::AUD), Currency::USD, day(1, 1).pred_opt().unwrap_or_default()).unwrap_err();
/// assert!(matches!(err.kind(), ErrorKind::NoRate { from: Currency::AUD, to: Currency::USD, first: Some(_), .. }));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "super::wire::RateTableWire", into = "super::wire::RateTableWire")
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RateTable {
    corporate: Option<Currency>,
    rounding: Rounding,
    /// Per stored pair `(from, to)`, its rates sorted by `valid_from` (distinct).
    pairs: BTreeMap<(Currency, Currency), Vec<(NaiveDate, Decimal)>>,
}

impl Default for RateTable {
    /// No rates: converts a currency into itself only.
    fn default() -> RateTable {
        RateTable { corporate: None, rounding: Rounding::default(), pairs: BTreeMap::new() }
    }
}

impl RateTable {
    /// Validates and builds the table (rules: [`RateTable`]).
    ///
    /// # Errors
    /// [`ErrorKind::DuplicateKey`] (kind `"currency rate"`) naming a pair and date given twice;
    /// [`ErrorKind::InvalidValue`] for a pair stored in both directions (field `"currency rate
    /// direction"`) or, with `corporate`, a rate between two other currencies (field
    /// `"corporate currency rate"`).
    pub fn new(
        corporate: Option<Currency>,
        rounding: Rounding,
        rates: impl IntoIterator<Item = Rate>,
    ) -> Result<RateTable, Error> {
        let mut pairs: BTreeMap<(Currency, Currency), Vec<(NaiveDate, Decimal)>> = BTreeMap::new();
        for r in rates {
            if let Some(c) = corporate
                && r.from() != c
                && r.to() != c
            {
                return Err(ErrorKind::InvalidValue {
                    field: "corporate currency rate",
                    value: r.to_string(),
                    reason: "every rate must be between the corporate currency and another currency",
                }
                .into());
            }
            if pairs.contains_key(&(r.to(), r.from())) {
                return Err(ErrorKind::InvalidValue {
                    field: "currency rate direction",
                    value: format!("{} to {} and {} to {}", r.from(), r.to(), r.to(), r.from()),
                    reason: "store a pair in one direction only (the other way divides by it)",
                }
                .into());
            }
            pairs.entry((r.from(), r.to())).or_default().push((r.valid_from(), r.rate()));
        }
        for ((from, to), dated) in &mut pairs {
            dated.sort_by_key(|&(d, _)| d);
            if let Some(w) = dated.windows(2).find(|w| w.first().map(|a| a.0) == w.get(1).map(|b| b.0)) {
                let day = w.first().map(|a| a.0).unwrap_or_default();
                return Err(ErrorKind::DuplicateKey {
                    kind: "currency rate",
                    key: format!("{from} to {to} from {day}"),
                }
                .into());
            }
        }
        Ok(RateTable { corporate, rounding, pairs })
    }

    /// The corporate currency, if rates are all against one.
    #[must_use]
    pub const fn corporate(&self) -> Option<Currency> {
        self.corporate
    }

    /// How converted amounts are rounded.
    #[must_use]
    pub const fn rounding(&self) -> Rounding {
        self.rounding
    }

    /// The same table with another rounding rule.
    #[must_use]
    pub const fn with_rounding(mut self, rounding: Rounding) -> RateTable {
        self.rounding = rounding;
        self
    }

    /// Every stored rate, sorted by pair and date.
    pub fn rates(&self) -> impl Iterator<Item = Rate> + '_ {
        self.pairs.iter().flat_map(|(&(from, to), dated)| {
            dated.iter().map(move |&(valid_from, rate)| Rate { from, to, valid_from, rate })
        })
    }

    /// The stored rate that converts `from` into `to` on `date`, directly or the other way.
    fn leg(&self, from: Currency, to: Currency, date: NaiveDate) -> Result<Leg, Error> {
        let (dated, inverse, key) = if let Some(d) = self.pairs.get(&(from, to)) {
            (d, false, (from, to))
        } else if let Some(d) = self.pairs.get(&(to, from)) {
            (d, true, (to, from))
        } else {
            return Err(ErrorKind::NoRate { from, to, date, first: None }.into());
        };
        let i = dated.partition_point(|&(d, _)| d <= date);
        let Some(&(valid_from, rate)) = i.checked_sub(1).and_then(|i| dated.get(i)) else {
            return Err(ErrorKind::NoRate { from, to, date, first: dated.first().map(|&(d, _)| d) }.into());
        };
        let rate = Rate { from: key.0, to: key.1, valid_from, rate };
        Ok(if inverse { Leg::Inverse(rate) } else { Leg::Direct(rate) })
    }

    /// The rates that convert `from` into `to` on `date` (none when they are the same).
    ///
    /// # Errors
    /// [`ErrorKind::NoRate`] naming the pair (with `corporate`, the leg) and the date.
    pub fn applied(&self, from: Currency, to: Currency, date: NaiveDate) -> Result<Applied, Error> {
        if from == to {
            return Ok(Applied::Same);
        }
        match self.corporate {
            Some(c) if from != c && to != c => Ok(Applied::Cross(self.leg(from, c, date)?, self.leg(c, to, date)?)),
            _ => self.leg(from, to, date).map(Applied::One),
        }
    }

    /// `money` in `to` at the rates of `date`: multiplied exactly by the stored rate (divided,
    /// the other way), rounded once to `to`'s minor unit by the table's [`Rounding`], with the
    /// rates it used. Money already in `to` is returned as it is, with no rate.
    ///
    /// # Errors
    /// [`ErrorKind::NoRate`] naming the currencies and the date; [`ErrorKind::Overflow`] if the
    /// product leaves `Decimal`'s range.
    pub fn convert(&self, money: Money, to: Currency, date: NaiveDate) -> Result<Converted, Error> {
        let applied = self.applied(money.currency(), to, date)?;
        let converted = self.apply(money, to, &applied)?;
        Ok(Converted { source: money, money: converted, date, applied })
    }

    /// `money` in `to` through `applied` (rates already looked up).
    pub(super) fn apply(&self, money: Money, to: Currency, applied: &Applied) -> Result<Money, Error> {
        let overflow = || Error::from(ErrorKind::Overflow { op: "currency conversion" });
        let amount = money.amount();
        let exact = match applied {
            Applied::Same => return Ok(money),
            Applied::One(Leg::Direct(r)) => amount.checked_mul(r.rate()),
            Applied::One(Leg::Inverse(r)) => amount.checked_div(r.rate()),
            Applied::Cross(a, b) => {
                // One division at most, last: the numerator and denominator are exact products.
                let (mut num, mut den) = (amount, Decimal::ONE);
                for leg in [a, b] {
                    match leg {
                        Leg::Direct(r) => num = num.checked_mul(r.rate()).ok_or_else(overflow)?,
                        Leg::Inverse(r) => den = den.checked_mul(r.rate()).ok_or_else(overflow)?,
                    }
                }
                num.checked_div(den)
            }
        }
        .ok_or_else(overflow)?;
        let exponent = u32::from(to.exponent());
        let mut rounded = exact.round_dp_with_strategy(exponent, self.rounding.strategy());
        rounded.rescale(exponent); // pads zeros only: the scale is at most `exponent` now
        Ok(Money::new(rounded, to))
    }
}
