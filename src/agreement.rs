//! The operating agreement as one document: [`Agreement`].
//!
//! Sales and marketing write down one agreement (the ICP, what each stage means and who owns
//! it, the MQL rule, the SLAs, how revenue is credited, which KPIs they share) and every system
//! computes from it. An [`Agreement`] bundles every definition of the crate under one name,
//! version and effective date, checks the parts against each other (an SLA names a calendar
//! that exists, a KPI names stages of the funnel, attribution milestones map to funnel stages),
//! and has a [`Fingerprint`] of its canonical form, so two services can prove they computed
//! with the same agreement, and a [`diff`](Agreement::diff) that says in words what changed
//! between two versions.
//!
//! The document is a serde value: TOML and JSON both work (the caller reads the file; the crate
//! does no I/O). Deserializing validates exactly like [`Agreement::new`]. The module needs the
//! `serde` feature (the fingerprint is a hash of the serialized canonical form).
//!
//! # Wire format
//!
//! The top level, in TOML (every part but the name, version, date, zone and funnel is optional):
//!
//! ```toml
//! name = "Acme revenue agreement"
//! version = "2025.1"
//! effective = "2025-01-01"
//! reporting_zone = "America/New_York"
//!
//! [calendars.new_york]      # a BusinessCalendar
//! [funnel]                  # a funnel::Funnel
//! [scoring]                 # a funnel::ScoringModel (lead scoring)
//! [mql]                     # a funnel::Qualification (the MQL rule)
//! [[icp]]                   # an icp::IcpSet (one table per segment); [tiers] an icp::Tiers
//! [sla.sales_follow_up]     # calendar = "new_york", policies = a sla::SlaAgreement
//! [attribution.models.w]    # an attribution::Model; [attribution.milestones] maps to stages
//! [attribution.markov.m1]   # an attribution::MarkovModel; attribution.shapley: ShapleyModels
//! [kpis]                    # the shared KPI definitions (Kpis)
//! [rates]                   # a RateTerms: money in other currencies reported in kpis.currency
//! [crm.hubspot]             # a crm::StageMap: CRM stage names -> funnel stages
//! ```
//!
//! Each part's own format is documented on its type. Unknown fields are refused.
//!
//! Complete, commented agreements to start from are in the repository's `examples/agreements/`:
//! `hubspot_lifecycle.toml` (HubSpot lifecycle stages and deal pipeline), `salesforce_waterfall.toml`
//! (a demand waterfall with Salesforce Lead Status and `StageName` mappings) and `sample.toml`
//! (the sample company's, `testkit::sample_agreement`); the README's "Writing an agreement" walks through a
//! minimal one. What each figure means is in [`definitions`](crate::definitions).
//!
//! # Example
//!
//! ```
//! use revops::agreement::{Agreement, AgreementParts};
//! use revops::funnel::Funnel;
//!
//! let parts = AgreementParts::new("Acme", "1", "2025-01-01".parse()?, "America/New_York".parse()?, Funnel::demand_waterfall());
//! let agreement = Agreement::new(parts)?;
//! assert_eq!(agreement.name(), "Acme");
//! let json = serde_json::to_string(&agreement)?;
//! let back: Agreement = serde_json::from_str(&json)?;
//! assert_eq!(back.fingerprint(), agreement.fingerprint());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::attribution::{MarkovModel, Model, ShapleyModel};
use crate::calendar::{BusinessCalendar, Zone};
use crate::crm::StageMap;
use crate::funnel::{Funnel, Qualification, ScoringModel};
use crate::icp::{IcpSet, Tiers};
use crate::sla::{MilestoneStages, SlaAgreement};
use crate::{Currency, Error, ErrorKind, StageId};

mod canonical;
mod diff;
mod fingerprint;
mod kpi;
mod metric;
mod rates;
#[cfg(feature = "schema")]
mod schema;
pub mod scorecard;
mod sha256;
mod sla_terms;
#[cfg(test)]
mod tests;
mod validate;

