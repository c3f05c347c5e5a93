use chrono::{NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn zone(name: &str) -> Zone {
    name.parse().unwrap()
}

#[test]
fn fixed_and_legacy_names_are_refused_with_a_location() {
    // Regression (issue 13 item 2): "EST" was accepted and silently meant UTC-5 all year.
    for (name, instead) in [
        ("EST", "America/New_York"),
        ("MST", "America/Denver (or America/Phoenix)"),
        ("HST", "Pacific/Honolulu"),
        ("EST5EDT", "America/New_York"),
        ("CST6CDT", "America/Chicago"),
        ("MST7MDT", "America/Denver"),
        ("PST8PDT", "America/Los_Angeles"),
        ("CET", "Europe/Berlin or Europe/Paris"),
        ("PST", "America/Los_Angeles"),
        ("GMT", "Europe/London (or UTC)"),
        ("Etc/GMT+5", "the city the team works in, e.g. America/New_York"),
    ] {
        let err = name.parse::<Zone>().unwrap_err();
        match err.kind() {
            ErrorKind::NotALocationZone { name: n, instead: i, .. } => assert_eq!((n.as_str(), *i), (name, instead)),
            other => panic!("{name}: {other:?}"),
        }
        assert!(err.to_string().contains(instead), "{err}");
    }
    assert_eq!(
        "Etc/GMT+5".parse::<Zone>().unwrap_err().to_string(),
        "time zone \"Etc/GMT+5\" is a fixed UTC-05:00 offset all year (the POSIX sign is reversed); use a location \
         such as the city the team works in, e.g. America/New_York, or ask for a fixed offset explicitly, written \
         like \"UTC-05:00\""
    );
    assert!("Etc/GMT-14".parse::<Zone>().unwrap_err().to_string().contains("UTC+14:00"));
    // Not in the database at all.
    for name in ["Etc/GMT+15", "Etc/GMT+05", "Mars/Olympus", "america/new_york", "", "UTC+5"] {
        assert!(name.parse::<Zone>().is_err(), "{name}");
    }
    assert!(matches!("Etc/GMT+15".parse::<Zone>().unwrap_err().kind(), ErrorKind::UnknownTimeZone { .. }));
}

#[test]
fn every_database_name_is_a_location_or_refused_on_purpose() {
    // The tz database's names without a `/` are its legacy names: each is UTC, refused, or a
    // backward-compatible link to one location.
    let links = [
        "Cuba",
        "Egypt",
        "Eire",
        "GB",
        "GB-Eire",
        "Hongkong",
        "Iceland",
        "Iran",
        "Israel",
        "Jamaica",
        "Japan",
        "Kwajalein",
        "Libya",
        "NZ",
        "NZ-CHAT",
        "Navajo",
        "PRC",
        "Poland",
        "Portugal",
        "ROC",
        "ROK",
        "Singapore",
        "Turkey",
        "W-SU",
    ];
    for tz in chrono_tz::TZ_VARIANTS {
        let name = tz.name();
        let parsed = name.parse::<Zone>();
        let refused = matches!(parsed.as_ref().map_err(Error::kind), Err(ErrorKind::NotALocationZone { .. }));
        assert!(parsed.is_ok() || refused, "{name}: {parsed:?}");
        if names::UTC_NAMES.contains(&name) {
            assert_eq!(parsed.unwrap(), Zone::UTC);
        } else if name.starts_with("Etc/") {
            assert!(refused, "{name}");
        } else if !name.contains('/') {
            assert!(refused != links.contains(&name), "{name}");
        } else {
            assert_eq!(parsed.unwrap().tz(), Some(tz), "{name}");
        }
    }
}

#[test]
fn fixed_offsets_parse_and_print_canonically() {
    assert_eq!(zone("UTC+05:30").to_string(), "UTC+05:30");
    assert_eq!(zone("UTC-09:30").offset_at(DateTime::UNIX_EPOCH).local_minus_utc(), -(9 * 3600 + 1800));
    assert_eq!(zone("UTC+00:00"), Zone::UTC);
    assert_eq!(zone("UTC-00:00"), Zone::UTC);
    assert_eq!(zone("UTC+18:00").to_string(), "UTC+18:00");
    for bad in ["UTC+18:01", "UTC+5:30", "UTC+05:3", "UTC+05:60", "UTC+0530", "UTC+05:30 ", "UTC++5:00", "UTC-"] {
        let err = bad.parse::<Zone>().unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::InvalidValue { field: "time zone", .. }), "{bad}: {err}");
    }
    assert_eq!(format!("{:?}", zone("Asia/Kolkata")), "Zone(Asia/Kolkata)");
    assert_eq!(Zone::from_tz(chrono_tz::Asia::Tokyo).unwrap().to_string(), "Asia/Tokyo");
    assert!(Zone::from_tz(chrono_tz::EST).is_err());
    assert_eq!(Zone::UTC.tz(), Some(chrono_tz::UTC));
    assert_eq!(zone("UTC+01:00").tz(), None);
}

