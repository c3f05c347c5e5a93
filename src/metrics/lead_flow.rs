//! Lead flow hygiene: revenue per lead (cohort with a maturity horizon), SAL acceptance,
//! disposition rate and lead leakage.

use chrono::{DateTime, TimeDelta, Utc};

use super::amount::{add, add_count, from_minor, mean_money, minor_units};
use super::definition::same;
use super::{Period, Tally};
use crate::{Currency, Error, LeadId, Money, Ratio};

#[cfg(feature = "serde")]
mod state;

/// What sales did with a delivered lead (MQL), and when.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Disposition {
    /// Accepted (became a sales accepted lead).
    Accepted {
        /// When.
        at: DateTime<Utc>,
    },
    /// Rejected out of the funnel.
    Rejected {
        /// When.
        at: DateTime<Utc>,
        /// Why, e.g. `"bad_fit"`.
        reason: Option<String>,
    },
    /// Sent back to nurture (a rejection that may pass).
    Recycled {
        /// When.
        at: DateTime<Utc>,
        /// Why, e.g. `"bad_timing"`.
        reason: Option<String>,
    },
}

impl Disposition {
    /// When sales dispositioned the lead.
    #[must_use]
    pub const fn at(&self) -> DateTime<Utc> {
        match self {
            Disposition::Accepted { at } | Disposition::Rejected { at, .. } | Disposition::Recycled { at, .. } => *at,
        }
    }
}

/// A lead as the hygiene metrics see it (a passive fact).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct LeadFact {
    /// The lead (named in every error about it).
    pub id: LeadId,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When marketing delivered it to sales (the MQL handoff), if it was.
    #[cfg_attr(feature = "serde", serde(default))]
    pub delivered_at: Option<DateTime<Utc>>,
    /// Sales' disposition, if any.
    #[cfg_attr(feature = "serde", serde(default))]
    pub disposition: Option<Disposition>,
    /// When the revenue from the lead was won (its first closed-won deal), if it was.
    #[cfg_attr(feature = "serde", serde(default))]
    pub won_at: Option<DateTime<Utc>>,
    /// How much was won from the lead (with `won_at`); never negative.
    #[cfg_attr(feature = "serde", serde(default))]
    pub won_amount: Option<Money>,
}

impl LeadFact {
    /// A lead created at `created_at`, nothing else known yet.
    #[must_use]
    pub const fn new(id: LeadId, created_at: DateTime<Utc>) -> LeadFact {
        LeadFact { id, created_at, delivered_at: None, disposition: None, won_at: None, won_amount: None }
    }

    fn check(&self) -> Result<(), Error> {
        let before = |closed_at: DateTime<Utc>, created_at: DateTime<Utc>| {
            if closed_at < created_at {
                Err(Error::CloseBeforeCreate { record: self.id.to_string(), created_at, closed_at })
            } else {
                Ok(())
            }
        };
        if let Some(d) = self.delivered_at {
            before(d, self.created_at)?;
        }
        match (&self.disposition, self.delivered_at) {
            (Some(_), None) => {
                return Err(Error::InconsistentRecord {
                    record: self.id.to_string(),
                    reason: "dispositioned but never delivered",
                });
            }
            (Some(disposition), Some(delivered)) => before(disposition.at(), delivered)?,
            _ => {}
        }
        match (self.won_at, self.won_amount) {
            (Some(at), Some(amount)) => {
                before(at, self.created_at)?;
                // A fact's own rule, checked whether or not the lead is counted (as a deal's
                // amount is): a negative win is bad input even outside the cohort.
                if amount.is_negative() {
                    return Err(Error::NegativeAmount {
                        record: self.id.to_string(),
                        field: "won amount",
                        amount: amount.amount(),
                    });
                }
                Ok(())
            }
            (None, None) => Ok(()),
            _ => Err(Error::InconsistentRecord {
                record: self.id.to_string(),
                reason: "won_at and won_amount must be given together",
            }),
        }
    }
}

