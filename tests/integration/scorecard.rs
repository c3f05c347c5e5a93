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
    assert_eq!((core.criteria, core.points_attainable), (15, 90));
    // Section 3: every score explains itself (the best tier's smallest id).
    let review = core.review.as_ref().unwrap();
    let example = review.example.as_ref().unwrap();
    assert_eq!((example.account.as_str(), example.name.as_deref()), ("A0000008", Some("Vertex Networks Group")));
    assert_eq!((example.points, example.max_points, example.score.to_string().as_str()), (76, 90, "84.44"));
    assert_eq!(example.missed, ["runs_snowflake", "cloud", "four_plus_contacts"]);
    assert_eq!(example.disqualifiers_not_firing, ["public_sector", "micro"]);
    assert_eq!((example.matched.len(), example.tier.as_deref()), (10, Some("A")));
    // Section 3: the buying-group coverage of the open deals.
    let coverage = card.icp.as_ref().unwrap().coverage.as_ref().unwrap();
    assert_eq!(coverage.open_deals, 54);
    assert_eq!(coverage.complete, Ratio::new(2, 54));
    assert_eq!(coverage.roles_covered, Ratio::new(82, 216));
    assert_eq!(coverage.multi_threaded, Ratio::new(26, 54));
    let missing: Vec<u64> = coverage.missing.values().map(Ratio::numerator).collect();
    assert_eq!(missing, [40, 37, 26, 31]); // economic buyer, champion, decision maker, technical evaluator
    // Section 3: outcomes by tier, overall, the inversion and the lift by criterion.
    let outcomes = &review.outcomes;
    let rates: Vec<(String, String, bool)> = outcomes
        .tiers
        .iter()
        .map(|t| (t.outcomes.opportunity_rate.to_string(), t.outcomes.win_rate.to_string(), t.ranked))
        .collect();
    let expected = [
        ("70/85 (82.4%)", "41/110 (37.3%)"),
        ("202/349 (57.9%)", "106/298 (35.6%)"),
        ("193/450 (42.9%)", "61/235 (26.0%)"),
        ("158/366 (43.2%)", "56/196 (28.6%)"),
    ];
    assert_eq!(rates, expected.map(|(o, w)| (o.to_owned(), w.to_owned(), true)));
    let lifts: Vec<String> =
        outcomes.tiers.iter().filter_map(|t| t.outcomes.win_rate_lift).map(|l| l.to_string()).collect();
    assert_eq!(lifts, ["1.18", "1.13", "0.82", "0.91"]);
    assert_eq!(outcomes.overall.win_rate, Ratio::new(264, 839));
    assert_eq!(outcomes.overall.opportunity_rate, Ratio::new(623, 1250));
    assert_eq!(outcomes.overall.average_deal_size, Some(Money::new("98309.09".parse().unwrap(), Currency::USD)));
    assert_eq!(outcomes.overall.average_cycle_days.map(|d| d.to_string()).as_deref(), Some("67.2"));
    assert!(!outcomes.monotonic);
    let inversions: Vec<(&str, &str)> =
        outcomes.inversions.iter().map(|i| (i.better.as_str(), i.worse.as_str())).collect();
    assert_eq!(inversions, [("C", "D")]);
    let core_industry = outcomes.criteria.iter().find(|c| c.criterion == "core_industry").unwrap();
    assert_eq!(core_industry.matched.win_rate, Ratio::new(143, 387));
    assert_eq!(core_industry.not_matched.win_rate, Ratio::new(121, 452));
    assert_eq!(core_industry.matched.win_rate_lift.map(|l| l.to_string()).as_deref(), Some("1.17"));
    assert_eq!(outcomes.criteria.len(), 15);
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
    let rates: Vec<String> = card.kpis.conversion.iter().map(|k| k.rate.to_string()).collect();
    assert_eq!(rates[0], "2121/4988 (42.5%)");
    assert_eq!(rates[4], "199/862 (23.1%)");
    assert_eq!(rates[5 + 1], "1525/2091 (72.9%)");
    assert_eq!(rates[10 + 2], "1032/1524 (67.7%)");
    assert_eq!(rates[10 + 4], "219/862 (25.4%)");
    // Section 6: attribution, exact to the cent.
    let a = &card.attribution;
    let usd = |amount: &str| Some(Money::new(amount.parse().unwrap(), Currency::USD));
    let content = ChannelId::new("content").unwrap();
    assert_eq!(a.credit("first_touch", &content, Currency::USD), usd("3926500.00"));
    assert_eq!(a.credit("linear", &content, Currency::USD), usd("2225895.90"));
    assert_eq!(a.credit("u_shaped", &content, Currency::USD), usd("3176880.98"));
    assert_eq!(a.credit("w_shaped", &content, Currency::USD), usd("3055869.02"));
    assert_eq!(a.credit("full_path", &content, Currency::USD), usd("2852245.81"));
    assert_eq!(a.credit("time_decay_7d", &content, Currency::USD), usd("2019049.73"));
    for report in a.models.values() {
        assert_eq!(
            report.currencies[&Currency::USD].revenue,
            Money::new("25953600.00".parse().unwrap(), Currency::USD)
        );
        assert_eq!(report.non_converting, 4736);
    }
}

