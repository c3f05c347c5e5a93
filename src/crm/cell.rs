//! Reading one cell of a row: the value of a column (first of its aliases that has one), read
//! exactly, with errors naming the column.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::instant::{self, Parsed};
use super::{Mapping, Row};
use crate::facts::{ForecastCategory, Reason};
use crate::{Currency, Error, ErrorKind, Money, Probability};

/// How much of a rejected value an error quotes.
const QUOTED_CHARS: usize = 64;

/// The value of `column`, `None` when empty or absent.
pub(crate) fn get<'r, R: Row + ?Sized>(row: &'r R, column: &str) -> Option<&'r str> {
    row.value(column).filter(|v| !v.is_empty())
}

/// The first of `columns` (aliases of one column) with a value, and which one it was.
pub(crate) fn first<'r, R: Row + ?Sized>(row: &'r R, columns: &[&'static str]) -> Option<(&'static str, &'r str)> {
    columns.iter().find_map(|c| get(row, c).map(|v| (*c, v)))
}

/// Like [`first`], but the column is required: an error naming the first alias otherwise.
pub(crate) fn required<'r, R: Row + ?Sized>(
    row: &'r R,
    columns: &[&'static str],
) -> Result<(&'static str, &'r str), Error> {
    first(row, columns)
        .ok_or_else(|| invalid(columns.first().copied().unwrap_or("?"), "", "is required, but empty or absent"))
}

/// An error about `column` holding `value`.
#[cold]
pub(crate) fn invalid(column: &str, value: &str, reason: &'static str) -> Error {
    let value = match value.char_indices().nth(QUOTED_CHARS) {
        Some((cut, _)) => format!("{}...", value.get(..cut).unwrap_or(value)),
        None => value.to_owned(),
    };
    ErrorKind::InvalidColumn { column: column.to_owned(), value, reason }.into()
}

/// The reason of a foundation error (an id, a decimal, a currency), for the column's error.
fn reason_of(err: &Error) -> &'static str {
    match err.kind() {
        ErrorKind::InvalidId { reason, .. }
        | ErrorKind::InvalidDecimal { reason, .. }
        | ErrorKind::InvalidCurrency { reason, .. } => reason,
        ErrorKind::ExcessPrecision { .. } => "has more decimals than its currency's minor unit",
        ErrorKind::UnknownCurrency { .. } => "is not an ISO 4217 currency code",
        ErrorKind::ProbabilityOutOfRange { .. } => "is outside the probability's scale",
        _ => "is not a valid value",
    }
}

/// `f(value)`, its error naming `column`.
pub(crate) fn read<'v, T>(
    column: &str,
    value: &'v str,
    f: impl FnOnce(&'v str) -> Result<T, Error>,
) -> Result<T, Error> {
    f(value).map_err(|e| invalid(column, value, reason_of(&e)))
}

/// An instant: a date-time with a zone, a local date-time or a date in the mapping's zone,
/// or (HubSpot) epoch milliseconds.
pub(crate) fn instant(m: &Mapping<'_>, column: &str, value: &str, epoch_ms: bool) -> Result<DateTime<Utc>, Error> {
    instant::parse(value, epoch_ms)
        .and_then(|p| instant::resolve(p, m.zone))
        .map_err(|reason| invalid(column, value, reason))
}

/// A parsed instant or date, not yet resolved.
pub(crate) fn parsed(column: &str, value: &str, epoch_ms: bool) -> Result<Parsed, Error> {
    instant::parse(value, epoch_ms).map_err(|reason| invalid(column, value, reason))
}

/// The local date of a date or date-time in the mapping's zone.
pub(crate) fn date(m: &Mapping<'_>, column: &str, value: &str, epoch_ms: bool) -> Result<NaiveDate, Error> {
    parsed(column, value, epoch_ms).map(|p| instant::local_date(p, m.zone))
}

/// A checkbox: `true`/`false` (any case) or `1`/`0`.
pub(crate) fn flag(column: &str, value: &str) -> Result<bool, Error> {
    if value.eq_ignore_ascii_case("true") || value == "1" {
        Ok(true)
    } else if value.eq_ignore_ascii_case("false") || value == "0" {
        Ok(false)
    } else {
        Err(invalid(column, value, "must be true or false"))
    }
}

