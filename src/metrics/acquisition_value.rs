//! LTV and LTV:CAC by acquisition channel or lead source
//! ([definitions, section 5](crate::definitions::metrics#ltv-and-ltvcac-by-acquisition-channel)):
//! [`AcquisitionValueTally`] groups new customers by the channel that acquired them and gives,
//! per channel and blended, customers acquired, spend and CAC, ARPA and churn, LTV and LTV:CAC.
//!
//! # Design
//!
//! - **One key per customer, chosen by the caller** ([`AcquisitionKey`]): the channel of the
//!   first touch of the customer's converting journey, or the lead source. Each customer has
//!   one value (or none), so the rows partition the customers and sum to the total; an
//!   attribution-weighted split (a customer shared over channels) would not partition, and is
//!   left to [`ReturnOnMarketingTally`](crate::metrics::ReturnOnMarketingTally)'s revenue side.
//! - **The key is derived once, from the whole fact set** ([`acquired_customers`], like
//!   [`new_customers`](crate::metrics::new_customers)): the join of a first won deal to its
//!   journey or lead needs every deal, journey and lead, which a partition does not hold. The
//!   tally then reads the derived [`AcquiredCustomer`]s, spend lines and revenue facts, in any
//!   order and any partition: an account's revenue is assigned to its row at `finish`, when its
//!   acquisition is known.
//! - **No formula is copied.** Each row's CAC is a [`CacTally`] (its window, lag, month rule
//!   and rounding), its ARPA and logo churn an [`ArpaChurnTally`], its revenue churn a
//!   [`RetentionTally`] row ([`RetentionRow::revenue_churn`](crate::metrics::RetentionRow::revenue_churn)),
//!   its LTV [`Ltv::simple`](crate::metrics::Ltv::simple) or [`Ltv::discounted`](crate::metrics::Ltv::discounted),
//!   its LTV:CAC [`ltv_to_cac`](crate::metrics::ltv_to_cac). The total row is the same
//!   accumulators merged over every row, so it is exactly the blended computation of the same
//!   inputs (tested), never a mean of rows.
//! - **Spend traced to no channel is the `None` row**, never spread over the channels: how
//!   salaries or tools are allocated is an accounting decision the crate does not guess. The
//!   `None` row also holds the customers with no channel, and the revenue of accounts with no
//!   acquisition ([`AcquisitionValue::accounts_without_acquisition`] counts those).
//! - **Duplicates, our rule**: two acquisitions of one account (partitions that each derived
//!   one) keep the earliest `(acquired_on, deal)`; two of the same deal that differ (channel or
//!   paid flag) are [`ErrorKind::InconsistentRecord`] naming the account at `finish`, whatever
//!   the push and merge order (the facts may arrive in any order).
//! - **LTV:CAC of the amounts shown**: the ratio is of the row's LTV and CAC as reported (each
//!   rounded to the minor unit), so a reader can recompute it from the row, and the blended row
//!   equals the existing blended LTV:CAC ([`ltv_to_cac`](crate::metrics::ltv_to_cac) of the
//!   rounded LTV and CAC).
//!
//! # Example: two channels and unattributed salaries (hand-worked)
//!
//! January 2024 customers, January spend (no lag), margin 80%, logo churn of February's
//! account-periods. Paid search: 20 customers at $500 a month, 4 of them won in January, 1
//! churns; spend $12,000. Webinar: 20 at $300, 2 won in January, 2 churn; spend $2,000. Sales
//! salaries, on no channel: $6,000.
//!
//! | row | customers | spend | CAC | ARPA | churn | LTV | LTV:CAC |
//! | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
//! | `paid_search` | 4 | 12,000 | 3,000.00 | 500.00 | 1/20 | 500 x 0.8 / 0.05 = 8,000.00 | 2.6667 |
//! | `webinar` | 2 | 2,000 | 1,000.00 | 300.00 | 2/20 | 240 / 0.1 = 2,400.00 | 2.4 |
//! | `None` | 0 | 6,000 | - | - | - | - | - |
//! | total | 6 | 20,000 | 3,333.33 | 400.00 | 3/40 | 320 / 0.075 = 4,266.67 | 1.28 |
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use revops::calendar::Zone;
//! use revops::facts::{Deal, DealStatus, FactSet, Journey, Spend, SpendKind, Touchpoint};
//! use revops::metrics::{
//!     AccountPeriod, AcquisitionKey, AcquisitionValueTerms, CacWindow, acquired_customers, acquisition_value,
//! };
//! use revops::{AccountId, ChannelId, Currency, JourneyId, Money, OpportunityId, Period};
//! use rust_decimal_macros::dec;
//!
//! let at = |y, m| Utc.with_ymd_and_hms(y, m, 15, 0, 0, 0).single().unwrap_or_default();
//! let usd = |dollars: i64| Money::from_minor(dollars * 100, Currency::USD);
//! let (mut facts, mut february) = (FactSet::default(), Vec::new());
//! for (channel, won_in_january, churned, mrr) in [("paid_search", 4, 1, 500), ("webinar", 2, 2, 300)] {
//!     for i in 0..20 {
//!         let id = format!("{channel}-{i}");
//!         let closed = if i < won_in_january { at(2024, 1) } else { at(2023, 6) };
//!         facts.deals.push(Deal::new(OpportunityId::new(id.as_str())?, closed, usd(12 * mrr), DealStatus::Won)
//!             .closed_at(Some(closed))
//!             .account(Some(AccountId::new(id.as_str())?)));
//!         facts.journeys.push(Journey::converted(JourneyId::new(id.as_str())?, closed, usd(12 * mrr))
//!             .with_touch(Touchpoint::new(closed, ChannelId::new(channel)?)));
//!         let churns = i >= 20 - churned;
//!         february.push(AccountPeriod { account: AccountId::new(id)?, revenue: usd(mrr), active_at_start: true, churned: churns });
//!     }
//! }
//! let january = Period::new(Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or_default(),
//!                           Utc.with_ymd_and_hms(2024, 2, 1, 0, 0, 0).single().unwrap_or_default())?;
//! let spend = [
//!     Spend::new(january, SpendKind::Paid, usd(12_000)).on_channel(ChannelId::new("paid_search")?),
//!     Spend::new(january, SpendKind::Paid, usd(2_000)).on_channel(ChannelId::new("webinar")?),
//!     Spend::new(january, SpendKind::SalesPeople, usd(6_000)), // on no channel: its own row
//! ];
//! let window = CacWindow::new(january.start().date_naive(), 1, 0);
//! let terms = AcquisitionValueTerms::new(AcquisitionKey::FirstTouch, window, Currency::USD, dec!(0.8))?;
//! let customers = acquired_customers(&facts, AcquisitionKey::FirstTouch, Zone::UTC)?;
//! let value = acquisition_value(terms, &customers, &spend, &february, &[])?;
//!
//! let row = |channel: &str| ChannelId::new(channel).map(|c| &value.by_key[&Some(c)]);
//! let search = row("paid_search")?;
//! assert_eq!((search.cac.customers, search.cac.blended), (4, Some(usd(3_000))));
//! assert_eq!((search.arpa_churn.arpa, search.arpa_churn.churn.to_string()), (Some(usd(500)), "1/20 (5.0%)".to_owned()));
//! assert_eq!(search.ltv.as_ref().and_then(|l| l.value), Some(usd(8_000)));
//! assert_eq!(search.ltv_to_cac, Some(dec!(2.6667))); // 8,000 / 3,000
//! assert_eq!(row("webinar")?.ltv_to_cac, Some(dec!(2.4))); // 2,400 / 1,000
//! let unattributed = &value.by_key[&None];
//! assert_eq!((unattributed.cac.spend, unattributed.cac.blended, unattributed.ltv_to_cac), (usd(6_000), None, None));
//! // Blended: all spend over all new customers, all revenue over all accounts.
//! assert_eq!((value.total.cac.customers, value.total.cac.spend), (6, usd(20_000)));
//! assert_eq!(value.total.cac.blended, Some(Money::new(dec!(3333.33), Currency::USD)));
//! assert_eq!(value.total.ltv.as_ref().and_then(|l| l.value), Some(Money::new(dec!(4266.67), Currency::USD)));
//! assert_eq!(value.total.ltv_to_cac, Some(dec!(1.28))); // 4,266.67 / 3,333.33 = 1.280002...
//! # Ok::<(), revops::Error>(())
//! ```
//!
//! # Merge and wire format
//!
//! Merge adds a tally of the same terms, else [`ErrorKind::DefinitionMismatch`] naming `key`,
//! `window`, `currency`, `gross_margin`, `churn` or `discount`. Partial state serializes
//! (feature `serde`) as the terms, each account's acquisition, each channel's CAC tally, each
//! account's ARPA tally and the retention tally, in key order, validated on read.

