//! Handoffs between owners at a stage boundary: the context that travels with the lead, and
//! the funnel's required fields.

use std::collections::BTreeSet;
use std::fmt;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::definition::Funnel;
use crate::facts::{Contact, Touchpoint};
use crate::{AccountId, ChannelId, Error, ErrorKind, LeadId, StageId};

/// A field of a [`Handoff`] a funnel can require.
///
/// # Example
///
/// ```
/// use revops::funnel::{Handoff, HandoffField};
/// use revops::{LeadId, StageId};
///
/// let mut handoff = Handoff::new(StageId::new("mql")?, StageId::new("sal")?);
/// handoff.lead = Some(LeadId::new("L-1")?);
/// handoff.owner = Some("  ".into()); // blank text does not count
/// let present: Vec<&str> = HandoffField::ALL.into_iter().filter(|f| handoff.has(*f)).map(HandoffField::as_str).collect();
/// assert_eq!(present, ["lead_id"]);
/// assert_eq!(HandoffField::SlaDeadline.to_string(), "sla_deadline");
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum HandoffField {
    /// [`Handoff::lead`].
    LeadId,
    /// [`Handoff::account`].
    AccountId,
    /// [`Handoff::owner`].
    Owner,
    /// [`Handoff::routed_at`].
    RoutedAt,
    /// [`Handoff::mql_at`].
    MqlAt,
    /// [`Handoff::mql_reason`].
    MqlReason,
    /// [`Handoff::fit_score`].
    FitScore,
    /// [`Handoff::engagement_score`].
    EngagementScore,
    /// [`Handoff::lead_source`].
    LeadSource,
    /// [`Handoff::first_touch`].
    FirstTouch,
    /// [`Handoff::last_touch`].
    LastTouch,
    /// [`Handoff::recent_content`] (non-empty).
    RecentContent,
    /// [`Handoff::intent_signals`] (non-empty).
    IntentSignals,
    /// [`Handoff::buying_group`] (non-empty).
    BuyingGroup,
    /// [`Handoff::product_interest`] (non-empty).
    ProductInterest,
    /// [`Handoff::next_action`].
    NextAction,
    /// [`Handoff::sla_deadline`].
    SlaDeadline,
}

impl HandoffField {
    /// Every field, in declaration order.
    pub const ALL: [HandoffField; 17] = [
        HandoffField::LeadId,
        HandoffField::AccountId,
        HandoffField::Owner,
        HandoffField::RoutedAt,
        HandoffField::MqlAt,
        HandoffField::MqlReason,
        HandoffField::FitScore,
        HandoffField::EngagementScore,
        HandoffField::LeadSource,
        HandoffField::FirstTouch,
        HandoffField::LastTouch,
        HandoffField::RecentContent,
        HandoffField::IntentSignals,
        HandoffField::BuyingGroup,
        HandoffField::ProductInterest,
        HandoffField::NextAction,
        HandoffField::SlaDeadline,
    ];

    /// The fields an MQL-to-SAL handoff carries in the demand waterfall
    /// ([`Funnel::demand_waterfall`](crate::funnel::Funnel::demand_waterfall)) and the sample
    /// agreement: who the lead is, why and when it qualified, its scores and source, and the SLA
    /// deadline sales works to.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::HandoffField;
    ///
    /// assert!(HandoffField::MQL_TO_SAL.contains(&HandoffField::SlaDeadline));
    /// assert!(!HandoffField::MQL_TO_SAL.contains(&HandoffField::NextAction));
    /// ```
    pub const MQL_TO_SAL: [HandoffField; 8] = [
        HandoffField::LeadId,
        HandoffField::AccountId,
        HandoffField::MqlAt,
        HandoffField::MqlReason,
        HandoffField::FitScore,
        HandoffField::EngagementScore,
        HandoffField::LeadSource,
        HandoffField::SlaDeadline,
    ];

    /// The snake-case key, e.g. `mql_at`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            HandoffField::LeadId => "lead_id",
            HandoffField::AccountId => "account_id",
            HandoffField::Owner => "owner",
            HandoffField::RoutedAt => "routed_at",
            HandoffField::MqlAt => "mql_at",
            HandoffField::MqlReason => "mql_reason",
            HandoffField::FitScore => "fit_score",
            HandoffField::EngagementScore => "engagement_score",
            HandoffField::LeadSource => "lead_source",
            HandoffField::FirstTouch => "first_touch",
            HandoffField::LastTouch => "last_touch",
            HandoffField::RecentContent => "recent_content",
            HandoffField::IntentSignals => "intent_signals",
            HandoffField::BuyingGroup => "buying_group",
            HandoffField::ProductInterest => "product_interest",
            HandoffField::NextAction => "next_action",
            HandoffField::SlaDeadline => "sla_deadline",
        }
    }
}

