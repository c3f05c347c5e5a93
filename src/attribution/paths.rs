//! The input layer of the data-driven models: channel paths and their outcomes.
//!
//! - [`ChannelInterner`] maps [`ChannelId`]s to small integers (`u32`, in first-seen order),
//!   the form the hot loops of [`markov`](super::markov) and [`shapley`](super::shapley) count in.
//! - [`AggregatedPath`] is one distinct path with its conversions, conversion value and
//!   non-conversions (nulls): the table `ChannelAttribution` and DP6 take as input.
//! - [`parse_aggregated_paths`] reads that table from CSV text (no I/O: the caller reads the
//!   file), with typed errors naming the line.
//! - [`PathTable`] is an accumulator that turns row-level journeys (converting and
//!   non-converting) into aggregated paths; its merge is associative and commutative.
//! - [`PathColumns`] is the columnar batch (channels interned, touches flattened with per-path
//!   offsets, values in minor units) that the models count fastest; [`parse_path_columns`]
//!   reads the table straight into it.
//!
//! # Outcomes
//!
//! Every path or journey carries `conversions`, `value` and `nulls`. Our rules: the value is the
//! total value of the conversions (never negative, and zero when there are no conversions), in
//! the one currency of the accumulator; its decimals must fit the currency's minor unit.
//! A path with neither conversions nor nulls carries no weight and is ignored by the models.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

mod table;

pub use self::table::PathTable;

use rust_decimal::Decimal;

use crate::money::Currency;
use crate::{ChannelId, Error, Money};

/// A fast, deterministic hasher for small integer keys (the multiply-rotate of `FxHash`).
/// Only used for lookups: no output is ever produced in hash-map iteration order.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct FastHasher(u64);

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
        let mut tail = [0u8; 8];
        let rest = chunks.remainder();
        if let Some(dst) = tail.get_mut(..rest.len()) {
            dst.copy_from_slice(rest);
        }
        self.write_u64(u64::from_le_bytes(tail) ^ ((rest.len() as u64) << 59));
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_u128(&mut self, n: u128) {
        #[allow(clippy::cast_possible_truncation)] // the two halves, on purpose
        {
            self.write_u64(n as u64);
            self.write_u64((n >> 64) as u64);
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

/// A hash map keyed by small integers, for lookups in the hot loops.
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// Interns channel ids as small integers in first-seen order.
///
/// Accumulators count in these integers; results are always reported by [`ChannelId`] in id
/// order, so the interning order never shows in an answer.
///
/// # Example
///
/// ```
/// use revops::ChannelId;
/// use revops::attribution::ChannelInterner;
///
/// let mut channels = ChannelInterner::new();
/// let email = channels.intern(&ChannelId::new("email")?)?;
/// let search = channels.intern(&ChannelId::new("paid_search")?)?;
/// assert_eq!((email, search), (0, 1));
/// assert_eq!(channels.intern(&ChannelId::new("email")?)?, 0);
/// assert_eq!(channels.channel(1).map(ChannelId::as_str), Some("paid_search"));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct ChannelInterner {
    ids: Vec<ChannelId>,
    index: HashMap<ChannelId, u32>,
}

impl ChannelInterner {
    /// The most channels one interner holds (indices fit in 16 bits, which the Markov state
    /// keys rely on).
    pub const MAX_CHANNELS: usize = 65_535;

    /// An empty interner.
    #[must_use]
    pub fn new() -> ChannelInterner {
        ChannelInterner::default()
    }

    /// The index of `channel`, adding it if it is new.
    ///
    /// # Errors
    /// [`Error::TooManyChannels`] if it would be channel number 65,536.
    pub fn intern(&mut self, channel: &ChannelId) -> Result<u32, Error> {
        if let Some(&i) = self.index.get(channel) {
            return Ok(i);
        }
        let too_many = || Error::TooManyChannels {
            model: "channel interner",
            channels: self.ids.len() + 1,
            max: Self::MAX_CHANNELS,
        };
        if self.ids.len() >= Self::MAX_CHANNELS {
            return Err(too_many());
        }
        let i = u32::try_from(self.ids.len()).map_err(|_| too_many())?;
        self.ids.push(channel.clone());
        self.index.insert(channel.clone(), i);
        Ok(i)
    }

    /// The index of `channel`, if interned.
    #[must_use]
    pub fn get(&self, channel: &ChannelId) -> Option<u32> {
        self.index.get(channel).copied()
    }

    /// The channel at `index`, if any.
    #[must_use]
    pub fn channel(&self, index: u32) -> Option<&ChannelId> {
        self.ids.get(usize::try_from(index).ok()?)
    }

    /// The interned channels, in index order.
    #[must_use]
    pub fn channels(&self) -> &[ChannelId] {
        &self.ids
    }

    /// How many channels are interned.
    #[must_use]
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether no channel is interned.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// For each channel, its rank in id order (`rank[index]`), and the channels sorted by id.
    pub(crate) fn ranks(&self) -> (Vec<u32>, Vec<ChannelId>) {
        let mut order: Vec<usize> = (0..self.ids.len()).collect();
        order.sort_by(|&a, &b| self.ids.get(a).cmp(&self.ids.get(b)));
        let mut rank = vec![0u32; self.ids.len()];
        for (r, &i) in order.iter().enumerate() {
            if let (Some(slot), Ok(r)) = (rank.get_mut(i), u32::try_from(r)) {
                *slot = r;
            }
        }
        let sorted = order.iter().filter_map(|&i| self.ids.get(i).cloned()).collect();
        (rank, sorted)
    }

    /// For each channel of `other`, its index in `self` (interning the new ones).
    pub(crate) fn absorb(&mut self, other: &ChannelInterner) -> Result<Vec<u32>, Error> {
        other.ids.iter().map(|c| self.intern(c)).collect()
    }
}

/// One distinct channel path with its outcomes: a row of the `ChannelAttribution` / DP6 table.
///
/// `channels` is the path in touch order, repeats kept (`email > email` differs from `email`;
/// the Markov model collapses repeats itself). See the [module docs](self) for the outcome rules.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct AggregatedPath {
    /// The channels in touch order.
    pub channels: Vec<ChannelId>,
    /// Journeys with this path that converted.
    pub conversions: u64,
    /// Total conversion value of those journeys.
    pub value: Money,
    /// Journeys with this path that did not convert.
    pub nulls: u64,
}

