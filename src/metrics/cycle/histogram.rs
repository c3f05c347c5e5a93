//! [`Histogram`]: a sales cycle's calendar days as counts.

use super::{CycleStats, summarize};
use crate::{Error, ErrorKind};

/// Calendar days as counts: dense for cycles up to [`Histogram::DENSE`] days, sparse beyond.
/// Pushing is O(1) and the statistics need no selection.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Histogram {
    pub(super) dense: Vec<u64>,
    pub(super) sparse: std::collections::BTreeMap<i64, u64>,
    pub(super) count: usize,
    pub(super) total: i128,
}

impl Histogram {
    /// Days counted densely (about 100 years).
    pub(super) const DENSE: usize = 36_600;

    #[inline]
    pub(super) fn push(&mut self, days: i64) -> Result<(), Error> {
        let count = self.count.checked_add(1).ok_or_else(histogram_overflow)?;
        let total = self.total.checked_add(i128::from(days)).ok_or_else(histogram_overflow)?;
        let slot = match usize::try_from(days) {
            Ok(i) if i < Self::DENSE => {
                if i >= self.dense.len() {
                    self.dense.resize(i + 1, 0);
                }
                self.dense.get_mut(i)
            }
            _ => Some(self.sparse.entry(days).or_default()),
        };
        if let Some(slot) = slot {
            *slot = slot.checked_add(1).ok_or_else(histogram_overflow)?;
        }
        (self.count, self.total) = (count, total);
        Ok(())
    }

    /// Adds `other`'s counts. The totals are checked first, so an overflow leaves `self` as it
    /// was (every bin is at most the total count, so no bin can overflow after that).
    pub(super) fn merge(&mut self, other: Histogram) -> Result<(), Error> {
        let count = self.count.checked_add(other.count).ok_or_else(histogram_overflow)?;
        let total = self.total.checked_add(other.total).ok_or_else(histogram_overflow)?;
        if other.dense.len() > self.dense.len() {
            self.dense.resize(other.dense.len(), 0);
        }
        for (mine, theirs) in self.dense.iter_mut().zip(other.dense) {
            *mine = mine.checked_add(theirs).ok_or_else(histogram_overflow)?;
        }
        for (days, n) in other.sparse {
            let slot = self.sparse.entry(days).or_default();
            *slot = slot.checked_add(n).ok_or_else(histogram_overflow)?;
        }
        (self.count, self.total) = (count, total);
        Ok(())
    }

    /// `(value, count)` in ascending value order.
    pub(super) fn ascending(&self) -> impl Iterator<Item = (i64, u64)> + '_ {
        let negative = self.sparse.range(..0).map(|(&d, &n)| (d, n));
        let dense =
            self.dense.iter().enumerate().filter(|(_, n)| **n > 0).map(|(d, &n)| (i64::try_from(d).unwrap_or(0), n));
        let beyond = self.sparse.range(0..).map(|(&d, &n)| (d, n));
        negative.chain(dense).chain(beyond)
    }

    /// The values at sorted positions `wanted`.
    pub(super) fn pick(&self, wanted: &[usize]) -> Vec<(usize, i64)> {
        let mut positions: Vec<usize> = wanted.to_vec();
        positions.sort_unstable();
        positions.dedup();
        let mut out = Vec::with_capacity(positions.len());
        let mut next = positions.into_iter().peekable();
        let mut seen: u64 = 0;
        for (value, n) in self.ascending() {
            // The bins sum to `count`, a `usize`: no overflow.
            seen += n;
            while let Some(&k) = next.peek() {
                if (k as u64) < seen {
                    out.push((k, value));
                    next.next();
                } else {
                    break;
                }
            }
        }
        out
    }

    pub(super) fn stats(&self) -> Result<CycleStats, Error> {
        summarize(self.count, self.total, 1, |wanted| self.pick(wanted))
    }
}

#[cold]
fn histogram_overflow() -> Error {
    crate::Error::from(ErrorKind::Overflow { op: "sales cycle histogram" })
}
