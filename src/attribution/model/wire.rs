//! The wire shape of [`Model`](super::Model) (feature `serde`).

use std::collections::BTreeSet;

use chrono::TimeDelta;

use super::{MissingAnchor, Model, Options, Shape, ShortJourney, Stacking};
use crate::{ChannelId, Error};

/// Wire shape of [`Model`]: the format documented on [`Model`] ("Wire format"), which is
/// stable. Changing a key, a default or a spelling here is a breaking change of the crate.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ModelRepr {
    shape: Shape,
    #[serde(default, with = "crate::wire::duration::option", skip_serializing_if = "Option::is_none")]
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
