//! `server bench jobs`: generation jobs claimed and completed per second by
//! several workers on the configured database. The local provider answers
//! instantly here (benchmark only), so what is measured is the job engine:
//! claims under leases, transitions, storing results, charging and events.

use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, bail};
use app::catalog::ProviderId;
use app::credits::ledger::{self, Kind};
use app::entities::{credit_transaction, generation_job, user};
use app::generation::jobs::create::{NewJob, create};
use app::generation::jobs::worker::run_due_jobs_once;
use app::generation::local::LocalProvider;
use app::platform::state::AppState;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// What the benchmark does.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct JobsBench {
    /// Jobs queued before the workers start.
    #[arg(long, default_value_t = 1_000)]
    pub jobs: u64,
    /// Workers claiming concurrently (as several replicas would).
    #[arg(long, default_value_t = 4)]
    pub workers: u32,
}

/// Queues the jobs, runs the workers until all are done, checks the
/// invariants and prints one Markdown row.
pub async fn jobs(mut state: AppState, bench: JobsBench) -> anyhow::Result<()> {
    super::require_empty_database(&state.db).await?;
    let mut providers = (*state.providers).clone();
    providers.add_media(ProviderId::Local, Arc::new(LocalProvider::new().instant()));
    state.providers = Arc::new(providers);
    let db = &state.db.clone();

    let owner =
        user::ActiveModel::new_account("bench@bench.invalid", "user", None, state.clock.now())
            .insert(db)
            .await?;
    ledger::grant(
        db,
        owner.id,
        1_000_000_000,
        Kind::Grant,
        "bench",
        None,
        state.clock.now(),
    )
    .await
    .context("grant")?;
    let queued_at = Instant::now();
    for n in 0..bench.jobs {
        create(
            &state,
            NewJob {
                owner: owner.id,
                model_id: "local-image".into(),
                prompt: format!("bench image {n}"),
                params: r#"{"size":"small"}"#.into(),
                start_media_id: None,
                end_media_id: None,
                collection_id: None,
                parent_item_id: None,
                retry_of: None,
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("create: {e}"))?;
    }
    let queue_time = queued_at.elapsed();

    let started = Instant::now();
    let workers: Vec<_> = (0..bench.workers)
        .map(|i| {
            let state = state.clone();
            tokio::spawn(async move { run_due_jobs_once(&state, &format!("bench-{i}")).await })
        })
        .collect();
    let mut ran = 0;
    for worker in workers {
        ran += worker.await??;
    }
    let elapsed = started.elapsed();

    // Invariants: every job ran exactly once, succeeded, was charged once and never refunded.
    let succeeded = generation_job::Entity::find()
        .filter(generation_job::Column::Status.eq("succeeded"))
        .count(db)
        .await?;
    let charges = credit_transaction::Entity::find()
        .filter(credit_transaction::Column::Kind.eq("charge"))
        .count(db)
        .await?;
    let refunds = credit_transaction::Entity::find()
        .filter(credit_transaction::Column::Kind.eq("refund"))
        .count(db)
        .await?;
    if ran as u64 != bench.jobs || succeeded != bench.jobs || charges != bench.jobs || refunds != 0
    {
        bail!(
            "ran {ran}, succeeded {succeeded}, charges {charges}, refunds {refunds} for {} jobs",
            bench.jobs
        );
    }
    if !ledger::reconcile(db).await?.is_empty() {
        bail!("the ledger does not reconcile");
    }
    println!(
        "| {:?} | {} | {} | {:.0} | {:.0} | {:.2} s | ok |",
        db.get_database_backend(),
        bench.jobs,
        bench.workers,
        bench.jobs as f64 / queue_time.as_secs_f64(),
        bench.jobs as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64()
    );
    Ok(())
}
