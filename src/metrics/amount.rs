//! Exact money sums in integer minor units, with errors that name the record.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::error::Subject;
use crate::{Currency, Error, ErrorKind, Money};

/// Minor units of `money`, checked against the metric's `currency` and for sign.
///
/// Fast path: an amount already at the currency's scale is its mantissa.
#[inline]
pub(crate) fn minor_units(
    record: &dyn Subject,
    field: &'static str,
    money: Money,
    currency: Currency,
) -> Result<i128, Error> {
    let amount = money.amount();
    if money.currency() == currency && !amount.is_sign_negative() && amount.scale() == u32::from(currency.exponent()) {
        return Ok(amount.mantissa());
    }
    slow_minor_units(record, field, money, currency)
}

#[cold]
#[inline(never)]
fn slow_minor_units(
    record: &dyn Subject,
    field: &'static str,
    money: Money,
    currency: Currency,
) -> Result<i128, Error> {
    if money.currency() != currency {
        return Err(
            Error::from(ErrorKind::MixedCurrency { expected: currency, found: money.currency() }).about_subject(record)
        );
    }
    let amount = money.amount();
    if amount.is_sign_negative() && !amount.is_zero() {
        return Err(Error::from(ErrorKind::Negative { field, value: amount.to_string() }).about_subject(record));
    }
    money.to_minor_i128().map_err(|cause| cause.about_subject(record))
}

/// `minor` minor units of `currency` as money.
pub(crate) fn from_minor(minor: i128, currency: Currency) -> Result<Money, Error> {
    Decimal::try_from_i128_with_scale(minor, u32::from(currency.exponent()))
        .map(|d| Money::new(d, currency))
        .map_err(|_| ErrorKind::Overflow { op: "metric money sum" })
        .map_err(crate::Error::from)
}

/// `a + b` on minor units.
#[inline]
pub(crate) fn add(a: i128, b: i128) -> Result<i128, Error> {
    match a.checked_add(b) {
        Some(sum) => Ok(sum),
        None => Err(overflow("metric money sum")),
    }
}

/// `a + b` on counts.
#[inline]
pub(crate) fn add_count(a: u64, b: u64) -> Result<u64, Error> {
    match a.checked_add(b) {
        Some(sum) => Ok(sum),
        None => Err(overflow("metric count")),
    }
}

#[cold]
#[inline(never)]
fn overflow(op: &'static str) -> Error {
    crate::Error::from(ErrorKind::Overflow { op })
}

/// Minor units as a non-negative decimal amount (for value-based ratios).
pub(crate) fn decimal(minor: i128, currency: Currency) -> Result<Decimal, Error> {
    from_minor(minor, currency).map(|m| m.amount())
}

/// Two accumulators of different currencies cannot merge.
pub(crate) fn same_currency(a: Currency, b: Currency) -> Result<(), Error> {
    if a == b { Ok(()) } else { Err(ErrorKind::CurrencyMismatch { expected: a, found: b }.into()) }
}

/// `money / n`, rounded to the minor unit half to even (`None` when `n` is zero).
pub(crate) fn mean_money(total_minor: i128, n: u64, currency: Currency) -> Result<Option<Money>, Error> {
    if n == 0 {
        return Ok(None);
    }
    let total = decimal(total_minor, currency)?;
    let mean = total
        .checked_div(Decimal::from(n))
        .ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op: "metric mean" }))?;
    Ok(Some(Money::new(mean, currency).round_to_minor(RoundingStrategy::MidpointNearestEven)))
}

/// `numerator / denominator` on decimals, `None` when the denominator is zero or the quotient
/// overflows (for chains that map `None` to an error themselves).
pub(crate) fn div(numerator: Decimal, denominator: Decimal) -> Option<Decimal> {
    if denominator.is_zero() { None } else { numerator.checked_div(denominator) }
}

/// `numerator / denominator`: `Ok(None)` only when the denominator is zero (undefined), and
/// [`ErrorKind::Overflow`] naming `op` when the quotient leaves `Decimal`'s range, so an overflow
/// is never reported as "undefined".
pub(crate) fn quotient(numerator: Decimal, denominator: Decimal, op: &'static str) -> Result<Option<Decimal>, Error> {
    if denominator.is_zero() {
        return Ok(None);
    }
    numerator.checked_div(denominator).map(Some).ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn minor_units_check_currency_sign_and_precision() {
        let usd = Currency::USD;
        assert_eq!(minor_units(&"o1", "amount", Money::new(dec!(10.5), usd), usd).unwrap(), 1050);
        assert_eq!(minor_units(&"o1", "amount", Money::from_minor(7, usd), usd).unwrap(), 7);
        assert_eq!(
            minor_units(&"o1", "amount", Money::new(dec!(1), Currency::EUR), usd).unwrap_err().to_string(),
            "money in EUR, but the metric sums USD"
        );
        assert_eq!(
            minor_units(&"o1", "amount", Money::new(dec!(-1), usd), usd).unwrap_err().to_string(),
            "amount must not be negative, got -1"
        );
        let o1 = crate::OpportunityId::new("o1").unwrap();
        let err = minor_units(&o1, "amount", Money::new(dec!(0.001), usd), usd).unwrap_err();
        assert_eq!(err.record(), Some(&crate::Record::Deal(o1.clone())));
        assert!(err.to_string().starts_with("deal `o1`: amount 0.001 has more decimals"), "{err}");
        assert!(matches!(err.kind(), ErrorKind::ExcessPrecision { .. }));
        assert_eq!(mean_money(1000, 3, usd).unwrap().unwrap().amount(), dec!(3.33));
        assert_eq!(mean_money(1000, 0, usd).unwrap(), None);
        assert!(same_currency(usd, Currency::EUR).is_err());
        assert!(add(i128::MAX, 1).is_err());
    }
}
