//! Exact allocation of an amount over weights: largest remainder, ties to the earlier position.
//!
//! For an amount of `T` minor units and non-negative weights `w_i` with sum `W`, part `i` gets
//! `floor(T * w_i / W)` minor units; the `L = T - sum(floors)` units left over (always fewer
//! than the number of weights) go one each to the `L` parts with the largest remainders
//! `T * w_i mod W`, ties to the earlier position. So the parts sum to `T` exactly and each part
//! is within one minor unit of its exact share `T * w_i / W`. A negative amount (a refund) is
//! allocated as its absolute value and negated, so the rule is symmetric.
//!
//! All of it is integer arithmetic: `u128` on the fast path, a 512-bit integer when a weight
//! list mixes huge and tiny decimals. No float is involved anywhere.

use rust_decimal::Decimal;

use super::wide::Wide;
use super::{Currency, Money};
use crate::{Error, ErrorKind};

/// Reusable scratch space for [`MinorAllocator::allocate_into`], the integer fast path.
///
/// One allocator per thread lets a hot loop split millions of amounts without allocating:
/// its buffers grow to the longest weight list seen and are then reused.
///
/// # Example
///
/// ```
/// use revops::money::MinorAllocator;
///
/// let mut allocator = MinorAllocator::new();
/// let mut parts = Vec::new();
/// allocator.allocate_into(10_000, &[1, 1, 1], &mut parts)?; // $100.00 in cents, three ways
/// assert_eq!(parts, [3_334, 3_333, 3_333]);
/// allocator.allocate_into(-100, &[3, 1], &mut parts)?; // a refund splits the same way
/// assert_eq!(parts, [-75, -25]);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct MinorAllocator {
    remainders: Vec<u128>,
    order: Vec<usize>,
}

impl MinorAllocator {
    /// An allocator with empty scratch buffers.
    #[must_use]
    pub const fn new() -> MinorAllocator {
        MinorAllocator { remainders: Vec::new(), order: Vec::new() }
    }

    /// Splits `total` minor units over `weights` into `out` (cleared first), exactly as the
    /// module documentation describes.
    ///
    /// # Errors
    /// [`ErrorKind::Empty { what: "weights" }`] if `weights` is empty; [`ErrorKind::ZeroWeights`] if they are all
    /// zero. On error `out` is left empty.
    pub fn allocate_into(&mut self, total: i64, weights: &[u64], out: &mut Vec<i64>) -> Result<(), Error> {
        out.clear();
        let sum = check_minor_weights(weights)?;
        split_minor(total, weights, sum, out, &mut self.remainders, &mut self.order);
        Ok(())
    }
}

/// The crate's one integer largest-remainder split (used by [`MinorAllocator`], [`Money::allocate`]
/// and every attribution engine): `out` (cleared) gets `floor(|total| * w / sum)` per weight, then
/// [`bump_largest`] hands out the units left over; a negative `total` is split as its magnitude
/// and negated. `sum` must be the weights' sum and positive.
pub(crate) fn split_minor(
    total: i64,
    weights: &[u64],
    sum: u128,
    out: &mut Vec<i64>,
    remainders: &mut Vec<u128>,
    order: &mut Vec<usize>,
) {
    out.clear();
    remainders.clear();
    let magnitude = u128::from(total.unsigned_abs());
    let negative = total < 0;
    let mut assigned: u128 = 0;
    let max_weight = weights.iter().copied().max().unwrap_or(0);
    let narrow = (u64::try_from(sum).ok(), total.unsigned_abs().checked_mul(max_weight));
    if let (Some(sum), Some(_)) = narrow {
        // Everyday sizes: every product and the sum fit in u64, so divide natively in 64 bits.
        let magnitude = total.unsigned_abs();
        for &w in weights {
            let product = magnitude * w;
            let share = product / sum;
            assigned += u128::from(share);
            remainders.push(u128::from(product % sum));
            out.push(signed_minor(u128::from(share), negative));
        }
    } else {
        for &w in weights {
            // |total| < 2^64 and w < 2^64, so the product fits in u128.
            let product = magnitude * u128::from(w);
            let share = product / sum.max(1);
            assigned += share;
            remainders.push(product % sum.max(1));
            // share <= |total| <= 2^63, so it fits in i64 after the sign.
            out.push(signed_minor(share, negative));
        }
    }
    let leftover = usize::try_from(magnitude.saturating_sub(assigned)).unwrap_or(usize::MAX);
    let step = if negative { -1 } else { 1 };
    bump_largest(remainders, leftover, order, |i| {
        if let Some(p) = out.get_mut(i) {
            *p += step;
        }
    });
}

