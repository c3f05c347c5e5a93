//! Streaming totals: an accumulator (push a journey, merge, finish) of credits by channel,
//! campaign, contact and account, per currency, and several models side by side.

use std::collections::BTreeMap;
use std::hash::Hash;

use rust_decimal::Decimal;

use self::buffer::Pending;
use super::credit::RowScratch;
use super::model::{MissingAnchor, Model};
use crate::facts::Journey;
use crate::{AccountId, CampaignId, ChannelId, ContactId, Currency, Error, ErrorKind, Money};

mod buffer;
#[cfg(feature = "serde")]
pub(super) mod state;

/// The crate's one hashed map (`crate::fast_map::FastMap`), key -> slot; its iteration
/// order never reaches output.
pub(super) type FastMap<K> = crate::fast_map::FastMap<K, u32>;

/// Sums keyed by an id, interned for speed; output is sorted by key.
#[derive(Clone, Debug)]
pub(super) struct Keyed<K> {
    index: FastMap<K>,
    keys: Vec<K>,
    sums: Vec<i128>,
}

impl<K> Default for Keyed<K> {
    fn default() -> Self {
        Keyed { index: FastMap::default(), keys: Vec::new(), sums: Vec::new() }
    }
}

impl<K: Clone + Eq + Hash + Ord> Keyed<K> {
    /// The slot of `key`, interning it if new.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] past `u32::MAX` distinct keys (the index is a `u32`).
    pub(super) fn index(&mut self, key: &K) -> Result<usize, Error> {
        if let Some(&i) = self.index.get(key) {
            Ok(i as usize)
        } else {
            let i = self.keys.len();
            let slot = u32::try_from(i).map_err(|_| ErrorKind::Overflow { op: "attribution totals key index" })?;
            self.index.insert(key.clone(), slot);
            self.keys.push(key.clone());
            self.sums.push(0);
            Ok(i)
        }
    }

    pub(super) fn add_at(&mut self, i: usize, amount: i128) {
        if let Some(s) = self.sums.get_mut(i) {
            *s += amount;
        }
    }

    fn add(&mut self, key: &K, amount: i64) -> Result<(), Error> {
        let i = self.index(key)?;
        self.add_at(i, i128::from(amount));
        Ok(())
    }

    /// Adds `other`'s sums, checked (deserialized states bound each sum, see `state`).
    fn merge(&mut self, other: Keyed<K>) -> Result<(), Error> {
        for (k, v) in other.keys.iter().zip(other.sums) {
            let i = self.index(k)?;
            if let Some(s) = self.sums.get_mut(i) {
                *s = s
                    .checked_add(v)
                    .ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op: "attribution totals merge" }))?;
            }
        }
        Ok(())
    }

    fn finish(self, currency: Currency) -> Result<BTreeMap<K, Money>, Error> {
        self.keys.into_iter().zip(self.sums).map(|(k, v)| Ok((k, money(v, currency)?))).collect()
    }
}

/// A journey count past `u64::MAX` (reachable only from a deserialized state).
const COUNT_OVERFLOW: ErrorKind = ErrorKind::Overflow { op: "attribution totals count" };

fn money(minor: i128, currency: Currency) -> Result<Money, Error> {
    Decimal::try_from_i128_with_scale(minor, u32::from(currency.exponent()))
        .map(|d| Money::new(d, currency))
        .map_err(|_| ErrorKind::Overflow { op: "attribution totals" })
        .map_err(crate::Error::from)
}

/// Running sums of one currency.
#[derive(Clone, Debug, Default)]
pub(super) struct Sums {
    pub(super) conversions: u64,
    pub(super) revenue: i128,
    pub(super) channels: Keyed<ChannelId>,
    campaigns: Keyed<Option<CampaignId>>,
    contacts: Keyed<Option<ContactId>>,
    accounts: Keyed<Option<AccountId>>,
}

