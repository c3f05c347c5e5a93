//! [`AccountQualification`]: an account qualifies on profile fit AND buying stage (6sense's
//! 6QA), and [`AccountQualificationResult`] says which part held.

use std::collections::{BTreeMap, BTreeSet};

use crate::facts::BuyingStage;
use crate::icp::{FitScore, IcpSet};
use crate::{Error, ErrorKind, SegmentId};

/// Account qualification from profile fit and buying stage: an account qualifies when, in one
/// of `segments`, its fit tier is one of `tiers`, AND its buying stage as of the evaluation
/// ([`BuyingStage::as_of`]) is one of `stages`. 6sense's 6QA is
/// [`AccountQualification::sixsense`]: strong or moderate profile fit, in the decision or
/// purchase stage. An account without a known stage, or with an ungraded fit, fails that part.
///
/// # Wire format
///
/// `{ "segments": ["core"], "tiers": ["strong", "moderate"], "stages": ["decision", "purchase"] }`:
/// segment ids, tier names of those segments' [`Tiers`](crate::icp::Tiers) and
/// [`BuyingStage`] keys, each list non-empty (duplicates collapse; they serialize sorted).
/// Deserializing validates like [`AccountQualification::new`]; unknown keys are refused.
///
/// # Example
///
/// ```
/// use revops::facts::{Account, BuyingStage};
/// use revops::icp::{AccountQualification, Condition, Icp, IcpSet, Tiers};
/// use revops::{AccountId, SegmentId};
///
/// let core = SegmentId::new("core")?;
/// let icp = Icp::builder("core").points("software", Condition::industry_in(["software"]), 85)
///     .points("big", Condition::employees_at_least(500), 15).tiers(Tiers::sixsense()).build()?;
/// let set = IcpSet::new([(core.clone(), icp)])?;
/// let six_qa = AccountQualification::sixsense(core);
/// let acme = Account { industry: Some("software".into()), employees: Some(50), ..Account::new(AccountId::new("acme")?) };
/// let fits = set.score(&acme)?; // 85 of 100: strong
/// let deciding = six_qa.evaluate(&set, &fits, Some(BuyingStage::Decision))?;
/// assert!(deciding.qualified());
/// let aware = six_qa.evaluate(&set, &fits, Some(BuyingStage::Awareness))?;
/// assert_eq!((aware.fit_held, aware.stage_held, aware.qualified()), (true, false, false));
/// assert_eq!(aware.fit.as_ref().map(|(s, t)| (s.as_str(), t.as_str())), Some(("core", "strong")));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "QualificationRepr", into = "QualificationRepr")
)]
pub struct AccountQualification {
    segments: BTreeSet<SegmentId>,
    tiers: BTreeSet<String>,
    stages: BTreeSet<BuyingStage>,
    intent_at_least: Option<u8>,
}

/// Wire shape of [`AccountQualification`] (the format documented on it).
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct QualificationRepr {
    segments: BTreeSet<SegmentId>,
    tiers: BTreeSet<String>,
    stages: BTreeSet<BuyingStage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    intent_at_least: Option<u8>,
}

#[cfg(feature = "serde")]
impl TryFrom<QualificationRepr> for AccountQualification {
    type Error = Error;
    fn try_from(r: QualificationRepr) -> Result<AccountQualification, Error> {
        let q = AccountQualification::new(r.segments, r.tiers, r.stages)?;
        match r.intent_at_least {
            Some(min) => q.with_intent_at_least(min),
            None => Ok(q),
        }
    }
}

#[cfg(feature = "serde")]
impl From<AccountQualification> for QualificationRepr {
    fn from(q: AccountQualification) -> QualificationRepr {
        QualificationRepr { segments: q.segments, tiers: q.tiers, stages: q.stages, intent_at_least: q.intent_at_least }
    }
}

