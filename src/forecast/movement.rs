//! [`MovementTally`]: pipeline movement between two snapshots, in counts and amounts.

use std::collections::BTreeMap;

use super::CategoryMap;
use super::window::{CloseWindow, Placement};
use crate::calendar::Zone;
use crate::facts::{Deal, DealStatus, ForecastCategory};
use crate::metrics::amount::{add, add_count, from_minor, minor_units};
use crate::metrics::definition::same;
use crate::{Currency, Error, ErrorKind, Money, OpportunityId, Period, Record, Tally};

mod pair;
#[cfg(feature = "serde")]
mod state;

pub use self::pair::{SnapshotPair, join_snapshots};

/// How an opportunity moved into or out of the pipeline in scope between two snapshots
/// ([definitions, section 7](crate::definitions::forecast)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum MovementBucket {
    /// Absent at S0, in scope at S1.
    New,
    /// Open at S0 with a close date after the period, in scope at S1.
    PulledIn,
    /// Open at S0 with a close date before the period, in scope at S1.
    PushedIn,
    /// Out of scope at S0 otherwise (Omitted, no close date, closed then reopened), in at S1.
    MovedIn,
    /// In scope at S0 (or entered), closed won at S1.
    Won,
    /// In scope at S0 (or entered), closed lost at S1.
    Lost,
    /// In scope at S0, open at S1 with a close date after the period (slipped).
    PushedOut,
    /// In scope at S0, open at S1 with a close date before the period.
    PulledOut,
    /// In scope at S0, open at S1 but Omitted or without a close date, or absent (deleted).
    MovedOut,
}

impl MovementBucket {
    /// Every bucket, in the definitions' table order.
    pub const ALL: [MovementBucket; 9] = [
        MovementBucket::New,
        MovementBucket::PulledIn,
        MovementBucket::PushedIn,
        MovementBucket::MovedIn,
        MovementBucket::Won,
        MovementBucket::Lost,
        MovementBucket::PushedOut,
        MovementBucket::PulledOut,
        MovementBucket::MovedOut,
    ];

    /// The snake-case key, e.g. `"pushed_out"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            MovementBucket::New => "new",
            MovementBucket::PulledIn => "pulled_in",
            MovementBucket::PushedIn => "pushed_in",
            MovementBucket::MovedIn => "moved_in",
            MovementBucket::Won => "won",
            MovementBucket::Lost => "lost",
            MovementBucket::PushedOut => "pushed_out",
            MovementBucket::PulledOut => "pulled_out",
            MovementBucket::MovedOut => "moved_out",
        }
    }

    /// Whether the bucket adds to the pipeline (New, Pulled in, Pushed in, Moved in).
    #[must_use]
    pub const fn is_inflow(self) -> bool {
        matches!(
            self,
            MovementBucket::New | MovementBucket::PulledIn | MovementBucket::PushedIn | MovementBucket::MovedIn
        )
    }

    /// The slot of the bucket in a tally's flows (after `start`).
    const fn slot(self) -> usize {
        match self {
            MovementBucket::New => 1,
            MovementBucket::PulledIn => 2,
            MovementBucket::PushedIn => 3,
            MovementBucket::MovedIn => 4,
            MovementBucket::Won => 7,
            MovementBucket::Lost => 8,
            MovementBucket::PushedOut => 9,
            MovementBucket::PulledOut => 10,
            MovementBucket::MovedOut => 11,
        }
    }
}

/// Deals and their amount in one row of [`PipelineMovement`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Flow {
    /// Opportunities in the row.
    pub deals: u64,
    /// Their amount (for Increased and Decreased, the sum of the changes, as a magnitude).
    pub amount: Money,
}

/// One opportunity's movement: the movement in, the movement out (a deal that enters and
/// closes between the snapshots has both), and its amounts.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct OpportunityMovement {
    /// The opportunity.
    pub id: OpportunityId,
    /// The S0 amount if in scope at S0.
    pub start: Option<Money>,
    /// How it entered, if it did.
    pub entered: Option<MovementBucket>,
    /// `a1 - a0`, if in scope at S0 and present at S1 (the Increased or Decreased row when not zero).
    pub change: Option<Money>,
    /// How it left, if it did.
    pub left: Option<MovementBucket>,
    /// The S1 amount if in scope at S1.
    pub end: Option<Money>,
}

