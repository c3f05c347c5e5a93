//! The unit-economics assumptions of an agreement: [`EconomicsTerms`] and [`CacRatioTerms`].

use chrono::{DateTime, Months, Utc};

use super::ReportWindow;
use super::deals::invalid;
use crate::calendar::Zone;
use crate::metrics::{Bucket, CacWindow, CashTiming, RevenueChurn};
use crate::{Error, ErrorKind, Probability};

/// Unit economics: CAC (blended and paid) of the customers acquired in a window of whole months,
/// spend lagged; ARPA from the mean won deal; LTV (simple and discounted), LTV:CAC, CAC payback;
/// optionally the CAC ratio of a quarter.
///
/// The customers are the accounts' first won deals ([`new_customers`](crate::metrics::new_customers)),
/// acquired in the `months` whole calendar months before the month `as_of` falls in (reporting
/// zone); the spend is the fully loaded sales and marketing spend of those months, each moved
/// back `spend_lag_months`. ARPA is the mean amount of the deals won in `arpa_period` over
/// `acv_months` (an annual contract value over 12), rounded to the minor unit, half to even.
///
/// # Wire format
///
/// ```toml
/// months = 12
/// spend_lag_months = 1
/// gross_margin = "80%"              # Probability: "80%" or "0.8"
/// monthly_churn = "1.5%"            # monthly logo churn
/// discount_rate = "1%"              # monthly, for the discounted LTV
/// cash_timing = "start_of_period"   # or "end_of_period"
/// arpa_period = "all_time"          # a ReportWindow (default "all_time")
/// acv_months = 12                   # default 12
/// by_source = true                  # default false: also one row per lead source
/// by_first_touch = true             # default false: also one row per first-touch channel
/// measured_churn = "gross"          # optional: also the LTV at the measured revenue churn
/// cac_ratio = { quarter = -2, spend_lag_quarters = 1 }   # optional, a CacRatioTerms
/// ```
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::agreement::EconomicsTerms;
/// use revops::calendar::Zone;
///
/// let text = "months = 12\nspend_lag_months = 1\ngross_margin = \"80%\"\nmonthly_churn = \"1.5%\"\n\
///             discount_rate = \"1%\"\ncash_timing = \"start_of_period\"";
/// let terms: EconomicsTerms = toml::from_str(text)?;
/// assert_eq!(terms.gross_margin.to_string(), "80%");
/// let as_of = Utc.with_ymd_and_hms(2025, 4, 1, 0, 0, 0).single().unwrap_or_default();
/// let window = terms.window(as_of, Zone::UTC)?;
/// assert_eq!((window.first_month.to_string(), window.months, window.lag_months), ("2024-04-01".to_owned(), 12, 1));
/// assert!(toml::from_str::<EconomicsTerms>(&text.replace("months = 12", "months = 0")).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "EconomicsWire")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(with = "EconomicsWire"))]
pub struct EconomicsTerms {
    /// Whole calendar months of acquisition, ending before the month of `as_of`; at least 1.
    pub months: u32,
    /// How many months the spend precedes the customers it bought.
    pub spend_lag_months: u32,
    /// Gross margin.
    pub gross_margin: Probability,
    /// Monthly logo churn.
    pub monthly_churn: Probability,
    /// Monthly discount rate of the discounted LTV.
    pub discount_rate: Probability,
    /// When a month's cash arrives, for the discounted LTV.
    pub cash_timing: CashTiming,
    /// Deals won in this window give the mean won deal (ARPA's base).
    pub arpa_period: ReportWindow,
    /// ARPA = mean won deal / this many months; at least 1.
    pub acv_months: u32,
    /// The CAC ratio, if reported.
    pub cac_ratio: Option<CacRatioTerms>,
    /// Whether the board also gives CAC, ARPA, LTV and LTV:CAC per lead source (LTV by
    /// acquisition channel): a customer's row is its first won deal's
    /// [`source`](crate::facts::Deal::source), a spend line's its
    /// [`channel`](crate::facts::Spend::channel), a won deal's (ARPA's base) its own source.
    /// Not written when false, so agreements without it keep their fingerprint.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub by_source: bool,
    /// Whether the board also gives CAC, ARPA, LTV and LTV:CAC per first-touch channel (LTV
    /// by acquisition channel as Marketo Measure's first touch and GA4's first user channel
    /// report it): a customer's row is the channel of the first touch, by its close, of its
    /// first won deal's journey (the rule of
    /// [`AcquisitionKey::FirstTouch`](crate::metrics::AcquisitionKey::FirstTouch)), a spend
    /// line's its [`channel`](crate::facts::Spend::channel), a won deal's (ARPA's base) its
    /// own first-touch channel. Not written when false, so agreements without it keep their
    /// fingerprint.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub by_first_touch: bool,
    /// Whether the board also gives the LTV at the *measured* monthly revenue churn
    /// (`"gross"`: churn and contraction; `"net"`: less expansion) of the last whole month of
    /// the acquisition window, from the recurring-revenue facts
    /// ([`Ltv::from_revenue_churn`](crate::metrics::Ltv::from_revenue_churn)), beside the LTV at
    /// the assumed logo churn. Not written when absent, so agreements without it keep their
    /// fingerprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measured_churn: Option<RevenueChurn>,
}

