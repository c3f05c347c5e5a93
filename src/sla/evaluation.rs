//! One SLA instance and its evaluation as of an instant.

use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;

use super::policy::Clock;
use crate::calendar::{BusinessClock, delta_from_ns, from_ns, to_ns, wide_ns};
use crate::{Error, ErrorKind};

/// A pause of an SLA clock, `[start, end)`; `end: None` while it lasts.
///
/// Deserializing checks that the pause does not end before it starts.
///
/// # Example
///
/// ```
/// use chrono::TimeDelta;
/// use revops::calendar::{BusinessCalendar, BusinessSpan, parse_date};
/// use revops::sla::{ClockStart, Pause, ResponsePolicy, SlaInstance, SlaStatus};
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// // New York, weekdays 09:00-17:00, Independence Day (Thursday 4 July 2024) off.
/// let calendar = BusinessCalendar::builder("America/New_York")
///     .weekdays("09:00-17:00".parse()?)
///     .holiday(parse_date("2024-07-04")?)
///     .build()?;
/// let policy = ResponsePolicy::new("handoff_follow_up", ClockStart::Handoff, BusinessSpan::hours(4))?;
/// // Handed over Wednesday 15:00 EDT; waiting on the buyer from 16:00 until Friday 10:00.
/// let waiting = Pause::new(at("2024-07-03T16:00:00-04:00")?, Some(at("2024-07-05T10:00:00-04:00")?));
/// let instance = SlaInstance::new(at("2024-07-03T15:00:00-04:00")?, Some(at("2024-07-05T12:30:00-04:00")?))
///     .with_pause(waiting);
/// let outcome = policy.evaluate(&calendar, &instance, at("2024-07-08T00:00:00Z")?)?;
/// // 1 business hour before the pause, 2 paused (Wednesday 16-17, Friday 9-10; the holiday is closed):
/// // the deadline moves from Friday 11:00 to 13:00, and the 12:30 call meets it.
/// assert_eq!(outcome.deadline, Some(at("2024-07-05T13:00:00-04:00")?));
/// assert_eq!(outcome.status, SlaStatus::Met);
/// assert_eq!((outcome.paused, outcome.business_elapsed), (TimeDelta::hours(2), TimeDelta::minutes(210)));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(try_from = "wire::PauseRepr"))]
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
///
/// Deserializing checks the same rules as evaluation (the stop and each pause end not before
/// their start, pauses in order, not overlapping, none before the clock start).
///
/// # Example
///
/// ```
/// use chrono::TimeDelta;
/// use revops::calendar::{BusinessCalendar, BusinessSpan, parse_date};
/// use revops::sla::{DispositionPolicy, Pause, SlaInstance, SlaStatus};
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// // New York, weekdays 09:00-17:00, Independence Day (Thursday 4 July 2024) off.
/// let calendar = BusinessCalendar::builder("America/New_York")
///     .weekdays("09:00-17:00".parse()?)
///     .holiday(parse_date("2024-07-04")?)
///     .build()?;
/// let policy = DispositionPolicy::new("disposition", BusinessSpan::hours(8))?;
/// let handoff = at("2024-07-03T13:00:00-04:00")?; // Wednesday 13:00 EDT
/// let open = SlaInstance::new(handoff, None);
/// assert_eq!((open.stop, open.pauses.len()), (None, 0));
/// // Open as of Friday 10:00: 4 hours Wednesday, the holiday, 1 hour Friday.
/// let outcome = policy.evaluate(&calendar, &open, at("2024-07-05T10:00:00-04:00")?)?;
/// assert_eq!(outcome.status, SlaStatus::Active { remaining: TimeDelta::hours(3), at_risk: false });
/// assert_eq!(outcome.deadline, Some(at("2024-07-05T13:00:00-04:00")?));
/// // Paused since Friday 09:30 and not resumed: no deadline yet.
/// let paused = open.with_pause(Pause::new(at("2024-07-05T09:30:00-04:00")?, None));
/// let outcome = policy.evaluate(&calendar, &paused, at("2024-07-05T10:00:00-04:00")?)?;
/// assert_eq!((outcome.status, outcome.deadline), (SlaStatus::Paused, None));
/// assert_eq!(outcome.business_elapsed, TimeDelta::minutes(4 * 60 + 30));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(try_from = "wire::InstanceRepr"))]
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
///
/// # Example
///
/// ```
/// use chrono::TimeDelta;
/// use revops::calendar::{BusinessCalendar, BusinessSpan, parse_date};
/// use revops::sla::{ClockStart, ResponsePolicy, SlaInstance, SlaStatus};
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// // New York, weekdays 09:00-17:00, Independence Day (Thursday 4 July 2024) off.
/// let calendar = BusinessCalendar::builder("America/New_York")
///     .weekdays("09:00-17:00".parse()?)
///     .holiday(parse_date("2024-07-04")?)
///     .build()?;
/// let policy = ResponsePolicy::new("mql_follow_up", ClockStart::Mql, BusinessSpan::hours(2))?;
/// // MQL Wednesday 16:00 EDT; the deadline skips the evening and the holiday: Friday 10:00.
/// let mql = at("2024-07-03T16:00:00-04:00")?;
/// let evaluate = |stop: Option<&str>, as_of: &str| -> Result<SlaStatus, revops::Error> {
///     let instance = SlaInstance::new(mql, stop.map(at).transpose()?);
///     Ok(policy.evaluate(&calendar, &instance, at(as_of)?)?.status)
/// };
/// assert_eq!(evaluate(Some("2024-07-05T10:00:00-04:00"), "2024-07-08T00:00:00Z")?, SlaStatus::Met); // at the deadline
/// let late = evaluate(Some("2024-07-05T10:45:00-04:00"), "2024-07-08T00:00:00Z")?;
/// assert_eq!(late, SlaStatus::Breached { by: TimeDelta::minutes(45) });
/// assert!(late.is_decided());
/// let open = evaluate(None, "2024-07-04T12:00:00-04:00")?; // on the holiday: still one hour left
/// assert_eq!(open, SlaStatus::Active { remaining: TimeDelta::hours(1), at_risk: false });
/// assert!(!open.is_decided());
/// # Ok::<(), revops::Error>(())
/// ```
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
/// Rules ([definitions, section 4](crate::definitions::sla)): events after `as_of` are not known yet (a stop after
/// `as_of` counts as no stop). The deadline is the earliest instant at which the target of
/// business time, net of pauses, has elapsed (pauses extend it by their business time; a pause
/// that starts at or after the deadline extends nothing). Completion exactly at the deadline is
/// met, after it breached; open past it breached, open at or before it active. Elapsed
/// percentage = business elapsed / target (`ServiceNow`).
///
/// On the wire (feature `serde`) instants are RFC 3339 strings and durations chrono's exact
/// `[seconds, nanoseconds]` pairs. The fields are public, so an outcome read from elsewhere is
/// checked before use: deserializing runs [`SlaOutcome::check`], and so does every
/// accumulator's push.
///
/// # Example
///
/// ```
/// use chrono::TimeDelta;
/// use revops::calendar::{BusinessCalendar, BusinessSpan, parse_date};
/// use revops::sla::{DispositionPolicy, SlaInstance, SlaStatus};
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// // New York, weekdays 09:00-17:00, Independence Day (Thursday 4 July 2024) off.
/// let calendar = BusinessCalendar::builder("America/New_York")
///     .weekdays("09:00-17:00".parse()?)
///     .holiday(parse_date("2024-07-04")?)
///     .build()?;
/// let policy = DispositionPolicy::new("disposition", BusinessSpan::business_days(1))?;
/// // Handed over Wednesday 14:00 EDT, accepted Friday 15:00: one business day ends Friday 14:00.
/// let instance = SlaInstance::new(at("2024-07-03T14:00:00-04:00")?, Some(at("2024-07-05T15:00:00-04:00")?));
/// let outcome = policy.evaluate(&calendar, &instance, at("2024-07-08T00:00:00Z")?)?;
/// assert_eq!(outcome.deadline, Some(at("2024-07-05T14:00:00-04:00")?));
/// assert_eq!(outcome.status, SlaStatus::Breached { by: TimeDelta::hours(1) });
/// assert_eq!(outcome.target, TimeDelta::hours(8)); // the business time to the deadline
/// assert_eq!(outcome.business_elapsed, TimeDelta::hours(9));
/// assert_eq!(outcome.wall_elapsed, TimeDelta::hours(49));
/// assert_eq!(outcome.elapsed_percent(), Some(rust_decimal_macros::dec!(112.5)));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(try_from = "wire::OutcomeRepr"))]
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
    /// Checks that the outcome could come from an evaluation: no negative duration (target,
    /// business, paused and wall-clock elapsed time, breach, remaining time), no stop or
    /// deadline before the start, at least the stop's wall-clock time elapsed, and a status
    /// that fits the rest (met has a stop; breached a deadline; active a deadline and no stop;
    /// paused neither).
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::TimeDelta;
    /// use revops::calendar::{BusinessCalendar, BusinessSpan};
    /// use revops::sla::{ClockStart, ResponsePolicy, SlaInstance};
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let calendar = BusinessCalendar::builder("UTC").weekdays("09:00-17:00".parse()?).build()?;
    /// let policy = ResponsePolicy::new("follow_up", ClockStart::Mql, BusinessSpan::hours(1))?;
    /// let start = at("2024-06-03T09:00:00Z")?;
    /// let mut outcome = policy.evaluate(&calendar, &SlaInstance::new(start, None), start)?;
    /// outcome.check()?;
    /// outcome.business_elapsed = TimeDelta::hours(-1); // edited by hand: caught
    /// assert!(outcome.check().is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::Negative`] naming the duration; [`ErrorKind::StopBeforeStart`];
    /// [`ErrorKind::InvalidValue`] naming the inconsistent field.
    pub fn check(&self) -> Result<(), Error> {
        let zero = TimeDelta::zero();
        let mut durations = vec![
            ("sla outcome target", self.target),
            ("sla outcome business elapsed", self.business_elapsed),
            ("sla outcome paused", self.paused),
            ("sla outcome wall elapsed", self.wall_elapsed),
        ];
        match self.status {
            SlaStatus::Breached { by } => durations.push(("sla outcome breached by", by)),
            SlaStatus::Active { remaining, .. } => durations.push(("sla outcome remaining", remaining)),
            SlaStatus::Met | SlaStatus::Paused => {}
        }
        for (field, value) in durations {
            if value < zero {
                return Err(ErrorKind::Negative { field, value: value.to_string() }.into());
            }
        }
        for (what, at) in [("sla outcome stop", self.stop), ("sla outcome deadline", self.deadline)] {
            if let Some(at) = at
                && at < self.start
            {
                return Err(ErrorKind::StopBeforeStart { what, start: self.start, stop: at }.into());
            }
        }
        if let Some(stop) = self.stop
            && stop.signed_duration_since(self.start) > self.wall_elapsed
        {
            return Err(ErrorKind::InvalidValue {
                field: "sla outcome wall elapsed",
                value: self.wall_elapsed.to_string(),
                reason: "is shorter than from the start to the stop",
            }
            .into());
        }
        let fits = match self.status {
            SlaStatus::Met => self.stop.is_some(),
            SlaStatus::Breached { .. } => self.deadline.is_some(),
            SlaStatus::Active { .. } => self.stop.is_none() && self.deadline.is_some(),
            SlaStatus::Paused => self.stop.is_none() && self.deadline.is_none(),
        };
        if !fits {
            return Err(ErrorKind::InvalidValue {
                field: "sla outcome status",
                value: format!("{:?}", self.status),
                reason: "does not fit the stop and deadline (met needs a stop, breached a deadline, \
                         active a deadline and no stop, paused neither)",
            }
            .into());
        }
        Ok(())
    }

    /// Business elapsed over target in percent, rounded to two decimals half away from zero;
    /// `None` for a zero target.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::calendar::{BusinessCalendar, BusinessSpan, parse_date};
    /// use revops::sla::{ClockStart, ResponsePolicy, SlaInstance};
    /// use rust_decimal_macros::dec;
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// // New York, weekdays 09:00-17:00, Independence Day (Thursday 4 July 2024) off.
    /// let calendar = BusinessCalendar::builder("America/New_York")
    ///     .weekdays("09:00-17:00".parse()?)
    ///     .holiday(parse_date("2024-07-04")?)
    ///     .build()?;
    /// let policy = ResponsePolicy::new("follow_up", ClockStart::LeadCreated, BusinessSpan::hours(3))?;
    /// // Created Wednesday 16:00 EDT, still open Friday 09:20: 1 h 20 min of 3 h used.
    /// let outcome = policy.evaluate(&calendar, &SlaInstance::new(at("2024-07-03T16:00:00-04:00")?, None), at("2024-07-05T09:20:00-04:00")?)?;
    /// assert_eq!(outcome.elapsed_percent(), Some(dec!(44.44)));
    /// let exact = outcome.elapsed_percent_exact().map(|r| (r.numerator(), r.denominator()));
    /// assert_eq!(exact, Some((dec!(480000000000000), dec!(10800000000000)))); // 100 x 4,800 s over 10,800 s, in ns
    /// # Ok::<(), revops::Error>(())
    /// ```
    /// (Its exact value is [`SlaOutcome::elapsed_percent_exact`].)
    #[must_use]
    pub fn elapsed_percent(&self) -> Option<Decimal> {
        let p = self.elapsed_percent_exact()?.value()?;
        Some(p.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero))
    }

    /// [`SlaOutcome::elapsed_percent`] exactly: `100 x business elapsed / target`, both in
    /// nanoseconds; `None` for a zero target (or a negative duration, which
    /// [`SlaOutcome::check`] refuses).
    #[must_use]
    pub fn elapsed_percent_exact(&self) -> Option<crate::Ratio<Decimal>> {
        let ns = |d: TimeDelta| Decimal::try_from_i128_with_scale(wide_ns(d), 0).ok();
        let (elapsed, target) = (ns(self.business_elapsed)?.checked_mul(Decimal::ONE_HUNDRED)?, ns(self.target)?);
        crate::Ratio::try_new(elapsed, target).ok().filter(|_| !target.is_zero())
    }
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
        return Err(ErrorKind::StopBeforeStart { what: "sla instance", start, stop }.into());
    }
    if as_of < start {
        return Err(ErrorKind::InvalidValue {
            field: "as_of",
            value: as_of.to_rfc3339(),
            reason: "is before the instance's clock start",
        }
        .into());
    }
    let stop = instance.stop.filter(|s| *s <= as_of);
    let now = stop.unwrap_or(as_of);
    let target = match policy.target.as_time() {
        Some(t) => t,
        None => clock.between(start, clock.add(start, policy.target)?)?,
    };

    // All business time in `i128` nanoseconds (exact to the nanosecond, over the whole range
    // of instants: pauses and clock starts need not be whole seconds).
    let target_ns = wide_ns(target);
    let (start_ns, now_ns) = (to_ns(start)?, to_ns(now)?);
    let (deadline, paused, elapsed_gross) = if instance.pauses.is_empty() {
        // Fast path: one pass over the clock for the deadline and the elapsed time.
        let (d, e) = clock.deadline_and_elapsed_ns(start_ns, target_ns, now_ns)?;
        (Some(from_ns(d)), 0, e)
    } else {
        check_pauses(instance)?;
        let reached = reach(clock, instance, start_ns, target_ns, now)?;
        (reached.at.map(from_ns), reached.paused, clock.between_wide_ns(start_ns, now_ns)?)
    };

    // Pauses lie inside `[start, now)` and do not overlap, so this is never negative.
    let elapsed = elapsed_gross - paused;
    let business_elapsed = delta_from_ns(elapsed)?;
    let status = match (stop, deadline) {
        (Some(_), None) => SlaStatus::Met, // stopped while paused, before the target was used up
        (Some(s), Some(d)) if s <= d => SlaStatus::Met,
        (Some(_), Some(_)) => SlaStatus::Breached { by: delta_from_ns(elapsed - target_ns)? },
        (None, Some(d)) if as_of > d => SlaStatus::Breached { by: delta_from_ns(elapsed - target_ns)? },
        (None, None) => SlaStatus::Paused,
        (None, Some(_)) => {
            let at_risk = policy.at_risk_ppm.is_some_and(|ppm| {
                // Elapsed is below 2^65 ns (the range of instants), the target below 2^94 ns,
                // the threshold at most 10^6: no overflow in `i128`.
                elapsed * 1_000_000 >= i128::from(ppm) * target_ns
            });
            SlaStatus::Active { remaining: delta_from_ns(target_ns - elapsed)?, at_risk }
        }
    };
    let wall_elapsed = now.signed_duration_since(start);
    let paused = delta_from_ns(paused)?;
    Ok(SlaOutcome { status, start, deadline, stop, target, business_elapsed, paused, wall_elapsed })
}

