//! The kernel every form (row, accumulator, columnar) runs: window and exclusions, roles,
//! integer weights, and the exact largest-remainder split in minor units.
//!
//! It works on a flat view of one journey (instants in the crate's batch time unit, `i64` nanoseconds, role bits, channel keys),
//! so the row API and the columnar batch share one definition and agree by construction.

use super::credit::{Anchors, Rule};
use super::model::{DecayCurve, Kernel, LinearPer, MiddleSpan, MissingAnchor, Model, SLOTS, ShortJourney, Stacking};
use crate::facts::Role;

pub(crate) use crate::limits::{MAX_NANOS, MIN_NANOS, NO_INSTANT};

/// One converting journey, flattened.
#[derive(Clone, Copy, Debug)]
pub(crate) struct View<'a> {
    /// Touch instants in nanoseconds, non-decreasing.
    pub(crate) at: &'a [i64],
    /// Explicit role bits per touch.
    pub(crate) roles: &'a [u8],
    /// Channel key per touch (any consistent numbering).
    pub(crate) channel: &'a [u32],
    /// Excluded flag per touch; empty when the model excludes nothing.
    pub(crate) excluded: &'a [bool],
    /// Conversion instant in nanoseconds.
    pub(crate) conversion_at: i64,
    /// Value in minor units, non-negative.
    pub(crate) value: i64,
    /// Lead created, opportunity created, closed won, in nanoseconds, or [`NO_INSTANT`].
    pub(crate) milestones: [i64; 3],
}

/// Why a journey could not be credited (turned into an [`Error`](crate::Error) by the caller,
/// who knows the journey's name).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// No touch inside the lookback window.
    EmptyWindow,
    /// A weighted role has no touch and the policy is `error`.
    MissingAnchor(Role),
    /// An integer weight overflowed (journeys of many millions of touches).
    Overflow,
}

/// Reusable buffers: after [`Scratch::run`], `kept[i]` is the index of a credited touch in the
/// view, with `weights[i]`, `rules[i]` and `parts[i]` (minor units).
#[derive(Clone, Debug, Default)]
pub(crate) struct Scratch {
    pub(crate) kept: Vec<u32>,
    pub(crate) weights: Vec<u64>,
    pub(crate) rules: Vec<Rule>,
    pub(crate) parts: Vec<i64>,
    pub(crate) weight_sum: u128,
    rems: Vec<u128>,
    order: Vec<u32>,
    select: Vec<usize>,
    local: Vec<u32>,
    seen: Vec<u32>,
}

const SLOT_ROLE: [Option<Role>; SLOTS] = [
    None,
    None,
    Some(Role::FirstTouch),
    Some(Role::LeadCreation),
    Some(Role::OpportunityCreation),
    Some(Role::ClosedWon),
];
const SLOT_ANCHOR: [Anchors; SLOTS] = [
    Anchors::FIRST,
    Anchors::LAST,
    Anchors::FIRST_TOUCH,
    Anchors::LEAD_CREATION,
    Anchors::OPPORTUNITY_CREATION,
    Anchors::CLOSED_WON,
];

/// Flag of a non-anchor touch outside the model's middle span (above every anchor bit).
const OUTSIDE: u32 = 1 << 8;

/// The anchored kernel's slot of a role.
const fn role_slot(role: Role) -> usize {
    match role {
        Role::FirstTouch => 2,
        Role::LeadCreation => 3,
        Role::OpportunityCreation => 4,
        Role::ClosedWon => 5,
    }
}

impl Scratch {
    /// Credits one converting journey under `model`.
    pub(crate) fn run(&mut self, model: &Model, view: &View<'_>) -> Result<(), Failure> {
        self.select(model, view)?;
        self.weights.clear();
        self.rules.clear();
        match *model.kernel() {
            Kernel::Anchored { slots, middle } => self.anchored(model, view, slots, middle)?,
            Kernel::Linear { per: LinearPer::Touch } => {
                self.weights.resize(self.kept.len(), 1);
                self.rules.resize(self.kept.len(), Rule::Linear);
            }
            Kernel::Linear { per: LinearPer::Channel } => self.per_channel(view)?,
            Kernel::TimeDecay { half_life_ns, curve } => self.decay(view, half_life_ns, curve),
        }
        split(view.value, &self.weights, &mut self.parts, &mut self.rems, &mut self.select)
            .map(|sum| self.weight_sum = sum)
    }

