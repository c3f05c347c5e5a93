use super::*;
use crate::AccountId;
use crate::facts::AttributeValue;
use crate::icp::{Outcome, Tiers};
use crate::{Currency, Money};
use rust_decimal_macros::dec;

fn icp() -> Icp {
    Icp::builder("saas")
        .points("industry", Condition::industry_in(["software", "fintech"]), 40)
        .points("size", Condition::employees(200..=5_000), 30)
        .points("crm", Condition::technology_any(["salesforce"]), 20)
        .points("seats", Condition::number("seats", Some(dec!(10)), None), 10)
        .must_have("region", Condition::region_in(["europe"]))
        .disqualifier("gov", Condition::industry_in(["government"]))
        .disqualifier("competitor", Condition::flag("competitor", true))
        .build()
        .unwrap()
}

fn unknown() -> Account {
    Account::new(AccountId::new("acme").unwrap())
}

fn fit_account() -> Account {
    Account {
        industry: Some("software".into()),
        employees: Some(300),
        region: Some("europe".into()),
        technologies: Some(["salesforce".to_owned()].into()),
        attributes: [("seats".to_owned(), AttributeValue::Number(dec!(12)))].into(),
        ..unknown()
    }
}

#[test]
fn a_perfect_fit_scores_100() {
    let icp = icp();
    let fit = icp.score(&fit_account()).unwrap();
    assert_eq!((fit.points, fit.max_points), (100, 100));
    assert_eq!(fit.score, dec!(100.00));
    assert_eq!(fit.tier, Some(0));
    assert!(fit.is_qualified());
    assert_eq!(fit.matched.iter().collect::<Vec<_>>(), vec![0, 1, 2, 3, 4]);
    assert_eq!(fit.missed.iter().collect::<Vec<_>>(), vec![5]);
    assert_eq!(fit.unknown.iter().collect::<Vec<_>>(), vec![6]);
    assert_eq!(icp.total_points(), 100);
    assert_eq!(icp.criterion_index("crm"), Some(2));
    assert_eq!(icp.name(), "saas");
    assert_eq!(icp.unknown_policy(), UnknownPolicy::CountsAsMiss);
}

#[test]
fn score_is_truncated_to_two_decimals() {
    let icp = Icp::builder("thirds")
        .points("a", Condition::industry_in(["x"]), 1)
        .points("b", Condition::country_in(["y"]), 2)
        .build()
        .unwrap();
    let a = Account { industry: Some("x".into()), ..unknown() };
    let fit = icp.score(&a).unwrap();
    assert_eq!(fit.score.to_string(), "33.33");
    let b = Account { country: Some("y".into()), ..unknown() };
    assert_eq!(icp.score(&b).unwrap().score.to_string(), "66.66"); // 66.666.. truncated
}

#[test]
fn disqualifiers_and_must_haves_force_zero() {
    let icp = icp();
    let mut gov = fit_account();
    gov.industry = Some("government".into());
    let fit = icp.score(&gov).unwrap();
    assert_eq!(fit.disqualified_by, Some(5));
    assert_eq!(fit.score, Decimal::ZERO);
    assert_eq!(fit.tier, Some(icp.tiers().lowest()));
    assert!(!fit.is_qualified());

    let mut competitor = fit_account();
    competitor.attributes.insert("competitor".into(), AttributeValue::Flag(true));
    assert_eq!(icp.score(&competitor).unwrap().disqualified_by, Some(6));

    let mut elsewhere = fit_account();
    elsewhere.region = Some("apac".into());
    let fit = icp.score(&elsewhere).unwrap();
    assert_eq!(fit.must_haves_missed.iter().collect::<Vec<_>>(), vec![4]);
    assert_eq!((fit.points, fit.score), (100, Decimal::ZERO));

    // Unknown region: a miss by default, not held against the account when excluded.
    let mut unknown = fit_account();
    unknown.region = None;
    assert!(!icp.score(&unknown).unwrap().is_qualified());
    let lenient = Icp::builder("saas")
        .criterion(icp.criteria()[4].clone())
        .points("industry", Condition::industry_in(["software"]), 1)
        .unknown(UnknownPolicy::Excluded)
        .build()
        .unwrap();
    assert!(lenient.score(&unknown).unwrap().is_qualified());
}

