//! [`RejectionPolicy`]: every rejection [`Reason`] mapped to a [`RejectionAction`], and the
//! [`RejectionDecision`] for one disposition.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};

use crate::facts::{Disposition, Reason};
use crate::{Error, ErrorKind};

/// What happens to a lead rejected for a reason.
///
/// # Example
///
/// ```
/// use revops::facts::Reason;
/// use revops::funnel::{RejectionAction, RejectionPolicy};
///
/// let policy = RejectionPolicy::default();
/// assert_eq!(policy.action(&Reason::BadFit), &RejectionAction::Disqualify);
/// assert_eq!(policy.action(&Reason::NoBudget), &RejectionAction::Recycle { after_days: 90 });
/// assert_eq!(policy.action(&Reason::ExistingCustomer), &RejectionAction::Reroute { to: "account_owner".into() });
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum RejectionAction {
    /// Out of the funnel for good.
    Disqualify,
    /// Back to marketing nurture, to be re-qualified after some days.
    Recycle {
        /// Days until re-qualification (at least 1).
        after_days: u32,
    },
    /// To another owner or queue (e.g. the account owner for an existing customer).
    Reroute {
        /// The owner or queue.
        to: String,
    },
}

/// The policy's decision for one rejected or recycled lead: the action and, for a recycle,
/// when the lead is due for re-qualification. (The fact it decides on is a
/// [`facts::Disposition`](crate::facts::Disposition).)
///
/// # Example
///
/// ```
/// use revops::facts::{Disposition, DispositionOutcome, Reason};
/// use revops::funnel::{RejectionAction, RejectionPolicy};
/// use revops::LeadId;
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let outcome = DispositionOutcome::Recycled { reason: Reason::Unreachable };
/// let recycled = Disposition { lead: LeadId::new("L-2")?, at: at("2024-03-01T09:00:00Z")?, outcome };
/// let decision = RejectionPolicy::default().decide(&recycled)?;
/// assert_eq!(decision.as_ref().map(|d| &d.action), Some(&RejectionAction::Recycle { after_days: 30 }));
/// assert_eq!(decision.and_then(|d| d.requalify_at), Some(at("2024-03-31T09:00:00Z")?));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct RejectionDecision {
    /// The action.
    pub action: RejectionAction,
    /// For a recycle, when the lead is due for re-qualification.
    pub requalify_at: Option<DateTime<Utc>>,
}

/// Maps every rejection [`Reason`] key to its action.
///
/// Default mapping (our rule, after common SDR playbooks): bad fit, bad data, competitor and
/// student or personal disqualify; no need recycles after 180 days, no budget and bad timing
/// after 90, no authority after 60, unreachable after 30; a duplicate reroutes to
/// `record_owner`, an existing customer to `account_owner`, a partner or vendor to
/// `partner_team`, other to `revops_review`.
///
/// The keys the taxonomy shares with closed-lost analysis: `price` recycles after 90 days and
/// `no_decision` after 90 (like no budget and bad timing: the buyer may come back when the
/// budget or the priority changes, so marketing keeps nurturing); `missing_features` reroutes
/// to `product_feedback` (the fit may be right, and the product team should hear what is
/// missing before anyone disqualifies the lead); `unspecified` reroutes to `revops_review`
/// (like `other`: a rejection without a reason is a data-quality gap to chase, not a verdict).
///
/// On the wire (feature `serde`) a policy is a map from reason key to action; keys not given
/// keep the default mapping, unknown keys and invalid actions are rejected as by
/// [`RejectionPolicy::with`].
///
/// # Example
///
/// ```
/// use revops::facts::{Disposition, DispositionOutcome, Reason};
/// use revops::funnel::{RejectionAction, RejectionPolicy};
/// use revops::LeadId;
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let policy = RejectionPolicy::default().with("bad_timing", RejectionAction::Recycle { after_days: 30 })?;
/// let disposition = Disposition {
///     lead: LeadId::new("L-1")?,
///     at: at("2024-03-01T09:00:00Z")?,
///     outcome: DispositionOutcome::Rejected { reason: Reason::BadTiming },
/// };
/// let decision = policy.decide(&disposition)?;
/// assert_eq!(decision.and_then(|d| d.requalify_at), Some(at("2024-03-31T09:00:00Z")?));
/// # Ok::<(), revops::Error>(())
/// ```
#[cfg_attr(feature = "serde", doc = include_str!("../wire_format/rejection_policy.md"))]
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "PolicyRepr", into = "PolicyRepr")
)]
pub struct RejectionPolicy {
    actions: BTreeMap<&'static str, RejectionAction>,
}

