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
//! The I/O lives here, in the example; the library stays I/O free. Parsing is hand-rolled on
//! bytes because the format is fixed and simple.
// An example program, not library code: it slices its own buffers and prints timings in f64.
#![allow(clippy::indexing_slicing, clippy::float_arithmetic, clippy::cast_precision_loss)]

use std::collections::HashMap;
use std::time::Instant;

use chrono::TimeDelta;
use revops::attribution::{ChannelTotals, ColumnarBatch, Model};
use revops::{ChannelId, Currency};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let path = std::env::args().nth(1).ok_or("usage: attribution_csv <touches_N.csv | paths_N.csv> [model]")?;
    let only = std::env::args().nth(2);
    let mut file = std::fs::File::open(&path)?;
    // Size the columns from the file size (about 43 bytes per touch row, 11 per path touch),
    // so they never reallocate.
    let size = usize::try_from(file.metadata()?.len())?;
    let mut header = Vec::new();
    let mut reader = Chunks::new(&mut file);
    let touches_format = match reader.next_chunk()? {
        Some(first) => {
            let end = first.iter().position(|&b| b == b'\n').ok_or("no header line")?;
            header.extend_from_slice(&first[..end]);
            reader.consumed(end + 1);
            let header = std::str::from_utf8(&header)?.trim_end();
            match header {
                "journey_id,ts,channel,converted,value" => true,
                "path,total_conversions,total_conversion_value,total_null" => false,
                _ => return Err(format!("unknown header {header:?}").into()),
            }
        }
        None => return Err("empty file".into()),
    };
    let batch = if touches_format { parse_touches(&mut reader, size)? } else { parse_paths(&mut reader, size)? };
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
    let mut results: Vec<(&'static str, ChannelTotals, f64, f64)> = Vec::new();
    for model in &models {
        let (t, cpu) = (Instant::now(), cpu_ns());
        let totals = batch.channel_totals_serial(model)?;
        let cpu_s = cpu_ns().saturating_sub(cpu) as f64 / 1e9;
        results.push((model.label(), totals, t.elapsed().as_secs_f64(), cpu_s));
    }
    let total_s = start.elapsed();

    println!("{path}: {} journeys, {} touches, {} channels", batch.journeys(), batch.touches(), batch.channels().len());
    print!("{:<14}", "channel");
    for (label, ..) in &results {
        print!("{label:>18}");
    }
    println!();
    for (i, channel) in batch.channels().iter().enumerate() {
        print!("{:<14}", channel.as_str());
        for (_, totals, ..) in &results {
            print!("{:>18}", cents(totals.minor_units().get(i).copied().unwrap_or(0)));
        }
        println!();
    }
    print!("{:<14}", "total");
    for (_, totals, ..) in &results {
        print!("{:>18}", totals.revenue()?.to_string().trim_end_matches(" USD"));
    }
    println!();
    print!("{:<14}", "model ms");
    for (_, _, wall, _) in &results {
        print!("{:>18}", format!("{:.1}", wall * 1e3));
    }
    println!();
    print!("{:<14}", "model cpu ms");
    for (_, _, _, cpu) in &results {
        print!("{:>18}", format!("{:.1}", cpu * 1e3));
    }
    println!();
    println!(
        "read+parse+batch {:.1} ms, models {:.1} ms, end to end {:.1} ms (process cpu {:.1} ms)",
        parse_s.as_secs_f64() * 1e3,
        total_s.saturating_sub(parse_s).as_secs_f64() * 1e3,
        total_s.as_secs_f64() * 1e3,
        cpu_ns() as f64 / 1e6
    );
    Ok(())
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
    file: &'f mut std::fs::File,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
}

impl<'f> Chunks<'f> {
    const SIZE: usize = 1 << 19;

    fn new(file: &'f mut std::fs::File) -> Chunks<'f> {
        Chunks { file, buf: vec![0; Self::SIZE], start: 0, end: 0, eof: false }
    }

    /// The unconsumed bytes after one more read; `None` at the end of the file.
    fn next_chunk(&mut self) -> std::io::Result<Option<&[u8]>> {
        use std::io::Read;
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

/// `2024-03-05T14:22:01Z` as microseconds since the Unix epoch (fixed positions, checked).
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
    Ok(secs * 1_000_000)
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
