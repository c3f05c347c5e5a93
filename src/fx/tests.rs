//! Hand-worked conversions (JPY 0 decimals, BHD 3, USD 2; Salesforce's `1 USD = 1.39 AUD`;
//! `HubSpot`'s direction) and the laws of conversion.

use chrono::{NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::{Applied, DateRule, FactConverter, Leg, Rate, RateTable, Rounding};
use crate::facts::{Deal, DealStatus, FactSet, Spend, SpendKind};
use crate::{Currency, ErrorKind, Money, OpportunityId, Period, Record};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn rate(from: Currency, to: Currency, r: Decimal, valid_from: NaiveDate) -> Rate {
    Rate::new(from, to, r, valid_from).unwrap()
}

fn table(corporate: Option<Currency>, rates: &[Rate]) -> RateTable {
    RateTable::new(corporate, Rounding::HalfAwayFromZero, rates.iter().copied()).unwrap()
}

fn conv(t: &RateTable, amount: Decimal, from: Currency, to: Currency, on: NaiveDate) -> String {
    t.convert(Money::new(amount, from), to, on).unwrap().money().to_string()
}

#[test]
fn jpy_has_no_minor_unit_and_halves_round_by_the_rule() {
    let r = rate(Currency::USD, Currency::JPY, dec!(149.625), day(2024, 1, 1));
    let away = table(None, &[r]);
    // 100.00 x 149.625 = 14962.5: half a yen.
    assert_eq!(conv(&away, dec!(100.00), Currency::USD, Currency::JPY, day(2024, 3, 1)), "14963 JPY");
    let even = away.clone().with_rounding(Rounding::HalfEven);
    assert_eq!(conv(&even, dec!(100.00), Currency::USD, Currency::JPY, day(2024, 3, 1)), "14962 JPY");
    // 14963 JPY back: 14963 / 149.625 = 100.0033... -> 100.00 USD.
    assert_eq!(conv(&away, dec!(14963), Currency::JPY, Currency::USD, day(2024, 3, 1)), "100.00 USD");
    // Negative halves round away from zero too: -0.02 x 149.625 = -2.9925 -> -3.
    assert_eq!(conv(&away, dec!(-0.02), Currency::USD, Currency::JPY, day(2024, 3, 1)), "-3 JPY");
}

#[test]
fn bhd_keeps_three_decimals() {
    let t = table(None, &[rate(Currency::USD, Currency::BHD, dec!(0.376), day(2024, 1, 1))]);
    assert_eq!(conv(&t, dec!(10.01), Currency::USD, Currency::BHD, day(2024, 1, 1)), "3.764 BHD"); // 3.76376
    assert_eq!(conv(&t, dec!(1.25), Currency::USD, Currency::BHD, day(2024, 1, 1)), "0.470 BHD");
    // 1 BHD / 0.376 = 2.6595744... -> 2.66 USD.
    assert_eq!(conv(&t, dec!(1), Currency::BHD, Currency::USD, day(2024, 1, 1)), "2.66 USD");
}

#[test]
fn salesforce_corporate_rates_divide_into_corporate_and_cross_through_it() {
    // Salesforce: rate = units of the currency per corporate unit; 1 USD = 1.39 AUD.
    let aud = rate(Currency::USD, Currency::AUD, dec!(1.39), day(2024, 1, 1));
    let jpy = rate(Currency::USD, Currency::JPY, dec!(150), day(2024, 1, 1));
    let t = table(Some(Currency::USD), &[aud, jpy]);
    let on = day(2024, 5, 5);
    assert_eq!(conv(&t, dec!(139), Currency::AUD, Currency::USD, on), "100.00 USD");
    assert_eq!(conv(&t, dec!(100), Currency::USD, Currency::AUD, on), "139.00 AUD");
    assert_eq!(conv(&t, dec!(1), Currency::AUD, Currency::USD, on), "0.72 USD"); // 0.71942...
    // AUD -> JPY through USD, one rounding: 10 x 150 / 1.39 = 1079.1366... -> 1079.
    let c = t.convert(Money::new(dec!(10), Currency::AUD), Currency::JPY, on).unwrap();
    assert_eq!(c.money().to_string(), "1079 JPY");
    assert_eq!(c.applied(), Applied::Cross(Leg::Inverse(aud), Leg::Direct(jpy)));
    // A rate between two non-corporate currencies is refused.
    let err = RateTable::new(
        Some(Currency::USD),
        Rounding::HalfAwayFromZero,
        [rate(Currency::AUD, Currency::JPY, dec!(108), day(2024, 1, 1))],
    )
    .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::InvalidValue { field: "corporate currency rate", .. }), "{err}");
}

