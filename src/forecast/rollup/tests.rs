use chrono::NaiveDate;
use rust_decimal_macros::dec;

use super::*;
use crate::facts::Reason;
use crate::{ErrorKind, OpportunityId, Probability, StageId};

use crate::forecast::fixtures::{q1, t, usd};

fn open(id: &str, dollars: i64, percent: u8, category: Option<ForecastCategory>, close: (u32, u32)) -> Deal {
    let status = DealStatus::Open { probability: Probability::from_percent(percent).unwrap() };
    Deal::new(OpportunityId::new(id).unwrap(), t(1, 2), usd(dollars), status)
        .close_date(NaiveDate::from_ymd_opt(2024, close.0, close.1))
        .forecast_category(category)
}

fn won(id: &str, dollars: i64, closed: (u32, u32)) -> Deal {
    Deal::new(OpportunityId::new(id).unwrap(), t(1, 2), usd(dollars), DealStatus::Won)
        .closed_at(Some(t(closed.0, closed.1)))
}

fn lost(id: &str, dollars: i64) -> Deal {
    Deal::new(OpportunityId::new(id).unwrap(), t(1, 2), usd(dollars), DealStatus::lost(Reason::Price))
        .closed_at(Some(t(2, 2)))
}

fn tally() -> ForecastTally {
    ForecastTally::new(q1(), Zone::UTC, Currency::USD, CategoryMap::default())
}

fn deals() -> Vec<Deal> {
    use ForecastCategory as C;
    vec![
        open("p1", 1_000, 10, Some(C::Pipeline), (3, 1)),
        open("b1", 2_000, 40, Some(C::BestCase), (3, 2)),
        open("c1", 4_000, 90, Some(C::Commit), (3, 3)),
        open("o1", 8_000, 60, Some(C::Omitted), (3, 4)),
        won("w1", 16_000, (2, 1)),
        lost("l1", 32_000),
        open("late", 64_000, 50, Some(C::Commit), (4, 1)), // after Q1
        won("old", 128_000, (12, 1)),                      // closed in December, after Q1
    ]
}

#[test]
fn salesforce_cumulative_columns() {
    use ForecastCategory as C;
    let r = tally().quota(usd(30_000)).unwrap().tally(&deals()).unwrap();
    let single = |c| r.single[&c].amount;
    assert_eq!(
        [single(C::Pipeline), single(C::BestCase), single(C::Commit), single(C::Omitted), single(C::Closed)],
        [usd(1_000), usd(2_000), usd(4_000), usd(40_000), usd(16_000)]
    );
    let column = |r: &ForecastRollup, c| r.cumulative[&c].totals.amount;
    // Open Pipeline = Pipeline + Best Case + Commit (no Omitted, no Closed).
    assert_eq!(column(&r, Rollup::OpenPipeline), usd(7_000));
    // Best Case Forecast = Best Case + Commit + Closed; Commit Forecast = Commit + Closed.
    assert_eq!(column(&r, Rollup::BestCaseForecast), usd(22_000));
    assert_eq!(column(&r, Rollup::CommitForecast), usd(20_000));
    assert_eq!(column(&r, Rollup::ClosedOnly), usd(16_000));
    // Weighted: 100 + 800 + 3,600; Closed weighs its amount; lost weighs nothing.
    assert_eq!(r.cumulative[&Rollup::OpenPipeline].totals.weighted, usd(4_500));
    assert_eq!(r.cumulative[&Rollup::CommitForecast].totals.weighted, usd(19_600));
    assert_eq!(r.single[&C::Omitted].weighted, usd(4_800)); // the open omitted deal, 60%
    // Coverage: open part over quota - Closed = 14,000.
    assert_eq!(r.remaining, Some(usd(14_000)));
    let cov = |c: Rollup| r.cumulative[&c].coverage.map(|x| x.to_string());
    assert_eq!(cov(Rollup::OpenPipeline).as_deref(), Some("7000.00/14000.00 (50.0%)"));
    assert_eq!(cov(Rollup::CommitForecast).as_deref(), Some("4000.00/14000.00 (28.6%)"));
    assert_eq!(cov(Rollup::ClosedOnly).as_deref(), Some("0.00/14000.00 (0.0%)"));
    let to_quota = r.cumulative[&Rollup::CommitForecast].to_quota.map(|x| x.to_string());
    assert_eq!(to_quota.as_deref(), Some("20000.00/30000.00 (66.7%)"));
    // Conservation: the single columns sum to every deal in scope.
    assert_eq!(r.total.deals, 6);
    assert_eq!(r.total.amount, usd(63_000));
    // Quota met: coverage undefined, not infinite.
    let met = tally().quota(usd(16_000)).unwrap().tally(&deals()).unwrap();
    assert_eq!((met.remaining, met.cumulative[&Rollup::OpenPipeline].coverage), (None, None));
    // No quota: no coverage.
    let none = tally().tally(&deals()).unwrap();
    assert!(none.cumulative.values().all(|c| c.coverage.is_none() && c.to_quota.is_none()));
}

#[test]
fn fivetran_open_omitted_leaves_pipeline() {
    // dbt_salesforce: status Pipeline only for open deals in pipeline, forecast, bestcase.
    let deals = [
        open("in", 1_000, 50, Some(ForecastCategory::BestCase), (2, 1)),
        open("out", 9_000, 50, Some(ForecastCategory::Omitted), (2, 1)),
    ];
    let r = tally().tally(&deals).unwrap();
    let pipeline = &r.cumulative[&Rollup::OpenPipeline];
    assert_eq!((pipeline.totals.deals, pipeline.totals.amount), (1, usd(1_000)));
    assert!(Rollup::ALL.iter().all(|c| r.cumulative[c].totals.amount.amount() <= dec!(1000)));
    assert_eq!(r.single[&ForecastCategory::Omitted].deals, 1);
}

