//! Unit economics of the board ([`EconomicsSection`]): CAC, ARPA, LTV, LTV:CAC, CAC payback
//! and the CAC ratio, under the agreement's assumptions.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Months, NaiveDate, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

use super::copies::{Copies, conflict};
use super::deals::{admit, currency};
use super::{Exclusion, Section, set_aside};
use crate::agreement::{Agreement, EconomicsTerms, kpi::quarter};
use crate::calendar::Zone;
use crate::facts::{Deal, DealStatus, FactSet, Spend, SpendKind};
use crate::metrics::{
    Cac, CacTally, CacWindow, Ltv, RetentionTally, RetentionTerms, WinRate, WinRateTally, cac_payback_months,
    cac_ratio, first_touch_channel, ltv_to_cac, new_customers,
};
use crate::{AccountId, ChannelId, Currency, Error, ErrorKind, JourneyId, Money, Period, Ratio, Record, Tally};
pub use measured::MeasuredLtv;

/// The CAC ratio of a quarter, with its parts.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacRatioKpi {
    /// The quarter whose won deals are the new ARR.
    pub new_arr_period: Period,
    /// The quarter whose spend it is divided by.
    pub spend_period: Period,
    /// New ARR: the amount won in `new_arr_period`.
    pub new_arr: Money,
    /// The sales and marketing spend of `spend_period`.
    pub spend: Money,
    /// New ARR x gross margin / spend.
    pub ratio: Ratio<Decimal>,
}

mod measured;

/// Unit economics under the agreement's assumptions
/// ([`EconomicsTerms`], echoed in `terms`).
///
/// # Example
///
/// ```
/// use revops::testkit::{Company, sample_agreement};
///
/// let company = Company::new(42, 1_000)?;
/// let card = sample_agreement()?.evaluate(&company.facts(), company.as_of())?;
/// let economics = card.economics.as_ref();
/// assert!(economics.is_some_and(|e| e.cac.customers >= e.cac.paid_customers));
/// assert!(economics.is_some_and(|e| e.ltv.as_ref().and_then(|l| l.value).is_some()));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EconomicsSection {
    /// The assumptions.
    pub terms: EconomicsTerms,
    /// The CAC window as of the scorecard's `as_of`.
    pub window: CacWindow,
    /// The first day of the window's last acquisition month.
    pub last_month: NaiveDate,
    /// The deals won in the ARPA period (ARPA's base).
    pub won_deals: u64,
    /// Their amount.
    pub won_amount: Money,
    /// ARPA: `won_amount / won_deals / acv_months`, to the minor unit (none without a win).
    pub arpa: Option<Money>,
    /// CAC, blended and paid, with spend and customers.
    pub cac: Cac,
    /// LTV = ARPA x margin / churn.
    pub ltv: Option<Ltv>,
    /// The discounted LTV.
    pub discounted_ltv: Option<Ltv>,
    /// LTV (simple) over blended CAC.
    pub ltv_to_cac: Option<Ratio<Decimal>>,
    /// Months of gross profit that pay back the blended CAC.
    #[serde(with = "crate::money::exact::str_option")]
    pub payback_months: Option<Decimal>,
    /// The CAC ratio, if the agreement reports it.
    pub cac_ratio: Option<CacRatioKpi>,
    /// The LTV at the measured revenue churn, if the agreement asks for it
    /// ([`EconomicsTerms::measured_churn`]).
    pub measured: Option<MeasuredLtv>,
    /// LTV by acquisition channel: one row per lead source, in source order (`None`, spend and
    /// deals traced to no source, first), when the agreement asks for it
    /// ([`EconomicsTerms::by_source`]); else empty. The rows' spend, customers, won deals and
    /// won amount sum to the blended figures above.
    pub by_source: Vec<SourceEconomics>,
    /// LTV by first-touch channel: one row per channel, in channel order (`None`, customers
    /// and won deals whose journey has no touch by the close, and spend on no channel,
    /// first), when the agreement asks for it ([`EconomicsTerms::by_first_touch`]); else
    /// empty. The rows' spend, customers, won deals and won amount sum to the blended figures
    /// above.
    pub by_first_touch: Vec<SourceEconomics>,
    /// Deals and spend lines set aside, sorted.
    pub excluded: Vec<Exclusion>,
}

