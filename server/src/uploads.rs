//! `POST /uploads`: a signed-in, approved user sends an image (the raw bytes as
//! the body, its type as `Content-Type`). It is accepted only if it is not
//! empty, not over the limit, its magic bytes say PNG, JPEG or WebP and match
//! the declared type, and it decodes within the pixel cap (no decompression
//! bombs); only then is it stored and recorded. The answer is the media view.

use app::assets::media::{self, Dimensions, MediaSource};
use app::auth::current::RequestSession;
use app::auth::roles::Role;
use app::error::AppError;
use app::generation::local::decode::sniff_image_type;
use app::platform::state::AppState;
use axum::Extension;
use axum::body::Body;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::{Json, http::HeaderMap};
use bytes::Bytes;

/// The largest image accepted, in bytes.
pub const MAX_IMAGE_BYTES: usize = 20 * 1024 * 1024;

/// Handles one image upload.
pub async fn upload_image(
    State(state): State<AppState>,
    session: Option<Extension<RequestSession>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    match accept(&state, session.map(|s| s.0), &headers, body).await {
        Ok(view) => Json(view).into_response(),
        Err(error) => error.into_response(),
    }
}

async fn accept(
    state: &AppState,
    session: Option<RequestSession>,
    headers: &HeaderMap,
    body: Body,
) -> Result<app::assets::MediaView, AppError> {
    let session = session.ok_or(AppError::Unauthorized)?;
    if session.user.role == Role::NewUser {
        return Err(AppError::Forbidden);
    }
    let declared = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    let too_large = AppError::PayloadTooLarge {
        limit: MAX_IMAGE_BYTES as u64,
    };
    if headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok())
        .is_some_and(|n| n > MAX_IMAGE_BYTES)
    {
        return Err(too_large);
    }
    // Reads at most one byte past the limit, so a lying or missing length is caught too.
    let bytes: Bytes = axum::body::to_bytes(body, MAX_IMAGE_BYTES)
        .await
        .map_err(|_| too_large)?;
    if bytes.is_empty() {
        return Err(AppError::invalid("file", "error-reason-empty-file"));
    }
    let Some(actual) = sniff_image_type(&bytes) else {
        return Err(AppError::UnsupportedMediaType);
    };
    // `image/jpg` is a common misspelling; anything else must match the bytes.
    let declared = if declared == "image/jpg" {
        "image/jpeg".to_string()
    } else {
        declared
    };
    if !declared.is_empty() && declared != "application/octet-stream" && declared != actual {
        return Err(AppError::UnsupportedMediaType);
    }
    // A full decode proves the file is an image and enforces the pixel cap.
    let decoded = {
        let bytes = bytes.clone();
        tokio::task::spawn_blocking(move || app::generation::local::decode_image(&bytes))
            .await
            .map_err(AppError::internal)?
    }
    .map_err(|_| AppError::invalid("file", "error-reason-not-an-image"))?;
    let row = media::store(
        state,
        session.user_id,
        bytes,
        actual,
        MediaSource::Upload,
        Dimensions {
            width: Some(decoded.width()),
            height: Some(decoded.height()),
            duration_ms: None,
        },
    )
    .await?;
    tracing::info!(user.id = %session.user_id, media.id = %row.id, content_type = actual, size = row.size_bytes, "image uploaded");
    Ok(media::view(state, &row).await?)
}
