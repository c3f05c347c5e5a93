//! JSON Schema for the values the wire writes as strings (feature `schema`).
//!
//! The derived schemas describe the structure of a definition; the units inside it are strings
//! with a grammar of their own (business time `"4h"` or `"2 business days"`, a probability
//! `"75%"`, a decimal `"12.50"`, a date `"2025-01-01"`). Each such value has a schema here: `type: string`
//! with a `pattern` that accepts what its parser accepts (as far as a regular expression can
//! say), a `description` of the grammar and `examples`. The types the crate owns implement
//! [`JsonSchema`] here; fields whose type is foreign (`rust_decimal::Decimal`,
//! `chrono::NaiveDate`, `chrono::DateTime`) or read through a `with` module point at the marker
//! types of this module with `#[schemars(with = "crate::wire::schema::Decimal")]`.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

mod rules;

/// An exact decimal as `crate::money::exact::parse` reads it: an optional sign, digits with an
/// optional `.` (at least one digit), an optional exponent.
const DECIMAL_BODY: &str = "[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?";

/// A `type: string` schema with `description`, an optional `pattern` and `examples`.
pub(crate) fn string(description: &str, pattern: Option<&str>, examples: &[&str]) -> Schema {
    let mut schema = json_schema!({ "type": "string", "description": description });
    if let Some(pattern) = pattern {
        schema.insert("pattern".into(), pattern.into());
    }
    if !examples.is_empty() {
        schema.insert("examples".into(), examples.to_vec().into());
    }
    schema
}

/// Defines a marker type whose schema is a [`string`].
macro_rules! string_schema {
    ($(#[$doc:meta])* $name:ident, $description:expr, $pattern:expr, [$($example:literal),* $(,)?]) => {
        $(#[$doc])*
        pub(crate) struct $name;

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                string($description, $pattern.as_deref(), &[$($example),*])
            }
        }
    };
}

/// The alternation of compact whole-number durations over `units` (largest first): at least
/// one unit, in order, each at most once.
fn compact(units: &[char]) -> String {
    let alternatives: Vec<String> = (0..units.len())
        .map(|first| units.iter().skip(first).enumerate().map(|(i, unit)| term(*unit, i > 0)).collect())
        .collect();
    format!("({})", alternatives.join("|"))
}

/// `[0-9]+unit`, optional when `optional`.
fn term(unit: char, optional: bool) -> String {
    if optional { format!("([0-9]+{unit})?") } else { format!("[0-9]+{unit}") }
}

/// [`compact`] where the seconds (`s` or `S`) may carry up to nine decimals, as wall-clock
/// durations do (`"1.5s"`).
fn compact_fractional(units: &[char]) -> String {
    let unit_term = |unit: char, optional: bool| {
        if unit.eq_ignore_ascii_case(&'s') {
            let t = format!("[0-9]+(\\.[0-9]{{1,9}})?{unit}");
            if optional { format!("({t})?") } else { t }
        } else {
            term(unit, optional)
        }
    };
    let alternatives: Vec<String> = (0..units.len())
        .map(|first| units.iter().skip(first).enumerate().map(|(i, unit)| unit_term(*unit, i > 0)).collect())
        .collect();
    format!("({})", alternatives.join("|"))
}

/// The pattern of a wall-clock duration ([`crate::calendar::parse_duration`]): compact units
/// d, h, m, s (a day being 24 hours), or ISO 8601 days and time.
fn wall_pattern() -> String {
    let compact_units = compact_fractional(&['d', 'h', 'm', 's']);
    let iso = compact_fractional(&['H', 'M', 'S']);
    format!("^({compact_units}|P([0-9]+D(T{iso})?|T{iso}))$")
}

string_schema!(
    /// A wall-clock duration (`chrono::TimeDelta` fields read with `crate::wire::duration`).
    WallDuration,
    "Elapsed (wall-clock) time: compact units largest first (`90d`, `36h`, `1h30m`, `1.5s`; d, h, m, s, a \
     day being 24 hours) or ISO 8601 (`P7D`, `PT168H`, `P1DT12H`). Not business time: `2 business days` \
     is refused here.",
    Some(wall_pattern()),
    ["7d", "90d", "36h", "PT168H"]
);

/// The pattern of business time ([`crate::calendar::BusinessSpan`]): compact or ISO 8601 whole
/// seconds without days, or worded business or schedule days.
fn business_pattern() -> String {
    let compact_units = compact(&['h', 'm', 's']);
    let iso = compact(&['H', 'M', 'S']);
    format!("^({compact_units}|PT{iso}|[0-9]+ (business|schedule) days?)$")
}

