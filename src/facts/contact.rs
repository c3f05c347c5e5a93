//! [`Contact`]: a person at an account, with typed [`BuyingRole`]s.

use core::fmt;
use core::str::FromStr;
use std::collections::BTreeSet;

use crate::{AccountId, ContactId, Error, ErrorKind};

/// A role a person plays in a B2B purchase. A person may hold several roles, and several
/// people one role. Keys are snake case and equal `testkit::BUYING_ROLES`.
///
/// The set is closed by definition ([definitions, section 3](crate::definitions::icp)), so the enum is exhaustive;
/// anything else is [`BuyingRole::Other`].
///
/// # Example
///
/// ```
/// use revops::facts::BuyingRole;
///
/// let role: BuyingRole = "legal_or_procurement".parse()?;
/// assert_eq!(role, BuyingRole::LegalOrProcurement);
/// assert_eq!(BuyingRole::EconomicBuyer.to_string(), "economic_buyer");
/// assert_eq!(BuyingRole::EndUser.as_str(), "end_user");
/// assert!(BuyingRole::ALL.iter().all(|r| r.as_str().parse::<BuyingRole>().ok() == Some(*r))); // every key round-trips
/// assert!("cfo".parse::<BuyingRole>().is_err());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum BuyingRole {
    /// Owns the budget and signs off on the spend.
    EconomicBuyer,
    /// Sells internally for the vendor.
    Champion,
    /// Guides the vendor through the organisation.
    Coach,
    /// Makes (or co-makes) the decision.
    DecisionMaker,
    /// Evaluates the product's technical fit.
    TechnicalEvaluator,
    /// Shapes opinions without deciding.
    Influencer,
    /// Will use the product.
    EndUser,
    /// Opposes the purchase.
    Blocker,
    /// Senior sponsor of the initiative.
    ExecutiveSponsor,
    /// Legal review or procurement.
    LegalOrProcurement,
    /// Any other role.
    Other,
}

impl BuyingRole {
    /// Every role, in declaration order.
    pub const ALL: [BuyingRole; 11] = [
        BuyingRole::EconomicBuyer,
        BuyingRole::Champion,
        BuyingRole::Coach,
        BuyingRole::DecisionMaker,
        BuyingRole::TechnicalEvaluator,
        BuyingRole::Influencer,
        BuyingRole::EndUser,
        BuyingRole::Blocker,
        BuyingRole::ExecutiveSponsor,
        BuyingRole::LegalOrProcurement,
        BuyingRole::Other,
    ];

    /// The snake-case key, e.g. `"economic_buyer"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            BuyingRole::EconomicBuyer => "economic_buyer",
            BuyingRole::Champion => "champion",
            BuyingRole::Coach => "coach",
            BuyingRole::DecisionMaker => "decision_maker",
            BuyingRole::TechnicalEvaluator => "technical_evaluator",
            BuyingRole::Influencer => "influencer",
            BuyingRole::EndUser => "end_user",
            BuyingRole::Blocker => "blocker",
            BuyingRole::ExecutiveSponsor => "executive_sponsor",
            BuyingRole::LegalOrProcurement => "legal_or_procurement",
            BuyingRole::Other => "other",
        }
    }
}

impl fmt::Display for BuyingRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for BuyingRole {
    type Err = Error;
    /// Parses a snake-case key; [`ErrorKind::UnknownBuyingRole`] for anything else.
    fn from_str(key: &str) -> Result<BuyingRole, Error> {
        BuyingRole::ALL
            .into_iter()
            .find(|r| r.as_str() == key)
            .ok_or_else(|| ErrorKind::UnknownBuyingRole { key: key.to_owned() })
            .map_err(crate::Error::from)
    }
}

/// A person at an account (a fact): who they are in the buying group.
///
/// The roles are typed ([`BuyingRole`]): a CRM's contact-role picklist maps onto them with
/// [`BuyingRole::from_str`]. A contact may hold several roles, and several contacts one role.
///
/// # Example
///
/// ```
/// use revops::facts::{BuyingRole, Contact};
/// use revops::{AccountId, ContactId};
///
/// let ann = Contact::new(ContactId::new("c-1")?)
///     .at_account(AccountId::new("acme")?)
///     .with_role(BuyingRole::Champion)
///     .with_role("economic_buyer".parse()?);
/// assert!(ann.holds(BuyingRole::EconomicBuyer));
/// assert!(!ann.holds(BuyingRole::Blocker));
/// assert_eq!(ann.roles.len(), 2);
/// assert_eq!(ann.account.as_ref().map(AccountId::as_str), Some("acme"));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct Contact {
    /// The contact (named in every error about them).
    pub id: ContactId,
    /// The account they work at, if known.
    #[cfg_attr(feature = "serde", serde(default))]
    pub account: Option<AccountId>,
    /// Their job title, as recorded.
    #[cfg_attr(feature = "serde", serde(default))]
    pub title: Option<String>,
    /// The buying roles they hold (possibly several, possibly none).
    #[cfg_attr(feature = "serde", serde(default))]
    pub roles: BTreeSet<BuyingRole>,
}

impl Contact {
    /// A contact with no account, title or role yet.
    #[must_use]
    pub const fn new(id: ContactId) -> Contact {
        Contact { id, account: None, title: None, roles: BTreeSet::new() }
    }

    /// The same contact at `account`.
    #[must_use]
    pub fn at_account(mut self, account: AccountId) -> Contact {
        self.account = Some(account);
        self
    }

    /// The same contact with `role` added.
    #[must_use]
    pub fn with_role(mut self, role: BuyingRole) -> Contact {
        self.roles.insert(role);
        self
    }

    /// Whether the contact holds `role`.
    #[must_use]
    pub fn holds(&self, role: BuyingRole) -> bool {
        self.roles.contains(&role)
    }
}
