//! The sample company's operating agreement, as one [`Agreement`]: the definitions the
//! quickstart used to hard-code.

use chrono::{NaiveDate, TimeDelta};

use super::{Company, SampleStage};
use crate::agreement::{
    Agreement, AgreementParts, AttributionStages, CacRatioTerms, CohortGrain, ConversionStep, CostStages,
    CoverageTerms, CycleTerms, DealGrouping, EconomicsTerms, EmployeeBand, ExperimentTerms, ForecastTerms,
    FunnelHygiene, IcpReview, Kpis, MqlHandoff, PipelineTerms, ReportWindow, RetentionKpiTerms, ReturnTerms, SlaTerms,
    StageRate, TeamRule, VelocityTerms, VolumeMonths, WaterfallTerms, WinRateTerms,
};
use crate::attribution::{MarkovModel, Model, ShapleyModel, UPreset};
use crate::calendar::BusinessSpan;
use crate::experiment::Correction;
use crate::facts::{ForecastCategory, Origin};
use crate::forecast::CategoryMap;
use crate::funnel::{Funnel, HandoffField, Owner, Stage, StageKind};
use crate::icp::{IcpSet, Tiers};
use crate::metrics::{CashTiming, ConversionMode, CycleOutcome, RevenueChurn};
use crate::sla::{
    ClockStart, DispositionPolicy, QualityCommitment, ResponsePolicy, SlaAgreement, VolumeAmount, VolumeCommitment,
    VolumeMeasure,
};
use crate::{ChannelId, Currency, Error, ErrorKind, Money, Probability, SegmentId, StageId};

