//! The Markov removal effect (Anderl et al. 2016), solved exactly.
//!
//! # Definition (definitions page, section 1.3)
//!
//! States are START, one state per channel (order 1) or per tuple of up to `k` consecutive
//! channels (order `k`), CONVERSION and NULL. Consecutive repeats collapse first (`a > a > b` is
//! `a > b`), as in `ChannelAttribution`, DP6 and `mta`. A path with collapsed channels
//! `c1 .. cm` visits, at order `k`, the sliding windows `(c1..ck), (c2..ck+1), .., (cm-k+1..cm)`;
//! **our rule, after `ChannelAttribution`**: a collapsed path shorter than `k` is one short state
//! `(c1..cm)`. Every path adds its weight (conversions plus nulls) to START -> first state and
//! to each state -> next state, its conversions to last state -> CONVERSION and its nulls to last
//! state -> NULL. Transition probabilities are counts over row totals.
//!
//! `P` = the probability of absorbing in CONVERSION from START, solved **exactly** from the
//! absorbing chain, never by simulation (see [the solver](#the-solve)). The **removal effect**
//! of channel `s`: redirect every transition into a state that contains `s` to NULL and solve
//! again for `P_without_s`; `RE(s) = 1 - P_without_s / P`, in `[0, 1]`. Credit shares are
//! `RE(s) / sum(RE)`; the conversion credit of `s` is its share of all conversions.
//!
//! # Value ([`ValueAllocation`])
//! - [`ValueAllocation::ValueRemovalEffect`] (default, the approach of `ChannelAttribution`'s
//!   value-weighted removal effects, computed exactly): the chain also carries value, each
//!   step to CONVERSION from a state earning the mean conversion value of the journeys that
//!   ended there; `V` = expected value from START, `RE_value(s) = 1 - V_without_s / V`, and the
//!   total value is split by `RE_value(s) / sum(RE_value)`.
//! - [`ValueAllocation::ConversionRemovalEffect`]: the total value is split by the conversion
//!   shares (what the peers' numpy reference does).
//! - [`ValueAllocation::JourneyResplit`] (DP6 2.x): each converting journey's value is split
//!   over its own distinct channels in proportion to their removal effects, in minor units by
//!   the exact allocator (per distinct channel set, ties to the channel earlier in id order),
//!   and summed per channel. `value_share` is then each channel's part of the total value.
//!
//! Either way the money goes through [`Money::allocate`] (largest remainder), so channel credits
//! sum to the total conversion value to the cent.
//!
//! # Data without non-converting journeys
//! Then every walk converts, `P = 1`, and removal effects degenerate to visit frequencies.
//! [`DegenerateData::Refuse`] (default) returns [`ErrorKind::NoNonConvertingJourneys`];
//! [`DegenerateData::Report`] computes the result and sets
//! [`MarkovAttribution::degenerate`].
//!
//! # The solve
//! Up to 256 channel states (every order-1 chain with up to 256 channels): dense Gaussian
//! elimination with partial pivoting, exact up to rounding (agreement with an independent
//! numpy solve is about 1e-15). Larger chains: a direct sparse solve, `I - Q = L D U` by
//! elimination in minimum-degree order with positive (Grassmann–Taksar–Heyman) pivots, dense
//! once the remaining states touch half of each other; no iteration, so nothing to converge.
//!
//! **Order 1 over more than 64 channels**: every removal effect from one factorisation instead
//! of one solve per channel. Removing channel `c` stops a walk at its first visit to `c`, so
//! `P_without_c = P - h_c P(c)`, with `h_c = y_c / N[c][c]` the probability of ever visiting
//! `c` from START (`y = N^T start` the expected visits, `N = (I - Q)^-1` the fundamental
//! matrix, whose diagonal comes from the factors by Takahashi's equations); hence
//! `RE(c) = y_c P(c) / (N[c][c] P)`, and the same for value. The tests hold this to one solve
//! per channel within 1e-12 (absolute, on each removal effect). Orders 2 and up remove many
//! states per channel and keep one solve per channel. The cost is that of the factorisation:
//! about cubic in the states that stay connected to each other (the hubs), far below cubic in
//! all channels for long-tailed data. One thread, fixed order: the same counts give the same
//! bits. States are numbered in channel-id order before solving, so neither push order nor
//! interning order changes an answer.
//!
//! # Limits
//! Orders 1 to [`MarkovModel::MAX_ORDER`]. The possible states, `sum over j in 1..=k of c^j`
//! for `c` channels, must not exceed [`MarkovModel::MAX_STATES`]
//! ([`ErrorKind::MarkovStateSpace`] names the count). Memory holds the observed states and
//! transitions only.
//!
//! # Example (three channels, by hand)
//!
//! Paths: `a > b` converts once, `a` fails once, `c > b` fails once. Transitions: START -> a
//! 2/3, START -> c 1/3; a -> b 1/2, a -> NULL 1/2; b -> CONVERSION 1/2, b -> NULL 1/2; c -> b 1.
//! So `P = 2/3 * 1/2 * 1/2 + 1/3 * 1/2 = 1/3`. Without `a`: `1/3 * 1/2 = 1/6`, RE 1/2; without
//! `b`: 0, RE 1; without `c`: `2/3 * 1/4 = 1/6`, RE 1/2. Shares 1/4, 1/2, 1/4.
//!
//! ```
//! use revops::{ChannelId, Currency, Money};
//! use revops::attribution::{AggregatedPath, MarkovModel};
//!
//! let ch = |s: &str| ChannelId::new(s);
//! let usd = |cents| Money::from_minor(cents, Currency::USD);
//! let paths = [
//!     AggregatedPath { channels: vec![ch("a")?, ch("b")?], conversions: 1, value: usd(10_000), nulls: 0 },
//!     AggregatedPath { channels: vec![ch("a")?], conversions: 0, value: usd(0), nulls: 1 },
//!     AggregatedPath { channels: vec![ch("c")?, ch("b")?], conversions: 0, value: usd(0), nulls: 1 },
//! ];
//! let result = MarkovModel::new(1)?.attribute_paths(&paths, Currency::USD)?;
//! assert!((result.conversion_probability - 1.0 / 3.0).abs() < 1e-15);
//! let re: Vec<f64> = result.channels.iter().map(|c| c.removal_effect).collect();
//! assert!((re[0] - 0.5).abs() < 1e-15 && (re[1] - 1.0).abs() < 1e-15 && (re[2] - 0.5).abs() < 1e-15);
//! let value: Vec<String> = result.channels.iter().map(|c| c.value.to_string()).collect();
//! assert_eq!(value, ["25.00 USD", "50.00 USD", "25.00 USD"]);
//! // The graph: START, a, b, c, CONVERSION, NULL and the counted transitions.
//! assert_eq!(result.transitions.states.len(), 6);
//! # Ok::<(), revops::Error>(())
//! ```
#![allow(clippy::float_arithmetic)] // statistical model: probabilities and removal effects in f64
#![allow(clippy::cast_precision_loss)] // counts become probabilities; 2^53 journeys is beyond any data set

