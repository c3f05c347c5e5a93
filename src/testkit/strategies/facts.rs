//! Proptest strategies for every fact type of [`crate::facts`]: each value is valid (it passes
//! its type's own check, where the type has one) and serializes to JSON and back exactly.
//!
//! Instants lie in 2020 to 2029 and are whole seconds three times in four, with nanoseconds
//! otherwise; amounts are whole cents of USD (so one tally can take them all).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use proptest::option::of as maybe;
use proptest::prelude::*;
use rust_decimal::Decimal;

use super::{account_id, campaign_id, channel_id, contact_id, lead_id, opportunity_id};
use crate::facts::{
    Account, AttributeValue, BuyingRole, Contact, Conversion, Deal, DealStatus, Disposition, DispositionOutcome,
    ForecastCategory, Journey, Lead, Milestones, Origin, Reason, RecurringRevenue, Response, ResponseKind, Role, Roles,
    Spend, SpendKind, StageChange, Touchpoint,
};
use crate::testkit::{COUNTRIES, INDUSTRIES, SampleStage, TECHNOLOGIES};
use crate::{Currency, JourneyId, Money, Period, Probability, StageId};

/// 2020-01-01T00:00:00Z.
const FROM: i64 = 1_577_836_800;
/// Ten years of seconds.
const SPAN: i64 = 10 * 365 * 86_400;

/// An instant in 2020 to 2029: whole seconds three times in four, with nanoseconds otherwise.
///
/// # Example
///
/// ```
/// use proptest::{strategy::{Strategy, ValueTree}, test_runner::TestRunner};
/// use chrono::Datelike;
/// use revops::testkit::strategies as s;
/// let t = s::instant().new_tree(&mut TestRunner::deterministic()).map(|t| t.current());
/// assert!(t.is_ok_and(|t| (2020..2030).contains(&t.year())));
/// ```
pub fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    prop_oneof![
        3 => (0..SPAN).prop_map(|s| at(s, 0)),
        1 => (0..SPAN, 0u32..1_000_000_000).prop_map(|(s, n)| at(s, n)),
    ]
}

fn at(secs: i64, nanos: u32) -> DateTime<Utc> {
    DateTime::from_timestamp(FROM + secs, nanos).unwrap_or_default()
}

/// A gap of zero to 90 days, in whole seconds (zero one time in eight: equal instants occur).
fn gap() -> impl Strategy<Value = TimeDelta> {
    prop_oneof![1 => Just(TimeDelta::zero()), 7 => (1i64..90 * 86_400).prop_map(TimeDelta::seconds)]
}

/// Non-negative USD, whole cents, up to a billion dollars (zero included).
///
/// # Example
///
/// ```
/// use proptest::{strategy::{Strategy, ValueTree}, test_runner::TestRunner};
/// use revops::{Currency, testkit::strategies as s};
/// let m = s::usd().new_tree(&mut TestRunner::deterministic()).map(|t| t.current());
/// assert!(m.is_ok_and(|m| m.currency() == Currency::USD && !m.is_negative()));
/// ```
pub fn usd() -> impl Strategy<Value = Money> {
    prop_oneof![
        1 => Just(Money::from_minor(0, Currency::USD)),
        9 => (0i64..100_000_000_000).prop_map(|cents| Money::from_minor(cents, Currency::USD)),
    ]
}

/// A stage key: one of the sample company's [`SampleStage`] keys. Example: [`journey_id`].
pub fn stage_id() -> impl Strategy<Value = StageId> {
    proptest::sample::select(&SampleStage::ALL[..]).prop_map(|s| StageId::trusted(s.as_str().to_owned()))
}

/// A journey id (`L`-numbered, as the sample company names them).
///
/// # Example
///
/// ```
/// use proptest::{strategy::{Strategy, ValueTree}, test_runner::TestRunner};
/// use revops::{testkit::SampleStage, testkit::strategies as s};
/// let stage = s::stage_id().new_tree(&mut TestRunner::deterministic()).map(|t| t.current());
/// let journey = s::journey_id().new_tree(&mut TestRunner::deterministic()).map(|t| t.current());
/// assert!(stage.is_ok_and(|id| SampleStage::ALL.iter().any(|st| st.as_str() == id.as_str())));
/// assert!(journey.is_ok_and(|j| j.as_str().starts_with('L')));
/// ```
pub fn journey_id() -> impl Strategy<Value = JourneyId> {
    "L[0-9]{1,8}".prop_map(JourneyId::trusted)
}

