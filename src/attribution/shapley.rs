//! Shapley values for channels: simplified, ordered and exact classic.
//!
//! # Definitions ([definitions, section 1.4](crate::definitions::attribution#14-shapley))
//!
//! Each journey is reduced to its set `T` of distinct channels (and, for ordered Shapley, to
//! their order of first appearance). `R(T)` is the conversions (or value) of the journeys whose
//! set is exactly `T`.
//!
//! - **Simplified Shapley** (Zhao, Mahboobi, Bagheri 2018; Google Ads Data Hub): for the game
//!   `v(S) = sum over T within S of R(T)` the Shapley value has the closed form
//!   `phi_i = sum over T containing i of R(T) / |T|`: each conversion split equally over its
//!   distinct channels. Linear in journeys. Value is split the same way, per channel set, in
//!   minor units by the exact allocator (ties to the channel earlier in id order).
//! - **Ordered Shapley** (same paper): the same equal split, kept per position: a converting
//!   journey whose distinct channels first appear in the order `c1, .., cm` gives `1/m` of its
//!   conversions to `(c1, position 1)`, .., `(cm, position m)`. Summed over positions it is the
//!   simplified value.
//! - **Exact classic Shapley**: `phi_i = sum over S not containing i of
//!   |S|! (n - |S| - 1)! / n! * (v(S + i) - v(S))` for any characteristic function `v` over up
//!   to [`MAX_EXACT_CHANNELS`] channels: the built-in [`Game`]s or a caller's
//!   ([`exact_shapley`]). It is computed with subset transforms over the `2^n` table of `v`:
//!   the cumulative games are built by the zeta transform, and the values by one butterfly pass
//!   per channel pairing `S` with `S + i` (the passes of the fast Möbius transform), the
//!   differences summed by coalition size and weighted once by the closed-form weight:
//!   `O(n 2^n)`, no enumeration of permutations. **Efficiency** (`sum phi = v(N) - v(empty)`) is
//!   checked to `1e-9 * n * max |v|` ([`ErrorKind::ShapleyEfficiency`]).
//!
//! Our rule for [`Game::ConversionRate`] (DP6's game): `v(S)` is the conversion rate of the
//! journeys whose channel set is exactly `S`, and 0 for a set no journey has.
//!
//! # Example (three channels, by hand)
//!
//! Journeys: `{a, b}` converts twice, `{a}` once, `{c}` never (three nulls). Simplified:
//! `a = 2/2 + 1 = 2`, `b = 1`, `c = 0`; with $300.00 of value on `{a, b}` and $90.00 on `{a}`,
//! `a` gets 150 + 90 and `b` 150.
//!
//! ```
//! use revops::{ChannelId, Currency, Money};
//! use revops::attribution::{CoalitionCounts, Game};
//!
//! let usd = |cents| Money::from_minor(cents, Currency::USD);
//! let (a, b, c) = (ChannelId::new("a")?, ChannelId::new("b")?, ChannelId::new("c")?);
//! let mut counts = CoalitionCounts::new(Currency::USD);
//! counts.push_channels(&[a.clone(), b.clone()], Some(usd(15_000)))?;
//! counts.push_channels(&[b.clone(), a.clone(), b.clone()], Some(usd(15_000)))?;
//! counts.push_channels(&[a.clone()], Some(usd(9_000)))?;
//! for _ in 0..3 {
//!     counts.push_channels(&[c.clone()], None)?;
//! }
//! let simple = counts.simplified()?;
//! let conv: Vec<f64> = simple.channels.iter().map(|x| x.conversions).collect();
//! assert_eq!(conv, [2.0, 1.0, 0.0]);
//! let value: Vec<String> = simple.channels.iter().map(|x| x.value.to_string()).collect();
//! assert_eq!(value, ["240.00 USD", "150.00 USD", "0.00 USD"]);
//!
//! // Exact classic Shapley on the cumulative game is the same answer.
//! let exact = counts.exact(Game::CumulativeConversions)?;
//! assert!((exact.channels[0].1 - 2.0).abs() < 1e-12);
//!
//! // Ordered: `a` was first in two conversions (1/2 + 1) and second in one (1/2).
//! let ordered = counts.ordered()?;
//! assert_eq!(ordered.channels[0].conversions_by_position, [1.5, 0.5]);
//! # Ok::<(), revops::Error>(())
//! ```
#![allow(clippy::float_arithmetic)] // statistical model: Shapley values in f64
#![allow(clippy::cast_precision_loss)] // counts and minor units become f64 shares

