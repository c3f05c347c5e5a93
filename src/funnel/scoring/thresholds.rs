//! [`Points`]: the scale of every lead-scoring threshold (an MQL rule's score conditions, a
//! score matrix's bands), written with its unit on the wire.

use core::fmt;
use core::str::FromStr;

use rust_decimal::Decimal;

use crate::{Error, ErrorKind};

/// A score threshold in the scoring model's points (the scale of [`LeadScore`](super::LeadScore)
/// and [`ScoringModel`](super::ScoringModel)): whole points or hundredths, within
/// ±1,000,000,000 (ten times the largest total cap, so every score a model can give compares).
///
/// Not a percent and not a 0-100 fit score: the ICP's normalised score has its own spelling
/// (`"75/100"`, see [`Tier`](crate::icp::Tier)), and probabilities are
/// [`Probability`](crate::Probability)s. A value is normalised (`40.50` is `40.5`), so equal
/// thresholds print and serialize alike.
///
/// # Wire format
///
/// A string, the number then `points` (or `point`): `"40 points"`, `"12.5 points"`,
/// `"-10 points"`; or a table `{ points = 40 }` (an integer or a decimal string,
/// `{ "points": "12.5" }`). It serializes as the string. A bare number (`40`, `"40"`), a
/// percent (`"40%"`), a float in the table or more than two decimals is refused with a message
/// naming the expected form.
///
/// ```
/// use revops::funnel::Points;
/// use rust_decimal_macros::dec;
///
/// assert_eq!(serde_json::from_str::<Points>(r#""40 points""#)?, Points::new(dec!(40))?);
/// assert_eq!(serde_json::from_str::<Points>(r#"{ "points": 40 }"#)?, Points::from(40));
/// assert_eq!(serde_json::from_str::<Points>(r#"{ "points": "12.5" }"#)?.get(), dec!(12.5));
/// assert_eq!(serde_json::to_string(&Points::new(dec!(12.50))?)?, r#""12.5 points""#);
/// let bare = serde_json::from_str::<Points>("40").err().map(|e| e.to_string()).unwrap_or_default();
/// assert!(bare.contains(r#"write "40 points""#), "{bare}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Example
///
/// ```
/// use revops::funnel::Points;
/// use rust_decimal_macros::dec;
///
/// let forty: Points = "40 points".parse()?;
/// assert_eq!((forty, forty.to_string()), (Points::from(40), "40 points".to_owned()));
/// assert_eq!(Points::from(1).to_string(), "1 point");
/// assert!(Points::new(dec!(40.005)).is_err()); // finer than a score's hundredths
/// assert!("40".parse::<Points>().is_err()); // no scale
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Points(Decimal);

/// Largest magnitude of a [`Points`] threshold.
const MAX_THRESHOLD: i64 = 1_000_000_000;

/// The message for a threshold written without its scale.
const EXPECTED: &str = "a score threshold says its scale: write \"40 points\" or { points = 40 }";

impl Points {
    /// The threshold `value` in points.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] for more than two decimals or a magnitude above
    /// 1,000,000,000.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::Points;
    /// use rust_decimal_macros::dec;
    ///
    /// assert_eq!(Points::new(dec!(-12.50))?.get(), dec!(-12.5));
    /// assert!(Points::new(dec!(1000000000.01)).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new(value: Decimal) -> Result<Points, Error> {
        let value = value.normalize();
        if value.scale() > 2 || value.abs() > Decimal::from(MAX_THRESHOLD) {
            return Err(ErrorKind::InvalidValue {
                field: "score threshold",
                value: format!("{value} points"),
                reason: "must be whole points or hundredths within ±1000000000",
            }
            .into());
        }
        Ok(Points(value))
    }

    /// The number of points.
    #[must_use]
    pub const fn get(self) -> Decimal {
        self.0
    }
}

impl From<i32> for Points {
    /// Whole points (every `i32` is within the bound).
    fn from(points: i32) -> Points {
        Points(Decimal::from(points))
    }
}

impl fmt::Display for Points {
    /// `40 points`, `1 point`, `12.5 points`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = if self.0.abs() == Decimal::ONE { "point" } else { "points" };
        write!(f, "{} {unit}", self.0)
    }
}

impl FromStr for Points {
    type Err = Error;

    /// Reads `"40 points"` / `"1 point"` (one space or more before the unit).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] naming the expected form for a text without the unit;
    /// [`ErrorKind::InvalidDecimal`] for a number that is not an exact decimal; those of
    /// [`Points::new`].
    fn from_str(text: &str) -> Result<Points, Error> {
        let trimmed = text.trim();
        let number = trimmed
            .strip_suffix("points")
            .or_else(|| trimmed.strip_suffix("point"))
            .filter(|n| n.ends_with(' '))
            .map(str::trim_end)
            .ok_or_else(|| unscaled(text))?;
        Points::new(crate::money::exact::parse(number)?)
    }
}

