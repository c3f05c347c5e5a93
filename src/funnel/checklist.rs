//! Qualification checklists: BANT and MEDDIC/MEDDPICC with a configurable letter set, each
//! criterion Unknown, Identified or Validated.

use std::collections::{BTreeMap, BTreeSet};

use crate::{Error, ErrorKind};

/// How far a checklist criterion is established; ordered Unknown < Identified < Validated.
///
/// # Example
///
/// ```
/// use std::collections::BTreeMap;
/// use revops::funnel::{Checklist, CriterionStatus};
///
/// assert!(CriterionStatus::Unknown < CriterionStatus::Identified && CriterionStatus::Identified < CriterionStatus::Validated);
/// let statuses = BTreeMap::from([("champion".to_owned(), CriterionStatus::Identified)]);
/// let result = Checklist::meddic().assess(&statuses)?;
/// let champion = result.statuses.iter().find(|(key, _)| key == "champion").map(|(_, s)| *s);
/// assert_eq!(champion, Some(CriterionStatus::Identified));
/// assert_eq!(result.statuses.first().map(|(_, s)| *s), Some(CriterionStatus::Unknown)); // not assessed
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum CriterionStatus {
    /// Nothing known yet.
    #[default]
    Unknown,
    /// Named by the buyer or rep, not yet confirmed.
    Identified,
    /// Confirmed (e.g. the economic buyer said so on a call).
    Validated,
}

/// One letter of a checklist.
///
/// # Example
///
/// ```
/// use revops::funnel::Checklist;
///
/// let meddic = Checklist::meddic();
/// let buyer = meddic.items().get(1);
/// assert_eq!(buyer.map(|i| (i.key.as_str(), i.letter.as_str(), i.name.as_str())), Some(("economic_buyer", "E", "Economic buyer")));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct ChecklistItem {
    /// Key, e.g. `economic_buyer`.
    pub key: String,
    /// Letter as shown, e.g. `E`.
    pub letter: String,
    /// Name, e.g. "Economic buyer".
    pub name: String,
}

/// A checklist: a named, ordered set of uniquely keyed criteria.
///
/// Sources disagree on MEDDIC's extra letters (MEDDICC adds Competition, MEDDPICC Paper
/// process and Competition), so the letter set is data: use a template or [`Checklist::new`].
///
/// # Example
///
/// ```
/// use std::collections::BTreeMap;
/// use revops::funnel::{Checklist, CriterionStatus};
///
/// let bant = Checklist::bant();
/// assert_eq!((bant.name(), bant.letters(), bant.items().len()), ("BANT", "BANT".to_owned(), 4));
/// let mut statuses = BTreeMap::new();
/// statuses.insert("budget".to_owned(), CriterionStatus::Validated);
/// statuses.insert("need".to_owned(), CriterionStatus::Identified);
/// let result = bant.assess(&statuses)?;
/// assert_eq!((result.validated, result.identified_or_better, result.total), (1, 2, 4));
/// assert!(!result.is_complete());
/// # Ok::<(), revops::Error>(())
/// ```
#[cfg_attr(feature = "serde", doc = include_str!("wire_format/checklist.md"))]
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "ChecklistRepr", into = "ChecklistRepr")
)]
pub struct Checklist {
    name: String,
    items: Vec<ChecklistItem>,
}

/// A checklist's assessment: each criterion's status in checklist order, and counts.
///
/// # Example
///
/// ```
/// use std::collections::BTreeMap;
/// use revops::funnel::{Checklist, CriterionStatus};
///
/// let bant = Checklist::bant();
/// let all: BTreeMap<String, CriterionStatus> =
///     bant.items().iter().map(|i| (i.key.clone(), CriterionStatus::Validated)).collect();
/// let result = bant.assess(&all)?;
/// assert!(result.is_complete());
/// assert_eq!((result.validated, result.identified_or_better, result.total), (4, 4, 4));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ChecklistResult {
    /// `(key, status)` in checklist order; unassessed criteria are Unknown.
    pub statuses: Vec<(String, CriterionStatus)>,
    /// Criteria Identified or Validated.
    pub identified_or_better: usize,
    /// Criteria Validated.
    pub validated: usize,
    /// Criteria in the checklist.
    pub total: usize,
}

