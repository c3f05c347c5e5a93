//! Writes the facts of every conformance vector (`tests/vectors/`) as CSV files a dbt project
//! loads as seeds, with the cases and their expected results, so a SQL implementation of a
//! metric can be checked against the vectors as data tests.
//!
//! `cargo run --example conformance_seeds -- OUT_DIR [VECTORS_DIR]`
//!
//! For each family `<area>.<family>` it writes, into `OUT_DIR`:
//!
//! - `<area>__<family>__cases.csv`: `case` (the case's number in its file, from 1), `name`,
//!   `anchor`, `as_of`, `error_kind` (empty when a result is expected), `definition` (the JSON),
//!   one `def__<path>` column per leaf of the definitions (`def__period__start`), and, for a
//!   definition with a `period`, `period_start` and `period_end`: the half-open period, a
//!   report window (`{"trailing_months": 1}`) resolved against `as_of` in the definition's
//!   `zone` by the crate (`ReportWindow::resolve`), so SQL needs no calendar logic (both empty
//!   for `"all_time"`: no bound);
//! - `<area>__<family>__<facts>.csv` per kind of fact (`deals`, `journeys`, `stage_changes`, ...):
//!   `case`, `row` (the fact's position, from 1), then one column per field. Nested objects
//!   flatten with `__` (`amount__amount`, `amount__currency`); an enum written as a one-key
//!   object becomes its tag and its fields (`{"lost": {"reason": "price"}}` is `status = lost`,
//!   `status__reason = price`); an array of scalars is joined with `|`; an array of objects
//!   (a journey's touches) becomes its own table, `<facts>__<field>.csv`, keyed by `case`,
//!   the parent's `row` as `parent_row`, and `row`. Absent fields are empty cells.
//! - `<area>__<family>__expected.csv`: `case`, `path` (the leaf's path in `expect`, `__`
//!   between keys, array positions from 0), `value` (the JSON scalar: strings unquoted, `null`
//!   as the text `null`); an error case has the one row `error__kind`.
//!
//! The file I/O lives here, in the example; the library has none.
#![allow(clippy::print_stdout)] // a command-line tool that says what it wrote

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use revops::Period;
use revops::agreement::ReportWindow;
use revops::calendar::Zone;
use serde_json::{Map, Value};

/// One CSV table: its columns in order of first appearance, and its rows.
#[derive(Debug, Default)]
struct Table {
    columns: Vec<String>,
    rows: Vec<BTreeMap<String, String>>,
}

impl Table {
    fn push(&mut self, row: Vec<(String, String)>) {
        for (column, _) in &row {
            if !self.columns.contains(column) {
                self.columns.push(column.clone());
            }
        }
        self.rows.push(row.into_iter().collect());
    }

    fn write(&self, path: &Path) -> Result<(), Box<dyn std::error::Error>> {
        let mut w = csv::Writer::from_path(path)?;
        w.write_record(&self.columns)?;
        for row in &self.rows {
            w.write_record(self.columns.iter().map(|c| row.get(c).map_or("", String::as_str)))?;
        }
        w.flush()?;
        Ok(())
    }
}

/// A scalar as a cell.
fn cell(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "null".to_owned(),
        other => other.to_string(),
    }
}

/// Flattens one fact (an object) into columns; arrays of objects go to `children`.
fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>, children: &mut Vec<(String, Vec<Value>)>) {
    let join = |key: &str| if prefix.is_empty() { key.to_owned() } else { format!("{prefix}__{key}") };
    match v {
        Value::Object(map) => {
            // An externally tagged enum: `{"lost": {...}}` under a field is the tag and its fields.
            if let (false, Some((tag, Value::Object(fields))), 1) = (prefix.is_empty(), map.iter().next(), map.len())
                && !tag.is_empty()
                && tag.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            {
                out.push((prefix.to_owned(), tag.clone()));
                for (k, x) in fields {
                    flatten(&join(k), x, out, children);
                }
                return;
            }
            for (k, x) in map {
                flatten(&join(k), x, out, children);
            }
        }
        Value::Array(items) if items.iter().any(Value::is_object) => children.push((prefix.to_owned(), items.clone())),
        Value::Array(items) => out.push((prefix.to_owned(), items.iter().map(cell).collect::<Vec<_>>().join("|"))),
        scalar => out.push((prefix.to_owned(), cell(scalar))),
    }
}

/// The leaves of an expected result or a definition, as `(path, value)`.
fn leaves(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    let join = |key: &str| if prefix.is_empty() { key.to_owned() } else { format!("{prefix}__{key}") };
    match v {
        Value::Object(map) => map.iter().for_each(|(k, x)| leaves(&join(k), x, out)),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, x)| leaves(&join(&i.to_string()), x, out)),
        scalar => out.push((prefix.to_owned(), cell(scalar))),
    }
}

