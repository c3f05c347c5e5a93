//! [`Account`]: who a company is, the fact an ICP scores.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use crate::{AccountId, Money};

/// What is known about an account's firmographics, technographics and custom attributes: the
/// fact an [`Icp`](crate::icp::Icp) scores. A passive record built by the caller from CRM or
/// enrichment rows.
///
/// Every descriptive field is optional so "unknown" is representable: `None` (or a missing
/// attribute) means the data is missing, which a score reports as *unknown* rather than as a
/// miss or a match. `technologies: Some(empty set)` means "we looked and found none", which
/// differs from `None` ("never enriched").
///
/// Values are compared exactly as given (case-sensitive): normalise keys such as industries
/// and countries before building accounts, as the criteria name them. Fit uses only who the
/// account is; behaviour (visits, downloads) belongs to engagement scoring, never here.
///
/// # Example
///
/// ```
/// use revops::facts::{Account, AttributeValue};
/// use revops::{AccountId, Currency, Money};
///
/// let mut acme = Account::new(AccountId::new("acme")?);
/// acme.industry = Some("software".into());
/// acme.employees = Some(450);
/// acme.annual_revenue = Some(Money::from_minor(80_000_000_00, Currency::USD));
/// acme.technologies = Some(["salesforce".to_owned(), "aws".to_owned()].into());
/// acme.attributes.insert("plan".to_owned(), AttributeValue::Text("trial".into()));
/// assert!(acme.technologies.as_ref().is_some_and(|t| t.contains("aws")));
/// assert_eq!(acme.annual_revenue.map(|r| r.to_string()), Some("80000000.00 USD".to_owned()));
/// assert_eq!(acme.country, None); // unknown, which a fit score reports as unknown, not a miss
/// assert_eq!(Account::new(AccountId::new("unknown")?).industry, None); // nothing known yet
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct Account {
    /// The account (named in every error about it).
    pub id: AccountId,
    /// Its name, as recorded.
    #[cfg_attr(feature = "serde", serde(default))]
    pub name: Option<String>,
    /// Industry key, e.g. `software`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub industry: Option<String>,
    /// Headcount.
    #[cfg_attr(feature = "serde", serde(default))]
    pub employees: Option<u32>,
    /// Annual revenue.
    #[cfg_attr(feature = "serde", serde(default))]
    pub annual_revenue: Option<Money>,
    /// Country, e.g. an ISO 3166 alpha-2 code `US`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub country: Option<String>,
    /// Sales region, e.g. `north_america`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub region: Option<String>,
    /// Technologies the account runs; `None` when technographics are unknown.
    #[cfg_attr(feature = "serde", serde(default))]
    pub technologies: Option<BTreeSet<String>>,
    /// Custom attributes by name; a missing name is unknown. On the wire a name written twice
    /// is [`ErrorKind::DuplicateKey`](crate::ErrorKind::DuplicateKey), not "the last one wins".
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "unique_attributes"))]
    pub attributes: BTreeMap<String, AttributeValue>,
}

impl Account {
    /// An account about which nothing is known yet but its id.
    #[must_use]
    pub const fn new(id: AccountId) -> Account {
        Account {
            id,
            name: None,
            industry: None,
            employees: None,
            annual_revenue: None,
            country: None,
            region: None,
            technologies: None,
            attributes: BTreeMap::new(),
        }
    }
}

#[cfg(feature = "serde")]
fn unique_attributes<'de, D: serde::Deserializer<'de>>(d: D) -> Result<BTreeMap<String, AttributeValue>, D::Error> {
    crate::funnel::unique_map::deserialize(d, "account attribute")
}

/// The value of a custom account attribute.
///
/// # Example
///
/// ```
/// use revops::AccountId;
/// use revops::facts::{Account, AttributeValue};
/// use rust_decimal_macros::dec;
///
/// let mut acme = Account::new(AccountId::new("acme")?);
/// acme.attributes.insert("open_tickets".to_owned(), AttributeValue::Number(dec!(14)));
/// acme.attributes.insert("has_data_team".to_owned(), AttributeValue::Flag(true));
///
/// let kinds: Vec<_> = acme.attributes.iter().map(|(name, value)| (name.as_str(), value.kind())).collect();
/// assert_eq!(kinds, [("has_data_team", "flag"), ("open_tickets", "number")]); // by name
/// assert_eq!(acme.attributes.get("seats"), None); // never recorded: unknown
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum AttributeValue {
    /// Free text, e.g. a plan name.
    Text(String),
    /// A number, e.g. open support tickets.
    Number(#[cfg_attr(feature = "serde", serde(with = "crate::money::exact::str"))] Decimal),
    /// A yes/no flag, e.g. "has a data team".
    Flag(bool),
}

impl AttributeValue {
    /// The type's name as errors spell it: `"text"`, `"number"` or `"flag"`.
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            AttributeValue::Text(_) => "text",
            AttributeValue::Number(_) => "number",
            AttributeValue::Flag(_) => "flag",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(AttributeValue::Text(String::new()).kind(), "text");
        assert_eq!(AttributeValue::Number(Decimal::ONE).kind(), "number");
        assert_eq!(AttributeValue::Flag(true).kind(), "flag");
    }

    #[cfg(feature = "serde")]
    #[test]
    fn an_attribute_written_twice_is_refused() {
        let json = r#"{"id":"a","attributes":{"seats":{"number":"5"},"seats":{"number":"500"}}}"#;
        let err = serde_json::from_str::<Account>(json).unwrap_err().to_string();
        assert!(err.starts_with("duplicate account attribute `seats`"), "{err}");
    }
}