/// One acquisition source's unit economics (a row of [`EconomicsSection::by_source`] or of
/// [`EconomicsSection::by_first_touch`]): the blended section's definitions, restricted to the
/// source, under the same assumptions.
///
/// - **The key** is a deal's lead [`source`](Deal::source) in `by_source`; in
///   `by_first_touch`, the channel of the first touch, at or before the deal's close, of the
///   deal's journey (the journey whose id is the deal's, else its lead's: the rule of
///   [`AcquisitionKey::FirstTouch`](crate::metrics::AcquisitionKey::FirstTouch)). A journey
///   given in copies that differ is set aside (named) and read as no touches.
/// - **Customers** are the new customers whose first won deal has this key; **spend** the
///   lines traced to it as their [`channel`](Spend::channel) (a key and a channel match by
///   id), so spend on no channel (salaries, tools) is the `None` row's, never spread: how to
///   allocate it is an accounting decision the crate does not guess. The `None` row's CAC is
///   therefore that spend over the customers with no key.
/// - **ARPA** is the mean amount of the deals with this key won in the ARPA period over
///   `acv_months`, to the minor unit; **LTV** = ARPA x margin / the assumed monthly churn
///   (one churn for every row: the board has no per-channel churn);
///   **LTV:CAC** = that LTV over the row's blended CAC, both as shown.
/// - A row without a customer, a win or spend has `None` where its ratio is undefined; no
///   row is invented: a source appears when a deal or a spend line names it.
///
/// Billing data (observed ARPA and churn per channel) is
/// [`AcquisitionValueTally`](crate::metrics::AcquisitionValueTally)'s, outside the board.
///
/// # Example
///
/// ```
/// use revops::testkit::{Company, sample_agreement};
///
/// let company = Company::new(42, 1_000)?;
/// let card = sample_agreement()?.evaluate(&company.facts(), company.as_of())?;
/// let economics = card.economics.as_ref().ok_or("the sample agreement reports unit economics")?;
/// // The rows partition the blended customers.
/// let customers: u64 = economics.by_source.iter().map(|row| row.cac.customers).sum();
/// assert_eq!(customers, economics.cac.customers);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceEconomics {
    /// The row's key: the lead source, or the first-touch channel (`None`: traced to none).
    pub source: Option<ChannelId>,
    /// The source's deals won in the ARPA period.
    pub won_deals: u64,
    /// Their amount.
    pub won_amount: Money,
    /// ARPA of those deals.
    pub arpa: Option<Money>,
    /// CAC of the source's spend and new customers.
    pub cac: Cac,
    /// LTV = ARPA x margin / churn.
    pub ltv: Option<Ltv>,
    /// LTV over the row's blended CAC.
    pub ltv_to_cac: Option<Ratio<Decimal>>,
}

/// One source's accumulators: its CAC (spend and customers) and its ARPA base.
#[derive(Clone, Debug, PartialEq, Eq)]
struct SourceTally {
    cac: CacTally,
    arpa: WinRateTally,
}

/// The rows of one acquisition key, by key.
type Rows = BTreeMap<Option<ChannelId>, SourceTally>;

/// Which rows a fact also goes to.
#[derive(Clone, Copy)]
enum Key {
    Source,
    FirstTouch,
}

/// Adds `theirs` rows to `mine`, row by row.
fn merge_rows(mine: &mut Rows, theirs: Rows) -> Result<(), Error> {
    for (key, row) in theirs {
        match mine.entry(key) {
            Entry::Vacant(slot) => {
                slot.insert(row);
            }
            Entry::Occupied(mut slot) => {
                let mine = slot.get_mut();
                mine.cac.merge(row.cac)?;
                mine.arpa.merge(row.arpa)?;
            }
        }
    }
    Ok(())
}