string_schema!(
    /// An exact decimal (`rust_decimal::Decimal` fields read with `crate::money::exact::str`).
    Decimal,
    "An exact decimal number as a string: an optional sign, digits with an optional `.`, an \
     optional exponent (`12.50`, `0.2`, `2.5e-3`). Read exactly, never through a float.",
    Some(format!("^{DECIMAL_BODY}$")),
    ["12.50", "0.2", "1000"]
);

string_schema!(
    /// A calendar date (`chrono::NaiveDate` fields).
    Date,
    "A calendar date, `YYYY-MM-DD`.",
    Some(String::from("^[+-]?[0-9]{4,}-[0-9]{2}-[0-9]{2}$")),
    ["2025-01-01"]
);

string_schema!(
    /// An instant (`chrono::DateTime<Utc>` fields).
    Instant,
    "An instant, RFC 3339 with any offset (`2026-06-06T10:00:00+02:00`, `2026-06-06T08:00:00Z`).",
    Some(String::from(
        "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$"
    )),
    ["2026-06-06T08:00:00Z"]
);

string_schema!(
    /// A calendar month, `YYYY-MM` (`agreement::VolumeMonths`).
    Month,
    "A calendar month, `YYYY-MM`.",
    Some(String::from("^[0-9]{4}-(0[1-9]|1[0-2])$")),
    ["2024-09"]
);

string_schema!(
    /// A 0-100 fit score threshold with its scale (`icp::Tier::min_score`).
    Score100,
    "A 0-100 fit score with its scale, `\"75/100\"` (up to two decimals). A bare number is refused: \
     it does not say its scale.",
    Some(format!("^\\s*{DECIMAL_BODY}\\s*/\\s*100\\s*$")),
    ["75/100", "40/100"]
);

/// The schema of an id ([`crate::id`]): a key (`a-z`, `0-9`, `_`) or an external id.
pub(crate) fn id(key: bool, kind: &str, example: &str) -> Schema {
    if key {
        string(&format!("A {kind} key: 1 to 64 characters of a-z, 0-9 and _."), Some("^[a-z0-9_]{1,64}$"), &[example])
    } else {
        let mut schema = string(
            &format!(
                "A {kind} id, as the source system spells it: 1 to 128 bytes, no control characters, \
                 no leading or trailing whitespace."
            ),
            Some("^[^\\s\\x00-\\x1f\\x7f-\\x9f]([^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f])?$"),
            &[example],
        );
        schema.insert("maxLength".into(), 128.into());
        schema
    }
}

/// The pattern of a [`Zone`](crate::calendar::Zone): `UTC`, a fixed offset, or a tz-database name.
const ZONE: &str = "^(UTC([+-][0-9]{2}:[0-9]{2})?|[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*)$";

impl JsonSchema for crate::calendar::Zone {
    fn schema_name() -> Cow<'static, str> {
        "Zone".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        string(
            "A time zone: an IANA location (`America/New_York`, `Europe/London`, DST-correct), `UTC`, \
             or a fixed offset asked for explicitly, `UTC+05:30` / `UTC-05:00` (at most 18 hours). \
             Names are case-sensitive; fixed-offset abbreviations and legacy names (`EST`, `PST`, \
             `CET`, `EST5EDT`, `Etc/GMT+5`) are refused, naming a location to use instead.",
            Some(ZONE),
            &["America/New_York", "Europe/London", "UTC", "UTC+05:30"],
        )
    }
}

impl JsonSchema for crate::calendar::WorkingWindow {
    fn schema_name() -> Cow<'static, str> {
        "WorkingWindow".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        string(
            "A stretch of working time within a local day, `HH:MM-HH:MM`: start before end, \
             `24:00` allowed as the end only.",
            Some("^([01][0-9]|2[0-3]):[0-5][0-9]-(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$"),
            &["09:00-12:30", "13:30-17:00"],
        )
    }
}