impl Default for RejectionPolicy {
    fn default() -> RejectionPolicy {
        let recycle = |after_days| RejectionAction::Recycle { after_days };
        let reroute = |to: &str| RejectionAction::Reroute { to: to.to_owned() };
        let actions = [
            ("bad_fit", RejectionAction::Disqualify),
            ("no_need", recycle(180)),
            ("no_budget", recycle(90)),
            ("no_authority", recycle(60)),
            ("bad_timing", recycle(90)),
            ("unreachable", recycle(30)),
            ("bad_data", RejectionAction::Disqualify),
            ("duplicate", reroute("record_owner")),
            ("existing_customer", reroute("account_owner")),
            ("competitor", RejectionAction::Disqualify),
            ("student_or_personal", RejectionAction::Disqualify),
            ("partner_or_vendor", reroute("partner_team")),
            ("price", recycle(90)),
            ("no_decision", recycle(90)),
            ("missing_features", reroute("product_feedback")),
            ("unspecified", reroute("revops_review")),
            ("other", reroute("revops_review")),
        ]
        .into_iter()
        .collect();
        RejectionPolicy { actions }
    }
}

impl RejectionPolicy {
    /// Maps the reason `key` to `action`.
    ///
    /// # Errors
    /// [`ErrorKind::UnknownKey`] for a key outside [`Reason::KEYS`];
    /// [`ErrorKind::NonPositiveDuration`] for a recycle after zero days; [`ErrorKind::InvalidValue`]
    /// for a reroute to a blank owner.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::Reason;
    /// use revops::funnel::{RejectionAction, RejectionPolicy};
    /// use revops::ErrorKind;
    ///
    /// let policy = RejectionPolicy::default().with("competitor", RejectionAction::Reroute { to: "competitive_desk".into() })?;
    /// assert_eq!(policy.action(&Reason::Competitor), &RejectionAction::Reroute { to: "competitive_desk".into() });
    /// let typo = RejectionPolicy::default().with("competitors", RejectionAction::Disqualify);
    /// assert!(matches!(typo.as_ref().map_err(revops::Error::kind), Err(ErrorKind::UnknownKey { .. })));
    /// let never = RejectionPolicy::default().with("no_need", RejectionAction::Recycle { after_days: 0 });
    /// assert!(matches!(never.as_ref().map_err(revops::Error::kind), Err(ErrorKind::NonPositiveDuration { .. })));
    /// assert!(RejectionPolicy::default().with("duplicate", RejectionAction::Reroute { to: " ".into() }).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn with(mut self, key: &str, action: RejectionAction) -> Result<RejectionPolicy, Error> {
        let Some(key) = Reason::KEYS.iter().find(|k| **k == key) else {
            return Err(ErrorKind::UnknownKey { kind: "rejection reason", key: key.to_owned() }.into());
        };
        match &action {
            RejectionAction::Recycle { after_days: 0 } => {
                return Err(ErrorKind::NonPositiveDuration { field: "recycle delay", seconds: 0 }.into());
            }
            RejectionAction::Reroute { to } if to.trim().is_empty() => {
                return Err(ErrorKind::InvalidValue {
                    field: "reroute owner",
                    value: to.clone(),
                    reason: "must not be blank",
                }
                .into());
            }
            _ => {}
        }
        self.actions.insert(key, action);
        Ok(self)
    }

    /// The action for `reason` (every key has one).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::Reason;
    /// use revops::funnel::{RejectionAction, RejectionPolicy};
    ///
    /// let policy = RejectionPolicy::default();
    /// // A free-text reason takes the `other` key's action.
    /// let other = policy.action(&Reason::Other("wrong region".into()));
    /// assert_eq!(other, &RejectionAction::Reroute { to: "revops_review".into() });
    /// assert_eq!(policy.action(&Reason::MissingFeatures), &RejectionAction::Reroute { to: "product_feedback".into() });
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn action(&self, reason: &Reason) -> &RejectionAction {
        self.actions.get(reason.key()).unwrap_or(&RejectionAction::Disqualify)
    }

    /// The decision for `disposition`: for a rejection or a recycle, the action for its
    /// reason and, for a recycle action, the re-qualification date (`at` plus the delay,
    /// exact calendar-free arithmetic in UTC); `None` for an acceptance. The policy's action
    /// applies whether sales recorded a rejection or a recycle: the reason decides.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] if the date leaves chrono's range.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::{Disposition, DispositionOutcome, Reason};
    /// use revops::funnel::{RejectionAction, RejectionPolicy};
    /// use revops::LeadId;
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let policy = RejectionPolicy::default();
    /// let lead = LeadId::new("L-3")?;
    /// let at_ = at("2024-03-01T09:00:00Z")?;
    /// let rejected = |reason| Disposition { lead: lead.clone(), at: at_, outcome: DispositionOutcome::Rejected { reason } };
    /// // The reason decides: no authority recycles after 60 days, even when sales "rejected" the lead.
    /// let decision = policy.decide(&rejected(Reason::NoAuthority))?;
    /// assert_eq!(decision.and_then(|d| d.requalify_at), Some(at("2024-04-30T09:00:00Z")?));
    /// let bad_data = policy.decide(&rejected(Reason::BadData))?;
    /// assert_eq!(bad_data.map(|d| (d.action, d.requalify_at)), Some((RejectionAction::Disqualify, None)));
    /// let accepted = Disposition { lead, at: at_, outcome: DispositionOutcome::Accepted };
    /// assert_eq!(policy.decide(&accepted)?, None);
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn decide(&self, disposition: &Disposition) -> Result<Option<RejectionDecision>, Error> {
        let Some(reason) = disposition.outcome.reason() else { return Ok(None) };
        let action = self.action(reason).clone();
        let requalify_at = match action {
            RejectionAction::Recycle { after_days } => Some(
                TimeDelta::try_days(i64::from(after_days))
                    .and_then(|d| disposition.at.checked_add_signed(d))
                    .ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op: "re-qualification date" }))?,
            ),
            _ => None,
        };
        Ok(Some(RejectionDecision { action, requalify_at }))
    }
}