/// Sections 7 and 8 of the quickstart: the data-driven models of the agreement, computed by
/// the scorecard from its merged counts, equal the crate's direct calls, and every column of
/// every model credits the bookings to the cent.
#[test]
fn the_sample_scorecard_has_the_data_driven_figures() {
    use revops::attribution::{CoalitionCounts, MarkovModel, ShapleyAttribution};
    let (_, card) = sample();
    let a = &card.attribution;
    let usd = |amount: &str| Money::new(amount.parse().unwrap(), Currency::USD);
    let bookings = usd("25953600.00");
    assert_eq!((a.converted, a.non_converting), (Ratio::new(264, 5000), 4736));
    assert_eq!(a.converted.to_string(), "264/5000 (5.3%)");
    assert_eq!(a.bookings.get(&Currency::USD), Some(&bookings));
    // The direct calls of section 7 (the sample company's lead journeys as path columns).
    let company = Company::sample();
    let journeys = company.lead_journeys().unwrap();
    let mut counts = MarkovModel::new(1).unwrap().counts(Currency::USD);
    counts.push_columns(&journeys).unwrap();
    let direct = counts.finish().unwrap();
    let mut coalitions = CoalitionCounts::new(Currency::USD);
    coalitions.push_columns(&journeys).unwrap();
    let direct_shapley = coalitions.simplified().unwrap();
    let markov = &a.markov["markov_o1"];
    assert_eq!((markov.journeys, markov.conversions, markov.total_value), (5000, 264, bookings));
    assert!((markov.conversion_probability - direct.conversion_probability).abs() < 1e-12);
    assert_eq!(format!("{:.4}%", markov.conversion_probability * 100.0), "5.2800%");
    assert_eq!(markov.channels.len(), direct.channels.len());
    for (m, d) in markov.channels.iter().zip(&direct.channels) {
        assert_eq!((&m.channel, m.value), (&d.channel, d.value));
        assert!((m.removal_effect - d.removal_effect).abs() < 1e-12, "{m:?} {d:?}");
        assert!((m.share - d.share).abs() < 1e-12 && (m.conversions - d.conversions).abs() < 1e-12);
    }
    let Some(ShapleyAttribution::Simplified(shapley)) = a.shapley.get("shapley") else { panic!("{:?}", a.shapley) };
    assert_eq!(shapley.total_value, bookings);
    for (s, d) in shapley.channels.iter().zip(&direct_shapley.channels) {
        assert_eq!((&s.channel, s.value), (&d.channel, d.value));
        assert!((s.conversions - d.conversions).abs() < 1e-12 && (s.share - d.share).abs() < 1e-12);
    }
    // Section 7's rows, to the cent (and the shares as printed).
    let content = ChannelId::new("content").unwrap();
    let row = |name: &str| {
        let m = markov.channels.iter().find(|c| c.channel.as_str() == name).unwrap();
        let s = shapley.channels.iter().find(|c| c.channel.as_str() == name).unwrap();
        let pct = |x: f64| format!("{:.1}%", x * 100.0);
        (
            pct(m.removal_effect),
            pct(m.share),
            format!("{:.1}", m.conversions),
            m.value,
            format!("{:.1}", s.conversions),
            s.value,
        )
    };
    let text = |(a, b, c): (&str, &str, &str)| (a.to_owned(), b.to_owned(), c.to_owned());
    let expect = |r: (&str, &str, &str), m: &str, w: &str, s: &str| {
        let (a, b, c) = text(r);
        (a, b, c, usd(m), w.to_owned(), usd(s))
    };
    assert_eq!(row("content"), expect(("26.0%", "8.9%", "23.5"), "2330183.14", "21.1", "2362792.55"));
    assert_eq!(row("paid_search"), expect(("39.5%", "13.5%", "35.7"), "3415080.29", "32.2", "2968012.69"));
    assert_eq!(row("partner"), expect(("12.1%", "4.1%", "10.9"), "957018.03", "8.9", "712916.68"));
    assert_eq!(row("webinar"), expect(("17.1%", "5.9%", "15.5"), "1495447.13", "15.5", "1514453.86"));
    assert_eq!(a.credit("markov_o1", &content, Currency::USD), Some(usd("2330183.14")));
    assert_eq!(a.credit("shapley", &content, Currency::USD), Some(usd("2362792.55")));
    // Every column of every model sums to the bookings, to the cent.
    let models =
        ["first_touch", "linear", "u_shaped", "w_shaped", "full_path", "time_decay_7d", "markov_o1", "shapley"];
    for model in models {
        let credits = a.credits(model, Currency::USD).unwrap().unwrap();
        assert_eq!(credits.len(), 12, "{model}");
        assert_eq!(
            Money::checked_sum(credits.into_iter().map(|(_, m)| m), Currency::USD).unwrap(),
            bookings,
            "{model}"
        );
    }
    // Section 8: the side-by-side table, the partner row and the totals.
    let eight = ["first_touch", "linear", "w_shaped", "time_decay_7d", "markov_o1", "shapley"];
    let table = a.table(eight.map(|m| (m, m)), Currency::USD).unwrap();
    assert_eq!(table.totals(), [bookings; 6]);
    let partner: Vec<Money> = table.rows().find(|(c, _)| c.as_str() == "partner").unwrap().1.to_vec();
    let expected = ["382100.00", "550339.10", "376161.71", "618588.05", "957018.03", "712916.68"];
    assert_eq!(partner, expected.map(usd));
    assert!(matches!(a.table([("nope", "?")], Currency::USD).unwrap_err().kind(), ErrorKind::UnknownKey { .. }));
}

