//! The SLA sections: compliance and speed to lead per SLA part, grouped by team (the part's
//! [`TeamRule`](crate::agreement::TeamRule)); marketing's volume per month and quality.

use chrono::{DateTime, Utc};

use super::leads::LeadFacts;
use super::{Exclusion, Section, set_aside};
use crate::agreement::{Agreement, SlaTerms};
use crate::calendar::{BusinessCalendar, BusinessSpan, BusinessTimeline};
use crate::facts::{Account, Deal};
use crate::sla::{
    Breach, ComplianceReport, ComplianceSummary, LeadMilestones, LeadResponse, QualityFact, QualityResult,
    QualityTally, SpeedToLead, SpeedToLeadSummary, VolumeFact, VolumeMeasure, VolumeResult, VolumeTally,
};
use crate::{Error, ErrorKind, Period, Record};

mod teams;
mod text;
mod timers;
mod words;

use teams::{AccountTeams, TeamKey};
pub use timers::{SlaTimer, SlaTimers};
pub use words::SlaWords;

/// The team of a lead without an owner.
pub const UNASSIGNED: &str = "(unassigned)";

/// One policy's compliance: per team (by the part's [`TeamRule`](crate::agreement::TeamRule),
/// or [`UNASSIGNED`]) and in total, each with its speed (business time) and its breaches.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyCompliance {
    /// The policy's name.
    pub policy: String,
    /// The policy's target (its deadline after the clock starts), as the agreement gives it.
    pub within: BusinessSpan,
    /// Per team and in total.
    pub summary: ComplianceSummary<String>,
    /// The breaches still open at `as_of` (no stop: past the deadline and waiting), in total.
    pub open_breaches: u64,
    /// The breach over its deadline by the most business time, in total (of equals, the last
    /// in the breach order: by deadline, then lead).
    pub worst_breach: Option<Breach>,
    /// The open instances' escalation timers at `as_of`: running, at risk, paused, and the
    /// next at-risk and breach instants.
    #[serde(default)]
    pub timers: SlaTimers,
}

impl PolicyCompliance {
    fn new(
        policy: &str,
        within: BusinessSpan,
        summary: ComplianceSummary<String>,
        timers: SlaTimers,
    ) -> PolicyCompliance {
        let breaches = &summary.total.breaches;
        let open_breaches = breaches.iter().filter(|b| b.stop.is_none()).count() as u64;
        let worst_breach = breaches.iter().max_by_key(|b| b.by).cloned();
        PolicyCompliance { policy: policy.to_owned(), within, summary, open_breaches, worst_breach, timers }
    }
}

/// One month of one volume commitment: the month (`YYYY-MM`, local to the part's calendar)
/// and the commitment's result over it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonthlyVolume {
    /// The month, `YYYY-MM`.
    pub month: String,
    /// What the commitment counts.
    pub measure: VolumeMeasure,
    /// Met or missed, with the gap.
    pub result: VolumeResult,
}

/// One SLA part of the agreement, evaluated: the response policy's compliance and speed to
/// lead (business time per team, and wall-clock time over every lead), the disposition
/// policy's compliance, marketing's volume per month (MQLs and SQLs from the leads'
/// milestones, pipeline from the deals' amounts at creation) and quality (over every MQL), and
/// the definitions in words.
///
/// # Example
///
/// ```
/// use revops::testkit::{Company, sample_agreement};
///
/// let company = Company::new(42, 500)?;
/// let card = sample_agreement()?.evaluate(&company.facts(), company.as_of())?;
/// let sla = card.sla.get("sales_follow_up").and_then(|s| s.response.as_ref()).map(|r| &r.summary.total);
/// assert!(sla.is_some_and(|total| total.met + total.breached + total.active > 0));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaSection {
    /// The key of the calendar it is measured in.
    pub calendar: String,
    /// The response policy's compliance, if the part has one.
    pub response: Option<PolicyCompliance>,
    /// Speed to lead in wall-clock time (the response policy's clock, not business time).
    pub wall_clock: Option<SpeedToLeadSummary>,
    /// The disposition policy's compliance, if the part has one.
    pub disposition: Option<PolicyCompliance>,
    /// Each volume commitment per month of the part's
    /// [`volume_months`](crate::agreement::SlaTerms::volume_months), commitment by commitment.
    pub volume: Vec<MonthlyVolume>,
    /// The quality commitment over every MQL, if the part has one. Each MQL counts as meeting
    /// the qualification rules (the MQL rule is the funnel's; a minimum of MQLs meeting it is
    /// refused by the agreement's validation).
    pub quality: Option<QualityResult>,
    /// The part's definitions in words.
    pub words: SlaWords,
    /// Records set aside, sorted.
    pub excluded: Vec<Exclusion>,
}

