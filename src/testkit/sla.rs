//! The sample company's SLA world: its business calendar, its sales teams, its leads as the
//! facts SLAs read (and the milestones derived from them); and proptest strategies for
//! calendars, instants and SLA instances.
//!
//! The generator already spreads sales responses around any sensible target: about a third
//! within an hour of the MQL, a third within eight hours, a fifth within two days, some later
//! and some never; MQLs arrive at any hour of any day, so some land at night, on weekends and
//! on holidays.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc, Weekday};
use proptest::prelude::*;

use super::{Company, SampleLead, SampleStage};
use crate::calendar::{BusinessCalendar, BusinessTimeline, CalendarException, WorkingWindow};
use crate::facts::FactSet;
use crate::sla::{LeadMilestones, MilestoneStages, Pause, SlaInstance};
use crate::{Error, ErrorKind, SegmentId, StageId};

/// US holidays the sample company observes in 2024 and 2025 (federal holidays without
/// Columbus Day and Veterans Day, plus the day after Thanksgiving).
pub const SAMPLE_HOLIDAYS: [(i32, u32, u32); 20] = [
    (2024, 1, 1),
    (2024, 1, 15),
    (2024, 2, 19),
    (2024, 5, 27),
    (2024, 6, 19),
    (2024, 7, 4),
    (2024, 9, 2),
    (2024, 11, 28),
    (2024, 11, 29),
    (2024, 12, 25),
    (2025, 1, 1),
    (2025, 1, 20),
    (2025, 2, 17),
    (2025, 5, 26),
    (2025, 6, 19),
    (2025, 7, 4),
    (2025, 9, 1),
    (2025, 11, 27),
    (2025, 11, 28),
    (2025, 12, 25),
];

/// The sales teams of the sample company, one per sales region, in key order.
pub const SAMPLE_TEAMS: [&str; 4] = ["apac", "europe", "latam", "north_america"];

impl Company {
    /// The sample company's business calendar: `America/New_York`, Monday to Friday
    /// 09:00-17:00, [`SAMPLE_HOLIDAYS`].
    ///
    /// # Errors
    /// None in practice (the definition is fixed and valid); the signature keeps calendar
    /// construction honest.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    ///
    /// let calendar = Company::sample().sla_calendar()?;
    /// assert_eq!(calendar.zone_name(), "America/New_York");
    /// assert_eq!(calendar.weekly_minutes(), 5 * 8 * 60);
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn sla_calendar(&self) -> Result<BusinessCalendar, Error> {
        let holidays = SAMPLE_HOLIDAYS.iter().filter_map(|&(y, m, d)| NaiveDate::from_ymd_opt(y, m, d));
        BusinessCalendar::builder("America/New_York").weekdays("09:00-17:00".parse()?).holidays(holidays).build()
    }

