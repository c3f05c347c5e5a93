//! Marketing-sourced versus marketing-influenced pipeline.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;

use super::amount::{add, add_count, decimal, from_minor, minor_units};
use super::definition::same;
use super::{Period, Tally};
use crate::facts::Origin;
use crate::{Currency, Error, ErrorKind, Money, OpportunityId, Ratio};

/// An opportunity with its origin and the instants of its marketing touches (a passive fact).
///
/// # Example
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use revops::facts::Origin;
/// use revops::metrics::{OpportunityTouches, sourcing};
/// use revops::{Currency, Money, OpportunityId, Period};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let usd = |dollars: i64| Money::from_minor(dollars * 100, Currency::USD);
/// let opp = |id: &str, dollars, origin, touches: &[u32]| -> Result<OpportunityTouches, revops::Error> {
///     let marketing_touches = touches.iter().copied().map(t).collect();
///     Ok(OpportunityTouches { opportunity: OpportunityId::new(id)?, created_at: t(20), amount: usd(dollars), origin, marketing_touches })
/// };
/// let (january, lookback) = (Period::new(t(1), t(31))?, TimeDelta::try_days(10).unwrap_or_default());
/// // Created on the 20th; a 10-day lookback reaches back to the 10th, inclusive.
/// let opps = [
///     opp("exactly-10-days", 100, Origin::Sales, &[10])?,
///     opp("11-days", 100, Origin::Sales, &[9])?,
///     opp("after-creation", 100, Origin::Sales, &[21])?,
/// ];
/// assert_eq!(sourcing(&opps, january, lookback, Currency::USD)?.influenced_opportunities, 1);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct OpportunityTouches {
    /// The opportunity (named in errors).
    pub opportunity: OpportunityId,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Its pipeline amount; never negative.
    pub amount: Money,
    /// Its one origin.
    pub origin: Origin,
    /// When the buying group was touched by marketing, in any order.
    #[cfg_attr(feature = "serde", serde(default))]
    pub marketing_touches: Vec<DateTime<Utc>>,
}

/// Marketing-sourced versus marketing-influenced pipeline of the opportunities created in a
/// period.
///
/// - **Sourced** (one origin per opportunity, shares over origins sum to 100%): pipeline amount
///   and count per [`Origin`]; [`Sourcing::marketing_sourced`] = marketing-origin amount /
///   total amount.
/// - **Influenced** (overlapping, not additive with other teams): opportunities with at least
///   one marketing touch in `[created_at - lookback, created_at]`;
///   [`Sourcing::marketing_influenced`] = their amount / total amount. A touch after creation
///   does not influence it; a touch exactly `lookback` before does.
/// - **Time**: an opportunity belongs to the period of its `created_at`.
/// - **Edge cases**: no opportunity gives `0/0` shares (`None`).
///
/// # Example
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use revops::metrics::{OpportunityTouches, sourcing};
/// use revops::Period;
/// use revops::facts::Origin;
/// use revops::{Currency, Money, OpportunityId};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let opp = |id: &str, origin, touches: Vec<u32>| -> Result<OpportunityTouches, revops::Error> {
///     Ok(OpportunityTouches { opportunity: OpportunityId::new(id)?, created_at: t(20),
///         amount: Money::from_minor(50_000_00, Currency::USD), origin,
///         marketing_touches: touches.into_iter().map(t).collect() })
/// };
/// let opps = [opp("a", Origin::Marketing, vec![2])?, opp("b", Origin::Sales, vec![15])?, opp("c", Origin::Sales, vec![])?];
/// let lookback = TimeDelta::try_days(30).unwrap_or_default();
/// let s = sourcing(&opps, Period::new(t(1), t(31))?, lookback, Currency::USD)?;
/// assert_eq!(s.marketing_sourced.value().map(|v| v.round_dp(4).to_string()), Some("0.3333".to_owned()));
/// assert_eq!(s.marketing_influenced.value().map(|v| v.round_dp(4).to_string()), Some("0.6667".to_owned()));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "SourcingState", into = "SourcingState")
)]
pub struct SourcingTally {
    period: Period,
    lookback: TimeDelta,
    currency: Currency,
    by_origin: BTreeMap<Origin, (u64, i128)>,
    influenced: (u64, i128),
}

