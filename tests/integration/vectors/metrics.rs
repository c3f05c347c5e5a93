//! The metric families (`tests/vectors/metrics/`): one runner for every metric, dispatched on
//! the definition's `metric`.
//!
//! A definition is `{"metric": "<name>", ...}` with the metric's terms by their domain names
//! (below); `period` is an explicit `{"start", "end"}` or one of the agreement's report windows
//! (`"all_time"`, `{"trailing_months": 12}`, `{"calendar_year": 2024}`, `{"quarter": 0}`,
//! `"previous_calendar_year"`), resolved against the case's `as_of` in `zone`; `zone` is a zone
//! name (`"America/New_York"`, `"UTC-05:00"`), default `"UTC"`; durations are the crate's
//! duration text (`"1d"`, `"36h"`, `"PT1H"`). Facts are a `FactSet`, but for three metrics
//! whose inputs are no business fact: `{"account_periods": [...]}` (ARPA and churn),
//! `{"opportunities": [...]}` (sourcing) and `{"response_times": [...]}` (speed to lead).

use chrono::{DateTime, TimeDelta, Utc};
use revops::agreement::ReportWindow;
use revops::calendar::{Zone, parse_duration};
use revops::facts::{FactSet, Origin};
use revops::metrics::{
    AccountPeriod, Bucket, CacWindow, CashTiming, ConversionTally, CoverageTally, CycleOutcome, DealBatch, LeadFact,
    Ltv, OpportunityTouches, ResponseTime, SalesCycleTally, StageConversion, Velocity, VelocityTally,
    WeightedPipelineTally, WinRateTally, arpa_churn, cac, cac_payback_from_ratio, cac_payback_months, cac_ratio,
    created_to_won, lead_flow, loss_reasons, ltv_to_cac, new_customers, pipeline_velocity, sourcing, speed_to_lead,
};
use revops::{Currency, Error, Money, Period, Ratio, StageId, Tally};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;

use super::{Case, Path};

/// A period: explicit, or a report window resolved against `as_of`.
#[derive(Deserialize)]
#[serde(untagged)]
enum PeriodSpec {
    Window(ReportWindow),
    Explicit(Period),
}