/// Checks an outcome against the module's rules and returns the value in minor units.
pub(crate) fn outcome_minor(conversions: u64, value: Money, currency: Currency) -> Result<i64, Error> {
    if value.currency() != currency {
        return Err(Error::CurrencyMismatch { expected: currency, found: value.currency() });
    }
    if value.is_negative() {
        return Err(Error::InvalidValue {
            field: "conversion value",
            value: value.to_string(),
            reason: "must not be negative",
        });
    }
    if conversions == 0 && !value.is_zero() {
        return Err(Error::InvalidValue {
            field: "conversion value",
            value: value.to_string(),
            reason: "must be zero when there are no conversions",
        });
    }
    value.to_minor()
}

/// Parses the aggregated path table of `ChannelAttribution` and DP6 from CSV text.
///
/// The first non-blank line is a header naming the columns, in any order: `path` and
/// `total_conversions` are required, `total_conversion_value` and `total_null` optional (a
/// missing one reads as zero). Fields are separated by commas and may be wrapped in double
/// quotes. A path is channel ids joined by `>`, each trimmed (`a > b > c`); repeats are kept.
/// Values are decimals in `currency` (`1234.50`). Blank lines are skipped; rows keep their order.
///
/// # Errors
/// [`Error::PathTableRow`] naming the 1-based line, the column and the text for a missing or
/// unknown header, a wrong field count, a bad count, value or channel id, an empty path, or a
/// value on a row without conversions.
///
/// # Example
///
/// ```
/// use revops::Currency;
/// use revops::attribution::parse_aggregated_paths;
///
/// let csv = "path,total_conversions,total_conversion_value,total_null\n\
///            search > email > email,2,1500.00,8\n\
///            social,0,0.00,5\n";
/// let paths = parse_aggregated_paths(csv, Currency::USD)?;
/// assert_eq!(paths.len(), 2);
/// assert_eq!(paths[0].channels.len(), 3);
/// assert_eq!(paths[0].value.to_string(), "1500.00 USD");
/// assert_eq!(paths[1].nulls, 5);
///
/// let err = parse_aggregated_paths("path,total_conversions\na > ,1\n", Currency::USD).unwrap_err();
/// assert_eq!(err.to_string(), "invalid aggregated path table at line 2: path \"a >\": empty channel name");
/// # Ok::<(), revops::Error>(())
/// ```
pub fn parse_aggregated_paths(text: &str, currency: Currency) -> Result<Vec<AggregatedPath>, Error> {
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)));
    let Some((header_line, header)) = lines.by_ref().find(|(_, l)| !l.trim().is_empty()) else {
        return Err(row_error(1, "header", "", "missing header line"));
    };
    let columns = Columns::parse(header_line, header)?;
    let mut out = Vec::new();
    let mut fields: Vec<&str> = Vec::with_capacity(columns.count);
    for (line, row) in lines {
        if row.trim().is_empty() {
            continue;
        }
        fields.clear();
        fields.extend(row.split(',').map(unquote));
        if fields.len() != columns.count {
            return Err(row_error(line, "row", row, "wrong number of fields"));
        }
        let field = |i: Option<usize>| i.and_then(|i| fields.get(i).copied());
        let path_text = field(Some(columns.path)).unwrap_or_default();
        let channels = parse_path(line, path_text)?;
        let conversions = parse_count(line, "total_conversions", field(Some(columns.conversions)))?;
        let nulls = parse_count(line, "total_null", field(columns.nulls))?;
        let value = row_value(line, field(columns.value), conversions, currency)?;
        out.push(AggregatedPath { channels, conversions, value, nulls });
    }
    Ok(out)
}

