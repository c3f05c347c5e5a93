//! Attribution journeys from the sample company, and columnar batches generated directly.

use super::company::{CHANNELS, Company, SampleLead};
use super::rng::SampleRng;
use crate::attribution::ColumnarBatch;
use crate::facts::{Journey, Role};
use crate::{ChannelId, Currency, Error, ErrorKind};

/// Random stream of the columnar generator (distinct from the company's record streams).
const STREAM_BATCH: u64 = 7;
/// Mean gap between touches of a generated batch journey, in microseconds (about 3 days).
const GAP_US: u64 = 3 * 86_400 * 1_000_000;
/// Batch instants are nanoseconds; the generated ones are whole microseconds.
const NS_PER_US: i64 = 1_000;
/// Start of the generated timeline: 2024-01-01T00:00:00Z in microseconds.
const START_US: i64 = 1_704_067_200 * 1_000_000;

impl SampleLead {
    /// The lead's attribution journey: its touches (each with its contact and campaign), its
    /// account, milestones (lead creation = `created_at`, opportunity creation, closed won) and
    /// roles set explicitly the same way (first touch on the first touch, each milestone role
    /// on the last touch at or before it). It converts when its opportunity was won, at the
    /// close time, for the deal amount; every other lead is a non-converting journey.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    ///
    /// let company = Company::sample();
    /// let journeys: Vec<_> = company.leads().map(|l| l.journey()).collect();
    /// assert!(journeys.iter().any(|j| j.is_converted()));
    /// assert!(journeys.iter().any(|j| !j.is_converted()));
    /// assert!(journeys.iter().all(|j| j.check().is_ok()));
    /// ```
    #[must_use]
    pub fn journey(&self) -> Journey {
        self.journey_fact()
    }
}

impl Company {
    /// A columnar batch of `journeys` synthetic journeys generated directly (no row records),
    /// for big benchmarks: about 4.5 touches each (geometric), the twelve [`CHANNELS`], roles
    /// first touch on the first touch, lead creation on touch 0 to 2 and opportunity creation
    /// on a later touch for half the journeys, `converting_per_mille` of them converting a day
    /// after their last touch for $500.00 to $50,000.00. A pure function of the company's seed
    /// and the arguments.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] if `converting_per_mille` is above 1000.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::attribution::Model;
    /// use revops::testkit::Company;
    ///
    /// let batch = Company::sample().attribution_batch(1_000, 1_000)?;
    /// let totals = batch.channel_totals(&Model::w_shaped())?;
    /// let sum = totals.by_channel()?.values().map(|m| m.to_minor()).sum::<Result<i64, _>>()?;
    /// assert_eq!(sum, totals.revenue()?.to_minor()?);
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn attribution_batch(&self, journeys: usize, converting_per_mille: u64) -> Result<ColumnarBatch, Error> {
        if converting_per_mille > 1000 {
            return Err(ErrorKind::InvalidValue {
                field: "converting per mille",
                value: converting_per_mille.to_string(),
                reason: "must be at most 1000",
            }
            .into());
        }
        let channels: Vec<ChannelId> = CHANNELS.iter().map(|c| ChannelId::trusted((*c).to_owned())).collect();
        let mut batch = ColumnarBatch::new(Currency::USD, channels)?;
        batch.reserve(journeys, journeys * 9 / 2);
        let (mut at, mut ch, mut roles) = (Vec::new(), Vec::new(), Vec::new());
        for j in 0..journeys {
            let mut rng = SampleRng::for_record(self.seed(), STREAM_BATCH, j as u64);
            let mut count = 1;
            while count < 40 && rng.chance(778) {
                count += 1;
            }
            at.clear();
            ch.clear();
            roles.clear();
            let mut t = START_US + i64::try_from(rng.below(365 * 86_400 * 1_000_000)).unwrap_or(0);
            for k in 0..count {
                if k > 0 {
                    t += i64::try_from(1 + rng.below(2 * GAP_US)).unwrap_or(1);
                }
                at.push(t * NS_PER_US);
                ch.push(u32::try_from(rng.index(CHANNELS.len())).unwrap_or(0));
                roles.push(0u8);
            }
            let lc = rng.index(3).min(count - 1);
            if let Some(r) = roles.first_mut() {
                *r |= Role::FirstTouch.bit();
            }
            if let Some(r) = roles.get_mut(lc) {
                *r |= Role::LeadCreation.bit();
            }
            if rng.chance(500) {
                let oc = lc + rng.index(count - lc);
                if let Some(r) = roles.get_mut(oc) {
                    *r |= Role::OpportunityCreation.bit();
                }
            }
            let conversion = rng.chance(converting_per_mille).then(|| {
                ((t + 86_400 * 1_000_000) * NS_PER_US, 50_000 + i64::try_from(rng.below(4_950_001)).unwrap_or(0))
            });
            batch.push_journey(conversion, [None; 3], &at, &ch, &roles)?;
        }
        Ok(batch)
    }
}
