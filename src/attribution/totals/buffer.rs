//! The row layer over the columnar engine: [`Totals`](super::Totals) interns the journeys it is
//! pushed into a columnar batch per currency and flushes them through the batch's kernels, so
//! the row API and [`ColumnarBatch`] run one engine and give the same totals by construction.

use super::{FastMap, Sums};
use crate::attribution::columnar::ColumnarBatch;
use crate::limits::nanos;
use crate::attribution::model::{Kernel, Model};
use crate::facts::Journey;
use crate::{ChannelId, Currency, Error, ErrorKind};

/// Journeys longer than this take the row kernel (so a pathological journey's error, e.g. an
/// overflowing weight, is raised by its own `push`, naming it).
pub(super) const MAX_TOUCHES: usize = 1 << 16;
/// Buffered touches before a flush.
const FLUSH_TOUCHES: usize = 1 << 16;

/// One currency's buffer: the batch, its channel interner, and reused touch columns.
#[derive(Clone, Debug)]
pub(super) struct Pending {
    batch: ColumnarBatch,
    index: FastMap<ChannelId>,
    /// Batch channel key -> slot in the currency's [`Sums::channels`].
    slots: Vec<usize>,
    at: Vec<i64>,
    channel: Vec<u32>,
    roles: Vec<u8>,
}

impl Pending {
    pub(super) fn new(currency: Currency) -> Result<Pending, Error> {
        Ok(Pending {
            batch: ColumnarBatch::new(currency, Vec::new())?,
            index: FastMap::default(),
            slots: Vec::new(),
            at: Vec::new(),
            channel: Vec::new(),
            roles: Vec::new(),
        })
    }

    /// Buffers a converting journey already checked ([`Journey::check`] and
    /// [`check_instants`](crate::attribution::credit::check_instants)), of `value` minor
    /// units converting at `conversion_at`. Returns whether the buffer should be flushed.
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
        self.at.clear();
        self.channel.clear();
        self.roles.clear();
        let mut last: Option<(&ChannelId, u32)> = None;
        for t in &journey.touches {
            let key = match last {
                Some((c, k)) if *c == t.channel => k,
                _ => {
                    if let Some(&k) = self.index.get(&t.channel) {
                        k
                    } else {
                        let k = self.batch.add_channel(t.channel.clone())?;
                        self.index.insert(t.channel.clone(), k);
                        k
                    }
                }
            };
            last = Some((&t.channel, key));
            self.channel.push(key);
            self.roles.push(t.roles.bits());
        }
        if needs_time {
            for t in &journey.touches {
                self.at.push(nanos(t.at)?);
            }
        } else {
            self.at.resize(journey.touches.len(), 0);
        }
        let milestones = if needs_time {
            let ns = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(nanos).transpose();
            [ns(m.lead_created)?, ns(m.opportunity_created)?, ns(m.closed_won)?]
        } else {
            [None; 3]
        };
        let (end, position) = (self.batch.touches() + self.at.len(), self.batch.journeys());
        let (Ok(end), Ok(position)) = (u32::try_from(end), u32::try_from(position)) else {
            return Err(ErrorKind::Overflow { op: "attribution buffer" }.into());
        };
        self.batch.push_trusted(
            Some((nanos(conversion_at)?, value)),
            milestones,
            &self.at,
            &self.channel,
            &self.roles,
            end,
            position,
        );
        Ok(self.batch.touches() >= FLUSH_TOUCHES)
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
