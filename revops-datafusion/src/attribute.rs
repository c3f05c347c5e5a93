//! `revops_attribute`: revenue by channel under a rule-based model, as an aggregate function
//! whose partial state is the crate's serialized [`ChannelTotals`].

use std::collections::{BTreeMap, BTreeSet};

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::error::Result;
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDFImpl, Signature, Volatility};
use datafusion::scalar::ScalarValue;
use revops::attribution::{ChannelTotals, ColumnarBatch, Model};
use revops::{ChannelId, Currency};

use crate::journeys::{JourneyColumns, push_columns};
use crate::udaf::{external, json, literal_currency, literal_text, read_states, state_fields, write_state};

/// The aggregate function `revops_attribute(model, currency, journey_id, converted_at,
/// value_minor, lead_created_at, opportunity_created_at, closed_won_at, touch_at, channel,
/// roles)` over rows of the [`journeys`](crate::schema::journeys) shape.
///
/// `model` is a literal in the crate's model wire format (JSON, see
/// [`Model`]), `currency` a literal ISO 4217 code; the result is the crate's
/// [`AttributionReport`](revops::attribution::AttributionReport) as JSON (revenue and credit
/// by channel, exact to the cent). Its partial state is a [`ChannelTotals`] serialized by the
/// crate, so partitioned plans credit each partition's journeys where they are and merge.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Attribute {
    signature: Signature,
}

impl Attribute {
    /// The function.
    #[must_use]
    pub fn new() -> Attribute {
        Attribute { signature: Signature::any(11, Volatility::Immutable) }
    }
}

impl Default for Attribute {
    fn default() -> Attribute {
        Attribute::new()
    }
}

impl AggregateUDFImpl for Attribute {
    fn name(&self) -> &'static str {
        "revops_attribute"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn accumulator(&self, args: AccumulatorArgs<'_>) -> Result<Box<dyn Accumulator>> {
        let model: Model = serde_json::from_str(&literal_text(&args, 0, "model")?)
            .map_err(|e| datafusion::error::DataFusionError::Plan(format!("revops_attribute: model: {e}")))?;
        let currency = literal_currency(&args, 1)?;
        Ok(Box::new(AttributeAccumulator {
            totals: ChannelTotals::new(model.clone(), currency, Vec::new()),
            model,
            currency,
        }))
    }

    fn state_fields(&self, args: StateFieldsArgs<'_>) -> Result<Vec<FieldRef>> {
        Ok(state_fields(&args))
    }
}

#[derive(Debug)]
struct AttributeAccumulator {
    model: Model,
    currency: Currency,
    totals: ChannelTotals,
}

/// `a + b` over the sorted union of their channel tables.
fn merge(a: ChannelTotals, b: ChannelTotals) -> Result<ChannelTotals> {
    let table: BTreeSet<ChannelId> =
        a.by_channel().map_err(external)?.into_keys().chain(b.by_channel().map_err(external)?.into_keys()).collect();
    let table: Vec<ChannelId> = table.into_iter().collect();
    let mut a = a.with_channels(table.clone()).map_err(external)?;
    a.merge(b.with_channels(table).map_err(external)?).map_err(external)?;
    Ok(a)
}

impl AttributeAccumulator {
    fn add(&mut self, other: ChannelTotals) -> Result<()> {
        let empty = ChannelTotals::new(self.model.clone(), self.currency, Vec::new());
        let mine = std::mem::replace(&mut self.totals, empty);
        self.totals = merge(mine, other)?;
        Ok(())
    }
}

impl Accumulator for AttributeAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let columns = JourneyColumns::new(values.get(2..).unwrap_or_default(), true)?;
        let mut batch = ColumnarBatch::new(self.currency, Vec::new()).map_err(external)?;
        push_columns(&mut batch, &mut BTreeMap::new(), &columns)?;
        let totals = batch.channel_totals(&self.model).map_err(external)?;
        self.add(totals)
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        for other in read_states::<ChannelTotals>(states)? {
            self.add(other)?;
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![write_state(&self.totals)?])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        json(&self.totals.report().map_err(external)?)
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.totals.minor_units().len() * 64
    }
}
