//! Attribution: which channels earned the conversions and their value.
//!
//! # Data-driven models
//!
//! Rule-based models encode an opinion; data-driven ones learn it from converting **and**
//! non-converting journeys. The data-driven models read one input layer ([`paths`]): journeys
//! pushed one at a time as channel sequences with an outcome, a columnar batch
//! ([`PathColumns`]), or the aggregated path table of `ChannelAttribution` and DP6
//! ([`AggregatedPath`], [`parse_aggregated_paths`], [`parse_path_columns`]).
//!
//! - [`MarkovModel`]: the Markov removal effect of order 1 to 8, solved exactly from the
//!   absorbing chain (no simulation), with conversion probability, removal effects, credits for
//!   conversions and value under a named [`ValueAllocation`], and the transition matrix.
//! - [`CoalitionCounts`]: Shapley values. The simplified closed form (linear in journeys),
//!   ordered Shapley (credit by position) and exact classic Shapley for up to 20 channels over
//!   a built-in [`Game`] or a caller's characteristic function ([`exact_shapley`]), with
//!   efficiency checked.
//!
//! Shares are statistical (f64); money is always handed out by the exact allocator, so channel
//! credits sum to the total conversion value to the cent. Every accumulator has `push`,
//! `merge` (associative, commutative) and `finish`; results come out in channel-id order.

pub mod markov;
pub mod paths;
pub mod shapley;

pub use self::markov::{
    DegenerateData, MarkovAttribution, MarkovCredit, MarkovModel, MarkovState, Transition, TransitionCounts,
    TransitionMatrix, ValueAllocation,
};
pub use self::paths::{
    AggregatedPath, ChannelInterner, PathColumns, PathTable, parse_aggregated_paths, parse_path_columns,
};
pub use self::shapley::{
    Coalition, CoalitionCounts, Game, MAX_COALITION_CHANNELS, MAX_EXACT_CHANNELS, OrderedCredit, OrderedShapley,
    ShapleyCredit, ShapleyValues, SimplifiedShapley, exact_shapley,
};
