//! [`RejectionTally`]: rejections counted by reason and by lead source, and its
//! [`RejectionReport`].

use std::collections::BTreeMap;

use super::Rejection;
use crate::{ChannelId, Error, ErrorKind};

/// Accumulator of rejections by reason and by lead source: `push`, `merge` (associative and
/// commutative), `finish`.
///
/// # Example
///
/// ```
/// use revops::facts::{Disposition, DispositionOutcome, Lead, Reason};
/// use revops::funnel::{Rejection, RejectionTally};
/// use revops::{ChannelId, LeadId};
/// # fn instant(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let at = instant("2024-03-01T09:00:00Z")?;
/// let reject = |id: &str, reason, source: &str| -> Result<Option<Rejection>, revops::Error> {
///     let lead = Lead::new(LeadId::new(id)?, at).from_source(ChannelId::new(source)?);
///     let rejected = Disposition { lead: lead.id.clone(), at, outcome: DispositionOutcome::Rejected { reason } };
///     Rejection::from_facts(&lead, &rejected, [])
/// };
/// let mut tally = RejectionTally::new();
/// for rejection in [
///     reject("L-1", Reason::BadFit, "paid_social")?,
///     reject("L-2", Reason::BadFit, "paid_social")?,
///     reject("L-3", Reason::NoBudget, "webinar")?,
/// ]
/// .iter()
/// .flatten()
/// {
///     tally.push(rejection)?;
/// }
/// let report = tally.finish();
/// assert_eq!(report.total, 3);
/// assert_eq!(report.top_reasons(1), vec![("bad_fit", 2)]);
/// # Ok::<(), revops::Error>(())
/// ```
///
/// `RejectionTally` is a [`Tally`](crate::Tally) over [`Rejection`]s (derived from the
/// dispositions, leads and stage changes with [`Rejection::from_facts`]); it has no definition to
/// compare (every tally counts every rejection the same way), and its partial state is its
/// [`RejectionReport`], which serializes and is validated on deserialize.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(transparent))]
pub struct RejectionTally {
    pub(super) report: RejectionReport,
}

