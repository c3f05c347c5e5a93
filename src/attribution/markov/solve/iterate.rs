//! Certified Gauss–Seidel sweeps: an iterative absorbing-chain solve that stops only when a
//! proven bound on the error of `P` and `V` is below [`TOLERANCE`] of their size.
//!
//! - **The bound.** For the kept states `K`, `M = I - Q_KK` and an iterate `x` with residual
//!   `r = b - M x`, the error is `N r` with `N = M^-1 >= 0`, so
//!   `|start . (x* - x)| <= ||r||_inf * (start . t)`, `t = N 1` the expected steps to absorption.
//!   Removing states only adds exits (`Q_KK` is entrywise below the full `Q`), so the full
//!   chain's `t` bounds every removal's. [`StepBound`] holds a vector `u` with `u - Q u >= 1`
//!   (checked entry by entry, with a margin for rounding), which gives `u >= t` because
//!   `N >= 0`. The residual is recomputed, not estimated from the change between sweeps (a
//!   small change says nothing when the chain mixes slowly).
//! - **Budget.** At most [`MAX_SWEEPS`] sweeps; a chain that needs more (very long expected
//!   walks, or a bound that rounding keeps out of reach) returns `None` and the caller solves
//!   directly. The outcome depends on the chain only, never on timing: deterministic.
#![allow(clippy::float_arithmetic)] // statistical model: probabilities and expected values in f64

use super::Chain;

/// Target: the proven error of `P` (and `V`) at most this fraction of the scale.
pub(crate) const TOLERANCE: f64 = 1e-13;
/// The most sweeps (forward and backward count one each) before giving up.
pub(crate) const MAX_SWEEPS: usize = 400;
/// Residual check every this many sweeps (a forward and a backward one).
const CHECK_EVERY: usize = 2;

/// The relative rounding bound of a sum of `terms` products plus two more terms (`gamma_n`
/// with `n = terms + 3`, unit roundoff `EPSILON / 2`), so each checked inequality holds for
/// the exact values, not only for their floating-point evaluation.
fn rounding(terms: usize) -> f64 {
    (terms as f64 + 3.0) * f64::EPSILON / 2.0 * 1.01
}

/// An upper bound `u` on the expected steps to absorption of every state of the full chain.
#[derive(Clone, Debug)]
pub(crate) struct StepBound {
    u: Vec<f64>,
}

impl StepBound {
    /// Sweeps `t = Q t + 1` from zero (iterates rise towards `t`), then scales by the largest
    /// residual: with `r = 1 - M t <= rho`, `M (t / (1 - rho)) >= 1`. `None` if that does not
    /// hold within the budget or fails the check.
    pub(crate) fn new(chain: &Chain) -> Option<StepBound> {
        let n = chain.len();
        let removed = vec![false; n];
        let ones = vec![1.0; n];
        let mut t = vec![0.0; n];
        let mut rho = f64::INFINITY;
        for sweep in 0..MAX_SWEEPS {
            chain.sweep(&removed, &ones, &mut t, sweep % 2 == 1);
            if sweep % CHECK_EVERY == CHECK_EVERY - 1 {
                rho = chain.residual(&removed, &ones, &t);
                if rho <= 0.25 {
                    break;
                }
            }
        }
        if rho.is_nan() || rho > 0.25 {
            return None;
        }
        let scale = 1.0 / (1.0 - rho) * (1.0 + 1e-3);
        let u: Vec<f64> = t.iter().map(|&x| x * scale).collect();
        // Check u - Q u >= 1 with room for the rounding of the check itself.
        for s in 0..n {
            let (mut qu, mut terms) = (0.0, 0usize);
            for (j, p) in chain.row(s) {
                qu += p * u.get(j).copied().unwrap_or(0.0);
                terms += 1;
            }
            let us = u.get(s).copied().unwrap_or(0.0);
            let slack = rounding(terms) * (us + qu);
            let margin = us - qu - slack;
            if margin.is_nan() || margin < 1.0 {
                return None;
            }
        }
        Some(StepBound { u })
    }
}

