//! The Markov family (`tests/vectors/markov/`): removal effects of orders 1 to 3, each value
//! allocation, degenerate data.
//!
//! A definition is a Markov model in the agreement's wire format (an
//! `[attribution.markov.<name>]` table: `order`, `value_allocation`, `degenerate_data`). The
//! facts are a `FactSet` whose `journeys` are the paths (touch channels in order; converting or
//! not), or, as `ChannelAttribution` and DP6 take them, `{"paths": [{"channels", "conversions",
//! "value", "nulls"}]}` (an aggregated path table). The currency is the conversions' (USD when
//! none converts).
//!
//! The result: `journeys`, `conversions`, `nulls`, `total_value`, `conversion_probability`,
//! `expected_value`, `degenerate`, and `channels`, by channel id: `removal_effect`,
//! `value_removal_effect`, `share`, `value_share`, `conversions` (floats, compared to 1e-12)
//! and `value` (a decimal string, exact).

use revops::attribution::{AggregatedPath, CoalitionCounts, MarkovAttribution, MarkovModel, TransitionCounts};
use revops::facts::FactSet;
use revops::{ChannelId, Currency, Error, Money, Tally};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{Case, Path};

/// Facts of a path family: the journeys of a `FactSet`, or an aggregated path table.
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum PathFacts {
    Table { paths: Vec<AggregatedPath> },
    Facts(Box<FactSet>),
}

/// What the Markov and Shapley counts are fed: aggregated paths and journeys' channels.
pub(super) trait PathSink {
    fn path(&mut self, path: &AggregatedPath) -> Result<(), Error>;
    fn journey(&mut self, channels: &[ChannelId], value: Option<Money>) -> Result<(), Error>;
}

impl PathSink for TransitionCounts {
    fn path(&mut self, path: &AggregatedPath) -> Result<(), Error> {
        self.push_path(path)
    }
    fn journey(&mut self, channels: &[ChannelId], value: Option<Money>) -> Result<(), Error> {
        self.push_channels(channels, value)
    }
}

impl PathSink for CoalitionCounts {
    fn path(&mut self, path: &AggregatedPath) -> Result<(), Error> {
        self.push_path(path)
    }
    fn journey(&mut self, channels: &[ChannelId], value: Option<Money>) -> Result<(), Error> {
        self.push_channels(channels, value)
    }
}

impl PathFacts {
    /// Pushes every path, or every journey's channels with its conversion value, into `sink`.
    pub(super) fn feed(&self, sink: &mut impl PathSink) -> Result<(), Error> {
        match self {
            PathFacts::Table { paths } => paths.iter().try_for_each(|p| sink.path(p)),
            PathFacts::Facts(f) => f.journeys.iter().try_for_each(|j| {
                let channels: Vec<_> = j.touches.iter().map(|t| t.channel.clone()).collect();
                sink.journey(&channels, j.conversion.map(|c| c.value))
            }),
        }
    }

    /// The currency of the conversions (USD when none converts).
    pub(super) fn currency(&self) -> Currency {
        match self {
            PathFacts::Table { paths } => paths.iter().find(|p| p.conversions > 0).map(|p| p.value.currency()),
            PathFacts::Facts(f) => f.journeys.iter().find_map(|j| j.conversion.map(|c| c.value.currency())),
        }
        .unwrap_or(Currency::USD)
    }
}

fn result_json(r: &MarkovAttribution) -> Value {
    let channels: Map<String, Value> = r
        .channels
        .iter()
        .map(|c| {
            let v = json!({
                "removal_effect": c.removal_effect,
                "value_removal_effect": c.value_removal_effect,
                "share": c.share,
                "value_share": c.value_share,
                "conversions": c.conversions,
                "value": c.value.amount().to_string(),
            });
            (c.channel.to_string(), v)
        })
        .collect();
    json!({
        "journeys": r.journeys,
        "conversions": r.conversions,
        "nulls": r.nulls,
        "total_value": r.total_value.amount().to_string(),
        "conversion_probability": r.conversion_probability,
        "expected_value": r.expected_value,
        "degenerate": r.degenerate,
        "channels": channels,
    })
}

/// Runs one case (the row path: transition counts pushed one journey or path at a time).
pub(super) fn run(case: &Case, _path: Path) -> Result<Value, Error> {
    let model: MarkovModel = case.definition()?;
    let facts: PathFacts = case.facts()?;
    let mut counts = model.counts(facts.currency());
    facts.feed(&mut counts)?;
    Ok(result_json(&counts.finish()?))
}
