//! Hand-worked return on marketing, and the laws (reconciliation, merge, serde) as proptests.

use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

#[cfg(feature = "serde")]
use super::ReturnOnMarketing;
use super::{MarketingFact, ReturnOnMarketingTally, StageCounts};
use crate::attribution::{AttributionReport, Breakdown, Model, Totals};
use crate::facts::{Journey, Spend, SpendKind, Touchpoint};
use crate::{CampaignId, ChannelId, Currency, Error, ErrorKind, JourneyId, Money, Period, Tally};

fn day(m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, m, d, 0, 0, 0).single().unwrap_or_default()
}

fn january() -> Period {
    Period::new(day(1, 1), day(2, 1)).unwrap_or_else(|_| Period::all_time())
}

fn usd(dollars: i64) -> Money {
    Money::from_minor(dollars * 100, Currency::USD)
}

fn channel(name: &str) -> ChannelId {
    ChannelId::new(name).unwrap_or_else(|_| unreachable!("valid test id"))
}

fn campaign(name: &str) -> CampaignId {
    CampaignId::new(name).unwrap_or_else(|_| unreachable!("valid test id"))
}

fn touch(d: u32, ch: &str, camp: Option<&str>) -> Touchpoint {
    let t = Touchpoint::new(day(1, d), channel(ch));
    match camp {
        Some(c) => t.with_campaign(campaign(c)),
        None => t,
    }
}

fn reports(journeys: &[Journey]) -> Result<Vec<AttributionReport>, Error> {
    let breakdown = Breakdown { campaign: true, ..Breakdown::default() };
    [Model::first_touch(), Model::linear()]
        .into_iter()
        .map(|m| {
            let mut t = Totals::with_breakdown(m, breakdown);
            for j in journeys {
                t.push(j)?;
            }
            t.finish()
        })
        .collect()
}

