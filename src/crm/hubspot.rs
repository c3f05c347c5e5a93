//! HubSpot exports: contacts (leads and their lifecycle stages) and deals.
//!
//! Columns are read by their internal property names (what the CRM export and the API
//! write), with the export's label where HubSpot writes one (`Record ID`, `Deal ID`):
//!
//! | contacts column | fact field |
//! | --- | --- |
//! | `hs_object_id` (`Record ID`) | [`Lead::id`], and [`Lead::contact`] (a HubSpot lead is a contact) |
//! | `createdate` | [`Lead::created_at`] |
//! | `lifecyclestage` | checked: the current stage must be in the stage map |
//! | `hs_lifecyclestage_<stage>_date` (or `hs_v2_date_entered_<stage>`) for `subscriber`, `lead`, `marketingqualifiedlead`, `salesqualifiedlead`, `opportunity`, `customer`, `evangelist`, `other` and every other lead stage the map names | one [`StageChange`] each, in time order (ties in lifecycle order) |
//! | `hs_analytics_source` (original source) | [`Lead::source`] |
//! | `hubspot_owner_id` | [`Lead::owner`] |
//! | `associatedcompanyid` | [`Lead::account`] |
//!
//! | deals column | fact field |
//! | --- | --- |
//! | `hs_object_id` (`Deal ID`, `Record ID`) | [`Deal::id`] |
//! | `dealstage` (with `pipeline`: the map's `"<pipeline>/<dealstage>"` key first, then `dealstage`) | [`Deal::stage`], [`Deal::status`], [`Deal::qualified`] |
//! | `hs_is_closed`, `hs_is_closed_won` (if exported) | checked against the stage's outcome |
//! | `amount`, `deal_currency_code` (else the mapping's currency) | [`Deal::amount`], exact |
//! | `createdate` | [`Deal::created_at`] |
//! | `closedate` | [`Deal::closed_at`] (won or lost), [`Deal::close_date`] (open: its local date) |
//! | `hs_deal_stage_probability` (a fraction; else the stage's default) | the open status's probability |
//! | `closed_lost_reason` (a reason key or label, else the rep's words; else the stage's default) | the lost status's reason |
//! | `hs_manual_forecast_category` | [`Deal::forecast_category`] |
//! | `hs_analytics_source` | [`Deal::source`], and [`Deal::origin`] through the map's origins |
//! | `associatedcompanyid`, `associatedcontactid` | [`Deal::account`], [`Deal::lead`] |
//! | `hs_date_entered_<stage>` (or `hs_v2_date_entered_<stage>`) for each deal stage the map names | a deal stage change each |
//!
//! Instants may be ISO 8601 or epoch milliseconds (see the [module docs](super)).

use chrono::{DateTime, Utc};

use super::cell::{self, first, get, invalid, read, required};
use super::deal::{self, DealCells};
use super::{Mapped, Mapping, Outcome, Row, each_row};
use crate::facts::{Deal, Lead, StageChange};
use crate::{AccountId, ChannelId, ContactId, Error, LeadId, OpportunityId, StageId};

/// HubSpot's default lifecycle stages, in lifecycle order.
pub const LIFECYCLE_STAGES: [&str; 8] = [
    "subscriber",
    "lead",
    "marketingqualifiedlead",
    "salesqualifiedlead",
    "opportunity",
    "customer",
    "evangelist",
    "other",
];

const CONTACT_ID: &[&str] = &["hs_object_id", "Record ID"];
const DEAL_ID: &[&str] = &["hs_object_id", "Deal ID", "Record ID"];
const CREATED: &[&str] = &["createdate"];
const SOURCE: &[&str] = &["hs_analytics_source"];
const COMPANY: &[&str] = &["associatedcompanyid"];

