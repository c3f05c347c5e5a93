//! Retention ([definitions, section 9](crate::definitions::retention)): gross and net revenue
//! retention, logo and revenue churn, expansion and contraction over a period, by acquisition
//! cohort and by ICP tier, and cohort curves, from [`RecurringRevenue`] facts.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::Bucket;
use super::amount::{add_count, minor_units};
use super::definition::same;
use crate::calendar::Zone;
use crate::facts::RecurringRevenue;
use crate::fast_map::FastMap;
use crate::{AccountId, Currency, Error, ErrorKind, Money, Ratio, Tally};

mod compute;
mod ltv;
#[cfg(feature = "serde")]
mod state;
#[cfg(test)]
mod tests;

pub use self::ltv::RevenueChurn;

/// One account's facts: (instant, MRR in minor units).
type History = Vec<(DateTime<Utc>, i128)>;

const TALLY: &str = "retention";

/// What a [`RetentionTally`] measures: the period `[start, end]` whose endpoints are compared,
/// the instant the facts are known to (`as_of`), and the acquisition cohorts' interval in a
/// reporting zone.
///
/// Built with [`RetentionTerms::new`], which refuses `start >= end` and `end > as_of`
/// ([`ErrorKind::InvalidValue`]); deserializing checks the same (feature `serde`). On the wire:
/// `{"start": "2024-01-01T00:00:00Z", "end": "2025-01-01T00:00:00Z", "as_of": "...",
/// "cohort": "month", "zone": "UTC"}`, `cohort` a [`Bucket`] name (`"month"`, `"quarter"`, ...),
/// `zone` a [`Zone`] name.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::calendar::Zone;
/// use revops::metrics::{Bucket, RetentionTerms};
///
/// let t = |y| Utc.with_ymd_and_hms(y, 1, 1, 0, 0, 0).single().unwrap_or_default();
/// let terms = RetentionTerms::new(t(2024), t(2025), t(2025), Bucket::Quarter, Zone::UTC)?;
/// assert_eq!(terms.cohort(), Bucket::Quarter);
/// assert!(RetentionTerms::new(t(2025), t(2024), t(2025), Bucket::Month, Zone::UTC).is_err()); // end before start
/// assert!(RetentionTerms::new(t(2024), t(2026), t(2025), Bucket::Month, Zone::UTC).is_err()); // end after as_of
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "state::TermsWire", into = "state::TermsWire")
)]
pub struct RetentionTerms {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    as_of: DateTime<Utc>,
    cohort: Bucket,
    zone: Zone,
}

impl RetentionTerms {
    /// Retention from `start` to `end`, facts known to `as_of`, cohorts by `cohort` in `zone`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when `start` is not before `end` or `end` is after `as_of`.
    pub fn new(
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        as_of: DateTime<Utc>,
        cohort: Bucket,
        zone: Zone,
    ) -> Result<RetentionTerms, Error> {
        if start >= end {
            return Err(ErrorKind::InvalidValue {
                field: "retention end",
                value: end.to_rfc3339(),
                reason: "must be after the start",
            }
            .into());
        }
        if end > as_of {
            return Err(ErrorKind::InvalidValue {
                field: "retention end",
                value: end.to_rfc3339(),
                reason: "must not be after as_of (a later MRR is not known yet)",
            }
            .into());
        }
        Ok(RetentionTerms { start, end, as_of, cohort, zone })
    }

    /// The period's start: the cohort is the customers with MRR above zero then.
    #[must_use]
    pub const fn start(&self) -> DateTime<Utc> {
        self.start
    }

    /// The period's end: where each cohort customer's MRR is read again.
    #[must_use]
    pub const fn end(&self) -> DateTime<Utc> {
        self.end
    }

    /// The instant the facts are known to: later facts are not counted, curve cells not closed
    /// by then are `None`.
    #[must_use]
    pub const fn as_of(&self) -> DateTime<Utc> {
        self.as_of
    }

    /// The acquisition cohorts' interval.
    #[must_use]
    pub const fn cohort(&self) -> Bucket {
        self.cohort
    }

    /// The zone the cohort intervals are cut in.
    #[must_use]
    pub const fn zone(&self) -> Zone {
        self.zone
    }
}

