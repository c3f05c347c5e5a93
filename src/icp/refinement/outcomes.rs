//! The facts a [`Refinement`](super::Refinement) reads: a [`ScoredAccount`] and its deals, as
//! [`AccountOutcomes`].

use crate::AccountId;
use crate::facts::{Account, Deal};
use crate::icp::{CriteriaSet, FitScore};

/// What refinement needs of a scored account: its tier and the criteria it matched. Build it
/// from a [`FitScore`] (`From`), or from stored scoring results (a warehouse table of past
/// tiers) with plain fields.
///
/// # Example
///
/// ```
/// use revops::facts::Account;
/// use revops::icp::{Condition, CriteriaSet, Icp, ScoredAccount};
/// use revops::AccountId;
///
/// let icp = Icp::builder("saas").points("software", Condition::industry_in(["software"]), 1).build()?;
/// let fit = icp.score(&Account { industry: Some("software".into()), ..Account::new(AccountId::new("acme")?) })?;
/// let stored = ScoredAccount { tier: Some(0), matched: CriteriaSet::from_indices([0])? }; // from a warehouse row
/// assert_eq!(ScoredAccount::from(&fit), stored);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct ScoredAccount {
    /// Tier index in the ICP's [`Tiers`](crate::icp::Tiers), 0 = best; `None` for an
    /// ungraded score (counted overall and per criterion, in no tier).
    pub tier: Option<usize>,
    /// Criteria the account matched.
    pub matched: CriteriaSet,
}

impl From<&FitScore> for ScoredAccount {
    fn from(fit: &FitScore) -> ScoredAccount {
        ScoredAccount { tier: fit.tier, matched: fit.matched }
    }
}

impl From<FitScore> for ScoredAccount {
    fn from(fit: FitScore) -> ScoredAccount {
        ScoredAccount::from(&fit)
    }
}

/// One scored account and all of its deals (the [`Deal`] facts, unchanged): what a
/// [`Refinement`](super::Refinement) reads, and its [`Tally`](crate::Tally) fact.
///
/// Build it from the facts with [`AccountOutcomes::from_facts`] (which picks the account's
/// deals out of a list), or with plain fields when the deals are grouped already; a deal
/// naming another account is refused on push, one naming no account is taken as given.
///
/// # Example
///
/// ```
/// use revops::facts::Account;
/// use revops::icp::{AccountOutcomes, Condition, Icp, ScoredAccount};
/// use revops::AccountId;
///
/// let icp = Icp::builder("saas").points("software", Condition::industry_in(["software"]), 1).build()?;
/// let acme = Account::new(AccountId::new("acme")?);
/// let outcomes = AccountOutcomes { account: acme.id.clone(), score: icp.score(&acme)?.into(), deals: vec![] };
/// assert_eq!(outcomes.score, ScoredAccount { tier: Some(3), matched: Default::default() });
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct AccountOutcomes {
    /// The account (a deal naming another one is an error on push).
    pub account: AccountId,
    /// The account's tier and matched criteria.
    pub score: ScoredAccount,
    /// Its deals (none for an account without opportunities).
    pub deals: Vec<Deal>,
}

impl AccountOutcomes {
    /// The outcomes of `account` derived from facts: its score (a [`FitScore`] or a stored
    /// [`ScoredAccount`]) and, in the order given, the deals among `deals` whose
    /// `account` is its id. Deals of other accounts, or naming none, are not its
    /// deals and are left out, so the same deal list can be passed for every account.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::facts::{Account, Deal, DealStatus};
    /// use revops::icp::{AccountOutcomes, Condition, Icp};
    /// use revops::{AccountId, Currency, Money, OpportunityId, Probability};
    ///
    /// let icp = Icp::builder("saas").points("software", Condition::industry_in(["software"]), 1).build()?;
    /// let acme = Account::new(AccountId::new("acme")?);
    /// let Some(at) = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single() else { return Ok(()) };
    /// let open = DealStatus::Open { probability: Probability::ZERO };
    /// let deal = |id: &str, account: &str| -> Result<Deal, revops::Error> {
    ///     let amount = Money::from_minor(100, Currency::USD);
    ///     Ok(Deal::new(OpportunityId::new(id)?, at, amount, open.clone()).account(Some(AccountId::new(account)?)))
    /// };
    /// let deals = [deal("o1", "acme")?, deal("o2", "globex")?, deal("o3", "acme")?];
    /// let outcomes = AccountOutcomes::from_facts(&acme, icp.score(&acme)?, &deals);
    /// let ids: Vec<&str> = outcomes.deals.iter().map(|d| d.id.as_str()).collect();
    /// assert_eq!(ids, ["o1", "o3"]);
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn from_facts<'d>(
        account: &Account,
        score: impl Into<ScoredAccount>,
        deals: impl IntoIterator<Item = &'d Deal>,
    ) -> AccountOutcomes {
        AccountOutcomes {
            account: account.id.clone(),
            score: score.into(),
            deals: deals.into_iter().filter(|d| d.account.as_ref() == Some(&account.id)).cloned().collect(),
        }
    }
}
