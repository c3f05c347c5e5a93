//! The tally behind the ICP review: each account's scores, its deals and the open deals'
//! contacts, joined by id at finish (so partitions merge whatever they hold).

use std::collections::{BTreeMap, BTreeSet};

use super::super::deals::{admit, currency};
use super::super::{Exclusion, Section, set_aside};
use super::{BuyingGroupCoverage, ExplainedAccount, SegmentReview};
use crate::agreement::{Agreement, IcpReview};
use crate::facts::{Account, Contact, Deal, DealStatus};
use crate::icp::{AccountOutcomes, CriteriaSet, Effect, FitScore, Icp, IcpSet, Refinement, ScoredAccount, Tiers};
use crate::{AccountId, ContactId, Currency, Error, ErrorKind, OpportunityId, Ratio, Record, SegmentId};

/// The explained account of a segment so far: the lowest tier index, then the smallest id.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Example {
    account: AccountId,
    name: Option<String>,
    fit: FitScore,
}

impl Example {
    fn key(&self) -> (usize, &AccountId) {
        (self.fit.tier, &self.account)
    }
}

#[derive(Clone, Debug)]
pub(super) struct ReviewTally<'a> {
    terms: &'a IcpReview,
    currency: Currency,
    /// The reviewed segments in set order, each profile under the board's tiers.
    segments: Vec<(&'a SegmentId, Icp)>,
    /// Per account scored: its score in each reviewed segment (tier under the board's tiers).
    scores: BTreeMap<AccountId, Vec<ScoredAccount>>,
    /// Accounts the section set aside (their deals are not reported again).
    unscored: BTreeSet<AccountId>,
    /// Per reviewed segment, the explained account so far.
    examples: Vec<Option<Example>>,
    /// The admitted deals naming an account, per account.
    deals: BTreeMap<AccountId, Vec<Deal>>,
    /// The admitted open deals and their contacts (distinct, sorted); only with a buying group.
    open: Vec<(OpportunityId, BTreeSet<ContactId>)>,
    /// The contacts pushed, by id; only with a buying group.
    contacts: BTreeMap<ContactId, Contact>,
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
            examples: vec![None; segments.len()],
            segments,
            scores: BTreeMap::new(),
            unscored: BTreeSet::new(),
            deals: BTreeMap::new(),
            open: Vec::new(),
            contacts: BTreeMap::new(),
            excluded: Vec::new(),
        }))
    }

    /// Notes an account the section set aside.
    pub(super) fn set_aside_account(&mut self, account: &AccountId) {
        self.unscored.insert(account.clone());
    }

    /// Adds a scored account: `fits` per segment, tiers already under the board's tiers.
    pub(super) fn push_account(&mut self, account: &Account, fits: &BTreeMap<SegmentId, FitScore>) {
        if self.scores.contains_key(&account.id) {
            return; // given twice: the first copy counts
        }
        let mut scores = Vec::with_capacity(self.segments.len());
        for ((segment, _), example) in self.segments.iter().zip(&mut self.examples) {
            let Some(fit) = fits.get(*segment) else { continue };
            scores.push(ScoredAccount::from(fit));
            let candidate = Example { account: account.id.clone(), name: account.name.clone(), fit: *fit };
            if example.as_ref().is_none_or(|e| candidate.key() < e.key()) {
                *example = Some(candidate);
            }
        }
        self.scores.insert(account.id.clone(), scores);
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
            self.contacts.entry(contact.id.clone()).or_insert_with(|| contact.clone());
        }
    }

    pub(super) fn merge(&mut self, other: ReviewTally<'_>) -> Result<(), Error> {
        if self.terms != other.terms || self.currency != other.currency || self.segments.len() != other.segments.len() {
            return Err(ErrorKind::DefinitionMismatch { tally: "scorecard icp review", field: "kpis.icp" }.into());
        }
        for (account, scores) in other.scores {
            self.scores.entry(account).or_insert(scores);
        }
        self.unscored.extend(other.unscored);
        for (mine, theirs) in self.examples.iter_mut().zip(other.examples) {
            if let Some(theirs) = theirs
                && mine.as_ref().is_none_or(|m| theirs.key() < m.key())
            {
                *mine = Some(theirs);
            }
        }
        for (account, deals) in other.deals {
            self.deals.entry(account).or_default().extend(deals);
        }
        self.open.extend(other.open);
        for (id, contact) in other.contacts {
            self.contacts.entry(id).or_insert(contact);
        }
        self.excluded.extend(other.excluded);
        Ok(())
    }

    /// The joins: the refinement and example per segment, the coverage; a deal naming an
    /// account no partition held, or an open deal naming an unknown contact, is set aside
    /// (strict: the error).
    pub(super) fn finish(mut self, strict: bool) -> Result<FinishedReview, Error> {
        for (account, deals) in &self.deals {
            if self.scores.contains_key(account) || self.unscored.contains(account) {
                continue;
            }
            for deal in deals {
                let error = ErrorKind::UnknownKey { kind: "account", key: account.to_string() }
                    .about(Record::Deal(deal.id.clone()));
                set_aside(strict, &mut self.excluded, Section::Icp, None, error)?;
            }
        }
        let mut segments = BTreeMap::new();
        for (i, ((segment, icp), example)) in self.segments.iter().zip(&self.examples).enumerate() {
            let mut refinement = Refinement::new(icp, self.currency, self.terms.min_closed_deals);
            for (account, scores) in &self.scores {
                let Some(score) = scores.get(i) else { continue };
                let deals = self.deals.get(account).cloned().unwrap_or_default();
                refinement.push(&AccountOutcomes { account: account.clone(), score: *score, deals })?;
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
        let (mut open, mut complete, mut multi) = (0u64, 0u64, 0u64);
        let mut roles_covered = Ratio::ZERO;
        let mut missing: BTreeMap<_, u64> = group.requirements().map(|r| (r.role, 0)).collect();
        for (deal, ids) in &self.open {
            let contacts: Option<Vec<&Contact>> = ids.iter().map(|id| self.contacts.get(id)).collect();
            let Some(contacts) = contacts else {
                let unknown = ids.iter().find(|id| !self.contacts.contains_key(*id)).map(ToString::to_string);
                let error = ErrorKind::UnknownKey { kind: "contact", key: unknown.unwrap_or_default() }
                    .about(Record::Deal(deal.clone()));
                set_aside(strict, &mut self.excluded, Section::Icp, None, error)?;
                continue;
            };
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
        tier: icp.tiers().name(fit.tier).unwrap_or_default().to_owned(),
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
