//! The finished [`Waterfall`]: per group and overall, the stage flows, time in stage, aging and
//! outcomes, and each group's effect against the overall.

use std::collections::BTreeMap;

use rust_decimal::{Decimal, RoundingStrategy};

use super::{AgingCounts, GroupCounts, Leak, Slot, WaterfallDefinition};
use crate::funnel::StageKind;
use crate::metrics::CycleStats;
use crate::metrics::amount::add_count;
use crate::metrics::cycle::{at_rank, stats};
use crate::{Error, ErrorKind, Ratio, StageId};

const DAY: i64 = 86_400;
const RATE_DP: u32 = 4;
const DAY_DP: u32 = 6;

/// The finished waterfall of a [`WaterfallTally`](super::WaterfallTally).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Waterfall<K: Ord> {
    /// The definition it was tallied under.
    pub definition: WaterfallDefinition,
    /// Every entity of every group.
    pub overall: WaterfallGroup,
    /// Each group, in key order (groups that received no entity do not appear).
    pub groups: BTreeMap<K, WaterfallGroup>,
    /// Each group's win rate and cycle against the overall, with its sample sizes.
    pub effects: BTreeMap<K, GroupEffect>,
}

/// The waterfall of one group (or the overall).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct WaterfallGroup {
    /// One row per open stage of the funnel's order, first to last.
    pub stages: Vec<StageFlow>,
    /// One row per non-terminal stage (open stages in order, then side stages).
    pub time_in_stage: Vec<StageTime>,
    /// The open pipeline at `as_of` by age, one bucket per aging edge.
    pub aging: Vec<AgingBucket>,
    /// Closed entities: win rate and cycle.
    pub outcomes: Outcomes,
}

/// One stage's row: `entered = advanced + leaked + open`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct StageFlow {
    /// The stage.
    pub stage: StageId,
    /// Entities whose entry into the stage is in the period.
    pub entered: u64,
    /// Of those, past the stage by `as_of`.
    pub advanced: u64,
    /// Of those, lost, disqualified or recycled without advancing.
    pub leaked: u64,
    /// `leaked` by kind and reason (on the wire a list of `[leak, count]` pairs: a leak is not
    /// a string key).
    #[cfg_attr(feature = "serde", serde(with = "crate::wire::key_pairs"))]
    pub leaked_by: BTreeMap<Leak, u64>,
    /// Of those, still open (at the stage or regressed).
    pub open: u64,
    /// Of `open`, regressed to an earlier stage.
    pub regressed: u64,
    /// Of `advanced`, won.
    pub won: u64,
    /// Advanced / entered.
    pub to_next_exact: Ratio,
    /// `to_next_exact` rounded half to even to 4 decimals.
    pub to_next: Option<Decimal>,
    /// Advanced / (advanced + leaked): conversion among the settled.
    pub settled_exact: Ratio,
    /// `settled_exact` rounded.
    pub settled: Option<Decimal>,
    /// Won / entered.
    pub to_won_exact: Ratio,
    /// `to_won_exact` rounded.
    pub to_won: Option<Decimal>,
}

/// A nearest-rank percentile of time in stage, in days.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Percentile {
    /// The percentile (1..=100).
    pub p: u8,
    /// Its value in days, rounded half to even to 6 decimals.
    pub days: Option<Decimal>,
    /// `days` exactly (seconds over 86,400).
    pub days_exact: Option<Ratio<Decimal>>,
}

/// Time in one stage: completed visits' statistics, open visits beside.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct StageTime {
    /// The stage.
    pub stage: StageId,
    /// Completed visits exiting in the period, in days.
    pub completed: CycleStats,
    /// The definition's extra percentiles of `completed`.
    pub percentiles: Vec<Percentile>,
    /// Visits open at `as_of` (right-censored, not in `completed`).
    pub open: u64,
    /// Mean age of the open visits at `as_of`, days, rounded to 6 decimals.
    pub open_age_mean: Option<Decimal>,
    /// `open_age_mean` exactly.
    pub open_age_mean_exact: Option<Ratio<Decimal>>,
    /// Oldest open visit's age, days, rounded to 6 decimals.
    pub open_age_max: Option<Decimal>,
}

