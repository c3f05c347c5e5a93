//! `revops_markov`: Markov removal effects (orders 1 to 4), as an aggregate function whose
//! partial state is the crate's serialized
//! [`TransitionCounts`](revops::attribution::TransitionCounts).

use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::error::{DataFusionError, Result};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDFImpl, Signature, Volatility};
use revops::Tally;
use revops::attribution::MarkovModel;

use crate::paths::PathAccumulator;
use crate::udaf::{external, json, literal_currency, literal_text, state_fields};

/// The aggregate function `revops_markov(order, currency, journey_id, converted_at,
/// value_minor, channel)` over rows of the [`journeys`](crate::schema::journeys) shape
/// (`channel` the journey's channel list in touch order).
///
/// `order` is a literal from 1 to 4, `currency` a literal ISO 4217 code; the result is the
/// crate's [`MarkovAttribution`](revops::attribution::MarkovAttribution) as JSON (removal
/// effect, share and value of every channel). Its partial state is a
/// [`TransitionCounts`](revops::attribution::TransitionCounts)
/// serialized by the crate (O(states) in size, whatever the data).
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Markov {
    signature: Signature,
}

impl Markov {
    /// The function.
    #[must_use]
    pub fn new() -> Markov {
        Markov { signature: Signature::any(6, Volatility::Immutable) }
    }
}

impl Default for Markov {
    fn default() -> Markov {
        Markov::new()
    }
}

impl AggregateUDFImpl for Markov {
    fn name(&self) -> &'static str {
        "revops_markov"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn accumulator(&self, args: AccumulatorArgs<'_>) -> Result<Box<dyn Accumulator>> {
        let order: usize = literal_text(&args, 0, "order")?
            .parse()
            .map_err(|e| DataFusionError::Plan(format!("revops_markov: order: {e}")))?;
        let currency = literal_currency(&args, 1)?;
        let counts = MarkovModel::new(order).map_err(external)?.counts(currency);
        Ok(Box::new(PathAccumulator::new(counts, |c| json(&c.finish().map_err(external)?))))
    }

    fn state_fields(&self, args: StateFieldsArgs<'_>) -> Result<Vec<FieldRef>> {
        Ok(state_fields(&args))
    }
}