/// The finished rows, by the blended section's computation ([`Values::of`]).
fn finish_rows(terms: &EconomicsTerms, currency: Currency, rows: Rows) -> Result<Vec<SourceEconomics>, Error> {
    let mut finished = Vec::with_capacity(rows.len());
    for (source, row) in rows {
        let (cac, won) = (row.cac.finish()?, row.arpa.finish()?);
        let v = Values::of(terms, currency, &cac, &won)?;
        let (won_deals, won_amount, arpa, ltv, ltv_to_cac) = (v.won_deals, v.won_amount, v.arpa, v.ltv, v.ltv_to_cac);
        finished.push(SourceEconomics { source, won_deals, won_amount, arpa, cac, ltv, ltv_to_cac });
    }
    Ok(finished)
}

/// ARPA, LTV and LTV:CAC from a CAC and the won deals of the ARPA period: the one
/// computation of the blended figures and of every source's row.
struct Values {
    won_deals: u64,
    won_amount: Money,
    arpa: Option<Money>,
    ltv: Option<Ltv>,
    ltv_to_cac: Option<Ratio<Decimal>>,
}

impl Values {
    fn of(terms: &EconomicsTerms, currency: Currency, cac: &Cac, won: &WinRate) -> Result<Values, Error> {
        let overflow = || Error::from(ErrorKind::Overflow { op: "unit economics" });
        let won_deals = won.count.numerator();
        let arpa = match won_deals {
            0 => None,
            n => {
                let mean = won.won_amount.amount().checked_div(Decimal::from(n)).ok_or_else(overflow)?;
                let monthly = mean.checked_div(Decimal::from(terms.acv_months)).ok_or_else(overflow)?;
                Some(Money::new(monthly, currency).round_to_minor(RoundingStrategy::MidpointNearestEven))
            }
        };
        let (margin, churn) = (terms.gross_margin.fraction(), terms.monthly_churn.fraction());
        let ltv = arpa.map(|a| Ltv::simple(a, margin, churn)).transpose()?;
        let ltv_to_cac = match (ltv.as_ref().and_then(|l| l.value), cac.blended) {
            (Some(l), Some(c)) => ltv_to_cac(l, c)?,
            _ => None,
        };
        Ok(Values { won_deals, won_amount: won.won_amount, arpa, ltv, ltv_to_cac })
    }
}

/// The CAC ratio's accumulators: won amount of the new-ARR quarter, spend of the lagged one.
#[derive(Clone, Debug, PartialEq, Eq)]
struct RatioTally {
    new_arr: WinRateTally,
    spend_period: Period,
    spend: CacTally,
}

#[derive(Clone, Debug)]
pub(super) struct EconomicsTally {
    terms: EconomicsTerms,
    zone: Zone,
    currency: Currency,
    window: CacWindow,
    cac: CacTally,
    arpa: WinRateTally,
    /// Each account's first won deal so far (a later partition may hold an earlier one).
    first_wins: BTreeMap<AccountId, Deal>,
    /// The channels with paid spend: all `new_customers` reads of spend (whether a won
    /// deal's source had paid spend), so a set, whatever the lines' amounts or periods.
    paid: BTreeSet<ChannelId>,
    ratio: Option<RatioTally>,
    /// Per lead source, when the terms ask for it.
    sources: Rows,
    /// Per first-touch channel, when the terms ask for it: spend at push; customers and the
    /// ARPA base at finish, when every journey is known.
    channels: Rows,
    /// Each journey's first touch by id (`None`: no touch), when the terms ask for channels.
    first_touches: Copies<String, Option<(DateTime<Utc>, ChannelId)>>,
    /// The deals won in the ARPA period, when the terms ask for channels: their rows are
    /// known at finish.
    won_in_period: Vec<Deal>,
    /// The measured month's retention, when the terms ask for it.
    churn: Option<(Period, RetentionTally)>,
    excluded: Vec<Exclusion>,
}