#[derive(Clone, Debug)]
pub(super) struct SlaTally<'a> {
    key: &'a str,
    terms: &'a SlaTerms,
    calendar: &'a BusinessCalendar,
    /// The part's calendar, precomputed around `as_of` (see [`timeline`]).
    clock: BusinessTimeline,
    response: Option<(ComplianceReport<TeamKey>, SpeedToLead)>,
    disposition: Option<ComplianceReport<TeamKey>>,
    /// The response and disposition policies' open instances' timers.
    timers: [SlaTimers; 2],
    /// One tally per commitment and month, commitment by commitment.
    volume: Vec<(String, VolumeMeasure, VolumeTally)>,
    quality: Option<QualityTally>,
    accounts: AccountTeams,
    excluded: Vec<Exclusion>,
}

/// Local dates the precomputed timeline covers before `as_of`'s date (about three years) and
/// after it (a quarter, for deadlines past `as_of`). Instants outside are answered by the
/// calendar itself: slower, never different.
const TIMELINE_DAYS_BEFORE: u64 = 3 * 366;
const TIMELINE_DAYS_AFTER: u64 = 92;

/// `calendar` precomputed around `as_of`.
fn timeline(calendar: &BusinessCalendar, as_of: DateTime<Utc>) -> Result<BusinessTimeline, Error> {
    let day = as_of.date_naive();
    let out = || ErrorKind::InstantOutOfRange { instant: as_of.to_string() };
    let from = day.checked_sub_days(chrono::Days::new(TIMELINE_DAYS_BEFORE)).ok_or_else(out)?;
    let to = day.checked_add_days(chrono::Days::new(TIMELINE_DAYS_AFTER)).ok_or_else(out)?;
    BusinessTimeline::new(calendar, from, to)
}

/// The volume tallies of `terms`: each commitment over each month, local to `calendar`.
fn volume_tallies(
    terms: &SlaTerms,
    calendar: &BusinessCalendar,
) -> Result<Vec<(String, VolumeMeasure, VolumeTally)>, Error> {
    let Some(months) = terms.volume_months.filter(|_| !terms.policies.volume.is_empty()) else { return Ok(Vec::new()) };
    let zone = calendar.zone();
    let starts: Vec<_> = months.months().collect();
    let mut tallies = Vec::new();
    for commitment in &terms.policies.volume {
        for month in &starts {
            let next = month.checked_add_months(chrono::Months::new(1));
            let next = next.ok_or_else(|| ErrorKind::InstantOutOfRange { instant: month.to_string() })?;
            let period = Period::new(zone.start_of_day(*month)?, zone.start_of_day(next)?)?;
            tallies.push((
                month.format("%Y-%m").to_string(),
                commitment.measure(),
                VolumeTally::new(commitment, period),
            ));
        }
    }
    Ok(tallies)
}

