//! The row layer over the columnar engine: [`Totals`](super::Totals) interns the journeys it is
//! pushed into a columnar batch per currency and flushes them through the batch's kernels, so
//! the row API and [`ColumnarBatch`] run one engine and give the same totals by construction.

use super::{FastMap, Sums};
use crate::attribution::columnar::ColumnarBatch;
use crate::attribution::model::{Kernel, Model};
use crate::facts::Journey;
use crate::limits::nanos;
use crate::{ChannelId, Currency, Error, ErrorKind};

/// Journeys longer than this take the row kernel (so a pathological journey's error, e.g. an
/// overflowing weight, is raised by its own `push`, naming it).
pub(super) const MAX_TOUCHES: usize = 1 << 16;
/// Buffered touches before a flush.
const FLUSH_TOUCHES: usize = 1 << 16;

/// One currency's buffer: the batch and its channel interner.
#[derive(Clone, Debug)]
pub(super) struct Pending {
    batch: ColumnarBatch,
    index: FastMap<ChannelId>,
    /// Batch channel key -> slot in the currency's [`Sums::channels`].
    slots: Vec<usize>,
}

impl Pending {
    pub(super) fn new(currency: Currency) -> Result<Pending, Error> {
        Ok(Pending { batch: ColumnarBatch::new(currency, Vec::new())?, index: FastMap::default(), slots: Vec::new() })
    }

    /// Buffers a converting journey already checked ([`Journey::check`] and
    /// [`check_instants`](crate::attribution::credit::check_instants)), of `value` minor
    /// units converting at `conversion_at`, writing its touches straight into the batch's
    /// columns. Returns whether the buffer should be flushed.
    pub(super) fn push(
        &mut self,
        model: &Model,
        journey: &Journey,
        conversion_at: chrono::DateTime<chrono::Utc>,
        value: i64,
    ) -> Result<bool, Error> {
        let m = journey.milestones;
        let has_milestones = m.lead_created.is_some() || m.opportunity_created.is_some() || m.closed_won.is_some();
        // Instants are read only by time decay and milestone roles (no lookback when buffered).
        let needs_time = matches!(model.kernel(), Kernel::TimeDecay { .. })
            || (has_milestones
                && matches!(model.kernel(), Kernel::Anchored { slots, .. } if slots.iter().skip(3).any(|&w| w > 0)));
        let start = self.batch.touches();
        if let Err(e) = self.write_touches(journey, needs_time) {
            self.batch.discard_touches_from(start);
            return Err(e);
        }
        let milestones = if needs_time {
            let ns = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(nanos).transpose();
            [ns(m.lead_created), ns(m.opportunity_created), ns(m.closed_won)]
        } else {
            [Ok(None), Ok(None), Ok(None)]
        };
        let conversion = nanos(conversion_at);
        let (Ok(conversion), [Ok(lc), Ok(oc), Ok(cw)]) = (conversion, milestones) else {
            // Unreachable after `check_instants`; refuse the journey whole anyway.
            self.batch.discard_touches_from(start);
            return Err(ErrorKind::InstantOutOfRange { instant: conversion_at.to_rfc3339() }.into());
        };
        self.batch.end_journey_trusted(Some((conversion, value)), [lc, oc, cw], start)?;
        Ok(self.batch.touches() >= FLUSH_TOUCHES)
    }

    /// Appends `journey`'s touches to the batch's columns, interning new channels.
    fn write_touches(&mut self, journey: &Journey, needs_time: bool) -> Result<(), Error> {
        let mut last: Option<(&ChannelId, u32)> = None;
        for t in &journey.touches {
            let key = match last {
                Some((c, k)) if *c == t.channel => k,
                _ => match self.index.get(&t.channel) {
                    Some(&k) => k,
                    None => self.intern(&t.channel)?,
                },
            };
            last = Some((&t.channel, key));
            let at = if needs_time { nanos(t.at)? } else { 0 };
            self.batch.push_touch_trusted(at, key, t.roles.bits());
        }
        Ok(())
    }

    #[cold]
    fn intern(&mut self, channel: &ChannelId) -> Result<u32, Error> {
        let k = self.batch.add_channel(channel.clone())?;
        self.index.insert(channel.clone(), k);
        Ok(k)
    }

    /// Whether no journey is buffered.
    #[cfg(feature = "serde")]
    pub(super) fn is_empty(&self) -> bool {
        self.batch.journeys() == 0
    }

    /// Credits the buffered journeys into `sums` and empties the buffer (keeping the interner).
    pub(super) fn flush(&mut self, model: &Model, sums: &mut Sums) -> Result<(), Error> {
        if self.batch.journeys() == 0 {
            return Ok(());
        }
        let totals = self.batch.channel_totals_serial(model)?;
        let overflow = || ErrorKind::Overflow { op: "attribution totals count" };
        sums.conversions = sums.conversions.checked_add(totals.conversions()).ok_or_else(overflow)?;
        sums.revenue += totals.revenue_minor();
        for (key, channel) in self.batch.channels().iter().enumerate().skip(self.slots.len()) {
            debug_assert_eq!(key, self.slots.len());
            self.slots.push(sums.channels.index(channel)?);
        }
        for (&slot, &minor) in self.slots.iter().zip(totals.minor_units()) {
            sums.channels.add_at(slot, minor);
        }
        self.batch.clear_journeys();
        Ok(())
    }
}
