//! What the aggregate functions share: literal arguments, the state column, errors.

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::error::{DataFusionError, Result};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::format_state_name;
use datafusion::physical_expr::expressions::Literal;
use datafusion::scalar::ScalarValue;
use revops::Currency;

/// A crate error as a DataFusion error.
pub(crate) fn external(e: revops::Error) -> DataFusionError {
    DataFusionError::External(Box::new(e))
}

/// The literal argument `i` of a call, as text.
pub(crate) fn literal_text(args: &AccumulatorArgs<'_>, i: usize, what: &str) -> Result<String> {
    let expr = args.exprs.get(i).ok_or_else(|| DataFusionError::Plan(format!("{}: {what} is missing", args.name)))?;
    let literal = expr
        .as_ref()
        .downcast_ref::<Literal>()
        .ok_or_else(|| DataFusionError::Plan(format!("{}: {what} must be a literal", args.name)))?;
    match literal.value() {
        ScalarValue::Utf8(Some(s)) | ScalarValue::LargeUtf8(Some(s)) | ScalarValue::Utf8View(Some(s)) => Ok(s.clone()),
        v => v
            .cast_to(&DataType::Utf8)
            .ok()
            .and_then(|v| if let ScalarValue::Utf8(Some(s)) = v { Some(s) } else { None })
            .ok_or_else(|| DataFusionError::Plan(format!("{}: {what} must be a non-null literal", args.name))),
    }
}

/// The `as_of` literal argument (`NULL`: none).
pub(crate) fn literal_as_of(args: &AccumulatorArgs<'_>) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
    let is_null =
        args.exprs.get(1).and_then(|e| e.as_ref().downcast_ref::<Literal>()).is_some_and(|l| l.value().is_null());
    if is_null {
        return Ok(None);
    }
    let text = literal_text(args, 1, "as_of")?;
    let text = text.replacen(' ', "T", 1);
    let at = chrono::DateTime::parse_from_rfc3339(&text)
        .or_else(|_| chrono::DateTime::parse_from_rfc3339(&format!("{text}Z")))
        .map_err(|e| DataFusionError::Plan(format!("{}: as_of {text:?}: {e}", args.name)))?;
    Ok(Some(at.to_utc()))
}

/// The currency literal argument `i`.
pub(crate) fn literal_currency(args: &AccumulatorArgs<'_>, i: usize) -> Result<Currency> {
    let code = literal_text(args, i, "currency")?;
    code.parse::<Currency>().map_err(external)
}

/// The one state column: the crate's serialized tally (JSON bytes).
pub(crate) fn state_fields(args: &StateFieldsArgs<'_>) -> Vec<FieldRef> {
    vec![Field::new(format_state_name(args.name, "tally"), DataType::Binary, true).into()]
}

/// The non-null states of a state column, deserialized.
pub(crate) fn read_states<T: serde::de::DeserializeOwned>(states: &[ArrayRef]) -> Result<Vec<T>> {
    let column = states.first().ok_or_else(|| DataFusionError::Internal("revops: no state column".into()))?;
    let column = column.as_binary::<i32>();
    (0..column.len())
        .filter(|&i| column.is_valid(i))
        .map(|i| {
            serde_json::from_slice(column.value(i))
                .map_err(|e| DataFusionError::Execution(format!("revops: bad partial state: {e}")))
        })
        .collect()
}

/// A tally as the state scalar.
pub(crate) fn write_state<T: serde::Serialize>(tally: &T) -> Result<ScalarValue> {
    let bytes = serde_json::to_vec(tally).map_err(|e| DataFusionError::Execution(format!("revops: state: {e}")))?;
    Ok(ScalarValue::Binary(Some(bytes)))
}

/// A result as a JSON text scalar.
pub(crate) fn json<T: serde::Serialize>(value: &T) -> Result<ScalarValue> {
    let text = serde_json::to_string(value).map_err(|e| DataFusionError::Execution(format!("revops: result: {e}")))?;
    Ok(ScalarValue::Utf8(Some(text)))
}
