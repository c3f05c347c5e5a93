//! `revops_shapley`: Shapley values of channels, as an aggregate function whose partial state
//! is the crate's serialized [`CoalitionCounts`].

use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::error::{DataFusionError, Result};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDFImpl, Signature, Volatility};
use datafusion::scalar::ScalarValue;
use revops::attribution::{CoalitionCounts, Game};

use crate::paths::PathAccumulator;
use crate::udaf::{external, json, literal_currency, literal_text, state_fields};

/// The aggregate function `revops_shapley(method, currency, journey_id, converted_at,
/// value_minor, channel)` over rows of the [`journeys`](crate::schema::journeys) shape.
///
/// `method` is a literal: `simplified` (each conversion and its value split equally over its
/// distinct channels: [`CoalitionCounts::simplified`]), `ordered` (by position,
/// [`CoalitionCounts::ordered`]), or an exact game ([`CoalitionCounts::exact`]):
/// `conversion_rate` (as DP6's package), `cumulative_conversions`, `cumulative_value`.
/// `currency` is a literal ISO 4217 code. The result is the crate's result as JSON. Its
/// partial state is a [`CoalitionCounts`] serialized by the crate (one count per distinct
/// channel set, whatever the number of journeys), so a partitioned plan counts where the rows
/// are and merges; the values equal the in-process crate's.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Shapley {
    signature: Signature,
}

impl Shapley {
    /// The function.
    #[must_use]
    pub fn new() -> Shapley {
        Shapley { signature: Signature::any(6, Volatility::Immutable) }
    }
}

impl Default for Shapley {
    fn default() -> Shapley {
        Shapley::new()
    }
}

/// How a result is read off the counts.
type Reading = fn(CoalitionCounts) -> Result<ScalarValue>;

/// How the result is read off the counts, by method name.
fn method(name: &str) -> Option<Reading> {
    Some(match name {
        "simplified" => |c| json(&c.simplified().map_err(external)?),
        "ordered" => |c| json(&c.ordered().map_err(external)?),
        "conversion_rate" => |c| json(&c.exact(Game::ConversionRate).map_err(external)?),
        "cumulative_conversions" => |c| json(&c.exact(Game::CumulativeConversions).map_err(external)?),
        "cumulative_value" => |c| json(&c.exact(Game::CumulativeValue).map_err(external)?),
        _ => return None,
    })
}

impl AggregateUDFImpl for Shapley {
    fn name(&self) -> &'static str {
        "revops_shapley"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn accumulator(&self, args: AccumulatorArgs<'_>) -> Result<Box<dyn Accumulator>> {
        let name = literal_text(&args, 0, "method")?;
        let result = method(&name).ok_or_else(|| {
            DataFusionError::Plan(format!(
                "revops_shapley: method {name:?} is not simplified, ordered, conversion_rate, \
                 cumulative_conversions or cumulative_value"
            ))
        })?;
        let currency = literal_currency(&args, 1)?;
        Ok(Box::new(PathAccumulator::new(CoalitionCounts::new(currency), result)))
    }

    fn state_fields(&self, args: StateFieldsArgs<'_>) -> Result<Vec<FieldRef>> {
        Ok(state_fields(&args))
    }
}
