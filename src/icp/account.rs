//! [`AccountProfile`]: the facts an ICP reads about an account ("who they are").

use std::collections::{BTreeMap, BTreeSet};

use crate::Money;
use crate::facts::AttributeValue;

/// What is known about an account's firmographics, technographics and custom attributes: the
/// facts an [`Icp`](super::Icp) scores. A passive record built by the caller from its CRM or
/// enrichment rows.
///
/// Every field is optional so "unknown" is representable: `None` (or a missing attribute)
/// means the data is missing, which a score reports as *unknown* rather than as a miss or a
/// match (the ICP's [`UnknownPolicy`](super::UnknownPolicy) decides how it counts).
/// `technologies: Some(empty set)` means "we looked and found none", which differs from
/// `None` ("never enriched").
///
/// Values are compared exactly as given (case-sensitive): normalise keys such as industries
/// and countries before building profiles, as the criteria name them.
///
/// Fit uses only who the account is; behaviour (visits, downloads) belongs to engagement
/// scoring, never here.
///
/// # Example
///
/// ```
/// use revops::icp::AccountProfile;
/// use revops::facts::AttributeValue;
/// use revops::{Currency, Money};
///
/// let acme = AccountProfile {
///     industry: Some("software".into()),
///     employees: Some(450),
///     annual_revenue: Some(Money::from_minor(80_000_000_00, Currency::USD)),
///     country: Some("DE".into()),
///     region: Some("europe".into()),
///     technologies: Some(["salesforce".to_owned(), "aws".to_owned()].into()),
///     attributes: [("plan".to_owned(), AttributeValue::Text("trial".into()))].into(),
/// };
/// assert!(acme.technologies.as_ref().is_some_and(|t| t.contains("aws")));
/// let unknown = AccountProfile::default(); // nothing known yet
/// assert_eq!(unknown.industry, None);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct AccountProfile {
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
    /// is [`Error::DuplicateKey`](crate::Error::DuplicateKey), not "the last one wins".
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "unique_attributes"))]
    pub attributes: BTreeMap<String, AttributeValue>,
}

#[cfg(feature = "serde")]
fn unique_attributes<'de, D: serde::Deserializer<'de>>(d: D) -> Result<BTreeMap<String, AttributeValue>, D::Error> {
    crate::funnel::unique_map::deserialize(d, "account attribute")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[cfg(feature = "serde")]
    #[test]
    fn wire_format() {
        let p = AccountProfile {
            employees: Some(10),
            attributes: [("seats".to_owned(), AttributeValue::Number(Decimal::new(125, 1)))].into(),
            ..AccountProfile::default()
        };
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(
            json,
            r#"{"industry":null,"employees":10,"annual_revenue":null,"country":null,"region":null,"technologies":null,"attributes":{"seats":{"number":"12.5"}}}"#
        );
        assert_eq!(serde_json::from_str::<AccountProfile>(&json).unwrap(), p);
        assert_eq!(serde_json::from_str::<AccountProfile>(r#"{"employees":10}"#).unwrap().employees, Some(10));
        assert!(serde_json::from_str::<AccountProfile>(r#"{"employes":10}"#).is_err());
    }

    #[cfg(feature = "serde")]
    #[test]
    fn an_attribute_written_twice_is_refused() {
        let json = r#"{"attributes":{"seats":{"number":"5"},"seats":{"number":"500"}}}"#;
        let err = serde_json::from_str::<AccountProfile>(json).unwrap_err().to_string();
        assert!(err.starts_with("duplicate account attribute `seats`"), "{err}");
    }
}
