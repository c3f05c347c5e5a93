//! Issue 11 item 3 for [`ChannelTable`]: its partial state serializes, and columns built in
//! several places (each table through JSON), merged in any tree order that keeps the columns'
//! order, give the table built in one place. Merge is associative; it is not commutative (the
//! columns keep the order they were added in), so the law is checked without swaps.
#![cfg(feature = "serde")]

use proptest::prelude::*;
use revops::attribution::{ChannelColumn, ChannelTable};
use revops::{ChannelId, Currency, Money, Tally};

use crate::split_merge::{round_trip, split_serialize_merge};

const TOTAL: i64 = 1_000_000;

/// Columns of distinct models, each crediting `TOTAL` minor units over some of six channels.
fn columns_strategy() -> impl Strategy<Value = Vec<ChannelColumn>> {
    let column = prop::collection::vec((0usize..6, 0i64..=TOTAL), 1..5);
    prop::collection::vec(column, 0..8).prop_map(|columns| {
        columns
            .into_iter()
            .enumerate()
            .map(|(i, cuts)| {
                let mut shares = std::collections::BTreeMap::new();
                let mut bounds: Vec<i64> = cuts.iter().map(|&(_, b)| b).collect();
                bounds.extend([0, TOTAL]);
                bounds.sort_unstable();
                for (w, (channel, _)) in bounds.windows(2).zip(cuts.iter().chain(std::iter::repeat(&(0, 0)))) {
                    *shares.entry(*channel).or_insert(0) += w[1] - w[0];
                }
                let credits = shares.into_iter().map(|(c, minor)| {
                    (ChannelId::new(format!("c{c}")).unwrap(), Money::from_minor(minor, Currency::USD))
                });
                ChannelColumn::new(format!("model {i}"), credits)
            })
            .collect()
    })
}

/// The picks of a merge tree, never swapping the two sides.
fn ordered(picks: &[usize]) -> Vec<usize> {
    picks.iter().map(|p| p & !(1 << 20)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn channel_table_splits_serializes_and_merges_like_one_pass(
        columns in columns_strategy(),
        cuts in prop::collection::vec(any::<usize>(), 0..6),
        picks in prop::collection::vec(any::<usize>(), 0..8),
    ) {
        let fresh = ChannelTable::new(Currency::USD);
        let one = fresh.clone().tally(&columns).unwrap();
        prop_assert_eq!(one.columns().len(), columns.len());
        prop_assert!(one.totals().iter().all(|t| *t == Money::from_minor(TOTAL, Currency::USD)));
        prop_assert_eq!(round_trip(&one), one.clone());
        let merged = split_serialize_merge(&fresh, &columns, &cuts, &ordered(&picks), round_trip);
        prop_assert_eq!(merged, one);
    }

    #[test]
    fn channel_table_merge_is_associative(columns in columns_strategy(), a in any::<usize>(), b in any::<usize>()) {
        let (a, b) = (a % (columns.len() + 1), b % (columns.len() + 1));
        let (a, b) = (a.min(b), a.max(b));
        let part = |r: std::ops::Range<usize>| ChannelTable::new(Currency::USD).tally(&columns[r]).unwrap();
        let (x, y, z) = (part(0..a), part(a..b), part(b..columns.len()));
        let mut left = x.clone();
        left.merge(y.clone()).unwrap();
        left.merge(z.clone()).unwrap();
        let mut yz = y;
        yz.merge(z).unwrap();
        let mut right = x;
        right.merge(yz).unwrap();
        prop_assert_eq!(left, right);
    }
}
