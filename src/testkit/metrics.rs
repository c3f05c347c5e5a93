//! The sample company as metric facts: deals, stage changes, lead-flow views, response times,
//! opportunity touches, spend and new customers; and a compact direct deal generator for
//! benchmarks.
//!
//! Conventions of the conversion:
//! - every sample opportunity reached SQL before it was created, so every [`Deal`] is
//!   `qualified`; an open deal's expected close date is its `close_date`;
//! - origin: lead source `sdr_outbound` is [`Origin::Sales`], `partner` and `referral` are
//!   [`Origin::Partner`], every other channel is [`Origin::Marketing`];
//! - stage changes cover the stages of [`metric_funnel`] (`lead` to `won`); the side exits
//!   `lost`, `recycled` and `disqualified` are not in its order and are left out;
//! - a lead's disposition is its acceptance (SAL) or its rejection at the MQL stage (a recycle
//!   when it went to nurture); lead-flow views are derived from these facts by
//!   [`LeadFact::from_facts`] with `mql` as the handoff stage;
//! - every deal names its account and lead;
//! - speed to lead uses elapsed seconds from MQL to the first sales touch as a stand-in for
//!   business time (the `sla` module supplies real business time);
//! - spend: each line is the calendar month (UTC) of its date; media spend is
//!   [`SpendKind::Paid`] traced to its channel, so [`new_customers`] counts a new customer as
//!   paid when its lead source channel has media spend.
// Synthetic data is statistical: the compact generator draws sizes and cycles with floats and
// rounds them to whole dollars and seconds; no money passes through a float to a result.
// Table lookups index fixed-size tables with positions drawn below their lengths.
#![allow(
    clippy::float_arithmetic,
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap,
    clippy::indexing_slicing
)]

use chrono::{DateTime, Datelike};

use super::{
    Company, SampleLead, SampleOpportunity, SampleOutcome, SampleRng, SampleSpend, SampleStage, SpendCategory,
};
use crate::facts::{
    Deal, DealStatus, Disposition, DispositionOutcome, Lead, Origin, Reason, Spend, SpendKind, StageChange,
};
use crate::funnel::{Funnel, Owner, Stage, StageKind};
use crate::metrics::{LeadFact, NewCustomer, OpportunityTouches, ResponseTime, new_customers};
use crate::{ChannelId, Currency, Error, ErrorKind, Money, OpportunityId, Period, Probability, StageId};

/// Stream of the compact deal generator (distinct from the company's own streams).
const STREAM_DEAL: u64 = 101;
const DAY: i64 = 86_400;

/// The sample company's main path as a funnel: `lead`, `mql` (marketing), `sal`, `sql`,
/// `opportunity` (sales, open) and `won` (sales, won); the metrics read its order.
///
/// # Errors
/// None in practice (the stages are fixed and valid); the funnel builder's errors.
///
/// # Example
///
/// ```
/// use revops::metrics::StageOrder;
/// use revops::testkit::metric_funnel;
///
/// let order = StageOrder::from(&metric_funnel()?);
/// let stages: Vec<&str> = order.stages().iter().map(|s| s.as_str()).collect();
/// assert_eq!(stages, ["lead", "mql", "sal", "sql", "opportunity", "won"]);
/// # Ok::<(), revops::Error>(())
/// ```
pub fn metric_funnel() -> Result<Funnel, Error> {
    use SampleStage::{Lead, Mql, Opportunity, Sal, Sql, Won};
    let mut builder = Funnel::builder("sample company");
    for stage in [Lead, Mql, Sal, Sql, Opportunity, Won] {
        let owner = if matches!(stage, Lead | Mql) { Owner::Marketing } else { Owner::Sales };
        let kind = if stage == Won { StageKind::Won } else { StageKind::Open };
        builder = builder.stage(Stage::new(stage.as_str(), stage.as_str(), owner, kind)?);
    }
    builder.build()
}

