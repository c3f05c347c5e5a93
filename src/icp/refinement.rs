//! Refinement from who actually closes: per tier and per criterion, how scored accounts turn
//! into opportunities and wins, as an accumulator.

use rust_decimal::{Decimal, RoundingStrategy};

use super::profile::Icp;
use crate::Record;
use crate::facts::DealStatus;
use crate::{Currency, Error, ErrorKind, Money, Ratio};

mod outcomes;
mod report;
pub use self::outcomes::{AccountOutcomes, ScoredAccount};
pub use self::report::{CriterionReport, GroupReport, RefinementReport, TierInversion, TierReport};

/// Running tallies of one group of accounts. All sums, so merging is exact.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub(super) struct GroupTally {
    accounts: u64,
    accounts_with_opportunity: u64,
    opportunities: u64,
    won: u64,
    lost: u64,
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    won_amount: Decimal,
    won_cycle_seconds: i128,
}

impl GroupTally {
    fn add(&mut self, other: &GroupTally) -> Result<(), Error> {
        let overflow = || ErrorKind::Overflow { op: "icp refinement" };
        let add = |a: u64, b: u64| a.checked_add(b).ok_or_else(overflow);
        self.accounts = add(self.accounts, other.accounts)?;
        self.accounts_with_opportunity = add(self.accounts_with_opportunity, other.accounts_with_opportunity)?;
        self.opportunities = add(self.opportunities, other.opportunities)?;
        self.won = add(self.won, other.won)?;
        self.lost = add(self.lost, other.lost)?;
        self.won_amount = crate::money::exact_add(self.won_amount, other.won_amount).ok_or_else(overflow)?;
        self.won_cycle_seconds = self.won_cycle_seconds.checked_add(other.won_cycle_seconds).ok_or_else(overflow)?;
        Ok(())
    }

    /// Why this tally cannot come from pushes, if it cannot.
    #[cfg(feature = "serde")]
    fn inconsistency(&self) -> Option<&'static str> {
        let Some(closed) = self.won.checked_add(self.lost) else {
            return Some("more closed deals than a count holds");
        };
        if self.accounts_with_opportunity > self.accounts {
            Some("more accounts with an opportunity than accounts")
        } else if self.accounts_with_opportunity > self.opportunities {
            Some("more accounts with an opportunity than opportunities")
        } else if closed > self.opportunities {
            Some("more closed deals than opportunities")
        } else if self.won_amount.is_sign_negative() && !self.won_amount.is_zero() {
            Some("a negative won amount")
        } else if self.won_cycle_seconds < 0 {
            Some("a negative won cycle")
        } else if self.won == 0 && (!self.won_amount.is_zero() || self.won_cycle_seconds != 0) {
            Some("a won amount or cycle without won deals")
        } else {
            None
        }
    }

    /// Whether every count and sum of `self` is at most that of `whole`.
    #[cfg(feature = "serde")]
    fn within(&self, whole: &GroupTally) -> bool {
        self.accounts <= whole.accounts
            && self.accounts_with_opportunity <= whole.accounts_with_opportunity
            && self.opportunities <= whole.opportunities
            && self.won <= whole.won
            && self.lost <= whole.lost
            && self.won_amount <= whole.won_amount
            && self.won_cycle_seconds <= whole.won_cycle_seconds
    }

    fn report(&self, currency: Currency, overall: Option<&GroupReport>) -> GroupReport {
        let opportunity_rate = Ratio::new(self.accounts_with_opportunity, self.accounts);
        let win_rate = Ratio::new(self.won, self.won.saturating_add(self.lost));
        let won = Decimal::from(self.won);
        let average_deal_size_exact = exact(self.won_amount, won);
        let average_deal_size = average_deal_size_exact
            .and_then(|r| r.value())
            .map(|a| Money::new(a, currency).round_to_minor(RoundingStrategy::MidpointAwayFromZero));
        let average_cycle_days_exact = Decimal::try_from_i128_with_scale(self.won_cycle_seconds, 0)
            .ok()
            .and_then(|s| exact(s, won.checked_mul(Decimal::from(86_400))?));
        // a/n over A/N = a x N / (n x A); undefined when either rate is, or the overall is zero.
        let lift = |rate: Ratio, base: Option<Ratio>| -> Option<Ratio<Decimal>> {
            let base = base?;
            let part = |x: u64, y: u64| Decimal::from(x).checked_mul(Decimal::from(y));
            exact(part(rate.numerator(), base.denominator())?, part(rate.denominator(), base.numerator())?)
                .filter(|_| rate.denominator() > 0 && base.denominator() > 0)
        };
        let opportunity_rate_lift_exact = lift(opportunity_rate, overall.map(|o| o.opportunity_rate));
        let win_rate_lift_exact = lift(win_rate, overall.map(|o| o.win_rate));
        let display = |r: Option<Ratio<Decimal>>, dp| r.and_then(|r| r.value()).map(|d| fixed(d, dp));
        GroupReport {
            accounts: self.accounts,
            opportunities: self.opportunities,
            won: self.won,
            lost: self.lost,
            open: self.opportunities.saturating_sub(self.won.saturating_add(self.lost)),
            opportunity_rate,
            opportunity_rate_lift: display(opportunity_rate_lift_exact, 2),
            opportunity_rate_lift_exact,
            win_rate,
            win_rate_lift: display(win_rate_lift_exact, 2),
            win_rate_lift_exact,
            won_amount: Money::new(self.won_amount, currency),
            average_deal_size,
            average_deal_size_exact,
            average_cycle_days: display(average_cycle_days_exact, 1),
            average_cycle_days_exact,
        }
    }
}

