//! SLA policies as data: response, disposition, volume and quality commitments, and the
//! agreement that bundles them.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::evaluation::{SlaInstance, SlaOutcome, evaluate};
use crate::calendar::{BusinessClock, BusinessSpan};
use crate::{Error, Money, Probability, SegmentId};

/// Which event starts a response clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ClockStart {
    /// The lead was created.
    LeadCreated,
    /// The lead became marketing qualified.
    Mql,
    /// The lead was handed to (routed to an owner in) sales.
    Handoff,
}

/// The milestones of one lead that response and disposition clocks start and stop at.
///
/// A plain fact: fill it from the CRM. `first_sales_touch` is the first *qualifying* sales touch
/// (a call, an email or a meeting by the owner; the caller decides what qualifies).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct LeadMilestones {
    /// When the lead was created.
    pub created: DateTime<Utc>,
    /// When it became an MQL, if it did.
    pub mql: Option<DateTime<Utc>>,
    /// When it was handed to sales, if it was.
    pub handoff: Option<DateTime<Utc>>,
    /// The first qualifying sales touch, if any yet.
    pub first_sales_touch: Option<DateTime<Utc>>,
}

impl LeadMilestones {
    /// Milestones with only the creation time set.
    #[must_use]
    pub const fn new(created: DateTime<Utc>) -> LeadMilestones {
        LeadMilestones { created, mql: None, handoff: None, first_sales_touch: None }
    }

    /// The instant of `start`, if that event happened.
    #[must_use]
    pub const fn at(&self, start: ClockStart) -> Option<DateTime<Utc>> {
        match start {
            ClockStart::LeadCreated => Some(self.created),
            ClockStart::Mql => self.mql,
            ClockStart::Handoff => self.handoff,
        }
    }
}

/// The timing part shared by response and disposition policies: a target in business time and
/// an optional at-risk threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Clock {
    pub(crate) target: BusinessSpan,
    pub(crate) at_risk: Option<Probability>,
    /// `at_risk` in parts per million of the target, for exact integer comparison.
    pub(crate) at_risk_ppm: Option<u32>,
}

impl Clock {
    fn new(target: BusinessSpan, at_risk: Option<Probability>) -> Result<Clock, Error> {
        let at_risk_ppm = match at_risk {
            None => None,
            Some(p) => {
                let ppm = p.fraction() * Decimal::from(1_000_000);
                if !ppm.fract().is_zero() {
                    return Err(Error::InvalidSla {
                        field: "at-risk threshold",
                        value: p.percent().normalize().to_string(),
                        reason: "at most four decimal places of percent are supported",
                    });
                }
                Some(ppm.to_u32().unwrap_or(1_000_000))
            }
        };
        Ok(Clock { target, at_risk, at_risk_ppm })
    }
}

/// Sales follow-up: the clock starts at [`ClockStart`], stops at the first qualifying sales
/// touch, and must stop within `target` business time (pauses extend the deadline by the paused
/// business time). With an at-risk threshold (e.g. 75%), an open instance that has used that
/// share of its target is flagged for escalation.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::Probability;
/// use revops::calendar::{BusinessCalendar, BusinessSpan};
/// use revops::sla::{ClockStart, ResponsePolicy, SlaInstance, SlaStatus};
/// use rust_decimal_macros::dec;
///
/// let calendar = BusinessCalendar::builder("America/New_York").weekdays("09:00-17:00".parse()?).build()?;
/// let policy = ResponsePolicy::new("mql_follow_up", ClockStart::Mql, BusinessSpan::hours(4))?
///     .with_at_risk(Probability::from_percent(dec!(75))?)?;
///
/// // MQL on Friday 16:00 EDT, no touch yet, as of Monday 10:30 EDT: 2.5 of 4 hours used.
/// let mql = Utc.with_ymd_and_hms(2024, 6, 7, 20, 0, 0).unwrap();
/// let as_of = Utc.with_ymd_and_hms(2024, 6, 10, 14, 30, 0).unwrap();
/// let outcome = policy.evaluate(&calendar, &SlaInstance::new(mql, None), as_of)?;
/// assert!(matches!(outcome.status, SlaStatus::Active { at_risk: false, .. }));
/// assert_eq!(outcome.deadline, Some(Utc.with_ymd_and_hms(2024, 6, 10, 16, 0, 0).unwrap()));
/// assert_eq!(outcome.elapsed_percent(), Some(dec!(62.5)));
/// assert_eq!(outcome.wall_elapsed.num_minutes(), 66 * 60 + 30);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "ResponseRepr", into = "ResponseRepr")
)]
pub struct ResponsePolicy {
    name: String,
    clock_start: ClockStart,
    clock: Clock,
}

