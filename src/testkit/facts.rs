//! The sample company's facts, generated once in the [`facts`](crate::facts) types.
//!
//! [`Company::facts`] is every fact of the company in one [`FactSet`]; the per-record methods
//! ([`SampleAccount::account_fact`], [`SampleLead::lead_fact`], ...) build the same facts one
//! record at a time, for streaming a company too big to hold, and
//! [`Company::lead_facts_in`] builds the lead-derived facts of a range of leads (one partition).

use core::ops::Range;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::icp::{CONTACTS_ATTRIBUTE, ECONOMIC_BUYER_ATTRIBUTE, LEGAL_FORM_ATTRIBUTE};
use super::{Company, SampleAccount, SampleLead, SampleOutcome, SampleSpend, SampleStage, SpendCategory};
use crate::facts::{
    Account, AttributeValue, BuyingRole, Contact, Conversion, Deal, DealStatus, Disposition, DispositionOutcome,
    FactSet, ForecastCategory, Journey, Lead, Milestones, Reason, Response, ResponseKind, Role, Roles, Spend,
    SpendKind, StageChange, Touchpoint,
};
use crate::{JourneyId, Period, Probability, StageId};

/// The owner of a lead handed to sales (the SDR queue the MQL handoff routes it to).
pub const SDR_QUEUE: &str = "sdr_queue";

impl SampleAccount {
    /// The account as an [`Account`] fact: name, industry, headcount, revenue, country,
    /// region, technologies, and the custom attributes [`CONTACTS_ATTRIBUTE`] (number of
    /// contacts), [`ECONOMIC_BUYER_ATTRIBUTE`] (whether one holds that role) and
    /// [`LEGAL_FORM_ATTRIBUTE`] (the name's last word, e.g. `GmbH`).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::AttributeValue;
    /// use revops::testkit::Company;
    /// use revops::testkit::icp::CONTACTS_ATTRIBUTE;
    ///
    /// let sample = Company::sample().account(3);
    /// let account = sample.account_fact();
    /// assert_eq!(account.employees, Some(sample.employees));
    /// let contacts = AttributeValue::Number(sample.contacts.len().into());
    /// assert_eq!(account.attributes.get(CONTACTS_ATTRIBUTE), Some(&contacts));
    /// ```
    #[must_use]
    pub fn account_fact(&self) -> Account {
        let mut account = Account::new(self.id.clone());
        account.name = Some(self.name.clone());
        account.industry = Some(self.industry.clone());
        account.employees = Some(self.employees);
        account.annual_revenue = Some(self.annual_revenue);
        account.country = Some(self.country.clone());
        account.region = Some(self.region.clone());
        account.technologies = Some(self.technologies.iter().cloned().collect());
        let attributes = &mut account.attributes;
        attributes.insert(CONTACTS_ATTRIBUTE.to_owned(), AttributeValue::Number(Decimal::from(self.contacts.len())));
        let buyer =
            self.contacts.iter().any(|c| c.buying_roles.iter().any(|r| r == BuyingRole::EconomicBuyer.as_str()));
        attributes.insert(ECONOMIC_BUYER_ATTRIBUTE.to_owned(), AttributeValue::Flag(buyer));
        if let Some(form) = self.name.rsplit(' ').next() {
            attributes.insert(LEGAL_FORM_ATTRIBUTE.to_owned(), AttributeValue::Text(form.to_owned()));
        }
        account
    }

