//! [`SpeedToLead`]: how fast sales answers, as a first-class figure: the crate's one
//! speed-to-lead accumulator (the metrics module's
//! [`SpeedToLeadTally`](crate::metrics::SpeedToLeadTally) is a view of it).

use chrono::TimeDelta;

use super::evaluation::SlaOutcome;
use crate::{Error, ErrorKind, Ratio, Tally};

/// One lead's response, in business time from the clock start (lead creation or MQL).
///
/// # Example
///
/// ```
/// use chrono::TimeDelta;
/// use revops::sla::{LeadResponse, SpeedToLead};
///
/// let mut speed = SpeedToLead::new(TimeDelta::minutes(30))?;
/// speed.push(LeadResponse::Responded(TimeDelta::minutes(20)))?; // within target
/// speed.push(LeadResponse::Waiting(TimeDelta::minutes(45)))?; // overdue
/// speed.push(LeadResponse::Waiting(TimeDelta::minutes(10)))?; // undecided: out of the share
/// let summary = speed.finish();
/// assert_eq!((summary.responded, summary.waiting, summary.overdue), (1, 2, 1));
/// assert_eq!(summary.within_target.to_string(), "1/2 (50.0%)");
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum LeadResponse {
    /// Sales responded after this much business time.
    Responded(TimeDelta),
    /// No response yet, after this much business time.
    Waiting(TimeDelta),
}

/// Speed to lead: first sales touch minus lead (or MQL) time, in business time, reported as
/// median, p90 and share within target ([definitions, section 5](crate::definitions::metrics#funnel-hygiene)). An accumulator (`push`,
/// `merge`, `finish`; merge is associative and commutative), and the crate's one definition of
/// the figure: the SLA reports ([`ComplianceReport`](super::ComplianceReport)) keep one per
/// group, and the metrics module's [`SpeedToLeadTally`](crate::metrics::SpeedToLeadTally)
/// holds one and derives its whole-second view from this summary.
///
/// Exact definitions (our rules):
/// - **median** and **p90** are over responded leads only, by the nearest-rank method (the
///   smallest response at or above the 50th or 90th percent of responses, so always an
///   observed value; the median of an even count is the lower middle one). `None` when no lead
///   responded.
/// - **within target** = responded within the target (at or below it) over responded leads
///   plus leads still waiting past the target. Leads still waiting within the target are
///   undecided and stay out, like active SLA instances.
///
/// Memory: one `TimeDelta` per responded lead (12 to 16 bytes); `finish` sorts once.
///
/// Implements [`Tally`] (`push` a [`LeadResponse`]); merging accumulators of different targets
/// is [`ErrorKind::DefinitionMismatch`]. With the `serde` feature the partial state serializes, and
/// deserializing checks it (no negative response, the counts consistent with the responses), so
/// a state sent elsewhere merges exactly like the original.
///
/// # Wire format
///
/// A map: `target`, the wall-clock target as a duration text (the grammar of
/// [`parse_duration`](crate::calendar::parse_duration): `"1h"`, `"30m"`, `"PT1H"`; written
/// canonically, `"1h"`); `responses`, each response time as `[seconds, nanoseconds]`;
/// `within`, `waiting` and `overdue`, the counts (checked against the responses on read).
///
/// ```
/// use chrono::TimeDelta;
/// use revops::sla::{LeadResponse, SpeedToLead};
///
/// let json = r#"{"target":"1h","responses":[[1200,0]],"within":1,"waiting":0,"overdue":0}"#;
/// let state: SpeedToLead = serde_json::from_str(json)?;
/// let mut want = SpeedToLead::new(TimeDelta::hours(1))?;
/// want.push(LeadResponse::Responded(TimeDelta::minutes(20)))?;
/// assert_eq!(state, want);
/// assert_eq!(serde_json::to_string(&want)?, json);
/// // The target is a duration text: ISO 8601 reads too, a bare number does not.
/// assert!(serde_json::from_str::<SpeedToLead>(&json.replace(r#""1h""#, r#""PT1H""#)).is_ok());
/// assert!(serde_json::from_str::<SpeedToLead>(&json.replace(r#""1h""#, "3600")).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Example
///
/// ```
/// use chrono::TimeDelta;
/// use revops::sla::{LeadResponse, SpeedToLead};
///
/// let minutes = TimeDelta::minutes;
/// let mut east = SpeedToLead::new(minutes(60))?;
/// for m in [5, 12, 30, 45, 240] {
///     east.push(LeadResponse::Responded(minutes(m)))?;
/// }
/// let mut west = SpeedToLead::new(minutes(60))?;
/// west.push(LeadResponse::Waiting(minutes(90)))?; // overdue, counts against the share
/// west.push(LeadResponse::Waiting(minutes(10)))?; // undecided
/// east.merge(west)?;
/// let speed = east.finish();
/// assert_eq!(speed.median, Some(minutes(30)));
/// assert_eq!(speed.p90, Some(minutes(240)));
/// assert_eq!(speed.within_target.to_string(), "4/6 (66.7%)");
/// assert_eq!((speed.responded, speed.waiting, speed.overdue), (5, 2, 1));
///
/// // Tallies for different targets do not merge.
/// let mut one_hour = SpeedToLead::new(minutes(60))?;
/// assert_eq!(one_hour.target(), minutes(60));
/// assert!(one_hour.merge(SpeedToLead::new(minutes(30))?).is_err());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(try_from = "SpeedRepr"))]
pub struct SpeedToLead {
    #[cfg_attr(feature = "serde", serde(with = "crate::wire::duration"))]
    target: TimeDelta,
    /// Exact response times (a nanosecond `i64` would cap responses at about 292 years).
    responses: Vec<TimeDelta>,
    within: u64,
    waiting: u64,
    overdue: u64,
}