impl EconomicsTally {
    pub(super) fn new(agreement: &Agreement, as_of: DateTime<Utc>) -> Result<Option<EconomicsTally>, Error> {
        let Some(terms) = &agreement.parts().kpis.economics else { return Ok(None) };
        let zone = agreement.reporting_zone();
        let currency = currency(agreement)?;
        let ratio = match terms.cac_ratio {
            Some(r) => {
                let new_arr = quarter(as_of, zone, r.quarter)?;
                let lag = i32::try_from(r.spend_lag_quarters).ok().and_then(|l| r.quarter.checked_sub(l));
                let spend_period = quarter(as_of, zone, lag.ok_or(ErrorKind::Overflow { op: "cac ratio quarter" })?)?;
                let first = zone.day_of(spend_period.start()).ok_or(ErrorKind::Overflow { op: "cac ratio quarter" })?;
                let spend = CacTally::new(CacWindow::new(first, 3, 0).in_zone(zone), currency);
                Some(RatioTally { new_arr: WinRateTally::new(new_arr, currency), spend_period, spend })
            }
            None => None,
        };
        let window = terms.window(as_of, zone)?;
        let churn = match terms.measured_churn {
            Some(_) => {
                let last = window
                    .first_month
                    .checked_add_months(Months::new(window.months.saturating_sub(1)))
                    .ok_or(ErrorKind::Overflow { op: "measured churn month" })?;
                let next = last
                    .checked_add_months(Months::new(1))
                    .ok_or(ErrorKind::Overflow { op: "measured churn month" })?;
                let period = Period::new(zone.start_of_day(last)?, zone.start_of_day(next)?)?;
                let terms =
                    RetentionTerms::new(period.start(), period.end(), as_of, crate::metrics::Bucket::Month, zone)?;
                Some((period, RetentionTally::new(terms, currency, BTreeMap::new())))
            }
            None => None,
        };
        Ok(Some(EconomicsTally {
            terms: terms.clone(),
            zone,
            currency,
            window,
            cac: CacTally::new(window, currency),
            arpa: WinRateTally::new(terms.arpa_period.resolve(as_of, zone)?, currency),
            first_wins: BTreeMap::new(),
            paid: BTreeSet::new(),
            ratio,
            sources: BTreeMap::new(),
            channels: BTreeMap::new(),
            first_touches: Copies::default(),
            won_in_period: Vec::new(),
            churn,
            excluded: Vec::new(),
        }))
    }

    /// The accumulators of the row of `key` (created empty) among the rows `of`, or none when
    /// the terms do not report those rows.
    fn row(&mut self, of: Key, key: Option<&ChannelId>) -> Option<&mut SourceTally> {
        let rows = match of {
            Key::Source if self.terms.by_source => &mut self.sources,
            Key::FirstTouch if self.terms.by_first_touch => &mut self.channels,
            Key::Source | Key::FirstTouch => return None,
        };
        let (window, period, currency) = (self.window, self.arpa.period(), self.currency);
        let row = rows.entry(key.cloned()).or_insert_with(|| SourceTally {
            cac: CacTally::new(window, currency),
            arpa: WinRateTally::new(period, currency),
        });
        Some(row)
    }

