//! Credits: what each touch of a converting journey earned, under which rule, and the row API
//! ([`Model::attribute`]) that produces them.

use core::fmt;

use chrono::{DateTime, Utc};

use super::engine::{Failure, NO_INSTANT, Scratch, View};
use super::model::{Kernel, LinearPer, Model};
use crate::facts::Journey;
use crate::{CampaignId, ChannelId, ContactId, Error, ErrorKind, JourneyId, Money, Ratio};

/// The anchors a credited touch held (a small bitset): positions, roles, or the pending slot.
///
/// # Example
///
/// ```
/// # use chrono::{DateTime, TimeDelta, TimeZone, Utc};
/// # use revops::facts::{Journey, Milestones, Touchpoint};
/// # use revops::{ChannelId, Currency, JourneyId, Money};
/// # use rust_decimal_macros::dec;
/// # let day = |d: i64| Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or_default() + TimeDelta::days(d);
/// # let journey = |value, touches: &[(i64, &str)]| -> Result<Journey, revops::Error> {
/// #     let mut j = Journey::converted(JourneyId::new("j")?, day(60), Money::new(value, Currency::USD));
/// #     for &(d, channel) in touches { j = j.with_touch(Touchpoint::new(day(d), ChannelId::new(channel)?)); }
/// #     Ok(j)
/// # };
/// # let amounts = |a: Option<revops::attribution::Attribution>| a.map(|a| a.credits.iter().map(|c| c.amount.amount()).collect::<Vec<_>>());
/// use revops::attribution::{Anchors, Model, Rule};
///
/// let path = journey(dec!(100), &[(1, "paid_social"), (5, "email"), (9, "webinar")])?
///     .with_milestones(Milestones { lead_created: Some(day(1)), opportunity_created: Some(day(9)), closed_won: None });
/// let credits = Model::w_shaped().attribute(&path)?.map(|a| a.credits).unwrap_or_default();
/// let rules: Vec<String> = credits.iter().map(|c| c.rule.to_string()).collect();
/// assert_eq!(rules, ["first_touch+lead_creation", "middle", "opportunity_creation"]);
/// let both = Anchors::from_bits(Anchors::FIRST_TOUCH.bits() | Anchors::LEAD_CREATION.bits());
/// assert!(matches!(credits.first().map(|c| c.rule), Some(Rule::Anchor(a)) if a == both && a.contains(Anchors::LEAD_CREATION)));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(from = "u8", into = "u8"))]
pub struct Anchors(u8);

impl Anchors {
    /// The first touch by position.
    pub const FIRST: Anchors = Anchors(1);
    /// The last touch by position.
    pub const LAST: Anchors = Anchors(2);
    /// The first-touch role.
    pub const FIRST_TOUCH: Anchors = Anchors(4);
    /// The lead-creation role.
    pub const LEAD_CREATION: Anchors = Anchors(8);
    /// The opportunity-creation role.
    pub const OPPORTUNITY_CREATION: Anchors = Anchors(16);
    /// The closed-won role.
    pub const CLOSED_WON: Anchors = Anchors(32);
    /// A missing anchor's weight rolled onto the latest touch ([`MissingAnchor::RollToLatest`](super::MissingAnchor::RollToLatest)).
    pub const PENDING: Anchors = Anchors(64);

    const NAMES: [(Anchors, &'static str); 7] = [
        (Anchors::FIRST, "first"),
        (Anchors::LAST, "last"),
        (Anchors::FIRST_TOUCH, "first_touch"),
        (Anchors::LEAD_CREATION, "lead_creation"),
        (Anchors::OPPORTUNITY_CREATION, "opportunity_creation"),
        (Anchors::CLOSED_WON, "closed_won"),
        (Anchors::PENDING, "pending"),
    ];

    /// The set from its bits.
    #[must_use]
    pub const fn from_bits(bits: u8) -> Anchors {
        Anchors(bits & 0x7f)
    }

    /// The bits.
    #[must_use]
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// Whether every anchor of `other` is in the set.
    #[must_use]
    pub const fn contains(self, other: Anchors) -> bool {
        self.0 & other.0 == other.0
    }
}

impl From<u8> for Anchors {
    fn from(bits: u8) -> Anchors {
        Anchors::from_bits(bits)
    }
}

impl From<Anchors> for u8 {
    fn from(a: Anchors) -> u8 {
        a.0
    }
}

impl fmt::Display for Anchors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (a, name) in Anchors::NAMES {
            if self.contains(a) {
                if !first {
                    f.write_str("+")?;
                }
                f.write_str(name)?;
                first = false;
            }
        }
        Ok(())
    }
}

