//! Allocation: `allocate_minor`, `MinorAllocator::allocate_into` and `Money::allocate` over
//! arbitrary amounts and weights.
//!
//! Oracles: the parts sum to the amount exactly (conservation); each part is within one minor
//! unit of its exact share (checked exactly with integers where they fit); the integer paths
//! equal a reference largest-remainder implementation (ties to the earlier position); the
//! reusable allocator equals the one-shot function; `Err` only for empty or all-zero (or
//! negative) weights and amounts with more decimals than the currency.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use revops::money::{MinorAllocator, allocate_minor};
use revops::{Currency, Money};
use revops_fuzz::Dec;
use rust_decimal::Decimal;

#[derive(Arbitrary, Debug)]
struct Input {
    total: i64,
    weights: Vec<u64>,
    edge_total: u8,
    money: Dec,
    currency: u8,
    dec_weights: Vec<Dec>,
    int_weights: Vec<u32>,
}

const CURRENCIES: [Currency; 5] = [Currency::USD, Currency::JPY, Currency::KWD, Currency::EUR, Currency::BHD];

/// Largest remainder over |total|, ties to the earlier position; `None` for empty / zero weights.
fn reference(total: i64, weights: &[u64]) -> Option<Vec<i64>> {
    let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    if sum == 0 {
        return None;
    }
    let t = u128::from(total.unsigned_abs());
    let mut parts: Vec<u128> = Vec::with_capacity(weights.len());
    let mut rems: Vec<(u128, usize)> = Vec::with_capacity(weights.len());
    for (i, &w) in weights.iter().enumerate() {
        let p = t * u128::from(w);
        parts.push(p / sum);
        rems.push((p % sum, i));
    }
    let left = t - parts.iter().sum::<u128>();
    rems.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in rems.iter().take(usize::try_from(left).ok()?) {
        parts[i] += 1;
    }
    Some(
        parts
            .into_iter()
            .map(|p| {
                let p = i128::try_from(p).expect("part fits");
                i64::try_from(if total < 0 { -p } else { p }).expect("part fits i64")
            })
            .collect(),
    )
}

fuzz_target!(|input: Input| {
    let total = match input.edge_total % 8 {
        0 => i64::MIN,
        1 => i64::MAX,
        2 => i64::MIN + 1,
        _ => input.total,
    };
    let weights = &input.weights[..input.weights.len().min(64)];
    let got = allocate_minor(total, weights);
    let want = reference(total, weights);
    match (&got, &want) {
        (Ok(g), Some(w)) => {
            assert_eq!(g, w, "allocate_minor({total}, {weights:?})");
            let sum: i128 = g.iter().map(|&p| i128::from(p)).sum();
            assert_eq!(sum, i128::from(total), "conservation");
        }
        (Err(_), None) => {}
        _ => panic!("allocate_minor({total}, {weights:?}) = {got:?}, reference {want:?}"),
    }
    let mut allocator = MinorAllocator::new();
    let mut out = vec![7];
    // Twice with the same allocator: scratch reuse must not leak between calls.
    for _ in 0..2 {
        let r = allocator.allocate_into(total, weights, &mut out);
        match (&r, &got) {
            (Ok(()), Ok(g)) => assert_eq!(&out, g, "allocator equals allocate_minor"),
            (Err(a), Err(b)) => {
                assert_eq!(a.to_string(), b.to_string());
                assert!(out.is_empty(), "out is left empty on error");
            }
            _ => panic!("allocate_into {r:?} vs allocate_minor {got:?}"),
        }
    }

    // Money::allocate with decimal weights.
    let currency = CURRENCIES[usize::from(input.currency) % CURRENCIES.len()];
    let money = Money::new(input.money.value(), currency);
    let dec_weights: Vec<Decimal> = input.dec_weights.iter().take(32).map(|d| d.value()).collect();
    if let Ok(parts) = money.allocate(&dec_weights) {
        assert_eq!(parts.len(), dec_weights.len());
        assert!(parts.iter().all(|p| p.currency() == currency));
        // Exactly, in minor units: `Money::checked_sum` may refuse an intermediate sum past
        // 28 digits for amounts near `Decimal::MAX` (see fuzz/CRASHES.md, notes).
        let sum: i128 = parts.iter().map(|p| p.to_minor_i128().expect("a part is whole minor units")).sum();
        let total = money.to_minor_i128().expect("an allocated amount is whole minor units");
        assert_eq!(sum, total, "conservation of {money} over {dec_weights:?}: {parts:?}");
        assert!(dec_weights.iter().all(|w| !w.is_sign_negative() || w.is_zero()), "negative weight accepted");
        for p in &parts {
            assert!(p.to_minor_i128().is_ok(), "part {p} is not whole minor units of {currency}");
        }
        check_shares(money, &dec_weights, &parts);
    }

    // Money::allocate with small integer weights must agree with allocate_minor.
    let int_weights: Vec<u32> = input.int_weights.iter().take(32).copied().collect();
    let as_dec: Vec<Decimal> = int_weights.iter().map(|&w| Decimal::from(w)).collect();
    let as_u64: Vec<u64> = int_weights.iter().map(|&w| u64::from(w)).collect();
    if let Ok(minor) = money.to_minor() {
        let a = money.allocate(&as_dec);
        let b = allocate_minor(minor, &as_u64);
        match (a, b) {
            (Ok(a), Ok(b)) => {
                let a: Vec<i64> = a.iter().map(|m| m.to_minor().expect("a part of an i64 amount fits")).collect();
                assert_eq!(a, b, "Money::allocate vs allocate_minor for {money} over {int_weights:?}");
            }
            (Err(_), Err(_)) => {}
            (a, b) => panic!("Money::allocate {a:?} vs allocate_minor {b:?} for {money} over {int_weights:?}"),
        }
    }
});

/// Each part within one minor unit of its exact share, where the integers fit in i128.
fn check_shares(money: Money, weights: &[Decimal], parts: &[Money]) {
    let Some(scale) = weights.iter().map(|w| w.scale()).max() else { return };
    let mut ints = Vec::with_capacity(weights.len());
    for w in weights {
        let mut w = *w;
        w.rescale(scale);
        if w.scale() != scale {
            return;
        }
        ints.push(w.mantissa());
    }
    let Some(sum) = ints.iter().try_fold(0i128, |a, &w| a.checked_add(w)) else { return };
    if sum <= 0 {
        return;
    }
    let Ok(total) = money.to_minor_i128() else { return };
    for (w, p) in ints.iter().zip(parts) {
        let Some(num) = total.checked_mul(*w) else { return };
        let Ok(part) = p.to_minor_i128() else { return };
        let floor = num.div_euclid(sum);
        let exact = num.rem_euclid(sum) == 0;
        let ok = if exact { part == floor } else { part == floor || part == floor + 1 };
        assert!(ok, "part {part} of {total} for weight {w}/{sum}: exact share in [{floor}, {}]", floor + 1);
    }
}
