//! The sample company as metric facts: deals, stage entries, lead facts, response times,
//! opportunity touches, spend and new customers; and a compact direct deal generator for
//! benchmarks.
//!
//! Conventions of the conversion:
//! - every sample opportunity reached SQL before it was created, so every [`Deal`] is
//!   `qualified`; an open deal's expected close date is its `close_date`;
//! - origin: lead source `sdr_outbound` is [`Origin::Sales`], `partner` and `referral` are
//!   [`Origin::Partner`], every other channel is [`Origin::Marketing`];
//! - stage entries cover the stages of [`metric_stage_order`] (`lead` to `won`); the side exits
//!   `lost`, `recycled` and `disqualified` are not in the order and are left out;
//! - speed to lead uses elapsed seconds from MQL to the first sales touch as a stand-in for
//!   business time (the `sla` module supplies real business time);
//! - spend: media spend is [`SpendKind::Paid`]; a new customer is `paid` when its lead source
//!   channel has media spend.
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

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use super::{
    Company, SampleLead, SampleOpportunity, SampleOutcome, SampleRng, SampleSpend, SampleStage, SpendCategory,
};
use crate::facts::SpendKind;
use crate::facts::{Deal, DealStatus, Origin, Reason};
use crate::metrics::{
    Disposition, LeadFact, NewCustomer, OpportunityTouches, ResponseTime, Spend, StageEntry, StageOrder,
};
use crate::{ChannelId, Currency, Money, OpportunityId, Probability, StageId};

/// Stream of the compact deal generator (distinct from the company's own streams).
const STREAM_DEAL: u64 = 101;
const DAY: i64 = 86_400;

/// The stage order of the sample company's main path: `lead`, `mql`, `sal`, `sql`,
/// `opportunity`, `won`.
#[must_use]
pub fn metric_stage_order() -> StageOrder {
    let stages = [
        SampleStage::Lead,
        SampleStage::Mql,
        SampleStage::Sal,
        SampleStage::Sql,
        SampleStage::Opportunity,
        SampleStage::Won,
    ];
    StageOrder::trusted(stages.iter().map(|s| StageId::trusted(s.as_str().to_owned())).collect())
}

/// The origin the sample company gives a lead source.
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
            probability: Probability::from_percent((*probability_percent).into()).unwrap_or(Probability::ZERO),
        },
        SampleOutcome::Won => DealStatus::Won,
        SampleOutcome::Lost { reason } => DealStatus::lost(loss_reason(reason)),
    }
}

impl SampleLead {
    /// The lead's opportunity as a metric [`Deal`], if it has one.
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
                .source(Some(self.source.clone())),
        )
    }

    /// The lead's entries of the stages of [`metric_stage_order`], in time order.
    #[must_use]
    pub fn metric_stage_entries(&self) -> Vec<StageEntry> {
        self.stages
            .iter()
            .filter(|c| !matches!(c.stage, SampleStage::Lost | SampleStage::Recycled | SampleStage::Disqualified))
            .map(|c| StageEntry {
                entity: self.id.clone(),
                stage: StageId::trusted(c.stage.as_str().to_owned()),
                at: c.at,
            })
            .collect()
    }

    /// The lead as a hygiene [`LeadFact`]: delivered at its MQL time, dispositioned by
    /// acceptance (SAL) or by its rejection at the MQL stage, revenue from a won deal.
    #[must_use]
    pub fn metric_lead_fact(&self) -> LeadFact {
        let mut fact = LeadFact::new(self.id.clone(), self.created_at);
        fact.delivered_at = self.entered(SampleStage::Mql);
        fact.disposition = match (self.entered(SampleStage::Sal), &self.rejection) {
            (Some(at), _) => Some(Disposition::Accepted { at }),
            (None, Some(r)) if r.from == SampleStage::Mql => {
                let reason = Some(r.reason.clone());
                if self.entered(SampleStage::Recycled).is_some() {
                    Some(Disposition::Recycled { at: r.at, reason })
                } else {
                    Some(Disposition::Rejected { at: r.at, reason })
                }
            }
            _ => None,
        };
        if let Some(opp) = self.opportunity.as_ref().filter(|o| o.outcome == SampleOutcome::Won) {
            fact.won_at = opp.closed_at;
            fact.won_amount = Some(opp.amount);
        }
        fact
    }

    /// Speed to lead of an MQL in business time on `clock` (e.g. [`Company::sla_timeline`]),
    /// from MQL to the first sales touch. An unanswered lead is `business_seconds: None` once
    /// more than `target` of business time has passed by `as_of`; `Ok(None)` for a lead that
    /// never became an MQL or is still inside its target (undecided).
    ///
    /// # Errors
    /// The clock's errors for instants outside its range.
    pub fn metric_response_time(
        &self,
        clock: &impl crate::calendar::BusinessClock,
        target: chrono::TimeDelta,
        as_of: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<ResponseTime>, crate::Error> {
        let Some(mql) = self.entered(SampleStage::Mql) else { return Ok(None) };
        let business_seconds = match self.first_sales_touch_at.filter(|t| *t <= as_of) {
            Some(t) => Some(clock.between(mql, t)?.num_seconds()),
            None if clock.between(mql, as_of)? > target => None,
            None => return Ok(None),
        };
        Ok(Some(ResponseTime { lead: self.id.clone(), business_seconds }))
    }

    /// The lead's opportunity with its marketing touches (every touch not from `sdr_outbound`,
    /// up to the opportunity's creation).
    #[must_use]
    pub fn metric_opportunity_touches(&self) -> Option<OpportunityTouches> {
        let opp = self.opportunity.as_ref()?;
        Some(OpportunityTouches {
            opportunity: opp.id.clone(),
            created_at: opp.created_at,
            amount: opp.amount,
            origin: origin_of(&self.source),
            marketing_touches: self
                .touches
                .iter()
                .filter(|t| t.channel.as_str() != "sdr_outbound" && t.at <= opp.created_at)
                .map(|t| t.at)
                .collect(),
        })
    }
}

