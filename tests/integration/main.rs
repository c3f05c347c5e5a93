//! Cross-module laws of the crate, in one test binary (one module per public area).
// Tests and their helpers may unwrap, expect and index: a failure is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

#[cfg(feature = "serde")]
mod agreements;
mod attribution;
mod calendar;
mod channel_table;
mod crm;
mod data_driven;
#[cfg(feature = "serde")]
mod forecast;
mod funnel;
mod icp;
#[cfg(feature = "serde")]
mod metric_definition;
mod metrics;
mod money;
mod ratio;
#[cfg(feature = "schema")]
mod schema;
#[cfg(feature = "serde")]
mod scorecard;
#[cfg(feature = "serde")]
mod scorecard_currency;
#[cfg(feature = "serde")]
mod scorecard_duplicates;
#[cfg(feature = "serde")]
mod scorecard_forecast;
#[cfg(feature = "serde")]
mod scorecard_glance;
#[cfg(feature = "serde")]
mod scorecard_icp;
#[cfg(feature = "serde")]
mod scorecard_kpis;
#[cfg(feature = "serde")]
mod scorecard_retention;
mod scorecard_sla;
#[cfg(feature = "serde")]
mod scorecard_waterfall;
mod sla;
#[cfg(feature = "serde")]
mod split_merge;
mod testkit;
mod testkit_facts;
mod testkit_strategies;
#[cfg(feature = "serde")]
mod vectors;
#[cfg(feature = "serde")]
mod wire_formats;