/// The sample company's agreement (the definitions of the quickstart):
/// - reporting zone `UTC`; calendar `new_york` ([`Company::sla_calendar`]);
/// - funnel `lead`, `mql`, `sal`, `sql`, `opportunity`, `won`, `lost` in order, and the side
///   stages `recycled` (nurture) and `disqualified`: every [`SampleStage`] key, so the
///   company's stage changes replay under it; with display names (`mql` is "Marketing
///   qualified lead"), owners (marketing up to the MQL, sales after), kinds and the win
///   probabilities of the demand waterfall (`sql` 20%, `won` 100%, `lost` 0%);
/// - lead scoring and the MQL rule of [`testkit::funnel`](super::funnel); the MQL-to-SAL
///   handoff requires the demand waterfall's fields, and the board reads the handoffs with the
///   score thresholds (fit 40, engagement 10) and the sample's headcount bands;
/// - the ICP set `core` = [`sample_icp`](super::icp::sample_icp), letter tiers;
/// - SLA part `sales_follow_up`: first sales touch within 4 business hours of the MQL (at risk
///   at 75%), disposition within 2 business days; lead milestones `mql` (also the handoff) and
///   `sql` ([`Company::sla_stages`]); teams by the account's region ([`Company::team`]);
///   marketing's at least 160 MQLs per month over September to December 2024 (New York
///   months), acceptance at least 70% and MQL-to-SQL at least 30%;
/// - attribution: `first_touch`, `linear`, `u_shaped` (40/40/20), `w_shaped`, `full_path`,
///   `time_decay_7d` (7-day half-life); the data-driven `markov_o1` (order 1, value split by
///   value removal effect) and `shapley` (simplified), in USD; milestones `lead`,
///   `opportunity`, `won`;
/// - KPIs: each consecutive step of the order in the three conversion modes, entity cohort
///   first, over the previous calendar year, with a 90-day cohort window; money in USD;
///   funnel hygiene over the previous calendar year (delivered at the MQL, dispositioned
///   within 2 days, revenue within 90 days, influence within 90 days, `sdr_outbound` a sales
///   channel), losses over the trailing 12 months, speed to lead of `sales_follow_up`;
///   in USD, over the
///   deals closed in the trailing 12 months: win rate by lead source and marketing-sourced,
///   the won and lost sales cycle, pipeline velocity; weighted open pipeline; coverage of the
///   quarter `as_of` falls in against an assumed quota of $1,500,000; unit economics of the
///   customers acquired in the 12 months before `as_of`'s month, spend lagged one month, gross
///   margin 80%, monthly logo churn 1.5%, monthly discount rate 1% (cash at the start of the
///   month), ARPA = mean won deal / 12, and the CAC ratio of two quarters back over the spend
///   of the quarter before it; the ICP review of segment `core` (tiers ranked with at least
///   30 closed deals; the open deals' coverage by
///   [`sample_buying_group`](super::icp::sample_buying_group)); the forecast by category of
///   the deals closing in the quarter `as_of` falls in, against the same assumed quota (a deal
///   at `opportunity` without a category of its own is Pipeline); return on marketing over
///   the trailing 12 months under `first_touch`, `linear` and `w_shaped`, with the cost per
///   lead, `mql`, `sql`, `opportunity` and new customer.
///
/// # Errors
///
/// None in practice (a fixed definition); the signature keeps construction honest.
///
/// # Example
///
/// ```
/// use revops::testkit::sample_agreement;
///
/// let agreement = sample_agreement()?;
/// assert_eq!(agreement.parts().attribution.models.len(), 6);
/// assert_eq!(agreement.parts().attribution.markov["markov_o1"].order(), 1);
/// assert!(agreement.calendar("new_york").is_some());
/// # Ok::<(), revops::Error>(())
/// ```
pub fn sample_agreement() -> Result<Agreement, Error> {
    let company = Company::sample();
    let effective = NaiveDate::from_ymd_opt(2024, 1, 1).ok_or(ErrorKind::Overflow { op: "date" })?;
    let mut parts = AgreementParts::new(
        "sample company revenue agreement",
        "2024.1",
        effective,
        crate::calendar::Zone::UTC,
        funnel()?,
    );
    parts.calendars.insert("new_york".to_owned(), company.sla_calendar()?);
    parts.scoring = Some(super::funnel::scoring_model()?);
    parts.mql = Some(super::funnel::qualification()?);
    parts.icp = Some(IcpSet::new([(SegmentId::new("core")?, super::icp::sample_icp())])?);
    parts.tiers = Some(Tiers::letters());
    let response = ResponsePolicy::new("mql_follow_up", ClockStart::Mql, BusinessSpan::hours(4))?
        .with_at_risk(Probability::from_percent(75)?)?;
    let disposition = DispositionPolicy::new("mql_disposition", BusinessSpan::business_days(2))?;
    // Marketing's side: at least 160 MQLs a month, acceptance >= 70%, MQL-to-SQL >= 30%.
    let volume = VolumeCommitment::new("mqls_per_month", VolumeMeasure::Mqls, VolumeAmount::Count(160))?;
    let quality = QualityCommitment::new("mql_quality")?
        .min_acceptance(Probability::from_percent(70)?)
        .min_mql_to_sql(Probability::from_percent(30)?);
    let policies = SlaAgreement {
        response: Some(response),
        disposition: Some(disposition),
        volume: vec![volume],
        quality: Some(quality),
    };
    let month = |m| NaiveDate::from_ymd_opt(2024, m, 1).ok_or(ErrorKind::Overflow { op: "date" });
    let terms = SlaTerms {
        teams: TeamRule::AccountRegion,
        volume_months: Some(VolumeMonths::new(month(9)?, month(12)?)?),
        ..SlaTerms::new("new_york", policies, Company::sla_stages())
    };
    parts.sla.insert("sales_follow_up".to_owned(), terms);
    let half_life = TimeDelta::try_days(7).ok_or(ErrorKind::Overflow { op: "half-life" })?;
    let models = [
        ("first_touch", Model::first_touch()),
        ("linear", Model::linear()),
        ("u_shaped", Model::u_shaped(UPreset::Hubspot)),
        ("w_shaped", Model::w_shaped()),
        ("full_path", Model::full_path()),
        ("time_decay_7d", Model::time_decay(half_life)?),
    ];
    parts.attribution.models = models.into_iter().map(|(name, model)| (name.to_owned(), model)).collect();
    parts.attribution.markov.insert("markov_o1".to_owned(), MarkovModel::new(1)?);
    parts.attribution.shapley.insert("shapley".to_owned(), ShapleyModel::Simplified);
    parts.attribution.currency = Some(Currency::USD);
    parts.attribution.milestones = Some(AttributionStages {
        lead: stage(SampleStage::Lead),
        opportunity: stage(SampleStage::Opportunity),
        won: stage(SampleStage::Won),
    });
    parts.kpis = kpis()?;
    Agreement::new(parts)
}

