//! Sparse direct solve of an absorbing chain: `M = I - Q = L D U` by elimination in minimum
//! degree order, with solves in both directions and the diagonal of the fundamental matrix
//! `N = M^-1` (the selected inverse, Takahashi's equations).
//!
//! - **Stable without pivoting.** Eliminating a state is censoring the chain (the Schur
//!   complement of `M` is `I - Q'` for the chain watched only on the remaining states), so every
//!   pivot is positive and every off-diagonal stays non-positive. The pivot is taken as the
//!   state's exit probability plus its off-diagonal magnitudes (Grassmann, Taksar and Heyman),
//!   never as a difference, so no cancellation can make it small or negative.
//! - **Ordering.** Greedy minimum degree on the symmetrised pattern of `M` (a state's degree is
//!   its number of neighbours, either direction), ties to the lower index. The pattern stays
//!   symmetric, so the later neighbours of every eliminated state form a clique: exactly the
//!   entries the selected inverse needs.
//! - **Cost.** Sum over states of the squared number of later neighbours at elimination; for a
//!   chain with hubs and a long tail (journey data), far below a dense solve. A chain whose
//!   pattern has no small separators fills in towards dense (cubic).
//! - **Deterministic.** Fixed order and one thread: the same matrix gives the same bits.
#![allow(clippy::float_arithmetic)] // statistical model: probabilities and expected visits in f64
#![allow(clippy::many_single_char_names)] // the names of the linear algebra: m, k, a, d, f, p

use std::collections::BTreeSet;

mod dense;

/// One entry of the active matrix, seen from state `a`: neighbour `node` with `M[a][node]`
/// (`row`) and `M[node][a]` (`col`).
#[derive(Clone, Copy, Debug)]
struct Entry {
    node: u32,
    row: f64,
    col: f64,
}

/// The `L D U` factors of `M` in elimination order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Factor {
    /// States in elimination order.
    order: Vec<u32>,
    /// Elimination step of each state.
    step: Vec<u32>,
    /// Pivot `d` of each state.
    pivot: Vec<f64>,
    /// State `p`'s later neighbours are `pattern[span[p].0..span[p].1]`, sorted by state.
    span: Vec<(usize, usize)>,
    pattern: Vec<u32>,
    /// `L[j][p] = M'[j][p] / d_p` for each later neighbour `j` of `p`.
    lower: Vec<f64>,
    /// `U[p][j] = M'[p][j] / d_p`.
    upper: Vec<f64>,
    /// The dense core: the states left when the active matrix turned dense, in elimination
    /// order (they are the last eliminated).
    core: Vec<u32>,
    /// Position of each state in `core` (`u32::MAX` if it is not in the core).
    core_pos: Vec<u32>,
    /// The core's `L` and `U` as one dense `k x k` row-major matrix (`L` below the diagonal,
    /// `U` above it).
    core_lu: Vec<f64>,
}

/// The active matrix is treated as dense once every remaining state touches at least
/// `1 / DENSE_SHARE` of the others.
const DENSE_SHARE: usize = 2;

/// A core smaller than this is eliminated sparsely to the end.
const CORE_MIN: usize = 48;

impl Factor {
    /// Factors `M` over `m` states: `exit[i]` is the probability of leaving the transient
    /// states from `i` in one step (`1 - sum_j Q[i][j]`, self-loops included in the sum), and
    /// `entries` the off-diagonal `(i, j, Q[i][j])` with `i != j`, each pair at most once.
    /// `None` if a pivot is not positive (a state that can never be left: not an absorbing
    /// chain).
    pub(crate) fn new(m: usize, exit: Vec<f64>, entries: &[(u32, u32, f64)]) -> Option<Factor> {
        Factor::with_switch(m, exit, entries, DENSE_SHARE)
    }

