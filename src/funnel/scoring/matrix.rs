//! [`ScoreMatrix`]: fit bands by engagement bands, and a lead's [`MatrixTier`] (A1..C3).

use std::collections::BTreeSet;
use std::fmt;

use rust_decimal::Decimal;

use super::{LeadScore, Points};
use crate::{Error, ErrorKind};

/// One band of a [`ScoreMatrix`] axis: a label and the lowest score it takes.
///
/// # Example
///
/// ```
/// use revops::funnel::{Band, Points, ScoreMatrix};
/// use rust_decimal_macros::dec;
///
/// let a = Band::new("A", Points::from(70));
/// assert_eq!((a.label.as_str(), a.min), ("A", Points::from(70)));
/// let matrix = ScoreMatrix::new(vec![a, Band::new("B", Points::from(0))], vec![Band::new("1", Points::from(0))])?;
/// assert_eq!(matrix.fit_band(dec!(70)), Some("A")); // the minimum is inclusive
/// assert_eq!(matrix.fit_band(dec!(69.99)), Some("B"));
/// # Ok::<(), revops::Error>(())
/// ```
///
/// # Wire format
///
/// `{ "label": "A", "min": "70 points" }`, the minimum in [`Points`] with its scale.
///
/// ```
/// use revops::funnel::{Band, Points};
///
/// let band: Band = serde_json::from_str(r#"{ "label": "A", "min": "70 points" }"#)?;
/// assert_eq!(band, Band::new("A", Points::from(70)));
/// assert!(serde_json::from_str::<Band>(r#"{ "label": "A", "min": "70" }"#).is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct Band {
    /// Label, e.g. `A` or `1`.
    pub label: String,
    /// Lowest score in the band (inclusive), in points.
    pub min: Points,
}

impl Band {
    /// A band.
    #[must_use]
    pub fn new(label: impl Into<String>, min: Points) -> Band {
        Band { label: label.into(), min }
    }
}

/// A lead-scoring matrix: fit bands (A, B, C) by engagement bands (1, 2, 3); a lead's tier is
/// the first band of each axis whose minimum it meets, e.g. `A1` (best fit, most engaged).
///
/// # Example
///
/// ```
/// use revops::funnel::{Band, LeadScore, Points, ScoreMatrix};
/// use rust_decimal_macros::dec;
///
/// let matrix = ScoreMatrix::new(
///     vec![Band::new("A", Points::from(70)), Band::new("B", Points::from(40)), Band::new("C", Points::from(0))],
///     vec![Band::new("1", Points::from(60)), Band::new("2", Points::from(25)), Band::new("3", Points::from(0))],
/// )?;
/// let tier = matrix.tier(LeadScore::new(dec!(75), dec!(30))).map(|t| t.to_string());
/// assert_eq!(tier.as_deref(), Some("A2"));
/// assert_eq!(matrix.engagement_band(dec!(60)), Some("1"));
/// // Below every fit band: no tier (scores can be negative after penalties).
/// assert_eq!(matrix.fit_band(dec!(-5)), None);
/// assert_eq!(matrix.tier(LeadScore::new(dec!(-5), dec!(80))), None);
/// # Ok::<(), revops::Error>(())
/// ```
///
/// # Wire format
///
/// `{ "fit": [bands], "engagement": [bands] }`, each axis best first, a band
/// `{ "label": "A", "min": "70 points" }` with its minimum in [`Points`] (the scale is
/// required: `"min": 70` is refused). Deserializing validates like [`ScoreMatrix::new`].
///
/// ```
/// use revops::funnel::{Band, Points, ScoreMatrix};
///
/// let json = r#"{
///     "fit": [{ "label": "A", "min": "60 points" }, { "label": "B", "min": "0 points" }],
///     "engagement": [{ "label": "1", "min": { "points": 40 } }, { "label": "2", "min": "0 points" }]
/// }"#;
/// let band = |label: &str, min| Band::new(label, Points::from(min));
/// let matrix = ScoreMatrix::new(vec![band("A", 60), band("B", 0)], vec![band("1", 40), band("2", 0)])?;
/// assert_eq!(serde_json::from_str::<ScoreMatrix>(json)?, matrix);
/// assert!(serde_json::from_str::<ScoreMatrix>(&json.replace(r#""60 points""#, "60")).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "MatrixRepr", into = "MatrixRepr")
)]
pub struct ScoreMatrix {
    fit: Vec<Band>,
    engagement: Vec<Band>,
}