#[test]
fn hubspot_direction_multiplies_into_the_company_currency() {
    // HubSpot: conversionRate from the additional currency to the company currency.
    let eur = rate(Currency::EUR, Currency::USD, dec!(1.08), day(2024, 1, 1));
    let t = table(None, &[eur]);
    let on = day(2024, 2, 1);
    assert_eq!(conv(&t, dec!(50.00), Currency::EUR, Currency::USD, on), "54.00 USD");
    assert_eq!(conv(&t, dec!(54.00), Currency::USD, Currency::EUR, on), "50.00 EUR");
    assert_eq!(conv(&t, dec!(10), Currency::USD, Currency::EUR, on), "9.26 EUR"); // 9.259259...
    let c = t.convert(Money::new(dec!(10), Currency::USD), Currency::EUR, on).unwrap();
    assert_eq!(c.applied(), Applied::One(Leg::Inverse(eur)));
    assert_eq!(c.to_string(), "10.00 USD = 9.26 EUR at 1 EUR = 1.08 USD from 2024-01-01");
    // The same pair stored in both directions is a guess the table refuses.
    let err = RateTable::new(
        None,
        Rounding::HalfAwayFromZero,
        [eur, rate(Currency::USD, Currency::EUR, dec!(0.93), day(2024, 1, 1))],
    )
    .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::InvalidValue { field: "currency rate direction", .. }), "{err}");
}

#[test]
fn lookup_takes_the_latest_rate_on_or_before_the_date() {
    let jan = rate(Currency::EUR, Currency::USD, dec!(1.08), day(2024, 1, 1));
    let feb = rate(Currency::EUR, Currency::USD, dec!(1.10), day(2024, 2, 1));
    let t = table(None, &[feb, jan]); // any order
    assert_eq!(conv(&t, dec!(100), Currency::EUR, Currency::USD, day(2024, 1, 31)), "108.00 USD");
    assert_eq!(conv(&t, dec!(100), Currency::EUR, Currency::USD, day(2024, 2, 1)), "110.00 USD");
    assert_eq!(conv(&t, dec!(100), Currency::EUR, Currency::USD, day(2030, 1, 1)), "110.00 USD");
    let err = t.convert(Money::new(dec!(1), Currency::EUR), Currency::USD, day(2023, 12, 31)).unwrap_err();
    assert_eq!(
        err,
        ErrorKind::NoRate {
            from: Currency::EUR,
            to: Currency::USD,
            date: day(2023, 12, 31),
            first: Some(day(2024, 1, 1))
        }
    );
    assert_eq!(err.to_string(), "no rate converts EUR into USD on 2023-12-31: its first rate is valid from 2024-01-01");
    let err = t.convert(Money::new(dec!(1), Currency::GBP), Currency::USD, day(2024, 3, 1)).unwrap_err();
    assert_eq!(err.code(), "no_rate");
    assert_eq!(err.to_string(), "no rate converts GBP into USD (needed on 2024-03-01)");
    // Same currency needs no rate, even in an empty table.
    let same = RateTable::default().convert(Money::new(dec!(1.5), Currency::GBP), Currency::GBP, day(2024, 3, 1));
    assert_eq!(same.unwrap().applied(), Applied::Same);
}

#[test]
fn invalid_tables_are_refused() {
    let jan = rate(Currency::EUR, Currency::USD, dec!(1.08), day(2024, 1, 1));
    let again = rate(Currency::EUR, Currency::USD, dec!(1.09), day(2024, 1, 1));
    let err = RateTable::new(None, Rounding::HalfEven, [jan, again]).unwrap_err();
    assert_eq!(err, ErrorKind::DuplicateKey { kind: "currency rate", key: "EUR to USD from 2024-01-01".into() });
    assert!(Rate::new(Currency::EUR, Currency::USD, dec!(-1), day(2024, 1, 1)).is_err());
    assert!(Rate::new(Currency::EUR, Currency::EUR, dec!(1), day(2024, 1, 1)).is_err());
}

#[test]
fn mixed_currencies_without_a_table_stay_an_error() {
    let usd = Money::new(dec!(1), Currency::USD);
    assert!(matches!(
        usd.checked_add(Money::new(dec!(1), Currency::EUR)).unwrap_err().kind(),
        ErrorKind::CurrencyMismatch { .. }
    ));
    let t = Utc.with_ymd_and_hms(2024, 3, 1, 0, 0, 0).unwrap();
    let id = OpportunityId::new("opp-eur").unwrap();
    let deal =
        Deal::new(id.clone(), t, Money::new(dec!(5), Currency::EUR), DealStatus::open_percent(&id, dec!(50)).unwrap());
    let err = crate::metrics::weighted_pipeline(std::slice::from_ref(&deal), Currency::USD).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::MixedCurrency { .. }), "{err}");
    // And a converter without the rate names the deal and the date.
    let empty = RateTable::default();
    let err = FactConverter::new(&empty, Currency::USD, DateRule::CloseDate, t).deal(&deal).unwrap_err();
    assert_eq!(err.record(), Some(&Record::Deal(id)));
    assert!(matches!(err.kind(), ErrorKind::NoRate { date, .. } if *date == day(2024, 3, 1)));
}