/// The value column of row `line` as money, checked by the module's outcome rules.
fn row_value(line: usize, text: Option<&str>, conversions: u64, currency: Currency) -> Result<Money, Error> {
    let value = match text {
        None => Money::zero(currency),
        Some(text) => {
            let amount = crate::money::exact::parse(text.trim()).map_err(|e| {
                let reason = if let Error::InvalidDecimal { reason, .. } = e { reason } else { "not a decimal number" };
                row_error(line, "total_conversion_value", text.trim(), reason)
            })?;
            Money::new(amount, currency)
        }
    };
    outcome_minor(conversions, value, currency).map_err(|e| {
        let reason = match e {
            Error::ExcessPrecision { .. } => "more decimals than the currency allows",
            Error::Overflow { .. } => "too large",
            _ if value.is_negative() => "must not be negative",
            _ => "must be zero when there are no conversions",
        };
        row_error(line, "total_conversion_value", &value.amount().to_string(), reason)
    })?;
    Ok(value)
}

/// Where each column sits in a row.
struct Columns {
    count: usize,
    path: usize,
    conversions: usize,
    value: Option<usize>,
    nulls: Option<usize>,
}

impl Columns {
    fn parse(line: usize, header: &str) -> Result<Columns, Error> {
        let (mut path, mut conversions, mut value, mut nulls) = (None, None, None, None);
        let mut count = 0;
        for (i, name) in header.split(',').map(unquote).enumerate() {
            count += 1;
            let slot = match name.trim() {
                "path" => &mut path,
                "total_conversions" => &mut conversions,
                "total_conversion_value" => &mut value,
                "total_null" => &mut nulls,
                other => return Err(row_error(line, "header", other, "unknown column")),
            };
            if slot.replace(i).is_some() {
                return Err(row_error(line, "header", name, "duplicate column"));
            }
        }
        let path = path.ok_or_else(|| row_error(line, "header", header, "missing column `path`"))?;
        let conversions =
            conversions.ok_or_else(|| row_error(line, "header", header, "missing column `total_conversions`"))?;
        Ok(Columns { count, path, conversions, value, nulls })
    }
}

