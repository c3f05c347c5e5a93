//! Wire shape of [`LeadFlowTally`]'s partial state (feature `serde`).

use chrono::{DateTime, TimeDelta, Utc};

use super::LeadFlowTally;
use crate::metrics::amount::add_count;
use crate::metrics::wire::{bad_state, duration, empty_sum, minor, non_negative, within};
use crate::tally::tally_state;
use crate::{Currency, Period};

tally_state! {
    pub(super) struct LeadFlowState for LeadFlowTally as "lead flow tally" {
        definition {
            period: Period,
            as_of: DateTime<Utc>,
            #[serde(with = "duration")]
            within: TimeDelta,
            #[serde(with = "duration")]
            horizon: TimeDelta,
            currency: Currency,
        }
        counts {
            cohort in counts: u64,
            immature in counts: u64,
            delivered in counts: u64,
            accepted in counts: u64,
            dispositioned in counts: u64,
            in_time in counts: u64,
            leaked in counts: u64,
            pending in counts: u64,
            #[serde(with = "minor")]
            revenue_minor: i128,
        }
    }
    // The constructor refuses negative windows.
    fresh(s) { LeadFlowTally::new(s.period, s.as_of, s.within, s.horizon, s.currency) }
    check(T, s) {
        non_negative(T, "revenue_minor", s.revenue_minor)?;
        empty_sum(T, ("cohort", s.cohort), ("revenue_minor", s.revenue_minor))?;
        within(T, ("dispositioned", s.dispositioned), ("delivered", s.delivered))?;
        within(T, ("accepted", s.accepted), ("dispositioned", s.dispositioned))?;
        within(T, ("in_time", s.in_time), ("dispositioned", s.dispositioned))?;
        // Every delivered lead is in time, leaked or pending: exactly one of them.
        let outcomes = add_count(add_count(s.in_time, s.leaked)?, s.pending)?;
        if outcomes != s.delivered {
            return Err(bad_state(
                T,
                format!("in_time + leaked + pending = {outcomes}, delivered {}", s.delivered),
                "every delivered lead has exactly one outcome",
            ));
        }
    }
}
