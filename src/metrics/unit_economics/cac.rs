//! CAC: [`CacWindow`], [`CacTally`] and [`CacFact`], the two kinds of fact it reads.
//!
//! CAC divides spend by new customers, two kinds of fact. [`Tally`] has one fact type (an
//! associated type, so `push` is unambiguous and [`Grouped`](crate::metrics::Grouped) and the
//! split-merge laws work on any tally), so [`CacTally`]'s fact is the enum [`CacFact`] of a
//! spend line or a new customer: a caller splitting a mixed stream of both across partitions
//! pushes them through one entry point. [`CacTally::push_spend`] and
//! [`CacTally::push_customer`] stay as the borrowed entry points for callers that hold the
//! facts apart (no clone into the enum); `merge` and `finish` are the trait's only.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::customers::NewCustomer;
use crate::Tally;
use crate::calendar::Zone;
use crate::facts::{Spend, SpendKind};
use crate::metrics::Bucket;
use crate::metrics::amount::{add, add_count, from_minor, mean_money_exact, minor_units};
use crate::metrics::definition::same;
use crate::{Currency, Error, ErrorKind, Money, Ratio, Record};

/// The months whose new customers CAC divides by, and the lag of the spend that bought them.
///
/// Customers acquired in months `[first, first + months)` are divided into the spend of months
/// `[first - lag, first - lag + months)`: with a lag of one month, January to March customers
/// are charged December to February spend. Months are calendar months in the reporting
/// `zone` (UTC unless set), cut at its local midnights ([`Bucket::Month`]).
///
/// # Wire format
///
/// An object: `first_month` (a `YYYY-MM-DD` date), `months` and `lag_months` (whole numbers),
/// and `zone` (a [`Zone`], optional, `"UTC"` when absent).
///
/// ```
/// use chrono::NaiveDate;
/// use revops::calendar::Zone;
/// use revops::metrics::CacWindow;
///
/// let json = r#"{"first_month": "2026-01-01", "months": 3, "lag_months": 1, "zone": "America/New_York"}"#;
/// let window: CacWindow = serde_json::from_str(json)?;
/// let new_york: Zone = "America/New_York".parse()?;
/// assert_eq!(window, CacWindow::new(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default(), 3, 1).in_zone(new_york));
/// let utc: CacWindow = serde_json::from_str(r#"{"first_month": "2026-01-01", "months": 3, "lag_months": 0}"#)?;
/// assert_eq!(utc.zone, Zone::UTC);
/// assert!(serde_json::from_str::<CacWindow>(r#"{"first_month": "2026-01-01", "months": 3, "lag_months": 0, "zone": "EST"}"#).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Example
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use revops::calendar::Zone;
/// use revops::facts::{Spend, SpendKind};
/// use revops::metrics::{CacWindow, cac};
/// use revops::{Currency, Money, Period};
///
/// // January to March customers, charged the spend of December to February.
/// let window = CacWindow::new(NaiveDate::from_ymd_opt(2024, 1, 20).unwrap_or_default(), 3, 1);
/// let at = |m: u32| Utc.with_ymd_and_hms(2023 + i32::from(m > 12), (m - 1) % 12 + 1, 1, 0, 0, 0).single().unwrap_or_default();
/// let line = |m| -> Result<Spend, revops::Error> {
///     Ok(Spend::new(Period::new(at(m), at(m + 1))?, SpendKind::Tools, Money::from_minor(100, Currency::USD)))
/// };
/// let spend = [line(11)?, line(12)?, line(13)?, line(14)?, line(15)?]; // November to March
/// assert_eq!(cac(&spend, &[], window, Currency::USD)?.spend, Money::from_minor(300, Currency::USD));
/// // In Paris a UTC month line starts on the last day of the month before: refused, not guessed.
/// let east = window.in_zone("Europe/Paris".parse::<Zone>()?);
/// assert!(cac(&spend, &[], east, Currency::USD).is_err());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct CacWindow {
    /// Any date in the first customer month.
    pub first_month: NaiveDate,
    /// How many months (0 gives an empty window: no customer, CAC undefined).
    pub months: u32,
    /// How many months earlier the spend is taken (0: the same months).
    pub lag_months: u32,
    /// The reporting zone whose calendar months spend periods are read in.
    #[cfg_attr(feature = "serde", serde(default))]
    pub zone: Zone,
}

