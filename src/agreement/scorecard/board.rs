//! The plain-text rendering of the board's figure lists (what the quickstart prints): each
//! figure on its own line, label, value right-aligned, then its parts.
//!
//! Formatting only: every figure and part is a field of the section; undefined figures (a
//! quotient over zero) show as `undefined`.

mod forecast;
mod icp;
mod marketing_return;
mod retention;
mod waterfall;

use core::fmt;

use rust_decimal::Decimal;

use super::{CoverageKpi, CurrencySection, EconomicsSection, SourceEconomics, VelocityKpi};
use crate::fx::DateRule;
use crate::metrics::{CashTiming, Ltv, RevenueChurn};
use crate::{ChannelId, Money, Period};

/// `money`, or `undefined`.
fn money(m: Option<Money>) -> String {
    m.map_or_else(|| "undefined".to_owned(), |m| m.to_string())
}

/// One figure: `    label               value tail`.
fn row(f: &mut fmt::Formatter<'_>, label: &str, value: &str, tail: &str) -> fmt::Result {
    writeln!(f, "    {label:<29}{value:>20}{tail}")
}

/// The calendar quarter `p` starts, formatted with `format` (`%q` the quarter, `%Y` the year).
/// A day after the start is in the quarter's first month in every zone (offsets are under a
/// day), so its UTC date names the quarter of the reporting zone.
fn quarter(p: &Period, format: &str) -> String {
    let day = p.start().checked_add_signed(chrono::TimeDelta::days(1)).unwrap_or(p.start());
    day.format(format).to_string()
}

impl fmt::Display for VelocityKpi {
    /// The velocity with its parts, and the velocity from the rounded parts, one per line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = &self.velocity;
        let days = v.cycle_days.map_or_else(|| "-".to_owned(), |d| d.round_dp(1).to_string());
        writeln!(f, "  pipeline velocity = open qualified x win rate x average deal size / cycle days")?;
        row(f, "open qualified opportunities", &v.open_qualified.to_string(), "")?;
        row(f, &format!("win rate ({})", self.window), &v.win_rate.to_string(), "")?;
        row(f, "average won deal size", &money(v.average_deal_size), "")?;
        row(f, "cycle length (elapsed days)", &days, "")?;
        row(f, "velocity per day", &money(v.per_day), "")?;
        row(f, "(from the rounded parts", &money(self.per_day_from_parts), ")")
    }
}

impl fmt::Display for CoverageKpi {
    /// `coverage Q2 2025   open/remaining (pct)  (parts)` on one line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.coverage;
        let ratio = c.coverage.map_or_else(|| "undefined (quota met)".to_owned(), |r| r.to_string());
        let assumed = if self.assumed { "; assumed quota" } else { "" };
        let q = quarter(&self.period, "Q%q");
        let tail = format!("  (open qualified closing in {q} / quota {} - won {}{assumed})", c.quota, c.won);
        row(f, &quarter(&self.period, "coverage Q%q %Y"), &ratio, &tail)
    }
}

