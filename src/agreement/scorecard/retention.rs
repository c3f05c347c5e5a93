//! Retention on the board ([`RetentionSection`]): the [`Retention`] of the facts' recurring
//! revenue under the agreement's [`RetentionKpiTerms`], customers tiered by their ICP fit.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::copies::{Copies, conflict};
use super::deals::currency;
use super::{Exclusion, Section, set_aside};
use crate::agreement::{Agreement, RetentionKpiTerms};
use crate::facts::FactSet;
use crate::metrics::{Retention, RetentionTally, RetentionTerms};
use crate::{AccountId, Error, ErrorKind, Record, SegmentId, Tally};

/// Retention of the customers' recurring revenue ([`RetentionKpiTerms`], echoed in `terms`):
/// the output of [`RetentionTally`] over the facts'
/// [`recurring_revenue`](crate::facts::FactSet::recurring_revenue) in the board's currency,
/// with each customer's tier the tier of its account's fit score in `segment`. Its plain-text
/// rendering is its `Display`.
///
/// - **Bad records**: a fact the tally refuses (a negative MRR, another currency) is set aside
///   as an [`Exclusion`] of section `retention` naming the account, and the account's history
///   is read without it. A fact given twice (equal copies, in one partition or two) counts
///   once; an account with two different MRRs at one instant is set aside (kind
///   `InconsistentRecord`), none of its facts counting.
/// - **Tiers**: an account the ICP cannot score, or given in copies that differ, has no tier
///   here (the ICP section sets it aside); so has a customer without an account fact.
///
/// # Example
///
/// ```
/// use revops::testkit::{Company, sample_agreement};
///
/// let company = Company::new(42, 2_000)?;
/// let card = sample_agreement()?.evaluate(&company.facts(), company.as_of())?;
/// let section = card.retention.as_ref().ok_or("the sample agreement defines it")?;
/// let total = &section.retention.total;
/// // The movements reconcile the start MRR to the end MRR.
/// let end = total.start_mrr.checked_add(total.expansion)?.checked_sub(total.contraction)?.checked_sub(total.churn)?;
/// assert_eq!(end, total.end_mrr);
/// // The tiers partition the customers.
/// assert_eq!(section.retention.by_tier.values().map(|r| r.customers).sum::<u64>(), total.customers);
/// assert!(section.to_string().contains("net revenue retention"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionSection {
    /// The terms, as the agreement defines them.
    pub terms: RetentionKpiTerms,
    /// The ICP segment whose tiers group the customers (`None`: the agreement has no ICP set).
    pub segment: Option<SegmentId>,
    /// The retention: total, by acquisition cohort, by tier (`None`: no tier), cohort curves,
    /// under the resolved [`RetentionTerms`] (`retention.terms`).
    pub retention: Retention,
    /// Facts set aside, sorted.
    pub excluded: Vec<Exclusion>,
}

/// The accumulator of the retention section. Its state serializes (the tally's own validated
/// state, the accounts' tiers, the exclusions), and a state read back merges as the original.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RetentionSectionTally {
    terms: RetentionKpiTerms,
    segment: Option<SegmentId>,
    tally: RetentionTally,
    /// Each account's tier in `segment` (`None`: ungraded or not scorable), by copy.
    tiers: Copies<AccountId, Option<String>>,
    excluded: Vec<Exclusion>,
}

impl RetentionSectionTally {
    /// The tally of `agreement`'s retention as of `as_of`; `None` unless defined.
    ///
    /// Errors: the window's ([`ReportWindow::resolve`](crate::agreement::ReportWindow::resolve))
    /// and [`RetentionTerms::new`]'s (a period ending after `as_of`).
    pub(super) fn new(agreement: &Agreement, as_of: DateTime<Utc>) -> Result<Option<RetentionSectionTally>, Error> {
        let Some(terms) = &agreement.parts().kpis.retention else { return Ok(None) };
        let zone = agreement.reporting_zone();
        let period = terms.period.resolve(as_of, zone)?;
        let metric = RetentionTerms::new(period.start(), period.end(), as_of, terms.cohort.bucket(), zone)?;
        let segment = match (&agreement.parts().icp, &terms.segment) {
            (Some(_), Some(segment)) => Some(segment.clone()),
            (Some(set), None) => set.iter().next().map(|(segment, _)| segment.clone()),
            (None, _) => None,
        };
        Ok(Some(RetentionSectionTally {
            terms: terms.clone(),
            segment,
            tally: RetentionTally::new(metric, currency(agreement)?, BTreeMap::new()),
            tiers: Copies::default(),
            excluded: Vec::new(),
        }))
    }

