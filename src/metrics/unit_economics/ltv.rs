//! Lifetime value (simple and discounted), LTV:CAC, CAC payback months and CAC ratio: pure
//! functions of amounts and fractions.

use rust_decimal::Decimal;

use crate::metrics::amount::{exact, rounded, rounded_money, same_currency};
use crate::{Error, ErrorKind, Money, Ratio};

/// When in each period a customer's cash arrives, for discounted LTV.
///
/// # Example
///
/// ```
/// use revops::metrics::CashTiming;
///
/// // On the wire (feature `serde`) in snake case.
/// # #[cfg(feature = "serde")]
/// assert_eq!(serde_json::to_string(&CashTiming::StartOfPeriod).ok().as_deref(), Some(r#""start_of_period""#));
/// assert_ne!(CashTiming::StartOfPeriod, CashTiming::EndOfPeriod);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum CashTiming {
    /// Paid in advance (subscriptions billed at the start of the month):
    /// `LTV = m (1 + d) / (c + d)`.
    StartOfPeriod,
    /// Paid in arrears: `LTV = m / (c + d)`.
    EndOfPeriod,
}

/// Customer lifetime value, with its inputs.
///
/// - **Simple**: `LTV = ARPA x gross margin / churn`, ARPA and churn over the same period
///   length (monthly ARPA with monthly churn). A churn of zero or below gives `None`, not an
///   error: an infinite lifetime (no churn), or a negative one (net expansion read as negative
///   churn), is undefined, not a number.
/// - **Discounted** with a named cash-timing convention ([`CashTiming`]), with `m = ARPA x
///   margin`, `c` churn and `d` the discount rate per period: start of period
///   `m (1 + d) / (c + d)`, end of period `m / (c + d)`. `None` when `c + d` is zero or `c` is
///   below zero; with `c` zero and `d` above zero it is the present value of a perpetuity,
///   defined.
/// - The value is rounded half to even to the minor unit, and [`Ltv::value_exact`] is the
///   quotient above with its exact parts (`None` exactly when `value` is); margin, churn and
///   discount rate are fractions (`0.8` for 80%), churn at most 1.
///
/// # Example ([definitions, section 5](crate::definitions::metrics#unit-economics): $500 ARPA a month, 80% margin, 2% monthly churn)
///
/// ```
/// use revops::metrics::{CashTiming, Ltv};
/// use revops::{Currency, Money};
/// use rust_decimal_macros::dec;
///
/// let arpa = Money::new(dec!(500), Currency::USD);
/// let ltv = Ltv::simple(arpa, dec!(0.80), dec!(0.02))?;
/// assert_eq!(ltv.value.map(|v| v.to_string()), Some("20000.00 USD".to_owned()));
/// let end = Ltv::discounted(arpa, dec!(0.80), dec!(0.02), dec!(0.01), CashTiming::EndOfPeriod)?;
/// assert_eq!(end.value.map(|v| v.to_string()), Some("13333.33 USD".to_owned())); // 400 / 0.03
/// let start = Ltv::discounted(arpa, dec!(0.80), dec!(0.02), dec!(0.01), CashTiming::StartOfPeriod)?;
/// assert_eq!(start.value.map(|v| v.to_string()), Some("13466.67 USD".to_owned())); // 400 x 1.01 / 0.03
/// assert_eq!(Ltv::simple(arpa, dec!(0.80), dec!(0))?.value, None);
/// assert_eq!(Ltv::simple(arpa, dec!(0.80), dec!(-0.01))?.value_exact, None); // undefined, not an error
/// // Exactly: $400 x 1.01 over 0.03.
/// assert_eq!(start.value_exact.map(|r| (r.numerator(), r.denominator())), Some((dec!(404), dec!(0.03))));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Ltv {
    /// Average revenue per account per period.
    pub arpa: Money,
    /// Gross margin, a fraction.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    pub gross_margin: Decimal,
    /// Churn per period, a fraction.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    pub churn: Decimal,
    /// Discount rate per period, for the discounted variant.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str_option"))]
    pub discount_rate: Option<Decimal>,
    /// Cash timing, for the discounted variant.
    pub cash_timing: Option<CashTiming>,
    /// The lifetime value rounded half to even to the minor unit, `None` when undefined.
    pub value: Option<Money>,
    /// `value` exactly: `m / churn`, `m / (c + d)` or `m (1 + d) / (c + d)` in major units.
    pub value_exact: Option<Ratio<Decimal>>,
}

