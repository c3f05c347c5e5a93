//! Unit economics: CAC (blended, paid, lagged), ARPA and churn, LTV (simple and discounted),
//! LTV:CAC, CAC payback months and CAC ratio.

use chrono::{Datelike, FixedOffset, NaiveDate, NaiveDateTime};

use super::Tally;
use super::amount::{add, add_count, from_minor, mean_money, minor_units};
use super::definition::same;
use crate::Record;
use crate::facts::{Spend, SpendKind};
use crate::{AccountId, Currency, Error, ErrorKind, Money, Ratio};

mod customers;
mod ltv;
#[cfg(feature = "serde")]
mod state;

pub use self::customers::{NewCustomer, new_customers};
pub use self::ltv::{CashTiming, Ltv, cac_payback_months, cac_ratio, ltv_to_cac};

/// The months whose new customers CAC divides by, and the lag of the spend that bought them.
///
/// Customers acquired in months `[first, first + months)` are divided into the spend of months
/// `[first - lag, first - lag + months)`: with a lag of one month, January to March customers
/// are charged December to February spend. Months are calendar months at the reporting
/// `offset` (UTC unless set; on the wire `offset` is seconds east of UTC, optional).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct CacWindow {
    /// Any date in the first customer month.
    pub first_month: NaiveDate,
    /// How many months (0 gives an empty window: no customer, CAC undefined).
    pub months: u32,
    /// How many months earlier the spend is taken (0: the same months).
    pub lag_months: u32,
    /// The reporting offset whose calendar months spend periods are read in.
    #[cfg_attr(feature = "serde", serde(default = "utc", with = "super::wire::offset"))]
    pub offset: FixedOffset,
}

#[cfg(feature = "serde")]
const fn utc() -> FixedOffset {
    UTC
}

impl CacWindow {
    /// `months` customer months from the month of `first_month`, spend lagged `lag_months`,
    /// in UTC calendar months.
    #[must_use]
    pub const fn new(first_month: NaiveDate, months: u32, lag_months: u32) -> CacWindow {
        CacWindow { first_month, months, lag_months, offset: UTC }
    }

    /// The same window in the calendar months of `offset`.
    #[must_use]
    pub const fn at_offset(mut self, offset: FixedOffset) -> CacWindow {
        self.offset = offset;
        self
    }

    fn index(date: NaiveDate) -> i64 {
        i64::from(date.year()) * 12 + i64::from(date.month0())
    }

    /// The month of a spend line: the calendar month (at the window's offset) of its period's
    /// start; the period must end by the start of the next month.
    fn spend_month(&self, spend: &Spend) -> Result<i64, Error> {
        let local = |at: chrono::DateTime<chrono::Utc>| at.naive_utc().checked_add_offset(self.offset);
        let Some(start) = local(spend.period.start()) else {
            return Err(ErrorKind::Overflow { op: "spend month" }.into());
        };
        let month = start.date().with_day(1);
        let next = month.and_then(|m| m.checked_add_months(chrono::Months::new(1)));
        let fits = match (next, local(spend.period.end())) {
            (Some(next), Some(end)) => end <= NaiveDateTime::from(next),
            _ => false,
        };
        if !fits {
            return Err(ErrorKind::InconsistentRecord {
                reason: "a spend period must lie within one calendar month of the CAC window; split it by month",
            }
            .about(Record::Spend(SpendRecord(spend).to_string())));
        }
        Ok(CacWindow::index(start.date()))
    }

    fn customer_months(&self) -> (i64, i64) {
        let start = Self::index(self.first_month);
        (start, start + i64::from(self.months))
    }

    fn spend_months(&self) -> (i64, i64) {
        let (start, end) = self.customer_months();
        (start - i64::from(self.lag_months), end - i64::from(self.lag_months))
    }
}