    /// Adds the partition's accounts (their tiers) and recurring revenue; a fact the tally
    /// refuses is set aside (strict: the error).
    pub(super) fn push(&mut self, agreement: &Agreement, facts: &FactSet, strict: bool) -> Result<(), Error> {
        let parts = agreement.parts();
        if let Some(icp) = self.segment.as_ref().and_then(|s| parts.icp.as_ref()?.get(s)) {
            let tiers = parts.tiers.as_ref().unwrap_or(icp.tiers());
            for account in &facts.accounts {
                let tier = icp.score(account).ok().and_then(|fit| {
                    let index = parts.tiers.as_ref().map_or(fit.tier, |t| t.tier_of(fit.score))?;
                    tiers.as_slice().get(index).map(|t| t.name.clone())
                });
                self.tiers.insert(account.id.clone(), tier);
            }
        }
        for fact in &facts.recurring_revenue {
            if let Err(error) = self.tally.push(fact) {
                if error.record().is_none() {
                    return Err(error); // an overflow: no record to set aside
                }
                set_aside(strict, &mut self.excluded, Section::Retention, None, error)?;
            }
        }
        Ok(())
    }

    /// # Errors
    ///
    /// [`ErrorKind::DefinitionMismatch`] (tally `"scorecard retention"`, field `terms`) for
    /// another definition; the tally's merge errors.
    pub(super) fn merge(&mut self, other: RetentionSectionTally) -> Result<(), Error> {
        if self.terms != other.terms || self.segment != other.segment {
            return Err(ErrorKind::DefinitionMismatch { tally: "scorecard retention", field: "terms" }.into());
        }
        self.tally.merge(other.tally)?;
        self.tiers.merge(other.tiers);
        self.excluded.extend(other.excluded);
        Ok(())
    }

