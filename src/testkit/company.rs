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

mod records;
mod tables;

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::rng::SampleRng;
use crate::{AccountId, CampaignId, ChannelId, ContactId, Currency, Error, ErrorKind, LeadId, Money, OpportunityId};

pub use self::records::{
    SampleAccount, SampleContact, SampleLead, SampleOpportunity, SampleOutcome, SampleRejection, SampleSpend,
    SampleStage, SampleStageChange, SampleTouch, SpendCategory,
};
use self::tables::{
    ADJECTIVES, COUNTRY_WEIGHTS, ENTRY_WEIGHTS, HAS_CAMPAIGNS, INDUSTRY_WEIGHTS, NEXT_WEIGHTS, NOUNS, RECYCLED_REASONS,
    SPEND_PER_1000_LEADS, TECH_PER_MILLE, TITLES, WIN_LIFT,
};
pub use self::tables::{BUYING_ROLES, CHANNELS, COUNTRIES, INDUSTRIES, LOSS_REASONS, REJECTION_REASONS, TECHNOLOGIES};

const STREAM_ACCOUNT: u64 = 1;
const STREAM_LEAD: u64 = 2;
const STREAM_SPEND: u64 = 3;

const DAY: i64 = 86_400;
const HOUR: i64 = 3_600;
/// 2024-01-01T00:00:00Z, when the sample company's year starts.
const YEAR_START: i64 = 1_704_067_200;
/// Leads arrive over one year; the data is observed 15 months after the start.
const AS_OF_DAYS: i64 = 456;

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
    /// [`ErrorKind::InvalidValue`] if `leads` is outside `MIN_LEADS..=MAX_LEADS`.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::testkit::Company;
    /// use revops::Currency;
    ///
    /// let company = Company::new(7, 400)?;
    /// assert_eq!((company.seed(), company.lead_count(), company.account_count()), (7, 400, 100)); // one account per 4 leads
    /// assert_eq!(company.currency(), Currency::USD);
    /// assert_eq!(company.year_start(), Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or_default());
    /// assert_eq!(company.as_of(), Utc.with_ymd_and_hms(2025, 4, 1, 0, 0, 0).single().unwrap_or_default());
    /// assert!(Company::new(7, Company::MIN_LEADS - 1).is_err());
    /// assert!(Company::new(7, Company::MAX_LEADS + 1).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new(seed: u64, leads: usize) -> Result<Company, Error> {
        if !(Self::MIN_LEADS..=Self::MAX_LEADS).contains(&leads) {
            return Err(ErrorKind::InvalidValue {
                field: "testkit leads",
                value: leads.to_string(),
                reason: "must be from 10 to 10000000",
            }
            .into());
        }
        Ok(Company { seed, leads, accounts: (leads / 4).max(1) })
    }

    /// The built-in sample company of the quickstart: seed 42, 5,000 leads.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    ///
    /// let sample = Company::sample();
    /// assert_eq!((sample.seed(), sample.lead_count(), sample.account_count()), (42, 5_000, 1_250));
    /// assert_eq!(sample, Company::new(42, 5_000)?);
    /// # Ok::<(), revops::Error>(())
    /// ```
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
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    ///
    /// let company = Company::new(42, 100)?; // 25 accounts
    /// assert_eq!(company.account(28), company.account(3)); // wraps
    /// assert_eq!(company.account(3).id.as_str(), "A0000003");
    /// # Ok::<(), revops::Error>(())
    /// ```
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
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    ///
    /// let company = Company::new(42, 100)?;
    /// let ids: Vec<String> = company.accounts().map(|a| a.id.to_string()).collect();
    /// assert_eq!(ids.len(), company.account_count());
    /// assert_eq!(ids.first().map(String::as_str), Some("A0000000"));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn accounts(&self) -> impl Iterator<Item = SampleAccount> + '_ {
        (0..self.accounts).map(|i| self.account(i))
    }

    /// Lead number `index` (wrapping past [`Company::lead_count`]), with its touches, stage
    /// history, response, rejection and opportunity.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::{Company, SampleStage};
    ///
    /// let company = Company::new(42, 100)?;
    /// let lead = company.lead(7);
    /// assert_eq!(lead, company.lead(107)); // wraps past the lead count
    /// assert_eq!(lead.id.as_str(), "L00000007");
    /// let account = company.accounts().find(|a| a.id == lead.account); // the contact works there
    /// assert!(account.is_some_and(|a| a.contacts.iter().any(|c| c.id == lead.contact)));
    /// assert_eq!(lead.entered(SampleStage::Lead), Some(lead.created_at));
    /// # Ok::<(), revops::Error>(())
    /// ```
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
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    ///
    /// let company = Company::new(42, 100)?;
    /// assert_eq!(company.leads().count(), 100);
    /// assert_eq!(company.leads().nth(7), Some(company.lead(7)));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn leads(&self) -> impl Iterator<Item = SampleLead> + '_ {
        (0..self.leads).map(|i| self.lead(i))
    }

    /// Every opportunity, in lead order.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    ///
    /// let company = Company::new(42, 500)?;
    /// let from_leads = company.leads().filter(|l| l.opportunity.is_some()).count();
    /// assert_eq!(company.opportunities().count(), from_leads);
    /// assert!(from_leads > 0);
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn opportunities(&self) -> impl Iterator<Item = SampleOpportunity> + '_ {
        self.leads().filter_map(|l| l.opportunity)
    }

    /// Marketing and sales spend for the 15 observed months, by month then category (media
    /// channels in [`CHANNELS`] order, then people and tools), scaled to the number of leads.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::{Company, SpendCategory};
    /// use revops::{Currency, Money};
    ///
    /// let (small, big) = (Company::new(42, 1_000)?.spend(), Company::new(42, 2_000)?.spend());
    /// assert_eq!(small.len(), big.len()); // the same lines, scaled
    /// let total = |lines: &[revops::testkit::SampleSpend]| -> Result<Money, revops::Error> {
    ///     lines.iter().try_fold(Money::from_minor(0, Currency::USD), |sum, s| sum.checked_add(s.amount))
    /// };
    /// assert!(total(&big)?.amount() > total(&small)?.amount());
    /// assert_eq!(small.last().map(|s| &s.category), Some(&SpendCategory::Tools)); // tools close each month
    /// # Ok::<(), revops::Error>(())
    /// ```
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
mod tests;
