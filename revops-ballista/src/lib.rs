//! revops on [Apache Ballista](https://datafusion.apache.org/ballista/): the SQL functions of
//! `revops-datafusion` registered on every Ballista process, so the same SQL that runs in one
//! DataFusion process runs on a cluster and gives the same results.
//!
//! Functions travel between Ballista's processes by name only, and each process fixes its
//! function registry when it starts, so the revops functions are registered three times:
//!
//! 1. on the **client** ([`connect`]): the context Ballista returns has its own registry, so
//!    the functions are registered on it after connecting;
//! 2. on the **scheduler** ([`scheduler_config`]), which decodes the client's plan: its
//!    session builder is Ballista's default one plus the revops functions;
//! 3. on every **executor** ([`executor_config`]), which decodes its tasks: its function
//!    registry is Ballista's default one plus the revops functions.
//!
//! [`start_scheduler`] and [`start_executor`] run a scheduler and an executor with these
//! configurations; a production cluster runs each in its own process (the `cluster` example
//! shows both ways). [`LocalCluster`] starts a scheduler and executors as tokio tasks of the
//! calling process, each serving gRPC on its own localhost ports: what a test needs.
//!
//! The partial state of every aggregate function is the crate's serialized tally, carried in
//! Ballista's shuffle files between executors; the final aggregation merges it exactly.
//!
//! # Example
//!
//! ```no_run
//! # async fn run() -> datafusion::error::Result<()> {
//! // A scheduler and two executors on localhost, and a client on the scheduler.
//! let cluster = revops_ballista::LocalCluster::start(2).await?;
//! let ctx = revops_ballista::connect(&cluster.url()).await?;
//! ctx.register_parquet("journeys", "/data/journeys/", Default::default()).await?;
//! let sql = "SELECT revops_markov(1, 'USD', journey_id, converted_at, value_minor, channel) FROM journeys";
//! let result = ctx.sql(sql).await?.collect().await?;
//! # drop(result);
//! # Ok(())
//! # }
//! ```

#![forbid(unsafe_code)]

use std::net::SocketAddr;
use std::sync::Arc;

use ballista::prelude::SessionContextExt;
use ballista_core::registry::BallistaFunctionRegistry;
use ballista_core::utils::default_session_builder;
use ballista_executor::executor_process::{ExecutorProcessConfig, start_executor_process};
use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::config::SchedulerConfig;
use ballista_scheduler::scheduler_process::start_server;
use datafusion::error::{DataFusionError, Result};
use datafusion::execution::FunctionRegistry;
use datafusion::execution::SessionState;
use datafusion::prelude::{SessionConfig, SessionContext};

/// Ballista's default function registry plus the revops functions: what an executor decodes
/// its tasks with.
#[must_use]
pub fn function_registry() -> BallistaFunctionRegistry {
    let mut registry = BallistaFunctionRegistry::default();
    for f in revops_datafusion::aggregate_functions() {
        registry.aggregate_functions.insert(f.name().to_owned(), Arc::new(f));
    }
    for f in revops_datafusion::scalar_functions() {
        registry.scalar_functions.insert(f.name().to_owned(), Arc::new(f));
    }
    registry
}

/// Ballista's default session state for `config`, plus the revops functions: what the
/// scheduler plans with.
///
/// # Errors
/// Ballista's session builder's errors; a registration error.
pub fn session_state(config: SessionConfig) -> Result<SessionState> {
    let mut state = default_session_builder(config)?;
    for f in revops_datafusion::aggregate_functions() {
        state.register_udaf(Arc::new(f))?;
    }
    for f in revops_datafusion::scalar_functions() {
        state.register_udf(Arc::new(f))?;
    }
    Ok(state)
}

/// A scheduler's configuration, binding `host:port`, whose sessions have the revops functions.
#[must_use]
pub fn scheduler_config(host: &str, port: u16) -> SchedulerConfig {
    SchedulerConfig {
        bind_host: host.to_owned(),
        external_host: host.to_owned(),
        bind_port: port,
        override_session_builder: Some(Arc::new(session_state)),
        ..SchedulerConfig::default()
    }
}

/// An executor's configuration: it registers with the scheduler at
/// `scheduler_host:scheduler_port`, serves Arrow Flight on `port` and gRPC on `grpc_port`, and
/// decodes tasks with the revops functions. Work files go to a directory of its own under the
/// system's temporary directory (Ballista's default).
#[must_use]
pub fn executor_config(scheduler_host: &str, scheduler_port: u16, port: u16, grpc_port: u16) -> ExecutorProcessConfig {
    ExecutorProcessConfig {
        bind_host: scheduler_host.to_owned(),
        external_host: Some(scheduler_host.to_owned()),
        port,
        grpc_port,
        scheduler_host: scheduler_host.to_owned(),
        scheduler_port,
        override_function_registry: Some(Arc::new(function_registry())),
        ..ExecutorProcessConfig::default()
    }
}

