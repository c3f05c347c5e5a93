//! The laws as proptests: the rows sum to the total, the total is the blended computation of
//! the same facts, and merge is associative, commutative and deterministic, with the partial
//! state round-tripping through serde.

use super::*;

/// (account 0..10, channel 0..4 with 3 = none, month 0..3, day).
type CustomerSpec = (usize, usize, usize, u32);
/// (channel 0..4, month 0..3, paid, minor units).
type SpendSpec = (usize, usize, bool, i64);
/// (account 0..12, minor units, active, churned).
type PeriodSpec = (usize, i64, bool, bool);

const CHANNELS: [&str; 3] = ["ads", "seo", "social"];
const MONTHS: [(i32, u32); 3] = [(2023, 12), (2024, 1), (2024, 2)];
const INSTANTS: [(u32, u32); 4] = [(1, 1), (1, 15), (2, 1), (2, 20)];

fn customer_of(&(a, ch, m, d): &CustomerSpec) -> AcquiredCustomer {
    let (y, mo) = MONTHS[m];
    let via = CHANNELS.get(ch).copied();
    // The deal names the channel, so two facts of one deal never differ.
    let deal = OpportunityId::new(format!("d{a}-{mo}-{d}-{ch}")).unwrap();
    let customer =
        NewCustomer::from_parts(account(&format!("a{a}")), deal, NaiveDate::from_ymd_opt(y, mo, d).unwrap(), ch < 2);
    AcquiredCustomer { customer, key: AcquisitionKey::FirstTouch, channel: via.map(channel) }
}

fn spend_of(&(ch, m, paid, minor): &SpendSpec) -> Spend {
    let (y, mo) = MONTHS[m];
    let kind = if paid { SpendKind::Paid } else { SpendKind::Tools };
    let line = Spend::new(month(y, mo), kind, Money::from_minor(minor, Currency::USD));
    match CHANNELS.get(ch) {
        Some(c) => line.on_channel(channel(c)),
        None => line,
    }
}

fn period_spec(&(a, minor, active, churned): &PeriodSpec) -> AccountPeriod {
    AccountPeriod {
        account: account(&format!("a{a}")),
        revenue: Money::from_minor(minor, Currency::USD),
        active_at_start: active,
        churned: active && churned,
    }
}

fn recurring_of((&(a, i), &minor): (&(usize, usize), &i64)) -> RecurringRevenue {
    let (m, d) = INSTANTS[i];
    RecurringRevenue::new(account(&format!("a{a}")), at(2024, m, d), Money::from_minor(minor, Currency::USD))
}

#[derive(Clone, Debug)]
struct Case {
    customers: Vec<CustomerSpec>,
    spend: Vec<SpendSpec>,
    periods: Vec<PeriodSpec>,
    recurring: BTreeMap<(usize, usize), i64>,
    lag: u32,
    revenue: Option<RevenueChurn>,
}

impl Case {
    fn terms(&self) -> AcquisitionValueTerms {
        let window = CacWindow { lag_months: self.lag, ..january() };
        let t = AcquisitionValueTerms::new(AcquisitionKey::FirstTouch, window, Currency::USD, dec!(0.75)).unwrap();
        match self.revenue {
            Some(basis) => t.with_revenue_churn(retention_terms(), basis),
            None => t,
        }
    }

    fn facts(&self) -> Vec<AcquisitionFact> {
        let mut facts: Vec<AcquisitionFact> = self.customers.iter().map(|c| customer_of(c).into()).collect();
        facts.extend(self.spend.iter().map(|s| spend_of(s).into()));
        facts.extend(self.periods.iter().map(|p| period_spec(p).into()));
        if self.revenue.is_some() {
            facts.extend(self.recurring.iter().map(|r| recurring_of(r).into()));
        }
        facts
    }
}

fn retention_terms() -> RetentionTerms {
    RetentionTerms::new(at(2024, 1, 1), at(2024, 2, 1), at(2024, 3, 1), Bucket::Month, Zone::UTC).unwrap()
}

fn cases() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec((0usize..10, 0usize..4, 0usize..3, 1u32..29), 0..14),
        prop::collection::vec((0usize..4, 0usize..3, any::<bool>(), 0i64..1_000_000), 0..10),
        prop::collection::vec((0usize..12, 0i64..100_000, any::<bool>(), any::<bool>()), 0..16),
        prop::collection::btree_map((0usize..12, 0usize..4), 0i64..100_000, 0..20),
        0u32..2,
        prop::option::of(prop_oneof![Just(RevenueChurn::Gross), Just(RevenueChurn::Net)]),
    )
        .prop_map(|(customers, spend, periods, recurring, lag, revenue)| Case {
            customers,
            spend,
            periods,
            recurring,
            lag,
            revenue,
        })
}

fn sum(money: impl Iterator<Item = Money>) -> Money {
    Money::checked_sum(money, Currency::USD).unwrap()
}

#[cfg(feature = "serde")]
fn state(t: &AcquisitionValueTally) -> String {
    serde_json::to_string(t).unwrap()
}

