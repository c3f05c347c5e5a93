//! [`LeadFact`]: a lead as the lead-flow metrics see it, derived from the facts.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::Record;
use crate::facts::{Deal, DealStatus, Disposition, FactSet, Lead, StageChange};
use crate::{Error, ErrorKind, LeadId, Money, StageId};

/// A lead as the lead-flow metrics see it: a derived view of the facts, built by
/// [`LeadFact::from_facts`] (one lead) or [`LeadFact::from_fact_set`] (every lead of a
/// [`FactSet`]), never filled by hand.
///
/// Derivation rules (our rules, [definitions, section 5](crate::definitions::metrics#funnel-hygiene)):
///
/// - **Delivered** is the lead's *first* entry of the handoff stage the caller names (the MQL
///   stage, or whichever stage marketing hands over at), the funnel's first-entry rule; a lead
///   that never entered it was not delivered.
/// - **Disposition** is the lead's first [`Disposition`] (earliest `at`; ties by outcome
///   order): the one that answers the handoff. A later re-disposition (after a recycle and a
///   new handoff) does not change whether the first handoff was answered in time.
/// - **Wins** are the lead's deals with [`DealStatus::Won`], each with its `closed_at` and
///   amount; revenue per lead sums those won within the horizon. Open and lost deals are not
///   revenue.
///
/// Bad input is a typed error naming the record: a fact of another lead
/// ([`ErrorKind::InconsistentRecord`] naming the fact), a disposition without a delivery
/// ([`ErrorKind::InconsistentRecord`] naming the lead), delivery or a win before the lead was
/// created and a disposition before delivery ([`ErrorKind::CloseBeforeCreate`] naming the lead),
/// and every error of [`Deal::check`] on a deal of the lead.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::{Disposition, DispositionOutcome, Lead, Reason, StageChange};
/// use revops::metrics::LeadFact;
/// use revops::{ErrorKind, LeadId, StageId};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let (id, mql) = (LeadId::new("L-1")?, StageId::new("mql")?);
/// let lead = Lead::new(id.clone(), t(1));
/// // Handed over twice (recycled in between): delivered at the first entry.
/// let changes = [t(5), t(2)].map(|at| StageChange { entity: id.clone(), stage: mql.clone(), at });
/// let recycled = DispositionOutcome::Recycled { reason: Reason::Unspecified };
/// let answers = [
///     Disposition { lead: id.clone(), at: t(6), outcome: DispositionOutcome::Accepted },
///     Disposition { lead: id.clone(), at: t(3), outcome: recycled.clone() },
/// ];
/// let fact = LeadFact::from_facts(&lead, &mql, &changes, &answers, &[])?;
/// assert_eq!((fact.id(), fact.created_at(), fact.delivered_at()), (&id, t(1), Some(t(2))));
/// assert_eq!(fact.disposition().map(|d| (d.at, &d.outcome)), Some((t(3), &recycled))); // the first answer
/// assert!(fact.wins().is_empty());
/// // A disposition of a lead that was never handed over is refused, naming the lead.
/// let err = LeadFact::from_facts(&lead, &mql, &[], &answers, &[]).err();
/// assert!(matches!(err.as_ref().map(|e| e.kind()), Some(ErrorKind::InconsistentRecord { .. })));
/// assert_eq!(err.as_ref().and_then(|e| e.record()), Some(&revops::Record::Lead(id.clone())));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeadFact {
    id: LeadId,
    created_at: DateTime<Utc>,
    delivered_at: Option<DateTime<Utc>>,
    disposition: Option<Disposition>,
    wins: Vec<(DateTime<Utc>, Money)>,
}

impl LeadFact {
    /// The view of `lead` from its stage changes, dispositions and deals, delivered when it
    /// first entered `handoff`. Every fact given must name `lead` (deals by [`Deal::lead`]).
    ///
    /// # Errors
    /// See [`LeadFact`]: [`ErrorKind::InconsistentRecord`], [`ErrorKind::CloseBeforeCreate`], and the
    /// errors of [`Deal::check`].
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::facts::{Deal, DealStatus, Disposition, DispositionOutcome, Lead, StageChange};
    /// use revops::metrics::LeadFact;
    /// use revops::{Currency, LeadId, Money, OpportunityId, StageId};
    ///
    /// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
    /// let (id, mql) = (LeadId::new("L-1")?, StageId::new("mql")?);
    /// let lead = Lead::new(id.clone(), t(1));
    /// let changes = [StageChange { entity: id.clone(), stage: mql.clone(), at: t(2) }];
    /// let accepted = [Disposition { lead: id.clone(), at: t(3), outcome: DispositionOutcome::Accepted }];
    /// let won = Deal::new(OpportunityId::new("O-1")?, t(4), Money::from_minor(900_00, Currency::USD), DealStatus::Won)
    ///     .closed_at(Some(t(20)))
    ///     .lead(Some(id.clone()));
    /// let fact = LeadFact::from_facts(&lead, &mql, &changes, &accepted, &[won])?;
    /// assert_eq!(fact.delivered_at(), Some(t(2)));
    /// assert_eq!(fact.wins(), [(t(20), Money::from_minor(900_00, Currency::USD))]);
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn from_facts(
        lead: &Lead,
        handoff: &StageId,
        changes: &[StageChange],
        dispositions: &[Disposition],
        deals: &[Deal],
    ) -> Result<LeadFact, Error> {
        LeadFact::derive(lead, handoff, changes.iter(), dispositions.iter(), deals.iter(), true)
    }