mod counts;
mod solve;
mod sparse;

use crate::attribution::paths::{AggregatedPath, allocate_shares, remap_mask};
use crate::money::Currency;
use crate::{ChannelId, Error, ErrorKind, Money};

pub use self::counts::TransitionCounts;
use self::counts::decode_key;
use self::solve::{Chain, SINGLE_FROM, removal_by_solves};

/// How a Markov model splits conversion value over channels (see the [module docs](self)).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ValueAllocation {
    /// Split by value removal effects, in the chain that carries conversion value
    /// (`ChannelAttribution`'s approach, computed exactly).
    #[default]
    ValueRemovalEffect,
    /// Split by the conversion removal-effect shares.
    ConversionRemovalEffect,
    /// Each converting journey's own value split over its distinct channels in proportion to
    /// their removal effects (DP6's re-split), then summed per channel. Needs at most 64
    /// channels.
    JourneyResplit,
}

/// What to do with data that has no non-converting journeys.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum DegenerateData {
    /// Return [`ErrorKind::NoNonConvertingJourneys`].
    #[default]
    Refuse,
    /// Compute anyway and set [`MarkovAttribution::degenerate`].
    Report,
}

/// A Markov removal-effect model: its order and options (a validated definition).
///
/// # Example
///
/// ```
/// use revops::attribution::{DegenerateData, MarkovModel, ValueAllocation};
///
/// let model = MarkovModel::new(2)?
///     .with_value_allocation(ValueAllocation::ConversionRemovalEffect)
///     .with_degenerate_data(DegenerateData::Report);
/// assert_eq!(model.order(), 2);
/// assert!(MarkovModel::new(0).is_err());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "MarkovModelRepr", into = "MarkovModelRepr")
)]
pub struct MarkovModel {
    order: usize,
    value_allocation: ValueAllocation,
    degenerate: DegenerateData,
}

