//! The exact absorbing-chain solve behind the Markov removal effect.
//!
//! The transient states are the channel states (START is handled as a distribution over
//! them). For a set of surviving states, the absorption probabilities `h` and the expected
//! conversion values `g` solve `h = Q h + r` and `g = Q g + u`, where `Q` holds the transition
//! probabilities between surviving states, `r` the probability of stepping to CONVERSION and `u`
//! the expected value earned by that step. Transitions into a removed state count as going to
//! NULL: the row totals stay, the removed columns contribute nothing.
//!
//! - Up to [`DENSE_LIMIT`] surviving states: dense Gaussian elimination with partial pivoting
//!   on `(I - Q)`, exact up to floating-point rounding (about 1e-15 here).
//! - Above it, one solve per channel (orders 2 and up): symmetric Gauss–Seidel sweeps that stop
//!   on a **proven** error bound ([`iterate`]: the residual times a checked upper bound on the
//!   expected steps to absorption, at most 1e-13 of `P` and `V`), within [`MAX_SWEEPS`]. A
//!   journey chain absorbs within a few steps, so a few dozen sweeps cost far less than a
//!   factorisation. If the bound is not reached (long walks), the direct sparse solve of
//!   [`super::sparse`] (minimum-degree `L D U` with positive pivots), exact up to rounding,
//!   takes this and every later solve; if that refuses the chain too (a state that is never
//!   left, which counted journeys cannot produce): [`ErrorKind::MarkovNotConverged`].
//! - At order 1, [`Chain::removal_effects_single`] gives every state's removal effect from one
//!   factorisation. All methods are deterministic: fixed order, one thread.
#![allow(clippy::float_arithmetic)] // statistical model: probabilities and expected values in f64
#![allow(clippy::many_single_char_names)] // the names of the linear algebra: h, g, p, v, a, m, w

mod iterate;

use self::iterate::{MAX_SWEEPS, StepBound};
use super::sparse::Factor;
use crate::{Error, ErrorKind};

/// The removal effects of every state of a chain, from [`Chain::removal_effects_single`].
#[derive(Clone, Debug, Default)]
pub(crate) struct Removals {
    /// `P`: conversion probability from START.
    pub(crate) p: f64,
    /// `V`: expected conversion value (minor units) from START.
    pub(crate) v: f64,
    /// `1 - P_without_s / P` per state.
    pub(crate) re: Vec<f64>,
    /// `1 - V_without_s / V` per state.
    pub(crate) re_value: Vec<f64>,
}

/// The most surviving states solved densely.
pub(crate) const DENSE_LIMIT: usize = 256;
/// At order 1, chains with more states than this get every removal effect from one
/// factorisation ([`Chain::removal_effects_single`]); smaller ones keep one dense solve per
/// channel.
pub(crate) const SINGLE_FROM: usize = 64;

/// A transient chain in compressed sparse rows.
#[derive(Clone, Debug, Default)]
pub(crate) struct Chain {
    /// Row `s` holds entries `row_start[s]..row_start[s + 1]`.
    pub(crate) row_start: Vec<usize>,
    /// Target state of each entry.
    pub(crate) col: Vec<u32>,
    /// Transition probability of each entry.
    pub(crate) prob: Vec<f64>,
    /// Probability of stepping from each state to CONVERSION.
    pub(crate) conv: Vec<f64>,
    /// Probability of stepping from each state to CONVERSION or NULL (1 for a state without
    /// counted steps, which can only be inert).
    pub(crate) exit: Vec<f64>,
    /// Expected value (minor units) earned by the step to CONVERSION from each state.
    pub(crate) value: Vec<f64>,
    /// Probability that START steps to each state.
    pub(crate) start: Vec<f64>,
}

impl Chain {
    pub(crate) fn len(&self) -> usize {
        self.conv.len()
    }

    fn row(&self, s: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let lo = self.row_start.get(s).copied().unwrap_or(0);
        let hi = self.row_start.get(s + 1).copied().unwrap_or(lo);
        let cols = self.col.get(lo..hi).unwrap_or_default();
        let probs = self.prob.get(lo..hi).unwrap_or_default();
        cols.iter().zip(probs).map(|(&c, &p)| (c as usize, p))
    }