use crate::attribution::paths::{
    AggregatedPath, ChannelInterner, FastMap, PathColumns, PathSink, allocate_shares, check_minor_outcome,
    push_channels_into, push_columns_into, push_path_into, remap_mask, unknown_index,
};
use crate::money::{Currency, allocate_minor};
use crate::{ChannelId, Error, ErrorKind, Money};

pub use self::exact::{Coalition, Game, exact_shapley};
use self::exact::{check_exact_limit, shapley_of_table, zeta};
pub use self::model::{ShapleyAttribution, ShapleyModel};
pub use self::results::{OrderedCredit, OrderedShapley, ShapleyCredit, ShapleyValues, SimplifiedShapley};

/// The most channels [`CoalitionCounts`] holds (a channel set is a 64-bit mask).
pub const MAX_COALITION_CHANNELS: usize = 64;
/// The most channels of an exact classic Shapley computation (a `2^n` table of `v`).
pub const MAX_EXACT_CHANNELS: usize = 20;

/// Tallies of the journeys with one exact channel set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct SetTally {
    journeys: u64,
    conversions: u64,
    value: i128,
}

/// Per-set and per-position tallies of journeys: the accumulator behind every Shapley model.
///
/// Push journeys (channels in touch order, with their outcome), merge tallies built elsewhere
/// (associative and commutative: integer counts), then read any of the models. Memory grows with
/// the distinct channel sets seen, never with journeys.
///
/// # Example
///
/// ```
/// use revops::{ChannelId, Currency, Money, Tally};
/// use revops::attribution::CoalitionCounts;
///
/// let mut counts = CoalitionCounts::new(Currency::USD);
/// let (a, b) = (counts.intern(&ChannelId::new("a")?)?, counts.intern(&ChannelId::new("b")?)?);
/// counts.push_indices(&[a, b, a], 3, 30_000, 7)?; // 3 of 10 journeys a > b > a converted, $300.00
/// let mut other = CoalitionCounts::new(Currency::USD);
/// other.push_channels(&[ChannelId::new("b")?], Some(Money::from_minor(10_000, Currency::USD)))?;
/// counts.merge(other)?;
/// let simple = counts.simplified()?;
/// assert_eq!(simple.channels[0].conversions, 1.5); // a: half of three
/// assert_eq!(simple.channels[1].value.to_string(), "250.00 USD"); // b: 150 + 100
/// # Ok::<(), revops::Error>(())
/// ```
///
/// See the [module docs](self) for the models. It implements [`Tally`](crate::Tally) over
/// [`Journey`](crate::facts::Journey)s (finishing into [`SimplifiedShapley`]), and
/// (feature `serde`) its partial state serializes: the channels in interning order, the set
/// tallies and the ordered cells; deserializing validates them against each other.
#[derive(Clone, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "state::CoalitionState", into = "state::CoalitionState")
)]
pub struct CoalitionCounts {
    currency: Currency,
    channels: ChannelInterner,
    /// Set tallies by mask once there are more than [`SMALL_CHANNELS`] channels.
    sets: FastMap<u64, SetTally>,
    /// `channel << 16 | position << 8 | length` -> (conversions, value) of converting journeys,
    /// once there are more than [`SMALL_CHANNELS`] channels.
    ordered: FastMap<u32, (u64, i128)>,
    /// Up to [`SMALL_CHANNELS`] channels: set tallies indexed by mask (`2^channels` entries).
    small_sets: Vec<SetTally>,
    /// Up to [`SMALL_CHANNELS`] channels: ordered cells indexed by [`small_cell`].
    small_ordered: Vec<(u64, i128)>,
    journeys: u64,
    conversions: u64,
    total_value: i128,
}

fn overflow() -> Error {
    crate::Error::from(ErrorKind::Overflow { op: "shapley coalition count" })
}

/// Up to this many channels the tallies live in flat tables indexed by mask and by
/// (channel, position, length) instead of hash maps: the fast path for typical channel counts.
const SMALL_CHANNELS: usize = 16;

/// Index of an ordered cell in the small table.
fn small_cell(channel: usize, position: usize, length: usize) -> usize {
    (channel * SMALL_CHANNELS + position) * (SMALL_CHANNELS + 1) + length
}

fn cell_key(channel: usize, position: usize, length: usize) -> u32 {
    // channel < 64, position < 64, length <= 64: fits in 32 bits.
    u32::try_from((channel << 16) | (position << 8) | length).unwrap_or(u32::MAX)
}

