//! [`IntentSignal`]: a third-party or first-party intent score of an account on a topic, at an
//! instant.

use chrono::{DateTime, TimeDelta, Utc};

use crate::{AccountId, Error, ErrorKind};

/// The highest intent score: scores are on a 0-100 scale (6sense's intent score, Bombora's
/// Company Surge score, a caller's own model normalised to it).
pub const MAX_INTENT_SCORE: u8 = 100;

/// An account showing intent on a topic, with a score on a stated 0-100 scale, observed at an
/// instant (a fact; e.g. a weekly intent export from 6sense, Bombora or G2, one row per account
/// and topic). Record every observation: the score as of an instant is
/// [`IntentSignal::score_as_of`], the latest observation at or before it.
///
/// Read by [`AccountQualification::intent_at_least`](crate::icp::AccountQualification::intent_at_least)
/// (6QA with an intent condition) and by the marketing-qualified-account rule
/// ([`MqaRule`](crate::icp::MqaRule)), [definitions, section 11](crate::definitions::account_engagement).
///
/// # Wire format
///
/// `{ "account": "acme", "topic": "revenue operations", "score": 72, "at": "2024-05-20T00:00:00Z" }`:
/// `score` a whole number from 0 to 100, `topic` not blank; deserializing validates like
/// [`IntentSignal::new`]; unknown keys are refused.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::IntentSignal;
/// use revops::AccountId;
///
/// let day = |d| Utc.with_ymd_and_hms(2024, 5, d, 0, 0, 0).single().unwrap_or_default();
/// let acme = AccountId::new("acme")?;
/// let signals = [
///     IntentSignal::new(acme.clone(), "crm", 40, day(1))?,
///     IntentSignal::new(acme.clone(), "crm", 75, day(8))?,
///     IntentSignal::new(acme.clone(), "billing", 90, day(20))?,
/// ];
/// assert_eq!(IntentSignal::score_as_of(&signals, &acme, Some("crm"), day(10), None), Some(75));
/// assert_eq!(IntentSignal::score_as_of(&signals, &acme, None, day(25), None), Some(90)); // any topic: the highest
/// assert_eq!(IntentSignal::score_as_of(&signals, &acme, Some("crm"), day(25), Some(14)), None); // stale
/// assert!(IntentSignal::new(acme, "crm", 101, day(1)).is_err()); // off the 0-100 scale
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "IntentRepr", into = "IntentRepr")
)]
#[non_exhaustive]
pub struct IntentSignal {
    /// The account.
    pub account: AccountId,
    /// The topic (the provider's topic or keyword cluster), not blank.
    pub topic: String,
    /// The score, 0 to [`MAX_INTENT_SCORE`].
    pub score: u8,
    /// When it was observed.
    pub at: DateTime<Utc>,
}

/// Wire shape of [`IntentSignal`].
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct IntentRepr {
    account: AccountId,
    topic: String,
    score: u8,
    at: DateTime<Utc>,
}

#[cfg(feature = "serde")]
impl TryFrom<IntentRepr> for IntentSignal {
    type Error = Error;
    fn try_from(r: IntentRepr) -> Result<IntentSignal, Error> {
        IntentSignal::new(r.account, &r.topic, r.score, r.at)
    }
}

#[cfg(feature = "serde")]
impl From<IntentSignal> for IntentRepr {
    fn from(s: IntentSignal) -> IntentRepr {
        IntentRepr { account: s.account, topic: s.topic, score: s.score, at: s.at }
    }
}

impl IntentSignal {
    /// An observation of `account`'s intent on `topic`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] if `score` is above 100 or `topic` is blank.
    pub fn new(account: AccountId, topic: &str, score: u8, at: DateTime<Utc>) -> Result<IntentSignal, Error> {
        if score > MAX_INTENT_SCORE {
            return Err(ErrorKind::InvalidValue {
                field: "intent score",
                value: score.to_string(),
                reason: "must be a whole number from 0 to 100",
            }
            .into());
        }
        if topic.trim().is_empty() {
            return Err(ErrorKind::InvalidValue {
                field: "intent topic",
                value: topic.to_owned(),
                reason: "must not be blank",
            }
            .into());
        }
        Ok(IntentSignal { account, topic: topic.to_owned(), score, at })
    }