pub use diff::Change;
pub use fingerprint::Fingerprint;
pub use kpi::{
    CacRatioTerms, CohortGrain, ConversionStep, CostStages, CoverageTerms, CycleTerms, DealGrouping, EconomicsTerms,
    EmployeeBand, ExperimentTerms, ForecastTerms, FunnelHygiene, IcpReview, Kpis, LeadGrouping, MqlHandoff,
    PipelineTerms, ReportWindow, RetentionKpiTerms, ReturnTerms, StageRate, VelocityTerms, WaterfallTerms,
    WinRateTerms,
};
pub use metric::{MetricDefinition, MetricFacts, MetricPeriod, MetricTally, MetricTerms, MetricValue};
pub use rates::RateTerms;
#[cfg(feature = "schema")]
pub use schema::json_schema;
pub use sla_terms::{MAX_VOLUME_MONTHS, TeamRule, VolumeMonths};

/// One SLA part of an agreement: the policies, the business calendar they are measured in
/// (named in [`AgreementParts::calendars`]), the funnel stages their clocks start and stop at,
/// how leads map to teams, and the months marketing's volume is reported over.
///
/// The lead milestones live here, not among the [`Kpis`]: they say what the SLA clocks
/// measure (an MQL's response clock starts at the `mql` stage, the disposition clock at the
/// `handoff`), so they belong to the promise they define, as the attribution milestones belong
/// to the attribution part; two SLA parts may clock from different stages.
///
/// # Wire format
///
/// ```toml
/// calendar = "new_york"
/// milestones = { mql = "mql", handoff = "mql", sql = "sql" }   # stages of the funnel
/// teams = "account_region"                                     # a TeamRule; default "lead_owner"
/// volume_months = { first = "2024-09", last = "2024-12" }      # needed by volume commitments
/// [policies]                                                   # a sla::SlaAgreement
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SlaTerms {
    /// The key of the calendar the policies' business time is measured in.
    pub calendar: String,
    /// The policies.
    pub policies: SlaAgreement,
    /// The funnel stages that mark a lead's MQL, handoff and SQL: what the SLA clocks start
    /// and stop at ([`LeadMilestones`](crate::sla::LeadMilestones)).
    pub milestones: MilestoneStages,
    /// How a lead maps to the team it is reported under.
    #[serde(default)]
    pub teams: TeamRule,
    /// The months the volume commitments are evaluated over (needed when there are any).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_months: Option<VolumeMonths>,
}

impl SlaTerms {
    /// The terms of `policies` measured in calendar `calendar`, clocked at `milestones`,
    /// reported by lead owner, with no volume months.
    #[must_use]
    pub fn new(calendar: impl Into<String>, policies: SlaAgreement, milestones: MilestoneStages) -> SlaTerms {
        SlaTerms { calendar: calendar.into(), policies, milestones, teams: TeamRule::default(), volume_months: None }
    }
}

/// The stages whose entry stamps each attribution milestone of a journey
/// ([`Milestones`](crate::facts::Milestones)): lead created, opportunity created, closed won.
///
/// # Wire format
///
/// `{ "lead": "lead", "opportunity": "opportunity", "won": "won" }` (stage ids of the funnel).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AttributionStages {
    /// The stage whose entry is "lead created".
    pub lead: StageId,
    /// The stage whose entry is "opportunity created".
    pub opportunity: StageId,
    /// The stage whose entry is "closed won".
    pub won: StageId,
}

