//! The agreement's scorecard: the quickstart's figures from one call, partitions merged in any
//! order, serde round trip, bad records set aside (or stopping strict mode).

use std::sync::OnceLock;

use chrono::TimeDelta;
use proptest::prelude::*;
use revops::agreement::Agreement;
use revops::agreement::scorecard::{Scorecard, Section};
use revops::facts::FactSet;
use revops::testkit::{Company, sample_agreement};
use revops::{ChannelId, Currency, ErrorKind, Money, Ratio, Tally};

fn agreement() -> &'static Agreement {
    static AGREEMENT: OnceLock<Agreement> = OnceLock::new();
    AGREEMENT.get_or_init(|| sample_agreement().unwrap())
}

fn sample() -> &'static (FactSet, Scorecard) {
    static SAMPLE: OnceLock<(FactSet, Scorecard)> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let company = Company::sample();
        let facts = company.facts();
        let card = agreement().evaluate(&facts, company.as_of()).unwrap();
        (facts, card)
    })
}

#[test]
fn the_sample_scorecard_has_the_quickstarts_figures() {
    let (_, card) = sample();
    assert_eq!(card.exclusions().count(), 0, "{:?}", card.exclusions().collect::<Vec<_>>());
    assert_eq!(&card.fingerprint, agreement().fingerprint());
    // Section 2: leads per stage and MQL -> SQL.
    let f = &card.funnel;
    assert_eq!(f.leads, 5000);
    let entered = |s: &str| f.stage(s).unwrap().entered;
    assert_eq!(
        ["lead", "mql", "sal", "sql", "opportunity", "won", "lost", "recycled", "disqualified"].map(entered),
        [5000, 2128, 1558, 1070, 893, 264, 575, 752, 239]
    );
    assert_eq!(f.rate("mql", "sql"), Some(Ratio::new(1070, 2128)));
    // Section 3: the tier distribution.
    let core = &card.icp.as_ref().unwrap().segments[&revops::SegmentId::new("core").unwrap()];
    let tiers: Vec<(String, String)> = core.tiers.iter().map(|t| (t.tier.clone(), t.accounts.to_string())).collect();
    let expected =
        [("A", "85/1250 (6.8%)"), ("B", "349/1250 (27.9%)"), ("C", "450/1250 (36.0%)"), ("D", "366/1250 (29.3%)")];
    assert_eq!(tiers, expected.map(|(a, b)| (a.to_owned(), b.to_owned())));
    assert_eq!((core.disqualified, core.missing_must_have), (232, 0));
    // Section 4: the response SLA, speed to lead and the disposition SLA.
    let sla = &card.sla["sales_follow_up"];
    let total = &sla.response.as_ref().unwrap().summary.total;
    assert_eq!((total.met, total.breached, total.active), (1560, 568, 0));
    assert_eq!(total.compliance.to_string(), "1560/2128 (73.3%)");
    assert_eq!((total.speed.responded, total.speed.waiting), (2061, 67));
    assert_eq!(total.speed.median, Some(TimeDelta::zero()));
    let wall = sla.wall_clock.unwrap();
    assert_eq!(wall.median.map(|d| d.num_minutes()), Some(3 * 60 + 56));
    let disposition = &sla.disposition.as_ref().unwrap().summary.total;
    assert_eq!(disposition.compliance.to_string(), "1821/2128 (85.6%)");
    // Section 5: the conversion board (entity cohort, event cohort, period flow).
    let rates: Vec<String> = card.kpis.conversion.iter().map(|k| k.rate.rate.to_string()).collect();
    assert_eq!(rates[0], "2121/4988 (42.5%)");
    assert_eq!(rates[4], "199/862 (23.1%)");
    assert_eq!(rates[5 + 1], "1525/2091 (72.9%)");
    assert_eq!(rates[10 + 2], "1032/1524 (67.7%)");
    assert_eq!(rates[10 + 4], "219/862 (25.4%)");
    // Section 6: attribution, exact to the cent.
    let a = &card.attribution;
    let usd = |minor| Some(Money::from_minor(minor, Currency::USD));
    let content = ChannelId::new("content").unwrap();
    assert_eq!(a.credit("first_touch", &content, Currency::USD), usd(3_926_500_00));
    assert_eq!(a.credit("linear", &content, Currency::USD), usd(2_225_895_90));
    assert_eq!(a.credit("u_shaped", &content, Currency::USD), usd(3_176_880_98));
    assert_eq!(a.credit("w_shaped", &content, Currency::USD), usd(3_055_869_02));
    assert_eq!(a.credit("full_path", &content, Currency::USD), usd(2_852_245_81));
    assert_eq!(a.credit("time_decay_7d", &content, Currency::USD), usd(2_019_049_73));
    for report in a.models.values() {
        assert_eq!(report.currencies[&Currency::USD].revenue, Money::from_minor(25_953_600_00, Currency::USD));
        assert_eq!(report.non_converting, 4736);
    }
}