/// Splits `total` minor units over integer `weights`: the integer fast path, equal to
/// [`Money::allocate`] on the same amount and weights. See [`MinorAllocator`] to reuse buffers.
///
/// # Errors
/// [`ErrorKind::Empty { what: "weights" }`] if `weights` is empty; [`ErrorKind::ZeroWeights`] if they are all zero.
///
/// # Example
///
/// ```
/// use revops::money::allocate_minor;
///
/// // W-shaped weights in tenths of a percent over five touches of $1,000.00.
/// let parts = allocate_minor(100_000, &[300, 50, 300, 50, 300])?;
/// assert_eq!(parts, [30_000, 5_000, 30_000, 5_000, 30_000]);
/// # Ok::<(), revops::Error>(())
/// ```
pub fn allocate_minor(total: i64, weights: &[u64]) -> Result<Vec<i64>, Error> {
    let mut out = Vec::with_capacity(weights.len());
    MinorAllocator::new().allocate_into(total, weights, &mut out)?;
    Ok(out)
}

fn check_minor_weights(weights: &[u64]) -> Result<u128, Error> {
    if weights.is_empty() {
        return Err(ErrorKind::Empty { what: "weights" }.into());
    }
    // At most 2^64 weights below 2^64 each: the sum fits in u128.
    let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    if sum == 0 {
        return Err(ErrorKind::ZeroWeights { count: weights.len() }.into());
    }
    Ok(sum)
}

#[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)] // share <= 2^63, see caller
fn signed_minor(share: u128, negative: bool) -> i64 {
    if negative { (share as u64).wrapping_neg() as i64 } else { share as i64 }
}

/// **The tie rule of the crate, written once.** Calls `bump(i)` for the `leftover` positions
/// with the largest remainders, ties to the earlier position (the earlier touch of a journey,
/// the earlier part of an allocation). `(remainder desc, index asc)` is a strict total order, so
/// the chosen set is unique. Every split in the crate ([`split_minor`], the wide path of
/// [`Money::allocate`], the attribution engine and its columnar kernels) hands out its leftover
/// units through this function; the anchored columnar kernel applies the same order to classes
/// of equal remainders (see `attribution::columnar::kernels`), property-tested equal to it.
///
/// Short lists (attribution journeys) rank each position by counting the positions ahead of it
/// (`O(n^2)` comparisons without a branch on the data); longer ones select in linear time.
pub(crate) fn bump_largest<R: Ord>(
    remainders: &[R],
    leftover: usize,
    order: &mut Vec<usize>,
    mut bump: impl FnMut(usize),
) {
    if leftover == 0 {
        return;
    }
    if remainders.len() <= SHORT {
        for (i, r) in remainders.iter().enumerate() {
            let ahead = remainders.iter().enumerate().filter(|&(k, other)| other > r || (other == r && k < i)).count();
            if ahead < leftover {
                bump(i);
            }
        }
        return;
    }
    order.clear();
    order.extend(0..remainders.len());
    if leftover < order.len() {
        order.select_nth_unstable_by(leftover, |&a, &b| remainders.get(b).cmp(&remainders.get(a)).then(a.cmp(&b)));
    }
    for &i in order.iter().take(leftover) {
        bump(i);
    }
}

/// Lists up to this long rank by counting in [`bump_largest`].
const SHORT: usize = 32;

