//! Scale (issue 15, item 5): W-shaped attribution by channel and Markov order 1 over generated
//! journeys in Parquet, in DataFusion SQL at 1 and 2 target partitions, against the in-process
//! crate on the same files.
//!
//! ```sh
//! cargo bench -p revops-datafusion --bench parquet_scale
//! REVOPS_BENCH_JOURNEYS=1000000 cargo bench -p revops-datafusion --bench parquet_scale   # smaller
//! ```
//!
//! The journeys are the testkit company's (`Company::new(7, n)`, one journey per lead, USD),
//! written once to eight Parquet files under `$REVOPS_BENCH_DIR` (default: the system's
//! temporary directory) and reused while their marker matches. Each configuration runs in a
//! child process of its own, so its peak memory (`VmHWM`) is its own: three runs, the median
//! time reported, touches per second over that median. The DataFusion results are checked
//! equal to the in-process ones (money to the cent, removal effects to 1e-12).
//!
//! The in-process crate is timed twice for W-shaped: the columnar engine alone over batches
//! already in memory (`crate-w-shaped`), and end to end from the same Parquet files on one
//! thread (`crate-w-shaped-parquet`: read, convert, attribute), which is what DataFusion's
//! time includes.
//!
//! Not a criterion bench: one run of a configuration takes seconds and its memory must be
//! measured in its own process.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use datafusion::arrow::array::{AsArray, RecordBatch};
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};
use revops::attribution::{AttributionReport, ChannelTotals, MarkovAttribution, MarkovModel, Model};
use revops::testkit::Company;
use revops::{ChannelId, Currency, Tally};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

const FILES: usize = 8;
const CHUNK: usize = 50_000;
const RUNS: usize = 3;
const W_SHAPED: &str = r#"{"shape":{"kind":"w_shaped"}}"#;

fn journeys_wanted() -> Result<usize> {
    Ok(std::env::var("REVOPS_BENCH_JOURNEYS").ok().map(|v| v.parse()).transpose()?.unwrap_or(10_000_000))
}

fn data_dir(n: usize) -> PathBuf {
    let root = std::env::var_os("REVOPS_BENCH_DIR").map_or_else(std::env::temp_dir, PathBuf::from);
    root.join(format!("revops-bench-journeys-{n}"))
}

/// Peak resident memory of this process, in MiB (`VmHWM`; 0 where /proc is absent).
fn peak_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

/// Writes the journeys of leads `range` to `path`, returning (journeys, touches).
fn write_file(company: &Company, range: std::ops::Range<usize>, path: &Path) -> Result<(u64, u64)> {
    let mut writer: Option<ArrowWriter<File>> = None;
    let (mut journeys, mut touches) = (0u64, 0u64);
    let mut start = range.start;
    while start < range.end {
        let end = (start + CHUNK).min(range.end);
        let chunk: Vec<_> = (start..end)
            .map(|i| company.lead(i).journey())
            .filter(|j| j.conversion.is_none_or(|c| c.value.currency() == Currency::USD))
            .collect();
        journeys += chunk.len() as u64;
        touches += chunk.iter().map(|j| j.touches.len() as u64).sum::<u64>();
        let batch = revops_datafusion::journeys_to_batch(Currency::USD, &chunk)?;
        if writer.is_none() {
            writer = Some(ArrowWriter::try_new(File::create(path)?, batch.schema(), None)?);
        }
        if let Some(w) = writer.as_mut() {
            w.write(&batch)?;
        }
        start = end;
    }
    if let Some(w) = writer {
        w.close()?;
    }
    Ok((journeys, touches))
}

/// The data set: generated (two threads) unless its marker says it is there. Returns
/// (journeys, touches).
fn ensure_data(n: usize) -> Result<(u64, u64)> {
    let dir = data_dir(n);
    let marker = dir.join("complete.txt");
    if let Ok(text) = std::fs::read_to_string(&marker) {
        let mut parts = text.split_whitespace().map(str::parse::<u64>);
        if let (Some(Ok(j)), Some(Ok(t))) = (parts.next(), parts.next()) {
            return Ok((j, t));
        }
    }
    std::fs::create_dir_all(&dir)?;
    let company = Company::new(7, n)?;
    let started = Instant::now();
    let per_file = n.div_ceil(FILES);
    let counts = std::thread::scope(|scope| -> Result<Vec<(u64, u64)>> {
        let workers: Vec<_> = (0..2)
            .map(|w| {
                let (company, dir) = (&company, &dir);
                scope.spawn(move || -> std::result::Result<Vec<(u64, u64)>, String> {
                    (0..FILES)
                        .filter(|f| f % 2 == w)
                        .map(|f| {
                            let range = (f * per_file).min(n)..((f + 1) * per_file).min(n);
                            write_file(company, range, &dir.join(format!("part-{f}.parquet")))
                                .map_err(|e| e.to_string())
                        })
                        .collect()
                })
            })
            .collect();
        let mut all = Vec::new();
        for w in workers {
            all.extend(w.join().map_err(|_| "a writer thread panicked")??);
        }
        Ok(all)
    })?;
    let (journeys, touches) = counts.iter().fold((0, 0), |(j, t), (a, b)| (j + a, t + b));
    std::fs::write(&marker, format!("{journeys} {touches}\n"))?;
    let bytes: u64 = std::fs::read_dir(&dir)?.filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum();
    eprintln!(
        "generated {journeys} journeys, {touches} touches, {:.0} MiB of Parquet in {:.1} s",
        bytes as f64 / 1048576.0,
        started.elapsed().as_secs_f64()
    );
    Ok((journeys, touches))
}

