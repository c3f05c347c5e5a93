//! CRM mappings: the sample company written as HubSpot and Salesforce exports and read back
//! equals its facts (for the fields each export carries); arbitrary rows never panic, and
//! every error names the row and the column; the same rows give the same facts.

use std::collections::BTreeMap;

use proptest::prelude::*;
use revops::crm::{Mapped, Mapping, StageMap, hubspot, salesforce};
use revops::facts::{DealStatus, ForecastCategory, Journey, Roles};
use revops::testkit::{Company, ExportRow, hubspot_stage_map, salesforce_stage_map};
use revops::{ContactId, Currency, ErrorKind, Record, StageId};

fn mapping(stages: &StageMap) -> Mapping<'_> {
    Mapping::new(stages, chrono_tz::UTC, Currency::USD)
}

fn deal_stage(status: &DealStatus) -> StageId {
    StageId::new(match status {
        DealStatus::Won => "won",
        DealStatus::Lost { .. } => "lost",
        _ => "opportunity",
    })
    .unwrap()
}

#[test]
fn hubspot_export_round_trips_to_the_sample_facts() {
    let company = Company::new(11, 1_500).unwrap();
    let expected = company.facts();
    let stages = hubspot_stage_map().unwrap();
    let export = company.hubspot_export();
    let mapped = export.tables().map_strict(&mapping(&stages)).unwrap();
    assert!(mapped.set_aside.is_empty() && mapped.skipped.is_empty());

    // A HubSpot lead is a contact: the record is its own contact.
    let leads: Vec<_> = expected
        .leads
        .iter()
        .map(|l| {
            let mut l = l.clone();
            l.contact = Some(ContactId::new(l.id.as_str()).unwrap());
            l
        })
        .collect();
    assert_eq!(mapped.facts.leads, leads);
    assert_eq!(mapped.facts.stage_changes, expected.stage_changes);
    // The deals export has no contacts column, and no forecast category (the sample sets no
    // `hs_manual_forecast_category`): the mapped deals name none.
    let deals: Vec<_> = expected
        .deals
        .iter()
        .map(|d| d.clone().stage(Some(deal_stage(&d.status))).forecast_category(None).contacts([]))
        .collect();
    assert_eq!(mapped.facts.deals, deals);
    // Closed deals entered their closing stage at the close.
    let closed = expected.deals.iter().filter(|d| d.status.is_closed()).count();
    assert_eq!(mapped.deal_stage_changes.len(), closed);
    assert!(closed > 10 && mapped.facts.deals.len() > closed);
}

#[test]
fn salesforce_export_round_trips_to_the_sample_facts() {
    let company = Company::new(12, 1_500).unwrap();
    let expected = company.facts();
    let stages = salesforce_stage_map().unwrap();
    let export = company.salesforce_export();
    let mapped = export.tables().map_strict(&mapping(&stages)).unwrap();
    assert!(mapped.set_aside.is_empty());
    // `created` history rows, `Amount` history rows: carried no fact, listed.
    assert_eq!(mapped.skipped.len(), expected.leads.len() + expected.deals.len());

    // An unconverted Salesforce lead has a company name, not an account or a contact.
    let converted: Vec<_> = expected.deals.iter().filter_map(|d| d.lead.clone()).collect();
    let leads: Vec<_> = expected
        .leads
        .iter()
        .map(|l| {
            let mut l = l.clone();
            if !converted.contains(&l.id) {
                (l.account, l.contact) = (None, None);
            }
            l
        })
        .collect();
    assert_eq!(mapped.facts.leads, leads);
    assert_eq!(mapped.facts.stage_changes, expected.stage_changes);
    let deals: Vec<_> = expected
        .deals
        .iter()
        .map(|d| {
            let forecast = match (&d.status, d.stage.as_ref()) {
                (DealStatus::Won, _) => ForecastCategory::Closed,
                (DealStatus::Lost { .. }, _) => ForecastCategory::Omitted,
                _ => {
                    let percent = match &d.status {
                        DealStatus::Open { probability } => probability.percent(),
                        _ => unreachable!(),
                    };
                    match percent.to_string().as_str() {
                        "20" => ForecastCategory::Pipeline,
                        "50" => ForecastCategory::BestCase,
                        _ => ForecastCategory::Commit,
                    }
                }
            };
            // The opportunity export has no contacts column: the mapped deals name none.
            d.clone().stage(Some(deal_stage(&d.status))).forecast_category(Some(forecast)).contacts([])
        })
        .collect();
    assert_eq!(mapped.facts.deals, deals);

    // Journeys: the campaign touches of each lead, with the lead's milestones and conversion.
    let journeys: Vec<Journey> = expected
        .journeys
        .iter()
        .filter_map(|j| {
            let mut j = j.clone();
            j.touches.retain(|t| t.campaign.is_some());
            for t in &mut j.touches {
                t.roles = Roles::EMPTY;
            }
            if !converted.iter().any(|l| l.as_str() == j.id.as_str()) {
                j.account = None;
            }
            (!j.touches.is_empty()).then_some(j)
        })
        .collect();
    assert_eq!(mapped.facts.journeys.len(), journeys.len());
    assert_eq!(mapped.facts.journeys, journeys);
    assert!(journeys.iter().any(|j| j.conversion.is_some()));
}

