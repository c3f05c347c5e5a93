//! The partial state of [`Totals`] and [`Comparison`] on the wire (feature `serde`): what
//! threads, services and a distributed engine's partitions send each other to merge.
//!
//! A state is the definition (model and breakdown) and the exact sums in minor units per
//! currency, every list sorted by key so the same totals always serialize the same way.
//! Journeys still buffered for the columnar kernels are credited before serializing, so the
//! state holds sums only. Deserializing validates the model as its constructor does and the
//! sums against what any sequence of journeys can produce (see [`TotalsState`]'s checks).

use std::collections::BTreeMap;
use std::hash::Hash;

use serde::{Deserialize, Serialize};

use super::{Breakdown, Comparison, Keyed, Sums, Totals};
use crate::attribution::model::Model;
use crate::attribution::paths::{bad_state, wide};
use crate::{AccountId, CampaignId, ChannelId, ContactId, Currency, Error, ErrorKind};

/// The largest magnitude of a deserialized sum: `Decimal`'s mantissa range (`2^96 - 1`), which
/// [`Totals::finish`] needs anyway. It leaves `i128` room for 2^31 states of that size to merge
/// and for any number of pushes a machine can make after it.
pub(crate) const MAX_SUM: i128 = (1 << 96) - 1;

/// Wire shape of a [`Totals`]' partial state.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TotalsState {
    model: Model,
    breakdown: Breakdown,
    non_converting: u64,
    /// In currency-code order, each currency once.
    currencies: Vec<CurrencyState>,
}

/// The sums of one currency.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CurrencyState {
    currency: Currency,
    conversions: u64,
    #[serde(with = "wide")]
    revenue: i128,
    /// Sorted by channel.
    channels: Vec<Row<ChannelId>>,
    /// Sorted by campaign (none first); empty unless the breakdown has campaigns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    campaigns: Vec<Row<Option<CampaignId>>>,
    /// Sorted by contact (none first); empty unless the breakdown has contacts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    contacts: Vec<Row<Option<ContactId>>>,
    /// Sorted by account (none first); empty unless the breakdown has accounts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    accounts: Vec<Row<Option<AccountId>>>,
}

/// One key's sum in minor units.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Row<K> {
    key: K,
    #[serde(with = "wide")]
    minor: i128,
}

fn rows<K: Clone + Ord>(keyed: &Keyed<K>) -> Vec<Row<K>> {
    let mut out: Vec<Row<K>> =
        keyed.keys.iter().zip(&keyed.sums).map(|(k, &minor)| Row { key: k.clone(), minor }).collect();
    out.sort_by(|a, b| a.key.cmp(&b.key));
    out
}

/// The rows as sums, checked: each key once, no negative credit, below [`MAX_SUM`], and (when
/// the breakdown holds them) summing to the revenue.
fn keyed<K: Clone + Eq + Hash + Ord + core::fmt::Debug>(
    field: &'static str,
    rows: Vec<Row<K>>,
    wanted: bool,
    revenue: i128,
) -> Result<Keyed<K>, Error> {
    if !wanted && !rows.is_empty() {
        return Err(bad_state(field, rows.len(), "present but not in the breakdown"));
    }
    let mut out = Keyed::default();
    let mut total: i128 = 0;
    for row in rows {
        if !(0..=MAX_SUM).contains(&row.minor) {
            return Err(bad_state(field, row.minor, "a credit must be from 0 to 2^96 - 1 minor units"));
        }
        let before = out.keys.len();
        let i = out.index(&row.key)?;
        if out.keys.len() == before {
            return Err(bad_state(field, format!("{:?}", row.key), "appears twice"));
        }
        out.add_at(i, row.minor);
        total = total
            .checked_add(row.minor)
            .ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op: "attribution totals state" }))?;
    }
    if wanted && total != revenue {
        return Err(bad_state(field, total, "credits must sum to the revenue"));
    }
    Ok(out)
}

impl From<&Totals> for TotalsState {
    /// The state of totals whose buffered journeys are all credited.
    fn from(t: &Totals) -> TotalsState {
        let currencies = t
            .tallies
            .iter()
            .map(|(&currency, s)| CurrencyState {
                currency,
                conversions: s.conversions,
                revenue: s.revenue,
                channels: rows(&s.channels),
                campaigns: rows(&s.campaigns),
                contacts: rows(&s.contacts),
                accounts: rows(&s.accounts),
            })
            .collect();
        TotalsState { model: t.model.clone(), breakdown: t.breakdown, non_converting: t.non_converting, currencies }
    }
}

impl TryFrom<TotalsState> for Totals {
    type Error = Error;

    /// Checks, per currency: listed once, in order; revenue from 0 to `2^96 - 1` minor units
    /// and zero without conversions; every credit from 0 to `2^96 - 1`; the channel credits
    /// (and the campaign, contact and account credits when the breakdown holds them, none
    /// otherwise) each key once and summing to the revenue.
    fn try_from(state: TotalsState) -> Result<Totals, Error> {
        let mut totals = Totals::with_breakdown(state.model, state.breakdown);
        totals.non_converting = state.non_converting;
        let b = state.breakdown;
        let mut tallies = BTreeMap::new();
        for c in state.currencies {
            if tallies.last_key_value().is_some_and(|(&last, _)| last >= c.currency) {
                return Err(bad_state("attribution totals currency", c.currency, "out of order or listed twice"));
            }
            if !(0..=MAX_SUM).contains(&c.revenue) || (c.conversions == 0 && c.revenue != 0) {
                return Err(bad_state(
                    "attribution totals revenue",
                    c.revenue,
                    "must be from 0 to 2^96 - 1 minor units, and zero without conversions",
                ));
            }
            let sums = Sums {
                conversions: c.conversions,
                revenue: c.revenue,
                channels: keyed("attribution totals channel", c.channels, true, c.revenue)?,
                campaigns: keyed("attribution totals campaign", c.campaigns, b.campaign, c.revenue)?,
                contacts: keyed("attribution totals contact", c.contacts, b.contact, c.revenue)?,
                accounts: keyed("attribution totals account", c.accounts, b.account, c.revenue)?,
            };
            tallies.insert(c.currency, sums);
        }
        totals.tallies = tallies;
        Ok(totals)
    }
}

impl Serialize for Totals {
    /// The partial state: journeys still buffered are credited first (on a copy).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.pending.values().all(super::buffer::Pending::is_empty) {
            return TotalsState::from(self).serialize(s);
        }
        let mut flushed = self.clone();
        flushed.flush().map_err(serde::ser::Error::custom)?;
        TotalsState::from(&flushed).serialize(s)
    }
}

impl<'de> Deserialize<'de> for Totals {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Totals, D::Error> {
        Totals::try_from(TotalsState::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// Wire shape of a [`Comparison`]: its totals in model order.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ComparisonState {
    totals: Vec<Totals>,
}

impl Serialize for Comparison {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Borrowed<'a> {
            totals: &'a [Totals],
        }
        Borrowed { totals: &self.totals }.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Comparison {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Comparison, D::Error> {
        Ok(Comparison { totals: ComparisonState::deserialize(d)?.totals })
    }
}
