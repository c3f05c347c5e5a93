//! ICP laws: deterministic scoring equal on rows and batches, disqualifiers always win, a
//! matched weighted criterion never lowers the score, inclusive tier bounds, serde round-trips,
//! deserialize errors equal constructor errors, refinement merges in any order.

use proptest::prelude::*;
use revops::facts::{Account, BuyingRole, Contact, Deal, DealStatus, Reason};
use revops::icp::{
    AccountBatch, AccountOutcomes, BuyingGroup, Condition, Criterion, Effect, Icp, Refinement, Tiers, UnknownPolicy,
};
use revops::testkit::icp::{account, sample_buying_group, sample_icp};
use revops::testkit::{Company, INDUSTRIES, TECHNOLOGIES};
use revops::{ContactId, Currency, Money, OpportunityId, Probability, Ratio};
use rust_decimal::Decimal;

fn names(values: &'static [&'static str]) -> impl Strategy<Value = Vec<String>> {
    proptest::sample::subsequence(values, 1..=values.len().min(3))
        .prop_map(|v| v.into_iter().map(str::to_owned).collect())
}

/// Valid conditions over the testkit vocabularies.
fn condition() -> impl Strategy<Value = Condition> {
    prop_oneof![
        names(&INDUSTRIES).prop_map(Condition::industry_in),
        (0u32..1_000, 0u32..20_000).prop_map(|(a, b)| Condition::employees(a.min(b)..=a.max(b))),
        (0i64..50_000_000)
            .prop_map(|d| Condition::annual_revenue(Some(Money::from_minor(d * 100, Currency::USD)), None)),
        names(&["US", "GB", "DE", "JP"]).prop_map(Condition::country_in),
        names(&["north_america", "europe", "apac"]).prop_map(Condition::region_in),
        names(&TECHNOLOGIES).prop_map(Condition::technology_any),
        names(&TECHNOLOGIES).prop_map(Condition::technology_none),
        (0i64..10).prop_map(|n| Condition::number("contacts", Some(Decimal::from(n)), None)),
        any::<bool>().prop_map(|f| Condition::flag("score", f)),
        names(&["Inc", "GmbH"]).prop_map(|v| Condition::text_in("legacy", v)),
    ]
}

fn effect() -> impl Strategy<Value = Effect> {
    prop_oneof![6 => (1i64..100).prop_map(Effect::Points), 1 => Just(Effect::MustHave), 1 => Just(Effect::Disqualifier)]
}

fn tiers() -> impl Strategy<Value = Tiers> {
    prop_oneof![Just(Tiers::letters()), Just(Tiers::madkudu()), Just(Tiers::sixsense())]
}

fn policy() -> impl Strategy<Value = UnknownPolicy> {
    prop_oneof![Just(UnknownPolicy::CountsAsMiss), Just(UnknownPolicy::Excluded)]
}

/// A valid ICP of 1 to 15 criteria (the first one weighted).
fn icp() -> impl Strategy<Value = Icp> {
    (condition(), 1i64..100, proptest::collection::vec((condition(), effect()), 0..15), tiers(), policy()).prop_map(
        |(first, points, rest, tiers, policy)| {
            let mut b = Icp::builder("generated").points("c0", first, points).tiers(tiers).unknown(policy);
            for (i, (c, e)) in rest.into_iter().enumerate() {
                b = b.criterion(Criterion::new(format!("c{}", i + 1), c, e));
            }
            b.build().unwrap()
        },
    )
}

/// Profiles whose attributes have the types the generated criteria read (`contacts` a
/// number, `score` a flag, `legacy` text), so scoring never fails on a type mismatch.
fn typed_profile() -> impl Strategy<Value = Account> {
    use revops::facts::AttributeValue;
    account().prop_map(|mut p| {
        p.attributes.retain(|k, v| {
            matches!(
                (k.as_str(), &*v),
                ("contacts", AttributeValue::Number(_))
                    | ("score", AttributeValue::Flag(_))
                    | ("legacy", AttributeValue::Text(_))
            )
        });
        p
    })
}

