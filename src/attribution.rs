//! Attribution: which touches earned the revenue, exact to the cent (definitions section 1).
//!
//! - **Facts**: [`Touchpoint`] (instant, channel, optional campaign and contact, [`Roles`]) and
//!   [`Journey`] (id, optional account, optional [`Conversion`], [`Milestones`], touches in
//!   `(at, sequence)` order). Journeys that did not convert are first-class: rule-based models
//!   count them, the data-driven models need them. [`Journey::account_based`] merges the touches
//!   of every contact on a deal and remembers whose each touch was.
//! - **Models as data**: [`Model`] = a [`Shape`] (first touch, last touch, last non-direct, lead
//!   creation, linear, position-based, U, W, full path, J, inverse J, time decay, custom) and
//!   [`Options`] (lookback window, exclusions, [`MissingAnchor`], [`Stacking`],
//!   [`ShortJourney`]), validated on construction and on deserialize.
//! - **Results**: [`Model::attribute`] gives per-touch [`Credit`]s with the [`Rule`] that
//!   earned each; [`Totals`] accumulates by channel, campaign, contact and account per currency
//!   (push, merge, finish); [`Comparison`] runs several models side by side.
//! - **Scale**: [`ColumnarBatch`] holds many journeys as columns (channels interned to small
//!   integers, touches flattened with per-journey offsets, values in minor units) and credits
//!   them with specialised integer kernels, with results equal to the row form's. The `rayon`
//!   feature splits [`Totals::push_all`] and [`ColumnarBatch::channel_totals`] across threads with
//!   identical results.
//!
//! **Exactness** (definitions 1.5): every model turns its shares into integer weights and splits
//! the value in minor units by largest remainder, ties to the earliest touch, so each
//! conversion's credits sum to its value and channel totals sum to revenue, per currency.

mod columnar;
mod credit;
mod engine;
mod journey;
mod model;
mod totals;
mod touchpoint;

pub use self::columnar::{ChannelTotals, ColumnarBatch};
pub use self::credit::{Anchors, Attribution, Credit, Rule};
pub use self::journey::{Conversion, Journey, Milestones};
pub use self::model::{
    CustomWeights, DecayCurve, LinearPer, MissingAnchor, Model, Options, Shape, ShortJourney, Stacking, UPreset,
};
pub use self::totals::{AttributionReport, Breakdown, Comparison, CurrencyTotals, Totals};
pub use self::touchpoint::{Role, Roles, Touchpoint};
