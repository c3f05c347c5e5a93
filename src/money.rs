//! Exact money: [`Currency`], [`Money`] and allocation that conserves every minor unit.
//!
//! - [`Money`] is a `Decimal` amount with its [`Currency`]. Arithmetic is checked and named
//!   (`checked_add`, `checked_sub`, `checked_mul`): mixing currencies is
//!   [`ErrorKind::CurrencyMismatch`], leaving `Decimal`'s range is [`ErrorKind::Overflow`]; there are no
//!   operators that could panic, no `From<f64>`, and no ordering across currencies.
//! - [`Money::allocate`] splits an amount over non-negative weights in the currency's minor
//!   units by the largest-remainder method, ties to the earlier position: the parts always sum
//!   exactly to the amount. [`allocate_minor`] and [`MinorAllocator`] are the same allocation on
//!   integer minor units, for hot loops.
//!
//! An amount may carry more decimals than its currency's minor unit (a cost per click of
//! $0.0045 is real money); only operations that must land on minor units, such as allocation
//! and [`Money::to_minor`], reject that with [`ErrorKind::ExcessPrecision`].
//!
//! On the wire (feature `serde`) money is `{"amount": "1234.50", "currency": "USD"}`: the
//! amount is always a JSON string, pinned per field, so a `serde-float` feature that another
//! crate turns on for `rust_decimal` cannot change it, and a JSON number is refused.

mod allocate;
mod currency;
pub(crate) mod exact;
mod wide;

use core::fmt;

use rust_decimal::{Decimal, RoundingStrategy};

pub use self::allocate::{MinorAllocator, allocate_minor};
pub(crate) use self::allocate::{bump_largest, split_minor};
pub use self::currency::Currency;
use crate::{Error, ErrorKind};

/// An exact amount of money in one currency.
///
/// # Example
///
/// ```
/// use revops::{Currency, Money};
/// use rust_decimal_macros::dec;
///
/// let a = Money::new(dec!(1200.50), Currency::USD);
/// let b = Money::from_minor(4_950, Currency::USD);
/// assert_eq!((b.amount(), b.currency()), (dec!(49.50), Currency::USD));
/// assert_eq!(a.checked_add(b)?.to_string(), "1250.00 USD");
/// assert!(a.checked_add(Money::new(dec!(1), Currency::EUR)).is_err());
/// assert!(a.checked_sub(a)?.is_zero());
/// assert!(b.checked_sub(a)?.is_negative());
/// assert!(Money::zero(Currency::JPY).is_zero());
/// # Ok::<(), revops::Error>(())
/// ```
///
/// Mixing money with a bare float does not compile:
///
/// ```compile_fail
/// use revops::{Currency, Money};
/// let m = Money::new(rust_decimal::Decimal::ONE, Currency::USD);
/// let _ = m.checked_add(1.5_f64);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Money {
    /// The amount, an exact decimal.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    #[cfg_attr(feature = "schema", schemars(with = "crate::wire::schema::Decimal"))]
    amount: Decimal,
    /// Its currency.
    currency: Currency,
}

