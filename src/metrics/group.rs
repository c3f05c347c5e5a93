//! [`Grouped`]: any [`Tally`] split by a caller's key.

use std::collections::BTreeMap;

use crate::{Error, ErrorKind, Tally};

/// A tally per key: the same definition, split by the caller's key (lead source, segment, ICP
/// tier, owner, or a [`Bucket`](super::Bucket) start date), finished in key order.
///
/// Each group is a fresh clone of the template tally, so every group uses the same definition.
/// The total over all groups is the ratio of sums of the groups' parts, never a mean of their
/// rates. Groupings merge only when their templates are equal ([`Grouped::merge`]).
///
/// `Grouped` is itself a [`Tally`] of `(key, fact)` pairs, so groupings nest and split like any
/// tally. Partial state (feature `serde`): the template and every group in key order;
/// deserializing checks that keys are distinct and ascending and that every group has the
/// template's definition.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::metrics::{Grouped, WinRateTally};
/// use revops::Period;
/// use revops::facts::{Deal, DealStatus, Reason};
/// use revops::{ChannelId, Currency, Money, OpportunityId};
///
/// let t = Utc.with_ymd_and_hms(2024, 3, 1, 0, 0, 0).single().unwrap_or_default();
/// let deal = |id: &str, won: bool| -> Result<Deal, revops::Error> {
///     let status = if won { DealStatus::Won } else { DealStatus::lost(Reason::Price) };
///     Ok(Deal::new(OpportunityId::new(id)?, t, Money::from_minor(100_00, Currency::USD), status).closed_at(Some(t)))
/// };
/// let deals = [(deal("a", true)?, "webinar"), (deal("b", false)?, "webinar"), (deal("c", true)?, "paid_search")];
/// let mut by_source = Grouped::new(WinRateTally::new(Period::all_time(), Currency::USD));
/// for (d, source) in &deals {
///     by_source.push(ChannelId::new(*source)?, d)?;
/// }
/// let rates = by_source.finish()?;
/// let keys: Vec<&str> = rates.keys().map(ChannelId::as_str).collect();
/// assert_eq!(keys, ["paid_search", "webinar"]); // deterministic key order
/// assert_eq!(rates[&ChannelId::new("webinar")?].count.to_string(), "1/2 (50.0%)");
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grouped<K, T> {
    template: T,
    groups: BTreeMap<K, T>,
}

impl<K: Ord, T: Tally + Clone> Grouped<K, T> {
    /// Groups tallies cloned from `template` (usually a fresh, empty tally).
    #[must_use]
    pub fn new(template: T) -> Grouped<K, T> {
        Grouped { template, groups: BTreeMap::new() }
    }

    /// Pushes `fact` into the group `key`, creating the group from the template on its first
    /// fact.
    ///
    /// # Errors
    /// As the tally's [`Tally::push`]; a refused fact leaves the groups as they were.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::metrics::{Grouped, WinRateTally};
    /// use revops::Period;
    /// use revops::facts::{Deal, DealStatus};
    /// use revops::{Currency, Money, OpportunityId};
    ///
    /// let t = Utc.with_ymd_and_hms(2024, 3, 1, 0, 0, 0).single().unwrap_or_default();
    /// let won = |id: &str, currency| -> Result<Deal, revops::Error> {
    ///     Ok(Deal::new(OpportunityId::new(id)?, t, Money::from_minor(100, currency), DealStatus::Won).closed_at(Some(t)))
    /// };
    /// let mut by_owner = Grouped::new(WinRateTally::new(Period::all_time(), Currency::USD));
    /// by_owner.push("ana", &won("a", Currency::USD)?)?;
    /// // A deal in another currency is refused and opens no group for "bo".
    /// assert!(by_owner.push("bo", &won("b", Currency::EUR)?).is_err());
    /// let rates = by_owner.finish()?;
    /// assert_eq!(rates.keys().copied().collect::<Vec<_>>(), ["ana"]);
    /// assert_eq!(rates.get("ana").map(|r| r.count.to_string()), Some("1/1 (100.0%)".to_owned()));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn push(&mut self, key: K, fact: &T::Fact) -> Result<(), Error> {
        if let Some(group) = self.groups.get_mut(&key) {
            return group.push(fact);
        }
        let mut group = self.template.clone();
        group.push(fact)?;
        self.groups.insert(key, group);
        Ok(())
    }

    /// The result of every group, in key order. Groups that received no fact do not appear
    /// (example: [`Grouped`]).
    ///
    /// # Errors
    /// As the tally's [`Tally::finish`].
    pub fn finish(self) -> Result<BTreeMap<K, T::Output>, Error> {
        self.groups.into_iter().map(|(k, g)| g.finish().map(|out| (k, out))).collect()
    }
}

