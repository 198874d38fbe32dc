//! Running claimed work: submitting a job to its provider (following an
//! in-process provider's progress, keeping the lease alive) and polling a
//! pending remote request.

use std::time::{Duration, Instant};

use sea_orm::EntityTrait;
use uuid::Uuid;

use super::JobStatus;
use super::queue::Claimed;
use super::transitions::{self, JobError, kind_name};
use crate::assets::media;
use crate::catalog::{ModelKind, ModelSpec, ProviderId, find_model};
use crate::entities::{generation_job, media as media_entity};
use crate::generation::provider::{
    ImageRole, InputImage, ProviderErrorKind, ProviderRequest, Submitted,
};
use crate::platform::state::AppState;

/// How often a remote job is polled when no webhook is expected.
pub const POLL_EVERY: chrono::Duration = chrono::Duration::seconds(3);
/// How often a remote job is polled when its webhook should arrive: polling
/// only covers lost deliveries then.
pub const POLL_EVERY_WITH_WEBHOOK: chrono::Duration = chrono::Duration::seconds(30);
/// How long we keep asking a provider that does not answer before giving up
/// (the job becomes `dead` with kind `timeout`, refunded; a result that
/// arrives later still completes it).
pub const POLL_DEADLINE: chrono::Duration = chrono::Duration::hours(6);
/// Progress is written at most this often, or on a 5 % step.
const PROGRESS_EVERY: Duration = Duration::from_millis(250);

/// Runs one claimed piece of work to its next resting point.
pub async fn run_claimed(
    state: &AppState,
    claimed: Claimed,
    worker: &str,
    lease: chrono::Duration,
) -> Result<(), JobError> {
    match claimed {
        Claimed::Start(job) => submit(state, job, worker, lease).await,
        Claimed::Poll(job) => poll(state, job, worker).await,
    }
}

/// The webhook URL providers should call, when we are publicly reachable.
pub fn webhook_url(state: &AppState, model: &ModelSpec) -> Option<String> {
    if model.provider != ProviderId::Fal || state.config.is_local_loopback() {
        return None;
    }
    state
        .config
        .http
        .public_url
        .join("/webhooks/fal")
        .ok()
        .map(|u| u.to_string())
}

/// The poll interval for a model's pending requests.
fn poll_every(state: &AppState, model: &ModelSpec) -> chrono::Duration {
    if webhook_url(state, model).is_some() {
        POLL_EVERY_WITH_WEBHOOK
    } else {
        POLL_EVERY
    }
}

/// Media `id` as a provider gets it: the bytes, and a public link when the
/// install is reachable from outside (a loopback install sends the bytes).
pub async fn input_image(state: &AppState, id: Uuid) -> Result<InputImage, JobError> {
    let row = media_entity::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| JobError::Download(format!("input media {id} is gone")))?;
    let data = media::load(state, &row).await?;
    // A provider fetches a public link itself; on a loopback install it gets the bytes.
    let public_url = if state.config.is_local_loopback() {
        None
    } else {
        let url = media::signed_url(state, &row, None).await?;
        Some(if url.starts_with('/') {
            state
                .config
                .http
                .public_url
                .join(&url)
                .map(|u| u.to_string())
                .unwrap_or(url)
        } else {
            url
        })
    };
    Ok(InputImage {
        data,
        content_type: row.content_type,
        public_url,
    })
}

async fn request_for(
    state: &AppState,
    job: &generation_job::Model,
    model: &ModelSpec,
) -> Result<ProviderRequest, JobError> {
    let params = serde_json::from_str(&job.params).unwrap_or_default();
    let mut images = Vec::new();
    if let Some(id) = job.start_media_id {
        let role = if model.kind == ModelKind::ImageEdit {
            ImageRole::Source
        } else {
            ImageRole::StartFrame
        };
        images.push((role, input_image(state, id).await?));
    }
    if let Some(id) = job.end_media_id {
        images.push((ImageRole::EndFrame, input_image(state, id).await?));
    }
    Ok(ProviderRequest {
        provider_model: model.provider_model.clone(),
        prompt: job.prompt.clone(),
        params,
        images,
        webhook_url: webhook_url(state, model),
    })
}