/// What a totals accumulator breaks the money down by, beyond channels.
///
/// Channel totals hold O(channels) memory; campaigns, contacts and accounts grow with the data,
/// and reading their ids costs time per touch, so they are opt-in ([`Breakdown::ALL`] turns
/// every one on).
///
/// # Example
///
/// ```
/// # use chrono::{TimeDelta, TimeZone, Utc};
/// # use revops::attribution::{Breakdown, Model, Totals};
/// # use revops::facts::{Journey, Touchpoint};
/// # use revops::{CampaignId, ChannelId, Currency, JourneyId, Money};
/// # use rust_decimal_macros::dec;
/// # let day = |d: i64| Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or_default() + TimeDelta::days(d);
/// # let journey = |id: &str, value| -> Result<Journey, revops::Error> {
/// #     Ok(Journey::converted(JourneyId::new(id)?, day(30), Money::new(value, Currency::USD))
/// #         .with_touch(Touchpoint::new(day(1), ChannelId::new("email")?).with_campaign(CampaignId::new("spring")?))
/// #         .with_touch(Touchpoint::new(day(2), ChannelId::new("webinar")?)))
/// # };
/// let mut totals = Totals::with_breakdown(Model::linear(), Breakdown { campaign: true, ..Breakdown::CHANNELS });
/// totals.push(&journey("a", dec!(100))?)?;
/// let report = totals.finish()?;
/// let usd = &report.currencies[&Currency::USD];
/// // The webinar touch has no campaign: its credit is under `None`.
/// assert_eq!(usd.by_campaign[&Some(CampaignId::new("spring")?)].amount(), dec!(50));
/// assert_eq!(usd.by_campaign[&None].amount(), dec!(50));
/// assert!(usd.by_contact.is_empty()); // not asked for
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct Breakdown {
    /// Totals by campaign (touches without one under `None`). Default off.
    pub campaign: bool,
    /// Totals by contact (touches without one under `None`). Default off.
    pub contact: bool,
    /// Totals by the journey's account (`None` for journeys without one). Default off.
    pub account: bool,
}

impl Breakdown {
    /// Channels only (the default): O(channels) memory.
    pub const CHANNELS: Breakdown = Breakdown { campaign: false, contact: false, account: false };
    /// Channels, campaigns, contacts and accounts.
    pub const ALL: Breakdown = Breakdown { campaign: true, contact: true, account: true };
}

impl Default for Breakdown {
    fn default() -> Breakdown {
        Breakdown::CHANNELS
    }
}

/// The totals of one model over many journeys (an accumulator: [`push`](Totals::push),
/// [`merge`](Totals::merge), [`finish`](Totals::finish)).
///
/// Sums are exact integers in minor units per currency, so merge is associative and commutative
/// and the result is independent of journey order and of how the journeys were split across
/// threads or machines. Currencies are never mixed: each has its own totals.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::attribution::{Model, Totals};
/// use revops::facts::{Journey, Touchpoint};
/// use revops::{ChannelId, Currency, JourneyId, Money};
/// use rust_decimal_macros::dec;
///
/// let at = |d: u32| Utc.with_ymd_and_hms(2024, 2, d, 0, 0, 0).unwrap();
/// let mut totals = Totals::new(Model::linear());
/// for (id, value) in [("a", dec!(100)), ("b", dec!(50))] {
///     let journey = Journey::converted(JourneyId::new(id)?, at(20), Money::new(value, Currency::USD))
///         .with_touch(Touchpoint::new(at(1), ChannelId::new("email")?))
///         .with_touch(Touchpoint::new(at(2), ChannelId::new("webinar")?));
///     totals.push(&journey)?;
/// }
/// totals.push(&Journey::not_converted(JourneyId::new("c")?))?;
/// let report = totals.finish()?;
/// let usd = &report.currencies[&Currency::USD];
/// assert_eq!(usd.revenue.amount(), dec!(150));
/// assert_eq!(usd.by_channel[&ChannelId::new("email")?].amount(), dec!(75));
/// assert_eq!(report.non_converting, 1);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Totals {
    model: Model,
    breakdown: Breakdown,
    scratch: RowScratch,
    non_converting: u64,
    tallies: BTreeMap<Currency, Sums>,
    /// Journeys buffered for the columnar kernels, per currency (models whose every touch of a
    /// converting journey is credited, totals by channel only).
    pending: BTreeMap<Currency, Pending>,
    buffered: bool,
}

