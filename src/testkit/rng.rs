//! A small deterministic random number generator (`SplitMix64`), so the testkit needs no new
//! dependency and gives the same numbers on every platform, run and thread count.

/// Deterministic pseudo-random numbers for synthetic data: `SplitMix64`.
///
/// Streams are derived from `(seed, stream, index)`, so any record of the sample company can be
/// generated on its own, in any order or on any thread, and still be the same record.
///
/// # Example
///
/// ```
/// use revops::testkit::SampleRng;
///
/// let mut a = SampleRng::for_record(42, 7, 1_000);
/// let mut b = SampleRng::for_record(42, 7, 1_000);
/// assert_eq!(a.next_u64(), b.next_u64());
/// assert!(a.below(10) < 10);
/// ```
#[derive(Clone, Debug)]
pub struct SampleRng {
    state: u64,
}

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl SampleRng {
    /// A generator seeded with `seed`: the same seed gives the same sequence on every platform.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::SampleRng;
    ///
    /// let (mut a, mut b) = (SampleRng::new(7), SampleRng::new(7));
    /// let first: Vec<u64> = (0..3).map(|_| a.next_u64()).collect();
    /// assert_eq!(first, (0..3).map(|_| b.next_u64()).collect::<Vec<_>>());
    /// assert_ne!(SampleRng::new(8).next_u64(), first[0]);
    /// ```
    #[must_use]
    pub fn new(seed: u64) -> SampleRng {
        SampleRng { state: mix(seed) }
    }

    /// The generator of record `index` in stream `stream` (accounts, leads, ...) under `seed`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::SampleRng;
    ///
    /// // Record 5 of stream 2 is the same whether or not records 0 to 4 were generated first.
    /// let direct = SampleRng::for_record(42, 2, 5).next_u64();
    /// let after_others: Vec<u64> = (0..=5).map(|i| SampleRng::for_record(42, 2, i).next_u64()).collect();
    /// assert_eq!(after_others.last(), Some(&direct));
    /// assert_ne!(SampleRng::for_record(42, 3, 5).next_u64(), direct); // another stream
    /// ```
    #[must_use]
    pub fn for_record(seed: u64, stream: u64, index: u64) -> SampleRng {
        SampleRng::new(mix(mix(seed ^ stream.wrapping_mul(GOLDEN)).wrapping_add(index)))
    }

    /// The next 64 random bits.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::SampleRng;
    ///
    /// let mut rng = SampleRng::new(1);
    /// let (x, y) = (rng.next_u64(), rng.next_u64());
    /// assert_ne!(x, y);
    /// assert_eq!(SampleRng::new(1).next_u64(), x);
    /// ```
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN);
        mix(self.state)
    }

    /// A uniform integer in `0..n` (0 when `n` is 0), without modulo bias.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::SampleRng;
    ///
    /// let mut rng = SampleRng::new(3);
    /// assert!((0..1_000).all(|_| rng.below(6) < 6));
    /// assert_eq!((rng.below(1), rng.below(0)), (0, 0));
    /// ```
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        // Lemire's multiply-shift with rejection of the biased low zone.
        let threshold = n.wrapping_neg() % n;
        loop {
            let m = u128::from(self.next_u64()) * u128::from(n);
            #[allow(clippy::cast_possible_truncation)] // the low 64 bits, on purpose
            let low = m as u64;
            if low >= threshold {
                #[allow(clippy::cast_possible_truncation)] // m >> 64 < n
                return (m >> 64) as u64;
            }
        }
    }

    /// A uniform index into a slice of length `len` (0 when `len` is 0).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::{CHANNELS, SampleRng};
    ///
    /// let mut rng = SampleRng::new(3);
    /// let channel = CHANNELS.get(rng.index(CHANNELS.len()));
    /// assert!(channel.is_some());
    /// assert_eq!(rng.index(0), 0);
    /// ```
    pub fn index(&mut self, len: usize) -> usize {
        usize::try_from(self.below(len as u64)).unwrap_or(0)
    }

    /// `true` with probability `per_mille / 1000`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::SampleRng;
    ///
    /// let mut rng = SampleRng::new(3);
    /// assert!((0..100).all(|_| rng.chance(1_000)) && !(0..100).any(|_| rng.chance(0)));
    /// let hits = (0..10_000).filter(|_| rng.chance(250)).count();
    /// assert!((2_000..3_000).contains(&hits)); // about a quarter
    /// ```
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    /// A uniform float in `[0, 1)`, for the statistical parts of the generator.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::SampleRng;
    ///
    /// let mut rng = SampleRng::new(3);
    /// assert!((0..1_000).map(|_| rng.unit()).all(|u| (0.0..1.0).contains(&u)));
    /// assert_eq!(SampleRng::new(9).unit().to_bits(), SampleRng::new(9).unit().to_bits()); // deterministic
    /// ```
    #[allow(clippy::cast_precision_loss, clippy::float_arithmetic)] // 53 random bits, exactly
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// An index drawn with probability proportional to `weights` (0 if they are all zero).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::SampleRng;
    ///
    /// let mut rng = SampleRng::new(3);
    /// assert_eq!(rng.weighted(&[0, 5, 0]), 1); // the only index with weight
    /// assert_eq!(rng.weighted(&[0, 0]), 0);
    /// let heavy = (0..1_000).filter(|_| rng.weighted(&[1, 9]) == 1).count();
    /// assert!(heavy > 800);
    /// ```
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        let mut pick = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if pick < u64::from(w) {
                return i;
            }
            pick -= u64::from(w);
        }
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<u64> = (0..4).map(|_| SampleRng::for_record(1, 2, 3).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(SampleRng::for_record(1, 2, 3).next_u64(), SampleRng::for_record(1, 2, 4).next_u64());
        assert_ne!(SampleRng::for_record(1, 2, 3).next_u64(), SampleRng::for_record(1, 3, 3).next_u64());
    }

    #[test]
    fn below_is_in_range_and_roughly_uniform() {
        let mut rng = SampleRng::new(9);
        let mut counts = [0u32; 6];
        for _ in 0..60_000 {
            counts[rng.index(6)] += 1;
        }
        assert!(counts.iter().all(|&c| (9_000..11_000).contains(&c)), "{counts:?}");
        assert_eq!(rng.below(0), 0);
        assert_eq!(rng.weighted(&[0, 0, 5]), 2);
    }

    #[test]
    fn unit_is_in_range() {
        let mut rng = SampleRng::new(3);
        assert!((0..10_000).map(|_| rng.unit()).all(|u| (0.0..1.0).contains(&u)));
    }
}