/// A data-driven model the data cannot determine (no converting journey) is set aside by
/// name, without aborting the scorecard; strict mode stops at it.
#[test]
fn a_data_driven_model_without_conversions_is_an_exclusion_not_an_abort() {
    let company = Company::new(42, 60).unwrap();
    let mut facts = company.facts();
    facts.journeys.retain(|j| !j.is_converted());
    let card = agreement().evaluate(&facts, company.as_of()).unwrap();
    let a = &card.attribution;
    assert!(a.markov.is_empty() && a.shapley.is_empty());
    assert_eq!(a.models.len(), 6);
    let parts: Vec<(Option<&str>, Option<&str>)> =
        a.excluded.iter().map(|e| (e.part.as_deref(), e.record.as_deref())).collect();
    assert_eq!(parts, [(Some("markov_o1"), None), (Some("shapley"), None)]);
    assert!(a.excluded.iter().all(|e| e.error.contains("no converting journeys")), "{:?}", a.excluded);
    let err = agreement().evaluate_strict(&facts, company.as_of()).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::NoConvertingJourneys { .. }), "{err}");
}

#[test]
fn the_scorecard_round_trips_through_json() {
    let (_, card) = sample();
    let json = serde_json::to_string(card).unwrap();
    let back: Scorecard = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, card);
}

/// The sample company's facts split into up to `cuts.len() + 1` partitions by lead, the
/// accounts and the recurring revenue dealt round-robin over them.
fn partitions(company: &Company, cuts: &[usize]) -> Vec<FactSet> {
    let mut bounds: Vec<usize> = cuts.iter().map(|c| c % company.lead_count()).collect();
    bounds.push(0);
    bounds.push(company.lead_count());
    bounds.sort_unstable();
    bounds.dedup();
    let mut parts: Vec<FactSet> = bounds.windows(2).map(|w| company.lead_facts_in(w[0]..w[1])).collect();
    let facts = company.facts();
    let n = parts.len();
    for (i, account) in facts.accounts.into_iter().enumerate() {
        parts[i % n].accounts.push(account);
    }
    // Recurring revenue is an account's: dealt round-robin too (one history in many parts).
    for (i, fact) in facts.recurring_revenue.into_iter().enumerate() {
        parts[i % n].recurring_revenue.push(fact);
    }
    parts[0].contacts = facts.contacts;
    parts[0].spend = facts.spend;
    parts
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// Partitions by lead, merged in any tree order, give the scorecard of one pass.
    #[test]
    fn partitions_merged_in_any_order_give_one_pass(
        cuts in proptest::collection::vec(0usize..5_000, 1..6),
        order in proptest::collection::vec(any::<proptest::sample::Index>(), 8),
    ) {
        let company = Company::sample();
        let as_of = company.as_of();
        let (_, whole) = sample();
        let merged = random_tree(agreement(), as_of, &partitions(&company, &cuts), &order);
        prop_assert_eq!(&merged, whole);
    }
}

