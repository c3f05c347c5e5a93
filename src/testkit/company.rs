//! The sample company: a deterministic synthetic B2B business with accounts, contacts, leads,
//! touches, stage histories, opportunities and spend.
//!
//! Every record is a pure function of `(seed, index)`: [`Company::lead`] builds lead `i` on its
//! own, so ten million leads can be streamed with constant memory, split across threads, and
//! still be byte-for-byte the same data on every machine.
//!
//! The data has real signal, so reports built on it show something:
//! - **fit**: accounts in software and fintech, with 200 to 5,000 employees, in North America or
//!   Europe, running Salesforce or Snowflake, become MQLs, SQLs and winners more often, and
//!   bigger accounts buy bigger deals;
//! - **channels**: journeys touched by webinars, events, partners, referrals and SDR outbound
//!   win more often; display and paid social do not help;
//! - **speed to lead**: leads answered within an hour of becoming MQL are accepted and won more
//!   often; some answers come at night or on weekends, some days late, some never.
// Synthetic data is statistical: durations and sizes are drawn with floats and then rounded to
// whole seconds and whole minor units; no money passes through a float on its way to a result.
// Table lookups index fixed-size tables with positions drawn below their lengths.
#![allow(
    clippy::float_arithmetic,
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap,
    clippy::indexing_slicing
)]

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::rng::SampleRng;
use crate::{AccountId, CampaignId, ChannelId, ContactId, Currency, Error, LeadId, Money, OpportunityId};

/// The twelve channels of the sample company, in a fixed order.
pub const CHANNELS: [&str; 12] = [
    "paid_search",
    "paid_social",
    "email",
    "webinar",
    "organic",
    "content",
    "events",
    "partner",
    "referral",
    "direct",
    "display",
    "sdr_outbound",
];

/// How often each channel starts a journey (per [`CHANNELS`] position).
const ENTRY_WEIGHTS: [u32; 12] = [18, 12, 4, 3, 16, 8, 2, 3, 5, 12, 8, 4];
/// How often each channel appears later in a journey.
const NEXT_WEIGHTS: [u32; 12] = [12, 8, 16, 6, 8, 9, 3, 3, 3, 10, 6, 8];
/// Win-rate lift in per mille when a channel appears in a journey.
const WIN_LIFT: [i32; 12] = [10, -20, 20, 60, 0, 20, 70, 80, 60, 10, -30, 50];
/// Monthly media spend per 1,000 leads, in whole dollars (0: no paid program).
const SPEND_PER_1000_LEADS: [i64; 12] = [6_000, 4_500, 800, 2_500, 0, 1_500, 5_000, 1_200, 300, 0, 2_000, 0];
/// Channels with named campaigns.
const HAS_CAMPAIGNS: [bool; 12] = [true, true, true, true, false, true, true, true, false, false, true, true];

/// Industries of the sample accounts.
pub const INDUSTRIES: [&str; 10] = [
    "software",
    "fintech",
    "healthcare",
    "manufacturing",
    "retail",
    "education",
    "logistics",
    "media",
    "government",
    "energy",
];
const INDUSTRY_WEIGHTS: [u32; 10] = [20, 10, 12, 12, 10, 8, 8, 8, 6, 6];

/// Countries (ISO 3166 alpha-2) and their sales regions.
pub const COUNTRIES: [(&str, &str); 10] = [
    ("US", "north_america"),
    ("CA", "north_america"),
    ("GB", "europe"),
    ("DE", "europe"),
    ("FR", "europe"),
    ("NL", "europe"),
    ("AU", "apac"),
    ("JP", "apac"),
    ("SG", "apac"),
    ("BR", "latam"),
];
const COUNTRY_WEIGHTS: [u32; 10] = [40, 6, 12, 9, 6, 4, 7, 5, 4, 7];

/// Technologies an account may run.
pub const TECHNOLOGIES: [&str; 10] =
    ["salesforce", "hubspot", "marketo", "snowflake", "aws", "azure", "gcp", "segment", "zendesk", "slack"];
const TECH_PER_MILLE: [u64; 10] = [350, 250, 120, 150, 450, 250, 200, 100, 200, 500];