#[test]
fn a_new_york_day_starts_at_local_midnight_in_both_seasons() {
    let ny = zone("America/New_York");
    assert_eq!(ny.start_of_day(date(2026, 4, 1)).unwrap(), Utc.with_ymd_and_hms(2026, 4, 1, 4, 0, 0).unwrap());
    assert_eq!(ny.start_of_day(date(2026, 3, 1)).unwrap(), Utc.with_ymd_and_hms(2026, 3, 1, 5, 0, 0).unwrap());
    // The spring-forward Sunday is 23 hours long, the fall-back one 25.
    let length = |d: NaiveDate| ny.start_of_day(d.succ_opt().unwrap()).unwrap() - ny.start_of_day(d).unwrap();
    assert_eq!(length(date(2026, 3, 8)).num_hours(), 23);
    assert_eq!(length(date(2026, 11, 1)).num_hours(), 25);
}

#[test]
fn a_skipped_midnight_starts_the_day_at_the_end_of_the_gap() {
    // Havana sets clocks from 00:00 to 01:00 on the second Sunday of March.
    let havana = zone("America/Havana");
    let start = havana.start_of_day(date(2024, 3, 10)).unwrap();
    assert_eq!(start, Utc.with_ymd_and_hms(2024, 3, 10, 5, 0, 0).unwrap()); // 01:00 CDT
    assert_eq!(havana.date_of(start).unwrap(), date(2024, 3, 10));
    assert_eq!(havana.date_of(start - TimeDelta::seconds(1)).unwrap(), date(2024, 3, 9));
    // Samoa skipped 30 December 2011: the day has no instant.
    let apia = zone("Pacific/Apia");
    assert_eq!(apia.start_of_day(date(2011, 12, 30)).unwrap(), apia.start_of_day(date(2011, 12, 31)).unwrap());
}

#[test]
fn the_ends_of_time_are_errors_not_panics() {
    let all = crate::Period::all_time();
    for name in ["UTC+14:00", "UTC-14:00", "Pacific/Kiritimati", "Pacific/Pago_Pago"] {
        let z = zone(name);
        for at in [all.start(), all.end()] {
            let _ = z.date_of(at);
            let _ = z.day_number(at);
        }
        // The first midnight east of UTC precedes chrono's first instant.
        assert_eq!(z.start_of_day(NaiveDate::MIN).is_err(), z.offset_at(all.start()).local_minus_utc() > 0, "{name}");
        let _ = z.start_of_day(NaiveDate::MAX);
    }
}

const SAMPLE: [&str; 6] =
    ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Chatham", "America/Havana"];

proptest! {
    /// Day starts are strictly increasing, and every instant lies in exactly one day: the one
    /// `date_of` names.
    #[test]
    fn days_partition_time(
        name in proptest::sample::select(SAMPLE.to_vec()),
        seconds in 946_684_800_i64..2_524_608_000, // 2000 to 2050
    ) {
        let z = zone(name);
        let at = DateTime::from_timestamp(seconds, 0).unwrap();
        let d = z.date_of(at).unwrap();
        let (start, end) = (z.start_of_day(d).unwrap(), z.start_of_day(d.succ_opt().unwrap()).unwrap());
        prop_assert!(start <= at && at < end, "{name} {at}: {d} is [{start}, {end})");
        prop_assert!(z.start_of_day(d.pred_opt().unwrap()).unwrap() < start);
        prop_assert_eq!(z.day_number(at), epoch_day(d));
    }

    /// Parsing never panics, and whatever parses prints back to a name that parses to it.
    #[test]
    fn parse_never_panics(text in "\\PC{0,24}|UTC[+-][0-9:]{0,6}|[A-Z]{2,5}[0-9]?|Etc/GMT[+-][0-9]{1,3}") {
        if let Ok(z) = text.parse::<Zone>() {
            prop_assert_eq!(z.to_string().parse::<Zone>().unwrap(), z);
        }
    }
}

#[cfg(feature = "serde")]
proptest! {
    #[test]
    fn serde_round_trip(
        name in proptest::sample::select(SAMPLE.to_vec()),
        minutes in -(18 * 60_i32)..=18 * 60,
        fixed in any::<bool>(),
    ) {
        let z = if fixed { Zone::fixed(FixedOffset::east_opt(minutes * 60).unwrap()).unwrap() } else { zone(name) };
        let json = serde_json::to_string(&z).unwrap();
        prop_assert_eq!(serde_json::from_str::<Zone>(&json).unwrap(), z);
    }
}
