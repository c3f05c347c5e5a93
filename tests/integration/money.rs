//! Laws of exact money: allocation conserves every minor unit and never panics.

use proptest::prelude::*;
use revops::money::{MinorAllocator, allocate_minor};
use revops::testkit::strategies;
use revops::{Currency, ErrorKind, Money};
use rust_decimal::Decimal;

/// The exact share `amount * w / sum` as a rational `num / den`, compared to `part` within one
/// minor unit using wide integer arithmetic in `i128` pieces where possible, else `Decimal`.
fn within_one_unit(total_minor: i128, weights: &[Decimal], index: usize, part_minor: i128) -> bool {
    // |part - T*w/W| < 1  <=>  |part*W - T*w| < W. Use Decimal ratios of the weights, which are
    // exact enough at these magnitudes to decide the bound with a safety margin.
    let sum: Decimal = weights.iter().copied().sum();
    let share = Decimal::from_i128_with_scale(total_minor, 0) * (weights[index] / sum);
    (Decimal::from_i128_with_scale(part_minor, 0) - share).abs() <= Decimal::ONE + Decimal::new(1, 6)
}

fn minor(m: &Money) -> i128 {
    m.to_minor_i128().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    /// Arbitrary amounts over arbitrary weight lists: `Ok` conserves, `Err` is documented.
    #[test]
    fn allocation_conserves_or_names_the_cause(amount in prop_oneof![strategies::money(), strategies::money_extreme()],
                                               weights in strategies::weights()) {
        match amount.allocate(&weights) {
            Ok(parts) => {
                prop_assert_eq!(parts.len(), weights.len());
                let total = minor(&amount);
                prop_assert_eq!(parts.iter().map(minor).sum::<i128>(), total);
                if let Ok(sum) = Money::checked_sum(parts.iter().copied(), amount.currency()) {
                    prop_assert_eq!(sum.amount(), amount.amount());
                }
                let all_small = weights.iter().all(|w| *w < Decimal::from(1_000_000_000_000u64));
                for (i, part) in parts.iter().enumerate() {
                    prop_assert_eq!(part.currency(), amount.currency());
                    // Same sign as the amount (no negative part of a non-negative amount).
                    if amount.is_negative() {
                        prop_assert!(!part.amount().is_sign_positive() || part.is_zero());
                    } else {
                        prop_assert!(!part.is_negative());
                    }
                    if weights[i].is_zero() {
                        prop_assert!(part.is_zero());
                    }
                    if all_small && total.abs() < (1i128 << 80) {
                        prop_assert!(within_one_unit(total, &weights, i, minor(part)));
                    }
                }
            }
            Err(err) => {
                let documented = match err.kind() {
                    ErrorKind::Empty { what: "weights" } => weights.is_empty(),
                    ErrorKind::ZeroWeights { count } => *count == weights.len() && weights.iter().all(Decimal::is_zero),
                    ErrorKind::ExcessPrecision { .. } | ErrorKind::Overflow { .. } => true,
                    _ => false, // NegativeWeight cannot happen: the weights are non-negative
                };
                prop_assert!(documented, "undocumented error {err:?} for {weights:?}");
            }
        }
    }

    /// The integer fast path equals the Decimal path on the same amount and weights.
    #[test]
    fn minor_path_equals_decimal_path(total in any::<i64>(), weights in proptest::collection::vec(0u64..1_000_000, 1..40)) {
        let fast = allocate_minor(total, &weights);
        let money = Money::from_minor(total, Currency::USD);
        let decimals: Vec<Decimal> = weights.iter().map(|&w| Decimal::from(w)).collect();
        match (fast, money.allocate(&decimals)) {
            (Ok(fast), Ok(exact)) => {
                let exact: Vec<i64> = exact.iter().map(|m| m.to_minor().unwrap()).collect();
                prop_assert_eq!(fast, exact);
            }
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (a, b) => prop_assert!(false, "paths disagree: {a:?} vs {b:?}"),
        }
    }

    /// The exact share rule: every part within one minor unit; parts sum to the total.
    #[test]
    fn minor_parts_are_within_one_unit(total in any::<i64>(), weights in proptest::collection::vec(any::<u64>(), 1..64)) {
        let mut allocator = MinorAllocator::new();
        let mut parts = Vec::new();
        match allocator.allocate_into(total, &weights, &mut parts) {
            Ok(()) => {
                prop_assert_eq!(parts.iter().map(|&p| i128::from(p)).sum::<i128>(), i128::from(total));
                let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
                for (p, w) in parts.iter().zip(&weights) {
                    // |p * W - T * w| < W, in u128/i128 pieces: floor(T*w/W) <= |p| <= floor + 1.
                    let floor = u128::from(total.unsigned_abs()) * u128::from(*w) / sum;
                    let got = u128::from(p.unsigned_abs());
                    prop_assert!(got == floor || got == floor + 1);
                }
            }
            Err(e) => prop_assert_eq!(e, ErrorKind::ZeroWeights { count: weights.len() }),
        }
    }

    /// Negative weights are always refused, naming the first one.
    #[test]
    fn negative_weights_are_named(amount in strategies::money(), mut weights in proptest::collection::vec(0u32..100, 1..10), at in any::<prop::sample::Index>(), neg in 1u32..100) {
        let i = at.index(weights.len());
        weights[i] = 0;
        let mut decimals: Vec<Decimal> = weights.iter().map(|&w| Decimal::from(w)).collect();
        decimals[i] = -Decimal::from(neg);
        prop_assert_eq!(amount.allocate(&decimals).unwrap_err(), ErrorKind::Negative { field: "weight", value: format!("{} at position {}", -Decimal::from(neg), i) });
    }

    /// Serde round-trips for Money and Currency.
    #[test]
    fn money_round_trips(m in strategies::money()) {
        let json = serde_json::to_string(&m).unwrap();
        prop_assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), m);
        let json = serde_json::to_string(&m.currency()).unwrap();
        prop_assert_eq!(serde_json::from_str::<Currency>(&json).unwrap(), m.currency());
    }
}

#[test]
fn invalid_payloads_are_rejected_with_the_same_errors() {
    let cases = [
        (r#"{"amount":"1.00","currency":"US"}"#, Currency::new("US").unwrap_err()),
        (r#"{"amount":"1.00","currency":"ABC"}"#, Currency::new("ABC").unwrap_err()),
        (r#"{"amount":"1.00","currency":{"code":"JPY","exponent":2}}"#, Currency::with_exponent("JPY", 2).unwrap_err()),
    ];
    for (json, err) in cases {
        let got = serde_json::from_str::<Money>(json).unwrap_err().to_string();
        assert!(got.starts_with(&err.to_string()), "{json}: {got}");
    }
}
