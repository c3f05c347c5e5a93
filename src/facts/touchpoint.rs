//! A touchpoint: one marketing or sales interaction, and the roles it may hold.

use core::fmt;

use chrono::{DateTime, Utc};

use crate::{CampaignId, ChannelId, ContactId};

/// A milestone role a touch can hold ([definitions 1.1](crate::definitions::attribution#11-input), as HubSpot defines them).
///
/// A closed set: these are the four anchors every B2B attribution product uses.
///
/// # Example
///
/// ```
/// use revops::facts::{Role, Roles};
///
/// assert_eq!(Role::ALL.map(Role::as_str), ["first_touch", "lead_creation", "opportunity_creation", "closed_won"]);
/// assert_eq!(Role::ALL.map(Role::bit), [1, 2, 4, 8]);
/// let both = Roles::from_bits(Role::LeadCreation.bit() | Role::ClosedWon.bit());
/// assert_eq!(both.to_string(), "lead_creation+closed_won");
/// assert_eq!(Role::OpportunityCreation.to_string(), "opportunity_creation");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Role {
    /// The first interaction (in the lookback window, after exclusions).
    FirstTouch,
    /// The last interaction at or before the contact became a lead.
    LeadCreation,
    /// The last interaction at or before the opportunity (deal) was created.
    OpportunityCreation,
    /// The last interaction at or before the deal moved to closed won.
    ClosedWon,
}

impl Role {
    /// Every role, in funnel order.
    pub const ALL: [Role; 4] = [Role::FirstTouch, Role::LeadCreation, Role::OpportunityCreation, Role::ClosedWon];

    /// The role's bit in [`Roles`].
    #[must_use]
    pub const fn bit(self) -> u8 {
        match self {
            Role::FirstTouch => 1,
            Role::LeadCreation => 2,
            Role::OpportunityCreation => 4,
            Role::ClosedWon => 8,
        }
    }

    /// The snake-case name, e.g. `lead_creation`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::FirstTouch => "first_touch",
            Role::LeadCreation => "lead_creation",
            Role::OpportunityCreation => "opportunity_creation",
            Role::ClosedWon => "closed_won",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A small set of [`Role`]s (a bitset): one touch may hold several roles.
///
/// On the wire it is a list of role names in funnel order, e.g. `["first_touch","lead_creation"]`.
///
/// # Example
///
/// ```
/// use revops::facts::{Role, Roles};
///
/// let roles = Roles::EMPTY.with(Role::FirstTouch).with(Role::LeadCreation);
/// assert!(roles.contains(Role::LeadCreation));
/// assert!(!roles.contains(Role::ClosedWon));
/// assert_eq!(roles.to_string(), "first_touch+lead_creation");
/// assert_eq!(roles.iter().collect::<Vec<_>>(), [Role::FirstTouch, Role::LeadCreation]); // funnel order
/// assert_eq!(roles.bits(), 0b0011);
/// assert_eq!(roles.without(Role::FirstTouch), Roles::of(Role::LeadCreation));
/// assert!(Roles::EMPTY.is_empty() && Roles::from_bits(0xf0).is_empty()); // unknown bits are dropped
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(from = "Vec<Role>", into = "Vec<Role>")
)]
pub struct Roles(u8);

impl Roles {
    /// No role.
    pub const EMPTY: Roles = Roles(0);

    /// The set holding exactly `role`.
    #[must_use]
    pub const fn of(role: Role) -> Roles {
        Roles(role.bit())
    }

    /// The set from its bits (bits above the four roles are ignored).
    #[must_use]
    pub const fn from_bits(bits: u8) -> Roles {
        Roles(bits & 0x0f)
    }

    /// The bits (`Role::bit` of each member).
    #[must_use]
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// This set plus `role`.
    #[must_use]
    pub const fn with(self, role: Role) -> Roles {
        Roles(self.0 | role.bit())
    }

    /// This set without `role`.
    #[must_use]
    pub const fn without(self, role: Role) -> Roles {
        Roles(self.0 & !role.bit())
    }

    /// Whether `role` is in the set.
    #[must_use]
    pub const fn contains(self, role: Role) -> bool {
        self.0 & role.bit() != 0
    }

    /// Whether the set is empty.
    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The members, in funnel order.
    pub fn iter(self) -> impl Iterator<Item = Role> {
        Role::ALL.into_iter().filter(move |r| self.contains(*r))
    }
}

