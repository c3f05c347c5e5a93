//! Rule-based attribution models as data: a shape (role or position weights plus a rule for the
//! rest) and options (lookback window, exclusions, missing-anchor policy, role stacking,
//! short-journey rule), validated on construction and on deserialize (definitions 1.2).

use std::collections::BTreeSet;

use chrono::TimeDelta;
use rust_decimal::Decimal;

use crate::{ChannelId, Error};

/// How the linear model counts (definitions 1.2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum LinearPer {
    /// Equal credit per touch, per occurrence: A > A > B gives A 2/3 (HubSpot, Salesforce,
    /// ChannelAttribution, DP6).
    #[default]
    Touch,
    /// Equal credit per distinct channel (`mta`'s default); each channel's share is then split
    /// equally over its touches (touch weight `1 / (channels x touches of its channel)`).
    Channel,
}

/// The two published U-shaped (B2B) weightings (definitions 1.2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum UPreset {
    /// HubSpot (and Marketo's tutorial): first touch 40%, lead creation 40%, 20% over the rest.
    #[default]
    Hubspot,
    /// Marketo Measure's documentation: first touch 50%, lead creation 50%, nothing in the middle.
    Marketo,
}

/// How time decay weighs a touch of age `a` (conversion time minus touch time).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields, default))]
pub struct CustomWeights {
    /// Percent to the first touch in the window (by position).
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    pub first: Decimal,
    /// Percent to the last touch (by position).
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    pub last: Decimal,
    /// Percent to the first-touch role.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    pub first_touch: Decimal,
    /// Percent to the lead-creation role.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    pub lead_creation: Decimal,
    /// Percent to the opportunity-creation role.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    pub opportunity_creation: Decimal,
    /// Percent to the closed-won role.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    pub closed_won: Decimal,
    /// Percent spread equally over the other touches.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
    pub middle: Decimal,
}

/// The shape of a rule-based model: which touches get which share (definitions 1.2).
///
/// Every anchored shape is a set of position or role weights plus "the rest" spread equally over
/// the other touches; see [`Model`] for the rules that apply when anchors coincide or are missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)
)]
#[non_exhaustive]
pub enum Shape {
    /// 100% to the first touch.
    FirstTouch,
    /// 100% to the last touch.
    LastTouch,
    /// 100% to the last touch that is not excluded (GA4); needs a non-empty exclusion set
    /// ([`Model::last_non_direct`] excludes `direct`). A path that is all excluded credits its
    /// last touch (definitions 1.1).
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
        first: Decimal,
        /// Percent to the last touch.
        #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))]
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
        /// The half-life, positive; whole seconds on the wire.
        #[cfg_attr(feature = "serde", serde(rename = "half_life_seconds", with = "seconds"))]
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

/// What to do when a weighted role has no touch (e.g. no opportunity yet for W-shaped).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum MissingAnchor {
    /// Our default: the missing role's weight goes to the anchors present, in proportion to
    /// their weights (the middle keeps its share). With no anchor present at all, the whole
    /// value is spread equally over every touch.
    #[default]
    Redistribute,
    /// The missing role's weight goes to the latest touch (Marketo's "Pending" slot for a deal
    /// still open); its credit line is marked [`Anchors::PENDING`](super::Anchors::PENDING).
    RollToLatest,
    /// [`Error::MissingAnchor`] naming the journey and the role.
    Error,
}

/// What a touch holding several weighted anchors gets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum ShortJourney {
    /// Our default (`mta`'s rule): to the anchors in proportion to their weights, so two touches
    /// under first `f` / last `l` get `f/(f+l)` and `l/(f+l)`.
    #[default]
    Proportional,
    /// DP6's rule: equally to each anchored touch, so two touches get `f + m/2` and `l + m/2`
    /// (different from `proportional` when `f != l`).
    SplitMiddleEvenly,
}

/// Options every rule-based model takes (definitions 1.1, 1.2).
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

