//! The KPI board: each configured conversion step, with its numerator and denominator.

use chrono::{DateTime, TimeDelta, Utc};

use super::Exclusion;
use super::leads::LeadFacts;
use crate::agreement::Agreement;
use crate::funnel::Funnel;
use crate::metrics::{ConversionMode, ConversionTally, StageConversion, StageConversionRate};
use crate::{Error, ErrorKind, Period, StageId, Tally};

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
    /// The rate, with its parts.
    pub rate: StageConversionRate,
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

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct KpiTally {
    steps: Vec<(ConversionKpiHead, ConversionTally)>,
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
            steps.push((head, ConversionTally::new(builder.build()?, period)));
        }
        Ok(KpiTally { steps, excluded: Vec::new() })
    }

    /// Pushes the lead's entries into stages of the funnel's order (side stages are not part
    /// of any conversion step).
    pub(super) fn push(&mut self, funnel: &Funnel, lead: &LeadFacts<'_>) -> Result<(), Error> {
        if self.steps.is_empty() {
            return Ok(());
        }
        for change in lead.changes.iter().filter(|c| funnel.position(&c.stage).is_some()) {
            for (_, tally) in &mut self.steps {
                tally.push(change)?;
            }
        }
        Ok(())
    }

    pub(super) fn merge(&mut self, other: KpiTally) -> Result<(), Error> {
        if self.steps.len() != other.steps.len() || self.steps.iter().zip(&other.steps).any(|(a, b)| a.0 != b.0) {
            return Err(ErrorKind::DefinitionMismatch { tally: "scorecard kpis", field: "conversion" }.into());
        }
        for ((_, mine), (_, theirs)) in self.steps.iter_mut().zip(other.steps) {
            mine.merge(theirs)?;
        }
        self.excluded.extend(other.excluded);
        Ok(())
    }

    pub(super) fn finish(mut self) -> Result<KpiSection, Error> {
        let conversion = self
            .steps
            .into_iter()
            .map(|(h, tally)| {
                Ok(ConversionKpi {
                    from: h.from,
                    to: h.to,
                    mode: h.mode,
                    period: h.period,
                    window_days: h.window_days,
                    rate: tally.finish()?,
                })
            })
            .collect::<Result<_, Error>>()?;
        self.excluded.sort();
        Ok(KpiSection { conversion, excluded: self.excluded })
    }
}
