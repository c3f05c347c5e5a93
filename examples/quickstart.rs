//! The main job on the built-in sample company: one report a revenue leader would read.
//!
//! `cargo run --release --example quickstart`
//!
//! Each capability of the crate adds its section below the company summary.

use std::collections::BTreeMap;

use revops::testkit::{Company, SampleLead, SampleOutcome, SampleStage, SpendCategory};
use revops::{Currency, Error, Money, Ratio};

fn main() -> Result<(), Error> {
    let company = Company::sample();
    let leads: Vec<SampleLead> = company.leads().collect();
    println!("revops quickstart: the sample company (seed {}, as of {})", company.seed(), company.as_of());
    println!();
    company_summary(&company, &leads)?;
    icp_section(&company)?;
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

/// Section 3: the ideal customer profile: who fits, whether open deals reach the buying group,
/// and whether the tiers pick who actually closes.
fn icp_section(company: &Company) -> Result<(), Error> {
    use revops::icp::Refinement;
    use revops::testkit::icp::sample_icp;

    heading("3. Ideal customer profile");
    let icp = sample_icp();
    let deals = company.opportunities_by_account();
    let mut refinement = Refinement::new(&icp, Currency::USD, 30);
    let mut per_tier = vec![0u64; icp.tiers().len()];
    let (mut disqualified, mut must_have_missed) = (0u64, 0u64);
    for account in company.accounts() {
        let fit = icp.score(&account.profile())?;
        if let Some(n) = per_tier.get_mut(fit.tier) {
            *n += 1;
        }
        disqualified += u64::from(fit.disqualified_by.is_some());
        must_have_missed += u64::from(fit.disqualified_by.is_none() && !fit.must_haves_missed.is_empty());
        let outcomes: Vec<_> = deals
            .get(&account.id)
            .into_iter()
            .flatten()
            .map(revops::testkit::SampleOpportunity::deal_outcome)
            .collect();
        refinement.push(fit, &outcomes)?;
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
    if let Some(account) = company.accounts().find(|a| icp.score(&a.profile()).is_ok_and(|f| f.tier == 0)) {
        let fit = icp.score(&account.profile())?;
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
    let report = refinement.finish();
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
    use revops::icp::BuyingRole;
    use revops::testkit::icp::sample_buying_group;

    let group = sample_buying_group();
    let roles: Vec<String> = group.requirements().map(|r| format!("{} x{}", r.role, r.min_contacts)).collect();
    println!("  buying-group coverage of open deals (requires {}):", roles.join(", "));
    let (mut open, mut complete, mut multi) = (0u64, 0u64, 0u64);
    let mut roles_covered = Ratio::ZERO;
    let mut missing: BTreeMap<BuyingRole, u64> = BTreeMap::new();
    for account in company.accounts() {
        let members = account.buying_group_members();
        for deal in deals.get(&account.id).into_iter().flatten() {
            if !matches!(deal.outcome, SampleOutcome::Open { .. }) {
                continue;
            }
            let on_deal: Vec<_> = members.iter().filter(|m| deal.contacts.contains(&m.contact)).cloned().collect();
            let coverage = group.coverage(&on_deal);
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

fn heading(title: &str) {
    println!("{title}");
    println!("{}", "-".repeat(title.len()));
}

/// A display-only average (never used for money).
#[allow(clippy::cast_precision_loss, clippy::float_arithmetic)]
fn ratio_f(numerator: usize, denominator: usize) -> f64 {
    numerator as f64 / denominator.max(1) as f64
}