    /// The account's people as [`Contact`] facts, in position order: at this account, with
    /// their title and typed buying roles (a key the crate did not know would be
    /// [`BuyingRole::Other`]; every sample key is known).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    ///
    /// let sample = Company::new(42, 100)?.account(3);
    /// let contacts = sample.contact_facts();
    /// assert_eq!(contacts.len(), sample.contacts.len());
    /// for (fact, person) in contacts.iter().zip(&sample.contacts) {
    ///     assert_eq!((&fact.id, fact.account.as_ref()), (&person.id, Some(&sample.id)));
    ///     let keys: Vec<&str> = fact.roles.iter().map(|r| r.as_str()).collect();
    ///     assert!(keys.iter().all(|k| person.buying_roles.iter().any(|r| r == k)) && !keys.contains(&"other"));
    /// }
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn contact_facts(&self) -> Vec<Contact> {
        self.contacts
            .iter()
            .map(|c| Contact {
                id: c.id.clone(),
                account: Some(self.id.clone()),
                title: Some(c.title.clone()),
                roles: c.buying_roles.iter().map(|r| r.parse().unwrap_or(BuyingRole::Other)).collect(),
            })
            .collect()
    }
}

impl SampleLead {
    /// The lead as a [`Lead`] fact: created, source, account, contact, and owner
    /// [`SDR_QUEUE`] once it became an MQL.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::{Company, SDR_QUEUE, SampleStage};
    ///
    /// let company = Company::new(42, 200)?;
    /// for sample in company.leads() {
    ///     let lead = sample.lead_fact();
    ///     assert_eq!((&lead.id, lead.created_at, lead.source.as_ref()), (&sample.id, sample.created_at, Some(&sample.source)));
    ///     let mql = sample.entered(SampleStage::Mql).is_some();
    ///     assert_eq!(lead.owner.as_deref(), mql.then_some(SDR_QUEUE));
    /// }
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn lead_fact(&self) -> Lead {
        Lead {
            id: self.id.clone(),
            created_at: self.created_at,
            source: Some(self.source.clone()),
            owner: self.entered(SampleStage::Mql).map(|_| SDR_QUEUE.to_owned()),
            account: Some(self.account.clone()),
            contact: Some(self.contact.clone()),
        }
    }

    /// Every stage entry of the lead as a [`StageChange`], in time order, keyed by
    /// [`SampleStage::as_str`] (side exits included).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    ///
    /// let sample = Company::new(42, 100)?.lead(5);
    /// let changes = sample.stage_change_facts();
    /// let stages: Vec<&str> = changes.iter().map(|c| c.stage.as_str()).collect();
    /// let expected: Vec<&str> = sample.stages.iter().map(|c| c.stage.as_str()).collect();
    /// assert_eq!(stages, expected);
    /// assert_eq!(changes.first().map(|c| (c.stage.as_str(), c.at)), Some(("lead", sample.created_at)));
    /// assert!(changes.iter().all(|c| c.entity == sample.id));
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn stage_change_facts(&self) -> Vec<StageChange> {
        self.stages
            .iter()
            .map(|c| StageChange {
                entity: self.id.clone(),
                stage: StageId::trusted(c.stage.as_str().to_owned()),
                at: c.at,
            })
            .collect()
    }

    /// What sales did with the lead, as [`Disposition`]s in time order: accepted at its SAL
    /// entry, then its rejection (recycled if the lead entered `recycled`, rejected otherwise)
    /// with the typed [`Reason`]. Empty for a lead sales never dispositioned.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::DispositionOutcome;
    /// use revops::testkit::Company;
    ///
    /// let company = Company::sample();
    /// let rejected = company
    ///     .leads()
    ///     .flat_map(|l| l.disposition_facts())
    ///     .find(|d| matches!(d.outcome, DispositionOutcome::Rejected { .. }));
    /// assert!(rejected.is_some_and(|d| d.outcome.reason().is_some()));
    /// ```
    #[must_use]
    pub fn disposition_facts(&self) -> Vec<Disposition> {
        let mut out = Vec::new();
        if let Some(at) = self.entered(SampleStage::Sal) {
            out.push(Disposition { lead: self.id.clone(), at, outcome: DispositionOutcome::Accepted });
        }
        if let Some(r) = &self.rejection {
            let reason = sample_reason(&r.reason);
            let outcome = if self.entered(SampleStage::Recycled).is_some() {
                DispositionOutcome::Recycled { reason }
            } else {
                DispositionOutcome::Rejected { reason }
            };
            out.push(Disposition { lead: self.id.clone(), at: r.at, outcome });
        }
        out.sort_by_key(|d| d.at);
        out
    }

