//! Closed-lost by reason.

use std::collections::BTreeMap;

use super::amount::{add, add_count, from_minor, minor_units};
use super::definition::same;
use super::{Period, Tally};
use crate::facts::{Deal, DealStatus, Reason};
use crate::{Currency, Error, Money, Ratio};

/// Closed-lost deals of a period by reason.
///
/// - **Population**: deals lost with `closed_at` in the period (half-open). Won and open deals
///   are excluded.
/// - **Per reason**: count, amount, and the count share = deals lost for the reason / all
///   deals lost in the period (shares sum to 100%). Reasons group by their
///   [`Reason`](crate::facts::Reason) key; a deal lost without a recorded reason
///   ([`Reason::Unspecified`](crate::facts::Reason::Unspecified)) counts under `"unspecified"`,
///   free text ([`Reason::Other`](crate::facts::Reason::Other)) under `other: <text>`; nothing is dropped.
/// - **Order**: reasons in byte order of their key (`BTreeMap`).
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::metrics::loss_reasons;
/// use revops::Period;
/// use revops::facts::{Deal, DealStatus, Reason};
/// use revops::{Currency, Money, OpportunityId};
///
/// let t = Utc.with_ymd_and_hms(2024, 1, 5, 0, 0, 0).single().unwrap_or_default();
/// let lost = |id: &str, reason: Reason| -> Result<Deal, revops::Error> {
///     let status = DealStatus::Lost { reason };
///     Ok(Deal::new(OpportunityId::new(id)?, t, Money::from_minor(1_000_00, Currency::USD), status).closed_at(Some(t)))
/// };
/// let deals = [lost("a", Reason::Price)?, lost("b", Reason::Price)?, lost("c", Reason::Unspecified)?];
/// let by_reason = loss_reasons(&deals, Period::all_time(), Currency::USD)?;
/// assert_eq!(by_reason.by_reason["price"].share.to_string(), "2/3 (66.7%)");
/// assert_eq!(by_reason.by_reason["unspecified"].deals, 1);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "LossReasonState", into = "LossReasonState")
)]
pub struct LossReasonTally {
    period: Period,
    currency: Currency,
    reasons: BTreeMap<String, (u64, i128)>,
}

/// Lost deals of one reason: `deals` lost for it, their `amount`, and `share` = `deals` / all
/// deals lost in the period.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::{Deal, DealStatus, Reason};
/// use revops::metrics::{LossReason, loss_reasons};
/// use revops::{Currency, Money, OpportunityId, Period};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let lost = |id: &str, reason, dollars: i64| -> Result<Deal, revops::Error> {
///     let amount = Money::from_minor(dollars * 100, Currency::USD);
///     Ok(Deal::new(OpportunityId::new(id)?, t(1), amount, DealStatus::Lost { reason }).closed_at(Some(t(5))))
/// };
/// let deals = [lost("a", Reason::Price, 1_000)?, lost("b", Reason::Price, 500)?, lost("c", Reason::NoDecision, 2_000)?];
/// let result = loss_reasons(&deals, Period::all_time(), Currency::USD)?;
/// let price: Option<&LossReason> = result.by_reason.get("price");
/// assert_eq!(price.map(|r| (r.deals, r.amount)), Some((2, Money::from_minor(1_500_00, Currency::USD))));
/// assert_eq!(price.map(|r| r.share.to_string()), Some("2/3 (66.7%)".to_owned())); // 2 of 3 lost deals
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct LossReason {
    /// Deals lost for this reason.
    pub deals: u64,
    /// Their amount.
    pub amount: Money,
    /// Deals for this reason over all lost deals.
    pub share: Ratio,
}