impl Money {
    /// `amount` in `currency`. Any decimal is a valid amount; see the module docs.
    ///
    /// Use [`Money::try_exact`] or [`Money::parse_exact`] for amounts read from data, where
    /// more decimals than the currency has are a mistake.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::{Currency, Money};
    /// use rust_decimal_macros::dec;
    ///
    /// // A cost per click of $0.0045 is real money: kept exactly...
    /// let cpc = Money::new(dec!(0.0045), Currency::USD);
    /// assert_eq!(cpc.to_string(), "0.0045 USD");
    /// // ...and 10,000 clicks of it land on whole cents.
    /// assert_eq!(cpc.checked_mul(dec!(10000))?.to_minor()?, 45_00);
    /// // Only what must be whole minor units refuses it.
    /// assert!(cpc.to_minor().is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub const fn new(amount: Decimal, currency: Currency) -> Money {
        Money { amount, currency }
    }

    /// `amount` in `currency`, refusing an amount with more decimals than the currency's minor
    /// unit (trailing zeros do not count): the checked constructor for amounts from data, where
    /// `$12.345` is a typo or a unit mix-up, not a price. The amount keeps its decimals up to
    /// the currency's (`12.3` USD is `12.30 USD`).
    ///
    /// # Errors
    /// [`ErrorKind::ExcessPrecision`] naming the amount if it has more decimals than `currency`
    /// allows.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::{Currency, Error, ErrorKind, Money};
    /// use rust_decimal_macros::dec;
    ///
    /// assert_eq!(Money::try_exact(dec!(12.340), Currency::USD)?.to_string(), "12.34 USD");
    /// assert!(matches!(Money::try_exact(dec!(12.345), Currency::USD).as_ref().map_err(|e| e.kind()), Err(ErrorKind::ExcessPrecision { .. })));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn try_exact(amount: Decimal, currency: Currency) -> Result<Money, Error> {
        let exponent = u32::from(currency.exponent());
        if amount.normalize().scale() > exponent {
            return Err(ErrorKind::ExcessPrecision { amount, currency, max_decimals: currency.exponent() }.into());
        }
        // Rescaling up to the exponent only adds zeros (as many as the mantissa holds).
        let mut amount = amount.normalize();
        amount.rescale(exponent);
        Ok(Money { amount, currency })
    }

    /// Reads an amount in `currency` from text (`"1234.50"`, as in a CSV export or a CRM API),
    /// exactly: the checked constructor for money from text data. Text with more decimals than
    /// the currency allows is refused, never rounded, and so is text that `Decimal` cannot hold
    /// exactly (more than 28 to 29 significant digits).
    ///
    /// The grammar is an optional sign, digits with an optional `.`, and an optional exponent
    /// (`"12.5"`, `"-0.75"`, `"1.2e3"`); no whitespace, thousands separators or currency signs.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidDecimal`] naming the text if it is not a decimal number or not exact in
    /// `Decimal`; [`ErrorKind::ExcessPrecision`] naming the amount if it has more decimals than
    /// `currency` allows.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::{Currency, Error, ErrorKind, Money};
    ///
    /// assert_eq!(Money::parse_exact("1234.5", Currency::USD)?, Money::from_minor(123_450, Currency::USD));
    /// let err = Money::parse_exact("12.345", Currency::USD).unwrap_err();
    /// assert_eq!(err.to_string(), "amount 12.345 has more decimals than USD allows (2)");
    /// assert!(matches!(Money::parse_exact("12,50", Currency::EUR).as_ref().map_err(|e| e.kind()), Err(ErrorKind::InvalidDecimal { .. })));
    /// assert!(Money::parse_exact("12.345", Currency::KWD).is_ok()); // three decimals
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn parse_exact(text: &str, currency: Currency) -> Result<Money, Error> {
        Money::try_exact(exact::parse(text)?, currency)
    }

    /// Zero in `currency`.
    #[must_use]
    pub const fn zero(currency: Currency) -> Money {
        Money { amount: Decimal::ZERO, currency }
    }

    /// `minor` minor units of `currency`: `from_minor(1050, USD)` is 10.50 USD.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::{Currency, Money};
    /// use rust_decimal_macros::dec;
    ///
    /// assert_eq!(Money::from_minor(1050, Currency::USD).amount(), dec!(10.50));
    /// assert_eq!(Money::from_minor(1050, Currency::JPY).to_string(), "1050 JPY"); // no minor unit
    /// assert_eq!(Money::from_minor(1050, Currency::KWD).to_string(), "1.050 KWD"); // fils
    /// assert_eq!(Money::from_minor(-99, Currency::EUR).to_string(), "-0.99 EUR");
    /// ```
    #[must_use]
    pub fn from_minor(minor: i64, currency: Currency) -> Money {
        // The exponent is at most 18, well inside Decimal's maximum scale of 28.
        let amount =
            Decimal::try_from_i128_with_scale(i128::from(minor), u32::from(currency.exponent())).unwrap_or_default();
        Money { amount, currency }
    }

    /// The amount.
    #[must_use]
    pub const fn amount(&self) -> Decimal {
        self.amount
    }

    /// The currency.
    #[must_use]
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// Whether the amount is zero.
    #[must_use]
    pub fn is_zero(&self) -> bool {
        self.amount.is_zero()
    }

    /// Whether the amount is below zero.
    #[must_use]
    pub fn is_negative(&self) -> bool {
        self.amount.is_sign_negative() && !self.amount.is_zero()
    }

    /// The amount in minor units, e.g. 1050 for 10.50 USD.
    ///
    /// # Errors
    /// [`ErrorKind::ExcessPrecision`] if the amount has more decimals than the currency allows;
    /// [`ErrorKind::Overflow`] if the count does not fit an `i64`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::{Currency, ErrorKind, Money};
    /// use rust_decimal_macros::dec;
    ///
    /// assert_eq!(Money::new(dec!(10.5), Currency::USD).to_minor()?, 1050);
    /// assert_eq!(Money::new(dec!(-3), Currency::KWD).to_minor()?, -3000);
    ///
    /// // Half a cent is not a whole number of cents: refused, never rounded.
    /// let err = Money::new(dec!(10.005), Currency::USD).to_minor().unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::ExcessPrecision { max_decimals: 2, .. }));
    /// // Beyond i64 (about 92 quadrillion dollars in cents): see `to_minor_i128`.
    /// let err = Money::new(rust_decimal::Decimal::MAX, Currency::USD).to_minor().unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::Overflow { .. }));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn to_minor(&self) -> Result<i64, Error> {
        i64::try_from(self.to_minor_i128()?)
            .map_err(|_| ErrorKind::Overflow { op: "conversion to minor units" })
            .map_err(crate::Error::from)
    }

    /// The amount in minor units as an `i128`, which holds the minor units of every `Decimal`
    /// amount in a currency of up to 9 decimals.
    ///
    /// # Errors
    /// [`ErrorKind::ExcessPrecision`] if the amount has more decimals than the currency allows;
    /// [`ErrorKind::Overflow`] if the count does not fit an `i128`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::{Currency, Money};
    /// use rust_decimal::Decimal;
    ///
    /// // The largest Decimal, in cents: too big for an i64, fine for an i128.
    /// let max = Money::new(Decimal::MAX, Currency::USD);
    /// assert!(max.to_minor().is_err());
    /// assert_eq!(max.to_minor_i128()?, 7_922_816_251_426_433_759_354_395_033_500);
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn to_minor_i128(self) -> Result<i128, Error> {
        let exponent = u32::from(self.currency.exponent());
        let normalized = self.amount.normalize();
        let scale = normalized.scale();
        if scale > exponent {
            return Err(ErrorKind::ExcessPrecision {
                amount: self.amount,
                currency: self.currency,
                max_decimals: self.currency.exponent(),
            }
            .into());
        }
        10i128
            .checked_pow(exponent - scale)
            .and_then(|f| normalized.mantissa().checked_mul(f))
            .ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op: "conversion to minor units" }))
    }

    /// Rounds the amount to the currency's minor unit with an explicit strategy. The result
    /// is written at the currency's scale (`20000.00` USD, never `20000.0`), as its wire format
    /// and the conformance vectors compare it.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::{Currency, Money};
    /// use rust_decimal::RoundingStrategy;
    /// use rust_decimal_macros::dec;
    ///
    /// let per_day = Money::new(dec!(2777.777777), Currency::USD);
    /// let rounded = per_day.round_to_minor(RoundingStrategy::MidpointNearestEven);
    /// assert_eq!(rounded.amount(), dec!(2777.78));
    /// let whole = Money::new(dec!(20000.0), Currency::USD).round_to_minor(RoundingStrategy::MidpointNearestEven);
    /// assert_eq!(whole.amount().to_string(), "20000.00");
    /// ```
    #[must_use]
    pub fn round_to_minor(&self, strategy: RoundingStrategy) -> Money {
        let exponent = u32::from(self.currency.exponent());
        let mut amount = self.amount.round_dp_with_strategy(exponent, strategy);
        if amount.scale() < exponent {
            amount.rescale(exponent); // pads zeros: the value is unchanged
        }
        Money { amount, currency: self.currency }
    }

    fn same_currency(&self, rhs: &Money) -> Result<(), Error> {
        if self.currency == rhs.currency {
            Ok(())
        } else {
            Err(ErrorKind::CurrencyMismatch { expected: self.currency, found: rhs.currency }.into())
        }
    }

    /// `self + rhs`, exactly.
    ///
    /// # Errors
    /// [`ErrorKind::CurrencyMismatch`] if the currencies differ; [`ErrorKind::Overflow`] if the sum
    /// leaves `Decimal`'s range or needs more than its 28 to 29 significant digits (where
    /// `Decimal` itself would silently round, this refuses).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::{Currency, ErrorKind, Money};
    /// use rust_decimal_macros::dec;
    ///
    /// let a = Money::new(dec!(0.10), Currency::EUR);
    /// assert_eq!(a.checked_add(Money::new(dec!(0.20), Currency::EUR))?.amount(), dec!(0.30)); // exact
    ///
    /// let err = a.checked_add(Money::new(dec!(0.20), Currency::USD)).unwrap_err();
    /// assert!(matches!(
    ///     err.kind(),
    ///     ErrorKind::CurrencyMismatch { expected: Currency::EUR, found: Currency::USD }
    /// ));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn checked_add(self, rhs: Money) -> Result<Money, Error> {
        self.same_currency(&rhs)?;
        let amount = exact(self.amount.checked_add(rhs.amount), self.amount, rhs.amount)
            .ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op: "money addition" }))?;
        Ok(Money { amount, currency: self.currency })
    }

    /// `self - rhs`, exactly.
    ///
    /// # Errors
    /// [`ErrorKind::CurrencyMismatch`] if the currencies differ; [`ErrorKind::Overflow`] if the
    /// difference leaves `Decimal`'s range or its precision (see [`Money::checked_add`]).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::{Currency, ErrorKind, Money};
    ///
    /// let invoiced = Money::from_minor(1_200_00, Currency::GBP);
    /// let refunded = Money::from_minor(1_250_00, Currency::GBP);
    /// let net = invoiced.checked_sub(refunded)?;
    /// assert_eq!(net.to_string(), "-50.00 GBP"); // a negative result is a value, not an error
    /// assert!(net.is_negative());
    ///
    /// let err = invoiced.checked_sub(Money::from_minor(1, Currency::EUR)).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::CurrencyMismatch { .. }));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn checked_sub(self, rhs: Money) -> Result<Money, Error> {
        self.same_currency(&rhs)?;
        let amount = exact(self.amount.checked_sub(rhs.amount), self.amount, rhs.amount)
            .ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op: "money subtraction" }))?;
        Ok(Money { amount, currency: self.currency })
    }

    /// `self * factor`, exact to `Decimal`'s precision (the result may carry more decimals
    /// than the currency's minor unit; round it with [`Money::round_to_minor`] when needed).
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] if the product leaves `Decimal`'s range.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::{Currency, ErrorKind, Money};
    /// use rust_decimal::{Decimal, RoundingStrategy};
    /// use rust_decimal_macros::dec;
    ///
    /// let seat = Money::new(dec!(19.99), Currency::USD);
    /// assert_eq!(seat.checked_mul(dec!(3))?.amount(), dec!(59.97));
    ///
    /// // A 15% discount keeps every digit; rounding to cents is explicit.
    /// let discounted = seat.checked_mul(dec!(0.85))?;
    /// assert_eq!(discounted.amount(), dec!(16.9915));
    /// assert_eq!(discounted.round_to_minor(RoundingStrategy::MidpointAwayFromZero).amount(), dec!(16.99));
    ///
    /// let err = Money::new(Decimal::MAX, Currency::USD).checked_mul(dec!(2)).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::Overflow { .. }));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn checked_mul(self, factor: Decimal) -> Result<Money, Error> {
        let amount = self
            .amount
            .checked_mul(factor)
            .ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op: "money multiplication" }))?;
        Ok(Money { amount, currency: self.currency })
    }

    /// The sum of `amounts`, all in `currency` (zero for none).
    ///
    /// # Errors
    /// [`ErrorKind::CurrencyMismatch`] naming the first amount in another currency;
    /// [`ErrorKind::Overflow`] if the sum leaves `Decimal`'s range.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::{Currency, Money};
    ///
    /// let parts = [Money::from_minor(3_334, Currency::USD), Money::from_minor(6_666, Currency::USD)];
    /// assert_eq!(Money::checked_sum(parts, Currency::USD)?, Money::from_minor(10_000, Currency::USD));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn checked_sum(amounts: impl IntoIterator<Item = Money>, currency: Currency) -> Result<Money, Error> {
        amounts.into_iter().try_fold(Money::zero(currency), Money::checked_add)
    }
}

