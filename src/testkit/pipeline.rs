//! Snapshots of the sample company's pipeline, with stages and forecast categories, for the
//! forecast roll-ups and pipeline movement.

use chrono::{DateTime, Days, NaiveDate, Utc};

use super::{Company, SampleOutcome};
use crate::facts::{Deal, DealStatus, ForecastCategory};
use crate::forecast::CategoryMap;
use crate::{Error, Money, Probability, StageId};

/// The sample's open deal stages, in order, with their probability and forecast category.
const STAGES: [(&str, u8, ForecastCategory); 3] = [
    ("discovery", 20, ForecastCategory::Pipeline),
    ("proposal", 50, ForecastCategory::BestCase),
    ("negotiation", 80, ForecastCategory::Commit),
];

/// The sample company's forecast category map: `discovery` -> Pipeline, `proposal` -> Best
/// Case, `negotiation` -> Commit (Salesforce's stages `Qualification`, `Proposal/Price Quote`
/// and `Negotiation/Review`), no `unmapped` category.
///
/// # Errors
/// None in practice: the map is built from constants (the `Result` is the constructor's).
///
/// # Example
///
/// ```
/// use revops::facts::ForecastCategory;
/// use revops::testkit::sample_category_map;
/// use revops::StageId;
///
/// let map = sample_category_map()?;
/// assert_eq!(map.stage(&StageId::new("proposal")?), Some(ForecastCategory::BestCase));
/// # Ok::<(), revops::Error>(())
/// ```
pub fn sample_category_map() -> Result<CategoryMap, Error> {
    let stages = STAGES.iter().map(|(s, _, c)| Ok((StageId::new(*s)?, *c)));
    CategoryMap::new(stages.collect::<Result<Vec<_>, Error>>()?, None)
}

/// The number at the end of an opportunity id (`O00000042` -> 42).
fn number(id: &str) -> u64 {
    id.bytes().filter(u8::is_ascii_digit).fold(0u64, |n, b| n.wrapping_mul(10).wrapping_add(u64::from(b - b'0')))
}

impl Company {
    /// The pipeline as a CRM snapshot taken at `at` would show it: every opportunity created by
    /// then, one [`Deal`] each (in lead order), deterministic for the company's seed.
    ///
    /// - Closed by `at`: as [`SampleLead::deal_fact`](super::SampleLead::deal_fact), with stage
    ///   `won` or `lost` and category Closed or Omitted.
    /// - Still open at the company's [`as_of`](Company::as_of): its sample stage, probability and
    ///   expected close date (category from its stage through [`sample_category_map`]).
    /// - Open at `at` but closed later: a stage by how far it is from creation to close
    ///   (first third `discovery`, then `proposal`, then `negotiation`), its probability; the
    ///   expected close date is the actual close date, except that every fourth deal expects to
    ///   close 30 days after the snapshot while it closes later (so it slips), every seventh other one
    ///   60 days later until 45 days before it closes (so it is pulled in); every fifth
    ///   deal is at 90% of its final amount in its first half (so it grows); and every third deal
    ///   that will be lost is Omitted in its last third (a stalled deal).
    ///
    /// A snapshot at or after [`as_of`](Company::as_of) has the same deals, statuses and
    /// amounts as the lead facts; the sample company's other figures do not read it.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{Days, Months};
    /// use revops::forecast::{MovementTally, join_snapshots};
    /// use revops::testkit::{Company, sample_category_map};
    /// use revops::{Period, Tally, calendar::Zone};
    ///
    /// let company = Company::sample();
    /// // Q3 2024, seen on 1 August and on 15 September.
    /// let q3 = |months| company.year_start().checked_add_months(Months::new(months)).unwrap_or(company.as_of());
    /// let t0 = q3(7);
    /// let t1 = t0.checked_add_days(Days::new(45)).unwrap_or(t0);
    /// let (s0, s1) = (company.pipeline_snapshot(t0), company.pipeline_snapshot(t1));
    /// assert!(s1.len() >= s0.len() && s1.iter().all(|d| d.check().is_ok()));
    /// let quarter = Period::new(q3(6), q3(9))?;
    /// let tally = MovementTally::new(quarter, Zone::UTC, company.currency(), sample_category_map()?);
    /// let movement = tally.tally(&join_snapshots(&s0, &s1)?)?;
    /// assert!(movement.new.deals > 0 && movement.won.deals > 0 && movement.pushed_out.deals > 0);
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn pipeline_snapshot(&self, at: DateTime<Utc>) -> Vec<Deal> {
        self.leads()
            .filter_map(|lead| {
                let opp = lead.opportunity.as_ref()?;
                let deal = lead.deal_fact()?;
                (opp.created_at <= at).then(|| snapshot_row(deal, &opp.outcome, opp.closed_at, at))
            })
            .collect()
    }
}