    /// Conversion probability and expected conversion value (minor units) from START, with
    /// the states flagged in `removed` redirected to NULL. Beyond [`DENSE_LIMIT`] kept states:
    /// certified sweeps when `sweeps` holds a step bound (and the scale of the error: `P` and
    /// `V` of the full chain, or `None` for the full chain itself), else, or if they run out
    /// of budget, the direct sparse solve (then the flag is true: the sweeps ran out).
    ///
    /// # Errors
    /// [`ErrorKind::MarkovNotConverged`] if neither solves the chain (a state that is never
    /// left, which counted journeys cannot produce).
    pub(crate) fn absorb(
        &self,
        removed: &[bool],
        sweeps: Option<(&StepBound, Option<(f64, f64)>)>,
    ) -> Result<((f64, f64), bool), Error> {
        let kept: Vec<usize> = (0..self.len()).filter(|&s| !removed.get(s).copied().unwrap_or(false)).collect();
        let mut last = f64::INFINITY;
        let mut ran_out = false;
        let (h, g) = if kept.len() <= DENSE_LIMIT {
            self.dense(&kept, removed)
        } else if let Some(hg) = sweeps.and_then(|(bound, scale)| {
            self.certified(removed, bound, scale)
                .map_err(|error| {
                    last = error;
                    ran_out = true;
                })
                .ok()
        }) {
            hg
        } else if let Some(hg) = self.direct(&kept, removed) {
            hg
        } else {
            return Err(ErrorKind::MarkovNotConverged { iterations: MAX_SWEEPS, change: format!("{last:e}") }.into());
        };
        let mut p = 0.0;
        let mut v = 0.0;
        for &s in &kept {
            let w = self.start.get(s).copied().unwrap_or(0.0);
            p += w * h.get(s).copied().unwrap_or(0.0);
            v += w * g.get(s).copied().unwrap_or(0.0);
        }
        Ok(((p, v), ran_out))
    }

    /// `I - Q` over the kept states as a sparse factorisation (local numbering: position in
    /// `kept`); `None` if it has a state that is never left (not an absorbing chain).
    fn factor(&self, kept: &[usize], removed: &[bool]) -> Option<Factor> {
        let mut pos = vec![u32::MAX; self.len()];
        for (i, &s) in kept.iter().enumerate() {
            *pos.get_mut(s)? = u32::try_from(i).ok()?;
        }
        let mut exit = Vec::with_capacity(kept.len());
        let mut entries = Vec::new();
        for (i, &s) in kept.iter().enumerate() {
            let i = u32::try_from(i).ok()?;
            // Leaving the kept states: CONVERSION, NULL, and every step into a removed state.
            let mut out = self.exit.get(s).copied().unwrap_or(0.0);
            for (t, p) in self.row(s) {
                if removed.get(t).copied().unwrap_or(false) {
                    out += p;
                } else if t != s {
                    entries.push((i, pos.get(t).copied()?, p));
                }
            }
            exit.push(out);
        }
        Factor::new(kept.len(), exit, &entries)
    }

    /// Direct sparse solve over the kept states; full-length vectors (zero if removed).
    fn direct(&self, kept: &[usize], removed: &[bool]) -> Option<(Vec<f64>, Vec<f64>)> {
        let f = self.factor(kept, removed)?;
        let mut x: Vec<f64> = kept.iter().map(|&s| self.conv.get(s).copied().unwrap_or(0.0)).collect();
        let mut y: Vec<f64> = kept.iter().map(|&s| self.value.get(s).copied().unwrap_or(0.0)).collect();
        f.solve(&mut x);
        f.solve(&mut y);
        let mut h = vec![0.0; self.len()];
        let mut g = vec![0.0; self.len()];
        for ((&s, a), b) in kept.iter().zip(x).zip(y) {
            if let (Some(hs), Some(gs)) = (h.get_mut(s), g.get_mut(s)) {
                *hs = a;
                *gs = b;
            }
        }
        Some((h, g))
    }

    /// Every state's removal effect at once, when each state is one channel (order 1), from
    /// one factorisation of the full chain: returns `(P, V, RE, RE_value)`, per state.
    ///
    /// Removing state `c` stops every walk at its first visit to `c` (strong Markov property),
    /// so `P_without_c = P - h_c P(c)` with `h_c` the probability of ever visiting `c` from
    /// START, and likewise for the expected value. `h_c = y_c / N[c][c]`, where `y = N^T start`
    /// are the expected visits (one transposed solve) and `N[c][c]` the diagonal of the
    /// fundamental matrix (the selected inverse). Hence `RE(c) = y_c P(c) / (N[c][c] P)`,
    /// without the cancellation of `1 - P_without / P`. `None` if the chain cannot be factored.
    pub(crate) fn removal_effects_single(&self) -> Option<Removals> {
        let n = self.len();
        let all: Vec<usize> = (0..n).collect();
        let none = vec![false; n];
        let f = self.factor(&all, &none)?;
        let mut h = self.conv.clone();
        let mut g = self.value.clone();
        let mut y = self.start.clone();
        f.solve(&mut h);
        f.solve(&mut g);
        f.solve_transposed(&mut y);
        let diag = f.inverse_diagonal();
        let dot = |x: &[f64]| self.start.iter().zip(x).fold(0.0, |acc, (&w, &x)| acc + w * x);
        let (p, v) = (dot(&h), dot(&g));
        let effect = |x: &[f64], total: f64| -> Vec<f64> {
            x.iter()
                .zip(&y)
                .zip(&diag)
                .map(|((&x, &y), &d)| if total > 0.0 && d > 0.0 { (y * x / (d * total)).clamp(0.0, 1.0) } else { 0.0 })
                .collect()
        };
        Some(Removals { p, v, re: effect(&h, p), re_value: effect(&g, v) })
    }

