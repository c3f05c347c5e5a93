//! Wire shape of [`MovementTally`]'s partial state (feature `serde`).

use serde::{Deserialize, Serialize};

use super::{DECREASED, END, FLOWS, INCREASED, MovementTally, START};
use crate::calendar::Zone;
use crate::forecast::CategoryMap;
use crate::metrics::wire::{bad_state, empty_sum, minor, non_negative};
use crate::{Currency, Error, Period};

const T: &str = "pipeline movement tally";

/// The row names, in slot order.
const NAMES: [&str; FLOWS] = [
    "start",
    "new",
    "pulled_in",
    "pushed_in",
    "moved_in",
    "increased",
    "decreased",
    "won",
    "lost",
    "pushed_out",
    "pulled_out",
    "moved_out",
    "end",
];

/// The partial state: the definition and every row (deals, amount in minor units).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MovementState {
    period: Period,
    zone: Zone,
    currency: Currency,
    map: CategoryMap,
    rows: Rows,
}

#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    deals: u64,
    #[serde(with = "minor")]
    amount_minor: i128,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(clippy::struct_field_names)]
struct Rows {
    start: Row,
    new: Row,
    pulled_in: Row,
    pushed_in: Row,
    moved_in: Row,
    increased: Row,
    decreased: Row,
    won: Row,
    lost: Row,
    pushed_out: Row,
    pulled_out: Row,
    moved_out: Row,
    end: Row,
}

impl Rows {
    fn from_flows(f: &[(u64, i128); FLOWS]) -> Rows {
        let r = |i: usize| {
            let (deals, amount_minor) = f.get(i).copied().unwrap_or_default();
            Row { deals, amount_minor }
        };
        Rows {
            start: r(0),
            new: r(1),
            pulled_in: r(2),
            pushed_in: r(3),
            moved_in: r(4),
            increased: r(5),
            decreased: r(6),
            won: r(7),
            lost: r(8),
            pushed_out: r(9),
            pulled_out: r(10),
            moved_out: r(11),
            end: r(12),
        }
    }

    fn flows(&self) -> [(u64, i128); FLOWS] {
        [
            self.start,
            self.new,
            self.pulled_in,
            self.pushed_in,
            self.moved_in,
            self.increased,
            self.decreased,
            self.won,
            self.lost,
            self.pushed_out,
            self.pulled_out,
            self.moved_out,
            self.end,
        ]
        .map(|r| (r.deals, r.amount_minor))
    }
}

impl From<MovementTally> for MovementState {
    fn from(t: MovementTally) -> MovementState {
        MovementState {
            period: t.window.period,
            zone: t.window.zone,
            currency: t.currency,
            map: t.map,
            rows: Rows::from_flows(&t.flows),
        }
    }
}

impl TryFrom<MovementState> for MovementTally {
    type Error = Error;
    fn try_from(s: MovementState) -> Result<MovementTally, Error> {
        let flows = s.rows.flows();
        for (name, (deals, amount)) in NAMES.into_iter().zip(flows) {
            non_negative(T, name, amount)?;
            empty_sum(T, (name, deals), (name, amount))?;
        }
        // The identity: start + inflows + increased - decreased - outflows = end, in amounts;
        // the same without the change rows in counts.
        let (mut deals, mut amount) = (0i128, 0i128);
        for (slot, (d, a)) in flows.into_iter().enumerate() {
            let sign: i128 = match slot {
                START | 1..=4 | INCREASED => 1,
                END => 0,
                _ => -1,
            };
            amount = a.checked_mul(sign).and_then(|x| x.checked_add(amount)).ok_or_else(super::overflow)?;
            if slot != INCREASED && slot != DECREASED {
                deals =
                    i128::from(d).checked_mul(sign).and_then(|x| x.checked_add(deals)).ok_or_else(super::overflow)?;
            }
        }
        let (end_deals, end_amount) = flows.get(END).copied().unwrap_or_default();
        if deals != i128::from(end_deals) || amount != end_amount {
            return Err(bad_state(T, "rows", "start plus the inflows minus the outflows must equal end"));
        }
        Ok(MovementTally { flows, ..MovementTally::new(s.period, s.zone, s.currency, s.map) })
    }
}
