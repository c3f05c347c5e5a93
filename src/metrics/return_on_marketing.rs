//! Return on marketing ([definitions, section 6](crate::definitions::marketing_return)): spend by
//! channel and campaign beside the revenue attributed to them under one or more named models,
//! with ROAS and ROI per model, one column per model; and cost per funnel stage
//! ([`CostPerStage`]).

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::amount::{add, add_count, decimal, exact, from_minor, minor_units, rounded};
use super::definition::same;
use super::unit_economics::SpendRecord;
use crate::attribution::AttributionReport;
use crate::facts::Spend;
use crate::{CampaignId, ChannelId, Currency, Error, ErrorKind, Money, Period, Ratio, Record, Tally};

mod cost;
#[cfg(feature = "serde")]
mod state;
#[cfg(test)]
mod tests;

pub use self::cost::{CostPerStage, StageCounts};

const TALLY: &str = "return on marketing";

/// Spend by channel and campaign beside attributed revenue under named models (a [`Tally`]);
/// finishes to a [`ReturnOnMarketing`] table.
///
/// # Definitions
///
/// - **Spend** of a row = the sum of the [`Spend`] lines traced to its channel (or campaign);
///   spend traced to no channel is the `None` row ("unattributed"), never dropped, so the rows'
///   spend sums to the total spend to the cent.
/// - **Attributed revenue** of a row under model `m` = the credits of the row's channel (or
///   campaign) in the [`AttributionReport`]s of `m` pushed; the rows' revenue sums to the total
///   bookings of `m` to the cent (each report is checked to reconcile when pushed).
/// - **ROAS** = attributed revenue / spend, an exact [`Ratio`] (`roas_exact`), `None` without
///   spend; `roas` is its value rounded half to even to 4 decimals.
/// - **ROI** = (attributed revenue - spend) / spend: `gain` (revenue - spend, signed) over the
///   row's spend, exactly; `roi` is its value rounded half to even to 4 decimals, `None` without
///   spend. ROI = ROAS - 1 on the same row.
/// - **Time** (our rule): the report covers a half-open period `[start, end)`. A spend line counts
///   when its period lies inside the report period; one wholly outside is not counted (its count
///   is reported, `spend_lines_outside`); one that overlaps a boundary is refused
///   ([`ErrorKind::InconsistentRecord`] naming the line), not pro-rated. Why: pro-rating must
///   choose a rule (seconds, days, working days, as invoiced) and a rounding of minor units, each
///   giving other ROAS; the caller splits the line with their accounting rule, as for
///   [`CacTally`](crate::metrics::CacTally). The revenue side is the caller's attribution of
///   the deals closed in the same period: the tally cannot see the deals' dates, so it takes the
///   reports as given.
/// - **Edge cases**: no spend on a row gives `None` ROAS and ROI (a channel credited revenue
///   without spend is shown, not dropped); a row with spend and no credit shows zero revenue and
///   ROI -1. Negative spend or credit is [`ErrorKind::Negative`]; a spend line in another
///   currency is [`ErrorKind::MixedCurrency`] naming the line, a report holding another currency
///   is [`ErrorKind::MixedCurrency`]; a report of a model the tally was not built for is
///   [`ErrorKind::UnknownKey`]; a report whose channel or campaign credits do not sum to its
///   revenue, or that holds revenue but no campaign credits (build its
///   [`Totals`](crate::attribution::Totals) with [`Breakdown::campaign`](crate::attribution::Breakdown::campaign)),
///   is [`ErrorKind::InconsistentRecord`].
///
/// # Example: two channels, one model
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::attribution::{Breakdown, Model, Totals};
/// use revops::facts::{Journey, Spend, SpendKind, Touchpoint};
/// use revops::metrics::{MarketingFact, ReturnOnMarketingTally};
/// use revops::{ChannelId, Currency, JourneyId, Money, Period, Tally};
/// use rust_decimal_macros::dec;
///
/// let day = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let january = Period::new(day(1), Utc.with_ymd_and_hms(2024, 2, 1, 0, 0, 0).single().unwrap_or_default())?;
/// let usd = |dollars: i64| Money::from_minor(dollars * 100, Currency::USD);
/// let search = ChannelId::new("paid_search")?;
/// let mut totals = Totals::with_breakdown(Model::first_touch(), Breakdown { campaign: true, ..Breakdown::default() });
/// totals.push(&Journey::converted(JourneyId::new("j1")?, day(20), usd(5_000))
///     .with_touch(Touchpoint::new(day(2), search.clone())))?;
/// let mut tally = ReturnOnMarketingTally::new(january, Currency::USD, ["first_touch"])?;
/// tally.push(&MarketingFact::Attributed(totals.finish()?))?;
/// tally.push_spend(&Spend::new(january, SpendKind::Paid, usd(1_000)).on_channel(search.clone()))?;
/// tally.push_spend(&Spend::new(january, SpendKind::MarketingPeople, usd(3_000)))?; // on no channel
/// let table = tally.finish()?;
/// let row = &table.by_channel[&Some(search)];
/// assert_eq!(row.models[0].roas, Some(dec!(5)));  // 5,000 / 1,000
/// assert_eq!(row.models[0].roi, Some(dec!(4)));   // (5,000 - 1,000) / 1,000
/// assert_eq!(table.by_channel[&None].spend, usd(3_000)); // unattributed spend, its own row
/// assert_eq!(table.total.models[0].roas, Some(dec!(1.25))); // blended: 5,000 / 4,000
/// # Ok::<(), revops::Error>(())
/// ```
///
/// # Merge and wire format
///
/// Merge sums two tallies of the same period, currency and model list (in the same order);
/// else [`ErrorKind::DefinitionMismatch`] naming `period`, `currency` or `models`. Partial state
/// serializes (feature `serde`) as its definition and minor-unit sums, validated on read.
///
/// # Example
///
/// ```
/// use revops::metrics::ReturnOnMarketingTally;
/// use revops::{Currency, Period, Tally};
///
/// let mut a = ReturnOnMarketingTally::new(Period::all_time(), Currency::USD, ["linear", "w_shaped"])?;
/// let b = ReturnOnMarketingTally::new(Period::all_time(), Currency::EUR, ["linear", "w_shaped"])?;
/// assert!(a.merge(b).is_err()); // another currency: never a silent sum
/// assert!(ReturnOnMarketingTally::new(Period::all_time(), Currency::USD, ["linear", "linear"]).is_err());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "state::ReturnState", into = "state::ReturnState")
)]
pub struct ReturnOnMarketingTally {
    period: Period,
    currency: Currency,
    models: Vec<String>,
    spend_by_channel: BTreeMap<Option<ChannelId>, i128>,
    spend_by_campaign: BTreeMap<Option<CampaignId>, i128>,
    /// Per model (in `models` order) credits by channel.
    revenue_by_channel: BTreeMap<ChannelId, Vec<i128>>,
    revenue_by_campaign: BTreeMap<Option<CampaignId>, Vec<i128>>,
    bookings: Vec<i128>,
    outside: u64,
}