    /// [`Factor::new`], turning dense once every remaining state touches at least `1 / share`
    /// of the others.
    fn with_switch(m: usize, mut exit: Vec<f64>, entries: &[(u32, u32, f64)], share: usize) -> Option<Factor> {
        let mut adj = symmetric_pattern(m, entries);
        let mut queue: BTreeSet<(usize, u32)> =
            adj.iter().enumerate().filter_map(|(i, a)| Some((a.len(), u32::try_from(i).ok()?))).collect();
        let mut f = Factor {
            order: Vec::with_capacity(m),
            step: vec![0; m],
            pivot: vec![0.0; m],
            span: vec![(0, 0); m],
            ..Factor::default()
        };
        let mut merged: Vec<Entry> = Vec::new();
        let mut scaled: Vec<Entry> = Vec::new();
        f.core_pos = vec![u32::MAX; m];
        while let Some((degree, p)) = queue.pop_first() {
            let active = queue.len() + 1;
            if active >= CORE_MIN && share * (degree + 1) >= active {
                // Every remaining state touches at least half the others: dense from here.
                let core: Vec<u32> = std::iter::once(p).chain(queue.iter().map(|&(_, s)| s)).collect();
                f.dense_core(core, &adj, &exit)?;
                break;
            }
            let pu = p as usize;
            let nb = std::mem::take(adj.get_mut(pu)?);
            let ep = exit.get(pu).copied().unwrap_or(0.0);
            // GTH pivot: exit plus the magnitudes of the (non-positive) off-diagonal row.
            let d = nb.iter().fold(ep, |acc, e| acc - e.row);
            if d.is_nan() || d <= 0.0 || d.is_infinite() {
                return None;
            }
            *f.step.get_mut(pu)? = u32::try_from(f.order.len()).ok()?;
            f.order.push(p);
            *f.pivot.get_mut(pu)? = d;
            let lo = f.pattern.len();
            for e in &nb {
                f.pattern.push(e.node);
                f.lower.push(e.col / d);
                f.upper.push(e.row / d);
            }
            let hi = f.pattern.len();
            *f.span.get_mut(pu)? = (lo, hi);
            // p's row and column divided by the pivot once (U[p][b], L[b][p]), for the fill:
            // one multiply per fill entry instead of a multiply and a divide.
            scaled.clear();
            scaled.extend(nb.iter().zip(f.upper.get(lo..hi)?).zip(f.lower.get(lo..hi)?).map(|((e, &u), &l)| Entry {
                node: e.node,
                row: u,
                col: l,
            }));
            for a in &nb {
                let au = a.node as usize;
                let old = adj.get(au)?;
                queue.remove(&(old.len(), a.node));
                if let Some(x) = exit.get_mut(au) {
                    *x -= a.col * ep / d; // a.col = M[a][p] <= 0: the exit only grows
                }
                // adj[a] without p, merged with the fill from p's other neighbours.
                merged.clear();
                let mut old_iter = old.iter().filter(|e| e.node != p).peekable();
                let mut fill = scaled.iter().filter(|b| b.node != a.node).peekable();
                loop {
                    let next = match (old_iter.peek(), fill.peek()) {
                        (None, None) => break,
                        (Some(o), Some(b)) if o.node == b.node => {
                            let (o, b) = (**o, **b);
                            old_iter.next();
                            fill.next();
                            Entry { node: o.node, row: o.row - a.col * b.row, col: o.col - b.col * a.row }
                        }
                        (Some(o), Some(b)) if b.node < o.node => {
                            let b = **b;
                            fill.next();
                            Entry { node: b.node, row: -a.col * b.row, col: -b.col * a.row }
                        }
                        (Some(o), _) => {
                            let o = **o;
                            old_iter.next();
                            o
                        }
                        (None, Some(b)) => {
                            let b = **b;
                            fill.next();
                            Entry { node: b.node, row: -a.col * b.row, col: -b.col * a.row }
                        }
                    };
                    merged.push(next);
                }
                let slot = adj.get_mut(au)?;
                std::mem::swap(slot, &mut merged);
                queue.insert((slot.len(), a.node));
            }
        }
        Some(f)
    }