    /// Lookback window, then exclusions with the all-excluded fallback ([definitions
    /// 1.1](crate::definitions::attribution#11-input)).
    fn select(&mut self, model: &Model, view: &View<'_>) -> Result<(), Failure> {
        let n = u32::try_from(view.roles.len()).map_err(|_| Failure::Overflow)?;
        let start = match model.options().lookback {
            Some(lookback) => {
                // Validated at most `i64::MAX` ns; the window starts no earlier than the first
                // valid instant, so saturating loses nothing.
                let from = view.conversion_at.saturating_sub(lookback.num_nanoseconds().unwrap_or(i64::MAX));
                u32::try_from(view.at.partition_point(|&t| t < from)).map_err(|_| Failure::Overflow)?
            }
            None => 0,
        };
        if start >= n {
            return Err(Failure::EmptyWindow);
        }
        self.kept.clear();
        if view.excluded.is_empty() {
            self.kept.extend(start..n);
        } else {
            self.kept.extend((start..n).filter(|&i| !view.excluded.get(i as usize).copied().unwrap_or(false)));
            if self.kept.is_empty() {
                self.kept.extend(start..n);
            }
        }
        Ok(())
    }

    /// Position of each slot among the kept touches.
    fn anchors(&self, view: &View<'_>) -> [Option<usize>; SLOTS] {
        let n = self.kept.len();
        let role_of = |k: usize| self.kept.get(k).and_then(|&i| view.roles.get(i as usize)).copied().unwrap_or(0);
        let at_of = |k: usize| self.kept.get(k).and_then(|&i| view.at.get(i as usize)).copied().unwrap_or(NO_INSTANT);
        let mut pos = [None; SLOTS];
        pos[0] = (n > 0).then_some(0);
        pos[1] = n.checked_sub(1);
        pos[2] = (0..n).find(|&k| role_of(k) & Role::FirstTouch.bit() != 0).or(pos[0]);
        for (slot, (role, milestone)) in [Role::LeadCreation, Role::OpportunityCreation, Role::ClosedWon]
            .into_iter()
            .zip(view.milestones)
            .enumerate()
        {
            let found = if milestone == NO_INSTANT {
                (0..n).rev().find(|&k| role_of(k) & role.bit() != 0)
            } else {
                (0..n).rev().find(|&k| at_of(k) <= milestone)
            };
            if let Some(p) = pos.get_mut(slot + 3) {
                *p = found;
            }
        }
        pos
    }

