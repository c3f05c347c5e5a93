//! The copies of a record given more than once (in two partitions, or twice in one), by id:
//! what a section reads of each copy, kept so that push and merge commute and associate.
//!
//! Equal copies are one record; copies that differ are a conflict, and none of them counts
//! (the section sets the id aside at finish, [`Copies::conflict`]). A conflict absorbs every
//! later copy, so the state after any push/merge tree is the same.

use std::collections::BTreeMap;

use crate::{Error, ErrorKind, Record};

/// What the section kept of one id: the value every copy agreed on, or a conflict. On the
/// wire (a section's partial state): `{"single": value}` or `"conflicted"`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
enum Copy<T> {
    Single(T),
    Conflicted,
}

/// What a section read of each record, by id (see the [module docs](self)). Serializes as a
/// map from id to [`Copy`]: any such map is a valid state.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(
    transparent,
    bound(
        serialize = "K: serde::Serialize + Ord, T: serde::Serialize",
        deserialize = "K: serde::Deserialize<'de> + Ord, T: serde::Deserialize<'de>"
    )
)]
pub(super) struct Copies<K, T> {
    by_id: BTreeMap<K, Copy<T>>,
}

impl<K, T> Default for Copies<K, T> {
    fn default() -> Self {
        Copies { by_id: BTreeMap::new() }
    }
}

impl<K: Ord, T: PartialEq> Copies<K, T> {
    /// Adds one copy of `id`.
    pub(super) fn insert(&mut self, id: K, value: T) {
        self.add(id, Copy::Single(value));
    }

    fn add(&mut self, id: K, copy: Copy<T>) {
        match self.by_id.entry(id) {
            std::collections::btree_map::Entry::Vacant(slot) => {
                slot.insert(copy);
            }
            std::collections::btree_map::Entry::Occupied(mut slot) => {
                if *slot.get() != copy {
                    slot.insert(Copy::Conflicted);
                }
            }
        }
    }

    /// Adds every copy `other` kept.
    pub(super) fn merge(&mut self, other: Copies<K, T>) {
        for (id, copy) in other.by_id {
            self.add(id, copy);
        }
    }

    /// The value of `id`, unless its copies conflict.
    pub(super) fn get(&self, id: &K) -> Option<&T> {
        match self.by_id.get(id) {
            Some(Copy::Single(value)) => Some(value),
            _ => None,
        }
    }

    /// Whether `id` was given at all (agreeing or not).
    pub(super) fn contains(&self, id: &K) -> bool {
        self.by_id.contains_key(id)
    }

    /// The ids given once (or in equal copies) and their values, in id order.
    pub(super) fn singles(&self) -> impl Iterator<Item = (&K, &T)> {
        self.by_id.iter().filter_map(|(id, copy)| match copy {
            Copy::Single(value) => Some((id, value)),
            Copy::Conflicted => None,
        })
    }

    /// The ids whose copies differ, in id order.
    pub(super) fn conflicted(&self) -> impl Iterator<Item = &K> {
        self.by_id.iter().filter(|(_, copy)| matches!(copy, Copy::Conflicted)).map(|(id, _)| id)
    }
}

/// The error of a record given in copies that differ: `record` names it.
pub(super) fn conflict(record: Record) -> Error {
    ErrorKind::InconsistentRecord { reason: "given more than once with different values; no copy counts" }.about(record)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(items: &[(u8, u8)]) -> Copies<u8, u8> {
        let mut copies = Copies::default();
        for &(id, value) in items {
            copies.insert(id, value);
        }
        copies
    }

    #[test]
    fn equal_copies_are_one_and_differing_copies_conflict() {
        let copies = of(&[(1, 10), (1, 10), (2, 20), (2, 21), (2, 20)]);
        assert_eq!(copies.get(&1), Some(&10));
        assert_eq!(copies.get(&2), None);
        assert!(copies.contains(&2));
        assert_eq!(copies.singles().collect::<Vec<_>>(), vec![(&1, &10)]);
        assert_eq!(copies.conflicted().collect::<Vec<_>>(), vec![&2]);
    }

    #[test]
    fn merge_commutes_and_associates() {
        let parts = [of(&[(1, 10), (2, 20)]), of(&[(2, 21), (3, 30)]), of(&[(1, 10), (2, 20), (3, 30)])];
        let fold = |order: [usize; 3]| {
            let mut all = Copies::default();
            for i in order {
                all.merge(parts[i].clone());
            }
            all
        };
        let mut right = parts[1].clone();
        right.merge(parts[2].clone());
        let mut tree = parts[0].clone();
        tree.merge(right);
        for order in [[0, 1, 2], [2, 1, 0], [1, 0, 2], [2, 0, 1]] {
            assert_eq!(fold(order), tree);
        }
        assert_eq!(tree.conflicted().collect::<Vec<_>>(), vec![&2]);
    }
}
