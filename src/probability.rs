//! [`Probability`]: one type with an explicit scale.
//!
//! Salesforce stores an opportunity's `Probability` as a percent (0 to 100); multiply an
//! amount by that raw number and the forecast is a hundred times too big. So a probability is
//! built with a named scale, [`Probability::from_percent`] or [`Probability::from_fraction`],
//! and stored as a fraction in `[0, 1]`.

use core::fmt;

use rust_decimal::Decimal;

use crate::{Error, ErrorKind, Money};

/// A probability, stored as a fraction in `[0, 1]`.
///
/// On the wire (feature `serde`) it is the fraction as a string, `"0.25"`, validated on read.
///
/// # Example
///
/// ```
/// use revops::{Currency, Money, Probability};
/// use rust_decimal_macros::dec;
///
/// let p = Probability::from_percent(dec!(25))?; // as Salesforce stores it
/// assert_eq!(p, Probability::from_fraction(dec!(0.25))?);
/// assert_eq!((p.fraction(), p.percent()), (dec!(0.25), dec!(25)));
/// assert_eq!(p.to_string(), "25%");
/// let deal = Money::new(dec!(40000), Currency::USD);
/// assert_eq!(p.weight(deal)?.amount(), dec!(10000));
/// assert!(Probability::from_fraction(dec!(25)).is_err()); // a percent passed as a fraction
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "ProbabilityRepr", into = "ProbabilityRepr")
)]
pub struct Probability(Decimal);

impl Probability {
    /// Certainly not (0).
    pub const ZERO: Probability = Probability(Decimal::ZERO);
    /// Certainly (1).
    pub const ONE: Probability = Probability(Decimal::ONE);

    /// A probability given as a fraction in `[0, 1]`.
    ///
    /// # Errors
    /// [`ErrorKind::ProbabilityOutOfRange`] outside `[0, 1]`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::{ErrorKind, Probability};
    /// use rust_decimal_macros::dec;
    ///
    /// let p = Probability::from_fraction(dec!(0.40))?;
    /// assert_eq!(p.fraction(), dec!(0.4)); // stored normalized
    /// assert_eq!(Probability::from_fraction(dec!(1))?, Probability::ONE);
    ///
    /// // 40 is a percent read as a fraction: refused, not clamped to 1.
    /// let err = Probability::from_fraction(dec!(40)).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::ProbabilityOutOfRange { scale: "fraction", .. }));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn from_fraction(fraction: Decimal) -> Result<Probability, Error> {
        if (Decimal::ZERO..=Decimal::ONE).contains(&fraction) {
            Ok(Probability(fraction.normalize()))
        } else {
            Err(ErrorKind::ProbabilityOutOfRange { value: fraction, scale: "fraction", max: Decimal::ONE }.into())
        }
    }

    /// A probability given as a percent in `[0, 100]` (Salesforce's `Probability` field).
    ///
    /// # Errors
    /// [`ErrorKind::ProbabilityOutOfRange`] outside `[0, 100]`; [`ErrorKind::InvalidDecimal`] if the
    /// fraction needs more than `Decimal`'s 28 decimal places (a percent with more than 26),
    /// where dividing by 100 would round.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::{ErrorKind, Probability};
    /// use rust_decimal_macros::dec;
    ///
    /// // Salesforce's Opportunity.Probability is 0 to 100.
    /// let p = Probability::from_percent(dec!(12.5))?;
    /// assert_eq!(p.fraction(), dec!(0.125));
    /// assert_eq!(p.to_string(), "12.5%");
    ///
    /// let err = Probability::from_percent(dec!(110)).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::ProbabilityOutOfRange { scale: "percent", .. }));
    /// assert!(Probability::from_percent(dec!(-5)).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn from_percent(percent: Decimal) -> Result<Probability, Error> {
        if (Decimal::ZERO..=Decimal::ONE_HUNDRED).contains(&percent) {
            let fraction = (percent / Decimal::ONE_HUNDRED).normalize();
            if fraction.checked_mul(Decimal::ONE_HUNDRED) != Some(percent) {
                return Err(ErrorKind::InvalidDecimal {
                    value: percent.to_string(),
                    reason: "has more than 26 decimal places as a percent (the fraction would round)",
                }
                .into());
            }
            Ok(Probability(fraction))
        } else {
            Err(ErrorKind::ProbabilityOutOfRange { value: percent, scale: "percent", max: Decimal::ONE_HUNDRED }.into())
        }
    }

    /// The fraction in `[0, 1]`.
    #[must_use]
    pub const fn fraction(self) -> Decimal {
        self.0
    }

    /// The percent in `[0, 100]`.
    #[must_use]
    pub fn percent(self) -> Decimal {
        (self.0 * Decimal::ONE_HUNDRED).normalize()
    }

    /// `amount * probability`: the weighted (expected) amount, exact to `Decimal` precision.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] if the product leaves `Decimal`'s range.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::{Currency, Money, Probability};
    /// use rust_decimal_macros::dec;
    ///
    /// // A $12,345.67 deal at 30%: the expected amount keeps every digit...
    /// let expected = Probability::from_percent(dec!(30))?.weight(Money::new(dec!(12345.67), Currency::USD))?;
    /// assert_eq!(expected.amount(), dec!(3703.701));
    /// // ...and rounding to cents is the caller's explicit choice.
    /// let cents = expected.round_to_minor(rust_decimal::RoundingStrategy::MidpointNearestEven);
    /// assert_eq!(cents.to_string(), "3703.70 USD");
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn weight(self, amount: Money) -> Result<Money, Error> {
        amount.checked_mul(self.0)
    }
}

