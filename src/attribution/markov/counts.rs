//! [`TransitionCounts`]: the mergeable accumulator of Markov transition counts.

use crate::attribution::paths::{
    AggregatedPath, ChannelInterner, FastMap, PathColumns, PathSink, check_minor_outcome, push_channels_into,
    push_columns_into, push_path_into, unknown_index,
};
use crate::money::Currency;
use crate::{ChannelId, Error, ErrorKind, Money};

use super::{MarkovModel, ValueAllocation};

mod state;

/// Bits per channel in a state key: a key packs up to [`MarkovModel::MAX_ORDER`] channel
/// indices (plus one, so zero marks an empty slot), newest in the lowest bits.
const FIELD_BITS: u32 = 16;
/// Order 1 counts in a dense table up to this many channels (512 KiB), sparse beyond.
const DENSE_CHANNELS: usize = 256;

/// Transition counts of a Markov chain of a given order: the accumulator behind
/// [`MarkovModel`].
///
/// Push journeys (row level) or aggregated paths, merge counts built elsewhere (associative and
/// commutative: the counts are integers), then [`finish`](crate::Tally::finish). Memory is
/// bounded by the observed states and transitions (for order 1 with `c` channels, a `c x c`
/// table), never by the number of journeys.
///
/// Counting follows the [`markov`](super) module rules: consecutive repeats collapse,
/// each journey adds its weight (conversions plus nulls) to START -> first state and to every
/// state -> next state, and its conversions and nulls to last state -> CONVERSION / NULL.
///
/// # Example
///
/// ```
/// use revops::{ChannelId, Currency, Money, Tally};
/// use revops::attribution::MarkovModel;
///
/// let mut counts = MarkovModel::new(1)?.counts(Currency::USD);
/// let (a, b) = (counts.intern(&ChannelId::new("a")?)?, counts.intern(&ChannelId::new("b")?)?);
/// counts.push_indices(&[a, a, b], 1, 50_000, 0)?; // a > a > b converted, $500.00
/// counts.push_indices(&[b], 0, 0, 3)?;            // three journeys b, not converted
/// assert_eq!(counts.journeys(), 4);
/// let result = counts.finish()?;
/// assert_eq!(result.conversions, 1);
/// # Ok::<(), revops::Error>(())
/// ```
///
/// It implements [`Tally`](crate::Tally) over [`Journey`](crate::facts::Journey)s, and
/// (feature `serde`) its partial state serializes: the model, the channels in interning order,
/// the states with their start, conversion, null and value counts, the transitions and the
/// overflow guard; deserializing validates them (known channels, flow conservation at every
/// state), and a deserialized state merges and finishes exactly like the original.
#[derive(Clone, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "state::CountsState", into = "state::CountsState")
)]
pub struct TransitionCounts {
    pub(super) model: MarkovModel,
    pub(super) currency: Currency,
    pub(super) channels: ChannelInterner,
    /// State key of each state id (order 1: state id == channel index).
    pub(super) keys: Vec<u128>,
    index: FastMap<u128, u32>,
    pub(super) start: Vec<u64>,
    pub(super) conv: Vec<u64>,
    pub(super) null: Vec<u64>,
    pub(super) value: Vec<i128>,
    /// Order 1 with up to [`DENSE_CHANNELS`] channels: dense `cap x cap` channel-to-channel
    /// counts (`cap == 0` once the counts went sparse).
    dense: Vec<u64>,
    cap: usize,
    /// Otherwise: `from << 32 | to` state ids to counts.
    edges: FastMap<u64, u64>,
    pub(super) journeys: u64,
    pub(super) conversions: u64,
    pub(super) nulls: u64,
    pub(super) total_value: i128,
    /// Sum over counted paths of weight times length: the overflow guard of `count_valid`.
    weighted_touches: u128,
    /// [`ValueAllocation::JourneyResplit`] only: conversion value by distinct-channel mask.
    pub(super) set_values: FastMap<u64, i128>,
}

fn overflow() -> Error {
    crate::Error::from(ErrorKind::Overflow { op: "markov transition count" })
}

fn bump(slot: Option<&mut u64>, w: u64) -> Result<(), Error> {
    if let Some(x) = slot {
        *x = x.checked_add(w).ok_or_else(overflow)?;
    }
    Ok(())
}

impl TransitionCounts {
    pub(super) fn new(model: MarkovModel, currency: Currency) -> TransitionCounts {
        TransitionCounts {
            model,
            currency,
            channels: ChannelInterner::new(),
            keys: Vec::new(),
            index: FastMap::default(),
            start: Vec::new(),
            conv: Vec::new(),
            null: Vec::new(),
            value: Vec::new(),
            dense: Vec::new(),
            cap: 0,
            edges: FastMap::default(),
            journeys: 0,
            conversions: 0,
            nulls: 0,
            total_value: 0,
            weighted_touches: 0,
            set_values: FastMap::default(),
        }
    }

