//! [`Scorecard`]: the whole board an agreement defines, evaluated over facts as of an instant;
//! and [`ScorecardTally`], the accumulator behind it.
//!
//! [`Agreement::evaluate`] reads a [`FactSet`] and returns one serializable [`Scorecard`]
//! stamped with the agreement's [`Fingerprint`] and `as_of`. Its sections reuse the domain
//! accumulators of the crate, each over the facts it reads:
//!
//! | section | reads | computed with |
//! | --- | --- | --- |
//! | [`FunnelSection`] | leads, stage changes | [`StageHistory::from_facts`](crate::funnel::StageHistory::from_facts), [`Reach`](crate::funnel::Reach) |
//! | [`KpiSection`] | stage changes into the funnel's order | [`ConversionTally`](crate::metrics::ConversionTally) per [`ConversionStep`](super::ConversionStep) |
//! | [`IcpSection`] | accounts; deals and contacts (the ICP review) | [`IcpSet::score`](crate::icp::IcpSet::score), [`Tiers`](crate::icp::Tiers), [`Refinement`](crate::icp::Refinement), [`BuyingGroup::coverage`](crate::icp::BuyingGroup::coverage) |
//! | [`SlaSection`] (one per SLA part) | leads, stage changes, responses, dispositions; accounts (teams by account), deals (pipeline volume) | [`LeadMilestones::from_facts`](crate::sla::LeadMilestones::from_facts), [`ComplianceReport`](crate::sla::ComplianceReport), [`SpeedToLead`](crate::sla::SpeedToLead), [`VolumeTally`](crate::sla::VolumeTally), [`QualityTally`](crate::sla::QualityTally) |
//! | [`AttributionSection`] | journeys | [`Totals`](crate::attribution::Totals) per rule-based model, [`TransitionCounts`](crate::attribution::TransitionCounts) per Markov model, [`CoalitionCounts`](crate::attribution::CoalitionCounts) per Shapley model |
//! | [`GlanceSection`] | accounts, leads, journeys, deals, spend | counts and exact sums |
//! | [`HygieneSection`] | leads, stage changes, dispositions, deals, journeys | [`LeadFlowTally`](crate::metrics::LeadFlowTally), [`SourcingTally`](crate::metrics::SourcingTally), [`LossReasonTally`](crate::metrics::LossReasonTally) |
//! | [`DealSection`] | deals | [`WinRateTally`](crate::metrics::WinRateTally) (grouped), [`SalesCycleTally`](crate::metrics::SalesCycleTally), [`VelocityTally`](crate::metrics::VelocityTally), [`WeightedPipelineTally`](crate::metrics::WeightedPipelineTally), [`CoverageTally`](crate::metrics::CoverageTally) |
//! | [`ForecastSection`] | deals | [`ForecastTally`](crate::forecast::ForecastTally) (movement between snapshots is not on the board: see the section) |
//! | [`ReturnSection`] | journeys, spend, leads, stage changes, deals | [`ReturnOnMarketingTally`](crate::metrics::ReturnOnMarketingTally) over [`Totals`](crate::attribution::Totals) per named model (campaign breakdown), [`CostPerStage`](crate::metrics::CostPerStage) |
//! | [`WaterfallSection`] | leads, stage changes, dispositions | [`WaterfallTally`](crate::metrics::WaterfallTally) grouped by lead source or owner; [`compare_all`](crate::experiment::compare_all) on its groups' rates |
//! | [`EconomicsSection`] | deals, spend; journeys (first-touch rows); recurring revenue (measured churn) | [`new_customers`](crate::metrics::new_customers), [`CacTally`](crate::metrics::CacTally), [`Ltv`](crate::metrics::Ltv), [`cac_payback_months`](crate::metrics::cac_payback_months), [`cac_ratio`](crate::metrics::cac_ratio), [`RetentionTally`](crate::metrics::RetentionTally) |
//! | [`RetentionSection`] | recurring revenue; accounts (ICP tiers) | [`RetentionTally`](crate::metrics::RetentionTally), tiers by [`Icp::score`](crate::icp::Icp::score) |
//! | [`CurrencySection`] | the money of deals, spend, journeys, accounts, recurring revenue (before every other section) | [`FactConverter`](crate::fx::FactConverter) through the agreement's [`RateTerms`](super::RateTerms) |
//!
//! Contacts are read by the ICP review only (the buying-group coverage of the open deals).
//!
//! # Bad records
//!
//! A record that fails a section's rule is set aside as an [`Exclusion`] of that section
//! (which record, which rule, in words), and the rest of the section is computed without it;
//! every section lists what it excluded, in a deterministic order. Nothing is dropped
//! silently. [`Agreement::evaluate_strict`] stops at the first such error instead. A record
//! given twice (in two partitions, or twice in one) counts once where a section joins by id;
//! copies that differ in what the section reads are set aside (kind `InconsistentRecord`),
//! none of them counting, whatever the push and merge order.
//!
//! # The push unit
//!
//! [`ScorecardTally`] pushes whole [`FactSet`] partitions: a partition must hold *every* fact
//! of the leads it holds (the lead, its stage changes, responses and dispositions), because the
//! funnel and SLA sections join them; and the deals of those leads with their journeys, which
//! the hygiene block joins. Accounts, contacts, spend, and the journeys and deals of no lead,
//! are independent records and may sit in any partition, as is recurring revenue (the
//! retention section joins an account's facts across partitions; the economics section keeps each
//! account's first win across partitions and joins it to its journey's first touch at finish; the ICP review joins accounts, their deals and the
//! deals' contacts by id at finish). A stage change, response or disposition naming a lead its partition
//! does not hold is set aside (kind `UnknownKey`), as is a lead id given twice in one
//! partition. Partitions by lead (or by account, with the account's leads) merge in any order
//! to the scorecard of one pass.
//!
//! # Example
//!
//! ```
//! use revops::testkit::{Company, sample_agreement};
//!
//! let company = Company::new(42, 300)?;
//! let agreement = sample_agreement()?;
//! let card = agreement.evaluate(&company.facts(), company.as_of())?;
//! assert_eq!(&card.fingerprint, agreement.fingerprint());
//! assert_eq!(card.funnel.leads, 300);
//! assert!(card.exclusions().next().is_none());
//! # Ok::<(), revops::Error>(())
//! ```

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::{Agreement, Fingerprint};
use crate::facts::FactSet;
use crate::{Error, ErrorKind, Tally};

