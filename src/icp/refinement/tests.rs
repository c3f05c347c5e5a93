use super::*;
use crate::facts::{Account, Deal, Reason};
use crate::icp::{Condition, FitScore};
use crate::{AccountId, OpportunityId, Probability};
use chrono::{DateTime, TimeZone, Utc};
use rust_decimal_macros::dec;

fn icp() -> Icp {
    Icp::builder("t")
        .points("software", Condition::industry_in(["software"]), 60)
        .points("big", Condition::employees_at_least(100), 40)
        .build()
        .unwrap()
}

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap() + chrono::TimeDelta::try_days(i64::from(day)).unwrap()
}

/// The three kinds of deal status the tests build.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Open,
    Won,
    Lost,
}

fn deal(kind: Kind, days: u32, dollars: i64) -> Deal {
    let status = match kind {
        Kind::Open => DealStatus::Open { probability: Probability::ZERO },
        Kind::Won => DealStatus::Won,
        Kind::Lost => DealStatus::lost(Reason::Price),
    };
    Deal::new(OpportunityId::new("o1").unwrap(), at(0), Money::from_minor(dollars * 100, Currency::USD), status)
        .closed_at((kind != Kind::Open).then(|| at(days)))
}

fn account(industry: &str, employees: u32) -> Account {
    Account {
        industry: Some(industry.into()),
        employees: Some(employees),
        ..Account::new(AccountId::new("acme").unwrap())
    }
}

/// The outcomes of account `acme` scored `fit`, with `deals`.
fn outcomes(fit: impl Into<ScoredAccount>, deals: &[Deal]) -> AccountOutcomes {
    AccountOutcomes { account: AccountId::new("acme").unwrap(), score: fit.into(), deals: deals.to_vec() }
}

/// Pushes one account's outcomes.
fn push(r: &mut Refinement, fit: impl Into<ScoredAccount>, deals: &[Deal]) -> Result<(), Error> {
    r.push(&outcomes(fit, deals))
}

#[test]
fn tiers_criteria_and_lift() {
    let icp = icp();
    let mut r = Refinement::new(&icp, Currency::USD, 2);
    let a = icp.score(&account("software", 500)).unwrap(); // 100 -> A
    let d = icp.score(&account("retail", 5)).unwrap(); // 0 -> D
    push(&mut r, a, &[deal(Kind::Won, 30, 1000), deal(Kind::Won, 60, 2001)]).unwrap();
    push(&mut r, a, &[deal(Kind::Lost, 10, 500), deal(Kind::Open, 0, 100)]).unwrap();
    push(&mut r, d, &[deal(Kind::Lost, 10, 100), deal(Kind::Won, 90, 300)]).unwrap();
    push(&mut r, d, &[]).unwrap();
    let rep = r.finish();
    assert_eq!(rep.overall.accounts, 4);
    assert_eq!(rep.overall.opportunity_rate, Ratio::new(3, 4));
    assert_eq!(rep.overall.win_rate, Ratio::new(3, 5));
    let a = &rep.tiers[0];
    assert_eq!((a.tier.as_str(), a.ranked), ("A", true));
    assert_eq!(a.outcomes.win_rate, Ratio::new(2, 3));
    assert_eq!(a.outcomes.open, 1);
    assert_eq!(a.outcomes.average_deal_size, Some(Money::new(dec!(1500.50), Currency::USD)));
    assert_eq!(a.outcomes.average_cycle_days, Some(dec!(45.0)));
    assert_eq!(a.outcomes.win_rate_lift, Some(dec!(1.11))); // (2/3) / (3/5)
    assert_eq!(a.outcomes.opportunity_rate_lift, Some(dec!(1.33))); // 1 / 0.75
    // Exactly: (2/3) / (3/5) = 2 x 5 / (3 x 3) = 10/9; (2/2) / (3/4) = 2 x 4 / (2 x 3) = 8/6.
    let parts = |r: Option<Ratio<Decimal>>| r.map(|r| (r.numerator(), r.denominator()));
    assert_eq!(parts(a.outcomes.win_rate_lift_exact), Some((dec!(10), dec!(9))));
    assert_eq!(parts(a.outcomes.opportunity_rate_lift_exact), Some((dec!(8), dec!(6))));
    // $3,001 over 2 won; (30 + 60) days x 86,400 s over 2 x 86,400 s.
    assert_eq!(parts(a.outcomes.average_deal_size_exact), Some((dec!(3001), dec!(2))));
    assert_eq!(parts(a.outcomes.average_cycle_days_exact), Some((dec!(7776000), dec!(172800))));
    assert_eq!(rep.overall.win_rate_lift_exact, None);
    // Tier B has no account: every quotient undefined, exact and rounded alike.
    let b = &rep.tiers[1].outcomes;
    assert_eq!((b.win_rate_lift_exact, b.average_deal_size_exact, b.average_cycle_days_exact), (None, None, None));
    assert_eq!((b.win_rate_lift, b.opportunity_rate_lift_exact), (None, None));
    assert!(!rep.tiers[1].ranked && !rep.tiers[2].ranked);
    assert_eq!(rep.tiers[3].outcomes.win_rate, Ratio::new(1, 2));
    assert!(rep.monotonic);
    let software = &rep.criteria[0];
    assert_eq!(software.matched.win_rate, Ratio::new(2, 3));
    assert_eq!(software.not_matched.win_rate, Ratio::new(1, 2));
    assert_eq!(software.not_matched.accounts, 2);
    assert_eq!(rep.overall.win_rate_lift, None);
}

