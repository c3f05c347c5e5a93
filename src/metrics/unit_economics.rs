//! Unit economics: CAC (blended, paid, lagged), ARPA and churn, LTV (simple and discounted),
//! LTV:CAC, CAC payback months and CAC ratio.

use super::Tally;
use super::amount::{add, add_count, from_minor, mean_money_exact, minor_units};
use super::definition::same;
use rust_decimal::Decimal;

use crate::{AccountId, Currency, Error, ErrorKind, Money, Ratio, Record};

mod cac;
mod customers;
mod ltv;
#[cfg(feature = "serde")]
mod state;

pub(crate) use self::cac::SpendRecord;
pub use self::cac::{Cac, CacFact, CacTally, CacWindow, cac};
pub use self::customers::{NewCustomer, new_customers};
pub(crate) use self::ltv::fraction;
pub use self::ltv::{CacPayback, CashTiming, Ltv, cac_payback_from_ratio, cac_payback_months, cac_ratio, ltv_to_cac};

/// One account's recurring revenue and status in one period (a month, usually): the fact ARPA
/// and churn are measured from.
///
/// # Example
///
/// ```
/// use revops::metrics::{AccountPeriod, ArpaChurnTally};
/// use revops::{AccountId, Currency, Money, Tally};
///
/// let churned = AccountPeriod {
///     account: AccountId::new("acme")?,
///     revenue: Money::from_minor(50_000, Currency::USD),
///     active_at_start: true,
///     churned: true,
/// };
/// let mut tally = ArpaChurnTally::new(Currency::USD);
/// tally.push(&churned)?;
/// // Only an account active at the start of the period can churn in it.
/// assert!(tally.push(&AccountPeriod { active_at_start: false, ..churned }).is_err());
/// assert_eq!(tally.finish()?.churn.to_string(), "1/1 (100.0%)");
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct AccountPeriod {
    /// The account.
    pub account: AccountId,
    /// Its recurring revenue in the period; never negative.
    pub revenue: Money,
    /// Whether it was a customer at the start of the period (churn's denominator).
    pub active_at_start: bool,
    /// Whether it churned during the period (only an account active at the start can).
    pub churned: bool,
}

/// ARPA and churn of one period, the inputs of [`Ltv`].
///
/// - **ARPA** = recurring revenue of the period / accounts with a record in the period (each
///   account-period once), rounded half to even to the minor unit.
/// - **Churn** = accounts active at the start that churned in the period / accounts active at
///   the start (logo churn), a [`Ratio`] with its parts.
/// - Use the same period length for both (monthly ARPA with monthly churn).
///
/// # Example
///
/// ```
/// use revops::metrics::{AccountPeriod, arpa_churn};
/// use revops::{AccountId, Currency, Money};
///
/// let row = |id: &str, dollars: i64, churned| -> Result<AccountPeriod, revops::Error> {
///     Ok(AccountPeriod { account: AccountId::new(id)?, revenue: Money::from_minor(dollars * 100, Currency::USD),
///                        active_at_start: true, churned })
/// };
/// let m = arpa_churn(&[row("a", 400, false)?, row("b", 600, true)?], Currency::USD)?;
/// assert_eq!(m.arpa.map(|a| a.to_string()), Some("500.00 USD".to_owned()));
/// assert_eq!(m.churn.to_string(), "1/2 (50.0%)");
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "state::ArpaChurnState", into = "state::ArpaChurnState")
)]
pub struct ArpaChurnTally {
    currency: Currency,
    accounts: u64,
    revenue_minor: i128,
    active: u64,
    churned: u64,
}

/// The result of [`ArpaChurnTally`].
///
/// # Example
///
/// ```
/// use revops::metrics::{AccountPeriod, arpa_churn};
/// use revops::{AccountId, Currency, Money};
///
/// let row = AccountPeriod {
///     account: AccountId::new("acme")?,
///     revenue: Money::from_minor(100, Currency::USD),
///     active_at_start: false,
///     churned: false,
/// };
/// let m = arpa_churn(&[row], Currency::USD)?;
/// assert_eq!((m.accounts, m.revenue, m.arpa), (1, Money::from_minor(100, Currency::USD), Some(Money::from_minor(100, Currency::USD))));
/// assert_eq!(m.churn.to_string(), "0/0 (undefined)");
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ArpaChurn {
    /// Account-periods counted.
    pub accounts: u64,
    /// Their recurring revenue.
    pub revenue: Money,
    /// `revenue / accounts` rounded half to even to the minor unit, `None` without accounts.
    pub arpa: Option<Money>,
    /// `arpa` exactly: revenue (major units) / accounts.
    pub arpa_exact: Option<Ratio<Decimal>>,
    /// Churned over active at the start.
    pub churn: Ratio,
}

