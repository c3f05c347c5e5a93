//! The funnel waterfall ([definitions, section 8](crate::definitions::waterfall)): per stage
//! entered, advanced, leaked (by reason) and still open with conversion to the next stage and to
//! won; time in stage over completed visits; aging of open pipeline; and each group's win rate
//! and cycle against the overall, all grouped by a caller's key ([`WaterfallTally`]).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::amount::add_count;
use super::definition::same;
use crate::funnel::{Funnel, Reach, StageKind};
use crate::{Error, ErrorKind, Record, StageId, Tally};

mod definition;
mod output;
mod record;
#[cfg(feature = "serde")]
mod state;
#[cfg(test)]
mod tests;

pub use self::definition::{DEFAULT_AGING_EDGES, WaterfallDefinition};
pub use self::output::{
    AgingBucket, GroupEffect, Outcomes, Percentile, StageFlow, StageTime, Waterfall, WaterfallGroup,
};
pub use self::record::{Leak, LeakKind, WaterfallRecord};

const TALLY: &str = "funnel waterfall";
/// Histories of up to this many changes are classified on the stack.
const SHORT_HISTORY: usize = 16;

/// The funnel waterfall over [`WaterfallRecord`]s, grouped by their key `K` (a [`Tally`]);
/// finishes to a [`Waterfall`]: every group and the overall (the sum of the groups).
///
/// # Definitions ([section 8](crate::definitions::waterfall))
///
/// Only changes at or before `as_of` are read. For every open stage `s` of the funnel's order:
///
/// - **Entered** = entities whose entry into `s` lies in the period: the first entry into `s`
///   ([`Reach::Strict`]), or the first entry into `s` or a later open or won stage
///   ([`Reach::OrBeyond`]: a skip passes the skipped stages). Our rule: entering a lost stage
///   is never an entry into, or an advance past, an open stage (it is a leak from where the
///   entity was), unlike [`Funnel::is_at_or_beyond`] for conversion.
/// - At `as_of` each entered entity is in exactly one bucket: **Advanced** (some change at or
///   after the entry is into a later open or won stage), else **Leaked** (its current stage is
///   lost, disqualified or a side stage such as nurture: [`LeakKind`], with the record's
///   reason), else **Open** (at `s`, or regressed to an earlier stage: `regressed` counts
///   those). Entered = Advanced + Leaked + Open. **Won** counts the entered entities whose
///   current stage is won.
/// - **Conversion**: to next = Advanced / Entered; settled = Advanced / (Advanced + Leaked);
///   to won = Won / Entered (matured by `as_of`: the caller picks a period old enough). Each is
///   an exact [`Ratio`](crate::Ratio) with its value rounded half to even to 4 decimals beside
///   it, `None` when the denominator is 0. Stage rates are never multiplied into stage-to-won.
/// - **Time in stage** (every non-terminal stage): a visit runs from a change into the stage
///   to the next change; completed visits count when they *exit* in the period, and give the
///   mean, median, p25/p75/p90 ([`CycleStats`](crate::metrics::CycleStats), in days) and the
///   definition's extra nearest-rank percentiles. The visit open at `as_of` (whatever its
///   entry date) is excluded from them and reported beside: count, mean and oldest age
///   (`as_of` - entry).
/// - **Aging**: every entity in an open stage of the order at `as_of`, whatever the period, by
///   whole days since `created` (`as_of` - created, floored) into the definition's half-open
///   buckets; past due when its close date is before `as_of`'s UTC date.
/// - **Outcomes and effects**: an entity *closes* when its current stage is terminal and it
///   entered it in the period; win rate = won / closed; cycle = won entry - created, in days.
///   Per group the effect is its win rate and median and mean cycle minus the overall's, with
///   its `closed` and `won` counts as the sample sizes.
///
/// # Errors and edge cases
///
/// A record whose history names a stage the funnel lacks is [`ErrorKind::UnknownStage`], one
/// created after a change it counts is [`ErrorKind::InconsistentRecord`], each naming the lead;
/// an empty history (or one starting after `as_of`) counts nothing.
///
/// # Example
///
/// ```
/// use revops::facts::{Reason, StageChange};
/// use revops::funnel::{Funnel, Reach, StageHistory};
/// use revops::metrics::{LeakKind, WaterfallDefinition, WaterfallRecord, WaterfallTally};
/// use revops::{LeadId, Period, StageId, Tally};
/// use rust_decimal_macros::dec;
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let funnel = Funnel::demand_waterfall();
/// let record = |id: &str, path: &[(&str, &str)]| -> Result<WaterfallRecord<&'static str>, revops::Error> {
///     let lead = LeadId::new(id)?;
///     let mut changes = Vec::new();
///     for &(stage, when) in path {
///         changes.push(StageChange { entity: lead.clone(), stage: StageId::new(stage)?, at: at(when)? });
///     }
///     Ok(WaterfallRecord::new("webinar", StageHistory::from_facts(&funnel, &lead, &changes)?))
/// };
/// let a = record("a", &[("inquiry", "2024-01-01T00:00:00Z"), ("mql", "2024-01-03T00:00:00Z")])?;
/// let b = record("b", &[("inquiry", "2024-01-01T00:00:00Z"), ("lost", "2024-01-05T00:00:00Z")])?.with_reason(Reason::NoBudget);
/// let c = record("c", &[("inquiry", "2024-01-02T00:00:00Z")])?;
/// let definition = WaterfallDefinition::new(Period::all_time(), at("2024-02-01T00:00:00Z")?, Reach::Strict)?;
/// let waterfall = WaterfallTally::new(funnel.clone(), definition).tally([&a, &b, &c])?;
/// let inquiry = &waterfall.overall.stages[0];
/// assert_eq!((inquiry.entered, inquiry.advanced, inquiry.leaked, inquiry.open), (3, 1, 1, 1));
/// assert_eq!(inquiry.to_next_exact.to_string(), "1/3 (33.3%)");
/// assert_eq!(inquiry.settled, Some(dec!(0.5)));
/// assert_eq!(inquiry.leaked_by.keys().next().map(|l| l.kind), Some(LeakKind::Lost));
/// // Time in inquiry: two completed visits (2 and 4 days), one open (30 days at as_of).
/// let time = &waterfall.overall.time_in_stage[0];
/// assert_eq!((time.completed.count, time.completed.median, time.open), (2, Some(dec!(3)), 1));
/// # Ok::<(), revops::Error>(())
/// ```
///
/// # Merge and wire format
///
/// Merge adds two tallies of the same funnel and definition, group by group; else
/// [`ErrorKind::DefinitionMismatch`] naming `funnel` or `definition`. Partial state serializes
/// (feature `serde`) as the funnel, the definition and each group's counts and kept durations
/// (seconds) in key order, validated on read (see the `state` module).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(
        try_from = "state::WaterfallState<K>",
        into = "state::WaterfallState<K>",
        bound(
            serialize = "K: serde::Serialize + Clone",
            deserialize = "K: serde::Deserialize<'de> + Ord + Clone + std::fmt::Debug"
        )
    )
)]
pub struct WaterfallTally<K> {
    funnel: Funnel,
    definition: WaterfallDefinition,
    /// Every stage of the funnel ([`Funnel::all_stages`] order), derived.
    slots: Vec<Slot>,
    groups: BTreeMap<K, GroupCounts>,
}

