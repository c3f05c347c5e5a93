//! The shape of a rule-based model and the weights it takes ([definitions
//! 1.2](crate::definitions::attribution#12-rule-based-models)).

use chrono::TimeDelta;
use rust_decimal::Decimal;

#[cfg(doc)]
use super::Model;

/// How the linear model counts ([definitions 1.2](crate::definitions::attribution#12-rule-based-models)).
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
/// use revops::attribution::{LinearPer, Model, Options, Shape};
///
/// let path = journey(dec!(90), &[(1, "email"), (2, "email"), (3, "webinar")])?;
/// // Per touch (the default): A > A > B gives email 2/3.
/// assert_eq!(amounts(Model::linear().attribute(&path)?), Some(vec![dec!(30), dec!(30), dec!(30)]));
/// // Per distinct channel: each channel half, email's half split over its two touches.
/// let per_channel = Model::new(Shape::Linear { per: LinearPer::Channel }, Options::default())?;
/// assert_eq!(amounts(per_channel.attribute(&path)?), Some(vec![dec!(22.50), dec!(22.50), dec!(45)]));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum LinearPer {
    /// Equal credit per touch, per occurrence: A > A > B gives A 2/3 (HubSpot, Salesforce,
    /// ChannelAttribution, DP6).
    #[default]
    Touch,
    /// Equal credit per distinct channel (`mta`'s default); each channel's share is then split
    /// equally over its touches (touch weight `1 / (channels x touches of its channel)`).
    Channel,
}

/// The two published U-shaped (B2B) weightings ([definitions
/// 1.2](crate::definitions::attribution#12-rule-based-models)).
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
/// use revops::attribution::{Model, UPreset};
///
/// // First touch on day 1, the lead created on day 5 (its touch), one more touch after.
/// let path = journey(dec!(100), &[(1, "paid_social"), (5, "webinar"), (9, "email")])?
///     .with_milestones(Milestones { lead_created: Some(day(5)), ..Milestones::default() });
/// assert_eq!(amounts(Model::u_shaped(UPreset::Hubspot).attribute(&path)?), Some(vec![dec!(40), dec!(40), dec!(20)]));
/// let marketo = amounts(Model::u_shaped(UPreset::Marketo).attribute(&path)?).unwrap_or_default();
/// assert_eq!(marketo.iter().take(2).collect::<Vec<_>>(), [&dec!(50), &dec!(50)]);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum UPreset {
    /// HubSpot (and Marketo's tutorial): first touch 40%, lead creation 40%, 20% over the rest.
    #[default]
    Hubspot,
    /// Marketo Measure's documentation: first touch 50%, lead creation 50%, nothing in the middle.
    Marketo,
}

/// How time decay weighs a touch of age `a` (conversion time minus touch time).
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
/// use revops::attribution::{DecayCurve, Model, Options, Shape};
///
/// // Conversion on day 60; touches 14 and 7 days old, half-life 7 days.
/// let path = journey(dec!(90), &[(46, "email"), (53, "webinar")])?;
/// let half_life = TimeDelta::days(7);
/// // Continuous: weights 1/4 and 1/2.
/// assert_eq!(amounts(Model::time_decay(half_life)?.attribute(&path)?), Some(vec![dec!(30), dec!(60)]));
/// // Step: 0.5^floor(age / half-life), the same here since the ages are whole half-lives.
/// let step = Model::new(Shape::TimeDecay { half_life, curve: DecayCurve::Step }, Options::default())?;
/// assert_eq!(amounts(step.attribute(&path)?), Some(vec![dec!(30), dec!(60)]));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum DecayCurve {
    /// `2^(-a / half_life)`, continuous (Google, HubSpot, Salesforce). Our rule: computed in
    /// `f64` relative to the youngest touch, then turned into integer weights with 40 bits of
    /// precision, so the money is still split exactly.
    #[default]
    Continuous,
    /// `0.5^floor(a / half_life)`: DP6's step rule (`0.5^floor(hours/168)` at a 7-day
    /// half-life), for parity. Exact integer weights (powers of two).
    Step,
}

/// Custom weights in percent over positions and roles, plus the middle share (Marketo custom
/// models, Salesforce custom influence). They must sum to exactly 100, each non-negative with
/// at most four decimals. The middle share is spread equally over every touch that holds no
/// weighted position or role (the "equal" middle rule).
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
/// use revops::attribution::{CustomWeights, Model, Options, Shape};
/// use revops::ErrorKind;
///
/// let weights = CustomWeights { first: dec!(50), last: dec!(30), middle: dec!(20), ..CustomWeights::default() };
/// let model = Model::new(Shape::Custom { weights }, Options::default())?;
/// let path = journey(dec!(100), &[(1, "paid_social"), (2, "email"), (3, "webinar")])?;
/// assert_eq!(amounts(model.attribute(&path)?), Some(vec![dec!(50), dec!(20), dec!(30)]));
/// // Weights must sum to exactly 100.
/// let short = CustomWeights { first: dec!(50), last: dec!(30), ..CustomWeights::default() };
/// let err = Model::new(Shape::Custom { weights: short }, Options::default()).err();
/// assert!(matches!(err.as_ref().map(|e| e.kind()), Some(ErrorKind::WeightsNotHundred { .. })));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields, default))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CustomWeights {
    /// Percent to the first touch in the window (by position).
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    #[cfg_attr(feature = "schema", schemars(with = "crate::wire::schema::Decimal"))]
    pub first: Decimal,
    /// Percent to the last touch (by position).
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    #[cfg_attr(feature = "schema", schemars(with = "crate::wire::schema::Decimal"))]
    pub last: Decimal,
    /// Percent to the first-touch role.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    #[cfg_attr(feature = "schema", schemars(with = "crate::wire::schema::Decimal"))]
    pub first_touch: Decimal,
    /// Percent to the lead-creation role.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    #[cfg_attr(feature = "schema", schemars(with = "crate::wire::schema::Decimal"))]
    pub lead_creation: Decimal,
    /// Percent to the opportunity-creation role.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    #[cfg_attr(feature = "schema", schemars(with = "crate::wire::schema::Decimal"))]
    pub opportunity_creation: Decimal,
    /// Percent to the closed-won role.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    #[cfg_attr(feature = "schema", schemars(with = "crate::wire::schema::Decimal"))]
    pub closed_won: Decimal,
    /// Percent spread equally over the other touches.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    #[cfg_attr(feature = "schema", schemars(with = "crate::wire::schema::Decimal"))]
    pub middle: Decimal,
}

