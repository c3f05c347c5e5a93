//! Rejections and the feedback loop: each rejection [`Reason`](crate::facts::Reason) mapped to
//! an action ([`RejectionPolicy`]), and totals by reason and by lead source for marketing to
//! act on ([`RejectionTally`]).
//!
//! Both evaluate facts: a [`Disposition`] that rejected or recycled a lead, the [`Lead`] (its
//! source) and the lead's [`StageChange`]s (the stage it was rejected from). [`Rejection`] is
//! the view the tally reads, derived from those facts by [`Rejection::from_facts`].

use chrono::{DateTime, Utc};

use crate::Record;
use crate::facts::{Disposition, DispositionOutcome, Lead, Reason, StageChange};
use crate::{ChannelId, Error, ErrorKind, LeadId, StageId};

mod policy;
mod tally;

pub use self::policy::{RejectionAction, RejectionDecision, RejectionPolicy};
pub use self::tally::{RejectionReport, RejectionTally};

/// One rejection or recycle of a lead, as the [`RejectionTally`] reads it: a view derived from
/// the facts with [`Rejection::from_facts`] (or [`Rejection::with_from_stage`]), never filled
/// by hand (the struct is `#[non_exhaustive]`).
///
/// # Example
///
/// ```
/// use chrono::TimeDelta;
/// use revops::facts::{Disposition, DispositionOutcome, Lead, Reason, StageChange};
/// use revops::funnel::Rejection;
/// use revops::{ChannelId, LeadId, StageId};
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let march = at("2024-03-01T09:00:00Z")?;
/// let t = |day: i64| march + TimeDelta::days(day - 1);
/// let id = LeadId::new("L-1")?;
/// let lead = Lead::new(id.clone(), t(1)).from_source(ChannelId::new("webinar")?);
/// let changes = [
///     StageChange { entity: id.clone(), stage: StageId::new("inquiry")?, at: t(1) },
///     StageChange { entity: id.clone(), stage: StageId::new("mql")?, at: t(2) },
///     StageChange { entity: id.clone(), stage: StageId::new("nurture")?, at: t(4) },
/// ];
/// let recycled = Disposition { lead: id, at: t(4), outcome: DispositionOutcome::Recycled { reason: Reason::BadTiming } };
/// let rejection = Rejection::from_facts(&lead, &recycled, &changes)?;
/// assert_eq!(rejection.as_ref().map(|r| (&r.reason, r.recycled)), Some((&Reason::BadTiming, true)));
/// // The stage it was in just before the disposition, not the nurture stage it went to.
/// let mql = StageId::new("mql")?;
/// assert_eq!(rejection.as_ref().and_then(|r| r.from_stage.as_ref()), Some(&mql));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Rejection {
    /// The lead.
    pub lead: LeadId,
    /// Why (the disposition's reason).
    pub reason: Reason,
    /// Whether sales recycled the lead to nurture ([`DispositionOutcome::Recycled`]) rather
    /// than rejecting it ([`DispositionOutcome::Rejected`]).
    pub recycled: bool,
    /// When sales dispositioned it.
    pub at: DateTime<Utc>,
    /// The lead source ([`Lead::source`]), if recorded.
    pub source: Option<ChannelId>,
    /// The stage it was rejected from, if known.
    pub from_stage: Option<StageId>,
}

