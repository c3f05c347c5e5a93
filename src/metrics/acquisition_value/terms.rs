//! [`AcquisitionValueTerms`]: what an [`AcquisitionValueTally`](super::AcquisitionValueTally)
//! measures, with the key it groups customers by ([`AcquisitionKey`]) and the churn its LTV
//! reads ([`ChurnBasis`]).

use chrono::Datelike;
use rust_decimal::Decimal;

use crate::metrics::unit_economics::fraction;
use crate::metrics::{CacWindow, CashTiming, RetentionTerms, RevenueChurn};
use crate::{Currency, Error, ErrorKind};

/// Which channel acquired a customer: the key the rows of an
/// [`AcquisitionValue`](super::AcquisitionValue) are grouped by. Each customer has one value of
/// either key (or none: the `None` row), so the rows partition the customers.
///
/// # Example
///
/// ```
/// use revops::metrics::AcquisitionKey;
///
/// // On the wire (feature `serde`) in snake case.
/// # #[cfg(feature = "serde")]
/// assert_eq!(serde_json::to_string(&AcquisitionKey::LeadSource).ok().as_deref(), Some(r#""lead_source""#));
/// assert_ne!(AcquisitionKey::FirstTouch, AcquisitionKey::LeadSource);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum AcquisitionKey {
    /// The acquisition channel: the channel of the first touch of the customer's converting
    /// journey (the journey of its first won deal), at or before that deal's close.
    FirstTouch,
    /// The lead source: the source of the lead the customer's first won deal came from
    /// ([`Lead::source`](crate::facts::Lead::source)), or the deal's own
    /// [`Deal::source`](crate::facts::Deal::source) when it names no lead.
    LeadSource,
}

/// Which churn the LTV of each row reads, over the same period length as its ARPA.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::calendar::Zone;
/// use revops::metrics::{Bucket, ChurnBasis, RetentionTerms, RevenueChurn};
///
/// let t = |m| Utc.with_ymd_and_hms(2024, m, 1, 0, 0, 0).single().unwrap_or_default();
/// let february = RetentionTerms::new(t(2), t(3), t(3), Bucket::Month, Zone::UTC)?;
/// let basis = ChurnBasis::Revenue { terms: february, churn: RevenueChurn::Gross };
/// assert_ne!(basis, ChurnBasis::Logo);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case", tag = "basis")
)]
#[non_exhaustive]
pub enum ChurnBasis {
    /// Logo churn of the row's account-periods ([`AccountPeriod`](crate::metrics::AccountPeriod),
    /// as [`ArpaChurnTally`](crate::metrics::ArpaChurnTally) counts it): churned over active
    /// at the start.
    Logo,
    /// Revenue churn of the row's retention cohort ([`RetentionTally`](crate::metrics::RetentionTally)
    /// over [`RecurringRevenue`](crate::facts::RecurringRevenue) facts, read by
    /// [`RetentionRow::revenue_churn`](crate::metrics::RetentionRow::revenue_churn)).
    Revenue {
        /// The retention period (its length must be the ARPA's: a month with monthly ARPA).
        terms: RetentionTerms,
        /// Gross or net revenue churn.
        churn: RevenueChurn,
    },
}

/// What an [`AcquisitionValueTally`](super::AcquisitionValueTally) measures: the acquisition
/// key, the CAC window, the currency, the gross margin, the churn basis and, optionally, a
/// discount rate for the discounted LTV.
///
/// Built with [`AcquisitionValueTerms::new`] (logo churn, simple LTV), then
/// [`AcquisitionValueTerms::with_revenue_churn`] and [`AcquisitionValueTerms::discounted`].
/// The window's `first_month` is kept as the first day of its month (any date of the month
/// is the same window, as [`CacTally`](crate::metrics::CacTally) merges it).
///
/// # Wire format
///
/// An object: `key` (an [`AcquisitionKey`]), `window` (a [`CacWindow`]), `currency`,
/// `gross_margin` (a decimal string), `churn` (`{"basis": "logo"}` or `{"basis": "revenue",
/// "terms": ..., "churn": "gross"}`) and `discount` (`null` or `{"rate": "0.01", "timing":
/// "end_of_period"}`), validated as the constructors validate.
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use revops::metrics::{AcquisitionKey, AcquisitionValueTerms, CacWindow, CashTiming};
/// use revops::Currency;
/// use rust_decimal_macros::dec;
///
/// let window = CacWindow::new(NaiveDate::from_ymd_opt(2024, 1, 20).unwrap_or_default(), 3, 1);
/// let terms = AcquisitionValueTerms::new(AcquisitionKey::FirstTouch, window, Currency::USD, dec!(0.8))?
///     .discounted(dec!(0.01), CashTiming::EndOfPeriod)?;
/// assert_eq!(terms.window().first_month, NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default());
/// assert_eq!(terms.discount(), Some((dec!(0.01), CashTiming::EndOfPeriod)));
/// // A margin is a fraction: 80 is refused, not read as 80%.
/// assert!(AcquisitionValueTerms::new(AcquisitionKey::FirstTouch, window, Currency::USD, dec!(80)).is_err());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "TermsWire", into = "TermsWire")
)]
pub struct AcquisitionValueTerms {
    key: AcquisitionKey,
    window: CacWindow,
    currency: Currency,
    gross_margin: Decimal,
    churn: ChurnBasis,
    discount: Option<(Decimal, CashTiming)>,
}

