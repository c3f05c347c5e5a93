//! A criterion measurement of the measuring thread's own CPU time
//! (`/proc/thread-self/schedstat`, Linux), for the "on one core" targets on a shared machine:
//! CPU time does not count the time other processes hold the core. The kernel updates the
//! counter at scheduler ticks (1 to 4 ms), precise enough for iterations of tens of
//! milliseconds. The same measurement as `benches/funnel.rs`.

use criterion::measurement::{Measurement, ValueFormatter, WallTime};

/// CPU time of the measuring thread, in nanoseconds (0 where unavailable).
#[derive(Debug)]
pub(crate) struct ThreadCpuTime;

fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

static WALL: WallTime = WallTime;

impl Measurement for ThreadCpuTime {
    type Intermediate = u64;
    type Value = u64;
    fn start(&self) -> u64 {
        thread_cpu_ns()
    }
    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns().saturating_sub(start)
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    #[allow(clippy::cast_precision_loss)] // nanoseconds of a bench run fit an f64 exactly
    fn to_f64(&self, value: &u64) -> f64 {
        *value as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        WALL.formatter() // same unit (nanoseconds) as wall time
    }
}
