//! CRM CSV exports -> facts -> the scorecard of an agreement: what the mapping read and set
//! aside, then the scorecard's main figures.
//!
//! ```text
//! cargo run --example crm_csv
//! cargo run --example crm_csv -- hubspot --zone America/New_York [--currency USD] \
//!     [--agreement examples/agreements/hubspot_lifecycle.toml] [--as-of 2025-04-01T00:00:00Z] \
//!     contacts=contacts.csv deals=deals.csv
//! cargo run --example crm_csv -- salesforce --zone Europe/Berlin [--currency EUR] \
//!     [--agreement examples/agreements/salesforce_waterfall.toml] [--as-of ...] \
//!     Lead=Lead.csv LeadHistory=LeadHistory.csv Opportunity=Opportunity.csv \
//!     OpportunityFieldHistory=OpportunityFieldHistory.csv CampaignMember=CampaignMember.csv
//! ```
//!
//! The agreement (TOML, or JSON when the path ends in `.json`) defines everything: its
//! `[crm.hubspot]` or `[crm.salesforce]` stage map turns the export's stage names into funnel
//! stages, and its funnel, KPIs, ICP, SLAs and attribution models are the scorecard. Without
//! `--agreement` it is `examples/agreements/hubspot_lifecycle.toml` for HubSpot and
//! `examples/agreements/salesforce_waterfall.toml` for Salesforce.
//!
//! With no arguments it writes the sample company's HubSpot and Salesforce exports as CSV text
//! in memory (nothing touches the disk), reads them back with the `csv` crate, maps them and
//! evaluates them as of the sample's `as_of`; the facts a CRM export does not carry (accounts,
//! the reps' responses and dispositions, web touches where the export has none) come from the
//! sample company's other systems. With a CRM and paths it reads those files (the I/O lives
//! here, in the example; the library only sees rows) and evaluates as of `--as-of` (default:
//! now). `--zone` is required with files: plain dates and zone-less date-times in an export
//! are local to it.
#![allow(clippy::print_stdout)] // a report

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use revops::agreement::Agreement;
use revops::agreement::scorecard::Scorecard;
use revops::crm::{Mapped, Mapping};
use revops::testkit::{Company, ExportRow};
use revops::{Currency, ErrorKind};

type Table = Vec<ExportRow>;
type Fallible<T = ()> = Result<T, Box<dyn std::error::Error>>;

const HUBSPOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/agreements/hubspot_lifecycle.toml");
const SALESFORCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/agreements/salesforce_waterfall.toml");

fn main() -> Fallible {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(crm) = args.first() else { return sample() };
    let mut zone = None;
    let mut currency = Currency::USD;
    let mut agreement_path = None;
    let mut as_of = DateTime::<Utc>::from(std::time::SystemTime::now());
    let mut tables: BTreeMap<String, Table> = BTreeMap::new();
    let mut rest = args.iter().skip(1);
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--zone" => {
                let name = rest.next().ok_or("--zone needs an IANA zone")?;
                zone = Some(name.parse::<chrono_tz::Tz>().map_err(|e| format!("--zone: {e}"))?);
            }
            "--currency" => currency = Currency::new(rest.next().ok_or("--currency needs a code")?)?,
            "--agreement" => agreement_path = Some(rest.next().ok_or("--agreement needs a path")?.clone()),
            "--as-of" => {
                let at = rest.next().ok_or("--as-of needs an RFC 3339 instant")?;
                as_of = DateTime::parse_from_rfc3339(at).map_err(|e| format!("--as-of: {e}"))?.to_utc();
            }
            table => {
                let (name, path) =
                    table.split_once('=').ok_or_else(|| format!("expected TABLE=PATH, got {table:?}"))?;
                let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
                tables.insert(name.to_owned(), parse(&text)?);
            }
        }
    }
    let zone = zone.ok_or("--zone is required: an export's plain dates are local to a zone")?;
    let table = |name: &str| tables.get(name).map_or(&[][..], Vec::as_slice);
    let default = if crm == "salesforce" { SALESFORCE } else { HUBSPOT };
    let agreement = read_agreement(agreement_path.as_deref().unwrap_or(default))?;
    let mapping = Mapping::new(stage_map(&agreement, crm)?, zone, currency);
    let mapped = match crm.as_str() {
        "hubspot" => {
            revops::crm::hubspot::HubSpotTables { contacts: table("contacts"), deals: table("deals") }.map(&mapping)
        }
        "salesforce" => revops::crm::salesforce::SalesforceTables {
            leads: table("Lead"),
            lead_history: table("LeadHistory"),
            opportunities: table("Opportunity"),
            opportunity_history: table("OpportunityFieldHistory"),
            campaign_members: table("CampaignMember"),
        }
        .map(&mapping),
        other => return Err(format!("unknown CRM {other:?}: hubspot or salesforce").into()),
    };
    report(crm, &mapped);
    let card = agreement.evaluate(&mapped.facts, as_of)?;
    scorecard(&agreement, &card);
    Ok(())
}

