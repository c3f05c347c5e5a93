//! One partition's lead facts, joined by lead: each lead with its stage changes, responses and
//! dispositions. Facts naming a lead the partition does not hold, and a lead id given twice,
//! are set aside, never dropped.

use crate::fast_map::FastMap;
use std::borrow::Cow;

use crate::facts::{Disposition, FactSet, Lead, Response, StageChange};
use crate::{Error, ErrorKind, LeadId, Record};

/// One lead and its facts (borrowed when the partition holds them contiguously, the usual
/// case of facts exported lead by lead; copied together otherwise).
#[derive(Debug)]
pub(super) struct LeadFacts<'a> {
    pub(super) lead: &'a Lead,
    pub(super) changes: Cow<'a, [StageChange]>,
    pub(super) responses: Cow<'a, [Response]>,
    pub(super) dispositions: Cow<'a, [Disposition]>,
}

/// A fact set aside while joining, and the kind of fact it is.
#[derive(Debug)]
pub(super) struct Orphan {
    /// `"stage change"`, `"response"`, `"disposition"` or `"lead"` (a duplicate).
    pub(super) fact: &'static str,
    pub(super) error: Error,
}

/// The leads of `facts` in their order, each with its facts; and the facts set aside.
pub(super) fn join(facts: &FactSet) -> (Vec<LeadFacts<'_>>, Vec<Orphan>) {
    // A lookup table only (its order never reaches a result): hashed, as the join's one
    // per-lead index over partitions of any size.
    let mut index: FastMap<&LeadId, usize> = crate::fast_map::with_capacity(facts.leads.len());
    let mut leads = Vec::with_capacity(facts.leads.len());
    let mut orphans = Vec::new();
    for lead in &facts.leads {
        if index.contains_key(&lead.id) {
            // The first is kept; the second is the record set aside.
            let error = ErrorKind::DuplicateKey { kind: "lead id", key: lead.id.to_string() }
                .about(Record::Lead(lead.id.clone()));
            orphans.push(Orphan { fact: "lead", error });
            continue;
        }
        index.insert(&lead.id, leads.len());
        leads.push(LeadFacts {
            lead,
            changes: Cow::Borrowed(&[]),
            responses: Cow::Borrowed(&[]),
            dispositions: Cow::Borrowed(&[]),
        });
    }
    let locate = Locator { index: &index, leads: &leads };
    let slots = group(&facts.stage_changes, |c| &c.entity, &locate, "stage change", &mut orphans);
    let responses = group(&facts.responses, |r| &r.lead, &locate, "response", &mut orphans);
    let dispositions = group(&facts.dispositions, |d| &d.lead, &locate, "disposition", &mut orphans);
    for (i, slot) in slots {
        if let Some(lf) = leads.get_mut(i) {
            lf.changes = slot;
        }
    }
    for (i, slot) in responses {
        if let Some(lf) = leads.get_mut(i) {
            lf.responses = slot;
        }
    }
    for (i, slot) in dispositions {
        if let Some(lf) = leads.get_mut(i) {
            lf.dispositions = slot;
        }
    }
    (leads, orphans)
}

/// Finds a lead's position, trying the position after the last one first (facts in lead
/// order need no map lookup).
struct Locator<'m, 'a> {
    index: &'m FastMap<&'a LeadId, usize>,
    leads: &'m [LeadFacts<'a>],
}

impl Locator<'_, '_> {
    fn find(&self, id: &LeadId, hint: usize) -> Option<usize> {
        for guess in [hint, hint.wrapping_add(1)] {
            if self.leads.get(guess).is_some_and(|lf| &lf.lead.id == id) {
                return Some(guess);
            }
        }
        self.index.get(id).copied()
    }
}

/// `items` grouped by lead position: each maximal run of one lead's facts is borrowed; a lead
/// whose facts come in several runs gets them copied together, in the given order.
fn group<'a, T: Clone>(
    items: &'a [T],
    lead_of: impl Fn(&T) -> &LeadId,
    locate: &Locator<'_, '_>,
    fact: &'static str,
    orphans: &mut Vec<Orphan>,
) -> Vec<(usize, Cow<'a, [T]>)> {
    let mut slots: Vec<(usize, Cow<'a, [T]>)> = Vec::new();
    // Lead position -> its slot in `slots`.
    let mut where_: Vec<Option<usize>> = vec![None; locate.leads.len()];
    let mut start = 0;
    let mut hint = 0;
    while let Some(first) = items.get(start) {
        let id = lead_of(first);
        let len = items.get(start..).unwrap_or_default().iter().take_while(|t| lead_of(t) == id).count();
        let end = start + len;
        let run = items.get(start..end).unwrap_or_default();
        match locate.find(id, hint) {
            None => {
                for _ in run {
                    let error =
                        ErrorKind::UnknownKey { kind: "lead", key: id.to_string() }.about(Record::Lead(id.clone()));
                    orphans.push(Orphan { fact, error });
                }
            }
            Some(i) => {
                hint = i;
                if let Some((_, slot)) = where_.get(i).copied().flatten().and_then(|s| slots.get_mut(s)) {
                    slot.to_mut().extend_from_slice(run);
                } else {
                    if let Some(w) = where_.get_mut(i) {
                        *w = Some(slots.len());
                    }
                    slots.push((i, Cow::Borrowed(run)));
                }
            }
        }
        start = end;
    }
    slots
}

/// Finds a lead's position in a push by id: first a short forward scan from the last position
/// found (facts exported lead by lead name the leads in order, most leads having none of a
/// sparse kind of fact), then a hashed index over every lead, built on the first miss. Lead ids
/// are unique in a push ([`join`] sets the second aside), so a match is the only one.
pub(super) struct LeadIndex<'m, 'a> {
    leads: &'m [LeadFacts<'a>],
    index: Option<FastMap<&'a LeadId, usize>>,
    hint: usize,
}

impl<'m, 'a> LeadIndex<'m, 'a> {
    /// How far past the last position found the scan looks.
    const SCAN: usize = 16;

    pub(super) fn new(leads: &'m [LeadFacts<'a>]) -> LeadIndex<'m, 'a> {
        LeadIndex { leads, index: None, hint: 0 }
    }

    pub(super) fn find(&mut self, id: &LeadId) -> Option<usize> {
        let mut ahead = self.leads.get(self.hint..).unwrap_or_default().iter().take(Self::SCAN);
        let hint = self.hint;
        let leads = self.leads;
        let found = ahead.position(|lf| &lf.lead.id == id).map(|offset| hint + offset).or_else(|| {
            let index =
                self.index.get_or_insert_with(|| leads.iter().enumerate().map(|(i, lf)| (&lf.lead.id, i)).collect());
            index.get(id).copied()
        });
        if let Some(i) = found {
            self.hint = i;
        }
        found
    }
}
