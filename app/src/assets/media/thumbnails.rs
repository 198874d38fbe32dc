//! A media row's preview: a JPEG made from an image (or a clip's first frame)
//! and stored beside the media. Failures are logged, never raised.

use bytes::Bytes;
use sea_orm::{ActiveModelTrait, Set};

use super::{MediaError, load};
use crate::entities::media;
use crate::media::thumbnail::{THUMBNAIL_TYPE, thumbnail_of_bytes};
use crate::platform::state::AppState;
use crate::platform::storage::StorageKey;

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
