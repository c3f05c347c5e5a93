//! The sample company as CRM exports: rows of column -> value, as HubSpot and Salesforce
//! write them, for the [`crm`](crate::crm) mappings (and their round-trip tests) to read back.
//!
//! The sample keeps its books in UTC: map these exports with `chrono_tz::UTC` as the
//! [`Mapping::zone`](crate::crm::Mapping::zone), so that the plain dates they hold
//! (`CloseDate`, `FirstRespondedDate`) mean the sample's UTC dates.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::{CHANNELS, Company, SampleLead, SampleOutcome, SampleStage, origin_of};
use crate::crm::{DealStage, StageMap, StageOutcome};
use crate::facts::{FactSet, Origin, Reason};
use crate::{ChannelId, Error, Probability, StageId};

/// One export row: column -> value (empty cells are left out).
pub type ExportRow = BTreeMap<String, String>;

/// The sample company's HubSpot export: the contacts and deals tables.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct HubSpotExport {
    /// One row per lead (a HubSpot contact).
    pub contacts: Vec<ExportRow>,
    /// One row per opportunity.
    pub deals: Vec<ExportRow>,
}

/// The sample company's Salesforce export: one table per object.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SalesforceExport {
    /// `Lead`: one row per lead.
    pub leads: Vec<ExportRow>,
    /// `LeadHistory`: a `created` row and one `Status` row per stage entry of each lead.
    pub lead_history: Vec<ExportRow>,
    /// `Opportunity`: one row per opportunity.
    pub opportunities: Vec<ExportRow>,
    /// `OpportunityFieldHistory`: an `Amount` row per opportunity, and the `StageName` change
    /// that closed each closed one.
    pub opportunity_history: Vec<ExportRow>,
    /// `CampaignMember`: one responded member per touch that belongs to a campaign.
    pub campaign_members: Vec<ExportRow>,
}

impl SalesforceExport {
    /// The export as the mapping reads it.
    #[must_use]
    pub fn tables(&self) -> crate::crm::salesforce::SalesforceTables<'_, ExportRow> {
        crate::crm::salesforce::SalesforceTables {
            leads: &self.leads,
            lead_history: &self.lead_history,
            opportunities: &self.opportunities,
            opportunity_history: &self.opportunity_history,
            campaign_members: &self.campaign_members,
        }
    }
}

impl HubSpotExport {
    /// The export as the mapping reads it.
    #[must_use]
    pub fn tables(&self) -> crate::crm::hubspot::HubSpotTables<'_, ExportRow> {
        crate::crm::hubspot::HubSpotTables { contacts: &self.contacts, deals: &self.deals }
    }
}

/// The HubSpot lifecycle stage the sample writes for each of its stages: the default stages
/// where HubSpot has one, custom stage ids for the rest.
#[must_use]
pub const fn hubspot_lifecycle_stage(stage: SampleStage) -> &'static str {
    match stage {
        SampleStage::Lead => "lead",
        SampleStage::Mql => "marketingqualifiedlead",
        SampleStage::Sal => "salesacceptedlead",
        SampleStage::Sql => "salesqualifiedlead",
        SampleStage::Opportunity => "opportunity",
        SampleStage::Won => "customer",
        SampleStage::Lost => "closedlost",
        SampleStage::Recycled => "recycled",
        SampleStage::Disqualified => "disqualified",
    }
}

/// The Salesforce lead `Status` the sample writes for each of its stages.
#[must_use]
pub const fn salesforce_lead_status(stage: SampleStage) -> &'static str {
    match stage {
        SampleStage::Lead => "Open",
        SampleStage::Mql => "Marketing Qualified",
        SampleStage::Sal => "Sales Accepted",
        SampleStage::Sql => "Sales Qualified",
        SampleStage::Opportunity => "Converted",
        SampleStage::Won => "Won",
        SampleStage::Lost => "Lost",
        SampleStage::Recycled => "Recycled",
        SampleStage::Disqualified => "Disqualified",
    }
}

/// The sample's open deal stages: (sample name, HubSpot id, Salesforce `StageName`, percent,
/// Salesforce forecast category).
const OPEN_STAGES: [(&str, &str, &str, u8, &str); 3] = [
    ("discovery", "appointmentscheduled", "Qualification", 20, "Pipeline"),
    ("proposal", "presentationscheduled", "Proposal/Price Quote", 50, "BestCase"),
    ("negotiation", "contractsent", "Negotiation/Review", 80, "Commit"),
];

