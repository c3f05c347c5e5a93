//! [`ComplianceReport`]: SLA outcomes per group (owner, team, period), as an accumulator.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};

use super::evaluation::{SlaOutcome, SlaStatus};
use super::speed::{SpeedToLead, SpeedToLeadSummary};
use crate::Record;
use crate::{Error, ErrorKind, LeadId, Ratio, Tally};

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
    /// The breaches, ordered by deadline, then lead id, start, stop and excess (a total order
    /// on the whole record: the same list whatever order the instances came in).
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

/// The partial state of one group; `speed` holds one lead per instance counted.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
struct GroupTally {
    met: u64,
    breached: u64,
    active: u64,
    at_risk: u64,
    paused: u64,
    speed: SpeedToLead,
    breaches: Vec<Breach>,
}

/// The order of breaches: by deadline, then lead id, then every other field, so equal keys
/// mean equal records and the sorted list does not depend on push or merge order.
fn breach_order(a: &Breach, b: &Breach) -> core::cmp::Ordering {
    (a.deadline, &a.lead, a.start, a.stop, a.by).cmp(&(b.deadline, &b.lead, b.start, b.stop, b.by))
}

fn count(a: u64, b: u64) -> Result<u64, Error> {
    a.checked_add(b).ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op: "compliance count" }))
}

impl GroupTally {
    const fn new(target: TimeDelta) -> GroupTally {
        GroupTally {
            met: 0,
            breached: 0,
            active: 0,
            at_risk: 0,
            paused: 0,
            speed: SpeedToLead::trusted(target),
            breaches: Vec::new(),
        }
    }

    /// Adds `other`; checked, so a deserialized state near `u64::MAX` errors instead of
    /// wrapping. Every count is at most the number of instances, which the speed accumulator
    /// (one lead per instance) keeps within `u64`.
    fn merge(&mut self, other: GroupTally) -> Result<(), Error> {
        self.speed.merge(other.speed)?;
        self.met = count(self.met, other.met)?;
        self.breached = count(self.breached, other.breached)?;
        self.active = count(self.active, other.active)?;
        self.at_risk = count(self.at_risk, other.at_risk)?;
        self.paused = count(self.paused, other.paused)?;
        self.breaches.extend(other.breaches);
        Ok(())
    }

    /// Checks a deserialized state: the counts agree with each other, with the breach list and
    /// with the speed accumulator, and no breach is negative.
    #[cfg(feature = "serde")]
    fn check(&self, target: TimeDelta) -> Result<(), Error> {
        let invalid = |field, value: u64, reason| ErrorKind::InvalidValue { field, value: value.to_string(), reason };
        if self.speed.target() != target {
            return Err(ErrorKind::DefinitionMismatch { tally: "compliance report", field: "target" }.into());
        }
        if self.breached != self.breaches.len() as u64 {
            return Err(crate::Error::from(invalid(
                "compliance breached",
                self.breached,
                "differs from the breach list",
            )));
        }
        if self.at_risk > self.active {
            return Err(crate::Error::from(invalid(
                "compliance at risk",
                self.at_risk,
                "exceeds the active instances",
            )));
        }
        let total = [self.met, self.breached, self.active, self.paused].into_iter().try_fold(0u64, count)?;
        let speed = self.speed.clone().finish();
        if count(speed.responded, speed.waiting)? != total {
            return Err(crate::Error::from(invalid(
                "compliance instances",
                total,
                "differ from the speed-to-lead leads",
            )));
        }
        if let Some(b) = self.breaches.iter().find(|b| b.by < TimeDelta::zero()) {
            return Err(ErrorKind::Negative { field: "breached by", value: b.by.to_string() }.into());
        }
        Ok(())
    }

    fn finish(mut self) -> Result<GroupCompliance, Error> {
        self.breaches.sort_unstable_by(breach_order);
        Ok(GroupCompliance {
            met: self.met,
            breached: self.breached,
            active: self.active,
            at_risk: self.at_risk,
            paused: self.paused,
            compliance: Ratio::new(self.met, count(self.met, self.breached)?),
            speed: self.speed.finish(),
            breaches: self.breaches,
        })
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
/// Implements [`Tally`] with facts `(key, lead, outcome)`; merging reports of different targets
/// is [`ErrorKind::DefinitionMismatch`]. With the `serde` feature the partial state serializes
/// (groups as a list of `[key, state]` pairs, so any serializable key works in JSON) and
/// deserializing checks it, so a state sent to another process merges exactly like the original.
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
///     report.push(team, LeadId::new(lead)?, &outcome)?;
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
    groups: BTreeMap<K, GroupTally>,
}

impl<K: Ord + Clone> ComplianceReport<K> {
    /// An empty report; `target` is the response target speed to lead is measured against.
    ///
    /// # Errors
    /// [`ErrorKind::Negative`] if `target` is negative.
    pub fn new(target: TimeDelta) -> Result<ComplianceReport<K>, Error> {
        SpeedToLead::new(target)?;
        Ok(ComplianceReport { target, groups: BTreeMap::new() })
    }

