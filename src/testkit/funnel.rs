//! The sample company seen through the [`funnel`](crate::funnel) module: its leads as facts
//! ([`Lead`], waterfall [`StageChange`]s, rejection [`Disposition`]s), the stage histories and
//! rejections derived from them, lead facts and scores, MQL-to-SAL handoffs, plus the scoring
//! model, MQL rule, score matrix and ten-signal qualification the sample company's teams
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

use super::company::{
    CHANNELS, COUNTRIES, Company, INDUSTRIES, SampleContact, SampleLead, SampleStage, SampleTouch, TECHNOLOGIES,
};
use crate::facts::{BuyingRole, Contact, Disposition, DispositionOutcome, Lead, Reason, StageChange, Touchpoint};
use crate::funnel::{
    Activity, Band, Decay, Funnel, Handoff, LeadCondition, LeadFacts, LeadScore, Points, Qualification,
    QualificationRule, Rejection, ScoreGroup, ScoreKind, ScoreMatrix, ScoringModel, StageHistory,
};
use crate::{AccountId, Error, StageId};

mod inputs;

pub use self::inputs::{disposition, lead_facts, rejection, rejection_reason, stage_changes};

/// The waterfall stage key of a sample stage (`None` for `opportunity`, see the module docs).
///
/// # Example
///
/// ```
/// use revops::funnel::Funnel;
/// use revops::testkit::SampleStage;
/// use revops::testkit::funnel::waterfall_stage;
///
/// assert_eq!(waterfall_stage(SampleStage::Lead), Some("inquiry"));
/// assert_eq!(waterfall_stage(SampleStage::Recycled), Some("nurture"));
/// assert_eq!(waterfall_stage(SampleStage::Opportunity), None); // the lead stays in `sql`
/// // Every other stage is a stage of the waterfall template.
/// let funnel = Funnel::demand_waterfall();
/// for stage in SampleStage::ALL.into_iter().filter_map(waterfall_stage) {
///     assert!(funnel.stage(&revops::StageId::new(stage)?).is_some());
/// }
/// # Ok::<(), revops::Error>(())
/// ```
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
///
/// # Example
///
/// ```
/// use std::borrow::Cow;
/// use chrono::{TimeZone, Utc};
/// use revops::funnel::{Activity, LeadFacts};
/// use revops::testkit::funnel::scoring_model;
/// use rust_decimal_macros::dec;
///
/// let now = Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).single().unwrap_or_default();
/// let mut facts = LeadFacts::default();
/// facts.traits = ["software", "employees_200_999", "north_america", "salesforce"].map(Cow::Borrowed).to_vec();
/// facts.activities = vec![Activity { kind: Cow::Borrowed("webinar"), at: now }];
/// let score = scoring_model()?.score(&facts, now);
/// assert_eq!(score.fit, dec!(75)); // industry 30 + size 20 + region 10 + technology 15
/// assert_eq!(score.engagement, dec!(15)); // a webinar today, not yet decayed
/// # Ok::<(), revops::Error>(())
/// ```
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

/// The MQL rule: fit score at least 40 points and engagement score at least 10 points
/// ([`Qualification::score_thresholds`], leaf keys `fit` and `engagement`).
///
/// # Errors
/// None in practice (the rule is valid); the signature keeps [`Qualification::new`]'s.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::funnel::{LeadFacts, LeadScore};
/// use revops::testkit::funnel::mql_rule;
/// use rust_decimal_macros::dec;
///
/// let now = Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).single().unwrap_or_default();
/// let rule = mql_rule()?;
/// assert_eq!(rule.describe(), "fit score at least 40 points and engagement score at least 10 points");
/// let met = |fit, engagement| {
///     let mut facts = LeadFacts::default();
///     facts.set_score(LeadScore::new(fit, engagement));
///     rule.evaluate(&facts, now).qualified()
/// };
/// assert!(met(dec!(40), dec!(10)));
/// assert!(!met(dec!(39.99), dec!(90)));
/// # Ok::<(), revops::Error>(())
/// ```
pub fn mql_rule() -> Result<Qualification, Error> {
    Qualification::score_thresholds("mql", Points::from(40), Points::from(10))
}

/// Score matrix: fit A ≥ 60, B ≥ 40, C ≥ 0; engagement 1 ≥ 40, 2 ≥ 15, 3 ≥ 0.
///
/// # Errors
/// None in practice (the bands are valid); the signature keeps [`ScoreMatrix::new`]'s.
///
/// # Example
///
/// ```
/// use revops::funnel::LeadScore;
/// use revops::testkit::funnel::score_matrix;
/// use rust_decimal_macros::dec;
///
/// let matrix = score_matrix()?;
/// let tier = |fit, engagement| matrix.tier(LeadScore::new(fit, engagement)).map(|t| t.to_string());
/// assert_eq!(tier(dec!(75), dec!(15)), Some("A2".to_owned()));
/// assert_eq!(tier(dec!(40), dec!(0)), Some("B3".to_owned()));
/// # Ok::<(), revops::Error>(())
/// ```
pub fn score_matrix() -> Result<ScoreMatrix, Error> {
    let band = |l: &str, m: i32| Band::new(l, Points::from(m));
    ScoreMatrix::new(vec![band("A", 60), band("B", 40), band("C", 0)], vec![band("1", 40), band("2", 15), band("3", 0)])
}