/// One aging bucket: `[from_days, to_days)`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct AgingBucket {
    /// Lower edge (days, inclusive).
    pub from_days: u32,
    /// Upper edge (days, exclusive); `None` for the last bucket.
    pub to_days: Option<u32>,
    /// Open entities of this age.
    pub open: u64,
    /// Of those, past their close date.
    pub past_due: u64,
}

/// Closed entities of a group: win rate and the won entities' cycle.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Outcomes {
    /// Entities entering a terminal stage in the period (won, lost, disqualified).
    pub closed: u64,
    /// Of those, won.
    pub won: u64,
    /// Won / closed.
    pub win_rate_exact: Ratio,
    /// `win_rate_exact` rounded half to even to 4 decimals.
    pub win_rate: Option<Decimal>,
    /// Created to won, in days.
    pub cycle: CycleStats,
}

/// A group against the overall: positive `win_rate_delta` raises the win rate, negative
/// `median_cycle_delta` shortens the cycle; `None` when either side is undefined.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct GroupEffect {
    /// Sample size of the win rate: the group's closed entities.
    pub closed: u64,
    /// Sample size of the cycle: the group's won entities.
    pub won: u64,
    /// Group win rate - overall win rate (exact values, then rounded to 4 decimals).
    pub win_rate_delta: Option<Decimal>,
    /// Group median cycle - overall median cycle, days (rounded to 6 decimals).
    pub median_cycle_delta: Option<Decimal>,
    /// Group mean cycle - overall mean cycle, days (rounded to 6 decimals).
    pub mean_cycle_delta: Option<Decimal>,
}

fn overflow() -> Error {
    ErrorKind::Overflow { op: "funnel waterfall" }.into()
}

fn rate(r: Ratio) -> Option<Decimal> {
    r.value().map(|v| v.round_dp_with_strategy(RATE_DP, RoundingStrategy::MidpointNearestEven).normalize())
}

fn days(seconds: i128, parts: u64) -> Result<(Option<Decimal>, Option<Ratio<Decimal>>), Error> {
    if parts == 0 {
        return Ok((None, None));
    }
    let den = Decimal::from(parts).checked_mul(Decimal::from(DAY)).ok_or_else(overflow)?;
    let num = Decimal::try_from_i128_with_scale(seconds, 0).map_err(|_| overflow())?;
    let exact = Ratio::try_new(num, den)?;
    let value = exact.value().ok_or_else(overflow)?;
    Ok((Some(value.round_dp_with_strategy(DAY_DP, RoundingStrategy::MidpointNearestEven).normalize()), Some(exact)))
}

fn delta(a: Option<Decimal>, b: Option<Decimal>, dp: u32) -> Option<Decimal> {
    let d = a?.checked_sub(b?)?;
    Some(d.round_dp_with_strategy(dp, RoundingStrategy::MidpointNearestEven).normalize())
}

