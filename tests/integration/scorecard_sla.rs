//! The scorecard's SLA section: the quickstart's section 4 figures (teams by account region,
//! speed to lead, breaches, disposition, marketing's volume per month and quality), and the
//! team join across partitions.

use std::sync::OnceLock;

use chrono::TimeDelta;
use revops::agreement::scorecard::{Scorecard, SlaSection, UNASSIGNED};
use revops::agreement::{Agreement, TeamRule};
use revops::sla::VolumeAmount::Count;
use revops::sla::{QualityMetric, VolumeAmount};
use revops::testkit::{Company, sample_agreement};
use revops::{ErrorKind, Tally};

fn agreement() -> &'static Agreement {
    static AGREEMENT: OnceLock<Agreement> = OnceLock::new();
    AGREEMENT.get_or_init(|| sample_agreement().unwrap())
}

fn sample() -> &'static Scorecard {
    static SAMPLE: OnceLock<Scorecard> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let company = Company::sample();
        agreement().evaluate(&company.facts(), company.as_of()).unwrap()
    })
}

fn section(card: &Scorecard) -> &SlaSection {
    &card.sla["sales_follow_up"]
}

/// A team's row: team, met, breached, active, compliance, median and p90 (minutes), within target.
type Row<'a> = (&'a str, u64, u64, u64, String, Option<i64>, Option<i64>, String);

fn minutes(d: Option<TimeDelta>) -> Option<i64> {
    d.map(|d| d.num_minutes())
}

#[test]
fn the_sla_section_has_the_quickstarts_section_4_figures() {
    let s = section(sample());
    assert!(s.excluded.is_empty(), "{:?}", s.excluded);
    // The definitions in words.
    assert_eq!(s.words.calendar, "America/New_York Mon-Fri 09:00-17:00, 20 holidays in 2024-2025");
    assert_eq!(
        s.words.response.as_deref(),
        Some("first sales touch within 4h business time of the MQL (at risk at 75%)")
    );
    assert_eq!(s.words.disposition.as_deref(), Some("accept, reject or recycle within 2 business days"));
    assert_eq!(s.words.volume, ["at least 160 MQLs per month (months in New York time)"]);
    assert_eq!(
        (s.words.speed.as_deref(), s.words.opening.as_deref()),
        (Some("MQL to first sales touch"), Some("09:00"))
    );
    // Response compliance by team (the account's region), and in total.
    let r = s.response.as_ref().unwrap();
    assert_eq!(r.within.to_string(), "4h");
    let rows: Vec<Row<'_>> = r
        .summary
        .groups
        .iter()
        .map(|(team, g)| (team.as_str(), g))
        .chain([("all teams", &r.summary.total)])
        .map(|(team, g)| {
            let speed = &g.speed;
            let (median, p90) = (minutes(speed.median), minutes(speed.p90));
            (team, g.met, g.breached, g.active, g.compliance.to_string(), median, p90, speed.within_target.to_string())
        })
        .collect();
    let row =
        |team, met, breached, c: &str, p90| (team, met, breached, 0, c.to_owned(), Some(0), Some(p90), c.to_owned());
    assert_eq!(
        rows,
        [
            row("apac", 241, 80, "241/321 (75.1%)", 8 * 60),
            row("europe", 509, 177, "509/686 (74.2%)", 13 * 60 + 37),
            row("latam", 83, 29, "83/112 (74.1%)", 9 * 60 + 10),
            row("north_america", 727, 282, "727/1009 (72.1%)", 14 * 60 + 7),
            row("all teams", 1560, 568, "1560/2128 (73.3%)", 12 * 60 + 11),
        ]
    );
    // Speed to lead, business time and wall clock.
    let speed = &r.summary.total.speed;
    assert_eq!((speed.responded, speed.waiting, speed.target), (2061, 67, TimeDelta::hours(4)));
    let wall = s.wall_clock.unwrap();
    assert_eq!((minutes(wall.median), minutes(wall.p90)), (Some(3 * 60 + 56), Some(42 * 60 + 56)));
    assert_eq!((wall.responded, wall.waiting), (2061, 67));
    // Breaches: count, open past the deadline, the worst.
    assert_eq!((r.summary.total.breached, r.open_breaches), (568, 67));
    let worst = r.worst_breach.as_ref().unwrap();
    assert_eq!((worst.lead.as_str(), worst.by.num_minutes()), ("L00000302", 2497 * 60 + 21));
    // Disposition.
    let d = s.disposition.as_ref().unwrap();
    assert_eq!(
        (d.summary.total.compliance.to_string(), d.within.to_string()),
        ("1821/2128 (85.6%)".into(), "2 business days".into())
    );
    // Marketing: MQLs per New York month, and quality.
    let months: Vec<(&str, VolumeAmount, bool, VolumeAmount)> =
        s.volume.iter().map(|v| (v.month.as_str(), v.result.actual, v.result.met, v.result.gap)).collect();
    assert_eq!(
        months,
        [
            ("2024-09", Count(198), true, Count(0)),
            ("2024-10", Count(173), true, Count(0)),
            ("2024-11", Count(174), true, Count(0)),
            ("2024-12", Count(155), false, Count(5)),
        ]
    );
    let september = &s.volume[0].result.period;
    assert_eq!(september.start().to_rfc3339(), "2024-09-01T04:00:00+00:00"); // midnight EDT
    let q = s.quality.as_ref().unwrap();
    assert_eq!(q.mqls, 2128);
    let checks: Vec<(QualityMetric, String, String, Option<bool>)> =
        q.checks.iter().map(|c| (c.metric, c.actual.to_string(), c.minimum.to_string(), c.met)).collect();
    assert_eq!(
        checks,
        [
            (
                QualityMetric::Acceptance,
                "1558/2061 (75.6%)".into(),
                revops::Probability::from_percent(70).unwrap().to_string(),
                Some(true)
            ),
            (
                QualityMetric::MqlToSql,
                "1070/2128 (50.3%)".into(),
                revops::Probability::from_percent(30).unwrap().to_string(),
                Some(true)
            ),
        ]
    );
    // The plain-text form the quickstart prints.
    let text = s.to_string();
    assert!(
        text.contains("  breaches            568 (open past the deadline: 67; worst 2497h21m over, lead L00000302)\n")
    );
    assert!(text.contains("    2024-12             155 MQLs  missed by 5\n"));
}