mod attribution;
mod board;
mod copies;
mod currency;
mod deals;
mod economics;
mod forecast;
mod funnel;
mod glance;
mod handoff;
mod hygiene;
mod icp;
mod kpi;
mod leads;
mod marketing_return;
mod retention;
mod sla;
mod waterfall;

pub use attribution::AttributionSection;
pub use currency::CurrencySection;
pub use deals::{
    CoverageKpi, CycleKpi, DealSection, GroupWinRate, OriginWinRate, VelocityKpi, WinRateGroups, WinRateKpi,
};
pub use economics::{CacRatioKpi, EconomicsSection, MeasuredLtv, SourceEconomics};
pub use forecast::ForecastSection;
pub use funnel::{FunnelSection, StageCount, StepConversion};
pub use glance::GlanceSection;
pub use handoff::HandoffCounts;
pub use hygiene::HygieneSection;
pub use icp::{BuyingGroupCoverage, ExplainedAccount, IcpSection, SegmentReview, SegmentTiers, TierCount};
pub use kpi::{ConversionKpi, KpiSection};
pub use marketing_return::ReturnSection;
pub use retention::RetentionSection;
pub use sla::{MonthlyVolume, PolicyCompliance, SlaSection, SlaTimer, SlaTimers, SlaWords, UNASSIGNED};
pub use waterfall::{ExperimentResult, VariantResult, WaterfallSection};

