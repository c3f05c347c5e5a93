//! Rule-based attribution from the peers' benchmark CSV files, end to end: read, build a
//! columnar batch, run the models, print credits by channel and the timings.
//!
//! ```text
//! cargo run --release --example attribution_csv -- ~/.cache/revops-peers/data/touches_1000000.csv
//! cargo run --release --example attribution_csv -- ~/.cache/revops-peers/data/paths_1000000.csv
//! ```
//!
//! Two formats (documented in `shared/peers/gen_paths.py`), chosen by the header:
//! - `journey_id,ts,channel,converted,value`: one row per touch, rows sorted by journey and
//!   time, the outcome and value on each journey's last row (what DP6 reads). Every model runs,
//!   time decay (7-day half-life) included.
//! - `path,total_conversions,total_conversion_value,total_null`: one row per distinct path
//!   (what ChannelAttribution reads). Each row becomes one journey carrying the path's total
//!   conversion value, so each path's value is split once, exactly; rows without conversions
//!   count as non-converting journeys. No timestamps: touch `k` is at second `k`.
//!
//! Arguments: the file, then optionally a comma-separated list of model labels (or `all`), then
//! the number of threads (default: the machine's). The file is read by that many threads into
//! one buffer, split at journey boundaries, and each part is parsed into its own columnar batch;
//! credits are summed by channel name, exactly, so the result does not depend on the thread
//! count.
//!
//! The I/O lives here, in the example; the library stays I/O free. Parsing is hand-rolled on
//! bytes because the format is fixed and simple.
// An example program, not library code: it slices its own buffers and prints timings in f64.
#![allow(clippy::indexing_slicing, clippy::float_arithmetic, clippy::cast_precision_loss)]

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use chrono::TimeDelta;
use revops::attribution::{ChannelTotals, ColumnarBatch, Model};
use revops::{ChannelId, Currency, Money};

