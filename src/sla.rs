//! Service-level agreements between marketing and sales, measured in business time.
//!
//! Buyers tend to go with the vendor that answers first, yet B2B response times average more
//! than 40 hours. The SLA turns the two teams' promises into data ([`SlaAgreement`]) and
//! evaluates them over facts, as of an instant the caller gives:
//!
//! | promise | by | type | evaluated with |
//! | --- | --- | --- | --- |
//! | follow up within H business hours of lead creation, MQL or handoff | sales | [`ResponsePolicy`] | [`ResponsePolicy::evaluate_lead`] -> [`SlaOutcome`] |
//! | accept, reject (with a reason) or recycle within D business days | sales | [`DispositionPolicy`] | [`DispositionPolicy::evaluate_lead`] -> [`SlaOutcome`] |
//! | at least N MQLs, SQLs or pipeline per period (per segment or tier) | marketing | [`VolumeCommitment`] | [`VolumeTally`] -> [`VolumeResult`] |
//! | MQLs meet the rules; acceptance >= X%; MQL-to-SQL >= Y% | marketing | [`QualityCommitment`] | [`QualityTally`] -> [`QualityResult`] |
//!
//! # From facts
//!
//! The SLAs read the crate's [facts](crate::facts): a lead's [`Lead`](crate::facts::Lead),
//! [`StageChange`](crate::facts::StageChange)s, [`Response`](crate::facts::Response)s and
//! [`Disposition`](crate::facts::Disposition)s. [`LeadMilestones::from_facts`] (one lead) and
//! [`LeadMilestones::from_fact_set`] (every lead of a [`FactSet`](crate::facts::FactSet))
//! derive the instants the clocks start and stop at, given the [`MilestoneStages`] the
//! caller's funnel uses, and refuse facts out of order (an MQL before the lead was created)
//! with an error naming the lead. From the milestones, [`ResponsePolicy::evaluate_lead`] and
//! [`DispositionPolicy::evaluate_lead`] evaluate the sales promises and
//! [`QualityFact::from_milestones`] feeds the quality commitment. [`SlaInstance`] and the
//! policies' `evaluate` remain for instances the caller builds itself (with pauses).
//!
//! Time is business time on a [`BusinessClock`](crate::calendar::BusinessClock): a
//! [`BusinessCalendar`](crate::calendar::BusinessCalendar), or a
//! [`BusinessTimeline`](crate::calendar::BusinessTimeline) for millions of evaluations.
//!
//! # Outcomes ([definitions, section 4](crate::definitions::sla))
//!
//! Each instance is [`SlaStatus::Met`], [`SlaStatus::Breached`] (by how much business time),
//! [`SlaStatus::Active`] (remaining time, at risk or not) or [`SlaStatus::Paused`], with its
//! start, deadline, stop, business and wall-clock elapsed time. Completion exactly at the
//! deadline is met, after it breached; open past it breached. Pauses extend the deadline by the
//! paused business time (Salesforce: elapsed = elapsed - stopped).
//!
//! # Reports
//!
//! [`ComplianceReport`] groups outcomes by any key (owner, team, `(period, team)`): compliance
//! = met / (met + breached) as a [`Ratio`](crate::Ratio) (active and paused instances stay out),
//! median and p90 response in business time, share within target, and the breaches.
//! [`SpeedToLead`] is the speed-to-lead figure on its own (median, p90, share within target,
//! counts), an accumulator the metrics module reuses. All accumulators implement
//! [`Tally`](crate::Tally) (`push`, `merge`: associative, commutative, and an
//! [`ErrorKind::DefinitionMismatch`](crate::ErrorKind::DefinitionMismatch) for another target, commitment
//! or period; `finish`), and with the `serde` feature their partial states serialize and are
//! checked when deserialized. Outcomes, pauses and instances have public fields, so they are
//! checked before use: on deserialize and, for outcomes, at every push
//! ([`SlaOutcome::check`]).
//!
//! # Example
//!
//! ```
//! use chrono::TimeDelta;
//! use revops::calendar::{BusinessCalendar, BusinessSpan, parse_date};
//! use revops::facts::{Lead, Response, ResponseKind, StageChange};
//! use revops::sla::{ClockStart, LeadMilestones, MilestoneStages, ResponsePolicy, SlaStatus};
//! use revops::{LeadId, StageId};
//! # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
//!
//! // New York, weekdays 09:00-17:00, Independence Day off.
//! let calendar = BusinessCalendar::builder("America/New_York")
//!     .weekdays("09:00-17:00".parse()?)
//!     .holiday(parse_date("2024-07-04")?)
//!     .build()?;
//! let policy = ResponsePolicy::new("mql_follow_up", ClockStart::Mql, BusinessSpan::hours(1))?;
//! let mql = StageId::new("mql")?;
//! let stages = MilestoneStages::new(mql.clone(), mql.clone(), StageId::new("sql")?);
//!
//! // MQL on Wednesday 3 July at 16:30; first call on Friday 09:15 New York time: 30 business
//! // minutes on Wednesday, none on the holiday, 15 on Friday.
//! let id = LeadId::new("L-1")?;
//! let lead = Lead::new(id.clone(), at("2024-07-03T10:00:00-04:00")?);
//! let changes = [StageChange { entity: id.clone(), stage: mql, at: at("2024-07-03T16:30:00-04:00")? }];
//! let calls = [Response::new(id, at("2024-07-05T09:15:00-04:00")?, ResponseKind::Call)];
//! let lead = LeadMilestones::from_facts(&stages, &lead, &changes, &calls, &[])?;
//! let outcome = policy.evaluate_lead(&calendar, &lead, at("2024-07-08T00:00:00Z")?)?;
//! assert_eq!(outcome.map(|o| o.status), Some(SlaStatus::Met));
//! assert_eq!(outcome.and_then(|o| o.deadline), Some(at("2024-07-05T09:30:00-04:00")?));
//! assert_eq!(outcome.map(|o| o.business_elapsed), Some(TimeDelta::minutes(45)));
//! assert_eq!(outcome.map(|o| o.wall_elapsed), Some(TimeDelta::hours(40) + TimeDelta::minutes(45)));
//! # Ok::<(), revops::Error>(())
//! ```

mod commitment;
mod evaluation;
mod milestones;
mod policy;
mod report;
mod speed;

pub use self::commitment::{
    QualityCheck, QualityFact, QualityMetric, QualityResult, QualityTally, VolumeFact, VolumeResult, VolumeTally,
};
pub use self::evaluation::{Pause, SlaInstance, SlaOutcome, SlaStatus};
pub use self::milestones::{LeadMilestones, MilestoneStages};
pub use self::policy::escalation::SlaEscalation;
pub use self::policy::{
    ClockStart, DispositionPolicy, QualityCommitment, ResponsePolicy, SlaAgreement, VolumeAmount, VolumeCommitment,
    VolumeMeasure,
};
pub use self::report::{Breach, ComplianceReport, ComplianceSummary, GroupCompliance};
pub use self::speed::{LeadResponse, SpeedToLead, SpeedToLeadSummary};

#[cfg(test)]
mod tests;