impl AccountQualification {
    /// A qualification from the segments and tiers that count as fit and the stages that count
    /// as buying.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] if a list is empty or a tier name is blank.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::BuyingStage;
    /// use revops::icp::AccountQualification;
    /// use revops::SegmentId;
    ///
    /// let q = AccountQualification::new([SegmentId::new("core")?], ["A".to_owned()], [BuyingStage::Consideration, BuyingStage::Decision])?;
    /// assert_eq!(q.stages().count(), 2);
    /// assert!(AccountQualification::new([SegmentId::new("core")?], ["A".to_owned()], []).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new(
        segments: impl IntoIterator<Item = SegmentId>,
        tiers: impl IntoIterator<Item = String>,
        stages: impl IntoIterator<Item = BuyingStage>,
    ) -> Result<AccountQualification, Error> {
        let q = AccountQualification {
            segments: segments.into_iter().collect(),
            tiers: tiers.into_iter().collect(),
            stages: stages.into_iter().collect(),
            intent_at_least: None,
        };
        let empty = |field| ErrorKind::InvalidValue { field, value: "[]".to_owned(), reason: "must not be empty" };
        if q.segments.is_empty() {
            return Err(empty("account qualification segments").into());
        }
        if q.tiers.is_empty() {
            return Err(empty("account qualification tiers").into());
        }
        if q.stages.is_empty() {
            return Err(empty("account qualification stages").into());
        }
        if let Some(blank) = q.tiers.iter().find(|t| t.trim().is_empty()) {
            let value = blank.clone();
            return Err(ErrorKind::InvalidValue {
                field: "account qualification tier",
                value,
                reason: "must not be blank",
            }
            .into());
        }
        Ok(q)
    }

    /// 6sense's 6QA for `segment`: tiers `strong` and `moderate` (the tier names of
    /// [`Tiers::sixsense`](crate::icp::Tiers::sixsense)), stages `decision` and `purchase`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::BuyingStage;
    /// use revops::icp::AccountQualification;
    /// use revops::SegmentId;
    ///
    /// let q = AccountQualification::sixsense(SegmentId::new("core")?);
    /// assert_eq!(q.tiers().collect::<Vec<_>>(), ["moderate", "strong"]);
    /// assert_eq!(q.stages().collect::<Vec<_>>(), [BuyingStage::Decision, BuyingStage::Purchase]);
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn sixsense(segment: SegmentId) -> AccountQualification {
        AccountQualification {
            segments: BTreeSet::from([segment]),
            tiers: BTreeSet::from(["strong".to_owned(), "moderate".to_owned()]),
            stages: BTreeSet::from([BuyingStage::Decision, BuyingStage::Purchase]),
            intent_at_least: None,
        }
    }

    /// The segments, in id order.
    pub fn segments(&self) -> impl Iterator<Item = &SegmentId> + '_ {
        self.segments.iter()
    }

    /// The tier names, in byte order.
    pub fn tiers(&self) -> impl Iterator<Item = &str> + '_ {
        self.tiers.iter().map(String::as_str)
    }

    /// The stages, in journey order.
    pub fn stages(&self) -> impl Iterator<Item = BuyingStage> + '_ {
        self.stages.iter().copied()
    }

    /// Adds an intent condition: the account's intent score as of the evaluation
    /// ([`IntentSignal::score_as_of`](crate::facts::IntentSignal::score_as_of), 0-100) must be
    /// at least `min`; an unknown intent fails it. Without one (the default) intent is not read.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] if `min` is above 100.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::{Account, BuyingStage};
    /// use revops::icp::{AccountQualification, Condition, Icp, IcpSet, Tiers};
    /// use revops::{AccountId, SegmentId};
    ///
    /// let core = SegmentId::new("core")?;
    /// let icp = Icp::builder("core").points("software", Condition::industry_in(["software"]), 100).tiers(Tiers::sixsense()).build()?;
    /// let set = IcpSet::new([(core.clone(), icp)])?;
    /// let q = AccountQualification::sixsense(core).with_intent_at_least(60)?;
    /// assert_eq!(q.intent_at_least(), Some(60));
    /// let fits = set.score(&Account { industry: Some("software".into()), ..Account::new(AccountId::new("acme")?) })?;
    /// let hot = q.evaluate_with_intent(&set, &fits, Some(BuyingStage::Decision), Some(72))?;
    /// let cold = q.evaluate_with_intent(&set, &fits, Some(BuyingStage::Decision), Some(35))?;
    /// assert_eq!((hot.qualified(), cold.qualified(), cold.intent_held), (true, false, false));
    /// assert!(!q.evaluate(&set, &fits, Some(BuyingStage::Decision))?.qualified()); // intent unknown
    /// assert!(AccountQualification::sixsense(SegmentId::new("core")?).with_intent_at_least(101).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn with_intent_at_least(mut self, min: u8) -> Result<AccountQualification, Error> {
        if min > crate::facts::MAX_INTENT_SCORE {
            return Err(ErrorKind::InvalidValue {
                field: "account qualification intent_at_least",
                value: min.to_string(),
                reason: "must be a whole number from 0 to 100",
            }
            .into());
        }
        self.intent_at_least = Some(min);
        Ok(self)
    }

    /// The intent condition's minimum score (0-100), if the qualification has one.
    #[must_use]
    pub const fn intent_at_least(&self) -> Option<u8> {
        self.intent_at_least
    }

    /// Evaluates one account: `fits` are its scores by segment ([`IcpSet::score`], under the
    /// tiers of `set`), `stage` its buying stage as of the evaluation instant
    /// ([`BuyingStage::as_of`]; `None` when unknown). The fit part holds in the first segment
    /// (id order) whose tier is listed.
    ///
    /// # Errors
    /// [`ErrorKind::UnknownKey`] if a segment is not in `set`, or a tier name is no tier of any
    /// of the segments (a typo would otherwise fail every account silently).
    ///
    /// With an intent condition ([`AccountQualification::with_intent_at_least`]) the intent is
    /// unknown here, so that part fails: use [`AccountQualification::evaluate_with_intent`].
    ///
    /// # Example
    ///
    /// See [`AccountQualification`].
    pub fn evaluate(
        &self,
        set: &IcpSet,
        fits: &BTreeMap<SegmentId, FitScore>,
        stage: Option<BuyingStage>,
    ) -> Result<AccountQualificationResult, Error> {
        self.evaluate_with_intent(set, fits, stage, None)
    }

    /// [`AccountQualification::evaluate`] with the account's intent score as of the evaluation
    /// (0-100, [`IntentSignal::score_as_of`](crate::facts::IntentSignal::score_as_of); `None`
    /// when unknown), read by the intent condition if the qualification has one.
    ///
    /// # Errors
    /// As [`AccountQualification::evaluate`].
    ///
    /// # Example
    ///
    /// See [`AccountQualification::with_intent_at_least`].
    pub fn evaluate_with_intent(
        &self,
        set: &IcpSet,
        fits: &BTreeMap<SegmentId, FitScore>,
        stage: Option<BuyingStage>,
        intent: Option<u8>,
    ) -> Result<AccountQualificationResult, Error> {
        let mut known: BTreeSet<&str> = BTreeSet::new();
        let mut fit = None;
        for segment in &self.segments {
            let icp =
                set.get(segment).ok_or_else(|| ErrorKind::UnknownKey { kind: "segment", key: segment.to_string() })?;
            known.extend(icp.tiers().as_slice().iter().map(|t| t.name.as_str()));
            let tier = fits.get(segment).and_then(|f| icp.tiers().name(f.tier));
            if fit.is_none()
                && let Some(tier) = tier.filter(|t| self.tiers.contains(*t))
            {
                fit = Some((segment.clone(), tier.to_owned()));
            }
        }
        if let Some(unknown) = self.tiers.iter().find(|t| !known.contains(t.as_str())) {
            return Err(ErrorKind::UnknownKey { kind: "tier", key: unknown.clone() }.into());
        }
        let stage_held = stage.is_some_and(|s| self.stages.contains(&s));
        let intent_held = self.intent_at_least.is_none_or(|min| intent.is_some_and(|i| i >= min));
        Ok(AccountQualificationResult { fit_held: fit.is_some(), fit, stage, stage_held, intent, intent_held })
    }
}