impl Money {
    /// Splits this amount into parts proportional to `weights`, in the currency's minor units,
    /// by the largest-remainder method with ties to the earlier position (see the
    /// [module documentation](crate::money)). The parts sum exactly to the amount, each is
    /// within one minor unit of its exact share, and a zero weight gets exactly zero.
    ///
    /// # Errors
    /// - [`ErrorKind::Empty { what: "weights" }`] if `weights` is empty;
    /// - [`ErrorKind::Negative`] naming the first negative weight;
    /// - [`ErrorKind::ZeroWeights`] if every weight is zero;
    /// - [`ErrorKind::ExcessPrecision`] if the amount has more decimals than its currency allows;
    /// - [`ErrorKind::Overflow`] if the amount in minor units, or a part, is beyond what a
    ///   `Decimal` holds at the currency's scale (amounts above about 10^26 units).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::{Currency, Money};
    /// use rust_decimal_macros::dec;
    ///
    /// let deal = Money::new(dec!(100.00), Currency::USD);
    /// let parts = deal.allocate(&[dec!(1), dec!(1), dec!(1)])?;
    /// let amounts: Vec<_> = parts.iter().map(|m| m.amount()).collect();
    /// assert_eq!(amounts, [dec!(33.34), dec!(33.33), dec!(33.33)]);
    ///
    /// // 40/20/40 of $999.99: exact shares 399.996, 199.998, 399.996. The two cents left
    /// // after flooring go to the largest remainders (.8, then the earlier .6).
    /// let parts = Money::new(dec!(999.99), Currency::USD).allocate(&[dec!(0.4), dec!(0.2), dec!(0.4)])?;
    /// let amounts: Vec<_> = parts.iter().map(|m| m.amount()).collect();
    /// assert_eq!(amounts, [dec!(400.00), dec!(200.00), dec!(399.99)]);
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn allocate(&self, weights: &[Decimal]) -> Result<Vec<Money>, Error> {
        check_decimal_weights(weights)?;
        let total = self.to_minor_i128()?;
        let currency = self.currency();
        // Fast path: the amount and the scaled weights fit the integer allocator.
        if let (Ok(total), Some(small)) = (i64::try_from(total), small_weights(weights)) {
            return allocate_minor(total, &small)?
                .into_iter()
                .map(|m| minor_to_money(i128::from(m), currency))
                .collect();
        }
        let scaled = wide_weights(weights)?;
        allocate_wide(total, &scaled)?.into_iter().map(|m| minor_to_money(m, currency)).collect()
    }
}

/// Validates decimal weights: not empty, none negative, not all zero.
fn check_decimal_weights(weights: &[Decimal]) -> Result<(), Error> {
    if weights.is_empty() {
        return Err(ErrorKind::Empty { what: "weights" }.into());
    }
    if let Some((index, weight)) = weights.iter().enumerate().find(|(_, w)| w.is_sign_negative() && !w.is_zero()) {
        return Err(ErrorKind::Negative { field: "weight", value: format!("{} at position {}", *weight, index) }.into());
    }
    if weights.iter().all(Decimal::is_zero) {
        return Err(ErrorKind::ZeroWeights { count: weights.len() }.into());
    }
    Ok(())
}

/// The weights as `u64` integers at their common scale, if they all fit.
fn small_weights(weights: &[Decimal]) -> Option<Vec<u64>> {
    let scale = weights.iter().map(Decimal::scale).max().unwrap_or(0);
    weights
        .iter()
        .map(|w| {
            let factor = 10u128.checked_pow(scale - w.scale())?;
            u64::try_from(w.mantissa().unsigned_abs().checked_mul(factor)?).ok()
        })
        .collect()
}

/// The weights as wide integers at their common (normalized) scale.
fn wide_weights(weights: &[Decimal]) -> Result<Vec<Wide>, Error> {
    let normalized: Vec<Decimal> = weights.iter().map(Decimal::normalize).collect();
    let scale = normalized.iter().map(Decimal::scale).max().unwrap_or(0);
    normalized
        .iter()
        .map(|w| {
            let mantissa = w.mantissa().unsigned_abs();
            let factor = 10u128.pow(scale - w.scale()); // scale <= 28: 10^28 < 2^94
            Wide::from_u128(mantissa)
                .checked_mul_u128(factor)
                .ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op: "weight scaling" }))
        })
        .collect()
}