/// A stage of the funnel: its id, position in the order and kind.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Slot {
    id: StageId,
    pos: Option<usize>,
    kind: StageKind,
}

/// One stage's waterfall counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct FlowCounts {
    pub(super) entered: u64,
    pub(super) advanced: u64,
    pub(super) open: u64,
    pub(super) regressed: u64,
    pub(super) won: u64,
    pub(super) leaked: BTreeMap<Leak, u64>,
}

/// One stage's visits: completed durations (seconds) and the open visits' ages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct VisitCounts {
    pub(super) completed: Vec<i64>,
    pub(super) open: u64,
    pub(super) open_age_total: i128,
    pub(super) open_age_max: i64,
}

/// One aging bucket's counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub(super) struct AgingCounts {
    pub(super) open: u64,
    pub(super) past_due: u64,
}

/// One group's counts: per stage (all-stages order), per aging bucket, and outcomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct GroupCounts {
    pub(super) flows: Vec<FlowCounts>,
    pub(super) visits: Vec<VisitCounts>,
    pub(super) aging: Vec<AgingCounts>,
    pub(super) closed: u64,
    pub(super) won: u64,
    /// Cycle of each won entity closed in the period, seconds.
    pub(super) cycles: Vec<i64>,
}

impl GroupCounts {
    fn fresh(stages: usize, buckets: usize) -> GroupCounts {
        GroupCounts {
            flows: vec![FlowCounts::default(); stages],
            visits: vec![VisitCounts::default(); stages],
            aging: vec![AgingCounts::default(); buckets],
            closed: 0,
            won: 0,
            cycles: Vec::new(),
        }
    }

