//! One entity's contributions to a stage conversion: the rule [`ConversionTally`] applies to
//! each entity it holds, and [`EntityCounter`], the same rule for a caller that holds one
//! entity's entries at a time (no map of entities, buffers reused between entities).

use chrono::{DateTime, Utc};

#[cfg(doc)]
use super::ConversionTally;
use super::{ConversionMode, StageConversion};
use crate::Error;
use crate::funnel::Reach;
use crate::metrics::Period;
#[cfg(feature = "serde")]
use crate::metrics::amount::add_count;

/// Scratch buffers for one entity's A and B events.
#[derive(Debug, Default)]
pub(super) struct Events {
    a: Vec<DateTime<Utc>>,
    b: Vec<DateTime<Utc>>,
}

impl Events {
    /// Calls `sink(instant, entered, converted)` for every event one entity with `entries`
    /// (its kept `(instant, order position)` entries, sorted) counts under `def` over `period`.
    pub(super) fn contributions(
        &mut self,
        def: &StageConversion,
        period: Period,
        entries: &[(DateTime<Utc>, usize)],
        sink: &mut impl FnMut(DateTime<Utc>, u64, u64) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let within = |a: DateTime<Utc>, b: DateTime<Utc>| def.window.is_none_or(|w| b - a < w);
        let (a_events, b_events) = (&mut self.a, &mut self.b);
        a_events.clear();
        b_events.clear();
        match def.reach {
            Reach::Strict => {
                a_events.extend(entries.iter().filter(|e| e.1 == def.from).map(|e| e.0));
                b_events.extend(entries.iter().filter(|e| e.1 == def.to).map(|e| e.0));
            }
            Reach::OrBeyond => {
                a_events.extend(entries.iter().find(|e| def.order.is_at_or_beyond(e.1, def.from)).map(|e| e.0));
                b_events.extend(entries.iter().find(|e| def.order.is_at_or_beyond(e.1, def.to)).map(|e| e.0));
            }
        }
        match def.mode {
            ConversionMode::EntityCohort => {
                let Some(&a) = a_events.first() else { return Ok(()) };
                if !period.contains(a) {
                    return Ok(());
                }
                let first_b = b_events.get(b_events.partition_point(|&b| b < a));
                let converted = first_b.is_some_and(|&b| within(a, b));
                sink(a, 1, u64::from(converted))?;
            }
            ConversionMode::EventCohort => {
                for &a in a_events.iter().filter(|&&a| period.contains(a)) {
                    sink(a, 1, 0)?;
                }
                for &b in b_events.iter() {
                    let i = a_events.partition_point(|&a| a <= b);
                    if let Some(&a) = i.checked_sub(1).and_then(|i| a_events.get(i))
                        && within(a, b)
                        && period.contains(a)
                    {
                        sink(a, 0, 1)?;
                    }
                }
            }
            ConversionMode::PeriodFlow => {
                for &a in a_events.iter().filter(|&&a| period.contains(a)) {
                    sink(a, 1, 0)?;
                }
                for &b in b_events.iter().filter(|&&b| period.contains(b)) {
                    sink(b, 0, 1)?;
                }
            }
        }
        Ok(())
    }
}

/// Counts a [`StageConversion`] over a period entity by entity, for a caller that holds all of
/// one entity's entries at once: the entered and converted counts [`ConversionTally`] would
/// finish with, summed over the entities given, without keeping them.
#[cfg(feature = "serde")] // read by the agreement's scorecard only
#[derive(Debug, Default)]
pub(crate) struct EntityCounter {
    kept: Vec<(DateTime<Utc>, usize)>,
    events: Events,
}

#[cfg(feature = "serde")]
impl EntityCounter {
    /// `(entered, converted)` of one entity whose entries are `entries`: `(instant, position
    /// in the definition's order)`, in any order (positions outside the order are the
    /// caller's to reject first).
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) past `u64::MAX` (not reachable by
    /// one entity's entries).
    pub(crate) fn count(
        &mut self,
        def: &StageConversion,
        period: Period,
        entries: impl IntoIterator<Item = (DateTime<Utc>, usize)>,
    ) -> Result<(u64, u64), Error> {
        self.kept.clear();
        self.kept.extend(entries.into_iter().filter(|&(_, pos)| def.keeps(pos)));
        if self.kept.is_empty() {
            return Ok((0, 0));
        }
        self.kept.sort_unstable();
        let (mut entered, mut converted) = (0u64, 0u64);
        self.events.contributions(def, period, &self.kept, &mut |_, e, c| {
            entered = add_count(entered, e)?;
            converted = add_count(converted, c)?;
            Ok(())
        })?;
        Ok((entered, converted))
    }
}
