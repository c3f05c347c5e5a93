//! SLA escalation: the instants at which an open instance becomes at risk and breaches, so a
//! service can set timers instead of polling.

use chrono::{DateTime, Utc};

use super::{Clock, DispositionPolicy, ResponsePolicy};
use crate::calendar::{BusinessClock, from_ns, to_ns, wide_ns};
use crate::sla::evaluation::{SlaInstance, SlaStatus, evaluate, reach};
use crate::{Error, ErrorKind};

/// When an instance, seen as of an instant, escalates if nothing else happens (no stop, no new
/// pause): the timers a service sets instead of polling.
///
/// - **At risk at**: the earliest instant at which the business time elapsed since the clock
///   start, net of pauses, reaches the policy's at-risk threshold of the target, rounded up to
///   the nanosecond (`ceil(threshold x target)`): evaluating at that instant reports
///   [`SlaStatus::Active`] with `at_risk: true`, one nanosecond before it `at_risk: false`.
///   `None` without a threshold.
/// - **Breach at**: one nanosecond after the deadline ([`SlaOutcome::deadline`](super::super::SlaOutcome::deadline)):
///   completion exactly at the deadline is met, so the first instant at which an evaluation
///   reports [`SlaStatus::Breached`] is the next one. Evaluating at the deadline itself reports
///   [`SlaStatus::Active`].
/// - Both are business-time instants on the instance's calendar (its weekends, holidays and
///   DST changes), pushed later by the business time of the pauses that ended by `as_of`. They
///   may lie at or before `as_of`: an instance already at risk or breached reports when that
///   happened.
/// - **Paused**: while a pause lasts at `as_of` (and the target is not yet used up) the instants
///   are not defined: they depend on when the clock resumes, which is not known yet. Evaluate
///   again when it does.
/// - **Stopped**: an instance stopped by `as_of` (met or breached) has no timer.
///
/// # Example
///
/// ```
/// use revops::Probability;
/// use revops::calendar::{BusinessCalendar, BusinessSpan};
/// use revops::sla::{ClockStart, Pause, ResponsePolicy, SlaEscalation, SlaInstance};
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let calendar = BusinessCalendar::builder("America/New_York").weekdays("09:00-17:00".parse()?).build()?;
/// let policy = ResponsePolicy::new("mql_follow_up", ClockStart::Mql, BusinessSpan::hours(4))?
///     .with_at_risk(Probability::from_percent(75)?)?;
/// // MQL Friday 15:00 EDT: 2 hours on Friday, then the weekend; 3 hours (75%) are used up
/// // Monday 10:00, all 4 Monday 11:00.
/// let mql = SlaInstance::new(at("2024-06-07T15:00:00-04:00")?, None);
/// let timers = policy.escalation(&calendar, &mql, at("2024-06-07T15:30:00-04:00")?)?;
/// let breach = at("2024-06-10T11:00:00-04:00")? + chrono::TimeDelta::nanoseconds(1);
/// assert_eq!(timers, SlaEscalation::Open { at_risk_at: Some(at("2024-06-10T10:00:00-04:00")?), breach_at: breach });
/// // Waiting on the buyer since Friday 16:00: no timer until the clock resumes.
/// let waiting = mql.with_pause(Pause::new(at("2024-06-07T16:00:00-04:00")?, None));
/// assert_eq!(policy.escalation(&calendar, &waiting, at("2024-06-07T16:30:00-04:00")?)?, SlaEscalation::Paused);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum SlaEscalation {
    /// Open and running at `as_of` (or open and past its deadline).
    Open {
        /// The first instant an evaluation reports at risk; `None` without a threshold.
        at_risk_at: Option<DateTime<Utc>>,
        /// The first instant an evaluation reports breached: one nanosecond after the deadline.
        breach_at: DateTime<Utc>,
    },
    /// Paused at `as_of` before the target was used up: the instants depend on the resumption.
    Paused,
    /// Stopped by `as_of`: decided, no timer.
    Stopped,
}

