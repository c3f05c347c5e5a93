//! The forecast section of the board: the deals closing in the agreement's forecast period, by
//! forecast category, single and cumulative, with coverage ([`ForecastSection`]).

use chrono::{DateTime, Utc};

use super::deals::{admit, currency};
use super::{Exclusion, Section, set_aside};
use crate::agreement::{Agreement, ReportWindow};
use crate::facts::Deal;
use crate::forecast::{ForecastRollup, ForecastTally};
use crate::{Currency, Error, ErrorKind, Period, Tally};

/// The forecast by category ([`ForecastTerms`](crate::agreement::ForecastTerms)): the
/// [`ForecastTally`] roll-up of the fact set's deals closing in the period (an open deal by its
/// expected close date, a closed one by its close instant), per category and in Salesforce's
/// cumulative columns, with coverage against the quota if the agreement gives one. Its
/// plain-text rendering is its `Display`.
///
/// A deal the roll-up cannot read (inconsistent, in another currency than the KPI currency,
/// finer than its minor unit, or an open deal whose category the map cannot tell) is set aside
/// as an [`Exclusion`] of section `forecast`, named, and the rest is counted without it.
///
/// **Not here: pipeline movement.** Movement (New, Pulled in, Pushed out, Won, ...) compares two
/// pipeline snapshots, two fact sets taken at two instants, while the board evaluates one fact
/// set as of one instant; a service that keeps snapshots runs
/// [`MovementTally`](crate::forecast::MovementTally) over
/// [`join_snapshots`](crate::forecast::join_snapshots) itself, with the agreement's
/// [`CategoryMap`](crate::forecast::CategoryMap).
///
/// # Example
///
/// ```
/// use revops::facts::ForecastCategory;
/// use revops::forecast::Rollup;
/// use revops::testkit::{Company, sample_agreement};
///
/// let company = Company::new(42, 800)?;
/// let card = sample_agreement()?.evaluate(&company.facts(), company.as_of())?;
/// let forecast = card.forecast.as_ref().ok_or("the sample agreement defines the forecast")?;
/// let rollup = &forecast.rollup;
/// let open = &rollup.cumulative[&Rollup::OpenPipeline].totals;
/// let single = |c| rollup.single[&c].deals;
/// assert_eq!(open.deals, single(ForecastCategory::Pipeline) + single(ForecastCategory::BestCase) + single(ForecastCategory::Commit));
/// assert!(forecast.excluded.is_empty());
/// assert!(forecast.to_string().contains("open pipeline"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForecastSection {
    /// The window, as the agreement defines it.
    pub window: ReportWindow,
    /// Deals closing in this period (the window as of the scorecard's `as_of`) count.
    pub period: Period,
    /// Whether the quota is an assumption.
    pub assumed: bool,
    /// The roll-up: single and cumulative columns, the quota, what remains of it, coverage.
    pub rollup: ForecastRollup,
    /// Deals set aside, sorted.
    pub excluded: Vec<Exclusion>,
}

/// The accumulator of the forecast section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct ForecastSectionTally {
    window: ReportWindow,
    period: Period,
    assumed: bool,
    currency: Currency,
    tally: ForecastTally,
    excluded: Vec<Exclusion>,
}

impl ForecastSectionTally {
    /// The tally of `agreement`'s forecast as of `as_of`; `None` unless the agreement defines one.
    pub(super) fn new(agreement: &Agreement, as_of: DateTime<Utc>) -> Result<Option<ForecastSectionTally>, Error> {
        let Some(terms) = &agreement.parts().kpis.forecast else { return Ok(None) };
        let (zone, currency) = (agreement.reporting_zone(), currency(agreement)?);
        let period = terms.period.resolve(as_of, zone)?;
        let mut tally =
            ForecastTally::new(period, zone, currency, terms.categories.clone()).qualified_only(terms.qualified_only);
        if let Some(quota) = terms.quota {
            tally = tally.quota(quota)?;
        }
        Ok(Some(ForecastSectionTally {
            window: terms.period,
            period,
            assumed: terms.assumed,
            currency,
            tally,
            excluded: Vec::new(),
        }))
    }

    /// Adds the deals; a deal the roll-up cannot read is set aside (strict: the error).
    pub(super) fn push(&mut self, deals: &[Deal], strict: bool) -> Result<(), Error> {
        for deal in deals {
            // A failed push leaves the roll-up as it was; an error about no record (an
            // overflow) stops the evaluation.
            let result = admit(deal, Some(self.currency)).and_then(|()| self.tally.push(deal));
            match result {
                Ok(()) => {}
                Err(error) if error.record().is_some() => {
                    set_aside(strict, &mut self.excluded, Section::Forecast, None, error)?;
                }
                Err(error) => return Err(error),
            }
        }
        Ok(())
    }

    pub(super) fn merge(&mut self, other: ForecastSectionTally) -> Result<(), Error> {
        if (self.window, self.period, self.assumed) != (other.window, other.period, other.assumed) {
            return Err(ErrorKind::DefinitionMismatch { tally: "scorecard forecast", field: "kpis.forecast" }.into());
        }
        self.tally.merge(other.tally)?;
        self.excluded.extend(other.excluded);
        Ok(())
    }

    pub(super) fn finish(mut self) -> Result<ForecastSection, Error> {
        self.excluded.sort();
        Ok(ForecastSection {
            window: self.window,
            period: self.period,
            assumed: self.assumed,
            rollup: self.tally.finish()?,
            excluded: self.excluded,
        })
    }
}