#[test]
fn inversions_and_sample_flags() {
    let icp = icp();
    let mut r = Refinement::new(&icp, Currency::USD, 1);
    let a = icp.score(&account("software", 500)).unwrap();
    let d = icp.score(&account("retail", 5)).unwrap();
    push(&mut r, a, &[deal(Kind::Lost, 10, 1)]).unwrap();
    push(&mut r, d, &[deal(Kind::Won, 10, 1)]).unwrap();
    let rep = r.finish();
    assert!(!rep.monotonic);
    assert_eq!(rep.inversions, vec![TierInversion { better: "A".into(), worse: "D".into() }]);
    let mut strict = Refinement::new(&icp, Currency::USD, 5);
    strict.merge(&Refinement::new(&icp, Currency::USD, 5)).unwrap();
    push(&mut strict, a, &[deal(Kind::Lost, 10, 1)]).unwrap();
    push(&mut strict, d, &[deal(Kind::Won, 10, 1)]).unwrap();
    assert!(strict.finish().monotonic); // nothing is ranked with a sample of 1
}

#[test]
fn bad_input_changes_nothing() {
    let icp = icp();
    let mut r = Refinement::new(&icp, Currency::USD, 1);
    let a = icp.score(&account("software", 500)).unwrap();
    let before = r.clone();
    let eur = Deal { amount: Money::from_minor(1, Currency::EUR), ..deal(Kind::Won, 1, 1) };
    assert_eq!(
        push(&mut r, a, &[deal(Kind::Won, 1, 1), eur]).unwrap_err(),
        ErrorKind::MixedCurrency { expected: Currency::USD, found: Currency::EUR }
    );
    let backwards = deal(Kind::Lost, 1, 1).closed_at(Some(at(0) - chrono::TimeDelta::try_days(1).unwrap()));
    assert_eq!(
        push(&mut r, a, &[backwards]).unwrap_err().to_string(),
        "deal `o1`: closes at 2023-12-31 00:00:00 UTC before it was created at 2024-01-01 00:00:00 UTC"
    );
    let unclosed = deal(Kind::Won, 1, 1).closed_at(None);
    assert_eq!(
        push(&mut r, a, &[unclosed]).unwrap_err().to_string(),
        "deal `o1`: inconsistent record: a won or lost deal needs closed_at"
    );
    let open_but_closed = deal(Kind::Open, 1, 1).closed_at(Some(at(1)));
    assert!(matches!(
        push(&mut r, a, &[open_but_closed]).as_ref().map_err(crate::error::Error::kind),
        Err(ErrorKind::InconsistentRecord { .. })
    ));
    assert!(matches!(
        push(&mut r, a, &[deal(Kind::Won, 1, -1)]).as_ref().map_err(crate::error::Error::kind),
        Err(ErrorKind::Negative { field: "amount", .. })
    ));
    assert_eq!(r, before);
    let mut bad_tier = a;
    bad_tier.tier = Some(9);
    assert_eq!(push(&mut r, bad_tier, &[]).unwrap_err().to_string(), "icp refinement expects 4 tiers, found 10");
    let other = Icp::builder("o").points("x", Condition::industry_in(["x"]), 1).build().unwrap();
    assert_eq!(
        r.merge(&Refinement::new(&other, Currency::USD, 1)).unwrap_err(),
        ErrorKind::DefinitionMismatch { tally: "icp refinement", field: "icp" }
    );
    let mut too_many = a;
    too_many.matched = crate::icp::CriteriaSet::from_indices([5]).unwrap();
    assert_eq!(
        push(&mut r, too_many, &[]).unwrap_err(),
        ErrorKind::RefinementShapeMismatch { what: "criteria", expected: 2, found: 6 }
    );
    assert_eq!(
        r.merge(&Refinement::new(&icp, Currency::EUR, 1)).unwrap_err(),
        ErrorKind::DefinitionMismatch { tally: "icp refinement", field: "currency" }
    );
}

