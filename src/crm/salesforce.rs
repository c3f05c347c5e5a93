//! Salesforce exports: `Lead`, `LeadHistory`, `Opportunity`, `OpportunityFieldHistory` and
//! `CampaignMember`, by their API field names (what Data Loader, Data Export and SOQL write).
//!
//! | object and field | fact field |
//! | --- | --- |
//! | `Lead.Id`, `CreatedDate`, `LeadSource`, `OwnerId` | [`Lead`]'s id, created, source, owner |
//! | `Lead.Status` | checked: must be a lead stage of the map |
//! | `Lead.IsConverted`, `ConvertedDate`, `ConvertedAccountId`, `ConvertedContactId` | checked against each other; the lead's account and contact |
//! | `Lead.ConvertedOpportunityId` | [`SalesforceTables`]: the deal's [`Deal::lead`] |
//! | `LeadHistory` rows with `Field` = `Status`: `LeadId`, `NewValue`, `CreatedDate` | lead [`StageChange`]s |
//! | `Opportunity.Id`, `AccountId`, `CreatedDate`, `LeadSource` | [`Deal`]'s id, account, created, source (and origin through the map) |
//! | `Opportunity.StageName`, checked against `IsClosed` and `IsWon` | [`Deal::stage`], [`Deal::status`], [`Deal::qualified`] |
//! | `Amount`, `CurrencyIsoCode` (else the mapping's currency) | [`Deal::amount`], exact |
//! | `CloseDate` | [`Deal::close_date`] (open), [`Deal::closed_at`] (closed: the start of that local day, or the instant of the closing stage change in the history, see [`SalesforceTables`]) |
//! | `Probability` (percent; else the stage's default) | the open status's probability |
//! | `Loss_Reason__c` (a common custom field: a reason key or label, else the rep's words; else the stage's default) | the lost status's reason |
//! | `ForecastCategory` (or `ForecastCategoryName`) | [`Deal::forecast_category`] |
//! | `OpportunityFieldHistory` rows with `Field` = `StageName`: `OpportunityId`, `NewValue`, `CreatedDate` | deal stage changes |
//! | `CampaignMember` rows with `HasResponded` true: `CampaignId`, `LeadId` (else `ContactId`), `Campaign.Type`, `FirstRespondedDate`, `CreatedDate` | a [`Touchpoint`] of the person's [`Journey`] (channel = the campaign's type) |
//!
//! `Lead.Company` and `Opportunity.Type` carry no fact field. History rows about other fields
//! and campaign members who never responded carry no fact; they are listed in
//! [`Mapped::skipped`].

use std::collections::BTreeMap;

use super::cell::{self, first, invalid, read, required};
use super::deal::{self, DealCells};
use super::instant;
use super::{Mapped, Mapping, Outcome, Row, SetAside, each_row};
use crate::facts::{Conversion, Deal, Journey, Lead, Milestones, StageChange, Touchpoint};
use crate::{AccountId, CampaignId, ChannelId, ContactId, Error, JourneyId, LeadId, OpportunityId, Record};

