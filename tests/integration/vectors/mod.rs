//! Conformance vectors: every file under `tests/vectors/<area>/<family>.json`, run on every path
//! its family has (the format: `tests/vectors/vectors.schema.json` and the README's
//! "Conformance vectors").
//!
//! A file is an envelope (`format`, `family`, `description`, `anchors`, `cases`); each case gives
//! a `definition` (in the agreement's wire format), `facts` (a `FactSet`, or a family's own
//! inputs where no fact fits), an optional `as_of`, and either `expect` (the exact result) or
//! `error` (the failure, by its `ErrorKind::code()`). The family runner registered in
//! [`FAMILIES`] turns a case into a JSON result on one [`Path`]; [`compare`] checks the fields
//! the case's `expect` gives, and nothing else.
//!
//! To add a family: a file `tests/integration/vectors/<area>.rs` with a
//! `pub(super) fn run(case: &Case, path: Path) -> Result<Value, Error>` (ignore `path` if the
//! family has the row path only), a `mod` line below and one line in [`FAMILIES`].

mod attribution;
mod business_time;
#[path = "compare.rs"]
mod compare_values;
mod currency;
mod engagement;
mod experiment;
mod flat;
mod forecast;
mod funnel;
mod icp;
mod lead_scoring;
mod markov;
mod metrics;
mod retention;
mod return_on_marketing;
mod schema;

pub(crate) use compare_values::compare;
mod shapley;
mod sla;
mod sla_group;
mod waterfall;

use std::collections::BTreeSet;
use std::path::{Path as FsPath, PathBuf};

use chrono::{DateTime, Utc};
use revops::Error;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The `format` every vector file declares.
pub(crate) const FORMAT: &str = "revops-vectors/1";

/// A vector file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct VectorFile {
    /// Always [`FORMAT`].
    pub(crate) format: String,
    /// `<area>.<family>`, unique across files; the area is the file's directory.
    pub(crate) family: String,
    /// What the family covers.
    #[allow(dead_code)] // documentation for readers of the file
    pub(crate) description: String,
    /// The published sources the worked examples come from.
    #[serde(default)]
    pub(crate) anchors: Vec<Anchor>,
    /// The cases, each with a unique name.
    pub(crate) cases: Vec<Case>,
}

/// A published source of worked examples.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // documentation for readers of the file
pub(crate) struct Anchor {
    pub(crate) name: String,
    pub(crate) url: String,
    pub(crate) what: String,
}

/// One case.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Case {
    /// Unique within the file; says what is checked.
    pub(crate) name: String,
    /// Which anchor's worked example this is (a name in the file's `anchors`).
    #[serde(default)]
    pub(crate) anchor: Option<String>,
    /// The evaluation instant, where the family needs one.
    #[serde(default)]
    pub(crate) as_of: Option<DateTime<Utc>>,
    /// The definition, in the agreement's wire format (default `null`).
    #[serde(default)]
    pub(crate) definition: Value,
    /// The facts (default `{}`: an empty fact set).
    #[serde(default = "empty_object")]
    pub(crate) facts: Value,
    /// The expected result (`null` is a value: an undefined result).
    #[serde(default, deserialize_with = "present")]
    pub(crate) expect: Option<Value>,
    /// The expected failure.
    #[serde(default)]
    pub(crate) error: Option<ExpectedError>,
}

/// The failure a case expects: its kind's code; the message is information only.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExpectedError {
    pub(crate) kind: String,
    #[serde(default)]
    #[allow(dead_code)] // never compared
    pub(crate) message: Option<String>,
}

