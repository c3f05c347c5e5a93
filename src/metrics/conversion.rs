//! Stage conversion in three named modes: entity cohort, event cohort (dbt `MetricFlow`) and
//! period flow; strict or reached-or-beyond ([`Reach`]).
//!
//! One concept, one type: the stages and their order are the [`Funnel`]'s, and "reached" is the
//! funnel's [`Reach`] with the funnel's rule ([`Funnel::is_at_or_beyond`]). A definition is
//! built from a funnel ([`StageConversion::builder`]) and carries a [`StageOrder`]: not a second
//! definition of the order but its derived view (the funnel's ordered stages and which are
//! terminal), kept so the definition and a tally's partial state are self-contained on the
//! wire and compare whole on merge. It has no constructor of its own besides
//! `StageOrder::from(&funnel)` and deserialization. The facts read are the crate's
//! [`StageChange`]s.

use std::collections::BTreeMap;
use std::fmt::Display;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use super::amount::add_count;
use super::definition::same;
use super::{Bucket, Period, Tally};
use crate::calendar::Zone;
use crate::facts::StageChange;
use crate::funnel::{Funnel, Reach};
use crate::{Error, ErrorKind, LeadId, Ratio, StageId};

mod entity;
mod mode;
mod order;
#[cfg(feature = "serde")]
mod state;

#[cfg(feature = "serde")]
pub(crate) use self::entity::EntityCounter;
use self::entity::Events;
pub use self::mode::ConversionMode;
pub use self::order::StageOrder;

/// A stage conversion definition: from stage A to stage B of a funnel, a mode, a [`Reach`] and an
/// optional window.
///
/// # Definitions ([definitions, section 5](crate::definitions::metrics#stage-conversion))
///
/// An entity's **A events** are, under [`Reach::Strict`], its entries of A (all of
/// them); under [`Reach::OrBeyond`], the single first instant it entered A or
/// any later stage. B events likewise. Then:
///
/// - [`ConversionMode::EntityCohort`]: denominator = entities whose *first* A event is in the
///   period; numerator = those of them with a B event `b` with `a <= b < a + window` (any
///   `b >= a` without a window). At most 100%.
/// - [`ConversionMode::EventCohort`] (dbt `MetricFlow`): denominator = A events in the period;
///   each B event links to the closest preceding A event of the same entity (`a <= b`) and
///   counts when `a > b - window` (a B exactly one window after A does not count) and `a` is
///   in the period. Bucketed by A's time. Several B events may link to one A, so it can exceed
///   100%: [`StageConversionRate::exceeds_one`] says so.
/// - [`ConversionMode::PeriodFlow`]: B events in the period over A events in the period,
///   unlinked, no window. Mixes cohorts; may exceed 100%.
///
/// Time: the period is half-open; a window must be positive. Maturity: a cohort whose window
/// has not elapsed by the time of the data is still converting; compare cohorts whose period
/// ended at least one window before the data's as-of instant. Edge cases: no A event in the
/// period gives `0/0` (`None`). Entries of stages outside the order are
/// [`ErrorKind::StageOutsideOrder`] naming the entity.
///
/// # Example
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use revops::{facts::StageChange, funnel::Funnel};
/// use revops::metrics::{ConversionMode, StageConversion, stage_conversion};
/// use revops::{LeadId, Period, StageId};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let entry = |lead: &str, stage: &str, d| -> Result<StageChange, revops::Error> {
///     Ok(StageChange { entity: LeadId::new(lead)?, stage: StageId::new(stage)?, at: t(d) })
/// };
/// let entries = [
///     entry("l1", "mql", 2)?, entry("l1", "sql", 5)?, entry("l1", "sql", 6)?, // two SQL entries
///     entry("l2", "mql", 3)?,
/// ];
/// let funnel = Funnel::demand_waterfall(); // inquiry, mql, sal, sql, ...
/// let january = Period::new(t(1), t(31))?;
/// let week = TimeDelta::try_days(7).unwrap_or_default();
/// let entity = StageConversion::builder(&funnel, "mql", "sql", ConversionMode::EntityCohort).window(week).build()?;
/// assert_eq!(stage_conversion(&entries, &entity, january)?.rate.to_string(), "1/2 (50.0%)");
/// let event = StageConversion::builder(&funnel, "mql", "sql", ConversionMode::EventCohort).window(week).build()?;
/// let result = stage_conversion(&entries, &event, january)?;
/// assert_eq!(result.rate.to_string(), "2/2 (100.0%)"); // both SQL entries link to l1's MQL
/// assert!(!result.exceeds_one);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "state::StageConversionRepr", into = "state::StageConversionRepr")
)]
pub struct StageConversion {
    order: StageOrder,
    from: usize,
    to: usize,
    from_id: StageId,
    to_id: StageId,
    mode: ConversionMode,
    reach: Reach,
    window: Option<TimeDelta>,
}