/// The totals of one currency (a returned record). Every map's values sum to `revenue`.
///
/// # Example
///
/// ```
/// # use chrono::{TimeDelta, TimeZone, Utc};
/// # use revops::attribution::{Breakdown, Model, Totals};
/// # use revops::facts::{Journey, Touchpoint};
/// # use revops::{CampaignId, ChannelId, Currency, JourneyId, Money};
/// # use rust_decimal_macros::dec;
/// # let day = |d: i64| Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or_default() + TimeDelta::days(d);
/// # let journey = |id: &str, value| -> Result<Journey, revops::Error> {
/// #     Ok(Journey::converted(JourneyId::new(id)?, day(30), Money::new(value, Currency::USD))
/// #         .with_touch(Touchpoint::new(day(1), ChannelId::new("email")?).with_campaign(CampaignId::new("spring")?))
/// #         .with_touch(Touchpoint::new(day(2), ChannelId::new("webinar")?)))
/// # };
/// let mut totals = Totals::new(Model::first_touch());
/// totals.push(&journey("a", dec!(100))?)?;
/// totals.push(&journey("b", dec!(20))?)?;
/// let usd = totals.finish()?.currencies.remove(&Currency::USD).ok_or(revops::ErrorKind::Empty { what: "usd totals" })?;
/// assert_eq!((usd.conversions, usd.revenue.amount()), (2, dec!(120)));
/// // Every map sums to the revenue: the webinar was never first, it shows at zero.
/// assert_eq!(usd.by_channel[&ChannelId::new("email")?].amount(), dec!(120));
/// assert!(usd.by_channel[&ChannelId::new("webinar")?].is_zero());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CurrencyTotals {
    /// Converting journeys credited.
    pub conversions: u64,
    /// Their total value (bookings).
    pub revenue: Money,
    /// Credits by channel, in channel order (a channel whose touches were credited zero shows at zero).
    pub by_channel: BTreeMap<ChannelId, Money>,
    /// Credits by campaign (empty unless [`Breakdown::campaign`]). On the wire, this and the two
    /// maps below are lists of `[key, credit]` pairs (`null` for `None`): JSON keys must be strings.
    #[cfg_attr(feature = "serde", serde(with = "crate::wire::key_pairs"))]
    pub by_campaign: BTreeMap<Option<CampaignId>, Money>,
    /// Credits by contact (empty unless [`Breakdown::contact`]).
    #[cfg_attr(feature = "serde", serde(with = "crate::wire::key_pairs"))]
    pub by_contact: BTreeMap<Option<ContactId>, Money>,
    /// Credits by account (empty unless [`Breakdown::account`]).
    #[cfg_attr(feature = "serde", serde(with = "crate::wire::key_pairs"))]
    pub by_account: BTreeMap<Option<AccountId>, Money>,
}

/// The finished totals of one model (a returned record).
///
/// # Example
///
/// ```
/// # use chrono::{TimeDelta, TimeZone, Utc};
/// # use revops::attribution::{Breakdown, Model, Totals};
/// # use revops::facts::{Journey, Touchpoint};
/// # use revops::{CampaignId, ChannelId, Currency, JourneyId, Money};
/// # use rust_decimal_macros::dec;
/// # let day = |d: i64| Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or_default() + TimeDelta::days(d);
/// # let journey = |id: &str, value| -> Result<Journey, revops::Error> {
/// #     Ok(Journey::converted(JourneyId::new(id)?, day(30), Money::new(value, Currency::USD))
/// #         .with_touch(Touchpoint::new(day(1), ChannelId::new("email")?).with_campaign(CampaignId::new("spring")?))
/// #         .with_touch(Touchpoint::new(day(2), ChannelId::new("webinar")?)))
/// # };
/// let mut totals = Totals::new(Model::w_shaped());
/// totals.push(&journey("a", dec!(100))?)?;
/// totals.push(&Journey::not_converted(JourneyId::new("n")?))?;
/// let report = totals.finish()?;
/// assert_eq!((report.model.as_str(), report.non_converting), ("w_shaped", 1));
/// assert_eq!(report.currencies.keys().collect::<Vec<_>>(), [&Currency::USD]);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct AttributionReport {
    /// The model's label, e.g. `w_shaped`.
    pub model: String,
    /// Journeys pushed that did not convert.
    pub non_converting: u64,
    /// Totals per currency, in currency-code order.
    pub currencies: BTreeMap<Currency, CurrencyTotals>,
}

