//! The main job on the built-in sample company: one report a revenue leader would read.
//!
//! `cargo run --release --example quickstart`
//!
//! Each capability of the crate adds its section below the company summary.

use std::collections::BTreeMap;

use chrono::TimeDelta;
use revops::testkit::{Company, SampleLead, SampleOutcome, SampleStage, SpendCategory};
use revops::{Currency, Error, ErrorKind, Money, Ratio, Tally};

fn main() -> Result<(), Error> {
    let company = Company::sample();
    let leads: Vec<SampleLead> = company.leads().collect();
    println!("revops quickstart: the sample company (seed {}, as of {})", company.seed(), company.as_of());
    println!();
    company_summary(&company, &leads)?;
    funnel_section(&company, &leads)?;
    icp_section(&company)?;
    sla_section(&company, &leads)?;
    metrics_section(&company, &leads)?;
    attribution_section(&leads)?;
    data_driven_section(&company)?;
    comparison_section(&leads)?;
    Ok(())
}

/// Section 1: what the sample data holds.
fn company_summary(company: &Company, leads: &[SampleLead]) -> Result<(), Error> {
    heading("1. The company at a glance");
    let touches: usize = leads.iter().map(|l| l.touches.len()).sum();
    let opportunities: Vec<_> = leads.iter().filter_map(|l| l.opportunity.as_ref()).collect();
    let won: Vec<_> = opportunities.iter().filter(|o| o.outcome == SampleOutcome::Won).collect();
    let lost = opportunities.iter().filter(|o| matches!(o.outcome, SampleOutcome::Lost { .. })).count();
    let bookings = Money::checked_sum(won.iter().map(|o| o.amount), Currency::USD)?;
    let spend = Money::checked_sum(company.spend().into_iter().map(|s| s.amount), Currency::USD)?;
    let media = Money::checked_sum(
        company.spend().into_iter().filter(|s| matches!(s.category, SpendCategory::Media(_))).map(|s| s.amount),
        Currency::USD,
    )?;
    println!("  accounts            {:>10}", company.account_count());
    println!("  leads (journeys)    {:>10}", leads.len());
    println!("  touches             {:>10}  ({:.1} per lead)", touches, ratio_f(touches, leads.len()));
    println!(
        "  opportunities       {:>10}  ({} won, {} lost, {} open)",
        opportunities.len(),
        won.len(),
        lost,
        opportunities.len() - won.len() - lost
    );
    println!("  win rate (closed)   {:>10}", Ratio::new(won.len() as u64, (won.len() + lost) as u64).to_string());
    println!("  bookings (won ACV)  {:>20}", bookings.to_string());
    println!("  S&M spend           {:>20}  (media {media})", spend.to_string());
    println!();

    let mut by_stage: BTreeMap<SampleStage, usize> = BTreeMap::new();
    for lead in leads {
        for change in &lead.stages {
            *by_stage.entry(change.stage).or_default() += 1;
        }
    }
    println!("  leads that ever entered each stage:");
    for stage in SampleStage::ALL {
        println!("    {:<14}{:>8}", stage.as_str(), by_stage.get(&stage).copied().unwrap_or(0));
    }
    println!();

    let mut by_channel: BTreeMap<&str, usize> = BTreeMap::new();
    for lead in leads {
        for touch in &lead.touches {
            *by_channel.entry(touch.channel.as_str()).or_default() += 1;
        }
    }
    println!("  touches by channel:");
    for (channel, n) in &by_channel {
        println!("    {channel:<14}{n:>8}");
    }
    println!();
    Ok(())
}

