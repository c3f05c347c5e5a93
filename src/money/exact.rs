//! Exact decimal text: the one parser behind every decimal the crate reads from text.
//!
//! `Decimal::from_str` (and so `rust_decimal::serde::str` and `Decimal`'s own deserializer)
//! rounds a number with more than 28 significant digits to fit, then accepts it: `"1.` then
//! 28 zeros then `1"` is read as a probability of exactly 1. [`parse`] reads the same text
//! exactly and refuses, with [`ErrorKind::InvalidDecimal`] naming the text, anything `Decimal`
//! cannot hold without rounding. Trailing zeros are exact, so they are kept where the scale
//! allows (`"1.50"` keeps its scale of 2) and dropped where it does not.
//!
//! The grammar is an optional sign, digits with an optional `.` (at least one digit), and an
//! optional exponent (`e` or `E`, optional sign, digits): `"12.50"`, `"-.5"`, `"2.5e-3"`.
//! Whitespace, underscores and anything else are refused.
//!
//! [`str`] and [`str_option`] are serde `with` modules over [`parse`] that serialize like
//! `rust_decimal::serde::str` (a string) and read only strings, so every serde decimal of the
//! crate is read exactly and refused the same way.

use rust_decimal::Decimal;

use crate::{Error, ErrorKind};

/// `Decimal`'s mantissa bound: 2^96.
const MANTISSA_LIMIT: u128 = 1 << 96;
/// `Decimal`'s largest scale.
const MAX_SCALE: i64 = 28;
/// How much of a rejected text an error quotes.
const QUOTED_CHARS: usize = 64;

/// `text` as a decimal, exactly.
///
/// # Errors
/// [`ErrorKind::InvalidDecimal`] naming the text if it is not a decimal number, needs more than
/// 28 decimal places or more significant digits than `Decimal` holds, or is outside its range.
pub(crate) fn parse(text: &str) -> Result<Decimal, Error> {
    let fail = |reason: &'static str| ErrorKind::InvalidDecimal { value: quoted(text), reason };
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (number, exponent) = match body.split_once(['e', 'E']) {
        Some((number, exponent)) => (number, Some(exponent)),
        None => (body, None),
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits_only(whole) || !digits_only(fraction) {
        return Err(crate::Error::from(fail("not a decimal number")));
    }
    let exponent = match exponent {
        None => 0,
        Some(e) => parse_exponent(e).map_err(fail)?,
    };
    // The value is `digits * 10^-scale`, with `digits` the whole and fraction digits.
    let scale = i64::try_from(fraction.len())
        .ok()
        .and_then(|f| f.checked_sub(exponent))
        .ok_or_else(|| fail("outside the decimal range"))?;
    let mut digits = String::with_capacity(whole.len() + fraction.len());
    digits.push_str(whole);
    digits.push_str(fraction);
    let significant = digits.trim_start_matches('0');
    if significant.is_empty() {
        let scale = u32::try_from(scale.clamp(0, MAX_SCALE)).unwrap_or(0);
        return Ok(Decimal::new(0, scale));
    }
    // `core` runs from the first to the last non-zero digit; `trailing` zeros follow it.
    let core = significant.trim_end_matches('0');
    let trailing = i64::try_from(significant.len() - core.len()).map_err(|_| fail("outside the decimal range"))?;
    // The smallest scale that holds the value exactly.
    let mut exact_scale = scale.checked_sub(trailing).ok_or_else(|| fail("outside the decimal range"))?;
    if exact_scale > MAX_SCALE {
        return Err(crate::Error::from(fail("has more than 28 decimal places")));
    }
    let fractional = exact_scale > 0;
    let too_many_digits = || {
        if fractional {
            fail("needs more significant digits than a decimal holds exactly (28 to 29)")
        } else {
            fail("outside the decimal range")
        }
    };
    if core.len() > 29 {
        return Err(crate::Error::from(too_many_digits()));
    }
    let mut mantissa: u128 = core.bytes().fold(0, |m, b| m * 10 + u128::from(b - b'0'));
    while exact_scale < 0 {
        mantissa = mantissa
            .checked_mul(10)
            .filter(|m| *m < MANTISSA_LIMIT)
            .ok_or_else(|| fail("outside the decimal range"))?;
        exact_scale += 1;
    }
    if mantissa >= MANTISSA_LIMIT {
        return Err(crate::Error::from(too_many_digits()));
    }
    // Keep the written trailing zeros as far as the scale and mantissa allow.
    let wanted = scale.min(MAX_SCALE);
    while exact_scale < wanted {
        match mantissa.checked_mul(10).filter(|m| *m < MANTISSA_LIMIT) {
            Some(m) => {
                mantissa = m;
                exact_scale += 1;
            }
            None => break,
        }
    }
    let signed = i128::try_from(mantissa).map_err(|_| fail("outside the decimal range"))?;
    let signed = if negative { -signed } else { signed };
    let scale = u32::try_from(exact_scale).map_err(|_| fail("outside the decimal range"))?;
    Decimal::try_from_i128_with_scale(signed, scale)
        .map_err(|_| fail("outside the decimal range"))
        .map_err(crate::Error::from)
}

/// An exponent: optional sign and at least one digit; the reason it is refused otherwise.
fn parse_exponent(text: &str) -> Result<i64, &'static str> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("not a decimal number");
    }
    let magnitude = digits
        .bytes()
        .try_fold(0i64, |e, b| e.checked_mul(10)?.checked_add(i64::from(b - b'0')))
        .ok_or("outside the decimal range")?;
    Ok(if negative { -magnitude } else { magnitude })
}