/// Lead flow hygiene of one period, four metrics from one pass:
///
/// - **Revenue per lead** (cohort with a maturity horizon): numerator = amount won from leads
///   created in the period, counting only wins within the horizon after each lead's creation
///   (`won_at - created_at <= horizon`); denominator = leads created in the period whose
///   horizon has passed by `as_of`. Leads whose horizon has not passed are excluded from both
///   and counted in [`LeadFlow::immature_leads`]. Rounded half to even to the minor unit.
/// - **SAL acceptance** = accepted / (accepted + rejected + recycled), over leads delivered in
///   the period and dispositioned by `as_of`. Our rule: a recycle is a rejection here (sales
///   did not accept the lead).
/// - **Disposition rate** = leads dispositioned within `within` of delivery / leads delivered
///   in the period whose outcome is known; **leakage** = leads with no disposition within
///   `within` / the same denominator. The outcome is known once the lead is dispositioned in
///   time or `within` has passed by `as_of`; leads still inside their window without a
///   disposition are pending ([`LeadFlow::pending`]) and excluded from both, so disposition
///   rate + leakage = 100%. A disposition exactly `within` after delivery is in time.
/// - **Bad input**: delivery or revenue before creation, disposition before delivery
///   ([`Error::CloseBeforeCreate`]); a disposition without a delivery, `won_at` without
///   `won_amount` ([`Error::InconsistentRecord`]); negative revenue on any lead
///   ([`Error::NegativeAmount`]), foreign-currency revenue on a lead it counts; a
///   negative `within` or `horizon` ([`Error::NegativeDuration`], refused by
///   [`LeadFlowTally::new`], before any lead is read).
///
/// # Example
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use revops::metrics::{Disposition, LeadFact, LeadFlowTally};
/// use revops::Period;
/// use revops::Tally;
/// use revops::{Currency, LeadId, Money};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let day = TimeDelta::try_days(1).unwrap_or_default();
/// let mut a = LeadFact::new(LeadId::new("a")?, t(1));
/// a.delivered_at = Some(t(2));
/// a.disposition = Some(Disposition::Accepted { at: t(2) });
/// a.won_at = Some(t(20));
/// a.won_amount = Some(Money::from_minor(9_000_00, Currency::USD));
/// let mut b = LeadFact::new(LeadId::new("b")?, t(1));
/// b.delivered_at = Some(t(2));   // never dispositioned: leaked after one day
/// let horizon = TimeDelta::try_days(30).unwrap_or_default();
/// let flow = LeadFlowTally::new(Period::new(t(1), t(8))?, t(31), day, horizon, Currency::USD)?.tally(&[a, b])?;
/// assert_eq!(flow.revenue_per_lead.map(|m| m.to_string()), Some("4500.00 USD".to_owned()));
/// assert_eq!(flow.sal_acceptance.to_string(), "1/1 (100.0%)");
/// assert_eq!(flow.leakage.to_string(), "1/2 (50.0%)");
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "state::LeadFlowState", into = "state::LeadFlowState")
)]
pub struct LeadFlowTally {
    period: Period,
    as_of: DateTime<Utc>,
    within: TimeDelta,
    horizon: TimeDelta,
    currency: Currency,
    counts: Counts,
    revenue_minor: i128,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Counts {
    cohort: u64,
    immature: u64,
    delivered: u64,
    accepted: u64,
    dispositioned: u64,
    in_time: u64,
    leaked: u64,
    pending: u64,
}

/// The result of [`LeadFlowTally`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct LeadFlow {
    /// Leads created in the period whose horizon has passed (revenue per lead's denominator).
    pub cohort_leads: u64,
    /// Leads created in the period whose horizon has not passed (excluded).
    pub immature_leads: u64,
    /// Won from the mature cohort within the horizon.
    pub revenue: Money,
    /// `revenue / cohort_leads`, `None` without mature leads.
    pub revenue_per_lead: Option<Money>,
    /// Leads delivered in the period.
    pub delivered: u64,
    /// Accepted over dispositioned.
    pub sal_acceptance: Ratio,
    /// Dispositioned in time over delivered with a known outcome.
    pub disposition_rate: Ratio,
    /// Not dispositioned in time over delivered with a known outcome.
    pub leakage: Ratio,
    /// Delivered, not yet dispositioned, window still open.
    pub pending: u64,
}

