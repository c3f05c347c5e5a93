//! [`Probability`]: one type with an explicit scale.
//!
//! Salesforce stores an opportunity's `Probability` as a percent (0 to 100); multiply an
//! amount by that raw number and the forecast is a hundred times too big. So a probability is
//! built with a named scale and stored as a fraction in `[0, 1]`: [`Probability::from_fraction`]
//! takes a fraction, [`Probability::from_percent`] a whole percent (an integer, so
//! `from_percent(0.75)` does not compile instead of silently meaning 0.75%),
//! [`Probability::from_percent_decimal`] a decimal percent, and text says its scale itself
//! (`"75%"` or `"0.75"`, see [`Probability`]'s *Wire format*).

use core::{fmt, str::FromStr};

use rust_decimal::Decimal;

use crate::{Error, ErrorKind, Money};

/// Why a bare number above 1 is refused.
const BARE_PERCENT: &str = "a bare number is a fraction from 0 to 1: write a percent with its % sign, e.g. \"75%\"";
/// How much of a rejected text an error quotes.
const QUOTED_CHARS: usize = 64;

/// A probability, stored as a fraction in `[0, 1]`.
///
/// # Wire format
///
/// Feature `serde`. Read from a percent string with its `%` sign (`"75%"`, `"12.5%"`), a
/// fraction string (`"0.75"`) or a fraction number (`0.75`, read exactly as written, not as
/// the nearest `f64`). A bare number above 1, string or not (`75`, `"75"`), is refused with
/// [`ErrorKind::InvalidValue`] ("write a percent with its % sign, e.g. \"75%\""): it is never read as a
/// percent silently, nor as 7500%. Out of range (`"110%"`, `-0.5`) is
/// [`ErrorKind::ProbabilityOutOfRange`]; anything else (`"75 %"`, `"+75%"`, `"7.5e1%"`,
/// `true`) is an error naming the text.
///
/// Written as its [`Display`](fmt::Display), the percent string, `"75%"`: the one canonical
/// form, how people write a probability, exact (a string, so no float is involved), and what
/// [`FromStr`] reads back.
///
/// ```
/// use revops::Probability;
///
/// let p: Probability = serde_json::from_str(r#""75%""#)?;
/// assert_eq!(p, Probability::from_percent(75)?);
/// assert_eq!(serde_json::from_str::<Probability>(r#""0.75""#)?, p);
/// assert_eq!(serde_json::from_str::<Probability>("0.75")?, p);
/// assert_eq!(serde_json::to_string(&p)?, r#""75%""#); // canonical
/// let err = serde_json::from_str::<Probability>("75").unwrap_err();
/// assert!(err.to_string().contains(r#"write a percent with its % sign, e.g. "75%""#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Example
///
/// ```
/// use revops::{Currency, Money, Probability};
/// use rust_decimal_macros::dec;
///
/// let p = Probability::from_percent(25)?;
/// assert_eq!(p, Probability::from_fraction(dec!(0.25))?);
/// assert_eq!(p, "25%".parse()?);
/// assert_eq!((p.fraction(), p.percent()), (dec!(0.25), dec!(25)));
/// assert_eq!(p.to_string(), "25%");
/// let deal = Money::new(dec!(40000), Currency::USD);
/// assert_eq!(p.weight(deal)?.amount(), dec!(10000));
/// assert!(Probability::from_fraction(dec!(25)).is_err()); // a percent passed as a fraction
/// assert!("25".parse::<Probability>().is_err()); // a percent without its sign
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Probability(Decimal);

impl Probability {
    /// Certainly not (0).
    pub const ZERO: Probability = Probability(Decimal::ZERO);
    /// Certainly (1).
    pub const ONE: Probability = Probability(Decimal::ONE);