/// A criterion that matches `p` for sure, if `p` has an industry or a headcount.
fn matching_condition(p: &Account) -> Option<Condition> {
    if let Some(i) = &p.industry {
        return Some(Condition::industry_in([i.clone()]));
    }
    p.employees.map(|e| Condition::employees(e..=e))
}

proptest! {
    #[test]
    fn scoring_is_deterministic_and_batches_agree(icp in icp(), profiles in proptest::collection::vec(typed_profile(), 0..20)) {
        let rows: Vec<_> = profiles.iter().map(|p| icp.score(p).unwrap()).collect();
        let again: Vec<_> = profiles.iter().map(|p| icp.score(p).unwrap()).collect();
        prop_assert_eq!(&rows, &again);
        let batch: AccountBatch = profiles.iter().collect();
        prop_assert_eq!(batch.len(), profiles.len());
        prop_assert_eq!(&icp.score_batch(&batch).unwrap(), &rows);
        for fit in &rows {
            prop_assert!(fit.score >= Decimal::ZERO && fit.score <= Decimal::ONE_HUNDRED);
            prop_assert!(fit.points <= fit.max_points || fit.max_points == 0);
            prop_assert_eq!(fit.matched.len() + fit.missed.len() + fit.unknown.len(), icp.criteria().len());
            prop_assert_eq!(icp.tiers().tier_of(fit.score), fit.tier);
        }
    }

    #[test]
    fn a_disqualifier_always_wins(icp in icp(), p in typed_profile()) {
        let Some(condition) = matching_condition(&p) else { return Ok(()) };
        let mut criteria = icp.criteria().to_vec();
        criteria.push(Criterion::new("negative_icp", condition, Effect::Disqualifier));
        let mut b = Icp::builder("with disqualifier").tiers(icp.tiers().clone()).unknown(icp.unknown_policy());
        for c in criteria {
            b = b.criterion(c);
        }
        let icp = b.build().unwrap();
        let fit = icp.score(&p).unwrap();
        prop_assert!(fit.disqualified_by.is_some());
        prop_assert_eq!(fit.score, Decimal::ZERO);
        prop_assert_eq!(fit.tier, Some(icp.tiers().lowest()));
        prop_assert!(!fit.is_qualified());
    }

    #[test]
    fn a_matched_weighted_criterion_never_lowers_the_score(icp in icp(), p in typed_profile(), points in 1i64..1_000) {
        let Some(condition) = matching_condition(&p) else { return Ok(()) };
        let before = icp.score(&p).unwrap();
        let mut b = Icp::builder("more").tiers(icp.tiers().clone()).unknown(icp.unknown_policy());
        for c in icp.criteria() {
            b = b.criterion(c.clone());
        }
        let more = b.points("extra", condition, points).build().unwrap();
        let after = more.score(&p).unwrap();
        prop_assert!(after.score >= before.score, "{} -> {}", before.score, after.score);
        prop_assert!(after.tier <= before.tier);
        prop_assert_eq!(after.points, before.points + u64::try_from(points).unwrap());
    }

    #[test]
    fn tier_bounds_are_inclusive(cuts in proptest::collection::btree_set(1u32..10_000, 1..5), from_zero in any::<bool>()) {
        // Thresholds in hundredths, strictly decreasing; the last tier from 0, or (ungraded
        // below it) from the smallest cut.
        let mut thresholds: Vec<Decimal> = cuts.iter().rev().map(|&c| Decimal::new(i64::from(c), 2)).collect();
        if from_zero {
            thresholds.push(Decimal::ZERO);
        }
        let tiers = Tiers::new(thresholds.iter().enumerate().map(|(i, &t)| (format!("t{i}"), t))).unwrap();
        prop_assert_eq!(tiers.grades_every_score(), from_zero);
        for (i, &t) in thresholds.iter().enumerate() {
            prop_assert_eq!(tiers.tier_of(t), Some(i));
            if t > Decimal::ZERO {
                // Just below a threshold: the next tier, or ungraded below the last one.
                let below = (i + 1 < thresholds.len()).then_some(i + 1);
                prop_assert_eq!(tiers.tier_of(t - Decimal::new(1, 2)), below);
            }
        }
        prop_assert_eq!(tiers.tier_of(Decimal::ZERO).is_some(), from_zero);
        let back: Tiers = serde_json::from_str(&serde_json::to_string(&tiers).unwrap()).unwrap();
        prop_assert_eq!(back, tiers);
    }

    #[test]
    fn serde_round_trips(icp in icp(), p in account()) {
        let json = serde_json::to_string(&icp).unwrap();
        prop_assert_eq!(&serde_json::from_str::<Icp>(&json).unwrap(), &icp);
        let json = serde_json::to_string(&p).unwrap();
        prop_assert_eq!(&serde_json::from_str::<Account>(&json).unwrap(), &p);
        if let Ok(fit) = icp.score(&p) {
            let json = serde_json::to_string(&fit).unwrap();
            prop_assert_eq!(serde_json::from_str::<revops::icp::FitScore>(&json).unwrap(), fit);
            let explanation = fit.explain(&icp);
            let json = serde_json::to_string(&explanation).unwrap();
            prop_assert_eq!(serde_json::from_str::<revops::icp::Explanation>(&json).unwrap(), explanation);
        }
    }

    #[test]
    fn deserialize_errors_equal_constructor_errors(
        criteria in proptest::collection::vec((condition_maybe_bad(), effect_maybe_bad(), 0usize..3), 0..6),
        thresholds in proptest::collection::vec(-10i64..120, 1..4),
    ) {
        let criteria: Vec<Criterion> =
            criteria.into_iter().map(|(c, e, n)| Criterion::new(format!("c{n}"), c, e)).collect();
        let tiers: Vec<(String, Decimal)> =
            thresholds.iter().enumerate().map(|(i, &t)| (format!("t{i}"), Decimal::from(t))).collect();
        let tier_json: Vec<_> = tiers.iter().map(|(n, t)| serde_json::json!({"name": n, "min_score": format!("{t}/100")})).collect();
        let built_tiers = Tiers::new(tiers.clone());
        let from_json_tiers = serde_json::from_value::<Tiers>(serde_json::Value::Array(tier_json));
        match (&built_tiers, &from_json_tiers) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
            (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
            _ => prop_assert!(false, "tiers: {:?} vs {:?}", built_tiers, from_json_tiers),
        }
        let mut b = Icp::builder("p");
        for c in &criteria {
            b = b.criterion(c.clone());
        }
        let built = b.build();
        let json = serde_json::json!({ "name": "p", "criteria": criteria.iter().map(|c| serde_json::to_value(c).unwrap()).collect::<Vec<_>>() });
        let decoded = serde_json::from_value::<Icp>(json);
        match (&built, &decoded) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
            (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
            _ => prop_assert!(false, "icp: {:?} vs {:?}", built, decoded),
        }
    }

    #[test]
    fn refinement_merge_is_associative_and_commutative(
        rows in proptest::collection::vec((typed_profile(), proptest::collection::vec(deal(), 0..3), 0usize..3), 0..30),
    ) {
        let icp = sample_icp();
        let mut parts = [
            Refinement::new(&icp, Currency::USD, 2),
            Refinement::new(&icp, Currency::USD, 2),
            Refinement::new(&icp, Currency::USD, 2),
        ];
        let mut whole = Refinement::new(&icp, Currency::USD, 2);
        for (p, deals, part) in &rows {
            let Ok(fit) = icp.score(p) else { continue };
            let outcomes = AccountOutcomes { account: p.id.clone(), score: fit.into(), deals: deals.clone() };
            whole.push(&outcomes).unwrap();
            parts[*part].push(&outcomes).unwrap();
        }
        let [a, b, c] = parts;
        let mut ab_c = a.clone();
        ab_c.merge(&b).unwrap();
        ab_c.merge(&c).unwrap();
        let mut bc = b.clone();
        bc.merge(&c).unwrap();
        let mut a_bc = a.clone();
        a_bc.merge(&bc).unwrap();
        let mut cba = c.clone();
        cba.merge(&b).unwrap();
        cba.merge(&a).unwrap();
        prop_assert_eq!(&ab_c, &a_bc);
        prop_assert_eq!(&ab_c, &cba);
        prop_assert_eq!(ab_c.finish(), whole.finish());
    }

    #[test]
    fn coverage_accounts_for_every_required_role(
        required in proptest::collection::btree_map(role(), 1u32..3, 0..6),
        members in proptest::collection::vec((0u8..6, proptest::collection::btree_set(role(), 0..4)), 0..8),
    ) {
        let group = BuyingGroup::new(required.clone()).unwrap();
        let members: Vec<Contact> = members
            .into_iter()
            .map(|(c, roles)| Contact { roles, ..Contact::new(ContactId::new(format!("c{c}")).unwrap()) })
            .collect();
        let cov = group.coverage(&members);
        prop_assert_eq!(cov.covered.len() + cov.missing.len(), required.len());
        prop_assert_eq!(cov.ratio, Ratio::new(cov.covered.len() as u64, required.len() as u64));
        prop_assert!(cov.seats.numerator() <= cov.seats.denominator());
        let mut reversed = members.clone();
        reversed.reverse();
        prop_assert_eq!(group.coverage(&reversed), cov);
    }
}

