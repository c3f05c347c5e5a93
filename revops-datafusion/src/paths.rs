//! The accumulator the path-based functions share (`revops_markov`, `revops_shapley`): each
//! journey row's channel list interned and pushed as one path into the crate's counts, whose
//! serialized form is the partial state.

use datafusion::arrow::array::ArrayRef;
use datafusion::error::{DataFusionError, Result};
use datafusion::logical_expr::Accumulator;
use datafusion::scalar::ScalarValue;
use revops::attribution::{CoalitionCounts, TransitionCounts};
use revops::{ChannelId, Tally};

use crate::journeys::{ChannelInterner, JourneyColumns, bad_row};
use crate::udaf::{external, read_states, write_state};

/// Counts of paths: what a path-based function accumulates.
pub(crate) trait PathCounts:
    Tally + serde::Serialize + serde::de::DeserializeOwned + std::fmt::Debug + Send + Sync + 'static
{
    /// The key of `channel` in the counts' table.
    fn intern(&mut self, channel: &ChannelId) -> Result<u32, revops::Error>;
    /// Adds one path of `conversions` converting journeys worth `value_minor` and `nulls`
    /// non-converting ones.
    fn push_indices(
        &mut self,
        path: &[u32],
        conversions: u64,
        value_minor: i64,
        nulls: u64,
    ) -> Result<(), revops::Error>;
    /// About how many bytes the counts hold.
    fn bytes(&self) -> usize;
}

impl PathCounts for TransitionCounts {
    fn intern(&mut self, channel: &ChannelId) -> Result<u32, revops::Error> {
        TransitionCounts::intern(self, channel)
    }

    fn push_indices(&mut self, path: &[u32], conversions: u64, value: i64, nulls: u64) -> Result<(), revops::Error> {
        TransitionCounts::push_indices(self, path, conversions, value, nulls)
    }

    fn bytes(&self) -> usize {
        self.state_count() * 96
    }
}

impl PathCounts for CoalitionCounts {
    fn intern(&mut self, channel: &ChannelId) -> Result<u32, revops::Error> {
        CoalitionCounts::intern(self, channel)
    }

    fn push_indices(&mut self, path: &[u32], conversions: u64, value: i64, nulls: u64) -> Result<(), revops::Error> {
        CoalitionCounts::push_indices(self, path, conversions, value, nulls)
    }

    fn bytes(&self) -> usize {
        self.channels().len() * 64
    }
}

/// A path-based function's accumulator: the counts, and how the result is read off them.
#[derive(Debug)]
pub(crate) struct PathAccumulator<C> {
    /// `None` only after `evaluate`, which consumes the counts.
    counts: Option<C>,
    result: fn(C) -> Result<ScalarValue>,
}

impl<C: PathCounts> PathAccumulator<C> {
    pub(crate) fn new(counts: C, result: fn(C) -> Result<ScalarValue>) -> PathAccumulator<C> {
        PathAccumulator { counts: Some(counts), result }
    }

    fn counts(&mut self) -> Result<&mut C> {
        self.counts.as_mut().ok_or_else(|| DataFusionError::Internal("revops: evaluated twice".into()))
    }
}

impl<C: PathCounts> Accumulator for PathAccumulator<C> {
    /// `values`: the two literal arguments, then `journey_id, converted_at, value_minor,
    /// channel`.
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let columns = JourneyColumns::new(values.get(2..).unwrap_or_default(), false)?;
        let counts = self.counts()?;
        let mut interner = ChannelInterner::new(&columns);
        let mut path = Vec::new();
        for i in 0..columns.len() {
            let id = columns.id(i)?;
            let conversion = columns.conversion(i)?;
            interner.row(i, id, &mut path, &mut |c| counts.intern(&c))?;
            let (conversions, value, nulls) = match conversion {
                Some((_, value)) => (1, value, 0),
                None => (0, 0, 1),
            };
            counts.push_indices(&path, conversions, value, nulls).map_err(|e| bad_row(id, "channel", e))?;
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        for other in read_states::<C>(states)? {
            self.counts()?.merge(other).map_err(external)?;
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![write_state(self.counts()?)?])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let counts = self.counts.take().ok_or_else(|| DataFusionError::Internal("revops: evaluated twice".into()))?;
        (self.result)(counts)
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.counts.as_ref().map_or(0, PathCounts::bytes)
    }
}