    /// Adds the partition's deals and spend lines; a bad one is set aside (strict: the error).
    pub(super) fn push(&mut self, facts: &FactSet, strict: bool) -> Result<(), Error> {
        for deal in &facts.deals {
            // The deal's own checks, and the new-customer rule (a won deal names its account).
            let customer = admit(deal, Some(self.currency))
                .and_then(|()| new_customers(std::slice::from_ref(deal), &[], self.zone).map(|c| c.is_empty()));
            let won = match customer {
                Ok(none) => !none,
                Err(error) => {
                    set_aside(strict, &mut self.excluded, Section::Economics, None, error)?;
                    continue;
                }
            };
            self.arpa.push(deal)?;
            if let Some(r) = &mut self.ratio {
                r.new_arr.push(deal)?;
            }
            if let Some(row) = self.row(Key::Source, deal.source.as_ref()) {
                row.arpa.push(deal)?;
            }
            let in_period = |deal: &Deal| deal.closed_at.is_some_and(|at| self.arpa.period().contains(at));
            if self.terms.by_first_touch && matches!(deal.status, DealStatus::Won) && in_period(deal) {
                self.won_in_period.push(deal.clone());
            }
            if let (true, Some(account), Some(closed)) = (won, &deal.account, deal.closed_at) {
                let earlier = |d: &Deal| (closed, &deal.id) < (d.closed_at.unwrap_or(closed), &d.id);
                if self.first_wins.get(account).is_none_or(earlier) {
                    self.first_wins.insert(account.clone(), deal.clone());
                }
            }
        }
        for spend in &facts.spend {
            if let Err(error) = self.cac.push_spend(spend) {
                set_aside(strict, &mut self.excluded, Section::Economics, None, error)?;
                continue;
            }
            if let Some(r) = &mut self.ratio {
                r.spend.push_spend(spend)?;
            }
            if let Some(row) = self.row(Key::Source, spend.channel.as_ref()) {
                row.cac.push_spend(spend)?;
            }
            if let Some(row) = self.row(Key::FirstTouch, spend.channel.as_ref()) {
                row.cac.push_spend(spend)?;
            }
            if let (SpendKind::Paid, Some(channel)) = (spend.kind, &spend.channel) {
                self.paid.insert(channel.clone());
            }
        }
        if let Some((_, tally)) = &mut self.churn {
            for fact in &facts.recurring_revenue {
                if let Err(error) = tally.push(fact) {
                    if error.record().is_none() {
                        return Err(error); // an overflow: no record to set aside
                    }
                    set_aside(strict, &mut self.excluded, Section::Economics, None, error)?;
                }
            }
        }
        if self.terms.by_first_touch {
            for journey in &facts.journeys {
                // Only a valid journey has a first touch (`acquired_customers` refuses the
                // facts otherwise): a bad one is set aside and read as no touch.
                let first = match journey.check().map_err(|e| e.about(Record::Journey(journey.id.clone()))) {
                    Ok(()) => journey.touches.first().map(|touch| (touch.at, touch.channel.clone())),
                    Err(error) => {
                        set_aside(strict, &mut self.excluded, Section::Economics, None, error)?;
                        None
                    }
                };
                self.first_touches.insert(journey.id.to_string(), first);
            }
        }
        Ok(())
    }

    pub(super) fn merge(&mut self, other: EconomicsTally) -> Result<(), Error> {
        if self.terms != other.terms || self.zone != other.zone || self.currency != other.currency {
            return Err(ErrorKind::DefinitionMismatch { tally: "scorecard economics", field: "terms" }.into());
        }
        self.cac.merge(other.cac)?;
        self.arpa.merge(other.arpa)?;
        match (&mut self.ratio, other.ratio) {
            (Some(mine), Some(theirs)) if mine.spend_period == theirs.spend_period => {
                mine.new_arr.merge(theirs.new_arr)?;
                mine.spend.merge(theirs.spend)?;
            }
            (None, None) => {}
            _ => return Err(ErrorKind::DefinitionMismatch { tally: "scorecard economics", field: "cac_ratio" }.into()),
        }
        for (account, deal) in other.first_wins {
            let key = |d: &Deal| (d.closed_at, d.id.clone());
            if self.first_wins.get(&account).is_none_or(|mine| key(&deal) < key(mine)) {
                self.first_wins.insert(account, deal);
            }
        }
        self.paid.extend(other.paid);
        merge_rows(&mut self.sources, other.sources)?;
        merge_rows(&mut self.channels, other.channels)?;
        self.first_touches.merge(other.first_touches);
        self.won_in_period.extend(other.won_in_period);
        match (&mut self.churn, other.churn) {
            (Some((_, mine)), Some((_, theirs))) => mine.merge(theirs)?,
            (None, None) => {}
            _ => {
                return Err(
                    ErrorKind::DefinitionMismatch { tally: "scorecard economics", field: "measured_churn" }.into()
                );
            }
        }
        self.excluded.extend(other.excluded);
        Ok(())
    }

