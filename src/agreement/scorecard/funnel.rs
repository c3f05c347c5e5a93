//! The funnel section: how many leads entered each stage, how many reached it or beyond, and
//! the conversion between consecutive stages of the funnel's order.

use super::handoff::HandoffCounts;
use super::leads::LeadFacts;
use super::{Exclusion, Section, set_aside};
use crate::funnel::{Funnel, Rejection, RejectionReport, RejectionTally, StageHistory};
use crate::{Error, ErrorKind, Ratio, Record, StageId};

/// One stage's counts.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageCount {
    /// The stage.
    pub stage: StageId,
    /// Its display name.
    pub name: String,
    /// Leads that entered it ([`Reach::Strict`](crate::funnel::Reach::Strict)).
    pub entered: u64,
    /// Leads that entered it or a later stage of the order
    /// ([`Reach::OrBeyond`](crate::funnel::Reach::OrBeyond)); `None` for a stage outside the
    /// order.
    pub reached: Option<u64>,
}

/// The conversion from one stage of the order to the next: leads that reached `to` or beyond
/// over leads that reached `from` or beyond.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepConversion {
    /// The earlier stage.
    pub from: StageId,
    /// The next stage of the order.
    pub to: StageId,
    /// Reached `to` or beyond / reached `from` or beyond.
    pub rate: Ratio,
}

/// Funnel counts and conversion by stage, over every lead whose stage history is valid under
/// the agreement's funnel ([`StageHistory::from_facts`]).
///
/// # Example
///
/// ```
/// use revops::testkit::{Company, sample_agreement};
///
/// let company = Company::new(42, 500)?;
/// let card = sample_agreement()?.evaluate(&company.facts(), company.as_of())?;
/// let mql = card.funnel.stage("mql").and_then(|s| s.reached).unwrap_or_default();
/// let sql = card.funnel.stage("sql").and_then(|s| s.reached).unwrap_or_default();
/// assert_eq!(card.funnel.rate("mql", "sql"), Some(revops::Ratio::new(sql, mql)));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FunnelSection {
    /// Leads counted (excluded ones are not).
    pub leads: u64,
    /// Every stage of the funnel: the order first, then the side stages.
    pub stages: Vec<StageCount>,
    /// Consecutive stages of the order.
    pub steps: Vec<StepConversion>,
    /// The counted leads' rejections and recycles by sales, by reason and by lead source
    /// ([`Rejection::from_facts`] on each rejected or recycled disposition).
    pub rejections: RejectionReport,
    /// The MQL-to-SAL handoffs, when the agreement defines the handoff board
    /// ([`Kpis::mql_handoff`](crate::agreement::Kpis::mql_handoff)).
    pub handoffs: Option<HandoffCounts>,
    /// Records set aside, sorted.
    pub excluded: Vec<Exclusion>,
}

impl FunnelSection {
    /// The counts of `stage`, if the funnel has it.
    #[must_use]
    pub fn stage(&self, stage: &str) -> Option<&StageCount> {
        self.stages.iter().find(|s| s.stage.as_str() == stage)
    }

