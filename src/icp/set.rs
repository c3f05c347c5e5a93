//! [`IcpSet`]: several ICPs side by side, one per product or segment.

use std::collections::BTreeMap;

use super::batch::AccountBatch;
use super::profile::Icp;
use super::score::FitScore;
use crate::facts::Account;
use crate::{Error, ErrorKind, SegmentId};

/// Several ICPs that coexist, keyed by segment (one per product line, region or motion),
/// iterated in segment order.
///
/// # Example
///
/// ```
/// use revops::facts::Account;
/// use revops::icp::{Condition, Icp, IcpSet};
/// use revops::{AccountId, SegmentId};
///
/// let smb = Icp::builder("smb").points("small", Condition::employees(1..=199), 1).build()?;
/// let ent = Icp::builder("enterprise").points("large", Condition::employees_at_least(1_000), 1).build()?;
/// let set = IcpSet::new([(SegmentId::new("smb")?, smb), (SegmentId::new("enterprise")?, ent)])?;
/// let account = Account { employees: Some(40), ..Account::new(AccountId::new("acme")?) };
/// let best = set.best(&account)?.map(|(segment, fit)| (segment.as_str(), fit.score.to_string()));
/// assert_eq!(best, Some(("smb", "100.00".to_owned())));
/// # Ok::<(), revops::Error>(())
/// ```
#[cfg_attr(feature = "serde", doc = include_str!("wire_format/icp_set.md"))]
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "Vec<SegmentIcp>", into = "Vec<SegmentIcp>")
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct IcpSet {
    profiles: BTreeMap<SegmentId, Icp>,
}

