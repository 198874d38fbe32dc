//! The signed media route for disk storage: `GET /media/{key}?exp&sig…` serves a
//! file (with range requests), `PUT` accepts an upload or one part of it. A
//! missing, tampered or expired signature is refused with 403.

use app::error::AppError;
use app::platform::state::AppState;
use app::platform::storage::disk::SignedQuery;
use app::platform::storage::{StorageError, StorageKey, attachment_disposition};
use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::{HeaderValue, StatusCode, header};
use tower::ServiceExt;
use tower_http::services::ServeFile;

fn refused(error: impl std::fmt::Display) -> Response {
    tracing::debug!(error = %error, "media request refused");
    AppError::Forbidden.into_response()
}

/// Serves a stored file to the holder of a valid signed URL.
pub async fn download(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Query(query): Query<SignedQuery>,
    request: Request,
) -> Response {
    let Some(disk) = state.disk.as_ref() else {
        return AppError::NotFound.into_response();
    };
    let Ok(key) = StorageKey::parse(&key) else {
        return refused("invalid key");
    };
    let signed = match disk.verify("GET", &key, &query) {
        Ok(signed) => signed,
        Err(e) => return refused(e),
    };
    let response = match ServeFile::new(disk.path_for(&key)).oneshot(request).await {
        Ok(response) => response.map(Body::new),
        Err(e) => return AppError::internal(e).into_response(),
    };
    if response.status() == StatusCode::NOT_FOUND {
        return AppError::NotFound.into_response();
    }
    let mut response = response;
    let headers = response.headers_mut();
    if !signed.content_type.is_empty()
        && let Ok(value) = HeaderValue::from_str(&signed.content_type)
    {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if !signed.file_name.is_empty()
        && let Ok(value) = HeaderValue::from_str(&attachment_disposition(&signed.file_name))
    {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    let remaining = (signed.expires - state.clock.now().timestamp()).clamp(0, 3600);
    if let Ok(value) = HeaderValue::from_str(&format!("private, max-age={remaining}")) {
        headers.insert(header::CACHE_CONTROL, value);
    }
    response
}

/// Accepts an upload to the holder of a valid signed PUT URL, up to the signed size.
pub async fn upload(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Query(query): Query<SignedQuery>,
    request: Request,
) -> Response {
    let Some(disk) = state.disk.as_ref() else {
        return AppError::NotFound.into_response();
    };
    let Ok(key) = StorageKey::parse(&key) else {
        return refused("invalid key");
    };
    let signed = match disk.verify("PUT", &key, &query) {
        Ok(signed) => signed,
        Err(e) => return refused(e),
    };
    let sent_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // A whole file's type is signed; a part's is not (the whole is checked when confirmed).
    if !signed.content_type.is_empty() && sent_type != signed.content_type {
        return AppError::UnsupportedMediaType.into_response();
    }
    let limit = usize::try_from(signed.max_bytes).unwrap_or(usize::MAX);
    let bytes: Bytes = match axum::body::to_bytes(request.into_body(), limit).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return AppError::PayloadTooLarge {
                limit: signed.max_bytes,
            }
            .into_response();
        }
    };
    let stored = if signed.part > 0 {
        disk.put_part(&signed.upload_id, signed.part, &bytes).await
    } else {
        state.storage.put(&key, bytes, &signed.content_type).await
    };
    match stored {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(StorageError::InvalidKey(_)) => refused("invalid key"),
        // The upload was finished or given up meanwhile.
        Err(StorageError::NotFound) => AppError::NotFound.into_response(),
        Err(e) => AppError::internal(e).into_response(),
    }
}