/// Wire shape of [`RejectionPolicy`]: the format documented on [`RejectionPolicy`] ("Wire
/// format"), which is stable. Changing a key or a spelling here is a breaking change of the crate.
#[cfg(feature = "serde")]
#[derive(serde::Serialize)]
#[serde(transparent)]
struct PolicyRepr(BTreeMap<String, RejectionAction>);

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for PolicyRepr {
    /// A reason key written twice is [`ErrorKind::DuplicateKey`], not "the last one wins".
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<PolicyRepr, D::Error> {
        crate::funnel::unique_map::deserialize(d, "rejection reason").map(PolicyRepr)
    }
}

#[cfg(feature = "serde")]
impl TryFrom<PolicyRepr> for RejectionPolicy {
    type Error = Error;
    /// Keys not given keep the default mapping.
    fn try_from(repr: PolicyRepr) -> Result<RejectionPolicy, Error> {
        repr.0.into_iter().try_fold(RejectionPolicy::default(), |p, (k, a)| p.with(&k, a))
    }
}

#[cfg(feature = "serde")]
impl From<RejectionPolicy> for PolicyRepr {
    fn from(p: RejectionPolicy) -> PolicyRepr {
        PolicyRepr(p.actions.into_iter().map(|(k, a)| (k.to_owned(), a)).collect())
    }
}
