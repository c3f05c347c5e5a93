//! Laws of attribution: every model conserves the value to the cent, never panics, and the
//! row, accumulator, threaded and columnar forms agree.

mod inputs;
#[cfg(feature = "serde")]
mod state;

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;
use revops::Tally;
use revops::attribution::{
    Breakdown, ChannelTotals, ColumnarBatch, Comparison, CustomWeights, DecayCurve, LinearPer, MiddleSpan,
    MissingAnchor, Model, Options, Shape, ShortJourney, Stacking, Totals, UPreset,
};
use revops::facts::{Conversion, Journey, Milestones, Role, Roles, Touchpoint};
use revops::money::allocate_minor;
use revops::testkit::Company;
use revops::{CampaignId, ChannelId, ContactId, Currency, Error, ErrorKind, JourneyId, Money};
use rust_decimal_macros::dec;

const NAMES: [&str; 5] = ["direct", "email", "paid_search", "webinar", "organic"];

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap()
}

/// Every model the crate ships, with option variants.
fn models() -> Vec<Model> {
    let days = |d| TimeDelta::try_days(d).unwrap();
    let custom = CustomWeights {
        first: dec!(10),
        last: dec!(15),
        first_touch: dec!(5),
        lead_creation: dec!(20),
        opportunity_creation: dec!(12.5),
        closed_won: dec!(7.5),
        middle: dec!(30),
    };
    vec![
        Model::first_touch(),
        Model::last_touch(),
        Model::last_non_direct(),
        Model::lead_creation(),
        Model::linear(),
        Model::new(Shape::Linear { per: LinearPer::Channel }, Options::default()).unwrap(),
        Model::position_based(),
        Model::new(Shape::PositionBased { first: dec!(30), last: dec!(50) }, Options::default()).unwrap(),
        Model::u_shaped(UPreset::Hubspot),
        Model::u_shaped(UPreset::Marketo),
        Model::w_shaped(),
        Model::full_path(),
        Model::j_shaped(),
        Model::inverse_j(),
        Model::time_decay(days(7)).unwrap(),
        Model::new(Shape::TimeDecay { half_life: days(7), curve: DecayCurve::Step }, Options::default()).unwrap(),
        Model::new(Shape::Custom { weights: custom }, Options::default()).unwrap(),
        Model::w_shaped().with_missing_anchor(MissingAnchor::RollToLatest),
        Model::full_path().with_missing_anchor(MissingAnchor::Error),
        Model::w_shaped().with_stacking(Stacking::Single),
        Model::j_shaped().with_short_journey(ShortJourney::SplitMiddleEvenly),
        Model::w_shaped().with_lookback(days(30)).unwrap(),
        Model::linear().excluding(ChannelId::new("direct").unwrap()),
        // The middle share over a span between two roles only (Marketo Measure's rule).
        Model::u_shaped(UPreset::Hubspot)
            .with_middle_span(MiddleSpan::Between { from: Role::FirstTouch, to: Role::LeadCreation })
            .unwrap(),
        Model::w_shaped()
            .with_short_journey(ShortJourney::SplitMiddleEvenly)
            .with_middle_span(MiddleSpan::Between { from: Role::FirstTouch, to: Role::OpportunityCreation })
            .unwrap(),
        Model::full_path()
            .with_missing_anchor(MissingAnchor::RollToLatest)
            .with_middle_span(MiddleSpan::Between { from: Role::LeadCreation, to: Role::ClosedWon })
            .unwrap(),
    ]
}

fn model_index() -> impl Strategy<Value = usize> {
    0..models().len()
}

/// A touch at `secs` after t0 with random channel, campaign, contact and roles.
fn touch() -> impl Strategy<Value = (i64, usize, bool, u8, u8)> {
    (0i64..10_000_000, 0..NAMES.len(), any::<bool>(), 0u8..3, 0u8..16)
}

