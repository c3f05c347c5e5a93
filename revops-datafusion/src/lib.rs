//! revops in [Apache DataFusion](https://datafusion.apache.org) SQL (issue 15).
//!
//! - [`schema`]: Arrow schemas of the fact tables;
//! - [`batch_to_columnar`] / [`journeys_to_batch`]: journey rows in Arrow to the crate's
//!   [`ColumnarBatch`](revops::attribution::ColumnarBatch), column by column, and journeys to
//!   Arrow;
//! - [`register`]: the aggregate functions `revops_attribute` ([`Attribute`]) and
//!   `revops_markov` ([`Markov`]) on a [`SessionContext`]. Their partial state is the crate's
//!   serialized tally, so DataFusion's partial and final aggregation split the work across
//!   partitions and the result equals the in-process crate's.
//!
//! Bad rows give a DataFusion error naming the journey id and the column; no row is dropped.
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
//! ```

#![forbid(unsafe_code)]

mod attribute;
mod journeys;
mod markov;
pub mod schema;
mod udaf;

use datafusion::logical_expr::AggregateUDF;
use datafusion::prelude::SessionContext;

pub use self::attribute::Attribute;
pub use self::journeys::{batch_to_columnar, journeys_to_batch};
pub use self::markov::Markov;

/// Registers the revops aggregate functions on `ctx` (by name; in a distributed engine
/// register them on every process).
pub fn register(ctx: &SessionContext) {
    ctx.register_udaf(AggregateUDF::new_from_impl(Attribute::new()));
    ctx.register_udaf(AggregateUDF::new_from_impl(Markov::new()));
}