    /// The section; in strict mode, a journey given in copies that differ (read for the
    /// first-touch rows) is the error.
    pub(super) fn finish(mut self, strict: bool) -> Result<EconomicsSection, Error> {
        let overflow = || Error::from(ErrorKind::Overflow { op: "unit economics" });
        let touches = std::mem::take(&mut self.first_touches);
        for id in touches.conflicted() {
            let journey = JourneyId::new(id.as_str())?;
            set_aside(strict, &mut self.excluded, Section::Economics, None, conflict(Record::Journey(journey)))?;
        }
        // A deal's first-touch channel, as `acquired_customers` derives it; a conflicted
        // journey is known and has no touch.
        let first_touch = |deal: &Deal| {
            first_touch_channel(deal, |id| {
                let id = id.to_owned();
                touches.contains(&id).then(|| touches.get(&id).and_then(Option::as_ref).map(|(at, c)| (*at, c)))
            })
        };
        for deal in std::mem::take(&mut self.won_in_period) {
            let channel = first_touch(&deal);
            if let Some(row) = self.row(Key::FirstTouch, channel.as_ref()) {
                row.arpa.push(&deal)?;
            }
        }
        // Each account's acquiring source: its first won deal's.
        let sources: BTreeMap<AccountId, Option<ChannelId>> =
            self.first_wins.iter().map(|(account, deal)| (account.clone(), deal.source.clone())).collect();
        let channels: BTreeMap<AccountId, Option<ChannelId>> =
            self.first_wins.iter().map(|(account, deal)| (account.clone(), first_touch(deal))).collect();
        let wins: Vec<Deal> = std::mem::take(&mut self.first_wins).into_values().collect();
        // One paid line per channel: `new_customers` reads its kind and channel only.
        let period = self.arpa.period();
        let marker = |channel| Spend {
            channel: Some(channel),
            ..Spend::new(period, SpendKind::Paid, Money::zero(self.currency))
        };
        let paid: Vec<Spend> = std::mem::take(&mut self.paid).into_iter().map(marker).collect();
        for customer in new_customers(&wins, &paid, self.zone)? {
            self.cac.push_customer(&customer)?;
            let source = sources.get(customer.account()).and_then(Option::as_ref);
            if let Some(row) = self.row(Key::Source, source) {
                row.cac.push_customer(&customer)?;
            }
            let channel = channels.get(customer.account()).and_then(Option::as_ref);
            if let Some(row) = self.row(Key::FirstTouch, channel) {
                row.cac.push_customer(&customer)?;
            }
        }
        let window = self.window;
        let cac = self.cac.finish()?;
        let won = self.arpa.finish()?;
        let terms = self.terms;
        let values = Values::of(&terms, self.currency, &cac, &won)?;
        let by_source = finish_rows(&terms, self.currency, self.sources)?;
        let by_first_touch = finish_rows(&terms, self.currency, self.channels)?;
        let Values { won_deals, won_amount, arpa, ltv, ltv_to_cac } = values;
        let (margin, churn) = (terms.gross_margin.fraction(), terms.monthly_churn.fraction());
        let discount = terms.discount_rate.fraction();
        let discounted_ltv =
            arpa.map(|a| Ltv::discounted(a, margin, churn, discount, terms.cash_timing)).transpose()?;
        let payback_months = match (cac.blended, arpa) {
            (Some(c), Some(a)) => cac_payback_months(c, a, margin)?.months,
            _ => None,
        };
        let cac_ratio = match self.ratio {
            Some(r) => {
                let new_arr = r.new_arr.period();
                let (arr, spend) = (r.new_arr.finish()?.won_amount, r.spend.finish()?.spend);
                let ratio = cac_ratio(arr, margin, spend)?;
                Some(CacRatioKpi { new_arr_period: new_arr, spend_period: r.spend_period, new_arr: arr, spend, ratio })
            }
            None => None,
        };
        let measured = match (self.churn.take(), terms.measured_churn) {
            (Some((period, tally)), Some(basis)) => {
                let base = measured::Base { basis, arpa, margin, blended_cac: cac.blended };
                Some(measured::measure(period, tally, base, strict, &mut self.excluded)?)
            }
            _ => None,
        };
        let last_month =
            window.first_month.checked_add_months(Months::new(window.months.saturating_sub(1))).ok_or_else(overflow)?;
        self.excluded.sort();
        Ok(EconomicsSection {
            terms,
            window,
            last_month,
            won_deals,
            won_amount,
            arpa,
            cac,
            ltv,
            discounted_ltv,
            ltv_to_cac,
            payback_months,
            cac_ratio,
            measured,
            by_source,
            by_first_touch,
            excluded: self.excluded,
        })
    }
}
