//! Cancelling a job. A queued job stops at once and is refunded. A running
//! remote request is cancelled at the provider and refunded only when the
//! provider confirms; when the provider only passes the cancel on, the job is
//! marked "cancel requested" and followed to its end (a failure then ends it
//! as cancelled and refunded, a late result still completes it). An
//! in-process one is marked cancelled and its result, if it still arrives,
//! is discarded.

use sea_orm::EntityTrait;
use uuid::Uuid;

use super::JobStatus;
use super::transitions::{self, Applied};
use crate::catalog::find_model;
use crate::entities::generation_job;
use crate::error::AppError;
use crate::generation::provider::CancelOutcome;
use crate::platform::state::AppState;

pub(super) const BY_USER: &str = "cancelled by its owner";

/// Cancels `owner`'s job `job_id`; returns the row as it ends up.
pub async fn cancel(
    state: &AppState,
    owner: Uuid,
    job_id: Uuid,
) -> Result<generation_job::Model, AppError> {
    let load = || async {
        generation_job::Entity::find_by_id(job_id)
            .one(&state.db)
            .await?
            .filter(|j| j.owner_id == owner)
            .ok_or(AppError::NotFound)
    };
    let job = load().await?;
    let internal = AppError::internal;
    if job.status == JobStatus::Queued.as_str() {
        let done = transitions::finish_unsuccessfully(
            state,
            job.id,
            JobStatus::Cancelled,
            "cancelled",
            BY_USER,
            &[JobStatus::Queued],
        )
        .await
        .map_err(internal)?;
        if done == Applied::Changed {
            return load().await;
        }
    }
    // Claimed meanwhile, or already running.
    let job = load().await?;
    if job.status != JobStatus::Running.as_str() {
        return Err(AppError::Conflict {
            what: "job_finished".into(),
        });
    }
    let remote = job
        .provider_request_id
        .clone()
        .zip(find_model(&job.model_id))
        .and_then(|(request, model)| Some((request, state.providers.media_for(&model)?, model)));
    match remote {
        None => {
            transitions::finish_unsuccessfully(
                state,
                job.id,
                JobStatus::Cancelled,
                "cancelled",
                BY_USER,
                &[JobStatus::Running],
            )
            .await
            .map_err(internal)?;
        }
        Some((request_id, provider, model)) => {
            match provider.cancel(&model.provider_model, &request_id).await {
                Ok(CancelOutcome::Cancelled) => {
                    transitions::finish_unsuccessfully(
                        state,
                        job.id,
                        JobStatus::Cancelled,
                        "cancelled",
                        BY_USER,
                        &[JobStatus::Running],
                    )
                    .await
                    .map_err(internal)?;
                }
                Ok(CancelOutcome::Requested) => {
                    // The provider may still finish: the job shows "Cancelling…"
                    // and ends when the provider says how (refunded only if
                    // nothing comes of it).
                    transitions::mark_cancel_requested(state, job.id)
                        .await
                        .map_err(internal)?;
                }
                Ok(CancelOutcome::AlreadyFinished) => {
                    // Too late to stop: fetch the result now rather than at the next poll.
                    if let Ok(status) = provider.poll(&model.provider_model, &request_id).await {
                        let _ = super::results::apply_poll_status(state, job.id, status).await;
                    }
                    return Err(AppError::Conflict {
                        what: "job_finished".into(),
                    });
                }
                Ok(CancelOutcome::NotSupported) => {
                    return Err(AppError::Conflict {
                        what: "cancel_not_supported".into(),
                    });
                }
                Err(e) => {
                    tracing::warn!(job.id = %job.id, error = %e, "provider cancel failed");
                    return Err(AppError::Unavailable);
                }
            }
        }
    }
    load().await
}