/// The outcome of [`AccountQualification::evaluate`]: which part held.
///
/// # Example
///
/// ```
/// use revops::facts::Account;
/// use revops::icp::{AccountQualification, Condition, Icp, IcpSet, Tiers};
/// use revops::{AccountId, SegmentId};
///
/// let core = SegmentId::new("core")?;
/// let icp = Icp::builder("core").points("software", Condition::industry_in(["software"]), 1).tiers(Tiers::sixsense()).build()?;
/// let set = IcpSet::new([(core.clone(), icp)])?;
/// let retail = Account { industry: Some("retail".into()), ..Account::new(AccountId::new("r")?) };
/// let result = AccountQualification::sixsense(core).evaluate(&set, &set.score(&retail)?, None)?;
/// assert_eq!((result.fit_held, result.stage_held, result.fit, result.stage), (false, false, None, None));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct AccountQualificationResult {
    /// The segment and tier the fit part held in; `None` when it failed.
    pub fit: Option<(SegmentId, String)>,
    /// Whether the fit part held.
    pub fit_held: bool,
    /// The buying stage evaluated; `None` when unknown.
    pub stage: Option<BuyingStage>,
    /// Whether the stage part held.
    pub stage_held: bool,
    /// The intent score evaluated (0-100); `None` when unknown.
    #[cfg_attr(feature = "serde", serde(default))]
    pub intent: Option<u8>,
    /// Whether the intent part held (always, without an intent condition).
    #[cfg_attr(feature = "serde", serde(default = "held"))]
    pub intent_held: bool,
}

