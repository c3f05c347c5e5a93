//! CRM mappings: rows of the standard HubSpot and Salesforce exports become [facts](crate::facts).
//!
//! Pure functions, no I/O: the caller reads the export (a CSV file, an API page, a warehouse
//! table) and hands over its rows, each a record of column name -> value ([`Row`], implemented
//! for `BTreeMap<String, String>`, `HashMap<String, String>` and slices of `(&str, &str)` or
//! `(String, String)` pairs). An empty value is the same as an absent column.
//!
//! | export | module | facts |
//! | --- | --- | --- |
//! | HubSpot contacts (`hs_object_id`, `createdate`, `lifecyclestage`, `hs_lifecyclestage_<stage>_date`, ...) | [`hubspot::contacts`] | [`Lead`](crate::facts::Lead), its [`StageChange`]s in time order |
//! | HubSpot deals (`hs_object_id`, `dealstage`, `amount`, `closedate`, `pipeline`, ...) | [`hubspot::deals`] | [`Deal`](crate::facts::Deal), deal stage changes from `hs_date_entered_<stage>` |
//! | Salesforce `Lead`, `LeadHistory` | [`salesforce::leads`], [`salesforce::lead_history`] | leads, their status changes |
//! | Salesforce `Opportunity`, `OpportunityFieldHistory` | [`salesforce::opportunities`], [`salesforce::opportunity_history`] | deals, their `StageName` changes |
//! | Salesforce `CampaignMember` | [`salesforce::campaign_members`] | one [`Journey`](crate::facts::Journey) of campaign responses per lead or contact |
//!
//! [`salesforce::SalesforceTables`] and [`hubspot::HubSpotTables`] map a whole export at once and join what the
//! tables say about each other (a lead's converted opportunity names the deal's lead, the
//! opportunity history gives a closed deal's close instant).
//! The deals they map carry no [`contacts`](crate::facts::Deal::contacts): the deal and
//! opportunity exports have no such column (the contacts on a deal are HubSpot associations
//! or Salesforce `OpportunityContactRole` rows, not mapped here), so buying-group coverage
//! needs the caller to fill them in.
//!
//! **The stage map is a definition.** CRM stage names (HubSpot lifecycle stages and deal
//! stages, Salesforce lead statuses and `StageName`s) become funnel [`StageId`](crate::StageId)s,
//! and deal stages open, won or lost, through a [`StageMap`], a validated serde type the
//! agreement holds one of per CRM. A stage the map does not name is an error, never a guess.
//!
//! **Time.** Instants are read exactly: ISO 8601 date-times with a zone (`Z`, `+01:00`,
//! `+0100`) are instants; date-times without a zone and plain dates are local to the
//! [`Mapping::zone`] the caller gives (never UTC by assumption; a plain date is the start of
//! its local day); HubSpot also writes epoch milliseconds. Anything else is refused, as is a
//! local time that a daylight-saving change makes ambiguous or skips. Amounts are read exactly
//! ([`Money::parse_exact`](crate::Money::parse_exact)), never through a float.
//!
//! **Bad rows are set aside, never dropped.** Each error names the row ([`Record::Line`], the
//! row's 1-based position among the rows given: the header is not a row) and the column
//! ([`ErrorKind::InvalidColumn`](crate::ErrorKind::InvalidColumn)). A batch function returns the
//! facts of the good rows and every bad row with its error ([`Mapped::set_aside`]); rows that
//! carry no fact by design (a history row about another field) are listed in
//! [`Mapped::skipped`] with the reason. The `_strict` variants stop at the first error.
//!
//! # Example
//!
//! ```
//! use revops::crm::{Mapping, StageMap, hubspot};
//! use revops::{Currency, ErrorKind, Record};
//!
//! # #[cfg(feature = "serde")] {
//! let stages: StageMap = serde_json::from_str(r#"{
//!     "lead_stages": { "lead": "lead", "marketingqualifiedlead": "mql" }
//! }"#).map_err(|e| ErrorKind::InvalidValue { field: "stage map", value: e.to_string(), reason: "see the wire format" })?;
//! let mapping = Mapping::new(&stages, chrono_tz::America::New_York, Currency::USD);
//! let rows = [
//!     vec![("hs_object_id", "101"), ("createdate", "2024-03-01T14:00:00Z"), ("lifecyclestage", "marketingqualifiedlead"),
//!          ("hs_lifecyclestage_lead_date", "2024-03-01T14:00:00Z"), ("hs_lifecyclestage_marketingqualifiedlead_date", "1709308800000")],
//!     vec![("hs_object_id", "102"), ("createdate", "01/03/2024")],
//! ];
//! let mapped = hubspot::contacts(rows.iter().map(|r| r.as_slice()), &mapping);
//! assert_eq!(mapped.facts.leads.len(), 1);
//! assert_eq!(mapped.facts.stage_changes.len(), 2); // lead, then mql (epoch milliseconds)
//! // The second row is set aside, naming its row and its column.
//! let bad = &mapped.set_aside[0];
//! assert_eq!(bad.error.record(), Some(&Record::Line(2)));
//! assert!(matches!(bad.error.kind(), ErrorKind::InvalidColumn { column, .. } if column == "createdate"));
//! # }
//! # Ok::<(), revops::Error>(())
//! ```