/// Pipeline of one origin: its opportunities created in the period and their amount.
///
/// # Example
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use revops::facts::Origin;
/// use revops::metrics::{OpportunityTouches, OriginPipeline, sourcing};
/// use revops::{Currency, Money, OpportunityId, Period};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let usd = |dollars: i64| Money::from_minor(dollars * 100, Currency::USD);
/// let opp = |id: &str, dollars, origin, touches: &[u32]| -> Result<OpportunityTouches, revops::Error> {
///     let marketing_touches = touches.iter().copied().map(t).collect();
///     Ok(OpportunityTouches { opportunity: OpportunityId::new(id)?, created_at: t(20), amount: usd(dollars), origin, marketing_touches })
/// };
/// let (january, lookback) = (Period::new(t(1), t(31))?, TimeDelta::try_days(10).unwrap_or_default());
/// let opps = [opp("a", 300, Origin::Partner, &[])?, opp("b", 200, Origin::Partner, &[])?];
/// let result = sourcing(&opps, january, lookback, Currency::USD)?;
/// let partner: Option<&OriginPipeline> = result.by_origin.get(&Origin::Partner);
/// assert_eq!(partner.map(|p| (p.opportunities, p.amount)), Some((2, usd(500))));
/// // Every origin is present, with zeros where nothing was sourced.
/// assert_eq!(result.by_origin.get(&Origin::Marketing).map(|p| p.opportunities), Some(0));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct OriginPipeline {
    /// Opportunities.
    pub opportunities: u64,
    /// Their amount.
    pub amount: Money,
}

/// The result of [`SourcingTally`]: sourced shares (one origin each, summing to 100%) and the
/// overlapping influenced share, both over the period's total pipeline.
///
/// # Example
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use revops::facts::Origin;
/// use revops::metrics::{OpportunityTouches, Sourcing, sourcing};
/// use revops::{Currency, Money, OpportunityId, Period};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let usd = |dollars: i64| Money::from_minor(dollars * 100, Currency::USD);
/// let opp = |id: &str, dollars, origin, touches: &[u32]| -> Result<OpportunityTouches, revops::Error> {
///     let marketing_touches = touches.iter().copied().map(t).collect();
///     Ok(OpportunityTouches { opportunity: OpportunityId::new(id)?, created_at: t(20), amount: usd(dollars), origin, marketing_touches })
/// };
/// let (january, lookback) = (Period::new(t(1), t(31))?, TimeDelta::try_days(10).unwrap_or_default());
/// let opps = [
///     opp("m", 100, Origin::Marketing, &[])?,  // sourced, not influenced
///     opp("s", 300, Origin::Sales, &[15])?,    // influenced by a touch on the 15th
///     opp("p", 600, Origin::Partner, &[])?,
/// ];
/// let result: Sourcing = sourcing(&opps, january, lookback, Currency::USD)?;
/// assert_eq!((result.opportunities, result.pipeline), (3, usd(1_000)));
/// assert_eq!(result.marketing_sourced.to_string(), "100.00/1000.00 (10.0%)");   // marketing origin / total
/// assert_eq!(result.influenced_opportunities, 1);
/// assert_eq!(result.marketing_influenced.to_string(), "300.00/1000.00 (30.0%)"); // touched / total
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Sourcing {
    /// Opportunities created in the period.
    pub opportunities: u64,
    /// Their amount.
    pub pipeline: Money,
    /// Pipeline per origin, every origin present (shares sum to 100%).
    pub by_origin: BTreeMap<Origin, OriginPipeline>,
    /// Marketing-origin amount over total amount.
    pub marketing_sourced: Ratio<Decimal>,
    /// Opportunities with a marketing touch in the lookback.
    pub influenced_opportunities: u64,
    /// Marketing-influenced amount over total amount.
    pub marketing_influenced: Ratio<Decimal>,
}

