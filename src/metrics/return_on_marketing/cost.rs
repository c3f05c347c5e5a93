//! Cost per funnel stage: spend over the entities that reached each stage.

use rust_decimal::Decimal;

use super::ReturnOnMarketing;
use crate::metrics::amount::{exact, rounded_money};
use crate::{Error, Money, Ratio};

/// How many entities reached each stage in the report period, counted by the caller with the
/// crate's counting rules (first entry into the stage, [definitions, section 2](crate::definitions::funnel)):
/// leads, MQLs, SQLs and opportunities from a [`StageConversion`](crate::metrics::StageConversion)'s
/// reached counts, customers from [`new_customers`](crate::metrics::new_customers). This type
/// counts nothing itself, so no second counting rule exists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct StageCounts {
    /// Leads created.
    pub leads: u64,
    /// Marketing-qualified leads.
    pub mqls: u64,
    /// Sales-qualified leads.
    pub sqls: u64,
    /// Opportunities.
    pub opportunities: u64,
    /// New customers.
    pub customers: u64,
}

/// Cost per stage: the period's total spend / the entities reaching each stage.
///
/// Each `x` is the quotient rounded half to even to the minor unit; `x_exact` is spend (major
/// units) / count. A zero count gives `None` for both (undefined, not zero and not infinite).
/// Blended: always total spend over total count, never a mean of channel values.
///
/// # Example
///
/// ```
/// use revops::metrics::{ReturnOnMarketingTally, StageCounts};
/// use revops::facts::{Spend, SpendKind};
/// use revops::{Currency, Money, Period, Tally};
///
/// let mut tally = ReturnOnMarketingTally::new(Period::all_time(), Currency::USD, ["linear"])?;
/// tally.push_spend(&Spend::new(Period::all_time(), SpendKind::Paid, Money::from_minor(10_000_00, Currency::USD)))?;
/// let counts = StageCounts { leads: 400, mqls: 100, sqls: 30, opportunities: 20, customers: 0 };
/// let cost = tally.finish()?.cost_per_stage(counts)?;
/// assert_eq!(cost.lead.map(|m| m.to_string()), Some("25.00 USD".to_owned()));
/// assert_eq!(cost.sql.map(|m| m.to_string()), Some("333.33 USD".to_owned()));
/// assert_eq!(cost.customer, None);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CostPerStage {
    /// The spend divided.
    pub spend: Money,
    /// The counts it is divided by.
    pub counts: StageCounts,
    /// Cost per lead.
    pub lead: Option<Money>,
    /// `lead` exactly.
    pub lead_exact: Option<Ratio<Decimal>>,
    /// Cost per MQL.
    pub mql: Option<Money>,
    /// `mql` exactly.
    pub mql_exact: Option<Ratio<Decimal>>,
    /// Cost per SQL.
    pub sql: Option<Money>,
    /// `sql` exactly.
    pub sql_exact: Option<Ratio<Decimal>>,
    /// Cost per opportunity.
    pub opportunity: Option<Money>,
    /// `opportunity` exactly.
    pub opportunity_exact: Option<Ratio<Decimal>>,
    /// Cost per new customer.
    pub customer: Option<Money>,
    /// `customer` exactly.
    pub customer_exact: Option<Ratio<Decimal>>,
}

impl CostPerStage {
    /// `spend` over each of `counts`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRatio`](crate::ErrorKind::InvalidRatio) for negative spend;
    /// [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) if a quotient leaves `Decimal`'s range.
    pub fn new(spend: Money, counts: StageCounts) -> Result<CostPerStage, Error> {
        let per = |n: u64| -> Result<(Option<Money>, Option<Ratio<Decimal>>), Error> {
            let e = exact(spend.amount(), Decimal::from(n))?;
            Ok((rounded_money(e, spend.currency(), "cost per stage")?, e))
        };
        let (lead, lead_exact) = per(counts.leads)?;
        let (mql, mql_exact) = per(counts.mqls)?;
        let (sql, sql_exact) = per(counts.sqls)?;
        let (opportunity, opportunity_exact) = per(counts.opportunities)?;
        let (customer, customer_exact) = per(counts.customers)?;
        Ok(CostPerStage {
            spend,
            counts,
            lead,
            lead_exact,
            mql,
            mql_exact,
            sql,
            sql_exact,
            opportunity,
            opportunity_exact,
            customer,
            customer_exact,
        })
    }
}

impl ReturnOnMarketing {
    /// The table's total spend over each of `counts` ([`CostPerStage::new`]).
    ///
    /// # Errors
    /// As [`CostPerStage::new`].
    pub fn cost_per_stage(&self, counts: StageCounts) -> Result<CostPerStage, Error> {
        CostPerStage::new(self.spend, counts)
    }
}