/// Where `amount` nanoseconds of business time from `start_ns` are used up, net of the pauses
/// of `instance` that start before `now` (checked by [`check_pauses`]).
pub(crate) struct Walked {
    /// The earliest instant (UTC nanoseconds) at which `amount` has elapsed; `None` when a
    /// pause lasts at `now` with `amount` not yet used up.
    pub(crate) at: Option<i64>,
    /// Business time paused before that instant (or before `now` while paused).
    pub(crate) paused: i128,
}

/// [`Walked`] of `amount` from `start_ns`: the one walk over the pauses that the deadline and
/// the at-risk instant share.
pub(crate) fn reach<C: BusinessClock + ?Sized>(
    clock: &C,
    instance: &SlaInstance,
    start_ns: i64,
    amount: i128,
    now: DateTime<Utc>,
) -> Result<Walked, Error> {
    let now_ns = to_ns(now)?;
    let (mut cursor, mut left, mut paused) = (start_ns, amount, 0i128);
    for pause in &instance.pauses {
        if pause.start >= now {
            break; // not happened yet (or after the stop)
        }
        let pause_start = to_ns(pause.start)?;
        let candidate = clock.add_wide_ns(cursor, left)?;
        if candidate <= pause_start {
            return Ok(Walked { at: Some(candidate), paused });
        }
        // The instant lies after the pause start, so less than `left` elapsed before it.
        left -= clock.between_wide_ns(cursor, pause_start)?;
        match pause.end {
            Some(end) if end <= now => {
                let end = to_ns(end)?;
                paused += clock.between_wide_ns(pause_start, end)?;
                cursor = end;
            }
            _ => {
                paused += clock.between_wide_ns(pause_start, now_ns)?;
                return Ok(Walked { at: None, paused });
            }
        }
    }
    Ok(Walked { at: Some(clock.add_wide_ns(cursor, left)?), paused })
}