impl LeadFlowTally {
    /// An empty tally: leads created or delivered in `period`, observed at `as_of`, with the
    /// disposition window `within` and the revenue maturity `horizon`, revenue in `currency`.
    ///
    /// # Errors
    /// [`Error::NegativeDuration`] for a negative `within` (field `"disposition window"`) or
    /// `horizon` (field `"revenue horizon"`): either would silently count every lead as late
    /// (or as mature with no revenue).
    pub fn new(
        period: Period,
        as_of: DateTime<Utc>,
        within: TimeDelta,
        horizon: TimeDelta,
        currency: Currency,
    ) -> Result<LeadFlowTally, Error> {
        check_duration("disposition window", within)?;
        check_duration("revenue horizon", horizon)?;
        Ok(LeadFlowTally {
            period,
            as_of,
            within,
            horizon,
            currency,
            counts: Counts {
                cohort: 0,
                immature: 0,
                delivered: 0,
                accepted: 0,
                dispositioned: 0,
                in_time: 0,
                leaked: 0,
                pending: 0,
            },
            revenue_minor: 0,
        })
    }
}

/// A negative window or horizon would silently count every lead as late (or as mature with
/// no revenue): a typed error when the definition is built instead.
fn check_duration(field: &'static str, d: TimeDelta) -> Result<(), Error> {
    if d < TimeDelta::zero() {
        return Err(Error::NegativeDuration { field, value: d.to_string() });
    }
    Ok(())
}

fn bump(slot: &mut u64) -> Result<(), Error> {
    *slot = add_count(*slot, 1)?;
    Ok(())
}

impl Tally for LeadFlowTally {
    type Fact = LeadFact;
    type Output = LeadFlow;

    fn push(&mut self, lead: &LeadFact) -> Result<(), Error> {
        lead.check()?;
        let c = &mut self.counts;
        if self.period.contains(lead.created_at) {
            // `created + horizon <= as_of`, compared as durations: total, so a horizon reaching past
            // chrono's range (e.g. `TimeDelta::MAX`, "never") is simply not yet passed.
            let mature = self.as_of - lead.created_at >= self.horizon;
            if mature {
                bump(&mut c.cohort)?;
                if let (Some(at), Some(amount)) = (lead.won_at, lead.won_amount)
                    && at - lead.created_at <= self.horizon
                {
                    let minor = minor_units(&lead.id, "won amount", amount, self.currency)?;
                    self.revenue_minor = add(self.revenue_minor, minor)?;
                }
            } else {
                bump(&mut c.immature)?;
            }
        }
        let Some(delivered) = lead.delivered_at.filter(|&d| self.period.contains(d)) else { return Ok(()) };
        bump(&mut c.delivered)?;
        let disposition = lead.disposition.as_ref().filter(|d| d.at() <= self.as_of);
        if let Some(d) = disposition {
            bump(&mut c.dispositioned)?;
            if matches!(d, Disposition::Accepted { .. }) {
                bump(&mut c.accepted)?;
            }
        }
        let in_time = disposition.is_some_and(|d| d.at() - delivered <= self.within);
        // `delivered + within <= as_of`, compared as durations: a window reaching past chrono's
        // range has not passed (it was counted as leaked when the sum overflowed).
        let window_passed = self.as_of - delivered >= self.within;
        if in_time {
            bump(&mut c.in_time)?;
        } else if window_passed {
            bump(&mut c.leaked)?;
        } else {
            bump(&mut c.pending)?;
        }
        Ok(())
    }