impl CoalitionCounts {
    /// Empty tallies, values in `currency`.
    #[must_use]
    pub fn new(currency: Currency) -> CoalitionCounts {
        CoalitionCounts {
            currency,
            channels: ChannelInterner::new(),
            sets: FastMap::default(),
            ordered: FastMap::default(),
            small_sets: vec![SetTally::default()],
            small_ordered: vec![(0, 0); SMALL_CHANNELS * SMALL_CHANNELS * (SMALL_CHANNELS + 1)],
            journeys: 0,
            conversions: 0,
            total_value: 0,
        }
    }

    /// The channels seen so far, by index.
    #[must_use]
    pub fn channels(&self) -> &ChannelInterner {
        &self.channels
    }

    /// Journeys counted.
    #[must_use]
    pub fn journeys(&self) -> u64 {
        self.journeys
    }

    /// The index of `channel` for [`push_indices`](CoalitionCounts::push_indices).
    ///
    /// # Errors
    /// [`ErrorKind::TooManyChannels`] past [`MAX_COALITION_CHANNELS`].
    pub fn intern(&mut self, channel: &ChannelId) -> Result<u32, Error> {
        if self.channels.get(channel).is_none() && self.channels.len() >= MAX_COALITION_CHANNELS {
            return Err(ErrorKind::TooManyChannels {
                model: "shapley coalition counts",
                channels: self.channels.len() + 1,
                max: MAX_COALITION_CHANNELS,
            }
            .into());
        }
        let i = self.channels.intern(channel)?;
        let n = self.channels.len();
        if n <= SMALL_CHANNELS {
            self.small_sets.resize(1 << n, SetTally::default());
        } else if !self.small_sets.is_empty() {
            self.leave_small_mode();
        }
        Ok(i)
    }

    /// Moves the flat tables into the hash maps (on the 17th channel).
    fn leave_small_mode(&mut self) {
        for (mask, t) in core::mem::take(&mut self.small_sets).into_iter().enumerate() {
            if t.journeys > 0 {
                self.sets.insert(mask as u64, t);
            }
        }
        let cells = core::mem::take(&mut self.small_ordered);
        for c in 0..SMALL_CHANNELS {
            for p in 0..SMALL_CHANNELS {
                for l in 0..=SMALL_CHANNELS {
                    if let Some(&cell) = cells.get(small_cell(c, p, l)).filter(|x| x.0 > 0) {
                        self.ordered.insert(cell_key(c, p, l), cell);
                    }
                }
            }
        }
    }

    /// Adds to a set tally, checked (a deserialized or merged state is not bounded by one
    /// pass's journeys).
    fn add_set(&mut self, mask: u64, t: SetTally) -> Result<(), Error> {
        let slot = if self.small_sets.is_empty() {
            Some(self.sets.entry(mask).or_default())
        } else {
            usize::try_from(mask).ok().and_then(|m| self.small_sets.get_mut(m))
        };
        if let Some(x) = slot {
            x.journeys = x.journeys.checked_add(t.journeys).ok_or_else(overflow)?;
            x.conversions = x.conversions.checked_add(t.conversions).ok_or_else(overflow)?;
            x.value = x.value.checked_add(t.value).ok_or_else(overflow)?;
        }
        Ok(())
    }

    /// Adds to an ordered cell, checked like [`CoalitionCounts::add_set`].
    fn add_cell(
        &mut self,
        channel: usize,
        position: usize,
        length: usize,
        conversions: u64,
        value: i128,
    ) -> Result<(), Error> {
        let slot = if self.small_sets.is_empty() {
            Some(self.ordered.entry(cell_key(channel, position, length)).or_default())
        } else {
            self.small_ordered.get_mut(small_cell(channel, position, length))
        };
        if let Some(x) = slot {
            x.0 = x.0.checked_add(conversions).ok_or_else(overflow)?;
            x.1 = x.1.checked_add(value).ok_or_else(overflow)?;
        }
        Ok(())
    }

    /// Every non-empty set tally, in no particular order.
    fn set_entries(&self) -> Vec<(u64, SetTally)> {
        let small = self.small_sets.iter().enumerate().filter(|(_, t)| t.journeys > 0).map(|(m, &t)| (m as u64, t));
        small.chain(self.sets.iter().map(|(&m, &t)| (m, t))).collect()
    }

