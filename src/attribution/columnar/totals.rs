//! [`ChannelTotals`]: the channel totals of one batch and model, an accumulator.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::ColumnarBatch;
use crate::attribution::model::Model;
use crate::attribution::totals::{AttributionReport, CurrencyTotals};
use crate::{ChannelId, Currency, Error, ErrorKind, Money, Tally};

/// Credit totals by channel of one batch and model (an accumulator: merge partial totals of
/// the same channel table; [`by_channel`](ChannelTotals::by_channel) finishes). O(channels)
/// memory.
///
/// With the `serde` feature its partial state serializes (the model, the currency, the channel
/// table with each channel's sum in minor units, the counts) and a deserialized state merges
/// exactly like the original; deserializing validates the model and the sums.
///
/// # Example
///
/// ```
/// use revops::attribution::{ColumnarBatch, Model};
/// use revops::{ChannelId, Currency};
///
/// let channels = vec![ChannelId::new("email")?, ChannelId::new("search")?];
/// let (mut a, mut b) = (ColumnarBatch::new(Currency::USD, channels.clone())?, ColumnarBatch::new(Currency::USD, channels)?);
/// // Instants are nanoseconds since the Unix epoch; values are cents.
/// a.push_journey(Some((3_000, 1_001)), [None; 3], &[1_000, 2_000], &[0, 1], &[0, 0])?;
/// b.push_journey(Some((9_000, 500)), [None; 3], &[8_000], &[1], &[0])?;
/// let mut totals = a.channel_totals(&Model::linear())?;
/// totals.merge(b.channel_totals(&Model::linear())?)?; // batch after batch, or thread by thread
/// assert_eq!(totals.minor_units(), [501, 1_000]); // the odd cent to the earlier touch
/// assert_eq!((totals.conversions(), totals.revenue()?.to_minor()?), (2, 1_501));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "wire::ChannelTotalsState", into = "wire::ChannelTotalsState")
)]
pub struct ChannelTotals {
    pub(super) model: Model,
    pub(super) currency: Currency,
    pub(super) channels: Vec<ChannelId>,
    pub(super) sums: Vec<i128>,
    pub(super) revenue: i128,
    pub(super) conversions: u64,
    pub(super) non_converting: u64,
}

impl ChannelTotals {
    /// Empty totals of `model` over a batch of `currency` with the channel table `channels`
    /// (what [`Tally::push`] of batches with that table adds to).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::attribution::{ChannelTotals, ColumnarBatch, Model};
    /// use revops::{ChannelId, Currency, Tally};
    ///
    /// let channels = vec![ChannelId::new("email")?, ChannelId::new("webinar")?];
    /// let mut part = ColumnarBatch::new(Currency::USD, channels.clone())?;
    /// part.push_journey(Some((100, 10_000)), [None; 3], &[10, 20], &[0, 1], &[0, 0])?;
    /// let mut totals = ChannelTotals::new(Model::linear(), Currency::USD, channels);
    /// totals.push(&part)?; // one batch per part of the data, e.g. per file
    /// let report = totals.finish()?;
    /// assert_eq!(report.currencies[&Currency::USD].by_channel[&ChannelId::new("email")?].to_minor()?, 5_000);
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn new(model: Model, currency: Currency, channels: Vec<ChannelId>) -> ChannelTotals {
        let sums = vec![0; channels.len()];
        ChannelTotals { model, currency, channels, sums, revenue: 0, conversions: 0, non_converting: 0 }
    }

    /// The model.
    #[must_use]
    pub const fn model(&self) -> &Model {
        &self.model
    }

