//! The Markov removal effect (Anderl et al. 2016), solved exactly.
//!
//! # Definition ([definitions, section 1.3](crate::definitions::attribution#13-markov-removal-effect))
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
//! Either way the money goes through [`Money::allocate`](crate::Money::allocate) (largest
//! remainder), so channel credits sum to the total conversion value to the cent.
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
//! numpy solve is about 1e-15). Larger chains, one solve per channel (orders 2 and up):
//! Gauss–Seidel sweeps that stop only on a **proven** error bound (the recomputed residual
//! times a checked upper bound on the expected steps to absorption: at most 1e-13 of `P` and
//! of `V`, so removal effects within about 2e-13), a few dozen sweeps for journey data; a
//! chain whose walks are too long for that bound within 400 sweeps goes to a direct sparse
//! solve, `I - Q = L D U` by elimination in minimum-degree order with positive
//! (Grassmann–Taksar–Heyman) pivots, dense once the remaining states touch half of each other.
//!
//! **Order 1 over more than 64 channels**: every removal effect from one factorisation instead
//! of one solve per channel. Removing channel `c` stops a walk at its first visit to `c`, so
//! `P_without_c = P - h_c P(c)`, with `h_c = y_c / N[c][c]` the probability of ever visiting
//! `c` from START (`y = N^T start` the expected visits, `N = (I - Q)^-1` the fundamental
//! matrix, whose diagonal comes from the factors by Takahashi's equations); hence
//! `RE(c) = y_c P(c) / (N[c][c] P)`, and the same for value. The tests hold this to one solve
//! per channel within 1e-12 (absolute, on each removal effect). Orders 2 and up remove many
//! states per channel and keep one solve per channel (the sweeps above). The cost is that of the factorisation:
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

mod attribute;
mod counts;
mod results;
mod solve;
mod sparse;

use crate::attribution::paths::AggregatedPath;
use crate::money::Currency;
use crate::{Error, ErrorKind};

use self::attribute::attribute;
#[cfg(test)]
use self::attribute::attribute_with;
pub use self::counts::TransitionCounts;
pub use self::results::{MarkovAttribution, MarkovCredit, MarkovState, MarkovTransition, TransitionMatrix};

/// How a Markov model splits conversion value over channels (see the [module docs](self)).
///
/// # Example
///
/// The module's three paths (`a > b` converts $100, `a` and `c > b` do not): removal effects
/// `a` 1/2, `b` 1, `c` 1/2. The shares split all value 1:2:1; the journey re-split gives the
/// one converting journey's $100 to its own channels, `a` and `b`, 1:2.
///
/// ```
/// use revops::{ChannelId, Currency, Money};
/// use revops::attribution::{AggregatedPath, MarkovModel, ValueAllocation};
///
/// let ch = |s: &str| ChannelId::new(s);
/// let usd = |cents| Money::from_minor(cents, Currency::USD);
/// let paths = [
///     AggregatedPath { channels: vec![ch("a")?, ch("b")?], conversions: 1, value: usd(10_000), nulls: 0 },
///     AggregatedPath { channels: vec![ch("a")?], conversions: 0, value: usd(0), nulls: 1 },
///     AggregatedPath { channels: vec![ch("c")?, ch("b")?], conversions: 0, value: usd(0), nulls: 1 },
/// ];
/// let values = |allocation| -> Result<Vec<String>, revops::Error> {
///     let model = MarkovModel::new(1)?.with_value_allocation(allocation);
///     let result = model.attribute_paths(&paths, Currency::USD)?;
///     Ok(result.channels.iter().map(|c| c.value.to_string()).collect())
/// };
/// assert_eq!(values(ValueAllocation::ConversionRemovalEffect)?, ["25.00 USD", "50.00 USD", "25.00 USD"]);
/// assert_eq!(values(ValueAllocation::JourneyResplit)?, ["33.33 USD", "66.67 USD", "0.00 USD"]);
/// assert_eq!(ValueAllocation::default().to_string(), "value removal effect");
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

/// In words: `value removal effect`, `conversion removal effect`, `journey resplit`.
impl core::fmt::Display for ValueAllocation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.pad(match self {
            ValueAllocation::ValueRemovalEffect => "value removal effect",
            ValueAllocation::ConversionRemovalEffect => "conversion removal effect",
            ValueAllocation::JourneyResplit => "journey resplit",
        })
    }
}