    /// # Errors
    /// [`Error::DefinitionMismatch`] naming `period`, `as_of`, `within`, `horizon` or
    /// `currency` if `other` counts another definition; [`Error::Overflow`].
    fn merge(&mut self, other: LeadFlowTally) -> Result<(), Error> {
        const T: &str = "lead flow";
        same(T, "period", &self.period, &other.period)?;
        same(T, "as_of", &self.as_of, &other.as_of)?;
        same(T, "within", &self.within, &other.within)?;
        same(T, "horizon", &self.horizon, &other.horizon)?;
        same(T, "currency", &self.currency, &other.currency)?;
        let revenue_minor = add(self.revenue_minor, other.revenue_minor)?;
        let mut counts = self.counts;
        let (a, b) = (&mut counts, other.counts);
        for (x, y) in [
            (&mut a.cohort, b.cohort),
            (&mut a.immature, b.immature),
            (&mut a.delivered, b.delivered),
            (&mut a.accepted, b.accepted),
            (&mut a.dispositioned, b.dispositioned),
            (&mut a.in_time, b.in_time),
            (&mut a.leaked, b.leaked),
            (&mut a.pending, b.pending),
        ] {
            *x = add_count(*x, y)?;
        }
        (self.counts, self.revenue_minor) = (counts, revenue_minor);
        Ok(())
    }

    fn finish(self) -> Result<LeadFlow, Error> {
        let c = self.counts;
        let known = add_count(c.in_time, c.leaked)?;
        Ok(LeadFlow {
            cohort_leads: c.cohort,
            immature_leads: c.immature,
            revenue: from_minor(self.revenue_minor, self.currency)?,
            revenue_per_lead: mean_money(self.revenue_minor, c.cohort, self.currency)?,
            delivered: c.delivered,
            sal_acceptance: Ratio::new(c.accepted, c.dispositioned),
            disposition_rate: Ratio::new(c.in_time, known),
            leakage: Ratio::new(c.leaked, known),
            pending: c.pending,
        })
    }
}

