//! The MQL-to-SAL handoff board of the funnel section: handoffs derived from the facts,
//! checked for the funnel's required fields, and the share meeting the score rule.
//!
//! The fit traits of each account are read by id at finish ([`Copies`]): an account given
//! twice with equal traits counts once; one given with different traits (in two partitions,
//! or twice in one) is set aside from the funnel section (kind `InconsistentRecord`), and
//! its leads' handoffs are scored without account traits, as for an account no partition
//! holds. A journey id given twice in one partition with different touches is set aside the
//! same way (a partition holds a lead with its journey), and its lead's handoff is read
//! without touches.

use std::collections::hash_map::Entry;

use crate::fast_map::FastMap;

use chrono::{DateTime, Utc};

use super::copies::{Copies, conflict};
use super::leads::LeadFacts;
use super::{Exclusion, Section, set_aside};
use crate::agreement::{Agreement, MqlHandoff};
use crate::calendar::{BusinessCalendar, BusinessClock, BusinessSpan};
use crate::facts::{Account, FactSet, Touchpoint};
use crate::funnel::{Activity, Handoff, LeadFacts as ScoringFacts};
use crate::{AccountId, ChannelId, Error, ErrorKind, JourneyId, LeadId, Ratio, Record};

/// The MQL-to-SAL handoffs ([`MqlHandoff`](crate::agreement::MqlHandoff) says how they are
/// derived): how many, how many carry every field the funnel requires, and how many leads met
/// the score rule at the handoff.
///
/// # Example
///
/// ```
/// use revops::testkit::{Company, sample_agreement};
///
/// let company = Company::new(42, 500)?;
/// let card = sample_agreement()?.evaluate(&company.facts(), company.as_of())?;
/// let handoffs = card.funnel.handoffs.as_ref().ok_or(revops::ErrorKind::Overflow { op: "no handoffs" })?;
/// assert_eq!(handoffs.complete.denominator(), handoffs.handoffs);
/// assert!(handoffs.meeting_rule.numerator() <= handoffs.handoffs);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandoffCounts {
    /// Leads handed over (entered the handoff's `from` stage).
    pub handoffs: u64,
    /// Handoffs carrying every field the funnel requires, over handoffs.
    pub complete: Ratio,
    /// Handoffs whose lead met the score rule, over handoffs.
    pub meeting_rule: Ratio,
}

/// One handed-over lead, as the push saw it (scored at finish, once every account is known).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Handed {
    lead: LeadId,
    account: Option<AccountId>,
    owner: Option<String>,
    source: Option<ChannelId>,
    at: DateTime<Utc>,
    deadline: DateTime<Utc>,
    /// The lead's touches up to the handoff, in journey order, as scoring activities.
    activities: Vec<Activity>,
    /// The first and last of those touches.
    first_touch: Option<Touchpoint>,
    last_touch: Option<Touchpoint>,
    /// The campaigns of the last three of those touches with one, latest first.
    recent_content: Vec<String>,
}

#[derive(Clone, Debug)]
pub(super) struct HandoffTally<'a> {
    terms: &'a MqlHandoff,
    calendar: &'a BusinessCalendar,
    target: BusinessSpan,
    handed: Vec<Handed>,
    /// Fit traits per account, by id.
    traits: Copies<AccountId, Vec<String>>,
    excluded: Vec<Exclusion>,
}

fn traits(terms: &MqlHandoff, account: &Account) -> Vec<String> {
    let mut out: Vec<String> = account.industry.iter().chain(&account.region).cloned().collect();
    out.extend(account.technologies.iter().flatten().cloned());
    out.extend(account.employees.and_then(|n| terms.band(n)).map(ToOwned::to_owned));
    out
}

