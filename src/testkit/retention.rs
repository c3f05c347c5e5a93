//! The sample company's recurring revenue: a monthly MRR history for each won customer
//! ([`Company::recurring_revenue`]), walked by [`MrrWalk`], the one generator of MRR histories
//! (the retention bench walks its own synthetic customers with it).

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Months, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

use super::rng::SampleRng;
use super::{Company, SampleOutcome};
use crate::facts::RecurringRevenue;
use crate::{AccountId, Currency, Money};

/// The stream of the sample company's MRR walks (one record per account index).
const STREAM_REVENUE: u64 = 4;

/// A customer's monthly MRR history, as a billing export gives it: the MRR at `first` (the
/// start of its subscription), then one snapshot at 00:00 UTC on the first of every later
/// month up to `until` (inclusive).
///
/// Each month the MRR moves once, drawn from the customer's own [`SampleRng`]: a paying
/// customer expands by a fifth (1 in 20), else contracts by a fifth (1 in 30), else churns to
/// zero (1 in 40), else stays; a churned one comes back at its last paying MRR (1 in 10). A
/// fifth is cut to the minor unit, toward zero. The walk is a pure function of its inputs.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::testkit::{MrrWalk, SampleRng};
/// use revops::{AccountId, Currency, Money};
///
/// let t = |y, m| Utc.with_ymd_and_hms(y, m, 1, 0, 0, 0).single().unwrap_or_default();
/// let walk = |seed| MrrWalk::new(SampleRng::new(seed), AccountId::new("acme")?, t(2024, 1), Money::from_minor(100_000, Currency::USD), t(2025, 1));
/// let history: Vec<_> = walk(7)?.collect();
/// assert_eq!(history.len(), 13); // January 2024 to January 2025
/// assert_eq!(history[0].mrr, Money::from_minor(100_000, Currency::USD));
/// assert_eq!(history[12].at, t(2025, 1));
/// assert_eq!(history, walk(7)?.collect::<Vec<_>>()); // deterministic
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct MrrWalk {
    rng: SampleRng,
    account: AccountId,
    currency: Currency,
    next: Option<DateTime<Utc>>,
    until: DateTime<Utc>,
    mrr: i64,
    last_paid: i64,
}

impl MrrWalk {
    /// The walk of `account` from `mrr` at `first` to `until`, drawing from `rng`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) if `mrr` is negative or
    /// is not a whole number of its currency's minor units (within `i64`).
    pub fn new(
        rng: SampleRng,
        account: AccountId,
        first: DateTime<Utc>,
        mrr: Money,
        until: DateTime<Utc>,
    ) -> Result<MrrWalk, crate::Error> {
        let minor =
            mrr.to_minor_i128().ok().and_then(|m| i64::try_from(m).ok()).filter(|m| *m >= 0).ok_or_else(|| {
                crate::ErrorKind::InvalidValue {
                    field: "testkit mrr",
                    value: mrr.to_string(),
                    reason: "must be whole minor units, not negative",
                }
            })?;
        Ok(MrrWalk {
            rng,
            account,
            currency: mrr.currency(),
            next: Some(first).filter(|f| *f <= until),
            until,
            mrr: minor,
            last_paid: minor,
        })
    }

    /// This month's move.
    fn step(&mut self) {
        self.mrr = if self.mrr == 0 {
            if self.rng.chance(100) { self.last_paid } else { 0 }
        } else if self.rng.chance(50) {
            self.mrr.saturating_add(self.mrr / 5)
        } else if self.rng.chance(33) {
            self.mrr - self.mrr / 5
        } else if self.rng.chance(25) {
            0
        } else {
            self.mrr
        };
        if self.mrr > 0 {
            self.last_paid = self.mrr;
        }
    }
}

impl Iterator for MrrWalk {
    type Item = RecurringRevenue;

    fn next(&mut self) -> Option<RecurringRevenue> {
        let at = self.next?;
        let fact = RecurringRevenue::new(self.account.clone(), at, Money::from_minor(self.mrr, self.currency));
        // The first of the month after `at`, 00:00 UTC.
        let month = at.date_naive().with_day0(0).and_then(|d| d.checked_add_months(Months::new(1)));
        self.next = month.and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc()).filter(|t| *t <= self.until);
        self.step();
        Some(fact)
    }
}

