//! [`RetentionKpiTerms`]: the retention the board shows (the output of
//! [`RetentionTally`](crate::metrics::RetentionTally) over the facts' recurring revenue).

use super::ReportWindow;
use super::deals::invalid;
use crate::metrics::Bucket;
use crate::{Error, SegmentId};

/// The interval of the acquisition cohorts on the board.
///
/// # Wire format
///
/// `"month"` or `"quarter"`: calendar intervals in the agreement's reporting zone.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum CohortGrain {
    /// Calendar months. The default.
    #[default]
    Month,
    /// Calendar quarters.
    Quarter,
}

impl CohortGrain {
    /// The metric's [`Bucket`] of this grain.
    #[must_use]
    pub const fn bucket(self) -> Bucket {
        match self {
            CohortGrain::Month => Bucket::Month,
            CohortGrain::Quarter => Bucket::Quarter,
        }
    }
}

/// Retention on the board ([definitions, section 9](crate::definitions::retention)): the
/// customers paying at the start of `period`, read again at its end: GRR, NRR, logo and
/// revenue churn, expansion and contraction, in total, by acquisition cohort (`cohort`) and by
/// ICP tier; and the cohort curves.
///
/// - The period is resolved against the evaluation's `as_of` in the reporting zone; its start
///   and end are the two instants compared, and its end must not be after `as_of` (a later MRR
///   is not known yet): `{ trailing_months = 12 }` or `"previous_calendar_year"` always
///   qualify, a window ending after `as_of` is refused when the scorecard's tally is built.
///   `"all_time"` has no start and is refused on deserialize.
/// - Money is the board's currency ([`Kpis::currency`](super::Kpis::currency), required); an
///   MRR in another is set aside, never converted.
/// - **Tiers**: with an ICP set, each customer's tier is the tier of its fit score in
///   `segment` (the agreement's `tiers` when it has them, else the segment's own), read from the
///   accounts; `segment` may be left out when the set has one segment. Without an ICP set the
///   board has no tiers (every customer under "no tier").
///
/// # Wire format
///
/// ```toml
/// [kpis.retention]
/// period = { trailing_months = 12 }   # a ReportWindow (not all_time)
/// cohort = "quarter"                  # optional: month (default) or quarter
/// segment = "core"                    # optional: the ICP segment whose tiers group customers
/// ```
///
/// A segment the ICP set does not define, a segment without an ICP set, or no segment with
/// several are refused by [`Agreement::new`](crate::agreement::Agreement::new).
///
/// # Example
///
/// ```
/// use revops::agreement::{CohortGrain, ReportWindow, RetentionKpiTerms};
///
/// let terms: RetentionKpiTerms = toml::from_str("period = { trailing_months = 12 }\ncohort = \"quarter\"")?;
/// assert_eq!((terms.period, terms.cohort, terms.segment), (ReportWindow::TrailingMonths(12), CohortGrain::Quarter, None));
/// assert_eq!(toml::from_str::<RetentionKpiTerms>("period = { trailing_months = 12 }")?.cohort, CohortGrain::Month);
/// assert!(toml::from_str::<RetentionKpiTerms>("period = \"all_time\"").is_err()); // no start
/// assert!(toml::from_str::<RetentionKpiTerms>("period = { trailing_months = 0 }").is_err()); // empty
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "RetentionWire")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(with = "RetentionWire"))]
pub struct RetentionKpiTerms {
    /// The period: MRR at its start against MRR at its end.
    pub period: ReportWindow,
    /// The acquisition cohorts' interval.
    pub cohort: CohortGrain,
    /// The ICP segment whose tiers group the customers; `None`: the ICP set's only segment
    /// (no tiers without an ICP set).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment: Option<SegmentId>,
}

/// The wire shape of [`RetentionKpiTerms`], checked on the way in.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct RetentionWire {
    /// The period whose start and end MRR are compared (a report window with a start, ending
    /// at or before `as_of`).
    period: ReportWindow,
    /// The acquisition cohorts' interval: `month` (default) or `quarter`.
    #[serde(default)]
    cohort: CohortGrain,
    /// The ICP segment whose tiers group the customers (default: the ICP set's only segment).
    #[serde(default)]
    segment: Option<SegmentId>,
}

impl TryFrom<RetentionWire> for RetentionKpiTerms {
    type Error = Error;
    fn try_from(w: RetentionWire) -> Result<RetentionKpiTerms, Error> {
        RetentionKpiTerms::new(w.period, w.cohort, w.segment)
    }
}

impl RetentionKpiTerms {
    /// Retention over `period`, cohorts by `cohort`, tiers from `segment`.
    ///
    /// # Errors
    ///
    /// As [`RetentionKpiTerms::check`].
    ///
    /// # Example
    ///
    /// ```
    /// use revops::agreement::{CohortGrain, ReportWindow, RetentionKpiTerms};
    ///
    /// let terms = RetentionKpiTerms::new(ReportWindow::PreviousCalendarYear, CohortGrain::Month, Some("core".parse()?))?;
    /// assert_eq!(terms.cohort.bucket(), revops::metrics::Bucket::Month);
    /// assert!(RetentionKpiTerms::new(ReportWindow::AllTime, CohortGrain::Month, None).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new(
        period: ReportWindow,
        cohort: CohortGrain,
        segment: Option<SegmentId>,
    ) -> Result<RetentionKpiTerms, Error> {
        let terms = RetentionKpiTerms { period, cohort, segment };
        terms.check()?;
        Ok(terms)
    }

    /// Checks the terms on its own: the period has a start and is not empty (the agreement
    /// checks the segment against its ICP set; the end against `as_of` is checked when a
    /// scorecard tally is built).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) (field
    /// `kpis.retention.period`) for `all_time` or zero trailing months.
    pub fn check(&self) -> Result<(), Error> {
        let field = "kpis.retention.period";
        match self.period {
            ReportWindow::AllTime => {
                Err(invalid(field, "all_time".to_owned(), "retention compares a start with an end"))
            }
            ReportWindow::TrailingMonths(0) => {
                Err(invalid(field, "trailing_months = 0".to_owned(), "must cover at least one month"))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_format_round_trips_and_refuses_what_check_refuses() {
        let json = r#"{"period":{"trailing_months":6},"cohort":"quarter","segment":"core"}"#;
        let terms: RetentionKpiTerms = serde_json::from_str(json).unwrap();
        assert_eq!(terms.segment.as_ref().map(SegmentId::as_str), Some("core"));
        assert_eq!(serde_json::to_string(&terms).unwrap(), json);
        // No segment: left out of the wire.
        let plain = RetentionKpiTerms::new(ReportWindow::TrailingMonths(3), CohortGrain::Month, None).unwrap();
        assert_eq!(serde_json::to_string(&plain).unwrap(), r#"{"period":{"trailing_months":3},"cohort":"month"}"#);
        let err = serde_json::from_str::<RetentionKpiTerms>(r#"{"period":"all_time"}"#).unwrap_err();
        assert!(err.to_string().contains("kpis.retention.period"), "{err}");
        assert!(
            serde_json::from_str::<RetentionKpiTerms>(r#"{"period":{"trailing_months":1},"cohrt":"month"}"#).is_err()
        );
        assert!(
            serde_json::from_str::<RetentionKpiTerms>(r#"{"period":{"trailing_months":1},"cohort":"year"}"#).is_err()
        );
    }
}