impl JsonSchema for crate::Currency {
    fn schema_name() -> Cow<'static, str> {
        "Currency".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A currency: an ISO 4217 code (`USD`, `EUR`, `JPY`), or a currency of your own with \
                its number of decimal places, `{ code = \"PTS\", exponent = 0 }`.",
            "oneOf": [
                { "type": "string", "pattern": "^[A-Z]{3}$", "examples": ["USD", "EUR"] },
                {
                    "type": "object",
                    "properties": {
                        "code": { "type": "string", "description": "The currency's code." },
                        "exponent": {
                            "type": "integer",
                            "minimum": 0,
                            "maximum": 255,
                            "description": "Its decimal places (2 for cents)."
                        }
                    },
                    "required": ["code", "exponent"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

/// The pattern of a [`Probability`](crate::Probability) written as text.
const PROBABILITY: &str = "^(0*(100(\\.0*)?|[0-9]{1,2}(\\.[0-9]*)?|\\.[0-9]+)%|0*(\\.[0-9]+|0(\\.[0-9]*)?|1(\\.0*)?))$";

impl JsonSchema for crate::Probability {
    fn schema_name() -> Cow<'static, str> {
        "Probability".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A probability: a percent from 0% to 100% (`\"75%\"`, `\"2.5%\"`) or a fraction from \
                0 to 1 (`\"0.75\"`, or the number 0.75). A bare number above 1 is refused (write `\"75%\"`).",
            "oneOf": [
                { "type": "string", "pattern": PROBABILITY, "examples": ["75%", "0.75"] },
                { "type": "number", "minimum": 0, "maximum": 1 }
            ]
        })
    }
}

impl JsonSchema for crate::calendar::BusinessSpan {
    fn schema_name() -> Cow<'static, str> {
        "BusinessSpan".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        string(
            "Business time, counted in the calendar's working hours: compact whole seconds without days \
             (`4h`, `90m`, `1h30m`, `48h`; units h, m, s, largest first), ISO 8601 without days (`PT4H`), \
             `n business days` (n working days) or `n schedule days` (n x 24 hours of working time), \
             singular or plural.",
            Some(&business_pattern()),
            &["4h", "1h30m", "2 business days", "3 schedule days"],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{BusinessSpan, WorkingWindow, Zone};
    use crate::funnel::Points;
    use crate::{Probability, StageId};

    /// Whether `schema` (of `T`) accepts the string `text`.
    fn accepts<T: JsonSchema>(text: &str) -> bool {
        let schema = T::json_schema(&mut SchemaGenerator::default()).to_value();
        jsonschema::is_valid(&schema, &serde_json::Value::from(text))
    }

    /// For each text, the schema of `T` accepts it exactly when `parse` does.
    fn agree<T: JsonSchema, V, E>(texts: &[&str], parse: impl Fn(&str) -> Result<V, E>) {
        for text in texts {
            assert_eq!(accepts::<T>(text), parse(text).is_ok(), "{text:?}");
        }
    }

    #[test]
    fn business_time_patterns_accept_what_the_parser_reads() {
        assert_eq!(compact(&['h', 'm']), "([0-9]+h([0-9]+m)?|[0-9]+m)");
        let texts = [
            "4h",
            "90m",
            "45s",
            "1h30m",
            "1h30m15s",
            "48h",
            "0s",
            "PT4H",
            "PT1H30M",
            "PT15S",
            "2 business days",
            "1 business day",
            "3 schedule days",
            "1 schedule day",
            "",
            "4",
            "4 hours",
            "2d",
            "P2D",
            "PT",
            "P1DT2H",
            "1.5s",
            "30m1h",
            "4h ",
            " 4h",
            "-4h",
            "2 working days",
            "2  business days",
            "4H",
            "pt4h",
        ];
        agree::<BusinessSpan, _, _>(&texts, str::parse::<BusinessSpan>);
        // The same texts and the wall-clock ones as wall-clock durations.
        let wall = ["7d", "90d", "1d12h", "1.5s", "0.000000001s", "P7D", "P1DT12H", "PT168H", "PT1.5S", "P", "PT", "d"];
        agree::<WallDuration, _, _>(&[&texts[..], &wall[..]].concat(), crate::calendar::parse_duration);
    }

    #[test]
    fn unit_patterns_accept_what_the_parsers_read() {
        let probabilities =
            ["75%", "0%", "100%", "2.5%", ".5%", "0.75", "1", "0", "1.0", ".25", "75", "101%", "-5%", "75 %", "x", ""];
        agree::<Probability, _, _>(&probabilities, str::parse::<Probability>);
        let points = ["40 points", "1 point", "12.5 points", "-10 points", "40  points", "40", "40points", "40%", ""];
        agree::<Points, _, _>(&points, str::parse::<Points>);
        let windows = ["09:00-17:00", "00:00-24:00", "18:00-24:00", "9:00-17:00", "24:00-24:00", "09:00-25:00", "x"];
        agree::<WorkingWindow, _, _>(&windows, str::parse::<WorkingWindow>);
        let zones = ["America/New_York", "Europe/London", "UTC", "UTC+05:30", "UTC-05:00", "Etc/UTC", "", "a b"];
        agree::<Zone, _, _>(&zones, str::parse::<Zone>);
        agree::<StageId, _, _>(&["mql", "sales_accepted", "MQL", "mql ", "", &"a".repeat(65)], |t| StageId::new(t));
        let decimals = ["12.50", "-.5", "2.5e-3", "1000", "+1", "1.", "", ".", "1,5", "1_000", "e5"];
        agree::<Decimal, _, _>(&decimals, crate::money::exact::parse);
        // Refused by the range checks only, which a pattern does not say.
        assert!(accepts::<Zone>("America/Atlantis") && "America/Atlantis".parse::<Zone>().is_err());
        assert!(accepts::<Zone>("EST") && "EST".parse::<Zone>().is_err());
    }
}
