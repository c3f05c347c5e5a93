//! The specialised integer kernels of the columnar batch (models with default options).
//!
//! Every kernel gives exactly the engine's result: the same integer weights, the value split in
//! minor units by largest remainder with ties to the earliest touch. What they save is work:
//! no per-touch buffers, division by a per-journey reciprocal instead of a hardware divide per
//! touch, and the anchored shapes handle the anchors (at most six) and the middle touches (all
//! of one weight, so one quotient and one remainder) as classes, so the leftover step costs
//! O(anchors²) instead of O(touches²) and is fused with the credit loop.
//!
//! The leftover units follow the crate's one rule, [`crate::money::bump_largest`] (larger
//! remainder first, ties to the earlier touch): time decay calls it; linear per touch (all
//! remainders equal) and the anchored shapes (anchors plus one class of equal middle
//! remainders) apply that order in closed form, and the property tests check them against it.

use super::{ChannelTotals, ColumnarBatch};
use crate::Error;
use crate::attribution::engine::{self, NO_INSTANT, Scratch};
use crate::attribution::model::{DecayCurve, Model, SLOTS};

/// Longest journey the fast kernels handle; longer ones run the general kernel.
const MAX: usize = 32;
/// "No position" for an anchor slot whose role no touch holds.
const NONE: usize = usize::MAX;

impl ColumnarBatch {
    /// Time decay: the engine's integer weights (relative to the youngest touch, 2^40 for it),
    /// split with `u64` arithmetic for journeys up to 32 touches whose products fit; others run
    /// the general kernel.
    #[allow(clippy::many_single_char_names)] // a tight numeric loop
    pub(super) fn decay_fast(
        &self,
        model: &Model,
        half_life_ns: i64,
        curve: DecayCurve,
        from: usize,
        to: usize,
        out: &mut ChannelTotals,
    ) -> Result<(), Error> {
        let mut scratch = Scratch::default();
        let mut flags = Vec::new();
        let mut weights = [0u64; MAX];
        let mut keys = [0u64; MAX];
        let mut order = Vec::new();
        for j in from..to {
            let Some((s, e)) = self.bounds(j) else { continue };
            let (Some(&value), Some(&conv)) = (self.value.get(j), self.conversion_at.get(j)) else { continue };
            if conv == NO_INSTANT {
                out.non_converting += 1;
                continue;
            }
            let n = e - s;
            let v = value.unsigned_abs();
            let (Some(chans), Some(ats), Some(w), Some(key)) =
                (self.channel.get(s..e), self.at.get(s..e), weights.get_mut(..n), keys.get_mut(..n))
            else {
                self.general(model, j, j + 1, &mut scratch, &mut flags, out)?;
                continue;
            };
            // v * 2^40 and the sum of at most 32 weights of 2^40 must fit u64.
            let Some(&youngest) = ats.last().filter(|_| v < (1 << 23)) else {
                self.general(model, j, j + 1, &mut scratch, &mut flags, out)?;
                continue;
            };
            let youngest_age = conv.saturating_sub(youngest);
            for (x, &t) in w.iter_mut().zip(ats) {
                let age = conv.saturating_sub(t);
                *x = match curve {
                    DecayCurve::Step => {
                        let steps = age / half_life_ns - youngest_age / half_life_ns;
                        u32::try_from(steps).ok().and_then(|st| engine::DECAY_ONE.checked_shr(st)).unwrap_or(0)
                    }
                    DecayCurve::Continuous => engine::continuous_weight(age.saturating_sub(youngest_age), half_life_ns),
                };
            }
            let sum: u64 = w.iter().sum();
            if sum == 0 {
                // Unreachable (the youngest touch weighs 2^40); the general kernel decides.
                self.general(model, j, j + 1, &mut scratch, &mut flags, out)?;
                continue;
            }
            out.conversions += 1;
            out.revenue += i128::from(value);
            // Products are below 2^63 and the sum below 2^45: one reciprocal per journey.
            let div = Reciprocal::new(sum);
            let mut assigned = 0u64;
            for (x, kk) in w.iter_mut().zip(key.iter_mut()) {
                let (q, r) = div.divrem(v * *x);
                *x = q;
                *kk = r;
                assigned += q;
            }
            let left = usize::try_from(v - assigned).unwrap_or(usize::MAX);
            crate::money::bump_largest(key, left, &mut order, |i| {
                if let Some(x) = w.get_mut(i) {
                    *x += 1;
                }
            });
            for (&ch, &part) in chans.iter().zip(w.iter()) {
                if let Some(slot) = out.sums.get_mut(ch as usize) {
                    *slot += i128::from(part);
                }
            }
        }
        Ok(())
    }

