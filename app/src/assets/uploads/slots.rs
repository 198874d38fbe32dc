//! Upload slots: reserve a key for a checked type, size and destination,
//! hand out signed URLs (one per part), report progress for resuming, and
//! clean up slots that were abandoned.

use std::time::Duration;

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect,
    Set, TransactionTrait,
};
use uuid::Uuid;

use super::super::access::{Actor, find_collection, require};
use super::super::view::{Access, PartUrl, UploadTicket};
use crate::entities::upload;
use crate::error::AppError;
use crate::media::types::{MediaType, declared_type};
use crate::platform::state::AppState;
use crate::platform::storage::{PartInfo, StorageKey};

/// How long a slot stays open (an unfinished upload can resume within it).
pub const SLOT_TTL_HOURS: i64 = 24;
/// How long each signed part URL works.
pub const URL_TTL: Duration = Duration::from_secs(3600);
/// The longest file name kept, in characters.
const MAX_FILE_NAME: usize = 255;
/// Abandoned slots cleaned up per new slot.
const SWEEP_BATCH: u64 = 20;

/// Where an upload stands.
pub mod status {
    pub const PENDING: &str = "pending";
    pub const CONFIRMING: &str = "confirming";
    pub const COMPLETED: &str = "completed";
    pub const FAILED: &str = "failed";
    pub const ABORTED: &str = "aborted";
}

/// What the browser wants to upload.
#[derive(Debug, Clone)]
pub struct SlotRequest {
    pub file_name: String,
    pub content_type: String,
    pub size: u64,
    pub collection_id: Option<String>,
}

/// A file name without folders or control characters, at most 255 characters.
pub fn clean_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = base
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_FILE_NAME)
        .collect();
    let name = name.trim();
    if name.is_empty() {
        "upload".into()
    } else {
        name.to_string()
    }
}

/// The sizes of the parts a file of `size` bytes is sent in (one part when
/// it is not larger than `part_size`).
pub fn part_sizes(size: u64, part_size: u64) -> Vec<u64> {
    if size <= part_size {
        return vec![size];
    }
    let full = size / part_size;
    let rest = size % part_size;
    let mut parts = vec![part_size; full as usize];
    if rest > 0 {
        parts.push(rest);
    }
    parts
}

/// Checks the declared type and size against the limits.
pub fn check_declared(
    state: &AppState,
    content_type: &str,
    size: u64,
) -> Result<&'static MediaType, AppError> {
    let kind = declared_type(content_type).ok_or(AppError::UnsupportedMediaType)?;
    if size == 0 {
        return Err(AppError::invalid("file", "error-reason-empty-file"));
    }
    let limit = state.config.uploads.max_bytes(kind.kind);
    if size > limit {
        return Err(AppError::PayloadTooLarge { limit });
    }
    Ok(kind)
}

/// Reserves a slot after checking type, size, destination and quota.
pub async fn start(
    state: &AppState,
    actor: &Actor,
    request: SlotRequest,
) -> Result<UploadTicket, AppError> {
    let kind = check_declared(state, &request.content_type, request.size)?;
    let collection_id = match request
        .collection_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(id) => {
            let (collection, _, access) = find_collection(&state.db, actor, id).await?;
            require(access, Access::Collaborator)?;
            Some(collection.id)
        }
        None => None,
    };
    sweep_expired(state, actor.id).await?;
    let now = state.clock.now();
    if let Some(quota) = state.config.uploads.quota_bytes {
        // A quick refusal before any storage work; the binding check is below.
        let used = super::super::media::used_bytes(&state.db, actor.id, now).await?;
        if used.saturating_add(request.size) > quota {
            return Err(AppError::QuotaExceeded { quota, used });
        }
    }
    let id = Uuid::now_v7();
    // The browser sends the bytes to a staging key; only once they are checked
    // are they moved to the media's own key, where no upload URL points.
    let key = StorageKey::parse(&format!(
        "u/{}/{}{STAGING}{}",
        actor.id.simple(),
        id.simple(),
        kind.extension
    ))
    .map_err(AppError::internal)?;
    let part_size = state.config.uploads.part_size;
    let multipart_id = if request.size > part_size {
        Some(
            state
                .storage
                .start_multipart(&key, kind.mime)
                .await
                .map_err(AppError::internal)?,
        )
    } else {
        None
    };
    let row = upload::ActiveModel {
        id: Set(id),
        owner_id: Set(actor.id),
        collection_id: Set(collection_id),
        storage_key: Set(key.as_str().to_string()),
        file_name: Set(clean_file_name(&request.file_name)),
        content_type: Set(kind.mime.to_string()),
        size_bytes: Set(i64::try_from(request.size).unwrap_or(i64::MAX)),
        multipart_id: Set(multipart_id),
        part_size: Set(i64::try_from(part_size).unwrap_or(i64::MAX)),
        status: Set(status::PENDING.to_string()),
        item_id: Set(None),
        error: Set(None),
        expires_at: Set(now + chrono::Duration::hours(SLOT_TTL_HOURS)),
        created_at: Set(now),
        updated_at: Set(now),
    };
    // The quota is checked again inside the insert's transaction, with the
    // owner's row locked: concurrent starts are counted one after another.
    let txn = state.db.begin().await?;
    lock_owner(&txn, actor.id).await?;
    if let Some(quota) = state.config.uploads.quota_bytes {
        let used = super::super::media::used_bytes(&txn, actor.id, now).await?;
        if used.saturating_add(request.size) > quota {
            txn.rollback().await?;
            if let Some(upload_id) = row.multipart_id.as_ref() {
                let _ = state.storage.abort_multipart(&key, upload_id).await;
            }
            return Err(AppError::QuotaExceeded { quota, used });
        }
    }
    let row = row.insert(&txn).await?;
    txn.commit().await?;
    tracing::info!(user.id = %actor.id, upload.id = %id, content_type = kind.mime, size = request.size, parts = part_sizes(request.size, part_size).len(), "upload slot opened");
    ticket(state, &row).await
}

