//! Marketing's quality commitment, evaluated over the MQLs of a period: [`QualityTally`].

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::facts::{DispositionOutcome, Reason};
use crate::sla::LeadMilestones;
use crate::sla::QualityCommitment;
use crate::{Error, ErrorKind, Probability, Ratio, Tally};

/// One MQL as the quality commitment sees it: a view derived from the lead's facts with
/// [`QualityFact::from_milestones`], never filled by hand.
///
/// - **meets the rules**: whether the MQL met the qualification rules when handed over, as
///   the caller's qualification (for example the funnel's) decided;
/// - **disposition**: the outcome of the lead's first [`Disposition`](crate::facts::Disposition)
///   ([`LeadMilestones::disposition`]), if sales dispositioned it;
/// - **became SQL**: whether the lead entered the SQL stage ([`LeadMilestones::sql`]).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct QualityFact {
    meets_rules: bool,
    disposition: Option<DispositionOutcome>,
    became_sql: bool,
}

impl QualityFact {
    /// The quality view of a lead: `None` if it never became an MQL (the commitment is over
    /// MQLs). `meets_rules` is the caller's qualification verdict for the MQL.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::facts::{Disposition, DispositionOutcome, Lead, Reason, StageChange};
    /// use revops::sla::{LeadMilestones, MilestoneStages, QualityFact};
    /// use revops::{LeadId, StageId};
    ///
    /// let at = |d| Utc.with_ymd_and_hms(2024, 6, d, 12, 0, 0).unwrap();
    /// let id = LeadId::new("L-2")?;
    /// let mql = StageId::new("mql")?;
    /// let stages = MilestoneStages::new(mql.clone(), mql.clone(), StageId::new("sql")?);
    /// let changes = [StageChange { entity: id.clone(), stage: mql, at: at(3) }];
    /// let recycled = Disposition { lead: id.clone(), at: at(4), outcome: DispositionOutcome::Recycled { reason: Reason::BadTiming } };
    /// let lead = LeadMilestones::from_facts(&stages, &Lead::new(id, at(1)), &changes, &[], &[recycled])?;
    /// let fact = QualityFact::from_milestones(&lead, true).ok_or(revops::ErrorKind::UnknownKey { kind: "example", key: "none".into() })?;
    /// assert_eq!(fact.disposition().and_then(DispositionOutcome::reason), Some(&Reason::BadTiming));
    /// assert!(!fact.became_sql());
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn from_milestones(lead: &LeadMilestones, meets_rules: bool) -> Option<QualityFact> {
        lead.mql()?;
        Some(QualityFact {
            meets_rules,
            disposition: lead.disposition().map(|(_, outcome)| outcome.clone()),
            became_sql: lead.sql().is_some(),
        })
    }

    /// Whether the MQL met the qualification rules.
    #[must_use]
    pub const fn meets_rules(&self) -> bool {
        self.meets_rules
    }

    /// How sales dispositioned it, if it has.
    #[must_use]
    pub const fn disposition(&self) -> Option<&DispositionOutcome> {
        self.disposition.as_ref()
    }

    /// Whether it became an SQL.
    #[must_use]
    pub const fn became_sql(&self) -> bool {
        self.became_sql
    }
}

/// Which quality figure a check is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum QualityMetric {
    /// MQLs meeting the qualification rules over MQLs.
    MeetingRules,
    /// Accepted over dispositioned (accepted, rejected or recycled).
    Acceptance,
    /// MQLs that became SQLs over MQLs.
    MqlToSql,
}

/// One minimum of a quality commitment, checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct QualityCheck {
    /// Which figure.
    pub metric: QualityMetric,
    /// Its value with parts.
    pub actual: Ratio,
    /// The promised minimum.
    pub minimum: Probability,
    /// Whether it was met; `None` when the figure is undefined (zero denominator).
    pub met: Option<bool>,
    /// Shortfall in percentage points (`minimum - actual`, zero when met); `None` when undefined.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str_option"))]
    pub gap_points: Option<Decimal>,
}

/// The quality figures of a period and the checks of the commitment.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct QualityResult {
    /// The commitment's name.
    pub name: String,
    /// MQLs counted.
    pub mqls: u64,
    /// MQLs meeting the rules over MQLs.
    pub meeting_rules: Ratio,
    /// Accepted over dispositioned.
    pub acceptance: Ratio,
    /// Became SQL over MQLs.
    pub mql_to_sql: Ratio,
    /// Rejections and recycles by [`Reason`], in taxonomy order (each [`Reason::Other`] text
    /// apart). On the wire: a list of `[reason, count]` pairs.
    #[cfg_attr(feature = "serde", serde(with = "reason_counts"))]
    pub reasons: BTreeMap<Reason, u64>,
    /// One check per minimum the commitment sets, in [`QualityMetric`] order.
    pub checks: Vec<QualityCheck>,
}

