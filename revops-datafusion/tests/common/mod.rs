//! Helpers the SQL conformance tests share: a batch as a partitioned table, SQL quoting.

use datafusion::arrow::array::RecordBatch;
use datafusion::datasource::MemTable;

/// `batch`'s rows in `partitions` parts (round robin by row), as a table.
pub(crate) fn table(batch: &RecordBatch, partitions: usize) -> Result<MemTable, Box<dyn std::error::Error>> {
    let mut parts = vec![Vec::new(); partitions];
    for row in 0..batch.num_rows() {
        if let Some(p) = parts.get_mut(row % partitions) {
            p.push(batch.slice(row, 1));
        }
    }
    if batch.num_rows() == 0 {
        parts = vec![vec![batch.clone()]];
    }
    Ok(MemTable::try_new(batch.schema(), parts)?)
}

/// The SQL text of a literal: single quotes doubled.
pub(crate) fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}