#[test]
fn facts_convert_at_their_rule_dates() {
    let t = |m, d| Utc.with_ymd_and_hms(2024, m, d, 8, 0, 0).unwrap();
    let jan = rate(Currency::EUR, Currency::USD, dec!(1.08), day(2024, 1, 1));
    let apr = rate(Currency::EUR, Currency::USD, dec!(1.12), day(2024, 4, 1));
    let table = table(None, &[jan, apr]);
    let id = OpportunityId::new("opp-open").unwrap();
    let open = Deal::new(
        id.clone(),
        t(1, 10),
        Money::new(dec!(1000), Currency::EUR),
        DealStatus::open_percent(&id, dec!(40)).unwrap(),
    )
    .close_date(Some(day(2024, 5, 31)));
    let won = Deal::new(
        OpportunityId::new("opp-won").unwrap(),
        t(1, 10),
        Money::new(dec!(2000), Currency::EUR),
        DealStatus::Won,
    )
    .closed_at(Some(t(2, 15)));
    let march = Period::new(t(3, 1), t(4, 1)).unwrap();
    let spend = Spend::new(march, SpendKind::Paid, Money::new(dec!(300), Currency::EUR));
    let facts = FactSet { deals: vec![open, won], spend: vec![spend], ..FactSet::default() };
    let as_of = t(3, 20);
    // Salesforce: the open deal at its close date (May: 1.12), the won one at its close (Feb: 1.08).
    let mut sf = FactConverter::new(&table, Currency::USD, DateRule::CloseDate, as_of);
    let out = sf.facts(&facts).unwrap();
    let amounts: Vec<String> = out.deals.iter().map(|d| d.amount.to_string()).collect();
    assert_eq!(amounts, ["1120.00 USD", "2160.00 USD"]);
    assert_eq!(out.spend.first().map(|s| s.amount.to_string()).as_deref(), Some("324.00 USD"));
    assert_eq!(sf.rates_used().iter().copied().collect::<Vec<_>>(), [jan, apr]);
    assert_eq!(sf.converted(), 3);
    // HubSpot: the open deal at as_of (March: 1.08).
    let mut hs = FactConverter::new(&table, Currency::USD, DateRule::FrozenAtClose, as_of);
    assert_eq!(hs.facts(&facts).unwrap().deals.first().map(|d| d.amount.to_string()).as_deref(), Some("1080.00 USD"));
    assert_eq!(hs.rates_used().len(), 1);
    // Constant currency: everything at April's rate.
    let mut cc = FactConverter::new(&table, Currency::USD, DateRule::Constant(day(2024, 4, 1)), as_of);
    let out = cc.facts(&facts).unwrap();
    assert_eq!(out.deals.get(1).map(|d| d.amount.to_string()).as_deref(), Some("2240.00 USD"));
    assert_eq!(cc.rates_used().iter().copied().collect::<Vec<_>>(), [apr]);
}

