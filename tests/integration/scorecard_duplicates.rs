//! Records given more than once (in two partitions, or twice in one): equal copies count once,
//! differing copies are set aside by the sections that read them, whatever the push and merge
//! order; strict mode stops at them.

use std::sync::OnceLock;

use proptest::prelude::*;
use revops::agreement::Agreement;
use revops::agreement::scorecard::{Scorecard, Section};
use revops::facts::{BuyingRole, FactSet, SpendKind};
use revops::testkit::{Company, sample_agreement};
use revops::{Money, Record, SegmentId, Tally};

fn agreement() -> &'static Agreement {
    static AGREEMENT: OnceLock<Agreement> = OnceLock::new();
    AGREEMENT.get_or_init(|| sample_agreement().unwrap())
}

fn company() -> &'static Company {
    static COMPANY: OnceLock<Company> = OnceLock::new();
    COMPANY.get_or_init(|| Company::new(7, 300).unwrap())
}

/// The scorecard of `parts`, each pushed into its own tally, merged left to right.
fn chain(parts: &[&FactSet]) -> Scorecard {
    tree(parts, false)
}

/// The scorecard of `parts` merged as a tree: the last two first, then the rest into them
/// (`swap`: the right side is merged into the left instead).
fn tree(parts: &[&FactSet], right_first: bool) -> Scorecard {
    let mut tallies: Vec<_> = parts
        .iter()
        .map(|p| {
            let mut t = agreement().tally(company().as_of()).unwrap();
            t.push(p).unwrap();
            t
        })
        .collect();
    if right_first {
        while tallies.len() > 1 {
            let right = tallies.pop().unwrap();
            let mut left = tallies.pop().unwrap();
            left.merge(right).unwrap();
            tallies.push(left);
        }
    } else {
        let mut all = tallies.remove(0);
        for t in tallies {
            all.merge(t).unwrap();
        }
        tallies = vec![all];
    }
    tallies.pop().unwrap().finish().unwrap()
}

/// Every order of three parts, as chains and as trees, gives `expected`.
fn every_order_gives(parts: [&FactSet; 3], expected: &Scorecard) {
    let [a, b, c] = parts;
    for order in [[a, b, c], [a, c, b], [b, a, c], [b, c, a], [c, a, b], [c, b, a]] {
        assert_eq!(&chain(&order), expected);
        assert_eq!(&tree(&order, true), expected);
    }
}

fn strict_error(parts: &[&FactSet]) -> Option<String> {
    let mut all = agreement().tally(company().as_of()).unwrap().strict();
    for part in parts {
        let mut t = agreement().tally(company().as_of()).unwrap().strict();
        if let Err(e) = t.push(part) {
            return e.record().map(ToString::to_string);
        }
        if let Err(e) = all.merge(t) {
            return e.record().map(ToString::to_string);
        }
    }
    all.finish().err().and_then(|e| e.record().map(ToString::to_string))
}

fn excluded(card: &Scorecard, section: Section, record: &str) -> usize {
    card.exclusions().filter(|x| x.section == section && x.record.as_deref() == Some(record)).count()
}

/// The id of an account some handed-over lead belongs to.
fn handed_account(facts: &FactSet) -> usize {
    let mql =
        |lead: &revops::LeadId| facts.stage_changes.iter().any(|c| &c.entity == lead && c.stage.as_str() == "mql");
    let lead = facts.leads.iter().find(|l| l.account.is_some() && mql(&l.id)).unwrap();
    facts.accounts.iter().position(|a| Some(&a.id) == lead.account.as_ref()).unwrap()
}