/// Customer acquisition cost.
///
/// - **Blended, fully loaded CAC** = all sales and marketing spend (media, programs, people,
///   tools) of the spend months / new customers of the customer months.
/// - **Paid CAC** = spend of kind [`SpendKind::Paid`] / new customers attributed to paid
///   channels (`paid`).
/// - **Time**: an explicit lag ([`CacWindow::lag_months`]): spend of earlier months buys the
///   customers of later ones. Months are calendar months at the window's offset: a customer's
///   month is that of [`NewCustomer::acquired_on`]; a [`Spend`]'s month is that of its
///   period's start.
/// - **Spend periods** (our rule): a spend line's period must lie within one calendar month
///   (a monthly budget line `[first of the month, first of the next)` does); one that spans
///   more is [`ErrorKind::InconsistentRecord`] naming the line, not pro-rated. Why: an exact
///   pro-rating must pick a rule (by seconds, by days, by working days, as invoiced) and a
///   rounding of minor units, and each gives different CACs; how an annual contract or a
///   quarterly retainer is spread is an accounting decision, so the caller splits the line by
///   month with their rule, and the crate never guesses it.
/// - **Result**: the spend and customer counts, and each CAC rounded half to even to the minor
///   unit; `None` when there is no customer (undefined, not zero and not infinite).
/// - **Customers** come from the deals: [`new_customers`] derives them (each account's first
///   won deal).
/// - **Bad input**: negative spend ([`ErrorKind::Negative`]), spend in another currency
///   ([`ErrorKind::MixedCurrency`]), a spend period over more than one month
///   ([`ErrorKind::InconsistentRecord`]), naming the spend line.
///
/// # Example
///
/// ```
/// use chrono::{Offset, TimeDelta, TimeZone, Utc};
/// use revops::facts::{Deal, DealStatus, Spend, SpendKind};
/// use revops::metrics::{CacWindow, cac, new_customers};
/// use revops::{AccountId, ChannelId, Currency, Money, OpportunityId, Period};
///
/// let first = |m| Utc.with_ymd_and_hms(2024, m, 1, 0, 0, 0).single().unwrap_or_default();
/// let (dec, jan, feb) = (Utc.with_ymd_and_hms(2023, 12, 1, 0, 0, 0).single().unwrap_or_default(), first(1), first(2));
/// let usd = |dollars: i64| Money::from_minor(dollars * 100, Currency::USD);
/// let search = ChannelId::new("paid_search")?;
/// let spend = [
///     Spend::new(Period::new(dec, jan)?, SpendKind::Paid, usd(30_000)).on_channel(search.clone()),
///     Spend::new(Period::new(dec, jan)?, SpendKind::SalesPeople, usd(70_000)),
///     Spend::new(Period::new(jan, feb)?, SpendKind::Paid, usd(99_999)), // buys February customers
/// ];
/// let won = |id: &str, account: &str, source: &str| -> Result<Deal, revops::Error> {
///     Ok(Deal::new(OpportunityId::new(id)?, dec, usd(10_000), DealStatus::Won)
///         .closed_at(Some(jan + TimeDelta::try_days(9).unwrap_or_default()))
///         .account(Some(AccountId::new(account)?))
///         .source(Some(ChannelId::new(source)?)))
/// };
/// let deals = [won("o1", "a1", "paid_search")?, won("o2", "a2", "webinar")?];
/// let customers = new_customers(&deals, &spend, Utc.fix())?; // a1 is paid: its source has paid spend
/// let window = CacWindow::new(jan.date_naive(), 1, 1);
/// let result = cac(&spend, &customers, window, Currency::USD)?;
/// assert_eq!(result.blended.map(|m| m.to_string()), Some("50000.00 USD".to_owned()));
/// assert_eq!(result.paid.map(|m| m.to_string()), Some("30000.00 USD".to_owned()));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "state::CacState", into = "state::CacState")
)]
pub struct CacTally {
    window: CacWindow,
    currency: Currency,
    spend_minor: i128,
    paid_spend_minor: i128,
    customers: u64,
    paid_customers: u64,
}

/// How a spend line is named in errors: `spend 2024-01-01 00:00:00 UTC Paid on paid_search`
/// (its period's start, kind, and channel and campaign if traced).
struct SpendRecord<'a>(&'a Spend);

