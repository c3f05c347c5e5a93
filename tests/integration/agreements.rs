//! The agreement files in `examples/agreements/`: each loads, validates and evaluates.

use revops::agreement::Agreement;
use revops::testkit::{Company, sample_agreement};

/// The sample company's agreement, as a file.
const SAMPLE: &str = include_str!("../../examples/agreements/sample.toml");

#[test]
fn the_sample_file_is_the_sample_agreement_and_evaluates() {
    if std::env::var_os("REVOPS_WRITE_AGREEMENTS").is_some() {
        let text = toml::to_string(&sample_agreement().unwrap()).unwrap();
        std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/agreements/sample.toml"), text).unwrap();
        return;
    }
    let loaded: Agreement = toml::from_str(SAMPLE).unwrap();
    let built = sample_agreement().unwrap();
    assert_eq!(loaded.fingerprint(), built.fingerprint());
    assert_eq!(loaded, built);
    // The same document as JSON has the same fingerprint.
    let json: Agreement = serde_json::from_str(&serde_json::to_string(&loaded).unwrap()).unwrap();
    assert_eq!(json.fingerprint(), built.fingerprint());
    let company = Company::sample();
    let scorecard = loaded.evaluate(&company.facts(), company.as_of()).unwrap();
    assert_eq!(scorecard.fingerprint, *built.fingerprint());
}