impl fmt::Display for HandoffField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The fields a funnel requires on handoffs from one stage to another.
///
/// # Example
///
/// ```
/// use revops::funnel::{Funnel, HandoffField};
/// use revops::StageId;
///
/// let funnel = Funnel::demand_waterfall();
/// let requirement = funnel.handoff_requirements().first();
/// assert_eq!(requirement.map(|r| (r.from.as_str(), r.to.as_str())), Some(("mql", "sal")));
/// assert!(requirement.is_some_and(|r| r.required.contains(&HandoffField::FitScore)));
/// # Ok::<(), revops::Error>(())
/// ```
#[cfg_attr(feature = "serde", doc = include_str!("wire_format/handoff_requirement.md"))]
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HandoffRequirement {
    /// Stage handed off from.
    pub from: StageId,
    /// Stage handed off to.
    pub to: StageId,
    /// Required fields.
    pub required: BTreeSet<HandoffField>,
}

/// What travels with a lead when one owner hands it to another (the funnel says which fields
/// are required, see [`Funnel::validate_handoff`]). The facts it carries are the crate's fact
/// types: the first and last touch are [`Touchpoint`]s, the buying group [`Contact`]s with
/// their typed [`BuyingRole`](crate::facts::BuyingRole)s.
///
/// # Example
///
/// ```
/// use revops::funnel::{Funnel, Handoff, HandoffField};
/// use revops::{ErrorKind, LeadId, StageId};
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let funnel = Funnel::demand_waterfall();
/// let mut handoff = Handoff::new(StageId::new("mql")?, StageId::new("sal")?);
/// handoff.lead = Some(LeadId::new("L-17")?);
/// handoff.mql_at = Some(at("2024-03-01T09:00:00Z")?);
/// // The waterfall requires more context; every missing field is listed at once.
/// let missing = match funnel.validate_handoff(&handoff).as_ref().map_err(revops::Error::kind) {
///     Err(ErrorKind::IncompleteHandoff { missing, .. }) => missing.clone(),
///     _ => Vec::new(),
/// };
/// assert_eq!(missing, ["account_id", "mql_reason", "fit_score", "engagement_score", "lead_source", "sla_deadline"]);
/// assert!(missing.contains(&HandoffField::AccountId.as_str()) && missing.contains(&HandoffField::SlaDeadline.as_str()));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct Handoff {
    /// Stage handed off from.
    pub from: StageId,
    /// Stage handed off to.
    pub to: StageId,
    /// The lead.
    #[cfg_attr(feature = "serde", serde(default))]
    pub lead: Option<LeadId>,
    /// The account.
    #[cfg_attr(feature = "serde", serde(default))]
    pub account: Option<AccountId>,
    /// The receiving owner (user or queue).
    #[cfg_attr(feature = "serde", serde(default))]
    pub owner: Option<String>,
    /// When it was routed to that owner.
    #[cfg_attr(feature = "serde", serde(default))]
    pub routed_at: Option<DateTime<Utc>>,
    /// When the lead became an MQL.
    #[cfg_attr(feature = "serde", serde(default))]
    pub mql_at: Option<DateTime<Utc>>,
    /// Why (which rule fired).
    #[cfg_attr(feature = "serde", serde(default))]
    pub mql_reason: Option<String>,
    /// Fit score at handoff.
    #[cfg_attr(feature = "serde", serde(default, with = "crate::money::exact::str_option"))]
    pub fit_score: Option<Decimal>,
    /// Engagement score at handoff.
    #[cfg_attr(feature = "serde", serde(default, with = "crate::money::exact::str_option"))]
    pub engagement_score: Option<Decimal>,
    /// Lead source (channel of the lead-creation touch).
    #[cfg_attr(feature = "serde", serde(default))]
    pub lead_source: Option<ChannelId>,
    /// First touch.
    #[cfg_attr(feature = "serde", serde(default))]
    pub first_touch: Option<Touchpoint>,
    /// Last touch before the handoff.
    #[cfg_attr(feature = "serde", serde(default))]
    pub last_touch: Option<Touchpoint>,
    /// Recently consumed content (campaigns, assets), most recent first.
    #[cfg_attr(feature = "serde", serde(default))]
    pub recent_content: Vec<String>,
    /// Intent signals (topics, surging keywords).
    #[cfg_attr(feature = "serde", serde(default))]
    pub intent_signals: Vec<String>,
    /// Known buying-group members, with their roles.
    #[cfg_attr(feature = "serde", serde(default))]
    pub buying_group: Vec<Contact>,
    /// Products of interest.
    #[cfg_attr(feature = "serde", serde(default))]
    pub product_interest: Vec<String>,
    /// Recommended next action.
    #[cfg_attr(feature = "serde", serde(default))]
    pub next_action: Option<String>,
    /// The response deadline (computed by the caller's SLA policy).
    #[cfg_attr(feature = "serde", serde(default))]
    pub sla_deadline: Option<DateTime<Utc>>,
}