    /// Dense elimination over the kept states; returns full-length vectors (zero if removed).
    fn dense(&self, kept: &[usize], removed: &[bool]) -> (Vec<f64>, Vec<f64>) {
        let m = kept.len();
        let mut pos = vec![usize::MAX; self.len()];
        for (i, &s) in kept.iter().enumerate() {
            if let Some(p) = pos.get_mut(s) {
                *p = i;
            }
        }
        // Augmented matrix [I - Q | r | u], row-major, width m + 2.
        let w = m + 2;
        let mut a = vec![0.0; m * w];
        for (i, &s) in kept.iter().enumerate() {
            let row = i * w;
            if let Some(x) = a.get_mut(row + i) {
                *x += 1.0;
            }
            for (t, p) in self.row(s) {
                if removed.get(t).copied().unwrap_or(false) {
                    continue;
                }
                if let Some(j) = pos.get(t).copied().filter(|&j| j < m)
                    && let Some(x) = a.get_mut(row + j)
                {
                    *x -= p;
                }
            }
            if let Some(x) = a.get_mut(row + m) {
                *x = self.conv.get(s).copied().unwrap_or(0.0);
            }
            if let Some(x) = a.get_mut(row + m + 1) {
                *x = self.value.get(s).copied().unwrap_or(0.0);
            }
        }
        gauss(&mut a, m, w);
        let mut h = vec![0.0; self.len()];
        let mut g = vec![0.0; self.len()];
        for (i, &s) in kept.iter().enumerate() {
            let d = a.get(i * w + i).copied().unwrap_or(1.0);
            let (x, y) = if d == 0.0 {
                (0.0, 0.0)
            } else {
                (a.get(i * w + m).copied().unwrap_or(0.0) / d, a.get(i * w + m + 1).copied().unwrap_or(0.0) / d)
            };
            if let (Some(hs), Some(gs)) = (h.get_mut(s), g.get_mut(s)) {
                *hs = x;
                *gs = y;
            }
        }
        (h, g)
    }
}

/// `(P, V, RE, RE_value)` by one solve per channel: every state containing the channel
/// redirected to NULL.
pub(crate) fn removal_by_solves(
    chain: &Chain,
    tuples: &[Vec<u32>],
    order: &[usize],
    c: usize,
) -> Result<(f64, f64, Vec<f64>, Vec<f64>), Error> {
    let n = chain.len();
    let none = vec![false; n];
    // One step bound for every solve (a removal only shortens walks); certified sweeps until
    // one runs out of budget, then direct solves for the rest.
    let mut bound = if n > DENSE_LIMIT { StepBound::new(chain) } else { None };
    let ((p, v), ran_out) = chain.absorb(&none, bound.as_ref().map(|b| (b, None)))?;
    if ran_out {
        bound = None;
    }
    let mut re = Vec::with_capacity(c);
    let mut re_value = Vec::with_capacity(c);
    let mut removed = vec![false; n];
    for ch in 0..c {
        let ch = u32::try_from(ch).unwrap_or(u32::MAX);
        for (slot, &old) in removed.iter_mut().zip(order) {
            *slot = tuples.get(old).is_some_and(|t| t.contains(&ch));
        }
        let ((pw, vw), ran_out) = chain.absorb(&removed, bound.as_ref().map(|b| (b, Some((p, v)))))?;
        if ran_out {
            bound = None;
        }
        // Redirecting transitions to NULL can only lower the probability of absorbing in
        // CONVERSION (the chain with the channel removed is dominated by the full one), so
        // 0 <= pw <= p exactly and the clamp only absorbs floating-point rounding.
        re.push(if p > 0.0 { (1.0 - pw / p).clamp(0.0, 1.0) } else { 0.0 });
        re_value.push(if v > 0.0 { (1.0 - vw / v).clamp(0.0, 1.0) } else { 0.0 });
    }
    Ok((p, v, re, re_value))
}