/// One contacts row: the lead and its lifecycle stage changes, in time order.
///
/// # Errors
/// [`ErrorKind::InvalidColumn`](crate::ErrorKind::InvalidColumn) naming the column: a missing
/// id or create date, an id or instant that does not parse, a current or dated lifecycle stage
/// the stage map does not name. (The batch functions add the row.)
///
/// # Example
///
/// ```
/// use revops::crm::{Mapping, StageMap, hubspot};
/// use revops::{Currency, StageId};
///
/// let stages = StageMap::new(
///     [("lead".to_owned(), StageId::new("lead")?), ("customer".to_owned(), StageId::new("won")?)], [], [])?;
/// let mapping = Mapping::new(&stages, chrono_tz::UTC, Currency::USD);
/// let row = [("hs_object_id", "51"), ("createdate", "2024-01-05T10:00:00Z"), ("lifecyclestage", "customer"),
///            ("hs_lifecyclestage_customer_date", "2024-02-01"), ("hs_lifecyclestage_lead_date", "1704448800000")];
/// let (lead, changes) = hubspot::contact(&row, &mapping)?;
/// assert_eq!(lead.id.as_str(), "51");
/// let stages: Vec<&str> = changes.iter().map(|c| c.stage.as_str()).collect();
/// assert_eq!(stages, ["lead", "won"]);
/// # Ok::<(), revops::Error>(())
/// ```
pub fn contact<R: Row + ?Sized>(row: &R, m: &Mapping<'_>) -> Result<(Lead, Vec<StageChange>), Error> {
    let (id_col, id) = required(row, CONTACT_ID)?;
    let lead_id = read(id_col, id, LeadId::new)?;
    let contact = read(id_col, id, ContactId::new)?;
    let (c, v) = required(row, CREATED)?;
    let created_at = cell::instant(m, c, v, true)?;
    if let Some((c, v)) = first(row, &["lifecyclestage"])
        && m.stages.lead_stage(v).is_none()
    {
        return Err(invalid(c, v, "is a lifecycle stage the stage map does not name"));
    }
    let mut lead = Lead::new(lead_id.clone(), created_at);
    lead.contact = Some(contact);
    if let Some((c, v)) = first(row, SOURCE) {
        lead.source = Some(read(c, v, ChannelId::new)?);
    }
    lead.owner = first(row, &["hubspot_owner_id"]).map(|(_, v)| v.to_owned());
    if let Some((c, v)) = first(row, COMPANY) {
        lead.account = Some(read(c, v, AccountId::new)?);
    }
    let names = LIFECYCLE_STAGES
        .iter()
        .copied()
        .chain(m.stages.lead_stages().map(|(k, _)| k).filter(|k| !LIFECYCLE_STAGES.contains(k)));
    let mut changes = Vec::new();
    for name in names {
        let Some((column, value)) = dated(row, "hs_lifecyclestage_", name, "_date", "hs_v2_date_entered_") else {
            continue;
        };
        let at = cell::instant(m, &column, value, true)?;
        let stage = m
            .stages
            .lead_stage(name)
            .ok_or_else(|| invalid(&column, value, "dates a lifecycle stage the stage map does not name"))?;
        changes.push(StageChange { entity: lead_id.clone(), stage: stage.clone(), at });
    }
    changes.sort_by_key(|c| c.at); // stable: ties keep lifecycle order
    Ok((lead, changes))
}

/// The dated column of stage `name`: `<prefix><name><suffix>`, else `<v2><name>`.
fn dated<'r, R: Row + ?Sized>(
    row: &'r R,
    prefix: &str,
    name: &str,
    suffix: &str,
    v2: &str,
) -> Option<(String, &'r str)> {
    let column = format!("{prefix}{name}{suffix}");
    if let Some(v) = get(row, &column) {
        return Some((column, v));
    }
    let column = format!("{v2}{name}");
    get(row, &column).map(|v| (column, v))
}

/// Every contacts row: leads in row order and their stage changes; bad rows set aside.
#[must_use]
pub fn contacts<R: Row>(rows: impl IntoIterator<Item = R>, m: &Mapping<'_>) -> Mapped {
    let mut out = Mapped::default();
    let _ = contacts_into(rows, m, false, &mut out);
    out
}

/// [`contacts`], stopping at the first bad row.
///
/// # Errors
/// The first bad row's error, naming the row ([`Record::Line`](crate::Record::Line)) and the
/// column.
pub fn contacts_strict<R: Row>(rows: impl IntoIterator<Item = R>, m: &Mapping<'_>) -> Result<Mapped, Error> {
    let mut out = Mapped::default();
    contacts_into(rows, m, true, &mut out)?;
    Ok(out)
}

fn contacts_into<R: Row>(
    rows: impl IntoIterator<Item = R>,
    m: &Mapping<'_>,
    strict: bool,
    out: &mut Mapped,
) -> Result<(), Error> {
    each_row(
        "contacts",
        rows,
        strict,
        out,
        |row| contact(row, m).map(Outcome::Fact),
        |out, (lead, changes)| {
            out.facts.leads.push(lead);
            out.facts.stage_changes.extend(changes);
        },
    )
}

