//! [`Ratio`]: a rate that keeps its numerator and denominator in plain sight.
//!
//! Every rate the crate reports is a `Ratio`, never a bare percentage, so a dashboard can show
//! "12/40" next to "30.0%" and a reviewer can check both. Ratios over groups combine as the sum
//! of numerators over the sum of denominators ([`Ratio::checked_combine`]), never as a mean of
//! per-group rates. A zero denominator gives [`Ratio::value`] `None`: undefined is not zero.
//!
//! Two kinds of parts are supported through the sealed [`Quantity`] trait: counts (`u64`, the
//! default, e.g. won deals over closed deals) and non-negative decimals (`Decimal`, e.g. won
//! amount over closed amount). The parts are exact; [`Ratio::value`] divides them in `Decimal`
//! (28 significant digits).

use core::fmt;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::{Error, ErrorKind};

mod sealed {
    pub trait SealedQuantity {}
    impl SealedQuantity for u64 {}
    impl SealedQuantity for rust_decimal::Decimal {}
}

/// What a [`Ratio`] can count: `u64` counts or non-negative `Decimal` amounts. Sealed.
///
/// Code generic over both kinds of ratio bounds on `Quantity`:
///
/// # Example
///
/// ```
/// use revops::Ratio;
/// use revops::ratio::Quantity;
/// use rust_decimal::Decimal;
/// use rust_decimal_macros::dec;
///
/// /// The rate over all groups, as a ratio of sums.
/// fn overall<T: Quantity>(groups: &[Ratio<T>]) -> Result<Ratio<T>, revops::Error> {
///     groups.iter().try_fold(Ratio::ZERO, |acc, r| acc.checked_combine(*r))
/// }
///
/// let won_deals = overall(&[Ratio::new(3, 10), Ratio::new(1, 10)])?;
/// assert_eq!(won_deals.to_string(), "4/20 (20.0%)");
/// let won_amount = overall(&[Ratio::try_new(dec!(50.5), dec!(101))?, Ratio::<Decimal>::ZERO])?;
/// assert_eq!(won_amount.percent(), Some(dec!(50)));
/// assert_eq!(7_u64.to_decimal(), dec!(7));
/// # Ok::<(), revops::Error>(())
/// ```
///
/// Floats are not quantities, so a rate cannot be built from them:
///
/// ```compile_fail
/// let _ = revops::Ratio::<f64>::ZERO;
/// ```
pub trait Quantity: sealed::SealedQuantity + Copy + PartialEq + fmt::Debug + fmt::Display {
    /// Zero of this quantity.
    const ZERO: Self;
    /// The quantity as a decimal.
    fn to_decimal(self) -> Decimal;
    /// `self + rhs`, `None` on overflow.
    fn checked_add(self, rhs: Self) -> Option<Self>;
    /// Whether the quantity is below zero (never for counts).
    fn is_negative(self) -> bool;
}

impl Quantity for u64 {
    const ZERO: u64 = 0;
    fn to_decimal(self) -> Decimal {
        Decimal::from(self)
    }
    fn checked_add(self, rhs: u64) -> Option<u64> {
        u64::checked_add(self, rhs)
    }
    fn is_negative(self) -> bool {
        false
    }
}

impl Quantity for Decimal {
    const ZERO: Decimal = Decimal::ZERO;
    fn to_decimal(self) -> Decimal {
        self
    }
    fn checked_add(self, rhs: Decimal) -> Option<Decimal> {
        Decimal::checked_add(self, rhs)
    }
    fn is_negative(self) -> bool {
        self.is_sign_negative() && !self.is_zero()
    }
}

