//! Wire shape of the win-rate tallies' partial state (feature `serde`).

use serde::{Deserialize, Serialize};

use super::{CreatedToWonTally, WinRateTally};
use crate::facts::Origin;
use crate::metrics::wire::{empty_sum, minor, non_negative, within};
use crate::{Currency, Error, Period};

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct WinRateState {
    period: Period,
    currency: Currency,
    #[serde(default)]
    origin: Option<Origin>,
    won: u64,
    lost: u64,
    #[serde(with = "minor")]
    won_minor: i128,
    #[serde(with = "minor")]
    closed_minor: i128,
}

impl From<WinRateTally> for WinRateState {
    fn from(t: WinRateTally) -> WinRateState {
        WinRateState {
            period: t.period,
            currency: t.currency,
            origin: t.origin,
            won: t.won,
            lost: t.lost,
            won_minor: t.won_minor,
            closed_minor: t.closed_minor,
        }
    }
}

impl TryFrom<WinRateState> for WinRateTally {
    type Error = Error;
    fn try_from(s: WinRateState) -> Result<WinRateTally, Error> {
        const T: &str = "win rate tally";
        non_negative(T, "won_minor", s.won_minor)?;
        within(T, ("won_minor", s.won_minor), ("closed_minor", s.closed_minor))?;
        empty_sum(T, ("won", s.won), ("won_minor", s.won_minor))?;
        // Lost deals add to `closed_minor` only.
        empty_sum(T, ("lost", s.lost), ("closed_minor - won_minor", s.closed_minor - s.won_minor))?;
        Ok(WinRateTally {
            won: s.won,
            lost: s.lost,
            won_minor: s.won_minor,
            closed_minor: s.closed_minor,
            ..WinRateTally::new(s.period, s.currency).origin(s.origin)
        })
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