    /// Eliminates the remaining `core` states densely (same GTH pivots), appending their
    /// factors to the pattern.
    fn dense_core(&mut self, core: Vec<u32>, adj: &[Vec<Entry>], exit: &[f64]) -> Option<()> {
        let k = core.len();
        for (i, &s) in core.iter().enumerate() {
            *self.core_pos.get_mut(s as usize)? = u32::try_from(i).ok()?;
        }
        let mut a = vec![0.0; k * k];
        let mut out: Vec<f64> = Vec::with_capacity(k);
        for &s in &core {
            let i = self.core_pos.get(s as usize).copied()? as usize;
            for e in adj.get(s as usize)? {
                let j = self.core_pos.get(e.node as usize).copied()? as usize;
                *a.get_mut(i * k + j)? = e.row;
            }
            out.push(exit.get(s as usize).copied()?);
        }
        // Core positions in node order, for the sorted patterns.
        let mut by_node: Vec<usize> = (0..k).collect();
        by_node.sort_unstable_by_key(|&i| core.get(i).copied());
        let mut pivot_row: Vec<f64> = Vec::new();
        let mut coefs: Vec<f64> = Vec::new();
        // Pivots in panels of `dense::GROUP`: each pivot updates the panel's rows in full and the
        // later rows only in the panel's columns; the later rows' other columns take the whole
        // panel at once (one pass over the trailing matrix per panel, not per pivot). Same
        // terms as one update per pivot, added in another order.
        let mut p0 = 0;
        while p0 < k {
            let p1 = (p0 + dense::GROUP).min(k);
            for t in p0..p1 {
                let (head, tail) = a.split_at_mut((t + 1) * k);
                let row_t = head.get(t * k..)?;
                let ep = out.get(t).copied()?;
                let d = row_t.get(t + 1..)?.iter().fold(ep, |acc, &x| acc - x);
                if d.is_nan() || d <= 0.0 || d.is_infinite() {
                    return None;
                }
                let p = core.get(t).copied()?;
                *self.step.get_mut(p as usize)? = u32::try_from(self.order.len()).ok()?;
                self.order.push(p);
                *self.pivot.get_mut(p as usize)? = d;
                pivot_row.clear();
                pivot_row.extend_from_slice(row_t.get(t + 1..)?);
                let lo = self.pattern.len();
                for &j in by_node.iter().filter(|&&j| j > t) {
                    self.pattern.push(core.get(j).copied()?);
                    self.lower.push(tail.get((j - t - 1) * k + t).copied()? / d);
                    self.upper.push(pivot_row.get(j - t - 1).copied()? / d);
                }
                *self.span.get_mut(p as usize)? = (lo, self.pattern.len());
                for (r, row_a) in tail.chunks_exact_mut(k).enumerate() {
                    let c = row_a.get(t).copied()?;
                    if c == 0.0 {
                        continue;
                    }
                    if let Some(x) = out.get_mut(t + 1 + r) {
                        *x -= c * ep / d;
                    }
                    let f = c / d;
                    let upto = if t + 1 + r < p1 { k } else { p1 };
                    for (x, &y) in row_a.get_mut(t + 1..upto)?.iter_mut().zip(&pivot_row) {
                        *x -= f * y;
                    }
                }
            }
            let (before, trailing) = a.split_at_mut(p1 * k);
            let panel = before.get(p0 * k..)?;
            let width = p1 - p0;
            for rows in trailing.chunks_mut(dense::GROUP * k) {
                coefs.clear();
                for row in rows.chunks_exact(k) {
                    for t in p0..p1 {
                        let d = self.pivot.get(core.get(t).copied()? as usize).copied()?;
                        coefs.push(row.get(t).copied()? / d);
                    }
                }
                dense::subtract_rows(rows, k, panel, 0..width, p1..k, |r, m| {
                    coefs.get(r * width + m).copied().unwrap_or(0.0)
                });
            }
            p0 = p1;
        }
        // The dense L (below) and U (above), divided by the pivots.
        for t in 0..k {
            let d = self.pivot.get(core.get(t).copied()? as usize).copied()?;
            for j in t + 1..k {
                *a.get_mut(t * k + j)? /= d;
                *a.get_mut(j * k + t)? /= d;
            }
        }
        self.core = core;
        self.core_lu = a;
        Some(())
    }