/// A custom attribute value: text (possibly empty), a decimal number of either sign with up
/// to six decimals, or a flag.
///
/// # Example
///
/// ```
/// use proptest::{strategy::{Strategy, ValueTree}, test_runner::TestRunner};
/// use revops::{facts::AttributeValue, testkit::strategies as s};
/// let v = s::attribute_value().new_tree(&mut TestRunner::deterministic()).map(|t| t.current());
/// assert!(v.is_ok_and(|v| !matches!(v, AttributeValue::Number(n) if n.scale() > 6)));
/// ```
pub fn attribute_value() -> impl Strategy<Value = AttributeValue> {
    prop_oneof![
        "[A-Za-z ]{0,12}".prop_map(AttributeValue::Text),
        (any::<i64>(), 0u32..=6).prop_map(|(m, s)| AttributeValue::Number(Decimal::new(m, s))),
        any::<bool>().prop_map(AttributeValue::Flag),
    ]
}

/// An account: any subset of firmographics known (sample industries, countries and regions,
/// headcount up to a million, revenue in USD), technographics unknown, empty or some sample
/// technologies, and up to four custom attributes.
///
/// # Example
///
/// ```
/// use proptest::{strategy::{Strategy, ValueTree}, test_runner::TestRunner};
/// use revops::testkit::strategies as s;
/// let a = s::account().new_tree(&mut TestRunner::deterministic()).map(|t| t.current());
/// assert!(a.is_ok_and(|a| a.employees.is_none_or(|e| e <= 1_000_000) && a.attributes.len() <= 4));
/// ```
pub fn account() -> impl Strategy<Value = Account> {
    let technologies = maybe(proptest::collection::btree_set(
        proptest::sample::select(&TECHNOLOGIES[..]).prop_map(str::to_owned),
        0..=4,
    ));
    let attributes = proptest::collection::btree_map("[a-z_]{1,12}", attribute_value(), 0..=4);
    (
        account_id(),
        maybe("[A-Z][a-z]{1,8} (Inc|GmbH|Ltd)"),
        maybe(proptest::sample::select(&INDUSTRIES[..]).prop_map(str::to_owned)),
        maybe(0u32..1_000_000),
        maybe(usd()),
        maybe(proptest::sample::select(&COUNTRIES[..])),
        technologies,
        attributes,
    )
        .prop_map(|(id, name, industry, employees, annual_revenue, place, technologies, attributes)| Account {
            id,
            name,
            industry,
            employees,
            annual_revenue,
            country: place.map(|(c, _)| c.to_owned()),
            region: place.map(|(_, r)| r.to_owned()),
            technologies,
            attributes: attributes.into_iter().collect::<BTreeMap<_, _>>(),
        })
}

/// A buying role, any of [`BuyingRole::ALL`].
///
/// # Example
///
/// ```
/// use proptest::{strategy::{Strategy, ValueTree}, test_runner::TestRunner};
/// use revops::{facts::BuyingRole, testkit::strategies as s};
/// let r = s::buying_role().new_tree(&mut TestRunner::deterministic()).map(|t| t.current());
/// assert!(r.is_ok_and(|r| BuyingRole::ALL.contains(&r)));
/// ```
pub fn buying_role() -> impl Strategy<Value = BuyingRole> {
    proptest::sample::select(&BuyingRole::ALL[..])
}

/// A contact: at an account or not, a title or not, zero to four buying roles.
///
/// # Example
///
/// ```
/// use proptest::{strategy::{Strategy, ValueTree}, test_runner::TestRunner};
/// use revops::testkit::strategies as s;
/// let c = s::contact().new_tree(&mut TestRunner::deterministic()).map(|t| t.current());
/// assert!(c.is_ok_and(|c| c.roles.len() <= 4));
/// ```
pub fn contact() -> impl Strategy<Value = Contact> {
    (contact_id(), maybe(account_id()), maybe("[A-Z][a-z]{2,10}( [A-Z][a-z]{2,10})?"), buying_roles())
        .prop_map(|(id, account, title, roles)| Contact { id, account, title, roles })
}