    /// Leads that reached `to` or beyond over leads that reached `from` or beyond (e.g. MQL to
    /// SQL); `None` unless both are stages of the order.
    #[must_use]
    pub fn rate(&self, from: &str, to: &str) -> Option<Ratio> {
        Some(Ratio::new(self.stage(to)?.reached?, self.stage(from)?.reached?))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct FunnelTally {
    leads: u64,
    /// Per stage of `Funnel::all_stages`: (entered, reached or beyond).
    counts: Vec<(u64, u64)>,
    /// Per stage of `all_stages`: its position in the order (none for side stages) and
    /// whether it is terminal. Derived from the funnel.
    order: Vec<(Option<usize>, bool)>,
    rejections: RejectionTally,
    excluded: Vec<Exclusion>,
}

const OVERFLOW: ErrorKind = ErrorKind::Overflow { op: "scorecard funnel count" };

impl FunnelTally {
    pub(super) fn new(funnel: &Funnel) -> FunnelTally {
        FunnelTally {
            leads: 0,
            counts: vec![(0, 0); funnel.all_stages().count()],
            order: funnel.all_stages().map(|s| (funnel.position(&s.id), s.kind.is_terminal())).collect(),
            rejections: RejectionTally::new(),
            excluded: Vec::new(),
        }
    }

    pub(super) fn set_aside(&mut self, strict: bool, error: Error) -> Result<(), Error> {
        set_aside(strict, &mut self.excluded, Section::Funnel, None, error)
    }

    pub(super) fn push(&mut self, funnel: &Funnel, lead: &LeadFacts<'_>, strict: bool) -> Result<(), Error> {
        let id = &lead.lead.id;
        let history = match StageHistory::from_joined(funnel, lead.changes.iter()) {
            Ok(history) => history,
            Err(error) => return self.set_aside(strict, error.about(Record::Lead(id.clone()))),
        };
        self.leads = self.leads.checked_add(1).ok_or(OVERFLOW)?;
        // Entered: each stage of the history's first entries. Reached or beyond
        // (`Funnel::is_at_or_beyond`): an open ordered stage at or before the furthest ordered
        // stage entered, a terminal one only if entered itself. One index lookup per entered
        // stage instead of a pairwise test per stage.
        let mut furthest: Option<usize> = None;
        for stage in history.first_entries().keys() {
            let Some(i) = funnel.stage_index(stage) else { continue };
            if let Some((entered, _)) = self.counts.get_mut(i) {
                *entered = entered.checked_add(1).ok_or(OVERFLOW)?;
            }
            if let Some(&(Some(position), terminal)) = self.order.get(i) {
                furthest = furthest.max(Some(position));
                if let (true, Some((_, reached))) = (terminal, self.counts.get_mut(i)) {
                    *reached = reached.checked_add(1).ok_or(OVERFLOW)?;
                }
            }
        }
        if let Some(furthest) = furthest {
            for (&(position, terminal), (_, reached)) in self.order.iter().zip(&mut self.counts) {
                if !terminal && position.is_some_and(|p| p <= furthest) {
                    *reached = reached.checked_add(1).ok_or(OVERFLOW)?;
                }
            }
        }
        for disposition in lead.dispositions.iter() {
            // `Rejection::from_facts` over the lead's joined changes: the latest before the
            // disposition is the stage it was rejected from.
            let from_stage = lead
                .changes
                .iter()
                .filter(|c| c.at < disposition.at)
                .fold(None::<&crate::facts::StageChange>, |latest, c| match latest {
                    Some(l) if l.at > c.at => Some(l),
                    _ => Some(c),
                })
                .map(|c| c.stage.clone());
            if let Some(rejection) = Rejection::with_from_stage(lead.lead, disposition, from_stage)? {
                self.rejections.push(&rejection)?;
            }
        }
        Ok(())
    }

    pub(super) fn merge(&mut self, other: FunnelTally) -> Result<(), Error> {
        if self.counts.len() != other.counts.len() {
            return Err(ErrorKind::DefinitionMismatch { tally: "scorecard funnel", field: "stages" }.into());
        }
        self.leads = self.leads.checked_add(other.leads).ok_or(OVERFLOW)?;
        for (mine, theirs) in self.counts.iter_mut().zip(other.counts) {
            mine.0 = mine.0.checked_add(theirs.0).ok_or(OVERFLOW)?;
            mine.1 = mine.1.checked_add(theirs.1).ok_or(OVERFLOW)?;
        }
        self.rejections.merge(other.rejections)?;
        self.excluded.extend(other.excluded);
        Ok(())
    }

    pub(super) fn finish(mut self, funnel: &Funnel) -> FunnelSection {
        let stages: Vec<StageCount> = funnel
            .all_stages()
            .zip(&self.counts)
            .map(|(stage, &(entered, reached))| StageCount {
                stage: stage.id.clone(),
                name: stage.name.clone(),
                entered,
                reached: funnel.position(&stage.id).map(|_| reached),
            })
            .collect();
        let ordered: Vec<&StageCount> = stages.iter().filter(|s| s.reached.is_some()).collect();
        let steps = ordered
            .iter()
            .zip(ordered.iter().skip(1))
            .map(|(a, b)| StepConversion {
                from: a.stage.clone(),
                to: b.stage.clone(),
                rate: Ratio::new(b.reached.unwrap_or_default(), a.reached.unwrap_or_default()),
            })
            .collect();
        self.excluded.sort();
        FunnelSection {
            leads: self.leads,
            stages,
            steps,
            rejections: self.rejections.finish(),
            handoffs: None,
            excluded: self.excluded,
        }
    }
}

#[cfg(all(test, feature = "testkit"))]
mod tests {
    use chrono::{TimeDelta, TimeZone, Utc};
    use proptest::prelude::*;

    use super::*;
    use crate::LeadId;
    use crate::facts::{Lead, StageChange};
    use crate::funnel::Reach;
    use crate::testkit::sample_agreement;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// The tally's entered and reached-or-beyond counts are the definitions'
        /// (`StageHistory::reached` under `Reach::Strict` and `Reach::OrBeyond`), stage by
        /// stage, for any histories the funnel accepts.
        #[test]
        fn counts_follow_the_reach_definitions(
            leads in proptest::collection::vec(proptest::collection::vec(any::<proptest::sample::Index>(), 0..6), 1..12),
        ) {
            let agreement = sample_agreement().unwrap();
            let funnel = agreement.funnel();
            let stages: Vec<&StageId> = funnel.all_stages().map(|s| &s.id).collect();
            let start = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
            let mut tally = FunnelTally::new(funnel);
            let mut expected = vec![(0u64, 0u64); stages.len()];
            for (n, picks) in leads.iter().enumerate() {
                let id = LeadId::new(format!("lead-{n}")).unwrap();
                let lead = Lead::new(id.clone(), start);
                let changes: Vec<StageChange> = picks
                    .iter()
                    .enumerate()
                    .map(|(k, pick)| StageChange {
                        entity: id.clone(),
                        stage: (*pick.get(&stages)).clone(),
                        at: start + TimeDelta::days(i64::try_from(k).unwrap() + 1),
                    })
                    .collect();
                let facts = super::super::leads::LeadFacts {
                    lead: &lead,
                    changes: std::borrow::Cow::Owned(changes.clone()),
                    responses: std::borrow::Cow::Borrowed(&[]),
                    dispositions: std::borrow::Cow::Borrowed(&[]),
                };
                let Ok(history) = StageHistory::from_facts(funnel, &id, &changes) else {
                    // Refused histories are set aside by both.
                    tally.push(funnel, &facts, false).unwrap();
                    continue;
                };
                tally.push(funnel, &facts, false).unwrap();
                for (stage, (entered, reached)) in stages.iter().zip(&mut expected) {
                    *entered += u64::from(history.reached(funnel, stage, Reach::Strict));
                    *reached += u64::from(history.reached(funnel, stage, Reach::OrBeyond));
                }
            }
            prop_assert_eq!(&tally.counts, &expected);
        }
    }
}