fn check_name(name: String) -> Result<String, Error> {
    if name.trim().is_empty() || name.trim() != name || name.len() > 128 {
        return Err(Error::InvalidSla {
            field: "policy name",
            value: name,
            reason: "must be 1 to 128 bytes without leading or trailing whitespace",
        });
    }
    Ok(name)
}

impl ResponsePolicy {
    /// A response policy called `name`: the clock starts at `clock_start`, the target is
    /// `target` (working time or business days, see [`BusinessSpan`]).
    ///
    /// # Errors
    /// [`Error::InvalidSla`] if the name is empty or padded.
    pub fn new(
        name: impl Into<String>,
        clock_start: ClockStart,
        target: BusinessSpan,
    ) -> Result<ResponsePolicy, Error> {
        Ok(ResponsePolicy { name: check_name(name.into())?, clock_start, clock: Clock::new(target, None)? })
    }

    /// Flags open instances that have used at least `threshold` of their target as at risk
    /// (the `ServiceNow` escalation at X% elapsed).
    ///
    /// # Errors
    /// [`Error::InvalidSla`] if the threshold has more than four decimal places of percent.
    pub fn with_at_risk(mut self, threshold: Probability) -> Result<ResponsePolicy, Error> {
        self.clock = Clock::new(self.clock.target, Some(threshold))?;
        Ok(self)
    }

    /// The policy's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The event that starts the clock.
    #[must_use]
    pub const fn clock_start(&self) -> ClockStart {
        self.clock_start
    }

    /// The target.
    #[must_use]
    pub const fn target(&self) -> BusinessSpan {
        self.clock.target
    }

    /// The at-risk threshold, if any.
    #[must_use]
    pub const fn at_risk(&self) -> Option<Probability> {
        self.clock.at_risk
    }

    /// The instance of this policy for a lead: from its [`ClockStart`] event to its first sales
    /// touch; `None` if the start event has not happened.
    #[must_use]
    pub fn instance(&self, lead: &LeadMilestones) -> Option<SlaInstance> {
        Some(SlaInstance::new(lead.at(self.clock_start)?, lead.first_sales_touch))
    }

    /// Evaluates one instance as of `as_of` (see [`SlaOutcome`] for the rules).
    ///
    /// # Errors
    /// [`Error::StopBeforeStart`] if the stop or a pause end is before its start;
    /// [`Error::InvalidSla`] if `as_of` is before the start or pauses overlap or precede the
    /// start; calendar errors ([`Error::NoWorkingTime`], [`Error::InstantOutOfRange`]).
    pub fn evaluate<C: BusinessClock + ?Sized>(
        &self,
        clock: &C,
        instance: &SlaInstance,
        as_of: DateTime<Utc>,
    ) -> Result<SlaOutcome, Error> {
        evaluate(&self.clock, clock, instance, as_of)
    }
}

/// Disposition: every handed-over lead is accepted, rejected with a reason, or recycled within
/// `within` (typically [`BusinessSpan::business_days`]). The clock starts at the handoff and
/// stops at the disposition.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::calendar::{BusinessCalendar, BusinessSpan};
/// use revops::sla::{DispositionPolicy, SlaInstance, SlaStatus};
///
/// let calendar = BusinessCalendar::builder("Europe/London").weekdays("09:00-17:00".parse()?).build()?;
/// let policy = DispositionPolicy::new("disposition", BusinessSpan::business_days(2))?;
/// let handoff = Utc.with_ymd_and_hms(2024, 6, 3, 10, 0, 0).unwrap(); // Monday 11:00 BST
/// let rejected = Utc.with_ymd_and_hms(2024, 6, 5, 10, 0, 0).unwrap(); // Wednesday 11:00 BST
/// let outcome = policy.evaluate(&calendar, &SlaInstance::new(handoff, Some(rejected)), rejected)?;
/// assert_eq!(outcome.status, SlaStatus::Met); // exactly at the deadline
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "DispositionRepr", into = "DispositionRepr")
)]
pub struct DispositionPolicy {
    name: String,
    clock: Clock,
}