/// Retention over [`RecurringRevenue`] facts (a [`Tally`]); finishes to a [`Retention`].
///
/// # Definitions ([section 9](crate::definitions::retention))
///
/// A customer's MRR at instant `t` is its latest fact at or before `t` (zero before its first);
/// its *acquisition* is its first fact with MRR above zero, its *cohort* the [`Bucket`] holding
/// that instant in the terms' zone.
///
/// - **Period cohort**: customers with `start_i` = MRR at `start` above zero; `end_i` = MRR at
///   `end` (a customer that churned and came back by `end` counts at its `end` value; one new
///   after `start` is not in it). Per customer: expansion = `max(end_i - start_i, 0)`,
///   contraction = `max(start_i - end_i, 0)` when `end_i > 0`, churn = `start_i` when `end_i = 0`.
/// - **NRR** = `sum(end_i) / sum(start_i)` = (start + expansion - contraction - churn) / start;
///   **GRR** = `sum(min(end_i, start_i)) / sum(start_i)` = (start - contraction - churn) / start,
///   at most 1. **Logo churn** = customers with `end_i = 0` / cohort customers. **Gross revenue
///   churn** = (churn + contraction) / start; **net revenue churn** = (churn + contraction -
///   expansion) / start, signed (below zero when expansion wins), `= 1 - NRR`.
/// - Every rate is exact ([`Ratio`] of major units) beside its value rounded half to even to 4
///   decimals (a fraction: `0.7333` for 73.33%); the net revenue churn's exact form is its
///   signed numerator [`RetentionRow::net_revenue_churn_amount`] over
///   [`RetentionRow::start_mrr`]. No cohort (zero start MRR): every rate `None`.
/// - **By cohort** and **by tier**: the same rows over the period cohort's customers grouped by
///   acquisition interval and by the tier the caller gave (`None`: a customer given no tier).
/// - **Curves** ([`CohortCurve`]): for every acquisition cohort, cell `k` reads each customer's
///   MRR at the close of interval `c + k` (the start of the interval after); `k = 0` is the
///   base. Logo cell = customers active / active at `k = 0`; net cell = the cohort's MRR / its
///   `k = 0` MRR (may pass 100%); gross cell caps each customer at its `k = 0` MRR. A cell whose
///   interval is not closed at `as_of` is `None`, never zero; each curve ends with the first
///   such cell.
/// - **Edge cases**: a fact after `as_of` is not counted (`facts_after_as_of`); a negative MRR
///   is [`ErrorKind::Negative`] and another currency [`ErrorKind::MixedCurrency`], naming the
///   account; two facts of one account at the same instant are
///   [`ErrorKind::InconsistentRecord`] naming it (at `finish`: the facts may arrive in any order).
///
/// # Example: the definition's example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::calendar::Zone;
/// use revops::facts::RecurringRevenue;
/// use revops::metrics::{Bucket, RetentionTally, RetentionTerms};
/// use revops::{AccountId, Currency, Money, Tally};
/// use rust_decimal_macros::dec;
/// use std::collections::BTreeMap;
///
/// let t = |y| Utc.with_ymd_and_hms(y, 1, 1, 0, 0, 0).single().unwrap_or_default();
/// let usd = |d: i64| Money::from_minor(d * 100, Currency::USD);
/// let terms = RetentionTerms::new(t(2024), t(2025), t(2025), Bucket::Month, Zone::UTC)?;
/// let mut tally = RetentionTally::new(terms, Currency::USD, BTreeMap::new());
/// for (id, end) in [("a", 150), ("b", 70), ("c", 0)] {
///     tally.push(&RecurringRevenue::new(AccountId::new(id)?, t(2024), usd(100)))?;
///     tally.push(&RecurringRevenue::new(AccountId::new(id)?, t(2025), usd(end)))?;
/// }
/// let retention = tally.finish()?;
/// assert_eq!(retention.total.nrr, Some(dec!(0.7333))); // 220 / 300
/// assert_eq!(retention.total.grr, Some(dec!(0.5667))); // 170 / 300
/// assert_eq!(retention.total.logo_churn.to_string(), "1/3 (33.3%)");
/// assert_eq!((retention.total.expansion, retention.total.contraction, retention.total.churn), (usd(50), usd(30), usd(100)));
/// # Ok::<(), revops::Error>(())
/// ```
///
/// # Merge and wire format
///
/// Merge adds another tally of the same terms, currency and tiers, else
/// [`ErrorKind::DefinitionMismatch`] naming `terms`, `currency` or `tiers`. Partial state
/// serializes (feature `serde`) as the definition and each account's facts (accounts in order,
/// each history by instant, MRR in minor units as text), validated on read.
#[derive(Clone, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "state::RetentionState", into = "state::RetentionState")
)]
pub struct RetentionTally {
    terms: RetentionTerms,
    currency: Currency,
    tiers: BTreeMap<AccountId, String>,
    /// Each account's facts (instant, MRR in minor units), in push order.
    histories: Vec<(AccountId, History)>,
    index: FastMap<AccountId, usize>,
    after_as_of: u64,
    /// The index of the last account pushed: facts usually arrive grouped by account.
    last: usize,
}