    /// First or last touch: the whole value to one touch per journey. Visits only the
    /// converting journeys (their positions are kept on push), so the cost is per conversion,
    /// not per journey.
    pub(super) fn single_fast(&self, from: usize, to: usize, last: bool, out: &mut ChannelTotals) {
        let lo = self.converting.partition_point(|c| (c.journey as usize) < from);
        let hi = self.converting.partition_point(|c| (c.journey as usize) < to);
        let converting = self.converting.get(lo..hi).unwrap_or(&[]);
        out.non_converting += to.saturating_sub(from).saturating_sub(converting.len()) as u64;
        out.conversions += converting.len() as u64;
        for c in converting {
            out.revenue += i128::from(c.value);
            let ch = if last { c.last } else { c.first };
            if let Some(slot) = out.sums.get_mut(ch as usize) {
                *slot += i128::from(c.value);
            }
        }
    }

    /// Linear per touch: `v / n` each, the first `v % n` touches one unit more (all remainders
    /// are equal, so largest remainder gives the earliest touches the leftover).
    pub(super) fn linear_fast(&self, from: usize, to: usize, out: &mut ChannelTotals) {
        let offsets = self.offsets.get(from..=to).unwrap_or(&[]);
        let values = self.value.get(from..to).unwrap_or(&[]);
        let conv = self.conversion_at.get(from..to).unwrap_or(&[]);
        for ((w, &v), &c) in offsets.windows(2).zip(values).zip(conv) {
            let [s, e] = *w else { continue };
            if c == NO_INSTANT {
                out.non_converting += 1;
                continue;
            }
            out.conversions += 1;
            out.revenue += i128::from(v);
            let Some(chans) = self.channel.get(s as usize..e as usize) else { continue };
            let n = chans.len() as u64;
            if n == 0 {
                continue;
            }
            let v = v.unsigned_abs();
            let (base, extra) = (v / n, v % n);
            for (k, &ch) in chans.iter().enumerate() {
                let part = base + u64::from((k as u64) < extra);
                if let Some(slot) = out.sums.get_mut(ch as usize) {
                    *slot += i128::from(part);
                }
            }
        }
    }

