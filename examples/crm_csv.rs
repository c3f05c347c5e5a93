//! CRM CSV exports -> facts: counts of the facts and of the rows set aside, with their errors.
//!
//! ```text
//! cargo run --example crm_csv
//! cargo run --example crm_csv -- hubspot --zone America/New_York [--currency USD] [--stages map.json] \
//!     contacts=contacts.csv deals=deals.csv
//! cargo run --example crm_csv -- salesforce --zone Europe/Berlin [--currency EUR] [--stages map.json] \
//!     Lead=Lead.csv LeadHistory=LeadHistory.csv Opportunity=Opportunity.csv \
//!     OpportunityFieldHistory=OpportunityFieldHistory.csv CampaignMember=CampaignMember.csv
//! ```
//!
//! With no arguments it writes the sample company's HubSpot and Salesforce exports as CSV text
//! in memory (nothing touches the disk), reads them back with the `csv` crate and maps them.
//! With a CRM and paths it reads those files (the I/O lives here, in the example; the library
//! only sees rows). `--zone` is required with files: plain dates and zone-less date-times in
//! an export are local to it. `--stages` is a stage map in JSON (see `revops::crm::StageMap`);
//! without it the sample company's map is used.
#![allow(clippy::print_stdout)] // a report

use std::collections::{BTreeMap, BTreeSet};

use revops::crm::{Mapped, Mapping, StageMap};
use revops::testkit::{Company, ExportRow, hubspot_stage_map, salesforce_stage_map};
use revops::{Currency, ErrorKind};

type Table = Vec<ExportRow>;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(crm) = args.first() else { return sample() };
    let mut zone = None;
    let mut currency = Currency::USD;
    let mut stages = None;
    let mut tables: BTreeMap<String, Table> = BTreeMap::new();
    let mut rest = args.iter().skip(1);
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--zone" => {
                zone = Some(
                    rest.next()
                        .ok_or("--zone needs an IANA zone")?
                        .parse::<chrono_tz::Tz>()
                        .map_err(|e| format!("--zone: {e}"))?,
                );
            }
            "--currency" => currency = Currency::new(rest.next().ok_or("--currency needs a code")?)?,
            "--stages" => stages = Some(read_stage_map(rest.next().ok_or("--stages needs a path")?)?),
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
    let mapped = match crm.as_str() {
        "hubspot" => {
            let stages = stages.map_or_else(hubspot_stage_map, Ok)?;
            let export = revops::crm::hubspot::HubSpotTables { contacts: table("contacts"), deals: table("deals") };
            export.map(&Mapping::new(&stages, zone, currency))
        }
        "salesforce" => {
            let stages = stages.map_or_else(salesforce_stage_map, Ok)?;
            let export = revops::crm::salesforce::SalesforceTables {
                leads: table("Lead"),
                lead_history: table("LeadHistory"),
                opportunities: table("Opportunity"),
                opportunity_history: table("OpportunityFieldHistory"),
                campaign_members: table("CampaignMember"),
            };
            export.map(&Mapping::new(&stages, zone, currency))
        }
        other => return Err(format!("unknown CRM {other:?}: hubspot or salesforce").into()),
    };
    report(crm, &mapped);
    Ok(())
}

/// The sample company through both CRMs, as CSV text in memory.
fn sample() -> Result<(), Box<dyn std::error::Error>> {
    let company = Company::sample();
    // The sample keeps its books in UTC.
    let zone = chrono_tz::UTC;
    let hubspot = company.hubspot_export();
    let (contacts, deals) = (round_trip(&hubspot.contacts)?, round_trip(&hubspot.deals)?);
    let stages = hubspot_stage_map()?;
    let export = revops::crm::hubspot::HubSpotTables { contacts: &contacts, deals: &deals };
    report("hubspot (sample company)", &export.map(&Mapping::new(&stages, zone, Currency::USD)));

    let salesforce = company.salesforce_export();
    let tables = [
        round_trip(&salesforce.leads)?,
        round_trip(&salesforce.lead_history)?,
        round_trip(&salesforce.opportunities)?,
        round_trip(&salesforce.opportunity_history)?,
        round_trip(&salesforce.campaign_members)?,
    ];
    let [leads, lead_history, opportunities, opportunity_history, campaign_members] = &tables;
    let stages = salesforce_stage_map()?;
    let export = revops::crm::salesforce::SalesforceTables {
        leads,
        lead_history,
        opportunities,
        opportunity_history,
        campaign_members,
    };
    report("salesforce (sample company)", &export.map(&Mapping::new(&stages, zone, Currency::USD)));
    Ok(())
}

/// Rows -> CSV text (header: every column any row has, sorted) -> rows again.
fn round_trip(rows: &[ExportRow]) -> Result<Table, Box<dyn std::error::Error>> {
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
fn parse(text: &str) -> Result<Table, Box<dyn std::error::Error>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers()?.clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record?;
        rows.push(headers.iter().zip(record.iter()).map(|(c, v)| (c.to_owned(), v.to_owned())).collect());
    }
    Ok(rows)
}

fn read_stage_map(path: &str) -> Result<StageMap, Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    #[cfg(feature = "serde")]
    return Ok(serde_json::from_str(&text)?);
    #[cfg(not(feature = "serde"))]
    {
        let _ = text;
        Err(ErrorKind::Empty { what: "serde feature (needed to read --stages)" }.into())
    }
}

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