impl Totals {
    /// An empty accumulator for `model`, with totals by channel only.
    #[must_use]
    pub fn new(model: Model) -> Totals {
        Totals::with_breakdown(model, Breakdown::default())
    }

    /// An empty accumulator for `model` with the given breakdown.
    #[must_use]
    pub fn with_breakdown(model: Model, breakdown: Breakdown) -> Totals {
        let o = model.options();
        // Buffered when every touch of a converting journey is credited and no journey can fail
        // after its checks: the report is then the columnar kernels' to the unit.
        let buffered = breakdown == Breakdown::CHANNELS
            && o.lookback.is_none()
            && o.excluded.is_empty()
            && o.missing_anchor != MissingAnchor::Error;
        Totals {
            model,
            breakdown,
            scratch: RowScratch::default(),
            non_converting: 0,
            tallies: BTreeMap::new(),
            pending: BTreeMap::new(),
            buffered,
        }
    }

    /// The model.
    #[must_use]
    pub const fn model(&self) -> &Model {
        &self.model
    }

    fn empty_like(&self) -> Totals {
        Totals::with_breakdown(self.model.clone(), self.breakdown)
    }

    /// Credits `journey` and adds its credits. A journey that did not convert is counted in
    /// [`AttributionReport::non_converting`]. On error nothing is added.
    ///
    /// # Errors
    /// As [`Model::attribute`].
    pub fn push(&mut self, journey: &Journey) -> Result<(), Error> {
        if self.buffered && journey.touches.len() <= buffer::MAX_TOUCHES {
            journey.check()?;
            super::credit::check_instants(journey)?;
            let Some(conversion) = journey.conversion else {
                self.non_converting = self.non_converting.checked_add(1).ok_or(COUNT_OVERFLOW)?;
                return Ok(());
            };
            let value = super::credit::minor_units(conversion.value)?;
            let currency = conversion.value.currency();
            let pending = match self.pending.entry(currency) {
                std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::btree_map::Entry::Vacant(e) => e.insert(Pending::new(currency)?),
            };
            if pending.push(&self.model, journey, conversion.at, value)? {
                pending.flush(&self.model, self.tallies.entry(currency).or_default())?;
            }
            return Ok(());
        }
        let Some(value) = self.scratch.run(&self.model, journey)? else {
            self.non_converting = self.non_converting.checked_add(1).ok_or(COUNT_OVERFLOW)?;
            return Ok(());
        };
        let currency = journey.conversion.map_or(Currency::USD, |c| c.value.currency());
        let tally = self.tallies.entry(currency).or_default();
        tally.conversions = tally.conversions.checked_add(1).ok_or(COUNT_OVERFLOW)?;
        tally.revenue += i128::from(value);
        let e = &self.scratch.engine;
        // Consecutive touches often share a channel or campaign: skip the hash lookup then.
        let mut last_channel: Option<(&ChannelId, usize)> = None;
        let mut last_campaign: Option<(&Option<CampaignId>, usize)> = None;
        for (&i, &part) in e.kept.iter().zip(&e.parts) {
            let Some(t) = journey.touches.get(i as usize) else {
                continue;
            };
            let slot = match last_channel {
                Some((c, s)) if *c == t.channel => s,
                _ => tally.channels.index(&t.channel)?,
            };
            tally.channels.add_at(slot, i128::from(part));
            last_channel = Some((&t.channel, slot));
            if self.breakdown.campaign {
                let slot = match last_campaign {
                    Some((c, s)) if *c == t.campaign => s,
                    _ => tally.campaigns.index(&t.campaign)?,
                };
                tally.campaigns.add_at(slot, i128::from(part));
                last_campaign = Some((&t.campaign, slot));
            }
            if self.breakdown.contact {
                tally.contacts.add(&t.contact, part)?;
            }
        }
        if self.breakdown.account {
            tally.accounts.add(&journey.account, value)?;
        }
        Ok(())
    }

