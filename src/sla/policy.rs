//! SLA policies as data: response, disposition, volume and quality commitments, and the
//! agreement that bundles them.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

pub(super) mod escalation;
mod marketing;
pub use self::marketing::{QualityCommitment, VolumeAmount, VolumeCommitment, VolumeMeasure};
use super::evaluation::{SlaInstance, SlaOutcome, evaluate};
use super::milestones::LeadMilestones;
use crate::Record;
use crate::calendar::{BusinessClock, BusinessSpan};
use crate::facts::ResponseKind;
use crate::{Error, ErrorKind, Probability};

/// Which event starts a response clock.
///
/// # Example
///
/// ```
/// use revops::calendar::BusinessSpan;
/// use revops::facts::{Lead, StageChange};
/// use revops::sla::{ClockStart, LeadMilestones, MilestoneStages, ResponsePolicy};
/// use revops::{LeadId, StageId};
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let (id, mql) = (LeadId::new("L-7")?, StageId::new("mql")?);
/// let stages = MilestoneStages::new(mql.clone(), mql.clone(), StageId::new("sql")?);
/// let changes = [StageChange { entity: id.clone(), stage: mql, at: at("2024-07-03T16:00:00Z")? }];
/// let lead = LeadMilestones::from_facts(&stages, &Lead::new(id, at("2024-07-01T10:00:00Z")?), &changes, &[], &[])?;
/// let speed = ResponsePolicy::new("speed_to_lead", ClockStart::LeadCreated, BusinessSpan::minutes(15))?;
/// let follow_up = ResponsePolicy::new("mql_follow_up", ClockStart::Mql, BusinessSpan::hours(4))?;
/// assert_eq!(speed.instance(&lead).map(|i| i.start), Some(at("2024-07-01T10:00:00Z")?));
/// assert_eq!(follow_up.instance(&lead).map(|i| i.start), Some(at("2024-07-03T16:00:00Z")?));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ClockStart {
    /// The lead was created.
    LeadCreated,
    /// The lead became marketing qualified.
    Mql,
    /// The lead was handed to (routed to an owner in) sales.
    Handoff,
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
                    return Err(ErrorKind::InvalidValue {
                        field: "at-risk threshold",
                        value: p.percent().normalize().to_string(),
                        reason: "at most four decimal places of percent are supported",
                    }
                    .into());
                }
                Some(ppm.to_u32().unwrap_or(1_000_000))
            }
        };
        Ok(Clock { target, at_risk, at_risk_ppm })
    }
}

/// Sales follow-up: the clock starts at [`ClockStart`], stops at the first qualifying sales touch
/// at or after it, and must stop within `target` business time (pauses extend the deadline by the
/// paused business time). Every [`ResponseKind`] qualifies unless the policy names the ones that do
/// ([`ResponsePolicy::with_qualifying_touches`]). With an at-risk threshold (e.g. 75%), an open
/// instance that has used that share of its target is flagged for escalation.
///
/// From facts: [`LeadMilestones::from_facts`] derives a lead's milestones, and
/// [`ResponsePolicy::evaluate_lead`] evaluates them (or [`ResponsePolicy::instance`] gives the
/// instance, for pauses).
///
/// # Example
///
/// ```
/// use revops::Probability;
/// use revops::calendar::{BusinessCalendar, BusinessSpan};
/// use revops::sla::{ClockStart, ResponsePolicy, SlaInstance, SlaStatus};
/// use rust_decimal_macros::dec;
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let calendar = BusinessCalendar::builder("America/New_York").weekdays("09:00-17:00".parse()?).build()?;
/// let policy = ResponsePolicy::new("mql_follow_up", ClockStart::Mql, BusinessSpan::hours(4))?
///     .with_at_risk(Probability::from_percent(75)?)?;
/// assert_eq!((policy.name(), policy.clock_start(), policy.target(), policy.at_risk()), ("mql_follow_up", ClockStart::Mql, BusinessSpan::hours(4), Some(Probability::from_percent(75)?)));
///
/// // MQL on Friday 16:00 EDT, no touch yet, as of Monday 10:30 EDT: 2.5 of 4 hours used.
/// let mql = at("2024-06-07T16:00:00-04:00")?;
/// let as_of = at("2024-06-10T10:30:00-04:00")?;
/// let outcome = policy.evaluate(&calendar, &SlaInstance::new(mql, None), as_of)?;
/// assert!(matches!(outcome.status, SlaStatus::Active { at_risk: false, .. }));
/// assert_eq!(outcome.deadline, Some(at("2024-06-10T12:00:00-04:00")?));
/// assert_eq!(outcome.elapsed_percent(), Some(dec!(62.5)));
/// assert_eq!(outcome.wall_elapsed.num_minutes(), 66 * 60 + 30);
/// # Ok::<(), revops::Error>(())
/// ```
#[doc = include_str!("policy/docs/response_policy.md")]
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "wire::ResponseRepr", into = "wire::ResponseRepr")
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ResponsePolicy {
    name: String,
    clock_start: ClockStart,
    clock: Clock,
    /// The kinds of touch that stop the clock; `None`: every kind.
    qualifying: Option<BTreeSet<ResponseKind>>,
}

