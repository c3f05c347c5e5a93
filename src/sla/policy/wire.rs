//! Wire shapes of the SLA definitions, checked on the way in.

use std::collections::BTreeSet;

use super::{
    BusinessSpan, ClockStart, DispositionPolicy, Error, Probability, QualityCommitment, ResponseKind, ResponsePolicy,
    VolumeAmount, VolumeCommitment, VolumeMeasure,
};
use crate::SegmentId;

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub(super) struct ResponseRepr {
    /// The policy's name (1 to 128 bytes).
    name: String,
    /// The milestone the clock starts at.
    clock_start: ClockStart,
    /// The business time the first qualifying touch must come within.
    target: BusinessSpan,
    /// The share of the target after which an open instance is flagged at risk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    at_risk: Option<Probability>,
    /// The touch kinds that stop the clock (none given: every kind).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    qualifying_touches: Option<BTreeSet<ResponseKind>>,
}

impl TryFrom<ResponseRepr> for ResponsePolicy {
    type Error = Error;
    fn try_from(r: ResponseRepr) -> Result<ResponsePolicy, Error> {
        let mut policy = ResponsePolicy::new(r.name, r.clock_start, r.target)?;
        if let Some(p) = r.at_risk {
            policy = policy.with_at_risk(p)?;
        }
        match r.qualifying_touches {
            Some(kinds) => policy.with_qualifying_touches(kinds),
            None => Ok(policy),
        }
    }
}

impl From<ResponsePolicy> for ResponseRepr {
    fn from(p: ResponsePolicy) -> ResponseRepr {
        ResponseRepr {
            name: p.name,
            clock_start: p.clock_start,
            target: p.clock.target,
            at_risk: p.clock.at_risk,
            qualifying_touches: p.qualifying,
        }
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub(super) struct DispositionRepr {
    /// The policy's name (1 to 128 bytes).
    name: String,
    /// The business time a handed-over lead must be accepted, rejected or recycled within.
    within: BusinessSpan,
    /// The share of `within` after which an open instance is flagged at risk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    at_risk: Option<Probability>,
}

impl TryFrom<DispositionRepr> for DispositionPolicy {
    type Error = Error;
    fn try_from(r: DispositionRepr) -> Result<DispositionPolicy, Error> {
        let policy = DispositionPolicy::new(r.name, r.within)?;
        match r.at_risk {
            Some(p) => policy.with_at_risk(p),
            None => Ok(policy),
        }
    }
}

impl From<DispositionPolicy> for DispositionRepr {
    fn from(p: DispositionPolicy) -> DispositionRepr {
        DispositionRepr { name: p.name, within: p.clock.target, at_risk: p.clock.at_risk }
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub(super) struct VolumeRepr {
    /// The commitment's name (1 to 128 bytes).
    name: String,
    /// What is counted.
    measure: VolumeMeasure,
    /// The least per month: a count for leads, an amount for pipeline.
    minimum: VolumeAmount,
    /// The segment the commitment is for (none: every lead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    segment: Option<SegmentId>,
}

impl TryFrom<VolumeRepr> for VolumeCommitment {
    type Error = Error;
    fn try_from(r: VolumeRepr) -> Result<VolumeCommitment, Error> {
        let c = VolumeCommitment::new(r.name, r.measure, r.minimum)?;
        Ok(match r.segment {
            Some(s) => c.for_segment(s),
            None => c,
        })
    }
}

impl From<VolumeCommitment> for VolumeRepr {
    fn from(c: VolumeCommitment) -> VolumeRepr {
        VolumeRepr { name: c.name, measure: c.measure, minimum: c.minimum, segment: c.segment }
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub(super) struct QualityRepr {
    /// The commitment's name (1 to 128 bytes).
    name: String,
    /// The least share of delivered leads meeting the MQL rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min_meeting_rules: Option<Probability>,
    /// The least share of delivered leads sales accepts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min_acceptance: Option<Probability>,
    /// The least share of MQLs that become SQLs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min_mql_to_sql: Option<Probability>,
}

impl TryFrom<QualityRepr> for QualityCommitment {
    type Error = Error;
    fn try_from(r: QualityRepr) -> Result<QualityCommitment, Error> {
        let mut c = QualityCommitment::new(r.name)?;
        c.meeting_rules = r.min_meeting_rules;
        c.acceptance = r.min_acceptance;
        c.mql_to_sql = r.min_mql_to_sql;
        Ok(c)
    }
}

impl From<QualityCommitment> for QualityRepr {
    fn from(c: QualityCommitment) -> QualityRepr {
        QualityRepr {
            name: c.name,
            min_meeting_rules: c.meeting_rules,
            min_acceptance: c.acceptance,
            min_mql_to_sql: c.mql_to_sql,
        }
    }
}
