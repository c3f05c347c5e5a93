//! The plain-text rendering of the retention section (what the quickstart prints after return
//! on marketing): the period cohort's movements from start MRR to end MRR, GRR, NRR, logo and
//! revenue churn, then one row per acquisition cohort and per ICP tier.
//!
//! Formatting only: every figure is a field of the section; rates are the section's values
//! rounded to 4 decimals of a fraction, shown as percent with 2 decimals.

use core::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::row;
use crate::agreement::CohortGrain;
use crate::agreement::scorecard::RetentionSection;
use crate::metrics::RetentionRow;

/// A rate (a fraction rounded to 4 decimals) as `87.25%`; `undefined` without a value.
fn pct(v: Option<Decimal>) -> String {
    match v.map(|v| v.checked_mul(Decimal::ONE_HUNDRED)) {
        None => "undefined".to_owned(),
        Some(None) => "out of range".to_owned(),
        Some(Some(mut p)) => {
            p.rescale(2);
            format!("{p}%")
        }
    }
}

/// `    label  customers churned  start MRR  expansion  contraction  churn  GRR  NRR`.
fn line(f: &mut fmt::Formatter<'_>, label: &str, r: &RetentionRow) -> fmt::Result {
    let short = |v: Option<Decimal>| if v.is_none() { "-".to_owned() } else { pct(v) };
    writeln!(
        f,
        "      {label:<14}{:>10}{:>9}{:>14}{:>12}{:>13}{:>12}{:>9}{:>9}",
        r.customers,
        r.churned,
        r.start_mrr.amount().to_string(),
        r.expansion.amount().to_string(),
        r.contraction.amount().to_string(),
        r.churn.amount().to_string(),
        short(r.grr),
        short(r.nrr)
    )
}

/// A cohort's label: `2024-03` (a month) or `2024 Q1` (a quarter).
fn cohort(grain: CohortGrain, first: NaiveDate) -> String {
    match grain {
        CohortGrain::Month => first.format("%Y-%m").to_string(),
        CohortGrain::Quarter => first.format("%Y Q%q").to_string(),
    }
}

impl fmt::Display for RetentionSection {
    /// The period, then the movements, retention and churn rates, one per line, then the rows
    /// by acquisition cohort and by tier (`(no tier)` last).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (r, t) = (&self.retention.total, &self.retention.terms);
        let (start, end) = (t.start().format("%Y-%m-%d"), t.end().format("%Y-%m-%d"));
        writeln!(
            f,
            "  retention, the {}: customers paying on {start} (MRR then) read again on {end}",
            self.terms.period
        )?;
        row(f, "customers at the start", &r.customers.to_string(), &format!("  ({} churned)", r.churned))?;
        row(f, "MRR at the start", &r.start_mrr.to_string(), "")?;
        row(f, "  + expansion", &r.expansion.to_string(), "")?;
        row(f, "  - contraction", &r.contraction.to_string(), "")?;
        row(f, "  - churned MRR", &r.churn.to_string(), "")?;
        row(f, "MRR at the end", &r.end_mrr.to_string(), "")?;
        row(f, "gross revenue retention (GRR)", &pct(r.grr), "  = (start - contraction - churn) / start")?;
        row(f, "net revenue retention (NRR)", &pct(r.nrr), "  = end / start")?;
        row(f, "logo churn", &r.logo_churn.to_string(), "")?;
        row(f, "gross revenue churn", &pct(r.gross_revenue_churn), "  = (churn + contraction) / start")?;
        row(f, "net revenue churn", &pct(r.net_revenue_churn), "  = (churn + contraction - expansion) / start")?;
        if self.retention.facts_after_as_of > 0 {
            writeln!(f, "    ({} facts after as_of not counted)", self.retention.facts_after_as_of)?;
        }
        let grain = match self.terms.cohort {
            CohortGrain::Month => "month",
            CohortGrain::Quarter => "quarter",
        };
        let heading = |f: &mut fmt::Formatter<'_>, what: &str| {
            writeln!(
                f,
                "      {what:<14}{:>10}{:>9}{:>14}{:>12}{:>13}{:>12}{:>9}{:>9}",
                "customers",
                "churned",
                format!("start ({})", r.start_mrr.currency()),
                "expansion",
                "contraction",
                "churn",
                "GRR",
                "NRR"
            )
        };
        writeln!(f, "    by acquisition {grain} (first paid subscription)")?;
        heading(f, grain)?;
        for (first, row) in &self.retention.by_cohort {
            line(f, &cohort(self.terms.cohort, *first), row)?;
        }
        if let Some(segment) = &self.segment {
            writeln!(f, "    by ICP tier (fit in segment `{segment}`)")?;
            heading(f, "tier")?;
            let named = self.retention.by_tier.iter().filter_map(|(k, row)| Some((k.as_deref()?, row)));
            for (tier, row) in named.chain(self.retention.by_tier.get(&None).map(|row| ("(no tier)", row))) {
                line(f, tier, row)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn rates_show_as_percent_with_two_decimals() {
        assert_eq!(pct(Some(dec!(0.7333))), "73.33%");
        assert_eq!(pct(Some(dec!(1.05))), "105.00%");
        assert_eq!(pct(Some(dec!(-0.0125))), "-1.25%");
        assert_eq!(pct(None), "undefined");
        let first = NaiveDate::from_ymd_opt(2024, 4, 1).unwrap();
        assert_eq!(cohort(CohortGrain::Quarter, first), "2024 Q2");
        assert_eq!(cohort(CohortGrain::Month, first), "2024-04");
    }
}
