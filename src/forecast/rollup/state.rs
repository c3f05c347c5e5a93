//! Wire shape of [`ForecastTally`]'s partial state (feature `serde`).

use serde::{Deserialize, Serialize};

use super::{ForecastTally, Sums, slot};
use crate::calendar::Zone;
use crate::facts::ForecastCategory;
use crate::forecast::CategoryMap;
use crate::metrics::pipeline::exact::{Products, ScaleSum};
use crate::metrics::wire::{bad_state, empty_sum, minor, non_negative};
use crate::{Currency, Error, Money, Period};

const T: &str = "forecast roll-up tally";

/// The partial state: the definition, then one entry per category with deals (category order,
/// each at most once), then the open deals without a close date.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ForecastState {
    period: Period,
    zone: Zone,
    currency: Currency,
    map: CategoryMap,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    quota: Option<Money>,
    qualified_only: bool,
    categories: Vec<CategoryState>,
    open_without_close_date: u64,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoryState {
    category: ForecastCategory,
    deals: u64,
    #[serde(with = "minor")]
    amount_minor: i128,
    /// The exact weighted sum: per probability scale, the sum of minor units x probability
    /// digits, non-zero scales ascending.
    weighted: Vec<ScaleSum>,
}

impl From<ForecastTally> for ForecastState {
    fn from(t: ForecastTally) -> ForecastState {
        let categories = ForecastCategory::ALL
            .into_iter()
            .zip(t.sums)
            .filter(|(_, s)| s.deals != 0)
            .map(|(category, s)| CategoryState {
                category,
                deals: s.deals,
                amount_minor: s.amount_minor,
                weighted: s.weighted.wire_sums(),
            })
            .collect();
        ForecastState {
            period: t.window.period,
            zone: t.window.zone,
            currency: t.currency,
            map: t.map,
            quota: t.quota,
            qualified_only: t.qualified_only,
            categories,
            open_without_close_date: t.open_without_close_date,
        }
    }
}

impl TryFrom<ForecastState> for ForecastTally {
    type Error = Error;
    fn try_from(s: ForecastState) -> Result<ForecastTally, Error> {
        let mut tally = ForecastTally::new(s.period, s.zone, s.currency, s.map).qualified_only(s.qualified_only);
        if let Some(quota) = s.quota {
            tally = tally.quota(quota)?;
        }
        let mut last: Option<usize> = None;
        for c in s.categories {
            let at = slot(c.category);
            if last.is_some_and(|l| l >= at) || c.deals == 0 {
                return Err(bad_state(
                    T,
                    format!("category {}", c.category.as_str()),
                    "categories must be in order, each once, each with deals",
                ));
            }
            last = Some(at);
            non_negative(T, "amount_minor", c.amount_minor)?;
            empty_sum(T, ("deals", c.deals), ("amount_minor", c.amount_minor))?;
            let weighted = Products::from_wire(T, c.weighted, c.amount_minor)?;
            if let Some(sums) = tally.sums.get_mut(at) {
                *sums = Sums { deals: c.deals, amount_minor: c.amount_minor, weighted };
            }
        }
        tally.open_without_close_date = s.open_without_close_date;
        Ok(tally)
    }
}
