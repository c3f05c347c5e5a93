//! The return-on-marketing section of the board ([`ReturnSection`]): the window's spend by
//! channel and campaign beside the revenue the named models attribute to the journeys
//! converting in it, and the cost per stage.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::deals::{admit, currency};
use super::leads::LeadFacts;
use super::{Exclusion, Section, set_aside};
use crate::agreement::{Agreement, ReportWindow};
use crate::attribution::{Breakdown, Totals};
use crate::facts::{DealStatus, FactSet, Journey};
use crate::metrics::{CostPerStage, MarketingFact, ReturnOnMarketing, ReturnOnMarketingTally, StageCounts};
use crate::{AccountId, Currency, Error, ErrorKind, Period, Record, StageId, Tally};

/// Return on marketing ([`ReturnTerms`](crate::agreement::ReturnTerms)): the
/// [`ReturnOnMarketing`] table of the window (spend by channel and campaign, one column per
/// named rule-based model, each reconciling to total spend and to that model's bookings to the
/// cent) and the [`CostPerStage`] of the window. Its plain-text rendering is its `Display`.
///
/// - **Revenue**: each named model's credits, by channel and campaign, over the journeys whose
///   conversion instant is in the window (a [`Totals`] with the campaign breakdown per model,
///   apart from the attribution section's, which reads every journey).
/// - **Spend**: the spend lines whose period lies inside the window; a line crossing a bound of
///   the window is set aside (split it at the bound), one wholly outside is not counted.
/// - **Cost per stage**: leads created in the window; leads whose *first* entry into the
///   agreement's MQL, SQL and opportunity stages is in the window; accounts whose first won
///   deal closes in the window (a won deal without an account is set aside: whose first win
///   it is cannot be told). Partitions must hold each lead with its stage changes (as every
///   lead section requires); an account's won deals may sit in any partition (the earliest
///   close per account is merged).
///
/// A journey a model refuses, a spend line or a deal it cannot read (another currency, finer
/// than the minor unit, crossing the window) is set aside as an [`Exclusion`] of section
/// `return_on_marketing`, named, and the rest is counted without it.
///
/// # Example
///
/// ```
/// use revops::testkit::{Company, sample_agreement};
///
/// let company = Company::new(42, 800)?;
/// let card = sample_agreement()?.evaluate(&company.facts(), company.as_of())?;
/// let section = card.return_on_marketing.as_ref().ok_or("the sample agreement defines it")?;
/// let table = &section.table;
/// // Every model's column reconciles: channel rows sum to its bookings, spend rows to the spend.
/// for (m, bookings) in table.bookings.iter().enumerate() {
///     let column = table.by_channel.values().map(|row| row.models[m].revenue);
///     assert_eq!(revops::Money::checked_sum(column, bookings.currency())?, *bookings);
/// }
/// assert_eq!(revops::Money::checked_sum(table.by_channel.values().map(|r| r.spend), table.spend.currency())?, table.spend);
/// assert!(section.to_string().contains("ROAS"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnSection {
    /// The window, as the agreement defines it.
    pub window: ReportWindow,
    /// The table: spend and, per model, revenue, ROAS and ROI by channel, by campaign, blended.
    pub table: ReturnOnMarketing,
    /// Cost per lead, MQL, SQL, opportunity and new customer of the window.
    pub cost: CostPerStage,
    /// Journeys, spend lines and deals set aside, sorted.
    pub excluded: Vec<Exclusion>,
}

/// The accumulator of the return-on-marketing section.
#[derive(Clone, Debug)]
pub(super) struct ReturnSectionTally {
    window: ReportWindow,
    period: Period,
    currency: Currency,
    tally: ReturnOnMarketingTally,
    models: Vec<(String, Totals)>,
    stages: [Option<StageId>; 3],
    /// Leads created, then first entries of the MQL, SQL and opportunity stages, in the window.
    counts: [u64; 4],
    /// The earliest won close per account (any partition may hold an account's wins).
    first_win: BTreeMap<AccountId, DateTime<Utc>>,
    excluded: Vec<Exclusion>,
}

fn overflow() -> Error {
    ErrorKind::Overflow { op: "scorecard return on marketing" }.into()
}

impl ReturnSectionTally {
    /// The tally of `agreement`'s return on marketing as of `as_of`; `None` unless defined.
    pub(super) fn new(agreement: &Agreement, as_of: DateTime<Utc>) -> Result<Option<ReturnSectionTally>, Error> {
        let parts = agreement.parts();
        let Some(terms) = &parts.kpis.return_on_marketing else { return Ok(None) };
        let period = terms.period.resolve(as_of, agreement.reporting_zone())?;
        let currency = currency(agreement)?;
        let tally = ReturnOnMarketingTally::new(period, currency, terms.models.iter().cloned())?;
        let breakdown = Breakdown { campaign: true, ..Breakdown::default() };
        let models = terms
            .models
            .iter()
            .map(|name| {
                let model = parts.attribution.models.get(name).ok_or_else(|| ErrorKind::UnknownKey {
                    kind: "kpis.return_on_marketing.models",
                    key: name.clone(),
                })?;
                Ok((name.clone(), Totals::with_breakdown(model.clone(), breakdown)))
            })
            .collect::<Result<_, Error>>()?;
        let s = &terms.stages;
        Ok(Some(ReturnSectionTally {
            window: terms.period,
            period,
            currency,
            tally,
            models,
            stages: [s.mql.clone(), s.sql.clone(), s.opportunity.clone()],
            counts: [0; 4],
            first_win: BTreeMap::new(),
            excluded: Vec::new(),
        }))
    }

