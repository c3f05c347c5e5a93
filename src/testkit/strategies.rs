//! Proptest strategies for the crate's public fact types.
//!
//! Every fact type of [`crate::facts`] has one ([`account`], [`contact`], [`lead`],
//! [`stage_change`], [`touchpoint`], [`journey`], [`deal`], [`disposition`], [`response`],
//! [`spend`], [`fact_set`], and their parts), and so do the records that travel between
//! systems ([`aggregated_path`], [`handoff`]). Each value is valid: it passes its type's own
//! check ([`Deal::check`](crate::facts::Deal::check), [`Journey::check`](crate::facts::Journey::check),
//! [`FactSet::check`](crate::facts::FactSet::check)) and serializes to JSON and back exactly.
//!
//! Amounts are generated from integer minor units, so they look like real money; the
//! `*_extreme` strategies reach the edges of `Decimal`'s range on purpose.
//!
//! # Example
//!
//! ```
//! use proptest::prelude::*;
//! use proptest::test_runner::TestRunner;
//! use revops::testkit::strategies;
//!
//! let mut runner = TestRunner::deterministic();
//! let result = runner.run(&strategies::money(), |m| {
//!     prop_assert!(m.to_minor().is_ok());
//!     Ok(())
//! });
//! assert!(result.is_ok());
//! ```

mod fact_set;
mod facts;
mod records;

use proptest::prelude::*;
use rust_decimal::Decimal;

pub use self::fact_set::fact_set;
pub use self::facts::{
    account, attribute_value, buying_role, contact, deal, deal_status, disposition, disposition_outcome,
    forecast_category, instant, journey, journey_id, lead, origin, period, probability, reason, recurring_revenue,
    response, response_kind, role, roles, spend, spend_kind, stage_change, stage_id, touchpoint, usd,
};
pub use self::records::{aggregated_path, handoff};

use super::CHANNELS;
use crate::{AccountId, CampaignId, ChannelId, ContactId, Currency, LeadId, Money, OpportunityId, Ratio};

/// A currency from the ISO table (0, 2 and 3 decimals) or with a custom exponent.
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
///     let c = strategies::currency().new_tree(&mut runner).map(|t| t.current());
///     assert!(c.is_ok_and(|c| c.exponent() <= 8));
/// }
/// ```
pub fn currency() -> impl Strategy<Value = Currency> {
    prop_oneof![
        4 => Just(Currency::USD),
        1 => Just(Currency::EUR),
        1 => Just(Currency::JPY),
        1 => Just(Currency::KWD),
        1 => (0u8..=8).prop_filter_map("custom currency", |e| Currency::with_exponent("XTS", e).ok()),
    ]
}

/// Non-negative money with at most its currency's decimals, up to 10^12 major units.
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
///     let m = strategies::money().new_tree(&mut runner).map(|t| t.current());
///     assert!(m.is_ok_and(|m| !m.is_negative() && m.to_minor().is_ok()));
/// }
/// ```
pub fn money() -> impl Strategy<Value = Money> {
    (currency(), 0i64..1_000_000_000_000_000).prop_map(|(c, minor)| Money::from_minor(minor, c))
}

/// Money of either sign anywhere in `Decimal`'s range, in USD, with up to two decimals, so
/// overflow paths are exercised.
///
/// # Example
///
/// ```
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
/// use revops::Currency;
/// use revops::testkit::strategies;
///
/// let mut runner = TestRunner::deterministic();
/// for _ in 0..64 {
///     let m = strategies::money_extreme().new_tree(&mut runner).map(|t| t.current());
///     assert!(m.is_ok_and(|m| m.currency() == Currency::USD && m.amount().scale() <= 2));
/// }
/// ```
pub fn money_extreme() -> impl Strategy<Value = Money> {
    (any::<i128>(), 0u32..=2).prop_filter_map("in Decimal range", |(m, scale)| {
        let m = m % (1i128 << 96);
        Decimal::try_from_i128_with_scale(m, scale).ok().map(|d| Money::new(d, Currency::USD))
    })
}