/// A rate with its numerator and denominator.
///
/// Equality compares the parts (`1/2` and `2/4` are different ratios with the same value).
///
/// # Example
///
/// ```
/// use revops::Ratio;
/// use rust_decimal_macros::dec;
///
/// let east = Ratio::new(12, 40);
/// let west = Ratio::new(3, 20);
/// assert_eq!(east.to_string(), "12/40 (30.0%)");
/// let all = east.checked_combine(west)?;          // 15/60, not the mean of 30% and 15%
/// assert_eq!(all.value(), Some(dec!(0.25)));
/// assert_eq!(Ratio::new(0, 0).value(), None);     // undefined, not zero
/// assert_eq!(Ratio::new(0, 0).to_string(), "0/0 (undefined)");
///
/// let won_value = Ratio::try_new(dec!(250000), dec!(1000000))?;
/// assert_eq!(won_value.percent(), Some(dec!(25)));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ratio<T: Quantity = u64> {
    numerator: T,
    denominator: T,
}

impl Ratio<u64> {
    /// A ratio of counts.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::Ratio;
    /// use rust_decimal_macros::dec;
    ///
    /// let win_rate = Ratio::new(12, 40); // 12 won of 40 closed
    /// assert_eq!((win_rate.numerator(), win_rate.denominator()), (12, 40));
    /// assert_eq!(win_rate.value(), Some(dec!(0.3)));
    /// // Equality compares the parts, not the value.
    /// assert_ne!(Ratio::new(1, 2), Ratio::new(2, 4));
    /// assert_eq!(Ratio::new(1, 2).value(), Ratio::new(2, 4).value());
    /// ```
    #[must_use]
    pub const fn new(numerator: u64, denominator: u64) -> Ratio<u64> {
        Ratio { numerator, denominator }
    }
}

impl Ratio<Decimal> {
    /// A ratio of non-negative decimal amounts (e.g. won amount over closed amount).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRatio`] if either part is negative.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::{ErrorKind, Ratio};
    /// use rust_decimal_macros::dec;
    ///
    /// // Won amount over closed amount.
    /// let won_value = Ratio::try_new(dec!(120000), dec!(480000))?;
    /// assert_eq!(won_value.denominator(), dec!(480000));
    /// assert_eq!(won_value.to_string(), "120000/480000 (25.0%)");
    ///
    /// // A refund recorded as a negative amount is not a part of a rate.
    /// let err = Ratio::try_new(dec!(-5), dec!(100)).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::InvalidRatio { .. }));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn try_new(numerator: Decimal, denominator: Decimal) -> Result<Ratio<Decimal>, Error> {
        Ratio::checked(numerator, denominator)
    }
}

impl<T: Quantity> Ratio<T> {
    /// `0/0`, the neutral element of [`Ratio::checked_combine`].
    pub const ZERO: Ratio<T> = Ratio { numerator: T::ZERO, denominator: T::ZERO };

    fn checked(numerator: T, denominator: T) -> Result<Ratio<T>, Error> {
        if numerator.is_negative() || denominator.is_negative() {
            return Err(ErrorKind::InvalidRatio {
                numerator: numerator.to_decimal(),
                denominator: denominator.to_decimal(),
                reason: "parts must not be negative",
            }
            .into());
        }
        Ok(Ratio { numerator, denominator })
    }

    /// The numerator.
    #[must_use]
    pub const fn numerator(&self) -> T {
        self.numerator
    }

    /// The denominator.
    #[must_use]
    pub const fn denominator(&self) -> T {
        self.denominator
    }

    /// `numerator / denominator`, or `None` when the denominator is zero. For decimal parts the
    /// quotient can also exceed `Decimal`'s range (a huge numerator over a tiny denominator):
    /// that is `None` too; tell the cases apart with [`Ratio::denominator`] (the `Display` form
    /// prints `(out of range)` rather than `(undefined)`).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::Ratio;
    /// use rust_decimal::Decimal;
    /// use rust_decimal_macros::dec;
    ///
    /// assert_eq!(Ratio::new(1, 8).value(), Some(dec!(0.125)));
    /// assert_eq!(Ratio::new(0, 0).value(), None); // no closed deals yet: undefined, not 0%
    ///
    /// let huge = Ratio::try_new(Decimal::MAX, dec!(0.5))?;
    /// assert_eq!(huge.value(), None); // out of Decimal's range, denominator not zero
    /// assert!(huge.to_string().ends_with("(out of range)"));
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn value(&self) -> Option<Decimal> {
        self.numerator.to_decimal().checked_div(self.denominator.to_decimal())
    }

