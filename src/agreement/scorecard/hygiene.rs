//! The funnel-hygiene block: lead flow (revenue per lead, SAL acceptance, disposition rate,
//! leakage), marketing-sourced and -influenced pipeline, and closed-lost deals by reason, as
//! the agreement's [`FunnelHygiene`] defines them.

use chrono::{DateTime, Utc};

use super::handoff::{JourneyIndex, Touches};
use super::leads::{LeadFacts, LeadIndex};
use super::{Exclusion, Section, set_aside};
use crate::agreement::{Agreement, FunnelHygiene};
use crate::facts::{Deal, FactSet};
use crate::metrics::{
    LeadFact, LeadFlow, LeadFlowTally, LossReasonTally, LossReasons, OpportunityTouches, Sourcing, SourcingTally,
};
use crate::{Error, ErrorKind, Period, Record, Tally};

/// The funnel-hygiene block, over the periods the agreement's
/// [`FunnelHygiene`] names, resolved as of the scorecard's `as_of` in the reporting zone.
///
/// - **Lead flow** ([`LeadFlowTally`]): each lead's [`LeadFact`] derived from its stage
///   changes (delivered at its first entry of the handoff stage), its dispositions and the
///   deals naming it ([`Deal::lead`]).
/// - **Sourcing** ([`SourcingTally`]): each deal with the marketing touches (every channel
///   but the sales channels) of its journey: the journey whose id is the deal's id, else the
///   one whose id is the deal's lead's id (a deal without either has no touches).
/// - **Losses** ([`LossReasonTally`]): every deal closed lost in the losses period.
///
/// A partition holds a lead with its deals, and a deal with its journey. A journey id given
/// twice in one partition with different touches is set aside (kind `InconsistentRecord`),
/// and the deals reading it have no touches; equal copies are one journey. A deal naming a lead
/// its partition does not hold is set aside from the lead flow (kind `UnknownKey`), and so is
/// a lead whose facts fail [`LeadFact::from_facts`]; a deal the sourcing or losses tally
/// refuses (another currency) is set aside from it.
///
/// # Example
///
/// ```
/// use revops::testkit::{Company, sample_agreement};
///
/// let company = Company::new(42, 500)?;
/// let card = sample_agreement()?.evaluate(&company.facts(), company.as_of())?;
/// let hygiene = card.hygiene.as_ref().ok_or(revops::ErrorKind::Overflow { op: "no hygiene" })?;
/// let flow = &hygiene.lead_flow;
/// assert_eq!(flow.disposition_rate.denominator(), flow.leakage.denominator());
/// assert_eq!(hygiene.losses.lost, hygiene.losses.by_reason.values().map(|r| r.deals).sum::<u64>());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HygieneSection {
    /// The period leads are created or delivered in, and opportunities created in.
    pub period: Period,
    /// Revenue per lead, SAL acceptance, disposition rate, leakage.
    pub lead_flow: LeadFlow,
    /// Marketing-sourced and -influenced pipeline.
    pub sourcing: Sourcing,
    /// The period deals closed lost in.
    pub losses_period: Period,
    /// Closed-lost deals by reason.
    pub losses: LossReasons,
    /// Records set aside, sorted.
    pub excluded: Vec<Exclusion>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct HygieneTally<'a> {
    terms: &'a FunnelHygiene,
    period: Period,
    losses_period: Period,
    flow: LeadFlowTally,
    sourcing: SourcingTally,
    losses: LossReasonTally,
    excluded: Vec<Exclusion>,
}