/// The exact allocation on wide integers, for weights or totals beyond the fast path.
fn allocate_wide(total: i128, weights: &[Wide]) -> Result<Vec<i128>, Error> {
    let overflow = ErrorKind::Overflow { op: "allocation" };
    let sum = weights.iter().try_fold(Wide::ZERO, |acc, w| acc.checked_add(*w)).ok_or(overflow.clone())?;
    let magnitude = total.unsigned_abs();
    let mut parts = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    let mut assigned: u128 = 0;
    for w in weights {
        let product = w.checked_mul_u128(magnitude).ok_or(overflow.clone())?;
        let (share, rem) = product.div_rem(sum).ok_or(overflow.clone())?;
        // share <= |total| < 2^127 because w <= sum.
        let share = share.to_u128().ok_or(overflow.clone())?;
        assigned = assigned.checked_add(share).ok_or(overflow.clone())?;
        parts.push(i128::try_from(share).map_err(|_| overflow.clone())?);
        remainders.push(rem);
    }
    let leftover = usize::try_from(magnitude - assigned).map_err(|_| overflow)?;
    bump_largest(&remainders, leftover, &mut Vec::new(), |i| {
        if let Some(p) = parts.get_mut(i) {
            *p += 1;
        }
    });
    if total < 0 {
        for p in &mut parts {
            *p = -*p;
        }
    }
    Ok(parts)
}

