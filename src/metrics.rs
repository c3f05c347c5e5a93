//! The shared KPIs: one written definition and one implementation each, with the numerator and
//! denominator in plain sight.
//!
//! Dashboards disagree because the same metric is defined three ways. Every metric here states
//! its numerator, denominator, time semantics, inclusions, exclusions and edge cases, after
//! [definitions, section 5](crate::definitions::metrics); where the usual systems disagree or are
//! silent, the crate decides and says so ("our rule").
//!
//! Metrics evaluate the crate's [`facts`](crate::facts) ([`Deal`](crate::facts::Deal),
//! [`StageChange`](crate::facts::StageChange), [`Spend`](crate::facts::Spend), and through
//! derived views [`Lead`](crate::facts::Lead) and [`Disposition`](crate::facts::Disposition))
//! and the funnel's definitions (its stage order and [`Reach`](crate::funnel::Reach)); they
//! define no copy of either. Where a metric needs a view of several facts it is derived by a
//! documented function: [`LeadFact::from_facts`] (a lead's handoff, first disposition and wins)
//! and [`new_customers`] (each account's first won deal).
//!
//! | family | entry point | metrics |
//! | --- | --- | --- |
//! | stage conversion | [`StageConversion`] | entity cohort, event cohort (dbt `MetricFlow`), period flow; strict or reached-or-beyond, over a funnel's order |
//! | deal batch | [`DealBatch`] | deals in columns: the fast path of win rate, cycle and velocity (`push_batch`) |
//! | win rate | [`WinRateTally`] | count- and value-based over deals closed in the period; [`CreatedToWonTally`] for a creation cohort |
//! | sales cycle | [`SalesCycleTally`] | elapsed days and calendar days, mean, median, nearest-rank percentiles |
//! | pipeline | [`VelocityTally`], [`WeightedPipelineTally`], [`CoverageTally`] | velocity from named sub-metrics, weighted pipeline, coverage |
//! | unit economics | [`CacTally`], [`Ltv`], [`ArpaChurnTally`] | CAC (blended, paid, lagged), LTV (simple, discounted), LTV:CAC, payback, CAC ratio |
//! | lead flow | [`LeadFlowTally`] | revenue per lead, SAL acceptance, disposition rate, leakage |
//! | sourcing | [`SourcingTally`] | marketing-sourced versus marketing-influenced pipeline |
//! | speed to lead | [`SpeedToLeadTally`] | median, p90 and share within target of caller-supplied business durations |
//! | loss reasons | [`LossReasonTally`] | closed-lost by reason |
//! | retention | [`RetentionTally`] | NRR, GRR, logo and revenue churn, expansion and contraction by acquisition cohort and tier, cohort curves |
//! | acquisition value | [`AcquisitionValueTally`] | customers acquired, CAC, ARPA, churn, LTV and LTV:CAC by acquisition channel (first touch) or lead source, beside the blended row |
//! | return on marketing | [`ReturnOnMarketingTally`], [`CostPerStage`] | spend by channel and campaign, ROAS and ROI per attribution model side by side, cost per lead, MQL, SQL, opportunity and customer |
//!
//! # Conventions ([definitions, section 0](crate::definitions::conventions))
//!
//! - **Undefined is `None`.** A zero denominator, zero churn, zero cycle length or a met quota
//!   gives `None`, never 0, NaN or a panic.
//! - **Ratio of sums.** Every rate is a [`Ratio`](crate::Ratio) with its parts; rates over
//!   groups combine as the sum of numerators over the sum of denominators.
//! - **Time.** Instants are UTC; periods are half-open `[start, end)` ([`Period`]); bucketing
//!   into days, weeks, months, quarters or years happens in an explicit reporting
//!   [`Zone`](crate::calendar::Zone), an IANA location or an explicitly fixed offset, cut at its
//!   local midnights, so months follow daylight saving ([`Bucket`]).
//! - **Money is exact.** Sums are kept in integer minor units; a record in another currency
//!   than the metric's is [`ErrorKind::MixedCurrency`](crate::ErrorKind::MixedCurrency) naming the record; quotients of money are
//!   `Decimal` and are rounded only where the result says so.
//! - **Exact beside rounded.** Every rounded quotient `x` of a result has `x_exact` beside it,
//!   a [`Ratio<Decimal>`](crate::Ratio) of the definition's exact numerator and denominator
//!   (money in major units), `None` exactly when `x` is; `x` is its value rounded as `x`'s
//!   documentation says (e.g. [`Velocity::per_day_exact`], [`CycleStats::mean_exact`],
//!   [`Ltv::value_exact`], [`CacPayback::months_exact`]).
//!
//! # Accumulators
//!
//! Every metric is an accumulator: `push` one fact, `merge` another accumulator of the same
//! definition (associative and commutative, so facts may be split over threads or partitions),
//! `finish` to the result; and a function over a slice that does the same in one call. The
//! single-fact accumulators implement [`Tally`], so [`Grouped`] can split any of them by a
//! caller's key (lead source, segment, ICP tier, owner, a [`Bucket`] of a reporting period) in
//! `BTreeMap` order.
//!
//! - **Definitions are checked when built**: a negative window, horizon or lookback, or a
//!   negative quota, is refused by the constructor, so an invalid definition never gives a
//!   result on empty input and an error on the first fact.
//! - **Merges compare the whole definition** (period, `as_of`, windows, horizons, lookbacks,
//!   zones, outcomes, modes, stage orders, currencies, quotas): tallies of different
//!   definitions give [`ErrorKind::DefinitionMismatch`](crate::ErrorKind::DefinitionMismatch) naming
//!   the tally and the part that differs, never a silent sum; [`Grouped`] merges only equal
//!   templates.
//! - **Partial state serializes** (feature `serde`): every tally's definition and exact state
//!   (counts, minor-unit sums as integer strings, kept durations and entries, histograms bin by
//!   bin; durations as chrono's ISO 8601 text such as `"PT86400S"`, zones as their names
//!   (`"America/New_York"`, `"UTC+05:30"`)). Deserializing validates the definition as the constructor does and refuses a state
//!   that no sequence of facts produces (a part above its whole, a negative sum, a repeated
//!   key); a deserialized tally equals the original, so it merges exactly like it, on another
//!   thread, service or partition.
//!
//! ```
//! # #[cfg(feature = "serde")] {
//! use chrono::{TimeZone, Utc};
//! use revops::metrics::WinRateTally;
//! use revops::Period;
//! use revops::facts::{Deal, DealStatus, Reason};
//! use revops::{Currency, Error, ErrorKind, Money, OpportunityId, Tally};
//!
//! let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
//! let deal = |id: &str, status| -> Result<Deal, Error> {
//!     Ok(Deal::new(OpportunityId::new(id)?, t(2), Money::from_minor(100_00, Currency::USD), status).closed_at(Some(t(9))))
//! };
//! let january = Period::new(t(1), t(31))?;
//! // Two services tally their own deals and ship the partial state as JSON.
//! let mut east = WinRateTally::new(january, Currency::USD);
//! east.push(&deal("e1", DealStatus::Won)?)?;
//! let mut west = WinRateTally::new(january, Currency::USD);
//! west.push(&deal("w1", DealStatus::lost(Reason::Price))?)?;
//! let shipped = serde_json::to_string(&west)?;
//! east.merge(serde_json::from_str(&shipped)?)?;
//! assert_eq!(east.finish()?.count.to_string(), "1/2 (50.0%)");
//! // A tally of another period does not merge: it would be a silent sum.
//! let december = Period::new(Utc.with_ymd_and_hms(2023, 12, 1, 0, 0, 0).single().unwrap_or_default(), t(1))?;
//! let err = WinRateTally::new(january, Currency::USD).merge(WinRateTally::new(december, Currency::USD));
//! assert!(matches!(err.as_ref().map_err(|e| e.kind()), Err(ErrorKind::DefinitionMismatch { tally: "win rate", field: "period" })));
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Bad input
//!
//! Negative amounts ([`ErrorKind::Negative`](crate::ErrorKind::Negative)), probabilities out of range
//! (an error about the record ([`Error::record`](crate::Error::record)) wrapping [`ErrorKind::ProbabilityOutOfRange`](crate::ErrorKind::ProbabilityOutOfRange)), close before create
//! ([`ErrorKind::CloseBeforeCreate`](crate::ErrorKind::CloseBeforeCreate)), mixed currencies ([`ErrorKind::MixedCurrency`](crate::ErrorKind::MixedCurrency)) and unknown
//! stages ([`ErrorKind::StageOutsideOrder`](crate::ErrorKind::StageOutsideOrder)) are typed errors naming the record. Nothing is silently
//! dropped or clamped.
//!
//! # Example: the KPIs of five deals
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use revops::metrics::win_rate;
//! use revops::Period;
//! use revops::facts::{Deal, DealStatus, Origin, Reason};
//! use revops::{Currency, Money, OpportunityId};
//!
//! let day = |d: u32| Utc.with_ymd_and_hms(2024, 1, d, 12, 0, 0).single().unwrap_or_default();
//! let deal = |id: &str, status: DealStatus, closed: Option<u32>, dollars: i64| -> Result<Deal, revops::Error> {
//!     Ok(Deal::new(OpportunityId::new(id)?, day(1), Money::from_minor(dollars * 100, Currency::USD), status)
//!         .closed_at(closed.map(day))
//!         .origin(Origin::Marketing))
//! };
//! let deals = [
//!     deal("o1", DealStatus::Won, Some(10), 10_000)?,
//!     deal("o2", DealStatus::Won, Some(12), 30_000)?,
//!     deal("o3", DealStatus::lost(Reason::Price), Some(15), 20_000)?,
//!     deal("o4", DealStatus::lost(Reason::NoDecision), Some(20), 40_000)?,
//! ];
//! let january = Period::new(day(1), Utc.with_ymd_and_hms(2024, 2, 1, 0, 0, 0).single().unwrap_or_default())?;
//! let rate = win_rate(&deals, january, Currency::USD)?;
//! assert_eq!(rate.count.to_string(), "2/4 (50.0%)");     // won / (won + lost)
//! assert_eq!(rate.value.to_string(), "40000.00/100000.00 (40.0%)"); // won amount / closed amount
//! # Ok::<(), revops::Error>(())
//! ```