impl<K: Ord, T: Tally + Clone + PartialEq> Grouped<K, T> {
    /// Merges another grouping of the same template, group by group.
    ///
    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`] if the templates differ: the tally's own error naming the
    /// part of the definition that differs, or `{ tally: "grouped", field: "template" }` when
    /// the definitions agree but the templates do not (a template holding facts). Otherwise as
    /// the tally's [`Tally::merge`]; after an overflow, `self` may hold part of `other` (discard
    /// it).
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::metrics::{Grouped, WinRateTally};
    /// use revops::Period;
    /// use revops::facts::{Deal, DealStatus, Reason};
    /// use revops::{Currency, ErrorKind, Money, OpportunityId};
    ///
    /// let t = Utc.with_ymd_and_hms(2024, 3, 1, 0, 0, 0).single().unwrap_or_default();
    /// let deal = |id: &str, status| -> Result<Deal, revops::Error> {
    ///     Ok(Deal::new(OpportunityId::new(id)?, t, Money::from_minor(100, Currency::USD), status).closed_at(Some(t)))
    /// };
    /// let template = WinRateTally::new(Period::all_time(), Currency::USD);
    /// let (mut east, mut west) = (Grouped::new(template.clone()), Grouped::new(template));
    /// east.push("webinar", &deal("a", DealStatus::Won)?)?;
    /// west.push("webinar", &deal("b", DealStatus::lost(Reason::Price))?)?;
    /// west.push("paid_search", &deal("c", DealStatus::Won)?)?;
    /// east.merge(west)?; // group by group
    /// let rates = east.finish()?;
    /// assert_eq!(rates.get("webinar").map(|r| r.count.to_string()), Some("1/2 (50.0%)".to_owned()));
    /// assert_eq!(rates.get("paid_search").map(|r| r.count.to_string()), Some("1/1 (100.0%)".to_owned()));
    /// // Groupings of another definition do not merge.
    /// let mut usd: Grouped<&str, _> = Grouped::new(WinRateTally::new(Period::all_time(), Currency::USD));
    /// let err = usd.merge(Grouped::new(WinRateTally::new(Period::all_time(), Currency::EUR))).err();
    /// assert!(matches!(err.as_ref().map(|e| e.kind()), Some(ErrorKind::DefinitionMismatch { field: "currency", .. })));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn merge(&mut self, other: Grouped<K, T>) -> Result<(), Error> {
        if self.template != other.template {
            let mut probe = self.template.clone();
            probe.merge(other.template)?;
            return Err(ErrorKind::DefinitionMismatch { tally: "grouped", field: "template" }.into());
        }
        for (key, group) in other.groups {
            match self.groups.get_mut(&key) {
                Some(mine) => mine.merge(group)?,
                None => {
                    self.groups.insert(key, group);
                }
            }
        }
        Ok(())
    }
}

impl<K, T> Tally for Grouped<K, T>
where
    K: Ord + Clone,
    T: Tally + Clone + PartialEq,
    T::Fact: Sized,
{
    type Fact = (K, T::Fact);
    type Output = BTreeMap<K, T::Output>;

    /// Pushes the fact into the group of its key.
    ///
    /// # Errors
    /// As the tally's [`Tally::push`].
    fn push(&mut self, (key, fact): &(K, T::Fact)) -> Result<(), Error> {
        Grouped::push(self, key.clone(), fact)
    }

    /// # Errors
    /// As [`Grouped::merge`].
    fn merge(&mut self, other: Grouped<K, T>) -> Result<(), Error> {
        Grouped::merge(self, other)
    }

    fn finish(self) -> Result<BTreeMap<K, T::Output>, Error> {
        Grouped::finish(self)
    }
}

#[cfg(feature = "serde")]
mod state {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::Grouped;
    use crate::Tally;
    use crate::metrics::wire::bad_state;

    #[derive(Serialize)]
    struct GroupedRef<'a, K, T> {
        template: &'a T,
        groups: Vec<GroupRef<'a, K, T>>,
    }

    #[derive(Serialize)]
    struct GroupRef<'a, K, T> {
        key: &'a K,
        tally: &'a T,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct GroupedState<K, T> {
        template: T,
        groups: Vec<GroupState<K, T>>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct GroupState<K, T> {
        key: K,
        tally: T,
    }

    impl<K: Serialize, T: Serialize> Serialize for Grouped<K, T> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let groups = self.groups.iter().map(|(key, tally)| GroupRef { key, tally }).collect();
            GroupedRef { template: &self.template, groups }.serialize(s)
        }
    }

    impl<'de, K, T> Deserialize<'de> for Grouped<K, T>
    where
        K: Deserialize<'de> + Ord,
        T: Deserialize<'de> + Tally + Clone,
    {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Grouped<K, T>, D::Error> {
            use serde::de::Error as _;
            let state = GroupedState::<K, T>::deserialize(d)?;
            let mut grouped = Grouped::new(state.template);
            for (i, GroupState { key, tally }) in state.groups.into_iter().enumerate() {
                // Keys ascending and distinct: a repeated key never overwrites another group.
                if grouped.groups.last_key_value().is_some_and(|(last, _)| *last >= key) {
                    let err = bad_state("grouped tally", format!("group {i}"), "keys must be ascending and distinct");
                    return Err(D::Error::custom(err));
                }
                // Every group has the template's definition: the tally's merge compares them.
                grouped.template.clone().merge(tally.clone()).map_err(D::Error::custom)?;
                grouped.groups.insert(key, tally);
            }
            Ok(grouped)
        }
    }
}

/// Tallies `facts` with clones of `template`, one per key that `key` gives, in key order.
///
/// # Errors
/// As the tally's [`Tally::push`] and [`Tally::finish`].
///
/// # Example: win rate by month of close, in a reporting zone
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use revops::calendar::Zone;
/// use revops::metrics::{Bucket, WinRateTally, group_by};
/// use revops::Period;
/// use revops::facts::{Deal, DealStatus, Reason};
/// use revops::{Currency, Money, OpportunityId};
///
/// let at = |m, d, h| Utc.with_ymd_and_hms(2024, m, d, h, 0, 0).single().unwrap_or_default();
/// let deal = |id: &str, won: bool, closed| -> Result<Deal, revops::Error> {
///     let status = if won { DealStatus::Won } else { DealStatus::lost(Reason::Price) };
///     Ok(Deal::new(OpportunityId::new(id)?, at(1, 1, 0), Money::from_minor(100, Currency::USD), status)
///         .closed_at(Some(closed)))
/// };
/// // 1 February 03:00 UTC is still 31 January in New York (22:00 EST).
/// let deals = [deal("a", true, at(2, 1, 3))?, deal("b", false, at(2, 10, 12))?];
/// let ny: Zone = "America/New_York".parse()?;
/// let monthly = group_by(WinRateTally::new(Period::all_time(), Currency::USD), &deals, |d| {
///     d.closed_at.and_then(|c| Bucket::Month.start_of(c, ny).ok())
/// })?;
/// let jan = Some(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default());
/// assert_eq!(monthly[&jan].count.to_string(), "1/1 (100.0%)");
/// # Ok::<(), revops::Error>(())
/// ```
pub fn group_by<K, T, F>(template: T, facts: &[F], key: impl Fn(&F) -> K) -> Result<BTreeMap<K, T::Output>, Error>
where
    K: Ord,
    T: Tally<Fact = F> + Clone,
{
    let mut grouped = Grouped::new(template);
    for fact in facts {
        grouped.push(key(fact), fact)?;
    }
    grouped.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts the facts it sees.
    #[derive(Clone, Debug, Default, PartialEq)]
    struct Count(u64);

    impl Tally for Count {
        type Fact = u64;
        type Output = u64;
        fn push(&mut self, fact: &u64) -> Result<(), Error> {
            if *fact == 13 {
                return Err(ErrorKind::Overflow { op: "test" }.into());
            }
            self.0 += 1;
            Ok(())
        }
        fn merge(&mut self, other: Count) -> Result<(), Error> {
            self.0 += other.0;
            Ok(())
        }
        fn finish(self) -> Result<u64, Error> {
            Ok(self.0)
        }
    }

    #[test]
    fn groups_finish_in_key_order_and_merge() {
        let facts = [5u64, 1, 5, 2, 9];
        let out = group_by(Count::default(), &facts, |f| f % 2).unwrap();
        assert_eq!(out.into_iter().collect::<Vec<_>>(), [(0, 1), (1, 4)]);
        let mut a = Grouped::new(Count::default());
        let mut b = Grouped::new(Count::default());
        a.push("x", &1).unwrap();
        b.push("x", &1).unwrap();
        b.push("y", &1).unwrap();
        a.merge(b).unwrap();
        assert_eq!(a.finish().unwrap().into_iter().collect::<Vec<_>>(), [("x", 2), ("y", 1)]);
        assert!(Grouped::new(Count::default()).push("z", &13).is_err());
        assert_eq!(Count::default().tally(&facts).unwrap(), 5);
    }
}