/// The sections of a [`Scorecard`], as exclusions name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// [`FunnelSection`].
    Funnel,
    /// [`KpiSection`].
    Kpis,
    /// [`IcpSection`].
    Icp,
    /// An [`SlaSection`].
    Sla,
    /// [`AttributionSection`].
    Attribution,
    /// [`GlanceSection`].
    Glance,
    /// [`HygieneSection`].
    Hygiene,
    /// [`DealSection`].
    Deals,
    /// [`EconomicsSection`].
    Economics,
    /// [`ForecastSection`].
    Forecast,
    /// [`ReturnSection`].
    ReturnOnMarketing,
    /// [`WaterfallSection`].
    Waterfall,
    /// [`RetentionSection`].
    Retention,
    /// [`CurrencySection`].
    Currency,
}

/// One record a section set aside, and why.
///
/// # Example
///
/// ```
/// use revops::agreement::scorecard::{Exclusion, Section};
/// use revops::{ErrorKind, LeadId, Record};
///
/// let error = ErrorKind::UnknownKey { kind: "lead", key: "L-9".into() }.about(Record::Lead(LeadId::new("L-9")?));
/// let exclusion = Exclusion::new(Section::Sla, Some("sales".into()), &error);
/// assert_eq!(exclusion.record.as_deref(), Some("lead `L-9`"));
/// assert_eq!(exclusion.record_kind.as_deref(), Some("lead"));
/// assert_eq!(exclusion.error, error.to_string());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    /// The section that set it aside.
    pub section: Section,
    /// The part of the section: the SLA part's key, or the attribution model's name.
    pub part: Option<String>,
    /// The record's kind ([`Record::kind`](crate::Record::kind)), when the error names one.
    pub record_kind: Option<String>,
    /// The record, in words (e.g. ``lead `L-9` ``), when the error names one.
    pub record: Option<String>,
    /// The rule it broke: the error's message.
    pub error: String,
}

impl Exclusion {
    /// The exclusion of the record `error` names, by `section` (and `part`).
    #[must_use]
    pub fn new(section: Section, part: Option<String>, error: &Error) -> Exclusion {
        Exclusion {
            section,
            part,
            record_kind: error.record().map(|r| r.kind().to_owned()),
            record: error.record().map(ToString::to_string),
            error: error.to_string(),
        }
    }
}

/// The board: every section the agreement defines, evaluated over facts as of `as_of`,
/// stamped with the agreement's fingerprint. Serializable (a service stores or sends it as is).
/// `PartialEq` only: the data-driven attribution results hold `f64` shares.
///
/// Built by [`Agreement::evaluate`] or [`ScorecardTally::finish`]; example: the
/// [module docs](self).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scorecard {
    /// The agreement's name.
    pub agreement: String,
    /// Its version.
    pub version: String,
    /// The fingerprint of the agreement it was computed under.
    pub fingerprint: Fingerprint,
    /// The instant it was computed as of.
    pub as_of: DateTime<Utc>,
    /// Funnel counts and conversion by stage.
    pub funnel: FunnelSection,
    /// The KPI board.
    pub kpis: KpiSection,
    /// Fit-score tiers of the accounts, and the ICP review (none without an ICP set).
    pub icp: Option<IcpSection>,
    /// SLA compliance and speed to lead, per SLA part.
    pub sla: BTreeMap<String, SlaSection>,
    /// Credits per channel under every named model (rule-based, Markov, Shapley).
    pub attribution: AttributionSection,
    /// The company at a glance (none without [`Kpis::currency`](super::Kpis::currency)).
    pub glance: Option<GlanceSection>,
    /// The funnel-hygiene block (none without [`Kpis::hygiene`](super::Kpis::hygiene)).
    pub hygiene: Option<HygieneSection>,
    /// The deal KPIs: win rate, sales cycle, velocity, weighted pipeline, coverage.
    pub deals: DealSection,
    /// Unit economics (none unless the agreement defines it).
    pub economics: Option<EconomicsSection>,
    /// The forecast by category (none unless the agreement defines it).
    #[serde(default)]
    pub forecast: Option<ForecastSection>,
    /// Return on marketing: spend, ROAS and ROI per model, cost per stage (none unless the
    /// agreement defines it).
    #[serde(default)]
    pub return_on_marketing: Option<ReturnSection>,
    /// The funnel waterfall and its experiments (none unless the agreement defines it).
    #[serde(default)]
    pub waterfall: Option<WaterfallSection>,
    /// Retention of the customers' recurring revenue (none unless the agreement defines it).
    #[serde(default)]
    pub retention: Option<RetentionSection>,
    /// How money in other currencies was converted (none unless the agreement has rates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<CurrencySection>,
}