/// One `Lead` row: the lead, and the opportunity it was converted into, if any.
///
/// # Errors
/// [`ErrorKind::InvalidColumn`](crate::ErrorKind::InvalidColumn) naming the column: a missing
/// `Id` or `CreatedDate`; a `Status` the map does not name; `IsConverted` true without
/// `ConvertedDate`, or false with a converted id or date; a value that does not parse.
///
/// # Example
///
/// ```
/// use revops::crm::{Mapping, StageMap, salesforce};
/// use revops::{Currency, StageId};
///
/// let stages = StageMap::new([("Closed - Converted".to_owned(), StageId::new("sql")?)], [], [])?;
/// let mapping = Mapping::new(&stages, chrono_tz::America::Chicago, Currency::USD);
/// let row = [("Id", "00Q5g00000A1"), ("CreatedDate", "2024-01-05T10:00:00.000+0000"), ("Status", "Closed - Converted"),
///            ("IsConverted", "true"), ("ConvertedDate", "2024-02-01"), ("ConvertedAccountId", "0015g00000B2"),
///            ("ConvertedOpportunityId", "0065g00000C3"), ("LeadSource", "Web")];
/// let (lead, opportunity) = salesforce::lead(&row, &mapping)?;
/// assert_eq!(lead.account.map(String::from).as_deref(), Some("0015g00000B2"));
/// assert_eq!(opportunity.map(String::from).as_deref(), Some("0065g00000C3"));
///
/// let row = [("Id", "00Q5g00000A2"), ("CreatedDate", "2024-01-05"), ("Status", "Closed - Converted"), ("IsConverted", "yes")];
/// assert!(salesforce::lead(&row, &mapping).unwrap_err().to_string().starts_with("column `IsConverted` \"yes\""));
/// # Ok::<(), revops::Error>(())
/// ```
pub fn lead<R: Row + ?Sized>(row: &R, m: &Mapping<'_>) -> Result<(Lead, Option<OpportunityId>), Error> {
    let (c, v) = required(row, &["Id"])?;
    let id = read(c, v, LeadId::new)?;
    let (c, v) = required(row, &["CreatedDate"])?;
    let created_at = cell::instant(m, c, v, false)?;
    if let Some((c, v)) = first(row, &["Status"])
        && m.stages.lead_stage(v).is_none()
    {
        return Err(invalid(c, v, "is a lead status the stage map does not name"));
    }
    let mut lead = Lead::new(id, created_at);
    if let Some((c, v)) = first(row, &["LeadSource"]) {
        lead.source = Some(read(c, v, ChannelId::new)?);
    }
    lead.owner = first(row, &["OwnerId"]).map(|(_, v)| v.to_owned());
    let converted = cell::opt_flag(row, &["IsConverted"])?.is_some_and(|(_, f)| f);
    let converted_date = first(row, &["ConvertedDate"]);
    let ids = [
        first(row, &["ConvertedAccountId"]),
        first(row, &["ConvertedContactId"]),
        first(row, &["ConvertedOpportunityId"]),
    ];
    if converted {
        let (c, v) = required(row, &["ConvertedDate"])?;
        if cell::date(m, c, v, false)? < created_at.with_timezone(&m.zone).date_naive() {
            return Err(invalid(c, v, "is before the lead was created"));
        }
    } else if let Some((c, v)) = converted_date.or(ids.iter().flatten().next().copied()) {
        return Err(invalid(c, v, "is set, but IsConverted is not true"));
    }
    let [account, contact, opportunity] = ids;
    lead.account = account.map(|(c, v)| read(c, v, AccountId::new)).transpose()?;
    lead.contact = contact.map(|(c, v)| read(c, v, ContactId::new)).transpose()?;
    let opportunity = opportunity.map(|(c, v)| read(c, v, OpportunityId::new)).transpose()?;
    Ok((lead, opportunity))
}

/// One `LeadHistory` row: a lead stage change when `Field` is `Status`, `None` for any other
/// field.
///
/// # Errors
/// [`ErrorKind::InvalidColumn`](crate::ErrorKind::InvalidColumn) naming the column: a missing
/// `Field`, `LeadId` or `CreatedDate`, a `NewValue` the map does not name, a value that does
/// not parse.
pub fn lead_history_row<R: Row + ?Sized>(row: &R, m: &Mapping<'_>) -> Result<Option<StageChange>, Error> {
    let (_, field) = required(row, &["Field"])?;
    if field != "Status" {
        return Ok(None);
    }
    let (c, v) = required(row, &["LeadId"])?;
    let entity = read(c, v, LeadId::new)?;
    let (c, v) = required(row, &["NewValue"])?;
    let stage = m.stages.lead_stage(v).ok_or_else(|| invalid(c, v, "is a lead status the stage map does not name"))?;
    let (c, v) = required(row, &["CreatedDate"])?;
    Ok(Some(StageChange { entity, stage: stage.clone(), at: cell::instant(m, c, v, false)? }))
}