    /// The lead's sales touches as [`Response`]s: its first sales touch after the MQL handoff
    /// (a call, by nobody recorded), or none.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::ResponseKind;
    /// use revops::testkit::Company;
    ///
    /// for sample in Company::new(42, 200)?.leads() {
    ///     let responses = sample.response_facts();
    ///     assert_eq!(responses.first().map(|r| r.at), sample.first_sales_touch_at);
    ///     assert!(responses.iter().all(|r| r.kind == ResponseKind::Call && r.by.is_none() && r.lead == sample.id));
    /// }
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn response_facts(&self) -> Vec<Response> {
        self.first_sales_touch_at.map(|at| Response::new(self.id.clone(), at, ResponseKind::Call)).into_iter().collect()
    }

    /// The lead's opportunity as a [`Deal`] fact, as the metric adapter
    /// ([`SampleLead::metric_deal`]) builds it, plus the account and the lead: status (open at
    /// its stage's probability, won, or lost with the typed [`Reason`]), amount, created,
    /// closed, the expected close date while open, qualified (every sample opportunity reached
    /// SQL first), origin ([`origin_of`](super::origin_of) the lead source), source, the
    /// contacts of its buying group ([`SampleOpportunity::contacts`](super::SampleOpportunity::contacts))
    /// and its forecast category as the Salesforce export writes it (won Closed, lost Omitted;
    /// open by its sample stage: `discovery` Pipeline, `proposal` Best Case, `negotiation` Commit).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::{DealStatus, Reason};
    /// use revops::testkit::Company;
    ///
    /// let deals: Vec<_> = Company::sample().leads().filter_map(|l| l.deal_fact()).collect();
    /// assert!(deals.iter().all(|d| d.check().is_ok() && d.account.is_some() && d.lead.is_some()));
    /// assert!(deals.iter().any(|d| d.status == DealStatus::lost(Reason::NoDecision)));
    /// ```
    #[must_use]
    pub fn deal_fact(&self) -> Option<Deal> {
        let opp = self.opportunity.as_ref()?;
        let status = match &opp.outcome {
            SampleOutcome::Open { probability_percent, .. } => DealStatus::Open {
                probability: Probability::from_percent(*probability_percent).unwrap_or(Probability::ZERO),
            },
            SampleOutcome::Won => DealStatus::Won,
            SampleOutcome::Lost { reason } => DealStatus::lost(sample_reason(reason)),
        };
        let open = !status.is_closed();
        Some(
            Deal::new(opp.id.clone(), opp.created_at, opp.amount, status)
                .closed_at(opp.closed_at)
                .close_date(open.then_some(opp.close_date))
                .qualified(true)
                .origin(super::origin_of(&self.source))
                .source(Some(self.source.clone()))
                .account(Some(opp.account.clone()))
                .lead(Some(opp.lead.clone()))
                .contacts(opp.contacts.iter().cloned())
                .forecast_category(Some(forecast_category(&opp.outcome))),
        )
    }

