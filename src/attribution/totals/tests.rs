use chrono::{DateTime, TimeZone, Utc};

use super::*;
use crate::JourneyId;
use crate::attribution::ColumnarBatch;
use crate::facts::{Conversion, Milestones, Touchpoint};

fn journey(id: &str, year: i32) -> Journey {
    let at = |d: u32| -> DateTime<Utc> { Utc.with_ymd_and_hms(year, 3, d, 0, 0, 0).unwrap() };
    Journey {
        id: JourneyId::new(id).unwrap(),
        account: None,
        conversion: Some(Conversion { at: at(9), value: Money::from_minor(1_001, Currency::USD) }),
        milestones: Milestones::default(),
        touches: vec![
            Touchpoint::new(at(1), ChannelId::new("email").unwrap()),
            Touchpoint::new(at(2), ChannelId::new("search").unwrap()),
        ],
    }
}

/// Issue 11 item 4 (one batch time unit): an instant past the `i64` nanosecond range
/// (2262-04-11) is refused by every entry point with the typed error, whatever the model
/// reads, and a refused journey leaves nothing behind in the buffered totals.
#[test]
fn instants_outside_the_batch_time_range_are_refused_everywhere() {
    let late = journey("late", 2300);
    for model in [Model::linear(), Model::w_shaped(), Model::time_decay(chrono::TimeDelta::days(7)).unwrap()] {
        let err = model.attribute(&late).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::InstantOutOfRange { .. }), "{err}");
        let mut totals = Totals::new(model.clone());
        let err = totals.push(&late).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::InstantOutOfRange { .. }), "{err}");
        totals.push(&journey("ok", 2024)).unwrap();
        let report = totals.finish().unwrap();
        let usd = &report.currencies[&Currency::USD];
        assert_eq!(usd.revenue, Money::from_minor(1_001, Currency::USD), "{model:?}");
        let sum: i64 = usd.by_channel.values().map(|m| m.to_minor().unwrap()).sum();
        assert_eq!(sum, 1_001);
    }
    let err = ColumnarBatch::from_journeys(Currency::USD, &[late]).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::InstantOutOfRange { .. }), "{err}");
    // 1677 is before the range too; 1678 and 2261 are inside it.
    assert!(Model::linear().attribute(&journey("early", 1677)).is_err());
    for year in [1678, 2261] {
        assert!(Model::linear().attribute(&journey("edge", year)).unwrap().is_some());
    }
}

/// The finished report with every breakdown (where the `None` rows live) round-trips through
/// JSON: maps keyed by an `Option` are written as `[key, credit]` lists.
#[cfg(feature = "serde")]
#[test]
fn a_report_with_none_rows_round_trips_through_json() {
    let mut totals = Totals::with_breakdown(Model::linear(), Breakdown::ALL);
    totals.push(&journey("a", 2024)).unwrap();
    let report = totals.finish().unwrap();
    let usd = &report.currencies[&Currency::USD];
    assert_eq!(usd.by_campaign.keys().collect::<Vec<_>>(), [&None]);
    let json = serde_json::to_string(&report).unwrap();
    assert!(json.contains(r#""by_campaign":[[null,"#), "{json}");
    assert_eq!(serde_json::from_str::<AttributionReport>(&json).unwrap(), report);
}
