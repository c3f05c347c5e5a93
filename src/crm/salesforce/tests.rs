use super::*;
use crate::crm::{DealStage, StageMap, StageOutcome};
use crate::facts::{DealStatus, Reason};
use crate::{Currency, ErrorKind, StageId};

fn id(s: &str) -> StageId {
    StageId::new(s).unwrap()
}

fn map() -> StageMap {
    StageMap::new(
        [("Open".to_owned(), id("lead")), ("Converted".to_owned(), id("sql"))],
        [
            ("Prospecting".to_owned(), DealStage::new(id("opportunity"), StageOutcome::Open { probability: None })),
            ("Closed Won".to_owned(), DealStage::new(id("won"), StageOutcome::Won)),
            ("Closed Lost".to_owned(), DealStage::new(id("lost"), StageOutcome::Lost { reason: Reason::Unspecified })),
        ],
        [],
    )
    .unwrap()
}

fn column_of(err: &Error) -> &str {
    match err.kind() {
        ErrorKind::InvalidColumn { column, .. } => column,
        other => panic!("{other:?}"),
    }
}

#[test]
fn leads_check_their_conversion() {
    let stages = map();
    let m = Mapping::new(&stages, chrono_tz::America::New_York, Currency::USD);
    let ok =
        [("Id", "00Q1"), ("CreatedDate", "2024-01-05T10:00:00.000+0000"), ("Status", "Open"), ("IsConverted", "false")];
    let (lead, opportunity) = lead(&ok, &m).unwrap();
    assert_eq!((lead.account, opportunity), (None, None));
    for (row, column) in [
        (vec![("Id", "00Q1"), ("CreatedDate", "2024-01-05"), ("Status", "Nurture")], "Status"),
        (vec![("Id", "00Q1"), ("CreatedDate", "2024-01-05"), ("IsConverted", "true")], "ConvertedDate"),
        (vec![("Id", "00Q1"), ("CreatedDate", "2024-01-05"), ("ConvertedAccountId", "001A")], "ConvertedAccountId"),
        (
            vec![
                ("Id", "00Q1"),
                ("CreatedDate", "2024-01-05"),
                ("IsConverted", "true"),
                ("ConvertedDate", "2024-01-04"),
            ],
            "ConvertedDate",
        ),
        (vec![("Id", "00Q1"), ("CreatedDate", "2024-01-05 25:00:00")], "CreatedDate"),
    ] {
        assert_eq!(column_of(&super::lead(row.as_slice(), &m).unwrap_err()), column, "{row:?}");
    }
}

#[test]
fn opportunities_map_flags_consistently_with_the_stage() {
    let stages = map();
    let m = Mapping::new(&stages, chrono_tz::UTC, Currency::USD);
    let row = |stage: &'static str, closed: &'static str, won: &'static str| {
        vec![
            ("Id", "006A"),
            ("StageName", stage),
            ("IsClosed", closed),
            ("IsWon", won),
            ("Amount", "10.50"),
            ("CurrencyIsoCode", "EUR"),
            ("CloseDate", "2024-03-01"),
            ("CreatedDate", "2024-01-01T00:00:00Z"),
            ("Probability", "35"),
            ("ForecastCategoryName", "Best Case"),
        ]
    };
    let open = opportunity(row("Prospecting", "false", "false").as_slice(), &m).unwrap();
    assert!(matches!(open.status, DealStatus::Open { probability } if probability.percent() == 35.into()));
    assert_eq!(open.amount.to_string(), "10.50 EUR");
    assert!(matches!(opportunity(row("Closed Won", "true", "true").as_slice(), &m).unwrap().status, DealStatus::Won));
    assert!(opportunity(row("Closed Lost", "true", "false").as_slice(), &m).unwrap().status.is_closed());
    for (stage, closed, won, column) in [
        ("Closed Won", "false", "true", "IsWon"), // won without closed
        ("Closed Won", "true", "false", "IsWon"),
        ("Closed Lost", "false", "false", "IsClosed"),
        ("Prospecting", "true", "false", "IsClosed"),
        ("Prospecting", "false", "true", "IsWon"),
        ("Negotiation", "false", "false", "StageName"),
        ("Prospecting", "maybe", "false", "IsClosed"),
    ] {
        let err = opportunity(row(stage, closed, won).as_slice(), &m).unwrap_err();
        assert_eq!(column_of(&err), column, "{stage} {closed} {won}");
    }
}

#[test]
fn history_and_members_skip_what_carries_no_fact() {
    let stages = map();
    let m = Mapping::new(&stages, chrono_tz::UTC, Currency::USD);
    let history = [
        vec![("OpportunityId", "006A"), ("Field", "Amount"), ("NewValue", "5"), ("CreatedDate", "2024-01-01")],
        vec![
            ("OpportunityId", "006A"),
            ("Field", "StageName"),
            ("NewValue", "Closed Won"),
            ("CreatedDate", "2024-01-02"),
        ],
        vec![("OpportunityId", "006A"), ("Field", "StageName"), ("NewValue", "Won!"), ("CreatedDate", "2024-01-03")],
    ];
    let mapped = opportunity_history(history.iter(), &m);
    assert_eq!(mapped.deal_stage_changes.len(), 1);
    assert_eq!(
        mapped.skipped,
        [super::super::Skipped {
            table: "OpportunityFieldHistory",
            row: 1,
            reason: "a history row about another field than StageName"
        }]
    );
    assert_eq!(mapped.set_aside[0].error.record(), Some(&Record::Line(3)));

    let members = [
        vec![("CampaignId", "701A"), ("LeadId", "00Q1"), ("HasResponded", "false"), ("CreatedDate", "2024-01-01")],
        vec![
            ("CampaignId", "701B"),
            ("LeadId", "00Q1"),
            ("HasResponded", "true"),
            ("Campaign.Type", "Webinar"),
            ("FirstRespondedDate", "2024-01-09"),
            ("CreatedDate", "2024-01-01T10:00:00Z"),
        ],
        vec![
            ("CampaignId", "701C"),
            ("ContactId", "003A"),
            ("HasResponded", "true"),
            ("Campaign.Type", "Email"),
            ("CreatedDate", "2024-01-02T10:00:00Z"),
        ],
        vec![
            ("CampaignId", "701D"),
            ("HasResponded", "true"),
            ("Campaign.Type", "Email"),
            ("CreatedDate", "2024-01-02"),
        ],
        vec![
            ("CampaignId", "701E"),
            ("LeadId", "00Q1"),
            ("HasResponded", "true"),
            ("Campaign.Type", "Email"),
            ("CreatedDate", "2024-01-05T10:00:00Z"),
        ],
    ];
    let mapped = campaign_members(members.iter(), &m);
    let journeys: Vec<(&str, Vec<&str>)> = mapped
        .facts
        .journeys
        .iter()
        .map(|j| (j.id.as_str(), j.touches.iter().map(|t| t.campaign.as_ref().map_or("", |c| c.as_str())).collect()))
        .collect();
    // Sorted by person; the response on the 9th (a later day than the membership) sorts after the 5th.
    assert_eq!(journeys, [("003A", vec!["701C"]), ("00Q1", vec!["701E", "701B"])]);
    assert_eq!(mapped.skipped.len(), 1);
    assert_eq!(column_of(&mapped.set_aside[0].error), "LeadId");
}
