//! What the Shapley models return: credits per channel (simplified, ordered by position) and
//! the exact Shapley values of a game, with the exact split of money by their shares.

use crate::attribution::paths::allocate_shares;
use crate::{ChannelId, Error, Money};

/// One channel's simplified Shapley credit.
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
