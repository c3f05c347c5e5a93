//! What a [`Refinement`](super::Refinement) finishes into: a [`RefinementReport`] of
//! [`GroupReport`]s per tier and per criterion.

use rust_decimal::Decimal;

use crate::{Money, Ratio};

/// Outcomes of one group of accounts (a tier, the accounts matching a criterion, or all).
///
/// - `opportunity_rate` = accounts with at least one opportunity / accounts;
/// - `win_rate` = won / (won + lost): closed deals only;
/// - `average_deal_size` = won amount / won deals, rounded half away from zero to the
///   currency's minor unit (`None` without wins);
/// - `average_cycle_days` = mean of `closed_at - created_at` over won deals, in days of 86,400
///   seconds, one decimal (`None` without wins);
/// - `*_lift` = the group's rate / the overall rate, two decimals (`None` when either is
///   undefined or the overall rate is zero); the overall group has no lift.
/// - Beside each rounded figure, `*_exact` is the same quotient exactly (a [`Ratio`] of
///   decimals, `None` exactly when the rounded one is): a lift of `a/n` over `A/N` is
///   `a x N / (n x A)`, the deal size `won amount / won`, the cycle `won seconds / (won x
///   86,400)`. The rounded figure is the exact value rounded. Counts whose products leave
///   `Decimal`'s 96 bits (beyond 2^48 each) leave both `None`.
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
/// let a = &report.tiers[0].outcomes;
/// assert_eq!((a.accounts, a.opportunities, a.won, a.lost, a.open), (1, 1, 1, 0, 0));
/// assert_eq!(a.win_rate, Ratio::new(1, 1));
/// assert_eq!(a.win_rate_lift.map(|l| l.to_string()).as_deref(), Some("2.00")); // 1 / (1/2)
/// assert_eq!(a.win_rate_lift_exact.map(|l| l.to_string()).as_deref(), Some("2/1 (200.0%)")); // 1 x 2 / (1 x 1)
/// assert_eq!(a.average_deal_size, Some(usd(50_000)));
/// assert_eq!(a.average_cycle_days.map(|d| d.to_string()).as_deref(), Some("60.0"));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct GroupReport {
    /// Accounts in the group.
    pub accounts: u64,
    /// Opportunities of those accounts.
    pub opportunities: u64,
    /// Won deals.
    pub won: u64,
    /// Lost deals.
    pub lost: u64,
    /// Open deals.
    pub open: u64,
    /// Accounts with an opportunity / accounts.
    pub opportunity_rate: Ratio,
    /// Opportunity rate / overall opportunity rate.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str_option"))]
    pub opportunity_rate_lift: Option<Decimal>,
    /// `opportunity_rate_lift` exactly.
    pub opportunity_rate_lift_exact: Option<Ratio<Decimal>>,
    /// Won / closed.
    pub win_rate: Ratio,
    /// Win rate / overall win rate.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str_option"))]
    pub win_rate_lift: Option<Decimal>,
    /// `win_rate_lift` exactly.
    pub win_rate_lift_exact: Option<Ratio<Decimal>>,
    /// Sum of won amounts.
    pub won_amount: Money,
    /// Mean won amount.
    pub average_deal_size: Option<Money>,
    /// `average_deal_size` exactly (major units).
    pub average_deal_size_exact: Option<Ratio<Decimal>>,
    /// Mean created-to-won days.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str_option"))]
    pub average_cycle_days: Option<Decimal>,
    /// `average_cycle_days` exactly.
    pub average_cycle_days_exact: Option<Ratio<Decimal>>,
}

/// One tier's outcomes.
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
/// let names: Vec<(&str, bool)> = report.tiers.iter().map(|t| (t.tier.as_str(), t.ranked)).collect();
/// assert_eq!(names, [("A", true), ("B", false), ("C", false), ("D", true)]); // B and C have no closed deal
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct TierReport {
    /// The tier's name.
    pub tier: String,
    /// False when the tier has fewer closed deals than the minimum sample (or none at all):
    /// flagged, and left out of the monotonicity check.
    pub ranked: bool,
    /// Its outcomes.
    pub outcomes: GroupReport,
}

/// One criterion's outcomes: accounts that matched it against those that did not.
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
/// let software = &report.criteria[0];
/// assert_eq!(software.criterion, "software");
/// assert_eq!((software.matched.win_rate, software.not_matched.win_rate), (Ratio::new(1, 1), Ratio::new(0, 1)));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CriterionReport {
    /// The criterion's name.
    pub criterion: String,
    /// Accounts where it matched.
    pub matched: GroupReport,
    /// Accounts where it missed or was unknown.
    pub not_matched: GroupReport,
}

/// Two ranked tiers whose win rates are in the wrong order.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::{Account, Deal, DealStatus, Reason};
/// use revops::icp::{AccountOutcomes, Condition, Icp, Refinement};
/// use revops::{AccountId, Currency, Money, OpportunityId};
///
/// let icp = Icp::builder("saas").points("software", Condition::industry_in(["software"]), 1).build()?;
/// let Some(at) = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single() else { return Ok(()) };
/// let mut refinement = Refinement::new(&icp, Currency::USD, 1);
/// for (id, industry, status) in [("acme", "software", DealStatus::lost(Reason::Price)), ("initech", "retail", DealStatus::Won)] {
///     let account = Account { industry: Some(industry.into()), ..Account::new(AccountId::new(id)?) };
///     let deal = Deal::new(OpportunityId::new(format!("o-{id}"))?, at, Money::from_minor(100, Currency::USD), status).closed_at(Some(at));
///     refinement.push(&AccountOutcomes { account: account.id.clone(), score: icp.score(&account)?.into(), deals: vec![deal] })?;
/// }
/// let report = refinement.finish();
/// assert!(!report.monotonic); // tier D wins more often than tier A
/// let inversions: Vec<(&str, &str)> = report.inversions.iter().map(|i| (i.better.as_str(), i.worse.as_str())).collect();
/// assert_eq!(inversions, [("A", "D")]);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct TierInversion {
    /// The better tier (by definition order).
    pub better: String,
    /// The next ranked tier, which wins more often.
    pub worse: String,
}

/// The refinement report: does the ICP pick who actually closes?
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
/// assert_eq!(report.overall.opportunity_rate, Ratio::new(2, 2));
/// assert_eq!(report.overall.win_rate, Ratio::new(1, 2));
/// assert!(report.monotonic && report.inversions.is_empty()); // A wins more often than D
/// assert_eq!(report.min_closed_deals, 1);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct RefinementReport {
    /// Every account pushed.
    pub overall: GroupReport,
    /// Per tier, best first.
    pub tiers: Vec<TierReport>,
    /// Per criterion, in definition order.
    pub criteria: Vec<CriterionReport>,
    /// The minimum of closed deals for a tier to be ranked.
    pub min_closed_deals: u64,
    /// Whether the win rates of ranked tiers never increase from a better tier to the next
    /// ranked one (ties allowed).
    pub monotonic: bool,
    /// Adjacent ranked tiers in the wrong order.
    pub inversions: Vec<TierInversion>,
}
