//! The fact tables ([`schema`](crate::schema)) to and from the crate's facts, column by
//! column: each column is cast once, then read by index; each fact is validated as the crate
//! validates it ([`Deal::check`], the id rules, currencies), and a bad value is an error that
//! names the record (its id, or its row for spend) and the column. Nullable columns may be
//! absent from a batch (read as all null).

use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, BooleanBuilder, Date32Builder, Int64Builder, ListBuilder, RecordBatch, StringBuilder,
    TimestampNanosecondBuilder,
};
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::error::Result;
use revops::facts::{Deal, DealStatus, Lead, Reason, Response, Spend, StageChange};
use revops::{AccountId, CampaignId, ChannelId, ContactId, Currency, LeadId, Money, OpportunityId, Period, StageId};

use crate::columns::{
    ColumnSource, bad_record, boolean, date_days, dates, enum_value, instants, int64, nanos, opt_date, opt_instant,
    opt_text, req_instant, req_int64, req_text, text, text_list, text_lists,
};
use crate::schema;

/// An id of the crate from a column value, the error naming the record.
fn id<T>(make: fn(String) -> Result<T, revops::Error>, value: &str, record: &str, column: &str) -> Result<T> {
    make(value.to_owned()).map_err(|e| bad_record(record, column, e))
}

/// An optional id.
fn opt_id<T>(
    make: fn(String) -> Result<T, revops::Error>,
    value: Option<&str>,
    record: &str,
    column: &str,
) -> Result<Option<T>> {
    value.map(|v| id(make, v, record, column)).transpose()
}

/// Money from its minor units and currency code.
fn money(minor: i64, code: &str, record: &str) -> Result<Money> {
    let currency: Currency = code.parse().map_err(|e| bad_record(record, "currency", e))?;
    Ok(Money::from_minor(minor, currency))
}

/// Money as minor units, an error for fractions of a minor unit.
fn minor(amount: &Money, record: &str, column: &str) -> Result<i64> {
    amount.to_minor().map_err(|e| bad_record(record, column, e))
}

fn batch(schema: SchemaRef, columns: Vec<ArrayRef>) -> Result<RecordBatch> {
    Ok(RecordBatch::try_new(schema, columns)?)
}

fn utc_instants(capacity: usize) -> TimestampNanosecondBuilder {
    TimestampNanosecondBuilder::with_capacity(capacity).with_timezone("UTC")
}

fn finish(mut b: impl datafusion::arrow::array::ArrayBuilder) -> ArrayRef {
    b.finish()
}

// ---------------------------------------------------------------- leads

/// The rows of a [`leads`](schema::leads) batch as [`Lead`] facts, in row order.
///
/// # Errors
/// A [`DataFusionError::Execution`](datafusion::error::DataFusionError::Execution) naming the lead and the column of a bad value (a null
/// required column, an invalid id); [`DataFusionError::Plan`](datafusion::error::DataFusionError::Plan) for a column of a type that does
/// not cast.
pub fn batch_to_leads(batch: &RecordBatch) -> Result<Vec<Lead>> {
    read_leads(batch)
}

pub(crate) fn read_leads(source: &dyn ColumnSource) -> Result<Vec<Lead>> {
    let ids = text(source, "id")?;
    let created = instants(source, "created_at")?;
    let (src, owner, account, contact) =
        (text(source, "source")?, text(source, "owner")?, text(source, "account")?, text(source, "contact")?);
    (0..source.rows())
        .map(|i| {
            let raw = req_text(&ids, i, &format!("lead row {i}"), "id")?;
            let record = format!("lead {raw:?}");
            let mut lead =
                Lead::new(id(LeadId::new, raw, &record, "id")?, req_instant(&created, i, &record, "created_at")?);
            lead.source = opt_id(ChannelId::new, opt_text(&src, i), &record, "source")?;
            lead.owner = opt_text(&owner, i).map(str::to_owned);
            lead.account = opt_id(AccountId::new, opt_text(&account, i), &record, "account")?;
            lead.contact = opt_id(ContactId::new, opt_text(&contact, i), &record, "contact")?;
            Ok(lead)
        })
        .collect()
}