/// The result of [`MovementTally`]: every row of the movement, with
/// `start + new + pulled_in + pushed_in + moved_in + increased - decreased - won - lost -
/// pushed_out - pulled_out - moved_out = end` in amounts, and the same without the change rows
/// in counts ([`PipelineMovement::bucket`] reads a row by its bucket).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[allow(missing_docs)] // each field is the row of its name, documented on `MovementBucket`
pub struct PipelineMovement {
    /// In scope at S0, at the S0 amount.
    pub start: Flow,
    pub new: Flow,
    pub pulled_in: Flow,
    pub pushed_in: Flow,
    pub moved_in: Flow,
    /// In scope at S0 and present at S1 with a larger amount: the sum of the increases.
    pub increased: Flow,
    /// In scope at S0 and present at S1 with a smaller amount: the sum of the decreases.
    pub decreased: Flow,
    pub won: Flow,
    pub lost: Flow,
    pub pushed_out: Flow,
    pub pulled_out: Flow,
    pub moved_out: Flow,
    /// In scope at S1, at the S1 amount.
    pub end: Flow,
}

impl PipelineMovement {
    /// The row of `bucket`.
    #[must_use]
    pub const fn bucket(&self, bucket: MovementBucket) -> &Flow {
        match bucket {
            MovementBucket::New => &self.new,
            MovementBucket::PulledIn => &self.pulled_in,
            MovementBucket::PushedIn => &self.pushed_in,
            MovementBucket::MovedIn => &self.moved_in,
            MovementBucket::Won => &self.won,
            MovementBucket::Lost => &self.lost,
            MovementBucket::PushedOut => &self.pushed_out,
            MovementBucket::PulledOut => &self.pulled_out,
            MovementBucket::MovedOut => &self.moved_out,
        }
    }
}

/// Slots of the change rows and the ends in a tally's flows.
const START: usize = 0;
const INCREASED: usize = 5;
const DECREASED: usize = 6;
const END: usize = 12;
const FLOWS: usize = 13;

/// Pipeline movement between snapshots S0 and S1 for the deals closing in a period
/// ([definitions, section 7](crate::definitions::forecast)), one [`SnapshotPair`] (an
/// opportunity's rows at S0 and S1) per push.
///
/// - **In scope** at a snapshot: open, category (by [`CategoryMap::category`]) not Omitted, and
///   the expected close date in the period (a local date of the reporting [`Zone`], as
///   [`ForecastTally`](super::ForecastTally) reads it). There is no owner or team scope: a
///   [`Deal`] has no owner, so ownership transfers are not a movement of this version.
/// - **One movement per opportunity**, the first row of the definitions' table that matches
///   ([`MovementBucket`]); the date test comes before the category test (an opportunity
///   pushed out and omitted at once is Pushed out). A deal out of scope at S0 that closes in
///   the period by S1 takes its entering movement and Won or Lost; one closed at both
///   snapshots does not move.
/// - **Amounts**: movements at the S1 amount; a deal in scope at S0 and present at S1 gets a
///   change row `a1 - a0` (Increased or Decreased), so leavers leave at their S1 amount and Won
///   equals bookings; a deal deleted by S1 leaves at its S0 amount. Start is at the S0 amount,
///   End at the S1 amount, and the identity of [`PipelineMovement`] holds exactly.
/// - **Partitions hold whole opportunities**: the join by opportunity id is
///   [`join_snapshots`]' (which refuses an id twice in a snapshot); split its pairs across
///   threads or partitions, never one opportunity's two rows. The tally cannot see an
///   opportunity pushed twice in different partitions.
///
/// # Example ([definitions, section 7](crate::definitions::forecast): 230 + 40 + 30 + 20 - 20 - 120 - 50 = 130)
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use revops::calendar::Zone;
/// use revops::facts::{Deal, DealStatus, ForecastCategory};
/// use revops::forecast::{CategoryMap, MovementTally, join_snapshots};
/// use revops::{Currency, Money, OpportunityId, Period, Probability, Tally};
///
/// let t = |m, d| Utc.with_ymd_and_hms(2024, m, d, 0, 0, 0).single().unwrap_or_default();
/// let open = |id: &str, dollars: i64, close_month: u32| -> Result<Deal, revops::Error> {
///     let status = DealStatus::Open { probability: Probability::from_percent(50)? };
///     Ok(Deal::new(OpportunityId::new(id)?, t(1, 2), Money::from_minor(dollars * 100, Currency::USD), status)
///         .close_date(NaiveDate::from_ymd_opt(2024, close_month, 15))
///         .forecast_category(Some(ForecastCategory::Commit)))
/// };
/// let s0 = [open("A", 100, 2)?, open("B", 50, 3)?, open("C", 80, 3)?, open("E", 30, 5)?];
/// let won_a = Deal { status: DealStatus::Won, ..open("A", 120, 2)? }.closed_at(Some(t(2, 10)));
/// let s1 = [won_a, open("B", 50, 4)?, open("C", 60, 3)?, open("D", 40, 3)?, open("E", 30, 3)?];
/// let q1 = Period::new(t(1, 1), t(4, 1))?;
/// let pairs = join_snapshots(&s0, &s1)?;
/// let m = MovementTally::new(q1, Zone::UTC, Currency::USD, CategoryMap::default()).tally(&pairs)?;
/// let dollars = |f: revops::forecast::Flow| f.amount.amount();
/// assert_eq!(dollars(m.start).to_string(), "230.00");
/// assert_eq!((m.new.deals, m.pulled_in.deals, m.won.deals, m.pushed_out.deals), (1, 1, 1, 1));
/// assert_eq!((dollars(m.increased), dollars(m.decreased)), (dollars(m.decreased), dollars(m.increased))); // 20 and 20
/// assert_eq!((dollars(m.won).to_string(), dollars(m.pushed_out).to_string()), ("120.00".into(), "50.00".into()));
/// assert_eq!(dollars(m.end).to_string(), "130.00"); // C + D + E
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "state::MovementState", into = "state::MovementState")
)]
pub struct MovementTally {
    window: CloseWindow,
    currency: Currency,
    map: CategoryMap,
    flows: [(u64, i128); FLOWS],
}

