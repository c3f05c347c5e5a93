//! The wire shape of [`Model`](super::Model) (feature `serde`).

use std::collections::BTreeSet;

use chrono::TimeDelta;

use super::{MiddleSpan, MissingAnchor, Model, Options, Shape, ShortJourney, Stacking};
use crate::{ChannelId, Error};

/// Wire shape of [`Model`]: the format documented on [`Model`] ("Wire format"), which is
/// stable. Changing a key, a default or a spelling here is a breaking change of the crate.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub(super) struct ModelRepr {
    /// Which touches get which share.
    shape: Shape,
    /// Only touches at most this long before the conversion count (none: every touch): a
    /// wall-clock duration, `"90d"`.
    #[serde(default, with = "crate::wire::duration::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::wire::schema::WallDuration>"))]
    lookback: Option<TimeDelta>,
    /// Channels whose touches get no credit (`last_non_direct` needs at least one).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    excluded: BTreeSet<ChannelId>,
    /// What happens to a role's share when the journey has no touch for the role.
    #[serde(default)]
    missing_anchor: MissingAnchor,
    /// How shares add up when one touch holds several positions or roles.
    #[serde(default)]
    stacking: Stacking,
    /// How a journey with fewer touches than the shape's anchors is credited.
    #[serde(default)]
    short_journey: ShortJourney,
    /// Which touches share the middle: every other touch (default) or those between two roles.
    #[serde(default, skip_serializing_if = "is_all_others")]
    middle: MiddleSpan,
}

#[allow(clippy::trivially_copy_pass_by_ref, reason = "serde passes the field by reference")]
fn is_all_others(m: &MiddleSpan) -> bool {
    *m == MiddleSpan::AllOthers
}

impl TryFrom<ModelRepr> for Model {
    type Error = Error;
    fn try_from(r: ModelRepr) -> Result<Model, Error> {
        let options = Options {
            lookback: r.lookback,
            excluded: r.excluded,
            missing_anchor: r.missing_anchor,
            stacking: r.stacking,
            short_journey: r.short_journey,
            middle: r.middle,
        };
        Model::new(r.shape, options)
    }
}

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
            middle: o.middle,
        }
    }
}
