//! The checks of one SLA part against the rest of the agreement: its milestones are stages of
//! the funnel, its team rule names an account attribute the ICP set knows, its volume
//! commitments have months to be reported over.

use super::{known_stage, unknown};
use crate::agreement::{AgreementParts, SlaTerms, TeamRule};
use crate::icp::Condition;
use crate::{Error, ErrorKind};

/// Checks the SLA part `key`.
pub(super) fn check(parts: &AgreementParts, key: &str, terms: &SlaTerms) -> Result<(), Error> {
    let stages = &terms.milestones;
    for (name, stage) in [("mql", &stages.mql), ("handoff", &stages.handoff), ("sql", &stages.sql)] {
        known_stage(parts, format!("sla.{key}.milestones.{name}"), stage)?;
    }
    if let TeamRule::AccountAttribute(attribute) = &terms.teams {
        let named = parts.icp.iter().flat_map(crate::icp::IcpSet::iter).flat_map(|(_, icp)| icp.criteria()).any(|c| {
            matches!(&c.condition, Condition::Text { attribute: a, .. } | Condition::Number { attribute: a, .. } | Condition::Flag { attribute: a, .. } if a == attribute)
        });
        if !named {
            return Err(unknown(
                format!("sla.{key}.teams"),
                "account attribute (named by an ICP criterion)",
                attribute,
            ));
        }
    }
    let policies = &terms.policies;
    if !policies.volume.is_empty() && terms.volume_months.is_none() {
        let first = policies.volume.first().map_or("", |v| v.name());
        return Err(unknown(
            format!("sla.{key}.volume_months"),
            "volume months (needed by the volume commitment)",
            first,
        ));
    }
    if let Some(volume) = policies.volume.iter().find(|v| v.segment().is_some()) {
        return Err(ErrorKind::InvalidValue {
            field: "sla volume commitment segment",
            value: format!("sla.{key}: {}", volume.name()),
            reason: "the scorecard evaluates volume over every lead of the part; a segment commitment is not supported yet",
        }
        .into());
    }
    if let Some(quality) = policies.quality.as_ref().filter(|q| q.minimum_meeting_rules().is_some()) {
        return Err(ErrorKind::InvalidValue {
            field: "sla quality min_meeting_rules",
            value: format!("sla.{key}: {}", quality.name()),
            reason: "the scorecard does not re-check the MQL rule per lead, so this minimum cannot be evaluated",
        }
        .into());
    }
    Ok(())
}
