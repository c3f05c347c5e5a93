use super::*;
use crate::ErrorKind;
use crate::icp::Icp;
use rust_decimal_macros::dec;

fn account(id: &str) -> Account {
    Account::new(AccountId::new(id).unwrap())
}

fn sample(i: usize) -> Account {
    let mut p = Account {
        industry: Some(format!("industry_{}", i % 40)),
        technologies: (!i.is_multiple_of(5)).then(|| (0..i % 90).step_by(7).map(|t| format!("tech_{t}")).collect()),
        employees: Some(u32::try_from(i).unwrap()),
        ..account(&format!("a{i}"))
    };
    if i > 50 {
        p.attributes.insert("late".into(), AttributeValue::Text(format!("v{}", i % 30)));
    }
    if i.is_multiple_of(3) {
        p.attributes.insert("n".into(), AttributeValue::Number(Decimal::from(i)));
    }
    p
}

#[test]
fn large_vocabularies_and_late_columns_score_like_rows() {
    let icp = Icp::builder("b")
        .points("ind", Condition::industry_in(["industry_3", "industry_39", "industry_20"]), 5)
        .points("tech", Condition::technology_any(["tech_84", "tech_7"]), 3)
        .points("no_tech", Condition::technology_none(["tech_0"]), 3)
        .points("late", Condition::text_in("late", ["v1", "v29", "v17"]), 2)
        .points("n", Condition::number("n", Some(dec!(30)), Some(dec!(90))), 1)
        .points("absent", Condition::flag("never_seen", true), 1)
        .points("size", Condition::employees(10..=60), 1)
        .build()
        .unwrap();
    let rows: Vec<Account> = (0..2_500).map(sample).collect();
    let batch: AccountBatch = rows.iter().collect();
    assert_eq!(batch.len(), 2_500);
    assert!(!batch.is_empty() && AccountBatch::new().is_empty());
    let expected: Vec<_> = rows.iter().map(|p| icp.score(p).unwrap()).collect();
    assert_eq!(icp.score_batch(&batch).unwrap(), expected);
    assert!(expected.iter().any(|f| f.matched.contains(3)));
    assert!(expected.iter().any(|f| f.matched.contains(0)));
}

#[test]
fn batch_errors_equal_row_errors() {
    let icp = Icp::builder("b").points("n", Condition::number("n", Some(dec!(1)), None), 1).build().unwrap();
    let mut bad = account("bad");
    bad.attributes.insert("n".into(), AttributeValue::Flag(true));
    let batch: AccountBatch = [account("fine"), bad.clone()].iter().collect();
    assert_eq!(icp.score_batch(&batch).unwrap_err(), icp.score(&bad).unwrap_err());
    // Rows before the bad one are handed out, across chunk boundaries too.
    let mut rows = vec![account("fine"); 1_500];
    rows.push(bad.clone());
    rows.push(account("after"));
    let batch: AccountBatch = rows.iter().collect();
    let mut seen = 0;
    assert!(icp.score_batch_with(&batch, |_| seen += 1).is_err());
    assert_eq!(seen, 1_500);
    let usd = Icp::builder("r")
        .points("r", Condition::annual_revenue(Some(Money::zero(Currency::USD)), None), 1)
        .build()
        .unwrap();
    let eur = Account { annual_revenue: Some(Money::zero(Currency::EUR)), ..account("eur") };
    let batch: AccountBatch = [&eur].into_iter().collect();
    assert_eq!(usd.score_batch(&batch).unwrap_err(), usd.score(&eur).unwrap_err());
}

/// Issue 11 item 1: an error about an account's data names the account, in a batch the
/// account of the failing row (past the first chunk too), not its neighbours.
#[test]
fn batch_errors_name_the_failing_rows_account() {
    let icp = Icp::builder("b")
        .points("n", Condition::number("n", Some(dec!(1)), None), 1)
        .points("r", Condition::annual_revenue(Some(Money::zero(Currency::USD)), None), 1)
        .build()
        .unwrap();
    let mut rows: Vec<Account> = (0..1_100).map(|i| account(&format!("ok-{i}"))).collect();
    let mut bad = account("acct-1100");
    bad.attributes.insert("n".into(), AttributeValue::Text("many".into()));
    rows.push(bad);
    let batch: AccountBatch = rows.iter().collect();
    assert_eq!(
        icp.score_batch(&batch).unwrap_err().to_string(),
        "account `acct-1100`: attribute \"n\" is text, but icp criterion `n` expects number"
    );
    let eur = Account { annual_revenue: Some(Money::zero(Currency::EUR)), ..account("acct-eur") };
    let batch: AccountBatch = [account("first"), eur].iter().collect();
    assert_eq!(
        icp.score_batch(&batch).unwrap_err(),
        ErrorKind::IcpRevenueCurrency {
            account: AccountId::new("acct-eur").unwrap(),
            criterion: "r".into(),
            expected: Currency::USD,
            found: Currency::EUR,
        }
    );
}