/// The origin the sample company gives a lead source.
///
/// # Example
///
/// ```
/// use revops::facts::Origin;
/// use revops::testkit::origin_of;
/// use revops::ChannelId;
///
/// assert_eq!(origin_of(&ChannelId::new("sdr_outbound")?), Origin::Sales);
/// assert_eq!(origin_of(&ChannelId::new("referral")?), Origin::Partner);
/// assert_eq!(origin_of(&ChannelId::new("webinar")?), Origin::Marketing);
/// # Ok::<(), revops::Error>(())
/// ```
#[must_use]
pub fn origin_of(source: &ChannelId) -> Origin {
    match source.as_str() {
        "sdr_outbound" => Origin::Sales,
        "partner" | "referral" => Origin::Partner,
        _ => Origin::Marketing,
    }
}

fn status_of(opp: &SampleOpportunity) -> DealStatus {
    match &opp.outcome {
        SampleOutcome::Open { probability_percent, .. } => DealStatus::Open {
            probability: Probability::from_percent(*probability_percent).unwrap_or(Probability::ZERO),
        },
        SampleOutcome::Won => DealStatus::Won,
        SampleOutcome::Lost { reason } => DealStatus::lost(loss_reason(reason)),
    }
}

impl SampleLead {
    /// The lead's opportunity as a metric [`Deal`], if it has one.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::{Company, origin_of};
    ///
    /// for lead in Company::new(42, 500)?.leads() {
    ///     let deal = lead.metric_deal();
    ///     assert_eq!(deal.is_some(), lead.opportunity.is_some());
    ///     assert!(deal.is_none_or(|d| d.check().is_ok() && d.qualified && d.origin == origin_of(&lead.source)));
    /// }
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn metric_deal(&self) -> Option<Deal> {
        let opp = self.opportunity.as_ref()?;
        let open = matches!(opp.outcome, SampleOutcome::Open { .. });
        Some(
            Deal::new(opp.id.clone(), opp.created_at, opp.amount, status_of(opp))
                .closed_at(opp.closed_at)
                .close_date(open.then_some(opp.close_date))
                .qualified(true)
                .origin(origin_of(&self.source))
                .source(Some(self.source.clone()))
                .account(Some(opp.account.clone()))
                .lead(Some(self.id.clone()))
                .contacts(opp.contacts.iter().cloned()),
        )
    }

    /// The lead's changes into the stages of [`metric_funnel`], in time order.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    ///
    /// let lead = Company::new(42, 100)?.lead(5);
    /// let changes = lead.metric_stage_changes();
    /// assert!(changes.iter().all(|c| !["lost", "recycled", "disqualified"].contains(&c.stage.as_str())));
    /// assert_eq!(changes.first().map(|c| (c.stage.as_str(), c.at)), Some(("lead", lead.created_at)));
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn metric_stage_changes(&self) -> Vec<StageChange> {
        self.stages
            .iter()
            .filter(|c| !matches!(c.stage, SampleStage::Lost | SampleStage::Recycled | SampleStage::Disqualified))
            .map(|c| StageChange {
                entity: self.id.clone(),
                stage: StageId::trusted(c.stage.as_str().to_owned()),
                at: c.at,
            })
            .collect()
    }

    /// The lead as a [`Lead`] fact.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    ///
    /// let sample = Company::new(42, 100)?.lead(5);
    /// let lead = sample.metric_lead();
    /// assert_eq!((&lead.id, lead.created_at), (&sample.id, sample.created_at));
    /// assert_eq!((lead.source.as_ref(), lead.account.as_ref()), (Some(&sample.source), Some(&sample.account)));
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn metric_lead(&self) -> Lead {
        Lead::new(self.id.clone(), self.created_at).from_source(self.source.clone()).at_account(self.account.clone())
    }

    /// The lead's disposition: accepted when it entered SAL, else rejected (or recycled, when
    /// it went to nurture) if sales rejected it at the MQL stage.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::DispositionOutcome;
    /// use revops::testkit::{Company, SampleStage};
    ///
    /// for lead in Company::new(42, 500)?.leads() {
    ///     let accepted = lead.metric_disposition().is_some_and(|d| d.outcome == DispositionOutcome::Accepted);
    ///     assert_eq!(accepted, lead.entered(SampleStage::Sal).is_some());
    /// }
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn metric_disposition(&self) -> Option<Disposition> {
        let (at, outcome) = match (self.entered(SampleStage::Sal), &self.rejection) {
            (Some(at), _) => (at, DispositionOutcome::Accepted),
            (None, Some(r)) if r.from == SampleStage::Mql => {
                let reason = Reason::from_key(&r.reason).unwrap_or_else(|| Reason::Other(r.reason.clone()));
                if self.entered(SampleStage::Recycled).is_some() {
                    (r.at, DispositionOutcome::Recycled { reason })
                } else {
                    (r.at, DispositionOutcome::Rejected { reason })
                }
            }
            _ => return None,
        };
        Some(Disposition { lead: self.id.clone(), at, outcome })
    }