#[test]
fn stored_scores_feed_refinement_like_fresh_ones() {
    let icp = icp();
    let fit = icp.score(&account("software", 5)).unwrap();
    let mut fresh = Refinement::new(&icp, Currency::USD, 1);
    push(&mut fresh, fit, &[deal(Kind::Won, 3, 10)]).unwrap();
    let stored = ScoredAccount { tier: fit.tier, matched: crate::icp::CriteriaSet::from_indices([0]).unwrap() };
    let mut replayed = Refinement::new(&icp, Currency::USD, 1);
    push(&mut replayed, stored, &[deal(Kind::Won, 3, 10)]).unwrap();
    assert_eq!(fresh, replayed);
    assert_eq!(ScoredAccount::from(&fit), stored);
}

/// Issue 12 item 5: a stored score with tier `usize::MAX` panicked on `tier + 1`.
#[test]
fn a_huge_stored_tier_is_an_error_not_a_panic() {
    let icp = icp();
    let mut r = Refinement::new(&icp, Currency::USD, 1);
    let before = r.clone();
    let stored = ScoredAccount { tier: Some(usize::MAX), matched: crate::icp::CriteriaSet::EMPTY };
    assert_eq!(
        push(&mut r, stored, &[]).unwrap_err(),
        ErrorKind::RefinementShapeMismatch { what: "tiers", expected: 4, found: usize::MAX }
    );
    assert_eq!(r, before);
    #[cfg(feature = "serde")]
    {
        let json = format!(r#"{{"tier":{},"matched":[]}}"#, u64::MAX);
        let stored: ScoredAccount = serde_json::from_str(&json).unwrap();
        assert!(matches!(
            push(&mut r, stored, &[]).as_ref().map_err(crate::error::Error::kind),
            Err(ErrorKind::RefinementShapeMismatch { .. })
        ));
    }
}

/// Issue 11 item 3: merging refinements of different definitions is an error naming the part.
#[test]
fn merge_compares_the_whole_definition() {
    use crate::Tally;
    let icp = icp();
    let stricter = Icp::builder("t")
        .points("software", Condition::industry_in(["software"]), 50)
        .points("big", Condition::employees_at_least(100), 50)
        .build()
        .unwrap();
    let mut r = Refinement::new(&icp, Currency::USD, 1);
    // Same tier and criterion names, other points: a different ICP.
    assert_eq!(
        Tally::merge(&mut r, Refinement::new(&stricter, Currency::USD, 1)).unwrap_err(),
        ErrorKind::DefinitionMismatch { tally: "icp refinement", field: "icp" }
    );
    assert_eq!(
        Tally::merge(&mut r, Refinement::new(&icp, Currency::USD, 2)).unwrap_err(),
        ErrorKind::DefinitionMismatch { tally: "icp refinement", field: "min_closed_deals" }
    );
    let fact = outcomes(icp.score(&account("software", 5)).unwrap(), &[deal(Kind::Won, 3, 10)]);
    Tally::push(&mut r, &fact).unwrap();
    let mut direct = Refinement::new(&icp, Currency::USD, 1);
    direct.push(&fact).unwrap();
    assert_eq!(Tally::finish(r).unwrap(), Refinement::finish(&direct));
}

/// Issue 11 item 1: refinement reads `facts::Deal`; errors about a deal name it, a deal of
/// another account is refused, and a failed push changes nothing.
#[test]
fn deal_errors_name_the_deal_and_the_account() {
    let icp = icp();
    let mut r = Refinement::new(&icp, Currency::USD, 1);
    let before = r.clone();
    let fit = icp.score(&account("software", 500)).unwrap();
    let theirs = deal(Kind::Won, 3, 10).account(Some(AccountId::new("globex").unwrap()));
    assert_eq!(
        push(&mut r, fit, &[deal(Kind::Won, 3, 10), theirs]).unwrap_err().to_string(),
        "deal `o1` belongs to account `globex`, not to account `acme` whose outcomes it was given with"
    );
    assert_eq!(r, before);
    let ours = deal(Kind::Won, 3, 10).account(Some(AccountId::new("acme").unwrap()));
    push(&mut r, fit, &[ours]).unwrap();
    assert_eq!(r.finish().overall.won, 1);
}

/// `AccountOutcomes::from_facts` picks the account's deals out of a shared list, in order.
#[test]
fn outcomes_from_facts_pick_the_accounts_deals() {
    let icp = icp();
    let acme = account("software", 500);
    let of = |id: &str, account: Option<&str>| {
        Deal { id: OpportunityId::new(id).unwrap(), ..deal(Kind::Lost, 2, 5) }
            .account(account.map(|a| AccountId::new(a).unwrap()))
    };
    let deals = [of("o1", Some("acme")), of("o2", Some("globex")), of("o3", None), of("o4", Some("acme"))];
    let fit: FitScore = icp.score(&acme).unwrap();
    let o = AccountOutcomes::from_facts(&acme, fit, &deals);
    assert_eq!(o.account, acme.id);
    assert_eq!(o.score, ScoredAccount::from(&fit));
    assert_eq!(o.deals.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), ["o1", "o4"]);
    let mut r = Refinement::new(&icp, Currency::USD, 1);
    r.push(&o).unwrap();
    assert_eq!((r.finish().overall.opportunities, r.finish().overall.lost), (2, 2));
}