/// Every table of both CRMs, mapped from the same rows.
fn map_all(rows: &[ExportRow]) -> Vec<Mapped> {
    let hs = hubspot_stage_map().unwrap();
    let sf = salesforce_stage_map().unwrap();
    let (h, s) = (mapping(&hs), mapping(&sf));
    vec![
        hubspot::contacts(rows, &h),
        hubspot::deals(rows, &h),
        salesforce::leads(rows, &s),
        salesforce::lead_history(rows, &s),
        salesforce::opportunities(rows, &s),
        salesforce::opportunity_history(rows, &s),
        salesforce::campaign_members(rows, &s),
        salesforce::SalesforceTables {
            leads: rows,
            lead_history: rows,
            opportunities: rows,
            opportunity_history: rows,
            campaign_members: rows,
        }
        .map(&s),
    ]
}

const COLUMNS: [&str; 24] = [
    "hs_object_id",
    "createdate",
    "lifecyclestage",
    "hs_lifecyclestage_lead_date",
    "dealstage",
    "amount",
    "closedate",
    "hs_deal_stage_probability",
    "deal_currency_code",
    "hs_is_closed",
    "Id",
    "CreatedDate",
    "Status",
    "IsConverted",
    "ConvertedDate",
    "StageName",
    "IsWon",
    "IsClosed",
    "Amount",
    "CloseDate",
    "Field",
    "NewValue",
    "HasResponded",
    "Campaign.Type",
];

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("true".to_owned()),
        Just("Closed Won".to_owned()),
        Just("closedwon".to_owned()),
        Just("lead".to_owned()),
        Just("2024-03-10T02:30:00".to_owned()),
        Just("2024-01-01".to_owned()),
        Just("1709301600000".to_owned()),
        Just("99999999999999999".to_owned()),
        "[0-9.:TZ+ -]{0,24}",
        any::<String>(),
    ]
}

fn rows() -> impl Strategy<Value = Vec<ExportRow>> {
    let row = proptest::collection::btree_map(proptest::sample::select(COLUMNS.as_slice()), cell(), 0..14)
        .prop_map(|m| m.into_iter().map(|(c, v)| (c.to_owned(), v)).collect::<BTreeMap<_, _>>());
    proptest::collection::vec(row, 0..8)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_rows_never_panic_and_errors_name_row_and_column(rows in rows()) {
        for mapped in map_all(&rows) {
            for bad in &mapped.set_aside {
                match bad.error.record() {
                    Some(Record::Line(line)) => {
                        prop_assert!(*line >= 1 && *line <= rows.len());
                        let named_column = matches!(bad.error.kind(), ErrorKind::InvalidColumn { .. });
                        prop_assert!(named_column, "{}", bad.error);
                    }
                    // Only a journey's own check names the journey instead.
                    Some(Record::Journey(_)) => prop_assert_eq!(bad.table, "CampaignMember"),
                    other => prop_assert!(false, "{:?}: {}", other, bad.error),
                }
            }
        }
        // Nothing dropped: in each one-table mapping every row is a fact, set aside or skipped.
        let all = map_all(&rows);
        for (i, mapped) in all.iter().take(7).enumerate() {
            let f = &mapped.facts;
            let facts = [
                f.leads.len(),
                f.deals.len(),
                f.leads.len(),
                f.stage_changes.len(),
                f.deals.len(),
                mapped.deal_stage_changes.len(),
                f.journeys.iter().map(|j| j.touches.len()).sum(),
            ][i];
            prop_assert_eq!(facts + mapped.set_aside.len() + mapped.skipped.len(), rows.len(), "table {}", i);
        }
    }

    #[test]
    fn the_same_rows_give_the_same_facts(rows in rows()) {
        prop_assert_eq!(map_all(&rows), map_all(&rows));
    }

    #[test]
    fn sample_exports_map_the_same_every_time(seed in 0u64..1_000) {
        let company = Company::new(seed, 40).unwrap();
        let hs = hubspot_stage_map().unwrap();
        let sf = salesforce_stage_map().unwrap();
        let h = company.hubspot_export();
        let s = company.salesforce_export();
        let first = (h.tables().map_strict(&mapping(&hs)).unwrap(), s.tables().map_strict(&mapping(&sf)).unwrap());
        prop_assert_eq!(first.0.facts.leads.len(), 40);
        prop_assert_eq!(&first.0.facts.stage_changes, &company.facts().stage_changes);
        prop_assert_eq!(first, (h.tables().map(&mapping(&hs)), s.tables().map(&mapping(&sf))));
    }
}

#[test]
fn a_bad_row_is_set_aside_and_the_strict_variant_stops_there() {
    let stages = salesforce_stage_map().unwrap();
    let m = mapping(&stages);
    let mut export = Company::new(3, 30).unwrap().salesforce_export();
    let good = export.opportunities.len();
    export.opportunities[1].insert("Amount".into(), "1,000.00".into());
    export.opportunities[2].insert("IsClosed".into(), "false".into());
    export.opportunities[2].insert("IsWon".into(), "true".into());
    export.opportunities[2].insert("StageName".into(), "Closed Won".into());
    let mapped = salesforce::opportunities(&export.opportunities, &m);
    assert_eq!(mapped.facts.deals.len(), good - 2);
    let errors: Vec<String> = mapped.set_aside.iter().map(|b| b.error.to_string()).collect();
    assert_eq!(
        errors,
        [
            "line 2: column `Amount` \"1,000.00\": not a decimal number",
            "line 3: column `IsWon` \"true\": says won, but the closed flag says not closed: a won deal is closed",
        ]
    );
    let err = salesforce::opportunities_strict(&export.opportunities, &m).unwrap_err();
    assert_eq!(err.record(), Some(&Record::Line(2)));
}
