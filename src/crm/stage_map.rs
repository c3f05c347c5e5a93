//! [`StageMap`]: the definition of what a CRM's stage names mean in the funnel.

use std::collections::BTreeMap;

use crate::facts::{Origin, Reason};
use crate::{Error, ErrorKind, Probability, StageId};

/// What a CRM deal stage means: open (with the pipeline's probability, if it sets one), won,
/// or lost (with the reason to record when the row gives none).
///
/// # Example
///
/// ```
/// use revops::crm::StageOutcome;
/// use revops::facts::Reason;
///
/// let lost = StageOutcome::Lost { reason: Reason::Unspecified };
/// assert!(lost.is_closed() && StageOutcome::Won.is_closed());
/// assert!(!StageOutcome::Open { probability: None }.is_closed());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StageOutcome {
    /// Open; `probability` is the stage's default (HubSpot pipeline stage probability,
    /// Salesforce `OpportunityStage.DefaultProbability`), used when the row has none.
    Open {
        /// The stage's default win probability.
        probability: Option<Probability>,
    },
    /// Closed won.
    Won,
    /// Closed lost; `reason` when the row records none ([`Reason::Unspecified`] unless the
    /// stage itself says why, e.g. a "Closed - No Decision" stage).
    Lost {
        /// The default loss reason.
        reason: Reason,
    },
}

impl StageOutcome {
    /// Whether the stage closes the deal.
    #[must_use]
    pub const fn is_closed(&self) -> bool {
        !matches!(self, StageOutcome::Open { .. })
    }

    /// The wire key: `"open"`, `"won"` or `"lost"`.
    #[must_use]
    pub const fn key(&self) -> &'static str {
        match self {
            StageOutcome::Open { .. } => "open",
            StageOutcome::Won => "won",
            StageOutcome::Lost { .. } => "lost",
        }
    }
}

/// One CRM deal stage: the funnel stage it is, its outcome, and whether a deal in it passed
/// the team's qualification rule (pipeline counts qualified deals only).
///
/// On the wire (feature `serde`) it is flat: `{"stage": "proposal", "status": "open",
/// "probability": "0.5", "qualified": true}`; `status` is `open`, `won` or `lost`;
/// `probability` (a fraction, see [`Probability`]) is allowed only on an open stage, `reason`
/// (a [`Reason`] key) only on a lost one; `qualified` defaults to `false`.
///
/// # Example
///
/// ```
/// use revops::crm::{DealStage, StageOutcome};
/// use revops::StageId;
///
/// let won = DealStage::new(StageId::new("won")?, StageOutcome::Won).qualified(true);
/// assert!(won.outcome.is_closed() && won.qualified);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "wire::DealStageWire", into = "wire::DealStageWire")
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DealStage {
    /// The funnel stage the deal is in.
    pub stage: StageId,
    /// Open, won or lost.
    pub outcome: StageOutcome,
    /// Whether a deal in this stage is qualified.
    pub qualified: bool,
}

impl DealStage {
    /// `stage` with `outcome`, not qualified.
    #[must_use]
    pub const fn new(stage: StageId, outcome: StageOutcome) -> DealStage {
        DealStage { stage, outcome, qualified: false }
    }

    /// The same stage, qualified or not.
    #[must_use]
    pub fn qualified(mut self, qualified: bool) -> DealStage {
        self.qualified = qualified;
        self
    }
}