fn parquet_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "parquet"))
        .collect();
    files.sort();
    Ok(files)
}

fn read_batches(dir: &Path) -> Result<Vec<RecordBatch>> {
    let mut out = Vec::new();
    for path in parquet_files(dir)? {
        for batch in ParquetRecordBatchReaderBuilder::try_new(File::open(path)?)?.with_batch_size(65_536).build()? {
            out.push(batch?);
        }
    }
    Ok(out)
}

/// `a + b` over the sorted union of their channel tables.
fn merge(a: ChannelTotals, b: ChannelTotals) -> Result<ChannelTotals> {
    let table: BTreeSet<ChannelId> = a.by_channel()?.into_keys().chain(b.by_channel()?.into_keys()).collect();
    let table: Vec<ChannelId> = table.into_iter().collect();
    let mut a = a.with_channels(table.clone())?;
    a.merge(b.with_channels(table)?)?;
    Ok(a)
}

/// One configuration's median time and the result it computed (JSON, for the check).
fn run_configuration(name: &str, dir: &Path) -> Result<(Duration, String)> {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let mut times = Vec::new();
    let mut result = String::new();
    match name {
        "crate-w-shaped" | "crate-markov" => {
            // The in-process crate: the Parquet files read into the crate's structures first
            // (not timed), then the engine alone on one thread.
            let batches = read_batches(dir)?;
            if name == "crate-w-shaped" {
                let columnar = batches
                    .iter()
                    .map(|b| revops_datafusion::batch_to_columnar(Currency::USD, b))
                    .collect::<std::result::Result<Vec<_>, _>>()?;
                let model: Model = serde_json::from_str(W_SHAPED)?;
                for _ in 0..RUNS {
                    let started = Instant::now();
                    let mut totals = ChannelTotals::new(model.clone(), Currency::USD, Vec::new());
                    for batch in &columnar {
                        totals = merge(totals, batch.channel_totals(&model)?)?;
                    }
                    times.push(started.elapsed());
                    result = serde_json::to_string(&totals.report()?)?;
                }
            } else {
                let journeys = batches
                    .iter()
                    .map(|b| revops_datafusion::batch_to_journeys(Currency::USD, b))
                    .collect::<std::result::Result<Vec<_>, _>>()?;
                for _ in 0..RUNS {
                    let started = Instant::now();
                    let mut counts = MarkovModel::new(1)?.counts(Currency::USD);
                    for part in &journeys {
                        for journey in part {
                            counts.push(journey)?;
                        }
                    }
                    let attribution = counts.finish()?;
                    times.push(started.elapsed());
                    result = serde_json::to_string(&attribution)?;
                }
            }
        }
        "crate-w-shaped-parquet" => {
            // The in-process crate end to end on one thread: the same Parquet files read,
            // converted to columnar batches and attributed, each file as it is read.
            let model: Model = serde_json::from_str(W_SHAPED)?;
            for _ in 0..RUNS {
                let started = Instant::now();
                let mut totals = ChannelTotals::new(model.clone(), Currency::USD, Vec::new());
                for path in parquet_files(dir)? {
                    for batch in ParquetRecordBatchReaderBuilder::try_new(File::open(path)?)?.build()? {
                        let columnar = revops_datafusion::batch_to_columnar(Currency::USD, &batch?)?;
                        totals = merge(totals, columnar.channel_totals(&model)?)?;
                    }
                }
                times.push(started.elapsed());
                result = serde_json::to_string(&totals.report()?)?;
            }
        }
        _ => {
            let (query, partitions) = match name {
                "sql-w-shaped-1" => ("w", 1),
                "sql-w-shaped-2" => ("w", 2),
                "sql-markov-1" => ("m", 1),
                "sql-markov-2" => ("m", 2),
                other => return Err(format!("unknown configuration {other}").into()),
            };
            let sql = if query == "w" {
                format!(
                    "SELECT revops_attribute('{W_SHAPED}', 'USD', journey_id, converted_at, value_minor, \
                     lead_created_at, opportunity_created_at, closed_won_at, touch_at, channel, roles) FROM journeys"
                )
            } else {
                "SELECT revops_markov(1, 'USD', journey_id, converted_at, value_minor, channel) FROM journeys"
                    .to_owned()
            };
            runtime.block_on(async {
                let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(partitions));
                revops_datafusion::register(&ctx);
                ctx.register_parquet("journeys", dir.to_string_lossy().as_ref(), ParquetReadOptions::default()).await?;
                for _ in 0..RUNS {
                    let started = Instant::now();
                    let batches = ctx.sql(&sql).await?.collect().await?;
                    times.push(started.elapsed());
                    let batch = batches.iter().find(|b| b.num_rows() > 0).ok_or("no result")?;
                    result = batch.column(0).as_string::<i32>().value(0).to_owned();
                }
                Ok::<(), Box<dyn std::error::Error>>(())
            })?;
        }
    }
    times.sort();
    let median = times.get(times.len() / 2).copied().ok_or("no run")?;
    Ok((median, result))
}

