//! The media service: stores bytes under the owner's prefix, keeps one `media`
//! row per object (with its thumbnail), hands out signed links, and deletes
//! media once nothing refers to it any more.

use std::time::Duration;

use bytes::Bytes;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect,
    Set, TransactionTrait,
};
use uuid::Uuid;

use super::access::{Actor, readable_collections};
use super::inspect::extension;
use super::thumbnail::{THUMBNAIL_TYPE, thumbnail_of_bytes};
use super::view::MediaView;
use crate::entities::{generation_job, item, media, upload};
use crate::platform::state::AppState;
use crate::platform::storage::{DownloadOptions, StorageError, StorageKey};

/// How long a signed media link works.
pub const LINK_TTL: Duration = Duration::from_secs(6 * 3600);

/// Where a media row came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaSource {
    Upload,
    Generation,
}

impl MediaSource {
    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaSource::Upload => "upload",
            MediaSource::Generation => "generation",
        }
    }
}

/// Width, height and length when known.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Dimensions {
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub duration_ms: Option<u64>,
}

/// Why media could not be stored or read.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("storage: {0}")]
    Storage(#[from] StorageError),
    #[error("database: {0}")]
    Db(#[from] DbErr),
}

impl From<MediaError> for crate::error::AppError {
    fn from(e: MediaError) -> Self {
        crate::error::AppError::internal(e)
    }
}

/// Stores `bytes` for `owner` and records it. Image dimensions are read from
/// the bytes (PNG, JPEG, WebP) when `dims` does not give them.
pub async fn store(
    state: &AppState,
    owner: Uuid,
    bytes: Bytes,
    content_type: &str,
    source: MediaSource,
    dims: Dimensions,
) -> Result<media::Model, MediaError> {
    let id = Uuid::now_v7();
    let key = StorageKey::parse(&format!(
        "u/{}/{}.{}",
        owner.simple(),
        id.simple(),
        extension(content_type)
    ))?;
    let sniffed = image_dimensions(&bytes);
    let width = dims.width.or(sniffed.map(|d| d.0));
    let height = dims.height.or(sniffed.map(|d| d.1));
    let size = bytes.len() as i64;
    state.storage.put(&key, bytes, content_type).await?;
    let row = media::ActiveModel {
        id: Set(id),
        owner_id: Set(owner),
        storage_key: Set(key.as_str().to_string()),
        content_type: Set(content_type.to_string()),
        size_bytes: Set(size),
        width: Set(width.map(|w| w as i32)),
        height: Set(height.map(|h| h as i32)),
        duration_ms: Set(dims.duration_ms.map(|d| d as i64)),
        source: Set(source.as_str().to_string()),
        thumbnail_key: Set(None),
        created_at: Set(state.clock.now()),
    }
    .insert(&state.db)
    .await;
    match row {
        Ok(row) => Ok(row),
        Err(e) => {
            // No row, no object: do not leave bytes nobody can find.
            let _ = state.storage.delete(&key).await;
            Err(e.into())
        }
    }
}

/// Records an object that is already in storage (a confirmed upload).
pub async fn register(
    db: &impl ConnectionTrait,
    owner: Uuid,
    key: &StorageKey,
    content_type: &str,
    size: u64,
    dims: Dimensions,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<media::Model, DbErr> {
    media::ActiveModel {
        id: Set(Uuid::now_v7()),
        owner_id: Set(owner),
        storage_key: Set(key.as_str().to_string()),
        content_type: Set(content_type.to_string()),
        size_bytes: Set(i64::try_from(size).unwrap_or(i64::MAX)),
        width: Set(dims.width.map(|w| w as i32)),
        height: Set(dims.height.map(|h| h as i32)),
        duration_ms: Set(dims.duration_ms.map(|d| d as i64)),
        source: Set(MediaSource::Upload.as_str().to_string()),
        thumbnail_key: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await
}

/// Stores `jpeg` as the thumbnail of `row` (replacing an older one).
pub async fn attach_thumbnail(
    state: &AppState,
    row: &media::Model,
    jpeg: Vec<u8>,
) -> Result<media::Model, MediaError> {
    let key = StorageKey::parse(&format!(
        "u/{}/{}.thumb.jpg",
        row.owner_id.simple(),
        row.id.simple()
    ))?;
    state
        .storage
        .put(&key, Bytes::from(jpeg), THUMBNAIL_TYPE)
        .await?;
    let mut update: media::ActiveModel = row.clone().into();
    update.thumbnail_key = Set(Some(key.as_str().to_string()));
    Ok(update.update(&state.db).await?)
}

/// Makes the thumbnail of `row` from an encoded image (its own bytes, or a
/// video's first frame). A failure is logged, not raised: the media stays
/// usable without a preview.
pub async fn thumbnail_from_image(
    state: &AppState,
    row: media::Model,
    image: Bytes,
) -> media::Model {
    let made = tokio::task::spawn_blocking(move || thumbnail_of_bytes(&image)).await;
    let jpeg = match made {
        Ok(Ok(jpeg)) => jpeg,
        Ok(Err(e)) => {
            tracing::warn!(media.id = %row.id, error = %e, "no thumbnail: the image could not be read");
            return row;
        }
        Err(e) => {
            tracing::warn!(media.id = %row.id, error = %e, "no thumbnail: the task failed");
            return row;
        }
    };
    match attach_thumbnail(state, &row, jpeg).await {
        Ok(updated) => updated,
        Err(e) => {
            tracing::warn!(media.id = %row.id, error = %e, "no thumbnail: it could not be stored");
            row
        }
    }
}

/// Gives `row` the preview of the image `source` (a clip's start frame is its
/// first frame): a copy of that image's thumbnail, or one made from it.
pub async fn thumbnail_from_media(
    state: &AppState,
    row: media::Model,
    source: &media::Model,
) -> media::Model {
    let existing = match source.thumbnail_key.as_deref().map(StorageKey::parse) {
        Some(Ok(key)) => state.storage.get(&key).await.ok(),
        _ => None,
    };
    if let Some(jpeg) = existing {
        return match attach_thumbnail(state, &row, jpeg.to_vec()).await {
            Ok(updated) => updated,
            Err(e) => {
                tracing::warn!(media.id = %row.id, error = %e, "no thumbnail: it could not be stored");
                row
            }
        };
    }
    match load(state, source).await {
        Ok(image) => thumbnail_from_image(state, row, image).await,
        Err(e) => {
            tracing::warn!(media.id = %row.id, error = %e, "no thumbnail: the source image could not be read");
            row
        }
    }
}

/// Removes a media row and its bytes (a result that lost a completion race).
pub async fn remove(state: &AppState, row: &media::Model) -> Result<(), MediaError> {
    media::Entity::delete_by_id(row.id).exec(&state.db).await?;
    delete_objects(state, row).await
}

async fn delete_objects(state: &AppState, row: &media::Model) -> Result<(), MediaError> {
    for key in std::iter::once(&row.storage_key).chain(row.thumbnail_key.as_ref()) {
        if let Ok(key) = StorageKey::parse(key) {
            state.storage.delete(&key).await?;
        }
    }
    Ok(())
}

/// The bytes of a media row.
pub async fn load(state: &AppState, row: &media::Model) -> Result<Bytes, MediaError> {
    let key = StorageKey::parse(&row.storage_key)?;
    Ok(state.storage.get(&key).await?)
}

/// The media `id` when the actor may see it: their own, or held by an item
/// in a collection they may see.
pub async fn readable(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<Option<media::Model>, DbErr> {
    let Some(row) = media::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    if row.owner_id == actor.id {
        return Ok(Some(row));
    }
    let held = item::Entity::find()
        .filter(item::Column::MediaId.eq(id))
        .filter(item::Column::CollectionId.in_subquery(readable_collections(actor)))
        .one(db)
        .await?
        .is_some();
    Ok(held.then_some(row))
}

/// Bytes the owner keeps: their media, plus uploads in progress that have not expired.
pub async fn used_bytes(
    db: &impl ConnectionTrait,
    owner: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<u64, DbErr> {
    let stored: Option<i64> = media::Entity::find()
        .select_only()
        // PostgreSQL sums BIGINTs as NUMERIC.
        .column_as(Expr::cust("CAST(SUM(size_bytes) AS BIGINT)"), "total")
        .filter(media::Column::OwnerId.eq(owner))
        .into_tuple::<Option<i64>>()
        .one(db)
        .await?
        .flatten();
    let reserved: Option<i64> = upload::Entity::find()
        .select_only()
        .column_as(Expr::cust("CAST(SUM(size_bytes) AS BIGINT)"), "total")
        .filter(upload::Column::OwnerId.eq(owner))
        .filter(upload::Column::Status.is_in(["pending", "confirming"]))
        .filter(upload::Column::ExpiresAt.gt(now))
        .into_tuple::<Option<i64>>()
        .one(db)
        .await?
        .flatten();
    Ok(u64::try_from(stored.unwrap_or(0)).unwrap_or(0)
        + u64::try_from(reserved.unwrap_or(0)).unwrap_or(0))
}

/// Deletes each of these media (row, bytes, thumbnail) that nothing refers to
/// any more: no item holds it and no unfinished generation uses it. Finished
/// generations that showed it forget it.
pub async fn release(state: &AppState, ids: &[Uuid]) -> Result<(), MediaError> {
    use generation_job::Column as Job;
    let active = ["queued", "running"];
    for &id in ids {
        let Some(row) = media::Entity::find_by_id(id).one(&state.db).await? else {
            continue;
        };
        let txn = state.db.begin().await?;
        let held = item::Entity::find()
            .filter(item::Column::MediaId.eq(id))
            .one(&txn)
            .await?
            .is_some();
        let in_use = generation_job::Entity::find()
            .filter(Job::Status.is_in(active))
            .filter(
                sea_orm::Condition::any()
                    .add(Job::StartMediaId.eq(id))
                    .add(Job::EndMediaId.eq(id)),
            )
            .one(&txn)
            .await?
            .is_some();
        if held || in_use {
            txn.rollback().await?;
            continue;
        }
        for column in [
            Job::StartMediaId,
            Job::EndMediaId,
            Job::ResultMediaId,
            Job::ThumbnailMediaId,
        ] {
            let forget = Query::update()
                .table(generation_job::Entity)
                .value(column, Option::<Uuid>::None)
                .and_where(Expr::col(column).eq(id))
                .to_owned();
            txn.execute(&forget).await?;
        }
        // Only if no item took it meanwhile (its foreign key would refuse the delete anyway).
        let delete = Query::delete()
            .from_table(media::Entity)
            .and_where(Expr::col(media::Column::Id).eq(id))
            .and_where(
                Expr::col(media::Column::Id).not_in_subquery(
                    Query::select()
                        .column(item::Column::MediaId)
                        .from(item::Entity)
                        .to_owned(),
                ),
            )
            .to_owned();
        if txn.execute(&delete).await?.rows_affected() == 1 {
            txn.commit().await?;
            delete_objects(state, &row).await?;
        } else {
            txn.rollback().await?;
        }
    }
    Ok(())
}

/// A signed link to a media row: inline, or as a download named `file_name`.
pub async fn signed_url(
    state: &AppState,
    row: &media::Model,
    file_name: Option<String>,
) -> Result<String, MediaError> {
    let key = StorageKey::parse(&row.storage_key)?;
    let options = DownloadOptions {
        content_type: Some(row.content_type.clone()),
        file_name,
    };
    Ok(state
        .storage
        .signed_get_url(&key, LINK_TTL, &options)
        .await?)
}

/// A download name for media: `name` (or `framewright-<id>`) with the
/// media's extension.
pub fn download_name(row: &media::Model, name: Option<&str>) -> String {
    let ext = extension(&row.content_type);
    let base = name
        .map(|n| {
            let n = n.trim();
            n.strip_suffix(&format!(".{ext}")).unwrap_or(n).trim()
        })
        .filter(|n| !n.is_empty())
        .map(|n| n.chars().take(120).collect::<String>())
        .unwrap_or_else(|| format!("framewright-{}", &row.id.simple().to_string()[..12]));
    format!("{base}.{ext}")
}

/// The browser's view of a media row; downloads are named `name`.
pub async fn view_named(
    state: &AppState,
    row: &media::Model,
    name: Option<&str>,
) -> Result<MediaView, MediaError> {
    let thumbnail_url = match row.thumbnail_key.as_deref().map(StorageKey::parse) {
        Some(Ok(key)) => Some(
            state
                .storage
                .signed_get_url(
                    &key,
                    LINK_TTL,
                    &DownloadOptions {
                        content_type: Some(THUMBNAIL_TYPE.into()),
                        file_name: None,
                    },
                )
                .await?,
        ),
        _ => None,
    };
    Ok(MediaView {
        id: row.id.to_string(),
        url: signed_url(state, row, None).await?,
        download_url: signed_url(state, row, Some(download_name(row, name))).await?,
        thumbnail_url,
        content_type: row.content_type.clone(),
        size_bytes: u64::try_from(row.size_bytes).unwrap_or(0),
        width: row.width.and_then(|w| u32::try_from(w).ok()),
        height: row.height.and_then(|h| u32::try_from(h).ok()),
        duration_ms: row.duration_ms.and_then(|d| u64::try_from(d).ok()),
    })
}

/// The browser's view of a media row.
pub async fn view(state: &AppState, row: &media::Model) -> Result<MediaView, MediaError> {
    view_named(state, row, None).await
}

/// Width and height of a PNG, JPEG, WebP or GIF image, read from its header.
pub fn image_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    if let Some(size) = super::inspect::gif_dimensions(bytes) {
        return Some(size);
    }
    let be32 = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    let le16 = |b: &[u8]| u32::from(u16::from_le_bytes([b[0], b[1]]));
    if bytes.len() >= 24 && bytes.starts_with(b"\x89PNG\r\n\x1a\n") && &bytes[12..16] == b"IHDR" {
        return Some((be32(&bytes[16..20]), be32(&bytes[20..24])));
    }
    if bytes.len() >= 30 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        let chunk = &bytes[12..16];
        let data = &bytes[20..];
        return match chunk {
            b"VP8 " if data.len() >= 10 => {
                Some((le16(&data[6..8]) & 0x3fff, le16(&data[8..10]) & 0x3fff))
            }
            b"VP8L" if data.len() >= 5 => {
                let bits = u32::from_le_bytes([data[1], data[2], data[3], data[4]]);
                Some(((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1))
            }
            b"VP8X" if data.len() >= 10 => {
                let w = u32::from_le_bytes([data[4], data[5], data[6], 0]) + 1;
                let h = u32::from_le_bytes([data[7], data[8], data[9], 0]) + 1;
                Some((w, h))
            }
            _ => None,
        };
    }
    if bytes.starts_with(&[0xff, 0xd8]) {
        let mut i = 2;
        while i + 9 < bytes.len() {
            if bytes[i] != 0xff {
                return None;
            }
            let marker = bytes[i + 1];
            if marker == 0xff {
                i += 1;
                continue;
            }
            let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
            // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the size.
            if (0xc0..=0xcf).contains(&marker) && !matches!(marker, 0xc4 | 0xc8 | 0xcc) {
                let h = u32::from(u16::from_be_bytes([bytes[i + 5], bytes[i + 6]]));
                let w = u32::from(u16::from_be_bytes([bytes[i + 7], bytes[i + 8]]));
                return Some((w, h));
            }
            i += 2 + len;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{download_name, image_dimensions};
    use crate::entities::media;

    #[test]
    fn downloads_are_named_after_the_item() {
        let row = media::Model {
            id: uuid::Uuid::nil(),
            owner_id: uuid::Uuid::nil(),
            storage_key: "u/0/0.png".into(),
            content_type: "image/png".into(),
            size_bytes: 1,
            width: None,
            height: None,
            duration_ms: None,
            source: "upload".into(),
            thumbnail_key: None,
            created_at: chrono::Utc::now(),
        };
        assert_eq!(
            download_name(&row, Some("Harbour at dawn")),
            "Harbour at dawn.png"
        );
        assert_eq!(download_name(&row, Some("sunset.png")), "sunset.png");
        assert_eq!(
            download_name(&row, Some("  ")),
            "framewright-000000000000.png"
        );
        assert_eq!(download_name(&row, None), "framewright-000000000000.png");
    }

    #[test]
    fn reads_png_and_jpeg_sizes() {
        let png = crate::generation::local::render_image(
            "a red fox",
            "16:9",
            crate::generation::local::SizeClass::Small,
        )
        .unwrap();
        let (w, h) = image_dimensions(&png).unwrap();
        assert!(w > h, "{w}x{h}");
        let mut jpeg = vec![0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00];
        jpeg.extend([0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0x2c, 0x02, 0x58, 0x03]);
        assert_eq!(image_dimensions(&jpeg), Some((600, 300)));
        assert_eq!(image_dimensions(b"not an image at all, clearly"), None);
    }
}