mod cell;
mod deal;
pub mod hubspot;
mod instant;
mod row;
pub mod salesforce;
mod stage_map;

use chrono_tz::Tz;

pub use self::row::Row;
pub use self::stage_map::{DealStage, StageMap, StageOutcome};
use crate::facts::{FactSet, StageChange};
use crate::{Currency, Error, OpportunityId, Record};

/// What a mapping needs beside the rows: the stage map, the zone of dates and date-times
/// written without one, and the currency of amounts whose row names none.
///
/// # Example
///
/// ```
/// use revops::crm::{DealStage, Mapping, StageMap};
/// use revops::{Currency, StageId};
///
/// let stages = StageMap::new([("lead".to_owned(), StageId::new("lead")?)], [], [])?;
/// let mapping = Mapping::new(&stages, chrono_tz::Europe::Berlin, Currency::EUR);
/// assert_eq!(mapping.zone, chrono_tz::Europe::Berlin);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Mapping<'a> {
    /// CRM stage names -> funnel stages and deal outcomes.
    pub stages: &'a StageMap,
    /// The zone of plain dates and of date-times written without a zone (IANA).
    pub zone: Tz,
    /// The currency of an amount when the row has no currency column
    /// (`deal_currency_code`, `CurrencyIsoCode`): a single-currency CRM.
    pub currency: Currency,
}

impl<'a> Mapping<'a> {
    /// A mapping through `stages`, reading local times in `zone` and amounts without a
    /// currency column in `currency`.
    #[must_use]
    pub const fn new(stages: &'a StageMap, zone: Tz, currency: Currency) -> Mapping<'a> {
        Mapping { stages, zone, currency }
    }
}

/// A row set aside: the export table it came from and its error, which names the row
/// ([`Record::Line`], 1-based) and, through its kind, the column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetAside {
    /// The table, e.g. `"Opportunity"` or `"contacts"`.
    pub table: &'static str,
    /// What is wrong with the row.
    pub error: Error,
}

/// A row that carries no fact by design (an `OpportunityFieldHistory` row about another field,
/// a campaign member who never responded): listed, not dropped silently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The table.
    pub table: &'static str,
    /// The row, 1-based among the rows given.
    pub row: usize,
    /// Why it carries no fact.
    pub reason: &'static str,
}

/// What a batch mapping returns: the facts of the good rows, in row order, and every other
/// row with the reason it gave none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Mapped {
    /// The facts.
    pub facts: FactSet,
    /// Stage changes of deals (the [`FactSet`] holds lead stage changes only).
    pub deal_stage_changes: Vec<StageChange<OpportunityId>>,
    /// Rows with an error, set aside.
    pub set_aside: Vec<SetAside>,
    /// Rows that carry no fact by design.
    pub skipped: Vec<Skipped>,
}

impl Mapped {
    /// Appends `other`'s facts and rows to this one's.
    pub fn extend(&mut self, other: Mapped) {
        let (facts, o) = (&mut self.facts, other.facts);
        facts.accounts.extend(o.accounts);
        facts.contacts.extend(o.contacts);
        facts.leads.extend(o.leads);
        facts.stage_changes.extend(o.stage_changes);
        facts.dispositions.extend(o.dispositions);
        facts.responses.extend(o.responses);
        facts.deals.extend(o.deals);
        facts.journeys.extend(o.journeys);
        facts.spend.extend(o.spend);
        self.deal_stage_changes.extend(other.deal_stage_changes);
        self.set_aside.extend(other.set_aside);
        self.skipped.extend(other.skipped);
    }

    /// The first set-aside error, if any: what a strict caller stops at.
    ///
    /// # Errors
    /// The first row's error, if a row was set aside.
    pub fn into_strict(self) -> Result<Mapped, Error> {
        match self.set_aside.into_iter().next() {
            Some(bad) => Err(bad.error),
            None => Ok(Mapped { set_aside: Vec::new(), ..self }),
        }
    }
}

/// What one row gives.
#[derive(Debug)]
pub(crate) enum Outcome<T> {
    /// A fact (or several).
    Fact(T),
    /// Nothing, by design.
    Skip(&'static str),
}

/// Maps `rows` one by one with `f`, collecting facts through `put`; a failing row is set aside
/// (lenient) or stops the batch (strict). Errors name the row as `Record::Line(index + 1)`.
pub(crate) fn each_row<R: Row, T>(
    table: &'static str,
    rows: impl IntoIterator<Item = R>,
    strict: bool,
    out: &mut Mapped,
    mut f: impl FnMut(&R) -> Result<Outcome<T>, Error>,
    mut put: impl FnMut(&mut Mapped, T),
) -> Result<(), Error> {
    for (index, row) in rows.into_iter().enumerate() {
        let line = index.saturating_add(1);
        match f(&row) {
            Ok(Outcome::Fact(fact)) => put(out, fact),
            Ok(Outcome::Skip(reason)) => out.skipped.push(Skipped { table, row: line, reason }),
            Err(error) => {
                let error = error.about(Record::Line(line));
                if strict {
                    return Err(error);
                }
                out.set_aside.push(SetAside { table, error });
            }
        }
    }
    Ok(())
}
