//! [`FunnelHygiene`]: the definitions of the board's funnel-hygiene block (lead flow, sourcing,
//! closed-lost reasons, speed to lead).

use std::collections::BTreeSet;

use chrono::TimeDelta;

use super::ReportWindow;
use crate::{ChannelId, Error, ErrorKind, StageId};

/// The funnel-hygiene definitions both teams report: revenue per lead, SAL acceptance,
/// disposition rate and leakage ([`LeadFlowTally`](crate::metrics::LeadFlowTally)),
/// marketing-sourced and -influenced pipeline ([`SourcingTally`](crate::metrics::SourcingTally)),
/// closed-lost deals by reason ([`LossReasonTally`](crate::metrics::LossReasonTally)), and which
/// SLA part's speed to lead the block shows. Money is in the board's
/// [`Kpis::currency`](super::Kpis::currency).
///
/// # Wire format
///
/// ```toml
/// [kpis.hygiene]
/// period = "previous_calendar_year"        # leads created / delivered, opportunities created
/// handoff = "mql"                          # the stage whose first entry delivers a lead to sales
/// disposition_within_days = 2              # a disposition later than this after delivery leaked
/// revenue_horizon_days = 90                # revenue per lead counts wins this soon after creation
/// influence_lookback_days = 90             # a marketing touch this long before creation influences
/// sales_channels = ["sdr_outbound"]        # touch channels that are sales's, not marketing's
/// losses_period = { trailing_months = 12 } # deals closed lost in this window
/// speed_to_lead = "sales_follow_up"        # the SLA part (optional)
/// ```
///
/// Every field but `speed_to_lead` and `sales_channels` (default: none) is required; day
/// counts are whole days, at least one except the lookback (zero: same-day touches only).
///
/// # Example
///
/// ```
/// use revops::agreement::FunnelHygiene;
///
/// let text = r#"{ "period": "previous_calendar_year", "handoff": "mql", "disposition_within_days": 2,
///   "revenue_horizon_days": 90, "influence_lookback_days": 90, "sales_channels": ["sdr_outbound"],
///   "losses_period": { "trailing_months": 12 }, "speed_to_lead": "sales_follow_up" }"#;
/// let hygiene: FunnelHygiene = serde_json::from_str(text)?;
/// assert_eq!(hygiene.revenue_horizon()?.num_days(), 90);
/// assert!(hygiene.is_sales_touch(&revops::ChannelId::new("sdr_outbound")?));
/// // A zero disposition window is refused on deserialize.
/// assert!(serde_json::from_str::<FunnelHygiene>(&text.replace("\"disposition_within_days\": 2", "\"disposition_within_days\": 0")).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "HygieneRepr", into = "HygieneRepr")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FunnelHygiene {
    /// Leads created in it (revenue per lead), delivered in it (acceptance, disposition,
    /// leakage), and opportunities created in it (sourcing).
    pub period: ReportWindow,
    /// The stage whose first entry delivers a lead to sales (a stage of the funnel).
    pub handoff: StageId,
    /// A lead not dispositioned within this many days of delivery leaked.
    pub disposition_within_days: u32,
    /// Revenue per lead counts wins closed within this many days of the lead's creation, over
    /// leads at least this old.
    pub revenue_horizon_days: u32,
    /// A marketing touch at most this many days before an opportunity's creation influenced it.
    pub influence_lookback_days: u32,
    /// Touch channels that are sales touches (every other touch is marketing's).
    pub sales_channels: BTreeSet<ChannelId>,
    /// Closed-lost deals by reason: deals closed in this window.
    pub losses_period: ReportWindow,
    /// The SLA part (a key of the agreement's `sla`) whose speed to lead the block shows.
    pub speed_to_lead: Option<String>,
}