/// Slots of the anchored kernel: positions first and last, then the four roles.
pub(crate) const SLOTS: usize = 6;

/// The integer form of a shape, compiled once on construction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kernel {
    /// Weights per slot (first, last, first touch, lead creation, opportunity creation, closed
    /// won) and for the middle, in reduced integer units.
    Anchored { slots: [u64; SLOTS], middle: u64 },
    /// Linear.
    Linear { per: LinearPer },
    /// Time decay with the half-life in microseconds.
    TimeDecay { half_life_us: i64, curve: DecayCurve },
}

/// A validated rule-based attribution model: a [`Shape`] with its [`Options`].
///
/// Rules every anchored shape follows (definitions 1.2; each a documented option where a user
/// could want the other answer):
/// - **Roles** come from milestone times when given, else from explicit roles; the first-touch
///   role is the earliest touch flagged first touch, else the first touch in the window.
/// - **Role stacking** ([`Stacking`]): a touch holding several roles gets the sum of their weights.
/// - **Missing anchor** ([`MissingAnchor`]): redistribute, roll onto the latest touch, or error.
/// - **No middle touches** ([`ShortJourney`]): the middle share goes back to the anchors present
///   in proportion to their weights, so one touch gets 100% and two touches under a first/last
///   shape split `f/(f+l)`, `l/(f+l)`.
/// - **Money**: the weights become integers and the value is split in minor units by largest
///   remainder, ties to the earliest touch (definitions 1.5): credits sum to the value exactly.
///
/// # Example
///
/// The W-shaped worked example of the definitions page: $1,000 over five touches.
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use revops::attribution::Model;
/// use revops::facts::{Journey, Milestones, Touchpoint};
/// use revops::{ChannelId, Currency, JourneyId, Money};
/// use rust_decimal_macros::dec;
///
/// let day = |d: i64| Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap() + TimeDelta::days(d);
/// let touch = |d, channel| -> Result<Touchpoint, revops::Error> {
///     Ok(Touchpoint::new(day(d), ChannelId::new(channel)?))
/// };
/// let journey = Journey::converted(JourneyId::new("deal-1")?, day(60), Money::new(dec!(1000), Currency::USD))
///     .with_milestones(Milestones {
///         lead_created: Some(day(12)),        // T3 webinar is the lead-creation touch
///         opportunity_created: Some(day(38)), // T5 paid search is the opportunity-creation touch
///         closed_won: None,
///     })
///     .with_touch(touch(0, "paid_social")?)
///     .with_touch(touch(5, "organic")?)
///     .with_touch(touch(12, "webinar")?)
///     .with_touch(touch(30, "email")?)
///     .with_touch(touch(38, "paid_search")?);
///
/// let credits = Model::w_shaped().attribute(&journey)?.expect("it converted").credits;
/// let amounts: Vec<_> = credits.iter().map(|c| c.amount.amount()).collect();
/// assert_eq!(amounts, [dec!(300), dec!(50), dec!(300), dec!(50), dec!(300)]);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "ModelRepr", into = "ModelRepr")
)]
pub struct Model {
    shape: Shape,
    options: Options,
    kernel: Kernel,
}

/// Percent scale of the compiled weights: 1% = 10,000 units (four decimals).
const UNITS_PER_PERCENT: i64 = 10_000;
const HUNDRED: u64 = 1_000_000;