#[cfg(feature = "serde")]
#[test]
fn deserialized_state_is_validated() {
    let icp = icp();
    let mut r = Refinement::new(&icp, Currency::USD, 1);
    push(&mut r, icp.score(&account("software", 500)).unwrap(), &[deal(Kind::Won, 3, 10)]).unwrap();
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(serde_json::from_value::<Refinement>(json.clone()).unwrap(), r);
    let tamper = |path: &[&str], value: serde_json::Value| {
        let mut j = json.clone();
        let mut slot = &mut j;
        for key in path {
            slot = match key.parse::<usize>() {
                Ok(i) => &mut slot[i],
                Err(_) => &mut slot[*key],
            };
        }
        *slot = value;
        serde_json::from_value::<Refinement>(j).unwrap_err().to_string()
    };
    let err = tamper(&["overall", "won"], serde_json::json!(0));
    assert!(err.contains("invalid icp refinement state \"overall\": a won amount or cycle without won deals"), "{err}");
    let err = tamper(&["by_tier", "0", "accounts"], serde_json::json!(2));
    assert!(err.contains("is not the sum of the tiers' tallies"), "{err}");
    let err = tamper(&["matched", "0", "accounts"], serde_json::json!(7));
    assert!(err.contains("criterion software"), "{err}");
    let err = tamper(&["overall", "lost"], serde_json::json!(u64::MAX));
    assert!(err.contains("more closed deals than a count holds"), "{err}");
    let err = tamper(&["by_tier"], serde_json::json!([]));
    assert!(err.contains("icp refinement expects 4 tiers, found 0"), "{err}");
    let err = tamper(&["overall", "won_amount"], serde_json::json!("10.0000000000000000000000000001"));
    assert!(err.starts_with("invalid decimal"), "{err}");
}

#[cfg(feature = "serde")]
mod split_serialize_merge {
    use super::*;
    use crate::Tally;
    use proptest::prelude::*;

    fn fact() -> impl Strategy<Value = (bool, u32, Vec<(u8, u32, i64)>, usize)> {
        (any::<bool>(), 0u32..1_000, proptest::collection::vec((0u8..3, 0u32..400, 0i64..100_000), 0..3), 0usize..4)
    }

