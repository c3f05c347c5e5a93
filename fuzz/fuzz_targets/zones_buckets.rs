//! Reporting zones and calendar buckets: `Zone` parsing on arbitrary text, and `Bucket`
//! periods in DST-heavy zones at instants near the documented boundaries.
//!
//! Oracles: parsing never panics, and a parsed zone prints to a name that parses back to it;
//! the bucket `period_of` an instant contains it, is non-empty, and its neighbours touch it
//! (the next bucket starts where it ends, the previous one ends where it starts), so every
//! instant lies in exactly one bucket; `start_of` names the bucket's first local date and
//! agrees with `period_of`; `date_of` of the bucket's start is that date; no panic.
#![no_main]

use arbitrary::Arbitrary;
use chrono::TimeDelta;
use libfuzzer_sys::fuzz_target;
use revops::calendar::Zone;
use revops::metrics::Bucket;
use revops_fuzz::{Instant, ZONES};

#[derive(Arbitrary, Debug)]
enum ZoneSpec {
    /// One of the fuzz crate's DST-heavy zones (`Not/AZone` is refused).
    Known(u8),
    /// An explicit fixed offset, `UTC+HH:MM`, in and out of range.
    Fixed { negative: bool, hours: u8, minutes: u8 },
    /// Any text.
    Text(String),
}

#[derive(Arbitrary, Debug)]
struct Input {
    zone: ZoneSpec,
    buckets: Vec<(u8, Instant)>,
}

const BUCKETS: [Bucket; 5] = [Bucket::Day, Bucket::Week, Bucket::Month, Bucket::Quarter, Bucket::Year];

fuzz_target!(|input: Input| {
    let text = match input.zone {
        ZoneSpec::Known(i) => ZONES[usize::from(i) % ZONES.len()].to_owned(),
        ZoneSpec::Fixed { negative, hours, minutes } => {
            format!("UTC{}{:02}:{:02}", if negative { '-' } else { '+' }, hours % 30, minutes % 70)
        }
        ZoneSpec::Text(text) => text,
    };
    let Ok(zone) = text.parse::<Zone>() else { return };
    assert_eq!(zone.to_string().parse::<Zone>().ok(), Some(zone), "{text:?} does not round-trip");
    for (b, instant) in input.buckets.iter().take(16) {
        let Some(at) = instant.to_utc() else { continue };
        let bucket = BUCKETS[usize::from(*b) % BUCKETS.len()];
        let (Ok(key), Ok(period)) = (bucket.start_of(at, zone), bucket.period_of(at, zone)) else { continue };
        assert!(period.contains(at), "{zone} {bucket:?}: {at} not in {period:?}");
        assert!(period.start() < period.end(), "{zone} {bucket:?}: empty bucket {period:?} holds {at}");
        assert_eq!(bucket.period(key, zone).ok(), Some(period), "{zone} {bucket:?} {at}");
        assert_eq!(
            zone.date_of(period.start()).ok(),
            Some(key),
            "{zone} {bucket:?}: {period:?} starts on another date"
        );
        if let Ok(next) = bucket.period_of(period.end(), zone) {
            assert_eq!(next.start(), period.end(), "{zone} {bucket:?}: gap or overlap after {period:?}");
        }
        if let Some(before) = period.start().checked_sub_signed(TimeDelta::nanoseconds(1)) {
            if let Ok(previous) = bucket.period_of(before, zone) {
                assert_eq!(previous.end(), period.start(), "{zone} {bucket:?}: gap or overlap before {period:?}");
            }
        }
    }
});