#[test]
fn stages_map_and_no_date_is_counted_apart() {
    let map = CategoryMap::new([(StageId::new("neg").unwrap(), ForecastCategory::Commit)], None).unwrap();
    let deal = open("a", 100, 50, None, (2, 1)).stage(Some(StageId::new("neg").unwrap()));
    let r = ForecastTally::new(q1(), Zone::UTC, Currency::USD, map.clone()).tally([&deal]).unwrap();
    assert_eq!(r.single[&ForecastCategory::Commit].deals, 1);
    // An unmapped stage with no fallback is an error naming the deal, in scope only.
    let unknown = deal.clone().stage(Some(StageId::new("demo").unwrap()));
    let err = ForecastTally::new(q1(), Zone::UTC, Currency::USD, map.clone()).tally([&unknown]).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::UnknownStage { .. }));
    let undated = Deal { close_date: None, ..unknown };
    let r = ForecastTally::new(q1(), Zone::UTC, Currency::USD, map).tally([&undated]).unwrap();
    assert_eq!((r.open_without_close_date, r.total.deals), (1, 0));
}

#[test]
fn qualified_only_and_currencies() {
    let q = open("q", 100, 50, Some(ForecastCategory::Pipeline), (2, 1)).qualified(true);
    let u = open("u", 200, 50, Some(ForecastCategory::Pipeline), (2, 1));
    let r = tally().qualified_only(true).tally([&q, &u]).unwrap();
    assert_eq!(r.total.amount, usd(100));
    let eur = Deal { amount: Money::from_minor(100, Currency::EUR), ..q };
    let err = tally().tally([&eur]).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::MixedCurrency { .. }));
    assert!(matches!(
        tally().quota(Money::from_minor(1, Currency::EUR)).unwrap_err().kind(),
        ErrorKind::CurrencyMismatch { .. }
    ));
}

#[test]
fn weighted_is_rounded_once_per_column() {
    // Two open deals of $0.01 at 50%: each column holds 0.005 + 0.005 = 0.01, not 0.00 + 0.00.
    let a = Deal {
        amount: Money::from_minor(1, Currency::USD),
        ..open("a", 0, 50, Some(ForecastCategory::BestCase), (2, 1))
    };
    let b =
        Deal { id: OpportunityId::new("b").unwrap(), forecast_category: Some(ForecastCategory::Commit), ..a.clone() };
    let r = tally().tally([&a, &b]).unwrap();
    assert_eq!(r.single[&ForecastCategory::BestCase].weighted, Money::from_minor(0, Currency::USD)); // 0.005 -> 0.00 (even)
    assert_eq!(r.cumulative[&Rollup::OpenPipeline].totals.weighted, Money::from_minor(1, Currency::USD));
}

#[test]
fn merge_compares_definitions() {
    let mut a = tally();
    let b = ForecastTally::new(Period::all_time(), Zone::UTC, Currency::USD, CategoryMap::default());
    assert!(matches!(
        a.merge(b).unwrap_err().kind(),
        ErrorKind::DefinitionMismatch { tally: "forecast roll-up", field: "period" }
    ));
    let other_map = ForecastTally::new(
        q1(),
        Zone::UTC,
        Currency::USD,
        CategoryMap::new([], Some(ForecastCategory::Pipeline)).unwrap(),
    );
    assert!(matches!(
        a.merge(other_map).unwrap_err().kind(),
        ErrorKind::DefinitionMismatch { field: "category map", .. }
    ));
    let quota = tally().quota(usd(1)).unwrap();
    assert!(matches!(a.merge(quota).unwrap_err().kind(), ErrorKind::DefinitionMismatch { field: "quota", .. }));
    // Split and merged equals one pass.
    let deals = deals();
    let (left, right) = deals.split_at(3);
    let mut l = tally();
    for d in left {
        l.push(d).unwrap();
    }
    let mut r = tally();
    for d in right {
        r.push(d).unwrap();
    }
    l.merge(r).unwrap();
    assert_eq!(l.finish().unwrap(), tally().tally(&deals).unwrap());
}

#[cfg(feature = "serde")]
#[test]
fn state_round_trips_and_refuses() {
    let mut t = tally().quota(usd(50_000)).unwrap();
    for d in deals() {
        t.push(&d).unwrap();
    }
    let json = serde_json::to_string(&t).unwrap();
    let back: ForecastTally = serde_json::from_str(&json).unwrap();
    assert_eq!(back, t);
    // The result, keyed by category and column, round-trips too.
    let result = t.clone().finish().unwrap();
    let text = serde_json::to_string(&result).unwrap();
    assert!(text.contains(r#""commit_forecast":"#) && text.contains(r#""best_case":"#), "{text}");
    assert_eq!(serde_json::from_str::<ForecastRollup>(&text).unwrap(), result);
    assert!(json.contains(r#""category":"best_case""#), "{json}");
    // A weighted sum above its amount, or a category twice, is refused.
    let bad = json.replace(r#""amount_minor":"100000""#, r#""amount_minor":"1""#);
    assert!(bad != json && serde_json::from_str::<ForecastTally>(&bad).is_err());
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut twice = v.clone();
    let first = twice["categories"][0].clone();
    twice["categories"].as_array_mut().unwrap().insert(0, first);
    assert!(serde_json::from_value::<ForecastTally>(twice).is_err());
}
