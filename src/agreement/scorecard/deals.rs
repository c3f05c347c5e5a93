//! The deal KPIs of the board: win rate, sales cycle, pipeline velocity, weighted pipeline and
//! coverage, each with its parts ([`DealSection`]).

use chrono::{DateTime, Utc};

use super::{Exclusion, Section, set_aside};
use crate::agreement::{Agreement, DealGrouping, ReportWindow};
use crate::facts::{Deal, Origin};
use crate::metrics::{
    CoverageTally, Grouped, PipelineCoverage, SalesCycle, SalesCycleTally, Velocity, VelocityTally, WeightedPipeline,
    WeightedPipelineTally, WinRate, WinRateTally,
};
use crate::{Currency, Error, ErrorKind, Money, Period, Record, Tally};

/// A win rate of one origin on its own (e.g. marketing-sourced).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OriginWinRate {
    /// The origin.
    pub origin: Origin,
    /// Its win rate.
    pub rate: WinRate,
}

/// The win rate of one group.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupWinRate {
    /// The group's key (`None`: deals without one, e.g. no lead source).
    pub key: Option<String>,
    /// Its win rate.
    pub rate: WinRate,
}

/// The win rates of one grouping, by key ascending.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WinRateGroups {
    /// The grouping.
    pub by: DealGrouping,
    /// Each group's win rate, by key.
    pub groups: Vec<GroupWinRate>,
}

/// Win rate as the agreement defines it ([`WinRateTerms`](crate::agreement::WinRateTerms)).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WinRateKpi {
    /// The window, as the agreement defines it.
    pub window: ReportWindow,
    /// Deals closed in this period (the window as of the scorecard's `as_of`) count.
    pub period: Period,
    /// Every deal.
    pub all: WinRate,
    /// The origins reported on their own, in the agreement's order.
    pub origins: Vec<OriginWinRate>,
    /// Per grouping, in the agreement's order.
    pub groups: Vec<WinRateGroups>,
}

/// Sales cycle per outcome ([`CycleTerms`](crate::agreement::CycleTerms)).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CycleKpi {
    /// The window, as the agreement defines it.
    pub window: ReportWindow,
    /// Deals closed in this period (the window as of the scorecard's `as_of`) count.
    pub period: Period,
    /// One cycle per outcome, in the agreement's order.
    pub outcomes: Vec<SalesCycle>,
}

/// Pipeline velocity and its parts ([`VelocityTerms`](crate::agreement::VelocityTerms)).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VelocityKpi {
    /// The window, as the agreement defines it.
    pub window: ReportWindow,
    /// Deals closed in this period (the window as of `as_of`) give the rate, size and cycle.
    pub period: Period,
    /// The velocity, exact from the sums, with its parts.
    pub velocity: Velocity,
    /// The velocity recomputed from the rounded parts shown
    /// ([`Velocity::per_day_from`]), so a reader can check it.
    pub per_day_from_parts: Option<Money>,
}

/// Coverage of a quarter ([`CoverageTerms`](crate::agreement::CoverageTerms)).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverageKpi {
    /// The quarter.
    pub period: Period,
    /// Whether the quota is an assumption.
    pub assumed: bool,
    /// The coverage with its parts (quota, won, open pipeline).
    pub coverage: PipelineCoverage,
}

/// The deal KPIs of the board, each present when the agreement defines it.
///
/// # Example
///
/// ```
/// use revops::testkit::{Company, sample_agreement};
///
/// let company = Company::new(42, 500)?;
/// let card = sample_agreement()?.evaluate(&company.facts(), company.as_of())?;
/// let win_rate = card.deals.win_rate.as_ref().map(|w| &w.all);
/// assert!(win_rate.is_some_and(|w| w.count.numerator() <= w.count.denominator()));
/// assert_eq!(card.deals.cycle.as_ref().map(|c| c.outcomes.len()), Some(2)); // won, lost
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DealSection {
    /// Win rate.
    pub win_rate: Option<WinRateKpi>,
    /// Sales cycle.
    pub cycle: Option<CycleKpi>,
    /// Pipeline velocity.
    pub velocity: Option<VelocityKpi>,
    /// Weighted open pipeline.
    pub pipeline: Option<WeightedPipeline>,
    /// Coverage of a quarter.
    pub coverage: Option<CoverageKpi>,
    /// Deals set aside, sorted.
    pub excluded: Vec<Exclusion>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct WinRateParts {
    window: ReportWindow,
    all: WinRateTally,
    origins: Vec<(Origin, WinRateTally)>,
    groups: Vec<(DealGrouping, Grouped<Option<String>, WinRateTally>)>,
}

/// The accumulators of every deal KPI the agreement defines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct DealTally {
    currency: Option<Currency>,
    win_rate: Option<WinRateParts>,
    cycle: Option<(ReportWindow, Period, Vec<SalesCycleTally>)>,
    velocity: Option<(ReportWindow, Period, VelocityTally)>,
    pipeline: Option<WeightedPipelineTally>,
    coverage: Option<(Period, bool, CoverageTally)>,
    excluded: Vec<Exclusion>,
}