/// The error for a threshold given without its scale.
fn unscaled(text: &str) -> Error {
    ErrorKind::InvalidValue { field: "score threshold", value: text.to_owned(), reason: EXPECTED }.into()
}

#[cfg(feature = "serde")]
mod wire {
    use core::fmt;

    use serde::de::{self, MapAccess, Visitor};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{Points, unscaled};

    impl Serialize for Points {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_str(self)
        }
    }

    impl<'de> Deserialize<'de> for Points {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Points, D::Error> {
            d.deserialize_any(PointsVisitor)
        }
    }

    struct PointsVisitor;

    impl<'de> Visitor<'de> for PointsVisitor {
        type Value = Points;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(r#"a score threshold with its scale, "40 points" or { points = 40 }"#)
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Points, E> {
            v.parse().map_err(E::custom)
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Points, E> {
            Err(E::custom(unscaled(&v.to_string())))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Points, E> {
            Err(E::custom(unscaled(&v.to_string())))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Points, E> {
            Err(E::custom(unscaled(&v.to_string())))
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Points, A::Error> {
            let mut points = None;
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                if key != "points" {
                    return Err(de::Error::unknown_field(&key, &["points"]));
                }
                if points.is_some() {
                    return Err(de::Error::duplicate_field("points"));
                }
                points = Some(map.next_value::<Count>()?.0);
            }
            points.ok_or_else(|| de::Error::missing_field("points"))
        }
    }

    /// The value of `{ points = .. }`: an integer or a decimal string, never a float.
    struct Count(Points);

    impl<'de> Deserialize<'de> for Count {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Count, D::Error> {
            d.deserialize_any(CountVisitor).map(Count)
        }
    }

    struct CountVisitor;

    impl Visitor<'_> for CountVisitor {
        type Value = Points;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(r#"whole points (40) or a decimal string ("12.5")"#)
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Points, E> {
            crate::money::exact::parse(v).and_then(Points::new).map_err(E::custom)
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Points, E> {
            Points::new(rust_decimal::Decimal::from(v)).map_err(E::custom)
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Points, E> {
            Points::new(rust_decimal::Decimal::from(v)).map_err(E::custom)
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Points, E> {
            Err(E::invalid_type(
                de::Unexpected::Float(v),
                &r#"whole points or a decimal string, e.g. { points = "12.5" }"#,
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn text_names_the_scale_and_round_trips() {
        for (text, value) in [("40 points", dec!(40)), ("1 point", dec!(1)), ("-2.5 points", dec!(-2.5))] {
            let p: Points = text.parse().unwrap();
            assert_eq!((p.get(), p.to_string()), (value, text.to_owned()));
        }
        assert_eq!("40  points".parse::<Points>().unwrap().to_string(), "40 points");
        assert_eq!("40.50 points".parse::<Points>().unwrap().to_string(), "40.5 points");
        for bad in ["40", "40points", "points", "40 %", "40%", "forty points", " points"] {
            let err = bad.parse::<Points>().unwrap_err().to_string();
            assert!(err.starts_with("invalid score threshold") || err.starts_with("invalid decimal"), "{bad}: {err}");
        }
        assert!(Points::new(dec!(1000000000)).is_ok());
        assert!(Points::new(dec!(-1000000000.01)).is_err());
        assert_eq!(Points::new(dec!(-0)).unwrap().to_string(), "0 points");
    }

    #[cfg(feature = "serde")]
    #[test]
    fn wire_refuses_a_bare_number_naming_the_form() {
        for bare in ["40", r#""40""#, "40.5", r#""40%""#] {
            let err = serde_json::from_str::<Points>(bare).unwrap_err().to_string();
            assert!(err.contains(r#"write "40 points" or { points = 40 }"#), "{bare}: {err}");
        }
        assert!(serde_json::from_str::<Points>(r#"{"points":40.5}"#).is_err());
        assert!(serde_json::from_str::<Points>(r#"{"points":"40.001"}"#).is_err());
        assert!(serde_json::from_str::<Points>(r#"{"point":40}"#).is_err());
        assert!(serde_json::from_str::<Points>("{}").is_err());
        assert_eq!(serde_json::from_str::<Points>(r#"{"points":-3}"#).unwrap(), Points::from(-3));
        assert_eq!(serde_json::to_string(&Points::from(40)).unwrap(), r#""40 points""#);
    }
}