/// A matrix tier: the fit band and the engagement band (`Display`: `A1`).
///
/// # Example
///
/// ```
/// use revops::funnel::{Band, LeadScore, Points, ScoreMatrix};
/// use rust_decimal_macros::dec;
///
/// let matrix = ScoreMatrix::new(
///     vec![Band::new("A", Points::from(50)), Band::new("B", Points::from(0))],
///     vec![Band::new("1", Points::from(40)), Band::new("2", Points::from(0))],
/// )?;
/// let tier = matrix.tier(LeadScore::new(dec!(20), dec!(45)));
/// assert_eq!(tier.map(|t| (t.fit, t.engagement)), Some(("B", "1")));
/// assert_eq!(tier.map(|t| t.to_string()).as_deref(), Some("B1"));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct MatrixTier<'m> {
    /// Fit band label.
    pub fit: &'m str,
    /// Engagement band label.
    pub engagement: &'m str,
}

impl fmt::Display for MatrixTier<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.fit, self.engagement)
    }
}

impl ScoreMatrix {
    /// A matrix from its bands, each axis listed best first.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] for an empty axis; [`ErrorKind::ThresholdsOutOfOrder`] unless the
    /// minimums strictly decrease along each axis; [`ErrorKind::DuplicateKey`] for a repeated label.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::{Band, Points, ScoreMatrix};
    /// use revops::ErrorKind;
    ///
    /// let engagement = || vec![Band::new("1", Points::from(50)), Band::new("2", Points::from(0))];
    /// assert!(ScoreMatrix::new(vec![Band::new("A", Points::from(0))], engagement()).is_ok());
    /// // Listed worst first: refused.
    /// let order = ScoreMatrix::new(vec![Band::new("B", Points::from(0)), Band::new("A", Points::from(70))], engagement());
    /// assert!(matches!(order.as_ref().map_err(revops::Error::kind), Err(ErrorKind::ThresholdsOutOfOrder { .. })));
    /// assert!(ScoreMatrix::new(vec![Band::new("A", Points::from(70)), Band::new("A", Points::from(0))], engagement()).is_err());
    /// assert!(ScoreMatrix::new(vec![], engagement()).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new(fit: Vec<Band>, engagement: Vec<Band>) -> Result<ScoreMatrix, Error> {
        for (field, bands) in [("fit band", &fit), ("engagement band", &engagement)] {
            if bands.is_empty() {
                return Err(ErrorKind::InvalidValue {
                    field,
                    value: "[]".to_owned(),
                    reason: "needs at least one band",
                }
                .into());
            }
            let mut labels = BTreeSet::new();
            for b in bands {
                if !labels.insert(b.label.as_str()) {
                    return Err(ErrorKind::DuplicateKey { kind: field, key: b.label.clone() }.into());
                }
            }
            for w in bands.windows(2) {
                if let [a, b] = w
                    && b.min >= a.min
                {
                    return Err(
                        ErrorKind::ThresholdsOutOfOrder { field, previous: a.min.get(), next: b.min.get() }.into()
                    );
                }
            }
        }
        Ok(ScoreMatrix { fit, engagement })
    }

    /// The fit band of a fit score (`None` below every band).
    #[must_use]
    pub fn fit_band(&self, fit: Decimal) -> Option<&str> {
        self.fit.iter().find(|b| fit >= b.min.get()).map(|b| b.label.as_str())
    }

    /// The engagement band of an engagement score (`None` below every band).
    #[must_use]
    pub fn engagement_band(&self, engagement: Decimal) -> Option<&str> {
        self.engagement.iter().find(|b| engagement >= b.min.get()).map(|b| b.label.as_str())
    }

    /// The tier of `score`; `None` if either score is below every band of its axis.
    #[must_use]
    pub fn tier(&self, score: LeadScore) -> Option<MatrixTier<'_>> {
        Some(MatrixTier { fit: self.fit_band(score.fit)?, engagement: self.engagement_band(score.engagement)? })
    }
}

#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct MatrixRepr {
    fit: Vec<Band>,
    engagement: Vec<Band>,
}

#[cfg(feature = "serde")]
impl TryFrom<MatrixRepr> for ScoreMatrix {
    type Error = Error;
    fn try_from(r: MatrixRepr) -> Result<ScoreMatrix, Error> {
        ScoreMatrix::new(r.fit, r.engagement)
    }
}

#[cfg(feature = "serde")]
impl From<ScoreMatrix> for MatrixRepr {
    fn from(m: ScoreMatrix) -> MatrixRepr {
        MatrixRepr { fit: m.fit, engagement: m.engagement }
    }
}
