//! Test kit (feature `testkit`): deterministic synthetic company data and proptest strategies.
//!
//! - [`Company`] generates a synthetic B2B company from a seed: accounts with firmographics and
//!   technologies, contacts with buying roles, leads with touches across twelve channels and
//!   stage histories, sales responses and rejections, opportunities with amounts, stages,
//!   outcomes and loss reasons, and marketing and sales spend by month. Sizes run from ten to
//!   ten million leads; the same seed gives the same data on every machine and thread count.
//! - [`Company::facts`] is every fact of the company, generated once in the
//!   [`facts`](crate::facts) types (a [`FactSet`](crate::facts::FactSet)); per-record methods
//!   such as [`SampleLead::deal_fact`] build the same facts one record at a time.
//!   [`Company::recurring_revenue`] is its won customers' monthly MRR history, walked by
//!   [`MrrWalk`].
//! - [`sla`] gives the company a business calendar, sales teams and its leads as SLA facts
//!   ([`Company::sla_calendar`], [`Company::team`], [`Company::sla_milestones`]) and holds
//!   proptest strategies for calendars and SLA instances.
//! - [`Company::hubspot_export`] and [`Company::salesforce_export`] write the company as CRM
//!   export rows (column -> value) for the [`crm`](crate::crm) mappings, with their stage maps
//!   ([`hubspot_stage_map`], [`salesforce_stage_map`]).
//! - [`strategies`] holds proptest strategies for the crate's public fact types, so users'
//!   test suites can generate valid (and deliberately awkward) data.
//!
//! The generator needs no dependency beyond the crate's own: its random numbers come from
//! [`SampleRng`], a `SplitMix64` generator.
//!
//! # Example
//!
//! ```
//! use revops::testkit::{Company, SampleStage};
//!
//! let company = Company::sample();
//! let won: usize = company.leads().filter(|l| l.current_stage() == SampleStage::Won).count();
//! assert!(won > 0);
//! ```

#[cfg(feature = "serde")]
mod agreement;
mod attribution;
mod company;
mod crm_export;
mod facts;
pub mod funnel;
pub mod icp;
mod markov;
mod metrics;
mod pipeline;
mod retention;
mod rng;
pub mod sla;
pub mod strategies;

#[cfg(feature = "serde")]
pub use self::agreement::sample_agreement;
pub use self::company::{
    BUYING_ROLES, CHANNELS, COUNTRIES, Company, INDUSTRIES, LOSS_REASONS, REJECTION_REASONS, SampleAccount,
    SampleContact, SampleLead, SampleOpportunity, SampleOutcome, SampleRejection, SampleSpend, SampleStage,
    SampleStageChange, SampleTouch, SpendCategory, TECHNOLOGIES,
};
pub use self::crm_export::{
    ExportRow, HubSpotExport, SalesforceExport, hubspot_lifecycle_stage, hubspot_stage_map, salesforce_lead_status,
    salesforce_stage_map,
};
pub use self::facts::SDR_QUEUE;
pub use self::metrics::{metric_funnel, origin_of};
pub use self::pipeline::sample_category_map;
pub use self::retention::MrrWalk;
pub use self::rng::SampleRng;
pub use self::sla::{SAMPLE_HOLIDAYS, SAMPLE_TEAMS};