/// One deals row: the deal and its stage changes (from `hs_date_entered_<stage>`), in time
/// order.
///
/// # Errors
/// [`ErrorKind::InvalidColumn`](crate::ErrorKind::InvalidColumn) naming the column: a missing
/// id, stage, amount or create date; a stage the map does not name; a value that does not
/// parse; `hs_is_closed` / `hs_is_closed_won` contradicting the stage; a won or lost deal
/// without `closedate`, or closing before it was created; an open deal without a probability;
/// a negative amount.
///
/// # Example
///
/// ```
/// use revops::crm::{DealStage, Mapping, StageMap, StageOutcome, hubspot};
/// use revops::facts::DealStatus;
/// use revops::{Currency, StageId};
///
/// let won = DealStage::new(StageId::new("won")?, StageOutcome::Won).qualified(true);
/// let stages = StageMap::new([], [("closedwon".to_owned(), won)], [])?;
/// let mapping = Mapping::new(&stages, chrono_tz::UTC, Currency::USD);
/// let row = [("hs_object_id", "9001"), ("dealstage", "closedwon"), ("amount", "12000.50"),
///            ("deal_currency_code", "EUR"), ("createdate", "2024-01-05T10:00:00Z"), ("closedate", "1709294400000")];
/// let (deal, _) = hubspot::deal(&row, &mapping)?;
/// assert_eq!((deal.status, deal.amount.to_string()), (DealStatus::Won, "12000.50 EUR".to_owned()));
/// assert_eq!(deal.closed_at.map(|t| t.to_rfc3339()), Some("2024-03-01T12:00:00+00:00".to_owned()));
///
/// // Closed won by its flag, but open by its stage: refused, naming the column.
/// let row = [("hs_object_id", "9002"), ("dealstage", "closedwon"), ("amount", "1"),
///            ("createdate", "2024-01-05"), ("closedate", "2024-02-05"), ("hs_is_closed", "false")];
/// assert!(hubspot::deal(&row, &mapping).unwrap_err().to_string().starts_with("column `hs_is_closed`"));
/// # Ok::<(), revops::Error>(())
/// ```
pub fn deal<R: Row + ?Sized>(row: &R, m: &Mapping<'_>) -> Result<(Deal, Vec<StageChange<OpportunityId>>), Error> {
    let (id_col, id) = required(row, DEAL_ID)?;
    let id = read(id_col, id, OpportunityId::new)?;
    let (stage_col, stage_name) = required(row, &["dealstage"])?;
    let stage = first(row, &["pipeline"])
        .and_then(|(_, p)| m.stages.deal_stage(&format!("{p}/{stage_name}")))
        .or_else(|| m.stages.deal_stage(stage_name))
        .ok_or_else(|| invalid(stage_col, stage_name, "is a deal stage the stage map does not name"))?;
    let (c, v) = required(row, CREATED)?;
    let created_at = cell::instant(m, c, v, true)?;
    let (amount_col, amount_value) = required(row, &["amount"])?;
    let amount = cell::money(m, row, &["amount"], &["deal_currency_code"])?;
    let probability = first(row, &["hs_deal_stage_probability"]).map(|(c, v)| cell::fraction(c, v)).transpose()?;
    let forecast = first(row, &["hs_manual_forecast_category"]).map(|(c, v)| cell::forecast(c, v)).transpose()?;
    let source = first(row, SOURCE).map(|(c, v)| read(c, v, ChannelId::new)).transpose()?;
    let account = first(row, COMPANY).map(|(c, v)| read(c, v, AccountId::new)).transpose()?;
    let lead = first(row, &["associatedcontactid"]).map(|(c, v)| read(c, v, LeadId::new)).transpose()?;
    let cells = DealCells {
        id: id.clone(),
        stage,
        created_at,
        close: first(row, &["closedate"]),
        amount: (amount_col, amount_value, amount),
        probability,
        probability_column: "hs_deal_stage_probability",
        reason: first(row, &["closed_lost_reason"]).map(|(_, v)| v),
        is_closed: cell::opt_flag(row, &["hs_is_closed"])?,
        is_won: cell::opt_flag(row, &["hs_is_closed_won"])?,
        close_column: "closedate",
        epoch_ms: true,
        source,
        origin_key: first(row, SOURCE).map(|(_, v)| v),
        account,
        lead,
        forecast,
    };
    let deal = deal::build(m, cells)?;
    let mut changes = Vec::new();
    for (name, stage) in m.stages.deal_stages() {
        let Some((column, value)) = dated(row, "hs_date_entered_", name, "", "hs_v2_date_entered_") else { continue };
        let at: DateTime<Utc> = cell::instant(m, &column, value, true)?;
        let stage: &StageId = &stage.stage;
        changes.push(StageChange { entity: id.clone(), stage: stage.clone(), at });
    }
    changes.sort_by_key(|c| c.at);
    Ok((deal, changes))
}

