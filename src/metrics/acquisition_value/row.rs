//! [`AcquisitionRow`]: one row of an [`AcquisitionValue`](super::AcquisitionValue), its LTV and
//! LTV:CAC computed by the crate's one LTV formula and [`ltv_to_cac`] from the row's CAC, ARPA
//! and churn.

use rust_decimal::Decimal;

use super::{AcquisitionValueTerms, ChurnBasis};
use crate::metrics::amount::rounded;
use crate::metrics::{ArpaChurn, Cac, Ltv, RetentionRow, ltv_to_cac};
use crate::{Error, Ratio};

/// One acquisition channel (or the blended total) of an
/// [`AcquisitionValue`](super::AcquisitionValue): customers acquired, spend and CAC, ARPA and
/// churn, LTV and LTV:CAC.
///
/// - `cac` is [`CacTally`](crate::metrics::CacTally)'s result over the row's spend lines and
///   new customers: `cac.customers` are the customers acquired in the window's customer
///   months, `cac.spend` the spend of its spend months traced to the row's channel, and
///   `cac.blended` their quotient (`None` without a customer).
/// - `arpa_churn` is [`ArpaChurnTally`](crate::metrics::ArpaChurnTally)'s result over the
///   account-periods of the accounts the row's channel acquired.
/// - `retention` (revenue-churn basis only) is the row's [`RetentionRow`]: the accounts of the
///   row's channel in the retention cohort; `None` with logo churn, or when the row has no
///   account in the cohort.
/// - `churn` is the churn `ltv` reads: the logo churn's value, or the row's revenue churn.
/// - `ltv` is [`Ltv::simple`] (or [`Ltv::discounted`]) of `arpa_churn.arpa`, the terms'
///   margin and `churn`; `None` without ARPA (no account-period) or without churn (no account
///   active at the start, or no start MRR); its `value` is `None` when the churn is zero or
///   below.
/// - `ltv_to_cac_exact` is [`ltv_to_cac`] of `ltv.value` and `cac.blended`, the two amounts as
///   the row reports them; `None` when either is `None` or the CAC is zero. `ltv_to_cac` is
///   its value rounded half to even to 4 decimals.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct AcquisitionRow {
    /// Spend, customers acquired and CAC (blended and paid) of the row.
    pub cac: Cac,
    /// ARPA and logo churn of the row's account-periods.
    pub arpa_churn: ArpaChurn,
    /// The row's retention (revenue-churn basis), `None` otherwise or without a cohort account.
    pub retention: Option<RetentionRow>,
    /// The churn the LTV reads, exact; `None` when undefined.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str_option"))]
    pub churn: Option<Decimal>,
    /// Lifetime value from the row's ARPA, the margin and `churn`.
    pub ltv: Option<Ltv>,
    /// LTV:CAC exactly: `ltv.value` over `cac.blended`.
    pub ltv_to_cac_exact: Option<Ratio<Decimal>>,
    /// `ltv_to_cac_exact` rounded half to even to 4 decimals.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str_option"))]
    pub ltv_to_cac: Option<Decimal>,
}

impl AcquisitionRow {
    /// The row of `cac`, `arpa_churn` and `retention` under `terms`.
    pub(super) fn new(
        terms: &AcquisitionValueTerms,
        cac: Cac,
        arpa_churn: ArpaChurn,
        retention: Option<RetentionRow>,
    ) -> Result<AcquisitionRow, Error> {
        let churn = match terms.churn() {
            ChurnBasis::Logo => arpa_churn.churn.value(),
            ChurnBasis::Revenue { churn, .. } => retention.as_ref().and_then(|row| row.revenue_churn(churn)),
        };
        let margin = terms.gross_margin();
        let ltv = match (arpa_churn.arpa, churn) {
            (Some(arpa), Some(churn)) => Some(match terms.discount() {
                None => Ltv::simple(arpa, margin, churn)?,
                Some((rate, timing)) => Ltv::discounted(arpa, margin, churn, rate, timing)?,
            }),
            _ => None,
        };
        let ltv_to_cac_exact = match (ltv.as_ref().and_then(|l| l.value), cac.blended) {
            (Some(ltv), Some(cac)) => ltv_to_cac(ltv, cac)?,
            _ => None,
        };
        Ok(AcquisitionRow {
            cac,
            arpa_churn,
            retention,
            churn,
            ltv,
            ltv_to_cac: rounded(ltv_to_cac_exact, 4, "ltv to cac")?,
            ltv_to_cac_exact,
        })
    }
}
