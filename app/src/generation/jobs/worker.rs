//! The background workers: each loop claims due work (a job to submit, or a
//! remote request whose poll is due — the reconciler that covers lost
//! webhooks), runs it, and sleeps when there is none, waking early when a job
//! event arrives. Any number of processes may run them against one database.

use std::time::Duration;

use anyhow::Context;

use super::queue;
use super::run;
use super::transitions;
use crate::platform::state::AppState;

/// How a worker pool runs.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// Names this process in leases and logs (unique per process).
    pub id: String,
    /// Jobs run at once.
    pub concurrency: usize,
    /// Sleep between looks at an empty queue.
    pub poll_interval: Duration,
    /// How long a claim holds before another worker may take the job over.
    pub lease: Duration,
}

impl WorkerOptions {
    /// `concurrency` loops named after this host and process, polling every
    /// second, with a one-minute lease.
    pub fn new(concurrency: usize) -> Self {
        WorkerOptions {
            id: format!("worker-{}", uuid::Uuid::now_v7().simple()),
            concurrency,
            poll_interval: Duration::from_secs(1),
            lease: Duration::from_secs(60),
        }
    }
}

/// The default lease for [`run_due_jobs_once`].
pub const DEFAULT_LEASE: chrono::Duration = chrono::Duration::seconds(60);

/// Claims and runs one piece of due work; false when nothing was due.
pub async fn run_one(
    state: &AppState,
    worker: &str,
    lease: chrono::Duration,
) -> anyhow::Result<bool> {
    let claimed = queue::claim(&state.db, worker, lease, state.clock.now())
        .await
        .context("claiming a job")?;
    let Some(claimed) = claimed else {
        return Ok(false);
    };
    run::run_claimed(state, claimed, worker, lease)
        .await
        .context("running a job")?;
    Ok(true)
}

/// Runs every piece of work due now, one after another, then refunds any job
/// left unrefunded; returns how many pieces ran. Tests call this to step the
/// engine deterministically.
pub async fn run_due_jobs_once(state: &AppState, worker: &str) -> anyhow::Result<usize> {
    let mut ran = 0;
    while run_one(state, worker, DEFAULT_LEASE).await? {
        ran += 1;
    }
    transitions::refund_unrefunded(state).await?;
    Ok(ran)
}

/// The running worker loops; dropping this does not stop them, [`Workers::stop`] does.
pub struct Workers {
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Workers {
    /// Stops every loop (a job in flight is taken over after its lease).
    pub fn stop(&self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// Starts `options.concurrency` worker loops.
pub fn spawn(state: AppState, options: WorkerOptions) -> Workers {
    let lease = chrono::Duration::from_std(options.lease).unwrap_or(DEFAULT_LEASE);
    tracing::info!(worker.id = %options.id, worker.concurrency = options.concurrency, "job workers started");
    let tasks = (0..options.concurrency)
        .map(|n| {
            let state = state.clone();
            let id = format!("{}-{n}", options.id);
            let idle = options.poll_interval;
            tokio::spawn(async move {
                let mut events = state.jobs_live.subscribe();
                let mut last_sweep = std::time::Instant::now();
                loop {
                    match run_one(&state, &id, lease).await {
                        Ok(true) => continue,
                        Ok(false) => {}
                        Err(e) => tracing::error!(worker.id = %id, error = format!("{e:#}"), "job worker error"),
                    }
                    if n == 0 && last_sweep.elapsed() > Duration::from_secs(60) {
                        last_sweep = std::time::Instant::now();
                        if let Err(e) = transitions::refund_unrefunded(&state).await {
                            tracing::error!(error = %e, "refund sweep failed");
                        }
                    }
                    // New work announces itself; otherwise look again after `idle`.
                    tokio::select! {
                        () = tokio::time::sleep(idle) => {}
                        _ = events.recv() => {}
                    }
                }
            })
        })
        .collect();
    Workers { tasks }
}