fn stage(stage: SampleStage) -> StageId {
    StageId::trusted(stage.as_str().to_owned())
}

/// Every [`SampleStage`]: the main path in order, the exits beside it, with the display names
/// and win probabilities the board shows.
fn funnel() -> Result<Funnel, Error> {
    use SampleStage::{Disqualified, Lead, Lost, Mql, Opportunity, Recycled, Sal, Sql, Won};
    let name = |s: SampleStage| match s {
        Lead => "Lead",
        Mql => "Marketing qualified lead",
        Sal => "Sales accepted lead",
        Sql => "Sales qualified lead",
        Opportunity => "Opportunity",
        Won => "Won",
        Lost => "Lost",
        Recycled => "Nurture",
        Disqualified => "Disqualified",
    };
    let mut builder = Funnel::builder("Sample company funnel");
    for s in [Lead, Mql, Sal, Sql, Opportunity, Won, Lost] {
        let owner = if matches!(s, Lead | Mql) { Owner::Marketing } else { Owner::Sales };
        let (kind, p) = match s {
            Sql => (StageKind::Open, Some(20)),
            Won => (StageKind::Won, Some(100)),
            Lost => (StageKind::Lost, Some(0)),
            _ => (StageKind::Open, None),
        };
        let mut stage = Stage::new(s.as_str(), name(s), owner, kind)?;
        if let Some(p) = p {
            stage = stage.with_probability(Probability::from_percent(p)?);
        }
        builder = builder.stage(stage);
    }
    for (s, owner, kind) in
        [(Recycled, Owner::Marketing, StageKind::Side), (Disqualified, Owner::Sales, StageKind::Disqualified)]
    {
        builder = builder.side_stage(Stage::new(s.as_str(), name(s), owner, kind)?);
    }
    builder.allow_skips(true).nurture(stage(Recycled)).handoff(stage(Mql), stage(Sal), HandoffField::MQL_TO_SAL).build()
}

