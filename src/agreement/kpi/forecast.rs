//! [`ForecastTerms`]: the forecast by category the board shows (the roll-up of
//! [`ForecastTally`](crate::forecast::ForecastTally)).

use super::ReportWindow;
use super::deals::invalid;
use crate::forecast::CategoryMap;
use crate::{Error, Money};

/// The forecast by category ([definitions, section 7](crate::definitions::forecast)): the
/// deals closing in a window, by [`ForecastCategory`](crate::facts::ForecastCategory), single
/// and in Salesforce's cumulative columns, with coverage against a quota if one is given.
///
/// The category map is held here, keyed by *funnel* stage, rather than read from a CRM stage
/// map ([`StageMap`](crate::crm::StageMap)): a [`Deal`](crate::facts::Deal) names its funnel
/// stage whatever CRM it came from, so one map gives a HubSpot and a Salesforce deal in the
/// same stage the same category; an agreement may hold no CRM map or several, while the
/// forecast is one definition both teams sign; and a CRM map says what a CRM's stage *names*
/// mean, not how confident a stage is. A deal's own category (Salesforce
/// `ForecastCategoryName`, HubSpot `hs_manual_forecast_category`), which the CRM mappings read,
/// still comes first ([`CategoryMap::category`]).
///
/// Every stage of the map must be a stage of the agreement's funnel, the quota must be in the
/// KPI currency ([`Kpis::currency`](super::Kpis::currency), required): both checked by
/// [`Agreement::new`](crate::agreement::Agreement::new). Movement between two pipeline
/// snapshots ([`MovementTally`](crate::forecast::MovementTally)) reads two fact sets, so it is
/// not a KPI of the board.
///
/// # Wire format
///
/// ```toml
/// [kpis.forecast]
/// period = { quarter = 0 }                            # a ReportWindow: deals closing in it count
/// quota = { amount = "1500000.00", currency = "USD" } # optional: no coverage without it
/// assumed = true                                      # the quota is an assumption (default false)
/// qualified_only = false                              # count qualified open deals only (default false)
/// [kpis.forecast.categories]                          # a CategoryMap
/// stages = { opportunity = "pipeline" }
/// ```
///
/// A negative quota, one finer than the minor unit, an unknown field, or a map that gives a
/// stage twice or maps one to `closed` is refused on deserialize (and by
/// [`ForecastTerms::check`]).
///
/// ```
/// use revops::agreement::{ForecastTerms, ReportWindow};
/// use revops::facts::ForecastCategory;
/// use revops::StageId;
///
/// let json = r#"{ "period": { "quarter": 0 },
///   "categories": { "stages": { "opportunity": "pipeline" }, "unmapped": "pipeline" },
///   "quota": { "amount": "1500000.00", "currency": "USD" }, "assumed": true }"#;
/// let terms: ForecastTerms = serde_json::from_str(json)?;
/// assert_eq!(terms.period, ReportWindow::Quarter(0));
/// assert_eq!(terms.categories.stage(&StageId::new("opportunity")?), Some(ForecastCategory::Pipeline));
/// assert!(terms.assumed && !terms.qualified_only);
/// assert_eq!(serde_json::from_str::<ForecastTerms>(&serde_json::to_string(&terms)?)?, terms);
/// // A negative quota, an open stage in Closed: refused.
/// let negative = json.replace("1500000.00", "-1.00");
/// assert!(serde_json::from_str::<ForecastTerms>(&negative).is_err());
/// let closed = json.replace(r#""opportunity": "pipeline""#, r#""opportunity": "closed""#);
/// assert!(serde_json::from_str::<ForecastTerms>(&closed).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "ForecastWire")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(with = "ForecastWire"))]
pub struct ForecastTerms {
    /// Deals closing in this window count (an open deal by its expected close date).
    pub period: ReportWindow,
    /// Funnel stage -> forecast category, and the category of an open deal with none.
    pub categories: CategoryMap,
    /// The period's quota, for coverage; not negative, whole minor units of the KPI currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota: Option<Money>,
    /// Whether the quota is an assumption (the board says so).
    #[serde(default)]
    pub assumed: bool,
    /// Count qualified open deals only (won and lost deals count whatever their flag).
    #[serde(default)]
    pub qualified_only: bool,
}

/// The wire shape of [`ForecastTerms`], checked on the way in.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct ForecastWire {
    /// Deals closing in this window count (an open deal by its expected close date).
    period: ReportWindow,
    /// Funnel stage -> forecast category (every stage a stage of the funnel), and the category
    /// of an open deal with none.
    categories: CategoryMap,
    /// The period's quota, for coverage (none: no coverage); not negative, whole minor units
    /// of the KPI currency.
    #[serde(default)]
    quota: Option<Money>,
    /// Whether the quota is an assumption (the board says so).
    #[serde(default)]
    assumed: bool,
    /// Count qualified open deals only (won and lost deals count whatever their flag).
    #[serde(default)]
    qualified_only: bool,
}

impl TryFrom<ForecastWire> for ForecastTerms {
    type Error = Error;
    fn try_from(w: ForecastWire) -> Result<ForecastTerms, Error> {
        let terms = ForecastTerms {
            period: w.period,
            categories: w.categories,
            quota: w.quota,
            assumed: w.assumed,
            qualified_only: w.qualified_only,
        };
        terms.check()?;
        Ok(terms)
    }
}

impl ForecastTerms {
    /// The forecast of the deals closing in `period`, categorised by `categories`, every open
    /// deal counted, without a quota.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::agreement::{ForecastTerms, ReportWindow};
    /// use revops::forecast::CategoryMap;
    /// use revops::{Currency, Money};
    ///
    /// let terms = ForecastTerms::new(ReportWindow::Quarter(0), CategoryMap::default())
    ///     .with_quota(Money::from_minor(10_000_000, Currency::USD))?;
    /// assert!(terms.quota.is_some());
    /// assert!(ForecastTerms::new(ReportWindow::AllTime, CategoryMap::default())
    ///     .with_quota(Money::from_minor(-1, Currency::USD)).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub const fn new(period: ReportWindow, categories: CategoryMap) -> ForecastTerms {
        ForecastTerms { period, categories, quota: None, assumed: false, qualified_only: false }
    }

    /// The same terms with a quota.
    ///
    /// # Errors
    ///
    /// As [`ForecastTerms::check`].
    pub fn with_quota(mut self, quota: Money) -> Result<ForecastTerms, Error> {
        self.quota = Some(quota);
        self.check()?;
        Ok(self)
    }

    /// Checks the terms on their own: the quota, if any, not negative and in whole minor
    /// units (the map checks itself when built).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) (field
    /// `kpis.forecast.quota`) for a negative quota;
    /// [`ErrorKind::ExcessPrecision`](crate::ErrorKind::ExcessPrecision) for one below the
    /// minor unit.
    pub fn check(&self) -> Result<(), Error> {
        let Some(quota) = self.quota else { return Ok(()) };
        if quota.is_negative() {
            return Err(invalid("kpis.forecast.quota", quota.to_string(), "must not be negative"));
        }
        quota.to_minor_i128().map(|_| ())
    }
}