    /// The model these counts are for.
    #[must_use]
    pub fn model(&self) -> &MarkovModel {
        &self.model
    }

    /// The currency of the conversion values.
    #[must_use]
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The channels seen so far, by index.
    #[must_use]
    pub fn channels(&self) -> &ChannelInterner {
        &self.channels
    }

    /// Journeys counted (conversions plus nulls).
    #[must_use]
    pub fn journeys(&self) -> u64 {
        self.journeys
    }

    /// Distinct states seen so far.
    #[must_use]
    pub fn state_count(&self) -> usize {
        self.keys.len()
    }

    /// The index of `channel` for [`push_indices`](TransitionCounts::push_indices), adding it
    /// if new.
    ///
    /// # Errors
    /// [`ErrorKind::TooManyChannels`] past [`ChannelInterner::MAX_CHANNELS`].
    pub fn intern(&mut self, channel: &ChannelId) -> Result<u32, Error> {
        let i = self.channels.intern(channel)?;
        if self.model.order() == 1 && self.channels.len() > self.keys.len() {
            self.grow_channels();
        }
        Ok(i)
    }

    /// Order 1: one state per channel, and a dense table with room for every channel (or, past
    /// [`DENSE_CHANNELS`], the sparse map).
    fn grow_channels(&mut self) {
        let n = self.channels.len();
        while self.keys.len() < n {
            self.keys.push(self.keys.len() as u128 + 1);
            self.start.push(0);
            self.conv.push(0);
            self.null.push(0);
            self.value.push(0);
        }
        if n > DENSE_CHANNELS {
            if self.cap > 0 {
                for (from, to, count) in self.edge_list() {
                    self.edges.insert(((from as u64) << 32) | to as u64, count);
                }
                self.dense = Vec::new();
                self.cap = 0;
            }
        } else if n > self.cap {
            let cap = n.next_power_of_two().max(16);
            let mut dense = vec![0u64; cap * cap];
            for from in 0..self.cap {
                for to in 0..self.cap {
                    if let (Some(d), Some(&s)) = (dense.get_mut(from * cap + to), self.dense.get(from * self.cap + to))
                    {
                        *d = s;
                    }
                }
            }
            self.dense = dense;
            self.cap = cap;
        }
    }

    /// Every counted transition between channel states as `(from, to, count)` (state ids).
    pub(super) fn edge_list(&self) -> Vec<(usize, usize, u64)> {
        let mut out = Vec::new();
        for from in 0..self.cap {
            for to in 0..self.cap {
                if let Some(&c) = self.dense.get(from * self.cap + to).filter(|&&c| c > 0) {
                    out.push((from, to, c));
                }
            }
        }
        out.extend(self.edges.iter().map(|(&e, &c)| ((e >> 32) as usize, (e & 0xffff_ffff) as usize, c)));
        out
    }

    fn add_edge(&mut self, from: usize, to: usize, count: u64) -> Result<(), Error> {
        if self.cap > 0 {
            bump(self.dense.get_mut(from * self.cap + to), count)
        } else {
            let e = self.edges.entry(((from as u64) << 32) | to as u64).or_insert(0);
            *e = e.checked_add(count).ok_or_else(overflow)?;
            Ok(())
        }
    }

