//! `revops_credits`: per-touch credits of each journey row under a rule-based model, as a
//! scalar function (one list per row, aligned with the row's touch lists).

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, Int64Builder, ListBuilder};
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::error::{DataFusionError, Result};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility};
use datafusion::scalar::ScalarValue;
use revops::Currency;
use revops::attribution::Model;

use crate::journeys::{JourneyColumns, JourneyReader, bad_row};

/// The scalar function `revops_credits(model, currency, journey_id, converted_at, value_minor,
/// lead_created_at, opportunity_created_at, closed_won_at, touch_at, channel, roles)` over
/// rows of the [`journeys`](crate::schema::journeys) shape.
///
/// `model` is a literal in the crate's model wire format (JSON), `currency` a literal ISO 4217
/// code. For each row: a list of `Int64` minor units, one per touch in the row's touch order
/// (the crate's [`Model::attribute`]: touches outside the lookback window or excluded get 0),
/// summing exactly to `value_minor`; `NULL` for a journey that did not convert. So
/// `SELECT journey_id, unnest(channel), unnest(revops_credits(...)) FROM journeys` lists every
/// touch with its credit. A bad row is an error naming the journey and the column.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Credits {
    signature: Signature,
}

impl Credits {
    /// The function.
    #[must_use]
    pub fn new() -> Credits {
        Credits { signature: Signature::any(11, Volatility::Immutable) }
    }
}

impl Default for Credits {
    fn default() -> Credits {
        Credits::new()
    }
}

fn item() -> Arc<Field> {
    Arc::new(Field::new("item", DataType::Int64, true))
}

/// The text of scalar argument `i`.
fn scalar_text(args: &ScalarFunctionArgs, i: usize, what: &str) -> Result<String> {
    match args.args.get(i) {
        Some(ColumnarValue::Scalar(
            ScalarValue::Utf8(Some(s)) | ScalarValue::LargeUtf8(Some(s)) | ScalarValue::Utf8View(Some(s)),
        )) => Ok(s.clone()),
        _ => Err(DataFusionError::Plan(format!("revops_credits: {what} must be a non-null text literal"))),
    }
}

impl ScalarUDFImpl for Credits {
    fn name(&self) -> &'static str {
        "revops_credits"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::List(item()))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let model: Model = serde_json::from_str(&scalar_text(&args, 0, "model")?)
            .map_err(|e| DataFusionError::Plan(format!("revops_credits: model: {e}")))?;
        let currency: Currency = scalar_text(&args, 1, "currency")?
            .parse()
            .map_err(|e| DataFusionError::Plan(format!("revops_credits: currency: {e}")))?;
        let arrays = ColumnarValue::values_to_arrays(args.args.get(2..).unwrap_or_default())?;
        let columns = JourneyColumns::new(&arrays, true)?;
        let mut out = ListBuilder::new(Int64Builder::new()).with_field(item());
        let mut reader = JourneyReader::new(&columns);
        for i in 0..columns.len() {
            let journey = reader.journey(i, currency)?;
            let Some(attribution) =
                model.attribute(&journey).map_err(|e| bad_row(journey.id.as_str(), "touch_at", e))?
            else {
                out.append_null();
                continue;
            };
            let mut credits = vec![0i64; journey.touches.len()];
            for credit in &attribution.credits {
                let minor = credit.amount.to_minor().map_err(|e| bad_row(journey.id.as_str(), "value_minor", e))?;
                if let Some(slot) = credits.get_mut(credit.touch) {
                    *slot = minor;
                }
            }
            out.values().append_slice(&credits);
            out.append(true);
        }
        let list: ArrayRef = Arc::new(out.finish());
        Ok(ColumnarValue::Array(list))
    }
}