    /// [`Company::sla_calendar`] precomputed over 2024 and 2025 (the sample company's data and a
    /// margin), for fast evaluation of many instances.
    ///
    /// # Errors
    /// As [`Company::sla_calendar`].
    ///
    /// # Example
    ///
    /// ```
    /// use revops::calendar::BusinessClock;
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use revops::testkit::Company;
    ///
    /// let timeline = Company::sample().sla_timeline()?;
    /// // Friday 16:00 to Monday 10:00 in New York (EST, UTC-5): one hour Friday, one hour Monday.
    /// let friday = Utc.with_ymd_and_hms(2024, 3, 1, 21, 0, 0).single().unwrap_or_default();
    /// let monday = Utc.with_ymd_and_hms(2024, 3, 4, 15, 0, 0).single().unwrap_or_default();
    /// assert_eq!(timeline.between(friday, monday)?, TimeDelta::try_hours(2).unwrap_or_default());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn sla_timeline(&self) -> Result<BusinessTimeline, Error> {
        let from = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
        let to = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
        BusinessTimeline::new(&self.sla_calendar()?, from, to)
    }

    /// The sales team that owns `lead`: the sales region of its account (one of
    /// [`SAMPLE_TEAMS`]).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::{Company, SAMPLE_TEAMS};
    ///
    /// let company = Company::new(42, 100)?;
    /// for lead in company.leads() {
    ///     let team = company.team(&lead);
    ///     assert!(SAMPLE_TEAMS.contains(&team.as_str()));
    ///     assert!(company.accounts().any(|a| a.id == lead.account && a.region == team.as_str()));
    /// }
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn team(&self, lead: &SampleLead) -> SegmentId {
        let index = lead.account.as_str().get(1..).and_then(|n| n.parse::<usize>().ok()).unwrap_or(0);
        SegmentId::trusted(self.account(index).region)
    }

    /// The stages of the sample funnel that mark SLA milestones: `mql` (also the handoff: the
    /// sample company routes an MQL to sales the moment it qualifies) and `sql`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    ///
    /// let stages = Company::sla_stages();
    /// assert_eq!((stages.mql.as_str(), stages.handoff.as_str(), stages.sql.as_str()), ("mql", "mql", "sql"));
    /// ```
    #[must_use]
    pub fn sla_stages() -> MilestoneStages {
        let stage = |s: SampleStage| StageId::trusted(s.as_str().to_owned());
        MilestoneStages::new(stage(SampleStage::Mql), stage(SampleStage::Mql), stage(SampleStage::Sql))
    }

    /// The facts of `lead` that SLAs read, as one partition of the company: the same facts
    /// [`Company::facts`] generates for it (the lead, its stage changes, its first sales touch
    /// as a call, its dispositions). The SLA milestones take the earliest disposition: the
    /// acceptance at SAL entry, or the rejection or recycle at acceptance.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::sla::{DispositionPolicy, LeadMilestones};
    /// use revops::testkit::{Company, SampleStage};
    ///
    /// let company = Company::sample();
    /// let lead = company.leads().find(|l| l.entered(SampleStage::Sal).is_some()).ok_or(revops::ErrorKind::UnknownKey { kind: "example", key: "none".into() })?;
    /// let facts = Company::sla_facts(&lead);
    /// let milestones = LeadMilestones::from_fact_set(&Company::sla_stages(), &facts)?;
    /// assert_eq!(milestones.len(), 1);
    /// assert_eq!(milestones[0].disposition().map(|(at, _)| at), lead.entered(SampleStage::Sal));
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn sla_facts(lead: &SampleLead) -> FactSet {
        FactSet {
            leads: vec![lead.lead_fact()],
            stage_changes: lead.stage_change_facts(),
            responses: lead.response_facts(),
            dispositions: lead.disposition_facts(),
            ..FactSet::default()
        }
    }

    /// The SLA milestones of `lead`, derived from [`Company::sla_facts`] with
    /// [`Company::sla_stages`].
    ///
    /// # Errors
    /// None for the generator's leads (their facts are in order); the errors of
    /// [`LeadMilestones::from_fact_set`] otherwise.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::{Company, SampleStage};
    ///
    /// let company = Company::new(42, 200)?;
    /// for lead in company.leads() {
    ///     let milestones = Company::sla_milestones(&lead)?;
    ///     assert_eq!(milestones.lead(), &lead.id);
    ///     assert_eq!(milestones.mql(), lead.entered(SampleStage::Mql));
    /// }
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn sla_milestones(lead: &SampleLead) -> Result<LeadMilestones, Error> {
        let facts = Company::sla_facts(lead);
        let [fact] = facts.leads.as_slice() else {
            return Err(ErrorKind::DuplicateKey { kind: "lead id", key: lead.id.to_string() }.into());
        };
        LeadMilestones::from_facts(
            &Company::sla_stages(),
            fact,
            &facts.stage_changes,
            &facts.responses,
            &facts.dispositions,
        )
    }
}

/// Time zones the strategies draw from: both daylight-saving hemispheres, a half-hour offset
/// and UTC.
pub const STRATEGY_ZONES: [&str; 6] =
    ["America/New_York", "Europe/London", "Australia/Sydney", "Asia/Kolkata", "America/Sao_Paulo", "UTC"];

/// Up to three non-overlapping windows for one weekday (possibly none), at 15-minute marks.
///
/// # Example
///
/// ```
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
/// use revops::testkit::sla;
///
/// let mut runner = TestRunner::deterministic();
/// for _ in 0..16 {
///     let windows = sla::day_windows().new_tree(&mut runner).map(|t| t.current());
///     assert!(windows.is_ok_and(|w| w.len() <= 3));
/// }
/// ```
pub fn day_windows() -> impl Strategy<Value = Vec<WorkingWindow>> {
    proptest::collection::btree_set(0u8..=96, 0..=6).prop_map(|marks| {
        let marks: Vec<u8> = marks.into_iter().collect();
        marks
            .chunks_exact(2)
            .filter_map(|pair| match *pair {
                [a, b] => WorkingWindow::new(a / 4, a % 4 * 15, b / 4, b % 4 * 15).ok(),
                _ => None,
            })
            .collect()
    })
}