/// One `Opportunity` row: the deal. A closed deal's `closed_at` is the start of its
/// `CloseDate` in the mapping's zone (or `CloseDate` itself if it is a date-time); [`SalesforceTables`]
/// refines it from the opportunity history.
///
/// # Errors
/// [`ErrorKind::InvalidColumn`](crate::ErrorKind::InvalidColumn) naming the column: a missing
/// `Id`, `StageName`, `Amount` or `CreatedDate`; a `StageName` the map does not name; `IsWon`
/// true with `IsClosed` false, or either contradicting the stage's outcome; a closed deal
/// without `CloseDate` or closing before it was created; an open deal without a probability;
/// a negative amount; a value that does not parse.
///
/// # Example
///
/// ```
/// use revops::crm::{DealStage, Mapping, StageMap, StageOutcome, salesforce};
/// use revops::{Currency, ErrorKind, StageId};
///
/// let won = DealStage::new(StageId::new("won")?, StageOutcome::Won);
/// let stages = StageMap::new([], [("Closed Won".to_owned(), won)], [])?;
/// let mapping = Mapping::new(&stages, chrono_tz::Europe::London, Currency::GBP);
/// let row = [("Id", "006A"), ("StageName", "Closed Won"), ("IsClosed", "true"), ("IsWon", "true"),
///            ("Amount", "5000"), ("CloseDate", "2024-07-01"), ("CreatedDate", "2024-05-01T09:00:00.000Z")];
/// let deal = salesforce::opportunity(&row, &mapping)?;
/// assert_eq!(deal.closed_at.map(|t| t.to_rfc3339()), Some("2024-06-30T23:00:00+00:00".to_owned())); // BST midnight
///
/// // Won but not closed: a contradiction, refused.
/// let row = [("Id", "006B"), ("StageName", "Closed Won"), ("IsClosed", "false"), ("IsWon", "true"),
///            ("Amount", "5000"), ("CloseDate", "2024-07-01"), ("CreatedDate", "2024-05-01")];
/// let err = salesforce::opportunity(&row, &mapping).unwrap_err();
/// assert!(matches!(err.kind(), ErrorKind::InvalidColumn { column, .. } if column == "IsWon"));
/// # Ok::<(), revops::Error>(())
/// ```
pub fn opportunity<R: Row + ?Sized>(row: &R, m: &Mapping<'_>) -> Result<Deal, Error> {
    let (c, v) = required(row, &["Id"])?;
    let id = read(c, v, OpportunityId::new)?;
    let (stage_col, stage_name) = required(row, &["StageName"])?;
    let stage = m
        .stages
        .deal_stage(stage_name)
        .ok_or_else(|| invalid(stage_col, stage_name, "is a stage the stage map does not name"))?;
    let (c, v) = required(row, &["CreatedDate"])?;
    let created_at = cell::instant(m, c, v, false)?;
    let (amount_col, amount_value) = required(row, &["Amount"])?;
    let amount = cell::money(m, row, &["Amount"], &["CurrencyIsoCode"])?;
    let probability = first(row, &["Probability"]).map(|(c, v)| cell::percent(c, v)).transpose()?;
    let forecast =
        first(row, &["ForecastCategory", "ForecastCategoryName"]).map(|(c, v)| cell::forecast(c, v)).transpose()?;
    let source = first(row, &["LeadSource"]).map(|(c, v)| read(c, v, ChannelId::new)).transpose()?;
    let account = first(row, &["AccountId"]).map(|(c, v)| read(c, v, AccountId::new)).transpose()?;
    deal::build(
        m,
        DealCells {
            id,
            stage,
            created_at,
            close: first(row, &["CloseDate"]),
            amount: (amount_col, amount_value, amount),
            probability,
            probability_column: "Probability",
            reason: first(row, &["Loss_Reason__c"]).map(|(_, v)| v),
            is_closed: cell::opt_flag(row, &["IsClosed"])?,
            is_won: cell::opt_flag(row, &["IsWon"])?,
            close_column: "CloseDate",
            epoch_ms: false,
            source,
            origin_key: first(row, &["LeadSource"]).map(|(_, v)| v),
            account,
            lead: None,
            forecast,
        },
    )
}