impl Scorecard {
    /// Every exclusion of every section, section by section.
    pub fn exclusions(&self) -> impl Iterator<Item = &Exclusion> {
        let icp = self.icp.iter().flat_map(|s| s.excluded.iter());
        self.currency
            .iter()
            .flat_map(|s| s.excluded.iter())
            .chain(&self.funnel.excluded)
            .chain(&self.kpis.excluded)
            .chain(icp)
            .chain(self.sla.values().flat_map(|s| s.excluded.iter()))
            .chain(&self.attribution.excluded)
            .chain(self.glance.iter().flat_map(|s| s.excluded.iter()))
            .chain(self.hygiene.iter().flat_map(|s| s.excluded.iter()))
            .chain(&self.deals.excluded)
            .chain(self.economics.iter().flat_map(|s| s.excluded.iter()))
            .chain(self.forecast.iter().flat_map(|s| s.excluded.iter()))
            .chain(self.return_on_marketing.iter().flat_map(|s| s.excluded.iter()))
            .chain(self.waterfall.iter().flat_map(|s| s.excluded.iter()))
            .chain(self.retention.iter().flat_map(|s| s.excluded.iter()))
    }
}

/// The accumulator behind [`Scorecard`]: push [`FactSet`] partitions (see the
/// [module docs](self) for what a partition must hold), merge partial tallies in any order,
/// finish to the scorecard of one pass.
///
/// # Example
///
/// ```
/// use revops::Tally;
/// use revops::testkit::{Company, sample_agreement};
///
/// let company = Company::new(42, 200)?;
/// let agreement = sample_agreement()?;
/// let facts = company.facts();
/// let (mut left, mut right) = (agreement.tally(company.as_of())?, agreement.tally(company.as_of())?);
/// left.push(&company.lead_facts_in(0..120))?;
/// right.push(&company.lead_facts_in(120..200))?;
/// let (accounts, contacts, spend) = (facts.accounts.clone(), facts.contacts.clone(), facts.spend.clone());
/// let recurring_revenue = facts.recurring_revenue.clone();
/// right.push(&revops::facts::FactSet { accounts, contacts, spend, recurring_revenue, ..Default::default() })?; // independent records
/// left.merge(right)?;
/// assert_eq!(left.finish()?, agreement.evaluate(&facts, company.as_of())?);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ScorecardTally<'a> {
    agreement: &'a Agreement,
    as_of: DateTime<Utc>,
    strict: bool,
    funnel: funnel::FunnelTally,
    kpis: kpi::KpiTally,
    icp: Option<icp::IcpTally<'a>>,
    sla: Vec<sla::SlaTally<'a>>,
    attribution: attribution::AttributionTally,
    glance: Option<glance::GlanceTally>,
    handoffs: Option<handoff::HandoffTally<'a>>,
    hygiene: Option<hygiene::HygieneTally<'a>>,
    deals: deals::DealTally,
    economics: Option<economics::EconomicsTally>,
    forecast: Option<forecast::ForecastSectionTally>,
    return_on_marketing: Option<marketing_return::ReturnSectionTally>,
    waterfall: Option<waterfall::WaterfallSectionTally>,
    retention: Option<retention::RetentionSectionTally>,
    currency: Option<currency::CurrencyTally>,
}