/// `numerator / denominator` as an exact ratio: `None` for a zero denominator or a negative part
/// (the tallies hold none).
fn exact(numerator: Decimal, denominator: Decimal) -> Option<Ratio<Decimal>> {
    if denominator.is_zero() { None } else { Ratio::try_new(numerator, denominator).ok() }
}

/// `d` rounded half away from zero to exactly `dp` decimals (`60.0`, not `60`).
fn fixed(d: Decimal, dp: u32) -> Decimal {
    let mut d = d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    d.rescale(dp);
    d
}

/// Accumulates scored accounts and their deals into a [`RefinementReport`]: `push` each
/// account's [`AccountOutcomes`], `merge` partial accumulators (associative and commutative:
/// every tally is a sum), `finish` once.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::{Account, Deal, DealStatus};
/// use revops::icp::{AccountOutcomes, Condition, Icp, Refinement};
/// use revops::{AccountId, Currency, Money, OpportunityId, Ratio};
///
/// let icp = Icp::builder("saas").points("software", Condition::industry_in(["software"]), 1).build()?;
/// let mut refinement = Refinement::new(&icp, Currency::USD, 1);
/// let acme = Account { industry: Some("software".into()), ..Account::new(AccountId::new("acme")?) };
/// let initech = Account::new(AccountId::new("initech")?);
/// let created = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single();
/// let closed = Utc.with_ymd_and_hms(2024, 3, 1, 0, 0, 0).single();
/// let (Some(created), Some(closed)) = (created, closed) else { return Ok(()) };
/// let deals = [Deal::new(OpportunityId::new("o1")?, created, Money::from_minor(50_000_00, Currency::USD), DealStatus::Won)
///     .closed_at(Some(closed))
///     .account(Some(acme.id.clone()))];
/// refinement.push(&AccountOutcomes::from_facts(&acme, icp.score(&acme)?, &deals))?;
/// refinement.push(&AccountOutcomes::from_facts(&initech, icp.score(&initech)?, &deals))?;
/// let report = refinement.finish();
/// assert_eq!(report.tiers[0].outcomes.win_rate, Ratio::new(1, 1));
/// assert_eq!(report.overall.opportunity_rate, Ratio::new(1, 2));
/// assert_eq!(report.tiers[0].outcomes.average_cycle_days.map(|d| d.to_string()), Some("60.0".into()));
/// assert!(!report.tiers[3].ranked); // no closed deal in tier D
/// # Ok::<(), revops::Error>(())
/// ```
///
/// `Refinement` is a [`Tally`](crate::Tally) over [`AccountOutcomes`]; its partial state
/// serializes (the ICP it was built for, the currency, the minimum sample and every sum) and
/// is validated on deserialize, so partial refinements from other threads or services merge
/// exactly like local ones.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "state::RefinementState", into = "state::RefinementState")
)]
pub struct Refinement {
    icp: Icp,
    tiers: Vec<String>,
    criteria: Vec<String>,
    currency: Currency,
    min_closed_deals: u64,
    overall: GroupTally,
    by_tier: Vec<GroupTally>,
    matched: Vec<GroupTally>,
}

