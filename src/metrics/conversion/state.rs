//! Wire shapes of stage conversion (feature `serde`): the [`StageConversion`] definition and
//! [`ConversionTally`]'s partial state (the definition, the period and every kept entry of
//! every entity, entities in key order and entries in push order), so a deserialized tally is
//! equal to the original and merges exactly like it.

use std::fmt::Display;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{ConversionMode, ConversionTally, StageConversion, StageConversionBuilder, StageOrder};
use crate::funnel::Reach;
use crate::metrics::wire::bad_state;
use crate::{Error, ErrorKind, Period, StageId};

/// Wire shape of [`StageConversion`].
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StageConversionRepr {
    stages: Vec<StageId>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    terminal: Vec<StageId>,
    from: StageId,
    to: StageId,
    mode: ConversionMode,
    #[serde(default = "strict")]
    reach: Reach,
    #[serde(default)]
    window_seconds: Option<i64>,
}

const fn strict() -> Reach {
    Reach::Strict
}

impl TryFrom<StageConversionRepr> for StageConversion {
    type Error = Error;
    fn try_from(repr: StageConversionRepr) -> Result<StageConversion, Error> {
        let order = StageOrder::with_terminal(repr.stages, repr.terminal)?;
        let mut builder =
            StageConversionBuilder::new(order, repr.from.to_string(), repr.to.to_string(), repr.mode).reach(repr.reach);
        if let Some(s) = repr.window_seconds {
            let window = TimeDelta::try_seconds(s).ok_or_else(|| {
                crate::Error::from(ErrorKind::InvalidValue {
                    field: "conversion window",
                    value: s.to_string(),
                    reason: "out of range",
                })
            })?;
            builder = builder.window(window);
        }
        builder.build()
    }
}

impl From<StageConversion> for StageConversionRepr {
    fn from(c: StageConversion) -> StageConversionRepr {
        StageConversionRepr {
            from: c.from_id,
            to: c.to_id,
            terminal: c.order.terminal_stages().cloned().collect(),
            stages: c.order.stages,
            mode: c.mode,
            reach: c.reach,
            window_seconds: c.window.map(|w| w.num_seconds()),
        }
    }
}

#[derive(Serialize)]
struct TallyRef<'a, E> {
    definition: &'a StageConversion,
    period: &'a Period,
    entities: Vec<EntityRef<'a, E>>,
}

#[derive(Serialize)]
struct EntityRef<'a, E> {
    entity: &'a E,
    entries: Vec<EntryRef<'a>>,
}

#[derive(Serialize)]
struct EntryRef<'a> {
    stage: &'a StageId,
    at: &'a DateTime<Utc>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TallyState<E> {
    definition: StageConversion,
    period: Period,
    entities: Vec<EntityState<E>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntityState<E> {
    entity: E,
    entries: Vec<EntryState>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryState {
    stage: StageId,
    at: DateTime<Utc>,
}

impl<E: Serialize> Serialize for ConversionTally<E> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let stages = self.definition.order.stages();
        let entities = self
            .entries
            .iter()
            .map(|(entity, entries)| {
                let entries = entries
                    .iter()
                    .map(|(at, pos)| {
                        // Positions were looked up in this order on push.
                        let stage =
                            stages.get(*pos).ok_or_else(|| serde::ser::Error::custom("stage outside the order"))?;
                        Ok(EntryRef { stage, at })
                    })
                    .collect::<Result<Vec<_>, S::Error>>()?;
                Ok(EntityRef { entity, entries })
            })
            .collect::<Result<Vec<_>, S::Error>>()?;
        TallyRef { definition: &self.definition, period: &self.period, entities }.serialize(s)
    }
}

impl<'de, E: Deserialize<'de> + Ord + Clone + Display> Deserialize<'de> for ConversionTally<E> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ConversionTally<E>, D::Error> {
        ConversionTally::try_from(TallyState::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

impl<E: Ord + Clone + Display> TryFrom<TallyState<E>> for ConversionTally<E> {
    type Error = Error;
    fn try_from(s: TallyState<E>) -> Result<ConversionTally<E>, Error> {
        const T: &str = "stage conversion tally";
        let mut tally = ConversionTally::new(s.definition, s.period);
        for EntityState { entity, entries } in s.entities {
            // Entities ascending and distinct: a repeated entity never overwrites another.
            if tally.entries.last_key_value().is_some_and(|(last, _)| *last >= entity) {
                return Err(bad_state(T, format!("entity `{entity}`"), "entities must be ascending and distinct"));
            }
            if entries.is_empty() {
                return Err(bad_state(T, format!("entity `{entity}`"), "an entity is kept with its entries"));
            }
            let mut kept = Vec::with_capacity(entries.len());
            for EntryState { stage, at } in entries {
                let Some(pos) = tally.definition.order.position(stage.as_str()) else {
                    return Err(
                        ErrorKind::StageOutsideOrder { place: format!("stage entry of `{entity}`"), stage }.into()
                    );
                };
                if !tally.definition.keeps(pos) {
                    return Err(bad_state(
                        T,
                        format!("stage `{stage}` of entity `{entity}`"),
                        "the definition keeps no entry of this stage",
                    ));
                }
                kept.push((at, pos));
            }
            tally.entries.insert(entity, kept);
        }
        Ok(tally)
    }
}
