//! [`ComplianceReport`]: SLA outcomes per group (owner, team, period), as an accumulator.

use std::collections::BTreeMap;
use std::hash::Hash;

use chrono::{DateTime, TimeDelta, Utc};

use super::evaluation::{SlaOutcome, SlaStatus};
use super::speed::{SpeedToLead, SpeedToLeadSummary};
use crate::Record;
use crate::fast_map::FastMap;
use crate::{Error, ErrorKind, LeadId, Ratio, Tally};

/// One breached instance, for the list a manager works through.
///
/// # Example
///
/// ```
/// use chrono::TimeDelta;
/// use revops::LeadId;
/// use revops::calendar::{BusinessCalendar, BusinessSpan, parse_date};
/// use revops::sla::{ClockStart, ComplianceReport, ResponsePolicy, SlaInstance};
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let calendar = BusinessCalendar::builder("America/New_York").weekdays("09:00-17:00".parse()?).holiday(parse_date("2024-07-04")?).build()?;
/// let policy = ResponsePolicy::new("follow_up", ClockStart::Mql, BusinessSpan::hours(2))?;
/// let as_of = at("2024-07-05T12:00:00-04:00")?;
/// // MQLs on Wednesday 16:00 EDT: two business hours run out Friday 10:00 (Thursday is a holiday).
/// let mql = at("2024-07-03T16:00:00-04:00")?;
/// let outcome = |stop: Option<&str>| -> Result<_, revops::Error> {
///     policy.evaluate(&calendar, &SlaInstance::new(mql, stop.map(at).transpose()?), as_of)
/// };
///
/// let mut report = ComplianceReport::new(TimeDelta::hours(2))?;
/// report.push("ana", LeadId::new("L-1")?, &outcome(Some("2024-07-05T11:30:00-04:00"))?)?; // late
/// report.push("ana", LeadId::new("L-2")?, &outcome(None)?)?; // still open past the deadline
/// let breaches = report.finish()?.total.breaches;
/// let list: Vec<_> = breaches.iter().map(|b| (b.lead.as_str(), b.stop.is_some(), b.by)).collect();
/// assert_eq!(list, [("L-1", true, TimeDelta::minutes(90)), ("L-2", false, TimeDelta::hours(2))]);
/// let friday_ten = at("2024-07-05T10:00:00-04:00")?;
/// assert!(breaches.iter().all(|b| b.deadline == Some(friday_ten) && b.start == mql));
/// # Ok::<(), revops::Error>(())
/// ```
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
///
/// # Example
///
/// ```
/// use chrono::TimeDelta;
/// use revops::LeadId;
/// use revops::calendar::{BusinessCalendar, BusinessSpan, parse_date};
/// use revops::sla::{ClockStart, ComplianceReport, ResponsePolicy, SlaInstance};
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let calendar = BusinessCalendar::builder("America/New_York").weekdays("09:00-17:00".parse()?).holiday(parse_date("2024-07-04")?).build()?;
/// let policy = ResponsePolicy::new("follow_up", ClockStart::Mql, BusinessSpan::hours(2))?;
/// let as_of = at("2024-07-05T12:00:00-04:00")?;
/// // MQLs on Wednesday 16:00 EDT: two business hours run out Friday 10:00 (Thursday is a holiday).
/// let mql = at("2024-07-03T16:00:00-04:00")?;
/// let outcome = |stop: Option<&str>| -> Result<_, revops::Error> {
///     policy.evaluate(&calendar, &SlaInstance::new(mql, stop.map(at).transpose()?), as_of)
/// };
///
/// let mut report = ComplianceReport::new(TimeDelta::hours(2))?;
/// report.push((), LeadId::new("L-1")?, &outcome(Some("2024-07-03T17:00:00-04:00"))?)?; // 1 h: met
/// report.push((), LeadId::new("L-2")?, &outcome(Some("2024-07-05T09:30:00-04:00"))?)?; // 1.5 h: met
/// report.push((), LeadId::new("L-3")?, &outcome(Some("2024-07-05T11:00:00-04:00"))?)?; // 3 h: breached
/// let team = report.finish()?.total;
/// assert_eq!((team.met, team.breached, team.active, team.paused), (2, 1, 0, 0));
/// assert_eq!(team.compliance.to_string(), "2/3 (66.7%)");
/// assert_eq!(team.speed.median, Some(TimeDelta::minutes(90)));
/// assert_eq!(team.breaches.len(), 1);
/// # Ok::<(), revops::Error>(())
/// ```
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
///
/// # Example
///
/// ```
/// use chrono::TimeDelta;
/// use revops::LeadId;
/// use revops::calendar::{BusinessCalendar, BusinessSpan, parse_date};
/// use revops::sla::{ClockStart, ComplianceReport, ResponsePolicy, SlaInstance};
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let calendar = BusinessCalendar::builder("America/New_York").weekdays("09:00-17:00".parse()?).holiday(parse_date("2024-07-04")?).build()?;
/// let policy = ResponsePolicy::new("follow_up", ClockStart::Mql, BusinessSpan::hours(2))?;
/// let as_of = at("2024-07-05T12:00:00-04:00")?;
/// // MQLs on Wednesday 16:00 EDT: two business hours run out Friday 10:00 (Thursday is a holiday).
/// let mql = at("2024-07-03T16:00:00-04:00")?;
/// let outcome = |stop: Option<&str>| -> Result<_, revops::Error> {
///     policy.evaluate(&calendar, &SlaInstance::new(mql, stop.map(at).transpose()?), as_of)
/// };
///
/// let mut report = ComplianceReport::new(TimeDelta::hours(2))?;
/// report.push("east", LeadId::new("L-1")?, &outcome(Some("2024-07-03T17:00:00-04:00"))?)?;
/// report.push("west", LeadId::new("L-2")?, &outcome(Some("2024-07-05T11:00:00-04:00"))?)?;
/// report.push("west", LeadId::new("L-3")?, &outcome(Some("2024-07-05T09:00:00-04:00"))?)?;
/// let summary = report.finish()?;
/// let rates: Vec<_> = summary.groups.iter().map(|(team, g)| (*team, g.compliance.to_string())).collect();
/// assert_eq!(rates, [("east", "1/1 (100.0%)".to_owned()), ("west", "1/2 (50.0%)".to_owned())]);
/// assert_eq!(summary.total.compliance.to_string(), "2/3 (66.7%)"); // a ratio of sums
/// # Ok::<(), revops::Error>(())
/// ```
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
/// use chrono::TimeDelta;
/// use revops::LeadId;
/// use revops::calendar::{BusinessCalendar, BusinessSpan};
/// use revops::sla::{ClockStart, ComplianceReport, ResponsePolicy, SlaInstance};
/// # fn instant(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let calendar = BusinessCalendar::builder("UTC").weekdays("09:00-17:00".parse()?).build()?;
/// let policy = ResponsePolicy::new("follow_up", ClockStart::Mql, BusinessSpan::hours(2))?;
/// let june = instant("2024-06-01T00:00:00Z")?;
/// let at = |d: i64, h: i64| june + TimeDelta::days(d - 1) + TimeDelta::hours(h);
/// let as_of = at(14, 12);
/// let mut report = ComplianceReport::new(TimeDelta::hours(2))?;
/// for (lead, team, start, stop) in [
///     ("L1", "east", at(3, 9), Some(at(3, 10))),  // met
///     ("L2", "east", at(3, 9), Some(at(3, 15))),  // breached by 4h
///     ("L3", "west", at(14, 11), None),           // active
/// ] {
///     let outcome = policy.evaluate(&calendar, &SlaInstance::new(start, stop), as_of)?;
///     report.push(team, LeadId::new(lead)?, &outcome)?;
/// }
/// let summary = report.finish()?;
/// assert_eq!(summary.groups.get("east").map(|g| g.compliance.to_string()).as_deref(), Some("1/2 (50.0%)"));
/// assert_eq!(summary.groups.get("west").map(|g| g.active), Some(1));
/// assert_eq!(summary.total.breaches.first().map(|b| b.by), Some(TimeDelta::hours(4)));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComplianceReport<K: Ord + Hash> {
    target: TimeDelta,
    /// Hashed for the per-lead push (a group per account over millions of leads); every
    /// reading of it (finish, regroup, serialize) goes through [`ComplianceReport::sorted`],
    /// so its order never reaches a result.
    groups: FastMap<K, GroupTally>,
}