/// Every deals row: deals in row order and their stage changes; bad rows set aside.
#[must_use]
pub fn deals<R: Row>(rows: impl IntoIterator<Item = R>, m: &Mapping<'_>) -> Mapped {
    let mut out = Mapped::default();
    let _ = deals_into(rows, m, false, &mut out);
    out
}

/// [`deals`], stopping at the first bad row.
///
/// # Errors
/// The first bad row's error, naming the row and the column.
pub fn deals_strict<R: Row>(rows: impl IntoIterator<Item = R>, m: &Mapping<'_>) -> Result<Mapped, Error> {
    let mut out = Mapped::default();
    deals_into(rows, m, true, &mut out)?;
    Ok(out)
}

fn deals_into<R: Row>(
    rows: impl IntoIterator<Item = R>,
    m: &Mapping<'_>,
    strict: bool,
    out: &mut Mapped,
) -> Result<(), Error> {
    each_row(
        "deals",
        rows,
        strict,
        out,
        |row| deal(row, m).map(Outcome::Fact),
        |out, (deal, changes)| {
            out.facts.deals.push(deal);
            out.deal_stage_changes.extend(changes);
        },
    )
}

/// A whole HubSpot export: the contacts and the deals tables.
///
/// # Example
///
/// ```
/// use revops::crm::{Mapping, StageMap, hubspot};
/// use revops::{Currency, StageId};
///
/// let stages = StageMap::new([("lead".to_owned(), StageId::new("lead")?)], [], [])?;
/// let mapping = Mapping::new(&stages, chrono_tz::UTC, Currency::USD);
/// let contacts = [vec![("hs_object_id", "1"), ("createdate", "2024-01-05")]];
/// let export = hubspot::HubSpotTables { contacts: &contacts, deals: &[] };
/// let mapped = export.map(&mapping);
/// assert_eq!((mapped.facts.leads.len(), mapped.set_aside.len()), (1, 0));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct HubSpotTables<'a, R> {
    /// The contacts table's rows.
    pub contacts: &'a [R],
    /// The deals table's rows.
    pub deals: &'a [R],
}

