//! [`CategoryMap`]: the definition of which forecast category an open deal's stage means.

use std::collections::BTreeMap;

use crate::facts::{Deal, DealStatus, ForecastCategory};
use crate::{Error, ErrorKind, Record, StageId};

/// The definition of a sales process's forecast categories: funnel stage -> [`ForecastCategory`]
/// (Salesforce `OpportunityStage.ForecastCategoryName`), and the category of an open deal
/// whose stage the map does not list or that has no stage ([`CategoryMap::unmapped`]).
///
/// A deal's category ([`CategoryMap::category`], [definitions, section 7](crate::definitions::forecast)):
/// won is [`Closed`](ForecastCategory::Closed) and lost is [`Omitted`](ForecastCategory::Omitted),
/// whatever the row says; an open deal takes its own `forecast_category` if the CRM set one
/// (a rep's override), else its stage's category from the map, else the map's `unmapped`
/// category; with none of these it is an error naming the deal, never a silent guess.
///
/// Rules, checked by [`CategoryMap::new`] and on deserialize: no stage given twice; no stage,
/// and not `unmapped`, is [`Closed`](ForecastCategory::Closed) (only a won deal is Closed, and
/// a won deal is Closed without the map). An open deal whose own category is `Closed` is
/// refused when it is read ([`ErrorKind::InconsistentRecord`]).
///
/// # Wire format (feature `serde`)
///
/// An object: `stages` (optional, stage id -> category key `pipeline`, `best_case`, `commit`
/// or `omitted`; a stage given twice is refused) and `unmapped` (optional, a category key; absent
/// means an open deal with no category of its own and no listed stage is an error).
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use revops::facts::ForecastCategory;
/// use revops::forecast::CategoryMap;
/// use revops::StageId;
///
/// let json = r#"{
///   "stages": { "discovery": "pipeline", "proposal": "best_case", "negotiation": "commit", "stalled": "omitted" },
///   "unmapped": "pipeline"
/// }"#;
/// let map: CategoryMap = serde_json::from_str(json)?;
/// assert_eq!(map.stage(&StageId::new("proposal")?), Some(ForecastCategory::BestCase));
/// assert_eq!(map.unmapped(), Some(ForecastCategory::Pipeline));
/// let back: CategoryMap = serde_json::from_str(&serde_json::to_string(&map)?)?;
/// assert_eq!(back, map);
/// // A stage given twice, or an open stage that is Closed, is refused.
/// assert!(serde_json::from_str::<CategoryMap>(r#"{"stages": {"a": "commit", "a": "pipeline"}}"#).is_err());
/// assert!(serde_json::from_str::<CategoryMap>(r#"{"stages": {"a": "closed"}}"#).is_err());
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::{Deal, DealStatus, ForecastCategory};
/// use revops::forecast::CategoryMap;
/// use revops::{Currency, Money, OpportunityId, Probability, StageId};
///
/// let map = CategoryMap::new(
///     [(StageId::new("discovery")?, ForecastCategory::Pipeline), (StageId::new("negotiation")?, ForecastCategory::Commit)],
///     None,
/// )?;
/// let t = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or_default();
/// let open = DealStatus::Open { probability: Probability::from_percent(80)? };
/// let deal = Deal::new(OpportunityId::new("o1")?, t, Money::from_minor(100, Currency::USD), open)
///     .stage(Some(StageId::new("negotiation")?));
/// assert_eq!(map.category(&deal)?, ForecastCategory::Commit);
/// // The rep's own category wins over the stage's.
/// let demoted = deal.clone().forecast_category(Some(ForecastCategory::BestCase));
/// assert_eq!(map.category(&demoted)?, ForecastCategory::BestCase);
/// // Won is Closed whatever the row says.
/// let won = Deal { status: DealStatus::Won, ..deal.clone() }.closed_at(Some(t));
/// assert_eq!(map.category(&won)?, ForecastCategory::Closed);
/// // No category, no listed stage, no `unmapped`: an error naming the deal.
/// assert!(map.category(&deal.stage(Some(StageId::new("demo")?))).is_err());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "wire::CategoryMapWire", into = "wire::CategoryMapWire")
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CategoryMap {
    stages: BTreeMap<StageId, ForecastCategory>,
    unmapped: Option<ForecastCategory>,
}