/// The rule that earned a touch its credit.
///
/// # Example
///
/// ```
/// # use chrono::{DateTime, TimeDelta, TimeZone, Utc};
/// # use revops::facts::{Journey, Milestones, Touchpoint};
/// # use revops::{ChannelId, Currency, JourneyId, Money};
/// # use rust_decimal_macros::dec;
/// # let day = |d: i64| Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or_default() + TimeDelta::days(d);
/// # let journey = |value, touches: &[(i64, &str)]| -> Result<Journey, revops::Error> {
/// #     let mut j = Journey::converted(JourneyId::new("j")?, day(60), Money::new(value, Currency::USD));
/// #     for &(d, channel) in touches { j = j.with_touch(Touchpoint::new(day(d), ChannelId::new(channel)?)); }
/// #     Ok(j)
/// # };
/// # let amounts = |a: Option<revops::attribution::Attribution>| a.map(|a| a.credits.iter().map(|c| c.amount.amount()).collect::<Vec<_>>());
/// use revops::attribution::{Model, Rule};
///
/// let path = journey(dec!(90), &[(1, "email"), (2, "webinar")])?;
/// let credits = Model::linear().attribute(&path)?.map(|a| a.credits).unwrap_or_default();
/// assert!(credits.iter().all(|c| c.rule == Rule::Linear));
/// assert_eq!(Rule::Middle.to_string(), "middle");
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Rule {
    /// A position or role weight (several when they stack).
    Anchor(Anchors),
    /// A share of "the rest", spread equally over the touches holding no weighted anchor.
    Middle,
    /// The linear split.
    Linear,
    /// The time-decay weight.
    TimeDecay,
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Anchor(a) => a.fmt(f),
            Rule::Middle => f.write_str("middle"),
            Rule::Linear => f.write_str("linear"),
            Rule::TimeDecay => f.write_str("time_decay"),
        }
    }
}

/// One touch's credit (a returned record).
///
/// # Example
///
/// ```
/// # use chrono::{DateTime, TimeDelta, TimeZone, Utc};
/// # use revops::facts::{Journey, Milestones, Touchpoint};
/// # use revops::{ChannelId, Currency, JourneyId, Money};
/// # use rust_decimal_macros::dec;
/// # let day = |d: i64| Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or_default() + TimeDelta::days(d);
/// # let journey = |value, touches: &[(i64, &str)]| -> Result<Journey, revops::Error> {
/// #     let mut j = Journey::converted(JourneyId::new("j")?, day(60), Money::new(value, Currency::USD));
/// #     for &(d, channel) in touches { j = j.with_touch(Touchpoint::new(day(d), ChannelId::new(channel)?)); }
/// #     Ok(j)
/// # };
/// # let amounts = |a: Option<revops::attribution::Attribution>| a.map(|a| a.credits.iter().map(|c| c.amount.amount()).collect::<Vec<_>>());
/// use revops::Ratio;
/// use revops::attribution::Model;
///
/// let path = journey(dec!(100), &[(1, "email"), (2, "webinar"), (3, "email")])?;
/// let credits = Model::linear().attribute(&path)?.map(|a| a.credits).unwrap_or_default();
/// // Three equal shares: 33.34 + 33.33 + 33.33, the extra cent to the earliest touch.
/// let lines: Vec<_> = credits.iter().map(|c| (c.touch, c.channel.as_str(), c.amount.amount())).collect();
/// assert_eq!(lines, [(0, "email", dec!(33.34)), (1, "webinar", dec!(33.33)), (2, "email", dec!(33.33))]);
/// assert!(credits.iter().all(|c| c.weight == Ratio::new(1, 3)));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Credit {
    /// Position of the touch in [`Journey::touches`].
    pub touch: usize,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Its channel.
    pub channel: ChannelId,
    /// Its campaign.
    pub campaign: Option<CampaignId>,
    /// Its contact.
    pub contact: Option<ContactId>,
    /// The rule that earned the credit.
    pub rule: Rule,
    /// The touch's integer weight over the journey's weight sum (the exact share).
    pub weight: Ratio<u64>,
    /// The money: minor units by largest remainder, so the credits sum to the value.
    pub amount: Money,
}