#[test]
fn teams_join_accounts_from_any_partition() {
    // Leads in one partition, their accounts in another: the teams are the same as one pass.
    let company = Company::new(42, 600).unwrap();
    let facts = company.facts();
    let whole = agreement().evaluate(&facts, company.as_of()).unwrap();
    let (mut leads, mut accounts) =
        (agreement().tally(company.as_of()).unwrap(), agreement().tally(company.as_of()).unwrap());
    leads.push(&company.lead_facts_in(0..600)).unwrap();
    accounts.push(&revops::facts::FactSet { accounts: facts.accounts.clone(), ..Default::default() }).unwrap();
    accounts.merge(leads).unwrap();
    let merged = accounts.finish().unwrap();
    assert_eq!(merged.sla, whole.sla);
    let teams: Vec<&String> = section(&whole).response.as_ref().unwrap().summary.groups.keys().collect();
    assert_eq!(teams, ["apac", "europe", "latam", "north_america"]);
    // Without the accounts, every lead is unassigned (counted, not dropped).
    let alone = agreement().evaluate(&company.lead_facts_in(0..600), company.as_of()).unwrap();
    let groups = &section(&alone).response.as_ref().unwrap().summary;
    assert_eq!(groups.groups.keys().collect::<Vec<_>>(), [UNASSIGNED]);
    assert_eq!(groups.total.met, section(&whole).response.as_ref().unwrap().summary.total.met);
}

#[test]
fn an_account_given_two_regions_is_set_aside_and_its_leads_unassigned() {
    let company = Company::new(42, 300).unwrap();
    let mut facts = company.facts();
    let lead = facts.leads.iter().find(|l| l.account.is_some()).unwrap().clone();
    let account = lead.account.clone().unwrap();
    let mut twin = facts.accounts.iter().find(|a| a.id == account).unwrap().clone();
    twin.region = Some("mars".into());
    facts.accounts.push(twin);
    let card = agreement().evaluate(&facts, company.as_of()).unwrap();
    let s = section(&card);
    assert_eq!(s.excluded.len(), 1, "{:?}", s.excluded);
    assert_eq!(s.excluded[0].record.as_deref(), Some(format!("account `{account}`").as_str()));
    assert!(s.excluded[0].error.contains("mars"), "{}", s.excluded[0].error);
    let groups = &s.response.as_ref().unwrap().summary.groups;
    assert!(groups.contains_key(UNASSIGNED) && !groups.contains_key("mars"));
    let err = agreement().evaluate_strict(&facts, company.as_of()).unwrap_err();
    assert_eq!(err.record(), Some(&revops::Record::Account(account)));
}

