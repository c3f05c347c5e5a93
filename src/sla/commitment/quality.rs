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
///
/// # Example
///
/// ```
/// use revops::facts::{Disposition, DispositionOutcome, Lead, StageChange};
/// use revops::sla::{LeadMilestones, MilestoneStages, QualityFact};
/// use revops::{LeadId, StageId};
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let id = LeadId::new("L-8")?;
/// let (mql, sql) = (StageId::new("mql")?, StageId::new("sql")?);
/// let stages = MilestoneStages::new(mql.clone(), mql.clone(), sql.clone());
/// let changes = [
///     StageChange { entity: id.clone(), stage: mql, at: at("2024-07-01T14:00:00Z")? },
///     StageChange { entity: id.clone(), stage: sql, at: at("2024-07-08T10:00:00Z")? },
/// ];
/// let accepted = [Disposition { lead: id.clone(), at: at("2024-07-02T10:00:00Z")?, outcome: DispositionOutcome::Accepted }];
/// let lead = LeadMilestones::from_facts(&stages, &Lead::new(id.clone(), at("2024-07-01T09:00:00Z")?), &changes, &[], &accepted)?;
/// let fact = QualityFact::from_milestones(&lead, true);
/// assert_eq!(fact.as_ref().map(|f| (f.meets_rules(), f.disposition(), f.became_sql())), Some((true, Some(&DispositionOutcome::Accepted), true)));
/// // A lead that never became an MQL is not in the commitment.
/// let never = LeadMilestones::from_facts(&stages, &Lead::new(id, at("2024-07-01T09:00:00Z")?), &[], &[], &[])?;
/// assert_eq!(QualityFact::from_milestones(&never, true), None);
/// # Ok::<(), revops::Error>(())
/// ```
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
    /// use chrono::TimeDelta;
    /// use revops::facts::{Disposition, DispositionOutcome, Lead, Reason, StageChange};
    /// use revops::sla::{LeadMilestones, MilestoneStages, QualityFact};
    /// use revops::{LeadId, StageId};
    /// # fn instant(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let june = instant("2024-06-01T12:00:00Z")?;
    /// let at = |d: i64| june + TimeDelta::days(d - 1);
    /// let id = LeadId::new("L-2")?;
    /// let mql = StageId::new("mql")?;
    /// let stages = MilestoneStages::new(mql.clone(), mql.clone(), StageId::new("sql")?);
    /// let changes = [StageChange { entity: id.clone(), stage: mql, at: at(3) }];
    /// let recycled = Disposition { lead: id.clone(), at: at(4), outcome: DispositionOutcome::Recycled { reason: Reason::BadTiming } };
    /// let lead = LeadMilestones::from_facts(&stages, &Lead::new(id, at(1)), &changes, &[], &[recycled])?;
    /// let fact = QualityFact::from_milestones(&lead, true);
    /// assert_eq!(fact.as_ref().and_then(QualityFact::disposition).and_then(DispositionOutcome::reason), Some(&Reason::BadTiming));
    /// assert_eq!(fact.map(|f| f.became_sql()), Some(false));
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
///
/// # Example
///
/// ```
/// use revops::Probability;
/// use revops::sla::{QualityCommitment, QualityMetric, QualityTally};
/// use rust_decimal_macros::dec;
///
/// // Only the minimums the commitment sets are checked, in metric order.
/// let commitment = QualityCommitment::new("mql_quality")?
///     .min_mql_to_sql(Probability::from_percent(25)?)
///     .min_meeting_rules(Probability::from_percent(90)?);
/// let metrics: Vec<QualityMetric> = QualityTally::new(&commitment).finish().checks.iter().map(|c| c.metric).collect();
/// assert_eq!(metrics, [QualityMetric::MeetingRules, QualityMetric::MqlToSql]);
/// # Ok::<(), revops::Error>(())
/// ```
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

impl QualityMetric {
    /// The snake-case key, as on the wire: `"meeting_rules"`, `"acceptance"`, `"mql_to_sql"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            QualityMetric::MeetingRules => "meeting_rules",
            QualityMetric::Acceptance => "acceptance",
            QualityMetric::MqlToSql => "mql_to_sql",
        }
    }
}