    /// Adds one evaluated instance of `lead` to group `key`.
    ///
    /// # Errors
    /// an error about the record ([`Error::record`](crate::Error::record)) naming the lead if the outcome fails [`SlaOutcome::check`]
    /// (its fields are public: a negative elapsed time would move the median);
    /// [`ErrorKind::Overflow`] if a count leaves `u64`.
    pub fn push(&mut self, key: K, lead: LeadId, outcome: &SlaOutcome) -> Result<(), Error> {
        outcome.check().map_err(|cause| cause.about(Record::Lead(lead.clone())))?;
        let tally = self.groups.entry(key).or_insert_with(|| GroupTally::new(self.target));
        // One lead per instance in `speed`, checked: every other count is at most that.
        tally.speed.push_outcome(outcome)?;
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
        Ok(())
    }

    /// Adds everything `other` holds.
    ///
    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`] if the targets differ; [`ErrorKind::Overflow`] if a count
    /// leaves `u64`.
    pub fn merge(&mut self, other: ComplianceReport<K>) -> Result<(), Error> {
        if other.target != self.target {
            return Err(ErrorKind::DefinitionMismatch { tally: "compliance report", field: "target" }.into());
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
    /// [`ErrorKind::Overflow`] if the total of a count over all groups leaves `u64`.
    pub fn finish(self) -> Result<ComplianceSummary<K>, Error> {
        let mut total = GroupTally::new(self.target);
        let mut groups = BTreeMap::new();
        for (key, tally) in self.groups {
            total.merge(tally.clone())?;
            groups.insert(key, tally.finish()?);
        }
        Ok(ComplianceSummary { groups, total: total.finish()? })
    }
}

impl<K: Ord + Clone> Tally for ComplianceReport<K> {
    /// The group key, the lead and its evaluated outcome.
    type Fact = (K, LeadId, SlaOutcome);
    type Output = ComplianceSummary<K>;

    fn push(&mut self, (key, lead, outcome): &(K, LeadId, SlaOutcome)) -> Result<(), Error> {
        ComplianceReport::push(self, key.clone(), lead.clone(), outcome)
    }

    fn merge(&mut self, other: ComplianceReport<K>) -> Result<(), Error> {
        ComplianceReport::merge(self, other)
    }

    fn finish(self) -> Result<ComplianceSummary<K>, Error> {
        ComplianceReport::finish(self)
    }
}

#[cfg(feature = "serde")]
mod wire {
    use std::collections::BTreeMap;

    use chrono::TimeDelta;

    use super::{ComplianceReport, GroupTally};
    use crate::{Error, ErrorKind};

    /// Borrowed wire shape: the target and the groups as `[key, state]` pairs in key order.
    #[derive(serde::Serialize)]
    struct ReportRef<'a, K> {
        target: TimeDelta,
        groups: Vec<(&'a K, &'a GroupTally)>,
    }

    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct ReportRepr<K> {
        target: TimeDelta,
        groups: Vec<(K, GroupTally)>,
    }

    impl<K: Ord + serde::Serialize> serde::Serialize for ComplianceReport<K> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            ReportRef { target: self.target, groups: self.groups.iter().collect() }.serialize(serializer)
        }
    }

    impl<'de, K: Ord + Clone + serde::Deserialize<'de>> serde::Deserialize<'de> for ComplianceReport<K> {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let repr = ReportRepr::<K>::deserialize(deserializer)?;
            ComplianceReport::try_from_repr(repr).map_err(serde::de::Error::custom)
        }
    }

    impl<K: Ord + Clone> ComplianceReport<K> {
        fn try_from_repr(repr: ReportRepr<K>) -> Result<ComplianceReport<K>, Error> {
            let mut report = ComplianceReport::new(repr.target)?;
            let mut groups = BTreeMap::new();
            for (key, tally) in repr.groups {
                tally.check(repr.target)?;
                if groups.insert(key, tally).is_some() {
                    return Err(ErrorKind::InvalidValue {
                        field: "compliance report groups",
                        value: "a key listed twice".to_owned(),
                        reason: "each group appears once",
                    }
                    .into());
                }
            }
            report.groups = groups;
            Ok(report)
        }
    }
}
