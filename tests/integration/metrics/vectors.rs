//! Conformance vectors: `tests/vectors/*.json`, input facts and expected results for every
//! metric and its edge cases. One test runs them all.
//!
//! Format of a file: `{"family": "...", "cases": [case, ...]}`; a case is
//! `{"name", "metric", "params", "facts", "expected"}` or, for bad input, `"error"` (the exact
//! error message) instead of `"expected"`. Results are compared as JSON, with decimal strings
//! compared by numeric value (`"1.50"` equals `"1.5"`), so an implementation in SQL, dbt or a BI
//! tool can check its numbers against these files without matching the crate's scales.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta, Utc};
use revops::Period;
use revops::Tally;
use revops::calendar::Zone;
use revops::facts::{Deal, FactSet, Origin, Spend, StageChange};
use revops::metrics::{
    AccountPeriod, Bucket, CacWindow, CashTiming, ConversionTally, CoverageTally, CycleOutcome, LeadFact, Ltv,
    OpportunityTouches, ResponseTime, SalesCycleTally, StageConversion, Velocity, WinRateTally, arpa_churn, cac,
    cac_payback_months, cac_ratio, created_to_won, lead_flow, loss_reasons, ltv_to_cac, new_customers,
    pipeline_velocity, sourcing, speed_to_lead, weighted_pipeline,
};
use revops::{Currency, Error, Money, Ratio};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    family: String,
    #[allow(dead_code)]
    description: Option<String>,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    metric: String,
    #[serde(default)]
    params: Value,
    #[serde(default)]
    facts: Value,
    /// `null` is an expected value (an undefined metric); absence means an error is expected.
    #[serde(default, deserialize_with = "present")]
    expected: Option<Value>,
    error: Option<String>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

fn get<T: DeserializeOwned>(v: &Value, what: &str) -> T {
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("bad {what}: {e}\n{v}"))
}

fn offset(seconds: i32) -> Zone {
    Zone::fixed(FixedOffset::east_opt(seconds).expect("offset in range")).expect("whole minutes")
}

fn seconds(s: i64) -> TimeDelta {
    TimeDelta::try_seconds(s).expect("seconds in range")
}

fn json<T: serde::Serialize>(r: Result<T, Error>) -> Result<Value, Error> {
    r.map(|v| serde_json::to_value(v).expect("results serialize"))
}