    /// The lead's attribution [`Journey`], as the attribution adapter
    /// ([`SampleLead::journey`]) builds it: its touches (each with its contact and campaign),
    /// its account, milestones (lead creation = `created_at`, opportunity creation, closed won)
    /// and the roles set explicitly the same way (first touch on the first touch, each
    /// milestone role on the last touch at or before it). It converts when its opportunity was
    /// won, at the close time, for the deal amount; every other lead does not convert.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    ///
    /// let journeys: Vec<_> = Company::sample().leads().map(|l| l.journey_fact()).collect();
    /// assert!(journeys.iter().all(|j| j.check().is_ok()));
    /// assert!(journeys.iter().any(|j| j.is_converted()) && journeys.iter().any(|j| !j.is_converted()));
    /// ```
    #[must_use]
    pub fn journey_fact(&self) -> Journey {
        let opportunity = self.opportunity.as_ref();
        let won = opportunity.filter(|o| o.outcome == SampleOutcome::Won);
        let conversion = won.and_then(|o| o.closed_at.map(|at| Conversion { at, value: o.amount }));
        let milestones = Milestones {
            lead_created: Some(self.created_at),
            opportunity_created: opportunity.map(|o| o.created_at),
            closed_won: conversion.map(|c| c.at),
        };
        let mut touches: Vec<Touchpoint> = self
            .touches
            .iter()
            .map(|t| Touchpoint {
                at: t.at,
                channel: t.channel.clone(),
                campaign: t.campaign.clone(),
                contact: Some(t.contact.clone()),
                roles: Roles::EMPTY,
            })
            .collect();
        if let Some(first) = touches.first_mut() {
            first.roles = first.roles.with(Role::FirstTouch);
        }
        for (role, at) in [
            (Role::LeadCreation, milestones.lead_created),
            (Role::OpportunityCreation, milestones.opportunity_created),
            (Role::ClosedWon, milestones.closed_won),
        ] {
            let Some(at) = at else { continue };
            if let Some(t) = touches.iter_mut().rev().find(|t| t.at <= at) {
                t.roles = t.roles.with(role);
            }
        }
        Journey {
            id: JourneyId::trusted(self.id.as_str().to_owned()),
            account: Some(self.account.clone()),
            conversion,
            milestones,
            touches,
        }
    }
}