impl fmt::Debug for Probability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Probability({})", self.0)
    }
}

impl fmt::Display for Probability {
    /// The percent, e.g. `25%`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.percent())
    }
}

/// Wire shape of [`Probability`]: the fraction as a string.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
struct ProbabilityRepr(#[serde(with = "crate::money::exact::str")] Decimal);

#[cfg(feature = "serde")]
impl TryFrom<ProbabilityRepr> for Probability {
    type Error = Error;
    fn try_from(repr: ProbabilityRepr) -> Result<Probability, Error> {
        Probability::from_fraction(repr.0)
    }
}

#[cfg(feature = "serde")]
impl From<Probability> for ProbabilityRepr {
    fn from(p: Probability) -> ProbabilityRepr {
        ProbabilityRepr(p.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn scales_are_explicit() {
        assert_eq!(Probability::from_percent(dec!(80)).unwrap().fraction(), dec!(0.8));
        assert_eq!(Probability::from_fraction(dec!(0.8)).unwrap().percent(), dec!(80));
        assert_eq!(
            Probability::from_percent(dec!(101)).unwrap_err().to_string(),
            "probability 101 is out of range for a percent (0 to 100)"
        );
        assert_eq!(
            Probability::from_fraction(dec!(-0.1)).unwrap_err().to_string(),
            "probability -0.1 is out of range for a fraction (0 to 1)"
        );
        assert_eq!(Probability::from_percent(dec!(12.5)).unwrap().to_string(), "12.5%");
        // 1e-28 percent is 1e-30 as a fraction: dividing would round it to 0.
        let tiny = Decimal::new(1, 28);
        assert!(matches!(
            Probability::from_percent(tiny).as_ref().map_err(super::super::error::Error::kind),
            Err(ErrorKind::InvalidDecimal { .. })
        ));
        assert_eq!(Probability::from_percent(Decimal::new(1, 26)).unwrap().fraction(), Decimal::new(1, 28));
    }

    #[cfg(feature = "serde")]
    #[test]
    fn wire_format() {
        let p = Probability::from_percent(dec!(25)).unwrap();
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"0.25\"");
        assert_eq!(serde_json::from_str::<Probability>("\"0.25\"").unwrap(), p);
        let err = serde_json::from_str::<Probability>("\"25\"").unwrap_err().to_string();
        assert!(err.starts_with("probability 25 is out of range for a fraction"), "{err}");
        assert!(serde_json::from_str::<Probability>("0.25").is_err());
    }
}