    fn merge(&mut self, other: GroupCounts) -> Result<(), Error> {
        for (a, b) in self.flows.iter_mut().zip(other.flows) {
            a.entered = add_count(a.entered, b.entered)?;
            a.advanced = add_count(a.advanced, b.advanced)?;
            a.open = add_count(a.open, b.open)?;
            a.regressed = add_count(a.regressed, b.regressed)?;
            a.won = add_count(a.won, b.won)?;
            for (leak, n) in b.leaked {
                let sum = a.leaked.entry(leak).or_insert(0);
                *sum = add_count(*sum, n)?;
            }
        }
        for (a, b) in self.visits.iter_mut().zip(other.visits) {
            a.completed.extend(b.completed);
            a.open = add_count(a.open, b.open)?;
            a.open_age_total = a
                .open_age_total
                .checked_add(b.open_age_total)
                .ok_or(ErrorKind::Overflow { op: "waterfall open age" })?;
            a.open_age_max = a.open_age_max.max(b.open_age_max);
        }
        for (a, b) in self.aging.iter_mut().zip(other.aging) {
            a.open = add_count(a.open, b.open)?;
            a.past_due = add_count(a.past_due, b.past_due)?;
        }
        self.closed = add_count(self.closed, other.closed)?;
        self.won = add_count(self.won, other.won)?;
        self.cycles.extend(other.cycles);
        Ok(())
    }
}

impl<K: Ord + Clone> WaterfallTally<K> {
    /// An empty waterfall of `funnel` under `definition`.
    #[must_use]
    pub fn new(funnel: Funnel, definition: WaterfallDefinition) -> WaterfallTally<K> {
        let slots =
            funnel.all_stages().map(|s| Slot { id: s.id.clone(), pos: funnel.position(&s.id), kind: s.kind }).collect();
        WaterfallTally { funnel, definition, slots, groups: BTreeMap::new() }
    }

    /// The funnel.
    #[must_use]
    pub fn funnel(&self) -> &Funnel {
        &self.funnel
    }

    /// The definition.
    #[must_use]
    pub fn definition(&self) -> &WaterfallDefinition {
        &self.definition
    }

    fn slot_of(&self, stage: &StageId) -> Option<usize> {
        self.slots.iter().position(|s| &s.id == stage)
    }

    /// The slot index of every change at or before `as_of`, in order: in `stack` when they
    /// fit (no allocation per record for the usual short history), else in `heap`.
    fn classify<'b>(
        &self,
        record: &WaterfallRecord<K>,
        stack: &'b mut [(usize, DateTime<Utc>); SHORT_HISTORY],
        heap: &'b mut Vec<(usize, DateTime<Utc>)>,
    ) -> Result<&'b [(usize, DateTime<Utc>)], Error> {
        let as_of = self.definition.as_of();
        let changes = record.history.changes();
        let upto = changes.partition_point(|c| c.at <= as_of);
        let out: &mut [(usize, DateTime<Utc>)] = if upto <= SHORT_HISTORY {
            stack.get_mut(..upto).unwrap_or_default()
        } else {
            heap.resize(upto, (0, DateTime::<Utc>::MIN_UTC));
            heap
        };
        for (slot, c) in out.iter_mut().zip(changes) {
            let Some(i) = self.slot_of(&c.stage) else {
                return Err(ErrorKind::UnknownStage { stage: c.stage.clone() }.about(Record::Lead(c.entity.clone())));
            };
            *slot = (i, c.at);
        }
        Ok(out)
    }
}

fn lead_of<K>(record: &WaterfallRecord<K>) -> Option<Record> {
    record.history.entity().map(|e| Record::Lead(e.clone()))
}

fn inconsistent<K>(record: &WaterfallRecord<K>, reason: &'static str) -> Error {
    let e = Error::from(ErrorKind::InconsistentRecord { reason });
    match lead_of(record) {
        Some(r) => e.about(r),
        None => e,
    }
}

/// Whether a change into `slot` passes an open stage at `pos`: a later open or won stage.
fn passes(slot: &Slot, pos: usize) -> bool {
    slot.kind != StageKind::Lost && slot.pos.is_some_and(|p| p > pos)
}

impl<K: Ord + Clone> Tally for WaterfallTally<K> {
    type Fact = WaterfallRecord<K>;
    type Output = Waterfall<K>;

