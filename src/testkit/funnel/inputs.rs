//! Proptest strategies for the funnel's inputs: requested stage changes, rejection reasons,
//! rejection dispositions, rejections and lead facts over the sample company's vocabulary.

use std::borrow::Cow;

use chrono::{DateTime, TimeDelta};
use proptest::prelude::*;
use rust_decimal::Decimal;

use super::super::company::{CHANNELS, INDUSTRIES, TECHNOLOGIES};
use super::super::strategies;
use crate::StageId;
use crate::facts::{Disposition, DispositionOutcome, Lead, Reason, StageChange};
use crate::funnel::{Activity, ChangeKind, LeadFacts, Rejection};

/// Proptest strategy: up to 30 requested changes of lead `L-1` on the demand waterfall's
/// stages, each with how it came about (mostly automatic, some overrides and recycles), with
/// gaps of 0 to 5,000 seconds from 2024-01-01, so repeats, refusals and errors all occur. Feed
/// them to [`StageHistory::apply`](crate::funnel::StageHistory::apply).
///
/// # Example
///
/// ```
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
/// use revops::testkit::funnel;
///
/// let mut runner = TestRunner::deterministic();
/// for _ in 0..32 {
///     let changes = funnel::stage_changes().new_tree(&mut runner).map(|t| t.current());
///     assert!(changes.is_ok_and(|c| c.len() < 30 && c.windows(2).all(|w| w[0].0.at <= w[1].0.at)));
/// }
/// ```
pub fn stage_changes() -> impl Strategy<Value = Vec<(StageChange, ChangeKind)>> {
    const KEYS: [&str; 8] = ["inquiry", "mql", "sal", "sql", "won", "lost", "nurture", "disqualified"];
    let start = DateTime::from_timestamp(1_704_067_200, 0).unwrap_or_default();
    let lead = crate::LeadId::trusted("L-1".to_owned());
    prop::collection::vec((0..KEYS.len(), 0u8..8, 0i64..5_000), 0..30).prop_map(move |raw| {
        let mut at = start;
        raw.into_iter()
            .map(|(k, how, gap)| {
                at += TimeDelta::try_seconds(gap).unwrap_or_default();
                let stage = StageId::trusted(KEYS.get(k).copied().unwrap_or("inquiry").to_owned());
                let how = match how {
                    0 => ChangeKind::Override { by: "ana".to_owned(), reason: "fixing routing".to_owned() },
                    1 => ChangeKind::Recycle { reason: "bad_timing".to_owned() },
                    _ => ChangeKind::Automatic,
                };
                (StageChange { entity: lead.clone(), stage, at }, how)
            })
            .collect()
    })
}

/// Proptest strategy: a rejection reason of the whole taxonomy, including `Other` with text.
///
/// # Example
///
/// ```
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
/// use revops::testkit::funnel;
///
/// let mut runner = TestRunner::deterministic();
/// for _ in 0..32 {
///     let reason = funnel::rejection_reason().new_tree(&mut runner).map(|t| t.current());
///     assert!(reason.is_ok_and(|r| revops::facts::Reason::KEYS.contains(&r.key())));
/// }
/// ```
pub fn rejection_reason() -> impl Strategy<Value = Reason> {
    let named = Reason::KEYS.len() - 1; // every key but `other`
    prop_oneof![
        16 => (0..named).prop_map(|i| Reason::KEYS.get(i).and_then(|k| Reason::from_key(k)).unwrap_or(Reason::BadFit)),
        1 => "[a-z ]{1,20}".prop_map(Reason::Other),
    ]
}

/// Proptest strategy: a rejection or recycle [`Disposition`] of a lead, in 2024 to 2027.
///
/// # Example
///
/// ```
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
/// use revops::testkit::funnel;
///
/// let mut runner = TestRunner::deterministic();
/// for _ in 0..32 {
///     let disposition = funnel::disposition().new_tree(&mut runner).map(|t| t.current());
///     assert!(disposition.is_ok_and(|d| d.outcome.reason().is_some())); // never an acceptance
/// }
/// ```
pub fn disposition() -> impl Strategy<Value = Disposition> {
    (strategies::lead_id(), rejection_reason(), 0i64..100_000_000, any::<bool>()).prop_map(
        |(lead, reason, secs, recycled)| Disposition {
            lead,
            at: DateTime::from_timestamp(1_704_067_200 + secs, 0).unwrap_or_default(),
            outcome: if recycled {
                DispositionOutcome::Recycled { reason }
            } else {
                DispositionOutcome::Rejected { reason }
            },
        },
    )
}

/// Proptest strategy: a rejection derived from a [`disposition`], its lead (from one of the
/// sample channels, or without a source one time in ten) and the stage it was rejected from
/// (`mql` or `sal`).
///
/// # Example
///
/// ```
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
/// use revops::testkit::funnel;
///
/// let mut runner = TestRunner::deterministic();
/// for _ in 0..32 {
///     let rejection = funnel::rejection().new_tree(&mut runner).map(|t| t.current());
///     assert!(rejection.is_ok_and(|r| r.from_stage.is_some_and(|s| s.as_str() == "mql" || s.as_str() == "sal")));
/// }
/// ```
pub fn rejection() -> impl Strategy<Value = Rejection> {
    (disposition(), prop::option::weighted(0.9, strategies::channel_id()), any::<bool>()).prop_filter_map(
        "an acceptance is not a rejection (never generated)",
        |(disposition, source, sal)| {
            let mut lead = Lead::new(disposition.lead.clone(), disposition.at);
            lead.source = source;
            let stage = StageId::trusted(if sal { "sal" } else { "mql" }.to_owned());
            Rejection::with_from_stage(&lead, &disposition, Some(stage)).ok().flatten()
        },
    )
}

/// Proptest strategy: lead facts over the sample vocabulary (traits, channel activities within
/// a year before 2025-01-01, fields), with optional scores and tier.
///
/// # Example
///
/// ```
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
/// use revops::testkit::funnel;
///
/// let mut runner = TestRunner::deterministic();
/// for _ in 0..32 {
///     let facts = funnel::lead_facts().new_tree(&mut runner).map(|t| t.current());
///     assert!(facts.is_ok_and(|f| f.traits.len() < 8 && f.activities.len() < 12 && f.fields.len() < 4));
/// }
/// ```
pub fn lead_facts() -> impl Strategy<Value = LeadFacts> {
    let key = |table: &'static [&'static str]| proptest::sample::select(table).prop_map(Cow::Borrowed);
    let end = 1_735_689_600i64; // 2025-01-01
    (
        prop::collection::vec(key(&INDUSTRIES), 0..3),
        prop::collection::vec(key(&TECHNOLOGIES), 0..5),
        prop::collection::vec((key(&CHANNELS), 0i64..31_536_000), 0..12),
        prop::collection::vec(key(&["email", "phone", "company", "title"]), 0..4),
        prop::option::of(0i64..10_000),
        prop::option::of(0i64..10_000),
        prop::option::of(key(&["A", "B", "C"])),
    )
        .prop_map(move |(industries, tech, acts, fields, fit, engagement, tier)| LeadFacts {
            traits: industries.into_iter().chain(tech).collect(),
            activities: acts
                .into_iter()
                .map(|(kind, age)| Activity { kind, at: DateTime::from_timestamp(end - age, 0).unwrap_or_default() })
                .collect(),
            fields,
            fit_score: fit.map(|f| Decimal::new(f, 2)),
            engagement_score: engagement.map(|e| Decimal::new(e, 2)),
            total_score: None,
            fit_tier: tier,
        })
}
