//! Journey rows (the [`journeys`](crate::schema::journeys) schema) to and from Arrow: read
//! column by column into the crate's [`ColumnarBatch`], written from [`Journey`] facts.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::DateTime;
use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, Int64Builder, ListArray, ListBuilder, PrimitiveArray, RecordBatch, StringArray,
    StringBuilder, TimestampNanosecondBuilder, UInt8Builder,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Int64Type, TimeUnit, TimestampNanosecondType, UInt8Type};
use datafusion::error::{DataFusionError, Result};
use revops::attribution::ColumnarBatch;
use revops::facts::{Conversion, Journey, Milestones, Roles, Touchpoint};
use revops::{ChannelId, Currency, ErrorKind, JourneyId, Money};

use crate::schema;

/// A bad row: names the journey and the column.
pub(crate) fn bad_row(journey: &str, column: &str, reason: impl std::fmt::Display) -> DataFusionError {
    crate::columns::bad_record(&format!("journey {journey:?}"), column, reason)
}

fn ns() -> DataType {
    DataType::Timestamp(TimeUnit::Nanosecond, None)
}

fn list_of(item: DataType) -> DataType {
    DataType::List(Arc::new(Field::new("item", item, true)))
}

fn cast_to(array: &ArrayRef, to: &DataType, column: &str) -> Result<ArrayRef> {
    cast(array, to).map_err(|e| DataFusionError::Plan(format!("revops: column {column}: {e}")))
}

/// The journey columns of one Arrow batch, cast to the types the readers use.
pub(crate) struct JourneyColumns {
    pub(crate) journey_id: StringArray,
    pub(crate) converted_at: PrimitiveArray<TimestampNanosecondType>,
    pub(crate) value_minor: PrimitiveArray<Int64Type>,
    pub(crate) milestones: [PrimitiveArray<TimestampNanosecondType>; 3],
    pub(crate) touch_at: Option<ListArray>,
    pub(crate) channel: ListArray,
    pub(crate) roles: Option<ListArray>,
}

impl JourneyColumns {
    /// From the arrays `journey_id, converted_at, value_minor, [lead_created_at,
    /// opportunity_created_at, closed_won_at, touch_at,] channel[, roles]` (the bracketed ones
    /// only when `full`).
    pub(crate) fn new(arrays: &[ArrayRef], full: bool) -> Result<JourneyColumns> {
        let get =
            |i: usize| arrays.get(i).ok_or_else(|| DataFusionError::Plan(format!("revops: argument {i} is missing")));
        let id = cast_to(get(0)?, &DataType::Utf8, "journey_id")?;
        let conv = cast_to(get(1)?, &ns(), "converted_at")?;
        let value = cast_to(get(2)?, &DataType::Int64, "value_minor")?;
        let names = ["lead_created_at", "opportunity_created_at", "closed_won_at"];
        let (milestones, touch_at, channel, roles) = if full {
            let m = |k: usize| -> Result<PrimitiveArray<TimestampNanosecondType>> {
                Ok(cast_to(get(3 + k)?, &ns(), names.get(k).copied().unwrap_or("milestone"))?
                    .as_primitive::<TimestampNanosecondType>()
                    .clone())
            };
            let touch_at = cast_to(get(6)?, &list_of(ns()), "touch_at")?.as_list::<i32>().clone();
            let channel = cast_to(get(7)?, &list_of(DataType::Utf8), "channel")?.as_list::<i32>().clone();
            let roles = cast_to(get(8)?, &list_of(DataType::UInt8), "roles")?.as_list::<i32>().clone();
            ([m(0)?, m(1)?, m(2)?], Some(touch_at), channel, Some(roles))
        } else {
            let none = PrimitiveArray::<TimestampNanosecondType>::new_null(id.len());
            let channel = cast_to(get(3)?, &list_of(DataType::Utf8), "channel")?.as_list::<i32>().clone();
            ([none.clone(), none.clone(), none], None, channel, None)
        };
        Ok(JourneyColumns {
            journey_id: id.as_string::<i32>().clone(),
            converted_at: conv.as_primitive::<TimestampNanosecondType>().clone(),
            value_minor: value.as_primitive::<Int64Type>().clone(),
            milestones,
            touch_at,
            channel,
            roles,
        })
    }

