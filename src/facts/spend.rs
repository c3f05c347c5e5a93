//! [`Spend`]: money spent over a period, optionally on a channel and a campaign.

use crate::{CampaignId, ChannelId, Money, Period};

/// What a spend line paid for. Blended CAC counts every kind; paid CAC counts [`SpendKind::Paid`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum SpendKind {
    /// Paid media and paid programs (search, social, display, sponsorships, events).
    Paid,
    /// Marketing salaries, contractors and agencies.
    MarketingPeople,
    /// Sales salaries and commissions.
    SalesPeople,
    /// Software and data for marketing and sales.
    Tools,
    /// Any other sales and marketing cost.
    Other,
}
/// Sales and marketing money spent over a period (a fact): what CAC, payback and return on
/// marketing divide by.
///
/// The period is half-open `[start, end)`, in UTC instants; a monthly budget line is the
/// period from the first of the month to the first of the next. `channel` and `campaign`
/// are set for spend that can be traced to them (paid media usually can; salaries cannot).
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::{Spend, SpendKind};
/// use revops::{ChannelId, Currency, Money, Period};
///
/// let march = Period::new(
///     Utc.with_ymd_and_hms(2024, 3, 1, 0, 0, 0).unwrap(),
///     Utc.with_ymd_and_hms(2024, 4, 1, 0, 0, 0).unwrap(),
/// )?;
/// let ads = Spend::new(march, SpendKind::Paid, Money::from_minor(12_000_00, Currency::USD))
///     .on_channel(ChannelId::new("paid_search")?);
/// assert_eq!(ads.channel.as_ref().map(ChannelId::as_str), Some("paid_search"));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct Spend {
    /// When the money was spent, half-open.
    pub period: Period,
    /// What it paid for.
    pub kind: SpendKind,
    /// How much; never negative.
    pub amount: Money,
    /// The channel it bought, if traceable.
    #[cfg_attr(feature = "serde", serde(default))]
    pub channel: Option<ChannelId>,
    /// The campaign it bought, if traceable.
    #[cfg_attr(feature = "serde", serde(default))]
    pub campaign: Option<CampaignId>,
}

impl Spend {
    /// Spend of `kind` over `period`, on no particular channel or campaign.
    #[must_use]
    pub const fn new(period: Period, kind: SpendKind, amount: Money) -> Spend {
        Spend { period, kind, amount, channel: None, campaign: None }
    }

    /// The same spend, traced to `channel`.
    #[must_use]
    pub fn on_channel(mut self, channel: ChannelId) -> Spend {
        self.channel = Some(channel);
        self
    }

    /// The same spend, traced to `campaign`.
    #[must_use]
    pub fn on_campaign(mut self, campaign: CampaignId) -> Spend {
        self.campaign = Some(campaign);
        self
    }
}