fn build_touch((secs, c, campaign, contact, roles): (i64, usize, bool, u8, u8)) -> Touchpoint {
    let mut t = Touchpoint::new(t0() + TimeDelta::try_seconds(secs).unwrap(), ChannelId::new(NAMES[c]).unwrap());
    if campaign {
        t = t.with_campaign(CampaignId::new(format!("{}-q1", NAMES[c])).unwrap());
    }
    if contact > 0 {
        t = t.with_contact(ContactId::new(format!("c{contact}")).unwrap());
    }
    t.roles = Roles::from_bits(roles);
    t
}

/// Arbitrary journeys (0 to 200 touches, random roles and timestamps, values up to 10^12 major
/// units), possibly invalid.
fn arbitrary_journey() -> impl Strategy<Value = Journey> {
    (
        prop::collection::vec(touch(), 0..200),
        any::<bool>(),
        -5i64..1_000_000_000_000_000,
        0i64..12_000_000,
        prop::array::uniform3(prop::option::of(0i64..12_000_000)),
        any::<bool>(),
    )
        .prop_map(|(touches, converted, cents, conv, ms, sorted)| {
            let mut touches: Vec<Touchpoint> = touches.into_iter().map(build_touch).collect();
            if sorted {
                touches.sort_by_key(|t| t.at);
            }
            let at = |s: i64| t0() + TimeDelta::try_seconds(s).unwrap();
            Journey {
                id: JourneyId::new("j").unwrap(),
                account: None,
                conversion: converted
                    .then(|| Conversion { at: at(conv), value: Money::from_minor(cents, Currency::USD) }),
                milestones: Milestones {
                    lead_created: ms[0].map(at),
                    opportunity_created: ms[1].map(at),
                    closed_won: ms[2].map(at),
                },
                touches,
            }
        })
}

/// Valid converting journeys (1 to 60 touches, in order, converting after the last touch).
fn valid_journey(id: usize) -> impl Strategy<Value = Journey> {
    (
        prop::collection::vec(touch(), 1..60),
        prop_oneof![0i64..5_000_000, 0i64..100_000_000_000],
        0i64..3_000_000,
        prop::array::uniform3(prop::option::of(0i64..10_000_000)),
        0u8..3,
        prop_oneof![Just(Currency::USD), Just(Currency::EUR), Just(Currency::JPY)],
    )
        .prop_map(move |(touches, cents, after, ms, account, currency)| {
            let mut touches: Vec<Touchpoint> = touches.into_iter().map(build_touch).collect();
            touches.sort_by_key(|t| t.at);
            let last = touches.last().unwrap().at;
            let at = |s: i64| t0() + TimeDelta::try_seconds(s).unwrap();
            Journey {
                id: JourneyId::new(format!("j{id}")).unwrap(),
                account: (account > 0).then(|| revops::AccountId::new(format!("a{account}")).unwrap()),
                conversion: Some(Conversion {
                    at: last + TimeDelta::try_seconds(after).unwrap(),
                    value: Money::from_minor(cents, currency),
                }),
                milestones: Milestones {
                    lead_created: ms[0].map(at),
                    opportunity_created: ms[1].map(at),
                    closed_won: ms[2].map(at),
                },
                touches,
            }
        })
}

fn journeys(max: usize) -> impl Strategy<Value = Vec<Journey>> {
    prop::collection::vec(0usize..1, 0..max).prop_flat_map(|v| {
        let strategies: Vec<_> =
            (0..v.len()).map(|i| prop_oneof![4 => valid_journey(i), 1 => not_converted(i)]).collect();
        strategies
    })
}

fn not_converted(id: usize) -> impl Strategy<Value = Journey> {
    prop::collection::vec(touch(), 0..10).prop_map(move |touches| {
        let mut touches: Vec<Touchpoint> = touches.into_iter().map(build_touch).collect();
        touches.sort_by_key(|t| t.at);
        Journey { touches, ..Journey::not_converted(JourneyId::new(format!("n{id}")).unwrap()) }
    })
}