/// The shape of a rule-based model: which touches get which share ([definitions
/// 1.2](crate::definitions::attribution#12-rule-based-models)).
///
/// Every anchored shape is a set of position or role weights plus "the rest" spread equally over
/// the other touches; see [`Model`] for the rules that apply when anchors coincide or are missing.
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
/// let model = Model::new(Shape::PositionBased { first: dec!(30), last: dec!(50) }, Options::default())?;
/// assert_eq!(model.shape(), &Shape::PositionBased { first: dec!(30), last: dec!(50) });
/// let path = journey(dec!(100), &[(1, "paid_social"), (2, "email"), (3, "webinar")])?;
/// assert_eq!(amounts(model.attribute(&path)?), Some(vec![dec!(30), dec!(20), dec!(50)]));
/// assert_eq!(Model::w_shaped().shape(), &Shape::WShaped);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)
)]
#[non_exhaustive]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Shape {
    /// 100% to the first touch.
    FirstTouch,
    /// 100% to the last touch.
    LastTouch,
    /// 100% to the last touch that is not excluded (GA4); needs a non-empty exclusion set
    /// ([`Model::last_non_direct`] excludes `direct`). A path that is all excluded credits its
    /// last touch ([definitions 1.1](crate::definitions::attribution#11-input)).
    LastNonDirect,
    /// 100% to the lead-creation touch (Marketo Measure).
    LeadCreation,
    /// Equal credit, per touch or per distinct channel.
    Linear {
        /// Per touch (default) or per distinct channel.
        #[cfg_attr(feature = "serde", serde(default))]
        per: LinearPer,
    },
    /// `first`% to the first touch, `last`% to the last, the rest equally over the middle
    /// touches (40/40 by default: Google's retired model, Salesforce "U-shape", DP6, `mta`).
    PositionBased {
        /// Percent to the first touch.
        #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
        #[cfg_attr(feature = "schema", schemars(with = "crate::wire::schema::Decimal"))]
        first: Decimal,
        /// Percent to the last touch.
        #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
        #[cfg_attr(feature = "schema", schemars(with = "crate::wire::schema::Decimal"))]
        last: Decimal,
    },
    /// First touch and lead creation roles, with the rest over the other touches.
    UShaped {
        /// HubSpot 40/40/20 (default) or Marketo 50/50.
        #[cfg_attr(feature = "serde", serde(default))]
        preset: UPreset,
    },
    /// First touch, lead creation, opportunity creation 30% each, 10% over the rest.
    WShaped,
    /// First touch, lead creation, opportunity creation, closed won 22.5% each, 10% over the rest.
    FullPath,
    /// First touch 20%, last 60%, 20% over the others (HubSpot).
    JShaped,
    /// First touch 60%, last 20%, 20% over the others (HubSpot).
    InverseJ,
    /// Time decay with a half-life (Google's default: 7 days).
    TimeDecay {
        /// The half-life, positive; a duration text on the wire (`"7d"`, `"36h"`, `"PT168H"`).
        #[cfg_attr(feature = "serde", serde(with = "crate::wire::duration"))]
        #[cfg_attr(feature = "schema", schemars(with = "crate::wire::schema::WallDuration"))]
        half_life: TimeDelta,
        /// Continuous (default) or DP6's step rule.
        #[cfg_attr(feature = "serde", serde(default))]
        curve: DecayCurve,
    },
    /// Custom position and role weights.
    Custom {
        /// The weights, summing to 100.
        weights: CustomWeights,
    },
}

impl Shape {
    /// The shape's snake-case kind, e.g. `w_shaped` (the `kind` tag on the wire).
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            Shape::FirstTouch => "first_touch",
            Shape::LastTouch => "last_touch",
            Shape::LastNonDirect => "last_non_direct",
            Shape::LeadCreation => "lead_creation",
            Shape::Linear { .. } => "linear",
            Shape::PositionBased { .. } => "position_based",
            Shape::UShaped { .. } => "u_shaped",
            Shape::WShaped => "w_shaped",
            Shape::FullPath => "full_path",
            Shape::JShaped => "j_shaped",
            Shape::InverseJ => "inverse_j",
            Shape::TimeDecay { .. } => "time_decay",
            Shape::Custom { .. } => "custom",
        }
    }
}