fn kpis() -> Result<Kpis, Error> {
    use SampleStage::{Lead, Mql, Opportunity, Sal, Sql, Won};
    let order = [Lead, Mql, Sal, Sql, Opportunity, Won];
    let mut conversion = Vec::new();
    for mode in [ConversionMode::EntityCohort, ConversionMode::EventCohort, ConversionMode::PeriodFlow] {
        for (from, to) in order.iter().zip(order.iter().skip(1)) {
            conversion.push(ConversionStep { from: stage(*from), to: stage(*to), mode });
        }
    }
    let hygiene = FunnelHygiene {
        period: ReportWindow::PreviousCalendarYear,
        handoff: stage(Mql),
        disposition_within_days: 2,
        revenue_horizon_days: 90,
        influence_lookback_days: 90,
        sales_channels: [ChannelId::new("sdr_outbound")?].into(),
        losses_period: ReportWindow::TrailingMonths(12),
        speed_to_lead: Some("sales_follow_up".to_owned()),
    };
    let trailing = ReportWindow::TrailingMonths(12);
    let quota = Money::from_minor(150_000_000, Currency::USD);
    let percent = |p: &str| p.parse::<Probability>();
    Ok(Kpis {
        conversion,
        conversion_period: ReportWindow::PreviousCalendarYear,
        conversion_window_days: Some(90),
        currency: Some(Currency::USD),
        hygiene: Some(hygiene),
        mql_handoff: Some(mql_handoff()?),
        win_rate: Some(WinRateTerms {
            period: trailing,
            group_by: vec![DealGrouping::LeadSource],
            origins: vec![Origin::Marketing],
        }),
        cycle: Some(CycleTerms { period: trailing, outcomes: vec![CycleOutcome::Won, CycleOutcome::Lost] }),
        velocity: Some(VelocityTerms { period: trailing }),
        pipeline: Some(PipelineTerms { qualified_only: false }),
        coverage: Some(CoverageTerms { quarter: 0, quota, assumed: true }),
        economics: Some(EconomicsTerms {
            months: 12,
            spend_lag_months: 1,
            gross_margin: percent("80%")?,
            monthly_churn: percent("1.5%")?,
            discount_rate: percent("1%")?,
            cash_timing: CashTiming::StartOfPeriod,
            arpa_period: ReportWindow::AllTime,
            acv_months: 12,
            cac_ratio: Some(CacRatioTerms { quarter: -2, spend_lag_quarters: 1 }),
            by_source: true,
            by_first_touch: true,
            measured_churn: Some(RevenueChurn::Gross),
        }),
        icp: Some(IcpReview::new(Some(SegmentId::new("core")?), 30, Some(super::icp::sample_buying_group()))?),
        forecast: Some(ForecastTerms {
            assumed: true,
            ..ForecastTerms::new(ReportWindow::Quarter(0), forecast_categories()?).with_quota(quota)?
        }),
        return_on_marketing: Some(ReturnTerms::new(trailing, ["first_touch", "linear", "w_shaped"])?.with_stages(
            CostStages {
                mql: Some(StageId::new("mql")?),
                sql: Some(StageId::new("sql")?),
                opportunity: Some(StageId::new("opportunity")?),
            },
        )),
        waterfall: Some(sample_waterfall(trailing)?),
        retention: Some(RetentionKpiTerms::new(
            ReportWindow::TrailingMonths(6),
            CohortGrain::Quarter,
            Some(SegmentId::new("core")?),
        )?),
    })
}

/// The funnel waterfall of the trailing 12 months by lead source, and one experiment on its
/// groups: do webinar- and event-sourced MQLs win more often than paid search's?
fn sample_waterfall(trailing: ReportWindow) -> Result<WaterfallTerms, Error> {
    let experiment = ExperimentTerms {
        name: "webinar and events against paid search".to_owned(),
        stage: stage(SampleStage::Mql),
        rate: StageRate::ToWon,
        control: "paid_search".to_owned(),
        variants: vec!["webinar".to_owned(), "events".to_owned()],
        confidence: Probability::from_percent(95)?,
        correction: Correction::Holm,
    };
    WaterfallTerms::new(trailing).with_experiment(experiment)
}

/// The forecast's category map: a deal at the `opportunity` stage without a category of its
/// own is Pipeline. (The sample's deals carry their own category, as its Salesforce export
/// does; the deal stages of [`sample_category_map`](super::sample_category_map) are those of
/// the pipeline snapshots, not stages of the sample funnel.)
fn forecast_categories() -> Result<CategoryMap, Error> {
    CategoryMap::new([(stage(SampleStage::Opportunity), ForecastCategory::Pipeline)], None)
}

/// The MQL-to-SAL handoff board: handed over at the MQL to SAL, deadlines of `sales_follow_up`,
/// the sample's headcount bands, and the MQL score rule of [`testkit::funnel`](super::funnel).
fn mql_handoff() -> Result<MqlHandoff, Error> {
    let bands = [(0, "employees_1_49"), (50, "employees_50_199"), (200, "employees_200_999")]
        .into_iter()
        .chain([(1_000, "employees_1000_4999"), (5_000, "employees_5000_plus")]);
    let handoff = MqlHandoff {
        from: stage(SampleStage::Mql),
        to: stage(SampleStage::Sal),
        sla: "sales_follow_up".to_owned(),
        employee_bands: bands.map(|(from, key)| EmployeeBand { from, trait_key: key.to_owned() }).collect(),
        score_rule: super::funnel::mql_rule()?,
    };
    handoff.check()?;
    Ok(handoff)
}
