//! The records of the sample company: accounts, contacts, leads with their touches and stage
//! entries, rejections, opportunities and spend lines, as plain values.

use chrono::{DateTime, NaiveDate, Utc};

use crate::{AccountId, CampaignId, ChannelId, ContactId, LeadId, Money, OpportunityId};

/// A stage of the sample company's lead lifecycle (a demand waterfall with side exits).
///
/// # Example
///
/// ```
/// use revops::testkit::SampleStage;
///
/// let keys: Vec<&str> = SampleStage::ALL.iter().map(|s| s.as_str()).collect();
/// assert_eq!(keys, ["lead", "mql", "sal", "sql", "opportunity", "won", "lost", "recycled", "disqualified"]);
/// assert!(SampleStage::Mql < SampleStage::Sql); // ordered as the lifecycle
/// # Ok::<(), revops::Error>(())
/// ```
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
///
/// # Example
///
/// ```
/// use revops::testkit::{COUNTRIES, Company, INDUSTRIES, TECHNOLOGIES};
///
/// let company = Company::new(42, 100)?;
/// let account = company.account(3);
/// assert_eq!(account.id.as_str(), "A0000003");
/// assert!(INDUSTRIES.contains(&account.industry.as_str()));
/// assert!(COUNTRIES.contains(&(account.country.as_str(), account.region.as_str())));
/// assert!(account.employees >= 5 && !account.name.is_empty() && !account.contacts.is_empty());
/// assert!(account.technologies.iter().all(|t| TECHNOLOGIES.contains(&t.as_str())));
/// # Ok::<(), revops::Error>(())
/// ```
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
///
/// # Example
///
/// ```
/// use revops::testkit::{BUYING_ROLES, Company};
///
/// let account = Company::new(42, 100)?.account(3);
/// let first = account.contacts.first();
/// assert_eq!(first.map(|c| c.id.as_str()), Some("A0000003-0"));
/// for contact in &account.contacts {
///     assert!(!contact.title.is_empty());
///     assert!(contact.buying_roles.iter().all(|r| BUYING_ROLES.contains(&r.as_str())));
/// }
/// # Ok::<(), revops::Error>(())
/// ```
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
///
/// # Example
///
/// ```
/// use revops::testkit::{CHANNELS, Company};
///
/// let lead = Company::new(42, 100)?.lead(5);
/// assert!(lead.touches.windows(2).all(|w| w[0].at < w[1].at)); // strictly increasing
/// let creation = lead.touches.get(lead.lead_creation_touch);
/// assert_eq!(creation.map(|t| (t.at, &t.channel)), Some((lead.created_at, &lead.source)));
/// assert!(lead.touches.iter().all(|t| CHANNELS.contains(&t.channel.as_str())));
/// # Ok::<(), revops::Error>(())
/// ```
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
///
/// # Example
///
/// ```
/// use revops::testkit::{Company, SampleStage};
///
/// let lead = Company::new(42, 100)?.lead(5);
/// let first = lead.stages.first();
/// assert_eq!(first.map(|c| c.stage), Some(SampleStage::Lead));
/// assert!(lead.stages.windows(2).all(|w| w[0].at < w[1].at));
/// # Ok::<(), revops::Error>(())
/// ```
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
///
/// # Example
///
/// ```
/// use revops::testkit::{Company, LOSS_REASONS, SampleOutcome};
///
/// let company = Company::new(42, 500)?;
/// for opportunity in company.opportunities() {
///     match &opportunity.outcome {
///         SampleOutcome::Open { stage, probability_percent } => {
///             assert!(["discovery", "proposal", "negotiation"].contains(&stage.as_str()) && *probability_percent <= 100);
///             assert_eq!(opportunity.closed_at, None);
///         }
///         SampleOutcome::Won => assert!(opportunity.closed_at.is_some()),
///         SampleOutcome::Lost { reason } => assert!(LOSS_REASONS.iter().any(|(key, _)| key == reason)),
///         _ => {}
///     }
/// }
/// # Ok::<(), revops::Error>(())
/// ```
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
///
/// # Example
///
/// ```
/// use revops::testkit::Company;
///
/// let company = Company::new(42, 500)?;
/// let with_deal: Vec<_> = company.leads().filter_map(|l| l.opportunity.clone().map(|o| (l, o))).collect();
/// assert!(!with_deal.is_empty());
/// for (lead, opportunity) in &with_deal {
///     assert_eq!((&opportunity.lead, &opportunity.account), (&lead.id, &lead.account));
///     assert_eq!(opportunity.id.as_str().strip_prefix('O'), lead.id.as_str().strip_prefix('L')); // O00000042, L00000042
///     assert!(opportunity.created_at >= lead.created_at && !opportunity.amount.is_negative());
/// }
/// # Ok::<(), revops::Error>(())
/// ```
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
///
/// # Example
///
/// ```
/// use revops::testkit::{Company, REJECTION_REASONS, SampleStage};
///
/// let company = Company::new(42, 500)?;
/// let rejected: Vec<_> = company.leads().filter_map(|l| l.rejection).collect();
/// assert!(!rejected.is_empty());
/// for rejection in &rejected {
///     assert!(REJECTION_REASONS.iter().any(|(key, _, _)| *key == rejection.reason));
///     assert!(matches!(rejection.from, SampleStage::Mql | SampleStage::Sal));
/// }
/// # Ok::<(), revops::Error>(())
/// ```
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
///
/// # Example
///
/// ```
/// use revops::testkit::{Company, SampleStage};
///
/// let company = Company::new(42, 100)?;
/// let lead = company.lead(42);
/// assert_eq!(lead.id.as_str(), "L00000042");
/// assert_eq!(lead.entered(SampleStage::Lead), Some(lead.created_at));
/// assert_eq!(Some(lead.current_stage()), lead.stages.last().map(|c| c.stage));
/// assert!(lead.touches.iter().all(|t| t.at <= company.as_of()));
/// # Ok::<(), revops::Error>(())
/// ```
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
    /// When the lead entered `stage`, if it did (example: [`SampleLead`]).
    #[must_use]
    pub fn entered(&self, stage: SampleStage) -> Option<DateTime<Utc>> {
        self.stages.iter().find(|c| c.stage == stage).map(|c| c.at)
    }

    /// The stage the lead is in now (its last stage change; example: [`SampleLead`]).
    #[must_use]
    pub fn current_stage(&self) -> SampleStage {
        self.stages.last().map_or(SampleStage::Lead, |c| c.stage)
    }
}

/// What marketing and sales spend goes to.
///
/// # Example
///
/// ```
/// use revops::testkit::{Company, SpendCategory};
///
/// let spend = Company::new(42, 1_000)?.spend();
/// assert!(spend.iter().any(|s| matches!(&s.category, SpendCategory::Media(channel) if channel.as_str() == "paid_search")));
/// assert!(spend.iter().any(|s| s.category == SpendCategory::SalesPeople));
/// # Ok::<(), revops::Error>(())
/// ```
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
///
/// # Example
///
/// ```
/// use chrono::{Datelike, NaiveDate};
/// use revops::testkit::{Company, SpendCategory};
///
/// let spend = Company::new(42, 1_000)?.spend();
/// let months: std::collections::BTreeSet<NaiveDate> = spend.iter().map(|s| s.month).collect();
/// assert_eq!(months.len(), 15); // January 2024 to March 2025
/// assert!(months.iter().all(|m| m.day() == 1));
/// let tools = spend.iter().filter(|s| s.category == SpendCategory::Tools).count();
/// assert_eq!(tools, 15); // one line a month
/// # Ok::<(), revops::Error>(())
/// ```
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
