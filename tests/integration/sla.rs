//! Laws of SLA evaluation and of its accumulators.

use chrono::{NaiveDate, TimeDelta};
use proptest::prelude::*;
use revops::calendar::{BusinessClock, BusinessSpan, BusinessTimeline};
use revops::facts::{Disposition, DispositionOutcome, FactSet, Lead, Reason, StageChange};
use revops::sla::{
    ClockStart, ComplianceReport, LeadMilestones, LeadResponse, MilestoneStages, QualityCommitment, QualityFact,
    QualityTally, ResponsePolicy, SlaStatus, SpeedToLead,
};
use revops::testkit::Company;
use revops::testkit::sla::{business_calendar, sla_instance};
use revops::{LeadId, Probability, StageId};

fn policy(minutes: u32) -> ResponsePolicy {
    ResponsePolicy::new("follow_up", ClockStart::Mql, BusinessSpan::minutes(minutes))
        .unwrap()
        .with_at_risk(Probability::from_percent(75).unwrap())
        .unwrap()
}

fn responses() -> impl Strategy<Value = Vec<LeadResponse>> {
    proptest::collection::vec(
        (any::<bool>(), 0i64..100_000).prop_map(|(done, s)| {
            let d = TimeDelta::try_seconds(s).unwrap();
            if done { LeadResponse::Responded(d) } else { LeadResponse::Waiting(d) }
        }),
        0..40,
    )
}

/// One quality view per `(meets rules, disposition, became SQL)`, derived from facts: lead `Qn`
/// created, MQL, dispositioned (0 none, 1 accepted, 2 rejected, 3 recycled), SQL or not.
fn quality_facts_of(raw: Vec<(bool, u8, bool)>) -> Vec<QualityFact> {
    let t = |h: i64| chrono::DateTime::from_timestamp(1_717_405_200 + h * 3_600, 0).unwrap();
    let (mql, sql) = (StageId::new("mql").unwrap(), StageId::new("sql").unwrap());
    let stages = MilestoneStages::new(mql.clone(), mql.clone(), sql.clone());
    let mut facts = FactSet::default();
    let mut rules = Vec::new();
    for (n, (meets, d, became_sql)) in raw.into_iter().enumerate() {
        let id = LeadId::new(format!("Q{n}")).unwrap();
        facts.leads.push(Lead::new(id.clone(), t(0)));
        facts.stage_changes.push(StageChange { entity: id.clone(), stage: mql.clone(), at: t(1) });
        if became_sql {
            facts.stage_changes.push(StageChange { entity: id.clone(), stage: sql.clone(), at: t(5) });
        }
        let outcome = match d {
            0 => None,
            1 => Some(DispositionOutcome::Accepted),
            2 => Some(DispositionOutcome::Rejected { reason: Reason::BadFit }),
            _ => Some(DispositionOutcome::Recycled { reason: Reason::BadTiming }),
        };
        if let Some(outcome) = outcome {
            facts.dispositions.push(Disposition { lead: id, at: t(2), outcome });
        }
        rules.push(meets);
    }
    LeadMilestones::from_fact_set(&stages, &facts)
        .unwrap()
        .iter()
        .zip(rules)
        .map(|(m, meets)| QualityFact::from_milestones(m, meets).unwrap())
        .collect()
}

