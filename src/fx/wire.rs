//! The wire format of [`RateTable`] (documented on the type).

use serde::{Deserialize, Serialize};

use super::{Rate, RateTable, Rounding};
use crate::{Currency, Error};

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub(super) struct RateTableWire {
    /// The corporate currency every rate is against (one rate per currency and period);
    /// none: dated rates between any pairs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    corporate: Option<Currency>,
    /// How converted amounts round to the target's minor unit (default half away from zero).
    #[serde(default)]
    rounding: Rounding,
    /// The rates; a pair in one direction only, one rate per pair and `valid_from`.
    #[serde(default)]
    rates: Vec<Rate>,
}

impl TryFrom<RateTableWire> for RateTable {
    type Error = Error;
    fn try_from(w: RateTableWire) -> Result<RateTable, Error> {
        RateTable::new(w.corporate, w.rounding, w.rates)
    }
}

impl From<RateTable> for RateTableWire {
    fn from(t: RateTable) -> RateTableWire {
        RateTableWire { corporate: t.corporate(), rounding: t.rounding(), rates: t.rates().collect() }
    }
}
