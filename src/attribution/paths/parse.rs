//! Reading the aggregated path table of `ChannelAttribution` and DP6 from CSV text, as rows
//! ([`parse_aggregated_paths`]) or straight into columns ([`parse_path_columns`]).

use super::{AggregatedPath, FastMap, PathColumns, outcome_minor};
use crate::money::Currency;
use crate::{ChannelId, Error, ErrorKind, Money};

/// Parses the aggregated path table of `ChannelAttribution` and DP6 from CSV text.
///
/// The first non-blank line is a header naming the columns, in any order: `path` and
/// `total_conversions` are required, `total_conversion_value` and `total_null` optional (a
/// missing one reads as zero). Fields are separated by commas and may be wrapped in double
/// quotes. A path is channel ids joined by `>`, each trimmed (`a > b > c`); repeats are kept.
/// Values are decimals in `currency` (`1234.50`). Blank lines are skipped; rows keep their order.
///
/// # Errors
/// [`ErrorKind::PathTableRow`] naming the 1-based line, the column and the text for a missing or
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
    let (columns, lines) = Columns::read(text)?;
    let mut out = Vec::new();
    let mut fields: Vec<&str> = Vec::with_capacity(columns.count);
    for (line, row) in lines {
        columns.split(line, row, &mut fields)?;
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
                let reason = if let ErrorKind::InvalidDecimal { reason, .. } = e.kind() {
                    reason
                } else {
                    "not a decimal number"
                };
                row_error(line, "total_conversion_value", text.trim(), reason)
            })?;
            Money::new(amount, currency)
        }
    };
    outcome_minor(conversions, value, currency).map_err(|e| {
        let reason = match e.kind() {
            ErrorKind::ExcessPrecision { .. } => "more decimals than the currency allows",
            ErrorKind::Overflow { .. } => "too large",
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
    /// The columns of a table's header (its first non-blank line) and its data rows as
    /// `(1-based line, text)`, blank lines skipped: the one reader of both path-table parsers.
    fn read(text: &str) -> Result<(Columns, impl Iterator<Item = (usize, &str)>), Error> {
        let mut lines = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
            .filter(|(_, l)| !l.trim().is_empty());
        let Some((header_line, header)) = lines.next() else {
            return Err(row_error(1, "header", "", "missing header line"));
        };
        Ok((Columns::parse(header_line, header)?, lines))
    }

    /// Splits a data row into `fields` (unquoted), refusing a row with another field count.
    fn split<'a>(&self, line: usize, row: &'a str, fields: &mut Vec<&'a str>) -> Result<(), Error> {
        fields.clear();
        fields.extend(row.split(',').map(unquote));
        if fields.len() == self.count { Ok(()) } else { Err(row_error(line, "row", row, "wrong number of fields")) }
    }

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
    crate::Error::from(ErrorKind::PathTableRow { line, column, value: value.to_owned(), reason })
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
                let reason = match e.kind() {
                    ErrorKind::InvalidId { reason, .. } => reason,
                    _ => "invalid channel id",
                };
                row_error(line, "path", name, reason)
            })
        })
        .collect()
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
    let (columns, lines) = Columns::read(text)?;
    let mut out = PathColumns::new(currency);
    let mut names: FastMap<&str, u32> = FastMap::default();
    let mut fields: Vec<&str> = Vec::with_capacity(columns.count);
    let exponent = u32::from(currency.exponent());
    for (line, row) in lines {
        columns.split(line, row, &mut fields)?;
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
                    let reason =
                        if let ErrorKind::InvalidId { reason, .. } = e.kind() { reason } else { "invalid channel id" };
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
