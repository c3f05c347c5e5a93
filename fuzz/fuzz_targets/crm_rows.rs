//! The CRM mappings (`revops::crm`) on arbitrary rows: every HubSpot and Salesforce table
//! function, strict and lenient, and both whole-export joins.
//!
//! Oracles: no panic; every row of a one-table mapping is a fact, set aside or skipped
//! (nothing dropped); every set-aside error names its row (`Record::Line`, within the rows
//! given) and its column (`ErrorKind::InvalidColumn`), except a Salesforce journey's own check,
//! which names the journey; the strict variant fails exactly when the lenient one set a row
//! aside, with the first such error; the same rows map to the same facts twice.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use revops::crm::{DealStage, Mapped, Mapping, StageMap, StageOutcome, hubspot, salesforce};
use revops::facts::{Origin, Reason};
use revops::{Currency, Error, ErrorKind, Probability, Record, StageId};

/// Every column the mappings read, and a few they do not.
const COLUMNS: [&str; 44] = [
    "hs_object_id",
    "Record ID",
    "Deal ID",
    "createdate",
    "lifecyclestage",
    "hs_lifecyclestage_lead_date",
    "hs_lifecyclestage_customer_date",
    "hs_v2_date_entered_custom",
    "hs_analytics_source",
    "hubspot_owner_id",
    "associatedcompanyid",
    "associatedcontactid",
    "dealstage",
    "pipeline",
    "amount",
    "deal_currency_code",
    "closedate",
    "hs_deal_stage_probability",
    "closed_lost_reason",
    "hs_is_closed",
    "hs_is_closed_won",
    "hs_date_entered_closedwon",
    "Id",
    "CreatedDate",
    "Status",
    "IsConverted",
    "ConvertedDate",
    "ConvertedAccountId",
    "ConvertedOpportunityId",
    "StageName",
    "IsWon",
    "IsClosed",
    "Amount",
    "CurrencyIsoCode",
    "CloseDate",
    "Probability",
    "ForecastCategory",
    "Field",
    "NewValue",
    "OpportunityId",
    "LeadId",
    "HasResponded",
    "Campaign.Type",
    "CampaignId",
];

/// Values that reach the deeper rules (stage names, flags, instants), beside arbitrary text.
const VALUES: [&str; 16] = [
    "",
    "true",
    "false",
    "lead",
    "customer",
    "closedwon",
    "Closed Won",
    "Open",
    "StageName",
    "Status",
    "2024-03-01",
    "2024-03-10T02:30:00",
    "2024-01-01T00:00:00.000+0000",
    "1709301600000",
    "12.50",
    "renewals",
];

#[derive(Arbitrary, Debug)]
enum Value {
    Known(u8),
    Text(String),
}

#[derive(Arbitrary, Debug)]
struct Input {
    zone: u8,
    rows: Vec<Vec<(u8, Value)>>,
}

fn stage_map() -> Result<StageMap, Error> {
    let id = StageId::new;
    let open = StageOutcome::Open { probability: Some(Probability::from_percent(40.into())?) };
    StageMap::new(
        [("lead".to_owned(), id("lead")?), ("custom".to_owned(), id("mql")?), ("Open".to_owned(), id("lead")?)],
        [
            ("closedwon".to_owned(), DealStage::new(id("won")?, StageOutcome::Won)),
            ("Closed Won".to_owned(), DealStage::new(id("won")?, StageOutcome::Won)),
            (
                "renewals/closedwon".to_owned(),
                DealStage::new(id("renewal")?, StageOutcome::Lost { reason: Reason::Price }),
            ),
            ("Open".to_owned(), DealStage::new(id("opportunity")?, open)),
        ],
        [("lead".to_owned(), Origin::Marketing)],
    )
}

fn check(mapped: &Mapped, rows: usize, facts: Option<usize>) {
    for bad in &mapped.set_aside {
        match bad.error.record() {
            Some(Record::Line(line)) => {
                assert!((1..=rows).contains(line), "line {line} of {rows}");
                assert!(matches!(bad.error.kind(), ErrorKind::InvalidColumn { .. }), "{}", bad.error);
            }
            Some(Record::Journey(_)) => assert_eq!(bad.table, "CampaignMember"),
            other => panic!("{other:?}: {}", bad.error),
        }
    }
    if let Some(facts) = facts {
        assert_eq!(facts + mapped.set_aside.len() + mapped.skipped.len(), rows, "a row was dropped");
    }
}

fn strict_agrees(lenient: &Mapped, strict: Result<Mapped, Error>) {
    match (lenient.set_aside.first(), strict) {
        (None, Ok(s)) => assert_eq!(&s, lenient),
        (Some(first), Err(e)) => assert_eq!(first.error, e),
        (first, strict) => panic!("lenient {first:?} vs strict {strict:?}"),
    }
}

fuzz_target!(|input: Input| {
    let stages = stage_map().expect("a valid stage map");
    let zones = [chrono_tz::UTC, chrono_tz::America::New_York, chrono_tz::Australia::Lord_Howe];
    let m = Mapping::new(&stages, zones[usize::from(input.zone) % zones.len()], Currency::USD);
    let rows: Vec<Vec<(String, String)>> = input
        .rows
        .into_iter()
        .take(64)
        .map(|r| {
            r.into_iter()
                .take(48)
                .map(|(c, v)| {
                    let value = match v {
                        Value::Known(i) => VALUES[usize::from(i) % VALUES.len()].to_owned(),
                        Value::Text(t) => t,
                    };
                    (COLUMNS[usize::from(c) % COLUMNS.len()].to_owned(), value)
                })
                .collect()
        })
        .collect();
    let n = rows.len();

    let contacts = hubspot::contacts(&rows, &m);
    check(&contacts, n, Some(contacts.facts.leads.len()));
    strict_agrees(&contacts, hubspot::contacts_strict(&rows, &m));
    let deals = hubspot::deals(&rows, &m);
    check(&deals, n, Some(deals.facts.deals.len()));
    strict_agrees(&deals, hubspot::deals_strict(&rows, &m));

    let leads = salesforce::leads(&rows, &m);
    check(&leads, n, Some(leads.facts.leads.len()));
    strict_agrees(&leads, salesforce::leads_strict(&rows, &m));
    let history = salesforce::lead_history(&rows, &m);
    check(&history, n, Some(history.facts.stage_changes.len()));
    strict_agrees(&history, salesforce::lead_history_strict(&rows, &m));
    let opportunities = salesforce::opportunities(&rows, &m);
    check(&opportunities, n, Some(opportunities.facts.deals.len()));
    strict_agrees(&opportunities, salesforce::opportunities_strict(&rows, &m));
    let changes = salesforce::opportunity_history(&rows, &m);
    check(&changes, n, Some(changes.deal_stage_changes.len()));
    strict_agrees(&changes, salesforce::opportunity_history_strict(&rows, &m));
    let members = salesforce::campaign_members(&rows, &m);
    check(&members, n, Some(members.facts.journeys.iter().map(|j| j.touches.len()).sum()));
    strict_agrees(&members, salesforce::campaign_members_strict(&rows, &m));

    let hs = hubspot::HubSpotTables { contacts: &rows, deals: &rows };
    check(&hs.map(&m), n, None);
    let sf = salesforce::SalesforceTables {
        leads: &rows,
        lead_history: &rows,
        opportunities: &rows,
        opportunity_history: &rows,
        campaign_members: &rows,
    };
    let once = sf.map(&m);
    check(&once, n, None);
    assert_eq!(once, sf.map(&m), "deterministic");
});
