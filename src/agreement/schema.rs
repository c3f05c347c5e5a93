//! The agreement document's JSON Schema (feature `schema`), generated from the types serde reads.

use schemars::Schema;
use schemars::transform::RecursiveTransform;

use super::Agreement;

/// What the root of the schema says the document is (the doc comment of [`Agreement`] speaks
/// to Rust callers; this one to whoever writes the file).
const DESCRIPTION: &str = "A revops operating agreement: the definitions sales and marketing share (the \
funnel, the ICP, lead scoring, the MQL rule, the SLAs, attribution, the KPIs, the CRM stage maps), \
as one TOML or JSON document. Every part but the name, version, effective date, reporting zone and \
funnel is optional; unknown keys are refused. Reading the document also checks the parts against \
each other (an SLA names a calendar that exists, a KPI names stages of the funnel), which a schema \
cannot say: a file this schema accepts can still be refused with an error naming the reference.";

/// The doc-comment sections left out of descriptions: they speak to Rust callers.
const RUST_SECTIONS: [&str; 4] = ["Example", "Examples", "Errors", "Panics"];

/// The JSON Schema (draft 7) of the agreement document: what [`Agreement`]'s deserializer
/// accepts, generated from the same types with `schemars`, the doc comments as descriptions and
/// every unit written as a string (business time, probabilities, decimals, zones, ids) described
/// by a `pattern` and examples.
///
/// The repository checks the output in as `schema/agreement.schema.json` (a test fails when
/// it is stale): point an editor at it to complete and check agreement files as they are
/// written (a `#:schema` comment in TOML for Taplo/Even Better TOML; a `json.schemas` setting
/// for JSON in VS Code). The schema describes each part's shape; the cross-references between
/// parts (a calendar or stage named elsewhere exists) are checked by reading the document.
///
/// Draft 7 rather than 2020-12, because more editors and validators read it. Descriptions are the
/// types' documentation without its Rust examples, and rustdoc links reduced to their text.
///
/// # Example
///
/// ```
/// let schema = revops::agreement::json_schema();
/// assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
/// assert_eq!(schema["title"], "Agreement");
/// let required: Vec<&str> = schema["required"].as_array().into_iter().flatten().filter_map(|v| v.as_str()).collect();
/// assert_eq!(required, ["name", "version", "effective", "reporting_zone", "funnel"]);
/// assert_eq!(schema["additionalProperties"], false); // unknown keys are refused
/// ```
#[must_use]
pub fn json_schema() -> serde_json::Value {
    let settings = schemars::generate::SchemaSettings::draft07().with_transform(RecursiveTransform(tidy));
    let mut schema = settings.into_generator().into_root_schema_for::<Agreement>();
    schema.insert("description".into(), DESCRIPTION.into());
    schema.to_value()
}

/// Rewrites a schema's `description` for the file's reader ([`plain`]).
fn tidy(schema: &mut Schema) {
    if let Some(serde_json::Value::String(description)) = schema.get_mut("description") {
        *description = plain(description);
    }
}

/// `doc` without its Rust code blocks and its Rust-only sections (examples, errors), rustdoc
/// links reduced to their text and wrapped lines joined into paragraphs; TOML and JSON blocks
/// are kept verbatim.
fn plain(doc: &str) -> String {
    let mut out: Vec<(String, bool)> = Vec::new(); // each line, and whether it is code
    let mut fence: Option<bool> = None; // inside a code block: whether it is kept
    let mut skipping = false;
    let mut joinable = false; // the last line is prose a wrapped line continues
    for line in doc.lines() {
        let trimmed = line.trim_start();
        if let Some(lang) = trimmed.strip_prefix("```") {
            let keep = fence.unwrap_or_else(|| matches!(lang.trim(), "toml" | "json" | "text"));
            fence = if fence.is_some() { None } else { Some(keep) };
            if keep && !skipping {
                out.push((line.to_owned(), true));
            }
            joinable = false;
            continue;
        }
        if let Some(keep) = fence {
            if keep && !skipping {
                out.push((line.to_owned(), true));
            }
            continue;
        }
        if let Some(heading) = trimmed.strip_prefix("# ") {
            skipping = RUST_SECTIONS.contains(&heading.trim());
        }
        if skipping {
            continue;
        }
        let starts_block = trimmed.starts_with(['#', '|', '-', '*']) || trimmed.is_empty();
        match out.last_mut() {
            Some((last, false)) if joinable && !starts_block => {
                last.push(' ');
                last.push_str(trimmed);
            }
            Some((last, false)) if trimmed.is_empty() && last.is_empty() => {}
            _ => out.push((line.to_owned(), false)),
        }
        joinable = !trimmed.is_empty() && !trimmed.starts_with(['#', '|']);
    }
    let lines: Vec<String> = out.into_iter().map(|(line, code)| if code { line } else { unlink(&line) }).collect();
    lines.join("\n").trim().to_owned()
}

/// `line` with rustdoc links `[text](target)` and `` [`Item`] `` reduced to their text (inline
/// code spans are copied as they are).
fn unlink(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find(['[', '`']) {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        if let Some(code) = from.strip_prefix('`') {
            let end = code.find('`').map_or(code.len(), |end| end + 1);
            let (span, tail) = code.split_at(end);
            out.push('`');
            out.push_str(span);
            rest = tail;
            continue;
        }
        let after = from.strip_prefix('[').unwrap_or(from);
        let reduced = after.split_once(']').and_then(|(text, tail)| match tail.strip_prefix('(') {
            Some(target) => target.split_once(')').map(|(_, tail)| (text, tail)),
            None if text.len() >= 2 && text.starts_with('`') && text.ends_with('`') => Some((text, tail)),
            None => None,
        });
        if let Some((text, tail)) = reduced {
            out.push_str(text);
            rest = tail;
        } else {
            out.push('[');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_keep_the_wire_format_and_drop_the_rust() {
        assert_eq!(unlink("`[a, b)` or [`X`](y), `[[t]]` [c]"), "`[a, b)` or `X`, `[[t]]` [c]");
        let doc = "The [`Funnel`] of [the\nmodule](self),\nsee [`Zone`](crate::calendar::Zone).\n\n\n\
                   # Wire format\n\n`[[stages]]` tables:\n\n- one\n  item\n- two\n\n| a | b |\n| c | d |\n\n\
                   ```toml\n[[stages]]\nid = \"mql\"\n```\n\n\
                   ```\nlet x = 1;\n```\n\n# Example\n\n```\nuse revops::Funnel;\n```\n\ntext of the example";
        assert_eq!(
            plain(doc),
            "The `Funnel` of the module, see `Zone`.\n\n# Wire format\n\n`[[stages]]` tables:\n\n\
             - one item\n- two\n\n| a | b |\n| c | d |\n\n```toml\n[[stages]]\nid = \"mql\"\n```"
        );
    }

    #[test]
    fn the_root_says_what_the_document_is() {
        let schema = json_schema();
        assert_eq!(schema["description"], DESCRIPTION);
        assert!(schema["definitions"].as_object().is_some_and(|d| d.contains_key("Funnel")));
    }
}
