//! Laws of ratios: combination is a ratio of sums, associative and commutative.

use proptest::prelude::*;
use revops::Ratio;
use revops::testkit::strategies;
use rust_decimal::Decimal;

proptest! {
    #[test]
    fn combine_is_associative_and_commutative(a in strategies::ratio(), b in strategies::ratio(), c in strategies::ratio()) {
        let left = a.checked_combine(b).unwrap().checked_combine(c).unwrap();
        let right = a.checked_combine(b.checked_combine(c).unwrap()).unwrap();
        prop_assert_eq!(left, right);
        prop_assert_eq!(a.checked_combine(b).unwrap(), b.checked_combine(a).unwrap());
        prop_assert_eq!(Ratio::ZERO.checked_combine(a).unwrap(), a);
    }

    #[test]
    fn value_is_none_exactly_when_the_denominator_is_zero(r in strategies::ratio()) {
        prop_assert_eq!(r.value().is_none(), r.denominator() == 0);
        if let Some(v) = r.value() {
            let back = v * Decimal::from(r.denominator());
            prop_assert!((back - Decimal::from(r.numerator())).abs() < Decimal::new(1, 20));
        }
    }

    #[test]
    fn ratio_round_trips(r in strategies::ratio()) {
        let json = serde_json::to_string(&r).unwrap();
        prop_assert_eq!(serde_json::from_str::<Ratio>(&json).unwrap(), r);
    }
}
