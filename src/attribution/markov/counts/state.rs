//! [`TransitionCounts`] as a [`Tally`] (its only `push` of a journey, `merge` and `finish`),
//! and its partial state on the wire (feature `serde`).

use super::{TransitionCounts, bump, overflow, remap_key};
use crate::attribution::MarkovAttribution;
use crate::attribution::bridge::channel_outcome;
use crate::attribution::paths::remap_mask;
use crate::facts::Journey;
use crate::{Error, ErrorKind, Tally};

impl Tally for TransitionCounts {
    type Fact = Journey;
    type Output = MarkovAttribution;

    /// Adds one [`Journey`] (converting or not): its channel sequence and, if it converted,
    /// its value. The whole path counts; lookback windows and exclusions are rule-based
    /// options and do not apply here.
    ///
    /// # Errors
    /// [`Journey::check`]'s errors (the rule-based models' own: [`ErrorKind::TouchOutOfOrder`],
    /// [`ErrorKind::TouchAfterConversion`], [`ErrorKind::EmptyJourney`],
    /// [`ErrorKind::Negative`], naming the journey and touch); then as
    /// [`TransitionCounts::push_channels`].
    fn push(&mut self, journey: &Journey) -> Result<(), Error> {
        let (channels, value) = channel_outcome(journey)?;
        self.push_channels(&channels, value)
    }