fn unquote(field: &str) -> &str {
    let t = field.trim();
    t.strip_prefix('"').and_then(|s| s.strip_suffix('"')).unwrap_or(t)
}

fn row_error(line: usize, column: &'static str, value: &str, reason: &'static str) -> Error {
    Error::PathTableRow { line, column, value: value.to_owned(), reason }
}

fn parse_count(line: usize, column: &'static str, text: Option<&str>) -> Result<u64, Error> {
    match text {
        None => Ok(0),
        Some(t) => t.trim().parse().map_err(|_| row_error(line, column, t, "not a non-negative integer")),
    }
}

fn parse_path(line: usize, text: &str) -> Result<Vec<ChannelId>, Error> {
    if text.trim().is_empty() {
        return Err(row_error(line, "path", text, "empty path"));
    }
    text.split('>')
        .map(|name| {
            let name = name.trim();
            if name.is_empty() {
                return Err(row_error(line, "path", text, "empty channel name"));
            }
            ChannelId::new(name).map_err(|e| {
                let reason = match e {
                    Error::InvalidId { reason, .. } => reason,
                    _ => "invalid channel id",
                };
                row_error(line, "path", name, reason)
            })
        })
        .collect()
}

/// Paths in columnar form: channels interned to small integers, the channel indices of every
/// path flattened into one array with per-path offsets, outcomes in parallel columns and
/// values in integer minor units. The fast input of [`TransitionCounts`](super::TransitionCounts)
/// and [`CoalitionCounts`](super::CoalitionCounts) (`push_columns`), and what
/// [`parse_path_columns`] and the testkit generator produce.
///
/// # Example
///
/// ```
/// use revops::{ChannelId, Currency};
/// use revops::attribution::PathColumns;
///
/// let mut batch = PathColumns::new(Currency::USD);
/// let (a, b) = (batch.intern(&ChannelId::new("a")?)?, batch.intern(&ChannelId::new("b")?)?);
/// batch.push(&[a, b, b], 1, 25_000, 0)?; // converted, $250.00
/// batch.push(&[b], 0, 0, 4)?;            // four journeys that did not
/// assert_eq!(batch.len(), 2);
/// assert_eq!(batch.path(0), Some(&[0, 1, 1][..]));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct PathColumns {
    currency: Currency,
    channels: ChannelInterner,
    offsets: Vec<usize>,
    touches: Vec<u32>,
    conversions: Vec<u64>,
    value_minor: Vec<i64>,
    nulls: Vec<u64>,
}

impl PathColumns {
    /// An empty batch with values in `currency`.
    #[must_use]
    pub fn new(currency: Currency) -> PathColumns {
        PathColumns {
            currency,
            channels: ChannelInterner::new(),
            offsets: vec![0],
            touches: Vec::new(),
            conversions: Vec::new(),
            value_minor: Vec::new(),
            nulls: Vec::new(),
        }
    }

    /// The currency of the values.
    #[must_use]
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// The channels, by index.
    #[must_use]
    pub fn channels(&self) -> &ChannelInterner {
        &self.channels
    }

    /// The index of `channel`, adding it if new.
    ///
    /// # Errors
    /// [`Error::TooManyChannels`] past [`ChannelInterner::MAX_CHANNELS`].
    pub fn intern(&mut self, channel: &ChannelId) -> Result<u32, Error> {
        self.channels.intern(channel)
    }

