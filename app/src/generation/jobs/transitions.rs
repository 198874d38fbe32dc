//! The state changes of a job. Each is one conditional `UPDATE` (`… WHERE
//! status = 'running'`), so whichever of a worker, a poll or a webhook gets
//! there first moves the job and every later, duplicate or out-of-order
//! message is a no-op. Refunds follow a won transition and are themselves
//! at most once (the ledger's unique `refund_of`).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};
use uuid::Uuid;

use super::JobStatus;
use super::live::JobEvent;
use crate::assets::media::MediaError;
use crate::assets::rows;
use crate::credits::ledger::{self, CreditsError, EntityRef};
use crate::entities::generation_job::{self, Column};
use crate::generation::provider::ProviderErrorKind;
use crate::platform::state::AppState;

/// Why a transition could not be made (the job is left as it was).
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error("media: {0}")]
    Media(#[from] MediaError),
    #[error("credits: {0}")]
    Credits(#[from] CreditsError),
    #[error("downloading the result failed: {0}")]
    Download(String),
}

/// What a transition did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// The job moved (or its progress did).
    Changed,
    /// Nothing to do: the job had already moved on (a duplicate or late message).
    Unchanged,
}

/// The charge of a job in the ledger.
pub fn charge_entity(job_id: Uuid) -> EntityRef {
    EntityRef {
        kind: "job".into(),
        id: job_id.to_string(),
    }
}

/// The idempotency key of a job's charge.
pub fn charge_key(job_id: Uuid) -> String {
    format!("job:{job_id}")
}

/// The stored name of a provider error kind.
pub fn kind_name(kind: ProviderErrorKind) -> &'static str {
    match kind {
        ProviderErrorKind::Transient => "transient",
        ProviderErrorKind::RejectedInput => "rejected_input",
        ProviderErrorKind::Moderation => "moderation",
        ProviderErrorKind::Quota => "quota",
        ProviderErrorKind::Auth => "auth",
        ProviderErrorKind::Unknown => "unknown",
    }
}

/// Tells listeners the job changed.
pub async fn publish(state: &AppState, job: &generation_job::Model) {
    state
        .jobs_live
        .publish(JobEvent {
            owner_id: job.owner_id,
            job_id: job.id,
        })
        .await;
}

pub(super) async fn load(
    state: &AppState,
    id: Uuid,
) -> Result<Option<generation_job::Model>, DbErr> {
    generation_job::Entity::find_by_id(id).one(&state.db).await
}

/// Marks a running job whose cancel the provider only passed on; it keeps
/// running (and being polled) until the provider says how it ended.
pub async fn mark_cancel_requested(state: &AppState, job_id: Uuid) -> Result<Applied, JobError> {
    let now = state.clock.now();
    let update = Query::update()
        .table(generation_job::Entity)
        .value(Column::CancelRequestedAt, now)
        .value(Column::UpdatedAt, now)
        .and_where(Expr::col(Column::Id).eq(job_id))
        .and_where(Expr::col(Column::Status).eq(JobStatus::Running.as_str()))
        .and_where(Expr::col(Column::CancelRequestedAt).is_null())
        .to_owned();
    if state.db.execute(&update).await?.rows_affected() == 0 {
        return Ok(Applied::Unchanged);
    }
    tracing::info!(job.id = %job_id, "cancel passed on to the provider; following the request to its end");
    if let Some(job) = load(state, job_id).await? {
        publish(state, &job).await;
    }
    Ok(Applied::Changed)
}

/// Records progress (never backwards) of a running job; with `lease`, only
/// while that worker still holds it, extending the lease.
pub async fn record_progress(
    state: &AppState,
    job_id: Uuid,
    progress: f32,
    lease: Option<(&str, chrono::Duration)>,
) -> Result<Applied, JobError> {
    let now = state.clock.now();
    let progress = progress.clamp(0.0, 1.0);
    let mut update = Query::update();
    update
        .table(generation_job::Entity)
        .value(Column::Progress, progress)
        .value(Column::UpdatedAt, now)
        .and_where(Expr::col(Column::Id).eq(job_id))
        .and_where(Expr::col(Column::Status).eq(JobStatus::Running.as_str()))
        .and_where(Expr::col(Column::Progress).lt(progress));
    if let Some((worker, lease)) = lease {
        update
            .value(Column::LeaseExpiresAt, now + lease)
            .and_where(Expr::col(Column::LeaseOwner).eq(worker));
    }
    let changed = state.db.execute(&update).await?.rows_affected() == 1;
    if changed && let Some(job) = load(state, job_id).await? {
        publish(state, &job).await;
    }
    Ok(if changed {
        Applied::Changed
    } else {
        Applied::Unchanged
    })
}

