//! The signed media route for disk storage: `GET /media/{key}?exp&sig…` serves a
//! file (with range requests), `PUT` accepts an upload or one part of it. A
//! missing, tampered or expired signature is refused with 403.

use app::error::AppError;
use app::platform::state::AppState;
use app::platform::storage::disk::SignedQuery;
use app::platform::storage::{StorageError, StorageKey, attachment_disposition};
use axum::body::Body;
use std::sync::Arc;

use app::platform::storage::SignedRequest;
use app::platform::storage::disk::DiskStorage;
use axum::extract::{FromRequestParts, Path, Query, Request, State};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::Method;
use http::request::Parts;
use http::{HeaderValue, StatusCode, header};
use tower::ServiceExt;
use tower_http::services::ServeFile;

fn refused(error: impl std::fmt::Display) -> Response {
    tracing::debug!(error = %error, "media request refused");
    AppError::Forbidden.into_response()
}

/// A request on the media route whose signature holds for its key and method
/// (HEAD is checked as GET); anything else is answered before the handler runs.
pub struct SignedMedia {
    disk: Arc<DiskStorage>,
    key: StorageKey,
    signed: SignedRequest,
}

impl FromRequestParts<AppState> for SignedMedia {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Some(disk) = state.disk.clone() else {
            return Err(AppError::NotFound.into_response());
        };
        let Path(key) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Query(query) = Query::<SignedQuery>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let key = StorageKey::parse(&key).map_err(|_| refused("invalid key"))?;
        let method = if parts.method == Method::HEAD {
            "GET"
        } else {
            parts.method.as_str()
        };
        let signed = disk.verify(method, &key, &query).map_err(refused)?;
        Ok(SignedMedia { disk, key, signed })
    }
}

/// Serves a stored file to the holder of a valid signed URL.
pub async fn download(
    State(state): State<AppState>,
    SignedMedia { disk, key, signed }: SignedMedia,
    request: Request,
) -> Response {
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

/// Whether `key` belongs to an upload slot that still takes bytes.
async fn open_slot(state: &AppState, key: &StorageKey) -> Result<bool, AppError> {
    use app::assets::uploads::slots::status;
    use app::entities::upload;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let slot = upload::Entity::find()
        .filter(upload::Column::StorageKey.eq(key.as_str()))
        .one(&state.db)
        .await?;
    Ok(slot.is_some_and(|s| s.status == status::PENDING && s.expires_at > state.clock.now()))
}

/// Accepts an upload to the holder of a valid signed PUT URL, up to the signed size.
pub async fn upload(
    State(state): State<AppState>,
    SignedMedia { disk, key, signed }: SignedMedia,
    request: Request,
) -> Response {
    // Only an open slot takes bytes: once confirmed (or given up), the URL is dead.
    match open_slot(&state, &key).await {
        Ok(true) => {}
        Ok(false) => {
            return AppError::Conflict {
                what: "upload_closed".into(),
            }
            .into_response();
        }
        Err(e) => return e.into_response(),
    }
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
