//! The plain-text rendering of the return-on-marketing section (what the quickstart prints
//! after unit economics): spend and ROAS per model by channel, the blended row with each
//! model's attributed revenue, then the cost per stage.
//!
//! Formatting only: every figure is a field of the section.

use core::fmt;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::Money;
use crate::agreement::scorecard::ReturnSection;
use crate::metrics::ReturnRow;

/// A ROAS as `3.21x` (two decimals, half away from zero), `-` without spend.
fn roas(r: Option<Decimal>) -> String {
    r.map_or_else(
        || "-".to_owned(),
        |r| {
            let mut r = r.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
            r.rescale(2);
            format!("{r}x")
        },
    )
}

/// `    label    spend    roas roas ...`.
fn line(f: &mut fmt::Formatter<'_>, label: &str, row: &ReturnRow) -> fmt::Result {
    write!(f, "    {label:<18}{:>18}", row.spend.amount().to_string())?;
    for m in &row.models {
        write!(f, "{:>18}", roas(m.roas))?;
    }
    writeln!(f)
}

/// A cost line: `    cost per lead    123.45 USD  (4988 leads)`, or `undefined`.
fn cost(f: &mut fmt::Formatter<'_>, (what, plural): (&str, &str), value: Option<Money>, count: u64) -> fmt::Result {
    let value = value.map_or_else(|| "undefined".to_owned(), |m| m.to_string());
    writeln!(f, "    {:<29}{value:>20}  ({count} {plural})", format!("cost per {what}"))
}

impl fmt::Display for ReturnSection {
    /// The window and spend, one row per channel (spend on no channel last, as
    /// `(no channel)`), the blended row, each model's attributed revenue, then the cost per
    /// lead, MQL, SQL, opportunity (each when counted) and new customer; one per line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = &self.table;
        let (start, end) = (t.period.start().format("%Y-%m-%d"), t.period.end().format("%Y-%m-%d"));
        writeln!(
            f,
            "  return on marketing, the {} [{start}, {end}): spend in it, journeys converting in it",
            self.window
        )?;
        write!(f, "    {:<18}{:>18}", "channel", format!("spend ({})", t.spend.currency()))?;
        for model in &t.models {
            write!(f, "{:>18}", format!("ROAS {model}"))?;
        }
        writeln!(f)?;
        let named = t.by_channel.iter().filter_map(|(c, row)| c.as_ref().map(|c| (c.as_str(), row)));
        let unnamed = t.by_channel.get(&None).map(|row| ("(no channel)", row));
        for (label, row) in named.chain(unnamed) {
            line(f, label, row)?;
        }
        line(f, "blended", &t.total)?;
        for ((model, revenue), total) in t.models.iter().zip(&t.bookings).zip(&t.total.models) {
            let roi =
                total.roi.map_or_else(|| "-".to_owned(), |r| format!("{}%", (r * Decimal::ONE_HUNDRED).round_dp(1)));
            writeln!(f, "    {:<29}{:>20}  ROI {roi}", format!("revenue, {model}"), revenue.to_string())?;
        }
        let c = &self.cost;
        cost(f, ("lead", "leads"), c.lead, c.counts.leads)?;
        for (what, value, count) in [
            (("MQL", "MQLs"), c.mql, c.counts.mqls),
            (("SQL", "SQLs"), c.sql, c.counts.sqls),
            (("opportunity", "opportunities"), c.opportunity, c.counts.opportunities),
        ] {
            if count > 0 {
                cost(f, what, value, count)?;
            }
        }
        cost(f, ("new customer", "new customers"), c.customer, c.counts.customers)?;
        if !self.excluded.is_empty() {
            writeln!(f, "    ({} records set aside)", self.excluded.len())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{Company, sample_agreement};

    #[test]
    fn one_row_per_channel_then_blended_revenue_and_costs() {
        let company = Company::new(5, 600).unwrap();
        let card = sample_agreement().unwrap().evaluate(&company.facts(), company.as_of()).unwrap();
        let section = card.return_on_marketing.unwrap();
        let text = section.to_string();
        let lines: Vec<&str> = text.lines().collect();
        let channels = section.table.by_channel.len();
        let models = section.table.models.len();
        assert!(lines[0].starts_with("  return on marketing, the trailing 12 months ["), "{text}");
        assert!(lines[1].contains("ROAS"), "{text}");
        assert!(lines[2 + channels].starts_with("    blended"), "{text}");
        for (i, model) in section.table.models.iter().enumerate() {
            assert!(lines[3 + channels + i].contains(&format!("revenue, {model}")), "{text}");
        }
        assert!(lines[3 + channels + models].starts_with("    cost per lead"), "{text}");
        assert!(lines.last().unwrap().starts_with("    cost per new customer"), "{text}");
    }

    #[test]
    fn roas_has_two_decimals_or_a_dash() {
        assert_eq!(roas(None), "-");
        assert_eq!(roas(Some(Decimal::new(32_150, 4))), "3.22x");
        assert_eq!(roas(Some(Decimal::from(5))), "5.00x");
    }
}
