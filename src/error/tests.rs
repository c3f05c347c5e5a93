use rust_decimal::Decimal;

use super::*;
use crate::{Currency, OpportunityId};

#[test]
fn messages_name_the_offender() {
    let cases = [
        (
            ErrorKind::InvalidId { kind: "account", value: String::new(), reason: "must not be empty" },
            "invalid account id \"\": must not be empty",
        ),
        (
            ErrorKind::UnknownCurrency { code: "XYZ".into() },
            "unknown currency code `XYZ`: give its minor-unit exponent explicitly",
        ),
        (
            ErrorKind::CurrencyExponentMismatch { code: "USD".into(), expected: 2, found: 3 },
            "currency `USD` has 2 minor-unit digits, not 3",
        ),
        (
            ErrorKind::CurrencyMismatch { expected: Currency::USD, found: Currency::EUR },
            "currency mismatch: expected USD, found EUR",
        ),
        (
            ErrorKind::ExcessPrecision { amount: Decimal::new(1005, 3), currency: Currency::USD, max_decimals: 2 },
            "amount 1.005 has more decimals than USD allows (2)",
        ),
        (ErrorKind::Overflow { op: "money addition" }, "arithmetic overflow in money addition"),
        (ErrorKind::Empty { what: "weights" }, "weights must not be empty"),
        (ErrorKind::ZeroWeights { count: 3 }, "cannot allocate over 3 weights that are all zero"),
        (
            ErrorKind::Negative { field: "weight", value: "-0.5 at position 2".into() },
            "weight must not be negative, got -0.5 at position 2",
        ),
        (
            ErrorKind::InvalidRatio {
                numerator: Decimal::ONE,
                denominator: Decimal::NEGATIVE_ONE,
                reason: "parts must not be negative",
            },
            "invalid ratio 1/-1: parts must not be negative",
        ),
        (
            ErrorKind::InvalidValue { field: "testkit leads", value: "0".into(), reason: "must be at least 1" },
            "invalid testkit leads \"0\": must be at least 1",
        ),
    ];
    for (err, msg) in cases {
        assert_eq!(err.to_string(), msg);
    }
}

#[test]
fn the_record_prefixes_the_message_and_the_innermost_wins() {
    let deal = Record::Deal(OpportunityId::new("o1").unwrap());
    let err = ErrorKind::Negative { field: "amount", value: "-1".into() }.about(deal.clone());
    assert_eq!(err.to_string(), "deal `o1`: amount must not be negative, got -1");
    assert_eq!(err.record(), Some(&deal));
    assert_eq!(err, ErrorKind::Negative { field: "amount", value: "-1".into() });
    let outer = err.clone().about(Record::Line(3));
    assert_eq!(outer.record(), Some(&deal));
    assert_eq!(
        format!("{outer:?}"),
        "Error { record: Deal(OpportunityId(\"o1\")), kind: Negative { field: \"amount\", value: \"-1\" } }"
    );
    let kinds = [
        Record::Account(crate::AccountId::new("a").unwrap()),
        Record::Touch { journey: crate::JourneyId::new("j").unwrap(), index: 2 },
        Record::Spend("x".into()),
        Record::BatchJourney(4),
        Record::Line(3),
    ];
    let shown: Vec<String> = kinds.iter().map(|r| format!("{} {r}", r.kind())).collect();
    assert_eq!(
        shown,
        [
            "account account `a`",
            "touch touch 2 of journey `j`",
            "spend spend `x`",
            "batch_journey journey 4 of the batch",
            "line line 3"
        ]
    );
}
