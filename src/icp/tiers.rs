//! [`Tiers`]: named score thresholds, best tier first, inclusive lower bounds.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::{Error, ErrorKind};

/// One tier: a name and the lowest score (inclusive) that reaches it.
///
/// # Wire format
///
/// `{ "name": "A", "min_score": "75/100" }`: the threshold is a 0-100 fit score (the ICP's
/// normalised [`FitScore::score`](crate::icp::FitScore::score)) and says so, `"75/100"` or
/// `"62.5/100"` (spaces around the `/` allowed). A bare number (`75`, `"75"`), a percent
/// (`"75%"`) or scoring-model points (`"75 points"`) is refused with a message naming the
/// form. It serializes as `"75/100"`.
///
/// ```
/// use revops::icp::Tier;
/// use rust_decimal_macros::dec;
///
/// let tier: Tier = serde_json::from_str(r#"{ "name": "A", "min_score": "75/100" }"#)?;
/// assert_eq!(tier, Tier { name: "A".into(), min_score: dec!(75) });
/// assert_eq!(serde_json::to_string(&tier)?, r#"{"name":"A","min_score":"75/100"}"#);
/// let bare = serde_json::from_str::<Tier>(r#"{ "name": "A", "min_score": 75 }"#);
/// let err = bare.err().map(|e| e.to_string()).unwrap_or_default();
/// assert!(err.starts_with(r#"invalid tier threshold "75": a 0-100 fit score says its scale: write "75/100""#), "{err}");
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// # Example
///
/// ```
/// use revops::icp::{Tier, Tiers};
/// use rust_decimal_macros::dec;
///
/// let first = Tiers::letters().as_slice().first().cloned();
/// assert_eq!(first, Some(Tier { name: "A".into(), min_score: dec!(75) }));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Tier {
    /// The tier's name, e.g. `A` or `very_good`.
    pub name: String,
    /// The lowest normalised score (0 to 100, at most two decimals) in the tier, inclusive.
    #[cfg_attr(feature = "serde", serde(with = "score_100"))]
    #[cfg_attr(feature = "schema", schemars(with = "crate::wire::schema::Score100"))]
    pub min_score: Decimal,
}

/// The message for a tier threshold written without its scale.
#[cfg(feature = "serde")]
const EXPECTED: &str = "a 0-100 fit score says its scale: write \"75/100\"";

/// `"75/100"` (spaces around the `/` allowed) as the 0-100 score 75.
///
/// # Errors
/// [`ErrorKind::InvalidValue`] naming the expected form for a text without `/100`;
/// [`ErrorKind::InvalidDecimal`] for a number that is not an exact decimal.
#[cfg(feature = "serde")]
fn parse_score_100(text: &str) -> Result<Decimal, Error> {
    let unscaled = || ErrorKind::InvalidValue { field: "tier threshold", value: text.to_owned(), reason: EXPECTED };
    let (number, scale) = text.split_once('/').ok_or_else(unscaled)?;
    if scale.trim() != "100" {
        return Err(unscaled().into());
    }
    crate::money::exact::parse(number.trim())
}

/// Serde `with` module for a 0-100 fit score threshold: `"75/100"` (see [`Tier`]).
#[cfg(feature = "serde")]
mod score_100 {
    use core::fmt;

    use rust_decimal::Decimal;
    use serde::de::{self, Visitor};
    use serde::{Deserializer, Serializer};

    use crate::ErrorKind;

    pub(super) fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("{}/100", value.normalize()))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        d.deserialize_any(Score100)
    }

    struct Score100;

    fn unscaled<E: de::Error>(text: String) -> E {
        E::custom(ErrorKind::InvalidValue { field: "tier threshold", value: text, reason: super::EXPECTED })
    }

    impl Visitor<'_> for Score100 {
        type Value = Decimal;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(r#"a 0-100 fit score with its scale, e.g. "75/100""#)
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
            super::parse_score_100(v).map_err(E::custom)
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
            Err(unscaled(v.to_string()))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
            Err(unscaled(v.to_string()))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
            Err(unscaled(v.to_string()))
        }
    }
}

