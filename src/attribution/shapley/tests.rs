//! Unit tests of the Shapley models.
#![allow(clippy::float_arithmetic, clippy::cast_precision_loss, clippy::float_cmp)] // test arithmetic on statistical results
#![allow(clippy::many_single_char_names, clippy::needless_range_loop)] // the reference solve reads like the textbook

use proptest::prelude::*;

use super::*;
use crate::Tally;

fn ch(s: &str) -> ChannelId {
    ChannelId::new(s).unwrap()
}

fn usd(cents: i64) -> Money {
    Money::from_minor(cents, Currency::USD)
}

/// Classic Shapley by enumerating every permutation (reference for tiny games).
fn by_permutations(n: usize, v: &dyn Fn(u64) -> f64) -> Vec<f64> {
    fn permute(items: &mut Vec<usize>, k: usize, out: &mut Vec<Vec<usize>>) {
        if k == items.len() {
            out.push(items.clone());
            return;
        }
        for i in k..items.len() {
            items.swap(k, i);
            permute(items, k + 1, out);
            items.swap(k, i);
        }
    }
    let mut perms = Vec::new();
    permute(&mut (0..n).collect(), 0, &mut perms);
    let mut phi = vec![0.0; n];
    for p in &perms {
        let mut s = 0u64;
        for &i in p {
            phi[i] += v(s | (1 << i)) - v(s);
            s |= 1 << i;
        }
    }
    phi.iter().map(|x| x / perms.len() as f64).collect()
}

#[test]
fn exact_matches_permutations_and_errors_are_typed() {
    let channels: Vec<ChannelId> = ["a", "b", "c", "d"].iter().map(|s| ch(s)).collect();
    let v = |m: u64| f64::from(m.count_ones()).powi(2) + if m & 0b101 == 0b101 { 3.0 } else { 0.0 };
    let exact = exact_shapley(&channels, |c| v(c.mask())).unwrap();
    let reference = by_permutations(4, &v);
    for (i, (_, phi)) in exact.channels.iter().enumerate() {
        assert!((phi - reference[i]).abs() < 1e-12);
    }
    assert_eq!(exact.grand_coalition, 19.0);
    let many: Vec<ChannelId> = (0..21).map(|i| ch(&format!("c{i}"))).collect();
    assert_eq!(
        exact_shapley(&many, |_| 0.0).unwrap_err(),
        ErrorKind::TooManyChannels { model: "exact shapley", channels: 21, max: 20 }
    );
    let err = exact_shapley(&channels, |c| if c.len() == 2 && c.contains(&ch("b")) { f64::INFINITY } else { 0.0 })
        .unwrap_err();
    assert_eq!(err.to_string(), "characteristic function returned inf for coalition {a, b}");
    let dup = [ch("a"), ch("a")];
    assert!(matches!(
        exact_shapley(&dup, |_| 0.0).as_ref().map_err(crate::error::Error::kind),
        Err(ErrorKind::InvalidValue { .. })
    ));
    let err = ErrorKind::ShapleyEfficiency { sum: "1".into(), expected: "2".into() };
    assert_eq!(err.to_string(), "shapley values sum to 1, not v(N) - v(empty) = 2");
    // Negative values cannot become money.
    let neg = exact_shapley(&channels[..2], |c| if c.mask() == 1 { 1.0 } else { 0.0 }).unwrap();
    assert!(matches!(
        neg.allocate(usd(100)).as_ref().map_err(crate::error::Error::kind),
        Err(ErrorKind::InvalidModelShare { .. })
    ));
}

#[test]
fn conversion_rate_game_and_no_conversions() {
    let mut counts = CoalitionCounts::new(Currency::USD);
    counts.push_channels(&[ch("a")], Some(usd(100))).unwrap();
    counts.push_channels(&[ch("a")], None).unwrap();
    counts.push_channels(&[ch("a"), ch("b")], Some(usd(100))).unwrap();
    // v({a}) = 1/2, v({b}) = 0, v({a, b}) = 1: phi_a = (1/2 + 1)/2 = 3/4, phi_b = 1/4.
    let v = counts.exact(Game::ConversionRate).unwrap();
    assert!((v.channels[0].1 - 0.75).abs() < 1e-15 && (v.channels[1].1 - 0.25).abs() < 1e-15);
    let money = v.allocate(usd(1000)).unwrap();
    assert_eq!(money[0].1, usd(750));
    let mut empty = CoalitionCounts::new(Currency::USD);
    empty.push_channels(&[ch("a")], None).unwrap();
    assert_eq!(empty.simplified().unwrap_err(), ErrorKind::NoConvertingJourneys { journeys: 1 });
    assert_eq!(empty.push_indices(&[], 1, 0, 0).unwrap_err(), ErrorKind::Empty { what: "channel path" });
}