pub(crate) fn fraction(field: &'static str, value: Decimal) -> Result<Decimal, Error> {
    if (Decimal::ZERO..=Decimal::ONE).contains(&value) {
        Ok(value)
    } else {
        Err(ErrorKind::InvalidValue { field, value: value.to_string(), reason: "must be a fraction from 0 to 1" }
            .into())
    }
}

fn non_negative(field: &'static str, money: Money) -> Result<Money, Error> {
    if money.is_negative() {
        Err(ErrorKind::InvalidValue { field, value: money.to_string(), reason: "must not be negative" }.into())
    } else {
        Ok(money)
    }
}

impl Ltv {
    /// `ARPA x margin / churn`; `None` for a churn of zero or below.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] for a negative ARPA, a margin outside `[0, 1]` or a churn
    /// above 1; [`ErrorKind::Overflow`].
    pub fn simple(arpa: Money, gross_margin: Decimal, churn: Decimal) -> Result<Ltv, Error> {
        Ltv::compute(arpa, gross_margin, churn, None)
    }

    /// The discounted LTV with discount rate `discount` per period and cash `timing`.
    ///
    /// # Errors
    /// As [`Ltv::simple`], and [`ErrorKind::InvalidValue`] for a negative discount rate.
    pub fn discounted(
        arpa: Money,
        gross_margin: Decimal,
        churn: Decimal,
        discount: Decimal,
        timing: CashTiming,
    ) -> Result<Ltv, Error> {
        if discount.is_sign_negative() && !discount.is_zero() {
            return Err(ErrorKind::InvalidValue {
                field: "discount rate",
                value: discount.to_string(),
                reason: "must not be negative",
            }
            .into());
        }
        Ltv::compute(arpa, gross_margin, churn, Some((discount, timing)))
    }

    fn compute(
        arpa: Money,
        gross_margin: Decimal,
        churn: Decimal,
        discount: Option<(Decimal, CashTiming)>,
    ) -> Result<Ltv, Error> {
        let arpa = non_negative("arpa", arpa)?;
        let gross_margin = fraction("gross margin", gross_margin)?;
        if churn > Decimal::ONE {
            return Err(ErrorKind::InvalidValue {
                field: "churn",
                value: churn.to_string(),
                reason: "must be at most 1",
            }
            .into());
        }
        // A negative churn has no lifetime: undefined, with the inputs reported.
        let defined = !churn.is_sign_negative() || churn.is_zero();
        let overflow = || ErrorKind::Overflow { op: "lifetime value" };
        let m = arpa.amount().checked_mul(gross_margin).ok_or_else(overflow)?;
        let (numerator, denominator) = match discount {
            None => (m, churn),
            Some((d, timing)) => {
                let den = churn.checked_add(d).ok_or_else(overflow)?;
                match timing {
                    CashTiming::EndOfPeriod => (m, den),
                    CashTiming::StartOfPeriod => {
                        (m.checked_mul(Decimal::ONE.checked_add(d).ok_or_else(overflow)?).ok_or_else(overflow)?, den)
                    }
                }
            }
        };
        let value_exact = if defined { exact(numerator, denominator)? } else { None };
        let value = rounded_money(value_exact, arpa.currency(), "lifetime value")?;
        Ok(Ltv {
            arpa,
            gross_margin,
            churn,
            discount_rate: discount.map(|d| d.0),
            cash_timing: discount.map(|d| d.1),
            value,
            value_exact,
        })
    }
}

/// LTV:CAC as a ratio of the two amounts; `None` when CAC is zero.
///
/// # Errors
/// [`ErrorKind::CurrencyMismatch`]; [`ErrorKind::InvalidRatio`] for a negative amount.
///
/// # Example
///
/// ```
/// use revops::metrics::ltv_to_cac;
/// use revops::{Currency, Money};
///
/// let r = ltv_to_cac(Money::from_minor(20_000_00, Currency::USD), Money::from_minor(5_000_00, Currency::USD))?;
/// assert_eq!(r.and_then(|r| r.value()).map(|v| v.to_string()), Some("4".to_owned()));
/// # Ok::<(), revops::Error>(())
/// ```
pub fn ltv_to_cac(ltv: Money, cac: Money) -> Result<Option<Ratio<Decimal>>, Error> {
    same_currency(ltv.currency(), cac.currency())?;
    if cac.is_zero() {
        return Ok(None);
    }
    Ratio::try_new(ltv.amount(), cac.amount()).map(Some)
}

