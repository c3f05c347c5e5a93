//! The shared KPI definitions of an agreement: [`Kpis`].

use crate::StageId;
use crate::metrics::ConversionMode;

/// One conversion step both teams report: from stage A to stage B of the funnel's order, in
/// one [`ConversionMode`].
///
/// # Wire format
///
/// `{ "from": "mql", "to": "sql", "mode": "entity_cohort" }`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConversionStep {
    /// Stage A.
    pub from: StageId,
    /// Stage B (after A in the funnel's order).
    pub to: StageId,
    /// How the rate links A and B.
    pub mode: ConversionMode,
}

/// The shared KPI definitions: which numbers the board shows, each by its metric's definition.
///
/// # Wire format
///
/// `{ "conversion": [<ConversionStep>, ...] }`; every part optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kpis {
    /// The conversion steps, in board order.
    #[serde(default)]
    pub conversion: Vec<ConversionStep>,
}
