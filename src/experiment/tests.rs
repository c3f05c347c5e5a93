#![allow(
    clippy::float_arithmetic,
    clippy::float_cmp,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)] // test arithmetic on statistical results

use proptest::prelude::*;

use super::*;

fn pct(p: u8) -> Probability {
    Probability::from_percent(p).unwrap()
}

fn near(actual: f64, expected: f64, tolerance: f64) {
    assert!((actual - expected).abs() <= tolerance, "{actual} is not {expected} (±{tolerance})");
}

/// Newcombe, "Two-sided confidence intervals for the single proportion: comparison of seven
/// methods", Statistics in Medicine 17 (1998) 857-872, table I, Wilson score method.
#[test]
fn wilson_matches_newcombes_published_intervals() {
    for ((x, n), (lower, upper)) in [
        ((81, 263), (0.2553, 0.3662)),
        ((15, 148), (0.0624, 0.1605)),
        ((0, 20), (0.0, 0.1611)),
        ((1, 29), (0.0061, 0.1718)),
    ] {
        let ci = wilson(Ratio::new(x, n), pct(95)).unwrap().unwrap();
        near(ci.lower, lower, 5e-5);
        near(ci.upper, upper, 5e-5);
    }
    // At 0% the lower bound is exactly zero; at 100% the upper is exactly one.
    assert_eq!(wilson(Ratio::new(0, 20), pct(95)).unwrap().unwrap().lower, 0.0);
    assert_eq!(wilson(Ratio::new(20, 20), pct(95)).unwrap().unwrap().upper, 1.0);
}

/// The worked figures of [`crate::definitions::experiments`].
#[test]
fn the_definitions_worked_figures_hold() {
    let ci = wilson(Ratio::new(10, 100), pct(95)).unwrap().unwrap();
    near(ci.lower, 0.0552, 5e-5);
    near(ci.upper, 0.1744, 5e-5);
    let r = compare(Ratio::new(100, 1000), Ratio::new(120, 1000), pct(95)).unwrap().unwrap();
    near(r.z.unwrap(), 1.429, 5e-4);
    near(r.p_value.unwrap(), 0.153, 5e-4);
    let holm = adjust(&[Some(0.01), Some(0.04), Some(0.03), Some(0.005)], Correction::Holm);
    for (adjusted, expected) in holm.into_iter().zip([0.03, 0.06, 0.06, 0.02]) {
        near(adjusted.unwrap(), expected, 1e-15);
    }
}

/// Newcombe, "Interval estimation for the difference between independent proportions:
/// comparison of eleven methods", Statistics in Medicine 17 (1998) 873-890, table II,
/// method 10, examples (a) and (b).
#[test]
fn the_difference_interval_matches_newcombes_method_10() {
    let a = compare(Ratio::new(48, 80), Ratio::new(56, 70), pct(95)).unwrap().unwrap();
    near(a.interval.lower, 0.0524, 5e-5);
    near(a.interval.upper, 0.3339, 5e-5);
    let b = compare(Ratio::new(3, 10), Ratio::new(9, 10), pct(95)).unwrap().unwrap();
    near(b.interval.lower, 0.1705, 5e-5);
    near(b.interval.upper, 0.8090, 5e-5);
}

/// The pooled z test of 56/70 against 48/80, by hand: p = 104/150,
/// se = sqrt(p (1 - p) (1/70 + 1/80)) = 0.0754664, z = 0.2 / se = 2.650172, two-sided p-value
/// erfc(z / sqrt 2) = 0.0080450814 (Python's `math.erfc`).
#[test]
fn the_z_test_matches_the_hand_computation() {
    let r = compare(Ratio::new(48, 80), Ratio::new(56, 70), pct(95)).unwrap().unwrap();
    let pooled: f64 = 104.0 / 150.0;
    let se = (pooled * (1.0 - pooled) * (1.0 / 70.0 + 1.0 / 80.0)).sqrt();
    near(r.z.unwrap(), 0.2 / se, 1e-12);
    near(r.z.unwrap(), 2.650_171_951_258_533, 1e-12);
    near(r.p_value.unwrap(), 0.008_045_081_368_196_59, 1e-15);
    near(r.lift.unwrap(), 0.8 / 0.6 - 1.0, 1e-12);
    assert_eq!(r.verdict, Some(Verdict::VariantHigher));
    // At 99.9% the same data are not enough.
    let strict = compare(
        Ratio::new(48, 80),
        Ratio::new(56, 70),
        Probability::from_percent_decimal(99.9.try_into().unwrap()).unwrap(),
    );
    assert_eq!(strict.unwrap().unwrap().verdict, Some(Verdict::NoSignificantDifference));
}

#[test]
fn undefined_statistics_give_none_not_a_verdict() {
    // No trials on one side: no comparison.
    assert!(compare(Ratio::new(0, 0), Ratio::new(3, 10), pct(95)).unwrap().is_none());
    // Both 0% (or both 100%): intervals exist, the test does not.
    for (a, b) in [(Ratio::new(0, 50), Ratio::new(0, 70)), (Ratio::new(50, 50), Ratio::new(70, 70))] {
        let r = compare(a, b, pct(95)).unwrap().unwrap();
        assert_eq!((r.z, r.p_value, r.verdict), (None, None, None));
        assert!(r.interval.contains(0.0));
    }
    // A control at 0% has no lift.
    assert_eq!(compare(Ratio::new(0, 50), Ratio::new(5, 50), pct(95)).unwrap().unwrap().lift, None);
}