/// The wire shape of [`FunnelHygiene`], checked on the way in.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct HygieneRepr {
    /// Leads created in it (revenue per lead), delivered in it (acceptance, disposition,
    /// leakage), and opportunities created in it (sourcing).
    period: ReportWindow,
    /// The stage whose first entry delivers a lead to sales (a stage of the funnel).
    handoff: StageId,
    /// A lead not dispositioned within this many days of delivery leaked.
    disposition_within_days: u32,
    /// Revenue per lead counts wins closed within this many days of the lead's creation, over
    /// leads at least this old.
    revenue_horizon_days: u32,
    /// A marketing touch at most this many days before an opportunity's creation influenced it.
    influence_lookback_days: u32,
    /// Touch channels that are sales touches (every other touch is marketing's).
    #[serde(default)]
    sales_channels: BTreeSet<ChannelId>,
    /// Closed-lost deals by reason: deals closed in this window.
    losses_period: ReportWindow,
    /// The SLA part (a key of the agreement's `sla`) whose speed to lead the block shows.
    #[serde(default)]
    speed_to_lead: Option<String>,
}

impl TryFrom<HygieneRepr> for FunnelHygiene {
    type Error = Error;

    fn try_from(r: HygieneRepr) -> Result<FunnelHygiene, Error> {
        let hygiene = FunnelHygiene {
            period: r.period,
            handoff: r.handoff,
            disposition_within_days: r.disposition_within_days,
            revenue_horizon_days: r.revenue_horizon_days,
            influence_lookback_days: r.influence_lookback_days,
            sales_channels: r.sales_channels,
            losses_period: r.losses_period,
            speed_to_lead: r.speed_to_lead,
        };
        hygiene.check()?;
        Ok(hygiene)
    }
}

impl From<FunnelHygiene> for HygieneRepr {
    fn from(h: FunnelHygiene) -> HygieneRepr {
        HygieneRepr {
            period: h.period,
            handoff: h.handoff,
            disposition_within_days: h.disposition_within_days,
            revenue_horizon_days: h.revenue_horizon_days,
            influence_lookback_days: h.influence_lookback_days,
            sales_channels: h.sales_channels,
            losses_period: h.losses_period,
            speed_to_lead: h.speed_to_lead,
        }
    }
}

fn days(field: &'static str, n: u32) -> Result<TimeDelta, Error> {
    TimeDelta::try_days(i64::from(n)).ok_or_else(|| ErrorKind::Overflow { op: field }.into())
}

impl FunnelHygiene {
    /// Checks the day counts: the disposition window and the revenue horizon at least a day.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] naming the field.
    pub fn check(&self) -> Result<(), Error> {
        for (field, n) in [
            ("kpis.hygiene.disposition_within_days", self.disposition_within_days),
            ("kpis.hygiene.revenue_horizon_days", self.revenue_horizon_days),
        ] {
            if n == 0 {
                return Err(ErrorKind::InvalidValue {
                    field,
                    value: "0".to_owned(),
                    reason: "must be at least one day",
                }
                .into());
            }
        }
        Ok(())
    }

    /// The disposition window.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] if it leaves chrono's range (it cannot: at most `u32::MAX` days).
    pub fn disposition_within(&self) -> Result<TimeDelta, Error> {
        days("disposition window", self.disposition_within_days)
    }

    /// The revenue horizon.
    ///
    /// # Errors
    /// As [`FunnelHygiene::disposition_within`].
    pub fn revenue_horizon(&self) -> Result<TimeDelta, Error> {
        days("revenue horizon", self.revenue_horizon_days)
    }

    /// The influence lookback.
    ///
    /// # Errors
    /// As [`FunnelHygiene::disposition_within`].
    pub fn influence_lookback(&self) -> Result<TimeDelta, Error> {
        days("influence lookback", self.influence_lookback_days)
    }

    /// Whether a touch on `channel` is a sales touch (not marketing's).
    #[must_use]
    pub fn is_sales_touch(&self, channel: &ChannelId) -> bool {
        self.sales_channels.contains(channel)
    }
}