    /// Anchored shapes with default options (redistribute, sum, proportional): the engine's
    /// weight rules as classes. Per journey: the slots' positions (from role bitmasks, or from
    /// milestone times), the distinct anchored touches with their summed weights (at most six),
    /// the engine's integer weights (anchors `a * (A + pool) * c`, middle `m * A`), one quotient
    /// and remainder per anchor and one for all the middle touches, and the leftover units by
    /// rank (larger remainder, then earlier touch) fused into the credit loop. Journeys over 32
    /// touches or with products past `u64` run the general kernel.
    #[allow(clippy::too_many_lines, clippy::many_single_char_names, clippy::similar_names)] // a tight numeric loop
    pub(super) fn anchored_fast(
        &self,
        model: &Model,
        slots: [u64; SLOTS],
        middle: u64,
        from: usize,
        to: usize,
        out: &mut ChannelTotals,
    ) -> Result<(), Error> {
        let mut scratch = Scratch::default();
        let mut flags = Vec::new();
        // The model's weighted slots (a constant list: fixed trip counts below).
        let mut active = [(0usize, 0u64); SLOTS];
        let mut m = 0;
        for (slot, &w) in slots.iter().enumerate() {
            if w > 0
                && let Some(a) = active.get_mut(m)
            {
                *a = (slot, w);
                m += 1;
            }
        }
        let active = active.get(..m).unwrap_or(&[]);
        let slot_total: u64 = slots.iter().sum();
        let has_milestones =
            self.milestones.get(from..to).unwrap_or(&[]).iter().any(|ms| ms.iter().any(|&t| t != NO_INSTANT));
        let mut plans = Plans::new();
        for j in from..to {
            let Some((s, e)) = self.bounds(j) else { continue };
            let (Some(&value), Some(&conv)) = (self.value.get(j), self.conversion_at.get(j)) else { continue };
            if conv == NO_INSTANT {
                out.non_converting += 1;
                continue;
            }
            let n = e - s;
            let Some(chans) = self.channel.get(s..e) else { continue };
            if n == 0 {
                continue;
            }
            if n > MAX {
                self.general(model, j, j + 1, &mut scratch, &mut flags, out)?;
                continue;
            }
            // Slot positions: first, last, then the roles from bitmasks (bit `k` is touch `k`):
            // first touch the earliest flagged (else the first), the others the latest flagged
            // (else missing). Eight role bytes at a time: bit `b` of each byte is gathered into
            // one byte by a multiply (no carries reach the top byte).
            let mut masks = [0u64; 4];
            for chunk in 0..n.div_ceil(8) {
                let start = s + 8 * chunk;
                let len = (n - 8 * chunk).min(8);
                let word = if let Some(bytes) = self.roles.get(start..start + 8) {
                    u64::from_le_bytes(bytes.try_into().unwrap_or([0; 8]))
                } else {
                    let mut bytes = [0u8; 8];
                    if let (Some(dst), Some(src)) = (bytes.get_mut(..len), self.roles.get(start..start + len)) {
                        dst.copy_from_slice(src);
                    }
                    u64::from_le_bytes(bytes)
                };
                let word = word & u64::MAX.checked_shr(64 - 8 * u32::try_from(len).unwrap_or(8)).unwrap_or(0);
                for (b, mask) in masks.iter_mut().enumerate() {
                    let bits = (((word >> b) & 0x0101_0101_0101_0101).wrapping_mul(0x0102_0408_1020_4080)) >> 56;
                    *mask |= bits << (8 * chunk);
                }
            }
            let [ftm, lcm, ocm, cwm] = masks;
            let latest = |mask: u64| if mask == 0 { NONE } else { 63 - mask.leading_zeros() as usize };
            let mut pos = [
                0,
                n - 1,
                if ftm == 0 { 0 } else { ftm.trailing_zeros() as usize },
                latest(lcm),
                latest(ocm),
                latest(cwm),
            ];
            if has_milestones {
                let ms = self.milestones.get(j).copied().unwrap_or([NO_INSTANT; 3]);
                let ats = self.at.get(s..e).unwrap_or(&[]);
                for (p, t) in pos.iter_mut().skip(3).zip(ms) {
                    if t != NO_INSTANT {
                        *p = ats.iter().rposition(|&a| a <= t).unwrap_or(NONE);
                    }
                }
            }
            // The journey's plan (anchors and engine weights), cached by its shape.
            let mut key = n as u64;
            for (i, &(slot, _)) in active.iter().enumerate() {
                let p = pos.get(slot).copied().unwrap_or(NONE).min(63) as u64;
                key |= p << (6 + 6 * i);
            }
            let plan = plans.get(key, n, &pos, active, slot_total, middle);
            let v = value.unsigned_abs();
            let Some(product_bound) = v.checked_mul(plan.top) else {
                self.general(model, j, j + 1, &mut scratch, &mut flags, out)?;
                continue;
            };
            out.conversions += 1;
            out.revenue += i128::from(value);
            let (sum, c, d) = (plan.sum, plan.c, plan.d);
            let small = sum < SMALL && product_bound < SMALL;
            let magic = plan.magic;
            let divrem = |p: u64| if small { divrem_small(p, sum, magic) } else { (p / sum, p % sum) };
            let (q_mid, r_mid) = divrem(v * plan.mid_w);
            let mut q = [0u64; SLOTS];
            let mut r = [0u64; SLOTS];
            let (Some(q), Some(r), Some(weights), Some(anchor_pos)) =
                (q.get_mut(..d), r.get_mut(..d), plan.weights.get(..d), plan.pos.get(..d))
            else {
                continue;
            };
            let mut assigned = q_mid * c;
            for ((qa, ra), &w) in q.iter_mut().zip(r.iter_mut()).zip(weights) {
                (*qa, *ra) = divrem(v * w);
                assigned += *qa;
            }
            let left = v - assigned;
            // Ranks: anchors (in touch order) among anchors by (remainder, earlier touch), plus
            // the middle touches ahead of them; the middle touches ranked in the credit loop
            // below. An anchor's leftover unit is added to its quotient.
            let mut tie_mask = 0u64;
            let mut ahead_of_middle = 0u64;
            for (i, (&ri, &p)) in r.iter().zip(anchor_pos).enumerate() {
                tie_mask |= u64::from(ri == r_mid) << p;
                ahead_of_middle += u64::from(ri > r_mid);
                let (before, after) = r.split_at(i);
                let mut rank = before.iter().filter(|&&rj| rj >= ri).count() as u64
                    + after.iter().skip(1).filter(|&&rj| rj > ri).count() as u64;
                rank += match r_mid.cmp(&ri) {
                    core::cmp::Ordering::Greater => c,
                    core::cmp::Ordering::Equal => u64::from(p) - i as u64,
                    core::cmp::Ordering::Less => 0,
                };
                if let Some(qa) = q.get_mut(i) {
                    *qa += u64::from(rank < left);
                }
            }
            // Every touch gets the middle part; the middle touches their leftover unit by rank;
            // the anchors are corrected to their own part after. A middle touch's rank is the
            // anchors ahead of the middle plus the middle touches and tied anchors before it, so
            // the first `left - ahead` of those (in touch order) get the unit.
            let mut ranked = plan.mid_mask | tie_mask;
            let mut bumped = 0u64;
            for _ in 0..left.saturating_sub(ahead_of_middle).min(64) {
                bumped |= ranked & ranked.wrapping_neg();
                ranked &= ranked.wrapping_sub(1);
            }
            bumped &= plan.mid_mask;
            for (k, &ch) in chans.iter().enumerate() {
                if let Some(slot) = out.sums.get_mut(ch as usize) {
                    *slot += i128::from(q_mid + ((bumped >> k) & 1));
                }
            }
            for (&p, &qa) in anchor_pos.iter().zip(q.iter()) {
                let ch = chans.get(usize::from(p)).copied().unwrap_or(0);
                if let Some(slot) = out.sums.get_mut(ch as usize) {
                    *slot += i128::from(qa) - i128::from(q_mid);
                }
            }
        }
        Ok(())
    }
}

