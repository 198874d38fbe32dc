//! What the browser sees of a job: [`JobView`], with signed media links and,
//! for queued jobs, the queue position and ETA.

use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::JobView;
use super::{JobStatus, Priority, queue};
use crate::assets::media;
use crate::catalog::find_model;
use crate::entities::{generation_job, item, media as media_entity};
use crate::error::AppError;
use crate::platform::state::AppState;

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

async fn media_view(
    state: &AppState,
    id: Option<Uuid>,
) -> Result<Option<crate::assets::MediaView>, AppError> {
    let Some(id) = id else { return Ok(None) };
    let Some(row) = media_entity::Entity::find_by_id(id).one(&state.db).await? else {
        return Ok(None);
    };
    Ok(Some(media::view(state, &row).await?))
}

/// The view of one job row.
pub async fn job_view(state: &AppState, job: &generation_job::Model) -> Result<JobView, AppError> {
    let model = find_model(&job.model_id);
    let (queue_position, eta_seconds) = if job.status == JobStatus::Queued.as_str() {
        let position = queue::position(&state.db, job).await?;
        let kind = model
            .as_ref()
            .map_or(crate::catalog::ModelKind::Video, |m| m.kind);
        let average = queue::average_run_seconds(&state.db, &job.model_id, kind).await?;
        (Some(position), Some(queue::eta_seconds(position, average)))
    } else {
        (None, None)
    };
    Ok(JobView {
        id: job.id.to_string(),
        model_id: job.model_id.clone(),
        model_name: model
            .as_ref()
            .map_or_else(|| job.model_id.clone(), |m| m.name.clone()),
        kind: model
            .as_ref()
            .map_or("video", |m| m.kind.as_str())
            .to_string(),
        prompt: job.prompt.clone(),
        params: job.params.clone(),
        status: job.status.clone(),
        cancel_requested: job.cancel_requested_at.is_some()
            && job.status == JobStatus::Running.as_str(),
        priority: Priority::from_i16(job.priority).as_str().to_string(),
        progress: job.progress,
        queue_position,
        eta_seconds,
        price: job.price,
        refunded: job.refunded,
        error_kind: job.error_kind.clone(),
        error_message: job.error_message.clone(),
        result: media_view(state, job.result_media_id).await?,
        thumbnail: media_view(state, job.thumbnail_media_id).await?,
        start_media_id: job.start_media_id.map(|id| id.to_string()),
        end_media_id: job.end_media_id.map(|id| id.to_string()),
        retry_of: job.retry_of.map(|id| id.to_string()),
        item_id: result_item(&state.db, job).await?.map(|id| id.to_string()),
        attempts: u32::try_from(job.attempts).unwrap_or(0),
        created_at: time(job.created_at),
        started_at: job.started_at.map(time),
        finished_at: job.finished_at.map(time),
    })
}

/// The first library item made from a job's result, if it still exists.
async fn result_item(
    db: &impl ConnectionTrait,
    job: &generation_job::Model,
) -> Result<Option<Uuid>, DbErr> {
    if job.result_media_id.is_none() {
        return Ok(None);
    }
    use sea_orm::QuerySelect;
    item::Entity::find()
        .select_only()
        .column(item::Column::Id)
        .filter(item::Column::JobId.eq(job.id))
        .order_by_asc(item::Column::CreatedAt)
        .into_tuple()
        .one(db)
        .await
}

/// The job `id` when it belongs to `owner`; strangers get "not found".
pub async fn owned_job(
    db: &impl ConnectionTrait,
    owner: Uuid,
    id: &str,
) -> Result<generation_job::Model, AppError> {
    let id: Uuid = id.trim().parse().map_err(|_| AppError::NotFound)?;
    generation_job::Entity::find_by_id(id)
        .filter(generation_job::Column::OwnerId.eq(owner))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// A user's jobs that are still active or ended within `recent` (what a
/// reconnecting browser needs so it never misses a final state), oldest first.
pub async fn recent_jobs(
    db: &impl ConnectionTrait,
    owner: Uuid,
    since: DateTime<Utc>,
) -> Result<Vec<generation_job::Model>, DbErr> {
    use sea_orm::Condition;
    generation_job::Entity::find()
        .filter(generation_job::Column::OwnerId.eq(owner))
        .filter(
            Condition::any()
                .add(
                    generation_job::Column::Status
                        .is_in([JobStatus::Queued.as_str(), JobStatus::Running.as_str()]),
                )
                .add(generation_job::Column::FinishedAt.gte(since)),
        )
        .order_by_asc(generation_job::Column::CreatedAt)
        .all(db)
        .await
}