/// Buying-group roles, as snake-case keys.
pub const BUYING_ROLES: [&str; 11] = [
    "economic_buyer",
    "champion",
    "coach",
    "decision_maker",
    "technical_evaluator",
    "influencer",
    "end_user",
    "blocker",
    "executive_sponsor",
    "legal_or_procurement",
    "other",
];
const TITLES: [(&str, &[usize]); 10] = [
    ("Chief Financial Officer", &[0, 3]),
    ("VP Marketing", &[3, 8]),
    ("Marketing Operations Manager", &[1, 6]),
    ("Director of IT", &[4]),
    ("Head of Sales", &[5, 3]),
    ("Revenue Analyst", &[6]),
    ("Procurement Manager", &[9]),
    ("Security Lead", &[7, 4]),
    ("Senior Consultant", &[2]),
    ("Office Manager", &[10]),
];

/// Rejection reasons at sales acceptance, as snake-case keys, with weights for a poor-fit and
/// a good-fit lead.
pub const REJECTION_REASONS: [(&str, u32, u32); 12] = [
    ("bad_fit", 30, 4),
    ("no_need", 10, 10),
    ("no_budget", 8, 10),
    ("no_authority", 5, 6),
    ("bad_timing", 8, 14),
    ("unreachable", 8, 10),
    ("bad_data", 6, 5),
    ("duplicate", 4, 6),
    ("existing_customer", 2, 5),
    ("competitor", 2, 2),
    ("student_or_personal", 5, 1),
    ("partner_or_vendor", 2, 2),
];
/// Reasons after which a lead goes back to nurture rather than out of the funnel.
const RECYCLED_REASONS: [&str; 5] = ["no_need", "no_budget", "no_authority", "bad_timing", "unreachable"];

/// Closed-lost reasons, as snake-case keys, with weights.
pub const LOSS_REASONS: [(&str, u32); 6] = [
    ("price", 22),
    ("competitor", 25),
    ("no_decision", 28),
    ("bad_timing", 12),
    ("missing_features", 9),
    ("bad_fit", 4),
];

const ADJECTIVES: [&str; 12] = [
    "Blue", "Northern", "Bright", "Silver", "Quantum", "Granite", "Harbor", "Summit", "Cedar", "Vertex", "Lumen",
    "Atlas",
];
const NOUNS: [&str; 12] = [
    "Analytics",
    "Systems",
    "Labs",
    "Logistics",
    "Health",
    "Works",
    "Dynamics",
    "Networks",
    "Foods",
    "Energy",
    "Media",
    "Capital",
];

const STREAM_ACCOUNT: u64 = 1;
const STREAM_LEAD: u64 = 2;
const STREAM_SPEND: u64 = 3;

const DAY: i64 = 86_400;
const HOUR: i64 = 3_600;
/// 2024-01-01T00:00:00Z, when the sample company's year starts.
const YEAR_START: i64 = 1_704_067_200;
/// Leads arrive over one year; the data is observed 15 months after the start.
const AS_OF_DAYS: i64 = 456;

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
    /// One of [`INDUSTRIES`].
    pub industry: String,
    /// Headcount.
    pub employees: u32,
    /// Annual revenue in USD, whole thousands.
    pub annual_revenue: Money,
    /// ISO 3166 alpha-2 country code, one of [`COUNTRIES`].
    pub country: String,
    /// Sales region of the country.
    pub region: String,
    /// Technologies the account runs, in [`TECHNOLOGIES`] order.
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
    /// Buying-group roles, keys from [`BUYING_ROLES`] (a person may hold several).
    pub buying_roles: Vec<String>,
}

/// One marketing or sales interaction with a lead.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SampleTouch {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// One of [`CHANNELS`].
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

/// How a sample opportunity stands as of [`Company::as_of`].
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
    /// Closed lost, with a key from [`LOSS_REASONS`].
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
    /// A key from [`REJECTION_REASONS`].
    pub reason: String,
    /// When sales dispositioned it.
    pub at: DateTime<Utc>,
    /// The stage it was rejected from (`Mql` at acceptance, `Sal` at qualification).
    pub from: SampleStage,
}

/// A sample lead with everything that happened to it up to [`Company::as_of`].
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
    /// [`Company::as_of`].
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

