//! Provider webhooks. `POST /webhooks/fal`: the delivery is verified against
//! fal's keys, matched to its job by request id and applied through the same
//! idempotent transitions as polling, so duplicates and out-of-order
//! deliveries change nothing. 200 accepted (or already applied), 401 bad
//! signature, 404 unknown request.

use app::entities::generation_job;
use app::generation::providers::fal::webhook::WebhookError;
use app::platform::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// Answers a fal webhook delivery.
pub async fn fal(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(verifier) = state.providers.fal_webhooks.clone() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let hook = match verifier
        .verify(&headers, &body, state.clock.now().timestamp())
        .await
    {
        Ok(hook) => hook,
        Err(WebhookError::Keys(e)) => {
            tracing::warn!(error = %e, "cannot verify a fal webhook now");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
        Err(WebhookError::BadPayload(e)) => {
            tracing::warn!(error = %e, "refused a fal webhook body");
            return StatusCode::BAD_REQUEST.into_response();
        }
        Err(e) => {
            tracing::warn!(error = %e, "refused a fal webhook");
            return StatusCode::UNAUTHORIZED.into_response();
        }
    };
    let job = generation_job::Entity::find()
        .filter(generation_job::Column::ProviderRequestId.eq(hook.request_id.as_str()))
        .one(&state.db)
        .await;
    let job = match job {
        Ok(Some(job)) => job,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => return app::error::AppError::from(e).into_response(),
    };
    match app::generation::jobs::results::apply_poll_status(&state, job.id, hook.to_poll_status())
        .await
    {
        Ok(applied) => {
            tracing::debug!(job.id = %job.id, ?applied, "fal webhook applied");
            StatusCode::OK.into_response()
        }
        // fal retries deliveries that fail; the poller covers us meanwhile.
        Err(e) => {
            tracing::error!(job.id = %job.id, error = %e, "could not apply a fal webhook");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