fn buying_roles() -> impl Strategy<Value = BTreeSet<BuyingRole>> {
    proptest::collection::btree_set(buying_role(), 0..=4)
}

/// A lead: created at an [`instant`], with or without a source, owner, account and contact.
///
/// # Example
///
/// ```
/// use proptest::{strategy::{Strategy, ValueTree}, test_runner::TestRunner};
/// use chrono::Datelike;
/// use revops::testkit::strategies as s;
/// let l = s::lead().new_tree(&mut TestRunner::deterministic()).map(|t| t.current());
/// assert!(l.is_ok_and(|l| (2020..2030).contains(&l.created_at.year())));
/// ```
pub fn lead() -> impl Strategy<Value = Lead> {
    (lead_id(), instant(), maybe(channel_id()), maybe("[a-z_]{3,12}"), maybe(account_id()), maybe(contact_id()))
        .prop_map(|(id, created_at, source, owner, account, contact)| Lead {
            id,
            created_at,
            source,
            owner,
            account,
            contact,
        })
}

/// A lead entering one of the sample company's stages at an [`instant`].
///
/// # Example
///
/// ```
/// use proptest::{strategy::{Strategy, ValueTree}, test_runner::TestRunner};
/// use revops::{testkit::SampleStage, testkit::strategies as s};
/// let c = s::stage_change().new_tree(&mut TestRunner::deterministic()).map(|t| t.current());
/// assert!(c.is_ok_and(|c| SampleStage::ALL.iter().any(|st| st.as_str() == c.stage.as_str())));
/// ```
pub fn stage_change() -> impl Strategy<Value = StageChange> {
    (lead_id(), stage_id(), instant()).prop_map(|(entity, stage, at)| StageChange { entity, stage, at })
}

/// A milestone role. Example: [`roles`].
pub fn role() -> impl Strategy<Value = Role> {
    proptest::sample::select(&Role::ALL[..])
}

/// Any set of roles (all sixteen).
///
/// # Example
///
/// ```
/// use proptest::{strategy::{Strategy, ValueTree}, test_runner::TestRunner};
/// use revops::{facts::Role, testkit::strategies as s};
/// let role = s::role().new_tree(&mut TestRunner::deterministic()).map(|t| t.current());
/// let roles = s::roles().new_tree(&mut TestRunner::deterministic()).map(|t| t.current());
/// assert!(role.is_ok_and(|r| Role::ALL.contains(&r)) && roles.is_ok_and(|r| r.iter().all(|x| Role::ALL.contains(&x))));
/// ```
pub fn roles() -> impl Strategy<Value = Roles> {
    (0u8..16).prop_map(Roles::from_bits)
}

/// A touch at an [`instant`] on a sample channel, with or without a campaign and a contact,
/// with any roles.
///
/// # Example
///
/// ```
/// use proptest::{strategy::{Strategy, ValueTree}, test_runner::TestRunner};
/// use revops::{testkit::CHANNELS, testkit::strategies as s};
/// let t = s::touchpoint().new_tree(&mut TestRunner::deterministic()).map(|t| t.current());
/// assert!(t.is_ok_and(|t| CHANNELS.contains(&t.channel.as_str())));
/// ```
pub fn touchpoint() -> impl Strategy<Value = Touchpoint> {
    touch_at(instant())
}

fn touch_at(at: impl Strategy<Value = DateTime<Utc>>) -> impl Strategy<Value = Touchpoint> {
    (at, channel_id(), maybe(campaign_id()), maybe(contact_id()), roles())
        .prop_map(|(at, channel, campaign, contact, roles)| Touchpoint { at, channel, campaign, contact, roles })
}

