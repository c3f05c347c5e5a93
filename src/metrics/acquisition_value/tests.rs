//! Hand-worked acquisition value (LTV and LTV:CAC by channel), and the laws (rows sum to the
//! total, the total is the blended computation, merge, serde, determinism) as proptests.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::*;
use crate::calendar::Zone;
use crate::facts::{Deal, DealStatus, FactSet, Journey, Lead, SpendKind, Touchpoint};
use crate::metrics::{Bucket, CacWindow, CashTiming, Ltv, RetentionTerms, RevenueChurn, arpa_churn, cac, ltv_to_cac};
use crate::{Currency, JourneyId, LeadId, Money, OpportunityId, Period, Ratio};

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap()
}

fn usd(d: Decimal) -> Money {
    Money::new(d, Currency::USD)
}

fn dollars(n: i64) -> Money {
    Money::from_minor(n * 100, Currency::USD)
}

fn channel(name: &str) -> ChannelId {
    ChannelId::new(name).unwrap()
}

fn account(name: &str) -> AccountId {
    AccountId::new(name).unwrap()
}

fn month(y: i32, m: u32) -> Period {
    let next = if m == 12 { at(y + 1, 1, 1) } else { at(y, m + 1, 1) };
    Period::new(at(y, m, 1), next).unwrap()
}

fn january() -> CacWindow {
    CacWindow::new(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(), 1, 0)
}

fn terms(key: AcquisitionKey) -> AcquisitionValueTerms {
    AcquisitionValueTerms::new(key, january(), Currency::USD, dec!(0.8)).unwrap()
}

/// A customer acquired on `date` (first-touch key), its first win deal `d-<account>`.
fn acquired(name: &str, date: (i32, u32, u32), via: Option<&str>) -> AcquiredCustomer {
    let on = NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap();
    let customer = NewCustomer::from_parts(account(name), OpportunityId::new(format!("d-{name}")).unwrap(), on, false);
    AcquiredCustomer { customer, key: AcquisitionKey::FirstTouch, channel: via.map(channel) }
}

fn period_of(name: &str, revenue: Money, churned: bool) -> AccountPeriod {
    AccountPeriod { account: account(name), revenue, active_at_start: true, churned }
}

/// The module's example: paid search (20 at $500, 4 new, 1 churns, $12,000), webinar (20 at
/// $300, 2 new, 2 churn, $2,000), salaries on no channel ($6,000).
fn example() -> (Vec<AcquiredCustomer>, Vec<Spend>, Vec<AccountPeriod>) {
    let (mut customers, mut periods) = (Vec::new(), Vec::new());
    for (via, new, churned, mrr) in [("paid_search", 4, 1, 500), ("webinar", 2, 2, 300)] {
        for i in 0..20 {
            let name = format!("{via}-{i}");
            let date = if i < new { (2024, 1, 15) } else { (2023, 6, 15) };
            customers.push(acquired(&name, date, Some(via)));
            periods.push(period_of(&name, dollars(mrr), i >= 20 - churned));
        }
    }
    let spend = vec![
        Spend::new(month(2024, 1), SpendKind::Paid, dollars(12_000)).on_channel(channel("paid_search")),
        Spend::new(month(2024, 1), SpendKind::Paid, dollars(2_000)).on_channel(channel("webinar")),
        Spend::new(month(2024, 1), SpendKind::SalesPeople, dollars(6_000)),
    ];
    (customers, spend, periods)
}

fn parts(r: Option<Ratio<Decimal>>) -> Option<(Decimal, Decimal)> {
    r.map(|r| (r.numerator(), r.denominator()))
}