/// Builder for [`StageConversion`]; see [`StageConversion::builder`].
///
/// # Example
///
/// ```
/// use chrono::TimeDelta;
/// use revops::funnel::{Funnel, Reach};
/// use revops::metrics::{ConversionMode, StageConversion};
///
/// let funnel = Funnel::demand_waterfall();
/// let week = TimeDelta::try_days(7).unwrap_or_default();
/// let definition = StageConversion::builder(&funnel, "mql", "sql", ConversionMode::EntityCohort)
///     .reach(Reach::OrBeyond)
///     .window(week)
///     .build()?;
/// assert_eq!((definition.from_stage().as_str(), definition.to_stage().as_str()), ("mql", "sql"));
/// assert_eq!(definition.mode(), ConversionMode::EntityCohort);
/// assert_eq!((definition.reach(), definition.window()), (Reach::OrBeyond, Some(week)));
/// assert_eq!(definition.order().stages().len(), 6);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug)]
#[must_use = "a builder does nothing until `.build()` is called"]
pub struct StageConversionBuilder {
    order: StageOrder,
    from: String,
    to: String,
    mode: ConversionMode,
    reach: Reach,
    window: Option<TimeDelta>,
}

impl StageConversion {
    /// Starts a conversion from stage `from` to stage `to` of `funnel`'s order in `mode`;
    /// [`Reach::Strict`] and no window unless set. The funnel's side and disqualified stages
    /// are outside the order; its won and lost stages are reached only by entering them.
    ///
    /// Nothing is checked until [`StageConversionBuilder::build`] (example: [`StageConversionBuilder`]).
    pub fn builder(
        funnel: &Funnel,
        from: impl Into<String>,
        to: impl Into<String>,
        mode: ConversionMode,
    ) -> StageConversionBuilder {
        StageConversionBuilder::new(StageOrder::from(funnel), from.into(), to.into(), mode)
    }

    /// The stage order (the funnel's, as the definition carries it).
    #[must_use]
    pub fn order(&self) -> &StageOrder {
        &self.order
    }

    /// Stage A.
    #[must_use]
    pub fn from_stage(&self) -> &StageId {
        &self.from_id
    }

    /// Stage B.
    #[must_use]
    pub fn to_stage(&self) -> &StageId {
        &self.to_id
    }

    /// The mode.
    #[must_use]
    pub const fn mode(&self) -> ConversionMode {
        self.mode
    }

    /// What "reached a stage" means.
    #[must_use]
    pub const fn reach(&self) -> Reach {
        self.reach
    }

    /// The window, if any.
    #[must_use]
    pub const fn window(&self) -> Option<TimeDelta> {
        self.window
    }

    /// Whether entries of the stage at `pos` are kept (the others cannot count).
    fn keeps(&self, pos: usize) -> bool {
        match self.reach {
            Reach::Strict => pos == self.from || pos == self.to,
            Reach::OrBeyond => pos >= self.from,
        }
    }
}

impl StageConversionBuilder {
    fn new(order: StageOrder, from: String, to: String, mode: ConversionMode) -> StageConversionBuilder {
        StageConversionBuilder { order, from, to, mode, reach: Reach::Strict, window: None }
    }

    /// [`Reach::OrBeyond`] or [`Reach::Strict`].
    pub fn reach(mut self, reach: Reach) -> StageConversionBuilder {
        self.reach = reach;
        self
    }

    /// The conversion window (entity and event cohorts only).
    pub fn window(mut self, window: TimeDelta) -> StageConversionBuilder {
        self.window = Some(window);
        self
    }

