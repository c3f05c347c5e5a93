//! The columnar batch: many journeys as flat columns, credited by integer kernels.
//!
//! Channels are interned to small integers, touches are flattened into one array per field with
//! per-journey offsets, instants are the crate's batch time unit (`i64` nanoseconds since the
//! Unix epoch, see [`limits`](crate::limits)) and values are integer
//! minor units of the batch's one currency. Linear and the anchored shapes (first, last, U, W,
//! full path, J, position-based, custom) run specialised loops in `u64` arithmetic when the model
//! has default options and no lookback or exclusions; everything else runs the same kernel as
//! the row form. Either way the results equal the row form's (property-tested).

use std::collections::{BTreeMap, BTreeSet};

use super::engine::{self, MAX_NANOS, MIN_NANOS, NO_INSTANT, Scratch, View};

mod kernels;
mod totals;

pub use self::totals::ChannelTotals;
use super::model::{Kernel, LinearPer, MiddleSpan, MissingAnchor, Model, ShortJourney, Stacking};
use crate::facts::Journey;
use crate::{ChannelId, Currency, Error, ErrorKind};

/// Many journeys of one currency as columns (see the module docs). Built by
/// [`ColumnarBatch::from_journeys`] or journey by journey with [`ColumnarBatch::push_journey`];
/// every journey is validated when it enters, so crediting a batch cannot meet bad input.
///
/// # Example
///
/// ```
/// use revops::attribution::{ColumnarBatch, Model};
/// use revops::{ChannelId, Currency};
///
/// let channels = vec![ChannelId::new("email")?, ChannelId::new("webinar")?];
/// let mut batch = ColumnarBatch::new(Currency::USD, channels)?;
/// // $100.00 converting at t=100 after touches on email (t=10) and webinar (t=20).
/// batch.push_journey(Some((100, 10_000)), [None; 3], &[10, 20], &[0, 1], &[0, 0])?;
/// batch.push_journey(None, [None; 3], &[5], &[1], &[0])?; // did not convert
/// let totals = batch.channel_totals(&Model::linear())?;
/// assert_eq!(totals.by_channel()?[&ChannelId::new("webinar")?].to_minor()?, 5_000);
/// assert_eq!(totals.non_converting(), 1);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnarBatch {
    currency: Currency,
    channels: Vec<ChannelId>,
    offsets: Vec<u32>,
    at: Vec<i64>,
    channel: Vec<u32>,
    roles: Vec<u8>,
    value: Vec<i64>,
    conversion_at: Vec<i64>,
    milestones: Vec<[i64; 3]>,
    /// The converting journeys in push order with their first and last channel and value
    /// (derived on push): the first- and last-touch kernels read only this short, sequential
    /// column.
    converting: Vec<Converting>,
}

/// A converting journey as the single-touch kernels need it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Converting {
    journey: u32,
    first: u32,
    last: u32,
    value: i64,
}

impl ColumnarBatch {
    /// An empty batch in `currency` over the channel table `channels` (index = channel key).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] if a channel appears twice or there are more than 2^32.
    pub fn new(currency: Currency, channels: Vec<ChannelId>) -> Result<ColumnarBatch, Error> {
        let mut seen = BTreeSet::new();
        for c in &channels {
            if !seen.insert(c) {
                return Err(ErrorKind::InvalidValue {
                    field: "batch channel",
                    value: c.to_string(),
                    reason: "appears twice in the channel table",
                }
                .into());
            }
        }
        if u32::try_from(channels.len()).is_err() {
            return Err(ErrorKind::InvalidValue {
                field: "batch channels",
                value: channels.len().to_string(),
                reason: "at most 2^32 channels",
            }
            .into());
        }
        Ok(ColumnarBatch {
            currency,
            channels,
            offsets: vec![0],
            at: Vec::new(),
            channel: Vec::new(),
            roles: Vec::new(),
            value: Vec::new(),
            conversion_at: Vec::new(),
            milestones: Vec::new(),
            converting: Vec::new(),
        })
    }