/// Adds the facts of one kind (`deals`) of one case to `tables`.
fn push_facts(tables: &mut BTreeMap<String, Table>, kind: &str, case: usize, facts: &[Value]) {
    for (i, fact) in facts.iter().enumerate() {
        let (mut row, mut children) =
            (vec![("case".to_owned(), case.to_string()), ("row".to_owned(), (i + 1).to_string())], Vec::new());
        if fact.is_object() {
            flatten("", fact, &mut row, &mut children);
        } else {
            row.push(("value".to_owned(), cell(fact)));
        }
        tables.entry(kind.to_owned()).or_default().push(row);
        for (field, items) in children {
            for (j, item) in items.iter().enumerate() {
                let mut child = vec![
                    ("case".to_owned(), case.to_string()),
                    ("parent_row".to_owned(), (i + 1).to_string()),
                    ("row".to_owned(), (j + 1).to_string()),
                ];
                let mut grandchildren = Vec::new();
                flatten("", item, &mut child, &mut grandchildren);
                tables.entry(format!("{kind}__{field}")).or_default().push(child);
            }
        }
    }
}

/// The half-open period of a case's definition: explicit, or a report window resolved against
/// the case's `as_of` in the definition's `zone` (default UTC). `None` without a period.
fn period(case: &Value) -> Result<Option<Period>, Box<dyn std::error::Error>> {
    let Some(definition) = case.get("definition") else { return Ok(None) };
    let Some(period) = definition.get("period") else { return Ok(None) };
    if let Ok(explicit) = serde_json::from_value::<Period>(period.clone()) {
        return Ok(Some(explicit));
    }
    let window: ReportWindow = serde_json::from_value(period.clone())?;
    let zone: Zone = definition.get("zone").and_then(Value::as_str).unwrap_or("UTC").parse()?;
    let as_of: DateTime<Utc> =
        serde_json::from_value(case.get("as_of").cloned().ok_or("a report window needs the case's as_of")?)?;
    Ok(Some(window.resolve(as_of, zone)?))
}

/// Every `*.json` file under `dir` but the schema, sorted.
fn vector_files(dir: &Path) -> Result<Vec<PathBuf>, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            out.extend(vector_files(&path)?);
        } else if path.extension().is_some_and(|e| e == "json") && !path.ends_with("vectors.schema.json") {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().ok_or("usage: conformance_seeds OUT_DIR [VECTORS_DIR]")?);
    let vectors =
        args.next().map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors"), PathBuf::from);
    std::fs::create_dir_all(&out)?;
    let (mut files, mut cases_written) = (0, 0);
    for path in vector_files(&vectors)? {
        let file: Value = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
        let family =
            file.get("family").and_then(Value::as_str).ok_or_else(|| format!("{}: no family", path.display()))?;
        let prefix = family.replace('.', "__");
        let mut tables: BTreeMap<String, Table> = BTreeMap::new();
        let empty = Vec::new();
        for (i, case) in file.get("cases").and_then(Value::as_array).unwrap_or(&empty).iter().enumerate() {
            let number = i + 1;
            let text = |key: &str| case.get(key).map_or_else(String::new, cell);
            let definition = case.get("definition").cloned().unwrap_or(Value::Null);
            let mut row = vec![
                ("case".to_owned(), number.to_string()),
                ("name".to_owned(), text("name")),
                ("anchor".to_owned(), text("anchor")),
                ("as_of".to_owned(), text("as_of")),
                ("error_kind".to_owned(), case.get("error").and_then(|e| e.get("kind")).map_or_else(String::new, cell)),
                ("definition".to_owned(), definition.to_string()),
            ];
            let mut defs = Vec::new();
            leaves("def", &definition, &mut defs);
            row.extend(defs);
            if let Some(p) = period(case)?.filter(|p| *p != Period::all_time()) {
                let text = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::AutoSi, true);
                row.push(("period_start".to_owned(), text(p.start())));
                row.push(("period_end".to_owned(), text(p.end())));
            }
            tables.entry("cases".to_owned()).or_default().push(row);
            let facts = case.get("facts").and_then(Value::as_object).cloned().unwrap_or_else(Map::new);
            for (kind, list) in &facts {
                push_facts(&mut tables, kind, number, list.as_array().map_or(&[][..], Vec::as_slice));
            }
            let mut expected = Vec::new();
            match (case.get("expect"), case.get("error")) {
                (Some(expect), _) => leaves("", expect, &mut expected),
                (None, Some(error)) => {
                    expected.push(("error__kind".to_owned(), error.get("kind").map_or_else(String::new, cell)));
                }
                (None, None) => {}
            }
            let table = tables.entry("expected".to_owned()).or_default();
            for (path, value) in expected {
                table.push(vec![
                    ("case".to_owned(), number.to_string()),
                    ("path".to_owned(), path),
                    ("value".to_owned(), value),
                ]);
            }
            cases_written += 1;
        }
        for (name, table) in &tables {
            table.write(&out.join(format!("{prefix}__{name}.csv")))?;
        }
        files += 1;
    }
    println!("wrote the seeds of {cases_written} vectors in {files} families to {}", out.display());
    Ok(())
}