impl CacWindow {
    /// `months` customer months from the month of `first_month`, spend lagged `lag_months`,
    /// in UTC calendar months.
    #[must_use]
    pub const fn new(first_month: NaiveDate, months: u32, lag_months: u32) -> CacWindow {
        CacWindow { first_month, months, lag_months, zone: Zone::UTC }
    }

    /// The same window in the calendar months of `zone`.
    #[must_use]
    pub const fn in_zone(mut self, zone: Zone) -> CacWindow {
        self.zone = zone;
        self
    }

    fn index(date: NaiveDate) -> i64 {
        i64::from(date.year()) * 12 + i64::from(date.month0())
    }

    /// The month of a spend line: the calendar month (in the window's zone) of its period's
    /// start; the period must end by the start of the next month.
    fn spend_month(&self, spend: &Spend) -> Result<i64, Error> {
        let month = Bucket::Month
            .start_of(spend.period.start(), self.zone)
            .map_err(|_| Error::from(ErrorKind::Overflow { op: "spend month" }))?;
        let fits = Bucket::Month.period(month, self.zone).is_ok_and(|m| spend.period.end() <= m.end());
        if !fits {
            return Err(ErrorKind::InconsistentRecord {
                reason: "a spend period must lie within one calendar month of the CAC window; split it by month",
            }
            .about(Record::Spend(SpendRecord(spend).to_string())));
        }
        Ok(CacWindow::index(month))
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
/// - **Customers** come from the deals: [`new_customers`](crate::metrics::new_customers) derives them (each account's first
///   won deal).
/// - **Bad input**: negative spend ([`ErrorKind::Negative`]), spend in another currency
///   ([`ErrorKind::MixedCurrency`]), a spend period over more than one month
///   ([`ErrorKind::InconsistentRecord`]), naming the spend line.
///
/// # Example
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use revops::calendar::Zone;
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
/// let customers = new_customers(&deals, &spend, Zone::UTC)?; // a1 is paid: its source has paid spend
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
    serde(try_from = "super::state::CacState", into = "super::state::CacState")
)]
pub struct CacTally {
    pub(super) window: CacWindow,
    pub(super) currency: Currency,
    pub(super) spend_minor: i128,
    pub(super) paid_spend_minor: i128,
    pub(super) customers: u64,
    pub(super) paid_customers: u64,
}

/// How a spend line is named in errors: `spend 2024-01-01 00:00:00 UTC Paid on paid_search`
/// (its period's start, kind, and channel and campaign if traced).
pub(crate) struct SpendRecord<'a>(pub(crate) &'a Spend);

impl crate::error::Subject for SpendRecord<'_> {
    fn record(&self) -> Option<Record> {
        Some(Record::Spend(self.to_string()))
    }
}

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

/// The result of [`CacTally`].
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use revops::metrics::{CacTally, CacWindow};
/// use revops::{Currency, Money, Tally};
///
/// let window = CacWindow::new(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default(), 1, 0);
/// let result = CacTally::new(window, Currency::USD).finish()?;
/// // No customer: CAC is undefined, not zero and not infinite.
/// assert_eq!((result.spend, result.customers, result.blended, result.paid), (Money::from_minor(0, Currency::USD), 0, None, None));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Cac {
    /// All sales and marketing spend of the spend months.
    pub spend: Money,
    /// New customers of the customer months.
    pub customers: u64,
    /// `spend / customers` rounded half to even to the minor unit, `None` without customers.
    pub blended: Option<Money>,
    /// `blended` exactly: spend (major units) / customers.
    pub blended_exact: Option<Ratio<Decimal>>,
    /// Paid spend of the spend months.
    pub paid_spend: Money,
    /// New customers attributed to paid channels.
    pub paid_customers: u64,
    /// `paid_spend / paid_customers` rounded half to even to the minor unit, `None` without paid
    /// customers.
    pub paid: Option<Money>,
    /// `paid` exactly: paid spend (major units) / paid customers.
    pub paid_exact: Option<Ratio<Decimal>>,
}

impl CacTally {
    /// An empty tally over `window`, in `currency`.
    #[must_use]
    pub const fn new(window: CacWindow, currency: Currency) -> CacTally {
        CacTally { window, currency, spend_minor: 0, paid_spend_minor: 0, customers: 0, paid_customers: 0 }
    }

