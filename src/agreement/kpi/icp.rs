//! [`IcpReview`]: the ICP review of the board (who closes, by tier and by criterion; one
//! explained score; buying-group coverage of the open deals).

use crate::icp::BuyingGroup;
use crate::{Error, ErrorKind, SegmentId};

/// The ICP review: for the reviewed ICP segments, the refinement report (outcomes by tier and
/// by criterion, [`Refinement`](crate::icp::Refinement)) and one explained score; and the
/// coverage of the open deals by the buying group.
///
/// Deal amounts are in the board's currency ([`Kpis::currency`](super::Kpis::currency),
/// required); tiers are the agreement's (`tiers`) when it has them, else each profile's own.
///
/// # Wire format
///
/// ```toml
/// [kpis.icp]
/// segment = "core"            # the ICP segment reviewed (optional: every segment)
/// min_closed_deals = 30       # a tier is ranked with at least this many closed deals (>= 1)
/// buying_group = [            # optional: no coverage figures without it
///     { role = "economic_buyer", min_contacts = 1 },
///     { role = "champion", min_contacts = 1 },
/// ]
/// ```
///
/// A segment the agreement's ICP set does not define is refused by
/// [`Agreement::new`](crate::agreement::Agreement::new); a zero `min_closed_deals` or a buying
/// group without a role on deserialize (and by [`IcpReview::check`]).
///
/// # Example
///
/// ```
/// use revops::agreement::IcpReview;
/// use revops::facts::BuyingRole;
///
/// let text = r#"{ "segment": "core", "min_closed_deals": 30,
///   "buying_group": [{ "role": "economic_buyer", "min_contacts": 1 }, { "role": "champion", "min_contacts": 2 }] }"#;
/// let review: IcpReview = serde_json::from_str(text)?;
/// assert_eq!(review.segment.as_ref().map(|s| s.as_str()), Some("core"));
/// let roles: Vec<BuyingRole> = review.buying_group.iter().flat_map(|g| g.requirements()).map(|r| r.role).collect();
/// assert_eq!(roles, [BuyingRole::EconomicBuyer, BuyingRole::Champion]);
/// assert_eq!(serde_json::from_str::<IcpReview>(&serde_json::to_string(&review)?)?, review);
/// // No closed deal needed to rank a tier: refused.
/// assert!(serde_json::from_str::<IcpReview>(r#"{ "min_closed_deals": 0 }"#).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "IcpReviewWire")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(with = "IcpReviewWire"))]
pub struct IcpReview {
    /// The segment reviewed; `None`: every segment of the ICP set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<SegmentId>,
    /// A tier is ranked (and checked for inversions) with at least this many closed deals.
    pub min_closed_deals: u64,
    /// The roles an open deal needs; `None`: no coverage figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buying_group: Option<BuyingGroup>,
}

/// The wire shape of [`IcpReview`], checked on the way in.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct IcpReviewWire {
    /// The segment reviewed (a key of the agreement's ICP set); none: every segment.
    #[serde(default)]
    segment: Option<SegmentId>,
    /// A tier is ranked (and checked for inversions) with at least this many closed deals (at
    /// least 1).
    min_closed_deals: u64,
    /// The roles an open deal needs, with the contacts each needs; none: no coverage figures.
    #[serde(default)]
    buying_group: Option<BuyingGroup>,
}

impl TryFrom<IcpReviewWire> for IcpReview {
    type Error = Error;
    fn try_from(w: IcpReviewWire) -> Result<IcpReview, Error> {
        IcpReview::new(w.segment, w.min_closed_deals, w.buying_group)
    }
}

impl IcpReview {
    /// The review of `segment` (`None`: every segment), ranking tiers with at least
    /// `min_closed_deals` closed deals, with coverage by `buying_group` if given.
    ///
    /// # Errors
    ///
    /// As [`IcpReview::check`].
    ///
    /// # Example
    ///
    /// ```
    /// use revops::agreement::IcpReview;
    /// use revops::testkit::icp::sample_buying_group;
    ///
    /// let review = IcpReview::new(Some("core".parse()?), 30, Some(sample_buying_group()))?;
    /// assert_eq!(review.min_closed_deals, 30);
    /// assert!(IcpReview::new(None, 0, None).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new(
        segment: Option<SegmentId>,
        min_closed_deals: u64,
        buying_group: Option<BuyingGroup>,
    ) -> Result<IcpReview, Error> {
        let review = IcpReview { segment, min_closed_deals, buying_group };
        review.check()?;
        Ok(review)
    }

    /// Checks the review on its own: at least one closed deal to rank a tier, at least one
    /// role in the buying group.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`] (field `kpis.icp.min_closed_deals` or
    /// `kpis.icp.buying_group`).
    pub fn check(&self) -> Result<(), Error> {
        if self.min_closed_deals == 0 {
            return Err(ErrorKind::InvalidValue {
                field: "kpis.icp.min_closed_deals",
                value: "0".to_owned(),
                reason: "a tier needs at least one closed deal to be ranked",
            }
            .into());
        }
        if self.buying_group.as_ref().is_some_and(|g| g.requirements().next().is_none()) {
            return Err(ErrorKind::InvalidValue {
                field: "kpis.icp.buying_group",
                value: "[]".to_owned(),
                reason: "must require at least one role (or be left out)",
            }
            .into());
        }
        Ok(())
    }

    /// Whether the review covers `segment`.
    #[must_use]
    pub fn reviews(&self, segment: &SegmentId) -> bool {
        self.segment.as_ref().is_none_or(|s| s == segment)
    }
}