/// Pauses must be in time order, not overlap, not start before the clock, and not end before
/// they start.
pub(crate) fn check_pauses(instance: &SlaInstance) -> Result<(), Error> {
    let mut previous_end = instance.start;
    for pause in &instance.pauses {
        if pause.start < previous_end {
            return Err(ErrorKind::InvalidValue {
                field: "pauses",
                value: pause.start.to_rfc3339(),
                reason: "must be in time order, not overlap, and not start before the clock",
            }
            .into());
        }
        if let Some(end) = pause.end
            && end < pause.start
        {
            return Err(ErrorKind::StopBeforeStart { what: "sla pause", start: pause.start, stop: end }.into());
        }
        previous_end = pause.end.unwrap_or(DateTime::<Utc>::MAX_UTC);
    }
    Ok(())
}

/// Wire shapes: the same fields, checked on the way in.
#[cfg(feature = "serde")]
mod wire {
    use chrono::{DateTime, TimeDelta, Utc};

    use super::{Pause, SlaInstance, SlaOutcome, SlaStatus, check_pauses};
    use crate::{Error, ErrorKind};

    #[derive(serde::Deserialize)]
    pub(super) struct PauseRepr {
        start: DateTime<Utc>,
        end: Option<DateTime<Utc>>,
    }

    impl TryFrom<PauseRepr> for Pause {
        type Error = Error;
        fn try_from(r: PauseRepr) -> Result<Pause, Error> {
            if let Some(end) = r.end
                && end < r.start
            {
                return Err(ErrorKind::StopBeforeStart { what: "sla pause", start: r.start, stop: end }.into());
            }
            Ok(Pause::new(r.start, r.end))
        }
    }