    /// Adds `other` (associative and commutative).
    ///
    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`] if `other` totals another model, currency or channel table;
    /// [`ErrorKind::Overflow`] if a sum overflows (reachable only from deserialized states); nothing
    /// is added then.
    pub fn merge(&mut self, other: ChannelTotals) -> Result<(), Error> {
        self.same_definition(&other.model, other.currency, &other.channels)?;
        let overflow = || ErrorKind::Overflow { op: "channel totals merge" };
        // Checked first, applied after: on error nothing is added.
        let revenue = self.revenue.checked_add(other.revenue).ok_or_else(overflow)?;
        let conversions = self.conversions.checked_add(other.conversions).ok_or_else(overflow)?;
        let non_converting = self.non_converting.checked_add(other.non_converting).ok_or_else(overflow)?;
        if self.sums.iter().zip(&other.sums).any(|(a, b)| a.checked_add(*b).is_none()) {
            return Err(crate::Error::from(overflow()));
        }
        for (a, b) in self.sums.iter_mut().zip(other.sums) {
            *a += b;
        }
        (self.revenue, self.conversions, self.non_converting) = (revenue, conversions, non_converting);
        Ok(())
    }

    fn same_definition(&self, model: &Model, currency: Currency, channels: &[ChannelId]) -> Result<(), Error> {
        let field = if *model != self.model {
            "model"
        } else if currency != self.currency {
            "currency"
        } else if channels != self.channels {
            "channel table"
        } else {
            return Ok(());
        };
        Err(ErrorKind::DefinitionMismatch { tally: "channel totals", field }.into())
    }

    /// The report, in the row API's type: one currency (when a journey converted) with the
    /// credits of every channel of the table (zero included), no campaign, contact or account
    /// breakdown.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] if a total leaves `Decimal`'s range.
    pub fn report(&self) -> Result<AttributionReport, Error> {
        let mut currencies = BTreeMap::new();
        if self.conversions > 0 {
            let totals = CurrencyTotals {
                conversions: self.conversions,
                revenue: self.revenue()?,
                by_channel: self.by_channel()?,
                by_campaign: BTreeMap::new(),
                by_contact: BTreeMap::new(),
                by_account: BTreeMap::new(),
            };
            currencies.insert(self.currency, totals);
        }
        Ok(AttributionReport { model: self.model.label().to_owned(), non_converting: self.non_converting, currencies })
    }

    /// The same totals over another channel table `channels` (a superset of this one, in any
    /// order), so totals built over different tables (e.g. by the partitions of a query engine,
    /// each interning the channels it meets) can be brought to one table and merged.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] if a channel of this table is missing from `channels` or
    /// `channels` names a channel twice.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::attribution::{ColumnarBatch, Model};
    /// use revops::{ChannelId, Currency};
    ///
    /// let (email, search) = (ChannelId::new("email")?, ChannelId::new("search")?);
    /// let mut a = ColumnarBatch::new(Currency::USD, vec![email.clone()])?;
    /// a.push_journey(Some((3_000, 1_000)), [None; 3], &[1_000], &[0], &[0])?;
    /// let mut b = ColumnarBatch::new(Currency::USD, vec![search.clone()])?;
    /// b.push_journey(Some((9_000, 500)), [None; 3], &[8_000], &[0], &[0])?;
    /// let table = vec![email, search];
    /// let mut totals = a.channel_totals(&Model::linear())?.with_channels(table.clone())?;
    /// totals.merge(b.channel_totals(&Model::linear())?.with_channels(table)?)?;
    /// assert_eq!(totals.minor_units(), [1_000, 500]);
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn with_channels(self, channels: Vec<ChannelId>) -> Result<ChannelTotals, Error> {
        let mut position = BTreeMap::new();
        for (i, c) in channels.iter().enumerate() {
            if position.insert(c, i).is_some() {
                return Err(ErrorKind::InvalidValue {
                    field: "channel table",
                    value: c.to_string(),
                    reason: "appears twice in the channel table",
                }
                .into());
            }
        }
        let mut sums = vec![0; channels.len()];
        for (c, v) in self.channels.iter().zip(&self.sums) {
            let slot = position.get(c).and_then(|&i| sums.get_mut(i)).ok_or_else(|| ErrorKind::InvalidValue {
                field: "channel table",
                value: c.to_string(),
                reason: "misses a channel of the totals",
            })?;
            *slot = *v;
        }
        Ok(ChannelTotals { channels, sums, ..self })
    }

    /// The total value of the converting journeys in minor units.
    pub(crate) const fn revenue_minor(&self) -> i128 {
        self.revenue
    }

    /// Credits per channel key, in minor units (index = channel key of the batch).
    #[must_use]
    pub fn minor_units(&self) -> &[i128] {
        &self.sums
    }

    /// Credits by channel id, in channel order (channels with no credit included, at zero).
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] if a total leaves `Decimal`'s range.
    pub fn by_channel(&self) -> Result<BTreeMap<ChannelId, Money>, Error> {
        self.channels.iter().zip(&self.sums).map(|(c, &v)| Ok((c.clone(), to_money(v, self.currency)?))).collect()
    }

    /// Total value of the converting journeys: the channel totals sum to it.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] if it leaves `Decimal`'s range.
    pub fn revenue(&self) -> Result<Money, Error> {
        to_money(self.revenue, self.currency)
    }

    /// Converting journeys credited.
    #[must_use]
    pub const fn conversions(&self) -> u64 {
        self.conversions
    }

    /// Journeys that did not convert.
    #[must_use]
    pub const fn non_converting(&self) -> u64 {
        self.non_converting
    }
}

fn to_money(minor: i128, currency: Currency) -> Result<Money, Error> {
    Decimal::try_from_i128_with_scale(minor, u32::from(currency.exponent()))
        .map(|d| Money::new(d, currency))
        .map_err(|_| ErrorKind::Overflow { op: "attribution totals" })
        .map_err(crate::Error::from)
}

impl Tally for ChannelTotals {
    type Fact = ColumnarBatch;
    type Output = AttributionReport;

    /// Credits every journey of `batch` (threads with `rayon`, same result) and adds the totals.
    fn push(&mut self, batch: &ColumnarBatch) -> Result<(), Error> {
        self.same_definition(&self.model, batch.currency(), batch.channels())?;
        let totals = batch.channel_totals(&self.model)?;
        self.merge(totals)
    }

    fn merge(&mut self, other: ChannelTotals) -> Result<(), Error> {
        ChannelTotals::merge(self, other)
    }

    fn finish(self) -> Result<AttributionReport, Error> {
        self.report()
    }
}

#[cfg(feature = "serde")]
mod wire {
    use std::collections::BTreeSet;

    use super::ChannelTotals;
    use crate::attribution::model::Model;
    use crate::attribution::paths::{bad_state, wide};
    use crate::attribution::totals::state::MAX_SUM;
    use crate::{ChannelId, Currency, Error, ErrorKind};

    /// Wire shape of a [`ChannelTotals`]' partial state.
    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct ChannelTotalsState {
        model: Model,
        currency: Currency,
        /// The channel table, in key order, each with its sum.
        channels: Vec<ChannelRow>,
        #[serde(with = "wide")]
        revenue: i128,
        conversions: u64,
        non_converting: u64,
    }

    /// One channel of the table and its credits in minor units.
    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct ChannelRow {
        channel: ChannelId,
        #[serde(with = "wide")]
        minor: i128,
    }

    impl From<ChannelTotals> for ChannelTotalsState {
        fn from(t: ChannelTotals) -> ChannelTotalsState {
            let channels =
                t.channels.into_iter().zip(t.sums).map(|(channel, minor)| ChannelRow { channel, minor }).collect();
            ChannelTotalsState {
                model: t.model,
                currency: t.currency,
                channels,
                revenue: t.revenue,
                conversions: t.conversions,
                non_converting: t.non_converting,
            }
        }
    }

    impl TryFrom<ChannelTotalsState> for ChannelTotals {
        type Error = Error;

        /// Checks: each channel once; revenue and every sum from 0 to `2^96 - 1` minor units;
        /// the sums add up to the revenue, which is zero without conversions.
        fn try_from(s: ChannelTotalsState) -> Result<ChannelTotals, Error> {
            if !(0..=MAX_SUM).contains(&s.revenue) || (s.conversions == 0 && s.revenue != 0) {
                return Err(bad_state(
                    "channel totals revenue",
                    s.revenue,
                    "must be from 0 to 2^96 - 1 minor units, and zero without conversions",
                ));
            }
            let mut seen = BTreeSet::new();
            let mut total: i128 = 0;
            for row in &s.channels {
                if !seen.insert(&row.channel) {
                    return Err(bad_state(
                        "channel totals channel",
                        &row.channel,
                        "appears twice in the channel table",
                    ));
                }
                if !(0..=MAX_SUM).contains(&row.minor) {
                    return Err(bad_state(
                        "channel totals credit",
                        row.minor,
                        "must be from 0 to 2^96 - 1 minor units",
                    ));
                }
                total = total
                    .checked_add(row.minor)
                    .ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op: "channel totals state" }))?;
            }
            if total != s.revenue {
                return Err(bad_state("channel totals credits", total, "must sum to the revenue"));
            }
            let (channels, sums) = s.channels.into_iter().map(|r| (r.channel, r.minor)).unzip();
            Ok(ChannelTotals {
                model: s.model,
                currency: s.currency,
                channels,
                sums,
                revenue: s.revenue,
                conversions: s.conversions,
                non_converting: s.non_converting,
            })
        }
    }
}