    pub(crate) fn len(&self) -> usize {
        self.journey_id.len()
    }

    /// Row `i`'s journey id (an error for a null id).
    pub(crate) fn id(&self, i: usize) -> Result<&str> {
        if self.journey_id.is_null(i) {
            return Err(bad_row(&format!("row {i}"), "journey_id", "is null"));
        }
        Ok(self.journey_id.value(i))
    }

    /// Row `i`'s conversion `(instant, value)`: both set or both null.
    pub(crate) fn conversion(&self, i: usize) -> Result<Option<(i64, i64)>> {
        match (self.converted_at.is_valid(i), self.value_minor.is_valid(i)) {
            (true, true) => Ok(Some((self.converted_at.value(i), self.value_minor.value(i)))),
            (false, false) => Ok(None),
            (true, false) => Err(bad_row(self.id(i)?, "value_minor", "is null but converted_at is set")),
            (false, true) => Err(bad_row(self.id(i)?, "converted_at", "is null but value_minor is set")),
        }
    }

    /// Row `i`'s milestones.
    pub(crate) fn milestones(&self, i: usize) -> [Option<i64>; 3] {
        self.milestones.each_ref().map(|m| m.is_valid(i).then(|| m.value(i)))
    }
}

impl JourneyColumns {
    /// Row `i`'s touches: its instants and roles as slices of the flat list values, its
    /// channel keys into `channels` through `interner` (a name met for the first time given to
    /// `intern`). The three lists must be set, of equal lengths and without nulls; errors name
    /// journey `id` and the column.
    pub(crate) fn touches<'s>(
        &'s self,
        i: usize,
        id: &str,
        interner: &mut ChannelInterner<'s>,
        channels: &mut Vec<u32>,
        intern: &mut dyn FnMut(ChannelId) -> std::result::Result<u32, revops::Error>,
    ) -> Result<(&'s [i64], &'s [u8])> {
        let (Some(touch_at), Some(roles)) = (&self.touch_at, &self.roles) else {
            return Err(DataFusionError::Internal("revops: touch columns missing".into()));
        };
        let names = interner.row(i, id, channels, intern)?;
        let (at, role) = (row_range(touch_at, i, id, "touch_at")?, row_range(roles, i, id, "roles")?);
        if at.len() != names.len() || role.len() != names.len() {
            return Err(bad_row(id, "touch_at, channel, roles", "the touch lists have different lengths"));
        }
        let (at_values, role_values) =
            (touch_at.values().as_primitive::<TimestampNanosecondType>(), roles.values().as_primitive::<UInt8Type>());
        let has_null = |values: &dyn Array, range: &std::ops::Range<usize>| {
            values.null_count() > 0 && range.clone().any(|k| values.is_null(k))
        };
        if has_null(at_values, &at) || has_null(role_values, &role) {
            return Err(bad_row(id, "touch_at, roles", "a touch's instant or roles is null"));
        }
        let missing = || DataFusionError::Internal("revops: a list offset past its values".into());
        Ok((at_values.values().get(at).ok_or_else(missing)?, role_values.values().get(role).ok_or_else(missing)?))
    }
}

/// Rows of a batch as [`Journey`] facts, the batch's channel names validated once each.
pub(crate) struct JourneyReader<'a> {
    columns: &'a JourneyColumns,
    interner: ChannelInterner<'a>,
    /// The channels met so far, by key.
    table: Vec<ChannelId>,
    keys: Vec<u32>,
}