    /// Adds the counts of `other` (same model and currency) to these.
    ///
    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`] naming the field (`order`, `value allocation`,
    /// `degenerate data`, `currency`) if the counts were built for another model or currency;
    /// [`ErrorKind::TooManyChannels`]; [`ErrorKind::Overflow`].
    fn merge(&mut self, other: TransitionCounts) -> Result<(), Error> {
        let mismatch = |field| Err(ErrorKind::DefinitionMismatch { tally: "markov transition counts", field }.into());
        if other.model.order() != self.model.order() {
            return mismatch("order");
        }
        if other.model.value_allocation() != self.model.value_allocation() {
            return mismatch("value allocation");
        }
        if other.model.degenerate_data() != self.model.degenerate_data() {
            return mismatch("degenerate data");
        }
        if other.currency != self.currency {
            return mismatch("currency");
        }
        let used = self.weighted_touches + other.weighted_touches;
        if used > u128::from(u64::MAX) {
            return Err(overflow());
        }
        self.weighted_touches = used;
        let map = self.channels.absorb(&other.channels)?;
        let order1 = self.model.order() == 1;
        if order1 {
            self.grow_channels();
        }
        // Other's state id -> our state id.
        let mut states = Vec::with_capacity(other.keys.len());
        for &key in &other.keys {
            let key = remap_key(key, &map);
            let s =
                if order1 { u32::try_from(key.saturating_sub(1)).map_err(|_| overflow())? } else { self.state(key)? };
            states.push(s as usize);
        }
        for (i, &s) in states.iter().enumerate() {
            bump(self.start.get_mut(s), other.start.get(i).copied().unwrap_or(0))?;
            bump(self.conv.get_mut(s), other.conv.get(i).copied().unwrap_or(0))?;
            bump(self.null.get_mut(s), other.null.get(i).copied().unwrap_or(0))?;
            if let Some(v) = self.value.get_mut(s) {
                *v = v.checked_add(other.value.get(i).copied().unwrap_or(0)).ok_or_else(overflow)?;
            }
        }
        for (&mask, &v) in &other.set_values {
            let mut bits = mask;
            while bits != 0 {
                let i = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                if map.get(i).is_none_or(|&c| c >= 64) {
                    return Err(ErrorKind::TooManyChannels {
                        model: "markov journey re-split",
                        channels: self.channels.len(),
                        max: 64,
                    }
                    .into());
                }
            }
            let e = self.set_values.entry(remap_mask(mask, &map)).or_insert(0);
            *e = e.checked_add(v).ok_or_else(overflow)?;
        }
        for (from, to, c) in other.edge_list() {
            let (f, t) = (states.get(from).copied().unwrap_or(0), states.get(to).copied().unwrap_or(0));
            self.add_edge(f, t, c)?;
        }
        self.journeys = self.journeys.checked_add(other.journeys).ok_or_else(overflow)?;
        self.conversions = self.conversions.checked_add(other.conversions).ok_or_else(overflow)?;
        self.nulls = self.nulls.checked_add(other.nulls).ok_or_else(overflow)?;
        self.total_value = self.total_value.checked_add(other.total_value).ok_or_else(overflow)?;
        Ok(())
    }

    /// Solves the chain and attributes: see [`MarkovAttribution`].
    ///
    /// # Errors
    /// [`ErrorKind::NoConvertingJourneys`]; [`ErrorKind::NoNonConvertingJourneys`] unless the model
    /// reports degenerate data; [`ErrorKind::MarkovStateSpace`]; [`ErrorKind::MarkovNotConverged`];
    /// [`ErrorKind::Overflow`] for a total value beyond an `i64` of minor units.
    fn finish(self) -> Result<MarkovAttribution, Error> {
        super::super::attribute(self)
    }
}

#[cfg(feature = "serde")]
pub(super) use self::wire::CountsState;

#[cfg(feature = "serde")]
mod wire {
    use std::collections::BTreeSet;

    use super::super::{FIELD_BITS, TransitionCounts, bump, decode_key, overflow};
    use crate::attribution::MarkovModel;
    use crate::attribution::markov::ValueAllocation;
    use crate::attribution::paths::{bad_state, wide};
    use crate::money::Currency;
    use crate::{ChannelId, Error};

    /// Wire shape of a [`TransitionCounts`]' partial state. The journey, conversion, null and
    /// value totals are the sums over the states, so they are not on the wire.
    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(in super::super) struct CountsState {
        model: MarkovModel,
        currency: Currency,
        /// In interning order: channel index `i` is `channels[i]`.
        channels: Vec<ChannelId>,
        /// In state-id order (order 1: state `i` is channel `i`).
        states: Vec<StateRow>,
        /// Sorted by `(from, to)` state ids.
        transitions: Vec<EdgeRow>,
        /// [`ValueAllocation::JourneyResplit`] only: value by distinct-channel mask, sorted.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        set_values: Vec<SetValue>,
        /// The overflow guard: sum over the counted paths of weight times length.
        weighted_touches: u64,
    }

    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct StateRow {
        /// Channel indices, oldest first.
        channels: Vec<u32>,
        start: u64,
        conversions: u64,
        nulls: u64,
        #[serde(with = "wide")]
        value: i128,
    }

    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct EdgeRow {
        from: usize,
        to: usize,
        count: u64,
    }

    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct SetValue {
        mask: u64,
        #[serde(with = "wide")]
        value: i128,
    }

    impl From<TransitionCounts> for CountsState {
        fn from(c: TransitionCounts) -> CountsState {
            let at = |v: &[u64], i: usize| v.get(i).copied().unwrap_or(0);
            let states = c
                .keys
                .iter()
                .enumerate()
                .map(|(i, &key)| StateRow {
                    channels: decode_key(key),
                    start: at(&c.start, i),
                    conversions: at(&c.conv, i),
                    nulls: at(&c.null, i),
                    value: c.value.get(i).copied().unwrap_or(0),
                })
                .collect();
            let mut transitions: Vec<EdgeRow> =
                c.edge_list().into_iter().map(|(from, to, count)| EdgeRow { from, to, count }).collect();
            transitions.sort_unstable_by_key(|e| (e.from, e.to));
            let mut set_values: Vec<SetValue> =
                c.set_values.iter().map(|(&mask, &value)| SetValue { mask, value }).collect();
            set_values.sort_unstable_by_key(|s| s.mask);
            CountsState {
                model: c.model,
                currency: c.currency,
                channels: c.channels.channels().to_vec(),
                states,
                transitions,
                set_values,
                weighted_touches: u64::try_from(c.weighted_touches).unwrap_or(u64::MAX),
            }
        }
    }

    const INVALID: &str = "markov state";

    impl TryFrom<CountsState> for TransitionCounts {
        type Error = Error;
        #[allow(clippy::too_many_lines)] // one validation pass, field by field
        fn try_from(state: CountsState) -> Result<TransitionCounts, Error> {
            let mut counts = TransitionCounts::new(state.model, state.currency);
            for channel in &state.channels {
                let before = counts.channels.len();
                counts.intern(channel)?;
                if counts.channels.len() == before {
                    return Err(bad_state(INVALID, channel, "channel appears twice"));
                }
            }
            let n = counts.channels.len();
            let order = state.model.order();
            if order == 1 && state.states.len() != n {
                return Err(bad_state(INVALID, state.states.len(), "order 1 has one state per channel"));
            }
            // Flow at each state: what enters (start, transitions in) minus what leaves.
            let mut flow = vec![0i128; state.states.len()];
            let mut steps: u128 = 0;
            for (i, row) in state.states.iter().enumerate() {
                let known = !row.channels.is_empty()
                    && row.channels.len() <= order
                    && row.channels.iter().all(|&c| (c as usize) < n)
                    && row.channels.windows(2).all(|w| w.first() != w.get(1));
                if !known || (order == 1 && row.channels != [u32::try_from(i).unwrap_or(u32::MAX)]) {
                    return Err(bad_state(
                        INVALID,
                        format!("{:?}", row.channels),
                        "a state is 1 to order distinct consecutive known channels (order 1: state i is channel i)",
                    ));
                }
                if row.value < 0 || (row.conversions == 0 && row.value != 0) {
                    return Err(bad_state(
                        INVALID,
                        row.value,
                        "a state's value must not be negative, and zero without conversions",
                    ));
                }
                if order > 1 {
                    let key = row.channels.iter().fold(0u128, |k, &c| (k << FIELD_BITS) | u128::from(c + 1));
                    let before = counts.keys.len();
                    if counts.state(key)? as usize != before {
                        return Err(bad_state(INVALID, format!("{:?}", row.channels), "state appears twice"));
                    }
                }
                bump(counts.start.get_mut(i), row.start)?;
                bump(counts.conv.get_mut(i), row.conversions)?;
                bump(counts.null.get_mut(i), row.nulls)?;
                if let Some(v) = counts.value.get_mut(i) {
                    *v = row.value;
                }
                counts.journeys = counts.journeys.checked_add(row.start).ok_or_else(overflow)?;
                counts.conversions = counts.conversions.checked_add(row.conversions).ok_or_else(overflow)?;
                counts.nulls = counts.nulls.checked_add(row.nulls).ok_or_else(overflow)?;
                counts.total_value = counts.total_value.checked_add(row.value).ok_or_else(overflow)?;
                steps += u128::from(row.start);
                if let Some(f) = flow.get_mut(i) {
                    *f = i128::from(row.start) - i128::from(row.conversions) - i128::from(row.nulls);
                }
            }
            let mut seen = BTreeSet::new();
            for e in &state.transitions {
                if e.from >= flow.len()
                    || e.to >= flow.len()
                    || e.from == e.to
                    || e.count == 0
                    || !seen.insert((e.from, e.to))
                {
                    return Err(bad_state(
                        INVALID,
                        format!("{} -> {}", e.from, e.to),
                        "transitions must be distinct, between two different known states, with a count",
                    ));
                }
                counts.add_edge(e.from, e.to, e.count)?;
                steps += u128::from(e.count);
                let count = i128::from(e.count);
                if let Some(f) = flow.get_mut(e.from) {
                    *f = f.checked_sub(count).ok_or_else(overflow)?;
                }
                if let Some(f) = flow.get_mut(e.to) {
                    *f = f.checked_add(count).ok_or_else(overflow)?;
                }
            }
            if let Some(i) = flow.iter().position(|&f| f != 0) {
                return Err(bad_state(
                    INVALID,
                    i,
                    "the flow into a state (start and transitions) must equal the flow out (transitions, conversions, nulls)",
                ));
            }
            // Every count is at most the guard, so later increments stay within `u64`.
            if steps > u128::from(state.weighted_touches) {
                return Err(bad_state(
                    INVALID,
                    state.weighted_touches,
                    "the weighted touches must cover every counted step",
                ));
            }
            counts.weighted_touches = u128::from(state.weighted_touches);
            let resplit = state.model.value_allocation() == ValueAllocation::JourneyResplit;
            if !resplit && !state.set_values.is_empty() {
                return Err(bad_state(INVALID, "set_values", "only the journey re-split keeps values by channel set"));
            }
            let all = if n >= 64 { u64::MAX } else { (1u64 << n) - 1 };
            let mut set_total: i128 = 0;
            for s in &state.set_values {
                if s.mask == 0
                    || s.mask & !all != 0
                    || s.value < 0
                    || counts.set_values.insert(s.mask, s.value).is_some()
                {
                    return Err(bad_state(
                        INVALID,
                        s.mask,
                        "set values must be distinct, non-empty subsets of the channels, non-negative",
                    ));
                }
                set_total = set_total.checked_add(s.value).ok_or_else(overflow)?;
            }
            if resplit && set_total != counts.total_value {
                return Err(bad_state(INVALID, set_total, "the set values must sum to the total value"));
            }
            Ok(counts)
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Tally;
    #[cfg(feature = "serde")]
    use crate::attribution::TransitionCounts;
    use crate::attribution::{DegenerateData, MarkovModel, ValueAllocation};
    #[cfg(feature = "serde")]
    use crate::{ChannelId, Money};
    use crate::{Currency, ErrorKind};

    #[cfg(feature = "serde")]
    fn ch(s: &str) -> ChannelId {
        ChannelId::new(s).unwrap()
    }

    #[cfg(feature = "serde")]
    fn sample(model: MarkovModel) -> TransitionCounts {
        let usd = |m| Some(Money::from_minor(m, Currency::USD));
        let mut counts = model.counts(Currency::USD);
        counts.push_channels(&[ch("b"), ch("a"), ch("a"), ch("c")], usd(300)).unwrap();
        counts.push_channels(&[ch("a")], usd(90)).unwrap();
        counts.push_channels(&[ch("c"), ch("b")], None).unwrap();
        counts.push_channels(&[ch("a"), ch("c")], None).unwrap();
        counts
    }

    #[test]
    fn merge_names_the_field_that_differs() {
        let base = MarkovModel::new(1).unwrap();
        let cases = [
            (MarkovModel::new(2).unwrap().counts(Currency::USD), "order"),
            (base.with_value_allocation(ValueAllocation::JourneyResplit).counts(Currency::USD), "value allocation"),
            (base.with_degenerate_data(DegenerateData::Report).counts(Currency::USD), "degenerate data"),
            (base.counts(Currency::EUR), "currency"),
        ];
        for (other, field) in cases {
            assert_eq!(
                base.counts(Currency::USD).merge(other).unwrap_err(),
                ErrorKind::DefinitionMismatch { tally: "markov transition counts", field }
            );
        }
    }

    #[cfg(feature = "serde")]
    #[test]
    fn state_round_trips_to_the_bit_and_is_validated() {
        for order in 1..=3 {
            for allocation in [ValueAllocation::ValueRemovalEffect, ValueAllocation::JourneyResplit] {
                let counts = sample(MarkovModel::new(order).unwrap().with_value_allocation(allocation));
                let json = serde_json::to_string(&counts).unwrap();
                let back: TransitionCounts = serde_json::from_str(&json).unwrap();
                assert_eq!(serde_json::to_string(&back).unwrap(), json);
                assert_eq!(back.journeys(), 4);
                assert_eq!(back.finish().unwrap(), counts.finish().unwrap());
            }
        }
        let json = serde_json::to_string(&sample(MarkovModel::new(1).unwrap())).unwrap();
        assert_eq!(
            json,
            concat!(
                r#"{"model":{"order":1,"value_allocation":"value_removal_effect","degenerate_data":"refuse"},"#,
                r#""currency":"USD","channels":["b","a","c"],"states":["#,
                r#"{"channels":[0],"start":1,"conversions":0,"nulls":1,"value":"0"},"#,
                r#"{"channels":[1],"start":2,"conversions":1,"nulls":0,"value":"90"},"#,
                r#"{"channels":[2],"start":1,"conversions":1,"nulls":1,"value":"300"}],"#,
                r#""transitions":[{"from":0,"to":1,"count":1},{"from":1,"to":2,"count":2},{"from":2,"to":0,"count":1}],"#,
                r#""weighted_touches":9}"#
            )
        );
        let cases = [
            (json.replace(r#"["b","a","c"]"#, r#"["b","a","a"]"#), "appears twice"),
            (json.replace(r#"{"channels":[2],"#, r#"{"channels":[1],"#), "state i is channel i"),
            (json.replace(r#""from":2,"to":0,"count":1"#, r#""from":2,"to":0,"count":2"#), "flow into a state"),
            (
                json.replace(r#""from":2,"to":0,"count":1"#, r#""from":2,"to":2,"count":1"#),
                "two different known states",
            ),
            (
                json.replace(r#""from":2,"to":0,"count":1"#, r#""from":2,"to":9,"count":1"#),
                "two different known states",
            ),
            (json.replace(r#""value":"90""#, r#""value":"-90""#), "must not be negative"),
            (json.replace(r#""nulls":1,"value":"0""#, r#""nulls":1,"value":"5""#), "zero without conversions"),
            (json.replace(r#""weighted_touches":9"#, r#""weighted_touches":7"#), "cover every counted step"),
            (
                json.replace(
                    r#""weighted_touches":9"#,
                    r#""weighted_touches":9,"set_values":[{"mask":1,"value":"0"}]"#,
                ),
                "only the journey re-split",
            ),
            (json.replace(r#""order":1"#, r#""order":9"#), "order"),
        ];
        for (bad, msg) in cases {
            assert_ne!(bad, json);
            let err = serde_json::from_str::<TransitionCounts>(&bad).unwrap_err().to_string();
            assert!(err.contains(msg), "{bad}: {err}");
        }
    }
}