#[allow(clippy::too_many_lines)] // read, parse, credit, print: one report in order
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let path =
        std::env::args().nth(1).ok_or("usage: attribution_csv <touches_N.csv | paths_N.csv> [models] [threads]")?;
    let only = std::env::args().nth(2).filter(|m| m != "all");
    let threads = match std::env::args().nth(3) {
        Some(t) => t.parse::<usize>()?.max(1),
        None => std::thread::available_parallelism().map_or(1, usize::from),
    };
    // One read of the whole file, then the body is parsed in `threads` parts, split at journey
    // boundaries, each into its own columnar batch; credits are summed by channel name.
    let bytes = read_parallel(&path, threads)?;
    let end = bytes.iter().position(|&b| b == b'\n').ok_or("no header line")?;
    let header = std::str::from_utf8(&bytes[..end])?.trim_end();
    let touches_format = match header {
        "journey_id,ts,channel,converted,value" => true,
        "path,total_conversions,total_conversion_value,total_null" => false,
        _ => return Err(format!("unknown header {header:?}").into()),
    };
    let parts = split_parts(&bytes[end + 1..], threads, touches_format);
    let batches: Vec<ColumnarBatch> = std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .iter()
            .map(|part| {
                scope.spawn(move || -> Result<ColumnarBatch, String> {
                    let mut slice: &[u8] = part;
                    let mut reader = Chunks::new(&mut slice);
                    let parsed = if touches_format {
                        parse_touches(&mut reader, part.len())
                    } else {
                        parse_paths(&mut reader, part.len())
                    };
                    parsed.map_err(|e| e.to_string())
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().map_err(|_| "parser thread panicked".to_owned())?)
            .collect::<Result<Vec<ColumnarBatch>, String>>()
    })?;
    let parse_s = start.elapsed();

    let mut models = vec![
        Model::first_touch(),
        Model::last_touch(),
        Model::linear(),
        Model::position_based(),
        Model::u_shaped(revops::attribution::UPreset::Hubspot),
        Model::w_shaped(),
        Model::full_path(),
    ];
    if touches_format {
        models.push(Model::time_decay(TimeDelta::try_days(7).ok_or("7 days")?)?);
    }
    if let Some(only) = &only {
        models.retain(|m| only.split(',').any(|o| o == m.label()));
    }
    let mut results: Vec<(&'static str, BTreeMap<ChannelId, Money>, Money, f64)> = Vec::new();
    for model in &models {
        let t = Instant::now();
        let per_batch: Vec<Result<ChannelTotals, revops::Error>> = std::thread::scope(|scope| {
            let handles: Vec<_> = batches.iter().map(|b| scope.spawn(move || b.channel_totals_serial(model))).collect();
            handles
                .into_iter()
                .map(|h| h.join().map_err(|_| "model thread panicked".to_owned()))
                .collect::<Result<Vec<_>, String>>()
        })?;
        let mut by_channel: BTreeMap<ChannelId, Money> = BTreeMap::new();
        let mut revenue = Money::zero(Currency::USD);
        for totals in per_batch {
            let totals = totals?;
            revenue = revenue.checked_add(totals.revenue()?)?;
            for (channel, money) in totals.by_channel()? {
                let slot = by_channel.entry(channel).or_insert(Money::zero(Currency::USD));
                *slot = slot.checked_add(money)?;
            }
        }
        results.push((model.label(), by_channel, revenue, t.elapsed().as_secs_f64()));
    }
    let total_s = start.elapsed();

    let journeys: usize = batches.iter().map(ColumnarBatch::journeys).sum();
    let touches: usize = batches.iter().map(ColumnarBatch::touches).sum();
    let channels: std::collections::BTreeSet<&ChannelId> = results.iter().flat_map(|r| r.1.keys()).collect();
    println!("{path}: {journeys} journeys, {touches} touches, {} channels, {threads} thread(s)", channels.len());
    print!("{:<14}", "channel");
    for (label, ..) in &results {
        print!("{label:>18}");
    }
    println!();
    for channel in &channels {
        print!("{:<14}", channel.as_str());
        for (_, by_channel, ..) in &results {
            let minor = by_channel.get(*channel).map_or(Ok(0), |m| m.to_minor_i128())?;
            print!("{:>18}", cents(minor));
        }
        println!();
    }
    print!("{:<14}", "total");
    for (_, _, revenue, _) in &results {
        print!("{:>18}", revenue.to_string().trim_end_matches(" USD"));
    }
    println!();
    print!("{:<14}", "model ms");
    for (_, _, _, wall) in &results {
        print!("{:>18}", format!("{:.1}", wall * 1e3));
    }
    println!();
    println!(
        "read+parse+batch {:.1} ms, models {:.1} ms, end to end {:.1} ms (main thread cpu {:.1} ms)",
        parse_s.as_secs_f64() * 1e3,
        total_s.saturating_sub(parse_s).as_secs_f64() * 1e3,
        total_s.as_secs_f64() * 1e3,
        cpu_ns() as f64 / 1e6
    );
    Ok(())
}

/// Reads the file with `n` threads, each filling its own byte range of one buffer.
fn read_parallel(path: &str, n: usize) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    use std::io::{Read, Seek, SeekFrom};
    let len = usize::try_from(std::fs::metadata(path)?.len())?;
    let mut bytes = vec![0u8; len];
    let step = len.div_ceil(n.max(1)).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = bytes
            .chunks_mut(step)
            .enumerate()
            .map(|(k, part)| {
                scope.spawn(move || -> std::io::Result<()> {
                    let mut file = std::fs::File::open(path)?;
                    file.seek(SeekFrom::Start((k * step) as u64))?;
                    file.read_exact(part)
                })
            })
            .collect();
        handles.into_iter().try_for_each(|h| h.join().map_err(|_| std::io::Error::other("reader thread panicked"))?)
    })?;
    Ok(bytes)
}

