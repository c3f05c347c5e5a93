//! Conversion throughput: deals of the sample company's generator re-denominated in three
//! currencies, converted into USD at their close dates under a monthly corporate rate table.

use std::hint::black_box;

use chrono::{Datelike, NaiveDate};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use revops::fx::{Rate, RateTable, Rounding};
use revops::{Currency, Money};
use rust_decimal::Decimal;

fn table() -> Result<RateTable, revops::Error> {
    let mut rates = Vec::new();
    for year in 2018..2030 {
        for month in 1..=12u32 {
            let Some(day) = NaiveDate::from_ymd_opt(year, month, 1) else { continue };
            let step = Decimal::from(month);
            rates.push(Rate::new(Currency::USD, Currency::EUR, Decimal::new(92, 2) + step / Decimal::from(1000), day)?);
            rates.push(Rate::new(Currency::USD, Currency::JPY, Decimal::new(1485, 1) + step, day)?);
            rates.push(Rate::new(Currency::USD, Currency::BHD, Decimal::new(376, 3), day)?);
        }
    }
    RateTable::new(Some(Currency::USD), Rounding::HalfAwayFromZero, rates)
}

fn bench(c: &mut Criterion) {
    let Ok(table) = table() else { return };
    let Ok(company) = revops::testkit::Company::new(7, 10_000) else { return };
    let currencies = [Currency::EUR, Currency::JPY, Currency::BHD, Currency::USD];
    let rows: Vec<(Money, NaiveDate)> = company
        .synthetic_deals(0, 100_000)
        .zip(currencies.iter().cycle())
        .map(|(d, &cur)| {
            let day = d.closed_at.unwrap_or(d.created_at).date_naive();
            let day = day.with_year(2024).unwrap_or(day);
            let amount = d.amount.amount().round_dp(u32::from(cur.exponent()));
            (Money::new(amount, cur), day)
        })
        .collect();
    let mut group = c.benchmark_group("currency");
    group.throughput(Throughput::Elements(rows.len() as u64));
    group.bench_function("convert_to_usd", |b| {
        b.iter(|| {
            let mut ok = 0usize;
            for &(m, day) in &rows {
                if let Ok(c) = table.convert(black_box(m), Currency::USD, day) {
                    ok += usize::from(!c.money().is_zero());
                }
            }
            ok
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
