//! The sample company seen through the [`funnel`](crate::funnel) module: its leads as facts
//! ([`Lead`], waterfall [`StageChange`]s, rejection [`Disposition`]s), the stage histories and
//! rejections derived from them, lead facts and scores, MQL-to-SAL handoffs, plus the scoring
//! model, MQL thresholds, score matrix and ten-rule qualification the sample company's teams
//! "signed", and proptest strategies for the funnel's inputs ([`stage_changes`],
//! [`lead_facts`], [`disposition`], [`rejection`], [`rejection_reason`]).
//!
//! Stage mapping (sample lifecycle to [`Funnel::demand_waterfall`]): lead to `inquiry`, MQL,
//! SAL and SQL to themselves, won and lost to themselves, recycled to `nurture`, disqualified
//! to `disqualified`. A sample rejection is a [`Disposition`] with its reason key mapped one to
//! one onto [`Reason`]: [`DispositionOutcome::Recycled`] when the lead went to nurture,
//! [`DispositionOutcome::Rejected`] when it was disqualified. The sample's
//! `opportunity` entry has no waterfall stage (in the waterfall the SQL is where the deal is
//! created), so it is not a change of waterfall stage: the lead stays in `sql`.
//!
//! # Example
//!
//! ```
//! use revops::funnel::{Funnel, Reach};
//! use revops::testkit::Company;
//! use revops::StageId;
//!
//! let company = Company::new(42, 200)?;
//! let funnel = Funnel::demand_waterfall();
//! let sql = StageId::new("sql")?;
//! let mut reached = 0;
//! for lead in company.leads() {
//!     let history = company.funnel_history(&funnel, &lead)?;
//!     reached += usize::from(history.reached(&funnel, &sql, Reach::OrBeyond));
//! }
//! assert!(reached > 0);
//! # Ok::<(), revops::Error>(())
//! ```

use std::borrow::Cow;

use chrono::{DateTime, TimeDelta, Utc};
use proptest::prelude::*;
use rust_decimal::Decimal;

use super::company::{
    CHANNELS, COUNTRIES, Company, INDUSTRIES, SampleContact, SampleLead, SampleStage, SampleTouch, TECHNOLOGIES,
};
use super::strategies;
use crate::facts::{BuyingRole, Contact, Disposition, DispositionOutcome, Lead, Reason, StageChange, Touchpoint};
use crate::funnel::{
    Activity, Band, ChangeKind, Combine, Decay, Funnel, Handoff, LeadCondition, LeadFacts, LeadScore, MqlThresholds,
    Qualification, QualificationRule, Rejection, ScoreGroup, ScoreKind, ScoreMatrix, ScoringModel, StageHistory,
};
use crate::{AccountId, Error, StageId};

/// The waterfall stage key of a sample stage (`None` for `opportunity`, see the module docs).
#[must_use]
pub const fn waterfall_stage(stage: SampleStage) -> Option<&'static str> {
    match stage {
        SampleStage::Lead => Some("inquiry"),
        SampleStage::Mql => Some("mql"),
        SampleStage::Sal => Some("sal"),
        SampleStage::Sql => Some("sql"),
        SampleStage::Opportunity => None,
        SampleStage::Won => Some("won"),
        SampleStage::Lost => Some("lost"),
        SampleStage::Recycled => Some("nurture"),
        SampleStage::Disqualified => Some("disqualified"),
    }
}