    /// Every non-empty ordered cell as `(channel, position, length, conversions, value)`.
    fn cell_entries(&self) -> Vec<(usize, usize, usize, u64, i128)> {
        let mut out = Vec::new();
        if !self.small_sets.is_empty() {
            for c in 0..SMALL_CHANNELS {
                for p in 0..SMALL_CHANNELS {
                    for l in 0..=SMALL_CHANNELS {
                        if let Some(&(cv, v)) = self.small_ordered.get(small_cell(c, p, l)).filter(|x| x.0 > 0) {
                            out.push((c, p, l, cv, v));
                        }
                    }
                }
            }
        }
        for (&key, &(cv, v)) in &self.ordered {
            let k = key as usize;
            out.push((k >> 16, (k >> 8) & 0xff, k & 0xff, cv, v));
        }
        out
    }

    /// Adds one channel sequence: channels in touch order, `Some(value)` if it converted.
    ///
    /// A bare channel sequence has no times, so nothing about its order can be checked: it is
    /// taken as the touch order. Journeys (facts with instants) go through [`Tally::push`](crate::Tally::push),
    /// which refuses unordered touches and touches after the conversion.
    ///
    /// # Errors
    /// [`ErrorKind::Empty`] (`what: "channel path"`), [`ErrorKind::CurrencyMismatch`], [`ErrorKind::InvalidValue`],
    /// [`ErrorKind::ExcessPrecision`], [`ErrorKind::TooManyChannels`], [`ErrorKind::Overflow`].
    pub fn push_channels(&mut self, channels: &[ChannelId], converted_value: Option<Money>) -> Result<(), Error> {
        push_channels_into(self, channels, converted_value)
    }

    /// Adds an aggregated path.
    ///
    /// # Errors
    /// As [`CoalitionCounts::push_channels`].
    pub fn push_path(&mut self, path: &AggregatedPath) -> Result<(), Error> {
        push_path_into(self, path)
    }

    /// Adds every path of a columnar batch (the fast form of repeated `push_path`).
    ///
    /// # Errors
    /// [`ErrorKind::CurrencyMismatch`] if the batch's currency differs; those of `push_indices`.
    pub fn push_columns(&mut self, batch: &PathColumns) -> Result<(), Error> {
        push_columns_into(self, batch)
    }

    /// The hot path: adds `conversions + nulls` journeys with the channel indices `path`,
    /// `conversions` of them converting with total value `value_minor` minor units.
    ///
    /// # Errors
    /// [`ErrorKind::Empty`] (`what: "channel path"`); [`ErrorKind::InvalidValue`] for an index never interned or a
    /// negative value (or a value without conversions); [`ErrorKind::Overflow`].
    pub fn push_indices(&mut self, path: &[u32], conversions: u64, value_minor: i64, nulls: u64) -> Result<(), Error> {
        if path.is_empty() {
            return Err(ErrorKind::Empty { what: "channel path" }.into());
        }
        check_minor_outcome(conversions, value_minor)?;
        if let Some(&bad) = path.iter().find(|&&c| c as usize >= self.channels.len()) {
            return Err(unknown_index(bad));
        }
        self.count_valid(path, conversions, value_minor, nulls)
    }

    /// Tallies a path already checked (non-empty, known indices, valid outcome), with checked
    /// sums.
    fn count_valid(&mut self, path: &[u32], conversions: u64, value_minor: i64, nulls: u64) -> Result<(), Error> {
        let w = conversions.checked_add(nulls).ok_or_else(overflow)?;
        if w == 0 {
            return Ok(());
        }
        self.journeys = self.journeys.checked_add(w).ok_or_else(overflow)?;
        let mut mask = 0u64;
        let mut order = [0u8; MAX_COALITION_CHANNELS];
        let mut m = 0usize;
        for &c in path {
            let bit = 1u64 << (c & 63);
            if mask & bit == 0 {
                mask |= bit;
                if let (Some(slot), Ok(c)) = (order.get_mut(m), u8::try_from(c)) {
                    *slot = c;
                }
                m += 1;
            }
        }
        let value = i128::from(value_minor);
        let conversions_total = self.conversions.checked_add(conversions).ok_or_else(overflow)?;
        let value_total = self.total_value.checked_add(value).ok_or_else(overflow)?;
        self.add_set(mask, SetTally { journeys: w, conversions, value })?;
        if conversions > 0 {
            for (pos, &c) in order.iter().take(m).enumerate() {
                self.add_cell(usize::from(c), pos, m, conversions, value)?;
            }
        }
        self.conversions = conversions_total;
        self.total_value = value_total;
        Ok(())
    }

