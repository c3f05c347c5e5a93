//! Markov order 1 over the peers' aggregated path file, checked against the peers' answers.
//!
//! `cargo run --release --example markov_csv -- [N] [PEERS_HOME] [RESULTS_JSON]`
//!
//! Reads `PEERS_HOME/data/paths_<N>.csv` (default `$HOME/.cache/revops-peers`, N = 100000;
//! written by `/work/shared/peers/run.sh`), runs the exact first-order Markov model and compares
//! its removal effects with the numpy exact reference (`ref markov_exact_o1`, must agree to
//! 1e-9) and with `ChannelAttribution`'s simulated `markov_o1` (agrees within its simulation
//! noise), both read from `PEERS_HOME/out/results.json`. The file I/O lives here, in the
//! example; the library only sees the text.
#![allow(clippy::float_arithmetic, clippy::print_stdout)] // a report on statistical results

use std::collections::BTreeMap;
use std::time::Instant;

use revops::attribution::{MarkovModel, parse_aggregated_paths, parse_path_columns};
use revops::{Currency, ErrorKind, Tally};

#[allow(clippy::too_many_lines)] // one linear report
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().map_or(Ok(100_000), |a| a.parse())?;
    let home =
        args.next().unwrap_or_else(|| format!("{}/.cache/revops-peers", std::env::var("HOME").unwrap_or_default()));
    let file = format!("{home}/data/paths_{n}.csv");

    let results_json = args.next().unwrap_or_else(|| format!("{home}/out/results.json"));

    let t0 = Instant::now();
    let text =
        std::fs::read_to_string(&file).map_err(|e| format!("{file}: {e} (run /work/shared/peers/run.sh {n})"))?;
    let t1 = Instant::now();
    let batch = parse_path_columns(&text, Currency::USD)?;
    let t2 = Instant::now();
    let model = MarkovModel::new(1)?;
    let mut runs = Vec::new();
    let mut result = None;
    for _ in 0..7 {
        let start = Instant::now();
        let mut counts = model.counts(Currency::USD);
        counts.push_columns(&batch)?;
        let r = counts.finish()?;
        runs.push(start.elapsed());
        result = Some(r);
    }
    runs.sort();
    let median = runs.get(runs.len() / 2).copied().unwrap_or_default();
    let result = result.ok_or("no run")?;
    // The row form (one AggregatedPath per row, validated channel ids) gives the same answer.
    let rows = parse_aggregated_paths(&text, Currency::USD)?;
    let same = MarkovModel::new(1)?.attribute_paths(&rows, Currency::USD)? == result;
    println!(
        "{file}: {} distinct paths, {} journeys, {} conversions",
        batch.len(),
        result.journeys,
        result.conversions
    );
    println!(
        "read {:.1} ms, parse to columns {:.1} ms, model (count + exact solve) median of 7: {:.2} ms (min {:.2}); row form agrees: {same}",
        ms(t1 - t0),
        ms(t2 - t1),
        ms(median),
        ms(runs.first().copied().unwrap_or_default())
    );
    println!("conversion probability P = {:.12}", result.conversion_probability);

    let peers = read_peers(&results_json, n);
    if let Some(ca_s) = read_model_seconds(&results_json, n, "ca", "markov_o1") {
        println!(
            "ChannelAttribution markov_model (order 1, defaults) in {results_json}: {:.3} s => revops is {:.0}x faster",
            ca_s,
            ca_s / median.as_secs_f64()
        );
    }
    let reference = peers.get(&("ref".to_owned(), "markov_exact_o1".to_owned()));
    let ca = peers.get(&("ca".to_owned(), "markov_o1".to_owned()));
    println!();
    println!(
        "{:<14} {:>14} {:>14} {:>10} {:>14} {:>10} {:>10}",
        "channel", "removal eff.", "numpy ref", "|diff|", "CA (sim.)", "diff", "share"
    );
    let mut worst_ref: f64 = 0.0;
    let mut worst_ca: f64 = 0.0;
    for c in &result.channels {
        let name = c.channel.as_str();
        let r = reference.and_then(|m| m.get(name)).copied();
        let a = ca.and_then(|m| m.get(name)).copied();
        let dr = r.map(|r| (c.removal_effect - r).abs());
        let da = a.map(|a| a - c.removal_effect);
        worst_ref = worst_ref.max(dr.unwrap_or(0.0));
        worst_ca = worst_ca.max(da.map_or(0.0, f64::abs));
        println!(
            "{:<14} {:>14.10} {:>14} {:>10} {:>14} {:>10} {:>9.2}%",
            name,
            c.removal_effect,
            r.map_or("-".into(), |r| format!("{r:.10}")),
            dr.map_or("-".into(), |d| format!("{d:.1e}")),
            a.map_or("-".into(), |a| format!("{a:.6}")),
            da.map_or("-".into(), |d| format!("{d:+.4}")),
            c.share * 100.0
        );
    }
    println!();
    match reference {
        Some(_) if worst_ref <= 1e-9 => println!("numpy exact reference: max |diff| {worst_ref:.1e} <= 1e-9: agree"),
        Some(_) => return Err(format!("numpy exact reference differs by {worst_ref:e} > 1e-9").into()),
        None => println!("numpy exact reference: not found in results.json for N = {n}"),
    }
    if ca.is_some() {
        let noise = ca_seed_noise(&results_json);
        println!(
            "ChannelAttribution (simulated walks, 5% tolerance): max |diff| {worst_ca:.4}; its own two seeds on the same 100,000 journeys differ by up to {noise:.4}: {}",
            if worst_ca <= noise {
                "within its noise"
            } else if noise.is_nan() {
                "noise unknown"
            } else {
                "outside its noise"
            }
        );
    }
    let total = revops::Money::checked_sum(result.channels.iter().map(|c| c.value), Currency::USD)?;
    println!("value credits sum to {total} = total conversion value {}", result.total_value);
    if total != result.total_value {
        return Err(Box::new(ErrorKind::Overflow { op: "credit total mismatch" }));
    }
    Ok(())
}

