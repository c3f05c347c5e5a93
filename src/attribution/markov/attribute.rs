//! `finish`: checks, canonical numbering, the chain in probabilities, the solves and the
//! credits.
#![allow(clippy::float_arithmetic)] // statistical model: probabilities and removal effects in f64
#![allow(clippy::cast_precision_loss)] // counts become probabilities; 2^53 journeys is beyond any data set

use crate::attribution::paths::{allocate_shares, remap_mask};
use crate::{ChannelId, Error, ErrorKind, Money};

use super::counts::decode_key;
use super::solve::{Chain, SINGLE_FROM, removal_by_solves};
use super::{
    DegenerateData, MarkovAttribution, MarkovCredit, MarkovModel, MarkovState, MarkovTransition, TransitionCounts,
    TransitionMatrix, ValueAllocation,
};

/// Everything `finish` does: checks, canonical numbering, solves, credits.
pub(super) fn attribute(counts: TransitionCounts) -> Result<MarkovAttribution, Error> {
    attribute_with(counts, SINGLE_FROM)
}

/// [`attribute`], taking every order-1 removal effect from one factorisation when the chain
/// has more than `single_from` states (tests force one solve per channel with `usize::MAX`).
#[allow(clippy::too_many_lines, clippy::needless_pass_by_value)] // one linear recipe; consumes the counts
pub(super) fn attribute_with(counts: TransitionCounts, single_from: usize) -> Result<MarkovAttribution, Error> {
    let model = counts.model;
    if counts.conversions == 0 {
        return Err(ErrorKind::NoConvertingJourneys { journeys: counts.journeys }.into());
    }
    let degenerate = counts.nulls == 0;
    if degenerate && model.degenerate_data() == DegenerateData::Refuse {
        return Err(ErrorKind::NoNonConvertingJourneys { conversions: counts.conversions }.into());
    }
    let c = counts.channels.len();
    let possible = (1..=model.order())
        .try_fold((0u128, 1u128), |(sum, pow), _| {
            let pow = pow.checked_mul(c as u128)?;
            Some((sum.checked_add(pow)?, pow))
        })
        .map_or(u128::MAX, |(sum, _)| sum);
    if possible > MarkovModel::MAX_STATES {
        return Err(ErrorKind::MarkovStateSpace {
            order: model.order(),
            channels: c,
            states: possible,
            max: MarkovModel::MAX_STATES,
        }
        .into());
    }
    let total_minor =
        i64::try_from(counts.total_value).map_err(|_| ErrorKind::Overflow { op: "markov total value" })?;
    let total_value = Money::from_minor(total_minor, counts.currency);

    // Canonical numbering: states sorted by their channels' ranks in id order.
    let (rank, sorted_channels) = counts.channels.ranks();
    let tuples: Vec<Vec<u32>> = counts
        .keys
        .iter()
        .map(|&k| decode_key(k).iter().map(|&i| rank.get(i as usize).copied().unwrap_or(0)).collect())
        .collect();
    let mut order: Vec<usize> = (0..tuples.len()).collect();
    order.sort_by(|&a, &b| tuples.get(a).cmp(&tuples.get(b)));
    let mut new_id = vec![0usize; order.len()];
    for (new, &old) in order.iter().enumerate() {
        if let Some(slot) = new_id.get_mut(old) {
            *slot = new;
        }
    }
    let n = order.len();

    // Rows: (to, count) per state, in the new numbering, sorted by target.
    let mut rows: Vec<Vec<(usize, u64)>> = vec![Vec::new(); n];
    for (old_from, old_to, count) in counts.edge_list() {
        let from = new_id.get(old_from).copied().unwrap_or(0);
        if let Some(row) = rows.get_mut(from) {
            row.push((new_id.get(old_to).copied().unwrap_or(0), count));
        }
    }
    for row in &mut rows {
        row.sort_unstable();
    }
    let by_new = |v: &[u64]| -> Vec<u64> { order.iter().map(|&old| v.get(old).copied().unwrap_or(0)).collect() };
    let start = by_new(&counts.start);
    let conv = by_new(&counts.conv);
    let null = by_new(&counts.null);
    let value: Vec<i128> = order.iter().map(|&old| counts.value.get(old).copied().unwrap_or(0)).collect();

    // The chain in probabilities.
    let mut chain = Chain::default();
    let mut transitions = Vec::new();
    let conv_state = n + 1;
    let null_state = n + 2;
    let start_total: u64 = counts.journeys;
    for (s, &w) in start.iter().enumerate() {
        chain.start.push(w as f64 / start_total as f64);
        if w > 0 {
            transitions.push(MarkovTransition {
                from: 0,
                to: s + 1,
                count: w,
                probability: w as f64 / start_total as f64,
            });
        }
    }
    chain.row_start.push(0);
    for s in 0..n {
        let row = rows.get(s).map(Vec::as_slice).unwrap_or_default();
        let cv = conv.get(s).copied().unwrap_or(0);
        let nl = null.get(s).copied().unwrap_or(0);
        let total = row.iter().fold(u128::from(cv) + u128::from(nl), |acc, &(_, c)| acc + u128::from(c));
        let total_f = total as f64;
        let p = |count: u64| if total == 0 { 0.0 } else { count as f64 / total_f };
        for &(t, count) in row {
            chain.col.push(u32::try_from(t).unwrap_or(u32::MAX));
            chain.prob.push(p(count));
            transitions.push(MarkovTransition { from: s + 1, to: t + 1, count, probability: p(count) });
        }
        chain.row_start.push(chain.col.len());
        chain.conv.push(p(cv));
        chain.exit.push(if total == 0 { 1.0 } else { (u128::from(cv) + u128::from(nl)) as f64 / total_f });
        chain.value.push(if total == 0 { 0.0 } else { value.get(s).copied().unwrap_or(0) as f64 / total_f });
        if cv > 0 {
            transitions.push(MarkovTransition { from: s + 1, to: conv_state, count: cv, probability: p(cv) });
        }
        if nl > 0 {
            transitions.push(MarkovTransition { from: s + 1, to: null_state, count: nl, probability: p(nl) });
        }
    }

    // Base and removal solves.
    let (p, v, re, re_value) = match (model.order(), n > single_from) {
        (1, true) => match chain.removal_effects_single() {
            Some(r) => {
                // At order 1 state s is the channel of rank tuples[order[s]][0].
                let mut re = vec![0.0; c];
                let mut re_value = vec![0.0; c];
                for (s, &old) in order.iter().enumerate() {
                    let Some(&ch) = tuples.get(old).and_then(|t| t.first()) else { continue };
                    if let (Some(a), Some(b)) = (re.get_mut(ch as usize), re_value.get_mut(ch as usize)) {
                        *a = r.re.get(s).copied().unwrap_or(0.0);
                        *b = r.re_value.get(s).copied().unwrap_or(0.0);
                    }
                }
                (r.p, r.v, re, re_value)
            }
            None => removal_by_solves(&chain, &tuples, &order, c)?,
        },
        _ => removal_by_solves(&chain, &tuples, &order, c)?,
    };
    let normalise = |x: &[f64]| -> Vec<f64> {
        let sum: f64 = x.iter().sum();
        x.iter().map(|&r| if sum > 0.0 { r / sum } else { 0.0 }).collect()
    };
    let shares = normalise(&re);
    let (values, value_shares) = match model.value_allocation() {
        ValueAllocation::JourneyResplit => journey_resplit(&counts, &rank, &sorted_channels, &re, total_value)?,
        ValueAllocation::ValueRemovalEffect if re_value.iter().any(|&r| r > 0.0) => {
            let value_shares = normalise(&re_value);
            (allocate_shares(total_value, &sorted_channels, &value_shares)?, value_shares)
        }
        _ => (allocate_shares(total_value, &sorted_channels, &shares)?, shares.clone()),
    };
    let conversions = counts.conversions as f64;
    let channels = sorted_channels
        .iter()
        .enumerate()
        .map(|(i, channel)| MarkovCredit {
            channel: channel.clone(),
            removal_effect: re.get(i).copied().unwrap_or(0.0),
            value_removal_effect: re_value.get(i).copied().unwrap_or(0.0),
            share: shares.get(i).copied().unwrap_or(0.0),
            value_share: value_shares.get(i).copied().unwrap_or(0.0),
            conversions: shares.get(i).copied().unwrap_or(0.0) * conversions,
            value: values.get(i).copied().unwrap_or(Money::zero(counts.currency)),
        })
        .collect();

    let mut states = Vec::with_capacity(n + 3);
    states.push(MarkovState::Start);
    for &old in &order {
        let names = tuples
            .get(old)
            .map(|t| t.iter().filter_map(|&r| sorted_channels.get(r as usize).cloned()).collect())
            .unwrap_or_default();
        states.push(MarkovState::Channels(names));
    }
    states.push(MarkovState::Conversion);
    states.push(MarkovState::Null);
    transitions.sort_by_key(|t| (t.from, t.to));

    let unit = 10f64.powi(i32::from(counts.currency.exponent()));
    Ok(MarkovAttribution {
        order: model.order(),
        value_allocation: model.value_allocation(),
        journeys: counts.journeys,
        conversions: counts.conversions,
        nulls: counts.nulls,
        total_value,
        conversion_probability: p,
        expected_value: v / unit,
        degenerate,
        channels,
        transitions: TransitionMatrix { states, transitions },
    })
}

