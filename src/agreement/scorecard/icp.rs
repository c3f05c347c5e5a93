//! The ICP section: how many accounts fall in each fit-score tier, per segment.

use std::collections::BTreeMap;

use super::{Exclusion, Section, set_aside};
use crate::facts::Account;
use crate::icp::{IcpSet, Tiers};
use crate::{Error, ErrorKind, Ratio, Record, SegmentId};

/// One tier's count.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierCount {
    /// The tier's name.
    pub tier: String,
    /// The lowest score it holds.
    pub min_score: rust_decimal::Decimal,
    /// Accounts in it, over every account scored.
    pub accounts: Ratio,
}

/// The tier distribution of one ICP segment.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentTiers {
    /// The ICP's name.
    pub icp: String,
    /// Accounts scored.
    pub accounts: u64,
    /// Per tier, best first.
    pub tiers: Vec<TierCount>,
    /// Accounts a disqualifier fired on (they score 0, in the lowest tier).
    pub disqualified: u64,
    /// Accounts not disqualified that miss a must-have (also score 0).
    pub missing_must_have: u64,
}

/// Fit-score tiers of the accounts, per ICP segment: the agreement's [`Tiers`] when it has
/// them, else each profile's own.
///
/// # Example
///
/// ```
/// use revops::testkit::{Company, sample_agreement};
///
/// let company = Company::new(42, 400)?;
/// let card = sample_agreement()?.evaluate(&company.facts(), company.as_of())?;
/// let core = revops::SegmentId::new("core")?;
/// let core = card.icp.as_ref().and_then(|s| s.segments.get(&core)).map(|s| s.accounts);
/// assert_eq!(core, Some(company.account_count() as u64));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IcpSection {
    /// Per segment, in segment order.
    pub segments: BTreeMap<SegmentId, SegmentTiers>,
    /// Records set aside, sorted.
    pub excluded: Vec<Exclusion>,
}

#[derive(Clone, Debug)]
pub(super) struct IcpTally<'a> {
    set: &'a IcpSet,
    tiers: Option<&'a Tiers>,
    /// Per segment: accounts, per-tier counts, disqualified, missing a must-have.
    counts: BTreeMap<&'a SegmentId, (u64, Vec<u64>, u64, u64)>,
    excluded: Vec<Exclusion>,
}

const OVERFLOW: ErrorKind = ErrorKind::Overflow { op: "scorecard icp count" };

fn bump(n: &mut u64, by: bool) -> Result<(), Error> {
    *n = n.checked_add(u64::from(by)).ok_or(OVERFLOW)?;
    Ok(())
}

impl<'a> IcpTally<'a> {
    pub(super) fn new(set: &'a IcpSet, tiers: Option<&'a Tiers>) -> IcpTally<'a> {
        let counts = set
            .iter()
            .map(|(segment, icp)| (segment, (0, vec![0; tiers.unwrap_or(icp.tiers()).len()], 0, 0)))
            .collect();
        IcpTally { set, tiers, counts, excluded: Vec::new() }
    }

    pub(super) fn push(&mut self, account: &Account, strict: bool) -> Result<(), Error> {
        // Score every segment first, so a failing account counts in none.
        let fits = match self.set.score(account) {
            Ok(fits) => fits,
            Err(error) => {
                let error = error.about(Record::Account(account.id.clone()));
                return set_aside(strict, &mut self.excluded, Section::Icp, None, error);
            }
        };
        for (segment, fit) in &fits {
            let Some((accounts, per_tier, disqualified, missing)) = self.counts.get_mut(segment) else { continue };
            let tier = self.tiers.map_or(fit.tier, |t| t.tier_of(fit.score));
            bump(accounts, true)?;
            if let Some(n) = per_tier.get_mut(tier) {
                bump(n, true)?;
            }
            bump(disqualified, fit.disqualified_by.is_some())?;
            bump(missing, fit.disqualified_by.is_none() && !fit.must_haves_missed.is_empty())?;
        }
        Ok(())
    }

    pub(super) fn merge(&mut self, other: IcpTally<'_>) -> Result<(), Error> {
        for (segment, theirs) in other.counts {
            let mine = self
                .counts
                .get_mut(segment)
                .ok_or(ErrorKind::DefinitionMismatch { tally: "scorecard icp", field: "segments" })?;
            mine.0 = mine.0.checked_add(theirs.0).ok_or(OVERFLOW)?;
            for (a, b) in mine.1.iter_mut().zip(theirs.1) {
                *a = a.checked_add(b).ok_or(OVERFLOW)?;
            }
            mine.2 = mine.2.checked_add(theirs.2).ok_or(OVERFLOW)?;
            mine.3 = mine.3.checked_add(theirs.3).ok_or(OVERFLOW)?;
        }
        self.excluded.extend(other.excluded);
        Ok(())
    }

    pub(super) fn finish(mut self) -> IcpSection {
        let mut segments = BTreeMap::new();
        for (segment, icp) in self.set.iter() {
            let Some((accounts, per_tier, disqualified, missing)) = self.counts.remove(segment) else { continue };
            let tiers = self.tiers.unwrap_or(icp.tiers());
            let tiers = tiers
                .as_slice()
                .iter()
                .zip(per_tier)
                .map(|(t, n)| TierCount {
                    tier: t.name.clone(),
                    min_score: t.min_score,
                    accounts: Ratio::new(n, accounts),
                })
                .collect();
            let row =
                SegmentTiers { icp: icp.name().to_owned(), accounts, tiers, disqualified, missing_must_have: missing };
            segments.insert(segment.clone(), row);
        }
        self.excluded.sort();
        IcpSection { segments, excluded: self.excluded }
    }
}
