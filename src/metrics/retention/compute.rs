//! [`RetentionTally`]'s `finish`: each account's history read at the period's endpoints and at
//! its cohort's interval closes, summed into rows and curves.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

use super::{CohortCurve, CurveCell, Retention, RetentionRow, RetentionTally, RetentionTerms};
use crate::metrics::amount::{add, add_count, decimal, exact, from_minor, rounded};
use crate::{Currency, Error, ErrorKind, Ratio, Record};

/// Sums of one row's movements, in minor units.
#[derive(Clone, Copy, Debug, Default)]
struct Movements {
    customers: u64,
    churned: u64,
    start: i128,
    end: i128,
    expansion: i128,
    contraction: i128,
    churn: i128,
}

impl Movements {
    fn add(&mut self, start: i128, end: i128) -> Result<(), Error> {
        self.customers = add_count(self.customers, 1)?;
        self.start = add(self.start, start)?;
        self.end = add(self.end, end)?;
        if end == 0 {
            self.churned = add_count(self.churned, 1)?;
            self.churn = add(self.churn, start)?;
        } else if end > start {
            self.expansion = add(self.expansion, end - start)?;
        } else {
            self.contraction = add(self.contraction, start - end)?;
        }
        Ok(())
    }

    fn row(self, currency: Currency) -> Result<RetentionRow, Error> {
        let major = |minor| decimal(minor, currency);
        let start = major(self.start)?;
        let lost = add(self.churn, self.contraction)?;
        let retained = self.start - lost; // never below zero: churn and contraction are parts of start
        let net = lost - self.expansion;
        let nrr_exact = exact(major(self.end)?, start)?;
        let grr_exact = exact(major(retained)?, start)?;
        let gross_revenue_churn_exact = exact(major(lost)?, start)?;
        let net_amount = from_minor(net, currency)?;
        let net_revenue_churn = if start.is_zero() {
            None
        } else {
            let value = net_amount
                .amount()
                .checked_div(start)
                .ok_or_else(|| Error::from(ErrorKind::Overflow { op: "net revenue churn" }))?;
            Some(value.round_dp_with_strategy(4, RoundingStrategy::MidpointNearestEven).normalize())
        };
        Ok(RetentionRow {
            customers: self.customers,
            churned: self.churned,
            start_mrr: from_minor(self.start, currency)?,
            end_mrr: from_minor(self.end, currency)?,
            expansion: from_minor(self.expansion, currency)?,
            contraction: from_minor(self.contraction, currency)?,
            churn: from_minor(self.churn, currency)?,
            nrr: rounded(nrr_exact, 4, "net revenue retention")?,
            nrr_exact,
            grr: rounded(grr_exact, 4, "gross revenue retention")?,
            grr_exact,
            logo_churn: Ratio::new(self.churned, self.customers),
            gross_revenue_churn: rounded(gross_revenue_churn_exact, 4, "gross revenue churn")?,
            gross_revenue_churn_exact,
            net_revenue_churn,
            net_revenue_churn_amount: net_amount,
        })
    }
}

/// One cohort's curve sums: customers, then per closed cell (active, MRR, capped MRR).
#[derive(Debug)]
struct CurveSums {
    customers: u64,
    cells: Vec<(u64, i128, i128)>,
}

/// MRR at `t`: the latest fact at or before it, zero before the first.
fn mrr_at(history: &[(DateTime<Utc>, i128)], t: DateTime<Utc>) -> i128 {
    let n = history.partition_point(|(at, _)| *at <= t);
    n.checked_sub(1).and_then(|i| history.get(i)).map_or(0, |f| f.1)
}

/// The closes of interval `c + k` (`k = 0, 1, ...`) not after `as_of`.
fn closes(terms: &RetentionTerms, cohort: NaiveDate) -> Result<Vec<DateTime<Utc>>, Error> {
    let mut out = Vec::new();
    let mut close = terms.cohort.period(cohort, terms.zone)?.end();
    while close <= terms.as_of {
        out.push(close);
        close = terms.cohort.period_of(close, terms.zone)?.end();
    }
    Ok(out)
}