impl SampleSpend {
    /// The spend line as a [`Spend`] fact over its calendar month in UTC; media spend is
    /// [`SpendKind::Paid`] on its channel.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::SpendKind;
    /// use revops::testkit::Company;
    ///
    /// let spend = Company::sample().spend();
    /// let paid = spend.iter().map(|s| s.spend_fact()).find(|s| s.kind == SpendKind::Paid);
    /// assert!(paid.is_some_and(|s| s.channel.is_some() && s.period.start() < s.period.end()));
    /// ```
    #[must_use]
    pub fn spend_fact(&self) -> Spend {
        let start = midnight(self.month);
        let next = if self.month.month() == 12 {
            NaiveDate::from_ymd_opt(self.month.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(self.month.year(), self.month.month() + 1, 1)
        };
        let end = next.map_or(start, midnight);
        let period = Period::new(start, end).unwrap_or(Period::all_time());
        match &self.category {
            SpendCategory::Media(channel) => {
                Spend::new(period, SpendKind::Paid, self.amount).on_channel(channel.clone())
            }
            SpendCategory::MarketingPeople => Spend::new(period, SpendKind::MarketingPeople, self.amount),
            SpendCategory::SalesPeople => Spend::new(period, SpendKind::SalesPeople, self.amount),
            SpendCategory::Tools => Spend::new(period, SpendKind::Tools, self.amount),
        }
    }
}

impl Company {
    /// Every fact of the company, generated once: accounts and their contacts in account
    /// order, then the facts of every lead in lead order ([`Company::lead_facts_in`]), then
    /// the spend lines of [`Company::spend`], then the won customers' MRR histories of
    /// [`Company::recurring_revenue`] (by account, then instant). The same seed gives the same facts, in the same
    /// order, on every machine.
    ///
    /// Conventions of the conversion (the testkit's per-module adapters follow the same ones):
    /// - an [`Account`] carries the sample firmographics and technographics, and three custom
    ///   attributes: [`CONTACTS_ATTRIBUTE`], [`ECONOMIC_BUYER_ATTRIBUTE`] and
    ///   [`LEGAL_FORM_ATTRIBUTE`], as the sample ICP reads them;
    /// - a [`Contact`]'s roles are the sample's role keys, typed ([`BuyingRole`]);
    /// - a [`Lead`] is owned by the `sdr_queue` once it became an MQL (the MQL handoff routes it
    ///   there, as [`Company::handoff`] says), by nobody before;
    /// - [`StageChange`]s are every stage entry of the lead, with the [`SampleStage`] keys (side
    ///   exits `lost`, `recycled` and `disqualified` included);
    /// - [`Disposition`]s: `accepted` at the lead's SAL entry; a rejection is `recycled` when the
    ///   lead entered `recycled`, `rejected` otherwise, with its typed [`Reason`]. A lead accepted
    ///   and later recycled from SAL has both, in time order;
    /// - a [`Response`] is the lead's first sales touch after the MQL handoff (the one speed to
    ///   lead measures), a [`ResponseKind::Call`] by nobody recorded: the sample records no later
    ///   sales touches;
    /// - a [`Deal`] is what [`SampleLead::metric_deal`] builds, with the account and the lead it
    ///   came from;
    /// - a [`Journey`] is what [`SampleLead::journey`] builds;
    /// - [`Spend`] covers one calendar month in UTC, `[first of the month, first of the next)`;
    ///   media spend is [`SpendKind::Paid`] on its channel;
    /// - [`RecurringRevenue`](crate::facts::RecurringRevenue) starts at an account's first won
    ///   deal, at its amount over 12, and moves monthly ([`MrrWalk`](super::MrrWalk)).
    ///
    /// This holds the whole company in memory; for the largest sizes stream the per-record
    /// methods or [`Company::lead_facts_in`] instead.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    ///
    /// let company = Company::new(42, 200)?;
    /// let facts = company.facts();
    /// facts.check()?;
    /// assert_eq!(facts.leads.len(), 200);
    /// assert_eq!(facts, company.facts()); // same seed, same facts
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn facts(&self) -> FactSet {
        let mut facts = self.lead_facts_in(0..self.lead_count());
        for account in self.accounts() {
            facts.accounts.push(account.account_fact());
            facts.contacts.extend(account.contact_facts());
        }
        facts.spend = self.spend().iter().map(SampleSpend::spend_fact).collect();
        facts.recurring_revenue = self.recurring_revenue();
        facts
    }

