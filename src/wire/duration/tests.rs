use chrono::TimeDelta;
use proptest::prelude::*;

use super::{Clock, Parsed, format_duration, parse, parse_duration};
use crate::ErrorKind;

fn secs(s: i64) -> TimeDelta {
    TimeDelta::try_seconds(s).unwrap()
}

#[test]
fn accepts_the_compact_and_iso_forms() {
    for (text, want) in [
        ("4h", secs(14_400)),
        ("90m", secs(5_400)),
        ("45s", secs(45)),
        ("1h30m", secs(5_400)),
        ("2d", secs(172_800)),
        ("1d12h", secs(129_600)),
        ("1h05m", secs(3_900)),
        ("0s", TimeDelta::zero()),
        ("0m", TimeDelta::zero()),
        ("1.5s", TimeDelta::milliseconds(1_500)),
        ("1m0.000000001s", TimeDelta::new(60, 1).unwrap()),
        ("PT4H", secs(14_400)),
        ("PT1H30M", secs(5_400)),
        ("PT90M", secs(5_400)),
        ("P2D", secs(172_800)),
        ("P1DT12H", secs(129_600)),
        ("PT0.25S", TimeDelta::milliseconds(250)),
        ("PT86400S", secs(86_400)),
    ] {
        assert_eq!(parse_duration(text).unwrap(), want, "{text}");
    }
}

#[test]
fn writes_one_canonical_form() {
    for (d, text) in [
        (secs(14_400), "4h"),
        (secs(5_400), "1h30m"),
        (secs(45), "45s"),
        (secs(172_800), "2d"),
        (secs(129_600), "1d12h"),
        (secs(90_061), "1d1h1m1s"),
        (TimeDelta::zero(), "0s"),
        (TimeDelta::milliseconds(1_500), "1.5s"),
        (TimeDelta::new(3_600, 7).unwrap(), "1h0.000000007s"),
        (secs(-90), "-1m30s"),
    ] {
        assert_eq!(format_duration(d), text);
    }
    assert_eq!(format_duration(TimeDelta::MAX), "106751991167d7h12m55.807s");
    assert_eq!(parse_duration(&format_duration(TimeDelta::MAX)).unwrap(), TimeDelta::MAX);
}

#[test]
fn refuses_with_the_text_and_the_reason() {
    for (text, reason) in [
        ("", "is empty"),
        ("4", "needs a unit"),
        ("h", "whole number before each unit"),
        ("4x", "unknown unit"),
        ("30m1h", "largest first"),
        ("1h1h", "largest first"),
        ("1.5h", "only the seconds"),
        ("1.s", "digits after the decimal point"),
        ("0.0000000001s", "nine decimal places"),
        ("4H", "lowercase"),
        ("1h 30m", "no spaces"),
        (" 4h", "no spaces"),
        ("4h ", "no spaces"),
        ("+4h", "whole number"),
        ("2 business days", "business time"),
        ("3 schedule days", "business time"),
        ("P", "nothing after P"),
        ("PT", "nothing after PT"),
        ("P1DT", "nothing after T"),
        ("P1M", "months"),
        ("P1Y", "months"),
        ("P2W", "weeks"),
        ("P4H", "come after T"),
        ("PT1D", "unknown unit"),
        ("pt4h", "whole number"),
        ("PT4h", "unknown unit"),
        ("99999999999999999999s", "too large"),
        ("106751991168d", "too large"),
        ("9223372036854775807d", "too large"),
        ("1d1h1m1s1s", "too many units"),
    ] {
        let err = parse_duration(text).unwrap_err();
        match err.kind() {
            ErrorKind::InvalidValue { field: "duration", value, reason: why } => {
                assert_eq!(value, text);
                assert!(why.contains(reason), "{text:?}: {why}");
            }
            other => panic!("{text:?}: {other:?}"),
        }
        assert!(err.to_string().contains(&format!("{text:?}")), "{err}");
    }
    let negative = parse_duration("-4h").unwrap_err();
    assert_eq!(negative.kind(), &ErrorKind::Negative { field: "duration", value: "-4h".into() });
    // A long text is quoted cut to 64 characters.
    let long = "9".repeat(200);
    assert!(parse_duration(&long).unwrap_err().to_string().contains("..."));
}