impl core::fmt::Display for SpendRecord<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{} {:?}", self.0.period.start(), self.0.kind)?;
        if let Some(channel) = &self.0.channel {
            write!(f, " on {channel}")?;
        }
        if let Some(campaign) = &self.0.campaign {
            write!(f, " in {campaign}")?;
        }
        Ok(())
    }
}

impl crate::error::Subject for SpendRecord<'_> {
    fn record(&self) -> Option<Record> {
        Some(Record::Spend(self.to_string()))
    }
}

const UTC: FixedOffset = match FixedOffset::east_opt(0) {
    Some(utc) => utc,
    None => unreachable!(),
};

/// The result of [`CacTally`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Cac {
    /// All sales and marketing spend of the spend months.
    pub spend: Money,
    /// New customers of the customer months.
    pub customers: u64,
    /// `spend / customers`, `None` without customers.
    pub blended: Option<Money>,
    /// Paid spend of the spend months.
    pub paid_spend: Money,
    /// New customers attributed to paid channels.
    pub paid_customers: u64,
    /// `paid_spend / paid_customers`, `None` without paid customers.
    pub paid: Option<Money>,
}

impl CacTally {
    /// An empty tally over `window`, in `currency`.
    #[must_use]
    pub const fn new(window: CacWindow, currency: Currency) -> CacTally {
        CacTally { window, currency, spend_minor: 0, paid_spend_minor: 0, customers: 0, paid_customers: 0 }
    }

    /// Adds a spend line (counted if its month is a spend month): its month is the calendar
    /// month, at the window's offset, of its period's start.
    ///
    /// # Errors
    /// [`ErrorKind::Negative`], [`ErrorKind::MixedCurrency`], naming the spend line;
    /// [`ErrorKind::InconsistentRecord`] naming it if its period does not lie within one calendar
    /// month (see [`CacTally`]); [`ErrorKind::Overflow`] at the edge of chrono's dates.
    pub fn push_spend(&mut self, spend: &Spend) -> Result<(), Error> {
        let minor = minor_units(&SpendRecord(spend), "spend", spend.amount, self.currency)?;
        let (start, end) = self.window.spend_months();
        let month = self.window.spend_month(spend)?;
        if (start..end).contains(&month) {
            self.spend_minor = add(self.spend_minor, minor)?;
            if spend.kind == SpendKind::Paid {
                self.paid_spend_minor = add(self.paid_spend_minor, minor)?;
            }
        }
        Ok(())
    }

    /// Adds a new customer (counted if acquired in a customer month).
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`].
    pub fn push_customer(&mut self, customer: &NewCustomer) -> Result<(), Error> {
        let (start, end) = self.window.customer_months();
        if (start..end).contains(&CacWindow::index(customer.acquired_on())) {
            self.customers = add_count(self.customers, 1)?;
            if customer.paid() {
                self.paid_customers = add_count(self.paid_customers, 1)?;
            }
        }
        Ok(())
    }

    /// Adds a partial tally of the same window.
    ///
    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`] naming `first_month`, `months`, `lag_months`, `offset` or
    /// `currency` if `other` counts another definition; [`ErrorKind::Overflow`].
    #[allow(clippy::needless_pass_by_value)] // merge consumes its argument, as every tally's does
    pub fn merge(&mut self, other: CacTally) -> Result<(), Error> {
        const T: &str = "cac";
        // The window's months, not its dates: any date of the same first month is the same window.
        same(
            T,
            "first_month",
            &CacWindow::index(self.window.first_month),
            &CacWindow::index(other.window.first_month),
        )?;
        same(T, "months", &self.window.months, &other.window.months)?;
        same(T, "lag_months", &self.window.lag_months, &other.window.lag_months)?;
        same(T, "offset", &self.window.offset, &other.window.offset)?;
        same(T, "currency", &self.currency, &other.currency)?;
        let spend_minor = add(self.spend_minor, other.spend_minor)?;
        let paid_spend_minor = add(self.paid_spend_minor, other.paid_spend_minor)?;
        let customers = add_count(self.customers, other.customers)?;
        let paid_customers = add_count(self.paid_customers, other.paid_customers)?;
        (self.spend_minor, self.paid_spend_minor, self.customers, self.paid_customers) =
            (spend_minor, paid_spend_minor, customers, paid_customers);
        Ok(())
    }

    /// The result.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`].
    pub fn finish(self) -> Result<Cac, Error> {
        Ok(Cac {
            spend: from_minor(self.spend_minor, self.currency)?,
            customers: self.customers,
            blended: mean_money(self.spend_minor, self.customers, self.currency)?,
            paid_spend: from_minor(self.paid_spend_minor, self.currency)?,
            paid_customers: self.paid_customers,
            paid: mean_money(self.paid_spend_minor, self.paid_customers, self.currency)?,
        })
    }
}

