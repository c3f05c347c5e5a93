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
pub(crate) struct Products([i128; SCALES]);

fn overflow() -> Error {
    crate::Error::from(ErrorKind::Overflow { op: "weighted pipeline" })
}

impl Products {
    /// No product.
    pub(crate) const ZERO: Products = Products([0; SCALES]);

    /// Adds `minor x probability` (`minor` and `probability` not negative).
    pub(crate) fn add(&mut self, minor: i128, probability: Decimal) -> Result<(), Error> {
        let slot = usize::try_from(probability.scale()).ok().and_then(|s| self.0.get_mut(s)).ok_or_else(overflow)?;
        let product = minor.checked_mul(probability.mantissa()).ok_or_else(overflow)?;
        *slot = slot.checked_add(product).ok_or_else(overflow)?;
        Ok(())
    }

    /// Adds another sum.
    pub(crate) fn merge(&mut self, other: &Products) -> Result<(), Error> {
        let mut sum = *self;
        for (a, b) in sum.0.iter_mut().zip(other.0) {
            *a = a.checked_add(b).ok_or_else(overflow)?;
        }
        *self = sum;
        Ok(())
    }

    #[cfg(feature = "serde")]
    /// The non-zero sums as `(scale, sum)`, ascending by scale.
    pub(crate) fn by_scale(&self) -> impl Iterator<Item = (u32, i128)> + '_ {
        (0u32..).zip(self.0).filter(|(_, sum)| *sum != 0)
    }

    #[cfg(feature = "serde")]
    /// The sum of `sum` at `scale` (a wire state's entry).
    pub(crate) fn set(&mut self, scale: u32, sum: i128) -> Result<(), Error> {
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
    pub(crate) fn rounded(&self) -> Result<i128, Error> {
        let (whole, remainder) = self.split()?;
        let half = 5 * 10i128.pow(27);
        let up = remainder > half || remainder == half && whole.rem_euclid(2) == 1;
        if up { whole.checked_add(1).ok_or_else(overflow) } else { Ok(whole) }
    }

    #[cfg(feature = "serde")]
    /// Whether the value exceeds `minor` whole minor units.
    pub(crate) fn exceeds(&self, minor: i128) -> Result<bool, Error> {
        let (whole, remainder) = self.split()?;
        Ok(whole > minor || whole == minor && remainder > 0)
    }

    #[cfg(feature = "serde")]
    /// Whether some sum is negative.
    pub(crate) fn any_negative(&self) -> bool {
        self.0.iter().any(|s| *s < 0)
    }

    #[cfg(feature = "serde")]
    /// The wire form: the non-zero sums by scale, ascending.
    pub(crate) fn wire_sums(&self) -> Vec<ScaleSum> {
        self.by_scale().map(|(scale, sum)| ScaleSum { scale, sum }).collect()
    }

    #[cfg(feature = "serde")]
    /// Reads the wire form of a weighted sum of amounts totalling `amount_minor` minor units
    /// (the state of tally `tally`): scales ascending, distinct, at most 28, sums non-zero, and
    /// the weighted value between zero and the amount (each probability is in `[0, 1]`).
    pub(crate) fn from_wire(tally: &'static str, sums: Vec<ScaleSum>, amount_minor: i128) -> Result<Products, Error> {
        use crate::metrics::wire::bad_state;
        let mut weighted = Products::ZERO;
        let mut last = None;
        for ScaleSum { scale, sum } in sums {
            if last.is_some_and(|l| l >= scale) || scale > 28 || sum == 0 {
                return Err(bad_state(
                    tally,
                    format!("weighted sum {sum} at scale {scale}"),
                    "scales must be ascending, distinct, at most 28, with non-zero sums",
                ));
            }
            last = Some(scale);
            weighted.set(scale, sum)?;
        }
        if weighted.any_negative() || weighted.exceeds(amount_minor)? {
            return Err(bad_state(
                tally,
                format!("weighted sums of amount_minor {amount_minor}"),
                "the weighted amount must lie between zero and the amount",
            ));
        }
        Ok(weighted)
    }
}

/// One entry of a weighted sum on the wire: the sum of minor units x probability digits at one
/// probability scale.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScaleSum {
    scale: u32,
    #[serde(with = "crate::metrics::wire::minor")]
    sum: i128,
}
