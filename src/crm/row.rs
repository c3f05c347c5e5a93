//! [`Row`]: one record of a CRM export, column name -> value.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

/// One row of a CRM export: the value of a column by its name, as the export's header spells
/// it. Implemented for the shapes a CSV reader or an API client yields; an empty value is the
/// same as an absent column (the mappings never tell them apart).
///
/// (The method is `value`, not `get`, so that it never hides the inherent `get` of a map or
/// a slice.)
///
/// # Example
///
/// ```
/// use std::collections::BTreeMap;
/// use revops::crm::Row;
///
/// let pairs = [("Id", "00Q1"), ("Status", "")];
/// assert_eq!(pairs.value("Id"), Some("00Q1"));
/// assert_eq!(pairs.value("Status"), Some("")); // empty: the mappings read it as absent
///
/// let map: BTreeMap<String, String> = [("Id".to_owned(), "00Q1".to_owned())].into();
/// assert_eq!(map.value("Id"), Some("00Q1"));
/// assert_eq!(map.value("Company"), None);
/// ```
pub trait Row {
    /// The value of `column`, if the row has it.
    fn value(&self, column: &str) -> Option<&str>;
}

impl<R: Row + ?Sized> Row for &R {
    fn value(&self, column: &str) -> Option<&str> {
        (**self).value(column)
    }
}

impl Row for BTreeMap<String, String> {
    fn value(&self, column: &str) -> Option<&str> {
        self.get(column).map(String::as_str)
    }
}

impl<S: BuildHasher> Row for HashMap<String, String, S> {
    fn value(&self, column: &str) -> Option<&str> {
        self.get(column).map(String::as_str)
    }
}

/// The first pair naming `column` wins.
impl Row for [(&str, &str)] {
    fn value(&self, column: &str) -> Option<&str> {
        self.iter().find(|(c, _)| *c == column).map(|(_, v)| *v)
    }
}

/// The first pair naming `column` wins.
impl Row for [(String, String)] {
    fn value(&self, column: &str) -> Option<&str> {
        self.iter().find(|(c, _)| c == column).map(|(_, v)| v.as_str())
    }
}

/// The first pair naming `column` wins.
impl Row for Vec<(&str, &str)> {
    fn value(&self, column: &str) -> Option<&str> {
        self.as_slice().value(column)
    }
}

/// The first pair naming `column` wins.
impl Row for Vec<(String, String)> {
    fn value(&self, column: &str) -> Option<&str> {
        self.as_slice().value(column)
    }
}

/// The first pair naming `column` wins.
impl<const N: usize> Row for [(&str, &str); N] {
    fn value(&self, column: &str) -> Option<&str> {
        self.as_slice().value(column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_reads_the_same() {
        let pairs = [("a", "1"), ("b", ""), ("a", "2")];
        let owned: Vec<(String, String)> = pairs.iter().map(|(c, v)| ((*c).to_owned(), (*v).to_owned())).collect();
        let tree: BTreeMap<String, String> = [("a".to_owned(), "1".to_owned())].into();
        let hash: HashMap<String, String> = tree.clone().into_iter().collect();
        assert_eq!(pairs.value("a"), Some("1"));
        assert_eq!(pairs.as_slice().value("a"), Some("1"));
        assert_eq!(owned.as_slice().value("a"), Some("1"));
        assert_eq!(Row::value(&&tree, "a"), Some("1"));
        assert_eq!(hash.value("a"), Some("1"));
        assert_eq!(pairs.value("c"), None);
    }
}
