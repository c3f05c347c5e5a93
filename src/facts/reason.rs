//! [`Reason`]: the one typed taxonomy of why a lead was rejected or a deal was lost.

use core::fmt;

/// Why sales rejected or recycled a lead, or why a deal was lost: one taxonomy for both, so
/// marketing reads the same keys in rejection feedback and in closed-lost analysis.
///
/// The keys are snake case (CRM picklist values). The first twelve are the lead-rejection
/// reasons of common SDR playbooks; `price`, `no_decision` and `missing_features` are the
/// closed-lost reasons Salesforce and HubSpot users record most; `bad_fit`, `bad_timing`,
/// `no_budget` and `competitor` serve both. [`Reason::Unspecified`] is a reason that was not
/// recorded (counted in its own bucket, never dropped); [`Reason::Other`] carries the rep's words.
///
/// # Example
///
/// ```
/// use revops::facts::Reason;
///
/// let reason: Reason = "no_decision".parse()?;
/// assert_eq!(reason, Reason::NoDecision);
/// assert_eq!(Reason::BadTiming.key(), "bad_timing");
/// assert_eq!(Reason::Other("wrong country".into()).to_string(), "other: wrong country");
/// assert!("cheaper elsewhere".parse::<Reason>().is_err());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Reason {
    /// Outside the ideal customer profile.
    BadFit,
    /// No need for the product.
    NoNeed,
    /// No budget.
    NoBudget,
    /// Not the person who decides.
    NoAuthority,
    /// Not now; maybe later.
    BadTiming,
    /// Could not be reached.
    Unreachable,
    /// Fake or broken contact data.
    BadData,
    /// A duplicate of an existing lead or contact.
    Duplicate,
    /// Already a customer, or already in an open opportunity.
    ExistingCustomer,
    /// Works for a competitor (a lead), or chose a competitor (a deal).
    Competitor,
    /// A student or a personal (non-business) inquiry.
    StudentOrPersonal,
    /// A partner or a vendor pitching us.
    PartnerOrVendor,
    /// Lost on price.
    Price,
    /// The buyer made no decision (stayed with the status quo).
    NoDecision,
    /// The product lacks something the buyer needs.
    MissingFeatures,
    /// No reason was recorded.
    Unspecified,
    /// Anything else, with the rep's words.
    Other(String),
}

impl Reason {
    /// Every key, in taxonomy order (`unspecified` and `other` last).
    pub const KEYS: [&'static str; 17] = [
        "bad_fit",
        "no_need",
        "no_budget",
        "no_authority",
        "bad_timing",
        "unreachable",
        "bad_data",
        "duplicate",
        "existing_customer",
        "competitor",
        "student_or_personal",
        "partner_or_vendor",
        "price",
        "no_decision",
        "missing_features",
        "unspecified",
        "other",
    ];

    /// The snake-case key; every [`Reason::Other`] shares `other`.
    #[must_use]
    pub const fn key(&self) -> &'static str {
        match self {
            Reason::BadFit => "bad_fit",
            Reason::NoNeed => "no_need",
            Reason::NoBudget => "no_budget",
            Reason::NoAuthority => "no_authority",
            Reason::BadTiming => "bad_timing",
            Reason::Unreachable => "unreachable",
            Reason::BadData => "bad_data",
            Reason::Duplicate => "duplicate",
            Reason::ExistingCustomer => "existing_customer",
            Reason::Competitor => "competitor",
            Reason::StudentOrPersonal => "student_or_personal",
            Reason::PartnerOrVendor => "partner_or_vendor",
            Reason::Price => "price",
            Reason::NoDecision => "no_decision",
            Reason::MissingFeatures => "missing_features",
            Reason::Unspecified => "unspecified",
            Reason::Other(_) => "other",
        }
    }

    /// The reason for a key (a CRM picklist value); `other` needs its text, so it and unknown
    /// keys give `None`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::Reason;
    ///
    /// // Mapping a CRM's closed-lost picklist: known keys become typed reasons, free text is kept.
    /// let picklist = ["price", "no_decision", "went with spreadsheets"];
    /// let reasons: Vec<Reason> =
    ///     picklist.iter().map(|v| Reason::from_key(v).unwrap_or_else(|| Reason::Other((*v).to_owned()))).collect();
    /// assert_eq!(reasons, [Reason::Price, Reason::NoDecision, Reason::Other("went with spreadsheets".into())]);
    /// assert_eq!(Reason::from_key("other"), None); // needs its text
    /// assert!(Reason::KEYS.iter().filter(|k| **k != "other").all(|k| Reason::from_key(k).is_some()));
    /// ```
    #[must_use]
    pub fn from_key(key: &str) -> Option<Reason> {
        Some(match key {
            "bad_fit" => Reason::BadFit,
            "no_need" => Reason::NoNeed,
            "no_budget" => Reason::NoBudget,
            "no_authority" => Reason::NoAuthority,
            "bad_timing" => Reason::BadTiming,
            "unreachable" => Reason::Unreachable,
            "bad_data" => Reason::BadData,
            "duplicate" => Reason::Duplicate,
            "existing_customer" => Reason::ExistingCustomer,
            "competitor" => Reason::Competitor,
            "student_or_personal" => Reason::StudentOrPersonal,
            "partner_or_vendor" => Reason::PartnerOrVendor,
            "price" => Reason::Price,
            "no_decision" => Reason::NoDecision,
            "missing_features" => Reason::MissingFeatures,
            "unspecified" => Reason::Unspecified,
            _ => return None,
        })
    }
}

impl fmt::Display for Reason {
    /// The key, or `other: <text>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Other(text) => write!(f, "other: {text}"),
            r => f.write_str(r.key()),
        }
    }
}

impl core::str::FromStr for Reason {
    type Err = crate::Error;
    /// Parses a key; `other` (which needs its text) and unknown keys are
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue).
    fn from_str(key: &str) -> Result<Reason, crate::Error> {
        Reason::from_key(key)
            .ok_or_else(|| crate::ErrorKind::InvalidValue {
                field: "reason",
                value: key.to_owned(),
                reason: "not a reason key (use Reason::Other for free text)",
            })
            .map_err(crate::Error::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_round_trips() {
        for key in Reason::KEYS {
            let reason = Reason::from_key(key).unwrap_or_else(|| Reason::Other("x".into()));
            assert_eq!(reason.key(), key);
        }
        assert_eq!(Reason::from_key("other"), None);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn wire_format_is_the_key() {
        assert_eq!(serde_json::to_string(&Reason::NoDecision).unwrap(), r#""no_decision""#);
        assert_eq!(serde_json::to_string(&Reason::Other("x".into())).unwrap(), r#"{"other":"x"}"#);
        assert_eq!(serde_json::from_str::<Reason>(r#""price""#).unwrap(), Reason::Price);
    }
}
