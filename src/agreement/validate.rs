//! The checks across parts of an agreement: each error names the part and the key.

use super::{AgreementParts, AttributionTerms, CoverageTerms, CycleTerms, EconomicsTerms, Kpis, WinRateTerms, blank};

mod sla_terms;
use crate::funnel::StageKind;
use crate::metrics::StageConversion;
use crate::{Error, ErrorKind, StageId};

/// Checks `parts` together.
pub(super) fn check(parts: &AgreementParts) -> Result<(), Error> {
    if parts.name.trim().is_empty() {
        return Err(blank("agreement name"));
    }
    if parts.version.trim().is_empty() {
        return Err(blank("agreement version"));
    }
    for (key, terms) in &parts.sla {
        if !parts.calendars.contains_key(&terms.calendar) {
            return Err(unknown(format!("sla.{key}.calendar"), "calendar", &terms.calendar));
        }
        sla_terms::check(parts, key, terms)?;
    }
    attribution_names(&parts.attribution)?;
    rates_target(parts)?;
    if let Some(stages) = &parts.attribution.milestones {
        for (name, stage) in [("lead", &stages.lead), ("opportunity", &stages.opportunity), ("won", &stages.won)] {
            known_stage(parts, format!("attribution.milestones.{name}"), stage)?;
        }
    }
    for (key, map) in &parts.crm {
        for stage in map.stage_ids() {
            known_stage(parts, format!("crm.{key}"), stage)?;
        }
    }
    for (i, step) in parts.kpis.conversion.iter().enumerate() {
        let part = || format!("kpis.conversion[{i}]");
        known_stage(parts, format!("{}.from", part()), &step.from)?;
        known_stage(parts, format!("{}.to", part()), &step.to)?;
        // The metric's own rule: both stages in the funnel's order, A before B.
        StageConversion::builder(&parts.funnel, step.from.as_str(), step.to.as_str(), step.mode).build().map_err(
            |err| match err.kind() {
                ErrorKind::UnknownStage { stage } => unknown(part(), "stage in the funnel's order", stage.as_str()),
                _ => err,
            },
        )?;
    }
    if parts.kpis.conversion_window_days == Some(0) {
        return Err(ErrorKind::InvalidValue {
            field: "kpis.conversion_window_days",
            value: "0".to_owned(),
            reason: "must be at least one day",
        }
        .into());
    }
    if let Some(hygiene) = &parts.kpis.hygiene {
        hygiene.check()?;
        known_stage(parts, "kpis.hygiene.handoff".to_owned(), &hygiene.handoff)?;
        if let Some(key) = &hygiene.speed_to_lead
            && !parts.sla.contains_key(key)
        {
            return Err(unknown("kpis.hygiene.speed_to_lead".to_owned(), "SLA part", key));
        }
        if parts.kpis.currency.is_none() {
            return Err(unknown("kpis.hygiene".to_owned(), "currency (kpis.currency)", ""));
        }
    }
    if let Some(handoff) = &parts.kpis.mql_handoff {
        handoff.check()?;
        known_stage(parts, "kpis.mql_handoff.from".to_owned(), &handoff.from)?;
        known_stage(parts, "kpis.mql_handoff.to".to_owned(), &handoff.to)?;
        if parts.sla.get(&handoff.sla).is_none_or(|terms| terms.policies.response.is_none()) {
            return Err(unknown("kpis.mql_handoff.sla".to_owned(), "SLA part with a response policy", &handoff.sla));
        }
        if parts.scoring.is_none() {
            return Err(unknown("kpis.mql_handoff".to_owned(), "scoring model (scoring)", ""));
        }
    }
    if let Some(review) = &parts.kpis.icp {
        review.check()?;
        let Some(set) = &parts.icp else {
            return Err(unknown("kpis.icp".to_owned(), "ICP set (icp)", ""));
        };
        if let Some(segment) = &review.segment
            && set.get(segment).is_none()
        {
            return Err(unknown("kpis.icp.segment".to_owned(), "ICP segment", segment.as_str()));
        }
    }
    if let Some(forecast) = &parts.kpis.forecast {
        forecast.check()?;
        for (stage, _) in forecast.categories.stages() {
            known_stage(parts, "kpis.forecast.categories.stages".to_owned(), stage)?;
        }
    }
    if let Some(terms) = &parts.kpis.return_on_marketing {
        terms.check()?;
        for model in &terms.models {
            if !parts.attribution.models.contains_key(model) {
                let kind = "rule-based attribution model (attribution.models)";
                return Err(unknown("kpis.return_on_marketing.models".to_owned(), kind, model));
            }
        }
        for (part, stage) in terms.stages.named() {
            known_stage(parts, format!("kpis.return_on_marketing.stages.{part}"), stage)?;
        }
    }
    waterfall(parts)?;
    retention(parts)?;
    deal_kpis(&parts.kpis)
}

