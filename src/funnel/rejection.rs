//! Rejections and the feedback loop: a reason taxonomy, each reason mapped to an action, and
//! totals by reason and by lead source for marketing to act on.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, TimeDelta, Utc};

use crate::{ChannelId, Error, LeadId, StageId};

/// Why sales rejected a lead.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum RejectionReason {
    /// Outside the ideal customer profile.
    BadFit,
    /// No need for the product.
    NoNeed,
    /// No budget.
    NoBudget,
    /// Not the person who decides.
    NoAuthority,
    /// Not now; maybe later.
    BadTiming,
    /// Could not be reached.
    Unreachable,
    /// Fake or broken contact data.
    BadData,
    /// A duplicate of an existing lead or contact.
    Duplicate,
    /// Already a customer, or already in an open opportunity.
    ExistingCustomer,
    /// Works for a competitor.
    Competitor,
    /// A student or a personal (non-business) inquiry.
    StudentOrPersonal,
    /// A partner or a vendor pitching us.
    PartnerOrVendor,
    /// Anything else, with the rep's words.
    Other(String),
}

impl RejectionReason {
    /// Every reason key, in taxonomy order (`other` last).
    pub const KEYS: [&'static str; 13] = [
        "bad_fit",
        "no_need",
        "no_budget",
        "no_authority",
        "bad_timing",
        "unreachable",
        "bad_data",
        "duplicate",
        "existing_customer",
        "competitor",
        "student_or_personal",
        "partner_or_vendor",
        "other",
    ];

    /// The snake-case key; every [`RejectionReason::Other`] shares `other`.
    #[must_use]
    pub const fn key(&self) -> &'static str {
        match self {
            RejectionReason::BadFit => "bad_fit",
            RejectionReason::NoNeed => "no_need",
            RejectionReason::NoBudget => "no_budget",
            RejectionReason::NoAuthority => "no_authority",
            RejectionReason::BadTiming => "bad_timing",
            RejectionReason::Unreachable => "unreachable",
            RejectionReason::BadData => "bad_data",
            RejectionReason::Duplicate => "duplicate",
            RejectionReason::ExistingCustomer => "existing_customer",
            RejectionReason::Competitor => "competitor",
            RejectionReason::StudentOrPersonal => "student_or_personal",
            RejectionReason::PartnerOrVendor => "partner_or_vendor",
            RejectionReason::Other(_) => "other",
        }
    }

    /// The reason for a key (CRM picklist value); `other` needs its text, so it and unknown
    /// keys give `None`.
    #[must_use]
    pub fn from_key(key: &str) -> Option<RejectionReason> {
        Some(match key {
            "bad_fit" => RejectionReason::BadFit,
            "no_need" => RejectionReason::NoNeed,
            "no_budget" => RejectionReason::NoBudget,
            "no_authority" => RejectionReason::NoAuthority,
            "bad_timing" => RejectionReason::BadTiming,
            "unreachable" => RejectionReason::Unreachable,
            "bad_data" => RejectionReason::BadData,
            "duplicate" => RejectionReason::Duplicate,
            "existing_customer" => RejectionReason::ExistingCustomer,
            "competitor" => RejectionReason::Competitor,
            "student_or_personal" => RejectionReason::StudentOrPersonal,
            "partner_or_vendor" => RejectionReason::PartnerOrVendor,
            _ => return None,
        })
    }
}

impl fmt::Display for RejectionReason {
    /// The key, or `other: <text>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RejectionReason::Other(text) => write!(f, "other: {text}"),
            r => f.write_str(r.key()),
        }
    }
}

/// What happens to a lead rejected for a reason.
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

/// The decision for one rejection.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Disposition {
    /// The action.
    pub action: RejectionAction,
    /// For a recycle, when the lead is due for re-qualification.
    pub requalify_at: Option<DateTime<Utc>>,
}

/// One rejection (a fact).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct Rejection {
    /// The lead.
    pub lead: LeadId,
    /// Why.
    pub reason: RejectionReason,
    /// When sales dispositioned it.
    pub at: DateTime<Utc>,
    /// The lead source (channel of the lead-creation touch).
    pub source: ChannelId,
    /// The stage it was rejected from.
    pub from_stage: StageId,
}