impl<'a> HandoffTally<'a> {
    /// The tally of `agreement`'s handoff board; `None` without one.
    pub(super) fn new(agreement: &'a Agreement) -> Result<Option<HandoffTally<'a>>, Error> {
        let Some(terms) = &agreement.parts().kpis.mql_handoff else { return Ok(None) };
        let unknown = |kind, key: &str| ErrorKind::UnknownReference {
            part: "kpis.mql_handoff.sla".to_owned(),
            kind,
            key: key.to_owned(),
        };
        let sla = agreement.parts().sla.get(&terms.sla).ok_or_else(|| unknown("SLA part", &terms.sla))?;
        let policy = sla.policies.response.as_ref().ok_or_else(|| unknown("response policy", &terms.sla))?;
        let calendar = agreement.calendar(&sla.calendar).ok_or_else(|| unknown("calendar", &sla.calendar))?;
        Ok(Some(HandoffTally {
            terms,
            calendar,
            target: policy.target(),
            handed: Vec::new(),
            traits: Copies::default(),
            excluded: Vec::new(),
        }))
    }

    /// Adds one partition's accounts (their fit traits) and sets aside its conflicted
    /// journeys; its leads come one by one ([`HandoffTally::push_lead`]).
    pub(super) fn push_records(
        &mut self,
        facts: &FactSet,
        journeys: &JourneyIndex<'_>,
        strict: bool,
    ) -> Result<(), Error> {
        for account in &facts.accounts {
            let traits = traits(self.terms, account);
            self.traits.insert(account.id.clone(), traits);
        }
        journeys.set_aside(|error| set_aside(strict, &mut self.excluded, Section::Funnel, None, error))
    }

    /// Adds one lead of the partition: its handoff, if it entered the handoff's stage.
    pub(super) fn push_lead(
        &mut self,
        lf: &LeadFacts<'_>,
        journeys: &JourneyIndex<'_>,
        strict: bool,
    ) -> Result<(), Error> {
        let entries = lf.changes.iter().filter(|c| c.stage == self.terms.from).map(|c| c.at);
        let Some(at) = entries.min() else { return Ok(()) };
        let deadline = match self.calendar.add(at, self.target) {
            Ok(deadline) => deadline,
            Err(error) => {
                let error = error.about(Record::Lead(lf.lead.id.clone()));
                return set_aside(strict, &mut self.excluded, Section::Funnel, None, error);
            }
        };
        let touches = journeys.get(lf.lead.id.as_str()).map_or(&[][..], Touches::slice);
        // Filtering commutes with reversing: the latest touches up to `at` come first.
        let upto = || touches.iter().filter(|t| t.at <= at);
        let latest = || touches.iter().rev().filter(|t| t.at <= at);
        self.handed.push(Handed {
            lead: lf.lead.id.clone(),
            account: lf.lead.account.clone(),
            owner: lf.lead.owner.clone(),
            source: lf.lead.source.clone(),
            at,
            deadline,
            activities: upto().map(Activity::from_touchpoint).collect(),
            first_touch: upto().next().cloned(),
            last_touch: latest().next().cloned(),
            recent_content: latest().filter_map(|t| t.campaign.as_ref()).take(3).map(ToString::to_string).collect(),
        });
        Ok(())
    }

    pub(super) fn merge(&mut self, other: HandoffTally<'_>) -> Result<(), Error> {
        if self.terms != other.terms {
            return Err(ErrorKind::DefinitionMismatch { tally: "scorecard handoffs", field: "mql_handoff" }.into());
        }
        self.handed.extend(other.handed);
        self.traits.merge(other.traits);
        self.excluded.extend(other.excluded);
        Ok(())
    }

    /// The counts, and the records set aside (for the funnel section).
    pub(super) fn finish(
        mut self,
        agreement: &Agreement,
        strict: bool,
    ) -> Result<(HandoffCounts, Vec<Exclusion>), Error> {
        for account in self.traits.conflicted() {
            set_aside(strict, &mut self.excluded, Section::Funnel, None, conflict(Record::Account(account.clone())))?;
        }
        let overflow = || Error::from(ErrorKind::Overflow { op: "scorecard handoff count" });
        let scoring = agreement.parts().scoring.as_ref().ok_or_else(|| ErrorKind::UnknownReference {
            part: "kpis.mql_handoff".to_owned(),
            kind: "scoring model (scoring)",
            key: String::new(),
        })?;
        let rule = &self.terms.score_rule;
        let (described, below) = (rule.describe(), "hand-raise (below the score rule)");
        let (mut complete, mut met) = (0u64, 0u64);
        let handoffs = u64::try_from(self.handed.len()).map_err(|_| overflow())?;
        for h in self.handed {
            let mut facts = ScoringFacts::default();
            let traits = h.account.as_ref().and_then(|a| self.traits.get(a)).into_iter().flatten();
            facts.traits = traits.map(|t| t.clone().into()).collect();
            facts.activities = h.activities;
            let score = scoring.score(&facts, h.at);
            facts.set_score(score);
            let meets = rule.evaluate(&facts, h.at).qualified();
            let mut handoff = Handoff::new(self.terms.from.clone(), self.terms.to.clone());
            handoff.lead = Some(h.lead);
            handoff.account = h.account;
            handoff.owner = h.owner;
            (handoff.routed_at, handoff.mql_at, handoff.sla_deadline) = (Some(h.at), Some(h.at), Some(h.deadline));
            handoff.mql_reason = Some(if meets { described.clone() } else { below.to_owned() });
            (handoff.fit_score, handoff.engagement_score) = (Some(score.fit), Some(score.engagement));
            handoff.lead_source = h.source;
            (handoff.first_touch, handoff.last_touch) = (h.first_touch, h.last_touch);
            handoff.recent_content = h.recent_content;
            if agreement.funnel().validate_handoff(&handoff).is_ok() {
                complete = complete.checked_add(1).ok_or_else(overflow)?;
            }
            if meets {
                met = met.checked_add(1).ok_or_else(overflow)?;
            }
        }
        let counts = HandoffCounts {
            handoffs,
            complete: Ratio::new(complete, handoffs),
            meeting_rule: Ratio::new(met, handoffs),
        };
        Ok((counts, self.excluded))
    }
}

/// The partition's journeys by id, a lookup table only (its order never reaches a result):
/// `None` for an id given twice with different touches, which `conflict` sets aside once.
/// A journey's touches in a [`JourneyIndex`].
#[derive(Clone, Copy, Debug)]
pub(super) enum Touches<'a> {
    /// The journey's touches (every copy of it equal).
    Known(&'a [Touchpoint]),
    /// Copies of the journey differ: it is set aside, and read as no touches.
    Conflicted,
}

impl<'a> Touches<'a> {
    /// The touches; none for a conflicted journey.
    pub(super) const fn slice(self) -> &'a [Touchpoint] {
        match self {
            Touches::Known(touches) => touches,
            Touches::Conflicted => &[],
        }
    }
}

