//! Speed to lead: the SLA module's one definition, fed from caller-supplied business durations.

use chrono::TimeDelta;

use super::Tally;
use crate::sla::{LeadResponse, SpeedToLeadSummary};
use crate::{Error, LeadId, Ratio};

/// How long sales took to first touch a lead, in business time, as the caller measured it
/// (the `sla` module measures it with a business calendar: [`SlaOutcome::business_elapsed`]).
///
/// `None` means the lead was not answered and is known to be past the target (a breached,
/// still-open response SLA). Pass only leads whose outcome is known; a lead still inside its
/// target is undecided and belongs out of the share, as in [`crate::sla::SpeedToLead`].
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
/// **One definition.** This tally is a view of [`crate::sla::SpeedToLead`], the SLA module's
/// accumulator, so the KPI board and the SLA report can never disagree:
///
/// - **Durations**: caller-supplied business time from the lead (or MQL) instant to the first
///   sales touch ([`ResponseTime`]); metrics does not recompute business time.
/// - **Median** and **p90**: nearest rank over answered leads (always an observed value; the
///   median of an even count is the lower middle one), in whole seconds.
/// - **Share within target** = answered with business time `<= target` / (answered +
///   unanswered); an unanswered lead is past the target by the fact's definition.
/// - **Edge cases**: no answered lead gives `None` median and p90; no lead gives `0/0`.
/// - **Bad input**: a negative duration is [`Error::InvalidRecord`] naming the lead.
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
/// let speed = speed_to_lead(&leads, TimeDelta::try_hours(1).unwrap_or_default())?;
/// assert_eq!(speed.median_seconds, Some(1_800));
/// assert_eq!(speed.p90_seconds, Some(14_400));
/// assert_eq!(speed.within_target.to_string(), "2/4 (50.0%)");
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpeedToLeadTally {
    inner: crate::sla::SpeedToLead,
}

/// The result of [`SpeedToLeadTally`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SpeedToLead {
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
    /// [`Error::NegativeDuration`] if `target` is negative.
    pub fn new(target: TimeDelta) -> Result<SpeedToLeadTally, Error> {
        Ok(SpeedToLeadTally { inner: crate::sla::SpeedToLead::new(target)? })
    }
}

impl From<SpeedToLeadSummary> for SpeedToLead {
    fn from(s: SpeedToLeadSummary) -> SpeedToLead {
        SpeedToLead {
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
    type Output = SpeedToLead;

    fn push(&mut self, response: &ResponseTime) -> Result<(), Error> {
        let invalid = |value: i64, reason| Error::InvalidRecord {
            record: response.lead.to_string(),
            cause: Box::new(Error::InvalidValue { field: "business seconds", value: value.to_string(), reason }),
        };
        let lead_response = match response.business_seconds {
            Some(s) if s < 0 => return Err(invalid(s, "must not be negative")),
            Some(s) => LeadResponse::Responded(
                TimeDelta::try_seconds(s).ok_or_else(|| invalid(s, "is beyond the longest duration chrono holds"))?,
            ),
            // Unanswered and past the target: waiting for longer than any target.
            None => LeadResponse::Waiting(TimeDelta::MAX),
        };
        self.inner.push(lead_response)
    }

    fn merge(&mut self, other: SpeedToLeadTally) -> Result<(), Error> {
        self.inner.merge(other.inner)
    }

    fn finish(self) -> Result<SpeedToLead, Error> {
        Ok(self.inner.finish().into())
    }
}

/// [`SpeedToLeadTally`] over a slice.
///
/// # Errors
/// As [`SpeedToLeadTally::new`] and its `push`.
pub fn speed_to_lead(responses: &[ResponseTime], target: TimeDelta) -> Result<SpeedToLead, Error> {
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
        assert_eq!(err.to_string(), "invalid record `d`");
        // Too large for a duration: named as such, not as negative.
        let Error::InvalidRecord { cause, .. } =
            speed_to_lead(&[r("e", Some(i64::MAX))], TimeDelta::zero()).unwrap_err()
        else {
            panic!("expected an invalid record")
        };
        assert_eq!(
            cause.to_string(),
            "invalid business seconds \"9223372036854775807\": is beyond the longest duration chrono holds"
        );
    }

    #[test]
    fn agrees_with_the_sla_accumulator() {
        let secs = |s| TimeDelta::try_seconds(s).unwrap();
        let mut sla = crate::sla::SpeedToLead::new(secs(3_600)).unwrap();
        let mut tally = SpeedToLeadTally::new(secs(3_600)).unwrap();
        for (i, s) in [300, 1_800, 14_400, 3_600, 3_601].into_iter().enumerate() {
            sla.push(LeadResponse::Responded(secs(s))).unwrap();
            tally
                .push(&ResponseTime { lead: LeadId::new(format!("l{i}")).unwrap(), business_seconds: Some(s) })
                .unwrap();
        }
        assert_eq!(tally.finish().unwrap(), SpeedToLead::from(sla.finish()));
    }
}
