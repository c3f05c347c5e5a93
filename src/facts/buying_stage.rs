//! [`BuyingStage`] and [`BuyingStageChange`]: where an account is in its buying journey, as of
//! an instant.

use core::fmt;
use core::str::FromStr;

use chrono::{DateTime, Utc};

use crate::{AccountId, Error, ErrorKind};

/// An account's buying stage, 6sense-style, in journey order (`Ord` follows it): `target` (no
/// buying signal yet), `awareness`, `consideration`, `decision`, `purchase`. An account past
/// `target` is *in market*.
///
/// # Wire format
///
/// The snake-case key: `"target"`, `"awareness"`, `"consideration"`, `"decision"`, `"purchase"`.
///
/// # Example
///
/// ```
/// use revops::facts::BuyingStage;
///
/// assert!(BuyingStage::Decision > BuyingStage::Consideration);
/// assert_eq!("purchase".parse::<BuyingStage>()?, BuyingStage::Purchase);
/// assert!(BuyingStage::Awareness.is_in_market() && !BuyingStage::Target.is_in_market());
/// assert!("intent".parse::<BuyingStage>().is_err());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum BuyingStage {
    /// In the target market, no buying signal yet.
    Target,
    /// Researching the problem.
    Awareness,
    /// Comparing solutions.
    Consideration,
    /// Choosing a vendor.
    Decision,
    /// Buying.
    Purchase,
}

impl BuyingStage {
    /// Every stage, in journey order.
    pub const ALL: [BuyingStage; 5] = [
        BuyingStage::Target,
        BuyingStage::Awareness,
        BuyingStage::Consideration,
        BuyingStage::Decision,
        BuyingStage::Purchase,
    ];

    /// The snake-case key, e.g. `consideration`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            BuyingStage::Target => "target",
            BuyingStage::Awareness => "awareness",
            BuyingStage::Consideration => "consideration",
            BuyingStage::Decision => "decision",
            BuyingStage::Purchase => "purchase",
        }
    }

    /// Whether the account is in market: any stage past `target`.
    #[must_use]
    pub fn is_in_market(self) -> bool {
        self > BuyingStage::Target
    }

    /// The stage of `account` as of `as_of`, from its stage history: the stage of the latest
    /// change at or before `as_of` (a later change is not known yet); `None` when it has none.
    /// Two changes at the same instant resolve to the later stage, so the answer does not
    /// depend on the changes' order. Changes of other accounts are ignored.
    ///
    /// Why a dated fact and not a field on [`Account`](crate::facts::Account): 6sense
    /// re-evaluates the stage daily and its users ask "which stage was the account in on
    /// the day the opportunity opened" and "who moved to decision this month"; one current
    /// value cannot answer either, a history can.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::facts::{BuyingStage, BuyingStageChange};
    /// use revops::AccountId;
    ///
    /// let day = |d| Utc.with_ymd_and_hms(2024, 5, d, 0, 0, 0).single().unwrap_or_default();
    /// let acme = AccountId::new("acme")?;
    /// let history = [
    ///     BuyingStageChange { account: acme.clone(), stage: BuyingStage::Awareness, at: day(1) },
    ///     BuyingStageChange { account: acme.clone(), stage: BuyingStage::Decision, at: day(20) },
    ///     BuyingStageChange { account: acme.clone(), stage: BuyingStage::Consideration, at: day(10) },
    /// ];
    /// assert_eq!(BuyingStage::as_of(&history, &acme, day(15)), Some(BuyingStage::Consideration));
    /// assert_eq!(BuyingStage::as_of(&history, &acme, day(20)), Some(BuyingStage::Decision)); // inclusive
    /// assert_eq!(BuyingStage::as_of(&history, &acme, Utc.with_ymd_and_hms(2024, 4, 30, 0, 0, 0).single().unwrap_or_default()), None);
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn as_of<'a>(
        changes: impl IntoIterator<Item = &'a BuyingStageChange>,
        account: &AccountId,
        as_of: DateTime<Utc>,
    ) -> Option<BuyingStage> {
        changes
            .into_iter()
            .filter(|c| c.account == *account && c.at <= as_of)
            .max_by_key(|c| (c.at, c.stage))
            .map(|c| c.stage)
    }
}

