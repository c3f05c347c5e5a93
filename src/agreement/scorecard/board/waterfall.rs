//! The plain-text rendering of the waterfall section (what the quickstart prints after the
//! funnel): one row per open stage with its flow, conversions and time in stage; the open
//! leads by age; each group's win rate and cycle against the overall with its sample sizes;
//! then each experiment's verdict.
//!
//! Formatting only: every figure is a field of the section.

use core::fmt;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::agreement::scorecard::{ExperimentResult, WaterfallSection};
use crate::agreement::{LeadGrouping, StageRate};
use crate::experiment::Verdict;
use crate::metrics::{GroupEffect, StageTime};
use crate::{Ratio, StageId};

/// `r` as a percentage with one decimal (`33.3%`); `-` for `0/0`.
fn percent(r: &Ratio) -> String {
    r.percent().map_or_else(
        || "-".to_owned(),
        |p| {
            let mut p = p.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero);
            p.rescale(1);
            format!("{p}%")
        },
    )
}

/// `d` rounded to one decimal, signed when asked; `-` without a value.
fn days(d: Option<Decimal>, signed: bool) -> String {
    d.map_or_else(
        || "-".to_owned(),
        |d| {
            let mut d = d.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero);
            d.rescale(1);
            if signed && d >= Decimal::ZERO { format!("+{d}") } else { d.to_string() }
        },
    )
}

fn time_of<'a>(times: &'a [StageTime], stage: &StageId) -> Option<&'a StageTime> {
    times.iter().find(|t| t.stage == *stage)
}

const fn grouping(g: LeadGrouping) -> &'static str {
    match g {
        LeadGrouping::LeadSource => "lead source",
        LeadGrouping::Owner => "owner",
    }
}

impl fmt::Display for WaterfallSection {
    /// The stage rows, the aging line, the group effects (one line per group), then the
    /// experiments.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = &self.waterfall;
        writeln!(f, "  funnel waterfall, leads entering each stage in the {}", self.window)?;
        writeln!(
            f,
            "    {:<14}{:>8}{:>9}{:>8}{:>7}{:>9}{:>9}{:>8}{:>13}",
            "stage", "entered", "advanced", "leaked", "open", "to next", "settled", "to won", "median days"
        )?;
        for row in &w.overall.stages {
            let median = time_of(&w.overall.time_in_stage, &row.stage).and_then(|t| t.completed.median);
            writeln!(
                f,
                "    {:<14}{:>8}{:>9}{:>8}{:>7}{:>9}{:>9}{:>8}{:>13}",
                row.stage.as_str(),
                row.entered,
                row.advanced,
                row.leaked,
                row.open,
                percent(&row.to_next_exact),
                percent(&row.settled_exact),
                percent(&row.to_won_exact),
                days(median, false)
            )?;
        }
        let mut aging = Vec::new();
        for bucket in &w.overall.aging {
            let range = bucket
                .to_days
                .map_or_else(|| format!("{}+", bucket.from_days), |to| format!("{}-{}", bucket.from_days, to - 1));
            aging.push(format!("{range}: {}", bucket.open));
        }
        writeln!(f, "    open leads by days since created: {}", aging.join(", "))?;
        let o = &w.overall.outcomes;
        writeln!(
            f,
            "    by {:<20}{:>7}{:>6}{:>10}{:>12}{:>14}{:>12}",
            grouping(self.group_by),
            "closed",
            "won",
            "win rate",
            "vs overall",
            "median cycle",
            "vs overall"
        )?;
        let overall = ("overall", o.closed, o.won, percent(&o.win_rate_exact), o.cycle.median);
        let rows = w.groups.iter().map(|(key, g)| {
            let x = &g.outcomes;
            (key.as_str(), x.closed, x.won, percent(&x.win_rate_exact), x.cycle.median)
        });
        for (key, closed, won, rate, median) in core::iter::once(overall).chain(rows) {
            let effect: Option<&GroupEffect> = w.effects.get(key);
            let rate_delta = effect.and_then(|e| e.win_rate_delta).map(|d| d * Decimal::ONE_HUNDRED);
            let cycle_delta = effect.and_then(|e| e.median_cycle_delta);
            let vs = |d: Option<Decimal>, unit: &str| {
                if key == "overall" { String::new() } else { format!("{}{unit}", days(d, true)) }
            };
            let line = format!(
                "       {key:<20}{closed:>7}{won:>6}{rate:>10}{:>12}{:>14}{:>12}",
                vs(rate_delta, " pts"),
                days(median, false),
                vs(cycle_delta, " d")
            );
            writeln!(f, "{}", line.trim_end())?;
        }
        for experiment in &self.experiments {
            write!(f, "{experiment}")?;
        }
        Ok(())
    }
}

impl fmt::Display for ExperimentResult {
    /// `experiment: name`, the control's rate, then one line per variant with its difference,
    /// interval, p-value and verdict.
    #[allow(clippy::float_arithmetic)] // the comparison's statistics are f64: shown in points
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rate = match self.rate {
            StageRate::ToNext => "to the next stage",
            StageRate::Settled => "settled",
            StageRate::ToWon => "to won",
        };
        writeln!(f, "  experiment: {} ({} {rate}, {} confidence)", self.name, self.stage.as_str(), self.confidence)?;
        writeln!(f, "    control {:<16}{:>22}", self.control, self.control_rate.to_string())?;
        for v in &self.variants {
            let Some(c) = &v.comparison else {
                writeln!(
                    f,
                    "    variant {:<16}{:>22}  no comparison (a rate without trials)",
                    v.key,
                    v.rate.to_string()
                )?;
                continue;
            };
            let pts = |x: f64| format!("{:+.1}", x * 100.0);
            let p = c.p_value.map_or_else(|| "-".to_owned(), |p| format!("{p:.4}"));
            let verdict = match c.verdict {
                Some(Verdict::VariantHigher) => "higher",
                Some(Verdict::VariantLower) => "lower",
                Some(Verdict::NoSignificantDifference) => "no significant difference",
                None => "no verdict (no variance)",
            };
            writeln!(
                f,
                "    variant {:<16}{:>22}  difference {} pts [{}, {}], p = {p}: {verdict}",
                v.key,
                v.rate.to_string(),
                pts(c.difference),
                pts(c.interval.lower),
                pts(c.interval.upper)
            )?;
        }
        Ok(())
    }
}