fn role() -> impl Strategy<Value = BuyingRole> {
    proptest::sample::select(&BuyingRole::ALL[..])
}

fn deal() -> impl Strategy<Value = Deal> {
    use chrono::{TimeZone, Utc};
    (0i64..300, 0i64..200, 0u8..3, 0i64..500_000, 0u32..1_000).prop_map(|(start, length, status, dollars, id)| {
        let created_at =
            Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap() + chrono::TimeDelta::try_days(start).unwrap();
        let status =
            [DealStatus::Open { probability: Probability::ZERO }, DealStatus::Won, DealStatus::lost(Reason::Price)]
                [usize::from(status)]
            .clone();
        let closed_at = status.is_closed().then(|| created_at + chrono::TimeDelta::try_days(length).unwrap());
        let amount = Money::from_minor(dollars * 100, Currency::USD);
        Deal::new(OpportunityId::new(format!("o{id}")).unwrap(), created_at, amount, status).closed_at(closed_at)
    })
}

/// Conditions that are sometimes invalid: empty sets, inverted or open ranges.
fn condition_maybe_bad() -> impl Strategy<Value = Condition> {
    prop_oneof![
        3 => condition(),
        1 => Just(Condition::industry_in(Vec::<String>::new())),
        1 => (0u32..100, 0u32..100).prop_map(|(a, b)| Condition::Employees { min: Some(a), max: Some(b) }),
        1 => Just(Condition::Employees { min: None, max: None }),
        1 => Just(Condition::technology_none(Vec::<String>::new())),
    ]
}

