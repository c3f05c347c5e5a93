//! The definitions: what each model and metric of the crate means, in words.
//!
//! What each model and metric means, collected from the systems revenue teams already use:
//! `HubSpot`, Adobe Marketo Measure (formerly Bizible), Salesforce, Google Analytics 4 / Google
//! Ads, dbt `MetricFlow`, the fivetran dbt packages for Salesforce and Zendesk, `ServiceNow` and
//! Zendesk SLAs, `MadKudu` and 6sense, and the open-source attribution packages
//! `ChannelAttribution` (C++ core, Python/R), DP6 marketing-attribution-models and `mta`. Where
//! those systems disagree, or say nothing, the crate decides, and this page says so ("our
//! rule"). A crate decision is a named, documented option wherever a user could reasonably want
//! the other answer.
//!
//! This module holds documentation only; each section is a submodule, so a link to a section
//! (`crate::definitions::sla`) is checked when the docs are built. Items of the crate cite the
//! section their rule comes from, and each section links the items that implement it.
//!
//! | section | about | in the crate |
//! | --- | --- | --- |
//! | [0. Conventions](conventions) | undefined is `None`, ratio of sums, time, probability, money | every module |
//! | [1. Attribution](attribution) | inputs, rule-based models, Markov removal effect, Shapley, exactness | [`attribution`](crate::attribution) |
//! | [2. Funnel](funnel) | stages, stage dates, lead scoring, checklists, handoffs, rejections | [`funnel`](crate::funnel) |
//! | [3. ICP and fit](icp) | criteria, tiers, buying groups, refinement | [`icp`](crate::icp) |
//! | [4. SLAs and business time](sla) | SLA instances, business calendars, deadlines, compliance | [`sla`](crate::sla), [`calendar`](crate::calendar) |
//! | [5. Metrics](metrics) | stage conversion, win rate, cycle, velocity, pipeline, CAC, LTV, LTV:CAC by acquisition channel, funnel hygiene | [`metrics`](crate::metrics) |
//! | [6. Return on marketing](marketing_return) | spend ledger, cost per stage, ROAS, ROI | [`ReturnOnMarketingTally`](crate::metrics::ReturnOnMarketingTally), [`CostPerStage`](crate::metrics::CostPerStage) (period mode) |
//! | [7. Forecast categories](forecast) | categories, roll-ups, pipeline movement | [`forecast`](crate::forecast): [`CategoryMap`](crate::forecast::CategoryMap), [`ForecastTally`](crate::forecast::ForecastTally), [`MovementTally`](crate::forecast::MovementTally) |
//! | [8. Waterfall and time in stage](waterfall) | waterfall, time in stage, pipeline aging | [`StageHistory::time_in_stage`](crate::funnel::StageHistory::time_in_stage) only |
//! | [9. Retention](retention) | NRR, GRR, churn rates, cohort curves | [`RetentionTally`](crate::metrics::RetentionTally) |
//! | [10. Experiments](experiments) | Wilson, Newcombe, z-test, sample size, Holm | [`experiment`](crate::experiment) |
//! | [11. Account engagement](account_engagement) | account roll-up, MQA, 6sense stages | not yet |
//! | [12. Multi-currency](currency) | rates, which date, rounding | [`fx`](crate::fx): [`RateTable`](crate::fx::RateTable), [`FactConverter`](crate::fx::FactConverter) |
//! | [13. Units in definition files](units) | durations, business time, percents, money | the serde formats |
//! | [14. Learned lead scoring](learned_scoring) | logistic regression, evaluation | not yet |
//!
//! Sections marked "not yet" record the definition the crate will follow; each says so at its
//! top, and no item of this version implements it.

#[doc = include_str!("definitions/conventions.md")]
pub mod conventions {}

#[doc = include_str!("definitions/attribution.md")]
pub mod attribution {}

#[doc = include_str!("definitions/funnel.md")]
pub mod funnel {}

#[doc = include_str!("definitions/icp.md")]
pub mod icp {}

#[doc = include_str!("definitions/sla.md")]
pub mod sla {}

#[doc = include_str!("definitions/metrics.md")]
pub mod metrics {}

#[allow(clippy::doc_markdown)] // formulas with subscripts (`LTV_c`, `R_pos`, `E_tier`) are prose here
#[doc = include_str!("definitions/marketing_return.md")]
pub mod marketing_return {}

#[doc = include_str!("definitions/forecast.md")]
pub mod forecast {}

#[doc = include_str!("definitions/waterfall.md")]
pub mod waterfall {}

#[allow(clippy::doc_markdown)] // formulas with subscripts (`LTV_c`, `R_pos`, `E_tier`) are prose here
#[doc = include_str!("definitions/retention.md")]
pub mod retention {}

#[allow(clippy::doc_markdown)] // formulas with subscripts (`LTV_c`, `R_pos`, `E_tier`) are prose here
#[doc = include_str!("definitions/experiments.md")]
pub mod experiments {}

#[allow(clippy::doc_markdown)] // formulas with subscripts (`LTV_c`, `R_pos`, `E_tier`) are prose here
#[doc = include_str!("definitions/account_engagement.md")]
pub mod account_engagement {}

#[doc = include_str!("definitions/currency.md")]
pub mod currency {}

#[doc = include_str!("definitions/units.md")]
pub mod units {}

#[allow(clippy::doc_markdown)] // formulas with subscripts (`LTV_c`, `R_pos`, `E_tier`) are prose here
#[doc = include_str!("definitions/learned_scoring.md")]
pub mod learned_scoring {}
