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
//! [kpis]                    # the shared KPI definitions (Kpis)
//! [crm.hubspot]             # a crm::StageMap: CRM stage names -> funnel stages
//! ```
//!
//! Each part's own format is documented on its type. Unknown fields are refused.
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

use crate::attribution::Model;
use crate::calendar::{BusinessCalendar, Zone};
use crate::crm::StageMap;
use crate::funnel::{Funnel, Qualification, ScoringModel};
use crate::icp::{IcpSet, Tiers};
use crate::sla::SlaAgreement;
use crate::{Error, ErrorKind, StageId};

mod canonical;
mod diff;
mod fingerprint;
mod kpi;
pub mod scorecard;
mod sha256;
#[cfg(test)]
mod tests;
mod validate;

pub use diff::Change;
pub use fingerprint::Fingerprint;
pub use kpi::{
    CacRatioTerms, ConversionStep, CoverageTerms, CycleTerms, DealGrouping, EconomicsTerms, Kpis, PipelineTerms,
    ReportWindow, VelocityTerms, WinRateTerms,
};

/// One SLA part of an agreement: the policies, and the business calendar they are measured in
/// (named in [`AgreementParts::calendars`]).
///
/// # Wire format
///
/// `{ "calendar": "new_york", "policies": { "response": { ... } } }`; `policies` is a
/// [`SlaAgreement`].
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaTerms {
    /// The key of the calendar the policies' business time is measured in.
    pub calendar: String,
    /// The policies.
    pub policies: SlaAgreement,
}

/// The stages whose entry stamps each attribution milestone of a journey
/// ([`Milestones`](crate::facts::Milestones)): lead created, opportunity created, closed won.
///
/// # Wire format
///
/// `{ "lead": "lead", "opportunity": "opportunity", "won": "won" }` (stage ids of the funnel).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributionStages {
    /// The stage whose entry is "lead created".
    pub lead: StageId,
    /// The stage whose entry is "opportunity created".
    pub opportunity: StageId,
    /// The stage whose entry is "closed won".
    pub won: StageId,
}

/// The attribution part of an agreement: the named models, and where their milestones sit in
/// the funnel.
///
/// # Wire format
///
/// `{ "models": { "w_shaped": <Model>, ... }, "milestones": <AttributionStages> }`; model names
/// are keys (sorted on output).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributionTerms {
    /// The models, by name.
    #[serde(default)]
    pub models: BTreeMap<String, Model>,
    /// The milestones' stages; needed when a model credits a milestone (W-shaped, full path).
    #[serde(default)]
    pub milestones: Option<AttributionStages>,
}

/// The parts of an [`Agreement`], as plain fields: build them, then [`Agreement::new`] checks
/// them together. This is also the wire format (see the [module docs](self)).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgreementParts {
    /// The agreement's name, e.g. `"Acme revenue agreement"`.
    pub name: String,
    /// Its version, as the teams number them, e.g. `"2025.1"`.
    pub version: String,
    /// The date it takes effect (in the reporting zone).
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
            crm: BTreeMap::new(),
        }
    }
}

/// The operating agreement: every definition, checked together, with its [`Fingerprint`].
///
/// Built by [`Agreement::new`] or by deserializing (which runs the same checks). Example: the
/// [module docs](self).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
