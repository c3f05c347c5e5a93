//! Speed to lead: the SLA module's one definition ([`SpeedToLead`]), fed from caller-supplied
//! business durations.

use chrono::TimeDelta;

use super::Tally;
use crate::Record;
use crate::sla::{LeadResponse, SpeedToLead, SpeedToLeadSummary};
use crate::{Error, ErrorKind, LeadId, Ratio};

/// How long sales took to first touch a lead, in business time, as the caller measured it
/// (the `sla` module measures it with a business calendar: [`SlaOutcome::business_elapsed`]).
///
/// `None` means the lead was not answered and is known to be past the target (a breached,
/// still-open response SLA). Pass only leads whose outcome is known; a lead still inside its
/// target is undecided and belongs out of the share, as in [`SpeedToLead`].
///
/// # Example
///
/// ```
/// use chrono::TimeDelta;
/// use revops::metrics::{ResponseTime, speed_to_lead};
/// use revops::LeadId;
///
/// let r = |id: &str, minutes: Option<i64>| -> Result<ResponseTime, revops::Error> {
///     Ok(ResponseTime { lead: LeadId::new(id)?, business_seconds: minutes.map(|m| m * 60) })
/// };
/// let hour = TimeDelta::try_hours(1).unwrap_or_default();
/// // Answered after 59 and 61 business minutes; one never answered, past the target.
/// let leads = [r("a", Some(59))?, r("b", Some(61))?, r("c", None)?];
/// let speed = speed_to_lead(&leads, hour)?;
/// assert_eq!((speed.answered, speed.unanswered), (2, 1));
/// assert_eq!(speed.within_target.to_string(), "1/3 (33.3%)");
/// # Ok::<(), revops::Error>(())
/// ```
///
/// [`SlaOutcome::business_elapsed`]: crate::sla::SlaOutcome
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct ResponseTime {
    /// The lead (named in errors).
    pub lead: LeadId,
    /// Business time from lead (or MQL) time to the first sales touch, in whole seconds;
    /// `None` if never answered.
    pub business_seconds: Option<i64>,
}

/// Speed to lead as a metric: the distribution of first-response business times and the share
/// answered within the target.
///
/// **One definition.** This tally is a view of [`SpeedToLead`], the SLA module's accumulator,
/// which it holds: each answered lead is a response of its business seconds, each unanswered
/// lead one waiting for longer than any target, and `finish` derives the
/// [`SpeedToLeadMetric`] from the accumulator's [`SpeedToLeadSummary`], so the KPI board and
/// the SLA report can never disagree:
///
/// - **Durations**: caller-supplied business time from the lead (or MQL) instant to the first
///   sales touch ([`ResponseTime`]); metrics does not recompute business time.
/// - **Median** and **p90**: nearest rank over answered leads (always an observed value; the
///   median of an even count is the lower middle one), in whole seconds.
/// - **Share within target** = answered with business time `<= target` / (answered +
///   unanswered); an unanswered lead is past the target by the fact's definition.
/// - **Edge cases**: no answered lead gives `None` median and p90; no lead gives `0/0`.
/// - **Bad input**: a negative duration is an error about the record ([`Error::record`](crate::Error::record)) naming the lead.
///
/// # Example
///
/// ```
/// use chrono::TimeDelta;
/// use revops::metrics::{ResponseTime, speed_to_lead};
/// use revops::LeadId;
///
/// let r = |id: &str, minutes: Option<i64>| -> Result<ResponseTime, revops::Error> {
///     Ok(ResponseTime { lead: LeadId::new(id)?, business_seconds: minutes.map(|m| m * 60) })
/// };
/// let leads = [r("a", Some(5))?, r("b", Some(30))?, r("c", Some(240))?, r("d", None)?];
/// let speed = speed_to_lead(&leads, TimeDelta::try_hours(1).unwrap_or_default())?; // a SpeedToLeadMetric
/// assert_eq!(speed.median_seconds, Some(1_800));
/// assert_eq!(speed.p90_seconds, Some(14_400));
/// assert_eq!(speed.within_target.to_string(), "2/4 (50.0%)");
/// # Ok::<(), revops::Error>(())
/// ```
///
/// Partial state (feature `serde`): the target, every answered lead's business seconds in push
/// order and the count of unanswered leads.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "state::SpeedToLeadState", into = "state::SpeedToLeadState")
)]
pub struct SpeedToLeadTally {
    /// Answered leads as responses of whole seconds, unanswered ones as waiting for
    /// `TimeDelta::MAX`.
    speed: SpeedToLead,
}

