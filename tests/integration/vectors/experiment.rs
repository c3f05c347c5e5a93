//! The experiment families (`tests/vectors/experiment/`): the Wilson interval of one rate, the
//! comparison of a variant with a control (one, or several with a correction), and the sample
//! size a test needs.
//!
//! - `experiment.wilson`: definition `{"confidence": "95%"}`, facts `{"rate": <Ratio>}`; the
//!   result `{"interval": [lower, upper], "interval_4dp": ["0.2553", "0.3662"]}`, or `null` for a
//!   rate without trials.
//! - `experiment.compare`: definition `{"confidence", "correction"?}` (`correction` `"holm"`,
//!   `"bonferroni"` or `"none"`, default `"holm"`, read by several variants only); facts
//!   `{"control": <Ratio>, "variant": <Ratio>}` (one comparison: its fields, or `null` when a
//!   rate has no trials) or `{"control": <Ratio>, "variants": [<Ratio>]}` (`count`, and per
//!   variant `variants.<i>.<field>`, `variants.<i>` `null` for a variant without trials). A
//!   comparison's fields: `confidence`, `control_interval`, `variant_interval`, `difference`,
//!   `lift`, `interval`, `z`, `p_value`, `verdict`, and `interval_4dp`.
//! - `experiment.sample_size`: definition `{"baseline", "effect", "confidence", "power",
//!   "comparisons"?}` (probabilities; `comparisons` default 1), no facts; the result is the
//!   trials per group, or `null`.
//!
//! Intervals and statistics are floats (compared to 1e-12); the `*_4dp` fields are the same
//! bounds rounded to four decimals as text, the precision the published tables give.

use revops::experiment::{Correction, Interval, RateComparison, compare_all, sample_size};
use revops::{Error, Probability, Ratio};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{Case, Path};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Level {
    confidence: Probability,
    #[serde(default)]
    correction: Correction,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OneRate {
    rate: Ratio,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Arms {
    Several { control: Ratio, variants: Vec<Ratio> },
    One { control: Ratio, variant: Ratio },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SampleSize {
    baseline: Probability,
    effect: Probability,
    confidence: Probability,
    power: Probability,
    #[serde(default = "one")]
    comparisons: u32,
}

const fn one() -> u32 {
    1
}

fn bounds(i: &Interval) -> Value {
    json!([i.lower, i.upper])
}

fn bounds_4dp(i: &Interval) -> Value {
    json!([format!("{:.4}", i.lower), format!("{:.4}", i.upper)])
}

fn comparison(r: &RateComparison) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("confidence".into(), json!(r.confidence));
    out.insert("control_interval".into(), bounds(&r.control_interval));
    out.insert("variant_interval".into(), bounds(&r.variant_interval));
    out.insert("difference".into(), json!(r.difference));
    out.insert("lift".into(), json!(r.lift));
    out.insert("interval".into(), bounds(&r.interval));
    out.insert("interval_4dp".into(), bounds_4dp(&r.interval));
    out.insert("z".into(), json!(r.z));
    out.insert("p_value".into(), json!(r.p_value));
    out.insert("verdict".into(), serde_json::to_value(r.verdict).unwrap_or_default());
    out
}

/// `experiment.wilson`.
pub(super) fn wilson(case: &Case, _: Path) -> Result<Value, Error> {
    let level: Level = case.definition()?;
    let facts: OneRate = case.facts()?;
    Ok(revops::experiment::wilson(facts.rate, level.confidence)?
        .map_or(Value::Null, |i| json!({"interval": bounds(&i), "interval_4dp": bounds_4dp(&i)})))
}

/// `experiment.compare`: [`revops::experiment::compare`] for one variant, [`compare_all`] for
/// several.
pub(super) fn compare(case: &Case, _: Path) -> Result<Value, Error> {
    let level: Level = case.definition()?;
    match case.facts()? {
        Arms::One { control, variant } => Ok(revops::experiment::compare(control, variant, level.confidence)?
            .map_or(Value::Null, |r| Value::Object(comparison(&r)))),
        Arms::Several { control, variants } => {
            let results = compare_all(control, &variants, level.confidence, level.correction)?;
            let mut out = Map::new();
            out.insert("count".into(), json!(results.len()));
            for (i, result) in results.iter().enumerate() {
                match result {
                    None => {
                        out.insert(format!("variants.{i}"), Value::Null);
                    }
                    Some(r) => {
                        for (key, value) in comparison(r) {
                            out.insert(format!("variants.{i}.{key}"), value);
                        }
                    }
                }
            }
            Ok(Value::Object(out))
        }
    }
}

/// `experiment.sample_size`.
pub(super) fn sample(case: &Case, _: Path) -> Result<Value, Error> {
    let d: SampleSize = case.definition()?;
    Ok(json!(sample_size(d.baseline, d.effect, d.confidence, d.power, d.comparisons)?))
}