impl CategoryMap {
    /// Validates and builds the map (rules: [`CategoryMap`]).
    ///
    /// # Errors
    /// [`ErrorKind::DuplicateKey`] (kind `"forecast stage"`) naming a stage given twice;
    /// [`ErrorKind::InvalidValue`] (field `"forecast category of a stage"`, or `"unmapped
    /// forecast category"`) for a stage or `unmapped` mapped to `Closed`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::ForecastCategory;
    /// use revops::forecast::CategoryMap;
    /// use revops::{ErrorKind, StageId};
    ///
    /// let a = StageId::new("a")?;
    /// let twice = CategoryMap::new([(a.clone(), ForecastCategory::Commit), (a.clone(), ForecastCategory::Pipeline)], None);
    /// assert!(matches!(twice.map_err(|e| e.into_kind()), Err(ErrorKind::DuplicateKey { .. })));
    /// assert!(CategoryMap::new([], Some(ForecastCategory::Closed)).is_err());
    /// // Every deal carries its own category: an empty map.
    /// assert_eq!(CategoryMap::new([], None)?, CategoryMap::default());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new(
        stages: impl IntoIterator<Item = (StageId, ForecastCategory)>,
        unmapped: Option<ForecastCategory>,
    ) -> Result<CategoryMap, Error> {
        let mut map = BTreeMap::new();
        for (stage, category) in stages {
            if category == ForecastCategory::Closed {
                return Err(closed_refused("forecast category of a stage", stage.as_str()));
            }
            if map.contains_key(&stage) {
                return Err(ErrorKind::DuplicateKey { kind: "forecast stage", key: stage.to_string() }.into());
            }
            map.insert(stage, category);
        }
        if unmapped == Some(ForecastCategory::Closed) {
            return Err(closed_refused("unmapped forecast category", "closed"));
        }
        Ok(CategoryMap { stages: map, unmapped })
    }

    /// The category `stage` maps to, if listed.
    #[must_use]
    pub fn stage(&self, stage: &StageId) -> Option<ForecastCategory> {
        self.stages.get(stage).copied()
    }

    /// The category of an open deal with no category of its own and no listed stage; `None`
    /// when such a deal is an error.
    #[must_use]
    pub const fn unmapped(&self) -> Option<ForecastCategory> {
        self.unmapped
    }

    /// The listed stages and their categories, in stage id order.
    #[must_use]
    pub fn stages(&self) -> impl ExactSizeIterator<Item = (&StageId, ForecastCategory)> {
        self.stages.iter().map(|(s, c)| (s, *c))
    }

    /// The deal's category (rule: [`CategoryMap`]).
    ///
    /// # Errors
    /// About the deal ([`Error::record`]): [`ErrorKind::InconsistentRecord`] for an open deal
    /// whose own category is `Closed`; [`ErrorKind::UnknownStage`] for an open deal without a
    /// category of its own whose stage the map does not list, and [`ErrorKind::InvalidValue`]
    /// (field `"forecast category"`) for one without a stage, when the map has no `unmapped`
    /// category.
    #[inline]
    pub fn category(&self, deal: &Deal) -> Result<ForecastCategory, Error> {
        match deal.status {
            DealStatus::Won => return Ok(ForecastCategory::Closed),
            DealStatus::Lost { .. } => return Ok(ForecastCategory::Omitted),
            DealStatus::Open { .. } => {}
        }
        if let Some(own) = deal.forecast_category {
            if own == ForecastCategory::Closed {
                return Err(ErrorKind::InconsistentRecord { reason: "an open deal in forecast category closed" }
                    .about(Record::Deal(deal.id.clone())));
            }
            return Ok(own);
        }
        let mapped = match &deal.stage {
            Some(stage) => self.stages.get(stage).copied(),
            None => None,
        };
        match mapped.or(self.unmapped) {
            Some(category) => Ok(category),
            None => Err(Self::no_category(deal)),
        }
    }

    #[cold]
    #[inline(never)]
    fn no_category(deal: &Deal) -> Error {
        let kind = match &deal.stage {
            Some(stage) => ErrorKind::UnknownStage { stage: stage.clone() },
            None => ErrorKind::InvalidValue {
                field: "forecast category",
                value: "none".to_owned(),
                reason: "an open deal needs a forecast category, a mapped stage or the map's unmapped category",
            },
        };
        kind.about(Record::Deal(deal.id.clone()))
    }
}

impl Default for CategoryMap {
    /// No stage and no `unmapped` category: every open deal must carry its own category.
    fn default() -> CategoryMap {
        CategoryMap { stages: BTreeMap::new(), unmapped: None }
    }
}

fn closed_refused(field: &'static str, value: &str) -> Error {
    ErrorKind::InvalidValue {
        field,
        value: value.to_owned(),
        reason: "only a won deal is closed: an open stage maps to pipeline, best_case, commit or omitted",
    }
    .into()
}

/// The crate's confidence order of the categories ([definitions, section 7](crate::definitions::forecast)):
/// Omitted < Pipeline < Best Case < Commit < Closed (Salesforce's Most Likely, between Best
/// Case and Commit, is not a [`ForecastCategory`] of this version).
#[must_use]
pub const fn confidence(category: ForecastCategory) -> u8 {
    match category {
        ForecastCategory::Omitted => 0,
        ForecastCategory::Pipeline => 1,
        ForecastCategory::BestCase => 2,
        ForecastCategory::Commit => 3,
        ForecastCategory::Closed => 4,
    }
}