/// One journey shape's split constants under an anchored model: its distinct anchored touches
/// in touch order with their engine weights, the middle weight and count, the weight sum and
/// its [`divrem_small`] magic number.
#[derive(Clone, Copy, Debug)]
struct Plan {
    key: u64,
    /// Distinct anchored touches (live ones only).
    d: usize,
    pos: [u8; SLOTS],
    /// Engine weight of each anchored touch: summed slot weights times `scale`.
    weights: [u64; SLOTS],
    /// Middle touches (`n - d`) and the weight of each.
    c: u64,
    mid_w: u64,
    /// Largest single weight, the weight sum, the sum's magic number (0 past [`SMALL`]).
    top: u64,
    sum: u64,
    magic: u64,
    /// Bit `k` set when touch `k` is a middle (not anchored) touch.
    mid_mask: u64,
}

/// Cache slots for [`Plans`] (a power of two).
const PLANS: usize = 256;

/// A direct-mapped cache of [`Plan`]s keyed by journey length and the active slots' positions:
/// a batch has few distinct shapes, so most journeys skip the anchor bookkeeping.
#[derive(Debug)]
struct Plans {
    slots: Vec<Plan>,
}

impl Plans {
    fn new() -> Plans {
        let empty = Plan {
            key: u64::MAX,
            d: 0,
            pos: [0; SLOTS],
            weights: [0; SLOTS],
            c: 0,
            mid_w: 0,
            top: 0,
            sum: 0,
            magic: 0,
            mid_mask: 0,
        };
        Plans { slots: vec![empty; PLANS] }
    }