#[cfg(feature = "serde")]
#[test]
fn the_table_reads_validated_from_json() {
    let json = r#"{"corporate":"USD","rounding":"half_even","rates":[{"from":"USD","to":"AUD","rate":"1.39","valid_from":"2024-01-01"}]}"#;
    let t: RateTable = serde_json::from_str(json).unwrap();
    assert_eq!((t.corporate(), t.rounding(), t.rates().count()), (Some(Currency::USD), Rounding::HalfEven, 1));
    assert_eq!(serde_json::to_string(&t).unwrap(), json);
    let minimal: RateTable = serde_json::from_str("{}").unwrap();
    assert_eq!(minimal, RateTable::default());
    for bad in [
        r#"{"rates":[{"from":"USD","to":"AUD","rate":1.39,"valid_from":"2024-01-01"}]}"#, // a float
        r#"{"rates":[{"from":"USD","to":"AUD","rate":"0","valid_from":"2024-01-01"}]}"#,
        r#"{"corporate":"EUR","rates":[{"from":"USD","to":"AUD","rate":"1.39","valid_from":"2024-01-01"}]}"#,
        r#"{"rates":[],"extra":1}"#,
    ] {
        assert!(serde_json::from_str::<RateTable>(bad).is_err(), "{bad}");
    }
    let rule: DateRule = serde_json::from_str(r#"{"constant":"2024-01-01"}"#).unwrap();
    assert_eq!(rule, DateRule::Constant(day(2024, 1, 1)));
    assert_eq!(serde_json::to_string(&DateRule::FrozenAtClose).unwrap(), r#""frozen_at_close""#);
}

fn currencies() -> impl Strategy<Value = (Currency, Currency, Decimal)> {
    // (source, target, rate) where a target minor unit is worth at most a source minor unit.
    prop_oneof![
        (100u32..100_000).prop_map(|r| (Currency::USD, Currency::EUR, Decimal::new(i64::from(r), 4) + Decimal::ONE)),
        (100u32..100_000).prop_map(|r| (Currency::USD, Currency::JPY, Decimal::new(i64::from(r), 2) + dec!(100))),
        (1u32..100_000).prop_map(|r| (Currency::USD, Currency::BHD, Decimal::new(i64::from(r), 4) + dec!(0.1))),
    ]
}

proptest! {
    #[test]
    fn conversion_is_deterministic_and_round_trips_within_a_minor_unit(
        (from, to, r) in currencies(), minor in -10_000_000_000i64..10_000_000_000, even in any::<bool>()
    ) {
        let rounding = if even { Rounding::HalfEven } else { Rounding::HalfAwayFromZero };
        let t = RateTable::new(None, rounding, [rate(from, to, r, day(2024, 1, 1))]).unwrap();
        let on = day(2024, 6, 1);
        let m = Money::from_minor(minor, from);
        let a = t.convert(m, to, on).unwrap();
        prop_assert_eq!(a, t.convert(m, to, on).unwrap());
        prop_assert!(a.money().to_minor().is_ok()); // on the target's minor unit
        let back = t.convert(a.money(), from, on).unwrap().money();
        let diff = back.checked_sub(m).unwrap().to_minor().unwrap();
        prop_assert!(diff.abs() <= 1, "{m} -> {} -> {back}", a.money());
    }

    #[cfg(feature = "serde")] // the partial state serializes with serde
    #[test]
    fn the_table_round_trips_through_json(
        rates in proptest::collection::btree_map((0u8..4, 0u32..400), 1u32..1_000_000, 0..12), corporate in any::<bool>()
    ) {
        let others = [Currency::EUR, Currency::JPY, Currency::BHD, Currency::AUD];
        let rates: Vec<Rate> = rates.iter().map(|(&(c, d), &r)| {
            let other = others.get(usize::from(c)).copied().unwrap_or(Currency::EUR);
            rate(Currency::USD, other, Decimal::new(i64::from(r), 3), day(2024, 1, 1) + chrono::Days::new(u64::from(d)))
        }).collect();
        let t = RateTable::new(corporate.then_some(Currency::USD), Rounding::HalfAwayFromZero, rates.clone()).unwrap();
        let json = serde_json::to_string(&t).unwrap();
        prop_assert_eq!(serde_json::from_str::<RateTable>(&json).unwrap(), t.clone());
        prop_assert_eq!(t.rates().count(), rates.len());
    }

    #[test]
    fn a_converted_total_is_the_sum_of_converted_records(
        deals in proptest::collection::vec((0u8..3, 0i64..100_000_000, 0u32..200), 0..40)
    ) {
        let t0 = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
        let table = table(Some(Currency::USD), &[
            rate(Currency::USD, Currency::JPY, dec!(147.3), day(2024, 1, 1)),
            rate(Currency::USD, Currency::JPY, dec!(151.85), day(2024, 4, 1)),
            rate(Currency::USD, Currency::BHD, dec!(0.377), day(2024, 1, 1)),
        ]);
        let cur = [Currency::USD, Currency::JPY, Currency::BHD];
        let facts: Vec<Deal> = deals.iter().enumerate().map(|(i, &(c, minor, d))| {
            let at = t0 + chrono::Duration::days(i64::from(d));
            Deal::new(OpportunityId::new(format!("opp-{i}")).unwrap(), t0, Money::from_minor(minor, cur.get(usize::from(c)).copied().unwrap_or(Currency::USD)), DealStatus::Won)
                .closed_at(Some(at))
        }).collect();
        let mut fx = FactConverter::new(&table, Currency::USD, DateRule::CloseDate, t0);
        let converted: Vec<Deal> = facts.iter().map(|d| fx.deal(d)).collect::<Result<_, _>>().unwrap();
        let mut by_hand = Money::zero(Currency::USD);
        for d in &facts {
            let one = table.convert(d.amount, Currency::USD, d.closed_at.unwrap().date_naive()).unwrap().money();
            by_hand = by_hand.checked_add(one).unwrap();
        }
        let total = converted.iter().try_fold(Money::zero(Currency::USD), |s, d| s.checked_add(d.amount)).unwrap();
        prop_assert_eq!(total, by_hand);
        let period = Period::new(t0, t0 + chrono::Duration::days(400)).unwrap();
        let wr = crate::metrics::win_rate(&converted, period, Currency::USD).unwrap();
        prop_assert_eq!(wr.won_amount, by_hand);
    }
}
