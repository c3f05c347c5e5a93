//! Issue 11 item 3: the attribution accumulators' partial states serialize, and a deserialized
//! state merges exactly like the original. For [`Totals`], [`Comparison`] and
//! [`ChannelTotals`]: split the facts at random cuts, tally each part, send each part's state
//! through JSON, merge the parts in a random tree order (sending every merged state through
//! JSON again): equal to one pass. Deserializing validates the definition and the sums; merging
//! states of different definitions is `ErrorKind::DefinitionMismatch`.

use chrono::{DateTime, TimeDelta, Utc};
use proptest::prelude::*;
use revops::attribution::{Breakdown, ChannelTotals, ColumnarBatch, Comparison, MissingAnchor, Model, Totals};
use revops::facts::Journey;
use revops::{ChannelId, Currency, ErrorKind, Tally};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{NAMES, journeys};
use crate::split_merge::{round_trip, split_serialize_merge};

/// The models of the other laws whose missing anchors do not fail journeys.
fn models() -> Vec<Model> {
    super::models().into_iter().filter(|m| m.options().missing_anchor != MissingAnchor::Error).collect()
}

fn check<T>(fresh: &T, facts: &[T::Fact], cuts: &[usize], picks: &[usize]) -> Result<(), TestCaseError>
where
    T: Tally + Clone + Serialize + DeserializeOwned,
    T::Fact: Sized,
    T::Output: PartialEq + std::fmt::Debug,
{
    // A journey some models refuse (no touch in the lookback window, a missing anchor under
    // the `error` policy) fails one pass and the parts alike: nothing to compare.
    let Ok(one) = round_trip(fresh).tally(facts) else {
        return Ok(());
    };
    prop_assert_eq!(split_serialize_merge(fresh, facts, cuts, picks, round_trip), one);
    Ok(())
}

fn names() -> Vec<ChannelId> {
    NAMES.iter().map(|n| ChannelId::new(*n).unwrap()).collect()
}

fn nanos(t: DateTime<Utc>) -> i64 {
    t.timestamp_nanos_opt().unwrap()
}

/// The USD journeys of `journeys` as one batch over the fixed channel table [`NAMES`].
fn batch(journeys: &[Journey]) -> ColumnarBatch {
    let table = names();
    let mut batch = ColumnarBatch::new(Currency::USD, table.clone()).unwrap();
    for j in journeys {
        if j.conversion.is_some_and(|c| c.value.currency() != Currency::USD) {
            continue;
        }
        let at: Vec<i64> = j.touches.iter().map(|t| nanos(t.at)).collect();
        let ch: Vec<u32> = j
            .touches
            .iter()
            .map(|t| u32::try_from(table.iter().position(|c| *c == t.channel).unwrap()).unwrap())
            .collect();
        let roles: Vec<u8> = j.touches.iter().map(|t| t.roles.bits()).collect();
        let m = j.milestones;
        let conversion = j.conversion.map(|c| (nanos(c.at), c.value.to_minor().unwrap()));
        let ms = [m.lead_created, m.opportunity_created, m.closed_won].map(|t| t.map(nanos));
        batch.push_journey(conversion, ms, &at, &ch, &roles).unwrap();
    }
    batch
}

fn breakdown(all: bool) -> Breakdown {
    if all { Breakdown::ALL } else { Breakdown::CHANNELS }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn totals_split_serialize_and_merge_like_one_pass(
        journeys in journeys(40),
        model in 0..models().len(),
        all in any::<bool>(),
        cuts in prop::collection::vec(any::<usize>(), 0..6),
        picks in prop::collection::vec(any::<usize>(), 1..8),
    ) {
        let fresh = Totals::with_breakdown(models()[model].clone(), breakdown(all));
        check(&fresh, &journeys, &cuts, &picks)?;
    }

    #[test]
    fn comparisons_split_serialize_and_merge_like_one_pass(
        journeys in journeys(30),
        chosen in prop::collection::vec(0..models().len(), 1..4),
        all in any::<bool>(),
        cuts in prop::collection::vec(any::<usize>(), 0..5),
        picks in prop::collection::vec(any::<usize>(), 1..8),
    ) {
        let fresh = Comparison::with_breakdown(chosen.iter().map(|&i| models()[i].clone()), breakdown(all));
        check(&fresh, &journeys, &cuts, &picks)?;
    }

    #[test]
    fn channel_totals_split_serialize_and_merge_like_one_pass(
        parts in prop::collection::vec(journeys(12), 0..6),
        model in 0..models().len(),
        cuts in prop::collection::vec(any::<usize>(), 0..4),
        picks in prop::collection::vec(any::<usize>(), 1..8),
    ) {
        let model = models()[model].clone();
        let batches: Vec<ColumnarBatch> = parts.iter().map(|p| batch(p)).collect();
        let fresh = ChannelTotals::new(model, Currency::USD, names());
        check(&fresh, &batches, &cuts, &picks)?;
    }
}

fn through_json<T: Serialize + DeserializeOwned>(t: &T) -> T {
    serde_json::from_str(&serde_json::to_string(t).unwrap()).unwrap()
}

