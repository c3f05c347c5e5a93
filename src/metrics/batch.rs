//! [`DealBatch`]: deals in columns, the fast path of the deal tallies.

use chrono::{DateTime, Utc};

use super::amount::minor_units;
use crate::Record;
use crate::facts::{Deal, DealStatus, Origin};
use crate::{Currency, Error, ErrorKind};

pub(crate) const WON: u8 = 1;
pub(crate) const LOST: u8 = 2;
pub(crate) const QUALIFIED: u8 = 4;
pub(crate) const ORIGIN_SHIFT: u8 = 3;

/// Deals in columns: instants as nanoseconds since the Unix epoch, amounts in integer minor
/// units of one currency, status, qualification and origin packed in a byte. About 25 bytes a
/// deal instead of 128, so a tally streams five times less memory.
///
/// Every deal is validated once, when it is added ([`Deal::check`], currency, sign, minor
/// units), so `push_batch` of [`WinRateTally`](super::WinRateTally),
/// [`SalesCycleTally`](super::SalesCycleTally) and [`VelocityTally`](super::VelocityTally)
/// need not re-check. The row API (`push`) and the columnar API (`push_batch`) give identical
/// results (property-tested).
///
/// Range: instants from 1677-09-21 to 2262-04-11 (nanoseconds in an `i64`) and amounts up to
/// `i64::MAX` minor units; anything else is an error about the record ([`Error::record`](crate::Error::record)) naming the deal.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::metrics::{DealBatch, WinRateTally};
/// use revops::Period;
/// use revops::facts::{Deal, DealStatus, Reason};
/// use revops::Tally;
/// use revops::{Currency, Money, OpportunityId};
///
/// let t = Utc.with_ymd_and_hms(2024, 1, 5, 0, 0, 0).single().unwrap_or_default();
/// let deals = [
///     Deal::new(OpportunityId::new("a")?, t, Money::from_minor(100, Currency::USD), DealStatus::Won).closed_at(Some(t)),
///     Deal::new(OpportunityId::new("b")?, t, Money::from_minor(300, Currency::USD), DealStatus::lost(Reason::Price)).closed_at(Some(t)),
/// ];
/// let batch = DealBatch::from_deals(&deals, Currency::USD)?;
/// let mut columnar = WinRateTally::new(Period::all_time(), Currency::USD);
/// columnar.push_batch(&batch)?;
/// assert_eq!(columnar.finish()?, WinRateTally::new(Period::all_time(), Currency::USD).tally(&deals)?);
///
/// // Built row by row: the same batch.
/// let mut rows = DealBatch::new(Currency::USD);
/// assert!(rows.is_empty());
/// rows.reserve(deals.len());
/// for deal in &deals {
///     rows.push(deal)?;
/// }
/// assert_eq!((rows.len(), rows.currency()), (2, Currency::USD));
/// assert_eq!(rows.as_slice().len(), 2);
/// assert_eq!(rows, batch);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DealBatch {
    pub(crate) currency: Currency,
    pub(crate) created: Vec<i64>,
    pub(crate) closed: Vec<i64>,
    pub(crate) amount: Vec<i64>,
    pub(crate) flags: Vec<u8>,
}

impl DealBatch {
    /// An empty batch of deals in `currency`.
    #[must_use]
    pub const fn new(currency: Currency) -> DealBatch {
        DealBatch { currency, created: Vec::new(), closed: Vec::new(), amount: Vec::new(), flags: Vec::new() }
    }