/// Section 4: the marketing/sales SLA, measured in business time.
#[allow(clippy::too_many_lines)] // one report, printed in order
fn sla_section(company: &Company, leads: &[SampleLead]) -> Result<(), Error> {
    use chrono::TimeZone;
    use revops::Period;
    use revops::calendar::{BusinessSpan, HoursMinutes};
    use revops::sla::{
        ClockStart, ComplianceReport, DispositionPolicy, LeadMilestones, LeadResponse, QualityCommitment, QualityFact,
        QualityMetric, QualityTally, ResponsePolicy, SpeedToLead, VolumeAmount, VolumeCommitment, VolumeFact,
        VolumeMeasure, VolumeTally,
    };
    use revops::{Probability, SegmentId};

    heading("4. SLAs in business time");
    let timeline = company.sla_timeline()?;
    let calendar = timeline.calendar();
    let as_of = company.as_of();
    let percent = Probability::from_percent;
    let response =
        ResponsePolicy::new("mql_follow_up", ClockStart::Mql, BusinessSpan::hours(4))?.with_at_risk(percent(75)?)?;
    let disposition = DispositionPolicy::new("mql_disposition", BusinessSpan::business_days(2))?;
    let target = response.target().as_time().unwrap_or_default();
    println!(
        "  calendar            {} Mon-Fri 09:00-17:00, {} holidays in 2024-2025",
        calendar.zone_name(),
        calendar.holidays().len()
    );
    println!(
        "  response SLA        first sales touch within {} business time of the MQL (at risk at 75%)",
        response.target()
    );
    println!("  disposition SLA     accept, reject or recycle within {}", disposition.within());
    println!("  as of               {as_of}");
    println!();

    let mut by_team: ComplianceReport<SegmentId> = ComplianceReport::new(target)?;
    let mut dispositions: ComplianceReport<SegmentId> =
        ComplianceReport::new(TimeDelta::try_hours(16).unwrap_or_default())?;
    let mut wall_clock = SpeedToLead::new(target)?;
    // Each lead's milestones, derived from its facts (lead, stage changes, sales touches,
    // disposition) with the sample funnel's MQL (also the handoff) and SQL stages.
    let milestones = leads.iter().map(Company::sla_milestones).collect::<Result<Vec<_>, Error>>()?;
    for (lead, m) in leads.iter().zip(&milestones) {
        let Some(outcome) = response.evaluate_lead(&timeline, m, as_of)? else { continue };
        let team = company.team(lead);
        by_team.push(team.clone(), lead.id.clone(), &outcome)?;
        wall_clock.push(if outcome.stop.is_some() {
            LeadResponse::Responded(outcome.wall_elapsed)
        } else {
            LeadResponse::Waiting(outcome.wall_elapsed)
        })?;
        if let Some(outcome) = disposition.evaluate_lead(&timeline, m, as_of)? {
            dispositions.push(team, lead.id.clone(), &outcome)?;
        }
    }
    let summary = by_team.finish()?;
    // Durations to the minute (rounded down) for the report.
    let duration = |d: Option<TimeDelta>| {
        d.map_or_else(|| "-".to_owned(), |d| HoursMinutes(TimeDelta::seconds(d.num_minutes() * 60)).to_string())
    };
    println!(
        "  {:<15}{:>6}{:>10}{:>8}  {:<18}{:>9}{:>9}  within {}",
        "response by team",
        "met",
        "breached",
        "active",
        "compliance",
        "median",
        "p90",
        HoursMinutes(target)
    );
    let rows = summary.groups.iter().map(|(team, g)| (team.as_str(), g)).chain([("all teams", &summary.total)]);
    for (team, g) in rows {
        println!(
            "  {:<15}{:>6}{:>10}{:>8}  {:<18}{:>9}{:>9}  {}",
            team,
            g.met,
            g.breached,
            g.active,
            g.compliance.to_string(),
            duration(g.speed.median),
            duration(g.speed.p90),
            g.speed.within_target
        );
    }
    println!();
    let speed = summary.total.speed;
    let wall = wall_clock.finish();
    println!("  speed to lead (MQL to first sales touch)   business time   wall clock");
    println!("    median                                 {:>15}{:>13}", duration(speed.median), duration(wall.median));
    println!("    p90                                    {:>15}{:>13}", duration(speed.p90), duration(wall.p90));
    println!("    responded / never responded            {:>15}{:>13}", speed.responded, speed.waiting);
    println!("    share within {:<26}{:>18}", HoursMinutes(target).to_string(), speed.within_target.to_string());
    println!("    (an MQL that arrives at night and is answered before the 09:00 opening took 0m of business time)");
    let worst = summary.total.breaches.iter().max_by_key(|b| b.by);
    println!(
        "  breaches            {} (open past the deadline: {}; worst {} over, lead {})",
        summary.total.breached,
        summary.total.breaches.iter().filter(|b| b.stop.is_none()).count(),
        duration(worst.map(|b| b.by)),
        worst.map_or("-", |b| b.lead.as_str())
    );
    let disposed = dispositions.finish()?;
    println!("  disposition         {} compliant within {}", disposed.total.compliance, disposition.within());
    println!();

    // Marketing's side: at least 160 MQLs a month, acceptance >= 70%, MQL-to-SQL >= 30%.
    let volume = VolumeCommitment::new("mqls_per_month", VolumeMeasure::Mqls, VolumeAmount::Count(160))?;
    println!("  marketing volume    at least 160 MQLs per month (months in New York time)");
    for month in 9..=12u32 {
        let bound = |y: i32, m: u32| calendar.zone().with_ymd_and_hms(y, m, 1, 0, 0, 0).single().map(|t| t.to_utc());
        let (Some(start), Some(end)) = (bound(2024, month), bound(2024 + i32::from(month == 12), month % 12 + 1))
        else {
            continue;
        };
        let mut tally = VolumeTally::new(&volume, Period::new(start, end)?);
        for at in milestones.iter().filter_map(LeadMilestones::mql) {
            tally.push(&VolumeFact::mql(at))?;
        }
        let r = tally.finish();
        let (VolumeAmount::Count(actual), VolumeAmount::Count(gap)) = (r.actual, r.gap) else { continue };
        let verdict = if r.met { "met".to_owned() } else { format!("missed by {gap}") };
        println!("    2024-{month:02}           {actual:>5} MQLs  {verdict}");
    }
    let quality = QualityCommitment::new("mql_quality")?.min_acceptance(percent(70)?).min_mql_to_sql(percent(30)?);
    let mut tally = QualityTally::new(&quality);
    for m in &milestones {
        // The sample company's qualification rules are the funnel's job; every MQL met them.
        if let Some(fact) = QualityFact::from_milestones(m, true) {
            tally.push(&fact)?;
        }
    }
    let q = tally.finish();
    println!("  marketing quality   {} MQLs", q.mqls);
    for check in &q.checks {
        let verdict = match (check.met, check.gap_points) {
            (Some(true), _) => "met".to_owned(),
            (Some(false), Some(gap)) => format!("missed by {gap:.1} points"),
            _ => "undefined".to_owned(),
        };
        println!(
            "    {:<16}{:<20} minimum {:>3}%  {verdict}",
            match check.metric {
                QualityMetric::Acceptance => "acceptance",
                QualityMetric::MqlToSql => "mql_to_sql",
                _ => "meeting_rules",
            },
            check.actual.to_string(),
            check.minimum.percent().normalize()
        );
    }
    println!();
    Ok(())
}