use std::collections::{BTreeMap, BTreeSet};

use crate::facts::{RecurringRevenue, Spend};
use crate::metrics::definition::same;
use crate::metrics::{AccountPeriod, ArpaChurnTally, CacTally, NewCustomer, RetentionRow, RetentionTally};
use crate::{AccountId, ChannelId, Error, ErrorKind, Record, Tally};

mod customer;
mod row;
#[cfg(feature = "serde")]
mod state;
mod terms;
#[cfg(test)]
mod tests;

#[cfg(feature = "serde")]
pub(crate) use self::customer::first_touch_channel;
pub use self::customer::{AcquiredCustomer, acquired_customers};
pub use self::row::AcquisitionRow;
pub use self::terms::{AcquisitionKey, AcquisitionValueTerms, ChurnBasis};

const TALLY: &str = "acquisition value";

/// LTV and LTV:CAC by acquisition channel (a [`Tally`]); finishes to an [`AcquisitionValue`].
///
/// # Definitions ([section 5](crate::definitions::metrics#ltv-and-ltvcac-by-acquisition-channel), with a worked example)
///
/// A row is a value of the terms' [`AcquisitionKey`] (a channel, or `None`); an account
/// belongs to the row of its [`AcquiredCustomer`].
///
/// - **Customers acquired** (CAC's denominator) = the row's new customers acquired in the
///   window's customer months ([`NewCustomer::acquired_on`]).
/// - **Spend** (CAC's numerator) = the spend lines of the window's spend months (the lag
///   applied) whose [`Spend::channel`] is the row's channel, every kind; spend on no channel is
///   the `None` row (the ids are compared as given: with the lead-source key, a spend line
///   counts in a source's row when its channel spells the source's value). **CAC** = spend /
///   customers acquired, rounded half to even to the minor
///   unit; paid CAC as [`CacTally`] counts it.
/// - **ARPA and logo churn** = [`ArpaChurnTally`] over the account-periods of the row's
///   accounts (every account the row's channel acquired, whenever: push the account-periods of
///   the population to measure, e.g. one month of every customer, or of one cohort).
///   **Revenue churn** ([`ChurnBasis::Revenue`]) = the row's [`RetentionRow`] of a
///   [`RetentionTally`] over [`RecurringRevenue`] facts, gross or net.
/// - **LTV** = the [`Ltv`](crate::metrics::Ltv) formula (simple or discounted) of the row's ARPA, the
///   margin and its churn. **LTV:CAC** = LTV / CAC ([`AcquisitionRow`]).
/// - **Edge cases**: no customer acquired gives CAC `None` and so LTV:CAC `None`; zero CAC
///   (customers, no spend) gives LTV:CAC `None`; no account-period gives ARPA and LTV `None`;
///   zero churn (or below, net) gives an LTV whose value is `None`; no account active at the
///   start (no start MRR) gives churn and LTV `None`. Bad facts are refused as the underlying
///   tallies refuse them, naming the record.
/// - **Reconciliation**: the rows' customers, spend, paid spend, account-periods, revenue and
///   retention movements sum to the total row's; the total row's CAC, ARPA, churn, LTV and
///   LTV:CAC are those of the blended computation over the same facts.
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use revops::facts::{Spend, SpendKind};
/// use revops::metrics::{AcquisitionFact, AcquisitionKey, AcquisitionValueTally, AcquisitionValueTerms, CacWindow};
/// use revops::{ChannelId, Currency, Money, Period, Tally};
/// use rust_decimal_macros::dec;
///
/// let window = CacWindow::new(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default(), 1, 0);
/// let terms = AcquisitionValueTerms::new(AcquisitionKey::LeadSource, window, Currency::USD, dec!(0.8))?;
/// let line = Spend::new(Period::all_time(), SpendKind::Paid, Money::from_minor(100, Currency::USD));
/// let mut tally = AcquisitionValueTally::new(terms);
/// // A spend line must lie within one calendar month of the window, as for CAC.
/// assert!(tally.push(&AcquisitionFact::Spend(line)).is_err());
/// let other = AcquisitionValueTerms::new(AcquisitionKey::FirstTouch, window, Currency::USD, dec!(0.8))?;
/// assert!(tally.merge(AcquisitionValueTally::new(other)).is_err()); // another key: never a silent sum
/// assert!(tally.finish()?.by_key.is_empty());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "state::AcquisitionValueState", into = "state::AcquisitionValueState")
)]
pub struct AcquisitionValueTally {
    terms: AcquisitionValueTerms,
    /// Each account's acquisition (the earliest seen).
    acquisitions: BTreeMap<AccountId, Acquisition>,
    /// Each channel's spend (a CAC tally without customers until `finish`).
    spend: BTreeMap<Option<ChannelId>, CacTally>,
    /// Each account's account-periods.
    revenue: BTreeMap<AccountId, ArpaChurnTally>,
    /// The recurring-revenue facts (revenue-churn basis only).
    retention: Option<RetentionTally>,
}