/// The agreement's KPI currency, needed by a money KPI (validation makes sure it is there).
pub(super) fn currency(agreement: &Agreement) -> Result<Currency, Error> {
    agreement.parts().kpis.currency.ok_or_else(|| {
        ErrorKind::InvalidValue {
            field: "kpis.currency",
            value: "none".to_owned(),
            reason: "a money KPI needs the currency it sums in",
        }
        .into()
    })
}

/// Checks `deal` as every deal tally will: consistent, and (for money KPIs) an amount in
/// whole minor units of `currency`.
pub(super) fn admit(deal: &Deal, currency: Option<Currency>) -> Result<(), Error> {
    deal.check()?;
    let Some(currency) = currency else { return Ok(()) };
    if deal.amount.currency() != currency {
        let kind = ErrorKind::MixedCurrency { expected: currency, found: deal.amount.currency() };
        return Err(kind.about(Record::Deal(deal.id.clone())));
    }
    deal.amount.to_minor_i128().map(|_| ()).map_err(|e| e.about(Record::Deal(deal.id.clone())))
}

impl DealTally {
    pub(super) fn new(agreement: &Agreement, as_of: DateTime<Utc>) -> Result<DealTally, Error> {
        let kpis = &agreement.parts().kpis;
        let zone = agreement.reporting_zone();
        let resolve = |w: ReportWindow| w.resolve(as_of, zone);
        let money = kpis.win_rate.is_some() || kpis.velocity.is_some() || kpis.pipeline.is_some();
        let currency = if money || kpis.coverage.is_some() { Some(currency(agreement)?) } else { None };
        let win_rate = match (&kpis.win_rate, currency) {
            (Some(terms), Some(c)) => {
                let all = WinRateTally::new(resolve(terms.period)?, c);
                Some(WinRateParts {
                    window: terms.period,
                    origins: terms.origins.iter().map(|o| (*o, all.clone().origin(Some(*o)))).collect(),
                    groups: terms.group_by.iter().map(|g| (*g, Grouped::new(all.clone()))).collect(),
                    all,
                })
            }
            _ => None,
        };
        let cycle = match &kpis.cycle {
            Some(terms) => {
                let period = resolve(terms.period)?;
                let tallies = terms.outcomes.iter().map(|o| SalesCycleTally::new(period, zone).outcome(*o)).collect();
                Some((terms.period, period, tallies))
            }
            None => None,
        };
        let velocity = match (&kpis.velocity, currency) {
            (Some(terms), Some(c)) => {
                let period = resolve(terms.period)?;
                Some((terms.period, period, VelocityTally::new(period, as_of, c)))
            }
            _ => None,
        };
        let pipeline = match (&kpis.pipeline, currency) {
            (Some(terms), Some(c)) => Some(WeightedPipelineTally::new(c).qualified_only(terms.qualified_only)),
            _ => None,
        };
        let coverage = match &kpis.coverage {
            Some(terms) => {
                let period = terms.resolve(as_of, zone)?;
                Some((period, terms.assumed, CoverageTally::new(period, zone, terms.quota)?))
            }
            None => None,
        };
        Ok(DealTally { currency, win_rate, cycle, velocity, pipeline, coverage, excluded: Vec::new() })
    }

    fn is_empty(&self) -> bool {
        self.win_rate.is_none()
            && self.cycle.is_none()
            && self.velocity.is_none()
            && self.pipeline.is_none()
            && self.coverage.is_none()
    }

    /// Adds the deals; a deal that fails [`admit`] is set aside (strict: the error).
    pub(super) fn push(&mut self, deals: &[Deal], strict: bool) -> Result<(), Error> {
        if self.is_empty() {
            return Ok(());
        }
        for deal in deals {
            if let Err(error) = admit(deal, self.currency) {
                set_aside(strict, &mut self.excluded, Section::Deals, None, error)?;
                continue;
            }
            if let Some(w) = &mut self.win_rate {
                w.all.push(deal)?;
                for (_, tally) in &mut w.origins {
                    tally.push(deal)?;
                }
                for (by, grouped) in &mut w.groups {
                    grouped.push(by.key(deal), deal)?;
                }
            }
            for tally in self.cycle.iter_mut().flat_map(|(_, _, t)| t.iter_mut()) {
                tally.push(deal)?;
            }
            self.velocity.as_mut().map_or(Ok(()), |(_, _, t)| t.push(deal))?;
            self.pipeline.as_mut().map_or(Ok(()), |t| t.push(deal))?;
            self.coverage.as_mut().map_or(Ok(()), |(_, _, t)| t.push(deal))?;
        }
        Ok(())
    }

