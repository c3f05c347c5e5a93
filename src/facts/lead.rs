//! [`Lead`]: a person or company that showed interest, with its source, owner and creation.

use chrono::{DateTime, Utc};

use crate::{AccountId, ChannelId, ContactId, LeadId};

/// A lead (a fact): when it was created, where it came from, who owns it.
///
/// What happened to it since lives in other facts that name it: its [`StageChange`](super::StageChange)s,
/// [`Disposition`](super::Disposition)s, [`Response`](super::Response)s and the
/// [`Deal`](super::Deal)s created from it.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::Lead;
/// use revops::{AccountId, ChannelId, LeadId};
///
/// let created = Utc.with_ymd_and_hms(2024, 3, 1, 9, 0, 0).single().unwrap_or_default();
/// let lead = Lead::new(LeadId::new("L-1")?, created)
///     .from_source(ChannelId::new("webinar")?)
///     .owned_by("sdr-ann")
///     .at_account(AccountId::new("acme")?);
/// assert_eq!(lead.owner.as_deref(), Some("sdr-ann"));
/// assert_eq!(lead.source.as_ref().map(ChannelId::as_str), Some("webinar"));
/// assert_eq!(lead.account.as_ref().map(AccountId::as_str), Some("acme"));
/// assert_eq!(lead.contact, None); // not converted to a contact yet
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct Lead {
    /// The lead (named in every error about it).
    pub id: LeadId,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// The lead source: the channel of the lead-creation touch, if recorded.
    #[cfg_attr(feature = "serde", serde(default))]
    pub source: Option<ChannelId>,
    /// Its current owner (a user or a queue), if assigned.
    #[cfg_attr(feature = "serde", serde(default))]
    pub owner: Option<String>,
    /// The account it belongs to, if matched.
    #[cfg_attr(feature = "serde", serde(default))]
    pub account: Option<AccountId>,
    /// The contact it became or belongs to, if any.
    #[cfg_attr(feature = "serde", serde(default))]
    pub contact: Option<ContactId>,
}

impl Lead {
    /// A lead created at `created_at`, with no source, owner, account or contact.
    #[must_use]
    pub const fn new(id: LeadId, created_at: DateTime<Utc>) -> Lead {
        Lead { id, created_at, source: None, owner: None, account: None, contact: None }
    }

    /// The same lead with `source`.
    #[must_use]
    pub fn from_source(mut self, source: ChannelId) -> Lead {
        self.source = Some(source);
        self
    }

    /// The same lead owned by `owner`.
    #[must_use]
    pub fn owned_by(mut self, owner: impl Into<String>) -> Lead {
        self.owner = Some(owner.into());
        self
    }

    /// The same lead at `account`.
    #[must_use]
    pub fn at_account(mut self, account: AccountId) -> Lead {
        self.account = Some(account);
        self
    }
}