    /// Adds one entity (see [`WaterfallTally`]); a refused record leaves the tally unchanged
    /// (after an overflow, discard the tally).
    ///
    /// # Errors
    /// [`ErrorKind::UnknownStage`], [`ErrorKind::InconsistentRecord`] naming the lead;
    /// [`ErrorKind::Overflow`].
    fn push(&mut self, record: &WaterfallRecord<K>) -> Result<(), Error> {
        let (mut stack, mut heap) = ([(0, DateTime::<Utc>::MIN_UTC); SHORT_HISTORY], Vec::new());
        let changes = self.classify(record, &mut stack, &mut heap)?;
        let (Some(&(_, first_at)), Some(&(last_slot, last_at))) = (changes.first(), changes.last()) else {
            return Ok(());
        };
        let created = record.created.unwrap_or(first_at);
        if created > first_at {
            return Err(inconsistent(record, "a record is created after its first stage change"));
        }
        let (period, as_of, reach) = (self.definition.period(), self.definition.as_of(), self.definition.reach());
        let slots = &self.slots;
        let slot = |i: usize| slots.get(i);
        let Some(current) = slot(last_slot) else { return Ok(()) };
        let leak_kind = match current.kind {
            StageKind::Lost => Some(LeakKind::Lost),
            StageKind::Disqualified => Some(LeakKind::Disqualified),
            StageKind::Side => Some(LeakKind::Recycled),
            StageKind::Open | StageKind::Won => None,
        };
        let won = current.kind == StageKind::Won;
        // Every check is done: from here on the push only counts (an overflow of a `u64` count
        // is the one error left).
        // One search of the groups for a known group (its key compared once per level).
        let counts = if let Some(counts) = self.groups.get_mut(&record.group) {
            counts
        } else {
            let fresh = GroupCounts::fresh(slots.len(), self.definition.aging_edges().len());
            self.groups.entry(record.group.clone()).or_insert(fresh)
        };
        for (s, target) in slots.iter().enumerate() {
            let (Some(pos), StageKind::Open) = (target.pos, target.kind) else { continue };
            let entry = changes.iter().position(|&(i, _)| match reach {
                Reach::Strict => i == s,
                Reach::OrBeyond => {
                    slot(i).is_some_and(|c| c.kind != StageKind::Lost && c.pos.is_some_and(|p| p >= pos))
                }
            });
            let Some(entry) = entry else { continue };
            let Some(&(_, entered_at)) = changes.get(entry) else { continue };
            if !period.contains(entered_at) {
                continue;
            }
            let Some(flow) = counts.flows.get_mut(s) else { continue };
            flow.entered = add_count(flow.entered, 1)?;
            let advanced = won || changes.iter().skip(entry).any(|&(i, _)| slot(i).is_some_and(|c| passes(c, pos)));
            if advanced {
                flow.advanced = add_count(flow.advanced, 1)?;
                flow.won = add_count(flow.won, u64::from(won))?;
            } else if let Some(kind) = leak_kind {
                let n = flow.leaked.entry(Leak { kind, reason: record.reason.clone() }).or_insert(0);
                *n = add_count(*n, 1)?;
            } else {
                flow.open = add_count(flow.open, 1)?;
                flow.regressed = add_count(flow.regressed, u64::from(current.pos.is_some_and(|p| p < pos)))?;
            }
        }
        let mut iter = changes.iter().peekable();
        while let Some(&(i, at)) = iter.next() {
            if slot(i).is_none_or(|v| v.kind.is_terminal()) {
                continue;
            }
            let Some(visit) = counts.visits.get_mut(i) else { continue };
            if let Some(&&(_, exit)) = iter.peek() {
                if period.contains(exit) {
                    visit.completed.push(exit.signed_duration_since(at).num_seconds());
                }
            } else {
                let age = as_of.signed_duration_since(at).num_seconds();
                visit.open = add_count(visit.open, 1)?;
                visit.open_age_total = visit
                    .open_age_total
                    .checked_add(i128::from(age))
                    .ok_or(ErrorKind::Overflow { op: "waterfall open age" })?;
                visit.open_age_max = visit.open_age_max.max(age);
            }
        }
        if current.kind == StageKind::Open && current.pos.is_some() {
            let days = as_of.signed_duration_since(created).num_days();
            let past_due = record.close_date.is_some_and(|d| d < as_of.date_naive());
            if let Some(a) = counts.aging.get_mut(self.definition.bucket(days)) {
                a.open = add_count(a.open, 1)?;
                a.past_due = add_count(a.past_due, u64::from(past_due))?;
            }
        }
        if current.kind.is_terminal() && period.contains(last_at) {
            counts.closed = add_count(counts.closed, 1)?;
            if won {
                counts.won = add_count(counts.won, 1)?;
                counts.cycles.push(last_at.signed_duration_since(created).num_seconds());
            }
        }
        Ok(())
    }

    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`] naming `funnel` or `definition`; [`ErrorKind::Overflow`]
    /// (then `self` is unchanged).
    fn merge(&mut self, other: WaterfallTally<K>) -> Result<(), Error> {
        same(TALLY, "funnel", &self.funnel, &other.funnel)?;
        same(TALLY, "definition", &self.definition, &other.definition)?;
        let mut next = self.groups.clone();
        for (k, g) in other.groups {
            if let Some(mine) = next.get_mut(&k) {
                mine.merge(g)?;
            } else {
                next.insert(k, g);
            }
        }
        self.groups = next;
        Ok(())
    }

    /// # Errors
    /// [`ErrorKind::Overflow`].
    fn finish(self) -> Result<Waterfall<K>, Error> {
        output::finish(self.definition, &self.slots, self.groups)
    }
}