fn check_name(name: String) -> Result<String, Error> {
    if name.trim().is_empty() || name.trim() != name || name.len() > 128 {
        return Err(ErrorKind::InvalidValue {
            field: "policy name",
            value: name,
            reason: "must be 1 to 128 bytes without leading or trailing whitespace",
        }
        .into());
    }
    Ok(name)
}

impl ResponsePolicy {
    /// A response policy called `name`: the clock starts at `clock_start`, the target is
    /// `target` (working time or business days, see [`BusinessSpan`]).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] if the name is empty or padded.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::calendar::BusinessSpan;
    /// use revops::sla::{ClockStart, ResponsePolicy};
    /// use revops::ErrorKind;
    ///
    /// let policy = ResponsePolicy::new("speed_to_lead", ClockStart::LeadCreated, BusinessSpan::minutes(15))?;
    /// assert_eq!(policy.qualifying_touches(), None); // every kind of touch stops the clock
    /// let padded = ResponsePolicy::new(" speed_to_lead", ClockStart::LeadCreated, BusinessSpan::minutes(15));
    /// assert!(matches!(padded.as_ref().map_err(revops::Error::kind), Err(ErrorKind::InvalidValue { .. })));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new(
        name: impl Into<String>,
        clock_start: ClockStart,
        target: BusinessSpan,
    ) -> Result<ResponsePolicy, Error> {
        Ok(ResponsePolicy {
            name: check_name(name.into())?,
            clock_start,
            clock: Clock::new(target, None)?,
            qualifying: None,
        })
    }

    /// Only touches of `kinds` stop the clock (e.g. calls and meetings, not emails).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] if `kinds` is empty (no touch could ever stop the clock).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::calendar::BusinessSpan;
    /// use revops::facts::ResponseKind;
    /// use revops::sla::{ClockStart, ResponsePolicy};
    ///
    /// let policy = ResponsePolicy::new("call_back", ClockStart::Mql, BusinessSpan::hours(1))?
    ///     .with_qualifying_touches([ResponseKind::Call, ResponseKind::Meeting])?;
    /// assert!(policy.qualifies(ResponseKind::Call));
    /// assert!(!policy.qualifies(ResponseKind::Email));
    /// assert_eq!(policy.qualifying_touches().map(|k| k.len()), Some(2));
    /// let none: [ResponseKind; 0] = [];
    /// assert!(ResponsePolicy::new("x", ClockStart::Mql, BusinessSpan::hours(1))?.with_qualifying_touches(none).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn with_qualifying_touches(
        mut self,
        kinds: impl IntoIterator<Item = ResponseKind>,
    ) -> Result<ResponsePolicy, Error> {
        let kinds: BTreeSet<ResponseKind> = kinds.into_iter().collect();
        if kinds.is_empty() {
            return Err(ErrorKind::InvalidValue {
                field: "qualifying touches",
                value: "[]".to_owned(),
                reason: "name at least one response kind (or leave it out: every kind qualifies)",
            }
            .into());
        }
        self.qualifying = Some(kinds);
        Ok(self)
    }

    /// The kinds of touch that stop the clock; `None` when every kind does.
    #[must_use]
    pub const fn qualifying_touches(&self) -> Option<&BTreeSet<ResponseKind>> {
        self.qualifying.as_ref()
    }

    /// Whether a touch of `kind` stops the clock.
    #[must_use]
    pub fn qualifies(&self, kind: ResponseKind) -> bool {
        self.qualifying.as_ref().is_none_or(|kinds| kinds.contains(&kind))
    }

    /// Flags open instances that have used at least `threshold` of their target as at risk
    /// (the `ServiceNow` escalation at X% elapsed).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] if the threshold has more than four decimal places of percent.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::Probability;
    /// use revops::calendar::{BusinessCalendar, BusinessSpan, parse_date};
    /// use revops::sla::{ClockStart, ResponsePolicy, SlaInstance, SlaStatus};
    /// use rust_decimal_macros::dec;
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let calendar = BusinessCalendar::builder("America/New_York").weekdays("09:00-17:00".parse()?).holiday(parse_date("2024-07-04")?).build()?;
    /// let policy = ResponsePolicy::new("follow_up", ClockStart::Mql, BusinessSpan::hours(4))?.with_at_risk(Probability::from_percent(75)?)?;
    /// // MQL Wednesday 14:00 EDT; as of Friday 09:00 three of four business hours are used.
    /// let open = SlaInstance::new(at("2024-07-03T14:00:00-04:00")?, None);
    /// let outcome = policy.evaluate(&calendar, &open, at("2024-07-05T09:00:00-04:00")?)?;
    /// assert_eq!(outcome.status, SlaStatus::Active { remaining: chrono::TimeDelta::hours(1), at_risk: true });
    /// let too_fine = Probability::from_percent_decimal(dec!(75.00001))?;
    /// assert!(ResponsePolicy::new("follow_up", ClockStart::Mql, BusinessSpan::hours(4))?.with_at_risk(too_fine).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
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

    /// The instance of this policy for a lead: from its [`ClockStart`] event to its first
    /// qualifying sales touch at or after that event (touches before it are not follow-ups);
    /// `None` if the start event has not happened (the example on
    /// [`ResponsePolicy::evaluate_lead`] derives one).
    #[must_use]
    pub fn instance(&self, lead: &LeadMilestones) -> Option<SlaInstance> {
        let start = lead.at(self.clock_start)?;
        Some(SlaInstance::new(start, lead.first_touch(start, |kind| self.qualifies(kind))))
    }

    /// Evaluates the policy for a lead as of `as_of`: its [`ResponsePolicy::instance`],
    /// evaluated; `None` if the start event has not happened by `as_of`.
    ///
    /// # Errors
    /// an error about the record ([`Error::record`](crate::Error::record)) naming the lead, with the evaluation's error as the cause
    /// (calendar errors for instants outside the clock's range).
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::TimeDelta;
    /// use revops::calendar::{BusinessCalendar, BusinessSpan};
    /// use revops::facts::{Lead, Response, ResponseKind, StageChange};
    /// use revops::sla::{ClockStart, LeadMilestones, MilestoneStages, ResponsePolicy, SlaStatus};
    /// use revops::{LeadId, StageId};
    /// # fn instant(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let calendar = BusinessCalendar::builder("UTC").weekdays("09:00-17:00".parse()?).build()?;
    /// let policy = ResponsePolicy::new("follow_up", ClockStart::Mql, BusinessSpan::hours(2))?
    ///     .with_qualifying_touches([ResponseKind::Call])?;
    /// let monday = instant("2024-06-03T00:00:00Z")?;
    /// let at = |h, m| monday + TimeDelta::hours(h) + TimeDelta::minutes(m);
    /// let id = LeadId::new("L-7")?;
    /// let mql = StageId::new("mql")?;
    /// let stages = MilestoneStages::new(mql.clone(), mql.clone(), StageId::new("sql")?);
    /// let changes = [StageChange { entity: id.clone(), stage: mql, at: at(10, 0) }];
    /// let touches = [
    ///     Response::new(id.clone(), at(9, 30), ResponseKind::Call), // before the MQL: no follow-up
    ///     Response::new(id.clone(), at(10, 30), ResponseKind::Email), // does not qualify
    ///     Response::new(id.clone(), at(12, 30), ResponseKind::Call),
    /// ];
    /// let lead = LeadMilestones::from_facts(&stages, &Lead::new(id, at(9, 0)), &changes, &touches, &[])?;
    /// assert_eq!(policy.instance(&lead).map(|i| (i.start, i.stop)), Some((at(10, 0), Some(at(12, 30)))));
    /// let outcome = policy.evaluate_lead(&calendar, &lead, at(17, 0))?;
    /// assert_eq!(outcome.map(|o| o.status), Some(SlaStatus::Breached { by: TimeDelta::minutes(30) })); // 2.5 business hours
    /// assert_eq!(outcome.map(|o| o.business_elapsed), Some(TimeDelta::minutes(150)));
    /// // Before the MQL there is nothing to evaluate.
    /// assert_eq!(policy.evaluate_lead(&calendar, &lead, at(9, 30))?, None);
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn evaluate_lead<C: BusinessClock + ?Sized>(
        &self,
        clock: &C,
        lead: &LeadMilestones,
        as_of: DateTime<Utc>,
    ) -> Result<Option<SlaOutcome>, Error> {
        evaluate_lead(&self.clock, clock, lead, self.instance(lead), as_of)
    }

    /// Evaluates one instance as of `as_of` (see [`SlaOutcome`] for the rules).
    ///
    /// # Errors
    /// [`ErrorKind::StopBeforeStart`] if the stop or a pause end is before its start;
    /// [`ErrorKind::InvalidValue`] if `as_of` is before the start or pauses overlap or precede the
    /// start; calendar errors ([`ErrorKind::NoWorkingTime`], [`ErrorKind::InstantOutOfRange`]).
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::TimeDelta;
    /// use revops::calendar::{BusinessCalendar, BusinessSpan, parse_date};
    /// use revops::sla::{ClockStart, ResponsePolicy, SlaInstance, SlaStatus};
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let calendar = BusinessCalendar::builder("America/New_York").weekdays("09:00-17:00".parse()?).holiday(parse_date("2024-07-04")?).build()?;
    /// let policy = ResponsePolicy::new("follow_up", ClockStart::Handoff, BusinessSpan::hours(3))?;
    /// // Routed Wednesday 15:30 EDT, called Friday 10:15: 1.5 h + 1.25 h of business time, met.
    /// let instance = SlaInstance::new(at("2024-07-03T15:30:00-04:00")?, Some(at("2024-07-05T10:15:00-04:00")?));
    /// let outcome = policy.evaluate(&calendar, &instance, at("2024-07-08T00:00:00Z")?)?;
    /// assert_eq!(outcome.status, SlaStatus::Met);
    /// assert_eq!(outcome.deadline, Some(at("2024-07-05T10:30:00-04:00")?));
    /// assert_eq!(outcome.business_elapsed, TimeDelta::minutes(165));
    /// let outcome = policy.evaluate(&calendar, &instance, at("2024-07-04T12:00:00-04:00")?)?; // a later stop is not known yet
    /// assert_eq!((outcome.stop, outcome.status.is_decided()), (None, false));
    /// // As of a time before the start: an error.
    /// assert!(policy.evaluate(&calendar, &instance, at("2024-07-03T12:00:00-04:00")?).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
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
/// stops at the disposition (from facts: [`LeadMilestones::from_facts`], then
/// [`DispositionPolicy::evaluate_lead`]).
///
/// # Example
///
/// ```
/// use revops::calendar::{BusinessCalendar, BusinessSpan, parse_date};
/// use revops::sla::{DispositionPolicy, SlaInstance, SlaStatus};
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// // London, weekdays 09:00-17:30, the late-summer bank holiday (Monday 26 August 2024) off.
/// let calendar = BusinessCalendar::builder("Europe/London")
///     .weekdays("09:00-17:30".parse()?)
///     .holiday(parse_date("2024-08-26")?)
///     .build()?;
/// let policy = DispositionPolicy::new("disposition", BusinessSpan::business_days(2))?;
/// assert_eq!((policy.name(), policy.within(), policy.at_risk()), ("disposition", BusinessSpan::business_days(2), None));
/// let handoff = at("2024-08-23T11:00:00+01:00")?; // Friday 11:00 BST
/// let rejected = at("2024-08-28T11:00:00+01:00")?; // Wednesday 11:00 BST: Monday was a holiday
/// let outcome = policy.evaluate(&calendar, &SlaInstance::new(handoff, Some(rejected)), rejected)?;
/// assert_eq!(outcome.deadline, Some(rejected));
/// assert_eq!(outcome.status, SlaStatus::Met); // exactly at the deadline
/// # Ok::<(), revops::Error>(())
/// ```
#[doc = include_str!("policy/docs/disposition_policy.md")]
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "wire::DispositionRepr", into = "wire::DispositionRepr")
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DispositionPolicy {
    name: String,
    clock: Clock,
}