/// The result of [`LossReasonTally`]: the period's lost deals and their split by reason key
/// (the shares' common denominator is `lost`).
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::{Deal, DealStatus, Reason};
/// use revops::metrics::{LossReasonTally, LossReasons};
/// use revops::Tally;
/// use revops::{Currency, Money, OpportunityId, Period};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let lost = |id: &str, reason, dollars: i64| -> Result<Deal, revops::Error> {
///     let amount = Money::from_minor(dollars * 100, Currency::USD);
///     Ok(Deal::new(OpportunityId::new(id)?, t(1), amount, DealStatus::Lost { reason }).closed_at(Some(t(5))))
/// };
/// // Two partitions of the same period merge reason by reason.
/// let mut east = LossReasonTally::new(Period::all_time(), Currency::USD);
/// east.push(&lost("a", Reason::Price, 1_000)?)?;
/// let mut west = LossReasonTally::new(Period::all_time(), Currency::USD);
/// west.push(&lost("b", Reason::Other("went with a partner".into()), 3_000)?)?;
/// west.push(&lost("c", Reason::Price, 1_000)?)?;
/// east.merge(west)?;
/// let result: LossReasons = east.finish()?;
/// assert_eq!((result.lost, result.lost_amount), (3, Money::from_minor(5_000_00, Currency::USD)));
/// let keys: Vec<&str> = result.by_reason.keys().map(String::as_str).collect();
/// assert_eq!(keys, ["other: went with a partner", "price"]); // byte order of the key
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct LossReasons {
    /// Deals lost in the period.
    pub lost: u64,
    /// Their amount.
    pub lost_amount: Money,
    /// Per reason, in key order.
    pub by_reason: BTreeMap<String, LossReason>,
}

impl LossReasonTally {
    /// An empty tally of deals lost in `period`, amounts in `currency` (example:
    /// [`LossReasons`]).
    #[must_use]
    pub const fn new(period: Period, currency: Currency) -> LossReasonTally {
        LossReasonTally { period, currency, reasons: BTreeMap::new() }
    }
}

impl Tally for LossReasonTally {
    type Fact = Deal;
    type Output = LossReasons;

