//! Hand-worked waterfalls, and the laws (conservation, split/serialize/merge = one pass) as
//! proptests.

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;
use rust_decimal_macros::dec;

use super::*;
use crate::facts::{Reason, StageChange};
use crate::funnel::StageHistory;
use crate::{LeadId, Period, Ratio};

const STAGES: [&str; 8] = ["inquiry", "mql", "sal", "sql", "won", "lost", "nurture", "disqualified"];

fn day(d: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or_default() + TimeDelta::days(d)
}

fn record(id: &str, group: &'static str, path: &[(&str, i64)]) -> Result<WaterfallRecord<&'static str>, Error> {
    let lead = LeadId::new(id)?;
    let changes: Vec<StageChange> = path
        .iter()
        .map(|&(s, d)| Ok(StageChange { entity: lead.clone(), stage: StageId::new(s)?, at: day(d) }))
        .collect::<Result<_, Error>>()?;
    Ok(WaterfallRecord::new(group, StageHistory::from_facts(&Funnel::demand_waterfall(), &lead, &changes)?))
}

fn flow<'a>(g: &'a WaterfallGroup, stage: &str) -> Option<&'a StageFlow> {
    g.stages.iter().find(|f| f.stage.as_str() == stage)
}

fn time<'a>(g: &'a WaterfallGroup, stage: &str) -> Option<&'a StageTime> {
    g.time_in_stage.iter().find(|t| t.stage.as_str() == stage)
}

/// Five leads in two groups, period January (days 0..31), `as_of` day 60.
fn sample() -> Result<Vec<WaterfallRecord<&'static str>>, Error> {
    Ok(vec![
        // a: inquiry 0, mql 2, sal 5, sql 10, won 40 (cycle 40 days).
        record("a", "webinar", &[("inquiry", 0), ("mql", 2), ("sal", 5), ("sql", 10), ("won", 40)])?,
        // b: inquiry 1, mql 4, lost 9 (price): leaks at mql.
        record("b", "webinar", &[("inquiry", 1), ("mql", 4), ("lost", 9)])?.with_reason(Reason::Price),
        // c: inquiry 3, nurture 6: recycled from inquiry.
        record("c", "search", &[("inquiry", 3), ("nurture", 6)])?,
        // d: inquiry 5, mql 7, then back to inquiry 20: advanced past inquiry; open at mql? no: regressed.
        record("d", "search", &[("inquiry", 5), ("mql", 7), ("inquiry", 20)])?
            .created_at(day(4))
            .closing_on(NaiveDate::from_ymd_opt(2024, 2, 1).unwrap_or_default()),
        // e: inquiry 40: outside the period, open at as_of.
        record("e", "search", &[("inquiry", 40)])?,
    ])
}

fn definition(reach: Reach) -> Result<WaterfallDefinition, Error> {
    WaterfallDefinition::new(Period::new(day(0), day(31))?, day(60), reach)?.with_percentiles(vec![50, 100])
}