    /// Appends `channel` to the channel table and returns its key, so a reader can intern
    /// channels as it meets them.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] if the channel is already in the table or the table is full.
    pub fn add_channel(&mut self, channel: ChannelId) -> Result<u32, Error> {
        if self.channels.contains(&channel) {
            return Err(ErrorKind::InvalidValue {
                field: "batch channel",
                value: channel.to_string(),
                reason: "appears twice in the channel table",
            }
            .into());
        }
        let key = u32::try_from(self.channels.len()).map_err(|_| ErrorKind::InvalidValue {
            field: "batch channels",
            value: self.channels.len().to_string(),
            reason: "at most 2^32 channels",
        })?;
        self.channels.push(channel);
        Ok(key)
    }

    /// Reserves room for `journeys` more journeys and `touches` more touches.
    pub fn reserve(&mut self, journeys: usize, touches: usize) {
        self.offsets.reserve(journeys);
        self.value.reserve(journeys);
        self.conversion_at.reserve(journeys);
        self.milestones.reserve(journeys);
        self.at.reserve(touches);
        self.channel.reserve(touches);
        self.roles.reserve(touches);
    }

    /// Appends one journey: `conversion` is `(instant in ns, value in minor units)` or `None`
    /// for a journey that did not convert; `milestones` are lead created, opportunity created
    /// and closed won in ns (nanoseconds since the Unix epoch); `at`, `channel` (index into the channel table) and `roles`
    /// ([`Roles::bits`](crate::facts::Roles::bits)) are the touches' columns, in order.
    ///
    /// # Errors
    /// - [`ErrorKind::UnknownChannelIndex`]: a channel index past the table;
    /// - [`ErrorKind::InvalidBatchJourney`]: columns of different lengths, touches out of order or
    ///   after the conversion, a converting journey without touches, a negative value, an
    ///   instant outside the batch time range (`i64` nanoseconds, 1677-09-21 to 2262-04-11,
    ///   without `i64::MIN`, so no input instant can read as "no
    ///   instant"), or more than 2^32 touches in the batch.
    pub fn push_journey(
        &mut self,
        conversion: Option<(i64, i64)>,
        milestones: [Option<i64>; 3],
        at: &[i64],
        channel: &[u32],
        roles: &[u8],
    ) -> Result<(), Error> {
        let journey = self.value.len();
        let bad = |touch: usize, reason: &'static str| ErrorKind::InvalidBatchJourney { journey, touch, reason };
        if at.len() != channel.len() || at.len() != roles.len() {
            return Err(crate::Error::from(bad(0, "touch columns have different lengths")));
        }
        let in_range = |t: i64| (MIN_NANOS..=MAX_NANOS).contains(&t);
        if !conversion.is_none_or(|c| in_range(c.0)) {
            return Err(crate::Error::from(bad(
                0,
                "conversion instant outside the supported range (i64 nanoseconds, years 1678 to 2261)",
            )));
        }
        if !milestones.iter().flatten().all(|&m| in_range(m)) {
            return Err(crate::Error::from(bad(
                0,
                "milestone instant outside the supported range (i64 nanoseconds, years 1678 to 2261)",
            )));
        }
        if let Some((touch, _)) = [(0, at.first()), (at.len().saturating_sub(1), at.last())]
            .into_iter()
            .find(|(_, t)| t.is_some_and(|&t| !in_range(t)))
        {
            // Touches are checked non-decreasing below, so the ends bound every instant.
            return Err(crate::Error::from(bad(
                touch,
                "touch instant outside the supported range (i64 nanoseconds, years 1678 to 2261)",
            )));
        }
        if let Some((_, value)) = conversion {
            if value < 0 {
                return Err(crate::Error::from(bad(0, "negative conversion value")));
            }
            if at.is_empty() {
                return Err(crate::Error::from(bad(0, "converting journey has no touches")));
            }
        }
        // One pass: channel in the table, non-decreasing instants, none after the conversion.
        let table = self.channels.len();
        let limit = conversion.map_or(i64::MAX, |c| c.0);
        let mut previous = i64::MIN;
        for (touch, (&t, &c)) in at.iter().zip(channel).enumerate() {
            if c as usize >= table {
                return Err(ErrorKind::UnknownChannelIndex { journey, touch, channel: c }.into());
            }
            if t < previous {
                return Err(crate::Error::from(bad(touch, "touch is earlier than the touch before it")));
            }
            if t > limit {
                return Err(crate::Error::from(bad(touch, "touch is after the conversion")));
            }
            previous = t;
        }
        let end = u32::try_from(self.at.len() + at.len()).map_err(|_| bad(0, "more than 2^32 touches in the batch"))?;
        let position = u32::try_from(journey).map_err(|_| bad(0, "more than 2^32 journeys in the batch"))?;
        self.push_trusted(conversion, milestones, at, channel, roles, end, position);
        Ok(())
    }