#[test]
fn too_many_channels_for_a_mask() {
    let mut counts = CoalitionCounts::new(Currency::USD);
    for i in 0..64 {
        counts.intern(&ch(&format!("c{i}"))).unwrap();
    }
    assert!(matches!(
        counts.intern(&ch("c64")).as_ref().map_err(crate::error::Error::kind),
        Err(ErrorKind::TooManyChannels { max: 64, .. })
    ));
    assert_eq!(counts.intern(&ch("c3")).unwrap(), 3);
}

fn arb_journeys(channels: usize) -> impl Strategy<Value = Vec<(Vec<usize>, Option<i64>)>> {
    prop::collection::vec((prop::collection::vec(0..channels, 1..8), prop::option::of(0i64..1_000_000)), 1..60)
}

fn tally(journeys: &[(Vec<usize>, Option<i64>)]) -> CoalitionCounts {
    let mut counts = CoalitionCounts::new(Currency::USD);
    for (path, value) in journeys {
        let names: Vec<ChannelId> = path.iter().map(|i| ch(&format!("ch{i}"))).collect();
        counts.push_channels(&names, value.map(usd)).unwrap();
    }
    counts
}

proptest! {
    #[test]
    fn simplified_equals_classic_on_the_cumulative_game(journeys in arb_journeys(6)) {
        let counts = tally(&journeys);
        prop_assume!(journeys.iter().any(|j| j.1.is_some()));
        let simple = counts.simplified().unwrap();
        let exact = counts.exact(Game::CumulativeConversions).unwrap();
        for (s, (c, phi)) in simple.channels.iter().zip(&exact.channels) {
            prop_assert_eq!(&s.channel, c);
            prop_assert!((s.conversions - phi).abs() < 1e-9);
        }
        // Ordered sums over positions to the simplified value.
        let ordered = counts.ordered().unwrap();
        for (o, s) in ordered.channels.iter().zip(&simple.channels) {
            prop_assert!((o.conversions_by_position.iter().sum::<f64>() - s.conversions).abs() < 1e-9);
        }
    }

    #[test]
    fn shares_sum_to_one_and_credits_to_the_cent(journeys in arb_journeys(8)) {
        prop_assume!(journeys.iter().any(|j| j.1.is_some()));
        let counts = tally(&journeys);
        let simple = counts.simplified().unwrap();
        prop_assert!((simple.channels.iter().map(|c| c.share).sum::<f64>() - 1.0).abs() < 1e-12);
        let total = Money::checked_sum(simple.channels.iter().map(|c| c.value), Currency::USD).unwrap();
        prop_assert_eq!(total, simple.total_value);
        let ordered = counts.ordered().unwrap();
        let cells = ordered.channels.iter().flat_map(|c| c.value_by_position.iter().copied());
        prop_assert_eq!(Money::checked_sum(cells, Currency::USD).unwrap(), simple.total_value);
        let exact = counts.exact(Game::CumulativeValue).unwrap();
        if !simple.total_value.is_zero() {
            let money = exact.allocate(simple.total_value).unwrap();
            prop_assert_eq!(Money::checked_sum(money.into_iter().map(|m| m.1), Currency::USD).unwrap(), simple.total_value);
        }
    }

    #[test]
    fn merge_is_invariant(journeys in arb_journeys(6), split in 0usize..60) {
        prop_assume!(journeys.iter().any(|j| j.1.is_some()));
        let split = split.min(journeys.len());
        let whole = tally(&journeys);
        let mut rev: Vec<_> = journeys[split..].to_vec();
        rev.reverse();
        let mut a = tally(&journeys[..split]);
        a.merge(tally(&rev)).unwrap();
        let mut b = tally(&rev);
        b.merge(tally(&journeys[..split])).unwrap();
        for m in [&a, &b] {
            prop_assert_eq!(m.simplified().unwrap(), whole.simplified().unwrap());
            prop_assert_eq!(m.ordered().unwrap(), whole.ordered().unwrap());
            prop_assert_eq!(m.exact(Game::ConversionRate).unwrap(), whole.exact(Game::ConversionRate).unwrap());
        }
    }
}

#[test]
fn leaving_the_small_tables_keeps_every_tally() {
    let journeys: Vec<(Vec<usize>, Option<i64>)> = (0..200)
        .map(|i| {
            (
                vec![i % 3, (i * 7) % 20, (i * 5) % 19],
                if i % 4 == 0 { Some(i64::try_from(i).unwrap() * 100) } else { None },
            )
        })
        .collect();
    // Interning 20 channels up front (hash maps from the start) versus growing past 16 midway.
    let mut upfront = CoalitionCounts::new(Currency::USD);
    for i in 0..20 {
        upfront.intern(&ch(&format!("ch{i}"))).unwrap();
    }
    for (path, value) in &journeys {
        let names: Vec<ChannelId> = path.iter().map(|i| ch(&format!("ch{i}"))).collect();
        upfront.push_channels(&names, value.map(usd)).unwrap();
    }
    let grown = tally(&journeys);
    assert_eq!(grown.simplified().unwrap(), upfront.simplified().unwrap());
    assert_eq!(grown.ordered().unwrap(), upfront.ordered().unwrap());
    assert_eq!(grown.exact(Game::ConversionRate).unwrap(), upfront.exact(Game::ConversionRate).unwrap());
}