/// One account's acquisition: its earliest customer fact, and whether another fact of the same
/// first win differed from it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Acquisition {
    customer: NewCustomer,
    channel: Option<ChannelId>,
    conflict: bool,
}

impl Acquisition {
    /// Keeps the earlier of two acquisitions of one account by `(acquired_on, deal)`; of two of
    /// the same first win, the least by `(paid, channel)`, flagging a conflict if they differ.
    /// A function of the set of facts absorbed, so associative and commutative.
    fn absorb(&mut self, other: Acquisition) {
        let first = |a: &Acquisition| (a.customer.acquired_on(), a.customer.deal().clone());
        match first(&other).cmp(&first(self)) {
            core::cmp::Ordering::Less => *self = other,
            core::cmp::Ordering::Greater => {}
            core::cmp::Ordering::Equal => {
                let rest = |a: &Acquisition| (a.customer.paid(), a.channel.clone());
                let conflict = self.conflict || other.conflict || rest(self) != rest(&other);
                if rest(&other) < rest(self) {
                    *self = other;
                }
                self.conflict = conflict;
            }
        }
    }
}

/// One fact an [`AcquisitionValueTally`] reads.
///
/// # Example
///
/// ```
/// use revops::facts::{Spend, SpendKind};
/// use revops::metrics::{AcquisitionFact, AccountPeriod};
/// use revops::{AccountId, Currency, Money, Period};
///
/// let month = AccountPeriod { account: AccountId::new("acme")?, revenue: Money::from_minor(100, Currency::USD),
///                             active_at_start: true, churned: false };
/// let facts: Vec<AcquisitionFact> =
///     vec![month.into(), Spend::new(Period::all_time(), SpendKind::Tools, Money::zero(Currency::USD)).into()];
/// assert!(matches!(facts[0], AcquisitionFact::Revenue(_)));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AcquisitionFact {
    /// A new customer with its channel (CAC's denominator, and the row of its account).
    Customer(AcquiredCustomer),
    /// A spend line (CAC's numerator).
    Spend(Spend),
    /// An account-period (ARPA, and logo churn).
    Revenue(AccountPeriod),
    /// A recurring-revenue fact (revenue churn; the revenue-churn basis only).
    RecurringRevenue(RecurringRevenue),
}

