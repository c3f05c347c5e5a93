//! [`ChannelTotals`]: the channel totals of one batch and model, an accumulator.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::ColumnarBatch;
use crate::attribution::model::Model;
use crate::attribution::totals::{AttributionReport, CurrencyTotals};
use crate::{ChannelId, Currency, Error, Money, Tally};

/// Credit totals by channel of one batch and model (an accumulator: merge partial totals of
/// the same channel table; [`by_channel`](ChannelTotals::by_channel) finishes). O(channels)
/// memory.
#[derive(Clone, Debug, PartialEq, Eq)]
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
    /// [`Error::DefinitionMismatch`] if `other` totals another model, currency or channel table.
    pub fn merge(&mut self, other: ChannelTotals) -> Result<(), Error> {
        self.same_definition(&other.model, other.currency, &other.channels)?;
        for (a, b) in self.sums.iter_mut().zip(other.sums) {
            *a += b;
        }
        self.revenue += other.revenue;
        self.conversions += other.conversions;
        self.non_converting += other.non_converting;
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
        Err(Error::DefinitionMismatch { tally: "channel totals", field })
    }

    /// The report, in the row API's type: one currency (when a journey converted) with the
    /// credits of every channel of the table (zero included), no campaign, contact or account
    /// breakdown.
    ///
    /// # Errors
    /// [`Error::Overflow`] if a total leaves `Decimal`'s range.
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
    /// [`Error::Overflow`] if a total leaves `Decimal`'s range.
    pub fn by_channel(&self) -> Result<BTreeMap<ChannelId, Money>, Error> {
        self.channels.iter().zip(&self.sums).map(|(c, &v)| Ok((c.clone(), to_money(v, self.currency)?))).collect()
    }

    /// Total value of the converting journeys: the channel totals sum to it.
    ///
    /// # Errors
    /// [`Error::Overflow`] if it leaves `Decimal`'s range.
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
        .map_err(|_| Error::Overflow { op: "attribution totals" })
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
