//! The agreement document: arbitrary bytes read as a TOML and as a JSON `Agreement`.
//!
//! Oracles: reading never panics (bad input is an error); whatever loads re-serializes, as
//! JSON and as TOML, and reloads to an equal agreement with the same fingerprint and
//! canonical form, a reload that `diff` says changed nothing; rebuilding it from its parts
//! gives the same fingerprint; and evaluating it over no facts never panics.
#![no_main]

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use revops::agreement::Agreement;
use revops::facts::FactSet;

/// Every copy of `agreement` loads back to the same agreement.
fn check(agreement: &Agreement, from: &str) {
    let json = serde_json::to_string(agreement).unwrap_or_else(|e| panic!("{from}: JSON refused to write: {e}"));
    let back: Agreement =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{from}: own JSON refused: {e}\n{json}"));
    same(agreement, &back, from, "JSON");
    let toml_text = toml::to_string(agreement).unwrap_or_else(|e| panic!("{from}: TOML refused to write: {e}\n{json}"));
    let back: Agreement =
        toml::from_str(&toml_text).unwrap_or_else(|e| panic!("{from}: own TOML refused: {e}\n{toml_text}"));
    same(agreement, &back, from, "TOML");
    let rebuilt = Agreement::new(agreement.parts().clone()).unwrap_or_else(|e| panic!("{from}: parts refused: {e}"));
    same(agreement, &rebuilt, from, "parts");
    let as_of = Utc.with_ymd_and_hms(2025, 4, 1, 0, 0, 0).single().expect("a valid instant");
    let _ = agreement.evaluate(&FactSet::default(), as_of);
}

fn same(agreement: &Agreement, back: &Agreement, from: &str, via: &str) {
    assert_eq!(back.fingerprint(), agreement.fingerprint(), "{from} -> {via}: fingerprint changed");
    assert_eq!(back.canonical_json(), agreement.canonical_json(), "{from} -> {via}: canonical form changed");
    assert_eq!(back, agreement, "{from} -> {via}: the agreement changed");
    assert!(agreement.diff(back).is_empty(), "{from} -> {via}: diff says it changed");
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(agreement) = toml::from_str::<Agreement>(text) {
        check(&agreement, "TOML");
    }
    if let Ok(agreement) = serde_json::from_str::<Agreement>(text) {
        check(&agreement, "JSON");
    }
});