#[test]
fn the_worked_example_by_hand() {
    let (customers, spend, periods) = example();
    let v = acquisition_value(terms(AcquisitionKey::FirstTouch), &customers, &spend, &periods, &[]).unwrap();
    assert_eq!(
        v.by_key.keys().cloned().collect::<Vec<_>>(),
        [None, Some(channel("paid_search")), Some(channel("webinar"))]
    );
    let search = &v.by_key[&Some(channel("paid_search"))];
    // CAC 12,000 / 4; ARPA 10,000 / 20; churn 1/20; LTV 500 x 0.8 / 0.05; LTV:CAC 8,000 / 3,000.
    assert_eq!(
        (search.cac.customers, search.cac.spend, search.cac.blended),
        (4, dollars(12_000), Some(dollars(3_000)))
    );
    assert_eq!((search.arpa_churn.accounts, search.arpa_churn.revenue), (20, dollars(10_000)));
    assert_eq!(search.arpa_churn.arpa, Some(dollars(500)));
    assert_eq!(search.churn, Some(dec!(0.05)));
    let ltv = search.ltv.as_ref().unwrap();
    assert_eq!((ltv.value, parts(ltv.value_exact)), (Some(dollars(8_000)), Some((dec!(400), dec!(0.05)))));
    assert_eq!(parts(search.ltv_to_cac_exact), Some((dec!(8000), dec!(3000))));
    assert_eq!(search.ltv_to_cac, Some(dec!(2.6667)));
    let webinar = &v.by_key[&Some(channel("webinar"))];
    // CAC 2,000 / 2; ARPA 300; churn 2/20; LTV 240 / 0.1; LTV:CAC 2,400 / 1,000.
    assert_eq!(webinar.cac.blended, Some(dollars(1_000)));
    assert_eq!(webinar.ltv.as_ref().and_then(|l| l.value), Some(dollars(2_400)));
    assert_eq!(webinar.ltv_to_cac, Some(dec!(2.4)));
    // Salaries on no channel: a row of spend alone, every quotient undefined.
    let none = &v.by_key[&None];
    assert_eq!((none.cac.spend, none.cac.customers, none.cac.blended), (dollars(6_000), 0, None));
    assert_eq!((none.arpa_churn.accounts, none.arpa_churn.arpa, none.churn), (0, None, None));
    assert_eq!((&none.ltv, none.ltv_to_cac_exact, none.ltv_to_cac), (&None, None, None));
    // Blended: 20,000 / 6 = 3,333.33; ARPA 16,000 / 40 = 400; churn 3/40; LTV 320 / 0.075.
    let total = &v.total;
    assert_eq!((total.cac.customers, total.cac.spend), (6, dollars(20_000)));
    assert_eq!(total.cac.blended, Some(usd(dec!(3333.33))));
    assert_eq!(parts(total.cac.blended_exact), Some((dec!(20000), dec!(6))));
    assert_eq!(
        (total.arpa_churn.arpa, total.arpa_churn.churn.to_string()),
        (Some(dollars(400)), "3/40 (7.5%)".to_owned())
    );
    assert_eq!(total.ltv.as_ref().and_then(|l| l.value), Some(usd(dec!(4266.67))));
    // 4,266.67 / 3,333.33 = 1.2800022...
    assert_eq!(parts(total.ltv_to_cac_exact), Some((dec!(4266.67), dec!(3333.33))));
    assert_eq!(total.ltv_to_cac, Some(dec!(1.28)));
    assert_eq!(v.accounts_without_acquisition, 0);
    // The blended row is the existing blended computation of the same inputs.
    let new: Vec<NewCustomer> = customers.iter().map(|c| c.customer().clone()).collect();
    let blended_cac = cac(&spend, &new, january(), Currency::USD).unwrap();
    let blended_arpa = arpa_churn(&periods, Currency::USD).unwrap();
    let blended_ltv = Ltv::simple(blended_arpa.arpa.unwrap(), dec!(0.8), blended_arpa.churn.value().unwrap()).unwrap();
    assert_eq!((&total.cac, &total.arpa_churn, total.ltv.as_ref()), (&blended_cac, &blended_arpa, Some(&blended_ltv)));
    let ratio = ltv_to_cac(blended_ltv.value.unwrap(), blended_cac.blended.unwrap()).unwrap();
    assert_eq!(total.ltv_to_cac_exact, ratio);
}

