//! ICP data for the sample company: its accounts, contacts and opportunities as
//! [`facts`](crate::facts) (the [`Account`], [`Contact`](crate::facts::Contact) and [`Deal`] an ICP reads), a sample
//! ICP that finds the generator's real signal, a sample buying group, and proptest strategies.
//!
//! The generator's hidden fit (see `company.rs`) rewards software and fintech (healthcare and
//! logistics a little), 200 to 5,000 employees (50 to 20,000 a little), North America and
//! Europe, and Salesforce and Snowflake. [`sample_icp`] weights exactly those, adds a few
//! criteria with no real signal (cloud, marketing automation, contact count) so refinement
//! has something to find useless, and a negative ICP.
//!
//! # Example
//!
//! ```
//! use revops::testkit::Company;
//! use revops::testkit::icp::sample_icp;
//!
//! let company = Company::sample();
//! let icp = sample_icp();
//! let fit = icp.score(&company.account(0).account_fact())?;
//! assert!(fit.score <= rust_decimal::Decimal::ONE_HUNDRED);
//! # Ok::<(), revops::Error>(())
//! ```

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use rust_decimal::Decimal;

use super::{COUNTRIES, Company, INDUSTRIES, SampleOpportunity, SampleOutcome, TECHNOLOGIES};
use crate::facts::{Account, AttributeValue, BuyingRole, Deal, DealStatus, Reason};
use crate::icp::{BuyingGroup, Condition, Icp, Tiers};
use crate::{AccountId, Currency, Money, Probability};

/// Custom attribute: number of known contacts at the account.
pub const CONTACTS_ATTRIBUTE: &str = "contacts";
/// Custom attribute: whether a known contact is an economic buyer.
pub const ECONOMIC_BUYER_ATTRIBUTE: &str = "has_economic_buyer";
/// Custom attribute: the legal-entity suffix of the name (`Inc`, `GmbH`, ...).
pub const LEGAL_FORM_ATTRIBUTE: &str = "legal_form";

impl SampleOpportunity {
    /// The opportunity as a [`Deal`] fact, as refinement reads it: amount, created and
    /// closed instants, status (an open deal's probability from its percent, a lost deal's
    /// reason from its key, [`Reason::Other`] for keys the crate does not know), the account,
    /// the lead and the contacts of its buying group; the expected close date while open.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::DealStatus;
    /// use revops::testkit::{Company, SampleOutcome};
    ///
    /// for opportunity in Company::new(42, 500)?.opportunities() {
    ///     let deal = opportunity.fact();
    ///     assert!(deal.check().is_ok());
    ///     assert_eq!((&deal.id, deal.amount, deal.account.as_ref()), (&opportunity.id, opportunity.amount, Some(&opportunity.account)));
    ///     assert_eq!(deal.status == DealStatus::Won, opportunity.outcome == SampleOutcome::Won);
    ///     assert_eq!(deal.close_date.is_some(), !deal.status.is_closed()); // expected close date while open
    /// }
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn fact(&self) -> Deal {
        let status = match &self.outcome {
            SampleOutcome::Won => DealStatus::Won,
            SampleOutcome::Lost { reason } => {
                DealStatus::lost(Reason::from_key(reason).unwrap_or_else(|| Reason::Other(reason.clone())))
            }
            // Generated percents are 0 to 100, so the fallback is never taken.
            SampleOutcome::Open { probability_percent, .. } => DealStatus::Open {
                probability: Probability::from_percent(*probability_percent).unwrap_or(Probability::ZERO),
            },
        };
        let open = matches!(self.outcome, SampleOutcome::Open { .. });
        Deal::new(self.id.clone(), self.created_at, self.amount, status)
            .closed_at(self.closed_at)
            .close_date(open.then_some(self.close_date))
            .account(Some(self.account.clone()))
            .lead(Some(self.lead.clone()))
            .contacts(self.contacts.iter().cloned())
    }
}

impl Company {
    /// Every opportunity, grouped by account (accounts in id order, deals in lead order).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::Company;
    ///
    /// let company = Company::new(42, 500)?;
    /// let by_account = company.opportunities_by_account();
    /// assert_eq!(by_account.values().map(Vec::len).sum::<usize>(), company.opportunities().count());
    /// assert!(by_account.iter().all(|(account, deals)| !deals.is_empty() && deals.iter().all(|d| &d.account == account)));
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn opportunities_by_account(&self) -> BTreeMap<AccountId, Vec<SampleOpportunity>> {
        let mut out: BTreeMap<AccountId, Vec<SampleOpportunity>> = BTreeMap::new();
        for o in self.opportunities() {
            out.entry(o.account.clone()).or_default().push(o);
        }
        out
    }
}

fn usd(dollars: i64) -> Money {
    Money::from_minor(dollars * 100, Currency::USD)
}