/// CAC payback in months, rounded and exact (from [`cac_payback_months`], spend-based, or
/// [`cac_payback_from_ratio`], implied by the CAC ratio).
///
/// # Example
///
/// ```
/// use revops::metrics::{CacPayback, cac_payback_months};
/// use revops::{Currency, Money};
/// use rust_decimal_macros::dec;
///
/// // $1,000 CAC over $300 a month at 50% margin: 1,000 / 150 = 6.666... months.
/// let payback: CacPayback = cac_payback_months(Money::new(dec!(1000), Currency::USD), Money::new(dec!(300), Currency::USD), dec!(0.5))?;
/// assert_eq!(payback.months, Some(dec!(6.67)));
/// assert_eq!(payback.months_exact.map(|r| (r.numerator(), r.denominator())), Some((dec!(1000), dec!(150))));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CacPayback {
    /// Months, rounded half to even to 2 decimals; `None` when undefined.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str_option"))]
    pub months: Option<Decimal>,
    /// `months` exactly, with its parts.
    pub months_exact: Option<Ratio<Decimal>>,
}

impl CacPayback {
    fn from_exact(months_exact: Option<Ratio<Decimal>>) -> Result<CacPayback, Error> {
        Ok(CacPayback { months: rounded(months_exact, 2, "cac payback")?, months_exact })
    }
}

/// Spend-based CAC payback in months = CAC / (monthly ARPA x gross margin): the months of gross
/// profit per account that repay the cost of acquiring it. Rounded half to even to 2 decimals
/// beside the exact quotient; `None` when the monthly gross profit per account is zero.
///
/// # Errors
/// [`ErrorKind::CurrencyMismatch`]; [`ErrorKind::InvalidValue`] for a negative amount or a margin
/// outside `[0, 1]`; [`ErrorKind::Overflow`].
///
/// # Example
///
/// ```
/// use revops::metrics::cac_payback_months;
/// use revops::{Currency, Money};
/// use rust_decimal_macros::dec;
///
/// let payback = cac_payback_months(Money::new(dec!(6000), Currency::USD), Money::new(dec!(500), Currency::USD), dec!(0.8))?;
/// assert_eq!(payback.months, Some(dec!(15))); // 6,000 / 400
/// # Ok::<(), revops::Error>(())
/// ```
pub fn cac_payback_months(cac: Money, monthly_arpa: Money, gross_margin: Decimal) -> Result<CacPayback, Error> {
    same_currency(cac.currency(), monthly_arpa.currency())?;
    let cac = non_negative("cac", cac)?;
    let arpa = non_negative("arpa", monthly_arpa)?;
    let margin = fraction("gross margin", gross_margin)?;
    let profit = arpa
        .amount()
        .checked_mul(margin)
        .ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op: "cac payback" }))?;
    CacPayback::from_exact(exact(cac.amount(), profit)?)
}

/// CAC payback implied by the CAC ratio = 12 / ratio months = `12 x previous spend / (net new
/// ARR x margin)`: with ARR annual, `ARR x margin / 12` is the gross profit a month the new
/// revenue brings, and the spend is repaid after that many months. Beside the spend-based
/// [`cac_payback_months`] (per account, from CAC and ARPA), this is the company-level reading
/// of the same spend. `None` when the ratio is undefined (no previous spend) or zero (no net
/// new ARR or a zero margin): never repaid is not a number of months.
///
/// # Errors
/// [`ErrorKind::Overflow`] if `12 x spend` leaves `Decimal`'s range.
///
/// # Example
///
/// ```
/// use revops::metrics::{cac_payback_from_ratio, cac_ratio};
/// use revops::{Currency, Money, Ratio};
/// use rust_decimal_macros::dec;
///
/// // $1,000,000 net new ARR at 80% margin for $1,000,000 of last quarter's spend: ratio 0.8.
/// let usd = |d| Money::new(d, Currency::USD);
/// let ratio = cac_ratio(usd(dec!(1000000)), dec!(0.8), usd(dec!(1000000)))?;
/// let payback = cac_payback_from_ratio(ratio)?;
/// assert_eq!(payback.months, Some(dec!(15))); // 12 / 0.8
/// assert_eq!(payback.months_exact.map(|r| (r.numerator(), r.denominator())), Some((dec!(12000000), dec!(800000))));
/// assert_eq!(cac_payback_from_ratio(Ratio::try_new(dec!(0), dec!(5))?)?.months, None);
/// # Ok::<(), revops::Error>(())
/// ```
pub fn cac_payback_from_ratio(ratio: Ratio<Decimal>) -> Result<CacPayback, Error> {
    if ratio.denominator().is_zero() {
        return Ok(CacPayback { months: None, months_exact: None });
    }
    let months_spend = ratio
        .denominator()
        .checked_mul(Decimal::from(12))
        .ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op: "cac payback" }))?;
    CacPayback::from_exact(exact(months_spend, ratio.numerator())?)
}