/// The retention terms, and their segment one of the ICP set's (left out: the set's only one).
fn retention(parts: &AgreementParts) -> Result<(), Error> {
    let Some(terms) = &parts.kpis.retention else { return Ok(()) };
    terms.check()?;
    match (&parts.icp, &terms.segment) {
        (None, Some(segment)) => Err(unknown("kpis.retention.segment".to_owned(), "ICP set (icp)", segment.as_str())),
        (Some(set), Some(segment)) if set.get(segment).is_none() => {
            Err(unknown("kpis.retention.segment".to_owned(), "ICP segment", segment.as_str()))
        }
        (Some(set), None) if set.iter().nth(1).is_some() => Err(ErrorKind::InvalidValue {
            field: "kpis.retention.segment",
            value: String::new(),
            reason: "must name the ICP segment whose tiers group the customers (the ICP set has several)",
        }
        .into()),
        _ => Ok(()),
    }
}

/// The waterfall's terms, and each experiment's stage an open stage of the funnel's order.
fn waterfall(parts: &AgreementParts) -> Result<(), Error> {
    if let Some(terms) = &parts.kpis.waterfall {
        terms.check()?;
        for experiment in &terms.experiments {
            let part = format!("kpis.waterfall.experiments.{}", experiment.name);
            let stage = &experiment.stage;
            let open = parts.funnel.stages().iter().any(|s| s.id == *stage && s.kind == StageKind::Open);
            if !open {
                return Err(unknown(part, "open stage of the funnel's order", stage.as_str()));
            }
        }
    }
    Ok(())
}

/// The deal and unit-economics KPIs: each valid on its own, and a currency for the money ones
/// (the coverage quota in it).
fn deal_kpis(kpis: &Kpis) -> Result<(), Error> {
    kpis.win_rate.as_ref().map_or(Ok(()), WinRateTerms::check)?;
    kpis.cycle.as_ref().map_or(Ok(()), CycleTerms::check)?;
    kpis.coverage.as_ref().map_or(Ok(()), CoverageTerms::check)?;
    kpis.economics.as_ref().map_or(Ok(()), EconomicsTerms::check)?;
    let money = [
        ("kpis.win_rate", kpis.win_rate.is_some()),
        ("kpis.velocity", kpis.velocity.is_some()),
        ("kpis.pipeline", kpis.pipeline.is_some()),
        ("kpis.coverage", kpis.coverage.is_some()),
        ("kpis.economics", kpis.economics.is_some()),
        ("kpis.icp", kpis.icp.is_some()),
        ("kpis.forecast", kpis.forecast.is_some()),
        ("kpis.return_on_marketing", kpis.return_on_marketing.is_some()),
        ("kpis.retention", kpis.retention.is_some()),
    ];
    match (kpis.currency, money.iter().find(|(_, defined)| *defined)) {
        (None, Some((part, _))) => Err(ErrorKind::InvalidValue {
            field: "kpis.currency",
            value: format!("none (needed by {part})"),
            reason: "a money KPI needs the currency it sums in",
        }
        .into()),
        (Some(currency), _) => {
            let quotas = [
                ("kpis.coverage.quota", kpis.coverage.as_ref().map(|c| c.quota)),
                ("kpis.forecast.quota", kpis.forecast.as_ref().and_then(|f| f.quota)),
            ];
            match quotas.into_iter().find_map(|(field, q)| q.filter(|q| q.currency() != currency).map(|q| (field, q))) {
                Some((field, quota)) => Err(ErrorKind::InvalidValue {
                    field,
                    value: quota.to_string(),
                    reason: "must be in the KPI currency (kpis.currency)",
                }
                .into()),
                None => Ok(()),
            }
        }
        (None, None) => Ok(()),
    }
}