/// Runs one case, returning the result as JSON or the error.
#[allow(clippy::too_many_lines, clippy::many_single_char_names, clippy::items_after_statements)] // one arm per metric
fn run(case: &Case) -> Result<Value, Error> {
    let p = &case.params;
    let f = &case.facts;
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct WinRateParams {
        period: Period,
        currency: Currency,
        #[serde(default)]
        origin: Option<Origin>,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct CycleParams {
        period: Period,
        offset_seconds: i32,
        outcome: CycleOutcome,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct VelocityParams {
        period: Period,
        as_of: DateTime<Utc>,
        currency: Currency,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct PartsParams {
        open_qualified: u64,
        win_rate: Ratio,
        average_deal_size: Money,
        #[serde(with = "rust_decimal::serde::str")]
        cycle_days: Decimal,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct WeightedParams {
        currency: Currency,
        #[serde(default)]
        qualified_only: bool,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct CoverageParams {
        period: Period,
        offset_seconds: i32,
        quota: Money,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct ConversionParams {
        definition: StageConversion,
        period: Period,
        #[serde(default)]
        bucket: Option<Bucket>,
        #[serde(default)]
        offset_seconds: i32,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct CacParams {
        window: CacWindow,
        currency: Currency,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct CacFacts {
        spend: Vec<Spend>,
        #[serde(default)]
        deals: Vec<Deal>,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct LtvParams {
        arpa: Money,
        #[serde(with = "rust_decimal::serde::str")]
        gross_margin: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        churn: Decimal,
        #[serde(default, with = "rust_decimal::serde::str_option")]
        discount_rate: Option<Decimal>,
        #[serde(default)]
        timing: Option<CashTiming>,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct TwoMoney {
        a: Money,
        b: Money,
        #[serde(default, with = "rust_decimal::serde::str_option")]
        gross_margin: Option<Decimal>,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct LeadFlowParams {
        handoff: revops::StageId,
        period: Period,
        as_of: DateTime<Utc>,
        within_seconds: i64,
        horizon_seconds: i64,
        currency: Currency,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct SourcingParams {
        period: Period,
        lookback_seconds: i64,
        currency: Currency,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct SpeedParams {
        target_seconds: i64,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct CurrencyParams {
        currency: Currency,
    }

    match case.metric.as_str() {
        "win_rate" => {
            let q: WinRateParams = get(p, "params");
            let deals: Vec<Deal> = get(f, "facts");
            json(WinRateTally::new(q.period, q.currency).origin(q.origin).tally(&deals))
        }
        "created_to_won" => {
            #[derive(Deserialize)]
            struct P {
                period: Period,
            }
            let q: P = get(p, "params");
            json(created_to_won(&get::<Vec<Deal>>(f, "facts"), q.period))
        }
        "sales_cycle" => {
            let q: CycleParams = get(p, "params");
            let deals: Vec<Deal> = get(f, "facts");
            json(SalesCycleTally::new(q.period, offset(q.offset_seconds)).outcome(q.outcome).tally(&deals))
        }
        "pipeline_velocity" => {
            let q: VelocityParams = get(p, "params");
            json(pipeline_velocity(&get::<Vec<Deal>>(f, "facts"), q.period, q.as_of, q.currency))
        }
        "velocity_from_parts" => {
            let q: PartsParams = get(p, "params");
            json(Velocity::per_day_from(q.open_qualified, q.win_rate, q.average_deal_size, q.cycle_days))
        }
        "weighted_pipeline" => {
            let q: WeightedParams = get(p, "params");
            let deals: Vec<Deal> = get(f, "facts");
            if q.qualified_only {
                json(revops::metrics::WeightedPipelineTally::new(q.currency).qualified_only(true).tally(&deals))
            } else {
                json(weighted_pipeline(&deals, q.currency))
            }
        }
        "coverage" => {
            let q: CoverageParams = get(p, "params");
            let deals: Vec<Deal> = get(f, "facts");
            json(CoverageTally::new(q.period, offset(q.offset_seconds), q.quota).and_then(|t| t.tally(&deals)))
        }
        "stage_conversion" => {
            let q: ConversionParams = get(p, "params");
            let entries: Vec<StageChange> = get(f, "facts");
            let mut tally = ConversionTally::new(q.definition, q.period);
            for e in &entries {
                tally.push(e)?;
            }
            match q.bucket {
                None => json(tally.finish()),
                Some(bucket) => json(tally.finish_by(bucket, offset(q.offset_seconds))),
            }
        }
        "cac" => {
            let q: CacParams = get(p, "params");
            let facts: CacFacts = get(f, "facts");
            let customers = new_customers(&facts.deals, &facts.spend, q.window.zone)?;
            json(cac(&facts.spend, &customers, q.window, q.currency))
        }
        "ltv" => {
            let q: LtvParams = get(p, "params");
            match (q.discount_rate, q.timing) {
                (Some(d), Some(t)) => json(Ltv::discounted(q.arpa, q.gross_margin, q.churn, d, t)),
                _ => json(Ltv::simple(q.arpa, q.gross_margin, q.churn)),
            }
        }
        "ltv_to_cac" => {
            let q: TwoMoney = get(p, "params");
            json(ltv_to_cac(q.a, q.b))
        }
        "cac_payback_months" => {
            let q: TwoMoney = get(p, "params");
            // The vectors pin the rounded months (the exact quotient sits beside it in the result).
            json(cac_payback_months(q.a, q.b, q.gross_margin.expect("gross_margin")).map(|p| p.months))
        }
        "cac_ratio" => {
            let q: TwoMoney = get(p, "params");
            json(cac_ratio(q.a, q.gross_margin.expect("gross_margin"), q.b))
        }
        "arpa_churn" => {
            let q: CurrencyParams = get(p, "params");
            json(arpa_churn(&get::<Vec<AccountPeriod>>(f, "facts"), q.currency))
        }
        "lead_flow" => {
            let q: LeadFlowParams = get(p, "params");
            let leads = LeadFact::from_fact_set(&get::<FactSet>(f, "facts"), &q.handoff)?;
            json(lead_flow(
                &leads,
                q.period,
                q.as_of,
                seconds(q.within_seconds),
                seconds(q.horizon_seconds),
                q.currency,
            ))
        }
        "sourcing" => {
            let q: SourcingParams = get(p, "params");
            let opps: Vec<OpportunityTouches> = get(f, "facts");
            json(sourcing(&opps, q.period, seconds(q.lookback_seconds), q.currency))
        }
        "speed_to_lead" => {
            let q: SpeedParams = get(p, "params");
            json(speed_to_lead(&get::<Vec<ResponseTime>>(f, "facts"), seconds(q.target_seconds)))
        }
        "loss_reasons" => {
            let q: WinRateParams = get(p, "params");
            json(loss_reasons(&get::<Vec<Deal>>(f, "facts"), q.period, q.currency))
        }
        other => panic!("unknown metric {other:?} in case {:?}", case.name),
    }
}

/// JSON equality with decimal strings compared by value. A result may carry `*_exact` fields
/// (the exact quotient beside a rounded figure) that a vector does not pin: the vector is checked
/// on every field it lists, and the unit tests check that each rounded figure is its exact one
/// rounded.
fn same(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::String(a), Value::String(b)) => {
            a == b || matches!((a.parse::<Decimal>(), b.parse::<Decimal>()), (Ok(x), Ok(y)) if x == y)
        }
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y)),
        (Value::Object(a), Value::Object(b)) => {
            a.iter().all(|(k, x)| b.get(k).is_some_and(|y| same(x, y)))
                && b.keys().all(|k| a.contains_key(k) || k.ends_with("_exact"))
        }
        _ => expected == actual,
    }
}

#[test]
fn every_conformance_vector_passes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let mut failures = Vec::new();
    let mut counted: BTreeMap<String, usize> = BTreeMap::new();
    for path in files.iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
        let file: File = serde_json::from_str(&std::fs::read_to_string(path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for case in &file.cases {
            *counted.entry(case.metric.clone()).or_default() += 1;
            let label = format!("{} / {} / {}", file.family, case.metric, case.name);
            match (run(case), &case.expected, &case.error) {
                (Ok(actual), Some(expected), None) if same(expected, &actual) => {}
                (Err(e), None, Some(message)) if e.to_string() == *message => {}
                (actual, expected, error) => failures.push(format!(
                    "{label}\n  expected {}\n  actual   {}",
                    expected.as_ref().map_or_else(|| format!("error {error:?}"), ToString::to_string),
                    match actual {
                        Ok(v) => v.to_string(),
                        Err(e) => format!("error {:?}", e.to_string()),
                    }
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{} failing vectors:\n{}", failures.len(), failures.join("\n"));
    // Every metric of the module has vectors.
    for metric in [
        "win_rate",
        "created_to_won",
        "sales_cycle",
        "pipeline_velocity",
        "velocity_from_parts",
        "weighted_pipeline",
        "coverage",
        "stage_conversion",
        "cac",
        "ltv",
        "ltv_to_cac",
        "cac_payback_months",
        "cac_ratio",
        "arpa_churn",
        "lead_flow",
        "sourcing",
        "speed_to_lead",
        "loss_reasons",
    ] {
        assert!(
            counted.get(metric).is_some_and(|n| *n >= 2),
            "metric {metric} needs at least two vectors: {counted:?}"
        );
    }
    let _ = NaiveDate::MIN;
}
