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
//! # Outcomes (definitions, section 4)
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
//! use chrono::{TimeZone, Utc};
//! use revops::calendar::{BusinessCalendar, BusinessSpan};
//! use revops::facts::{Lead, Response, ResponseKind, StageChange};
//! use revops::sla::{ClockStart, LeadMilestones, MilestoneStages, ResponsePolicy, SlaStatus};
//! use revops::{LeadId, StageId};
//!
//! let calendar = BusinessCalendar::builder("America/New_York").weekdays("09:00-17:00".parse()?).build()?;
//! let policy = ResponsePolicy::new("mql_follow_up", ClockStart::Mql, BusinessSpan::hours(1))?;
//! let mql = StageId::new("mql")?;
//! let stages = MilestoneStages::new(mql.clone(), mql.clone(), StageId::new("sql")?);
//!
//! // MQL on Saturday; first call on Monday 09:45 New York time: 45 business minutes.
//! let id = LeadId::new("L-1")?;
//! let lead = Lead::new(id.clone(), Utc.with_ymd_and_hms(2024, 6, 1, 10, 0, 0).unwrap());
//! let changes = [StageChange { entity: id.clone(), stage: mql, at: Utc.with_ymd_and_hms(2024, 6, 1, 15, 0, 0).unwrap() }];
//! let calls = [Response::new(id, Utc.with_ymd_and_hms(2024, 6, 3, 13, 45, 0).unwrap(), ResponseKind::Call)];
//! let lead = LeadMilestones::from_facts(&stages, &lead, &changes, &calls, &[])?;
//! let as_of = Utc.with_ymd_and_hms(2024, 7, 1, 0, 0, 0).unwrap();
//! let outcome = policy.evaluate_lead(&calendar, &lead, as_of)?.ok_or(revops::ErrorKind::UnknownKey { kind: "example", key: "none".into() })?;
//! assert_eq!(outcome.status, SlaStatus::Met);
//! assert_eq!(outcome.business_elapsed.num_minutes(), 45);
//! assert_eq!(outcome.wall_elapsed.num_minutes(), 46 * 60 + 45);
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
pub use self::policy::{
    ClockStart, DispositionPolicy, QualityCommitment, ResponsePolicy, SlaAgreement, VolumeAmount, VolumeCommitment,
    VolumeMeasure,
};
pub use self::report::{Breach, ComplianceReport, ComplianceSummary, GroupCompliance};
pub use self::speed::{LeadResponse, SpeedToLead, SpeedToLeadSummary};

#[cfg(test)]
mod tests;