fn empty_object() -> Value {
    Value::Object(serde_json::Map::new())
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

impl Case {
    /// The definition as `T`. A definition the crate does not load (its wire format or its
    /// checks refuse it) is the case's result, [`DEFINITION_REFUSED`]: an error case may
    /// expect exactly that.
    pub(crate) fn definition<T: DeserializeOwned>(&self) -> Result<T, Error> {
        from_value(&self.definition, DEFINITION_FIELD)
    }

    /// The facts as `T`; facts the crate does not load are [`FACTS_REFUSED`].
    pub(crate) fn facts<T: DeserializeOwned>(&self) -> Result<T, Error> {
        from_value(&self.facts, FACTS_FIELD)
    }

    /// The case's `as_of`, which the family needs.
    pub(crate) fn as_of(&self) -> DateTime<Utc> {
        self.as_of.unwrap_or_else(|| panic!("case {:?} needs `as_of`", self.name))
    }
}

/// The code of a definition the crate refuses to load: serde reports the crate's message (a
/// validated type's `try_from`, an unknown variant), never its kind, so the vectors expect
/// every such refusal by this one code.
pub(crate) const DEFINITION_REFUSED: &str = "definition_refused";
/// The code of facts the crate refuses to load (as [`DEFINITION_REFUSED`]).
pub(crate) const FACTS_REFUSED: &str = "facts_refused";
const DEFINITION_FIELD: &str = "vector definition";
const PATH_FIELD: &str = "vector path";

/// What a family runner returns for a case its path does not cover (a metric without a
/// columnar form, on the columnar path): the case is skipped on that path, never on the row
/// path.
pub(crate) fn not_on_path(path: Path) -> Error {
    Error::from(revops::ErrorKind::InvalidValue {
        field: PATH_FIELD,
        value: format!("{path:?}"),
        reason: "not on this path",
    })
}

fn is_not_on_path(e: &Error) -> bool {
    matches!(e.kind(), revops::ErrorKind::InvalidValue { field, .. } if *field == PATH_FIELD)
}
const FACTS_FIELD: &str = "vector facts";

/// Deserializes `value`; a refusal becomes an error naming `field` (see [`code_of`]).
fn from_value<T: DeserializeOwned>(value: &Value, field: &'static str) -> Result<T, Error> {
    serde_json::from_value(value.clone()).map_err(|e| {
        Error::from(revops::ErrorKind::InvalidValue { field, value: e.to_string(), reason: "refused on deserialize" })
    })
}

/// The code a case's `error.kind` is compared with: [`Error::code`], or [`DEFINITION_REFUSED`]
/// / [`FACTS_REFUSED`] for inputs that do not load.
pub(crate) fn code_of(e: &Error) -> &'static str {
    match e.kind() {
        revops::ErrorKind::InvalidValue { field, .. } if *field == DEFINITION_FIELD => DEFINITION_REFUSED,
        revops::ErrorKind::InvalidValue { field, .. } if *field == FACTS_FIELD => FACTS_REFUSED,
        _ => e.code(),
    }
}

/// The paths a vector can run on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Path {
    /// The row API (one record at a time; the reference path).
    Row,
    /// The columnar engine (batches of columns).
    Columnar,
    /// The `rayon` feature's parallel entry points, on a pool of several threads.
    Rayon,
}

/// One family's runner.
pub(crate) struct Family {
    /// `<area>.<family>`.
    pub(crate) name: &'static str,
    /// The paths it runs on (always `Row` first).
    pub(crate) paths: &'static [Path],
    /// Result fields only the row path produces (skipped when comparing on the other paths).
    pub(crate) row_only: &'static [&'static str],
    /// Runs one case on one path.
    pub(crate) run: fn(&Case, Path) -> Result<Value, Error>,
}

const ROW: &[Path] = &[Path::Row];
const ROW_COLUMNAR: &[Path] = &[Path::Row, Path::Columnar];
const EVERY_PATH: &[Path] = &[Path::Row, Path::Columnar, Path::Rayon];

