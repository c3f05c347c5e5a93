//! Wire shape of [`AcquisitionValueTally`]'s partial state (feature `serde`): the terms, each
//! account's acquisition, each channel's spend (a [`CacTally`] state), each account's
//! account-periods (an [`ArpaChurnTally`] state) and the retention tally, in key order.
//!
//! Read back, it is validated: the terms as their constructors validate them; keys strictly
//! increasing; every nested tally of the terms' definition (its own merge compares them) and
//! itself validated by its own state; a spend row holds no customer (customers join their row
//! at `finish`); an account's revenue holds at least one account-period; a retention tally
//! exactly with the revenue-churn basis.

use chrono::NaiveDate;

use super::{Acquisition, AcquisitionValueTally, AcquisitionValueTerms};
use crate::metrics::wire::bad_state;
use crate::metrics::{ArpaChurnTally, CacTally, NewCustomer, RetentionTally};
use crate::{AccountId, ChannelId, Error, OpportunityId, Tally};

const T: &str = "acquisition value tally";

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AcquisitionValueState {
    terms: AcquisitionValueTerms,
    acquisitions: Vec<AcquisitionWire>,
    spend: Vec<(Option<ChannelId>, CacTally)>,
    revenue: Vec<(AccountId, ArpaChurnTally)>,
    retention: Option<RetentionTally>,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct AcquisitionWire {
    account: AccountId,
    deal: OpportunityId,
    acquired_on: NaiveDate,
    paid: bool,
    channel: Option<ChannelId>,
    /// Another fact of the same first win differed (an error at `finish`).
    conflict: bool,
}

impl From<AcquisitionValueTally> for AcquisitionValueState {
    fn from(t: AcquisitionValueTally) -> AcquisitionValueState {
        AcquisitionValueState {
            terms: t.terms,
            acquisitions: t
                .acquisitions
                .into_iter()
                .map(|(account, a)| AcquisitionWire {
                    deal: a.customer.deal().clone(),
                    acquired_on: a.customer.acquired_on(),
                    paid: a.customer.paid(),
                    channel: a.channel,
                    conflict: a.conflict,
                    account,
                })
                .collect(),
            spend: t.spend.into_iter().collect(),
            revenue: t.revenue.into_iter().collect(),
            retention: t.retention,
        }
    }
}

/// `Ok` if `key` comes strictly after the previous key.
fn ascending<K: Ord + std::fmt::Debug>(previous: Option<&K>, key: &K) -> Result<(), Error> {
    if previous.is_some_and(|p| p >= key) {
        return Err(bad_state(T, format!("{key:?}"), "keys must be in strictly increasing order"));
    }
    Ok(())
}

impl TryFrom<AcquisitionValueState> for AcquisitionValueTally {
    type Error = Error;

    fn try_from(s: AcquisitionValueState) -> Result<AcquisitionValueTally, Error> {
        let mut tally = AcquisitionValueTally::new(s.terms);
        for a in s.acquisitions {
            ascending(tally.acquisitions.last_key_value().map(|(k, _)| k), &a.account)?;
            let customer = NewCustomer::from_parts(a.account.clone(), a.deal, a.acquired_on, a.paid);
            tally.acquisitions.insert(a.account, Acquisition { customer, channel: a.channel, conflict: a.conflict });
        }
        for (channel, row) in s.spend {
            ascending(tally.spend.last_key_value().map(|(k, _)| k), &channel)?;
            // Merged into a fresh tally: the window and currency are compared.
            let mut checked = tally.fresh_cac();
            checked.merge(row)?;
            if checked.clone().finish()?.customers != 0 {
                return Err(bad_state(T, format!("{channel:?}"), "a spend row holds no customer"));
            }
            tally.spend.insert(channel, checked);
        }
        for (account, row) in s.revenue {
            ascending(tally.revenue.last_key_value().map(|(k, _)| k), &account)?;
            let mut checked = ArpaChurnTally::new(tally.terms.currency());
            checked.merge(row)?;
            if checked.clone().finish()?.accounts == 0 {
                return Err(bad_state(T, &account, "an account's revenue comes with at least one account-period"));
            }
            tally.revenue.insert(account, checked);
        }
        match (&mut tally.retention, s.retention) {
            // Merged into the fresh one: its terms, currency and (empty) tiers are compared.
            (Some(fresh), Some(retention)) => fresh.merge(retention)?,
            (None, None) => {}
            (Some(_), None) => {
                return Err(bad_state(T, "retention", "the revenue-churn basis keeps a retention tally"));
            }
            (None, Some(_)) => {
                return Err(bad_state(T, "retention", "a retention tally needs the revenue-churn basis"));
            }
        }
        Ok(tally)
    }
}