/// The sample ICP: 15 criteria (12 weighted, 2 disqualifiers, 1 must-have), default A/B/C/D
/// tiers, unknown counts as a miss. Bands are nested rather than exclusive (a core industry
/// matches both industry criteria), so a perfect account can reach every point.
///
/// | criterion | effect | signal in the generator |
/// | --- | --- | --- |
/// | `target_industry` software, fintech, healthcare, logistics | 10 | yes |
/// | `core_industry` software, fintech | 20 | strong |
/// | `workable_size` 50 to 20,000 employees | 10 | yes |
/// | `sweet_spot_size` 200 to 5,000 | 10 | yes |
/// | `home_market` North America, Europe | 10 | yes |
/// | `runs_salesforce` | 10 | yes |
/// | `runs_snowflake` | 10 | yes |
/// | `revenue_20m_plus` | 2 | through size only |
/// | `cloud` aws, azure, gcp | 2 | none |
/// | `marketing_automation` hubspot, marketo | 2 | none |
/// | `four_plus_contacts` | 2 | none |
/// | `economic_buyer_known` | 2 | none |
/// | `public_sector` government, education | disqualifier | none (poor fit) |
/// | `micro` up to 9 employees | disqualifier | poor fit |
/// | `revenue_1m_plus` | must-have | poor fit below |
///
/// # Example
///
/// ```
/// use revops::facts::Account;
/// use revops::testkit::icp::sample_icp;
/// use revops::{AccountId, Currency, Money};
///
/// let mut ideal = Account::new(AccountId::new("A1")?);
/// ideal.industry = Some("software".to_owned());
/// ideal.employees = Some(1_000);
/// ideal.region = Some("north_america".to_owned());
/// ideal.annual_revenue = Some(Money::from_minor(50_000_000_00, Currency::USD));
/// ideal.technologies = Some(["salesforce", "snowflake"].map(str::to_owned).into());
/// let fit = sample_icp().score(&ideal)?;
/// assert_eq!(fit.points, 82); // the seven signal criteria (80) and revenue over $20M (2)
/// assert_eq!(fit.max_points, 90); // 7 signal criteria (80) and 5 small ones (2 each)
/// let mut public = ideal.clone();
/// public.industry = Some("government".to_owned()); // a disqualifier
/// let disqualified = sample_icp().score(&public)?;
/// assert_eq!((disqualified.points, disqualified.disqualified_by), (52, Some(12))); // scored, but disqualified
/// # Ok::<(), revops::Error>(())
/// ```
#[must_use]
#[allow(clippy::expect_used, clippy::missing_panics_doc)] // a constant definition, never input
pub fn sample_icp() -> Icp {
    Icp::builder("sample company core ICP")
        .points("target_industry", Condition::industry_in(["software", "fintech", "healthcare", "logistics"]), 10)
        .points("core_industry", Condition::industry_in(["software", "fintech"]), 20)
        .points("workable_size", Condition::employees(50..=20_000), 10)
        .points("sweet_spot_size", Condition::employees(200..=5_000), 10)
        .points("home_market", Condition::region_in(["north_america", "europe"]), 10)
        .points("runs_salesforce", Condition::technology_any(["salesforce"]), 10)
        .points("runs_snowflake", Condition::technology_any(["snowflake"]), 10)
        .points("revenue_20m_plus", Condition::annual_revenue(Some(usd(20_000_000)), None), 2)
        .points("cloud", Condition::technology_any(["aws", "azure", "gcp"]), 2)
        .points("marketing_automation", Condition::technology_any(["hubspot", "marketo"]), 2)
        .points("four_plus_contacts", Condition::number(CONTACTS_ATTRIBUTE, Some(Decimal::from(4)), None), 2)
        .points("economic_buyer_known", Condition::flag(ECONOMIC_BUYER_ATTRIBUTE, true), 2)
        .disqualifier("public_sector", Condition::industry_in(["government", "education"]))
        .disqualifier("micro", Condition::Employees { min: None, max: Some(9) })
        .must_have("revenue_1m_plus", Condition::annual_revenue(Some(usd(1_000_000)), None))
        .tiers(Tiers::letters())
        .build()
        .expect("the sample ICP is a fixed, valid definition (unit-tested)")
}