    /// The lead-flow view of the lead, derived from its facts ([`LeadFact::from_facts`]): its
    /// [`Lead`], stage changes (delivered at its MQL), disposition and deal.
    ///
    /// # Errors
    /// The errors of [`LeadFact::from_facts`] (none for the sample's consistent facts).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::{Company, SampleStage};
    ///
    /// for lead in Company::new(42, 200)?.leads() {
    ///     let fact = lead.metric_lead_fact()?;
    ///     assert_eq!(fact.delivered_at(), lead.entered(SampleStage::Mql));
    ///     assert_eq!(fact.wins().len(), usize::from(lead.entered(SampleStage::Won).is_some()));
    /// }
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn metric_lead_fact(&self) -> Result<LeadFact, Error> {
        let mql = StageId::trusted(SampleStage::Mql.as_str().to_owned());
        let dispositions: Vec<Disposition> = self.metric_disposition().into_iter().collect();
        let deals: Vec<Deal> = self.metric_deal().into_iter().collect();
        LeadFact::from_facts(&self.metric_lead(), &mql, &self.metric_stage_changes(), &dispositions, &deals)
    }

    /// Speed to lead of an MQL in business time on `clock` (e.g. [`Company::sla_timeline`]),
    /// from MQL to the first sales touch. An unanswered lead is `business_seconds: None` once
    /// more than `target` of business time has passed by `as_of`; `Ok(None)` for a lead that
    /// never became an MQL or is still inside its target (undecided).
    ///
    /// # Errors
    /// The clock's errors for instants outside its range.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::TimeDelta;
    /// use revops::testkit::{Company, SampleStage};
    ///
    /// let company = Company::new(42, 200)?;
    /// let (timeline, hour) = (company.sla_timeline()?, TimeDelta::try_hours(1).unwrap_or_default());
    /// for lead in company.leads() {
    ///     let response = lead.metric_response_time(&timeline, hour, company.as_of())?;
    ///     if lead.entered(SampleStage::Mql).is_none() {
    ///         assert_eq!(response, None); // not an MQL: nothing to answer
    ///     }
    ///     if let Some(r) = response {
    ///         assert_eq!(r.business_seconds.is_some(), lead.first_sales_touch_at.is_some());
    ///     }
    /// }
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn metric_response_time(
        &self,
        clock: &impl crate::calendar::BusinessClock,
        target: chrono::TimeDelta,
        as_of: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<ResponseTime>, crate::Error> {
        ResponseTime::from_milestones(&super::Company::sla_milestones(self)?, clock, target, as_of)
    }

    /// The lead's opportunity with its marketing touches (every touch not from `sdr_outbound`,
    /// up to the opportunity's creation).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    ///
    /// for lead in Company::new(42, 500)?.leads() {
    ///     let Some(touches) = lead.metric_opportunity_touches() else { continue };
    ///     assert!(touches.marketing_touches.iter().all(|&at| at <= touches.created_at));
    ///     assert!(touches.marketing_touches.len() <= lead.touches.len());
    /// }
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn metric_opportunity_touches(&self) -> Option<OpportunityTouches> {
        let deal = self.deal_fact()?;
        let touches = self.journey_fact().touches;
        Some(OpportunityTouches::from_facts(&deal, &touches, |t| t.channel.as_str() != "sdr_outbound"))
    }
}

impl SampleSpend {
    /// The spend line as a [`Spend`] fact over its calendar month (UTC); media spend is paid
    /// and traced to its channel.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] for a month at the edge of chrono's dates (none in the sample).
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::facts::SpendKind;
    /// use revops::testkit::Company;
    ///
    /// let spend = Company::new(42, 1_000)?.spend();
    /// let first = spend.first().map(|s| s.metric_spend()).transpose()?;
    /// let january = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or_default();
    /// let february = Utc.with_ymd_and_hms(2024, 2, 1, 0, 0, 0).single().unwrap_or_default();
    /// assert_eq!(first.as_ref().map(|s| (s.period.start(), s.period.end())), Some((january, february)));
    /// assert_eq!(first.map(|s| s.kind), Some(SpendKind::Paid)); // media first, traced to its channel
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn metric_spend(&self) -> Result<Spend, Error> {
        let overflow = || ErrorKind::Overflow { op: "spend month" };
        let start = self.month.with_day(1).ok_or_else(overflow)?;
        let end = start.checked_add_months(chrono::Months::new(1)).ok_or_else(overflow)?;
        let instant = |d: chrono::NaiveDate| d.and_time(chrono::NaiveTime::MIN).and_utc();
        let period = Period::new(instant(start), instant(end))?;
        let spend = |kind| Spend::new(period, kind, self.amount);
        Ok(match &self.category {
            SpendCategory::Media(c) => spend(SpendKind::Paid).on_channel(c.clone()),
            SpendCategory::MarketingPeople => spend(SpendKind::MarketingPeople),
            SpendCategory::SalesPeople => spend(SpendKind::SalesPeople),
            SpendCategory::Tools => spend(SpendKind::Tools),
        })
    }
}

impl Company {
    /// Every opportunity of the company as a metric [`Deal`], in lead order.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    ///
    /// let company = Company::new(42, 500)?;
    /// assert_eq!(company.metric_deals().count(), company.opportunities().count());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn metric_deals(&self) -> impl Iterator<Item = Deal> + '_ {
        self.leads().filter_map(|l| l.metric_deal())
    }