/// One row of a [`Retention`]: the period cohort's movements and rates (all customers, one
/// acquisition cohort, or one tier). `start_mrr + expansion - contraction - churn = end_mrr`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct RetentionRow {
    /// Customers with MRR above zero at the start.
    pub customers: u64,
    /// Of them, with zero MRR at the end.
    pub churned: u64,
    /// Their MRR at the start.
    pub start_mrr: Money,
    /// Their MRR at the end.
    pub end_mrr: Money,
    /// Increases of customers who kept paying.
    pub expansion: Money,
    /// Decreases of customers who kept paying.
    pub contraction: Money,
    /// The start MRR of customers who left.
    pub churn: Money,
    /// Net revenue retention rounded half to even to 4 decimals.
    pub nrr: Option<Decimal>,
    /// `end_mrr / start_mrr` exactly.
    pub nrr_exact: Option<Ratio<Decimal>>,
    /// Gross revenue retention rounded half to even to 4 decimals.
    pub grr: Option<Decimal>,
    /// `(start_mrr - contraction - churn) / start_mrr` exactly.
    pub grr_exact: Option<Ratio<Decimal>>,
    /// `churned / customers`.
    pub logo_churn: Ratio,
    /// Gross revenue churn rounded half to even to 4 decimals.
    pub gross_revenue_churn: Option<Decimal>,
    /// `(churn + contraction) / start_mrr` exactly.
    pub gross_revenue_churn_exact: Option<Ratio<Decimal>>,
    /// Net revenue churn rounded half to even to 4 decimals, signed; `None` without start MRR.
    pub net_revenue_churn: Option<Decimal>,
    /// `churn + contraction - expansion`, signed: net revenue churn's numerator (over
    /// `start_mrr`), its exact form.
    pub net_revenue_churn_amount: Money,
}

/// One cell of a [`CohortCurve`]: the cohort `k` intervals after its acquisition interval.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CurveCell {
    /// The instant the cell reads MRR at (the close of interval `c + k`).
    pub at: DateTime<Utc>,
    /// Customers with MRR above zero then.
    pub active: u64,
    /// The cohort's MRR then.
    pub mrr: Money,
    /// The cohort's MRR then, each customer capped at its `k = 0` MRR.
    pub capped_mrr: Money,
    /// Logo curve: `active` / active at `k = 0`.
    pub logo: Ratio,
    /// Net curve: `mrr` / MRR at `k = 0` (major units); `None` when that is zero.
    pub net: Option<Ratio<Decimal>>,
    /// Gross curve: `capped_mrr` / MRR at `k = 0`; `None` when that is zero.
    pub gross: Option<Ratio<Decimal>>,
}

/// One acquisition cohort's retention curve: cells `k = 0, 1, ...`, ending with the first cell
/// not closed at `as_of` (`None`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CohortCurve {
    /// The first local date of the acquisition interval.
    pub cohort: NaiveDate,
    /// Customers acquired in it (some may have left before `k = 0`).
    pub customers: u64,
    /// The cells; `None` where the interval is not closed at `as_of`.
    pub cells: Vec<Option<CurveCell>>,
}

/// The result of a [`RetentionTally`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Retention {
    /// The terms measured.
    pub terms: RetentionTerms,
    /// Every customer of the period cohort.
    pub total: RetentionRow,
    /// The period cohort by acquisition interval (its first local date).
    pub by_cohort: BTreeMap<NaiveDate, RetentionRow>,
    /// The period cohort by the caller's tier; `None` for customers given none. On the wire, a
    /// list of `[tier, row]` pairs (`null` for `None`): JSON keys must be strings.
    #[cfg_attr(feature = "serde", serde(with = "crate::wire::key_pairs"))]
    pub by_tier: BTreeMap<Option<String>, RetentionRow>,
    /// Every acquisition cohort's curve, in cohort order.
    pub curves: Vec<CohortCurve>,
    /// Facts after `as_of`, not counted.
    pub facts_after_as_of: u64,
}