/// Tier thresholds as data: tiers from best to worst with strictly decreasing inclusive lower
/// bounds.
///
/// A score `s` is in the first tier (best first) whose `min_score <= s`. `MadKudu`'s "very good
/// 85 to 100, good 70 to 84" reads as `very_good` from 85 and `good` from 70: a score of exactly
/// 85 is very good, 84.99 is good.
///
/// **Ungraded scores.** When the lowest tier starts at 0 (every preset does) every score has a
/// tier. A scheme may instead start its lowest grade above 0, as lead grades that only name
/// the leads worth naming do (`MadKudu`-style `very_good` 85, `good` 70, `medium` 50 and nothing
/// below): a score under the lowest threshold is then **ungraded**, [`Tiers::tier_of`] returns
/// `None` and [`FitScore::tier`](crate::icp::FitScore::tier) is `None`. Ungraded is not a
/// tier: it has no name, no rank and no row of its own in per-tier reports, and
/// [`Tiers::grades_every_score`] says whether a scheme can produce it.
///
/// Presets: [`Tiers::letters`] (the default, A/B/C/D from 75/50/25/0: our rule, quartiles of
/// the scale), [`Tiers::madkudu`] (very good 85, good 70, medium 50, low 0) and
/// [`Tiers::sixsense`] (strong 81, moderate 50, weak 0).
///
/// # Wire format
///
/// A list of [`Tier`]s, best first, each threshold a 0-100 fit score written `"N/100"`;
/// deserializing validates like [`Tiers::new`]. The last tier's threshold is the lowest grade:
/// `"0/100"` grades every score, a higher one leaves the scores below it ungraded. In TOML, an array of tables:
///
/// ```toml
/// [[tiers]]
/// name = "strong"
/// min_score = "81/100"
///
/// [[tiers]]
/// name = "moderate"
/// min_score = "50/100"
///
/// [[tiers]]
/// name = "weak"
/// min_score = "0/100"
/// ```
///
/// ```
/// use revops::icp::Tiers;
///
/// let json = r#"[
///     { "name": "strong", "min_score": "81/100" },
///     { "name": "moderate", "min_score": "50/100" },
///     { "name": "weak", "min_score": "0/100" }
/// ]"#;
/// assert_eq!(serde_json::from_str::<Tiers>(json)?, Tiers::sixsense());
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// # Example
///
/// ```
/// use revops::icp::Tiers;
/// use rust_decimal_macros::dec;
///
/// let tiers = Tiers::madkudu();
/// assert_eq!(tiers.name(tiers.tier_of(dec!(85))), Some("very_good"));
/// assert_eq!(tiers.name(tiers.tier_of(dec!(84.99))), Some("good"));
/// let custom = Tiers::new([("tier_1", dec!(80)), ("tier_2", dec!(40)), ("tier_3", dec!(0))])?;
/// assert_eq!(custom.len(), 3);
/// // Lead grades from 50 up: everything under 50 is ungraded.
/// let grades = Tiers::new([("very_good", dec!(85)), ("good", dec!(70)), ("medium", dec!(50))])?;
/// assert_eq!(grades.name(grades.tier_of(dec!(50))), Some("medium"));
/// assert_eq!(grades.tier_of(dec!(49.99)), None);
/// assert!(!grades.grades_every_score());
/// assert!(Tiers::new([("hot", dec!(40)), ("warm", dec!(60)), ("cold", dec!(0))]).is_err());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "Vec<Tier>", into = "Vec<Tier>")
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Tiers {
    tiers: Vec<Tier>,
    /// `min_score * 100` per tier, for integer comparisons in the scoring loop.
    hundredths: Vec<u64>,
}

impl Tiers {
    /// Validated tiers from `(name, min_score)` pairs, best first.
    ///
    /// # Errors
    /// - [`ErrorKind::InvalidValue`] if there are no tiers, a name is empty or repeated, or a
    ///   threshold is outside 0 to 100 or has more than two decimals (the last tier may start
    ///   above 0: scores below it are ungraded);
    /// - [`ErrorKind::ThresholdsOutOfOrder`] if thresholds are not strictly decreasing.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::Tiers;
    /// use rust_decimal_macros::dec;
    ///
    /// let tiers = Tiers::new([("hot", dec!(70)), ("warm", dec!(40.5)), ("cold", dec!(0))])?;
    /// assert_eq!(tiers.name(tiers.tier_of(dec!(40.5))), Some("warm"));
    /// let graded = Tiers::new([("hot", dec!(70)), ("warm", dec!(40))])?; // below 40: ungraded
    /// assert_eq!((graded.tier_of(dec!(40)), graded.tier_of(dec!(39.99))), (Some(1), None));
    /// let err = Tiers::new([("hot", dec!(40)), ("warm", dec!(70))]).err().map(|e| e.to_string());
    /// assert_eq!(err.as_deref(), Some("tier thresholds out of order: 70 after 40"));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new<I, S>(tiers: I) -> Result<Tiers, Error>
    where
        I: IntoIterator<Item = (S, Decimal)>,
        S: Into<String>,
    {
        Tiers::from_tiers(tiers.into_iter().map(|(name, min_score)| Tier { name: name.into(), min_score }).collect())
    }