    /// Appends a path of interned channel indices with its outcome (`value_minor` in minor
    /// units of the batch's currency).
    ///
    /// # Errors
    /// [`Error::EmptyChannelPath`]; [`Error::InvalidValue`] for an index never interned, or a
    /// negative value, or a value without conversions.
    pub fn push(&mut self, path: &[u32], conversions: u64, value_minor: i64, nulls: u64) -> Result<(), Error> {
        if path.is_empty() {
            return Err(Error::EmptyChannelPath);
        }
        check_minor_outcome(conversions, value_minor)?;
        if let Some(&bad) = path.iter().find(|&&c| c as usize >= self.channels.len()) {
            return Err(unknown_index(bad));
        }
        self.touches.extend_from_slice(path);
        self.offsets.push(self.touches.len());
        self.conversions.push(conversions);
        self.value_minor.push(value_minor);
        self.nulls.push(nulls);
        Ok(())
    }

    /// How many paths.
    #[must_use]
    pub fn len(&self) -> usize {
        self.conversions.len()
    }

    /// Whether the batch holds no path.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.conversions.is_empty()
    }

    /// How many touches over all paths.
    #[must_use]
    pub fn touch_count(&self) -> usize {
        self.touches.len()
    }

    /// The channel indices of path `i`.
    #[must_use]
    pub fn path(&self, i: usize) -> Option<&[u32]> {
        let lo = *self.offsets.get(i)?;
        let hi = *self.offsets.get(i + 1)?;
        self.touches.get(lo..hi)
    }

    /// Every path as `(channel indices, conversions, value in minor units, nulls)`, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&[u32], u64, i64, u64)> + '_ {
        self.offsets.windows(2).zip(self.conversions.iter().zip(self.value_minor.iter().zip(&self.nulls))).map(
            |(w, (&c, (&v, &n)))| {
                let (lo, hi) = (w.first().copied().unwrap_or(0), w.get(1).copied().unwrap_or(0));
                (self.touches.get(lo..hi).unwrap_or_default(), c, v, n)
            },
        )
    }

    /// Row form: every path as an [`AggregatedPath`].
    #[must_use]
    pub fn to_paths(&self) -> Vec<AggregatedPath> {
        self.iter()
            .map(|(p, c, v, n)| AggregatedPath {
                channels: p.iter().filter_map(|&i| self.channels.channel(i).cloned()).collect(),
                conversions: c,
                value: Money::from_minor(v, self.currency),
                nulls: n,
            })
            .collect()
    }
}

pub(crate) fn check_minor_outcome(conversions: u64, value_minor: i64) -> Result<(), Error> {
    if value_minor < 0 || (conversions == 0 && value_minor != 0) {
        return Err(Error::InvalidValue {
            field: "conversion value",
            value: value_minor.to_string(),
            reason: "must not be negative, and zero without conversions",
        });
    }
    Ok(())
}

/// What the data-driven accumulators share: interning channels and counting index paths. The
/// `push_channels`, `push_path` and `push_columns` methods of each accumulator are the generic
/// functions below, written once.
pub(crate) trait PathSink {
    /// The accumulator's currency.
    fn sink_currency(&self) -> Currency;
    /// The index of `channel`, interning it if new.
    fn sink_intern(&mut self, channel: &ChannelId) -> Result<u32, Error>;
    /// Adds a path of interned indices, validating it.
    fn sink_push(&mut self, path: &[u32], conversions: u64, value_minor: i64, nulls: u64) -> Result<(), Error>;
    /// Adds a path already validated by a [`PathColumns`] whose indices are the sink's own.
    fn sink_count_valid(&mut self, path: &[u32], conversions: u64, value_minor: i64, nulls: u64) -> Result<(), Error>;
}

/// One journey: channels in touch order, `Some(value)` if it converted.
pub(crate) fn push_channels_into<S: PathSink>(
    sink: &mut S,
    channels: &[ChannelId],
    converted_value: Option<Money>,
) -> Result<(), Error> {
    let currency = sink.sink_currency();
    let (conversions, nulls, value) = match converted_value {
        Some(v) => (1, 0, v),
        None => (0, 1, Money::zero(currency)),
    };
    let minor = outcome_minor(conversions, value, currency)?;
    let path = channels.iter().map(|c| sink.sink_intern(c)).collect::<Result<Vec<u32>, Error>>()?;
    sink.sink_push(&path, conversions, minor, nulls)
}

