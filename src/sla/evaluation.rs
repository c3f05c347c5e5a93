//! One SLA instance and its evaluation as of an instant.

use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;

use super::policy::Clock;
use crate::Error;
use crate::calendar::{BusinessClock, BusinessSpan, delta_ns, from_ns, to_ns};

/// A pause of an SLA clock, `[start, end)`; `end: None` while it lasts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Pause {
    /// When the clock was paused.
    pub start: DateTime<Utc>,
    /// When it resumed, if it has.
    pub end: Option<DateTime<Utc>>,
}

impl Pause {
    /// A pause from `start` to `end` (`None`: still paused).
    #[must_use]
    pub const fn new(start: DateTime<Utc>, end: Option<DateTime<Utc>>) -> Pause {
        Pause { start, end }
    }
}

/// One SLA instance, a plain fact: the clock started at `start`, stopped at `stop` (if it has),
/// and was paused during `pauses` (in time order, non-overlapping, none before `start`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SlaInstance {
    /// When the clock started (lead created, MQL, handoff).
    pub start: DateTime<Utc>,
    /// When it stopped (first qualifying touch, disposition), if it has.
    pub stop: Option<DateTime<Utc>>,
    /// Pauses, in time order.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Vec::is_empty"))]
    pub pauses: Vec<Pause>,
}

impl SlaInstance {
    /// An instance without pauses.
    #[must_use]
    pub const fn new(start: DateTime<Utc>, stop: Option<DateTime<Utc>>) -> SlaInstance {
        SlaInstance { start, stop, pauses: Vec::new() }
    }

    /// Adds a pause (keep them in time order).
    #[must_use]
    pub fn with_pause(mut self, pause: Pause) -> SlaInstance {
        self.pauses.push(pause);
        self
    }
}

/// Where an instance stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum SlaStatus {
    /// Stopped at or before the deadline (exactly at the deadline is met).
    Met,
    /// Stopped after the deadline, or still open after it.
    Breached {
        /// Business time past the target (net of pauses). Zero when the deadline passed while
        /// the calendar was closed (the deadline was a closing instant and the stop came
        /// before the next opening): still a breach, by zero business time.
        by: TimeDelta,
    },
    /// Open, not yet past the deadline (at the deadline itself it is still active). The elapsed
    /// percentage is [`SlaOutcome::elapsed_percent`].
    Active {
        /// Business time left until the deadline.
        remaining: TimeDelta,
        /// Whether the elapsed share has reached the policy's at-risk threshold.
        at_risk: bool,
    },
    /// Open and paused as of the evaluation: the deadline is unknown until the clock resumes.
    Paused,
}

impl SlaStatus {
    /// Whether the instance counts in compliance rates (met or breached; active and paused
    /// instances stay out).
    #[must_use]
    pub const fn is_decided(&self) -> bool {
        matches!(self, SlaStatus::Met | SlaStatus::Breached { .. })
    }
}

/// The evaluation of one instance as of an instant, with its provenance.
///
/// Rules (definitions, section 4): events after `as_of` are not known yet (a stop after
/// `as_of` counts as no stop). The deadline is the earliest instant at which the target of
/// business time, net of pauses, has elapsed (pauses extend it by their business time; a pause
/// that starts at or after the deadline extends nothing). Completion exactly at the deadline is
/// met, after it breached; open past it breached, open at or before it active. Elapsed
/// percentage = business elapsed / target (`ServiceNow`).
///
/// On the wire (feature `serde`) instants are RFC 3339 strings and durations chrono's exact
/// `[seconds, nanoseconds]` pairs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SlaOutcome {
    /// Met, breached, active or paused.
    pub status: SlaStatus,
    /// When the clock started.
    pub start: DateTime<Utc>,
    /// The deadline; `None` while paused with the target not yet used up.
    pub deadline: Option<DateTime<Utc>>,
    /// When the clock stopped, if it did by `as_of`.
    pub stop: Option<DateTime<Utc>>,
    /// The target in business time (for business days: the business time from the start to
    /// the unpaused deadline).
    pub target: TimeDelta,
    /// Business time elapsed from the start to the stop (or `as_of`), net of pauses.
    pub business_elapsed: TimeDelta,
    /// Business time spent paused (before the deadline).
    pub paused: TimeDelta,
    /// Wall-clock time from the start to the stop (or `as_of`), pauses included.
    pub wall_elapsed: TimeDelta,
}

