//! [`Fingerprint`]: which agreement a result was computed under.

use core::fmt;
use core::str::FromStr;

use serde::Serialize;

use super::{canonical, sha256};
use crate::{Error, ErrorKind};

/// The SHA-256 of an agreement's canonical form (JSON, keys sorted, no whitespace; see
/// [`Agreement::canonical_json`](super::Agreement::canonical_json)). Two services that stamp
/// the same fingerprint on their results computed under the same definitions, to the byte.
///
/// # Wire format
///
/// `"sha256:"` followed by 64 lowercase hex digits; parsing refuses anything else.
///
/// # Example
///
/// ```
/// use revops::agreement::{Agreement, AgreementParts, Fingerprint};
/// use revops::funnel::Funnel;
///
/// let parts = AgreementParts::new("Acme", "1", "2025-01-01".parse()?, revops::calendar::Zone::UTC, Funnel::demand_waterfall());
/// let fingerprint = Agreement::new(parts)?.fingerprint().clone();
/// let text = fingerprint.to_string();
/// assert!(text.starts_with("sha256:") && text.len() == 71);
/// assert_eq!(text.parse::<Fingerprint>()?, fingerprint);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint([u8; 32]);

impl Fingerprint {
    /// The fingerprint of `value`'s canonical form, and that form.
    pub(super) fn of<T: Serialize>(value: &T) -> Result<(Fingerprint, String), Error> {
        let text = canonical::text(&canonical::value(value)?);
        Ok((Fingerprint(sha256::digest(text.as_bytes())), text))
    }

    /// The 32 bytes of the digest.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("sha256:")?;
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

impl FromStr for Fingerprint {
    type Err = Error;

    /// Parses `"sha256:<64 lowercase hex digits>"`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`] for any other text.
    fn from_str(text: &str) -> Result<Fingerprint, Error> {
        let invalid = || -> Error {
            ErrorKind::InvalidValue {
                field: "fingerprint",
                value: text.to_owned(),
                reason: "must be \"sha256:\" and 64 lowercase hex digits",
            }
            .into()
        };
        let hex = text.strip_prefix("sha256:").filter(|h| h.len() == 64).ok_or_else(invalid)?;
        let mut bytes = [0u8; 32];
        for (byte, pair) in bytes.iter_mut().zip(hex.as_bytes().chunks_exact(2)) {
            let digit = |c: u8| match c {
                b'0'..=b'9' => Some(c - b'0'),
                b'a'..=b'f' => Some(c - b'a' + 10),
                _ => None,
            };
            let (Some(&hi), Some(&lo)) = (pair.first(), pair.get(1)) else { return Err(invalid()) };
            *byte = (digit(hi).ok_or_else(invalid)? << 4) | digit(lo).ok_or_else(invalid)?;
        }
        Ok(Fingerprint(bytes))
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Fingerprint {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Fingerprint, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}
