//! Which team a lead is reported under, joined across partitions: a lead's outcomes are kept
//! under its [`TeamKey`] (its owner, or its account) and the accounts' teams in
//! [`AccountTeams`]; at finish the account keys become teams. Accounts may sit in any
//! partition, so the join waits for every partition to be merged.

use std::collections::{BTreeMap, BTreeSet};

use super::UNASSIGNED;
use crate::agreement::TeamRule;
use crate::facts::{Account, Lead};
use crate::{AccountId, Error, ErrorKind, Record};

/// What a lead's outcome is grouped under until the accounts are known.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum TeamKey {
    /// A team, known at push (the lead's owner).
    Team(String),
    /// The lead's account: its team is the account's value under the rule.
    Account(AccountId),
    /// No owner, or no account: [`UNASSIGNED`].
    Unassigned,
}

impl TeamKey {
    /// The key of `lead` under `rule`.
    pub(super) fn of(rule: &TeamRule, lead: &Lead) -> TeamKey {
        if rule.reads_accounts() {
            return lead.account.clone().map_or(TeamKey::Unassigned, TeamKey::Account);
        }
        rule.lead_team(lead).map_or(TeamKey::Unassigned, |team| TeamKey::Team(team.to_owned()))
    }
}

/// Each account's team under the rule: every value it was given (an account given twice with
/// different values is set aside at finish, its leads unassigned).
#[derive(Clone, Debug, Default)]
pub(super) struct AccountTeams {
    teams: BTreeMap<AccountId, BTreeSet<Option<String>>>,
}

impl AccountTeams {
    pub(super) fn push(&mut self, rule: &TeamRule, account: &Account) {
        if rule.reads_accounts() {
            self.teams.entry(account.id.clone()).or_default().insert(rule.account_team(account));
        }
    }

    pub(super) fn merge(&mut self, other: AccountTeams) {
        for (id, values) in other.teams {
            self.teams.entry(id).or_default().extend(values);
        }
    }

    /// The team of `key`, and the errors of the accounts given conflicting teams, in account
    /// order.
    pub(super) fn resolve(&self) -> (impl Fn(TeamKey) -> String + '_, Vec<Error>) {
        let conflicts = self
            .teams
            .iter()
            .filter(|(_, values)| values.len() > 1)
            .map(|(id, values)| {
                let listed: Vec<&str> = values.iter().map(|v| v.as_deref().unwrap_or("(none)")).collect();
                ErrorKind::InvalidValue {
                    field: "account team",
                    value: listed.join(", "),
                    reason: "the account is given more than once with different teams; its leads are unassigned",
                }
                .about(Record::Account(id.clone()))
            })
            .collect();
        let team = move |key: TeamKey| match key {
            TeamKey::Team(team) => team,
            TeamKey::Account(id) => match self.teams.get(&id).map(|values| (values.len(), values.first())) {
                Some((1, Some(Some(team)))) => team.clone(),
                _ => UNASSIGNED.to_owned(),
            },
            TeamKey::Unassigned => UNASSIGNED.to_owned(),
        };
        (team, conflicts)
    }
}