/// A valid journey ([`Journey::check`] passes): zero to twelve touches in time order (equal
/// instants occur), converting one time in two, at or after its last touch (sometimes at the
/// same instant), for [`usd`]; a converting journey has at least one touch. Milestones are
/// each present or not, anywhere in the journey's span; the account is present or not.
///
/// # Example
///
/// ```
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
/// use revops::testkit::strategies;
///
/// let mut runner = TestRunner::deterministic();
/// for _ in 0..64 {
///     let journey = strategies::journey().new_tree(&mut runner).map(|t| t.current());
///     assert!(journey.is_ok_and(|j| j.check().is_ok()));
/// }
/// ```
pub fn journey() -> impl Strategy<Value = Journey> {
    let touches = (instant(), proptest::collection::vec((gap(), touchpoint()), 0..=12)).prop_map(|(start, raw)| {
        let mut at = start;
        raw.into_iter()
            .map(|(gap, mut touch)| {
                at = at.checked_add_signed(gap).unwrap_or(at);
                touch.at = at;
                touch
            })
            .collect::<Vec<_>>()
    });
    let milestone = || maybe(gap());
    (journey_id(), maybe(account_id()), touches, maybe((gap(), usd())), (milestone(), milestone(), milestone()))
        .prop_map(|(id, account, touches, conversion, (lead, opportunity, won))| {
            let first = touches.first().map(|t| t.at);
            let last = touches.last().map(|t| t.at);
            let conversion = match (conversion, last) {
                (Some((after, value)), Some(last)) => {
                    Some(Conversion { at: last.checked_add_signed(after).unwrap_or(last), value })
                }
                _ => None,
            };
            let from = |d: Option<TimeDelta>| first.zip(d).and_then(|(f, d)| f.checked_add_signed(d));
            Journey {
                id,
                account,
                conversion,
                milestones: Milestones {
                    lead_created: from(lead),
                    opportunity_created: from(opportunity),
                    closed_won: conversion.and(from(won)),
                },
                touches,
            }
        })
}

/// A reason: any key of [`Reason::KEYS`] (but `other`), or [`Reason::Other`] with free text.
///
/// # Example
///
/// ```
/// use proptest::{strategy::{Strategy, ValueTree}, test_runner::TestRunner};
/// use revops::{facts::Reason, testkit::strategies as s};
/// let r = s::reason().new_tree(&mut TestRunner::deterministic()).map(|t| t.current());
/// assert!(r.is_ok_and(|r| matches!(r, Reason::Other(_)) || Reason::KEYS.contains(&r.key())));
/// ```
pub fn reason() -> impl Strategy<Value = Reason> {
    let keyed: Vec<Reason> = Reason::KEYS.iter().filter_map(|k| Reason::from_key(k)).collect();
    prop_oneof![
        8 => proptest::sample::select(keyed),
        1 => "[a-z][a-z ]{0,19}".prop_map(Reason::Other),
    ]
}

/// A probability: a percent with up to two decimals, 0 and 100 included.
///
/// # Example
///
/// ```
/// use proptest::{strategy::{Strategy, ValueTree}, test_runner::TestRunner};
/// use rust_decimal::Decimal;
/// use revops::testkit::strategies as s;
/// let p = s::probability().new_tree(&mut TestRunner::deterministic()).map(|t| t.current());
/// assert!(p.is_ok_and(|p| (Decimal::ZERO..=Decimal::ONE).contains(&p.fraction())));
/// ```
pub fn probability() -> impl Strategy<Value = Probability> {
    prop_oneof![
        1 => Just(Probability::ZERO),
        1 => Just(Probability::ONE),
        6 => (0i64..=10_000).prop_filter_map("in range", |bp| Probability::from_percent_decimal(Decimal::new(bp, 2)).ok()),
    ]
}

/// A deal status: open with a [`probability`], won, or lost with a [`reason`].
///
/// # Example
///
/// ```
/// use proptest::{strategy::{Strategy, ValueTree}, test_runner::TestRunner};
/// use revops::{facts::DealStatus, testkit::strategies as s};
/// let st = s::deal_status().new_tree(&mut TestRunner::deterministic()).map(|t| t.current());
/// assert!(st.is_ok_and(|st| st.is_closed() != matches!(st, DealStatus::Open { .. })));
/// ```
pub fn deal_status() -> impl Strategy<Value = DealStatus> {
    prop_oneof![
        2 => probability().prop_map(|probability| DealStatus::Open { probability }),
        1 => Just(DealStatus::Won),
        2 => reason().prop_map(DealStatus::lost),
    ]
}