/// Section 2: the funnel both teams signed, applied to the sample company.
fn funnel_section(company: &Company, leads: &[SampleLead]) -> Result<(), Error> {
    use revops::StageId;
    use revops::funnel::{Funnel, Reach, RejectionTally};

    heading("2. The shared funnel");
    let funnel = Funnel::demand_waterfall();
    println!(
        "  {} (skips {}; recycle to nurture)",
        funnel.name(),
        if funnel.policy().allow_skips { "allowed" } else { "not allowed" }
    );
    println!("    {:<4}{:<14}{:<28}{:<12}{:<14}{:>7}", "#", "stage", "name", "owner", "kind", "p(win)");
    for stage in funnel.all_stages() {
        let kind = format!("{:?}", stage.kind).to_lowercase();
        let order = funnel.position(&stage.id).map_or_else(|| "-".to_owned(), |p| (p + 1).to_string());
        let p = stage.probability.map_or_else(|| "-".to_owned(), |p| p.to_string());
        println!(
            "    {:<4}{:<14}{:<28}{:<12}{:<14}{:>7}",
            order,
            stage.id.as_str(),
            stage.name,
            stage.owner.as_str(),
            kind,
            p
        );
    }
    println!("    (-: outside the order; won, lost and disqualified are terminal)");
    println!();

    let mut histories = Vec::with_capacity(leads.len());
    let mut tally = RejectionTally::new();
    let (mut handoffs, mut complete, mut by_score) = (0u64, 0u64, 0u64);
    for lead in leads {
        histories.push(company.funnel_history(&funnel, lead)?);
        if let Some(r) = company.funnel_rejection(lead)? {
            tally.push(&r)?;
        }
        if let Some(h) = company.handoff(lead, chrono::TimeDelta::try_hours(1))? {
            handoffs += 1;
            complete += u64::from(funnel.validate_handoff(&h).is_ok());
            by_score += u64::from(h.mql_reason.as_deref() == Some("fit and engagement thresholds met"));
        }
    }
    println!("  leads per stage ({} leads):          entered   reached or beyond", leads.len());
    for stage in funnel.all_stages() {
        let entered = histories.iter().filter(|h| h.reached(&funnel, &stage.id, Reach::Strict)).count();
        let beyond = histories.iter().filter(|h| h.reached(&funnel, &stage.id, Reach::OrBeyond)).count();
        let beyond = if funnel.position(&stage.id).is_some() { beyond.to_string() } else { "-".to_owned() };
        println!("    {:<32}{:>10}{:>20}", stage.name, entered, beyond);
    }
    let (mql, sql) = (StageId::new("mql")?, StageId::new("sql")?);
    let mqls: Vec<_> = histories.iter().filter(|h| h.reached(&funnel, &mql, Reach::OrBeyond)).collect();
    let to_sql = mqls.iter().filter(|h| h.reached(&funnel, &sql, Reach::OrBeyond)).count();
    println!();
    println!(
        "  {:<62}{}",
        "MQL -> SQL (MQLs that reached SQL or beyond)",
        Ratio::new(to_sql as u64, mqls.len() as u64)
    );
    println!("  {:<62}{}", "MQL -> SAL handoffs with every required field", Ratio::new(complete, handoffs));
    let label = "MQLs meeting the score thresholds (fit 40, engagement 10)";
    println!("  {label:<62}{}", Ratio::new(by_score, handoffs));
    println!();

    let report = tally.finish();
    println!("  rejections by lead source ({} total), top three reasons each:", report.total);
    for (source, n) in report.sources_by_count().into_iter().take(6) {
        let reasons: Vec<String> = report.top_reasons_for(source, 3).iter().map(|(r, c)| format!("{r} {c}")).collect();
        println!("    {:<14}{:>5}   {}", source.as_str(), n, reasons.join(", "));
    }
    println!();
    Ok(())
}

