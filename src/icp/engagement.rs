//! Account engagement scoring and the marketing-qualified account (MQA),
//! [definitions, section 11](crate::definitions::account_engagement).
//!
//! - [`AccountEngagementModel`]: the definition (points per activity kind in weighted, capped
//!   groups, a decay mode, a cap per contact and a total cap).
//! - [`AccountEngagementTally`]: sums contacts' [`EngagementActivity`]s per account as of an
//!   instant (a [`Tally`](crate::Tally)); finishes to an [`AccountEngagementReport`].
//! - [`MqaRule`]: fit AND engagement AND breadth (AND intent, optionally), thresholds per tier.
//!
//! # Our rules
//!
//! - An activity of kind `k` in group `g` earns `points(k) x weight(g) / 100` (a weight of 0%
//!   excludes the group; 200% doubles it), then decays with its age `as_of - at` by the model's
//!   [`EngagementDecay`]. An activity after `as_of` is not counted yet.
//! - **Caps**, in this order: per contact first (each contact's points in a group are at most
//!   the contact cap, so one busy contact cannot qualify an account; the unknown visitors matched
//!   to the account by domain count as one contact for this cap), then per group (the sum over the
//!   account's contacts), then the total (the sum of the groups). Caps bound from above.
//! - **Exactness**: points are whole, scores exact to the hundredth. Each decayed contribution
//!   is rounded to the hundredth, half to even, before it is summed, so sums do not depend on
//!   the order of the facts. Linear and window decay are integer arithmetic; half-life and step
//!   decay compute their factor in `f64` (`exp2`, `powi`), as lead scoring does.

use chrono::{DateTime, Utc};

use crate::{AccountId, ContactId, Error, ErrorKind};

mod model;
mod mqa;
#[cfg(feature = "serde")]
mod state;
mod tally;
#[cfg(test)]
mod tests;

pub use self::model::{AccountEngagementModel, EngagementDecay, EngagementGroup};
pub use self::mqa::{MqaResult, MqaRule, MqaThreshold};
pub use self::tally::{AccountEngagement, AccountEngagementReport, AccountEngagementTally, GroupEngagement};

/// Something a contact of an account did (or an unknown visitor matched to the account by its
/// domain: `contact` `None`), keyed for engagement scoring: a view of a touchpoint or product
/// event the caller attached to the account (lead-to-account matching is the caller's).
///
/// # Wire format
///
/// `{ "account": "acme", "contact": "c-1", "kind": "webinar", "at": "2024-05-20T00:00:00Z" }`,
/// `contact` optional; unknown keys are refused, and deserializing validates like
/// [`EngagementActivity::new`] (a blank `kind` is refused).
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::icp::EngagementActivity;
/// use revops::{AccountId, ContactId};
///
/// let at = Utc.with_ymd_and_hms(2024, 5, 20, 0, 0, 0).single().unwrap_or_default();
/// let webinar = EngagementActivity::new(AccountId::new("acme")?, Some(ContactId::new("c-1")?), "webinar", at)?;
/// assert_eq!((webinar.account.as_str(), webinar.kind.as_str()), ("acme", "webinar"));
/// assert!(EngagementActivity::new(AccountId::new("acme")?, None, "", at).is_err());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields, try_from = "ActivityRepr")
)]
pub struct EngagementActivity {
    /// The account.
    pub account: AccountId,
    /// The contact; `None` for anonymous activity matched by domain.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub contact: Option<ContactId>,
    /// The activity kind the model's rules match, e.g. `webinar`.
    pub kind: String,
    /// When it happened.
    pub at: DateTime<Utc>,
}

/// Wire shape of [`EngagementActivity`], validated on read.
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ActivityRepr {
    account: AccountId,
    #[serde(default)]
    contact: Option<ContactId>,
    kind: String,
    at: DateTime<Utc>,
}

#[cfg(feature = "serde")]
impl TryFrom<ActivityRepr> for EngagementActivity {
    type Error = Error;
    fn try_from(r: ActivityRepr) -> Result<EngagementActivity, Error> {
        EngagementActivity::new(r.account, r.contact, &r.kind, r.at)
    }
}

impl EngagementActivity {
    /// An activity of `kind` by `contact` of `account` at `at`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] if `kind` is blank.
    pub fn new(
        account: AccountId,
        contact: Option<ContactId>,
        kind: &str,
        at: DateTime<Utc>,
    ) -> Result<EngagementActivity, Error> {
        if kind.trim().is_empty() {
            return Err(ErrorKind::InvalidValue {
                field: "engagement activity kind",
                value: kind.to_owned(),
                reason: "must not be blank",
            }
            .into());
        }
        Ok(EngagementActivity { account, contact, kind: kind.to_owned(), at })
    }
}