impl<'a> SlaTally<'a> {
    /// One tally per SLA part of `agreement`, in key order.
    pub(super) fn all(agreement: &'a Agreement, as_of: DateTime<Utc>) -> Result<Vec<SlaTally<'a>>, Error> {
        let parts = agreement.parts();
        let mut all = Vec::with_capacity(parts.sla.len());
        for (key, terms) in &parts.sla {
            let calendar = agreement.calendar(&terms.calendar).ok_or_else(|| ErrorKind::UnknownReference {
                part: format!("sla.{key}.calendar"),
                kind: "calendar",
                key: terms.calendar.clone(),
            })?;
            let response = match &terms.policies.response {
                Some(policy) => {
                    let target = policy.target().nominal_time(calendar)?;
                    Some((ComplianceReport::new(target)?, SpeedToLead::new(target)?))
                }
                None => None,
            };
            let disposition = match &terms.policies.disposition {
                Some(policy) => Some(ComplianceReport::new(policy.within().nominal_time(calendar)?)?),
                None => None,
            };
            all.push(SlaTally {
                key,
                terms,
                calendar,
                clock: timeline(calendar, as_of)?,
                response,
                disposition,
                timers: [SlaTimers::default(), SlaTimers::default()],
                volume: volume_tallies(terms, calendar)?,
                quality: terms.policies.quality.as_ref().map(QualityTally::new),
                accounts: AccountTeams::default(),
                excluded: Vec::new(),
            });
        }
        Ok(all)
    }

    pub(super) fn set_aside(&mut self, strict: bool, error: Error) -> Result<(), Error> {
        set_aside(strict, &mut self.excluded, Section::Sla, Some(self.key), error)
    }

    /// Adds one partition's independent records to every part: the accounts' teams and the
    /// deals' pipeline (its leads come one by one, [`SlaTally::push_lead`]).
    pub(super) fn push_records(
        parts: &mut [SlaTally<'a>],
        accounts: &[Account],
        deals: &[Deal],
        strict: bool,
    ) -> Result<(), Error> {
        for part in parts.iter_mut() {
            for account in accounts {
                part.accounts.push(&part.terms.teams, account);
            }
            if part.volume.is_empty() {
                continue;
            }
            for deal in deals {
                let fact = VolumeFact::of_deal(deal);
                if let Err(error) = part.volume.iter_mut().try_for_each(|(_, _, tally)| tally.push(&fact)) {
                    part.set_aside(strict, error.about(Record::Deal(deal.id.clone())))?;
                }
            }
        }
        Ok(())
    }

    /// Adds one lead of a partition to every part: its milestones (derived once per distinct
    /// milestone stages) evaluated by each part.
    pub(super) fn push_lead(
        parts: &mut [SlaTally<'a>],
        lf: &LeadFacts<'_>,
        as_of: DateTime<Utc>,
        strict: bool,
    ) -> Result<(), Error> {
        let record = || Record::Lead(lf.lead.id.clone());
        let mut derived: Option<(&crate::sla::MilestoneStages, Result<LeadMilestones, Error>)> = None;
        for part in parts.iter_mut() {
            let stages = &part.terms.milestones;
            if derived.as_ref().is_none_or(|(s, _)| *s != stages) {
                let milestones =
                    LeadMilestones::from_joined(stages, lf.lead, &lf.changes, &lf.responses, &lf.dispositions);
                derived = Some((stages, milestones));
            }
            let Some((_, milestones)) = &derived else { continue };
            let result = match milestones {
                Ok(milestones) => part.push(milestones, TeamKey::of(&part.terms.teams, lf.lead), as_of),
                Err(error) => Err(error.clone()),
            };
            if let Err(error) = result {
                part.set_aside(strict, error.about(record()))?;
            }
        }
        Ok(())
    }

    /// Evaluates the part's policies and commitments on one lead; nothing is added unless
    /// every policy evaluated and every volume fact is well formed.
    fn push(&mut self, milestones: &LeadMilestones, team: TeamKey, as_of: DateTime<Utc>) -> Result<(), Error> {
        let policies = &self.terms.policies;
        let response = match &policies.response {
            Some(policy) => policy.evaluate_lead(&self.clock, milestones, as_of)?,
            None => None,
        };
        let disposition = match &policies.disposition {
            Some(policy) => policy.evaluate_lead(&self.clock, milestones, as_of)?,
            None => None,
        };
        for outcome in response.iter().chain(&disposition) {
            outcome.check()?;
        }
        // The open instances' timers (a stopped instance has none: no second evaluation).
        let open = |o: &Option<crate::sla::SlaOutcome>| o.as_ref().is_some_and(|o| o.stop.is_none());
        let mut escalations = [None, None];
        if let (true, Some(policy)) = (open(&response), &policies.response)
            && let Some(instance) = policy.instance(milestones)
        {
            escalations[0] = Some(policy.escalation(&self.clock, &instance, as_of)?);
        }
        if let (true, Some(policy)) = (open(&disposition), &policies.disposition)
            && let Some(instance) = policy.instance(milestones)
        {
            escalations[1] = Some(policy.escalation(&self.clock, &instance, as_of)?);
        }
        let volume = if self.volume.is_empty() { Vec::new() } else { VolumeFact::of_lead(milestones) };
        for fact in &volume {
            fact.check()?;
        }
        let lead = milestones.lead();
        if let (Some(outcome), Some((report, wall))) = (&response, &mut self.response) {
            report.push(team.clone(), lead.clone(), outcome)?;
            let elapsed = outcome.wall_elapsed;
            wall.push(if outcome.stop.is_some() {
                LeadResponse::Responded(elapsed)
            } else {
                LeadResponse::Waiting(elapsed)
            })?;
        }
        if let (Some(outcome), Some(report)) = (&disposition, &mut self.disposition) {
            report.push(team, lead.clone(), outcome)?;
        }
        for (timers, escalation) in self.timers.iter_mut().zip(escalations) {
            if let Some(escalation) = escalation {
                timers.push(lead, escalation, as_of)?;
            }
        }
        for fact in &volume {
            for (_, _, tally) in &mut self.volume {
                tally.push(fact)?;
            }
        }
        if let (Some(tally), Some(fact)) = (&mut self.quality, QualityFact::from_milestones(milestones, true)) {
            tally.push(&fact)?;
        }
        Ok(())
    }

    pub(super) fn merge(&mut self, other: SlaTally<'_>) -> Result<(), Error> {
        if self.key != other.key {
            return Err(ErrorKind::DefinitionMismatch { tally: "scorecard sla", field: "part" }.into());
        }
        if let (Some((report, wall)), Some((theirs, their_wall))) = (&mut self.response, other.response) {
            report.merge(theirs)?;
            wall.merge(their_wall)?;
        }
        if let (Some(report), Some(theirs)) = (&mut self.disposition, other.disposition) {
            report.merge(theirs)?;
        }
        for (mine, theirs) in self.timers.iter_mut().zip(other.timers) {
            mine.merge(theirs)?;
        }
        if self.volume.len() != other.volume.len() {
            return Err(ErrorKind::DefinitionMismatch { tally: "scorecard sla", field: "volume" }.into());
        }
        for ((_, _, mine), (_, _, theirs)) in self.volume.iter_mut().zip(other.volume) {
            mine.merge(theirs)?;
        }
        if let (Some(mine), Some(theirs)) = (&mut self.quality, other.quality) {
            mine.merge(theirs)?;
        }
        self.accounts.merge(other.accounts);
        self.excluded.extend(other.excluded);
        Ok(())
    }

    /// The section; in strict mode, an account given conflicting teams is an error.
    pub(super) fn finish(mut self, strict: bool) -> Result<(String, SlaSection), Error> {
        let policies = &self.terms.policies;
        let (team, conflicts) = self.accounts.resolve();
        let summary = |report: ComplianceReport<TeamKey>| report.regroup(&team).and_then(ComplianceReport::finish);
        let [response_timers, disposition_timers] = self.timers;
        let (response, wall_clock) = match (self.response, &policies.response) {
            (Some((report, wall)), Some(policy)) => (
                Some(PolicyCompliance::new(policy.name(), policy.target(), summary(report)?, response_timers)),
                Some(wall.finish()),
            ),
            _ => (None, None),
        };
        let disposition = match (self.disposition, &policies.disposition) {
            (Some(report), Some(policy)) => {
                Some(PolicyCompliance::new(policy.name(), policy.within(), summary(report)?, disposition_timers))
            }
            _ => None,
        };
        for error in conflicts {
            set_aside(strict, &mut self.excluded, Section::Sla, Some(self.key), error)?;
        }
        self.excluded.sort();
        let volume = self.volume.into_iter().map(|(month, measure, tally)| MonthlyVolume {
            month,
            measure,
            result: tally.finish(),
        });
        let words =
            SlaWords::new(self.calendar, policies.response.as_ref(), policies.disposition.as_ref(), &policies.volume);
        let section = SlaSection {
            calendar: self.terms.calendar.clone(),
            response,
            wall_clock,
            disposition,
            volume: volume.collect(),
            quality: self.quality.map(QualityTally::finish),
            words,
            excluded: self.excluded,
        };
        Ok((self.key.to_owned(), section))
    }
}
