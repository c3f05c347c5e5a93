//! Rule-based attribution models as data: a shape (role or position weights plus a rule for the
//! rest) and options (lookback window, exclusions, missing-anchor policy, role stacking,
//! short-journey rule), validated on construction and on deserialize ([definitions
//! 1.2](crate::definitions::attribution#12-rule-based-models)).

use chrono::TimeDelta;

mod compile;
mod options;
mod shape;
#[cfg(feature = "serde")]
mod wire;

pub(crate) use self::compile::{Kernel, SLOTS};
use self::compile::{compile, d};
pub use self::options::{MiddleSpan, MissingAnchor, Options, ShortJourney, Stacking};
pub use self::shape::{CustomWeights, DecayCurve, LinearPer, Shape, UPreset};
use crate::{ChannelId, Error};

/// A validated rule-based attribution model: a [`Shape`] with its [`Options`].
///
/// Rules every anchored shape follows ([definitions
/// 1.2](crate::definitions::attribution#12-rule-based-models); each a documented option where a
/// user could want the other answer):
/// - **Roles** come from milestone times when given, else from explicit roles; the first-touch
///   role is the earliest touch flagged first touch, else the first touch in the window.
/// - **Role stacking** ([`Stacking`]): a touch holding several roles gets the sum of their weights.
/// - **Missing anchor** ([`MissingAnchor`]): redistribute, roll onto the latest touch, or error.
/// - **No middle touches** ([`ShortJourney`]): the middle share goes back to the anchors present
///   in proportion to their weights, so one touch gets 100% and two touches under a first/last
///   shape split `f/(f+l)`, `l/(f+l)`.
/// - **Money**: the weights become integers and the value is split in minor units by largest
///   remainder, ties to the earliest touch ([definitions
///   1.5](crate::definitions::attribution#15-exactness)): credits sum to the value exactly.
///
/// # Example
///
/// The W-shaped worked example of the
/// [definitions](crate::definitions::attribution#12-rule-based-models): $1,000 over five touches.
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
#[cfg_attr(feature = "serde", doc = include_str!("wire_format/model.md"))]
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "wire::ModelRepr", into = "wire::ModelRepr")
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Model {
    shape: Shape,
    options: Options,
    kernel: Kernel,
}

impl Model {
    /// Validates `shape` with `options`.
    ///
    /// # Errors
    /// - [`ErrorKind::WeightsNotHundred`](crate::ErrorKind::WeightsNotHundred): custom or position weights do not sum to 100%;
    /// - [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue): a weight is negative, above 100 or has more than 4 decimals,
    ///   or last non-direct has no excluded channel;
    /// - [`ErrorKind::NonPositiveDuration`](crate::ErrorKind::NonPositiveDuration): a zero or negative lookback or half-life;
    /// - [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) for a lookback or half-life that is not a whole number of
    ///   seconds or longer than 9,223,372,036 s, about 292 years (the kernels count in `i64` nanoseconds).
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
    /// [`ErrorKind::NonPositiveDuration`](crate::ErrorKind::NonPositiveDuration) if `half_life` is not positive; [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) if
    /// it is not whole seconds or longer than 9,223,372,036,854 s.
    pub fn time_decay(half_life: TimeDelta) -> Result<Model, Error> {
        Model::new(Shape::TimeDecay { half_life, curve: DecayCurve::Continuous }, Options::default())
    }

    /// The same model with a lookback window.
    ///
    /// # Errors
    /// [`ErrorKind::NonPositiveDuration`](crate::ErrorKind::NonPositiveDuration) if `lookback` is not positive; [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) if
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