/// The result of [`SpeedToLeadTally`]: the [`SpeedToLeadSummary`] of the SLA module's
/// accumulator in whole business seconds, with the unanswered leads (those waiting, known to
/// be past the target).
///
/// # Example
///
/// ```
/// use chrono::TimeDelta;
/// use revops::metrics::{ResponseTime, SpeedToLeadMetric, speed_to_lead};
/// use revops::LeadId;
///
/// let r = |id: &str, minutes: Option<i64>| -> Result<ResponseTime, revops::Error> {
///     Ok(ResponseTime { lead: LeadId::new(id)?, business_seconds: minutes.map(|m| m * 60) })
/// };
/// let hour = TimeDelta::try_hours(1).unwrap_or_default();
/// let leads = [r("a", Some(10))?, r("b", Some(20))?, r("c", Some(30))?, r("d", Some(90))?];
/// let speed: SpeedToLeadMetric = speed_to_lead(&leads, hour)?;
/// assert_eq!(speed.median_seconds, Some(1_200)); // nearest rank: the lower middle of 4, 20 minutes
/// assert_eq!(speed.p90_seconds, Some(5_400));    // rank ceil(0.9 x 4) = 4: 90 minutes
/// assert_eq!(speed.within_target.to_string(), "3/4 (75.0%)"); // within an hour / all leads
/// let none = speed_to_lead(&[r("x", None)?], hour)?;
/// assert_eq!((none.median_seconds, none.p90_seconds, none.within_target.to_string()), (None, None, "0/1 (0.0%)".to_owned()));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SpeedToLeadMetric {
    /// Leads answered.
    pub answered: u64,
    /// Leads never answered (past the target).
    pub unanswered: u64,
    /// Median (nearest rank) business seconds of the answered leads.
    pub median_seconds: Option<i64>,
    /// 90th nearest-rank percentile of the answered leads, in business seconds.
    pub p90_seconds: Option<i64>,
    /// Answered within the target over all leads.
    pub within_target: Ratio,
}

impl SpeedToLeadTally {
    /// An empty tally with the response `target` in business time.
    ///
    /// # Errors
    /// [`ErrorKind::Negative`] if `target` is negative.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::TimeDelta;
    /// use revops::metrics::{ResponseTime, SpeedToLeadTally};
    /// use revops::{ErrorKind, Tally};
    /// use revops::LeadId;
    ///
    /// let r = |id: &str, minutes: Option<i64>| -> Result<ResponseTime, revops::Error> {
    ///     Ok(ResponseTime { lead: LeadId::new(id)?, business_seconds: minutes.map(|m| m * 60) })
    /// };
    /// let hour = TimeDelta::try_hours(1).unwrap_or_default();
    /// let mut east = SpeedToLeadTally::new(hour)?;
    /// assert_eq!(east.target(), hour);
    /// east.push(&r("a", Some(5))?)?;
    /// let mut west = SpeedToLeadTally::new(hour)?;
    /// west.push(&r("b", Some(120))?)?;
    /// east.merge(west)?;
    /// assert_eq!(east.finish()?.within_target.to_string(), "1/2 (50.0%)");
    /// assert!(SpeedToLeadTally::new(-hour).is_err());
    /// // Tallies of different targets do not merge.
    /// let err = SpeedToLeadTally::new(hour)?.merge(SpeedToLeadTally::new(hour + hour)?).err();
    /// assert!(matches!(err.as_ref().map(|e| e.kind()), Some(ErrorKind::DefinitionMismatch { .. })));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new(target: TimeDelta) -> Result<SpeedToLeadTally, Error> {
        Ok(SpeedToLeadTally { speed: SpeedToLead::new(target)? })
    }

    /// The response target (example: [`SpeedToLeadTally::new`]).
    #[must_use]
    pub const fn target(&self) -> TimeDelta {
        self.speed.target()
    }
}

