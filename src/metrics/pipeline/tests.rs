//! Unit tests of pipeline velocity and weighted pipeline.

use super::*;
use crate::calendar::Zone;
use crate::facts::Reason;
use crate::{OpportunityId, Probability};
use chrono::{NaiveDate, TimeZone};
use rust_decimal_macros::dec;

fn t(d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).unwrap()
}

fn usd(dollars: i64) -> Money {
    Money::from_minor(dollars * 100, Currency::USD)
}

#[test]
fn velocity_matches_the_worked_example() {
    // 40 open qualified, 1 of 4 closed won, won deals average $25,000 over 90 days.
    let mut deals = Vec::new();
    let open = DealStatus::Open { probability: Probability::ZERO };
    for i in 0..40 {
        deals.push(
            Deal::new(OpportunityId::new(format!("open{i}")).unwrap(), t(1), usd(1), open.clone()).qualified(true),
        );
    }
    let created = Utc.with_ymd_and_hms(2023, 10, 3, 0, 0, 0).unwrap(); // 90 days before 1 January
    for (i, dollars) in [20_000, 30_000].into_iter().enumerate() {
        deals.push(
            Deal::new(OpportunityId::new(format!("won{i}")).unwrap(), created, usd(dollars), DealStatus::Won)
                .closed_at(Some(t(1))),
        );
    }
    for i in 0..6 {
        deals.push(
            Deal::new(
                OpportunityId::new(format!("lost{i}")).unwrap(),
                created,
                usd(5),
                DealStatus::lost(Reason::Price),
            )
            .closed_at(Some(t(1))),
        );
    }
    let v = pipeline_velocity(&deals, Period::new(t(1), t(2)).unwrap(), t(1), Currency::USD).unwrap();
    assert_eq!(v.open_qualified, 40);
    assert_eq!(v.win_rate, Ratio::new(2, 8));
    assert_eq!(v.average_deal_size, Some(usd(25_000)));
    assert_eq!(v.cycle_days, Some(dec!(90)));
    assert_eq!(v.per_day.unwrap().to_string(), "2777.78 USD");
    // Exactly: 40 x $50,000 x 2 won x 86,400 s / (8 closed x 2 x 90 x 86,400 s) = 4,000,000 / 1,440.
    let parts = |r: Option<Ratio<Decimal>>| r.map(|r| (r.numerator(), r.denominator()));
    assert_eq!(parts(v.per_day_exact), Some((dec!(345600000000), dec!(124416000))));
    assert_eq!(parts(v.average_deal_size_exact), Some((dec!(50000), dec!(2))));
    assert_eq!(parts(v.cycle_days_exact), Some((dec!(15552000), dec!(172800))));
    let none = pipeline_velocity(&deals[..40], Period::new(t(1), t(2)).unwrap(), t(1), Currency::USD).unwrap();
    assert_eq!((none.per_day, none.average_deal_size, none.cycle_days), (None, None, None));
    assert_eq!(Velocity::per_day_from(3, Ratio::new(1, 2), usd(10), Decimal::ZERO).unwrap(), None);
    assert!(Velocity::per_day_from(3, Ratio::new(1, 2), usd(10), dec!(-1)).is_err());
    assert!(Velocity::per_day_from(3, Ratio::new(1, 2), usd(-10), dec!(1)).is_err());
}