/// Maps each rejection reason to its action.
///
/// Default mapping (our rule, after common SDR playbooks): bad fit, bad data, competitor and
/// student or personal disqualify; no need recycles after 180 days, no budget and bad timing
/// after 90, no authority after 60, unreachable after 30; a duplicate reroutes to
/// `record_owner`, an existing customer to `account_owner`, a partner or vendor to
/// `partner_team`, other to `revops_review`.
///
/// On the wire (feature `serde`) a policy is a map from reason key to action; keys not given
/// keep the default mapping, unknown keys and invalid actions are rejected as by
/// [`RejectionPolicy::with`].
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::funnel::{Rejection, RejectionAction, RejectionPolicy, RejectionReason};
/// use revops::{ChannelId, LeadId, StageId};
///
/// let policy = RejectionPolicy::default().with("bad_timing", RejectionAction::Recycle { after_days: 30 })?;
/// # let at = Utc.with_ymd_and_hms(2024, 3, 1, 9, 0, 0).unwrap();
/// # let thirty_days_later = Utc.with_ymd_and_hms(2024, 3, 31, 9, 0, 0).unwrap();
/// let rejection = Rejection {
///     lead: LeadId::new("L-1")?,
///     reason: RejectionReason::BadTiming,
///     at,
///     source: ChannelId::new("webinar")?,
///     from_stage: StageId::new("mql")?,
/// };
/// let decision = policy.decide(&rejection)?;
/// assert_eq!(decision.requalify_at, Some(thirty_days_later));
/// # Ok::<(), revops::Error>(())
/// ```
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
    /// [`Error::UnknownKey`] for a key outside [`RejectionReason::KEYS`];
    /// [`Error::NonPositiveDuration`] for a recycle after zero days; [`Error::InvalidValue`]
    /// for a reroute to a blank owner.
    pub fn with(mut self, key: &str, action: RejectionAction) -> Result<RejectionPolicy, Error> {
        let Some(key) = RejectionReason::KEYS.iter().find(|k| **k == key) else {
            return Err(Error::UnknownKey { kind: "rejection reason", key: key.to_owned() });
        };
        match &action {
            RejectionAction::Recycle { after_days: 0 } => {
                return Err(Error::NonPositiveDuration { field: "recycle delay", seconds: 0 });
            }
            RejectionAction::Reroute { to } if to.trim().is_empty() => {
                return Err(Error::InvalidValue {
                    field: "reroute owner",
                    value: to.clone(),
                    reason: "must not be blank",
                });
            }
            _ => {}
        }
        self.actions.insert(key, action);
        Ok(self)
    }

    /// The action for `reason`.
    #[must_use]
    pub fn action(&self, reason: &RejectionReason) -> &RejectionAction {
        self.actions.get(reason.key()).unwrap_or(&RejectionAction::Disqualify)
    }

    /// The decision for `rejection`: its action and, for a recycle, the re-qualification date
    /// (`at` plus the delay, exact calendar-free arithmetic in UTC).
    ///
    /// # Errors
    /// [`Error::Overflow`] if the date leaves chrono's range.
    pub fn decide(&self, rejection: &Rejection) -> Result<Disposition, Error> {
        let action = self.action(&rejection.reason).clone();
        let requalify_at = match action {
            RejectionAction::Recycle { after_days } => Some(
                TimeDelta::try_days(i64::from(after_days))
                    .and_then(|d| rejection.at.checked_add_signed(d))
                    .ok_or(Error::Overflow { op: "re-qualification date" })?,
            ),
            _ => None,
        };
        Ok(Disposition { action, requalify_at })
    }
}