fn stage_map(lead_name: fn(SampleStage) -> &'static str, hubspot: bool) -> Result<StageMap, Error> {
    let leads = SampleStage::ALL.iter().map(|s| Ok((lead_name(*s).to_owned(), StageId::new(s.as_str())?)));
    let leads = leads.collect::<Result<Vec<_>, Error>>()?;
    let mut deals = Vec::new();
    for (_, hs, sf, percent, _) in OPEN_STAGES {
        let probability = Probability::from_percent(percent)?;
        let stage = DealStage::new(StageId::new("opportunity")?, StageOutcome::Open { probability: Some(probability) });
        deals.push(((if hubspot { hs } else { sf }).to_owned(), stage.qualified(true)));
    }
    let (won, lost) = if hubspot { ("closedwon", "closedlost") } else { ("Closed Won", "Closed Lost") };
    deals.push((won.to_owned(), DealStage::new(StageId::new("won")?, StageOutcome::Won).qualified(true)));
    let lost_stage = DealStage::new(StageId::new("lost")?, StageOutcome::Lost { reason: Reason::Unspecified });
    deals.push((lost.to_owned(), lost_stage.qualified(true)));
    let origins: Vec<(String, Origin)> =
        CHANNELS.iter().map(|c| ((*c).to_owned(), origin_of(&ChannelId::trusted((*c).to_owned())))).collect();
    StageMap::new(leads, deals, origins)
}

/// The sample company's HubSpot stage map: its lifecycle stages ([`hubspot_lifecycle_stage`])
/// to the sample funnel's stages; open deal stages to `opportunity` with their probability,
/// `closedwon` to `won`, `closedlost` to `lost`, all qualified; each sample channel's origin
/// ([`origin_of`]).
///
/// # Errors
/// None in practice: the map is built from constants (the `Result` is the constructor's).
pub fn hubspot_stage_map() -> Result<StageMap, Error> {
    stage_map(hubspot_lifecycle_stage, true)
}

/// The sample company's Salesforce stage map: lead statuses ([`salesforce_lead_status`]) to
/// the sample funnel's stages; `Qualification`, `Proposal/Price Quote` and
/// `Negotiation/Review` to `opportunity` with their probability, `Closed Won` to `won`,
/// `Closed Lost` to `lost`, all qualified; each sample channel's origin ([`origin_of`]).
///
/// # Errors
/// None in practice: the map is built from constants (the `Result` is the constructor's).
pub fn salesforce_stage_map() -> Result<StageMap, Error> {
    stage_map(salesforce_lead_status, false)
}

fn row<const N: usize>(cells: [(&str, String); N]) -> ExportRow {
    cells.into_iter().filter(|(_, v)| !v.is_empty()).map(|(c, v)| (c.to_owned(), v)).collect()
}

fn ms(at: DateTime<Utc>) -> String {
    at.timestamp_millis().to_string()
}

fn sf_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3f+0000").to_string()
}