fn speed(items: &[LeadResponse]) -> SpeedToLead {
    let mut s = SpeedToLead::new(TimeDelta::try_hours(4).unwrap()).unwrap();
    for r in items {
        s.push(*r).unwrap();
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn outcomes_are_consistent(cal in business_calendar(), instance in sla_instance(), minutes in 0u32..3_000, late in 0i64..30 * 86_400) {
        let as_of = instance.start + TimeDelta::try_seconds(late).unwrap();
        let p = policy(minutes);
        let o = p.evaluate(&cal, &instance, as_of).unwrap();
        let target = TimeDelta::try_minutes(i64::from(minutes)).unwrap();
        prop_assert_eq!(o.target, target);
        prop_assert!(o.business_elapsed >= TimeDelta::zero());
        prop_assert!(o.business_elapsed + o.paused <= o.wall_elapsed);
        match o.status {
            SlaStatus::Met => prop_assert!(o.stop.is_some()),
            SlaStatus::Breached { by } => {
                prop_assert!(by >= TimeDelta::zero());
                prop_assert!(o.deadline.is_some_and(|d| o.stop.unwrap_or(as_of) > d));
            }
            SlaStatus::Active { remaining, .. } => {
                prop_assert!(o.stop.is_none());
                prop_assert_eq!(remaining, target - o.business_elapsed);
                prop_assert!(o.deadline.is_some_and(|d| as_of <= d));
            }
            SlaStatus::Paused => prop_assert!(o.stop.is_none() && o.deadline.is_none()),
            other => prop_assert!(false, "new status {other:?}"),
        }
        // The precomputed timeline gives the same outcome (fast path included).
        let tl = BusinessTimeline::new(&cal, NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()).unwrap();
        prop_assert_eq!(p.evaluate(&tl, &instance, as_of).unwrap(), o);
        if instance.pauses.is_empty() {
            // Without pauses the deadline is the calendar's addition, and met means stop <= deadline.
            let deadline = cal.add(instance.start, BusinessSpan::minutes(minutes)).unwrap();
            prop_assert_eq!(o.deadline, Some(deadline));
            if let Some(stop) = o.stop {
                prop_assert_eq!(o.status == SlaStatus::Met, stop <= deadline);
            }
        }
    }

    #[test]
    fn policies_round_trip_through_serde(seconds in 0i64..10_000_000, days in 0u32..30, risk in 0u8..=100, which in 0u8..3) {
        let target = match which {
            0 => BusinessSpan::time(TimeDelta::try_seconds(seconds).unwrap()).unwrap(),
            1 => BusinessSpan::business_days(days),
            _ => BusinessSpan::schedule_days(days),
        };
        let p = ResponsePolicy::new("follow_up", ClockStart::Handoff, target)
            .unwrap()
            .with_at_risk(Probability::from_percent(risk).unwrap())
            .unwrap();
        let json = serde_json::to_string(&p).unwrap();
        prop_assert_eq!(serde_json::from_str::<ResponsePolicy>(&json).unwrap(), p);
    }

    #[test]
    fn speed_to_lead_merge_is_associative_and_commutative(a in responses(), b in responses(), c in responses()) {
        let mut left = speed(&a);
        let mut ab = speed(&b);
        left.merge(speed(&b)).unwrap();
        left.merge(speed(&c)).unwrap();
        ab.merge(speed(&c)).unwrap();
        let mut right = speed(&a);
        right.merge(ab).unwrap();
        let mut swapped = speed(&c);
        swapped.merge(speed(&a)).unwrap();
        swapped.merge(speed(&b)).unwrap();
        let all: Vec<_> = a.iter().chain(&b).chain(&c).copied().collect();
        prop_assert_eq!(left.clone().finish(), right.finish());
        prop_assert_eq!(left.clone().finish(), swapped.finish());
        prop_assert_eq!(left.finish(), speed(&all).finish());
    }

    #[test]
    fn quality_merge_is_associative_and_commutative(facts in proptest::collection::vec((any::<bool>(), 0u8..4, any::<bool>()), 0..60), cut1 in 0usize..60, cut2 in 0usize..60) {
        let commitment = QualityCommitment::new("q").unwrap().min_acceptance(Probability::from_percent(60).unwrap());
        let facts = quality_facts_of(facts);
        let (i, j) = (cut1.min(cut2).min(facts.len()), cut1.max(cut2).min(facts.len()));
        let tally = |part: &[QualityFact]| {
            let mut t = QualityTally::new(&commitment);
            for f in part {
                t.push(f).unwrap();
            }
            t
        };
        let (x, y, z) = (tally(&facts[..i]), tally(&facts[i..j]), tally(&facts[j..]));
        // (x + y) + z
        let mut left = x.clone();
        left.merge(y.clone()).unwrap();
        left.merge(z.clone()).unwrap();
        // x + (y + z)
        let mut yz = y.clone();
        yz.merge(z.clone()).unwrap();
        let mut right = x.clone();
        right.merge(yz).unwrap();
        // (z + x) + y
        let mut swapped = z;
        swapped.merge(x).unwrap();
        swapped.merge(y).unwrap();
        prop_assert_eq!(left.clone().finish(), right.finish());
        prop_assert_eq!(left.clone().finish(), swapped.finish());
        prop_assert_eq!(left.finish(), tally(&facts).finish());
    }
}

#[test]
fn compliance_report_merge_matches_one_pass_on_the_sample_company() {
    let company = Company::new(5, 3_000).unwrap();
    let timeline = company.sla_timeline().unwrap();
    let p = policy(240);
    let target = TimeDelta::try_hours(4).unwrap();
    let report = || ComplianceReport::new(target).unwrap();
    let mut one = report();
    let mut parts = [report(), report(), report()];
    for (i, lead) in company.leads().enumerate() {
        let milestones = Company::sla_milestones(&lead).unwrap();
        if let Some(outcome) = p.evaluate_lead(&timeline, &milestones, company.as_of()).unwrap() {
            let team = company.team(&lead);
            one.push(team.clone(), lead.id.clone(), &outcome).unwrap();
            parts[i % 3].push(team, lead.id, &outcome).unwrap();
        }
    }
    let [a, b, c] = parts;
    let mut left = a.clone();
    left.merge(b.clone()).unwrap();
    left.merge(c.clone()).unwrap();
    let mut right = c;
    let mut ab = b;
    ab.merge(a).unwrap();
    right.merge(ab).unwrap();
    let one = one.finish().unwrap();
    assert_eq!(left.finish().unwrap(), one);
    assert_eq!(right.finish().unwrap(), one);
    // The sample data spreads responses around a 4-hour target: some met, some breached.
    assert!(one.total.met > 100 && one.total.breached > 100, "{:?}", one.total.compliance);
    assert!(one.groups.len() == 4);
    let _: Option<LeadId> = one.total.breaches.first().map(|b| b.lead.clone());
}

#[test]
fn milestones_from_a_fact_set_do_not_depend_on_the_facts_order() {
    let company = Company::new(11, 400).unwrap();
    let leads: Vec<_> = company.leads().collect();
    let mut all = FactSet::default();
    for lead in &leads {
        let facts = Company::sla_facts(lead);
        all.leads.extend(facts.leads);
        all.stage_changes.extend(facts.stage_changes);
        all.responses.extend(facts.responses);
        all.dispositions.extend(facts.dispositions);
    }
    let one_by_one: Vec<_> = leads.iter().map(|l| Company::sla_milestones(l).unwrap()).collect();
    assert_eq!(LeadMilestones::from_fact_set(&Company::sla_stages(), &all).unwrap(), one_by_one);
    all.stage_changes.reverse();
    all.responses.reverse();
    all.dispositions.reverse();
    assert_eq!(LeadMilestones::from_fact_set(&Company::sla_stages(), &all).unwrap(), one_by_one);
    // Per lead from the whole slices (other leads' facts skipped): the same again.
    for (lead, expected) in all.leads.iter().zip(&one_by_one).step_by(37) {
        let m = LeadMilestones::from_facts(
            &Company::sla_stages(),
            lead,
            &all.stage_changes,
            &all.responses,
            &all.dispositions,
        )
        .unwrap();
        assert_eq!(&m, expected);
    }
    assert!(one_by_one.iter().any(|m| m.disposition().is_some() && m.sql().is_some()));
}

/// Issue 11 item 3 / issue 12 item 8: for every SLA accumulator, split the facts randomly,
/// send each part's partial state through JSON, merge in a random tree order: equal to one
/// pass (so merge is commutative and associative, and a deserialized state merges like the
/// original). The compliance facts reuse few leads, starts and deadlines, so breaches tie on
/// (deadline, lead, start) and only the total order keeps the list the same.
#[cfg(feature = "serde")]
mod split_merge {
    use chrono::{TimeDelta, TimeZone, Utc};
    use proptest::prelude::*;
    use revops::Period;
    use revops::calendar::{BusinessCalendar, BusinessSpan};
    use revops::sla::{
        ClockStart, ComplianceReport, LeadResponse, QualityCommitment, QualityFact, QualityTally, ResponsePolicy,
        SlaInstance, SlaOutcome, SpeedToLead, VolumeAmount, VolumeCommitment, VolumeFact, VolumeMeasure, VolumeTally,
    };
    use revops::{Currency, LeadId, Money, Probability, SegmentId, Tally};
    use serde::Serialize;
    use serde::de::DeserializeOwned;

    /// Tallies `facts` split by `assign` (part per fact), each part through JSON, merged in the
    /// order `picks` gives; and in one pass.
    fn split_and_merge<T>(
        new: &dyn Fn() -> T,
        facts: &[T::Fact],
        assign: &[usize],
        picks: &[(usize, usize)],
    ) -> (T::Output, T::Output)
    where
        T: Tally + Serialize + DeserializeOwned,
        T::Fact: Sized,
    {
        let mut parts: Vec<T> = (0..4).map(|_| new()).collect();
        for (fact, part) in facts.iter().zip(assign.iter().cycle()) {
            parts[part % 4].push(fact).unwrap();
        }
        let mut parts: Vec<T> =
            parts.into_iter().map(|p| serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap()).collect();
        let mut picks = picks.iter().cycle();
        while parts.len() > 1 {
            let &(i, j) = picks.next().unwrap();
            let i = i % parts.len();
            let mut j = j % parts.len();
            if i == j {
                j = (i + 1) % parts.len();
            }
            let other = parts.remove(j);
            let into = if j < i { i - 1 } else { i };
            parts[into].merge(other).unwrap();
        }
        let merged = parts.pop().unwrap().finish().unwrap();
        let mut one = new();
        for fact in facts {
            one.push(fact).unwrap();
        }
        (merged, one.finish().unwrap())
    }

    fn assign() -> impl Strategy<Value = Vec<usize>> {
        proptest::collection::vec(0usize..4, 1..40)
    }

    fn picks() -> impl Strategy<Value = Vec<(usize, usize)>> {
        proptest::collection::vec((0usize..8, 0usize..8), 1..8)
    }

    fn outcomes() -> impl Strategy<Value = Vec<(String, LeadId, SlaOutcome)>> {
        let calendar =
            BusinessCalendar::builder("America/New_York").weekdays("09:00-17:00".parse().unwrap()).build().unwrap();
        let policy = ResponsePolicy::new("follow_up", ClockStart::Mql, BusinessSpan::hours(2))
            .unwrap()
            .with_at_risk(Probability::from_percent(50).unwrap())
            .unwrap();
        let base = Utc.with_ymd_and_hms(2024, 6, 3, 13, 0, 0).unwrap();
        let as_of = Utc.with_ymd_and_hms(2024, 6, 5, 15, 0, 0).unwrap();
        proptest::collection::vec((0u8..2, 0u8..3, 0i64..3, proptest::option::of(0i64..40)), 0..40).prop_map(
            move |raw| {
                raw.into_iter()
                    .map(|(team, lead, start, stop)| {
                        let start = base + TimeDelta::try_hours(start).unwrap();
                        let stop = stop.map(|h| start + TimeDelta::try_hours(h).unwrap());
                        let outcome = policy.evaluate(&calendar, &SlaInstance::new(start, stop), as_of).unwrap();
                        (format!("team{team}"), LeadId::new(format!("L{lead}")).unwrap(), outcome)
                    })
                    .collect()
            },
        )
    }

    fn quality_facts() -> impl Strategy<Value = Vec<QualityFact>> {
        proptest::collection::vec((any::<bool>(), 0u8..4, any::<bool>()), 0..40).prop_map(super::quality_facts_of)
    }

    fn volume_facts() -> impl Strategy<Value = Vec<VolumeFact>> {
        let base = Utc.with_ymd_and_hms(2024, 5, 25, 0, 0, 0).unwrap();
        proptest::collection::vec((0i64..45, 0u8..3, 0i64..1_000_000, any::<bool>()), 0..40).prop_map(move |raw| {
            raw.into_iter()
                .map(|(day, measure, cents, enterprise)| {
                    let at = base + TimeDelta::try_days(day).unwrap();
                    let fact = match measure {
                        0 => VolumeFact::mql(at),
                        1 => VolumeFact::sql(at),
                        _ => VolumeFact::pipeline(at, Money::from_minor(cents, Currency::USD)),
                    };
                    if enterprise { fact.in_segment(SegmentId::new("enterprise").unwrap()) } else { fact }
                })
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn compliance_report(facts in outcomes(), assign in assign(), picks in picks()) {
            let new = || ComplianceReport::<String>::new(TimeDelta::try_hours(2).unwrap()).unwrap();
            let (merged, one) = split_and_merge(&new, &facts, &assign, &picks);
            prop_assert_eq!(merged, one);
        }

        #[test]
        fn speed_to_lead(facts in super::responses(), assign in assign(), picks in picks()) {
            let new = || SpeedToLead::new(TimeDelta::try_hours(4).unwrap()).unwrap();
            let facts: Vec<LeadResponse> = facts;
            let (merged, one) = split_and_merge(&new, &facts, &assign, &picks);
            prop_assert_eq!(merged, one);
        }

        #[test]
        fn volume_tally(facts in volume_facts(), assign in assign(), picks in picks(), pipeline in any::<bool>()) {
            let june = Period::new(Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).unwrap(), Utc.with_ymd_and_hms(2024, 7, 1, 0, 0, 0).unwrap()).unwrap();
            let commitment = if pipeline {
                VolumeCommitment::new("pipe", VolumeMeasure::Pipeline, VolumeAmount::Amount(Money::from_minor(5_000_000, Currency::USD)))
                    .unwrap()
                    .for_segment(SegmentId::new("enterprise").unwrap())
            } else {
                VolumeCommitment::new("mqls", VolumeMeasure::Mqls, VolumeAmount::Count(10)).unwrap()
            };
            let new = || VolumeTally::new(&commitment, june);
            let (merged, one) = split_and_merge(&new, &facts, &assign, &picks);
            prop_assert_eq!(merged, one);
        }

        #[test]
        fn quality_tally(facts in quality_facts(), assign in assign(), picks in picks()) {
            let commitment = QualityCommitment::new("q").unwrap().min_acceptance(Probability::from_percent(60).unwrap());
            let new = || QualityTally::new(&commitment);
            let (merged, one) = split_and_merge(&new, &facts, &assign, &picks);
            prop_assert_eq!(merged, one);
        }
    }
}