    /// The plan of a journey of `n` touches (`0 < n <= 32`) whose slots sit at `pos`.
    #[allow(clippy::cast_possible_truncation)] // the hash's top bits and positions below 32
    fn get(
        &mut self,
        key: u64,
        n: usize,
        pos: &[usize; SLOTS],
        active: &[(usize, u64)],
        slot_total: u64,
        middle: u64,
    ) -> Plan {
        let i = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as usize % PLANS;
        if let Some(p) = self.slots.get(i)
            && p.key == key
        {
            return *p;
        }
        // Distinct anchored touches: the first active slot at a position owns it and sums
        // the weights of every active slot there.
        let mut anchor_pos = [NONE; SLOTS];
        let mut anchor_w = [0u64; SLOTS];
        let mut pool = 0u64;
        for (i, &(slot, w)) in active.iter().enumerate() {
            let p = pos.get(slot).copied().unwrap_or(NONE);
            if p == NONE {
                pool += w;
                continue;
            }
            let owner = anchor_pos.iter().take(i).position(|&q| q == p).unwrap_or(i);
            if let (Some(ap), Some(aw)) = (anchor_pos.get_mut(owner), anchor_w.get_mut(owner)) {
                *ap = p;
                *aw += w;
            }
        }
        let anchor_sum = slot_total - pool;
        let mut live: [(usize, u64); SLOTS] = [(0, 0); SLOTS];
        let mut d = 0;
        for (&p, &w) in anchor_pos.iter().zip(&anchor_w) {
            if w > 0
                && let Some(l) = live.get_mut(d)
            {
                *l = (p, w);
                d += 1;
            }
        }
        let live = live.get_mut(..d).unwrap_or(&mut []);
        live.sort_unstable();
        let c = (n - d) as u64;
        // Engine weights: no anchor at all: 1 each; no middle: raw anchor weights.
        let (mid_w, scale) = if anchor_sum == 0 {
            (1, 0)
        } else if c == 0 {
            (0, 1)
        } else {
            (middle * anchor_sum, (anchor_sum + pool) * c)
        };
        let sum = anchor_sum * scale + mid_w * c;
        let mut plan = Plan {
            key,
            d,
            pos: [0; SLOTS],
            weights: [0; SLOTS],
            c,
            mid_w,
            top: (anchor_sum * scale).max(mid_w),
            sum,
            magic: if sum < SMALL { magic(sum) } else { 0 },
            mid_mask: u64::MAX >> (64 - n),
        };
        for ((&(p, w), pp), ww) in live.iter().zip(plan.pos.iter_mut()).zip(plan.weights.iter_mut()) {
            *pp = p as u8;
            *ww = w * scale;
            plan.mid_mask &= !(1 << p);
        }
        if let Some(slot) = self.slots.get_mut(i) {
            *slot = plan;
        }
        plan
    }
}

/// Division of dividends below 2^63 by one divisor via its reciprocal: one hardware divide per
/// divisor, then a multiply and at most one correction per quotient.
#[derive(Clone, Copy, Debug)]
struct Reciprocal {
    d: u64,
    m: u64,
}

impl Reciprocal {
    /// `d > 0`.
    fn new(d: u64) -> Reciprocal {
        Reciprocal { d, m: u64::MAX / d.max(1) }
    }

