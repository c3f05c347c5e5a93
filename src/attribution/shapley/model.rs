//! [`ShapleyModel`]: which Shapley model to read from [`CoalitionCounts`], as a definition, and
//! [`ShapleyAttribution`], what it returns.

use super::{CoalitionCounts, Game, OrderedShapley, ShapleyValues, SimplifiedShapley};
use crate::{ChannelId, Error, Money};

/// A Shapley model as data: one of the models [`CoalitionCounts`] offers (see the
/// [module docs](super) for their definitions).
///
/// # Wire format
///
/// `"simplified"`, `"ordered"`, or `{ "exact": <Game> }` with the game `"conversion_rate"`,
/// `"cumulative_conversions"` or `"cumulative_value"` (in TOML: `shapley = "simplified"`,
/// `shapley = { exact = "conversion_rate" }`).
///
/// # Example
///
/// ```
/// use revops::attribution::{CoalitionCounts, Game, ShapleyModel};
/// use revops::{ChannelId, Currency, Money};
///
/// let model: ShapleyModel = serde_json::from_str(r#"{ "exact": "cumulative_conversions" }"#)?;
/// assert_eq!(model, ShapleyModel::Exact(Game::CumulativeConversions));
/// let (a, b) = (ChannelId::new("a")?, ChannelId::new("b")?);
/// let mut counts = CoalitionCounts::new(Currency::USD);
/// counts.push_channels(&[a.clone(), b.clone()], Some(Money::from_minor(10_000, Currency::USD)))?;
/// counts.push_channels(&[b], Some(Money::from_minor(5_000, Currency::USD)))?;
/// counts.push_channels(&[a], None)?;
/// let credits: Vec<String> = model.attribute(&counts)?.credits()?.iter().map(|(_, m)| m.to_string()).collect();
/// assert_eq!(credits, ["37.50 USD", "112.50 USD"]); // $150 split by the values 0.5 and 1.5
/// assert!(serde_json::from_str::<ShapleyModel>(r#""classic""#).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ShapleyModel {
    /// [`CoalitionCounts::simplified`]: each conversion split equally over its distinct channels.
    Simplified,
    /// [`CoalitionCounts::ordered`]: the simplified credit kept per position of first appearance.
    Ordered,
    /// [`CoalitionCounts::exact`] of the game; the value is split by the Shapley values
    /// ([`ShapleyValues::allocate`]). Up to [`MAX_EXACT_CHANNELS`](super::MAX_EXACT_CHANNELS)
    /// channels.
    Exact(Game),
}

/// What a [`ShapleyModel`] returns: the result of the model it names.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ShapleyAttribution {
    /// [`ShapleyModel::Simplified`].
    Simplified(SimplifiedShapley),
    /// [`ShapleyModel::Ordered`].
    Ordered(OrderedShapley),
    /// [`ShapleyModel::Exact`]: the game's values and the total value split by them.
    Exact {
        /// The game.
        game: Game,
        /// The Shapley values, in channel-id order.
        values: ShapleyValues,
        /// The total conversion value split by the values, exactly, in channel-id order.
        credits: Vec<(ChannelId, Money)>,
    },
}

impl ShapleyModel {
    /// Reads this model from `counts`.
    ///
    /// # Errors
    /// Those of [`CoalitionCounts::simplified`], [`CoalitionCounts::ordered`] and
    /// [`CoalitionCounts::exact`]; for an exact model, those of [`ShapleyValues::allocate`] (a
    /// negative value: a game where a channel hurts).
    pub fn attribute(&self, counts: &CoalitionCounts) -> Result<ShapleyAttribution, Error> {
        Ok(match *self {
            ShapleyModel::Simplified => ShapleyAttribution::Simplified(counts.simplified()?),
            ShapleyModel::Ordered => ShapleyAttribution::Ordered(counts.ordered()?),
            ShapleyModel::Exact(game) => {
                let values = counts.exact(game)?;
                let credits = values.allocate(counts.total_value()?)?;
                ShapleyAttribution::Exact { game, values, credits }
            }
        })
    }
}

impl ShapleyAttribution {
    /// The simplified result, if this is one.
    #[must_use]
    pub const fn simplified(&self) -> Option<&SimplifiedShapley> {
        if let ShapleyAttribution::Simplified(s) = self { Some(s) } else { None }
    }

    /// Each channel's value credit, in channel-id order; they sum to the total conversion value
    /// exactly (an ordered model's credit is the sum over its positions).
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) if a sum leaves the range of money.
    pub fn credits(&self) -> Result<Vec<(ChannelId, Money)>, Error> {
        match self {
            ShapleyAttribution::Simplified(s) => Ok(s.channels.iter().map(|c| (c.channel.clone(), c.value)).collect()),
            ShapleyAttribution::Ordered(o) => o
                .channels
                .iter()
                .map(|c| {
                    Ok((
                        c.channel.clone(),
                        Money::checked_sum(c.value_by_position.iter().copied(), o.total_value.currency())?,
                    ))
                })
                .collect(),
            ShapleyAttribution::Exact { credits, .. } => Ok(credits.clone()),
        }
    }
}
