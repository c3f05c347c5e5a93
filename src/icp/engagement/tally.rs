//! [`AccountEngagementTally`]: contacts' activities summed per account, as of an instant.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::{AccountEngagementModel, EngagementActivity};
use crate::{AccountId, ContactId, Error, ErrorKind, Tally};

const TALLY: &str = "account engagement";

pub(super) type RowKey = (AccountId, Option<ContactId>);

/// An account being closed in `finish`: its id, group sums and engaged contacts.
type OpenAccount = (AccountId, Vec<i64>, Vec<(ContactId, Decimal)>);

/// Account engagement as of `as_of` under an [`AccountEngagementModel`] (a [`Tally`] over
/// [`EngagementActivity`]s); finishes to an [`AccountEngagementReport`].
///
/// # Definitions
///
/// - **Engagement** of an account = the sum over its groups of `min(group cap, sum over its
///   contacts of min(contact cap, the contact's decayed weighted points in the group))`, then
///   capped by the total cap ([definitions, section 11](crate::definitions::account_engagement)).
/// - **Engaged contacts**: the named contacts whose capped points are above zero (anonymous
///   activity counts to engagement, not to breadth).
/// - **Time**: an activity counts with its age `as_of - at`; one after `as_of` is not counted.
/// - **Edge cases**: an activity of a kind no rule names scores nothing and is skipped; an
///   account without a scoring activity does not appear.
///
/// # Example (`MadKudu`'s: 9 points, 3 days old, 90-day lifespan: 8.7)
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use revops::icp::{AccountEngagementModel, AccountEngagementTally, EngagementActivity, EngagementDecay, EngagementGroup};
/// use revops::{AccountId, ContactId, Tally};
/// use rust_decimal_macros::dec;
///
/// let as_of = Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).single().unwrap_or_default();
/// let model = AccountEngagementModel::new(vec![EngagementGroup::new("web", [("pricing_page", 9)])], EngagementDecay::Linear { lifespan_days: 90 })?;
/// let visit = EngagementActivity::new(AccountId::new("acme")?, Some(ContactId::new("c-1")?), "pricing_page", as_of - TimeDelta::days(3))?;
/// let report = AccountEngagementTally::new(model, as_of).tally([&visit])?;
/// assert_eq!(report.accounts.first().map(|a| a.engagement), Some(dec!(8.7)));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "super::state::AccountEngagementState", into = "super::state::AccountEngagementState")
)]
pub struct AccountEngagementTally {
    pub(super) model: AccountEngagementModel,
    pub(super) as_of: DateTime<Utc>,
    /// Decayed weighted points in hundredths per (account, contact), per group.
    pub(super) rows: BTreeMap<RowKey, Vec<i64>>,
    /// The row being filled (facts usually come grouped by contact): flushed into `rows`.
    pub(super) last: Option<(RowKey, Vec<i64>)>,
}

impl AccountEngagementTally {
    /// An empty tally of `model` as of `as_of`.
    #[must_use]
    pub fn new(model: AccountEngagementModel, as_of: DateTime<Utc>) -> AccountEngagementTally {
        AccountEngagementTally { model, as_of, rows: BTreeMap::new(), last: None }
    }

    /// The model.
    #[must_use]
    pub fn model(&self) -> &AccountEngagementModel {
        &self.model
    }

    /// The evaluation instant.
    #[must_use]
    pub const fn as_of(&self) -> DateTime<Utc> {
        self.as_of
    }

    pub(super) fn flush(&mut self) -> Result<(), Error> {
        self.flush_keeping().map(drop)
    }

    /// [`AccountEngagementTally::flush`], returning the row being filled's buffer when its
    /// points were added to an existing row (free for the next row: no allocation per row).
    fn flush_keeping(&mut self) -> Result<Option<Vec<i64>>, Error> {
        let Some((key, points)) = self.last.take() else { return Ok(None) };
        match self.rows.entry(key) {
            Entry::Occupied(mut row) => {
                add_into(row.get_mut(), &points)?;
                Ok(Some(points))
            }
            Entry::Vacant(row) => {
                row.insert(points);
                Ok(None)
            }
        }
    }
}

/// Adds `points` to `row` group by group; checked first, applied after, so a failed add
/// leaves the row unchanged.
fn add_into(row: &mut [i64], points: &[i64]) -> Result<(), Error> {
    if row.iter().zip(points).any(|(a, b)| a.checked_add(*b).is_none()) {
        return Err(ErrorKind::Overflow { op: "account engagement points" }.into());
    }
    for (a, b) in row.iter_mut().zip(points) {
        *a += *b; // checked above
    }
    Ok(())
}

pub(super) fn add_row(rows: &mut BTreeMap<RowKey, Vec<i64>>, key: RowKey, points: &[i64]) -> Result<(), Error> {
    match rows.entry(key) {
        Entry::Occupied(mut row) => add_into(row.get_mut(), points),
        Entry::Vacant(row) => {
            row.insert(points.to_vec());
            Ok(())
        }
    }
}