    fn total_value(&self) -> Result<Money, Error> {
        let minor = i64::try_from(self.total_value).map_err(|_| ErrorKind::Overflow { op: "shapley total value" })?;
        Ok(Money::from_minor(minor, self.currency))
    }

    /// The channels in id order, and the sets as `(mask over that order, tally)` sorted by mask.
    fn canonical(&self) -> (Vec<ChannelId>, Vec<u32>, Vec<(u64, SetTally)>) {
        let (rank, sorted) = self.channels.ranks();
        let mut sets: Vec<(u64, SetTally)> =
            self.set_entries().into_iter().map(|(m, t)| (remap_mask(m, &rank), t)).collect();
        sets.sort_unstable_by_key(|&(m, _)| m);
        (sorted, rank, sets)
    }

    fn check_conversions(&self) -> Result<(), Error> {
        if self.conversions == 0 {
            return Err(ErrorKind::NoConvertingJourneys { journeys: self.journeys }.into());
        }
        Ok(())
    }

    /// Simplified Shapley: each conversion (and its value) split equally over its distinct
    /// channels.
    ///
    /// # Errors
    /// [`ErrorKind::NoConvertingJourneys`]; [`ErrorKind::Overflow`].
    pub fn simplified(&self) -> Result<SimplifiedShapley, Error> {
        self.check_conversions()?;
        let (channels, _, sets) = self.canonical();
        let n = channels.len();
        let mut conv = vec![0.0f64; n];
        let mut value = vec![0i128; n];
        let mut ones = Vec::with_capacity(n);
        for (mask, t) in &sets {
            if t.conversions == 0 {
                continue;
            }
            let size = mask.count_ones();
            let credit = t.conversions as f64 / f64::from(size);
            ones.clear();
            ones.resize(size as usize, 1u64);
            let minor = i64::try_from(t.value).map_err(|_| overflow())?;
            let parts = allocate_minor(minor, &ones)?;
            let mut parts = parts.into_iter();
            for (i, (c, v)) in conv.iter_mut().zip(value.iter_mut()).enumerate() {
                if mask & (1 << i) != 0 {
                    *c += credit;
                    *v = v.checked_add(i128::from(parts.next().unwrap_or(0))).ok_or_else(overflow)?;
                }
            }
        }
        let total = self.conversions as f64;
        let credits = channels
            .into_iter()
            .zip(conv.into_iter().zip(value))
            .map(|(channel, (c, v))| {
                let minor = i64::try_from(v).map_err(|_| overflow())?;
                Ok(ShapleyCredit {
                    channel,
                    conversions: c,
                    share: c / total,
                    value: Money::from_minor(minor, self.currency),
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(SimplifiedShapley { conversions: self.conversions, total_value: self.total_value()?, channels: credits })
    }

    /// Ordered Shapley: the simplified credit kept per position of first appearance.
    ///
    /// # Errors
    /// [`ErrorKind::NoConvertingJourneys`]; [`ErrorKind::Overflow`].
    ///
    /// ```
    /// use revops::{ChannelId, Currency, Money};
    /// use revops::attribution::{CoalitionCounts, Game};
    ///
    /// let (a, b) = (ChannelId::new("a")?, ChannelId::new("b")?);
    /// let usd = |cents| Some(Money::from_minor(cents, Currency::USD));
    /// let mut counts = CoalitionCounts::new(Currency::USD);
    /// counts.push_channels(&[a.clone(), b.clone()], usd(10_000))?; // a > b converts, $100
    /// counts.push_channels(&[b.clone()], usd(5_000))?; // b converts, $50
    /// counts.push_channels(&[a.clone()], None)?; // a does not
    /// let ordered = counts.ordered()?;
    /// assert_eq!(ordered.channels[0].conversions_by_position, [0.5, 0.0]); // a: first on a > b
    /// assert_eq!(ordered.channels[1].conversions_by_position, [1.0, 0.5]); // b: alone, then second
    /// assert_eq!(ordered.channels[1].value_by_position[1].to_string(), "50.00 USD");
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn ordered(&self) -> Result<OrderedShapley, Error> {
        self.check_conversions()?;
        let (channels, rank, _) = self.canonical();
        let n = channels.len();
        let mut cells: Vec<(usize, usize, usize, u64, i128)> = self
            .cell_entries()
            .into_iter()
            .map(|(c, p, l, cv, v)| (rank.get(c).copied().unwrap_or(0) as usize, p, l, cv, v))
            .collect();
        cells.sort_unstable_by_key(|c| (c.0, c.1, c.2));
        let positions = cells.iter().map(|c| c.1 + 1).max().unwrap_or(0);
        let mut conv = vec![vec![0.0f64; positions]; n];
        let mut weights = vec![0.0f64; n * positions];
        for &(c, pos, len, cv, v) in &cells {
            if let Some(x) = conv.get_mut(c).and_then(|row| row.get_mut(pos)) {
                *x += cv as f64 / len as f64;
            }
            if let Some(x) = weights.get_mut(c * positions + pos) {
                *x += v as f64 / len as f64;
            }
        }
        let labels: Vec<ChannelId> = channels.iter().flat_map(|c| core::iter::repeat_n(c.clone(), positions)).collect();
        let total_value = self.total_value()?;
        let values = if total_value.is_zero() {
            vec![Money::zero(self.currency); n * positions]
        } else {
            allocate_shares(total_value, &labels, &weights)?
        };
        let credits = channels
            .into_iter()
            .zip(conv)
            .enumerate()
            .map(|(i, (channel, conversions_by_position))| OrderedCredit {
                channel,
                conversions_by_position,
                value_by_position: values.get(i * positions..(i + 1) * positions).unwrap_or_default().to_vec(),
            })
            .collect();
        Ok(OrderedShapley { conversions: self.conversions, total_value, channels: credits })
    }

    /// Exact classic Shapley values of a built-in [`Game`] over every channel seen.
    ///
    /// # Errors
    /// [`ErrorKind::NoConvertingJourneys`]; [`ErrorKind::TooManyChannels`] above
    /// [`MAX_EXACT_CHANNELS`]; [`ErrorKind::ShapleyEfficiency`].
    ///
    /// ```
    /// use revops::{ChannelId, Currency, Money};
    /// use revops::attribution::{CoalitionCounts, Game};
    ///
    /// let (a, b) = (ChannelId::new("a")?, ChannelId::new("b")?);
    /// let usd = |cents| Some(Money::from_minor(cents, Currency::USD));
    /// let mut counts = CoalitionCounts::new(Currency::USD);
    /// counts.push_channels(&[a.clone(), b.clone()], usd(10_000))?; // a > b converts, $100
    /// counts.push_channels(&[b.clone()], usd(5_000))?; // b converts, $50
    /// counts.push_channels(&[a.clone()], None)?; // a does not
    /// // Cumulative conversions: the simplified values, a 0.5 and b 1.5.
    /// let cumulative = counts.exact(Game::CumulativeConversions)?;
    /// assert_eq!((cumulative.channels[1].1, cumulative.grand_coalition), (1.5, 2.0));
    /// // Conversion rate: v({a}) = 0, v({b}) = 1, v({a, b}) = 1, so b gets it all.
    /// let rate = counts.exact(Game::ConversionRate)?;
    /// assert_eq!((rate.channels[0].1, rate.channels[1].1), (0.0, 1.0));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn exact(&self, game: Game) -> Result<ShapleyValues, Error> {
        self.check_conversions()?;
        let (channels, _, sets) = self.canonical();
        let n = channels.len();
        check_exact_limit(n)?;
        let size = 1usize << n;
        let mut v = vec![0.0f64; size];
        let unit = 10f64.powi(i32::from(self.currency.exponent()));
        for (mask, t) in &sets {
            if let Some(x) = usize::try_from(*mask).ok().and_then(|m| v.get_mut(m)) {
                *x = match game {
                    Game::ConversionRate => t.conversions as f64 / t.journeys as f64,
                    Game::CumulativeConversions => t.conversions as f64,
                    Game::CumulativeValue => t.value as f64 / unit,
                };
            }
        }
        if matches!(game, Game::CumulativeConversions | Game::CumulativeValue) {
            zeta(&mut v, n);
        }
        shapley_of_table(&channels, &v)
    }
}

mod exact;
mod model;
mod results;
mod state;
#[cfg(test)]
mod tests;

impl PathSink for CoalitionCounts {
    fn sink_currency(&self) -> Currency {
        self.currency
    }
    fn sink_intern(&mut self, channel: &ChannelId) -> Result<u32, Error> {
        self.intern(channel)
    }
    fn sink_push(&mut self, path: &[u32], conversions: u64, value_minor: i64, nulls: u64) -> Result<(), Error> {
        self.push_indices(path, conversions, value_minor, nulls)
    }
    fn sink_count_valid(&mut self, path: &[u32], conversions: u64, value_minor: i64, nulls: u64) -> Result<(), Error> {
        self.count_valid(path, conversions, value_minor, nulls)
    }
}