#[test]
fn business_time_has_worded_days_and_no_bare_days() {
    let b = |t| parse(t, Clock::Business);
    assert_eq!(b("2 business days").unwrap(), Parsed::BusinessDays(2));
    assert_eq!(b("1 business day").unwrap(), Parsed::BusinessDays(1));
    assert_eq!(b("3 schedule days").unwrap(), Parsed::ScheduleDays(3));
    assert_eq!(b("1 schedule day").unwrap(), Parsed::ScheduleDays(1));
    assert_eq!(b("PT4H").unwrap(), Parsed::Time(secs(14_400)));
    assert_eq!(b("48h").unwrap(), Parsed::Time(secs(172_800)));
    for (text, reason) in [
        ("2d", "ambiguous"),
        ("P2D", "ambiguous"),
        ("1.5s", "whole seconds"),
        ("2 days", "only worded units"),
        ("2 Business days", "only worded units"),
        ("two business days", "whole number"),
        ("-1 business days", "negative"),
        ("4294967296 business days", "too many days"),
        ("2  business days", "only worded units"),
    ] {
        let err = b(text).unwrap_err().to_string();
        assert!(err.contains(reason), "{text:?}: {err}");
        assert!(err.starts_with("invalid business time") || err.starts_with("business time"), "{err}");
    }
}

#[cfg(feature = "serde")]
mod wire {
    use chrono::TimeDelta;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    pub(super) struct Def {
        #[serde(with = "crate::wire::duration")]
        pub(super) target: TimeDelta,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::wire::duration::option")]
        pub(super) window: Option<TimeDelta>,
    }

    #[test]
    fn json_and_toml() {
        let def = Def { target: TimeDelta::hours(4), window: Some(TimeDelta::days(30)) };
        let json = serde_json::to_string(&def).unwrap();
        assert_eq!(json, r#"{"target":"4h","window":"30d"}"#);
        assert_eq!(serde_json::from_str::<Def>(&json).unwrap(), def);
        let toml = toml::to_string(&def).unwrap();
        assert_eq!(toml, "target = \"4h\"\nwindow = \"30d\"\n");
        assert_eq!(toml::from_str::<Def>(&toml).unwrap(), def);
        let bare: Def = serde_json::from_str(r#"{"target":"PT1H30M"}"#).unwrap();
        assert_eq!(bare, Def { target: TimeDelta::minutes(90), window: None });
        let null: Def = serde_json::from_str(r#"{"target":"1h","window":null}"#).unwrap();
        assert_eq!(null.window, None);
    }

    #[test]
    fn refuses_numbers_maps_and_bad_text() {
        for (json, says) in [
            (r#"{"target":14400}"#, "a duration as text"),
            (r#"{"target":{"seconds":14400}}"#, "a duration as text"),
            (r#"{"target":[14400,0]}"#, "a duration as text"),
            (r#"{"target":"-4h"}"#, "duration must not be negative, got -4h"),
            (r#"{"target":"4 hours"}"#, "invalid duration \"4 hours\""),
            (r#"{"target":"1h","window":3}"#, "a duration as text"),
        ] {
            let err = serde_json::from_str::<Def>(json).unwrap_err().to_string();
            assert!(err.contains(says), "{json}: {err}");
        }
        let negative = Def { target: TimeDelta::minutes(-1), window: None };
        assert!(serde_json::to_string(&negative).unwrap_err().to_string().contains("negative"));
    }
}

/// Any duration the wire can hold: non-negative, nanosecond resolution.
pub(crate) fn any_duration() -> impl Strategy<Value = TimeDelta> {
    prop_oneof![
        (0i64..=1_000_000_000, 0u32..1_000_000_000).prop_map(|(s, n)| TimeDelta::new(s, n).unwrap()),
        (0i64..=TimeDelta::MAX.num_seconds() - 1, 0u32..1_000_000_000).prop_map(|(s, n)| TimeDelta::new(s, n).unwrap()),
        (0i64..=100_000).prop_map(|m| TimeDelta::try_minutes(m).unwrap()),
    ]
}

proptest! {
    #[test]
    fn every_duration_round_trips_through_its_text(d in any_duration()) {
        let text = format_duration(d);
        prop_assert_eq!(parse_duration(&text).unwrap(), d, "{}", text);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn every_duration_round_trips_through_json_and_toml(d in any_duration(), w in proptest::option::of(any_duration())) {
        let def = wire::Def { target: d, window: w };
        let json = serde_json::to_string(&def).unwrap();
        prop_assert_eq!(&serde_json::from_str::<wire::Def>(&json).unwrap(), &def);
        let toml = toml::to_string(&def).unwrap();
        prop_assert_eq!(&toml::from_str::<wire::Def>(&toml).unwrap(), &def);
    }

    #[test]
    fn parse_never_panics(text in "\\PC{0,24}") {
        let _ = parse(&text, Clock::Wall);
        let _ = parse(&text, Clock::Business);
    }

    #[test]
    fn parse_never_panics_near_the_grammar(text in "[-P T0-9.dhmsDHMSYW]{0,20}( (business|schedule) days?)?") {
        if let Ok(d) = parse_duration(&text) {
            prop_assert_eq!(parse_duration(&format_duration(d)).unwrap(), d);
        }
        let _ = parse(&text, Clock::Business);
    }
}
