//! Validated identifier newtypes.
//!
//! Two families, stamped out by one private macro:
//!
//! - **Keys** name things in a definition that teams write by hand in config files (a stage, a
//!   segment): 1 to 64 bytes of `a-z`, `0-9` and `_`, so a typo like `MQL ` is caught.
//! - **External ids** come from a CRM, a warehouse or an ad platform (an account, a contact, a
//!   channel, a campaign): 1 to 128 bytes, no control characters, no leading or trailing
//!   whitespace. They are compared byte for byte.
//!
//! Every id has `new` (validating), `as_str`, `Display`, `FromStr`, `TryFrom<String>`,
//! `From<Id> for String`, `AsRef<str>`, and `Ord` + `Hash` so it works as a `BTreeMap` key.
//! With the `serde` feature an id is a plain JSON string, validated on the way in.
//!
//! An id holds its text in a shared, immutable `Arc<str>`: cloning one (as every tally that
//! keys by id does, once per fact) is a reference-count increment instead of an allocation
//! and a copy, and comparing two clones of one id is a pointer comparison. Ids are compared,
//! hashed and ordered by their text, so two ids built separately from the same text are equal.

use core::fmt;
use core::str::FromStr;
use std::sync::Arc;

use crate::{Error, ErrorKind};

/// Longest accepted key, in bytes.
const KEY_MAX_LEN: usize = 64;
/// Longest accepted external id, in bytes.
const EXTERNAL_MAX_LEN: usize = 128;

/// Validates a key: 1 to 64 bytes of `a-z`, `0-9`, `_`.
fn check_key(id: &str) -> Result<(), &'static str> {
    if id.is_empty() {
        Err("must not be empty")
    } else if id.len() > KEY_MAX_LEN {
        Err("must be at most 64 bytes")
    } else if !id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
        Err("only a-z, 0-9 and _ are allowed")
    } else {
        Ok(())
    }
}

/// Validates an external id: 1 to 128 bytes, no control characters, trimmed.
fn check_external(id: &str) -> Result<(), &'static str> {
    if id.is_empty() {
        Err("must not be empty")
    } else if id.len() > EXTERNAL_MAX_LEN {
        Err("must be at most 128 bytes")
    } else if id.chars().any(char::is_control) {
        Err("must not contain control characters")
    } else if id.trim() != id {
        Err("must not start or end with whitespace")
    } else {
        Ok(())
    }
}