/// Section 3: the ideal customer profile: who fits, whether open deals reach the buying group,
/// and whether the tiers pick who actually closes.
fn icp_section(company: &Company) -> Result<(), Error> {
    use revops::icp::{AccountOutcomes, Refinement};
    use revops::testkit::icp::sample_icp;

    heading("3. Ideal customer profile");
    let icp = sample_icp();
    let deals = company.opportunities_by_account();
    let mut refinement = Refinement::new(&icp, Currency::USD, 30);
    let mut per_tier = vec![0u64; icp.tiers().len()];
    let (mut disqualified, mut must_have_missed) = (0u64, 0u64);
    for account in company.accounts() {
        let fact = account.account_fact();
        let fit = icp.score(&fact)?;
        if let Some(n) = per_tier.get_mut(fit.tier) {
            *n += 1;
        }
        disqualified += u64::from(fit.disqualified_by.is_some());
        must_have_missed += u64::from(fit.disqualified_by.is_none() && !fit.must_haves_missed.is_empty());
        let account_deals: Vec<_> =
            deals.get(&account.id).into_iter().flatten().map(revops::testkit::SampleOpportunity::fact).collect();
        refinement.push(&AccountOutcomes::from_facts(&fact, fit, &account_deals))?;
    }
    let total = company.account_count() as u64;
    println!("  {} ({} criteria, {} points attainable)", icp.name(), icp.criteria().len(), icp.total_points());
    println!("  tier distribution of {total} accounts:");
    for (tier, &n) in icp.tiers().as_slice().iter().zip(&per_tier) {
        println!(
            "    {:<3} score >= {:>5}  {:>18}",
            tier.name,
            tier.min_score.to_string(),
            Ratio::new(n, total).to_string()
        );
    }
    println!("    (tier D includes {disqualified} disqualified and {must_have_missed} missing a must-have)");
    if let Some(account) = company.accounts().find(|a| icp.score(&a.account_fact()).is_ok_and(|f| f.tier == 0)) {
        let fit = icp.score(&account.account_fact())?;
        let names = |set: revops::icp::CriteriaSet, disqualifiers: bool| {
            let is_dq = |c: &&revops::icp::Criterion| matches!(c.effect, revops::icp::Effect::Disqualifier);
            let picked = set.iter().filter_map(|i| icp.criteria().get(i)).filter(|c| is_dq(c) == disqualifiers);
            picked.map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
        };
        println!(
            "  every score explains itself, e.g. {} ({}): {} of {} points, score {}",
            account.name, account.id, fit.points, fit.max_points, fit.score
        );
        println!("    matched:                  {}", names(fit.matched, false));
        println!("    missed:                   {}", names(fit.missed, false));
        println!("    disqualifiers not firing: {}", names(fit.missed, true));
    }
    println!();

    buying_group_coverage(company, &deals)?;
    let report = refinement.finish()?;
    let show = |d: Option<rust_decimal::Decimal>| d.map_or_else(|| "-".to_owned(), |d| d.to_string());
    println!("  outcomes by tier (ranked with at least {} closed deals; lift vs overall):", report.min_closed_deals);
    println!(
        "    {:<8}{:>20}{:>20}{:>8}{:>22}{:>10}",
        "tier", "opportunity rate", "win rate", "lift", "avg won deal", "cycle d"
    );
    let mut rows = report.tiers.iter().map(|t| (t.tier.clone(), t.ranked, &t.outcomes)).collect::<Vec<_>>();
    rows.push(("all".to_owned(), true, &report.overall));
    for (name, ranked, o) in rows {
        println!(
            "    {:<8}{:>20}{:>20}{:>8}{:>22}{:>10}{}",
            name,
            o.opportunity_rate.to_string(),
            o.win_rate.to_string(),
            show(o.win_rate_lift),
            o.average_deal_size.map_or_else(|| "-".to_owned(), |m| m.to_string()),
            show(o.average_cycle_days),
            if ranked { "" } else { "  (sample too small: not ranked)" }
        );
    }
    if report.monotonic {
        println!("    tier order matches win-rate order");
    }
    for inversion in &report.inversions {
        println!(
            "    tier order does NOT match win-rate order: {} wins less often than {}",
            inversion.better, inversion.worse
        );
    }
    println!();
    println!("  win-rate lift by criterion (accounts matching it vs not):");
    for c in &report.criteria {
        println!(
            "    {:<22}{:>20} lift {:>5}   vs {:>20}",
            c.criterion,
            c.matched.win_rate.to_string(),
            show(c.matched.win_rate_lift),
            c.not_matched.win_rate.to_string()
        );
    }
    println!();
    Ok(())
}

/// Section 3, part 2: buying-group coverage of the open deals.
fn buying_group_coverage(
    company: &Company,
    deals: &BTreeMap<revops::AccountId, Vec<revops::testkit::SampleOpportunity>>,
) -> Result<(), Error> {
    use revops::facts::BuyingRole;
    use revops::testkit::icp::sample_buying_group;

    let group = sample_buying_group();
    let roles: Vec<String> = group.requirements().map(|r| format!("{} x{}", r.role, r.min_contacts)).collect();
    println!("  buying-group coverage of open deals (requires {}):", roles.join(", "));
    let (mut open, mut complete, mut multi) = (0u64, 0u64, 0u64);
    let mut roles_covered = Ratio::ZERO;
    let mut missing: BTreeMap<BuyingRole, u64> = BTreeMap::new();
    for account in company.accounts() {
        let contacts = account.contact_facts();
        for deal in deals.get(&account.id).into_iter().flatten() {
            if !matches!(deal.outcome, SampleOutcome::Open { .. }) {
                continue;
            }
            let coverage = group.coverage(contacts.iter().filter(|c| deal.contacts.contains(&c.id)));
            open += 1;
            complete += u64::from(coverage.is_complete());
            multi += u64::from(!coverage.multi_threaded.is_empty());
            roles_covered = roles_covered.checked_combine(coverage.ratio)?;
            for role in coverage.missing {
                *missing.entry(role).or_default() += 1;
            }
        }
    }
    println!("    open deals                    {open:>18}");
    println!("    every required role covered   {:>18}", Ratio::new(complete, open).to_string());
    println!("    required roles covered        {:>18}", roles_covered.to_string());
    println!("    multi-threaded (2+ per role)  {:>18}", Ratio::new(multi, open).to_string());
    for (role, n) in &missing {
        println!("    missing {:<22}{:>18}", role.as_str(), Ratio::new(*n, open).to_string());
    }
    println!();

    Ok(())
}