/// The definition of what a CRM's stage names mean: lead stages (HubSpot lifecycle stages,
/// Salesforce lead `Status` values) and deal stages (HubSpot `dealstage` ids, Salesforce
/// `StageName`s) -> funnel [`StageId`]s, deal stages -> open / won / lost, and lead sources ->
/// the deal's [`Origin`]. The agreement holds one per CRM and checks [`StageMap::stage_ids`]
/// against its funnel.
///
/// Rules, checked by [`StageMap::new`] and on deserialize: at least one lead or deal stage;
/// every CRM name 1 to 128 bytes, without control characters or surrounding whitespace (names
/// are matched byte for byte: `Closed Won` is not `closed won`); no name given twice.
///
/// # Wire format (feature `serde`)
///
/// An object with three optional maps, each keyed by the CRM's name: `lead_stages` (name ->
/// stage id), `deal_stages` (name -> a [`DealStage`]; a HubSpot key may be
/// `"<pipeline>/<dealstage>"` to tell pipelines apart, tried before the bare stage id) and
/// `origins` (lead source value -> `marketing`, `sales`, `partner` or `other`; a source not
/// listed is `other`). Unknown fields and a name given twice are refused.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use revops::crm::{StageMap, StageOutcome};
/// use revops::facts::{Origin, Reason};
///
/// let json = r#"{
///   "lead_stages": { "lead": "lead", "marketingqualifiedlead": "mql", "salesqualifiedlead": "sql" },
///   "deal_stages": {
///     "appointmentscheduled": { "stage": "discovery", "status": "open", "probability": "0.2", "qualified": true },
///     "closedwon": { "stage": "won", "status": "won", "qualified": true },
///     "closedlost": { "stage": "lost", "status": "lost", "reason": "unspecified" }
///   },
///   "origins": { "PAID_SEARCH": "marketing", "OFFLINE": "sales" }
/// }"#;
/// let map: StageMap = serde_json::from_str(json).map_err(|e| revops::ErrorKind::InvalidValue {
///     field: "stage map", value: e.to_string(), reason: "see the wire format" })?;
/// assert_eq!(map.lead_stage("marketingqualifiedlead").map(|s| s.as_str()), Some("mql"));
/// assert_eq!(map.deal_stage("closedlost").map(|d| &d.outcome), Some(&StageOutcome::Lost { reason: Reason::Unspecified }));
/// assert_eq!(map.origin("OFFLINE"), Origin::Sales);
/// let ids: Vec<&str> = map.stage_ids().iter().map(|s| s.as_str()).collect();
/// assert_eq!(ids, ["discovery", "lead", "lost", "mql", "sql", "won"]);
///
/// // Validated on the way in: a probability on a won stage, a name given twice.
/// assert!(serde_json::from_str::<StageMap>(r#"{"deal_stages": {"w": {"stage": "won", "status": "won", "probability": "1"}}}"#).is_err());
/// assert!(serde_json::from_str::<StageMap>(r#"{"lead_stages": {"lead": "lead", "lead": "mql"}}"#).is_err());
/// # }
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "wire::StageMapWire", into = "wire::StageMapWire")
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StageMap {
    lead_stages: BTreeMap<String, StageId>,
    deal_stages: BTreeMap<String, DealStage>,
    origins: BTreeMap<String, Origin>,
}