/// One aggregated path.
pub(crate) fn push_path_into<S: PathSink>(sink: &mut S, path: &AggregatedPath) -> Result<(), Error> {
    let minor = outcome_minor(path.conversions, path.value, sink.sink_currency())?;
    let indices = path.channels.iter().map(|c| sink.sink_intern(c)).collect::<Result<Vec<u32>, Error>>()?;
    sink.sink_push(&indices, path.conversions, minor, path.nulls)
}

/// Every path of a columnar batch; paths whose indices are the sink's own skip re-validation.
pub(crate) fn push_columns_into<S: PathSink>(sink: &mut S, batch: &PathColumns) -> Result<(), Error> {
    let currency = sink.sink_currency();
    if batch.currency() != currency {
        return Err(Error::CurrencyMismatch { expected: currency, found: batch.currency() });
    }
    let map = batch.channels().channels().iter().map(|c| sink.sink_intern(c)).collect::<Result<Vec<u32>, Error>>()?;
    let identity = map.iter().enumerate().all(|(i, &m)| i == m as usize);
    let mut scratch = Vec::new();
    for (path, conversions, value, nulls) in batch.iter() {
        if identity {
            // The batch checked its paths and outcomes, and its indices are ours.
            sink.sink_count_valid(path, conversions, value, nulls)?;
        } else {
            scratch.clear();
            scratch.extend(path.iter().map(|&c| map.get(c as usize).copied().unwrap_or(u32::MAX)));
            sink.sink_push(&scratch, conversions, value, nulls)?;
        }
    }
    Ok(())
}

pub(crate) fn unknown_index(index: u32) -> Error {
    Error::InvalidValue { field: "channel index", value: index.to_string(), reason: "was not interned" }
}

/// [`parse_aggregated_paths`] straight into the columnar form: the same rules and errors, but
/// each distinct channel name is validated and allocated once, and values land in minor units.
///
/// # Errors
/// As [`parse_aggregated_paths`].
///
/// # Example
///
/// ```
/// use revops::Currency;
/// use revops::attribution::parse_path_columns;
///
/// let batch = parse_path_columns("path,total_conversions,total_null\na > b,1,3\nb,0,2\n", Currency::USD)?;
/// assert_eq!((batch.len(), batch.touch_count(), batch.channels().len()), (2, 3, 2));
/// # Ok::<(), revops::Error>(())
/// ```
pub fn parse_path_columns(text: &str, currency: Currency) -> Result<PathColumns, Error> {
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)));
    let Some((header_line, header)) = lines.by_ref().find(|(_, l)| !l.trim().is_empty()) else {
        return Err(row_error(1, "header", "", "missing header line"));
    };
    let columns = Columns::parse(header_line, header)?;
    let mut out = PathColumns::new(currency);
    let mut names: FastMap<&str, u32> = FastMap::default();
    let mut fields: Vec<&str> = Vec::with_capacity(columns.count);
    let exponent = u32::from(currency.exponent());
    for (line, row) in lines {
        if row.trim().is_empty() {
            continue;
        }
        fields.clear();
        fields.extend(row.split(',').map(unquote));
        if fields.len() != columns.count {
            return Err(row_error(line, "row", row, "wrong number of fields"));
        }
        let field = |i: Option<usize>| i.and_then(|i| fields.get(i).copied());
        let path_text = field(Some(columns.path)).unwrap_or_default();
        if path_text.trim().is_empty() {
            return Err(row_error(line, "path", path_text, "empty path"));
        }
        for name in path_text.split('>') {
            let name = name.trim();
            let index = if let Some(&i) = names.get(name) {
                i
            } else {
                if name.is_empty() {
                    return Err(row_error(line, "path", path_text, "empty channel name"));
                }
                let id = ChannelId::new(name).map_err(|e| {
                    let reason = if let Error::InvalidId { reason, .. } = e { reason } else { "invalid channel id" };
                    row_error(line, "path", name, reason)
                })?;
                let i = out.channels.intern(&id)?;
                names.insert(name, i);
                i
            };
            out.touches.push(index);
        }
        let conversions = parse_count(line, "total_conversions", field(Some(columns.conversions)))?;
        let nulls = parse_count(line, "total_null", field(columns.nulls))?;
        let text = field(columns.value);
        // Fast path for plain `digits[.digits]`; anything else (and every error) takes the row
        // parser's path, so both parsers accept, reject and word errors alike.
        let value_minor = match text.and_then(|t| parse_minor(t.trim(), exponent)) {
            Some(v) if conversions > 0 || v == 0 => v,
            _ if text.is_none() => 0,
            _ => row_value(line, text, conversions, currency)?.to_minor()?,
        };
        out.offsets.push(out.touches.len());
        out.conversions.push(conversions);
        out.value_minor.push(value_minor);
        out.nulls.push(nulls);
    }
    Ok(out)
}