impl ChecklistResult {
    /// Every criterion is Validated.
    #[must_use]
    pub const fn is_complete(&self) -> bool {
        self.validated == self.total
    }
}

impl Checklist {
    /// A checklist from `(key, letter, name)` triples, in order.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] without items; [`ErrorKind::DuplicateKey`] for a repeated key;
    /// [`ErrorKind::InvalidId`] for a key that is not `a-z0-9_`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::Checklist;
    /// use revops::ErrorKind;
    ///
    /// let spiced = Checklist::new("SPICED", [
    ///     ("situation", "S", "Situation"),
    ///     ("pain", "P", "Pain"),
    ///     ("impact", "I", "Impact"),
    ///     ("critical_event", "CE", "Critical event"), // one item, two letters
    ///     ("decision", "D", "Decision"),
    /// ])?;
    /// assert_eq!(spiced.letters(), "SPICED");
    /// assert!(Checklist::new("empty", []).is_err());
    /// assert!(Checklist::new("twice", [("pain", "P", "Pain"), ("pain", "P", "Pain again")]).is_err());
    /// let bad_key = Checklist::new("bad", [("Pain Point", "P", "Pain")]);
    /// assert!(matches!(bad_key.as_ref().map_err(revops::Error::kind), Err(ErrorKind::InvalidId { .. })));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new<'a>(
        name: impl Into<String>,
        items: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
    ) -> Result<Checklist, Error> {
        let items = items
            .into_iter()
            .map(|(key, letter, name)| ChecklistItem {
                key: key.to_owned(),
                letter: letter.to_owned(),
                name: name.to_owned(),
            })
            .collect();
        Checklist::from_items(name.into(), items)
    }

    fn from_items(name: String, items: Vec<ChecklistItem>) -> Result<Checklist, Error> {
        if items.is_empty() {
            return Err(ErrorKind::InvalidValue {
                field: "checklist items",
                value: "[]".to_owned(),
                reason: "needs at least one item",
            }
            .into());
        }
        let mut keys = BTreeSet::new();
        for item in &items {
            crate::SegmentId::new(item.key.as_str()).map_err(|e| match e.into_kind() {
                ErrorKind::InvalidId { value, reason, .. } => {
                    ErrorKind::InvalidId { kind: "checklist criterion", value, reason }
                }
                other => other,
            })?;
            if !keys.insert(item.key.as_str()) {
                return Err(ErrorKind::DuplicateKey { kind: "checklist criterion", key: item.key.clone() }.into());
            }
        }
        Ok(Checklist { name, items })
    }

    fn template(name: &str, items: &[(&str, &str, &str)]) -> Checklist {
        Checklist {
            name: name.to_owned(),
            items: items
                .iter()
                .map(|(k, l, n)| ChecklistItem { key: (*k).to_owned(), letter: (*l).to_owned(), name: (*n).to_owned() })
                .collect(),
        }
    }

    /// BANT: budget, authority, need, timeline.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::Checklist;
    ///
    /// let bant = Checklist::bant();
    /// let keys: Vec<&str> = bant.items().iter().map(|i| i.key.as_str()).collect();
    /// assert_eq!(keys, ["budget", "authority", "need", "timeline"]);
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn bant() -> Checklist {
        Checklist::template(
            "BANT",
            &[
                ("budget", "B", "Budget"),
                ("authority", "A", "Authority"),
                ("need", "N", "Need"),
                ("timeline", "T", "Timeline"),
            ],
        )
    }

    /// MEDDIC: metrics, economic buyer, decision criteria, decision process, identify pain,
    /// champion.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::Checklist;
    ///
    /// let meddic = Checklist::meddic();
    /// assert_eq!((meddic.name(), meddic.letters()), ("MEDDIC", "MEDDIC".to_owned()));
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn meddic() -> Checklist {
        Checklist::template("MEDDIC", &MEDDIC)
    }

    /// MEDDPICC: MEDDIC plus paper process (after decision process) and competition (last).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::Checklist;
    ///
    /// let meddpicc = Checklist::meddpicc();
    /// assert_eq!(meddpicc.letters(), "MEDDPICC");
    /// assert_eq!(meddpicc.items().get(4).map(|i| i.key.as_str()), Some("paper_process"));
    /// assert_eq!(meddpicc.items().last().map(|i| i.key.as_str()), Some("competition"));
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn meddpicc() -> Checklist {
        let mut items = MEDDIC.to_vec();
        items.insert(4, ("paper_process", "P", "Paper process"));
        items.push(("competition", "C", "Competition"));
        Checklist::template("MEDDPICC", &items)
    }

    /// The name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The items, in order.
    #[must_use]
    pub fn items(&self) -> &[ChecklistItem] {
        &self.items
    }

    /// The letters joined, e.g. `MEDDPICC`.
    #[must_use]
    pub fn letters(&self) -> String {
        self.items.iter().map(|i| i.letter.as_str()).collect()
    }

    /// Assesses `statuses` (criteria not given are Unknown).
    ///
    /// # Errors
    /// [`ErrorKind::UnknownKey`] for a key the checklist lacks (a typo must not pass silently).
    ///
    /// # Example
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// use revops::funnel::{Checklist, CriterionStatus};
    /// use revops::ErrorKind;
    ///
    /// let meddpicc = Checklist::meddpicc();
    /// let statuses = BTreeMap::from([
    ///     ("economic_buyer".to_owned(), CriterionStatus::Validated),
    ///     ("paper_process".to_owned(), CriterionStatus::Identified),
    /// ]);
    /// let result = meddpicc.assess(&statuses)?;
    /// assert_eq!((result.validated, result.identified_or_better, result.total), (1, 2, 8));
    /// // A typo is an error, not an Unknown criterion.
    /// let typo = BTreeMap::from([("econmic_buyer".to_owned(), CriterionStatus::Validated)]);
    /// let err = meddpicc.assess(&typo);
    /// assert!(matches!(err.as_ref().map_err(revops::Error::kind), Err(ErrorKind::UnknownKey { .. })));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn assess(&self, statuses: &BTreeMap<String, CriterionStatus>) -> Result<ChecklistResult, Error> {
        if let Some(key) = statuses.keys().find(|k| !self.items.iter().any(|i| &i.key == *k)) {
            return Err(ErrorKind::UnknownKey { kind: "checklist criterion", key: key.clone() }.into());
        }
        let statuses: Vec<(String, CriterionStatus)> =
            self.items.iter().map(|i| (i.key.clone(), statuses.get(&i.key).copied().unwrap_or_default())).collect();
        Ok(ChecklistResult {
            identified_or_better: statuses.iter().filter(|(_, s)| *s >= CriterionStatus::Identified).count(),
            validated: statuses.iter().filter(|(_, s)| *s == CriterionStatus::Validated).count(),
            total: statuses.len(),
            statuses,
        })
    }
}

const MEDDIC: [(&str, &str, &str); 6] = [
    ("metrics", "M", "Metrics"),
    ("economic_buyer", "E", "Economic buyer"),
    ("decision_criteria", "D", "Decision criteria"),
    ("decision_process", "D", "Decision process"),
    ("identify_pain", "I", "Identify pain"),
    ("champion", "C", "Champion"),
];

/// Wire shape of [`Checklist`]: the format documented on [`Checklist`] ("Wire format"), which
/// is stable. Changing a key or a spelling here is a breaking change of the crate.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ChecklistRepr {
    name: String,
    items: Vec<ChecklistItem>,
}

#[cfg(feature = "serde")]
impl TryFrom<ChecklistRepr> for Checklist {
    type Error = Error;
    fn try_from(r: ChecklistRepr) -> Result<Checklist, Error> {
        Checklist::from_items(r.name, r.items)
    }
}

#[cfg(feature = "serde")]
impl From<Checklist> for ChecklistRepr {
    fn from(c: Checklist) -> ChecklistRepr {
        ChecklistRepr { name: c.name, items: c.items }
    }
}