#[test]
fn an_account_given_with_differing_copies_is_set_aside_in_every_order() {
    let facts = company().facts();
    let i = handed_account(&facts);
    let account = facts.accounts[i].clone();
    let mut other = account.clone();
    other.industry = Some("a different industry".to_owned());
    other.name = Some("another name".to_owned());
    let differing = FactSet { accounts: vec![other.clone()], ..FactSet::default() };
    let equal = FactSet { accounts: vec![account.clone()], ..FactSet::default() };
    let card = chain(&[&facts, &differing]);
    every_order_gives([&facts, &differing, &equal], &card);
    // The same two copies in one partition, in either order.
    let mut one = facts.clone();
    one.accounts.push(other.clone());
    assert_eq!(agreement().evaluate(&one, company().as_of()).unwrap(), card);
    one.accounts.swap(i, facts.accounts.len());
    assert_eq!(agreement().evaluate(&one, company().as_of()).unwrap(), card);
    // Named, once, by the sections reading what differs; counted in no tier.
    let record = Record::Account(account.id.clone()).to_string();
    assert_eq!(excluded(&card, Section::Icp, &record), 1);
    assert_eq!(excluded(&card, Section::Funnel, &record), 1);
    assert_eq!(card.exclusions().count(), 2, "{:?}", card.exclusions().collect::<Vec<_>>());
    let core = &card.icp.as_ref().unwrap().segments[&SegmentId::new("core").unwrap()];
    assert_eq!(core.accounts, company().account_count() as u64 - 1);
    let review = core.review.as_ref().unwrap();
    assert_eq!(review.outcomes.overall.accounts, company().account_count() as u64 - 1);
    assert_ne!(review.example.as_ref().map(|e| &e.account), Some(&account.id));
    // The glance counts it once: it reads the id only.
    assert_eq!(card.glance.as_ref().unwrap().accounts, company().account_count() as u64);
    assert_eq!(strict_error(&[&facts, &differing]), Some(record.clone()));
    assert_eq!(strict_error(&[&differing, &facts]), Some(record));
}

#[test]
fn equal_copies_in_several_partitions_count_once() {
    let facts = company().facts();
    let whole = agreement().evaluate(&facts, company().as_of()).unwrap();
    let again = FactSet { accounts: facts.accounts.clone(), contacts: facts.contacts.clone(), ..FactSet::default() };
    every_order_gives([&facts, &again, &again], &whole);
    let mut twice = facts.clone();
    twice.accounts.extend(facts.accounts.iter().cloned());
    twice.contacts.extend(facts.contacts.iter().cloned());
    twice.journeys.extend(facts.journeys.iter().take(50).cloned());
    let card = agreement().evaluate(&twice, company().as_of()).unwrap();
    // Journeys count as given in attribution and the glance; the joins read one copy.
    assert_eq!((&card.funnel, &card.icp, &card.hygiene), (&whole.funnel, &whole.icp, &whole.hygiene));
    assert_eq!(card.exclusions().count(), 0);
}

#[test]
fn a_contact_given_with_differing_copies_is_set_aside_and_left_out_of_its_deals() {
    let facts = company().facts();
    let contact = facts.contacts[0].clone();
    let mut other = contact.clone();
    other.roles = if other.roles.contains(&BuyingRole::Champion) {
        [BuyingRole::Blocker].into()
    } else {
        [BuyingRole::Champion].into()
    };
    let differing = FactSet { contacts: vec![other], ..FactSet::default() };
    let equal = FactSet { contacts: vec![contact.clone()], ..FactSet::default() };
    let card = chain(&[&facts, &differing]);
    every_order_gives([&differing, &facts, &equal], &card);
    let record = Record::Contact(contact.id.clone()).to_string();
    assert_eq!(excluded(&card, Section::Icp, &record), 1);
    assert_eq!(card.exclusions().count(), 1);
    // Its open deals are still read (without it).
    let whole = agreement().evaluate(&facts, company().as_of()).unwrap();
    let open = |c: &Scorecard| c.icp.as_ref().unwrap().coverage.as_ref().unwrap().open_deals;
    assert_eq!(open(&card), open(&whole));
    assert_eq!(strict_error(&[&differing, &facts]), Some(record));
}

