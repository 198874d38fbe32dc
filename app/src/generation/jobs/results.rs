//! A job's result: what a provider said about a pending request becomes a
//! stored media file, a library item and a succeeded job (or an unsuccessful
//! end). The download goes through the app's shared HTTP client.

use bytes::Bytes;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, TransactionTrait};
use uuid::Uuid;

use super::JobStatus;
use crate::assets::media::{self, Dimensions, MediaSource};
use crate::assets::rows;
use crate::entities::generation_job::{self, Column};
use crate::entities::{item, media as media_entity};
use crate::generation::provider::{OutputMedia, PollStatus};
use crate::media::types::MediaKind;
use crate::platform::state::AppState;

use super::transitions::{
    Applied, JobError, finish_unsuccessfully, kind_name, load, publish, record_progress,
    release_inputs,
};

/// Largest result we download from a provider.
pub const MAX_RESULT_BYTES: usize = 1 << 30;

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
        OutputMedia::Url { url, content_type } => download(&state.http, &url, content_type).await?,
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
    let owner = rows::actor_of(&state.db, job.owner_id).await?;
    let collection = match &owner {
        Some(owner) => Some(rows::writable_or_inbox(state, owner, job.collection_id).await?),
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
            Ok(new) => rows::insert_item(&txn, new, now).await.map(|_| ()),
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
) -> Result<rows::NewItem, DbErr> {
    let model = crate::catalog::find_model(&job.model_id);
    let fallback = model
        .as_ref()
        .map_or(job.model_id.as_str(), |m| m.name.as_str());
    let parent = match job.parent_item_id {
        Some(id) => item::Entity::find_by_id(id).one(db).await?.map(|i| i.id),
        None => None,
    };
    Ok(rows::NewItem {
        collection_id,
        media_id: stored.id,
        name: rows::name_from(&job.prompt, fallback),
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

/// Fetches a provider's result file.
async fn download(
    http: &reqwest::Client,
    url: &str,
    content_type: Option<String>,
) -> Result<(Bytes, String), JobError> {
    let failed = |e: &dyn std::fmt::Display| JobError::Download(e.to_string());
    let response = http.get(url).send().await.map_err(|e| failed(&e))?;
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
