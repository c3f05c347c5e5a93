//! [`CloseWindow`]: where a deal's close falls relative to a period, the one time rule of the
//! forecast roll-ups and of pipeline movement.

use crate::calendar::{Zone, epoch_day};
use crate::facts::Deal;
use crate::{Error, ErrorKind, Period};

/// Where a deal closes relative to the period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Placement {
    /// Before the period.
    Before,
    /// In the period.
    In,
    /// After the period.
    After,
    /// An open deal without an expected close date.
    NoDate,
}

/// A period read as the forecast reads it: an open deal closes on its expected `close_date`, a
/// local date of the reporting `zone`, in the period when that date lies from the local date
/// of the period's start to the local date of its end, end excluded (as
/// [`CoverageTally`](crate::metrics::CoverageTally) reads it); a closed deal closes at its
/// `closed_at`, in the period when the instant lies in `[start, end)`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CloseWindow {
    pub(crate) period: Period,
    pub(crate) zone: Zone,
    first_day: i64,
    end_day: i64,
}

impl PartialEq for CloseWindow {
    fn eq(&self, other: &CloseWindow) -> bool {
        self.period == other.period && self.zone == other.zone
    }
}

impl Eq for CloseWindow {}

impl CloseWindow {
    /// The window of `period` in `zone` (the local days are computed once).
    pub(crate) fn new(period: Period, zone: Zone) -> CloseWindow {
        CloseWindow { period, zone, first_day: zone.day_number(period.start()), end_day: zone.day_number(period.end()) }
    }

    /// Where `deal` closes.
    #[inline]
    pub(crate) fn place(&self, deal: &Deal) -> Placement {
        if let Some(closed_at) = deal.closed_at {
            return if closed_at < self.period.start() {
                Placement::Before
            } else if closed_at < self.period.end() {
                Placement::In
            } else {
                Placement::After
            };
        }
        match deal.close_date {
            None => Placement::NoDate,
            Some(date) => {
                let day = epoch_day(date);
                if day < self.first_day {
                    Placement::Before
                } else if day < self.end_day {
                    Placement::In
                } else {
                    Placement::After
                }
            }
        }
    }
}

/// `Ok` if `money`'s currency is the tally's.
pub(crate) fn same_money_currency(currency: crate::Currency, money: crate::Money) -> Result<(), Error> {
    if money.currency() == currency {
        Ok(())
    } else {
        Err(ErrorKind::CurrencyMismatch { expected: currency, found: money.currency() }.into())
    }
}