/// One snapshot row, read: whether open, its placement, category and amount.
struct Row<'a> {
    deal: &'a Deal,
    placement: Placement,
    in_scope: bool,
}

/// An opportunity's movement in minor units.
struct Moved {
    start: Option<i128>,
    entered: Option<(MovementBucket, i128)>,
    change: Option<i128>,
    left: Option<(MovementBucket, i128)>,
    end: Option<i128>,
}

impl MovementTally {
    /// An empty tally of the movement of the pipeline closing in `period` (close dates read
    /// in `zone`), in `currency`, categorised by `map` (example: [`MovementTally`]).
    #[must_use]
    pub fn new(period: Period, zone: Zone, currency: Currency, map: CategoryMap) -> MovementTally {
        MovementTally { window: CloseWindow::new(period, zone), currency, map, flows: [(0, 0); FLOWS] }
    }

    /// One opportunity's movement (the drill-down of a row).
    ///
    /// # Errors
    /// As [`MovementTally`]'s `push`.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{NaiveDate, TimeZone, Utc};
    /// use revops::calendar::Zone;
    /// use revops::facts::{Deal, DealStatus, ForecastCategory};
    /// use revops::forecast::{CategoryMap, MovementBucket, MovementTally, SnapshotPair};
    /// use revops::{Currency, Money, OpportunityId, Period, Probability};
    ///
    /// let t = |m, d| Utc.with_ymd_and_hms(2024, m, d, 0, 0, 0).single().unwrap_or_default();
    /// let status = DealStatus::Open { probability: Probability::from_percent(40)? };
    /// let deal = Deal::new(OpportunityId::new("o")?, t(1, 2), Money::from_minor(1_000_00, Currency::USD), status)
    ///     .close_date(NaiveDate::from_ymd_opt(2024, 3, 1))
    ///     .forecast_category(Some(ForecastCategory::BestCase));
    /// // Omitted at S1: moved out, at its S1 amount, with no change.
    /// let omitted = deal.clone().forecast_category(Some(ForecastCategory::Omitted));
    /// let tally = MovementTally::new(Period::new(t(1, 1), t(4, 1))?, Zone::UTC, Currency::USD, CategoryMap::default());
    /// let m = tally.movement(&SnapshotPair::new(Some(deal), Some(omitted))?)?;
    /// assert_eq!((m.entered, m.left), (None, Some(MovementBucket::MovedOut)));
    /// assert_eq!((m.start, m.change.map(|c| c.is_zero()), m.end), (Some(Money::from_minor(1_000_00, Currency::USD)), Some(true), None));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn movement(&self, pair: &SnapshotPair) -> Result<OpportunityMovement, Error> {
        let moved = self.classify(pair)?;
        let money = |minor: i128| from_minor(minor, self.currency);
        Ok(OpportunityMovement {
            id: pair.id().clone(),
            start: moved.start.map(money).transpose()?,
            entered: moved.entered.map(|(b, _)| b),
            change: moved.change.map(money).transpose()?,
            left: moved.left.map(|(b, _)| b),
            end: moved.end.map(money).transpose()?,
        })
    }

    fn row<'a>(&self, deal: &'a Deal) -> Result<Row<'a>, Error> {
        deal.check()?;
        let placement = self.window.place(deal);
        let in_scope = matches!(deal.status, DealStatus::Open { .. })
            && placement == Placement::In
            && self.map.category(deal)? != ForecastCategory::Omitted;
        Ok(Row { deal, placement, in_scope })
    }

    fn minor(&self, deal: &Deal) -> Result<i128, Error> {
        minor_units(&deal.id, "amount", deal.amount, self.currency)
    }

    fn classify(&self, pair: &SnapshotPair) -> Result<Moved, Error> {
        let before = pair.before().map(|d| self.row(d)).transpose()?;
        let after = pair.after().map(|d| self.row(d)).transpose()?;
        let in0 = before.as_ref().is_some_and(|r| r.in_scope);
        let in1 = after.as_ref().is_some_and(|r| r.in_scope);
        let closed_in = |r: &Row<'_>| match r.deal.status {
            DealStatus::Won if r.placement == Placement::In => Some(MovementBucket::Won),
            DealStatus::Lost { .. } if r.placement == Placement::In => Some(MovementBucket::Lost),
            _ => None,
        };
        let mut moved = Moved { start: None, entered: None, change: None, left: None, end: None };
        let a1 = after.as_ref().map(|r| self.minor(r.deal)).transpose()?;
        if in0 {
            let a0 = before.as_ref().map(|r| self.minor(r.deal)).transpose()?.unwrap_or(0);
            moved.start = Some(a0);
            moved.left = match (&after, a1) {
                (None, _) | (_, None) => Some((MovementBucket::MovedOut, a0)),
                (Some(r), Some(a1)) => {
                    moved.change = Some(a1.checked_sub(a0).ok_or_else(overflow)?);
                    let out = match (&r.deal.status, r.placement) {
                        (DealStatus::Won, _) => Some(MovementBucket::Won),
                        (DealStatus::Lost { .. }, _) => Some(MovementBucket::Lost),
                        (_, Placement::After) => Some(MovementBucket::PushedOut),
                        (_, Placement::Before) => Some(MovementBucket::PulledOut),
                        _ if r.in_scope => None,
                        _ => Some(MovementBucket::MovedOut),
                    };
                    out.map(|b| (b, a1))
                }
            };
        } else if let (Some(r), Some(a1)) = (&after, a1) {
            let closes = closed_in(r).filter(|_| before.as_ref().is_none_or(|b| !b.deal.status.is_closed()));
            if in1 || closes.is_some() {
                let entered = match &before {
                    None => MovementBucket::New,
                    Some(b) if b.deal.status.is_closed() => MovementBucket::MovedIn,
                    Some(b) => match b.placement {
                        Placement::After => MovementBucket::PulledIn,
                        Placement::Before => MovementBucket::PushedIn,
                        Placement::In | Placement::NoDate => MovementBucket::MovedIn,
                    },
                };
                moved.entered = Some((entered, a1));
                moved.left = closes.map(|b| (b, a1));
            }
        }
        if in1 {
            moved.end = a1;
        }
        Ok(moved)
    }
}