impl Handoff {
    /// An empty handoff from `from` to `to`.
    #[must_use]
    pub const fn new(from: StageId, to: StageId) -> Handoff {
        Handoff {
            from,
            to,
            lead: None,
            account: None,
            owner: None,
            routed_at: None,
            mql_at: None,
            mql_reason: None,
            fit_score: None,
            engagement_score: None,
            lead_source: None,
            first_touch: None,
            last_touch: None,
            recent_content: Vec::new(),
            intent_signals: Vec::new(),
            buying_group: Vec::new(),
            product_interest: Vec::new(),
            next_action: None,
            sla_deadline: None,
        }
    }

    /// Whether `field` holds a value (a list counts when non-empty, a text when not blank).
    #[must_use]
    pub fn has(&self, field: HandoffField) -> bool {
        let text = |s: &Option<String>| s.as_ref().is_some_and(|s| !s.trim().is_empty());
        match field {
            HandoffField::LeadId => self.lead.is_some(),
            HandoffField::AccountId => self.account.is_some(),
            HandoffField::Owner => text(&self.owner),
            HandoffField::RoutedAt => self.routed_at.is_some(),
            HandoffField::MqlAt => self.mql_at.is_some(),
            HandoffField::MqlReason => text(&self.mql_reason),
            HandoffField::FitScore => self.fit_score.is_some(),
            HandoffField::EngagementScore => self.engagement_score.is_some(),
            HandoffField::LeadSource => self.lead_source.is_some(),
            HandoffField::FirstTouch => self.first_touch.is_some(),
            HandoffField::LastTouch => self.last_touch.is_some(),
            HandoffField::RecentContent => !self.recent_content.is_empty(),
            HandoffField::IntentSignals => !self.intent_signals.is_empty(),
            HandoffField::BuyingGroup => !self.buying_group.is_empty(),
            HandoffField::ProductInterest => !self.product_interest.is_empty(),
            HandoffField::NextAction => text(&self.next_action),
            HandoffField::SlaDeadline => self.sla_deadline.is_some(),
        }
    }
}

impl Funnel {
    /// Checks `handoff` against the fields this funnel requires from its `from` stage to its
    /// `to` stage (none required when the funnel names no requirement for the pair).
    ///
    /// # Errors
    /// [`ErrorKind::UnknownStage`] if either stage is not in the funnel;
    /// [`ErrorKind::IncompleteHandoff`] listing every missing field at once, in field order.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::{Funnel, Handoff};
    /// use revops::{AccountId, ChannelId, ErrorKind, LeadId, StageId};
    /// use rust_decimal_macros::dec;
    /// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
    ///
    /// let funnel = Funnel::demand_waterfall();
    /// let mut handoff = Handoff::new(StageId::new("mql")?, StageId::new("sal")?);
    /// handoff.lead = Some(LeadId::new("L-17")?);
    /// handoff.account = Some(AccountId::new("acme")?);
    /// handoff.mql_at = Some(at("2024-03-01T09:00:00Z")?);
    /// handoff.mql_reason = Some("demo request, fit A".into());
    /// (handoff.fit_score, handoff.engagement_score) = (Some(dec!(72)), Some(dec!(45)));
    /// handoff.lead_source = Some(ChannelId::new("webinar")?);
    /// handoff.sla_deadline = Some(at("2024-03-01T13:00:00Z")?);
    /// funnel.validate_handoff(&handoff)?; // complete
    ///
    /// // No requirement between SAL and SQL: an empty handoff passes; an unknown stage does not.
    /// funnel.validate_handoff(&Handoff::new(StageId::new("sal")?, StageId::new("sql")?))?;
    /// let unknown = funnel.validate_handoff(&Handoff::new(StageId::new("sal")?, StageId::new("demo")?));
    /// assert!(matches!(unknown.as_ref().map_err(revops::Error::kind), Err(ErrorKind::UnknownStage { .. })));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn validate_handoff(&self, handoff: &Handoff) -> Result<(), Error> {
        for id in [&handoff.from, &handoff.to] {
            if self.stage(id).is_none() {
                return Err(ErrorKind::UnknownStage { stage: id.clone() }.into());
            }
        }
        let Some(required) = self.required_handoff_fields(&handoff.from, &handoff.to) else {
            return Ok(());
        };
        let missing: Vec<HandoffField> = required.iter().copied().filter(|f| !handoff.has(*f)).collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(ErrorKind::IncompleteHandoff {
                from: handoff.from.clone(),
                to: handoff.to.clone(),
                missing: missing.iter().map(|f| f.as_str()).collect(),
            }
            .into())
        }
    }
}