    /// Appends one journey already validated (by [`ColumnarBatch::push_journey`] or by
    /// [`Journey::check`] in the row layer): `end` is the touch count after it, `position` its
    /// journey index.
    #[allow(clippy::too_many_arguments)] // the columns of one journey
    pub(crate) fn push_trusted(
        &mut self,
        conversion: Option<(i64, i64)>,
        milestones: [Option<i64>; 3],
        at: &[i64],
        channel: &[u32],
        roles: &[u8],
        end: u32,
        position: u32,
    ) {
        let start = self.at.len();
        self.at.extend_from_slice(at);
        self.channel.extend_from_slice(channel);
        self.roles.extend(roles.iter().map(|r| r & 0x0f));
        self.close_journey(conversion, milestones, start, end, position);
    }

    /// Appends one touch of a journey the row layer writes straight into the columns (already
    /// validated); [`ColumnarBatch::end_journey_trusted`] closes the journey.
    #[inline]
    pub(crate) fn push_touch_trusted(&mut self, at: i64, channel: u32, roles: u8) {
        self.at.push(at);
        self.channel.push(channel);
        self.roles.push(roles & 0x0f);
    }

    /// Closes the journey whose touches were appended since touch `start` by
    /// [`ColumnarBatch::push_touch_trusted`].
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] past 2^32 touches or journeys (the journey's touches are removed).
    pub(crate) fn end_journey_trusted(
        &mut self,
        conversion: Option<(i64, i64)>,
        milestones: [Option<i64>; 3],
        start: usize,
    ) -> Result<(), Error> {
        let (Ok(end), Ok(position)) = (u32::try_from(self.at.len()), u32::try_from(self.value.len())) else {
            self.discard_touches_from(start);
            return Err(ErrorKind::Overflow { op: "attribution buffer" }.into());
        };
        self.close_journey(conversion, milestones, start, end, position);
        Ok(())
    }

    /// Drops the touches appended since touch `start` by [`ColumnarBatch::push_touch_trusted`]
    /// (a journey refused half-way).
    pub(crate) fn discard_touches_from(&mut self, start: usize) {
        self.at.truncate(start);
        self.channel.truncate(start);
        self.roles.truncate(start);
    }

    fn close_journey(
        &mut self,
        conversion: Option<(i64, i64)>,
        milestones: [Option<i64>; 3],
        start: usize,
        end: u32,
        position: u32,
    ) {
        let ends = (self.channel.get(start), self.channel.last());
        if let (Some((_, value)), (Some(&first), Some(&last))) = (conversion, ends) {
            self.converting.push(Converting { journey: position, first, last, value });
        }
        self.offsets.push(end);
        self.value.push(conversion.map_or(0, |c| c.1));
        self.conversion_at.push(conversion.map_or(NO_INSTANT, |c| c.0));
        self.milestones.push(milestones.map(|m| m.unwrap_or(NO_INSTANT)));
    }

    /// Removes every journey, keeping the channel table and the columns' capacity.
    pub(crate) fn clear_journeys(&mut self) {
        self.offsets.truncate(1);
        self.at.clear();
        self.channel.clear();
        self.roles.clear();
        self.value.clear();
        self.conversion_at.clear();
        self.milestones.clear();
        self.converting.clear();
    }

    /// The columnar form of `journeys`, with the channel table sorted by id.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::DateTime;
    /// use revops::attribution::{ColumnarBatch, Model};
    /// use revops::facts::{Journey, Touchpoint};
    /// use revops::{ChannelId, Currency, JourneyId, Money};
    ///
    /// let day = |d: i64| DateTime::from_timestamp_nanos(1_709_251_200_000_000_000 + d * 86_400_000_000_000);
    /// let journey = Journey::converted(JourneyId::new("deal-1")?, day(9), Money::from_minor(10_000, Currency::USD))
    ///     .with_touch(Touchpoint::new(day(1), ChannelId::new("search")?))
    ///     .with_touch(Touchpoint::new(day(2), ChannelId::new("email")?));
    /// let batch = ColumnarBatch::from_journeys(Currency::USD, &[journey])?;
    /// assert_eq!(batch.channels()[0].as_str(), "email"); // sorted by id
    /// assert_eq!(batch.journey_channels(0), Some(&[1, 0][..]));
    /// let totals = batch.channel_totals(&Model::first_touch())?;
    /// assert_eq!(totals.minor_units(), [0, 10_000]);
    /// # Ok::<(), revops::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Journey::check`]; [`ErrorKind::CurrencyMismatch`] for a conversion in another currency;
    /// [`ErrorKind::ExcessPrecision`] / [`ErrorKind::Overflow`] for a value that is not whole minor units.
    pub fn from_journeys(currency: Currency, journeys: &[Journey]) -> Result<ColumnarBatch, Error> {
        let channels: BTreeSet<&ChannelId> = journeys.iter().flat_map(Journey::channels).collect();
        let table: BTreeMap<&ChannelId, u32> = channels
            .iter()
            .enumerate()
            .map(|(i, c)| Ok((*c, u32::try_from(i).map_err(|_| ErrorKind::Overflow { op: "batch channel index" })?)))
            .collect::<Result<_, Error>>()?;
        let mut batch = ColumnarBatch::new(currency, channels.into_iter().cloned().collect())?;
        let (mut at, mut ch, mut roles) = (Vec::new(), Vec::new(), Vec::new());
        for j in journeys {
            j.check()?;
            let conversion = match j.conversion {
                Some(c) if c.value.currency() != currency => {
                    return Err(ErrorKind::CurrencyMismatch { expected: currency, found: c.value.currency() }.into());
                }
                Some(c) => Some((crate::limits::nanos(c.at)?, c.value.to_minor()?)),
                None => None,
            };
            at.clear();
            ch.clear();
            roles.clear();
            for t in &j.touches {
                at.push(crate::limits::nanos(t.at)?);
                ch.push(table.get(&t.channel).copied().unwrap_or(0));
                roles.push(t.roles.bits());
            }
            let m = j.milestones;
            let ns = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(crate::limits::nanos).transpose();
            let ms = [ns(m.lead_created)?, ns(m.opportunity_created)?, ns(m.closed_won)?];
            batch.push_journey(conversion, ms, &at, &ch, &roles)?;
        }
        Ok(batch)
    }

    /// The batch's currency.
    #[must_use]
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// The channel table (index = channel key).
    #[must_use]
    pub fn channels(&self) -> &[ChannelId] {
        &self.channels
    }

    /// Number of journeys.
    #[must_use]
    pub fn journeys(&self) -> usize {
        self.value.len()
    }

    /// Number of touches.
    #[must_use]
    pub fn touches(&self) -> usize {
        self.at.len()
    }

    /// Channel keys of journey `j` in touch order (the channel sequence), if it exists.
    #[must_use]
    pub fn journey_channels(&self, j: usize) -> Option<&[u32]> {
        let (s, e) = self.bounds(j)?;
        self.channel.get(s..e)
    }

    fn bounds(&self, j: usize) -> Option<(usize, usize)> {
        Some((*self.offsets.get(j)? as usize, *self.offsets.get(j + 1)? as usize))
    }

    /// Credits every converting journey under `model` and totals the credits by channel. With
    /// the `rayon` feature the journeys are split across threads; the totals are identical.
    ///
    /// # Errors
    /// [`ErrorKind::EmptyJourney`] (no touch in the lookback window) or [`ErrorKind::MissingAnchor`]
    /// naming the journey by its position (`#12`); [`ErrorKind::Overflow`] on absurd weights.
    pub fn channel_totals(&self, model: &Model) -> Result<ChannelTotals, Error> {
        #[cfg(feature = "rayon")]
        {
            use rayon::prelude::*;
            let n = self.journeys();
            let chunk = 16_384;
            let parts: Vec<Result<ChannelTotals, Error>> = (0..n.div_ceil(chunk))
                .into_par_iter()
                .map(|c| self.totals_range(model, c * chunk, ((c + 1) * chunk).min(n)))
                .collect();
            let mut all = self.empty_totals(model);
            for p in parts {
                all.merge(p?)?;
            }
            Ok(all)
        }
        #[cfg(not(feature = "rayon"))]
        {
            self.totals_range(model, 0, self.journeys())
        }
    }

    /// Like [`ColumnarBatch::channel_totals`], always on the calling thread.
    ///
    /// # Errors
    /// As [`ColumnarBatch::channel_totals`].
    pub fn channel_totals_serial(&self, model: &Model) -> Result<ChannelTotals, Error> {
        self.totals_range(model, 0, self.journeys())
    }

    fn empty_totals(&self, model: &Model) -> ChannelTotals {
        ChannelTotals::new(model.clone(), self.currency, self.channels.clone())
    }

    fn totals_range(&self, model: &Model, from: usize, to: usize) -> Result<ChannelTotals, Error> {
        let mut out = self.empty_totals(model);
        let o = model.options();
        let plain = o.lookback.is_none()
            && o.excluded.is_empty()
            && o.missing_anchor == MissingAnchor::Redistribute
            && o.stacking == Stacking::Sum
            && o.short_journey == ShortJourney::Proportional
            // A middle span runs on the row kernel ([`Scratch`]), like every other option.
            && o.middle == MiddleSpan::AllOthers;
        match *model.kernel() {
            Kernel::Linear { per: LinearPer::Touch } if plain => self.linear_fast(from, to, &mut out),
            Kernel::Anchored { slots: [1, 0, 0, 0, 0, 0], middle: 0 } if plain => {
                self.single_fast(from, to, false, &mut out);
            }
            Kernel::Anchored { slots: [0, 1, 0, 0, 0, 0], middle: 0 } if plain => {
                self.single_fast(from, to, true, &mut out);
            }
            Kernel::TimeDecay { half_life_ns, curve } if plain => {
                self.decay_fast(model, half_life_ns, curve, from, to, &mut out)?;
            }
            Kernel::Anchored { slots, middle } if plain => {
                self.anchored_fast(model, slots, middle, from, to, &mut out)?;
            }
            _ => self.general(model, from, to, &mut Scratch::default(), &mut Vec::new(), &mut out)?,
        }
        Ok(out)
    }

    /// The row form's kernel over batch columns.
    fn general(
        &self,
        model: &Model,
        from: usize,
        to: usize,
        scratch: &mut Scratch,
        flags: &mut Vec<bool>,
        out: &mut ChannelTotals,
    ) -> Result<(), Error> {
        let excluded: Vec<bool> = self.channels.iter().map(|c| model.options().excluded.contains(c)).collect();
        let any_excluded = excluded.iter().any(|&x| x);
        for j in from..to {
            let Some((s, e)) = self.bounds(j) else { continue };
            let (Some(&value), Some(&conversion_at)) = (self.value.get(j), self.conversion_at.get(j)) else {
                continue;
            };
            if conversion_at == NO_INSTANT {
                out.non_converting += 1;
                continue;
            }
            let (Some(at), Some(channel), Some(roles)) =
                (self.at.get(s..e), self.channel.get(s..e), self.roles.get(s..e))
            else {
                continue;
            };
            flags.clear();
            if any_excluded {
                flags.extend(channel.iter().map(|&c| excluded.get(c as usize).copied().unwrap_or(false)));
            }
            let view = View {
                at,
                roles,
                channel,
                excluded: flags,
                conversion_at,
                value,
                milestones: self.milestones.get(j).copied().unwrap_or([NO_INSTANT; 3]),
            };
            scratch.run(model, &view).map_err(|f| batch_failure(f, j))?;
            out.conversions += 1;
            out.revenue += i128::from(value);
            for (&i, &part) in scratch.kept.iter().zip(&scratch.parts) {
                let ch = channel.get(i as usize).copied().unwrap_or(0);
                if let Some(slot) = out.sums.get_mut(ch as usize) {
                    *slot += i128::from(part);
                }
            }
        }
        Ok(())
    }
}