impl<'a> JourneyReader<'a> {
    pub(crate) fn new(columns: &'a JourneyColumns) -> JourneyReader<'a> {
        JourneyReader { columns, interner: ChannelInterner::new(columns), table: Vec::new(), keys: Vec::new() }
    }

    /// Row `i` as a [`Journey`] fact in `currency`, checked ([`Journey::check`]).
    pub(crate) fn journey(&mut self, i: usize, currency: Currency) -> Result<Journey> {
        let columns = self.columns;
        let raw = columns.id(i)?;
        let mut journey = Journey::not_converted(JourneyId::new(raw).map_err(|e| bad_row(raw, "journey_id", e))?);
        if let Some((at, value)) = columns.conversion(i)? {
            let value = Money::from_minor(value, currency);
            journey.conversion = Some(Conversion { at: DateTime::from_timestamp_nanos(at), value });
        }
        let [lead, opportunity, won] = columns.milestones(i).map(|m| m.map(DateTime::from_timestamp_nanos));
        journey.milestones = Milestones { lead_created: lead, opportunity_created: opportunity, closed_won: won };
        let table = &mut self.table;
        let (ats, rs) = columns.touches(i, raw, &mut self.interner, &mut self.keys, &mut |channel| {
            table.push(channel);
            u32::try_from(table.len() - 1).map_err(|_| ErrorKind::Overflow { op: "channel table" }.into())
        })?;
        let channel = |key: &u32| usize::try_from(*key).ok().and_then(|k| self.table.get(k)).cloned();
        journey.touches = self
            .keys
            .iter()
            .zip(ats.iter().zip(rs))
            .map(|(key, (&at, &roles))| {
                let channel = channel(key).ok_or_else(|| DataFusionError::Internal("revops: channel key".into()))?;
                Ok(Touchpoint {
                    roles: Roles::from_bits(roles),
                    ..Touchpoint::new(DateTime::from_timestamp_nanos(at), channel)
                })
            })
            .collect::<Result<_>>()?;
        journey.check().map_err(|e| bad_row(raw, "touch_at", e))?;
        Ok(journey)
    }
}

/// Appends the journeys of `columns` to `batch`, interning channels in `keys` (channel id ->
/// key of `batch`'s table) as it meets them.
///
/// Reads the flat values under the touch lists once per batch (no per-row arrays): each row's
/// touches are a range of its list's offsets, and each distinct channel name of the batch is
/// validated and looked up once (a name -> key map of borrowed names; keys are assigned in
/// order of first appearance, so no hash order reaches the table).
///
/// # Errors
/// A [`DataFusionError::Execution`] naming the journey id and the column of a bad row.
pub(crate) fn push_columns(
    batch: &mut ColumnarBatch,
    keys: &mut BTreeMap<ChannelId, u32>,
    columns: &JourneyColumns,
) -> Result<()> {
    let mut interner = ChannelInterner::new(columns);
    let mut channel = Vec::new();
    for i in 0..columns.len() {
        let id = columns.id(i)?;
        let conversion = columns.conversion(i)?;
        let (ats, rs) = columns.touches(i, id, &mut interner, &mut channel, &mut |cid| match keys.get(&cid) {
            Some(&key) => Ok(key),
            None => {
                let key = batch.add_channel(cid.clone())?;
                keys.insert(cid, key);
                Ok(key)
            }
        })?;
        batch
            .push_journey(conversion, columns.milestones(i), ats, &channel, rs)
            .map_err(|e| bad_row(id, column_of(&e), e))?;
    }
    Ok(())
}

/// Row by row, the keys of a batch's channel names: each distinct name of the batch is
/// validated ([`ChannelId::new`]) and interned once; a map of borrowed names (the crate's
/// [`FastMap`](revops::fast_map::FastMap)), read only by lookup (keys come from the caller's table, in order of first appearance).
pub(crate) struct ChannelInterner<'a> {
    columns: &'a JourneyColumns,
    names: &'a StringArray,
    seen: revops::fast_map::FastMap<&'a str, u32>,
}