impl Agreement {
    /// The scorecard of `facts` as of `as_of`: one [`ScorecardTally`] push and finish. Bad
    /// records are set aside as [`Exclusion`]s of the sections they fail.
    ///
    /// # Errors
    ///
    /// As [`Agreement::tally`]; [`ErrorKind::Overflow`] if a count leaves its range.
    pub fn evaluate(&self, facts: &FactSet, as_of: DateTime<Utc>) -> Result<Scorecard, Error> {
        let mut tally = self.tally(as_of)?;
        tally.push(facts)?;
        tally.finish()
    }

    /// As [`Agreement::evaluate`], but the first bad record stops the evaluation.
    ///
    /// # Errors
    ///
    /// The first record error, naming the record ([`Error::record`]); as
    /// [`Agreement::evaluate`].
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::{Company, sample_agreement};
    ///
    /// let company = Company::new(42, 100)?;
    /// let mut facts = company.facts();
    /// facts.responses.push(revops::facts::Response::new(revops::LeadId::new("nobody")?, company.as_of(), revops::facts::ResponseKind::Call));
    /// let agreement = sample_agreement()?;
    /// assert_eq!(agreement.evaluate(&facts, company.as_of())?.exclusions().count(), 1);
    /// let err = agreement.evaluate_strict(&facts, company.as_of()).err();
    /// assert_eq!(err.as_ref().and_then(|e| e.record()).map(ToString::to_string).as_deref(), Some("lead `nobody`"));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn evaluate_strict(&self, facts: &FactSet, as_of: DateTime<Utc>) -> Result<Scorecard, Error> {
        let mut tally = self.tally(as_of)?.strict();
        tally.push(facts)?;
        tally.finish()
    }

    /// An empty [`ScorecardTally`] of this agreement as of `as_of`.
    ///
    /// # Errors
    ///
    /// The errors of
    /// [`ReportWindow::resolve`](super::ReportWindow::resolve) and of the conversion
    /// metric's definition; [`ErrorKind::InvalidValue`] when the retention period
    /// ([`RetentionKpiTerms`](super::RetentionKpiTerms)) ends after `as_of`.
    pub fn tally(&self, as_of: DateTime<Utc>) -> Result<ScorecardTally<'_>, Error> {
        Ok(ScorecardTally {
            agreement: self,
            as_of,
            strict: false,
            funnel: funnel::FunnelTally::new(self.funnel()),
            kpis: kpi::KpiTally::new(self, as_of)?,
            icp: icp::IcpTally::new(self)?,
            sla: sla::SlaTally::all(self, as_of)?,
            attribution: attribution::AttributionTally::new(&self.parts.attribution),
            glance: self.parts.kpis.currency.map(glance::GlanceTally::new),
            handoffs: handoff::HandoffTally::new(self)?,
            hygiene: hygiene::HygieneTally::new(self, as_of)?,
            deals: deals::DealTally::new(self, as_of)?,
            economics: economics::EconomicsTally::new(self, as_of)?,
            forecast: forecast::ForecastSectionTally::new(self, as_of)?,
            return_on_marketing: marketing_return::ReturnSectionTally::new(self, as_of)?,
            waterfall: waterfall::WaterfallSectionTally::new(self, as_of)?,
            retention: retention::RetentionSectionTally::new(self, as_of)?,
            currency: currency::CurrencyTally::new(self)?,
        })
    }
}

impl ScorecardTally<'_> {
    /// The same tally in strict mode: [`Tally::push`] returns the first record error instead
    /// of setting the record aside.
    #[must_use]
    pub const fn strict(mut self) -> Self {
        self.strict = true;
        self
    }
}