/// Ten sales-ready signals, combined with any: strong fit, strong engagement, tier A, a
/// reachable phone, a target industry, a webinar or event in the last 90 days, a referral or
/// partner touch, SDR outreach in the last 30 days.
///
/// # Errors
/// None in practice (the rules are valid); the signature keeps [`Qualification::new`]'s.
///
/// # Example
///
/// ```
/// use std::borrow::Cow;
/// use chrono::{TimeZone, Utc};
/// use revops::funnel::LeadFacts;
/// use revops::testkit::funnel::qualification;
///
/// let now = Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).single().unwrap_or_default();
/// let rules = qualification()?;
/// assert_eq!(rules.leaf_count(), 10);
/// assert!(!rules.evaluate(&LeadFacts::default(), now).qualified()); // no signal at all
/// let mut facts = LeadFacts::default();
/// facts.traits = vec![Cow::Borrowed("software")]; // a target industry
/// let result = rules.evaluate(&facts, now);
/// assert!(result.qualified());
/// assert_eq!(result.passed(&rules).collect::<Vec<_>>(), ["software"]);
/// # Ok::<(), revops::Error>(())
/// ```
pub fn qualification() -> Result<Qualification, Error> {
    let rule = QualificationRule::leaf;
    let activity = |kind: &str, within_days| LeadCondition::Activity { kind: kind.to_owned(), within_days };
    Qualification::new(
        "sales-ready signals",
        QualificationRule::any([
            rule("fit_at_least_60", LeadCondition::FitScoreAtLeast(Points::from(60))),
            rule("engagement_at_least_40", LeadCondition::EngagementScoreAtLeast(Points::from(40))),
            rule("tier_a", LeadCondition::FitTierIn(vec!["A".to_owned()])),
            rule("reachable", LeadCondition::FieldsPresent(vec!["email".to_owned(), "phone".to_owned()])),
            rule("software", LeadCondition::HasTrait("software".to_owned())),
            rule("fintech", LeadCondition::HasTrait("fintech".to_owned())),
            rule("webinar_90d", activity("webinar", Some(90))),
            rule("event_90d", activity("events", Some(90))),
            rule("referral", activity("referral", None)),
            rule("sdr_outbound_30d", activity("sdr_outbound", Some(30))),
        ]),
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
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    /// use revops::testkit::funnel::waterfall_stage;
    ///
    /// let company = Company::new(42, 100)?;
    /// let lead = company.lead(5);
    /// let stages: Vec<String> = company.funnel_stage_changes(&lead)?.iter().map(|c| c.stage.to_string()).collect();
    /// let expected: Vec<String> = lead.stages.iter().filter_map(|c| waterfall_stage(c.stage)).map(str::to_owned).collect();
    /// assert_eq!(stages, expected);
    /// assert_eq!(stages.first().map(String::as_str), Some("inquiry"));
    /// # Ok::<(), revops::Error>(())
    /// ```
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
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::DispositionOutcome;
    /// use revops::testkit::Company;
    ///
    /// let company = Company::new(42, 500)?;
    /// for lead in company.leads() {
    ///     let disposition = company.funnel_disposition(&lead);
    ///     assert_eq!(disposition.as_ref().map(|d| d.at), lead.rejection.as_ref().map(|r| r.at));
    ///     assert!(disposition.is_none_or(|d| !matches!(d.outcome, DispositionOutcome::Accepted)));
    /// }
    /// # Ok::<(), revops::Error>(())
    /// ```
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
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::Funnel;
    /// use revops::testkit::Company;
    ///
    /// let company = Company::new(42, 100)?;
    /// let funnel = Funnel::demand_waterfall();
    /// for lead in company.leads() {
    ///     let history = company.funnel_history(&funnel, &lead)?;
    ///     let last = company.funnel_stage_changes(&lead)?.last().map(|c| c.stage.clone());
    ///     assert_eq!(history.current(), last.as_ref());
    /// }
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn funnel_history(&self, funnel: &Funnel, lead: &SampleLead) -> Result<StageHistory, Error> {
        StageHistory::from_facts(funnel, &lead.id, &self.funnel_stage_changes(lead)?)
    }

    /// What is known about the lead as of `as_of`: fit traits from its account (industry,
    /// size band such as `employees_200_999`, region, technologies), its touches up to
    /// `as_of` as activities keyed by channel, and the fields present (`email`, `company` and
    /// `title` always, `phone` for six leads in ten). Scores and tier are left empty: fill
    /// them with [`LeadFacts::set_score`]. Keys are static, so no allocation per key.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    ///
    /// let company = Company::new(42, 100)?;
    /// let lead = company.lead(5);
    /// let facts = company.lead_facts(&lead, company.as_of());
    /// assert_eq!(facts.activities.len(), lead.touches.len()); // every touch is before as_of
    /// assert!(facts.fields.iter().any(|f| f == "email") && facts.fit_score.is_none());
    /// let before = company.lead_facts(&lead, lead.created_at);
    /// assert!(before.activities.len() <= facts.activities.len());
    /// # Ok::<(), revops::Error>(())
    /// ```
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
        LeadFacts {
            traits,
            activities,
            fields,
            fit_score: None,
            engagement_score: None,
            total_score: None,
            fit_tier: None,
        }
    }

    /// The lead's score as of `as_of` under [`scoring_model`].
    ///
    /// # Errors
    /// Those of [`scoring_model`] (none in practice).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    /// use revops::testkit::funnel::scoring_model;
    ///
    /// let company = Company::new(42, 100)?;
    /// let lead = company.lead(5);
    /// let at = company.as_of();
    /// let score = company.lead_score(&lead, at)?;
    /// assert_eq!(score, scoring_model()?.score(&company.lead_facts(&lead, at), at));
    /// assert!(score.fit <= 100.into() && score.engagement <= 100.into()); // capped
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn lead_score(&self, lead: &SampleLead, as_of: DateTime<Utc>) -> Result<LeadScore, Error> {
        Ok(scoring_model()?.score(&self.lead_facts(lead, as_of), as_of))
    }

    /// The MQL-to-SAL handoff of a lead that became an MQL (`None` otherwise), with its context
    /// as of the MQL instant: ids, SDR queue, MQL time and reason, scores, source, first and
    /// last touch, the last three campaigns, the account's buying group, a next action, and an
    /// SLA deadline `response_within` after the MQL (the caller's SLA policy decides it).
    ///
    /// # Errors
    /// Those of [`scoring_model`] and [`mql_rule`] (none in practice).
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::TimeDelta;
    /// use revops::testkit::{Company, SampleStage};
    ///
    /// let company = Company::new(42, 200)?;
    /// let hour = TimeDelta::try_hours(1).unwrap_or_default();
    /// for lead in company.leads() {
    ///     let handoff = company.handoff(&lead, Some(hour))?;
    ///     let mql = lead.entered(SampleStage::Mql);
    ///     assert_eq!(handoff.as_ref().and_then(|h| h.mql_at), mql);
    ///     assert_eq!(handoff.and_then(|h| h.sla_deadline), mql.map(|at| at + hour));
    /// }
    /// # Ok::<(), revops::Error>(())
    /// ```
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
        let mut scored = LeadFacts::default();
        scored.set_score(score);
        handoff.mql_reason = Some(if mql_rule()?.evaluate(&scored, mql_at).qualified() {
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
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    ///
    /// let company = Company::new(42, 500)?;
    /// let mut rejected = 0;
    /// for lead in company.leads() {
    ///     if let Some(rejection) = company.funnel_rejection(&lead)? {
    ///         assert_eq!((&rejection.lead, rejection.source.as_ref()), (&lead.id, Some(&lead.source)));
    ///         assert!(rejection.from_stage.is_some_and(|s| s.as_str() == "mql" || s.as_str() == "sal"));
    ///         rejected += 1;
    ///     }
    /// }
    /// assert_eq!(rejected, company.leads().filter(|l| l.rejection.is_some()).count());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn funnel_rejection(&self, lead: &SampleLead) -> Result<Option<Rejection>, Error> {
        let Some(disposition) = self.funnel_disposition(lead) else { return Ok(None) };
        Rejection::from_facts(&lead_fact(lead), &disposition, &self.funnel_stage_changes(lead)?)
    }

    /// The lead fact of a sample lead: id, creation, source, account and contact.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    ///
    /// let company = Company::new(42, 100)?;
    /// let sample = company.lead(5);
    /// let lead = company.funnel_lead(&sample);
    /// assert_eq!((&lead.id, lead.created_at, lead.source.as_ref()), (&sample.id, sample.created_at, Some(&sample.source)));
    /// assert_eq!((lead.account.as_ref(), lead.contact.as_ref()), (Some(&sample.account), Some(&sample.contact)));
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn funnel_lead(&self, lead: &SampleLead) -> Lead {
        lead_fact(lead)
    }
}

#[cfg(test)]
mod tests;
