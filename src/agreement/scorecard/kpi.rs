//! The KPI board: each configured conversion step, with its numerator and denominator.

use chrono::{DateTime, TimeDelta, Utc};

use super::Exclusion;
use super::leads::LeadFacts;
use crate::agreement::Agreement;
use crate::facts::StageChange;
use crate::funnel::Funnel;
use crate::metrics::{ConversionMode, ConversionTally, StageConversion};
use crate::{Error, ErrorKind, Period, Ratio, StageId, Tally};

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
/// A push holds every stage change of its leads (the push unit), so each push's
/// [`ConversionTally`] is finished at the end of the push, keyed by the lead's position in it;
/// the tally then keeps only the parts, and merging adds them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct KpiTally {
    steps: Vec<(ConversionKpiHead, StageConversion, Ratio)>,
    excluded: Vec<Exclusion>,
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

    /// Tallies the leads' entries into stages of the funnel's order (side stages are not part
    /// of any conversion step).
    pub(super) fn push(&mut self, funnel: &Funnel, leads: &[LeadFacts<'_>]) -> Result<(), Error> {
        if self.steps.is_empty() {
            return Ok(());
        }
        // Each lead's entries into the order, keyed by its position in this push, with the
        // stage's position in the order.
        let mut entries: Vec<(usize, StageChange<u32>)> = Vec::new();
        for (i, lead) in leads.iter().enumerate() {
            let key = u32::try_from(i).map_err(|_| ErrorKind::Overflow { op: "scorecard leads per push" })?;
            for c in lead.changes.iter() {
                if let Some(pos) = funnel.position(&c.stage) {
                    entries.push((pos, StageChange { entity: key, stage: c.stage.clone(), at: c.at }));
                }
            }
        }
        for (head, definition, parts) in &mut self.steps {
            // Entries before stage A never count, under either reach: skip them here.
            let from = funnel.position(&head.from).unwrap_or_default();
            let mut tally = ConversionTally::<u32>::new(definition.clone(), head.period);
            for (_, entry) in entries.iter().filter(|(pos, _)| *pos >= from) {
                tally.push(entry)?;
            }
            *parts = parts.checked_combine(tally.finish()?.rate)?;
        }
        Ok(())
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