impl<'a> HygieneTally<'a> {
    /// The tally of `agreement`'s hygiene block as of `as_of`; `None` without one.
    pub(super) fn new(agreement: &'a Agreement, as_of: DateTime<Utc>) -> Result<Option<HygieneTally<'a>>, Error> {
        let kpis = &agreement.parts().kpis;
        let (Some(terms), Some(currency)) = (&kpis.hygiene, kpis.currency) else { return Ok(None) };
        let zone = agreement.reporting_zone();
        let period = terms.period.resolve(as_of, zone)?;
        let losses_period = terms.losses_period.resolve(as_of, zone)?;
        Ok(Some(HygieneTally {
            terms,
            period,
            losses_period,
            flow: LeadFlowTally::new(period, as_of, terms.disposition_within()?, terms.revenue_horizon()?, currency)?,
            sourcing: SourcingTally::new(period, terms.influence_lookback()?, currency)?,
            losses: LossReasonTally::new(losses_period, currency),
            excluded: Vec::new(),
        }))
    }

    fn set_aside(&mut self, strict: bool, error: Error) -> Result<(), Error> {
        set_aside(strict, &mut self.excluded, Section::Hygiene, None, error)
    }

    /// Adds one partition's deals (sourcing, loss reasons) and sets aside its conflicted
    /// journeys; returns each lead's deals by the lead's position, for
    /// [`HygieneTally::push_lead`].
    pub(super) fn push_records<'f>(
        &mut self,
        facts: &'f FactSet,
        leads: &[LeadFacts<'_>],
        journeys: &JourneyIndex<'_>,
        strict: bool,
    ) -> Result<Vec<Vec<&'f Deal>>, Error> {
        // Lookup tables only (their order never reaches a result). Each lead's deals, by its
        // position, borrowed.
        let mut index = LeadIndex::new(leads);
        let mut deals_of: Vec<Vec<&Deal>> = vec![Vec::new(); leads.len()];
        journeys.set_aside(|error| set_aside(strict, &mut self.excluded, Section::Hygiene, None, error))?;
        for deal in &facts.deals {
            if let Some(lead) = &deal.lead {
                if let Some(list) = index.find(lead).and_then(|i| deals_of.get_mut(i)) {
                    list.push(deal);
                } else {
                    let error = ErrorKind::UnknownKey { kind: "lead", key: lead.to_string() }
                        .about(Record::Deal(deal.id.clone()));
                    self.set_aside(strict, error)?;
                }
            }
            let touches = journeys
                .get(deal.id.as_str())
                .or_else(|| deal.lead.as_ref().and_then(|l| journeys.get(l.as_str())))
                .map_or(&[][..], Touches::slice);
            let opportunity = OpportunityTouches::from_facts(deal, touches, |t| !self.terms.is_sales_touch(&t.channel));
            if let Err(error) = self.sourcing.push(&opportunity) {
                self.set_aside(strict, error.about(Record::Deal(deal.id.clone())))?;
            }
            if let Err(error) = self.losses.push(deal) {
                self.set_aside(strict, error.about(Record::Deal(deal.id.clone())))?;
            }
        }
        Ok(deals_of)
    }

    /// Adds one lead of the partition, with its deals, to the lead flow.
    pub(super) fn push_lead(&mut self, lf: &LeadFacts<'_>, deals: &[&Deal], strict: bool) -> Result<(), Error> {
        let fact = LeadFact::from_fact_refs(lf.lead, &self.terms.handoff, &lf.changes, &lf.dispositions, deals)
            .and_then(|fact| self.flow.push(&fact));
        match fact {
            Ok(()) => Ok(()),
            Err(error) => self.set_aside(strict, error.about(Record::Lead(lf.lead.id.clone()))),
        }
    }

    pub(super) fn merge(&mut self, other: HygieneTally<'_>) -> Result<(), Error> {
        if self.terms != other.terms {
            return Err(ErrorKind::DefinitionMismatch { tally: "scorecard hygiene", field: "hygiene" }.into());
        }
        self.flow.merge(other.flow)?;
        self.sourcing.merge(other.sourcing)?;
        self.losses.merge(other.losses)?;
        self.excluded.extend(other.excluded);
        Ok(())
    }

    pub(super) fn finish(mut self) -> Result<HygieneSection, Error> {
        self.excluded.sort();
        Ok(HygieneSection {
            period: self.period,
            lead_flow: self.flow.finish()?,
            sourcing: self.sourcing.finish()?,
            losses_period: self.losses_period,
            losses: self.losses.finish()?,
            excluded: self.excluded,
        })
    }
}