    /// The same model with the middle share spread over `span` ([`MiddleSpan`]).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) if the span's roles are not
    /// in funnel order or the shape has no middle share (as [`Model::new`]).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::attribution::{MiddleSpan, Model};
    /// use revops::facts::Role;
    ///
    /// let span = MiddleSpan::Between { from: Role::FirstTouch, to: Role::LeadCreation };
    /// let model = Model::w_shaped().with_middle_span(span)?;
    /// assert_eq!(model.options().middle, span);
    /// let backwards = MiddleSpan::Between { from: Role::LeadCreation, to: Role::FirstTouch };
    /// assert!(Model::w_shaped().with_middle_span(backwards).is_err());
    /// assert!(Model::linear().with_middle_span(span).is_err()); // no middle share
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn with_middle_span(self, span: MiddleSpan) -> Result<Model, Error> {
        let mut options = self.options;
        options.middle = span;
        Model::new(self.shape, options)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;
    use rust_decimal::Decimal;
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
            ErrorKind::WeightsNotHundred { model: "custom", sum: dec!(90) }
        );
        let w = CustomWeights { first: dec!(-10), last: dec!(110), ..CustomWeights::default() };
        assert!(matches!(
            Model::new(Shape::Custom { weights: w }, Options::default()).as_ref().map_err(crate::error::Error::kind),
            Err(ErrorKind::InvalidValue { .. })
        ));
        let w = CustomWeights { first: dec!(33.33333), last: dec!(66.66667), ..CustomWeights::default() };
        assert!(matches!(
            Model::new(Shape::Custom { weights: w }, Options::default()).as_ref().map_err(crate::error::Error::kind),
            Err(ErrorKind::InvalidValue { .. })
        ));
        let err = Model::linear().with_lookback(TimeDelta::zero()).unwrap_err();
        assert_eq!(err.to_string(), "lookback must be positive, got 0 s");
        let err = Model::time_decay(TimeDelta::seconds(-5)).unwrap_err();
        assert_eq!(err, ErrorKind::NonPositiveDuration { field: "half-life", seconds: -5 });
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
            assert!(
                matches!(err.kind(), ErrorKind::InvalidValue { field: "attribution weight", .. }),
                "{first} {last}: {err}"
            );
        }
        let max = CustomWeights { first: Decimal::MAX, middle: Decimal::MAX, ..CustomWeights::default() };
        assert!(matches!(
            Model::new(Shape::Custom { weights: max }, Options::default()).as_ref().map_err(crate::error::Error::kind),
            Err(ErrorKind::InvalidValue { .. })
        ));
    }

    /// Issue 12 item 10: a duration past `i64` nanoseconds is "too long", not "not positive";
    /// sub-second durations are refused (the wire has whole seconds, so they would not round-trip).
    #[test]
    fn durations_out_of_range_are_named_as_such() {
        let err = Model::linear().with_lookback(TimeDelta::MAX).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid lookback \"9223372036854775 s\": must be at most 9223372036 s (i64 nanoseconds, about 292 years)"
        );
        let err = Model::time_decay(TimeDelta::MAX).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::InvalidValue { field: "half-life", .. }), "{err}");
        let longest = TimeDelta::try_seconds(9_223_372_036).unwrap();
        assert!(Model::linear().with_lookback(longest).is_ok());
        assert!(Model::time_decay(longest).is_ok());
        assert!(Model::linear().with_lookback(longest + TimeDelta::seconds(1)).is_err());
        let err = Model::linear().with_lookback(TimeDelta::milliseconds(1_500)).unwrap_err();
        assert_eq!(err.to_string(), "invalid lookback \"1.5 s\": must be a whole number of seconds");
        let err = Model::time_decay(TimeDelta::milliseconds(-500)).unwrap_err();
        assert_eq!(err, ErrorKind::NonPositiveDuration { field: "half-life", seconds: 0 });
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
            r#"{"shape":{"kind":"time_decay","half_life":"7d","curve":"continuous"},"lookback":"90d","missing_anchor":"redistribute","stacking":"sum","short_journey":"proportional"}"#
        );
        assert_eq!(serde_json::from_str::<Model>(&json).unwrap(), m);
        let bad = r#"{"shape":{"kind":"position_based","first":"70","last":"40"}}"#;
        assert!(serde_json::from_str::<Model>(bad).unwrap_err().to_string().contains("not 100%"));
        let huge = r#"{"shape":{"kind":"position_based","first":"79228162514264337593543950335","last":"1"}}"#;
        assert!(serde_json::from_str::<Model>(huge).unwrap_err().to_string().contains("invalid attribution weight"));
        let huge = r#"{"shape":{"kind":"position_based","first":"-79228162514264337593543950335","last":"0"}}"#;
        assert!(serde_json::from_str::<Model>(huge).unwrap_err().to_string().contains("invalid attribution weight"));
        let long = r#"{"shape":{"kind":"linear"},"lookback":"300000d"}"#;
        assert!(serde_json::from_str::<Model>(long).unwrap_err().to_string().contains("must be at most"));
        // Durations are text with their unit: a bare number, business time or a negative
        // duration do not load; other spellings load and are written back canonically.
        for bad in [r#""lookback":7776000"#, r#""lookback":"2 business days""#, r#""lookback":"-1d""#] {
            let json = format!(r#"{{"shape":{{"kind":"linear"}},{bad}}}"#);
            assert!(serde_json::from_str::<Model>(&json).is_err(), "{bad}");
        }
        let iso = r#"{"shape":{"kind":"time_decay","half_life":"PT168H"},"lookback":"2160h"}"#;
        assert_eq!(serde_json::from_str::<Model>(iso).unwrap(), m);
        let typo = r#"{"shape":{"kind":"w_shaped"},"stackin":"sum"}"#;
        assert!(serde_json::from_str::<Model>(typo).is_err());
    }
}
