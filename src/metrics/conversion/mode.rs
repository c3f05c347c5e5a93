//! [`ConversionMode`]: the three named ways to count a stage conversion.

/// How conversions are counted; the three are different metrics and are named so.
///
/// # Example
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use revops::{facts::StageChange, funnel::Funnel};
/// use revops::metrics::{ConversionMode, StageConversion, stage_conversion};
/// use revops::{LeadId, Period, StageId};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let entry = |lead: &str, stage: &str, d| -> Result<StageChange, revops::Error> {
///     Ok(StageChange { entity: LeadId::new(lead)?, stage: StageId::new(stage)?, at: t(d) })
/// };
/// let dec = |d| Utc.with_ymd_and_hms(2023, 12, d, 0, 0, 0).single().unwrap_or_default();
/// let entries = [
///     StageChange { entity: LeadId::new("old")?, stage: StageId::new("mql")?, at: dec(20) },
///     entry("old", "sql", 3)?,
///     entry("new", "mql", 2)?, entry("new", "sql", 5)?, entry("new", "sql", 9)?,
/// ];
/// let funnel = Funnel::demand_waterfall(); // "old" entered MQL in December, "new" reached SQL twice
/// let january = Period::new(t(1), t(31))?;
/// let rate = |mode| -> Result<String, revops::Error> {
///     let definition = StageConversion::builder(&funnel, "mql", "sql", mode).build()?;
///     Ok(stage_conversion(&entries, &definition, january)?.rate.to_string())
/// };
/// // Leads whose first MQL is in January (1: "new") and that reached SQL after it (1).
/// assert_eq!(rate(ConversionMode::EntityCohort)?, "1/1 (100.0%)");
/// // January MQL events (1); SQL events linked to them (both of "new"'s).
/// assert_eq!(rate(ConversionMode::EventCohort)?, "2/1 (200.0%)");
/// // January SQL events (3) over January MQL events (1), unlinked.
/// assert_eq!(rate(ConversionMode::PeriodFlow)?, "3/1 (300.0%)");
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ConversionMode {
    /// Entities that entered A in the period and entered B within the window after their A
    /// entry, over entities that entered A in the period. At most 100%.
    EntityCohort,
    /// dbt `MetricFlow` conversion metrics: each B event links to the closest preceding A event
    /// of the same entity with `a <= b` and `a > b - window`, and counts in the bucket of A's
    /// time; the denominator is the A events in the period. Can exceed 100%.
    EventCohort,
    /// B events in the period over A events in the period, unlinked: mixes cohorts, may
    /// exceed 100%.
    PeriodFlow,
}
