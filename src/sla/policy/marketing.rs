//! Marketing's promises as data: [`VolumeCommitment`] and [`QualityCommitment`].

use super::check_name;
#[cfg(feature = "serde")]
use super::wire::{QualityRepr, VolumeRepr};
use crate::{Error, ErrorKind, Money, Probability, SegmentId};

/// What a volume commitment counts.
///
/// # Example
///
/// ```
/// use revops::sla::{VolumeAmount, VolumeCommitment, VolumeMeasure};
/// use revops::{Currency, Money};
///
/// // MQLs and SQLs take a count, pipeline an amount.
/// let sqls = VolumeCommitment::new("sqls", VolumeMeasure::Sqls, VolumeAmount::Count(25))?;
/// assert_eq!(sqls.measure(), VolumeMeasure::Sqls);
/// assert!(VolumeCommitment::new("sqls", VolumeMeasure::Sqls, VolumeAmount::Amount(Money::zero(Currency::USD))).is_err());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum VolumeMeasure {
    /// Marketing qualified leads delivered.
    Mqls,
    /// Sales qualified leads delivered.
    Sqls,
    /// Pipeline amount created.
    Pipeline,
}

/// The minimum of a volume commitment: a count (MQLs, SQLs) or an amount (pipeline).
///
/// # Example
///
/// ```
/// use revops::sla::{VolumeAmount, VolumeCommitment, VolumeMeasure};
/// use revops::{Currency, Money};
///
/// let quarter = VolumeAmount::Amount(Money::from_minor(50_000_000, Currency::USD)); // 500,000.00 USD
/// let pipeline = VolumeCommitment::new("q3_pipeline", VolumeMeasure::Pipeline, quarter)?;
/// assert_eq!(pipeline.minimum(), quarter);
/// let negative = VolumeAmount::Amount(Money::from_minor(-1, Currency::USD));
/// assert!(VolumeCommitment::new("q3_pipeline", VolumeMeasure::Pipeline, negative).is_err());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum VolumeAmount {
    /// A number of leads.
    Count(u64),
    /// An amount of money.
    Amount(Money),
}

/// Marketing's volume promise: at least `minimum` of `measure` per period, optionally only
/// for one segment or tier. Evaluated per period by [`VolumeTally`](crate::sla::VolumeTally).
///
/// # Example
///
/// ```
/// use revops::SegmentId;
/// use revops::sla::{VolumeAmount, VolumeCommitment, VolumeMeasure};
///
/// let mid_market = VolumeCommitment::new("mm_mqls", VolumeMeasure::Mqls, VolumeAmount::Count(120))?
///     .for_segment(SegmentId::new("mid_market")?);
/// assert_eq!(mid_market.segment().map(SegmentId::as_str), Some("mid_market"));
/// assert_eq!((mid_market.name(), mid_market.measure(), mid_market.minimum()), ("mm_mqls", VolumeMeasure::Mqls, VolumeAmount::Count(120)));
/// # Ok::<(), revops::Error>(())
/// ```
///
/// # Wire format
///
/// A map (feature `serde`; unknown keys are refused, and reading runs
/// [`VolumeCommitment::new`]'s checks): `name` (1 to 128 bytes), `measure` (`"mqls"`, `"sqls"`
/// or `"pipeline"`), `minimum` (`{ count = 120 }` for leads, `{ amount = { amount = "500000.00",
/// currency = "USD" } }` for pipeline) and optionally `segment` (a segment id).
///
/// ```
/// use revops::sla::{VolumeAmount, VolumeCommitment, VolumeMeasure};
///
/// let json = r#"{"name":"mm_mqls","measure":"mqls","minimum":{"count":120},"segment":"mid_market"}"#;
/// let mqls: VolumeCommitment = serde_json::from_str(json)?;
/// assert_eq!((mqls.measure(), mqls.minimum()), (VolumeMeasure::Mqls, VolumeAmount::Count(120)));
/// assert_eq!(serde_json::to_string(&mqls)?, json);
/// let pipeline = r#"{"name":"q3","measure":"pipeline","minimum":{"amount":{"amount":"500000.00","currency":"USD"}}}"#;
/// assert!(serde_json::from_str::<VolumeCommitment>(pipeline).is_ok());
/// // A count for pipeline (or an amount for leads) is refused.
/// assert!(serde_json::from_str::<VolumeCommitment>(&json.replace(r#""mqls","min"#, r#""pipeline","min"#)).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "VolumeRepr", into = "VolumeRepr")
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct VolumeCommitment {
    pub(super) name: String,
    pub(super) measure: VolumeMeasure,
    pub(super) minimum: VolumeAmount,
    pub(super) segment: Option<SegmentId>,
}

