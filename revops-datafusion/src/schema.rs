//! Arrow schemas of the fact tables, one function per table, column names as the crate's fact
//! fields. Instants are `Timestamp(Nanosecond, "UTC")` (the crate's batch time unit), money is
//! `Int64` minor units beside a `currency` code column, ids are `Utf8` (readers also accept
//! `LargeUtf8` and `Utf8View`, which Parquet produces).

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};

/// The timestamp type of every instant column.
#[must_use]
pub fn instant() -> DataType {
    DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into()))
}

fn utf8(name: &str, nullable: bool) -> Field {
    Field::new(name, DataType::Utf8, nullable)
}

fn at(name: &str, nullable: bool) -> Field {
    Field::new(name, instant(), nullable)
}

fn list(name: &str, item: DataType) -> Field {
    Field::new(name, DataType::List(Arc::new(Field::new("item", item, true))), false)
}

/// One row per touch: `journey_id`, `seq` (the touch's position in its journey, so ties in
/// `at` keep their order), `at`, `channel`, `campaign`, `contact`, `roles`
/// ([`Roles::bits`](revops::facts::Roles::bits)).
#[must_use]
pub fn touches() -> SchemaRef {
    Arc::new(Schema::new(vec![
        utf8("journey_id", false),
        Field::new("seq", DataType::UInt32, false),
        at("at", false),
        utf8("channel", false),
        utf8("campaign", true),
        utf8("contact", true),
        Field::new("roles", DataType::UInt8, false),
    ]))
}

/// One row per journey with its touches as lists, in order: what the aggregate functions
/// read (`GROUP BY journey_id` over [`touches`] with `array_agg(.. ORDER BY seq)` builds it).
/// `converted_at` and `value_minor` are both null for a journey that did not convert.
#[must_use]
pub fn journeys() -> SchemaRef {
    Arc::new(Schema::new(vec![
        utf8("journey_id", false),
        at("converted_at", true),
        Field::new("value_minor", DataType::Int64, true),
        utf8("currency", false),
        at("lead_created_at", true),
        at("opportunity_created_at", true),
        at("closed_won_at", true),
        list("touch_at", instant()),
        list("channel", DataType::Utf8),
        list("roles", DataType::UInt8),
    ]))
}

/// One row per lead ([`Lead`](revops::facts::Lead)).
#[must_use]
pub fn leads() -> SchemaRef {
    Arc::new(Schema::new(vec![
        utf8("id", false),
        at("created_at", false),
        utf8("source", true),
        utf8("owner", true),
        utf8("account", true),
        utf8("contact", true),
    ]))
}

/// One row per stage change ([`StageChange`](revops::facts::StageChange)): `entity` is the
/// lead id. Its columns, in this order, are the arguments of `revops_stage_conversion`
/// ([`STAGE_CHANGE_COLUMNS`]).
#[must_use]
pub fn stage_changes() -> SchemaRef {
    Arc::new(Schema::new(vec![utf8("entity", false), utf8("stage", false), at("at", false)]))
}

/// The stage change columns, in argument order.
pub const STAGE_CHANGE_COLUMNS: [&str; 3] = ["entity", "stage", "at"];

/// One row per deal ([`Deal`](revops::facts::Deal)): `status` is `won`, `lost` or `open`;
/// `probability` an open deal's win probability in the crate's text form (`"60%"` or
/// `"0.6"`; null for a closed deal); `loss_reason` a lost deal's
/// [`Reason`](revops::facts::Reason) key, or its free text for a reason outside the taxonomy
/// (null reads as `unspecified`); `origin` and `forecast_category` their snake-case names
/// (`marketing`, `best_case`); `close_date` the expected close date; `contacts` the
/// opportunity's contact ids.
///
/// The first eleven columns, in this order, are the arguments of the deal metrics
/// ([`DEAL_METRIC_COLUMNS`]).
#[must_use]
pub fn deals() -> SchemaRef {
    Arc::new(Schema::new(vec![
        utf8("id", false),
        at("created_at", false),
        at("closed_at", true),
        Field::new("close_date", DataType::Date32, true),
        Field::new("amount_minor", DataType::Int64, false),
        utf8("currency", false),
        utf8("status", false),
        utf8("probability", true),
        utf8("loss_reason", true),
        Field::new("qualified", DataType::Boolean, false),
        utf8("origin", false),
        utf8("source", true),
        utf8("account", true),
        utf8("lead", true),
        utf8("stage", true),
        utf8("forecast_category", true),
        list("contacts", DataType::Utf8),
    ]))
}

/// The deal columns the deal metrics read, in argument order (the first eleven of [`deals`]).
pub const DEAL_METRIC_COLUMNS: [&str; 11] = [
    "id",
    "created_at",
    "closed_at",
    "close_date",
    "amount_minor",
    "currency",
    "status",
    "probability",
    "loss_reason",
    "qualified",
    "origin",
];

/// One row per sales response ([`Response`](revops::facts::Response)); `kind` is `call`,
/// `email`, `meeting`, `message` or `other`.
#[must_use]
pub fn responses() -> SchemaRef {
    Arc::new(Schema::new(vec![utf8("lead", false), at("at", false), utf8("kind", false), utf8("by", true)]))
}

/// One row per spend record ([`Spend`](revops::facts::Spend)): the period is
/// `[period_start, period_end)`; `kind` is `paid`, `marketing_people`, `sales_people`, `tools`
/// or `other`.
#[must_use]
pub fn spend() -> SchemaRef {
    Arc::new(Schema::new(vec![
        at("period_start", false),
        at("period_end", false),
        utf8("kind", false),
        Field::new("amount_minor", DataType::Int64, false),
        utf8("currency", false),
        utf8("channel", true),
        utf8("campaign", true),
    ]))
}