/// Non-zero channel totals per currency, from either form.
type ChannelMap = BTreeMap<ChannelId, i64>;

fn row_totals(model: &Model, journeys: &[Journey]) -> Result<BTreeMap<Currency, ChannelMap>, Error> {
    let mut totals = Totals::new(model.clone());
    for j in journeys {
        totals.push(j)?;
    }
    let report = totals.finish()?;
    Ok(report
        .currencies
        .iter()
        .map(|(c, t)| {
            let m = t.by_channel.iter().map(|(k, v)| (k.clone(), v.to_minor().unwrap())).filter(|(_, v)| *v != 0);
            (*c, m.collect())
        })
        .collect())
}

fn columnar_totals(model: &Model, journeys: &[Journey]) -> Result<BTreeMap<Currency, ChannelMap>, Error> {
    let mut out = BTreeMap::new();
    for currency in [Currency::USD, Currency::EUR, Currency::JPY] {
        let mine: Vec<Journey> =
            journeys.iter().filter(|j| j.conversion.is_some_and(|c| c.value.currency() == currency)).cloned().collect();
        if mine.is_empty() {
            continue;
        }
        let batch = ColumnarBatch::from_journeys(currency, &mine)?;
        let totals = batch.channel_totals(model)?;
        let m: ChannelMap = totals
            .by_channel()?
            .into_iter()
            .map(|(k, v)| (k, v.to_minor().unwrap()))
            .filter(|(_, v)| *v != 0)
            .collect();
        out.insert(currency, m);
    }
    Ok(out)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Arbitrary journeys at every model: `Ok` conserves the value exactly (and follows the
    /// allocator's largest-remainder rule), `Err` is a typed error, never a panic.
    #[test]
    fn every_model_conserves_or_names_the_cause(journey in arbitrary_journey()) {
        for model in models() {
            match model.attribute(&journey) {
                Ok(Some(a)) => {
                    let value = journey.conversion.unwrap().value;
                    let sum = Money::checked_sum(a.credits.iter().map(|c| c.amount), value.currency()).unwrap();
                    prop_assert_eq!(sum, value, "{}", model.label());
                    let weights: Vec<u64> = a.credits.iter().map(|c| c.weight.numerator()).collect();
                    let parts: Vec<i64> = a.credits.iter().map(|c| c.amount.to_minor().unwrap()).collect();
                    // Weights reported as exact shares reproduce the split (when not shifted).
                    if a.credits.first().is_some_and(|c| u128::from(c.weight.denominator()) == weights.iter().map(|&w| u128::from(w)).sum::<u128>()) {
                        prop_assert_eq!(allocate_minor(value.to_minor().unwrap(), &weights).unwrap(), parts);
                    }
                }
                Ok(None) => prop_assert!(!journey.is_converted()),
                Err(e) => prop_assert!(matches!(e.kind(),
                    ErrorKind::TouchOutOfOrder { .. } | ErrorKind::TouchAfterConversion { .. } | ErrorKind::EmptyJourney { .. }
                        | ErrorKind::Negative { .. } | ErrorKind::MissingAnchor { .. }
                ), "{e}"),
            }
        }
    }

    /// Row and columnar forms agree for every model (errors included), and the columnar
    /// totals sum to revenue.
    #[test]
    fn row_and_columnar_agree(js in journeys(12), m in model_index()) {
        let model = &models()[m];
        let row = row_totals(model, &js);
        let col = columnar_totals(model, &js);
        match (row, col) {
            (Ok(r), Ok(c)) => prop_assert_eq!(r, c, "{}", model.label()),
            (Err(_), Err(_)) => {}
            (r, c) => prop_assert!(false, "{}: row {:?} columnar {:?}", model.label(), r, c),
        }
    }

    /// Totals are independent of journey order and thread count; merge is associative and
    /// commutative; each currency's channel totals sum to its revenue.
    #[test]
    fn totals_are_order_and_split_independent(js in journeys(24), m in model_index(), cut in (0usize..24, 0usize..24)) {
        let model = models()[m].clone();
        let one = |js: &[Journey]| {
            let mut t = Totals::new(model.clone());
            for j in js { t.push(j)?; }
            Ok::<Totals, Error>(t)
        };
        let Ok(all) = one(&js) else { return Ok(()); };
        let report = all.clone().finish().unwrap();
        for t in report.currencies.values() {
            let sum = Money::checked_sum(t.by_channel.values().copied(), t.revenue.currency()).unwrap();
            prop_assert_eq!(sum, t.revenue);
        }
        let mut reversed = js.clone();
        reversed.reverse();
        prop_assert_eq!(&one(&reversed).unwrap().finish().unwrap(), &report);
        let mut threaded = Totals::new(model.clone());
        threaded.push_all(&js).unwrap();
        prop_assert_eq!(&threaded.finish().unwrap(), &report);
        let (i, k) = (cut.0.min(js.len()), cut.1.min(js.len()));
        let (i, k) = (i.min(k), i.max(k));
        let (a, b, c) = (one(&js[..i]).unwrap(), one(&js[i..k]).unwrap(), one(&js[k..]).unwrap());
        let mut left = a.clone();
        left.merge(b.clone()).unwrap();
        left.merge(c.clone()).unwrap();
        let mut bc = b;
        bc.merge(c).unwrap();
        let mut right = bc;
        right.merge(a).unwrap();
        prop_assert_eq!(&left.finish().unwrap(), &report);
        prop_assert_eq!(&right.finish().unwrap(), &report);
    }
}

/// Merges `parts` in the tree order `order` picks (pairs of positions), as a distributed
/// engine's partitions would.
fn merge_in_order<T: Tally>(mut parts: Vec<T>, order: &[(usize, usize)]) -> T {
    let mut step = 0;
    while parts.len() > 1 {
        let (a, b) = order.get(step).copied().unwrap_or((0, 1));
        step += 1;
        let i = a % parts.len();
        let right = parts.remove(i);
        let k = b % parts.len();
        parts[k].merge(right).unwrap();
    }
    parts.pop().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// The accumulator contract (issue 11 item 3): split the journeys at random, tally each
    /// part, merge the parts in a random tree order: equal to one pass, for the buffered
    /// (channels) and per-touch (every breakdown) row totals, comparisons and batch totals.
    #[test]
    fn tallies_split_and_merged_in_any_tree_order_equal_one_pass(
        js in journeys(24),
        m in model_index(),
        cuts in prop::collection::vec(0usize..24, 0..5),
        order in prop::collection::vec((0usize..8, 0usize..8), 0..8),
    ) {
        let model = models()[m].clone();
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(js.len())).collect();
        cuts.push(0);
        cuts.push(js.len());
        cuts.sort_unstable();
        let parts: Vec<&[Journey]> = cuts.windows(2).map(|w| &js[w[0]..w[1]]).collect();
        for breakdown in [Breakdown::CHANNELS, Breakdown::ALL] {
            let one = Totals::with_breakdown(model.clone(), breakdown).tally(&js);
            let split: Result<Vec<Totals>, Error> = parts
                .iter()
                .map(|p| {
                    let mut t = Totals::with_breakdown(model.clone(), breakdown);
                    p.iter().try_for_each(|j| t.push(j)).map(|()| t)
                })
                .collect();
            match (one, split) {
                (Ok(one), Ok(split)) => prop_assert_eq!(merge_in_order(split, &order).finish().unwrap(), one),
                (Err(_), Err(_)) => {}
                (a, b) => prop_assert!(false, "one pass {:?}, split {:?}", a, b.map(|_| ())),
            }
        }
        let models = [model.clone(), Model::linear()];
        if let Ok(one) = Comparison::new(models.clone()).tally(&js) {
            let split: Vec<Comparison> = parts
                .iter()
                .map(|p| {
                    let mut c = Comparison::new(models.clone());
                    p.iter().for_each(|j| c.push(j).unwrap());
                    c
                })
                .collect();
            prop_assert_eq!(merge_in_order(split, &order).finish().unwrap(), one);
        }
        let converting: Vec<Journey> =
            js.iter().filter(|j| j.conversion.is_some_and(|c| c.value.currency() == Currency::USD)).cloned().collect();
        let whole = ColumnarBatch::from_journeys(Currency::USD, &converting).unwrap();
        if let Ok(one) = whole.channel_totals(&model) {
            let channels = whole.channels().to_vec();
            let split: Vec<ChannelTotals> = parts
                .iter()
                .map(|p| {
                    let mine: Vec<Journey> =
                        p.iter().filter(|j| converting.iter().any(|c| c.id == j.id)).cloned().collect();
                    let mut batch = ColumnarBatch::new(Currency::USD, channels.clone()).unwrap();
                    let index = |c: &ChannelId| u32::try_from(channels.iter().position(|x| x == c).unwrap()).unwrap();
                    for j in &mine {
                        let conversion = j.conversion.map(|c| (c.at.timestamp_nanos_opt().unwrap(), c.value.to_minor().unwrap()));
                        let at: Vec<i64> = j.touches.iter().map(|t| t.at.timestamp_nanos_opt().unwrap()).collect();
                        let ch: Vec<u32> = j.touches.iter().map(|t| index(&t.channel)).collect();
                        let roles: Vec<u8> = j.touches.iter().map(|t| t.roles.bits()).collect();
                        let ms = [j.milestones.lead_created, j.milestones.opportunity_created, j.milestones.closed_won]
                            .map(|t| t.map(|t| t.timestamp_nanos_opt().unwrap()));
                        batch.push_journey(conversion, ms, &at, &ch, &roles).unwrap();
                    }
                    let mut t = ChannelTotals::new(model.clone(), Currency::USD, channels.clone());
                    t.push(&batch).unwrap();
                    t
                })
                .collect();
            prop_assert_eq!(merge_in_order(split, &order).finish().unwrap(), one.report().unwrap());
        }
    }
}

