//! Wire shape of the velocity and weighted-pipeline tallies' partial state (feature `serde`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::exact::{Products, ScaleSum};
use super::{VelocityTally, WeightedPipelineTally};
use crate::metrics::wire::{bad_state, empty_sum, minor, non_negative};
use crate::tally::tally_state;
use crate::{Currency, Error, Period};

tally_state! {
    pub(super) struct VelocityState for VelocityTally as "pipeline velocity tally" {
        definition { period: Period, as_of: DateTime<Utc>, currency: Currency }
        counts {
            open_qualified: u64,
            won: u64,
            lost: u64,
            #[serde(with = "minor")]
            won_minor: i128,
            #[serde(with = "minor")]
            won_seconds: i128,
        }
    }
    fresh(s) { Ok(VelocityTally::new(s.period, s.as_of, s.currency)) }
    check(T, s) {
        non_negative(T, "won_minor", s.won_minor)?;
        if s.won_seconds < 0 {
            return Err(bad_state(T, format!("won_seconds {}", s.won_seconds), "a sum of cycles cannot be negative"));
        }
        empty_sum(T, ("won", s.won), ("won_minor", s.won_minor))?;
        empty_sum(T, ("won", s.won), ("won_seconds", s.won_seconds))?;
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct WeightedPipelineState {
    currency: Currency,
    qualified_only: bool,
    deals: u64,
    #[serde(with = "minor")]
    amount_minor: i128,
    /// The exact weighted sum: per probability scale, the sum of minor units x probability
    /// digits, non-zero scales ascending.
    weighted: Vec<ScaleSum>,
}

impl From<WeightedPipelineTally> for WeightedPipelineState {
    fn from(t: WeightedPipelineTally) -> WeightedPipelineState {
        WeightedPipelineState {
            currency: t.currency,
            qualified_only: t.qualified_only,
            deals: t.deals,
            amount_minor: t.amount_minor,
            weighted: t.weighted.wire_sums(),
        }
    }
}

impl TryFrom<WeightedPipelineState> for WeightedPipelineTally {
    type Error = Error;
    fn try_from(s: WeightedPipelineState) -> Result<WeightedPipelineTally, Error> {
        const T: &str = "weighted pipeline tally";
        non_negative(T, "amount_minor", s.amount_minor)?;
        empty_sum(T, ("deals", s.deals), ("amount_minor", s.amount_minor))?;
        let weighted = Products::from_wire(T, s.weighted, s.amount_minor)?;
        Ok(WeightedPipelineTally {
            deals: s.deals,
            amount_minor: s.amount_minor,
            weighted,
            ..WeightedPipelineTally::new(s.currency).qualified_only(s.qualified_only)
        })
    }
}
