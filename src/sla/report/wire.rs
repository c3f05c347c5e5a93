//! The serde form of [`ComplianceReport`]'s partial state: its groups in key order, each
//! validated on read.

use std::hash::Hash;

use chrono::TimeDelta;

use super::{ComplianceReport, GroupTally};
use crate::fast_map::FastMap;
use crate::{Error, ErrorKind};

/// Borrowed wire shape: the target and the groups as `[key, state]` pairs in key order.
#[derive(serde::Serialize)]
struct ReportRef<'a, K> {
    target: TimeDelta,
    groups: Vec<(&'a K, &'a GroupTally)>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportRepr<K> {
    target: TimeDelta,
    groups: Vec<(K, GroupTally)>,
}

impl<K: Ord + Hash + serde::Serialize> serde::Serialize for ComplianceReport<K> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut groups: Vec<(&K, &GroupTally)> = self.groups.iter().collect();
        groups.sort_unstable_by(|a, b| a.0.cmp(b.0));
        ReportRef { target: self.target, groups }.serialize(serializer)
    }
}

impl<'de, K: Ord + Hash + Clone + serde::Deserialize<'de>> serde::Deserialize<'de> for ComplianceReport<K> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let repr = ReportRepr::<K>::deserialize(deserializer)?;
        ComplianceReport::try_from_repr(repr).map_err(serde::de::Error::custom)
    }
}

impl<K: Ord + Hash + Clone> ComplianceReport<K> {
    fn try_from_repr(repr: ReportRepr<K>) -> Result<ComplianceReport<K>, Error> {
        let mut report = ComplianceReport::new(repr.target)?;
        let mut groups = FastMap::default();
        for (key, tally) in repr.groups {
            tally.check(repr.target)?;
            if groups.insert(key, tally).is_some() {
                return Err(ErrorKind::InvalidValue {
                    field: "compliance report groups",
                    value: "a key listed twice".to_owned(),
                    reason: "each group appears once",
                }
                .into());
            }
        }
        report.groups = groups;
        Ok(report)
    }
}