/// The sample company's scoring model. Fit: industry, size, region and technology (capped at
/// 20) groups; engagement per channel in three capped groups; totals capped at 100;
/// engagement decays with a 30-day half-life.
///
/// # Errors
/// None in practice (the definition is valid); the signature keeps the builder's.
pub fn scoring_model() -> Result<ScoringModel, Error> {
    let fit = |key, rules: &[(&str, i64)]| ScoreGroup::new(key, ScoreKind::Fit, rules.iter().copied());
    let engagement = |key, rules: &[(&str, i64)]| ScoreGroup::new(key, ScoreKind::Engagement, rules.iter().copied());
    ScoringModel::builder()
        .group(fit("industry", &[("software", 30), ("fintech", 30), ("healthcare", 10), ("logistics", 10)]))
        .group(fit(
            "size",
            &[
                ("employees_200_999", 20),
                ("employees_1000_4999", 20),
                ("employees_50_199", 10),
                ("employees_5000_plus", 10),
            ],
        ))
        .group(fit("region", &[("north_america", 10), ("europe", 10)]))
        .group(fit("technology", &[("salesforce", 15), ("snowflake", 15), ("hubspot", 5), ("segment", 5)]).with_cap(20))
        .group(engagement("events", &[("webinar", 15), ("events", 20)]).with_cap(40))
        .group(
            engagement(
                "content",
                &[
                    ("content", 8),
                    ("organic", 4),
                    ("email", 3),
                    ("direct", 4),
                    ("paid_search", 4),
                    ("paid_social", 2),
                    ("display", 1),
                ],
            )
            .with_cap(30),
        )
        .group(engagement("sales", &[("referral", 20), ("partner", 15), ("sdr_outbound", 10)]).with_cap(40))
        .fit_cap(100)
        .engagement_cap(100)
        .decay(Decay::HalfLife { days: 30 })
        .build()
}

/// MQL thresholds: fit at least 40 and engagement at least 10.
///
/// # Errors
/// None in practice (the thresholds are valid); the signature keeps [`MqlThresholds::new`]'s.
pub fn mql_thresholds() -> Result<MqlThresholds, Error> {
    MqlThresholds::new(Decimal::from(40), Decimal::from(10))
}

/// Score matrix: fit A ≥ 60, B ≥ 40, C ≥ 0; engagement 1 ≥ 40, 2 ≥ 15, 3 ≥ 0.
///
/// # Errors
/// None in practice (the bands are valid); the signature keeps [`ScoreMatrix::new`]'s.
pub fn score_matrix() -> Result<ScoreMatrix, Error> {
    let band = |l: &str, m: i64| Band::new(l, Decimal::from(m));
    ScoreMatrix::new(vec![band("A", 60), band("B", 40), band("C", 0)], vec![band("1", 40), band("2", 15), band("3", 0)])
}

/// Ten sales-ready signals, combined with any: strong fit, strong engagement, tier A, a
/// reachable phone, a target industry, a webinar or event in the last 90 days, a referral or
/// partner touch, SDR outreach in the last 30 days.
///
/// # Errors
/// None in practice (the rules are valid); the signature keeps [`Qualification::new`]'s.
pub fn qualification() -> Result<Qualification, Error> {
    let rule = QualificationRule::new;
    let activity = |kind: &str, within_days| LeadCondition::Activity { kind: kind.to_owned(), within_days };
    Qualification::new(
        "sales-ready signals",
        Combine::Any,
        vec![
            rule("fit_at_least_60", LeadCondition::FitScoreAtLeast(Decimal::from(60))),
            rule("engagement_at_least_40", LeadCondition::EngagementScoreAtLeast(Decimal::from(40))),
            rule("tier_a", LeadCondition::FitTierIn(vec!["A".to_owned()])),
            rule("reachable", LeadCondition::FieldsPresent(vec!["email".to_owned(), "phone".to_owned()])),
            rule("software", LeadCondition::HasTrait("software".to_owned())),
            rule("fintech", LeadCondition::HasTrait("fintech".to_owned())),
            rule("webinar_90d", activity("webinar", Some(90))),
            rule("event_90d", activity("events", Some(90))),
            rule("referral", activity("referral", None)),
            rule("sdr_outbound_30d", activity("sdr_outbound", Some(30))),
        ],
    )
}

