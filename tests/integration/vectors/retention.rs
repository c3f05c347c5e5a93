//! Family runner `metrics.retention`: [`RetentionTally`] over [`RecurringRevenue`] facts, and
//! [`Ltv::from_revenue_churn`] on its total row.
//!
//! A definition is `{"terms": <RetentionTerms>, "currency": "USD", "ltv": {"arpa": <Money>,
//! "gross_margin": "0.8", "basis": "gross" | "net"}}` (`ltv` optional). Facts are the family's
//! own inputs (no `FactSet` field holds them): `{"recurring_revenue": [<RecurringRevenue>],
//! "tiers": [{"account", "tier"}]}` (`tiers` optional; an account not in it has no tier).
//!
//! The result is the [`Retention`] wire format without its `terms`, flattened ([`flat`]):
//! `total.*`, `by_cohort.<first local date>.*`, `by_tier.<tier>.*` (`(none)` for no tier),
//! `curves.<cohort date>.customers` and `curves.<cohort date>.cells.<k>.*` (`cells.#` the
//! number of cells, the last `null`), `cohorts` (every curve's cohort date, in order),
//! `facts_after_as_of`, and `ltv.*` (the [`Ltv`] wire
//! format; `ltv` `null` without start MRR). The facts are also tallied in reverse order and
//! split in two halves merged: each must give the same result.
//!
//! [`flat`]: super::flat

use revops::facts::RecurringRevenue;
use revops::metrics::{Ltv, Retention, RetentionTally, RetentionTerms, RevenueChurn};
use revops::{AccountId, Currency, Error, Money, Tally};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::flat::{flatten, pairs_to_object};
use super::{Case, Path};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Definition {
    terms: RetentionTerms,
    currency: Currency,
    #[serde(default)]
    ltv: Option<LtvTerms>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LtvTerms {
    arpa: Money,
    #[serde(with = "rust_decimal::serde::str")]
    gross_margin: Decimal,
    basis: RevenueChurn,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Facts {
    recurring_revenue: Vec<RecurringRevenue>,
    #[serde(default)]
    tiers: Vec<TierOf>,
}

/// An account's tier (the caller's ICP grade).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TierOf {
    pub(super) account: AccountId,
    pub(super) tier: String,
}

fn tally(def: &Definition, facts: &Facts, order: impl IntoIterator<Item = usize>) -> Result<Retention, Error> {
    let tiers = facts.tiers.iter().map(|t| (t.account.clone(), t.tier.clone())).collect();
    let mut tally = RetentionTally::new(def.terms, def.currency, tiers);
    for i in order {
        tally.push(&facts.recurring_revenue[i])?;
    }
    tally.finish()
}

fn split_merged(def: &Definition, facts: &Facts) -> Result<Retention, Error> {
    let tiers: std::collections::BTreeMap<_, _> =
        facts.tiers.iter().map(|t| (t.account.clone(), t.tier.clone())).collect();
    let half = facts.recurring_revenue.len() / 2;
    let (a, b) = facts.recurring_revenue.split_at(half);
    let mut first = RetentionTally::new(def.terms, def.currency, tiers.clone());
    let mut second = RetentionTally::new(def.terms, def.currency, tiers);
    for f in a {
        first.push(f)?;
    }
    for f in b {
        second.push(f)?;
    }
    second.merge(first)?;
    second.finish()
}

/// Runs one case (row path only).
pub(super) fn run(case: &Case, _: Path) -> Result<Value, Error> {
    let def: Definition = case.definition()?;
    let facts: Facts = case.facts()?;
    let n = facts.recurring_revenue.len();
    let retention = tally(&def, &facts, 0..n)?;
    assert_eq!(tally(&def, &facts, (0..n).rev())?, retention, "{}: the facts' order changed the result", case.name);
    assert_eq!(split_merged(&def, &facts)?, retention, "{}: split and merged differs from one pass", case.name);
    let mut out = serde_json::to_value(&retention).unwrap();
    let o = out.as_object_mut().unwrap();
    o.remove("terms");
    let by_tier = pairs_to_object(&o["by_tier"]);
    o.insert("by_tier".into(), by_tier);
    let curves: Map<String, Value> = o["curves"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            let cohort = c["cohort"].as_str().unwrap_or_default().to_owned();
            let mut c = c.clone();
            c.as_object_mut().unwrap().remove("cohort");
            (cohort, c)
        })
        .collect();
    o.insert("cohorts".into(), curves.keys().cloned().collect::<Vec<_>>().into());
    o.insert("curves".into(), Value::Object(curves));
    if let Some(l) = &def.ltv {
        let ltv = Ltv::from_revenue_churn(l.arpa, l.gross_margin, &retention.total, l.basis)?;
        o.insert("ltv".into(), serde_json::to_value(ltv).unwrap());
    }
    Ok(flatten(&out))
}
