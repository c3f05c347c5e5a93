//! Wire shape of a [`ChannelTable`] (feature `serde`): its currency, its columns in the order
//! added and its rows in channel order, each row one credit per column. On read the table is
//! rebuilt column by column through [`ChannelTable::add_column`], so a state is validated as a
//! table is built (currencies, reconciled totals, distinct models), and the rows must be
//! ascending, distinct and as wide as the columns.

use super::ChannelTable;
use crate::attribution::paths::bad_state;
use crate::{ChannelId, Currency, Error, Money};

const INVALID: &str = "attribution channel table state";

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TableState {
    currency: Currency,
    columns: Vec<String>,
    rows: Vec<RowState>,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RowState {
    channel: ChannelId,
    credits: Vec<Money>,
}

impl From<ChannelTable> for TableState {
    fn from(t: ChannelTable) -> TableState {
        let rows = t.rows.into_iter().map(|(channel, credits)| RowState { channel, credits }).collect();
        TableState { currency: t.currency, columns: t.columns, rows }
    }
}

impl TryFrom<TableState> for ChannelTable {
    type Error = Error;
    fn try_from(s: TableState) -> Result<ChannelTable, Error> {
        if s.columns.is_empty() && !s.rows.is_empty() {
            return Err(bad_state(INVALID, "rows", "a table without columns has no rows"));
        }
        for pair in s.rows.windows(2) {
            if let [a, b] = pair
                && a.channel >= b.channel
            {
                return Err(bad_state(INVALID, &b.channel, "rows must be ascending and distinct by channel"));
            }
        }
        if let Some(row) = s.rows.iter().find(|r| r.credits.len() != s.columns.len()) {
            return Err(bad_state(INVALID, &row.channel, "a row has one credit per column"));
        }
        let mut table = ChannelTable::new(s.currency);
        for (j, model) in s.columns.into_iter().enumerate() {
            let credits = s.rows.iter().filter_map(|r| r.credits.get(j).map(|m| (r.channel.clone(), *m)));
            table.add_column(model, credits)?;
        }
        Ok(table)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{ch, usd};
    use super::*;

    #[test]
    fn state_is_pinned_round_trips_and_is_validated() {
        let mut t = ChannelTable::new(Currency::USD);
        t.add_column("a", [(ch("x"), usd(500)), (ch("y"), usd(0))]).unwrap();
        t.add_column("b", [(ch("x"), usd(500))]).unwrap();
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(
            json,
            concat!(
                r#"{"currency":"USD","columns":["a","b"],"rows":["#,
                r#"{"channel":"x","credits":[{"amount":"5.00","currency":"USD"},{"amount":"5.00","currency":"USD"}]},"#,
                r#"{"channel":"y","credits":[{"amount":"0.00","currency":"USD"},{"amount":"0.00","currency":"USD"}]}]}"#
            )
        );
        assert_eq!(serde_json::from_str::<ChannelTable>(&json).unwrap(), t);
        let x = r#"{"amount":"5.00","currency":"USD"}"#;
        let cases = [
            (json.replacen(x, r#"{"amount":"4.00","currency":"USD"}"#, 1), "differs from the first column's"),
            (json.replacen(x, r#"{"amount":"5.00","currency":"EUR"}"#, 1), "EUR"),
            (json.replace(r#"["a","b"]"#, r#"["a","a"]"#), "has a column of this model"),
            (json.replace(r#""channel":"y""#, r#""channel":"w""#), "ascending and distinct"),
            (json.replace(r#"["a","b"]"#, r#"["a"]"#), "one credit per column"),
            (r#"{"currency":"USD","columns":[],"rows":[{"channel":"x","credits":[]}]}"#.to_owned(), "without columns"),
            (json.replace(r#""rows""#, r#""row""#), "unknown field"),
        ];
        for (bad, msg) in cases {
            assert_ne!(bad, json);
            let err = serde_json::from_str::<ChannelTable>(&bad).unwrap_err().to_string();
            assert!(err.contains(msg), "{bad}: {err}");
        }
    }
}