/// One `OpportunityFieldHistory` row: a deal stage change when `Field` is `StageName`, `None`
/// for any other field.
///
/// # Errors
/// [`ErrorKind::InvalidColumn`](crate::ErrorKind::InvalidColumn) naming the column: a missing
/// `Field`, `OpportunityId` or `CreatedDate`, a `NewValue` the map does not name, a value that
/// does not parse.
pub fn opportunity_history_row<R: Row + ?Sized>(
    row: &R,
    m: &Mapping<'_>,
) -> Result<Option<StageChange<OpportunityId>>, Error> {
    let (_, field) = required(row, &["Field"])?;
    if field != "StageName" {
        return Ok(None);
    }
    let (c, v) = required(row, &["OpportunityId"])?;
    let entity = read(c, v, OpportunityId::new)?;
    let (c, v) = required(row, &["NewValue"])?;
    let stage = m.stages.deal_stage(v).ok_or_else(|| invalid(c, v, "is a stage the stage map does not name"))?;
    let (c, v) = required(row, &["CreatedDate"])?;
    Ok(Some(StageChange { entity, stage: stage.stage.clone(), at: cell::instant(m, c, v, false)? }))
}

/// One `CampaignMember` row: the person's journey id (the `LeadId`, else the `ContactId`) and
/// the touch, or `None` for a member who never responded (`HasResponded` false or absent).
///
/// The touch is at `CreatedDate` when `FirstRespondedDate` is absent or the same local date,
/// else at the start of `FirstRespondedDate` in the mapping's zone. Its channel is the
/// campaign's type (export the relationship column `Campaign.Type`).
///
/// # Errors
/// [`ErrorKind::InvalidColumn`](crate::ErrorKind::InvalidColumn) naming the column: a missing
/// `CampaignId`, `Campaign.Type`, `CreatedDate` or person (`LeadId` and `ContactId` both
/// empty); a value that does not parse.
///
/// # Example
///
/// ```
/// use revops::crm::{Mapping, StageMap, salesforce};
/// use revops::{Currency, StageId};
///
/// let stages = StageMap::new([("Open".to_owned(), StageId::new("lead")?)], [], [])?;
/// let mapping = Mapping::new(&stages, chrono_tz::UTC, Currency::USD);
/// let row = [("CampaignId", "7015g01"), ("LeadId", "00Q1"), ("Status", "Responded"), ("HasResponded", "true"),
///            ("FirstRespondedDate", "2024-03-04"), ("CreatedDate", "2024-03-04T15:30:00.000Z"), ("Campaign.Type", "Webinar")];
/// let (journey, touch) = salesforce::campaign_member(&row, &mapping)?.ok_or(revops::ErrorKind::Empty { what: "touch" })?;
/// assert_eq!((journey.as_str(), touch.channel.as_str()), ("00Q1", "Webinar"));
/// assert_eq!(touch.at.to_rfc3339(), "2024-03-04T15:30:00+00:00");
/// # Ok::<(), revops::Error>(())
/// ```
pub fn campaign_member<R: Row + ?Sized>(row: &R, m: &Mapping<'_>) -> Result<Option<(JourneyId, Touchpoint)>, Error> {
    let responded = cell::opt_flag(row, &["HasResponded"])?.is_some_and(|(_, f)| f);
    if !responded {
        return Ok(None);
    }
    let (c, v) = required(row, &["CampaignId"])?;
    let campaign = read(c, v, CampaignId::new)?;
    let (c, v) = required(row, &["Campaign.Type"])?;
    let channel = read(c, v, ChannelId::new)?;
    let (c, v) = required(row, &["LeadId", "ContactId"])?;
    let journey = read(c, v, JourneyId::new)?;
    let contact = first(row, &["ContactId"]).map(|(c, v)| read(c, v, ContactId::new)).transpose()?;
    let (c, v) = required(row, &["CreatedDate"])?;
    let created = cell::instant(m, c, v, false)?;
    let at = match first(row, &["FirstRespondedDate"]) {
        Some((c, v)) => {
            let responded = cell::parsed(c, v, false)?;
            if instant::local_date(responded, m.zone) == created.with_timezone(&m.zone).date_naive() {
                created
            } else {
                cell::instant(m, c, v, false)?
            }
        }
        None => created,
    };
    let mut touch = Touchpoint::new(at, channel).with_campaign(campaign);
    touch.contact = contact;
    Ok(Some((journey, touch)))
}