fn overflow() -> Error {
    ErrorKind::Overflow { op: "pipeline movement" }.into()
}

impl Tally for MovementTally {
    type Fact = SnapshotPair;
    type Output = PipelineMovement;

    /// # Errors
    /// [`Deal::check`]'s errors and [`CategoryMap::category`]'s for either row;
    /// [`ErrorKind::MixedCurrency`] for an amount counted in another currency; [`ErrorKind::Overflow`].
    fn push(&mut self, pair: &SnapshotPair) -> Result<(), Error> {
        let moved = self.classify(pair)?;
        // Each row an opportunity touches is a different slot: compute them all, then write,
        // so a failed push leaves the tally as it was.
        let change = match moved.change {
            Some(c) if c > 0 => Some((INCREASED, c)),
            Some(c) if c < 0 => Some((DECREASED, c.checked_neg().ok_or_else(overflow)?)),
            _ => None,
        };
        let rows = [
            moved.start.map(|a0| (START, a0)),
            moved.entered.map(|(b, m)| (b.slot(), m)),
            change,
            moved.left.map(|(b, m)| (b.slot(), m)),
            moved.end.map(|a1| (END, a1)),
        ];
        let mut next = [(usize::MAX, 0u64, 0i128); 5];
        for (out, (slot, minor)) in next.iter_mut().zip(rows.into_iter().flatten()) {
            let Some(&(deals, sum)) = self.flows.get(slot) else { continue };
            *out = (slot, add_count(deals, 1)?, add(sum, minor)?);
        }
        for (slot, deals, sum) in next {
            if let Some(flow) = self.flows.get_mut(slot) {
                *flow = (deals, sum);
            }
        }
        Ok(())
    }

    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`] naming `period`, `zone`, `currency` or `category map` if
    /// `other` measures another definition (a failed merge leaves `self` unchanged);
    /// [`ErrorKind::Overflow`].
    fn merge(&mut self, other: MovementTally) -> Result<(), Error> {
        const T: &str = "pipeline movement";
        same(T, "period", &self.window.period, &other.window.period)?;
        same(T, "zone", &self.window.zone, &other.window.zone)?;
        same(T, "currency", &self.currency, &other.currency)?;
        same(T, "category map", &self.map, &other.map)?;
        let mut flows = self.flows;
        for (a, b) in flows.iter_mut().zip(other.flows) {
            *a = (add_count(a.0, b.0)?, add(a.1, b.1)?);
        }
        self.flows = flows;
        Ok(())
    }

    /// # Errors
    /// [`ErrorKind::Overflow`].
    fn finish(self) -> Result<PipelineMovement, Error> {
        let mut rows = BTreeMap::new();
        for (slot, (deals, minor)) in self.flows.into_iter().enumerate() {
            rows.insert(slot, Flow { deals, amount: from_minor(minor, self.currency)? });
        }
        let zero = Flow { deals: 0, amount: Money::from_minor(0, self.currency) };
        let row = |slot: usize| rows.get(&slot).copied().unwrap_or(zero);
        let bucket = |b: MovementBucket| row(b.slot());
        Ok(PipelineMovement {
            start: row(START),
            new: bucket(MovementBucket::New),
            pulled_in: bucket(MovementBucket::PulledIn),
            pushed_in: bucket(MovementBucket::PushedIn),
            moved_in: bucket(MovementBucket::MovedIn),
            increased: row(INCREASED),
            decreased: row(DECREASED),
            won: bucket(MovementBucket::Won),
            lost: bucket(MovementBucket::Lost),
            pushed_out: bucket(MovementBucket::PushedOut),
            pulled_out: bucket(MovementBucket::PulledOut),
            moved_out: bucket(MovementBucket::MovedOut),
            end: row(END),
        })
    }
}

/// Joins the snapshots by opportunity id ([`join_snapshots`]) and tallies the movement.
///
/// # Errors
/// As [`join_snapshots`] and [`MovementTally`]'s `push`.
///
/// # Example
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use revops::calendar::Zone;
/// use revops::facts::{Deal, DealStatus, ForecastCategory};
/// use revops::forecast::{CategoryMap, pipeline_movement};
/// use revops::{Currency, Money, OpportunityId, Period, Probability};
///
/// let t = |m, d| Utc.with_ymd_and_hms(2024, m, d, 0, 0, 0).single().unwrap_or_default();
/// let status = DealStatus::Open { probability: Probability::from_percent(40)? };
/// let deal = Deal::new(OpportunityId::new("o")?, t(1, 2), Money::from_minor(1_000_00, Currency::USD), status)
///     .close_date(NaiveDate::from_ymd_opt(2024, 3, 1))
///     .forecast_category(Some(ForecastCategory::Pipeline));
/// let q1 = Period::new(t(1, 1), t(4, 1))?;
/// let m = pipeline_movement(&[], std::slice::from_ref(&deal), q1, Zone::UTC, Currency::USD, &CategoryMap::default())?;
/// assert_eq!((m.start.deals, m.new.deals, m.end.deals), (0, 1, 1));
/// // An id twice in a snapshot is refused, naming it.
/// let err = pipeline_movement(&[deal.clone(), deal], &[], q1, Zone::UTC, Currency::USD, &CategoryMap::default()).unwrap_err();
/// assert!(err.to_string().contains("`o`"));
/// # Ok::<(), revops::Error>(())
/// ```
pub fn pipeline_movement(
    before: &[Deal],
    after: &[Deal],
    period: Period,
    zone: Zone,
    currency: Currency,
    map: &CategoryMap,
) -> Result<PipelineMovement, Error> {
    let pairs = join_snapshots(before, after)?;
    MovementTally::new(period, zone, currency, map.clone()).tally(&pairs)
}

/// The record an error about `id` names.
fn record(id: &OpportunityId) -> Record {
    Record::Deal(id.clone())
}

#[cfg(test)]
mod tests;