#[test]
fn the_team_rule_is_part_of_the_agreement_and_checked() {
    // By lead owner, every sample lead is in the SDR queue.
    let mut parts = agreement().parts().clone();
    parts.sla.get_mut("sales_follow_up").unwrap().teams = TeamRule::LeadOwner;
    let by_owner = Agreement::new(parts.clone()).unwrap();
    let company = Company::new(42, 200).unwrap();
    let card = by_owner.evaluate(&company.facts(), company.as_of()).unwrap();
    let groups = &section(&card).response.as_ref().unwrap().summary.groups;
    assert_eq!(groups.keys().collect::<Vec<_>>(), ["sdr_queue"]);
    // An attribute no ICP criterion names is refused, naming the part.
    parts.sla.get_mut("sales_follow_up").unwrap().teams = TeamRule::AccountAttribute("sales_pod".into());
    let err = Agreement::new(parts).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::UnknownReference { part, key, .. } if part == "sla.sales_follow_up.teams" && key == "sales_pod"),
        "{err}"
    );
}

/// The response and disposition timers are each open instance's `escalation` as of `as_of`,
/// counted: running (and at risk), paused, the earliest at-risk and breach instants after
/// `as_of`. Read in the middle of the sample's history, where many instances are open.
#[test]
fn the_timers_are_the_open_instances_escalations() {
    use revops::sla::{LeadMilestones, SlaEscalation};
    let company = Company::new(5, 400).unwrap();
    let facts = company.facts();
    let terms = &agreement().parts().sla["sales_follow_up"];
    let calendar = agreement().calendar(&terms.calendar).unwrap();
    let (response, disposition) =
        (terms.policies.response.as_ref().unwrap(), terms.policies.disposition.as_ref().unwrap());
    let mut mqls: Vec<_> =
        facts.stage_changes.iter().filter(|c| c.stage == terms.milestones.mql).map(|c| c.at).collect();
    mqls.sort();
    let as_of = mqls[mqls.len() / 2] + TimeDelta::hours(1);
    let card = agreement().evaluate(&facts, as_of).unwrap();
    // (running, at risk, paused, next at risk, next breach) per policy, by hand.
    let mut expected = [(0, 0, 0, None, None), (0, 0, 0, None, None)];
    for lead in &facts.leads {
        let changes: Vec<_> = facts.stage_changes.iter().filter(|c| c.entity == lead.id).cloned().collect();
        let responses: Vec<_> = facts.responses.iter().filter(|r| r.lead == lead.id).cloned().collect();
        let dispositions: Vec<_> = facts.dispositions.iter().filter(|d| d.lead == lead.id).cloned().collect();
        let m = LeadMilestones::from_facts(&terms.milestones, lead, &changes, &responses, &dispositions).unwrap();
        let escalations = [
            response
                .instance(&m)
                .filter(|i| i.start <= as_of)
                .map(|i| response.escalation(calendar, &i, as_of).unwrap()),
            disposition
                .instance(&m)
                .filter(|i| i.start <= as_of)
                .map(|i| disposition.escalation(calendar, &i, as_of).unwrap()),
        ];
        for (e, slot) in escalations.into_iter().zip(&mut expected) {
            let earliest = |t: &mut Option<(chrono::DateTime<chrono::Utc>, String)>, at| {
                let candidate = (at, lead.id.as_str().to_owned());
                if t.as_ref().is_none_or(|t| candidate < *t) {
                    *t = Some(candidate);
                }
            };
            match e {
                Some(SlaEscalation::Open { at_risk_at, breach_at }) if breach_at > as_of => {
                    slot.0 += 1;
                    match at_risk_at {
                        Some(at) if at <= as_of => slot.1 += 1,
                        Some(at) => earliest(&mut slot.3, at),
                        None => {}
                    }
                    earliest(&mut slot.4, breach_at);
                }
                Some(SlaEscalation::Paused) => slot.2 += 1,
                _ => {}
            }
        }
    }
    let s = section(&card);
    let got = |t: &revops::agreement::scorecard::SlaTimers| {
        let timer =
            |t: &Option<revops::agreement::scorecard::SlaTimer>| t.as_ref().map(|t| (t.at, t.lead.as_str().to_owned()));
        (t.running, t.at_risk, t.paused, timer(&t.next_at_risk), timer(&t.next_breach))
    };
    assert_eq!(got(&s.response.as_ref().unwrap().timers), expected[0]);
    assert_eq!(got(&s.disposition.as_ref().unwrap().timers), expected[1]);
    assert!(expected[0].0 > 0 && expected[0].4.is_some(), "{:?}", expected[0]);
    assert!(s.to_string().contains("  response timers     "), "{s}");
}