/// Rejection totals: overall, by reason key, and by lead source then reason key, with the
/// leads without a recorded source apart (all maps in key order; nothing is dropped).
///
/// On deserialize it is validated as a tally's result: known reason keys, no zero counts, and
/// the totals agree (`total` is the sum by reason, and each reason's count the sum over
/// sources and the unsourced counts).
///
/// # Example
///
/// ```
/// use revops::facts::{Disposition, DispositionOutcome, Lead, Reason};
/// use revops::funnel::{Rejection, RejectionTally};
/// use revops::{ChannelId, LeadId};
/// # fn instant(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
/// # let at = instant("2024-03-01T09:00:00Z")?;
/// let reject = |id: &str, reason, source: Option<&str>| -> Result<Option<Rejection>, revops::Error> {
///     let mut lead = Lead::new(LeadId::new(id)?, at);
///     lead.source = source.map(ChannelId::new).transpose()?;
///     let rejected = Disposition { lead: lead.id.clone(), at, outcome: DispositionOutcome::Rejected { reason } };
///     Rejection::from_facts(&lead, &rejected, [])
/// };
///
/// let mut tally = RejectionTally::new();
/// for rejection in [
///     reject("L-1", Reason::BadFit, Some("paid_social"))?,
///     reject("L-2", Reason::NoBudget, Some("paid_social"))?,
///     reject("L-3", Reason::BadFit, Some("webinar"))?,
///     reject("L-4", Reason::BadFit, None)?,
/// ]
/// .iter()
/// .flatten()
/// {
///     tally.push(rejection)?;
/// }
/// let report = tally.finish();
/// assert_eq!(report.total, 4);
/// assert_eq!(report.by_reason.get("bad_fit"), Some(&3));
/// let paid_social = ChannelId::new("paid_social")?;
/// assert_eq!(report.by_source.get(&paid_social).map(|m| m.len()), Some(2));
/// assert_eq!(report.unsourced.get("bad_fit"), Some(&1)); // nothing dropped
/// assert_eq!(report.top_reasons_for(&paid_social, 5), vec![("bad_fit", 1), ("no_budget", 1)]);
/// assert_eq!(report.sources_by_count(), vec![(&paid_social, 2), (&ChannelId::new("webinar")?, 1)]);
/// # Ok::<(), revops::Error>(())
/// ```
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
    /// Count per reason key of the leads without a recorded source.
    pub unsourced: BTreeMap<String, u64>,
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
    /// [`ErrorKind::Overflow`] if a count would pass `u64::MAX` (only a deserialized state near
    /// the limit can get there); nothing is counted then.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::{Disposition, DispositionOutcome, Lead, Reason};
    /// use revops::funnel::{Rejection, RejectionTally};
    /// use revops::{ChannelId, LeadId};
    /// # fn instant(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    /// # let at = instant("2024-03-01T09:00:00Z")?;
    /// let reject = |id: &str, reason, source: Option<&str>| -> Result<Option<Rejection>, revops::Error> {
    ///     let mut lead = Lead::new(LeadId::new(id)?, at);
    ///     lead.source = source.map(ChannelId::new).transpose()?;
    ///     let rejected = Disposition { lead: lead.id.clone(), at, outcome: DispositionOutcome::Rejected { reason } };
    ///     Rejection::from_facts(&lead, &rejected, [])
    /// };
    ///
    /// let mut tally = RejectionTally::new();
    /// if let Some(rejection) = reject("L-1", Reason::NoNeed, Some("webinar"))? {
    ///     tally.push(&rejection)?;
    /// }
    /// let report = tally.finish();
    /// assert_eq!((report.total, report.top_reasons(1)), (1, vec![("no_need", 1)]));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn push(&mut self, rejection: &Rejection) -> Result<(), Error> {
        // In place (the same counts as merging a tally of this one rejection): every count is
        // checked before any is written, so an overflow leaves the tally unchanged.
        let overflow = || ErrorKind::Overflow { op: "rejection tally" };
        let key = rejection.reason.key();
        let r = &mut self.report;
        let one_more = |counts: Option<&BTreeMap<String, u64>>| {
            counts.and_then(|c| c.get(key)).copied().unwrap_or_default().checked_add(1).ok_or_else(overflow)
        };
        let total = r.total.checked_add(1).ok_or_else(overflow)?;
        let by_reason = one_more(Some(&r.by_reason))?;
        let apart = match &rejection.source {
            Some(source) => one_more(r.by_source.get(source))?,
            None => one_more(Some(&r.unsourced))?,
        };
        r.total = total;
        set_count(&mut r.by_reason, key, by_reason);
        match &rejection.source {
            Some(source) => match r.by_source.get_mut(source) {
                Some(counts) => set_count(counts, key, apart),
                None => set_count(r.by_source.entry(source.clone()).or_default(), key, apart),
            },
            None => set_count(&mut r.unsourced, key, apart),
        }
        Ok(())
    }

    /// Adds `other`'s counts to this tally (associative and commutative).
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] if a count would pass `u64::MAX`; the tally is unchanged then.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::{Disposition, DispositionOutcome, Lead, Reason};
    /// use revops::funnel::{Rejection, RejectionTally};
    /// use revops::{ChannelId, LeadId};
    /// # fn instant(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    /// # let at = instant("2024-03-01T09:00:00Z")?;
    /// let reject = |id: &str, reason, source: Option<&str>| -> Result<Option<Rejection>, revops::Error> {
    ///     let mut lead = Lead::new(LeadId::new(id)?, at);
    ///     lead.source = source.map(ChannelId::new).transpose()?;
    ///     let rejected = Disposition { lead: lead.id.clone(), at, outcome: DispositionOutcome::Rejected { reason } };
    ///     Rejection::from_facts(&lead, &rejected, [])
    /// };
    ///
    /// // Two services count their own rejections; merging gives one pass over both.
    /// let (mut east, mut west, mut both) = (RejectionTally::new(), RejectionTally::new(), RejectionTally::new());
    /// for (in_east, id, reason) in [(true, "L-1", Reason::BadFit), (false, "L-2", Reason::BadFit), (false, "L-3", Reason::Price)] {
    ///     if let Some(rejection) = reject(id, reason, Some("webinar"))? {
    ///         if in_east { east.push(&rejection)? } else { west.push(&rejection)? }
    ///         both.push(&rejection)?;
    ///     }
    /// }
    /// east.merge(west)?;
    /// assert_eq!(east, both);
    /// assert_eq!(east.finish().top_reasons(2), vec![("bad_fit", 2), ("price", 1)]);
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn merge(&mut self, other: RejectionTally) -> Result<(), Error> {
        let overflow = || ErrorKind::Overflow { op: "rejection tally" };
        let mut r = self.report.clone();
        r.total = r.total.checked_add(other.report.total).ok_or_else(overflow)?;
        add_counts(&mut r.by_reason, other.report.by_reason).ok_or_else(overflow)?;
        for (source, reasons) in other.report.by_source {
            add_counts(r.by_source.entry(source).or_default(), reasons).ok_or_else(overflow)?;
        }
        add_counts(&mut r.unsourced, other.report.unsourced).ok_or_else(overflow)?;
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
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::{Disposition, DispositionOutcome, Lead, Reason};
    /// use revops::funnel::{Rejection, RejectionTally};
    /// use revops::{ChannelId, LeadId};
    /// # fn instant(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    /// # let at = instant("2024-03-01T09:00:00Z")?;
    /// let reject = |id: &str, reason, source: Option<&str>| -> Result<Option<Rejection>, revops::Error> {
    ///     let mut lead = Lead::new(LeadId::new(id)?, at);
    ///     lead.source = source.map(ChannelId::new).transpose()?;
    ///     let rejected = Disposition { lead: lead.id.clone(), at, outcome: DispositionOutcome::Rejected { reason } };
    ///     Rejection::from_facts(&lead, &rejected, [])
    /// };
    ///
    /// let mut tally = RejectionTally::new();
    /// for (id, reason) in [("L-1", Reason::NoBudget), ("L-2", Reason::BadFit), ("L-3", Reason::NoBudget), ("L-4", Reason::BadData)] {
    ///     if let Some(rejection) = reject(id, reason, None)? {
    ///         tally.push(&rejection)?;
    ///     }
    /// }
    /// let report = tally.finish();
    /// // Ties are broken by key: bad_data before bad_fit.
    /// assert_eq!(report.top_reasons(3), vec![("no_budget", 2), ("bad_data", 1), ("bad_fit", 1)]);
    /// assert_eq!(report.top_reasons(10).len(), 3);
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn top_reasons(&self, n: usize) -> Vec<(&str, u64)> {
        top(&self.by_reason, n)
    }

    /// The `n` most frequent reasons among leads from `source`.
    #[must_use]
    pub fn top_reasons_for(&self, source: &ChannelId, n: usize) -> Vec<(&str, u64)> {
        self.by_source.get(source).map(|m| top(m, n)).unwrap_or_default()
    }

    /// Rejections per source, by count descending then source (the leads without a source
    /// are in [`RejectionReport::unsourced`]).
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
/// Sets `key`'s count, allocating the key only when it is new.
fn set_count(counts: &mut BTreeMap<String, u64>, key: &str, n: u64) {
    match counts.get_mut(key) {
        Some(slot) => *slot = n,
        None => {
            counts.insert(key.to_owned(), n);
        }
    }
}

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
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    unsourced: BTreeMap<String, u64>,
}

