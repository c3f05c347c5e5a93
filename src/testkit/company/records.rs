//! The records of the sample company: accounts, contacts, leads with their touches and stage
//! entries, rejections, opportunities and spend lines, as plain values.

use chrono::{DateTime, NaiveDate, Utc};

use crate::{AccountId, CampaignId, ChannelId, ContactId, LeadId, Money, OpportunityId};

/// A stage of the sample company's lead lifecycle (a demand waterfall with side exits).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum SampleStage {
    /// A known person (form fill, list import, sales-created).
    Lead,
    /// Marketing qualified: fit and engagement thresholds met; handed to sales.
    Mql,
    /// Sales accepted the lead and started working it.
    Sal,
    /// Sales qualified: a real opportunity is likely.
    Sql,
    /// An opportunity (deal) was created.
    Opportunity,
    /// The deal closed won: the account is a customer.
    Won,
    /// The deal closed lost.
    Lost,
    /// Sent back to marketing nurture (rejected for a reason that may pass).
    Recycled,
    /// Out of the funnel for good (bad fit, bad data, duplicate, ...).
    Disqualified,
}

impl SampleStage {
    /// Every stage, in lifecycle order with the side exits last.
    pub const ALL: [SampleStage; 9] = [
        SampleStage::Lead,
        SampleStage::Mql,
        SampleStage::Sal,
        SampleStage::Sql,
        SampleStage::Opportunity,
        SampleStage::Won,
        SampleStage::Lost,
        SampleStage::Recycled,
        SampleStage::Disqualified,
    ];

    /// The snake-case key, e.g. `"mql"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            SampleStage::Lead => "lead",
            SampleStage::Mql => "mql",
            SampleStage::Sal => "sal",
            SampleStage::Sql => "sql",
            SampleStage::Opportunity => "opportunity",
            SampleStage::Won => "won",
            SampleStage::Lost => "lost",
            SampleStage::Recycled => "recycled",
            SampleStage::Disqualified => "disqualified",
        }
    }
}

/// A sample account (a company that may buy).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SampleAccount {
    /// `A0000042`-style id.
    pub id: AccountId,
    /// A made-up company name.
    pub name: String,
    /// One of [`INDUSTRIES`](crate::testkit::INDUSTRIES).
    pub industry: String,
    /// Headcount.
    pub employees: u32,
    /// Annual revenue in USD, whole thousands.
    pub annual_revenue: Money,
    /// ISO 3166 alpha-2 country code, one of [`COUNTRIES`](crate::testkit::COUNTRIES).
    pub country: String,
    /// Sales region of the country.
    pub region: String,
    /// Technologies the account runs, in [`TECHNOLOGIES`](crate::testkit::TECHNOLOGIES) order.
    pub technologies: Vec<String>,
    /// The people at the account.
    pub contacts: Vec<SampleContact>,
}

/// A person at a sample account.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SampleContact {
    /// `A0000042-3`-style id: the account's id and the contact's position.
    pub id: ContactId,
    /// Job title.
    pub title: String,
    /// Buying-group roles, keys from [`BUYING_ROLES`](crate::testkit::BUYING_ROLES) (a person may hold several).
    pub buying_roles: Vec<String>,
}

/// One marketing or sales interaction with a lead.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SampleTouch {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// One of [`CHANNELS`](crate::testkit::CHANNELS).
    pub channel: ChannelId,
    /// The campaign, for channels that run campaigns (`webinar-2024-03`).
    pub campaign: Option<CampaignId>,
    /// The person touched.
    pub contact: ContactId,
}

/// Entry into a stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SampleStageChange {
    /// The stage entered.
    pub stage: SampleStage,
    /// When.
    pub at: DateTime<Utc>,
}

/// How a sample opportunity stands as of [`Company::as_of`](crate::testkit::Company::as_of).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum SampleOutcome {
    /// Still open, in a named deal stage with its Salesforce-style probability in percent.
    Open {
        /// `discovery`, `proposal` or `negotiation`.
        stage: String,
        /// Probability in percent (0 to 100), as Salesforce stores it.
        probability_percent: u8,
    },
    /// Closed won.
    Won,
    /// Closed lost, with a key from [`LOSS_REASONS`](crate::testkit::LOSS_REASONS).
    Lost {
        /// Why it was lost.
        reason: String,
    },
}

/// A sample opportunity (deal).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SampleOpportunity {
    /// `O00000042`-style id (the number of the lead it came from).
    pub id: OpportunityId,
    /// The account buying.
    pub account: AccountId,
    /// The lead it was created from (its source).
    pub lead: LeadId,
    /// Contacts in the deal's buying group.
    pub contacts: Vec<ContactId>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it closed, if it has.
    pub closed_at: Option<DateTime<Utc>>,
    /// Expected close date while open (the actual close date once closed).
    pub close_date: NaiveDate,
    /// Annual contract value in USD, whole hundreds.
    pub amount: Money,
    /// Open, won or lost.
    pub outcome: SampleOutcome,
}

/// Why a lead was rejected or recycled, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SampleRejection {
    /// A key from [`REJECTION_REASONS`](crate::testkit::REJECTION_REASONS).
    pub reason: String,
    /// When sales dispositioned it.
    pub at: DateTime<Utc>,
    /// The stage it was rejected from (`Mql` at acceptance, `Sal` at qualification).
    pub from: SampleStage,
}

/// A sample lead with everything that happened to it up to [`Company::as_of`](crate::testkit::Company::as_of).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SampleLead {
    /// `L00000042`-style id.
    pub id: LeadId,
    /// The lead's account.
    pub account: AccountId,
    /// The person.
    pub contact: ContactId,
    /// When the lead was created (the time of its lead-creation touch).
    pub created_at: DateTime<Utc>,
    /// Channel of the lead-creation touch: the lead source.
    pub source: ChannelId,
    /// Interactions in time order (strictly increasing), none after the deal closed or after
    /// [`Company::as_of`](crate::testkit::Company::as_of).
    pub touches: Vec<SampleTouch>,
    /// Position in `touches` of the lead-creation touch.
    pub lead_creation_touch: usize,
    /// Stage entries in time order (strictly increasing), starting with `Lead`.
    pub stages: Vec<SampleStageChange>,
    /// When sales first responded after the MQL handoff (`None`: not yet, or never).
    pub first_sales_touch_at: Option<DateTime<Utc>>,
    /// The rejection, if sales rejected or recycled the lead.
    pub rejection: Option<SampleRejection>,
    /// The opportunity created from this lead, if any.
    pub opportunity: Option<SampleOpportunity>,
}

impl SampleLead {
    /// When the lead entered `stage`, if it did.
    #[must_use]
    pub fn entered(&self, stage: SampleStage) -> Option<DateTime<Utc>> {
        self.stages.iter().find(|c| c.stage == stage).map(|c| c.at)
    }

    /// The stage the lead is in now (its last stage change).
    #[must_use]
    pub fn current_stage(&self) -> SampleStage {
        self.stages.last().map_or(SampleStage::Lead, |c| c.stage)
    }
}

/// What marketing and sales spend goes to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum SpendCategory {
    /// Paid media or program spend in a channel.
    Media(ChannelId),
    /// Marketing salaries and agencies.
    MarketingPeople,
    /// Sales salaries and commissions.
    SalesPeople,
    /// Software for marketing and sales.
    Tools,
}

/// Spend in one category and month.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SampleSpend {
    /// First day of the month.
    pub month: NaiveDate,
    /// What the money went to.
    pub category: SpendCategory,
    /// How much, in USD whole dollars.
    pub amount: Money,
}