#[test]
fn undefined_quotients_are_none() {
    // ads: one customer, no spend (CAC 0), $100 that churns (churn 1: LTV 80 / 1).
    // seo: one customer, $50 spend, $100 that stays (churn 0: no lifetime to value).
    let customers = [acquired("a", (2024, 1, 3), Some("ads")), acquired("s", (2024, 1, 4), Some("seo"))];
    let spend = [
        Spend::new(month(2024, 1), SpendKind::Paid, dollars(0)).on_channel(channel("ads")),
        Spend::new(month(2024, 1), SpendKind::Paid, dollars(50)).on_channel(channel("seo")),
    ];
    let periods = [period_of("a", dollars(100), true), period_of("s", dollars(100), false)];
    let v = acquisition_value(terms(AcquisitionKey::FirstTouch), &customers, &spend, &periods, &[]).unwrap();
    let ads = &v.by_key[&Some(channel("ads"))];
    assert_eq!((ads.cac.blended, ads.ltv.as_ref().and_then(|l| l.value)), (Some(dollars(0)), Some(dollars(80))));
    assert_eq!((ads.ltv_to_cac_exact, ads.ltv_to_cac), (None, None)); // zero CAC
    let seo = &v.by_key[&Some(channel("seo"))];
    assert_eq!(seo.churn, Some(Decimal::ZERO));
    assert_eq!(seo.ltv.as_ref().map(|l| l.value), Some(None)); // zero churn: an LTV without a value
    assert_eq!(seo.ltv_to_cac, None);
    // No customer in the window (acquired in February): CAC and LTV:CAC undefined.
    let late = [acquired("a", (2024, 2, 3), Some("ads"))];
    let v = acquisition_value(terms(AcquisitionKey::FirstTouch), &late, &spend, &periods, &[]).unwrap();
    let ads = &v.by_key[&Some(channel("ads"))];
    assert_eq!((ads.cac.customers, ads.cac.blended, ads.ltv_to_cac), (0, None, None));
    assert_eq!(ads.ltv.as_ref().and_then(|l| l.value), Some(dollars(80))); // its LTV is still defined
    // `s` has no acquisition now: its revenue is in the `None` row, counted.
    assert_eq!((v.accounts_without_acquisition, v.by_key[&None].arpa_churn.accounts), (1, 1));
}

fn feb() -> RetentionTerms {
    RetentionTerms::new(at(2024, 2, 1), at(2024, 3, 1), at(2024, 3, 1), Bucket::Month, Zone::UTC).unwrap()
}

/// ads: a 1,000 -> 900, b 1,000 -> 1,000; seo: c 500 -> 0, d 500 -> 600. Spend ads $1,000, seo $500.
fn revenue_case(basis: RevenueChurn) -> AcquisitionValue {
    let t = terms(AcquisitionKey::FirstTouch).with_revenue_churn(feb(), basis);
    let mut tally = AcquisitionValueTally::new(t);
    for (name, via, start, end) in
        [("a", "ads", 1000, 900), ("b", "ads", 1000, 1000), ("c", "seo", 500, 0), ("d", "seo", 500, 600)]
    {
        tally.push(&acquired(name, (2024, 1, 10), Some(via)).into()).unwrap();
        tally.push(&period_of(name, dollars(start), false).into()).unwrap();
        tally.push(&RecurringRevenue::new(account(name), at(2024, 1, 10), dollars(start)).into()).unwrap();
        tally.push(&RecurringRevenue::new(account(name), at(2024, 3, 1), dollars(end)).into()).unwrap();
    }
    tally.push(&Spend::new(month(2024, 1), SpendKind::Paid, dollars(1_000)).on_channel(channel("ads")).into()).unwrap();
    tally.push(&Spend::new(month(2024, 1), SpendKind::Paid, dollars(500)).on_channel(channel("seo")).into()).unwrap();
    tally.finish().unwrap()
}