/// An origin. Example: [`forecast_category`].
pub fn origin() -> impl Strategy<Value = Origin> {
    proptest::sample::select(&Origin::ALL[..])
}

/// A forecast category.
///
/// # Example
///
/// ```
/// use proptest::{strategy::{Strategy, ValueTree}, test_runner::TestRunner};
/// use revops::{facts::{ForecastCategory, Origin}, testkit::strategies as s};
/// let origin = s::origin().new_tree(&mut TestRunner::deterministic()).map(|t| t.current());
/// let category = s::forecast_category().new_tree(&mut TestRunner::deterministic()).map(|t| t.current());
/// assert!(origin.is_ok_and(|o| Origin::ALL.contains(&o)) && category.is_ok_and(|c| ForecastCategory::ALL.contains(&c)));
/// ```
pub fn forecast_category() -> impl Strategy<Value = ForecastCategory> {
    proptest::sample::select(&ForecastCategory::ALL[..])
}

/// A valid deal ([`Deal::check`] passes): a [`deal_status`]; a closed deal closes at or after
/// its creation (sometimes at the same instant), an open one has no `closed_at` and an
/// expected close date or not; a [`usd`] amount; every optional field present or not.
///
/// # Example
///
/// ```
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
/// use revops::testkit::strategies;
///
/// let mut runner = TestRunner::deterministic();
/// for _ in 0..64 {
///     let deal = strategies::deal().new_tree(&mut runner).map(|t| t.current());
///     assert!(deal.is_ok_and(|d| d.check().is_ok()));
/// }
/// ```
pub fn deal() -> impl Strategy<Value = Deal> {
    (
        (opportunity_id(), instant(), usd(), deal_status(), gap(), maybe(gap())),
        (any::<bool>(), origin(), maybe(channel_id()), maybe(account_id()), maybe(lead_id())),
        (maybe(stage_id()), maybe(forecast_category()), proptest::collection::vec(contact_id(), 0..3)),
    )
        .prop_map(
            |(
                (id, created_at, amount, status, cycle, expected),
                (qualified, origin, source, account, lead),
                (stage, forecast_category, contacts),
            )| {
                let closed = status.is_closed();
                let closed_at = closed.then(|| created_at.checked_add_signed(cycle).unwrap_or(created_at));
                let close_date: Option<NaiveDate> = if closed {
                    None
                } else {
                    expected.and_then(|d| created_at.checked_add_signed(d)).map(|t| t.date_naive())
                };
                Deal {
                    id,
                    created_at,
                    closed_at,
                    close_date,
                    amount,
                    status,
                    qualified,
                    origin,
                    source,
                    account,
                    lead,
                    stage,
                    forecast_category,
                    contacts,
                }
            },
        )
}

/// A disposition outcome: accepted, or rejected or recycled with a [`reason`]. Example: [`disposition`].
pub fn disposition_outcome() -> impl Strategy<Value = DispositionOutcome> {
    prop_oneof![
        2 => Just(DispositionOutcome::Accepted),
        2 => reason().prop_map(|reason| DispositionOutcome::Rejected { reason }),
        1 => reason().prop_map(|reason| DispositionOutcome::Recycled { reason }),
    ]
}

/// A disposition of a lead at an [`instant`].
///
/// # Example
///
/// ```
/// use proptest::{strategy::{Strategy, ValueTree}, test_runner::TestRunner};
/// use revops::{facts::DispositionOutcome, testkit::strategies as s};
/// let outcome = s::disposition_outcome().new_tree(&mut TestRunner::deterministic()).map(|t| t.current());
/// assert!(outcome.is_ok_and(|o| matches!(o, DispositionOutcome::Accepted) == o.reason().is_none()));
/// let d = s::disposition().new_tree(&mut TestRunner::deterministic()).map(|t| t.current());
/// assert!(d.is_ok_and(|d| d.lead.as_str().starts_with('L')));
/// ```
pub fn disposition() -> impl Strategy<Value = Disposition> {
    (lead_id(), instant(), disposition_outcome()).prop_map(|(lead, at, outcome)| Disposition { lead, at, outcome })
}

