//! The options every rule-based model takes: lookback, exclusions and the rules for missing
//! anchors, stacked roles and short journeys ([definitions 1.1, 1.2](crate::definitions::attribution)).

use std::collections::BTreeSet;

use chrono::TimeDelta;

use crate::ChannelId;
use crate::facts::Role;
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

/// Which touches share an anchored shape's middle ("the rest") share.
///
/// - `all_others` (the default, HubSpot's rule): every touch in the window that holds no
///   weighted position or role.
/// - `between { from, to }` (Marketo Measure's rule, e.g. U-shaped's 20% "between first touch
///   and lead creation"): only the touches holding no weighted anchor that lie strictly
///   between the touch holding role `from` and the touch holding role `to` (by position in
///   the window). Other non-anchor touches get a zero `middle` credit line. When the span holds
///   no such touch (an end missing, the two ends adjacent or in the wrong order), the journey
///   has no middle and the [`ShortJourney`] rule gives the middle share back to the anchors.
///
/// `from` must come before `to` in funnel order (first touch, lead creation, opportunity
/// creation, closed won), and the shape must be anchored with a middle share: a span on
/// linear, time decay or a shape without a middle is refused ([`ErrorKind::InvalidValue`]).
///
/// # Wire format
///
/// The model's `middle` key: `"all_others"` (the default, left out when serializing) or
/// `{ "between": { "from": "first_touch", "to": "lead_creation" } }`, each role in snake case.
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
/// use revops::attribution::{MiddleSpan, Model, Options, Shape, UPreset};
/// use revops::facts::Role;
///
/// // HubSpot U-shaped 40/40/20; first touch day 1, lead created day 5, touches after it.
/// let path = journey(dec!(100), &[(1, "paid_social"), (3, "email"), (5, "webinar"), (8, "email"), (9, "direct")])?
///     .with_milestones(Milestones { lead_created: Some(day(5)), ..Milestones::default() });
/// let u = Shape::UShaped { preset: UPreset::Hubspot };
/// // All others: 20% over days 3, 8 and 9 (6.67, 6.67, 6.66 by largest remainder).
/// let all = Model::new(u, Options::default())?;
/// assert_eq!(amounts(all.attribute(&path)?), Some(vec![dec!(40), dec!(6.67), dec!(40), dec!(6.67), dec!(6.66)]));
/// // Marketo Measure: 20% only to the touches between first touch and lead creation (day 3).
/// let between = MiddleSpan::Between { from: Role::FirstTouch, to: Role::LeadCreation };
/// let marketo = Model::new(u, Options { middle: between, ..Options::default() })?;
/// assert_eq!(amounts(marketo.attribute(&path)?), Some(vec![dec!(40), dec!(20), dec!(40), dec!(0), dec!(0)]));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum MiddleSpan {
    /// Every touch holding no weighted anchor (the default).
    #[default]
    AllOthers,
    /// Only the non-anchor touches strictly between the touches of two roles.
    Between {
        /// The role whose touch opens the span (exclusive).
        from: Role,
        /// The role whose touch closes the span (exclusive); later in funnel order than `from`.
        to: Role,
    },
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
    /// Which touches share the middle.
    pub middle: MiddleSpan,
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, TimeDelta, TimeZone, Utc};
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;

    use super::*;
    use crate::attribution::{Model, Rule, UPreset};
    use crate::facts::{Journey, Milestones, Touchpoint};
    use crate::{Currency, JourneyId, Money};

    fn day(d: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap() + TimeDelta::try_days(d).unwrap()
    }

    fn journey(days: &[i64], milestones: Milestones) -> Journey {
        let mut j = Journey::converted(JourneyId::new("j").unwrap(), day(60), Money::new(dec!(100.00), Currency::USD))
            .with_milestones(milestones);
        for &d in days {
            j = j.with_touch(Touchpoint::new(day(d), ChannelId::new(format!("c{d}")).unwrap()));
        }
        j
    }

    fn amounts(model: &Model, j: &Journey) -> Vec<Decimal> {
        model.attribute(j).unwrap().unwrap().credits.iter().map(|c| c.amount.amount()).collect()
    }

    fn between(from: Role, to: Role) -> MiddleSpan {
        MiddleSpan::Between { from, to }
    }

    #[test]
    fn the_middle_goes_to_the_span_only() {
        // By hand: U 40/40/20, first touch day 1, lead created day 7; three touches between
        // (days 2, 3, 5) share 20.00: 6.67, 6.67, 6.66 (largest remainder, earliest first);
        // days 8 and 9, after lead creation, get 0.
        let lead = Milestones { lead_created: Some(day(7)), ..Milestones::default() };
        let j = journey(&[1, 2, 3, 5, 7, 8, 9], lead);
        let m =
            Model::u_shaped(UPreset::Hubspot).with_middle_span(between(Role::FirstTouch, Role::LeadCreation)).unwrap();
        let want = [dec!(40), dec!(6.67), dec!(6.67), dec!(6.66), dec!(40), dec!(0), dec!(0)];
        assert_eq!(amounts(&m, &j), want);
        let rules: Vec<Rule> = m.attribute(&j).unwrap().unwrap().credits.iter().map(|c| c.rule).collect();
        assert_eq!(rules.last(), Some(&Rule::Middle)); // a zero middle line outside the span
        // Every other touch (the default): 20 / 5 = 4.00 each.
        let all = Model::u_shaped(UPreset::Hubspot);
        assert_eq!(amounts(&all, &j), [dec!(40), dec!(4), dec!(4), dec!(4), dec!(40), dec!(4), dec!(4)]);
    }

    #[test]
    fn an_empty_span_gives_the_middle_back_to_the_anchors() {
        // W 30/30/30/10 spanning first touch (day 1) to opportunity creation (day 3): the only
        // touch between is the lead-creation anchor (day 2), so no middle: 10 goes back in
        // proportion, 100/3 each: 33.34, 33.33, 33.33; days 4 and 5 get 0.
        let ms = Milestones { lead_created: Some(day(2)), opportunity_created: Some(day(3)), closed_won: None };
        let j = journey(&[1, 2, 3, 4, 5], ms);
        let m = Model::w_shaped().with_middle_span(between(Role::FirstTouch, Role::OpportunityCreation)).unwrap();
        assert_eq!(amounts(&m, &j), [dec!(33.34), dec!(33.33), dec!(33.33), dec!(0), dec!(0)]);
        // A missing end (no opportunity yet): FT and LC hold 30 each, OC's 30 and the middle
        // 10 go back in proportion: 50 and 50.
        let lead = Milestones { lead_created: Some(day(3)), ..Milestones::default() };
        let j = journey(&[1, 2, 3, 4], lead);
        assert_eq!(amounts(&m, &j), [dec!(50), dec!(0), dec!(50), dec!(0)]);
        // DP6's split-evenly rule with an empty span: 10 / 3 to each anchor on top of 30.
        let even = m.with_short_journey(ShortJourney::SplitMiddleEvenly);
        let j = journey(&[1, 2, 3, 4, 5], ms);
        assert_eq!(amounts(&even, &j), [dec!(33.34), dec!(33.33), dec!(33.33), dec!(0), dec!(0)]);
    }

    #[test]
    fn bad_spans_are_refused_naming_the_reason() {
        let err = |m: Result<Model, crate::Error>| m.unwrap_err().to_string();
        assert_eq!(
            err(Model::w_shaped().with_middle_span(between(Role::LeadCreation, Role::LeadCreation))),
            "invalid middle span \"between lead_creation and lead_creation\": the span's first role must come before its last in funnel order"
        );
        assert_eq!(
            err(Model::u_shaped(UPreset::Marketo).with_middle_span(between(Role::FirstTouch, Role::LeadCreation))),
            "invalid middle span \"between first_touch and lead_creation\": a middle span needs an anchored shape with a middle share"
        );
        assert!(
            Model::time_decay(TimeDelta::try_days(7).unwrap())
                .unwrap()
                .with_middle_span(between(Role::FirstTouch, Role::ClosedWon))
                .is_err()
        );
        assert!(Model::linear().with_middle_span(MiddleSpan::AllOthers).is_ok());
    }

    #[cfg(feature = "serde")]
    #[test]
    fn the_span_is_on_the_wire_and_absent_by_default() {
        let m =
            Model::u_shaped(UPreset::Hubspot).with_middle_span(between(Role::FirstTouch, Role::LeadCreation)).unwrap();
        let json = serde_json::to_string(&m).unwrap();
        assert!(json.ends_with(r#""middle":{"between":{"from":"first_touch","to":"lead_creation"}}}"#), "{json}");
        assert_eq!(serde_json::from_str::<Model>(&json).unwrap(), m);
        assert!(!serde_json::to_string(&Model::u_shaped(UPreset::Hubspot)).unwrap().contains("middle"));
        let backwards = json
            .replace(r#""from":"first_touch","to":"lead_creation""#, r#""from":"lead_creation","to":"first_touch""#);
        let e = serde_json::from_str::<Model>(&backwards).unwrap_err().to_string();
        assert!(e.contains("must come before its last"), "{e}");
    }
}