/// The simulation's own noise: the largest removal-effect difference between
/// `ChannelAttribution`'s two seeds on the same 100,000 journeys (NaN if not in the results).
fn ca_seed_noise(results_json: &str) -> f64 {
    let at_100k = read_peers(results_json, 100_000);
    let seeds = (
        at_100k.get(&("ca".to_owned(), "markov_o1".to_owned())),
        at_100k.get(&("ca".to_owned(), "markov_o1_seed12345".to_owned())),
    );
    match seeds {
        (Some(a), Some(b)) => a.iter().filter_map(|(k, x)| b.get(k).map(|y| (x - y).abs())).fold(0.0, f64::max),
        _ => f64::NAN,
    }
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The model time of `(tool, model)` at size `n` in the peers' results.json.
fn read_model_seconds(file: &str, n: usize, tool: &str, model: &str) -> Option<f64> {
    let text = std::fs::read_to_string(file).ok()?;
    let runs: serde_json::Value = serde_json::from_str(&text).ok()?;
    runs.as_array()?
        .iter()
        .filter(|r| {
            r.get("n").and_then(serde_json::Value::as_u64) == Some(n as u64)
                && r.get("tool").and_then(|v| v.as_str()) == Some(tool)
                && r.get("model").and_then(|v| v.as_str()) == Some(model)
        })
        .find_map(|r| r.get("model_s").and_then(serde_json::Value::as_f64))
}

/// `(tool, model) -> channel -> removal effect` for size `n`, from the peers' results.json.
fn read_peers(file: &str, n: usize) -> BTreeMap<(String, String), BTreeMap<String, f64>> {
    let mut out = BTreeMap::new();
    let Ok(text) = std::fs::read_to_string(file) else {
        return out;
    };
    let Ok(serde_json::Value::Array(runs)) = serde_json::from_str::<serde_json::Value>(&text) else {
        return out;
    };
    for run in runs {
        if run.get("n").and_then(serde_json::Value::as_u64) != Some(n as u64) {
            continue;
        }
        let (Some(tool), Some(model), Some(serde_json::Value::Object(re))) = (
            run.get("tool").and_then(|v| v.as_str()),
            run.get("model").and_then(|v| v.as_str()),
            run.get("removal_effects"),
        ) else {
            continue;
        };
        let effects = re.iter().filter_map(|(k, v)| v.as_f64().map(|f| (k.clone(), f))).collect();
        out.entry((tool.to_owned(), model.to_owned())).or_insert(effects);
    }
    out
}