impl RetentionTally {
    /// An empty tally of `terms` in `currency`, with each account's tier (`tiers`; an account
    /// not in it has none).
    #[must_use]
    pub fn new(terms: RetentionTerms, currency: Currency, tiers: BTreeMap<AccountId, String>) -> RetentionTally {
        RetentionTally {
            terms,
            currency,
            tiers,
            histories: Vec::new(),
            index: FastMap::default(),
            after_as_of: 0,
            last: usize::MAX,
        }
    }

    /// The same tally with each account's tier from `tiers`: a regrouping by a key known only
    /// when the tally finishes (an account's acquisition channel, joined from other facts).
    pub(crate) fn with_tiers(mut self, tiers: BTreeMap<AccountId, String>) -> RetentionTally {
        self.tiers = tiers;
        self
    }

    /// Removes the exact repeats of a fact (same account, instant and MRR: one record given
    /// twice) and every account with two different MRRs at one instant (copies that differ:
    /// none of its facts counts); returns those accounts, in id order. Afterwards every
    /// history is sorted by instant and [`Tally::finish`] meets no two facts at one instant.
    #[cfg(feature = "serde")] // its one caller, the board's retention section, needs serde
    pub(crate) fn remove_conflicts(&mut self) -> Vec<AccountId> {
        let mut conflicted = Vec::new();
        for (account, history) in &mut self.histories {
            history.sort_unstable();
            history.dedup();
            if history.windows(2).any(|w| matches!(w, [a, b] if a.0 == b.0)) {
                conflicted.push(account.clone());
                history.clear();
            }
        }
        if !conflicted.is_empty() {
            self.histories.retain(|(_, history)| !history.is_empty());
            self.index = self.histories.iter().enumerate().map(|(i, (account, _))| (account.clone(), i)).collect();
            self.last = usize::MAX;
            conflicted.sort_unstable();
        }
        conflicted
    }

    /// The accounts with a kept fact, in push order.
    pub(crate) fn accounts(&self) -> impl Iterator<Item = &AccountId> {
        self.histories.iter().map(|(account, _)| account)
    }

    /// Appends `facts` to `account`'s history.
    fn append(&mut self, account: &AccountId, facts: impl IntoIterator<Item = (DateTime<Utc>, i128)>) {
        let at = if self.histories.get(self.last).is_some_and(|(a, _)| a == account) {
            self.last
        } else if let Some(&i) = self.index.get(account) {
            i
        } else {
            self.index.insert(account.clone(), self.histories.len());
            self.histories.push((account.clone(), Vec::new()));
            self.histories.len() - 1
        };
        self.last = at;
        if let Some((_, history)) = self.histories.get_mut(at) {
            history.extend(facts);
        }
    }
}

impl Tally for RetentionTally {
    type Fact = RecurringRevenue;
    type Output = Retention;

    /// # Errors
    /// [`ErrorKind::Negative`], [`ErrorKind::MixedCurrency`] naming the account;
    /// [`ErrorKind::Overflow`].
    #[inline]
    fn push(&mut self, fact: &RecurringRevenue) -> Result<(), Error> {
        let minor = minor_units(&fact.account, "mrr", fact.mrr, self.currency)?;
        if fact.at > self.terms.as_of {
            self.after_as_of = add_count(self.after_as_of, 1)?;
            return Ok(());
        }
        self.append(&fact.account, [(fact.at, minor)]);
        Ok(())
    }

    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`] naming `terms`, `currency` or `tiers`;
    /// [`ErrorKind::Overflow`].
    fn merge(&mut self, other: RetentionTally) -> Result<(), Error> {
        same(TALLY, "terms", &self.terms, &other.terms)?;
        same(TALLY, "currency", &self.currency, &other.currency)?;
        same(TALLY, "tiers", &self.tiers, &other.tiers)?;
        self.after_as_of = add_count(self.after_as_of, other.after_as_of)?;
        for (account, facts) in other.histories {
            self.append(&account, facts);
        }
        Ok(())
    }

    /// # Errors
    /// [`ErrorKind::InconsistentRecord`] naming an account with two facts at one instant;
    /// [`ErrorKind::Overflow`].
    fn finish(self) -> Result<Retention, Error> {
        compute::finish(self)
    }
}