/// Every family, one line each.
#[rustfmt::skip]
pub(crate) const FAMILIES: &[Family] = &[
    Family { name: "metrics.win_rate", paths: ROW_COLUMNAR, row_only: &[], run: metrics::run },
    Family { name: "metrics.sales_cycle", paths: ROW_COLUMNAR, row_only: &[], run: metrics::run },
    Family { name: "metrics.pipeline", paths: ROW_COLUMNAR, row_only: &[], run: metrics::run },
    Family { name: "metrics.stage_conversion", paths: ROW, row_only: &[], run: metrics::run },
    Family { name: "metrics.unit_economics", paths: ROW, row_only: &[], run: metrics::run },
    Family { name: "metrics.funnel_hygiene", paths: ROW, row_only: &[], run: metrics::run },
    Family { name: "attribution.rule_based", paths: EVERY_PATH, row_only: attribution::ROW_ONLY, run: attribution::run },
    Family { name: "attribution.options", paths: EVERY_PATH, row_only: attribution::ROW_ONLY, run: attribution::run },
    Family { name: "attribution.journeys", paths: EVERY_PATH, row_only: attribution::ROW_ONLY, run: attribution::run },
    Family { name: "attribution.published", paths: EVERY_PATH, row_only: attribution::ROW_ONLY, run: attribution::run },
    Family { name: "markov.removal_effect", paths: ROW, row_only: &[], run: markov::run },
    Family { name: "shapley.values", paths: ROW, row_only: &[], run: shapley::run },
    Family { name: "business_time.between", paths: business_time::ROW_AND_COLUMNAR, row_only: &[], run: business_time::between },
    Family { name: "business_time.add", paths: business_time::ROW_AND_COLUMNAR, row_only: &[], run: business_time::add },
    Family { name: "business_time.opening", paths: business_time::ROW_AND_COLUMNAR, row_only: &[], run: business_time::opening },
    Family { name: "business_time.calendar_errors", paths: business_time::ROW_AND_COLUMNAR, row_only: &[], run: business_time::calendar_errors },
    Family { name: "sla.instance", paths: ROW, row_only: &[], run: sla::instance },
    Family { name: "sla.lead", paths: ROW, row_only: &[], run: sla::lead },
    Family { name: "sla.compliance", paths: ROW, row_only: &[], run: sla::compliance },
    Family { name: "icp.fit", paths: business_time::ROW_AND_COLUMNAR, row_only: &[], run: icp::fit_scores },
    Family { name: "lead_scoring.score", paths: ROW, row_only: &[], run: lead_scoring::score },
    Family { name: "lead_scoring.mql", paths: ROW, row_only: &[], run: lead_scoring::mql },
    Family { name: "funnel.moves", paths: ROW, row_only: &[], run: funnel::moves },
    Family { name: "funnel.history", paths: ROW, row_only: &[], run: funnel::history },
    Family { name: "funnel.rejection", paths: ROW, row_only: &[], run: funnel::rejection },
    Family { name: "funnel.waterfall", paths: ROW, row_only: &[], run: waterfall::run },
    Family { name: "currency.convert", paths: ROW, row_only: &[], run: currency::run },
    Family { name: "experiment.wilson", paths: ROW, row_only: &[], run: experiment::wilson },
    Family { name: "experiment.compare", paths: ROW, row_only: &[], run: experiment::compare },
    Family { name: "experiment.sample_size", paths: ROW, row_only: &[], run: experiment::sample },
    Family { name: "forecast.categories", paths: ROW, row_only: &[], run: forecast::categories },
    Family { name: "forecast.movement", paths: ROW, row_only: &[], run: forecast::movement },
    Family { name: "metrics.retention", paths: ROW, row_only: &[], run: retention::run },
    Family { name: "metrics.return_on_marketing", paths: ROW, row_only: &[], run: return_on_marketing::run },
    Family { name: "icp.engagement", paths: ROW, row_only: &[], run: engagement::engagement },
    Family { name: "icp.intent", paths: ROW, row_only: &[], run: engagement::intent },
];

