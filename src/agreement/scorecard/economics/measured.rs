//! The LTV at the measured revenue churn ([`MeasuredLtv`]), a part of the economics section.

use rust_decimal::Decimal;

use super::super::copies::conflict;
use super::super::{Exclusion, Section, set_aside};
use crate::metrics::{Ltv, RetentionRow, RetentionTally, RevenueChurn, ltv_to_cac};
use crate::{Error, Money, Period, Ratio, Record, Tally};

/// The LTV at the measured monthly revenue churn ([`EconomicsTerms::measured_churn`](crate::agreement::EconomicsTerms::measured_churn)):
/// `ARPA x margin / revenue churn` ([`Ltv::from_revenue_churn`]), where the churn is that of
/// the last whole month of the acquisition window (`period`, in the reporting zone), measured
/// by a [`RetentionTally`] over the recurring-revenue facts: the customers with MRR above zero
/// at the month's start, their churned and contracted MRR (gross), less their expansion (net),
/// over their start MRR. ARPA is the section's (monthly), so the churn is monthly too.
///
/// - **Edge cases**: no MRR at the month's start: churn and LTV `None`; a churn of zero, or a
///   net churn below zero (expansion wins): the LTV's value `None`, never an infinite LTV.
/// - A recurring-revenue fact the tally refuses (another currency, finer than the minor unit)
///   and an account with two different facts at one instant are set aside, named, in the
///   section's exclusions.
///
/// # Example
///
/// ```
/// use revops::testkit::{Company, sample_agreement};
///
/// let company = Company::new(42, 1_000)?;
/// let card = sample_agreement()?.evaluate(&company.facts(), company.as_of())?;
/// let economics = card.economics.as_ref().ok_or("the sample agreement reports unit economics")?;
/// let measured = economics.measured.as_ref().ok_or("the sample agreement measures churn")?;
/// assert_eq!(measured.period.start().to_rfc3339(), "2025-03-01T00:00:00+00:00");
/// assert!(measured.churn.is_some_and(|c| c > rust_decimal::Decimal::ZERO));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasuredLtv {
    /// The month measured.
    pub period: Period,
    /// Gross or net revenue churn.
    pub basis: RevenueChurn,
    /// The month's retention: customers, start and end MRR, churn, contraction, expansion.
    pub month: RetentionRow,
    /// The monthly revenue churn, exact (none without start MRR).
    #[serde(with = "crate::money::exact::str_option")]
    pub churn: Option<Decimal>,
    /// LTV = ARPA x margin / churn.
    pub ltv: Option<Ltv>,
    /// That LTV over the blended CAC, both as shown.
    pub ltv_to_cac: Option<Ratio<Decimal>>,
}

/// What the measured LTV is computed from besides the month: the basis, the section's ARPA
/// and margin, and its blended CAC.
#[derive(Clone, Copy)]
pub(super) struct Base {
    pub(super) basis: RevenueChurn,
    pub(super) arpa: Option<Money>,
    pub(super) margin: Decimal,
    pub(super) blended_cac: Option<Money>,
}

/// The measured LTV of the month `period` whose recurring revenue `tally` holds; an account
/// with conflicting facts is set aside (strict: the error).
pub(super) fn measure(
    period: Period,
    mut tally: RetentionTally,
    base: Base,
    strict: bool,
    excluded: &mut Vec<Exclusion>,
) -> Result<MeasuredLtv, Error> {
    for account in tally.remove_conflicts() {
        set_aside(strict, excluded, Section::Economics, None, conflict(Record::Account(account)))?;
    }
    let month = tally.finish()?.total;
    let basis = base.basis;
    let churn = month.revenue_churn(basis);
    let ltv = base.arpa.map(|a| Ltv::from_revenue_churn(a, base.margin, &month, basis)).transpose()?.flatten();
    let ltv_to_cac = match (ltv.as_ref().and_then(|l| l.value), base.blended_cac) {
        (Some(l), Some(c)) => ltv_to_cac(l, c)?,
        _ => None,
    };
    Ok(MeasuredLtv { period, basis, month, churn, ltv, ltv_to_cac })
}