/// One fact a [`ReturnOnMarketingTally`] reads: a spend line or one model's attribution report.
///
/// # Example
///
/// ```
/// use revops::facts::{Spend, SpendKind};
/// use revops::metrics::{MarketingFact, ReturnOnMarketingTally};
/// use revops::{Currency, Money, Period, Tally};
///
/// let line = Spend::new(Period::all_time(), SpendKind::Paid, Money::from_minor(100, Currency::USD));
/// let mut tally = ReturnOnMarketingTally::new(Period::all_time(), Currency::USD, ["linear"])?;
/// tally.push(&MarketingFact::Spend(line))?;
/// assert_eq!(tally.finish()?.spend, Money::from_minor(100, Currency::USD));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MarketingFact {
    /// A spend line (the denominator).
    Spend(Spend),
    /// One model's finished attribution totals (the numerator).
    Attributed(AttributionReport),
}

/// One model's return on a row of a [`ReturnOnMarketing`] table.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ModelReturn {
    /// Revenue the model attributes to the row.
    pub revenue: Money,
    /// `revenue - spend`, signed: the numerator of ROI (its denominator is the row's spend).
    pub gain: Money,
    /// ROAS exactly: revenue / spend (major units), `None` without spend.
    pub roas_exact: Option<Ratio<Decimal>>,
    /// ROAS rounded half to even to 4 decimals.
    pub roas: Option<Decimal>,
    /// ROI = `gain / spend` rounded half to even to 4 decimals, `None` without spend.
    pub roi: Option<Decimal>,
}