    /// The inverse of the core's block of `M` after elimination (the Schur complement), which
    /// is the core's block of `N`: `k x k` row-major (see [`dense`]).
    fn core_inverse(&self) -> Vec<f64> {
        let pivots: Vec<f64> = self.core.iter().map(|&p| self.pivot.get(p as usize).copied().unwrap_or(1.0)).collect();
        dense::inverse(&self.core_lu, &pivots, self.core.len())
    }

    fn later(&self, p: usize) -> (&[u32], &[f64], &[f64]) {
        let (lo, hi) = self.span.get(p).copied().unwrap_or((0, 0));
        (
            self.pattern.get(lo..hi).unwrap_or_default(),
            self.lower.get(lo..hi).unwrap_or_default(),
            self.upper.get(lo..hi).unwrap_or_default(),
        )
    }

    /// Solves `M x = b` in place.
    pub(crate) fn solve(&self, b: &mut [f64]) {
        for &p in &self.order {
            let p = p as usize;
            let z = b.get(p).copied().unwrap_or(0.0);
            let (pat, lower, _) = self.later(p);
            for (&j, &l) in pat.iter().zip(lower) {
                if let Some(x) = b.get_mut(j as usize) {
                    *x -= l * z;
                }
            }
        }
        for (x, &d) in b.iter_mut().zip(&self.pivot) {
            *x /= d;
        }
        for &p in self.order.iter().rev() {
            let p = p as usize;
            let (pat, _, upper) = self.later(p);
            let s =
                pat.iter().zip(upper).fold(0.0, |acc, (&j, &u)| acc + u * b.get(j as usize).copied().unwrap_or(0.0));
            if let Some(x) = b.get_mut(p) {
                *x -= s;
            }
        }
    }

    /// Solves `M^T y = b` in place.
    pub(crate) fn solve_transposed(&self, b: &mut [f64]) {
        for &p in &self.order {
            let p = p as usize;
            let z = b.get(p).copied().unwrap_or(0.0);
            let (pat, _, upper) = self.later(p);
            for (&j, &u) in pat.iter().zip(upper) {
                if let Some(x) = b.get_mut(j as usize) {
                    *x -= u * z;
                }
            }
        }
        for (x, &d) in b.iter_mut().zip(&self.pivot) {
            *x /= d;
        }
        for &p in self.order.iter().rev() {
            let p = p as usize;
            let (pat, lower, _) = self.later(p);
            let s =
                pat.iter().zip(lower).fold(0.0, |acc, (&j, &l)| acc + l * b.get(j as usize).copied().unwrap_or(0.0));
            if let Some(x) = b.get_mut(p) {
                *x -= s;
            }
        }
    }

