//! Lead flow hygiene: revenue per lead (cohort with a maturity horizon), SAL acceptance,
//! disposition rate and lead leakage, over [`LeadFact`]s derived from the facts
//! ([`Lead`](crate::facts::Lead), [`StageChange`](crate::facts::StageChange),
//! [`Disposition`](crate::facts::Disposition), [`Deal`](crate::facts::Deal)).

use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;

use super::amount::{add, add_count, from_minor, mean_money_exact, minor_units};
use super::definition::same;
use super::{Period, Tally};
use crate::facts::DispositionOutcome;
use crate::{Currency, Error, ErrorKind, Money, Ratio};

mod fact;
#[cfg(feature = "serde")]
mod state;

pub use self::fact::LeadFact;

/// Lead flow hygiene of one period, four metrics from one pass:
///
/// - **Revenue per lead** (cohort with a maturity horizon): numerator = amount won from leads
///   created in the period, counting only won deals closed within the horizon after each
///   lead's creation (`closed_at - created_at <= horizon`); denominator = leads created in the period whose
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
/// - **Facts**: a lead is delivered when it first enters the handoff stage, and its first
///   disposition answers the handoff ([`LeadFact`] derives both from the facts and checks
///   them: a disposition without a delivery, or before it, is an error there).
/// - **Bad input**: foreign-currency revenue on a lead it counts ([`ErrorKind::MixedCurrency`]);
///   a negative `within` or `horizon` ([`ErrorKind::Negative`], refused by
///   [`LeadFlowTally::new`], before any lead is read).
///
/// # Example
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use revops::facts::{Deal, DealStatus, Disposition, DispositionOutcome, FactSet, Lead, StageChange};
/// use revops::metrics::{LeadFact, LeadFlowTally};
/// use revops::{Currency, LeadId, Money, OpportunityId, Period, StageId, Tally};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let day = TimeDelta::try_days(1).unwrap_or_default();
/// let (a, b, mql) = (LeadId::new("a")?, LeadId::new("b")?, StageId::new("mql")?);
/// let mut facts = FactSet::default();
/// facts.leads = vec![Lead::new(a.clone(), t(1)), Lead::new(b.clone(), t(1))];
/// facts.stage_changes = vec![
///     StageChange { entity: a.clone(), stage: mql.clone(), at: t(2) },
///     StageChange { entity: b.clone(), stage: mql.clone(), at: t(2) }, // never dispositioned: leaked
/// ];
/// facts.dispositions = vec![Disposition { lead: a.clone(), at: t(2), outcome: DispositionOutcome::Accepted }];
/// facts.deals = vec![Deal::new(OpportunityId::new("o")?, t(3), Money::from_minor(9_000_00, Currency::USD), DealStatus::Won)
///     .closed_at(Some(t(20)))
///     .lead(Some(a))];
/// let leads = LeadFact::from_fact_set(&facts, &mql)?;
/// let horizon = TimeDelta::try_days(30).unwrap_or_default();
/// let flow = LeadFlowTally::new(Period::new(t(1), t(8))?, t(31), day, horizon, Currency::USD)?.tally(&leads)?;
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