    /// Validates and returns the definition.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidId`] if `from` or `to` is not a valid stage id; [`ErrorKind::StageOutsideOrder`] if
    /// it is not in the order; [`ErrorKind::InvalidValue`]
    /// if `to` does not come after `from`, the window is not positive or not a whole number of
    /// seconds (the wire form holds whole seconds), or a window is given for
    /// [`ConversionMode::PeriodFlow`].
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::TimeDelta;
    /// use revops::funnel::Funnel;
    /// use revops::metrics::{ConversionMode, StageConversion};
    /// use revops::ErrorKind;
    ///
    /// let funnel = Funnel::demand_waterfall();
    /// let day = TimeDelta::try_days(1).unwrap_or_default();
    /// let builder = |from, to, mode| StageConversion::builder(&funnel, from, to, mode);
    /// assert!(builder("mql", "sql", ConversionMode::EventCohort).window(day).build().is_ok());
    /// // A stage the funnel's order does not hold.
    /// let err = builder("mql", "demo", ConversionMode::EntityCohort).build().err();
    /// assert!(matches!(err.as_ref().map(|e| e.kind()), Some(ErrorKind::StageOutsideOrder { .. })));
    /// // A side stage, backwards, a non-positive window, a window on period flow.
    /// assert!(builder("mql", "nurture", ConversionMode::EntityCohort).build().is_err());
    /// assert!(builder("sql", "mql", ConversionMode::EntityCohort).build().is_err());
    /// assert!(builder("mql", "sql", ConversionMode::EntityCohort).window(-day).build().is_err());
    /// assert!(builder("mql", "sql", ConversionMode::PeriodFlow).window(day).build().is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn build(self) -> Result<StageConversion, Error> {
        let find = |stage: &str| -> Result<(usize, StageId), Error> {
            let id = StageId::new(stage)?;
            match self.order.position(stage) {
                Some(pos) => Ok((pos, id)),
                None => {
                    Err(ErrorKind::StageOutsideOrder { place: "conversion definition".to_owned(), stage: id }.into())
                }
            }
        };
        let (from, from_id) = find(&self.from)?;
        let (to, to_id) = find(&self.to)?;
        if to <= from {
            return Err(ErrorKind::InvalidValue {
                field: "conversion stages",
                value: format!("{} -> {}", self.from, self.to),
                reason: "the second stage must come after the first in the stage order",
            }
            .into());
        }
        if let Some(w) = self.window {
            if w <= TimeDelta::zero() {
                return Err(ErrorKind::InvalidValue {
                    field: "conversion window",
                    value: w.to_string(),
                    reason: "must be positive",
                }
                .into());
            }
            if w.subsec_nanos() != 0 {
                // `window_seconds` on the wire: a fraction would be truncated on write, and a
                // sub-second window would come back as zero and fail to read.
                return Err(ErrorKind::InvalidValue {
                    field: "conversion window",
                    value: w.to_string(),
                    reason: "must be a whole number of seconds",
                }
                .into());
            }
            if self.mode == ConversionMode::PeriodFlow {
                return Err(ErrorKind::InvalidValue {
                    field: "conversion window",
                    value: w.to_string(),
                    reason: "period flow does not link events, so it takes no window",
                }
                .into());
            }
        }
        Ok(StageConversion {
            order: self.order,
            from,
            to,
            from_id,
            to_id,
            mode: self.mode,
            reach: self.reach,
            window: self.window,
        })
    }
}

/// The result of a stage conversion: converted over entered, in the mode's terms.
///
/// # Example
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use revops::{facts::StageChange, funnel::Funnel};
/// use revops::metrics::{ConversionMode, StageConversion, StageConversionRate, stage_conversion};
/// use revops::{LeadId, Period, StageId};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let entry = |lead: &str, stage: &str, d| -> Result<StageChange, revops::Error> {
///     Ok(StageChange { entity: LeadId::new(lead)?, stage: StageId::new(stage)?, at: t(d) })
/// };
/// let entries = [entry("l1", "mql", 2)?, entry("l1", "sql", 4)?, entry("l2", "sql", 6)?];
/// let flow = StageConversion::builder(&Funnel::demand_waterfall(), "mql", "sql", ConversionMode::PeriodFlow).build()?;
/// let result: StageConversionRate = stage_conversion(&entries, &flow, Period::new(t(1), t(31))?)?;
/// assert_eq!(result.mode, ConversionMode::PeriodFlow);
/// assert_eq!((result.rate.numerator(), result.rate.denominator()), (2, 1)); // SQL events / MQL events
/// assert!(result.exceeds_one);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct StageConversionRate {
    /// The mode it was counted in.
    pub mode: ConversionMode,
    /// Converted over entered (entities or events, per the mode).
    pub rate: Ratio,
    /// Whether the numerator exceeds the denominator (event cohort and period flow only).
    pub exceeds_one: bool,
}

impl StageConversionRate {
    fn new(mode: ConversionMode, converted: u64, entered: u64) -> StageConversionRate {
        StageConversionRate { mode, rate: Ratio::new(converted, entered), exceeds_one: converted > entered }
    }
}