/// Section 7: data-driven attribution (Markov removal effect and Shapley) over every lead.
#[allow(clippy::float_arithmetic)] // display of statistical shares
fn data_driven_section(company: &Company) -> Result<(), Error> {
    use revops::attribution::{CoalitionCounts, MarkovModel};

    heading("7. Data-driven attribution (Markov order 1, Shapley)");
    // Every lead is a journey; it converts when its opportunity was won, worth the won amount.
    let journeys = company.lead_journeys()?;
    let mut counts = MarkovModel::new(1)?.counts(Currency::USD);
    counts.push_columns(&journeys)?;
    let markov = counts.finish()?;
    let mut tally = CoalitionCounts::new(Currency::USD);
    tally.push_columns(&journeys)?;
    let shapley = tally.simplified()?;
    println!(
        "  {} journeys, {} won ({}), bookings {}",
        markov.journeys,
        markov.conversions,
        Ratio::new(markov.conversions, markov.journeys),
        markov.total_value
    );
    println!(
        "  Markov: exact absorbing-chain solve, P(conversion) = {:.4}%; value split by value removal effect",
        markov.conversion_probability * 100.0
    );
    println!("  Shapley: simplified (each win split equally over its distinct channels)");
    println!();
    println!("  {:<14} {:-^46} {:-^27}", "", " Markov (order 1) ", " Shapley ");
    println!(
        "  {:<14}{:>10}{:>9}{:>10}{:>18}{:>10}{:>18}",
        "channel", "removal", "share", "wins", "credit", "wins", "credit"
    );
    for (m, s) in markov.channels.iter().zip(&shapley.channels) {
        println!(
            "  {:<14}{:>9.1}%{:>8.1}%{:>10.1}{:>18}{:>10.1}{:>18}",
            m.channel.as_str(),
            m.removal_effect * 100.0,
            m.share * 100.0,
            m.conversions,
            m.value.amount().to_string(),
            s.conversions,
            s.value.amount().to_string()
        );
    }
    let markov_total = Money::checked_sum(markov.channels.iter().map(|c| c.value), Currency::USD)?;
    let shapley_total = Money::checked_sum(shapley.channels.iter().map(|c| c.value), Currency::USD)?;
    println!(
        "  {:<14}{:>9}{:>9}{:>10}{:>18}{:>10}{:>18}",
        "total",
        "",
        "100.0%",
        markov.conversions,
        markov_total.amount().to_string(),
        shapley.conversions,
        shapley_total.amount().to_string()
    );
    println!("  (credits sum to bookings to the cent in both models; amounts in USD)");
    println!();
    Ok(())
}

/// Section 6: who gets credit for the bookings, under six models side by side.
fn attribution_section(leads: &[SampleLead]) -> Result<(), Error> {
    use revops::attribution::{Comparison, Model, UPreset};
    use revops::facts::Journey;
    heading("6. Attribution");
    let journeys: Vec<Journey> = leads.iter().map(SampleLead::journey).collect();
    let half_life = chrono::TimeDelta::try_days(7).ok_or(ErrorKind::Overflow { op: "half-life" })?;
    let models = vec![
        Model::first_touch(),
        Model::linear(),
        Model::u_shaped(UPreset::Hubspot),
        Model::w_shaped(),
        Model::full_path(),
        Model::time_decay(half_life)?,
    ];
    let labels = ["first touch", "linear", "U (40/40/20)", "W (30x3/10)", "full path", "decay 7d"];
    let mut side = Comparison::new(models);
    side.push_all(&journeys)?;
    let reports = side.finish()?;
    let won = journeys.iter().filter(|j| j.is_converted()).count();
    println!(
        "  {} won deals credited over their touches ({} journeys did not convert); USD, exact to the cent",
        won,
        reports.first().map_or(0, |r| r.non_converting)
    );
    print!("  {:<14}", "channel");
    for label in labels {
        print!("{label:>15}");
    }
    println!();
    let mut channels: Vec<&revops::ChannelId> =
        reports.iter().flat_map(|r| r.currencies.values().flat_map(|t| t.by_channel.keys())).collect();
    channels.sort();
    channels.dedup();
    for channel in channels {
        print!("  {:<14}", channel.as_str());
        for report in &reports {
            let amount = report
                .currencies
                .get(&Currency::USD)
                .and_then(|t| t.by_channel.get(channel))
                .map_or(Money::zero(Currency::USD), |m| *m);
            print!("{:>15}", amount.amount().to_string());
        }
        println!();
    }
    print!("  {:<14}", "total");
    for report in &reports {
        let total = report.currencies.get(&Currency::USD).map_or(Money::zero(Currency::USD), |t| t.revenue);
        print!("{:>15}", total.amount().to_string());
    }
    println!();
    let bookings = Money::checked_sum(journeys.iter().filter_map(|j| j.conversion.map(|c| c.value)), Currency::USD)?;
    println!("  bookings (won ACV) {bookings}: every column sums to it");
    println!();
    Ok(())
}

