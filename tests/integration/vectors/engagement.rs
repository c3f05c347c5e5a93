//! Family runners `icp.engagement` (account engagement and the MQA rule) and `icp.intent`
//! (intent scores as of an instant, and account qualification with an intent condition).
//!
//! **`icp.engagement`**: a definition is `{"model": <AccountEngagementModel>, "mqa":
//! <MqaRule>, "intent": {"topic", "within_days"}}` (`mqa` and `intent` optional; `intent`
//! says how the MQA rule reads each account's intent: [`IntentSignal::score_as_of`] on that
//! topic, or the highest over topics without one, no older than `within_days` if given). Facts
//! are the family's own inputs: `{"activities": [<EngagementActivity>], "intent_signals":
//! [<IntentSignal>], "fit_tiers": [{"account", "tier"}]}` (the last two optional). The tally
//! runs as of the case's `as_of`; the activities are also pushed in reverse order and in two
//! merged halves, which must agree. The result, flattened ([`flat`]): `accounts` (the ids in
//! the report, in order), `accounts.<id>.engagement`, `accounts.<id>.groups.<key>.{points,
//! capped}`, `accounts.<id>.contacts.<contact>` (each engaged contact's points) and, with a
//! rule, `mqa.<id>.{qualified, fit_held, engagement_held, breadth_held, intent_held, tier,
//! intent, contacts}` for every account of the report.
//!
//! **`icp.intent`**: a definition is `{"icps": <IcpSet>, "qualification":
//! <AccountQualification>, "intent": {"topic", "within_days"}}` (`intent` optional); facts
//! `{"accounts": [<Account>], "buying_stages": [<BuyingStageChange>], "intent_signals":
//! [<IntentSignal>]}`. Each account is scored against the set, its stage read with
//! [`BuyingStage::as_of`] and its intent with [`IntentSignal::score_as_of`] at the case's
//! `as_of`, then evaluated with [`AccountQualification::evaluate_with_intent`]. The result:
//! `accounts.<id>.{fit, fit_held, stage, stage_held, intent, intent_held, qualified}` (`fit`
//! `[segment, tier]` or `null`).
//!
//! [`flat`]: super::flat

use revops::facts::{Account, BuyingStage, BuyingStageChange, IntentSignal};
use revops::icp::{
    AccountEngagementModel, AccountEngagementReport, AccountEngagementTally, AccountQualification, EngagementActivity,
    IcpSet, MqaRule,
};
use revops::{Error, Tally};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::flat::flatten;
use super::retention::TierOf;
use super::{Case, Path};

/// How an account's intent is read.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct IntentLookup {
    #[serde(default)]
    topic: Option<String>,
    #[serde(default)]
    within_days: Option<u32>,
}

impl IntentLookup {
    fn score(&self, signals: &[IntentSignal], account: &revops::AccountId, case: &Case) -> Option<u8> {
        IntentSignal::score_as_of(signals, account, self.topic.as_deref(), case.as_of(), self.within_days)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EngagementDefinition {
    model: AccountEngagementModel,
    #[serde(default)]
    mqa: Option<MqaRule>,
    #[serde(default)]
    intent: IntentLookup,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EngagementFacts {
    activities: Vec<EngagementActivity>,
    #[serde(default)]
    intent_signals: Vec<IntentSignal>,
    #[serde(default)]
    fit_tiers: Vec<TierOf>,
}

fn report<'a>(
    model: &AccountEngagementModel,
    case: &Case,
    facts: impl IntoIterator<Item = &'a EngagementActivity>,
) -> Result<AccountEngagementReport, Error> {
    AccountEngagementTally::new(model.clone(), case.as_of()).tally(facts)
}

/// `icp.engagement`: one tally as of `as_of`, and the MQA rule on each account.
pub(super) fn engagement(case: &Case, _: Path) -> Result<Value, Error> {
    let def: EngagementDefinition = case.definition()?;
    let facts: EngagementFacts = case.facts()?;
    let r = report(&def.model, case, &facts.activities)?;
    assert_eq!(report(&def.model, case, facts.activities.iter().rev())?, r, "{}: order changed the result", case.name);
    let (a, b) = facts.activities.split_at(facts.activities.len() / 2);
    let mut first = AccountEngagementTally::new(def.model.clone(), case.as_of());
    let mut second = first.clone();
    for x in a {
        first.push(x)?;
    }
    for x in b {
        second.push(x)?;
    }
    second.merge(first)?;
    assert_eq!(second.finish()?, r, "{}: split and merged differs from one pass", case.name);
    let mut accounts = Map::new();
    let mut mqa = Map::new();
    for acc in &r.accounts {
        let groups: Map<String, Value> = acc
            .groups
            .iter()
            .map(|g| (g.key.clone(), json!({"points": g.points.to_string(), "capped": g.capped.to_string()})))
            .collect();
        let contacts: Map<String, Value> =
            acc.contacts.iter().map(|(c, p)| (c.to_string(), Value::String(p.to_string()))).collect();
        accounts.insert(
            acc.account.to_string(),
            json!({"engagement": acc.engagement.to_string(), "groups": groups, "contacts": contacts}),
        );
        if let Some(rule) = &def.mqa {
            let tier = facts.fit_tiers.iter().find(|t| t.account == acc.account).map(|t| t.tier.as_str());
            let intent = def.intent.score(&facts.intent_signals, &acc.account, case);
            let m = rule.evaluate(acc, tier, intent, case.as_of());
            mqa.insert(
                acc.account.to_string(),
                json!({
                    "qualified": m.qualified, "fit_held": m.fit_held, "engagement_held": m.engagement_held,
                    "breadth_held": m.breadth_held, "intent_held": m.intent_held, "tier": m.tier,
                    "intent": intent, "contacts": m.contacts,
                }),
            );
        }
    }
    let ids: Vec<String> = r.accounts.iter().map(|a| a.account.to_string()).collect();
    let mut out = flatten(&json!({"accounts": accounts, "mqa": mqa}));
    out["accounts"] = json!(ids);
    Ok(out)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IntentDefinition {
    icps: IcpSet,
    qualification: AccountQualification,
    #[serde(default)]
    intent: IntentLookup,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IntentFacts {
    accounts: Vec<Account>,
    #[serde(default)]
    buying_stages: Vec<BuyingStageChange>,
    #[serde(default)]
    intent_signals: Vec<IntentSignal>,
}

/// `icp.intent`: each account's qualification with its stage and intent as of `as_of`.
pub(super) fn intent(case: &Case, _: Path) -> Result<Value, Error> {
    let def: IntentDefinition = case.definition()?;
    let facts: IntentFacts = case.facts()?;
    let mut accounts = Map::new();
    for account in &facts.accounts {
        let fits = def.icps.score(account)?;
        let stage = BuyingStage::as_of(&facts.buying_stages, &account.id, case.as_of());
        let intent = def.intent.score(&facts.intent_signals, &account.id, case);
        let q = def.qualification.evaluate_with_intent(&def.icps, &fits, stage, intent)?;
        accounts.insert(
            account.id.to_string(),
            json!({
                "fit": q.fit.as_ref().map(|(s, t)| json!([s.as_str(), t])), "fit_held": q.fit_held,
                "stage": q.stage.map(BuyingStage::as_str), "stage_held": q.stage_held,
                "intent": q.intent, "intent_held": q.intent_held, "qualified": q.qualified(),
            }),
        );
    }
    Ok(flatten(&json!({ "accounts": accounts })))
}