/// The CAC ratio of a quarter: new ARR won in the quarter x gross margin / the sales and
/// marketing spend of an earlier quarter.
///
/// # Wire format
///
/// `{ "quarter": -2, "spend_lag_quarters": 1 }`: the new ARR of the quarter `quarter` quarters
/// after the one `as_of` falls in (reporting zone; -2: two quarters back), over the spend of the
/// quarter `spend_lag_quarters` before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CacRatioTerms {
    /// The new-ARR quarter, counted from the one `as_of` falls in.
    pub quarter: i32,
    /// How many quarters the spend precedes it.
    pub spend_lag_quarters: u32,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct EconomicsWire {
    /// Whole calendar months of acquisition, ending before the month of `as_of`; at least 1.
    months: u32,
    /// How many months the spend precedes the customers it bought.
    spend_lag_months: u32,
    /// Gross margin.
    gross_margin: Probability,
    /// Monthly logo churn.
    monthly_churn: Probability,
    /// Monthly discount rate of the discounted LTV.
    discount_rate: Probability,
    /// When a month's cash arrives, for the discounted LTV.
    cash_timing: CashTiming,
    /// Deals won in this window give the mean won deal (ARPA's base).
    #[serde(default)]
    arpa_period: ReportWindow,
    /// ARPA = mean won deal / this many months; at least 1.
    #[serde(default = "twelve")]
    acv_months: u32,
    /// The CAC ratio, if reported.
    #[serde(default)]
    cac_ratio: Option<CacRatioTerms>,
    /// Also one row per lead source (default false).
    #[serde(default)]
    by_source: bool,
    /// Also one row per first-touch channel (default false).
    #[serde(default)]
    by_first_touch: bool,
    /// Also the LTV at the measured revenue churn, gross or net (default: none).
    #[serde(default)]
    measured_churn: Option<RevenueChurn>,
}

const fn twelve() -> u32 {
    12
}

impl TryFrom<EconomicsWire> for EconomicsTerms {
    type Error = Error;
    fn try_from(w: EconomicsWire) -> Result<EconomicsTerms, Error> {
        let terms = EconomicsTerms {
            months: w.months,
            spend_lag_months: w.spend_lag_months,
            gross_margin: w.gross_margin,
            monthly_churn: w.monthly_churn,
            discount_rate: w.discount_rate,
            cash_timing: w.cash_timing,
            arpa_period: w.arpa_period,
            acv_months: w.acv_months,
            cac_ratio: w.cac_ratio,
            by_source: w.by_source,
            by_first_touch: w.by_first_touch,
            measured_churn: w.measured_churn,
        };
        terms.check()?;
        Ok(terms)
    }
}

impl EconomicsTerms {
    /// Checks the month counts (at least 1 month of acquisition, ARPA over at least 1 month).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`] naming the field.
    pub fn check(&self) -> Result<(), Error> {
        for (field, value) in [("kpis.economics.months", self.months), ("kpis.economics.acv_months", self.acv_months)] {
            if value == 0 {
                return Err(invalid(field, "0".to_owned(), "must be at least 1"));
            }
        }
        Ok(())
    }

    /// The CAC window as of `as_of`: the `months` whole months before the month of `as_of` in
    /// `zone`, spend lagged `spend_lag_months`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Overflow`] or [`ErrorKind::InstantOutOfRange`] if a month leaves
    /// chrono's range.
    pub fn window(&self, as_of: DateTime<Utc>, zone: Zone) -> Result<CacWindow, Error> {
        let month = Bucket::Month.start_of(as_of, zone)?;
        let first = month.checked_sub_months(Months::new(self.months)).ok_or_else(|| {
            Error::from(ErrorKind::InstantOutOfRange { instant: format!("{month} - {} months", self.months) })
        })?;
        Ok(CacWindow::new(first, self.months, self.spend_lag_months).in_zone(zone))
    }
}