/// Section 8: rule-based and data-driven models over the same journeys, in one table.
fn comparison_section(leads: &[SampleLead]) -> Result<(), Error> {
    use revops::attribution::{ChannelTable, CoalitionCounts, Comparison, MarkovModel, Model};
    use revops::facts::Journey;
    heading("8. Every model side by side (the same journeys, the same bookings)");
    let journeys: Vec<Journey> = leads.iter().map(SampleLead::journey).collect();
    let half_life = chrono::TimeDelta::try_days(7).ok_or(ErrorKind::Overflow { op: "half-life" })?;
    let mut side =
        Comparison::new(vec![Model::first_touch(), Model::linear(), Model::w_shaped(), Model::time_decay(half_life)?]);
    side.push_all(&journeys)?;
    let mut markov = MarkovModel::new(1)?.counts(Currency::USD);
    let mut shapley = CoalitionCounts::new(Currency::USD);
    for journey in &journeys {
        markov.push(journey)?;
        shapley.push(journey)?;
    }
    let mut table = ChannelTable::new(Currency::USD);
    let labels = ["first touch", "linear", "W-shaped", "decay 7d", "Markov o1", "Shapley"];
    for (report, label) in side.finish()?.iter().zip(labels) {
        let credits = report.currencies.get(&Currency::USD).map(|t| t.by_channel.clone()).unwrap_or_default();
        table.add_column(label, credits)?;
    }
    table.add_markov(labels[4], &markov.finish()?)?;
    table.add_shapley(labels[5], &shapley.simplified()?)?;
    print!("  {:<14}", "channel");
    for column in table.columns() {
        print!("{column:>14}");
    }
    println!();
    for (channel, row) in table.rows() {
        print!("  {:<14}", channel.as_str());
        for money in row {
            print!("{:>14}", money.amount().to_string());
        }
        println!();
    }
    print!("  {:<14}", "total");
    for total in table.totals() {
        print!("{:>14}", total.amount().to_string());
    }
    println!();
    println!("  (USD; every column credits the same bookings, checked to the cent when the table is built)");
    println!();
    Ok(())
}

fn heading(title: &str) {
    println!("{title}");
    println!("{}", "-".repeat(title.len()));
}

/// A display-only average (never used for money).
#[allow(clippy::cast_precision_loss, clippy::float_arithmetic)]
fn ratio_f(numerator: usize, denominator: usize) -> f64 {
    numerator as f64 / denominator.max(1) as f64
}

