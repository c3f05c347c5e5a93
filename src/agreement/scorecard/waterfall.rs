//! The funnel-waterfall section of the board ([`WaterfallSection`]): the
//! [`Waterfall`] of the agreement's leads, grouped by lead source or owner, and the experiments
//! read off its groups.

use chrono::{DateTime, Utc};

use super::leads::LeadFacts;
use super::sla::UNASSIGNED;
use super::{Exclusion, Section, set_aside};
use crate::agreement::{Agreement, ExperimentTerms, LeadGrouping, ReportWindow, StageRate};
use crate::experiment::{RateComparison, compare_all};
use crate::facts::DispositionOutcome;
use crate::funnel::{Funnel, StageHistory};
use crate::metrics::{Waterfall, WaterfallDefinition, WaterfallGroup, WaterfallRecord, WaterfallTally};
use crate::{Error, Probability, Ratio, Record, StageId, Tally};

/// The funnel waterfall ([`WaterfallTerms`](crate::agreement::WaterfallTerms)) of the
/// agreement's leads and its experiments. Its plain-text rendering is its `Display`.
///
/// Each lead is one [`WaterfallRecord`]: its stage history from its stage changes (as the
/// funnel section reads it), created at its creation, grouped by the terms' key (a lead without
/// one under [`UNASSIGNED`]), its leak reason the reason of its latest rejecting or recycling
/// disposition. A lead whose stage changes the funnel refuses (an unknown stage, a change
/// before its creation) is set aside as an [`Exclusion`] of section `waterfall`, and the rest is
/// counted without it.
///
/// # Example
///
/// ```
/// use revops::testkit::{Company, sample_agreement};
///
/// let company = Company::new(42, 800)?;
/// let card = sample_agreement()?.evaluate(&company.facts(), company.as_of())?;
/// let section = card.waterfall.as_ref().ok_or("the sample agreement defines it")?;
/// // Every stage row splits its entries: advanced + leaked + open.
/// for row in &section.waterfall.overall.stages {
///     assert_eq!(row.entered, row.advanced + row.leaked + row.open);
/// }
/// // The experiment compares the groups' own rates.
/// let experiment = &section.experiments[0];
/// let control = &section.waterfall.groups[&experiment.control];
/// assert_eq!(experiment.control_rate, experiment.rate_of(control));
/// assert!(section.to_string().contains("funnel waterfall"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaterfallSection {
    /// The window, as the agreement defines it.
    pub window: ReportWindow,
    /// The key of the groups.
    pub group_by: LeadGrouping,
    /// The waterfall: overall, by group, and each group's effect.
    pub waterfall: Waterfall<String>,
    /// The experiments, in the agreement's order.
    pub experiments: Vec<ExperimentResult>,
    /// Leads set aside, sorted.
    pub excluded: Vec<Exclusion>,
}

/// One experiment of the board: the control group's rate and each variant's comparison.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExperimentResult {
    /// What the experiment asks.
    pub name: String,
    /// The stage whose conversion is compared.
    pub stage: StageId,
    /// Which conversion.
    pub rate: StageRate,
    /// The confidence level asked for (each comparison carries the level after correction).
    pub confidence: Probability,
    /// The control group's key.
    pub control: String,
    /// The control group's rate (`0/0` when the waterfall has no such group).
    pub control_rate: Ratio,
    /// Each variant, in the agreement's order.
    pub variants: Vec<VariantResult>,
}

/// One variant of an [`ExperimentResult`].
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariantResult {
    /// The variant group's key.
    pub key: String,
    /// Its rate (`0/0` when the waterfall has no such group).
    pub rate: Ratio,
    /// Against the control; `None` when either rate has no trials
    /// ([`compare_all`]: never a verdict without data).
    pub comparison: Option<RateComparison>,
}

impl ExperimentResult {
    /// The experiment's rate in `group`: its stage row's exact rate (`0/0` if the group has no
    /// such row).
    #[must_use]
    pub fn rate_of(&self, group: &WaterfallGroup) -> Ratio {
        rate_of(&self.stage, self.rate, Some(group))
    }
}

fn rate_of(stage: &StageId, rate: StageRate, group: Option<&WaterfallGroup>) -> Ratio {
    group.and_then(|g| g.stages.iter().find(|row| row.stage == *stage)).map_or(Ratio::new(0, 0), |row| match rate {
        StageRate::ToNext => row.to_next_exact,
        StageRate::Settled => row.settled_exact,
        StageRate::ToWon => row.to_won_exact,
    })
}