impl DispositionPolicy {
    /// A disposition policy: disposition due within `within` of the handoff.
    ///
    /// # Errors
    /// [`Error::InvalidSla`] if the name is empty or padded.
    pub fn new(name: impl Into<String>, within: BusinessSpan) -> Result<DispositionPolicy, Error> {
        Ok(DispositionPolicy { name: check_name(name.into())?, clock: Clock::new(within, None)? })
    }

    /// Flags open instances past `threshold` of their target as at risk.
    ///
    /// # Errors
    /// [`Error::InvalidSla`] if the threshold has more than four decimal places of percent.
    pub fn with_at_risk(mut self, threshold: Probability) -> Result<DispositionPolicy, Error> {
        self.clock = Clock::new(self.clock.target, Some(threshold))?;
        Ok(self)
    }

    /// The policy's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The target.
    #[must_use]
    pub const fn within(&self) -> BusinessSpan {
        self.clock.target
    }

    /// The at-risk threshold, if any.
    #[must_use]
    pub const fn at_risk(&self) -> Option<Probability> {
        self.clock.at_risk
    }

    /// Evaluates one instance (handoff to disposition) as of `as_of`.
    ///
    /// # Errors
    /// As [`ResponsePolicy::evaluate`].
    pub fn evaluate<C: BusinessClock + ?Sized>(
        &self,
        clock: &C,
        instance: &SlaInstance,
        as_of: DateTime<Utc>,
    ) -> Result<SlaOutcome, Error> {
        evaluate(&self.clock, clock, instance, as_of)
    }
}

/// What a volume commitment counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum VolumeMeasure {
    /// Marketing qualified leads delivered.
    Mqls,
    /// Sales qualified leads delivered.
    Sqls,
    /// Pipeline amount created.
    Pipeline,
}

/// The minimum of a volume commitment: a count (MQLs, SQLs) or an amount (pipeline).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum VolumeAmount {
    /// A number of leads.
    Count(u64),
    /// An amount of money.
    Amount(Money),
}

/// Marketing's volume promise: at least `minimum` of `measure` per period, optionally only
/// for one segment or tier. Evaluated per period by [`VolumeTally`](super::VolumeTally).
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
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "VolumeRepr", into = "VolumeRepr")
)]
pub struct VolumeCommitment {
    pub(super) name: String,
    measure: VolumeMeasure,
    minimum: VolumeAmount,
    segment: Option<SegmentId>,
}

impl VolumeCommitment {
    /// At least `minimum` of `measure` per period.
    ///
    /// # Errors
    /// [`Error::InvalidSla`] if the name is empty or padded, if a count is given for pipeline
    /// or an amount for MQLs or SQLs, or if a pipeline amount is negative.
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
                return Err(Error::InvalidSla {
                    field: "volume minimum",
                    value: m.to_string(),
                    reason: "must not be negative",
                });
            }
            (_, other) => {
                return Err(Error::InvalidSla {
                    field: "volume minimum",
                    value: format!("{other:?}"),
                    reason: "MQLs and SQLs take a count, pipeline takes an amount",
                });
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
/// Evaluated by [`QualityTally`](super::QualityTally).
///
/// # Example
///
/// ```
/// use revops::Probability;
/// use revops::sla::QualityCommitment;
/// use rust_decimal_macros::dec;
///
/// let quality = QualityCommitment::new("mql_quality")?
///     .min_acceptance(Probability::from_percent(dec!(70))?)
///     .min_mql_to_sql(Probability::from_percent(dec!(30))?);
/// assert!(quality.minimum_meeting_rules().is_none());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "QualityRepr", into = "QualityRepr")
)]
pub struct QualityCommitment {
    name: String,
    meeting_rules: Option<Probability>,
    acceptance: Option<Probability>,
    mql_to_sql: Option<Probability>,
}

impl QualityCommitment {
    /// A quality commitment with no minimum yet.
    ///
    /// # Errors
    /// [`Error::InvalidSla`] if the name is empty or padded.
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

/// The whole marketing/sales agreement as one piece of data: sales' response and disposition
/// promises, marketing's volume and quality promises. Every part is optional.
///
/// # Example
///
/// ```
/// use revops::calendar::BusinessSpan;
/// use revops::sla::{ClockStart, DispositionPolicy, ResponsePolicy, SlaAgreement};
///
/// let agreement = SlaAgreement {
///     response: Some(ResponsePolicy::new("follow_up", ClockStart::Mql, BusinessSpan::hours(4))?),
///     disposition: Some(DispositionPolicy::new("disposition", BusinessSpan::business_days(2))?),
///     ..SlaAgreement::default()
/// };
/// assert!(agreement.volume.is_empty());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct SlaAgreement {
    /// Sales' follow-up promise.
    #[cfg_attr(feature = "serde", serde(default))]
    pub response: Option<ResponsePolicy>,
    /// Sales' disposition promise.
    #[cfg_attr(feature = "serde", serde(default))]
    pub disposition: Option<DispositionPolicy>,
    /// Marketing's volume promises.
    #[cfg_attr(feature = "serde", serde(default))]
    pub volume: Vec<VolumeCommitment>,
    /// Marketing's quality promise.
    #[cfg_attr(feature = "serde", serde(default))]
    pub quality: Option<QualityCommitment>,
}

