//! [`PathColumns`]: paths in columnar form, the data-driven models' fastest input.

use super::{AggregatedPath, ChannelInterner, check_minor_outcome, unknown_index};
use crate::money::Currency;
use crate::{ChannelId, Error, ErrorKind, Money};

/// Paths in columnar form: channels interned to small integers, the channel indices of every
/// path flattened into one array with per-path offsets, outcomes in parallel columns and
/// values in integer minor units. The fast input of [`TransitionCounts`](crate::attribution::TransitionCounts)
/// and [`CoalitionCounts`](crate::attribution::CoalitionCounts) (`push_columns`), and what
/// [`parse_path_columns`](super::parse_path_columns) and the testkit generator produce.
///
/// # Example
///
/// ```
/// use revops::{ChannelId, Currency};
/// use revops::attribution::PathColumns;
///
/// let mut batch = PathColumns::new(Currency::USD);
/// let (a, b) = (batch.intern(&ChannelId::new("a")?)?, batch.intern(&ChannelId::new("b")?)?);
/// batch.push(&[a, b, b], 1, 25_000, 0)?; // converted, $250.00
/// batch.push(&[b], 0, 0, 4)?;            // four journeys that did not
/// assert_eq!(batch.len(), 2);
/// assert_eq!(batch.path(0), Some(&[0, 1, 1][..]));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct PathColumns {
    pub(super) currency: Currency,
    pub(super) channels: ChannelInterner,
    pub(super) offsets: Vec<usize>,
    pub(super) touches: Vec<u32>,
    pub(super) conversions: Vec<u64>,
    pub(super) value_minor: Vec<i64>,
    pub(super) nulls: Vec<u64>,
}

impl PathColumns {
    /// An empty batch with values in `currency`.
    #[must_use]
    pub fn new(currency: Currency) -> PathColumns {
        PathColumns {
            currency,
            channels: ChannelInterner::new(),
            offsets: vec![0],
            touches: Vec::new(),
            conversions: Vec::new(),
            value_minor: Vec::new(),
            nulls: Vec::new(),
        }
    }

    /// The currency of the values.
    #[must_use]
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// The channels, by index.
    #[must_use]
    pub fn channels(&self) -> &ChannelInterner {
        &self.channels
    }

    /// The index of `channel`, adding it if new.
    ///
    /// # Errors
    /// [`ErrorKind::TooManyChannels`] past [`ChannelInterner::MAX_CHANNELS`].
    pub fn intern(&mut self, channel: &ChannelId) -> Result<u32, Error> {
        self.channels.intern(channel)
    }

    /// Appends a path of interned channel indices with its outcome (`value_minor` in minor
    /// units of the batch's currency).
    ///
    /// # Errors
    /// [`ErrorKind::Empty`] (`what: "channel path"`); [`ErrorKind::InvalidValue`] for an index never interned, or a
    /// negative value, or a value without conversions.
    ///
    /// ```
    /// use revops::{ChannelId, Currency};
    /// use revops::attribution::PathColumns;
    ///
    /// let mut batch = PathColumns::new(Currency::USD);
    /// let a = batch.intern(&ChannelId::new("a")?)?;
    /// batch.push(&[a, a], 2, 1_000, 1)?;
    /// assert!(batch.push(&[a + 1], 0, 0, 1).is_err()); // never interned
    /// assert!(batch.push(&[], 0, 0, 1).is_err());
    /// assert_eq!((batch.len(), batch.touch_count()), (1, 2));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn push(&mut self, path: &[u32], conversions: u64, value_minor: i64, nulls: u64) -> Result<(), Error> {
        if path.is_empty() {
            return Err(ErrorKind::Empty { what: "channel path" }.into());
        }
        check_minor_outcome(conversions, value_minor)?;
        if let Some(&bad) = path.iter().find(|&&c| c as usize >= self.channels.len()) {
            return Err(unknown_index(bad));
        }
        self.touches.extend_from_slice(path);
        self.offsets.push(self.touches.len());
        self.conversions.push(conversions);
        self.value_minor.push(value_minor);
        self.nulls.push(nulls);
        Ok(())
    }

    /// How many paths.
    #[must_use]
    pub fn len(&self) -> usize {
        self.conversions.len()
    }

    /// Whether the batch holds no path.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.conversions.is_empty()
    }

    /// How many touches over all paths.
    #[must_use]
    pub fn touch_count(&self) -> usize {
        self.touches.len()
    }

    /// The channel indices of path `i`.
    #[must_use]
    pub fn path(&self, i: usize) -> Option<&[u32]> {
        let lo = *self.offsets.get(i)?;
        let hi = *self.offsets.get(i + 1)?;
        self.touches.get(lo..hi)
    }

    /// Every path as `(channel indices, conversions, value in minor units, nulls)`, in order.
    ///
    /// ```
    /// use revops::{ChannelId, Currency};
    /// use revops::attribution::PathColumns;
    ///
    /// let mut batch = PathColumns::new(Currency::USD);
    /// let (a, b) = (batch.intern(&ChannelId::new("a")?)?, batch.intern(&ChannelId::new("b")?)?);
    /// batch.push(&[a, b], 1, 500, 2)?;
    /// batch.push(&[b], 0, 0, 1)?;
    /// let rows: Vec<_> = batch.iter().collect();
    /// assert_eq!(rows, [(&[0, 1][..], 1, 500, 2), (&[1][..], 0, 0, 1)]);
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&[u32], u64, i64, u64)> + '_ {
        self.offsets.windows(2).zip(self.conversions.iter().zip(self.value_minor.iter().zip(&self.nulls))).map(
            |(w, (&c, (&v, &n)))| {
                let (lo, hi) = (w.first().copied().unwrap_or(0), w.get(1).copied().unwrap_or(0));
                (self.touches.get(lo..hi).unwrap_or_default(), c, v, n)
            },
        )
    }

    /// Row form: every path as an [`AggregatedPath`].
    ///
    /// ```
    /// use revops::{ChannelId, Currency};
    /// use revops::attribution::PathColumns;
    ///
    /// let mut batch = PathColumns::new(Currency::USD);
    /// let (a, b) = (batch.intern(&ChannelId::new("a")?)?, batch.intern(&ChannelId::new("b")?)?);
    /// batch.push(&[b, a], 1, 1_234, 0)?;
    /// let rows = batch.to_paths();
    /// assert_eq!(rows[0].channels, [ChannelId::new("b")?, ChannelId::new("a")?]);
    /// assert_eq!((rows[0].conversions, rows[0].value.to_string()), (1, "12.34 USD".to_string()));
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn to_paths(&self) -> Vec<AggregatedPath> {
        self.iter()
            .map(|(p, c, v, n)| AggregatedPath {
                channels: p.iter().filter_map(|&i| self.channels.channel(i).cloned()).collect(),
                conversions: c,
                value: Money::from_minor(v, self.currency),
                nulls: n,
            })
            .collect()
    }
}