/// `text`, cut to its first [`QUOTED_CHARS`] characters for an error message.
fn quoted(text: &str) -> String {
    match text.char_indices().nth(QUOTED_CHARS) {
        Some((cut, _)) => format!("{}...", text.get(..cut).unwrap_or(text)),
        None => text.to_owned(),
    }
}

/// Serde `with` module: a `Decimal` as a string, read exactly with [`parse`].
#[cfg(feature = "serde")]
pub(crate) mod str {
    use core::fmt;

    use rust_decimal::Decimal;
    use serde::de::{self, Visitor};
    use serde::{Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        rust_decimal::serde::str::serialize(value, s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        d.deserialize_str(ExactVisitor)
    }

    /// Reads a string with [`super::parse`].
    pub(super) struct ExactVisitor;

    impl Visitor<'_> for ExactVisitor {
        type Value = Decimal;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a decimal number as a string")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
            super::parse(v).map_err(E::custom)
        }
    }
}

/// Serde `with` module: an `Option<Decimal>` as an optional string (`null` is `None`), read
/// exactly with [`parse`]. Unlike `rust_decimal::serde::str_option` it reads `null` inside an
/// internally tagged enum and refuses an empty string instead of reading it as `None`.
#[cfg(feature = "serde")]
pub(crate) mod str_option {
    use core::fmt;

    use rust_decimal::Decimal;
    use serde::de::{self, Visitor};
    use serde::{Deserializer, Serializer};

    #[allow(clippy::ref_option)] // serde's `with` passes a reference to the field
    pub(crate) fn serialize<S: Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        rust_decimal::serde::str_option::serialize(value, s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        d.deserialize_option(OptionVisitor)
    }

    struct OptionVisitor;

    impl<'de> Visitor<'de> for OptionVisitor {
        type Value = Option<Decimal>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a decimal number as a string, or null")
        }

        fn visit_none<E: de::Error>(self) -> Result<Option<Decimal>, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Option<Decimal>, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<Decimal>, D::Error> {
            d.deserialize_str(super::str::ExactVisitor).map(Some)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn reason(text: &str) -> &'static str {
        match (parse(text)).as_ref().map_err(crate::error::Error::kind) {
            Err(ErrorKind::InvalidDecimal { reason, .. }) => reason,
            other => panic!("{text:?} parsed as {other:?}"),
        }
    }

    #[test]
    fn reads_exactly_what_it_is_given() {
        for (text, mantissa, scale) in [
            ("0", 0, 0),
            ("12.50", 1250, 2),
            ("-12.5", -125, 1),
            ("+3", 3, 0),
            (".5", 5, 1),
            ("5.", 5, 0),
            ("007.10", 710, 2),
            ("2.5e-3", 25, 4),
            ("2.5E3", 2500, 0),
            ("1e28", 10_000_000_000_000_000_000_000_000_000, 0),
            ("0.0000000000000000000000000001", 1, 28),
            ("79228162514264337593543950335", 79_228_162_514_264_337_593_543_950_335, 0),
            ("7.9228162514264337593543950335", 79_228_162_514_264_337_593_543_950_335, 28),
            // Exact trailing zeros past the scale or mantissa are dropped, not refused.
            ("12.500000000000000000000000000000", 12_500_000_000_000_000_000_000_000_000, 27),
            ("1.0000000000000000000000000000000000", 10_000_000_000_000_000_000_000_000_000, 28),
            ("0.000000000000000000000000000000", 0, 28),
            ("100e-30", 1, 28),
        ] {
            let d = parse(text).unwrap();
            assert_eq!((d.mantissa(), d.scale()), (mantissa, scale), "{text}");
        }
    }

