//! Proptest strategies for the module records that are not facts but travel between systems:
//! [`AggregatedPath`] (an attribution path-table row) and [`Handoff`] (what goes with a lead
//! from marketing to sales).

use proptest::option::of as maybe;
use proptest::prelude::*;
use rust_decimal::Decimal;

use super::facts::{contact, instant, touchpoint, usd};
use super::{account_id, channel_id, lead_id};
use crate::attribution::AggregatedPath;
use crate::funnel::Handoff;
use crate::{Currency, Money, StageId};

/// A valid path-table row (the Markov and Shapley models take it): one to eight sample
/// channels in touch order (repeats occur), zero to five conversions with a [`usd`] value
/// (zero when there are none), zero to five non-converting journeys.
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
///     let p = strategies::aggregated_path().new_tree(&mut runner).map(|t| t.current());
///     assert!(p.is_ok_and(|p| (1..=8).contains(&p.channels.len()) && (p.conversions > 0 || p.value.is_zero())));
/// }
/// ```
pub fn aggregated_path() -> impl Strategy<Value = AggregatedPath> {
    (proptest::collection::vec(channel_id(), 1..=8), 0u64..=5, usd(), 0u64..=5).prop_map(
        |(channels, conversions, value, nulls)| AggregatedPath {
            channels,
            conversions,
            value: if conversions == 0 { Money::from_minor(0, Currency::USD) } else { value },
            nulls,
        },
    )
}

fn texts() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec("[a-z][a-z0-9_-]{0,15}", 0..=3)
}

fn text() -> impl Strategy<Value = Option<String>> {
    // Blank text occurs: a handoff treats it as missing.
    maybe(prop_oneof![8 => "[A-Za-z][A-Za-z ]{0,20}", 1 => Just(" ".to_owned())])
}

fn score() -> impl Strategy<Value = Option<Decimal>> {
    maybe((0i64..=10_000, 0u32..=2).prop_map(|(m, s)| Decimal::new(m, s)))
}

/// A handoff from `mql` to `sal` (the demand waterfall's handoff), every field present or
/// not (blank texts and empty lists included), so both complete and incomplete handoffs occur:
/// [`Funnel::validate_handoff`](crate::funnel::Funnel::validate_handoff) accepts it exactly
/// when every required field [`Handoff::has`] a value.
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
///     let h = strategies::handoff().new_tree(&mut runner).map(|t| t.current());
///     assert!(h.is_ok_and(|h| h.from.as_str() == "mql" && h.to.as_str() == "sal"));
/// }
/// ```
pub fn handoff() -> impl Strategy<Value = Handoff> {
    let group = proptest::collection::vec(contact(), 0..=3);
    (
        (maybe(lead_id()), maybe(account_id()), text(), maybe(instant()), maybe(instant()), text()),
        (score(), score(), maybe(channel_id()), maybe(touchpoint()), maybe(touchpoint())),
        (texts(), texts(), group, texts(), text(), maybe(instant())),
    )
        .prop_map(
            |(
                (lead, account, owner, routed_at, mql_at, mql_reason),
                (fit_score, engagement_score, lead_source, first_touch, last_touch),
                (recent_content, intent_signals, buying_group, product_interest, next_action, sla_deadline),
            )| Handoff {
                from: StageId::trusted("mql".to_owned()),
                to: StageId::trusted("sal".to_owned()),
                lead,
                account,
                owner,
                routed_at,
                mql_at,
                mql_reason,
                fit_score,
                engagement_score,
                lead_source,
                first_touch,
                last_touch,
                recent_content,
                intent_signals,
                buying_group,
                product_interest,
                next_action,
                sla_deadline,
            },
        )
}