/// Tallies of different definitions never sum (issue 11 item 3).
#[test]
fn tallies_of_different_definitions_do_not_merge() {
    let mismatch = |e: Error| match e.into_kind() {
        ErrorKind::DefinitionMismatch { field, .. } => field,
        other => panic!("{other}"),
    };
    let days = |d| TimeDelta::try_days(d).unwrap();
    let mut a = Totals::new(Model::w_shaped());
    assert_eq!(mismatch(a.merge(Totals::new(Model::linear())).unwrap_err()), "model");
    assert_eq!(
        mismatch(a.merge(Totals::new(Model::w_shaped().with_lookback(days(30)).unwrap())).unwrap_err()),
        "model"
    );
    assert_eq!(mismatch(a.merge(Totals::with_breakdown(Model::w_shaped(), Breakdown::ALL)).unwrap_err()), "breakdown");
    let mut c = Comparison::new([Model::linear(), Model::w_shaped()]);
    assert_eq!(mismatch(c.merge(Comparison::new([Model::w_shaped(), Model::linear()])).unwrap_err()), "models");
    let email = vec![ChannelId::new("email").unwrap()];
    let mut t = ChannelTotals::new(Model::linear(), Currency::USD, email.clone());
    let eur = ColumnarBatch::new(Currency::EUR, email.clone()).unwrap();
    assert_eq!(mismatch(t.push(&eur).unwrap_err()), "currency");
    assert_eq!(mismatch(t.merge(ChannelTotals::new(Model::first_touch(), Currency::USD, email)).unwrap_err()), "model");
}