impl SampleSpend {
    /// The spend line as a metric [`Spend`] (media spend is paid).
    #[must_use]
    pub fn metric_spend(&self) -> Spend {
        let kind = match self.category {
            SpendCategory::Media(_) => SpendKind::Paid,
            SpendCategory::MarketingPeople => SpendKind::MarketingPeople,
            SpendCategory::SalesPeople => SpendKind::SalesPeople,
            SpendCategory::Tools => SpendKind::Tools,
        };
        Spend { month: self.month, kind, amount: self.amount }
    }
}

impl Company {
    /// Every opportunity of the company as a metric [`Deal`], in lead order.
    pub fn metric_deals(&self) -> impl Iterator<Item = Deal> + '_ {
        self.leads().filter_map(|l| l.metric_deal())
    }

    /// Every spend line as a metric [`Spend`].
    #[must_use]
    pub fn metric_spend(&self) -> Vec<Spend> {
        self.spend().iter().map(SampleSpend::metric_spend).collect()
    }

    /// New customers: each account's first won deal, in account order; `paid` when the
    /// deal's lead source has media spend.
    #[must_use]
    pub fn metric_new_customers(&self, leads: &[SampleLead]) -> Vec<NewCustomer> {
        let paid: BTreeSet<String> = self
            .spend()
            .into_iter()
            .filter_map(|s| match s.category {
                SpendCategory::Media(c) => Some(c.as_str().to_owned()),
                _ => None,
            })
            .collect();
        let mut first: BTreeMap<_, (DateTime<Utc>, bool)> = BTreeMap::new();
        for lead in leads {
            let Some(opp) = lead.opportunity.as_ref().filter(|o| o.outcome == SampleOutcome::Won) else { continue };
            let Some(at) = opp.closed_at else { continue };
            let is_paid = paid.contains(lead.source.as_str());
            first
                .entry(opp.account.clone())
                .and_modify(|e: &mut (DateTime<Utc>, bool)| {
                    if at < e.0 {
                        *e = (at, is_paid);
                    }
                })
                .or_insert((at, is_paid));
        }
        first
            .into_iter()
            .map(|(account, (at, paid))| NewCustomer { account, acquired_on: at.date_naive(), paid })
            .collect()
    }

    /// Deal `index` of a compact direct generator: a pure function of `(seed, index)` that
    /// skips the lead story, for benchmarks over millions of deals. Its mix follows the sample
    /// company's opportunities: amounts $6,000 to $400,000 in whole hundreds, created over
    /// 2024, cycles of 14 days plus an exponential tail (mean 50 days) capped at a year, about
    /// 30% won and 50% lost by the company's as-of instant, the rest open at 20/50/80%,
    /// origins and sources from the twelve channels.
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
            (DealStatus::Open { probability: Probability::from_percent(p.into()).unwrap_or(Probability::ZERO) }, None)
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
        let order = metric_stage_order();
        assert_eq!(order.stages().len(), 6);
        let mut deals = 0;
        for lead in &leads {
            if let Some(d) = lead.metric_deal() {
                d.check().unwrap();
                deals += 1;
            }
            for e in lead.metric_stage_entries() {
                assert!(order.position(e.stage.as_str()).is_some());
            }
            let fact = lead.metric_lead_fact();
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
        assert!(!company.metric_new_customers(&leads).is_empty());
        assert_eq!(company.metric_spend().len(), company.spend().len());
        for i in 0..2_000 {
            company.synthetic_deal(i).check().unwrap();
        }
        assert_eq!(company.synthetic_deal(7), company.synthetic_deal(7));
    }
}