    /// The diagonal of `N = M^-1`: `N[c][c]`, the expected visits to `c` starting from `c`.
    ///
    /// Takahashi's equations `N = D^-1 L^-1 + (I - U) N = U^-1 D^-1 + N (I - L)`, evaluated on
    /// the pattern of the factors from the last eliminated state back; every entry they read
    /// lies on that pattern because later neighbours form cliques.
    pub(crate) fn inverse_diagonal(&self) -> Vec<f64> {
        let m = self.pivot.len();
        let mut diag = vec![0.0; m];
        // N[p][j] and N[j][p] for the later neighbours j of p, aligned with `pattern`.
        let mut n_row = vec![0.0; self.pattern.len()];
        let mut n_col = vec![0.0; self.pattern.len()];
        let mut row_acc: Vec<f64> = Vec::new();
        let mut col_acc: Vec<f64> = Vec::new();
        let core = self.core_inverse();
        let width = self.core.len();
        for (i, &p) in self.core.iter().enumerate() {
            if let Some(x) = diag.get_mut(p as usize) {
                *x = core.get(i * width + i).copied().unwrap_or(0.0);
            }
        }
        let sparse = self.order.len().saturating_sub(width);
        for &p in self.order.get(..sparse).unwrap_or_default().iter().rev() {
            let pu = p as usize;
            let (pat, lower, upper) = self.later(pu);
            row_acc.clear();
            col_acc.clear();
            for &j in pat {
                // N[p][j] = -sum_k U[p][k] N[k][j];  N[j][p] = -sum_k N[j][k] L[k][p].
                let mut r = 0.0;
                let mut c = 0.0;
                for ((&k, &l), &u) in pat.iter().zip(lower).zip(upper) {
                    r += u * self.entry(&diag, &core, &n_row, &n_col, k, j);
                    c += self.entry(&diag, &core, &n_row, &n_col, j, k) * l;
                }
                row_acc.push(-r);
                col_acc.push(-c);
            }
            let (lo, _) = self.span.get(pu).copied().unwrap_or((0, 0));
            for (i, (&r, &c)) in row_acc.iter().zip(&col_acc).enumerate() {
                if let Some(x) = n_row.get_mut(lo + i) {
                    *x = r;
                }
                if let Some(x) = n_col.get_mut(lo + i) {
                    *x = c;
                }
            }
            // N[p][p] = 1 / d_p - sum_k U[p][k] N[k][p].
            let s = upper.iter().zip(&col_acc).fold(0.0, |acc, (&u, &c)| acc + u * c);
            if let Some(x) = diag.get_mut(pu) {
                *x = 1.0 / self.pivot.get(pu).copied().unwrap_or(1.0) - s;
            }
        }
        diag
    }

    /// `N[k][j]` from the entries computed so far (both `k` and `j` eliminated after the
    /// state being processed, hence adjacent in the pattern of the earlier of the two).
    fn entry(&self, diag: &[f64], core: &[f64], n_row: &[f64], n_col: &[f64], k: u32, j: u32) -> f64 {
        if k == j {
            return diag.get(k as usize).copied().unwrap_or(0.0);
        }
        let ck = self.core_pos.get(k as usize).copied().unwrap_or(u32::MAX);
        let cj = self.core_pos.get(j as usize).copied().unwrap_or(u32::MAX);
        if ck != u32::MAX && cj != u32::MAX {
            return core.get(ck as usize * self.core.len() + cj as usize).copied().unwrap_or(0.0);
        }
        let sk = self.step.get(k as usize).copied().unwrap_or(0);
        let sj = self.step.get(j as usize).copied().unwrap_or(0);
        let (owner, other, row) = if sk < sj { (k, j, true) } else { (j, k, false) };
        let (lo, hi) = self.span.get(owner as usize).copied().unwrap_or((0, 0));
        let pat = self.pattern.get(lo..hi).unwrap_or_default();
        pat.binary_search(&other)
            .ok()
            .and_then(|i| if row { n_row.get(lo + i) } else { n_col.get(lo + i) })
            .copied()
            .unwrap_or(0.0)
    }
}

/// The pattern of `M + M^T` with `M`'s values, one sorted list per state.
fn symmetric_pattern(m: usize, entries: &[(u32, u32, f64)]) -> Vec<Vec<Entry>> {
    let mut both: Vec<(u32, u32, f64, f64)> = Vec::with_capacity(2 * entries.len());
    for &(i, j, q) in entries {
        both.push((i, j, -q, 0.0));
        both.push((j, i, 0.0, -q));
    }
    both.sort_unstable_by_key(|e| (e.0, e.1));
    let mut adj: Vec<Vec<Entry>> = vec![Vec::new(); m];
    for (i, j, row, col) in both {
        if let Some(list) = adj.get_mut(i as usize) {
            match list.last_mut() {
                Some(e) if e.node == j => {
                    e.row += row;
                    e.col += col;
                }
                _ => list.push(Entry { node: j, row, col }),
            }
        }
    }
    adj
}

#[cfg(test)]
mod tests;
