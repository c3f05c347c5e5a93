//! [`Products`]: an exact sum of amount x probability products, for weighted pipeline.

use rust_decimal::Decimal;

use crate::{Error, ErrorKind};

/// The largest scale a `Decimal` has.
const SCALES: usize = 29;

/// An exact sum of `minor units x probability`: per probability scale `s` (the probability's
/// `Decimal` scale), the integer sum of `minor x mantissa`, worth that over `10^s` minor units.
///
/// A `Decimal` product or sum keeps 28 to 29 significant digits and rounds the rest away
/// silently; these integer sums are exact, and a sum beyond `i128` is [`ErrorKind::Overflow`], never
/// a rounded figure. Sums are grouped by scale so that no common denominator (up to `10^28`,
/// which would overflow with the amounts) is needed until the final rounding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Products([i128; SCALES]);

fn overflow() -> Error {
    crate::Error::from(ErrorKind::Overflow { op: "weighted pipeline" })
}

impl Products {
    /// No product.
    pub(super) const ZERO: Products = Products([0; SCALES]);

    /// Adds `minor x probability` (`minor` and `probability` not negative).
    pub(super) fn add(&mut self, minor: i128, probability: Decimal) -> Result<(), Error> {
        let slot = usize::try_from(probability.scale()).ok().and_then(|s| self.0.get_mut(s)).ok_or_else(overflow)?;
        let product = minor.checked_mul(probability.mantissa()).ok_or_else(overflow)?;
        *slot = slot.checked_add(product).ok_or_else(overflow)?;
        Ok(())
    }

    /// Adds another sum.
    pub(super) fn merge(&mut self, other: &Products) -> Result<(), Error> {
        let mut sum = *self;
        for (a, b) in sum.0.iter_mut().zip(other.0) {
            *a = a.checked_add(b).ok_or_else(overflow)?;
        }
        *self = sum;
        Ok(())
    }

    #[cfg(feature = "serde")]
    /// The non-zero sums as `(scale, sum)`, ascending by scale.
    pub(super) fn by_scale(&self) -> impl Iterator<Item = (u32, i128)> + '_ {
        (0u32..).zip(self.0).filter(|(_, sum)| *sum != 0)
    }

    #[cfg(feature = "serde")]
    /// The sum of `sum` at `scale` (a wire state's entry).
    pub(super) fn set(&mut self, scale: u32, sum: i128) -> Result<(), Error> {
        let slot = usize::try_from(scale).ok().and_then(|s| self.0.get_mut(s)).ok_or_else(overflow)?;
        *slot = sum;
        Ok(())
    }

    /// The exact value as whole minor units and a remainder in `10^-28` minor units
    /// (`0 <= remainder < 10^28`).
    fn split(&self) -> Result<(i128, i128), Error> {
        let unit = 10i128.pow(28);
        let (mut whole, mut fraction) = (0i128, 0i128);
        for (scale, sum) in (0u32..).zip(self.0) {
            let denominator = 10i128.pow(scale);
            // Each remainder is below 10^scale, so scaled to 10^28 it is below 10^28, and the
            // 29 of them sum below 2.9 x 10^29: no overflow.
            let (q, r) = (sum.div_euclid(denominator), sum.rem_euclid(denominator));
            whole = whole.checked_add(q).ok_or_else(overflow)?;
            fraction = fraction
                .checked_add(r.checked_mul(10i128.pow(28 - scale)).ok_or_else(overflow)?)
                .ok_or_else(overflow)?;
        }
        whole = whole.checked_add(fraction.div_euclid(unit)).ok_or_else(overflow)?;
        Ok((whole, fraction.rem_euclid(unit)))
    }

    /// The value rounded half to even to whole minor units.
    pub(super) fn rounded(&self) -> Result<i128, Error> {
        let (whole, remainder) = self.split()?;
        let half = 5 * 10i128.pow(27);
        let up = remainder > half || remainder == half && whole.rem_euclid(2) == 1;
        if up { whole.checked_add(1).ok_or_else(overflow) } else { Ok(whole) }
    }

    #[cfg(feature = "serde")]
    /// Whether the value exceeds `minor` whole minor units.
    pub(super) fn exceeds(&self, minor: i128) -> Result<bool, Error> {
        let (whole, remainder) = self.split()?;
        Ok(whole > minor || whole == minor && remainder > 0)
    }

    #[cfg(feature = "serde")]
    /// Whether some sum is negative.
    pub(super) fn any_negative(&self) -> bool {
        self.0.iter().any(|s| *s < 0)
    }
}