impl<'a> ChannelInterner<'a> {
    pub(crate) fn new(columns: &'a JourneyColumns) -> ChannelInterner<'a> {
        ChannelInterner { columns, names: columns.channel.values().as_string::<i32>(), seen: Default::default() }
    }

    /// Row `i`'s channel keys into `out` (cleared first), a name met for the first time given
    /// to `intern`; returns the row's range in the flat channel values. Errors name journey
    /// `id` and the column (a null list, a null or invalid name, or `intern`'s error).
    pub(crate) fn row(
        &mut self,
        i: usize,
        id: &str,
        out: &mut Vec<u32>,
        intern: &mut dyn FnMut(ChannelId) -> std::result::Result<u32, revops::Error>,
    ) -> Result<std::ops::Range<usize>> {
        let range = row_range(&self.columns.channel, i, id, "channel")?;
        out.clear();
        for k in range.clone() {
            if self.names.is_null(k) {
                return Err(bad_row(id, "channel", format!("touch {} is null", k - range.start)));
            }
            let name = self.names.value(k);
            let key = if let Some(&key) = self.seen.get(name) {
                key
            } else {
                let cid = ChannelId::new(name).map_err(|e| bad_row(id, "channel", e))?;
                let key = intern(cid).map_err(|e| bad_row(id, "channel", e))?;
                self.seen.insert(name, key);
                key
            };
            out.push(key);
        }
        Ok(range)
    }
}

/// The range of row `i`'s entries in `list`'s values (an error for a null list).
fn row_range(list: &ListArray, i: usize, id: &str, column: &str) -> Result<std::ops::Range<usize>> {
    if list.is_null(i) {
        return Err(bad_row(id, column, "is null"));
    }
    let offsets = list.value_offsets();
    let bound = |k: usize| offsets.get(k).and_then(|&o| usize::try_from(o).ok());
    match (bound(i), bound(i + 1)) {
        (Some(start), Some(end)) if start <= end => Ok(start..end),
        _ => Err(DataFusionError::Internal(format!("revops: bad list offsets at row {i}"))),
    }
}

/// The column a [`ColumnarBatch::push_journey`] error is about.
fn column_of(e: &revops::Error) -> &'static str {
    match e.kind() {
        ErrorKind::InvalidBatchJourney { reason, .. } if reason.contains("value") => "value_minor",
        ErrorKind::InvalidBatchJourney { reason, .. } if reason.starts_with("conversion") => "converted_at",
        ErrorKind::InvalidBatchJourney { reason, .. } if reason.starts_with("milestone") => "milestones",
        ErrorKind::InvalidBatchJourney { reason, .. } if reason.contains("different lengths") => {
            "touch_at, channel, roles"
        }
        _ => "touch_at",
    }
}

/// Reads a [`journeys`](crate::schema::journeys) batch into a [`ColumnarBatch`] of
/// `currency`, column by column (no [`Journey`] rows are built), the channel table in the
/// order the channels first appear. Rows whose `currency` differs are refused.
///
/// # Errors
/// A [`DataFusionError`] naming the journey id and the column of the first bad row.
///
/// # Example
///
/// ```
/// use revops::{Currency, testkit::Company};
/// use revops_datafusion::{batch_to_columnar, journeys_to_batch};
///
/// let journeys: Vec<_> = Company::new(7, 50)?.leads().map(|l| l.journey()).collect();
/// let arrow = journeys_to_batch(Currency::USD, &journeys)?;
/// let batch = batch_to_columnar(Currency::USD, &arrow)?;
/// assert_eq!(batch.journeys(), journeys.len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn batch_to_columnar(currency: Currency, batch: &RecordBatch) -> Result<ColumnarBatch> {
    let columns = journey_columns(batch)?;
    check_currency(batch, &columns, currency)?;
    let mut out = ColumnarBatch::new(currency, Vec::new()).map_err(|e| DataFusionError::External(Box::new(e)))?;
    push_columns(&mut out, &mut BTreeMap::new(), &columns)?;
    Ok(out)
}

/// Reads a [`journeys`](crate::schema::journeys) batch as [`Journey`] facts of `currency`, in
/// row order, each checked ([`Journey::check`]). Touches get their instants, channels and
/// roles (the table has no campaign or contact); rows whose `currency` differs are refused.
///
/// # Errors
/// As [`batch_to_columnar`].
///
/// # Example
///
/// ```
/// use revops::{Currency, testkit::Company};
/// use revops_datafusion::{batch_to_journeys, journeys_to_batch};
///
/// let journeys: Vec<_> = Company::new(7, 50)?.leads().map(|l| l.journey()).collect();
/// let read = batch_to_journeys(Currency::USD, &journeys_to_batch(Currency::USD, &journeys)?)?;
/// assert_eq!(read.len(), journeys.len());
/// assert_eq!(read.iter().map(|j| j.touches.len()).sum::<usize>(), journeys.iter().map(|j| j.touches.len()).sum::<usize>());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn batch_to_journeys(currency: Currency, batch: &RecordBatch) -> Result<Vec<Journey>> {
    let columns = journey_columns(batch)?;
    check_currency(batch, &columns, currency)?;
    let mut reader = JourneyReader::new(&columns);
    (0..columns.len()).map(|i| reader.journey(i, currency)).collect()
}