impl SourcingTally {
    /// An empty tally of opportunities created in `period`, with the influence `lookback`.
    ///
    /// # Errors
    /// [`ErrorKind::Negative`] for a negative lookback (which would silently count no
    /// opportunity as influenced); checked here, so the definition fails before any fact.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use revops::facts::Origin;
    /// use revops::metrics::{OpportunityTouches, SourcingTally};
    /// use revops::Tally;
    /// use revops::{Currency, Money, OpportunityId, Period};
    ///
    /// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
    /// let usd = |dollars: i64| Money::from_minor(dollars * 100, Currency::USD);
    /// let opp = |id: &str, dollars, origin, touches: &[u32]| -> Result<OpportunityTouches, revops::Error> {
    ///     let marketing_touches = touches.iter().copied().map(t).collect();
    ///     Ok(OpportunityTouches { opportunity: OpportunityId::new(id)?, created_at: t(20), amount: usd(dollars), origin, marketing_touches })
    /// };
    /// let (january, lookback) = (Period::new(t(1), t(31))?, TimeDelta::try_days(10).unwrap_or_default());
    /// let mut east = SourcingTally::new(january, lookback, Currency::USD)?;
    /// east.push(&opp("a", 100, Origin::Marketing, &[])?)?;
    /// let mut west = SourcingTally::new(january, lookback, Currency::USD)?;
    /// west.push(&opp("b", 300, Origin::Sales, &[19])?)?;
    /// east.merge(west)?;
    /// let result = east.finish()?;
    /// assert_eq!((result.marketing_sourced.to_string(), result.marketing_influenced.to_string()),
    ///     ("100.00/400.00 (25.0%)".to_owned(), "300.00/400.00 (75.0%)".to_owned()));
    /// assert!(SourcingTally::new(january, -lookback, Currency::USD).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new(period: Period, lookback: TimeDelta, currency: Currency) -> Result<SourcingTally, Error> {
        if lookback < TimeDelta::zero() {
            return Err(ErrorKind::Negative { field: "influence lookback", value: lookback.to_string() }.into());
        }
        Ok(SourcingTally { period, lookback, currency, by_origin: BTreeMap::new(), influenced: (0, 0) })
    }
}

impl Tally for SourcingTally {
    type Fact = OpportunityTouches;
    type Output = Sourcing;