/// Splits `body` into up to `n` parts at line boundaries; for the touch format, only between
/// journeys (a journey's rows are contiguous and start with its id).
fn split_parts(body: &[u8], n: usize, touches_format: bool) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut from = 0;
    for k in 1..n {
        let mut cut = (body.len() * k / n).max(from);
        // To the start of the next line.
        cut = body[cut..].iter().position(|&b| b == b'\n').map_or(body.len(), |p| cut + p + 1);
        if touches_format {
            // Move forward while the next line continues the journey of the line before it.
            let id_of = |at: usize| body[at..].iter().position(|&b| b == b',').map(|p| &body[at..at + p]);
            while cut < body.len() {
                let prev_start = body[..cut - 1].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
                if id_of(prev_start) != id_of(cut) {
                    break;
                }
                cut = body[cut..].iter().position(|&b| b == b'\n').map_or(body.len(), |p| cut + p + 1);
            }
        }
        if cut > from {
            parts.push(&body[from..cut]);
            from = cut;
        }
    }
    if from < body.len() {
        parts.push(&body[from..]);
    }
    parts
}

/// On-CPU time of this thread in nanoseconds (Linux `schedstat`), 0 where unavailable: robust
/// to a busy machine, unlike wall time.
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

/// Reads a file in fixed-size chunks, handing out the unconsumed bytes (whole lines are
/// consumed by the parser; a partial line waits for the next chunk).
struct Chunks<'f> {
    file: &'f mut dyn std::io::Read,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
}

impl<'f> Chunks<'f> {
    const SIZE: usize = 1 << 19;

    fn new(file: &'f mut dyn std::io::Read) -> Chunks<'f> {
        Chunks { file, buf: vec![0; Self::SIZE], start: 0, end: 0, eof: false }
    }

    /// The unconsumed bytes after one more read; `None` at the end of the file.
    fn next_chunk(&mut self) -> std::io::Result<Option<&[u8]>> {
        if self.eof {
            return Ok(None);
        }
        self.buf.copy_within(self.start..self.end, 0);
        self.end -= self.start;
        self.start = 0;
        if self.end == self.buf.len() {
            self.buf.resize(self.buf.len() * 2, 0);
        }
        let n = self.file.read(&mut self.buf[self.end..])?;
        if n == 0 {
            self.eof = true;
            // Hand out a final unterminated line, if any, with a newline appended.
            if self.end > 0 {
                self.buf.truncate(self.end);
                self.buf.push(b'\n');
                self.end += 1;
                return Ok(Some(&self.buf[..self.end]));
            }
            return Ok(None);
        }
        self.end += n;
        Ok(Some(&self.buf[self.start..self.end]))
    }

    fn consumed(&mut self, n: usize) {
        self.start += n;
    }
}

/// Minor units as a decimal string with two places.
fn cents(minor: i128) -> String {
    format!("{}.{:02}", minor / 100, (minor % 100).abs())
}

/// Interns channel names into batch keys as they appear: a 256-slot table indexed by a cheap
/// hash of (length, first byte, last byte), verified by one comparison, then a map.
struct Channels {
    slots: [u32; 256],
    keys: HashMap<Vec<u8>, u32>,
    names: Vec<Vec<u8>>,
}

impl Default for Channels {
    fn default() -> Channels {
        Channels { slots: [u32::MAX; 256], keys: HashMap::new(), names: Vec::new() }
    }
}

impl Channels {
    fn slot(name: &[u8]) -> usize {
        let (first, last) = (name.first().copied().unwrap_or(0), name.last().copied().unwrap_or(0));
        (name.len().wrapping_mul(31) ^ usize::from(first).wrapping_mul(7) ^ usize::from(last).wrapping_mul(131)) & 255
    }