/// A minor-unit count as money, at the currency's scale where the mantissa allows, otherwise
/// with trailing zeros dropped.
fn minor_to_money(minor: i128, currency: Currency) -> Result<Money, Error> {
    let mut mantissa = minor;
    let mut scale = u32::from(currency.exponent());
    loop {
        if let Ok(amount) = Decimal::try_from_i128_with_scale(mantissa, scale) {
            return Ok(Money::new(amount, currency));
        }
        if scale == 0 || mantissa % 10 != 0 {
            return Err(ErrorKind::Overflow { op: "allocation part" }.into());
        }
        mantissa /= 10;
        scale -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn usd(amount: Decimal) -> Money {
        Money::new(amount, Currency::USD)
    }

    fn amounts(parts: &[Money]) -> Vec<Decimal> {
        parts.iter().map(Money::amount).collect()
    }

    #[test]
    fn the_definitions_page_example() {
        let parts = usd(dec!(100.00)).allocate(&[Decimal::ONE; 3]).unwrap();
        assert_eq!(amounts(&parts), [dec!(33.34), dec!(33.33), dec!(33.33)]);
    }

    #[test]
    fn largest_remainder_beats_earlier_position() {
        // Shares 0.333.., 0.666..: the second has the larger remainder.
        let parts = usd(dec!(0.01)).allocate(&[dec!(1), dec!(2)]).unwrap();
        assert_eq!(amounts(&parts), [dec!(0.00), dec!(0.01)]);
    }

    #[test]
    fn zero_weight_gets_zero() {
        let parts = usd(dec!(0.05)).allocate(&[dec!(0), dec!(1), dec!(0), dec!(1)]).unwrap();
        assert_eq!(amounts(&parts), [dec!(0), dec!(0.03), dec!(0), dec!(0.02)]);
    }

    #[test]
    fn zero_decimal_and_three_decimal_currencies() {
        let yen = Money::new(dec!(1000), Currency::JPY).allocate(&[dec!(1); 3]).unwrap();
        assert_eq!(amounts(&yen), [dec!(334), dec!(333), dec!(333)]);
        let kwd = Money::new(dec!(1), Currency::KWD).allocate(&[dec!(1); 3]).unwrap();
        assert_eq!(amounts(&kwd), [dec!(0.334), dec!(0.333), dec!(0.333)]);
    }

    #[test]
    fn refunds_mirror_sales() {
        let parts = usd(dec!(-100.00)).allocate(&[Decimal::ONE; 3]).unwrap();
        assert_eq!(amounts(&parts), [dec!(-33.34), dec!(-33.33), dec!(-33.33)]);
    }

    #[test]
    fn bad_input_names_the_cause() {
        assert_eq!(usd(dec!(1)).allocate(&[]).unwrap_err(), ErrorKind::Empty { what: "weights" });
        assert_eq!(usd(dec!(1)).allocate(&[dec!(0), dec!(0)]).unwrap_err(), ErrorKind::ZeroWeights { count: 2 });
        assert_eq!(
            usd(dec!(1)).allocate(&[dec!(1), dec!(-0.5)]).unwrap_err(),
            ErrorKind::Negative { field: "weight", value: format!("{} at position {}", dec!(-0.5), 1) }
        );
        assert_eq!(
            usd(dec!(1.005)).allocate(&[dec!(1)]).unwrap_err(),
            ErrorKind::ExcessPrecision { amount: dec!(1.005), currency: Currency::USD, max_decimals: 2 }
        );
        // Trailing zeros are not extra precision.
        assert!(usd(dec!(1.0000)).allocate(&[dec!(1)]).is_ok());
        assert_eq!(allocate_minor(5, &[]).unwrap_err(), ErrorKind::Empty { what: "weights" });
        assert_eq!(allocate_minor(5, &[0]).unwrap_err(), ErrorKind::ZeroWeights { count: 1 });
    }

    #[test]
    fn wide_path_handles_extreme_weights() {
        // Weights spanning 56 orders of magnitude take the 512-bit path.
        let weights = [Decimal::MAX, dec!(0.0000000000000000000000000001), Decimal::MAX];
        let parts = usd(dec!(1000.01)).allocate(&weights).unwrap();
        assert_eq!(amounts(&parts), [dec!(500.01), dec!(0), dec!(500.00)]);
        let big = (Decimal::MAX / dec!(1000)).round_dp(2);
        let parts = usd(big).allocate(&[dec!(1), dec!(2)]).unwrap();
        assert_eq!(parts[0].amount() + parts[1].amount(), big);
    }

    #[test]
    fn huge_amounts_without_room_for_cents_overflow_cleanly() {
        // Decimal::MAX dollars has no room for cents in a Decimal mantissa.
        // Half of an odd number of dollars needs a cent the mantissa cannot hold.
        let err = usd(Decimal::MAX).allocate(&[dec!(1), dec!(1)]).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Overflow { .. }), "{err}");
        // Parts in whole dollars still work: they drop trailing zeros to fit.
        let parts = usd(Decimal::MAX).allocate(&[dec!(1), dec!(2)]).unwrap();
        assert_eq!(parts[0].amount() + parts[1].amount(), Decimal::MAX);
    }

    /// The rule written out the slow way: floors, then sort by (remainder desc, position asc).
    fn reference(total: i64, weights: &[u64]) -> Vec<i64> {
        let t = i128::from(total).abs();
        let sum: i128 = weights.iter().map(|&w| i128::from(w)).sum();
        let mut parts: Vec<i128> = weights.iter().map(|&w| t * i128::from(w) / sum).collect();
        let mut order: Vec<usize> = (0..weights.len()).collect();
        order.sort_by_key(|&i| (std::cmp::Reverse(t * i128::from(weights[i]) % sum), i));
        let leftover = usize::try_from(t - parts.iter().sum::<i128>()).unwrap();
        for &i in order.iter().take(leftover) {
            parts[i] += 1;
        }
        parts.into_iter().map(|p| i64::try_from(if total < 0 { -p } else { p }).unwrap()).collect()
    }

    proptest::proptest! {
        #[test]
        fn equals_the_reference_rule_including_ties(total in -1_000_000i64..1_000_000, weights in proptest::collection::vec(0u64..5, 1..80)) {
            proptest::prop_assume!(weights.iter().any(|&w| w > 0));
            proptest::prop_assert_eq!(allocate_minor(total, &weights).unwrap(), reference(total, &weights));
        }
    }

    #[test]
    fn allocator_reuses_buffers_and_clears_output() {
        let mut a = MinorAllocator::new();
        let mut out = vec![99; 10];
        a.allocate_into(7, &[1, 1], &mut out).unwrap();
        assert_eq!(out, [4, 3]);
        assert!(a.allocate_into(7, &[], &mut out).is_err());
        assert!(out.is_empty());
        a.allocate_into(i64::MIN, &[1, 1, 1], &mut out).unwrap();
        assert_eq!(out.iter().map(|&p| i128::from(p)).sum::<i128>(), i128::from(i64::MIN));
        a.allocate_into(i64::MAX, &[u64::MAX, 1], &mut out).unwrap();
        assert_eq!(out.iter().map(|&p| i128::from(p)).sum::<i128>(), i128::from(i64::MAX));
    }
}