/// One partition's journeys by id, built once per push for the sections that join leads and
/// deals to their touches (handoffs, hygiene). A journey id given twice with different
/// touches maps to [`Touches::Conflicted`] and is listed in `conflicts`, in input order, for each section to set
/// aside in its own part of the board. A lookup table only: its order never reaches a result.
#[derive(Debug, Default)]
pub(super) struct JourneyIndex<'a> {
    by_id: FastMap<&'a str, Touches<'a>>,
    conflicts: Vec<&'a JourneyId>,
}

impl<'a> JourneyIndex<'a> {
    pub(super) fn new(facts: &'a FactSet) -> JourneyIndex<'a> {
        let mut by_id: FastMap<&str, Touches<'_>> = crate::fast_map::with_capacity(facts.journeys.len());
        let mut conflicts = Vec::new();
        for journey in &facts.journeys {
            let touches = journey.touches.as_slice();
            match by_id.entry(journey.id.as_str()) {
                Entry::Vacant(slot) => {
                    slot.insert(Touches::Known(touches));
                }
                Entry::Occupied(mut slot) => {
                    if matches!(slot.get(), Touches::Known(kept) if *kept != touches) {
                        slot.insert(Touches::Conflicted);
                        conflicts.push(&journey.id);
                    }
                }
            }
        }
        JourneyIndex { by_id, conflicts }
    }

    /// The touches of journey `id` (`None` for an id no journey has).
    pub(super) fn get(&self, id: &str) -> Option<Touches<'a>> {
        self.by_id.get(id).copied()
    }

    /// Sets aside each conflicted journey through `at`.
    pub(super) fn set_aside(&self, mut at: impl FnMut(Error) -> Result<(), Error>) -> Result<(), Error> {
        self.conflicts.iter().try_for_each(|id| at(conflict(Record::Journey((*id).clone()))))
    }
}