/// The journey columns of `batch`, by name.
fn journey_columns(batch: &RecordBatch) -> Result<JourneyColumns> {
    let names = [
        "journey_id",
        "converted_at",
        "value_minor",
        "lead_created_at",
        "opportunity_created_at",
        "closed_won_at",
        "touch_at",
        "channel",
        "roles",
    ];
    let arrays = names
        .iter()
        .map(|n| {
            batch.column_by_name(n).cloned().ok_or_else(|| DataFusionError::Plan(format!("revops: no column {n}")))
        })
        .collect::<Result<Vec<_>>>()?;
    JourneyColumns::new(&arrays, true)
}

/// Every row's `currency` (when the batch has the column) is `currency`.
fn check_currency(batch: &RecordBatch, columns: &JourneyColumns, currency: Currency) -> Result<()> {
    if let Some(codes) = batch.column_by_name("currency") {
        let codes = cast_to(codes, &DataType::Utf8, "currency")?;
        let codes = codes.as_string::<i32>();
        for i in 0..codes.len() {
            if codes.is_null(i) || codes.value(i) != currency.code() {
                return Err(bad_row(columns.id(i)?, "currency", format!("is not {}", currency.code())));
            }
        }
    }
    Ok(())
}

/// Writes `journeys` (all of `currency`) as a [`journeys`](crate::schema::journeys) batch.
///
/// # Errors
/// A [`DataFusionError`] naming the journey of a value in another currency or out of range.
pub fn journeys_to_batch(currency: Currency, journeys: &[Journey]) -> Result<RecordBatch> {
    let mut id = StringBuilder::new();
    let mut conv = TimestampNanosecondBuilder::new();
    let mut value = Int64Builder::new();
    let mut cur = StringBuilder::new();
    let mut milestones = [(); 3].map(|()| TimestampNanosecondBuilder::new());
    let mut touch_at = ListBuilder::new(TimestampNanosecondBuilder::new());
    let mut channel = ListBuilder::new(StringBuilder::new());
    let mut roles = ListBuilder::new(UInt8Builder::new());
    let nanos = |j: &Journey, column: &str, t: chrono::DateTime<chrono::Utc>| {
        t.timestamp_nanos_opt().ok_or_else(|| bad_row(j.id.as_str(), column, "out of the nanosecond range"))
    };
    for j in journeys {
        id.append_value(j.id.as_str());
        cur.append_value(currency.code());
        match &j.conversion {
            Some(c) => {
                if c.value.currency() != currency {
                    return Err(bad_row(j.id.as_str(), "value_minor", format!("is not in {}", currency.code())));
                }
                conv.append_value(nanos(j, "converted_at", c.at)?);
                value.append_value(c.value.to_minor().map_err(|e| bad_row(j.id.as_str(), "value_minor", e))?);
            }
            None => {
                conv.append_null();
                value.append_null();
            }
        }
        let m = [j.milestones.lead_created, j.milestones.opportunity_created, j.milestones.closed_won];
        for (b, t) in milestones.iter_mut().zip(m) {
            b.append_option(t.map(|t| nanos(j, "milestones", t)).transpose()?);
        }
        for t in &j.touches {
            touch_at.values().append_value(nanos(j, "touch_at", t.at)?);
            channel.values().append_value(t.channel.as_str());
            roles.values().append_value(t.roles.bits());
        }
        touch_at.append(true);
        channel.append(true);
        roles.append(true);
    }
    let utc = |a: PrimitiveArray<TimestampNanosecondType>| Arc::new(a.with_timezone("UTC")) as ArrayRef;
    let [lc, oc, cw] = milestones.map(|mut b| utc(b.finish()));
    let touch_at = touch_at.finish();
    let touch_at = cast(&touch_at, &list_of(schema::instant()))?;
    let columns: Vec<ArrayRef> = vec![
        Arc::new(id.finish()),
        utc(conv.finish()),
        Arc::new(value.finish()),
        Arc::new(cur.finish()),
        lc,
        oc,
        cw,
        touch_at,
        Arc::new(channel.finish()),
        Arc::new(roles.finish()),
    ];
    let fields: Vec<Field> =
        schema::journeys().fields().iter().map(|f| f.as_ref().clone().with_nullable(true)).collect();
    let schema = datafusion::arrow::datatypes::Schema::new(fields);
    Ok(RecordBatch::try_new(Arc::new(schema), columns)?)
}
