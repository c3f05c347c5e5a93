//! The SLA sections: compliance and speed to lead per SLA part, grouped by team (the lead's
//! owner).

use chrono::{DateTime, TimeDelta, Utc};

use super::leads::LeadFacts;
use super::{Exclusion, Section, set_aside};
use crate::agreement::{Agreement, SlaTerms};
use crate::calendar::{BusinessCalendar, BusinessSpan, BusinessTimeline};
use crate::sla::{
    ComplianceReport, ComplianceSummary, LeadMilestones, LeadResponse, MilestoneStages, SpeedToLead, SpeedToLeadSummary,
};
use crate::{Error, ErrorKind, Record};

/// The team of a lead without an owner.
pub const UNASSIGNED: &str = "(unassigned)";

/// One policy's compliance: per team (the lead's [`owner`](crate::facts::Lead::owner), or
/// [`UNASSIGNED`]) and in total, each with its speed (business time) and its breaches.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyCompliance {
    /// The policy's name.
    pub policy: String,
    /// Per team and in total.
    pub summary: ComplianceSummary<String>,
}

/// One SLA part of the agreement, evaluated: the response policy's compliance and speed to
/// lead (business time per team, and wall-clock time over every lead), and the disposition
/// policy's compliance.
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
    /// Records set aside, sorted.
    pub excluded: Vec<Exclusion>,
}

#[derive(Clone, Debug)]
pub(super) struct SlaTally<'a> {
    key: &'a str,
    terms: &'a SlaTerms,
    /// The part's calendar, precomputed around `as_of` (see [`timeline`]).
    clock: BusinessTimeline,
    response: Option<(ComplianceReport<String>, SpeedToLead)>,
    disposition: Option<ComplianceReport<String>>,
    excluded: Vec<Exclusion>,
}

/// The speed target of `span` as a duration: its time, or for business days that many of
/// the calendar's average weekday (its weekly minutes over five).
fn target(span: BusinessSpan, calendar: &BusinessCalendar) -> Result<TimeDelta, Error> {
    if let Some(time) = span.as_time() {
        return Ok(time);
    }
    let days = i64::from(span.as_business_days().unwrap_or_default());
    let minutes = i64::from(calendar.weekly_minutes()) / 5;
    days.checked_mul(minutes)
        .and_then(TimeDelta::try_minutes)
        .ok_or_else(|| ErrorKind::Overflow { op: "SLA speed target" }.into())
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

impl<'a> SlaTally<'a> {
    /// One tally per SLA part of `agreement`, in key order.
    pub(super) fn all(agreement: &'a Agreement, as_of: DateTime<Utc>) -> Result<Vec<SlaTally<'a>>, Error> {
        let parts = agreement.parts();
        if let Some(key) = parts.sla.keys().next()
            && parts.kpis.lead_milestones.is_none()
        {
            return Err(ErrorKind::UnknownReference {
                part: "kpis.lead_milestones".to_owned(),
                kind: "lead milestone stages (needed by SLA part)",
                key: key.clone(),
            }
            .into());
        }
        let mut all = Vec::with_capacity(parts.sla.len());
        for (key, terms) in &parts.sla {
            let calendar = agreement.calendar(&terms.calendar).ok_or_else(|| ErrorKind::UnknownReference {
                part: format!("sla.{key}.calendar"),
                kind: "calendar",
                key: terms.calendar.clone(),
            })?;
            let response = match &terms.policies.response {
                Some(policy) => {
                    let target = target(policy.target(), calendar)?;
                    Some((ComplianceReport::new(target)?, SpeedToLead::new(target)?))
                }
                None => None,
            };
            let disposition = match &terms.policies.disposition {
                Some(policy) => Some(ComplianceReport::new(target(policy.within(), calendar)?)?),
                None => None,
            };
            let clock = timeline(calendar, as_of)?;
            all.push(SlaTally { key, terms, clock, response, disposition, excluded: Vec::new() });
        }
        Ok(all)
    }

    pub(super) fn set_aside(&mut self, strict: bool, error: Error) -> Result<(), Error> {
        set_aside(strict, &mut self.excluded, Section::Sla, Some(self.key), error)
    }

    /// Derives every lead's milestones once, then evaluates each part's policies on them.
    pub(super) fn push_all(
        parts: &mut [SlaTally<'a>],
        stages: Option<&MilestoneStages>,
        leads: &[LeadFacts<'_>],
        as_of: DateTime<Utc>,
        strict: bool,
    ) -> Result<(), Error> {
        let Some(stages) = stages.filter(|_| !parts.is_empty()) else { return Ok(()) };
        for lf in leads {
            let record = || Record::Lead(lf.lead.id.clone());
            match LeadMilestones::from_facts(stages, lf.lead, &lf.changes, &lf.responses, &lf.dispositions) {
                Ok(milestones) => {
                    let team = lf.lead.owner.as_deref().unwrap_or(UNASSIGNED);
                    for part in parts.iter_mut() {
                        if let Err(error) = part.push(&milestones, team, as_of) {
                            part.set_aside(strict, error.about(record()))?;
                        }
                    }
                }
                Err(error) => {
                    let error = error.about(record());
                    for part in parts.iter_mut() {
                        part.set_aside(strict, error.clone())?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Evaluates the part's policies on one lead; nothing is added unless every policy
    /// evaluated.
    fn push(&mut self, milestones: &LeadMilestones, team: &str, as_of: DateTime<Utc>) -> Result<(), Error> {
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
        let lead = milestones.lead();
        if let (Some(outcome), Some((report, wall))) = (&response, &mut self.response) {
            report.push(team.to_owned(), lead.clone(), outcome)?;
            let elapsed = outcome.wall_elapsed;
            wall.push(if outcome.stop.is_some() {
                LeadResponse::Responded(elapsed)
            } else {
                LeadResponse::Waiting(elapsed)
            })?;
        }
        if let (Some(outcome), Some(report)) = (&disposition, &mut self.disposition) {
            report.push(team.to_owned(), lead.clone(), outcome)?;
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
        self.excluded.extend(other.excluded);
        Ok(())
    }

    pub(super) fn finish(mut self) -> Result<(String, SlaSection), Error> {
        let policies = &self.terms.policies;
        let (response, wall_clock) = match (self.response, &policies.response) {
            (Some((report, wall)), Some(policy)) => (
                Some(PolicyCompliance { policy: policy.name().to_owned(), summary: report.finish()? }),
                Some(wall.finish()),
            ),
            _ => (None, None),
        };
        let disposition = match (self.disposition, &policies.disposition) {
            (Some(report), Some(policy)) => {
                Some(PolicyCompliance { policy: policy.name().to_owned(), summary: report.finish()? })
            }
            _ => None,
        };
        self.excluded.sort();
        let section = SlaSection {
            calendar: self.terms.calendar.clone(),
            response,
            wall_clock,
            disposition,
            excluded: self.excluded,
        };
        Ok((self.key.to_owned(), section))
    }
}