/// The result of [`LeadFlowTally`]: the four metrics with their parts.
///
/// # Example
///
/// Three leads handed over in the first week of January, seen on 31 January with a one-day
/// disposition window and a 30-day revenue horizon.
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use revops::facts::{Deal, DealStatus, Disposition, DispositionOutcome, FactSet, Lead, Reason, StageChange};
/// use revops::metrics::{LeadFact, LeadFlow, lead_flow};
/// use revops::{Currency, LeadId, Money, OpportunityId, Period, StageId};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let days = |n| TimeDelta::try_days(n).unwrap_or_default();
/// let (a, b, c, mql) = (LeadId::new("a")?, LeadId::new("b")?, LeadId::new("c")?, StageId::new("mql")?);
/// let mut facts = FactSet::default();
/// facts.leads = vec![Lead::new(a.clone(), t(1)), Lead::new(b.clone(), t(1)), Lead::new(c.clone(), t(3))];
/// facts.stage_changes = [(&a, 2), (&b, 2), (&c, 3)]
///     .map(|(id, d)| StageChange { entity: id.clone(), stage: mql.clone(), at: t(d) })
///     .to_vec();
/// let rejected = DispositionOutcome::Rejected { reason: Reason::Unspecified };
/// facts.dispositions = vec![
///     Disposition { lead: a.clone(), at: t(2), outcome: DispositionOutcome::Accepted }, // in time
///     Disposition { lead: c.clone(), at: t(6), outcome: rejected },                      // 3 days late
/// ];
/// let usd = Money::from_minor(9_000_00, Currency::USD);
/// facts.deals = vec![Deal::new(OpportunityId::new("o")?, t(3), usd, DealStatus::Won).closed_at(Some(t(20))).lead(Some(a))];
/// let leads = LeadFact::from_fact_set(&facts, &mql)?;
/// let flow: LeadFlow = lead_flow(&leads, Period::new(t(1), t(8))?, t(31), days(1), days(30), Currency::USD)?;
/// // Revenue per lead: won within 30 days / leads whose 30 days have passed (c's have not).
/// assert_eq!((flow.cohort_leads, flow.immature_leads), (2, 1));
/// assert_eq!(flow.revenue, usd);
/// assert_eq!(flow.revenue_per_lead, Some(Money::from_minor(4_500_00, Currency::USD)));
/// // SAL acceptance: accepted / dispositioned (a accepted, c rejected).
/// assert_eq!(flow.sal_acceptance.to_string(), "1/2 (50.0%)");
/// // Disposition rate and leakage: of the 3 delivered, 1 answered within a day, 2 not.
/// assert_eq!((flow.delivered, flow.pending), (3, 0));
/// assert_eq!(flow.disposition_rate.to_string(), "1/3 (33.3%)");
/// assert_eq!(flow.leakage.to_string(), "2/3 (66.7%)");
/// # Ok::<(), revops::Error>(())
/// ```
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
    /// `revenue / cohort_leads` rounded half to even to the minor unit, `None` without mature
    /// leads.
    pub revenue_per_lead: Option<Money>,
    /// `revenue_per_lead` exactly: revenue (major units) / cohort leads.
    pub revenue_per_lead_exact: Option<Ratio<Decimal>>,
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
    /// [`ErrorKind::Negative`] for a negative `within` (field `"disposition window"`) or
    /// `horizon` (field `"revenue horizon"`): either would silently count every lead as late
    /// (or as mature with no revenue).
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use revops::metrics::LeadFlowTally;
    /// use revops::{Currency, Period, Tally};
    ///
    /// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
    /// let (day, month) = (TimeDelta::try_days(1).unwrap_or_default(), TimeDelta::try_days(30).unwrap_or_default());
    /// let january = Period::new(t(1), t(31))?;
    /// let empty = LeadFlowTally::new(january, t(31), day, month, Currency::USD)?.finish()?;
    /// assert_eq!((empty.delivered, empty.revenue_per_lead), (0, None)); // no lead: undefined, not 0
    /// assert_eq!(empty.leakage.value(), None);
    /// // A negative window is refused before any lead is read.
    /// assert!(LeadFlowTally::new(january, t(31), -day, month, Currency::USD).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
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
        return Err(ErrorKind::Negative { field, value: d.to_string() }.into());
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

    /// # Errors
    /// [`ErrorKind::MixedCurrency`] naming the lead for a counted win in another currency;
    /// [`ErrorKind::Overflow`].
    fn push(&mut self, lead: &LeadFact) -> Result<(), Error> {
        let c = &mut self.counts;
        let created_at = lead.created_at();
        if self.period.contains(created_at) {
            // `created + horizon <= as_of`, compared as durations: total, so a horizon reaching past
            // chrono's range (e.g. `TimeDelta::MAX`, "never") is simply not yet passed.
            let mature = self.as_of - created_at >= self.horizon;
            if mature {
                // The lead's revenue first: a win in another currency fails the lead before
                // anything of it is counted (a set-aside lead counts nowhere).
                let mut revenue = self.revenue_minor;
                for &(at, amount) in lead.wins() {
                    if at - created_at <= self.horizon {
                        let minor = minor_units(lead.id(), "won amount", amount, self.currency)?;
                        revenue = add(revenue, minor)?;
                    }
                }
                bump(&mut c.cohort)?;
                self.revenue_minor = revenue;
            } else {
                bump(&mut c.immature)?;
            }
        }
        let Some(delivered) = lead.delivered_at().filter(|&d| self.period.contains(d)) else { return Ok(()) };
        bump(&mut c.delivered)?;
        let disposition = lead.disposition().filter(|d| d.at <= self.as_of);
        if let Some(d) = disposition {
            bump(&mut c.dispositioned)?;
            if d.outcome == DispositionOutcome::Accepted {
                bump(&mut c.accepted)?;
            }
        }
        let in_time = disposition.is_some_and(|d| d.at - delivered <= self.within);
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
    /// [`ErrorKind::DefinitionMismatch`] naming `period`, `as_of`, `within`, `horizon` or
    /// `currency` if `other` counts another definition; [`ErrorKind::Overflow`].
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
        let (revenue_per_lead, revenue_per_lead_exact) = mean_money_exact(self.revenue_minor, c.cohort, self.currency)?;
        Ok(LeadFlow {
            cohort_leads: c.cohort,
            immature_leads: c.immature,
            revenue: from_minor(self.revenue_minor, self.currency)?,
            revenue_per_lead,
            revenue_per_lead_exact,
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
///
/// # Example
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use revops::facts::{Deal, DealStatus, Lead};
/// use revops::metrics::{LeadFact, lead_flow};
/// use revops::{Currency, LeadId, Money, OpportunityId, Period, StageId};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let days = |n| TimeDelta::try_days(n).unwrap_or_default();
/// let id = LeadId::new("a")?;
/// // Won on the 20th: 19 days after the lead was created.
/// let won = Deal::new(OpportunityId::new("o")?, t(2), Money::from_minor(500_00, Currency::USD), DealStatus::Won)
///     .closed_at(Some(t(20)))
///     .lead(Some(id.clone()));
/// let lead = LeadFact::from_facts(&Lead::new(id, t(1)), &StageId::new("mql")?, &[], &[], &[won])?;
/// let january = Period::new(t(1), t(31))?;
/// let within_30 = lead_flow(std::slice::from_ref(&lead), january, t(31), days(1), days(30), Currency::USD)?;
/// assert_eq!(within_30.revenue_per_lead, Some(Money::from_minor(500_00, Currency::USD)));
/// let within_14 = lead_flow(&[lead], january, t(31), days(1), days(14), Currency::USD)?;
/// assert_eq!(within_14.revenue_per_lead, Some(Money::from_minor(0, Currency::USD))); // won too late
/// # Ok::<(), revops::Error>(())
/// ```
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
    use crate::facts::{Deal, DealStatus, Disposition, Lead, Reason, StageChange};
    use crate::{LeadId, OpportunityId, StageId};
    use chrono::TimeZone;

    fn t(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).unwrap()
    }

    /// A lead's facts: created, delivered (MQL), dispositioned, won (day, cents).
    #[derive(Default)]
    struct Story {
        delivered: Option<u32>,
        disposition: Option<(u32, DispositionOutcome)>,
        won: Option<(u32, i64)>,
    }

    fn lead(id: &str, created: u32, story: Story) -> Result<LeadFact, Error> {
        let lid = LeadId::new(id).unwrap();
        let mql = StageId::new("mql").unwrap();
        let changes: Vec<_> = story
            .delivered
            .map(|d| StageChange { entity: lid.clone(), stage: mql.clone(), at: t(d) })
            .into_iter()
            .collect();
        let dispositions: Vec<_> = story
            .disposition
            .map(|(d, outcome)| Disposition { lead: lid.clone(), at: t(d), outcome })
            .into_iter()
            .collect();
        let deals: Vec<_> = story
            .won
            .map(|(d, cents)| {
                Deal::new(
                    OpportunityId::new(format!("o-{id}")).unwrap(),
                    t(created),
                    Money::from_minor(cents, Currency::USD),
                    DealStatus::Won,
                )
                .closed_at(Some(t(d)))
                .lead(Some(lid.clone()))
            })
            .into_iter()
            .collect();
        LeadFact::from_facts(&Lead::new(lid.clone(), t(created)), &mql, &changes, &dispositions, &deals)
    }

    #[test]
    fn flow_counts_and_bad_input() {
        let day = TimeDelta::try_days(1).unwrap();
        let horizon = TimeDelta::try_days(10).unwrap();
        let accepted = DispositionOutcome::Accepted;
        let recycled = DispositionOutcome::Recycled { reason: Reason::BadTiming };
        // a: accepted in time, revenue inside horizon; b: recycled late, revenue after horizon;
        // c: delivered just before as_of: pending, immature.
        let a =
            lead("a", 1, Story { delivered: Some(2), disposition: Some((3, accepted.clone())), won: Some((11, 100)) });
        let b = lead("b", 1, Story { delivered: Some(2), disposition: Some((5, recycled)), won: Some((12, 999)) });
        let c = lead("c", 14, Story { delivered: Some(14), ..Story::default() });
        let leads = [a.unwrap(), b.unwrap(), c.unwrap()];
        let flow = lead_flow(&leads, Period::new(t(1), t(15)).unwrap(), t(14), day, horizon, Currency::USD).unwrap();
        assert_eq!((flow.cohort_leads, flow.immature_leads, flow.delivered, flow.pending), (2, 1, 3, 1));
        assert_eq!(flow.revenue_per_lead, Some(Money::from_minor(50, Currency::USD)));
        assert_eq!(flow.sal_acceptance, Ratio::new(1, 2));
        assert_eq!(flow.disposition_rate, Ratio::new(1, 2));
        assert_eq!(flow.leakage, Ratio::new(1, 2));

        let never = lead("x", 5, Story { disposition: Some((6, accepted.clone())), ..Story::default() });
        assert_eq!(never.unwrap_err().to_string(), "lead `x`: inconsistent record: dispositioned but never delivered");
        let early = lead("x", 5, Story { delivered: Some(7), disposition: Some((6, accepted)), ..Story::default() });
        assert!(matches!(early.as_ref().map_err(crate::error::Error::kind), Err(ErrorKind::CloseBeforeCreate { .. })));
        let won_early = lead("x", 5, Story { won: Some((4, 1)), ..Story::default() });
        assert!(matches!(
            won_early.as_ref().map_err(crate::error::Error::kind),
            Err(ErrorKind::CloseBeforeCreate { .. })
        ));
        // Regression: a negative window or horizon was accepted and counted every lead as
        // leaked (or as mature without revenue).
        let late = lead("d", 1, Story { delivered: Some(2), ..Story::default() }).unwrap();
        let p = Period::all_time();
        let minus = -day;
        let err = lead_flow(std::slice::from_ref(&late), p, t(9), minus, horizon, Currency::USD).unwrap_err();
        assert_eq!(err.to_string(), "disposition window must not be negative, got -PT86400S");
        assert!(matches!(
            lead_flow(&[late], p, t(9), day, minus, Currency::USD).as_ref().map_err(crate::error::Error::kind),
            Err(ErrorKind::Negative { .. })
        ));
        // Regression: both were refused only at the first push, so on no leads the invalid
        // definition gave a result; now the definition itself is refused.
        assert!(matches!(
            lead_flow(&[], p, t(9), minus, horizon, Currency::USD).as_ref().map_err(crate::error::Error::kind),
            Err(ErrorKind::Negative { .. })
        ));
        assert!(LeadFlowTally::new(p, t(9), day, minus, Currency::USD).is_err());
    }

    #[test]
    fn a_lead_failing_on_its_currency_counts_nowhere() {
        // Regression: the cohort count was bumped before the win's currency was checked, so a
        // lead set aside for its currency still counted in the cohort (revenue per lead fell).
        let ok = lead("a", 1, Story { won: Some((3, 100)), ..Story::default() }).unwrap();
        let eur = LeadFact::from_facts(
            &Lead::new(LeadId::new("e").unwrap(), t(1)),
            &StageId::new("mql").unwrap(),
            &[],
            &[],
            &[Deal::new(
                OpportunityId::new("o-e").unwrap(),
                t(1),
                Money::from_minor(7, Currency::EUR),
                DealStatus::Won,
            )
            .closed_at(Some(t(3)))
            .lead(Some(LeadId::new("e").unwrap()))],
        )
        .unwrap();
        let (p, horizon) = (Period::new(t(1), t(15)).unwrap(), TimeDelta::try_days(5).unwrap());
        let mut tally = LeadFlowTally::new(p, t(14), TimeDelta::try_days(1).unwrap(), horizon, Currency::USD).unwrap();
        tally.push(&ok).unwrap();
        let err = tally.push(&eur).unwrap_err();
        assert_eq!(err.to_string(), "lead `e`: money in EUR, but the metric sums USD");
        let flow = tally.finish().unwrap();
        assert_eq!(flow.cohort_leads, 1);
        assert_eq!(flow.revenue_per_lead, Some(Money::from_minor(100, Currency::USD)));
    }

    #[test]
    fn a_negative_win_is_refused_on_every_lead() {
        // Regression: the won amount was checked only for leads of the mature cohort, so a
        // negative win on a lead outside the period (or not yet mature) passed silently. Now
        // the deal is checked when the view is derived, whatever the period.
        let err = lead("n", 1, Story { won: Some((2, -5)), ..Story::default() }).unwrap_err();
        assert_eq!(err.to_string(), "deal `o-n`: amount must not be negative, got -0.05");
    }

    #[test]
    fn views_come_from_the_facts_of_their_lead_only() {
        let (a, b) = (LeadId::new("a").unwrap(), LeadId::new("b").unwrap());
        let mql = StageId::new("mql").unwrap();
        let at = |d| StageChange { entity: a.clone(), stage: mql.clone(), at: t(d) };
        // First entry of the handoff stage and first disposition count.
        let changes = [at(4), at(2), StageChange { entity: a.clone(), stage: StageId::new("sql").unwrap(), at: t(1) }];
        let first =
            Disposition { lead: a.clone(), at: t(3), outcome: DispositionOutcome::Rejected { reason: Reason::BadFit } };
        let later = Disposition { lead: a.clone(), at: t(5), outcome: DispositionOutcome::Accepted };
        let fact =
            LeadFact::from_facts(&Lead::new(a.clone(), t(1)), &mql, &changes, &[later, first.clone()], &[]).unwrap();
        assert_eq!((fact.delivered_at(), fact.disposition()), (Some(t(2)), Some(&first)));
        let wrong = [StageChange { entity: b.clone(), stage: mql.clone(), at: t(2) }];
        let err = LeadFact::from_facts(&Lead::new(a.clone(), t(1)), &mql, &wrong, &[], &[]).unwrap_err();
        assert_eq!(err.to_string(), "lead `a`: inconsistent record: a stage change of another lead was given");
        // A fact set: a fact of a lead outside it is an error, a deal without a lead is not read.
        let mut set = crate::facts::FactSet::default();
        set.leads.push(Lead::new(a.clone(), t(1)));
        set.deals.push(
            Deal::new(OpportunityId::new("o").unwrap(), t(2), Money::from_minor(1, Currency::USD), DealStatus::Won)
                .closed_at(Some(t(3))),
        );
        assert_eq!(LeadFact::from_fact_set(&set, &mql).unwrap().len(), 1);
        set.dispositions.push(Disposition { lead: b, at: t(3), outcome: DispositionOutcome::Accepted });
        assert!(matches!(
            LeadFact::from_fact_set(&set, &mql).as_ref().map_err(crate::error::Error::kind),
            Err(ErrorKind::InconsistentRecord { .. })
        ));
        set.dispositions.clear();
        set.leads.push(Lead::new(a, t(1)));
        assert!(matches!(
            LeadFact::from_fact_set(&set, &mql).as_ref().map_err(crate::error::Error::kind),
            Err(ErrorKind::DuplicateKey { .. })
        ));
    }

    #[test]
    fn windows_past_the_end_of_time_have_not_passed() {
        // Regression: `delivered + within` overflowing chrono's range (a window of
        // `TimeDelta::MAX`, "no deadline") was read as a passed window, so every lead without a
        // disposition counted as leaked instead of pending.
        let a = lead("a", 1, Story { delivered: Some(2), ..Story::default() }).unwrap();
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