    /// The facts derived from leads `range` (clamped to [`Company::lead_count`]), in lead
    /// order: leads, stage changes, dispositions, responses, deals and journeys. No accounts,
    /// contacts or spend: a partition of the lead data, for evaluations split across threads
    /// or services.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    ///
    /// let company = Company::new(7, 100)?;
    /// let mut parts = company.lead_facts_in(0..40);
    /// let rest = company.lead_facts_in(40..100);
    /// parts.leads.extend(rest.leads);
    /// assert_eq!(parts.leads, company.facts().leads);
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn lead_facts_in(&self, range: Range<usize>) -> FactSet {
        let end = range.end.min(self.lead_count());
        let mut facts = FactSet::default();
        for lead in (range.start.min(end)..end).map(|i| self.lead(i)) {
            facts.leads.push(lead.lead_fact());
            facts.stage_changes.extend(lead.stage_change_facts());
            facts.dispositions.extend(lead.disposition_facts());
            facts.responses.extend(lead.response_facts());
            facts.deals.extend(lead.deal_fact());
            facts.journeys.push(lead.journey_fact());
        }
        facts
    }
}

/// The typed reason for a sample rejection or loss key (every sample key is in the taxonomy;
/// anything else keeps its text).
/// The forecast category of a sample outcome (the Salesforce export's `ForecastCategory`).
fn forecast_category(outcome: &SampleOutcome) -> ForecastCategory {
    match outcome {
        SampleOutcome::Won => ForecastCategory::Closed,
        SampleOutcome::Lost { .. } => ForecastCategory::Omitted,
        SampleOutcome::Open { stage, .. } => match stage.as_str() {
            "negotiation" => ForecastCategory::Commit,
            "proposal" => ForecastCategory::BestCase,
            _ => ForecastCategory::Pipeline,
        },
    }
}

fn sample_reason(key: &str) -> Reason {
    Reason::from_key(key).unwrap_or_else(|| Reason::Other(key.to_owned()))
}

fn midnight(date: NaiveDate) -> DateTime<Utc> {
    date.and_hms_opt(0, 0, 0).map(|t| t.and_utc()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Origin;

    #[test]
    fn the_fact_set_checks_and_counts_agree() {
        let company = Company::new(5, 1_500).unwrap();
        let facts = company.facts();
        facts.check().unwrap();
        let leads: Vec<SampleLead> = company.leads().collect();
        assert_eq!(facts.accounts.len(), company.account_count());
        assert_eq!(facts.contacts.len(), company.accounts().map(|a| a.contacts.len()).sum::<usize>());
        assert_eq!(facts.leads.len(), company.lead_count());
        assert_eq!(facts.stage_changes.len(), leads.iter().map(|l| l.stages.len()).sum::<usize>());
        assert_eq!(facts.responses.len(), leads.iter().filter(|l| l.first_sales_touch_at.is_some()).count());
        assert_eq!(facts.deals.len(), company.opportunities().count());
        assert_eq!(facts.journeys.len(), company.lead_count());
        assert_eq!(facts.spend.len(), company.spend().len());
        let expected = leads
            .iter()
            .map(|l| usize::from(l.entered(SampleStage::Sal).is_some()) + usize::from(l.rejection.is_some()));
        assert_eq!(facts.dispositions.len(), expected.sum::<usize>());
        assert!(facts.deals.iter().all(|d| d.account.is_some() && d.lead.is_some() && d.qualified));
        assert!(facts.deals.iter().any(|d| d.origin == Origin::Partner));
    }

    #[test]
    fn deals_equal_the_metric_adapter() {
        let company = Company::new(9, 2_000).unwrap();
        let mut deals = 0;
        for lead in company.leads() {
            let expected = lead.metric_deal().map(|d| {
                let opp = lead.opportunity.as_ref().unwrap();
                d.account(Some(opp.account.clone()))
                    .lead(Some(opp.lead.clone()))
                    .forecast_category(Some(forecast_category(&opp.outcome)))
            });
            deals += usize::from(expected.is_some());
            assert_eq!(lead.deal_fact(), expected, "{}", lead.id);
        }
        assert!(deals > 50);
    }

    #[test]
    fn spend_equals_the_metric_adapter() {
        let company = Company::sample();
        let metric = company.metric_spend().unwrap();
        assert_eq!(metric.len(), company.spend().len());
        for (line, metric) in company.spend().iter().zip(metric) {
            let fact = line.spend_fact();
            assert_eq!(fact, metric);
            assert_eq!(fact.channel.is_some(), matches!(line.category, SpendCategory::Media(_)));
        }
    }

    #[test]
    fn every_kind_of_disposition_occurs() {
        let facts = Company::sample().facts();
        let kinds: std::collections::BTreeSet<_> = facts.dispositions.iter().map(|d| d.outcome.key()).collect();
        assert_eq!(kinds.len(), 3);
        assert!(facts.dispositions.iter().filter_map(|d| d.outcome.reason()).all(|r| !matches!(r, Reason::Other(_))));
    }

    #[test]
    fn spend_periods_are_calendar_months() {
        let line = Company::sample().spend().into_iter().find(|s| s.month.month() == 12).unwrap();
        let fact = line.spend_fact();
        assert_eq!(fact.period.start().to_rfc3339(), "2024-12-01T00:00:00+00:00");
        assert_eq!(fact.period.end().to_rfc3339(), "2025-01-01T00:00:00+00:00");
    }
}