/// [`ValueAllocation::JourneyResplit`]: every distinct channel set's value split exactly over
/// its channels by removal effect; returns the channel values and their shares of the total.
fn journey_resplit(
    counts: &TransitionCounts,
    rank: &[u32],
    channels: &[ChannelId],
    re: &[f64],
    total: Money,
) -> Result<(Vec<Money>, Vec<f64>), Error> {
    let mut sets: Vec<(u64, i128)> = counts.set_values.iter().map(|(&m, &v)| (remap_mask(m, rank), v)).collect();
    sets.sort_unstable();
    let mut minor = vec![0i128; channels.len()];
    let mut members = Vec::new();
    let mut ids = Vec::new();
    let mut weights = Vec::new();
    for (mask, value) in sets {
        members.clear();
        members.extend((0..channels.len()).filter(|&i| i < 64 && mask & (1 << i) != 0));
        ids.clear();
        ids.extend(members.iter().filter_map(|&i| channels.get(i).cloned()));
        weights.clear();
        weights.extend(members.iter().map(|&i| re.get(i).copied().unwrap_or(0.0)));
        if weights.iter().all(|&w| w <= 0.0) {
            weights.fill(1.0); // no removal effect at all: equal split
        }
        let amount = i64::try_from(value).map_err(|_| ErrorKind::Overflow { op: "markov journey value" })?;
        let parts = allocate_shares(Money::from_minor(amount, total.currency()), &ids, &weights)?;
        for (&i, part) in members.iter().zip(parts) {
            if let Some(m) = minor.get_mut(i) {
                *m = m
                    .checked_add(i128::from(part.to_minor()?))
                    .ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op: "markov credit" }))?;
            }
        }
    }
    let total_minor = total.to_minor()? as f64;
    let values = minor
        .iter()
        .map(|&m| i64::try_from(m).map(|m| Money::from_minor(m, total.currency())))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| ErrorKind::Overflow { op: "markov credit" })?;
    let value_shares = minor.iter().map(|&m| if total_minor > 0.0 { m as f64 / total_minor } else { 0.0 }).collect();
    Ok((values, value_shares))
}
