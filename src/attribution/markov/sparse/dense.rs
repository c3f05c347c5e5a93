//! The dense core's inverse, blocked for the cache.
//!
//! `N = (I + U)^-1 D^-1 (I + L)^-1` in three passes over `k x k` row-major buffers:
//! `W = (I + L)^-1` by forward substitution on rows, `Z = D^-1 W`, then `N = (I + U)^-1 Z` by
//! back substitution on rows. Each substitution subtracts multiples of finished rows from the
//! rows being built; rows are built [`GROUP`] at a time and columns visited in tiles of
//! [`TILE`], so every finished row is read once per group (not once per row) and the group's
//! tiles stay in L1. Same arithmetic as the row-by-row Takahashi recursion it replaces, up to
//! the order of the additions (results agree to rounding; the tests compare with a dense
//! Gauss-Jordan inverse to 1e-12).
#![allow(clippy::float_arithmetic)] // statistical model: expected visits in f64

/// Rows built together (and pivots per panel of the factorisation).
pub(super) const GROUP: usize = 8;
/// Columns per tile.
const TILE: usize = 256;

/// `rows[r][cols] -= coef(r, m) * src[m][cols]` for every row `r` of `rows` (each `k` wide)
/// and every source row `m` in `ms`, columns `cols` tiled.
pub(super) fn subtract_rows(
    rows: &mut [f64],
    k: usize,
    src: &[f64],
    ms: core::ops::Range<usize>,
    cols: core::ops::Range<usize>,
    coef: impl Fn(usize, usize) -> f64,
) {
    let count = rows.len() / k.max(1);
    let mut c0 = cols.start;
    while c0 < cols.end {
        let c1 = (c0 + TILE).min(cols.end);
        for m in ms.clone() {
            let Some(x) = src.get(m * k + c0..m * k + c1) else { continue };
            for r in 0..count {
                let u = coef(r, m);
                if u == 0.0 {
                    continue;
                }
                let Some(a) = rows.get_mut(r * k + c0..r * k + c1) else { continue };
                for (a, &x) in a.iter_mut().zip(x) {
                    *a -= u * x;
                }
            }
        }
        c0 = c1;
    }
}

/// `N` for the core: `lu` holds `L` strictly below and `U` strictly above the diagonal
/// (both divided by the pivots), `pivot[i]` the pivots.
pub(super) fn inverse(lu: &[f64], pivot: &[f64], k: usize) -> Vec<f64> {
    let l = |r: usize, m: usize| lu.get(r * k + m).copied().unwrap_or(0.0);
    // W = (I + L)^-1, rows ascending: W[r] = e_r - sum_{m<r} L[r][m] W[m] (W[m] lives in 0..=m).
    let mut n = vec![0.0; k * k];
    let mut g0 = 0;
    while g0 < k {
        let g1 = (g0 + GROUP).min(k);
        let (done, group) = n.split_at_mut(g0 * k);
        let group = group.get_mut(..(g1 - g0) * k).unwrap_or_default();
        for r in g0..g1 {
            if let Some(x) = group.get_mut((r - g0) * k + r) {
                *x = 1.0;
            }
        }
        subtract_rows(group, k, done, 0..g0, 0..g0, |r, m| l(g0 + r, m));
        for r in g0 + 1..g1 {
            let (before, row) = group.split_at_mut((r - g0) * k);
            let row = row.get_mut(..k).unwrap_or_default();
            subtract_rows(row, k, before, 0..r - g0, 0..r, |_, m| l(r, g0 + m));
        }
        g0 = g1;
    }
    // Z = D^-1 W.
    for (r, row) in n.chunks_exact_mut(k.max(1)).enumerate() {
        let d = pivot.get(r).copied().unwrap_or(1.0);
        for x in row.get_mut(..=r).unwrap_or_default() {
            *x /= d;
        }
    }
    // N = (I + U)^-1 Z, rows descending: N[r] = Z[r] - sum_{m>r} U[r][m] N[m].
    let mut g1 = k;
    while g1 > 0 {
        let g0 = g1.saturating_sub(GROUP);
        let (head, done) = n.split_at_mut(g1 * k);
        let group = head.get_mut(g0 * k..).unwrap_or_default();
        subtract_rows(group, k, done, 0..k - g1, 0..k, |r, m| l(g0 + r, g1 + m));
        for r in (g0..g1.saturating_sub(1)).rev() {
            let (row, after) = group.split_at_mut((r + 1 - g0) * k);
            let row = row.get_mut((r - g0) * k..).unwrap_or_default();
            subtract_rows(row, k, after, 0..g1 - r - 1, 0..k, |_, m| l(r, r + 1 + m));
        }
        g1 = g0;
    }
    n
}