    /// A probability given as a fraction in `[0, 1]`.
    ///
    /// # Errors
    /// [`ErrorKind::ProbabilityOutOfRange`] outside `[0, 1]`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::{ErrorKind, Probability};
    /// use rust_decimal_macros::dec;
    ///
    /// let p = Probability::from_fraction(dec!(0.40))?;
    /// assert_eq!(p.fraction(), dec!(0.4)); // stored normalized
    /// assert_eq!(Probability::from_fraction(dec!(1))?, Probability::ONE);
    ///
    /// // 40 is a percent read as a fraction: refused, not clamped to 1.
    /// let err = Probability::from_fraction(dec!(40)).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::ProbabilityOutOfRange { scale: "fraction", .. }));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn from_fraction(fraction: Decimal) -> Result<Probability, Error> {
        if (Decimal::ZERO..=Decimal::ONE).contains(&fraction) {
            Ok(Probability(fraction.normalize()))
        } else {
            Err(ErrorKind::ProbabilityOutOfRange { value: fraction, scale: "fraction", max: Decimal::ONE }.into())
        }
    }

    /// A probability given as a whole percent, `0` to `100`: `from_percent(75)` is 75%.
    ///
    /// An integer on purpose: a fraction such as `0.75` does not compile here (use
    /// [`Probability::from_fraction`]), and a percent with decimals goes through
    /// [`Probability::from_percent_decimal`] or the text `"12.5%"`.
    ///
    /// # Errors
    /// [`ErrorKind::ProbabilityOutOfRange`] above 100.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::{ErrorKind, Probability};
    /// use rust_decimal_macros::dec;
    ///
    /// assert_eq!(Probability::from_percent(75)?.fraction(), dec!(0.75));
    /// let err = Probability::from_percent(110).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::ProbabilityOutOfRange { scale: "percent", .. }));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn from_percent(percent: u8) -> Result<Probability, Error> {
        if percent > 100 {
            let value = Decimal::from(percent);
            return Err(ErrorKind::ProbabilityOutOfRange { value, scale: "percent", max: Decimal::ONE_HUNDRED }.into());
        }
        Ok(Probability(Decimal::new(i64::from(percent), 2).normalize()))
    }

    /// A probability given as a decimal percent in `[0, 100]`, as Salesforce's
    /// `Opportunity.Probability` field holds it: `dec!(12.5)` is 12.5%, and `dec!(0.75)` is
    /// 0.75% (not 75%: a fraction goes to [`Probability::from_fraction`]).
    ///
    /// # Errors
    /// [`ErrorKind::ProbabilityOutOfRange`] outside `[0, 100]`; [`ErrorKind::InvalidDecimal`] if the
    /// fraction needs more than `Decimal`'s 28 decimal places (a percent with more than 26),
    /// where dividing by 100 would round.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::{ErrorKind, Probability};
    /// use rust_decimal_macros::dec;
    ///
    /// // Salesforce's Opportunity.Probability is 0 to 100.
    /// let p = Probability::from_percent_decimal(dec!(12.5))?;
    /// assert_eq!(p.fraction(), dec!(0.125));
    /// assert_eq!(p.to_string(), "12.5%");
    ///
    /// let err = Probability::from_percent_decimal(dec!(110)).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::ProbabilityOutOfRange { scale: "percent", .. }));
    /// assert!(Probability::from_percent_decimal(dec!(-5)).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn from_percent_decimal(percent: Decimal) -> Result<Probability, Error> {
        if (Decimal::ZERO..=Decimal::ONE_HUNDRED).contains(&percent) {
            let fraction = (percent / Decimal::ONE_HUNDRED).normalize();
            if fraction.checked_mul(Decimal::ONE_HUNDRED) != Some(percent) {
                return Err(ErrorKind::InvalidDecimal {
                    value: percent.to_string(),
                    reason: "has more than 26 decimal places as a percent (the fraction would round)",
                }
                .into());
            }
            Ok(Probability(fraction))
        } else {
            Err(ErrorKind::ProbabilityOutOfRange { value: percent, scale: "percent", max: Decimal::ONE_HUNDRED }.into())
        }
    }
    /// The fraction in `[0, 1]`.
    #[must_use]
    pub const fn fraction(self) -> Decimal {
        self.0
    }

    /// The percent in `[0, 100]`.
    #[must_use]
    pub fn percent(self) -> Decimal {
        (self.0 * Decimal::ONE_HUNDRED).normalize()
    }

    /// `amount * probability`: the weighted (expected) amount, exact to `Decimal` precision.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] if the product leaves `Decimal`'s range.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::{Currency, Money, Probability};
    /// use rust_decimal_macros::dec;
    ///
    /// // A $12,345.67 deal at 30%: the expected amount keeps every digit...
    /// let expected = Probability::from_percent(30)?.weight(Money::new(dec!(12345.67), Currency::USD))?;
    /// assert_eq!(expected.amount(), dec!(3703.701));
    /// // ...and rounding to cents is the caller's explicit choice.
    /// let cents = expected.round_to_minor(rust_decimal::RoundingStrategy::MidpointNearestEven);
    /// assert_eq!(cents.to_string(), "3703.70 USD");
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn weight(self, amount: Money) -> Result<Money, Error> {
        amount.checked_mul(self.0)
    }
}