/// An optional checkbox among `columns`.
pub(crate) fn opt_flag<R: Row + ?Sized>(
    row: &R,
    columns: &[&'static str],
) -> Result<Option<(&'static str, bool)>, Error> {
    first(row, columns).map(|(c, v)| flag(c, v).map(|f| (c, f))).transpose()
}

/// The amount in `currency_columns`' currency (or the mapping's), exactly.
pub(crate) fn money<R: Row + ?Sized>(
    m: &Mapping<'_>,
    row: &R,
    amount: &[&'static str],
    currency: &[&'static str],
) -> Result<Money, Error> {
    let currency = match first(row, currency) {
        Some((c, v)) => read(c, v, Currency::new)?,
        None => m.currency,
    };
    let (column, value) = required(row, amount)?;
    read(column, value, |v| Money::parse_exact(v, currency))
}

/// An exact decimal.
pub(crate) fn decimal(column: &str, value: &str) -> Result<Decimal, Error> {
    read(column, value, crate::money::exact::parse)
}

/// A probability in percent (Salesforce `Probability`).
pub(crate) fn percent(column: &str, value: &str) -> Result<Probability, Error> {
    let d = decimal(column, value)?;
    read(column, value, |_| Probability::from_percent_decimal(d))
}

/// A probability as a fraction (HubSpot `hs_deal_stage_probability`).
pub(crate) fn fraction(column: &str, value: &str) -> Result<Probability, Error> {
    let d = decimal(column, value)?;
    read(column, value, |_| Probability::from_fraction(d))
}

/// A loss reason: a taxonomy key, written as a key or a label (`no_decision`, `No Decision`),
/// or the rep's words kept as [`Reason::Other`].
pub(crate) fn reason(value: &str) -> Reason {
    let key: String =
        value.trim().chars().map(|c| if c == ' ' || c == '-' { '_' } else { c.to_ascii_lowercase() }).collect();
    Reason::from_key(&key).unwrap_or_else(|| Reason::Other(value.to_owned()))
}

/// A forecast category: Salesforce API values (`BestCase`) or labels (`Best Case`), or
/// HubSpot's (`BEST_CASE`, `OMIT`).
pub(crate) fn forecast(column: &str, value: &str) -> Result<ForecastCategory, Error> {
    let key: String = value.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
    Ok(match key.as_str() {
        "pipeline" => ForecastCategory::Pipeline,
        "bestcase" => ForecastCategory::BestCase,
        "commit" => ForecastCategory::Commit,
        "omitted" | "omit" => ForecastCategory::Omitted,
        "closed" => ForecastCategory::Closed,
        _ => {
            return Err(invalid(
                column,
                value,
                "is not a forecast category (Pipeline, Best Case, Commit, Omitted, Closed)",
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_exactly_and_name_their_column() {
        let row = [("amount", "12.345"), ("blank", ""), ("p", "120")];
        assert_eq!(first(row.as_slice(), &["blank", "amount"]), Some(("amount", "12.345")));
        let err = required(row.as_slice(), &["Missing", "blank"]).unwrap_err();
        assert_eq!(err.to_string(), "column `Missing` \"\": is required, but empty or absent");
        let err = percent("p", "120").unwrap_err();
        assert_eq!(err.to_string(), "column `p` \"120\": is outside the probability's scale");
        assert_eq!(fraction("p", "0.25").unwrap(), Probability::from_percent(25).unwrap());
        assert!(decimal("p", "1e400").is_err() && decimal("p", "0.1 ").is_err());
        assert!(flag("f", "yes").is_err() && flag("f", "TRUE").unwrap() && !flag("f", "0").unwrap());
        assert_eq!(reason("No Decision"), Reason::NoDecision);
        assert_eq!(reason("went with spreadsheets"), Reason::Other("went with spreadsheets".into()));
        assert_eq!(forecast("f", "Best Case").unwrap(), ForecastCategory::BestCase);
        assert_eq!(forecast("f", "OMIT").unwrap(), ForecastCategory::Omitted);
        assert!(forecast("f", "maybe").is_err());
        let long = "x".repeat(100);
        let ErrorKind::InvalidColumn { value, .. } = invalid("c", &long, "r").into_kind() else { panic!() };
        assert_eq!(value.len(), 67);
    }
}