/// `leads` as a [`leads`](schema::leads) batch.
///
/// # Errors
/// A [`DataFusionError::Execution`](datafusion::error::DataFusionError::Execution) naming the lead for an instant outside Arrow's
/// nanosecond range (1677-2262).
pub fn leads_to_batch(leads: &[Lead]) -> Result<RecordBatch> {
    let n = leads.len();
    let (mut ids, mut created) = (StringBuilder::new(), utc_instants(n));
    let (mut src, mut owner, mut account, mut contact) =
        (StringBuilder::new(), StringBuilder::new(), StringBuilder::new(), StringBuilder::new());
    for lead in leads {
        let record = format!("lead {:?}", lead.id.as_str());
        ids.append_value(lead.id.as_str());
        created.append_value(nanos(lead.created_at, &record, "created_at")?);
        src.append_option(lead.source.as_ref().map(ChannelId::as_str));
        owner.append_option(lead.owner.as_deref());
        account.append_option(lead.account.as_ref().map(AccountId::as_str));
        contact.append_option(lead.contact.as_ref().map(ContactId::as_str));
    }
    batch(
        schema::leads(),
        vec![finish(ids), finish(created), finish(src), finish(owner), finish(account), finish(contact)],
    )
}

// ---------------------------------------------------------------- stage changes

/// The rows of a [`stage_changes`](schema::stage_changes) batch as [`StageChange`] facts of
/// leads, in row order.
///
/// # Errors
/// As [`batch_to_leads`], naming the entity.
pub fn batch_to_stage_changes(batch: &RecordBatch) -> Result<Vec<StageChange>> {
    read_stage_changes(batch)
}

pub(crate) fn read_stage_changes(source: &dyn ColumnSource) -> Result<Vec<StageChange>> {
    let (entity, stage, at) = (text(source, "entity")?, text(source, "stage")?, instants(source, "at")?);
    (0..source.rows())
        .map(|i| {
            let raw = req_text(&entity, i, &format!("stage change row {i}"), "entity")?;
            let record = format!("stage change of {raw:?}");
            Ok(StageChange {
                entity: id(LeadId::new, raw, &record, "entity")?,
                stage: id(StageId::new, req_text(&stage, i, &record, "stage")?, &record, "stage")?,
                at: req_instant(&at, i, &record, "at")?,
            })
        })
        .collect()
}

/// `changes` as a [`stage_changes`](schema::stage_changes) batch.
///
/// # Errors
/// As [`leads_to_batch`].
pub fn stage_changes_to_batch(changes: &[StageChange]) -> Result<RecordBatch> {
    let (mut entity, mut stage, mut at) = (StringBuilder::new(), StringBuilder::new(), utc_instants(changes.len()));
    for change in changes {
        entity.append_value(change.entity.as_str());
        stage.append_value(change.stage.as_str());
        at.append_value(nanos(change.at, &format!("stage change of {:?}", change.entity.as_str()), "at")?);
    }
    batch(schema::stage_changes(), vec![finish(entity), finish(stage), finish(at)])
}

// ---------------------------------------------------------------- deals

/// The rows of a [`deals`](schema::deals) batch as [`Deal`] facts, in row order, each checked
/// ([`Deal::check`]).
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::{Deal, DealStatus};
/// use revops::{Currency, Money, OpportunityId};
/// use rust_decimal::Decimal;
///
/// let t = Utc.with_ymd_and_hms(2024, 1, 5, 0, 0, 0).single().unwrap_or_default();
/// let id = OpportunityId::new("o1")?;
/// let open = DealStatus::open_percent(&id, Decimal::from(60))?;
/// let deals = [Deal::new(id, t, Money::from_minor(48_000_00, Currency::USD), open)];
/// let batch = revops_datafusion::deals_to_batch(&deals)?;
/// assert_eq!(batch.num_rows(), 1);
/// assert_eq!(revops_datafusion::batch_to_deals(&batch)?, deals);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// As [`batch_to_leads`], naming the deal: also an unknown `status`, `origin` or
/// `forecast_category`, an open deal without a `probability` or a closed one with one, and a
/// deal [`Deal::check`] refuses (closed without `closed_at`, a negative amount, ...).
pub fn batch_to_deals(batch: &RecordBatch) -> Result<Vec<Deal>> {
    read_deals(batch)
}