    /// The section; in strict mode an account with conflicting facts is the error.
    pub(super) fn finish(mut self, strict: bool) -> Result<RetentionSection, Error> {
        for account in self.tally.remove_conflicts() {
            set_aside(strict, &mut self.excluded, Section::Retention, None, conflict(Record::Account(account)))?;
        }
        let tiers: BTreeMap<AccountId, String> =
            self.tiers.singles().filter_map(|(id, tier)| Some((id.clone(), tier.clone()?))).collect();
        let retention = self.tally.with_tiers(tiers).finish()?;
        self.excluded.sort();
        Ok(RetentionSection { terms: self.terms, segment: self.segment, retention, excluded: self.excluded })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::RecurringRevenue;
    use crate::testkit::{Company, sample_agreement};
    use crate::{Currency, Money};

    fn tally(agreement: &Agreement, company: &Company) -> RetentionSectionTally {
        RetentionSectionTally::new(agreement, company.as_of()).unwrap().unwrap()
    }

    #[test]
    fn a_serialized_state_merges_like_the_original() {
        let (agreement, company) = (sample_agreement().unwrap(), Company::new(42, 1_500).unwrap());
        let facts = company.facts();
        let half = facts.recurring_revenue.len() / 2;
        let (mut left, mut right) = (tally(&agreement, &company), tally(&agreement, &company));
        let first = FactSet { recurring_revenue: facts.recurring_revenue[..half].to_vec(), ..FactSet::default() };
        let second = FactSet {
            recurring_revenue: facts.recurring_revenue[half..].to_vec(),
            accounts: facts.accounts.clone(),
            ..FactSet::default()
        };
        left.push(&agreement, &first, false).unwrap();
        right.push(&agreement, &second, false).unwrap();
        let json = serde_json::to_string(&right).unwrap();
        let read: RetentionSectionTally = serde_json::from_str(&json).unwrap();
        assert_eq!(serde_json::to_string(&read).unwrap(), json);
        let mut original = left.clone();
        original.merge(right).unwrap();
        left.merge(read).unwrap();
        let (a, b) = (original.finish(false).unwrap(), left.finish(false).unwrap());
        assert_eq!(a, b);
        assert!(a.retention.total.customers > 0);
        assert!(a.retention.by_tier.keys().any(Option::is_some));
        // A state whose tally breaks its own rules is refused on read.
        let bad = json.replacen("\"facts_after_as_of\":0", "\"facts_after_as_of\":0,\"extra\":1", 1);
        assert!(serde_json::from_str::<RetentionSectionTally>(&bad).is_err());
    }

    #[test]
    fn merging_another_definition_is_an_error() {
        let company = Company::new(42, 200).unwrap();
        let agreement = sample_agreement().unwrap();
        let mut parts = agreement.parts().clone();
        if let Some(terms) = &mut parts.kpis.retention {
            terms.cohort = match terms.cohort {
                crate::agreement::CohortGrain::Month => crate::agreement::CohortGrain::Quarter,
                crate::agreement::CohortGrain::Quarter => crate::agreement::CohortGrain::Month,
            };
        }
        let other = Agreement::new(parts).unwrap();
        let mut mine = tally(&agreement, &company);
        let err = mine.merge(tally(&other, &company)).unwrap_err();
        assert_eq!(*err.kind(), ErrorKind::DefinitionMismatch { tally: "scorecard retention", field: "terms" });
        // Another as_of: the metric's own tally refuses it.
        let later = company.as_of() + chrono::TimeDelta::days(1);
        let err = mine.merge(RetentionSectionTally::new(&agreement, later).unwrap().unwrap()).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::DefinitionMismatch { field: "terms", .. }), "{err}");
    }

    #[test]
    fn bad_and_conflicting_facts_are_set_aside_equal_copies_count_once() {
        let (agreement, company) = (sample_agreement().unwrap(), Company::new(42, 1_000).unwrap());
        let facts = company.facts();
        let whole = agreement.evaluate(&facts, company.as_of()).unwrap().retention.unwrap();
        let first = facts.recurring_revenue[0].clone();
        let mut noisy = facts.clone();
        noisy.recurring_revenue.push(first.clone()); // an equal copy
        let eur = RecurringRevenue::new(first.account.clone(), company.as_of(), Money::from_minor(5, Currency::EUR));
        noisy.recurring_revenue.push(eur);
        let section = agreement.evaluate(&noisy, company.as_of()).unwrap().retention.unwrap();
        assert_eq!(section.retention, whole.retention);
        assert_eq!(section.excluded.len(), 1);
        assert_eq!(section.excluded[0].record.as_deref(), Some(&*format!("account `{}`", first.account)));
        assert!(agreement.evaluate_strict(&noisy, company.as_of()).is_err());
        // Two different MRRs at one instant: the account is set aside, none of its facts counts.
        let mut conflicting = facts.clone();
        conflicting
            .recurring_revenue
            .push(RecurringRevenue { mrr: first.mrr.checked_add(first.mrr).unwrap(), ..first.clone() });
        let section = agreement.evaluate(&conflicting, company.as_of()).unwrap().retention.unwrap();
        assert_eq!(section.excluded.len(), 1);
        assert!(section.excluded[0].error.contains("different values"), "{:?}", section.excluded);
        let mut without = facts.clone();
        without.recurring_revenue.retain(|r| r.account != first.account);
        let expected = agreement.evaluate(&without, company.as_of()).unwrap().retention.unwrap();
        assert_eq!(section.retention, expected.retention);
    }
}