/// [`CacTally`] over slices.
///
/// # Errors
/// As [`CacTally::push_spend`].
pub fn cac(spend: &[Spend], customers: &[NewCustomer], window: CacWindow, currency: Currency) -> Result<Cac, Error> {
    let mut tally = CacTally::new(window, currency);
    for s in spend {
        tally.push_spend(s)?;
    }
    for c in customers {
        tally.push_customer(c)?;
    }
    tally.finish()
}

/// One account's recurring revenue and status in one period (a month, usually): the fact ARPA
/// and churn are measured from.
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
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ArpaChurn {
    /// Account-periods counted.
    pub accounts: u64,
    /// Their recurring revenue.
    pub revenue: Money,
    /// `revenue / accounts`, `None` without accounts.
    pub arpa: Option<Money>,
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
        Ok(ArpaChurn {
            accounts: self.accounts,
            revenue: from_minor(self.revenue_minor, self.currency)?,
            arpa: mean_money(self.revenue_minor, self.accounts, self.currency)?,
            churn: Ratio::new(self.churned, self.active),
        })
    }
}

/// [`ArpaChurnTally`] over a slice.
///
/// # Errors
/// As [`ArpaChurnTally`]'s `push`.
pub fn arpa_churn(rows: &[AccountPeriod], currency: Currency) -> Result<ArpaChurn, Error> {
    ArpaChurnTally::new(currency).tally(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Deal, DealStatus};
    use crate::{ChannelId, OpportunityId, Period};
    use chrono::{TimeZone, Utc};
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;

    fn usd(d: Decimal) -> Money {
        Money::new(d, Currency::USD)
    }

    fn month(y: i32, m: u32) -> Period {
        let first = |y, m| Utc.with_ymd_and_hms(y, m, 1, 0, 0, 0).unwrap();
        let next = if m == 12 { first(y + 1, 1) } else { first(y, m + 1) };
        Period::new(first(y, m), next).unwrap()
    }

    fn won(account: &str, y: i32, m: u32, source: &str) -> Deal {
        let closed = Utc.with_ymd_and_hms(y, m, 15, 0, 0, 0).unwrap();
        Deal::new(OpportunityId::new(format!("o-{account}-{m}")).unwrap(), closed, usd(dec!(1)), DealStatus::Won)
            .closed_at(Some(closed))
            .account(Some(AccountId::new(account).unwrap()))
            .source(Some(ChannelId::new(source).unwrap()))
    }

    #[test]
    fn cac_lag_and_bad_spend() {
        let d = |y, m| NaiveDate::from_ymd_opt(y, m, 15).unwrap();
        let window = CacWindow::new(d(2024, 1), 3, 2);
        let search = ChannelId::new("search").unwrap();
        let spend = [
            Spend::new(month(2023, 10), SpendKind::Paid, usd(dec!(100))), // before
            Spend::new(month(2023, 11), SpendKind::Paid, usd(dec!(200))).on_channel(search),
            Spend::new(month(2024, 1), SpendKind::Tools, usd(dec!(400))),
            Spend::new(month(2024, 2), SpendKind::Paid, usd(dec!(800))), // after
        ];
        let deals = [won("a", 2024, 1, "search"), won("b", 2024, 3, "webinar"), won("c", 2024, 4, "search")];
        let customers = new_customers(&deals, &spend, UTC).unwrap();
        let c = cac(&spend, &customers, window, Currency::USD).unwrap();
        assert_eq!((c.customers, c.paid_customers), (2, 1));
        assert_eq!(c.spend, usd(dec!(600.00)));
        assert_eq!(c.blended, Some(usd(dec!(300.00))));
        assert_eq!(c.paid, Some(usd(dec!(200.00))));
        let none = cac(&spend, &[], window, Currency::USD).unwrap();
        assert_eq!((none.blended, none.paid), (None, None));
        let bad = [Spend::new(month(2024, 1), SpendKind::Tools, usd(dec!(-5)))];
        assert_eq!(
            cac(&bad, &[], window, Currency::USD).unwrap_err().to_string(),
            "spend `2024-01-01 00:00:00 UTC Tools`: spend must not be negative, got -5"
        );
        let mut a = CacTally::new(window, Currency::USD);
        a.push_spend(&spend[1]).unwrap();
        let mut b = CacTally::new(window, Currency::USD);
        b.push_customer(&customers[0]).unwrap();
        a.merge(b).unwrap();
        assert_eq!(a.finish().unwrap().paid, Some(usd(dec!(200.00))));
        let east = CacTally::new(window.at_offset(FixedOffset::east_opt(3_600).unwrap()), Currency::USD);
        assert!(matches!(
            CacTally::new(window, Currency::USD).merge(east).as_ref().map_err(crate::error::Error::kind),
            Err(ErrorKind::DefinitionMismatch { tally: "cac", field: "offset" })
        ));
    }

    #[test]
    fn a_spend_period_lies_within_one_month_of_the_window() {
        // A monthly line is the period [first of the month, first of the next) in the window's
        // calendar; a quarter is refused, not pro-rated.
        let window = CacWindow::new(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(), 1, 0);
        let quarter = Period::new(month(2024, 1).start(), month(2024, 3).end()).unwrap();
        let err = cac(&[Spend::new(quarter, SpendKind::Paid, usd(dec!(9)))], &[], window, Currency::USD).unwrap_err();
        assert_eq!(
            err.to_string(),
            "spend `2024-01-01 00:00:00 UTC Paid`: inconsistent record: a spend period must lie within one calendar month of the CAC window; split it by month"
        );
        let all_time = [Spend::new(Period::all_time(), SpendKind::Paid, usd(dec!(9)))];
        assert!(cac(&all_time, &[], window, Currency::USD).is_err());
        // At UTC-8 a local January line starts on 1 January 08:00 UTC and ends on 1 February
        // 08:00 UTC: one local month, the window's January.
        let pst = FixedOffset::west_opt(8 * 3_600).unwrap();
        let local_january = Period::new(
            Utc.with_ymd_and_hms(2024, 1, 1, 8, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2024, 2, 1, 8, 0, 0).unwrap(),
        )
        .unwrap();
        let line = [Spend::new(local_january, SpendKind::Tools, usd(dec!(7)))];
        assert!(cac(&line, &[], window, Currency::USD).is_err()); // not one UTC month
        let c = cac(&line, &[], window.at_offset(pst), Currency::USD).unwrap();
        assert_eq!(c.spend, usd(dec!(7)));
    }

    #[test]
    fn new_customers_are_first_wins_per_account() {
        let ads = ChannelId::new("ads").unwrap();
        let paid = [Spend::new(month(2024, 1), SpendKind::Paid, usd(dec!(1))).on_channel(ads)];
        let deals = [won("a", 2024, 5, "webinar"), won("a", 2024, 2, "ads"), won("b", 2024, 3, "webinar")];
        let customers = new_customers(&deals, &paid, UTC).unwrap();
        let rows: Vec<_> =
            customers.iter().map(|c| (c.account().as_str(), c.acquired_on().to_string(), c.paid())).collect();
        assert_eq!(rows, [("a", "2024-02-15".to_owned(), true), ("b", "2024-03-15".to_owned(), false)]);
        let orphan = won("x", 2024, 1, "ads").account(None);
        assert_eq!(
            new_customers(&[orphan], &paid, UTC).unwrap_err().to_string(),
            "deal `o-x-1`: inconsistent record: a won deal without an account cannot tell a new customer"
        );
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