impl Tally for AccountEngagementTally {
    type Fact = EngagementActivity;
    type Output = AccountEngagementReport;

    fn push(&mut self, a: &EngagementActivity) -> Result<(), Error> {
        let Some((group, hundredths)) = self.model.rule(&a.kind) else { return Ok(()) };
        let age = self.as_of.timestamp().saturating_sub(a.at.timestamp());
        if age < 0 {
            return Ok(());
        }
        let points = self.model.decayed(hundredths, age);
        let same = self.last.as_ref().is_some_and(|(k, _)| k.0 == a.account && k.1 == a.contact);
        if !same {
            let points = match self.flush_keeping()? {
                Some(mut spare) => {
                    spare.fill(0);
                    spare
                }
                None => vec![0; self.model.groups().len()],
            };
            self.last = Some(((a.account.clone(), a.contact.clone()), points));
        }
        if let Some(slot) = self.last.as_mut().and_then(|(_, p)| p.get_mut(group)) {
            *slot = slot.checked_add(points).ok_or(ErrorKind::Overflow { op: "account engagement points" })?;
        }
        Ok(())
    }

    fn merge(&mut self, mut other: AccountEngagementTally) -> Result<(), Error> {
        if self.model != other.model {
            return Err(ErrorKind::DefinitionMismatch { tally: TALLY, field: "model" }.into());
        }
        if self.as_of != other.as_of {
            return Err(ErrorKind::DefinitionMismatch { tally: TALLY, field: "as_of" }.into());
        }
        other.flush()?;
        // Transactional without copying `self.rows` (a clone per merge made folding many small
        // tallies into one quadratic): the incoming rows, with the row being filled, become
        // their final sums first, checked against ours read-only; only then are they stored.
        let mut incoming = other.rows;
        if let Some((key, points)) = &self.last {
            add_row(&mut incoming, key.clone(), points)?;
        }
        for (key, points) in &mut incoming {
            if let Some(mine) = self.rows.get(key) {
                add_into(points, mine)?;
            }
        }
        self.rows.extend(incoming);
        self.last = None;
        Ok(())
    }

    fn finish(mut self) -> Result<AccountEngagementReport, Error> {
        self.flush()?;
        let groups = self.model.groups();
        let contact_cap = self.model.contact_cap().map(|c| c * 100);
        let mut accounts: Vec<AccountEngagement> = Vec::new();
        let mut current: Option<OpenAccount> = None;
        let close = |acc: OpenAccount, out: &mut Vec<AccountEngagement>| {
            let (account, sums, contacts) = acc;
            let mut total = 0i64;
            let mut by_group = Vec::with_capacity(groups.len());
            for (g, sum) in groups.iter().zip(sums) {
                let capped = g.cap.map_or(sum, |c| sum.min(c * 100));
                total = total.saturating_add(capped);
                by_group.push(GroupEngagement {
                    key: g.key.clone(),
                    points: Decimal::new(sum, 2),
                    capped: Decimal::new(capped, 2),
                });
            }
            let total = self.model.total_cap().map_or(total, |c| total.min(c * 100));
            out.push(AccountEngagement { account, engagement: Decimal::new(total, 2), groups: by_group, contacts });
        };
        for ((account, contact), points) in self.rows {
            if current.as_ref().is_none_or(|c| c.0 != account) {
                if let Some(done) = current.take() {
                    close(done, &mut accounts);
                }
                current = Some((account, vec![0; groups.len()], Vec::new()));
            }
            let Some(acc) = current.as_mut() else { continue };
            let mut own = 0i64;
            for (slot, p) in acc.1.iter_mut().zip(points) {
                let capped = contact_cap.map_or(p, |c| p.min(c));
                own = own.saturating_add(capped);
                *slot = slot.saturating_add(capped);
            }
            if let Some(c) = contact
                && own > 0
            {
                acc.2.push((c, Decimal::new(own, 2)));
            }
        }
        if let Some(done) = current.take() {
            close(done, &mut accounts);
        }
        Ok(AccountEngagementReport { as_of: self.as_of, accounts })
    }
}

/// Every account's engagement as of an instant, in account id order.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct AccountEngagementReport {
    /// The evaluation instant.
    pub as_of: DateTime<Utc>,
    /// Accounts with at least one scoring activity, in id order.
    pub accounts: Vec<AccountEngagement>,
}

/// One account's engagement, with its groups and engaged contacts.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct AccountEngagement {
    /// The account.
    pub account: AccountId,
    /// Engagement after every cap, exact to the hundredth.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    pub engagement: Decimal,
    /// Each group, in model order (after contact caps, before and after the group cap).
    pub groups: Vec<GroupEngagement>,
    /// Engaged named contacts (capped points above zero), in id order, with their points.
    pub contacts: Vec<(ContactId, Decimal)>,
}

/// One group's share of an account's engagement.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct GroupEngagement {
    /// The group key.
    pub key: String,
    /// Points after the contact caps, before the group cap.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    pub points: Decimal,
    /// Points after the group cap.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    pub capped: Decimal,
}