impl StageMap {
    /// A stage map from its three tables (see the type documentation for the rules).
    ///
    /// # Errors
    /// [`ErrorKind::Empty`] if there is no lead or deal stage; [`ErrorKind::InvalidValue`]
    /// naming a CRM name that breaks the rules; [`ErrorKind::DuplicateKey`] naming a name given
    /// twice in one table.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::crm::{DealStage, StageMap, StageOutcome};
    /// use revops::facts::Origin;
    /// use revops::{ErrorKind, StageId};
    ///
    /// let open = StageOutcome::Open { probability: None };
    /// let map = StageMap::new(
    ///     [("Open - Not Contacted".to_owned(), StageId::new("lead")?)],
    ///     [("Prospecting".to_owned(), DealStage::new(StageId::new("discovery")?, open))],
    ///     [("Partner Referral".to_owned(), Origin::Partner)],
    /// )?;
    /// assert_eq!(map.origin("Web"), Origin::Other);
    ///
    /// let err = StageMap::new([(" lead".to_owned(), StageId::new("lead")?)], [], []).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::InvalidValue { field: "crm stage name", .. }));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new(
        lead_stages: impl IntoIterator<Item = (String, StageId)>,
        deal_stages: impl IntoIterator<Item = (String, DealStage)>,
        origins: impl IntoIterator<Item = (String, Origin)>,
    ) -> Result<StageMap, Error> {
        let lead_stages = table("crm lead stage", "crm stage name", lead_stages)?;
        let deal_stages = table("crm deal stage", "crm stage name", deal_stages)?;
        let origins = table("crm lead source", "crm lead source", origins)?;
        if lead_stages.is_empty() && deal_stages.is_empty() {
            return Err(ErrorKind::Empty { what: "stage map" }.into());
        }
        Ok(StageMap { lead_stages, deal_stages, origins })
    }

    /// The funnel stage of a CRM lead stage (a HubSpot lifecycle stage, a Salesforce lead
    /// status), if the map names it.
    #[must_use]
    pub fn lead_stage(&self, name: &str) -> Option<&StageId> {
        self.lead_stages.get(name)
    }

    /// The meaning of a CRM deal stage, if the map names it.
    #[must_use]
    pub fn deal_stage(&self, name: &str) -> Option<&DealStage> {
        self.deal_stages.get(name)
    }

    /// The origin of deals from lead source `source`; [`Origin::Other`] for a source the map
    /// does not list.
    #[must_use]
    pub fn origin(&self, source: &str) -> Origin {
        self.origins.get(source).copied().unwrap_or(Origin::Other)
    }

    /// The lead stages, by CRM name.
    #[must_use]
    pub fn lead_stages(&self) -> impl ExactSizeIterator<Item = (&str, &StageId)> {
        self.lead_stages.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The deal stages, by CRM name.
    #[must_use]
    pub fn deal_stages(&self) -> impl ExactSizeIterator<Item = (&str, &DealStage)> {
        self.deal_stages.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The sources with an origin, by CRM value.
    #[must_use]
    pub fn origins(&self) -> impl ExactSizeIterator<Item = (&str, Origin)> {
        self.origins.iter().map(|(k, v)| (k.as_str(), *v))
    }

    /// Every funnel stage the map names (lead and deal stages), sorted, each once: what the
    /// agreement checks against its funnel in one call.
    #[must_use]
    pub fn stage_ids(&self) -> Vec<&StageId> {
        let mut ids: Vec<&StageId> =
            self.lead_stages.values().chain(self.deal_stages.values().map(|d| &d.stage)).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// One table, its names checked and unique.
fn table<V>(
    kind: &'static str,
    field: &'static str,
    entries: impl IntoIterator<Item = (String, V)>,
) -> Result<BTreeMap<String, V>, Error> {
    let mut out = BTreeMap::new();
    for (name, value) in entries {
        let reason = if name.is_empty() {
            Some("must not be empty")
        } else if name.len() > 128 {
            Some("must be at most 128 bytes")
        } else if name.chars().any(char::is_control) {
            Some("must not contain control characters")
        } else if name.trim() != name {
            Some("must not start or end with whitespace")
        } else {
            None
        };
        if let Some(reason) = reason {
            return Err(ErrorKind::InvalidValue { field, value: name, reason }.into());
        }
        if out.contains_key(&name) {
            return Err(ErrorKind::DuplicateKey { kind, key: name }.into());
        }
        out.insert(name, value);
    }
    Ok(out)
}

#[cfg(feature = "serde")]
mod wire {
    use super::{DealStage, Origin, Reason, StageId, StageMap, StageOutcome};
    use crate::{Error, ErrorKind, Probability};

    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub(super) struct StageMapWire {
        /// Lead stage names (HubSpot lifecycle stages, Salesforce lead `Status` values) -> funnel
        /// stages.
        #[serde(default, with = "entries", skip_serializing_if = "Vec::is_empty")]
        #[cfg_attr(feature = "schema", schemars(with = "std::collections::BTreeMap<String, StageId>"))]
        lead_stages: Vec<(String, StageId)>,
        /// Deal stage names (HubSpot `dealstage` ids, or `"<pipeline>/<dealstage>"`; Salesforce
        /// `StageName`s) -> what the stage is.
        #[serde(default, with = "entries", skip_serializing_if = "Vec::is_empty")]
        #[cfg_attr(feature = "schema", schemars(with = "std::collections::BTreeMap<String, DealStage>"))]
        deal_stages: Vec<(String, DealStage)>,
        /// Lead source values -> the deal's origin (a source not listed is `other`).
        #[serde(default, with = "entries", skip_serializing_if = "Vec::is_empty")]
        #[cfg_attr(feature = "schema", schemars(with = "std::collections::BTreeMap<String, Origin>"))]
        origins: Vec<(String, Origin)>,
    }

    impl TryFrom<StageMapWire> for StageMap {
        type Error = Error;
        fn try_from(w: StageMapWire) -> Result<StageMap, Error> {
            StageMap::new(w.lead_stages, w.deal_stages, w.origins)
        }
    }

    impl From<StageMap> for StageMapWire {
        fn from(m: StageMap) -> StageMapWire {
            StageMapWire {
                lead_stages: m.lead_stages.into_iter().collect(),
                deal_stages: m.deal_stages.into_iter().collect(),
                origins: m.origins.into_iter().collect(),
            }
        }
    }

    /// Whether a deal in the stage is open, won or lost.
    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(rename = "DealStageStatus"))]
    pub(super) enum Status {
        /// Still open.
        Open,
        /// Closed won.
        Won,
        /// Closed lost.
        Lost,
    }

    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub(super) struct DealStageWire {
        /// The funnel stage the deal is in.
        stage: StageId,
        /// Open, won or lost.
        status: Status,
        /// The stage's default probability of closing won (an open stage only).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        probability: Option<Probability>,
        /// The loss reason (a lost stage only; default `unspecified`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<Reason>,
        /// Whether a deal in this stage is qualified.
        #[serde(default)]
        qualified: bool,
    }

    impl TryFrom<DealStageWire> for DealStage {
        type Error = Error;
        fn try_from(w: DealStageWire) -> Result<DealStage, Error> {
            let refuse = |field, reason| -> Error {
                ErrorKind::InvalidValue { field, value: w.stage.to_string(), reason }.into()
            };
            let outcome = match (w.status, w.probability, w.reason) {
                (Status::Open, probability, None) => StageOutcome::Open { probability },
                (Status::Won, None, None) => StageOutcome::Won,
                (Status::Lost, None, reason) => StageOutcome::Lost { reason: reason.unwrap_or(Reason::Unspecified) },
                (_, Some(_), _) => {
                    return Err(refuse("deal stage probability", "only an open stage has a probability"));
                }
                (_, _, Some(_)) => return Err(refuse("deal stage reason", "only a lost stage has a loss reason")),
            };
            Ok(DealStage { stage: w.stage, outcome, qualified: w.qualified })
        }
    }

    impl From<DealStage> for DealStageWire {
        fn from(d: DealStage) -> DealStageWire {
            let (status, probability, reason) = match d.outcome {
                StageOutcome::Open { probability } => (Status::Open, probability, None),
                StageOutcome::Won => (Status::Won, None, None),
                StageOutcome::Lost { reason } => (Status::Lost, None, Some(reason)),
            };
            DealStageWire { stage: d.stage, status, probability, reason, qualified: d.qualified }
        }
    }

    /// A map on the wire, read in order into pairs so that a key given twice is refused
    /// (a plain map would keep the last silently).
    mod entries {
        use core::fmt;
        use core::marker::PhantomData;

        use serde::de::{self, MapAccess, Visitor};
        use serde::ser::SerializeMap;
        use serde::{Deserialize, Deserializer, Serialize, Serializer};

        pub(crate) fn serialize<S: Serializer, V: Serialize>(pairs: &[(String, V)], s: S) -> Result<S::Ok, S::Error> {
            let mut map = s.serialize_map(Some(pairs.len()))?;
            for (k, v) in pairs {
                map.serialize_entry(k, v)?;
            }
            map.end()
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>, V: Deserialize<'de>>(
            d: D,
        ) -> Result<Vec<(String, V)>, D::Error> {
            struct Pairs<V>(PhantomData<V>);
            impl<'de, V: Deserialize<'de>> Visitor<'de> for Pairs<V> {
                type Value = Vec<(String, V)>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a map of CRM names")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                    let mut out: Vec<(String, V)> = Vec::new();
                    while let Some((k, v)) = access.next_entry::<String, V>()? {
                        if out.iter().any(|(seen, _)| *seen == k) {
                            return Err(de::Error::custom(format_args!("duplicate crm name `{k}`")));
                        }
                        out.push((k, v));
                    }
                    Ok(out)
                }
            }
            d.deserialize_map(Pairs(PhantomData))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> StageId {
        StageId::new(s).unwrap()
    }

    #[test]
    fn construction_validates() {
        assert!(matches!(StageMap::new([], [], []).unwrap_err().kind(), ErrorKind::Empty { what: "stage map" }));
        let twice = [("lead".to_owned(), id("lead")), ("lead".to_owned(), id("mql"))];
        assert!(matches!(StageMap::new(twice, [], []).unwrap_err().kind(), ErrorKind::DuplicateKey { .. }));
        let bad = [("a\tb".to_owned(), id("lead"))];
        assert!(StageMap::new(bad, [], []).is_err());
        let ok = StageMap::new(
            [("lead".to_owned(), id("lead")), ("sal".to_owned(), id("lead"))],
            [("cw".to_owned(), DealStage::new(id("won"), StageOutcome::Won))],
            [],
        )
        .unwrap();
        assert_eq!(ok.stage_ids(), [&id("lead"), &id("won")]);
        assert_eq!(ok.lead_stages().len(), 2);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn wire_round_trips_and_refuses() {
        let json = r#"{"lead_stages":{"lead":"lead"},"deal_stages":{"cl":{"stage":"lost","status":"lost","reason":"price"},"d":{"stage":"discovery","status":"open","probability":"0.2","qualified":true}},"origins":{"Web":"marketing"}}"#;
        let map: StageMap = serde_json::from_str(json).unwrap();
        let back = serde_json::to_string(&map).unwrap();
        assert_eq!(serde_json::from_str::<StageMap>(&back).unwrap(), map);
        assert_eq!(map.deal_stage("cl").unwrap().outcome, StageOutcome::Lost { reason: Reason::Price });
        for bad in [
            r"{}",
            r#"{"lead_stages":{"lead":"Lead"}}"#,
            r#"{"lead_stages":{"":"lead"}}"#,
            r#"{"lead_stages":{"lead":"lead"},"stages":{}}"#,
            r#"{"deal_stages":{"w":{"stage":"won","status":"won","reason":"price"}}}"#,
            r#"{"deal_stages":{"w":{"stage":"won","status":"closed"}}}"#,
            r#"{"origins":{"Web":"marketing","Web":"sales"},"lead_stages":{"lead":"lead"}}"#,
        ] {
            assert!(serde_json::from_str::<StageMap>(bad).is_err(), "{bad}");
        }
    }
}