impl Company {
    /// Every won customer's MRR history, by account id: an account's first won deal (earliest
    /// close, then deal id) starts its subscription at the close, at the deal's amount (an
    /// annual contract value) over 12 to the cent (half to even); from there [`MrrWalk`] moves
    /// it once a month (expansion, contraction, churn, reactivation) up to
    /// [`Company::as_of`], from the account's own stream. Later wins of an account do not
    /// change its MRR (the walk is the billing system's, not the CRM's). Part of
    /// [`Company::facts`]; independent of the lead partitions of [`Company::lead_facts_in`].
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    ///
    /// let company = Company::new(42, 2_000)?;
    /// let revenue = company.recurring_revenue();
    /// assert!(revenue.iter().any(|r| r.is_churn()));
    /// assert!(revenue.iter().all(|r| r.at <= company.as_of()));
    /// assert_eq!(revenue, company.facts().recurring_revenue);
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn recurring_revenue(&self) -> Vec<RecurringRevenue> {
        let mut first_wins: BTreeMap<AccountId, (DateTime<Utc>, crate::OpportunityId, Money)> = BTreeMap::new();
        for opp in self.opportunities() {
            let (SampleOutcome::Won, Some(closed)) = (&opp.outcome, opp.closed_at) else { continue };
            let earlier = |w: &(DateTime<Utc>, crate::OpportunityId, Money)| (closed, &opp.id) < (w.0, &w.1);
            if first_wins.get(&opp.account).is_none_or(earlier) {
                first_wins.insert(opp.account.clone(), (closed, opp.id.clone(), opp.amount));
            }
        }
        let mut out = Vec::new();
        for (account, (closed, _, acv)) in first_wins {
            let index = account.as_str().get(1..).and_then(|digits| digits.parse::<u64>().ok()).unwrap_or(0);
            let monthly = acv
                .amount()
                .checked_div(Decimal::from(12))
                .unwrap_or_default()
                .round_dp_with_strategy(u32::from(acv.currency().exponent()), RoundingStrategy::MidpointNearestEven);
            let rng = SampleRng::for_record(self.seed(), STREAM_REVENUE, index);
            if let Ok(walk) = MrrWalk::new(rng, account, closed, Money::new(monthly, acv.currency()), self.as_of()) {
                out.extend(walk);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_company_has_every_movement() {
        let company = Company::sample();
        let revenue = company.recurring_revenue();
        let mut by_account: BTreeMap<&AccountId, Vec<&RecurringRevenue>> = BTreeMap::new();
        for fact in &revenue {
            by_account.entry(&fact.account).or_default().push(fact);
        }
        let won: std::collections::BTreeSet<AccountId> =
            company.opportunities().filter(|o| o.outcome == SampleOutcome::Won).map(|o| o.account).collect();
        assert_eq!(by_account.len(), won.len());
        let (mut up, mut down, mut churn, mut back) = (0, 0, 0, 0);
        for history in by_account.values() {
            assert!(history.windows(2).all(|w| w[0].at < w[1].at));
            assert!(history[0].mrr.amount() > Decimal::ZERO);
            for w in history.windows(2) {
                let (a, b) = (w[0].mrr.amount(), w[1].mrr.amount());
                up += usize::from(b > a && !a.is_zero());
                down += usize::from(b < a && !b.is_zero());
                churn += usize::from(b.is_zero() && !a.is_zero());
                back += usize::from(a.is_zero() && !b.is_zero());
            }
        }
        assert!(up > 0 && down > 0 && churn > 0 && back > 0, "{up} {down} {churn} {back}");
    }

    #[test]
    fn a_walk_stops_at_until_and_refuses_a_negative_start() {
        let t = |y, m| chrono::TimeZone::with_ymd_and_hms(&Utc, y, m, 1, 0, 0, 0).single().unwrap();
        let id = AccountId::new("a").unwrap();
        let usd = |m| Money::from_minor(m, Currency::USD);
        let walk = MrrWalk::new(SampleRng::new(1), id.clone(), t(2024, 3), usd(500), t(2024, 3)).unwrap();
        assert_eq!(walk.count(), 1);
        let late = MrrWalk::new(SampleRng::new(1), id.clone(), t(2024, 4), usd(500), t(2024, 3)).unwrap();
        assert_eq!(late.count(), 0);
        assert!(MrrWalk::new(SampleRng::new(1), id, t(2024, 3), usd(-1), t(2024, 5)).is_err());
    }
}