impl IcpSet {
    /// A set from `(segment, icp)` pairs.
    ///
    /// # Errors
    /// [`ErrorKind::DuplicateKey`] if a segment appears twice.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::Account;
    /// use revops::icp::{Condition, Icp, IcpSet};
    /// use revops::{AccountId, SegmentId};
    ///
    /// let smb = Icp::builder("smb").points("small", Condition::employees(1..=199), 1).build()?;
    /// let ent = Icp::builder("enterprise").points("large", Condition::employees_at_least(1_000), 1).build()?;
    /// let set = IcpSet::new([(SegmentId::new("smb")?, smb), (SegmentId::new("enterprise")?, ent)])?;
    /// assert_eq!(set.len(), 2);
    /// let small = || Icp::builder("smb").points("small", Condition::employees(1..=199), 1).build();
    /// let twice = IcpSet::new([(SegmentId::new("smb")?, small()?), (SegmentId::new("smb")?, small()?)]);
    /// assert_eq!(twice.err().map(|e| e.to_string()).as_deref(), Some("duplicate icp segment `smb`"));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new(profiles: impl IntoIterator<Item = (SegmentId, Icp)>) -> Result<IcpSet, Error> {
        let mut map = BTreeMap::new();
        for (segment, icp) in profiles {
            if map.contains_key(&segment) {
                return Err(ErrorKind::DuplicateKey { kind: "icp segment", key: segment.to_string() }.into());
            }
            map.insert(segment, icp);
        }
        Ok(IcpSet { profiles: map })
    }

    /// The profile of `segment`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::Account;
    /// use revops::icp::{Condition, Icp, IcpSet};
    /// use revops::{AccountId, SegmentId};
    ///
    /// let smb = Icp::builder("smb").points("small", Condition::employees(1..=199), 1).build()?;
    /// let ent = Icp::builder("enterprise").points("large", Condition::employees_at_least(1_000), 1).build()?;
    /// let set = IcpSet::new([(SegmentId::new("smb")?, smb), (SegmentId::new("enterprise")?, ent)])?;
    /// assert_eq!(set.get(&SegmentId::new("smb")?).map(Icp::name), Some("smb"));
    /// assert!(set.get(&SegmentId::new("mid")?).is_none());
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn get(&self, segment: &SegmentId) -> Option<&Icp> {
        self.profiles.get(segment)
    }

    /// The profiles, in segment order.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::Account;
    /// use revops::icp::{Condition, Icp, IcpSet};
    /// use revops::{AccountId, SegmentId};
    ///
    /// let smb = Icp::builder("smb").points("small", Condition::employees(1..=199), 1).build()?;
    /// let ent = Icp::builder("enterprise").points("large", Condition::employees_at_least(1_000), 1).build()?;
    /// let set = IcpSet::new([(SegmentId::new("smb")?, smb), (SegmentId::new("enterprise")?, ent)])?;
    /// let segments: Vec<&str> = set.iter().map(|(s, _)| s.as_str()).collect();
    /// assert_eq!(segments, ["enterprise", "smb"]); // segment order
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&SegmentId, &Icp)> {
        self.profiles.iter()
    }

    /// Number of profiles.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::Account;
    /// use revops::icp::{Condition, Icp, IcpSet};
    /// use revops::{AccountId, SegmentId};
    ///
    /// let smb = Icp::builder("smb").points("small", Condition::employees(1..=199), 1).build()?;
    /// let ent = Icp::builder("enterprise").points("large", Condition::employees_at_least(1_000), 1).build()?;
    /// let set = IcpSet::new([(SegmentId::new("smb")?, smb), (SegmentId::new("enterprise")?, ent)])?;
    /// assert_eq!(set.len(), 2);
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.profiles.len()
    }

    /// Whether the set has no profile.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::Account;
    /// use revops::icp::{Condition, Icp, IcpSet};
    /// use revops::{AccountId, SegmentId};
    ///
    /// let smb = Icp::builder("smb").points("small", Condition::employees(1..=199), 1).build()?;
    /// let ent = Icp::builder("enterprise").points("large", Condition::employees_at_least(1_000), 1).build()?;
    /// let set = IcpSet::new([(SegmentId::new("smb")?, smb), (SegmentId::new("enterprise")?, ent)])?;
    /// assert!(!set.is_empty() && IcpSet::default().is_empty());
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.profiles.is_empty()
    }

    /// Scores `account` against every profile.
    ///
    /// # Errors
    /// The first error of [`Icp::score`], in segment order.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::Account;
    /// use revops::icp::{Condition, Icp, IcpSet};
    /// use revops::{AccountId, SegmentId};
    ///
    /// let smb = Icp::builder("smb").points("small", Condition::employees(1..=199), 1).build()?;
    /// let ent = Icp::builder("enterprise").points("large", Condition::employees_at_least(1_000), 1).build()?;
    /// let set = IcpSet::new([(SegmentId::new("smb")?, smb), (SegmentId::new("enterprise")?, ent)])?;
    /// let account = Account { employees: Some(5_000), ..Account::new(AccountId::new("acme")?) };
    /// let scores = set.score(&account)?;
    /// let by_segment: Vec<(&str, String)> = scores.iter().map(|(s, f)| (s.as_str(), f.score.to_string())).collect();
    /// assert_eq!(by_segment, [("enterprise", "100.00".to_owned()), ("smb", "0.00".to_owned())]);
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn score(&self, account: &Account) -> Result<BTreeMap<SegmentId, FitScore>, Error> {
        self.profiles.iter().map(|(s, icp)| Ok((s.clone(), icp.score(account)?))).collect()
    }

    /// Scores every account of `batch` against every profile: per segment, the scores in
    /// batch order.
    ///
    /// # Errors
    /// The first error of [`Icp::score_batch`], in segment order.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::Account;
    /// use revops::icp::{Condition, Icp, IcpSet};
    /// use revops::{AccountId, SegmentId};
    ///
    /// let smb = Icp::builder("smb").points("small", Condition::employees(1..=199), 1).build()?;
    /// let ent = Icp::builder("enterprise").points("large", Condition::employees_at_least(1_000), 1).build()?;
    /// let set = IcpSet::new([(SegmentId::new("smb")?, smb), (SegmentId::new("enterprise")?, ent)])?;
    /// use revops::icp::AccountBatch;
    ///
    /// let accounts = [
    ///     Account { employees: Some(40), ..Account::new(AccountId::new("small")?) },
    ///     Account { employees: Some(5_000), ..Account::new(AccountId::new("large")?) },
    /// ];
    /// let batch: AccountBatch = accounts.iter().collect();
    /// let scores = set.score_batch(&batch)?;
    /// let smb: Vec<String> = scores.get(&SegmentId::new("smb")?).into_iter().flatten().map(|f| f.score.to_string()).collect();
    /// assert_eq!(smb, ["100.00", "0.00"]);
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn score_batch(&self, batch: &AccountBatch) -> Result<BTreeMap<SegmentId, Vec<FitScore>>, Error> {
        self.profiles.iter().map(|(s, icp)| Ok((s.clone(), icp.score_batch(batch)?))).collect()
    }

    /// The best-fitting segment: highest score, ties to the earlier segment; `None` for an
    /// empty set.
    ///
    /// # Errors
    /// The first error of [`Icp::score`], in segment order.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::Account;
    /// use revops::icp::{Condition, Icp, IcpSet};
    /// use revops::{AccountId, SegmentId};
    ///
    /// let smb = Icp::builder("smb").points("small", Condition::employees(1..=199), 1).build()?;
    /// let ent = Icp::builder("enterprise").points("large", Condition::employees_at_least(1_000), 1).build()?;
    /// let set = IcpSet::new([(SegmentId::new("smb")?, smb), (SegmentId::new("enterprise")?, ent)])?;
    /// let account = Account { employees: Some(5_000), ..Account::new(AccountId::new("acme")?) };
    /// assert_eq!(set.best(&account)?.map(|(segment, _)| segment.as_str()), Some("enterprise"));
    /// assert!(IcpSet::default().best(&account)?.is_none());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn best(&self, account: &Account) -> Result<Option<(&SegmentId, FitScore)>, Error> {
        let mut best: Option<(&SegmentId, FitScore)> = None;
        for (segment, icp) in &self.profiles {
            let fit = icp.score(account)?;
            if best.as_ref().is_none_or(|(_, b)| fit.score > b.score) {
                best = Some((segment, fit));
            }
        }
        Ok(best)
    }
}