/// Takes the write lock on an account's row for the rest of `txn` (a row lock
/// on PostgreSQL, the database's write lock on SQLite) by touching it.
async fn lock_owner(txn: &impl ConnectionTrait, owner: Uuid) -> Result<(), DbErr> {
    use crate::entities::user;
    let touch = Query::update()
        .table(user::Entity)
        .value(user::Column::UpdatedAt, Expr::col(user::Column::UpdatedAt))
        .and_where(Expr::col(user::Column::Id).eq(owner))
        .to_owned();
    txn.execute(&touch).await?;
    Ok(())
}

/// The actor's own upload; anyone else's reads as "not found".
pub async fn find_own(
    state: &AppState,
    actor: &Actor,
    id: &str,
) -> Result<upload::Model, AppError> {
    let id: Uuid = id.trim().parse().map_err(|_| AppError::NotFound)?;
    upload::Entity::find_by_id(id)
        .filter(upload::Column::OwnerId.eq(actor.id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)
}

/// What marks an upload's staging key: `u/<owner>/<id>.incoming.<ext>`.
const STAGING: &str = ".incoming.";

/// The storage key a slot's bytes are sent to.
pub fn key_of(row: &upload::Model) -> Result<StorageKey, AppError> {
    StorageKey::parse(&row.storage_key).map_err(AppError::internal)
}

/// The key the checked bytes move to (the same key for slots opened before
/// uploads were staged).
pub fn final_key_of(row: &upload::Model) -> Result<StorageKey, AppError> {
    StorageKey::parse(&row.storage_key.replacen(STAGING, ".", 1)).map_err(AppError::internal)
}

fn sizes_of(row: &upload::Model) -> Vec<u64> {
    part_sizes(row.size(), row.part_bytes())
}

/// The parts the storage holds with exactly their expected size.
pub async fn received_parts(
    state: &AppState,
    row: &upload::Model,
) -> Result<(Vec<u32>, Vec<PartInfo>), AppError> {
    let key = key_of(row)?;
    let sizes = sizes_of(row);
    let listed = match &row.multipart_id {
        Some(upload_id) => match state.storage.uploaded_parts(&key, upload_id).await {
            Ok(parts) => parts,
            Err(crate::platform::storage::StorageError::NotFound) => Vec::new(),
            Err(e) => return Err(AppError::internal(e)),
        },
        None => match state.storage.head(&key).await.map_err(AppError::internal)? {
            Some(info) => vec![PartInfo {
                number: 1,
                size: info.size,
                etag: String::new(),
            }],
            None => Vec::new(),
        },
    };
    let done = listed
        .iter()
        .filter(|p| {
            p.number >= 1
                && sizes
                    .get(p.number as usize - 1)
                    .is_some_and(|s| *s == p.size)
        })
        .map(|p| p.number)
        .collect();
    Ok((done, listed))
}

/// The browser's view of a slot: what is done and signed URLs for the rest.
pub async fn ticket(state: &AppState, row: &upload::Model) -> Result<UploadTicket, AppError> {
    let open = row.status == status::PENDING && row.expires_at > state.clock.now();
    let (done, _) = if open {
        received_parts(state, row).await?
    } else {
        (Vec::new(), Vec::new())
    };
    let key = key_of(row)?;
    let sizes = sizes_of(row);
    let mut urls = Vec::new();
    if open {
        for (index, size) in sizes.iter().enumerate() {
            let number = index as u32 + 1;
            if done.contains(&number) {
                continue;
            }
            let url = match &row.multipart_id {
                Some(upload_id) => {
                    state
                        .storage
                        .signed_part_url(&key, upload_id, number, *size, URL_TTL)
                        .await
                }
                None => {
                    state
                        .storage
                        .signed_put_url(&key, URL_TTL, &row.content_type, *size)
                        .await
                }
            }
            .map_err(AppError::internal)?;
            urls.push(PartUrl {
                number,
                url,
                size: *size,
            });
        }
    }
    Ok(UploadTicket {
        id: row.id.to_string(),
        file_name: row.file_name.clone(),
        content_type: row.content_type.clone(),
        size_bytes: row.size(),
        part_size: row.part_bytes(),
        part_count: sizes.len() as u32,
        done,
        urls,
        status: row.status.clone(),
        item_id: row.item_id.map(|id| id.to_string()),
    })
}

/// Gives up an unfinished slot and deletes what was sent.
pub async fn abort(state: &AppState, row: &upload::Model) -> Result<(), AppError> {
    if row.status == status::COMPLETED {
        return Err(AppError::Conflict {
            what: "upload_completed".into(),
        });
    }
    discard_bytes(state, row).await;
    let mut update: upload::ActiveModel = row.clone().into();
    update.status = Set(status::ABORTED.to_string());
    update.updated_at = Set(state.clock.now());
    update.update(&state.db).await?;
    Ok(())
}

/// Deletes an unfinished slot's bytes; failures are logged (a later sweep
/// of the bucket's lifecycle rules can still catch them).
pub async fn discard_bytes(state: &AppState, row: &upload::Model) {
    let Ok(key) = key_of(row) else { return };
    let result = match &row.multipart_id {
        Some(upload_id) => state.storage.abort_multipart(&key, upload_id).await,
        None => Ok(()),
    };
    let mut deleted = state.storage.delete(&key).await;
    if let Ok(moved) = final_key_of(row)
        && moved != key
    {
        deleted = deleted.and(state.storage.delete(&moved).await);
    }
    if let Err(e) = result.and(deleted) {
        tracing::warn!(upload.id = %row.id, error = %e, "an abandoned upload could not be deleted");
    }
}

/// Closes the owner's slots that expired unfinished, deleting their bytes.
pub async fn sweep_expired(state: &AppState, owner: Uuid) -> Result<(), AppError> {
    let now = state.clock.now();
    let expired = upload::Entity::find()
        .filter(upload::Column::OwnerId.eq(owner))
        .filter(upload::Column::Status.is_in([status::PENDING, status::CONFIRMING]))
        .filter(upload::Column::ExpiresAt.lte(now))
        .limit(SWEEP_BATCH)
        .all(&state.db)
        .await?;
    for row in expired {
        discard_bytes(state, &row).await;
        upload::Entity::update_many()
            .col_expr(upload::Column::Status, Expr::value(status::ABORTED))
            .col_expr(upload::Column::Error, Expr::value("expired"))
            .col_expr(upload::Column::UpdatedAt, Expr::value(now))
            .filter(upload::Column::Id.eq(row.id))
            .filter(Expr::col(upload::Column::Status).ne(status::COMPLETED))
            .exec(&state.db)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_cut_into_parts_of_the_part_size() {
        assert_eq!(part_sizes(10, 8), vec![8, 2]);
        assert_eq!(part_sizes(16, 8), vec![8, 8]);
        assert_eq!(part_sizes(8, 8), vec![8]);
        assert_eq!(part_sizes(1, 8), vec![1]);
    }

    #[test]
    fn file_names_lose_folders_and_control_characters() {
        assert_eq!(clean_file_name("C:\\Users\\ada\\cat.png"), "cat.png");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\u{0}b.jpg"), "ab.jpg");
        assert_eq!(clean_file_name("   "), "upload");
        assert_eq!(clean_file_name(&"x".repeat(400)).chars().count(), 255);
    }
}