fn percent_units(model: &'static str, p: Decimal) -> Result<u64, Error> {
    let scaled = p.checked_mul(Decimal::from(UNITS_PER_PERCENT));
    match scaled {
        Some(s) if !p.is_sign_negative() && s.fract().is_zero() && s <= Decimal::from(HUNDRED) => {
            u64::try_from(s.trunc().mantissa() / 10i128.pow(s.trunc().scale()))
                .map_err(|_| Error::Overflow { op: model })
        }
        _ => Err(Error::InvalidValue {
            field: "attribution weight",
            value: p.to_string(),
            reason: "must be a percent from 0 to 100 with at most 4 decimals",
        }),
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

fn anchored(model: &'static str, slots: [Decimal; SLOTS], middle: Decimal) -> Result<Kernel, Error> {
    let mut units = [0u64; SLOTS];
    for (u, p) in units.iter_mut().zip(slots) {
        *u = percent_units(model, p)?;
    }
    let middle_units = percent_units(model, middle)?;
    let sum: u64 = units.iter().sum::<u64>() + middle_units;
    if sum != HUNDRED {
        let total = slots.iter().fold(middle, |acc, p| acc + *p);
        return Err(Error::WeightsNotHundred { model, sum: total });
    }
    let g = units.iter().fold(middle_units, |g, &u| gcd(g, u)).max(1);
    Ok(Kernel::Anchored { slots: units.map(|u| u / g), middle: middle_units / g })
}

/// The longest duration a definition takes: the kernels count in `i64` microseconds.
const MAX_DURATION_SECONDS: i64 = i64::MAX / 1_000_000;

/// A definition's duration (lookback, half-life) in microseconds, checked: positive, whole
/// seconds (the wire unit, so a definition round-trips) and within [`MAX_DURATION_SECONDS`].
fn duration_micros(field: &'static str, d: TimeDelta) -> Result<i64, Error> {
    if d <= TimeDelta::zero() {
        return Err(Error::NonPositiveDuration { field, seconds: d.num_seconds() });
    }
    let seconds = d.num_seconds();
    let Some(us) = d.num_microseconds().filter(|_| seconds <= MAX_DURATION_SECONDS) else {
        return Err(Error::InvalidValue {
            field,
            value: format!("{seconds} s"),
            reason: "must be at most 9223372036854 s (i64 microseconds)",
        });
    };
    if d.subsec_nanos() != 0 {
        let fraction = format!("{:09}", d.subsec_nanos());
        return Err(Error::InvalidValue {
            field,
            value: format!("{seconds}.{} s", fraction.trim_end_matches('0')),
            reason: "must be a whole number of seconds",
        });
    }
    Ok(us)
}

fn d(units: i64) -> Decimal {
    Decimal::new(units, 1)
}

fn compile(shape: &Shape, options: &Options) -> Result<Kernel, Error> {
    let z = Decimal::ZERO;
    let hundred = Decimal::ONE_HUNDRED;
    let kind = shape.kind();
    let kernel = match *shape {
        Shape::FirstTouch => anchored(kind, [hundred, z, z, z, z, z], z)?,
        Shape::LastTouch | Shape::LastNonDirect => anchored(kind, [z, hundred, z, z, z, z], z)?,
        Shape::LeadCreation => anchored(kind, [z, z, z, hundred, z, z], z)?,
        Shape::Linear { per } => Kernel::Linear { per },
        Shape::PositionBased { first, last } => {
            // Each weight is refused outside 0..=100 first, so the sums below cannot overflow
            // (issue 12: `Decimal::MAX` used to panic here).
            percent_units(kind, first)?;
            percent_units(kind, last)?;
            let middle = hundred - first - last;
            if middle.is_sign_negative() && !middle.is_zero() {
                return Err(Error::WeightsNotHundred { model: kind, sum: first + last });
            }
            anchored(kind, [first, last, z, z, z, z], middle)?
        }
        Shape::UShaped { preset: UPreset::Hubspot } => anchored(kind, [z, z, d(400), d(400), z, z], d(200))?,
        Shape::UShaped { preset: UPreset::Marketo } => anchored(kind, [z, z, d(500), d(500), z, z], z)?,
        Shape::WShaped => anchored(kind, [z, z, d(300), d(300), d(300), z], d(100))?,
        Shape::FullPath => anchored(kind, [z, z, d(225), d(225), d(225), d(225)], d(100))?,
        Shape::JShaped => anchored(kind, [d(200), d(600), z, z, z, z], d(200))?,
        Shape::InverseJ => anchored(kind, [d(600), d(200), z, z, z, z], d(200))?,
        Shape::TimeDecay { half_life, curve } => {
            Kernel::TimeDecay { half_life_us: duration_micros("half-life", half_life)?, curve }
        }
        Shape::Custom { weights: w } => anchored(
            kind,
            [w.first, w.last, w.first_touch, w.lead_creation, w.opportunity_creation, w.closed_won],
            w.middle,
        )?,
    };
    if let Some(lookback) = options.lookback {
        duration_micros("lookback", lookback)?;
    }
    if matches!(shape, Shape::LastNonDirect) && options.excluded.is_empty() {
        return Err(Error::InvalidValue {
            field: "excluded channels",
            value: "[]".to_owned(),
            reason: "last non-direct needs at least one excluded channel",
        });
    }
    Ok(kernel)
}

impl Model {
    /// Validates `shape` with `options`.
    ///
    /// # Errors
    /// - [`Error::WeightsNotHundred`]: custom or position weights do not sum to 100%;
    /// - [`Error::InvalidValue`]: a weight is negative, above 100 or has more than 4 decimals,
    ///   or last non-direct has no excluded channel;
    /// - [`Error::NonPositiveDuration`]: a zero or negative lookback or half-life;
    /// - [`Error::InvalidValue`] for a lookback or half-life that is not a whole number of
    ///   seconds or longer than 9,223,372,036,854 s (the kernels count in `i64` microseconds).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::attribution::{Model, Options, Shape};
    /// use rust_decimal_macros::dec;
    ///
    /// let model = Model::new(Shape::PositionBased { first: dec!(30), last: dec!(50) }, Options::default())?;
    /// assert_eq!(model.shape().kind(), "position_based");
    /// let bad = Model::new(Shape::PositionBased { first: dec!(60), last: dec!(50) }, Options::default());
    /// assert_eq!(bad.unwrap_err().to_string(), "weights of the position_based model sum to 110%, not 100%");
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new(shape: Shape, options: Options) -> Result<Model, Error> {
        let kernel = compile(&shape, &options)?;
        Ok(Model { shape, options, kernel })
    }

    fn preset(shape: Shape, options: Options) -> Model {
        // The presets' weights are constants that compile; the fallback is unreachable.
        let kernel = compile(&shape, &options).unwrap_or(Kernel::Linear { per: LinearPer::Touch });
        Model { shape, options, kernel }
    }

    /// First touch.
    #[must_use]
    pub fn first_touch() -> Model {
        Model::preset(Shape::FirstTouch, Options::default())
    }

    /// Last touch.
    #[must_use]
    pub fn last_touch() -> Model {
        Model::preset(Shape::LastTouch, Options::default())
    }

    /// Last non-direct touch, excluding the channel `direct`.
    #[must_use]
    pub fn last_non_direct() -> Model {
        let excluded = ChannelId::new("direct").into_iter().collect();
        Model::preset(Shape::LastNonDirect, Options { excluded, ..Options::default() })
    }

    /// Lead creation.
    #[must_use]
    pub fn lead_creation() -> Model {
        Model::preset(Shape::LeadCreation, Options::default())
    }

    /// Linear per touch.
    #[must_use]
    pub fn linear() -> Model {
        Model::preset(Shape::Linear { per: LinearPer::Touch }, Options::default())
    }

    /// Position-based 40/20/40.
    #[must_use]
    pub fn position_based() -> Model {
        Model::preset(Shape::PositionBased { first: d(400), last: d(400) }, Options::default())
    }

    /// U-shaped with `preset`.
    #[must_use]
    pub fn u_shaped(preset: UPreset) -> Model {
        Model::preset(Shape::UShaped { preset }, Options::default())
    }

    /// W-shaped 30/30/30/10.
    #[must_use]
    pub fn w_shaped() -> Model {
        Model::preset(Shape::WShaped, Options::default())
    }

    /// Full path 22.5 x 4 / 10.
    #[must_use]
    pub fn full_path() -> Model {
        Model::preset(Shape::FullPath, Options::default())
    }

    /// J-shaped 20/20/60.
    #[must_use]
    pub fn j_shaped() -> Model {
        Model::preset(Shape::JShaped, Options::default())
    }

    /// Inverse J 60/20/20.
    #[must_use]
    pub fn inverse_j() -> Model {
        Model::preset(Shape::InverseJ, Options::default())
    }

    /// Continuous time decay with `half_life`.
    ///
    /// # Errors
    /// [`Error::NonPositiveDuration`] if `half_life` is not positive; [`Error::InvalidValue`] if
    /// it is not whole seconds or longer than 9,223,372,036,854 s.
    pub fn time_decay(half_life: TimeDelta) -> Result<Model, Error> {
        Model::new(Shape::TimeDecay { half_life, curve: DecayCurve::Continuous }, Options::default())
    }

    /// The same model with a lookback window.
    ///
    /// # Errors
    /// [`Error::NonPositiveDuration`] if `lookback` is not positive; [`Error::InvalidValue`] if
    /// it is not whole seconds or longer than 9,223,372,036,854 s.
    pub fn with_lookback(self, lookback: TimeDelta) -> Result<Model, Error> {
        Model::new(self.shape, Options { lookback: Some(lookback), ..self.options })
    }

    /// The same model with `channel` excluded.
    #[must_use]
    pub fn excluding(mut self, channel: ChannelId) -> Model {
        self.options.excluded.insert(channel);
        self
    }

    /// The same model with the missing-anchor policy `policy`.
    #[must_use]
    pub const fn with_missing_anchor(mut self, policy: MissingAnchor) -> Model {
        self.options.missing_anchor = policy;
        self
    }

    /// The same model with the role-stacking rule `stacking`.
    #[must_use]
    pub const fn with_stacking(mut self, stacking: Stacking) -> Model {
        self.options.stacking = stacking;
        self
    }

    /// The same model with the short-journey rule `rule`.
    #[must_use]
    pub const fn with_short_journey(mut self, rule: ShortJourney) -> Model {
        self.options.short_journey = rule;
        self
    }

    /// The shape.
    #[must_use]
    pub const fn shape(&self) -> &Shape {
        &self.shape
    }

    /// The options.
    #[must_use]
    pub const fn options(&self) -> &Options {
        &self.options
    }

    /// A short label for reports, e.g. `w_shaped` or `u_shaped_marketo`.
    #[must_use]
    pub const fn label(&self) -> &'static str {
        match self.shape {
            Shape::UShaped { preset: UPreset::Marketo } => "u_shaped_marketo",
            Shape::Linear { per: LinearPer::Channel } => "linear_per_channel",
            Shape::TimeDecay { curve: DecayCurve::Step, .. } => "time_decay_step",
            ref s => s.kind(),
        }
    }

    pub(crate) const fn kernel(&self) -> &Kernel {
        &self.kernel
    }
}

/// Wire shape of [`Model`]; private so the format can change freely.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelRepr {
    shape: Shape,
    #[serde(default, with = "opt_seconds", rename = "lookback_seconds", skip_serializing_if = "Option::is_none")]
    lookback: Option<TimeDelta>,
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    excluded: BTreeSet<ChannelId>,
    #[serde(default)]
    missing_anchor: MissingAnchor,
    #[serde(default)]
    stacking: Stacking,
    #[serde(default)]
    short_journey: ShortJourney,
}

