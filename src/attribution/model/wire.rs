//! The wire shape of [`Model`](super::Model) (feature `serde`).

use std::collections::BTreeSet;

use chrono::TimeDelta;

use super::{MissingAnchor, Model, Options, Shape, ShortJourney, Stacking};
use crate::{ChannelId, Error};

/// Wire shape of [`Model`]: the format documented on [`Model`] ("Wire format"), which is
/// stable. Changing a key, a default or a spelling here is a breaking change of the crate.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub(super) struct ModelRepr {
    /// Which touches get which share.
    shape: Shape,
    /// Only touches at most this many seconds before the conversion count (none: every touch).
    #[serde(default, with = "opt_seconds", rename = "lookback_seconds", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<i64>"))]
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
        }
    }
}

/// `TimeDelta` as whole seconds on the wire.
pub(in crate::attribution::model) mod seconds {
    use chrono::TimeDelta;
    use serde::{Deserialize, Deserializer, Serializer};

    #[allow(clippy::trivially_copy_pass_by_ref)] // serde's `with` signature
    pub(in crate::attribution::model) fn serialize<S: Serializer>(d: &TimeDelta, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(d.num_seconds())
    }

    pub(in crate::attribution::model) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<TimeDelta, D::Error> {
        let secs = i64::deserialize(d)?;
        TimeDelta::try_seconds(secs).ok_or_else(|| serde::de::Error::custom("seconds out of range"))
    }
}

/// `Option<TimeDelta>` as whole seconds on the wire.
pub(super) mod opt_seconds {
    use chrono::TimeDelta;
    use serde::{Deserialize, Deserializer, Serializer};

    #[allow(clippy::ref_option)] // serde's `with` signature
    pub(in crate::attribution::model) fn serialize<S: Serializer>(
        d: &Option<TimeDelta>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_some(&d.num_seconds()),
            None => s.serialize_none(),
        }
    }

    pub(in crate::attribution::model) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<TimeDelta>, D::Error> {
        Option::<i64>::deserialize(d)?
            .map(|secs| TimeDelta::try_seconds(secs).ok_or_else(|| serde::de::Error::custom("seconds out of range")))
            .transpose()
    }
}