/// The sample company: a deterministic generator of a synthetic B2B business.
///
/// # Example
///
/// ```
/// use revops::testkit::{Company, SampleStage};
///
/// let company = Company::new(42, 1_000)?;
/// let lead = company.lead(7);
/// assert_eq!(lead, company.lead(7)); // any record, any order, same data
/// assert_eq!(lead.stages[0].stage, SampleStage::Lead);
/// let mqls = company.leads().filter(|l| l.entered(SampleStage::Mql).is_some()).count();
/// assert!(mqls > 100 && mqls < 900);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Company {
    seed: u64,
    leads: usize,
    accounts: usize,
}

impl Company {
    /// Fewest leads a company may have.
    pub const MIN_LEADS: usize = 10;
    /// Most leads a company may have.
    pub const MAX_LEADS: usize = 10_000_000;

    /// A company with `leads` leads (one journey each) from `seed`; about one account per
    /// four leads.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] if `leads` is outside `MIN_LEADS..=MAX_LEADS`.
    pub fn new(seed: u64, leads: usize) -> Result<Company, Error> {
        if !(Self::MIN_LEADS..=Self::MAX_LEADS).contains(&leads) {
            return Err(Error::InvalidValue {
                field: "testkit leads",
                value: leads.to_string(),
                reason: "must be from 10 to 10000000",
            });
        }
        Ok(Company { seed, leads, accounts: (leads / 4).max(1) })
    }

    /// The built-in sample company of the quickstart: seed 42, 5,000 leads.
    #[must_use]
    pub fn sample() -> Company {
        Company { seed: 42, leads: 5_000, accounts: 1_250 }
    }

    /// The seed.
    #[must_use]
    pub const fn seed(&self) -> u64 {
        self.seed
    }

    /// Number of leads (journeys).
    #[must_use]
    pub const fn lead_count(&self) -> usize {
        self.leads
    }

    /// Number of accounts.
    #[must_use]
    pub const fn account_count(&self) -> usize {
        self.accounts
    }

    /// Reporting currency (USD).
    #[must_use]
    pub const fn currency(&self) -> Currency {
        Currency::USD
    }

    /// Start of the year in which leads arrive (2024-01-01T00:00:00Z).
    #[must_use]
    pub fn year_start(&self) -> DateTime<Utc> {
        instant(YEAR_START)
    }

    /// The instant the data is observed at (2025-04-01T00:00:00Z): nothing happens after it,
    /// and deals still open then are open in the data.
    #[must_use]
    pub fn as_of(&self) -> DateTime<Utc> {
        instant(YEAR_START + AS_OF_DAYS * DAY)
    }

    /// Account number `index` (wrapping past [`Company::account_count`]).
    #[must_use]
    pub fn account(&self, index: usize) -> SampleAccount {
        let index = index % self.accounts;
        let mut rng = SampleRng::for_record(self.seed, STREAM_ACCOUNT, index as u64);
        let id = AccountId::trusted(format!("A{index:07}"));
        let name = format!(
            "{} {} {}",
            pick(&ADJECTIVES, &mut rng),
            pick(&NOUNS, &mut rng),
            ["Inc", "GmbH", "Ltd", "Group", "Co"][rng.index(5)]
        );
        let industry = INDUSTRIES[rng.weighted(&INDUSTRY_WEIGHTS)].to_owned();
        // Log-uniform headcount from 5 to 50,000.
        let employees = (5.0 * 10_000f64.powf(rng.unit())).round() as u32;
        let per_head = 80_000 + rng.below(220_000) as i64;
        let revenue_thousands = (i64::from(employees) * per_head / 1_000).max(100);
        let annual_revenue = Money::from_minor(revenue_thousands * 100_000, Currency::USD);
        let (country, region) = COUNTRIES[rng.weighted(&COUNTRY_WEIGHTS)];
        let technologies = TECHNOLOGIES
            .iter()
            .zip(TECH_PER_MILLE)
            .filter(|(_, p)| rng.chance(*p))
            .map(|(t, _)| (*t).to_owned())
            .collect();
        let contact_count = 2 + rng.index(6);
        let contacts = (0..contact_count)
            .map(|c| {
                let (title, roles) = TITLES[rng.index(TITLES.len())];
                SampleContact {
                    id: ContactId::trusted(format!("{id}-{c}")),
                    title: title.to_owned(),
                    buying_roles: roles.iter().map(|&r| BUYING_ROLES[r].to_owned()).collect(),
                }
            })
            .collect();
        SampleAccount {
            id,
            name,
            industry,
            employees,
            annual_revenue,
            country: country.to_owned(),
            region: region.to_owned(),
            technologies,
            contacts,
        }
    }