    /// Adds a spend line (counted if its month is a spend month): its month is the calendar
    /// month, in the window's zone, of its period's start.
    ///
    /// # Errors
    /// [`ErrorKind::Negative`], [`ErrorKind::MixedCurrency`], naming the spend line;
    /// [`ErrorKind::InconsistentRecord`] naming it if its period does not lie within one calendar
    /// month (see [`CacTally`]); [`ErrorKind::Overflow`] at the edge of chrono's dates.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{NaiveDate, TimeZone, Utc};
    /// use revops::facts::{Spend, SpendKind};
    /// use revops::metrics::{CacTally, CacWindow};
    /// use revops::{Currency, Money, Period, Tally};
    ///
    /// let month = |m| Utc.with_ymd_and_hms(2024, m, 1, 0, 0, 0).single().unwrap_or_default();
    /// let usd = |c| Money::from_minor(c, Currency::USD);
    /// let window = CacWindow::new(NaiveDate::from_ymd_opt(2024, 2, 1).unwrap_or_default(), 1, 0);
    /// let mut tally = CacTally::new(window, Currency::USD);
    /// tally.push_spend(&Spend::new(Period::new(month(1), month(2))?, SpendKind::Paid, usd(700)))?; // not a spend month
    /// tally.push_spend(&Spend::new(Period::new(month(2), month(3))?, SpendKind::Paid, usd(300)))?;
    /// // A quarter is not one month: split it by month with your rule.
    /// assert!(tally.push_spend(&Spend::new(Period::new(month(1), month(4))?, SpendKind::Paid, usd(1))).is_err());
    /// let result = tally.finish()?;
    /// assert_eq!((result.spend, result.paid_spend), (usd(300), usd(300)));
    /// # Ok::<(), revops::Error>(())
    /// ```
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
}

impl Tally for CacTally {
    type Fact = CacFact;
    type Output = Cac;

    /// [`CacTally::push_spend`] or [`CacTally::push_customer`].
    ///
    /// # Errors
    /// As theirs.
    fn push(&mut self, fact: &CacFact) -> Result<(), Error> {
        match fact {
            CacFact::Spend(spend) => self.push_spend(spend),
            CacFact::NewCustomer(customer) => self.push_customer(customer),
        }
    }

    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`] naming `first_month`, `months`, `lag_months`, `zone` or
    /// `currency` if `other` counts another definition; [`ErrorKind::Overflow`].
    fn merge(&mut self, other: CacTally) -> Result<(), Error> {
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
        same(T, "zone", &self.window.zone, &other.window.zone)?;
        same(T, "currency", &self.currency, &other.currency)?;
        let spend_minor = add(self.spend_minor, other.spend_minor)?;
        let paid_spend_minor = add(self.paid_spend_minor, other.paid_spend_minor)?;
        let customers = add_count(self.customers, other.customers)?;
        let paid_customers = add_count(self.paid_customers, other.paid_customers)?;
        (self.spend_minor, self.paid_spend_minor, self.customers, self.paid_customers) =
            (spend_minor, paid_spend_minor, customers, paid_customers);
        Ok(())
    }

    /// # Errors
    /// [`ErrorKind::Overflow`].
    fn finish(self) -> Result<Cac, Error> {
        let (blended, blended_exact) = mean_money_exact(self.spend_minor, self.customers, self.currency)?;
        let (paid, paid_exact) = mean_money_exact(self.paid_spend_minor, self.paid_customers, self.currency)?;
        Ok(Cac {
            spend: from_minor(self.spend_minor, self.currency)?,
            customers: self.customers,
            blended,
            blended_exact,
            paid_spend: from_minor(self.paid_spend_minor, self.currency)?,
            paid_customers: self.paid_customers,
            paid,
            paid_exact,
        })
    }
}

/// [`CacTally`] over slices.
///
/// # Errors
/// As [`CacTally::push_spend`]; [`ErrorKind::Overflow`].
///
/// # Example
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use revops::facts::{Spend, SpendKind};
/// use revops::metrics::{CacWindow, cac};
/// use revops::{Currency, Money, Period};
///
/// let jan = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or_default();
/// let feb = Utc.with_ymd_and_hms(2024, 2, 1, 0, 0, 0).single().unwrap_or_default();
/// let spend = [Spend::new(Period::new(jan, feb)?, SpendKind::Paid, Money::from_minor(-1, Currency::USD))];
/// let window = CacWindow::new(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default(), 1, 0);
/// let err = cac(&spend, &[], window, Currency::USD).err().map(|e| e.to_string());
/// assert_eq!(err.as_deref(), Some("spend `2024-01-01 00:00:00 UTC Paid`: spend must not be negative, got -0.01"));
/// # Ok::<(), revops::Error>(())
/// ```
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

/// One fact [`CacTally`] reads: a spend line (the numerator) or a new customer (the
/// denominator).
///
/// # Example
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use revops::calendar::Zone;
/// use revops::facts::{Deal, DealStatus, Spend, SpendKind};
/// use revops::metrics::{CacFact, CacTally, CacWindow, new_customers};
/// use revops::{AccountId, Currency, Money, OpportunityId, Period, Tally};
///
/// let jan = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or_default();
/// let feb = Utc.with_ymd_and_hms(2024, 2, 1, 0, 0, 0).single().unwrap_or_default();
/// let usd = |cents| Money::from_minor(cents, Currency::USD);
/// let deal = Deal::new(OpportunityId::new("o1")?, jan, usd(100), DealStatus::Won)
///     .closed_at(Some(jan))
///     .account(Some(AccountId::new("acme")?));
/// let facts: Vec<CacFact> = vec![
///     Spend::new(Period::new(jan, feb)?, SpendKind::Tools, usd(90_000)).into(),
///     new_customers(&[deal], &[], Zone::UTC)?.remove(0).into(),
/// ];
/// let window = CacWindow::new(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default(), 1, 0);
/// // One part on each side, merged: the same as one pass.
/// let (mut spend, mut customers) = (CacTally::new(window, Currency::USD), CacTally::new(window, Currency::USD));
/// spend.push(&facts[0])?;
/// customers.push(&facts[1])?;
/// spend.merge(customers)?;
/// let cac = spend.finish()?;
/// assert_eq!((cac.customers, cac.blended), (1, Some(usd(90_000))));
/// assert_eq!(cac, CacTally::new(window, Currency::USD).tally(&facts)?);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CacFact {
    /// A spend line.
    Spend(Spend),
    /// A new customer.
    NewCustomer(NewCustomer),
}