    /// Every spend line as a [`Spend`] fact.
    ///
    /// # Errors
    /// As [`SampleSpend::metric_spend`].
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    ///
    /// let company = Company::new(42, 1_000)?;
    /// let facts = company.metric_spend()?;
    /// assert_eq!(facts.len(), company.spend().len());
    /// assert!(facts.iter().zip(company.spend()).all(|(f, s)| f.amount == s.amount));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn metric_spend(&self) -> Result<Vec<Spend>, Error> {
        self.spend().iter().map(SampleSpend::metric_spend).collect()
    }

    /// New customers of `leads`' deals, derived by [`new_customers`] (each account's first won
    /// deal, at UTC; paid when the deal's lead source has media spend).
    ///
    /// # Errors
    /// As [`new_customers`] and [`Company::metric_spend`].
    ///
    /// # Example
    ///
    /// ```
    /// use std::collections::BTreeSet;
    /// use revops::testkit::{Company, SampleOutcome};
    ///
    /// let company = Company::new(42, 1_000)?;
    /// let leads: Vec<_> = company.leads().collect();
    /// let customers = company.metric_new_customers(&leads)?;
    /// let winners: BTreeSet<_> = company.opportunities().filter(|o| o.outcome == SampleOutcome::Won).map(|o| o.account).collect();
    /// assert_eq!(customers.len(), winners.len()); // one new customer per account with a win
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn metric_new_customers(&self, leads: &[SampleLead]) -> Result<Vec<NewCustomer>, Error> {
        let deals: Vec<Deal> = leads.iter().filter_map(SampleLead::metric_deal).collect();
        new_customers(&deals, &self.metric_spend()?, crate::calendar::Zone::UTC)
    }

    /// Deal `index` of a compact direct generator: a pure function of `(seed, index)` that
    /// skips the lead story, for benchmarks over millions of deals. Its mix follows the sample
    /// company's opportunities: amounts $6,000 to $400,000 in whole hundreds, created over
    /// 2024, cycles of 14 days plus an exponential tail (mean 50 days) capped at a year, about
    /// 30% won and 50% lost by the company's as-of instant, the rest open at 20/50/80%,
    /// origins and sources from the twelve channels.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    ///
    /// let company = Company::new(42, 100)?;
    /// let deal = company.synthetic_deal(1_000_000); // no lead story needed
    /// assert_eq!(deal, company.synthetic_deal(1_000_000));
    /// assert_eq!(deal.id.as_str(), "S001000000");
    /// assert!(deal.check().is_ok() && deal.qualified);
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn synthetic_deal(&self, index: u64) -> Deal {
        let mut rng = SampleRng::for_record(self.seed(), STREAM_DEAL, index);
        let year_start = self.year_start().timestamp();
        let created = year_start + rng.below(365 * DAY as u64) as i64;
        let dollars = [6_000u64, 12_000, 25_000, 50_000, 100_000][rng.index(5)] * (1 + rng.below(4));
        let cycle = 14 * DAY + (-(1.0 - rng.unit()).ln() * 50.0 * DAY as f64) as i64;
        let close = created + cycle.min(365 * DAY);
        let channel = super::CHANNELS.get(rng.index(super::CHANNELS.len())).copied().unwrap_or("direct");
        let source = ChannelId::trusted(channel.to_owned());
        let instant = |s: i64| DateTime::from_timestamp(s, 0).unwrap_or_default();
        let (status, closed_at) = if close > self.as_of().timestamp() {
            let p = [20u8, 50, 80][rng.index(3)];
            (DealStatus::Open { probability: Probability::from_percent(p).unwrap_or(Probability::ZERO) }, None)
        } else if rng.chance(375) {
            (DealStatus::Won, Some(instant(close)))
        } else {
            let reason = super::LOSS_REASONS.get(rng.index(super::LOSS_REASONS.len())).map_or("other", |r| r.0);
            (DealStatus::lost(loss_reason(reason)), Some(instant(close)))
        };
        let open = closed_at.is_none();
        Deal::new(
            OpportunityId::trusted(format!("S{index:09}")),
            instant(created),
            Money::from_minor((dollars * 100) as i64, Currency::USD),
            status,
        )
        .closed_at(closed_at)
        .close_date(open.then(|| instant(close).date_naive()))
        .qualified(true)
        .origin(origin_of(&source))
        .source(Some(source))
    }

    /// `count` compact synthetic deals starting at index `start` ([`Company::synthetic_deal`]).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    ///
    /// let company = Company::new(42, 100)?;
    /// let deals: Vec<_> = company.synthetic_deals(10, 3).collect();
    /// let ids: Vec<&str> = deals.iter().map(|d| d.id.as_str()).collect();
    /// assert_eq!(ids, ["S000000010", "S000000011", "S000000012"]);
    /// assert_eq!(company.synthetic_deals(u64::MAX, 5).count(), 0); // saturates, never wraps
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn synthetic_deals(&self, start: u64, count: u64) -> impl Iterator<Item = Deal> + '_ {
        (start..start.saturating_add(count)).map(|i| self.synthetic_deal(i))
    }
}

