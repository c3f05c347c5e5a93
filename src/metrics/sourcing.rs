//! Marketing-sourced versus marketing-influenced pipeline.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;

use super::amount::{add, add_count, decimal, from_minor, minor_units, same_currency};
use super::{Origin, Period, Tally};
use crate::{Currency, Error, Money, OpportunityId, Ratio};

/// An opportunity with its origin and the instants of its marketing touches (a passive fact).
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
/// use revops::metrics::{OpportunityTouches, Origin, Period, sourcing};
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
pub struct SourcingTally {
    period: Period,
    lookback: TimeDelta,
    currency: Currency,
    by_origin: BTreeMap<Origin, (u64, i128)>,
    influenced: (u64, i128),
}

/// Pipeline of one origin.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct OriginPipeline {
    /// Opportunities.
    pub opportunities: u64,
    /// Their amount.
    pub amount: Money,
}

/// The result of [`SourcingTally`].
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
    #[must_use]
    pub const fn new(period: Period, lookback: TimeDelta, currency: Currency) -> SourcingTally {
        SourcingTally { period, lookback, currency, by_origin: BTreeMap::new(), influenced: (0, 0) }
    }
}

impl Tally for SourcingTally {
    type Fact = OpportunityTouches;
    type Output = Sourcing;

    /// # Errors
    /// [`Error::NegativeAmount`], [`Error::MixedCurrency`] naming the opportunity;
    /// [`Error::NegativeDuration`] for a negative lookback (which would silently count no
    /// opportunity as influenced).
    fn push(&mut self, opp: &OpportunityTouches) -> Result<(), Error> {
        if self.lookback < TimeDelta::zero() {
            return Err(Error::NegativeDuration { field: "influence lookback", value: self.lookback.to_string() });
        }
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

    fn merge(&mut self, other: SourcingTally) -> Result<(), Error> {
        same_currency(self.currency, other.currency)?;
        for (origin, (n, m)) in other.by_origin {
            let slot = self.by_origin.entry(origin).or_default();
            *slot = (add_count(slot.0, n)?, add(slot.1, m)?);
        }
        self.influenced =
            (add_count(self.influenced.0, other.influenced.0)?, add(self.influenced.1, other.influenced.1)?);
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

/// [`SourcingTally`] over a slice.
///
/// # Errors
/// As [`SourcingTally`]'s `push`.
pub fn sourcing(
    opportunities: &[OpportunityTouches],
    period: Period,
    lookback: TimeDelta,
    currency: Currency,
) -> Result<Sourcing, Error> {
    SourcingTally::new(period, lookback, currency).tally(opportunities)
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
            "negative amount -0.01 in record `d`"
        );
        // Regression: a negative lookback was accepted and counted nothing as influenced.
        let minus = -TimeDelta::try_days(1).unwrap();
        assert_eq!(
            sourcing(&opps, Period::all_time(), minus, Currency::USD).unwrap_err().to_string(),
            "influence lookback must not be negative, got \"-PT86400S\""
        );
        let empty = sourcing(&[], Period::all_time(), TimeDelta::zero(), Currency::USD).unwrap();
        assert_eq!(empty.marketing_sourced.value(), None);
    }
}
