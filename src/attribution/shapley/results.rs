//! What the Shapley models return: credits per channel (simplified, ordered by position) and
//! the exact Shapley values of a game, with the exact split of money by their shares.

use crate::attribution::paths::allocate_shares;
use crate::{ChannelId, Error, Money};

/// One channel's simplified Shapley credit.
///
/// # Example
///
/// ```
/// use revops::{ChannelId, Currency, Money};
/// use revops::attribution::{CoalitionCounts, Game};
///
/// let (a, b) = (ChannelId::new("a")?, ChannelId::new("b")?);
/// let usd = |cents| Some(Money::from_minor(cents, Currency::USD));
/// let mut counts = CoalitionCounts::new(Currency::USD);
/// counts.push_channels(&[a.clone(), b.clone()], usd(10_000))?; // a > b converts, $100
/// counts.push_channels(&[b.clone()], usd(5_000))?; // b converts, $50
/// counts.push_channels(&[a.clone()], None)?; // a does not
/// let b = &counts.simplified()?.channels[1]; // b: half of a > b, all of b
/// assert_eq!((b.channel.as_str(), b.conversions, b.share), ("b", 1.5, 0.75));
/// assert_eq!(b.value.to_string(), "100.00 USD");
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ShapleyCredit {
    /// The channel.
    pub channel: ChannelId,
    /// `sum over T containing the channel of conversions(T) / |T|`.
    pub conversions: f64,
    /// `conversions / total conversions`.
    pub share: f64,
    /// The channel's part of the value, each set's value split equally in minor units.
    pub value: Money,
}

/// Simplified Shapley credits, in channel-id order.
///
/// # Example
///
/// ```
/// use revops::{ChannelId, Currency, Money};
/// use revops::attribution::{CoalitionCounts, Game};
///
/// let (a, b) = (ChannelId::new("a")?, ChannelId::new("b")?);
/// let usd = |cents| Some(Money::from_minor(cents, Currency::USD));
/// let mut counts = CoalitionCounts::new(Currency::USD);
/// counts.push_channels(&[a.clone(), b.clone()], usd(10_000))?; // a > b converts, $100
/// counts.push_channels(&[b.clone()], usd(5_000))?; // b converts, $50
/// counts.push_channels(&[a.clone()], None)?; // a does not
/// let simple = counts.simplified()?;
/// assert_eq!((simple.conversions, simple.total_value.to_string()), (2, "150.00 USD".to_string()));
/// let value: Vec<String> = simple.channels.iter().map(|c| c.value.to_string()).collect();
/// assert_eq!(value, ["50.00 USD", "100.00 USD"]);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SimplifiedShapley {
    /// Converting journeys; the channel conversions sum to it.
    pub conversions: u64,
    /// Total conversion value; the channel values sum to it exactly.
    pub total_value: Money,
    /// Per channel.
    pub channels: Vec<ShapleyCredit>,
}

/// One channel's ordered Shapley credit.
///
/// # Example
///
/// ```
/// use revops::{ChannelId, Currency, Money};
/// use revops::attribution::{CoalitionCounts, Game};
///
/// let (a, b) = (ChannelId::new("a")?, ChannelId::new("b")?);
/// let usd = |cents| Some(Money::from_minor(cents, Currency::USD));
/// let mut counts = CoalitionCounts::new(Currency::USD);
/// counts.push_channels(&[a.clone(), b.clone()], usd(10_000))?; // a > b converts, $100
/// counts.push_channels(&[b.clone()], usd(5_000))?; // b converts, $50
/// counts.push_channels(&[a.clone()], None)?; // a does not
/// let a = &counts.ordered()?.channels[0]; // a: half of a > b, at position 1
/// assert_eq!(a.conversions_by_position, [0.5, 0.0]);
/// let value: Vec<String> = a.value_by_position.iter().map(ToString::to_string).collect();
/// assert_eq!(value, ["50.00 USD", "0.00 USD"]);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct OrderedCredit {
    /// The channel.
    pub channel: ChannelId,
    /// Conversions credited at position 1, 2, ... (index 0 is position 1).
    pub conversions_by_position: Vec<f64>,
    /// Value credited at each position; all cells together sum to the total value exactly
    /// (one allocation of the total by the exact per-cell value weights).
    pub value_by_position: Vec<Money>,
}

