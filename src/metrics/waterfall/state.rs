//! Wire shape of [`WaterfallTally`]'s partial state (feature `serde`): the funnel, the
//! definition, then each group in strictly increasing key order with its counts per stage (in
//! [`Funnel::all_stages`](crate::funnel::Funnel::all_stages) order), kept visit durations and
//! cycles in seconds, and aging counts per bucket. Read back, it is validated: the definition
//! as on construction, one row per stage and per aging bucket, and what a sequence of records
//! always gives (entered = advanced + leaked + open, regressed <= open, won <= advanced, no
//! waterfall row on a stage that is not open, no visit of a terminal stage, no negative
//! duration, past due <= open, one cycle per won entity, won <= closed).

use std::collections::BTreeMap;

use super::{AgingCounts, FlowCounts, GroupCounts, Leak, VisitCounts, WaterfallDefinition, WaterfallTally};
use crate::Error;
use crate::funnel::{Funnel, StageKind};
use crate::metrics::amount::add_count;
use crate::metrics::wire::{bad_state, within};

const T: &str = "funnel waterfall tally";

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct WaterfallState<K> {
    funnel: Funnel,
    definition: WaterfallDefinition,
    groups: Vec<(K, GroupState)>,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupState {
    flows: Vec<FlowState>,
    visits: Vec<VisitState>,
    aging: Vec<AgingCounts>,
    closed: u64,
    won: u64,
    cycles: Vec<i64>,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FlowState {
    entered: u64,
    advanced: u64,
    open: u64,
    regressed: u64,
    won: u64,
    leaked: Vec<(Leak, u64)>,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct VisitState {
    completed: Vec<i64>,
    open: u64,
    #[serde(with = "crate::metrics::wire::minor")]
    open_age_total: i128,
    open_age_max: i64,
}

impl<K> From<WaterfallTally<K>> for WaterfallState<K> {
    fn from(t: WaterfallTally<K>) -> WaterfallState<K> {
        let groups = t
            .groups
            .into_iter()
            .map(|(k, g)| {
                let flows = g
                    .flows
                    .into_iter()
                    .map(|f| FlowState {
                        entered: f.entered,
                        advanced: f.advanced,
                        open: f.open,
                        regressed: f.regressed,
                        won: f.won,
                        leaked: f.leaked.into_iter().collect(),
                    })
                    .collect();
                let visits = g
                    .visits
                    .into_iter()
                    .map(|v| VisitState {
                        completed: v.completed,
                        open: v.open,
                        open_age_total: v.open_age_total,
                        open_age_max: v.open_age_max,
                    })
                    .collect();
                (k, GroupState { flows, visits, aging: g.aging, closed: g.closed, won: g.won, cycles: g.cycles })
            })
            .collect();
        WaterfallState { funnel: t.funnel, definition: t.definition, groups }
    }
}

fn flow(f: FlowState, counted: bool) -> Result<FlowCounts, Error> {
    let mut leaked = BTreeMap::new();
    let mut leaked_total = 0u64;
    for (leak, n) in f.leaked {
        if n == 0 {
            return Err(bad_state(T, format!("{leak:?}"), "a leak row counts at least one entity"));
        }
        if leaked.last_key_value().is_some_and(|(last, _)| *last >= leak) {
            return Err(bad_state(T, format!("{leak:?}"), "leak rows must be in strictly increasing order"));
        }
        leaked_total = add_count(leaked_total, n)?;
        leaked.insert(leak, n);
    }
    let parts = add_count(add_count(f.advanced, f.open)?, leaked_total)?;
    if parts != f.entered {
        return Err(bad_state(T, format!("{} != {parts}", f.entered), "entered must equal advanced + leaked + open"));
    }
    within(T, ("regressed", f.regressed), ("open", f.open))?;
    within(T, ("won", f.won), ("advanced", f.advanced))?;
    if !counted && f.entered != 0 {
        return Err(bad_state(T, f.entered, "only open stages of the order have a waterfall row"));
    }
    Ok(FlowCounts {
        entered: f.entered,
        advanced: f.advanced,
        open: f.open,
        regressed: f.regressed,
        won: f.won,
        leaked,
    })
}

fn visit(v: VisitState, terminal: bool) -> Result<VisitCounts, Error> {
    if v.completed.iter().any(|&d| d < 0) || v.open_age_total < 0 || v.open_age_max < 0 {
        return Err(bad_state(T, "visit", "a duration cannot be negative"));
    }
    if v.open == 0 && (v.open_age_total != 0 || v.open_age_max != 0) {
        return Err(bad_state(T, v.open_age_total, "an open age without an open visit"));
    }
    if i128::from(v.open_age_max) > v.open_age_total {
        return Err(bad_state(T, v.open_age_max, "the oldest open visit exceeds the total age"));
    }
    if terminal && (v.open != 0 || !v.completed.is_empty()) {
        return Err(bad_state(T, "visit", "a terminal stage has no visits"));
    }
    Ok(VisitCounts {
        completed: v.completed,
        open: v.open,
        open_age_total: v.open_age_total,
        open_age_max: v.open_age_max,
    })
}

impl<K: Ord + Clone + std::fmt::Debug> TryFrom<WaterfallState<K>> for WaterfallTally<K> {
    type Error = Error;

    fn try_from(s: WaterfallState<K>) -> Result<WaterfallTally<K>, Error> {
        let mut tally = WaterfallTally::new(s.funnel, s.definition);
        let buckets = tally.definition.aging_edges().len();
        for (k, g) in s.groups {
            if tally.groups.last_key_value().is_some_and(|(last, _)| *last >= k) {
                return Err(bad_state(T, format!("{k:?}"), "groups must be in strictly increasing key order"));
            }
            if g.flows.len() != tally.slots.len() || g.visits.len() != tally.slots.len() || g.aging.len() != buckets {
                return Err(bad_state(T, format!("{k:?}"), "a group needs one row per stage and per aging bucket"));
            }
            let mut flows = Vec::with_capacity(g.flows.len());
            let mut visits = Vec::with_capacity(g.visits.len());
            for ((f, v), slot) in g.flows.into_iter().zip(g.visits).zip(&tally.slots) {
                flows.push(flow(f, slot.kind == StageKind::Open && slot.pos.is_some())?);
                visits.push(visit(v, slot.kind.is_terminal())?);
            }
            for a in &g.aging {
                within(T, ("past_due", a.past_due), ("open", a.open))?;
            }
            within(T, ("won", g.won), ("closed", g.closed))?;
            if u64::try_from(g.cycles.len()).ok() != Some(g.won) || g.cycles.iter().any(|&c| c < 0) {
                return Err(bad_state(T, g.won, "one non-negative cycle per won entity"));
            }
            tally.groups.insert(
                k,
                GroupCounts { flows, visits, aging: g.aging, closed: g.closed, won: g.won, cycles: g.cycles },
            );
        }
        Ok(tally)
    }
}