/// A plain non-negative decimal (`digits` or `digits.digits`) with at most `exponent`
/// significant decimals, in minor units; `None` for anything else.
fn parse_minor(text: &str, exponent: u32) -> Option<i64> {
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) if !f.is_empty() => (w, f),
        Some(_) => return None,
        None => (text, ""),
    };
    if whole.is_empty() || !whole.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac = frac.trim_end_matches('0');
    if frac.len() > exponent as usize {
        return None;
    }
    let mut minor: i64 = 0;
    for b in whole.bytes().chain(frac.bytes()) {
        minor = minor.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
    }
    minor.checked_mul(10i64.checked_pow(exponent - u32::try_from(frac.len()).ok()?)?)
}

/// `i128` sums of partial states as decimal strings on the wire (every format carries a
/// string; not every one carries a 128-bit integer).
#[cfg(feature = "serde")]
pub(crate) mod wide {
    use serde::{Deserialize, Deserializer, Serializer};

    #[allow(clippy::trivially_copy_pass_by_ref)] // serde's `with` signature
    pub(crate) fn serialize<S: Serializer>(v: &i128, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i128, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(|_| serde::de::Error::custom(format!("invalid 128-bit integer {text:?}")))
    }
}

/// The error of a partial state that fails validation on deserialize.
#[cfg(feature = "serde")]
#[allow(clippy::needless_pass_by_value)] // numbers and strings alike, rendered once
pub(crate) fn bad_state(field: &'static str, value: impl ToString, reason: &'static str) -> Error {
    Error::InvalidValue { field, value: value.to_string(), reason }
}

/// A channel-set mask with every bit `i` moved to bit `map[i]`.
pub(crate) fn remap_mask(mask: u64, map: &[u32]) -> u64 {
    let mut out = 0u64;
    let mut m = mask;
    while m != 0 {
        let i = m.trailing_zeros() as usize;
        m &= m - 1;
        out |= 1u64 << map.get(i).copied().unwrap_or(0);
    }
    out
}