#[test]
fn merge_refuses_another_currency_and_sums_are_checked() {
    let eur = CoalitionCounts::new(Currency::EUR);
    assert_eq!(
        CoalitionCounts::new(Currency::USD).merge(eur).unwrap_err(),
        ErrorKind::DefinitionMismatch { tally: "shapley coalition counts", field: "currency" }
    );
    let mut a = CoalitionCounts::new(Currency::USD);
    a.push_channels(&[ch("a")], Some(usd(5))).unwrap();
    let mut b = CoalitionCounts::new(Currency::USD);
    let x = b.intern(&ch("a")).unwrap();
    b.push_indices(&[x], u64::MAX, 1, 0).unwrap();
    assert_eq!(a.clone().merge(b.clone()).unwrap_err(), ErrorKind::Overflow { op: "shapley coalition count" });
    assert_eq!(b.push_indices(&[x], 1, 1, 0).unwrap_err(), ErrorKind::Overflow { op: "shapley coalition count" });
    // A failed merge or push leaves the totals as they were.
    assert_eq!(a.journeys(), 1);
    assert_eq!(b.journeys(), u64::MAX);
}

#[cfg(feature = "serde")]
#[test]
fn state_round_trips_exactly_and_is_validated() {
    let mut counts = CoalitionCounts::new(Currency::USD);
    counts.push_channels(&[ch("b"), ch("a"), ch("b")], Some(usd(300))).unwrap();
    counts.push_channels(&[ch("a")], Some(usd(90))).unwrap();
    counts.push_channels(&[ch("c")], None).unwrap();
    let json = serde_json::to_string(&counts).unwrap();
    assert_eq!(
        json,
        concat!(
            r#"{"currency":"USD","channels":["b","a","c"],"sets":[{"mask":2,"journeys":1,"conversions":1,"value":"90"},"#,
            r#"{"mask":3,"journeys":1,"conversions":1,"value":"300"},{"mask":4,"journeys":1,"conversions":0,"value":"0"}],"#,
            r#""cells":[{"channel":0,"position":0,"length":2,"conversions":1,"value":"300"},"#,
            r#"{"channel":1,"position":0,"length":1,"conversions":1,"value":"90"},"#,
            r#"{"channel":1,"position":1,"length":2,"conversions":1,"value":"300"}]}"#
        )
    );
    let back: CoalitionCounts = serde_json::from_str(&json).unwrap();
    assert_eq!(back.journeys(), 3);
    assert_eq!(back.simplified().unwrap(), counts.simplified().unwrap());
    assert_eq!(back.ordered().unwrap(), counts.ordered().unwrap());
    assert_eq!(back.exact(Game::ConversionRate).unwrap(), counts.exact(Game::ConversionRate).unwrap());
    let cases = [
        (json.replace(r#""channels":["b","a","c"]"#, r#""channels":["b","a","a"]"#), "appears twice"),
        (json.replace(r#""mask":4"#, r#""mask":8"#), "subsets of the channels"),
        (json.replace(r#""mask":4"#, r#""mask":3"#), "subsets of the channels"),
        (
            json.replace(
                r#""journeys":1,"conversions":1,"value":"90""#,
                r#""journeys":1,"conversions":2,"value":"90""#,
            ),
            "at most as many",
        ),
        (json.replace(r#""value":"90""#, r#""value":"-90""#), "non-negative"),
        (
            json.replace(
                r#""position":0,"length":1,"conversions":1,"value":"90""#,
                r#""position":0,"length":1,"conversions":1,"value":"91""#,
            ),
            "do not carry",
        ),
        (json.replace(r#"{"channel":1,"position":0,"length":1,"conversions":1,"value":"90"},"#, ""), "do not carry"),
        (
            json.replace(r#""channel":0,"position":0,"length":2"#, r#""channel":0,"position":2,"length":2"#),
            "inside the length",
        ),
        (
            json.replace(r#""channel":0,"position":0,"length":2"#, r#""channel":7,"position":0,"length":2"#),
            "known channel",
        ),
    ];
    for (bad, msg) in cases {
        assert_ne!(bad, json);
        let err = serde_json::from_str::<CoalitionCounts>(&bad).unwrap_err().to_string();
        assert!(err.contains(msg), "{bad}: {err}");
    }
}