macro_rules! batch {
    ($(#[$doc:meta])* $name:ident, $strict:ident, $into:ident, $table:literal, $row:ident, $skip:literal, |$out:ident, $fact:ident| $put:expr) => {
        $(#[$doc])*
        #[must_use]
        pub fn $name<R: Row>(rows: impl IntoIterator<Item = R>, m: &Mapping<'_>) -> Mapped {
            let mut out = Mapped::default();
            let _ = $into(rows, m, false, &mut out);
            out
        }

        #[doc = concat!("[`", stringify!($name), "`], stopping at the first bad row.")]
        ///
        /// # Errors
        /// The first bad row's error, naming the row ([`Record::Line`]) and the column.
        pub fn $strict<R: Row>(rows: impl IntoIterator<Item = R>, m: &Mapping<'_>) -> Result<Mapped, Error> {
            let mut out = Mapped::default();
            $into(rows, m, true, &mut out)?;
            Ok(out)
        }

        fn $into<R: Row>(rows: impl IntoIterator<Item = R>, m: &Mapping<'_>, strict: bool, out: &mut Mapped) -> Result<(), Error> {
            each_row($table, rows, strict, out, |row| {
                Ok(match $row(row, m)? { Some(fact) => Outcome::Fact(fact), None => Outcome::Skip($skip) })
            }, |$out, $fact| $put)
        }
    };
}

fn some<T>(r: Result<T, Error>) -> Result<Option<T>, Error> {
    r.map(Some)
}

fn lead_row<R: Row + ?Sized>(row: &R, m: &Mapping<'_>) -> Result<Option<(Lead, Option<OpportunityId>)>, Error> {
    some(lead(row, m))
}

fn opportunity_row<R: Row + ?Sized>(row: &R, m: &Mapping<'_>) -> Result<Option<Deal>, Error> {
    some(opportunity(row, m))
}

batch!(
    /// Every `Lead` row: leads in row order; bad rows set aside. (The converted opportunity
    /// ids are joined by [`SalesforceTables`].)
    leads, leads_strict, leads_into, "Lead", lead_row, "", |out, fact| out.facts.leads.push(fact.0)
);
batch!(
    /// Every `LeadHistory` row: the `Status` changes as lead stage changes, in row order; rows
    /// about other fields skipped; bad rows set aside.
    lead_history, lead_history_strict, lead_history_into, "LeadHistory", lead_history_row,
    "a history row about another field than Status", |out, fact| out.facts.stage_changes.push(fact)
);
batch!(
    /// Every `Opportunity` row: deals in row order; bad rows set aside.
    opportunities, opportunities_strict, opportunities_into, "Opportunity", opportunity_row, "",
    |out, fact| out.facts.deals.push(fact)
);
batch!(
    /// Every `OpportunityFieldHistory` row: the `StageName` changes as deal stage changes, in
    /// row order; rows about other fields skipped; bad rows set aside.
    opportunity_history, opportunity_history_strict, opportunity_history_into, "OpportunityFieldHistory",
    opportunity_history_row, "a history row about another field than StageName",
    |out, fact| out.deal_stage_changes.push(fact)
);

/// Every `CampaignMember` row: one journey per person (sorted by id) whose touches are the
/// person's campaign responses in time order (ties in row order); members who never
/// responded skipped; bad rows set aside.
#[must_use]
pub fn campaign_members<R: Row>(rows: impl IntoIterator<Item = R>, m: &Mapping<'_>) -> Mapped {
    let mut out = Mapped::default();
    let _ = campaign_members_into(rows, m, false, &mut out);
    out
}

/// [`campaign_members`], stopping at the first bad row.
///
/// # Errors
/// The first bad row's error, naming the row ([`Record::Line`]) and the column.
pub fn campaign_members_strict<R: Row>(rows: impl IntoIterator<Item = R>, m: &Mapping<'_>) -> Result<Mapped, Error> {
    let mut out = Mapped::default();
    campaign_members_into(rows, m, true, &mut out)?;
    Ok(out)
}

fn campaign_members_into<R: Row>(
    rows: impl IntoIterator<Item = R>,
    m: &Mapping<'_>,
    strict: bool,
    out: &mut Mapped,
) -> Result<(), Error> {
    let mut people: BTreeMap<JourneyId, Vec<Touchpoint>> = BTreeMap::new();
    each_row(
        "CampaignMember",
        rows,
        strict,
        out,
        |row| Ok(campaign_member(row, m)?.map_or(Outcome::Skip("a campaign member who never responded"), Outcome::Fact)),
        |_, (journey, touch)| people.entry(journey).or_default().push(touch),
    )?;
    for (id, mut touches) in people {
        touches.sort_by_key(|t| t.at); // stable: ties keep row order
        let mut journey = Journey::not_converted(id);
        journey.touches = touches;
        out.facts.journeys.push(journey);
    }
    Ok(())
}

/// A whole Salesforce export, mapped at once with the joins between its tables:
///
/// - a deal's [`Deal::lead`] is the lead converted into it (`Lead.ConvertedOpportunityId`; the
///   first such lead in row order);
/// - a closed deal's `closed_at` is the instant of its last `StageName` change into the stage
///   it closed in, when the history has one not before the deal's creation (the `CloseDate`
///   says only the day);
/// - a person's journey carries the lead's account and creation, and, when the lead was
///   converted into a won deal, the deal's creation, its close and the conversion (the close,
///   the amount). A journey that fails [`Journey::check`] then (a response after the close) is
///   set aside with its error, about the journey.
///
/// Lead and deal stage changes come out sorted by entity, then time (ties in row order).
///
/// # Example
///
/// ```
/// use revops::crm::{DealStage, Mapping, StageMap, StageOutcome, salesforce};
/// use revops::{Currency, StageId};
///
/// let won = DealStage::new(StageId::new("won")?, StageOutcome::Won);
/// let stages = StageMap::new([("Converted".to_owned(), StageId::new("sql")?)], [("Closed Won".to_owned(), won)], [])?;
/// let mapping = Mapping::new(&stages, chrono_tz::UTC, Currency::USD);
/// let leads = [vec![("Id", "00Q1"), ("CreatedDate", "2024-01-02T09:00:00Z"), ("IsConverted", "true"),
///                   ("ConvertedDate", "2024-01-09"), ("ConvertedOpportunityId", "006A")]];
/// let opportunities = [vec![("Id", "006A"), ("StageName", "Closed Won"), ("Amount", "900"),
///                           ("CloseDate", "2024-03-01"), ("CreatedDate", "2024-01-09T10:00:00Z")]];
/// let history = [vec![("OpportunityId", "006A"), ("Field", "StageName"), ("NewValue", "Closed Won"),
///                     ("CreatedDate", "2024-03-01T16:45:00Z")]];
/// let export = salesforce::SalesforceTables { leads: &leads, opportunities: &opportunities, opportunity_history: &history,
///                                   ..salesforce::SalesforceTables::default() };
/// let mapped = export.map(&mapping);
/// let deal = &mapped.facts.deals[0];
/// assert_eq!(deal.lead.as_ref().map(|l| l.as_str()), Some("00Q1"));
/// assert_eq!(deal.closed_at.map(|t| t.to_rfc3339()), Some("2024-03-01T16:45:00+00:00".to_owned()));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct SalesforceTables<'a, R> {
    /// `Lead` rows.
    pub leads: &'a [R],
    /// `LeadHistory` rows.
    pub lead_history: &'a [R],
    /// `Opportunity` rows.
    pub opportunities: &'a [R],
    /// `OpportunityFieldHistory` rows.
    pub opportunity_history: &'a [R],
    /// `CampaignMember` rows.
    pub campaign_members: &'a [R],
}

impl<R> Default for SalesforceTables<'_, R> {
    fn default() -> Self {
        SalesforceTables {
            leads: &[],
            lead_history: &[],
            opportunities: &[],
            opportunity_history: &[],
            campaign_members: &[],
        }
    }
}