/// Submits a claimed job; in-process providers finish here.
async fn submit(
    state: &AppState,
    job: generation_job::Model,
    worker: &str,
    lease: chrono::Duration,
) -> Result<(), JobError> {
    // A job taken over too often (its workers keep dying) stops here.
    if job.attempts > job.max_attempts {
        transitions::finish_unsuccessfully(
            state,
            job.id,
            JobStatus::Dead,
            "transient",
            "the job was interrupted too many times",
            &[JobStatus::Running],
        )
        .await?;
        return Ok(());
    }
    transitions::publish(state, &job).await;
    let unavailable = |message: String| async move {
        transitions::finish_unsuccessfully(
            state,
            job.id,
            JobStatus::Failed,
            "unavailable",
            &message,
            &[JobStatus::Running],
        )
        .await
    };
    let Some(model) = find_model(&job.model_id) else {
        unavailable("the model is no longer in the catalog".into()).await?;
        return Ok(());
    };
    let Some(provider) = state.providers.media_for(&model) else {
        unavailable("the model's provider is not configured".into()).await?;
        return Ok(());
    };
    let request = match request_for(state, &job, &model).await {
        Ok(request) => request,
        Err(JobError::Download(message)) => {
            unavailable(message).await?;
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    tracing::info!(job.id = %job.id, model.id = %model.id, job.attempt = job.attempts, worker.id = worker, "submitting generation");

    let (tx, mut rx) = tokio::sync::watch::channel(0.0f32);
    let report = move |p: f32| {
        tx.send_replace(p);
    };
    let submitted = provider.submit(&request, &report);
    tokio::pin!(submitted);
    let mut heartbeat = tokio::time::interval(
        (lease / 3)
            .to_std()
            .unwrap_or(Duration::from_secs(10))
            .max(Duration::from_millis(100)),
    );
    heartbeat.tick().await;
    let (mut written, mut written_at) = (0.0f32, Instant::now());
    let outcome = loop {
        tokio::select! {
            outcome = &mut submitted => break outcome,
            changed = rx.changed() => {
                if changed.is_err() {
                    continue;
                }
                let p = *rx.borrow_and_update();
                if p - written >= 0.05 || written_at.elapsed() >= PROGRESS_EVERY {
                    written = p;
                    written_at = Instant::now();
                    transitions::record_progress(state, job.id, p, Some((worker, lease))).await?;
                }
            }
            _ = heartbeat.tick() => {
                transitions::renew_lease(state, job.id, worker, lease).await?;
            }
        }
    };
    match outcome {
        Ok(Submitted::Done(outputs)) => {
            match super::results::complete(state, job.id, outputs).await {
                Err(JobError::Download(message)) => {
                    transitions::retry_later(
                        state,
                        &job,
                        worker,
                        "transient",
                        &message,
                        transitions::backoff(job.attempts),
                    )
                    .await?;
                }
                other => {
                    other?;
                }
            }
        }
        Ok(Submitted::Pending { request_id }) => {
            let ours = transitions::mark_pending(
                state,
                job.id,
                worker,
                &request_id,
                poll_every(state, &model),
            )
            .await?;
            if !ours {
                // Cancelled while it was being submitted: stop the provider too.
                let _ = provider.cancel(&model.provider_model, &request_id).await;
            }
        }
        Err(error) if error.kind == ProviderErrorKind::Transient => {
            let delay = transitions::backoff(job.attempts).max(
                error
                    .retry_after
                    .and_then(|d| chrono::Duration::from_std(d).ok())
                    .unwrap_or_default(),
            );
            transitions::retry_later(state, &job, worker, "transient", &error.message, delay)
                .await?;
        }
        Err(error) => {
            transitions::finish_unsuccessfully(
                state,
                job.id,
                JobStatus::Failed,
                kind_name(error.kind),
                &error.message,
                &[JobStatus::Running],
            )
            .await?;
        }
    }
    Ok(())
}

/// Asks the provider where a pending request stands and applies the answer.
async fn poll(state: &AppState, job: generation_job::Model, worker: &str) -> Result<(), JobError> {
    let (Some(model), Some(request_id)) =
        (find_model(&job.model_id), job.provider_request_id.clone())
    else {
        return Ok(());
    };
    let Some(provider) = state.providers.media_for(&model) else {
        transitions::schedule_poll(state, job.id, worker, POLL_EVERY_WITH_WEBHOOK).await?;
        return Ok(());
    };
    let answer = provider.poll(&model.provider_model, &request_id).await;
    let now = state.clock.now();
    match answer {
        Ok(status) => {
            let finished = matches!(
                status,
                crate::generation::provider::PollStatus::Done(_)
                    | crate::generation::provider::PollStatus::Failed(_)
                    | crate::generation::provider::PollStatus::Cancelled
            );
            match super::results::apply_poll_status(state, job.id, status).await {
                Err(JobError::Download(message)) => {
                    tracing::warn!(job.id = %job.id, error = %message, "could not fetch a finished result; will poll again");
                    transitions::schedule_poll(state, job.id, worker, POLL_EVERY_WITH_WEBHOOK)
                        .await?;
                }
                other => {
                    other?;
                    if !finished {
                        transitions::schedule_poll(
                            state,
                            job.id,
                            worker,
                            poll_every(state, &model),
                        )
                        .await?;
                    }
                }
            }
        }
        // We could not hear from the provider: that says nothing about the
        // request, so nothing is refunded; ask again until the deadline.
        Err(error) => {
            let started = job.started_at.unwrap_or(job.created_at);
            if now - started > POLL_DEADLINE {
                transitions::finish_unsuccessfully(
                    state,
                    job.id,
                    JobStatus::Dead,
                    "timeout",
                    &format!("the provider did not answer: {}", error.message),
                    &[JobStatus::Running],
                )
                .await?;
            } else {
                tracing::warn!(job.id = %job.id, error = %error, "polling the provider failed; will ask again");
                transitions::schedule_poll(state, job.id, worker, POLL_EVERY_WITH_WEBHOOK).await?;
            }
        }
    }
    Ok(())
}