/// The deal reader, shared by [`batch_to_deals`] and the deal metrics' arguments.
pub(crate) fn read_deals(source: &dyn ColumnSource) -> Result<Vec<Deal>> {
    let ids = text(source, "id")?;
    let (created, closed, close_date) =
        (instants(source, "created_at")?, instants(source, "closed_at")?, dates(source, "close_date")?);
    let (amount, currency) = (int64(source, "amount_minor")?, text(source, "currency")?);
    let (status, probability, reason) =
        (text(source, "status")?, text(source, "probability")?, text(source, "loss_reason")?);
    let (qualified, origin) = (boolean(source, "qualified")?, text(source, "origin")?);
    let (src, account, lead, stage) =
        (text(source, "source")?, text(source, "account")?, text(source, "lead")?, text(source, "stage")?);
    let (category, contacts) = (text(source, "forecast_category")?, text_lists(source, "contacts")?);
    (0..source.rows())
        .map(|i| {
            let raw = req_text(&ids, i, &format!("deal row {i}"), "id")?;
            let record = format!("deal {raw:?}");
            let r = record.as_str();
            let deal_id = id(OpportunityId::new, raw, r, "id")?;
            let status = match (req_text(&status, i, r, "status")?, opt_text(&probability, i)) {
                ("won", None) => DealStatus::Won,
                ("lost", None) => DealStatus::lost(opt_text(&reason, i).map_or(Reason::Unspecified, |v| {
                    Reason::from_key(v).unwrap_or_else(|| Reason::Other(v.to_owned()))
                })),
                ("open", Some(p)) => {
                    DealStatus::Open { probability: p.parse().map_err(|e| bad_record(r, "probability", e))? }
                }
                ("open", None) => return Err(bad_record(r, "probability", "is null for an open deal")),
                ("won" | "lost", Some(_)) => return Err(bad_record(r, "probability", "is set for a closed deal")),
                (other, _) => {
                    return Err(bad_record(r, "status", format!("unknown status {other:?} (won, lost, open)")));
                }
            };
            if !matches!(status, DealStatus::Lost { .. }) && reason.is_valid(i) {
                return Err(bad_record(r, "loss_reason", "is set for a deal that is not lost"));
            }
            if qualified.is_null(i) {
                return Err(bad_record(r, "qualified", "is null"));
            }
            let amount = money(req_int64(&amount, i, r, "amount_minor")?, req_text(&currency, i, r, "currency")?, r)?;
            let mut deal = Deal::new(deal_id, req_instant(&created, i, r, "created_at")?, amount, status)
                .closed_at(opt_instant(&closed, i))
                .close_date(opt_date(&close_date, i, r, "close_date")?)
                .qualified(qualified.value(i))
                .origin(enum_value(req_text(&origin, i, r, "origin")?, r, "origin")?)
                .source(opt_id(ChannelId::new, opt_text(&src, i), r, "source")?)
                .account(opt_id(AccountId::new, opt_text(&account, i), r, "account")?)
                .lead(opt_id(LeadId::new, opt_text(&lead, i), r, "lead")?)
                .stage(opt_id(StageId::new, opt_text(&stage, i), r, "stage")?)
                .forecast_category(opt_text(&category, i).map(|c| enum_value(c, r, "forecast_category")).transpose()?);
            deal.contacts = text_list(&contacts, i, r, "contacts")?
                .into_iter()
                .map(|c| id(ContactId::new, &c, r, "contacts"))
                .collect::<Result<_>>()?;
            deal.check().map_err(|e| bad_record(r, "status, closed_at, amount_minor", e))?;
            Ok(deal)
        })
        .collect()
}

