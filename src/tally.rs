//! [`Tally`]: the one accumulator contract of the crate.
//!
//! Every aggregate of the crate (metric tallies, SLA compliance, attribution totals, Markov and
//! Shapley counts, path tables, rejection tallies, ICP refinement) implements this trait, so a
//! caller can split facts across threads, services or a distributed engine's partitions, tally
//! each part and merge the parts in any order.

use crate::Error;

/// An accumulator over one kind of fact: `push` facts, `merge` partial tallies of the same
/// definition, `finish` to the result.
///
/// `merge` is associative and commutative (property-tested for every tally of the crate), so a
/// caller may split the facts across threads or the partitions of a distributed engine, tally
/// each part, and merge the parts in any order to get exactly the result of one pass.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::metrics::WinRateTally;
/// use revops::Period;
/// use revops::facts::{Deal, DealStatus, Reason};
/// use revops::Tally;
/// use revops::{Currency, Money, OpportunityId};
///
/// let t = Utc.with_ymd_and_hms(2024, 1, 5, 0, 0, 0).single().unwrap_or_default();
/// let deal = |id: &str, status| -> Result<Deal, revops::Error> {
///     Ok(Deal::new(OpportunityId::new(id)?, t, Money::from_minor(100, Currency::USD), status).closed_at(Some(t)))
/// };
/// let (a, b) = (deal("a", DealStatus::Won)?, deal("b", DealStatus::lost(Reason::Price))?);
/// let mut left = WinRateTally::new(Period::all_time(), Currency::USD);
/// let mut right = left.clone();
/// left.push(&a)?;   // e.g. on one thread
/// right.push(&b)?;  // and on another
/// left.merge(right)?;
/// assert_eq!(left.finish()?, WinRateTally::new(Period::all_time(), Currency::USD).tally([&a, &b])?);
/// # Ok::<(), revops::Error>(())
/// ```
pub trait Tally: Sized {
    /// The fact one `push` reads.
    type Fact: ?Sized;
    /// What `finish` returns.
    type Output;

    /// Adds one fact.
    ///
    /// # Errors
    /// The tally's bad-input errors, naming the record.
    fn push(&mut self, fact: &Self::Fact) -> Result<(), Error>;

    /// Adds a partial tally of the same definition.
    ///
    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`](crate::ErrorKind::DefinitionMismatch) if `other` was built for another definition (a different
    /// period, `as_of`, lookback, model or currency): tallies of different definitions never
    /// sum silently, and a failed merge leaves `self` unchanged; [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) if a count
    /// or sum leaves its range.
    fn merge(&mut self, other: Self) -> Result<(), Error>;

    /// The result.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) if a quotient leaves `Decimal`'s range.
    fn finish(self) -> Result<Self::Output, Error>;

    /// Pushes every fact of `facts` and finishes.
    ///
    /// # Errors
    /// As [`Tally::push`] and [`Tally::finish`].
    fn tally<'a, I>(mut self, facts: I) -> Result<Self::Output, Error>
    where
        I: IntoIterator<Item = &'a Self::Fact>,
        Self::Fact: 'a,
    {
        for fact in facts {
            self.push(fact)?;
        }
        self.finish()
    }
}

#[cfg(feature = "serde")]
mod state;
#[cfg(feature = "serde")]
pub(crate) use self::state::tally_state;