    fn from_tiers(tiers: Vec<Tier>) -> Result<Tiers, Error> {
        let invalid = |tier: &str, reason| ErrorKind::InvalidValue { field: "tier", value: tier.to_owned(), reason };
        let mut names = BTreeSet::new();
        let mut hundredths = Vec::with_capacity(tiers.len());
        let mut previous: Option<Decimal> = None;
        for tier in &tiers {
            if tier.name.trim().is_empty() {
                return Err(crate::Error::from(invalid(&tier.name, "the name must not be empty")));
            }
            if !names.insert(tier.name.as_str()) {
                return Err(crate::Error::from(invalid(&tier.name, "the name is used twice")));
            }
            let t = tier.min_score;
            let scaled = t.checked_mul(Decimal::ONE_HUNDRED).filter(|s| s.fract().is_zero()).and_then(|s| s.to_u64());
            let Some(scaled) = scaled.filter(|_| t >= Decimal::ZERO && t <= Decimal::ONE_HUNDRED) else {
                return Err(crate::Error::from(invalid(
                    &tier.name,
                    "the threshold must be from 0 to 100 with at most two decimals",
                )));
            };
            if let Some(prev) = previous
                && t >= prev
            {
                return Err(ErrorKind::ThresholdsOutOfOrder { field: "tier", previous: prev, next: t }.into());
            }
            previous = Some(t);
            hundredths.push(scaled);
        }
        if tiers.is_empty() {
            return Err(crate::Error::from(invalid("", "at least one tier is required")));
        }
        Ok(Tiers { tiers, hundredths })
    }

    fn preset(tiers: &[(&str, i64)]) -> Tiers {
        let tiers: Vec<Tier> =
            tiers.iter().map(|&(name, t)| Tier { name: name.to_owned(), min_score: Decimal::from(t) }).collect();
        let hundredths = tiers.iter().map(|t| t.min_score.to_u64().unwrap_or(0) * 100).collect();
        Tiers { tiers, hundredths }
    }

    /// A/B/C/D from 75, 50, 25 and 0 (our default: quartiles of the 0 to 100 scale).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::Tiers;
    /// use rust_decimal_macros::dec;
    ///
    /// let tiers = Tiers::letters();
    /// assert_eq!(tiers.name(tiers.tier_of(dec!(75))), Some("A"));
    /// assert_eq!(tiers.name(tiers.tier_of(dec!(74.99))), Some("B"));
    /// ```
    #[must_use]
    pub fn letters() -> Tiers {
        Tiers::preset(&[("A", 75), ("B", 50), ("C", 25), ("D", 0)])
    }

    /// `MadKudu`-style segments: `very_good` 85 to 100, `good` 70 to 84, `medium` 50 to 69,
    /// `low` 0 to 49.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::Tiers;
    /// use rust_decimal_macros::dec;
    ///
    /// let tiers = Tiers::madkudu();
    /// assert_eq!(tiers.name(tiers.tier_of(dec!(70))), Some("good"));
    /// assert_eq!(tiers.len(), 4);
    /// ```
    #[must_use]
    pub fn madkudu() -> Tiers {
        Tiers::preset(&[("very_good", 85), ("good", 70), ("medium", 50), ("low", 0)])
    }

    /// 6sense-style profile fit: `strong` 81 to 100, `moderate` 50 to 80, `weak` 0 to 49.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::Tiers;
    /// use rust_decimal_macros::dec;
    ///
    /// let tiers = Tiers::sixsense();
    /// assert_eq!(tiers.name(tiers.tier_of(dec!(80.99))), Some("moderate"));
    /// assert_eq!(tiers.len(), 3);
    /// ```
    #[must_use]
    pub fn sixsense() -> Tiers {
        Tiers::preset(&[("strong", 81), ("moderate", 50), ("weak", 0)])
    }