impl fmt::Debug for Probability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Probability({})", self.0)
    }
}

impl fmt::Display for Probability {
    /// The percent, e.g. `25%`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.percent())
    }
}

impl FromStr for Probability {
    type Err = Error;

    /// Reads a percent with its sign, `"75%"` or `"12.5%"`, or a fraction, `"0.75"` (see the
    /// type's *Wire format*).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] for a bare number above 1 (`"75"`: a bare number is a
    /// fraction, so the message says to write `"75%"`);
    /// [`ErrorKind::ProbabilityOutOfRange`] for a percent outside `[0, 100]` or a negative
    /// fraction; [`ErrorKind::InvalidDecimal`] for more digits than `Decimal` holds exactly;
    /// [`ErrorKind::InvalidValue`] naming the text for anything else (spaces, `+`, exponents).
    fn from_str(text: &str) -> Result<Probability, Error> {
        let (number, percent) = match text.strip_suffix('%') {
            Some(number) => (number, true),
            None => (text, false),
        };
        let body = number.strip_prefix('-').unwrap_or(number);
        let digits = body.bytes().filter(u8::is_ascii_digit).count();
        let points = body.bytes().filter(|b| *b == b'.').count();
        if digits == 0 || points > 1 || digits + points != body.len() {
            return Err(ErrorKind::InvalidValue {
                field: "probability",
                value: quoted(text),
                reason: "expected a percent such as \"75%\" or a fraction from 0 to 1 such as \"0.75\"",
            }
            .into());
        }
        let value = crate::money::exact::parse(number)?;
        if percent {
            Probability::from_percent_decimal(value)
        } else if value > Decimal::ONE {
            Err(ErrorKind::InvalidValue { field: "probability", value: quoted(text), reason: BARE_PERCENT }.into())
        } else {
            Probability::from_fraction(value)
        }
    }
}

