//! Wire shape of the CAC and ARPA-churn tallies' partial state (feature `serde`).

use super::{ArpaChurnTally, CacTally, CacWindow};
use crate::Currency;
use crate::metrics::wire::{empty_sum, minor, non_negative, within};
use crate::tally::tally_state;

tally_state! {
    pub(super) struct CacState for CacTally as "cac tally" {
        definition { window: CacWindow, currency: Currency }
        counts {
            #[serde(with = "minor")]
            spend_minor: i128,
            #[serde(with = "minor")]
            paid_spend_minor: i128,
            customers: u64,
            paid_customers: u64,
        }
    }
    fresh(s) { Ok(CacTally::new(s.window, s.currency)) }
    check(T, s) {
        non_negative(T, "paid_spend_minor", s.paid_spend_minor)?;
        within(T, ("paid_spend_minor", s.paid_spend_minor), ("spend_minor", s.spend_minor))?;
        within(T, ("paid_customers", s.paid_customers), ("customers", s.customers))?;
    }
}

tally_state! {
    pub(super) struct ArpaChurnState for ArpaChurnTally as "arpa churn tally" {
        definition { currency: Currency }
        counts {
            accounts: u64,
            #[serde(with = "minor")]
            revenue_minor: i128,
            active: u64,
            churned: u64,
        }
    }
    fresh(s) { Ok(ArpaChurnTally::new(s.currency)) }
    check(T, s) {
        non_negative(T, "revenue_minor", s.revenue_minor)?;
        empty_sum(T, ("accounts", s.accounts), ("revenue_minor", s.revenue_minor))?;
        // Only an account active at the start can churn, and every row is an account.
        within(T, ("churned", s.churned), ("active", s.active))?;
        within(T, ("active", s.active), ("accounts", s.accounts))?;
    }
}