    fn key(&mut self, name: &[u8], batch: &mut ColumnarBatch) -> Result<u32, Box<dyn std::error::Error>> {
        let slot = Self::slot(name);
        let k = self.slots[slot];
        if k != u32::MAX && self.names[k as usize] == name {
            return Ok(k);
        }
        let k = if let Some(&k) = self.keys.get(name) {
            k
        } else {
            let k = batch.add_channel(ChannelId::new(std::str::from_utf8(name)?)?)?;
            self.names.push(name.to_vec());
            self.keys.insert(name.to_vec(), k);
            k
        };
        self.slots[slot] = k;
        Ok(k)
    }
}

/// `123.45` as minor units.
fn parse_cents(s: &[u8]) -> Result<i64, Box<dyn std::error::Error>> {
    let mut minor: i64 = 0;
    let mut decimals = None;
    for &b in s {
        match b {
            b'0'..=b'9' => {
                minor =
                    minor.checked_mul(10).and_then(|m| m.checked_add(i64::from(b - b'0'))).ok_or("value overflow")?;
                decimals = decimals.map(|d: u32| d + 1);
            }
            b'.' => decimals = Some(0),
            _ => return Err(format!("bad value {:?}", String::from_utf8_lossy(s)).into()),
        }
    }
    match decimals.unwrap_or(0) {
        0 => Ok(minor * 100),
        1 => Ok(minor * 10),
        2 => Ok(minor),
        _ => Err("more than two decimals".into()),
    }
}

fn parse_u64(s: &[u8]) -> Result<u64, Box<dyn std::error::Error>> {
    s.iter().try_fold(0u64, |acc, &b| {
        if b.is_ascii_digit() {
            acc.checked_mul(10).and_then(|a| a.checked_add(u64::from(b - b'0'))).ok_or_else(|| "overflow".into())
        } else {
            Err(format!("bad integer {:?}", String::from_utf8_lossy(s)).into())
        }
    })
}

/// `2024-03-05T14:22:01Z` as nanoseconds since the Unix epoch, the batch time unit (fixed
/// positions, checked).
#[allow(clippy::many_single_char_names)] // date arithmetic reads best with its usual names
fn parse_ts(s: &[u8]) -> Result<i64, Box<dyn std::error::Error>> {
    const DIGITS: [usize; 14] = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
    let b: &[u8; 20] = s.try_into().map_err(|_| format!("bad timestamp {:?}", String::from_utf8_lossy(s)))?;
    let shape = b[4] == b'-' && b[7] == b'-' && b[10] == b'T' && b[13] == b':' && b[16] == b':' && b[19] == b'Z';
    if !shape || !DIGITS.iter().all(|&i| b[i].is_ascii_digit()) {
        return Err(format!("bad timestamp {:?}", String::from_utf8_lossy(s)).into());
    }
    let d = |i: usize| i64::from(b[i] - b'0');
    let two = |i: usize| d(i) * 10 + d(i + 1);
    let (y, m, day) = (two(0) * 100 + two(2), two(5), two(8));
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + two(11) * 3_600 + two(14) * 60 + two(17);
    secs.checked_mul(1_000_000_000)
        .ok_or_else(|| format!("timestamp {:?} out of range", String::from_utf8_lossy(s)).into())
}

/// A forward cursor over the file's bytes.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    /// The bytes up to (not including) `stop`, moving past it.
    fn until(&mut self, stop: u8) -> &'a [u8] {
        let rest = &self.bytes[self.pos..];
        let len = rest.iter().position(|&b| b == stop).unwrap_or(rest.len());
        self.pos += (len + 1).min(rest.len());
        &rest[..len]
    }

    /// The next `n` bytes, then one separator byte.
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let field = self.bytes.get(self.pos..self.pos + n)?;
        self.pos += n + 1;
        Some(field)
    }

    fn done(&self) -> bool {
        self.pos >= self.bytes.len()
    }
}

