//! The media service: stores bytes under the owner's prefix, keeps one `media`
//! row per object, counts each owner's quota, and deletes media once nothing
//! refers to it any more. Signed links and views are in [`links`], previews in
//! [`thumbnails`].

use bytes::Bytes;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect,
    Set, TransactionTrait,
};
use uuid::Uuid;

mod links;
mod thumbnails;

pub use links::{LINK_TTL, download_name, signed_url, view, view_named};
pub use thumbnails::{attach_thumbnail, thumbnail_from_image, thumbnail_from_media};

use super::access::{Actor, readable_collections};
use crate::entities::{generation_job, item, media, upload};
use crate::media::image_dimensions;
use crate::media::types::extension;
use crate::platform::state::AppState;
use crate::platform::storage::{StorageError, StorageKey};

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

/// Width, height, length and codec when known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dimensions {
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub duration_ms: Option<u64>,
    /// By its common name; a format that says it all (PNG, MP3) needs none.
    pub codec: Option<String>,
}

impl From<crate::media::container::ContainerInfo> for Dimensions {
    fn from(info: crate::media::container::ContainerInfo) -> Self {
        Dimensions {
            width: info.width,
            height: info.height,
            duration_ms: info.duration_ms,
            codec: info.codec,
        }
    }
}

/// The codec to record: the one read from the file, else the one its format implies.
fn codec_for(dims: &Dimensions, content_type: &str) -> Option<String> {
    dims.codec.clone().or_else(|| {
        crate::media::container::codec_of_content_type(content_type).map(str::to_string)
    })
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
/// the bytes (PNG, JPEG, WebP) when `dims` does not give them, and so are a
/// video's size, length and codec (MP4, MOV, WebM).
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
    let container = crate::media::container::inspect(content_type, &bytes).unwrap_or_default();
    let sniffed = image_dimensions(&bytes);
    let width = dims.width.or(container.width).or(sniffed.map(|d| d.0));
    let height = dims.height.or(container.height).or(sniffed.map(|d| d.1));
    let duration_ms = container.duration_ms.or(dims.duration_ms);
    let codec = codec_for(
        &Dimensions {
            codec: dims.codec.clone().or(container.codec),
            ..Dimensions::default()
        },
        content_type,
    );
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
        duration_ms: Set(duration_ms.map(|d| d as i64)),
        codec: Set(codec),
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
        codec: Set(codec_for(&dims, content_type)),
        source: Set(MediaSource::Upload.as_str().to_string()),
        thumbnail_key: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await
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