/// `a + b` if the sum is exact (no digit rounded away) and in range: the sum of two amounts
/// of one currency, for accumulators that keep a bare `Decimal`.
pub(crate) fn exact_add(a: Decimal, b: Decimal) -> Option<Decimal> {
    exact(a.checked_add(b), a, b)
}

/// `result` if it is the exact sum or difference of `a` and `b`. `Decimal` keeps the larger
/// scale of its operands unless the mantissa would overflow, in which case it rounds to a
/// smaller scale; that rounding lost digits exactly when an operand needs the dropped scale.
fn exact(result: Option<Decimal>, a: Decimal, b: Decimal) -> Option<Decimal> {
    let result = result?;
    if result.scale() >= a.scale().max(b.scale()) {
        return Some(result);
    }
    let needed = a.normalize().scale().max(b.normalize().scale());
    (result.scale() >= needed).then_some(result)
}

impl fmt::Display for Money {
    /// `1234.50 USD`: the amount with at least the currency's decimals, then the code.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut amount = self.amount;
        let exponent = u32::from(self.currency.exponent());
        if amount.scale() < exponent {
            amount.rescale(exponent);
        }
        write!(f, "{amount} {}", self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn rounding_to_the_minor_unit_writes_the_currency_scale() {
        let even = RoundingStrategy::MidpointNearestEven;
        // 400.000 / 0.02: a quotient of scale 1 (an LTV of the metrics vectors).
        let ltv = Money::new(dec!(400.000) / dec!(0.02), Currency::USD).round_to_minor(even);
        assert_eq!((ltv.amount(), ltv.amount().to_string()), (dec!(20000), "20000.00".to_owned()));
        assert_eq!(Money::new(dec!(0.125), Currency::USD).round_to_minor(even).amount().to_string(), "0.12");
        assert_eq!(Money::new(dec!(7), Currency::EUR).round_to_minor(even).amount().to_string(), "7.00");
        assert_eq!(Money::new(dec!(1234.5), Currency::JPY).round_to_minor(even).amount().to_string(), "1234");
        // A value that cannot carry two more digits keeps its value (rescale never fails).
        let max = Money::new(Decimal::MAX, Currency::USD).round_to_minor(even);
        assert_eq!(max.amount(), Decimal::MAX);
    }

    #[test]
    fn checked_arithmetic() {
        let a = Money::new(dec!(10.50), Currency::USD);
        assert_eq!(a.checked_add(a).unwrap().amount(), dec!(21.00));
        assert_eq!(a.checked_sub(a).unwrap().amount(), dec!(0));
        assert_eq!(
            a.checked_add(Money::new(dec!(1), Currency::EUR)).unwrap_err(),
            ErrorKind::CurrencyMismatch { expected: Currency::USD, found: Currency::EUR }
        );
        let max = Money::new(Decimal::MAX, Currency::USD);
        assert_eq!(max.checked_add(a).unwrap_err(), ErrorKind::Overflow { op: "money addition" });
        assert_eq!(
            Money::new(Decimal::MIN, Currency::USD).checked_sub(a).unwrap_err(),
            ErrorKind::Overflow { op: "money subtraction" }
        );
        assert_eq!(max.checked_mul(dec!(2)).unwrap_err(), ErrorKind::Overflow { op: "money multiplication" });
        // Past 28 significant digits Decimal would round; money refuses instead.
        let big = Money::new(dec!(7922816251426433759354395033.5), Currency::USD);
        let cent = Money::new(dec!(0.01), Currency::USD);
        assert_eq!(big.checked_add(cent).unwrap_err(), ErrorKind::Overflow { op: "money addition" });
        assert_eq!(big.checked_sub(cent).unwrap_err(), ErrorKind::Overflow { op: "money subtraction" });
        // Rounding that drops only zeros is exact.
        let whole = Money::new(dec!(7922816251426433759354395033), Currency::USD);
        assert!(whole.checked_add(Money::new(dec!(1.00), Currency::USD)).is_ok());
    }

    #[test]
    fn minor_units() {
        assert_eq!(Money::new(dec!(10.5), Currency::USD).to_minor().unwrap(), 1050);
        assert_eq!(Money::new(dec!(-3), Currency::KWD).to_minor().unwrap(), -3000);
        assert_eq!(Money::from_minor(1050, Currency::USD).amount(), dec!(10.50));
        assert!(matches!(
            Money::new(dec!(0.001), Currency::USD).to_minor().as_ref().map_err(super::super::error::Error::kind),
            Err(ErrorKind::ExcessPrecision { .. })
        ));
        assert!(matches!(
            Money::new(Decimal::MAX, Currency::USD).to_minor().as_ref().map_err(super::super::error::Error::kind),
            Err(ErrorKind::Overflow { .. })
        ));
        assert!(!Money::zero(Currency::USD).is_negative());
        assert!(Money::from_minor(-1, Currency::USD).is_negative());
    }

    /// Issue 11 item 6: money from text refuses more decimals than its currency allows.
    #[test]
    fn parse_exact_refuses_excess_decimals_naming_the_value() {
        assert_eq!(
            Money::parse_exact("12.345", Currency::USD).unwrap_err(),
            ErrorKind::ExcessPrecision { amount: dec!(12.345), currency: Currency::USD, max_decimals: 2 }
        );
        assert_eq!(
            Money::parse_exact("5.5", Currency::JPY).unwrap_err().to_string(),
            "amount 5.5 has more decimals than JPY allows (0)"
        );
        for (text, shown) in
            [("12.3", "12.30 USD"), ("12.3400", "12.34 USD"), ("-0.5", "-0.50 USD"), ("1e3", "1000.00 USD")]
        {
            assert_eq!(Money::parse_exact(text, Currency::USD).unwrap().to_string(), shown, "{text}");
        }
        assert_eq!(Money::parse_exact("12.3", Currency::USD).unwrap().amount().scale(), 2);
        let err = Money::parse_exact("10.0000000000000000000000000001", Currency::USD).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::InvalidDecimal { .. }), "{err}");
        assert!(matches!(
            Money::parse_exact("$12", Currency::USD).as_ref().map_err(super::super::error::Error::kind),
            Err(ErrorKind::InvalidDecimal { .. })
        ));
        // The largest amount keeps its value although it cannot take the currency's zeros.
        let max = Money::parse_exact("79228162514264337593543950335", Currency::USD).unwrap();
        assert_eq!(max.amount(), Decimal::MAX);
        assert_eq!(Money::try_exact(dec!(1.10), Currency::USD).unwrap().amount().scale(), 2);
    }

    #[test]
    fn display_pads_to_the_minor_unit() {
        assert_eq!(Money::new(dec!(1234.5), Currency::USD).to_string(), "1234.50 USD");
        assert_eq!(Money::new(dec!(0.0045), Currency::USD).to_string(), "0.0045 USD");
        assert_eq!(Money::new(dec!(5), Currency::JPY).to_string(), "5 JPY");
    }

    #[cfg(feature = "serde")]
    #[test]
    fn money_is_a_string_on_the_wire() {
        let m = Money::new(dec!(1234.50), Currency::USD);
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(json, r#"{"amount":"1234.50","currency":"USD"}"#);
        assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), m);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn money_rejects_floats_and_bad_currencies() {
        assert!(serde_json::from_str::<Money>(r#"{"amount":10.5,"currency":"USD"}"#).is_err());
        assert!(serde_json::from_str::<Money>(r#"{"amount":"ten","currency":"USD"}"#).is_err());
        assert!(serde_json::from_str::<Money>(r#"{"amount":"1","currency":"USD","x":1}"#).is_err());
        let err = serde_json::from_str::<Money>(r#"{"amount":"1","currency":"usd"}"#).unwrap_err().to_string();
        assert!(err.starts_with("invalid currency code \"usd\""), "{err}");
    }
}