    /// The value in percent (`value * 100`), or `None` when undefined or out of `Decimal`'s
    /// range (see [`Ratio::value`]).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::Ratio;
    /// use rust_decimal_macros::dec;
    ///
    /// assert_eq!(Ratio::new(3, 8).percent(), Some(dec!(37.5)));
    /// assert_eq!(Ratio::new(5, 0).percent(), None);
    /// ```
    #[must_use]
    pub fn percent(&self) -> Option<Decimal> {
        self.value().and_then(|v| v.checked_mul(Decimal::ONE_HUNDRED))
    }

    /// Sum of numerators over sum of denominators: how rates over groups combine. Associative
    /// and commutative, with [`Ratio::ZERO`] as its neutral element.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] if a sum leaves the quantity's range.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::{ErrorKind, Ratio};
    /// use rust_decimal_macros::dec;
    ///
    /// // Two teams' MQL-to-SQL rates: 30/100 and 2/4. Their mean would be 40%; the funnel's
    /// // rate is 32/104.
    /// let both = Ratio::new(30, 100).checked_combine(Ratio::new(2, 4))?;
    /// assert_eq!(both, Ratio::new(32, 104));
    /// assert_eq!(both.checked_combine(Ratio::ZERO)?, both); // 0/0 is neutral
    ///
    /// let err = Ratio::new(u64::MAX, u64::MAX).checked_combine(Ratio::new(1, 1)).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::Overflow { .. }));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn checked_combine(self, other: Ratio<T>) -> Result<Ratio<T>, Error> {
        let overflow = ErrorKind::Overflow { op: "ratio combination" };
        Ok(Ratio {
            numerator: self.numerator.checked_add(other.numerator).ok_or(overflow.clone())?,
            denominator: self.denominator.checked_add(other.denominator).ok_or(overflow)?,
        })
    }
}

impl<T: Quantity> Default for Ratio<T> {
    fn default() -> Ratio<T> {
        Ratio::ZERO
    }
}

impl<T: Quantity> fmt::Display for Ratio<T> {
    /// `12/40 (30.0%)`, one decimal of percent rounded half away from zero; `0/0 (undefined)`;
    /// a decimal ratio whose quotient leaves `Decimal`'s range shows `(out of range)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{} ", self.numerator, self.denominator)?;
        match self.percent() {
            Some(p) => {
                let mut p = p.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero);
                p.rescale(1);
                write!(f, "({p}%)")
            }
            None if self.denominator == T::ZERO => f.write_str("(undefined)"),
            None => f.write_str("(out of range)"),
        }
    }
}

#[cfg(feature = "serde")]
mod wire {
    use rust_decimal::Decimal;
    use serde::de::{DeserializeOwned, Error as _};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{Quantity, Ratio};

    /// How a quantity goes on the wire: counts as JSON integers, decimals as strings.
    pub trait Wire: Quantity {
        type Repr: Serialize + DeserializeOwned;
        fn to_repr(self) -> Self::Repr;
        fn from_repr(repr: Self::Repr) -> Self;
    }

    impl Wire for u64 {
        type Repr = u64;
        fn to_repr(self) -> u64 {
            self
        }
        fn from_repr(repr: u64) -> u64 {
            repr
        }
    }

