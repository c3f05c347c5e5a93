//! Wire shape of the CAC and ARPA-churn tallies' partial state (feature `serde`).

use serde::{Deserialize, Serialize};

use super::{ArpaChurnTally, CacTally, CacWindow};
use crate::metrics::wire::{empty_sum, minor, non_negative, within};
use crate::{Currency, Error};

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CacState {
    window: CacWindow,
    currency: Currency,
    #[serde(with = "minor")]
    spend_minor: i128,
    #[serde(with = "minor")]
    paid_spend_minor: i128,
    customers: u64,
    paid_customers: u64,
}

impl From<CacTally> for CacState {
    fn from(t: CacTally) -> CacState {
        CacState {
            window: t.window,
            currency: t.currency,
            spend_minor: t.spend_minor,
            paid_spend_minor: t.paid_spend_minor,
            customers: t.customers,
            paid_customers: t.paid_customers,
        }
    }
}

impl TryFrom<CacState> for CacTally {
    type Error = Error;
    fn try_from(s: CacState) -> Result<CacTally, Error> {
        const T: &str = "cac tally";
        non_negative(T, "paid_spend_minor", s.paid_spend_minor)?;
        within(T, ("paid_spend_minor", s.paid_spend_minor), ("spend_minor", s.spend_minor))?;
        within(T, ("paid_customers", s.paid_customers), ("customers", s.customers))?;
        Ok(CacTally {
            spend_minor: s.spend_minor,
            paid_spend_minor: s.paid_spend_minor,
            customers: s.customers,
            paid_customers: s.paid_customers,
            ..CacTally::new(s.window, s.currency)
        })
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ArpaChurnState {
    currency: Currency,
    accounts: u64,
    #[serde(with = "minor")]
    revenue_minor: i128,
    active: u64,
    churned: u64,
}

impl From<ArpaChurnTally> for ArpaChurnState {
    fn from(t: ArpaChurnTally) -> ArpaChurnState {
        ArpaChurnState {
            currency: t.currency,
            accounts: t.accounts,
            revenue_minor: t.revenue_minor,
            active: t.active,
            churned: t.churned,
        }
    }
}

impl TryFrom<ArpaChurnState> for ArpaChurnTally {
    type Error = Error;
    fn try_from(s: ArpaChurnState) -> Result<ArpaChurnTally, Error> {
        const T: &str = "arpa churn tally";
        non_negative(T, "revenue_minor", s.revenue_minor)?;
        empty_sum(T, ("accounts", s.accounts), ("revenue_minor", s.revenue_minor))?;
        // Only an account active at the start can churn, and every row is an account.
        within(T, ("churned", s.churned), ("active", s.active))?;
        within(T, ("active", s.active), ("accounts", s.accounts))?;
        Ok(ArpaChurnTally {
            accounts: s.accounts,
            revenue_minor: s.revenue_minor,
            active: s.active,
            churned: s.churned,
            ..ArpaChurnTally::new(s.currency)
        })
    }
}