#[cfg(feature = "serde")]
mod wire {
    use core::fmt;

    use serde::de::{self, MapAccess, Visitor};
    use serde::{Deserialize, Deserializer, Serialize};

    use super::CategoryMap;
    use crate::facts::ForecastCategory;
    use crate::{Error, StageId};

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub(super) struct CategoryMapWire {
        /// Funnel stage -> the forecast category of an open deal in it (`pipeline`,
        /// `best_case`, `commit` or `omitted`; never `closed`); each stage at most once.
        #[serde(default, deserialize_with = "pairs", skip_serializing_if = "Vec::is_empty")]
        #[serde(serialize_with = "ser_pairs")]
        #[cfg_attr(feature = "schema", schemars(with = "std::collections::BTreeMap<StageId, ForecastCategory>"))]
        stages: Vec<(StageId, ForecastCategory)>,
        /// The category of an open deal with no category of its own and no listed stage (none:
        /// such a deal is an error); never `closed`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unmapped: Option<ForecastCategory>,
    }

    impl TryFrom<CategoryMapWire> for CategoryMap {
        type Error = Error;
        fn try_from(w: CategoryMapWire) -> Result<CategoryMap, Error> {
            CategoryMap::new(w.stages, w.unmapped)
        }
    }

    impl From<CategoryMap> for CategoryMapWire {
        fn from(m: CategoryMap) -> CategoryMapWire {
            CategoryMapWire { stages: m.stages.into_iter().collect(), unmapped: m.unmapped }
        }
    }

    fn ser_pairs<S: serde::Serializer>(pairs: &[(StageId, ForecastCategory)], s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(pairs.len()))?;
        for (k, v) in pairs {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }

    /// Read in order, so that a stage given twice is refused (a map would keep the last).
    fn pairs<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(StageId, ForecastCategory)>, D::Error> {
        struct Pairs;
        impl<'de> Visitor<'de> for Pairs {
            type Value = Vec<(StageId, ForecastCategory)>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of stage ids to forecast categories")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut out: Vec<(StageId, ForecastCategory)> = Vec::new();
                while let Some((k, v)) = access.next_entry::<StageId, ForecastCategory>()? {
                    if out.iter().any(|(seen, _)| *seen == k) {
                        return Err(de::Error::custom(format_args!("duplicate forecast stage `{k}`")));
                    }
                    out.push((k, v));
                }
                Ok(out)
            }
        }
        d.deserialize_map(Pairs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Currency, Money, OpportunityId, Probability};
    use chrono::{TimeZone, Utc};

    fn id(s: &str) -> StageId {
        StageId::new(s).unwrap()
    }

    #[test]
    fn the_category_of_a_deal() {
        let map =
            CategoryMap::new([(id("disc"), ForecastCategory::Pipeline)], Some(ForecastCategory::BestCase)).unwrap();
        let t = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
        let open = DealStatus::Open { probability: Probability::ZERO };
        let deal = Deal::new(OpportunityId::new("o").unwrap(), t, Money::from_minor(1, Currency::USD), open);
        assert_eq!(map.category(&deal).unwrap(), ForecastCategory::BestCase); // no stage: unmapped
        assert_eq!(map.category(&deal.clone().stage(Some(id("disc")))).unwrap(), ForecastCategory::Pipeline);
        assert_eq!(map.category(&deal.clone().stage(Some(id("other")))).unwrap(), ForecastCategory::BestCase);
        // A lost deal is Omitted even if the row still says Commit.
        let lost = Deal { status: DealStatus::lost(crate::facts::Reason::Price), ..deal.clone() }
            .forecast_category(Some(ForecastCategory::Commit));
        assert_eq!(map.category(&lost).unwrap(), ForecastCategory::Omitted);
        let err = map.category(&deal.clone().forecast_category(Some(ForecastCategory::Closed))).unwrap_err();
        assert_eq!(err.to_string(), "deal `o`: inconsistent record: an open deal in forecast category closed");
        let strict = CategoryMap::new([(id("disc"), ForecastCategory::Pipeline)], None).unwrap();
        let err = strict.category(&deal).unwrap_err();
        assert_eq!(err.record(), Some(&Record::Deal(OpportunityId::new("o").unwrap())));
        assert!(matches!(
            strict.category(&deal.stage(Some(id("x")))).unwrap_err().kind(),
            ErrorKind::UnknownStage { .. }
        ));
        let mut order = ForecastCategory::ALL;
        order.sort_by_key(|c| confidence(*c));
        assert_eq!(order.map(ForecastCategory::as_str), ["omitted", "pipeline", "best_case", "commit", "closed"]);
    }
}