/// `deals` as a [`deals`](schema::deals) batch. A lost deal's reason is written as its key,
/// or its text for [`Reason::Other`] (read back as the key when the text is one).
///
/// # Errors
/// As [`leads_to_batch`], and for an amount with a fraction of a minor unit.
pub fn deals_to_batch(deals: &[Deal]) -> Result<RecordBatch> {
    let n = deals.len();
    let mut ids = StringBuilder::new();
    let (mut created, mut closed, mut close_date) = (utc_instants(n), utc_instants(n), Date32Builder::new());
    let (mut amount, mut currency) = (Int64Builder::new(), StringBuilder::new());
    let (mut status, mut probability, mut reason) = (StringBuilder::new(), StringBuilder::new(), StringBuilder::new());
    let (mut qualified, mut origin) = (BooleanBuilder::new(), StringBuilder::new());
    let (mut src, mut account, mut lead, mut stage) =
        (StringBuilder::new(), StringBuilder::new(), StringBuilder::new(), StringBuilder::new());
    let (mut category, mut contacts) = (StringBuilder::new(), ListBuilder::new(StringBuilder::new()));
    for deal in deals {
        let record = format!("deal {:?}", deal.id.as_str());
        let r = record.as_str();
        ids.append_value(deal.id.as_str());
        created.append_value(nanos(deal.created_at, r, "created_at")?);
        closed.append_option(deal.closed_at.map(|at| nanos(at, r, "closed_at")).transpose()?);
        close_date.append_option(deal.close_date.map(date_days));
        amount.append_value(minor(&deal.amount, r, "amount_minor")?);
        currency.append_value(deal.amount.currency().code());
        match &deal.status {
            DealStatus::Won => {
                status.append_value("won");
                probability.append_null();
                reason.append_null();
            }
            DealStatus::Lost { reason: why } => {
                status.append_value("lost");
                probability.append_null();
                reason.append_value(match why {
                    Reason::Other(text) => text.as_str(),
                    known => known.key(),
                });
            }
            DealStatus::Open { probability: p } => {
                status.append_value("open");
                probability.append_value(p.to_string());
                reason.append_null();
            }
            other => return Err(bad_record(r, "status", format!("status {other:?} has no column form"))),
        }
        qualified.append_value(deal.qualified);
        origin.append_value(deal.origin.as_str());
        src.append_option(deal.source.as_ref().map(ChannelId::as_str));
        account.append_option(deal.account.as_ref().map(AccountId::as_str));
        lead.append_option(deal.lead.as_ref().map(LeadId::as_str));
        stage.append_option(deal.stage.as_ref().map(StageId::as_str));
        category.append_option(deal.forecast_category.map(|c| c.as_str()));
        for contact in &deal.contacts {
            contacts.values().append_value(contact.as_str());
        }
        contacts.append(true);
    }
    let contacts: ArrayRef = Arc::new(contacts.finish());
    batch(
        schema::deals(),
        vec![
            finish(ids),
            finish(created),
            finish(closed),
            finish(close_date),
            finish(amount),
            finish(currency),
            finish(status),
            finish(probability),
            finish(reason),
            finish(qualified),
            finish(origin),
            finish(src),
            finish(account),
            finish(lead),
            finish(stage),
            finish(category),
            contacts,
        ],
    )
}

// ---------------------------------------------------------------- responses

/// The rows of a [`responses`](schema::responses) batch as [`Response`] facts, in row order.
///
/// # Errors
/// As [`batch_to_leads`], naming the lead responded to; also an unknown `kind`.
pub fn batch_to_responses(batch: &RecordBatch) -> Result<Vec<Response>> {
    read_responses(batch)
}

pub(crate) fn read_responses(source: &dyn ColumnSource) -> Result<Vec<Response>> {
    let (lead, at, kind, by) =
        (text(source, "lead")?, instants(source, "at")?, text(source, "kind")?, text(source, "by")?);
    (0..source.rows())
        .map(|i| {
            let raw = req_text(&lead, i, &format!("response row {i}"), "lead")?;
            let record = format!("response to {raw:?}");
            let r = record.as_str();
            let mut response = Response::new(
                id(LeadId::new, raw, r, "lead")?,
                req_instant(&at, i, r, "at")?,
                enum_value(req_text(&kind, i, r, "kind")?, r, "kind")?,
            );
            response.by = opt_text(&by, i).map(str::to_owned);
            Ok(response)
        })
        .collect()
}