#[test]
fn revenue_churn_by_channel_by_hand() {
    let v = revenue_case(RevenueChurn::Gross);
    let (ads, seo) = (&v.by_key[&Some(channel("ads"))], &v.by_key[&Some(channel("seo"))]);
    // ads: gross churn (0 + 100) / 2,000 = 0.05; LTV 1,000 x 0.8 / 0.05 = 16,000; CAC 500; 32x.
    assert_eq!((ads.churn, ads.ltv.as_ref().and_then(|l| l.value)), (Some(dec!(0.05)), Some(dollars(16_000))));
    assert_eq!((ads.cac.blended, ads.ltv_to_cac), (Some(dollars(500)), Some(dec!(32))));
    // seo: (500 + 0) / 1,000 = 0.5; LTV 400 / 0.5 = 800; CAC 250; 3.2x.
    assert_eq!((seo.churn, seo.ltv.as_ref().and_then(|l| l.value)), (Some(dec!(0.5)), Some(dollars(800))));
    assert_eq!(seo.ltv_to_cac, Some(dec!(3.2)));
    assert_eq!(seo.retention.as_ref().map(|r| (r.churned, r.expansion)), Some((1, dollars(100))));
    // Total: (500 + 100) / 3,000 = 0.2; ARPA 750; LTV 600 / 0.2 = 3,000; CAC 1,500 / 4 = 375; 8x.
    assert_eq!((v.total.churn, v.total.ltv.as_ref().and_then(|l| l.value)), (Some(dec!(0.2)), Some(dollars(3_000))));
    assert_eq!(v.total.ltv_to_cac, Some(dec!(8)));
    // The blended row is `Ltv::from_revenue_churn` over the same retention.
    let facts: Vec<RecurringRevenue> = [("a", 1000, 900), ("b", 1000, 1000), ("c", 500, 0), ("d", 500, 600)]
        .iter()
        .flat_map(|&(n, s, e)| {
            [
                RecurringRevenue::new(account(n), at(2024, 1, 10), dollars(s)),
                RecurringRevenue::new(account(n), at(2024, 3, 1), dollars(e)),
            ]
        })
        .collect();
    let retention = RetentionTally::new(feb(), Currency::USD, BTreeMap::new()).tally(&facts).unwrap().total;
    let expected = Ltv::from_revenue_churn(dollars(750), dec!(0.8), &retention, RevenueChurn::Gross).unwrap();
    assert_eq!((v.total.ltv.as_ref(), v.total.retention.as_ref()), (expected.as_ref(), Some(&retention)));
    // Net: seo (500 - 100) / 1,000 = 0.4, LTV 1,000; ads has no expansion, unchanged.
    let net = revenue_case(RevenueChurn::Net);
    let seo = &net.by_key[&Some(channel("seo"))];
    assert_eq!((seo.churn, seo.ltv.as_ref().and_then(|l| l.value)), (Some(dec!(0.4)), Some(dollars(1_000))));
    assert_eq!(net.by_key[&Some(channel("ads"))].ltv_to_cac, Some(dec!(32)));
}

#[test]
fn discounted_ltv_per_row() {
    let (customers, spend, periods) = example();
    let t = terms(AcquisitionKey::FirstTouch).discounted(dec!(0.01), CashTiming::EndOfPeriod).unwrap();
    let v = acquisition_value(t, &customers, &spend, &periods, &[]).unwrap();
    let search = &v.by_key[&Some(channel("paid_search"))];
    // 400 / (0.05 + 0.01) = 6,666.67; over CAC 3,000: 2.2222...
    assert_eq!(search.ltv.as_ref().and_then(|l| l.value), Some(usd(dec!(6666.67))));
    assert_eq!(search.ltv_to_cac, Some(dec!(2.2222)));
    assert!(terms(AcquisitionKey::FirstTouch).discounted(dec!(-0.01), CashTiming::EndOfPeriod).is_err());
}

fn won(id: &str, acct: &str, closed: DateTime<Utc>) -> Deal {
    Deal::new(OpportunityId::new(id).unwrap(), at(2024, 1, 1), dollars(100), DealStatus::Won)
        .closed_at(Some(closed))
        .account(Some(account(acct)))
}

fn journey(id: &str, touches: &[(u32, &str)]) -> Journey {
    let mut j = Journey::not_converted(JourneyId::new(id).unwrap());
    for &(d, c) in touches {
        j = j.with_touch(Touchpoint::new(at(2024, 1, d), channel(c)));
    }
    j
}

fn channels(customers: &[AcquiredCustomer]) -> Vec<(&str, Option<&str>)> {
    customers.iter().map(|c| (c.customer().account().as_str(), c.channel().map(ChannelId::as_str))).collect()
}