impl<R: Row> HubSpotTables<'_, R> {
    /// Maps both tables; bad rows set aside.
    #[must_use]
    pub fn map(&self, m: &Mapping<'_>) -> Mapped {
        let mut out = contacts(self.contacts.iter(), m);
        out.extend(deals(self.deals.iter(), m));
        out
    }

    /// Maps both tables, stopping at the first bad row.
    ///
    /// # Errors
    /// The first bad row's error, naming the row and the column.
    pub fn map_strict(&self, m: &Mapping<'_>) -> Result<Mapped, Error> {
        let mut out = contacts_strict(self.contacts.iter(), m)?;
        out.extend(deals_strict(self.deals.iter(), m)?);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::{DealStage, StageMap, StageOutcome};
    use crate::facts::{DealStatus, Origin, Reason};
    use crate::{Currency, ErrorKind, Record};

    fn id(s: &str) -> StageId {
        StageId::new(s).unwrap()
    }

    fn map() -> StageMap {
        let open = StageOutcome::Open { probability: None };
        StageMap::new(
            [
                ("lead".to_owned(), id("lead")),
                ("marketingqualifiedlead".to_owned(), id("mql")),
                ("1234".to_owned(), id("sal")),
            ],
            [
                ("appointmentscheduled".to_owned(), DealStage::new(id("opportunity"), open.clone())),
                ("renewals/appointmentscheduled".to_owned(), DealStage::new(id("renewal"), open)),
                (
                    "closedlost".to_owned(),
                    DealStage::new(id("lost"), StageOutcome::Lost { reason: Reason::NoDecision }),
                ),
            ],
            [("PAID_SEARCH".to_owned(), Origin::Marketing)],
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
    fn contacts_read_custom_stages_and_refuse_unmapped_dated_ones() {
        let stages = map();
        let m = Mapping::new(&stages, chrono_tz::UTC, Currency::USD);
        let row = [
            ("hs_object_id", "7"),
            ("createdate", "2024-01-01T00:00:00Z"),
            ("hs_v2_date_entered_1234", "2024-01-03"),
            ("hs_lifecyclestage_marketingqualifiedlead_date", "2024-01-02"),
            ("hs_analytics_source", "PAID_SEARCH"),
        ];
        let (lead, changes) = contact(&row, &m).unwrap();
        assert_eq!(lead.source.as_ref().map(ChannelId::as_str), Some("PAID_SEARCH"));
        assert_eq!(changes.iter().map(|c| c.stage.as_str()).collect::<Vec<_>>(), ["mql", "sal"]);
        let row =
            [("hs_object_id", "7"), ("createdate", "2024-01-01"), ("hs_lifecyclestage_customer_date", "2024-01-02")];
        assert_eq!(column_of(&contact(&row, &m).unwrap_err()), "hs_lifecyclestage_customer_date");
        let row = [("hs_object_id", "7"), ("createdate", "2024-01-01"), ("lifecyclestage", "evangelist")];
        assert_eq!(column_of(&contact(&row, &m).unwrap_err()), "lifecyclestage");
        let row = [("hs_object_id", " 7"), ("createdate", "2024-01-01")];
        assert_eq!(column_of(&contact(&row, &m).unwrap_err()), "hs_object_id");
    }

    #[test]
    fn deals_take_the_pipeline_key_first_and_check_every_rule() {
        let stages = map();
        let m = Mapping::new(&stages, chrono_tz::UTC, Currency::USD);
        let base = |extra: &[(&'static str, &'static str)]| {
            let mut row: Vec<(&str, &str)> = vec![
                ("hs_object_id", "1"),
                ("amount", "100"),
                ("createdate", "2024-02-01"),
                ("closedate", "2024-03-01"),
            ];
            row.extend_from_slice(extra);
            row
        };
        let open = base(&[("dealstage", "appointmentscheduled"), ("hs_deal_stage_probability", "0.4")]);
        let (d, _) = deal(open.as_slice(), &m).unwrap();
        assert_eq!(d.stage, Some(id("opportunity")));
        assert_eq!(d.close_date, chrono::NaiveDate::from_ymd_opt(2024, 3, 1));
        let renewal = base(&[
            ("dealstage", "appointmentscheduled"),
            ("pipeline", "renewals"),
            ("hs_deal_stage_probability", "1"),
        ]);
        assert_eq!(deal(renewal.as_slice(), &m).unwrap().0.stage, Some(id("renewal")));
        let lost = base(&[("dealstage", "closedlost")]);
        assert_eq!(deal(lost.as_slice(), &m).unwrap().0.status, DealStatus::lost(Reason::NoDecision));
        let priced = base(&[("dealstage", "closedlost"), ("closed_lost_reason", "Price")]);
        assert_eq!(deal(priced.as_slice(), &m).unwrap().0.status, DealStatus::lost(Reason::Price));
        for (extra, column) in [
            (&[("dealstage", "appointmentscheduled")][..], "hs_deal_stage_probability"),
            (&[("dealstage", "closedwon")][..], "dealstage"),
            (&[("dealstage", "closedlost"), ("closedate", "2024-01-01")][..], "closedate"),
            (&[("dealstage", "closedlost"), ("hs_is_closed_won", "true")][..], "hs_is_closed_won"),
            (&[("dealstage", "closedlost"), ("deal_currency_code", "usd")][..], "deal_currency_code"),
            (
                &[("dealstage", "appointmentscheduled"), ("hs_deal_stage_probability", "40")][..],
                "hs_deal_stage_probability",
            ),
        ] {
            let mut row = base(&[]);
            // Later pairs override earlier ones: put them first.
            row.splice(0..0, extra.iter().copied());
            assert_eq!(column_of(&deal(row.as_slice(), &m).unwrap_err()), column, "{extra:?}");
        }
        let negative = [
            ("hs_object_id", "1"),
            ("dealstage", "closedlost"),
            ("amount", "-5"),
            ("createdate", "2024-02-01"),
            ("closedate", "2024-03-01"),
        ];
        assert_eq!(column_of(&deal(&negative, &m).unwrap_err()), "amount");
    }

    #[test]
    fn batches_set_rows_aside_by_line() {
        let stages = map();
        let m = Mapping::new(&stages, chrono_tz::UTC, Currency::USD);
        let rows = [
            vec![("hs_object_id", "1"), ("createdate", "2024-01-01")],
            vec![("hs_object_id", "2")],
            vec![("hs_object_id", "3"), ("createdate", "2024-01-01")],
        ];
        let mapped = contacts(rows.iter(), &m);
        assert_eq!(mapped.facts.leads.len(), 2);
        assert_eq!(mapped.set_aside.len(), 1);
        assert_eq!(
            (mapped.set_aside[0].table, mapped.set_aside[0].error.record()),
            ("contacts", Some(&Record::Line(2)))
        );
        assert_eq!(contacts_strict(rows.iter(), &m).unwrap_err().record(), Some(&Record::Line(2)));
        assert!(deals_strict(rows.iter().take(0), &m).unwrap().facts.deals.is_empty());
    }
}