#[test]
fn unknown_policy_changes_the_denominator() {
    let account = Account { industry: Some("software".into()), ..unknown() };
    let strict = icp();
    let fit = strict.score(&account).unwrap();
    assert_eq!((fit.points, fit.max_points), (40, 100));
    let lenient = Icp::builder("saas")
        .points("industry", Condition::industry_in(["software"]), 40)
        .points("size", Condition::employees(200..=5_000), 60)
        .unknown(UnknownPolicy::Excluded)
        .build()
        .unwrap();
    let fit = lenient.score(&account).unwrap();
    assert_eq!((fit.points, fit.max_points, fit.score), (40, 40, dec!(100.00)));
    let nothing = lenient.score(&unknown()).unwrap();
    assert_eq!((nothing.max_points, nothing.score), (0, Decimal::ZERO));
}

#[test]
fn every_condition_matches_as_documented() {
    let usd = |d: Decimal| Money::new(d, Currency::USD);
    let icp = Icp::builder("all")
        .points("rev", Condition::annual_revenue(Some(usd(dec!(1000000))), Some(usd(dec!(5000000)))), 1)
        .points("country", Condition::country_in(["DE"]), 1)
        .points("no_legacy", Condition::technology_none(["oracle"]), 1)
        .points("plan", Condition::text_in("plan", ["enterprise", "pro"]), 1)
        .points("data_team", Condition::flag("data_team", true), 1)
        .points("size_max", Condition::Employees { min: None, max: Some(50) }, 1)
        .build()
        .unwrap();
    let a = Account {
        annual_revenue: Some(usd(dec!(5000000))),
        country: Some("DE".into()),
        technologies: Some(BTreeSet::new()),
        attributes: [
            ("plan".to_owned(), AttributeValue::Text("pro".into())),
            ("data_team".to_owned(), AttributeValue::Flag(true)),
        ]
        .into(),
        employees: Some(50),
        ..unknown()
    };
    let fit = icp.score(&a).unwrap();
    assert_eq!(fit.matched.len(), 6, "{}", fit.explain(&icp));
    let mut b = a.clone();
    b.technologies = Some(["oracle".to_owned()].into());
    b.annual_revenue = Some(usd(dec!(5000000.01)));
    b.employees = Some(51);
    assert_eq!(icp.score(&b).unwrap().missed.iter().collect::<Vec<_>>(), vec![0, 2, 5]);
    let mut c = a.clone();
    c.annual_revenue = Some(Money::new(dec!(1), Currency::EUR));
    assert_eq!(
        icp.score(&c).unwrap_err(),
        ErrorKind::IcpRevenueCurrency {
            account: AccountId::new("acme").unwrap(),
            criterion: "rev".into(),
            expected: Currency::USD,
            found: Currency::EUR
        }
    );
    assert_eq!(
        icp.score(&c).unwrap_err().to_string(),
        "account `acme` reports annual revenue in EUR, but icp criterion `rev` reads USD"
    );
    let mut d = a;
    d.attributes.insert("plan".into(), AttributeValue::Flag(false));
    assert_eq!(
        icp.score(&d).unwrap_err().to_string(),
        "account `acme`: attribute \"plan\" is flag, but icp criterion `plan` expects text"
    );
}

#[test]
fn large_technology_vocabularies_work() {
    let techs: Vec<String> = (0..100).map(|i| format!("t{i:03}")).collect();
    let icp = Icp::builder("tech")
        .points("late", Condition::technology_any(["t099"]), 1)
        .points("early", Condition::technology_any(["t000"]), 1)
        .points("none", Condition::technology_none(techs.clone()), 1)
        .build()
        .unwrap();
    let a = Account { technologies: Some(["t099".to_owned()].into()), ..unknown() };
    let fit = icp.score(&a).unwrap();
    assert_eq!(fit.matched.iter().collect::<Vec<_>>(), vec![0]);
}

