//! Wire shape of [`LeadFlowTally`]'s partial state (feature `serde`).

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::{Counts, LeadFlowTally};
use crate::metrics::amount::add_count;
use crate::metrics::wire::{bad_state, duration, empty_sum, minor, non_negative, within};
use crate::{Currency, Error, Period};

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LeadFlowState {
    period: Period,
    as_of: DateTime<Utc>,
    #[serde(with = "duration")]
    within: TimeDelta,
    #[serde(with = "duration")]
    horizon: TimeDelta,
    currency: Currency,
    cohort: u64,
    immature: u64,
    delivered: u64,
    accepted: u64,
    dispositioned: u64,
    in_time: u64,
    leaked: u64,
    pending: u64,
    #[serde(with = "minor")]
    revenue_minor: i128,
}

impl From<LeadFlowTally> for LeadFlowState {
    fn from(t: LeadFlowTally) -> LeadFlowState {
        let c = t.counts;
        LeadFlowState {
            period: t.period,
            as_of: t.as_of,
            within: t.within,
            horizon: t.horizon,
            currency: t.currency,
            cohort: c.cohort,
            immature: c.immature,
            delivered: c.delivered,
            accepted: c.accepted,
            dispositioned: c.dispositioned,
            in_time: c.in_time,
            leaked: c.leaked,
            pending: c.pending,
            revenue_minor: t.revenue_minor,
        }
    }
}

impl TryFrom<LeadFlowState> for LeadFlowTally {
    type Error = Error;
    fn try_from(s: LeadFlowState) -> Result<LeadFlowTally, Error> {
        const T: &str = "lead flow tally";
        // The definition first: the constructor refuses negative windows.
        let mut tally = LeadFlowTally::new(s.period, s.as_of, s.within, s.horizon, s.currency)?;
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
        tally.counts = Counts {
            cohort: s.cohort,
            immature: s.immature,
            delivered: s.delivered,
            accepted: s.accepted,
            dispositioned: s.dispositioned,
            in_time: s.in_time,
            leaked: s.leaked,
            pending: s.pending,
        };
        tally.revenue_minor = s.revenue_minor;
        Ok(tally)
    }
}