impl From<AcquiredCustomer> for AcquisitionFact {
    fn from(customer: AcquiredCustomer) -> AcquisitionFact {
        AcquisitionFact::Customer(customer)
    }
}

impl From<Spend> for AcquisitionFact {
    fn from(spend: Spend) -> AcquisitionFact {
        AcquisitionFact::Spend(spend)
    }
}

impl From<AccountPeriod> for AcquisitionFact {
    fn from(row: AccountPeriod) -> AcquisitionFact {
        AcquisitionFact::Revenue(row)
    }
}

impl From<RecurringRevenue> for AcquisitionFact {
    fn from(fact: RecurringRevenue) -> AcquisitionFact {
        AcquisitionFact::RecurringRevenue(fact)
    }
}

/// The result of an [`AcquisitionValueTally`]: a row per acquisition channel and the blended
/// total. On the wire, `by_key` is a list of `[channel, row]` pairs in key order (`null` for
/// the `None` row): JSON object keys must be strings.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct AcquisitionValue {
    /// The terms measured.
    pub terms: AcquisitionValueTerms,
    /// A row per channel with a fact (a spend line, an acquisition or revenue); `None`: spend
    /// on no channel, customers with no channel, and revenue of accounts with no acquisition.
    #[cfg_attr(feature = "serde", serde(with = "crate::wire::key_pairs"))]
    pub by_key: BTreeMap<Option<ChannelId>, AcquisitionRow>,
    /// The blended row: every fact, the same accumulators merged.
    pub total: AcquisitionRow,
    /// Accounts with revenue (an account-period or a recurring-revenue fact) but no
    /// acquisition, counted in the `None` row.
    pub accounts_without_acquisition: u64,
}