impl Refinement {
    /// An empty accumulator for scores of `icp`, deal amounts in `currency`, ranking tiers
    /// with at least `min_closed_deals` closed deals.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::{Condition, Icp, Refinement};
    /// use revops::Currency;
    ///
    /// let icp = Icp::builder("saas").points("software", Condition::industry_in(["software"]), 1).build()?;
    /// let report = Refinement::new(&icp, Currency::USD, 30).finish();
    /// assert_eq!((report.tiers.len(), report.criteria.len(), report.overall.accounts), (4, 1, 0));
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn new(icp: &Icp, currency: Currency, min_closed_deals: u64) -> Refinement {
        Refinement {
            icp: icp.clone(),
            tiers: icp.tiers().as_slice().iter().map(|t| t.name.clone()).collect(),
            criteria: icp.criteria().iter().map(|c| c.name.clone()).collect(),
            currency,
            min_closed_deals,
            overall: GroupTally::default(),
            by_tier: vec![GroupTally::default(); icp.tiers().len()],
            matched: vec![GroupTally::default(); icp.criteria().len()],
        }
    }

    /// Adds one scored account and all of its deals (none for an account without
    /// opportunities). Open deals count as opportunities; won and lost ones also as closed.
    /// Nothing is added when an error is returned.
    ///
    /// # Errors
    /// - [`ErrorKind::RefinementShapeMismatch`] if the score's tier or criteria do not fit the ICP
    ///   the accumulator was built for;
    /// - any error of [`Deal::check`](crate::facts::Deal::check) (a won or lost deal without `closed_at`, an open one
    ///   with it, a close before the creation, a negative amount), naming the deal;
    /// - [`ErrorKind::DealOfAnotherAccount`] if a deal names another account than the outcomes';
    /// - [`ErrorKind::MixedCurrency`] naming a deal in another currency than the refinement's;
    /// - [`ErrorKind::Overflow`] on absurd totals.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::facts::{Account, Deal, DealStatus};
    /// use revops::icp::{AccountOutcomes, Condition, Icp, Refinement};
    /// use revops::{AccountId, Currency, Money, OpportunityId};
    ///
    /// let icp = Icp::builder("saas").points("software", Condition::industry_in(["software"]), 1).build()?;
    /// let mut refinement = Refinement::new(&icp, Currency::USD, 1);
    /// let acme = Account::new(AccountId::new("acme")?);
    /// let Some(created) = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single() else { return Ok(()) };
    /// let euros = Deal::new(OpportunityId::new("o9")?, created, Money::from_minor(100, Currency::EUR), DealStatus::Won)
    ///     .closed_at(Some(created));
    /// let outcomes = AccountOutcomes { account: acme.id.clone(), score: icp.score(&acme)?.into(), deals: vec![euros] };
    /// let err = refinement.push(&outcomes).err().map(|e| e.to_string());
    /// assert_eq!(err.as_deref(), Some("deal `o9`: money in EUR, but the metric sums USD"));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn push(&mut self, outcomes: &AccountOutcomes) -> Result<(), Error> {
        let score = &outcomes.score;
        let deals = &outcomes.deals;
        if let Some(tier) = score.tier
            && tier >= self.tiers.len()
        {
            return Err(ErrorKind::RefinementShapeMismatch {
                what: "tiers",
                expected: self.tiers.len(),
                // A count of tiers that holds index `tier`; `usize::MAX` (a stored score's
                // tier index can be anything) cannot be exceeded by one, so it saturates.
                found: tier.saturating_add(1),
            }
            .into());
        }
        if let Some(last) = score.matched.iter().last()
            && last >= self.criteria.len()
        {
            return Err(ErrorKind::RefinementShapeMismatch {
                what: "criteria",
                expected: self.criteria.len(),
                found: last.saturating_add(1), // below 64: a criteria set holds 0 to 63
            }
            .into());
        }
        let mut t = GroupTally {
            accounts: 1,
            accounts_with_opportunity: u64::from(!deals.is_empty()),
            ..GroupTally::default()
        };
        for d in deals {
            d.check()?;
            if let Some(other) = &d.account
                && *other != outcomes.account
            {
                return Err(ErrorKind::DealOfAnotherAccount {
                    deal: d.id.clone(),
                    account: outcomes.account.clone(),
                    found: other.clone(),
                }
                .into());
            }
            if d.amount.currency() != self.currency {
                return Err(ErrorKind::MixedCurrency { expected: self.currency, found: d.amount.currency() }
                    .about(Record::Deal(d.id.clone())));
            }
            t.opportunities = t.opportunities.saturating_add(1);
            match (&d.status, d.closed_at) {
                (DealStatus::Open { .. }, _) => {}
                (DealStatus::Lost { .. }, _) => t.lost = t.lost.saturating_add(1),
                (DealStatus::Won, Some(closed_at)) => {
                    t.won = t.won.saturating_add(1);
                    let overflow = || ErrorKind::Overflow { op: "icp refinement" };
                    t.won_amount = t.won_amount.checked_add(d.amount.amount()).ok_or_else(overflow)?;
                    t.won_cycle_seconds =
                        t.won_cycle_seconds.saturating_add(i128::from((closed_at - d.created_at).num_seconds()));
                }
                // `Deal::check` refuses a won deal without `closed_at`; kept as an error, not a panic.
                (DealStatus::Won, None) => {
                    return Err(ErrorKind::InconsistentRecord { reason: "a won or lost deal needs closed_at" }
                        .about(Record::Deal(d.id.clone())));
                }
            }
        }
        let mut next = self.clone_tallies(score, &t)?;
        core::mem::swap(&mut self.overall, &mut next.0);
        // An ungraded score counts overall and per criterion, in no tier.
        if let (Some(tier), Some(t)) = (score.tier, next.1)
            && let Some(slot) = self.by_tier.get_mut(tier)
        {
            *slot = t;
        }
        for (i, tally) in next.2 {
            if let Some(slot) = self.matched.get_mut(i) {
                *slot = tally;
            }
        }
        Ok(())
    }

    /// Computes the updated tallies first, so a failed push changes nothing.
    #[allow(clippy::type_complexity)]
    fn clone_tallies(
        &self,
        score: &ScoredAccount,
        t: &GroupTally,
    ) -> Result<(GroupTally, Option<GroupTally>, Vec<(usize, GroupTally)>), Error> {
        let mut overall = self.overall;
        overall.add(t)?;
        let tier = match score.tier {
            Some(i) => {
                let mut tier = self.by_tier.get(i).copied().unwrap_or_default();
                tier.add(t)?;
                Some(tier)
            }
            None => None,
        };
        let mut matched = Vec::with_capacity(score.matched.len());
        for i in score.matched.iter() {
            let mut m = self.matched.get(i).copied().unwrap_or_default();
            m.add(t)?;
            matched.push((i, m));
        }
        Ok((overall, tier, matched))
    }

    /// Adds another accumulator's tallies.
    ///
    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`] if it was built for another ICP (`field` is `"icp"`),
    /// currency or minimum sample (`"min_closed_deals"`); [`ErrorKind::Overflow`] on absurd totals.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::Account;
    /// use revops::icp::{AccountOutcomes, Condition, Icp, Refinement};
    /// use revops::{AccountId, Currency};
    ///
    /// let icp = Icp::builder("saas").points("software", Condition::industry_in(["software"]), 1).build()?;
    /// let (mut left, mut right) = (Refinement::new(&icp, Currency::USD, 1), Refinement::new(&icp, Currency::USD, 1));
    /// for (part, id) in [(&mut left, "acme"), (&mut right, "globex")] {
    ///     let account = Account::new(AccountId::new(id)?);
    ///     part.push(&AccountOutcomes { account: account.id.clone(), score: icp.score(&account)?.into(), deals: vec![] })?;
    /// }
    /// left.merge(&right)?;
    /// assert_eq!(left.finish().overall.accounts, 2);
    /// assert!(left.merge(&Refinement::new(&icp, Currency::EUR, 1)).is_err()); // another definition
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn merge(&mut self, other: &Refinement) -> Result<(), Error> {
        let mismatch = |field| Err(ErrorKind::DefinitionMismatch { tally: "icp refinement", field }.into());
        if self.icp != other.icp {
            return mismatch("icp");
        }
        if self.currency != other.currency {
            return mismatch("currency");
        }
        if self.min_closed_deals != other.min_closed_deals {
            return mismatch("min_closed_deals");
        }
        let mut merged = self.clone();
        merged.overall.add(&other.overall)?;
        for (a, b) in merged.by_tier.iter_mut().zip(&other.by_tier) {
            a.add(b)?;
        }
        for (a, b) in merged.matched.iter_mut().zip(&other.matched) {
            a.add(b)?;
        }
        *self = merged;
        Ok(())
    }

    /// The report: overall, per tier (with the sample-size flag and the monotonicity check)
    /// and per criterion.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::facts::{Account, Deal, DealStatus, Reason};
    /// use revops::icp::{AccountOutcomes, Condition, Icp, Refinement};
    /// use revops::{AccountId, Currency, Money, OpportunityId, Ratio};
    ///
    /// let icp = Icp::builder("saas").points("software", Condition::industry_in(["software"]), 1).build()?;
    /// let (Some(jan), Some(mar)) = (Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single(), Utc.with_ymd_and_hms(2024, 3, 1, 0, 0, 0).single())
    /// else { return Ok(()) };
    /// let usd = |dollars: i64| Money::from_minor(dollars * 100, Currency::USD);
    /// let acme = Account { industry: Some("software".into()), ..Account::new(AccountId::new("acme")?) };
    /// let initech = Account { industry: Some("retail".into()), ..Account::new(AccountId::new("initech")?) };
    /// let deals = [
    ///     Deal::new(OpportunityId::new("o1")?, jan, usd(50_000), DealStatus::Won).closed_at(Some(mar)).account(Some(acme.id.clone())),
    ///     Deal::new(OpportunityId::new("o2")?, jan, usd(20_000), DealStatus::lost(Reason::Price)).closed_at(Some(mar)).account(Some(initech.id.clone())),
    /// ];
    /// let mut refinement = Refinement::new(&icp, Currency::USD, 1);
    /// for account in [&acme, &initech] {
    ///     refinement.push(&AccountOutcomes::from_facts(account, icp.score(account)?, &deals))?;
    /// }
    /// let report = refinement.finish();
    /// assert_eq!(report.tiers[3].outcomes.lost, 1);
    /// assert_eq!(refinement.finish(), report); // finishing does not consume the tallies
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn finish(&self) -> RefinementReport {
        let overall = self.overall.report(self.currency, None);
        let tiers: Vec<TierReport> = self
            .tiers
            .iter()
            .zip(&self.by_tier)
            .map(|(name, t)| TierReport {
                tier: name.clone(),
                ranked: t.won.saturating_add(t.lost) >= self.min_closed_deals.max(1),
                outcomes: t.report(self.currency, Some(&overall)),
            })
            .collect();
        let criteria = self
            .criteria
            .iter()
            .zip(&self.matched)
            .map(|(name, m)| {
                // Every matched tally is part of the overall one, so these never go below 0.
                let o = &self.overall;
                let rest = GroupTally {
                    accounts: o.accounts.saturating_sub(m.accounts),
                    accounts_with_opportunity: o.accounts_with_opportunity.saturating_sub(m.accounts_with_opportunity),
                    opportunities: o.opportunities.saturating_sub(m.opportunities),
                    won: o.won.saturating_sub(m.won),
                    lost: o.lost.saturating_sub(m.lost),
                    won_amount: o.won_amount.checked_sub(m.won_amount).unwrap_or_default(),
                    won_cycle_seconds: o.won_cycle_seconds.saturating_sub(m.won_cycle_seconds),
                };
                CriterionReport {
                    criterion: name.clone(),
                    matched: m.report(self.currency, Some(&overall)),
                    not_matched: rest.report(self.currency, Some(&overall)),
                }
            })
            .collect();
        let ranked: Vec<&TierReport> = tiers.iter().filter(|t| t.ranked).collect();
        let inversions: Vec<TierInversion> = ranked
            .windows(2)
            .filter_map(|w| match w {
                [better, worse] if worse.outcomes.win_rate.value() > better.outcomes.win_rate.value() => {
                    Some(TierInversion { better: better.tier.clone(), worse: worse.tier.clone() })
                }
                _ => None,
            })
            .collect();
        RefinementReport {
            overall,
            monotonic: inversions.is_empty(),
            inversions,
            tiers,
            criteria,
            min_closed_deals: self.min_closed_deals,
        }
    }
}

impl crate::Tally for Refinement {
    type Fact = AccountOutcomes;
    type Output = RefinementReport;

    fn push(&mut self, fact: &AccountOutcomes) -> Result<(), Error> {
        Refinement::push(self, fact)
    }

    fn merge(&mut self, other: Refinement) -> Result<(), Error> {
        Refinement::merge(self, &other)
    }

    fn finish(self) -> Result<RefinementReport, Error> {
        Ok(Refinement::finish(&self))
    }
}

#[cfg(feature = "serde")]
mod state;

#[cfg(test)]
mod tests;
