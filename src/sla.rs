//! Service-level agreements between marketing and sales, measured in business time.
//!
//! Buyers tend to go with the vendor that answers first, yet B2B response times average more
//! than 40 hours. The SLA turns the two teams' promises into data ([`SlaAgreement`]) and
//! evaluates them over facts, as of an instant the caller gives:
//!
//! | promise | by | type | evaluated with |
//! | --- | --- | --- | --- |
//! | follow up within H business hours of lead creation, MQL or handoff | sales | [`ResponsePolicy`] | [`ResponsePolicy::evaluate`] -> [`SlaOutcome`] |
//! | accept, reject (with a reason) or recycle within D business days | sales | [`DispositionPolicy`] | [`DispositionPolicy::evaluate`] -> [`SlaOutcome`] |
//! | at least N MQLs, SQLs or pipeline per period (per segment or tier) | marketing | [`VolumeCommitment`] | [`VolumeTally`] -> [`VolumeResult`] |
//! | MQLs meet the rules; acceptance >= X%; MQL-to-SQL >= Y% | marketing | [`QualityCommitment`] | [`QualityTally`] -> [`QualityResult`] |
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
//! [`Error::DefinitionMismatch`](crate::Error::DefinitionMismatch) for another target, commitment
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
//! use revops::sla::{ClockStart, LeadMilestones, ResponsePolicy, SlaStatus};
//!
//! let calendar = BusinessCalendar::builder("America/New_York").weekdays("09:00-17:00".parse()?).build()?;
//! let policy = ResponsePolicy::new("mql_follow_up", ClockStart::Mql, BusinessSpan::hours(1))?;
//!
//! // MQL on Saturday; first call on Monday 09:45 New York time: 45 business minutes.
//! let mut lead = LeadMilestones::new(Utc.with_ymd_and_hms(2024, 6, 1, 10, 0, 0).unwrap());
//! lead.mql = Some(Utc.with_ymd_and_hms(2024, 6, 1, 15, 0, 0).unwrap());
//! lead.first_sales_touch = Some(Utc.with_ymd_and_hms(2024, 6, 3, 13, 45, 0).unwrap());
//! let instance = policy.instance(&lead).ok_or(revops::Error::Overflow { op: "no mql" })?;
//! let outcome = policy.evaluate(&calendar, &instance, Utc.with_ymd_and_hms(2024, 7, 1, 0, 0, 0).unwrap())?;
//! assert_eq!(outcome.status, SlaStatus::Met);
//! assert_eq!(outcome.business_elapsed.num_minutes(), 45);
//! assert_eq!(outcome.wall_elapsed.num_minutes(), 46 * 60 + 45);
//! # Ok::<(), revops::Error>(())
//! ```

mod commitment;
mod evaluation;
mod policy;
mod report;
mod speed;

pub use self::commitment::{
    Disposition, QualityCheck, QualityFact, QualityMetric, QualityResult, QualityTally, VolumeFact, VolumeResult,
    VolumeTally,
};
pub use self::evaluation::{Pause, SlaInstance, SlaOutcome, SlaStatus};
pub use self::policy::{
    ClockStart, DispositionPolicy, LeadMilestones, QualityCommitment, ResponsePolicy, SlaAgreement, VolumeAmount,
    VolumeCommitment, VolumeMeasure,
};
pub use self::report::{Breach, ComplianceReport, ComplianceSummary, GroupCompliance};
pub use self::speed::{LeadResponse, SpeedToLead, SpeedToLeadSummary};

#[cfg(test)]
mod tests;