/// What to do with data that has no non-converting journeys.
///
/// # Example
///
/// ```
/// use revops::{ChannelId, Currency, ErrorKind, Money};
/// use revops::attribution::{AggregatedPath, DegenerateData, MarkovModel};
///
/// let usd = |cents| Money::from_minor(cents, Currency::USD);
/// let paths = [
///     AggregatedPath { channels: vec![ChannelId::new("a")?], conversions: 2, value: usd(500), nulls: 0 },
///     AggregatedPath { channels: vec![ChannelId::new("b")?], conversions: 1, value: usd(100), nulls: 0 },
/// ];
/// let refused = MarkovModel::new(1)?.attribute_paths(&paths, Currency::USD).unwrap_err();
/// assert!(matches!(refused.kind(), ErrorKind::NoNonConvertingJourneys { conversions: 3 }));
/// let model = MarkovModel::new(1)?.with_degenerate_data(DegenerateData::Report);
/// let result = model.attribute_paths(&paths, Currency::USD)?;
/// assert!(result.degenerate);
/// assert_eq!(result.conversion_probability, 1.0); // every walk converts
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum DegenerateData {
    /// Return [`ErrorKind::NoNonConvertingJourneys`].
    #[default]
    Refuse,
    /// Compute anyway and set [`MarkovAttribution::degenerate`].
    Report,
}

/// A Markov removal-effect model: its order and options (a validated definition).
///
/// # Wire format
///
/// `{ "order": 1, "value_allocation": "value_removal_effect", "degenerate_data": "refuse" }`:
/// `order` 1 to [`MarkovModel::MAX_ORDER`] (validated on deserialize); `value_allocation`
/// (default `"value_removal_effect"`) one of `"value_removal_effect"`,
/// `"conversion_removal_effect"`, `"journey_resplit"` ([`ValueAllocation`]);
/// `degenerate_data` (default `"refuse"`) `"refuse"` or `"report"` ([`DegenerateData`]).
/// Unknown fields are refused.
///
/// ```
/// use revops::attribution::{MarkovModel, ValueAllocation};
///
/// let model: MarkovModel = serde_json::from_str(r#"{ "order": 2, "value_allocation": "journey_resplit" }"#)?;
/// assert_eq!((model.order(), model.value_allocation()), (2, ValueAllocation::JourneyResplit));
/// assert!(serde_json::from_str::<MarkovModel>(r#"{ "order": 0 }"#).is_err());
/// assert!(serde_json::from_str::<MarkovModel>(r#"{ "order": 1, "simulations": 100 }"#).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    ///
    /// # Example
    ///
    /// ```
    /// use revops::ErrorKind;
    /// use revops::attribution::{DegenerateData, MarkovModel, ValueAllocation};
    ///
    /// let model = MarkovModel::new(3)?;
    /// assert_eq!(model.value_allocation(), ValueAllocation::ValueRemovalEffect);
    /// assert_eq!(model.degenerate_data(), DegenerateData::Refuse);
    /// let err = MarkovModel::new(9).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::MarkovOrder { order: 9, max: 8 }));
    /// # Ok::<(), revops::Error>(())
    /// ```
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
    ///
    /// # Example
    ///
    /// ```
    /// use revops::Currency;
    /// use revops::attribution::MarkovModel;
    ///
    /// let counts = MarkovModel::new(2)?.counts(Currency::EUR);
    /// assert_eq!((counts.model().order(), counts.currency(), counts.journeys()), (2, Currency::EUR, 0));
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn counts(&self, currency: Currency) -> TransitionCounts {
        TransitionCounts::new(*self, currency)
    }

    /// Counts `paths` and attributes: the one-call form of [`MarkovModel::counts`].
    ///
    /// # Errors
    /// Those of [`TransitionCounts::push_path`] and [`Tally::finish`](crate::Tally::finish).
    ///
    /// # Example
    ///
    /// One path `a > b` converting once and failing once: `P = 1/2`, and removing either
    /// channel loses every conversion.
    ///
    /// ```
    /// use revops::{ChannelId, Currency, Money};
    /// use revops::attribution::{AggregatedPath, MarkovModel};
    ///
    /// let path = AggregatedPath {
    ///     channels: vec![ChannelId::new("a")?, ChannelId::new("b")?],
    ///     conversions: 1,
    ///     value: Money::from_minor(9_999, Currency::USD),
    ///     nulls: 1,
    /// };
    /// let result = MarkovModel::new(1)?.attribute_paths(&[path], Currency::USD)?;
    /// assert_eq!(result.conversion_probability, 0.5);
    /// assert_eq!(result.channels[0].removal_effect, 1.0);
    /// let value: Vec<String> = result.channels.iter().map(|c| c.value.to_string()).collect();
    /// assert_eq!(value, ["50.00 USD", "49.99 USD"]); // the odd cent to the first channel in id order
    /// # Ok::<(), revops::Error>(())
    /// ```
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct MarkovModelRepr {
    /// The chain's order: how many previous channels a state remembers, 1 to 8.
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = MarkovModel::MAX_ORDER)))]
    order: usize,
    /// How the conversion value is split over the channels.
    #[serde(default)]
    value_allocation: ValueAllocation,
    /// What to do with data that has no non-converting journeys.
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

#[cfg(test)]
mod tests;