    #[derive(serde::Deserialize)]
    pub(super) struct InstanceRepr {
        start: DateTime<Utc>,
        stop: Option<DateTime<Utc>>,
        #[serde(default)]
        pauses: Vec<Pause>,
    }

    impl TryFrom<InstanceRepr> for SlaInstance {
        type Error = Error;
        fn try_from(r: InstanceRepr) -> Result<SlaInstance, Error> {
            if let Some(stop) = r.stop
                && stop < r.start
            {
                return Err(ErrorKind::StopBeforeStart { what: "sla instance", start: r.start, stop }.into());
            }
            let instance = SlaInstance { start: r.start, stop: r.stop, pauses: r.pauses };
            check_pauses(&instance)?;
            Ok(instance)
        }
    }

    #[derive(serde::Deserialize)]
    pub(super) struct OutcomeRepr {
        status: SlaStatus,
        start: DateTime<Utc>,
        deadline: Option<DateTime<Utc>>,
        stop: Option<DateTime<Utc>>,
        target: TimeDelta,
        business_elapsed: TimeDelta,
        paused: TimeDelta,
        wall_elapsed: TimeDelta,
    }

    impl TryFrom<OutcomeRepr> for SlaOutcome {
        type Error = Error;
        fn try_from(r: OutcomeRepr) -> Result<SlaOutcome, Error> {
            let outcome = SlaOutcome {
                status: r.status,
                start: r.start,
                deadline: r.deadline,
                stop: r.stop,
                target: r.target,
                business_elapsed: r.business_elapsed,
                paused: r.paused,
                wall_elapsed: r.wall_elapsed,
            };
            outcome.check()?;
            Ok(outcome)
        }
    }
}