#[test]
fn five_leads_by_hand() -> Result<(), Error> {
    let w = WaterfallTally::new(Funnel::demand_waterfall(), definition(Reach::Strict)?).tally(&sample()?)?;
    let all = &w.overall;
    // inquiry: a b c d entered (e is outside); a b d advanced (mql); c recycled.
    let inquiry = flow(all, "inquiry").ok_or(ErrorKind::Empty { what: "inquiry" })?;
    assert_eq!((inquiry.entered, inquiry.advanced, inquiry.leaked, inquiry.open, inquiry.won), (4, 3, 1, 0, 1));
    assert_eq!(inquiry.leaked_by.get(&Leak { kind: LeakKind::Recycled, reason: None }), Some(&1));
    assert_eq!((inquiry.to_next, inquiry.to_won), (Some(dec!(0.75)), Some(dec!(0.25))));
    // mql: a b d entered; a advanced; b lost (price); d open, regressed to inquiry.
    let mql = flow(all, "mql").ok_or(ErrorKind::Empty { what: "mql" })?;
    assert_eq!((mql.entered, mql.advanced, mql.leaked, mql.open, mql.regressed), (3, 1, 1, 1, 1));
    assert_eq!(mql.leaked_by.get(&Leak { kind: LeakKind::Lost, reason: Some(Reason::Price) }), Some(&1));
    assert_eq!(mql.settled_exact, Ratio::new(1, 2));
    assert_eq!(mql.to_next, Some(dec!(0.3333)));
    // sal, sql: only a, advanced and won.
    let sql = flow(all, "sql").ok_or(ErrorKind::Empty { what: "sql" })?;
    assert_eq!((sql.entered, sql.advanced, sql.won, sql.to_won), (1, 1, 1, Some(dec!(1))));
    // Time in inquiry: completed visits exiting in January: a 2, b 3, c 3, d 2 days; d's second
    // visit (day 20) and e's (day 40) are open at day 60: ages 40 and 20.
    let t = time(all, "inquiry").ok_or(ErrorKind::Empty { what: "inquiry time" })?;
    assert_eq!((t.completed.count, t.completed.mean, t.completed.median), (4, Some(dec!(2.5)), Some(dec!(2.5))));
    assert_eq!(t.percentiles.iter().map(|p| p.days).collect::<Vec<_>>(), [Some(dec!(2)), Some(dec!(3))]);
    assert_eq!((t.open, t.open_age_mean, t.open_age_max), (2, Some(dec!(30)), Some(dec!(40))));
    // mql visits: a 3 (2..5), b 5 (4..9), d 13 (7..20).
    let t = time(all, "mql").ok_or(ErrorKind::Empty { what: "mql time" })?;
    assert_eq!((t.completed.count, t.completed.median, t.open), (3, Some(dec!(5)), 0));
    // sql's visit exits on day 40, outside the period.
    assert_eq!(time(all, "sql").map(|t| t.completed.count), Some(0));
    // Aging at day 60: d (created day 4: 56 days, past due: Feb 1 < Mar 1) and e (20 days).
    let aging: Vec<(u32, u64, u64)> = all.aging.iter().map(|b| (b.from_days, b.open, b.past_due)).collect();
    assert_eq!(aging, [(0, 1, 0), (30, 1, 1), (60, 0, 0), (90, 0, 0), (180, 0, 0)]);
    // Outcomes: b lost on day 9 is closed in January; a won on day 40 is not.
    assert_eq!((all.outcomes.closed, all.outcomes.won, all.outcomes.win_rate), (1, 0, Some(dec!(0))));
    let webinar = &w.effects["webinar"];
    assert_eq!((webinar.closed, webinar.win_rate_delta, webinar.median_cycle_delta), (1, Some(dec!(0)), None));
    assert_eq!((w.effects["search"].closed, w.effects["search"].win_rate_delta), (0, None));
    // Groups sum to the overall.
    let by_group: u64 = w.groups.values().filter_map(|g| flow(g, "inquiry")).map(|f| f.entered).sum();
    assert_eq!(by_group, inquiry.entered);
    Ok(())
}

#[test]
fn or_beyond_counts_a_skip_as_passing() -> Result<(), Error> {
    let skip = record("s", "x", &[("inquiry", 0), ("sql", 3)])?;
    let lost = record("l", "x", &[("inquiry", 0), ("lost", 3)])?;
    let strict = WaterfallTally::new(Funnel::demand_waterfall(), definition(Reach::Strict)?).tally([&skip, &lost])?;
    let beyond = WaterfallTally::new(Funnel::demand_waterfall(), definition(Reach::OrBeyond)?).tally([&skip, &lost])?;
    assert_eq!(flow(&strict.overall, "mql").map(|f| f.entered), Some(0));
    // The skip enters mql and sal at its sql entry and advances past them; the loss never
    // enters a later stage (a loss is not an advance).
    let mql = flow(&beyond.overall, "mql").ok_or(ErrorKind::Empty { what: "mql" })?;
    assert_eq!((mql.entered, mql.advanced), (1, 1));
    assert_eq!(flow(&beyond.overall, "sql").map(|f| (f.entered, f.open)), Some((1, 1)));
    Ok(())
}