#[test]
fn merge_refuses_another_agreement_or_as_of() {
    let company = Company::new(42, 100).unwrap();
    let other = {
        let mut parts = agreement().parts().clone();
        parts.version = "2".into();
        Agreement::new(parts).unwrap()
    };
    let mut mine = agreement().tally(company.as_of()).unwrap();
    let err = mine.merge(other.tally(company.as_of()).unwrap()).unwrap_err();
    assert_eq!(err, ErrorKind::DefinitionMismatch { tally: "scorecard", field: "fingerprint" });
    let later = company.as_of() + TimeDelta::hours(1);
    let err = mine.merge(agreement().tally(later).unwrap()).unwrap_err();
    assert_eq!(err, ErrorKind::DefinitionMismatch { tally: "scorecard", field: "as_of" });
}

#[test]
fn one_corrupted_record_is_set_aside_by_its_section_and_stops_strict_mode() {
    let company = Company::new(42, 400).unwrap();
    let mut facts = company.facts();
    let clean = agreement().evaluate(&facts, company.as_of()).unwrap();
    // A lead's MQL entry logged a day before the lead was created.
    let change = facts.stage_changes.iter_mut().find(|c| c.stage.as_str() == "mql").unwrap();
    let lead = change.entity.clone();
    let created = facts.leads.iter().find(|l| l.id == lead).unwrap().created_at;
    change.at = created - TimeDelta::days(1);
    let card = agreement().evaluate(&facts, company.as_of()).unwrap();
    let sla = &card.sla["sales_follow_up"];
    assert_eq!(sla.excluded.len(), 1, "{:?}", sla.excluded);
    let named = format!("lead `{lead}`");
    assert_eq!(sla.excluded[0].record.as_deref(), Some(named.as_str()));
    assert_eq!(sla.excluded[0].section, Section::Sla);
    assert!(sla.excluded[0].error.contains("mql"), "{}", sla.excluded[0].error);
    // Only that lead is missing from the SLA figures; every exclusion names it.
    let total = |c: &Scorecard| {
        let t = &c.sla["sales_follow_up"].response.as_ref().unwrap().summary.total;
        t.met + t.breached + t.active
    };
    assert_eq!(total(&card) + 1, total(&clean));
    assert!(card.exclusions().all(|e| e.record.as_deref() == Some(named.as_str())));
    // Attribution and ICP did not read it.
    assert_eq!(card.attribution, clean.attribution);
    assert_eq!(card.icp, clean.icp);
    // Strict mode stops at it.
    let err = agreement().evaluate_strict(&facts, company.as_of()).unwrap_err();
    assert_eq!(err.record(), Some(&revops::Record::Lead(lead)));
    assert!(matches!(err.kind(), ErrorKind::MilestoneOutOfOrder { .. }));
}

#[test]
fn a_response_for_an_unknown_lead_and_a_bad_journey_are_set_aside() {
    let company = Company::new(42, 200).unwrap();
    let mut facts = company.facts();
    let stray = revops::LeadId::new("L-stray").unwrap();
    facts.responses.push(revops::facts::Response::new(stray, company.as_of(), revops::facts::ResponseKind::Email));
    // A converted journey with a negative value.
    let j = facts.journeys.iter_mut().find(|j| j.is_converted()).unwrap();
    let id = j.id.clone();
    if let Some(c) = j.conversion.as_mut() {
        c.value = Money::from_minor(-100, Currency::USD);
    }
    let card = agreement().evaluate(&facts, company.as_of()).unwrap();
    let sla = &card.sla["sales_follow_up"].excluded;
    assert_eq!(sla.len(), 1);
    assert_eq!(sla[0].record.as_deref(), Some("lead `L-stray`"));
    // Every model sets the journey aside, each naming itself.
    let excluded = &card.attribution.excluded;
    let terms = &agreement().parts().attribution;
    assert_eq!(excluded.len(), terms.models.len() + terms.markov.len() + terms.shapley.len(), "{excluded:?}");
    let journey = format!("journey `{id}`");
    assert!(excluded.iter().all(|e| e.record.as_deref() == Some(journey.as_str()) && e.part.is_some()));
    assert!(agreement().evaluate_strict(&facts, company.as_of()).is_err());
}

/// Each partition pushed into its own tally, then random pairs merged (picked by `order`,
/// cycled) until one is left: a random merge tree; its scorecard.
pub(crate) fn random_tree(
    agreement: &Agreement,
    as_of: chrono::DateTime<chrono::Utc>,
    parts: &[FactSet],
    order: &[proptest::sample::Index],
) -> Scorecard {
    let mut tallies: Vec<_> = parts
        .iter()
        .map(|p| {
            let mut t = agreement.tally(as_of).unwrap();
            t.push(p).unwrap();
            t
        })
        .collect();
    let mut picks = order.iter().cycle();
    while tallies.len() > 1 {
        let i = picks.next().unwrap().index(tallies.len());
        let right = tallies.remove(i);
        let j = picks.next().unwrap().index(tallies.len());
        tallies[j].merge(right).unwrap();
    }
    tallies.pop().unwrap().finish().unwrap()
}