#[cfg(feature = "serde")]
mod wire {
    use super::{
        BusinessSpan, ClockStart, DispositionPolicy, Error, Probability, QualityCommitment, ResponsePolicy, SegmentId,
        VolumeAmount, VolumeCommitment, VolumeMeasure,
    };

    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct ResponseRepr {
        name: String,
        clock_start: ClockStart,
        target: BusinessSpan,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at_risk: Option<Probability>,
    }

    impl TryFrom<ResponseRepr> for ResponsePolicy {
        type Error = Error;
        fn try_from(r: ResponseRepr) -> Result<ResponsePolicy, Error> {
            let policy = ResponsePolicy::new(r.name, r.clock_start, r.target)?;
            match r.at_risk {
                Some(p) => policy.with_at_risk(p),
                None => Ok(policy),
            }
        }
    }

    impl From<ResponsePolicy> for ResponseRepr {
        fn from(p: ResponsePolicy) -> ResponseRepr {
            ResponseRepr { name: p.name, clock_start: p.clock_start, target: p.clock.target, at_risk: p.clock.at_risk }
        }
    }

    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct DispositionRepr {
        name: String,
        within: BusinessSpan,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at_risk: Option<Probability>,
    }

    impl TryFrom<DispositionRepr> for DispositionPolicy {
        type Error = Error;
        fn try_from(r: DispositionRepr) -> Result<DispositionPolicy, Error> {
            let policy = DispositionPolicy::new(r.name, r.within)?;
            match r.at_risk {
                Some(p) => policy.with_at_risk(p),
                None => Ok(policy),
            }
        }
    }

    impl From<DispositionPolicy> for DispositionRepr {
        fn from(p: DispositionPolicy) -> DispositionRepr {
            DispositionRepr { name: p.name, within: p.clock.target, at_risk: p.clock.at_risk }
        }
    }

    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct VolumeRepr {
        name: String,
        measure: VolumeMeasure,
        minimum: VolumeAmount,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        segment: Option<SegmentId>,
    }

    impl TryFrom<VolumeRepr> for VolumeCommitment {
        type Error = Error;
        fn try_from(r: VolumeRepr) -> Result<VolumeCommitment, Error> {
            let c = VolumeCommitment::new(r.name, r.measure, r.minimum)?;
            Ok(match r.segment {
                Some(s) => c.for_segment(s),
                None => c,
            })
        }
    }

    impl From<VolumeCommitment> for VolumeRepr {
        fn from(c: VolumeCommitment) -> VolumeRepr {
            VolumeRepr { name: c.name, measure: c.measure, minimum: c.minimum, segment: c.segment }
        }
    }

    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct QualityRepr {
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_meeting_rules: Option<Probability>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_acceptance: Option<Probability>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_mql_to_sql: Option<Probability>,
    }

    impl TryFrom<QualityRepr> for QualityCommitment {
        type Error = Error;
        fn try_from(r: QualityRepr) -> Result<QualityCommitment, Error> {
            let mut c = QualityCommitment::new(r.name)?;
            c.meeting_rules = r.min_meeting_rules;
            c.acceptance = r.min_acceptance;
            c.mql_to_sql = r.min_mql_to_sql;
            Ok(c)
        }
    }

    impl From<QualityCommitment> for QualityRepr {
        fn from(c: QualityCommitment) -> QualityRepr {
            QualityRepr {
                name: c.name,
                min_meeting_rules: c.meeting_rules,
                min_acceptance: c.acceptance,
                min_mql_to_sql: c.mql_to_sql,
            }
        }
    }
}

#[cfg(feature = "serde")]
use wire::{DispositionRepr, QualityRepr, ResponseRepr, VolumeRepr};