#[cfg(feature = "serde")]
#[test]
fn every_model_definition_round_trips() {
    for model in models() {
        let json = serde_json::to_string(&model).unwrap();
        let back: Model = serde_json::from_str(&json).unwrap();
        assert_eq!(back, model, "{json}");
    }
}

#[test]
fn sample_company_journeys_reconcile_to_bookings() {
    let company = Company::new(3, 3_000).unwrap();
    let journeys: Vec<Journey> = company.leads().map(|l| l.journey()).collect();
    // Models without a lookback window or the error policy credit every won journey.
    let mut side = Comparison::new(
        models()
            .into_iter()
            .filter(|m| m.options().missing_anchor != MissingAnchor::Error && m.options().lookback.is_none()),
    );
    side.push_all(&journeys).unwrap();
    let bookings =
        Money::checked_sum(journeys.iter().filter_map(|j| j.conversion.map(|c| c.value)), Currency::USD).unwrap();
    for report in side.finish().unwrap() {
        let usd = &report.currencies[&Currency::USD];
        assert_eq!(usd.revenue, bookings, "{}", report.model);
        let sum = Money::checked_sum(usd.by_channel.values().copied(), Currency::USD).unwrap();
        assert_eq!(sum, bookings, "{}", report.model);
        assert!(report.non_converting > 0);
    }
    // The testkit batch and the sample journeys carry every role.
    let roles = journeys
        .iter()
        .flat_map(|j| j.touches.iter().map(|t| t.roles))
        .fold(Roles::EMPTY, |a, r| Roles::from_bits(a.bits() | r.bits()));
    assert!(Role::ALL.iter().all(|r| roles.contains(*r)));
}