impl PeriodSpec {
    fn resolve(&self, case: &Case, zone: Zone) -> Result<Period, Error> {
        match self {
            PeriodSpec::Explicit(p) => Ok(*p),
            PeriodSpec::Window(w) => w.resolve(case.as_of(), zone),
        }
    }
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

/// Every metric's definition, tagged by `metric`.
#[derive(Deserialize)]
#[serde(tag = "metric", rename_all = "snake_case", deny_unknown_fields)]
enum Definition {
    /// Won over won + lost, by count and value, of the deals closed in `period`.
    WinRate {
        period: PeriodSpec,
        currency: Currency,
        #[serde(default = "utc")]
        zone: String,
        /// Only deals of this origin (default: every deal).
        #[serde(default)]
        origin: Option<Origin>,
    },
    /// Of the deals created in `period`, the share won.
    CreatedToWon {
        period: PeriodSpec,
        #[serde(default = "utc")]
        zone: String,
    },
    SalesCycle {
        period: PeriodSpec,
        #[serde(default = "utc")]
        zone: String,
        outcome: CycleOutcome,
    },
    PipelineVelocity {
        period: PeriodSpec,
        currency: Currency,
        #[serde(default = "utc")]
        zone: String,
    },
    VelocityFromParts {
        open_qualified: u64,
        win_rate: Ratio,
        average_deal_size: Money,
        #[serde(with = "rust_decimal::serde::str")]
        cycle_days: Decimal,
    },
    WeightedPipeline {
        currency: Currency,
        /// Only qualified open deals (default `false`).
        #[serde(default)]
        qualified_only: bool,
    },
    Coverage {
        period: PeriodSpec,
        #[serde(default = "utc")]
        zone: String,
        quota: Money,
    },
    StageConversion {
        conversion: StageConversion,
        period: PeriodSpec,
        /// Rates per calendar bucket of the A entry (default: one overall rate).
        #[serde(default)]
        bucket: Option<Bucket>,
        #[serde(default = "utc")]
        zone: String,
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
    /// CAC payback implied by a CAC ratio: 12 / ratio months.
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
        period: PeriodSpec,
        #[serde(default = "utc")]
        zone: String,
        /// A delivered lead is worked in time if dispositioned within this (duration text).
        within: String,
        /// How long after delivery a lead may take to become revenue.
        horizon: String,
        currency: Currency,
    },
    Sourcing {
        period: PeriodSpec,
        #[serde(default = "utc")]
        zone: String,
        /// Touches this long before the opportunity was created count (duration text).
        lookback: String,
        currency: Currency,
    },
    SpeedToLead {
        /// The response target (duration text).
        target: String,
    },
    LossReasons {
        period: PeriodSpec,
        #[serde(default = "utc")]
        zone: String,
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
    let definition: Definition = case.definition()?;
    match path {
        Path::Row => row(case, definition),
        _ => columnar(case, definition, path),
    }
}

/// The columnar form of the deal metrics that have one.
fn columnar(case: &Case, definition: Definition, path: Path) -> Result<Value, Error> {
    let batch =
        |currency| -> Result<DealBatch, Error> { DealBatch::from_deals(&case.facts::<FactSet>()?.deals, currency) };
    match definition {
        Definition::WinRate { period, currency, zone: z, origin } => {
            let mut tally = WinRateTally::new(period.resolve(case, zone(&z)?)?, currency).origin(origin);
            tally.push_batch(&batch(currency)?)?;
            json(tally.finish())
        }
        Definition::SalesCycle { period, zone: z, outcome } => {
            let z = zone(&z)?;
            let deals = case.facts::<FactSet>()?.deals;
            // The batch holds money in one currency: the deals' own (USD when there is none).
            let currency = deals.first().map_or(Currency::USD, |d| d.amount.currency());
            let mut tally = SalesCycleTally::new(period.resolve(case, z)?, z).outcome(outcome);
            tally.push_batch(&DealBatch::from_deals(&deals, currency)?)?;
            json(tally.finish())
        }
        Definition::PipelineVelocity { period, currency, zone: z } => {
            let mut tally = VelocityTally::new(period.resolve(case, zone(&z)?)?, as_of(case), currency);
            tally.push_batch(&batch(currency)?)?;
            json(tally.finish())
        }
        _ => Err(super::not_on_path(path)),
    }
}

/// The row form of every metric.
#[allow(clippy::too_many_lines)] // one arm per metric
fn row(case: &Case, definition: Definition) -> Result<Value, Error> {
    match definition {
        Definition::WinRate { period, currency, zone: z, origin } => {
            let facts: FactSet = case.facts()?;
            let p = period.resolve(case, zone(&z)?)?;
            json(WinRateTally::new(p, currency).origin(origin).tally(&facts.deals))
        }
        Definition::CreatedToWon { period, zone: z } => {
            let facts: FactSet = case.facts()?;
            json(created_to_won(&facts.deals, period.resolve(case, zone(&z)?)?))
        }
        Definition::SalesCycle { period, zone: z, outcome } => {
            let facts: FactSet = case.facts()?;
            let z = zone(&z)?;
            json(SalesCycleTally::new(period.resolve(case, z)?, z).outcome(outcome).tally(&facts.deals))
        }
        Definition::PipelineVelocity { period, currency, zone: z } => {
            let facts: FactSet = case.facts()?;
            json(pipeline_velocity(&facts.deals, period.resolve(case, zone(&z)?)?, as_of(case), currency))
        }
        Definition::VelocityFromParts { open_qualified, win_rate, average_deal_size, cycle_days } => {
            json(Velocity::per_day_from(open_qualified, win_rate, average_deal_size, cycle_days))
        }
        Definition::WeightedPipeline { currency, qualified_only } => {
            let facts: FactSet = case.facts()?;
            json(WeightedPipelineTally::new(currency).qualified_only(qualified_only).tally(&facts.deals))
        }
        Definition::Coverage { period, zone: z, quota } => {
            let facts: FactSet = case.facts()?;
            let z = zone(&z)?;
            let p = period.resolve(case, z)?;
            json(CoverageTally::new(p, z, quota).and_then(|t| t.tally(&facts.deals)))
        }
        Definition::StageConversion { conversion, period, bucket, zone: z } => {
            let facts: FactSet = case.facts()?;
            let z = zone(&z)?;
            let mut tally = ConversionTally::new(conversion, period.resolve(case, z)?);
            for e in &facts.stage_changes {
                tally.push(e)?;
            }
            match bucket {
                None => json(tally.finish()),
                Some(bucket) => json(tally.finish_by(bucket, z)),
            }
        }
        Definition::Cac { window, currency } => {
            let facts: FactSet = case.facts()?;
            let customers = new_customers(&facts.deals, &facts.spend, window.zone)?;
            json(cac(&facts.spend, &customers, window, currency))
        }
        Definition::Ltv { arpa, gross_margin, monthly_churn, discount_rate, cash_timing } => {
            match (discount_rate, cash_timing) {
                (Some(d), Some(t)) => json(Ltv::discounted(arpa, gross_margin, monthly_churn, d, t)),
                (None, None) => json(Ltv::simple(arpa, gross_margin, monthly_churn)),
                _ => panic!("case {:?}: discount_rate and cash_timing go together", case.name),
            }
        }
        Definition::LtvToCac { ltv, cac } => json(ltv_to_cac(ltv, cac)),
        Definition::CacPaybackMonths { cac, monthly_arpa, gross_margin } => {
            json(cac_payback_months(cac, monthly_arpa, gross_margin))
        }
        Definition::CacPaybackFromRatio { cac_ratio } => json(cac_payback_from_ratio(cac_ratio)),
        Definition::CacRatio { net_new_arr, gross_margin, previous_spend } => {
            json(cac_ratio(net_new_arr, gross_margin, previous_spend))
        }
        Definition::ArpaChurn { currency } => {
            let facts: AccountPeriods = case.facts()?;
            json(arpa_churn(&facts.account_periods, currency))
        }
        Definition::LeadFlow { handoff, period, zone: z, within, horizon, currency } => {
            let facts: FactSet = case.facts()?;
            let leads = LeadFact::from_fact_set(&facts, &handoff)?;
            let p = period.resolve(case, zone(&z)?)?;
            json(lead_flow(&leads, p, as_of(case), duration(&within)?, duration(&horizon)?, currency))
        }
        Definition::Sourcing { period, zone: z, lookback, currency } => {
            let facts: Opportunities = case.facts()?;
            let p = period.resolve(case, zone(&z)?)?;
            json(sourcing(&facts.opportunities, p, duration(&lookback)?, currency))
        }
        Definition::SpeedToLead { target } => {
            let facts: ResponseTimes = case.facts()?;
            json(speed_to_lead(&facts.response_times, duration(&target)?))
        }
        Definition::LossReasons { period, zone: z, currency } => {
            let facts: FactSet = case.facts()?;
            json(loss_reasons(&facts.deals, period.resolve(case, zone(&z)?)?, currency))
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
        "cac_payback_from_ratio",
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
}