/// `Err(error)` in strict mode; otherwise the error becomes an exclusion of `section`.
fn set_aside(
    strict: bool,
    excluded: &mut Vec<Exclusion>,
    section: Section,
    part: Option<&str>,
    error: Error,
) -> Result<(), Error> {
    if strict {
        return Err(error);
    }
    excluded.push(Exclusion::new(section, part.map(ToOwned::to_owned), &error));
    Ok(())
}

impl Tally for ScorecardTally<'_> {
    type Fact = FactSet;
    type Output = Scorecard;

    /// Adds one partition (see the [module docs](self)).
    fn push(&mut self, facts: &FactSet) -> Result<(), Error> {
        let strict = self.strict;
        // Money in one currency before any section reads it (a copy only with rates).
        let facts = match &mut self.currency {
            Some(currency) => currency.convert(self.agreement, facts, self.as_of, strict)?,
            None => std::borrow::Cow::Borrowed(facts),
        };
        let facts = facts.as_ref();
        let (leads, orphans) = leads::join(facts);
        for orphan in orphans {
            if matches!(orphan.fact, "response" | "disposition") {
                // Read by the SLA parts only: each sets it aside.
                for part in &mut self.sla {
                    part.set_aside(strict, orphan.error.clone())?;
                }
            } else {
                self.funnel.set_aside(strict, orphan.error)?;
            }
        }
        let funnel = self.agreement.funnel();
        // The independent records and the per-push indexes first; then every lead once, through
        // every section that reads it, while its facts are in cache.
        sla::SlaTally::push_records(&mut self.sla, &facts.accounts, &facts.deals, strict)?;
        if let Some(icp) = &mut self.icp {
            icp.push(facts, strict)?;
        }
        for journey in &facts.journeys {
            self.attribution.push(journey, strict)?;
        }
        if let Some(glance) = &mut self.glance {
            glance.push(facts, leads.len(), strict)?;
        }
        let journeys = if self.handoffs.is_some() || self.hygiene.is_some() {
            handoff::JourneyIndex::new(facts)
        } else {
            handoff::JourneyIndex::default()
        };
        if let Some(handoffs) = &mut self.handoffs {
            handoffs.push_records(facts, &journeys, strict)?;
        }
        let deals_of = match &mut self.hygiene {
            Some(hygiene) => hygiene.push_records(facts, &leads, &journeys, strict)?,
            None => Vec::new(),
        };
        let mut kpis = self.kpis.begin(funnel, leads.len())?;
        for (i, lead) in leads.iter().enumerate() {
            self.funnel.push(funnel, lead, strict)?;
            kpis.lead(&self.kpis, funnel, lead)?;
            sla::SlaTally::push_lead(&mut self.sla, lead, self.as_of, strict)?;
            if let Some(marketing) = &mut self.return_on_marketing {
                marketing.push_lead(lead)?;
            }
            if let Some(waterfall) = &mut self.waterfall {
                waterfall.push_lead(funnel, lead, strict)?;
            }
            if let Some(handoffs) = &mut self.handoffs {
                handoffs.push_lead(lead, &journeys, strict)?;
            }
            if let Some(hygiene) = &mut self.hygiene {
                hygiene.push_lead(lead, deals_of.get(i).map_or(&[][..], Vec::as_slice), strict)?;
            }
        }
        kpis.end(&mut self.kpis)?;
        self.deals.push(&facts.deals, strict)?;
        if let Some(economics) = &mut self.economics {
            economics.push(facts, strict)?;
        }
        if let Some(forecast) = &mut self.forecast {
            forecast.push(&facts.deals, strict)?;
        }
        if let Some(marketing) = &mut self.return_on_marketing {
            marketing.push(facts, strict)?;
        }
        if let Some(retention) = &mut self.retention {
            retention.push(self.agreement, facts, strict)?;
        }
        Ok(())
    }

    /// # Errors
    ///
    /// [`ErrorKind::DefinitionMismatch`] (tally `"scorecard"`) if `other` was built for another
    /// agreement (`fingerprint`), another `as_of`, or the other mode (`strict`); the section
    /// tallies' merge errors.
    fn merge(&mut self, other: Self) -> Result<(), Error> {
        let field = if self.agreement.fingerprint() != other.agreement.fingerprint() {
            "fingerprint"
        } else if self.as_of != other.as_of {
            "as_of"
        } else if self.strict != other.strict {
            "strict"
        } else {
            ""
        };
        if !field.is_empty() {
            return Err(ErrorKind::DefinitionMismatch { tally: "scorecard", field }.into());
        }
        self.funnel.merge(other.funnel)?;
        self.kpis.merge(other.kpis)?;
        if let (Some(mine), Some(theirs)) = (&mut self.icp, other.icp) {
            mine.merge(theirs)?;
        }
        for (mine, theirs) in self.sla.iter_mut().zip(other.sla) {
            mine.merge(theirs)?;
        }
        if let (Some(mine), Some(theirs)) = (&mut self.glance, other.glance) {
            mine.merge(theirs)?;
        }
        if let (Some(mine), Some(theirs)) = (&mut self.handoffs, other.handoffs) {
            mine.merge(theirs)?;
        }
        if let (Some(mine), Some(theirs)) = (&mut self.hygiene, other.hygiene) {
            mine.merge(theirs)?;
        }
        self.attribution.merge(other.attribution)?;
        self.deals.merge(other.deals)?;
        if let (Some(mine), Some(theirs)) = (&mut self.economics, other.economics) {
            mine.merge(theirs)?;
        }
        if let (Some(mine), Some(theirs)) = (&mut self.forecast, other.forecast) {
            mine.merge(theirs)?;
        }
        if let (Some(mine), Some(theirs)) = (&mut self.return_on_marketing, other.return_on_marketing) {
            mine.merge(theirs)?;
        }
        if let (Some(mine), Some(theirs)) = (&mut self.waterfall, other.waterfall) {
            mine.merge(theirs)?;
        }
        if let (Some(mine), Some(theirs)) = (&mut self.retention, other.retention) {
            mine.merge(theirs)?;
        }
        if let (Some(mine), Some(theirs)) = (&mut self.currency, other.currency) {
            mine.merge(theirs)?;
        }
        Ok(())
    }

    fn finish(self) -> Result<Scorecard, Error> {
        let agreement = self.agreement;
        let mut funnel = self.funnel.finish(agreement.funnel());
        if let Some(handoffs) = self.handoffs {
            let (counts, excluded) = handoffs.finish(agreement, self.strict)?;
            funnel.handoffs = Some(counts);
            funnel.excluded.extend(excluded);
            funnel.excluded.sort();
        }
        Ok(Scorecard {
            agreement: agreement.name().to_owned(),
            version: agreement.version().to_owned(),
            fingerprint: agreement.fingerprint().clone(),
            as_of: self.as_of,
            funnel,
            kpis: self.kpis.finish(),
            icp: self.icp.map(|icp| icp.finish(self.strict)).transpose()?,
            sla: self.sla.into_iter().map(|part| part.finish(self.strict)).collect::<Result<_, Error>>()?,
            attribution: self.attribution.finish(self.strict)?,
            glance: self.glance.map(glance::GlanceTally::finish).transpose()?,
            hygiene: self.hygiene.map(hygiene::HygieneTally::finish).transpose()?,
            deals: self.deals.finish()?,
            economics: self.economics.map(|e| e.finish(self.strict)).transpose()?,
            forecast: self.forecast.map(forecast::ForecastSectionTally::finish).transpose()?,
            return_on_marketing: self
                .return_on_marketing
                .map(marketing_return::ReturnSectionTally::finish)
                .transpose()?,
            waterfall: self.waterfall.map(waterfall::WaterfallSectionTally::finish).transpose()?,
            retention: self.retention.map(|r| r.finish(self.strict)).transpose()?,
            currency: self.currency.map(currency::CurrencyTally::finish),
        })
    }
}
