//! A map whose keys are not strings on the wire (an `Option`, a struct such as a leak kind with
//! its reason): JSON object keys must be strings, so the map is written as a list of
//! `[key, value]` pairs in key order (`None` as `null`, first). Reading refuses a key given
//! twice. Use it as `#[serde(with = "crate::wire::key_pairs")]`.

use std::collections::BTreeMap;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Writes the map as `[[key, value], ...]` in key order.
pub(crate) fn serialize<K: Serialize, V: Serialize, S: Serializer>(
    map: &BTreeMap<K, V>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_seq(map.iter())
}

/// Reads `[[key, value], ...]`, refusing a key given twice.
pub(crate) fn deserialize<'de, K, V, D>(d: D) -> Result<BTreeMap<K, V>, D::Error>
where
    K: Deserialize<'de> + Ord,
    V: Deserialize<'de>,
    D: Deserializer<'de>,
{
    let pairs = Vec::<(K, V)>::deserialize(d)?;
    let mut map = BTreeMap::new();
    for (key, value) in pairs {
        if map.insert(key, value).is_some() {
            return Err(D::Error::custom("a key is given twice"));
        }
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Rows {
        #[serde(with = "super")]
        rows: BTreeMap<Option<String>, u32>,
    }

    #[test]
    fn none_keys_round_trip_and_duplicates_are_refused() {
        let rows = Rows { rows: BTreeMap::from([(None, 1), (Some("a".to_owned()), 2)]) };
        let json = serde_json::to_string(&rows).unwrap();
        assert_eq!(json, r#"{"rows":[[null,1],["a",2]]}"#);
        assert_eq!(serde_json::from_str::<Rows>(&json).unwrap(), rows);
        assert!(serde_json::from_str::<Rows>(r#"{"rows":[["a",1],["a",2]]}"#).is_err());
    }
}