impl ArpaChurnTally {
    /// An empty tally in `currency`.
    #[must_use]
    pub const fn new(currency: Currency) -> ArpaChurnTally {
        ArpaChurnTally { currency, accounts: 0, revenue_minor: 0, active: 0, churned: 0 }
    }
}

impl Tally for ArpaChurnTally {
    type Fact = AccountPeriod;
    type Output = ArpaChurn;

    /// # Errors
    /// [`ErrorKind::Negative`], [`ErrorKind::MixedCurrency`], [`ErrorKind::InconsistentRecord`]
    /// (churned but not active at the start), naming the account.
    fn push(&mut self, row: &AccountPeriod) -> Result<(), Error> {
        if row.churned && !row.active_at_start {
            return Err(ErrorKind::InconsistentRecord { reason: "churned but not active at the start of the period" }
                .about(Record::Account(row.account.clone())));
        }
        self.revenue_minor =
            add(self.revenue_minor, minor_units(&row.account, "revenue", row.revenue, self.currency)?)?;
        self.accounts = add_count(self.accounts, 1)?;
        self.active = add_count(self.active, u64::from(row.active_at_start))?;
        self.churned = add_count(self.churned, u64::from(row.churned))?;
        Ok(())
    }

    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`] naming `currency` if `other` sums another currency;
    /// [`ErrorKind::Overflow`].
    fn merge(&mut self, other: ArpaChurnTally) -> Result<(), Error> {
        same("arpa and churn", "currency", &self.currency, &other.currency)?;
        let accounts = add_count(self.accounts, other.accounts)?;
        let revenue_minor = add(self.revenue_minor, other.revenue_minor)?;
        let active = add_count(self.active, other.active)?;
        let churned = add_count(self.churned, other.churned)?;
        (self.accounts, self.revenue_minor, self.active, self.churned) = (accounts, revenue_minor, active, churned);
        Ok(())
    }

    fn finish(self) -> Result<ArpaChurn, Error> {
        let (arpa, arpa_exact) = mean_money_exact(self.revenue_minor, self.accounts, self.currency)?;
        Ok(ArpaChurn {
            accounts: self.accounts,
            revenue: from_minor(self.revenue_minor, self.currency)?,
            arpa,
            arpa_exact,
            churn: Ratio::new(self.churned, self.active),
        })
    }
}

/// [`ArpaChurnTally`] over a slice.
///
/// # Errors
/// As [`ArpaChurnTally`]'s `push`.
///
/// # Example
///
/// ```
/// use revops::metrics::{AccountPeriod, arpa_churn};
/// use revops::{AccountId, Currency, Money};
///
/// let row = |id: &str, cents| -> Result<AccountPeriod, revops::Error> {
///     Ok(AccountPeriod { account: AccountId::new(id)?, revenue: Money::from_minor(cents, Currency::USD),
///                        active_at_start: true, churned: false })
/// };
/// let m = arpa_churn(&[row("a", 100)?, row("b", 201)?], Currency::USD)?;
/// assert_eq!(m.arpa, Some(Money::from_minor(150, Currency::USD))); // 1.505 rounds half to even
/// assert_eq!(arpa_churn(&[], Currency::USD)?.arpa, None);
/// # Ok::<(), revops::Error>(())
/// ```
pub fn arpa_churn(rows: &[AccountPeriod], currency: Currency) -> Result<ArpaChurn, Error> {
    ArpaChurnTally::new(currency).tally(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn usd(d: rust_decimal::Decimal) -> Money {
        Money::new(d, Currency::USD)
    }

    #[test]
    fn arpa_and_churn() {
        let row = |id: &str, cents, active, churned| AccountPeriod {
            account: AccountId::new(id).unwrap(),
            revenue: Money::from_minor(cents, Currency::USD),
            active_at_start: active,
            churned,
        };
        let m = arpa_churn(&[row("a", 100, true, false), row("b", 201, false, false)], Currency::USD).unwrap();
        assert_eq!(m.arpa, Some(usd(dec!(1.50)))); // 1.505 half to even
        assert_eq!(m.churn, Ratio::new(0, 1));
        assert_eq!(
            arpa_churn(&[row("c", 1, false, true)], Currency::USD).unwrap_err().to_string(),
            "account `c`: inconsistent record: churned but not active at the start of the period"
        );
        assert_eq!(arpa_churn(&[], Currency::USD).unwrap().arpa, None);
    }
}