impl MarkovModel {
    /// The highest supported order.
    pub const MAX_ORDER: usize = 8;
    /// The most possible states (`sum over j in 1..=k of channels^j`) a model accepts.
    pub const MAX_STATES: u128 = 1 << 24;

    /// A model of `order` with the default options (value by value removal effect, refuse
    /// degenerate data).
    ///
    /// # Errors
    /// [`ErrorKind::MarkovOrder`] unless `1 <= order <= MAX_ORDER`.
    pub fn new(order: usize) -> Result<MarkovModel, Error> {
        if !(1..=Self::MAX_ORDER).contains(&order) {
            return Err(ErrorKind::MarkovOrder { order, max: Self::MAX_ORDER }.into());
        }
        Ok(MarkovModel { order, value_allocation: ValueAllocation::default(), degenerate: DegenerateData::default() })
    }

    /// The same model with another value allocation.
    #[must_use]
    pub const fn with_value_allocation(mut self, value_allocation: ValueAllocation) -> MarkovModel {
        self.value_allocation = value_allocation;
        self
    }

    /// The same model with another policy for data without non-converting journeys.
    #[must_use]
    pub const fn with_degenerate_data(mut self, degenerate: DegenerateData) -> MarkovModel {
        self.degenerate = degenerate;
        self
    }

    /// The order.
    #[must_use]
    pub const fn order(&self) -> usize {
        self.order
    }

    /// The value allocation.
    #[must_use]
    pub const fn value_allocation(&self) -> ValueAllocation {
        self.value_allocation
    }

    /// The degenerate-data policy.
    #[must_use]
    pub const fn degenerate_data(&self) -> DegenerateData {
        self.degenerate
    }

    /// An empty accumulator of transition counts for this model, values in `currency`.
    #[must_use]
    pub fn counts(&self, currency: Currency) -> TransitionCounts {
        TransitionCounts::new(*self, currency)
    }

    /// Counts `paths` and attributes: the one-call form of [`MarkovModel::counts`].
    ///
    /// # Errors
    /// Those of [`TransitionCounts::push_path`] and [`Tally::finish`](crate::Tally::finish).
    pub fn attribute_paths(&self, paths: &[AggregatedPath], currency: Currency) -> Result<MarkovAttribution, Error> {
        let mut counts = self.counts(currency);
        for p in paths {
            counts.push_path(p)?;
        }
        attribute(counts)
    }
}

/// Wire shape of [`MarkovModel`].
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct MarkovModelRepr {
    order: usize,
    #[serde(default)]
    value_allocation: ValueAllocation,
    #[serde(default)]
    degenerate_data: DegenerateData,
}

#[cfg(feature = "serde")]
impl TryFrom<MarkovModelRepr> for MarkovModel {
    type Error = Error;
    fn try_from(r: MarkovModelRepr) -> Result<MarkovModel, Error> {
        Ok(MarkovModel::new(r.order)?.with_value_allocation(r.value_allocation).with_degenerate_data(r.degenerate_data))
    }
}

#[cfg(feature = "serde")]
impl From<MarkovModel> for MarkovModelRepr {
    fn from(m: MarkovModel) -> MarkovModelRepr {
        MarkovModelRepr { order: m.order, value_allocation: m.value_allocation, degenerate_data: m.degenerate }
    }
}

/// One channel's Markov result.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct MarkovCredit {
    /// The channel.
    pub channel: ChannelId,
    /// `1 - P_without / P`.
    pub removal_effect: f64,
    /// `1 - V_without / V` (expected conversion value); 0 when there is no value.
    pub value_removal_effect: f64,
    /// `removal_effect / sum(removal_effect)`.
    pub share: f64,
    /// The share of the total value this channel receives under the value allocation.
    pub value_share: f64,
    /// `share * total conversions`.
    pub conversions: f64,
    /// The channel's part of the total value, allocated exactly.
    pub value: Money,
}