fn day(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn flag(b: bool) -> String {
    (if b { "true" } else { "false" }).to_owned()
}

fn open_stage(outcome: &SampleOutcome) -> Option<(&'static str, &'static str, &'static str, u8, &'static str)> {
    match outcome {
        SampleOutcome::Open { stage, .. } => OPEN_STAGES.iter().copied().find(|s| s.0 == stage),
        _ => None,
    }
}

impl Company {
    /// The company as a HubSpot export: a contacts row per lead (instants in epoch
    /// milliseconds, as HubSpot's API writes them; default lifecycle stages in
    /// `hs_lifecyclestage_<stage>_date`, custom ones in `hs_v2_date_entered_<stage>`) and a
    /// deals row per opportunity (`createdate` in ISO 8601, `closedate` in epoch milliseconds;
    /// an open deal's `closedate` is midnight UTC of its expected close date).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    ///
    /// let company = Company::new(42, 100)?;
    /// let export = company.hubspot_export();
    /// assert_eq!(export.contacts.len(), 100);
    /// assert_eq!(export.deals.len(), company.opportunities().count());
    /// assert!(export.contacts.iter().all(|r| r.contains_key("hs_lifecyclestage_lead_date")));
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn hubspot_export(&self) -> HubSpotExport {
        let mut export = HubSpotExport::default();
        for lead in self.leads() {
            export.contacts.push(hubspot_contact(&lead));
            if let Some(deal) = hubspot_deal(&lead) {
                export.deals.push(deal);
            }
        }
        export
    }

    /// The company as a Salesforce export (instants as Data Loader writes them,
    /// `2024-03-01T09:30:00.000+0000`; `CloseDate` and `FirstRespondedDate` as UTC dates):
    /// leads (converted when they have an opportunity), their status history, opportunities
    /// with their closing stage change, and a responded campaign member per campaign touch.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    ///
    /// let company = Company::new(42, 100)?;
    /// let export = company.salesforce_export();
    /// assert_eq!(export.leads.len(), 100);
    /// let entries: usize = company.leads().map(|l| l.stages.len()).sum();
    /// assert_eq!(export.lead_history.len(), 100 + entries); // a `created` row per lead, then the statuses
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn salesforce_export(&self) -> SalesforceExport {
        let mut export = SalesforceExport::default();
        for lead in self.leads() {
            salesforce_lead(&lead, &mut export);
        }
        export
    }

    /// `facts` mapped from one of this company's CRM exports, completed with what such an
    /// export does not carry and the company's other systems know: the accounts'
    /// firmographics (enrichment), the reps' logged responses and dispositions (the activity
    /// log) and, when `facts` has no journeys, the touches (web analytics). What `facts`
    /// already holds of those is replaced.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::crm::Mapping;
    /// use revops::testkit::{Company, hubspot_stage_map};
    /// use revops::Currency;
    ///
    /// let company = Company::new(42, 100)?;
    /// let export = company.hubspot_export();
    /// let stages = hubspot_stage_map()?;
    /// let mapping = Mapping::new(&stages, chrono_tz::UTC, Currency::USD);
    /// let mapped = export.tables().map(&mapping);
    /// let facts = company.with_other_systems(mapped.facts);
    /// assert_eq!(facts.accounts.len(), company.account_count());
    /// assert_eq!(facts.leads.len(), 100);
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn with_other_systems(&self, facts: FactSet) -> FactSet {
        let sample = self.facts();
        let journeys = if facts.journeys.is_empty() { sample.journeys } else { facts.journeys };
        FactSet {
            accounts: sample.accounts,
            responses: sample.responses,
            dispositions: sample.dispositions,
            journeys,
            ..facts
        }
    }
}

fn hubspot_contact(lead: &SampleLead) -> ExportRow {
    let mut out = row([
        ("hs_object_id", lead.id.to_string()),
        ("createdate", ms(lead.created_at)),
        ("lifecyclestage", hubspot_lifecycle_stage(lead.current_stage()).to_owned()),
        ("hs_analytics_source", lead.source.to_string()),
        ("hubspot_owner_id", lead.entered(SampleStage::Mql).map(|_| super::SDR_QUEUE.to_owned()).unwrap_or_default()),
        ("associatedcompanyid", lead.account.to_string()),
    ]);
    for change in &lead.stages {
        let name = hubspot_lifecycle_stage(change.stage);
        let column = if crate::crm::hubspot::LIFECYCLE_STAGES.contains(&name) {
            format!("hs_lifecyclestage_{name}_date")
        } else {
            format!("hs_v2_date_entered_{name}")
        };
        out.insert(column, ms(change.at));
    }
    out
}

fn hubspot_deal(lead: &SampleLead) -> Option<ExportRow> {
    let opp = lead.opportunity.as_ref()?;
    let open = open_stage(&opp.outcome);
    let (stage, probability, reason) = match (&opp.outcome, open) {
        (SampleOutcome::Won, _) => ("closedwon", String::new(), String::new()),
        (SampleOutcome::Lost { reason }, _) => ("closedlost", String::new(), reason.clone()),
        (_, Some((_, hs, _, percent, _))) => {
            (hs, (rust_decimal::Decimal::from(percent) / rust_decimal::Decimal::ONE_HUNDRED).to_string(), String::new())
        }
        _ => ("", String::new(), String::new()),
    };
    let closed = opp.closed_at.is_some();
    let close = opp.closed_at.map_or_else(|| ms(opp.close_date.and_time(chrono::NaiveTime::MIN).and_utc()), ms);
    let mut out = row([
        ("hs_object_id", opp.id.to_string()),
        ("dealstage", stage.to_owned()),
        ("pipeline", "default".to_owned()),
        ("amount", opp.amount.amount().to_string()),
        ("deal_currency_code", opp.amount.currency().to_string()),
        ("createdate", opp.created_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
        ("closedate", close),
        ("hs_deal_stage_probability", probability),
        ("closed_lost_reason", reason),
        ("hs_is_closed", flag(closed)),
        ("hs_is_closed_won", flag(opp.outcome == SampleOutcome::Won)),
        ("hs_analytics_source", lead.source.to_string()),
        ("associatedcompanyid", opp.account.to_string()),
        ("associatedcontactid", opp.lead.to_string()),
    ]);
    if let Some(at) = opp.closed_at {
        out.insert(format!("hs_date_entered_{stage}"), ms(at));
    }
    Some(out)
}

fn salesforce_lead(lead: &SampleLead, export: &mut SalesforceExport) {
    let opp = lead.opportunity.as_ref();
    let owner = lead.entered(SampleStage::Mql).map(|_| super::SDR_QUEUE.to_owned()).unwrap_or_default();
    export.leads.push(row([
        ("Id", lead.id.to_string()),
        ("CreatedDate", sf_time(lead.created_at)),
        ("Status", salesforce_lead_status(lead.current_stage()).to_owned()),
        ("Company", lead.account.to_string()),
        ("LeadSource", lead.source.to_string()),
        ("OwnerId", owner),
        ("IsConverted", flag(opp.is_some())),
        ("ConvertedDate", opp.map(|o| day(o.created_at.date_naive())).unwrap_or_default()),
        ("ConvertedAccountId", opp.map(|o| o.account.to_string()).unwrap_or_default()),
        ("ConvertedContactId", opp.map(|_| lead.contact.to_string()).unwrap_or_default()),
        ("ConvertedOpportunityId", opp.map(|o| o.id.to_string()).unwrap_or_default()),
    ]));
    export.lead_history.push(row([
        ("LeadId", lead.id.to_string()),
        ("Field", "created".to_owned()),
        ("CreatedDate", sf_time(lead.created_at)),
    ]));
    let mut old = String::new();
    for change in &lead.stages {
        let status = salesforce_lead_status(change.stage).to_owned();
        export.lead_history.push(row([
            ("LeadId", lead.id.to_string()),
            ("Field", "Status".to_owned()),
            ("OldValue", core::mem::replace(&mut old, status.clone())),
            ("NewValue", status),
            ("CreatedDate", sf_time(change.at)),
        ]));
    }
    for touch in &lead.touches {
        let Some(campaign) = &touch.campaign else { continue };
        export.campaign_members.push(row([
            ("CampaignId", campaign.to_string()),
            ("LeadId", lead.id.to_string()),
            ("ContactId", touch.contact.to_string()),
            ("Status", "Responded".to_owned()),
            ("HasResponded", flag(true)),
            ("FirstRespondedDate", day(touch.at.date_naive())),
            ("CreatedDate", sf_time(touch.at)),
            ("Campaign.Type", touch.channel.to_string()),
        ]));
    }
    let Some(opp) = opp else { return };
    let open = open_stage(&opp.outcome);
    let (stage, forecast, percent, reason) = match (&opp.outcome, open) {
        (SampleOutcome::Won, _) => ("Closed Won", "Closed", 100, String::new()),
        (SampleOutcome::Lost { reason }, _) => ("Closed Lost", "Omitted", 0, reason.clone()),
        (_, Some((_, _, sf, percent, forecast))) => (sf, forecast, percent, String::new()),
        _ => ("", "", 0, String::new()),
    };
    let close_date = opp.closed_at.map_or(opp.close_date, |at| at.date_naive());
    export.opportunities.push(row([
        ("Id", opp.id.to_string()),
        ("AccountId", opp.account.to_string()),
        ("StageName", stage.to_owned()),
        ("IsClosed", flag(opp.closed_at.is_some())),
        ("IsWon", flag(opp.outcome == SampleOutcome::Won)),
        ("ForecastCategory", forecast.to_owned()),
        ("Amount", opp.amount.amount().to_string()),
        ("CurrencyIsoCode", opp.amount.currency().to_string()),
        ("Probability", percent.to_string()),
        ("CloseDate", day(close_date)),
        ("CreatedDate", sf_time(opp.created_at)),
        ("LeadSource", lead.source.to_string()),
        ("Type", "New Business".to_owned()),
        ("Loss_Reason__c", reason),
    ]));
    export.opportunity_history.push(row([
        ("OpportunityId", opp.id.to_string()),
        ("Field", "Amount".to_owned()),
        ("NewValue", opp.amount.amount().to_string()),
        ("CreatedDate", sf_time(opp.created_at)),
    ]));
    if let Some(at) = opp.closed_at {
        export.opportunity_history.push(row([
            ("OpportunityId", opp.id.to_string()),
            ("Field", "StageName".to_owned()),
            ("NewValue", stage.to_owned()),
            ("CreatedDate", sf_time(at)),
        ]));
    }
}
