//! Reading Arrow columns as the crate's values: each column cast once to the type its reader
//! uses (so `LargeUtf8`, `Utf8View`, dictionary strings, other timestamp units and zones all
//! read), an absent nullable column read as all null, and every bad value an error naming the
//! record and the column.

use std::sync::Arc;

use chrono::{DateTime, Datelike as _, NaiveDate, Utc};
use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Date32Array, ListArray, PrimitiveArray, StringArray, new_null_array,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Int64Type, TimeUnit, TimestampNanosecondType};
use datafusion::error::{DataFusionError, Result};

/// A bad record: names the record (`deal "o1"`, `spend row 3`) and the column.
pub(crate) fn bad_record(record: &str, column: &str, reason: impl std::fmt::Display) -> DataFusionError {
    DataFusionError::Execution(format!("revops: {record}, column {column}: {reason}"))
}

/// How a table's columns are found: by name in a record batch, or by position among a
/// function's arguments.
pub(crate) trait ColumnSource {
    /// The column `name`, if the source has it.
    fn column(&self, name: &str) -> Option<ArrayRef>;
    /// The number of rows.
    fn rows(&self) -> usize;
}

impl ColumnSource for datafusion::arrow::array::RecordBatch {
    fn column(&self, name: &str) -> Option<ArrayRef> {
        self.column_by_name(name).cloned()
    }

    fn rows(&self) -> usize {
        self.num_rows()
    }
}

/// A function's argument arrays, named by the table's column order.
pub(crate) struct Arguments<'a> {
    pub(crate) names: &'a [&'a str],
    pub(crate) arrays: &'a [ArrayRef],
}

impl ColumnSource for Arguments<'_> {
    fn column(&self, name: &str) -> Option<ArrayRef> {
        let i = self.names.iter().position(|n| *n == name)?;
        self.arrays.get(i).cloned()
    }

    fn rows(&self) -> usize {
        self.arrays.first().map_or(0, |a| a.len())
    }
}

/// The column `name` of `source` cast to `to`; an absent column reads as all null.
fn get(source: &dyn ColumnSource, name: &str, to: &DataType) -> Result<ArrayRef> {
    let array = source.column(name).unwrap_or_else(|| new_null_array(to, source.rows()));
    cast(&array, to).map_err(|e| DataFusionError::Plan(format!("revops: column {name}: {e}")))
}

/// A text column.
pub(crate) fn text(source: &dyn ColumnSource, name: &str) -> Result<StringArray> {
    Ok(get(source, name, &DataType::Utf8)?.as_string::<i32>().clone())
}

/// An instant column (nanoseconds since the epoch, UTC).
pub(crate) fn instants(source: &dyn ColumnSource, name: &str) -> Result<PrimitiveArray<TimestampNanosecondType>> {
    let to = DataType::Timestamp(TimeUnit::Nanosecond, None);
    Ok(get(source, name, &to)?.as_primitive::<TimestampNanosecondType>().clone())
}

/// An `Int64` column.
pub(crate) fn int64(source: &dyn ColumnSource, name: &str) -> Result<PrimitiveArray<Int64Type>> {
    Ok(get(source, name, &DataType::Int64)?.as_primitive::<Int64Type>().clone())
}

/// A boolean column.
pub(crate) fn boolean(source: &dyn ColumnSource, name: &str) -> Result<BooleanArray> {
    Ok(get(source, name, &DataType::Boolean)?.as_boolean().clone())
}

/// A date column (`Date32`).
pub(crate) fn dates(source: &dyn ColumnSource, name: &str) -> Result<Date32Array> {
    Ok(get(source, name, &DataType::Date32)?.as_primitive().clone())
}

/// A list-of-text column.
pub(crate) fn text_lists(source: &dyn ColumnSource, name: &str) -> Result<ListArray> {
    let to = DataType::List(Arc::new(Field::new("item", DataType::Utf8, true)));
    Ok(get(source, name, &to)?.as_list::<i32>().clone())
}

/// Row `i` of a text column, `None` when null.
pub(crate) fn opt_text(column: &StringArray, i: usize) -> Option<&str> {
    column.is_valid(i).then(|| column.value(i))
}

/// Row `i` of a text column, an error naming `record` when null.
pub(crate) fn req_text<'a>(column: &'a StringArray, i: usize, record: &str, name: &str) -> Result<&'a str> {
    opt_text(column, i).ok_or_else(|| bad_record(record, name, "is null"))
}

/// Row `i` of an instant column, `None` when null.
pub(crate) fn opt_instant(column: &PrimitiveArray<TimestampNanosecondType>, i: usize) -> Option<DateTime<Utc>> {
    column.is_valid(i).then(|| DateTime::from_timestamp_nanos(column.value(i)))
}

/// Row `i` of an instant column, an error naming `record` when null.
pub(crate) fn req_instant(
    column: &PrimitiveArray<TimestampNanosecondType>,
    i: usize,
    record: &str,
    name: &str,
) -> Result<DateTime<Utc>> {
    opt_instant(column, i).ok_or_else(|| bad_record(record, name, "is null"))
}

/// Row `i` of an `Int64` column, an error naming `record` when null.
pub(crate) fn req_int64(column: &PrimitiveArray<Int64Type>, i: usize, record: &str, name: &str) -> Result<i64> {
    if column.is_valid(i) { Ok(column.value(i)) } else { Err(bad_record(record, name, "is null")) }
}

/// Row `i` of a date column, `None` when null; an error for a day outside chrono's range.
pub(crate) fn opt_date(column: &Date32Array, i: usize, record: &str, name: &str) -> Result<Option<NaiveDate>> {
    if column.is_null(i) {
        return Ok(None);
    }
    let days = column.value(i);
    NaiveDate::from_num_days_from_ce_opt(days.saturating_add(EPOCH_DAYS_FROM_CE))
        .map(Some)
        .ok_or_else(|| bad_record(record, name, format!("day {days} is out of range")))
}

/// Days from 0001-01-01 (CE day 1) to 1970-01-01.
const EPOCH_DAYS_FROM_CE: i32 = 719_163;

/// A date as `Date32` days since the epoch.
pub(crate) fn date_days(date: NaiveDate) -> i32 {
    date.num_days_from_ce() - EPOCH_DAYS_FROM_CE
}

/// An instant as nanoseconds since the epoch, an error naming `record` outside Arrow's range
/// (1677-09-21 to 2262-04-11).
pub(crate) fn nanos(at: DateTime<Utc>, record: &str, name: &str) -> Result<i64> {
    at.timestamp_nanos_opt().ok_or_else(|| bad_record(record, name, format!("{at} is outside 1677-2262")))
}

/// Row `i` of a list-of-text column, each item non-null; an empty list when the row is null.
pub(crate) fn text_list(column: &ListArray, i: usize, record: &str, name: &str) -> Result<Vec<String>> {
    if column.is_null(i) {
        return Ok(Vec::new());
    }
    let values = column.value(i);
    let values = values.as_string::<i32>();
    (0..values.len())
        .map(|k| {
            opt_text(values, k).map(str::to_owned).ok_or_else(|| bad_record(record, name, format!("item {k} is null")))
        })
        .collect()
}

/// A snake-case enum of the crate read from its wire name (`"marketing"`, `"best_case"`).
pub(crate) fn enum_value<T: serde::de::DeserializeOwned>(text: &str, record: &str, name: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|_| bad_record(record, name, format!("unknown value {text:?}")))
}