fn batch_failure(f: engine::Failure, journey: usize) -> Error {
    let id = crate::JourneyId::new(format!("#{journey}"));
    match id {
        Ok(id) => super::credit::failure(f, &id),
        Err(e) => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(s: &str) -> ChannelId {
        ChannelId::new(s).unwrap()
    }

    #[test]
    fn channel_table_and_merge_are_checked() {
        assert!(ColumnarBatch::new(Currency::USD, vec![ch("a"), ch("a")]).is_err());
        let mut batch = ColumnarBatch::new(Currency::USD, vec![ch("a")]).unwrap();
        assert_eq!(batch.add_channel(ch("b")).unwrap(), 1);
        assert!(batch.add_channel(ch("a")).is_err());
        batch.push_journey(Some((10, 101)), [None; 3], &[1, 2], &[0, 1], &[0, 0]).unwrap();
        assert_eq!(batch.journey_channels(0), Some(&[0, 1][..]));
        let mut a = batch.channel_totals(&Model::linear()).unwrap();
        assert_eq!(a.minor_units(), [51, 50]);
        let b = ColumnarBatch::new(Currency::EUR, vec![ch("a"), ch("b")])
            .unwrap()
            .channel_totals(&Model::linear())
            .unwrap();
        assert!(matches!(
            a.merge(b).as_ref().map_err(crate::error::Error::kind),
            Err(ErrorKind::DefinitionMismatch { field: "currency", .. })
        ));
        let c = ColumnarBatch::new(Currency::USD, vec![ch("a")]).unwrap().channel_totals(&Model::linear()).unwrap();
        assert!(matches!(
            a.merge(c).as_ref().map_err(crate::error::Error::kind),
            Err(ErrorKind::DefinitionMismatch { field: "channel table", .. })
        ));
        let w = batch.channel_totals(&Model::w_shaped()).unwrap();
        assert!(matches!(
            a.merge(w).as_ref().map_err(crate::error::Error::kind),
            Err(ErrorKind::DefinitionMismatch { field: "model", .. })
        ));
        let err = batch.push_journey(Some((1, 5)), [None; 3], &[1, 2], &[0, 0], &[0, 0]).unwrap_err();
        assert_eq!(err.to_string(), "journey 1 of the batch is invalid at touch 1: touch is after the conversion");
        assert!(batch.push_journey(Some((9, -1)), [None; 3], &[1], &[0], &[0]).is_err());
        assert!(batch.push_journey(Some((9, 1)), [None; 3], &[], &[], &[]).is_err());
        assert!(batch.push_journey(None, [None; 3], &[1], &[0, 0], &[0]).is_err());
    }

    /// Issue 12 item 7: `i64::MIN` was the "no time" sentinel, so a conversion at `i64::MIN`
    /// was counted by first touch and dropped as non-converting by every other kernel. Instants
    /// outside the batch time range (which holds no sentinel) are refused.
    #[test]
    fn a_conversion_at_i64_min_is_refused_not_misread_as_no_conversion() {
        let mut batch = ColumnarBatch::new(Currency::USD, vec![ch("a")]).unwrap();
        let err = batch.push_journey(Some((i64::MIN, 100)), [None; 3], &[i64::MIN], &[0], &[0]).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::InvalidBatchJourney { journey: 0, .. }), "{err}");
        assert!(batch.push_journey(None, [Some(i64::MIN), None, None], &[0], &[0], &[0]).is_err());
        assert!(batch.push_journey(None, [None; 3], &[i64::MIN], &[0], &[0]).is_err());
        assert_eq!(batch.journeys(), 0);
        // The earliest and latest instants of the range (i64::MAX ns is the last) are valid
        // and every model agrees.
        let (lo, hi) = (MIN_NANOS, MAX_NANOS);
        batch.push_journey(Some((lo, 100)), [None; 3], &[lo], &[0], &[1]).unwrap();
        batch.push_journey(Some((hi, 100)), [Some(lo), Some(hi), Some(hi)], &[lo, hi], &[0, 0], &[1, 0]).unwrap();
        for model in [Model::first_touch(), Model::last_touch(), Model::linear(), Model::w_shaped()] {
            let t = batch.channel_totals(&model).unwrap();
            assert_eq!((t.conversions(), t.non_converting(), t.minor_units()), (2, 0, &[200][..]), "{model:?}");
        }
    }
}