#[test]
fn short_journeys_and_missing_anchors_follow_the_definitions() {
    let usd = |c| Money::from_minor(c, Currency::USD);
    let at = |h| t0() + TimeDelta::try_hours(h).unwrap();
    let ch = |c: &str| ChannelId::new(c).unwrap();
    let two = Journey::converted(JourneyId::new("two").unwrap(), at(10), usd(10_000))
        .with_touch(Touchpoint::new(at(1), ch("email")))
        .with_touch(Touchpoint::new(at(2), ch("webinar")));
    let cents = |m: &Model| -> Vec<i64> {
        m.attribute(&two).unwrap().unwrap().credits.iter().map(|c| c.amount.to_minor().unwrap()).collect()
    };
    // J-shaped 20/60: proportional 25/75 (mta), DP6 30/70.
    assert_eq!(cents(&Model::j_shaped()), [2_500, 7_500]);
    assert_eq!(cents(&Model::j_shaped().with_short_journey(ShortJourney::SplitMiddleEvenly)), [3_000, 7_000]);
    // W-shaped with only first touch (no LC, no OC): redistribute gives it all anchors' weight.
    assert_eq!(cents(&Model::w_shaped()), [9_000, 1_000]);
    // Roll onto latest: 30 to FT, 60 pending on the last touch, which is then an anchor too, so
    // the middle 10 goes back to both in proportion (30:60).
    assert_eq!(cents(&Model::w_shaped().with_missing_anchor(MissingAnchor::RollToLatest)), [3_333, 6_667]);
    let err = Model::w_shaped().with_missing_anchor(MissingAnchor::Error).attribute(&two).unwrap_err();
    assert_eq!(err.to_string(), "journey `two` has no touch holding the lead_creation anchor");
    // Exclusions fall back to the excluded touches when everything is excluded.
    let direct = Journey::converted(JourneyId::new("d").unwrap(), at(10), usd(100))
        .with_touch(Touchpoint::new(at(1), ch("direct")))
        .with_touch(Touchpoint::new(at(2), ch("direct")));
    let a = Model::last_non_direct().attribute(&direct).unwrap().unwrap();
    assert_eq!(a.credits.len(), 2);
    assert_eq!(a.credits[1].amount, usd(100));
    // Lookback: a touch exactly at the window's start is kept; earlier ones are dropped.
    let model = Model::first_touch().with_lookback(TimeDelta::try_hours(8).unwrap()).unwrap();
    let a = model.attribute(&two).unwrap().unwrap();
    assert_eq!((a.credits.len(), a.credits[0].touch), (1, 1));
    let err = Model::linear().with_lookback(TimeDelta::try_hours(1).unwrap()).unwrap().attribute(&two).unwrap_err();
    assert_eq!(err.to_string(), "journey `two` has no touch to credit: no touch inside the lookback window");
    // Columnar bad input names the journey and the touch.
    let mut batch = ColumnarBatch::new(Currency::USD, vec![ch("email")]).unwrap();
    assert_eq!(
        batch.push_journey(Some((10, 5)), [None; 3], &[1], &[3], &[0]).unwrap_err().to_string(),
        "touch 0 of batch journey 0 has unknown channel index 3"
    );
    assert_eq!(
        batch.push_journey(Some((10, 5)), [None; 3], &[2, 1], &[0, 0], &[0, 0]).unwrap_err().to_string(),
        "journey 0 of the batch is invalid at touch 1: touch is earlier than the touch before it"
    );
}