fn stage(name: &str) -> Option<StageId> {
    StageId::new(name).ok()
}

fn snapshot_row(deal: Deal, outcome: &SampleOutcome, closed_at: Option<DateTime<Utc>>, at: DateTime<Utc>) -> Deal {
    let n = number(deal.id.as_str());
    match (outcome, closed_at) {
        (SampleOutcome::Won, Some(c)) if c <= at => {
            deal.stage(stage("won")).forecast_category(Some(ForecastCategory::Closed))
        }
        (SampleOutcome::Lost { .. }, Some(c)) if c <= at => {
            deal.stage(stage("lost")).forecast_category(Some(ForecastCategory::Omitted))
        }
        (SampleOutcome::Open { stage: name, .. }, _) => deal.stage(stage(name)),
        (_, Some(closed)) => {
            let life = (closed - deal.created_at).num_seconds().max(1);
            let elapsed = (at - deal.created_at).num_seconds().clamp(0, life);
            let third = usize::try_from(elapsed.saturating_mul(3) / life).unwrap_or(2).min(2);
            let (name, percent, _) =
                STAGES.get(third).copied().unwrap_or(("discovery", 20, ForecastCategory::Pipeline));
            let actual = closed.date_naive();
            let today = at.date_naive();
            let early = today.checked_add_days(Days::new(30)).filter(|d| *d < actual);
            let late = actual
                .checked_add_days(Days::new(60))
                .filter(|_| actual.checked_sub_days(Days::new(45)).is_some_and(|d| d > today));
            let close_date: NaiveDate = if n.is_multiple_of(4) {
                early.unwrap_or(actual)
            } else if n.is_multiple_of(7) {
                late.unwrap_or(actual)
            } else {
                actual
            };
            let mut amount = deal.amount;
            if n.is_multiple_of(5) && elapsed.saturating_mul(2) < life {
                // 90% of the final amount, in whole hundreds.
                let minor = i64::try_from(amount.to_minor_i128().unwrap_or(0)).unwrap_or(0);
                amount = Money::from_minor(minor / 10 * 9 / 10_000 * 10_000, amount.currency());
            }
            let lost = matches!(outcome, SampleOutcome::Lost { .. });
            let category = (lost && n.is_multiple_of(3) && third == 2).then_some(ForecastCategory::Omitted);
            let probability = Probability::from_percent(percent).unwrap_or(Probability::ZERO);
            let mut row =
                deal.stage(stage(name)).forecast_category(category).close_date(Some(close_date)).closed_at(None);
            row.status = DealStatus::Open { probability };
            row.amount = amount;
            row
        }
        // A closed outcome always has a close time; keep the fact as it is otherwise.
        (_, None) => deal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshots_are_consistent_and_end_at_the_facts() {
        let company = Company::new(7, 600).unwrap();
        let facts: Vec<Deal> = company.leads().filter_map(|l| l.deal_fact()).collect();
        let last = company.pipeline_snapshot(company.as_of());
        assert_eq!(last.len(), facts.len());
        for (row, fact) in last.iter().zip(&facts) {
            row.check().unwrap();
            assert_eq!(
                (&row.id, &row.status, row.amount, row.closed_at),
                (&fact.id, &fact.status, fact.amount, fact.closed_at)
            );
            assert!(row.stage.is_some());
        }
        let map = sample_category_map().unwrap();
        let early = company.pipeline_snapshot(company.year_start().checked_add_days(Days::new(200)).unwrap());
        assert!(early.len() < last.len());
        assert!(early.iter().all(|d| d.check().is_ok() && map.category(d).is_ok()));
        assert!(early.iter().any(|d| d.forecast_category == Some(ForecastCategory::Omitted) && !d.status.is_closed()));
        assert_eq!(company.pipeline_snapshot(company.as_of()), last); // deterministic
    }
}