#[cfg(feature = "serde")]
impl From<RejectionReport> for ReportRepr {
    fn from(r: RejectionReport) -> ReportRepr {
        ReportRepr { total: r.total, by_reason: r.by_reason, by_source: r.by_source, unsourced: r.unsourced }
    }
}

#[cfg(feature = "serde")]
impl TryFrom<ReportRepr> for RejectionReport {
    type Error = Error;

    /// Refuses what no tally produces: unknown reason keys, zero counts, or totals that
    /// disagree.
    fn try_from(r: ReportRepr) -> Result<RejectionReport, Error> {
        let invalid = |value: String, reason| ErrorKind::InvalidValue { field: "rejection report", value, reason };
        let overflow = || ErrorKind::Overflow { op: "rejection report" };
        let mut by_reason_from_sources: BTreeMap<String, u64> = BTreeMap::new();
        for (source, reasons) in &r.by_source {
            if reasons.is_empty() {
                return Err(crate::Error::from(invalid(source.to_string(), "a source without rejections")));
            }
            add_counts(&mut by_reason_from_sources, reasons.clone()).ok_or_else(overflow)?;
        }
        add_counts(&mut by_reason_from_sources, r.unsourced.clone()).ok_or_else(overflow)?;
        let mut total: u64 = 0;
        for (key, &n) in &r.by_reason {
            if !crate::facts::Reason::KEYS.contains(&key.as_str()) {
                return Err(ErrorKind::UnknownKey { kind: "rejection reason", key: key.clone() }.into());
            }
            if n == 0 {
                return Err(crate::Error::from(invalid(key.clone(), "a zero count")));
            }
            total = total.checked_add(n).ok_or_else(overflow)?;
        }
        if by_reason_from_sources != r.by_reason {
            return Err(crate::Error::from(invalid(
                format!("{:?}", r.by_reason),
                "the counts by reason are not the sums over sources and unsourced",
            )));
        }
        if total != r.total {
            return Err(crate::Error::from(invalid(
                r.total.to_string(),
                "the total is not the sum of the counts by reason",
            )));
        }
        Ok(RejectionReport { total: r.total, by_reason: r.by_reason, by_source: r.by_source, unsourced: r.unsourced })
    }
}

fn top(map: &BTreeMap<String, u64>, n: usize) -> Vec<(&str, u64)> {
    let mut v: Vec<(&str, u64)> = map.iter().map(|(k, c)| (k.as_str(), *c)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    v.truncate(n);
    v
}