/// Checks two results of the same query agree: attribution exactly, Markov to 1e-12.
fn same_result(kind: &str, a: &str, b: &str) -> Result<()> {
    if kind == "w" {
        let (a, b): (AttributionReport, AttributionReport) = (serde_json::from_str(a)?, serde_json::from_str(b)?);
        if a != b {
            return Err("W-shaped: DataFusion and the crate disagree".into());
        }
    } else {
        let (a, b): (MarkovAttribution, MarkovAttribution) = (serde_json::from_str(a)?, serde_json::from_str(b)?);
        let close = a.channels.len() == b.channels.len()
            && a.channels.iter().zip(&b.channels).all(|(x, y)| {
                x.channel == y.channel && x.value == y.value && (x.removal_effect - y.removal_effect).abs() <= 1e-12
            });
        if !close || a.conversions != b.conversions {
            return Err("Markov: DataFusion and the crate disagree".into());
        }
    }
    Ok(())
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let n = journeys_wanted()?;
    if let [flag, name] = args.as_slice()
        && flag == "--child"
    {
        let (median, result) = run_configuration(name, &data_dir(n))?;
        let out = data_dir(n).join(format!("{name}.result.json"));
        std::fs::write(out, result)?;
        println!("{} {}", median.as_nanos(), peak_mib());
        return Ok(());
    }
    let (journeys, touches) = ensure_data(n)?;
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "{journeys} journeys, {touches} touches, {FILES} Parquet files; median of {RUNS} runs; load {}",
        load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    );
    let configurations = [
        "crate-w-shaped",
        "crate-w-shaped-parquet",
        "sql-w-shaped-1",
        "sql-w-shaped-2",
        "crate-markov",
        "sql-markov-1",
        "sql-markov-2",
    ];
    let mut measured = BTreeMap::new();
    for name in configurations {
        let output = Command::new(std::env::current_exe()?).args(["--child", name]).output()?;
        if !output.status.success() {
            return Err(format!("{name}: {}", String::from_utf8_lossy(&output.stderr)).into());
        }
        let text = String::from_utf8(output.stdout)?;
        let mut parts = text.split_whitespace().map(str::parse::<u64>);
        let (Some(Ok(nanos)), Some(Ok(mib))) = (parts.next(), parts.next()) else {
            return Err(format!("{name}: unreadable output {text:?}").into());
        };
        let seconds = nanos as f64 / 1e9;
        println!("{name:<16} {seconds:>8.3} s  {:>6.1} M touches/s  peak {mib:>6} MiB", touches as f64 / seconds / 1e6);
        measured.insert(name, seconds);
    }
    let dir = data_dir(n);
    let result = |name: &str| std::fs::read_to_string(dir.join(format!("{name}.result.json")));
    for (kind, reference, others) in [
        ("w", "crate-w-shaped", &["crate-w-shaped-parquet", "sql-w-shaped-1", "sql-w-shaped-2"][..]),
        ("m", "crate-markov", &["sql-markov-1", "sql-markov-2"][..]),
    ] {
        for &other in others {
            same_result(kind, &result(reference)?, &result(other)?)?;
        }
    }
    let ratio = |a: &str, b: &str| measured.get(a).zip(measured.get(b)).map_or(f64::NAN, |(x, y)| x / y);
    println!("results: DataFusion at 1 and 2 partitions equal the in-process crate");
    println!(
        "speed-up 1 -> 2 partitions: W-shaped {:.2}x, Markov {:.2}x",
        ratio("sql-w-shaped-1", "sql-w-shaped-2"),
        ratio("sql-markov-1", "sql-markov-2")
    );
    println!(
        "W-shaped, DataFusion (2 partitions) time over the in-process crate's: {:.2} (engine alone, data in memory), \
         {:.2} (from the same Parquet files, one thread)",
        ratio("sql-w-shaped-2", "crate-w-shaped"),
        ratio("sql-w-shaped-2", "crate-w-shaped-parquet")
    );
    Ok(())
}