#[cfg(feature = "serde")]
impl TryFrom<ModelRepr> for Model {
    type Error = Error;
    fn try_from(r: ModelRepr) -> Result<Model, Error> {
        let options = Options {
            lookback: r.lookback,
            excluded: r.excluded,
            missing_anchor: r.missing_anchor,
            stacking: r.stacking,
            short_journey: r.short_journey,
        };
        Model::new(r.shape, options)
    }
}

#[cfg(feature = "serde")]
impl From<Model> for ModelRepr {
    fn from(m: Model) -> ModelRepr {
        let o = m.options;
        ModelRepr {
            shape: m.shape,
            lookback: o.lookback,
            excluded: o.excluded,
            missing_anchor: o.missing_anchor,
            stacking: o.stacking,
            short_journey: o.short_journey,
        }
    }
}

/// `TimeDelta` as whole seconds on the wire.
#[cfg(feature = "serde")]
mod seconds {
    use chrono::TimeDelta;
    use serde::{Deserialize, Deserializer, Serializer};

    #[allow(clippy::trivially_copy_pass_by_ref)] // serde's `with` signature
    pub(super) fn serialize<S: Serializer>(d: &TimeDelta, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(d.num_seconds())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<TimeDelta, D::Error> {
        let secs = i64::deserialize(d)?;
        TimeDelta::try_seconds(secs).ok_or_else(|| serde::de::Error::custom("seconds out of range"))
    }
}

/// `Option<TimeDelta>` as whole seconds on the wire.
#[cfg(feature = "serde")]
mod opt_seconds {
    use chrono::TimeDelta;
    use serde::{Deserialize, Deserializer, Serializer};