#[cfg(feature = "serde")]
#[derive(serde::Serialize)]
#[serde(transparent)]
struct PolicyRepr(BTreeMap<String, RejectionAction>);

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for PolicyRepr {
    /// A reason key written twice is [`Error::DuplicateKey`], not "the last one wins".
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<PolicyRepr, D::Error> {
        super::unique_map::deserialize(d, "rejection reason").map(PolicyRepr)
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

/// Accumulator of rejections by reason and by lead source: `push`, `merge` (associative and
/// commutative), `finish`.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::funnel::{Rejection, RejectionReason, RejectionTally};
/// use revops::{ChannelId, LeadId, StageId};
///
/// # let at = Utc.with_ymd_and_hms(2024, 3, 1, 9, 0, 0).unwrap();
/// let reject = |reason, source: &str| -> Result<Rejection, revops::Error> {
///     Ok(Rejection { lead: LeadId::new("L-1")?, reason, at, source: ChannelId::new(source)?, from_stage: StageId::new("mql")? })
/// };
/// let mut tally = RejectionTally::new();
/// tally.push(&reject(RejectionReason::BadFit, "paid_social")?)?;
/// tally.push(&reject(RejectionReason::BadFit, "paid_social")?)?;
/// tally.push(&reject(RejectionReason::NoBudget, "webinar")?)?;
/// let report = tally.finish();
/// assert_eq!(report.total, 3);
/// assert_eq!(report.top_reasons(1), vec![("bad_fit", 2)]);
/// # Ok::<(), revops::Error>(())
/// ```
///
/// `RejectionTally` is a [`Tally`](crate::Tally) over [`Rejection`]s; it has no definition to
/// compare (every tally counts every rejection the same way), and its partial state is its
/// [`RejectionReport`], which serializes and is validated on deserialize.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(transparent))]
pub struct RejectionTally {
    report: RejectionReport,
}

/// Rejection totals: overall, by reason key and by lead source then reason key (all maps in
/// key order).
///
/// On deserialize it is validated as a tally's result: known reason keys, no zero counts, and
/// the totals agree (`total` is the sum by reason, and each reason's count the sum over
/// sources).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "ReportRepr", into = "ReportRepr")
)]
#[non_exhaustive]
pub struct RejectionReport {
    /// Rejections counted.
    pub total: u64,
    /// Count per reason key.
    pub by_reason: BTreeMap<String, u64>,
    /// Count per lead source, then per reason key.
    pub by_source: BTreeMap<ChannelId, BTreeMap<String, u64>>,
}

impl RejectionTally {
    /// An empty tally.
    #[must_use]
    pub fn new() -> RejectionTally {
        RejectionTally::default()
    }

    /// Counts one rejection.
    ///
    /// # Errors
    /// [`Error::Overflow`] if a count would pass `u64::MAX` (only a deserialized state near
    /// the limit can get there); nothing is counted then.
    pub fn push(&mut self, rejection: &Rejection) -> Result<(), Error> {
        let mut one = RejectionReport { total: 1, ..RejectionReport::default() };
        let key = rejection.reason.key().to_owned();
        one.by_reason.insert(key.clone(), 1);
        one.by_source.entry(rejection.source.clone()).or_default().insert(key, 1);
        self.merge(RejectionTally { report: one })
    }

    /// Adds `other`'s counts to this tally (associative and commutative).
    ///
    /// # Errors
    /// [`Error::Overflow`] if a count would pass `u64::MAX`; the tally is unchanged then.
    pub fn merge(&mut self, other: RejectionTally) -> Result<(), Error> {
        let overflow = || Error::Overflow { op: "rejection tally" };
        let mut r = self.report.clone();
        r.total = r.total.checked_add(other.report.total).ok_or_else(overflow)?;
        add_counts(&mut r.by_reason, other.report.by_reason).ok_or_else(overflow)?;
        for (source, reasons) in other.report.by_source {
            add_counts(r.by_source.entry(source).or_default(), reasons).ok_or_else(overflow)?;
        }
        self.report = r;
        Ok(())
    }

    /// The totals.
    #[must_use]
    pub fn finish(self) -> RejectionReport {
        self.report
    }
}

impl RejectionReport {
    /// The `n` most frequent reasons, by count descending then key.
    #[must_use]
    pub fn top_reasons(&self, n: usize) -> Vec<(&str, u64)> {
        top(&self.by_reason, n)
    }

