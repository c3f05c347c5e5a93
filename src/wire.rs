//! Human units on the wire: the one grammar behind every duration the crate reads from text.
//!
//! [`duration`] parses and writes wall-clock durations (`"4h"`, `"1h30m"`, `"2d"`, `"PT4H"`)
//! and, for [`BusinessSpan`](crate::calendar::BusinessSpan), business time (`"4h"`,
//! `"2 business days"`, `"3 schedule days"`). Definitions with a `chrono::TimeDelta` field use
//! it as `#[serde(with = "crate::wire::duration")]` (or `crate::wire::duration::option` for an
//! `Option<TimeDelta>`), so every duration of every definition reads and writes the same way.
//!
//! With the `schema` feature, [`schema`] describes these units (and the crate's other string-encoded
//! values) as JSON Schema strings for [`agreement::json_schema`](crate::agreement::json_schema).
//!
//! `key_pairs` writes a map whose keys are not strings (an `Option`, a struct) as a list of
//! `[key, value]` pairs (JSON object keys must be strings).

pub(crate) mod duration;
#[cfg(feature = "serde")]
pub(crate) mod key_pairs;
#[cfg(feature = "schema")]
pub(crate) mod schema;
