//! revops in [Apache DataFusion](https://datafusion.apache.org) SQL (issue 15).
//!
//! - [`schema`]: Arrow schemas of the fact tables;
//! - [`batch_to_columnar`] / [`journeys_to_batch`]: journey rows in Arrow to the crate's
//!   [`ColumnarBatch`](revops::attribution::ColumnarBatch), column by column, and journeys to
//!   Arrow; [`batch_to_deals`] / [`deals_to_batch`] and their like for leads, stage changes,
//!   responses and spend: the other fact tables to and from the crate's facts;
//! - [`register`]: the scalar functions `revops_credits` ([`Credits`]: per-touch credits)
//!   and `revops_business_seconds` ([`BusinessSeconds`]: business time on a calendar), and
//!   the aggregate functions `revops_attribute` ([`Attribute`]), `revops_markov`
//!   ([`Markov`]), `revops_shapley` ([`Shapley`]), `revops_deal_metric`,
//!   `revops_stage_conversion` and `revops_speed_to_lead` ([`Metric`]) and
//!   `revops_sla_compliance` ([`SlaCompliance`]) on a
//!   [`SessionContext`]. Their partial state is the crate's serialized tally, so DataFusion's
//!   partial and final aggregation split the work across partitions and the result equals the
//!   in-process crate's.
//!
//! Bad rows give a DataFusion error naming the record (a journey, deal or lead id; a spend
//! row) and the column; no row is dropped.
//!
//! # Example
//!
//! ```
//! use datafusion::execution::FunctionRegistry;
//! use datafusion::prelude::SessionContext;
//!
//! let ctx = SessionContext::new();
//! revops_datafusion::register(&ctx);
//! assert!(ctx.udaf("revops_attribute").is_ok() && ctx.udaf("revops_markov").is_ok());
//! assert!(ctx.udaf("revops_deal_metric").is_ok() && ctx.udaf("revops_stage_conversion").is_ok());
//! ```

#![forbid(unsafe_code)]

mod attribute;
mod business_time;
mod columns;
mod credits;
mod journeys;
mod markov;
mod metric;
mod paths;
pub mod schema;
mod shapley;
mod sla;
mod tables;
mod udaf;

use datafusion::logical_expr::{AggregateUDF, ScalarUDF};
use datafusion::prelude::SessionContext;

pub use self::attribute::Attribute;
pub use self::business_time::BusinessSeconds;
pub use self::credits::Credits;
pub use self::journeys::{batch_to_columnar, batch_to_journeys, journeys_to_batch};
pub use self::markov::Markov;
pub use self::metric::Metric;
pub use self::shapley::Shapley;
pub use self::sla::SlaCompliance;
pub use self::tables::{
    batch_to_deals, batch_to_leads, batch_to_responses, batch_to_spend, batch_to_stage_changes, deals_to_batch,
    leads_to_batch, responses_to_batch, spend_to_batch, stage_changes_to_batch,
};

/// The revops aggregate functions, by name: `revops_attribute`, `revops_markov`,
/// `revops_shapley`, `revops_deal_metric`, `revops_stage_conversion`, `revops_speed_to_lead`,
/// `revops_sla_compliance`.
#[must_use]
pub fn aggregate_functions() -> Vec<AggregateUDF> {
    vec![
        AggregateUDF::new_from_impl(Attribute::new()),
        AggregateUDF::new_from_impl(Markov::new()),
        AggregateUDF::new_from_impl(Shapley::new()),
        AggregateUDF::new_from_impl(Metric::deals()),
        AggregateUDF::new_from_impl(Metric::stage_changes()),
        AggregateUDF::new_from_impl(Metric::response_times()),
        AggregateUDF::new_from_impl(SlaCompliance::new()),
    ]
}

/// The revops scalar functions: `revops_credits`, `revops_business_seconds`.
#[must_use]
pub fn scalar_functions() -> Vec<ScalarUDF> {
    vec![ScalarUDF::new_from_impl(Credits::new()), ScalarUDF::new_from_impl(BusinessSeconds::new())]
}

/// Registers the revops functions ([`aggregate_functions`], [`scalar_functions`]) on `ctx`.
/// Functions travel by name: in a distributed engine, register them on every process (the
/// `revops-ballista` crate does it for Ballista's client, scheduler and executors).
pub fn register(ctx: &SessionContext) {
    for f in aggregate_functions() {
        ctx.register_udaf(f);
    }
    for f in scalar_functions() {
        ctx.register_udf(f);
    }
}
