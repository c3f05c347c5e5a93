//! The definitions an SLA part holds beside its policies: which team a lead belongs to
//! ([`TeamRule`]) and the months marketing's volume is reported over ([`VolumeMonths`]).

use chrono::{Months, NaiveDate};

use crate::facts::{Account, AttributeValue, Lead};
use crate::{Error, ErrorKind};

/// How an SLA part maps a lead to the team its compliance is reported under.
///
/// The lead's owner, or an attribute of the lead's account: its `region`, `country` or
/// `industry`, or a custom attribute of the account's `attributes` (one the ICP set's
/// criteria name, so the accounts are known to carry it; checked by
/// [`Agreement::new`](super::Agreement::new)). A lead without an owner, without an account,
/// or whose account lacks the value, is reported under
/// [`UNASSIGNED`](super::scorecard::UNASSIGNED).
///
/// # Wire format
///
/// `"lead_owner"` (the default), `"account_region"`, `"account_country"`,
/// `"account_industry"`, or `{ "account_attribute": "sales_team" }`.
///
/// # Example
///
/// ```
/// use revops::agreement::TeamRule;
/// use revops::facts::{Account, Lead};
/// use revops::{AccountId, LeadId};
///
/// let rule: TeamRule = serde_json::from_str(r#""account_region""#)?;
/// assert_eq!(rule, TeamRule::AccountRegion);
/// let account = Account { region: Some("europe".into()), ..Account::new(AccountId::new("A-1")?) };
/// assert_eq!(rule.account_team(&account), Some("europe".to_owned()));
/// let lead = Lead::new(LeadId::new("L-1")?, chrono::DateTime::UNIX_EPOCH).owned_by("ana");
/// assert_eq!(TeamRule::LeadOwner.lead_team(&lead), Some("ana"));
/// let custom: TeamRule = serde_json::from_str(r#"{"account_attribute":"sales_team"}"#)?;
/// assert_eq!(custom, TeamRule::AccountAttribute("sales_team".into()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum TeamRule {
    /// The lead's [`owner`](Lead::owner).
    #[default]
    LeadOwner,
    /// The [`region`](Account::region) of the lead's account.
    AccountRegion,
    /// The [`country`](Account::country) of the lead's account.
    AccountCountry,
    /// The [`industry`](Account::industry) of the lead's account.
    AccountIndustry,
    /// A custom attribute of the lead's account (its text, number or flag, as text).
    AccountAttribute(String),
}

impl TeamRule {
    /// Whether the team comes from the lead's account (not from the lead itself).
    #[must_use]
    pub const fn reads_accounts(&self) -> bool {
        !matches!(self, TeamRule::LeadOwner)
    }

    /// The team of `lead` under [`TeamRule::LeadOwner`]: its owner (`None` under the account
    /// rules, which need the account: [`TeamRule::account_team`]).
    #[must_use]
    pub fn lead_team<'a>(&self, lead: &'a Lead) -> Option<&'a str> {
        match self {
            TeamRule::LeadOwner => lead.owner.as_deref(),
            _ => None,
        }
    }

    /// The team the account rules give the leads of `account` (`None` under
    /// [`TeamRule::LeadOwner`], or when the account lacks the value).
    #[must_use]
    pub fn account_team(&self, account: &Account) -> Option<String> {
        match self {
            TeamRule::LeadOwner => None,
            TeamRule::AccountRegion => account.region.clone(),
            TeamRule::AccountCountry => account.country.clone(),
            TeamRule::AccountIndustry => account.industry.clone(),
            TeamRule::AccountAttribute(key) => account.attributes.get(key).map(|value| match value {
                AttributeValue::Text(text) => text.clone(),
                AttributeValue::Number(n) => n.normalize().to_string(),
                AttributeValue::Flag(flag) => flag.to_string(),
            }),
        }
    }
}

/// The most months a [`VolumeMonths`] may span (ten years).
pub const MAX_VOLUME_MONTHS: u32 = 120;