impl Rejection {
    /// The rejection `disposition` records for `lead`, with the stage it was rejected from
    /// derived from the lead's stage changes: the stage of the latest change strictly before
    /// the disposition (a move out of it recorded at the disposition's instant, e.g. to
    /// nurture, does not count). Changes of other leads are skipped, and `changes` may come
    /// in any order (among changes at one instant, the later in `changes` wins). `None` for
    /// an acceptance.
    ///
    /// # Errors
    /// [`ErrorKind::InconsistentRecord`] naming the disposition's lead if it is not `lead`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::{Disposition, DispositionOutcome, Lead, Reason, StageChange};
    /// use revops::funnel::Rejection;
    /// use revops::{LeadId, StageId};
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let id = LeadId::new("L-9")?;
    /// let lead = Lead::new(id.clone(), at("2024-03-01T09:00:00Z")?); // no recorded source
    /// let changes = [StageChange { entity: id.clone(), stage: StageId::new("sal")?, at: at("2024-03-02T09:00:00Z")? }];
    /// let outcome = DispositionOutcome::Rejected { reason: Reason::Other("wrong region".into()) };
    /// let rejected = Disposition { lead: id.clone(), at: at("2024-03-03T09:00:00Z")?, outcome };
    /// let rejection = Rejection::from_facts(&lead, &rejected, &changes)?;
    /// assert_eq!(rejection.as_ref().map(|r| (r.recycled, r.source.is_none(), r.at)), Some((false, true, rejected.at)));
    /// assert_eq!(rejection.and_then(|r| r.from_stage).map(|s| s.to_string()).as_deref(), Some("sal"));
    ///
    /// // An acceptance is no rejection; another lead's disposition is an error.
    /// let accepted = Disposition { lead: id, at: at("2024-03-03T09:00:00Z")?, outcome: DispositionOutcome::Accepted };
    /// assert_eq!(Rejection::from_facts(&lead, &accepted, &changes)?, None);
    /// let other = Disposition { lead: LeadId::new("L-10")?, ..accepted };
    /// assert!(Rejection::from_facts(&lead, &other, &changes).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn from_facts<'a>(
        lead: &Lead,
        disposition: &Disposition,
        changes: impl IntoIterator<Item = &'a StageChange>,
    ) -> Result<Option<Rejection>, Error> {
        let from_stage = changes
            .into_iter()
            .filter(|c| c.entity == lead.id && c.at < disposition.at)
            .fold(None::<&StageChange>, |latest, c| match latest {
                Some(l) if l.at > c.at => Some(l),
                _ => Some(c),
            })
            .map(|c| c.stage.clone());
        Rejection::with_from_stage(lead, disposition, from_stage)
    }

    /// The rejection `disposition` records for `lead`, rejected from `from_stage` as given
    /// (for a caller that knows it without the stage history). `None` for an acceptance.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::{Disposition, DispositionOutcome, Lead, Reason};
    /// use revops::funnel::Rejection;
    /// use revops::{ChannelId, LeadId, StageId};
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let lead = Lead::new(LeadId::new("L-4")?, at("2024-03-01T09:00:00Z")?).from_source(ChannelId::new("paid_search")?);
    /// let outcome = DispositionOutcome::Rejected { reason: Reason::Competitor };
    /// let rejected = Disposition { lead: lead.id.clone(), at: at("2024-03-04T16:30:00Z")?, outcome };
    /// let rejection = Rejection::with_from_stage(&lead, &rejected, Some(StageId::new("mql")?))?;
    /// assert_eq!(rejection.as_ref().map(|r| &r.reason), Some(&Reason::Competitor));
    /// assert_eq!(rejection.and_then(|r| r.source).map(|s| s.to_string()).as_deref(), Some("paid_search"));
    /// # Ok::<(), revops::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::InconsistentRecord`] naming the disposition's lead if it is not `lead`.
    pub fn with_from_stage(
        lead: &Lead,
        disposition: &Disposition,
        from_stage: Option<StageId>,
    ) -> Result<Option<Rejection>, Error> {
        if disposition.lead != lead.id {
            return Err(ErrorKind::InconsistentRecord {
                reason: "the disposition is for another lead than the one given",
            }
            .about(Record::Lead(disposition.lead.clone())));
        }
        let (reason, recycled) = match &disposition.outcome {
            DispositionOutcome::Accepted => return Ok(None),
            DispositionOutcome::Rejected { reason } => (reason.clone(), false),
            DispositionOutcome::Recycled { reason } => (reason.clone(), true),
        };
        Ok(Some(Rejection {
            lead: lead.id.clone(),
            reason,
            recycled,
            at: disposition.at,
            source: lead.source.clone(),
            from_stage,
        }))
    }
}

#[cfg(test)]
mod tests;