impl DispositionPolicy {
    /// A disposition policy: disposition due within `within` of the handoff.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] if the name is empty or padded.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::calendar::BusinessSpan;
    /// use revops::sla::DispositionPolicy;
    ///
    /// assert_eq!(DispositionPolicy::new("accept_or_reject", BusinessSpan::business_days(1))?.name(), "accept_or_reject");
    /// assert!(DispositionPolicy::new("", BusinessSpan::business_days(1)).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new(name: impl Into<String>, within: BusinessSpan) -> Result<DispositionPolicy, Error> {
        Ok(DispositionPolicy { name: check_name(name.into())?, clock: Clock::new(within, None)? })
    }

    /// Flags open instances past `threshold` of their target as at risk.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] if the threshold has more than four decimal places of percent.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::Probability;
    /// use revops::calendar::BusinessSpan;
    /// use revops::sla::DispositionPolicy;
    /// use rust_decimal_macros::dec;
    ///
    /// let policy = DispositionPolicy::new("disposition", BusinessSpan::business_days(2))?;
    /// let half = Probability::from_percent(50)?;
    /// assert_eq!(policy.clone().with_at_risk(half)?.at_risk(), Some(half));
    /// assert!(policy.with_at_risk(Probability::from_percent_decimal(dec!(33.333333))?).is_err()); // too fine
    /// # Ok::<(), revops::Error>(())
    /// ```
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

    /// The instance of this policy for a lead: from its handoff to its first disposition;
    /// `None` if it was not handed over.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::calendar::{BusinessCalendar, BusinessSpan, parse_date};
    /// use revops::facts::{Disposition, DispositionOutcome, Lead, Reason, StageChange};
    /// use revops::sla::{DispositionPolicy, LeadMilestones, MilestoneStages, SlaStatus};
    /// use revops::{LeadId, StageId};
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let id = LeadId::new("L-5")?;
    /// let (mql, sal) = (StageId::new("mql")?, StageId::new("sal")?);
    /// let stages = MilestoneStages::new(mql.clone(), sal.clone(), StageId::new("sql")?);
    /// let changes = [
    ///     StageChange { entity: id.clone(), stage: mql, at: at("2024-07-02T10:00:00-04:00")? },
    ///     StageChange { entity: id.clone(), stage: sal, at: at("2024-07-03T10:00:00-04:00")? },
    /// ];
    /// let outcome = DispositionOutcome::Rejected { reason: Reason::NoBudget };
    /// let rejected = [Disposition { lead: id.clone(), at: at("2024-07-05T12:00:00-04:00")?, outcome }];
    /// let lead = LeadMilestones::from_facts(&stages, &Lead::new(id, at("2024-07-01T09:00:00Z")?), &changes, &[], &rejected)?;
    /// let policy = DispositionPolicy::new("disposition", BusinessSpan::business_days(1))?;
    /// // From the handoff stage (SAL), not the MQL, to the rejection.
    /// let instance = policy.instance(&lead);
    /// assert_eq!(instance.map(|i| (i.start, i.stop)), Some((at("2024-07-03T10:00:00-04:00")?, Some(rejected[0].at))));
    /// // One business day after Wednesday 10:00 EDT is Friday 10:00 (Thursday is a holiday): breached.
    /// let calendar = BusinessCalendar::builder("America/New_York").weekdays("09:00-17:00".parse()?).holiday(parse_date("2024-07-04")?).build()?;
    /// let evaluated = policy.evaluate_lead(&calendar, &lead, at("2024-07-08T00:00:00Z")?)?;
    /// assert_eq!(evaluated.and_then(|o| o.deadline), Some(at("2024-07-05T10:00:00-04:00")?));
    /// assert_eq!(evaluated.map(|o| o.status), Some(SlaStatus::Breached { by: chrono::TimeDelta::hours(2) }));
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn instance(&self, lead: &LeadMilestones) -> Option<SlaInstance> {
        Some(SlaInstance::new(lead.handoff()?, lead.disposition().map(|(at, _)| at)))
    }

    /// Evaluates the policy for a lead as of `as_of`: its [`DispositionPolicy::instance`],
    /// evaluated; `None` if it was not handed over by `as_of` (the example on
    /// [`DispositionPolicy::instance`] evaluates a lead across a holiday).
    ///
    /// # Errors
    /// As [`ResponsePolicy::evaluate_lead`].
    pub fn evaluate_lead<C: BusinessClock + ?Sized>(
        &self,
        clock: &C,
        lead: &LeadMilestones,
        as_of: DateTime<Utc>,
    ) -> Result<Option<SlaOutcome>, Error> {
        evaluate_lead(&self.clock, clock, lead, self.instance(lead), as_of)
    }

    /// Evaluates one instance (handoff to disposition) as of `as_of` (the example on
    /// [`DispositionPolicy`] evaluates one across a bank holiday).
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

/// A lead's instance evaluated as of `as_of`, errors naming the lead; `None` before its start.
fn evaluate_lead<C: BusinessClock + ?Sized>(
    policy: &Clock,
    clock: &C,
    lead: &LeadMilestones,
    instance: Option<SlaInstance>,
    as_of: DateTime<Utc>,
) -> Result<Option<SlaOutcome>, Error> {
    let Some(instance) = instance.filter(|i| i.start <= as_of) else { return Ok(None) };
    evaluate(policy, clock, &instance, as_of).map(Some).map_err(|cause| cause.about(Record::Lead(lead.lead().clone())))
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
#[doc = include_str!("policy/docs/sla_agreement.md")]
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
mod wire;
