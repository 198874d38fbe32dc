//! Uploads in three steps. The browser asks for a slot (name, type, size,
//! collection); the server checks the type, the size limit and the quota and
//! answers with signed URLs; the browser PUTs the bytes straight to storage
//! (S3, or our signed media route on disk), in parts when the file is large,
//! and can resume after a failure; then it confirms, and only after the
//! server has checked the bytes (size, magic bytes, pixels, container) are
//! the media and the item created.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::view::{ItemView, UploadTicket};
use crate::error::AppError;

/// Where a browser sends the preview frame of an uploaded video: `PUT
/// /thumbnails/<item id>` with a JPEG, PNG or WebP body (see the server's
/// `thumbnails.rs`).
pub const THUMBNAIL_ROUTE: &str = "/thumbnails/";

/// Reserves a slot for a file and returns where to send it.
#[server(prefix = "/api", endpoint = "uploads/start", input = Json)]
pub async fn start_upload(
    file_name: String,
    content_type: String,
    size: u64,
    collection_id: Option<String>,
) -> Result<UploadTicket, AppError> {
    use super::ssr::context;
    let (state, actor) = context()?;
    slots::start(
        &state,
        &actor,
        slots::SlotRequest {
            file_name,
            content_type,
            size,
            collection_id,
        },
    )
    .await
}

/// An upload's state: the parts already received and fresh URLs for the rest.
#[server(prefix = "/api", endpoint = "uploads/status", input = Json)]
pub async fn upload_status(upload_id: String) -> Result<UploadTicket, AppError> {
    use super::ssr::context;
    let (state, actor) = context()?;
    let row = slots::find_own(&state, &actor, &upload_id).await?;
    slots::ticket(&state, &row).await
}

/// Checks the uploaded bytes and, when they are what was declared, creates
/// the media and the item. Confirming again returns the same item.
#[server(prefix = "/api", endpoint = "uploads/complete", input = Json)]
pub async fn complete_upload(upload_id: String) -> Result<ItemView, AppError> {
    use super::ssr::context;
    let (state, actor) = context()?;
    let row = slots::find_own(&state, &actor, &upload_id).await?;
    confirm::complete(&state, &actor, row).await
}

/// Gives up an upload and deletes what was sent.
#[server(prefix = "/api", endpoint = "uploads/abort", input = Json)]
pub async fn abort_upload(upload_id: String) -> Result<(), AppError> {
    use super::ssr::context;
    let (state, actor) = context()?;
    let row = slots::find_own(&state, &actor, &upload_id).await?;
    slots::abort(&state, &row).await
}

#[cfg(feature = "hydrate")]
pub mod browser;
#[cfg(feature = "ssr")]
pub mod confirm;
pub mod picker;
#[cfg(feature = "ssr")]
pub mod slots;
#[cfg(feature = "hydrate")]
pub mod video_preview;
