//! [`ComplianceReport`]: SLA outcomes per group (owner, team, period), as an accumulator.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};

use super::evaluation::{SlaOutcome, SlaStatus};
use super::speed::{SpeedToLead, SpeedToLeadSummary};
use crate::{Error, LeadId, Ratio};

/// One breached instance, for the list a manager works through.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Breach {
    /// The lead.
    pub lead: LeadId,
    /// When its clock started.
    pub start: DateTime<Utc>,
    /// The deadline it missed.
    pub deadline: Option<DateTime<Utc>>,
    /// When it stopped (late), or `None` if it is still open.
    pub stop: Option<DateTime<Utc>>,
    /// Business time past the target.
    pub by: TimeDelta,
}

/// The figures of one group (or of all groups together).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct GroupCompliance {
    /// Instances met.
    pub met: u64,
    /// Instances breached (stopped late or open past the deadline).
    pub breached: u64,
    /// Instances open before their deadline (not in the compliance rate).
    pub active: u64,
    /// Active instances past the at-risk threshold.
    pub at_risk: u64,
    /// Instances paused (not in the compliance rate).
    pub paused: u64,
    /// Met over met plus breached.
    pub compliance: Ratio,
    /// Speed to lead over the same instances: median and p90 response in business time,
    /// share within target.
    pub speed: SpeedToLeadSummary,
    /// The breaches, ordered by deadline, then lead id.
    pub breaches: Vec<Breach>,
}

/// All groups and the total.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ComplianceSummary<K: Ord> {
    /// Per group, in key order.
    pub groups: BTreeMap<K, GroupCompliance>,
    /// Every instance together (ratio of sums, not a mean of group rates).
    pub total: GroupCompliance,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Tally {
    met: u64,
    breached: u64,
    active: u64,
    at_risk: u64,
    paused: u64,
    speed: SpeedToLead,
    breaches: Vec<Breach>,
}

impl Tally {
    const fn new(target: TimeDelta) -> Tally {
        Tally {
            met: 0,
            breached: 0,
            active: 0,
            at_risk: 0,
            paused: 0,
            speed: SpeedToLead::trusted(target),
            breaches: Vec::new(),
        }
    }

    fn merge(&mut self, other: Tally) -> Result<(), Error> {
        self.met += other.met;
        self.breached += other.breached;
        self.active += other.active;
        self.at_risk += other.at_risk;
        self.paused += other.paused;
        self.breaches.extend(other.breaches);
        self.speed.merge(other.speed)
    }

    fn finish(mut self) -> GroupCompliance {
        self.breaches.sort_unstable_by(|a, b| (a.deadline, &a.lead, a.start).cmp(&(b.deadline, &b.lead, b.start)));
        GroupCompliance {
            met: self.met,
            breached: self.breached,
            active: self.active,
            at_risk: self.at_risk,
            paused: self.paused,
            compliance: Ratio::new(self.met, self.met + self.breached),
            speed: self.speed.finish(),
            breaches: self.breaches,
        }
    }
}

/// SLA compliance per group: an accumulator of evaluated instances keyed by any ordered key
/// (an owner, a team, a `(month, team)` pair for reports per period and team).
///
/// Compliance = met / (met + breached); active and paused instances stay out of it (they are
/// counted separately). Speed to lead is measured over the same instances with the report's
/// target. The total is the ratio of sums over every group. `merge` is associative and
/// commutative: split the instances across threads and merge the reports.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::LeadId;
/// use revops::calendar::{BusinessCalendar, BusinessSpan};
/// use revops::sla::{ClockStart, ComplianceReport, ResponsePolicy, SlaInstance};
///
/// let calendar = BusinessCalendar::builder("UTC").weekdays("09:00-17:00".parse()?).build()?;
/// let policy = ResponsePolicy::new("follow_up", ClockStart::Mql, BusinessSpan::hours(2))?;
/// let at = |d, h| Utc.with_ymd_and_hms(2024, 6, d, h, 0, 0).unwrap();
/// let as_of = at(14, 12);
/// let mut report = ComplianceReport::new(policy.target().as_time().unwrap_or_default())?;
/// for (lead, team, start, stop) in [
///     ("L1", "east", at(3, 9), Some(at(3, 10))),  // met
///     ("L2", "east", at(3, 9), Some(at(3, 15))),  // breached by 4h
///     ("L3", "west", at(14, 11), None),           // active
/// ] {
///     let outcome = policy.evaluate(&calendar, &SlaInstance::new(start, stop), as_of)?;
///     report.push(team, LeadId::new(lead)?, &outcome);
/// }
/// let summary = report.finish()?;
/// assert_eq!(summary.groups["east"].compliance.to_string(), "1/2 (50.0%)");
/// assert_eq!(summary.groups["west"].active, 1);
/// assert_eq!(summary.total.breaches[0].by.num_hours(), 4);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComplianceReport<K: Ord> {
    target: TimeDelta,
    groups: BTreeMap<K, Tally>,
}

impl<K: Ord + Clone> ComplianceReport<K> {
    /// An empty report; `target` is the response target speed to lead is measured against.
    ///
    /// # Errors
    /// [`Error::NegativeDuration`] if `target` is negative.
    pub fn new(target: TimeDelta) -> Result<ComplianceReport<K>, Error> {
        SpeedToLead::new(target)?;
        Ok(ComplianceReport { target, groups: BTreeMap::new() })
    }

    /// Adds one evaluated instance of `lead` to group `key`.
    pub fn push(&mut self, key: K, lead: LeadId, outcome: &SlaOutcome) {
        let tally = self.groups.entry(key).or_insert_with(|| Tally::new(self.target));
        tally.speed.push_outcome(outcome);
        match outcome.status {
            SlaStatus::Met => tally.met += 1,
            SlaStatus::Breached { by } => {
                tally.breached += 1;
                tally.breaches.push(Breach {
                    lead,
                    start: outcome.start,
                    deadline: outcome.deadline,
                    stop: outcome.stop,
                    by,
                });
            }
            SlaStatus::Active { at_risk, .. } => {
                tally.active += 1;
                tally.at_risk += u64::from(at_risk);
            }
            SlaStatus::Paused => tally.paused += 1,
        }
    }

    /// Adds everything `other` holds.
    ///
    /// # Errors
    /// [`Error::InvalidSla`] if the targets differ.
    pub fn merge(&mut self, other: ComplianceReport<K>) -> Result<(), Error> {
        if other.target != self.target {
            return Err(Error::InvalidSla {
                field: "compliance report target",
                value: other.target.to_string(),
                reason: "reports with different targets cannot be merged",
            });
        }
        for (key, tally) in other.groups {
            match self.groups.get_mut(&key) {
                Some(mine) => mine.merge(tally)?,
                None => {
                    self.groups.insert(key, tally);
                }
            }
        }
        Ok(())
    }

    /// The figures per group and in total.
    ///
    /// # Errors
    /// None in practice ([`Error::InvalidSla`] is impossible: every group shares the target).
    pub fn finish(self) -> Result<ComplianceSummary<K>, Error> {
        let mut total = Tally::new(self.target);
        let mut groups = BTreeMap::new();
        for (key, tally) in self.groups {
            total.merge(tally.clone())?;
            groups.insert(key, tally.finish());
        }
        Ok(ComplianceSummary { groups, total: total.finish() })
    }
}
