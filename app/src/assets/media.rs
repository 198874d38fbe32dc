//! The media service: stores bytes under the owner's prefix, keeps one `media`
//! row per object, and hands out signed links.

use std::time::Duration;

use bytes::Bytes;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use super::view::MediaView;
use crate::entities::media;
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

/// The file extension for a content type.
fn extension(content_type: &str) -> &'static str {
    match content_type {
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/webp" => "webp",
        "image/gif" => "gif",
        "video/webm" => "webm",
        "video/mp4" => "mp4",
        "video/quicktime" => "mov",
        _ => "bin",
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

/// Removes a media row and its bytes (a result that lost a completion race).
pub async fn remove(state: &AppState, row: &media::Model) -> Result<(), MediaError> {
    media::Entity::delete_by_id(row.id).exec(&state.db).await?;
    if let Ok(key) = StorageKey::parse(&row.storage_key) {
        state.storage.delete(&key).await?;
    }
    Ok(())
}

/// The bytes of a media row.
pub async fn load(state: &AppState, row: &media::Model) -> Result<Bytes, MediaError> {
    let key = StorageKey::parse(&row.storage_key)?;
    Ok(state.storage.get(&key).await?)
}

/// The media `id` when it belongs to `owner` (strangers learn nothing).
pub async fn owned(
    db: &impl ConnectionTrait,
    owner: Uuid,
    id: Uuid,
) -> Result<Option<media::Model>, DbErr> {
    media::Entity::find_by_id(id)
        .filter(media::Column::OwnerId.eq(owner))
        .one(db)
        .await
}

/// The owner's images, newest first (at most `limit`).
pub async fn images_of(
    db: &impl ConnectionTrait,
    owner: Uuid,
    limit: u64,
) -> Result<Vec<media::Model>, DbErr> {
    media::Entity::find()
        .filter(media::Column::OwnerId.eq(owner))
        .filter(media::Column::ContentType.starts_with("image/"))
        .order_by_desc(media::Column::CreatedAt)
        .order_by_desc(media::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// A signed link to a media row: inline, or as a download with a file name.
pub async fn signed_url(
    state: &AppState,
    row: &media::Model,
    download: bool,
) -> Result<String, MediaError> {
    let key = StorageKey::parse(&row.storage_key)?;
    let options = DownloadOptions {
        content_type: Some(row.content_type.clone()),
        file_name: download.then(|| {
            format!(
                "framewright-{}.{}",
                &row.id.simple().to_string()[..12],
                extension(&row.content_type)
            )
        }),
    };
    Ok(state
        .storage
        .signed_get_url(&key, LINK_TTL, &options)
        .await?)
}

/// The browser's view of a media row.
pub async fn view(state: &AppState, row: &media::Model) -> Result<MediaView, MediaError> {
    Ok(MediaView {
        id: row.id.to_string(),
        url: signed_url(state, row, false).await?,
        download_url: signed_url(state, row, true).await?,
        content_type: row.content_type.clone(),
        width: row.width.and_then(|w| u32::try_from(w).ok()),
        height: row.height.and_then(|h| u32::try_from(h).ok()),
        duration_ms: row.duration_ms.and_then(|d| u64::try_from(d).ok()),
    })
}

/// Width and height of a PNG, JPEG or WebP image, read from its header.
pub fn image_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
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
    use super::image_dimensions;

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