/// The credits of one converting journey under one model, in touch order (a returned record).
/// Touches outside the lookback window or excluded get no line.
///
/// # Example
///
/// ```
/// # use chrono::{DateTime, TimeDelta, TimeZone, Utc};
/// # use revops::facts::{Journey, Milestones, Touchpoint};
/// # use revops::{ChannelId, Currency, JourneyId, Money};
/// # use rust_decimal_macros::dec;
/// # let day = |d: i64| Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or_default() + TimeDelta::days(d);
/// # let journey = |value, touches: &[(i64, &str)]| -> Result<Journey, revops::Error> {
/// #     let mut j = Journey::converted(JourneyId::new("j")?, day(60), Money::new(value, Currency::USD));
/// #     for &(d, channel) in touches { j = j.with_touch(Touchpoint::new(day(d), ChannelId::new(channel)?)); }
/// #     Ok(j)
/// # };
/// # let amounts = |a: Option<revops::attribution::Attribution>| a.map(|a| a.credits.iter().map(|c| c.amount.amount()).collect::<Vec<_>>());
/// use revops::attribution::Model;
///
/// let path = journey(dec!(100), &[(1, "email"), (2, "webinar")])?;
/// let Some(attribution) = Model::first_touch().attribute(&path)? else { return Ok(()) };
/// assert_eq!((attribution.journey.as_str(), attribution.value.amount()), ("j", dec!(100)));
/// assert_eq!(attribution.credits.iter().map(|c| c.amount.amount()).sum::<rust_decimal::Decimal>(), dec!(100));
/// // A journey that did not convert has nothing to credit.
/// assert_eq!(Model::linear().attribute(&Journey::not_converted(JourneyId::new("n")?))?, None);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Attribution {
    /// The journey.
    pub journey: JourneyId,
    /// Its conversion value; the credits sum to it exactly.
    pub value: Money,
    /// One line per credited touch, in touch order.
    pub credits: Vec<Credit>,
}

/// Reusable buffers of the row form: a journey flattened into a [`View`].
#[derive(Clone, Debug, Default)]
pub(crate) struct RowScratch {
    at: Vec<i64>,
    roles: Vec<u8>,
    channel: Vec<u32>,
    excluded: Vec<bool>,
    pub(crate) engine: Scratch,
}

/// An optional instant in the batch time unit ([`crate::limits::nanos`]), [`NO_INSTANT`] for none.
pub(crate) fn opt_nanos(t: Option<DateTime<Utc>>) -> Result<i64, Error> {
    t.map_or(Ok(NO_INSTANT), crate::limits::nanos)
}

/// `money` in minor units: the mantissa when the amount is at its currency's scale (the usual
/// case, no normalizing), otherwise [`Money::to_minor`]; equal to it either way.
#[inline]
pub(crate) fn minor_units(money: Money) -> Result<i64, Error> {
    let amount = money.amount();
    if amount.scale() == u32::from(money.currency().exponent())
        && let Ok(minor) = i64::try_from(amount.mantissa())
    {
        return Ok(minor);
    }
    money.to_minor()
}

/// Refuses a journey with an instant outside the batch time range, whatever the model reads:
/// the conversion, the milestones and the first and last touch (the touches are in order, so
/// the ends bound them all).
pub(crate) fn check_instants(journey: &Journey) -> Result<(), Error> {
    let m = journey.milestones;
    let instants = [
        journey.conversion.map(|c| c.at),
        m.lead_created,
        m.opportunity_created,
        m.closed_won,
        journey.touches.first().map(|t| t.at),
        journey.touches.last().map(|t| t.at),
    ];
    // Straight-line checks (this runs once per journey on the streaming path).
    let ok = |t: Option<DateTime<Utc>>| t.is_none_or(crate::limits::in_range);
    if instants.iter().all(|&t| ok(t)) {
        return Ok(());
    }
    let bad = instants.iter().flatten().find(|&&t| !crate::limits::in_range(t));
    Err(ErrorKind::InstantOutOfRange { instant: bad.map_or_else(String::new, DateTime::to_rfc3339) }.into())
}

impl RowScratch {
    /// Validates and credits `journey`; `Ok(None)` for a journey that did not convert. On
    /// success `self.engine` holds the credits and the value's minor units are returned.
    pub(crate) fn run(&mut self, model: &Model, journey: &Journey) -> Result<Option<i64>, Error> {
        journey.check()?;
        check_instants(journey)?;
        let Some(conversion) = journey.conversion else {
            return Ok(None);
        };
        let value = minor_units(conversion.value)?;
        self.at.clear();
        self.roles.clear();
        self.channel.clear();
        self.excluded.clear();
        let excluded = &model.options().excluded;
        let m = journey.milestones;
        // Instants are read only by the lookback window, time decay and milestone roles.
        let needs_time = model.options().lookback.is_some()
            || matches!(model.kernel(), Kernel::TimeDecay { .. })
            || (matches!(model.kernel(), Kernel::Anchored { slots, .. } if slots.iter().skip(3).any(|&w| w > 0))
                && (m.lead_created.is_some() || m.opportunity_created.is_some() || m.closed_won.is_some()));
        for t in &journey.touches {
            if needs_time {
                self.at.push(crate::limits::nanos(t.at)?);
            }
            self.roles.push(t.roles.bits());
            if !excluded.is_empty() {
                self.excluded.push(excluded.contains(&t.channel));
            }
        }
        if matches!(model.kernel(), Kernel::Linear { per: LinearPer::Channel }) {
            // Channel keys local to the journey, by first appearance.
            let mut seen: Vec<&ChannelId> = Vec::new();
            for t in &journey.touches {
                let key = seen.iter().position(|c| **c == t.channel).unwrap_or_else(|| {
                    seen.push(&t.channel);
                    seen.len() - 1
                });
                self.channel
                    .push(u32::try_from(key).map_err(|_| ErrorKind::Overflow { op: "attribution channel index" })?);
            }
        }
        let view = View {
            at: &self.at,
            roles: &self.roles,
            channel: &self.channel,
            excluded: &self.excluded,
            conversion_at: crate::limits::nanos(conversion.at)?,
            value,
            milestones: [opt_nanos(m.lead_created)?, opt_nanos(m.opportunity_created)?, opt_nanos(m.closed_won)?],
        };
        self.engine.run(model, &view).map_err(|f| failure(f, &journey.id))?;
        Ok(Some(value))
    }
}