#[test]
fn won_cycle_and_effects() -> Result<(), Error> {
    let def = WaterfallDefinition::new(Period::all_time(), day(100), Reach::Strict)?;
    let records = [
        record("a", "fast", &[("inquiry", 0), ("mql", 1), ("sal", 2), ("sql", 3), ("won", 10)])?,
        record("b", "slow", &[("inquiry", 0), ("mql", 1), ("sal", 2), ("sql", 3), ("won", 30)])?,
        record("c", "slow", &[("inquiry", 0), ("lost", 5)])?,
    ];
    let w = WaterfallTally::new(Funnel::demand_waterfall(), def).tally(&records)?;
    // Overall: 2 won of 3 closed; cycles 10 and 30 days: median 20.
    assert_eq!(w.overall.outcomes.win_rate_exact, Ratio::new(2, 3));
    assert_eq!(w.overall.outcomes.cycle.median, Some(dec!(20)));
    // fast: 1/1 won, 10 days: +1/3 win rate, -10 days. slow: 1/2, 30 days.
    assert_eq!(w.effects["fast"].win_rate_delta, Some(dec!(0.3333)));
    assert_eq!(w.effects["fast"].median_cycle_delta, Some(dec!(-10)));
    assert_eq!(w.effects["slow"].win_rate_delta, Some(dec!(-0.1667)));
    assert_eq!((w.effects["slow"].closed, w.effects["slow"].won), (2, 1));
    Ok(())
}

#[test]
fn bad_input_is_a_typed_error_and_changes_nothing() -> Result<(), Error> {
    let mut tally = WaterfallTally::new(Funnel::demand_waterfall(), definition(Reach::Strict)?);
    let late = record("a", "x", &[("inquiry", 2)])?.created_at(day(3));
    let err = tally.push(&late).err();
    assert!(matches!(err.as_ref().map(Error::kind), Some(ErrorKind::InconsistentRecord { .. })));
    assert_eq!(err.and_then(|e| e.record().cloned()), Some(Record::Lead(LeadId::new("a")?)));
    let hubspot = WaterfallRecord::new("x", {
        let lead = LeadId::new("h")?;
        let change = StageChange { entity: lead.clone(), stage: StageId::new("subscriber")?, at: day(1) };
        StageHistory::from_facts(&Funnel::hubspot_lifecycle(), &lead, &[change])?
    });
    assert!(matches!(tally.push(&hubspot).map_err(|e| e.kind().clone()), Err(ErrorKind::UnknownStage { .. })));
    assert_eq!(tally, WaterfallTally::new(Funnel::demand_waterfall(), definition(Reach::Strict)?));
    let other = WaterfallTally::new(Funnel::demand_waterfall(), definition(Reach::OrBeyond)?);
    assert!(matches!(
        tally.merge(other).map_err(|e| e.kind().clone()),
        Err(ErrorKind::DefinitionMismatch { field: "definition", .. })
    ));
    Ok(())
}

#[test]
fn empty_tally_is_undefined_not_zero() -> Result<(), Error> {
    let w = WaterfallTally::<&str>::new(Funnel::demand_waterfall(), definition(Reach::Strict)?).finish()?;
    assert!(w.groups.is_empty());
    assert!(w.overall.stages.iter().all(|f| f.entered == 0 && f.to_next.is_none() && f.settled.is_none()));
    assert_eq!(w.overall.stages.len(), 4);
    assert_eq!(w.overall.time_in_stage.len(), 5); // four open stages and nurture (terminal stages have no visits)
    assert_eq!(w.overall.outcomes.win_rate, None);
    Ok(())
}

type Spec = (u8, Vec<(usize, i64)>, Option<u8>);

fn spec() -> impl Strategy<Value = Spec> {
    (0u8..3, prop::collection::vec((0usize..8, 1i64..40), 1..7), prop::option::of(0u8..3))
}

fn build(i: usize, (group, path, reason): &Spec) -> Result<WaterfallRecord<u8>, Error> {
    let lead = LeadId::new(format!("l{i}"))?;
    let mut changes = Vec::new();
    let mut at = day(0);
    let mut last: Option<usize> = None;
    for &(s, gap) in path {
        if last == Some(s) {
            continue;
        }
        at += TimeDelta::hours(gap * 7);
        let stage = STAGES.get(s).copied().unwrap_or("inquiry");
        changes.push(StageChange { entity: lead.clone(), stage: StageId::new(stage)?, at });
        last = Some(s);
        if matches!(s, 4 | 5 | 7) {
            break;
        }
    }
    let mut r = WaterfallRecord::new(*group, StageHistory::from_facts(&Funnel::demand_waterfall(), &lead, &changes)?);
    if let Some(k) = reason {
        r = r.with_reason(
            [Reason::Price, Reason::NoBudget, Reason::BadTiming].get(usize::from(*k)).cloned().unwrap_or(Reason::Price),
        );
    }
    if i.is_multiple_of(3) {
        r = r.closing_on(NaiveDate::from_ymd_opt(2024, 1, 20).unwrap_or_default());
    }
    Ok(r)
}

