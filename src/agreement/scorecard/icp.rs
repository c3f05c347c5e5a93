//! The ICP section: how many accounts fall in each fit-score tier, per segment; and, under the
//! agreement's ICP review ([`IcpReview`](crate::agreement::IcpReview)), who actually closes by
//! tier and by criterion, one explained score per segment, and the buying-group coverage of
//! the open deals.
//!
//! The review joins each account with its deals and each open deal with its contacts. The
//! join is by id, kept in the tally, so partitions may hold an account, its deals and its
//! contacts apart: they merge to the section of one pass.
//!
//! Accounts are counted at finish, by id ([`Copies`]): an account given twice (in two
//! partitions, or twice in one) with the same name and fit scores counts once, in the tiers
//! and in the review; one given with copies that differ there is set aside (kind
//! `InconsistentRecord`, naming the account), counts in no tier, and its deals are read by no
//! review (they are not reported again). An account whose scoring fails is set aside once,
//! whatever its copies. Contacts (read by the coverage) are kept the same way: a contact given
//! with differing copies is set aside, and the open deals naming it are covered without it.
//! A deal given twice is read twice (deals count as given).

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::copies::{Copies, conflict};
use super::{Exclusion, Section, set_aside};
use crate::agreement::Agreement;
use crate::facts::{BuyingRole, FactSet};
use crate::icp::{FitScore, IcpSet, RefinementReport, RoleRequirement, Tiers};
use crate::{AccountId, Error, ErrorKind, Ratio, Record, SegmentId};

mod review;

/// One tier's count.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierCount {
    /// The tier's name.
    pub tier: String,
    /// The lowest score it holds.
    pub min_score: Decimal,
    /// Accounts in it, over every account scored.
    pub accounts: Ratio,
}

/// The tier distribution of one ICP segment, and its review when the agreement reviews it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentTiers {
    /// The ICP's name.
    pub icp: String,
    /// Its criteria.
    pub criteria: u64,
    /// The points its weighted criteria can earn together.
    pub points_attainable: u64,
    /// Accounts scored.
    pub accounts: u64,
    /// Per tier, best first.
    pub tiers: Vec<TierCount>,
    /// Accounts whose score is below the lowest tier of a scheme that starts above 0 (in no
    /// tier); always 0, and left out of the wire, when the lowest tier starts at 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub ungraded: u64,
    /// Accounts a disqualifier fired on (they score 0, in the lowest tier, or ungraded when it
    /// starts above 0).
    pub disqualified: u64,
    /// Accounts not disqualified that miss a must-have (also score 0).
    pub missing_must_have: u64,
    /// The review of the segment (none unless [`IcpReview`](crate::agreement::IcpReview)
    /// covers it).
    pub review: Option<SegmentReview>,
}

/// The review of one segment: one explained score, and who closes by tier and by criterion.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentReview {
    /// The account of the best tier any account reached with the smallest id, explained
    /// (none without accounts).
    pub example: Option<ExplainedAccount>,
    /// Outcomes by tier (the board's tiers), overall, the tier-order check and the lift by
    /// criterion, from [`Refinement`](crate::icp::Refinement) over every scored account and
    /// the deals naming it.
    pub outcomes: RefinementReport,
}

/// One account's fit score in words: the names of the criteria it matched and missed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExplainedAccount {
    /// The account.
    pub account: AccountId,
    /// Its display name, if the facts give one.
    pub name: Option<String>,
    /// Its tier's name; `None` when its score is ungraded (below the lowest tier of a scheme
    /// that starts above 0).
    pub tier: Option<String>,
    /// Points earned.
    pub points: u64,
    /// Points attainable.
    pub max_points: u64,
    /// The normalised score, 0 to 100.
    #[serde(with = "crate::money::exact::str")]
    pub score: Decimal,
    /// Criteria matched (disqualifiers left out: see `disqualified_by`), in definition order.
    pub matched: Vec<String>,
    /// Weighted criteria and must-haves missed, in definition order.
    pub missed: Vec<String>,
    /// Criteria whose facts are unknown for the account.
    pub unknown: Vec<String>,
    /// Disqualifiers that did not fire.
    pub disqualifiers_not_firing: Vec<String>,
    /// The disqualifier that fired, if any.
    pub disqualified_by: Option<String>,
}