impl<K: Ord + Hash + Clone> ComplianceReport<K> {
    /// An empty report; `target` is the response target speed to lead is measured against.
    ///
    /// # Errors
    /// [`ErrorKind::Negative`] if `target` is negative.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::TimeDelta;
    /// use revops::sla::ComplianceReport;
    ///
    /// let report = ComplianceReport::<&str>::new(TimeDelta::minutes(30))?;
    /// assert!(report.finish()?.groups.is_empty());
    /// assert!(ComplianceReport::<&str>::new(TimeDelta::minutes(-30)).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new(target: TimeDelta) -> Result<ComplianceReport<K>, Error> {
        SpeedToLead::new(target)?;
        Ok(ComplianceReport { target, groups: FastMap::default() })
    }

    /// Adds one evaluated instance of `lead` to group `key`.
    ///
    /// # Errors
    /// an error about the record ([`Error::record`](crate::Error::record)) naming the lead if the outcome fails [`SlaOutcome::check`]
    /// (its fields are public: a negative elapsed time would move the median);
    /// [`ErrorKind::Overflow`] if a count leaves `u64`.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::TimeDelta;
    /// use revops::LeadId;
    /// use revops::calendar::{BusinessCalendar, BusinessSpan, parse_date};
    /// use revops::sla::{ClockStart, ComplianceReport, ResponsePolicy, SlaInstance};
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let calendar = BusinessCalendar::builder("America/New_York").weekdays("09:00-17:00".parse()?).holiday(parse_date("2024-07-04")?).build()?;
    /// let policy = ResponsePolicy::new("follow_up", ClockStart::Mql, BusinessSpan::hours(2))?;
    /// let as_of = at("2024-07-05T12:00:00-04:00")?;
    /// // MQLs on Wednesday 16:00 EDT: two business hours run out Friday 10:00 (Thursday is a holiday).
    /// let mql = at("2024-07-03T16:00:00-04:00")?;
    /// let outcome = |stop: Option<&str>| -> Result<_, revops::Error> {
    ///     policy.evaluate(&calendar, &SlaInstance::new(mql, stop.map(at).transpose()?), as_of)
    /// };
    ///
    /// // Per (month, owner), as a period-and-team report would key it.
    /// let mut report = ComplianceReport::new(TimeDelta::hours(2))?;
    /// report.push(("2024-07", "ana"), LeadId::new("L-1")?, &outcome(Some("2024-07-05T09:45:00-04:00"))?)?;
    /// report.push(("2024-07", "ana"), LeadId::new("L-2")?, &outcome(None)?)?; // open past the deadline
    /// let ana = report.finish()?.groups.remove(&("2024-07", "ana"));
    /// assert_eq!(ana.map(|g| (g.met, g.breached, g.speed.overdue)), Some((1, 1, 1)));
    /// // An outcome edited into nonsense is refused, naming the lead.
    /// let mut broken = outcome(None)?;
    /// broken.business_elapsed = TimeDelta::hours(-1);
    /// assert!(ComplianceReport::new(TimeDelta::hours(2))?.push("ana", LeadId::new("L-3")?, &broken).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
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
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::TimeDelta;
    /// use revops::LeadId;
    /// use revops::calendar::{BusinessCalendar, BusinessSpan, parse_date};
    /// use revops::sla::{ClockStart, ComplianceReport, ResponsePolicy, SlaInstance};
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let calendar = BusinessCalendar::builder("America/New_York").weekdays("09:00-17:00".parse()?).holiday(parse_date("2024-07-04")?).build()?;
    /// let policy = ResponsePolicy::new("follow_up", ClockStart::Mql, BusinessSpan::hours(2))?;
    /// let as_of = at("2024-07-05T12:00:00-04:00")?;
    /// // MQLs on Wednesday 16:00 EDT: two business hours run out Friday 10:00 (Thursday is a holiday).
    /// let mql = at("2024-07-03T16:00:00-04:00")?;
    /// let outcome = |stop: Option<&str>| -> Result<_, revops::Error> {
    ///     policy.evaluate(&calendar, &SlaInstance::new(mql, stop.map(at).transpose()?), as_of)
    /// };
    ///
    /// let target = TimeDelta::hours(2);
    /// let (mut monday, mut tuesday, mut one_pass) = (ComplianceReport::new(target)?, ComplianceReport::new(target)?, ComplianceReport::new(target)?);
    /// for (batch, lead, stop) in [(0, "L-1", Some("2024-07-03T16:00:00-04:00")), (1, "L-2", None), (1, "L-3", Some("2024-07-05T09:00:00-04:00"))] {
    ///     let evaluated = outcome(stop)?;
    ///     if batch == 0 { monday.push("ana", LeadId::new(lead)?, &evaluated)? } else { tuesday.push("ana", LeadId::new(lead)?, &evaluated)? }
    ///     one_pass.push("ana", LeadId::new(lead)?, &evaluated)?;
    /// }
    /// monday.merge(tuesday)?;
    /// assert_eq!(monday.finish()?, one_pass.finish()?);
    /// // Reports for another target do not merge.
    /// assert!(ComplianceReport::<&str>::new(target)?.merge(ComplianceReport::new(TimeDelta::hours(4))?).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
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

    /// The same report with each group's key mapped by `key`; groups mapped to one key merge
    /// (as [`merge`](ComplianceReport::merge) would), so a report kept per account can become a
    /// report per team once the accounts' teams are known.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] if a merged count leaves `u64`.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::TimeDelta;
    /// use revops::LeadId;
    /// use revops::calendar::{BusinessCalendar, BusinessSpan};
    /// use revops::sla::{ClockStart, ComplianceReport, ResponsePolicy, SlaInstance};
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let calendar = BusinessCalendar::builder("UTC").weekdays("09:00-17:00".parse()?).build()?;
    /// let policy = ResponsePolicy::new("follow_up", ClockStart::Mql, BusinessSpan::hours(2))?;
    /// let outcome = policy.evaluate(&calendar, &SlaInstance::new(at("2024-06-03T09:00:00Z")?, Some(at("2024-06-03T10:00:00Z")?)), at("2024-06-10T00:00:00Z")?)?;
    /// let mut by_account = ComplianceReport::new(TimeDelta::hours(2))?;
    /// by_account.push("acme", LeadId::new("L-1")?, &outcome)?;
    /// by_account.push("globex", LeadId::new("L-2")?, &outcome)?;
    /// let by_region = by_account.regroup(|_account| "europe")?.finish()?;
    /// assert_eq!(by_region.groups.get("europe").map(|g| g.met), Some(2));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn regroup<K2: Ord + Hash + Clone>(self, mut key: impl FnMut(K) -> K2) -> Result<ComplianceReport<K2>, Error> {
        let target = self.target;
        let mut groups: FastMap<K2, GroupTally> = FastMap::default();
        for (k, tally) in self.sorted() {
            match groups.entry(key(k)) {
                std::collections::hash_map::Entry::Occupied(mut mine) => mine.get_mut().merge(tally)?,
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(tally);
                }
            }
        }
        Ok(ComplianceReport { target, groups })
    }

    /// The groups in key order (the one order any output of the report is built in).
    fn sorted(self) -> Vec<(K, GroupTally)> {
        let mut groups: Vec<(K, GroupTally)> = self.groups.into_iter().collect();
        groups.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        groups
    }

    /// The figures per group and in total.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] if the total of a count over all groups leaves `u64`.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::TimeDelta;
    /// use revops::LeadId;
    /// use revops::calendar::{BusinessCalendar, BusinessSpan, parse_date};
    /// use revops::sla::{ClockStart, ComplianceReport, ResponsePolicy, SlaInstance};
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let calendar = BusinessCalendar::builder("America/New_York").weekdays("09:00-17:00".parse()?).holiday(parse_date("2024-07-04")?).build()?;
    /// let policy = ResponsePolicy::new("follow_up", ClockStart::Mql, BusinessSpan::hours(2))?;
    /// let as_of = at("2024-07-05T12:00:00-04:00")?;
    /// // MQLs on Wednesday 16:00 EDT: two business hours run out Friday 10:00 (Thursday is a holiday).
    /// let mql = at("2024-07-03T16:00:00-04:00")?;
    /// let outcome = |stop: Option<&str>| -> Result<_, revops::Error> {
    ///     policy.evaluate(&calendar, &SlaInstance::new(mql, stop.map(at).transpose()?), as_of)
    /// };
    ///
    /// let mut report = ComplianceReport::new(TimeDelta::hours(2))?;
    /// report.push("ana", LeadId::new("L-1")?, &outcome(Some("2024-07-05T10:00:00-04:00"))?)?; // at the deadline: met
    /// report.push("bo", LeadId::new("L-2")?, &outcome(Some("2024-07-05T10:01:00-04:00"))?)?; // a minute late
    /// let summary = report.finish()?;
    /// assert_eq!((summary.total.met, summary.total.breached), (1, 1));
    /// assert_eq!(summary.total.breaches.first().map(|b| b.by), Some(TimeDelta::minutes(1)));
    /// assert_eq!(summary.groups.len(), 2);
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn finish(self) -> Result<ComplianceSummary<K>, Error> {
        let mut total = GroupTally::new(self.target);
        let mut groups = BTreeMap::new();
        for (key, tally) in self.sorted() {
            total.merge(tally.clone())?;
            groups.insert(key, tally.finish()?);
        }
        Ok(ComplianceSummary { groups, total: total.finish()? })
    }
}

impl<K: Ord + Hash + Clone> Tally for ComplianceReport<K> {
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
mod wire;