/// The typed reason for a sample loss-reason key (every key of `LOSS_REASONS` is in the
/// taxonomy; anything else keeps its text).
fn loss_reason(key: &str) -> Reason {
    Reason::from_key(key).unwrap_or_else(|| Reason::Other(key.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Tally;

    #[test]
    fn sample_facts_are_consistent() {
        let company = Company::new(3, 2_000).unwrap();
        let leads: Vec<SampleLead> = company.leads().collect();
        let funnel = metric_funnel().unwrap();
        let order = crate::metrics::StageOrder::from(&funnel);
        assert_eq!(order.stages().len(), 6);
        let mut deals = 0;
        for lead in &leads {
            if let Some(d) = lead.metric_deal() {
                d.check().unwrap();
                deals += 1;
            }
            for e in lead.metric_stage_changes() {
                assert!(order.position(e.stage.as_str()).is_some());
            }
            let fact = lead.metric_lead_fact().unwrap();
            crate::metrics::LeadFlowTally::new(
                crate::Period::all_time(),
                company.as_of(),
                chrono::TimeDelta::try_days(2).unwrap(),
                chrono::TimeDelta::try_days(90).unwrap(),
                Currency::USD,
            )
            .unwrap()
            .push(&fact)
            .unwrap();
        }
        assert!(deals > 50);
        assert!(!company.metric_new_customers(&leads).unwrap().is_empty());
        assert_eq!(company.metric_spend().unwrap().len(), company.spend().len());
        for i in 0..2_000 {
            company.synthetic_deal(i).check().unwrap();
        }
        assert_eq!(company.synthetic_deal(7), company.synthetic_deal(7));
    }
}
