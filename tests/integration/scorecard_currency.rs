//! The board in one currency through the agreement's rates (issue 16 item 7): money booked in
//! another currency gives the same board as the same money booked in the agreement's currency,
//! every rate used is named, a record without a rate is named and kept, partitions merge.

use revops::agreement::scorecard::{Scorecard, Section};
use revops::agreement::{Agreement, RateTerms};
use revops::facts::FactSet;
use revops::fx::{DateRule, Rate, RateTable, Rounding};
use revops::testkit::{Company, sample_agreement};
use revops::{Currency, ErrorKind, Money, Tally};
use rust_decimal::Decimal;

/// 1 EUR = 0.5 USD from 2000 on: a USD amount is twice as many euros, exactly, and back.
fn half() -> Rate {
    Rate::new(Currency::EUR, Currency::USD, Decimal::new(5, 1), "2000-01-01".parse().unwrap()).unwrap()
}

fn with_rates() -> Agreement {
    let mut parts = sample_agreement().unwrap().parts().clone();
    let table = RateTable::new(None, Rounding::HalfAwayFromZero, [half()]).unwrap();
    parts.rates = Some(RateTerms { table, date_rule: DateRule::CloseDate });
    Agreement::new(parts).unwrap()
}

/// `money` in euros at [`half`]'s rate.
fn euros(money: Money) -> Money {
    Money::new(money.amount() * Decimal::TWO, Currency::EUR)
}

/// Every other money value of `facts` booked in euros instead; the number of values moved.
fn in_euros(facts: &FactSet) -> (FactSet, u64) {
    let mut out = facts.clone();
    let mut moved = 0;
    let mut flip = |i: usize, money: &mut Money| {
        if i.is_multiple_of(2) {
            *money = euros(*money);
            moved += 1;
        }
    };
    for (i, deal) in out.deals.iter_mut().enumerate() {
        flip(i, &mut deal.amount);
    }
    for (i, spend) in out.spend.iter_mut().enumerate() {
        flip(i, &mut spend.amount);
    }
    for (i, conversion) in out.journeys.iter_mut().filter_map(|j| j.conversion.as_mut()).enumerate() {
        flip(i, &mut conversion.value);
    }
    for (i, revenue) in out.accounts.iter_mut().filter_map(|a| a.annual_revenue.as_mut()).enumerate() {
        flip(i, revenue);
    }
    for (i, fact) in out.recurring_revenue.iter_mut().enumerate() {
        flip(i, &mut fact.mrr);
    }
    (out, moved)
}

/// The board without its currency section (what every other section says).
fn sections(mut card: Scorecard) -> Scorecard {
    card.currency = None;
    card
}

#[test]
fn money_booked_in_euros_gives_the_board_of_the_same_money_in_dollars_and_names_its_rate() {
    let company = Company::new(42, 1_000).unwrap();
    let agreement = with_rates();
    let facts = company.facts();
    let (mixed, moved) = in_euros(&facts);
    assert!(moved > 400, "{moved}");
    let dollars = agreement.evaluate(&facts, company.as_of()).unwrap();
    let card = agreement.evaluate(&mixed, company.as_of()).unwrap();
    let currency = card.currency.clone().unwrap();
    assert_eq!(
        (currency.currency, currency.date_rule, currency.converted),
        (Currency::USD, DateRule::CloseDate, moved)
    );
    assert_eq!(currency.rates_used, vec![half()]);
    assert!(currency.excluded.is_empty());
    // Nothing converted in the all-dollar facts, and every section of the two boards agrees.
    let none = dollars.currency.clone().unwrap();
    assert_eq!((none.converted, none.rates_used.len()), (0, 0));
    assert_eq!(sections(card.clone()), sections(dollars));
    assert!(card.exclusions().next().is_none());
    // Without the rates, the euro records are set aside by the sections that sum money.
    let plain = sample_agreement().unwrap().evaluate(&mixed, company.as_of()).unwrap();
    assert!(plain.currency.is_none());
    assert!(plain.exclusions().any(|x| x.section == Section::Deals));
}