/// The specialised columnar kernels equal the general kernel on a large batch (a lookback of a
/// century changes nothing but forces the general path).
#[test]
fn specialised_kernels_equal_the_general_kernel() {
    let batch = Company::new(9, 100).unwrap().attribution_batch(20_000, 800).unwrap();
    let century = TimeDelta::try_days(36_500).unwrap();
    for model in models().into_iter().filter(|m| m.options() == &Options::default()) {
        let general = model.clone().with_lookback(century).unwrap();
        assert_eq!(
            batch.channel_totals(&model).unwrap().minor_units(),
            batch.channel_totals(&general).unwrap().minor_units(),
            "{}",
            model.label()
        );
    }
}

#[test]
fn testkit_batches_conserve_revenue() {
    let batch = Company::new(5, 100).unwrap().attribution_batch(5_000, 700).unwrap();
    for model in models() {
        let Ok(totals) = batch.channel_totals(&model) else {
            continue;
        };
        let sum: i128 = totals.minor_units().iter().sum();
        assert_eq!(Money::from_minor(i64::try_from(sum).unwrap(), Currency::USD), totals.revenue().unwrap());
        assert_eq!(totals.conversions() + totals.non_converting(), 5_000);
    }
}

/// Threads (with the `rayon` feature) give the same totals as one pass.
#[test]
fn threaded_columnar_totals_equal_serial() {
    let batch = Company::new(6, 100).unwrap().attribution_batch(70_000, 900).unwrap();
    for model in [Model::linear(), Model::w_shaped(), Model::time_decay(TimeDelta::try_days(7).unwrap()).unwrap()] {
        assert_eq!(batch.channel_totals(&model).unwrap(), batch.channel_totals_serial(&model).unwrap());
    }
}

/// `push_all` (threads with `rayon`, chunks of 4,096 journeys) equals one sequential pass.
#[test]
fn threaded_row_totals_equal_sequential() {
    let company = Company::new(4, 10_000).unwrap();
    let journeys: Vec<Journey> = company.leads().map(|l| l.journey()).collect();
    for model in [Model::w_shaped(), Model::linear()] {
        let mut threaded = Totals::with_breakdown(model.clone(), revops::attribution::Breakdown::ALL);
        threaded.push_all(&journeys).unwrap();
        let mut sequential = Totals::with_breakdown(model, revops::attribution::Breakdown::ALL);
        for j in &journeys {
            sequential.push(j).unwrap();
        }
        assert_eq!(threaded.finish().unwrap(), sequential.finish().unwrap());
    }
}