    /// The intent of `account` as of `as_of`: per topic the latest observation at or before
    /// `as_of` (a later one is not known yet; two at the same instant resolve to the higher
    /// score, so the answer does not depend on order), and, with `within_days`, only if it is
    /// less than that many days old. With `topic` the score on that topic; without, the highest
    /// score over the account's topics. `None` when no observation counts. Signals of other
    /// accounts are ignored.
    ///
    /// # Example
    ///
    /// See [`IntentSignal`].
    pub fn score_as_of<'a>(
        signals: impl IntoIterator<Item = &'a IntentSignal>,
        account: &AccountId,
        topic: Option<&str>,
        as_of: DateTime<Utc>,
        within_days: Option<u32>,
    ) -> Option<u8> {
        let mut latest: std::collections::BTreeMap<&str, (DateTime<Utc>, u8)> = std::collections::BTreeMap::new();
        for s in signals {
            if s.account != *account || s.at > as_of || topic.is_some_and(|t| t != s.topic) {
                continue;
            }
            let entry = latest.entry(s.topic.as_str()).or_insert((s.at, s.score));
            if (s.at, s.score) > *entry {
                *entry = (s.at, s.score);
            }
        }
        let fresh = |at: DateTime<Utc>| within_days.is_none_or(|d| as_of - at < TimeDelta::days(i64::from(d)));
        latest.into_values().filter(|(at, _)| fresh(*at)).map(|(_, score)| score).max()
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn day(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 5, d, 0, 0, 0).unwrap()
    }

    #[test]
    fn the_score_as_of_an_instant_is_the_latest_per_topic_then_the_highest() {
        let a = AccountId::new("a").unwrap();
        let b = AccountId::new("b").unwrap();
        let s = |acc: &AccountId, topic, score, d| IntentSignal::new(acc.clone(), topic, score, day(d)).unwrap();
        let mut signals = vec![
            s(&a, "crm", 80, 1),
            s(&a, "crm", 30, 5), // the latest crm observation falls to 30
            s(&a, "crm", 50, 5), // same instant: the higher wins
            s(&a, "billing", 45, 3),
            s(&b, "crm", 100, 4),
        ];
        let at = |topic, d, within| IntentSignal::score_as_of(&signals, &a, topic, day(d), within);
        assert_eq!(at(Some("crm"), 4, None), Some(80));
        assert_eq!(at(Some("crm"), 5, None), Some(50));
        assert_eq!(at(None, 5, None), Some(50));
        assert_eq!(at(None, 3, None), Some(80));
        assert_eq!(at(Some("crm"), 9, Some(4)), None); // 4 days old: not within 4 days
        assert_eq!(at(Some("crm"), 8, Some(4)), Some(50));
        assert_eq!(at(Some("hr"), 9, None), None);
        signals.reverse();
        assert_eq!(IntentSignal::score_as_of(&signals, &a, None, day(5), None), Some(50));
    }

    #[test]
    fn scores_off_the_scale_and_blank_topics_are_refused() {
        let a = AccountId::new("a").unwrap();
        assert!(IntentSignal::new(a.clone(), "crm", 100, day(1)).is_ok());
        let err = IntentSignal::new(a.clone(), "crm", 101, day(1)).unwrap_err();
        assert!(err.to_string().contains("intent score"), "{err}");
        assert!(IntentSignal::new(a, " ", 10, day(1)).is_err());
    }

    #[cfg(feature = "serde")]
    #[test]
    fn wire_format() {
        let s = IntentSignal::new(AccountId::new("acme").unwrap(), "crm", 72, day(20)).unwrap();
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, r#"{"account":"acme","topic":"crm","score":72,"at":"2024-05-20T00:00:00Z"}"#);
        assert_eq!(serde_json::from_str::<IntentSignal>(&json).unwrap(), s);
        assert!(serde_json::from_str::<IntentSignal>(&json.replace("72", "172")).is_err());
        assert!(serde_json::from_str::<IntentSignal>(&json.replace("\"crm\"", "\"\"")).is_err());
    }
}