impl fmt::Display for BuyingStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for BuyingStage {
    type Err = Error;
    fn from_str(key: &str) -> Result<BuyingStage, Error> {
        BuyingStage::ALL
            .into_iter()
            .find(|s| s.as_str() == key)
            .ok_or_else(|| ErrorKind::UnknownKey { kind: "buying stage", key: key.to_owned() }.into())
    }
}

/// An account entering a [`BuyingStage`] at an instant (a fact; e.g. 6sense's daily stage,
/// recorded when it changes). Record every change, backwards moves included: the stage as of
/// an instant is [`BuyingStage::as_of`].
///
/// # Wire format
///
/// `{ "account": "acme", "stage": "decision", "at": "2024-05-20T00:00:00Z" }`; unknown keys are
/// refused.
///
/// # Example
///
/// ```
/// use revops::facts::{BuyingStage, BuyingStageChange};
///
/// let json = r#"{ "account": "acme", "stage": "decision", "at": "2024-05-20T00:00:00Z" }"#;
/// let change: BuyingStageChange = serde_json::from_str(json)?;
/// assert_eq!((change.account.as_str(), change.stage), ("acme", BuyingStage::Decision));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct BuyingStageChange {
    /// The account.
    pub account: AccountId,
    /// The stage it entered.
    pub stage: BuyingStage,
    /// When.
    pub at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn day(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 5, d, 0, 0, 0).unwrap()
    }

    #[test]
    fn keys_round_trip_and_unknown_keys_are_named() {
        for s in BuyingStage::ALL {
            assert_eq!(s.as_str().parse::<BuyingStage>().unwrap(), s);
            assert_eq!(s.to_string(), s.as_str());
        }
        assert!(BuyingStage::ALL.windows(2).all(|w| w[0] < w[1]));
        assert_eq!("intent".parse::<BuyingStage>().unwrap_err().to_string(), "unknown buying stage `intent`");
    }

    #[test]
    fn the_stage_as_of_an_instant_is_the_latest_change_then_the_later_stage() {
        let a = AccountId::new("a").unwrap();
        let b = AccountId::new("b").unwrap();
        let c = |account: &AccountId, stage, at| BuyingStageChange { account: account.clone(), stage, at };
        let mut history = vec![
            c(&a, BuyingStage::Consideration, day(3)),
            c(&a, BuyingStage::Decision, day(9)),
            c(&a, BuyingStage::Awareness, day(9)), // same instant: the later stage wins
            c(&a, BuyingStage::Awareness, day(15)), // a move back is a change like any other
            c(&b, BuyingStage::Purchase, day(1)),
        ];
        let at = |d| BuyingStage::as_of(&history, &a, day(d));
        assert_eq!(
            [at(2), at(3), at(8), at(9), at(14), at(15)],
            [
                None,
                Some(BuyingStage::Consideration),
                Some(BuyingStage::Consideration),
                Some(BuyingStage::Decision),
                Some(BuyingStage::Decision),
                Some(BuyingStage::Awareness)
            ]
        );
        history.reverse();
        assert_eq!(BuyingStage::as_of(&history, &a, day(9)), Some(BuyingStage::Decision));
        assert_eq!(BuyingStage::as_of(&history, &b, day(30)), Some(BuyingStage::Purchase));
    }

    #[cfg(feature = "serde")]
    #[test]
    fn wire_format() {
        let change = BuyingStageChange {
            account: AccountId::new("acme").unwrap(),
            stage: BuyingStage::Consideration,
            at: day(20),
        };
        let json = serde_json::to_string(&change).unwrap();
        assert_eq!(json, r#"{"account":"acme","stage":"consideration","at":"2024-05-20T00:00:00Z"}"#);
        assert_eq!(serde_json::from_str::<BuyingStageChange>(&json).unwrap(), change);
        assert!(serde_json::from_str::<BuyingStageChange>(&json.replace("consideration", "intent")).is_err());
    }
}
