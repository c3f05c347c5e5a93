//! [`PathTable`]: the accumulator that turns row-level journeys into aggregated paths.

use super::{AggregatedPath, ChannelInterner, outcome_minor};
use crate::facts::Journey;
use crate::fast_map::FastMap;
use crate::money::Currency;
use crate::{ChannelId, Error, ErrorKind, Money, Tally};

/// The name of [`PathTable`] in [`ErrorKind::DefinitionMismatch`].
const TALLY: &str = "path table";

/// Outcome tallies of one distinct path inside a [`PathTable`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct PathTally {
    conversions: u64,
    value_minor: i128,
    nulls: u64,
}

/// An accumulator that turns row-level journeys into [`AggregatedPath`]s.
///
/// Push one journey at a time (converting or not), merge tables built on other threads or
/// partitions, and finish into the distinct paths sorted by their channel ids. Memory grows
/// with the number of distinct paths, not journeys.
///
/// # Example
///
/// ```
/// use revops::{ChannelId, Currency, Money};
/// use revops::attribution::PathTable;
///
/// let (a, b) = (ChannelId::new("a")?, ChannelId::new("b")?);
/// let mut table = PathTable::new(Currency::USD);
/// table.push_channels(&[a.clone(), b.clone()], Some(Money::from_minor(10_000, Currency::USD)))?;
/// table.push_channels(&[a.clone(), b.clone()], None)?;
/// table.push_channels(&[b.clone()], None)?;
/// let paths = table.finish()?;
/// assert_eq!(paths.len(), 2);
/// assert_eq!((paths[0].conversions, paths[0].nulls), (1, 1));
/// assert_eq!(paths[0].value.to_string(), "100.00 USD");
/// # Ok::<(), revops::Error>(())
/// ```
///
/// It implements [`Tally`] over [`Journey`]s, and (feature `serde`) its partial state
/// serializes: the distinct paths sorted by channel ids, with their counts and value sums
/// (minor units as a decimal string); deserializing validates every row.
#[derive(Clone, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "PathTableState", into = "PathTableState")
)]
pub struct PathTable {
    currency: Currency,
    channels: ChannelInterner,
    paths: FastMap<Vec<u32>, PathTally>,
}

impl PathTable {
    /// An empty table whose values are in `currency`.
    #[must_use]
    pub fn new(currency: Currency) -> PathTable {
        PathTable { currency, channels: ChannelInterner::new(), paths: FastMap::default() }
    }

    /// Adds one channel sequence: its channels in touch order and, if it converted, its value.
    ///
    /// A bare channel sequence has no times, so nothing about its order can be checked: it is
    /// taken as the touch order. Journeys (facts with instants) go through [`PathTable::push_journey`],
    /// which refuses unordered touches and touches after the conversion.
    ///
    /// # Errors
    /// [`ErrorKind::Empty`] (`what: "channel path"`) for no channels; [`ErrorKind::CurrencyMismatch`],
    /// [`ErrorKind::InvalidValue`] (negative) or [`ErrorKind::ExcessPrecision`] for a bad value;
    /// [`ErrorKind::TooManyChannels`] past the interner's limit.
    pub fn push_channels(&mut self, channels: &[ChannelId], converted_value: Option<Money>) -> Result<(), Error> {
        let (conversions, nulls, value) = match converted_value {
            Some(v) => (1, 0, v),
            None => (0, 1, Money::zero(self.currency)),
        };
        self.push_path(&AggregatedPath { channels: channels.to_vec(), conversions, value, nulls })
    }