/// Evaluates a [`QualityCommitment`]: an accumulator of [`QualityFact`]s (one per MQL of the
/// period; the caller picks the MQLs).
///
/// Implements [`Tally`]; merging tallies of another commitment is
/// [`ErrorKind::DefinitionMismatch`]. With the `serde` feature the partial state serializes and
/// deserializing checks that the counts agree (none above the MQLs, accepted within the
/// dispositioned, the reasons summing to the rejected and recycled ones).
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::{Disposition, DispositionOutcome, FactSet, Lead, Reason, StageChange};
/// use revops::sla::{LeadMilestones, MilestoneStages, QualityCommitment, QualityFact, QualityTally};
/// use revops::{LeadId, Probability, StageId};
/// use rust_decimal_macros::dec;
///
/// let at = |d| Utc.with_ymd_and_hms(2024, 6, d, 12, 0, 0).unwrap();
/// let (mql, sql) = (StageId::new("mql")?, StageId::new("sql")?);
/// let stages = MilestoneStages::new(mql.clone(), mql.clone(), sql.clone());
/// let mut facts = FactSet::default();
/// for (n, outcome) in [DispositionOutcome::Accepted, DispositionOutcome::Rejected { reason: Reason::BadFit }].into_iter().enumerate() {
///     let id = LeadId::new(format!("L-{n}"))?;
///     facts.leads.push(Lead::new(id.clone(), at(1)));
///     facts.stage_changes.push(StageChange { entity: id.clone(), stage: mql.clone(), at: at(2) });
///     facts.dispositions.push(Disposition { lead: id, at: at(3), outcome });
/// }
/// facts.stage_changes.push(StageChange { entity: LeadId::new("L-0")?, stage: sql, at: at(5) });
///
/// let commitment = QualityCommitment::new("quality")?.min_acceptance(Probability::from_percent(dec!(70))?);
/// let mut tally = QualityTally::new(&commitment);
/// for lead in LeadMilestones::from_fact_set(&stages, &facts)? {
///     if let Some(fact) = QualityFact::from_milestones(&lead, true) {
///         tally.push(&fact)?;
///     }
/// }
/// let result = tally.finish();
/// assert_eq!(result.acceptance.to_string(), "1/2 (50.0%)");
/// assert_eq!(result.mql_to_sql.to_string(), "1/2 (50.0%)");
/// assert_eq!(result.reasons.get(&Reason::BadFit), Some(&1));
/// assert_eq!(result.checks[0].met, Some(false));
/// assert_eq!(result.checks[0].gap_points, Some(dec!(20)));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "wire::QualityTallyRepr", deny_unknown_fields)
)]
pub struct QualityTally {
    commitment: QualityCommitment,
    mqls: u64,
    meeting_rules: u64,
    accepted: u64,
    dispositioned: u64,
    sqls: u64,
    #[cfg_attr(feature = "serde", serde(with = "reason_counts"))]
    reasons: BTreeMap<Reason, u64>,
}

impl QualityTally {
    /// An empty tally.
    #[must_use]
    pub fn new(commitment: &QualityCommitment) -> QualityTally {
        QualityTally {
            commitment: commitment.clone(),
            mqls: 0,
            meeting_rules: 0,
            accepted: 0,
            dispositioned: 0,
            sqls: 0,
            reasons: BTreeMap::new(),
        }
    }