/// The figures of a [`SpeedToLead`].
///
/// # Example
///
/// ```
/// use chrono::TimeDelta;
/// use revops::sla::{LeadResponse, SpeedToLead};
///
/// let mut speed = SpeedToLead::new(TimeDelta::hours(1))?;
/// for minutes in [10, 20, 30, 40] {
///     speed.push(LeadResponse::Responded(TimeDelta::minutes(minutes)))?;
/// }
/// let summary = speed.finish();
/// assert_eq!(summary.target, TimeDelta::hours(1));
/// assert_eq!(summary.median, Some(TimeDelta::minutes(20))); // nearest rank: the lower middle
/// assert_eq!(summary.p90, Some(TimeDelta::minutes(40)));
/// assert_eq!(summary.within_target.to_string(), "4/4 (100.0%)");
///
/// let empty = SpeedToLead::new(TimeDelta::hours(1))?.finish();
/// assert_eq!((empty.median, empty.p90), (None, None));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SpeedToLeadSummary {
    /// The target the share is measured against.
    pub target: TimeDelta,
    /// Leads that responded.
    pub responded: u64,
    /// Leads still waiting.
    pub waiting: u64,
    /// Leads still waiting past the target.
    pub overdue: u64,
    /// Median response (nearest rank), `None` without responses.
    pub median: Option<TimeDelta>,
    /// 90th-percentile response (nearest rank), `None` without responses.
    pub p90: Option<TimeDelta>,
    /// Responded within target over responded plus overdue.
    pub within_target: Ratio,
}