/// Section 5: the shared KPI board, one definition per number, parts in plain sight.
#[allow(clippy::too_many_lines)] // one board, read top to bottom
fn metrics_section(company: &Company, leads: &[SampleLead]) -> Result<(), Error> {
    use chrono::{NaiveDate, TimeDelta, TimeZone, Utc};
    use revops::Period;
    use revops::calendar::Zone;
    use revops::facts::{Deal, StageChange};
    use revops::metrics::{
        CacWindow, CashTiming, ConversionMode, CycleOutcome, Ltv, StageConversion, StageOrder, Velocity, WinRateTally,
        cac, cac_payback_months, cac_ratio, coverage, group_by, lead_flow, loss_reasons, ltv_to_cac,
        marketing_sourced_win_rate, pipeline_velocity, sales_cycle, sourcing, speed_to_lead, stage_conversion,
        weighted_pipeline,
    };
    use revops::testkit::metric_funnel;
    use rust_decimal::Decimal;

    heading("5. The shared KPI board");
    let usd = Currency::USD;
    let utc = Zone::UTC;
    let at = |y, m, d| Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).single().unwrap_or_default();
    let days = |n| TimeDelta::try_days(n).unwrap_or_default();
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    let as_of = company.as_of();
    let year_2024 = Period::new(at(2024, 1, 1), at(2025, 1, 1))?;
    let trailing_12 = Period::new(at(2024, 4, 1), as_of)?;
    let deals: Vec<Deal> = leads.iter().filter_map(SampleLead::metric_deal).collect();
    println!("  as of {as_of}; amounts in USD; reporting offset UTC; periods half-open [start, end)");
    println!();

    // Conversion by step.
    let funnel = metric_funnel()?;
    let order = StageOrder::from(&funnel);
    let entries: Vec<StageChange> = leads.iter().flat_map(SampleLead::metric_stage_changes).collect();
    println!("  stage conversion, leads entering the first stage in 2024 (90-day window for cohorts)");
    println!("    {:<26}{:>24}{:>24}{:>24}", "step", "entity cohort", "event cohort", "period flow");
    let steps: Vec<_> = order.stages().iter().zip(order.stages().iter().skip(1)).collect();
    for (from, to) in &steps {
        let mut cells = String::new();
        for mode in [ConversionMode::EntityCohort, ConversionMode::EventCohort, ConversionMode::PeriodFlow] {
            let mut builder = StageConversion::builder(&funnel, from.as_str(), to.as_str(), mode);
            if mode != ConversionMode::PeriodFlow {
                builder = builder.window(days(90));
            }
            let rate = stage_conversion(&entries, &builder.build()?, year_2024)?.rate.to_string();
            cells = format!("{cells}{rate:>24}");
        }
        println!("    {:<26}{cells}", format!("{from} -> {to}"));
    }
    println!();

    // Win rate by source.
    println!("  win rate by lead source, deals closed in the trailing 12 months (won / won + lost)");
    println!("    {:<16}{:>22}{:>44}", "source", "by count", "by value (won / closed ACV)");
    let by_source = group_by(WinRateTally::new(trailing_12, usd), &deals, |d| d.source.clone())?;
    for (source, rate) in &by_source {
        let name = source.as_ref().map_or("(none)", |s| s.as_str());
        println!("    {name:<16}{:>22}{:>44}", rate.count.to_string(), rate.value.to_string());
    }
    let all = WinRateTally::new(trailing_12, usd).tally(&deals)?;
    let marketing = marketing_sourced_win_rate(&deals, trailing_12, usd)?;
    println!("    {:<16}{:>22}{:>44}", "all deals", all.count.to_string(), all.value.to_string());
    println!("    {:<16}{:>22}{:>44}", "marketing-src", marketing.count.to_string(), marketing.value.to_string());
    println!();

    // Sales cycle.
    println!("  sales cycle, created to closed, deals closed in the trailing 12 months (days)");
    println!("    {:<28}{:>8}{:>12}{:>12}{:>12}", "measure", "deals", "mean", "median", "p90");
    let show = |d: Option<Decimal>| d.map_or_else(|| "-".to_owned(), |v| v.round_dp(1).to_string());
    for outcome in [CycleOutcome::Won, CycleOutcome::Lost] {
        let cycle = sales_cycle(&deals, trailing_12, utc, outcome)?;
        for (name, s) in [("elapsed", &cycle.elapsed_days), ("calendar", &cycle.calendar_days)] {
            println!(
                "    {:<28}{:>8}{:>12}{:>12}{:>12}",
                format!("{outcome:?} ({name} days)").to_lowercase(),
                s.count,
                show(s.mean),
                show(s.median),
                show(s.p90)
            );
        }
    }
    println!();

    // Velocity, weighted pipeline, coverage.
    let v = pipeline_velocity(&deals, trailing_12, as_of, usd)?;
    let money = |m: Option<Money>| m.map_or_else(|| "undefined".to_owned(), |m| m.to_string());
    println!("  pipeline velocity = open qualified x win rate x average deal size / cycle days");
    println!("    open qualified opportunities {:>20}", v.open_qualified);
    println!("    win rate (trailing 12 months){:>20}", v.win_rate.to_string());
    println!("    average won deal size        {:>20}", money(v.average_deal_size));
    println!("    cycle length (elapsed days)  {:>20}", show(v.cycle_days));
    println!("    velocity per day             {:>20}", money(v.per_day));
    if let (Some(size), Some(cycle)) = (v.average_deal_size, v.cycle_days) {
        let check = Velocity::per_day_from(v.open_qualified, v.win_rate, size, cycle)?;
        println!("    (from the rounded parts      {:>20})", money(check));
    }
    let weighted = weighted_pipeline(&deals, usd)?;
    println!(
        "    weighted open pipeline       {:>20}  ({} open deals, {} unweighted)",
        weighted.weighted.to_string(),
        weighted.deals,
        weighted.amount
    );
    let q2 = Period::new(as_of, at(2025, 7, 1))?;
    let quota = Money::from_minor(150_000_000, usd);
    let cov = coverage(&deals, q2, utc, quota)?;
    println!(
        "    coverage Q2 2025             {:>20}  (open qualified closing in Q2 / quota {quota} - won {}; assumed quota)",
        cov.coverage.map_or_else(|| "undefined (quota met)".to_owned(), |r| r.to_string()),
        cov.won
    );
    println!();

    // Unit economics.
    let spend = company.metric_spend()?;
    let customers = company.metric_new_customers(leads)?;
    let window = CacWindow::new(date(2024, 4, 1), 12, 1);
    let c = cac(&spend, &customers, window, usd)?;
    let won_2024: Vec<&Deal> = deals.iter().filter(|d| d.status == revops::facts::DealStatus::Won).collect();
    let acv = Money::checked_sum(won_2024.iter().map(|d| d.amount), usd)?;
    let arpa = Money::new(acv.amount() / Decimal::from(won_2024.len().max(1) as u64) / Decimal::from(12), usd)
        .round_to_minor(rust_decimal::RoundingStrategy::MidpointNearestEven);
    let margin = Decimal::new(80, 2);
    let churn = Decimal::new(15, 3);
    let ltv = Ltv::simple(arpa, margin, churn)?;
    let discounted = Ltv::discounted(arpa, margin, churn, Decimal::new(1, 2), CashTiming::StartOfPeriod)?;
    println!("  unit economics (customers acquired Apr 2024 - Mar 2025, spend lagged one month)");
    println!("    assumptions: gross margin 80%, monthly logo churn 1.5%, monthly discount rate 1%,");
    println!("                 ARPA = mean won ACV / 12 = {arpa} a month");
    println!("    S&M spend (fully loaded)     {:>20}  for {} new customers", c.spend.to_string(), c.customers);
    println!("    blended CAC                  {:>20}", money(c.blended));
    println!(
        "    paid CAC                     {:>20}  ({} paid spend / {} paid-channel customers)",
        money(c.paid),
        c.paid_spend,
        c.paid_customers
    );
    println!("    LTV (simple)                 {:>20}  = ARPA x margin / churn", money(ltv.value));
    println!("    LTV (discounted, start)      {:>20}  = m (1 + d) / (c + d)", money(discounted.value));
    if let (Some(l), Some(cac_value)) = (ltv.value, c.blended) {
        let ratio = ltv_to_cac(l, cac_value)?;
        println!(
            "    LTV:CAC                      {:>20}",
            ratio
                .and_then(|r| r.value())
                .map_or_else(|| "undefined".to_owned(), |v| format!("{:.1} : 1", v.round_dp(1)))
        );
        let payback = cac_payback_months(cac_value, arpa, margin)?;
        println!(
            "    CAC payback                  {:>20}",
            payback.map_or_else(|| "undefined".to_owned(), |m| format!("{m} months"))
        );
    }
    let q4 = Period::new(at(2024, 10, 1), at(2025, 1, 1))?;
    let q4_won = WinRateTally::new(q4, usd).tally(&deals)?.won_amount;
    let q3_spend = Money::checked_sum(
        spend.iter().filter(|s| (at(2024, 7, 1)..at(2024, 10, 1)).contains(&s.period.start())).map(|s| s.amount),
        usd,
    )?;
    let ratio = cac_ratio(q4_won, margin, q3_spend)?;
    println!(
        "    CAC ratio (Q4 new ARR x margin / Q3 spend) {:>6}  ({} x 0.8 / {})",
        ratio.value().map_or_else(|| "undefined".to_owned(), |v| v.round_dp(2).to_string()),
        q4_won,
        q3_spend
    );
    println!();

    // Funnel hygiene.
    let lead_facts = leads.iter().map(SampleLead::metric_lead_fact).collect::<Result<Vec<_>, _>>()?;
    let flow = lead_flow(&lead_facts, year_2024, as_of, days(2), days(90), usd)?;
    println!("  funnel hygiene (leads created / delivered in 2024)");
    println!(
        "    revenue per lead (90-day horizon) {:>15}  ({} mature leads, {} won)",
        money(flow.revenue_per_lead),
        flow.cohort_leads,
        flow.revenue
    );
    println!("    SAL acceptance               {:>20}", flow.sal_acceptance.to_string());
    println!("    dispositioned within 2 days  {:>20}", flow.disposition_rate.to_string());
    println!("    lead leakage                 {:>20}", flow.leakage.to_string());
    let touches: Vec<_> = leads.iter().filter_map(SampleLead::metric_opportunity_touches).collect();
    let src = sourcing(&touches, year_2024, days(90), usd)?;
    println!(
        "    marketing-sourced pipeline   {:>20}",
        src.marketing_sourced.value().map_or_else(|| "-".to_owned(), |v| format!("{:.1}%", v * Decimal::ONE_HUNDRED))
    );
    println!(
        "    marketing-influenced (90 d)  {:>20}",
        src.marketing_influenced
            .value()
            .map_or_else(|| "-".to_owned(), |v| format!("{:.1}%", v * Decimal::ONE_HUNDRED))
    );
    let target = TimeDelta::try_hours(4).unwrap_or_default();
    let timeline = company.sla_timeline()?;
    let mut responses = Vec::new();
    for lead in leads {
        responses.extend(lead.metric_response_time(&timeline, target, company.as_of())?);
    }
    let response = speed_to_lead(&responses, target)?;
    println!(
        "    speed to lead (4 business h) {:>20}  median {} business min, p90 {} business min",
        response.within_target.to_string(),
        response.median_seconds.map_or_else(|| "-".to_owned(), |s| (s / 60).to_string()),
        response.p90_seconds.map_or_else(|| "-".to_owned(), |s| (s / 60).to_string())
    );
    let losses = loss_reasons(&deals, trailing_12, usd)?;
    println!("    closed-lost by reason (trailing 12 months, {} deals, {}):", losses.lost, losses.lost_amount);
    for (reason, r) in &losses.by_reason {
        println!("      {reason:<20}{:>20}{:>24}", r.share.to_string(), r.amount.to_string());
    }
    println!();
    Ok(())
}