    /// Adds one MQL.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] if the MQL count leaves `u64` (every other count is at most it).
    pub fn push(&mut self, fact: &QualityFact) -> Result<(), Error> {
        self.mqls =
            self.mqls.checked_add(1).ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op: "quality count" }))?;
        self.meeting_rules += u64::from(fact.meets_rules);
        self.sqls += u64::from(fact.became_sql);
        match &fact.disposition {
            None => {}
            Some(DispositionOutcome::Accepted) => {
                self.accepted += 1;
                self.dispositioned += 1;
            }
            Some(DispositionOutcome::Rejected { reason } | DispositionOutcome::Recycled { reason }) => {
                self.dispositioned += 1;
                *self.reasons.entry(reason.clone()).or_default() += 1;
            }
        }
        Ok(())
    }

    /// Adds everything `other` holds.
    ///
    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`] if `other` is for another commitment; [`ErrorKind::Overflow`]
    /// if the MQL count leaves `u64`.
    pub fn merge(&mut self, other: QualityTally) -> Result<(), Error> {
        if other.commitment != self.commitment {
            return Err(ErrorKind::DefinitionMismatch { tally: "quality", field: "commitment" }.into());
        }
        // Every count is at most the MQLs (checked on deserialize), so once their sum fits
        // every other sum does.
        self.mqls = self
            .mqls
            .checked_add(other.mqls)
            .ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op: "quality count" }))?;
        self.meeting_rules += other.meeting_rules;
        self.accepted += other.accepted;
        self.dispositioned += other.dispositioned;
        self.sqls += other.sqls;
        for (reason, n) in other.reasons {
            *self.reasons.entry(reason).or_default() += n;
        }
        Ok(())
    }

    /// The figures and checks.
    #[must_use]
    pub fn finish(self) -> QualityResult {
        let meeting_rules = Ratio::new(self.meeting_rules, self.mqls);
        let acceptance = Ratio::new(self.accepted, self.dispositioned);
        let mql_to_sql = Ratio::new(self.sqls, self.mqls);
        let c = &self.commitment;
        let checks = [
            (QualityMetric::MeetingRules, meeting_rules, c.minimum_meeting_rules()),
            (QualityMetric::Acceptance, acceptance, c.minimum_acceptance()),
            (QualityMetric::MqlToSql, mql_to_sql, c.minimum_mql_to_sql()),
        ]
        .into_iter()
        .filter_map(|(metric, actual, minimum)| {
            let minimum = minimum?;
            let short = actual.percent().map(|p| minimum.percent() - p);
            Some(QualityCheck {
                metric,
                actual,
                minimum,
                met: short.map(|s| s <= Decimal::ZERO),
                gap_points: short.map(|s| if s > Decimal::ZERO { s.normalize() } else { Decimal::ZERO }),
            })
        })
        .collect();
        QualityResult {
            name: self.commitment.name().to_owned(),
            mqls: self.mqls,
            meeting_rules,
            acceptance,
            mql_to_sql,
            reasons: self.reasons,
            checks,
        }
    }
}

impl Tally for QualityTally {
    type Fact = QualityFact;
    type Output = QualityResult;

    fn push(&mut self, fact: &QualityFact) -> Result<(), Error> {
        QualityTally::push(self, fact)
    }

    fn merge(&mut self, other: QualityTally) -> Result<(), Error> {
        QualityTally::merge(self, other)
    }

    fn finish(self) -> Result<QualityResult, Error> {
        Ok(QualityTally::finish(self))
    }
}

/// Counts by [`Reason`] as a list of `[reason, count]` pairs (a JSON object cannot have
/// [`Reason::Other`] as a key); deserializing refuses a reason listed twice.
#[cfg(feature = "serde")]
mod reason_counts {
    use std::collections::BTreeMap;

    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::facts::Reason;

    pub(super) fn serialize<S: Serializer>(counts: &BTreeMap<Reason, u64>, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(counts.iter())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<Reason, u64>, D::Error> {
        let pairs = Vec::<(Reason, u64)>::deserialize(d)?;
        let mut counts = BTreeMap::new();
        for (reason, n) in pairs {
            if n == 0 {
                return Err(D::Error::custom(format!("reason `{reason}` has a count of zero")));
            }
            if counts.insert(reason.clone(), n).is_some() {
                return Err(D::Error::custom(format!("reason `{reason}` listed twice")));
            }
        }
        Ok(counts)
    }
}

/// Wire shape of the partial state, checked on the way in.
#[cfg(feature = "serde")]
mod wire {
    use std::collections::BTreeMap;

    use super::{QualityCommitment, QualityTally, reason_counts};
    use crate::facts::Reason;
    use crate::{Error, ErrorKind};

    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct QualityTallyRepr {
        commitment: QualityCommitment,
        mqls: u64,
        meeting_rules: u64,
        accepted: u64,
        dispositioned: u64,
        sqls: u64,
        #[serde(with = "reason_counts")]
        reasons: BTreeMap<Reason, u64>,
    }

    impl TryFrom<QualityTallyRepr> for QualityTally {
        type Error = Error;
        fn try_from(r: QualityTallyRepr) -> Result<QualityTally, Error> {
            let invalid =
                |field, value: u64, reason| ErrorKind::InvalidValue { field, value: value.to_string(), reason };
            for (field, n) in [
                ("quality meeting rules", r.meeting_rules),
                ("quality dispositioned", r.dispositioned),
                ("quality sqls", r.sqls),
            ] {
                if n > r.mqls {
                    return Err(crate::Error::from(invalid(field, n, "exceeds the MQLs")));
                }
            }
            if r.accepted > r.dispositioned {
                return Err(crate::Error::from(invalid(
                    "quality accepted",
                    r.accepted,
                    "exceeds the dispositioned MQLs",
                )));
            }
            let reasons = r
                .reasons
                .values()
                .try_fold(0u64, |a, &n| a.checked_add(n))
                .ok_or_else(|| crate::Error::from(ErrorKind::Overflow { op: "quality count" }))?;
            if reasons != r.dispositioned - r.accepted {
                return Err(crate::Error::from(invalid(
                    "quality reasons",
                    reasons,
                    "differ from the rejected and recycled MQLs",
                )));
            }
            Ok(QualityTally {
                commitment: r.commitment,
                mqls: r.mqls,
                meeting_rules: r.meeting_rules,
                accepted: r.accepted,
                dispositioned: r.dispositioned,
                sqls: r.sqls,
                reasons: r.reasons,
            })
        }
    }
}
