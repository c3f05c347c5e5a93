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

mod columns;
mod interner;
mod parse;
mod sink;
mod table;

pub use self::columns::PathColumns;
pub use self::interner::ChannelInterner;
pub use self::parse::{parse_aggregated_paths, parse_path_columns};
pub(crate) use self::sink::{
    PathSink, check_minor_outcome, push_channels_into, push_columns_into, push_path_into, unknown_index,
};
pub use self::table::PathTable;
pub(crate) use crate::fast_map::FastMap;

use rust_decimal::Decimal;

use crate::money::Currency;
use crate::{ChannelId, Error, ErrorKind, Money};

/// One distinct channel path with its outcomes: a row of the `ChannelAttribution` / DP6 table.
///
/// `channels` is the path in touch order, repeats kept (`email > email` differs from `email`;
/// the Markov model collapses repeats itself). See the [module docs](self) for the outcome rules.
///
/// # Example
///
/// ```
/// use revops::{ChannelId, Currency, Money};
/// use revops::attribution::{AggregatedPath, PathTable};
///
/// let email = ChannelId::new("email")?;
/// let path = AggregatedPath {
///     channels: vec![email.clone(), email],
///     conversions: 2,
///     value: Money::from_minor(40_000, Currency::USD), // $400 over both conversions
///     nulls: 8,
/// };
/// let mut table = PathTable::new(Currency::USD);
/// table.push_path(&path)?;
/// assert_eq!(table.finish()?, [path]); // repeats kept: one row, as given
/// # Ok::<(), revops::Error>(())
/// ```
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
        return Err(ErrorKind::CurrencyMismatch { expected: currency, found: value.currency() }.into());
    }
    if value.is_negative() {
        return Err(ErrorKind::InvalidValue {
            field: "conversion value",
            value: value.to_string(),
            reason: "must not be negative",
        }
        .into());
    }
    if conversions == 0 && !value.is_zero() {
        return Err(ErrorKind::InvalidValue {
            field: "conversion value",
            value: value.to_string(),
            reason: "must be zero when there are no conversions",
        }
        .into());
    }
    value.to_minor()
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
    crate::Error::from(ErrorKind::InvalidValue { field, value: value.to_string(), reason })
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
            return Err(ErrorKind::InvalidModelShare { channel: channel.clone(), share: s.to_string() }.into());
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
        let err = ErrorKind::TooManyChannels { model: "exact shapley", channels: 21, max: 20 };
        assert_eq!(err.to_string(), "exact shapley supports at most 20 channels, got 21");
        assert_eq!(ErrorKind::Empty { what: "channel path" }.to_string(), "channel path must not be empty");
    }
}
