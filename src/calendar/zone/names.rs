//! Which tz-database names are places, and what the others mean.
//!
//! The tz database also carries names that are not locations: fixed offsets (`EST`, `MST`,
//! `HST`, `Etc/GMT+5`), POSIX-rule zones kept for compatibility (`EST5EDT`, `CST6CDT`,
//! `MST7MDT`, `PST8PDT`), the old European region names (`CET`, `MET`, `EET`, `WET`) and the
//! GMT aliases. People write common abbreviations that are no zone at all (`PST`, `CEST`,
//! `AEST`). [`refusal`] names the meaning and a location to use instead for every such name;
//! every other name the database knows (`America/New_York`, `Europe/London`, and the
//! backward-compatible location links such as `US/Eastern` or `Japan`) is a place.

/// Names of UTC itself: accepted, and read as [`Zone::UTC`](super::Zone::UTC).
pub(super) const UTC_NAMES: [&str; 8] =
    ["UTC", "Etc/UTC", "UCT", "Etc/UCT", "Universal", "Etc/Universal", "Zulu", "Etc/Zulu"];

/// Why a name is not a location zone: what it means, and a location to use instead.
pub(super) struct Refusal {
    pub(super) meaning: String,
    pub(super) instead: &'static str,
}

/// `(name, meaning, instead)` for the non-location names of the tz database and the common
/// abbreviations that are not in it.
const TABLE: &[(&str, &str, &str)] = &[
    // Fixed offsets in the tz database (links to a place that never observes daylight saving).
    ("EST", "a fixed UTC-05:00 offset all year (no daylight saving)", "America/New_York"),
    ("MST", "a fixed UTC-07:00 offset all year (no daylight saving)", "America/Denver (or America/Phoenix)"),
    ("HST", "a fixed UTC-10:00 offset all year", "Pacific/Honolulu"),
    // POSIX-rule names kept for compatibility.
    ("EST5EDT", "a legacy POSIX-rule name, not a place", "America/New_York"),
    ("CST6CDT", "a legacy POSIX-rule name, not a place", "America/Chicago"),
    ("MST7MDT", "a legacy POSIX-rule name, not a place", "America/Denver"),
    ("PST8PDT", "a legacy POSIX-rule name, not a place", "America/Los_Angeles"),
    // Old European region names.
    ("CET", "a legacy region name (Central European Time), not a place", "Europe/Berlin or Europe/Paris"),
    ("MET", "a legacy region name (Middle European Time), not a place", "Europe/Berlin or Europe/Paris"),
    ("EET", "a legacy region name (Eastern European Time), not a place", "Europe/Athens or Europe/Helsinki"),
    ("WET", "a legacy region name (Western European Time), not a place", "Europe/Lisbon"),
    // GMT: UTC+0 all year, without the UK's summer time.
    ("GMT", "a fixed UTC+00:00 offset all year (no British Summer Time)", "Europe/London (or UTC)"),
    ("GMT0", "a fixed UTC+00:00 offset all year (no British Summer Time)", "Europe/London (or UTC)"),
    ("GMT+0", "a fixed UTC+00:00 offset all year (no British Summer Time)", "Europe/London (or UTC)"),
    ("GMT-0", "a fixed UTC+00:00 offset all year (no British Summer Time)", "Europe/London (or UTC)"),
    ("Greenwich", "a fixed UTC+00:00 offset all year (no British Summer Time)", "Europe/London (or UTC)"),
    ("Etc/GMT", "a fixed UTC+00:00 offset all year (no British Summer Time)", "Europe/London (or UTC)"),
    ("Etc/GMT0", "a fixed UTC+00:00 offset all year (no British Summer Time)", "Europe/London (or UTC)"),
    ("Etc/GMT+0", "a fixed UTC+00:00 offset all year (no British Summer Time)", "Europe/London (or UTC)"),
    ("Etc/GMT-0", "a fixed UTC+00:00 offset all year (no British Summer Time)", "Europe/London (or UTC)"),
    ("Etc/Greenwich", "a fixed UTC+00:00 offset all year (no British Summer Time)", "Europe/London (or UTC)"),
    // Abbreviations that are no zone at all.
    ("PST", "an abbreviation (Pacific Standard Time, UTC-08:00), not a zone", "America/Los_Angeles"),
    ("PDT", "an abbreviation (Pacific Daylight Time, UTC-07:00), not a zone", "America/Los_Angeles"),
    ("MDT", "an abbreviation (Mountain Daylight Time, UTC-06:00), not a zone", "America/Denver"),
    (
        "CST",
        "an ambiguous abbreviation (US Central or China Standard Time), not a zone",
        "America/Chicago or Asia/Shanghai",
    ),
    ("CDT", "an abbreviation (Central Daylight Time, UTC-05:00), not a zone", "America/Chicago"),
    ("EDT", "an abbreviation (Eastern Daylight Time, UTC-04:00), not a zone", "America/New_York"),
    ("AKST", "an abbreviation (Alaska Standard Time, UTC-09:00), not a zone", "America/Anchorage"),
    ("AKDT", "an abbreviation (Alaska Daylight Time, UTC-08:00), not a zone", "America/Anchorage"),
    (
        "AST",
        "an ambiguous abbreviation (Atlantic or Arabia Standard Time), not a zone",
        "America/Halifax or Asia/Riyadh",
    ),
    ("ADT", "an abbreviation (Atlantic Daylight Time, UTC-03:00), not a zone", "America/Halifax"),
    ("NST", "an abbreviation (Newfoundland Standard Time, UTC-03:30), not a zone", "America/St_Johns"),
    ("BST", "an abbreviation (British Summer Time, UTC+01:00), not a zone", "Europe/London"),
    (
        "IST",
        "an ambiguous abbreviation (India, Irish or Israel Standard Time), not a zone",
        "Asia/Kolkata, Europe/Dublin or Asia/Jerusalem",
    ),
    ("CEST", "an abbreviation (Central European Summer Time, UTC+02:00), not a zone", "Europe/Berlin or Europe/Paris"),
    (
        "EEST",
        "an abbreviation (Eastern European Summer Time, UTC+03:00), not a zone",
        "Europe/Athens or Europe/Helsinki",
    ),
    ("WEST", "an abbreviation (Western European Summer Time, UTC+01:00), not a zone", "Europe/Lisbon"),
    ("MSK", "an abbreviation (Moscow Time, UTC+03:00), not a zone", "Europe/Moscow"),
    ("JST", "an abbreviation (Japan Standard Time, UTC+09:00), not a zone", "Asia/Tokyo"),
    ("KST", "an abbreviation (Korea Standard Time, UTC+09:00), not a zone", "Asia/Seoul"),
    ("HKT", "an abbreviation (Hong Kong Time, UTC+08:00), not a zone", "Asia/Hong_Kong"),
    ("SGT", "an abbreviation (Singapore Time, UTC+08:00), not a zone", "Asia/Singapore"),
    (
        "AEST",
        "an abbreviation (Australian Eastern Standard Time, UTC+10:00), not a zone",
        "Australia/Sydney or Australia/Brisbane",
    ),
    ("AEDT", "an abbreviation (Australian Eastern Daylight Time, UTC+11:00), not a zone", "Australia/Sydney"),
    (
        "ACST",
        "an abbreviation (Australian Central Standard Time, UTC+09:30), not a zone",
        "Australia/Adelaide or Australia/Darwin",
    ),
    ("AWST", "an abbreviation (Australian Western Standard Time, UTC+08:00), not a zone", "Australia/Perth"),
    ("NZST", "an abbreviation (New Zealand Standard Time, UTC+12:00), not a zone", "Pacific/Auckland"),
    ("NZDT", "an abbreviation (New Zealand Daylight Time, UTC+13:00), not a zone", "Pacific/Auckland"),
    ("SAST", "an abbreviation (South Africa Standard Time, UTC+02:00), not a zone", "Africa/Johannesburg"),
    ("BRT", "an abbreviation (Brasília Time, UTC-03:00), not a zone", "America/Sao_Paulo"),
];

/// Why `name` is not a location zone, if it is not.
pub(super) fn refusal(name: &str) -> Option<Refusal> {
    if let Some(&(_, meaning, instead)) = TABLE.iter().find(|(n, _, _)| *n == name) {
        return Some(Refusal { meaning: meaning.to_owned(), instead });
    }
    // `Etc/GMT+5` is five hours *behind* UTC: the POSIX sign is the reverse of ISO 8601's.
    let rest = name.strip_prefix("Etc/GMT")?;
    let (sign, hours) = match rest.split_at_checked(1)? {
        ("+", hours) => ('-', hours),
        ("-", hours) => ('+', hours),
        _ => return None,
    };
    let hours: u8 = hours.parse().ok().filter(|h| (1..=14).contains(h) && !hours.starts_with('0'))?;
    Some(Refusal {
        meaning: format!("a fixed UTC{sign}{hours:02}:00 offset all year (the POSIX sign is reversed)"),
        instead: "the city the team works in, e.g. America/New_York",
    })
}