    /// Every account, in index order.
    pub fn accounts(&self) -> impl Iterator<Item = SampleAccount> + '_ {
        (0..self.accounts).map(|i| self.account(i))
    }

    /// Lead number `index` (wrapping past [`Company::lead_count`]), with its touches, stage
    /// history, response, rejection and opportunity.
    #[must_use]
    #[allow(clippy::too_many_lines)] // one lead's story, told in order
    pub fn lead(&self, index: usize) -> SampleLead {
        let index = index % self.leads;
        let mut rng = SampleRng::for_record(self.seed, STREAM_LEAD, index as u64);
        let account = self.account(rng.index(self.accounts));
        let contact = account.contacts[rng.index(account.contacts.len())].id.clone();
        let fit = fit_points(&account);
        let as_of = YEAR_START + AS_OF_DAYS * DAY;

        // Touch timeline: geometric length (mean 4.5), exponential gaps (mean 3 days).
        let mut count = 1;
        while count < 40 && rng.chance(778) {
            count += 1;
        }
        let mut at = YEAR_START + rng.below(365 * DAY as u64) as i64;
        let mut channel = rng.weighted(&ENTRY_WEIGHTS);
        let mut channels = Vec::with_capacity(count);
        let mut times = Vec::with_capacity(count);
        for k in 0..count {
            if k > 0 {
                at += exponential(&mut rng, 3.0 * DAY as f64).max(60);
                channel = if rng.chance(250) { channel } else { rng.weighted(&NEXT_WEIGHTS) };
            }
            if at > as_of {
                break;
            }
            channels.push(channel);
            times.push(at);
        }
        let lead_creation_touch = match rng.below(10) {
            0..=5 => 0,
            6..=8 => 1,
            _ => 2,
        }
        .min(times.len() - 1);
        let created_at = times[lead_creation_touch];
        let mut stages = vec![(SampleStage::Lead, created_at)];
        let mut first_sales_touch_at = None;
        let mut rejection = None;
        let mut opportunity = None;
        let mut end = as_of; // nothing after this instant is observed

        let engagement = channels.len().min(8) as u64;
        let mql_per_mille = (120 + fit * 55 + engagement * 30).min(900);
        if rng.chance(mql_per_mille) {
            let m = lead_creation_touch + rng.index(times.len() - lead_creation_touch);
            let mql_at = times[m] + 300 + rng.below(1_800) as i64;
            push_stage(&mut stages, SampleStage::Mql, mql_at, end);
            let response = response_delay(&mut rng).map(|d| mql_at + d);
            first_sales_touch_at = response.filter(|&t| t <= end);
            let fast = response.is_some_and(|t| t - mql_at <= HOUR);
            let accept_per_mille = (600 + fit * 35 + if fast { 80 } else { 0 }).min(960);
            match first_sales_touch_at {
                Some(responded) if rng.chance(accept_per_mille) => {
                    let sal_at = responded + 600 + rng.below(2 * HOUR as u64) as i64;
                    let reached_sal = push_stage(&mut stages, SampleStage::Sal, sal_at, end);
                    let has = |names: &[&str]| channels.iter().any(|&c| names.contains(&CHANNELS[c]));
                    let sql_per_mille = (500 + fit * 40 + if has(&["webinar", "events"]) { 80 } else { 0 }).min(950);
                    if reached_sal && rng.chance(sql_per_mille) {
                        let qualified_at = sal_at + DAY + rng.below(9 * DAY as u64) as i64;
                        if push_stage(&mut stages, SampleStage::Sql, qualified_at, end) && rng.chance(850) {
                            let opp_at = qualified_at + HOUR + rng.below(3 * DAY as u64) as i64;
                            if push_stage(&mut stages, SampleStage::Opportunity, opp_at, end) {
                                let deal = Company::deal(&mut rng, index, &account, &channels, fit, fast, opp_at);
                                if let Some(closed) = deal.closed_at {
                                    let stage = if deal.outcome == SampleOutcome::Won {
                                        SampleStage::Won
                                    } else {
                                        SampleStage::Lost
                                    };
                                    push_stage(&mut stages, stage, closed.timestamp(), end);
                                    end = closed.timestamp();
                                }
                                opportunity = Some(deal);
                            }
                        }
                    } else if reached_sal {
                        let reason = ["no_need", "bad_timing", "no_authority", "no_budget"][rng.index(4)];
                        let at = sal_at + DAY + rng.below(14 * DAY as u64) as i64;
                        if push_stage(&mut stages, SampleStage::Recycled, at, end) {
                            rejection = Some(rejection_record(reason, at, SampleStage::Sal));
                        }
                    }
                }
                Some(responded) => {
                    let reason = pick_rejection(&mut rng, fit);
                    let at = responded + 1_800 + rng.below(2 * DAY as u64) as i64;
                    let stage = if RECYCLED_REASONS.contains(&reason) {
                        SampleStage::Recycled
                    } else {
                        SampleStage::Disqualified
                    };
                    if push_stage(&mut stages, stage, at, end) {
                        rejection = Some(rejection_record(reason, at, SampleStage::Mql));
                    }
                }
                None => {}
            }
        }

        let touches = times
            .iter()
            .zip(&channels)
            .filter(|(t, _)| **t <= end)
            .map(|(&t, &c)| SampleTouch {
                at: instant(t),
                channel: channel_id(c),
                campaign: HAS_CAMPAIGNS[c].then(|| campaign_id(c, t)),
                contact: contact.clone(),
            })
            .collect();
        SampleLead {
            id: LeadId::trusted(format!("L{index:08}")),
            account: account.id.clone(),
            contact,
            created_at: instant(created_at),
            source: channel_id(channels[lead_creation_touch]),
            touches,
            lead_creation_touch,
            stages: stages.into_iter().map(|(stage, at)| SampleStageChange { stage, at: instant(at) }).collect(),
            first_sales_touch_at: first_sales_touch_at.map(instant),
            rejection,
            opportunity,
        }
    }

    /// Every lead, in index order.
    pub fn leads(&self) -> impl Iterator<Item = SampleLead> + '_ {
        (0..self.leads).map(|i| self.lead(i))
    }

    /// Every opportunity, in lead order.
    pub fn opportunities(&self) -> impl Iterator<Item = SampleOpportunity> + '_ {
        self.leads().filter_map(|l| l.opportunity)
    }

    /// Marketing and sales spend for the 15 observed months, by month then category (media
    /// channels in [`CHANNELS`] order, then people and tools), scaled to the number of leads.
    #[must_use]
    pub fn spend(&self) -> Vec<SampleSpend> {
        let scale = self.leads as f64 / 1_000.0;
        let mut out = Vec::new();
        for month in 0..15u32 {
            let year = 2024 + (month / 12) as i32;
            let first = NaiveDate::from_ymd_opt(year, month % 12 + 1, 1).unwrap_or_default();
            let mut rng = SampleRng::for_record(self.seed, STREAM_SPEND, u64::from(month));
            let mut push = |category: SpendCategory, base: i64, rng: &mut SampleRng| {
                let noise = 0.8 + 0.4 * rng.unit();
                let dollars = (base as f64 * scale * noise).round() as i64;
                out.push(SampleSpend {
                    month: first,
                    category,
                    amount: Money::from_minor(dollars * 100, Currency::USD),
                });
            };
            for (c, &base) in SPEND_PER_1000_LEADS.iter().enumerate() {
                if base > 0 {
                    push(SpendCategory::Media(channel_id(c)), base, &mut rng);
                }
            }
            push(SpendCategory::MarketingPeople, 30_000, &mut rng);
            push(SpendCategory::SalesPeople, 55_000, &mut rng);
            push(SpendCategory::Tools, 6_000, &mut rng);
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn deal(
        rng: &mut SampleRng,
        index: usize,
        account: &SampleAccount,
        channels: &[usize],
        fit: u64,
        fast: bool,
        created: i64,
    ) -> SampleOpportunity {
        let size = match account.employees {
            0..50 => (6_000, 15_000),
            50..200 => (12_000, 40_000),
            200..1_000 => (25_000, 90_000),
            1_000..5_000 => (50_000, 200_000),
            _ => (100_000, 400_000),
        };
        let dollars = (size.0 + rng.below(size.1 - size.0)) / 100 * 100;
        let amount = Money::from_minor(dollars as i64 * 100, Currency::USD);
        let mut seen = [false; 12];
        for &c in channels {
            seen[c] = true;
        }
        let lift: i32 = seen.iter().zip(WIN_LIFT).filter(|(s, _)| **s).map(|(_, l)| l).sum();
        let win_per_mille = (100 + fit as i32 * 35 + lift + if fast { 40 } else { 0 }).clamp(30, 800) as u64;
        let cycle = 14 * DAY + exponential(rng, 50.0 * DAY as f64) + dollars as i64 / 2_000 * DAY / 10;
        let close = created + cycle.min(365 * DAY);
        let as_of = YEAR_START + AS_OF_DAYS * DAY;
        let contacts: Vec<ContactId> =
            account.contacts.iter().filter(|_| rng.chance(700)).map(|c| c.id.clone()).collect();
        let (closed_at, outcome) = if close > as_of {
            let (stage, p) = [("discovery", 20), ("proposal", 50), ("negotiation", 80)][rng.index(3)];
            (None, SampleOutcome::Open { stage: stage.to_owned(), probability_percent: p })
        } else if rng.chance(win_per_mille) {
            (Some(close), SampleOutcome::Won)
        } else {
            let weights: Vec<u32> = LOSS_REASONS.iter().map(|(_, w)| *w).collect();
            let reason = LOSS_REASONS[rng.weighted(&weights)].0.to_owned();
            (Some(close), SampleOutcome::Lost { reason })
        };
        SampleOpportunity {
            id: OpportunityId::trusted(format!("O{index:08}")),
            account: account.id.clone(),
            lead: LeadId::trusted(format!("L{index:08}")),
            contacts,
            created_at: instant(created),
            closed_at: closed_at.map(instant),
            close_date: instant(close).date_naive(),
            amount,
            outcome,
        }
    }
}

/// The hidden fit of an account, 0 to 8 points: the signal an ICP should find.
fn fit_points(account: &SampleAccount) -> u64 {
    let mut points = match account.industry.as_str() {
        "software" | "fintech" => 3,
        "healthcare" | "logistics" => 1,
        _ => 0,
    };
    points += match account.employees {
        200..=5_000 => 2,
        50..200 | 5_001..=20_000 => 1,
        _ => 0,
    };
    points += u64::from(account.region == "north_america" || account.region == "europe");
    points += account.technologies.iter().filter(|t| *t == "salesforce" || *t == "snowflake").count() as u64;
    points
}

/// Sales response time after the MQL handoff, in seconds; `None` for never.
fn response_delay(rng: &mut SampleRng) -> Option<i64> {
    match rng.below(100) {
        0..=34 => Some(120 + rng.below(HOUR as u64) as i64),
        35..=69 => Some(HOUR + rng.below(7 * HOUR as u64) as i64),
        70..=89 => Some(8 * HOUR + rng.below(40 * HOUR as u64) as i64),
        90..=96 => Some(48 * HOUR + rng.below(5 * DAY as u64) as i64),
        _ => None,
    }
}

fn pick_rejection(rng: &mut SampleRng, fit: u64) -> &'static str {
    let weights: Vec<u32> =
        REJECTION_REASONS.iter().map(|(_, poor, good)| if fit <= 3 { *poor } else { *good }).collect();
    REJECTION_REASONS[rng.weighted(&weights)].0
}

