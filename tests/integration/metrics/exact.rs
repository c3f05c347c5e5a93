//! Exact values beside rounded ones: each exact quotient equals the definition worked in integers
//! from the deals, and each rounded figure is it rounded (half to even, in integers).

use chrono::{TimeDelta, TimeZone, Utc};
use proptest::prelude::*;
use revops::calendar::Zone;
use revops::facts::{Deal, DealStatus, Reason};
use revops::metrics::{CycleOutcome, pipeline_velocity, sales_cycle};
use revops::{Currency, Money, OpportunityId, Period, Probability, Ratio};
use rust_decimal::Decimal;

/// `n / d` rounded half to even (`d > 0`, `n >= 0`).
fn half_even(n: i128, d: i128) -> i128 {
    let (q, r) = (n / d, n % d);
    if 2 * r > d || (2 * r == d && q % 2 == 1) { q + 1 } else { q }
}

/// Whether `r` is the fraction `n / d` (cross-multiplied, so `2/4` is `1/2`).
fn is(r: Option<Ratio<Decimal>>, n: i128, d: i128) -> bool {
    let Some(r) = r else { return false };
    let (n, d) = (Decimal::from_i128_with_scale(n, 0), Decimal::from_i128_with_scale(d, 0));
    r.numerator() * d == n * r.denominator()
}

/// (status 0 open / 1 won / 2 lost, cents, created second, cycle seconds)
fn deals() -> impl Strategy<Value = Vec<(u8, i64, i64, i64)>> {
    prop::collection::vec((0u8..3, 0i64..10_000_000, 0i64..2_000_000, 0i64..10_000_000), 0..20)
}

proptest! {
    #[test]
    fn velocity_and_cycle_exact_values(rows in deals()) {
        let t0 = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
        let as_of = t0 + TimeDelta::seconds(20_000_000);
        let mut facts = Vec::new();
        for (i, &(status, cents, created, cycle)) in rows.iter().enumerate() {
            let created = t0 + TimeDelta::seconds(created);
            let amount = Money::from_minor(cents, Currency::USD);
            let id = OpportunityId::new(format!("d{i}")).unwrap();
            facts.push(match status {
                0 => Deal::new(id, created, amount, DealStatus::Open { probability: Probability::ZERO }).qualified(true),
                1 => Deal::new(id, created, amount, DealStatus::Won).closed_at(Some(created + TimeDelta::seconds(cycle))),
                _ => Deal::new(id, created, amount, DealStatus::lost(Reason::Price)).closed_at(Some(created + TimeDelta::seconds(cycle))),
            });
        }
        // Every close lies in the period; the open deals are open at as_of.
        let period = Period::new(t0, as_of).unwrap();
        let v = pipeline_velocity(&facts, period, as_of, Currency::USD).unwrap();
        let won: Vec<_> = rows.iter().filter(|r| r.0 == 1).collect();
        let (open, n_won) = (rows.iter().filter(|r| r.0 == 0).count() as i128, won.len() as i128);
        let closed = rows.iter().filter(|r| r.0 != 0).count() as i128;
        let (cents, seconds): (i128, i128) = (won.iter().map(|r| i128::from(r.1)).sum(), won.iter().map(|r| i128::from(r.3)).sum());
        if n_won == 0 {
            prop_assert_eq!((v.average_deal_size_exact, v.cycle_days_exact, v.per_day_exact), (None, None, None));
        } else {
            // Average size: cents / (won x 100) dollars; rounded to the cent.
            prop_assert!(is(v.average_deal_size_exact, cents, n_won * 100));
            prop_assert_eq!(v.average_deal_size.map(|m| i128::from(m.to_minor().unwrap())), Some(half_even(cents, n_won)));
            // Cycle: seconds / (won x 86,400) days; rounded to 6 decimals.
            prop_assert!(is(v.cycle_days_exact, seconds, n_won * 86_400));
            let micro = half_even(seconds * 1_000_000, n_won * 86_400);
            prop_assert_eq!(v.cycle_days, Some(Decimal::from_i128_with_scale(micro, 6).normalize()));
            // Velocity = open x (won / closed) x (cents / won / 100) / (seconds / won / 86,400).
            if seconds == 0 {
                prop_assert_eq!((v.per_day, v.per_day_exact), (None, None));
            } else {
                let (n, d) = (open * n_won * cents * n_won * 86_400, closed * n_won * seconds * 100);
                prop_assert!(is(v.per_day_exact, n, d));
                prop_assert_eq!(v.per_day.map(|m| i128::from(m.to_minor().unwrap())), Some(half_even(n * 100, d)));
            }
        }
        // The sales cycle's mean over the same won deals, exactly and to 6 decimals.
        let cycle = sales_cycle(&facts, period, Zone::UTC, CycleOutcome::Won).unwrap().elapsed_days;
        prop_assert!(is(Some(cycle.total_days_exact), seconds, 86_400));
        if n_won > 0 {
            prop_assert!(is(cycle.mean_exact, seconds, n_won * 86_400));
            prop_assert_eq!(cycle.mean, Some(Decimal::from_i128_with_scale(half_even(seconds * 1_000_000, n_won * 86_400), 6).normalize()));
            let max = won.iter().map(|r| i128::from(r.3)).max().unwrap_or(0);
            prop_assert!(is(cycle.max_exact, max, 86_400));
        } else {
            prop_assert_eq!((cycle.mean_exact, cycle.median_exact), (None, None));
        }
    }
}