/// A valid calendar: one of [`STRATEGY_ZONES`], random windows per weekday (at least one
/// window somewhere in the week), a few holidays and exceptions in 2024-2025.
///
/// # Example
///
/// ```
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
/// use revops::testkit::sla;
///
/// let mut runner = TestRunner::deterministic();
/// for _ in 0..16 {
///     let calendar = sla::business_calendar().new_tree(&mut runner).map(|t| t.current());
///     assert!(calendar.is_ok_and(|c| sla::STRATEGY_ZONES.contains(&c.zone_name().as_str())));
/// }
/// ```
pub fn business_calendar() -> impl Strategy<Value = BusinessCalendar> {
    let zone = proptest::sample::select(STRATEGY_ZONES.to_vec());
    let week = proptest::collection::vec(day_windows(), 7);
    let holidays = proptest::collection::btree_set(0i64..730, 0..6);
    let exceptions = proptest::collection::vec((instant_2024_2025(), 1i64..72 * 60, any::<bool>()), 0..3);
    (zone, week, holidays, exceptions)
        .prop_filter("some working time", |(_, week, _, _)| week.iter().any(|d| !d.is_empty()))
        .prop_map(|(zone, week, holidays, exceptions)| {
            let days =
                [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];
            let mut builder = BusinessCalendar::builder(zone);
            for (day, windows) in days.into_iter().zip(week) {
                for w in windows {
                    builder = builder.window(day, w);
                }
            }
            let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
            builder =
                builder.holidays(holidays.into_iter().filter_map(|d| start.checked_add_signed(TimeDelta::days(d))));
            for (at, minutes, open) in exceptions {
                let end = at + TimeDelta::minutes(minutes);
                let e = if open { CalendarException::open(at, end) } else { CalendarException::closed(at, end) };
                if let Ok(e) = e {
                    builder = builder.exception(e);
                }
            }
            builder.build()
        })
        .prop_filter_map("valid calendar", Result::ok)
}

/// An instant in 2024 or 2025, to the second.
///
/// # Example
///
/// ```
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
/// use revops::testkit::sla;
///
/// let mut runner = TestRunner::deterministic();
/// for _ in 0..16 {
///     let at = sla::instant_2024_2025().new_tree(&mut runner).map(|t| t.current());
///     assert!(at.is_ok_and(|at| [2024, 2025].contains(&chrono::Datelike::year(&at)) && at.timestamp_subsec_nanos() == 0));
/// }
/// ```
pub fn instant_2024_2025() -> impl Strategy<Value = DateTime<Utc>> {
    (1_704_067_200i64..1_767_225_600).prop_map(|s| DateTime::from_timestamp(s, 0).unwrap_or_default())
}

/// A valid SLA instance in 2024 (start, optional stop up to 20 days later, up to two pauses).
///
/// # Example
///
/// ```
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
/// use revops::testkit::sla;
///
/// let mut runner = TestRunner::deterministic();
/// for _ in 0..16 {
///     let instance = sla::sla_instance().new_tree(&mut runner).map(|t| t.current());
///     assert!(instance.is_ok_and(|i| i.stop.is_none_or(|stop| stop > i.start) && i.pauses.len() <= 2));
/// }
/// ```
pub fn sla_instance() -> impl Strategy<Value = SlaInstance> {
    let start = (1_704_067_200i64..1_735_689_600).prop_map(|s| DateTime::from_timestamp(s, 0).unwrap_or_default());
    let offsets = proptest::collection::btree_set(1i64..20 * 86_400, 0..=5);
    (start, offsets, any::<bool>(), any::<bool>()).prop_map(|(start, offsets, stopped, open_pause)| {
        let at: Vec<DateTime<Utc>> = offsets.into_iter().map(|o| start + TimeDelta::seconds(o)).collect();
        let mut instance = SlaInstance::new(start, None);
        let mut rest = at.as_slice();
        if stopped && let Some((last, before)) = rest.split_last() {
            instance.stop = Some(*last);
            rest = before;
        }
        for pair in rest.chunks(2) {
            match *pair {
                [a, b] => instance.pauses.push(Pause::new(a, Some(b))),
                [a] if open_pause => instance.pauses.push(Pause::new(a, None)),
                _ => {}
            }
        }
        instance
    })
}

#[cfg(test)]
mod tests {
    use chrono::{Datelike, Weekday};

    use super::*;
    use crate::calendar::{BusinessClock, BusinessSpan};
    use crate::sla::{ClockStart, DispositionPolicy, ResponsePolicy};

    #[test]
    fn calendar_and_teams() {
        let company = Company::new(3, 2_000).unwrap();
        let calendar = company.sla_calendar().unwrap();
        assert_eq!(calendar.holidays().len(), SAMPLE_HOLIDAYS.len());
        assert!(calendar.holidays().iter().all(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)));
        let timeline = company.sla_timeline().unwrap();
        let mut weekend = 0;
        let mut instances = 0;
        let response = ResponsePolicy::new("r", ClockStart::Mql, BusinessSpan::hours(4)).unwrap();
        let disposition = DispositionPolicy::new("d", BusinessSpan::business_days(2)).unwrap();
        for lead in company.leads() {
            assert!(SAMPLE_TEAMS.contains(&company.team(&lead).as_str()));
            let milestones = Company::sla_milestones(&lead).unwrap();
            assert_eq!(milestones.mql(), lead.entered(SampleStage::Mql));
            if let Some(instance) = response.instance(&milestones) {
                instances += 1;
                weekend += usize::from(!timeline.is_open(instance.start).unwrap());
                assert_eq!(instance.stop, lead.first_sales_touch_at);
                let d = disposition.instance(&milestones).unwrap();
                assert_eq!(d.start, instance.start);
            }
        }
        // MQLs arrive around the clock: most of them outside business hours.
        assert!(instances > 500 && weekend > instances / 2, "{weekend} of {instances}");
    }
}