    /// Credits the buffered journeys.
    fn flush(&mut self) -> Result<(), Error> {
        for (currency, pending) in &mut self.pending {
            pending.flush(&self.model, self.tallies.entry(*currency).or_default())?;
        }
        Ok(())
    }

    /// Pushes every journey. With the `rayon` feature the journeys are split across threads and
    /// the partial totals merged: the result is identical to a single-threaded pass. On error,
    /// the error of the earliest failing journey is returned and nothing is added.
    ///
    /// # Errors
    /// As [`Totals::push`].
    pub fn push_all(&mut self, journeys: &[Journey]) -> Result<(), Error> {
        #[cfg(feature = "rayon")]
        {
            use rayon::prelude::*;
            let parts: Vec<Result<Totals, Error>> = journeys
                .par_chunks(4096)
                .map(|chunk| {
                    let mut t = self.empty_like();
                    chunk.iter().try_for_each(|j| t.push(j)).map(|()| t)
                })
                .collect();
            let mut all = self.empty_like();
            for part in parts {
                all.merge(part?)?;
            }
            self.merge(all)
        }
        #[cfg(not(feature = "rayon"))]
        {
            let mut all = self.empty_like();
            journeys.iter().try_for_each(|j| all.push(j))?;
            self.merge(all)
        }
    }

