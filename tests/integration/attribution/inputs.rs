//! Issue 11 item 6: the data-driven accumulators (Markov, Shapley, path tables) refuse
//! unordered touches and touches after the conversion exactly like the rule-based models, with
//! the same errors naming the journey and the touch, through every entry point that takes a
//! journey; and the row bridges only ever produce journeys that pass the same check.

use chrono::{DateTime, TimeZone, Utc};
use revops::Tally;
use revops::attribution::{
    CoalitionCounts, MarkovModel, Model, PathTable, Totals, TransitionCounts, journeys_from_paths,
    parse_aggregated_paths, weighted_journeys_from_paths,
};
use revops::facts::{Journey, Touchpoint};
use revops::{ChannelId, Currency, Error, ErrorKind, JourneyId, Money};

fn at(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 2, 1, h, 0, 0).unwrap()
}

fn ch(s: &str) -> ChannelId {
    ChannelId::new(s).unwrap()
}

fn usd(cents: i64) -> Money {
    Money::from_minor(cents, Currency::USD)
}

fn journey(id: &str, converted_at: Option<u32>, touches: &[(u32, &str)]) -> Journey {
    let id = JourneyId::new(id).unwrap();
    let mut j = match converted_at {
        Some(h) => Journey::converted(id, at(h), usd(10_000)),
        None => Journey::not_converted(id),
    };
    for &(h, c) in touches {
        j = j.with_touch(Touchpoint::new(at(h), ch(c)));
    }
    j
}

/// The cases and the error each must give, everywhere.
fn bad_journeys() -> Vec<(Journey, Error)> {
    let id = |s: &str| JourneyId::new(s).unwrap();
    vec![
        (
            journey("unsorted", Some(20), &[(1, "a"), (5, "b"), (3, "c")]),
            revops::Error::from(ErrorKind::TouchOutOfOrder { journey: id("unsorted"), index: 2 }),
        ),
        (
            journey("unsorted-open", None, &[(4, "a"), (2, "b")]),
            revops::Error::from(ErrorKind::TouchOutOfOrder { journey: id("unsorted-open"), index: 1 }),
        ),
        (
            journey("late", Some(6), &[(1, "a"), (5, "b"), (7, "c")]),
            revops::Error::from(ErrorKind::TouchAfterConversion { journey: id("late"), index: 2 }),
        ),
    ]
}

fn markov() -> TransitionCounts {
    MarkovModel::new(2).unwrap().counts(Currency::USD)
}

#[test]
fn markov_push_journey_and_tally_push_refuse_like_the_rule_based_models() {
    for (j, expected) in bad_journeys() {
        let mut counts = markov();
        assert_eq!(counts.push(&j).unwrap_err(), expected);
        assert_eq!(Tally::push(&mut counts, &j).unwrap_err(), expected);
        assert_eq!(counts.journeys(), 0, "{}: nothing counted", j.id);
    }
}

#[test]
fn shapley_push_journey_and_tally_push_refuse_like_the_rule_based_models() {
    for (j, expected) in bad_journeys() {
        let mut counts = CoalitionCounts::new(Currency::USD);
        assert_eq!(counts.push(&j).unwrap_err(), expected);
        assert_eq!(Tally::push(&mut counts, &j).unwrap_err(), expected);
        assert_eq!(counts.journeys(), 0, "{}: nothing counted", j.id);
    }
}

#[test]
fn path_table_push_journey_and_tally_push_refuse_like_the_rule_based_models() {
    for (j, expected) in bad_journeys() {
        let mut table = PathTable::new(Currency::USD);
        assert_eq!(table.push_journey(&j).unwrap_err(), expected);
        assert_eq!(Tally::push(&mut table, &j).unwrap_err(), expected);
        assert!(table.finish().unwrap().is_empty(), "{}: nothing counted", j.id);
    }
}

#[test]
fn the_rule_based_models_give_the_same_errors() {
    for (j, expected) in bad_journeys() {
        let mut totals = Totals::new(Model::linear());
        assert_eq!(totals.push(&j).unwrap_err(), expected);
        if j.is_converted() {
            assert_eq!(Model::linear().attribute(&j).unwrap_err(), expected);
        }
    }
    assert_eq!(bad_journeys()[0].1.to_string(), "touch 2 of journey `unsorted` is earlier than the touch before it");
    assert_eq!(bad_journeys()[2].1.to_string(), "touch 2 of journey `late` is after its conversion");
}

/// Once sorted (the caller's explicit choice), a journey counts as its channel sequence: the
/// result no longer depends on the order the touches arrived in.
#[test]
fn sorted_journeys_count_as_their_channel_sequence() {
    let mut j = journey("unsorted", Some(20), &[(1, "a"), (5, "b"), (3, "c"), (3, "a")]);
    j.sort_touches();
    let sequence = [ch("a"), ch("c"), ch("a"), ch("b")];
    let (mut m1, mut m2) = (markov(), markov());
    m1.push(&j).unwrap();
    m2.push_channels(&sequence, Some(usd(10_000))).unwrap();
    for m in [&mut m1, &mut m2] {
        m.push_channels(&[ch("b")], None).unwrap();
    }
    assert_eq!(m1.finish().unwrap(), m2.finish().unwrap());
    let (mut s1, mut s2) = (CoalitionCounts::new(Currency::USD), CoalitionCounts::new(Currency::USD));
    s1.push(&j).unwrap();
    s2.push_channels(&sequence, Some(usd(10_000))).unwrap();
    assert_eq!(s1.ordered().unwrap(), s2.ordered().unwrap());
    let (mut t1, mut t2) = (PathTable::new(Currency::USD), PathTable::new(Currency::USD));
    t1.push_journey(&j).unwrap();
    t2.push_channels(&sequence, Some(usd(10_000))).unwrap();
    assert_eq!(t1.finish().unwrap(), t2.finish().unwrap());
}

/// The row bridges (aggregated paths to journeys) produce journeys every entry point accepts,
/// in touch order and with every touch before the conversion.
#[test]
fn row_bridges_produce_checked_journeys() {
    let text = "path,total_conversions,total_conversion_value,total_null\n\
                a > b > a,3,100.01,2\nb,0,0,4\nc > a,1,5.00,0\n";
    let paths = parse_aggregated_paths(text, Currency::USD).unwrap();
    let journeys = journeys_from_paths(&paths, at(0)).unwrap();
    assert_eq!(journeys.len(), 10);
    let weighted = weighted_journeys_from_paths(&paths, at(0)).unwrap();
    for j in journeys.iter().chain(weighted.iter().map(|w| &w.journey)) {
        j.check().unwrap();
        let mut counts = markov();
        counts.push(j).unwrap();
        let mut table = PathTable::new(Currency::USD);
        Tally::push(&mut table, j).unwrap();
    }
    let mut sorted = paths;
    sorted.sort_by(|a, b| a.channels.cmp(&b.channels));
    assert_eq!(PathTable::new(Currency::USD).tally(&journeys).unwrap(), sorted);
}