    /// A batch of `deals`, validated one by one as [`DealBatch::push`] does.
    ///
    /// # Errors
    /// As [`DealBatch::push`]: the first invalid deal stops the batch.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::metrics::DealBatch;
    /// use revops::facts::{Deal, DealStatus};
    /// use revops::{Currency, Money, OpportunityId, Probability};
    ///
    /// let t = Utc.with_ymd_and_hms(2024, 1, 5, 0, 0, 0).single().unwrap_or_default();
    /// let open = DealStatus::Open { probability: Probability::ZERO };
    /// let usd = Deal::new(OpportunityId::new("a")?, t, Money::from_minor(100, Currency::USD), open.clone());
    /// let eur = Deal::new(OpportunityId::new("b")?, t, Money::from_minor(100, Currency::EUR), open);
    /// assert_eq!(DealBatch::from_deals(&[usd.clone()], Currency::USD)?.len(), 1);
    /// // A deal in another currency than the batch's is refused, naming the deal.
    /// assert!(DealBatch::from_deals(&[usd, eur], Currency::USD).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn from_deals(deals: &[Deal], currency: Currency) -> Result<DealBatch, Error> {
        let mut batch = DealBatch::new(currency);
        batch.reserve(deals.len());
        for deal in deals {
            batch.push(deal)?;
        }
        Ok(batch)
    }

    /// Reserves room for `additional` deals.
    pub fn reserve(&mut self, additional: usize) {
        self.created.reserve(additional);
        self.closed.reserve(additional);
        self.amount.reserve(additional);
        self.flags.reserve(additional);
    }

    /// Validates and appends `deal`.
    ///
    /// # Errors
    /// [`Deal::check`]'s errors; [`ErrorKind::MixedCurrency`]; an error about the record ([`Error::record`](crate::Error::record)) for an
    /// instant or amount outside the columnar range.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::metrics::DealBatch;
    /// use revops::facts::{Deal, DealStatus};
    /// use revops::{Currency, ErrorKind, Money, OpportunityId, Record};
    ///
    /// let t = Utc.with_ymd_and_hms(2024, 1, 5, 0, 0, 0).single().unwrap_or_default();
    /// let mut batch = DealBatch::new(Currency::USD);
    /// let usd = Money::from_minor(100, Currency::USD);
    /// batch.push(&Deal::new(OpportunityId::new("a")?, t, usd, DealStatus::Won).closed_at(Some(t)))?;
    /// assert_eq!(batch.len(), 1);
    /// // Outside the columnar range (nanoseconds in an `i64`): refused, naming the deal.
    /// let far = Utc.with_ymd_and_hms(2300, 1, 1, 0, 0, 0).single().unwrap_or_default();
    /// let late = Deal::new(OpportunityId::new("b")?, far, usd, DealStatus::Won).closed_at(Some(far));
    /// let err = batch.push(&late).err();
    /// assert!(matches!(err.as_ref().map(|e| e.kind()), Some(ErrorKind::InvalidValue { field: "instant", .. })));
    /// assert_eq!(err.as_ref().and_then(|e| e.record()), Some(&Record::Deal(OpportunityId::new("b")?)));
    /// assert_eq!(batch.len(), 1); // nothing appended
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn push(&mut self, deal: &Deal) -> Result<(), Error> {
        deal.check()?;
        let minor = minor_units(&deal.id, "amount", deal.amount, self.currency)?;
        let out_of_range = |field: &'static str, value: String| {
            ErrorKind::InvalidValue { field, value, reason: "outside the range of a deal batch" }
                .about(Record::Deal(deal.id.clone()))
        };
        let amount = i64::try_from(minor).map_err(|_| out_of_range("amount", deal.amount.to_string()))?;
        let nanos = |at: DateTime<Utc>| at.timestamp_nanos_opt().ok_or_else(|| out_of_range("instant", at.to_string()));
        let created = nanos(deal.created_at)?;
        let closed = deal.closed_at.map(nanos).transpose()?.unwrap_or(created);
        let mut flags = match deal.status {
            DealStatus::Won => WON,
            DealStatus::Lost { .. } => LOST,
            DealStatus::Open { .. } => 0,
        };
        if deal.qualified {
            flags |= QUALIFIED;
        }
        flags |= origin_code(deal.origin) << ORIGIN_SHIFT;
        self.created.push(created);
        self.closed.push(closed);
        self.amount.push(amount);
        self.flags.push(flags);
        Ok(())
    }

    /// Deals in the batch.
    #[must_use]
    pub fn len(&self) -> usize {
        self.flags.len()
    }

    /// Whether the batch is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.flags.is_empty()
    }

    /// The batch's currency.
    #[must_use]
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// The whole batch as a borrowed [`DealSlice`].
    #[must_use]
    pub fn as_slice(&self) -> DealSlice<'_> {
        DealSlice {
            currency: self.currency,
            created: &self.created,
            closed: &self.closed,
            amount: &self.amount,
            flags: &self.flags,
        }
    }

    /// The batch in consecutive slices of at most `rows` deals (at least one deal each), so
    /// several tallies can read one cache-sized slice after another. `rows` of 0 is taken as 1.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::calendar::Zone;
    /// use revops::metrics::{DealBatch, SalesCycleTally, WinRateTally};
    /// use revops::Period;
    /// use revops::facts::{Deal, DealStatus};
    /// use revops::{Currency, Money, OpportunityId, Tally};
    ///
    /// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
    /// let mut batch = DealBatch::new(Currency::USD);
    /// for d in 1..=5 {
    ///     let deal = Deal::new(OpportunityId::new(&format!("o{d}"))?, t(1), Money::from_minor(100, Currency::USD), DealStatus::Won);
    ///     batch.push(&deal.closed_at(Some(t(d + 1))))?;
    /// }
    /// let sizes: Vec<usize> = batch.chunks(2).map(|s| s.len()).collect();
    /// assert_eq!(sizes, [2, 2, 1]);
    /// // Two tallies read each slice in turn.
    /// let mut rate = WinRateTally::new(Period::all_time(), Currency::USD);
    /// let mut cycle = SalesCycleTally::new(Period::all_time(), Zone::UTC);
    /// for slice in batch.chunks(2) {
    ///     rate.push_batch(slice)?;
    ///     cycle.push_batch(slice)?;
    /// }
    /// assert_eq!(rate.finish()?.count.to_string(), "5/5 (100.0%)");
    /// assert_eq!(cycle.count(), 5);
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn chunks(&self, rows: usize) -> impl Iterator<Item = DealSlice<'_>> + '_ {
        let rows = rows.max(1);
        self.created
            .chunks(rows)
            .zip(self.closed.chunks(rows))
            .zip(self.amount.chunks(rows))
            .zip(self.flags.chunks(rows))
            .map(|(((created, closed), amount), flags)| DealSlice {
                currency: self.currency,
                created,
                closed,
                amount,
                flags,
            })
    }
}