#[test]
fn deserialized_states_of_different_definitions_do_not_merge() {
    let mismatch = |tally, field| ErrorKind::DefinitionMismatch { tally, field };
    let lookback = Model::linear().with_lookback(TimeDelta::try_days(30).unwrap()).unwrap();
    let mut t = through_json(&Totals::new(Model::linear()));
    assert_eq!(
        t.merge(through_json(&Totals::new(lookback.clone()))).unwrap_err(),
        mismatch("attribution totals", "model")
    );
    assert_eq!(
        t.merge(through_json(&Totals::with_breakdown(Model::linear(), Breakdown::ALL))).unwrap_err(),
        mismatch("attribution totals", "breakdown")
    );
    let mut c = through_json(&Comparison::new([Model::linear(), Model::w_shaped()]));
    assert_eq!(
        c.merge(through_json(&Comparison::new([Model::w_shaped(), Model::linear()]))).unwrap_err(),
        mismatch("attribution comparison", "models")
    );
    let mut ch = through_json(&ChannelTotals::new(Model::linear(), Currency::USD, names()));
    assert_eq!(
        ch.merge(through_json(&ChannelTotals::new(Model::linear(), Currency::EUR, names()))).unwrap_err(),
        mismatch("channel totals", "currency")
    );
    assert_eq!(
        ch.merge(through_json(&ChannelTotals::new(lookback, Currency::USD, names()))).unwrap_err(),
        mismatch("channel totals", "model")
    );
    assert_eq!(
        ch.merge(through_json(&ChannelTotals::new(Model::linear(), Currency::USD, names()[1..].to_vec()))).unwrap_err(),
        mismatch("channel totals", "channel table")
    );
}

#[test]
fn the_wire_shape_is_sorted_sums_in_minor_units() {
    let mut totals = Totals::new(Model::linear());
    let company = revops::testkit::Company::new(3, 200).unwrap();
    let j = company.leads().map(|l| l.journey()).find(|j| j.is_converted() && j.touches.len() > 1).unwrap();
    totals.push(&j).unwrap();
    let json = serde_json::to_value(&totals).unwrap();
    assert_eq!(json["model"]["shape"]["kind"], "linear");
    let channels = json["currencies"][0]["channels"].as_array().unwrap();
    let keys: Vec<&str> = channels.iter().map(|r| r["key"].as_str().unwrap()).collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(keys, sorted);
    assert!(channels.iter().all(|r| r["minor"].is_string()));
}

#[test]
fn deserializing_validates_the_sums() {
    let model = serde_json::to_string(&Model::linear()).unwrap();
    let totals = |currencies: &str| {
        format!(
            r#"{{"model":{model},"breakdown":{{"campaign":false,"contact":false,"account":false}},"non_converting":0,"currencies":[{currencies}]}}"#
        )
    };
    let usd = |revenue: &str, channels: &str| {
        format!(r#"{{"currency":"USD","conversions":1,"revenue":"{revenue}","channels":[{channels}]}}"#)
    };
    let ok = totals(&usd("300", r#"{"key":"a","minor":"100"},{"key":"b","minor":"200"}"#));
    assert!(serde_json::from_str::<Totals>(&ok).is_ok(), "{ok}");
    for (bad, msg) in [
        (totals(&usd("301", r#"{"key":"a","minor":"100"},{"key":"b","minor":"200"}"#)), "sum to the revenue"),
        (totals(&usd("200", r#"{"key":"a","minor":"100"},{"key":"a","minor":"100"}"#)), "appears twice"),
        (totals(&usd("0", r#"{"key":"a","minor":"-100"},{"key":"b","minor":"100"}"#)), "from 0 to 2^96 - 1"),
        (totals(&usd("-1", "")), "from 0 to 2^96 - 1"),
        (
            totals(&usd("79228162514264337593543950336", r#"{"key":"a","minor":"79228162514264337593543950336"}"#)),
            "2^96 - 1",
        ),
        (totals(&[usd("0", ""), usd("0", "")].join(",")), "listed twice"),
        (
            totals(r#"{"currency":"USD","conversions":0,"revenue":"5","channels":[{"key":"a","minor":"5"}]}"#),
            "zero without conversions",
        ),
        (
            totals(
                r#"{"currency":"USD","conversions":1,"revenue":"5","channels":[{"key":"a","minor":"5"}],"campaigns":[{"key":null,"minor":"5"}]}"#,
            ),
            "not in the breakdown",
        ),
        (ok.replace("\"linear\"", "\"linaer\""), "unknown variant"),
        (ok.replace("non_converting", "non_convertin"), "unknown field"),
    ] {
        let err = serde_json::from_str::<Totals>(&bad).unwrap_err().to_string();
        assert!(err.contains(msg), "{bad}: {err}");
    }
    let channel_totals = |revenue: &str, rows: &str| {
        format!(
            r#"{{"model":{model},"currency":"USD","channels":[{rows}],"revenue":"{revenue}","conversions":1,"non_converting":0}}"#
        )
    };
    assert!(serde_json::from_str::<ChannelTotals>(&channel_totals("5", r#"{"channel":"a","minor":"5"}"#)).is_ok());
    for (bad, msg) in [
        (channel_totals("6", r#"{"channel":"a","minor":"5"}"#), "sum to the revenue"),
        (channel_totals("10", r#"{"channel":"a","minor":"5"},{"channel":"a","minor":"5"}"#), "appears twice"),
        (channel_totals("-5", r#"{"channel":"a","minor":"-5"}"#), "from 0 to 2^96 - 1"),
    ] {
        let err = serde_json::from_str::<ChannelTotals>(&bad).unwrap_err().to_string();
        assert!(err.contains(msg), "{bad}: {err}");
    }
}