impl From<Vec<Role>> for Roles {
    fn from(roles: Vec<Role>) -> Roles {
        roles.into_iter().fold(Roles::EMPTY, Roles::with)
    }
}

impl From<Roles> for Vec<Role> {
    fn from(roles: Roles) -> Vec<Role> {
        roles.iter().collect()
    }
}

impl fmt::Display for Roles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("-");
        }
        for (i, role) in self.iter().enumerate() {
            if i > 0 {
                f.write_str("+")?;
            }
            f.write_str(role.as_str())?;
        }
        Ok(())
    }
}

/// One marketing or sales interaction (a fact: plain pub fields).
///
/// Each interaction counts separately: two email clicks are two touches ([definitions 1.1](crate::definitions::attribution#11-input)).
/// `roles` are the roles given explicitly; when the journey carries milestone times the engine
/// derives lead creation, opportunity creation and closed won from them instead (see
/// [`Journey`](super::Journey)).
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::{Role, Touchpoint};
/// use revops::{CampaignId, ChannelId, ContactId};
///
/// let at = Utc.with_ymd_and_hms(2024, 9, 12, 17, 0, 0).single().unwrap_or_default();
/// let webinar = Touchpoint::new(at, ChannelId::new("webinar")?)
///     .with_campaign(CampaignId::new("2024-q3-webinar-series")?)
///     .with_contact(ContactId::new("ann")?)
///     .with_role(Role::LeadCreation); // the form fill that created the lead
/// assert_eq!(webinar.channel.as_str(), "webinar");
/// assert_eq!(webinar.campaign.as_ref().map(CampaignId::as_str), Some("2024-q3-webinar-series"));
/// assert_eq!(webinar.contact.as_ref().map(ContactId::as_str), Some("ann"));
/// assert!(webinar.roles.contains(Role::LeadCreation));
/// assert!(Touchpoint::new(at, ChannelId::new("email")?).roles.is_empty());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct Touchpoint {
    /// When it happened (UTC).
    pub at: DateTime<Utc>,
    /// The channel, e.g. `paid_search`.
    pub channel: ChannelId,
    /// The campaign, if known.
    #[cfg_attr(feature = "serde", serde(default))]
    pub campaign: Option<CampaignId>,
    /// The contact touched (account-based journeys merge several contacts' touches).
    #[cfg_attr(feature = "serde", serde(default))]
    pub contact: Option<ContactId>,
    /// Roles given explicitly.
    #[cfg_attr(feature = "serde", serde(default))]
    pub roles: Roles,
}

impl Touchpoint {
    /// A touch on `channel` at `at`, with no campaign, contact or role.
    #[must_use]
    pub const fn new(at: DateTime<Utc>, channel: ChannelId) -> Touchpoint {
        Touchpoint { at, channel, campaign: None, contact: None, roles: Roles::EMPTY }
    }

    /// The same touch with `campaign`.
    #[must_use]
    pub fn with_campaign(mut self, campaign: CampaignId) -> Touchpoint {
        self.campaign = Some(campaign);
        self
    }

    /// The same touch with `contact`.
    #[must_use]
    pub fn with_contact(mut self, contact: ContactId) -> Touchpoint {
        self.contact = Some(contact);
        self
    }

    /// The same touch with `role` added.
    #[must_use]
    pub fn with_role(mut self, role: Role) -> Touchpoint {
        self.roles = self.roles.with(role);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_a_bitset() {
        let r = Roles::of(Role::ClosedWon).with(Role::FirstTouch);
        assert_eq!(r.iter().collect::<Vec<_>>(), [Role::FirstTouch, Role::ClosedWon]);
        assert_eq!(r.without(Role::ClosedWon), Roles::of(Role::FirstTouch));
        assert_eq!(Roles::from_bits(0xff).bits(), 0x0f);
        assert_eq!(Roles::EMPTY.to_string(), "-");
        assert_eq!(Roles::from(vec![Role::OpportunityCreation]).to_string(), "opportunity_creation");
    }

    #[cfg(feature = "serde")]
    #[test]
    fn roles_are_names_on_the_wire() {
        let r = Roles::of(Role::LeadCreation).with(Role::FirstTouch);
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(json, r#"["first_touch","lead_creation"]"#);
        assert_eq!(serde_json::from_str::<Roles>(&json).unwrap(), r);
    }
}