/// The accumulator of the waterfall section.
#[derive(Clone, Debug)]
pub(super) struct WaterfallSectionTally {
    window: ReportWindow,
    group_by: LeadGrouping,
    experiments: Vec<ExperimentTerms>,
    tally: WaterfallTally<String>,
    excluded: Vec<Exclusion>,
}

impl WaterfallSectionTally {
    /// The tally of `agreement`'s waterfall as of `as_of`; `None` unless defined.
    pub(super) fn new(agreement: &Agreement, as_of: DateTime<Utc>) -> Result<Option<WaterfallSectionTally>, Error> {
        let Some(terms) = &agreement.parts().kpis.waterfall else { return Ok(None) };
        let period = terms.period.resolve(as_of, agreement.reporting_zone())?;
        let definition = WaterfallDefinition::new(period, as_of, terms.reach)?
            .with_aging_edges(terms.aging_days.clone())?
            .with_percentiles(terms.percentiles.clone())?;
        Ok(Some(WaterfallSectionTally {
            window: terms.period,
            group_by: terms.group_by,
            experiments: terms.experiments.clone(),
            tally: WaterfallTally::new(agreement.funnel().clone(), definition),
            excluded: Vec::new(),
        }))
    }

    /// Counts one joined lead.
    pub(super) fn push_lead(&mut self, funnel: &Funnel, lead: &LeadFacts<'_>, strict: bool) -> Result<(), Error> {
        let id = &lead.lead.id;
        let history = StageHistory::from_facts(funnel, id, lead.changes.iter()).map_err(|error| match error.record() {
            Some(_) => error,
            None => error.about(Record::Lead(id.clone())),
        });
        let record = history.map(|history| {
            let key = self.group_by.key(lead.lead).unwrap_or(UNASSIGNED).to_owned();
            let mut record = WaterfallRecord::new(key, history).created_at(lead.lead.created_at);
            let latest = lead
                .dispositions
                .iter()
                .filter(|d| !matches!(d.outcome, DispositionOutcome::Accepted))
                .max_by_key(|d| d.at);
            if let Some(reason) = latest.and_then(|d| d.outcome.reason()) {
                record = record.with_reason(reason.clone());
            }
            record
        });
        match record.and_then(|record| self.tally.push(&record)) {
            Ok(()) => Ok(()),
            Err(error) if error.record().is_some() => {
                set_aside(strict, &mut self.excluded, Section::Waterfall, None, error)
            }
            Err(error) => Err(error),
        }
    }

    pub(super) fn merge(&mut self, other: WaterfallSectionTally) -> Result<(), Error> {
        // The tally refuses another funnel or definition; the window and grouping are the
        // agreement's, whose fingerprint the scorecard checked.
        self.tally.merge(other.tally)?;
        self.excluded.extend(other.excluded);
        Ok(())
    }

    pub(super) fn finish(mut self) -> Result<WaterfallSection, Error> {
        let waterfall = self.tally.finish()?;
        let group = |key: &str| waterfall.groups.get(key);
        let experiments = self
            .experiments
            .iter()
            .map(|terms| {
                let control_rate = rate_of(&terms.stage, terms.rate, group(&terms.control));
                let rates: Vec<Ratio> =
                    terms.variants.iter().map(|v| rate_of(&terms.stage, terms.rate, group(v))).collect();
                let comparisons = compare_all(control_rate, &rates, terms.confidence, terms.correction)?;
                let variants = terms
                    .variants
                    .iter()
                    .zip(rates)
                    .zip(comparisons)
                    .map(|((key, rate), comparison)| VariantResult { key: key.clone(), rate, comparison })
                    .collect();
                Ok(ExperimentResult {
                    name: terms.name.clone(),
                    stage: terms.stage.clone(),
                    rate: terms.rate,
                    confidence: terms.confidence,
                    control: terms.control.clone(),
                    control_rate,
                    variants,
                })
            })
            .collect::<Result<_, Error>>()?;
        self.excluded.sort();
        Ok(WaterfallSection {
            window: self.window,
            group_by: self.group_by,
            waterfall,
            experiments,
            excluded: self.excluded,
        })
    }
}