#[test]
fn first_touch_and_lead_source_are_derived_from_the_facts() {
    let mut facts = FactSet {
        deals: vec![
            won("o1", "a1", at(2024, 1, 20)), // its own journey
            won("o2", "a2", at(2024, 1, 20)).lead(Some(LeadId::new("L2").unwrap())), // the lead's journey
            won("o3", "a3", at(2024, 1, 5)),  // touched only after the win
            won("o4", "a4", at(2024, 1, 20)).source(Some(channel("partner"))), // no journey
        ],
        journeys: vec![
            journey("o1", &[(2, "paid_search"), (9, "webinar")]),
            journey("L2", &[(3, "social")]),
            journey("o3", &[(6, "email")]),
        ],
        leads: vec![Lead::new(LeadId::new("L2").unwrap(), at(2024, 1, 1))], // no source
        ..FactSet::default()
    };
    let first = acquired_customers(&facts, AcquisitionKey::FirstTouch, Zone::UTC).unwrap();
    assert_eq!(channels(&first), [("a1", Some("paid_search")), ("a2", Some("social")), ("a3", None), ("a4", None)]);
    let source = acquired_customers(&facts, AcquisitionKey::LeadSource, Zone::UTC).unwrap();
    // o2's lead has no source: `None`, the deal's own source is not read; o4 names no lead.
    assert_eq!(channels(&source), [("a1", None), ("a2", None), ("a3", None), ("a4", Some("partner"))]);
    facts.leads.clear();
    let err = acquired_customers(&facts, AcquisitionKey::LeadSource, Zone::UTC).unwrap_err();
    assert_eq!(err.to_string(), "deal `o2`: unknown lead `L2`");
    // The first-touch key reads no lead: the missing lead is no error there.
    assert_eq!(acquired_customers(&facts, AcquisitionKey::FirstTouch, Zone::UTC).unwrap().len(), 4);
}

#[test]
fn duplicates_keep_the_earliest_and_conflicts_are_refused() {
    let t = terms(AcquisitionKey::FirstTouch);
    let early = acquired("a", (2024, 1, 2), Some("ads"));
    let late = AcquiredCustomer {
        customer: NewCustomer::from_parts(
            account("a"),
            OpportunityId::new("z").unwrap(),
            NaiveDate::from_ymd_opt(2024, 1, 9).unwrap(),
            false,
        ),
        ..acquired("a", (2024, 1, 9), Some("seo"))
    };
    let v = acquisition_value(t, &[late.clone(), early.clone(), early.clone()], &[], &[], &[]).unwrap();
    assert_eq!(v.total.cac.customers, 1); // one account, once
    assert_eq!(v.by_key.keys().cloned().collect::<Vec<_>>(), [Some(channel("ads"))]);
    // The same first win with another channel: refused at finish, whatever the order.
    let other = acquired("a", (2024, 1, 2), Some("seo"));
    for order in [[early.clone(), other.clone()], [other.clone(), early.clone()]] {
        let err = acquisition_value(t, &order, &[], &[], &[]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "account `a`: inconsistent record: two acquisitions from the same first won deal differ (channel or paid); derive them from the whole fact set"
        );
    }
    // An earlier first win supersedes the conflicting pair.
    let earliest = AcquiredCustomer {
        customer: NewCustomer::from_parts(
            account("a"),
            OpportunityId::new("y").unwrap(),
            NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            false,
        ),
        ..other.clone()
    };
    assert!(acquisition_value(t, &[early, other, earliest], &[], &[], &[]).is_ok());
}

#[test]
fn bad_facts_and_other_definitions_are_refused() {
    let mut tally = AcquisitionValueTally::new(terms(AcquisitionKey::LeadSource));
    let err = tally.push_customer(&acquired("a", (2024, 1, 2), None)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "account `a`: inconsistent record: an acquisition derived under another key than the tally's"
    );
    let err =
        tally.push_recurring_revenue(&RecurringRevenue::new(account("a"), at(2024, 1, 1), dollars(1))).unwrap_err();
    assert!(err.to_string().starts_with("account `a`: inconsistent record: a recurring-revenue fact needs"), "{err}");
    let err =
        tally.push_revenue(&AccountPeriod { active_at_start: false, ..period_of("a", dollars(1), true) }).unwrap_err();
    assert!(err.to_string().contains("churned but not active"), "{err}");
    let base = terms(AcquisitionKey::LeadSource);
    let lagged = CacWindow { lag_months: 1, ..january() };
    for (other, field) in [
        (terms(AcquisitionKey::FirstTouch), "key"),
        (AcquisitionValueTerms::new(AcquisitionKey::LeadSource, lagged, Currency::USD, dec!(0.8)).unwrap(), "window"),
        (
            AcquisitionValueTerms::new(AcquisitionKey::LeadSource, january(), Currency::EUR, dec!(0.8)).unwrap(),
            "currency",
        ),
        (
            AcquisitionValueTerms::new(AcquisitionKey::LeadSource, january(), Currency::USD, dec!(0.7)).unwrap(),
            "gross_margin",
        ),
        (base.with_revenue_churn(feb(), RevenueChurn::Gross), "churn"),
        (base.discounted(dec!(0.01), CashTiming::StartOfPeriod).unwrap(), "discount"),
    ] {
        let err = AcquisitionValueTally::new(base).merge(AcquisitionValueTally::new(other)).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("cannot merge acquisition value tallies of different definitions: `{field}` differs")
        );
    }
    // Any date of the window's first month is the same window.
    let mid = CacWindow::new(NaiveDate::from_ymd_opt(2024, 1, 20).unwrap(), 1, 0);
    let same = AcquisitionValueTerms::new(AcquisitionKey::LeadSource, mid, Currency::USD, dec!(0.8)).unwrap();
    assert!(AcquisitionValueTally::new(base).merge(AcquisitionValueTally::new(same)).is_ok());
}

