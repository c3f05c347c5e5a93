//! Channel journeys for the data-driven attribution models (Markov, Shapley).

use super::company::{CHANNELS, Company, SampleOutcome};
use super::rng::SampleRng;
use crate::attribution::PathColumns;
use crate::{ChannelId, Error, ErrorKind};

/// Stream id of the channel-journey generator (distinct from the company's record streams).
const JOURNEY_STREAM: u64 = 0x6a6f_7572_6e65_7973;
/// How often each channel starts a journey (per [`CHANNELS`] position).
const ENTRY: [u32; 12] = [18, 12, 4, 3, 16, 8, 2, 3, 5, 12, 8, 4];
/// How often each channel is the next touch (per [`CHANNELS`] position).
const NEXT: [u32; 12] = [14, 10, 12, 4, 12, 9, 3, 3, 4, 10, 9, 5];
/// Conversion lift in per mille for each channel present in a journey.
const LIFT: [u64; 12] = [10, 0, 20, 60, 5, 10, 50, 30, 10, 10, 0, 40];

impl Company {
    /// `journeys` synthetic channel journeys over the twelve [`CHANNELS`], row level (each path
    /// is one journey, converting or not), in the columnar form the data-driven models count.
    /// A pure function of (seed, index): journey `i` is the same at any size.
    ///
    /// The data carry a signal: journeys start on the popular channels, continue on the same
    /// channel 30% of the time, stop after each touch with probability 2/9 (mean 4.5 touches,
    /// at most 30), and convert with a per-mille chance of 20 plus a lift for each channel
    /// present (`webinar`, `events`, `sdr_outbound` and `partner` lift most; `paid_social` and `display`
    /// not at all), about 12%. Values run from $500.00 to about $45,000.00, higher when events
    /// or partner took part.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] if `journeys` is zero.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    ///
    /// let batch = Company::sample().channel_journeys(1_000)?;
    /// assert_eq!((batch.len(), batch.channels().len()), (1_000, 12));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn channel_journeys(&self, journeys: usize) -> Result<PathColumns, Error> {
        if journeys == 0 {
            return Err(ErrorKind::InvalidValue {
                field: "testkit journeys",
                value: "0".into(),
                reason: "must be at least 1",
            }
            .into());
        }
        let mut batch = PathColumns::new(self.currency());
        for name in CHANNELS {
            batch.intern(&ChannelId::trusted(name.to_owned()))?;
        }
        let mut path: Vec<u32> = Vec::with_capacity(30);
        for i in 0..journeys {
            let mut rng = SampleRng::for_record(self.seed(), JOURNEY_STREAM, i as u64);
            path.clear();
            let mut channel = rng.weighted(&ENTRY);
            let mut present = 0u32;
            loop {
                present |= 1 << channel;
                path.push(u32::try_from(channel).unwrap_or(0));
                if path.len() >= 30 || rng.below(9) < 2 {
                    break;
                }
                if !rng.chance(300) {
                    channel = rng.weighted(&NEXT);
                }
            }
            let lift: u64 = LIFT.iter().enumerate().filter(|(c, _)| present & (1 << c) != 0).map(|(_, l)| l).sum();
            let per_mille = 20 + lift + 3 * (path.len() as u64).saturating_sub(1);
            if rng.chance(per_mille) {
                let bonus = if present & ((1 << 6) | (1 << 7)) != 0 { 1_500_000 } else { 0 };
                let value = 50_000 + rng.below(2_500_000) + rng.below(bonus + 1);
                batch.push(&path, 1, i64::try_from(value).unwrap_or(0), 0)?;
            } else {
                batch.push(&path, 0, 0, 1)?;
            }
        }
        Ok(batch)
    }

    /// The company's own leads as channel journeys: a lead's touches in order, converting when
    /// its opportunity was won, with the won amount as value. A won journey keeps the touches
    /// at or before the close; a lead without touches there is skipped.
    ///
    /// # Errors
    /// [`ErrorKind::ExcessPrecision`] or [`ErrorKind::Overflow`] for an amount without exact minor
    /// units (never for the generated data).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::{CHANNELS, Company};
    ///
    /// let company = Company::new(42, 200)?;
    /// let journeys = company.lead_journeys()?;
    /// assert_eq!(journeys.channels().len(), CHANNELS.len()); // every channel interned first
    /// assert!(journeys.len() <= company.lead_count() && !journeys.is_empty());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn lead_journeys(&self) -> Result<PathColumns, Error> {
        let mut batch = PathColumns::new(self.currency());
        for name in CHANNELS {
            batch.intern(&ChannelId::trusted(name.to_owned()))?;
        }
        let mut path = Vec::new();
        for lead in self.leads() {
            path.clear();
            let won = lead.opportunity.as_ref().filter(|o| o.outcome == SampleOutcome::Won);
            let until = won.and_then(|o| o.closed_at);
            for touch in lead.touches.iter().filter(|t| until.is_none_or(|end| t.at <= end)) {
                path.push(batch.intern(&touch.channel)?);
            }
            if path.is_empty() {
                continue;
            }
            match won {
                Some(o) => batch.push(&path, 1, o.amount.to_minor()?, 0)?,
                None => batch.push(&path, 0, 0, 1)?,
            }
        }
        Ok(batch)
    }
}