/// `seconds` as the duration of an answered lead, or why it cannot be one.
fn response(seconds: i64) -> Result<TimeDelta, &'static str> {
    if seconds < 0 {
        return Err("must not be negative");
    }
    TimeDelta::try_seconds(seconds).ok_or("is beyond the longest duration chrono holds")
}

#[cfg(feature = "serde")]
mod state {
    use chrono::TimeDelta;
    use serde::{Deserialize, Serialize};

    use super::{SpeedToLead, SpeedToLeadTally, response};
    use crate::Error;
    use crate::metrics::wire::{bad_state, duration};

    /// Wire shape of [`SpeedToLeadTally`]'s partial state.
    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct SpeedToLeadState {
        #[serde(with = "duration")]
        target: TimeDelta,
        answered_seconds: Vec<i64>,
        unanswered: u64,
    }

    impl From<SpeedToLeadTally> for SpeedToLeadState {
        fn from(t: SpeedToLeadTally) -> SpeedToLeadState {
            SpeedToLeadState {
                target: t.speed.target(),
                // Whole seconds: every response was pushed (or read) as whole seconds.
                answered_seconds: t.speed.responses().iter().map(TimeDelta::num_seconds).collect(),
                unanswered: t.speed.waiting(),
            }
        }
    }

    impl TryFrom<SpeedToLeadState> for SpeedToLeadTally {
        type Error = Error;
        fn try_from(s: SpeedToLeadState) -> Result<SpeedToLeadTally, Error> {
            SpeedToLeadTally::new(s.target)?;
            let answered = s
                .answered_seconds
                .iter()
                .map(|&seconds| {
                    response(seconds).map_err(|reason| {
                        bad_state("speed to lead tally", format!("answered_seconds {seconds}"), reason)
                    })
                })
                .collect::<Result<Vec<TimeDelta>, Error>>()?;
            let overdue = if TimeDelta::MAX > s.target { s.unanswered } else { 0 };
            Ok(SpeedToLeadTally { speed: SpeedToLead::from_parts(s.target, answered, s.unanswered, overdue)? })
        }
    }
}

impl From<SpeedToLeadSummary> for SpeedToLeadMetric {
    /// The whole-second view of a summary: responded leads are answered, leads waiting past
    /// the target unanswered (leads still waiting within it are undecided and stay out, as
    /// they do of the summary's share); durations are truncated to whole seconds.
    fn from(s: SpeedToLeadSummary) -> SpeedToLeadMetric {
        SpeedToLeadMetric {
            answered: s.responded,
            unanswered: s.overdue,
            median_seconds: s.median.map(|d| d.num_seconds()),
            p90_seconds: s.p90.map(|d| d.num_seconds()),
            within_target: s.within_target,
        }
    }
}

impl Tally for SpeedToLeadTally {
    type Fact = ResponseTime;
    type Output = SpeedToLeadMetric;

