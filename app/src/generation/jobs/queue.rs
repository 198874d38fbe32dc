//! The queue: claiming due work under a lease, and where a queued job stands.
//!
//! A claim picks the first due row, then moves it with an `UPDATE … WHERE id = ?
//! AND <still due> RETURNING *`. On PostgreSQL both run in one transaction and
//! the pick takes `FOR UPDATE SKIP LOCKED`, so concurrent workers get different
//! rows without waiting. (Not `WHERE id IN (SELECT … SKIP LOCKED LIMIT 1)`:
//! PostgreSQL may evaluate that subquery more than once and claim several rows.)
//! SQLite runs one writer at a time, so the conditional update alone lets
//! exactly one claimer win; a loser looks again.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::UpdateStatement;
use sea_orm::sea_query::{
    Cond, Expr, ExprTrait, Func, LockBehavior, LockType, Query, SelectStatement,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, FromQueryResult,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, TransactionSession, TransactionTrait,
};
use uuid::Uuid;

use super::JobStatus;
use crate::catalog::ModelKind;
use crate::entities::generation_job::{self, Column};

/// Work a worker claimed.
#[derive(Debug, Clone)]
pub enum Claimed {
    /// A job to submit: newly queued, due for a retry, or taken over from a
    /// worker whose lease expired before the provider had it.
    Start(generation_job::Model),
    /// A running remote job whose next poll is due.
    Poll(generation_job::Model),
}

fn due_to_start(now: DateTime<Utc>) -> Cond {
    Cond::any()
        .add(
            Cond::all()
                .add(Expr::col(Column::Status).eq(JobStatus::Queued.as_str()))
                .add(Expr::col(Column::NextRunAt).lte(now)),
        )
        .add(
            Cond::all()
                .add(Expr::col(Column::Status).eq(JobStatus::Running.as_str()))
                .add(Expr::col(Column::ProviderRequestId).is_null())
                .add(Expr::col(Column::LeaseExpiresAt).lt(now)),
        )
}

fn due_to_poll(now: DateTime<Utc>) -> Cond {
    Cond::all()
        .add(Expr::col(Column::Status).eq(JobStatus::Running.as_str()))
        .add(Expr::col(Column::ProviderRequestId).is_not_null())
        .add(Expr::col(Column::NextRunAt).lte(now))
        .add(
            Cond::any()
                .add(Expr::col(Column::LeaseExpiresAt).is_null())
                .add(Expr::col(Column::LeaseExpiresAt).lt(now)),
        )
}

fn first_due(backend: DatabaseBackend, cond: Cond) -> SelectStatement {
    let mut select = Query::select();
    select
        .column(Column::Id)
        .from(generation_job::Entity)
        .cond_where(cond)
        .order_by(Column::Priority, sea_orm::Order::Asc)
        .order_by(Column::NextRunAt, sea_orm::Order::Asc)
        .order_by(Column::CreatedAt, sea_orm::Order::Asc)
        .limit(1);
    if backend == DatabaseBackend::Postgres {
        select.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    select
}

async fn pick_and_move(
    conn: &impl ConnectionTrait,
    backend: DatabaseBackend,
    cond: Cond,
    mut update: UpdateStatement,
) -> Result<Option<generation_job::Model>, DbErr> {
    let select = first_due(backend, cond.clone());
    let Some(row) = conn.query_one_raw(backend.build(&select)).await? else {
        return Ok(None);
    };
    let id: Uuid = row.try_get("", "id")?;
    update
        .and_where(Expr::col(Column::Id).eq(id))
        .cond_where(cond)
        .returning_all();
    returned(conn.query_one_raw(backend.build(&update)).await?)
}

/// Picks the first row matching `cond` and applies `update` to it if it
/// still matches; see the module notes.
async fn claim_one<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    cond: impl Fn() -> Cond,
    update: UpdateStatement,
) -> Result<Option<generation_job::Model>, DbErr> {
    let backend = db.get_database_backend();
    if backend == DatabaseBackend::Postgres {
        let txn = db.begin().await?;
        let claimed = pick_and_move(&txn, backend, cond(), update).await?;
        txn.commit().await?;
        return Ok(claimed);
    }
    // SQLite: another claimer may win between the pick and the move; look again.
    for _ in 0..5 {
        if let Some(job) = pick_and_move(db, backend, cond(), update.clone()).await? {
            return Ok(Some(job));
        }
        if db
            .query_one_raw(backend.build(&first_due(backend, cond())))
            .await?
            .is_none()
        {
            break;
        }
    }
    Ok(None)
}