    pub(super) fn merge(&mut self, other: DealTally) -> Result<(), Error> {
        let mismatch = || Error::from(ErrorKind::DefinitionMismatch { tally: "scorecard deals", field: "kpis" });
        match (&mut self.win_rate, other.win_rate) {
            (Some(mine), Some(theirs))
                if mine.window == theirs.window && mine.origins.len() == theirs.origins.len() =>
            {
                mine.all.merge(theirs.all)?;
                for ((a, mine), (b, theirs)) in mine.origins.iter_mut().zip(theirs.origins) {
                    if *a != b {
                        return Err(mismatch());
                    }
                    mine.merge(theirs)?;
                }
                if mine.groups.len() != theirs.groups.len() {
                    return Err(mismatch());
                }
                for ((a, mine), (b, theirs)) in mine.groups.iter_mut().zip(theirs.groups) {
                    if *a != b {
                        return Err(mismatch());
                    }
                    mine.merge(theirs)?;
                }
            }
            (None, None) => {}
            _ => return Err(mismatch()),
        }
        match (&mut self.cycle, other.cycle) {
            (Some((v, a, mine)), Some((w, b, theirs))) if (*v, *a) == (w, b) && mine.len() == theirs.len() => {
                for (mine, theirs) in mine.iter_mut().zip(theirs) {
                    mine.merge(theirs)?;
                }
            }
            (None, None) => {}
            _ => return Err(mismatch()),
        }
        match (&mut self.velocity, other.velocity) {
            (Some((v, a, mine)), Some((w, b, theirs))) if (*v, *a) == (w, b) => mine.merge(theirs)?,
            (None, None) => {}
            _ => return Err(mismatch()),
        }
        merge_option(&mut self.pipeline, other.pipeline, mismatch)?;
        match (&mut self.coverage, other.coverage) {
            (Some((a, x, mine)), Some((b, y, theirs))) if *a == b && *x == y => mine.merge(theirs)?,
            (None, None) => {}
            _ => return Err(mismatch()),
        }
        self.excluded.extend(other.excluded);
        Ok(())
    }

    pub(super) fn finish(mut self) -> Result<DealSection, Error> {
        let win_rate = match self.win_rate {
            Some(w) => Some(WinRateKpi {
                window: w.window,
                period: w.all.period(),
                all: w.all.finish()?,
                origins: w
                    .origins
                    .into_iter()
                    .map(|(origin, t)| t.finish().map(|rate| OriginWinRate { origin, rate }))
                    .collect::<Result<_, Error>>()?,
                groups: w
                    .groups
                    .into_iter()
                    .map(|(by, g)| {
                        let groups = g.finish()?.into_iter().map(|(key, rate)| GroupWinRate { key, rate }).collect();
                        Ok(WinRateGroups { by, groups })
                    })
                    .collect::<Result<_, Error>>()?,
            }),
            None => None,
        };
        let cycle = match self.cycle {
            Some((window, period, tallies)) => Some(CycleKpi {
                window,
                period,
                outcomes: tallies.into_iter().map(Tally::finish).collect::<Result<_, Error>>()?,
            }),
            None => None,
        };
        let velocity = match self.velocity {
            Some((window, period, tally)) => {
                let v = tally.finish()?;
                let per_day_from_parts = match (v.average_deal_size, v.cycle_days) {
                    (Some(size), Some(days)) => Velocity::per_day_from(v.open_qualified, v.win_rate, size, days)?,
                    _ => None,
                };
                Some(VelocityKpi { window, period, velocity: v, per_day_from_parts })
            }
            None => None,
        };
        let coverage = match self.coverage {
            Some((period, assumed, tally)) => Some(CoverageKpi { period, assumed, coverage: tally.finish()? }),
            None => None,
        };
        self.excluded.sort();
        Ok(DealSection {
            win_rate,
            cycle,
            velocity,
            pipeline: self.pipeline.map(Tally::finish).transpose()?,
            coverage,
            excluded: self.excluded,
        })
    }
}

/// Merges two optional tallies of the same definition.
pub(super) fn merge_option<T: Tally>(
    mine: &mut Option<T>,
    theirs: Option<T>,
    mismatch: impl Fn() -> Error,
) -> Result<(), Error> {
    match (mine, theirs) {
        (Some(mine), Some(theirs)) => mine.merge(theirs),
        (None, None) => Ok(()),
        _ => Err(mismatch()),
    }
}
