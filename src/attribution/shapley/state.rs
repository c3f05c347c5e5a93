//! [`CoalitionCounts`] as a [`Tally`] (its only `push` of a journey and `merge`), and its
//! partial state on the wire (feature `serde`).

use super::{CoalitionCounts, SimplifiedShapley, overflow};
use crate::attribution::bridge::channel_outcome;
use crate::attribution::paths::remap_mask;
use crate::facts::Journey;
use crate::{Error, ErrorKind, Tally};

impl Tally for CoalitionCounts {
    type Fact = Journey;
    type Output = SimplifiedShapley;

    /// Adds one [`Journey`] (converting or not) by its set of channels and outcome.
    ///
    /// # Errors
    /// [`Journey::check`]'s errors (the rule-based models' own: [`ErrorKind::TouchOutOfOrder`],
    /// [`ErrorKind::TouchAfterConversion`], [`ErrorKind::EmptyJourney`],
    /// [`ErrorKind::Negative`], naming the journey and touch); then as
    /// [`CoalitionCounts::push_channels`].
    fn push(&mut self, journey: &Journey) -> Result<(), Error> {
        let (channels, value) = channel_outcome(journey)?;
        self.push_channels(&channels, value)
    }

    /// Adds the tallies of `other` to these.
    ///
    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`] (field `currency`) if the counts were built for different
    /// currencies; [`ErrorKind::TooManyChannels`]; [`ErrorKind::Overflow`].
    fn merge(&mut self, other: CoalitionCounts) -> Result<(), Error> {
        if other.currency != self.currency {
            return Err(ErrorKind::DefinitionMismatch { tally: "shapley coalition counts", field: "currency" }.into());
        }
        let journeys = self.journeys.checked_add(other.journeys).ok_or_else(overflow)?;
        let conversions = self.conversions.checked_add(other.conversions).ok_or_else(overflow)?;
        let total_value = self.total_value.checked_add(other.total_value).ok_or_else(overflow)?;
        let map = other.channels.channels().iter().map(|c| self.intern(c)).collect::<Result<Vec<u32>, Error>>()?;
        for (mask, t) in other.set_entries() {
            self.add_set(remap_mask(mask, &map), t)?;
        }
        for (c, p, l, cv, v) in other.cell_entries() {
            let c = map.get(c).copied().unwrap_or(0) as usize;
            self.add_cell(c, p, l, cv, v)?;
        }
        (self.journeys, self.conversions, self.total_value) = (journeys, conversions, total_value);
        Ok(())
    }

    /// [`CoalitionCounts::simplified`]; the ordered and exact models read the counts before.
    ///
    /// # Errors
    /// As [`CoalitionCounts::simplified`].
    fn finish(self) -> Result<SimplifiedShapley, Error> {
        self.simplified()
    }
}

#[cfg(feature = "serde")]
pub(super) use self::wire::CoalitionState;

#[cfg(feature = "serde")]
mod wire {
    use std::collections::{BTreeMap, BTreeSet};

    use super::super::{SetTally, overflow};
    use super::CoalitionCounts;
    use crate::attribution::paths::{bad_state, wide};
    use crate::money::Currency;
    use crate::{ChannelId, Error};

    /// Wire shape of a [`CoalitionCounts`]' partial state. The journey, conversion and value
    /// totals are the sums of the set tallies, so they are not on the wire.
    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(in super::super) struct CoalitionState {
        currency: Currency,
        /// In interning order: bit `i` of a mask and `channel: i` are `channels[i]`.
        channels: Vec<ChannelId>,
        /// Sorted by mask.
        sets: Vec<SetRow>,
        /// Sorted by (channel, position, length).
        cells: Vec<CellRow>,
    }

    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct SetRow {
        mask: u64,
        journeys: u64,
        conversions: u64,
        #[serde(with = "wide")]
        value: i128,
    }

    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct CellRow {
        channel: usize,
        position: usize,
        length: usize,
        conversions: u64,
        #[serde(with = "wide")]
        value: i128,
    }

    impl From<CoalitionCounts> for CoalitionState {
        fn from(c: CoalitionCounts) -> CoalitionState {
            let mut sets: Vec<SetRow> = c
                .set_entries()
                .into_iter()
                .map(|(mask, t)| SetRow { mask, journeys: t.journeys, conversions: t.conversions, value: t.value })
                .collect();
            sets.sort_unstable_by_key(|r| r.mask);
            let mut cells: Vec<CellRow> = c
                .cell_entries()
                .into_iter()
                .map(|(channel, position, length, conversions, value)| CellRow {
                    channel,
                    position,
                    length,
                    conversions,
                    value,
                })
                .collect();
            cells.sort_unstable_by_key(|r| (r.channel, r.position, r.length));
            CoalitionState { currency: c.currency, channels: c.channels.channels().to_vec(), sets, cells }
        }
    }

    const INVALID: &str = "shapley state";

    impl TryFrom<CoalitionState> for CoalitionCounts {
        type Error = Error;
        fn try_from(state: CoalitionState) -> Result<CoalitionCounts, Error> {
            let mut counts = CoalitionCounts::new(state.currency);
            for channel in &state.channels {
                let before = counts.channels.len();
                counts.intern(channel)?;
                if counts.channels.len() == before {
                    return Err(bad_state(INVALID, channel, "channel appears twice"));
                }
            }
            let n = counts.channels.len();
            let all = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
            // Per (length, position) and per channel: the conversions and value the sets put
            // there, which the cells must carry exactly (each converting journey adds its
            // outcome to one cell per distinct channel, at its position of first appearance).
            let mut by_slot: BTreeMap<(usize, usize), (u128, i128)> = BTreeMap::new();
            let mut by_channel = vec![(0u128, 0i128); n];
            let mut seen = BTreeSet::new();
            for row in &state.sets {
                if row.mask == 0 || row.mask & !all != 0 || !seen.insert(row.mask) {
                    return Err(bad_state(
                        INVALID,
                        row.mask,
                        "set masks must be distinct, non-empty subsets of the channels",
                    ));
                }
                if row.journeys == 0
                    || row.conversions > row.journeys
                    || row.value < 0
                    || (row.conversions == 0 && row.value != 0)
                {
                    return Err(bad_state(
                        INVALID,
                        row.mask,
                        "a set needs journeys, at most as many conversions, and a non-negative value (zero without conversions)",
                    ));
                }
                counts.journeys = counts.journeys.checked_add(row.journeys).ok_or_else(overflow)?;
                counts.conversions = counts.conversions.checked_add(row.conversions).ok_or_else(overflow)?;
                counts.total_value = counts.total_value.checked_add(row.value).ok_or_else(overflow)?;
                counts.add_set(
                    row.mask,
                    SetTally { journeys: row.journeys, conversions: row.conversions, value: row.value },
                )?;
                if row.conversions > 0 {
                    let length = row.mask.count_ones() as usize;
                    for position in 0..length {
                        add(by_slot.entry((length, position)).or_default(), row.conversions, row.value)?;
                    }
                    for (i, slot) in by_channel.iter_mut().enumerate() {
                        if row.mask & (1 << i) != 0 {
                            add(slot, row.conversions, row.value)?;
                        }
                    }
                }
            }
            let mut seen = BTreeSet::new();
            for row in &state.cells {
                let key = (row.channel, row.position, row.length);
                if row.channel >= n
                    || row.length > n
                    || row.position >= row.length
                    || row.conversions == 0
                    || row.value < 0
                    || !seen.insert(key)
                {
                    return Err(bad_state(
                        INVALID,
                        format!("{key:?}"),
                        "cells must be distinct, with a known channel, a position inside the length, conversions and a non-negative value",
                    ));
                }
                counts.add_cell(row.channel, row.position, row.length, row.conversions, row.value)?;
                sub(by_slot.entry((row.length, row.position)).or_default(), row.conversions, row.value)?;
                if let Some(slot) = by_channel.get_mut(row.channel) {
                    sub(slot, row.conversions, row.value)?;
                }
            }
            if by_slot.values().chain(&by_channel).any(|&x| x != (0, 0)) {
                return Err(bad_state(
                    INVALID,
                    "cells",
                    "the ordered cells do not carry the sets' conversions and value",
                ));
            }
            Ok(counts)
        }
    }

    fn add(slot: &mut (u128, i128), conversions: u64, value: i128) -> Result<(), Error> {
        slot.0 = slot.0.checked_add(u128::from(conversions)).ok_or_else(overflow)?;
        slot.1 = slot.1.checked_add(value).ok_or_else(overflow)?;
        Ok(())
    }

    fn sub(slot: &mut (u128, i128), conversions: u64, value: i128) -> Result<(), Error> {
        slot.0 = slot
            .0
            .checked_sub(u128::from(conversions))
            .ok_or_else(|| bad_state(INVALID, "cells", "the ordered cells carry more than the sets"))?;
        slot.1 = slot.1.checked_sub(value).ok_or_else(overflow)?;
        Ok(())
    }
}