    /// # Errors
    /// [`ErrorKind::Negative`], [`ErrorKind::MixedCurrency`] naming the opportunity.
    fn push(&mut self, opp: &OpportunityTouches) -> Result<(), Error> {
        let minor = minor_units(&opp.opportunity, "amount", opp.amount, self.currency)?;
        if !self.period.contains(opp.created_at) {
            return Ok(());
        }
        let slot = self.by_origin.entry(opp.origin).or_default();
        *slot = (add_count(slot.0, 1)?, add(slot.1, minor)?);
        let from = opp.created_at.checked_sub_signed(self.lookback);
        let influenced =
            opp.marketing_touches.iter().any(|&t| t <= opp.created_at && from.is_none_or(|from| t >= from));
        if influenced {
            self.influenced = (add_count(self.influenced.0, 1)?, add(self.influenced.1, minor)?);
        }
        Ok(())
    }

    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`] naming `period`, `lookback` or `currency` if `other`
    /// counts another definition; [`ErrorKind::Overflow`].
    fn merge(&mut self, other: SourcingTally) -> Result<(), Error> {
        same("sourcing", "period", &self.period, &other.period)?;
        same("sourcing", "lookback", &self.lookback, &other.lookback)?;
        same("sourcing", "currency", &self.currency, &other.currency)?;
        // Into a copy (at most one entry per origin), so an overflow leaves `self` as it was.
        let mut by_origin = self.by_origin.clone();
        for (origin, (n, m)) in other.by_origin {
            let slot = by_origin.entry(origin).or_default();
            *slot = (add_count(slot.0, n)?, add(slot.1, m)?);
        }
        let influenced =
            (add_count(self.influenced.0, other.influenced.0)?, add(self.influenced.1, other.influenced.1)?);
        (self.by_origin, self.influenced) = (by_origin, influenced);
        Ok(())
    }

    fn finish(self) -> Result<Sourcing, Error> {
        let (mut count, mut total) = (0u64, 0i128);
        let mut by_origin = BTreeMap::new();
        for origin in Origin::ALL {
            let (n, m) = self.by_origin.get(&origin).copied().unwrap_or_default();
            count = add_count(count, n)?;
            total = add(total, m)?;
            by_origin.insert(origin, OriginPipeline { opportunities: n, amount: from_minor(m, self.currency)? });
        }
        let marketing = self.by_origin.get(&Origin::Marketing).map_or(0, |s| s.1);
        let total_d = decimal(total, self.currency)?;
        Ok(Sourcing {
            opportunities: count,
            pipeline: from_minor(total, self.currency)?,
            by_origin,
            marketing_sourced: Ratio::try_new(decimal(marketing, self.currency)?, total_d)?,
            influenced_opportunities: self.influenced.0,
            marketing_influenced: Ratio::try_new(decimal(self.influenced.1, self.currency)?, total_d)?,
        })
    }
}

/// Wire shape of [`SourcingTally`]'s partial state: origins in order.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SourcingState {
    period: Period,
    #[serde(with = "super::wire::duration")]
    lookback: TimeDelta,
    currency: Currency,
    by_origin: Vec<OriginState>,
    influenced: u64,
    #[serde(with = "super::wire::minor")]
    influenced_minor: i128,
}

#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct OriginState {
    origin: Origin,
    opportunities: u64,
    #[serde(with = "super::wire::minor")]
    amount_minor: i128,
}

#[cfg(feature = "serde")]
impl From<SourcingTally> for SourcingState {
    fn from(t: SourcingTally) -> SourcingState {
        let by_origin = t
            .by_origin
            .into_iter()
            .map(|(origin, (opportunities, amount_minor))| OriginState { origin, opportunities, amount_minor })
            .collect();
        SourcingState {
            period: t.period,
            lookback: t.lookback,
            currency: t.currency,
            by_origin,
            influenced: t.influenced.0,
            influenced_minor: t.influenced.1,
        }
    }
}

#[cfg(feature = "serde")]
impl TryFrom<SourcingState> for SourcingTally {
    type Error = Error;
    fn try_from(s: SourcingState) -> Result<SourcingTally, Error> {
        use super::wire::{bad_state, empty_sum, non_negative, within};
        const T: &str = "sourcing tally";
        let mut tally = SourcingTally::new(s.period, s.lookback, s.currency)?;
        let (mut count, mut total) = (0u64, 0i128);
        for o in s.by_origin {
            non_negative(T, "amount_minor", o.amount_minor)?;
            if o.opportunities == 0 {
                return Err(bad_state(T, o.origin.as_str(), "an origin is counted with its opportunities"));
            }
            if tally.by_origin.last_key_value().is_some_and(|(last, _)| *last >= o.origin) {
                return Err(bad_state(T, o.origin.as_str(), "origins must be ascending and distinct"));
            }
            count = add_count(count, o.opportunities)?;
            total = add(total, o.amount_minor)?;
            tally.by_origin.insert(o.origin, (o.opportunities, o.amount_minor));
        }
        // Influenced opportunities are some of those counted by origin.
        non_negative(T, "influenced_minor", s.influenced_minor)?;
        within(T, ("influenced", s.influenced), ("opportunities", count))?;
        within(T, ("influenced_minor", s.influenced_minor), ("amount_minor", total))?;
        empty_sum(T, ("influenced", s.influenced), ("influenced_minor", s.influenced_minor))?;
        tally.influenced = (s.influenced, s.influenced_minor);
        Ok(tally)
    }
}

/// [`SourcingTally`] over a slice.
///
/// # Errors
/// As [`SourcingTally::new`] and its `push`.
///
/// # Example
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use revops::facts::Origin;
/// use revops::metrics::{OpportunityTouches, sourcing};
/// use revops::{Currency, Money, OpportunityId, Period};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let usd = |dollars: i64| Money::from_minor(dollars * 100, Currency::USD);
/// let opp = |id: &str, dollars, origin, touches: &[u32]| -> Result<OpportunityTouches, revops::Error> {
///     let marketing_touches = touches.iter().copied().map(t).collect();
///     Ok(OpportunityTouches { opportunity: OpportunityId::new(id)?, created_at: t(20), amount: usd(dollars), origin, marketing_touches })
/// };
/// let (january, lookback) = (Period::new(t(1), t(31))?, TimeDelta::try_days(10).unwrap_or_default());
/// let empty = sourcing(&[], january, lookback, Currency::USD)?;
/// assert_eq!((empty.marketing_sourced.value(), empty.marketing_influenced.value()), (None, None)); // 0/0
/// // An opportunity created outside the period is not counted.
/// let mut late = opp("late", 100, Origin::Marketing, &[])?;
/// late.created_at = t(31);
/// assert_eq!(sourcing(&[late], january, lookback, Currency::USD)?.opportunities, 0);
/// // An opportunity in another currency than the tally's is refused, naming it.
/// assert!(sourcing(&[opp("a", 100, Origin::Sales, &[])?], january, lookback, Currency::EUR).is_err());
/// # Ok::<(), revops::Error>(())
/// ```
pub fn sourcing(
    opportunities: &[OpportunityTouches],
    period: Period,
    lookback: TimeDelta,
    currency: Currency,
) -> Result<Sourcing, Error> {
    SourcingTally::new(period, lookback, currency)?.tally(opportunities)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).unwrap()
    }

    #[test]
    fn shares_and_lookback_edges() {
        let opp = |id: &str, origin, cents, touches: &[u32]| OpportunityTouches {
            opportunity: OpportunityId::new(id).unwrap(),
            created_at: t(11),
            amount: Money::from_minor(cents, Currency::USD),
            origin,
            marketing_touches: touches.iter().map(|&d| t(d)).collect(),
        };
        let opps = [
            opp("a", Origin::Marketing, 100, &[]),
            opp("b", Origin::Partner, 300, &[1]), // exactly 10 days before: influences
            opp("c", Origin::Sales, 600, &[12]),  // after creation: does not
        ];
        let s = sourcing(&opps, Period::all_time(), TimeDelta::try_days(10).unwrap(), Currency::USD).unwrap();
        assert_eq!(s.opportunities, 3);
        assert_eq!(s.marketing_sourced.to_string(), "1.00/10.00 (10.0%)");
        assert_eq!(s.marketing_influenced.to_string(), "3.00/10.00 (30.0%)");
        assert_eq!(s.by_origin[&Origin::Other].opportunities, 0);
        let sum: i64 = s.by_origin.values().map(|o| o.amount.to_minor().unwrap()).sum();
        assert_eq!(sum, 1_000);
        let bad = opp("d", Origin::Sales, -1, &[]);
        assert_eq!(
            sourcing(&[bad], Period::all_time(), TimeDelta::zero(), Currency::USD).unwrap_err().to_string(),
            "deal `d`: amount must not be negative, got -0.01"
        );
        // Regression: a negative lookback was accepted and counted nothing as influenced.
        let minus = -TimeDelta::try_days(1).unwrap();
        assert_eq!(
            sourcing(&opps, Period::all_time(), minus, Currency::USD).unwrap_err().to_string(),
            "influence lookback must not be negative, got -PT86400S"
        );
        // Regression: it was refused only at the first push, so with no opportunity the
        // invalid definition gave a result; now the definition itself is refused.
        assert!(matches!(
            sourcing(&[], Period::all_time(), minus, Currency::USD).as_ref().map_err(crate::error::Error::kind),
            Err(ErrorKind::Negative { .. })
        ));
        assert!(SourcingTally::new(Period::all_time(), minus, Currency::USD).is_err());
        let empty = sourcing(&[], Period::all_time(), TimeDelta::zero(), Currency::USD).unwrap();
        assert_eq!(empty.marketing_sourced.value(), None);
    }
}