    /// The `n` most frequent reasons among leads from `source`.
    #[must_use]
    pub fn top_reasons_for(&self, source: &ChannelId, n: usize) -> Vec<(&str, u64)> {
        self.by_source.get(source).map(|m| top(m, n)).unwrap_or_default()
    }

    /// Rejections per source, by count descending then source.
    #[must_use]
    pub fn sources_by_count(&self) -> Vec<(&ChannelId, u64)> {
        // A tally's (or a validated) report sums to at most `total`; the public fields may be
        // edited, so the sum saturates instead of overflowing.
        let mut v: Vec<(&ChannelId, u64)> =
            self.by_source.iter().map(|(s, m)| (s, m.values().fold(0u64, |a, &n| a.saturating_add(n)))).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        v
    }
}

/// Adds `more` to `counts` key by key; `None` on overflow.
fn add_counts(counts: &mut BTreeMap<String, u64>, more: BTreeMap<String, u64>) -> Option<()> {
    for (k, n) in more {
        let slot = counts.entry(k).or_default();
        *slot = slot.checked_add(n)?;
    }
    Some(())
}

impl crate::Tally for RejectionTally {
    type Fact = Rejection;
    type Output = RejectionReport;

    fn push(&mut self, fact: &Rejection) -> Result<(), Error> {
        RejectionTally::push(self, fact)
    }

    fn merge(&mut self, other: RejectionTally) -> Result<(), Error> {
        RejectionTally::merge(self, other)
    }

    fn finish(self) -> Result<RejectionReport, Error> {
        Ok(RejectionTally::finish(self))
    }
}

/// Wire shape of [`RejectionReport`].
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportRepr {
    total: u64,
    by_reason: BTreeMap<String, u64>,
    by_source: BTreeMap<ChannelId, BTreeMap<String, u64>>,
}

#[cfg(feature = "serde")]
impl From<RejectionReport> for ReportRepr {
    fn from(r: RejectionReport) -> ReportRepr {
        ReportRepr { total: r.total, by_reason: r.by_reason, by_source: r.by_source }
    }
}

#[cfg(feature = "serde")]
impl TryFrom<ReportRepr> for RejectionReport {
    type Error = Error;

    /// Refuses what no tally produces: unknown reason keys, zero counts, or totals that
    /// disagree.
    fn try_from(r: ReportRepr) -> Result<RejectionReport, Error> {
        let invalid = |value: String, reason| Error::InvalidValue { field: "rejection report", value, reason };
        let overflow = || Error::Overflow { op: "rejection report" };
        let mut by_reason_from_sources: BTreeMap<String, u64> = BTreeMap::new();
        for (source, reasons) in &r.by_source {
            if reasons.is_empty() {
                return Err(invalid(source.to_string(), "a source without rejections"));
            }
            add_counts(&mut by_reason_from_sources, reasons.clone()).ok_or_else(overflow)?;
        }
        let mut total: u64 = 0;
        for (key, &n) in &r.by_reason {
            if !RejectionReason::KEYS.contains(&key.as_str()) {
                return Err(Error::UnknownKey { kind: "rejection reason", key: key.clone() });
            }
            if n == 0 {
                return Err(invalid(key.clone(), "a zero count"));
            }
            total = total.checked_add(n).ok_or_else(overflow)?;
        }
        if by_reason_from_sources != r.by_reason {
            return Err(invalid(format!("{:?}", r.by_reason), "the counts by reason are not the sums over sources"));
        }
        if total != r.total {
            return Err(invalid(r.total.to_string(), "the total is not the sum of the counts by reason"));
        }
        Ok(RejectionReport { total: r.total, by_reason: r.by_reason, by_source: r.by_source })
    }
}

fn top(map: &BTreeMap<String, u64>, n: usize) -> Vec<(&str, u64)> {
    let mut v: Vec<(&str, u64)> = map.iter().map(|(k, c)| (k.as_str(), *c)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    v.truncate(n);
    v
}

#[cfg(test)]
mod tests;
