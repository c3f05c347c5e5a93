//! Wire shape of [`AccountEngagementTally`]'s partial state (feature `serde`), validated on read.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::AccountEngagementModel;
use super::tally::{AccountEngagementTally, add_row};
use crate::{AccountId, ContactId, Error, ErrorKind};

/// The partial state: the definition, then one row per (account, contact) with its decayed
/// points in hundredths per group.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AccountEngagementState {
    model: AccountEngagementModel,
    as_of: DateTime<Utc>,
    rows: Vec<Row>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    account: AccountId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    contact: Option<ContactId>,
    hundredths: Vec<i64>,
}

impl From<AccountEngagementTally> for AccountEngagementState {
    fn from(mut t: AccountEngagementTally) -> AccountEngagementState {
        if let Some((key, points)) = t.last.take() {
            // A row that overflows on flush cannot be represented: keep the summed-so-far part.
            if add_row(&mut t.rows, key.clone(), &points).is_err() {
                t.rows.insert(key, points);
            }
        }
        let rows =
            t.rows.into_iter().map(|((account, contact), hundredths)| Row { account, contact, hundredths }).collect();
        AccountEngagementState { model: t.model, as_of: t.as_of, rows }
    }
}

impl TryFrom<AccountEngagementState> for AccountEngagementTally {
    type Error = Error;
    fn try_from(s: AccountEngagementState) -> Result<AccountEngagementTally, Error> {
        let groups = s.model.groups().len();
        let mut t = AccountEngagementTally::new(s.model, s.as_of);
        for row in s.rows {
            let bad = |reason| ErrorKind::InvalidValue {
                field: "account engagement tally row",
                value: row.account.to_string(),
                reason,
            };
            if row.hundredths.len() != groups {
                return Err(bad("must hold one sum per group of the model").into());
            }
            if row.hundredths.iter().any(|h| *h < 0) {
                return Err(bad("sums must not be negative").into());
            }
            let key = (row.account.clone(), row.contact.clone());
            if t.rows.insert(key, row.hundredths).is_some() {
                return Err(
                    ErrorKind::DuplicateKey { kind: "account engagement row", key: row.account.to_string() }.into()
                );
            }
        }
        Ok(t)
    }
}
