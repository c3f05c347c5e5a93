//! The metric families (`tests/vectors/metrics/`): one runner for every metric, dispatched on
//! the definition's `metric`.
//!
//! A definition is `{"metric": "<name>", ...}` with the metric's terms by their domain names:
//! the shared metrics are the crate's own format, `revops::agreement::MetricDefinition` (which
//! the SQL functions of `revops-datafusion` read too); the formulas and the two metrics over
//! derived inputs are [`Formula`] (below). `period` is an explicit `{"start", "end"}` or one of the agreement's report windows
//! (`"all_time"`, `{"trailing_months": 12}`, `{"calendar_year": 2024}`, `{"quarter": 0}`,
//! `"previous_calendar_year"`), resolved against the case's `as_of` in `zone`; `zone` is a zone
//! name (`"America/New_York"`, `"UTC-05:00"`), default `"UTC"`; durations are the crate's
//! duration text (`"1d"`, `"36h"`, `"PT1H"`). Facts are a `FactSet`, but for three metrics
//! whose inputs are no business fact: `{"account_periods": [...]}` (ARPA and churn),
//! `{"opportunities": [...]}` (sourcing) and `{"response_times": [...]}` (speed to lead).

use chrono::{DateTime, TimeDelta, Utc};
use revops::agreement::{MetricDefinition, MetricFacts, MetricPeriod, MetricTerms};
use revops::calendar::{Zone, parse_duration};
use revops::facts::FactSet;
use revops::metrics::{
    AccountPeriod, CacWindow, CashTiming, DealBatch, LeadFact, Ltv, OpportunityTouches, ResponseTime, SalesCycleTally,
    Velocity, VelocityTally, WinRateTally, arpa_churn, cac, cac_payback_from_ratio, cac_payback_months, cac_ratio,
    lead_flow, ltv_to_cac, new_customers, sourcing,
};
use revops::{Currency, Error, Money, Ratio, StageId, Tally};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;

use super::{Case, Path};

/// `period` resolved against the case's `as_of` (if it has one) in `zone`.
fn resolve(period: &MetricPeriod, case: &Case, zone: Zone) -> Result<revops::Period, Error> {
    period.resolve(case.as_of, zone)
}

fn utc() -> String {
    "UTC".to_owned()
}

fn zone(name: &str) -> Result<Zone, Error> {
    name.parse()
}

fn duration(text: &str) -> Result<TimeDelta, Error> {
    parse_duration(text)
}

/// A case's definition: a shared metric ([`MetricDefinition`], the format the SQL functions
/// read too), or one of the formulas and fact-specific metrics only the runner names.
#[allow(clippy::large_enum_variant)] // one per case
enum Definition {
    Metric(MetricDefinition),
    Formula(Formula),
}

/// The `metric` names of [`Formula`]; every other name is read as a [`MetricDefinition`], so
/// a shared metric the crate refuses is refused with the crate's own message.
const FORMULAS: [&str; 10] = [
    "velocity_from_parts",
    "cac",
    "ltv",
    "ltv_to_cac",
    "cac_payback_months",
    "cac_payback_from_ratio",
    "cac_ratio",
    "arpa_churn",
    "lead_flow",
    "sourcing",
];

impl Definition {
    fn of(case: &Case) -> Result<Definition, Error> {
        let metric = case.definition.get("metric").and_then(Value::as_str).unwrap_or_default();
        if FORMULAS.contains(&metric) {
            case.definition().map(Definition::Formula)
        } else {
            case.definition().map(Definition::Metric)
        }
    }
}