/// A row of a [`ReturnOnMarketing`] table: its spend and one [`ModelReturn`] per model.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ReturnRow {
    /// Spend on the row.
    pub spend: Money,
    /// One column per model, in [`ReturnOnMarketing::models`] order.
    pub models: Vec<ModelReturn>,
}

/// The finished table of a [`ReturnOnMarketingTally`]: every row's spend sums to `spend`, every
/// model column's revenue sums to that model's `bookings`, by channel and by campaign.
///
/// On the wire, `by_channel` and `by_campaign` are lists of `[key, row]` pairs in key order
/// (`null` for the `None` row): JSON object keys must be strings.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ReturnOnMarketing {
    /// The report period.
    pub period: Period,
    /// The models, one column each, in the order the tally was built with.
    pub models: Vec<String>,
    /// Total spend in the period.
    pub spend: Money,
    /// Total bookings per model (in `models` order).
    pub bookings: Vec<Money>,
    /// Spend lines wholly outside the period, not counted.
    pub spend_lines_outside: u64,
    /// Rows by channel; `None` is spend traced to no channel.
    #[cfg_attr(feature = "serde", serde(with = "crate::wire::key_pairs"))]
    pub by_channel: BTreeMap<Option<ChannelId>, ReturnRow>,
    /// Rows by campaign; `None` is spend and credit of no campaign.
    #[cfg_attr(feature = "serde", serde(with = "crate::wire::key_pairs"))]
    pub by_campaign: BTreeMap<Option<CampaignId>, ReturnRow>,
    /// The blended row: total spend against total bookings (a ratio of sums, never a mean of rows).
    pub total: ReturnRow,
}

impl ReturnOnMarketingTally {
    /// An empty tally over `period` in `currency`, for the named `models` (one column each, in
    /// this order; names as [`AttributionReport::model`], e.g. `"w_shaped"`).
    ///
    /// # Errors
    /// [`ErrorKind::Empty`] without a model; [`ErrorKind::DuplicateKey`] for a model named twice.
    pub fn new<S: Into<String>>(
        period: Period,
        currency: Currency,
        models: impl IntoIterator<Item = S>,
    ) -> Result<ReturnOnMarketingTally, Error> {
        let models: Vec<String> = models.into_iter().map(Into::into).collect();
        if models.is_empty() {
            return Err(ErrorKind::Empty { what: "return on marketing models" }.into());
        }
        for (i, m) in models.iter().enumerate() {
            if models.iter().take(i).any(|n| n == m) {
                return Err(ErrorKind::DuplicateKey { kind: "attribution model", key: m.clone() }.into());
            }
        }
        let n = models.len();
        Ok(ReturnOnMarketingTally {
            period,
            currency,
            models,
            spend_by_channel: BTreeMap::new(),
            spend_by_campaign: BTreeMap::new(),
            revenue_by_channel: BTreeMap::new(),
            revenue_by_campaign: BTreeMap::new(),
            bookings: vec![0; n],
            outside: 0,
        })
    }

    /// Adds a spend line (see [`ReturnOnMarketingTally`] for the time rule).
    ///
    /// # Errors
    /// [`ErrorKind::Negative`], [`ErrorKind::MixedCurrency`], naming the line;
    /// [`ErrorKind::InconsistentRecord`] naming it if its period overlaps a boundary of the
    /// report period; [`ErrorKind::Overflow`].
    pub fn push_spend(&mut self, spend: &Spend) -> Result<(), Error> {
        let minor = minor_units(&SpendRecord(spend), "spend", spend.amount, self.currency)?;
        let (s, e) = (spend.period.start(), spend.period.end());
        if s >= self.period.start() && e <= self.period.end() {
            add_into(&mut self.spend_by_channel, &spend.channel, minor)?;
            add_into(&mut self.spend_by_campaign, &spend.campaign, minor)?;
            Ok(())
        } else if e <= self.period.start() || s >= self.period.end() {
            self.outside = add_count(self.outside, 1)?;
            Ok(())
        } else {
            Err(ErrorKind::InconsistentRecord {
                reason: "a spend period overlaps the boundary of the return-on-marketing period; split it at the boundary",
            }
            .about(Record::Spend(SpendRecord(spend).to_string())))
        }
    }

