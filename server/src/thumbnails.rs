//! `PUT /thumbnails/{item}`: the preview frame of an uploaded video, drawn by
//! the browser that uploaded it (our server cannot decode every codec). The
//! body must decode as an image within the pixel cap; what is stored is our
//! own JPEG re-encoding, never the bytes sent. Only someone who may change
//! the item may set it.

use app::assets::access::{Actor, find_item, require};
use app::assets::media;
use app::assets::view::Access;
use app::auth::current::RequestSession;
use app::auth::roles::Role;
use app::entities::media as media_entity;
use app::error::AppError;
use app::media::thumbnail::thumbnail_of_bytes;
use app::platform::state::AppState;
use axum::Extension;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::StatusCode;
use sea_orm::EntityTrait;

/// The largest preview frame accepted, in bytes.
pub const MAX_FRAME_BYTES: usize = 4 * 1024 * 1024;

/// Stores a video item's preview frame.
pub async fn put_thumbnail(
    State(state): State<AppState>,
    session: Option<Extension<RequestSession>>,
    Path(item_id): Path<String>,
    body: Body,
) -> Response {
    match accept(&state, session.map(|s| s.0), &item_id, body).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => error.into_response(),
    }
}

async fn accept(
    state: &AppState,
    session: Option<RequestSession>,
    item_id: &str,
    body: Body,
) -> Result<(), AppError> {
    let session = session.ok_or(AppError::Unauthorized)?;
    if session.user.role == Role::NewUser {
        return Err(AppError::Forbidden);
    }
    let actor = Actor::of(&session);
    let (item, _, _, access) = find_item(&state.db, &actor, item_id).await?;
    require(access, Access::Collaborator)?;
    if item.kind != "video" {
        return Err(AppError::invalid("file", "error-reason-not-a-video"));
    }
    // Reads at most one byte past the limit, so a lying or missing length is caught too.
    let bytes: Bytes = axum::body::to_bytes(body, MAX_FRAME_BYTES)
        .await
        .map_err(|_| AppError::PayloadTooLarge {
            limit: MAX_FRAME_BYTES as u64,
        })?;
    if bytes.is_empty() {
        return Err(AppError::invalid("file", "error-reason-empty-file"));
    }
    let jpeg = tokio::task::spawn_blocking(move || thumbnail_of_bytes(&bytes))
        .await
        .map_err(AppError::internal)?
        .map_err(|_| AppError::invalid("file", "error-reason-not-an-image"))?;
    let row = media_entity::Entity::find_by_id(item.media_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    media::attach_thumbnail(state, &row, jpeg).await?;
    tracing::info!(user.id = %actor.id, item.id = %item.id, "video preview stored");
    Ok(())
}
