//! The options every rule-based model takes: lookback, exclusions and the rules for missing
//! anchors, stacked roles and short journeys (definitions 1.1, 1.2).

use std::collections::BTreeSet;

use chrono::TimeDelta;

use crate::ChannelId;
#[cfg(doc)]
use crate::{Error, ErrorKind};

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
    /// still open); its credit line is marked [`Anchors::PENDING`](crate::attribution::Anchors::PENDING).
    RollToLatest,
    /// [`ErrorKind::MissingAnchor`] naming the journey and the role.
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