    /// Adds `other`'s totals (associative and commutative).
    ///
    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`] if `other` totals a different model (shape, weights,
    /// lookback, exclusions, policies) or breakdown; [`ErrorKind::Overflow`] if a sum overflows
    /// (reachable only from deserialized states).
    pub fn merge(&mut self, mut other: Totals) -> Result<(), Error> {
        let field = if other.model != self.model {
            "model"
        } else if other.breakdown != self.breakdown {
            "breakdown"
        } else {
            ""
        };
        if !field.is_empty() {
            return Err(ErrorKind::DefinitionMismatch { tally: "attribution totals", field }.into());
        }
        self.flush()?;
        other.flush()?;
        let overflow = || ErrorKind::Overflow { op: "attribution totals merge" };
        self.non_converting = self.non_converting.checked_add(other.non_converting).ok_or_else(overflow)?;
        for (currency, t) in other.tallies {
            let mine = self.tallies.entry(currency).or_default();
            mine.conversions = mine.conversions.checked_add(t.conversions).ok_or_else(overflow)?;
            mine.revenue = mine.revenue.checked_add(t.revenue).ok_or_else(overflow)?;
            mine.channels.merge(t.channels)?;
            mine.campaigns.merge(t.campaigns)?;
            mine.contacts.merge(t.contacts)?;
            mine.accounts.merge(t.accounts)?;
        }
        Ok(())
    }

    /// The report: totals per currency, every map sorted by key.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] if a total leaves `Decimal`'s range.
    pub fn finish(mut self) -> Result<AttributionReport, Error> {
        self.flush()?;
        let mut currencies = BTreeMap::new();
        for (currency, t) in self.tallies {
            let totals = CurrencyTotals {
                conversions: t.conversions,
                revenue: money(t.revenue, currency)?,
                by_channel: t.channels.finish(currency)?,
                by_campaign: t.campaigns.finish(currency)?,
                by_contact: t.contacts.finish(currency)?,
                by_account: t.accounts.finish(currency)?,
            };
            currencies.insert(currency, totals);
        }
        Ok(AttributionReport { model: self.model.label().to_owned(), non_converting: self.non_converting, currencies })
    }
}

/// Several models over the same journeys, side by side (an accumulator).
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::attribution::{Comparison, Model};
/// use revops::facts::{Journey, Touchpoint};
/// use revops::{ChannelId, Currency, JourneyId, Money};
/// use rust_decimal_macros::dec;
///
/// let at = |d: u32| Utc.with_ymd_and_hms(2024, 2, d, 0, 0, 0).unwrap();
/// let journey = Journey::converted(JourneyId::new("a")?, at(20), Money::new(dec!(100), Currency::USD))
///     .with_touch(Touchpoint::new(at(1), ChannelId::new("email")?))
///     .with_touch(Touchpoint::new(at(2), ChannelId::new("webinar")?));
/// let mut side = Comparison::new([Model::first_touch(), Model::last_touch()]);
/// side.push(&journey)?;
/// let reports = side.finish()?;
/// let webinar = ChannelId::new("webinar")?;
/// assert!(reports[0].currencies[&Currency::USD].by_channel[&webinar].is_zero());
/// assert_eq!(reports[1].currencies[&Currency::USD].by_channel[&webinar].amount(), dec!(100));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Comparison {
    totals: Vec<Totals>,
}

impl Comparison {
    /// One accumulator per model, in the order given, with totals by channel.
    pub fn new(models: impl IntoIterator<Item = Model>) -> Comparison {
        Comparison::with_breakdown(models, Breakdown::default())
    }

    /// One accumulator per model, in the order given, with the given breakdown.
    pub fn with_breakdown(models: impl IntoIterator<Item = Model>, breakdown: Breakdown) -> Comparison {
        Comparison { totals: models.into_iter().map(|m| Totals::with_breakdown(m, breakdown)).collect() }
    }

    /// Pushes `journey` to every model.
    ///
    /// # Errors
    /// As [`Totals::push`], from the first model that fails.
    pub fn push(&mut self, journey: &Journey) -> Result<(), Error> {
        self.totals.iter_mut().try_for_each(|t| t.push(journey))
    }

    /// Pushes every journey to every model (threads with `rayon`, same result).
    ///
    /// # Errors
    /// As [`Totals::push_all`].
    pub fn push_all(&mut self, journeys: &[Journey]) -> Result<(), Error> {
        self.totals.iter_mut().try_for_each(|t| t.push_all(journeys))
    }

    /// Adds `other`'s totals, model by model.
    ///
    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`] if the two compare different models (or in another order)
    /// or breakdowns; nothing is added then.
    pub fn merge(&mut self, other: Comparison) -> Result<(), Error> {
        if other.totals.len() != self.totals.len()
            || self.totals.iter().zip(&other.totals).any(|(a, b)| a.model != b.model || a.breakdown != b.breakdown)
        {
            return Err(ErrorKind::DefinitionMismatch { tally: "attribution comparison", field: "models" }.into());
        }
        self.totals.iter_mut().zip(other.totals).try_for_each(|(a, b)| a.merge(b))
    }

    /// One report per model, in the order given.
    ///
    /// # Errors
    /// As [`Totals::finish`].
    pub fn finish(self) -> Result<Vec<AttributionReport>, Error> {
        self.totals.into_iter().map(Totals::finish).collect()
    }
}

impl crate::Tally for Totals {
    type Fact = Journey;
    type Output = AttributionReport;

    fn push(&mut self, journey: &Journey) -> Result<(), Error> {
        Totals::push(self, journey)
    }

    fn merge(&mut self, other: Totals) -> Result<(), Error> {
        Totals::merge(self, other)
    }

    fn finish(self) -> Result<AttributionReport, Error> {
        Totals::finish(self)
    }
}

impl crate::Tally for Comparison {
    type Fact = Journey;
    type Output = Vec<AttributionReport>;

    fn push(&mut self, journey: &Journey) -> Result<(), Error> {
        Comparison::push(self, journey)
    }

    fn merge(&mut self, other: Comparison) -> Result<(), Error> {
        Comparison::merge(self, other)
    }

    fn finish(self) -> Result<Vec<AttributionReport>, Error> {
        Comparison::finish(self)
    }
}

#[cfg(test)]
mod tests;