    #[allow(clippy::ref_option)] // serde's `with` signature
    pub(super) fn serialize<S: Serializer>(d: &Option<TimeDelta>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_some(&d.num_seconds()),
            None => s.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<TimeDelta>, D::Error> {
        Option::<i64>::deserialize(d)?
            .map(|secs| TimeDelta::try_seconds(secs).ok_or_else(|| serde::de::Error::custom("seconds out of range")))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn presets_compile_to_reduced_integer_weights() {
        assert_eq!(*Model::w_shaped().kernel(), Kernel::Anchored { slots: [0, 0, 3, 3, 3, 0], middle: 1 });
        assert_eq!(*Model::full_path().kernel(), Kernel::Anchored { slots: [0, 0, 9, 9, 9, 9], middle: 4 });
        assert_eq!(*Model::first_touch().kernel(), Kernel::Anchored { slots: [1, 0, 0, 0, 0, 0], middle: 0 });
        assert_eq!(*Model::j_shaped().kernel(), Kernel::Anchored { slots: [1, 3, 0, 0, 0, 0], middle: 1 });
        assert_eq!(Model::u_shaped(UPreset::Marketo).label(), "u_shaped_marketo");
        assert_eq!(Model::last_non_direct().options().excluded.len(), 1);
    }

    #[test]
    fn bad_definitions_are_typed_errors() {
        let w = CustomWeights { first: dec!(50), last: dec!(40), ..CustomWeights::default() };
        assert_eq!(
            Model::new(Shape::Custom { weights: w }, Options::default()).unwrap_err(),
            Error::WeightsNotHundred { model: "custom", sum: dec!(90) }
        );
        let w = CustomWeights { first: dec!(-10), last: dec!(110), ..CustomWeights::default() };
        assert!(matches!(
            Model::new(Shape::Custom { weights: w }, Options::default()),
            Err(Error::InvalidValue { .. })
        ));
        let w = CustomWeights { first: dec!(33.33333), last: dec!(66.66667), ..CustomWeights::default() };
        assert!(matches!(
            Model::new(Shape::Custom { weights: w }, Options::default()),
            Err(Error::InvalidValue { .. })
        ));
        let err = Model::linear().with_lookback(TimeDelta::zero()).unwrap_err();
        assert_eq!(err.to_string(), "lookback must be positive, got 0 s");
        let err = Model::time_decay(TimeDelta::seconds(-5)).unwrap_err();
        assert_eq!(err, Error::NonPositiveDuration { field: "half-life", seconds: -5 });
        let err = Model::new(Shape::LastNonDirect, Options::default()).unwrap_err();
        assert!(err.to_string().starts_with("invalid excluded channels"));
    }

    /// Issue 12 item 1: weights near `Decimal`'s range ends are refused, never a panic.
    #[test]
    fn position_weights_at_the_decimal_range_ends_are_refused() {
        for (first, last) in [
            (Decimal::MAX, dec!(1)),
            (dec!(1), Decimal::MAX),
            (Decimal::MAX, Decimal::MAX),
            (Decimal::MIN, dec!(0)),
            (dec!(0), Decimal::MIN),
            (Decimal::MIN, Decimal::MAX),
        ] {
            let err = Model::new(Shape::PositionBased { first, last }, Options::default()).unwrap_err();
            assert!(matches!(err, Error::InvalidValue { field: "attribution weight", .. }), "{first} {last}: {err}");
        }
        let max = CustomWeights { first: Decimal::MAX, middle: Decimal::MAX, ..CustomWeights::default() };
        assert!(matches!(
            Model::new(Shape::Custom { weights: max }, Options::default()),
            Err(Error::InvalidValue { .. })
        ));
    }

    /// Issue 12 item 10: a duration past `i64` microseconds is "too long", not "not positive";
    /// sub-second durations are refused (the wire has whole seconds, so they would not round-trip).
    #[test]
    fn durations_out_of_range_are_named_as_such() {
        let err = Model::linear().with_lookback(TimeDelta::MAX).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid lookback \"9223372036854775 s\": must be at most 9223372036854 s (i64 microseconds)"
        );
        let err = Model::time_decay(TimeDelta::MAX).unwrap_err();
        assert!(matches!(err, Error::InvalidValue { field: "half-life", .. }), "{err}");
        let longest = TimeDelta::try_seconds(9_223_372_036_854).unwrap();
        assert!(Model::linear().with_lookback(longest).is_ok());
        assert!(Model::time_decay(longest).is_ok());
        assert!(Model::linear().with_lookback(longest + TimeDelta::seconds(1)).is_err());
        let err = Model::linear().with_lookback(TimeDelta::milliseconds(1_500)).unwrap_err();
        assert_eq!(err.to_string(), "invalid lookback \"1.5 s\": must be a whole number of seconds");
        let err = Model::time_decay(TimeDelta::milliseconds(-500)).unwrap_err();
        assert_eq!(err, Error::NonPositiveDuration { field: "half-life", seconds: 0 });
        assert_eq!(
            Model::linear().with_lookback(TimeDelta::MIN).unwrap_err().to_string(),
            format!("lookback must be positive, got {} s", TimeDelta::MIN.num_seconds())
        );
    }

    #[cfg(feature = "serde")]
    #[test]
    fn models_are_data() {
        let m = Model::time_decay(TimeDelta::days(7)).unwrap().with_lookback(TimeDelta::days(90)).unwrap();
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(
            json,
            r#"{"shape":{"kind":"time_decay","half_life_seconds":604800,"curve":"continuous"},"lookback_seconds":7776000,"missing_anchor":"redistribute","stacking":"sum","short_journey":"proportional"}"#
        );
        assert_eq!(serde_json::from_str::<Model>(&json).unwrap(), m);
        let bad = r#"{"shape":{"kind":"position_based","first":"70","last":"40"}}"#;
        assert!(serde_json::from_str::<Model>(bad).unwrap_err().to_string().contains("not 100%"));
        let huge = r#"{"shape":{"kind":"position_based","first":"79228162514264337593543950335","last":"1"}}"#;
        assert!(serde_json::from_str::<Model>(huge).unwrap_err().to_string().contains("invalid attribution weight"));
        let huge = r#"{"shape":{"kind":"position_based","first":"-79228162514264337593543950335","last":"0"}}"#;
        assert!(serde_json::from_str::<Model>(huge).unwrap_err().to_string().contains("invalid attribution weight"));
        let long = r#"{"shape":{"kind":"linear"},"lookback_seconds":9223372036854775}"#;
        assert!(serde_json::from_str::<Model>(long).unwrap_err().to_string().contains("must be at most"));
        let typo = r#"{"shape":{"kind":"w_shaped"},"stackin":"sum"}"#;
        assert!(serde_json::from_str::<Model>(typo).is_err());
    }
}