/// The sample company through both CRMs, as CSV text in memory, each under its agreement.
fn sample() -> Fallible {
    let company = Company::sample();
    // The sample keeps its books in UTC: its exports' plain dates are UTC dates.
    let zone = chrono_tz::UTC;

    let agreement = read_agreement(HUBSPOT)?;
    let hubspot = company.hubspot_export();
    let (contacts, deals) = (round_trip(&hubspot.contacts)?, round_trip(&hubspot.deals)?);
    let export = revops::crm::hubspot::HubSpotTables { contacts: &contacts, deals: &deals };
    let mapped = export.map(&Mapping::new(stage_map(&agreement, "hubspot")?, zone, Currency::USD));
    report("hubspot (sample company)", &mapped);
    let card = agreement.evaluate(&company.with_other_systems(mapped.facts), company.as_of())?;
    scorecard(&agreement, &card);
    println!();

    let agreement = read_agreement(SALESFORCE)?;
    let salesforce = company.salesforce_export();
    let tables = [
        round_trip(&salesforce.leads)?,
        round_trip(&salesforce.lead_history)?,
        round_trip(&salesforce.opportunities)?,
        round_trip(&salesforce.opportunity_history)?,
        round_trip(&salesforce.campaign_members)?,
    ];
    let [leads, lead_history, opportunities, opportunity_history, campaign_members] = &tables;
    let export = revops::crm::salesforce::SalesforceTables {
        leads,
        lead_history,
        opportunities,
        opportunity_history,
        campaign_members,
    };
    let mapped = export.map(&Mapping::new(stage_map(&agreement, "salesforce")?, zone, Currency::USD));
    report("salesforce (sample company)", &mapped);
    let card = agreement.evaluate(&company.with_other_systems(mapped.facts), company.as_of())?;
    scorecard(&agreement, &card);
    Ok(())
}

/// An agreement file: JSON when the path ends in `.json`, else TOML.
fn read_agreement(path: &str) -> Fallible<Agreement> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let agreement = if std::path::Path::new(path).extension().is_some_and(|ext| ext.eq_ignore_ascii_case("json")) {
        serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?
    } else {
        toml::from_str(&text).map_err(|e| format!("{path}: {e}"))?
    };
    Ok(agreement)
}

/// The agreement's stage map for `crm`.
fn stage_map<'a>(agreement: &'a Agreement, crm: &str) -> Fallible<&'a revops::crm::StageMap> {
    let map = agreement.parts().crm.get(crm);
    Ok(map.ok_or_else(|| format!("the agreement {:?} has no [crm.{crm}] stage map", agreement.name()))?)
}

/// Rows -> CSV text (header: every column any row has, sorted) -> rows again.
fn round_trip(rows: &[ExportRow]) -> Fallible<Table> {
    let columns: BTreeSet<&str> = rows.iter().flat_map(|r| r.keys().map(String::as_str)).collect();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&columns)?;
    for row in rows {
        writer.write_record(columns.iter().map(|c| row.get(*c).map_or("", String::as_str)))?;
    }
    let text = String::from_utf8(writer.into_inner()?)?;
    parse(&text)
}

/// CSV text with a header line -> rows of column -> value.
fn parse(text: &str) -> Fallible<Table> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers()?.clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record?;
        rows.push(headers.iter().zip(record.iter()).map(|(c, v)| (c.to_owned(), v.to_owned())).collect());
    }
    Ok(rows)
}