impl SlaOutcome {
    /// Business elapsed over target in percent, rounded to two decimals half away from zero;
    /// `None` for a zero target.
    #[must_use]
    pub fn elapsed_percent(&self) -> Option<Decimal> {
        let target = Decimal::from(self.target.num_seconds());
        let elapsed = Decimal::from(self.business_elapsed.num_seconds()) * Decimal::ONE_HUNDRED;
        elapsed
            .checked_div(target)
            .map(|p| p.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero))
    }
}

fn add<C: BusinessClock + ?Sized>(clock: &C, from: DateTime<Utc>, d: TimeDelta) -> Result<DateTime<Utc>, Error> {
    clock.add(from, BusinessSpan::time(d)?)
}

/// The evaluation shared by response and disposition policies.
pub(crate) fn evaluate<C: BusinessClock + ?Sized>(
    policy: &Clock,
    clock: &C,
    instance: &SlaInstance,
    as_of: DateTime<Utc>,
) -> Result<SlaOutcome, Error> {
    let start = instance.start;
    if let Some(stop) = instance.stop
        && stop < start
    {
        return Err(Error::StopBeforeStart { what: "sla instance", start, stop });
    }
    if as_of < start {
        return Err(Error::InvalidSla {
            field: "as_of",
            value: as_of.to_rfc3339(),
            reason: "is before the instance's clock start",
        });
    }
    let stop = instance.stop.filter(|s| *s <= as_of);
    let now = stop.unwrap_or(as_of);
    let target = match policy.target.as_time() {
        Some(t) => t,
        None => clock.between(start, clock.add(start, policy.target)?)?,
    };

    let mut deadline = None;
    let mut paused_at_now = false;
    let mut paused = TimeDelta::zero();
    let elapsed_gross;
    if instance.pauses.is_empty() {
        // Fast path: one pass over the clock for the deadline and the elapsed time.
        let (d, e) = clock.deadline_and_elapsed_ns(to_ns(start)?, delta_ns(target)?, to_ns(now)?)?;
        deadline = Some(from_ns(d));
        elapsed_gross = TimeDelta::nanoseconds(e);
    } else {
        check_pauses(instance)?;
        let mut cursor = start;
        let mut left = target;
        for pause in &instance.pauses {
            if pause.start >= now {
                break; // not happened yet (or after the stop)
            }
            let candidate = add(clock, cursor, left)?;
            if candidate <= pause.start {
                deadline = Some(candidate);
                break;
            }
            left -= clock.between(cursor, pause.start)?;
            match pause.end {
                Some(end) if end <= now => {
                    paused += clock.between(pause.start, end)?;
                    cursor = end;
                }
                _ => {
                    paused += clock.between(pause.start, now)?;
                    paused_at_now = true;
                    break;
                }
            }
        }
        if deadline.is_none() && !paused_at_now {
            deadline = Some(add(clock, cursor, left)?);
        }
        elapsed_gross = clock.between(start, now)?;
    }

    let business_elapsed = elapsed_gross - paused;
    let status = match (stop, deadline) {
        (Some(_), None) => SlaStatus::Met, // stopped while paused, before the target was used up
        (Some(s), Some(d)) if s <= d => SlaStatus::Met,
        (Some(_), Some(_)) => SlaStatus::Breached { by: business_elapsed - target },
        (None, Some(d)) if as_of > d => SlaStatus::Breached { by: business_elapsed - target },
        (None, None) => SlaStatus::Paused,
        (None, Some(_)) => {
            let at_risk = policy.at_risk_ppm.is_some_and(|ppm| {
                let (e, t) = (i128::from(td_ns(business_elapsed)), i128::from(td_ns(target)));
                e * 1_000_000 >= i128::from(ppm) * t
            });
            SlaStatus::Active { remaining: target - business_elapsed, at_risk }
        }
    };
    Ok(SlaOutcome { status, start, deadline, stop, target, business_elapsed, paused, wall_elapsed: now - start })
}

/// Pauses must be in time order, not overlap, not start before the clock, and not end before
/// they start.
fn check_pauses(instance: &SlaInstance) -> Result<(), Error> {
    let mut previous_end = instance.start;
    for pause in &instance.pauses {
        if pause.start < previous_end {
            return Err(Error::InvalidSla {
                field: "pauses",
                value: pause.start.to_rfc3339(),
                reason: "must be in time order, not overlap, and not start before the clock",
            });
        }
        if let Some(end) = pause.end
            && end < pause.start
        {
            return Err(Error::StopBeforeStart { what: "sla pause", start: pause.start, stop: end });
        }
        previous_end = pause.end.unwrap_or(DateTime::<Utc>::MAX_UTC);
    }
    Ok(())
}

fn td_ns(d: TimeDelta) -> i64 {
    d.num_nanoseconds().unwrap_or(i64::MAX)
}