impl From<Spend> for CacFact {
    fn from(spend: Spend) -> CacFact {
        CacFact::Spend(spend)
    }
}

impl From<NewCustomer> for CacFact {
    fn from(customer: NewCustomer) -> CacFact {
        CacFact::NewCustomer(customer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Deal, DealStatus};
    use crate::metrics::new_customers;
    use crate::{AccountId, ChannelId, Money, OpportunityId, Period};
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
        let customers = new_customers(&deals, &spend, Zone::UTC).unwrap();
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
        let east = CacTally::new(window.in_zone("UTC+01:00".parse().unwrap()), Currency::USD);
        assert!(matches!(
            CacTally::new(window, Currency::USD).merge(east).as_ref().map_err(crate::error::Error::kind),
            Err(ErrorKind::DefinitionMismatch { tally: "cac", field: "zone" })
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
        let pst: Zone = "UTC-08:00".parse().unwrap();
        let local_january = Period::new(
            Utc.with_ymd_and_hms(2024, 1, 1, 8, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2024, 2, 1, 8, 0, 0).unwrap(),
        )
        .unwrap();
        let line = [Spend::new(local_january, SpendKind::Tools, usd(dec!(7)))];
        assert!(cac(&line, &[], window, Currency::USD).is_err()); // not one UTC month
        let c = cac(&line, &[], window.in_zone(pst), Currency::USD).unwrap();
        assert_eq!(c.spend, usd(dec!(7)));
    }

    #[test]
    fn new_customers_are_first_wins_per_account() {
        let ads = ChannelId::new("ads").unwrap();
        let paid = [Spend::new(month(2024, 1), SpendKind::Paid, usd(dec!(1))).on_channel(ads)];
        let deals = [won("a", 2024, 5, "webinar"), won("a", 2024, 2, "ads"), won("b", 2024, 3, "webinar")];
        let customers = new_customers(&deals, &paid, Zone::UTC).unwrap();
        let rows: Vec<_> =
            customers.iter().map(|c| (c.account().as_str(), c.acquired_on().to_string(), c.paid())).collect();
        assert_eq!(rows, [("a", "2024-02-15".to_owned(), true), ("b", "2024-03-15".to_owned(), false)]);
        let orphan = won("x", 2024, 1, "ads").account(None);
        assert_eq!(
            new_customers(&[orphan], &paid, Zone::UTC).unwrap_err().to_string(),
            "deal `o-x-1`: inconsistent record: a won deal without an account cannot tell a new customer"
        );
    }
}