    /// As [`LeadFact::from_facts`], with the lead's deals borrowed, for a caller that has
    /// already joined the changes and dispositions to `lead` (the agreement's scorecard groups
    /// them by lead once), so their lead ids are not compared again.
    #[cfg(feature = "serde")]
    pub(crate) fn from_fact_refs(
        lead: &Lead,
        handoff: &StageId,
        changes: &[StageChange],
        dispositions: &[Disposition],
        deals: &[&Deal],
    ) -> Result<LeadFact, Error> {
        LeadFact::derive(lead, handoff, changes.iter(), dispositions.iter(), deals.iter().copied(), false)
    }

    /// The view of every lead of `facts`, in the order of `facts.leads`: each lead's stage
    /// changes, dispositions and deals (those whose [`Deal::lead`] names it) grouped by lead
    /// id, then [`LeadFact::from_facts`]. Deals without a lead are not from a lead and are not
    /// read.
    ///
    /// # Errors
    /// [`ErrorKind::DuplicateKey`] for a repeated lead id; [`ErrorKind::InconsistentRecord`] naming a
    /// stage change, disposition or deal whose lead is not in `facts.leads`; the errors of
    /// [`LeadFact::from_facts`].
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::facts::{Deal, DealStatus, FactSet, Lead, StageChange};
    /// use revops::metrics::LeadFact;
    /// use revops::{Currency, ErrorKind, LeadId, Money, OpportunityId, StageId};
    ///
    /// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
    /// let (a, b, mql) = (LeadId::new("a")?, LeadId::new("b")?, StageId::new("mql")?);
    /// let usd = Money::from_minor(100_00, Currency::USD);
    /// let mut facts = FactSet::default();
    /// facts.leads = vec![Lead::new(b.clone(), t(1)), Lead::new(a.clone(), t(1))];
    /// facts.stage_changes = vec![StageChange { entity: a.clone(), stage: mql.clone(), at: t(2) }];
    /// facts.deals = vec![
    ///     Deal::new(OpportunityId::new("from-a")?, t(3), usd, DealStatus::Won).closed_at(Some(t(9))).lead(Some(a.clone())),
    ///     Deal::new(OpportunityId::new("no-lead")?, t(3), usd, DealStatus::Won).closed_at(Some(t(9))), // not read
    /// ];
    /// let leads = LeadFact::from_fact_set(&facts, &mql)?;
    /// let ids: Vec<&str> = leads.iter().map(|l| l.id().as_str()).collect();
    /// assert_eq!(ids, ["b", "a"]); // the order of `facts.leads`
    /// assert_eq!((leads[1].delivered_at(), leads[1].wins().len()), (Some(t(2)), 1));
    /// assert_eq!((leads[0].delivered_at(), leads[0].wins().len()), (None, 0));
    /// // A fact naming a lead that is not in the set is refused, naming the fact.
    /// facts.stage_changes.push(StageChange { entity: LeadId::new("zz")?, stage: mql, at: t(2) });
    /// let err = LeadFact::from_fact_set(&facts, &StageId::new("mql")?).err();
    /// assert!(matches!(err.as_ref().map(|e| e.kind()), Some(ErrorKind::InconsistentRecord { .. })));
    /// assert_eq!(err.as_ref().and_then(|e| e.record()), Some(&revops::Record::Lead(LeadId::new("zz")?)));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn from_fact_set(facts: &FactSet, handoff: &StageId) -> Result<Vec<LeadFact>, Error> {
        type Group<'a> = (Vec<&'a StageChange>, Vec<&'a Disposition>, Vec<&'a Deal>);
        let mut groups: BTreeMap<&LeadId, Group<'_>> = BTreeMap::new();
        for lead in &facts.leads {
            if groups.insert(&lead.id, Group::default()).is_some() {
                return Err(ErrorKind::DuplicateKey { kind: "lead id", key: lead.id.to_string() }.into());
            }
        }
        let unknown = |record: Record, reason| ErrorKind::InconsistentRecord { reason }.about(record);
        for c in &facts.stage_changes {
            let group = groups.get_mut(&c.entity);
            group
                .ok_or_else(|| {
                    unknown(Record::Lead(c.entity.clone()), "a stage change names a lead that is not in the fact set")
                })?
                .0
                .push(c);
        }
        for d in &facts.dispositions {
            let group = groups.get_mut(&d.lead);
            group
                .ok_or_else(|| {
                    unknown(Record::Lead(d.lead.clone()), "a disposition names a lead that is not in the fact set")
                })?
                .1
                .push(d);
        }
        for deal in &facts.deals {
            let Some(lead) = &deal.lead else { continue };
            let group = groups.get_mut(lead);
            group
                .ok_or_else(|| unknown(Record::Deal(deal.id.clone()), "names a lead that is not in the fact set"))?
                .2
                .push(deal);
        }
        let mut out = Vec::with_capacity(facts.leads.len());
        for lead in &facts.leads {
            // Every lead has a group, and a repeated id was refused above.
            let Some((changes, dispositions, deals)) = groups.remove(&lead.id) else {
                return Err(ErrorKind::DuplicateKey { kind: "lead id", key: lead.id.to_string() }.into());
            };
            out.push(LeadFact::derive(lead, handoff, changes, dispositions, deals, true)?);
        }
        Ok(out)
    }

    fn derive<'a>(
        lead: &Lead,
        handoff: &StageId,
        changes: impl IntoIterator<Item = &'a StageChange>,
        dispositions: impl IntoIterator<Item = &'a Disposition>,
        deals: impl IntoIterator<Item = &'a Deal>,
        check_ids: bool,
    ) -> Result<LeadFact, Error> {
        let other = |record: Record, reason| Err(ErrorKind::InconsistentRecord { reason }.about(record));
        let before = |later: DateTime<Utc>, earlier: DateTime<Utc>| {
            if later < earlier {
                Err(ErrorKind::CloseBeforeCreate { created_at: earlier, closed_at: later }
                    .about(Record::Lead(lead.id.clone())))
            } else {
                Ok(())
            }
        };
        let mut delivered_at: Option<DateTime<Utc>> = None;
        for c in changes {
            if check_ids && c.entity != lead.id {
                return other(Record::Lead(lead.id.clone()), "a stage change of another lead was given");
            }
            if &c.stage == handoff {
                delivered_at = Some(delivered_at.map_or(c.at, |d| d.min(c.at)));
            }
        }
        let mut first: Option<&Disposition> = None;
        for d in dispositions {
            if check_ids && d.lead != lead.id {
                return other(Record::Lead(lead.id.clone()), "a disposition of another lead was given");
            }
            if first.is_none_or(|f| (d.at, &d.outcome) < (f.at, &f.outcome)) {
                first = Some(d);
            }
        }
        let mut wins = Vec::new();
        for deal in deals {
            if deal.lead.as_ref() != Some(&lead.id) {
                return other(Record::Deal(deal.id.clone()), "deal given for another lead");
            }
            deal.check()?;
            if deal.status == DealStatus::Won
                && let Some(at) = deal.closed_at
            {
                before(at, lead.created_at)?;
                wins.push((at, deal.amount));
            }
        }
        wins.sort_unstable_by_key(|w| w.0);
        if let Some(d) = delivered_at {
            before(d, lead.created_at)?;
        }
        match (first, delivered_at) {
            (Some(_), None) => return other(Record::Lead(lead.id.clone()), "dispositioned but never delivered"),
            (Some(d), Some(delivered)) => before(d.at, delivered)?,
            _ => {}
        }
        Ok(LeadFact {
            id: lead.id.clone(),
            created_at: lead.created_at,
            delivered_at,
            disposition: first.cloned(),
            wins,
        })
    }

    /// The lead.
    #[must_use]
    pub const fn id(&self) -> &LeadId {
        &self.id
    }

    /// When the lead was created.
    #[must_use]
    pub const fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }

    /// When it first entered the handoff stage, if it did.
    #[must_use]
    pub const fn delivered_at(&self) -> Option<DateTime<Utc>> {
        self.delivered_at
    }

    /// Its first disposition, if any.
    #[must_use]
    pub const fn disposition(&self) -> Option<&Disposition> {
        self.disposition.as_ref()
    }

    /// Its won deals as `(closed_at, amount)`, earliest first.
    #[must_use]
    pub fn wins(&self) -> &[(DateTime<Utc>, Money)] {
        &self.wins
    }
}
