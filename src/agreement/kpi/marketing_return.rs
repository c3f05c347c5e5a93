//! [`ReturnTerms`]: the return on marketing the board shows (the table of
//! [`ReturnOnMarketingTally`](crate::metrics::ReturnOnMarketingTally) and cost per stage).

use super::ReportWindow;
use crate::{Error, ErrorKind, StageId};

/// Return on marketing ([definitions, section 6](crate::definitions::marketing_return)): the
/// spend of a window by channel and campaign beside the revenue the named rule-based models
/// attribute to the journeys converting in it, ROAS and ROI per model side by side, and the
/// cost per lead, MQL, SQL, opportunity and new customer of the window.
///
/// - `models` names rule-based models of the agreement's attribution part
///   ([`AttributionTerms::models`](crate::agreement::AttributionTerms::models)), one column
///   each, in this order; checked by [`Agreement::new`](crate::agreement::Agreement::new). The
///   data-driven models (Markov, Shapley) are not columns here: they credit channels, not
///   campaigns, and the table reconciles both (see the section).
/// - `stages` names the funnel stages counted as MQL, SQL and opportunity for the cost per
///   stage (each optional: a stage left out has no cost line); checked to be stages of the
///   funnel. Leads are the leads created in the window, customers the accounts whose first
///   won deal closes in it.
///
/// # Wire format
///
/// ```toml
/// [kpis.return_on_marketing]
/// period = { trailing_months = 12 }          # a ReportWindow: spend in it, journeys converting in it
/// models = ["first_touch", "linear", "w_shaped"]
/// stages = { mql = "mql", sql = "sql", opportunity = "opportunity" }   # optional, each key optional
/// ```
///
/// No model, a model named twice or an unknown field is refused on deserialize (and by
/// [`ReturnTerms::check`]).
///
/// ```
/// use revops::agreement::{ReportWindow, ReturnTerms};
///
/// let json = r#"{ "period": { "trailing_months": 12 }, "models": ["linear", "w_shaped"],
///   "stages": { "mql": "mql" } }"#;
/// let terms: ReturnTerms = serde_json::from_str(json)?;
/// assert_eq!(terms.period, ReportWindow::TrailingMonths(12));
/// assert_eq!(terms.models, ["linear", "w_shaped"]);
/// assert_eq!(terms.stages.mql.as_ref().map(|s| s.as_str()), Some("mql"));
/// assert_eq!(serde_json::from_str::<ReturnTerms>(&serde_json::to_string(&terms)?)?, terms);
/// // No model, or a model twice: refused.
/// assert!(serde_json::from_str::<ReturnTerms>(&json.replace(r#"["linear", "w_shaped"]"#, "[]")).is_err());
/// assert!(serde_json::from_str::<ReturnTerms>(&json.replace("w_shaped", "linear")).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "ReturnWire")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(with = "ReturnWire"))]
pub struct ReturnTerms {
    /// Spend lines inside this window, and journeys converting in it, count.
    pub period: ReportWindow,
    /// The rule-based attribution models, one column each, in this order.
    pub models: Vec<String>,
    /// The funnel stages the cost per stage divides by.
    #[serde(default, skip_serializing_if = "CostStages::is_empty")]
    pub stages: CostStages,
}

/// The funnel stages counted as MQL, SQL and opportunity by the cost per stage of
/// [`ReturnTerms`] (each optional).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CostStages {
    /// The stage whose first entries count as MQLs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mql: Option<StageId>,
    /// The stage whose first entries count as SQLs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql: Option<StageId>,
    /// The stage whose first entries count as opportunities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opportunity: Option<StageId>,
}

impl CostStages {
    /// Whether no stage is named.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.mql.is_none() && self.sql.is_none() && self.opportunity.is_none()
    }

    /// The named stages with their part names (`mql`, `sql`, `opportunity`).
    pub fn named(&self) -> impl Iterator<Item = (&'static str, &StageId)> {
        [("mql", &self.mql), ("sql", &self.sql), ("opportunity", &self.opportunity)]
            .into_iter()
            .filter_map(|(part, stage)| stage.as_ref().map(|s| (part, s)))
    }
}

impl ReturnTerms {
    /// Terms over `period` for `models` (in this order), without cost stages.
    ///
    /// # Errors
    /// As [`ReturnTerms::check`].
    pub fn new<S: Into<String>>(
        period: ReportWindow,
        models: impl IntoIterator<Item = S>,
    ) -> Result<ReturnTerms, Error> {
        let terms =
            ReturnTerms { period, models: models.into_iter().map(Into::into).collect(), stages: CostStages::default() };
        terms.check()?;
        Ok(terms)
    }

    /// The same terms with cost stages.
    #[must_use]
    pub fn with_stages(mut self, stages: CostStages) -> ReturnTerms {
        self.stages = stages;
        self
    }

    /// Checks the terms on their own (the agreement checks the names against its parts).
    ///
    /// # Errors
    /// [`ErrorKind::Empty`] without a model; [`ErrorKind::DuplicateKey`] naming a model given twice.
    pub fn check(&self) -> Result<(), Error> {
        if self.models.is_empty() {
            return Err(ErrorKind::Empty { what: "kpis.return_on_marketing.models" }.into());
        }
        for (i, m) in self.models.iter().enumerate() {
            if self.models.iter().take(i).any(|n| n == m) {
                return Err(ErrorKind::DuplicateKey { kind: "kpis.return_on_marketing model", key: m.clone() }.into());
            }
        }
        Ok(())
    }
}

/// The wire form of [`ReturnTerms`], checked into it.
#[derive(serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct ReturnWire {
    /// Spend lines inside this window, and journeys converting in it, count.
    period: ReportWindow,
    /// The rule-based attribution models (names of `attribution.models`), one column each.
    models: Vec<String>,
    /// The funnel stages the cost per stage divides by (default: none).
    #[serde(default)]
    stages: CostStages,
}

impl TryFrom<ReturnWire> for ReturnTerms {
    type Error = Error;

    fn try_from(wire: ReturnWire) -> Result<ReturnTerms, Error> {
        let terms = ReturnTerms { period: wire.period, models: wire.models, stages: wire.stages };
        terms.check()?;
        Ok(terms)
    }
}