fn effect_maybe_bad() -> impl Strategy<Value = Effect> {
    prop_oneof![3 => effect(), 1 => (-50i64..=0).prop_map(Effect::Points)]
}

#[test]
fn the_sample_icp_finds_the_signal() {
    let company = Company::new(11, 40_000).unwrap();
    let icp = sample_icp();
    let deals = company.opportunities_by_account();
    let mut refinement = Refinement::new(&icp, Currency::USD, 100);
    for account in company.accounts() {
        let fact = account.account_fact();
        let fit = icp.score(&fact).unwrap();
        let deals: Vec<Deal> =
            deals.get(&account.id).into_iter().flatten().map(revops::testkit::SampleOpportunity::fact).collect();
        refinement.push(&AccountOutcomes::from_facts(&fact, fit, &deals)).unwrap();
    }
    let report = refinement.finish();
    let a = &report.tiers[0].outcomes;
    let d = &report.tiers[3].outcomes;
    assert!(a.win_rate.value() > d.win_rate.value(), "A {} D {}", a.win_rate, d.win_rate);
    assert!(a.opportunity_rate.value() > d.opportunity_rate.value());
    assert!(a.win_rate_lift.unwrap() > Decimal::ONE);
    let core = &report.criteria[icp.criterion_index("core_industry").unwrap()];
    assert!(core.matched.win_rate.value() > core.not_matched.win_rate.value());
}

#[test]
fn open_deals_have_partial_buying_groups() {
    let company = Company::sample();
    let group = sample_buying_group();
    let mut seen = 0;
    for account in company.accounts().take(200) {
        let coverage = group.coverage(&account.contact_facts());
        assert_eq!(coverage.covered.len() + coverage.missing.len(), 4);
        seen += coverage.contacts;
    }
    assert!(seen > 200);
}