macro_rules! define_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal, $check:ident, $example:literal, $bad:literal, $reason:literal) => {
        $(#[$doc])*
        ///
        /// # Example
        ///
        /// ```
        #[doc = concat!("use revops::", stringify!($name), ";")]
        /// use std::collections::BTreeMap;
        ///
        #[doc = concat!("let id: ", stringify!($name), " = \"", $example, "\".parse()?;")]
        #[doc = concat!("assert_eq!(id.as_str(), \"", $example, "\");")]
        #[doc = concat!("assert_eq!(format!(\"{id:?}\"), r#\"", stringify!($name), "(\"", $example, "\")\"#);")]
        #[doc = concat!("assert_eq!(", stringify!($name), "::try_from(String::from(id.clone()))?, id);")]
        ///
        /// // Ids are ordered map keys.
        /// let mut count = BTreeMap::new();
        /// *count.entry(id).or_insert(0) += 1;
        /// assert_eq!(count.len(), 1);
        /// # Ok::<(), revops::Error>(())
        /// ```
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(
            feature = "serde",
            derive(serde::Serialize, serde::Deserialize),
            serde(try_from = "String", into = "String")
        )]
        pub struct $name(Arc<str>);

        impl $name {
            #[doc = concat!("Validates and wraps `id`, e.g. `", $example, "`.")]
            ///
            /// # Errors
            /// [`ErrorKind::InvalidId`] naming the reason when `id` breaks the rules of the
            /// module documentation.
            ///
            /// # Example
            ///
            /// ```
            #[doc = concat!("use revops::{ErrorKind, ", stringify!($name), "};")]
            ///
            #[doc = concat!("let id = ", stringify!($name), "::new(\"", $example, "\")?;")]
            #[doc = concat!("assert_eq!(id.as_str(), \"", $example, "\");")]
            ///
            #[doc = concat!("let err = ", stringify!($name), "::new(\"", $bad, "\").unwrap_err();")]
            #[doc = concat!(
                "assert!(matches!(err.kind(), ErrorKind::InvalidId { kind: \"", $kind, "\", ",
                "reason: \"", $reason, "\", .. }));"
            )]
            /// # Ok::<(), revops::Error>(())
            /// ```
            pub fn new(id: impl Into<String>) -> Result<Self, Error> {
                let id = id.into();
                match $check(&id) {
                    Ok(()) => Ok(Self(Arc::from(id))),
                    Err(reason) => Err(ErrorKind::InvalidId { kind: $kind, value: id, reason }.into()),
                }
            }

            /// Wraps an id built by the crate from a pattern known to validate (testkit).
            #[allow(dead_code)]
            pub(crate) fn trusted(id: String) -> Self {
                debug_assert!($check(&id).is_ok(), "{id:?}");
                Self(Arc::from(id))
            }

            /// The identifier as a string slice.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_tuple(stringify!($name)).field(&self.0).finish()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self, Error> {
                Self::new(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = Error;
            fn try_from(s: String) -> Result<Self, Error> {
                Self::new(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = Error;
            fn try_from(s: &str) -> Result<Self, Error> {
                Self::new(s)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                String::from(&*id.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                crate::wire::schema::id(stringify!($check) == "check_key", $kind, $example)
            }
        }
    };
}

define_id!(
    /// Identifier of an account (a company), as the CRM spells it.
    AccountId, "account", check_external, "0015g00000XyZaAAA",
    "0015g00000XyZaAAA ", "must not start or end with whitespace"
);
define_id!(
    /// Identifier of a contact (a person at an account).
    ContactId, "contact", check_external, "c-1042", "", "must not be empty"
);
define_id!(
    /// Identifier of a lead (a person not yet, or not necessarily, tied to an account).
    LeadId, "lead", check_external, "lead-77", " lead-77", "must not start or end with whitespace"
);
define_id!(
    /// Identifier of an opportunity (a deal).
    OpportunityId, "opportunity", check_external, "opp-2024-118",
    "opp-2024-118\\n", "must not contain control characters"
);
define_id!(
    /// A marketing or sales channel, e.g. `paid_search` or `Organic Social`.
    ChannelId, "channel", check_external, "paid_search", "paid_search\\t", "must not contain control characters"
);
define_id!(
    /// A campaign within a channel.
    CampaignId, "campaign", check_external, "2024-q3-webinar-series", "", "must not be empty"
);
define_id!(
    /// Identifier of a conversion journey (usually the deal or contact it converts).
    JourneyId, "journey", check_external, "j-0001", "j-0001 ", "must not start or end with whitespace"
);
define_id!(
    /// A funnel stage, e.g. `mql` or `sales_accepted`.
    StageId, "stage", check_key, "mql", "MQL ", "only a-z, 0-9 and _ are allowed"
);
define_id!(
    /// A key naming a segment, a team or another group in a definition.
    SegmentId, "segment", check_key, "mid_market", "Mid Market", "only a-z, 0-9 and _ are allowed"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_strict() {
        assert!(SegmentId::new("mid_market").is_ok());
        let err = SegmentId::new("Mid Market").unwrap_err();
        assert_eq!(err.to_string(), "invalid segment id \"Mid Market\": only a-z, 0-9 and _ are allowed");
        assert!(SegmentId::new("").is_err());
        assert!(SegmentId::new("a".repeat(65)).is_err());
        assert!(SegmentId::new("a".repeat(64)).is_ok());
    }

    #[test]
    fn external_ids_are_permissive_but_trimmed() {
        assert!(ChannelId::new("Organic Social").is_ok());
        assert_eq!(
            ChannelId::new(" email").unwrap_err().to_string(),
            "invalid channel id \" email\": must not start or end with whitespace"
        );
        assert_eq!(
            AccountId::new("a\tb").unwrap_err().to_string(),
            "invalid account id \"a\\tb\": must not contain control characters"
        );
        assert!(AccountId::new("x".repeat(129)).is_err());
        assert_eq!(
            LeadId::new("").unwrap_err(),
            ErrorKind::InvalidId { kind: "lead", value: String::new(), reason: "must not be empty" }
        );
    }

    #[test]
    fn display_and_from_str_round_trip() {
        let id: CampaignId = "2024 Q3 / webinar".parse().unwrap();
        assert_eq!(id.to_string().parse::<CampaignId>().unwrap(), id);
        assert_eq!(String::from(id.clone()), "2024 Q3 / webinar");
        assert_eq!(format!("{id:?}"), "CampaignId(\"2024 Q3 / webinar\")");
    }
}