/// [`LeadFlowTally`] over a slice.
///
/// # Errors
/// As [`LeadFlowTally::new`] and its `push`.
pub fn lead_flow(
    leads: &[LeadFact],
    period: Period,
    as_of: DateTime<Utc>,
    within: TimeDelta,
    horizon: TimeDelta,
    currency: Currency,
) -> Result<LeadFlow, Error> {
    LeadFlowTally::new(period, as_of, within, horizon, currency)?.tally(leads)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).unwrap()
    }

    fn lead(id: &str, created: u32) -> LeadFact {
        LeadFact::new(LeadId::new(id).unwrap(), t(created))
    }

    #[test]
    fn flow_counts_and_bad_input() {
        let day = TimeDelta::try_days(1).unwrap();
        let horizon = TimeDelta::try_days(10).unwrap();
        let mut a = lead("a", 1); // accepted in time, revenue inside horizon
        a.delivered_at = Some(t(2));
        a.disposition = Some(Disposition::Accepted { at: t(3) });
        a.won_at = Some(t(11));
        a.won_amount = Some(Money::from_minor(100, Currency::USD));
        let mut b = lead("b", 1); // recycled late, revenue after horizon
        b.delivered_at = Some(t(2));
        b.disposition = Some(Disposition::Recycled { at: t(5), reason: None });
        b.won_at = Some(t(12));
        b.won_amount = Some(Money::from_minor(999, Currency::USD));
        let mut c = lead("c", 14); // delivered just before as_of: pending, immature
        c.delivered_at = Some(t(14));
        let flow =
            lead_flow(&[a, b, c], Period::new(t(1), t(15)).unwrap(), t(14), day, horizon, Currency::USD).unwrap();
        assert_eq!((flow.cohort_leads, flow.immature_leads, flow.delivered, flow.pending), (2, 1, 3, 1));
        assert_eq!(flow.revenue_per_lead, Some(Money::from_minor(50, Currency::USD)));
        assert_eq!(flow.sal_acceptance, Ratio::new(1, 2));
        assert_eq!(flow.disposition_rate, Ratio::new(1, 2));
        assert_eq!(flow.leakage, Ratio::new(1, 2));

        let mut bad = lead("x", 5);
        bad.disposition = Some(Disposition::Accepted { at: t(6) });
        let p = Period::all_time();
        assert_eq!(
            lead_flow(&[bad.clone()], p, t(9), day, horizon, Currency::USD).unwrap_err().to_string(),
            "record `x` is inconsistent: dispositioned but never delivered"
        );
        bad.delivered_at = Some(t(7));
        assert!(matches!(
            lead_flow(&[bad.clone()], p, t(9), day, horizon, Currency::USD),
            Err(Error::CloseBeforeCreate { .. })
        ));
        bad.disposition = None;
        bad.won_at = Some(t(8));
        assert!(matches!(
            lead_flow(&[bad], p, t(9), day, horizon, Currency::USD),
            Err(Error::InconsistentRecord { .. })
        ));
        // Regression: a negative window or horizon was accepted and counted every lead as
        // leaked (or as mature without revenue).
        let mut late = lead("d", 1);
        late.delivered_at = Some(t(2));
        let minus = -day;
        let err = lead_flow(std::slice::from_ref(&late), p, t(9), minus, horizon, Currency::USD).unwrap_err();
        assert_eq!(err.to_string(), "disposition window must not be negative, got \"-PT86400S\"");
        assert!(matches!(
            lead_flow(&[late], p, t(9), day, minus, Currency::USD),
            Err(Error::NegativeDuration { field: "revenue horizon", .. })
        ));
        // Regression: both were refused only at the first push, so on no leads the invalid
        // definition gave a result; now the definition itself is refused.
        assert!(matches!(
            lead_flow(&[], p, t(9), minus, horizon, Currency::USD),
            Err(Error::NegativeDuration { field: "disposition window", .. })
        ));
        assert!(LeadFlowTally::new(p, t(9), day, minus, Currency::USD).is_err());
    }

    #[test]
    fn a_negative_win_is_refused_on_every_lead() {
        // Regression: the won amount was checked only for leads of the mature cohort, so a
        // negative win on a lead outside the period (or not yet mature) passed silently.
        let mut lead = lead("n", 1);
        lead.won_at = Some(t(2));
        lead.won_amount = Some(Money::from_minor(-5, Currency::USD));
        let day = TimeDelta::try_days(1).unwrap();
        let later = Period::new(t(20), t(25)).unwrap();
        let err = lead_flow(&[lead], later, t(30), day, day, Currency::USD).unwrap_err();
        assert_eq!(err.to_string(), "negative won amount -0.05 in record `n`");
    }

    #[test]
    fn windows_past_the_end_of_time_have_not_passed() {
        // Regression: `delivered + within` overflowing chrono's range (a window of
        // `TimeDelta::MAX`, "no deadline") was read as a passed window, so every lead without a
        // disposition counted as leaked instead of pending.
        let mut a = lead("a", 1);
        a.delivered_at = Some(t(2));
        let never = TimeDelta::MAX;
        let flow = lead_flow(std::slice::from_ref(&a), Period::all_time(), t(20), never, never, Currency::USD).unwrap();
        assert_eq!((flow.pending, flow.leakage, flow.disposition_rate), (1, Ratio::new(0, 0), Ratio::new(0, 0)));
        assert_eq!((flow.cohort_leads, flow.immature_leads), (0, 1));
        // Exactly at the window's end it has passed (unchanged rule).
        let day = TimeDelta::try_days(1).unwrap();
        let flow = lead_flow(&[a], Period::all_time(), t(3), day, day, Currency::USD).unwrap();
        assert_eq!((flow.pending, flow.leakage, flow.cohort_leads), (0, Ratio::new(1, 1), 1));
    }
}