/// What the mapping read, skipped and set aside.
fn report(title: &str, mapped: &Mapped) {
    let f = &mapped.facts;
    println!("{title}");
    println!(
        "  facts: {} leads, {} lead stage changes, {} deals, {} deal stage changes, {} journeys ({} touches)",
        f.leads.len(),
        f.stage_changes.len(),
        f.deals.len(),
        mapped.deal_stage_changes.len(),
        f.journeys.len(),
        f.journeys.iter().map(|j| j.touches.len()).sum::<usize>(),
    );
    let mut skipped: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for s in &mapped.skipped {
        *skipped.entry((s.table, s.reason)).or_default() += 1;
    }
    for ((table, reason), count) in skipped {
        println!("  skipped: {count} {table} rows ({reason})");
    }
    println!("  set aside: {} rows", mapped.set_aside.len());
    let mut by_column: BTreeMap<(&str, String), usize> = BTreeMap::new();
    for bad in &mapped.set_aside {
        let column = match bad.error.kind() {
            ErrorKind::InvalidColumn { column, .. } => column.clone(),
            _ => "-".to_owned(),
        };
        *by_column.entry((bad.table, column)).or_default() += 1;
    }
    for ((table, column), count) in by_column {
        println!("    {count} in {table}, column {column}");
    }
    for bad in mapped.set_aside.iter().take(10) {
        println!("    {}: {}", bad.table, bad.error);
    }
}

/// The scorecard's main figures, compactly (every figure is the scorecard's; this only prints).
fn scorecard(agreement: &Agreement, card: &Scorecard) {
    println!("  scorecard: {:?} {} ({}), as of {}", card.agreement, card.version, card.fingerprint, card.as_of);
    let stages: Vec<String> = card.funnel.stages.iter().map(|s| format!("{} {}", s.stage, s.entered)).collect();
    println!("    funnel: {} leads; entered {}", card.funnel.leads, stages.join(", "));
    for kpi in &card.kpis.conversion {
        let mode = serde_json::to_value(kpi.mode).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        println!("    kpi {} -> {} ({mode}): {}", kpi.from, kpi.to, kpi.rate);
    }
    for (segment, tiers) in card.icp.iter().flat_map(|icp| &icp.segments) {
        let counts: Vec<String> =
            tiers.tiers.iter().map(|t| format!("{} {}", t.tier, t.accounts.numerator())).collect();
        println!(
            "    icp {segment}: {} accounts; {} (disqualified {}, missing a must-have {})",
            tiers.accounts,
            counts.join(", "),
            tiers.disqualified,
            tiers.missing_must_have,
        );
    }
    for (part, sla) in &card.sla {
        let policy = |p: &Option<revops::agreement::scorecard::PolicyCompliance>| {
            p.as_ref().map_or_else(
                || "-".to_owned(),
                |p| {
                    let t = &p.summary.total;
                    format!(
                        "{} met {} (breached {}, open {}, at risk {})",
                        p.policy, t.compliance, t.breached, t.active, t.at_risk
                    )
                },
            )
        };
        println!(
            "    sla {part} [{}]: response {}; disposition {}",
            sla.calendar,
            policy(&sla.response),
            policy(&sla.disposition)
        );
    }
    for (model, report) in &card.attribution.models {
        for (currency, totals) in &report.currencies {
            let mut top: Vec<_> = totals.by_channel.iter().collect();
            top.sort_by(|a, b| b.1.amount().cmp(&a.1.amount()).then(a.0.cmp(b.0)));
            let top: Vec<String> = top.iter().take(3).map(|(c, m)| format!("{c} {m}")).collect();
            println!(
                "    attribution {model} ({currency}): {} over {} conversions; top {}",
                totals.revenue,
                totals.conversions,
                top.join(", ")
            );
        }
    }
    let mut excluded: BTreeMap<String, usize> = BTreeMap::new();
    for e in card.exclusions() {
        let section =
            serde_json::to_value(e.section).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        *excluded.entry(section).or_default() += 1;
    }
    println!("    excluded: {} records {excluded:?} (agreement {:?})", card.exclusions().count(), agreement.name());
}