pub(super) fn finish(tally: RetentionTally) -> Result<Retention, Error> {
    let RetentionTally { terms, currency, tiers, mut histories, after_as_of, .. } = tally;
    histories.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut total = Movements::default();
    let mut by_cohort: BTreeMap<NaiveDate, Movements> = BTreeMap::new();
    let mut by_tier: BTreeMap<Option<String>, Movements> = BTreeMap::new();
    let mut bounds: BTreeMap<NaiveDate, Vec<DateTime<Utc>>> = BTreeMap::new();
    let mut curves: BTreeMap<NaiveDate, CurveSums> = BTreeMap::new();
    for (account, mut history) in histories {
        history.sort_unstable_by_key(|f| f.0);
        if history.windows(2).any(|w| matches!(w, [a, b] if a.0 == b.0)) {
            return Err(ErrorKind::InconsistentRecord { reason: "two revenue facts at the same instant" }
                .about(Record::Account(account)));
        }
        let Some(&(acquired, _)) = history.iter().find(|f| f.1 > 0) else { continue };
        let cohort = terms.cohort.start_of(acquired, terms.zone)?;
        let start = mrr_at(&history, terms.start);
        if start > 0 {
            let end = mrr_at(&history, terms.end);
            total.add(start, end)?;
            by_cohort.entry(cohort).or_default().add(start, end)?;
            by_tier.entry(tiers.get(&account).cloned()).or_default().add(start, end)?;
        }
        let closes = match bounds.entry(cohort) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(closes(&terms, cohort)?),
        };
        let sums =
            curves.entry(cohort).or_insert_with(|| CurveSums { customers: 0, cells: vec![(0, 0, 0); closes.len()] });
        sums.customers = add_count(sums.customers, 1)?;
        let base = closes.first().map_or(0, |&t| mrr_at(&history, t));
        for (cell, &t) in sums.cells.iter_mut().zip(closes.iter()) {
            let v = mrr_at(&history, t);
            cell.0 = add_count(cell.0, u64::from(v > 0))?;
            cell.1 = add(cell.1, v)?;
            cell.2 = add(cell.2, v.min(base))?;
        }
    }
    Ok(Retention {
        terms,
        total: total.row(currency)?,
        by_cohort: rows(by_cohort, currency)?,
        by_tier: rows(by_tier, currency)?,
        curves: curves
            .into_iter()
            .map(|(cohort, sums)| curve(cohort, &sums, bounds.get(&cohort).map_or(&[][..], Vec::as_slice), currency))
            .collect::<Result<_, Error>>()?,
        facts_after_as_of: after_as_of,
    })
}

fn rows<K: Ord>(m: BTreeMap<K, Movements>, currency: Currency) -> Result<BTreeMap<K, RetentionRow>, Error> {
    m.into_iter().map(|(k, v)| Ok((k, v.row(currency)?))).collect()
}

fn curve(
    cohort: NaiveDate,
    sums: &CurveSums,
    closes: &[DateTime<Utc>],
    currency: Currency,
) -> Result<CohortCurve, Error> {
    let (active0, mrr0, _) = sums.cells.first().copied().unwrap_or_default();
    let base: Decimal = decimal(mrr0, currency)?;
    let mut cells = Vec::with_capacity(sums.cells.len() + 1);
    for (&(active, mrr, capped), &at) in sums.cells.iter().zip(closes) {
        cells.push(Some(CurveCell {
            at,
            active,
            mrr: from_minor(mrr, currency)?,
            capped_mrr: from_minor(capped, currency)?,
            logo: Ratio::new(active, active0),
            net: exact(decimal(mrr, currency)?, base)?,
            gross: exact(decimal(capped, currency)?, base)?,
        }));
    }
    cells.push(None); // the interval open at `as_of`
    Ok(CohortCurve { cohort, customers: sums.customers, cells })
}