    /// Adds an aggregated path (its outcomes add to any earlier row with the same path).
    ///
    /// # Errors
    /// As [`PathTable::push_channels`], and [`ErrorKind::Overflow`] if a count overflows.
    ///
    /// ```
    /// use revops::{ChannelId, Currency, Money};
    /// use revops::attribution::{AggregatedPath, PathTable};
    ///
    /// let channels = vec![ChannelId::new("a")?];
    /// let row = |conversions, cents, nulls| AggregatedPath {
    ///     channels: channels.clone(),
    ///     conversions,
    ///     value: Money::from_minor(cents, Currency::USD),
    ///     nulls,
    /// };
    /// let mut table = PathTable::new(Currency::USD);
    /// table.push_path(&row(2, 300, 5))?;
    /// table.push_path(&row(1, 150, 0))?;
    /// assert!(table.push_path(&row(0, 100, 1)).is_err()); // value without a conversion
    /// let paths = table.finish()?;
    /// assert_eq!((paths[0].conversions, paths[0].nulls, paths[0].value.to_minor()?), (3, 5, 450));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn push_path(&mut self, path: &AggregatedPath) -> Result<(), Error> {
        if path.channels.is_empty() {
            return Err(ErrorKind::Empty { what: "channel path" }.into());
        }
        let minor = outcome_minor(path.conversions, path.value, self.currency)?;
        let key = path.channels.iter().map(|c| self.channels.intern(c)).collect::<Result<Vec<u32>, Error>>()?;
        add_tally(self.paths.entry(key).or_default(), path.conversions, i128::from(minor), path.nulls)
    }

    /// Adds every path of `other` to this table.
    ///
    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`] (field `currency`) if the tables were built for
    /// different currencies; [`ErrorKind::Overflow`].
    ///
    /// ```
    /// use revops::{ChannelId, Currency, ErrorKind};
    /// use revops::attribution::PathTable;
    ///
    /// let (a, b) = (ChannelId::new("a")?, ChannelId::new("b")?);
    /// let mut left = PathTable::new(Currency::USD);
    /// left.push_channels(&[a.clone()], None)?;
    /// let mut right = PathTable::new(Currency::USD);
    /// right.push_channels(&[b.clone()], None)?; // b is interned first here: merge maps it
    /// right.push_channels(&[a.clone()], None)?;
    /// left.merge(right)?;
    /// let err = left.merge(PathTable::new(Currency::EUR)).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::DefinitionMismatch { field: "currency", .. }));
    /// let nulls: Vec<(String, u64)> = left.finish()?.iter().map(|p| (p.channels[0].to_string(), p.nulls)).collect();
    /// assert_eq!(nulls, [("a".to_string(), 2), ("b".to_string(), 1)]);
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn merge(&mut self, other: PathTable) -> Result<(), Error> {
        if other.currency != self.currency {
            return Err(ErrorKind::DefinitionMismatch { tally: TALLY, field: "currency" }.into());
        }
        let map = self.channels.absorb(&other.channels)?;
        for (key, t) in other.paths {
            let key: Vec<u32> = key.iter().filter_map(|&c| map.get(c as usize).copied()).collect();
            add_tally(self.paths.entry(key).or_default(), t.conversions, t.value_minor, t.nulls)?;
        }
        Ok(())
    }

    /// The distinct paths, sorted by their channel ids (lexicographically).
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] if a path's value does not fit an `i64` of minor units.
    pub fn finish(self) -> Result<Vec<AggregatedPath>, Error> {
        let mut out = self
            .paths
            .into_iter()
            .map(|(key, t)| {
                let channels = key.iter().filter_map(|&c| self.channels.channel(c).cloned()).collect();
                let minor = i64::try_from(t.value_minor).map_err(|_| ErrorKind::Overflow { op: "path value" })?;
                Ok(AggregatedPath {
                    channels,
                    conversions: t.conversions,
                    value: Money::from_minor(minor, self.currency),
                    nulls: t.nulls,
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        out.sort_by(|a, b| a.channels.cmp(&b.channels));
        Ok(out)
    }
}

fn add_tally(t: &mut PathTally, conversions: u64, value_minor: i128, nulls: u64) -> Result<(), Error> {
    let overflow = || ErrorKind::Overflow { op: "path tally" };
    t.conversions = t.conversions.checked_add(conversions).ok_or_else(overflow)?;
    t.nulls = t.nulls.checked_add(nulls).ok_or_else(overflow)?;
    t.value_minor = t.value_minor.checked_add(value_minor).ok_or_else(overflow)?;
    Ok(())
}

impl Tally for PathTable {
    type Fact = Journey;
    type Output = Vec<AggregatedPath>;

    /// As [`PathTable::push_journey`].
    fn push(&mut self, journey: &Journey) -> Result<(), Error> {
        self.push_journey(journey)
    }

    /// As [`PathTable::merge`].
    fn merge(&mut self, other: PathTable) -> Result<(), Error> {
        PathTable::merge(self, other)
    }

    /// As [`PathTable::finish`].
    fn finish(self) -> Result<Vec<AggregatedPath>, Error> {
        PathTable::finish(self)
    }
}

/// Wire shape of a [`PathTable`]'s partial state.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PathTableState {
    currency: Currency,
    paths: Vec<PathRow>,
}

/// One distinct path of a [`PathTableState`].
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PathRow {
    channels: Vec<ChannelId>,
    conversions: u64,
    #[serde(with = "super::wide")]
    value_minor: i128,
    nulls: u64,
}

#[cfg(feature = "serde")]
impl From<PathTable> for PathTableState {
    fn from(t: PathTable) -> PathTableState {
        let mut paths: Vec<PathRow> = t
            .paths
            .into_iter()
            .map(|(key, x)| PathRow {
                channels: key.iter().filter_map(|&c| t.channels.channel(c).cloned()).collect(),
                conversions: x.conversions,
                value_minor: x.value_minor,
                nulls: x.nulls,
            })
            .collect();
        paths.sort_by(|a, b| a.channels.cmp(&b.channels));
        PathTableState { currency: t.currency, paths }
    }
}

#[cfg(feature = "serde")]
impl TryFrom<PathTableState> for PathTable {
    type Error = Error;
    fn try_from(state: PathTableState) -> Result<PathTable, Error> {
        use super::bad_state;
        let mut table = PathTable::new(state.currency);
        for row in state.paths {
            if row.channels.is_empty() {
                return Err(ErrorKind::Empty { what: "channel path" }.into());
            }
            if row.value_minor < 0 || (row.conversions == 0 && row.value_minor != 0) {
                return Err(bad_state(
                    "path table value",
                    row.value_minor,
                    "must not be negative, and zero without conversions",
                ));
            }
            let key = row.channels.iter().map(|c| table.channels.intern(c)).collect::<Result<Vec<u32>, Error>>()?;
            let names = || row.channels.iter().map(ChannelId::as_str).collect::<Vec<_>>().join(" > ");
            let tally = PathTally { conversions: row.conversions, value_minor: row.value_minor, nulls: row.nulls };
            if table.paths.insert(key, tally).is_some() {
                return Err(bad_state("path table path", names(), "appears twice"));
            }
        }
        Ok(table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(s: &str) -> ChannelId {
        ChannelId::new(s).unwrap()
    }

    #[test]
    fn path_table_merges_and_sorts() {
        let usd = |m| Money::from_minor(m, Currency::USD);
        let mut a = PathTable::new(Currency::USD);
        a.push_channels(&[ch("z"), ch("y")], Some(usd(500))).unwrap();
        let mut b = PathTable::new(Currency::USD);
        b.push_channels(&[ch("y")], None).unwrap();
        b.push_channels(&[ch("z"), ch("y")], None).unwrap();
        a.merge(b).unwrap();
        let p = a.finish().unwrap();
        assert_eq!(p[0].channels, vec![ch("y")]);
        assert_eq!((p[1].conversions, p[1].nulls, p[1].value), (1, 1, usd(500)));
        assert_eq!(
            PathTable::new(Currency::USD).push_channels(&[], None).unwrap_err(),
            ErrorKind::Empty { what: "channel path" }
        );
        let eur = PathTable::new(Currency::EUR);
        assert_eq!(
            PathTable::new(Currency::USD).merge(eur).unwrap_err(),
            ErrorKind::DefinitionMismatch { tally: "path table", field: "currency" }
        );
    }

    #[cfg(feature = "serde")]
    #[test]
    fn state_round_trips_and_is_validated() {
        let usd = |m| Money::from_minor(m, Currency::USD);
        let mut t = PathTable::new(Currency::USD);
        t.push_channels(&[ch("z"), ch("y")], Some(usd(500))).unwrap();
        t.push_channels(&[ch("y")], None).unwrap();
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(
            json,
            r#"{"currency":"USD","paths":[{"channels":["y"],"conversions":0,"value_minor":"0","nulls":1},{"channels":["z","y"],"conversions":1,"value_minor":"500","nulls":0}]}"#
        );
        let back: PathTable = serde_json::from_str(&json).unwrap();
        assert_eq!(back.finish().unwrap(), t.finish().unwrap());
        for (bad, msg) in [
            (
                r#"{"currency":"USD","paths":[{"channels":[],"conversions":0,"value_minor":"0","nulls":1}]}"#,
                "channel path must not be empty",
            ),
            (
                r#"{"currency":"USD","paths":[{"channels":["a"],"conversions":0,"value_minor":"5","nulls":1}]}"#,
                "zero without conversions",
            ),
            (
                r#"{"currency":"USD","paths":[{"channels":["a"],"conversions":1,"value_minor":"-5","nulls":1}]}"#,
                "must not be negative",
            ),
            (
                r#"{"currency":"USD","paths":[{"channels":["a"],"conversions":1,"value_minor":"x","nulls":1}]}"#,
                "invalid 128-bit integer",
            ),
            (
                r#"{"currency":"USD","paths":[{"channels":["a"],"conversions":0,"value_minor":"0","nulls":1},{"channels":["a"],"conversions":0,"value_minor":"0","nulls":1}]}"#,
                "appears twice",
            ),
        ] {
            let err = serde_json::from_str::<PathTable>(bad).unwrap_err().to_string();
            assert!(err.contains(msg), "{bad}: {err}");
        }
    }
}
