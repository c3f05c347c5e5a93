//! [`SlaTimers`]: the escalation timers of one policy's open instances at `as_of`
//! ([`SlaEscalation`]), counted and merged: a service sets the next at-risk and breach timers
//! instead of polling.

use chrono::{DateTime, Utc};

use crate::sla::SlaEscalation;
use crate::{Error, ErrorKind, LeadId};

/// One timer: the instant and the lead whose instance escalates then.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaTimer {
    /// The instant ([`SlaEscalation::Open`]'s `at_risk_at` or `breach_at`).
    pub at: DateTime<Utc>,
    /// The lead.
    pub lead: LeadId,
}

/// The open instances of one policy at `as_of`, by their [`SlaEscalation`]:
///
/// - `running`: open with the clock running and the deadline not passed
///   (`breach_at > as_of`); `at_risk` of them are already at risk (`at_risk_at <= as_of`).
///   Instances past their deadline and still waiting are the policy's open breaches
///   ([`PolicyCompliance::open_breaches`](super::PolicyCompliance::open_breaches)), not counted here.
/// - `paused`: waiting on a pause that lasts at `as_of` (no timer can be set).
/// - `next_at_risk` / `next_breach`: the earliest timer after `as_of` of each kind, of equal
///   instants the least lead id (so merging partitions in any order gives the same timer).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaTimers {
    /// Open, running, before the deadline.
    pub running: u64,
    /// Of `running`, already at risk.
    pub at_risk: u64,
    /// Paused at `as_of`.
    pub paused: u64,
    /// The earliest at-risk instant after `as_of`.
    pub next_at_risk: Option<SlaTimer>,
    /// The earliest breach instant after `as_of`.
    pub next_breach: Option<SlaTimer>,
}

fn earliest(slot: &mut Option<SlaTimer>, timer: SlaTimer) {
    if slot.as_ref().is_none_or(|t| timer < *t) {
        *slot = Some(timer);
    }
}

fn add(a: u64, b: u64) -> Result<u64, Error> {
    a.checked_add(b).ok_or_else(|| ErrorKind::Overflow { op: "sla timers" }.into())
}

impl SlaTimers {
    /// Adds one instance's escalation as of `as_of`.
    pub(super) fn push(&mut self, lead: &LeadId, escalation: SlaEscalation, as_of: DateTime<Utc>) -> Result<(), Error> {
        match escalation {
            SlaEscalation::Open { at_risk_at, breach_at } if breach_at > as_of => {
                self.running = add(self.running, 1)?;
                match at_risk_at {
                    Some(at) if at <= as_of => self.at_risk = add(self.at_risk, 1)?,
                    Some(at) => earliest(&mut self.next_at_risk, SlaTimer { at, lead: lead.clone() }),
                    None => {}
                }
                earliest(&mut self.next_breach, SlaTimer { at: breach_at, lead: lead.clone() });
            }
            SlaEscalation::Paused => self.paused = add(self.paused, 1)?,
            // Past the deadline (an open breach) or stopped: no timer.
            _ => {}
        }
        Ok(())
    }

    /// Adds `other` (the timers of other leads as of the same instant).
    pub(super) fn merge(&mut self, other: SlaTimers) -> Result<(), Error> {
        self.running = add(self.running, other.running)?;
        self.at_risk = add(self.at_risk, other.at_risk)?;
        self.paused = add(self.paused, other.paused)?;
        if let Some(t) = other.next_at_risk {
            earliest(&mut self.next_at_risk, t);
        }
        if let Some(t) = other.next_breach {
            earliest(&mut self.next_breach, t);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeDelta, TimeZone};

    use super::*;

    fn at(h: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 3, 0, 0, 0).single().unwrap() + TimeDelta::hours(h)
    }

    fn lead(id: &str) -> LeadId {
        LeadId::new(id).unwrap()
    }

    #[test]
    fn instances_count_by_their_escalation_and_merge_to_the_earliest_timers() {
        let as_of = at(10);
        let open =
            |risk: Option<i64>, breach: i64| SlaEscalation::Open { at_risk_at: risk.map(at), breach_at: at(breach) };
        let mut left = SlaTimers::default();
        left.push(&lead("a"), open(Some(12), 14), as_of).unwrap(); // running, at risk at 12
        left.push(&lead("b"), open(Some(9), 11), as_of).unwrap(); // running, at risk already
        left.push(&lead("c"), open(Some(5), 8), as_of).unwrap(); // past the deadline: an open breach
        let mut right = SlaTimers::default();
        right.push(&lead("d"), SlaEscalation::Paused, as_of).unwrap();
        right.push(&lead("e"), SlaEscalation::Stopped, as_of).unwrap();
        right.push(&lead("f"), open(None, 11), as_of).unwrap(); // no threshold; breaches at 11 like b
        let mut one = left.clone();
        one.merge(right.clone()).unwrap();
        let mut other = right;
        other.merge(left).unwrap();
        assert_eq!(one, other);
        assert_eq!((one.running, one.at_risk, one.paused), (3, 1, 1));
        assert_eq!(one.next_at_risk, Some(SlaTimer { at: at(12), lead: lead("a") }));
        // b and f breach at the same instant: the least lead id.
        assert_eq!(one.next_breach, Some(SlaTimer { at: at(11), lead: lead("b") }));
    }
}