/// The directory of the vector files.
pub(crate) fn root() -> PathBuf {
    FsPath::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

/// Every `*.json` vector file under [`root`] (but the schema), sorted.
pub(crate) fn vector_paths() -> Vec<PathBuf> {
    fn walk(dir: &FsPath, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "json") && !path.ends_with("vectors.schema.json") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root(), &mut out);
    out.sort();
    out
}

/// Loads and checks one file's envelope: the format, the family named after its directory, a
/// runner for it, unique case names, exactly one of `expect` and `error` per case, anchors
/// that the file lists.
pub(crate) fn load(path: &FsPath) -> VectorFile {
    let text = std::fs::read_to_string(path).unwrap();
    let file: VectorFile = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let at = path.display();
    assert_eq!(file.format, FORMAT, "{at}: format");
    let area = path.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()).unwrap_or_default();
    let stem = path.file_stem().and_then(|n| n.to_str()).unwrap_or_default();
    assert!(file.family.starts_with(&format!("{area}.")), "{at}: family {:?} is not in area {area:?}", file.family);
    assert_eq!(file.family, format!("{area}.{stem}"), "{at}: the file is named after its family");
    assert!(FAMILIES.iter().any(|f| f.name == file.family), "{at}: family {:?} has no runner in FAMILIES", file.family);
    assert!(!file.cases.is_empty(), "{at}: no cases");
    let anchors: BTreeSet<&str> = file.anchors.iter().map(|a| a.name.as_str()).collect();
    let mut names = BTreeSet::new();
    for case in &file.cases {
        assert!(names.insert(case.name.as_str()), "{at}: case name {:?} twice", case.name);
        assert!(
            case.expect.is_some() != case.error.is_some(),
            "{at}: case {:?} needs exactly one of `expect` and `error`",
            case.name
        );
        if let Some(anchor) = &case.anchor {
            assert!(
                anchors.contains(anchor.as_str()),
                "{at}: case {:?} names anchor {anchor:?} the file does not list",
                case.name
            );
        }
    }
    file
}

/// Every file, loaded and checked.
pub(crate) fn load_all() -> Vec<(PathBuf, VectorFile)> {
    let files: Vec<_> = vector_paths()
        .into_iter()
        .map(|p| {
            let f = load(&p);
            (p, f)
        })
        .collect();
    let mut families = BTreeSet::new();
    for (path, file) in &files {
        assert!(families.insert(file.family.clone()), "{}: family {:?} in two files", path.display(), file.family);
    }
    files
}