impl<R: Row> SalesforceTables<'_, R> {
    /// Maps every table and joins them (see the type documentation); bad rows set aside.
    #[must_use]
    pub fn map(&self, m: &Mapping<'_>) -> Mapped {
        self.run(m, false).unwrap_or_default()
    }

    /// [`SalesforceTables::map`], stopping at the first bad row or journey.
    ///
    /// # Errors
    /// The first bad row's error (naming the row and the column), or the first journey's that
    /// fails its check.
    pub fn map_strict(&self, m: &Mapping<'_>) -> Result<Mapped, Error> {
        self.run(m, true)
    }

    fn run(&self, m: &Mapping<'_>, strict: bool) -> Result<Mapped, Error> {
        let mut out = Mapped::default();
        let mut converted: BTreeMap<OpportunityId, LeadId> = BTreeMap::new();
        each_row(
            "Lead",
            self.leads.iter(),
            strict,
            &mut out,
            |row| lead(row, m).map(Outcome::Fact),
            |out, (lead, opportunity)| {
                if let Some(opportunity) = opportunity {
                    converted.entry(opportunity).or_insert_with(|| lead.id.clone());
                }
                out.facts.leads.push(lead);
            },
        )?;
        lead_history_into(self.lead_history.iter(), m, strict, &mut out)?;
        opportunities_into(self.opportunities.iter(), m, strict, &mut out)?;
        opportunity_history_into(self.opportunity_history.iter(), m, strict, &mut out)?;
        out.facts.stage_changes.sort_by(|a, b| a.entity.cmp(&b.entity).then(a.at.cmp(&b.at)));
        out.deal_stage_changes.sort_by(|a, b| a.entity.cmp(&b.entity).then(a.at.cmp(&b.at)));
        let mut closes: BTreeMap<&OpportunityId, Vec<&StageChange<OpportunityId>>> = BTreeMap::new();
        for change in &out.deal_stage_changes {
            closes.entry(&change.entity).or_default().push(change);
        }
        for deal in &mut out.facts.deals {
            deal.lead = converted.get(&deal.id).cloned();
            let (Some(stage), Some(_)) = (&deal.stage, deal.closed_at) else { continue };
            let last = closes.get(&deal.id).and_then(|c| c.iter().rev().find(|c| c.stage == *stage));
            if let Some(change) = last.filter(|c| c.at >= deal.created_at) {
                deal.closed_at = Some(change.at);
            }
        }
        let mut members = Mapped::default();
        campaign_members_into(self.campaign_members.iter(), m, strict, &mut members)?;
        let leads: BTreeMap<&str, &Lead> = out.facts.leads.iter().map(|l| (l.id.as_str(), l)).collect();
        let deals: BTreeMap<&LeadId, &Deal> =
            out.facts.deals.iter().filter_map(|d| Some((d.lead.as_ref()?, d))).collect();
        for mut journey in members.facts.journeys {
            if let Some(lead) = leads.get(journey.id.as_str()) {
                journey.account.clone_from(&lead.account);
                let deal = deals.get(&lead.id);
                let won = deal.filter(|d| d.status == crate::facts::DealStatus::Won);
                journey.milestones = Milestones {
                    lead_created: Some(lead.created_at),
                    opportunity_created: deal.map(|d| d.created_at),
                    closed_won: won.and_then(|d| d.closed_at),
                };
                journey.conversion = won.and_then(|d| Some(Conversion { at: d.closed_at?, value: d.amount }));
            }
            match journey.check() {
                Ok(()) => out.facts.journeys.push(journey),
                Err(error) => {
                    let error = error.about(Record::Journey(journey.id.clone()));
                    if strict {
                        return Err(error);
                    }
                    out.set_aside.push(SetAside { table: "CampaignMember", error });
                }
            }
        }
        out.set_aside.extend(members.set_aside);
        out.skipped.extend(members.skipped);
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