/// The attribution part of an agreement: the named models (rule-based, Markov and Shapley),
/// where their milestones sit in the funnel, and the currency of the data-driven models.
///
/// # Wire format
///
/// ```toml
/// currency = "USD"                 # needed by the data-driven models
/// [models.w_shaped]                # an attribution::Model (rule-based)
/// [markov.markov_o1]               # an attribution::MarkovModel
/// order = 1
/// [shapley]                        # attribution::ShapleyModels by name
/// shapley = "simplified"
/// [milestones]                     # AttributionStages
/// ```
///
/// Model names are keys (sorted on output), unique across `models`, `markov` and `shapley`:
/// the scorecard names every model's column by it.
///
/// # Example
///
/// ```
/// use revops::agreement::AttributionTerms;
/// use revops::attribution::ShapleyModel;
///
/// let terms: AttributionTerms = toml::from_str("currency = \"USD\"\nshapley = { shapley = \"ordered\" }\n[markov.markov_o2]\norder = 2\n")?;
/// assert_eq!(terms.markov["markov_o2"].order(), 2);
/// assert_eq!(terms.shapley["shapley"], ShapleyModel::Ordered);
/// assert!(toml::from_str::<AttributionTerms>("[markov.m]\norder = 9\n").is_err()); // orders 1 to 8
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AttributionTerms {
    /// The rule-based models, by name.
    #[serde(default)]
    pub models: BTreeMap<String, Model>,
    /// The Markov removal-effect models, by name.
    #[serde(default)]
    pub markov: BTreeMap<String, MarkovModel>,
    /// The Shapley models, by name.
    #[serde(default)]
    pub shapley: BTreeMap<String, ShapleyModel>,
    /// The currency the data-driven (Markov and Shapley) models count conversion value in;
    /// required when there is one. They set aside a journey converting in another currency.
    #[serde(default)]
    pub currency: Option<Currency>,
    /// The milestones' stages; needed when a model credits a milestone (W-shaped, full path).
    #[serde(default)]
    pub milestones: Option<AttributionStages>,
}

/// The parts of an [`Agreement`], as plain fields: build them, then [`Agreement::new`] checks
/// them together. This is also the wire format (see the [module docs](self)).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AgreementParts {
    /// The agreement's name, e.g. `"Acme revenue agreement"`.
    pub name: String,
    /// Its version, as the teams number them, e.g. `"2025.1"`.
    pub version: String,
    /// The date it takes effect (in the reporting zone).
    #[cfg_attr(feature = "schema", schemars(with = "crate::wire::schema::Date"))]
    pub effective: NaiveDate,
    /// The zone that reporting buckets (days, weeks, months, quarters, years) use: an IANA
    /// location (DST-correct), or a fixed offset asked for explicitly (see [`Zone`]; `"EST"` and
    /// other fixed-offset abbreviations are refused).
    pub reporting_zone: Zone,
    /// The business calendars, by key (per team or region).
    #[serde(default)]
    pub calendars: BTreeMap<String, BusinessCalendar>,
    /// The funnel both teams signed.
    pub funnel: Funnel,
    /// Lead scoring.
    #[serde(default)]
    pub scoring: Option<ScoringModel>,
    /// The MQL rule.
    #[serde(default)]
    pub mql: Option<Qualification>,
    /// The ideal customer profiles, one per segment.
    #[serde(default)]
    pub icp: Option<IcpSet>,
    /// The fit-score tiers.
    #[serde(default)]
    pub tiers: Option<Tiers>,
    /// The SLA parts, by key.
    #[serde(default)]
    pub sla: BTreeMap<String, SlaTerms>,
    /// The attribution models.
    #[serde(default)]
    pub attribution: AttributionTerms,
    /// The shared KPI definitions.
    #[serde(default)]
    pub kpis: Kpis,
    /// The currency rates that report money in other currencies in
    /// [`Kpis::currency`] (none: a record in another currency is set aside).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rates: Option<RateTerms>,
    /// How each CRM's stage names map to the funnel, by CRM (e.g. `"hubspot"`, `"salesforce"`):
    /// the [`crm`](crate::crm) mappings read exports through these.
    #[serde(default)]
    pub crm: BTreeMap<String, StageMap>,
}

impl AgreementParts {
    /// The required parts, every optional part empty.
    #[must_use]
    pub fn new(
        name: impl Into<String>,
        version: impl Into<String>,
        effective: NaiveDate,
        reporting_zone: Zone,
        funnel: Funnel,
    ) -> AgreementParts {
        AgreementParts {
            name: name.into(),
            version: version.into(),
            effective,
            reporting_zone,
            calendars: BTreeMap::new(),
            funnel,
            scoring: None,
            mql: None,
            icp: None,
            tiers: None,
            sla: BTreeMap::new(),
            attribution: AttributionTerms::default(),
            kpis: Kpis::default(),
            rates: None,
            crm: BTreeMap::new(),
        }
    }
}

