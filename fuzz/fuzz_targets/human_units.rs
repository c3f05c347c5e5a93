//! The human units (issue 13 item 2) on arbitrary text: wall-clock durations
//! (`revops::calendar::parse_duration`), business time (`BusinessSpan: FromStr`) and
//! probabilities (`Probability: FromStr`), and the same text as a JSON and a TOML string.
//!
//! Oracles: no panic; whatever parses prints canonically and parses back to the same value
//! (`parse(display(x)) == x`), the canonical text is a fixed point (`display(parse(display(x)))
//! == display(x)`), and JSON and TOML read the value back from what they wrote.
#![no_main]

use libfuzzer_sys::fuzz_target;
use revops::Probability;
use revops::calendar::{BusinessSpan, format_duration, parse_duration};

#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct Doc<T> {
    value: T,
}

fn wire<T>(value: T)
where
    T: PartialEq + core::fmt::Debug + serde::Serialize + serde::de::DeserializeOwned,
{
    let doc = Doc { value };
    let json = serde_json::to_string(&doc).expect("writes JSON");
    assert_eq!(serde_json::from_str::<Doc<T>>(&json).expect("reads its JSON"), doc, "{json}");
    let toml = toml::to_string(&doc).expect("writes TOML");
    assert_eq!(toml::from_str::<Doc<T>>(&toml).expect("reads its TOML"), doc, "{toml}");
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else { return };

    if let Ok(d) = parse_duration(text) {
        let canonical = format_duration(d);
        assert_eq!(parse_duration(&canonical).expect("canonical duration parses"), d, "{text:?} -> {canonical:?}");
        assert_eq!(format_duration(parse_duration(&canonical).expect("parses")), canonical);
    }
    if let Ok(span) = text.parse::<BusinessSpan>() {
        let canonical = span.to_string();
        assert_eq!(
            canonical.parse::<BusinessSpan>().expect("canonical span parses"),
            span,
            "{text:?} -> {canonical:?}"
        );
        wire(span);
    }
    if let Ok(p) = text.parse::<Probability>() {
        let canonical = p.to_string();
        assert_eq!(
            canonical.parse::<Probability>().expect("canonical probability parses"),
            p,
            "{text:?} -> {canonical:?}"
        );
        assert_eq!(p.fraction().to_string().parse::<Probability>().expect("fraction parses"), p);
        wire(p);
    }
    // The same text as a JSON string value: refused or read as the parser reads it.
    let json = serde_json::json!({ "value": text }).to_string();
    match (serde_json::from_str::<Doc<BusinessSpan>>(&json), text.parse::<BusinessSpan>()) {
        (Ok(doc), Ok(span)) => assert_eq!(doc.value, span),
        (Err(_), Err(_)) => {}
        (a, b) => panic!("JSON and FromStr disagree on {text:?}: {a:?} vs {b:?}"),
    }
    match (serde_json::from_str::<Doc<Probability>>(&json), text.parse::<Probability>()) {
        (Ok(doc), Ok(p)) => assert_eq!(doc.value, p),
        (Err(_), Err(_)) => {}
        (a, b) => panic!("JSON and FromStr disagree on {text:?}: {a:?} vs {b:?}"),
    }
});