impl VolumeCommitment {
    /// At least `minimum` of `measure` per period.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] if the name is empty or padded, if a count is given for pipeline
    /// or an amount for MQLs or SQLs, or if a pipeline amount is negative.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::sla::{VolumeAmount, VolumeCommitment, VolumeMeasure};
    /// use revops::ErrorKind;
    ///
    /// assert_eq!(VolumeCommitment::new("mqls", VolumeMeasure::Mqls, VolumeAmount::Count(300))?.segment(), None);
    /// let count_for_pipeline = VolumeCommitment::new("pipeline", VolumeMeasure::Pipeline, VolumeAmount::Count(3));
    /// assert!(matches!(count_for_pipeline.as_ref().map_err(revops::Error::kind), Err(ErrorKind::InvalidValue { .. })));
    /// assert!(VolumeCommitment::new("", VolumeMeasure::Mqls, VolumeAmount::Count(3)).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new(
        name: impl Into<String>,
        measure: VolumeMeasure,
        minimum: VolumeAmount,
    ) -> Result<VolumeCommitment, Error> {
        let name = check_name(name.into())?;
        match (measure, minimum) {
            (VolumeMeasure::Mqls | VolumeMeasure::Sqls, VolumeAmount::Count(_)) => {}
            (VolumeMeasure::Pipeline, VolumeAmount::Amount(m)) if !m.is_negative() => {}
            (VolumeMeasure::Pipeline, VolumeAmount::Amount(m)) => {
                return Err(ErrorKind::InvalidValue {
                    field: "volume minimum",
                    value: m.to_string(),
                    reason: "must not be negative",
                }
                .into());
            }
            (_, other) => {
                return Err(ErrorKind::InvalidValue {
                    field: "volume minimum",
                    value: format!("{other:?}"),
                    reason: "MQLs and SQLs take a count, pipeline takes an amount",
                }
                .into());
            }
        }
        Ok(VolumeCommitment { name, measure, minimum, segment: None })
    }

    /// Counts only facts of `segment` (a segment or tier key).
    #[must_use]
    pub fn for_segment(mut self, segment: SegmentId) -> VolumeCommitment {
        self.segment = Some(segment);
        self
    }

    /// The name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What is counted.
    #[must_use]
    pub const fn measure(&self) -> VolumeMeasure {
        self.measure
    }

    /// The minimum per period.
    #[must_use]
    pub const fn minimum(&self) -> VolumeAmount {
        self.minimum
    }

    /// The segment filter, if any.
    #[must_use]
    pub const fn segment(&self) -> Option<&SegmentId> {
        self.segment.as_ref()
    }
}

