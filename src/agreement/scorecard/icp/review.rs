//! The tally behind the ICP review: each account's scores, its deals and the open deals'
//! contacts, joined by id at finish (so partitions merge whatever they hold). The accounts are
//! the section's ([`Scored`] copies by id); the contacts are kept by id here the same way.

use std::collections::{BTreeMap, BTreeSet};

use super::super::copies::{Copies, conflict};
use super::super::deals::{admit, currency};
use super::super::{Exclusion, Section, set_aside};
use super::{BuyingGroupCoverage, ExplainedAccount, Scored, SegmentReview};
use crate::agreement::{Agreement, IcpReview};
use crate::facts::{Contact, Deal, DealStatus};
use crate::icp::{AccountOutcomes, CriteriaSet, Effect, FitScore, Icp, IcpSet, Refinement, ScoredAccount, Tiers};
use crate::{AccountId, ContactId, Currency, Error, ErrorKind, OpportunityId, Ratio, Record, SegmentId};

/// The explained account of a segment: the lowest tier index, then the smallest id.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Example {
    account: AccountId,
    name: Option<String>,
    fit: FitScore,
}

#[derive(Clone, Debug)]
pub(super) struct ReviewTally<'a> {
    terms: &'a IcpReview,
    currency: Currency,
    /// The reviewed segments in set order, each profile under the board's tiers.
    segments: Vec<(&'a SegmentId, Icp)>,
    /// The admitted deals naming an account, per account.
    deals: BTreeMap<AccountId, Vec<Deal>>,
    /// The admitted open deals and their contacts (distinct, sorted); only with a buying group.
    open: Vec<(OpportunityId, BTreeSet<ContactId>)>,
    /// The contacts pushed, by id; only with a buying group.
    contacts: Copies<ContactId, Contact>,
    excluded: Vec<Exclusion>,
}

/// What the review finishes into.
pub(super) struct FinishedReview {
    pub(super) segments: BTreeMap<SegmentId, SegmentReview>,
    pub(super) coverage: Option<BuyingGroupCoverage>,
    pub(super) excluded: Vec<Exclusion>,
}

const OVERFLOW: ErrorKind = ErrorKind::Overflow { op: "scorecard icp review" };

fn add(n: &mut u64, by: u64) -> Result<(), Error> {
    *n = n.checked_add(by).ok_or(OVERFLOW)?;
    Ok(())
}

