//! Wire shape of the win-rate tallies' partial state (feature `serde`).

use serde::{Deserialize, Serialize};

use super::{CreatedToWonTally, WinRateTally};
use crate::facts::Origin;
use crate::metrics::wire::{empty_sum, minor, non_negative, within};
use crate::tally::tally_state;
use crate::{Currency, Period};

tally_state! {
    pub(super) struct WinRateState for WinRateTally as "win rate tally" {
        definition {
            period: Period,
            currency: Currency,
            #[serde(default)]
            origin: Option<Origin>,
        }
        counts {
            won: u64,
            lost: u64,
            #[serde(with = "minor")]
            won_minor: i128,
            #[serde(with = "minor")]
            closed_minor: i128,
        }
    }
    fresh(s) { Ok(WinRateTally::new(s.period, s.currency).origin(s.origin)) }
    check(T, s) {
        non_negative(T, "won_minor", s.won_minor)?;
        within(T, ("won_minor", s.won_minor), ("closed_minor", s.closed_minor))?;
        empty_sum(T, ("won", s.won), ("won_minor", s.won_minor))?;
        // Lost deals add to `closed_minor` only.
        empty_sum(T, ("lost", s.lost), ("closed_minor - won_minor", s.closed_minor - s.won_minor))?;
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CreatedToWonState {
    period: Period,
    won: u64,
    lost: u64,
    open: u64,
}

impl From<CreatedToWonTally> for CreatedToWonState {
    fn from(t: CreatedToWonTally) -> CreatedToWonState {
        CreatedToWonState { period: t.period, won: t.won, lost: t.lost, open: t.open }
    }
}

impl From<CreatedToWonState> for CreatedToWonTally {
    fn from(s: CreatedToWonState) -> CreatedToWonTally {
        CreatedToWonTally { won: s.won, lost: s.lost, open: s.open, ..CreatedToWonTally::new(s.period) }
    }
}