/// The accumulator of a [`StageConversion`] over a period: keeps each entity's relevant
/// entries (linking needs them all), so merge is a union and the input order never matters.
///
/// Partial state (feature `serde`): the definition, the period and every kept entry, entities
/// in key order; deserializing checks every stage against the definition.
///
/// # Example
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use revops::{facts::StageChange, funnel::Funnel};
/// use revops::metrics::{ConversionMode, ConversionTally, StageConversion};
/// use revops::{ErrorKind, Tally};
/// use revops::{LeadId, Period, StageId};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let entry = |lead: &str, stage: &str, d| -> Result<StageChange, revops::Error> {
///     Ok(StageChange { entity: LeadId::new(lead)?, stage: StageId::new(stage)?, at: t(d) })
/// };
/// let definition = StageConversion::builder(&Funnel::demand_waterfall(), "mql", "sql", ConversionMode::EntityCohort).build()?;
/// let january = Period::new(t(1), t(31))?;
/// // Two partitions see different entries of the same lead: merge links them.
/// let mut east = ConversionTally::new(definition.clone(), january);
/// east.push(&entry("l1", "mql", 2)?)?;
/// east.push(&entry("l2", "mql", 3)?)?;
/// let mut west = ConversionTally::new(definition.clone(), january);
/// west.push(&entry("l1", "sql", 8)?)?;
/// east.merge(west)?;
/// assert_eq!(east.finish()?.rate.to_string(), "1/2 (50.0%)");
/// // A stage outside the funnel's order names the lead.
/// let err = ConversionTally::new(definition, january).push(&entry("l3", "demo", 4)?).err();
/// assert!(matches!(err.as_ref().map(|e| e.kind()), Some(ErrorKind::StageOutsideOrder { place, .. }) if place.contains("l3")));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConversionTally<E = LeadId> {
    definition: StageConversion,
    period: Period,
    entries: BTreeMap<E, Vec<(DateTime<Utc>, usize)>>,
}

impl<E: Ord + Clone + Display> ConversionTally<E> {
    /// An empty tally of `definition` over `period` (example: [`ConversionTally`]).
    #[must_use]
    pub fn new(definition: StageConversion, period: Period) -> ConversionTally<E> {
        ConversionTally { definition, period, entries: BTreeMap::new() }
    }

    /// The result bucketed by the cohort instant (A's time; B's for period-flow numerators),
    /// keyed by the bucket's first local date in `zone` (see [`Bucket`] for the DST rule).
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] at the edge of the representable dates or counts.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use revops::{facts::StageChange, funnel::Funnel};
    /// use chrono::NaiveDate;
    /// use revops::calendar::Zone;
    /// use revops::metrics::{Bucket, ConversionMode, ConversionTally, StageConversion};
    /// use revops::Tally;
    /// use revops::{LeadId, Period, StageId};
    ///
    /// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
    /// let entry = |lead: &str, stage: &str, d| -> Result<StageChange, revops::Error> {
    ///     Ok(StageChange { entity: LeadId::new(lead)?, stage: StageId::new(stage)?, at: t(d) })
    /// };
    /// let definition = StageConversion::builder(&Funnel::demand_waterfall(), "mql", "sql", ConversionMode::EntityCohort).build()?;
    /// let mut tally = ConversionTally::new(definition, Period::new(t(1), t(31))?);
    /// for e in [entry("l1", "mql", 2)?, entry("l1", "sql", 3)?, entry("l2", "mql", 9)?, entry("l3", "mql", 10)?] {
    ///     tally.push(&e)?;
    /// }
    /// // ISO weeks start on Monday: 1 January 2024 and 8 January 2024.
    /// let weeks = tally.finish_by(Bucket::Week, Zone::UTC)?;
    /// let monday = |d| NaiveDate::from_ymd_opt(2024, 1, d).unwrap_or_default();
    /// let rates: Vec<(NaiveDate, String)> = weeks.into_iter().map(|(k, r)| (k, r.rate.to_string())).collect();
    /// assert_eq!(rates, [(monday(1), "1/1 (100.0%)".to_owned()), (monday(8), "0/2 (0.0%)".to_owned())]);
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn finish_by(self, bucket: Bucket, zone: Zone) -> Result<BTreeMap<NaiveDate, StageConversionRate>, Error> {
        let mode = self.definition.mode;
        let mut counts: BTreeMap<NaiveDate, (u64, u64)> = BTreeMap::new();
        self.contributions(|at, entered, converted| {
            let slot = counts.entry(bucket.start_of(at, zone)?).or_default();
            slot.0 = add_count(slot.0, entered)?;
            slot.1 = add_count(slot.1, converted)?;
            Ok(())
        })?;
        Ok(counts.into_iter().map(|(k, (e, c))| (k, StageConversionRate::new(mode, c, e))).collect())
    }

    /// Calls `sink(instant, entered, converted)` for every counted event.
    fn contributions(self, mut sink: impl FnMut(DateTime<Utc>, u64, u64) -> Result<(), Error>) -> Result<(), Error> {
        let mut events = Events::default();
        for (_, mut entries) in self.entries {
            entries.sort_unstable();
            events.contributions(&self.definition, self.period, &entries, &mut sink)?;
        }
        Ok(())
    }
}