/// Wire shape of one [`IcpSet`] entry: the format documented on [`IcpSet`] ("Wire format"),
/// which is stable. Changing a key here is a breaking change of the crate.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(description = "One profile of an ICP set: the segment and its ICP.")
)]
struct SegmentIcp {
    /// The segment the profile is for.
    segment: SegmentId,
    /// The profile.
    icp: Icp,
}

#[cfg(feature = "serde")]
impl TryFrom<Vec<SegmentIcp>> for IcpSet {
    type Error = Error;
    fn try_from(entries: Vec<SegmentIcp>) -> Result<IcpSet, Error> {
        IcpSet::new(entries.into_iter().map(|e| (e.segment, e.icp)))
    }
}

#[cfg(feature = "serde")]
impl From<IcpSet> for Vec<SegmentIcp> {
    fn from(set: IcpSet) -> Vec<SegmentIcp> {
        set.profiles.into_iter().map(|(segment, icp)| SegmentIcp { segment, icp }).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AccountId;
    use crate::icp::Condition;

    fn icp(name: &str) -> Icp {
        Icp::builder(name).points("p", Condition::employees(1..=10), 1).build().unwrap()
    }

    #[test]
    fn duplicates_are_rejected() {
        let s = SegmentId::new("smb").unwrap();
        assert_eq!(
            IcpSet::new([(s.clone(), icp("a")), (s, icp("b"))]).unwrap_err().to_string(),
            "duplicate icp segment `smb`"
        );
        let set =
            IcpSet::new([(SegmentId::new("b").unwrap(), icp("b")), (SegmentId::new("a").unwrap(), icp("a"))]).unwrap();
        assert_eq!(set.iter().map(|(s, _)| s.as_str()).collect::<Vec<_>>(), vec!["a", "b"]);
        let nobody = Account::new(AccountId::new("nobody").unwrap());
        let scores = set.score(&nobody).unwrap();
        assert_eq!(scores.len(), 2);
        let batch: AccountBatch = [nobody.clone()].iter().collect();
        let batched = set.score_batch(&batch).unwrap();
        assert_eq!(batched.values().map(|v| v[0]).collect::<Vec<_>>(), scores.values().copied().collect::<Vec<_>>());
        assert!(IcpSet::default().best(&nobody).unwrap().is_none());
        assert!(set.get(&SegmentId::new("a").unwrap()).is_some());
        assert!(!set.is_empty() && set.len() == 2);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn round_trip_and_duplicates_on_the_wire() {
        let set = IcpSet::new([(SegmentId::new("a").unwrap(), icp("a"))]).unwrap();
        let json = serde_json::to_string(&set).unwrap();
        assert_eq!(serde_json::from_str::<IcpSet>(&json).unwrap(), set);
        let doubled = format!("[{0},{0}]", &json[1..json.len() - 1]);
        let err = serde_json::from_str::<IcpSet>(&doubled).unwrap_err().to_string();
        assert!(err.starts_with("duplicate icp segment `a`"), "{err}");
    }
}