    #[allow(clippy::too_many_lines)]
    fn anchored(&mut self, model: &Model, view: &View<'_>, slots: [u64; SLOTS], middle: u64) -> Result<(), Failure> {
        let n = self.kept.len();
        let pos = self.anchors(view);
        let options = model.options();
        // Per kept touch: anchor weight and anchor flags (reuse `weights` and `order` buffers).
        self.weights.resize(n, 0);
        self.order.clear();
        self.order.resize(n, 0);
        let mut pool: u64 = 0;
        for ((&w, p), (role, flag)) in slots.iter().zip(pos).zip(SLOT_ROLE.iter().zip(SLOT_ANCHOR)) {
            if w == 0 {
                continue;
            }
            let p = match (p, options.missing_anchor) {
                (Some(p), _) => p,
                (None, MissingAnchor::Redistribute) => {
                    pool += w;
                    continue;
                }
                (None, MissingAnchor::RollToLatest) => {
                    if let Some(last) = self.order.last_mut() {
                        *last |= u32::from(Anchors::PENDING.bits());
                    }
                    if let Some(last) = self.weights.last_mut() {
                        *last += w;
                    }
                    continue;
                }
                (None, MissingAnchor::Error) => return Err(Failure::MissingAnchor(role.unwrap_or(Role::FirstTouch))),
            };
            if let (Some(a), Some(f)) = (self.weights.get_mut(p), self.order.get_mut(p)) {
                if options.stacking == Stacking::Single && *a > 0 {
                    // Keep the larger weight on the touch; the other goes to the pool.
                    pool += w.min(*a);
                    *a = w.max(*a);
                } else {
                    *a += w;
                }
                *f |= u32::from(flag.bits());
            }
        }
        // A middle span: non-anchor touches outside it are marked [`OUTSIDE`] and weigh 0.
        if let MiddleSpan::Between { from, to } = options.middle {
            let at = |role: Role| pos.get(role_slot(role)).copied().flatten();
            let (lo, hi) = (at(from), at(to));
            for (k, f) in self.order.iter_mut().enumerate() {
                let inside = matches!((lo, hi), (Some(lo), Some(hi)) if lo < k && k < hi);
                if *f == 0 && !inside {
                    *f = OUTSIDE;
                }
            }
        }
        let anchor_sum: u64 = self.weights.iter().sum();
        let middle_count = self.order.iter().filter(|&&f| f == 0).count() as u64;
        let anchor_count = self.order.iter().filter(|&&f| f != 0 && f != OUTSIDE).count() as u64;
        if anchor_sum == 0 {
            // No weighted anchor present at all: everything equally over every touch.
            self.weights.iter_mut().for_each(|w| *w = 1);
            self.rules.resize(n, Rule::Middle);
            return Ok(());
        }
        let scale_err = || Failure::Overflow;
        if middle_count == 0 && (middle == 0 || options.short_journey == ShortJourney::Proportional) {
            // Pool and middle go to the anchors in proportion: the raw weights already say so.
        } else if middle_count == 0 {
            // DP6: the middle equally to each anchored touch; the pool in proportion.
            let total = anchor_sum.checked_add(pool).ok_or_else(scale_err)?;
            for (w, &f) in self.weights.iter_mut().zip(&self.order) {
                *w = if f == OUTSIDE {
                    0
                } else {
                    w.checked_mul(total)
                        .and_then(|x| x.checked_mul(anchor_count))
                        .and_then(|x| x.checked_add(middle.checked_mul(anchor_sum)?))
                        .ok_or_else(scale_err)?
                };
            }
        } else {
            let total = anchor_sum.checked_add(pool).ok_or_else(scale_err)?;
            let middle_w = middle.checked_mul(anchor_sum).ok_or_else(scale_err)?;
            for (w, &f) in self.weights.iter_mut().zip(&self.order) {
                *w = if f == 0 {
                    middle_w
                } else {
                    w.checked_mul(total).and_then(|x| x.checked_mul(middle_count)).ok_or_else(scale_err)?
                };
            }
        }
        // A touch outside the middle span is a (zero) middle credit.
        self.rules.extend(self.order.iter().map(|&f| {
            if f == 0 || f == OUTSIDE {
                Rule::Middle
            } else {
                Rule::Anchor(Anchors::from_bits(u8::try_from(f).unwrap_or(0)))
            }
        }));
        Ok(())
    }

    /// Equal per distinct channel, then equal per touch within a channel: touch weight
    /// `L / count(channel)` with `L` the lcm of the channel counts, so every channel's touches
    /// weigh the same in total. [`Failure::Overflow`] past `u32::MAX` distinct channels
    /// (unreachable: [`Scratch::select`] refuses more touches than that).
    fn per_channel(&mut self, view: &View<'_>) -> Result<(), Failure> {
        let n = self.kept.len();
        // Local channel index per kept touch, in order of first appearance.
        self.seen.clear();
        self.local.clear();
        for &i in &self.kept {
            let key = view.channel.get(i as usize).copied().unwrap_or(0);
            let idx = self.seen.iter().position(|&s| s == key).unwrap_or_else(|| {
                self.seen.push(key);
                self.seen.len() - 1
            });
            self.local.push(u32::try_from(idx).map_err(|_| Failure::Overflow)?);
        }
        let mut counts = vec![0u64; self.seen.len()];
        for &l in &self.local {
            if let Some(c) = counts.get_mut(l as usize) {
                *c += 1;
            }
        }
        // lcm of the counts; counts are at most n, and distinct counts are few in practice.
        let lcm = counts.iter().try_fold(1u64, |acc, &c| acc.checked_mul(c / gcd(acc, c)));
        match lcm.filter(|&l| l.checked_mul(n as u64).is_some()) {
            Some(l) => {
                self.weights.extend(self.local.iter().map(|&c| l / counts.get(c as usize).copied().unwrap_or(1)));
            }
            None => {
                // Pathological journeys (an lcm past 2^64): the shares are 1/count rounded to
                // integer weights, still summing exactly to the value.
                self.weights.extend(self.local.iter().map(|&c| {
                    let cnt = counts.get(c as usize).copied().unwrap_or(1);
                    (u64::MAX / (n as u64).max(1)) / cnt
                }));
            }
        }
        self.rules.resize(n, Rule::Linear);
        Ok(())
    }