/// The buying-group coverage of the open deals: each open deal's contacts
/// ([`Deal::contacts`](crate::facts::Deal::contacts)) against the review's buying group
/// ([`BuyingGroup::coverage`](crate::icp::BuyingGroup::coverage)).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuyingGroupCoverage {
    /// The roles required, in role order.
    pub requirements: Vec<RoleRequirement>,
    /// Open deals read.
    pub open_deals: u64,
    /// Open deals with every required role covered.
    pub complete: Ratio,
    /// Required roles covered, summed over the open deals.
    pub roles_covered: Ratio,
    /// Open deals with two or more contacts in some required role.
    pub multi_threaded: Ratio,
    /// Per required role, the open deals missing it.
    pub missing: BTreeMap<BuyingRole, Ratio>,
}

/// Fit-score tiers of the accounts, per ICP segment: the agreement's [`Tiers`] when it has
/// them, else each profile's own; and the review of the agreement's
/// [`IcpReview`](crate::agreement::IcpReview), if any. Its plain-text rendering is its
/// `Display`.
///
/// # Example
///
/// ```
/// use revops::testkit::{Company, sample_agreement};
///
/// let company = Company::new(42, 400)?;
/// let card = sample_agreement()?.evaluate(&company.facts(), company.as_of())?;
/// let section = card.icp.as_ref();
/// let core = revops::SegmentId::new("core")?;
/// let core = section.and_then(|s| s.segments.get(&core));
/// assert_eq!(core.map(|s| s.accounts), Some(company.account_count() as u64));
/// let review = core.and_then(|s| s.review.as_ref());
/// assert_eq!(review.map(|r| r.outcomes.overall.accounts), Some(company.account_count() as u64));
/// let coverage = section.and_then(|s| s.coverage.as_ref());
/// assert!(coverage.is_some_and(|c| c.complete.denominator() == c.open_deals));
/// assert!(section.is_some_and(|s| s.to_string().contains("outcomes by tier")));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IcpSection {
    /// Per segment, in segment order.
    pub segments: BTreeMap<SegmentId, SegmentTiers>,
    /// The buying-group coverage of the open deals (none unless the review defines a buying
    /// group).
    pub coverage: Option<BuyingGroupCoverage>,
    /// Records set aside, sorted.
    pub excluded: Vec<Exclusion>,
}

/// What the section reads of one account copy: its scores, or why scoring failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Scored {
    /// Its display name and fit score per segment, tiers under the board's tiers.
    Fits(Option<String>, BTreeMap<SegmentId, FitScore>),
    /// Scoring failed: the error, about the account.
    Failed(Error),
}

#[derive(Clone, Debug)]
pub(super) struct IcpTally<'a> {
    set: &'a IcpSet,
    tiers: Option<&'a Tiers>,
    /// Every account pushed, by id, counted at finish.
    accounts: Copies<AccountId, Scored>,
    review: Option<review::ReviewTally<'a>>,
    excluded: Vec<Exclusion>,
}

const OVERFLOW: ErrorKind = ErrorKind::Overflow { op: "scorecard icp count" };

fn bump(n: &mut u64, by: bool) -> Result<(), Error> {
    *n = n.checked_add(u64::from(by)).ok_or(OVERFLOW)?;
    Ok(())
}

