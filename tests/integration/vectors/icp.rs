//! Family runner of area `icp`: fit scores with their reasons and tiers.
//!
//! The ICP is built through the public builder (typed errors) and checked equal to the same
//! definition read through its wire format. Accounts are scored row by row and as a columnar
//! batch, which must agree.

use revops::Error;
use revops::facts::FactSet;
use revops::icp::{AccountBatch, CriteriaSet, Criterion, FitScore, Icp, Tier, Tiers, UnknownPolicy};
use serde_json::{Value, json};

use super::business_time::{field, plain, text};
use super::{Case, Path};

fn icp(def: &Value) -> Result<Icp, Error> {
    let mut builder = Icp::builder(text(def, "name"));
    for c in field(def, "criteria").as_array().into_iter().flatten() {
        builder = builder.criterion(plain::<Criterion>(c));
    }
    if let Some(tiers) = def.get("tiers") {
        let tiers: Vec<Tier> = plain(tiers);
        builder = builder.tiers(Tiers::new(tiers.into_iter().map(|t| (t.name, t.min_score)))?);
    }
    if let Some(unknown) = def.get("unknown") {
        builder = builder.unknown(plain::<UnknownPolicy>(unknown));
    }
    let built = builder.build()?;
    let wire: Icp = serde_json::from_value(def.clone())
        .unwrap_or_else(|e| panic!("the builder accepts an ICP its wire format refuses ({e}): {def}"));
    assert_eq!(wire, built, "the wire format and the builder read different ICPs: {def}");
    Ok(built)
}

fn names(icp: &Icp, set: CriteriaSet) -> Vec<&str> {
    set.iter().map(|i| icp.criteria()[i].name.as_str()).collect()
}

fn fit(icp: &Icp, account: &str, s: &FitScore) -> Value {
    json!({
        "account": account,
        "points": s.points,
        "max_points": s.max_points,
        "score": format!("{:.2}", s.score),
        "tier": icp.tiers().name(s.tier),
        "qualified": s.is_qualified(),
        "disqualified_by": s.disqualified_by.map(|i| icp.criteria()[i].name.as_str()),
        "matched": names(icp, s.matched),
        "missed": names(icp, s.missed),
        "unknown": names(icp, s.unknown),
        "must_haves_missed": names(icp, s.must_haves_missed),
    })
}

/// `icp.fit`: every account of `facts.accounts` scored, in input order.
/// On the row path each account is scored alone; on the columnar path all of them as one
/// [`AccountBatch`].
pub(super) fn fit_scores(case: &Case, path: Path) -> Result<Value, Error> {
    let icp = icp(&case.definition)?;
    let facts: FactSet = plain(&case.facts);
    let rows = match path {
        Path::Row => facts.accounts.iter().map(|a| icp.score(a)).collect::<Result<Vec<_>, _>>()?,
        _ => icp.score_batch(&facts.accounts.iter().collect::<AccountBatch>())?,
    };
    let out: Vec<Value> = facts.accounts.iter().zip(&rows).map(|(a, s)| fit(&icp, a.id.as_str(), s)).collect();
    Ok(json!({ "accounts": out }))
}