    /// Adds the partition's journeys, spend lines and deals.
    pub(super) fn push(&mut self, facts: &FactSet, strict: bool) -> Result<(), Error> {
        for journey in &facts.journeys {
            self.push_journey(journey, strict)?;
        }
        for spend in &facts.spend {
            match self.tally.push(&MarketingFact::Spend(spend.clone())) {
                Ok(()) => {}
                Err(error) if error.record().is_some() => {
                    set_aside(strict, &mut self.excluded, Section::ReturnOnMarketing, None, error)?;
                }
                Err(error) => return Err(error),
            }
        }
        for deal in facts.deals.iter().filter(|d| d.status == DealStatus::Won) {
            let checked = admit(deal, None).and_then(|()| {
                deal.account.clone().ok_or_else(|| {
                    ErrorKind::InconsistentRecord { reason: "a won deal needs an account to tell a new customer" }
                        .about(Record::Deal(deal.id.clone()))
                })
            });
            match (checked, deal.closed_at) {
                (Ok(account), Some(closed)) => {
                    let slot = self.first_win.entry(account).or_insert(closed);
                    *slot = (*slot).min(closed);
                }
                // `check` refuses a won deal without a close instant.
                (Ok(_), None) => {}
                (Err(error), _) => set_aside(strict, &mut self.excluded, Section::ReturnOnMarketing, None, error)?,
            }
        }
        Ok(())
    }

    fn push_journey(&mut self, journey: &Journey, strict: bool) -> Result<(), Error> {
        let Some(conversion) = &journey.conversion else { return Ok(()) };
        if !self.period.contains(conversion.at) {
            return Ok(());
        }
        if conversion.value.currency() != self.currency {
            let kind = ErrorKind::MixedCurrency { expected: self.currency, found: conversion.value.currency() };
            let error = kind.about(Record::Journey(journey.id.clone()));
            return set_aside(strict, &mut self.excluded, Section::ReturnOnMarketing, None, error);
        }
        for (name, totals) in &mut self.models {
            if let Err(error) = totals.push(journey) {
                let error = error.about(Record::Journey(journey.id.clone()));
                set_aside(strict, &mut self.excluded, Section::ReturnOnMarketing, Some(name), error)?;
            }
        }
        Ok(())
    }

    /// Counts one joined lead: created in the window, and its first entries of the cost stages.
    pub(super) fn push_lead(&mut self, lead: &LeadFacts<'_>) -> Result<(), Error> {
        if self.period.contains(lead.lead.created_at) {
            self.counts[0] = self.counts[0].checked_add(1).ok_or_else(overflow)?;
        }
        for (i, stage) in self.stages.iter().enumerate() {
            let Some(stage) = stage else { continue };
            let first = lead.changes.iter().filter(|c| c.stage == *stage).map(|c| c.at).min();
            if first.is_some_and(|at| self.period.contains(at)) {
                let slot = self.counts.get_mut(i + 1).ok_or_else(overflow)?;
                *slot = slot.checked_add(1).ok_or_else(overflow)?;
            }
        }
        Ok(())
    }

    pub(super) fn merge(&mut self, other: ReturnSectionTally) -> Result<(), Error> {
        if (self.window, self.period, &self.stages) != (other.window, other.period, &other.stages) {
            let kind = ErrorKind::DefinitionMismatch {
                tally: "scorecard return on marketing",
                field: "kpis.return_on_marketing",
            };
            return Err(kind.into());
        }
        self.tally.merge(other.tally)?;
        for ((_, mine), (_, theirs)) in self.models.iter_mut().zip(other.models) {
            mine.merge(theirs)?;
        }
        for (mine, theirs) in self.counts.iter_mut().zip(other.counts) {
            *mine = mine.checked_add(theirs).ok_or_else(overflow)?;
        }
        for (account, closed) in other.first_win {
            let slot = self.first_win.entry(account).or_insert(closed);
            *slot = (*slot).min(closed);
        }
        self.excluded.extend(other.excluded);
        Ok(())
    }

    pub(super) fn finish(mut self) -> Result<ReturnSection, Error> {
        for (name, totals) in self.models {
            // The report names the model by its label (`time_decay`); the table's columns are
            // the agreement's names (`time_decay_7d`), which may differ.
            let mut report = totals.finish()?;
            report.model = name;
            // One currency (journeys in another were set aside), the tally's own models, and
            // the campaign breakdown: the report reconciles by construction.
            self.tally.push(&MarketingFact::Attributed(report))?;
        }
        let customers = self.first_win.values().filter(|at| self.period.contains(**at)).count();
        let [leads, mqls, sqls, opportunities] = self.counts;
        let counts = StageCounts {
            leads,
            mqls,
            sqls,
            opportunities,
            customers: u64::try_from(customers).map_err(|_| overflow())?,
        };
        let table = self.tally.finish()?;
        let cost = table.cost_per_stage(counts)?;
        self.excluded.sort();
        Ok(ReturnSection { window: self.window, table, cost, excluded: self.excluded })
    }
}
