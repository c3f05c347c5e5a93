//! Every public serde type of revops (definitions first, then facts and wire records), with a
//! JSON and a TOML round trip each. A target picks the type with its first input byte.
//!
//! Oracle: deserializing never panics; a value that deserialized serializes, deserializes again
//! from its own serialization (validation accepts what it emitted), and serializes to the same
//! text (the round trip is stable). TOML values that the `toml` crate cannot write (a TOML
//! limitation, e.g. integers past `i64`) are skipped after the first decode.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// A TOML document holding one value under `value` (TOML documents must be tables).
#[derive(serde::Serialize, serde::Deserialize)]
struct Doc<T> {
    value: T,
}

fn json<T: DeserializeOwned + Serialize>(text: &str) {
    let Ok(v) = serde_json::from_str::<T>(text) else { return };
    let s1 = serde_json::to_string(&v).expect("a deserialized value serializes to JSON");
    let v2: T = match serde_json::from_str(&s1) {
        Ok(v2) => v2,
        Err(e) => panic!("own JSON refused: {e}\n  input: {text}\n  emitted: {s1}"),
    };
    let s2 = serde_json::to_string(&v2).expect("serializes again");
    assert_eq!(s1, s2, "JSON round trip not stable for input {text}");
}

fn toml<T: DeserializeOwned + Serialize>(text: &str) {
    let Ok(doc) = toml::from_str::<Doc<T>>(text) else { return };
    let Ok(s1) = toml::to_string(&doc) else { return };
    let doc2: Doc<T> = match toml::from_str(&s1) {
        Ok(d) => d,
        Err(e) => panic!("own TOML refused: {e}\n  input: {text}\n  emitted: {s1}"),
    };
    let j1 = serde_json::to_string(&doc.value).expect("a TOML-decoded value serializes to JSON");
    let j2 = serde_json::to_string(&doc2.value).expect("serializes again");
    assert_eq!(j1, j2, "TOML round trip not stable for input {text}\n  emitted: {s1}");
    // The same value must also survive JSON.
    json::<T>(&j1);
}

/// The canonical JSON of `text` read as `T`, if it is one (for seed generation).
fn canonical_json<T: DeserializeOwned + Serialize>(text: &str) -> Option<String> {
    serde_json::to_string(&serde_json::from_str::<T>(text).ok()?).ok()
}

/// The TOML document (`value = ...`) of the JSON `text` read as `T`, if it is one.
fn canonical_toml<T: DeserializeOwned + Serialize>(text: &str) -> Option<String> {
    toml::to_string(&Doc { value: serde_json::from_str::<T>(text).ok()? }).ok()
}

macro_rules! types {
    ($($t:ty),* $(,)?) => {
        /// The type names, in selector order.
        pub const NAMES: &[&str] = &[$(stringify!($t)),*];
        /// JSON round trip, one per type.
        pub const JSON: &[fn(&str)] = &[$(json::<$t> as fn(&str)),*];
        /// TOML round trip, one per type.
        pub const TOML: &[fn(&str)] = &[$(toml::<$t> as fn(&str)),*];
        /// JSON text -> canonical JSON, one per type (seed generation).
        pub const CANONICAL_JSON: &[fn(&str) -> Option<String>] =
            &[$(canonical_json::<$t> as fn(&str) -> Option<String>),*];
        /// JSON text -> TOML document, one per type (seed generation).
        pub const CANONICAL_TOML: &[fn(&str) -> Option<String>] =
            &[$(canonical_toml::<$t> as fn(&str) -> Option<String>),*];
    };
}

types! {
    // Definitions.
    revops::funnel::Funnel,
    revops::funnel::TransitionPolicy,
    revops::funnel::Stage,
    revops::funnel::Qualification,
    revops::funnel::QualificationRule,
    revops::funnel::RejectionPolicy,
    revops::funnel::Checklist,
    revops::funnel::ScoringModel,
    revops::funnel::Points,
    revops::funnel::ScoreMatrix,
    revops::funnel::HandoffRequirement,
    revops::icp::Icp,
    revops::icp::IcpSet,
    revops::icp::Tiers,
    revops::icp::Tier,
    revops::icp::BuyingGroup,
    revops::icp::Criterion,
    revops::icp::Condition,
    revops::sla::ResponsePolicy,
    revops::sla::DispositionPolicy,
    revops::sla::VolumeCommitment,
    revops::sla::QualityCommitment,
    revops::sla::SlaAgreement,
    revops::calendar::BusinessCalendar,
    revops::calendar::CalendarException,
    revops::calendar::WorkingWindow,
    revops::calendar::BusinessSpan,
    revops::attribution::Model,
    revops::attribution::Shape,
    revops::attribution::CustomWeights,
    revops::attribution::MarkovModel,
    revops::attribution::ValueAllocation,
    revops::attribution::Game,
    revops::metrics::StageOrder,
    revops::metrics::StageConversion,
    revops::metrics::WinRate,
    revops::metrics::CreatedToWon,
    revops::metrics::SalesCycle,
    revops::metrics::Velocity,
    revops::metrics::WeightedPipeline,
    revops::metrics::PipelineCoverage,
    revops::metrics::SpeedToLeadMetric,
    revops::metrics::Sourcing,
    revops::metrics::LeadFlow,
    revops::metrics::LossReasons,
    revops::metrics::Cac,
    revops::metrics::Ltv,
    revops::metrics::CacWindow,
    revops::metrics::Bucket,
    revops::Period,
    revops::Period,
    revops::Probability,
    revops::Money,
    revops::Currency,
    // Facts and wire records.
    revops::facts::Journey,
    revops::facts::Touchpoint,
    revops::attribution::AggregatedPath,
    revops::facts::Roles,
    revops::funnel::StageHistory,
    revops::funnel::LeadFacts,
    revops::funnel::Handoff,
    revops::facts::Disposition,
    revops::facts::Account,
    revops::icp::ScoredAccount,
    revops::facts::Contact,
    revops::icp::FitScore,
    revops::icp::CriteriaSet,
    revops::sla::SlaInstance,
    revops::sla::SlaOutcome,
    revops::sla::LeadMilestones,
    revops::sla::VolumeFact,
    revops::sla::QualityFact,
    revops::facts::Deal,
    revops::facts::Lead,
    revops::facts::Spend,
    revops::facts::Response,
    revops::metrics::AccountPeriod,
    revops::metrics::OpportunityTouches,
    revops::AccountId,
    revops::ChannelId,
}

/// Splits an input into (type selector, text): the first byte picks the type.
#[must_use]
pub fn split(data: &[u8]) -> Option<(usize, &str)> {
    let (&sel, rest) = data.split_first()?;
    Some((usize::from(sel) % NAMES.len(), std::str::from_utf8(rest).ok()?))
}