fn prop_definition(reach: bool) -> Result<WaterfallDefinition, Error> {
    let reach = if reach { Reach::OrBeyond } else { Reach::Strict };
    WaterfallDefinition::new(Period::new(day(2), day(40))?, day(30), reach)?
        .with_aging_edges(vec![0, 7, 21])?
        .with_percentiles(vec![95])
}

fn fail(e: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(e.to_string())
}

proptest! {
    #[test]
    fn entered_is_advanced_plus_leaked_plus_open(specs in prop::collection::vec(spec(), 0..40), reach in any::<bool>()) {
        let records: Vec<_> = specs.iter().enumerate().map(|(i, s)| build(i, s)).collect::<Result<_, _>>().map_err(fail)?;
        let w = WaterfallTally::new(Funnel::demand_waterfall(), prop_definition(reach).map_err(fail)?).tally(&records).map_err(fail)?;
        for g in w.groups.values().chain([&w.overall]) {
            for f in &g.stages {
                prop_assert_eq!(f.entered, f.advanced + f.leaked + f.open);
                prop_assert_eq!(f.leaked, f.leaked_by.values().sum::<u64>());
                prop_assert!(f.won <= f.advanced && f.regressed <= f.open);
            }
            prop_assert!(g.outcomes.won <= g.outcomes.closed);
        }
        for (i, f) in w.overall.stages.iter().enumerate() {
            let sum: u64 = w.groups.values().filter_map(|g| g.stages.get(i)).map(|g| g.entered).sum();
            prop_assert_eq!(sum, f.entered);
        }
    }

    #[cfg(feature = "serde")] // the partial state serializes with serde
    #[test]
    fn split_serialize_merge_is_one_pass(
        specs in prop::collection::vec(spec(), 0..40),
        cuts in prop::collection::vec(0usize..4, 0..40),
        reach in any::<bool>(),
    ) {
        let records: Vec<_> = specs.iter().enumerate().map(|(i, s)| build(i, s)).collect::<Result<_, _>>().map_err(fail)?;
        let def = prop_definition(reach).map_err(fail)?;
        let fresh = || WaterfallTally::<u8>::new(Funnel::demand_waterfall(), def.clone());
        let one = fresh().tally(&records).map_err(fail)?;
        let mut parts = vec![fresh(), fresh(), fresh(), fresh()];
        for (i, r) in records.iter().enumerate() {
            let p = cuts.get(i).copied().unwrap_or(0);
            if let Some(part) = parts.get_mut(p) { part.push(r).map_err(fail)?; }
        }
        let mut merged = fresh();
        for part in parts.into_iter().rev() {
            let json = serde_json::to_string(&part).map_err(fail)?;
            let back: WaterfallTally<u8> = serde_json::from_str(&json).map_err(fail)?;
            prop_assert_eq!(&back, &part);
            merged.merge(back).map_err(fail)?;
        }
        prop_assert_eq!(merged.finish().map_err(fail)?, one);
    }
}

#[cfg(feature = "serde")] // the partial state serializes with serde
#[test]
fn a_forged_state_is_refused() -> Result<(), Box<dyn std::error::Error>> {
    let tally = WaterfallTally::new(Funnel::demand_waterfall(), definition(Reach::Strict)?);
    let mut tally = tally;
    tally.push(&record("a", "x", &[("inquiry", 1), ("mql", 2)])?)?;
    let json = serde_json::to_string(&tally)?;
    assert!(serde_json::from_str::<WaterfallTally<String>>(&json).is_ok());
    let forged = json.replacen("\"entered\":1", "\"entered\":2", 1);
    assert_ne!(forged, json);
    assert!(serde_json::from_str::<WaterfallTally<String>>(&forged).is_err());
    let bad_edges = json.replacen("\"aging_edges\":[0,", "\"aging_edges\":[1,", 1);
    assert!(serde_json::from_str::<WaterfallTally<String>>(&bad_edges).is_err());
    Ok(())
}