/// Claims the next job to submit, if any: it becomes `running`, leased to
/// `worker` until `now + lease`, with one more attempt counted.
pub async fn claim_start<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    worker: &str,
    lease: chrono::Duration,
    now: DateTime<Utc>,
) -> Result<Option<generation_job::Model>, DbErr> {
    let update = Query::update()
        .table(generation_job::Entity)
        .value(Column::Status, JobStatus::Running.as_str())
        .value(Column::LeaseOwner, worker)
        .value(Column::LeaseExpiresAt, now + lease)
        .value(Column::Attempts, Expr::col(Column::Attempts).add(1))
        .value(
            Column::StartedAt,
            Func::coalesce([Expr::col(Column::StartedAt), Expr::value(now)]),
        )
        .value(Column::Progress, 0.0f32)
        .value(Column::UpdatedAt, now)
        .to_owned();
    claim_one(db, || due_to_start(now), update).await
}

/// Claims the next running remote job whose poll is due, leased to `worker`.
pub async fn claim_poll<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    worker: &str,
    lease: chrono::Duration,
    now: DateTime<Utc>,
) -> Result<Option<generation_job::Model>, DbErr> {
    let update = Query::update()
        .table(generation_job::Entity)
        .value(Column::LeaseOwner, worker)
        .value(Column::LeaseExpiresAt, now + lease)
        .value(Column::UpdatedAt, now)
        .to_owned();
    claim_one(db, || due_to_poll(now), update).await
}

/// Claims whatever is due: a job to start first, else a poll.
pub async fn claim<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    worker: &str,
    lease: chrono::Duration,
    now: DateTime<Utc>,
) -> Result<Option<Claimed>, DbErr> {
    if let Some(job) = claim_start(db, worker, lease, now).await? {
        return Ok(Some(Claimed::Start(job)));
    }
    Ok(claim_poll(db, worker, lease, now).await?.map(Claimed::Poll))
}

fn returned(row: Option<sea_orm::QueryResult>) -> Result<Option<generation_job::Model>, DbErr> {
    row.map(|r| generation_job::Model::from_query_result(&r, ""))
        .transpose()
}

type Time = DateTime<Utc>;

/// How many queued jobs will be claimed before `job` (by priority, then age).
pub async fn position(
    db: &impl ConnectionTrait,
    job: &generation_job::Model,
) -> Result<u32, DbErr> {
    let ahead = generation_job::Entity::find()
        .filter(Column::Status.eq(JobStatus::Queued.as_str()))
        .filter(Column::Id.ne(job.id))
        .filter(
            Cond::any()
                .add(Column::Priority.lt(job.priority))
                .add(
                    Cond::all()
                        .add(Column::Priority.eq(job.priority))
                        .add(Column::CreatedAt.lt(job.created_at)),
                )
                .add(
                    Cond::all()
                        .add(Column::Priority.eq(job.priority))
                        .add(Column::CreatedAt.eq(job.created_at))
                        .add(Column::Id.lt(job.id)),
                ),
        )
        .count(db)
        .await?;
    Ok(u32::try_from(ahead).unwrap_or(u32::MAX))
}

/// What a run of this kind takes when there is no history yet, in seconds.
pub fn default_run_seconds(kind: ModelKind) -> f64 {
    match kind {
        ModelKind::Image => 10.0,
        ModelKind::ImageEdit => 15.0,
        ModelKind::Video | ModelKind::Chat => 60.0,
    }
}

/// The average run time of the model's last 20 successes, in seconds.
pub async fn average_run_seconds(
    db: &impl ConnectionTrait,
    model_id: &str,
    kind: ModelKind,
) -> Result<f64, DbErr> {
    let recent: Vec<(Option<Time>, Option<Time>)> = generation_job::Entity::find()
        .select_only()
        .column(Column::StartedAt)
        .column(Column::FinishedAt)
        .filter(Column::ModelId.eq(model_id))
        .filter(Column::Status.eq(JobStatus::Succeeded.as_str()))
        .order_by_desc(Column::FinishedAt)
        .limit(20)
        .into_tuple()
        .all(db)
        .await?;
    let runs: Vec<f64> = recent
        .into_iter()
        .filter_map(|(s, f)| Some((f? - s?).num_milliseconds() as f64 / 1000.0))
        .filter(|s| *s >= 0.0)
        .collect();
    if runs.is_empty() {
        return Ok(default_run_seconds(kind));
    }
    Ok(runs.iter().sum::<f64>() / runs.len() as f64)
}

/// Seconds until a queued job at `position` is expected to be finished: the
/// jobs ahead plus its own run, at the model's recent average.
pub fn eta_seconds(position: u32, average_run_seconds: f64) -> u32 {
    ((f64::from(position) + 1.0) * average_run_seconds).ceil() as u32
}
