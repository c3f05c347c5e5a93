//! [`NewCustomer`]: a new logo, derived from the deals by [`new_customers`].

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};

use crate::Record;
use crate::calendar::Zone;
use crate::facts::{Deal, DealStatus, Spend, SpendKind};
use crate::{AccountId, ChannelId, Error, ErrorKind, OpportunityId};

/// A customer won (a new logo), the fact CAC divides by: a derived view of the deals, built by
/// [`new_customers`], never filled by hand.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::calendar::Zone;
/// use revops::facts::{Deal, DealStatus, Spend, SpendKind};
/// use revops::metrics::new_customers;
/// use revops::{AccountId, ChannelId, Currency, Money, OpportunityId, Period};
///
/// let t = Utc.with_ymd_and_hms(2024, 3, 5, 0, 0, 0).single().unwrap_or_default();
/// let ads = ChannelId::new("ads")?;
/// let deal = Deal::new(OpportunityId::new("o1")?, t, Money::from_minor(100, Currency::USD), DealStatus::Won)
///     .closed_at(Some(t))
///     .account(Some(AccountId::new("acme")?))
///     .source(Some(ads.clone()));
/// let paid = Spend::new(Period::all_time(), SpendKind::Paid, Money::from_minor(0, Currency::USD)).on_channel(ads);
/// let customer = new_customers(&[deal], &[paid], Zone::UTC)?.remove(0);
/// assert_eq!((customer.account().as_str(), customer.deal().as_str()), ("acme", "o1"));
/// assert_eq!((customer.acquired_on().to_string(), customer.paid()), ("2024-03-05".to_owned(), true));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCustomer {
    account: AccountId,
    deal: OpportunityId,
    acquired_on: NaiveDate,
    paid: bool,
}

impl NewCustomer {
    /// A new customer read back from a tally's partial state (feature `serde`): the parts
    /// [`new_customers`] derived, checked by the state that holds them.
    #[cfg(any(test, feature = "serde"))]
    pub(crate) const fn from_parts(
        account: AccountId,
        deal: OpportunityId,
        acquired_on: NaiveDate,
        paid: bool,
    ) -> NewCustomer {
        NewCustomer { account, deal, acquired_on, paid }
    }

    /// The account that became a customer.
    #[must_use]
    pub const fn account(&self) -> &AccountId {
        &self.account
    }

    /// Its first won deal.
    #[must_use]
    pub const fn deal(&self) -> &OpportunityId {
        &self.deal
    }

    /// The local date (in the zone given to [`new_customers`]) its first won deal closed.
    #[must_use]
    pub const fn acquired_on(&self) -> NaiveDate {
        self.acquired_on
    }

    /// Whether it is attributed to paid channels (paid CAC's denominator).
    #[must_use]
    pub const fn paid(&self) -> bool {
        self.paid
    }
}

/// The new customers of `deals`: each account's first won deal (earliest `closed_at`, ties by
/// deal id), in account order, acquired on its close date in the reporting `zone` (its local date, see
/// [`Zone::date_of`]).
///
/// Our rules: a new customer is **paid** when its first won deal's lead source
/// ([`Deal::source`]) is a channel that `spend` has [`SpendKind::Paid`] spend traced to
/// ([`Spend::channel`], any period), so paid CAC divides paid spend by the customers those
/// channels bought. Give every won deal of every account (a later partition can hold an
/// earlier win): the first win per account is a property of all of them. Open and lost deals
/// are not read beyond their check.
///
/// # Errors
/// The errors of [`Deal::check`]; [`ErrorKind::InconsistentRecord`] naming a won deal without an
/// account (it cannot tell whose first win it is); [`ErrorKind::Overflow`] for a close date outside
/// chrono's range in `zone`.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::calendar::Zone;
/// use revops::facts::{Deal, DealStatus};
/// use revops::metrics::new_customers;
/// use revops::{AccountId, Currency, Money, OpportunityId};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 12, 0, 0).single().unwrap_or_default();
/// let won = |id: &str, closed| -> Result<Deal, revops::Error> {
///     Ok(Deal::new(OpportunityId::new(id)?, t(1), Money::from_minor(100, Currency::USD), DealStatus::Won)
///         .closed_at(Some(t(closed)))
///         .account(Some(AccountId::new("acme")?)))
/// };
/// let customers = new_customers(&[won("upsell", 20)?, won("first", 9)?], &[], Zone::UTC)?;
/// assert_eq!(customers.len(), 1); // one account, one new logo
/// assert_eq!((customers[0].deal().as_str(), customers[0].acquired_on().to_string()), ("first", "2024-01-09".to_owned()));
/// # Ok::<(), revops::Error>(())
/// ```
pub fn new_customers(deals: &[Deal], spend: &[Spend], zone: Zone) -> Result<Vec<NewCustomer>, Error> {
    let paid: BTreeSet<&ChannelId> =
        spend.iter().filter(|s| s.kind == SpendKind::Paid).filter_map(|s| s.channel.as_ref()).collect();
    let mut first: BTreeMap<&AccountId, (DateTime<Utc>, &Deal)> = BTreeMap::new();
    for deal in deals {
        deal.check()?;
        if deal.status != DealStatus::Won {
            continue;
        }
        let (Some(account), Some(closed)) = (&deal.account, deal.closed_at) else {
            return Err(ErrorKind::InconsistentRecord {
                reason: "a won deal without an account cannot tell a new customer",
            }
            .about(Record::Deal(deal.id.clone())));
        };
        let slot = first.entry(account).or_insert((closed, deal));
        if (closed, &deal.id) < (slot.0, &slot.1.id) {
            *slot = (closed, deal);
        }
    }
    first
        .into_iter()
        .map(|(account, (closed, deal))| {
            let acquired_on = zone
                .day_of(closed)
                .ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op: "acquisition date" }))?;
            Ok(NewCustomer {
                account: account.clone(),
                deal: deal.id.clone(),
                acquired_on,
                paid: deal.source.as_ref().is_some_and(|s| paid.contains(s)),
            })
        })
        .collect()
}
