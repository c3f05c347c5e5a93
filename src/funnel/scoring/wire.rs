//! The wire shape of [`ScoringModel`] (feature `serde`): deserializing runs the builder's checks.

use super::{Decay, ScoreGroup, ScoringModel, ScoringModelBuilder};
use crate::Error;

/// Wire shape of [`ScoringModel`] (the index is rebuilt on read): the format documented on
/// [`ScoringModel`] ("Wire format"), which is stable. Changing a key, a default or a spelling here
/// is a breaking change of the crate.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub(super) struct ScoringRepr {
    /// The point rules, in capped groups (unique keys; each score's signals unique).
    groups: Vec<ScoreGroup>,
    /// The most points the fit score totals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fit_cap: Option<i64>,
    /// The most points the engagement score totals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    engagement_cap: Option<i64>,
    /// The most points the combined fit + engagement total reaches (after the kind caps);
    /// absent for no cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    total_cap: Option<i64>,
    /// How engagement points fade with the activity's age.
    #[serde(default)]
    decay: Decay,
}

impl TryFrom<ScoringRepr> for ScoringModel {
    type Error = Error;
    fn try_from(r: ScoringRepr) -> Result<ScoringModel, Error> {
        ScoringModelBuilder {
            groups: r.groups,
            fit_cap: r.fit_cap,
            engagement_cap: r.engagement_cap,
            total_cap: r.total_cap,
            decay: r.decay,
        }
        .build()
    }
}

impl From<ScoringModel> for ScoringRepr {
    fn from(m: ScoringModel) -> ScoringRepr {
        ScoringRepr {
            groups: m.groups,
            fit_cap: m.fit_cap,
            engagement_cap: m.engagement_cap,
            total_cap: m.total_cap,
            decay: m.decay,
        }
    }
}
