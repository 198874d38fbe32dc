//! The state changes of a job. Each is one conditional `UPDATE` (`… WHERE
//! status = 'running'`), so whichever of a worker, a poll or a webhook gets
//! there first moves the job and every later, duplicate or out-of-order
//! message is a no-op. Refunds follow a won transition and are themselves
//! at most once (the ledger's unique `refund_of`).

use bytes::Bytes;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, TransactionTrait};
use uuid::Uuid;

use super::JobStatus;
use super::live::JobEvent;
use crate::assets::inspect::MediaKind;
use crate::assets::media::{self, Dimensions, MediaError, MediaSource};
use crate::assets::store;
use crate::credits::ledger::{self, CreditsError, EntityRef};
use crate::entities::generation_job::{self, Column};
use crate::entities::{item, media as media_entity};
use crate::generation::provider::{OutputMedia, PollStatus, ProviderErrorKind};
use crate::platform::state::AppState;

/// Largest result we download from a provider.
pub const MAX_RESULT_BYTES: usize = 1 << 30;

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

async fn load(state: &AppState, id: Uuid) -> Result<Option<generation_job::Model>, DbErr> {
    generation_job::Entity::find_by_id(id).one(&state.db).await
}

/// Applies what a provider said about a pending request (from a poll or a webhook).
pub async fn apply_poll_status(
    state: &AppState,
    job_id: Uuid,
    status: PollStatus,
) -> Result<Applied, JobError> {
    match status {
        PollStatus::Queued { .. } => Ok(Applied::Unchanged),
        PollStatus::Running { progress } => match progress {
            Some(p) => record_progress(state, job_id, p, None).await,
            None => Ok(Applied::Unchanged),
        },
        PollStatus::Done(outputs) => complete(state, job_id, outputs).await,
        PollStatus::Failed(detail) => {
            // A request its owner asked to stop ends as cancelled however the
            // provider words it (fal reports a stopped request as failed).
            let cancel_requested = load(state, job_id)
                .await?
                .is_some_and(|j| j.cancel_requested_at.is_some());
            let (to, kind, message) = if cancel_requested {
                (JobStatus::Cancelled, "cancelled", super::cancel::BY_USER)
            } else {
                (
                    JobStatus::Failed,
                    kind_name(detail.kind),
                    detail.message.as_str(),
                )
            };
            finish_unsuccessfully(state, job_id, to, kind, message, &[JobStatus::Running]).await
        }
        PollStatus::Cancelled => {
            finish_unsuccessfully(
                state,
                job_id,
                JobStatus::Cancelled,
                "cancelled",
                "cancelled",
                &[JobStatus::Running],
            )
            .await
        }
    }
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

/// Downloads (or takes) the first output, stores it and marks the job
/// succeeded. Idempotent: when another completion won, this one's copy is
/// removed again. A job that timed out on our side (`dead` with kind
/// `timeout`) still completes when the provider's result arrives.
pub async fn complete(
    state: &AppState,
    job_id: Uuid,
    outputs: Vec<OutputMedia>,
) -> Result<Applied, JobError> {
    let Some(job) = load(state, job_id).await? else {
        return Ok(Applied::Unchanged);
    };
    if !completable(&job) {
        return Ok(Applied::Unchanged);
    }
    let Some(first) = outputs.into_iter().next() else {
        return finish_unsuccessfully(
            state,
            job_id,
            JobStatus::Failed,
            "unknown",
            "the provider returned no media",
            &[JobStatus::Running],
        )
        .await;
    };
    let (data, content_type) = match first {
        OutputMedia::Bytes { data, content_type } => (data, content_type),
        OutputMedia::Url { url, content_type } => download(&url, content_type).await?,
    };
    let data_for_thumbnail = data.clone();
    let video = content_type.starts_with("video/");
    let duration_ms = video
        .then(|| duration_seconds(&job.params))
        .flatten()
        .map(|s| s * 1000);
    let stored = media::store(
        state,
        job.owner_id,
        data,
        &content_type,
        MediaSource::Generation,
        Dimensions {
            duration_ms,
            ..Dimensions::default()
        },
    )
    .await?;
    // A preview for the library: an image's own pixels; for an image-to-video
    // clip its start image, which is its first frame.
    let stored = if video {
        let start = match job.start_media_id {
            Some(id) => media_entity::Entity::find_by_id(id).one(&state.db).await?,
            None => None,
        };
        match start {
            Some(start) => media::thumbnail_from_media(state, stored, &start).await,
            None => stored,
        }
    } else {
        media::thumbnail_from_image(state, stored, data_for_thumbnail).await
    };
    // The first frame of an image-to-video clip is its start image.
    let thumbnail = if video {
        job.start_media_id
    } else {
        Some(stored.id)
    };
    // Where the result is kept: chosen before the transaction (it may create the inbox).
    let owner = store::actor_of(&state.db, job.owner_id).await?;
    let collection = match &owner {
        Some(owner) => Some(store::writable_or_inbox(state, owner, job.collection_id).await?),
        None => None,
    };
    let now = state.clock.now();
    let update = Query::update()
        .table(generation_job::Entity)
        .value(Column::Status, JobStatus::Succeeded.as_str())
        .value(Column::Progress, 1.0f32)
        .value(Column::ResultMediaId, stored.id)
        .value(Column::ThumbnailMediaId, thumbnail)
        .value(Column::FinishedAt, now)
        .value(Column::LeaseOwner, Option::<String>::None)
        .value(Column::LeaseExpiresAt, Option::<DateTime<Utc>>::None)
        .value(Column::UpdatedAt, now)
        .and_where(Expr::col(Column::Id).eq(job_id))
        .cond_where(
            sea_orm::Condition::any()
                .add(Expr::col(Column::Status).eq(JobStatus::Running.as_str()))
                .add(
                    sea_orm::Condition::all()
                        .add(Expr::col(Column::Status).eq(JobStatus::Dead.as_str()))
                        .add(Expr::col(Column::ErrorKind).eq("timeout")),
                ),
        )
        .to_owned();
    let txn = state.db.begin().await?;
    if txn.execute(&update).await?.rows_affected() == 0 {
        txn.rollback().await?;
        media::remove(state, &stored).await?;
        return Ok(Applied::Unchanged);
    }
    // The job and its library item succeed together, or not at all.
    if let Some(collection) = collection {
        let saved = match result_item(&txn, &job, &stored, collection).await {
            Ok(new) => store::insert_item(&txn, new, now).await.map(|_| ()),
            Err(e) => Err(e),
        };
        if let Err(e) = saved {
            txn.rollback().await?;
            media::remove(state, &stored).await?;
            return Err(e.into());
        }
    }
    txn.commit().await?;
    tracing::info!(job.id = %job_id, media.id = %stored.id, "generation succeeded");
    release_inputs(state, &job).await;
    if let Some(job) = load(state, job_id).await? {
        publish(state, &job).await;
    }
    Ok(Applied::Changed)
}

/// The library item for a job's result: named after the prompt, with the
/// model, settings, seed, cost and the item it started from (when that
/// still exists).
async fn result_item(
    db: &impl ConnectionTrait,
    job: &generation_job::Model,
    stored: &media_entity::Model,
    collection_id: Uuid,
) -> Result<store::NewItem, DbErr> {
    let model = crate::generation::catalog::find_model(&job.model_id);
    let fallback = model
        .as_ref()
        .map_or(job.model_id.as_str(), |m| m.name.as_str());
    let parent = match job.parent_item_id {
        Some(id) => item::Entity::find_by_id(id).one(db).await?.map(|i| i.id),
        None => None,
    };
    Ok(store::NewItem {
        collection_id,
        media_id: stored.id,
        name: store::name_from(&job.prompt, fallback),
        kind: MediaKind::of_content_type(&stored.content_type)
            .unwrap_or(MediaKind::Image)
            .as_str()
            .to_string(),
        prompt: Some(job.prompt.clone()).filter(|p| !p.is_empty()),
        model_id: Some(job.model_id.clone()),
        params: Some(job.params.clone()),
        seed: seed_of(&job.params),
        cost: Some(job.price),
        provider_request_id: job.provider_request_id.clone(),
        job_id: Some(job.id),
        parent_item_id: parent,
        created_by: job.owner_id,
    })
}

/// Deletes the start and end images of a finished job when their library
/// items were deleted while it ran (nothing else refers to them now).
async fn release_inputs(state: &AppState, job: &generation_job::Model) {
    let inputs = [job.start_media_id, job.end_media_id].into_iter().flatten();
    if let Err(e) = store::release_media(state, inputs).await {
        tracing::warn!(job.id = %job.id, error = %e, "the inputs of a finished generation could not be released");
    }
}

/// The seed a generation was asked for (a number, or digits as text).
fn seed_of(params: &str) -> Option<i64> {
    let params: serde_json::Value = serde_json::from_str(params).ok()?;
    match params.get("seed")? {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn completable(job: &generation_job::Model) -> bool {
    job.status == JobStatus::Running.as_str()
        || (job.status == JobStatus::Dead.as_str() && job.error_kind.as_deref() == Some("timeout"))
}

/// `duration` of the validated params, in whole seconds.
fn duration_seconds(params: &str) -> Option<u64> {
    let params: serde_json::Value = serde_json::from_str(params).ok()?;
    match params.get("duration")? {
        serde_json::Value::Number(n) => n.as_u64(),
        serde_json::Value::String(s) => s.trim_end_matches('s').parse().ok(),
        _ => None,
    }
}

fn http_client() -> &'static reqwest::Client {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .connect_timeout(std::time::Duration::from_secs(10))
            .timeout(std::time::Duration::from_secs(600))
            .build()
            .unwrap_or_default()
    })
}