/// A borrowed run of rows of a [`DealBatch`]: what `push_batch` reads.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::metrics::{DealBatch, DealSlice, WinRateTally};
/// use revops::Period;
/// use revops::facts::{Deal, DealStatus};
/// use revops::{Currency, Money, OpportunityId, Tally};
///
/// let t = Utc.with_ymd_and_hms(2024, 1, 5, 0, 0, 0).single().unwrap_or_default();
/// let won = Deal::new(OpportunityId::new("a")?, t, Money::from_minor(100, Currency::USD), DealStatus::Won).closed_at(Some(t));
/// let batch = DealBatch::from_deals(&[won], Currency::USD)?;
/// let slice: DealSlice<'_> = batch.as_slice();
/// assert_eq!((slice.len(), slice.is_empty()), (1, false));
/// let mut tally = WinRateTally::new(Period::all_time(), Currency::USD);
/// tally.push_batch(slice)?;
/// assert_eq!(tally.finish()?.count.to_string(), "1/1 (100.0%)");
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct DealSlice<'a> {
    pub(crate) currency: Currency,
    created: &'a [i64],
    closed: &'a [i64],
    amount: &'a [i64],
    flags: &'a [u8],
}

impl<'a> DealSlice<'a> {
    /// Deals in the slice.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.flags.len()
    }

    /// Whether the slice is empty.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.flags.is_empty()
    }

    /// Rows as `(created, closed, amount, flags)`; `closed` equals `created` for open deals.
    #[inline]
    pub(crate) fn rows(self) -> impl Iterator<Item = (i64, i64, i64, u8)> + 'a {
        self.created
            .iter()
            .zip(self.closed)
            .zip(self.amount)
            .zip(self.flags)
            .map(|(((&created, &closed), &amount), &flags)| (created, closed, amount, flags))
    }
}

impl<'a> From<&'a DealBatch> for DealSlice<'a> {
    fn from(batch: &'a DealBatch) -> DealSlice<'a> {
        batch.as_slice()
    }
}

/// The code of `origin` in a batch's flags.
#[inline]
pub(crate) const fn origin_code(origin: Origin) -> u8 {
    match origin {
        Origin::Marketing => 0,
        Origin::Sales => 1,
        Origin::Partner => 2,
        Origin::Other => 3,
    }
}

/// An instant as nanoseconds since the epoch, widened so every `DateTime` fits.
#[inline]
pub(crate) fn wide_nanos(at: DateTime<Utc>) -> i128 {
    i128::from(at.timestamp()) * 1_000_000_000 + i128::from(at.timestamp_subsec_nanos())
}

/// Whole seconds since the epoch (floor) of a batch instant.
#[inline]
pub(crate) const fn floor_seconds(nanos: i64) -> i64 {
    nanos.div_euclid(1_000_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Money, OpportunityId};
    use chrono::TimeZone;

    #[test]
    fn range_and_validation() {
        let t = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
        let id = OpportunityId::new("far").unwrap();
        let far = Utc.with_ymd_and_hms(2300, 1, 1, 0, 0, 0).unwrap();
        let deal = Deal::new(id.clone(), t, Money::from_minor(1, Currency::USD), DealStatus::Won).closed_at(Some(far));
        let err = DealBatch::from_deals(std::slice::from_ref(&deal), Currency::USD).unwrap_err();
        assert_eq!(
            err.to_string(),
            "deal `far`: invalid instant \"2300-01-01 00:00:00 UTC\": outside the range of a deal batch"
        );
        let ok = deal.closed_at(Some(t));
        let batch = DealBatch::from_deals(std::slice::from_ref(&ok), Currency::USD).unwrap();
        assert_eq!((batch.len(), batch.is_empty(), batch.currency()), (1, false, Currency::USD));
        assert!(DealBatch::from_deals(&[ok], Currency::EUR).is_err());
        assert_eq!(floor_seconds(-1), -1);
        assert_eq!(wide_nanos(t), i128::from(t.timestamp_nanos_opt().unwrap()));
        assert_eq!(origin_code(Origin::Partner), 2);
        assert_eq!(batch.chunks(0).map(|c| c.len()).collect::<Vec<_>>(), [1]);
        assert!(!batch.as_slice().is_empty());
    }
}