impl AcquisitionValueTally {
    /// An empty tally of `terms`.
    #[must_use]
    pub fn new(terms: AcquisitionValueTerms) -> AcquisitionValueTally {
        let retention = match terms.churn() {
            ChurnBasis::Revenue { terms: period, .. } => {
                Some(RetentionTally::new(period, terms.currency(), BTreeMap::new()))
            }
            ChurnBasis::Logo => None,
        };
        AcquisitionValueTally {
            terms,
            acquisitions: BTreeMap::new(),
            spend: BTreeMap::new(),
            revenue: BTreeMap::new(),
            retention,
        }
    }

    fn fresh_cac(&self) -> CacTally {
        CacTally::new(self.terms.window(), self.terms.currency())
    }

    /// Adds a new customer with its channel (see [`AcquisitionValueTally`] for duplicates).
    ///
    /// # Errors
    /// [`ErrorKind::InconsistentRecord`] naming the account if it was derived under another
    /// [`AcquisitionKey`] than the terms'.
    pub fn push_customer(&mut self, customer: &AcquiredCustomer) -> Result<(), Error> {
        if customer.key != self.terms.key() {
            return Err(ErrorKind::InconsistentRecord {
                reason: "an acquisition derived under another key than the tally's",
            }
            .about(Record::Account(customer.customer.account().clone())));
        }
        let acquisition =
            Acquisition { customer: customer.customer.clone(), channel: customer.channel.clone(), conflict: false };
        self.absorb(customer.customer.account().clone(), acquisition);
        Ok(())
    }

    fn absorb(&mut self, account: AccountId, acquisition: Acquisition) {
        match self.acquisitions.get_mut(&account) {
            Some(mine) => mine.absorb(acquisition),
            None => {
                self.acquisitions.insert(account, acquisition);
            }
        }
    }

    /// Adds a spend line to its channel's row (counted if its month is a spend month).
    ///
    /// # Errors
    /// As [`CacTally::push_spend`].
    pub fn push_spend(&mut self, spend: &Spend) -> Result<(), Error> {
        if let Some(row) = self.spend.get_mut(&spend.channel) {
            return row.push_spend(spend);
        }
        let mut row = self.fresh_cac();
        row.push_spend(spend)?;
        self.spend.insert(spend.channel.clone(), row);
        Ok(())
    }

    /// Adds an account-period to its account.
    ///
    /// # Errors
    /// As [`ArpaChurnTally`]'s `push`.
    pub fn push_revenue(&mut self, row: &AccountPeriod) -> Result<(), Error> {
        if let Some(account) = self.revenue.get_mut(&row.account) {
            return account.push(row);
        }
        let mut account = ArpaChurnTally::new(self.terms.currency());
        account.push(row)?;
        self.revenue.insert(row.account.clone(), account);
        Ok(())
    }