/// The operating agreement: every definition, checked together, with its [`Fingerprint`].
///
/// Built by [`Agreement::new`] or by deserializing (which runs the same checks). Example: the
/// [module docs](self).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "AgreementParts", into = "AgreementParts")]
pub struct Agreement {
    parts: AgreementParts,
    fingerprint: Fingerprint,
    canonical: String,
}

impl Agreement {
    /// Checks the parts against each other and computes the fingerprint.
    ///
    /// # Errors
    ///
    /// - [`ErrorKind::InvalidValue`] for an empty name or version;
    /// - [`ErrorKind::UnknownReference`] naming the part and the key when a part names a
    ///   calendar, stage or model that does not exist.
    pub fn new(parts: AgreementParts) -> Result<Agreement, Error> {
        validate::check(&parts)?;
        let (fingerprint, canonical) = Fingerprint::of(&parts)?;
        Ok(Agreement { parts, fingerprint, canonical })
    }

    /// The parts, as given.
    #[must_use]
    pub const fn parts(&self) -> &AgreementParts {
        &self.parts
    }

    /// The name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.parts.name
    }

    /// The version.
    #[must_use]
    pub fn version(&self) -> &str {
        &self.parts.version
    }

    /// The reporting zone.
    #[must_use]
    pub const fn reporting_zone(&self) -> Zone {
        self.parts.reporting_zone
    }

    /// The funnel.
    #[must_use]
    pub const fn funnel(&self) -> &Funnel {
        &self.parts.funnel
    }

    /// The calendar with key `key`, if the agreement has one.
    #[must_use]
    pub fn calendar(&self, key: &str) -> Option<&BusinessCalendar> {
        self.parts.calendars.get(key)
    }

    /// The fingerprint of the canonical form: equal agreements, however written (key order,
    /// TOML or JSON, human or canonical units), have equal fingerprints.
    #[must_use]
    pub const fn fingerprint(&self) -> &Fingerprint {
        &self.fingerprint
    }

    /// The canonical form the fingerprint hashes: JSON, object keys sorted by their UTF-8
    /// bytes, no whitespace. Equal agreements have equal canonical forms, however written.
    #[must_use]
    pub fn canonical_json(&self) -> &str {
        &self.canonical
    }

    /// What changed from `self` to `newer`, definition by definition, in words, in document
    /// order (empty when the fingerprints are equal).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::agreement::{Agreement, AgreementParts};
    /// use revops::funnel::Funnel;
    ///
    /// let old = AgreementParts::new("Acme", "1", "2025-01-01".parse()?, "America/New_York".parse()?, Funnel::demand_waterfall());
    /// let new = AgreementParts { version: "2".into(), reporting_zone: "Europe/London".parse()?, ..old.clone() };
    /// let changes = Agreement::new(old)?.diff(&Agreement::new(new)?);
    /// let words: Vec<String> = changes.iter().map(ToString::to_string).collect();
    /// assert_eq!(words, ["version: \"1\" -> \"2\"", "reporting zone: \"America/New_York\" -> \"Europe/London\""]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn diff(&self, newer: &Agreement) -> Vec<Change> {
        if self.fingerprint == newer.fingerprint {
            return Vec::new();
        }
        diff::between(&self.parts, &newer.parts)
    }
}

impl TryFrom<AgreementParts> for Agreement {
    type Error = Error;

    fn try_from(parts: AgreementParts) -> Result<Agreement, Error> {
        Agreement::new(parts)
    }
}

impl From<Agreement> for AgreementParts {
    fn from(agreement: Agreement) -> AgreementParts {
        agreement.parts
    }
}

/// The error for a name or version that is empty.
fn blank(field: &'static str) -> Error {
    ErrorKind::InvalidValue { field, value: String::new(), reason: "must not be empty" }.into()
}