impl SpeedToLead {
    /// An empty accumulator for `target` (the response target, in business time).
    ///
    /// # Errors
    /// [`ErrorKind::Negative`] if `target` is negative.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::TimeDelta;
    /// use revops::sla::SpeedToLead;
    ///
    /// assert_eq!(SpeedToLead::new(TimeDelta::minutes(5))?.target(), TimeDelta::minutes(5));
    /// assert!(SpeedToLead::new(TimeDelta::minutes(-5)).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new(target: TimeDelta) -> Result<SpeedToLead, Error> {
        if target < TimeDelta::zero() {
            return Err(ErrorKind::Negative { field: "speed to lead target", value: target.to_string() }.into());
        }
        Ok(SpeedToLead::trusted(target))
    }

    /// For a target already checked to be non-negative.
    pub(crate) const fn trusted(target: TimeDelta) -> SpeedToLead {
        SpeedToLead { target, responses: Vec::new(), within: 0, waiting: 0, overdue: 0 }
    }

    /// The target.
    #[must_use]
    pub const fn target(&self) -> TimeDelta {
        self.target
    }

    /// Adds one lead.
    ///
    /// # Errors
    /// [`ErrorKind::Negative`] if the response time is negative; [`ErrorKind::Overflow`] if
    /// the lead count leaves `u64`.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::TimeDelta;
    /// use revops::sla::{LeadResponse, SpeedToLead};
    ///
    /// let mut speed = SpeedToLead::new(TimeDelta::minutes(15))?;
    /// speed.push(LeadResponse::Responded(TimeDelta::minutes(15)))?; // at the target: within
    /// assert!(speed.push(LeadResponse::Responded(TimeDelta::minutes(-1))).is_err());
    /// assert_eq!(speed.finish().within_target.to_string(), "1/1 (100.0%)");
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn push(&mut self, response: LeadResponse) -> Result<(), Error> {
        let (LeadResponse::Responded(d) | LeadResponse::Waiting(d)) = response;
        if d < TimeDelta::zero() {
            return Err(ErrorKind::Negative { field: "response time", value: d.to_string() }.into());
        }
        // Invariant: responses + waiting fits in `u64` (so every ratio in `finish` does).
        self.leads()
            .checked_add(1)
            .ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op: "speed to lead count" }))?;
        match response {
            LeadResponse::Responded(d) => {
                self.responses.push(d);
                self.within += u64::from(d <= self.target);
            }
            LeadResponse::Waiting(d) => {
                self.waiting += 1;
                self.overdue += u64::from(d > self.target);
            }
        }
        Ok(())
    }

    /// Responded plus waiting leads (fits in `u64` by the invariant of `push` and `merge`).
    fn leads(&self) -> u64 {
        (self.responses.len() as u64).saturating_add(self.waiting)
    }

    /// The response times kept, in push (and merge) order.
    #[cfg(feature = "serde")]
    pub(crate) fn responses(&self) -> &[TimeDelta] {
        &self.responses
    }

    /// Leads still waiting.
    #[cfg(feature = "serde")]
    pub(crate) const fn waiting(&self) -> u64 {
        self.waiting
    }

    /// The accumulator holding `responses` and `waiting` leads of which `overdue` are past the
    /// target, as a partial state read from elsewhere: checked like one built by `push`.
    #[cfg(feature = "serde")]
    pub(crate) fn from_parts(
        target: TimeDelta,
        responses: Vec<TimeDelta>,
        waiting: u64,
        overdue: u64,
    ) -> Result<SpeedToLead, Error> {
        let mut speed = SpeedToLead::new(target)?;
        if let Some(d) = responses.iter().find(|d| **d < TimeDelta::zero()) {
            return Err(ErrorKind::Negative { field: "response time", value: d.to_string() }.into());
        }
        if overdue > waiting {
            return Err(ErrorKind::InvalidValue {
                field: "speed to lead overdue",
                value: overdue.to_string(),
                reason: "exceeds the waiting leads",
            }
            .into());
        }
        (responses.len() as u64)
            .checked_add(waiting)
            .ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op: "speed to lead count" }))?;
        speed.within = responses.iter().filter(|d| **d <= target).count() as u64;
        speed.responses = responses;
        speed.waiting = waiting;
        speed.overdue = overdue;
        Ok(speed)
    }

    /// Adds the lead of an evaluated response SLA: responded if the clock stopped, waiting
    /// otherwise, after its business elapsed time (net of pauses).
    ///
    /// # Errors
    /// The errors of [`SlaOutcome::check`] (an outcome with public fields is checked before
    /// use: a negative elapsed time would move the median); [`ErrorKind::Overflow`].
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::TimeDelta;
    /// use revops::calendar::{BusinessCalendar, BusinessSpan, parse_date};
    /// use revops::sla::{ClockStart, ResponsePolicy, SlaInstance, SpeedToLead};
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let calendar = BusinessCalendar::builder("America/New_York").weekdays("09:00-17:00".parse()?).holiday(parse_date("2024-07-04")?).build()?;
    /// let policy = ResponsePolicy::new("speed_to_lead", ClockStart::LeadCreated, BusinessSpan::hours(1))?;
    /// let as_of = at("2024-07-05T12:00:00-04:00")?;
    /// let mut speed = SpeedToLead::new(TimeDelta::hours(1))?;
    /// // Created Wednesday 16:30 EDT, called Friday 09:15: 45 business minutes (the holiday is closed).
    /// let called = SlaInstance::new(at("2024-07-03T16:30:00-04:00")?, Some(at("2024-07-05T09:15:00-04:00")?));
    /// speed.push_outcome(&policy.evaluate(&calendar, &called, as_of)?)?;
    /// // Created Friday 09:00, not called by noon: waiting 3 business hours, overdue.
    /// let waiting = SlaInstance::new(at("2024-07-05T09:00:00-04:00")?, None);
    /// speed.push_outcome(&policy.evaluate(&calendar, &waiting, as_of)?)?;
    /// let summary = speed.finish();
    /// assert_eq!(summary.median, Some(TimeDelta::minutes(45)));
    /// assert_eq!((summary.responded, summary.overdue), (1, 1));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn push_outcome(&mut self, outcome: &SlaOutcome) -> Result<(), Error> {
        outcome.check()?;
        self.push(if outcome.stop.is_some() {
            LeadResponse::Responded(outcome.business_elapsed)
        } else {
            LeadResponse::Waiting(outcome.business_elapsed)
        })
    }

    /// Adds everything `other` holds.
    ///
    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`] if the targets differ (the shares would mean different
    /// things); [`ErrorKind::Overflow`] if the lead count leaves `u64`.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::TimeDelta;
    /// use revops::sla::{LeadResponse, SpeedToLead};
    ///
    /// let target = TimeDelta::minutes(30);
    /// let (mut a, mut b, mut one_pass) = (SpeedToLead::new(target)?, SpeedToLead::new(target)?, SpeedToLead::new(target)?);
    /// for (i, minutes) in [5, 50, 25, 12, 90].into_iter().enumerate() {
    ///     let response = LeadResponse::Responded(TimeDelta::minutes(minutes));
    ///     if i % 2 == 0 { a.push(response)? } else { b.push(response)? }
    ///     one_pass.push(response)?;
    /// }
    /// a.merge(b)?;
    /// assert_eq!(a.finish(), one_pass.finish());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn merge(&mut self, other: SpeedToLead) -> Result<(), Error> {
        if other.target != self.target {
            return Err(ErrorKind::DefinitionMismatch { tally: "speed to lead", field: "target" }.into());
        }
        self.leads()
            .checked_add(other.leads())
            .ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op: "speed to lead count" }))?;
        self.responses.extend(other.responses);
        // Each count is at most the lead total, which fits.
        self.within += other.within;
        self.waiting += other.waiting;
        self.overdue += other.overdue;
        Ok(())
    }

    /// The figures (sorts the responses once).
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::TimeDelta;
    /// use revops::sla::{LeadResponse, SpeedToLead};
    ///
    /// let mut speed = SpeedToLead::new(TimeDelta::minutes(10))?;
    /// for minutes in [3, 8, 30] {
    ///     speed.push(LeadResponse::Responded(TimeDelta::minutes(minutes)))?;
    /// }
    /// let summary = speed.finish();
    /// assert_eq!((summary.median, summary.p90), (Some(TimeDelta::minutes(8)), Some(TimeDelta::minutes(30))));
    /// assert_eq!(summary.within_target.to_string(), "2/3 (66.7%)");
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn finish(mut self) -> SpeedToLeadSummary {
        self.responses.sort_unstable();
        let n = self.responses.len();
        let rank = |numerator: usize, denominator: usize| {
            // Nearest rank: ceil(n * p), 1-based.
            let r = (n * numerator).div_ceil(denominator);
            self.responses.get(r.max(1) - 1).copied()
        };
        let responded = n as u64;
        SpeedToLeadSummary {
            target: self.target,
            responded,
            waiting: self.waiting,
            overdue: self.overdue,
            median: rank(1, 2),
            p90: rank(9, 10),
            // overdue <= waiting, and responded + waiting fits (invariant).
            within_target: Ratio::new(self.within, responded.saturating_add(self.overdue)),
        }
    }
}

impl Tally for SpeedToLead {
    type Fact = LeadResponse;
    type Output = SpeedToLeadSummary;

    fn push(&mut self, response: &LeadResponse) -> Result<(), Error> {
        SpeedToLead::push(self, *response)
    }

    fn merge(&mut self, other: SpeedToLead) -> Result<(), Error> {
        SpeedToLead::merge(self, other)
    }

    fn finish(self) -> Result<SpeedToLeadSummary, Error> {
        Ok(SpeedToLead::finish(self))
    }
}

/// Wire shape of [`SpeedToLead`]'s partial state, checked on the way in.
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SpeedRepr {
    #[serde(with = "crate::wire::duration")]
    target: TimeDelta,
    responses: Vec<TimeDelta>,
    within: u64,
    waiting: u64,
    overdue: u64,
}

#[cfg(feature = "serde")]
impl TryFrom<SpeedRepr> for SpeedToLead {
    type Error = Error;
    fn try_from(r: SpeedRepr) -> Result<SpeedToLead, Error> {
        let speed = SpeedToLead::from_parts(r.target, r.responses, r.waiting, r.overdue)?;
        if speed.within != r.within {
            return Err(ErrorKind::InvalidValue {
                field: "speed to lead within",
                value: r.within.to_string(),
                reason: "differs from the responses at or below the target",
            }
            .into());
        }
        Ok(speed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(x: i64) -> TimeDelta {
        TimeDelta::try_minutes(x).unwrap()
    }

    #[test]
    fn nearest_rank() {
        let mut s = SpeedToLead::new(m(60)).unwrap();
        for x in 1..=10 {
            s.push(LeadResponse::Responded(m(x * 10))).unwrap();
        }
        let f = s.finish();
        assert_eq!((f.median, f.p90), (Some(m(50)), Some(m(90))));
        assert_eq!(f.within_target, Ratio::new(6, 10)); // 60 is within (at the target)
        let empty = SpeedToLead::new(m(60)).unwrap().finish();
        assert_eq!((empty.median, empty.p90, empty.within_target.value()), (None, None, None));
        let mut one = SpeedToLead::new(m(60)).unwrap();
        one.push(LeadResponse::Responded(m(7))).unwrap();
        let one = one.finish();
        assert_eq!((one.median, one.p90), (Some(m(7)), Some(m(7))));
    }

    #[test]
    fn long_responses_are_not_capped() {
        // Regression: responses were kept as `i64` nanoseconds with `unwrap_or(i64::MAX)`, so
        // a response past about 292 years reported a median of 292 years, silently.
        let long = TimeDelta::try_days(200_000).unwrap();
        let mut s = SpeedToLead::new(m(60)).unwrap();
        s.push(LeadResponse::Responded(long)).unwrap();
        s.push(LeadResponse::Responded(TimeDelta::MAX)).unwrap();
        let f = s.finish();
        assert_eq!((f.median, f.p90), (Some(long), Some(TimeDelta::MAX)));
    }

    #[test]
    fn merge_needs_equal_targets() {
        let mut a = SpeedToLead::new(m(60)).unwrap();
        let err = a.merge(SpeedToLead::new(m(30)).unwrap()).unwrap_err();
        assert_eq!(err, ErrorKind::DefinitionMismatch { tally: "speed to lead", field: "target" });
        assert!(SpeedToLead::new(m(-1)).is_err());
        assert_eq!(
            a.push(LeadResponse::Responded(m(-5))).unwrap_err().to_string(),
            "response time must not be negative, got -PT300S"
        );
    }
}
