//! The result types of the Markov model.

use crate::{ChannelId, Money};

use super::ValueAllocation;

/// One channel's Markov result.
///
/// # Example
///
/// The module's three paths: channel `b` (on both paths that reach a conversion or a `b`)
/// has removal effect 1 and half of the credit.
///
/// ```
/// use revops::{ChannelId, Currency, Money};
/// use revops::attribution::{AggregatedPath, MarkovModel, MarkovState};
///
/// let ch = |s: &str| ChannelId::new(s);
/// let usd = |cents| Money::from_minor(cents, Currency::USD);
/// let paths = [
///     AggregatedPath { channels: vec![ch("a")?, ch("b")?], conversions: 1, value: usd(10_000), nulls: 0 },
///     AggregatedPath { channels: vec![ch("a")?], conversions: 0, value: usd(0), nulls: 1 },
///     AggregatedPath { channels: vec![ch("c")?, ch("b")?], conversions: 0, value: usd(0), nulls: 1 },
/// ];
/// let result = MarkovModel::new(1)?.attribute_paths(&paths, Currency::USD)?;
/// let b = &result.channels[1];
/// assert_eq!(b.channel.as_str(), "b");
/// assert!((b.removal_effect - 1.0).abs() < 1e-15 && (b.share - 0.5).abs() < 1e-15);
/// assert!((b.conversions - 0.5).abs() < 1e-15); // half of the one conversion
/// assert_eq!(b.value.to_string(), "50.00 USD");
/// # Ok::<(), revops::Error>(())
/// ```
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
///
/// # Example
///
/// At order 2 the path `a > b > c` visits the windows `(a, b)` and `(b, c)`.
///
/// ```
/// use revops::{ChannelId, Currency, Money};
/// use revops::attribution::{AggregatedPath, MarkovModel, MarkovState};
///
/// let abc = ["a", "b", "c"].map(ChannelId::new).into_iter().collect::<Result<Vec<_>, _>>()?;
/// let paths = [
///     AggregatedPath { channels: abc.clone(), conversions: 1, value: Money::from_minor(100, Currency::USD), nulls: 1 },
/// ];
/// let result = MarkovModel::new(2)?.attribute_paths(&paths, Currency::USD)?;
/// let states = &result.transitions.states;
/// assert_eq!(states[0], MarkovState::Start);
/// assert_eq!(states[1], MarkovState::Channels(abc[..2].to_vec()));
/// assert_eq!(states[2], MarkovState::Channels(abc[1..].to_vec()));
/// assert_eq!(states[3..], [MarkovState::Conversion, MarkovState::Null]);
/// # Ok::<(), revops::Error>(())
/// ```
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
///
/// # Example
///
/// ```
/// use revops::{ChannelId, Currency, Money};
/// use revops::attribution::{AggregatedPath, MarkovModel, MarkovState};
///
/// let ch = |s: &str| ChannelId::new(s);
/// let usd = |cents| Money::from_minor(cents, Currency::USD);
/// let paths = [
///     AggregatedPath { channels: vec![ch("a")?, ch("b")?], conversions: 1, value: usd(10_000), nulls: 0 },
///     AggregatedPath { channels: vec![ch("a")?], conversions: 0, value: usd(0), nulls: 1 },
///     AggregatedPath { channels: vec![ch("c")?, ch("b")?], conversions: 0, value: usd(0), nulls: 1 },
/// ];
/// let result = MarkovModel::new(1)?.attribute_paths(&paths, Currency::USD)?;
/// let states = &result.transitions.states;
/// // START -> a: two of the three journeys.
/// let t = &result.transitions.transitions[0];
/// assert_eq!((&states[t.from], t.count), (&MarkovState::Start, 2));
/// assert_eq!(states[t.to], MarkovState::Channels(vec![ch("a")?]));
/// assert!((t.probability - 2.0 / 3.0).abs() < 1e-15);
/// # Ok::<(), revops::Error>(())
/// ```
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
///
/// # Example
///
/// ```
/// use revops::{ChannelId, Currency, Money};
/// use revops::attribution::{AggregatedPath, MarkovModel, MarkovState};
///
/// let ch = |s: &str| ChannelId::new(s);
/// let usd = |cents| Money::from_minor(cents, Currency::USD);
/// let paths = [
///     AggregatedPath { channels: vec![ch("a")?, ch("b")?], conversions: 1, value: usd(10_000), nulls: 0 },
///     AggregatedPath { channels: vec![ch("a")?], conversions: 0, value: usd(0), nulls: 1 },
///     AggregatedPath { channels: vec![ch("c")?, ch("b")?], conversions: 0, value: usd(0), nulls: 1 },
/// ];
/// let result = MarkovModel::new(1)?.attribute_paths(&paths, Currency::USD)?;
/// let graph = &result.transitions;
/// assert_eq!(graph.states.len(), 6); // START, a, b, c, CONVERSION, NULL
/// // START -> a, START -> c, a -> b, a -> NULL, b -> CONVERSION, b -> NULL, c -> b.
/// let edges: Vec<(usize, usize, u64)> = graph.transitions.iter().map(|t| (t.from, t.to, t.count)).collect();
/// assert_eq!(edges, [(0, 1, 2), (0, 3, 1), (1, 2, 1), (1, 5, 1), (2, 4, 1), (2, 5, 1), (3, 2, 1)]);
/// # Ok::<(), revops::Error>(())
/// ```
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
///
/// # Example
///
/// ```
/// use revops::{ChannelId, Currency, Money};
/// use revops::attribution::{AggregatedPath, MarkovModel, MarkovState};
///
/// let ch = |s: &str| ChannelId::new(s);
/// let usd = |cents| Money::from_minor(cents, Currency::USD);
/// let paths = [
///     AggregatedPath { channels: vec![ch("a")?, ch("b")?], conversions: 1, value: usd(10_000), nulls: 0 },
///     AggregatedPath { channels: vec![ch("a")?], conversions: 0, value: usd(0), nulls: 1 },
///     AggregatedPath { channels: vec![ch("c")?, ch("b")?], conversions: 0, value: usd(0), nulls: 1 },
/// ];
/// let result = MarkovModel::new(1)?.attribute_paths(&paths, Currency::USD)?;
/// assert_eq!((result.journeys, result.conversions, result.nulls), (3, 1, 2));
/// assert_eq!(result.total_value.to_string(), "100.00 USD");
/// assert!((result.conversion_probability - 1.0 / 3.0).abs() < 1e-15);
/// assert!((result.expected_value - 100.0 / 3.0).abs() < 1e-12); // dollars per journey
/// assert!(!result.degenerate);
/// # Ok::<(), revops::Error>(())
/// ```
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
    /// True when there were no non-converting journeys (only with [`DegenerateData::Report`](super::DegenerateData::Report)).
    pub degenerate: bool,
    /// Per channel, in channel-id order.
    pub channels: Vec<MarkovCredit>,
    /// The chain.
    pub transitions: TransitionMatrix,
}
