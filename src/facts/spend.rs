//! [`Spend`]: money spent over a period, optionally on a channel and a campaign.

use crate::{CampaignId, ChannelId, Money, Period};

/// What a spend line paid for. Blended CAC counts every kind; paid CAC counts [`SpendKind::Paid`].
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::{Spend, SpendKind};
/// use revops::{Currency, Money, Period};
///
/// let t = |m| Utc.with_ymd_and_hms(2024, m, 1, 0, 0, 0).single().unwrap_or_default();
/// let q1 = Period::new(t(1), t(4))?;
/// let usd = |dollars: i64| Money::from_minor(dollars * 100, Currency::USD);
/// let lines = [
///     Spend::new(q1, SpendKind::Paid, usd(30_000)),
///     Spend::new(q1, SpendKind::MarketingPeople, usd(90_000)),
///     Spend::new(q1, SpendKind::Tools, usd(6_000)),
/// ];
/// let paid = lines.iter().filter(|s| s.kind == SpendKind::Paid).map(|s| s.amount);
/// assert_eq!(Money::checked_sum(paid, Currency::USD)?, usd(30_000)); // what paid CAC divides
/// let blended = Money::checked_sum(lines.iter().map(|s| s.amount), Currency::USD)?;
/// assert_eq!(blended, usd(126_000)); // what blended CAC divides
/// # Ok::<(), revops::Error>(())
/// ```
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

impl SpendKind {
    /// The snake-case key (the wire name), e.g. `"marketing_people"`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::SpendKind;
    ///
    /// assert_eq!(SpendKind::MarketingPeople.as_str(), "marketing_people");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            SpendKind::Paid => "paid",
            SpendKind::MarketingPeople => "marketing_people",
            SpendKind::SalesPeople => "sales_people",
            SpendKind::Tools => "tools",
            SpendKind::Other => "other",
        }
    }
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
/// use revops::{CampaignId, ChannelId, Currency, Money, Period};
///
/// let march = Period::new(
///     Utc.with_ymd_and_hms(2024, 3, 1, 0, 0, 0).single().unwrap_or_default(),
///     Utc.with_ymd_and_hms(2024, 4, 1, 0, 0, 0).single().unwrap_or_default(),
/// )?;
/// let ads = Spend::new(march, SpendKind::Paid, Money::from_minor(12_000_00, Currency::USD))
///     .on_channel(ChannelId::new("paid_search")?)
///     .on_campaign(CampaignId::new("brand-q1")?);
/// assert_eq!(ads.channel.as_ref().map(ChannelId::as_str), Some("paid_search"));
/// assert_eq!(ads.campaign.as_ref().map(CampaignId::as_str), Some("brand-q1"));
/// assert!(ads.period.contains(march.start()) && !ads.period.contains(march.end()));
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
