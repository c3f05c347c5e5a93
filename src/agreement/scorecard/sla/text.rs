//! [`SlaSection`] as plain text: the figures of the quickstart's board, below the definitions.

use core::fmt;

use chrono::TimeDelta;

use super::{SlaSection, SlaTimers};
use crate::calendar::HoursMinutes;
use crate::sla::{VolumeAmount, VolumeMeasure};

/// A duration to the minute (rounded down), `-` for none.
struct Minutes(Option<TimeDelta>);

impl fmt::Display for Minutes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0.and_then(|d| TimeDelta::try_minutes(d.num_minutes())).map(|d| HoursMinutes(d).to_string());
        f.pad(text.as_deref().unwrap_or("-"))
    }
}

/// `n running (k at risk), p paused; next at risk <instant> (lead L), next breach <instant> (lead M)`.
struct Timers<'a>(&'a SlaTimers);

impl fmt::Display for Timers<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.0;
        write!(f, "{} running ({} at risk), {} paused", t.running, t.at_risk, t.paused)?;
        for (label, timer) in [("next at risk", &t.next_at_risk), ("next breach", &t.next_breach)] {
            if let Some(timer) = timer {
                write!(f, "; {label} {} (lead {})", timer.at.format("%Y-%m-%d %H:%M UTC"), timer.lead.as_str())?;
            }
        }
        Ok(())
    }
}

fn amount(amount: VolumeAmount) -> String {
    match amount {
        VolumeAmount::Count(n) => n.to_string(),
        VolumeAmount::Amount(money) => money.to_string(),
    }
}

impl fmt::Display for SlaSection {
    /// The figures as the quickstart prints them (the definitions in [`SlaWords`](super::SlaWords)
    /// are the caller's to print above): compliance and speed per team and in total, speed to
    /// lead in business and wall-clock time, the breaches, the disposition compliance,
    /// marketing's volume per month and quality; each line indented two spaces, every
    /// duration to the minute (rounded down).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::{Company, sample_agreement};
    ///
    /// let company = Company::new(42, 300)?;
    /// let card = sample_agreement()?.evaluate(&company.facts(), company.as_of())?;
    /// let text = card.sla.get("sales_follow_up").map(ToString::to_string).unwrap_or_default();
    /// assert!(text.starts_with("  response by team   met  breached"));
    /// assert!(text.contains("  marketing quality"));
    /// # Ok::<(), revops::Error>(())
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(r) = &self.response {
            let (total, speed) = (&r.summary.total, &r.summary.total.speed);
            let within = HoursMinutes(speed.target).to_string();
            let (head, compliance) = ("response by team", "compliance");
            writeln!(
                f,
                "  {head:<15}{:>6}{:>10}{:>8}  {compliance:<18}{:>9}{:>9}  within {within}",
                "met", "breached", "active", "median", "p90"
            )?;
            for (team, g) in r.summary.groups.iter().map(|(k, g)| (k.as_str(), g)).chain([("all teams", total)]) {
                let (c, m, p) = (g.compliance.to_string(), Minutes(g.speed.median), Minutes(g.speed.p90));
                writeln!(
                    f,
                    "  {team:<15}{:>6}{:>10}{:>8}  {c:<18}{m:>9}{p:>9}  {}",
                    g.met, g.breached, g.active, g.speed.within_target
                )?;
            }
            let measured = self.words.speed.as_deref().unwrap_or("first response");
            writeln!(f, "\n  speed to lead ({measured})   business time   wall clock")?;
            let wall = self.wall_clock.unwrap_or(*speed);
            writeln!(
                f,
                "    median                                 {:>15}{:>13}",
                Minutes(speed.median),
                Minutes(wall.median)
            )?;
            writeln!(
                f,
                "    p90                                    {:>15}{:>13}",
                Minutes(speed.p90),
                Minutes(wall.p90)
            )?;
            writeln!(f, "    responded / never responded            {:>15}{:>13}", speed.responded, speed.waiting)?;
            writeln!(f, "    share within {within:<26}{:>18}", speed.within_target.to_string())?;
            if let Some(opening) = &self.words.opening {
                writeln!(
                    f,
                    "    (an MQL that arrives at night and is answered before the {opening} opening took 0m of business time)"
                )?;
            }
            let (by, lead) = r.worst_breach.as_ref().map_or((None, "-"), |b| (Some(b.by), b.lead.as_str()));
            writeln!(
                f,
                "  breaches            {} (open past the deadline: {}; worst {} over, lead {lead})",
                total.breached,
                r.open_breaches,
                Minutes(by)
            )?;
        }
        if let Some(r) = &self.response {
            writeln!(f, "  response timers     {}", Timers(&r.timers))?;
        }
        if let Some(d) = &self.disposition {
            writeln!(f, "  disposition         {} compliant within {}", d.summary.total.compliance, d.within)?;
            writeln!(f, "  disposition timers  {}", Timers(&d.timers))?;
        }
        if !self.volume.is_empty() || self.quality.is_some() {
            writeln!(f)?;
        }
        for words in &self.words.volume {
            writeln!(f, "  marketing volume    {words}")?;
        }
        for v in &self.volume {
            let unit = match v.measure {
                VolumeMeasure::Sqls => " SQLs",
                VolumeMeasure::Pipeline => "",
                _ => " MQLs",
            };
            let verdict = if v.result.met { "met".to_owned() } else { format!("missed by {}", amount(v.result.gap)) };
            writeln!(f, "    {}           {:>5}{unit}  {verdict}", v.month, amount(v.result.actual))?;
        }
        if let Some(q) = &self.quality {
            writeln!(f, "  marketing quality   {} MQLs", q.mqls)?;
            for c in &q.checks {
                let verdict = match (c.met, c.gap_points) {
                    (Some(true), _) => "met".to_owned(),
                    (Some(false), Some(gap)) => format!("missed by {gap:.1} points"),
                    _ => "undefined".to_owned(),
                };
                let (metric, actual, minimum) =
                    (c.metric.as_str(), c.actual.to_string(), c.minimum.percent().normalize());
                writeln!(f, "    {metric:<16}{actual:<20} minimum {minimum:>3}%  {verdict}")?;
            }
        }
        Ok(())
    }
}
