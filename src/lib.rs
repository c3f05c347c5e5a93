//! One version of the truth for sales and marketing.
//!
//! Companies lose revenue when marketing and sales define a "qualified lead" differently, hand
//! leads over without context, miss follow-up promises and argue over whose campaign won the
//! deal. `revops` turns the operating agreement the two teams sign into code that every service
//! computes the same way: definitions (an ICP, a funnel, an SLA policy, an attribution model)
//! are validated data, facts (accounts, leads, touches, deals) are plain structs, and every
//! evaluation is a pure function of both, as of an instant the caller gives.
//!
//! The crate does no I/O: no files, network, environment or clock. Money is exact
//! ([`Money`], `rust_decimal`), allocations conserve every minor unit, rates keep their
//! numerator and denominator ([`Ratio`]), and every fallible call returns the one [`Error`].
//!
//! # Example
//!
//! ```
//! use revops::{Currency, Money, Ratio};
//! use rust_decimal_macros::dec;
//!
//! // A $1,000.00 deal split W-shaped over five touches (30/5/30/5/30): exact to the cent.
//! let deal = Money::new(dec!(1000.00), Currency::USD);
//! let credits = deal.allocate(&[dec!(30), dec!(5), dec!(30), dec!(5), dec!(30)])?;
//! assert_eq!(credits[1].amount(), dec!(50.00));
//! assert_eq!(Money::checked_sum(credits, Currency::USD)?, deal);
//!
//! // A win rate that shows its parts.
//! assert_eq!(Ratio::new(12, 40).to_string(), "12/40 (30.0%)");
//! # Ok::<(), revops::Error>(())
//! ```
//!
//! # Three layers
//!
//! 1. **Definitions**: what the teams agreed (an ICP, a funnel, SLA policies, attribution
//!    models, calendars, KPI definitions). Validated serde types, in each domain module.
//! 2. **Facts**: what happened, one type per business fact, in [`facts`]: accounts, contacts,
//!    leads, stage changes, touchpoints and journeys, deals, dispositions, responses, spend.
//!    Plain structs the caller builds from CRM or warehouse rows; no module keeps its own copy.
//! 3. **Evaluations**: definitions applied to facts as of an instant, each an accumulator
//!    ([`Tally`]: push a fact, merge, finish) whose results carry their parts.
//!
//! # Definitions
//!
//! What every model and metric means, where the usual systems (`HubSpot`, Salesforce, Marketo
//! Measure, GA4, dbt `MetricFlow`, `MadKudu`, 6sense, `ServiceNow`) disagree and which rule the
//! crate takes, is written down in [`definitions`], one section per domain. The items cite the
//! section their rule comes from.
//!
//! # Modules
//!
//! | module | holds |
//! | --- | --- |
//! | [`facts`] | one type per business fact ([`facts::Deal`], [`facts::Lead`], [`facts::Journey`], ...), shared by every module |
//! | [`money`] | [`Currency`], [`Money`], exact allocation by weights (largest remainder, integer fast path) |
//! | [`ratio`] | [`Ratio`]: rates with visible numerator and denominator, combined as a ratio of sums |
//! | [`Probability`] | a probability with an explicit scale (percent or fraction) |
//! | [`Period`] | a half-open interval of instants `[start, end)`, shared by metrics and SLA reports |
//! | [`calendar`] | [`BusinessCalendar`](calendar::BusinessCalendar): IANA zone, weekly windows, holidays, exceptions; business time between instants and added to them; a precomputed timeline |
//! | [`icp`] | the ideal customer profile: criteria, fit scores that explain themselves, tiers, buying groups, refinement from outcomes |
//! | [`funnel`] | stages and owners, funnel templates, transitions, stage history, qualification, lead scoring, checklists, handoffs, rejections |
//! | [`sla`] | SLA policies (response, disposition, volume, quality), evaluation as of an instant, compliance and [speed to lead](sla::SpeedToLead) |
//! | [`attribution`] | every rule-based model over [journeys](facts::Journey), exact to the cent; Markov removal effect and Shapley; streaming totals, columnar batches, path tables |
//! | [`forecast`] | forecast categories: roll-ups by category (single and cumulative, coverage against a quota) and pipeline movement between two snapshots |
//! | [`metrics`] | the shared KPIs: stage conversion, win rate, sales cycle, pipeline velocity and coverage, CAC, LTV, funnel hygiene; accumulators with visible parts |
//! | [`crm`] | HubSpot and Salesforce export rows (column -> value) -> facts, through a validated [`StageMap`](crm::StageMap); bad rows set aside naming row and column |
//! | [`definitions`] | documentation only: the definitions, one section per domain |
//! | [`limits`] | every bound of the crate (dates, amounts, channels, states, coalitions, exceptions) and the error it gives |
//! | [`Tally`] | the one accumulator contract: push, merge (same definition only), finish |
//! | [`testkit`] | (feature) the synthetic sample company and proptest strategies |
//!
//! # Crate features
//!
//! * **serde** (default): `Serialize`/`Deserialize` for definitions, facts and results.
//!   Deserializing runs the same validation as the constructors; money amounts are JSON strings.
//! * **testkit**: [`testkit::Company`], a deterministic synthetic B2B company, and proptest
//!   strategies for the public fact types (adds a dependency on `proptest`).
//! * **rayon**: attribution accumulators and columnar batches split their work across threads,
//!   with results identical to one thread (adds a dependency on `rayon`).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(feature = "serde")]
pub mod agreement;
pub mod attribution;
pub mod calendar;
pub mod crm;
pub mod definitions;
mod error;
pub mod experiment;
pub mod facts;
pub mod fast_map;
pub mod forecast;
pub mod funnel;
pub mod fx;
pub mod icp;
mod id;
pub mod limits;
pub mod metrics;
pub mod money;
mod period;
mod probability;
pub mod ratio;
pub mod sla;
mod tally;
#[cfg(feature = "testkit")]
pub mod testkit;
mod wire;

pub use crate::error::{Error, ErrorKind, Record};
pub use crate::id::{
    AccountId, CampaignId, ChannelId, ContactId, JourneyId, LeadId, OpportunityId, SegmentId, StageId,
};
pub use crate::money::{Currency, Money};
pub use crate::period::Period;
pub use crate::probability::Probability;
pub use crate::ratio::Ratio;
pub use crate::tally::Tally;

/// The README's usage example, compiled and run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

#[cfg(test)]
mod tests {
    fn assert_send_sync<T: Send + Sync + 'static>() {}

    #[test]
    fn core_types_cross_threads() {
        assert_send_sync::<crate::Error>();
        assert_send_sync::<crate::Money>();
        assert_send_sync::<crate::Ratio>();
        assert_send_sync::<crate::Currency>();
    }
}