/// Runs a scheduler with `config` until the task is dropped.
///
/// # Errors
/// A [`DataFusionError::Configuration`] for a bad address; the scheduler's start-up errors.
pub async fn start_scheduler(config: SchedulerConfig) -> Result<()> {
    let addr: SocketAddr = format!("{}:{}", config.bind_host, config.bind_port)
        .parse()
        .or_else(|_| format!("127.0.0.1:{}", config.bind_port).parse())
        .map_err(|e| DataFusionError::Configuration(format!("scheduler address: {e}")))?;
    let cluster = BallistaCluster::new_from_config(&config).await.map_err(ballista_error)?;
    start_server(cluster, addr, Arc::new(config)).await.map_err(ballista_error)
}

/// Runs an executor with `config` until the task is dropped.
///
/// # Errors
/// The executor's start-up errors (it cannot reach the scheduler, a port is taken).
pub async fn start_executor(config: ExecutorProcessConfig) -> Result<()> {
    start_executor_process(Arc::new(config)).await.map_err(ballista_error)
}

/// A client context on the scheduler at `url` (`df://host:port`), with the revops functions.
///
/// # Errors
/// A bad URL.
pub async fn connect(url: &str) -> Result<SessionContext> {
    let ctx = SessionContext::remote(url).await?;
    revops_datafusion::register(&ctx);
    Ok(ctx)
}

/// The host every [`LocalCluster`] process binds.
const LOCALHOST: &str = "127.0.0.1";

/// A scheduler and executors running as tokio tasks of this process, on localhost ports the
/// system picks; stopped when dropped.
#[derive(Debug)]
pub struct LocalCluster {
    scheduler_port: u16,
    tasks: Vec<tokio::task::JoinHandle<Result<()>>>,
}

impl LocalCluster {
    /// Starts a scheduler, waits until it listens, then starts `executors` executors and waits
    /// until each listens.
    ///
    /// # Errors
    /// A port could not be found, or a process does not listen within 30 seconds.
    pub async fn start(executors: usize) -> Result<LocalCluster> {
        let ports = free_ports(1 + 2 * executors)?;
        let (&scheduler_port, executor_ports) =
            ports.split_first().ok_or_else(|| DataFusionError::Internal("no port".into()))?;
        let mut cluster = LocalCluster { scheduler_port, tasks: Vec::new() };
        cluster.tasks.push(tokio::spawn(start_scheduler(scheduler_config(LOCALHOST, scheduler_port))));
        listening(scheduler_port).await?;
        for pair in executor_ports.chunks(2) {
            if let [port, grpc] = *pair {
                let config = executor_config(LOCALHOST, scheduler_port, port, grpc);
                cluster.tasks.push(tokio::spawn(start_executor(config)));
                listening(port).await?;
            }
        }
        Ok(cluster)
    }

    /// The scheduler's URL, for [`connect`].
    #[must_use]
    pub fn url(&self) -> String {
        format!("df://{LOCALHOST}:{}", self.scheduler_port)
    }

    /// Whether every process is still running.
    #[must_use]
    pub fn is_running(&self) -> bool {
        self.tasks.iter().all(|t| !t.is_finished())
    }
}

impl Drop for LocalCluster {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// `n` distinct localhost ports free at the time of asking.
fn free_ports(n: usize) -> Result<Vec<u16>> {
    let listeners = (0..n)
        .map(|_| std::net::TcpListener::bind((LOCALHOST, 0)))
        .collect::<std::io::Result<Vec<_>>>()
        .map_err(|e| DataFusionError::Configuration(format!("no free port: {e}")))?;
    listeners
        .iter()
        .map(|l| l.local_addr().map(|a| a.port()))
        .collect::<std::io::Result<_>>()
        .map_err(|e| DataFusionError::Configuration(format!("no free port: {e}")))
}

/// Waits until something listens on `port` (30 seconds at most).
async fn listening(port: u16) -> Result<()> {
    for _ in 0..300 {
        if tokio::net::TcpStream::connect((LOCALHOST, port)).await.is_ok() {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Err(DataFusionError::Configuration(format!("nothing listens on port {port} after 30 s")))
}

fn ballista_error(e: ballista_core::error::BallistaError) -> DataFusionError {
    DataFusionError::External(Box::new(e))
}
