//! The glance section: what the facts hold, counted (accounts, leads, touches by channel,
//! opportunities by status, bookings, spend by kind).

use std::collections::{BTreeMap, BTreeSet};

use super::{Exclusion, Section, set_aside};
use crate::facts::{Deal, DealStatus, FactSet, Journey, Spend, SpendKind};
use crate::{AccountId, ChannelId, Currency, Error, ErrorKind, Money, Ratio, Record};

/// The company at a glance: every fact kind counted, money summed exactly in the board's
/// currency ([`Kpis::currency`](crate::agreement::Kpis::currency)).
///
/// Accounts are the distinct account ids of every partition (an account given in several
/// partitions is one account: the section reads nothing else of it). Leads are the
/// partition's distinct leads (a repeated id is set aside by the funnel section); deals,
/// journeys and spend lines count as given. A deal that fails
/// [`Deal::check`], and a deal or spend line in another currency, is set aside.
///
/// # Example
///
/// ```
/// use revops::testkit::{Company, sample_agreement};
///
/// let company = Company::new(42, 300)?;
/// let card = sample_agreement()?.evaluate(&company.facts(), company.as_of())?;
/// let glance = card.glance.as_ref().ok_or(revops::ErrorKind::Overflow { op: "no glance" })?;
/// assert_eq!(glance.leads, 300);
/// assert_eq!(glance.deals, glance.won + glance.lost + glance.open);
/// assert_eq!(glance.win_rate, revops::Ratio::new(glance.won, glance.won + glance.lost));
/// assert_eq!(glance.touches, glance.touches_by_channel.values().sum::<u64>());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlanceSection {
    /// Accounts.
    pub accounts: u64,
    /// Leads (distinct).
    pub leads: u64,
    /// Journeys.
    pub journeys: u64,
    /// Touches of every journey.
    pub touches: u64,
    /// Touches over leads.
    pub touches_per_lead: Ratio,
    /// Touches per channel, in channel order.
    pub touches_by_channel: BTreeMap<ChannelId, u64>,
    /// Deals (opportunities).
    pub deals: u64,
    /// Deals won.
    pub won: u64,
    /// Deals lost.
    pub lost: u64,
    /// Deals open.
    pub open: u64,
    /// Won over closed (won plus lost), by count.
    pub win_rate: Ratio,
    /// The amount of the won deals.
    pub bookings: Money,
    /// Every spend line's amount.
    pub spend: Money,
    /// Spend per kind, in kind order (e.g. [`SpendKind::Paid`], media).
    pub spend_by_kind: BTreeMap<SpendKind, Money>,
    /// Records set aside, sorted.
    pub excluded: Vec<Exclusion>,
}