    /// `(a / d, a % d)` for `a < 2^63`: `m = floor((2^64 - 1) / d)` makes the high half of
    /// `a * m` at most one below the quotient.
    #[allow(clippy::cast_possible_truncation)] // the high half of a u128 product of two u64s fits u64
    fn divrem(self, a: u64) -> (u64, u64) {
        let mut q = ((u128::from(self.m) * u128::from(a)) >> 64) as u64;
        let mut r = a - q * self.d;
        if r >= self.d {
            q += 1;
            r -= self.d;
        }
        (q, r)
    }
}

/// Bound below which [`divrem_small`] is exact: dividends and divisors under 2^32.
const SMALL: u64 = 1 << 32;

/// Division by an invariant divisor without a hardware divide (Lemire, Kaser and Kurz 2019,
/// "Faster remainder by direct computation"): for `a, d < 2^32` and `m = floor((2^64 - 1) / d) + 1`,
/// `a / d` is the high 64 bits of `m * a`. `m = 0` stands for `d = 1`.
#[allow(clippy::cast_possible_truncation)] // the high half of a u128 product of two u64s fits u64
fn divrem_small(a: u64, d: u64, m: u64) -> (u64, u64) {
    if m == 0 {
        return (a, 0);
    }
    let q = ((u128::from(m) * u128::from(a)) >> 64) as u64;
    (q, a - q * d)
}

/// The [`divrem_small`] magic number of `d` (`0 < d < 2^32`).
fn magic(d: u64) -> u64 {
    if d <= 1 { 0 } else { u64::MAX / d + 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reciprocal_division_is_exact() {
        for d in [1u64, 2, 3, 7, 10, 641, 65_536, 4_294_967_291] {
            let m = magic(d);
            for a in [0u64, 1, d - 1, d, d + 1, 123_456_789, 4_294_967_295] {
                assert_eq!(divrem_small(a, d, m), (a / d, a % d), "{a} / {d}");
            }
        }
        for d in [1u64, 2, 3, 7, 1 << 40, (1 << 45) - 1, 35_184_372_088_831, u64::MAX >> 1] {
            let div = Reciprocal::new(d);
            for a in [0u64, 1, d - 1, d, d + 1, 123_456_789_012, (1 << 63) - 1, (1 << 62) + 12_345] {
                assert_eq!(div.divrem(a), (a / d, a % d), "{a} / {d}");
            }
        }
    }
}

/// Instruction-count probes (issue 11, "Speed"): one model over 20,000 testkit batch journeys,
/// ten passes, for `valgrind --tool=cachegrind --cache-sim=no` on a release test binary; the
/// `probe_none` baseline builds the batch and runs nothing. Ignored: probes, not laws.
#[cfg(all(test, feature = "testkit"))]
mod probes {
    use crate::attribution::Model;
    use crate::testkit::Company;

    #[allow(clippy::unwrap_used)] // a probe fails loudly on a broken fixture
    fn run(model: Option<Model>) {
        let batch = Company::sample().attribution_batch(20_000, 1_000).unwrap();
        if let Some(model) = model {
            for _ in 0..10 {
                std::hint::black_box(batch.channel_totals_serial(std::hint::black_box(&model)).unwrap());
            }
        }
        eprintln!("touches {}", batch.touches());
    }

    #[test]
    #[ignore = "probe"]
    fn probe_none() {
        run(None);
    }
    #[test]
    #[ignore = "probe"]
    fn probe_linear() {
        run(Some(Model::linear()));
    }
    #[test]
    #[ignore = "probe"]
    fn probe_w_shaped() {
        run(Some(Model::w_shaped()));
    }
    #[test]
    #[ignore = "probe"]
    fn probe_position_based() {
        run(Some(Model::position_based()));
    }
    #[test]
    #[ignore = "probe"]
    fn probe_full_path() {
        run(Some(Model::full_path()));
    }
    #[test]
    #[ignore = "probe"]
    fn probe_time_decay() {
        run(Some(Model::time_decay(chrono::TimeDelta::try_days(7).unwrap()).unwrap()));
    }
}
