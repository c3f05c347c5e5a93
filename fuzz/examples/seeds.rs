//! Writes the committed seed corpora under `fuzz/seeds/` (run from the repository root:
//! `cargo run --manifest-path fuzz/Cargo.toml --example seeds`).
//!
//! Definitions seeds: every JSON literal in the crate's sources and tests (`r#"..."#` and
//! plain strings starting with `{`, `[` or `"`) that some serde type accepts, plus testkit
//! values, each written once per accepting type (first byte = the type selector), in JSON
//! and as a TOML document; then boundary variants (29-digit decimals, i64 extremes, chrono's
//! range ends, DST instants) substituted into them. Path-table seeds: the documented examples
//! and boundary rows.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use revops_fuzz::defs;

fn literals(text: &str, out: &mut BTreeSet<String>) {
    // Raw strings r#"..."#.
    let mut rest = text;
    while let Some(i) = rest.find("r#\"") {
        rest = &rest[i + 3..];
        if let Some(j) = rest.find("\"#") {
            out.insert(rest[..j].to_string());
            rest = &rest[j + 2..];
        }
    }
    // Plain strings starting with { or [ (unescape \" and \\ only).
    let mut rest = text;
    while let Some(i) = rest.find("\"{").or_else(|| rest.find("\"[")) {
        rest = &rest[i + 1..];
        let mut s = String::new();
        let mut chars = rest.char_indices();
        let mut end = rest.len();
        while let Some((k, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, 'n')) => s.push('\n'),
                    Some((_, c)) => s.push(c),
                    None => {}
                },
                '"' => {
                    end = k;
                    break;
                }
                c => s.push(c),
            }
        }
        out.insert(s);
        rest = &rest[end.min(rest.len())..];
    }
}

fn walk(dir: &Path, out: &mut BTreeSet<String>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs" || x == "md") {
            if let Ok(t) = fs::read_to_string(&p) {
                literals(&t, out);
            }
        }
    }
}

const BOUNDARY: &[(&str, &[&str])] = &[
    ("\"100\"", &["\"79228162514264337593543950335\"", "\"100.0000000000000000000000000001\"", "\"-0\""]),
    ("\"50\"", &["\"50.00000000000000000000000000001\"", "\"39614081257132168796771975168\""]),
    ("\"1\"", &["\"1.0000000000000000000000000001\"", "\"18446744073709551615\""]),
    ("2024-", &["2261-", "1678-", "+262142-", "-262143-"]),
    ("T09:00:00Z", &["T07:00:00Z", "T06:00:00Z", "T23:59:59.999999999Z"]),
    ("\"America/New_York\"", &["\"Australia/Lord_Howe\"", "\"Europe/Dublin\"", "\"Antarctica/Troll\""]),
    (": 1,", &[": 18446744073709551615,", ": -9223372036854775808,", ": 9223372036854775807,"]),
    (":1,", &[":18446744073709551615,", ":-9223372036854775808,"]),
];

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut lits = BTreeSet::new();
    for d in ["src", "tests", "examples", "README.md"] {
        let p = root.join(d);
        if p.is_file() {
            if let Ok(t) = fs::read_to_string(&p) {
                literals(&t, &mut lits);
            }
        } else {
            walk(&p, &mut lits);
        }
    }
    // Boundary variants of every literal.
    let mut all = lits.clone();
    for l in &lits {
        for (from, tos) in BOUNDARY {
            if l.contains(from) {
                for to in *tos {
                    all.insert(l.replacen(from, to, 1));
                }
            }
        }
    }
    let json_dir = root.join("fuzz/seeds/definitions_json");
    let toml_dir = root.join("fuzz/seeds/definitions_toml");
    fs::create_dir_all(&json_dir).expect("mkdir");
    fs::create_dir_all(&toml_dir).expect("mkdir");
    let (mut nj, mut nt) = (0, 0);
    let mut per_type = vec![0usize; defs::NAMES.len()];
    for l in &all {
        for (i, f) in defs::CANONICAL_JSON.iter().enumerate() {
            let sel = u8::try_from(i).expect("fewer than 256 types");
            if f(l).is_some() {
                per_type[i] += 1;
                // The literal itself (it may be non-canonical, which is the point).
                let mut bytes = vec![sel];
                bytes.extend_from_slice(l.as_bytes());
                fs::write(
                    json_dir.join(format!("{}-{nj:04}", defs::NAMES[i].rsplit("::").next().unwrap_or("t"))),
                    bytes,
                )
                .expect("write");
                nj += 1;
                if let Some(t) = defs::CANONICAL_TOML[i](l) {
                    let mut bytes = vec![sel];
                    bytes.extend_from_slice(t.as_bytes());
                    fs::write(
                        toml_dir.join(format!("{}-{nt:04}", defs::NAMES[i].rsplit("::").next().unwrap_or("t"))),
                        bytes,
                    )
                    .expect("write");
                    nt += 1;
                }
            }
        }
    }
    println!("{} literals ({} with boundary variants): {nj} JSON seeds, {nt} TOML seeds", lits.len(), all.len());
    for (name, n) in defs::NAMES.iter().zip(&per_type) {
        if *n == 0 {
            println!("no seed for {name}");
        }
    }
}