/// One minimum of a quality commitment, checked.
///
/// # Example
///
/// ```
/// use revops::Probability;
/// use revops::facts::{DispositionOutcome, Reason};
/// use revops::sla::{QualityCommitment, QualityMetric, QualityTally};
/// use rust_decimal_macros::dec;
/// # fn mql(id: &str, outcome: Option<revops::facts::DispositionOutcome>, sql: bool, meets_rules: bool) -> Result<revops::sla::QualityFact, revops::Error> {
/// #     use revops::{facts::{Disposition, Lead, StageChange}, sla::{LeadMilestones, MilestoneStages, QualityFact}, ErrorKind, LeadId, StageId}; let at = |s: &str| s.parse().map_err(|_| revops::Error::from(ErrorKind::InstantOutOfRange { instant: s.into() })); let (id, m, q) = (LeadId::new(id)?, StageId::new("mql")?, StageId::new("sql")?); let mut changes = vec![StageChange { entity: id.clone(), stage: m.clone(), at: at("2024-07-01T14:00:00Z")? }]; if sql { changes.push(StageChange { entity: id.clone(), stage: q.clone(), at: at("2024-07-03T14:00:00Z")? }); } let dispositions = match outcome { Some(outcome) => vec![Disposition { lead: id.clone(), at: at("2024-07-02T14:00:00Z")?, outcome }], None => vec![] }; let lead = LeadMilestones::from_facts(&MilestoneStages::new(m.clone(), m, q), &Lead::new(id, at("2024-07-01T09:00:00Z")?), &changes, &[], &dispositions)?; QualityFact::from_milestones(&lead, meets_rules).ok_or_else(|| ErrorKind::UnknownKey { kind: "mql", key: "none".into() }.into())
/// # }
/// // `mql(lead, disposition, became_sql, meets_rules)`: one MQL's `QualityFact`, derived from its facts.
///
/// let commitment = QualityCommitment::new("acceptance")?.min_acceptance(Probability::from_percent(70)?);
/// let mut tally = QualityTally::new(&commitment);
/// let rejected = || Some(DispositionOutcome::Rejected { reason: Reason::BadFit });
/// for fact in [mql("L-1", Some(DispositionOutcome::Accepted), false, true)?, mql("L-2", rejected(), false, true)?, mql("L-3", None, false, true)?] {
///     tally.push(&fact)?;
/// }
/// let result = tally.finish();
/// let check = result.checks.first();
/// assert_eq!(check.map(|c| (c.metric, c.actual.to_string())), Some((QualityMetric::Acceptance, "1/2 (50.0%)".to_owned())));
/// assert_eq!(check.map(|c| (c.met, c.gap_points)), Some((Some(false), Some(dec!(20))))); // 70% - 50%
/// assert_eq!(check.map(|c| c.minimum), Some(Probability::from_percent(70)?));
///
/// // Nothing dispositioned yet: the rate is undefined, and so is the check.
/// let mut undecided = QualityTally::new(&commitment);
/// undecided.push(&mql("L-4", None, false, true)?)?;
/// assert_eq!(undecided.finish().checks.first().map(|c| (c.met, c.gap_points)), Some((None, None)));
/// # Ok::<(), revops::Error>(())
/// ```
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
///
/// # Example
///
/// ```
/// use revops::facts::{DispositionOutcome, Reason};
/// use revops::sla::{QualityCommitment, QualityTally};
/// # fn mql(id: &str, outcome: Option<revops::facts::DispositionOutcome>, sql: bool, meets_rules: bool) -> Result<revops::sla::QualityFact, revops::Error> {
/// #     use revops::{facts::{Disposition, Lead, StageChange}, sla::{LeadMilestones, MilestoneStages, QualityFact}, ErrorKind, LeadId, StageId}; let at = |s: &str| s.parse().map_err(|_| revops::Error::from(ErrorKind::InstantOutOfRange { instant: s.into() })); let (id, m, q) = (LeadId::new(id)?, StageId::new("mql")?, StageId::new("sql")?); let mut changes = vec![StageChange { entity: id.clone(), stage: m.clone(), at: at("2024-07-01T14:00:00Z")? }]; if sql { changes.push(StageChange { entity: id.clone(), stage: q.clone(), at: at("2024-07-03T14:00:00Z")? }); } let dispositions = match outcome { Some(outcome) => vec![Disposition { lead: id.clone(), at: at("2024-07-02T14:00:00Z")?, outcome }], None => vec![] }; let lead = LeadMilestones::from_facts(&MilestoneStages::new(m.clone(), m, q), &Lead::new(id, at("2024-07-01T09:00:00Z")?), &changes, &[], &dispositions)?; QualityFact::from_milestones(&lead, meets_rules).ok_or_else(|| ErrorKind::UnknownKey { kind: "mql", key: "none".into() }.into())
/// # }
/// // `mql(lead, disposition, became_sql, meets_rules)`: one MQL's `QualityFact`, derived from its facts.
///
/// let mut tally = QualityTally::new(&QualityCommitment::new("mql_quality")?);
/// let recycled = || Some(DispositionOutcome::Recycled { reason: Reason::BadTiming });
/// for fact in [
///     mql("L-1", Some(DispositionOutcome::Accepted), true, true)?,
///     mql("L-2", recycled(), false, false)?,
///     mql("L-3", recycled(), false, true)?,
///     mql("L-4", None, false, true)?,
/// ] {
///     tally.push(&fact)?;
/// }
/// let result = tally.finish();
/// assert_eq!((result.name.as_str(), result.mqls), ("mql_quality", 4));
/// assert_eq!(result.meeting_rules.to_string(), "3/4 (75.0%)");
/// assert_eq!(result.acceptance.to_string(), "1/3 (33.3%)"); // over dispositioned MQLs
/// assert_eq!(result.mql_to_sql.to_string(), "1/4 (25.0%)");
/// assert_eq!(result.reasons.get(&Reason::BadTiming), Some(&2));
/// assert!(result.checks.is_empty()); // the commitment sets no minimum
/// # Ok::<(), revops::Error>(())
/// ```
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
/// use chrono::TimeDelta;
/// use revops::facts::{Disposition, DispositionOutcome, FactSet, Lead, Reason, StageChange};
/// use revops::sla::{LeadMilestones, MilestoneStages, QualityCommitment, QualityFact, QualityTally};
/// use revops::{LeadId, Probability, StageId};
/// use rust_decimal_macros::dec;
/// # fn instant(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let june = instant("2024-06-01T12:00:00Z")?;
/// let at = |d: i64| june + TimeDelta::days(d - 1);
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
/// let commitment = QualityCommitment::new("quality")?.min_acceptance(Probability::from_percent(70)?);
/// // Two workers each take some of the MQLs; merged, they give the same result as one pass.
/// let (mut a, mut b, mut one_pass) = (QualityTally::new(&commitment), QualityTally::new(&commitment), QualityTally::new(&commitment));
/// for (i, lead) in LeadMilestones::from_fact_set(&stages, &facts)?.iter().enumerate() {
///     if let Some(fact) = QualityFact::from_milestones(lead, true) {
///         if i % 2 == 0 { a.push(&fact)? } else { b.push(&fact)? }
///         one_pass.push(&fact)?;
///     }
/// }
/// a.merge(b)?;
/// let result = a.finish();
/// assert_eq!(result, one_pass.finish());
/// assert_eq!(result.acceptance.to_string(), "1/2 (50.0%)");
/// assert_eq!(result.mql_to_sql.to_string(), "1/2 (50.0%)");
/// assert_eq!(result.reasons.get(&Reason::BadFit), Some(&1));
/// assert_eq!(result.checks.first().map(|c| (c.met, c.gap_points)), Some((Some(false), Some(dec!(20)))));
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
    ///
    /// # Example
    ///
    /// ```
    /// use revops::sla::{QualityCommitment, QualityTally};
    ///
    /// let empty = QualityTally::new(&QualityCommitment::new("mql_quality")?).finish();
    /// assert_eq!((empty.mqls, empty.mql_to_sql.percent()), (0, None)); // undefined, not 0%
    /// # Ok::<(), revops::Error>(())
    /// ```
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

    /// Adds one MQL: one more MQL, meeting the rules or not, dispositioned (and why) or not,
    /// an SQL or not (the examples on [`QualityTally`] and [`QualityResult`] push MQLs).
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
    ///
    /// # Example
    ///
    /// ```
    /// use revops::Probability;
    /// use revops::sla::{QualityCommitment, QualityTally};
    /// use revops::ErrorKind;
    /// use rust_decimal_macros::dec;
    ///
    /// let loose = QualityCommitment::new("mql_quality")?.min_acceptance(Probability::from_percent(50)?);
    /// let strict = QualityCommitment::new("mql_quality")?.min_acceptance(Probability::from_percent(80)?);
    /// let mut tally = QualityTally::new(&loose);
    /// tally.merge(QualityTally::new(&loose))?;
    /// let err = tally.merge(QualityTally::new(&strict)); // another definition: never summed
    /// assert!(matches!(err.as_ref().map_err(revops::Error::kind), Err(ErrorKind::DefinitionMismatch { tally: "quality", .. })));
    /// # Ok::<(), revops::Error>(())
    /// ```
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
    ///
    /// # Example
    ///
    /// ```
    /// use revops::Probability;
    /// use revops::facts::DispositionOutcome;
    /// use revops::sla::{QualityCommitment, QualityMetric, QualityTally};
    /// use rust_decimal_macros::dec;
    /// # fn mql(id: &str, outcome: Option<revops::facts::DispositionOutcome>, sql: bool, meets_rules: bool) -> Result<revops::sla::QualityFact, revops::Error> {
    /// #     use revops::{facts::{Disposition, Lead, StageChange}, sla::{LeadMilestones, MilestoneStages, QualityFact}, ErrorKind, LeadId, StageId}; let at = |s: &str| s.parse().map_err(|_| revops::Error::from(ErrorKind::InstantOutOfRange { instant: s.into() })); let (id, m, q) = (LeadId::new(id)?, StageId::new("mql")?, StageId::new("sql")?); let mut changes = vec![StageChange { entity: id.clone(), stage: m.clone(), at: at("2024-07-01T14:00:00Z")? }]; if sql { changes.push(StageChange { entity: id.clone(), stage: q.clone(), at: at("2024-07-03T14:00:00Z")? }); } let dispositions = match outcome { Some(outcome) => vec![Disposition { lead: id.clone(), at: at("2024-07-02T14:00:00Z")?, outcome }], None => vec![] }; let lead = LeadMilestones::from_facts(&MilestoneStages::new(m.clone(), m, q), &Lead::new(id, at("2024-07-01T09:00:00Z")?), &changes, &[], &dispositions)?; QualityFact::from_milestones(&lead, meets_rules).ok_or_else(|| ErrorKind::UnknownKey { kind: "mql", key: "none".into() }.into())
    /// # }
    /// // `mql(lead, disposition, became_sql, meets_rules)`: one MQL's `QualityFact`, derived from its facts.
    ///
    /// let commitment = QualityCommitment::new("mql_quality")?.min_meeting_rules(Probability::from_percent(80)?);
    /// let mut tally = QualityTally::new(&commitment);
    /// for (id, meets_rules) in [("L-1", true), ("L-2", true), ("L-3", false)] {
    ///     tally.push(&mql(id, Some(DispositionOutcome::Accepted), false, meets_rules)?)?;
    /// }
    /// let check = tally.finish().checks.into_iter().next();
    /// assert_eq!(check.map(|c| (c.metric, c.met)), Some((QualityMetric::MeetingRules, Some(false))));
    /// assert_eq!(check.and_then(|c| c.gap_points), Some(dec!(13.33333333333333333333333333))); // 80% - 66.67%
    /// # Ok::<(), revops::Error>(())
    /// ```
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
