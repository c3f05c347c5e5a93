use std::collections::BTreeMap;

use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;
use rust_decimal_macros::dec;

use super::*;
use crate::facts::RecurringRevenue;

fn t(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).single().unwrap()
}

fn usd(dollars: i64) -> Money {
    Money::from_minor(dollars * 100, Currency::USD)
}

fn fact(id: &str, at: DateTime<Utc>, dollars: i64) -> RecurringRevenue {
    RecurringRevenue::new(AccountId::new(id).unwrap(), at, usd(dollars))
}

fn year_terms(as_of: DateTime<Utc>) -> RetentionTerms {
    RetentionTerms::new(t(2024, 1, 1), t(2025, 1, 1), as_of, Bucket::Quarter, Zone::UTC).unwrap()
}

fn tiers(pairs: &[(&str, &str)]) -> BTreeMap<AccountId, String> {
    pairs.iter().map(|(a, tier)| (AccountId::new(*a).unwrap(), (*tier).to_owned())).collect()
}

#[test]
fn the_definitions_example_by_cohort_and_tier() {
    // A and B joined in Q1 2023, C in Q3 2023; A and C are tier "A", B has none.
    let facts = [
        fact("a", t(2023, 2, 10), 100),
        fact("a", t(2024, 6, 1), 150),
        fact("b", t(2023, 3, 1), 100),
        fact("b", t(2024, 9, 1), 70),
        fact("c", t(2023, 8, 1), 100),
        fact("c", t(2024, 12, 31), 0),
    ];
    let r = RetentionTally::new(year_terms(t(2025, 1, 1)), Currency::USD, tiers(&[("a", "A"), ("c", "A")]))
        .tally(&facts)
        .unwrap();
    assert_eq!((r.total.customers, r.total.churned), (3, 1));
    assert_eq!((r.total.start_mrr, r.total.end_mrr), (usd(300), usd(220)));
    assert_eq!((r.total.expansion, r.total.contraction, r.total.churn), (usd(50), usd(30), usd(100)));
    assert_eq!(r.total.nrr_exact.map(|x| (x.numerator(), x.denominator())), Some((dec!(220), dec!(300))));
    assert_eq!((r.total.nrr, r.total.grr), (Some(dec!(0.7333)), Some(dec!(0.5667))));
    assert_eq!(r.total.grr_exact.map(|x| (x.numerator(), x.denominator())), Some((dec!(170), dec!(300))));
    assert_eq!(r.total.logo_churn, Ratio::new(1, 3));
    // Gross revenue churn 130 / 300; net (100 + 30 - 50) / 300 = 80 / 300 = 1 - NRR.
    assert_eq!(r.total.gross_revenue_churn, Some(dec!(0.4333)));
    assert_eq!((r.total.net_revenue_churn, r.total.net_revenue_churn_amount), (Some(dec!(0.2667)), usd(80)));
    let q1 = &r.by_cohort[&chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap()];
    assert_eq!((q1.customers, q1.end_mrr, q1.nrr), (2, usd(220), Some(dec!(1.1))));
    let q3 = &r.by_cohort[&chrono::NaiveDate::from_ymd_opt(2023, 7, 1).unwrap()];
    assert_eq!((q3.customers, q3.churned, q3.nrr, q3.grr), (1, 1, Some(dec!(0)), Some(dec!(0))));
    let tier_a = &r.by_tier[&Some("A".to_owned())];
    assert_eq!((tier_a.start_mrr, tier_a.end_mrr, tier_a.grr), (usd(200), usd(150), Some(dec!(0.5))));
    assert_eq!(r.by_tier[&None].nrr, Some(dec!(0.7)));
    // The `None` tier survives JSON (the map is written as `[tier, row]` pairs).
    #[cfg(feature = "serde")]
    assert_eq!(serde_json::from_str::<Retention>(&serde_json::to_string(&r).unwrap()).unwrap(), r);
}