    /// Merges `parts` in the tree order `order` picks: each step merges two neighbours.
    fn merge_tree(mut parts: Vec<Refinement>, order: &[usize]) -> Refinement {
        let mut k = 0;
        while parts.len() > 1 {
            let i = order.get(k).copied().unwrap_or(0) % (parts.len() - 1);
            k += 1;
            let right = parts.remove(i + 1);
            Tally::merge(&mut parts[i], right).unwrap();
        }
        parts.pop().unwrap()
    }

    proptest! {
        /// Split the facts randomly, serialize each part's state to JSON, read it back, merge
        /// in a random tree order: the same report as one pass.
        #[test]
        fn parts_through_json_merge_to_one_pass(rows in proptest::collection::vec(fact(), 0..40), order in proptest::collection::vec(0usize..8, 0..8)) {
            let icp = icp();
            let mut whole = Refinement::new(&icp, Currency::USD, 1);
            let mut parts = vec![Refinement::new(&icp, Currency::USD, 1); 4];
            for (software, employees, deals, part) in &rows {
                let profile = account(if *software { "software" } else { "retail" }, *employees);
                let deals: Vec<Deal> = deals
                    .iter()
                    .map(|&(status, days, cents)| {
                        let status = [Kind::Open, Kind::Won, Kind::Lost][usize::from(status)];
                        Deal { amount: Money::from_minor(cents, Currency::USD), ..deal(status, days, 0) }
                    })
                    .collect();
                let fact = outcomes(icp.score(&profile).unwrap(), &deals);
                Tally::push(&mut whole, &fact).unwrap();
                Tally::push(&mut parts[*part], &fact).unwrap();
            }
            let parts: Vec<Refinement> = parts
                .iter()
                .map(|p| serde_json::from_str(&serde_json::to_string(p).unwrap()).unwrap())
                .collect();
            let merged = merge_tree(parts, &order);
            prop_assert_eq!(&merged, &whole);
            prop_assert_eq!(Tally::finish(merged).unwrap(), Tally::finish(whole).unwrap());
        }
    }
}

#[test]
fn ungraded_accounts_count_overall_and_per_criterion_in_no_tier() {
    // Grades from 60 up: software alone (60) is `good`, both (100) `best`, retail (0) ungraded.
    let graded = Icp::builder("t")
        .points("software", Condition::industry_in(["software"]), 60)
        .points("big", Condition::employees_at_least(100), 40)
        .tiers(crate::icp::Tiers::new([("best", dec!(100)), ("good", dec!(60))]).unwrap())
        .build()
        .unwrap();
    let best = graded.score(&account("software", 500)).unwrap();
    let good = graded.score(&account("software", 5)).unwrap();
    let none = graded.score(&account("retail", 500)).unwrap(); // 40 points: below 60
    assert_eq!((best.tier, good.tier, none.tier), (Some(0), Some(1), None));
    assert_eq!(graded.tiers().name(none.tier), None);
    assert_eq!(none.explain(&graded).tier, None);
    assert!(none.explain(&graded).to_string().starts_with("t: score 40.00 (ungraded), 40/100 points"));
    let mut r = Refinement::new(&graded, Currency::USD, 1);
    push(&mut r, best, &[deal(Kind::Won, 10, 100)]).unwrap();
    push(&mut r, good, &[deal(Kind::Lost, 10, 100)]).unwrap();
    push(&mut r, none, &[deal(Kind::Won, 10, 100)]).unwrap();
    let rep = r.finish();
    // By hand: 3 accounts overall, 2 won of 3 closed; one account per tier; `big` matched by
    // `best` (won) and the ungraded one (won): 2 of 2.
    assert_eq!((rep.overall.accounts, rep.overall.win_rate), (3, Ratio::new(2, 3)));
    let per_tier: Vec<(&str, u64)> = rep.tiers.iter().map(|t| (t.tier.as_str(), t.outcomes.accounts)).collect();
    assert_eq!(per_tier, [("best", 1), ("good", 1)]);
    let big = rep.criteria.iter().find(|c| c.criterion == "big").unwrap();
    assert_eq!((big.matched.accounts, big.matched.win_rate), (2, Ratio::new(2, 2)));
}