#[test]
fn explanations_name_every_criterion() {
    let icp = icp();
    let mut a = fit_account();
    a.industry = Some("government".into());
    let e = icp.score(&a).unwrap().explain(&icp);
    assert_eq!(e.disqualified_by.as_deref(), Some("gov"));
    assert_eq!(e.criteria.len(), 7);
    assert_eq!(e.criteria[0].outcome, Outcome::Missed);
    assert_eq!(e.criteria[1].points, 30);
    assert_eq!(e.criteria[6].outcome, Outcome::Unknown);
    assert_eq!(e.tier.as_deref(), Some("D"));
    let text = e.to_string();
    assert!(text.starts_with("saas: score 0.00 (tier D), 60/100 points, disqualified by gov"), "{text}");
    assert!(text.contains("  30 pts  matched  size"), "{text}");
}

#[test]
fn bad_profiles_are_named() {
    let base = || Icp::builder("p").points("a", Condition::industry_in(["x"]), 1);
    assert_eq!(
        base().points("a", Condition::country_in(["y"]), 1).build().unwrap_err().to_string(),
        "duplicate icp criterion `a`"
    );
    assert_eq!(
        Icp::builder("p").must_have("m", Condition::industry_in(["x"])).build().unwrap_err().to_string(),
        "icp `p` has no weighted criterion, so no score can be computed"
    );
    let mut many = base();
    for i in 0..64 {
        many = many.points(format!("c{i}"), Condition::industry_in(["x"]), 1);
    }
    assert_eq!(many.build().unwrap_err().to_string(), "icp criteria: 65 given, at most 64 are supported");
    assert_eq!(
        Icp::builder("").points("a", Condition::industry_in(["x"]), 1).build().unwrap_err().to_string(),
        "invalid icp name \"\": must not be empty"
    );
    assert!(matches!(
        base()
            .points("b", Condition::industry_in(Vec::<String>::new()), 1)
            .build()
            .as_ref()
            .map_err(crate::error::Error::kind),
        Err(ErrorKind::InvalidCriterion { .. })
    ));
    assert!(base().tiers(Tiers::madkudu()).build().is_ok());
}

#[cfg(feature = "serde")]
#[test]
fn wire_format_and_validation_on_deserialize() {
    let icp = Icp::builder("p").points("a", Condition::industry_in(["x"]), 5).tiers(Tiers::sixsense()).build().unwrap();
    let json = serde_json::to_string(&icp).unwrap();
    assert_eq!(
        json,
        concat!(
            r#"{"name":"p","criteria":[{"name":"a","condition":{"kind":"industry","any_of":["x"]},"effect":{"points":5}}],"#,
            r#""tiers":[{"name":"strong","min_score":"81/100"},{"name":"moderate","min_score":"50/100"},{"name":"weak","min_score":"0/100"}],"#,
            r#""unknown":"counts_as_miss"}"#
        )
    );
    assert_eq!(serde_json::from_str::<Icp>(&json).unwrap(), icp);
    let minimal = r#"{"name":"p","criteria":[{"name":"a","condition":{"kind":"industry","any_of":["x"]},"effect":{"points":5}}]}"#;
    assert_eq!(serde_json::from_str::<Icp>(minimal).unwrap().tiers(), &Tiers::letters());
    let negative = minimal.replace("{\"points\":5}", "{\"points\":-5}");
    let err = serde_json::from_str::<Icp>(&negative).unwrap_err().to_string();
    assert!(err.starts_with("icp criterion `a` has invalid points -5: must be from 1 to 1000000"), "{err}");
    let unknown_field = minimal.replace("\"name\":\"p\",", "\"name\":\"p\",\"owner\":\"x\",");
    assert!(serde_json::from_str::<Icp>(&unknown_field).is_err());
    let fit = icp.score(&Account { industry: Some("x".into()), ..unknown() }).unwrap();
    let json = serde_json::to_string(&fit).unwrap();
    assert_eq!(
        json,
        r#"{"points":5,"max_points":5,"score":"100.00","tier":0,"matched":[0],"missed":[],"unknown":[],"must_haves_missed":[],"disqualified_by":null}"#
    );
    assert_eq!(serde_json::from_str::<FitScore>(&json).unwrap(), fit);
}