proptest! {
    #[test]
    fn rows_sum_to_the_blended_total(case in cases()) {
        let t = case.terms();
        let value = AcquisitionValueTally::new(t).tally(&case.facts())?;
        let rows = || value.by_key.values();
        let total = &value.total;
        prop_assert_eq!(rows().map(|r| r.cac.customers).sum::<u64>(), total.cac.customers);
        prop_assert_eq!(rows().map(|r| r.cac.paid_customers).sum::<u64>(), total.cac.paid_customers);
        prop_assert_eq!(sum(rows().map(|r| r.cac.spend)), total.cac.spend);
        prop_assert_eq!(sum(rows().map(|r| r.cac.paid_spend)), total.cac.paid_spend);
        prop_assert_eq!(rows().map(|r| r.arpa_churn.accounts).sum::<u64>(), total.arpa_churn.accounts);
        prop_assert_eq!(sum(rows().map(|r| r.arpa_churn.revenue)), total.arpa_churn.revenue);
        // The total is the blended computation: customers deduplicated by earliest first win.
        let mut first: BTreeMap<AccountId, NewCustomer> = BTreeMap::new();
        for c in case.customers.iter().map(customer_of) {
            let key = |n: &NewCustomer| (n.acquired_on(), n.deal().clone());
            let slot = first.entry(c.customer().account().clone()).or_insert_with(|| c.customer().clone());
            if key(c.customer()) < key(slot) { *slot = c.customer().clone(); }
        }
        let new: Vec<NewCustomer> = first.values().cloned().collect();
        let spend: Vec<Spend> = case.spend.iter().map(spend_of).collect();
        prop_assert_eq!(&total.cac, &cac(&spend, &new, t.window(), Currency::USD)?);
        let periods: Vec<AccountPeriod> = case.periods.iter().map(period_spec).collect();
        let blended = arpa_churn(&periods, Currency::USD)?;
        prop_assert_eq!(&total.arpa_churn, &blended);
        let expected = match case.revenue {
            None => match (blended.arpa, blended.churn.value()) {
                (Some(a), Some(c)) => Some(Ltv::simple(a, dec!(0.75), c)?),
                _ => None,
            },
            Some(basis) => {
                let facts: Vec<RecurringRevenue> = case.recurring.iter().map(recurring_of).collect();
                let retention = RetentionTally::new(retention_terms(), Currency::USD, BTreeMap::new()).tally(&facts)?;
                prop_assert_eq!(total.retention.as_ref(), Some(&retention.total));
                let cohort = || rows().filter_map(|r| r.retention.as_ref());
                prop_assert_eq!(cohort().map(|r| r.customers).sum::<u64>(), retention.total.customers);
                prop_assert_eq!(sum(cohort().map(|r| r.start_mrr)), retention.total.start_mrr);
                prop_assert_eq!(sum(cohort().map(|r| r.end_mrr)), retention.total.end_mrr);
                blended.arpa.map(|a| Ltv::from_revenue_churn(a, dec!(0.75), &retention.total, basis)).transpose()?.flatten()
            }
        };
        prop_assert_eq!(&total.ltv, &expected);
        let ratio = match (expected.and_then(|l| l.value), total.cac.blended) {
            (Some(l), Some(c)) => ltv_to_cac(l, c)?,
            _ => None,
        };
        prop_assert_eq!(total.ltv_to_cac_exact, ratio);
        let mut revenue_accounts: BTreeSet<AccountId> = periods.iter().map(|p| p.account.clone()).collect();
        if case.revenue.is_some() {
            revenue_accounts.extend(case.recurring.keys().map(|&(a, _)| account(&format!("a{a}"))));
        }
        let unacquired = revenue_accounts.iter().filter(|a| !first.contains_key(*a)).count();
        prop_assert_eq!(value.accounts_without_acquisition, unacquired as u64);
    }

    #[test]
    fn merge_is_associative_commutative_deterministic_and_serializes(
        case in cases(),
        split in prop::collection::vec(0usize..3, 60),
    ) {
        let t = case.terms();
        let facts = case.facts();
        let mut part = [AcquisitionValueTally::new(t), AcquisitionValueTally::new(t), AcquisitionValueTally::new(t)];
        for (i, fact) in facts.iter().enumerate() {
            part[split.get(i).copied().unwrap_or(0)].push(fact)?;
        }
        let [a, b, c] = part;
        #[cfg(feature = "serde")]
        let a = {
            let back: AcquisitionValueTally = serde_json::from_str(&state(&a)).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(state(&back), state(&a));
            back
        };
        let mut left = a.clone();
        left.merge(b.clone())?;
        left.merge(c.clone())?;
        let mut bc = b.clone();
        bc.merge(c)?;
        let mut right = a.clone();
        right.merge(bc)?;
        let (mut ab, mut ba) = (a.clone(), b.clone());
        ab.merge(b)?;
        ba.merge(a)?;
        let once = AcquisitionValueTally::new(t).tally(&facts)?;
        let reversed = AcquisitionValueTally::new(t).tally(facts.iter().rev())?;
        #[cfg(feature = "serde")]
        {
            prop_assert_eq!(state(&left), state(&right));
            prop_assert_eq!(state(&ab), state(&ba));
        }
        prop_assert_eq!(ab.finish()?, ba.finish()?);
        let result = left.finish()?;
        prop_assert_eq!(&result, &right.finish()?);
        prop_assert_eq!(&result, &once);
        prop_assert_eq!(&result, &reversed);
    }
}
