//! Confirming an upload: join its parts, then check what arrived before
//! anything is recorded. The size must be the declared one, the magic bytes
//! must prove the declared type, an image must decode within the pixel cap
//! (no decompression bombs) and a video's container must be readable. Bytes
//! that fail are deleted; an upload that is merely incomplete stays open so
//! the browser can resume it.

use bytes::Bytes;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, EntityTrait, TransactionTrait};
use uuid::Uuid;

use super::super::access::Actor;
use super::super::media::{self, Dimensions};
use super::super::presenter::item_views;
use super::super::rows::{NewItem, insert_item, name_from, writable_or_inbox};
use super::super::view::ItemView;
use super::slots::{self, key_of, received_parts, status};
use crate::entities::{item, upload};
use crate::error::AppError;
use crate::media::container::{self, ContainerInfo, mp4_box_header};
use crate::media::decode::{MAX_PIXELS, MAX_SIDE};
use crate::media::image_dimensions;
use crate::media::thumbnail::thumbnail_of;
use crate::media::types::{self, MediaKind, MediaType};
use crate::media::{RgbImage, decode_image};
use crate::platform::state::AppState;
use crate::platform::storage::StorageKey;

/// Bytes read from the start of a file to prove its type.
const HEAD_BYTES: u64 = 64 * 1024;
/// Bytes read from the start of a WebM file for its header and tracks.
const WEBM_HEAD_BYTES: u64 = 1024 * 1024;
/// The largest `moov` box read from an MP4 or MOV.
const MAX_MOOV_BYTES: u64 = 64 * 1024 * 1024;
/// Top-level boxes walked looking for `moov`.
const MAX_BOXES: usize = 1000;
/// A confirmation that stopped half-way may be taken over after this long.
const STALE_CONFIRM_MINUTES: i64 = 10;

/// Why a confirmation did not go through.
enum Refusal {
    /// Not all bytes are there yet: the upload stays open for a resume.
    Incomplete(AppError),
    /// The bytes are not acceptable: they are deleted and the upload fails.
    Rejected(AppError),
    /// Our side failed: the upload stays open to try again.
    Failed(AppError),
}

impl From<sea_orm::DbErr> for Refusal {
    fn from(e: sea_orm::DbErr) -> Self {
        Refusal::Failed(e.into())
    }
}

fn internal(e: impl std::fmt::Display) -> Refusal {
    Refusal::Failed(AppError::internal(e))
}

fn invalid(reason: &str) -> Refusal {
    Refusal::Rejected(AppError::invalid("file", reason))
}

/// Confirms an upload and returns its item (the same item when confirmed again).
pub async fn complete(
    state: &AppState,
    actor: &Actor,
    row: upload::Model,
) -> Result<ItemView, AppError> {
    if row.status == status::COMPLETED {
        return completed_item(state, actor, &row).await;
    }
    let now = state.clock.now();
    if row.status != status::PENDING && row.status != status::CONFIRMING {
        return Err(AppError::Conflict {
            what: "upload_closed".into(),
        });
    }
    if row.expires_at <= now {
        return Err(AppError::Conflict {
            what: "upload_expired".into(),
        });
    }
    // Claim it: two confirmations of one upload must not both create media.
    let stale = now - chrono::Duration::minutes(STALE_CONFIRM_MINUTES);
    let claim = Query::update()
        .table(upload::Entity)
        .value(upload::Column::Status, status::CONFIRMING)
        .value(upload::Column::UpdatedAt, now)
        .and_where(Expr::col(upload::Column::Id).eq(row.id))
        .cond_where(
            sea_orm::Condition::any()
                .add(Expr::col(upload::Column::Status).eq(status::PENDING))
                .add(
                    sea_orm::Condition::all()
                        .add(Expr::col(upload::Column::Status).eq(status::CONFIRMING))
                        .add(Expr::col(upload::Column::UpdatedAt).lt(stale)),
                ),
        )
        .to_owned();
    if state.db.execute(&claim).await?.rows_affected() == 0 {
        return Err(AppError::Conflict {
            what: "upload_busy".into(),
        });
    }
    match check_and_record(state, actor, &row).await {
        Ok(item) => item_views(state, actor, &[item])
            .await?
            .pop()
            .ok_or(AppError::NotFound),
        Err(Refusal::Incomplete(e) | Refusal::Failed(e)) => {
            set_status(state, row.id, status::PENDING, None).await?;
            Err(e)
        }
        Err(Refusal::Rejected(e)) => {
            tracing::info!(upload.id = %row.id, error = %e, "upload refused");
            slots::discard_bytes(state, &row).await;
            set_status(state, row.id, status::FAILED, Some(e.code())).await?;
            Err(e)
        }
    }
}