/// The calendar months marketing's volume commitments are reported over, first to last
/// inclusive. The months are local to the SLA part's calendar (a New York team's September
/// starts at midnight in New York, DST-correct), like the business hours its policies count:
/// one part, one local time.
///
/// # Wire format
///
/// `{ "first": "2024-09", "last": "2024-12" }` (`YYYY-MM`); `last` not before `first`, at
/// most [`MAX_VOLUME_MONTHS`] months.
///
/// # Example
///
/// ```
/// use revops::agreement::VolumeMonths;
///
/// let months: VolumeMonths = serde_json::from_str(r#"{"first":"2024-11","last":"2025-01"}"#)?;
/// let labels: Vec<String> = months.months().map(|m| m.format("%Y-%m").to_string()).collect();
/// assert_eq!(labels, ["2024-11", "2024-12", "2025-01"]);
/// assert!(serde_json::from_str::<VolumeMonths>(r#"{"first":"2024-11","last":"2024-10"}"#).is_err());
/// assert!(serde_json::from_str::<VolumeMonths>(r#"{"first":"2024-13","last":"2025-01"}"#).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "MonthsRepr", into = "MonthsRepr")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct VolumeMonths {
    first: NaiveDate,
    count: u32,
}

impl VolumeMonths {
    /// The months from `first` to `last` inclusive (given as any day of each month).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`] if `last` is before `first` or the span is longer than
    /// [`MAX_VOLUME_MONTHS`].
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use revops::agreement::VolumeMonths;
    ///
    /// let date = |y, m| NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default();
    /// assert_eq!(VolumeMonths::new(date(2024, 9), date(2024, 12))?.months().count(), 4);
    /// assert!(VolumeMonths::new(date(2024, 9), date(2040, 1)).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new(first: NaiveDate, last: NaiveDate) -> Result<VolumeMonths, Error> {
        use chrono::Datelike;
        let invalid =
            |reason| ErrorKind::InvalidValue { field: "volume months", value: format!("{first}..{last}"), reason };
        let index = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
        let span = index(last) - index(first);
        if span < 0 {
            return Err(invalid("the last month is before the first").into());
        }
        let count = u32::try_from(span + 1).ok().filter(|n| *n <= MAX_VOLUME_MONTHS);
        let count = count.ok_or_else(|| invalid("spans more than 120 months"))?;
        let first = first.with_day(1).ok_or_else(|| invalid("no first day"))?;
        Ok(VolumeMonths { first, count })
    }

    /// The first day of each month, in order.
    pub fn months(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        (0..self.count).filter_map(|i| self.first.checked_add_months(Months::new(i)))
    }
}

/// The wire shape of [`VolumeMonths`]: `YYYY-MM` strings.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct MonthsRepr {
    /// The first month, `YYYY-MM`.
    #[cfg_attr(feature = "schema", schemars(with = "crate::wire::schema::Month"))]
    first: String,
    /// The last month, `YYYY-MM` (not before the first).
    #[cfg_attr(feature = "schema", schemars(with = "crate::wire::schema::Month"))]
    last: String,
}

fn parse_month(text: &str) -> Result<NaiveDate, Error> {
    NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d").ok().filter(|_| text.len() == 7).ok_or_else(|| {
        ErrorKind::InvalidValue { field: "volume month", value: text.to_owned(), reason: "not YYYY-MM" }.into()
    })
}

impl TryFrom<MonthsRepr> for VolumeMonths {
    type Error = Error;

    fn try_from(repr: MonthsRepr) -> Result<VolumeMonths, Error> {
        VolumeMonths::new(parse_month(&repr.first)?, parse_month(&repr.last)?)
    }
}

impl From<VolumeMonths> for MonthsRepr {
    fn from(months: VolumeMonths) -> MonthsRepr {
        let last = months.months().last().unwrap_or(months.first);
        MonthsRepr { first: months.first.format("%Y-%m").to_string(), last: last.format("%Y-%m").to_string() }
    }
}
