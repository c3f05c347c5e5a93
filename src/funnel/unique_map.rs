//! Serde maps that refuse a repeated key: a JSON object may legally repeat a key, and a
//! `BTreeMap` deserializer keeps the last value silently, so a definition whose author wrote
//! a key twice would lose one of the two without a word.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

use crate::ErrorKind;

/// A map read from `d`, refusing with [`ErrorKind::DuplicateKey`] (`kind`, the key) a key that
/// appears twice.
pub(crate) fn deserialize<'de, D, K, V>(d: D, kind: &'static str) -> Result<BTreeMap<K, V>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Ord + fmt::Display,
    V: Deserialize<'de>,
{
    d.deserialize_map(UniqueVisitor { kind, marker: PhantomData })
}

struct UniqueVisitor<K, V> {
    kind: &'static str,
    marker: PhantomData<fn() -> (K, V)>,
}

impl<'de, K, V> Visitor<'de> for UniqueVisitor<K, V>
where
    K: Deserialize<'de> + Ord + fmt::Display,
    V: Deserialize<'de>,
{
    type Value = BTreeMap<K, V>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a map of {} keys, each at most once", self.kind)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<BTreeMap<K, V>, A::Error> {
        let mut map = BTreeMap::new();
        while let Some((key, value)) = access.next_entry::<K, V>()? {
            if map.contains_key(&key) {
                return Err(de::Error::custom(ErrorKind::DuplicateKey { kind: self.kind, key: key.to_string() }));
            }
            map.insert(key, value);
        }
        Ok(map)
    }
}
