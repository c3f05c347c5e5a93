//! The options every rule-based model takes: lookback, exclusions and the rules for missing
//! anchors, stacked roles and short journeys ([definitions 1.1, 1.2](crate::definitions::attribution)).

use std::collections::BTreeSet;

use chrono::TimeDelta;

use crate::ChannelId;
#[cfg(doc)]
use crate::{Error, ErrorKind};

/// What to do when a weighted role has no touch (e.g. no opportunity yet for W-shaped).
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
/// use revops::attribution::{MissingAnchor, Model};
/// use revops::ErrorKind;
///
/// // W-shaped, but the deal has no opportunity-creation touch yet.
/// let path = journey(dec!(100), &[(1, "paid_social"), (5, "webinar"), (9, "email")])?
///     .with_milestones(Milestones { lead_created: Some(day(5)), ..Milestones::default() });
/// let redistributed = amounts(Model::w_shaped().attribute(&path)?).unwrap_or_default();
/// assert_eq!(redistributed.iter().sum::<rust_decimal::Decimal>(), dec!(100));
/// let strict = Model::w_shaped().with_missing_anchor(MissingAnchor::Error);
/// let err = strict.attribute(&path).err();
/// assert!(matches!(err.as_ref().map(|e| e.kind()), Some(ErrorKind::MissingAnchor { role: "opportunity_creation", .. })));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum MissingAnchor {
    /// Our default: the missing role's weight goes to the anchors present, in proportion to
    /// their weights (the middle keeps its share). With no anchor present at all, the whole
    /// value is spread equally over every touch.
    #[default]
    Redistribute,
    /// The missing role's weight goes to the latest touch (Marketo's "Pending" slot for a deal
    /// still open); its credit line is marked [`Anchors::PENDING`](crate::attribution::Anchors::PENDING).
    RollToLatest,
    /// [`ErrorKind::MissingAnchor`] naming the journey and the role.
    Error,
}

/// What a touch holding several weighted anchors gets.
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
/// use revops::attribution::{Model, Stacking};
///
/// // W-shaped; the first touch also created the lead, the last created the opportunity.
/// let path = journey(dec!(100), &[(1, "paid_social"), (5, "email"), (9, "webinar")])?.with_milestones(Milestones {
///     lead_created: Some(day(1)),
///     opportunity_created: Some(day(9)),
///     closed_won: None,
/// });
/// assert_eq!(amounts(Model::w_shaped().attribute(&path)?), Some(vec![dec!(60), dec!(10), dec!(30)]));
/// // Single: the first touch keeps one 30% role; the lead-creation 30% is spread over the
/// // anchors present in proportion (15 each), as a missing anchor's would be.
/// let single = Model::w_shaped().with_stacking(Stacking::Single);
/// assert_eq!(amounts(single.attribute(&path)?), Some(vec![dec!(45), dec!(10), dec!(45)]));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Stacking {
    /// Our default (HubSpot, Marketo): the sum of their weights.
    #[default]
    Sum,
    /// Only its largest weight (the earliest role on a tie); the other weights go to the other
    /// anchors present in proportion, as a missing anchor's do under `redistribute`.
    Single,
}

/// Where the middle share goes when no touch is left in the middle (a one- or two-touch
/// journey under a first/last shape, or every touch an anchor).
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
/// use revops::attribution::{Model, Options, Shape, ShortJourney};
///
/// // Position-based 60/20 (20% middle) over a two-touch journey: no middle touch.
/// let model = Model::new(Shape::PositionBased { first: dec!(60), last: dec!(20) }, Options::default())?;
/// let path = journey(dec!(100), &[(1, "paid_social"), (9, "webinar")])?;
/// assert_eq!(amounts(model.attribute(&path)?), Some(vec![dec!(75), dec!(25)]));
/// let even = model.with_short_journey(ShortJourney::SplitMiddleEvenly);
/// assert_eq!(amounts(even.attribute(&path)?), Some(vec![dec!(70), dec!(30)]));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ShortJourney {
    /// Our default (`mta`'s rule): to the anchors in proportion to their weights, so two touches
    /// under first `f` / last `l` get `f/(f+l)` and `l/(f+l)`.
    #[default]
    Proportional,
    /// DP6's rule: equally to each anchored touch, so two touches get `f + m/2` and `l + m/2`
    /// (different from `proportional` when `f != l`).
    SplitMiddleEvenly,
}

/// Options every rule-based model takes ([definitions 1.1, 1.2](crate::definitions::attribution)).
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
/// use revops::attribution::{Model, Options, Shape};
///
/// let options = Options {
///     lookback: Some(TimeDelta::days(30)),
///     excluded: [ChannelId::new("direct")?].into_iter().collect(),
///     ..Options::default()
/// };
/// let model = Model::new(Shape::Linear { per: Default::default() }, options)?;
/// // Day 1 is outside the 30-day window, `direct` is excluded: only the day-50 touch is credited.
/// let path = journey(dec!(100), &[(1, "paid_social"), (40, "direct"), (50, "email")])?;
/// let credits = model.attribute(&path)?.map(|a| a.credits).unwrap_or_default();
/// assert_eq!(credits.iter().map(|c| (c.touch, c.amount.amount())).collect::<Vec<_>>(), [(2, dec!(100))]);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Touches earlier than `conversion time - lookback` are dropped before roles are assigned
    /// (GA4); a touch exactly at the window's start is kept. `None`: no window.
    pub lookback: Option<TimeDelta>,
    /// Non-attributable channels, dropped before roles are assigned, unless every touch in the
    /// window is excluded: then the model runs on the excluded touches.
    pub excluded: BTreeSet<ChannelId>,
    /// The missing-anchor policy.
    pub missing_anchor: MissingAnchor,
    /// The role-stacking rule.
    pub stacking: Stacking,
    /// The short-journey (no middle) rule.
    pub short_journey: ShortJourney,
}