impl AcquisitionValueTerms {
    /// Customers grouped by `key`, CAC over `window` in `currency`, LTV at `gross_margin` (a
    /// fraction) with logo churn and no discount.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] for a gross margin outside `[0, 1]`.
    pub fn new(
        key: AcquisitionKey,
        window: CacWindow,
        currency: Currency,
        gross_margin: Decimal,
    ) -> Result<AcquisitionValueTerms, Error> {
        let gross_margin = fraction("gross margin", gross_margin)?;
        let first_month = window.first_month.with_day(1).unwrap_or(window.first_month);
        Ok(AcquisitionValueTerms {
            key,
            window: CacWindow { first_month, ..window },
            currency,
            gross_margin,
            churn: ChurnBasis::Logo,
            discount: None,
        })
    }

    /// The same terms with LTV reading the revenue churn (`churn`, gross or net) of each row's
    /// retention cohort over `terms`.
    #[must_use]
    pub const fn with_revenue_churn(mut self, terms: RetentionTerms, churn: RevenueChurn) -> AcquisitionValueTerms {
        self.churn = ChurnBasis::Revenue { terms, churn };
        self
    }

    /// The same terms with the discounted LTV ([`Ltv::discounted`](crate::metrics::Ltv::discounted)) at
    /// `rate` per period and cash `timing`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] for a negative rate.
    pub fn discounted(mut self, rate: Decimal, timing: CashTiming) -> Result<AcquisitionValueTerms, Error> {
        if rate.is_sign_negative() && !rate.is_zero() {
            return Err(ErrorKind::InvalidValue {
                field: "discount rate",
                value: rate.to_string(),
                reason: "must not be negative",
            }
            .into());
        }
        self.discount = Some((rate, timing));
        Ok(self)
    }

    /// The key customers are grouped by.
    #[must_use]
    pub const fn key(&self) -> AcquisitionKey {
        self.key
    }

    /// The CAC window (its `first_month` the first day of the month).
    #[must_use]
    pub const fn window(&self) -> CacWindow {
        self.window
    }

    /// The currency every amount is in.
    #[must_use]
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// The gross margin, a fraction.
    #[must_use]
    pub const fn gross_margin(&self) -> Decimal {
        self.gross_margin
    }

    /// The churn LTV reads.
    #[must_use]
    pub const fn churn(&self) -> ChurnBasis {
        self.churn
    }

    /// The discount rate and cash timing of the discounted LTV, `None` for the simple LTV.
    #[must_use]
    pub const fn discount(&self) -> Option<(Decimal, CashTiming)> {
        self.discount
    }
}

/// Wire shape of [`AcquisitionValueTerms`]; private so the format can change freely.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TermsWire {
    key: AcquisitionKey,
    window: CacWindow,
    currency: Currency,
    #[serde(with = "crate::money::exact::str")]
    gross_margin: Decimal,
    churn: ChurnBasis,
    #[serde(default)]
    discount: Option<DiscountWire>,
}

#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DiscountWire {
    #[serde(with = "crate::money::exact::str")]
    rate: Decimal,
    timing: CashTiming,
}

#[cfg(feature = "serde")]
impl From<AcquisitionValueTerms> for TermsWire {
    fn from(t: AcquisitionValueTerms) -> TermsWire {
        TermsWire {
            key: t.key,
            window: t.window,
            currency: t.currency,
            gross_margin: t.gross_margin,
            churn: t.churn,
            discount: t.discount.map(|(rate, timing)| DiscountWire { rate, timing }),
        }
    }
}

#[cfg(feature = "serde")]
impl TryFrom<TermsWire> for AcquisitionValueTerms {
    type Error = Error;

    fn try_from(w: TermsWire) -> Result<AcquisitionValueTerms, Error> {
        let mut terms = AcquisitionValueTerms::new(w.key, w.window, w.currency, w.gross_margin)?;
        terms.churn = w.churn;
        match w.discount {
            Some(d) => terms.discounted(d.rate, d.timing),
            None => Ok(terms),
        }
    }
}