fn rejection_record(reason: &str, at: i64, from: SampleStage) -> SampleRejection {
    SampleRejection { reason: reason.to_owned(), at: instant(at), from }
}

/// Appends a stage entry if it happens by `end` and after the previous one; says whether it did.
fn push_stage(stages: &mut Vec<(SampleStage, i64)>, stage: SampleStage, at: i64, end: i64) -> bool {
    let after_last = stages.last().is_none_or(|&(_, last)| at > last);
    let ok = at <= end && after_last;
    if ok {
        stages.push((stage, at));
    }
    ok
}

fn exponential(rng: &mut SampleRng, mean: f64) -> i64 {
    (-(1.0 - rng.unit()).ln() * mean) as i64
}

fn pick<'a>(words: &[&'a str], rng: &mut SampleRng) -> &'a str {
    words.get(rng.index(words.len())).copied().unwrap_or_default()
}

fn instant(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

fn channel_id(index: usize) -> ChannelId {
    ChannelId::trusted(CHANNELS[index % CHANNELS.len()].to_owned())
}

fn campaign_id(channel: usize, at: i64) -> CampaignId {
    let date = instant(at).date_naive();
    CampaignId::trusted(format!("{}-{}-{:02}", CHANNELS[channel], date.year(), date.month()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_validated() {
        assert!(Company::new(1, 9).is_err());
        assert!(Company::new(1, 10).is_ok());
        assert!(Company::new(1, 10_000_000).is_ok());
        assert_eq!(
            Company::new(1, 10_000_001).unwrap_err().to_string(),
            "invalid testkit leads \"10000001\": must be from 10 to 10000000"
        );
        assert_eq!(Company::sample(), Company::new(42, 5_000).unwrap());
    }

    #[test]
    fn leads_are_internally_consistent() {
        let company = Company::new(7, 3_000).unwrap();
        for lead in company.leads() {
            assert!(!lead.touches.is_empty());
            assert!(lead.touches.windows(2).all(|w| w[0].at < w[1].at), "{}", lead.id);
            assert!(lead.stages.windows(2).all(|w| w[0].at < w[1].at), "{}", lead.id);
            assert_eq!(lead.stages[0].stage, SampleStage::Lead);
            assert_eq!(lead.stages[0].at, lead.created_at);
            assert_eq!(lead.touches[lead.lead_creation_touch].at, lead.created_at);
            assert!(lead.stages.iter().all(|s| s.at <= company.as_of()));
            if let Some(opp) = &lead.opportunity {
                assert_eq!(lead.entered(SampleStage::Opportunity), Some(opp.created_at));
                if let Some(closed) = opp.closed_at {
                    assert!(lead.touches.iter().all(|t| t.at <= closed));
                    assert!(closed > opp.created_at);
                }
                assert!(!opp.amount.is_negative());
            }
            if let Some(r) = &lead.first_sales_touch_at {
                assert!(*r > lead.entered(SampleStage::Mql).unwrap());
            }
        }
    }

    #[test]
    fn there_is_signal_and_variety() {
        let company = Company::new(11, 20_000).unwrap();
        let leads: Vec<SampleLead> = company.leads().collect();
        let won = leads.iter().filter(|l| l.current_stage() == SampleStage::Won).count();
        let lost = leads.iter().filter(|l| l.current_stage() == SampleStage::Lost).count();
        assert!(won > 100 && lost > won, "won {won} lost {lost}");
        let touches: usize = leads.iter().map(|l| l.touches.len()).sum();
        let mean = touches as f64 / leads.len() as f64;
        assert!((3.0..6.0).contains(&mean), "mean touches {mean}");
        let channels: std::collections::BTreeSet<_> =
            leads.iter().flat_map(|l| l.touches.iter().map(|t| t.channel.clone())).collect();
        assert_eq!(channels.len(), 12);
        // Fit predicts winning: good-fit accounts win more of their deals.
        let rate = |good: bool| {
            let deals: Vec<_> = leads
                .iter()
                .filter_map(|l| l.opportunity.as_ref())
                .filter(|o| o.closed_at.is_some())
                .filter(|o| {
                    let idx: usize = o.account.as_str()[1..].parse().unwrap();
                    (fit_points(&company.account(idx)) >= 5) == good
                })
                .collect();
            deals.iter().filter(|o| o.outcome == SampleOutcome::Won).count() as f64 / deals.len() as f64
        };
        assert!(rate(true) > rate(false) + 0.05, "good {} poor {}", rate(true), rate(false));
    }

    #[test]
    fn spend_covers_every_month() {
        let spend = Company::sample().spend();
        let months: std::collections::BTreeSet<_> = spend.iter().map(|s| s.month).collect();
        assert_eq!(months.len(), 15);
        assert!(spend.iter().all(|s| !s.amount.is_negative() && s.amount.currency() == Currency::USD));
    }
}