/// Marketing's quality promise over the MQLs of a period, each minimum optional: the share of
/// MQLs that meet the qualification rules, the acceptance rate (accepted over dispositioned:
/// accepted, rejected or recycled), and MQL-to-SQL (MQLs that became SQLs over MQLs).
/// Evaluated by [`QualityTally`](crate::sla::QualityTally).
///
/// # Example
///
/// ```
/// use revops::Probability;
/// use revops::sla::QualityCommitment;
/// use rust_decimal_macros::dec;
///
/// let quality = QualityCommitment::new("mql_quality")?
///     .min_acceptance(Probability::from_percent(70)?)
///     .min_mql_to_sql(Probability::from_percent(30)?);
/// assert_eq!(quality.name(), "mql_quality");
/// assert!(quality.minimum_meeting_rules().is_none());
/// assert_eq!(quality.minimum_acceptance(), Some(Probability::from_percent(70)?));
/// assert_eq!(quality.minimum_mql_to_sql(), Some(Probability::from_percent(30)?));
/// # Ok::<(), revops::Error>(())
/// ```
///
/// # Wire format
///
/// A map (feature `serde`; unknown keys are refused): `name` (1 to 128 bytes) and the
/// optional minimums `min_meeting_rules`, `min_acceptance` and `min_mql_to_sql`, each a
/// probability: `"70%"`, `"0.7"` or `0.7` (see [`Probability`]'s *Wire format*; a bare `70`
/// is refused, never read as 70% or 7000%). Written canonically as percents, `"70%"`.
///
/// ```
/// use revops::Probability;
/// use revops::sla::QualityCommitment;
///
/// let json = r#"{"name":"mql_quality","min_acceptance":0.7,"min_mql_to_sql":"30%"}"#;
/// let quality: QualityCommitment = serde_json::from_str(json)?;
/// assert_eq!(quality.minimum_acceptance(), Some(Probability::from_percent(70)?));
/// assert_eq!(quality.minimum_mql_to_sql(), Some(Probability::from_percent(30)?));
/// let canonical = r#"{"name":"mql_quality","min_acceptance":"70%","min_mql_to_sql":"30%"}"#;
/// assert_eq!(serde_json::to_string(&quality)?, canonical);
/// assert!(serde_json::from_str::<QualityCommitment>(&json.replace("0.7", "70")).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "QualityRepr", into = "QualityRepr")
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct QualityCommitment {
    pub(super) name: String,
    pub(super) meeting_rules: Option<Probability>,
    pub(super) acceptance: Option<Probability>,
    pub(super) mql_to_sql: Option<Probability>,
}

impl QualityCommitment {
    /// A quality commitment with no minimum yet.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] if the name is empty or padded.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::Probability;
    /// use revops::sla::QualityCommitment;
    /// use rust_decimal_macros::dec;
    ///
    /// let rules = QualityCommitment::new("mqls_meet_rules")?.min_meeting_rules(Probability::from_percent(90)?);
    /// assert_eq!(rules.minimum_meeting_rules(), Some(Probability::from_percent(90)?));
    /// assert!(QualityCommitment::new("mql quality ").is_err()); // padded
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new(name: impl Into<String>) -> Result<QualityCommitment, Error> {
        Ok(QualityCommitment {
            name: check_name(name.into())?,
            meeting_rules: None,
            acceptance: None,
            mql_to_sql: None,
        })
    }

    /// At least `share` of MQLs meet the qualification rules.
    #[must_use]
    pub const fn min_meeting_rules(mut self, share: Probability) -> QualityCommitment {
        self.meeting_rules = Some(share);
        self
    }

    /// At least `share` of dispositioned MQLs are accepted.
    #[must_use]
    pub const fn min_acceptance(mut self, share: Probability) -> QualityCommitment {
        self.acceptance = Some(share);
        self
    }

    /// At least `share` of MQLs become SQLs.
    #[must_use]
    pub const fn min_mql_to_sql(mut self, share: Probability) -> QualityCommitment {
        self.mql_to_sql = Some(share);
        self
    }

    /// The name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Minimum share meeting the qualification rules.
    #[must_use]
    pub const fn minimum_meeting_rules(&self) -> Option<Probability> {
        self.meeting_rules
    }

    /// Minimum acceptance rate.
    #[must_use]
    pub const fn minimum_acceptance(&self) -> Option<Probability> {
        self.acceptance
    }

    /// Minimum MQL-to-SQL rate.
    #[must_use]
    pub const fn minimum_mql_to_sql(&self) -> Option<Probability> {
        self.mql_to_sql
    }
}
