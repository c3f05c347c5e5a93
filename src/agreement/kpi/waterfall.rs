//! [`WaterfallTerms`]: the funnel waterfall the board shows (the output of
//! [`WaterfallTally`](crate::metrics::WaterfallTally) over the agreement's leads), and the
//! [`ExperimentTerms`] read off its groups.

use super::ReportWindow;
use super::deals::invalid;
use crate::experiment::Correction;
use crate::facts::Lead;
use crate::funnel::Reach;
use crate::metrics::DEFAULT_AGING_EDGES;
use crate::{ChannelId, Error, Probability, StageId};

/// The key that splits the leads of the waterfall into groups.
///
/// # Wire format
///
/// `"lead_source"` (the lead's [`Lead::source`]) or `"owner"` (its [`Lead::owner`]); a lead
/// without one groups under [`UNASSIGNED`](crate::agreement::scorecard::UNASSIGNED), as the
/// SLA section's teams do.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum LeadGrouping {
    /// The lead's source channel. The default.
    #[default]
    LeadSource,
    /// The lead's owner (a user or a queue).
    Owner,
}

impl LeadGrouping {
    /// The key of `lead` under this grouping (`None`: the lead has no such key).
    #[must_use]
    pub fn key(self, lead: &Lead) -> Option<&str> {
        match self {
            LeadGrouping::LeadSource => lead.source.as_ref().map(ChannelId::as_str),
            LeadGrouping::Owner => lead.owner.as_deref(),
        }
    }
}

/// Which conversion of a waterfall stage an experiment compares.
///
/// # Wire format
///
/// `"to_next"` (advanced / entered), `"settled"` (advanced / (advanced + leaked)) or
/// `"to_won"` (won / entered): the three rates of a
/// [`StageFlow`](crate::metrics::StageFlow).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum StageRate {
    /// Advanced over entered.
    ToNext,
    /// Advanced over advanced plus leaked (the entities that left the stage).
    Settled,
    /// Won over entered.
    ToWon,
}