fn group(def: &WaterfallDefinition, slots: &[Slot], mut g: GroupCounts) -> Result<WaterfallGroup, Error> {
    let mut stages = Vec::new();
    let mut time_in_stage = Vec::new();
    let mut ordered: Vec<(usize, &Slot)> = slots.iter().enumerate().filter(|(_, s)| s.pos.is_some()).collect();
    ordered.extend(slots.iter().enumerate().filter(|(_, s)| s.pos.is_none()));
    for (i, slot) in ordered {
        if slot.kind == StageKind::Open
            && slot.pos.is_some()
            && let Some(f) = g.flows.get_mut(i)
        {
            let leaked = f.leaked.values().try_fold(0u64, |a, &n| add_count(a, n))?;
            let settled = Ratio::new(f.advanced, add_count(f.advanced, leaked)?);
            let (to_next_exact, to_won_exact) = (Ratio::new(f.advanced, f.entered), Ratio::new(f.won, f.entered));
            stages.push(StageFlow {
                stage: slot.id.clone(),
                entered: f.entered,
                advanced: f.advanced,
                leaked,
                leaked_by: std::mem::take(&mut f.leaked),
                open: f.open,
                regressed: f.regressed,
                won: f.won,
                to_next: rate(to_next_exact),
                to_next_exact,
                settled: rate(settled),
                settled_exact: settled,
                to_won: rate(to_won_exact),
                to_won_exact,
            });
        }
        if slot.kind.is_terminal() {
            continue;
        }
        let Some(v) = g.visits.get_mut(i) else { continue };
        let values = &mut v.completed;
        values.sort_unstable();
        let mut percentiles = Vec::with_capacity(def.percentiles().len());
        for &p in def.percentiles() {
            let picked = at_rank(values.len(), usize::from(p)).and_then(|k| values.get(k)).copied();
            let (d, exact) = match picked {
                Some(secs) => days(i128::from(secs), 1)?,
                None => (None, None),
            };
            percentiles.push(Percentile { p, days: d, days_exact: exact });
        }
        let (open_age_mean, open_age_mean_exact) = days(v.open_age_total, v.open)?;
        let open_age_max = if v.open == 0 { None } else { days(i128::from(v.open_age_max), 1)?.0 };
        time_in_stage.push(StageTime {
            stage: slot.id.clone(),
            completed: stats(values, DAY)?,
            percentiles,
            open: v.open,
            open_age_mean,
            open_age_mean_exact,
            open_age_max,
        });
    }
    let edges = def.aging_edges();
    let aging = edges
        .iter()
        .enumerate()
        .map(|(b, &from_days)| {
            let AgingCounts { open, past_due } = g.aging.get(b).copied().unwrap_or_default();
            AgingBucket { from_days, to_days: edges.get(b + 1).copied(), open, past_due }
        })
        .collect();
    let win_rate_exact = Ratio::new(g.won, g.closed);
    let outcomes = Outcomes {
        closed: g.closed,
        won: g.won,
        win_rate: rate(win_rate_exact),
        win_rate_exact,
        cycle: stats(&mut g.cycles, DAY)?,
    };
    Ok(WaterfallGroup { stages, time_in_stage, aging, outcomes })
}

/// Finishes every group, the overall as their sum, and each group's effect.
pub(super) fn finish<K: Ord + Clone>(
    definition: WaterfallDefinition,
    slots: &[Slot],
    groups: BTreeMap<K, GroupCounts>,
) -> Result<super::Waterfall<K>, Error> {
    let mut total = GroupCounts::fresh(slots.len(), definition.aging_edges().len());
    for g in groups.values() {
        total.merge(g.clone())?;
    }
    let overall = group(&definition, slots, total)?;
    let mut out = BTreeMap::new();
    let mut effects = BTreeMap::new();
    for (k, g) in groups {
        let finished = group(&definition, slots, g)?;
        let (o, all) = (&finished.outcomes, &overall.outcomes);
        let exact = |r: Ratio| r.value();
        effects.insert(
            k.clone(),
            GroupEffect {
                closed: o.closed,
                won: o.won,
                win_rate_delta: delta(exact(o.win_rate_exact), exact(all.win_rate_exact), RATE_DP),
                median_cycle_delta: delta(
                    o.cycle.median_exact.and_then(|r| r.value()),
                    all.cycle.median_exact.and_then(|r| r.value()),
                    DAY_DP,
                ),
                mean_cycle_delta: delta(
                    o.cycle.mean_exact.and_then(|r| r.value()),
                    all.cycle.mean_exact.and_then(|r| r.value()),
                    DAY_DP,
                ),
            },
        );
        out.insert(k, finished);
    }
    Ok(super::Waterfall { definition, overall, groups: out, effects })
}