impl<'a> ReviewTally<'a> {
    /// The review of `agreement`'s [`IcpReview`] over `set`; `None` without one.
    pub(super) fn new(
        agreement: &'a Agreement,
        set: &'a IcpSet,
        tiers: Option<&'a Tiers>,
    ) -> Result<Option<ReviewTally<'a>>, Error> {
        let Some(terms) = &agreement.parts().kpis.icp else { return Ok(None) };
        let segments = set
            .iter()
            .filter(|(segment, _)| terms.reviews(segment))
            .map(|(segment, icp)| Ok((segment, tiers.map_or_else(|| Ok(icp.clone()), |t| with_tiers(icp, t))?)))
            .collect::<Result<Vec<(&SegmentId, Icp)>, Error>>()?;
        Ok(Some(ReviewTally {
            terms,
            currency: currency(agreement)?,
            segments,
            deals: BTreeMap::new(),
            open: Vec::new(),
            contacts: Copies::default(),
            excluded: Vec::new(),
        }))
    }

    /// Adds the deals: each admitted one under its account, and the open ones with their
    /// contacts; a deal that fails [`admit`] is set aside (strict: the error).
    pub(super) fn push_deals(&mut self, deals: &[Deal], strict: bool) -> Result<(), Error> {
        for deal in deals {
            if let Err(error) = admit(deal, Some(self.currency)) {
                set_aside(strict, &mut self.excluded, Section::Icp, None, error)?;
                continue;
            }
            if self.terms.buying_group.is_some() && matches!(deal.status, DealStatus::Open { .. }) {
                self.open.push((deal.id.clone(), deal.contacts.iter().cloned().collect()));
            }
            if let Some(account) = &deal.account {
                self.deals.entry(account.clone()).or_default().push(deal.clone());
            }
        }
        Ok(())
    }

    /// Adds the contacts (read by the coverage only).
    pub(super) fn push_contacts(&mut self, contacts: &[Contact]) {
        if self.terms.buying_group.is_none() {
            return;
        }
        for contact in contacts {
            self.contacts.insert(contact.id.clone(), contact.clone());
        }
    }

    pub(super) fn merge(&mut self, other: ReviewTally<'_>) -> Result<(), Error> {
        if self.terms != other.terms || self.currency != other.currency || self.segments.len() != other.segments.len() {
            return Err(ErrorKind::DefinitionMismatch { tally: "scorecard icp review", field: "kpis.icp" }.into());
        }
        for (account, deals) in other.deals {
            self.deals.entry(account).or_default().extend(deals);
        }
        self.open.extend(other.open);
        self.contacts.merge(other.contacts);
        self.excluded.extend(other.excluded);
        Ok(())
    }

    /// The joins over the section's `accounts`: the refinement and example per segment, the
    /// coverage; a deal naming an account no partition held, or an open deal naming an
    /// unknown contact, is set aside, and so is a contact given in differing copies
    /// (strict: the error).
    pub(super) fn finish(
        mut self,
        accounts: &Copies<AccountId, Scored>,
        strict: bool,
    ) -> Result<FinishedReview, Error> {
        for (account, deals) in &self.deals {
            if accounts.contains(account) {
                continue;
            }
            for deal in deals {
                let error = ErrorKind::UnknownKey { kind: "account", key: account.to_string() }
                    .about(Record::Deal(deal.id.clone()));
                set_aside(strict, &mut self.excluded, Section::Icp, None, error)?;
            }
        }
        let mut segments = BTreeMap::new();
        for (segment, icp) in &self.segments {
            let mut refinement = Refinement::new(icp, self.currency, self.terms.min_closed_deals);
            let mut example: Option<Example> = None;
            for (account, scored) in accounts.singles() {
                let Scored::Fits(name, fits) = scored else { continue };
                let Some(fit) = fits.get(*segment) else { continue };
                let deals = self.deals.get(account).cloned().unwrap_or_default();
                refinement.push(&AccountOutcomes {
                    account: account.clone(),
                    score: ScoredAccount::from(fit),
                    deals,
                })?;
                // Accounts come in id order: the first of the best tier is the smallest id; an
                // ungraded score ranks after every tier.
                let rank = |fit: &FitScore| fit.tier.unwrap_or(usize::MAX);
                if example.as_ref().is_none_or(|e| rank(fit) < rank(&e.fit)) {
                    example = Some(Example { account: account.clone(), name: name.clone(), fit: *fit });
                }
            }
            let review =
                SegmentReview { example: example.as_ref().map(|e| explain(icp, e)), outcomes: refinement.finish() };
            segments.insert((*segment).clone(), review);
        }
        let coverage = self.coverage(strict)?;
        self.excluded.sort();
        Ok(FinishedReview { segments, coverage, excluded: self.excluded })
    }

    fn coverage(&mut self, strict: bool) -> Result<Option<BuyingGroupCoverage>, Error> {
        let Some(group) = &self.terms.buying_group else { return Ok(None) };
        for id in self.contacts.conflicted() {
            set_aside(strict, &mut self.excluded, Section::Icp, None, conflict(Record::Contact(id.clone())))?;
        }
        let (mut open, mut complete, mut multi) = (0u64, 0u64, 0u64);
        let mut roles_covered = Ratio::ZERO;
        let mut missing: BTreeMap<_, u64> = group.requirements().map(|r| (r.role, 0)).collect();
        for (deal, ids) in &self.open {
            if let Some(unknown) = ids.iter().find(|id| !self.contacts.contains(id)) {
                let error = ErrorKind::UnknownKey { kind: "contact", key: unknown.to_string() }
                    .about(Record::Deal(deal.clone()));
                set_aside(strict, &mut self.excluded, Section::Icp, None, error)?;
                continue;
            }
            // A contact given in differing copies (set aside above) is left out of the deal.
            let contacts: Vec<&Contact> = ids.iter().filter_map(|id| self.contacts.get(id)).collect();
            let coverage = group.coverage(contacts);
            add(&mut open, 1)?;
            add(&mut complete, u64::from(coverage.is_complete()))?;
            add(&mut multi, u64::from(!coverage.multi_threaded.is_empty()))?;
            roles_covered = roles_covered.checked_combine(coverage.ratio)?;
            for role in coverage.missing {
                if let Some(n) = missing.get_mut(&role) {
                    add(n, 1)?;
                }
            }
        }
        Ok(Some(BuyingGroupCoverage {
            requirements: group.requirements().collect(),
            open_deals: open,
            complete: Ratio::new(complete, open),
            roles_covered,
            multi_threaded: Ratio::new(multi, open),
            missing: missing.into_iter().map(|(role, n)| (role, Ratio::new(n, open))).collect(),
        }))
    }
}

/// `icp` under `tiers` (the agreement's tiers replace each profile's own).
fn with_tiers(icp: &Icp, tiers: &Tiers) -> Result<Icp, Error> {
    let builder = Icp::builder(icp.name()).tiers(tiers.clone()).unknown(icp.unknown_policy());
    icp.criteria().iter().fold(builder, |b, c| b.criterion(c.clone())).build()
}

/// The example's score in words, under `icp` (the board's tiers).
fn explain(icp: &Icp, e: &Example) -> ExplainedAccount {
    let names = |set: CriteriaSet, disqualifiers: bool| -> Vec<String> {
        let is_dq = |i: &usize| icp.criteria().get(*i).is_some_and(|c| matches!(c.effect, Effect::Disqualifier));
        let picked = set.iter().filter(|i| is_dq(i) == disqualifiers);
        picked.filter_map(|i| icp.criteria().get(i)).map(|c| c.name.clone()).collect()
    };
    let fit = &e.fit;
    ExplainedAccount {
        account: e.account.clone(),
        name: e.name.clone(),
        tier: icp.tiers().name(fit.tier).map(str::to_owned),
        points: fit.points,
        max_points: fit.max_points,
        score: fit.score,
        matched: names(fit.matched, false),
        missed: names(fit.missed, false),
        unknown: fit.unknown.iter().filter_map(|i| icp.criteria().get(i)).map(|c| c.name.clone()).collect(),
        disqualifiers_not_firing: names(fit.missed, true),
        disqualified_by: fit.disqualified_by.and_then(|i| icp.criteria().get(i)).map(|c| c.name.clone()),
    }
}