#[test]
fn a_journey_given_twice_in_a_partition_with_differing_touches_is_set_aside() {
    let facts = company().facts();
    // The journey of a handed-over lead with a deal: read by the handoffs and the hygiene block.
    let read = |j: &&revops::facts::Journey| {
        facts.deals.iter().any(|d| d.lead.as_ref().is_some_and(|l| l.as_str() == j.id.as_str()))
            && facts.stage_changes.iter().any(|c| c.entity.as_str() == j.id.as_str() && c.stage.as_str() == "mql")
            && j.touches.len() > 1
    };
    let journey = facts.journeys.iter().find(read).unwrap().clone();
    let mut short = journey.clone();
    short.touches.truncate(1);
    let (mut after, mut before) = (facts.clone(), facts.clone());
    after.journeys.push(short.clone());
    before.journeys.insert(0, short);
    let card = agreement().evaluate(&after, company().as_of()).unwrap();
    assert_eq!(agreement().evaluate(&before, company().as_of()).unwrap(), card);
    let record = Record::Journey(journey.id.clone()).to_string();
    assert_eq!(excluded(&card, Section::Funnel, &record), 1);
    assert_eq!(excluded(&card, Section::Hygiene, &record), 1);
    assert!(agreement().evaluate_strict(&after, company().as_of()).is_err());
    // Equal copies are one journey to the joins.
    let mut equal = facts.clone();
    equal.journeys.push(journey);
    let (card, whole) = (
        agreement().evaluate(&equal, company().as_of()).unwrap(),
        agreement().evaluate(&facts, company().as_of()).unwrap(),
    );
    assert_eq!((&card.funnel, &card.hygiene), (&whole.funnel, &whole.hygiene));
}

#[test]
fn paid_spend_lines_of_one_channel_mark_it_paid_whatever_their_order() {
    let facts = company().facts();
    let line = facts.spend.iter().find(|s| s.kind == SpendKind::Paid && s.channel.is_some()).unwrap();
    let mut bigger = line.clone();
    bigger.amount = Money::from_minor(123_456, line.amount.currency());
    let mut smaller = line.clone();
    smaller.amount = Money::from_minor(1, line.amount.currency());
    let a = FactSet { spend: vec![bigger], ..FactSet::default() };
    let b = FactSet { spend: vec![smaller], ..FactSet::default() };
    let card = chain(&[&facts, &a, &b]);
    every_order_gives([&facts, &a, &b], &card);
    assert_eq!(card.exclusions().count(), 0);
}

/// Partitions of the company by lead cuts, each account in one partition and also copied
/// (equal) into the partitions `copies` picks, contacts, spend and recurring revenue in the
/// first (every third contact and fact copied into the last).
fn partitions(company: &Company, cuts: &[usize], copies: &[usize]) -> Vec<FactSet> {
    let leads = company.lead_count();
    let mut bounds: Vec<usize> = cuts.iter().map(|c| c % (leads + 1)).collect();
    bounds.extend([0, leads]);
    bounds.sort_unstable();
    let mut parts: Vec<FactSet> = bounds.windows(2).map(|w| company.lead_facts_in(w[0]..w[1])).collect();
    let facts = company.facts();
    let n = parts.len();
    for (i, account) in facts.accounts.into_iter().enumerate() {
        if let Some(&c) = copies.get(i % copies.len().max(1)) {
            parts[(i + c) % n].accounts.push(account.clone());
        }
        parts[i % n].accounts.push(account);
    }
    parts[0].contacts = facts.contacts;
    parts[n - 1].contacts.extend(company.facts().contacts.into_iter().step_by(3));
    parts[0].spend = facts.spend;
    // Recurring revenue in the first partition, every third fact copied (equal) into the last.
    parts[n - 1].recurring_revenue.extend(facts.recurring_revenue.iter().step_by(3).cloned());
    parts[0].recurring_revenue = facts.recurring_revenue;
    parts
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// Equal copies of accounts and contacts spread over partitions merged in any tree order
    /// give the scorecard of one pass.
    #[test]
    fn duplicated_equal_records_merged_in_any_order_give_one_pass(
        seed in 0u64..1_000,
        cuts in proptest::collection::vec(0usize..400, 1..5),
        copies in proptest::collection::vec(0usize..5, 0..4),
        order in proptest::collection::vec(any::<proptest::sample::Index>(), 8),
    ) {
        let company = Company::new(seed, 250).unwrap();
        let as_of = company.as_of();
        let whole = agreement().evaluate(&company.facts(), as_of).unwrap();
        let merged = super::scorecard::random_tree(agreement(), as_of, &partitions(&company, &cuts, &copies), &order);
        prop_assert_eq!(merged, whole);
    }
}