/// The definitions that are not a [`MetricDefinition`], tagged by `metric`.
#[derive(Deserialize)]
#[serde(tag = "metric", rename_all = "snake_case", deny_unknown_fields)]
enum Formula {
    VelocityFromParts {
        open_qualified: u64,
        win_rate: Ratio,
        average_deal_size: Money,
        #[serde(with = "rust_decimal::serde::str")]
        cycle_days: Decimal,
    },
    Cac {
        window: CacWindow,
        currency: Currency,
    },
    Ltv {
        arpa: Money,
        #[serde(with = "rust_decimal::serde::str")]
        gross_margin: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        monthly_churn: Decimal,
        /// Monthly; with `cash_timing`, the discounted LTV (default: the simple LTV).
        #[serde(default, with = "rust_decimal::serde::str_option")]
        discount_rate: Option<Decimal>,
        #[serde(default)]
        cash_timing: Option<CashTiming>,
    },
    LtvToCac {
        ltv: Money,
        cac: Money,
    },
    CacPaybackMonths {
        cac: Money,
        monthly_arpa: Money,
        #[serde(with = "rust_decimal::serde::str")]
        gross_margin: Decimal,
    },
    CacPaybackFromRatio {
        cac_ratio: Ratio<Decimal>,
    },
    CacRatio {
        net_new_arr: Money,
        #[serde(with = "rust_decimal::serde::str")]
        gross_margin: Decimal,
        previous_spend: Money,
    },
    ArpaChurn {
        currency: Currency,
    },
    LeadFlow {
        /// The stage at which marketing hands a lead to sales.
        handoff: StageId,
        period: MetricPeriod,
        #[serde(default = "utc")]
        zone: String,
        /// A delivered lead is worked in time if dispositioned within this (duration text).
        within: String,
        /// How long after delivery a lead may take to become revenue.
        horizon: String,
        currency: Currency,
    },
    Sourcing {
        period: MetricPeriod,
        #[serde(default = "utc")]
        zone: String,
        /// Touches this long before the opportunity was created count (duration text).
        lookback: String,
        currency: Currency,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountPeriods {
    account_periods: Vec<AccountPeriod>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Opportunities {
    opportunities: Vec<OpportunityTouches>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ResponseTimes {
    response_times: Vec<ResponseTime>,
}

fn json<T: serde::Serialize>(r: Result<T, Error>) -> Result<Value, Error> {
    r.map(|v| serde_json::to_value(v).expect("results serialize"))
}

fn as_of(case: &Case) -> DateTime<Utc> {
    case.as_of()
}

/// Runs one metric case. The row path runs every metric; the columnar path the metrics with a
/// columnar form (win rate, sales cycle, pipeline velocity: the deals as a `DealBatch`, pushed
/// with `push_batch`), and skips the others.
pub(super) fn run(case: &Case, path: Path) -> Result<Value, Error> {
    match (Definition::of(case)?, path) {
        (Definition::Metric(definition), Path::Row) => metric(case, &definition),
        (Definition::Formula(formula), Path::Row) => row(case, formula),
        (Definition::Metric(definition), _) => columnar(case, definition.terms(), path),
        (Definition::Formula(_), _) => Err(super::not_on_path(path)),
    }
}

/// A shared metric through its one tally ([`MetricDefinition::tally`]), as the SQL functions
/// compute it.
fn metric(case: &Case, definition: &MetricDefinition) -> Result<Value, Error> {
    let mut tally = definition.tally(case.as_of)?;
    if tally.reads() == MetricFacts::ResponseTimes {
        let facts: ResponseTimes = case.facts()?;
        for time in &facts.response_times {
            tally.push_response_time(time)?;
        }
    } else {
        tally.push(&case.facts::<FactSet>()?)?;
    }
    json(tally.finish())
}

/// The columnar form of the deal metrics that have one.
fn columnar(case: &Case, terms: &MetricTerms, path: Path) -> Result<Value, Error> {
    let batch =
        |currency| -> Result<DealBatch, Error> { DealBatch::from_deals(&case.facts::<FactSet>()?.deals, currency) };
    match terms {
        MetricTerms::WinRate { period, currency, zone, origin } => {
            let mut tally = WinRateTally::new(resolve(period, case, *zone)?, *currency).origin(*origin);
            tally.push_batch(&batch(*currency)?)?;
            json(tally.finish())
        }
        MetricTerms::SalesCycle { period, zone, outcome } => {
            let deals = case.facts::<FactSet>()?.deals;
            // The batch holds money in one currency: the deals' own (USD when there is none).
            let currency = deals.first().map_or(Currency::USD, |d| d.amount.currency());
            let mut tally = SalesCycleTally::new(resolve(period, case, *zone)?, *zone).outcome(*outcome);
            tally.push_batch(&DealBatch::from_deals(&deals, currency)?)?;
            json(tally.finish())
        }
        MetricTerms::PipelineVelocity { period, currency, zone } => {
            let mut tally = VelocityTally::new(resolve(period, case, *zone)?, as_of(case), *currency);
            tally.push_batch(&batch(*currency)?)?;
            json(tally.finish())
        }
        _ => Err(super::not_on_path(path)),
    }
}

/// The row form of the formulas and fact-specific metrics.
fn row(case: &Case, formula: Formula) -> Result<Value, Error> {
    match formula {
        Formula::VelocityFromParts { open_qualified, win_rate, average_deal_size, cycle_days } => {
            json(Velocity::per_day_from(open_qualified, win_rate, average_deal_size, cycle_days))
        }
        Formula::Cac { window, currency } => {
            let facts: FactSet = case.facts()?;
            let customers = new_customers(&facts.deals, &facts.spend, window.zone)?;
            json(cac(&facts.spend, &customers, window, currency))
        }
        Formula::Ltv { arpa, gross_margin, monthly_churn, discount_rate, cash_timing } => {
            match (discount_rate, cash_timing) {
                (Some(d), Some(t)) => json(Ltv::discounted(arpa, gross_margin, monthly_churn, d, t)),
                (None, None) => json(Ltv::simple(arpa, gross_margin, monthly_churn)),
                _ => panic!("case {:?}: discount_rate and cash_timing go together", case.name),
            }
        }
        Formula::LtvToCac { ltv, cac } => json(ltv_to_cac(ltv, cac)),
        Formula::CacPaybackMonths { cac, monthly_arpa, gross_margin } => {
            json(cac_payback_months(cac, monthly_arpa, gross_margin))
        }
        Formula::CacPaybackFromRatio { cac_ratio } => json(cac_payback_from_ratio(cac_ratio)),
        Formula::CacRatio { net_new_arr, gross_margin, previous_spend } => {
            json(cac_ratio(net_new_arr, gross_margin, previous_spend))
        }
        Formula::ArpaChurn { currency } => {
            let facts: AccountPeriods = case.facts()?;
            json(arpa_churn(&facts.account_periods, currency))
        }
        Formula::LeadFlow { handoff, period, zone: z, within, horizon, currency } => {
            let facts: FactSet = case.facts()?;
            let leads = LeadFact::from_fact_set(&facts, &handoff)?;
            let p = resolve(&period, case, zone(&z)?)?;
            json(lead_flow(&leads, p, as_of(case), duration(&within)?, duration(&horizon)?, currency))
        }
        Formula::Sourcing { period, zone: z, lookback, currency } => {
            let facts: Opportunities = case.facts()?;
            let p = resolve(&period, case, zone(&z)?)?;
            json(sourcing(&facts.opportunities, p, duration(&lookback)?, currency))
        }
    }
}

/// Every metric the runner knows has at least two vectors (a value and an edge case).
#[test]
fn every_metric_has_vectors() {
    let mut counted = std::collections::BTreeMap::<String, usize>::new();
    for (_, file) in super::load_all() {
        if file.family.starts_with("metrics.") {
            for case in &file.cases {
                let metric = case.definition.get("metric").and_then(Value::as_str).unwrap_or_default();
                *counted.entry(metric.to_owned()).or_default() += 1;
            }
        }
    }
    // The shared metrics (`MetricDefinition`'s names), then the runner's own formulas.
    let shared = [
        "win_rate",
        "created_to_won",
        "sales_cycle",
        "pipeline_velocity",
        "weighted_pipeline",
        "coverage",
        "stage_conversion",
        "speed_to_lead",
        "loss_reasons",
    ];
    for metric in shared.into_iter().chain(FORMULAS) {
        assert!(
            counted.get(metric).is_some_and(|n| *n >= 2),
            "metric {metric} needs at least two vectors: {counted:?}"
        );
    }
}