/// The sample buying group: one economic buyer, one champion, one decision maker and one
/// technical evaluator.
///
/// # Example
///
/// ```
/// use revops::facts::{BuyingRole, Contact};
/// use revops::testkit::icp::sample_buying_group;
/// use revops::ContactId;
///
/// let group = sample_buying_group();
/// assert_eq!(group.requirements().count(), 4);
/// let mut champion = Contact::new(ContactId::new("C1")?);
/// champion.roles.insert(BuyingRole::Champion);
/// let coverage = group.coverage([&champion]);
/// assert_eq!(coverage.covered, [BuyingRole::Champion]);
/// assert_eq!(coverage.ratio.to_string(), "1/4 (25.0%)");
/// assert!(!coverage.is_complete());
/// # Ok::<(), revops::Error>(())
/// ```
#[must_use]
#[allow(clippy::expect_used, clippy::missing_panics_doc)] // a constant definition, never input
pub fn sample_buying_group() -> BuyingGroup {
    BuyingGroup::new([
        (BuyingRole::EconomicBuyer, 1),
        (BuyingRole::Champion, 1),
        (BuyingRole::DecisionMaker, 1),
        (BuyingRole::TechnicalEvaluator, 1),
    ])
    .expect("the sample buying group is a fixed, valid definition (unit-tested)")
}

fn maybe<T: core::fmt::Debug + Clone>(s: impl Strategy<Value = T>) -> impl Strategy<Value = Option<T>> {
    prop_oneof![1 => Just(None), 5 => s.prop_map(Some)]
}

/// [`Account`] facts over the sample company's vocabularies, with ids `A00000` to `A09999`,
/// unknown fields (about one in six) and attributes of every type.
///
/// # Example
///
/// ```
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
/// use revops::testkit::icp;
///
/// let mut runner = TestRunner::deterministic();
/// for _ in 0..32 {
///     let account = icp::account().new_tree(&mut runner).map(|t| t.current());
///     assert!(account.is_ok_and(|a| a.id.as_str().starts_with('A') && a.id.as_str().len() == 6 && a.attributes.len() < 3));
/// }
/// ```
pub fn account() -> impl Strategy<Value = Account> {
    let pick = |values: &'static [&'static str]| proptest::sample::select(values).prop_map(str::to_owned);
    let countries: Vec<&str> = COUNTRIES.iter().map(|c| c.0).collect();
    let regions: Vec<&str> = COUNTRIES.iter().map(|c| c.1).collect();
    let attribute = prop_oneof![
        (0i64..20).prop_map(|n| AttributeValue::Number(Decimal::from(n))),
        any::<bool>().prop_map(AttributeValue::Flag),
        pick(&["Inc", "GmbH", "Ltd"]).prop_map(AttributeValue::Text),
    ];
    (
        (0u32..10_000).prop_map(|n| AccountId::trusted(format!("A{n:05}"))),
        maybe(pick(&INDUSTRIES)),
        maybe(prop_oneof![0u32..100, 0u32..60_000]),
        maybe((0i64..100_000_000).prop_map(|d| usd(d * 10))),
        maybe(proptest::sample::select(countries).prop_map(str::to_owned)),
        maybe(proptest::sample::select(regions).prop_map(str::to_owned)),
        maybe(proptest::sample::subsequence(&TECHNOLOGIES[..], 0..=TECHNOLOGIES.len())),
        proptest::collection::btree_map(pick(&[CONTACTS_ATTRIBUTE, "score", "legacy"]), attribute, 0..3),
    )
        .prop_map(|(id, industry, employees, annual_revenue, country, region, technologies, attributes)| Account {
            id,
            name: None,
            industry,
            employees,
            annual_revenue,
            country,
            region,
            technologies: technologies.map(|t| t.into_iter().map(str::to_owned).collect::<BTreeSet<_>>()),
            attributes,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_icp_and_group_build() {
        assert_eq!(sample_icp().criteria().len(), 15);
        assert_eq!(sample_icp().name(), "sample company core ICP");
        assert_eq!(sample_buying_group().requirements().count(), 4);
        assert_eq!(BuyingGroup::default().requirements().count(), 0);
    }

    #[test]
    fn facts_carry_every_field() {
        let company = Company::sample();
        let a = company.account(3);
        let p = a.account_fact();
        assert_eq!(p.id, a.id);
        assert_eq!(p.industry.as_deref(), Some(a.industry.as_str()));
        assert_eq!(p.technologies.as_ref().map(BTreeSet::len), Some(a.technologies.len()));
        assert_eq!(p.attributes.len(), 3);
        let contacts = a.contact_facts();
        assert_eq!(contacts.len(), a.contacts.len());
        assert!(contacts.iter().all(|c| c.account.as_ref() == Some(&a.id)));
        for o in company.opportunities().take(500) {
            let d = o.fact();
            d.check().unwrap();
            assert_eq!((d.account.as_ref(), d.amount), (Some(&o.account), o.amount));
            assert_eq!(d.status.is_closed(), !matches!(o.outcome, SampleOutcome::Open { .. }));
            if let (SampleOutcome::Lost { reason }, DealStatus::Lost { reason: typed }) = (&o.outcome, &d.status) {
                assert_eq!(typed.key(), reason.as_str());
            }
        }
    }
}