/// CAC ratio = net new ARR of the period x gross margin / sales and marketing spend of the
/// previous period, a ratio with its parts; `None` (value) without previous spend.
///
/// # Errors
/// [`ErrorKind::CurrencyMismatch`]; [`ErrorKind::InvalidValue`] for a margin outside `[0, 1]` or a
/// negative net new ARR or spend (a shrinking ARR has no CAC ratio: report it separately);
/// [`ErrorKind::Overflow`].
///
/// # Example
///
/// ```
/// use revops::metrics::cac_ratio;
/// use revops::{Currency, Money};
/// use rust_decimal_macros::dec;
///
/// let r = cac_ratio(Money::new(dec!(1000000), Currency::USD), dec!(0.8), Money::new(dec!(1000000), Currency::USD))?;
/// assert_eq!(r.value(), Some(dec!(0.8)));
/// # Ok::<(), revops::Error>(())
/// ```
pub fn cac_ratio(net_new_arr: Money, gross_margin: Decimal, previous_spend: Money) -> Result<Ratio<Decimal>, Error> {
    same_currency(net_new_arr.currency(), previous_spend.currency())?;
    let arr = non_negative("net new arr", net_new_arr)?;
    let spend = non_negative("previous spend", previous_spend)?;
    let margin = fraction("gross margin", gross_margin)?;
    let numerator =
        arr.amount().checked_mul(margin).ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op: "cac ratio" }))?;
    Ratio::try_new(numerator, spend.amount())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;
    use rust_decimal_macros::dec;

    fn usd(d: Decimal) -> Money {
        Money::new(d, Currency::USD)
    }

    #[test]
    fn ltv_and_ratios() {
        let ltv = Ltv::simple(usd(dec!(500)), dec!(0.8), dec!(0.02)).unwrap();
        assert_eq!(ltv.value, Some(usd(dec!(20000.00))));
        assert!(Ltv::simple(usd(dec!(500)), dec!(80), dec!(0.02)).is_err());
        assert_eq!(
            Ltv::simple(usd(dec!(-1)), dec!(0.8), dec!(0.02)).unwrap_err().to_string(),
            "invalid arpa \"-1.00 USD\": must not be negative"
        );
        assert!(Ltv::discounted(usd(dec!(1)), dec!(0.5), dec!(0.1), dec!(-0.1), CashTiming::EndOfPeriod).is_err());
        assert_eq!(
            Ltv::discounted(usd(dec!(1)), dec!(0.5), dec!(0), dec!(0), CashTiming::StartOfPeriod).unwrap().value,
            None
        );
        assert_eq!(ltv_to_cac(usd(dec!(1)), usd(dec!(0))).unwrap(), None);
        assert!(ltv_to_cac(usd(dec!(1)), Money::new(dec!(1), Currency::EUR)).is_err());
        assert_eq!(cac_payback_months(usd(dec!(1000)), usd(dec!(0)), dec!(0.8)).unwrap().months, None);
        assert_eq!(cac_payback_months(usd(dec!(1000)), usd(dec!(300)), dec!(0.5)).unwrap().months, Some(dec!(6.67)));
        // Regression: a quotient past `Decimal`'s range was `None` ("undefined"), not an error.
        let tiny = Decimal::new(1, 28);
        assert!(matches!(
            Ltv::simple(usd(dec!(100000000000000000000)), Decimal::ONE, tiny)
                .as_ref()
                .map_err(crate::error::Error::kind),
            Err(ErrorKind::Overflow { op: "lifetime value" })
        ));
        assert!(matches!(
            cac_payback_months(usd(dec!(100000000000000000000)), usd(dec!(0.01)), Decimal::new(1, 20))
                .as_ref()
                .map_err(crate::error::Error::kind),
            Err(ErrorKind::Overflow { op: "cac payback" })
        ));
        assert!(cac_ratio(usd(dec!(-1)), dec!(0.8), usd(dec!(1))).is_err());
        assert_eq!(cac_ratio(usd(dec!(1)), dec!(0.8), usd(dec!(0))).unwrap().value(), None);
    }

    #[test]
    fn churn_at_or_below_zero_is_undefined_not_an_error() {
        for churn in [dec!(0), dec!(-0.01), dec!(-1)] {
            let ltv = Ltv::simple(usd(dec!(500)), dec!(0.8), churn).unwrap();
            assert_eq!((ltv.value, ltv.value_exact, ltv.churn), (None, None, churn));
            let end = Ltv::discounted(usd(dec!(500)), dec!(0.8), churn, dec!(0.01), CashTiming::EndOfPeriod).unwrap();
            // Zero churn, discounted: a perpetuity of $400 at 1% is $40,000; below zero: undefined.
            let expected = churn.is_zero().then(|| usd(dec!(40000)));
            assert_eq!(end.value, expected);
        }
        // Churn above 1 (more than every customer) is still refused.
        assert!(Ltv::simple(usd(dec!(500)), dec!(0.8), dec!(1.5)).is_err());
        // $500 x 0.8 / 0.03 = $13,333.33, exactly 400 / 0.03.
        let ltv = Ltv::simple(usd(dec!(500)), dec!(0.8), dec!(0.03)).unwrap();
        assert_eq!(ltv.value, Some(usd(dec!(13333.33))));
        assert_eq!(ltv.value_exact.map(|r| (r.numerator(), r.denominator())), Some((dec!(400), dec!(0.03))));
    }

    #[test]
    fn payback_implied_by_the_cac_ratio() {
        // $1,200,000 net new ARR at 75% margin for $600,000 spend: ratio 1.5, payback 12 / 1.5 = 8.
        let ratio = cac_ratio(usd(dec!(1200000)), dec!(0.75), usd(dec!(600000))).unwrap();
        let payback = cac_payback_from_ratio(ratio).unwrap();
        assert_eq!(payback.months, Some(dec!(8)));
        assert_eq!(payback.months_exact.and_then(|r| r.value()), Some(dec!(8)));
        // 7,000,000 x 12 / (9,000,000 x 1) = 9.333... months, 9.33 rounded.
        let third =
            cac_payback_from_ratio(cac_ratio(usd(dec!(9000000)), dec!(1), usd(dec!(7000000))).unwrap()).unwrap();
        assert_eq!(third.months, Some(dec!(9.33)));
        // No previous spend (ratio undefined) or no new ARR (ratio zero): never repaid, undefined.
        let undefined = CacPayback { months: None, months_exact: None };
        assert_eq!(
            cac_payback_from_ratio(cac_ratio(usd(dec!(1)), dec!(0.8), usd(dec!(0))).unwrap()).unwrap(),
            undefined
        );
        assert_eq!(
            cac_payback_from_ratio(cac_ratio(usd(dec!(0)), dec!(0.8), usd(dec!(5))).unwrap()).unwrap(),
            undefined
        );
    }

    proptest::proptest! {
        /// 12 / ratio months, rounded half to even to hundredths, equals the same figure worked in
        /// integers: `12 x spend x 100 x 100 / (arr x margin percent)` hundredths of a month.
        #[test]
        fn payback_from_ratio_matches_integer_arithmetic(arr in 1i64..10_000_000, spend in 0i64..10_000_000, percent in 1i64..=100) {
            let ratio = cac_ratio(usd(Decimal::from(arr)), Decimal::new(percent, 2), usd(Decimal::from(spend))).unwrap();
            let payback = cac_payback_from_ratio(ratio).unwrap();
            if spend == 0 {
                proptest::prop_assert_eq!(payback.months, None);
                return Ok(());
            }
            let (n, d) = (12 * i128::from(spend) * 100 * 100, i128::from(arr) * i128::from(percent));
            let (q, r) = (n / d, n % d);
            let hundredths = if 2 * r > d || (2 * r == d && q % 2 == 1) { q + 1 } else { q };
            let expected = Decimal::try_from_i128_with_scale(hundredths, 2).unwrap();
            proptest::prop_assert_eq!(payback.months, Some(expected.normalize()));
        }
    }
}