    /// Time-decay weights relative to the youngest touch (the last kept one).
    fn decay(&mut self, view: &View<'_>, half_life_ns: i64, curve: DecayCurve) {
        let at_of = |i: u32| view.at.get(i as usize).copied().unwrap_or(view.conversion_at);
        let youngest = self.kept.last().map_or(view.conversion_at, |&i| at_of(i));
        let youngest_age = view.conversion_at.saturating_sub(youngest);
        for &i in &self.kept {
            let age = view.conversion_at.saturating_sub(at_of(i));
            let w = match curve {
                DecayCurve::Step => {
                    let steps = age / half_life_ns - youngest_age / half_life_ns;
                    u32::try_from(steps).ok().and_then(|s| DECAY_ONE.checked_shr(s)).unwrap_or(0)
                }
                DecayCurve::Continuous => continuous_weight(age.saturating_sub(youngest_age), half_life_ns),
            };
            self.weights.push(w);
        }
        self.rules.resize(self.kept.len(), Rule::TimeDecay);
    }
}

/// Weight of the youngest touch under time decay: 2^40.
pub(crate) const DECAY_ONE: u64 = 1 << 40;

/// `2^40 * 2^(-relative_age / half_life)`, rounded to an integer.
#[allow(
    clippy::float_arithmetic,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)] // statistical weight only: the money is split exactly afterwards
pub(crate) fn continuous_weight(relative_age_ns: i64, half_life_ns: i64) -> u64 {
    if relative_age_ns == 0 {
        // The youngest touch: exactly 2^40 (what `exp2(40.0)` gives), without the call.
        return DECAY_ONE;
    }
    let x = relative_age_ns as f64 / half_life_ns as f64;
    if x >= 41.0 {
        return 0;
    }
    let y = (40.0 - x).exp2();
    // `y.round()` (half away from zero) inline, bit for bit: for `0 <= y < 2^52` truncation is
    // exact and so is `y - t` (Sterbenz), where `round` is a library call on baseline x86-64.
    // Through `i64` (`y < 2^41`): one instruction each way, where `u64` needs several.
    let t = y as i64;
    t.unsigned_abs() + u64::from(y - t as f64 >= 0.5)
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

/// Splits `total` (non-negative minor units) by `weights` with the crate's one
/// largest-remainder kernel ([`crate::money::split_minor`]: ties to the earliest touch), so the
/// result equals [`crate::money::allocate_minor`]. Returns the weight sum.
pub(crate) fn split(
    total: i64,
    weights: &[u64],
    parts: &mut Vec<i64>,
    rems: &mut Vec<u128>,
    order: &mut Vec<usize>,
) -> Result<u128, Failure> {
    let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    if sum == 0 {
        // Only reachable with decay weights all rounding to zero, which the youngest touch
        // (weight 2^40) prevents; guard anyway.
        parts.clear();
        return Err(Failure::Overflow);
    }
    crate::money::split_minor(total, weights, sum, parts, rems, order);
    Ok(sum)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::allocate_minor;

    #[test]
    fn split_matches_the_money_allocator() {
        let cases: [(i64, &[u64]); 5] =
            [(10_000, &[1, 1, 1]), (1, &[1, 2]), (7, &[3, 3, 3, 1]), (999_999, &[5, 0, 7, 7]), (0, &[1, 1])];
        for (total, weights) in cases {
            let mut parts = Vec::new();
            split(total, weights, &mut parts, &mut Vec::new(), &mut Vec::new()).unwrap();
            assert_eq!(parts, allocate_minor(total, weights).unwrap(), "{total} {weights:?}");
        }
    }

    #[test]
    #[allow(
        clippy::float_arithmetic,
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss
    )]
    fn decay_weights_halve_per_half_life() {
        assert_eq!(continuous_weight(0, 10), DECAY_ONE);
        assert_eq!(continuous_weight(10, 10), DECAY_ONE / 2);
        assert_eq!(continuous_weight(1_000, 10), 0);
        // The inline rounding is `f64::round`, bit for bit, across the whole curve.
        for (age, half_life) in [(1, 3), (5, 10), (7, 10), (123_456, 604_800), (400, 10), (409, 10), (1, 1 << 40)] {
            let x = age as f64 / half_life as f64;
            let expected = if x >= 41.0 { 0 } else { (40.0 - x).exp2().round() as u64 };
            assert_eq!(continuous_weight(age, half_life), expected, "{age} / {half_life}");
        }
        assert_eq!(continuous_weight(0, 7), DECAY_ONE);
        assert_eq!((40.0f64).exp2().round() as u64, DECAY_ONE);
    }
}
