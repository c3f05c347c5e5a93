//! [`ChannelInterner`]: channel ids as small integers.

use crate::fast_map::FastMap;
use crate::{ChannelId, Error, ErrorKind};

/// Interns channel ids as small integers in first-seen order.
///
/// Accumulators count in these integers; results are always reported by [`ChannelId`] in id
/// order, so the interning order never shows in an answer.
///
/// # Example
///
/// ```
/// use revops::ChannelId;
/// use revops::attribution::ChannelInterner;
///
/// let mut channels = ChannelInterner::new();
/// let email = channels.intern(&ChannelId::new("email")?)?;
/// let search = channels.intern(&ChannelId::new("paid_search")?)?;
/// assert_eq!((email, search), (0, 1));
/// assert_eq!(channels.intern(&ChannelId::new("email")?)?, 0);
/// assert_eq!(channels.channel(1).map(ChannelId::as_str), Some("paid_search"));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct ChannelInterner {
    ids: Vec<ChannelId>,
    index: FastMap<ChannelId, u32>,
}

impl ChannelInterner {
    /// The most channels one interner holds (indices fit in 16 bits, which the Markov state
    /// keys rely on).
    pub const MAX_CHANNELS: usize = 65_535;

    /// An empty interner.
    #[must_use]
    pub fn new() -> ChannelInterner {
        ChannelInterner::default()
    }

    /// The index of `channel`, adding it if it is new.
    ///
    /// # Errors
    /// [`ErrorKind::TooManyChannels`] if it would be channel number 65,536.
    pub fn intern(&mut self, channel: &ChannelId) -> Result<u32, Error> {
        if let Some(&i) = self.index.get(channel) {
            return Ok(i);
        }
        let too_many = || ErrorKind::TooManyChannels {
            model: "channel interner",
            channels: self.ids.len() + 1,
            max: Self::MAX_CHANNELS,
        };
        if self.ids.len() >= Self::MAX_CHANNELS {
            return Err(crate::Error::from(too_many()));
        }
        let i = u32::try_from(self.ids.len()).map_err(|_| too_many())?;
        self.ids.push(channel.clone());
        self.index.insert(channel.clone(), i);
        Ok(i)
    }

    /// The index of `channel`, if interned.
    #[must_use]
    pub fn get(&self, channel: &ChannelId) -> Option<u32> {
        self.index.get(channel).copied()
    }

    /// The channel at `index`, if any.
    #[must_use]
    pub fn channel(&self, index: u32) -> Option<&ChannelId> {
        self.ids.get(usize::try_from(index).ok()?)
    }

    /// The interned channels, in index order.
    #[must_use]
    pub fn channels(&self) -> &[ChannelId] {
        &self.ids
    }

    /// How many channels are interned.
    #[must_use]
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether no channel is interned.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// For each channel, its rank in id order (`rank[index]`), and the channels sorted by id.
    pub(crate) fn ranks(&self) -> (Vec<u32>, Vec<ChannelId>) {
        let mut order: Vec<usize> = (0..self.ids.len()).collect();
        order.sort_by(|&a, &b| self.ids.get(a).cmp(&self.ids.get(b)));
        let mut rank = vec![0u32; self.ids.len()];
        for (r, &i) in order.iter().enumerate() {
            if let (Some(slot), Ok(r)) = (rank.get_mut(i), u32::try_from(r)) {
                *slot = r;
            }
        }
        let sorted = order.iter().filter_map(|&i| self.ids.get(i).cloned()).collect();
        (rank, sorted)
    }

    /// For each channel of `other`, its index in `self` (interning the new ones).
    pub(crate) fn absorb(&mut self, other: &ChannelInterner) -> Result<Vec<u32>, Error> {
        other.ids.iter().map(|c| self.intern(c)).collect()
    }
}
