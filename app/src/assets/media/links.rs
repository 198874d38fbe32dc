//! Signed links to media rows and the views the browser gets of them.

use std::time::Duration;

use super::MediaError;
use crate::assets::view::MediaView;
use crate::entities::media;
use crate::media::thumbnail::THUMBNAIL_TYPE;
use crate::media::types::extension;
use crate::platform::state::AppState;
use crate::platform::storage::{DownloadOptions, StorageKey};

/// How long a signed media link works.
pub const LINK_TTL: Duration = Duration::from_secs(6 * 3600);

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
        codec: row.codec.clone(),
    })
}

/// The browser's view of a media row.
pub async fn view(state: &AppState, row: &media::Model) -> Result<MediaView, MediaError> {
    view_named(state, row, None).await
}

#[cfg(test)]
mod tests {
    use super::download_name;
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
            codec: None,
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
}
