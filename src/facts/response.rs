//! [`Response`]: a sales touch on a lead.

use chrono::{DateTime, Utc};

use crate::LeadId;

/// How sales reached out.
///
/// # Example
///
/// ```
/// use revops::facts::ResponseKind;
///
/// assert_eq!(ResponseKind::Meeting.as_str(), "meeting");
/// assert!(ResponseKind::Call < ResponseKind::Email); // ordered, usable as a map key
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ResponseKind {
    /// A phone call (connected or not).
    Call,
    /// An email written to the lead.
    Email,
    /// A meeting held or booked.
    Meeting,
    /// A chat, SMS or social message.
    Message,
    /// Anything else the team counts as a touch.
    Other,
}

impl ResponseKind {
    /// Every kind, in order.
    pub const ALL: [ResponseKind; 5] =
        [ResponseKind::Call, ResponseKind::Email, ResponseKind::Meeting, ResponseKind::Message, ResponseKind::Other];

    /// The snake-case key, e.g. `"call"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            ResponseKind::Call => "call",
            ResponseKind::Email => "email",
            ResponseKind::Meeting => "meeting",
            ResponseKind::Message => "message",
            ResponseKind::Other => "other",
        }
    }
}

/// A sales touch on a lead (a fact): what speed to lead and response SLAs stop their clocks at.
///
/// Record every touch; the evaluation picks the first one at or after its clock start.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::{Response, ResponseKind};
/// use revops::LeadId;
///
/// let at = Utc.with_ymd_and_hms(2024, 3, 4, 10, 5, 0).single().unwrap_or_default();
/// let mut call = Response::new(LeadId::new("L-1")?, at, ResponseKind::Call);
/// assert_eq!((call.lead.as_str(), call.kind.as_str()), ("L-1", "call"));
/// assert_eq!(call.by, None);
/// call.by = Some("sdr-ann".to_owned()); // who called, when the CRM records it
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct Response {
    /// The lead touched.
    pub lead: LeadId,
    /// When.
    pub at: DateTime<Utc>,
    /// How.
    pub kind: ResponseKind,
    /// Who (a user id), if recorded.
    #[cfg_attr(feature = "serde", serde(default))]
    pub by: Option<String>,
}

impl Response {
    /// A touch of `kind` on `lead` at `at`, by nobody recorded.
    #[must_use]
    pub const fn new(lead: LeadId, at: DateTime<Utc>, kind: ResponseKind) -> Response {
        Response { lead, at, kind, by: None }
    }
}