/// `Ok` if the funnel defines `stage`.
pub(super) fn known_stage(parts: &AgreementParts, part: String, stage: &StageId) -> Result<(), Error> {
    if parts.funnel.stage(stage).is_some() { Ok(()) } else { Err(unknown(part, "stage", stage.as_str())) }
}

/// [`ErrorKind::UnknownReference`].
pub(super) fn unknown(part: String, kind: &'static str, key: &str) -> Error {
    ErrorKind::UnknownReference { part, kind, key: key.to_owned() }.into()
}

/// Model names are unique across the rule-based, Markov and Shapley models; the data-driven
/// models need the currency they count value in.
fn attribution_names(terms: &AttributionTerms) -> Result<(), Error> {
    let rule = terms.models.keys().map(|k| ("models", k));
    let data = terms.markov.keys().map(|k| ("markov", k)).chain(terms.shapley.keys().map(|k| ("shapley", k)));
    let mut seen = std::collections::BTreeMap::new();
    for (map, name) in rule.chain(data) {
        if let Some(first) = seen.insert(name, map) {
            return Err(ErrorKind::InvalidValue {
                field: "attribution model name",
                value: format!("{name} (in attribution.{first} and attribution.{map})"),
                reason: "names two models; a name must be unique across models, markov and shapley",
            }
            .into());
        }
    }
    if terms.currency.is_none() && !(terms.markov.is_empty() && terms.shapley.is_empty()) {
        return Err(ErrorKind::InvalidValue {
            field: "attribution.currency",
            value: String::new(),
            reason: "is required by the Markov and Shapley models (the currency they count value in)",
        }
        .into());
    }
    Ok(())
}

/// The rates convert every money value into the KPI currency, which must then be set, and
/// every part that names a currency of its own must name that one (else the converted facts
/// would all be in another currency than the part reads).
fn rates_target(parts: &AgreementParts) -> Result<(), Error> {
    if parts.rates.is_none() {
        return Ok(());
    }
    let Some(target) = parts.kpis.currency else {
        return Err(ErrorKind::InvalidValue {
            field: "rates",
            value: "a rate table".to_owned(),
            reason: "converts money into kpis.currency: set kpis.currency",
        }
        .into());
    };
    let other = |field, currency: crate::Currency| -> Result<(), Error> {
        if currency == target {
            return Ok(());
        }
        Err(ErrorKind::InvalidValue {
            field,
            value: currency.to_string(),
            reason: "with rates, every money is converted into kpis.currency: name that currency here",
        }
        .into())
    };
    if let Some(currency) = parts.attribution.currency {
        other("attribution.currency", currency)?;
    }
    for (_, icp) in parts.icp.iter().flat_map(crate::icp::IcpSet::iter) {
        for criterion in icp.criteria() {
            if let crate::icp::Condition::AnnualRevenue { min, max } = &criterion.condition {
                for bound in min.iter().chain(max) {
                    other("icp criterion annual_revenue", bound.currency())?;
                }
            }
        }
    }
    Ok(())
}