fn parse_touches(reader: &mut Chunks<'_>, size: usize) -> Result<ColumnarBatch, Box<dyn std::error::Error>> {
    let mut channels = Channels::default();
    let mut batch = ColumnarBatch::new(Currency::USD, Vec::new())?;
    batch.reserve(size / 160, size / 40);
    let (mut at, mut ch, mut roles) = (Vec::new(), Vec::new(), Vec::new());
    let mut current: Option<u64> = None;
    let mut last: (bool, i64) = (false, 0);
    let push = |batch: &mut ColumnarBatch, at: &[i64], ch: &[u32], roles: &mut Vec<u8>, last: (bool, i64)| {
        roles.resize(at.len(), 0);
        let conversion = last.0.then(|| (at.last().copied().unwrap_or(0), last.1));
        batch.push_journey(conversion, [None; 3], at, ch, roles)
    };
    while let Some(chunk) = reader.next_chunk()? {
        // Parse only whole lines; the tail waits for the next chunk.
        let whole = chunk.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        let mut cur = Cursor { bytes: &chunk[..whole], pos: 0 };
        while !cur.done() {
            let id = parse_u64(cur.until(b','))?;
            let ts = cur.take(20).ok_or("short row")?;
            let channel = cur.until(b',');
            let converted = cur.take(1).ok_or("short row")?;
            let value = cur.until(b'\n');
            if current.is_some_and(|c| c != id) {
                push(&mut batch, &at, &ch, &mut roles, last)?;
                at.clear();
                ch.clear();
            }
            current = Some(id);
            at.push(parse_ts(ts)?);
            ch.push(channels.key(channel, &mut batch)?);
            last = (converted == b"1", parse_cents(value.strip_suffix(b"\r").unwrap_or(value))?);
        }
        reader.consumed(whole);
    }
    if current.is_some() {
        push(&mut batch, &at, &ch, &mut roles, last)?;
    }
    Ok(batch)
}

fn parse_paths(reader: &mut Chunks<'_>, size: usize) -> Result<ColumnarBatch, Box<dyn std::error::Error>> {
    let mut channels = Channels::default();
    let mut batch = ColumnarBatch::new(Currency::USD, Vec::new())?;
    batch.reserve(size / 90, size / 10);
    let mut keys: Vec<u32> = Vec::new();
    let mut at: Vec<i64> = Vec::new();
    let mut roles: Vec<u8> = Vec::new();
    while let Some(chunk) = reader.next_chunk()? {
        let whole = chunk.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        let mut cur = Cursor { bytes: &chunk[..whole], pos: 0 };
        while !cur.done() {
            let line = cur.until(b'\n');
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            // The last three fields are numbers: split at the last three commas.
            let bad = || format!("bad row {:?}", String::from_utf8_lossy(line));
            let c3 = line.iter().rposition(|&b| b == b',').ok_or_else(bad)?;
            let c2 = line[..c3].iter().rposition(|&b| b == b',').ok_or_else(bad)?;
            let c1 = line[..c2].iter().rposition(|&b| b == b',').ok_or_else(bad)?;
            let (path, conversions, value, null) = (&line[..c1], &line[c1 + 1..c2], &line[c2 + 1..c3], &line[c3 + 1..]);
            keys.clear();
            // Channel names are snake_case (no spaces), separated by " > ".
            let mut rest = path;
            while !rest.is_empty() {
                let len = rest.iter().position(|&b| b == b' ').unwrap_or(rest.len());
                keys.push(channels.key(&rest[..len], &mut batch)?);
                rest = rest.get(len + 3..).unwrap_or_default();
            }
            let n = keys.len();
            while at.len() < n {
                at.push(i64::try_from(at.len())? * 1_000_000);
                roles.push(0);
            }
            let end = at[n.saturating_sub(1)];
            if parse_u64(conversions)? > 0 {
                batch.push_journey(Some((end, parse_cents(value)?)), [None; 3], &at[..n], &keys, &roles[..n])?;
            }
            if parse_u64(null)? > 0 {
                batch.push_journey(None, [None; 3], &at[..n], &keys, &roles[..n])?;
            }
        }
        reader.consumed(whole);
    }
    Ok(batch)
}