#[test]
fn bad_inputs_are_typed_errors() {
    let over = compare(Ratio::new(5, 3), Ratio::new(1, 3), pct(95)).unwrap_err();
    assert_eq!(over.code(), "invalid_value");
    assert!(over.to_string().contains("5/3"), "{over}");
    for confidence in [Probability::ZERO, Probability::ONE] {
        assert_eq!(wilson(Ratio::new(1, 3), confidence).unwrap_err().code(), "invalid_value");
    }
    assert!(sample_size(pct(10), pct(2), pct(95), pct(80), 0).is_err());
    assert!(sample_size(pct(10), pct(2), pct(95), Probability::ONE, 1).is_err());
    assert!(compare_all(Ratio::new(1, 2), &[Ratio::new(3, 2)], pct(95), Correction::Holm).is_err());
}

/// 10% vs 12% at 95% / 80%: (1.959964 sqrt(2 * 0.11 * 0.89) + 0.841621 sqrt(0.09 + 0.1056))^2
/// / 0.02^2 = 3840.8, so 3841 per group; three variants test at 5%/3.
#[test]
fn sample_sizes_follow_fleiss_formula() {
    assert_eq!(sample_size(pct(10), pct(2), pct(95), pct(80), 1).unwrap(), Some(3841));
    let three = sample_size(pct(10), pct(2), pct(95), pct(80), 3).unwrap().unwrap();
    let z_alpha = normal::quantile(1.0 - 0.05 / 3.0 / 2.0);
    let root = z_alpha * (2.0_f64 * 0.11 * 0.89).sqrt() + normal::quantile(0.8) * (0.09_f64 + 0.1056).sqrt();
    assert_eq!(three, (root * root / 0.0004).ceil() as u64);
    assert!(three > 3841);
    assert_eq!(sample_size(pct(10), Probability::ZERO, pct(95), pct(80), 1).unwrap(), None);
    assert_eq!(sample_size(pct(95), pct(10), pct(95), pct(80), 1).unwrap(), None);
}

/// Holm on p = (0.01, 0.04, 0.03): sorted 0.01, 0.03, 0.04 times 3, 2, 1 = 0.03, 0.06, 0.04,
/// made monotone: 0.03, 0.06, 0.06.
#[test]
fn holm_and_bonferroni_adjust_as_published() {
    let raw = [Some(0.01), Some(0.04), None, Some(0.03)];
    let holm = adjust(&raw, Correction::Holm);
    assert_eq!(holm.len(), 4);
    near(holm[0].unwrap(), 0.03, 1e-15);
    near(holm[1].unwrap(), 0.06, 1e-15);
    assert_eq!(holm[2], None);
    near(holm[3].unwrap(), 0.06, 1e-15);
    let bonferroni = adjust(&raw, Correction::Bonferroni);
    near(bonferroni[1].unwrap(), 0.12, 1e-15);
    assert_eq!(adjust(&raw, Correction::None), raw.to_vec());
}

fn rate() -> impl Strategy<Value = Ratio> {
    (0u64..5_000).prop_flat_map(|n| (0..=n).prop_map(move |x| Ratio::new(x, n)))
}

proptest! {
    /// Each Wilson interval holds its rate and lies in [0, 1]; a higher level is wider.
    #[test]
    fn wilson_holds_the_rate(r in rate()) {
        if let Some(ci) = wilson(r, pct(95)).unwrap() {
            let p = r.numerator() as f64 / r.denominator() as f64;
            prop_assert!(0.0 <= ci.lower && ci.lower <= p && p <= ci.upper && ci.upper <= 1.0);
            let wide = wilson(r, pct(99)).unwrap().unwrap();
            prop_assert!(wide.lower <= ci.lower && ci.upper <= wide.upper);
        } else {
            prop_assert_eq!(r.denominator(), 0);
        }
    }

    /// Swapping control and variant negates the difference, mirrors the interval, keeps the
    /// p-value, and turns "higher" into "lower".
    #[test]
    fn swapping_the_arms_mirrors_the_result(a in rate(), b in rate()) {
        let ab = compare(a, b, pct(95)).unwrap();
        let ba = compare(b, a, pct(95)).unwrap();
        prop_assert_eq!(ab.is_some(), ba.is_some());
        if let (Some(ab), Some(ba)) = (ab, ba) {
            prop_assert!((ab.difference + ba.difference).abs() < 1e-12);
            prop_assert!((ab.interval.lower + ba.interval.upper).abs() < 1e-12);
            prop_assert!(ab.interval.contains(ab.difference));
            prop_assert_eq!(ab.p_value, ba.p_value);
            let mirrored = ab.verdict.map(|v| match v {
                Verdict::VariantHigher => Verdict::VariantLower,
                Verdict::VariantLower => Verdict::VariantHigher,
                Verdict::NoSignificantDifference => Verdict::NoSignificantDifference,
            });
            prop_assert_eq!(mirrored, ba.verdict);
            if let Some(p) = ab.p_value {
                prop_assert!((0.0..=1.0).contains(&p));
            }
        }
    }

    /// Adjusted p-values are never below the raw ones, Holm never above Bonferroni, and both
    /// stay in [0, 1].
    #[test]
    fn corrections_only_raise_p_values(ps in proptest::collection::vec(proptest::option::of(0.0f64..=1.0), 0..8)) {
        let holm = adjust(&ps, Correction::Holm);
        let bonferroni = adjust(&ps, Correction::Bonferroni);
        for ((raw, h), b) in ps.iter().zip(&holm).zip(&bonferroni) {
            prop_assert_eq!(raw.is_some(), h.is_some());
            if let (Some(raw), Some(h), Some(b)) = (raw, h, b) {
                prop_assert!(raw <= h && h <= b && *b <= 1.0);
            }
        }
    }
}