    /// Adds one model's attribution report (its credits in the tally's currency); reports of the
    /// same model add up (e.g. one per partition of the journeys). A failed push leaves the
    /// tally unchanged.
    ///
    /// # Errors
    /// [`ErrorKind::UnknownKey`] for a model the tally was not built for;
    /// [`ErrorKind::MixedCurrency`] for totals in another currency; [`ErrorKind::Negative`]
    /// for a negative credit; [`ErrorKind::InconsistentRecord`] for credits that do not sum to
    /// the revenue or revenue without campaign credits; [`ErrorKind::Overflow`].
    pub fn push_report(&mut self, report: &AttributionReport) -> Result<(), Error> {
        let Some(m) = self.models.iter().position(|n| *n == report.model) else {
            return Err(ErrorKind::UnknownKey { kind: "return on marketing model", key: report.model.clone() }.into());
        };
        let mut next = self.clone();
        for (&currency, totals) in &report.currencies {
            if currency != self.currency {
                return Err(ErrorKind::MixedCurrency { expected: self.currency, found: currency }.into());
            }
            let subject = ReportRecord;
            let revenue = minor_units(&subject, "attributed revenue", totals.revenue, currency)?;
            let mut by_channel = 0i128;
            for (channel, credit) in &totals.by_channel {
                let c = minor_units(&subject, "channel credit", *credit, currency)?;
                by_channel = add(by_channel, c)?;
                add_column(&mut next.revenue_by_channel, channel, m, self.models.len(), c)?;
            }
            let mut by_campaign = 0i128;
            for (campaign, credit) in &totals.by_campaign {
                let c = minor_units(&subject, "campaign credit", *credit, currency)?;
                by_campaign = add(by_campaign, c)?;
                add_column(&mut next.revenue_by_campaign, campaign, m, self.models.len(), c)?;
            }
            if by_channel != revenue || by_campaign != revenue {
                return Err(ErrorKind::InconsistentRecord {
                    reason: "an attribution report's channel and campaign credits must each sum to its revenue \
                             (build its totals with the campaign breakdown)",
                }
                .into());
            }
            if let Some(b) = next.bookings.get_mut(m) {
                *b = add(*b, revenue)?;
            }
        }
        *self = next;
        Ok(())
    }
}

/// An attribution report has no record id of its own: its errors name no record.
struct ReportRecord;

impl crate::error::Subject for ReportRecord {
    fn record(&self) -> Option<Record> {
        None
    }
}

fn add_into<K: Ord + Clone>(map: &mut BTreeMap<K, i128>, key: &K, minor: i128) -> Result<(), Error> {
    if let Some(sum) = map.get_mut(key) {
        *sum = add(*sum, minor)?;
    } else {
        map.insert(key.clone(), minor);
    }
    Ok(())
}

fn add_column<K: Ord + Clone>(
    map: &mut BTreeMap<K, Vec<i128>>,
    key: &K,
    m: usize,
    n: usize,
    minor: i128,
) -> Result<(), Error> {
    let column = map.entry(key.clone()).or_insert_with(|| vec![0; n]);
    if let Some(sum) = column.get_mut(m) {
        *sum = add(*sum, minor)?;
    }
    Ok(())
}

fn merge_sums<K: Ord>(into: &mut BTreeMap<K, i128>, from: BTreeMap<K, i128>) -> Result<(), Error> {
    for (k, v) in from {
        let sum = into.entry(k).or_insert(0);
        *sum = add(*sum, v)?;
    }
    Ok(())
}

fn merge_columns<K: Ord>(
    into: &mut BTreeMap<K, Vec<i128>>,
    from: BTreeMap<K, Vec<i128>>,
    n: usize,
) -> Result<(), Error> {
    for (k, v) in from {
        let column = into.entry(k).or_insert_with(|| vec![0; n]);
        for (a, b) in column.iter_mut().zip(v) {
            *a = add(*a, b)?;
        }
    }
    Ok(())
}

impl Tally for ReturnOnMarketingTally {
    type Fact = MarketingFact;
    type Output = ReturnOnMarketing;