    #[derive(Debug, Serialize, Deserialize)]
    #[serde(transparent)]
    pub struct DecimalString(#[serde(with = "crate::money::exact::str")] Decimal);

    impl Wire for Decimal {
        type Repr = DecimalString;
        fn to_repr(self) -> DecimalString {
            DecimalString(self)
        }
        fn from_repr(repr: DecimalString) -> Decimal {
            repr.0
        }
    }

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct RatioRepr<R> {
        numerator: R,
        denominator: R,
    }

    impl<T: Wire> Serialize for Ratio<T> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            RatioRepr { numerator: self.numerator.to_repr(), denominator: self.denominator.to_repr() }
                .serialize(serializer)
        }
    }

    impl<'de, T: Wire> Deserialize<'de> for Ratio<T> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Ratio<T>, D::Error> {
            let repr = RatioRepr::<T::Repr>::deserialize(deserializer)?;
            Ratio::checked(T::from_repr(repr.numerator), T::from_repr(repr.denominator)).map_err(D::Error::custom)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn display() {
        assert_eq!(Ratio::new(12, 40).to_string(), "12/40 (30.0%)");
        assert_eq!(Ratio::new(1, 3).to_string(), "1/3 (33.3%)");
        assert_eq!(Ratio::new(2, 3).to_string(), "2/3 (66.7%)");
        assert_eq!(Ratio::new(5, 4).to_string(), "5/4 (125.0%)");
        assert_eq!(Ratio::try_new(dec!(1.5), dec!(3)).unwrap().to_string(), "1.5/3 (50.0%)");
        assert_eq!(Ratio::new(0, 0).to_string(), "0/0 (undefined)");
        // Regression: a defined ratio whose percent leaves `Decimal`'s range printed as
        // "(undefined)", the zero-denominator text.
        let huge = Ratio::try_new(Decimal::MAX, Decimal::new(1, 28)).unwrap();
        assert_eq!(huge.value(), None);
        assert_eq!(huge.to_string(), "79228162514264337593543950335/0.0000000000000000000000000001 (out of range)");
    }

    #[test]
    fn combine_is_ratio_of_sums() {
        let r = Ratio::new(1, 2).checked_combine(Ratio::new(1, 8)).unwrap();
        assert_eq!(r, Ratio::new(2, 10));
        assert_eq!(
            Ratio::new(u64::MAX, 1).checked_combine(Ratio::new(1, 1)).unwrap_err(),
            ErrorKind::Overflow { op: "ratio combination" }
        );
        assert_eq!(Ratio::<u64>::ZERO.checked_combine(Ratio::new(3, 4)).unwrap(), Ratio::new(3, 4));
    }

    #[test]
    fn negative_decimal_parts_are_rejected() {
        assert_eq!(
            Ratio::try_new(dec!(-1), dec!(2)).unwrap_err().to_string(),
            "invalid ratio -1/2: parts must not be negative"
        );
        assert!(Ratio::try_new(dec!(-0), dec!(2)).is_ok());
    }

    #[cfg(feature = "serde")]
    #[test]
    fn wire_format() {
        let r = Ratio::new(12, 40);
        assert_eq!(serde_json::to_string(&r).unwrap(), r#"{"numerator":12,"denominator":40}"#);
        assert_eq!(serde_json::from_str::<Ratio>(r#"{"numerator":12,"denominator":40}"#).unwrap(), r);
        let d = Ratio::try_new(dec!(2.5), dec!(10)).unwrap();
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(json, r#"{"numerator":"2.5","denominator":"10"}"#);
        assert_eq!(serde_json::from_str::<Ratio<Decimal>>(&json).unwrap(), d);
        let err =
            serde_json::from_str::<Ratio<Decimal>>(r#"{"numerator":"-1","denominator":"2"}"#).unwrap_err().to_string();
        assert!(err.starts_with("invalid ratio -1/2: parts must not be negative"), "{err}");
        assert!(serde_json::from_str::<Ratio>(r#"{"numerator":-1,"denominator":2}"#).is_err());
        assert!(serde_json::from_str::<Ratio<Decimal>>(r#"{"numerator":1.5,"denominator":"2"}"#).is_err());
        assert!(serde_json::from_str::<Ratio>(r#"{"numerator":1,"denominator":2,"x":0}"#).is_err());
    }
}