#[test]
fn weighted_and_coverage() {
    let id = |s: &str| OpportunityId::new(s).unwrap();
    let open = |p| DealStatus::Open { probability: Probability::from_percent_decimal(p).unwrap() };
    let deals = [
        Deal::new(id("a"), t(1), usd(1_000), open(dec!(10)))
            .qualified(true)
            .close_date(NaiveDate::from_ymd_opt(2024, 1, 20)),
        Deal::new(id("b"), t(1), usd(3), open(dec!(50))).close_date(NaiveDate::from_ymd_opt(2024, 1, 20)),
        Deal::new(id("c"), t(1), usd(500), open(dec!(50))).qualified(true),
        Deal::new(id("d"), t(1), usd(900), DealStatus::Won).closed_at(Some(t(5))),
    ];
    let w = weighted_pipeline(&deals, Currency::USD).unwrap();
    assert_eq!((w.deals, w.amount, w.weighted), (3, usd(1_503), Money::new(dec!(351.50), Currency::USD)));
    let q = WeightedPipelineTally::new(Currency::USD).qualified_only(true).tally(&deals).unwrap();
    assert_eq!(q.deals, 2);
    let p = Period::new(t(1), Utc.with_ymd_and_hms(2024, 2, 1, 0, 0, 0).unwrap()).unwrap();
    let c = coverage(&deals, p, Zone::UTC, usd(2_000)).unwrap();
    assert_eq!(c.remaining, Some(usd(1_100)));
    assert_eq!(c.open_deals, 1);
    assert_eq!(c.open_without_close_date, 1);
    assert_eq!(c.coverage.unwrap().to_string(), "1000.00/1100.00 (90.9%)");
    let met = coverage(&deals, p, Zone::UTC, usd(900)).unwrap();
    assert_eq!((met.remaining, met.coverage), (None, None));
    assert_eq!(
        coverage(&deals, p, Zone::UTC, usd(-1)).unwrap_err().to_string(),
        "quota must not be negative, got -1.00"
    );
}

#[test]
fn weighted_pipeline_sums_exact_products() {
    // Regression: products and their sum were `Decimal`s, which keep 28 to 29 significant
    // digits: next to a 26-digit amount, a product of 0.000000001 (a cent at 1e-8) was
    // rounded away, so a sum of exactly ...950.3250000001 became the tie ...950.325 and
    // rounded half to even to .32 instead of .33.
    let open = |p| DealStatus::Open { probability: Probability::from_fraction(p).unwrap() };
    let deal = |id: &str, amount, p| {
        Deal::new(OpportunityId::new(id).unwrap(), t(1), Money::new(amount, Currency::USD), open(p))
    };
    let deals = [
        deal("a", dec!(79228162514264337593543950.32), Decimal::ONE),
        deal("b", dec!(0.01), dec!(0.5)),
        deal("c", dec!(0.01), dec!(0.00000001)),
    ];
    let exact = Money::new(dec!(79228162514264337593543950.33), Currency::USD);
    assert_eq!(weighted_pipeline(&deals, Currency::USD).unwrap().weighted, exact);
    // Split over tallies and merged in any order: the same exact sum.
    for order in [[0, 1, 2], [2, 0, 1], [1, 2, 0]] {
        let mut total = WeightedPipelineTally::new(Currency::USD);
        for i in order {
            let mut part = WeightedPipelineTally::new(Currency::USD);
            part.push(&deals[i]).unwrap();
            total.merge(part).unwrap();
        }
        assert_eq!(total.finish().unwrap().weighted, exact);
    }
    let half = open(dec!(0.5));
    // Half a cent rounds half to even, exactly: 0.01 x 0.5 twice is 0.01; once is 0.00.
    let cent = Money::new(dec!(0.01), Currency::USD);
    let small = |id: &str| Deal::new(OpportunityId::new(id).unwrap(), t(1), cent, half.clone());
    assert_eq!(weighted_pipeline(&[small("a")], Currency::USD).unwrap().weighted, usd(0));
    assert_eq!(weighted_pipeline(&[small("a"), small("b")], Currency::USD).unwrap().weighted, cent);
    let third = open(dec!(0.3333333333333333333333333333));
    let odd = |id: &str| Deal::new(OpportunityId::new(id).unwrap(), t(1), usd(3), third.clone());
    // 3 x 0.333... three times is 2.9999...; to the cent 3.00.
    assert_eq!(weighted_pipeline(&[odd("a"), odd("b"), odd("c")], Currency::USD).unwrap().weighted, usd(3));
    // A product beyond the exact range is a typed error, never a rounded sum.
    let huge = Money::new(dec!(79228162514264337593543950.33), Currency::USD);
    let err = weighted_pipeline(&[Deal::new(OpportunityId::new("h").unwrap(), t(1), huge, third)], Currency::USD)
        .unwrap_err();
    assert_eq!(err, ErrorKind::Overflow { op: "weighted pipeline" });
}
