//! LTV with revenue churn as its churn parameter.

use rust_decimal::Decimal;

use super::RetentionRow;
use crate::metrics::Ltv;
use crate::{Error, Money};

/// Which revenue churn of a [`RetentionRow`] an [`Ltv`] reads.
///
/// # Example
///
/// ```
/// use revops::metrics::RevenueChurn;
///
/// assert_ne!(RevenueChurn::Gross, RevenueChurn::Net);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum RevenueChurn {
    /// (churn + contraction) / start MRR: the revenue lost, expansion not counted.
    Gross,
    /// (churn + contraction - expansion) / start MRR: below zero when expansion wins, and then
    /// the LTV is undefined (`None`), as for a churn of zero.
    Net,
}

impl RetentionRow {
    /// The row's revenue churn, exact (not rounded); `None` without start MRR.
    #[must_use]
    pub fn revenue_churn(&self, basis: RevenueChurn) -> Option<Decimal> {
        match basis {
            RevenueChurn::Gross => self.gross_revenue_churn_exact.and_then(|r| r.value()),
            RevenueChurn::Net => self.net_revenue_churn_amount.amount().checked_div(self.start_mrr.amount()),
        }
    }
}

impl Ltv {
    /// [`Ltv::simple`] with the row's revenue churn (`basis`) as the churn: `ARPA x margin /
    /// revenue churn`. The row's period must be the ARPA's (a row over one month with monthly
    /// ARPA). `Ok(None)` when the row has no start MRR; a net revenue churn at or below zero
    /// gives an [`Ltv`] whose value is `None`. With logo churn the results are those of
    /// [`Ltv::simple`] unchanged.
    ///
    /// # Errors
    /// As [`Ltv::simple`].
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::calendar::Zone;
    /// use revops::facts::RecurringRevenue;
    /// use revops::metrics::{Bucket, Ltv, RetentionTally, RetentionTerms, RevenueChurn};
    /// use revops::{AccountId, Currency, Money, Tally};
    /// use rust_decimal_macros::dec;
    ///
    /// // One month: 1,000 of MRR loses 20 (2% gross revenue churn).
    /// let t = |m| Utc.with_ymd_and_hms(2024, m, 1, 0, 0, 0).single().unwrap_or_default();
    /// let usd = |d: i64| Money::from_minor(d * 100, Currency::USD);
    /// let terms = RetentionTerms::new(t(5), t(6), t(6), Bucket::Month, Zone::UTC)?;
    /// let row = RetentionTally::new(terms, Currency::USD, Default::default())
    ///     .tally(&[RecurringRevenue::new(AccountId::new("a")?, t(1), usd(1000)),
    ///              RecurringRevenue::new(AccountId::new("a")?, t(6), usd(980))])?
    ///     .total;
    /// let ltv = Ltv::from_revenue_churn(usd(500), dec!(0.8), &row, RevenueChurn::Gross)?;
    /// assert_eq!(ltv.and_then(|l| l.value), Some(usd(20_000))); // 400 / 0.02
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn from_revenue_churn(
        arpa: Money,
        gross_margin: Decimal,
        row: &RetentionRow,
        basis: RevenueChurn,
    ) -> Result<Option<Ltv>, Error> {
        row.revenue_churn(basis).map(|churn| Ltv::simple(arpa, gross_margin, churn)).transpose()
    }
}