    /// [`ReturnOnMarketingTally::push_spend`] or [`ReturnOnMarketingTally::push_report`].
    ///
    /// # Errors
    /// As theirs.
    fn push(&mut self, fact: &MarketingFact) -> Result<(), Error> {
        match fact {
            MarketingFact::Spend(spend) => self.push_spend(spend),
            MarketingFact::Attributed(report) => self.push_report(report),
        }
    }

    /// # Errors
    /// [`ErrorKind::DefinitionMismatch`] naming `period`, `currency` or `models`;
    /// [`ErrorKind::Overflow`] (then `self` is unchanged).
    fn merge(&mut self, other: ReturnOnMarketingTally) -> Result<(), Error> {
        same(TALLY, "period", &self.period, &other.period)?;
        same(TALLY, "currency", &self.currency, &other.currency)?;
        same(TALLY, "models", &self.models, &other.models)?;
        let mut next = self.clone();
        let n = next.models.len();
        merge_sums(&mut next.spend_by_channel, other.spend_by_channel)?;
        merge_sums(&mut next.spend_by_campaign, other.spend_by_campaign)?;
        merge_columns(&mut next.revenue_by_channel, other.revenue_by_channel, n)?;
        merge_columns(&mut next.revenue_by_campaign, other.revenue_by_campaign, n)?;
        for (a, b) in next.bookings.iter_mut().zip(other.bookings) {
            *a = add(*a, b)?;
        }
        next.outside = add_count(next.outside, other.outside)?;
        *self = next;
        Ok(())
    }

    /// # Errors
    /// [`ErrorKind::Overflow`].
    fn finish(self) -> Result<ReturnOnMarketing, Error> {
        let n = self.models.len();
        let currency = self.currency;
        let zeros = vec![0i128; n];
        let mut by_channel = BTreeMap::new();
        let mut channels: BTreeMap<Option<ChannelId>, (i128, Vec<i128>)> =
            self.spend_by_channel.into_iter().map(|(k, s)| (k, (s, zeros.clone()))).collect();
        for (k, revenue) in self.revenue_by_channel {
            channels.entry(Some(k)).or_insert_with(|| (0, zeros.clone())).1 = revenue;
        }
        for (k, (spend, revenue)) in channels {
            by_channel.insert(k, row(spend, &revenue, currency)?);
        }
        let mut campaigns: BTreeMap<Option<CampaignId>, (i128, Vec<i128>)> =
            self.spend_by_campaign.into_iter().map(|(k, s)| (k, (s, zeros.clone()))).collect();
        for (k, revenue) in self.revenue_by_campaign {
            campaigns.entry(k).or_insert_with(|| (0, zeros.clone())).1 = revenue;
        }
        let mut by_campaign = BTreeMap::new();
        let mut spend = 0i128;
        for (k, (s, revenue)) in campaigns {
            spend = add(spend, s)?;
            by_campaign.insert(k, row(s, &revenue, currency)?);
        }
        Ok(ReturnOnMarketing {
            period: self.period,
            models: self.models,
            spend: from_minor(spend, currency)?,
            bookings: self.bookings.iter().map(|&b| from_minor(b, currency)).collect::<Result<_, _>>()?,
            spend_lines_outside: self.outside,
            by_channel,
            by_campaign,
            total: row(spend, &self.bookings, currency)?,
        })
    }
}

/// A row: `spend` against each model's `revenue`.
fn row(spend: i128, revenue: &[i128], currency: Currency) -> Result<ReturnRow, Error> {
    let spend_major = decimal(spend, currency)?;
    let mut models = Vec::with_capacity(revenue.len());
    for &r in revenue {
        let gain_minor = r.checked_sub(spend).ok_or(ErrorKind::Overflow { op: "return on marketing gain" })?;
        let gain = from_minor(gain_minor, currency)?;
        let roas_exact = exact(decimal(r, currency)?, spend_major)?;
        let roi = if spend == 0 {
            None
        } else {
            Some(
                gain.amount()
                    .checked_div(spend_major)
                    .ok_or(ErrorKind::Overflow { op: "return on marketing roi" })?
                    .round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointNearestEven)
                    .normalize(),
            )
        };
        models.push(ModelReturn {
            revenue: from_minor(r, currency)?,
            gain,
            roas: rounded(roas_exact, 4, "return on marketing roas")?,
            roas_exact,
            roi,
        });
    }
    Ok(ReturnRow { spend: from_minor(spend, currency)?, models })
}
