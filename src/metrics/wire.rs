//! Wire helpers of the metric tallies' partial states (feature `serde`): exact, canonical text
//! for durations and minor-unit sums, and the error a state that no
//! sequence of facts could produce gives on read.

use std::fmt::Display;

use chrono::TimeDelta;

use crate::{Error, ErrorKind};

/// The error for a deserialized partial state that no sequence of facts produces.
pub(crate) fn bad_state(tally: &'static str, value: impl Display, reason: &'static str) -> Error {
    crate::Error::from(ErrorKind::InvalidValue { field: tally, value: value.to_string(), reason })
}

/// `Ok` if `minor` (a sum of amounts) is not negative.
pub(crate) fn non_negative(tally: &'static str, name: &'static str, minor: i128) -> Result<(), Error> {
    if minor < 0 {
        Err(bad_state(tally, format!("{name} {minor}"), "a sum of amounts cannot be negative"))
    } else {
        Ok(())
    }
}

/// `Ok` if `part <= whole` (a count or sum of a subset of what `whole` counts).
pub(crate) fn within<T: PartialOrd + Display + Copy>(
    tally: &'static str,
    part: (&'static str, T),
    whole: (&'static str, T),
) -> Result<(), Error> {
    if part.1 <= whole.1 {
        Ok(())
    } else {
        Err(bad_state(tally, format!("{} {} > {} {}", part.0, part.1, whole.0, whole.1), "a part exceeds its whole"))
    }
}

/// `Ok` if an amount sum is zero when its count is (amounts come only with the records counted).
pub(crate) fn empty_sum(
    tally: &'static str,
    count: (&'static str, u64),
    sum: (&'static str, i128),
) -> Result<(), Error> {
    if count.1 == 0 && sum.1 != 0 {
        return Err(bad_state(tally, format!("{} 0, {} {}", count.0, sum.0, sum.1), "an amount without a record"));
    }
    Ok(())
}

/// Parses chrono's canonical ISO 8601 text of a [`TimeDelta`] (its `Display`: `"P0D"`,
/// `"PT86400S"`, `"-PT1.5S"`), exact to the nanosecond; `None` for anything else (including
/// non-canonical spellings such as `"PT01S"` or `"PT1.50S"`).
pub(crate) fn parse_duration(text: &str) -> Option<TimeDelta> {
    if text == "P0D" {
        return Some(TimeDelta::zero());
    }
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let body = rest.strip_prefix("PT")?.strip_suffix('S')?;
    let (secs, fraction) = match body.split_once('.') {
        Some((secs, fraction)) => (secs, Some(fraction)),
        None => (body, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(secs) {
        return None;
    }
    let secs: i64 = secs.parse().ok()?;
    let nanos = match fraction {
        None => 0,
        Some(f) if digits(f) && f.len() <= 9 => {
            let scale = 10u32.checked_pow(9 - u32::try_from(f.len()).ok()?)?;
            f.parse::<u32>().ok()?.checked_mul(scale)?
        }
        Some(_) => return None,
    };
    let magnitude = TimeDelta::new(secs, nanos)?;
    let value = if negative { TimeDelta::zero().checked_sub(&magnitude)? } else { magnitude };
    // Canonical only: the text must be exactly what `Display` writes for the value.
    (value.to_string() == text).then_some(value)
}

/// `TimeDelta` as chrono's canonical ISO 8601 text, exact to the nanosecond.
pub(crate) mod duration {
    use chrono::TimeDelta;
    use serde::{Deserialize, Deserializer, Serializer};

    #[allow(clippy::trivially_copy_pass_by_ref)] // serde's `with` signature
    pub(crate) fn serialize<S: Serializer>(d: &TimeDelta, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(d)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<TimeDelta, D::Error> {
        let text = String::deserialize(d)?;
        super::parse_duration(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "invalid duration {text:?}: expected ISO 8601 seconds as written by the crate, e.g. \"PT86400S\""
            ))
        })
    }
}

/// A sum of minor units (`i128`) as its exact decimal text, e.g. `"123400"`.
pub(crate) mod minor {
    use serde::{Deserialize, Deserializer, Serializer};

    #[allow(clippy::trivially_copy_pass_by_ref)] // serde's `with` signature
    pub(crate) fn serialize<S: Serializer>(v: &i128, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i128, D::Error> {
        let text = String::deserialize(d)?;
        match text.parse::<i128>() {
            Ok(v) if v.to_string() == text => Ok(v),
            _ => Err(serde::de::Error::custom(format!(
                "invalid minor-unit sum {text:?}: expected an integer in canonical form, e.g. \"123400\""
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_round_trip_exactly_and_only_canonically() {
        for d in [
            TimeDelta::zero(),
            TimeDelta::try_days(1).unwrap(),
            -TimeDelta::try_days(1).unwrap(),
            TimeDelta::try_milliseconds(1_500).unwrap(),
            TimeDelta::nanoseconds(1),
            -TimeDelta::nanoseconds(500_000_001),
            TimeDelta::MAX,
            TimeDelta::MIN,
        ] {
            assert_eq!(parse_duration(&d.to_string()), Some(d), "{d}");
        }
        for bad in [
            "",
            "P",
            "PT",
            "PTS",
            "PT1",
            "-P0D",
            "PT01S",
            "PT1.50S",
            "PT1.S",
            "PT.5S",
            "PT+1S",
            "pt1s",
            "PT1.0000000001S",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad:?}");
        }
        // Past chrono's range.
        assert_eq!(parse_duration("PT9223372036854775807S"), None);
    }

    #[test]
    fn sums_are_exact() {
        #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
        struct S {
            #[serde(with = "minor")]
            m: i128,
        }
        let s = S { m: i128::MIN };
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, r#"{"m":"-170141183460469231731687303715884105728"}"#);
        assert_eq!(serde_json::from_str::<S>(&json).unwrap(), s);
        assert!(serde_json::from_str::<S>(r#"{"m":"+1"}"#).is_err());
        assert!(serde_json::from_str::<S>(r#"{"m":"01"}"#).is_err());
    }
}
