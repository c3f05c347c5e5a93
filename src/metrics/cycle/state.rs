//! Wire shape of [`SalesCycleTally`]'s partial state (feature `serde`): the definition, every
//! elapsed time in push order and the calendar-day histogram as ascending `[days, count]`
//! pairs, so a deserialized tally is equal to the original and merges exactly like it.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{CycleOutcome, Histogram, SalesCycleTally};
use crate::calendar::Zone;
use crate::metrics::wire::bad_state;
use crate::{Error, ErrorKind, Period};

const T: &str = "sales cycle tally";

#[derive(Serialize)]
struct StateRef<'a> {
    period: &'a Period,
    zone: Zone,
    outcome: CycleOutcome,
    elapsed_seconds: &'a [i64],
    calendar_days: Vec<(i64, u64)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct State {
    period: Period,
    zone: Zone,
    outcome: CycleOutcome,
    elapsed_seconds: Vec<i64>,
    calendar_days: Vec<(i64, u64)>,
}

impl Serialize for SalesCycleTally {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        StateRef {
            period: &self.period,
            zone: self.zone,
            outcome: self.outcome,
            elapsed_seconds: &self.elapsed,
            calendar_days: self.calendar.ascending().collect(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for SalesCycleTally {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<SalesCycleTally, D::Error> {
        SalesCycleTally::try_from(State::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

impl TryFrom<State> for SalesCycleTally {
    type Error = Error;
    fn try_from(s: State) -> Result<SalesCycleTally, Error> {
        // A cycle runs from creation to close, never backwards.
        if let Some(e) = s.elapsed_seconds.iter().find(|&&e| e < 0) {
            return Err(bad_state(T, format!("elapsed_seconds {e}"), "a sales cycle cannot be negative"));
        }
        let mut calendar = Histogram::default();
        let mut previous = None;
        for &(days, n) in &s.calendar_days {
            if days < 0 {
                return Err(bad_state(T, format!("calendar_days {days}"), "a sales cycle cannot be negative"));
            }
            if previous.is_some_and(|p| p >= days) || n == 0 {
                return Err(bad_state(
                    T,
                    format!("calendar_days [{days}, {n}]"),
                    "bins must be ascending, distinct and non-empty",
                ));
            }
            previous = Some(days);
            calendar.add(days, n)?;
        }
        if calendar.count != s.elapsed_seconds.len() {
            return Err(bad_state(
                T,
                format!("{} calendar days for {} elapsed times", calendar.count, s.elapsed_seconds.len()),
                "every deal measured has one of each",
            ));
        }
        Ok(SalesCycleTally {
            elapsed: s.elapsed_seconds,
            calendar,
            ..SalesCycleTally::new(s.period, s.zone).outcome(s.outcome)
        })
    }
}

impl Histogram {
    /// Adds `n` deals of `days` calendar days (read from a state, bins ascending).
    fn add(&mut self, days: i64, n: u64) -> Result<(), Error> {
        let overflow = || ErrorKind::Overflow { op: "sales cycle histogram" };
        let count = usize::try_from(n).ok().and_then(|n| self.count.checked_add(n)).ok_or_else(overflow)?;
        let weighted = i128::from(days).checked_mul(i128::from(n)).ok_or_else(overflow)?;
        let total = self.total.checked_add(weighted).ok_or_else(overflow)?;
        match usize::try_from(days) {
            Ok(i) if i < Self::DENSE => {
                if i >= self.dense.len() {
                    self.dense.resize(i + 1, 0);
                }
                if let Some(slot) = self.dense.get_mut(i) {
                    *slot = n;
                }
            }
            _ => {
                self.sparse.insert(days, n);
            }
        }
        (self.count, self.total) = (count, total);
        Ok(())
    }
}
