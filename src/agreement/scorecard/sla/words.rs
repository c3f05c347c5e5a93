//! An SLA part's definitions in words, as the board prints them: [`SlaWords`].

use chrono::{Datelike, Weekday};

use crate::calendar::{BusinessCalendar, WorkingWindow, Zone};
use crate::sla::{ClockStart, DispositionPolicy, ResponsePolicy, VolumeAmount, VolumeCommitment, VolumeMeasure};

/// An SLA part's definitions in words: what the board prints above the figures, so a reader
/// sees what was measured. Derived from the agreement (the same agreement, the same words).
///
/// # Example
///
/// ```
/// use revops::testkit::{Company, sample_agreement};
///
/// let company = Company::new(42, 50)?;
/// let card = sample_agreement()?.evaluate(&company.facts(), company.as_of())?;
/// let words = card.sla.get("sales_follow_up").map(|s| &s.words);
/// assert_eq!(words.map(|w| w.calendar.as_str()), Some("America/New_York Mon-Fri 09:00-17:00, 20 holidays in 2024-2025"));
/// assert_eq!(words.and_then(|w| w.disposition.as_deref()), Some("accept, reject or recycle within 2 business days"));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaWords {
    /// The calendar: zone, working days and hours, holidays (e.g. `America/New_York Mon-Fri
    /// 09:00-17:00, 20 holidays in 2024-2025`).
    pub calendar: String,
    /// The response policy (e.g. `first sales touch within 4h business time of the MQL (at
    /// risk at 75%)`).
    pub response: Option<String>,
    /// The disposition policy (e.g. `accept, reject or recycle within 2 business days`).
    pub disposition: Option<String>,
    /// Each volume commitment, in the agreement's order (e.g. `at least 160 MQLs per month
    /// (months in New York time)`).
    pub volume: Vec<String>,
    /// What speed to lead measures, from the response policy's clock (e.g. `MQL to first
    /// sales touch`).
    pub speed: Option<String>,
    /// The earliest opening of the calendar's week (e.g. `09:00`), if it ever opens.
    pub opening: Option<String>,
}

const DAYS: [Weekday; 7] =
    [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];

impl SlaWords {
    pub(super) fn new(
        calendar: &BusinessCalendar,
        response: Option<&ResponsePolicy>,
        disposition: Option<&DispositionPolicy>,
        volume: &[VolumeCommitment],
    ) -> SlaWords {
        SlaWords {
            calendar: describe_calendar(calendar),
            response: response.map(describe_response),
            disposition: disposition
                .map(|p| format!("accept, reject or recycle within {}{}", p.within(), at_risk(p.at_risk()))),
            volume: volume.iter().map(|v| describe_volume(v, calendar.zone())).collect(),
            speed: response.map(|p| format!("{} to first {}", start(p.clock_start()).0, touch(p))),
            opening: DAYS
                .iter()
                .flat_map(|d| calendar.windows(*d))
                .map(WorkingWindow::start_minute)
                .min()
                .map(|m| format!("{:02}:{:02}", m / 60, m % 60)),
        }
    }
}

/// `Mon-Fri 09:00-17:00, Sat 10:00-14:00`: runs of consecutive days with equal windows.
fn describe_calendar(calendar: &BusinessCalendar) -> String {
    let mut runs: Vec<(Weekday, Weekday, &[WorkingWindow])> = Vec::new();
    for day in DAYS {
        let windows = calendar.windows(day);
        if windows.is_empty() {
            continue;
        }
        match runs.last_mut() {
            Some((_, last, w)) if *w == windows && last.succ() == day => *last = day,
            _ => runs.push((day, day, windows)),
        }
    }
    let week: Vec<String> = runs
        .iter()
        .map(|(first, last, windows)| {
            let hours: Vec<String> = windows.iter().map(ToString::to_string).collect();
            let days = if first == last { format!("{first}") } else { format!("{first}-{last}") };
            format!("{days} {}", hours.join(" "))
        })
        .collect();
    let week = if week.is_empty() { "never open".to_owned() } else { week.join(", ") };
    let holidays = calendar.holidays();
    let years = holidays.first().zip(holidays.last()).map(|(a, b)| (a.year(), b.year()));
    let holidays = match (holidays.len(), years) {
        (0, _) | (_, None) => "no holidays".to_owned(),
        (1, Some((year, _))) => format!("1 holiday in {year}"),
        (n, Some((a, b))) if a == b => format!("{n} holidays in {a}"),
        (n, Some((a, b))) => format!("{n} holidays in {a}-{b}"),
    };
    let exceptions = match calendar.exceptions().len() {
        0 => String::new(),
        1 => ", 1 exception".to_owned(),
        n => format!(", {n} exceptions"),
    };
    format!("{} {week}, {holidays}{exceptions}", calendar.zone_name())
}

fn at_risk(threshold: Option<crate::Probability>) -> String {
    threshold.map_or_else(String::new, |p| format!(" (at risk at {}%)", p.percent().normalize()))
}

/// `first sales touch within 4h business time of the MQL (at risk at 75%)`.
fn describe_response(policy: &ResponsePolicy) -> String {
    let time = if policy.target().as_time().is_some() { " business time" } else { "" };
    let start = start(policy.clock_start()).1;
    format!("first {} within {}{time} of {start}{}", touch(policy), policy.target(), at_risk(policy.at_risk()))
}

/// `sales touch`, or the qualifying kinds (`call or meeting`).
fn touch(policy: &ResponsePolicy) -> String {
    match policy.qualifying_touches() {
        None => "sales touch".to_owned(),
        Some(kinds) => kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(" or "),
    }
}

/// The clock's start as a noun, bare and with its article.
const fn start(clock: ClockStart) -> (&'static str, &'static str) {
    match clock {
        ClockStart::LeadCreated => ("lead creation", "the lead's creation"),
        ClockStart::Handoff => ("handoff", "the handoff"),
        _ => ("MQL", "the MQL"),
    }
}

/// `at least 160 MQLs per month (months in New York time)`.
fn describe_volume(commitment: &VolumeCommitment, zone: Zone) -> String {
    let what = match (commitment.measure(), commitment.minimum()) {
        (VolumeMeasure::Sqls, VolumeAmount::Count(n)) => format!("{n} SQLs"),
        (_, VolumeAmount::Count(n)) => format!("{n} MQLs"),
        (_, VolumeAmount::Amount(money)) => format!("{money} of pipeline"),
    };
    let zone = zone.to_string();
    let place = zone.rsplit('/').next().unwrap_or(&zone).replace('_', " ");
    format!("at least {what} per month (months in {place} time)")
}