/// A state of the chain.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum MarkovState {
    /// Where every journey starts.
    Start,
    /// A channel (order 1) or a tuple of consecutive channels, oldest first.
    Channels(Vec<ChannelId>),
    /// The absorbing conversion state.
    Conversion,
    /// The absorbing non-conversion state.
    Null,
}

/// One counted transition.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct MarkovTransition {
    /// Index of the source in [`TransitionMatrix::states`].
    pub from: usize,
    /// Index of the target in [`TransitionMatrix::states`].
    pub to: usize,
    /// Journeys (weights) that made this step.
    pub count: u64,
    /// `count` over the source's row total.
    pub probability: f64,
}

/// The chain as a graph: states (START first, then channel states in channel-id order, then
/// CONVERSION and NULL) and every transition with a non-zero count, sorted by `(from, to)`.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct TransitionMatrix {
    /// The states.
    pub states: Vec<MarkovState>,
    /// The transitions.
    pub transitions: Vec<MarkovTransition>,
}

/// The result of a Markov model: removal effects, credits and the chain.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct MarkovAttribution {
    /// The model's order.
    pub order: usize,
    /// How value was split.
    pub value_allocation: ValueAllocation,
    /// Journeys counted (conversions plus nulls).
    pub journeys: u64,
    /// Converting journeys.
    pub conversions: u64,
    /// Non-converting journeys.
    pub nulls: u64,
    /// Total conversion value; the channel values sum to it exactly.
    pub total_value: Money,
    /// `P`: probability of absorbing in CONVERSION from START.
    pub conversion_probability: f64,
    /// Expected conversion value per journey from START, in the currency's major units.
    pub expected_value: f64,
    /// True when there were no non-converting journeys (only with [`DegenerateData::Report`]).
    pub degenerate: bool,
    /// Per channel, in channel-id order.
    pub channels: Vec<MarkovCredit>,
    /// The chain.
    pub transitions: TransitionMatrix,
}

/// Everything `finish` does: checks, canonical numbering, solves, credits.
fn attribute(counts: TransitionCounts) -> Result<MarkovAttribution, Error> {
    attribute_with(counts, SINGLE_FROM)
}