    /// The tiers, best first.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::Tiers;
    ///
    /// let tiers = Tiers::sixsense();
    /// let names: Vec<&str> = tiers.as_slice().iter().map(|t| t.name.as_str()).collect();
    /// assert_eq!(names, ["strong", "moderate", "weak"]);
    /// ```
    #[must_use]
    pub fn as_slice(&self) -> &[Tier] {
        &self.tiers
    }

    /// Number of tiers.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::Tiers;
    ///
    /// assert_eq!(Tiers::letters().len(), 4);
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.tiers.len()
    }

    /// Always false: there is at least one tier.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::Tiers;
    ///
    /// assert!(!Tiers::letters().is_empty()); // a valid set of tiers never is
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.tiers.is_empty()
    }

    /// Name of the tier at `index` (0 = best); `None` for an index past the last tier or an
    /// ungraded score. Takes an index or what [`Tiers::tier_of`] returns (`Option<usize>`,
    /// `None` for ungraded).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::Tiers;
    ///
    /// let tiers = Tiers::letters();
    /// assert_eq!((tiers.name(0), tiers.name(3), tiers.name(4)), (Some("A"), Some("D"), None));
    /// assert_eq!(tiers.name(None), None); // ungraded
    /// ```
    #[must_use]
    pub fn name(&self, index: impl Into<Option<usize>>) -> Option<&str> {
        self.tiers.get(index.into()?).map(|t| t.name.as_str())
    }

    /// Whether every score from 0 to 100 has a tier: the lowest tier starts at 0. When false,
    /// scores below the lowest threshold are ungraded (see the type's documentation).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::Tiers;
    /// use rust_decimal_macros::dec;
    ///
    /// assert!(Tiers::madkudu().grades_every_score());
    /// assert!(!Tiers::new([("good", dec!(70)), ("medium", dec!(50))])?.grades_every_score());
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn grades_every_score(&self) -> bool {
        self.tiers.last().is_some_and(|t| t.min_score.is_zero())
    }

    /// Index of the lowest tier (the worst grade; it starts at 0 unless scores below it are
    /// ungraded).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::Tiers;
    ///
    /// let tiers = Tiers::madkudu();
    /// assert_eq!(tiers.name(tiers.lowest()), Some("low"));
    /// ```
    #[must_use]
    pub fn lowest(&self) -> usize {
        self.tiers.len().saturating_sub(1)
    }

    /// Index (0 = best) of the tier of `score`: the first whose `min_score <= score`; `None`
    /// when `score` is below the lowest threshold (ungraded; never for a scheme whose lowest
    /// tier starts at 0 and a score of 0 or more).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::Tiers;
    /// use rust_decimal_macros::dec;
    ///
    /// let tiers = Tiers::letters();
    /// assert_eq!(tiers.tier_of(dec!(100)), Some(0));
    /// assert_eq!(tiers.tier_of(dec!(25)), Some(2)); // lower bounds are inclusive
    /// assert_eq!(tiers.tier_of(dec!(24.99)), Some(3));
    /// let grades = Tiers::new([("good", dec!(70)), ("medium", dec!(50))])?;
    /// assert_eq!((grades.tier_of(dec!(50)), grades.tier_of(dec!(49.99))), (Some(1), None));
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn tier_of(&self, score: Decimal) -> Option<usize> {
        self.tiers.iter().position(|t| t.min_score <= score)
    }

    /// Tier of a score given in hundredths (the scoring loop's integer form).
    pub(crate) fn tier_of_hundredths(&self, score: u64) -> Option<usize> {
        self.hundredths.iter().position(|&t| t <= score)
    }
}

impl Default for Tiers {
    fn default() -> Tiers {
        Tiers::letters()
    }
}

impl TryFrom<Vec<Tier>> for Tiers {
    type Error = Error;
    fn try_from(tiers: Vec<Tier>) -> Result<Tiers, Error> {
        Tiers::from_tiers(tiers)
    }
}

impl From<Tiers> for Vec<Tier> {
    fn from(tiers: Tiers) -> Vec<Tier> {
        tiers.tiers
    }
}

#[cfg(test)]
mod tests;