#[cfg(feature = "serde")]
fn held() -> bool {
    true
}

impl AccountQualificationResult {
    /// Whether the account qualifies: every part held (fit, stage, and intent if asked).
    #[must_use]
    pub fn qualified(&self) -> bool {
        self.fit_held && self.stage_held && self.intent_held
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::AccountId;
    use crate::facts::Account;
    use crate::icp::{Condition, Icp, Tiers};

    fn seg(s: &str) -> SegmentId {
        SegmentId::new(s).unwrap()
    }

    /// Two segments: `core` (6sense tiers, software 85 + big 15) and `smb` (letters, retail 100).
    fn set() -> IcpSet {
        let core = Icp::builder("core")
            .points("software", Condition::industry_in(["software"]), 85)
            .points("big", Condition::employees_at_least(500), 15)
            .tiers(Tiers::sixsense())
            .build()
            .unwrap();
        let smb = Icp::builder("smb").points("retail", Condition::industry_in(["retail"]), 100).build().unwrap();
        IcpSet::new([(seg("core"), core), (seg("smb"), smb)]).unwrap()
    }

    fn account(industry: &str, employees: u32) -> Account {
        Account {
            industry: Some(industry.into()),
            employees: Some(employees),
            ..Account::new(AccountId::new("x").unwrap())
        }
    }

    #[test]
    fn both_parts_must_hold_and_each_is_reported() {
        // By hand: software + 50 employees = 85 points: strong (>= 81) in core; big retail =
        // 15: weak in core, A (100) in smb.
        let set = set();
        let six_qa = AccountQualification::sixsense(seg("core"));
        let strong = set.score(&account("software", 50)).unwrap();
        let weak = set.score(&account("retail", 900)).unwrap();
        let cases = [
            (&strong, Some(BuyingStage::Decision), true, true),
            (&strong, Some(BuyingStage::Purchase), true, true),
            (&strong, Some(BuyingStage::Consideration), true, false),
            (&strong, None, true, false),
            (&weak, Some(BuyingStage::Purchase), false, true),
            (&weak, Some(BuyingStage::Target), false, false),
        ];
        for (fits, stage, fit_held, stage_held) in cases {
            let r = six_qa.evaluate(&set, fits, stage).unwrap();
            assert_eq!(
                (r.fit_held, r.stage_held, r.qualified()),
                (fit_held, stage_held, fit_held && stage_held),
                "{stage:?}"
            );
            assert_eq!(r.stage, stage);
        }
        // Fit in either of two segments: the weak-in-core account is an A in smb.
        let either = AccountQualification::new(
            [seg("core"), seg("smb")],
            ["strong".to_owned(), "A".to_owned()],
            [BuyingStage::Decision],
        )
        .unwrap();
        let r = either.evaluate(&set, &weak, Some(BuyingStage::Decision)).unwrap();
        assert_eq!(r.fit, Some((seg("smb"), "A".to_owned())));
        assert!(r.qualified());
        assert_eq!(weak.get(&seg("core")).map(|f| f.score), Some(dec!(15)));
    }

    #[test]
    fn an_ungraded_fit_fails_the_fit_part() {
        let graded = Icp::builder("g")
            .points("software", Condition::industry_in(["software"]), 1)
            .tiers(Tiers::new([("strong", dec!(81)), ("moderate", dec!(50))]).unwrap())
            .build()
            .unwrap();
        let set = IcpSet::new([(seg("g"), graded)]).unwrap();
        let fits = set.score(&account("retail", 1)).unwrap();
        assert_eq!(fits.get(&seg("g")).map(|f| f.tier), Some(None));
        let r = AccountQualification::sixsense(seg("g")).evaluate(&set, &fits, Some(BuyingStage::Purchase)).unwrap();
        assert_eq!((r.fit_held, r.stage_held), (false, true));
    }

    #[test]
    fn bad_definitions_and_unknown_keys_are_named() {
        let e = |r: Result<AccountQualification, Error>| r.unwrap_err().to_string();
        assert_eq!(
            e(AccountQualification::new([], ["A".to_owned()], [BuyingStage::Decision])),
            "invalid account qualification segments \"[]\": must not be empty"
        );
        assert!(AccountQualification::new([seg("a")], [], [BuyingStage::Decision]).is_err());
        assert!(AccountQualification::new([seg("a")], [" ".to_owned()], [BuyingStage::Decision]).is_err());
        let set = set();
        let fits = set.score(&account("software", 1)).unwrap();
        let unknown = AccountQualification::sixsense(seg("enterprise")).evaluate(&set, &fits, None).unwrap_err();
        assert_eq!(unknown.to_string(), "unknown segment `enterprise`");
        let typo = AccountQualification::new([seg("core")], ["strnog".to_owned()], [BuyingStage::Decision]).unwrap();
        assert_eq!(typo.evaluate(&set, &fits, None).unwrap_err().to_string(), "unknown tier `strnog`");
    }

    #[cfg(feature = "serde")]
    #[test]
    fn wire_format() {
        let q = AccountQualification::sixsense(seg("core"));
        let json = serde_json::to_string(&q).unwrap();
        assert_eq!(json, r#"{"segments":["core"],"tiers":["moderate","strong"],"stages":["decision","purchase"]}"#);
        assert_eq!(serde_json::from_str::<AccountQualification>(&json).unwrap(), q);
        let empty = serde_json::from_str::<AccountQualification>(&json.replace(r#"["decision","purchase"]"#, "[]"));
        assert!(empty.unwrap_err().to_string().starts_with("invalid account qualification stages"));
        assert!(serde_json::from_str::<AccountQualification>(&json.replace("decision", "intent")).is_err());
    }

    proptest::proptest! {
        #[cfg(feature = "serde")]
        #[test]
        fn definitions_round_trip(
            segs in proptest::collection::btree_set("[a-z]{1,8}", 1..4),
            tiers in proptest::collection::btree_set("[A-Za-z]{1,8}", 1..4),
            stages in proptest::sample::subsequence(BuyingStage::ALL.to_vec(), 1..=5),
        ) {
            let q = AccountQualification::new(segs.into_iter().map(|s| seg(&s)), tiers, stages).unwrap();
            proptest::prop_assert_eq!(serde_json::from_str::<AccountQualification>(&serde_json::to_string(&q).unwrap()).unwrap(), q);
        }
    }
}