use crate::Tally;

mod acquisition_value;
pub(crate) mod amount;
mod batch;
mod conversion;
mod cycle;
pub(crate) mod definition;
mod group;
mod lead_flow;
mod loss_reasons;
mod period;
pub(crate) mod pipeline;
mod retention;
mod return_on_marketing;
mod sourcing;
mod speed_to_lead;
mod unit_economics;
mod waterfall;
mod win_rate;
#[cfg(feature = "serde")]
pub(crate) mod wire;

#[cfg(feature = "serde")]
pub(crate) use self::acquisition_value::first_touch_channel;
pub use self::acquisition_value::{
    AcquiredCustomer, AcquisitionFact, AcquisitionKey, AcquisitionRow, AcquisitionValue, AcquisitionValueTally,
    AcquisitionValueTerms, ChurnBasis, acquired_customers, acquisition_value,
};
pub use self::batch::{DealBatch, DealSlice};
#[cfg(feature = "serde")]
pub(crate) use self::conversion::EntityCounter;
pub use self::conversion::{
    ConversionMode, ConversionTally, StageConversion, StageConversionBuilder, StageConversionRate, StageOrder,
    stage_conversion,
};
pub use self::cycle::{CycleOutcome, CycleStats, SalesCycle, SalesCycleTally, sales_cycle};
pub use self::group::{Grouped, group_by};
pub use self::lead_flow::{LeadFact, LeadFlow, LeadFlowTally, lead_flow};
pub use self::loss_reasons::{LossReason, LossReasonTally, LossReasons, loss_reasons};
pub use self::period::Bucket;
pub use self::pipeline::{
    CoverageAtWinRate, CoverageTally, PipelineCoverage, Velocity, VelocityTally, WeightedPipeline,
    WeightedPipelineTally, coverage, pipeline_velocity, weighted_pipeline,
};
pub use self::retention::{
    CohortCurve, CurveCell, Retention, RetentionRow, RetentionTally, RetentionTerms, RevenueChurn,
};
pub use self::return_on_marketing::{
    CostPerStage, MarketingFact, ModelReturn, ReturnOnMarketing, ReturnOnMarketingTally, ReturnRow, StageCounts,
};
pub use self::sourcing::{OpportunityTouches, OriginPipeline, Sourcing, SourcingTally, sourcing};
pub use self::speed_to_lead::{ResponseTime, SpeedToLeadMetric, SpeedToLeadTally, speed_to_lead};
pub(crate) use self::unit_economics::SpendRecord;
pub use self::unit_economics::{
    AccountPeriod, ArpaChurn, ArpaChurnTally, Cac, CacFact, CacPayback, CacTally, CacWindow, CashTiming, Ltv,
    NewCustomer, arpa_churn, cac, cac_payback_from_ratio, cac_payback_months, cac_ratio, ltv_to_cac, new_customers,
};
pub use self::waterfall::{
    AgingBucket, DEFAULT_AGING_EDGES, GroupEffect, Leak, LeakKind, Outcomes, Percentile, StageFlow, StageTime,
    Waterfall, WaterfallDefinition, WaterfallGroup, WaterfallRecord, WaterfallTally,
};
pub use self::win_rate::{
    CreatedToWon, CreatedToWonTally, WinRate, WinRateTally, created_to_won, marketing_sourced_win_rate, win_rate,
};
pub(crate) use crate::Period;
