//! Forecast categories: roll-ups by category and pipeline movement between two snapshots,
//! after [definitions, section 7](crate::definitions::forecast).
//!
//! | item | holds |
//! | --- | --- |
//! | [`CategoryMap`] | the definition: funnel stage -> [`ForecastCategory`], and the category of a deal with none |
//! | [`ForecastTally`] | count, amount and weighted amount by category, single and cumulative ([`Rollup`]), coverage against a quota |
//! | [`MovementTally`] | pipeline movement between snapshots S0 and S1 ([`SnapshotPair`], [`join_snapshots`]): New, Pulled in, Pushed in, Moved in, Won, Lost, Pushed out, Pulled out, Moved out, Increased, Decreased |
//!
//! Both tallies implement [`Tally`](crate::Tally): merges are associative and compare the whole
//! definition (period, zone, currency, category map, quota), partial state serializes (feature
//! `serde`) and is validated on read, and money is exact (integer minor units; weighted sums as
//! [`WeightedPipelineTally`](crate::metrics::WeightedPipelineTally) keeps them).
//!
//! # What this version leaves out
//!
//! - **Velocity by category.** [`VelocityTally`](crate::metrics::VelocityTally) multiplies the
//!   open qualified deals at `as_of` by a win rate, an average deal size and a cycle length
//!   measured over the deals *closed* in the period. Closed deals have one category each by
//!   definition (won is Closed, lost is Omitted), so a win rate, deal size or cycle "of the
//!   Commit category" does not exist, and splitting only the open count would give the total
//!   velocity times each category's share of open deals, a figure that looks like a
//!   per-category rate without being one. The open count also reads deals open at an instant,
//!   whatever their close date, where the roll-ups read deals closing in the period. Velocity
//!   therefore stays one figure ([`VelocityTally`](crate::metrics::VelocityTally)); the
//!   roll-ups give each category's count, amount and weighted amount.
//! - **Most Likely.** Salesforce's optional category between Best Case and Commit is not a
//!   [`ForecastCategory`] of this version; the roll-ups have no Most Likely column.
//! - **Team scope.** A [`Deal`](crate::facts::Deal) has no owner, so movement has no owner or
//!   team scope and ownership transfers are not a movement.
//! - **The category matrix** (S0 category x S1 category, SAP's pipeline flow) is not computed.

use crate::facts::ForecastCategory;

mod category_map;
#[cfg(test)]
mod fixtures;
mod movement;
mod rollup;
mod window;

pub use self::category_map::{CategoryMap, confidence};
pub use self::movement::{
    Flow, MovementBucket, MovementTally, OpportunityMovement, PipelineMovement, SnapshotPair, join_snapshots,
    pipeline_movement,
};
pub use self::rollup::{CategoryTotals, CumulativeColumn, ForecastRollup, ForecastTally, forecast_rollup};

/// Salesforce's cumulative forecast columns ("Rollup Methods for Pipeline Forecasts"), each the
/// sum of the categories it names.
///
/// # Example
///
/// ```
/// use revops::facts::ForecastCategory as C;
/// use revops::forecast::Rollup;
///
/// assert_eq!(Rollup::OpenPipeline.categories(), [C::Pipeline, C::BestCase, C::Commit]);
/// assert_eq!(Rollup::CommitForecast.categories(), [C::Commit, C::Closed]);
/// // Omitted is in no cumulative column.
/// assert!(Rollup::ALL.iter().all(|r| !r.categories().contains(&C::Omitted)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum Rollup {
    /// Pipeline + Best Case + Commit: the open deals, Omitted left out.
    OpenPipeline,
    /// Best Case + Commit + Closed.
    BestCaseForecast,
    /// Commit + Closed.
    CommitForecast,
    /// Closed.
    ClosedOnly,
}

impl Rollup {
    /// Every column, in Salesforce's order.
    pub const ALL: [Rollup; 4] =
        [Rollup::OpenPipeline, Rollup::BestCaseForecast, Rollup::CommitForecast, Rollup::ClosedOnly];

    /// The categories the column sums.
    #[must_use]
    pub const fn categories(self) -> &'static [ForecastCategory] {
        match self {
            Rollup::OpenPipeline => &[ForecastCategory::Pipeline, ForecastCategory::BestCase, ForecastCategory::Commit],
            Rollup::BestCaseForecast => {
                &[ForecastCategory::BestCase, ForecastCategory::Commit, ForecastCategory::Closed]
            }
            Rollup::CommitForecast => &[ForecastCategory::Commit, ForecastCategory::Closed],
            Rollup::ClosedOnly => &[ForecastCategory::Closed],
        }
    }

    /// The snake-case key, e.g. `"commit_forecast"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Rollup::OpenPipeline => "open_pipeline",
            Rollup::BestCaseForecast => "best_case_forecast",
            Rollup::CommitForecast => "commit_forecast",
            Rollup::ClosedOnly => "closed_only",
        }
    }
}