async fn set_status(
    state: &AppState,
    id: Uuid,
    to: &str,
    error: Option<&str>,
) -> Result<(), AppError> {
    let update = Query::update()
        .table(upload::Entity)
        .value(upload::Column::Status, to)
        .value(upload::Column::Error, error)
        .value(upload::Column::UpdatedAt, state.clock.now())
        .and_where(Expr::col(upload::Column::Id).eq(id))
        .to_owned();
    state.db.execute(&update).await?;
    Ok(())
}

async fn completed_item(
    state: &AppState,
    actor: &Actor,
    row: &upload::Model,
) -> Result<ItemView, AppError> {
    let Some(id) = row.item_id else {
        return Err(AppError::NotFound);
    };
    let item = item::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    item_views(state, actor, &[item])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// Joins the parts, checks the bytes, and records media and item.
async fn check_and_record(
    state: &AppState,
    actor: &Actor,
    row: &upload::Model,
) -> Result<item::Model, Refusal> {
    let key = key_of(row).map_err(Refusal::Failed)?;
    let declared = types::by_mime(&row.content_type)
        .ok_or_else(|| internal("an upload of an unknown type"))?;
    let size = row.size();
    if let Some(upload_id) = &row.multipart_id {
        let (done, listed) = received_parts(state, row).await.map_err(Refusal::Failed)?;
        let expected = slots::part_sizes(size, row.part_bytes()).len();
        if done.len() < expected {
            return Err(Refusal::Incomplete(AppError::invalid(
                "file",
                "error-reason-upload-incomplete",
            )));
        }
        let parts: Vec<_> = listed
            .into_iter()
            .filter(|p| p.number as usize <= expected)
            .collect();
        state
            .storage
            .finish_multipart(&key, upload_id, &parts)
            .await
            .map_err(internal)?;
    }
    // Move what was sent out of reach of the upload URLs before checking it:
    // what is checked is what the media will be. A retried confirmation finds
    // it moved already.
    let staged = key;
    let key = slots::final_key_of(row).map_err(Refusal::Failed)?;
    if staged != key
        && state
            .storage
            .head(&staged)
            .await
            .map_err(internal)?
            .is_some()
    {
        state
            .storage
            .promote(&staged, &key)
            .await
            .map_err(internal)?;
    }
    let stored = state.storage.head(&key).await.map_err(internal)?;
    match stored.map(|o| o.size) {
        None => {
            return Err(Refusal::Incomplete(AppError::invalid(
                "file",
                "error-reason-upload-incomplete",
            )));
        }
        Some(0) => return Err(invalid("error-reason-empty-file")),
        Some(n) if n > size => {
            return Err(Refusal::Rejected(AppError::PayloadTooLarge { limit: size }));
        }
        Some(n) if n < size => {
            return Err(Refusal::Incomplete(AppError::invalid(
                "file",
                "error-reason-upload-incomplete",
            )));
        }
        Some(_) => {}
    }
    let head = state
        .storage
        .get_range(&key, 0, HEAD_BYTES)
        .await
        .map_err(internal)?;
    let actual = types::sniff(&head).ok_or(Refusal::Rejected(AppError::UnsupportedMediaType))?;
    if actual.mime != declared.mime {
        return Err(Refusal::Rejected(AppError::UnsupportedMediaType));
    }
    let (dims, thumbnail) = match declared.kind {
        MediaKind::Image => {
            let bytes = state.storage.get(&key).await.map_err(internal)?;
            let image = decode_checked(bytes).await?;
            let dims = Dimensions {
                width: Some(image.width()),
                height: Some(image.height()),
                ..Dimensions::default()
            };
            let thumb = tokio::task::spawn_blocking(move || thumbnail_of(&image))
                .await
                .map_err(internal)?
                .ok();
            (dims, thumb)
        }
        MediaKind::Video | MediaKind::Audio => {
            let info = container_info(state, &key, declared, size, &head).await?;
            (Dimensions::from(info), None)
        }
    };
    let (item, media) = record(state, actor, row, &key, declared, size, dims).await?;
    if let Some(jpeg) = thumbnail
        && let Err(e) = media::attach_thumbnail(state, &media, jpeg).await
    {
        tracing::warn!(media.id = %media.id, error = %e, "the thumbnail could not be stored");
    }
    Ok(item)
}

/// Decodes an image on a blocking thread, refusing one whose header claims
/// more pixels than allowed before any are allocated.
async fn decode_checked(bytes: Bytes) -> Result<RgbImage, Refusal> {
    if let Some((w, h)) = image_dimensions(&bytes)
        && (w > MAX_SIDE || h > MAX_SIDE || u64::from(w) * u64::from(h) > MAX_PIXELS)
    {
        return Err(invalid("error-reason-too-many-pixels"));
    }
    tokio::task::spawn_blocking(move || decode_image(&bytes))
        .await
        .map_err(internal)?
        .map_err(|_| invalid("error-reason-not-an-image"))
}

/// Reads a video's or sound's container for its size and duration.
async fn container_info(
    state: &AppState,
    key: &StorageKey,
    kind: &MediaType,
    size: u64,
    head: &[u8],
) -> Result<ContainerInfo, Refusal> {
    let not_readable = || {
        invalid(if kind.kind == MediaKind::Video {
            "error-reason-not-a-video"
        } else {
            "error-reason-not-audio"
        })
    };
    match kind.mime {
        "video/mp4" | "video/quicktime" | "audio/mp4" => {
            let moov = find_moov(state, key, size)
                .await?
                .ok_or_else(not_readable)?;
            container::mp4_moov_info(&moov).map_err(|_| not_readable())
        }
        "video/webm" => {
            let start = if size as usize > head.len() && (head.len() as u64) < WEBM_HEAD_BYTES {
                state
                    .storage
                    .get_range(key, 0, WEBM_HEAD_BYTES)
                    .await
                    .map_err(internal)?
                    .to_vec()
            } else {
                head.to_vec()
            };
            container::webm_info(&start).map_err(|_| not_readable())
        }
        // MP3, AAC and WAV: the magic bytes are the check; no picture, no duration needed.
        _ => Ok(ContainerInfo::default()),
    }
}

/// Walks the top-level boxes of an MP4 or MOV (reading only their headers)
/// to the `moov` box and returns its payload.
async fn find_moov(
    state: &AppState,
    key: &StorageKey,
    size: u64,
) -> Result<Option<Vec<u8>>, Refusal> {
    let mut offset = 0u64;
    for _ in 0..MAX_BOXES {
        if offset + 8 > size {
            return Ok(None);
        }
        let header = state
            .storage
            .get_range(key, offset, 16)
            .await
            .map_err(internal)?;
        let Some((kind, start, box_size)) = mp4_box_header(&header) else {
            return Ok(None);
        };
        let box_size = box_size.unwrap_or(size - offset);
        if &kind == b"moov" {
            let len = box_size.saturating_sub(start);
            if len > MAX_MOOV_BYTES || offset + box_size > size {
                return Ok(None);
            }
            let payload = state
                .storage
                .get_range(key, offset + start, len)
                .await
                .map_err(internal)?;
            return Ok(Some(payload.to_vec()));
        }
        offset = offset.saturating_add(box_size);
    }
    Ok(None)
}

/// Creates the media row (for the bytes already in place) and the item, and
/// marks the upload completed, in one transaction.
async fn record(
    state: &AppState,
    actor: &Actor,
    row: &upload::Model,
    key: &StorageKey,
    kind: &MediaType,
    size: u64,
    dims: Dimensions,
) -> Result<(item::Model, crate::entities::media::Model), Refusal> {
    let collection_id = writable_or_inbox(state, actor, row.collection_id).await?;
    let now = state.clock.now();
    let stem = row
        .file_name
        .rsplit_once('.')
        .map_or(row.file_name.as_str(), |(stem, _)| stem);
    let txn = state.db.begin().await?;
    let media = media::register(&txn, actor.id, key, kind.mime, size, dims, now).await?;
    let item = insert_item(
        &txn,
        NewItem {
            collection_id,
            media_id: media.id,
            name: name_from(stem, &row.file_name),
            kind: kind.kind.as_str().to_string(),
            created_by: actor.id,
            ..NewItem::default()
        },
        now,
    )
    .await?;
    let done = Query::update()
        .table(upload::Entity)
        .value(upload::Column::Status, status::COMPLETED)
        .value(upload::Column::ItemId, item.id)
        .value(upload::Column::Error, Option::<String>::None)
        .value(upload::Column::UpdatedAt, now)
        .and_where(Expr::col(upload::Column::Id).eq(row.id))
        .to_owned();
    txn.execute(&done).await?;
    txn.commit().await?;
    tracing::info!(user.id = %actor.id, upload.id = %row.id, item.id = %item.id, media.id = %media.id, content_type = kind.mime, size, "upload confirmed");
    Ok((item, media))
}