pub(crate) fn failure(f: Failure, journey: &JourneyId) -> Error {
    match f {
        Failure::EmptyWindow => crate::Error::from(ErrorKind::EmptyJourney {
            journey: journey.clone(),
            reason: "no touch inside the lookback window",
        }),
        Failure::MissingAnchor(role) => {
            crate::Error::from(ErrorKind::MissingAnchor { journey: journey.clone(), role: role.as_str() })
        }
        Failure::Overflow => crate::Error::from(ErrorKind::Overflow { op: "attribution weights" }),
    }
}

/// The exact share `w / sum`; past `u64` (journeys of millions of touches under time decay)
/// both parts are shifted right together, keeping the share to 64 bits of precision.
fn share(w: u64, sum: u128) -> Ratio<u64> {
    let shift = 128 - sum.leading_zeros();
    let shift = shift.saturating_sub(64);
    let n = u64::try_from(u128::from(w) >> shift).unwrap_or(u64::MAX);
    let d = u64::try_from(sum >> shift).unwrap_or(u64::MAX);
    Ratio::new(n, d)
}

impl Model {
    /// Credits one journey: one [`Credit`] per touch in the window (after exclusions), in touch
    /// order, summing exactly to the conversion value. `Ok(None)` for a journey that did not
    /// convert (rule-based models credit conversions only).
    ///
    /// # Errors
    /// - [`ErrorKind::TouchOutOfOrder`], [`ErrorKind::TouchAfterConversion`], [`ErrorKind::EmptyJourney`]
    ///   (no touches, or none in the lookback window), [`ErrorKind::Negative`]: bad input;
    /// - [`ErrorKind::MissingAnchor`]: a weighted role has no touch under [`MissingAnchor::Error`](super::MissingAnchor::Error);
    /// - [`ErrorKind::ExcessPrecision`] / [`ErrorKind::Overflow`]: the value is not whole minor units
    ///   or is past `i64` minor units.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::attribution::Model;
    /// use revops::facts::{Journey, Touchpoint};
    /// use revops::{ChannelId, Currency, JourneyId, Money};
    /// use rust_decimal_macros::dec;
    ///
    /// let at = |h: u32| Utc.with_ymd_and_hms(2024, 6, 1, h, 0, 0).unwrap();
    /// let mut journey = Journey::converted(JourneyId::new("j")?, at(20), Money::new(dec!(100), Currency::USD));
    /// for (h, c) in [(1, "email"), (2, "email"), (3, "webinar")] {
    ///     journey.touches.push(Touchpoint::new(at(h), ChannelId::new(c)?));
    /// }
    /// let credits = Model::linear().attribute(&journey)?.expect("converted").credits;
    /// let cents: Vec<_> = credits.iter().map(|c| c.amount.amount()).collect();
    /// assert_eq!(cents, [dec!(33.34), dec!(33.33), dec!(33.33)]);
    /// assert_eq!(credits[0].weight.to_string(), "1/3 (33.3%)");
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn attribute(&self, journey: &Journey) -> Result<Option<Attribution>, Error> {
        let mut scratch = RowScratch::default();
        let Some(_) = scratch.run(self, journey)? else {
            return Ok(None);
        };
        let Some(conversion) = journey.conversion else {
            return Ok(None);
        };
        let currency = conversion.value.currency();
        let e = &scratch.engine;
        let mut credits = Vec::with_capacity(e.kept.len());
        for (((&i, &w), &rule), &part) in e.kept.iter().zip(&e.weights).zip(&e.rules).zip(&e.parts) {
            let Some(t) = journey.touches.get(i as usize) else {
                continue;
            };
            credits.push(Credit {
                touch: i as usize,
                at: t.at,
                channel: t.channel.clone(),
                campaign: t.campaign.clone(),
                contact: t.contact.clone(),
                rule,
                weight: share(w, e.weight_sum),
                amount: Money::from_minor(part, currency),
            });
        }
        Ok(Some(Attribution { journey: journey.id.clone(), value: conversion.value, credits }))
    }
}