#[cfg(feature = "serde")]
#[test]
fn wire_formats() -> Result<(), Box<dyn std::error::Error>> {
    let (customers, spend, periods) = example();
    let mut tally = AcquisitionValueTally::new(terms(AcquisitionKey::FirstTouch));
    for c in customers.iter().take(1) {
        tally.push_customer(c)?;
    }
    tally.push_spend(&spend[2])?;
    tally.push_revenue(&periods[0])?;
    let json = serde_json::to_string(&tally)?;
    assert!(json.contains(r#""acquisitions":[{"account":"paid_search-0","deal":"d-paid_search-0","acquired_on":"2024-01-15","paid":false,"channel":"paid_search","conflict":false}]"#), "{json}");
    let back: AcquisitionValueTally = serde_json::from_str(&json)?;
    assert_eq!(serde_json::to_string(&back)?, json);
    assert_eq!(back.finish()?, tally.clone().finish()?);
    // States no sequence of facts produces.
    let forged_customers = json.replace(r#""customers":0"#, r#""customers":1"#);
    assert!(
        serde_json::from_str::<AcquisitionValueTally>(&forged_customers)
            .unwrap_err()
            .to_string()
            .contains("a spend row holds no customer")
    );
    let empty = json.replace(
        r#""accounts":1,"revenue_minor":"50000","active":1,"churned":0"#,
        r#""accounts":0,"revenue_minor":"0","active":0,"churned":0"#,
    );
    assert_ne!(empty, json);
    assert!(serde_json::from_str::<AcquisitionValueTally>(&empty).is_err());
    // A retention state under the logo basis.
    let revenue =
        AcquisitionValueTally::new(terms(AcquisitionKey::FirstTouch).with_revenue_churn(feb(), RevenueChurn::Gross));
    let revenue = serde_json::to_string(&revenue)?;
    let kept = revenue.find(r#""retention":"#).map(|i| &revenue[i..revenue.len() - 1]).unwrap_or_default();
    let retention = json.replace(r#""retention":null"#, kept);
    assert_ne!(retention, json);
    let err = serde_json::from_str::<AcquisitionValueTally>(&retention).unwrap_err();
    assert!(err.to_string().contains("a retention tally needs the revenue-churn basis"), "{err}");
    let margin = json.replace(r#""gross_margin":"0.8""#, r#""gross_margin":"80""#);
    assert_ne!(margin, json);
    assert!(serde_json::from_str::<AcquisitionValueTally>(&margin).is_err());
    let mut two = tally.clone();
    two.push_customer(&acquired("b", (2024, 1, 3), None))?;
    let twice = serde_json::to_string(&two)?;
    let (a, b) = (r#"{"account":"b""#, r#"{"account":"paid_search-0""#);
    let swapped = twice.replace(a, "@").replace(b, a).replace('@', b);
    assert!(serde_json::from_str::<AcquisitionValueTally>(&swapped).is_err()); // accounts out of order
    // The result: `by_key` as `[key, row]` pairs, the `None` row first as `null`.
    let result = serde_json::to_value(tally.finish()?)?;
    assert_eq!(result["by_key"][0][0], serde_json::Value::Null);
    assert_eq!(result["by_key"][1][0], "paid_search");
    let value: AcquisitionValue = serde_json::from_value(result.clone())?;
    assert_eq!(serde_json::to_value(value)?, result);
    Ok(())
}

mod laws;
