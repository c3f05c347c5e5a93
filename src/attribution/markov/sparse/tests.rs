#![allow(clippy::float_cmp, clippy::needless_range_loop, clippy::cast_possible_truncation, clippy::cast_precision_loss)] // exact small cases; the textbook reference; small test sizes

use super::*;

/// Dense inverse of `I - Q` by Gauss-Jordan, for reference.
fn dense_inverse(m: usize, q: &[(u32, u32, f64)]) -> Vec<Vec<f64>> {
    let mut a = vec![vec![0.0; 2 * m]; m];
    for i in 0..m {
        a[i][i] = 1.0;
        a[i][m + i] = 1.0;
    }
    for &(i, j, p) in q {
        a[i as usize][j as usize] -= p;
    }
    for c in 0..m {
        let piv = (c..m).max_by(|&x, &y| a[x][c].abs().total_cmp(&a[y][c].abs())).unwrap();
        a.swap(c, piv);
        let d = a[c][c];
        for x in &mut a[c] {
            *x /= d;
        }
        for r in 0..m {
            if r != c {
                let f = a[r][c];
                for k in 0..2 * m {
                    a[r][k] -= f * a[c][k];
                }
            }
        }
    }
    a.into_iter().map(|row| row[m..].to_vec()).collect()
}

/// A deterministic `SplitMix64` stream from `seed`, for the test chains.
fn splitmix(seed: u64) -> impl FnMut() -> u64 {
    let mut s = seed;
    move || {
        s = s.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = s;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

fn random_chain(m: usize, seed: u64, fan: u64) -> (Vec<f64>, Vec<(u32, u32, f64)>) {
    let mut rng = splitmix(seed);
    let mut exit = Vec::new();
    let mut q = Vec::new();
    for i in 0..m {
        let k = 1 + rng() % fan;
        let mut targets: Vec<u32> = (0..k).map(|_| (rng() % m as u64) as u32).filter(|&t| t != i as u32).collect();
        targets.sort_unstable();
        targets.dedup();
        let out = 1 + rng() % 3;
        let total = (targets.len() as u64 + out) as f64;
        for t in targets {
            q.push((i as u32, t, 1.0 / total));
        }
        exit.push(out as f64 / total);
    }
    (exit, q)
}

#[test]
fn solves_and_inverse_diagonal_match_a_dense_inverse() {
    for (m, seed, fan) in [(1, 1, 4), (2, 2, 4), (7, 3, 4), (40, 4, 4), (120, 5, 4), (150, 6, 40), (300, 7, 2)] {
        let (exit, q) = random_chain(m, seed, fan);
        let f = Factor::new(m, exit, &q).unwrap();
        assert!(fan < 40 || f.core.len() >= CORE_MIN, "{m}: core of {}", f.core.len());
        let n = dense_inverse(m, &q);
        let diag = f.inverse_diagonal();
        let b: Vec<f64> = (0..m).map(|i| (i % 5) as f64 / 5.0).collect();
        let mut x = b.clone();
        f.solve(&mut x);
        let mut y = b.clone();
        f.solve_transposed(&mut y);
        for i in 0..m {
            assert!((diag[i] - n[i][i]).abs() < 1e-12 * n[i][i], "{m} {i}: {} vs {}", diag[i], n[i][i]);
            let xi: f64 = (0..m).map(|j| n[i][j] * b[j]).sum();
            let yi: f64 = (0..m).map(|j| n[j][i] * b[j]).sum();
            assert!((x[i] - xi).abs() < 1e-12 * (1.0 + xi.abs()), "{m} {i}");
            assert!((y[i] - yi).abs() < 1e-12 * (1.0 + yi.abs()), "{m} {i}");
        }
    }
}

#[test]
fn a_trapped_state_is_refused() {
    // State 0 steps to itself with probability 1: never absorbed.
    assert!(Factor::new(1, vec![0.0], &[]).is_none());
    assert_eq!(Factor::new(1, vec![0.5], &[]).unwrap().inverse_diagonal(), [2.0]);
}

/// A chain shaped like journey data: `m` channels whose popularity falls off as
/// `1 / rank`, `20 m` paths of 1 to 6 touches, one in ten converting (the `markov` bench's
/// `many_channel_paths`), as transition probabilities.
fn zipf_chain(m: usize, seed: u64) -> (Vec<f64>, Vec<(u32, u32, f64)>) {
    let mut rng = splitmix(seed);
    let cumulative: Vec<f64> = (1..=m)
        .scan(0.0, |t, r| {
            *t += 1.0 / r as f64;
            Some(*t)
        })
        .collect();
    let total = cumulative[m - 1];
    let mut counts: std::collections::BTreeMap<(u32, u32), u64> = std::collections::BTreeMap::new();
    let mut out = vec![0u64; m];
    let mut from = vec![0u64; m];
    for _ in 0..20 * m {
        let len = 1 + rng() % 6;
        let mut prev: Option<u32> = None;
        for _ in 0..len {
            let pick = (rng() >> 11) as f64 / (1u64 << 53) as f64 * total;
            let c = cumulative.partition_point(|&x| x <= pick).min(m - 1) as u32;
            if let Some(p) = prev {
                *counts.entry((p, c)).or_default() += 1;
                from[p as usize] += 1;
            }
            prev = Some(c);
        }
        if let Some(p) = prev {
            out[p as usize] += 1;
            from[p as usize] += 1;
        }
    }
    let mut q = Vec::new();
    let mut self_loop = vec![0u64; m];
    for (&(i, j), &n) in &counts {
        if i == j {
            self_loop[i as usize] += n;
        } else {
            q.push((i, j, n as f64 / from[i as usize] as f64));
        }
    }
    let exit = (0..m).map(|i| if from[i] == 0 { 1.0 } else { out[i] as f64 / from[i] as f64 }).collect();
    (exit, q)
}

/// `cargo test --release --lib probe_many_channel_core -- --ignored --nocapture`: the dense
/// core's size and the time of each phase for 10,000 channels (a probe, not a test).
#[test]
#[ignore = "a probe: prints sizes and times"]
fn probe_many_channel_core() {
    let sizes: Vec<usize> = std::env::var("PROBE_STATES")
        .map_or_else(|_| vec![2_000, 10_000], |v| v.split(',').filter_map(|x| x.parse().ok()).collect());
    let shares: Vec<usize> = std::env::var("PROBE_SHARES")
        .map_or_else(|_| vec![DENSE_SHARE], |v| v.split(',').filter_map(|x| x.parse().ok()).collect());
    for (m, share) in sizes.iter().flat_map(|&m| shares.iter().map(move |&s| (m, s))) {
        let (exit, q) = zipf_chain(m, 7);
        let t = std::time::Instant::now();
        let f = Factor::with_switch(m, exit, &q, share).unwrap();
        let factor = t.elapsed();
        let t = std::time::Instant::now();
        let diag = f.inverse_diagonal();
        println!(
            "{m} states, share 1/{share}, {} entries: core {}, factor {factor:?}, inverse diagonal {:?} (sum {})",
            q.len(),
            f.core.len(),
            t.elapsed(),
            diag.iter().sum::<f64>()
        );
    }
}
