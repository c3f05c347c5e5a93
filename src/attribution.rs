//! Attribution: which touches earned the revenue, exact to the cent ([definitions, section
//! 1](crate::definitions::attribution)).
//!
//! - **Facts** (in [`facts`](crate::facts)): [`Touchpoint`](crate::facts::Touchpoint) (instant,
//!   channel, optional campaign and contact, [`Roles`](crate::facts::Roles)) and
//!   [`Journey`](crate::facts::Journey) (id, optional account, optional
//!   [`Conversion`](crate::facts::Conversion), [`Milestones`](crate::facts::Milestones), touches in
//!   `(at, sequence)` order). Journeys that did not convert are first-class: rule-based models
//!   count them, the data-driven models need them. [`Journey::account_based`](crate::facts::Journey::account_based) merges the touches
//!   of every contact on a deal and remembers whose each touch was.
//!   [`journey_for_deal`] derives a deal's journey from the facts (conversion, milestones,
//!   touches sorted and cut at the close) so callers never assemble one by hand.
//! - **Models as data**: [`Model`] = a [`Shape`] (first touch, last touch, last non-direct, lead
//!   creation, linear, position-based, U, W, full path, J, inverse J, time decay, custom) and
//!   [`Options`] (lookback window, exclusions, [`MissingAnchor`], [`Stacking`], [`MiddleSpan`],
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
//! # Which entry point should I use?
//!
//! Every rule-based entry point runs one engine (the same integer weights and the same
//! largest-remainder split), so they agree to the unit; pick by what you have and what you need:
//!
//! | you have / you need | use |
//! |---|---|
//! | a deal, its lead and their touches (CRM facts), a journey to feed any model | [`journey_for_deal`] |
//! | one journey, every touch's credit and the rule that earned it (an audit line, a UI) | [`Model::attribute`] |
//! | journeys as rows, totals by channel (the common report) | [`Totals`] (push, [`Totals::push_all`], merge, finish); it buffers the journeys into columns and credits them with the columnar kernels |
//! | totals by campaign, contact or account too | [`Totals::with_breakdown`] (per-touch credits, slower: each id is interned) |
//! | several models side by side | [`Comparison`], then [`ChannelTable`] to put them (and Markov or Shapley) in one reconciled table |
//! | millions of journeys already in columns (a warehouse export, a reader you control) | [`ColumnarBatch`] and [`ColumnarBatch::channel_totals`], or [`ChannelTotals`] to tally batch after batch |
//! | a model learnt from the data, not a rule | [`MarkovModel`] or [`CoalitionCounts`] over [`paths`] |
//!
//! Every accumulator ([`Totals`], [`Comparison`], [`ChannelTotals`]) implements
//! [`Tally`](crate::Tally): split the journeys across threads or machines, tally each part and
//! merge in any order; merging tallies of different definitions (model, lookback, breakdown,
//! currency, channel table) is [`ErrorKind::DefinitionMismatch`](crate::ErrorKind::DefinitionMismatch).
//!
//! **Exactness** ([definitions 1.5](crate::definitions::attribution#15-exactness)): every model
//! turns its shares into integer weights and splits the value in minor units by largest remainder,
//! ties to the earliest touch, so each
//! conversion's credits sum to its value and channel totals sum to revenue, per currency.
//!
//! # Rule-based models
//!
//! See [`Model`] and [`Shape`]; every rule the [definitions](crate::definitions::attribution) leave
//! open is decided where the option lives, and documented there.
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

mod bridge;
mod columnar;
mod credit;
mod engine;
mod journey;

pub mod markov;
mod model;
pub mod paths;
pub mod shapley;
mod table;
mod totals;

pub use self::bridge::journeys_from_paths;
pub use self::bridge::{MAX_EXPANDED_JOURNEYS, WeightedJourney, weighted_journeys_from_paths};
pub use self::columnar::{ChannelTotals, ColumnarBatch};
pub use self::credit::{Anchors, Attribution, Credit, Rule};
pub use self::journey::journey_for_deal;
pub use self::markov::{
    DegenerateData, MarkovAttribution, MarkovCredit, MarkovModel, MarkovState, MarkovTransition, TransitionCounts,
    TransitionMatrix, ValueAllocation,
};
pub use self::model::{
    CustomWeights, DecayCurve, LinearPer, MiddleSpan, MissingAnchor, Model, Options, Shape, ShortJourney, Stacking,
    UPreset,
};
pub use self::paths::{
    AggregatedPath, ChannelInterner, PathColumns, PathTable, parse_aggregated_paths, parse_path_columns,
};
pub use self::shapley::{
    Coalition, CoalitionCounts, Game, MAX_COALITION_CHANNELS, MAX_EXACT_CHANNELS, OrderedCredit, OrderedShapley,
    ShapleyAttribution, ShapleyCredit, ShapleyModel, ShapleyValues, SimplifiedShapley, exact_shapley,
};
pub use self::table::{ChannelColumn, ChannelTable};
pub use self::totals::{AttributionReport, Breakdown, Comparison, CurrencyTotals, Totals};

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use crate::facts::Role;
    use crate::{Currency, ErrorKind, JourneyId, Money};

    #[test]
    fn error_messages_name_the_journey_and_touch() {
        let j = || JourneyId::new("deal-9").unwrap();
        let cases = [
            (
                ErrorKind::TouchOutOfOrder { journey: j(), index: 3 },
                "touch 3 of journey `deal-9` is earlier than the touch before it",
            ),
            (
                ErrorKind::TouchAfterConversion { journey: j(), index: 4 },
                "touch 4 of journey `deal-9` is after its conversion",
            ),
            (
                ErrorKind::EmptyJourney { journey: j(), reason: "it has no touches" },
                "journey `deal-9` has no touch to credit: it has no touches",
            ),
            (
                ErrorKind::Negative {
                    field: "conversion value",
                    value: Money::from_minor(-150, Currency::USD).to_string(),
                },
                "conversion value must not be negative, got -1.50 USD",
            ),
            (
                ErrorKind::MissingAnchor { journey: j(), role: Role::OpportunityCreation.as_str() },
                "journey `deal-9` has no touch holding the opportunity_creation anchor",
            ),
            (
                ErrorKind::WeightsNotHundred { model: "custom", sum: Decimal::new(995, 1) },
                "weights of the custom model sum to 99.5%, not 100%",
            ),
            (ErrorKind::NonPositiveDuration { field: "half-life", seconds: 0 }, "half-life must be positive, got 0 s"),
            (
                ErrorKind::UnknownChannelIndex { journey: 7, touch: 2, channel: 40 },
                "touch 2 of batch journey 7 has unknown channel index 40",
            ),
            (
                ErrorKind::InvalidBatchJourney { journey: 1, touch: 0, reason: "negative conversion value" },
                "journey 1 of the batch is invalid at touch 0: negative conversion value",
            ),
        ];
        for (err, msg) in cases {
            assert_eq!(err.to_string(), msg);
        }
    }
}
