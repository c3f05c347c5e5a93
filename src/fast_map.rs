//! The crate's one hashed map, [`FastMap`], for lookups in the hot loops (channel and state
//! interning, path and group indexes, account indexes).
//!
//! Its hasher is the multiply-rotate of `FxHash`: fast and deterministic, not keyed, so not
//! resistant to keys chosen to collide. No result is ever produced in its iteration order:
//! every output is sorted or kept in push order beside it. `std`'s `HashMap` with its default
//! (`SipHash`) hasher is not used in `src/`.
//!
//! Public so the companion crates (`revops-datafusion`'s channel interning) look up with the
//! same map, under the same rule: never read in iteration order.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A fast, deterministic hasher for small integer keys (the multiply-rotate of `FxHash`).
/// Only used for lookups: no output is ever produced in hash-map iteration order.
#[derive(Clone, Copy, Debug, Default)]
pub struct FastHasher(u64);

impl Hasher for FastHasher {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
        let mut tail = [0u8; 8];
        let rest = chunks.remainder();
        if let Some(dst) = tail.get_mut(..rest.len()) {
            dst.copy_from_slice(rest);
        }
        self.write_u64(u64::from_le_bytes(tail) ^ ((rest.len() as u64) << 59));
    }

    #[inline]
    fn write_u8(&mut self, n: u8) {
        // `str`'s `Hash` ends with `write_u8(0xff)`: one round, not a second `write`.
        self.write_u64(u64::from(n));
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    #[inline]
    fn write_u128(&mut self, n: u128) {
        #[allow(clippy::cast_possible_truncation)] // the two halves, on purpose
        {
            self.write_u64(n as u64);
            self.write_u64((n >> 64) as u64);
        }
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

/// The crate's one hashed map: lookups in the hot loops, keyed by small integers or ids.
///
/// # Example
///
/// ```
/// use revops::fast_map::FastMap;
///
/// let mut keys: FastMap<&str, u32> = FastMap::default();
/// keys.insert("paid_search", 0);
/// assert_eq!(keys.get("paid_search"), Some(&0));
/// ```
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// An empty [`FastMap`] with room for `capacity` entries.
#[cfg_attr(not(feature = "serde"), allow(dead_code))] // its callers are the agreement's
pub(crate) fn with_capacity<K, V>(capacity: usize) -> FastMap<K, V> {
    FastMap::with_capacity_and_hasher(capacity, BuildHasherDefault::default())
}