/// [`attribute`], taking every order-1 removal effect from one factorisation when the chain
/// has more than `single_from` states (tests force one solve per channel with `usize::MAX`).
#[allow(clippy::too_many_lines, clippy::needless_pass_by_value)] // one linear recipe; consumes the counts
fn attribute_with(counts: TransitionCounts, single_from: usize) -> Result<MarkovAttribution, Error> {
    let model = counts.model;
    if counts.conversions == 0 {
        return Err(ErrorKind::NoConvertingJourneys { journeys: counts.journeys }.into());
    }
    let degenerate = counts.nulls == 0;
    if degenerate && model.degenerate_data() == DegenerateData::Refuse {
        return Err(ErrorKind::NoNonConvertingJourneys { conversions: counts.conversions }.into());
    }
    let c = counts.channels.len();
    let possible = (1..=model.order())
        .try_fold((0u128, 1u128), |(sum, pow), _| {
            let pow = pow.checked_mul(c as u128)?;
            Some((sum.checked_add(pow)?, pow))
        })
        .map_or(u128::MAX, |(sum, _)| sum);
    if possible > MarkovModel::MAX_STATES {
        return Err(ErrorKind::MarkovStateSpace {
            order: model.order(),
            channels: c,
            states: possible,
            max: MarkovModel::MAX_STATES,
        }
        .into());
    }
    let total_minor =
        i64::try_from(counts.total_value).map_err(|_| ErrorKind::Overflow { op: "markov total value" })?;
    let total_value = Money::from_minor(total_minor, counts.currency);

    // Canonical numbering: states sorted by their channels' ranks in id order.
    let (rank, sorted_channels) = counts.channels.ranks();
    let tuples: Vec<Vec<u32>> = counts
        .keys
        .iter()
        .map(|&k| decode_key(k).iter().map(|&i| rank.get(i as usize).copied().unwrap_or(0)).collect())
        .collect();
    let mut order: Vec<usize> = (0..tuples.len()).collect();
    order.sort_by(|&a, &b| tuples.get(a).cmp(&tuples.get(b)));
    let mut new_id = vec![0usize; order.len()];
    for (new, &old) in order.iter().enumerate() {
        if let Some(slot) = new_id.get_mut(old) {
            *slot = new;
        }
    }
    let n = order.len();

    // Rows: (to, count) per state, in the new numbering, sorted by target.
    let mut rows: Vec<Vec<(usize, u64)>> = vec![Vec::new(); n];
    for (old_from, old_to, count) in counts.edge_list() {
        let from = new_id.get(old_from).copied().unwrap_or(0);
        if let Some(row) = rows.get_mut(from) {
            row.push((new_id.get(old_to).copied().unwrap_or(0), count));
        }
    }
    for row in &mut rows {
        row.sort_unstable();
    }
    let by_new = |v: &[u64]| -> Vec<u64> { order.iter().map(|&old| v.get(old).copied().unwrap_or(0)).collect() };
    let start = by_new(&counts.start);
    let conv = by_new(&counts.conv);
    let null = by_new(&counts.null);
    let value: Vec<i128> = order.iter().map(|&old| counts.value.get(old).copied().unwrap_or(0)).collect();

    // The chain in probabilities.
    let mut chain = Chain::default();
    let mut transitions = Vec::new();
    let conv_state = n + 1;
    let null_state = n + 2;
    let start_total: u64 = counts.journeys;
    for (s, &w) in start.iter().enumerate() {
        chain.start.push(w as f64 / start_total as f64);
        if w > 0 {
            transitions.push(MarkovTransition {
                from: 0,
                to: s + 1,
                count: w,
                probability: w as f64 / start_total as f64,
            });
        }
    }
    chain.row_start.push(0);
    for s in 0..n {
        let row = rows.get(s).map(Vec::as_slice).unwrap_or_default();
        let cv = conv.get(s).copied().unwrap_or(0);
        let nl = null.get(s).copied().unwrap_or(0);
        let total = row.iter().fold(u128::from(cv) + u128::from(nl), |acc, &(_, c)| acc + u128::from(c));
        let total_f = total as f64;
        let p = |count: u64| if total == 0 { 0.0 } else { count as f64 / total_f };
        for &(t, count) in row {
            chain.col.push(u32::try_from(t).unwrap_or(u32::MAX));
            chain.prob.push(p(count));
            transitions.push(MarkovTransition { from: s + 1, to: t + 1, count, probability: p(count) });
        }
        chain.row_start.push(chain.col.len());
        chain.conv.push(p(cv));
        chain.exit.push(if total == 0 { 1.0 } else { (u128::from(cv) + u128::from(nl)) as f64 / total_f });
        chain.value.push(if total == 0 { 0.0 } else { value.get(s).copied().unwrap_or(0) as f64 / total_f });
        if cv > 0 {
            transitions.push(MarkovTransition { from: s + 1, to: conv_state, count: cv, probability: p(cv) });
        }
        if nl > 0 {
            transitions.push(MarkovTransition { from: s + 1, to: null_state, count: nl, probability: p(nl) });
        }
    }

    // Base and removal solves.
    let (p, v, re, re_value) = match (model.order(), n > single_from) {
        (1, true) => match chain.removal_effects_single() {
            Some(r) => {
                // At order 1 state s is the channel of rank tuples[order[s]][0].
                let mut re = vec![0.0; c];
                let mut re_value = vec![0.0; c];
                for (s, &old) in order.iter().enumerate() {
                    let Some(&ch) = tuples.get(old).and_then(|t| t.first()) else { continue };
                    if let (Some(a), Some(b)) = (re.get_mut(ch as usize), re_value.get_mut(ch as usize)) {
                        *a = r.re.get(s).copied().unwrap_or(0.0);
                        *b = r.re_value.get(s).copied().unwrap_or(0.0);
                    }
                }
                (r.p, r.v, re, re_value)
            }
            None => removal_by_solves(&chain, &tuples, &order, c)?,
        },
        _ => removal_by_solves(&chain, &tuples, &order, c)?,
    };
    let normalise = |x: &[f64]| -> Vec<f64> {
        let sum: f64 = x.iter().sum();
        x.iter().map(|&r| if sum > 0.0 { r / sum } else { 0.0 }).collect()
    };
    let shares = normalise(&re);
    let (values, value_shares) = match model.value_allocation() {
        ValueAllocation::JourneyResplit => journey_resplit(&counts, &rank, &sorted_channels, &re, total_value)?,
        ValueAllocation::ValueRemovalEffect if re_value.iter().any(|&r| r > 0.0) => {
            let value_shares = normalise(&re_value);
            (allocate_shares(total_value, &sorted_channels, &value_shares)?, value_shares)
        }
        _ => (allocate_shares(total_value, &sorted_channels, &shares)?, shares.clone()),
    };
    let conversions = counts.conversions as f64;
    let channels = sorted_channels
        .iter()
        .enumerate()
        .map(|(i, channel)| MarkovCredit {
            channel: channel.clone(),
            removal_effect: re.get(i).copied().unwrap_or(0.0),
            value_removal_effect: re_value.get(i).copied().unwrap_or(0.0),
            share: shares.get(i).copied().unwrap_or(0.0),
            value_share: value_shares.get(i).copied().unwrap_or(0.0),
            conversions: shares.get(i).copied().unwrap_or(0.0) * conversions,
            value: values.get(i).copied().unwrap_or(Money::zero(counts.currency)),
        })
        .collect();

    let mut states = Vec::with_capacity(n + 3);
    states.push(MarkovState::Start);
    for &old in &order {
        let names = tuples
            .get(old)
            .map(|t| t.iter().filter_map(|&r| sorted_channels.get(r as usize).cloned()).collect())
            .unwrap_or_default();
        states.push(MarkovState::Channels(names));
    }
    states.push(MarkovState::Conversion);
    states.push(MarkovState::Null);
    transitions.sort_by_key(|t| (t.from, t.to));

    let unit = 10f64.powi(i32::from(counts.currency.exponent()));
    Ok(MarkovAttribution {
        order: model.order(),
        value_allocation: model.value_allocation(),
        journeys: counts.journeys,
        conversions: counts.conversions,
        nulls: counts.nulls,
        total_value,
        conversion_probability: p,
        expected_value: v / unit,
        degenerate,
        channels,
        transitions: TransitionMatrix { states, transitions },
    })
}