/// One experiment on the board: a stage's conversion ([`StageRate`]) of one waterfall group
/// (the control) against each of the others, compared with
/// [`compare_all`](crate::experiment::compare_all): the difference, Newcombe's interval,
/// the pooled z test and a verdict, corrected for the number of variants.
///
/// A group the waterfall did not see (no lead with that key entered anything) compares as
/// `0/0`: no comparison, never a verdict. The groups are the waterfall's, so an experiment
/// reads the waterfall's period, reach and grouping: a landing-page test whose variants are
/// recorded as lead sources, or two sources' win rates from a stage.
///
/// # Wire format
///
/// ```toml
/// [[kpis.waterfall.experiments]]
/// name = "webinar against paid search, MQL to won"
/// stage = "mql"               # an open stage of the funnel's order
/// rate = "to_won"             # to_next | settled | to_won
/// control = "paid_search"     # a group key of the waterfall
/// variants = ["webinar"]      # at least one, none equal to the control, each once
/// confidence = "95%"          # optional, default 95%
/// correction = "holm"         # optional: holm (default), bonferroni, none
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "ExperimentWire")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(with = "ExperimentWire"))]
pub struct ExperimentTerms {
    /// What the experiment asks, in words.
    pub name: String,
    /// The waterfall stage whose conversion is compared.
    pub stage: StageId,
    /// Which of its conversions.
    pub rate: StageRate,
    /// The control group's key.
    pub control: String,
    /// The variant groups' keys, each against the control.
    pub variants: Vec<String>,
    /// The confidence level of the intervals and verdicts.
    pub confidence: Probability,
    /// The correction for comparing several variants.
    pub correction: Correction,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct ExperimentWire {
    /// What the experiment asks, in words.
    name: String,
    /// The waterfall stage whose conversion is compared (an open stage of the funnel's order).
    stage: StageId,
    /// Which of its conversions: `to_next`, `settled` or `to_won`.
    rate: StageRate,
    /// The control group's key.
    control: String,
    /// The variant groups' keys (at least one, none equal to the control, each once).
    variants: Vec<String>,
    /// The confidence level (default 95%).
    #[serde(default = "ninety_five")]
    confidence: Probability,
    /// The correction for several variants (default holm).
    #[serde(default)]
    correction: Correction,
}

fn ninety_five() -> Probability {
    Probability::from_percent(95).unwrap_or(Probability::ONE)
}

impl TryFrom<ExperimentWire> for ExperimentTerms {
    type Error = Error;
    fn try_from(w: ExperimentWire) -> Result<ExperimentTerms, Error> {
        let terms = ExperimentTerms {
            name: w.name,
            stage: w.stage,
            rate: w.rate,
            control: w.control,
            variants: w.variants,
            confidence: w.confidence,
            correction: w.correction,
        };
        terms.check()?;
        Ok(terms)
    }
}

impl ExperimentTerms {
    /// Checks the experiment on its own (the agreement checks the stage against its funnel).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) for an empty name, no
    /// variant, a variant equal to the control or given twice, or a confidence of 0 or 1.
    pub fn check(&self) -> Result<(), Error> {
        let field = "kpis.waterfall.experiments";
        if self.name.trim().is_empty() {
            return Err(invalid(field, String::new(), "an experiment needs a name"));
        }
        if self.variants.is_empty() {
            return Err(invalid(field, self.name.clone(), "an experiment needs at least one variant"));
        }
        for (i, v) in self.variants.iter().enumerate() {
            if *v == self.control || self.variants.iter().take(i).any(|w| w == v) {
                return Err(invalid(field, v.clone(), "each variant once, none equal to the control"));
            }
        }
        if self.confidence == Probability::ZERO || self.confidence == Probability::ONE {
            return Err(invalid(field, self.confidence.to_string(), "a confidence strictly between 0 and 1"));
        }
        Ok(())
    }
}

/// The funnel waterfall ([definitions, section 8](crate::definitions::waterfall)) over the
/// agreement's leads: per open stage of the funnel's order entered, advanced, leaked (by
/// kind and rejection reason), still open, conversion to the next stage and to won; time in
/// stage; aging of open leads; each group's win rate and cycle against the overall; and the
/// experiments read off the groups.
///
/// Each lead is one [`WaterfallRecord`](crate::metrics::WaterfallRecord): its stage history
/// from its stage changes, created at its creation, its leak reason the reason of its last
/// rejecting or recycling disposition, grouped by `group_by`. Leads have no close date, so
/// no lead is past due.
///
/// # Wire format
///
/// ```toml
/// [kpis.waterfall]
/// period = { trailing_months = 12 }   # a ReportWindow: entries (and exits, closes) in it count
/// reach = "strict"                    # optional: strict (default) or or_beyond
/// group_by = "lead_source"            # optional: lead_source (default) or owner
/// aging_days = [0, 30, 60, 90, 180]   # optional: the aging buckets' lower edges (the default)
/// percentiles = [95]                  # optional: extra time-in-stage percentiles
/// [[kpis.waterfall.experiments]]      # optional: ExperimentTerms, each in board order
/// ```
///
/// Aging edges that do not start at 0 or do not increase, a percentile outside `1..=100`, an
/// experiment named twice or an unknown field are refused on deserialize (and by
/// [`WaterfallTerms::check`]).
///
/// ```
/// use revops::agreement::{LeadGrouping, ReportWindow, StageRate, WaterfallTerms};
/// use revops::funnel::Reach;
///
/// let toml = r#"
/// period = { trailing_months = 12 }
/// [[experiments]]
/// name = "webinar against paid search"
/// stage = "mql"
/// rate = "to_won"
/// control = "paid_search"
/// variants = ["webinar"]
/// "#;
/// let terms: WaterfallTerms = toml::from_str(toml)?;
/// assert_eq!((terms.period, terms.reach, terms.group_by), (ReportWindow::TrailingMonths(12), Reach::Strict, LeadGrouping::LeadSource));
/// assert_eq!(terms.aging_days, [0, 30, 60, 90, 180]);
/// assert_eq!(terms.experiments[0].rate, StageRate::ToWon);
/// assert_eq!(terms.experiments[0].confidence.to_string(), "95%");
/// assert_eq!(serde_json::from_str::<WaterfallTerms>(&serde_json::to_string(&terms)?)?, terms);
/// // A variant equal to the control, aging edges not from 0: refused.
/// assert!(toml::from_str::<WaterfallTerms>(&toml.replace(r#"["webinar"]"#, r#"["paid_search"]"#)).is_err());
/// assert!(toml::from_str::<WaterfallTerms>(&format!("aging_days = [5, 10]\n{toml}")).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "WaterfallWire")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(with = "WaterfallWire"))]
pub struct WaterfallTerms {
    /// Entries into a stage (and exits, closes) in this window count.
    pub period: ReportWindow,
    /// Whether a skip passes the skipped stages.
    pub reach: Reach,
    /// The key of the groups.
    pub group_by: LeadGrouping,
    /// The aging buckets' lower edges, in days.
    pub aging_days: Vec<u32>,
    /// Extra nearest-rank percentiles of time in stage.
    pub percentiles: Vec<u8>,
    /// The experiments read off the groups, in board order.
    pub experiments: Vec<ExperimentTerms>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct WaterfallWire {
    /// Entries into a stage (and exits, closes) in this window count.
    period: ReportWindow,
    /// `strict` (default): entry into the stage itself; `or_beyond`: or into a later stage.
    #[serde(default = "strict")]
    reach: Reach,
    /// `lead_source` (default) or `owner`.
    #[serde(default)]
    group_by: LeadGrouping,
    /// The aging buckets' lower edges in days: from 0, strictly increasing (default 0, 30, 60, 90, 180).
    #[serde(default = "default_aging")]
    aging_days: Vec<u32>,
    /// Extra time-in-stage percentiles, each 1 to 100, strictly increasing (default none).
    #[serde(default)]
    percentiles: Vec<u8>,
    /// The experiments read off the groups (default none).
    #[serde(default)]
    experiments: Vec<ExperimentTerms>,
}

const fn strict() -> Reach {
    Reach::Strict
}

fn default_aging() -> Vec<u32> {
    DEFAULT_AGING_EDGES.to_vec()
}

impl TryFrom<WaterfallWire> for WaterfallTerms {
    type Error = Error;
    fn try_from(w: WaterfallWire) -> Result<WaterfallTerms, Error> {
        let terms = WaterfallTerms {
            period: w.period,
            reach: w.reach,
            group_by: w.group_by,
            aging_days: w.aging_days,
            percentiles: w.percentiles,
            experiments: w.experiments,
        };
        terms.check()?;
        Ok(terms)
    }
}

impl WaterfallTerms {
    /// Terms over `period` with the defaults: strict reach, grouped by lead source, the default
    /// aging buckets, no extra percentile, no experiment.
    #[must_use]
    pub fn new(period: ReportWindow) -> WaterfallTerms {
        WaterfallTerms {
            period,
            reach: Reach::Strict,
            group_by: LeadGrouping::LeadSource,
            aging_days: default_aging(),
            percentiles: Vec::new(),
            experiments: Vec::new(),
        }
    }