/// A count ratio, including zero denominators.
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
///     let r = strategies::ratio().new_tree(&mut runner).map(|t| t.current());
///     assert!(r.is_ok_and(|r| r.numerator() < 10_000 && r.denominator() < 10_000));
/// }
/// ```
pub fn ratio() -> impl Strategy<Value = Ratio> {
    (0u64..10_000, 0u64..10_000).prop_map(|(n, d)| Ratio::new(n, d))
}

/// A channel: one of the sample company's twelve.
///
/// # Example
///
/// ```
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
/// use revops::testkit::CHANNELS;
/// use revops::testkit::strategies;
///
/// let mut runner = TestRunner::deterministic();
/// for _ in 0..64 {
///     let c = strategies::channel_id().new_tree(&mut runner).map(|t| t.current());
///     assert!(c.is_ok_and(|c| CHANNELS.contains(&c.as_str())));
/// }
/// ```
pub fn channel_id() -> impl Strategy<Value = ChannelId> {
    proptest::sample::select(&CHANNELS[..]).prop_map(|c| ChannelId::trusted(c.to_owned()))
}

/// A campaign id.
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
///     let c = strategies::campaign_id().new_tree(&mut runner).map(|t| t.current());
///     assert!(c.is_ok_and(|c| c.as_str().contains("-20")));
/// }
/// ```
pub fn campaign_id() -> impl Strategy<Value = CampaignId> {
    "[a-z_]{1,12}-20[0-9]{2}-(0[1-9]|1[0-2])".prop_map(CampaignId::trusted)
}

/// An account id.
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
///     let a = strategies::account_id().new_tree(&mut runner).map(|t| t.current());
///     assert!(a.is_ok_and(|a| a.as_str().starts_with('A')));
/// }
/// ```
pub fn account_id() -> impl Strategy<Value = AccountId> {
    "A[0-9]{1,7}".prop_map(AccountId::trusted)
}

/// A contact id.
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
///     let c = strategies::contact_id().new_tree(&mut runner).map(|t| t.current());
///     assert!(c.is_ok_and(|c| c.as_str().starts_with('A') && c.as_str().contains('-')));
/// }
/// ```
pub fn contact_id() -> impl Strategy<Value = ContactId> {
    "A[0-9]{1,7}-[0-9]".prop_map(ContactId::trusted)
}

/// A lead id.
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
///     let l = strategies::lead_id().new_tree(&mut runner).map(|t| t.current());
///     assert!(l.is_ok_and(|l| l.as_str().starts_with('L')));
/// }
/// ```
pub fn lead_id() -> impl Strategy<Value = LeadId> {
    "L[0-9]{1,8}".prop_map(LeadId::trusted)
}

/// An opportunity id.
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
///     let o = strategies::opportunity_id().new_tree(&mut runner).map(|t| t.current());
///     assert!(o.is_ok_and(|o| o.as_str().starts_with('O')));
/// }
/// ```
pub fn opportunity_id() -> impl Strategy<Value = OpportunityId> {
    "O[0-9]{1,8}".prop_map(OpportunityId::trusted)
}

/// Non-negative allocation weights, 0 to 64 of them, zeros and huge values included.
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
///     let w = strategies::weights().new_tree(&mut runner).map(|t| t.current());
///     assert!(w.is_ok_and(|w| w.len() <= 64 && w.iter().all(|x| !x.is_sign_negative())));
/// }
/// ```
pub fn weights() -> impl Strategy<Value = Vec<Decimal>> {
    let weight = prop_oneof![
        2 => Just(Decimal::ZERO),
        4 => (0u64..1_000).prop_map(Decimal::from),
        2 => (0i64..1_000_000, 0u32..=6).prop_map(|(m, s)| Decimal::new(m, s)),
        1 => (0u128..(1u128 << 96), 0u32..=28)
            .prop_filter_map("in range", |(m, s)| Decimal::try_from_i128_with_scale(m.cast_signed(), s).ok()),
        1 => Just(Decimal::MAX),
    ];
    proptest::collection::vec(weight, 0..=64)
}