/// The escalation of `instance` under `policy` as of `as_of`.
fn escalation<C: BusinessClock + ?Sized>(
    policy: &Clock,
    clock: &C,
    instance: &SlaInstance,
    as_of: DateTime<Utc>,
) -> Result<SlaEscalation, Error> {
    let outcome = evaluate(policy, clock, instance, as_of)?;
    if outcome.stop.is_some() {
        return Ok(SlaEscalation::Stopped);
    }
    let (SlaStatus::Active { .. } | SlaStatus::Breached { .. }, Some(deadline)) = (outcome.status, outcome.deadline)
    else {
        return Ok(SlaEscalation::Paused);
    };
    let overflow = || ErrorKind::Overflow { op: "sla escalation" };
    let breach_at = from_ns(to_ns(deadline)?.checked_add(1).ok_or_else(overflow)?);
    let at_risk_at = match policy.at_risk_ppm {
        None => None,
        Some(ppm) => {
            // The target is below 2^94 ns and the threshold at most 10^6: no overflow in `i128`.
            let need = (i128::from(ppm) * wide_ns(outcome.target) + 999_999) / 1_000_000;
            let start_ns = to_ns(instance.start)?;
            let at = if instance.pauses.is_empty() {
                clock.add_wide_ns(start_ns, need)?
            } else {
                // `need` is at most the target, used up by the deadline, so before any pause
                // lasting at `as_of` (the pauses were checked by `evaluate`): the walk reaches it.
                match reach(clock, instance, start_ns, need, as_of)?.at {
                    Some(at) => at,
                    None => return Ok(SlaEscalation::Paused),
                }
            };
            Some(from_ns(at))
        }
    };
    Ok(SlaEscalation::Open { at_risk_at, breach_at })
}

impl ResponsePolicy {
    /// When `instance`, seen as of `as_of`, becomes at risk and breaches if nothing else happens
    /// ([`SlaEscalation`] has the rules and an example).
    ///
    /// # Errors
    /// As [`ResponsePolicy::evaluate`]; [`ErrorKind::Overflow`] for a deadline at the end of
    /// the range of instants.
    pub fn escalation<C: BusinessClock + ?Sized>(
        &self,
        clock: &C,
        instance: &SlaInstance,
        as_of: DateTime<Utc>,
    ) -> Result<SlaEscalation, Error> {
        escalation(&self.clock, clock, instance, as_of)
    }
}

impl DispositionPolicy {
    /// When `instance`, seen as of `as_of`, becomes at risk and breaches if nothing else happens
    /// ([`SlaEscalation`] has the rules).
    ///
    /// # Errors
    /// As [`DispositionPolicy::evaluate`]; [`ErrorKind::Overflow`] for a deadline at the end of
    /// the range of instants.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::Probability;
    /// use revops::calendar::{BusinessCalendar, BusinessSpan};
    /// use revops::sla::{DispositionPolicy, SlaEscalation, SlaInstance};
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let calendar = BusinessCalendar::builder("Europe/London").weekdays("09:00-17:00".parse()?).build()?;
    /// let policy = DispositionPolicy::new("disposition", BusinessSpan::business_days(1))?
    ///     .with_at_risk(Probability::from_percent(50)?)?;
    /// // Handed over Monday 13:00 BST: the day's 8 hours end Tuesday 13:00, half of them Monday 17:00.
    /// let handoff = SlaInstance::new(at("2024-06-03T13:00:00+01:00")?, None);
    /// let SlaEscalation::Open { at_risk_at, breach_at } = policy.escalation(&calendar, &handoff, at("2024-06-03T14:00:00+01:00")?)?
    /// else { return Ok(()) };
    /// assert_eq!(at_risk_at, Some(at("2024-06-03T17:00:00+01:00")?));
    /// assert_eq!(breach_at - at("2024-06-04T13:00:00+01:00")?, chrono::TimeDelta::nanoseconds(1));
    /// // Accepted Tuesday 10:00: stopped, no timer.
    /// let accepted = SlaInstance::new(handoff.start, Some(at("2024-06-04T10:00:00+01:00")?));
    /// assert_eq!(policy.escalation(&calendar, &accepted, at("2024-06-04T12:00:00+01:00")?)?, SlaEscalation::Stopped);
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn escalation<C: BusinessClock + ?Sized>(
        &self,
        clock: &C,
        instance: &SlaInstance,
        as_of: DateTime<Utc>,
    ) -> Result<SlaEscalation, Error> {
        escalation(&self.clock, clock, instance, as_of)
    }
}

#[cfg(test)]
mod tests;