/// `text`, cut to its first [`QUOTED_CHARS`] characters for an error message.
fn quoted(text: &str) -> String {
    match text.char_indices().nth(QUOTED_CHARS) {
        Some((cut, _)) => format!("{}...", text.get(..cut).unwrap_or(text)),
        None => text.to_owned(),
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Probability {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Probability {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Probability, D::Error> {
        d.deserialize_any(Visitor)
    }
}

/// Reads the wire forms of [`Probability`]; numbers go through their shortest decimal text,
/// so `0.1` is exactly 0.1, not the nearest `f64`.
#[cfg(feature = "serde")]
struct Visitor;

#[cfg(feature = "serde")]
impl serde::de::Visitor<'_> for Visitor {
    type Value = Probability;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a probability: a percent string such as \"75%\" or a fraction such as \"0.75\" or 0.75")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Probability, E> {
        v.parse().map_err(E::custom)
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Probability, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Probability, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Probability, E> {
        // `Display` of an `f64` is its shortest exact round-trip text, never an exponent.
        self.visit_str(&v.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    #[test]
    fn scales_are_explicit() {
        assert_eq!(Probability::from_percent(80).unwrap().fraction(), dec!(0.8));
        assert_eq!(Probability::from_percent(100).unwrap(), Probability::ONE);
        assert_eq!(Probability::from_percent(0).unwrap(), Probability::ZERO);
        assert_eq!(Probability::from_fraction(dec!(0.8)).unwrap().percent(), dec!(80));
        assert_eq!(
            Probability::from_percent(101).unwrap_err().to_string(),
            "probability 101 is out of range for a percent (0 to 100)"
        );
        assert_eq!(
            Probability::from_percent_decimal(dec!(101)).unwrap_err().to_string(),
            "probability 101 is out of range for a percent (0 to 100)"
        );
        assert_eq!(
            Probability::from_fraction(dec!(-0.1)).unwrap_err().to_string(),
            "probability -0.1 is out of range for a fraction (0 to 1)"
        );
        assert_eq!(Probability::from_percent_decimal(dec!(12.5)).unwrap().to_string(), "12.5%");
        // 1e-28 percent is 1e-30 as a fraction: dividing would round it to 0.
        let tiny = Decimal::new(1, 28);
        assert!(matches!(
            Probability::from_percent_decimal(tiny).as_ref().map_err(super::super::error::Error::kind),
            Err(ErrorKind::InvalidDecimal { .. })
        ));
        assert_eq!(Probability::from_percent_decimal(Decimal::new(1, 26)).unwrap().fraction(), Decimal::new(1, 28));
    }

    #[test]
    fn parses_percent_and_fraction_text() {
        for (text, fraction) in [
            ("75%", dec!(0.75)),
            ("12.5%", dec!(0.125)),
            ("100%", dec!(1)),
            ("0%", dec!(0)),
            ("0.75", dec!(0.75)),
            ("1", dec!(1)),
            ("0", dec!(0)),
            (".5", dec!(0.5)),
            ("0.750", dec!(0.75)),
        ] {
            assert_eq!(text.parse::<Probability>().unwrap().fraction(), fraction, "{text}");
        }
    }

    #[test]
    fn refuses_a_percent_written_as_a_bare_number() {
        let err = "75".parse::<Probability>().unwrap_err().to_string();
        assert_eq!(
            err,
            r#"invalid probability "75": a bare number is a fraction from 0 to 1: write a percent with its % sign, e.g. "75%""#
        );
        for (text, says) in [
            ("1.5", r#"invalid probability "1.5": a bare number is a fraction"#),
            ("101%", "out of range for a percent"),
            ("-5%", "out of range for a percent"),
            ("-0.5", "out of range for a fraction"),
            ("", "invalid probability \"\""),
            ("%", "invalid probability \"%\""),
            ("75 %", "invalid probability \"75 %\""),
            ("+75%", "invalid probability \"+75%\""),
            ("7.5e1%", "invalid probability \"7.5e1%\""),
            ("0.75%%", "invalid probability \"0.75%%\""),
            ("seventy", "invalid probability \"seventy\""),
            ("NaN", "invalid probability \"NaN\""),
            ("1.00000000000000000000000000001", "decimal"),
        ] {
            let err = text.parse::<Probability>().unwrap_err().to_string();
            assert!(err.contains(says), "{text:?}: {err}");
        }
    }

    #[cfg(feature = "serde")]
    #[test]
    fn wire_format() {
        let p = Probability::from_percent(25).unwrap();
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"25%\"");
        assert_eq!(serde_json::from_str::<Probability>("\"25%\"").unwrap(), p);
        assert_eq!(serde_json::from_str::<Probability>("\"0.25\"").unwrap(), p);
        assert_eq!(serde_json::from_str::<Probability>("0.25").unwrap(), p);
        assert_eq!(serde_json::from_str::<Probability>("1").unwrap(), Probability::ONE);
        assert_eq!(serde_json::from_str::<Probability>("0").unwrap(), Probability::ZERO);
        assert_eq!(serde_json::from_str::<Probability>("0.1").unwrap().fraction(), dec!(0.1)); // exact, not the f64
        for (json, says) in [
            (
                "\"25\"",
                r#"invalid probability "25": a bare number is a fraction from 0 to 1: write a percent with its % sign, e.g. "75%""#,
            ),
            ("25", r#"invalid probability "25": a bare number"#),
            ("0.75e2", r#"invalid probability "75": a bare number"#),
            ("-0.25", "out of range for a fraction"),
            ("-1", "out of range for a fraction"),
            ("true", "a probability"),
            ("\"110%\"", "out of range for a percent"),
        ] {
            let err = serde_json::from_str::<Probability>(json).unwrap_err().to_string();
            assert!(err.contains(says), "{json}: {err}");
        }
    }

    #[cfg(feature = "serde")]
    #[test]
    fn toml_round_trip() {
        #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        struct Policy {
            at_risk: Probability,
        }
        let policy = Policy { at_risk: Probability::from_percent(75).unwrap() };
        let text = toml::to_string(&policy).unwrap();
        assert_eq!(text, "at_risk = \"75%\"\n");
        assert_eq!(toml::from_str::<Policy>(&text).unwrap(), policy);
        assert_eq!(toml::from_str::<Policy>("at_risk = 0.75").unwrap(), policy);
        assert_eq!(toml::from_str::<Policy>("at_risk = \"0.75\"").unwrap(), policy);
        let err = toml::from_str::<Policy>("at_risk = 75").unwrap_err().to_string();
        assert!(err.contains(r#"write a percent with its % sign, e.g. "75%""#), "{err}");
    }

    fn any_probability() -> impl Strategy<Value = Probability> {
        prop_oneof![
            (0u8..=100).prop_map(|p| Probability::from_percent(p).unwrap()),
            (0u64..=10_000_000_000, 0u32..=28).prop_filter_map("in range", |(m, s)| {
                Probability::from_fraction(Decimal::from_i128_with_scale(i128::from(m), s)).ok()
            }),
            (0u128..=10u128.pow(28), Just(28u32)).prop_map(|(m, s)| {
                Probability::from_fraction(Decimal::from_i128_with_scale(i128::try_from(m).unwrap(), s)).unwrap()
            }),
        ]
    }

    proptest! {
        #[test]
        fn every_probability_round_trips_through_its_text(p in any_probability()) {
            prop_assert_eq!(p.to_string().parse::<Probability>().unwrap(), p);
            prop_assert_eq!(p.fraction().to_string().parse::<Probability>().unwrap(), p);
        }

        #[cfg(feature = "serde")]
        #[test]
        fn every_probability_round_trips_through_json_and_toml(p in any_probability()) {
            #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
            struct Policy { at_risk: Probability }
            let policy = Policy { at_risk: p };
            let json = serde_json::to_string(&policy).unwrap();
            prop_assert_eq!(&serde_json::from_str::<Policy>(&json).unwrap(), &policy);
            let text = toml::to_string(&policy).unwrap();
            prop_assert_eq!(&toml::from_str::<Policy>(&text).unwrap(), &policy);
        }

        #[test]
        fn parse_never_panics(text in "\\PC{0,40}") {
            if let Ok(p) = text.parse::<Probability>() {
                prop_assert_eq!(p.to_string().parse::<Probability>().unwrap(), p);
            }
        }

        #[test]
        fn parse_never_panics_near_the_grammar(text in "[-+0-9.%e]{0,40}") {
            if let Ok(p) = text.parse::<Probability>() {
                prop_assert_eq!(p.to_string().parse::<Probability>().unwrap(), p);
            }
        }
    }
}
