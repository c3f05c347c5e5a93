//! `revops_business_seconds`: business time between two instants on a business calendar, as a
//! scalar function (what SLA clocks and speed to lead measure).

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, Int64Builder};
use datafusion::arrow::datatypes::DataType;
use datafusion::error::{DataFusionError, Result};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility};
use datafusion::scalar::ScalarValue;
use revops::calendar::{BusinessCalendar, BusinessClock};

use crate::columns::{Arguments, bad_record, instants, opt_instant};

/// The scalar function `revops_business_seconds(calendar, start, end)`: the business time in
/// `[start, end)` on `calendar`, in whole seconds (`Int64`, rounded down), as the crate's
/// [`BusinessClock::between`] computes it.
///
/// `calendar` is a literal [`BusinessCalendar`] in its wire format (JSON: `zone`, `week`,
/// `holidays`, `exceptions`); `start` and `end` are timestamps. `NULL` when either is null
/// (a lead never answered); an `end` before its `start` is an error naming the row.
///
/// Speed to lead in SQL: `revops_speed_to_lead('{"metric":"speed_to_lead","target":"1h"}',
/// lead, revops_business_seconds('<calendar>', mql_at, first_response_at))`.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct BusinessSeconds {
    signature: Signature,
}

impl BusinessSeconds {
    /// The function.
    #[must_use]
    pub fn new() -> BusinessSeconds {
        BusinessSeconds { signature: Signature::any(3, Volatility::Immutable) }
    }
}

impl Default for BusinessSeconds {
    fn default() -> BusinessSeconds {
        BusinessSeconds::new()
    }
}

impl ScalarUDFImpl for BusinessSeconds {
    fn name(&self) -> &'static str {
        "revops_business_seconds"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int64)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let text = match args.args.first() {
            Some(ColumnarValue::Scalar(
                ScalarValue::Utf8(Some(s)) | ScalarValue::LargeUtf8(Some(s)) | ScalarValue::Utf8View(Some(s)),
            )) => s.clone(),
            _ => return Err(DataFusionError::Plan("revops_business_seconds: calendar must be a text literal".into())),
        };
        let calendar: BusinessCalendar = serde_json::from_str(&text)
            .map_err(|e| DataFusionError::Plan(format!("revops_business_seconds: calendar: {e}")))?;
        let arrays = ColumnarValue::values_to_arrays(args.args.get(1..).unwrap_or_default())?;
        let source = Arguments { names: &["start", "end"], arrays: &arrays };
        let (start, end) = (instants(&source, "start")?, instants(&source, "end")?);
        let mut out = Int64Builder::with_capacity(start.len());
        for i in 0..start.len() {
            match (opt_instant(&start, i), opt_instant(&end, i)) {
                (Some(a), Some(b)) => {
                    let record = format!("row {i}");
                    let elapsed = calendar.between(a, b).map_err(|e| bad_record(&record, "start, end", e))?;
                    out.append_value(elapsed.num_seconds());
                }
                _ => out.append_null(),
            }
        }
        let array: ArrayRef = Arc::new(out.finish());
        Ok(ColumnarValue::Array(array))
    }
}
