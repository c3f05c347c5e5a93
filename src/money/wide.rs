//! A fixed 512-bit unsigned integer, just wide enough for exact allocation.
//!
//! The allocator computes `total * weight / sum_of_weights` and its remainder exactly. With
//! `total` below 2^128 (minor units of any `Decimal`), each weight below 2^190 (a 96-bit
//! `Decimal` mantissa scaled by at most 10^28) and fewer than 2^64 weights, every intermediate
//! value stays below 2^320, so 512 bits never overflow. Only what allocation needs is here.
// Splitting into and joining 64-bit limbs truncates on purpose.
#![allow(clippy::cast_possible_truncation)]

use core::cmp::Ordering;

const LIMBS: usize = 8;

/// An unsigned integer of 512 bits, little-endian 64-bit limbs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Wide([u64; LIMBS]);

impl Wide {
    pub(super) const ZERO: Wide = Wide([0; LIMBS]);

    pub(super) fn from_u128(v: u128) -> Wide {
        let mut limbs = [0; LIMBS];
        limbs[0] = v as u64;
        limbs[1] = (v >> 64) as u64;
        Wide(limbs)
    }

    /// The value if it fits in a `u128`.
    pub(super) fn to_u128(self) -> Option<u128> {
        let [lo, hi, rest @ ..] = self.0;
        rest.iter().all(|&l| l == 0).then(|| u128::from(lo) | (u128::from(hi) << 64))
    }

    /// `self * m`, `None` on overflow past 512 bits.
    pub(super) fn checked_mul_u64(self, m: u64) -> Option<Wide> {
        let mut out = [0u64; LIMBS];
        let mut carry = 0u128;
        for (o, &l) in out.iter_mut().zip(self.0.iter()) {
            let p = u128::from(l) * u128::from(m) + carry;
            *o = p as u64;
            carry = p >> 64;
        }
        (carry == 0).then_some(Wide(out))
    }

    /// `self * m` for a 128-bit `m`, `None` on overflow.
    pub(super) fn checked_mul_u128(self, m: u128) -> Option<Wide> {
        let lo = self.checked_mul_u64(m as u64)?;
        let hi = self.checked_mul_u64((m >> 64) as u64)?.checked_shl_limb()?;
        lo.checked_add(hi)
    }

    fn checked_shl_limb(self) -> Option<Wide> {
        let [rest @ .., top] = self.0;
        if top != 0 {
            return None;
        }
        let mut out = [0u64; LIMBS];
        out[1..].copy_from_slice(&rest);
        Some(Wide(out))
    }

    pub(super) fn checked_add(self, rhs: Wide) -> Option<Wide> {
        let mut out = [0u64; LIMBS];
        let mut carry = false;
        for ((o, &a), &b) in out.iter_mut().zip(self.0.iter()).zip(rhs.0.iter()) {
            let (s1, c1) = a.overflowing_add(b);
            let (s2, c2) = s1.overflowing_add(u64::from(carry));
            *o = s2;
            carry = c1 || c2;
        }
        (!carry).then_some(Wide(out))
    }

    /// `self - rhs`; callers guarantee `self >= rhs`.
    fn wrapping_sub(self, rhs: Wide) -> Wide {
        let mut out = [0u64; LIMBS];
        let mut borrow = false;
        for ((o, &a), &b) in out.iter_mut().zip(self.0.iter()).zip(rhs.0.iter()) {
            let (d1, b1) = a.overflowing_sub(b);
            let (d2, b2) = d1.overflowing_sub(u64::from(borrow));
            *o = d2;
            borrow = b1 || b2;
        }
        Wide(out)
    }

    fn bits(&self) -> u32 {
        for (i, &l) in self.0.iter().enumerate().rev() {
            if l != 0 {
                return i as u32 * 64 + (64 - l.leading_zeros());
            }
        }
        0
    }

    fn bit(&self, i: u32) -> bool {
        self.0.get((i / 64) as usize).is_some_and(|l| (l >> (i % 64)) & 1 == 1)
    }

    /// `self << 1 | bit`, dropping the top bit (callers keep values below 2^511).
    fn shl1_with(self, bit: bool) -> Wide {
        let mut out = [0u64; LIMBS];
        let mut carry = u64::from(bit);
        for (o, &l) in out.iter_mut().zip(self.0.iter()) {
            *o = (l << 1) | carry;
            carry = l >> 63;
        }
        Wide(out)
    }

    /// Quotient and remainder of `self / d`, `None` when `d` is zero. Schoolbook binary long
    /// division: slow (one step per bit of `self`) but only used off the fast path.
    pub(super) fn div_rem(self, d: Wide) -> Option<(Wide, Wide)> {
        if d == Wide::ZERO {
            return None;
        }
        let mut q = Wide::ZERO;
        let mut r = Wide::ZERO;
        for i in (0..self.bits()).rev() {
            r = r.shl1_with(self.bit(i));
            let take = r >= d;
            if take {
                r = r.wrapping_sub(d);
            }
            q = q.shl1_with(take);
        }
        Some((q, r))
    }
}

impl Ord for Wide {
    fn cmp(&self, other: &Wide) -> Ordering {
        self.0.iter().rev().cmp(other.0.iter().rev())
    }
}

impl PartialOrd for Wide {
    fn partial_cmp(&self, other: &Wide) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn matches_u128_arithmetic(a in any::<u64>(), b in any::<u64>(), d in 1u128..) {
            let p = u128::from(a) * u128::from(b);
            let w = Wide::from_u128(u128::from(a)).checked_mul_u128(u128::from(b)).unwrap();
            prop_assert_eq!(w.to_u128(), Some(p));
            let (q, r) = w.div_rem(Wide::from_u128(d)).unwrap();
            prop_assert_eq!(q.to_u128(), Some(p / d));
            prop_assert_eq!(r.to_u128(), Some(p % d));
        }

        #[test]
        fn division_inverts_multiplication(a in any::<u128>(), b in any::<u128>(), c in any::<u128>()) {
            // (a * b + c') / b == a with remainder c' for c' < b.
            prop_assume!(b > 0);
            let c = c % b;
            let n = Wide::from_u128(a).checked_mul_u128(b).unwrap()
                .checked_add(Wide::from_u128(c)).unwrap();
            let (q, r) = n.div_rem(Wide::from_u128(b)).unwrap();
            prop_assert_eq!(q.to_u128(), Some(a));
            prop_assert_eq!(r.to_u128(), Some(c));
        }
    }

    #[test]
    fn division_by_zero_is_none() {
        assert_eq!(Wide::from_u128(5).div_rem(Wide::ZERO), None);
    }

    #[test]
    fn overflow_is_detected() {
        let big = Wide([u64::MAX; LIMBS]);
        assert_eq!(big.checked_add(Wide::from_u128(1)), None);
        assert_eq!(big.checked_mul_u64(2), None);
    }
}