/// `responses` as a [`responses`](schema::responses) batch.
///
/// # Errors
/// As [`leads_to_batch`].
pub fn responses_to_batch(responses: &[Response]) -> Result<RecordBatch> {
    let (mut lead, mut at, mut kind, mut by) =
        (StringBuilder::new(), utc_instants(responses.len()), StringBuilder::new(), StringBuilder::new());
    for response in responses {
        lead.append_value(response.lead.as_str());
        at.append_value(nanos(response.at, &format!("response to {:?}", response.lead.as_str()), "at")?);
        kind.append_value(response.kind.as_str());
        by.append_option(response.by.as_deref());
    }
    batch(schema::responses(), vec![finish(lead), finish(at), finish(kind), finish(by)])
}

// ---------------------------------------------------------------- spend

/// The rows of a [`spend`](schema::spend) batch as [`Spend`] facts, in row order.
///
/// # Errors
/// As [`batch_to_leads`], naming the row (`spend row 3`); also an unknown `kind`, an empty
/// period and a negative amount.
pub fn batch_to_spend(batch: &RecordBatch) -> Result<Vec<Spend>> {
    read_spend(batch)
}

pub(crate) fn read_spend(source: &dyn ColumnSource) -> Result<Vec<Spend>> {
    let (start, end) = (instants(source, "period_start")?, instants(source, "period_end")?);
    let (kind, amount, currency) = (text(source, "kind")?, int64(source, "amount_minor")?, text(source, "currency")?);
    let (channel, campaign) = (text(source, "channel")?, text(source, "campaign")?);
    (0..source.rows())
        .map(|i| {
            let record = format!("spend row {i}");
            let r = record.as_str();
            let period =
                Period::new(req_instant(&start, i, r, "period_start")?, req_instant(&end, i, r, "period_end")?)
                    .map_err(|e| bad_record(r, "period_start, period_end", e))?;
            let amount = money(req_int64(&amount, i, r, "amount_minor")?, req_text(&currency, i, r, "currency")?, r)?;
            if amount.is_negative() {
                return Err(bad_record(r, "amount_minor", "is negative"));
            }
            let mut spend = Spend::new(period, enum_value(req_text(&kind, i, r, "kind")?, r, "kind")?, amount);
            spend.channel = opt_id(ChannelId::new, opt_text(&channel, i), r, "channel")?;
            spend.campaign = opt_id(CampaignId::new, opt_text(&campaign, i), r, "campaign")?;
            Ok(spend)
        })
        .collect()
}

/// `spend` as a [`spend`](schema::spend) batch.
///
/// # Errors
/// As [`deals_to_batch`], naming the row.
pub fn spend_to_batch(spend: &[Spend]) -> Result<RecordBatch> {
    let n = spend.len();
    let (mut start, mut end, mut kind) = (utc_instants(n), utc_instants(n), StringBuilder::new());
    let (mut amount, mut currency) = (Int64Builder::new(), StringBuilder::new());
    let (mut channel, mut campaign) = (StringBuilder::new(), StringBuilder::new());
    for (i, s) in spend.iter().enumerate() {
        let record = format!("spend row {i}");
        start.append_value(nanos(s.period.start(), &record, "period_start")?);
        end.append_value(nanos(s.period.end(), &record, "period_end")?);
        kind.append_value(s.kind.as_str());
        amount.append_value(minor(&s.amount, &record, "amount_minor")?);
        currency.append_value(s.amount.currency().code());
        channel.append_option(s.channel.as_ref().map(ChannelId::as_str));
        campaign.append_option(s.campaign.as_ref().map(CampaignId::as_str));
    }
    batch(
        schema::spend(),
        vec![
            finish(start),
            finish(end),
            finish(kind),
            finish(amount),
            finish(currency),
            finish(channel),
            finish(campaign),
        ],
    )
}