    /// The same terms with `experiment` added last.
    ///
    /// # Errors
    /// As [`WaterfallTerms::check`].
    pub fn with_experiment(mut self, experiment: ExperimentTerms) -> Result<WaterfallTerms, Error> {
        self.experiments.push(experiment);
        self.check()?;
        Ok(self)
    }

    /// Checks the terms on their own (the agreement checks the stages against its funnel).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) for aging edges or
    /// percentiles the waterfall's definition refuses, an experiment named twice, or an
    /// experiment [`ExperimentTerms::check`] refuses.
    pub fn check(&self) -> Result<(), Error> {
        let increasing = |v: &[u32]| v.windows(2).all(|w| w.first() < w.get(1));
        if self.aging_days.first() != Some(&0) || !increasing(&self.aging_days) {
            let value = format!("{:?}", self.aging_days);
            return Err(invalid("kpis.waterfall.aging_days", value, "edges from 0, strictly increasing"));
        }
        let p: Vec<u32> = self.percentiles.iter().map(|&p| u32::from(p)).collect();
        if p.iter().any(|p| !(1..=100).contains(p)) || !increasing(&p) {
            let value = format!("{:?}", self.percentiles);
            return Err(invalid("kpis.waterfall.percentiles", value, "each 1 to 100, strictly increasing"));
        }
        for (i, e) in self.experiments.iter().enumerate() {
            e.check()?;
            if self.experiments.iter().take(i).any(|f| f.name == e.name) {
                return Err(invalid("kpis.waterfall.experiments", e.name.clone(), "each experiment name once"));
            }
        }
        Ok(())
    }
}
