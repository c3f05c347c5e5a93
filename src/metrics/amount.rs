//! Exact money sums in integer minor units, with errors that name the record.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::error::Subject;
use crate::{Currency, Error, ErrorKind, Money, Ratio};

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

/// `money / n` rounded to the minor unit half to even, and exactly (the total in major units
/// over `n`); both `None` when `n` is zero.
pub(crate) fn mean_money_exact(
    total_minor: i128,
    n: u64,
    currency: Currency,
) -> Result<(Option<Money>, Option<Ratio<Decimal>>), Error> {
    let exact = exact(decimal(total_minor, currency)?, Decimal::from(n))?;
    Ok((rounded_money(exact, currency, "metric mean")?, exact))
}

/// `numerator / denominator` as an exact [`Ratio`]; `None` when the denominator is zero.
///
/// # Errors
/// [`ErrorKind::InvalidRatio`] for a negative part.
pub(crate) fn exact(numerator: Decimal, denominator: Decimal) -> Result<Option<Ratio<Decimal>>, Error> {
    if denominator.is_zero() { Ok(None) } else { Ratio::try_new(numerator, denominator).map(Some) }
}

/// The value of an exact quotient rounded half to even to `dp` decimals (normalized).
///
/// # Errors
/// [`ErrorKind::Overflow`] naming `op` if the quotient leaves `Decimal`'s range.
pub(crate) fn rounded(exact: Option<Ratio<Decimal>>, dp: u32, op: &'static str) -> Result<Option<Decimal>, Error> {
    exact
        .map(|r| {
            r.value()
                .map(|v| v.round_dp_with_strategy(dp, RoundingStrategy::MidpointNearestEven).normalize())
                .ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op }))
        })
        .transpose()
}

/// The value of an exact quotient of money (major units of `currency`) rounded half to even to
/// the minor unit.
///
/// # Errors
/// [`ErrorKind::Overflow`] naming `op` if the quotient leaves `Decimal`'s range.
pub(crate) fn rounded_money(
    exact: Option<Ratio<Decimal>>,
    currency: Currency,
    op: &'static str,
) -> Result<Option<Money>, Error> {
    exact
        .map(|r| {
            r.value()
                .map(|v| Money::new(v, currency).round_to_minor(RoundingStrategy::MidpointNearestEven))
                .ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op }))
        })
        .transpose()
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
        let (rounded, exact) = mean_money_exact(1000, 3, usd).unwrap();
        assert_eq!(rounded.unwrap().amount(), dec!(3.33));
        assert_eq!(exact.map(|r| (r.numerator(), r.denominator())), Some((dec!(10), dec!(3))));
        assert_eq!(mean_money_exact(1000, 0, usd).unwrap(), (None, None));
        assert!(same_currency(usd, Currency::EUR).is_err());
        assert!(add(i128::MAX, 1).is_err());
    }
}