impl fmt::Display for EconomicsSection {
    /// The window and assumptions, then CAC, LTV, LTV:CAC, payback and the CAC ratio, one per
    /// line, each with its parts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (t, cac) = (&self.terms, &self.cac);
        let lag = match t.spend_lag_months {
            1 => "one month".to_owned(),
            n => format!("{n} months"),
        };
        let (from, to) = (self.window.first_month.format("%b %Y"), self.last_month.format("%b %Y"));
        writeln!(f, "  unit economics (customers acquired {from} - {to}, spend lagged {lag})")?;
        let (m, churn, rate) = (t.gross_margin, t.monthly_churn, t.discount_rate);
        writeln!(f, "    assumptions: gross margin {m}, monthly logo churn {churn}, monthly discount rate {rate},")?;
        writeln!(f, "                 ARPA = mean won ACV / {} = {} a month", t.acv_months, money(self.arpa))?;
        row(f, "S&M spend (fully loaded)", &cac.spend.to_string(), &format!("  for {} new customers", cac.customers))?;
        row(f, "blended CAC", &money(cac.blended), "")?;
        let paid = format!("  ({} paid spend / {} paid-channel customers)", cac.paid_spend, cac.paid_customers);
        row(f, "paid CAC", &money(cac.paid), &paid)?;
        let value = |l: &Option<Ltv>| money(l.as_ref().and_then(|l| l.value));
        row(f, "LTV (simple)", &value(&self.ltv), "  = ARPA x margin / churn")?;
        let timing = match t.cash_timing {
            CashTiming::StartOfPeriod => ("start", "m (1 + d) / (c + d)"),
            CashTiming::EndOfPeriod => ("end", "m / (c + d)"),
        };
        row(f, &format!("LTV (discounted, {})", timing.0), &value(&self.discounted_ltv), &format!("  = {}", timing.1))?;
        let rounded = |v: Option<Decimal>, dp| v.map(|v| v.round_dp(dp));
        let to_cac = rounded(self.ltv_to_cac.and_then(|r| r.value()), 1).map(|v| format!("{v:.1} : 1"));
        row(f, "LTV:CAC", to_cac.as_deref().unwrap_or("undefined"), "")?;
        if let Some(m) = &self.measured {
            let basis = match m.basis {
                RevenueChurn::Gross => "gross",
                RevenueChurn::Net => "net",
            };
            let churn = m
                .churn
                .map_or_else(|| "undefined".to_owned(), |c| format!("{}%", (c * Decimal::ONE_HUNDRED).round_dp(2)));
            let month = self.last_month.format("%b %Y");
            let tail =
                format!("  = ARPA x margin / {churn} ({month} {basis} revenue churn, {} customers)", m.month.customers);
            row(f, &format!("LTV (measured {basis} churn)"), &value(&m.ltv), &tail)?;
            let to_cac = rounded(m.ltv_to_cac.and_then(|r| r.value()), 1).map(|v| format!("{v:.1} : 1"));
            row(f, "LTV:CAC (measured churn)", to_cac.as_deref().unwrap_or("undefined"), "")?;
        }
        let payback = self.payback_months.map(|m| format!("{m} months"));
        row(f, "CAC payback", payback.as_deref().unwrap_or("undefined"), "")?;
        if let Some(r) = &self.cac_ratio {
            let value = rounded(r.ratio.value(), 2).map_or_else(|| "undefined".to_owned(), |v| v.to_string());
            let label = format!(
                "CAC ratio ({} new ARR x margin / {} spend)",
                quarter(&r.new_arr_period, "Q%q"),
                quarter(&r.spend_period, "Q%q")
            );
            let margin = m.fraction().normalize();
            writeln!(f, "    {label} {value:>6}  ({} x {margin} / {})", r.new_arr, r.spend)?;
        }
        let by_source = "LTV by lead source (a customer's first won deal's source; LTV at the assumed churn)";
        acquisition_rows(f, by_source, ["source", "(no source)"], &self.by_source)?;
        let by_first_touch = "LTV by first-touch channel (of the first won deal's journey; LTV at the assumed churn)";
        acquisition_rows(f, by_first_touch, ["first touch", "(no touch)"], &self.by_first_touch)?;
        Ok(())
    }
}

/// One table of acquisition rows (lead source or first-touch channel) under `title`, headed by
/// the key's name, the `None` row labelled `none`; nothing without rows.
fn acquisition_rows(
    f: &mut fmt::Formatter<'_>,
    title: &str,
    [key, none]: [&str; 2],
    rows: &[SourceEconomics],
) -> fmt::Result {
    let Some(first) = rows.first() else { return Ok(()) };
    let currency = first.cac.spend.currency();
    writeln!(f, "    {title}")?;
    writeln!(
        f,
        "      {key:<16}{:>10}{:>16}{:>13}{:>11}{:>13}{:>9}",
        "customers",
        format!("spend ({currency})"),
        "CAC",
        "ARPA",
        "LTV",
        "LTV:CAC"
    )?;
    let bare = |m: Option<Money>| m.map_or_else(|| "-".to_owned(), |m| m.amount().to_string());
    for r in rows {
        let source = r.source.as_ref().map_or(none, ChannelId::as_str);
        let to_cac =
            r.ltv_to_cac.and_then(|x| x.value()).map_or_else(|| "-".to_owned(), |v| format!("{:.1}", v.round_dp(1)));
        let ltv = bare(r.ltv.as_ref().and_then(|l| l.value));
        writeln!(
            f,
            "      {source:<16}{:>10}{:>16}{:>13}{:>11}{ltv:>13}{to_cac:>9}",
            r.cac.customers,
            r.cac.spend.amount(),
            bare(r.cac.blended),
            bare(r.arpa)
        )?;
    }
    Ok(())
}

impl fmt::Display for CurrencySection {
    /// The target currency and date rule, the count of values converted, every rate used, one
    /// per line, and the records without a rate.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rule = match self.date_rule {
            DateRule::CloseDate => {
                "a deal at its close, expected while open; other records at their own date".to_owned()
            }
            DateRule::FrozenAtClose => "an open deal at as_of, a closed one at its close".to_owned(),
            DateRule::Constant(day) => format!("every record at {day}"),
        };
        writeln!(f, "  money reported in {} through the agreement's rates ({rule})", self.currency)?;
        writeln!(f, "    values converted from another currency  {}", self.converted)?;
        for rate in &self.rates_used {
            writeln!(f, "    rate used: {rate}")?;
        }
        match self.excluded.len() {
            0 => writeln!(f, "    records without a rate  none"),
            n => writeln!(f, "    records without a rate  {n} (kept in their own currency, set aside where summed)"),
        }
    }
}