fn static_key(table: &[&'static str], value: &str) -> Option<Cow<'static, str>> {
    table.iter().find(|k| **k == value).map(|k| Cow::Borrowed(*k))
}

fn size_band(employees: u32) -> &'static str {
    match employees {
        0..50 => "employees_1_49",
        50..200 => "employees_50_199",
        200..1_000 => "employees_200_999",
        1_000..5_000 => "employees_1000_4999",
        _ => "employees_5000_plus",
    }
}

fn lead_number(lead: &SampleLead) -> u64 {
    lead.id.as_str().get(1..).and_then(|n| n.parse().ok()).unwrap_or_default()
}

/// The lead fact of a sample lead: id, creation, source, account and contact (no owner).
fn lead_fact(lead: &SampleLead) -> Lead {
    let mut fact =
        Lead::new(lead.id.clone(), lead.created_at).from_source(lead.source.clone()).at_account(lead.account.clone());
    fact.contact = Some(lead.contact.clone());
    fact
}

/// The touchpoint fact of a sample touch (no explicit role).
fn touchpoint(touch: &SampleTouch) -> Touchpoint {
    let t = Touchpoint::new(touch.at, touch.channel.clone()).with_contact(touch.contact.clone());
    match &touch.campaign {
        Some(c) => t.with_campaign(c.clone()),
        None => t,
    }
}

/// The contact fact of a sample contact; role keys the crate does not know are
/// [`BuyingRole::Other`].
fn contact(account: &AccountId, c: &SampleContact) -> Contact {
    let mut fact = Contact::new(c.id.clone()).at_account(account.clone());
    fact.title = Some(c.title.clone());
    fact.roles = c.buying_roles.iter().map(|r| r.parse().unwrap_or(BuyingRole::Other)).collect();
    fact
}

impl Company {
    /// The lead's entries into waterfall stages, as [`StageChange`] facts (see the module docs
    /// for the mapping), in time order.
    ///
    /// # Errors
    /// None in practice (the waterfall keys are valid stage ids).
    pub fn funnel_stage_changes(&self, lead: &SampleLead) -> Result<Vec<StageChange>, Error> {
        let mut changes = Vec::with_capacity(lead.stages.len());
        for change in &lead.stages {
            let Some(key) = waterfall_stage(change.stage) else { continue };
            changes.push(StageChange { entity: lead.id.clone(), stage: StageId::new(key)?, at: change.at });
        }
        Ok(changes)
    }

    /// The lead's rejection or recycle as a [`Disposition`] fact (`None` if sales did
    /// neither): recycled when the lead went to nurture, rejected otherwise.
    #[must_use]
    pub fn funnel_disposition(&self, lead: &SampleLead) -> Option<Disposition> {
        let r = lead.rejection.as_ref()?;
        let reason = Reason::from_key(&r.reason).unwrap_or_else(|| Reason::Other(r.reason.clone()));
        let recycled = lead.stages.iter().any(|c| c.stage == SampleStage::Recycled && c.at == r.at);
        let outcome =
            if recycled { DispositionOutcome::Recycled { reason } } else { DispositionOutcome::Rejected { reason } };
        Some(Disposition { lead: lead.id.clone(), at: r.at, outcome })
    }

    /// The lead's stage history under `funnel` (which must hold the demand-waterfall keys,
    /// e.g. [`Funnel::demand_waterfall`]), derived from its stage-change facts with
    /// [`StageHistory::from_facts`].
    ///
    /// # Errors
    /// [`ErrorKind::UnknownStage`](crate::ErrorKind::UnknownStage) if `funnel` lacks a waterfall key; the errors of
    /// [`StageHistory::from_facts`] (none for the waterfall template: the sample histories
    /// never leave a terminal stage).
    pub fn funnel_history(&self, funnel: &Funnel, lead: &SampleLead) -> Result<StageHistory, Error> {
        StageHistory::from_facts(funnel, &lead.id, &self.funnel_stage_changes(lead)?)
    }

    /// What is known about the lead as of `as_of`: fit traits from its account (industry,
    /// size band such as `employees_200_999`, region, technologies), its touches up to
    /// `as_of` as activities keyed by channel, and the fields present (`email`, `company` and
    /// `title` always, `phone` for six leads in ten). Scores and tier are left empty: fill
    /// them with [`LeadFacts::set_score`]. Keys are static, so no allocation per key.
    #[must_use]
    pub fn lead_facts(&self, lead: &SampleLead, as_of: DateTime<Utc>) -> LeadFacts {
        let account_index: usize = lead.account.as_str().get(1..).and_then(|n| n.parse().ok()).unwrap_or_default();
        let account = self.account(account_index);
        let mut traits = Vec::with_capacity(4 + account.technologies.len());
        traits.extend(static_key(&INDUSTRIES, &account.industry));
        traits.push(Cow::Borrowed(size_band(account.employees)));
        let regions: Vec<&'static str> = COUNTRIES.iter().map(|(_, r)| *r).collect();
        traits.extend(static_key(&regions, &account.region));
        traits.extend(account.technologies.iter().filter_map(|t| static_key(&TECHNOLOGIES, t)));
        let activities = lead
            .touches
            .iter()
            .filter(|t| t.at <= as_of)
            .filter_map(|t| static_key(&CHANNELS, t.channel.as_str()).map(|kind| Activity { kind, at: t.at }))
            .collect();
        let mut fields = vec![Cow::Borrowed("email"), Cow::Borrowed("company"), Cow::Borrowed("title")];
        if lead_number(lead) % 10 < 6 {
            fields.push(Cow::Borrowed("phone"));
        }
        LeadFacts { traits, activities, fields, fit_score: None, engagement_score: None, fit_tier: None }
    }

    /// The lead's score as of `as_of` under [`scoring_model`].
    ///
    /// # Errors
    /// Those of [`scoring_model`] (none in practice).
    pub fn lead_score(&self, lead: &SampleLead, as_of: DateTime<Utc>) -> Result<LeadScore, Error> {
        Ok(scoring_model()?.score(&self.lead_facts(lead, as_of), as_of))
    }

    /// The MQL-to-SAL handoff of a lead that became an MQL (`None` otherwise), with its context
    /// as of the MQL instant: ids, SDR queue, MQL time and reason, scores, source, first and
    /// last touch, the last three campaigns, the account's buying group, a next action, and an
    /// SLA deadline `response_within` after the MQL (the caller's SLA policy decides it).
    ///
    /// # Errors
    /// Those of [`scoring_model`] and [`mql_thresholds`] (none in practice).
    pub fn handoff(&self, lead: &SampleLead, response_within: Option<TimeDelta>) -> Result<Option<Handoff>, Error> {
        let Some(mql_at) = lead.entered(SampleStage::Mql) else { return Ok(None) };
        let score = self.lead_score(lead, mql_at)?;
        let seen: Vec<_> = lead.touches.iter().filter(|t| t.at <= mql_at).collect();
        let account_index: usize = lead.account.as_str().get(1..).and_then(|n| n.parse().ok()).unwrap_or_default();
        let account = self.account(account_index);
        let mut handoff = Handoff::new(StageId::trusted("mql".to_owned()), StageId::trusted("sal".to_owned()));
        handoff.lead = Some(lead.id.clone());
        handoff.account = Some(lead.account.clone());
        handoff.owner = Some("sdr_queue".to_owned());
        handoff.routed_at = Some(mql_at);
        handoff.mql_at = Some(mql_at);
        handoff.mql_reason = Some(if mql_thresholds()?.is_met(score) {
            "fit and engagement thresholds met".to_owned()
        } else {
            "hand-raise (below score thresholds)".to_owned()
        });
        handoff.fit_score = Some(score.fit);
        handoff.engagement_score = Some(score.engagement);
        handoff.lead_source = Some(lead.source.clone());
        handoff.first_touch = seen.first().map(|t| touchpoint(t));
        handoff.last_touch = seen.last().map(|t| touchpoint(t));
        handoff.recent_content =
            seen.iter().rev().filter_map(|t| t.campaign.as_ref()).take(3).map(ToString::to_string).collect();
        handoff.buying_group = account.contacts.iter().map(|c| contact(&lead.account, c)).collect();
        handoff.next_action = Some("call within one hour".to_owned());
        handoff.sla_deadline = response_within.and_then(|d| mql_at.checked_add_signed(d));
        Ok(Some(handoff))
    }

    /// The lead's rejection (`None` if it was not rejected or recycled), derived from its
    /// facts with [`Rejection::from_facts`]: the [`Disposition`] of
    /// [`Company::funnel_disposition`], the lead's source, and the stage it was in just before
    /// (`mql` or `sal`).
    ///
    /// # Errors
    /// Those of [`Company::funnel_stage_changes`] and [`Rejection::from_facts`] (none in
    /// practice).
    pub fn funnel_rejection(&self, lead: &SampleLead) -> Result<Option<Rejection>, Error> {
        let Some(disposition) = self.funnel_disposition(lead) else { return Ok(None) };
        Rejection::from_facts(&lead_fact(lead), &disposition, &self.funnel_stage_changes(lead)?)
    }

    /// The lead fact of a sample lead: id, creation, source, account and contact.
    #[must_use]
    pub fn funnel_lead(&self, lead: &SampleLead) -> Lead {
        lead_fact(lead)
    }
}

/// Proptest strategy: up to 30 requested changes of lead `L-1` on the demand waterfall's
/// stages, each with how it came about (mostly automatic, some overrides and recycles), with
/// gaps of 0 to 5,000 seconds from 2024-01-01, so repeats, refusals and errors all occur. Feed
/// them to [`StageHistory::apply`].
pub fn stage_changes() -> impl Strategy<Value = Vec<(StageChange, ChangeKind)>> {
    const KEYS: [&str; 8] = ["inquiry", "mql", "sal", "sql", "won", "lost", "nurture", "disqualified"];
    let start = DateTime::from_timestamp(1_704_067_200, 0).unwrap_or_default();
    let lead = crate::LeadId::trusted("L-1".to_owned());
    prop::collection::vec((0..KEYS.len(), 0u8..8, 0i64..5_000), 0..30).prop_map(move |raw| {
        let mut at = start;
        raw.into_iter()
            .map(|(k, how, gap)| {
                at += TimeDelta::try_seconds(gap).unwrap_or_default();
                let stage = StageId::trusted(KEYS.get(k).copied().unwrap_or("inquiry").to_owned());
                let how = match how {
                    0 => ChangeKind::Override { by: "ana".to_owned(), reason: "fixing routing".to_owned() },
                    1 => ChangeKind::Recycle { reason: "bad_timing".to_owned() },
                    _ => ChangeKind::Automatic,
                };
                (StageChange { entity: lead.clone(), stage, at }, how)
            })
            .collect()
    })
}

/// Proptest strategy: a rejection reason of the whole taxonomy, including `Other` with text.
pub fn rejection_reason() -> impl Strategy<Value = Reason> {
    let named = Reason::KEYS.len() - 1; // every key but `other`
    prop_oneof![
        16 => (0..named).prop_map(|i| Reason::KEYS.get(i).and_then(|k| Reason::from_key(k)).unwrap_or(Reason::BadFit)),
        1 => "[a-z ]{1,20}".prop_map(Reason::Other),
    ]
}

/// Proptest strategy: a rejection or recycle [`Disposition`] of a lead, in 2024 to 2027.
pub fn disposition() -> impl Strategy<Value = Disposition> {
    (strategies::lead_id(), rejection_reason(), 0i64..100_000_000, any::<bool>()).prop_map(
        |(lead, reason, secs, recycled)| Disposition {
            lead,
            at: DateTime::from_timestamp(1_704_067_200 + secs, 0).unwrap_or_default(),
            outcome: if recycled {
                DispositionOutcome::Recycled { reason }
            } else {
                DispositionOutcome::Rejected { reason }
            },
        },
    )
}

/// Proptest strategy: a rejection derived from a [`disposition`], its lead (from one of the
/// sample channels, or without a source one time in ten) and the stage it was rejected from
/// (`mql` or `sal`).
pub fn rejection() -> impl Strategy<Value = Rejection> {
    (disposition(), prop::option::weighted(0.9, strategies::channel_id()), any::<bool>()).prop_filter_map(
        "an acceptance is not a rejection (never generated)",
        |(disposition, source, sal)| {
            let mut lead = Lead::new(disposition.lead.clone(), disposition.at);
            lead.source = source;
            let stage = StageId::trusted(if sal { "sal" } else { "mql" }.to_owned());
            Rejection::with_from_stage(&lead, &disposition, Some(stage)).ok().flatten()
        },
    )
}

/// Proptest strategy: lead facts over the sample vocabulary (traits, channel activities within
/// a year before 2025-01-01, fields), with optional scores and tier.
pub fn lead_facts() -> impl Strategy<Value = LeadFacts> {
    let key = |table: &'static [&'static str]| proptest::sample::select(table).prop_map(Cow::Borrowed);
    let end = 1_735_689_600i64; // 2025-01-01
    (
        prop::collection::vec(key(&INDUSTRIES), 0..3),
        prop::collection::vec(key(&TECHNOLOGIES), 0..5),
        prop::collection::vec((key(&CHANNELS), 0i64..31_536_000), 0..12),
        prop::collection::vec(key(&["email", "phone", "company", "title"]), 0..4),
        prop::option::of(0i64..10_000),
        prop::option::of(0i64..10_000),
        prop::option::of(key(&["A", "B", "C"])),
    )
        .prop_map(move |(industries, tech, acts, fields, fit, engagement, tier)| LeadFacts {
            traits: industries.into_iter().chain(tech).collect(),
            activities: acts
                .into_iter()
                .map(|(kind, age)| Activity { kind, at: DateTime::from_timestamp(end - age, 0).unwrap_or_default() })
                .collect(),
            fields,
            fit_score: fit.map(|f| Decimal::new(f, 2)),
            engagement_score: engagement.map(|e| Decimal::new(e, 2)),
            fit_tier: tier,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funnel::{Reach, RejectionTally};
    use crate::testkit::REJECTION_REASONS;

    #[test]
    fn definitions_build() {
        assert_eq!(scoring_model().unwrap().groups().len(), 7);
        assert_eq!(qualification().unwrap().rules().len(), 10);
        assert!(score_matrix().is_ok());
        assert_eq!(mql_thresholds().unwrap().fit(), Decimal::from(40));
    }

    #[test]
    fn every_rejection_key_maps_to_a_named_reason() {
        for (key, _, _) in REJECTION_REASONS {
            assert!(Reason::from_key(key).is_some(), "{key}");
        }
    }

    #[test]
    fn sample_histories_replay_under_the_waterfall() {
        let company = Company::new(3, 2_000).unwrap();
        let funnel = Funnel::demand_waterfall();
        let mql = StageId::new("mql").unwrap();
        let mut tally = RejectionTally::new();
        let mut handoffs = 0;
        let (mut rejections, mut recycled) = (0u64, 0u64);
        for lead in company.leads() {
            let h = company.funnel_history(&funnel, &lead).unwrap();
            assert_eq!(h.first_entered(&StageId::new("inquiry").unwrap()), Some(lead.created_at));
            assert_eq!(h.reached(&funnel, &mql, Reach::Strict), lead.entered(SampleStage::Mql).is_some());
            if let Some(handoff) = company.handoff(&lead, TimeDelta::try_hours(1)).unwrap() {
                funnel.validate_handoff(&handoff).unwrap();
                // The buying group is the account's contacts, with typed roles.
                let account = company.account(lead.account.as_str()[1..].parse().unwrap());
                assert_eq!(handoff.buying_group.len(), account.contacts.len());
                for (fact, sample) in handoff.buying_group.iter().zip(&account.contacts) {
                    let keys: Vec<&str> = fact.roles.iter().map(|r| r.as_str()).collect();
                    let mut expected: Vec<&str> = sample.buying_roles.iter().map(String::as_str).collect();
                    expected.sort_by_key(|k| k.parse::<crate::facts::BuyingRole>().unwrap());
                    expected.dedup();
                    assert_eq!(keys, expected);
                    assert_eq!(fact.account.as_ref(), Some(&lead.account));
                }
                let first = handoff.first_touch.as_ref().unwrap();
                assert_eq!((first.at, &first.channel), (lead.touches[0].at, &lead.touches[0].channel));
                handoffs += 1;
            }
            if let Some(r) = company.funnel_rejection(&lead).unwrap() {
                // The stage derived from the stage-change facts is the one the sample recorded.
                let sample = lead.rejection.as_ref().unwrap();
                assert_eq!(r.from_stage.as_ref().map(StageId::as_str), waterfall_stage(sample.from));
                recycled += u64::from(r.recycled);
                tally.push(&r).unwrap();
                rejections += 1;
            }
            let facts = company.lead_facts(&lead, company.as_of());
            assert!(!facts.traits.is_empty() && facts.activities.len() == lead.touches.len());
        }
        assert!(handoffs > 100);
        let report = tally.finish();
        assert!(report.total > 50);
        assert_eq!(report.total, rejections);
        assert!(recycled > 0 && recycled < rejections, "{recycled} of {rejections}");
        assert!(report.unsourced.is_empty());
        assert!(!report.by_reason.contains_key("other"));
    }
}
