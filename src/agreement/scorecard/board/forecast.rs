//! The plain-text rendering of the forecast section (what the quickstart prints after the
//! coverage line): one row per category with count, amount and weighted amount, then the
//! cumulative columns with their coverage, then the quota they are read against.
//!
//! Formatting only: every figure is a field of the section.

use core::fmt;

use rust_decimal::{Decimal, RoundingStrategy};

use super::quarter;
use crate::Ratio;
use crate::agreement::ReportWindow;
use crate::agreement::scorecard::ForecastSection;
use crate::forecast::CategoryTotals;

/// `r` as a percentage with one decimal (`325.6%`), `-` without a ratio, `undefined` for an
/// out-of-range one.
fn percent(r: Option<&Ratio<Decimal>>) -> String {
    match r.map(Ratio::percent) {
        None => "-".to_owned(),
        Some(None) => "undefined".to_owned(),
        Some(Some(p)) => {
            let mut p = p.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero);
            p.rescale(1);
            format!("{p}%")
        }
    }
}

/// `    label    deals    amount    weighted` and a tail.
fn totals(f: &mut fmt::Formatter<'_>, label: &str, t: &CategoryTotals, tail: &str) -> fmt::Result {
    let (amount, weighted) = (t.amount.to_string(), t.weighted.to_string());
    writeln!(f, "    {label:<20}{:>7}{amount:>20}{weighted:>20}{tail}", t.deals)
}

impl fmt::Display for ForecastSection {
    /// The period, the single columns (every category, then all deals), the cumulative
    /// columns with coverage and the share of quota, then the quota line (with a quota) and the
    /// open deals left out for want of a close date (if any); one per line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = &self.rollup;
        let when = match self.window {
            ReportWindow::Quarter(_) => format!("{} ({})", quarter(&self.period, "Q%q %Y"), self.window),
            window => format!("the {window}"),
        };
        writeln!(f, "  forecast by category, deals closing in {when}")?;
        writeln!(f, "    {:<20}{:>7}{:>20}{:>20}", "category", "deals", "amount", "weighted")?;
        for (category, t) in &r.single {
            totals(f, &category.as_str().replace('_', " "), t, "")?;
        }
        totals(f, "all deals", &r.total, "")?;
        writeln!(
            f,
            "    {:<20}{:>7}{:>20}{:>20}{:>11}{:>11}",
            "cumulative", "deals", "amount", "weighted", "coverage", "to quota"
        )?;
        for (rollup, c) in &r.cumulative {
            let coverage = match (&r.quota, &c.coverage) {
                (Some(_), None) => "quota met".to_owned(),
                (_, coverage) => percent(coverage.as_ref()),
            };
            let tail = format!("{coverage:>11}{:>11}", percent(c.to_quota.as_ref()));
            totals(f, &rollup.as_str().replace('_', " "), &c.totals, &tail)?;
        }
        if let Some(quota) = &r.quota {
            let assumed = if self.assumed { " (assumed)" } else { "" };
            let left = r.remaining.map_or_else(|| "none".to_owned(), |m| m.to_string());
            writeln!(
                f,
                "    (coverage = open amount / quota still to close: quota {quota}{assumed} - closed = {left})"
            )?;
        }
        if r.open_without_close_date > 0 {
            writeln!(f, "    ({} open deals without a close date left out)", r.open_without_close_date)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agreement::Agreement;
    use crate::testkit::{Company, sample_agreement};

    fn section(agreement: &Agreement, company: &Company) -> ForecastSection {
        agreement.evaluate(&company.facts(), company.as_of()).unwrap().forecast.unwrap()
    }

    #[test]
    fn one_row_per_category_and_per_cumulative_column() {
        let company = Company::new(5, 600).unwrap();
        let text = section(&sample_agreement().unwrap(), &company).to_string();
        let lines: Vec<&str> = text.lines().collect();
        // Heading, header, 5 categories, all deals, header, 4 cumulative columns, quota line.
        assert_eq!(lines.len(), 1 + 1 + 5 + 1 + 1 + 4 + 1, "{text}");
        assert!(lines[0].starts_with("  forecast by category, deals closing in Q"), "{text}");
        assert!(lines[0].ends_with(" (current quarter)"), "{text}");
        let labels: Vec<&str> = lines.iter().map(|l| l.get(4..24).unwrap_or("").trim()).collect();
        assert_eq!(
            labels[2..],
            [
                "pipeline",
                "best case",
                "commit",
                "omitted",
                "closed",
                "all deals",
                "cumulative",
                "open pipeline",
                "best case forecast",
                "commit forecast",
                "closed only",
                "(coverage = open amo"
            ]
        );
        assert!(lines[13].contains("(assumed)"), "{text}");
    }

    #[test]
    fn percentages_and_missing_ratios() {
        assert_eq!(percent(None), "-");
        let r = Ratio::try_new(Decimal::new(48_845, 1), Decimal::new(15_000, 1)).unwrap();
        assert_eq!(percent(Some(&r)), "325.6%");
    }
}
