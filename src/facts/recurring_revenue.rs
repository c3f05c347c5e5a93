//! [`RecurringRevenue`]: a customer's monthly recurring revenue from an instant on.

use chrono::{DateTime, Utc};

use crate::{AccountId, Error, ErrorKind, Money, Record};

/// A customer's monthly recurring revenue (MRR) from an instant on (a fact): a billing system's
/// subscription movement (new, expansion, contraction, churn to zero, reactivation) or a
/// periodic snapshot, read the same way.
///
/// The customer's MRR at instant `t` is the `mrr` of its latest fact at or before `t`, and zero
/// before its first fact; a fact with zero MRR is a churn (no active subscription). Its
/// *acquisition* is the instant of its first fact with MRR above zero (the start of its first
/// paid subscription), so give a customer's history from its first subscription on. ARR is
/// 12 x MRR: one basis, MRR, is recorded ([definitions, section 9](crate::definitions::retention)).
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::RecurringRevenue;
/// use revops::{AccountId, Currency, Money};
///
/// let acme = AccountId::new("acme")?;
/// let t = |m| Utc.with_ymd_and_hms(2024, m, 1, 0, 0, 0).single().unwrap_or_default();
/// let history = [
///     RecurringRevenue::new(acme.clone(), t(1), Money::from_minor(100_00, Currency::USD)), // new business
///     RecurringRevenue::new(acme.clone(), t(4), Money::from_minor(150_00, Currency::USD)), // expansion
///     RecurringRevenue::new(acme, t(9), Money::zero(Currency::USD)),                        // churn
/// ];
/// assert!(history[2].is_churn() && !history[1].is_churn());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct RecurringRevenue {
    /// The customer.
    pub account: AccountId,
    /// From when the amount holds.
    pub at: DateTime<Utc>,
    /// Its MRR from `at` on; never negative, zero when it has no active subscription.
    pub mrr: Money,
}

impl RecurringRevenue {
    /// `account`'s MRR is `mrr` from `at` on.
    #[must_use]
    pub const fn new(account: AccountId, at: DateTime<Utc>, mrr: Money) -> RecurringRevenue {
        RecurringRevenue { account, at, mrr }
    }

    /// Checks the fact on its own: its MRR is not below zero.
    ///
    /// # Errors
    /// [`ErrorKind::Negative`] (field `mrr`) about [`Record::Account`], naming the account.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::facts::RecurringRevenue;
    /// use revops::{AccountId, Currency, Money};
    ///
    /// let at = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or_default();
    /// let fact = RecurringRevenue::new(AccountId::new("acme")?, at, Money::from_minor(-1, Currency::USD));
    /// assert!(fact.check().is_err_and(|e| e.to_string().contains("acme")));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn check(&self) -> Result<(), Error> {
        let amount = self.mrr.amount();
        if amount.is_sign_negative() && !amount.is_zero() {
            return Err(ErrorKind::Negative { field: "mrr", value: amount.to_string() }
                .about(Record::Account(self.account.clone())));
        }
        Ok(())
    }

    /// Whether the fact ends every subscription (MRR zero).
    #[must_use]
    pub fn is_churn(&self) -> bool {
        self.mrr.is_zero()
    }
}