/// Splits `total` exactly by non-negative `shares` (one per channel, any scale): each share is
/// turned into an integer weight at 2^53 resolution of the largest share, then
/// [`Money::allocate`] hands out the minor units (largest remainder, ties to the earlier
/// channel), so the parts sum to `total` to the cent.
pub(crate) fn allocate_shares(total: Money, channels: &[ChannelId], shares: &[f64]) -> Result<Vec<Money>, Error> {
    let max = shares.iter().copied().fold(0.0_f64, f64::max);
    let mut weights = Vec::with_capacity(shares.len());
    for (channel, &s) in channels.iter().zip(shares) {
        if !s.is_finite() || s < 0.0 {
            return Err(Error::InvalidModelShare { channel: channel.clone(), share: s.to_string() });
        }
        #[allow(clippy::float_arithmetic)] // statistical shares scaled to integer weights
        let scaled = if max > 0.0 { (s / max * 9_007_199_254_740_992.0).round() } else { 0.0 };
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // 0 <= scaled <= 2^53
        weights.push(Decimal::from(scaled as u64));
    }
    if total.is_zero() && weights.iter().all(Decimal::is_zero) {
        return Ok(vec![Money::zero(total.currency()); weights.len()]);
    }
    total.allocate(&weights)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(s: &str) -> ChannelId {
        ChannelId::new(s).unwrap()
    }

    #[test]
    fn parses_the_peers_table() {
        let csv = "path,total_conversions,total_conversion_value,total_null\r\n\
                   content > content,11,58733.34,374\r\n\
                   \r\n\
                   \"a > b\",0,0.00,2\n";
        let p = parse_aggregated_paths(csv, Currency::USD).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].channels, vec![ch("content"), ch("content")]);
        assert_eq!(p[0].value.to_minor().unwrap(), 5_873_334);
        assert_eq!(p[1].channels, vec![ch("a"), ch("b")]);
    }

    #[test]
    fn optional_columns_and_any_order() {
        let p = parse_aggregated_paths("total_null,path,total_conversions\n3,x,1\n", Currency::EUR).unwrap();
        assert_eq!((p[0].conversions, p[0].nulls, p[0].value.is_zero()), (1, 3, true));
    }

    #[test]
    fn errors_name_the_line() {
        let cases = [
            ("", "invalid aggregated path table at line 1: header \"\": missing header line"),
            ("path,oops\n", "invalid aggregated path table at line 1: header \"oops\": unknown column"),
            ("path,path\n", "invalid aggregated path table at line 1: header \"path\": duplicate column"),
            (
                "path\nx\n",
                "invalid aggregated path table at line 1: header \"path\": missing column `total_conversions`",
            ),
            (
                "path,total_conversions\nx\n",
                "invalid aggregated path table at line 2: row \"x\": wrong number of fields",
            ),
            (
                "path,total_conversions\n\nx,-1\n",
                "invalid aggregated path table at line 3: total_conversions \"-1\": not a non-negative integer",
            ),
            ("path,total_conversions\n ,1\n", "invalid aggregated path table at line 2: path \"\": empty path"),
            (
                "path,total_conversions,total_conversion_value\nx,1,1.005\n",
                "invalid aggregated path table at line 2: total_conversion_value \"1.005\": more decimals than the currency allows",
            ),
            (
                "path,total_conversions,total_conversion_value\nx,0,5.00\n",
                "invalid aggregated path table at line 2: total_conversion_value \"5.00\": must be zero when there are no conversions",
            ),
            (
                "path,total_conversions,total_conversion_value\nx,1,-5.00\n",
                "invalid aggregated path table at line 2: total_conversion_value \"-5.00\": must not be negative",
            ),
            (
                "path,total_conversions,total_conversion_value\nx,1,abc\n",
                "invalid aggregated path table at line 2: total_conversion_value \"abc\": not a decimal number",
            ),
        ];
        for (csv, msg) in cases {
            assert_eq!(parse_aggregated_paths(csv, Currency::USD).unwrap_err().to_string(), msg, "{csv:?}");
        }
    }

    #[test]
    fn shares_allocate_exactly() {
        let total = Money::from_minor(10_000, Currency::USD);
        let parts = allocate_shares(total, &[ch("a"), ch("b"), ch("c")], &[1.0, 1.0, 1.0]).unwrap();
        assert_eq!(parts.iter().map(|m| m.to_minor().unwrap()).collect::<Vec<_>>(), [3334, 3333, 3333]);
        let err = allocate_shares(total, &[ch("a")], &[f64::NAN]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot allocate money by the share NaN of channel `a`: shares must be finite and non-negative"
        );
    }

    #[test]
    fn interner_limit_message() {
        let err = Error::TooManyChannels { model: "exact shapley", channels: 21, max: 20 };
        assert_eq!(err.to_string(), "exact shapley supports at most 20 channels, got 21");
        assert_eq!(Error::EmptyChannelPath.to_string(), "a channel path must hold at least one channel");
    }
}
