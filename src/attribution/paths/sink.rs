//! What the data-driven accumulators share: checking outcomes and feeding paths into a sink.

use super::{AggregatedPath, PathColumns, outcome_minor};
use crate::money::Currency;
use crate::{ChannelId, Error, ErrorKind, Money};

pub(crate) fn check_minor_outcome(conversions: u64, value_minor: i64) -> Result<(), Error> {
    if value_minor < 0 || (conversions == 0 && value_minor != 0) {
        return Err(ErrorKind::InvalidValue {
            field: "conversion value",
            value: value_minor.to_string(),
            reason: "must not be negative, and zero without conversions",
        }
        .into());
    }
    Ok(())
}

/// What the data-driven accumulators share: interning channels and counting index paths. The
/// `push_channels`, `push_path` and `push_columns` methods of each accumulator are the generic
/// functions below, written once.
pub(crate) trait PathSink {
    /// The accumulator's currency.
    fn sink_currency(&self) -> Currency;
    /// The index of `channel`, interning it if new.
    fn sink_intern(&mut self, channel: &ChannelId) -> Result<u32, Error>;
    /// Adds a path of interned indices, validating it.
    fn sink_push(&mut self, path: &[u32], conversions: u64, value_minor: i64, nulls: u64) -> Result<(), Error>;
    /// Adds a path already validated by a [`PathColumns`] whose indices are the sink's own.
    fn sink_count_valid(&mut self, path: &[u32], conversions: u64, value_minor: i64, nulls: u64) -> Result<(), Error>;
}

/// One journey: channels in touch order, `Some(value)` if it converted.
pub(crate) fn push_channels_into<S: PathSink>(
    sink: &mut S,
    channels: &[ChannelId],
    converted_value: Option<Money>,
) -> Result<(), Error> {
    let currency = sink.sink_currency();
    let (conversions, nulls, value) = match converted_value {
        Some(v) => (1, 0, v),
        None => (0, 1, Money::zero(currency)),
    };
    let minor = outcome_minor(conversions, value, currency)?;
    let path = channels.iter().map(|c| sink.sink_intern(c)).collect::<Result<Vec<u32>, Error>>()?;
    sink.sink_push(&path, conversions, minor, nulls)
}

/// One aggregated path.
pub(crate) fn push_path_into<S: PathSink>(sink: &mut S, path: &AggregatedPath) -> Result<(), Error> {
    let minor = outcome_minor(path.conversions, path.value, sink.sink_currency())?;
    let indices = path.channels.iter().map(|c| sink.sink_intern(c)).collect::<Result<Vec<u32>, Error>>()?;
    sink.sink_push(&indices, path.conversions, minor, path.nulls)
}

/// Every path of a columnar batch; paths whose indices are the sink's own skip re-validation.
pub(crate) fn push_columns_into<S: PathSink>(sink: &mut S, batch: &PathColumns) -> Result<(), Error> {
    let currency = sink.sink_currency();
    if batch.currency() != currency {
        return Err(ErrorKind::CurrencyMismatch { expected: currency, found: batch.currency() }.into());
    }
    let map = batch.channels().channels().iter().map(|c| sink.sink_intern(c)).collect::<Result<Vec<u32>, Error>>()?;
    let identity = map.iter().enumerate().all(|(i, &m)| i == m as usize);
    let mut scratch = Vec::new();
    for (path, conversions, value, nulls) in batch.iter() {
        if identity {
            // The batch checked its paths and outcomes, and its indices are ours.
            sink.sink_count_valid(path, conversions, value, nulls)?;
        } else {
            scratch.clear();
            scratch.extend(path.iter().map(|&c| map.get(c as usize).copied().unwrap_or(u32::MAX)));
            sink.sink_push(&scratch, conversions, value, nulls)?;
        }
    }
    Ok(())
}

pub(crate) fn unknown_index(index: u32) -> Error {
    crate::Error::from(ErrorKind::InvalidValue {
        field: "channel index",
        value: index.to_string(),
        reason: "was not interned",
    })
}