    /// Adds one channel sequence as channel ids in touch order: `Some(value)` if it converted, `None`
    /// if not.
    ///
    /// A bare channel sequence has no times, so nothing about its order can be checked: it is
    /// taken as the touch order. Journeys (facts with instants) go through [`Tally::push`](crate::Tally::push),
    /// which refuses unordered touches and touches after the conversion.
    ///
    /// # Errors
    /// [`ErrorKind::Empty`] (`what: "channel path"`), [`ErrorKind::CurrencyMismatch`], [`ErrorKind::InvalidValue`] for a
    /// negative value, [`ErrorKind::ExcessPrecision`], [`ErrorKind::TooManyChannels`], [`ErrorKind::Overflow`].
    ///
    /// ```
    /// use revops::{ChannelId, Currency, Money};
    /// use revops::attribution::MarkovModel;
    ///
    /// let mut counts = MarkovModel::new(1)?.counts(Currency::USD);
    /// let (a, b) = (ChannelId::new("a")?, ChannelId::new("b")?);
    /// counts.push_channels(&[a.clone(), b.clone()], Some(Money::from_minor(1_000, Currency::USD)))?;
    /// counts.push_channels(&[b], None)?;
    /// assert!(counts.push_channels(&[a], Some(Money::from_minor(-1, Currency::USD))).is_err());
    /// assert_eq!((counts.journeys(), counts.state_count()), (2, 2));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn push_channels(&mut self, channels: &[ChannelId], converted_value: Option<Money>) -> Result<(), Error> {
        push_channels_into(self, channels, converted_value)
    }

    /// Adds an aggregated path.
    ///
    /// # Errors
    /// As [`TransitionCounts::push_channels`].
    ///
    /// ```
    /// use revops::{ChannelId, Currency, Money};
    /// use revops::attribution::{AggregatedPath, MarkovModel};
    ///
    /// let mut counts = MarkovModel::new(2)?.counts(Currency::USD);
    /// let channels = vec![ChannelId::new("a")?, ChannelId::new("b")?, ChannelId::new("c")?];
    /// let (value, nulls) = (Money::from_minor(3_000, Currency::USD), 7);
    /// counts.push_path(&AggregatedPath { channels, conversions: 3, value, nulls })?;
    /// assert_eq!(counts.journeys(), 10);
    /// assert_eq!(counts.state_count(), 2); // the windows (a, b) and (b, c)
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn push_path(&mut self, path: &AggregatedPath) -> Result<(), Error> {
        push_path_into(self, path)
    }

    /// Adds every path of a columnar batch (the fast form of repeated `push_path`).
    ///
    /// # Errors
    /// [`ErrorKind::CurrencyMismatch`] if the batch's currency differs; those of `push_indices`.
    ///
    /// ```
    /// use revops::{ChannelId, Currency};
    /// use revops::attribution::{MarkovModel, PathColumns};
    ///
    /// let mut batch = PathColumns::new(Currency::USD);
    /// let (a, b) = (batch.intern(&ChannelId::new("a")?)?, batch.intern(&ChannelId::new("b")?)?);
    /// batch.push(&[a, b], 1, 2_500, 1)?;
    /// batch.push(&[b], 0, 0, 2)?;
    /// let mut counts = MarkovModel::new(1)?.counts(Currency::USD);
    /// counts.push_columns(&batch)?;
    /// assert_eq!(counts.journeys(), 4);
    /// assert!(MarkovModel::new(1)?.counts(Currency::EUR).push_columns(&batch).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn push_columns(&mut self, batch: &PathColumns) -> Result<(), Error> {
        push_columns_into(self, batch)
    }

    /// The hot path: adds `conversions + nulls` journeys with the channel indices `path` (from
    /// [`intern`](TransitionCounts::intern)), `conversions` of them converting with total
    /// value `value_minor` minor units.
    ///
    /// # Errors
    /// [`ErrorKind::Empty`] (`what: "channel path"`); [`ErrorKind::InvalidValue`] for an index that was never
    /// interned or a negative value (or a value without conversions); [`ErrorKind::Overflow`].
    pub fn push_indices(&mut self, path: &[u32], conversions: u64, value_minor: i64, nulls: u64) -> Result<(), Error> {
        if path.is_empty() {
            return Err(ErrorKind::Empty { what: "channel path" }.into());
        }
        check_minor_outcome(conversions, value_minor)?;
        let n = self.channels.len();
        if let Some(&bad) = path.iter().find(|&&c| c as usize >= n) {
            return Err(unknown_index(bad));
        }
        self.count_valid(path, conversions, value_minor, nulls)
    }

    /// Counts a path already checked (non-empty, known indices, valid outcome).
    ///
    /// Overflow guard: every count is a sum of journey weights over single steps, so none can
    /// exceed `weighted_touches` (the sum of weight times path length); keeping that within
    /// `u64` makes every increment below safe without a check per touch. Values are at most
    /// `i64::MAX` per path and at most `2^64` paths, so their `i128` sums cannot overflow.
    pub(super) fn count_valid(
        &mut self,
        path: &[u32],
        conversions: u64,
        value_minor: i64,
        nulls: u64,
    ) -> Result<(), Error> {
        let w = conversions.checked_add(nulls).ok_or_else(overflow)?;
        if w == 0 {
            return Ok(());
        }
        let used = self.weighted_touches + u128::from(w) * path.len() as u128;
        if used > u128::from(u64::MAX) {
            return Err(overflow());
        }
        // The per-path sums are checked (a deserialized state need not come from one pass);
        // the per-touch counts below stay within the weighted-touch guard.
        let journeys = self.journeys.checked_add(w).ok_or_else(overflow)?;
        let conversions_total = self.conversions.checked_add(conversions).ok_or_else(overflow)?;
        let nulls_total = self.nulls.checked_add(nulls).ok_or_else(overflow)?;
        let value_total = self.total_value.checked_add(i128::from(value_minor)).ok_or_else(overflow)?;
        if conversions > 0 && self.model.value_allocation() == ValueAllocation::JourneyResplit {
            let mut mask = 0u64;
            for &c in path {
                if c >= 64 {
                    return Err(ErrorKind::TooManyChannels {
                        model: "markov journey re-split",
                        channels: self.channels.len(),
                        max: 64,
                    }
                    .into());
                }
                mask |= 1 << c;
            }
            let v = self.set_values.entry(mask).or_insert(0);
            *v = v.checked_add(i128::from(value_minor)).ok_or_else(overflow)?;
        }
        self.weighted_touches = used;
        let last = if self.cap > 0 {
            self.count_order1(path, w)
        } else if self.model.order() == 1 {
            self.count_order1_sparse(path, w)?
        } else {
            self.count_order_k(path, w)?
        };
        bump(self.conv.get_mut(last), conversions)?;
        bump(self.null.get_mut(last), nulls)?;
        if let Some(v) = self.value.get_mut(last) {
            *v = v.checked_add(i128::from(value_minor)).ok_or_else(overflow)?;
        }
        (self.journeys, self.conversions, self.nulls, self.total_value) =
            (journeys, conversions_total, nulls_total, value_total);
        Ok(())
    }

    /// Order 1 over a non-empty, checked path; returns the last state.
    fn count_order1(&mut self, path: &[u32], w: u64) -> usize {
        let cap = self.cap;
        let Some((&first, rest)) = path.split_first() else { return 0 };
        let mut prev = first as usize;
        if let Some(x) = self.start.get_mut(prev) {
            *x = x.wrapping_add(w); // within the weighted-touch guard
        }
        let dense = self.dense.as_mut_slice();
        for &c in rest {
            let c = c as usize;
            // Branch-free collapse of repeats: a repeat adds 0 to the (unused) diagonal.
            let add = w & 0u64.wrapping_sub(u64::from(c != prev));
            if let Some(x) = dense.get_mut(prev * cap + c) {
                *x = x.wrapping_add(add); // within the weighted-touch guard
            }
            prev = c;
        }
        prev
    }

    /// Order 1 past [`DENSE_CHANNELS`] channels, in the sparse map; returns the last state.
    fn count_order1_sparse(&mut self, path: &[u32], w: u64) -> Result<usize, Error> {
        let mut prev: Option<u32> = None;
        for &c in path {
            if prev != Some(c) {
                self.step(prev, c, w)?;
                prev = Some(c);
            }
        }
        Ok(prev.unwrap_or(0) as usize)
    }

    /// Order k >= 2 (sliding windows of the collapsed path); returns the last state.
    fn count_order_k(&mut self, path: &[u32], w: u64) -> Result<usize, Error> {
        let k = self.model.order();
        let mask = u128::MAX >> (128 - FIELD_BITS as usize * k);
        let mut key: u128 = 0;
        let mut seen = 0usize;
        let mut prev_channel = u32::MAX;
        let mut prev_state: Option<u32> = None;
        for &c in path {
            if c == prev_channel {
                continue;
            }
            prev_channel = c;
            key = ((key << FIELD_BITS) | u128::from(c + 1)) & mask;
            seen += 1;
            if seen >= k {
                let s = self.state(key)?;
                self.step(prev_state, s, w)?;
                prev_state = Some(s);
            }
        }
        let last = if let Some(s) = prev_state {
            s
        } else {
            // A collapsed path shorter than the order is one (short) state.
            let s = self.state(key)?;
            self.step(None, s, w)?;
            s
        };
        Ok(last as usize)
    }

    fn step(&mut self, from: Option<u32>, to: u32, w: u64) -> Result<(), Error> {
        match from {
            None => bump(self.start.get_mut(to as usize), w),
            Some(f) => {
                let e = self.edges.entry((u64::from(f) << 32) | u64::from(to)).or_insert(0);
                *e = e.checked_add(w).ok_or_else(overflow)?;
                Ok(())
            }
        }
    }

    fn state(&mut self, key: u128) -> Result<u32, Error> {
        if let Some(&s) = self.index.get(&key) {
            return Ok(s);
        }
        let s = u32::try_from(self.keys.len()).map_err(|_| overflow())?;
        self.index.insert(key, s);
        self.keys.push(key);
        self.start.push(0);
        self.conv.push(0);
        self.null.push(0);
        self.value.push(0);
        Ok(s)
    }
}

/// The channel indices of a state key, oldest first.
pub(super) fn decode_key(key: u128) -> Vec<u32> {
    let mut out = Vec::new();
    let mut k = key;
    while k != 0 {
        #[allow(clippy::cast_possible_truncation)] // one 16-bit field
        out.push(((k & 0xffff) as u32).saturating_sub(1));
        k >>= FIELD_BITS;
    }
    out.reverse();
    out
}

fn remap_key(key: u128, map: &[u32]) -> u128 {
    decode_key(key)
        .into_iter()
        .fold(0u128, |acc, c| (acc << FIELD_BITS) | u128::from(map.get(c as usize).copied().unwrap_or(0) + 1))
}

impl PathSink for TransitionCounts {
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