/// [`ValueAllocation::JourneyResplit`]: every distinct channel set's value split exactly over
/// its channels by removal effect; returns the channel values and their shares of the total.
fn journey_resplit(
    counts: &TransitionCounts,
    rank: &[u32],
    channels: &[ChannelId],
    re: &[f64],
    total: Money,
) -> Result<(Vec<Money>, Vec<f64>), Error> {
    let mut sets: Vec<(u64, i128)> = counts.set_values.iter().map(|(&m, &v)| (remap_mask(m, rank), v)).collect();
    sets.sort_unstable();
    let mut minor = vec![0i128; channels.len()];
    let mut members = Vec::new();
    let mut ids = Vec::new();
    let mut weights = Vec::new();
    for (mask, value) in sets {
        members.clear();
        members.extend((0..channels.len()).filter(|&i| i < 64 && mask & (1 << i) != 0));
        ids.clear();
        ids.extend(members.iter().filter_map(|&i| channels.get(i).cloned()));
        weights.clear();
        weights.extend(members.iter().map(|&i| re.get(i).copied().unwrap_or(0.0)));
        if weights.iter().all(|&w| w <= 0.0) {
            weights.fill(1.0); // no removal effect at all: equal split
        }
        let amount = i64::try_from(value).map_err(|_| ErrorKind::Overflow { op: "markov journey value" })?;
        let parts = allocate_shares(Money::from_minor(amount, total.currency()), &ids, &weights)?;
        for (&i, part) in members.iter().zip(parts) {
            if let Some(m) = minor.get_mut(i) {
                *m = m
                    .checked_add(i128::from(part.to_minor()?))
                    .ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op: "markov credit" }))?;
            }
        }
    }
    let total_minor = total.to_minor()? as f64;
    let values = minor
        .iter()
        .map(|&m| i64::try_from(m).map(|m| Money::from_minor(m, total.currency())))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| ErrorKind::Overflow { op: "markov credit" })?;
    let value_shares = minor.iter().map(|&m| if total_minor > 0.0 { m as f64 / total_minor } else { 0.0 }).collect();
    Ok((values, value_shares))
}

#[cfg(test)]
mod tests;
