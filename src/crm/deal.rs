//! What HubSpot deals and Salesforce opportunities share: a deal's status from its stage and
//! the row's flags, its close, and the checks that make it a consistent [`Deal`].

use chrono::{DateTime, Utc};

use super::cell::{self, invalid};
use super::{DealStage, Mapping, StageOutcome};
use crate::facts::{Deal, DealStatus, ForecastCategory};
use crate::{AccountId, ChannelId, Error, LeadId, Money, OpportunityId, Probability};

/// A deal row's cells, read; `(column, value)` pairs where an error may need to name them.
pub(crate) struct DealCells<'r> {
    pub(crate) id: OpportunityId,
    pub(crate) stage: &'r DealStage,
    pub(crate) created_at: DateTime<Utc>,
    /// The close date-time (closed) or expected close date (open).
    pub(crate) close: Option<(&'static str, &'r str)>,
    pub(crate) amount: (&'static str, &'r str, Money),
    pub(crate) probability: Option<Probability>,
    /// The probability column, named when an open deal has none.
    pub(crate) probability_column: &'static str,
    pub(crate) reason: Option<&'r str>,
    pub(crate) is_closed: Option<(&'static str, bool)>,
    pub(crate) is_won: Option<(&'static str, bool)>,
    /// The close column, named when a closed deal has none.
    pub(crate) close_column: &'static str,
    pub(crate) epoch_ms: bool,
    pub(crate) source: Option<ChannelId>,
    pub(crate) origin_key: Option<&'r str>,
    pub(crate) account: Option<AccountId>,
    pub(crate) lead: Option<LeadId>,
    pub(crate) forecast: Option<ForecastCategory>,
}

/// The deal, consistent: its flags agree with its stage, a closed deal has a close not before
/// its creation, an open one a probability, the amount is not negative.
///
/// Its [`contacts`](Deal::contacts) stay empty: neither export row (a HubSpot deal, a
/// Salesforce opportunity) has a contacts column; the contact roles live in separate tables
/// (HubSpot associations, Salesforce `OpportunityContactRole`) that a caller joins itself.
pub(crate) fn build(m: &Mapping<'_>, c: DealCells<'_>) -> Result<Deal, Error> {
    let outcome = &c.stage.outcome;
    if let (Some((won, true)), Some((_, false))) = (c.is_won, c.is_closed) {
        return Err(invalid(won, "true", "says won, but the closed flag says not closed: a won deal is closed"));
    }
    if let Some((column, closed)) = c.is_closed
        && closed != outcome.is_closed()
    {
        return Err(invalid(column, flag_text(closed), "contradicts the outcome the stage map gives the deal's stage"));
    }
    if let Some((column, won)) = c.is_won
        && won != matches!(outcome, StageOutcome::Won)
    {
        return Err(invalid(column, flag_text(won), "contradicts the outcome the stage map gives the deal's stage"));
    }
    let (amount_column, amount_value, amount) = c.amount;
    if amount.is_negative() {
        return Err(invalid(amount_column, amount_value, "must not be negative"));
    }
    let (status, closed_at, close_date) = match outcome {
        StageOutcome::Open { probability } => {
            let probability = c.probability.or(*probability).ok_or_else(|| {
                invalid(c.probability_column, "", "is required for an open deal whose stage has no default probability")
            })?;
            let close_date = c.close.map(|(col, v)| cell::date(m, col, v, c.epoch_ms)).transpose()?;
            (DealStatus::Open { probability }, None, close_date)
        }
        closed => {
            let (col, v) = c.close.ok_or_else(|| invalid(c.close_column, "", "is required for a won or lost deal"))?;
            let at = cell::instant(m, col, v, c.epoch_ms)?;
            if at < c.created_at {
                return Err(invalid(col, v, "is before the deal was created"));
            }
            let status = match closed {
                StageOutcome::Lost { reason } => {
                    DealStatus::lost(c.reason.map_or_else(|| reason.clone(), cell::reason))
                }
                _ => DealStatus::Won,
            };
            (status, Some(at), None)
        }
    };
    let origin = c.origin_key.map_or(crate::facts::Origin::Other, |k| m.stages.origin(k));
    Ok(Deal::new(c.id, c.created_at, amount, status)
        .closed_at(closed_at)
        .close_date(close_date)
        .qualified(c.stage.qualified)
        .origin(origin)
        .source(c.source)
        .account(c.account)
        .lead(c.lead)
        .stage(Some(c.stage.stage.clone()))
        .forecast_category(c.forecast))
}

const fn flag_text(flag: bool) -> &'static str {
    if flag { "true" } else { "false" }
}