    /// Adds a recurring-revenue fact (revenue-churn basis).
    ///
    /// # Errors
    /// As [`RetentionTally`]'s `push`; [`ErrorKind::InconsistentRecord`] naming the account
    /// with logo churn (the fact would not be read).
    pub fn push_recurring_revenue(&mut self, fact: &RecurringRevenue) -> Result<(), Error> {
        match &mut self.retention {
            Some(retention) => retention.push(fact),
            None => Err(ErrorKind::InconsistentRecord {
                reason: "a recurring-revenue fact needs the revenue-churn basis; the tally reads logo churn",
            }
            .about(Record::Account(fact.account.clone()))),
        }
    }
}

impl Tally for AcquisitionValueTally {
    type Fact = AcquisitionFact;
    type Output = AcquisitionValue;

    /// The push of the fact's kind ([`AcquisitionValueTally::push_customer`], `push_spend`,
    /// `push_revenue`, `push_recurring_revenue`).
    ///
    /// # Errors
    /// As theirs.
    fn push(&mut self, fact: &AcquisitionFact) -> Result<(), Error> {
        match fact {
            AcquisitionFact::Customer(customer) => self.push_customer(customer),
            AcquisitionFact::Spend(spend) => self.push_spend(spend),
            AcquisitionFact::Revenue(row) => self.push_revenue(row),
            AcquisitionFact::RecurringRevenue(fact) => self.push_recurring_revenue(fact),
        }
    }

    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`] naming `key`, `window`, `currency`, `gross_margin`,
    /// `churn` or `discount`; [`ErrorKind::Overflow`] (after which `self` may hold part of
    /// `other`: discard it).
    fn merge(&mut self, other: AcquisitionValueTally) -> Result<(), Error> {
        let (a, b) = (&self.terms, &other.terms);
        same(TALLY, "key", &a.key(), &b.key())?;
        same(TALLY, "window", &a.window(), &b.window())?;
        same(TALLY, "currency", &a.currency(), &b.currency())?;
        same(TALLY, "gross_margin", &a.gross_margin(), &b.gross_margin())?;
        same(TALLY, "churn", &a.churn(), &b.churn())?;
        same(TALLY, "discount", &a.discount(), &b.discount())?;
        for (account, acquisition) in other.acquisitions {
            self.absorb(account, acquisition);
        }
        for (channel, row) in other.spend {
            match self.spend.get_mut(&channel) {
                Some(mine) => mine.merge(row)?,
                None => {
                    self.spend.insert(channel, row);
                }
            }
        }
        for (account, row) in other.revenue {
            match self.revenue.get_mut(&account) {
                Some(mine) => mine.merge(row)?,
                None => {
                    self.revenue.insert(account, row);
                }
            }
        }
        match (&mut self.retention, other.retention) {
            (Some(mine), Some(theirs)) => mine.merge(theirs),
            (None, None) => Ok(()),
            _ => Err(ErrorKind::DefinitionMismatch { tally: TALLY, field: "churn" }.into()),
        }
    }

    /// # Errors
    /// [`ErrorKind::InconsistentRecord`] naming an account with two different acquisitions
    /// from its one first win; the errors of [`RetentionTally`]'s `finish`;
    /// [`ErrorKind::Overflow`].
    fn finish(self) -> Result<AcquisitionValue, Error> {
        let terms = self.terms;
        let fresh_cac = || CacTally::new(terms.window(), terms.currency());
        let fresh_arpa = || ArpaChurnTally::new(terms.currency());
        // CAC: each channel's spend, then its customers.
        let mut cac = self.spend;
        for (account, acquisition) in &self.acquisitions {
            if acquisition.conflict {
                return Err(ErrorKind::InconsistentRecord {
                    reason: "two acquisitions from the same first won deal differ (channel or paid); derive them from the whole fact set",
                }
                .about(Record::Account(account.clone())));
            }
            cac.entry(acquisition.channel.clone()).or_insert_with(fresh_cac).push_customer(&acquisition.customer)?;
        }
        // ARPA and churn: each account's periods, in its acquisition's row.
        let row_of = |account: &AccountId| self.acquisitions.get(account).map(|a| a.channel.clone());
        let mut unacquired: BTreeSet<AccountId> = BTreeSet::new();
        let mut arpa: BTreeMap<Option<ChannelId>, ArpaChurnTally> = BTreeMap::new();
        for (account, periods) in self.revenue {
            let channel = row_of(&account).unwrap_or_else(|| {
                unacquired.insert(account.clone());
                None
            });
            arpa.entry(channel).or_insert_with(fresh_arpa).merge(periods)?;
        }
        // Revenue churn: one retention tally, tiered by channel now that every account's is known.
        let mut retention_rows: BTreeMap<Option<ChannelId>, RetentionRow> = BTreeMap::new();
        let mut retention_total = None;
        if let Some(retention) = self.retention {
            unacquired.extend(retention.accounts().filter(|a| !self.acquisitions.contains_key(*a)).cloned());
            let tiers = self
                .acquisitions
                .iter()
                .filter_map(|(account, a)| a.channel.as_ref().map(|c| (account.clone(), c.as_str().to_owned())))
                .collect();
            let finished = retention.with_tiers(tiers).finish()?;
            for (tier, row) in finished.by_tier {
                retention_rows.insert(tier.map(ChannelId::new).transpose()?, row);
            }
            retention_total = Some(finished.total);
        }
        let keys: BTreeSet<Option<ChannelId>> =
            cac.keys().chain(arpa.keys()).chain(retention_rows.keys()).cloned().collect();
        let (mut total_cac, mut total_arpa) = (fresh_cac(), fresh_arpa());
        let mut by_key = BTreeMap::new();
        for key in keys {
            let row_cac = cac.remove(&key).unwrap_or_else(fresh_cac);
            let row_arpa = arpa.remove(&key).unwrap_or_else(fresh_arpa);
            total_cac.merge(row_cac.clone())?;
            total_arpa.merge(row_arpa.clone())?;
            let retention = retention_rows.remove(&key);
            by_key.insert(key, AcquisitionRow::new(&terms, row_cac.finish()?, row_arpa.finish()?, retention)?);
        }
        let total = AcquisitionRow::new(&terms, total_cac.finish()?, total_arpa.finish()?, retention_total)?;
        let accounts_without_acquisition =
            u64::try_from(unacquired.len()).map_err(|_| Error::from(ErrorKind::Overflow { op: "metric count" }))?;
        Ok(AcquisitionValue { terms, by_key, total, accounts_without_acquisition })
    }
}

/// [`AcquisitionValueTally`] over slices: the customers (from [`acquired_customers`]), the
/// spend lines, the account-periods and the recurring-revenue facts (revenue-churn basis; give
/// none with logo churn).
///
/// # Errors
/// As the tally's pushes and `finish`.
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use revops::metrics::{AccountPeriod, AcquisitionKey, AcquisitionValueTerms, CacWindow, acquisition_value};
/// use revops::{AccountId, Currency, Money};
/// use rust_decimal_macros::dec;
///
/// let window = CacWindow::new(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default(), 1, 0);
/// let terms = AcquisitionValueTerms::new(AcquisitionKey::FirstTouch, window, Currency::USD, dec!(0.8))?;
/// let month = AccountPeriod { account: AccountId::new("acme")?, revenue: Money::from_minor(500_00, Currency::USD),
///                             active_at_start: true, churned: false };
/// // Revenue of an account no acquisition names: counted, in the `None` row.
/// let value = acquisition_value(terms, &[], &[], &[month], &[])?;
/// assert_eq!((value.accounts_without_acquisition, value.by_key[&None].arpa_churn.accounts), (1, 1));
/// assert_eq!(value.total.ltv.and_then(|l| l.value), None); // no churn: no lifetime to value
/// # Ok::<(), revops::Error>(())
/// ```
pub fn acquisition_value(
    terms: AcquisitionValueTerms,
    customers: &[AcquiredCustomer],
    spend: &[Spend],
    revenue: &[AccountPeriod],
    recurring: &[RecurringRevenue],
) -> Result<AcquisitionValue, Error> {
    let mut tally = AcquisitionValueTally::new(terms);
    for c in customers {
        tally.push_customer(c)?;
    }
    for s in spend {
        tally.push_spend(s)?;
    }
    for r in revenue {
        tally.push_revenue(r)?;
    }
    for f in recurring {
        tally.push_recurring_revenue(f)?;
    }
    tally.finish()
}