#[test]
fn reactivation_counts_at_its_end_value_and_new_customers_are_excluded() {
    let facts = [
        fact("back", t(2023, 12, 1), 100),
        fact("back", t(2024, 3, 1), 0),
        fact("back", t(2024, 8, 1), 80), // returned by the end: a contraction of 20, not a churn
        fact("new", t(2024, 2, 1), 500), // joined after the start: not in the cohort
        fact("never", t(2023, 1, 1), 0), // never paid
    ];
    let r = RetentionTally::new(year_terms(t(2025, 1, 1)), Currency::USD, BTreeMap::new()).tally(&facts).unwrap();
    assert_eq!((r.total.customers, r.total.churned, r.total.contraction), (1, 0, usd(20)));
    assert_eq!((r.total.nrr, r.total.grr, r.total.logo_churn), (Some(dec!(0.8)), Some(dec!(0.8)), Ratio::new(0, 1)));
    // Expansion beyond churn makes net revenue churn negative: 1 customer 100 -> 130.
    let up = RetentionTally::new(year_terms(t(2025, 1, 1)), Currency::USD, BTreeMap::new())
        .tally(&[fact("u", t(2023, 5, 1), 100), fact("u", t(2024, 5, 1), 130)])
        .unwrap();
    assert_eq!(
        (up.total.net_revenue_churn, up.total.grr, up.total.nrr),
        (Some(dec!(-0.3)), Some(dec!(1)), Some(dec!(1.3)))
    );
    // No cohort: every rate undefined, never zero.
    let empty = RetentionTally::new(year_terms(t(2025, 1, 1)), Currency::USD, BTreeMap::new()).finish().unwrap();
    assert_eq!((empty.total.nrr, empty.total.grr, empty.total.net_revenue_churn), (None, None, None));
    assert_eq!(empty.total.logo_churn.value(), None);
}

#[test]
fn cohort_curves_stop_at_as_of() {
    // Monthly cohorts, as of 15 April 2024: January to March close; April is open.
    let terms = RetentionTerms::new(t(2024, 1, 1), t(2024, 4, 1), t(2024, 4, 15), Bucket::Month, Zone::UTC).unwrap();
    let facts = [
        fact("x", t(2024, 1, 5), 100),
        fact("x", t(2024, 2, 10), 120),
        fact("y", t(2024, 1, 20), 100),
        fact("y", t(2024, 2, 20), 50),
        fact("y", t(2024, 3, 3), 0),
        fact("z", t(2024, 3, 9), 40),
    ];
    let r = RetentionTally::new(terms, Currency::USD, BTreeMap::new()).tally(&facts).unwrap();
    let jan = &r.curves[0];
    assert_eq!((jan.cohort, jan.customers, jan.cells.len()), (t(2024, 1, 1).date_naive(), 2, 4));
    // k = 0 at 1 Feb: 200; k = 1 at 1 Mar: x 120 + y 50 = 170, capped 100 + 50 = 150; k = 2 at 1 Apr: 120, capped 100.
    let cell = |k: usize| jan.cells[k].clone().unwrap();
    assert_eq!((cell(0).active, cell(0).mrr, cell(0).logo), (2, usd(200), Ratio::new(2, 2)));
    assert_eq!((cell(1).mrr, cell(1).capped_mrr), (usd(170), usd(150)));
    assert_eq!(cell(1).net.and_then(|n| n.value()), Some(dec!(0.85)));
    assert_eq!(
        (cell(2).active, cell(2).logo, cell(2).gross.and_then(|g| g.value())),
        (1, Ratio::new(1, 2), Some(dec!(0.5)))
    );
    assert_eq!(jan.cells[3], None); // April is not closed at as_of
    let march = &r.curves[1];
    assert_eq!(
        (march.cohort, march.cells.len(), march.cells[0].clone().map(|c| c.mrr)),
        (t(2024, 3, 1).date_naive(), 2, Some(usd(40)))
    );
    assert_eq!(march.cells[1], None);
}

#[test]
fn bad_input_is_refused_naming_the_account() {
    let mut tally = RetentionTally::new(year_terms(t(2025, 6, 1)), Currency::USD, BTreeMap::new());
    let negative = RecurringRevenue::new(AccountId::new("neg").unwrap(), t(2024, 1, 1), usd(-1));
    assert!(matches!(tally.push(&negative).unwrap_err().kind(), ErrorKind::Negative { .. }));
    let euro =
        RecurringRevenue::new(AccountId::new("eur").unwrap(), t(2024, 1, 1), Money::from_minor(1, Currency::EUR));
    assert!(matches!(tally.push(&euro).unwrap_err().kind(), ErrorKind::MixedCurrency { .. }));
    tally.push(&fact("late", t(2025, 7, 1), 10)).unwrap(); // after as_of: counted, not used
    tally.push(&fact("dup", t(2024, 1, 1), 10)).unwrap();
    tally.push(&fact("dup", t(2024, 1, 1), 20)).unwrap();
    let err = tally.clone().finish().unwrap_err();
    assert_eq!(err.to_string(), "account `dup`: inconsistent record: two revenue facts at the same instant");
    let mut other = RetentionTally::new(year_terms(t(2025, 1, 1)), Currency::USD, BTreeMap::new());
    assert!(matches!(
        other.merge(tally.clone()).unwrap_err().kind(),
        ErrorKind::DefinitionMismatch { field: "terms", .. }
    ));
    let tiered = RetentionTally::new(year_terms(t(2025, 6, 1)), Currency::USD, tiers(&[("a", "A")]));
    assert!(matches!(tally.merge(tiered).unwrap_err().kind(), ErrorKind::DefinitionMismatch { field: "tiers", .. }));
    let mut fine = RetentionTally::new(year_terms(t(2025, 6, 1)), Currency::USD, BTreeMap::new());
    fine.push(&fact("late", t(2025, 7, 1), 10)).unwrap();
    assert_eq!(fine.finish().unwrap().facts_after_as_of, 1);
}