/// A response kind. Example: [`response`].
pub fn response_kind() -> impl Strategy<Value = ResponseKind> {
    proptest::sample::select(vec![
        ResponseKind::Call,
        ResponseKind::Email,
        ResponseKind::Meeting,
        ResponseKind::Message,
        ResponseKind::Other,
    ])
}

/// A sales touch on a lead at an [`instant`], by someone recorded or not.
///
/// # Example
///
/// ```
/// use proptest::{strategy::{Strategy, ValueTree}, test_runner::TestRunner};
/// use revops::testkit::strategies as s;
/// let kind = s::response_kind().new_tree(&mut TestRunner::deterministic()).map(|t| t.current());
/// assert!(kind.is_ok_and(|k| ["call", "email", "meeting", "message", "other"].contains(&k.as_str())));
/// let r = s::response().new_tree(&mut TestRunner::deterministic()).map(|t| t.current());
/// assert!(r.is_ok_and(|r| r.lead.as_str().starts_with('L') && r.by.as_ref().is_none_or(|b| !b.is_empty())));
/// ```
pub fn response() -> impl Strategy<Value = Response> {
    (lead_id(), instant(), response_kind(), maybe("[a-z_]{3,12}")).prop_map(|(lead, at, kind, by)| Response {
        lead,
        at,
        kind,
        by,
    })
}

/// A spend kind. Example: [`spend`].
pub fn spend_kind() -> impl Strategy<Value = SpendKind> {
    proptest::sample::select(vec![
        SpendKind::Paid,
        SpendKind::MarketingPeople,
        SpendKind::SalesPeople,
        SpendKind::Tools,
        SpendKind::Other,
    ])
}

/// A valid period: from an [`instant`], zero to 90 days long (empty periods occur).
///
/// # Example
///
/// ```
/// use proptest::{strategy::{Strategy, ValueTree}, test_runner::TestRunner};
/// use chrono::TimeDelta;
/// use revops::testkit::strategies as s;
/// let p = s::period().new_tree(&mut TestRunner::deterministic()).map(|t| t.current());
/// assert!(p.is_ok_and(|p| p.end() - p.start() <= TimeDelta::days(90)));
/// ```
pub fn period() -> impl Strategy<Value = Period> {
    (instant(), gap())
        .prop_filter_map("in range", |(start, length)| Period::new(start, start.checked_add_signed(length)?).ok())
}

/// Spend of any kind over a [`period`], a [`usd`] amount, traced to a channel and a campaign
/// or not.
///
/// # Example
///
/// ```
/// use proptest::{strategy::{Strategy, ValueTree}, test_runner::TestRunner};
/// use revops::{Currency, facts::SpendKind, testkit::strategies as s};
/// let kind = s::spend_kind().new_tree(&mut TestRunner::deterministic()).map(|t| t.current());
/// assert!(kind.is_ok_and(|k| matches!(k, SpendKind::Paid | SpendKind::MarketingPeople | SpendKind::SalesPeople | SpendKind::Tools | SpendKind::Other)));
/// let sp = s::spend().new_tree(&mut TestRunner::deterministic()).map(|t| t.current());
/// assert!(sp.is_ok_and(|sp| sp.amount.currency() == Currency::USD && !sp.amount.is_negative()));
/// ```
pub fn spend() -> impl Strategy<Value = Spend> {
    (period(), spend_kind(), usd(), maybe(channel_id()), maybe(campaign_id()))
        .prop_map(|(period, kind, amount, channel, campaign)| Spend { period, kind, amount, channel, campaign })
}

/// A customer's MRR from an [`instant`] on: an [`account_id`], a [`usd`] amount (zero, a
/// churn, one time in ten).
///
/// # Example
///
/// ```
/// use proptest::{strategy::{Strategy, ValueTree}, test_runner::TestRunner};
/// use revops::testkit::strategies as s;
/// let r = s::recurring_revenue().new_tree(&mut TestRunner::deterministic()).map(|t| t.current());
/// assert!(r.is_ok_and(|r| r.check().is_ok() && r.account.as_str().starts_with('A')));
/// ```
pub fn recurring_revenue() -> impl Strategy<Value = RecurringRevenue> {
    (account_id(), instant(), usd()).prop_map(|(account, at, mrr)| RecurringRevenue::new(account, at, mrr))
}