/// Extends a worker's lease on a running job; false when it is no longer theirs.
pub async fn renew_lease(
    state: &AppState,
    job_id: Uuid,
    worker: &str,
    lease: chrono::Duration,
) -> Result<bool, DbErr> {
    let now = state.clock.now();
    let update = Query::update()
        .table(generation_job::Entity)
        .value(Column::LeaseExpiresAt, now + lease)
        .and_where(Expr::col(Column::Id).eq(job_id))
        .and_where(Expr::col(Column::Status).eq(JobStatus::Running.as_str()))
        .and_where(Expr::col(Column::LeaseOwner).eq(worker))
        .to_owned();
    Ok(state.db.execute(&update).await?.rows_affected() == 1)
}

/// Moves a job from one of `from` to `to` (failed, cancelled or dead) with the
/// reason, then refunds it. Only the caller whose update moved the job refunds.
pub async fn finish_unsuccessfully(
    state: &AppState,
    job_id: Uuid,
    to: JobStatus,
    kind: &str,
    message: &str,
    from: &[JobStatus],
) -> Result<Applied, JobError> {
    let now = state.clock.now();
    let update = Query::update()
        .table(generation_job::Entity)
        .value(Column::Status, to.as_str())
        .value(Column::ErrorKind, kind)
        .value(
            Column::ErrorMessage,
            message.chars().take(1000).collect::<String>(),
        )
        .value(Column::FinishedAt, now)
        .value(Column::LeaseOwner, Option::<String>::None)
        .value(Column::LeaseExpiresAt, Option::<DateTime<Utc>>::None)
        .value(Column::UpdatedAt, now)
        .and_where(Expr::col(Column::Id).eq(job_id))
        .and_where(Expr::col(Column::Status).is_in(from.iter().map(|s| s.as_str())))
        .to_owned();
    if state.db.execute(&update).await?.rows_affected() == 0 {
        return Ok(Applied::Unchanged);
    }
    tracing::info!(job.id = %job_id, job.status = to.as_str(), error.kind = kind, "generation ended without a result");
    refund(state, job_id, &format!("refund: {message}")).await?;
    if let Some(job) = load(state, job_id).await? {
        release_inputs(state, &job).await;
        publish(state, &job).await;
    }
    Ok(Applied::Changed)
}

/// Deletes the start and end images of a finished job when their library
/// items were deleted while it ran (nothing else refers to them now).
pub(super) async fn release_inputs(state: &AppState, job: &generation_job::Model) {
    let inputs = [job.start_media_id, job.end_media_id].into_iter().flatten();
    if let Err(e) = rows::release_media(state, inputs).await {
        tracing::warn!(job.id = %job.id, error = %e, "the inputs of a finished generation could not be released");
    }
}

/// Refunds a job's charge (at most once) and marks it refunded.
pub async fn refund(state: &AppState, job_id: Uuid, reason: &str) -> Result<(), JobError> {
    let now = state.clock.now();
    match ledger::refund_charge(&state.db, &charge_entity(job_id), reason, now).await {
        Ok(_) | Err(CreditsError::AlreadyRefunded) => {}
        // A free job has nothing to refund.
        Err(CreditsError::NoCharge) => return Ok(()),
        Err(e) => return Err(e.into()),
    }
    let update = Query::update()
        .table(generation_job::Entity)
        .value(Column::Refunded, true)
        .value(Column::UpdatedAt, now)
        .and_where(Expr::col(Column::Id).eq(job_id))
        .to_owned();
    state.db.execute(&update).await?;
    Ok(())
}

/// Refunds jobs that ended without a result but were not marked refunded
/// (a process that stopped between the two steps). Returns how many.
pub async fn refund_unrefunded(state: &AppState) -> Result<usize, JobError> {
    use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};
    let ids: Vec<Uuid> = generation_job::Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::Status.is_in([
            JobStatus::Failed.as_str(),
            JobStatus::Cancelled.as_str(),
            JobStatus::Dead.as_str(),
        ]))
        .filter(Column::Refunded.eq(false))
        .filter(Column::Price.gt(0))
        .limit(100)
        .into_tuple()
        .all(&state.db)
        .await?;
    for id in &ids {
        refund(state, *id, "refund: generation did not finish").await?;
    }
    Ok(ids.len())
}