    #[test]
    fn refuses_what_it_cannot_hold_exactly() {
        // Issue 12 item 6: each of these used to round silently.
        assert_eq!(reason("1.00000000000000000000000000001"), "has more than 28 decimal places");
        assert_eq!(
            reason("12.5000000000000000000000000001"),
            "needs more significant digits than a decimal holds exactly (28 to 29)"
        );
        assert_eq!(reason("0.00000000000000000000000000001"), "has more than 28 decimal places");
        assert_eq!(reason("1e-29"), "has more than 28 decimal places");
        assert_eq!(reason("79228162514264337593543950336"), "outside the decimal range");
        assert_eq!(
            reason("7.9228162514264337593543950336"),
            "needs more significant digits than a decimal holds exactly (28 to 29)"
        );
        assert_eq!(reason("1e29"), "outside the decimal range");
        assert_eq!(reason("1e9223372036854775807"), "outside the decimal range");
        assert_eq!(reason("1e-9223372036854775808"), "outside the decimal range");
        assert_eq!(reason("123456789012345678901234567890"), "outside the decimal range");
        for bad in ["", "-", ".", "e5", "1e", "1e+", "1.2.3", " 1", "1 ", "1_000", "0x10", "1,5", "--1", "NaN", "1e5.5"]
        {
            assert_eq!(reason(bad), "not a decimal number", "{bad:?}");
        }
    }

    #[test]
    fn errors_name_the_value() {
        let text = "1.00000000000000000000000000001";
        assert_eq!(
            parse(text).unwrap_err().to_string(),
            format!("invalid decimal \"{text}\": has more than 28 decimal places")
        );
        let long = "9".repeat(1000);
        let Err(ErrorKind::InvalidDecimal { value, .. }) = parse(&long).map_err(crate::Error::into_kind) else {
            panic!()
        };
        assert_eq!(value, format!("{}...", "9".repeat(QUOTED_CHARS)));
    }

    /// Issue 12 item 6, for every kind of serde decimal and both path-table parsers: a 29th
    /// significant digit used to be rounded away, then the value accepted.
    #[cfg(feature = "serde")]
    #[test]
    fn every_decimal_read_from_text_is_exact() {
        use crate::attribution::{Model, parse_aggregated_paths, parse_path_columns};
        use crate::icp::{Criterion, Tiers};
        use crate::{Currency, Money, Probability};

        fn refused<T: serde::de::DeserializeOwned + core::fmt::Debug>(json: &str, text: &str) {
            let err = serde_json::from_str::<T>(json).unwrap_err().to_string();
            assert!(err.starts_with(&format!("invalid decimal \"{text}\"")), "{json}: {err}");
        }
        let one = "1.00000000000000000000000000001";
        refused::<Probability>(&format!("\"{one}\""), one);
        assert!(serde_json::from_str::<Probability>("\"1.0000000000000000000000000000\"").is_ok());
        let weight = "12.5000000000000000000000000001";
        refused::<Model>(
            &format!(r#"{{"shape":{{"kind":"custom","weights":{{"first":"{weight}","last":"87.5"}}}}}}"#),
            weight,
        );
        refused::<Model>(
            &format!(r#"{{"shape":{{"kind":"position_based","first":"{weight}","last":"87.5"}}}}"#),
            weight,
        );
        let threshold = "50.0000000000000000000000000001";
        refused::<Tiers>(
            &format!(r#"[{{"name":"a","min_score":"{threshold}/100"}},{{"name":"b","min_score":"0/100"}}]"#),
            threshold,
        );
        let amount = "10.0000000000000000000000000001";
        refused::<Money>(&format!(r#"{{"amount":"{amount}","currency":"USD"}}"#), amount);
        refused::<Criterion>(
            &format!(
                r#"{{"name":"n","condition":{{"kind":"number","attribute":"seats","min":"{threshold}"}},"effect":{{"points":5}}}}"#
            ),
            threshold,
        );
        for parsed in [
            parse_aggregated_paths(
                &format!("path,total_conversions,total_conversion_value\na,1,{amount}\n"),
                Currency::USD,
            )
            .map(|_| ()),
            parse_path_columns(
                &format!("path,total_conversions,total_conversion_value\na,1,{amount}\n"),
                Currency::USD,
            )
            .map(|_| ()),
        ] {
            assert_eq!(
                parsed.unwrap_err().to_string(),
                format!(
                    "invalid aggregated path table at line 2: total_conversion_value {amount:?}: needs more significant digits than a decimal holds exactly (28 to 29)"
                )
            );
        }
    }

    proptest! {
        #[test]
        fn every_decimal_round_trips_with_its_scale(lo: u32, mid: u32, hi: u32, negative: bool, scale in 0u32..=28) {
            let d = Decimal::from_parts(lo, mid, hi, negative, scale);
            let back = parse(&d.to_string()).unwrap();
            prop_assert_eq!(back, d);
            prop_assert_eq!(back.scale(), d.scale());
        }

        #[test]
        fn agrees_with_from_str_where_it_accepts(text in "[-+]?[0-9]{0,32}(\\.[0-9]{0,32})?") {
            if let Ok(d) = parse(&text) {
                prop_assert_eq!(Some(d), text.parse::<Decimal>().ok());
            }
        }
    }
}