/// Ordered Shapley credits, in channel-id order; every channel has the same number of positions.
///
/// # Example
///
/// ```
/// use revops::{ChannelId, Currency, Money};
/// use revops::attribution::{CoalitionCounts, Game};
///
/// let (a, b) = (ChannelId::new("a")?, ChannelId::new("b")?);
/// let usd = |cents| Some(Money::from_minor(cents, Currency::USD));
/// let mut counts = CoalitionCounts::new(Currency::USD);
/// counts.push_channels(&[a.clone(), b.clone()], usd(10_000))?; // a > b converts, $100
/// counts.push_channels(&[b.clone()], usd(5_000))?; // b converts, $50
/// counts.push_channels(&[a.clone()], None)?; // a does not
/// let ordered = counts.ordered()?;
/// assert_eq!((ordered.conversions, ordered.total_value.to_string()), (2, "150.00 USD".to_string()));
/// assert!(ordered.channels.iter().all(|c| c.conversions_by_position.len() == 2));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct OrderedShapley {
    /// Converting journeys.
    pub conversions: u64,
    /// Total conversion value.
    pub total_value: Money,
    /// Per channel.
    pub channels: Vec<OrderedCredit>,
}

/// Exact classic Shapley values, in channel-id order, with the game's ends.
///
/// # Example
///
/// ```
/// use revops::{ChannelId, Currency, Money};
/// use revops::attribution::{CoalitionCounts, Game};
///
/// let (a, b) = (ChannelId::new("a")?, ChannelId::new("b")?);
/// let usd = |cents| Some(Money::from_minor(cents, Currency::USD));
/// let mut counts = CoalitionCounts::new(Currency::USD);
/// counts.push_channels(&[a.clone(), b.clone()], usd(10_000))?; // a > b converts, $100
/// counts.push_channels(&[b.clone()], usd(5_000))?; // b converts, $50
/// counts.push_channels(&[a.clone()], None)?; // a does not
/// let values = counts.exact(Game::CumulativeValue)?; // dollars
/// assert_eq!(values.channels, [(a, 50.0), (b, 100.0)]);
/// assert_eq!((values.grand_coalition, values.empty_coalition), (150.0, 0.0));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ShapleyValues {
    /// `(channel, phi)`; the values sum to `grand_coalition - empty_coalition`.
    pub channels: Vec<(ChannelId, f64)>,
    /// `v(N)`.
    pub grand_coalition: f64,
    /// `v(empty)`.
    pub empty_coalition: f64,
}

impl ShapleyValues {
    /// Splits `total` by the values' shares, exactly (largest remainder), in channel-id order.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::{ChannelId, Currency, Money};
    /// use revops::attribution::exact_shapley;
    ///
    /// let channels = [ChannelId::new("a")?, ChannelId::new("b")?];
    /// let values = exact_shapley(&channels, |s| s.len() as f64 + if s.mask() == 0b11 { 1.0 } else { 0.0 })?;
    /// let credits = values.allocate(Money::from_minor(10_000, Currency::USD))?;
    /// assert_eq!(credits[0].1.to_string(), "50.00 USD");
    /// # Ok::<(), revops::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::InvalidModelShare`](crate::ErrorKind::InvalidModelShare) if a value is negative (a game where a channel hurts);
    /// [`ErrorKind::ZeroWeights`](crate::ErrorKind::ZeroWeights) if all are zero and `total` is not.
    pub fn allocate(&self, total: Money) -> Result<Vec<(ChannelId, Money)>, Error> {
        let ids: Vec<ChannelId> = self.channels.iter().map(|(c, _)| c.clone()).collect();
        let shares: Vec<f64> = self.channels.iter().map(|(_, v)| *v).collect();
        let parts = allocate_shares(total, &ids, &shares)?;
        Ok(ids.into_iter().zip(parts).collect())
    }
}
