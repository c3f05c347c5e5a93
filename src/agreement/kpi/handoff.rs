//! [`MqlHandoff`]: how the board reads the MQL-to-SAL handoffs (completeness and the score
//! rule), and [`EmployeeBand`], the account headcount bands lead scoring reads as fit traits.

use crate::funnel::Qualification;
use crate::{Error, ErrorKind, StageId};

/// One headcount band: accounts with at least `from` employees (and fewer than the next
/// band's `from`) get the fit trait `trait`.
///
/// # Wire format
///
/// `{ "from": 200, "trait": "employees_200_999" }`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EmployeeBand {
    /// The band's lowest headcount.
    pub from: u32,
    /// The fit trait scoring rules match, e.g. `employees_200_999`.
    #[serde(rename = "trait")]
    pub trait_key: String,
}

/// The MQL-to-SAL handoff board: each lead's handoff when it first enters `from`, derived from
/// its facts and checked against the fields the funnel requires from `from` to `to`
/// ([`Funnel::validate_handoff`](crate::funnel::Funnel::validate_handoff)), and the share of
/// handoffs whose lead meets `score_rule` on its scores at the handoff (the agreement's
/// scoring model over the account's fit traits and the lead's touches up to then).
///
/// A handoff derived from the facts carries: the lead and its account, owner and source; the
/// MQL instant (also when it was routed); the fit and engagement scores; as MQL reason the
/// score rule's description when met, `"hand-raise (below the score rule)"` otherwise; the
/// first and last touch up to then and the last three campaigns; and the SLA deadline: the
/// response target of SLA part `sla` after the MQL, in its business calendar. Fit traits of an
/// account: its industry, region and technologies as given, and its headcount band.
///
/// # Wire format
///
/// ```toml
/// [kpis.mql_handoff]
/// from = "mql"
/// to = "sal"
/// sla = "sales_follow_up"
/// employee_bands = [{ from = 0, trait = "employees_1_49" }, { from = 50, trait = "employees_50_199" }]
/// score_rule = { name = "score thresholds", rule = { all = [
///     { key = "fit", fit_score_at_least = "40 points" },
///     { key = "engagement", engagement_score_at_least = "10 points" } ] } }
/// ```
///
/// Bands ascend strictly by `from`; the first starts at 0.
///
/// # Example
///
/// ```
/// use revops::agreement::MqlHandoff;
///
/// let text = r#"{ "from": "mql", "to": "sal", "sla": "follow_up",
///   "employee_bands": [{ "from": 0, "trait": "small" }, { "from": 500, "trait": "large" }],
///   "score_rule": { "name": "fit", "rule": { "key": "fit", "fit_score_at_least": "40 points" } } }"#;
/// let handoff: MqlHandoff = serde_json::from_str(text)?;
/// assert_eq!((handoff.band(499), handoff.band(500)), (Some("small"), Some("large")));
/// // Bands out of order are refused on deserialize.
/// assert!(serde_json::from_str::<MqlHandoff>(&text.replace("\"from\": 500", "\"from\": 0")).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "HandoffRepr", into = "HandoffRepr")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MqlHandoff {
    /// The stage whose first entry hands the lead over (e.g. `mql`).
    pub from: StageId,
    /// The stage it is handed to (e.g. `sal`).
    pub to: StageId,
    /// The SLA part whose response target sets each handoff's SLA deadline.
    pub sla: String,
    /// The headcount bands, ascending.
    pub employee_bands: Vec<EmployeeBand>,
    /// The rule whose share of handoffs the board shows (e.g. fit 40 and engagement 10).
    pub score_rule: Qualification,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct HandoffRepr {
    /// The stage whose first entry hands the lead over (e.g. `mql`).
    from: StageId,
    /// The stage it is handed to (e.g. `sal`).
    to: StageId,
    /// The SLA part whose response target sets each handoff's SLA deadline.
    sla: String,
    /// The headcount bands, ascending.
    employee_bands: Vec<EmployeeBand>,
    /// The rule whose share of handoffs the board shows (e.g. fit 40 and engagement 10).
    score_rule: Qualification,
}

impl TryFrom<HandoffRepr> for MqlHandoff {
    type Error = Error;

    fn try_from(r: HandoffRepr) -> Result<MqlHandoff, Error> {
        let handoff = MqlHandoff {
            from: r.from,
            to: r.to,
            sla: r.sla,
            employee_bands: r.employee_bands,
            score_rule: r.score_rule,
        };
        handoff.check()?;
        Ok(handoff)
    }
}

impl From<MqlHandoff> for HandoffRepr {
    fn from(h: MqlHandoff) -> HandoffRepr {
        HandoffRepr { from: h.from, to: h.to, sla: h.sla, employee_bands: h.employee_bands, score_rule: h.score_rule }
    }
}

impl MqlHandoff {
    /// Checks the bands: the first from 0, each after the one before.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] (field `kpis.mql_handoff.employee_bands`).
    pub fn check(&self) -> Result<(), Error> {
        let bad =
            |value: String, reason| ErrorKind::InvalidValue { field: "kpis.mql_handoff.employee_bands", value, reason };
        if self.employee_bands.first().is_some_and(|b| b.from != 0) {
            return Err(bad(String::new(), "the first band must start at 0").into());
        }
        for pair in self.employee_bands.windows(2) {
            if let [a, b] = pair
                && a.from >= b.from
            {
                return Err(bad(b.from.to_string(), "bands must ascend strictly by `from`").into());
            }
        }
        Ok(())
    }

    /// The fit trait of a headcount: its band's trait (`None` without bands).
    #[must_use]
    pub fn band(&self, employees: u32) -> Option<&str> {
        self.employee_bands.iter().rev().find(|b| b.from <= employees).map(|b| b.trait_key.as_str())
    }
}
