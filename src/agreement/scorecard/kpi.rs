//! The KPI board: each configured conversion step, with its numerator and denominator.

use chrono::{DateTime, TimeDelta, Utc};

use super::Exclusion;
use super::leads::LeadFacts;
use crate::agreement::Agreement;
use crate::funnel::Funnel;
use crate::metrics::{ConversionMode, EntityCounter, StageConversion};
use crate::{Error, ErrorKind, Period, Ratio, StageId};

/// A count past `u64::MAX` (the error `ConversionTally` counts with).
const OVERFLOW: ErrorKind = ErrorKind::Overflow { op: "metric count" };

/// One conversion step of the board, as the agreement defines it, and its rate.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConversionKpi {
    /// Stage A.
    pub from: StageId,
    /// Stage B.
    pub to: StageId,
    /// The mode.
    pub mode: ConversionMode,
    /// The period A entries (or, in period flow, both entries) count in, resolved as of the
    /// scorecard's `as_of` in the reporting zone.
    pub period: Period,
    /// The cohort window in days, if any.
    pub window_days: Option<u32>,
    /// The rate: converted over entered, with its parts.
    pub rate: Ratio,
    /// Whether the numerator exceeds the denominator (possible in period flow, where B
    /// entries need not come from this period's A entries).
    pub exceeds_one: bool,
}

/// The KPI board.
///
/// # Example
///
/// ```
/// use revops::testkit::{Company, sample_agreement};
///
/// let company = Company::new(42, 500)?;
/// let card = sample_agreement()?.evaluate(&company.facts(), company.as_of())?;
/// let first = card.kpis.conversion.first().map(|k| (k.from.as_str(), k.to.as_str()));
/// assert_eq!(first, Some(("lead", "mql")));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KpiSection {
    /// The conversion steps, in the agreement's board order.
    pub conversion: Vec<ConversionKpi>,
    /// Records set aside, sorted.
    pub excluded: Vec<Exclusion>,
}

/// Per step: its definition, and the converted-over-entered parts of every push so far.
///
/// A push holds every stage change of its leads (the push unit), so each push is counted
/// as a [`ConversionTally`](crate::metrics::ConversionTally) of its leads would finish, lead by
/// lead; the tally then keeps only the parts, and merging adds them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct KpiTally {
    steps: Vec<(ConversionKpiHead, StageConversion, Ratio)>,
    excluded: Vec<Exclusion>,
}

/// One push in progress: a push holds every stage change of its leads, so each lead's entries
/// are counted on their own (the entity-by-entity rule of `ConversionTally::finish`), summed per
/// step, and combined into the parts once, at [`KpiPush::end`].
#[derive(Debug)]
pub(super) struct KpiPush {
    /// Each step's first stage's position in the order.
    froms: Vec<usize>,
    /// Entered and converted per step.
    counts: Vec<(u64, u64)>,
    /// Buffers reused lead by lead.
    entries: Vec<(DateTime<Utc>, usize)>,
    counter: EntityCounter,
}

impl KpiPush {
    /// Counts one lead's entries into the order.
    pub(super) fn lead(&mut self, tally: &KpiTally, funnel: &Funnel, lead: &LeadFacts<'_>) -> Result<(), Error> {
        if tally.steps.is_empty() {
            return Ok(());
        }
        // The lead's entries into the order, with the stage's position in the order.
        self.entries.clear();
        self.entries.extend(lead.changes.iter().filter_map(|c| funnel.position(&c.stage).map(|pos| (c.at, pos))));
        for (((head, definition, _), &from), (entered, converted)) in
            tally.steps.iter().zip(&self.froms).zip(&mut self.counts)
        {
            // Entries before stage A never count, under either reach: skip them here.
            let own = self.entries.iter().copied().filter(|&(_, pos)| pos >= from);
            let (e, c) = self.counter.count(definition, head.period, own)?;
            *entered = entered.checked_add(e).ok_or(OVERFLOW)?;
            *converted = converted.checked_add(c).ok_or(OVERFLOW)?;
        }
        Ok(())
    }

    /// Adds the push's counts to `tally`.
    pub(super) fn end(self, tally: &mut KpiTally) -> Result<(), Error> {
        for ((_, _, parts), (entered, converted)) in tally.steps.iter_mut().zip(self.counts) {
            *parts = parts.checked_combine(Ratio::new(converted, entered))?;
        }
        Ok(())
    }
}

/// A step's definition, kept for the output.
#[derive(Clone, Debug, PartialEq, Eq)]
struct ConversionKpiHead {
    from: StageId,
    to: StageId,
    mode: ConversionMode,
    period: Period,
    window_days: Option<u32>,
}

impl KpiTally {
    pub(super) fn new(agreement: &Agreement, as_of: DateTime<Utc>) -> Result<KpiTally, Error> {
        let kpis = &agreement.parts().kpis;
        let period = kpis.conversion_period.resolve(as_of, agreement.reporting_zone())?;
        let mut steps = Vec::with_capacity(kpis.conversion.len());
        for step in &kpis.conversion {
            let mut builder =
                StageConversion::builder(agreement.funnel(), step.from.as_str(), step.to.as_str(), step.mode);
            let window_days = kpis.conversion_window_days.filter(|_| step.mode != ConversionMode::PeriodFlow);
            if let Some(days) = window_days {
                let window =
                    TimeDelta::try_days(i64::from(days)).ok_or(ErrorKind::Overflow { op: "conversion window" })?;
                builder = builder.window(window);
            }
            let head = ConversionKpiHead {
                from: step.from.clone(),
                to: step.to.clone(),
                mode: step.mode,
                period,
                window_days,
            };
            steps.push((head, builder.build()?, Ratio::ZERO));
        }
        Ok(KpiTally { steps, excluded: Vec::new() })
    }

    /// Starts a push of `leads` leads: the per-push counts, summed lead by lead with
    /// [`KpiPush::lead`] and added to the tally by [`KpiPush::end`].
    pub(super) fn begin(&self, funnel: &Funnel, leads: usize) -> Result<KpiPush, Error> {
        if !self.steps.is_empty() {
            // Leads per push stay within `u32` (the bound a push's lead keys had).
            u32::try_from(leads).map_err(|_| ErrorKind::Overflow { op: "scorecard leads per push" })?;
        }
        Ok(KpiPush {
            froms: self.steps.iter().map(|(h, _, _)| funnel.position(&h.from).unwrap_or_default()).collect(),
            counts: vec![(0u64, 0u64); self.steps.len()],
            entries: Vec::new(),
            counter: EntityCounter::default(),
        })
    }

    pub(super) fn merge(&mut self, other: KpiTally) -> Result<(), Error> {
        if self.steps.len() != other.steps.len()
            || self.steps.iter().zip(&other.steps).any(|(a, b)| a.0 != b.0 || a.1 != b.1)
        {
            return Err(ErrorKind::DefinitionMismatch { tally: "scorecard kpis", field: "conversion" }.into());
        }
        for ((_, _, mine), (_, _, theirs)) in self.steps.iter_mut().zip(other.steps) {
            *mine = mine.checked_combine(theirs)?;
        }
        self.excluded.extend(other.excluded);
        Ok(())
    }

    pub(super) fn finish(mut self) -> KpiSection {
        let conversion = self
            .steps
            .into_iter()
            .map(|(h, _, rate)| ConversionKpi {
                from: h.from,
                to: h.to,
                mode: h.mode,
                period: h.period,
                window_days: h.window_days,
                exceeds_one: rate.numerator() > rate.denominator(),
                rate,
            })
            .collect();
        self.excluded.sort();
        KpiSection { conversion, excluded: self.excluded }
    }
}