impl<E: Ord + Clone + Display> Tally for ConversionTally<E> {
    type Fact = StageChange<E>;
    type Output = StageConversionRate;

    /// # Errors
    /// [`ErrorKind::StageOutsideOrder`] naming the entity for a stage outside the order.
    fn push(&mut self, entry: &StageChange<E>) -> Result<(), Error> {
        let Some(pos) = self.definition.order.position(entry.stage.as_str()) else {
            return Err(ErrorKind::StageOutsideOrder {
                place: format!("stage entry of `{}`", entry.entity),
                stage: entry.stage.clone(),
            }
            .into());
        };
        if self.definition.keeps(pos) {
            self.entries.entry(entry.entity.clone()).or_default().push((entry.at, pos));
        }
        Ok(())
    }

    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`] naming `stage_order`, `from`, `to`, `mode`, `reach`,
    /// `window` or `period` if `other` counts another definition.
    fn merge(&mut self, other: ConversionTally<E>) -> Result<(), Error> {
        const T: &str = "stage conversion";
        let (mine, theirs) = (&self.definition, &other.definition);
        same(T, "stage_order", &mine.order, &theirs.order)?;
        same(T, "from", &mine.from_id, &theirs.from_id)?;
        same(T, "to", &mine.to_id, &theirs.to_id)?;
        same(T, "mode", &mine.mode, &theirs.mode)?;
        same(T, "reach", &mine.reach, &theirs.reach)?;
        same(T, "window", &mine.window, &theirs.window)?;
        same(T, "period", &self.period, &other.period)?;
        for (entity, mut entries) in other.entries {
            self.entries.entry(entity).or_default().append(&mut entries);
        }
        Ok(())
    }

    fn finish(self) -> Result<StageConversionRate, Error> {
        let mode = self.definition.mode;
        let (mut entered, mut converted) = (0u64, 0u64);
        self.contributions(|_, e, c| {
            entered = add_count(entered, e)?;
            converted = add_count(converted, c)?;
            Ok(())
        })?;
        Ok(StageConversionRate::new(mode, converted, entered))
    }
}

/// [`ConversionTally`] over a slice: the rate of `definition` over `period`. Entries may come
/// in any order.
///
/// # Errors
/// [`ErrorKind::StageOutsideOrder`] naming the entity for a stage outside the order.
///
/// # Example
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use revops::{facts::StageChange, funnel::Funnel};
/// use revops::funnel::Reach;
/// use revops::metrics::{ConversionMode, StageConversion, stage_conversion};
/// use revops::{LeadId, Period, StageId};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let entry = |lead: &str, stage: &str, d| -> Result<StageChange, revops::Error> {
///     Ok(StageChange { entity: LeadId::new(lead)?, stage: StageId::new(stage)?, at: t(d) })
/// };
/// // l1 skips SAL and goes straight to SQL.
/// let entries = [entry("l1", "sql", 9)?, entry("l1", "mql", 2)?, entry("l2", "mql", 3)?, entry("l2", "sal", 4)?];
/// let funnel = Funnel::demand_waterfall();
/// let january = Period::new(t(1), t(31))?;
/// let to_sal = |reach| StageConversion::builder(&funnel, "mql", "sal", ConversionMode::EntityCohort).reach(reach).build();
/// // Strict: only an entry of SAL itself counts (l2).
/// assert_eq!(stage_conversion(&entries, &to_sal(Reach::Strict)?, january)?.rate.to_string(), "1/2 (50.0%)");
/// // Or beyond: entering SQL reaches SAL too (l1 and l2).
/// assert_eq!(stage_conversion(&entries, &to_sal(Reach::OrBeyond)?, january)?.rate.to_string(), "2/2 (100.0%)");
/// # Ok::<(), revops::Error>(())
/// ```
pub fn stage_conversion<E: Ord + Clone + Display>(
    entries: &[StageChange<E>],
    definition: &StageConversion,
    period: Period,
) -> Result<StageConversionRate, Error> {
    ConversionTally::new(definition.clone(), period).tally(entries)
}

#[cfg(test)]
mod tests;