impl<'a> IcpTally<'a> {
    /// The tally of `agreement`'s ICP section; `None` without an ICP set.
    pub(super) fn new(agreement: &'a Agreement) -> Result<Option<IcpTally<'a>>, Error> {
        let parts = agreement.parts();
        let Some(set) = &parts.icp else { return Ok(None) };
        let tiers = parts.tiers.as_ref();
        let review = review::ReviewTally::new(agreement, set, tiers)?;
        Ok(Some(IcpTally { set, tiers, accounts: Copies::default(), review, excluded: Vec::new() }))
    }

    /// Adds the partition's accounts (tier counts and review, at finish), deals and contacts
    /// (review); strict: an account whose scoring fails is the error.
    pub(super) fn push(&mut self, facts: &FactSet, strict: bool) -> Result<(), Error> {
        for account in &facts.accounts {
            // Score every segment first, so a failing account counts in none.
            let scored = match self.set.score(account) {
                Ok(mut fits) => {
                    for fit in fits.values_mut() {
                        fit.tier = self.tiers.map_or(fit.tier, |t| t.tier_of(fit.score));
                    }
                    Scored::Fits(account.name.clone(), fits)
                }
                Err(error) => {
                    let error = error.about(Record::Account(account.id.clone()));
                    if strict {
                        return Err(error);
                    }
                    Scored::Failed(error)
                }
            };
            self.accounts.insert(account.id.clone(), scored);
        }
        if let Some(review) = &mut self.review {
            review.push_deals(&facts.deals, strict)?;
            review.push_contacts(&facts.contacts);
        }
        Ok(())
    }

    pub(super) fn merge(&mut self, other: IcpTally<'_>) -> Result<(), Error> {
        if self.set != other.set || self.tiers != other.tiers {
            return Err(ErrorKind::DefinitionMismatch { tally: "scorecard icp", field: "segments" }.into());
        }
        self.accounts.merge(other.accounts);
        match (&mut self.review, other.review) {
            (Some(mine), Some(theirs)) => mine.merge(theirs)?,
            (None, None) => {}
            _ => return Err(ErrorKind::DefinitionMismatch { tally: "scorecard icp", field: "kpis.icp" }.into()),
        }
        self.excluded.extend(other.excluded);
        Ok(())
    }

    /// The section; in strict mode, the first record the review's joins set aside is the error.
    pub(super) fn finish(mut self, strict: bool) -> Result<IcpSection, Error> {
        for id in self.accounts.conflicted() {
            set_aside(strict, &mut self.excluded, Section::Icp, None, conflict(Record::Account(id.clone())))?;
        }
        // Per segment: accounts, per-tier counts, disqualified, missing a must-have.
        // The per-tier counts hold one more slot at the end: the ungraded accounts.
        let mut counts: BTreeMap<&SegmentId, (u64, Vec<u64>, u64, u64)> = self
            .set
            .iter()
            .map(|(segment, icp)| (segment, (0, vec![0; self.tiers.unwrap_or(icp.tiers()).len() + 1], 0, 0)))
            .collect();
        for (_, scored) in self.accounts.singles() {
            let fits = match scored {
                Scored::Fits(_, fits) => fits,
                Scored::Failed(error) => {
                    set_aside(strict, &mut self.excluded, Section::Icp, None, error.clone())?;
                    continue;
                }
            };
            for (segment, fit) in fits {
                let Some((accounts, per_tier, disqualified, missing)) = counts.get_mut(segment) else { continue };
                bump(accounts, true)?;
                let slot = fit.tier.unwrap_or(per_tier.len().saturating_sub(1));
                if let Some(n) = per_tier.get_mut(slot) {
                    bump(n, true)?;
                }
                bump(disqualified, fit.disqualified_by.is_some())?;
                bump(missing, fit.disqualified_by.is_none() && !fit.must_haves_missed.is_empty())?;
            }
        }
        let (mut reviews, coverage) = match self.review {
            Some(review) => {
                let finished = review.finish(&self.accounts, strict)?;
                self.excluded.extend(finished.excluded);
                (finished.segments, finished.coverage)
            }
            None => (BTreeMap::new(), None),
        };
        let mut segments = BTreeMap::new();
        for (segment, icp) in self.set.iter() {
            let Some((accounts, mut per_tier, disqualified, missing)) = counts.remove(segment) else { continue };
            let ungraded = per_tier.pop().unwrap_or(0);
            let tiers = self.tiers.unwrap_or(icp.tiers());
            let tiers = tiers
                .as_slice()
                .iter()
                .zip(per_tier)
                .map(|(t, n)| TierCount {
                    tier: t.name.clone(),
                    min_score: t.min_score,
                    accounts: Ratio::new(n, accounts),
                })
                .collect();
            let row = SegmentTiers {
                icp: icp.name().to_owned(),
                criteria: u64::try_from(icp.criteria().len()).map_err(|_| OVERFLOW)?,
                points_attainable: icp.total_points(),
                accounts,
                tiers,
                ungraded,
                disqualified,
                missing_must_have: missing,
                review: reviews.remove(segment),
            };
            segments.insert(segment.clone(), row);
        }
        self.excluded.sort();
        Ok(IcpSection { segments, coverage, excluded: self.excluded })
    }
}

/// Serde's `skip_serializing_if` for a count that is usually zero.
#[allow(clippy::trivially_copy_pass_by_ref, reason = "serde passes the field by reference")]
fn is_zero(n: &u64) -> bool {
    *n == 0
}