    fn push(&mut self, lead: &ResponseTime) -> Result<(), Error> {
        let response = match lead.business_seconds {
            Some(s) => LeadResponse::Responded(response(s).map_err(|reason| {
                ErrorKind::InvalidValue { field: "business seconds", value: s.to_string(), reason }
                    .about(Record::Lead(lead.lead.clone()))
            })?),
            // Waiting for longer than any target: past it (a target of `TimeDelta::MAX` is
            // never passed, so such a lead stays out of the share).
            None => LeadResponse::Waiting(TimeDelta::MAX),
        };
        self.speed.push(response)
    }

    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`] naming `target` if `other` measures another target;
    /// [`ErrorKind::Overflow`].
    fn merge(&mut self, other: SpeedToLeadTally) -> Result<(), Error> {
        self.speed.merge(other.speed)
    }

    /// # Errors
    /// None: the counts fit by the accumulator's invariant.
    fn finish(self) -> Result<SpeedToLeadMetric, Error> {
        let summary = self.speed.finish();
        Ok(SpeedToLeadMetric { unanswered: summary.waiting, ..SpeedToLeadMetric::from(summary) })
    }
}

/// [`SpeedToLeadTally`] over a slice.
///
/// # Errors
/// As [`SpeedToLeadTally::new`] and its `push`.
///
/// # Example
///
/// ```
/// use chrono::TimeDelta;
/// use revops::metrics::{ResponseTime, speed_to_lead};
/// use revops::ErrorKind;
/// use revops::LeadId;
///
/// let r = |id: &str, minutes: Option<i64>| -> Result<ResponseTime, revops::Error> {
///     Ok(ResponseTime { lead: LeadId::new(id)?, business_seconds: minutes.map(|m| m * 60) })
/// };
/// let hour = TimeDelta::try_hours(1).unwrap_or_default();
/// // Exactly on the target is within it.
/// assert_eq!(speed_to_lead(&[r("a", Some(60))?], hour)?.within_target.to_string(), "1/1 (100.0%)");
/// assert_eq!(speed_to_lead(&[], hour)?.within_target.value(), None); // no lead: 0/0
/// // A negative duration is refused, naming the lead.
/// let err = speed_to_lead(&[r("bad", Some(-1))?], hour).err();
/// assert!(matches!(err.as_ref().map(|e| e.kind()), Some(ErrorKind::InvalidValue { field: "business seconds", .. })));
/// assert_eq!(err.as_ref().and_then(|e| e.record()).map(ToString::to_string).as_deref(), Some("lead `bad`"));
/// # Ok::<(), revops::Error>(())
/// ```
pub fn speed_to_lead(responses: &[ResponseTime], target: TimeDelta) -> Result<SpeedToLeadMetric, Error> {
    SpeedToLeadTally::new(target)?.tally(responses)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_edges_and_negative_input() {
        let r = |id: &str, s| ResponseTime { lead: LeadId::new(id).unwrap(), business_seconds: s };
        let out = speed_to_lead(&[r("a", Some(60)), r("b", Some(61))], TimeDelta::try_seconds(60).unwrap()).unwrap();
        assert_eq!(out.within_target, Ratio::new(1, 2)); // exactly at the target is within
        assert_eq!(out.median_seconds, Some(60)); // nearest rank: the lower middle
        let none = speed_to_lead(&[r("c", None)], TimeDelta::zero()).unwrap();
        assert_eq!((none.median_seconds, none.p90_seconds, none.within_target), (None, None, Ratio::new(0, 1)));
        let err = speed_to_lead(&[r("d", Some(-5))], TimeDelta::zero()).unwrap_err();
        assert!(err.to_string().starts_with("lead `d`: invalid business seconds"), "{err}");
        // Too large for a duration: named as such, not as negative.
        let err = speed_to_lead(&[r("e", Some(i64::MAX))], TimeDelta::zero()).unwrap_err();
        assert_eq!(err.record(), Some(&crate::Record::Lead(LeadId::new("e").unwrap())));
        assert_eq!(
            err.to_string(),
            "lead `e`: invalid business seconds \"9223372036854775807\": is beyond the longest duration chrono holds"
        );
    }

    #[test]
    fn agrees_with_the_sla_accumulator() {
        let secs = |s| TimeDelta::try_seconds(s).unwrap();
        let mut sla = SpeedToLead::new(secs(3_600)).unwrap();
        let mut tally = SpeedToLeadTally::new(secs(3_600)).unwrap();
        for (i, s) in [300, 1_800, 14_400, 3_600, 3_601].into_iter().enumerate() {
            sla.push(LeadResponse::Responded(secs(s))).unwrap();
            tally
                .push(&ResponseTime { lead: LeadId::new(format!("l{i}")).unwrap(), business_seconds: Some(s) })
                .unwrap();
        }
        assert_eq!(tally.finish().unwrap(), SpeedToLeadMetric::from(sla.finish()));
    }
}