/// Fetches a provider's result file.
async fn download(url: &str, content_type: Option<String>) -> Result<(Bytes, String), JobError> {
    let failed = |e: &dyn std::fmt::Display| JobError::Download(e.to_string());
    let response = http_client()
        .get(url)
        .send()
        .await
        .map_err(|e| failed(&e))?;
    if !response.status().is_success() {
        return Err(failed(&format!("HTTP {}", response.status())));
    }
    let header_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_string());
    if response
        .content_length()
        .is_some_and(|n| n as usize > MAX_RESULT_BYTES)
    {
        return Err(failed(&"the result is too large"));
    }
    let data = response.bytes().await.map_err(|e| failed(&e))?;
    if data.len() > MAX_RESULT_BYTES {
        return Err(failed(&"the result is too large"));
    }
    let content_type = content_type
        .or(header_type)
        .filter(|t| !t.is_empty() && t != "application/octet-stream")
        .unwrap_or_else(|| guess_type(url).to_string());
    Ok((data, content_type))
}

fn guess_type(url: &str) -> &'static str {
    let path = url
        .split('?')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match path.rsplit('.').next().unwrap_or_default() {
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mov" => "video/quicktime",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        _ => "application/octet-stream",
    }
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

#[cfg(test)]
mod tests {
    use super::seed_of;

    #[test]
    fn the_seed_is_read_from_the_settings() {
        assert_eq!(seed_of(r#"{"seed": 42, "duration": "5"}"#), Some(42));
        assert_eq!(seed_of(r#"{"seed": "7"}"#), Some(7));
        assert_eq!(seed_of(r#"{"duration": "5"}"#), None);
        assert_eq!(seed_of("not json"), None);
    }
}
