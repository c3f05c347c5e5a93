//! Speed to lead from caller-supplied business durations.

use chrono::TimeDelta;
use rust_decimal::Decimal;

use super::Tally;
use super::amount::add_count;
use super::cycle::at_rank;
use crate::{Error, LeadId, Ratio};

/// How long sales took to first touch a lead, in business time, as the caller measured it.
///
/// The crate's `sla` module measures business time with a business calendar; this metric
/// takes its output (or any other measure the team agreed on) as given. `None` means the lead
/// was not answered; pass only leads whose outcome is known (answered, or unanswered past the
/// target), as the SLA module's breached/met outcomes are.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct ResponseTime {
    /// The lead (named in errors).
    pub lead: LeadId,
    /// Business time from lead (or MQL) time to the first sales touch, in whole seconds;
    /// `None` if never answered.
    pub business_seconds: Option<i64>,
}

/// Speed to lead: the distribution of first-response business times and the share answered
/// within the target.
///
/// - **Durations**: caller-supplied business time from the lead (or MQL) instant to the first
///   sales touch ([`ResponseTime`]); this crate's `sla` module produces them from a business
///   calendar. Our rule: metrics does not recompute business time, so the two modules can
///   never disagree about a calendar.
/// - **Median** (mean of the two middle values for an even count) and **p90** (nearest rank)
///   over answered leads, in seconds.
/// - **Share within target** = answered with business time `<= target` / all leads pushed
///   (unanswered leads count as outside the target).
/// - **Edge cases**: no answered lead gives `None` median and p90; no lead gives `0/0`.
/// - **Bad input**: a negative duration is [`Error::InvalidRecord`] naming the lead.
///
/// # Example
///
/// ```
/// use chrono::TimeDelta;
/// use revops::metrics::{ResponseTime, speed_to_lead};
/// use revops::LeadId;
/// use rust_decimal_macros::dec;
///
/// let r = |id: &str, minutes: Option<i64>| -> Result<ResponseTime, revops::Error> {
///     Ok(ResponseTime { lead: LeadId::new(id)?, business_seconds: minutes.map(|m| m * 60) })
/// };
/// let leads = [r("a", Some(5))?, r("b", Some(30))?, r("c", Some(240))?, r("d", None)?];
/// let speed = speed_to_lead(&leads, TimeDelta::try_hours(1).unwrap_or_default())?;
/// assert_eq!(speed.median_seconds, Some(dec!(1800)));
/// assert_eq!(speed.p90_seconds, Some(14_400));
/// assert_eq!(speed.within_target.to_string(), "2/4 (50.0%)");
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpeedToLeadTally {
    target_seconds: i64,
    answered: Vec<i64>,
    unanswered: u64,
}

/// The result of [`SpeedToLeadTally`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SpeedToLead {
    /// Leads answered.
    pub answered: u64,
    /// Leads never answered.
    pub unanswered: u64,
    /// Median business seconds of the answered leads.
    #[cfg_attr(feature = "serde", serde(with = "rust_decimal::serde::str_option"))]
    pub median_seconds: Option<Decimal>,
    /// 90th nearest-rank percentile of the answered leads, in business seconds.
    pub p90_seconds: Option<i64>,
    /// Answered within the target over all leads.
    pub within_target: Ratio,
}

impl SpeedToLeadTally {
    /// An empty tally with the response `target` in business time.
    #[must_use]
    pub const fn new(target: TimeDelta) -> SpeedToLeadTally {
        SpeedToLeadTally { target_seconds: target.num_seconds(), answered: Vec::new(), unanswered: 0 }
    }
}

impl Tally for SpeedToLeadTally {
    type Fact = ResponseTime;
    type Output = SpeedToLead;

    fn push(&mut self, response: &ResponseTime) -> Result<(), Error> {
        match response.business_seconds {
            None => self.unanswered = add_count(self.unanswered, 1)?,
            Some(s) if s < 0 => {
                return Err(Error::InvalidRecord {
                    record: response.lead.to_string(),
                    cause: Box::new(Error::InvalidValue {
                        field: "business seconds",
                        value: s.to_string(),
                        reason: "must not be negative",
                    }),
                });
            }
            Some(s) => self.answered.push(s),
        }
        Ok(())
    }

    fn merge(&mut self, mut other: SpeedToLeadTally) -> Result<(), Error> {
        self.answered.append(&mut other.answered);
        self.unanswered = add_count(self.unanswered, other.unanswered)?;
        Ok(())
    }

    fn finish(mut self) -> Result<SpeedToLead, Error> {
        self.answered.sort_unstable();
        let n = self.answered.len();
        let overflow = || Error::Overflow { op: "speed to lead" };
        let answered = u64::try_from(n).map_err(|_| overflow())?;
        let within = self.answered.partition_point(|&s| s <= self.target_seconds);
        let median = match n {
            0 => None,
            _ if n % 2 == 1 => self.answered.get(n / 2).map(|&v| Decimal::from(v)),
            _ => {
                let lo = self.answered.get(n / 2 - 1).copied().unwrap_or_default();
                let hi = self.answered.get(n / 2).copied().unwrap_or_default();
                Some((Decimal::from(lo) + Decimal::from(hi)) / Decimal::TWO)
            }
        };
        Ok(SpeedToLead {
            answered,
            unanswered: self.unanswered,
            median_seconds: median.map(|m| m.normalize()),
            p90_seconds: at_rank(n, 90).and_then(|i| self.answered.get(i).copied()),
            within_target: Ratio::new(
                u64::try_from(within).map_err(|_| overflow())?,
                add_count(answered, self.unanswered)?,
            ),
        })
    }
}

/// [`SpeedToLeadTally`] over a slice.
///
/// # Errors
/// As [`SpeedToLeadTally`]'s `push`.
pub fn speed_to_lead(responses: &[ResponseTime], target: TimeDelta) -> Result<SpeedToLead, Error> {
    SpeedToLeadTally::new(target).tally(responses)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_edges_and_negative_input() {
        let r = |id: &str, s| ResponseTime { lead: LeadId::new(id).unwrap(), business_seconds: s };
        let out = speed_to_lead(&[r("a", Some(60)), r("b", Some(61))], TimeDelta::try_seconds(60).unwrap()).unwrap();
        assert_eq!(out.within_target, Ratio::new(1, 2)); // exactly at the target is within
        assert_eq!(out.median_seconds, Some(Decimal::new(605, 1)));
        let none = speed_to_lead(&[r("c", None)], TimeDelta::zero()).unwrap();
        assert_eq!((none.median_seconds, none.p90_seconds, none.within_target), (None, None, Ratio::new(0, 1)));
        let err = speed_to_lead(&[r("d", Some(-5))], TimeDelta::zero()).unwrap_err();
        assert_eq!(err.to_string(), "invalid record `d`");
    }
}