/// Gauss–Jordan elimination with partial pivoting on an `m x w` row-major augmented matrix;
/// afterwards row `i` reads `a[i][i] * x_i = a[i][m..]`.
pub(crate) fn gauss(a: &mut [f64], m: usize, w: usize) {
    for k in 0..m {
        // Pivot: the largest magnitude in column k at or below row k (first one on ties).
        let mut best = k;
        let mut best_abs = a.get(k * w + k).map_or(0.0, |x| x.abs());
        for i in k + 1..m {
            let v = a.get(i * w + k).map_or(0.0, |x| x.abs());
            if v > best_abs {
                best = i;
                best_abs = v;
            }
        }
        if best_abs == 0.0 {
            continue;
        }
        if best != k {
            for j in 0..w {
                a.swap(k * w + j, best * w + j);
            }
        }
        let pivot = a.get(k * w + k).copied().unwrap_or(1.0);
        for i in 0..m {
            if i == k {
                continue;
            }
            let f = a.get(i * w + k).copied().unwrap_or(0.0) / pivot;
            if f == 0.0 {
                continue;
            }
            for j in k..w {
                let pk = a.get(k * w + j).copied().unwrap_or(0.0);
                if let Some(x) = a.get_mut(i * w + j) {
                    *x -= f * pk;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A -> B (1/2), A -> CONV (1/4), A -> NULL (1/4); B -> A (1/2), B -> CONV (1/2).
    fn two_state() -> Chain {
        Chain {
            row_start: vec![0, 1, 2],
            col: vec![1, 0],
            prob: vec![0.5, 0.5],
            conv: vec![0.25, 0.5],
            exit: vec![0.5, 0.5],
            value: vec![25.0, 100.0],
            start: vec![1.0, 0.0],
        }
    }

    #[test]
    fn dense_and_sweeps_agree() {
        let c = two_state();
        // h_A = 1/4 + 1/2 h_B, h_B = 1/2 + 1/2 h_A  =>  h_A = 2/3.
        let ((p, _), _) = c.absorb(&[false, false], None).unwrap();
        assert!((p - 2.0 / 3.0).abs() < 1e-15);
        let bound = StepBound::new(&c).unwrap();
        let (h, g) = c.certified(&[false, false], &bound, None).unwrap();
        assert!((h[0] - 2.0 / 3.0).abs() < 1e-13);
        let (hd, gd) = c.dense(&[0, 1], &[false, false]);
        assert!((h[1] - hd[1]).abs() < 1e-12 && (g[0] - gd[0]).abs() < 1e-11, "{h:?} {hd:?} {g:?} {gd:?}");
        // Removing B: h_A = 1/4.
        let ((p, v), _) = c.absorb(&[false, true], None).unwrap();
        assert!((p - 0.25).abs() < 1e-15 && (v - 25.0).abs() < 1e-12);
        let (h, g) = c.certified(&[false, true], &bound, Some((2.0 / 3.0, 50.0))).unwrap();
        assert!((h[0] - 0.25).abs() < 1e-13 && (g[0] - 25.0).abs() < 1e-11 && h[1] == 0.0);
    }

    #[test]
    fn sweeps_stop_on_a_proven_bound_not_a_small_change() {
        // A -> A with 1 - 1e-9 and A -> CONV with 1e-9: walks last 1e9 steps. The self-loop is
        // solved in place, so the sweep lands on h_A = 1, but the rounding of the residual times
        // 1e9 expected steps cannot be proven below 1e-13: refused, the caller solves directly.
        let slow = Chain {
            row_start: vec![0, 1],
            col: vec![0],
            prob: vec![1.0 - 1e-9],
            conv: vec![1e-9],
            exit: vec![1e-9],
            value: vec![0.0],
            start: vec![1.0],
        };
        let bound = StepBound::new(&slow).unwrap();
        let proven = slow.certified(&[false], &bound, None).unwrap_err();
        assert!(proven > iterate::TOLERANCE, "{proven:e}");
        // Two states passing the walk back and forth: each sweep moves h by about 1e-9 (a
        // test on the change would stop at once, near 0 instead of 1); the step bound is not
        // reached within the budget, so there are no sweeps at all.
        let ping = Chain {
            row_start: vec![0, 1, 2],
            col: vec![1, 0],
            prob: vec![1.0 - 1e-9, 1.0],
            conv: vec![1e-9, 0.0],
            exit: vec![1e-9, 0.0],
            value: vec![0.0, 0.0],
            start: vec![1.0, 0.0],
        };
        assert!(StepBound::new(&ping).is_none());
        let ((p, _), ran_out) = ping.absorb(&[false, false], None).unwrap();
        assert!((p - 1.0).abs() < 1e-6 && !ran_out);
    }

    #[test]
    fn not_converged_message() {
        let err = ErrorKind::MarkovNotConverged { iterations: 3, change: "1e-3".into() };
        assert_eq!(err.to_string(), "markov absorbing-chain solve did not converge in 3 sweeps (last change 1e-3)");
    }
}