impl GlanceSection {
    /// The spend of `kind` (zero when there is none).
    #[must_use]
    pub fn spend_of(&self, kind: SpendKind) -> Money {
        self.spend_by_kind.get(&kind).copied().unwrap_or_else(|| Money::from_minor(0, self.spend.currency()))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct GlanceTally {
    currency: Currency,
    counts: [u64; 8],
    /// The account ids seen (counted at finish, once each).
    accounts: BTreeSet<AccountId>,
    touches_by_channel: BTreeMap<ChannelId, u64>,
    bookings: Money,
    spend: BTreeMap<SpendKind, Money>,
    excluded: Vec<Exclusion>,
}

const ACCOUNTS: usize = 0;
const LEADS: usize = 1;
const JOURNEYS: usize = 2;
const TOUCHES: usize = 3;
const DEALS: usize = 4;
const WON: usize = 5;
const LOST: usize = 6;
const OPEN: usize = 7;

const OVERFLOW: ErrorKind = ErrorKind::Overflow { op: "scorecard glance count" };

fn add(a: u64, b: u64) -> Result<u64, Error> {
    a.checked_add(b).ok_or_else(|| OVERFLOW.into())
}

fn bump(counts: &mut [u64; 8], slot: usize, by: usize) -> Result<(), Error> {
    let by = u64::try_from(by).map_err(|_| Error::from(OVERFLOW))?;
    if let Some(n) = counts.get_mut(slot) {
        *n = add(*n, by)?;
    }
    Ok(())
}

fn count(counts: &[u64; 8], slot: usize) -> u64 {
    counts.get(slot).copied().unwrap_or_default()
}

/// The words a spend line is named by in errors (it has no id).
fn spend_record(spend: &Spend) -> Record {
    let channel = spend.channel.as_ref().map_or("", ChannelId::as_str);
    Record::Spend(format!("{:?} from {} {channel}", spend.kind, spend.period.start()).trim_end().to_owned())
}

impl GlanceTally {
    pub(super) fn new(currency: Currency) -> GlanceTally {
        GlanceTally {
            currency,
            counts: [0; 8],
            accounts: BTreeSet::new(),
            touches_by_channel: BTreeMap::new(),
            bookings: Money::from_minor(0, currency),
            spend: BTreeMap::new(),
            excluded: Vec::new(),
        }
    }

    /// Counts one partition; `leads` is its number of distinct leads.
    pub(super) fn push(&mut self, facts: &FactSet, leads: usize, strict: bool) -> Result<(), Error> {
        self.accounts.extend(facts.accounts.iter().map(|a| a.id.clone()));
        bump(&mut self.counts, LEADS, leads)?;
        for journey in &facts.journeys {
            self.push_journey(journey)?;
        }
        for deal in &facts.deals {
            if let Err(error) = self.push_deal(deal) {
                set_aside(strict, &mut self.excluded, Section::Glance, None, error)?;
            }
        }
        for line in &facts.spend {
            if line.amount.currency() != self.currency {
                let error = ErrorKind::CurrencyMismatch { expected: self.currency, found: line.amount.currency() }
                    .about(spend_record(line));
                set_aside(strict, &mut self.excluded, Section::Glance, None, error)?;
                continue;
            }
            let slot = self.spend.entry(line.kind).or_insert_with(|| Money::from_minor(0, self.currency));
            *slot = slot.checked_add(line.amount).map_err(|e| e.about(spend_record(line)))?;
        }
        Ok(())
    }

    fn push_journey(&mut self, journey: &Journey) -> Result<(), Error> {
        bump(&mut self.counts, JOURNEYS, 1)?;
        bump(&mut self.counts, TOUCHES, journey.touches.len())?;
        for touch in &journey.touches {
            // The channel id is cloned only the first time it is seen.
            match self.touches_by_channel.get_mut(&touch.channel) {
                Some(n) => *n = add(*n, 1)?,
                None => {
                    self.touches_by_channel.insert(touch.channel.clone(), 1);
                }
            }
        }
        Ok(())
    }

    fn push_deal(&mut self, deal: &Deal) -> Result<(), Error> {
        deal.check()?;
        let record = || Record::Deal(deal.id.clone());
        let slot = match deal.status {
            DealStatus::Won => {
                if deal.amount.currency() != self.currency {
                    let found = deal.amount.currency();
                    return Err(ErrorKind::CurrencyMismatch { expected: self.currency, found }.about(record()));
                }
                self.bookings = self.bookings.checked_add(deal.amount).map_err(|e| e.about(record()))?;
                WON
            }
            DealStatus::Lost { .. } => LOST,
            DealStatus::Open { .. } => OPEN,
        };
        bump(&mut self.counts, slot, 1)?;
        bump(&mut self.counts, DEALS, 1)
    }

    pub(super) fn merge(&mut self, other: GlanceTally) -> Result<(), Error> {
        if self.currency != other.currency {
            return Err(ErrorKind::DefinitionMismatch { tally: "scorecard glance", field: "currency" }.into());
        }
        let mut counts = self.counts;
        for (mine, theirs) in counts.iter_mut().zip(other.counts) {
            *mine = add(*mine, theirs)?;
        }
        let mut channels = self.touches_by_channel.clone();
        for (channel, n) in other.touches_by_channel {
            let slot = channels.entry(channel).or_default();
            *slot = add(*slot, n)?;
        }
        let bookings = self.bookings.checked_add(other.bookings)?;
        let mut spend = self.spend.clone();
        for (kind, amount) in other.spend {
            let slot = spend.entry(kind).or_insert_with(|| Money::from_minor(0, self.currency));
            *slot = slot.checked_add(amount)?;
        }
        (self.counts, self.touches_by_channel, self.bookings, self.spend) = (counts, channels, bookings, spend);
        self.accounts.extend(other.accounts);
        self.excluded.extend(other.excluded);
        Ok(())
    }

    pub(super) fn finish(mut self) -> Result<GlanceSection, Error> {
        bump(&mut self.counts, ACCOUNTS, self.accounts.len())?;
        let c = &self.counts;
        let spend = Money::checked_sum(self.spend.values().copied(), self.currency)?;
        self.excluded.sort();
        let (won, lost) = (count(c, WON), count(c, LOST));
        Ok(GlanceSection {
            accounts: count(c, ACCOUNTS),
            leads: count(c, LEADS),
            journeys: count(c, JOURNEYS),
            touches: count(c, TOUCHES),
            touches_per_lead: Ratio::new(count(c, TOUCHES), count(c, LEADS)),
            touches_by_channel: self.touches_by_channel,
            deals: count(c, DEALS),
            won,
            lost,
            open: count(c, OPEN),
            win_rate: Ratio::new(won, add(won, lost)?),
            bookings: self.bookings,
            spend,
            spend_by_kind: self.spend,
            excluded: self.excluded,
        })
    }
}