#[test]
fn a_record_without_a_rate_is_named_kept_in_its_currency_and_strict_mode_stops_at_it() {
    let company = Company::new(42, 300).unwrap();
    let agreement = with_rates();
    let mut facts = company.facts();
    let deal = facts.deals.iter_mut().find(|d| d.closed_at.is_some()).unwrap();
    deal.amount = Money::new(deal.amount.amount(), Currency::GBP);
    let id = deal.id.to_string();
    let card = agreement.evaluate(&facts, company.as_of()).unwrap();
    let currency = card.currency.as_ref().unwrap();
    assert_eq!(currency.excluded.len(), 1);
    let x = &currency.excluded[0];
    assert_eq!((x.section, x.record_kind.as_deref()), (Section::Currency, Some("deal")));
    assert!(x.record.as_deref().is_some_and(|r| r.contains(&id)) && x.error.contains("GBP"), "{x:?}");
    // Kept as given: the deal sections set it aside as in another currency, naming it too.
    assert!(card.deals.excluded.iter().any(|e| e.record.as_deref().is_some_and(|r| r.contains(&id))));
    let err = agreement.evaluate_strict(&facts, company.as_of()).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::NoRate { from: Currency::GBP, to: Currency::USD, .. }), "{err}");
}

#[test]
fn partitions_convert_on_their_own_and_merge_to_one_pass() {
    let company = Company::new(42, 400).unwrap();
    let agreement = with_rates();
    let all = company.facts();
    let (mixed, _) = in_euros(&all);
    let one_pass = agreement.evaluate(&mixed, company.as_of()).unwrap();
    // By lead, with each lead's deals and journeys; the independent records in a third part.
    let part = |range| in_euros(&company.lead_facts_in(range)).0;
    let (mut left, mut right, mut rest) = (
        agreement.tally(company.as_of()).unwrap(),
        agreement.tally(company.as_of()).unwrap(),
        agreement.tally(company.as_of()).unwrap(),
    );
    left.push(&part(0..150)).unwrap();
    right.push(&part(150..400)).unwrap();
    let independent = FactSet {
        accounts: mixed.accounts.clone(),
        contacts: mixed.contacts.clone(),
        spend: mixed.spend.clone(),
        recurring_revenue: mixed.recurring_revenue.clone(),
        ..FactSet::default()
    };
    rest.push(&independent).unwrap();
    right.merge(rest).unwrap();
    left.merge(right).unwrap();
    let merged = left.finish().unwrap();
    // The split re-denominates other records than one pass does, so compare the sections.
    assert_eq!(sections(merged.clone()), sections(one_pass));
    assert_eq!(merged.currency.unwrap().rates_used, vec![half()]);
}

#[test]
fn rates_are_part_of_the_document_checked_against_the_kpi_currency() {
    let agreement = with_rates();
    let toml = toml::to_string(&agreement).unwrap();
    assert!(toml.contains("[rates"), "{toml}");
    let back: Agreement = toml::from_str(&toml).unwrap();
    assert_eq!(back.fingerprint(), agreement.fingerprint());
    assert_ne!(agreement.fingerprint(), sample_agreement().unwrap().fingerprint());
    let changes = sample_agreement().unwrap().diff(&agreement);
    assert!(changes.iter().any(|c| c.to_string().contains("currency rates")), "{changes:?}");
    // Rates convert into the KPI currency: without one they are refused, naming the part.
    let mut parts = agreement.parts().clone();
    parts.kpis.currency = None;
    let err = Agreement::new(parts).unwrap_err();
    assert!(err.to_string().contains("rates"), "{err}");
    // And a part that reads another currency would see none of the converted money.
    let mut parts = agreement.parts().clone();
    parts.attribution.currency = Some(Currency::EUR);
    let err = Agreement::new(parts.clone()).unwrap_err();
    assert!(err.to_string().contains("attribution.currency"), "{err}");
    parts.rates = None;
    assert!(Agreement::new(parts).is_ok(), "without rates, attribution may read euros");
}
