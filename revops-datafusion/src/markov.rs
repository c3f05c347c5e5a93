//! `revops_markov`: Markov removal effects (orders 1 to 4), as an aggregate function whose
//! partial state is the crate's serialized [`TransitionCounts`].

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::error::{DataFusionError, Result};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDFImpl, Signature, Volatility};
use datafusion::scalar::ScalarValue;
use revops::Tally;
use revops::attribution::{MarkovModel, TransitionCounts};

use crate::journeys::{JourneyColumns, bad_row};
use crate::udaf::{external, json, literal_currency, literal_text, read_states, state_fields, write_state};

/// The aggregate function `revops_markov(order, currency, journey_id, converted_at,
/// value_minor, channel)` over rows of the [`journeys`](crate::schema::journeys) shape
/// (`channel` the journey's channel list in touch order).
///
/// `order` is a literal from 1 to 4, `currency` a literal ISO 4217 code; the result is the
/// crate's [`MarkovAttribution`](revops::attribution::MarkovAttribution) as JSON (removal
/// effect, share and value of every channel). Its partial state is a [`TransitionCounts`]
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
        Ok(Box::new(MarkovAccumulator { counts: Some(counts) }))
    }

    fn state_fields(&self, args: StateFieldsArgs<'_>) -> Result<Vec<FieldRef>> {
        Ok(state_fields(&args))
    }
}

#[derive(Debug)]
struct MarkovAccumulator {
    /// `None` only after `evaluate`, which consumes the counts.
    counts: Option<TransitionCounts>,
}

impl MarkovAccumulator {
    fn counts(&mut self) -> Result<&mut TransitionCounts> {
        self.counts.as_mut().ok_or_else(|| DataFusionError::Internal("revops_markov: evaluated twice".into()))
    }
}

impl Accumulator for MarkovAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let columns = JourneyColumns::new(values.get(2..).unwrap_or_default(), false)?;
        let counts = self.counts()?;
        let mut path = Vec::new();
        for i in 0..columns.len() {
            let id = columns.id(i)?;
            let conversion = columns.conversion(i)?;
            path.clear();
            for c in columns.channels(i)? {
                path.push(counts.intern(&c).map_err(|e| bad_row(id, "channel", e))?);
            }
            let (conversions, value, nulls) = match conversion {
                Some((_, value)) => (1, value, 0),
                None => (0, 0, 1),
            };
            counts.push_indices(&path, conversions, value, nulls).map_err(|e| bad_row(id, "channel", e))?;
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        for other in read_states::<TransitionCounts>(states)? {
            self.counts()?.merge(other).map_err(external)?;
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![write_state(self.counts()?)?])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let counts =
            self.counts.take().ok_or_else(|| DataFusionError::Internal("revops_markov: evaluated twice".into()))?;
        json(&counts.finish().map_err(external)?)
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.counts.as_ref().map_or(0, |c| c.state_count() * 96)
    }
}
