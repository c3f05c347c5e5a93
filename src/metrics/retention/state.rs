//! Wire shapes of [`RetentionTerms`] and of [`RetentionTally`]'s partial state (feature
//! `serde`), validated on read: the terms as [`RetentionTerms::new`] validates them, accounts in
//! strictly increasing order, each with at least one fact, facts by instant, no MRR below zero
//! and no fact after `as_of` (those are only counted).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::{RetentionTally, RetentionTerms};
use crate::calendar::Zone;
use crate::metrics::Bucket;
use crate::metrics::wire::bad_state;
use crate::{AccountId, Currency, Error};

const T: &str = "retention tally";

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TermsWire {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    as_of: DateTime<Utc>,
    cohort: Bucket,
    zone: Zone,
}

impl From<RetentionTerms> for TermsWire {
    fn from(t: RetentionTerms) -> TermsWire {
        TermsWire { start: t.start, end: t.end, as_of: t.as_of, cohort: t.cohort, zone: t.zone }
    }
}

impl TryFrom<TermsWire> for RetentionTerms {
    type Error = Error;
    fn try_from(w: TermsWire) -> Result<RetentionTerms, Error> {
        RetentionTerms::new(w.start, w.end, w.as_of, w.cohort, w.zone)
    }
}

#[derive(Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub(super) struct Minor(#[serde(with = "crate::metrics::wire::minor")] i128);

type WireHistory = Vec<(DateTime<Utc>, Minor)>;

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RetentionState {
    terms: RetentionTerms,
    currency: Currency,
    tiers: BTreeMap<AccountId, String>,
    accounts: Vec<(AccountId, WireHistory)>,
    facts_after_as_of: u64,
}

impl From<RetentionTally> for RetentionState {
    fn from(t: RetentionTally) -> RetentionState {
        let mut accounts: Vec<_> = t
            .histories
            .into_iter()
            .map(|(account, mut facts)| {
                facts.sort_unstable();
                (account, facts.into_iter().map(|(at, m)| (at, Minor(m))).collect())
            })
            .collect();
        accounts.sort_unstable_by(|a: &(AccountId, Vec<_>), b| a.0.cmp(&b.0));
        RetentionState {
            terms: t.terms,
            currency: t.currency,
            tiers: t.tiers,
            accounts,
            facts_after_as_of: t.after_as_of,
        }
    }
}

impl TryFrom<RetentionState> for RetentionTally {
    type Error = Error;

    fn try_from(s: RetentionState) -> Result<RetentionTally, Error> {
        let mut tally = RetentionTally::new(s.terms, s.currency, s.tiers);
        let mut previous: Option<AccountId> = None;
        for (account, facts) in s.accounts {
            if previous.as_ref().is_some_and(|p| *p >= account) {
                return Err(bad_state(T, &account, "accounts must be in strictly increasing order"));
            }
            if facts.is_empty() {
                return Err(bad_state(T, &account, "an account comes with at least one fact"));
            }
            let mut last: Option<DateTime<Utc>> = None;
            let mut history = Vec::with_capacity(facts.len());
            for (at, Minor(mrr)) in facts {
                if mrr < 0 {
                    return Err(bad_state(T, format!("{account} {mrr}"), "a recurring revenue cannot be negative"));
                }
                if at > tally.terms.as_of {
                    return Err(bad_state(T, format!("{account} {at}"), "a fact after as_of is not kept"));
                }
                if last.is_some_and(|l| l > at) {
                    return Err(bad_state(T, format!("{account} {at}"), "facts must be in order of instant"));
                }
                last = Some(at);
                history.push((at, mrr));
            }
            tally.append(&account, history);
            previous = Some(account);
        }
        tally.after_as_of = s.facts_after_as_of;
        Ok(tally)
    }
}