/// Three channels, two models, worked by hand:
///
/// | journey | value | touches (channel/campaign) |
/// | j1 | 1000 | search/brand, email/nurture |
/// | j2 | 600 | social/launch, search/brand, email/nurture |
/// | j3 | 400 | email/- |
///
/// First touch: search 1000, social 600, email 400. Linear: search 500 + 200 = 700,
/// email 500 + 200 + 400 = 1100, social 200. Spend: search 500, social 800, email 100, people
/// 1000 on no channel, and a December line outside the period.
/// (channel, spend, [(revenue, ROAS, ROI)] under first touch, then linear).
type ChannelRow = (Option<&'static str>, i64, [(i64, Decimal, Decimal); 2]);

#[test]
fn three_channels_two_models_by_hand() -> Result<(), Error> {
    let conv = |id: &str, value| JourneyId::new(id).map(|id| Journey::converted(id, day(1, 25), usd(value)));
    let journeys = [
        conv("j1", 1000)?.with_touch(touch(2, "search", Some("brand"))).with_touch(touch(3, "email", Some("nurture"))),
        conv("j2", 600)?
            .with_touch(touch(2, "social", Some("launch")))
            .with_touch(touch(3, "search", Some("brand")))
            .with_touch(touch(4, "email", Some("nurture"))),
        conv("j3", 400)?.with_touch(touch(5, "email", None)),
    ];
    let mut tally = ReturnOnMarketingTally::new(january(), Currency::USD, ["first_touch", "linear"])?;
    for r in reports(&journeys)? {
        tally.push(&MarketingFact::Attributed(r))?;
    }
    let paid = |ch: &str, camp: &str, d| {
        Spend::new(january(), SpendKind::Paid, usd(d)).on_channel(channel(ch)).on_campaign(campaign(camp))
    };
    tally.push_spend(&paid("search", "brand", 500))?;
    tally.push_spend(&paid("social", "launch", 800))?;
    tally.push_spend(&paid("email", "nurture", 100))?;
    tally.push_spend(&Spend::new(january(), SpendKind::MarketingPeople, usd(1000)))?;
    let december = Period::new(Utc.with_ymd_and_hms(2023, 12, 1, 0, 0, 0).single().unwrap_or_default(), day(1, 1))?;
    tally.push_spend(&Spend::new(december, SpendKind::Paid, usd(999)).on_channel(channel("search")))?;
    let table = tally.finish()?;

    assert_eq!(table.models, ["first_touch", "linear"]);
    assert_eq!((table.spend, table.spend_lines_outside), (usd(2400), 1));
    assert_eq!(table.bookings, [usd(2000), usd(2000)]);
    // (channel, spend, [(revenue, roas, roi)] for first touch then linear)
    let expected: [ChannelRow; 4] = [
        (None, 1000, [(0, dec!(0), dec!(-1)), (0, dec!(0), dec!(-1))]),
        (Some("email"), 100, [(400, dec!(4), dec!(3)), (1100, dec!(11), dec!(10))]),
        (Some("search"), 500, [(1000, dec!(2), dec!(1)), (700, dec!(1.4), dec!(0.4))]),
        (Some("social"), 800, [(600, dec!(0.75), dec!(-0.25)), (200, dec!(0.25), dec!(-0.75))]),
    ];
    assert_eq!(table.by_channel.len(), expected.len());
    for ((key, row), (ch, spend, cols)) in table.by_channel.iter().zip(expected) {
        assert_eq!(key.as_ref().map(ChannelId::as_str), ch);
        assert_eq!(row.spend, usd(spend));
        for (got, (revenue, roas, roi)) in row.models.iter().zip(cols) {
            assert_eq!((got.revenue, got.gain), (usd(revenue), usd(revenue - spend)));
            assert_eq!((got.roas, got.roi), (Some(roas), Some(roi)), "{ch:?}");
        }
    }
    // Campaigns: brand 500 spend (FT 1000, linear 700); launch 800 (600, 200); nurture 100
    // (0, 700); none 1000 (j3's 400 under both).
    let expected: [(Option<&str>, i64, [i64; 2]); 4] = [
        (None, 1000, [400, 400]),
        (Some("brand"), 500, [1000, 700]),
        (Some("launch"), 800, [600, 200]),
        (Some("nurture"), 100, [0, 700]),
    ];
    assert_eq!(table.by_campaign.len(), expected.len());
    for ((key, row), (camp, spend, revenue)) in table.by_campaign.iter().zip(expected) {
        assert_eq!(key.as_ref().map(CampaignId::as_str), camp);
        assert_eq!(row.spend, usd(spend));
        assert_eq!([row.models[0].revenue, row.models[1].revenue], [usd(revenue[0]), usd(revenue[1])]);
    }
    assert_eq!(table.by_campaign[&Some(campaign("nurture"))].models[1].roas, Some(dec!(7)));
    assert_eq!(table.by_campaign[&None].models[0].roi, Some(dec!(-0.6)));
    // Blended: 2000 / 2400 = 0.8333..., ROI -400 / 2400 = -0.1666...
    assert_eq!(table.total.models[0].roas, Some(dec!(0.8333)));
    assert_eq!(table.total.models[1].roi, Some(dec!(-0.1667)));
    let exact = table.total.models[0].roas_exact.map(|r| (r.numerator(), r.denominator()));
    assert_eq!(exact, Some((dec!(2000.00), dec!(2400.00))));

    // Cost per stage: 2400 / 48 leads = 50, / 7 customers = 342.857... -> 342.86, no SQL count.
    let cost = table.cost_per_stage(StageCounts { leads: 48, mqls: 12, sqls: 0, opportunities: 10, customers: 7 })?;
    assert_eq!(
        (cost.lead, cost.mql, cost.sql, cost.opportunity),
        (Some(usd(50)), Some(usd(200)), None, Some(usd(240)))
    );
    assert_eq!(cost.customer, Some(Money::from_minor(34_286, Currency::USD)));
    // The finished table, `None` campaign row included, survives JSON.
    #[cfg(feature = "serde")]
    {
        let json = serde_json::to_string(&table).unwrap();
        assert_eq!(serde_json::from_str::<ReturnOnMarketing>(&json).ok(), Some(table));
    }
    Ok(())
}

#[test]
fn channel_credited_without_spend_shows_none() -> Result<(), Error> {
    let j = Journey::converted(JourneyId::new("j")?, day(1, 20), usd(10)).with_touch(touch(2, "organic", None));
    let mut tally = ReturnOnMarketingTally::new(january(), Currency::USD, ["first_touch", "linear"])?;
    for r in reports(&[j])? {
        tally.push_report(&r)?;
    }
    let table = tally.finish()?;
    let row = &table.by_channel[&Some(channel("organic"))];
    assert_eq!(
        (row.spend, row.models[0].revenue, row.models[0].roas, row.models[0].roi),
        (usd(0), usd(10), None, None)
    );
    Ok(())
}

#[test]
fn bad_input_is_a_typed_error() -> Result<(), Error> {
    let mut tally = ReturnOnMarketingTally::new(january(), Currency::USD, ["linear"])?;
    let eur = Spend::new(january(), SpendKind::Paid, Money::from_minor(1, Currency::EUR)).on_channel(channel("search"));
    let err = tally.push_spend(&eur).err();
    assert!(matches!(err.as_ref().map(Error::kind), Some(ErrorKind::MixedCurrency { .. })));
    assert_eq!(err.and_then(|e| e.record().cloned()).map(|r| r.kind()), Some("spend"));
    let across = Spend::new(Period::new(day(1, 15), day(2, 15))?, SpendKind::Paid, usd(1));
    assert!(matches!(
        tally.push_spend(&across).map_err(|e| e.kind().clone()),
        Err(ErrorKind::InconsistentRecord { .. })
    ));
    let negative = Spend::new(january(), SpendKind::Paid, usd(-1));
    assert!(matches!(tally.push_spend(&negative).map_err(|e| e.kind().clone()), Err(ErrorKind::Negative { .. })));
    // A first-touch report into a linear-only tally, and one without campaign credits.
    let j = Journey::converted(JourneyId::new("j")?, day(1, 20), usd(10)).with_touch(touch(2, "organic", None));
    let report = reports(std::slice::from_ref(&j))?.remove(0);
    assert!(matches!(tally.push_report(&report).map_err(|e| e.kind().clone()), Err(ErrorKind::UnknownKey { .. })));
    let mut plain = Totals::new(Model::linear());
    plain.push(&j)?;
    let before = tally.clone();
    assert!(matches!(
        tally.push_report(&plain.finish()?).map_err(|e| e.kind().clone()),
        Err(ErrorKind::InconsistentRecord { .. })
    ));
    assert_eq!(tally, before);
    let other = ReturnOnMarketingTally::new(january(), Currency::USD, ["first_touch"])?;
    assert!(matches!(
        tally.merge(other).map_err(|e| e.kind().clone()),
        Err(ErrorKind::DefinitionMismatch { field: "models", .. })
    ));
    Ok(())
}

const CHANNELS: [&str; 3] = ["email", "search", "social"];
const CAMPAIGNS: [&str; 2] = ["brand", "launch"];

/// A spend line: (channel index, 3 = none; campaign index, 2 = none; minor units; in period).
type SpendSpec = (usize, usize, i64, bool);
/// A journey: value in minor units and its touches (channel index, campaign index, 2 = none).
type JourneySpec = (i64, Vec<(usize, usize)>);

fn spend_of(&(ch, camp, minor, inside): &SpendSpec) -> Spend {
    let period =
        if inside { january() } else { Period::new(day(2, 1), day(3, 1)).unwrap_or_else(|_| Period::all_time()) };
    let mut s = Spend::new(period, SpendKind::Paid, Money::from_minor(minor, Currency::USD));
    if let Some(c) = CHANNELS.get(ch) {
        s = s.on_channel(channel(c));
    }
    if let Some(c) = CAMPAIGNS.get(camp) {
        s = s.on_campaign(campaign(c));
    }
    s
}

fn journeys_of(specs: &[JourneySpec], prefix: &str) -> Result<Vec<Journey>, Error> {
    specs
        .iter()
        .enumerate()
        .map(|(i, (value, touches))| {
            let mut j = Journey::converted(
                JourneyId::new(format!("{prefix}{i}"))?,
                day(1, 28),
                Money::from_minor(*value, Currency::USD),
            );
            for (k, &(ch, camp)) in touches.iter().enumerate() {
                let d = u32::try_from(k).unwrap_or(0) + 1;
                j = j.with_touch(touch(d, CHANNELS.get(ch).copied().unwrap_or("email"), CAMPAIGNS.get(camp).copied()));
            }
            Ok(j)
        })
        .collect()
}

fn tally_of(spend: &[SpendSpec], journeys: &[JourneySpec], prefix: &str) -> Result<ReturnOnMarketingTally, Error> {
    let mut tally = ReturnOnMarketingTally::new(january(), Currency::USD, ["first_touch", "linear"])?;
    for s in spend {
        tally.push_spend(&spend_of(s))?;
    }
    let journeys = journeys_of(journeys, prefix)?;
    if !journeys.is_empty() {
        for r in reports(&journeys)? {
            tally.push_report(&r)?;
        }
    }
    Ok(tally)
}

fn spend_specs() -> impl Strategy<Value = Vec<SpendSpec>> {
    prop::collection::vec((0usize..4, 0usize..3, 0i64..1_000_000, prop::bool::weighted(0.8)), 0..12)
}

fn journey_specs() -> impl Strategy<Value = Vec<JourneySpec>> {
    prop::collection::vec((0i64..1_000_000, prop::collection::vec((0usize..3, 0usize..3), 1..5)), 0..8)
}

proptest! {
    #[test]
    fn every_column_reconciles(spend in spend_specs(), journeys in journey_specs()) {
        let table = tally_of(&spend, &journeys, "j")?.finish()?;
        // Independent sums of the inputs.
        let spent: i64 = spend.iter().filter(|s| s.3).map(|s| s.2).sum();
        let booked: i64 = journeys.iter().map(|j| j.0).sum();
        let money = |m: i64| Money::from_minor(m, Currency::USD);
        prop_assert_eq!(table.spend, money(spent));
        prop_assert_eq!(table.spend_lines_outside, spend.iter().filter(|s| !s.3).count() as u64);
        let sum = |it: &mut dyn Iterator<Item = Money>| Money::checked_sum(it, Currency::USD);
        prop_assert_eq!(sum(&mut table.by_channel.values().map(|r| r.spend))?, money(spent));
        prop_assert_eq!(sum(&mut table.by_campaign.values().map(|r| r.spend))?, money(spent));
        for m in 0..2 {
            prop_assert_eq!(table.bookings[m], money(booked));
            prop_assert_eq!(sum(&mut table.by_channel.values().map(|r| r.models[m].revenue))?, money(booked));
            prop_assert_eq!(sum(&mut table.by_campaign.values().map(|r| r.models[m].revenue))?, money(booked));
        }
    }

    #[test]
    fn merge_is_associative_commutative_and_serializes(
        parts in prop::collection::vec((spend_specs(), journey_specs()), 3),
    ) {
        let t: Vec<ReturnOnMarketingTally> = parts
            .iter()
            .enumerate()
            .map(|(i, (s, j))| tally_of(s, j, &format!("p{i}-")))
            .collect::<Result<_, _>>()?;
        let (a, b, c) = (t[0].clone(), t[1].clone(), t[2].clone());
        let mut left = a.clone();
        left.merge(b.clone())?;
        left.merge(c.clone())?;
        let mut bc = b.clone();
        bc.merge(c.clone())?;
        let mut right = a.clone();
        right.merge(bc)?;
        prop_assert_eq!(&left, &right);
        let (mut ab, mut ba) = (a.clone(), b.clone());
        ab.merge(b.clone())?;
        ba.merge(a.clone())?;
        prop_assert_eq!(&ab, &ba);
        // One pass over everything equals the merged parts.
        let spend: Vec<SpendSpec> = parts.iter().flat_map(|p| p.0.clone()).collect();
        let mut journeys = Vec::new();
        for (i, p) in parts.iter().enumerate() {
            journeys.extend(journeys_of(&p.1, &format!("p{i}-"))?);
        }
        let mut once = tally_of(&spend, &[], "")?;
        if !journeys.is_empty() {
            for r in reports(&journeys)? {
                once.push_report(&r)?;
            }
        }
        prop_assert_eq!(once.finish()?, left.clone().finish()?);
        // Serde round trip: equal, and merges like the original.
        #[cfg(feature = "serde")]
        {
        let json = serde_json::to_string(&a).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let back: ReturnOnMarketingTally = serde_json::from_str(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&back, &a);
        let mut via_wire = back;
        via_wire.merge(b)?;
        prop_assert_eq!(via_wire, ab);
        }
    }
}

#[cfg(feature = "serde")]
#[test]
fn a_state_that_does_not_reconcile_is_refused() -> Result<(), Box<dyn std::error::Error>> {
    let tally = tally_of(&[(1, 0, 500, true)], &[(1000, vec![(0, 0)])], "j")?;
    let json = serde_json::to_string(&tally)?;
    assert!(json.contains(r#""bookings":["1000","1000"]"#), "{json}");
    let forged = json.replace(r#""bookings":["1000","1000"]"#, r#""bookings":["1000","999"]"#);
    assert!(serde_json::from_str::<ReturnOnMarketingTally>(&forged).is_err());
    let negative = json.replace(r#""500""#, r#""-500""#);
    assert!(serde_json::from_str::<ReturnOnMarketingTally>(&negative).is_err());
    Ok(())
}
