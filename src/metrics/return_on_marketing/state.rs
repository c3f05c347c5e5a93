//! Wire shape of [`ReturnOnMarketingTally`]'s partial state (feature `serde`): the definition,
//! then every sum as canonical minor-unit text, rows as `[key, sum]` pairs in key order.
//! Read back, it is validated: the definition as the constructor validates it, then keys in
//! strictly increasing order, no negative sum, one sum per model in every column, and the
//! reconciliation a sequence of facts always gives (channel spend = campaign spend; each model's
//! channel credits = its campaign credits = its bookings).

use std::collections::BTreeMap;

use super::ReturnOnMarketingTally;
use crate::metrics::amount::add;
use crate::metrics::wire::bad_state;
use crate::{CampaignId, ChannelId, Currency, Error, Period};

const T: &str = "return on marketing tally";

/// Revenue rows (one sum per model) and each model's total.
type Columns<K> = (BTreeMap<K, Vec<i128>>, Vec<i128>);

#[derive(Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub(super) struct Minor(#[serde(with = "crate::metrics::wire::minor")] i128);

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ReturnState {
    period: Period,
    currency: Currency,
    models: Vec<String>,
    spend_by_channel: Vec<(Option<ChannelId>, Minor)>,
    spend_by_campaign: Vec<(Option<CampaignId>, Minor)>,
    revenue_by_channel: Vec<(ChannelId, Vec<Minor>)>,
    revenue_by_campaign: Vec<(Option<CampaignId>, Vec<Minor>)>,
    bookings: Vec<Minor>,
    spend_lines_outside: u64,
}

fn minors(v: Vec<i128>) -> Vec<Minor> {
    v.into_iter().map(Minor).collect()
}

impl From<ReturnOnMarketingTally> for ReturnState {
    fn from(t: ReturnOnMarketingTally) -> ReturnState {
        ReturnState {
            period: t.period,
            currency: t.currency,
            models: t.models,
            spend_by_channel: t.spend_by_channel.into_iter().map(|(k, v)| (k, Minor(v))).collect(),
            spend_by_campaign: t.spend_by_campaign.into_iter().map(|(k, v)| (k, Minor(v))).collect(),
            revenue_by_channel: t.revenue_by_channel.into_iter().map(|(k, v)| (k, minors(v))).collect(),
            revenue_by_campaign: t.revenue_by_campaign.into_iter().map(|(k, v)| (k, minors(v))).collect(),
            bookings: minors(t.bookings),
            spend_lines_outside: t.outside,
        }
    }
}

fn sums<K: Ord + Clone + std::fmt::Debug>(rows: Vec<(K, Minor)>) -> Result<(BTreeMap<K, i128>, i128), Error> {
    let mut map = BTreeMap::new();
    let mut total = 0i128;
    for (k, Minor(v)) in rows {
        if v < 0 {
            return Err(bad_state(T, format!("{k:?} {v}"), "a sum of amounts cannot be negative"));
        }
        if map.last_key_value().is_some_and(|(last, _)| *last >= k) {
            return Err(bad_state(T, format!("{k:?}"), "rows must be in strictly increasing key order"));
        }
        total = add(total, v)?;
        map.insert(k, v);
    }
    Ok((map, total))
}

fn columns<K: Ord + Clone + std::fmt::Debug>(rows: Vec<(K, Vec<Minor>)>, n: usize) -> Result<Columns<K>, Error> {
    let mut map = BTreeMap::new();
    let mut totals = vec![0i128; n];
    for (k, column) in rows {
        if column.len() != n {
            return Err(bad_state(T, format!("{k:?}"), "a revenue row needs one sum per model"));
        }
        if map.last_key_value().is_some_and(|(last, _)| *last >= k) {
            return Err(bad_state(T, format!("{k:?}"), "rows must be in strictly increasing key order"));
        }
        let mut values = Vec::with_capacity(n);
        for (total, Minor(v)) in totals.iter_mut().zip(column) {
            if v < 0 {
                return Err(bad_state(T, format!("{k:?} {v}"), "a sum of amounts cannot be negative"));
            }
            *total = add(*total, v)?;
            values.push(v);
        }
        map.insert(k, values);
    }
    Ok((map, totals))
}

impl TryFrom<ReturnState> for ReturnOnMarketingTally {
    type Error = Error;

    fn try_from(s: ReturnState) -> Result<ReturnOnMarketingTally, Error> {
        let mut tally = ReturnOnMarketingTally::new(s.period, s.currency, s.models)?;
        let n = tally.models.len();
        let (spend_by_channel, channel_spend) = sums(s.spend_by_channel)?;
        let (spend_by_campaign, campaign_spend) = sums(s.spend_by_campaign)?;
        if channel_spend != campaign_spend {
            return Err(bad_state(
                T,
                format!("{channel_spend} != {campaign_spend}"),
                "channel and campaign spend must sum alike",
            ));
        }
        let (revenue_by_channel, channel_revenue) = columns(s.revenue_by_channel, n)?;
        let (revenue_by_campaign, campaign_revenue) = columns(s.revenue_by_campaign, n)?;
        let bookings: Vec<i128> = s.bookings.into_iter().map(|Minor(v)| v).collect();
        if bookings != channel_revenue || bookings != campaign_revenue {
            return Err(bad_state(T, format!("{bookings:?}"), "each model's credits must sum to its bookings"));
        }
        tally.spend_by_channel = spend_by_channel;
        tally.spend_by_campaign = spend_by_campaign;
        tally.revenue_by_channel = revenue_by_channel;
        tally.revenue_by_campaign = revenue_by_campaign;
        tally.bookings = bookings;
        tally.outside = s.spend_lines_outside;
        Ok(tally)
    }
}
