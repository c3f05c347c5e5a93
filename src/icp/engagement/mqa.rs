//! [`MqaRule`]: the marketing-qualified account rule, and its [`MqaResult`].

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::AccountEngagement;
use crate::funnel::Points;
use crate::{AccountId, ContactId, Error, ErrorKind};

/// The thresholds of one fit tier: engagement at least `engagement_at_least` AND at least
/// `contacts_at_least` distinct engaged contacts (breadth).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct MqaThreshold {
    /// Decayed, capped engagement at least this.
    pub engagement_at_least: Points,
    /// Distinct engaged contacts at least this.
    pub contacts_at_least: u32,
}

/// An account is marketing-qualified at `at` when its fit tier has thresholds here (fit
/// passes), its engagement and breadth meet them, and, with `intent_at_least`, its intent score
/// (0-100) is at least that ([definitions, section 11](crate::definitions::account_engagement)).
///
/// # Wire format
///
/// `{ "key": "mqa", "tiers": { "A": { "engagement_at_least": "40 points", "contacts_at_least": 2 } }, "intent_at_least": 60 }`.
///
/// # Example
///
/// See [`MqaRule::evaluate`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "MqaRepr", into = "MqaRepr")
)]
pub struct MqaRule {
    key: String,
    tiers: BTreeMap<String, MqaThreshold>,
    intent_at_least: Option<u8>,
}

#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct MqaRepr {
    key: String,
    tiers: BTreeMap<String, MqaThreshold>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    intent_at_least: Option<u8>,
}

#[cfg(feature = "serde")]
impl TryFrom<MqaRepr> for MqaRule {
    type Error = Error;
    fn try_from(r: MqaRepr) -> Result<MqaRule, Error> {
        MqaRule::new(&r.key, r.tiers, r.intent_at_least)
    }
}

#[cfg(feature = "serde")]
impl From<MqaRule> for MqaRepr {
    fn from(r: MqaRule) -> MqaRepr {
        MqaRepr { key: r.key, tiers: r.tiers, intent_at_least: r.intent_at_least }
    }
}

impl MqaRule {
    /// A rule `key` with thresholds per fit tier and an optional intent minimum.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] if the key is blank, no tier is given, or `intent_at_least`
    /// is above 100.
    pub fn new(
        key: &str,
        tiers: impl IntoIterator<Item = (String, MqaThreshold)>,
        intent_at_least: Option<u8>,
    ) -> Result<MqaRule, Error> {
        let tiers: BTreeMap<String, MqaThreshold> = tiers.into_iter().collect();
        let invalid = |field, value: String, reason| Error::from(ErrorKind::InvalidValue { field, value, reason });
        if key.trim().is_empty() {
            return Err(invalid("mqa rule key", key.to_owned(), "must not be blank"));
        }
        if tiers.is_empty() {
            return Err(invalid("mqa rule tiers", "{}".to_owned(), "must not be empty"));
        }
        if let Some(i) = intent_at_least.filter(|i| *i > crate::facts::MAX_INTENT_SCORE) {
            return Err(invalid("mqa rule intent_at_least", i.to_string(), "must be from 0 to 100"));
        }
        Ok(MqaRule { key: key.to_owned(), tiers, intent_at_least })
    }

    /// The rule key.
    #[must_use]
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Evaluates one account's engagement at `at`, with its fit tier (`None` when ungraded) and
    /// intent score (`None` when unknown).
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::funnel::Points;
    /// use revops::icp::{AccountEngagementModel, AccountEngagementTally, EngagementActivity, EngagementDecay, EngagementGroup, MqaRule, MqaThreshold};
    /// use revops::{AccountId, ContactId, Tally};
    ///
    /// let at = Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).single().unwrap_or_default();
    /// let model = AccountEngagementModel::new(vec![EngagementGroup::new("events", [("webinar", 20)])], EngagementDecay::None)?;
    /// let acme = AccountId::new("acme")?;
    /// let act = |c: &str| -> Result<EngagementActivity, revops::Error> { EngagementActivity::new(acme.clone(), Some(ContactId::new(c)?), "webinar", at) };
    /// let (a, b) = (act("c-1")?, act("c-2")?);
    /// let report = AccountEngagementTally::new(model, at).tally([&a, &b])?;
    /// let threshold = MqaThreshold { engagement_at_least: Points::from(40), contacts_at_least: 2 };
    /// let rule = MqaRule::new("mqa", [("A".to_owned(), threshold)], None)?;
    /// let engagement = report.accounts.first().ok_or(revops::ErrorKind::Empty { what: "accounts" })?;
    /// assert!(rule.evaluate(engagement, Some("A"), None, at).qualified);
    /// assert!(!rule.evaluate(engagement, Some("B"), None, at).qualified); // tier without thresholds: fit fails
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn evaluate(
        &self,
        engagement: &AccountEngagement,
        fit_tier: Option<&str>,
        intent: Option<u8>,
        at: DateTime<Utc>,
    ) -> MqaResult {
        let threshold = fit_tier.and_then(|t| self.tiers.get(t));
        let contacts: Vec<ContactId> = engagement.contacts.iter().map(|(c, _)| c.clone()).collect();
        let engagement_held = threshold.is_some_and(|t| engagement.engagement >= t.engagement_at_least.get());
        let breadth_held = threshold
            .is_some_and(|t| u64::try_from(contacts.len()).unwrap_or(u64::MAX) >= u64::from(t.contacts_at_least));
        let intent_held = self.intent_at_least.is_none_or(|min| intent.is_some_and(|i| i >= min));
        let fit_held = threshold.is_some();
        MqaResult {
            account: engagement.account.clone(),
            rule: self.key.clone(),
            at,
            tier: fit_tier.filter(|_| fit_held).map(str::to_owned),
            engagement: engagement.engagement,
            contacts,
            fit_held,
            engagement_held,
            breadth_held,
            intent_held,
            qualified: fit_held && engagement_held && breadth_held && intent_held,
        }
    }
}

/// The outcome of [`MqaRule::evaluate`]: time, rule, contacts, and which part held.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[allow(clippy::struct_excessive_bools, reason = "one flag per part of the rule, as AccountQualificationResult")]
pub struct MqaResult {
    /// The account.
    pub account: AccountId,
    /// The rule key.
    pub rule: String,
    /// When it was evaluated.
    pub at: DateTime<Utc>,
    /// The fit tier whose thresholds applied; `None` when fit failed.
    pub tier: Option<String>,
    /// The account's engagement.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    pub engagement: Decimal,
    /// The engaged contacts, in id order.
    pub contacts: Vec<ContactId>,
    /// Whether the fit tier has thresholds.
    pub fit_held: bool,
    /// Whether engagement met the tier's threshold.
    pub engagement_held: bool,
    /// Whether the engaged contacts met the tier's breadth.
    pub breadth_held: bool,
    /// Whether intent met the minimum (always, without one).
    pub intent_held: bool,
    /// Every part held.
    pub qualified: bool,
}