#[cfg(feature = "serde")]
#[test]
fn partial_state_is_validated_on_read() {
    let mut tally = RetentionTally::new(year_terms(t(2025, 1, 1)), Currency::USD, BTreeMap::new());
    tally.push(&fact("b", t(2024, 2, 1), 5)).unwrap();
    tally.push(&fact("a", t(2024, 1, 1), 7)).unwrap();
    let json = serde_json::to_string(&tally).unwrap();
    assert!(json.contains(r#""accounts":[["a",[["2024-01-01T00:00:00Z","700"]]],["b""#), "{json}");
    let back: RetentionTally = serde_json::from_str(&json).unwrap();
    assert_eq!(back.finish().unwrap(), tally.finish().unwrap());
    for (bad, why) in [
        (
            json.replace(r#"["a",[["2024-01-01T00:00:00Z","700"]]],"#, "")
                .replace(r#""b""#, r#""a""#)
                .replace("]]]]", r#"]]],["a",[["2024-01-01T00:00:00Z","1"]]]]"#),
            "order",
        ),
        (json.replace(r#""700""#, r#""-700""#), "negative"),
        (json.replace("2024-01-01T00:00:00Z\",\"700", "2026-01-01T00:00:00Z\",\"700"), "after as_of"),
        (json.replace(r#""end":"2025-01-01T00:00:00Z""#, r#""end":"2023-01-01T00:00:00Z""#), "terms"),
    ] {
        assert!(serde_json::from_str::<RetentionTally>(&bad).is_err(), "{why}: {bad}");
    }
}

fn facts_strategy() -> impl Strategy<Value = Vec<RecurringRevenue>> {
    // Up to 8 accounts, facts on distinct days of 2023 to 2025 (no same-instant duplicates).
    proptest::collection::btree_map((0u8..8, 0u32..1095), 0i64..500, 0..60).prop_map(|m| {
        m.into_iter()
            .map(|((a, day), mrr)| {
                let at = t(2023, 1, 1) + chrono::TimeDelta::days(i64::from(day));
                fact(&format!("acct-{a}"), at, mrr)
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn split_serialize_merge_equals_one_pass(facts in facts_strategy(), cuts in proptest::collection::vec(0usize..64, 0..4), tiered in 0u8..8) {
        let terms = RetentionTerms::new(t(2024, 1, 1), t(2025, 1, 1), t(2025, 3, 15), Bucket::Month, Zone::UTC).unwrap();
        let tier_map: BTreeMap<AccountId, String> =
            (0..tiered).map(|a| (AccountId::new(format!("acct-{a}")).unwrap(), format!("T{}", a % 3))).collect();
        let fresh = || RetentionTally::new(terms, Currency::USD, tier_map.clone());
        let whole = fresh().tally(&facts).unwrap();
        let mut bounds: Vec<usize> = cuts.into_iter().map(|c| c % (facts.len() + 1)).collect();
        bounds.push(0);
        bounds.push(facts.len());
        bounds.sort_unstable();
        let mut parts = Vec::new();
        for w in bounds.windows(2) {
            let mut part = fresh();
            for f in &facts[w[0]..w[1]] {
                part.push(f).unwrap();
            }
            #[cfg(feature = "serde")]
            let part: RetentionTally = serde_json::from_str(&serde_json::to_string(&part).unwrap()).unwrap();
            parts.push(part);
        }
        parts.reverse();
        let mut merged = fresh();
        for p in parts {
            merged.merge(p).unwrap();
        }
        let merged = merged.finish().unwrap();
        prop_assert_eq!(&merged, &whole);
        // The NRR identity and the GRR bound, on every row.
        for row in std::iter::once(&whole.total).chain(whole.by_cohort.values()).chain(whole.by_tier.values()) {
            let lhs = row.start_mrr.amount() + row.expansion.amount() - row.contraction.amount() - row.churn.amount();
            prop_assert_eq!(lhs, row.end_mrr.amount());
            prop_assert!(row.grr.is_none_or(|g| g <= dec!(1)));
            prop_assert!(row.churned <= row.customers);
        }
        let cohort_customers: u64 = whole.by_cohort.values().map(|r| r.customers).sum();
        let tier_customers: u64 = whole.by_tier.values().map(|r| r.customers).sum();
        prop_assert_eq!((cohort_customers, tier_customers), (whole.total.customers, whole.total.customers));
    }
}