/// Runs every case of every family that has `path`; returns how many ran. Panics listing every
/// failing case.
fn run_path(path: Path) -> usize {
    let mut failures = Vec::new();
    let mut ran = 0;
    for (file_path, file) in load_all() {
        let family = FAMILIES.iter().find(|f| f.name == file.family).unwrap();
        if !family.paths.contains(&path) {
            continue;
        }
        let skip = if path == Path::Row { &[][..] } else { family.row_only };
        for case in &file.cases {
            let label = format!("{} / {} [{path:?}]", file_path.display(), case.name);
            let outcome = (family.run)(case, path);
            if path != Path::Row && outcome.as_ref().is_err_and(is_not_on_path) {
                continue;
            }
            ran += 1;
            let verdict = match (&outcome, &case.expect, &case.error) {
                (Ok(actual), Some(expected), _) => compare(expected, actual, skip),
                (Err(e), None, Some(want)) if code_of(e) == want.kind => Ok(()),
                (Err(e), None, Some(want)) => Err(format!("expected error `{}`, got `{}`: {e}", want.kind, code_of(e))),
                (Ok(actual), None, Some(want)) => Err(format!("expected error `{}`, got {actual}", want.kind)),
                (Err(e), Some(expected), _) => Err(format!("expected {expected}, got error `{}`: {e}", code_of(e))),
                (_, None, None) => Err("no expectation".to_owned()),
            };
            if let Err(why) = verdict {
                failures.push(format!("{label}\n  {why}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} failing vectors:\n{}", failures.len(), failures.join("\n"));
    println!("{path:?} path: {ran} vectors");
    ran
}

#[test]
fn every_vector_passes_on_the_row_path() {
    assert!(run_path(Path::Row) > 0);
}

#[test]
fn every_vector_passes_on_the_columnar_path() {
    assert!(run_path(Path::Columnar) > 0);
}

#[cfg(feature = "rayon")]
#[test]
fn every_vector_passes_on_the_rayon_path() {
    assert!(run_path(Path::Rayon) > 0);
}

/// Every family in the table has a file (a runner no vector reaches is dead), and each file is
/// read by the tests above (its family has a runner: `load` checks it).
#[test]
fn every_family_has_vectors_and_every_file_a_family() {
    let files = load_all();
    for family in FAMILIES {
        assert!(files.iter().any(|(_, f)| f.family == family.name), "family {} has no vector file", family.name);
        assert_eq!(family.paths.first(), Some(&Path::Row), "{}: the row path is the reference", family.name);
    }
    // Nothing else lies in the vector directories: a file here that is not a vector file is one
    // no test reads.
    for area in std::fs::read_dir(root()).unwrap() {
        let area = area.unwrap().path();
        if area.is_dir() {
            for entry in std::fs::read_dir(&area).unwrap() {
                let p = entry.unwrap().path();
                assert!(p.extension().is_some_and(|e| e == "json"), "{}: not a vector file", p.display());
            }
        }
    }
}

/// The count of vectors per area, printed (`--nocapture`), and the floor this suite keeps.
#[test]
fn vector_counts() {
    let mut by_area = std::collections::BTreeMap::<String, usize>::new();
    for (_, file) in load_all() {
        let area = file.family.split('.').next().unwrap_or_default().to_owned();
        *by_area.entry(area).or_default() += file.cases.len();
    }
    let total: usize = by_area.values().sum();
    println!("vectors: {total} {by_area:?}");
    assert!(total >= 300, "the issue's goal is 300 vectors: {by_area:?}");
}

#[test]
fn comparison_pins_only_the_given_fields_and_floats_to_1e_12() {
    let actual = serde_json::json!({"a": 1, "b": {"x": "1.50"}, "c": 0.1});
    assert!(compare(&serde_json::json!({"a": 1}), &actual, &[]).is_ok());
    assert!(compare(&serde_json::json!({"b": {"x": "1.5"}}), &actual, &[]).is_err(), "decimal strings are exact");
    assert!(compare(&serde_json::json!({"c": 0.100_000_000_000_1}), &actual, &[]).is_ok());
    assert!(compare(&serde_json::json!({"c": 0.100_001}), &actual, &[]).is_err());
    assert!(compare(&serde_json::json!({"d": 1}), &actual, &[]).is_err(), "a missing field fails");
    assert!(compare(&serde_json::json!({"d": 1}), &actual, &["d"]).is_ok(), "unless the path does not produce it");
    assert!(compare(&serde_json::json!({"a": 1.0}), &serde_json::json!({"a": 1}), &[]).is_ok());
    assert!(compare(&Value::Null, &Value::Null, &[]).is_ok());
    let nested =
        serde_json::json!({"m": {"mean": "1.5", "mean_exact": {"numerator": "3", "denominator": "2"}, "n": 2}});
    assert!(compare(&serde_json::json!({"m": {"mean": "1.5", "n": 2}}), &nested, &[]).is_ok(), "exact parts optional");
    assert!(compare(&serde_json::json!({"m": {"mean": "1.5"}}), &nested, &[]).is_err(), "other nested fields are not");
    let pinned =
        serde_json::json!({"m": {"mean": "1.5", "n": 2, "mean_exact": {"numerator": "6", "denominator": "4"}}});
    assert!(compare(&pinned, &nested, &[]).is_err(), "a given exact part is compared");
}