impl Chain {
    /// One Gauss–Seidel sweep of `x = Q_KK x + b` over the kept states, forward or backward
    /// (alternating lets values flow both ways whatever the numbering). A self-loop is solved
    /// for in place: `x_s = (b_s + sum_{t != s} Q_st x_t) / (1 - Q_ss)`.
    fn sweep(&self, removed: &[bool], b: &[f64], x: &mut [f64], backward: bool) {
        let n = self.len();
        for step in 0..n {
            let s = if backward { n - 1 - step } else { step };
            if removed.get(s).copied().unwrap_or(true) {
                continue;
            }
            let mut acc = b.get(s).copied().unwrap_or(0.0);
            let mut stay = 0.0;
            for (t, p) in self.row(s) {
                if t == s {
                    stay += p;
                } else if !removed.get(t).copied().unwrap_or(true) {
                    acc += p * x.get(t).copied().unwrap_or(0.0);
                }
            }
            if let Some(xs) = x.get_mut(s) {
                *xs = if stay > 0.0 && stay < 1.0 { acc / (1.0 - stay) } else { acc };
            }
        }
    }

    /// `max |r|` over the kept states, `r = b - (I - Q_KK) x`, each `|r_s|` raised by a bound
    /// on the rounding of its own evaluation.
    fn residual(&self, removed: &[bool], b: &[f64], x: &[f64]) -> f64 {
        let mut worst: f64 = 0.0;
        for (s, &xs) in x.iter().enumerate() {
            if removed.get(s).copied().unwrap_or(true) {
                continue;
            }
            let bs = b.get(s).copied().unwrap_or(0.0);
            let (mut qx, mut terms) = (0.0, 0usize);
            for (t, p) in self.row(s) {
                if !removed.get(t).copied().unwrap_or(true) {
                    qx += p * x.get(t).copied().unwrap_or(0.0);
                    terms += 1;
                }
            }
            let slack = rounding(terms) * (bs.abs() + qx.abs() + xs.abs());
            worst = worst.max((bs + qx - xs).abs() + slack);
        }
        worst
    }

    /// `(h, g)` over the kept states by certified sweeps: the proven errors of `start . h` and
    /// `start . g` are at most [`TOLERANCE`] times `scale` (`P` and `V` of the full chain, or,
    /// when `None`, the current estimates, which rise towards the answer). `None` if the
    /// budget runs out first, with the last proven bound on the error of `P`.
    pub(crate) fn certified(
        &self,
        removed: &[bool],
        bound: &StepBound,
        scale: Option<(f64, f64)>,
    ) -> Result<(Vec<f64>, Vec<f64>), f64> {
        let n = self.len();
        let kept = |s: usize| !removed.get(s).copied().unwrap_or(true);
        let reach: f64 = (0..n)
            .filter(|&s| kept(s))
            .map(|s| self.start.get(s).copied().unwrap_or(0.0) * bound.u.get(s).copied().unwrap_or(0.0))
            .sum();
        let mut h = vec![0.0; n];
        let mut g = vec![0.0; n];
        let dot = |x: &[f64]| {
            (0..n)
                .filter(|&s| kept(s))
                .map(|s| self.start.get(s).copied().unwrap_or(0.0) * x.get(s).copied().unwrap_or(0.0))
                .sum::<f64>()
        };
        let mut last = f64::INFINITY;
        for sweep in 0..MAX_SWEEPS {
            let backward = sweep % 2 == 1;
            self.sweep(removed, &self.conv, &mut h, backward);
            self.sweep(removed, &self.value, &mut g, backward);
            if sweep % CHECK_EVERY != CHECK_EVERY - 1 {
                continue;
            }
            let rh = self.residual(removed, &self.conv, &h);
            let rg = self.residual(removed, &self.value, &g);
            let (sp, sv) = scale.unwrap_or_else(|| (dot(&h), dot(&g)));
            last = rh * reach;
            if last <= TOLERANCE * sp && rg * reach <= TOLERANCE * sv {
                return Ok((h, g));
            }
        }
        Err(last)
    }
}
