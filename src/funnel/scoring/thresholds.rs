//! [`MqlThresholds`]: the MQL rule as a threshold on each score.

use rust_decimal::Decimal;

use super::LeadScore;
use crate::{Error, ErrorKind};

/// MQL as thresholds on both scores (Marketo practice: fit at least X AND behaviour at
/// least Y).
///
/// # Example
///
/// ```
/// use revops::funnel::{LeadScore, MqlThresholds};
/// use rust_decimal_macros::dec;
///
/// let mql = MqlThresholds::new(dec!(40), dec!(20))?;
/// assert_eq!((mql.fit(), mql.engagement()), (dec!(40), dec!(20)));
/// assert!(mql.is_met(LeadScore::new(dec!(45), dec!(20))));
/// assert!(!mql.is_met(LeadScore::new(dec!(90), dec!(19.99)))); // great fit, not engaged yet
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "MqlThresholdsRepr", into = "MqlThresholdsRepr")
)]
pub struct MqlThresholds {
    fit: Decimal,
    engagement: Decimal,
}

/// Wire shape of [`MqlThresholds`], validated by [`MqlThresholds::new`] on read.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct MqlThresholdsRepr {
    #[serde(with = "crate::money::exact::str")]
    fit: Decimal,
    #[serde(with = "crate::money::exact::str")]
    engagement: Decimal,
}

#[cfg(feature = "serde")]
impl TryFrom<MqlThresholdsRepr> for MqlThresholds {
    type Error = Error;
    fn try_from(r: MqlThresholdsRepr) -> Result<MqlThresholds, Error> {
        MqlThresholds::new(r.fit, r.engagement)
    }
}

#[cfg(feature = "serde")]
impl From<MqlThresholds> for MqlThresholdsRepr {
    fn from(m: MqlThresholds) -> MqlThresholdsRepr {
        MqlThresholdsRepr { fit: m.fit, engagement: m.engagement }
    }
}

impl MqlThresholds {
    /// Thresholds: fit at least `fit` and engagement at least `engagement`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] if a threshold is negative.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::MqlThresholds;
    /// use rust_decimal_macros::dec;
    ///
    /// assert_eq!(MqlThresholds::new(dec!(0), dec!(15))?.fit(), dec!(0));
    /// assert!(MqlThresholds::new(dec!(-1), dec!(15)).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new(fit: Decimal, engagement: Decimal) -> Result<MqlThresholds, Error> {
        for (field, v) in [("MQL fit threshold", fit), ("MQL engagement threshold", engagement)] {
            if v.is_sign_negative() && !v.is_zero() {
                return Err(
                    ErrorKind::InvalidValue { field, value: v.to_string(), reason: "must not be negative" }.into()
                );
            }
        }
        Ok(MqlThresholds { fit, engagement })
    }

    /// The fit threshold.
    #[must_use]
    pub const fn fit(&self) -> Decimal {
        self.fit
    }

    /// The engagement threshold.
    #[must_use]
    pub const fn engagement(&self) -> Decimal {
        self.engagement
    }

    /// Whether `score` meets both thresholds.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::{LeadScore, MqlThresholds};
    /// use rust_decimal_macros::dec;
    ///
    /// let mql = MqlThresholds::new(dec!(40), dec!(20))?;
    /// assert!(mql.is_met(LeadScore::new(dec!(40), dec!(20)))); // at the thresholds: met
    /// assert!(!mql.is_met(LeadScore::new(dec!(39.99), dec!(95)))); // engaged, poor fit
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn is_met(&self, score: LeadScore) -> bool {
        score.fit >= self.fit && score.engagement >= self.engagement
    }
}