    fn push(&mut self, deal: &Deal) -> Result<(), Error> {
        deal.check()?;
        let DealStatus::Lost { reason } = &deal.status else { return Ok(()) };
        if !deal.closed_at.is_some_and(|c| self.period.contains(c)) {
            return Ok(());
        }
        let minor = minor_units(&deal.id, "amount", deal.amount, self.currency)?;
        // Named reasons group by their key; free text groups as `other: <text>`.
        let key = match reason {
            Reason::Other(_) => std::borrow::Cow::Owned(reason.to_string()),
            named => std::borrow::Cow::Borrowed(named.key()),
        };
        let slot = match self.reasons.get_mut(key.as_ref()) {
            Some(slot) => slot,
            None => self.reasons.entry(key.into_owned()).or_default(),
        };
        *slot = (add_count(slot.0, 1)?, add(slot.1, minor)?);
        Ok(())
    }

    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`](crate::ErrorKind::DefinitionMismatch) naming `period` or `currency` if `other` counts another
    /// definition; [`ErrorKind::Overflow`](crate::ErrorKind::Overflow).
    fn merge(&mut self, other: LossReasonTally) -> Result<(), Error> {
        same("loss reasons", "period", &self.period, &other.period)?;
        same("loss reasons", "currency", &self.currency, &other.currency)?;
        // Into a copy (one entry per reason, few), so an overflow leaves `self` as it was.
        let mut reasons = self.reasons.clone();
        for (reason, (n, m)) in other.reasons {
            let slot = reasons.entry(reason).or_default();
            *slot = (add_count(slot.0, n)?, add(slot.1, m)?);
        }
        self.reasons = reasons;
        Ok(())
    }

    fn finish(self) -> Result<LossReasons, Error> {
        let (mut lost, mut total) = (0u64, 0i128);
        for &(n, m) in self.reasons.values() {
            lost = add_count(lost, n)?;
            total = add(total, m)?;
        }
        let by_reason = self
            .reasons
            .into_iter()
            .map(|(reason, (n, m))| {
                Ok((reason, LossReason { deals: n, amount: from_minor(m, self.currency)?, share: Ratio::new(n, lost) }))
            })
            .collect::<Result<_, Error>>()?;
        Ok(LossReasons { lost, lost_amount: from_minor(total, self.currency)?, by_reason })
    }
}

/// Wire shape of [`LossReasonTally`]'s partial state: reasons in key order.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct LossReasonState {
    period: Period,
    currency: Currency,
    reasons: Vec<ReasonState>,
}

#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ReasonState {
    reason: String,
    deals: u64,
    #[serde(with = "super::wire::minor")]
    amount_minor: i128,
}

#[cfg(feature = "serde")]
impl From<LossReasonTally> for LossReasonState {
    fn from(t: LossReasonTally) -> LossReasonState {
        let reasons = t
            .reasons
            .into_iter()
            .map(|(reason, (deals, amount_minor))| ReasonState { reason, deals, amount_minor })
            .collect();
        LossReasonState { period: t.period, currency: t.currency, reasons }
    }
}

#[cfg(feature = "serde")]
impl TryFrom<LossReasonState> for LossReasonTally {
    type Error = Error;
    fn try_from(s: LossReasonState) -> Result<LossReasonTally, Error> {
        use super::wire::{bad_state, non_negative};
        const T: &str = "loss reason tally";
        let mut tally = LossReasonTally::new(s.period, s.currency);
        for r in s.reasons {
            non_negative(T, "amount_minor", r.amount_minor)?;
            if r.deals == 0 {
                return Err(bad_state(
                    T,
                    format!("reason {:?} with 0 deals", r.reason),
                    "a reason is counted with its deals",
                ));
            }
            // Keys ascending and distinct: a repeated reason never overwrites another silently.
            if tally.reasons.last_key_value().is_some_and(|(last, _)| *last >= r.reason) {
                return Err(bad_state(T, format!("reason {:?}", r.reason), "reasons must be ascending and distinct"));
            }
            tally.reasons.insert(r.reason, (r.deals, r.amount_minor));
        }
        Ok(tally)
    }
}

/// [`LossReasonTally`] over a slice.
///
/// # Errors
/// [`Deal::check`]'s errors; [`ErrorKind::MixedCurrency`](crate::ErrorKind::MixedCurrency).
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::{Deal, DealStatus, Reason};
/// use revops::metrics::loss_reasons;
/// use revops::ErrorKind;
/// use revops::{Currency, Money, OpportunityId, Period};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let lost = |id: &str, reason, dollars: i64| -> Result<Deal, revops::Error> {
///     let amount = Money::from_minor(dollars * 100, Currency::USD);
///     Ok(Deal::new(OpportunityId::new(id)?, t(1), amount, DealStatus::Lost { reason }).closed_at(Some(t(5))))
/// };
/// let won = Deal::new(OpportunityId::new("w")?, t(1), Money::from_minor(100, Currency::USD), DealStatus::Won)
///     .closed_at(Some(t(5)));
/// let deals = [lost("a", Reason::Price, 1_000)?, won]; // the won deal is not counted
/// let january = Period::new(t(1), t(31))?;
/// assert_eq!(loss_reasons(&deals, january, Currency::USD)?.lost, 1);
/// // Closed on 5 January: outside February.
/// let february = Period::new(t(31), Utc.with_ymd_and_hms(2024, 2, 29, 0, 0, 0).single().unwrap_or_default())?;
/// assert_eq!(loss_reasons(&deals, february, Currency::USD)?.lost, 0);
/// // A lost deal in another currency than the tally's is refused.
/// let err = loss_reasons(&deals, january, Currency::EUR).err();
/// assert!(matches!(err.as_ref().map(|e| e.kind()), Some(ErrorKind::MixedCurrency { .. })));
/// # Ok::<(), revops::Error>(())
/// ```
pub fn loss_reasons(deals: &[Deal], period: Period, currency: Currency) -> Result<LossReasons, Error> {
    LossReasonTally::new(period, currency).tally(deals)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::OpportunityId;
    use chrono::{TimeZone, Utc};

    #[test]
    fn reasons_merge_and_skip_won() {
        let t = Utc.with_ymd_and_hms(2024, 1, 5, 0, 0, 0).unwrap();
        let deal = |id: &str, status| {
            Deal::new(OpportunityId::new(id).unwrap(), t, Money::from_minor(100, Currency::USD), status)
                .closed_at(Some(t))
        };
        let mut a = LossReasonTally::new(Period::all_time(), Currency::USD);
        a.push(&deal("a", DealStatus::lost(Reason::Price))).unwrap();
        a.push(&deal("w", DealStatus::Won)).unwrap();
        let mut b = LossReasonTally::new(Period::all_time(), Currency::USD);
        b.push(&deal("b", DealStatus::lost(Reason::BadTiming))).unwrap();
        b.push(&deal("c", DealStatus::lost(Reason::Price))).unwrap();
        a.merge(b).unwrap();
        let out = a.finish().unwrap();
        assert_eq!(out.lost, 3);
        assert_eq!(out.by_reason.keys().collect::<Vec<_>>(), ["bad_timing", "price"]);
        assert_eq!(out.by_reason["price"].amount, Money::from_minor(200, Currency::USD));
        assert_eq!(out.by_reason["bad_timing"].share, Ratio::new(1, 3));
    }
}