/// Puts a job whose attempt failed transiently back in the queue after
/// `delay`, or ends it as `dead` (refunded) when no attempt is left.
pub async fn retry_later(
    state: &AppState,
    job: &generation_job::Model,
    worker: &str,
    kind: &str,
    message: &str,
    delay: chrono::Duration,
) -> Result<Applied, JobError> {
    if job.attempts >= job.max_attempts {
        return finish_unsuccessfully(
            state,
            job.id,
            JobStatus::Dead,
            kind,
            message,
            &[JobStatus::Running],
        )
        .await;
    }
    let now = state.clock.now();
    let update = Query::update()
        .table(generation_job::Entity)
        .value(Column::Status, JobStatus::Queued.as_str())
        .value(Column::NextRunAt, now + delay)
        .value(Column::ErrorKind, kind)
        .value(
            Column::ErrorMessage,
            message.chars().take(1000).collect::<String>(),
        )
        .value(Column::Progress, 0.0f32)
        .value(Column::LeaseOwner, Option::<String>::None)
        .value(Column::LeaseExpiresAt, Option::<DateTime<Utc>>::None)
        .value(Column::UpdatedAt, now)
        .and_where(Expr::col(Column::Id).eq(job.id))
        .and_where(Expr::col(Column::Status).eq(JobStatus::Running.as_str()))
        .and_where(Expr::col(Column::LeaseOwner).eq(worker))
        .to_owned();
    let changed = state.db.execute(&update).await?.rows_affected() == 1;
    if changed {
        tracing::info!(job.id = %job.id, job.attempts = job.attempts, retry_in_s = delay.num_seconds(), "generation will be retried");
        if let Some(job) = load(state, job.id).await? {
            publish(state, &job).await;
        }
    }
    Ok(if changed {
        Applied::Changed
    } else {
        Applied::Unchanged
    })
}

/// Exponential backoff after `attempts` tries: 5 s, 10 s, 20 s … up to 10 min.
pub fn backoff(attempts: i32) -> chrono::Duration {
    let exp = attempts.clamp(1, 8) - 1;
    chrono::Duration::seconds(std::cmp::min(5i64 << exp, 600))
}

/// Records the provider's id of a submitted request and schedules its first
/// poll; false when the job is no longer this worker's (cancelled meanwhile).
pub async fn mark_pending(
    state: &AppState,
    job_id: Uuid,
    worker: &str,
    request_id: &str,
    first_poll: chrono::Duration,
) -> Result<bool, DbErr> {
    let now = state.clock.now();
    let update = Query::update()
        .table(generation_job::Entity)
        .value(Column::ProviderRequestId, request_id)
        .value(Column::NextRunAt, now + first_poll)
        .value(Column::LeaseOwner, Option::<String>::None)
        .value(Column::LeaseExpiresAt, Option::<DateTime<Utc>>::None)
        .value(Column::UpdatedAt, now)
        .and_where(Expr::col(Column::Id).eq(job_id))
        .and_where(Expr::col(Column::Status).eq(JobStatus::Running.as_str()))
        .and_where(Expr::col(Column::LeaseOwner).eq(worker))
        .to_owned();
    Ok(state.db.execute(&update).await?.rows_affected() == 1)
}

/// Releases a polled job and sets when it is polled next.
pub async fn schedule_poll(
    state: &AppState,
    job_id: Uuid,
    worker: &str,
    after: chrono::Duration,
) -> Result<(), DbErr> {
    let now = state.clock.now();
    let update = Query::update()
        .table(generation_job::Entity)
        .value(Column::NextRunAt, now + after)
        .value(Column::LeaseOwner, Option::<String>::None)
        .value(Column::LeaseExpiresAt, Option::<DateTime<Utc>>::None)
        .and_where(Expr::col(Column::Id).eq(job_id))
        .and_where(Expr::col(Column::Status).eq(JobStatus::Running.as_str()))
        .and_where(Expr::col(Column::LeaseOwner).eq(worker))
        .to_owned();
    state.db.execute(&update).await?;
    Ok(())
}
